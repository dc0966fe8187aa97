// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/progs/threads.c - N threads each make M getppid() calls
 *
 * Usage: threads N M [EXPECT]
 * Prints "calls=N*M" and, with EXPECT, how many calls returned something
 * else ("wrong=K"); exits 1 if any did.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

static long calls_per_thread, expect = -1;
static long wrong;

static void *worker(void *arg)
{
	long i, bad = 0;

	(void)arg;
	for (i = 0; i < calls_per_thread; i++)
		if (expect >= 0 && syscall(SYS_getppid) != expect)
			bad++;
		else if (expect < 0)
			syscall(SYS_getppid);
	__atomic_add_fetch(&wrong, bad, __ATOMIC_RELAXED);
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t *t;
	long n, i;

	if (argc < 3) {
		fprintf(stderr, "usage: threads N M [EXPECT]\n");
		return 2;
	}
	n = atol(argv[1]);
	calls_per_thread = atol(argv[2]);
	if (argc > 3)
		expect = atol(argv[3]);
	t = calloc(n, sizeof(*t));
	for (i = 0; i < n; i++)
		if (pthread_create(&t[i], NULL, worker, NULL)) {
			perror("pthread_create");
			return 2;
		}
	for (i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	printf("calls=%ld wrong=%ld\n", n * calls_per_thread, wrong);
	return wrong ? 1 : 0;
}
