// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/progs/dir_streams.c - opendir() and fdopendir() against a view
 *
 * Usage: dir_streams DIR
 *	One line per case: the names a stream lists (sorted, without "."
 *	and ".."), or the errno's name; and the fd flags glibc gives a
 *	stream's fd.  DIR holds "secret" (a directory, to be hidden),
 *	"plain" (a file) and "sub" (a directory).
 *        dir_streams repeat N DIR
 *	N times: opendir(DIR) and closedir(), then fdopendir() of an
 *	open(DIR) and closedir(): for counting the calls modules see.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char path[4096];

static const char *at(const char *dir, const char *name)
{
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return path;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "WHAT: name name ..." of stream @d (closed here), or "WHAT: ERRNO" */
static void list(const char *what, DIR *d)
{
	char *names[64];
	struct dirent *e;
	int n = 0, i;

	if (!d) {
		printf("%s: %s\n", what, strerrorname_np(errno));
		return;
	}
	while ((e = readdir(d)) && n < 64)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			names[n++] = strdup(e->d_name);
	closedir(d);
	qsort(names, n, sizeof(*names), by_name);
	printf("%s:", what);
	for (i = 0; i < n; i++) {
		printf(" %s", names[i]);
		free(names[i]);
	}
	printf("\n");
}

/* The close-on-exec and non-blocking flags of stream @d's fd */
static void flags(const char *what, DIR *d)
{
	int fd, fl, fdfl;

	if (!d) {
		printf("%s: %s\n", what, strerrorname_np(errno));
		return;
	}
	fd = dirfd(d);
	fdfl = fcntl(fd, F_GETFD);
	fl = fcntl(fd, F_GETFL);
	printf("%s:%s%s\n", what, fdfl & FD_CLOEXEC ? " cloexec" : "",
	       fl & O_NONBLOCK ? " nonblock" : "");
	closedir(d);
}

static DIR *fd_stream(const char *p, int oflags)
{
	int fd = open(p, oflags), saved;
	DIR *d;

	if (fd < 0)
		return NULL;
	d = fdopendir(fd);
	if (!d) {
		saved = errno;
		close(fd);
		errno = saved;
	}
	return d;
}

static int repeat(int n, const char *dir)
{
	DIR *d;

	while (n-- > 0) {
		d = opendir(dir);
		if (!d)
			return 1;
		closedir(d);
		d = fd_stream(dir, O_RDONLY | O_DIRECTORY);
		if (!d)
			return 1;
		closedir(d);
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *dir;

	if (argc == 4 && !strcmp(argv[1], "repeat"))
		return repeat(atoi(argv[2]), argv[3]);
	if (argc != 2) {
		fprintf(stderr, "usage: dir_streams [repeat N] DIR\n");
		return 2;
	}
	dir = argv[1];
	list("opendir", opendir(dir));
	list("opendir sub", opendir(at(dir, "sub")));
	list("opendir secret", opendir(at(dir, "secret")));
	list("opendir secret/..", opendir(at(dir, "secret/..")));
	list("opendir plain", opendir(at(dir, "plain")));
	list("opendir empty name", opendir(""));
	list("fdopendir", fd_stream(dir, O_RDONLY | O_DIRECTORY));
	list("fdopendir secret", fd_stream(at(dir, "secret"), O_RDONLY));
	list("fdopendir plain", fd_stream(at(dir, "plain"), O_RDONLY));
	list("fdopendir bad fd", fdopendir(1000));
	flags("opendir fd", opendir(dir));
	flags("fdopendir fd", fd_stream(dir, O_RDONLY));
	return 0;
}
