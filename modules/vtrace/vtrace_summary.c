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
 *
 * DOC: Columns and order
 *
 * strace -U picks the columns and their order, by any of strace's names
 * for them; the name comes last if it was not asked for.  Each column is
 * as wide as strace's (its header, or its numbers' usual width), joined by
 * one space; the name is padded to the longest shown but when it is last.
 * strace -S sorts by a column: times, calls and errors descending, names
 * ascending, "nothing" by syscall number; equal rows keep syscall number
 * order, as strace's (glibc's qsort is a merge sort there).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../core/procfs.h"
#include "vtrace.h"

/* strace's names of each column, for -U and -S */
static const struct {
	const char *name;
	int col;
} vtrace_col_names[] = {
	{ "time", VTRACE_COL_PERCENT }, { "time_percent", VTRACE_COL_PERCENT },
	{ "time-percent", VTRACE_COL_PERCENT },
	{ "time_total", VTRACE_COL_TOTAL }, { "time-total", VTRACE_COL_TOTAL },
	{ "total_time", VTRACE_COL_TOTAL }, { "total-time", VTRACE_COL_TOTAL },
	{ "min_time", VTRACE_COL_MIN }, { "min-time", VTRACE_COL_MIN },
	{ "shortest", VTRACE_COL_MIN }, { "time_min", VTRACE_COL_MIN },
	{ "time-min", VTRACE_COL_MIN },
	{ "longest", VTRACE_COL_MAX }, { "max_time", VTRACE_COL_MAX },
	{ "max-time", VTRACE_COL_MAX }, { "time_max", VTRACE_COL_MAX },
	{ "time-max", VTRACE_COL_MAX },
	{ "avg_time", VTRACE_COL_AVG }, { "avg-time", VTRACE_COL_AVG },
	{ "time_avg", VTRACE_COL_AVG }, { "time-avg", VTRACE_COL_AVG },
	{ "calls", VTRACE_COL_CALLS }, { "count", VTRACE_COL_CALLS },
	{ "error", VTRACE_COL_ERRORS }, { "errors", VTRACE_COL_ERRORS },
	{ "name", VTRACE_COL_NAME }, { "syscall", VTRACE_COL_NAME },
	{ "syscall_name", VTRACE_COL_NAME },
	{ "syscall-name", VTRACE_COL_NAME },
	{ "none", VTRACE_COL_NONE }, { "nothing", VTRACE_COL_NONE },
};

/* Headers and widths of the columns, as strace's */
static const struct {
	const char *header;
	int width;
} vtrace_cols[VTRACE_NCOLS] = {
	[VTRACE_COL_PERCENT] = { "% time", 6 },
	[VTRACE_COL_TOTAL] = { "seconds", 11 },
	[VTRACE_COL_MIN] = { "shortest", 8 },
	[VTRACE_COL_MAX] = { "longest", 8 },
	[VTRACE_COL_AVG] = { "usecs/call", 11 },
	[VTRACE_COL_CALLS] = { "calls", 9 },
	[VTRACE_COL_ERRORS] = { "errors", 9 },
	[VTRACE_COL_NAME] = { "syscall", 16 },
};

static int vtrace_col_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(vtrace_col_names) / sizeof(vtrace_col_names[0]);
	     i++)
		if (!strcmp(name, vtrace_col_names[i].name))
			return vtrace_col_names[i].col;
	return -1;
}

/**
 * vtrace_summary_sort_by() - What the table is sorted by (strace -S)
 * @v:		Module state
 * @value:	A column's name, or "none"/"nothing" for syscall numbers
 * @err:	Error out
 *
 * Return: 0, or -EINVAL for a name strace does not know
 */
int vtrace_summary_sort_by(struct vtrace *v, const char *value,
			   struct facet_err *err)
{
	int col = value ? vtrace_col_find(value) : -1;

	if (col < 0)
		return facet_err_set(err, EINVAL, "vtrace: summary-sort-by "
				     "'%s' is not a column: time, calls, "
				     "errors, name, min-time, max-time, "
				     "avg-time or nothing",
				     value ? value : "");
	/* the time's share sorts as the time */
	v->sum_sort = col == VTRACE_COL_PERCENT ? VTRACE_COL_TOTAL : col;
	return 0;
}

