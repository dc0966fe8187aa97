// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * cli/cli_report_syscall.c - Account for one "syscall" trace record
 *
 * DOC: Theory of operation
 *
 * A syscall record adds to the totals of its process and of its name, to
 * the files (paths of FILE-class calls, successful or failed), to the
 * network endpoints (its "sockaddr"), to the event list the HTML timeline
 * draws, and, if it is among the slowest so far, to the slowest calls, for
 * which the call is formatted the way strace prints it.  A call failed if
 * the record has an "errno".  A call that did not return (no "ret", "retstr"
 * "?": exit_group, or a call its process was killed in) only marks its
 * process as seen: strace -c and facet trace -c do not count it either.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli_report.h"
#include "cli_report_json.h"

/* Longest formatted call kept for the slowest-calls list */
#define SYSCALL_CALL_MAX 512

/* Does the "classes" array name @want (case-insensitive, '%' ignored)? */
static bool syscall_has_class(struct json_object *classes, const char *want)
{
	size_t i, n;

	if (!classes)
		return false;
	n = sym_json_object_array_length(classes);
	for (i = 0; i < n; i++) {
		const char *c = sym_json_object_get_string(
			sym_json_object_array_get_idx(classes, i));

		if (c && *c == '%')
			c++;
		if (c && !strcasecmp(c, want))
			return true;
	}
	return false;
}

/* Timeline colour group, most telling class first */
static unsigned char syscall_class(struct json_object *classes)
{
	if (syscall_has_class(classes, "network") ||
	    syscall_has_class(classes, "net"))
		return REPORT_CLASS_NET;
	if (syscall_has_class(classes, "process"))
		return REPORT_CLASS_PROCESS;
	if (syscall_has_class(classes, "file"))
		return REPORT_CLASS_FILE;
	if (syscall_has_class(classes, "signal"))
		return REPORT_CLASS_SIGNAL;
	if (syscall_has_class(classes, "memory"))
		return REPORT_CLASS_MEMORY;
	if (syscall_has_class(classes, "desc"))
		return REPORT_CLASS_DESC;
	return REPORT_CLASS_OTHER;
}

/* Append @word to the comma-separated @how unless it is there already */
static void syscall_note(char *how, size_t len, const char *word)
{
	size_t wl = strlen(word), hl = strlen(how);
	const char *p;

	for (p = how; (p = strstr(p, word)); p += wl)
		if ((p == how || p[-1] == ',') && (!p[wl] || p[wl] == ','))
			return;
	if (hl + wl + 2 > len)
		return;
	if (hl)
		how[hl++] = ',';
	memcpy(how + hl, word, wl + 1);
}

/* Count the paths of a FILE-class call, as opened or as failed */
static int syscall_files(struct report_trace *t, struct json_object *o,
			 const char *name, const char *errname)
{
	struct json_object *paths = report_rec_get(o, "paths", json_type_array);
	struct report_map *m = errname ? &t->failed : &t->files;
	size_t i, n = paths ? sym_json_object_array_length(paths) : 0;

	for (i = 0; i < n; i++) {
		struct json_object *p = sym_json_object_array_get_idx(paths, i);
		struct report_file *f;

		/* "" is AT_EMPTY_PATH: the call is about an fd, not a path */
		if (!sym_json_object_is_type(p, json_type_string) ||
		    !*sym_json_object_get_string(p))
			continue;
		f = report_map_add(m, sym_json_object_get_string(p), sizeof(*f));
		if (!f)
			return -ENOMEM;
		if (!f->path)
			f->path = m->keys[m->n - 1];
		f->count++;
		syscall_note(f->how, sizeof(f->how), errname ? errname : name);
	}
	return 0;
}

/* Count the call against its socket address, if it has one */
static int syscall_endpoint(struct report_trace *t, struct json_object *o,
			    const char *name, bool failed)
{
	const char *addr = report_rec_str(o, "sockaddr");
	struct report_endpoint *e;
	char *key;

	if (!addr)
		return 0;
	if (asprintf(&key, "%s\t%s", addr, name) < 0)
		return -ENOMEM;
	e = report_map_add(&t->endpoints, key, sizeof(*e));
	free(key);
	if (!e)
		return -ENOMEM;
	if (!e->key) {
		e->key = t->endpoints.keys[t->endpoints.n - 1];
		e->addrlen = (int)strlen(addr);
		e->syscall = e->key + e->addrlen + 1;
	}
	e->count++;
	e->errors += failed;
	return 0;
}

/**
 * report_format_call() - The call as strace prints it, "name(a, b) = ret"
 * @o:		Syscall record
 * @name:	Its name
 * @buf:	Filled, cut with "..." at @len
 * @len:	Size of @buf (at least 4)
 */
void report_format_call(struct json_object *o, const char *name, char *buf,
			size_t len)
{
	struct json_object *args = report_rec_get(o, "args", json_type_array);
	const char *ret = report_rec_str(o, "retstr");
	const char *errname = report_rec_str(o, "errno");
	size_t i, n = args ? sym_json_object_array_length(args) : 0;
	struct json_object *r;
	int l;

	l = snprintf(buf, len, "%s(", name);
	for (i = 0; i < n && l < (int)len; i++) {
		struct json_object *a = sym_json_object_array_get_idx(args, i);
		const char *s = sym_json_object_is_type(a, json_type_string)
					? sym_json_object_get_string(a)
					: sym_json_object_to_json_string(a);

		l += snprintf(buf + l, len - l, "%s%s", i ? ", " : "", s);
	}
	if (l < (int)len && ret)
		l += snprintf(buf + l, len - l, ") = %s", ret);
	else if (l < (int)len && (r = report_rec_get(o, "ret", json_type_int)))
		l += snprintf(buf + l, len - l, ") = %lld",
			      (long long)sym_json_object_get_int64(r));
	else if (l < (int)len)
		l += snprintf(buf + l, len - l, ") = ?");
	if (l < (int)len && errname && (!ret || !strstr(ret, errname)))
		l += snprintf(buf + l, len - l, " %s", errname);
	if (l >= (int)len)
		memcpy(buf + len - 4, "...", 4);
}

