// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/progs/thread_exit_group.c - exit_group() while another thread is in
 *				      a call
 *
 * Usage: thread_exit_group STATUS; the second thread says it is ready, then
 * blocks in a read() of a pipe nobody writes to; the first waits for it,
 * gives it time to be in the call, and ends the process with exit(STATUS).
 */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

static int ready[2], never[2];

static void *blocker(void *arg)
{
	char c;

	(void)arg;
	if (write(ready[1], "r", 1) != 1)
		_exit(2);
	if (read(never[0], &c, 1) < 0)
		_exit(2);
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t;
	char c;

	if (argc < 2 || pipe(ready) || pipe(never) ||
	    pthread_create(&t, NULL, blocker, NULL))
		return 2;
	if (read(ready[0], &c, 1) != 1)
		return 2;
	usleep(100000);
	exit(atoi(argv[1]));
}
