// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/progs/vtrace_clone3.c - clone3 with CLONE_PIDFD, and the line the
 *				  trace should hold for it
 *
 * Makes a child with clone3(CLONE_PIDFD) that exits with 5, waits for it
 * and prints strace's line for the call (without the pid column): the
 * struct as passed, then the pidfd the kernel stored, then the size.
 */
#include <linux/sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	struct clone_args ca;
	int pidfd = -1, st;
	long child;

	memset(&ca, 0, sizeof(ca));
	ca.flags = CLONE_PIDFD;
	ca.pidfd = (uintptr_t)&pidfd;
	ca.exit_signal = SIGCHLD;
	child = syscall(SYS_clone3, &ca, sizeof(ca));
	if (child == 0)
		_exit(5);
	if (child < 0)
		return 1;
	waitpid((pid_t)child, &st, 0);
	printf("clone3({flags=CLONE_PIDFD, pidfd=%p, exit_signal=SIGCHLD, "
	       "stack=NULL, stack_size=0} => {pidfd=[%d<anon_inode:[pidfd]>]}, "
	       "%zu) = %ld\n", (void *)&pidfd, pidfd, sizeof(ca), child);
	return WEXITSTATUS(st) == 5 ? 0 : 1;
}
