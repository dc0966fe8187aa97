// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/unit/report_output.c - cli/cli_report_text.c, _tree.c, _html.c,
 *				_svg.c, _diff.c: what the report writes
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../cli/cli_report.h"

#define HDR "{\"type\":\"header\",\"v\":1,\"argv\":[\"p\"],\"start\":0}\n"

static void load(struct report_trace *t, const char *text)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	struct facet_err err = {""};

	memset(t, 0, sizeof(*t));
	assert_int_equal(report_load_stream(t, f, "t", &err), 0);
	fclose(f);
}

/* Run @fn on @t into a string (to free) */
static char *capture(void (*fn)(FILE *, const struct report_trace *),
		     const struct report_trace *t)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	fn(f, t);
	fclose(f);
	return buf;
}

static void html(FILE *f, const struct report_trace *t)
{
	assert_int_equal(report_html(f, t), 0);
}

static void tree(FILE *f, const struct report_trace *t)
{
	report_tree(f, t, false);
}

static void expect_in(const char *hay, const char *needle)
{
	if (!strstr(hay, needle))
		fail_msg("'%s' not in:\n%s", needle, hay);
}

/* Fork cycles (reused pids) and unknown parents still print every pid */
static void test_tree(void **state)
{
	struct report_trace t;
	char *out;

	(void)state;
	load(&t, HDR "{\"type\":\"fork\",\"pid\":2,\"ppid\":1}\n"
		     "{\"type\":\"fork\",\"pid\":3,\"ppid\":2}\n"
		     "{\"type\":\"fork\",\"pid\":4,\"ppid\":1}\n"
		     "{\"type\":\"exec\",\"pid\":3,\"argv\":[\"c\"]}\n"
		     "{\"type\":\"fork\",\"pid\":8,\"ppid\":9}\n"
		     "{\"type\":\"fork\",\"pid\":9,\"ppid\":8}\n");
	out = capture(tree, &t);
	expect_in(out, "\nProcess tree\n1 p [no exit seen]\n"
		       "|- 2 p [no exit seen]\n"
		       "|  `- 3 c [no exit seen]\n"
		       "`- 4 p [no exit seen]\n");
	expect_in(out, "9 p [no exit seen]\n`- 8 p");
	free(out);
	report_free(&t);
}

/* Strings from the trace are escaped; charts and numbers are there */
static void test_html(void **state)
{
	struct report_trace t;
	char *out;

	(void)state;
	load(&t, HDR "{\"type\":\"syscall\",\"pid\":1,\"name\":\"openat\","
		     "\"dur\":0.5,\"classes\":[\"file\"],"
		     "\"paths\":[\"/x<script>&\\\"\"]}\n");
	out = capture(html, &t);
	expect_in(out, "<!DOCTYPE html>");
	expect_in(out, "/x&lt;script&gt;&amp;&quot;");
	assert_null(strstr(out, "<script>"));
	expect_in(out, "<svg class=\"chart\" id=\"timeline\"");
	expect_in(out, "<svg class=\"chart\" id=\"topcalls\"");
	expect_in(out, "0.500000");
	assert_null(strstr(out, "http://www.w3.org/2000/svg\" href"));
	free(out);
	report_free(&t);
}

/* Above the event limit the timeline bins calls instead */
static void test_html_binned(void **state)
{
	char *text = NULL, *out;
	struct report_trace t;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	int i;

	(void)state;
	fputs(HDR, f);
	for (i = 0; i < 20000; i++)
		fprintf(f,
			"{\"type\":\"syscall\",\"pid\":%d,\"rel\":%d,"
			"\"name\":\"read\",\"dur\":0.1}\n",
			1 + i % 3, i);
	fclose(f);
	load(&t, text);
	out = capture(html, &t);
	expect_in(out, " calls</title></rect>");
	assert_true(strlen(out) < 400000);
	free(out);
	free(text);
	report_free(&t);
}

static void test_diff(void **state)
{
	const char *a =
		HDR "{\"type\":\"syscall\",\"pid\":1,\"name\":"
		    "\"openat\",\"classes\":[\"file\"],\"paths\":[\"/a\"]}\n"
		    "{\"type\":\"syscall\",\"pid\":1,\"name\":\"sendto\","
		    "\"sockaddr\":\"inet:1.2.3.4:5\"}\n";
	const char *b =
		HDR "{\"type\":\"syscall\",\"pid\":7,\"name\":"
		    "\"openat\",\"classes\":[\"file\"],\"paths\":[\"/b\"]}\n";
	struct report_trace ta, tb;
	char *out = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	load(&ta, a);
	load(&tb, b);
	f = open_memstream(&out, &len);
	assert_int_equal(report_diff(f, &ta, &ta), 0);
	assert_int_equal(report_diff(f, &ta, &tb), 1);
	fclose(f);
	expect_in(out, "\n0 differences\n");
	expect_in(out, "Files opened only in A\n  /a (openat)\n");
	expect_in(out, "Files opened only in B\n  /b (openat)\n");
	expect_in(out, "Endpoints only in A\n  inet:1.2.3.4:5 (sendto)\n");
	expect_in(out, "  sendto                            1          0\n");
	expect_in(out, "\n4 differences\n");
	free(out);
	report_free(&ta);
	report_free(&tb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tree),
		cmocka_unit_test(test_html),
		cmocka_unit_test(test_html_binned),
		cmocka_unit_test(test_diff),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