/* Keep the call if it is among the REPORT_NSLOW slowest so far */
static int syscall_slow(struct report_trace *t, struct json_object *o,
			const char *name, const struct report_event *ev,
			int pid)
{
	struct report_slow s = {ev->rel, ev->dur, pid, pid, NULL};
	char buf[SYSCALL_CALL_MAX];
	size_t i;

	if (t->nslow == REPORT_NSLOW && ev->dur <= t->slow[t->nslow - 1].dur)
		return 0;

	report_format_call(o, name, buf, sizeof(buf));
	s.call = strdup(buf);
	if (!s.call)
		return -ENOMEM;
	s.tid = (int)report_rec_num(o, "tid", pid);
	if (t->nslow == REPORT_NSLOW)
		free(t->slow[--t->nslow].call);
	for (i = t->nslow; i > 0 && t->slow[i - 1].dur < s.dur; i--)
		t->slow[i] = t->slow[i - 1];
	t->slow[i] = s;
	t->nslow++;
	return 0;
}

/* Append to the event list */
static int syscall_event(struct report_trace *t, const struct report_event *ev)
{
	if (t->nev == t->evcap) {
		size_t cap = t->evcap ? t->evcap * 2 : 1024;
		struct report_event *n = realloc(t->ev, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		t->ev = n;
		t->evcap = cap;
	}
	t->ev[t->nev++] = *ev;
	return 0;
}

/* Totals of the process and of the syscall name */
static int syscall_totals(struct report_trace *t, struct report_event *ev,
			  int pid, const char *name)
{
	struct report_proc *p;
	struct report_sc *sc;

	p = report_rec_proc(t, pid, ev->rel);
	sc = report_map_add(&t->scs, name, sizeof(*sc));
	if (!p || !sc)
		return -ENOMEM;
	if (!sc->name) {
		sc->name = t->scs.keys[t->scs.n - 1];
		sc->index = (int)t->scs.n - 1;
	}
	if (ev->rel + ev->dur > p->last)
		p->last = ev->rel + ev->dur;
	if (ev->rel + ev->dur > t->end)
		t->end = ev->rel + ev->dur;
	p->calls++;
	sc->calls++;
	t->calls++;
	p->errors += ev->err;
	sc->errors += ev->err;
	t->errors += ev->err;
	p->time += ev->dur;
	sc->time += ev->dur;
	t->time += ev->dur;
	ev->proc = p->index;
	ev->sc = sc->index;
	return 0;
}

/* Did the call return?  Not when the record says "?" and has no "ret" */
static bool syscall_returned(struct json_object *o)
{
	const char *retstr = report_rec_str(o, "retstr");

	return report_rec_has(o, "ret") || !retstr || strcmp(retstr, "?");
}

/**
 * report_record_syscall() - Account for one "syscall" record
 * @t:		Trace
 * @o:		The record
 * @err:	Filled on failure
 *
 * Return: 0 on success, negative errno on failure
 */
int report_record_syscall(struct report_trace *t, struct json_object *o,
			  struct facet_err *err)
{
	struct json_object *classes =
		report_rec_get(o, "classes", json_type_array);
	const char *name = report_rec_str(o, "name");
	const char *errname = report_rec_str(o, "errno");
	struct report_event ev = {0};
	struct report_proc *p;
	int pid, ret;

	ret = report_rec_int(o, "syscall", "pid", &pid, err);
	if (ret)
		return ret;
	if (!name)
		return facet_err_set(
			err, EINVAL,
			"syscall record without a string \"name\"");
	ev.rel = report_rec_rel(t, o);
	ev.dur = report_rec_num(o, "dur", 0);
	if (ev.dur < 0)
		ev.dur = 0;
	ev.err = errname != NULL;
	ev.cls = syscall_class(classes);
	p = report_rec_proc(t, pid, ev.rel);
	if (!p)
		return facet_err_set(err, ENOMEM, "out of memory");
	/* What a process killed by a signal did last, the fatal call too */
	report_format_call(o, name, p->lastcalls[p->nlast++ % REPORT_NLAST],
			   REPORT_LAST_LEN);
	if (!syscall_returned(o))
		return 0;
	ret = syscall_totals(t, &ev, pid, name);
	if (!ret && syscall_has_class(classes, "file"))
		ret = syscall_files(t, o, name, errname);
	if (!ret)
		ret = syscall_endpoint(t, o, name, ev.err);
	if (!ret)
		ret = syscall_event(t, &ev);
	if (!ret)
		ret = syscall_slow(t, o, name, &ev, pid);
	if (!ret && report_record_wait(t, o, name, ev.rel))
		ret = -ENOMEM;
	if (ret)
		return facet_err_set(err, ret, "out of memory");
	return 0;
}
