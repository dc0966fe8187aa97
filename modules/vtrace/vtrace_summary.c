// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vtrace/vtrace_summary.c - --summary: a table per syscall, as
 *				      strace -c prints it
 */
#include <stdlib.h>
#include <string.h>

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

static const struct vtrace_count *vtrace_sort_base;

/* By time, then calls, descending; then by name */
static int vtrace_summary_cmp(const void *a, const void *b)
{
	const struct vtrace_count *x = &vtrace_sort_base[*(const int *)a];
	const struct vtrace_count *y = &vtrace_sort_base[*(const int *)b];

	if (x->time != y->time)
		return x->time < y->time ? 1 : -1;
	if (x->calls != y->calls)
		return x->calls < y->calls ? 1 : -1;
	return strcmp(facet_syscall(*(const int *)a)->name,
		      facet_syscall(*(const int *)b)->name);
}

static void vtrace_summary_row(struct vtrace_buf *b,
			       const struct vtrace_count *c, double total,
			       const char *name)
{
	vtrace_buf_printf(b, "%6.2f %11.6f %11lu %9lu ",
			  total > 0 ? c->time * 100 / total : 0, c->time,
			  c->calls ? (unsigned long)(c->time * 1e6 / c->calls)
				   : 0, c->calls);
	if (c->errors)
		vtrace_buf_printf(b, "%9lu %s\n", c->errors, name);
	else
		vtrace_buf_printf(b, "%9s %s\n", "", name);
}

/**
 * vtrace_summary_print() - Append the table
 * @v:		Module state
 * @b:		Buffer
 */
void vtrace_summary_print(struct vtrace *v, struct vtrace_buf *b)
{
	static const char rule[] = "------ ----------- ----------- --------- "
				   "--------- ----------------\n";
	struct vtrace_count sum = { 0, 0, 0 };
	int order[FACET_NR_MAX], n = 0, i;

	for (i = 0; i < FACET_NR_MAX; i++) {
		if (!v->counts[i].calls)
			continue;
		order[n++] = i;
		sum.calls += v->counts[i].calls;
		sum.errors += v->counts[i].errors;
		sum.time += v->counts[i].time;
	}
	vtrace_sort_base = v->counts;
	qsort(order, n, sizeof(order[0]), vtrace_summary_cmp);
	vtrace_buf_puts(b, "% time     seconds  usecs/call     calls    errors "
			"syscall\n");
	vtrace_buf_puts(b, rule);
	for (i = 0; i < n; i++)
		vtrace_summary_row(b, &v->counts[order[i]], sum.time,
				   facet_syscall(order[i])->name);
	vtrace_buf_puts(b, rule);
	vtrace_summary_row(b, &sum, sum.time, "total");
}
