// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/progs/vtrace_sigmask.c - Signal masks set while traced keep
 *				   their effect
 *
 * Blocks SIGUSR1 with sigprocmask() and SIGUSR2 with a raw rt_sigprocmask
 * (a syscall instruction outside libc), reads the mask back both ways,
 * sends itself both signals (blocked: they stay pending) and takes them
 * with sigtimedwait().  Prints one line per step; exits 0 when every
 * step saw what it should, 1 otherwise (a blocked signal that was
 * delivered ends it by that signal instead).
 */
#include <signal.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "raw_syscall.h"

static int check(const char *what, int ok)
{
	printf("%s: %s\n", what, ok ? "ok" : "WRONG");
	return ok ? 0 : 1;
}

int main(void)
{
	struct timespec zero = { 0, 0 };
	unsigned long raw = 1ul << (SIGUSR2 - 1), now = 0;
	sigset_t set, old;
	int bad = 0;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	raw_syscall4(SYS_rt_sigprocmask, SIG_BLOCK, (long)&raw, 0, 8);

	sigprocmask(SIG_BLOCK, NULL, &old);
	bad |= check("sigprocmask reads USR1 blocked",
		     sigismember(&old, SIGUSR1));
	bad |= check("sigprocmask reads USR2 blocked",
		     sigismember(&old, SIGUSR2));
	raw_syscall4(SYS_rt_sigprocmask, SIG_BLOCK, 0, (long)&now, 8);
	bad |= check("raw rt_sigprocmask reads both blocked",
		     (now & raw) && (now & 1ul << (SIGUSR1 - 1)));

	kill(getpid(), SIGUSR1);
	kill(getpid(), SIGUSR2);
	sigpending(&old);
	bad |= check("both pending", sigismember(&old, SIGUSR1) &&
		     sigismember(&old, SIGUSR2));
	sigaddset(&set, SIGUSR2);
	bad |= check("sigtimedwait takes USR1",
		     sigtimedwait(&set, NULL, &zero) == SIGUSR1);
	bad |= check("sigtimedwait takes USR2",
		     sigtimedwait(&set, NULL, &zero) == SIGUSR2);
	return bad;
}