/**
 * vtrace_summary_columns() - The table's columns, in order (strace -U)
 * @v:		Module state
 * @value:	Comma-separated column names
 * @err:	Error out
 *
 * Return: 0, or -EINVAL for an unknown or repeated column
 */
int vtrace_summary_columns(struct vtrace *v, const char *value,
			   struct facet_err *err)
{
	char list[256], *tok, *save = NULL;
	int i, col, name = 0;

	if (!value || strlen(value) >= sizeof(list))
		return facet_err_set(err, EINVAL, "vtrace: summary-columns "
				     "needs a list of columns");
	strcpy(list, value);
	v->nsum_cols = 0;
	for (tok = strtok_r(list, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		col = vtrace_col_find(tok);
		if (col < 0 || col == VTRACE_COL_NONE)
			return facet_err_set(err, EINVAL, "vtrace: "
					     "summary-columns: no column '%s' "
					     "(time-percent, total-time, "
					     "min-time, max-time, avg-time, "
					     "calls, errors, name)", tok);
		for (i = 0; i < v->nsum_cols; i++)
			if (v->sum_cols[i] == col)
				return facet_err_set(err, EINVAL, "vtrace: "
						     "summary-columns: '%s' "
						     "is given twice", tok);
		name |= col == VTRACE_COL_NAME;
		v->sum_cols[v->nsum_cols++] = (uint8_t)col;
	}
	if (!name)
		v->sum_cols[v->nsum_cols++] = VTRACE_COL_NAME;
	return 0;
}

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
	if (!c->calls || dur < c->min)
		c->min = dur;
	if (dur > c->max)
		c->max = dur;
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
static int vtrace_sort_col;

/* Mean microseconds per call, truncated as strace's */
static unsigned long vtrace_summary_avg(const struct vtrace_count *c)
{
	return c->calls ? (unsigned long)(c->time * 1e6 / c->calls) : 0;
}

/* -1, 0, 1 as @x sorts before, with or after @y: numbers descending */
static int vtrace_desc(double x, double y)
{
	return x > y ? -1 : x < y;
}

/* By the -S column; ties by syscall number, as strace's table */
static int vtrace_summary_cmp(const void *a, const void *b)
{
	int i = *(const int *)a, j = *(const int *)b, r = 0;
	const struct vtrace_count *x = &vtrace_sort_base[i];
	const struct vtrace_count *y = &vtrace_sort_base[j];

	switch (vtrace_sort_col) {
	case VTRACE_COL_MIN:
		r = vtrace_desc(x->min, y->min);
		break;
	case VTRACE_COL_MAX:
		r = vtrace_desc(x->max, y->max);
		break;
	case VTRACE_COL_AVG:
		r = vtrace_desc(x->time / x->calls, y->time / y->calls);
		break;
	case VTRACE_COL_CALLS:
		r = vtrace_desc(x->calls, y->calls);
		break;
	case VTRACE_COL_ERRORS:
		r = vtrace_desc(x->errors, y->errors);
		break;
	case VTRACE_COL_NAME:
		r = strcmp(facet_syscall(i)->name, facet_syscall(j)->name);
		break;
	case VTRACE_COL_NONE:
		break;
	default:
		r = vtrace_desc(x->time, y->time);
	}
	return r ? r : i - j;
}

/* One cell; the name padded to @width unless it is the last column */
static void vtrace_summary_cell(struct vtrace_buf *b, int col,
				const struct vtrace_count *c, double pct,
				const char *name, int width, int last)
{
	switch (col) {
	case VTRACE_COL_PERCENT:
		vtrace_buf_printf(b, "%6.2f", pct);
		break;
	case VTRACE_COL_TOTAL:
		vtrace_buf_printf(b, "%11.6f", c->time);
		break;
	case VTRACE_COL_MIN:
		vtrace_buf_printf(b, "%8.6f", c->min);
		break;
	case VTRACE_COL_MAX:
		vtrace_buf_printf(b, "%8.6f", c->max);
		break;
	case VTRACE_COL_AVG:
		vtrace_buf_printf(b, "%11lu", vtrace_summary_avg(c));
		break;
	case VTRACE_COL_CALLS:
		vtrace_buf_printf(b, "%9lu", c->calls);
		break;
	case VTRACE_COL_ERRORS:		/* blank when there are none */
		vtrace_buf_printf(b, "%9.0lu", c->errors);
		break;
	default:
		vtrace_buf_printf(b, "%-*s", last ? 0 : width, name);
	}
}

/* The header, the rule under it and above the total, or a row */
enum vtrace_sumline { VTRACE_SUM_HEADER, VTRACE_SUM_RULE, VTRACE_SUM_ROW };

static void vtrace_summary_line(struct vtrace_buf *b, const uint8_t *cols,
				int ncols, int what,
				const struct vtrace_count *c, double pct,
				const char *name, int name_width)
{
	int i, col, width, last;

	for (i = 0; i < ncols; i++) {
		col = cols[i];
		last = i == ncols - 1;
		width = col == VTRACE_COL_NAME ? name_width :
			vtrace_cols[col].width;
		if (i)
			vtrace_buf_puts(b, " ");
		if (what == VTRACE_SUM_ROW)
			vtrace_summary_cell(b, col, c, pct, name, width, last);
		else if (what == VTRACE_SUM_RULE)
			while (width--)
				vtrace_buf_puts(b, "-");
		else
			vtrace_buf_printf(b, col == VTRACE_COL_NAME ? "%-*s" :
					  "%*s", col == VTRACE_COL_NAME &&
					  last ? 0 : width,
					  vtrace_cols[col].header);
	}
	vtrace_buf_puts(b, "\n");
}

/**
 * vtrace_summary_print() - Append the table
 * @v:		Module state
 * @b:		Buffer
 *
 * As strace's: sorted by time (-S: another column), ties by syscall
 * number; the total's share is 100.00 whatever the times, its shortest
 * and longest the shortest and longest call's.
 */
void vtrace_summary_print(struct vtrace *v, struct vtrace_buf *b)
{
	static const uint8_t strace_cols[] = {
		VTRACE_COL_PERCENT, VTRACE_COL_TOTAL, VTRACE_COL_AVG,
		VTRACE_COL_CALLS, VTRACE_COL_ERRORS, VTRACE_COL_NAME,
	};
	const uint8_t *cols = v->nsum_cols ? v->sum_cols : strace_cols;
	int ncols = v->nsum_cols ? v->nsum_cols : (int)sizeof(strace_cols);
	struct vtrace_count sum = { 0, 0, 0, 0, 0 };
	int order[FACET_NR_MAX], n = 0, i, width = 16;

	for (i = 0; i < FACET_NR_MAX; i++) {
		const struct vtrace_count *c = &v->counts[i];

		if (!c->calls)
			continue;
		order[n++] = i;
		if (!sum.calls || c->min < sum.min)
			sum.min = c->min;
		if (c->max > sum.max)
			sum.max = c->max;
		sum.calls += c->calls;
		sum.errors += c->errors;
		sum.time += c->time;
		/* strace widens the name to the longest and one more */
		if ((int)strlen(facet_syscall(i)->name) + 1 > width)
			width = strlen(facet_syscall(i)->name) + 1;
	}
	vtrace_sort_base = v->counts;
	vtrace_sort_col = v->sum_sort;
	qsort(order, n, sizeof(order[0]), vtrace_summary_cmp);
	vtrace_summary_line(b, cols, ncols, VTRACE_SUM_HEADER, NULL, 0, NULL,
			    width);
	vtrace_summary_line(b, cols, ncols, VTRACE_SUM_RULE, NULL, 0, NULL,
			    width);
	for (i = 0; i < n; i++) {
		const struct vtrace_count *c = &v->counts[order[i]];

		vtrace_summary_line(b, cols, ncols, VTRACE_SUM_ROW, c,
				    sum.time > 0 ? c->time * 100 / sum.time : 0,
				    facet_syscall(order[i])->name, width);
	}
	vtrace_summary_line(b, cols, ncols, VTRACE_SUM_RULE, NULL, 0, NULL,
			    width);
	vtrace_summary_line(b, cols, ncols, VTRACE_SUM_ROW, &sum, n ? 100 : 0,
			    "total", width);
}
