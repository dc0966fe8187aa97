// SPDX-License-Identifier: MIT
/* facet - tests/progs/raw_syscall.h: a syscall instruction outside libc
 *
 * The test programs that check raw syscalls are caught make them through
 * this inline instruction, never through libc or syscall(3).
 */
#ifndef FACET_TESTS_RAW_SYSCALL_H
#define FACET_TESTS_RAW_SYSCALL_H

static inline long raw_syscall3(long nr, long a, long b, long c)
{
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a), "S"(b), "d"(c)
			 : "rcx", "r11", "memory");
	return ret;
}

static inline long raw_syscall4(long nr, long a, long b, long c, long d)
{
	register long r10 __asm__("r10") = d;
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10)
			 : "rcx", "r11", "memory");
	return ret;
}

#endif /* FACET_TESTS_RAW_SYSCALL_H */
