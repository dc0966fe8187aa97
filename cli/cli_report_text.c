// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * cli/cli_report_text.c - `facet report TRACE`: the text summary
 *
 * DOC: Theory of operation
 *
 * Sections, in order: the trace (command, duration, totals), processes,
 * system calls (the columns of `strace -c`), the process tree, files
 * opened, failed file accesses, network endpoints, the processes killed by
 * a signal with their last calls, and the slowest calls.
 * Each table has a header line so that a lab can grep it; an empty section
 * says "(none)".  The sorting helpers here are shared with the HTML and
 * diff outputs.
 */
#include <stdlib.h>
#include <string.h>

#include "cli_report.h"

/**
 * report_sorted() - The records of a map, sorted
 * @m:		Map
 * @out:	m->n pointers, filled
 * @cmp:	qsort() comparison of two `const void *const *`
 */
void report_sorted(const struct report_map *m, const void **out,
		   int (*cmp)(const void *a, const void *b))
{
	if (!m->n)
		return;
	memcpy(out, m->vals, m->n * sizeof(*out));
	qsort(out, m->n, sizeof(*out), cmp);
}

/* Most time first, then most calls, then by name */
int report_cmp_sc_time(const void *a, const void *b)
{
	const struct report_sc *x = *(const void *const *)a;
	const struct report_sc *y = *(const void *const *)b;

	if (x->time != y->time)
		return x->time < y->time ? 1 : -1;
	if (x->calls != y->calls)
		return x->calls < y->calls ? 1 : -1;
	return strcmp(x->name, y->name);
}

/* Most used first, then by path */
int report_cmp_file(const void *a, const void *b)
{
	const struct report_file *x = *(const void *const *)a;
	const struct report_file *y = *(const void *const *)b;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return strcmp(x->path, y->path);
}

/* By address, then syscall */
int report_cmp_endpoint(const void *a, const void *b)
{
	const struct report_endpoint *x = *(const void *const *)a;
	const struct report_endpoint *y = *(const void *const *)b;

	return strcmp(x->key, y->key);
}

/**
 * report_proc_cmd() - What a process ran: its exec, else its parent's
 * @t:		Trace
 * @p:		Process
 *
 * Return: the command line, "?" if none is known (not to be freed)
 */
char *report_proc_cmd(const struct report_trace *t, const struct report_proc *p)
{
	size_t hops;

	for (hops = 0; p && hops < t->procs.n; hops++) {
		char key[16];

		if (p->cmd)
			return p->cmd;
		if (!p->ppid)
			break;
		snprintf(key, sizeof(key), "%d", p->ppid);
		p = report_map_get(&t->procs, key);
	}
	return t->cmd ? t->cmd : "?";
}

/* "exit 0", "SIGKILL" or "?" (no exit event: cut short or running) */
static void text_exit(char *buf, size_t len, const struct report_proc *p)
{
	if (!p->exited)
		snprintf(buf, len, "?");
	else if (p->signal)
		snprintf(buf, len, "%s", p->signal);
	else
		snprintf(buf, len, "exit %d", p->status);
}

static void text_head(FILE *out, const struct report_trace *t)
{
	fprintf(out, "Trace: %s", t->name);
	if (t->nfiles > 1)
		fprintf(out, " and %d more file%s", t->nfiles - 1,
			t->nfiles > 2 ? "s" : "");
	if (t->version)
		fprintf(out, " (facet %s)", t->version);
	fprintf(out, "\nCommand: %s\n", t->cmd ? t->cmd : "?");
	fprintf(out,
		"Duration: %.6f s, %zu processes, %ld system calls "
		"(%ld failed), %.6f s in system calls\n",
		t->end, t->procs.n, t->calls, t->errors, t->time);
	if (t->truncated)
		fprintf(out, "Note: the last line was cut short and skipped\n");
}

