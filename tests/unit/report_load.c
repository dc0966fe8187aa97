// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/unit/report_load.c - cli/cli_report_load.c, _record.c, _syscall.c:
 *			      reading JSONL traces into a report
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../cli/cli_report.h"

#define HDR                                                                    \
	"{\"type\":\"header\",\"v\":1,\"facet\":\"0.1\","                      \
	"\"argv\":[\"prog\",\"a b\"],\"start\":100.0}\n"

/* Load @text into @t; return what report_load_stream() returns */
static int load(struct report_trace *t, const char *text, struct facet_err *err)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int ret;

	assert_non_null(f);
	memset(t, 0, sizeof(*t));
	memset(err, 0, sizeof(*err));
	ret = report_load_stream(t, f, "t.jsonl", err);
	fclose(f);
	return ret;
}

static void test_totals(void **state)
{
	const char *text =
		HDR "{\"type\":\"exec\",\"v\":1,\"ts\":100.0,\"pid\":5,"
		    "\"path\":\"/bin/x\",\"argv\":[\"x\",\"-v\"]}\n"
		    "{\"type\":\"syscall\",\"v\":1,\"rel\":0.5,\"pid\":5,"
		    "\"tid\":5,\"name\":\"openat\",\"dur\":0.25,"
		    "\"classes\":[\"file\",\"desc\"],\"paths\":[\"/a\"],"
		    "\"args\":[\"AT_FDCWD\",\"\\\"/a\\\"\"],\"ret\":3,"
		    "\"retstr\":\"3</a>\"}\n"
		    "{\"type\":\"syscall\",\"v\":1,\"ts\":101.0,\"pid\":5,"
		    "\"name\":\"openat\",\"dur\":0.5,\"errno\":\"ENOENT\","
		    "\"classes\":[\"FILE\"],\"paths\":[\"/b\"],\"ret\":-1}\n"
		    "{\"type\":\"syscall\",\"v\":1,\"pid\":5,\"name\":"
		    "\"newfstatat\",\"classes\":[\"file\"],\"paths\":[\"\"]}\n"
		    "{\"type\":\"syscall\",\"v\":1,\"rel\":2,\"pid\":6,"
		    "\"name\":\"connect\",\"dur\":1,\"classes\":[\"network\"],"
		    "\"sockaddr\":\"unix:/run/s\"}\n"
		    "{\"type\":\"fork\",\"v\":1,\"ts\":100.1,\"pid\":6,"
		    "\"ppid\":5}\n"
		    "{\"type\":\"exit\",\"v\":1,\"ts\":103,\"pid\":6,"
		    "\"signal\":\"SIGTERM\"}\n"
		    "{\"type\":\"exit\",\"v\":1,\"ts\":104,\"pid\":5,"
		    "\"status\":3}\n";
	struct report_proc *p5, *p6;
	struct report_endpoint *e;
	struct report_trace t;
	struct facet_err err;
	struct report_sc *sc;

	(void)state;
	assert_int_equal(load(&t, text, &err), 0);
	assert_string_equal(t.cmd, "prog 'a b'");
	assert_string_equal(t.version, "0.1");
	assert_int_equal(t.calls, 4);
	assert_int_equal(t.errors, 1);
	/* AT_EMPTY_PATH: not a file */
	assert_int_equal(t.files.n, 1);
	assert_int_equal(t.procs.n, 2);
	p5 = report_map_get(&t.procs, "5");
	p6 = report_map_get(&t.procs, "6");
	assert_string_equal(p5->cmd, "x -v");
	assert_int_equal(p5->calls, 3);
	assert_int_equal(p5->errors, 1);
	assert_true(p5->exited);
	assert_int_equal(p5->status, 3);
	assert_int_equal(p6->ppid, 5);
	assert_string_equal(p6->signal, "SIGTERM");
	assert_string_equal(report_proc_cmd(&t, p6), "x -v");
	sc = report_map_get(&t.scs, "openat");
	assert_int_equal(sc->calls, 2);
	assert_int_equal(sc->errors, 1);
	assert_true(sc->time > 0.74 && sc->time < 0.76);
	/* "rel" from "ts" minus the header's start */
	assert_true(t.ev[1].rel > 0.99 && t.ev[1].rel < 1.01);
	assert_non_null(report_map_get(&t.files, "/a"));
	assert_null(report_map_get(&t.files, "/b"));
	assert_string_equal(
		((struct report_file *)report_map_get(&t.failed, "/b"))->how,
		"ENOENT");
	e = report_map_get(&t.endpoints, "unix:/run/s\tconnect");
	assert_non_null(e);
	assert_string_equal(e->syscall, "connect");
	assert_int_equal(t.nslow, 4);
	assert_true(t.slow[0].dur == 1);
	assert_string_equal(t.slow[2].call, "openat(AT_FDCWD, \"/a\") = 3</a>");
	assert_string_equal(t.slow[1].call, "openat() = -1 ENOENT");
	assert_true(t.end >= 104 - 100 - 0.01);
	report_free(&t);
}

