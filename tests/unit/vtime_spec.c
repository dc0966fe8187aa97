// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/unit/vtime_spec.c - The --time SPEC and --time-rate parser
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../modules/vtime/vtime_spec.c"

#define NS	VTIME_NS

static struct vtime_spec parse_ok(const char *s)
{
	struct facet_err err = { "" };
	struct vtime_spec sp;

	assert_int_equal(vtime_spec_parse(&sp, s, &err), 0);
	assert_string_equal(err.msg, "");
	return sp;
}

static void parse_bad(const char *s)
{
	struct facet_err err = { "" };
	struct vtime_spec sp = { .kind = VTIME_START_AT, .ns = 42 };

	assert_int_equal(vtime_spec_parse(&sp, s, &err), -EINVAL);
	if (!strstr(err.msg, s))
		fail_msg("%s: %s", s, err.msg);
	assert_null(strchr(err.msg, '\n'));
	assert_int_equal(sp.kind, VTIME_START_AT);	/* untouched */
	assert_int_equal(sp.ns, 42);
}

static void test_frozen(void **state)
{
	struct vtime_spec sp = parse_ok("2000-01-01 12:00:00");

	(void)state;
	assert_int_equal(sp.kind, VTIME_FROZEN);
	assert_true(sp.ns == 946728000LL * NS);
	assert_false(sp.has_rate);
	sp = parse_ok("1999-12-31");
	assert_true(sp.ns == 946598400LL * NS);
	sp = parse_ok("2038-01-19 03:14");
	assert_true(sp.ns == 2147483640LL * NS);
	sp = parse_ok("1960-01-01 00:00:00");
	assert_true(sp.ns == -315619200LL * NS);
	/* one-digit fields, as libfaketime's strptime() takes them */
	assert_true(parse_ok("2038-1-9 3:4:5").ns == 2146619045LL * NS);
	assert_true(parse_ok("@2038-1-19 03:14 x2").ns == 2147483640LL * NS);
	assert_true(parse_ok("2000-1-1").ns == 946684800LL * NS);
}

/* ISO 8601: 'T' between date and time, a zone (the local zone is UTC here,
 * so "+02:00" must move the instant by itself) */
static void test_iso8601(void **state)
{
	struct vtime_spec sp = parse_ok("2038-01-19T03:14:07Z");

	(void)state;
	assert_int_equal(sp.kind, VTIME_FROZEN);
	assert_true(sp.ns == 2147483647LL * NS);
	assert_true(parse_ok("2038-01-19T03:14").ns == 2147483640LL * NS);
	assert_true(parse_ok("2038-01-19T05:14:07+02:00").ns ==
		    2147483647LL * NS);
	assert_true(parse_ok("2038-01-19T02:44:07-0030").ns ==
		    2147483647LL * NS);
	assert_true(parse_ok("2038-01-19T04:14:07+01").ns == 2147483647LL * NS);
	sp = parse_ok("@2038-01-19T03:14:07Z x10");
	assert_int_equal(sp.kind, VTIME_START_AT);
	assert_true(sp.ns == 2147483647LL * NS);
	assert_true(sp.rate == 10);
}

static void test_start_at(void **state)
{
	struct vtime_spec sp = parse_ok("@2000-01-01 12:00:00");

	(void)state;
	assert_int_equal(sp.kind, VTIME_START_AT);
	assert_true(sp.ns == 946728000LL * NS);
	sp = parse_ok("@2038-01-19 03:14:07 x10");
	assert_int_equal(sp.kind, VTIME_START_AT);
	assert_true(sp.ns == 2147483647LL * NS);
	assert_true(sp.has_rate);
	assert_true(sp.rate == 10);
}

static void test_offset(void **state)
{
	struct vtime_spec sp = parse_ok("+3d");

	(void)state;
	assert_int_equal(sp.kind, VTIME_OFFSET);
	assert_true(sp.ns == 3 * 86400LL * NS);
	assert_true(parse_ok("-2h").ns == -7200LL * NS);
	assert_true(parse_ok("+1.5y").ns == 365 * 86400LL * 3 / 2 * NS);
	assert_true(parse_ok("+90").ns == 90LL * NS);
	assert_true(parse_ok("+90s").ns == 90LL * NS);
	assert_true(parse_ok("-10m").ns == -600LL * NS);
	assert_true(parse_ok("+0.5s").ns == NS / 2);
	assert_true(parse_ok("+.25m").ns == 15LL * NS);
	sp = parse_ok("-1d x0.5");
	assert_true(sp.ns == -86400LL * NS);
	assert_true(sp.rate == 0.5);
}

