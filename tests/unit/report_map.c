// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/unit/report_map.c - cli/cli_report_map.c: string-keyed records
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "../../cli/cli_report.h"

struct rec {
	long n;
};

static void test_add_get(void **state)
{
	struct report_map m = {0};
	struct rec *a, *b;

	(void)state;
	assert_null(report_map_get(&m, "x"));
	a = report_map_add(&m, "openat", sizeof(*a));
	assert_non_null(a);
	assert_int_equal(a->n, 0);
	a->n = 7;
	b = report_map_add(&m, "openat", sizeof(*b));
	assert_ptr_equal(a, b);
	assert_int_equal(m.n, 1);
	assert_ptr_equal(report_map_get(&m, "openat"), a);
	assert_null(report_map_get(&m, "open"));
	assert_null(report_map_get(&m, ""));
	assert_non_null(report_map_add(&m, "", sizeof(*a)));
	assert_non_null(report_map_get(&m, ""));
	report_map_free(&m);
	assert_int_equal(m.n, 0);
}

/* Many keys: growth keeps every record, in insertion order */
static void test_grow_order(void **state)
{
	struct report_map m = {0};
	char key[32];
	int i;

	(void)state;
	for (i = 0; i < 5000; i++) {
		struct rec *r;

		snprintf(key, sizeof(key), "/path/%d", i);
		r = report_map_add(&m, key, sizeof(*r));
		assert_non_null(r);
		r->n = i;
	}
	assert_int_equal(m.n, 5000);
	for (i = 0; i < 5000; i++) {
		struct rec *r;

		snprintf(key, sizeof(key), "/path/%d", i);
		r = report_map_get(&m, key);
		assert_non_null(r);
		assert_int_equal(r->n, i);
		assert_string_equal(m.keys[i], key);
		assert_ptr_equal(m.vals[i], r);
	}
	assert_null(report_map_get(&m, "/path/5000"));
	report_map_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_get),
		cmocka_unit_test(test_grow_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
