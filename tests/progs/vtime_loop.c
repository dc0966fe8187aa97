// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/progs/vtime_loop.c - Time clock_gettime() in a loop, for bench/
 *
 * Usage: vtime_loop N
 * Calls clock_gettime(CLOCK_REALTIME) through libc (the vDSO when there is
 * one) N times and prints the median over 9 batches of the ns per call.
 * The batches are timed with CLOCK_MONOTONIC: run it at rate 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "loop_timing.h"

int main(int argc, char **argv)
{
	volatile long sink = 0;
	struct timespec ts;
	double batch[9], t0;
	long n, i;
	int b;

	if (argc < 2)
		return 2;
	n = atol(argv[1]) / 9 + 1;
	for (b = 0; b < 9; b++) {
		t0 = now_ns();
		for (i = 0; i < n; i++) {
			clock_gettime(CLOCK_REALTIME, &ts);
			sink += ts.tv_nsec;
		}
		batch[b] = (now_ns() - t0) / n;
	}
	qsort(batch, 9, sizeof(batch[0]), cmp_double);
	printf("%.1f\n", batch[4]);
	(void)sink;
	return 0;
}
