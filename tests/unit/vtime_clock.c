// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/unit/vtime_clock.c - Real to virtual time and back
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../modules/vtime/vtime_clock.c"

#define NS	VTIME_NS

static struct vtime_shared sh;

/* A view whose realtime clock showed @v0 s when the real one showed @r0 s */
static struct vtime_state view(int64_t v0, int64_t r0, double rate,
			       int mono_real)
{
	struct vtime_state s = { .spec = { .kind = VTIME_START_AT,
					   .rate = rate, .has_rate = 1 },
				 .mono_real = mono_real, .sh = &sh };

	memset(&sh, 0, sizeof(sh));
	vtime_clock_start(&s, 1);
	sh.v0 = v0 * NS;
	sh.r0 = r0 * NS;
	sh.m0[VTIME_BASE_MONO] = 1000 * NS;
	return s;
}

static void test_realtime(void **state)
{
	struct vtime_state s = view(946684800, 1700000000, 10, 0);

	(void)state;
	assert_true(vtime_to_virt(&s, VTIME_BASE_REAL, 1700000000 * NS) ==
		    946684800 * NS);
	assert_true(vtime_to_virt(&s, VTIME_BASE_REAL, 1700000001 * NS) ==
		    946684810 * NS);
	/* a deadline 10 virtual s ahead is 1 real s ahead */
	assert_true(vtime_abs_to_real(&s, VTIME_BASE_REAL, 946684810 * NS) ==
		    1700000001 * NS);
	assert_true(vtime_dur_to_real(&s, VTIME_BASE_REAL, 10 * NS) == NS);
	assert_true(vtime_dur_to_real(&s, VTIME_BASE_REAL, 1) == 1);
	assert_true(vtime_dur_to_real(&s, VTIME_BASE_REAL, 11) == 2);
	assert_true(vtime_dur_to_virt(&s, VTIME_BASE_REAL, NS) == 10 * NS);
}

static void test_monotonic(void **state)
{
	struct vtime_state s = view(0, 0, 10, 0);
	int64_t t, last = 0;

	(void)state;
	assert_true(vtime_faked(&s, VTIME_BASE_MONO));
	assert_true(vtime_to_virt(&s, VTIME_BASE_MONO, 1000 * NS) ==
		    1000 * NS);
	assert_true(vtime_to_virt(&s, VTIME_BASE_MONO, 1001 * NS) ==
		    1010 * NS);
	for (t = 1000 * NS; t < 1000 * NS + 100000; t += 7) {
		int64_t v = vtime_to_virt(&s, VTIME_BASE_MONO, t);

		assert_true(v >= last);
		last = v;
	}
	assert_true(vtime_abs_to_real(&s, VTIME_BASE_MONO, 1010 * NS) ==
		    1001 * NS);
	s = view(0, 0, 10, 1);
	assert_false(vtime_faked(&s, VTIME_BASE_MONO));
	assert_true(vtime_factor(&s, VTIME_BASE_MONO) == 1);
	assert_true(vtime_to_virt(&s, VTIME_BASE_MONO, 5 * NS) == 5 * NS);
	assert_false(vtime_faked(&s, VTIME_BASE_NONE));
}

static void test_frozen(void **state)
{
	struct vtime_state s;
	int64_t r, now;

	(void)state;
	memset(&sh, 0, sizeof(sh));
	s = (struct vtime_state){ .spec = { .kind = VTIME_FROZEN,
					    .ns = 946684800 * NS },
				  .sh = &sh };
	vtime_clock_start(&s, 1);
	assert_true(s.rate == 0);
	assert_true(s.mrate == 1);	/* timeouts still end */
	assert_true(vtime_to_virt(&s, VTIME_BASE_REAL, sh.r0 + 5 * NS) ==
		    946684800 * NS);
	assert_true(vtime_dur_to_real(&s, VTIME_BASE_REAL, 3 * NS) == 3 * NS);
	/* a frozen clock's future deadline waits the distance in real time */
	r = vtime_abs_to_real(&s, VTIME_BASE_REAL, 946684802 * NS);
	now = vtime_real_now(VTIME_BASE_REAL);
	assert_true(r - now > NS && r - now <= 2 * NS);
}

/* 'i2': each realtime read one step later, across the view; set restarts */
static void test_step(void **state)
{
	struct vtime_state s;
	int64_t ns, r, now;

	(void)state;
	memset(&sh, 0, sizeof(sh));
	s = (struct vtime_state){ .spec = { .kind = VTIME_FROZEN,
					    .ns = 946684800 * NS,
					    .step = 2 * NS },
				  .sh = &sh };
	vtime_clock_start(&s, 1);
	assert_true(s.rate == 0);
	assert_true(s.mrate == 1);
	assert_true(vtime_virt_now(&s, CLOCK_REALTIME) == 946684800 * NS);
	assert_int_equal(vtime_virt_read(&s, CLOCK_REALTIME_COARSE, &ns), 0);
	assert_true(ns == 946684802 * NS);
	assert_true(vtime_virt_now(&s, CLOCK_REALTIME) == 946684804 * NS);
	/* monotonic clocks and conversions do not step */
	vtime_virt_now(&s, CLOCK_BOOTTIME);
	r = vtime_abs_to_real(&s, VTIME_BASE_REAL, 946684805 * NS);
	now = vtime_real_now(VTIME_BASE_REAL);
	assert_true(r - now > 0 && r - now <= NS);	/* from the last read */
	assert_true(vtime_virt_now(&s, CLOCK_REALTIME) == 946684806 * NS);
	vtime_clock_set(&s, 2000000000 * NS);
	assert_true(vtime_virt_now(&s, CLOCK_REALTIME) == 2000000000 * NS);
	assert_true(vtime_virt_now(&s, CLOCK_REALTIME) == 2000000002 * NS);
}