static void test_rate_only(void **state)
{
	struct vtime_spec sp = parse_ok("x10");

	(void)state;
	assert_int_equal(sp.kind, VTIME_OFFSET);
	assert_true(sp.ns == 0);
	assert_true(sp.has_rate && sp.rate == 10);
	sp = parse_ok("x0");
	assert_true(sp.has_rate && sp.rate == 0);
}

/* libfaketime's 'iSTEP', also with ',' as the decimal point */
static void test_step(void **state)
{
	struct vtime_spec sp = parse_ok("@2038-01-19 03:14:07 i2.0");

	(void)state;
	assert_int_equal(sp.kind, VTIME_START_AT);
	assert_true(sp.step == 2 * NS);
	assert_false(sp.has_rate);
	sp = parse_ok("i0,5");
	assert_int_equal(sp.kind, VTIME_OFFSET);
	assert_true(sp.ns == 0 && sp.step == NS / 2);
	sp = parse_ok("+1y I3");
	assert_true(sp.ns == 365 * 86400LL * NS && sp.step == 3 * NS);
	assert_true(parse_ok("2000-01-01 12:00:00 i2").step == 2 * NS);
	assert_true(parse_ok("+1d x2,5").rate == 2.5);
	assert_true(parse_ok("+1d").step == 0);
	parse_bad("i0");
	parse_bad("i");
	parse_bad("i-1");
	parse_bad("+1d i2s");
	parse_bad("+1d i1e7");
}

static void test_bad_specs(void **state)
{
	(void)state;
	parse_bad("");
	parse_bad("bogus");
	parse_bad("+");
	parse_bad("+3w");
	parse_bad("+3dd");
	parse_bad("3d");
	parse_bad("@");
	parse_bad("@yesterday");
	parse_bad("2000-13-01 00:00:00");
	parse_bad("2000-01-01 25:00:00");
	parse_bad("2000-01-01 12:00:00 y10");
	parse_bad("2000-01-01 12:00:00 x");
	parse_bad("+1e300y");
	parse_bad("+400y");
	parse_bad("x-1");
	parse_bad("xnan");
	parse_bad("+nan");
	parse_bad("+infd");
	parse_bad("2038-01-19T03:14:07Zx");
	parse_bad("2038-01-19T03:14:07+25:00");
	parse_bad("2038-01-19T03:14:07+2");
	parse_bad("38-01-19 03:14:07");
	parse_bad("20380-1-19");
	parse_bad("2038-1-");
	parse_bad("2038-1-9 3:4:5:6");
}

static void test_rate(void **state)
{
	struct facet_err err = { "" };
	double r;

	(void)state;
	assert_int_equal(vtime_rate_parse(&r, "10", &err), 0);
	assert_true(r == 10);
	assert_int_equal(vtime_rate_parse(&r, "x0.5", &err), 0);
	assert_true(r == 0.5);
	assert_int_equal(vtime_rate_parse(&r, "0", &err), 0);
	assert_true(r == 0);
	assert_int_equal(vtime_rate_parse(&r, "-1", &err), -EINVAL);
	assert_non_null(strstr(err.msg, "'-1'"));
	assert_int_equal(vtime_rate_parse(&r, "", &err), -EINVAL);
	assert_int_equal(vtime_rate_parse(&r, "x", &err), -EINVAL);
	assert_int_equal(vtime_rate_parse(&r, "10x", &err), -EINVAL);
	assert_int_equal(vtime_rate_parse(&r, "inf", &err), -EINVAL);
	assert_int_equal(vtime_rate_parse(&r, "1e7", &err), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_frozen),
		cmocka_unit_test(test_iso8601),
		cmocka_unit_test(test_start_at),
		cmocka_unit_test(test_offset),
		cmocka_unit_test(test_rate_only),
		cmocka_unit_test(test_step),
		cmocka_unit_test(test_bad_specs),
		cmocka_unit_test(test_rate),
	};

	setenv("TZ", "UTC", 1);
	tzset();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
