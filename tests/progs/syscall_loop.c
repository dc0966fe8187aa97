// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/progs/syscall_loop.c - Time a syscall in a loop, for bench/
 *
 * Usage: syscall_loop getppid|openat N [PATH]
 * Prints the median over 9 batches of the ns per call (per openat+close).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	const char *path = argc > 3 ? argv[3] : "/etc/hostname";
	double batch[9], t0;
	long n, i;
	int b, open_mode;

	if (argc < 3)
		return 2;
	open_mode = !strcmp(argv[1], "openat");
	n = atol(argv[2]) / 9 + 1;
	for (b = 0; b < 9; b++) {
		t0 = now_ns();
		for (i = 0; i < n; i++) {
			if (open_mode) {
				long fd = syscall(SYS_openat, AT_FDCWD, path,
						  O_RDONLY | O_CLOEXEC);
				syscall(SYS_close, fd);
			} else {
				syscall(SYS_getppid);
			}
		}
		batch[b] = (now_ns() - t0) / n;
	}
	qsort(batch, 9, sizeof(batch[0]), cmp);
	printf("%.1f\n", batch[4]);
	return 0;
}