static void test_set_and_shift(void **state)
{
	struct vtime_state s = view(946684800, 1700000000, 1, 0);
	int64_t now;

	(void)state;
	vtime_clock_set(&s, 1262304000 * NS);
	now = vtime_virt_now(&s, CLOCK_REALTIME);
	assert_true(now >= 1262304000 * NS && now < 1262304001 * NS);
	vtime_clock_shift(&s, -3600 * NS);
	now = vtime_virt_now(&s, CLOCK_REALTIME);
	assert_true(now >= 1262300400 * NS && now < 1262300401 * NS);
	assert_int_equal(sh.seq, 4);
}

/* A writer that died mid-update (odd sequence) hangs nobody */
static void test_dead_writer(void **state)
{
	struct vtime_state s = view(946684800, 1700000000, 1, 0);

	(void)state;
	sh.seq = 5;
	assert_true(vtime_to_virt(&s, VTIME_BASE_REAL, 1700000000 * NS) ==
		    946684800 * NS);
	vtime_clock_set(&s, 1262304000 * NS);
	assert_int_equal(sh.seq, 6);
	assert_true(vtime_virt_now(&s, CLOCK_REALTIME) >= 1262304000 * NS);
}

static void test_files(void **state)
{
	struct vtime_state s = view(946684800, 1700000000, 10, 0);
	int64_t t, last = INT64_MIN;

	(void)state;
	/* older than the base: shifted by the offset; newer: at the rate */
	assert_true(vtime_file_to_virt(&s, 1699999000 * NS) ==
		    946683800 * NS);
	assert_true(vtime_file_to_virt(&s, 1700000010 * NS) ==
		    946684900 * NS);
	for (t = 1699999990 * NS; t < 1700000010 * NS; t += NS / 3) {
		int64_t v = vtime_file_to_virt(&s, t);

		assert_true(v > last);	/* ordered: make keeps working */
		assert_true(vtime_file_to_real(&s, v) == t);
		last = v;
	}
	/* a frozen clock still keeps file times ordered and invertible */
	s.rate = 0;
	assert_true(vtime_file_to_virt(&s, 1700000010 * NS) ==
		    946684810 * NS);
	assert_true(vtime_file_to_real(&s, 946684810 * NS) ==
		    1700000010 * NS);
}

static void test_saturation(void **state)
{
	struct vtime_state s = view(0, 0, 1e6, 0);

	(void)state;
	assert_true(vtime_to_virt(&s, VTIME_BASE_REAL, INT64_MAX / 2) ==
		    INT64_MAX);
	s = view(0, 0, 0.001, 0);
	assert_true(vtime_dur_to_real(&s, VTIME_BASE_REAL, INT64_MAX / 2) ==
		    INT64_MAX);
}

/* Views centuries from the real clock: differences that do not fit in
 * int64 ns saturate instead of wrapping to the other side */
static void test_far_views(void **state)
{
	/* 1740 and 2100, as seconds since the epoch */
	const int64_t y1740 = -7258118400LL, y2100 = 4102444800LL;
	struct vtime_state s = view(y2100, 1700000000, 1, 0);

	(void)state;
	/* 1970 in a view of 2100 is 130 years before the real now: the
	 * kernel takes no deadline before 1970, any past instant does */
	assert_true(vtime_abs_to_real(&s, VTIME_BASE_REAL, NS) == 1);
	assert_true(vtime_abs_to_real(&s, VTIME_BASE_REAL, y2100 * NS + NS) ==
		    1700000001 * NS);
	/* 2038 in a view of 1740: far in the future, not in the past */
	s = view(y1740, 1700000000, 1, 0);
	assert_true(vtime_abs_to_real(&s, VTIME_BASE_REAL,
				      2147483647LL * NS) == INT64_MAX);
	s.rate = 0;
	assert_true(vtime_abs_to_real(&s, VTIME_BASE_REAL,
				      2147483647LL * NS) == INT64_MAX);
	/* a file of the real now in a view of 1740, and one set to 1690 */
	assert_true(vtime_file_to_virt(&s, 1699999999 * NS) ==
		    (y1740 - 1) * NS);
	assert_true(vtime_file_to_real(&s, -8835868800LL * NS) ==
		    (1700000000 - 8835868800LL + 7258118400LL) * NS);
}

static void test_bases(void **state)
{
	(void)state;
	assert_int_equal(vtime_clock_base(CLOCK_REALTIME), VTIME_BASE_REAL);
	assert_int_equal(vtime_clock_base(CLOCK_REALTIME_COARSE),
			 VTIME_BASE_REAL);
	assert_int_equal(vtime_clock_base(CLOCK_TAI), VTIME_BASE_REAL);
	assert_int_equal(vtime_clock_base(CLOCK_MONOTONIC_COARSE),
			 VTIME_BASE_MONO);
	assert_int_equal(vtime_clock_base(CLOCK_MONOTONIC_RAW),
			 VTIME_BASE_RAW);
	assert_int_equal(vtime_clock_base(CLOCK_BOOTTIME_ALARM),
			 VTIME_BASE_BOOT);
	assert_int_equal(vtime_clock_base(CLOCK_PROCESS_CPUTIME_ID),
			 VTIME_BASE_NONE);
	assert_int_equal(vtime_clock_base(-6), VTIME_BASE_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_realtime),
		cmocka_unit_test(test_monotonic),
		cmocka_unit_test(test_frozen),
		cmocka_unit_test(test_step),
		cmocka_unit_test(test_set_and_shift),
		cmocka_unit_test(test_dead_writer),
		cmocka_unit_test(test_files),
		cmocka_unit_test(test_saturation),
		cmocka_unit_test(test_far_views),
		cmocka_unit_test(test_bases),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
