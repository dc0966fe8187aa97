// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * cli/cli_report_load.c - Read a JSONL trace, line by line, into a report
 *
 * DOC: Theory of operation
 *
 * A trace is one JSON object per line (docs/trace-format.md), the first a
 * header.  Each line is parsed on its own with json-c in strict mode, so a
 * bad line is named by its number.  The recorder may have been killed in
 * the middle of a write: a last line that does not end in a newline and does
 * not parse is skipped with a warning, and everything before it is kept
 * (unless nothing before it was a header: then it is not a trace).
 * Any other line that does not parse is an error, as is a file whose first
 * record is not a header (then it is not a facet trace at all).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../core/log.h"
#include "cli_report.h"
#include "cli_report_json.h"

/**
 * struct load_state - Reading one trace file
 * @t:		Trace being filled
 * @tok:	json-c tokener, reused for every line
 * @name:	File name, for messages
 * @lineno:	Current line number
 * @header:	A header has been seen
 * @why:	Why the current line does not parse
 */
struct load_state {
	struct report_trace *t;
	struct json_tokener *tok;
	const char *name;
	long lineno;
	bool header;
	char why[96];
};

/* Parse one line (without its newline); NULL with @why set if it is bad */
static struct json_object *load_parse(struct load_state *s, const char *line,
				      size_t len, const char **why)
{
	struct json_object *o;
	enum json_tokener_error jerr;

	sym_json_tokener_reset(s->tok);
	o = sym_json_tokener_parse_ex(s->tok, line, (int)len);
	jerr = sym_json_tokener_get_error(s->tok);
	if (jerr == json_tokener_continue) {
		*why = "invalid JSON (unexpected end of line)";
		return NULL;
	}
	if (!o || jerr != json_tokener_success) {
		snprintf(s->why, sizeof(s->why), "invalid JSON (%s)",
			 sym_json_tokener_error_desc(jerr));
		*why = s->why;
		sym_json_object_put(o);
		return NULL;
	}
	if (sym_json_tokener_get_parse_end(s->tok) < len) {
		*why = "invalid JSON (text after the object)";
		sym_json_object_put(o);
		return NULL;
	}
	if (!sym_json_object_is_type(o, json_type_object)) {
		*why = "a JSON value that is not an object";
		sym_json_object_put(o);
		return NULL;
	}
	return o;
}

/* The first record must be a header: otherwise this is not a trace */
static int load_check_header(struct load_state *s, struct json_object *o,
			     struct facet_err *err)
{
	struct json_object *type;

	if (s->header)
		return 0;
	if (!sym_json_object_object_get_ex(o, "type", &type) ||
	    !sym_json_object_is_type(type, json_type_string) ||
	    strcmp(sym_json_object_get_string(type), "header"))
		return facet_err_set(err, EINVAL,
				     "%s:%ld: no trace header: not a facet "
				     "JSONL trace (record one with 'facet "
				     "trace --trace-format jsonl')",
				     s->name, s->lineno);
	s->header = true;
	return 0;
}

/* One line: parse, check, record.  @last: no newline, nothing follows */
static int load_line(struct load_state *s, char *line, size_t len, bool last,
		     struct facet_err *err)
{
	struct json_object *o;
	const char *why = NULL;
	int ret;

	while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	if (!len)
		return 0;
	o = load_parse(s, line, len, &why);
	if (!o && last && s->header) {
		s->t->truncated = true;
		log_warn("%s:%ld: last line cut short, skipped: %s; the "
			 "traced program was probably killed while writing it",
			 s->name, s->lineno, why);
		return 0;
	}
	if (!o)
		return facet_err_set(err, EINVAL,
				     "%s:%ld: %s: not a facet JSONL trace "
				     "(one JSON object per line)",
				     s->name, s->lineno, why);
	ret = load_check_header(s, o, err);
	if (!ret)
		ret = report_record(s->t, o, err);
	sym_json_object_put(o);
	if (ret && err && strncmp(err->msg, s->name, strlen(s->name))) {
		char msg[sizeof(err->msg)];

		snprintf(msg, sizeof(msg), "%s:%ld: %.400s", s->name, s->lineno,
			 err->msg);
		strcpy(err->msg, msg);
	}
	return ret;
}

