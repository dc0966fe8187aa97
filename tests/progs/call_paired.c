// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/progs/call_paired.c - The user-side cost of an intercepted call,
 * measured in one process, for bench/preload.sh and docs/design.md
 *
 * Usage: call_paired openat|getppid|open [ROUNDS [N]]
 *   openat	syscall(SYS_openat, ...) + syscall(SYS_close, fd)
 *   getppid	syscall(SYS_getppid) twice
 *   open	open() + close(), libc's functions (the fast wrappers)
 * Each round times N iterations of the interposed calls (B) against N of
 * the same calls made by libc's own "syscall; ret" instruction (A), which
 * the preload shim does not see (found in libc's executable segment, as
 * preload/shim_gate.c finds it, and called with inline asm), in ABBA
 * order (drift over the round cancels), in the thread's CPU time.  Prints the median and quartiles
 * over ROUNDS of the difference B - A in ns per iteration, then the
 * median A.  Under a view whose modules want the calls, the difference
 * is what the shim adds in user space, plus its TLB and branch misses
 * after each syscall; without facet it is the noise floor (about 0).
 * Two processes cannot be compared here: they differ by +/-20 %.
 */
#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "loop_timing.h"

static const void *libc_syscall;	/* "syscall; ret" in libc's text */
static char path[64] __attribute__((aligned(64))) = "/etc/hostname";

/* Find 0f 05 c3 in libc's executable segment */
static int find_in_libc(struct dl_phdr_info *info, size_t size, void *data)
{
	int i;

	(void)size;
	(void)data;
	if (!strstr(info->dlpi_name, "/libc.so"))
		return 0;
	for (i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		const unsigned char *p, *end;

		if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_X))
			continue;
		p = (const unsigned char *)(info->dlpi_addr + ph->p_vaddr);
		end = p + ph->p_memsz - 2;
		for (; p < end; p++)
			if (p[0] == 0x0f && p[1] == 0x05 && p[2] == 0xc3) {
				libc_syscall = p;
				return 1;
			}
	}
	return 0;
}

/* A call made by libc's instruction: the kernel sees libc's, the shim
 * sees nothing (the red zone below the stack pointer is stepped over) */
static long libc_raw(long nr, long a0, long a1, long a2)
{
	long ret;

	__asm__ volatile("lea -128(%%rsp), %%rsp\n\t"
			 "call *%[fn]\n\t"
			 "lea 128(%%rsp), %%rsp"
			 : "=a"(ret)
			 : [fn] "r"(libc_syscall), "a"(nr), "D"(a0), "S"(a1),
			   "d"(a2)
			 : "rcx", "r11", "memory");
	return ret;
}

enum mode { MODE_OPENAT, MODE_GETPPID, MODE_OPEN };

static void run_raw(enum mode mode, long n)
{
	long i, fd;

	for (i = 0; i < n; i++) {
		if (mode == MODE_GETPPID) {
			libc_raw(SYS_getppid, 0, 0, 0);
			libc_raw(SYS_getppid, 0, 0, 0);
			continue;
		}
		fd = libc_raw(SYS_openat, AT_FDCWD, (long)path,
			      O_RDONLY | O_CLOEXEC);
		libc_raw(SYS_close, fd, 0, 0);
	}
}

static void run_shim(enum mode mode, long n)
{
	long i, fd;

	for (i = 0; i < n; i++) {
		switch (mode) {
		case MODE_GETPPID:
			syscall(SYS_getppid);
			syscall(SYS_getppid);
			break;
		case MODE_OPENAT:
			fd = syscall(SYS_openat, AT_FDCWD, path,
				     O_RDONLY | O_CLOEXEC);
			syscall(SYS_close, fd);
			break;
		case MODE_OPEN:
			close(open(path, O_RDONLY | O_CLOEXEC));
			break;
		}
	}
}

/* The thread's CPU time: what other processes' turns on a loaded
 * machine do not inflate */
static double cpu_ns(void)
{
	return clock_ns(CLOCK_THREAD_CPUTIME_ID);
}

/* One ABBA round: ns per iteration of B - A, and of A */
static double round_diff(enum mode mode, long n, double *base)
{
	double t0, t1, t2, t3, t4;

	t0 = cpu_ns();
	run_raw(mode, n);
	t1 = cpu_ns();
	run_shim(mode, n);
	t2 = cpu_ns();
	run_shim(mode, n);
	t3 = cpu_ns();
	run_raw(mode, n);
	t4 = cpu_ns();
	*base = ((t1 - t0) + (t4 - t3)) / (2 * n);
	return ((t2 - t1) + (t3 - t2) - (t1 - t0) - (t4 - t3)) / (2 * n);
}

int main(int argc, char **argv)
{
	int rounds = argc > 2 ? atoi(argv[2]) : 101;
	long n = argc > 3 ? atol(argv[3]) : 200;
	double *diff, *base;
	enum mode mode;
	int r;

	if (argc < 2 || rounds < 1 || n < 1) {
		fprintf(stderr, "usage: call_paired openat|getppid|open "
			"[ROUNDS [N]]\n");
		return 2;
	}
	if (!strcmp(argv[1], "openat"))
		mode = MODE_OPENAT;
	else if (!strcmp(argv[1], "getppid"))
		mode = MODE_GETPPID;
	else if (!strcmp(argv[1], "open"))
		mode = MODE_OPEN;
	else
		return 2;
	if (!dl_iterate_phdr(find_in_libc, NULL)) {
		fprintf(stderr, "call_paired: no \"syscall; ret\" in libc\n");
		return 77;
	}
	diff = calloc(rounds, sizeof(*diff));
	base = calloc(rounds, sizeof(*base));
	if (!diff || !base)
		return 1;
	run_raw(mode, n);	/* warm up both */
	run_shim(mode, n);
	for (r = 0; r < rounds; r++)
		diff[r] = round_diff(mode, n, &base[r]);
	qsort(diff, rounds, sizeof(*diff), cmp_double);
	qsort(base, rounds, sizeof(*base), cmp_double);
	printf("%.1f %.1f %.1f %.1f\n", diff[rounds / 2], diff[rounds / 4],
	       diff[3 * rounds / 4], base[rounds / 2]);
	return 0;
}
