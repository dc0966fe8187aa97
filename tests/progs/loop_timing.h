/* SPDX-License-Identifier: MIT */
/*
 * facet - tests/progs/loop_timing.h: the clock and the median sort the
 * timing loops share (batches of calls, the median batch printed)
 */
#ifndef FACET_TESTS_LOOP_TIMING_H
#define FACET_TESTS_LOOP_TIMING_H

#include <time.h>

/* nanoseconds on @clock, as a double (batches are divided by their size) */
static inline double clock_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static inline double now_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

/* qsort() comparison of doubles, for the median batch */
static inline int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

#endif
