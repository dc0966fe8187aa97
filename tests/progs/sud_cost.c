// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/progs/sud_cost.c - What catching raw syscalls costs the calls
 * that are let through, for bench/preload.sh and docs/design.md
 *
 * Usage: sud_cost [getppid|openat] [ROUNDS]
 * Alternates batches in one process, on one CPU's worth of time (thread
 * CPU time, so a loaded machine's waits do not count):
 *   native		nothing armed
 *   sud-selector	Syscall User Dispatch on, the call outside the
 *			allowed range, selector ALLOW (the kernel reads it)
 *   sud-range		Syscall User Dispatch on, the call inside the range
 * then, in two children (a seccomp filter cannot be removed), native
 * batches against batches after
 *   seccomp-const	a filter that allows everything (the kernel's
 *			constant-action cache skips it)
 *   seccomp-ip		a filter that looks at instruction_pointer, as a
 *			RET_TRAP-outside-libc filter would
 * Prints "MODE NS DELTA" per mode: the median ns per call (per
 * openat+close) and its difference to the native batches next to it.
 */
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "raw_syscall.h"

#ifndef PR_SET_SYSCALL_USER_DISPATCH
#define PR_SET_SYSCALL_USER_DISPATCH	59
#endif
#define BATCH	20000

static volatile unsigned char selector;	/* 0: allow */
static int open_mode;

static double cpu_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return t.tv_sec * 1e9 + t.tv_nsec;
}

#define raw3 raw_syscall3

/* The calls, made by this function's own syscall instructions */
static double batch(void)
{
	double t = cpu_ns();
	int i;

	for (i = 0; i < BATCH; i++) {
		if (open_mode) {
			long fd = raw3(SYS_openat, AT_FDCWD,
				       (long)"/etc/hostname", O_RDONLY);

			raw3(SYS_close, fd, 0, 0);
		} else {
			raw3(SYS_getppid, 0, 0, 0);
		}
	}
	return (cpu_ns() - t) / BATCH;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp);
	return v[n / 2];
}

static void sud(int on, int in_range)
{
	unsigned long lo = in_range ? 0x1000UL : 0, len = in_range ?
			   (1UL << 47) - 0x2000 : 0;

	if (prctl(PR_SET_SYSCALL_USER_DISPATCH, on, lo, len,
		  on ? (unsigned long)&selector : 0)) {
		perror("prctl(PR_SET_SYSCALL_USER_DISPATCH)");
		exit(1);
	}
}

static void report(const char *mode, double *v, double *nat, int n)
{
	double m = median(v, n), b = median(nat, n);

	printf("%-14s %8.1f %+8.1f\n", mode, m, m - b);
}

/* A child: native batches, then the filter, then batches under it */
static void seccomp_mode(const char *mode, int by_ip, int rounds)
{
	struct sock_filter allow[] = {
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	/* allow unless the upper half of the address is 0xffffffff */
	struct sock_filter ip[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, instruction_pointer) + 4),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0xffffffff, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRAP),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { by_ip ? 4 : 1, by_ip ? ip : allow };
	double nat[rounds], on[rounds];
	int i, st;
	pid_t pid = fork();

	if (pid) {
		waitpid(pid, &st, 0);
		return;
	}
	for (i = 0; i < rounds; i++)
		nat[i] = batch();
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0)) {
		perror("seccomp");
		_exit(1);
	}
	for (i = 0; i < rounds; i++)
		on[i] = batch();
	report(mode, on, nat, rounds);
	fflush(stdout);
	_exit(0);
}

int main(int argc, char **argv)
{
	int rounds = argc > 2 ? atoi(argv[2]) : 30, i;
	double nat[rounds], sel[rounds], range[rounds];

	open_mode = argc > 1 && !strcmp(argv[1], "openat");
	if (rounds < 1)
		return 2;
	for (i = 0; i < rounds; i++) {
		nat[i] = batch();
		sud(1, 0);
		sel[i] = batch();
		sud(0, 0);
		sud(1, 1);
		range[i] = batch();
		sud(0, 0);
	}
	report("sud-selector", sel, nat, rounds);
	report("sud-range", range, nat, rounds);
	report("native", nat, nat, rounds);
	fflush(stdout);
	seccomp_mode("seccomp-const", 0, rounds);
	seccomp_mode("seccomp-ip", 1, rounds);
	return 0;
}
