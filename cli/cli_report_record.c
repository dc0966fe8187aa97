// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * cli/cli_report_record.c - Add one trace record to the report's totals
 *
 * DOC: Theory of operation
 *
 * Records are "header", "syscall", "fork", "exec", "exit" and "signal"
 * objects of schema version 1 (docs/trace-format.md).  Only the fields a
 * report needs are read; unknown fields and unknown record types are
 * ignored, so newer minor versions of the schema stay readable.  A record
 * whose major version ("v") is newer than REPORT_SCHEMA_MAJOR is an error:
 * its meaning may have changed.  Required fields of the wrong JSON type are
 * errors too, named.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli_report.h"
#include "cli_report_json.h"

const char *const report_class_names[REPORT_NCLASSES] = {
	[REPORT_CLASS_OTHER] = "other",	    [REPORT_CLASS_FILE] = "file",
	[REPORT_CLASS_DESC] = "desc",	    [REPORT_CLASS_NET] = "network",
	[REPORT_CLASS_PROCESS] = "process", [REPORT_CLASS_MEMORY] = "memory",
	[REPORT_CLASS_SIGNAL] = "signal",
};

/* Field @key of @o if it has JSON type @type (enum json_type), else NULL */
struct json_object *report_rec_get(struct json_object *o, const char *key,
				   int type)
{
	struct json_object *v;

	if (!sym_json_object_object_get_ex(o, key, &v) || !v)
		return NULL;
	if (type == json_type_double && sym_json_object_is_type(v, json_type_int))
		return v;
	return sym_json_object_is_type(v, (enum json_type)type) ? v : NULL;
}

bool report_rec_has(struct json_object *o, const char *key)
{
	struct json_object *v;

	return sym_json_object_object_get_ex(o, key, &v) && v;
}

/* String field or NULL */
const char *report_rec_str(struct json_object *o, const char *key)
{
	struct json_object *v = report_rec_get(o, key, json_type_string);

	return v ? sym_json_object_get_string(v) : NULL;
}

/* Number field, or @def if absent */
double report_rec_num(struct json_object *o, const char *key, double def)
{
	struct json_object *v = report_rec_get(o, key, json_type_double);

	return v ? sym_json_object_get_double(v) : def;
}

/* Required integer field: 0, or -EINVAL with the field named */
int report_rec_int(struct json_object *o, const char *type, const char *key,
		   int *out, struct facet_err *err)
{
	struct json_object *v = report_rec_get(o, key, json_type_int);

	if (!v)
		return facet_err_set(err, EINVAL,
				     "%s record without an integer \"%s\"",
				     type, key);
	*out = (int)sym_json_object_get_int64(v);
	return 0;
}

/* Seconds since the start: "rel", else "ts" minus the header's start */
double report_rec_rel(const struct report_trace *t, struct json_object *o)
{
	double ts;

	if (report_rec_get(o, "rel", json_type_double))
		return report_rec_num(o, "rel", 0) + t->offset;
	ts = report_rec_num(o, "ts", NAN);
	if (isnan(ts) || !t->start)
		return 0;
	return ts - t->start;
}

/* Element @i of an array as text: a string's value, else its JSON */
static const char *rec_elem(struct json_object *arr, size_t i)
{
	struct json_object *e = sym_json_object_array_get_idx(arr, i);

	if (sym_json_object_is_type(e, json_type_string))
		return sym_json_object_get_string(e);
	return sym_json_object_to_json_string(e);
}

/* Append @a to @o quoted as a shell word if it needs it ('\'' for a
 * quote inside); return the end */
static char *rec_quote(char *o, const char *a)
{
	bool q = !*a || strpbrk(a, " \t\n\"'$\\`;&|<>()*?[]#~");

	if (!q)
		return stpcpy(o, a);
	*o++ = '\'';
	for (; *a; a++)
		o = *a == '\'' ? stpcpy(o, "'\\''") : (*o = *a, o + 1);
	*o++ = '\'';
	*o = '\0';
	return o;
}

/* "a b 'c d'": an argv array joined for display, as a shell would read
 * it back, or NULL */
static char *rec_join(struct json_object *arr)
{
	size_t i, n, len = 1;
	char *s, *o;

	if (!arr || !sym_json_object_is_type(arr, json_type_array))
		return NULL;
	n = sym_json_object_array_length(arr);
	for (i = 0; i < n; i++)
		len += 4 * strlen(rec_elem(arr, i)) + 3;
	s = o = calloc(1, len);
	if (!s)
		return NULL;
	for (i = 0; i < n; i++) {
		if (i)
			*o++ = ' ';
		o = rec_quote(o, rec_elem(arr, i));
	}
	return s;
}

/* The process with pid @pid, added if new, first seen at @rel */
struct report_proc *report_rec_proc(struct report_trace *t, int pid, double rel)
{
	struct report_proc *p;
	char key[16];

	snprintf(key, sizeof(key), "%d", pid);
	p = report_map_add(&t->procs, key, sizeof(*p));
	if (!p)
		return NULL;
	if (!p->pid) {
		p->pid = pid;
		p->first = p->last = rel;
		p->index = (int)t->procs.n - 1;
	}
	if (rel < p->first)
		p->first = rel;
	if (rel > p->last)
		p->last = rel;
	if (rel > t->end)
		t->end = rel;
	return p;
}

