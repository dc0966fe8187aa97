// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/progs/pingpong.c - Cost of one wake-up round trip between threads
 *
 * Usage: pingpong N; prints ns per round trip over a pipe pair.  bench/
 * shows it beside the interception costs: a notification or a ptrace stop
 * cannot be cheaper than this on the same machine at the same moment.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static int ping[2], pong[2];

static void *echo(void *arg)
{
	char c;

	(void)arg;
	while (read(ping[0], &c, 1) == 1)
		if (write(pong[1], &c, 1) != 1)
			break;
	return NULL;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 100000, i;
	struct timespec s, e;
	pthread_t t;
	char c = 'x';

	if (pipe(ping) || pipe(pong) || pthread_create(&t, NULL, echo, NULL))
		return 2;
	clock_gettime(CLOCK_MONOTONIC, &s);
	for (i = 0; i < n; i++)
		if (write(ping[1], &c, 1) != 1 || read(pong[0], &c, 1) != 1)
			return 2;
	clock_gettime(CLOCK_MONOTONIC, &e);
	printf("%.1f\n", ((e.tv_sec - s.tv_sec) * 1e9 +
			  (e.tv_nsec - s.tv_nsec)) / n);
	return 0;
}
