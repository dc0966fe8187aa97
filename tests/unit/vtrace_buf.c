// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/unit/vtrace_buf.c - vtrace's buffers: strace and JSON escaping
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../modules/vtrace/vtrace.h"

static void quote_is(const char *in, size_t n, size_t max, int cut,
		     const char *want)
{
	struct vtrace_buf b = { 0 };

	vtrace_buf_quote(&b, (const unsigned char *)in, n, max, cut);
	assert_string_equal(b.p, want);
	vtrace_buf_free(&b);
}

static void test_quote(void **state)
{
	(void)state;
	quote_is("hello\n", 6, 32, 0, "\"hello\\n\"");
	quote_is("\t\"x\"\\", 5, 32, 0, "\"\\t\\\"x\\\"\\\\\"");
	/* octal, three digits when a digit follows (as strace) */
	quote_is("\001\377", 2, 32, 0, "\"\\1\\377\"");
	quote_is("\0011", 2, 32, 0, "\"\\0011\"");
	quote_is("\0", 1, 32, 0, "\"\\0\"");
	/* -s: cut at max, "..." after */
	quote_is("abcdef", 6, 4, 0, "\"abcd\"...");
	quote_is("abcd", 4, 4, 1, "\"abcd\"...");
	quote_is("", 0, 32, 0, "\"\"");
}

static void json_is(const char *in, size_t n, const char *want)
{
	struct vtrace_buf b = { 0 };

	vtrace_buf_json(&b, in, n);
	assert_string_equal(b.len ? b.p : "", want);
	vtrace_buf_free(&b);
}

/* getrandom's bytes, as strace: every byte \xNN */
static void test_quote_hex(void **state)
{
	struct vtrace_buf b = { 0 };

	(void)state;
	vtrace_buf_quote_hex(&b, (const unsigned char *)"\x95\xe5" "A", 4, 32);
	assert_string_equal(b.p, "\"\\x95\\xe5\\x41\\x00\"");
	b.len = 0;
	vtrace_buf_quote_hex(&b, (const unsigned char *)"abc", 3, 2);
	assert_string_equal(b.p, "\"\\x61\\x62\"...");
	vtrace_buf_free(&b);
}

static void test_json(void **state)
{
	(void)state;
	json_is("a\"b\\c", 5, "a\\\"b\\\\c");
	json_is("x\ny\t", 4, "x\\ny\\u0009");
	json_is("\x01\x7f", 2, "\\u0001\\u007f");
	/* valid UTF-8 kept, stray bytes as code points */
	json_is("\xc3\xa9", 2, "\xc3\xa9");
	json_is("\xe2\x82\xac!", 4, "\xe2\x82\xac!");
	json_is("\xff", 1, "\\u00ff");
	json_is("\xc3", 1, "\\u00c3");
	json_is("\xe2\x82", 2, "\\u00e2\\u0082");
	json_is("", 0, "");
}

/* times without printf's %f: the program's locale, a small stack */
static void test_fixed(void **state)
{
	char t[VTRACE_FIXED];

	(void)state;
	assert_string_equal(vtrace_fixed(t, 1796607303.499963, 6),
			    "1796607303.499963");
	assert_string_equal(vtrace_fixed(t, 0.0000004, 6), "0.000000");
	assert_string_equal(vtrace_fixed(t, 1.9999996, 6), "2.000000");
	assert_string_equal(vtrace_fixed(t, -0.25, 3), "-0.250");
	assert_string_equal(vtrace_fixed(t, 12.5, 0), "13");
}

static void test_grow(void **state)
{
	struct vtrace_buf b = { 0 };
	int i;

	(void)state;
	for (i = 0; i < 10000; i++)
		vtrace_buf_printf(&b, "%d,", i % 10);
	assert_int_equal(b.len, 20000);
	assert_int_equal(strlen(b.p), 20000);
	assert_memory_equal(b.p + 19996, "8,9,", 4);
	b.len = 0;
	vtrace_buf_printf(&b, "%s", "");
	assert_int_equal(b.len, 0);
	vtrace_buf_free(&b);
	assert_null(b.p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quote),
		cmocka_unit_test(test_quote_hex),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_grow),
		cmocka_unit_test(test_fixed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
