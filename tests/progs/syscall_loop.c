// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/progs/syscall_loop.c - Time a syscall in a loop, for bench/
 *
 * Usage: syscall_loop getppid|openat|open N [PATH]
 *   getppid	syscall(SYS_getppid)
 *   openat	syscall(SYS_openat, ...) + syscall(SYS_close, fd)
 *   open	open() + close(), libc's functions (the shim's fast wrappers)
 * Prints the median over 9 batches of the ns per call (per openat+close),
 * wall-clock time, then the same in the thread's CPU time (what a loaded
 * machine's waits do not inflate).
 *
 * The path is copied to a fixed, cache-line aligned buffer first: read in
 * place from argv, its address moves with the size of the environment,
 * and that alone moved openat+close by about 100 ns here (a runner that
 * only adds a variable looked 100 ns slower than native).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "loop_timing.h"

int main(int argc, char **argv)
{
	static char path[4096] __attribute__((aligned(64)));
	double batch[9], cpu[9], t0, c0;
	long n, i;
	int b, mode;

	if (argc < 3)
		return 2;
	mode = !strcmp(argv[1], "openat") ? 1 :
	       !strcmp(argv[1], "open")   ? 2 : 0;
	snprintf(path, sizeof(path), "%s", argc > 3 ? argv[3] : "/etc/hostname");
	n = atol(argv[2]) / 9 + 1;
	for (b = 0; b < 9; b++) {
		t0 = clock_ns(CLOCK_MONOTONIC);
		c0 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
		for (i = 0; i < n; i++) {
			if (mode == 1) {
				long fd = syscall(SYS_openat, AT_FDCWD, path,
						  O_RDONLY | O_CLOEXEC);
				syscall(SYS_close, fd);
			} else if (mode == 2) {
				close(open(path, O_RDONLY | O_CLOEXEC));
			} else {
				syscall(SYS_getppid);
			}
		}
		batch[b] = (clock_ns(CLOCK_MONOTONIC) - t0) / n;
		cpu[b] = (clock_ns(CLOCK_THREAD_CPUTIME_ID) - c0) / n;
	}
	qsort(batch, 9, sizeof(batch[0]), cmp_double);
	qsort(cpu, 9, sizeof(cpu[0]), cmp_double);
	printf("%.1f %.1f\n", batch[4], cpu[4]);
	return 0;
}
