// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/progs/vtrace_futex.c - futex by command: the arguments each one
 *				 uses, REQUEUE's and WAKE_OP's numbers,
 *				 WAKE_OP's operation, PI commands, unknown ones
 *
 * tests/shell/vtrace_options.bats compares facet's lines for them with
 * strace's (addresses masked).
 */
#include <linux/futex.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
static long f(int *u, int op, int v, long v2, int *u2, int v3)
{
	return syscall(SYS_futex, u, op, v, v2, u2, v3);
}

int main(void)
{
	static int a, b;
	struct timespec ts = { 0, 1000 };
	f(&a, FUTEX_REQUEUE_PRIVATE, 1, 2, &b, 9);
	f(&a, FUTEX_CMP_REQUEUE, 1, 3, &b, 0);
	f(&a, FUTEX_CMP_REQUEUE_PRIVATE, 1, 3, &b, 7);
	f(&a, FUTEX_WAKE_OP_PRIVATE, 1, 1, &b, FUTEX_OP(FUTEX_OP_ADD, 0xfff, FUTEX_OP_CMP_GE, 0x12));
	f(&a, FUTEX_WAKE_OP, 1, 2, &b, FUTEX_OP((FUTEX_OP_OPARG_SHIFT | FUTEX_OP_XOR), 3, FUTEX_OP_CMP_NE, 1));
	f(&a, FUTEX_WAKE_OP, 1, 2, &b, (int)(7u << 28 | 9u << 24));
	f(&a, FUTEX_CMP_REQUEUE_PI_PRIVATE, 1, 1, &b, 0);
	f(&a, FUTEX_WAIT_REQUEUE_PI_PRIVATE, 1, (long)&ts, &b, 0);
	f(&a, FUTEX_LOCK_PI_PRIVATE, 0, (long)&ts, 0, 0);
	f(&a, FUTEX_UNLOCK_PI_PRIVATE, 0, 0, 0, 0);
	f(&a, FUTEX_TRYLOCK_PI, 0, 0, 0, 0);
	f(&a, 13 | FUTEX_PRIVATE_FLAG, 0, (long)&ts, 0, 0);
	f(&a, FUTEX_UNLOCK_PI_PRIVATE, 0, 0, 0, 0);
	f(&a, FUTEX_WAKE_BITSET, 1, 0, 0, 5);
	f(&a, FUTEX_WAIT_BITSET, 1, 0, 0, -1);
	f(&a, FUTEX_FD, 1, 0, 0, 0);
	f(&a, 14, 1, 2, &b, 3);
	f(&a, FUTEX_WAIT, 1, 0, 0, 0);
	return 0;
}