static void text_procs(FILE *out, const struct report_trace *t)
{
	size_t i;

	fprintf(out, "\nProcesses\n%8s %8s %8s %8s %12s %-10s %s\n", "PID",
		"PPID", "CALLS", "ERRORS", "TIME(s)", "EXIT", "COMMAND");
	for (i = 0; i < t->procs.n; i++) {
		const struct report_proc *p = report_proc_at(t, i);
		char ppid[16], ex[32];

		snprintf(ppid, sizeof(ppid), p->ppid ? "%d" : "-", p->ppid);
		text_exit(ex, sizeof(ex), p);
		fprintf(out, "%8d %8s %8ld %8ld %12.6f %-10s %s\n", p->pid,
			ppid, p->calls, p->errors, p->time, ex,
			report_proc_cmd(t, p));
	}
	if (!t->procs.n)
		fprintf(out, "  (none)\n");
}

static void text_syscalls(FILE *out, const struct report_trace *t)
{
	const char *rule = "------ ----------- ----------- --------- "
			   "--------- ----------------";
	const void **v = calloc(t->scs.n + 1, sizeof(*v));
	size_t i;

	if (!v)
		return;
	report_sorted(&t->scs, v, report_cmp_sc_time);
	fprintf(out, "\nSystem calls\n%6s %11s %11s %9s %9s %s\n%s\n", "% time",
		"seconds", "usecs/call", "calls", "errors", "syscall", rule);
	for (i = 0; i < t->scs.n; i++) {
		const struct report_sc *s = v[i];

		fprintf(out, "%6.2f %11.6f %11.0f %9ld %9ld %s\n",
			t->time > 0 ? 100.0 * s->time / t->time : 0.0, s->time,
			s->time * 1e6 / (double)s->calls, s->calls, s->errors,
			s->name);
	}
	fprintf(out, "%s\n%6.2f %11.6f %11.0f %9ld %9ld total\n", rule,
		t->time > 0 ? 100.0 : 0.0, t->time,
		t->calls ? t->time * 1e6 / (double)t->calls : 0.0, t->calls,
		t->errors);
	free(v);
}

static void text_files(FILE *out, const char *title, const struct report_map *m)
{
	const void **v = calloc(m->n + 1, sizeof(*v));
	size_t i;

	if (!v)
		return;
	report_sorted(m, v, report_cmp_file);
	fprintf(out, "\n%s\n%8s  %s\n", title, "CALLS", "PATH (HOW)");
	for (i = 0; i < m->n; i++) {
		const struct report_file *f = v[i];

		fprintf(out, "%8ld  %s (%s)\n", f->count, f->path, f->how);
	}
	if (!m->n)
		fprintf(out, "  (none)\n");
	free(v);
}

static void text_endpoints(FILE *out, const struct report_trace *t)
{
	const void **v = calloc(t->endpoints.n + 1, sizeof(*v));
	size_t i;

	if (!v)
		return;
	report_sorted(&t->endpoints, v, report_cmp_endpoint);
	fprintf(out, "\nNetwork endpoints\n  %-40s %-12s %8s %8s\n", "ADDRESS",
		"SYSCALL", "CALLS", "ERRORS");
	for (i = 0; i < t->endpoints.n; i++) {
		const struct report_endpoint *e = v[i];

		fprintf(out, "  %-40.*s %-12s %8ld %8ld\n", e->addrlen, e->key,
			e->syscall, e->count, e->errors);
	}
	if (!t->endpoints.n)
		fprintf(out, "  (none)\n");
	free(v);
}

static void text_slow(FILE *out, const struct report_trace *t)
{
	size_t i;

	fprintf(out, "\nSlowest calls\n%12s %12s %8s  %s\n", "AT(s)", "DUR(s)",
		"PID", "CALL");
	for (i = 0; i < t->nslow; i++)
		fprintf(out, "%12.6f %12.6f %8d  %s\n", t->slow[i].rel,
			t->slow[i].dur, t->slow[i].pid, t->slow[i].call);
	if (!t->nslow)
		fprintf(out, "  (none)\n");
}

/**
 * report_text() - Write the text summary of a trace
 * @out:	Where
 * @t:		Trace
 */
void report_text(FILE *out, const struct report_trace *t)
{
	text_head(out, t);
	text_procs(out, t);
	text_syscalls(out, t);
	report_tree(out, t, false);
	text_files(out, "Files opened", &t->files);
	text_files(out, "Failed file accesses", &t->failed);
	text_endpoints(out, t);
	report_killed_text(out, t);
	text_slow(out, t);
}
