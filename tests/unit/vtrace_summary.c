// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/unit/vtrace_summary.c - The --summary table, as strace -c
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include <cmocka.h>

#include "../../modules/vtrace/vtrace.h"

static struct vtrace v;

static void test_table(void **state)
{
	struct vtrace_buf b = { 0 };
	const char *want =
		"% time     seconds  usecs/call     calls    errors syscall\n"
		"------ ----------- ----------- --------- --------- "
		"----------------\n"
		" 75.00    0.000300         100         3         1 openat\n"
		" 25.00    0.000100          50         2           read\n"
		"  0.00    0.000000           0         1           "
		"exit_group\n"
		"------ ----------- ----------- --------- --------- "
		"----------------\n"
		"100.00    0.000400          66         6         1 total\n";

	(void)state;
	vtrace_summary_add(&v, SYS_read, 10, 0.00005);
	vtrace_summary_add(&v, SYS_openat, 3, 0.0001);
	vtrace_summary_add(&v, SYS_openat, -2, 0.0001);
	vtrace_summary_add(&v, SYS_openat, 4, 0.0001);
	vtrace_summary_add(&v, SYS_read, 0, 0.00005);
	vtrace_summary_add(&v, SYS_exit_group, 0, 0);
	vtrace_summary_add(&v, -1, 0, 1);		/* ignored */
	vtrace_summary_add(&v, FACET_NR_MAX, 0, 1);	/* ignored */
	vtrace_summary_print(&v, &b);
	assert_string_equal(b.p, want);
	vtrace_buf_free(&b);
}

static void test_empty(void **state)
{
	struct vtrace_buf b = { 0 };

	(void)state;
	memset(&v, 0, sizeof(v));
	vtrace_summary_print(&v, &b);
	assert_non_null(strstr(b.p, "  0.00    0.000000           0         0"
				    "           total\n"));
	vtrace_buf_free(&b);
}

/* strace's order for equal times (syscall number), its 100.00 total and
 * its syscall column as wide as the longest name and one more */
static void test_strace_layout(void **state)
{
	struct vtrace_buf b = { 0 };
	const char *want =
		"% time     seconds  usecs/call     calls    errors syscall\n"
		"------ ----------- ----------- --------- --------- "
		"------------------\n"
		"  0.00    0.000000           0         1           write\n"
		"  0.00    0.000000           0         1           "
		"sched_getaffinity\n"
		"------ ----------- ----------- --------- --------- "
		"------------------\n"
		"100.00    0.000000           0         2           total\n";

	(void)state;
	memset(&v, 0, sizeof(v));
	vtrace_summary_add(&v, SYS_sched_getaffinity, 0, 0);
	vtrace_summary_add(&v, SYS_write, 0, 0);
	vtrace_summary_print(&v, &b);
	assert_string_equal(b.p, want);
	vtrace_buf_free(&b);
}

/* -U: the columns asked for, the name last when not asked for; the
 * total's shortest and longest; -S name */
static void test_columns_sort(void **state)
{
	struct facet_err err = { "" };
	struct vtrace_buf b = { 0 };
	const char *want =
		"    calls shortest  longest syscall\n"
		"--------- -------- -------- ----------------\n"
		"        1 0.000300 0.000300 close\n"
		"        2 0.000010 0.000020 read\n"
		"--------- -------- -------- ----------------\n"
		"        3 0.000010 0.000300 total\n";

	(void)state;
	memset(&v, 0, sizeof(v));
	assert_int_equal(vtrace_summary_columns(&v, "count,shortest,max-time",
						&err), 0);
	assert_int_equal(vtrace_summary_sort_by(&v, "syscall_name", &err), 0);
	vtrace_summary_add(&v, SYS_read, 1, 0.00002);
	vtrace_summary_add(&v, SYS_read, 1, 0.00001);
	vtrace_summary_add(&v, SYS_close, 0, 0.0003);
	vtrace_summary_print(&v, &b);
	assert_string_equal(b.p, want);
	vtrace_buf_free(&b);
	assert_int_not_equal(vtrace_summary_columns(&v, "calls,count", &err),
			     0);
	assert_int_not_equal(vtrace_summary_sort_by(&v, "percent", &err), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_strace_layout),
		cmocka_unit_test(test_columns_sort),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
