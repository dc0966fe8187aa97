// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/progs/vtrace_inflight.c - A process that dies inside a call
 *
 * Usage: vtrace_inflight MODE PIDFILE; writes "PID TID\n" to PIDFILE (TID
 * the thread the test waits for), then:
 *   raise	raise(SIGUSR1) in the main thread (glibc: tgkill())
 *   thread	a second thread (TID) blocks in read(0, ..., 1) while the main
 *		thread waits for it in pthread_join() (futex): another
 *		process kills it
 *   thread-raise  the main thread waits in pthread_join(); the second
 *		thread, once the main one is asleep, raise(SIGUSR2)s itself
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static const char *pidfile;

static void tell(pid_t tid)
{
	FILE *f = fopen(pidfile, "w");

	if (!f)
		_exit(2);
	fprintf(f, "%d %d\n", (int)getpid(), (int)tid);
	fclose(f);
}

static void *reader(void *arg)
{
	char c;

	(void)arg;
	tell((pid_t)syscall(SYS_gettid));
	if (read(0, &c, 1) < 0)
		return NULL;
	return NULL;
}

static void *raiser(void *arg)
{
	struct timespec ts = { 0, 200 * 1000 * 1000 };

	(void)arg;
	nanosleep(&ts, NULL);	/* the main thread asleep in its join */
	raise(SIGUSR2);
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t;

	if (argc < 3)
		return 2;
	pidfile = argv[2];
	if (!strcmp(argv[1], "raise")) {
		tell(getpid());
		raise(SIGUSR1);
		return 2;
	}
	if (pthread_create(&t, NULL, !strcmp(argv[1], "thread") ? reader :
			   raiser, NULL))
		return 2;
	if (strcmp(argv[1], "thread"))
		tell(getpid());
	pthread_join(t, NULL);
	return 2;
}
