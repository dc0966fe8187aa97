// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/progs/thread_exec.c - execv() from a second thread
 *
 * Usage: thread_exec PROGRAM [ARG...]; the main thread keeps making calls
 * while the other one execs, so the supervisor sees a non-leader exec.
 */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static char **args;

static void *execer(void *arg)
{
	(void)arg;
	execv(args[0], args);
	perror("execv");
	_exit(126);
}

int main(int argc, char **argv)
{
	pthread_t t;

	if (argc < 2)
		return 2;
	args = argv + 1;
	pthread_create(&t, NULL, execer, NULL);
	for (;;)
		getppid();
}
