// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/unit/vtrace_filter.c - vtrace's --filter lists
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include <cmocka.h>

#include "../../modules/vtrace/vtrace.h"

static struct vtrace_filter f;

static int count(void)
{
	int i, n = 0;

	for (i = 0; i < FACET_NR_MAX; i++)
		n += !!f.want[i];
	return n;
}

static void ok(const char *spec)
{
	struct facet_err err = { "" };

	assert_int_equal(vtrace_filter_parse(&f, spec, &err), 0);
	assert_string_equal(err.msg, "");
}

static void test_classes(void **state)
{
	(void)state;
	ok("file");
	assert_true(f.want[SYS_openat] && f.want[SYS_execve]);
	assert_false(f.want[SYS_read] || f.want[SYS_close]);
	ok("%file");
	assert_true(f.want[SYS_openat]);
	ok("trace=%net");
	assert_true(f.want[SYS_connect] && f.want[SYS_socket]);
	assert_false(f.want[SYS_openat]);
	ok("process,signal");
	assert_true(f.want[SYS_execve] && f.want[SYS_kill]);
}

static void test_names_and_not(void **state)
{
	int all;

	(void)state;
	ok("all");
	all = count();
	assert_true(all > 300);
	ok("openat,read");
	assert_int_equal(count(), 2);
	ok("desc,!close");
	assert_true(f.want[SYS_read]);
	assert_false(f.want[SYS_close]);
	/* only exclusions: from everything */
	ok("!close,!mmap");
	assert_int_equal(count(), all - 2);
	ok("!file");
	assert_false(f.want[SYS_openat]);
	assert_true(f.want[SYS_read]);
	/* a leading '!' negates the whole list, as strace's */
	ok("!close,mmap");
	assert_int_equal(count(), all - 2);
	assert_false(f.want[SYS_close] || f.want[SYS_mmap]);
	ok("trace=!file,close");
	assert_false(f.want[SYS_openat] || f.want[SYS_close]);
	assert_true(f.want[SYS_read]);
	/* empty items are skipped */
	ok("openat,,read,");
	assert_int_equal(count(), 2);
}

static void bad(const char *spec, const char *msg)
{
	struct facet_err err = { "" };

	assert_int_equal(vtrace_filter_parse(&f, spec, &err), -EINVAL);
	if (!strstr(err.msg, msg))
		fail_msg("%s: %s", spec, err.msg);
}

/* strace's /REGEX, ?NAME, none and t= */
static void test_strace_syntax(void **state)
{
	(void)state;
	ok("trace=/^(openat|close)$");
	assert_int_equal(count(), 2);
	assert_true(f.want[SYS_openat] && f.want[SYS_close]);
	ok("/stat,!newfstatat");
	assert_true(f.want[SYS_statx] && f.want[SYS_fstatfs]);
	assert_false(f.want[SYS_newfstatat] || f.want[SYS_read]);
	ok("?no_such_call,getpid");
	assert_int_equal(count(), 1);
	assert_true(f.want[SYS_getpid]);
	ok("none");
	assert_int_equal(count(), 0);
	ok("t=read");
	assert_int_equal(count(), 1);
}

static void test_errors(void **state)
{
	(void)state;
	bad("file,nosuch", "'nosuch' in the filter is neither");
	bad("!", "empty name after '!'");
	bad("%", "'%' in the filter");
	bad("/(", "not a valid regular expression");
	bad("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	    "too long");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classes),
		cmocka_unit_test(test_names_and_not),
		cmocka_unit_test(test_strace_syntax),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
