// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/progs/vtrace_sigchld.c - A signal handler's calls made while the
 *				   program is blocked in another call
 *
 * Usage: vtrace_sigchld
 *
 * Installs a SIGCHLD handler (SA_RESTART) that reaps with
 * waitpid(-1, WNOHANG) and writes nothing; forks a child that waits
 * until the parent sleeps in its waitpid(CHILD, 0) (/proc/PPID/wchan, or
 * the process state where the kernel shows no wait channel) and then
 * exits with 0.  The handler's wait4 then runs while the parent's is in
 * flight, as a shell's does.  Prints "child PID" and "handler N" (the
 * handler's waitpid() result, -1: ECHILD, the parent reaped the child).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "proc_asleep.h"

static volatile sig_atomic_t handler_ret = 1, handler_errno;

static void on_chld(int sig)
{
	int st;

	(void)sig;
	handler_ret = waitpid(-1, &st, WNOHANG);
	handler_errno = errno;
}

int main(void)
{
	struct timespec ms = { 0, 1000000 };
	struct sigaction sa;
	pid_t child, parent = getpid();
	int st, i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_chld;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGCHLD, &sa, NULL);
	child = fork();
	if (child < 0)
		return 1;
	if (!child) {
		for (i = 0; i < 10000 && !proc_asleep_in(parent, "do_wait"); i++)
			nanosleep(&ms, NULL);
		_exit(0);
	}
	if (waitpid(child, &st, 0) != child)
		return 1;
	printf("child %d\nhandler %d\n", (int)child, (int)handler_ret);
	return handler_ret == -1 && handler_errno == ECHILD ? 0 : 1;
}
