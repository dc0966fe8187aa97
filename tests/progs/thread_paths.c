// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/progs/thread_paths.c - Paths opened from many short threads
 *
 * Usage: thread_paths PATH N
 * Starts N threads one after the other; each opens PATH (with open(),
 * which a module may rewrite: the shim then places the new path in the
 * thread's buffer) and reads its first line; every other thread ends with
 * pthread_exit(), the rest by returning.  Prints "same=K" (threads that
 * read what the main thread read) and "growth=G", how many more kB the
 * process has mapped (/proc/self/maps) after the threads than after the
 * first two (the first pthread_exit() loads libgcc_s and its thread makes
 * an arena): a buffer that outlived its thread would show there (glibc
 * reuses the stack of a joined thread).
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *path;
static char first[256];

/* First line of @path into @buf (empty on failure) */
static void read_line(char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, cap - 1);

	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
}

/* kB mapped, from /proc/self/maps */
static long maps_kb(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	unsigned long lo, hi, total = 0;
	char line[512];

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%lx-%lx", &lo, &hi) == 2)
			total += hi - lo;
	fclose(f);
	return (long)(total / 1024);
}

static void *worker(void *arg)
{
	static char line[256];
	long i = (long)arg;

	read_line(line, sizeof(line));
	if (i % 2)
		pthread_exit((void *)(long)!strcmp(line, first));
	return (void *)(long)!strcmp(line, first);
}

static long run_one(long i)
{
	pthread_t t;
	void *same = NULL;

	if (pthread_create(&t, NULL, worker, (void *)i) ||
	    pthread_join(t, &same))
		return 0;
	return (long)same;
}

int main(int argc, char **argv)
{
	long n, i, same, base;

	if (argc < 3) {
		fprintf(stderr, "usage: thread_paths PATH N\n");
		return 2;
	}
	path = argv[1];
	n = atol(argv[2]);
	read_line(first, sizeof(first));
	same = run_one(0) + run_one(1);
	base = maps_kb();
	for (i = 2; i < n; i++)
		same += run_one(i);
	printf("%s same=%ld growth=%ld\n", first, same, maps_kb() - base);
	return 0;
}