/**
 * report_load_stream() - Read a trace from a stream into @t
 * @t:		Trace, zeroed by the caller; report_free() it in any case
 * @f:		Stream
 * @name:	File name for messages (kept in @t)
 * @err:	Filled on failure
 *
 * Return: 0 on success, negative errno on failure
 */
int report_load_stream(struct report_trace *t, FILE *f, const char *name,
		       struct facet_err *err)
{
	struct load_state s = {.t = t, .name = name};
	size_t cap = 0;
	char *line = NULL;
	ssize_t len;
	int ret = 0;

	ret = report_json_load(err);
	if (ret < 0)
		return ret;
	if (!t->name)
		t->name = name;
	t->nfiles++;
	s.tok = sym_json_tokener_new();
	if (!s.tok)
		return facet_err_set(err, ENOMEM, "out of memory");
	sym_json_tokener_set_flags(s.tok, JSON_TOKENER_STRICT);
	errno = 0;
	while (!ret && (len = getline(&line, &cap, f)) >= 0) {
		bool last = line[len - 1] != '\n';

		s.lineno++;
		t->lines++;
		ret = load_line(&s, line, (size_t)len, last, err);
	}
	if (!ret && ferror(f))
		ret = facet_err_set(err, errno ? errno : EIO,
				    "cannot read trace %s: %s", name,
				    strerror(errno ? errno : EIO));
	if (!ret && !s.lineno)
		ret = facet_err_set(err, EINVAL,
				    "%s: empty file, no trace recorded: "
				    "record one with 'facet trace "
				    "--trace-format jsonl -o FILE'",
				    name);
	if (!ret && !s.header)
		ret = facet_err_set(err, EINVAL,
				    "%s: no trace header: not a facet JSONL "
				    "trace (record one with 'facet trace "
				    "--trace-format jsonl')",
				    name);
	free(line);
	sym_json_tokener_free(s.tok);
	return ret;
}

/**
 * report_load() - Read a trace file into @t
 * @t:		Trace, zeroed by the caller; report_free() it in any case
 * @path:	File name, "-" for standard input
 * @err:	Filled on failure
 *
 * Return: 0 on success, negative errno on failure
 */
int report_load(struct report_trace *t, const char *path, struct facet_err *err)
{
	struct stat st;
	FILE *f;
	int ret;

	if (!strcmp(path, "-"))
		return report_load_stream(t, stdin, "(stdin)", err);
	f = fopen(path, "re");
	if (!f)
		return facet_err_set(err, errno, "cannot read trace %s: %s",
				     path, strerror(errno));
	/* fopen() opens a directory; its first read fails with EISDIR */
	if (!fstat(fileno(f), &st) && S_ISDIR(st.st_mode)) {
		fclose(f);
		return facet_err_set(err, EISDIR,
				     "%s is a directory: give the trace files "
				     "in it (facet report %s/T.jsonl.* reads "
				     "per-process files as one trace)",
				     path, path);
	}
	ret = report_load_stream(t, f, path, err);
	fclose(f);
	return ret;
}

/**
 * report_free() - Free what a trace holds
 * @t:		Trace, left zeroed
 */
void report_free(struct report_trace *t)
{
	size_t i;

	for (i = 0; i < t->procs.n; i++) {
		struct report_proc *p = t->procs.vals[i];

		free(p->cmd);
		free(p->signal);
		free(p->siginfo);
	}
	for (i = 0; i < t->nslow; i++)
		free(t->slow[i].call);
	report_map_free(&t->procs);
	report_map_free(&t->scs);
	report_map_free(&t->files);
	report_map_free(&t->failed);
	report_map_free(&t->endpoints);
	free(t->cmd);
	free(t->version);
	free(t->ev);
	memset(t, 0, sizeof(*t));
}

/**
 * report_proc_at() - Process by index, in order of first appearance
 * @t:		Trace
 * @i:		Index
 *
 * Return: the process
 */
struct report_proc *report_proc_at(const struct report_trace *t, size_t i)
{
	return t->procs.vals[i];
}

/**
 * report_sc_at() - Syscall totals by index, in order of first appearance
 * @t:		Trace
 * @i:		Index
 *
 * Return: the totals
 */
struct report_sc *report_sc_at(const struct report_trace *t, size_t i)
{
	return t->scs.vals[i];
}