/* Unknown fields and record types are ignored */
static void test_forward_compatible(void **state)
{
	const char *text = HDR
		"{\"type\":\"syscall\",\"v\":1.7,\"pid\":1,\"name\":\"read\","
		"\"new\":{\"deep\":[1,{\"x\":null}]},\"classes\":[]}\n"
		"{\"type\":\"marker\",\"v\":1,\"text\":\"hi\"}\n"
		"\n";
	struct report_trace t;
	struct facet_err err;

	(void)state;
	assert_int_equal(load(&t, text, &err), 0);
	assert_int_equal(t.calls, 1);
	assert_int_equal(t.skipped, 1);
	assert_false(t.truncated);
	report_free(&t);
}

/* A last line cut short is skipped; what precedes it is kept */
static void test_truncated(void **state)
{
	const char *text = HDR
		"{\"type\":\"syscall\",\"v\":1,\"pid\":1,\"name\":\"read\"}\n"
		"{\"type\":\"syscall\",\"v\":1,\"pid\":1,\"na";
	struct report_trace t;
	struct facet_err err;

	(void)state;
	assert_int_equal(load(&t, text, &err), 0);
	assert_true(t.truncated);
	assert_int_equal(t.calls, 1);
	report_free(&t);
}

/* Each bad input fails with a message that names the file and line */
static void expect_error(const char *text, int errnum, const char *msg)
{
	struct report_trace t;
	struct facet_err err;

	assert_int_equal(load(&t, text, &err), -errnum);
	if (!strstr(err.msg, msg))
		fail_msg("message '%s' lacks '%s'", err.msg, msg);
	report_free(&t);
}

static void test_errors(void **state)
{
	(void)state;
	expect_error("", EINVAL, "t.jsonl: empty file, no trace recorded");
	expect_error("garbage", EINVAL, "t.jsonl:1: invalid JSON");
	expect_error("garbage\n", EINVAL, "t.jsonl:1: invalid JSON");
	expect_error("{\"type\":\"syscall\",\"pid\":1,\"name\":\"x\"}\n",
		     EINVAL, "t.jsonl:1: no trace header");
	expect_error(HDR "oops\n{\"type\":\"x\"}\n", EINVAL,
		     "t.jsonl:2: invalid JSON");
	expect_error(HDR "[1]\n", EINVAL,
		     "t.jsonl:2: a JSON value that is "
		     "not an object");
	/* strict JSON: no trailing comma, no single quotes */
	expect_error(HDR "{\"type\":\"x\",}\n", EINVAL, "t.jsonl:2:");
	expect_error(HDR "{'type':'x'}\n", EINVAL, "t.jsonl:2:");
	expect_error(HDR "{\"type\":\"x\"} {}\n", EINVAL, "t.jsonl:2:");
	expect_error(HDR "{\"type\":\"syscall\",\"v\":2,\"pid\":1}\n", ENOTSUP,
		     "t.jsonl:2: trace schema version 2 is newer");
	expect_error("{\"type\":\"header\",\"v\":3}\n", ENOTSUP,
		     "t.jsonl:1: trace schema version 3");
	expect_error(HDR "{\"type\":\"syscall\",\"v\":1,\"pid\":\"1\","
			 "\"name\":\"x\"}\n",
		     EINVAL,
		     "t.jsonl:2: syscall record without an integer \"pid\"");
	expect_error(HDR "{\"type\":\"syscall\",\"v\":1,\"pid\":1}\n", EINVAL,
		     "without a string \"name\"");
	expect_error(HDR "{\"v\":1}\n", EINVAL, "without a string \"type\"");
	expect_error(HDR "{\"type\":\"fork\",\"pid\":1}\n", EINVAL,
		     "fork record without an integer \"ppid\"");
}

/* The slowest-call list keeps the REPORT_NSLOW slowest, slowest first */
static void test_slowest(void **state)
{
	char *text = NULL;
	struct report_trace t;
	struct facet_err err;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	int i;

	(void)state;
	fputs(HDR, f);
	for (i = 0; i < 50; i++)
		fprintf(f,
			"{\"type\":\"syscall\",\"v\":1,\"pid\":1,"
			"\"name\":\"n%d\",\"dur\":%d}\n",
			i, (i * 37) % 50);
	fclose(f);
	assert_int_equal(load(&t, text, &err), 0);
	assert_int_equal(t.nslow, REPORT_NSLOW);
	for (i = 0; i < REPORT_NSLOW; i++)
		assert_true(t.slow[i].dur == 49 - i);
	report_free(&t);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_totals),
		cmocka_unit_test(test_forward_compatible),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_slowest),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