static int rec_header(struct report_trace *t, struct json_object *o)
{
	const char *v = report_rec_str(o, "facet");

	/* Further traces (per-process files): keep the first's command */
	if (t->started) {
		double start = report_rec_num(o, "start", 0);

		t->offset = start && t->start ? start - t->start : 0;
		return 0;
	}
	t->started = true;
	t->start = report_rec_num(o, "start", 0);
	t->cmd = rec_join(report_rec_get(o, "argv", json_type_array));
	t->version = v ? strdup(v) : NULL;
	return 0;
}

static int rec_fork(struct report_trace *t, struct json_object *o,
		    struct facet_err *err)
{
	struct report_proc *p, *pp;
	double rel = report_rec_rel(t, o);
	int pid, ppid, ret;

	ret = report_rec_int(o, "fork", "pid", &pid, err);
	if (!ret)
		ret = report_rec_int(o, "fork", "ppid", &ppid, err);
	if (ret)
		return ret;
	pp = report_rec_proc(t, ppid, rel);
	p = report_rec_proc(t, pid, rel);
	if (!p || !pp)
		return facet_err_set(err, ENOMEM, "out of memory");
	p->ppid = ppid;
	return 0;
}

static int rec_exec(struct report_trace *t, struct json_object *o,
		    struct facet_err *err)
{
	struct report_proc *p;
	const char *path;
	char *cmd;
	int pid, ret;

	ret = report_rec_int(o, "exec", "pid", &pid, err);
	if (ret)
		return ret;
	p = report_rec_proc(t, pid, report_rec_rel(t, o));
	if (!p)
		return facet_err_set(err, ENOMEM, "out of memory");
	cmd = rec_join(report_rec_get(o, "argv", json_type_array));
	path = report_rec_str(o, "path");
	if ((!cmd || !*cmd) && path) {
		free(cmd);
		cmd = strdup(path);
	}
	if (cmd) {
		free(p->cmd);
		p->cmd = cmd;
	}
	return 0;
}

static int rec_exit(struct report_trace *t, struct json_object *o,
		    struct facet_err *err)
{
	struct report_proc *p;
	const char *sig;
	int pid, ret;

	ret = report_rec_int(o, "exit", "pid", &pid, err);
	if (ret)
		return ret;
	p = report_rec_proc(t, pid, report_rec_rel(t, o));
	if (!p)
		return facet_err_set(err, ENOMEM, "out of memory");
	p->exited = true;
	sig = report_rec_str(o, "signal");
	free(p->signal);
	p->signal = sig ? strdup(sig) : NULL;
	p->status = (int)report_rec_num(o, "status", 0);
	return 0;
}

/* A signal delivered: kept as the one that may have killed the process */
static int rec_signal(struct report_trace *t, struct json_object *o,
		      struct facet_err *err)
{
	const char *sig = report_rec_str(o, "signal");
	const char *info = report_rec_str(o, "siginfo");
	struct report_proc *p;
	int pid = (int)report_rec_num(o, "pid", 0);

	if (!sig || pid <= 0)
		return 0;
	p = report_rec_proc(t, pid, report_rec_rel(t, o));
	if (!p)
		return facet_err_set(err, ENOMEM, "out of memory");
	free(p->siginfo);
	if (asprintf(&p->siginfo, "%s %s", sig, info ? info : "") < 0) {
		p->siginfo = NULL;
		return facet_err_set(err, ENOMEM, "out of memory");
	}
	return 0;
}

/**
 * report_record() - Account for one trace record
 * @t:		Trace
 * @o:		The record, a JSON object
 * @err:	Filled on failure
 *
 * Return: 0 on success (unknown record types included), negative errno if
 * the record is from a newer major schema version or malformed
 */
int report_record(struct report_trace *t, struct json_object *o,
		  struct facet_err *err)
{
	const char *type = report_rec_str(o, "type");
	double v = report_rec_num(o, "v", 1);

	if (report_rec_has(o, "v") && !report_rec_get(o, "v", json_type_double))
		return facet_err_set(err, EINVAL, "\"v\" is not a number");
	if (floor(v) > REPORT_SCHEMA_MAJOR)
		return facet_err_set(err, ENOTSUP,
				     "trace schema version %g is newer than "
				     "this facet reads (%d): use a newer "
				     "facet to report on it",
				     v, REPORT_SCHEMA_MAJOR);
	if (!type)
		return facet_err_set(err, EINVAL,
				     "record without a string \"type\"");
	if (!strcmp(type, "header"))
		return rec_header(t, o);
	if (!strcmp(type, "syscall"))
		return report_record_syscall(t, o, err);
	if (!strcmp(type, "fork"))
		return rec_fork(t, o, err);
	if (!strcmp(type, "exec"))
		return rec_exec(t, o, err);
	if (!strcmp(type, "exit"))
		return rec_exit(t, o, err);
	if (!strcmp(type, "signal"))
		return rec_signal(t, o, err);
	t->skipped++;
	return 0;
}
