// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vtrace/vtrace_summary.c - --summary: a table per syscall, as
 *				      strace -c prints it
 *
 * DOC: What is counted
 *
 * As strace -c: calls that returned (exit, exit_group and calls in flight
 * when their process ended are not counted), and as the time of a call
 * the CPU time its thread spent between entry and exit, which is system
 * time (strace takes the tracee's ru_stime at its entry and exit stops);
 * with summary-time=wall (strace -w) the time from entry to return.  The
 * supervisor reads the thread's CPU time from /proc/PID/task/TID/schedstat
 * (nanoseconds); in-process, the thread reads its own
 * CLOCK_THREAD_CPUTIME_ID, which also counts the few microseconds of the
 * shim's own code around the call.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../core/procfs.h"
#include "vtrace.h"

/**
 * vtrace_summary_add() - Count one call
 * @v:		Module state
 * @nr:		Syscall number
 * @ret:	Result (errors are -4095..-1)
 * @dur:	Seconds in the call
 */
void vtrace_summary_add(struct vtrace *v, long nr, long ret, double dur)
{
	struct vtrace_count *c;

	if (nr < 0 || nr >= FACET_NR_MAX)
		return;
	c = &v->counts[nr];
	c->calls++;
	c->errors += ret < 0 && ret > -4096;
	c->time += dur;
}

/**
 * vtrace_summary_cpu() - CPU time a thread has used so far
 * @v:		Module state
 * @pid:	Process
 * @tid:	Thread (the caller itself in-process)
 *
 * Return: seconds, or 0 if unknown
 */
double vtrace_summary_cpu(const struct vtrace *v, pid_t pid, pid_t tid)
{
	unsigned long long ns = 0;
	char file[48], text[96];
	struct timespec ts;

	if (v->role == VTRACE_IMAGE)
		return clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) ? 0 :
		       ts.tv_sec + ts.tv_nsec / 1e9;
	snprintf(file, sizeof(file), "task/%d/schedstat", tid);
	if (facet_procfs_read(pid, file, text, sizeof(text)) <= 0 ||
	    sscanf(text, "%llu", &ns) != 1)	/* time on a CPU, in ns */
		return 0;
	return ns / 1e9;
}

static const struct vtrace_count *vtrace_sort_base;

/* By time, descending; then by syscall number, as strace's table */
static int vtrace_summary_cmp(const void *a, const void *b)
{
	const struct vtrace_count *x = &vtrace_sort_base[*(const int *)a];
	const struct vtrace_count *y = &vtrace_sort_base[*(const int *)b];

	if (x->time != y->time)
		return x->time < y->time ? 1 : -1;
	return *(const int *)a - *(const int *)b;
}

static void vtrace_summary_row(struct vtrace_buf *b,
			       const struct vtrace_count *c, double pct,
			       const char *name)
{
	vtrace_buf_printf(b, "%6.2f %11.6f %11lu %9lu ", pct, c->time,
			  c->calls ? (unsigned long)(c->time * 1e6 / c->calls)
				   : 0, c->calls);
	if (c->errors)
		vtrace_buf_printf(b, "%9lu %s\n", c->errors, name);
	else
		vtrace_buf_printf(b, "%9s %s\n", "", name);
}

/* The rule under the header and above the total; strace widens the
 * syscall column to the longest name shown and one more */
static void vtrace_summary_rule(struct vtrace_buf *b, size_t name_width)
{
	size_t i;

	vtrace_buf_puts(b, "------ ----------- ----------- --------- "
			"--------- ");
	for (i = 0; i < name_width; i++)
		vtrace_buf_puts(b, "-");
	vtrace_buf_puts(b, "\n");
}

/**
 * vtrace_summary_print() - Append the table
 * @v:		Module state
 * @b:		Buffer
 *
 * As strace's: sorted by time, ties by syscall number; the total's share
 * is 100.00 whatever the times.
 */
void vtrace_summary_print(struct vtrace *v, struct vtrace_buf *b)
{
	struct vtrace_count sum = { 0, 0, 0 };
	int order[FACET_NR_MAX], n = 0, i;
	size_t width = 16;

	for (i = 0; i < FACET_NR_MAX; i++) {
		if (!v->counts[i].calls)
			continue;
		order[n++] = i;
		sum.calls += v->counts[i].calls;
		sum.errors += v->counts[i].errors;
		sum.time += v->counts[i].time;
		if (strlen(facet_syscall(i)->name) + 1 > width)
			width = strlen(facet_syscall(i)->name) + 1;
	}
	vtrace_sort_base = v->counts;
	qsort(order, n, sizeof(order[0]), vtrace_summary_cmp);
	vtrace_buf_puts(b, "% time     seconds  usecs/call     calls    errors "
			"syscall\n");
	vtrace_summary_rule(b, width);
	for (i = 0; i < n; i++) {
		const struct vtrace_count *c = &v->counts[order[i]];

		vtrace_summary_row(b, c, sum.time > 0 ?
				   c->time * 100 / sum.time : 0,
				   facet_syscall(order[i])->name);
	}
	vtrace_summary_rule(b, width);
	vtrace_summary_row(b, &sum, n ? 100 : 0, "total");
}
