// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/progs/preload_fortify.c - Calls that _FORTIFY_SOURCE turns into
 * __*_chk functions (__readlink_chk, __read_chk, __getcwd_chk)
 *
 * Usage: preload_fortify PATH; prints what readlink(PATH) and a read of
 * PATH say, or the errno names.
 */
#undef _FORTIFY_SOURCE
#define _FORTIFY_SOURCE 2
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	size_t n = argc > 2 ? strtoul(argv[2], NULL, 0) : 64;
	char buf[128], cwd[256];
	ssize_t r;
	int fd;

	if (argc < 2)
		return 2;
	r = readlink(argv[1], buf, n);
	printf("readlink %s\n", r < 0 ? strerrorname_np(errno) : "ok");
	fd = open(argv[1], O_RDONLY);
	r = fd < 0 ? -1 : read(fd, buf, n);
	printf("read %s\n", r < 0 ? strerrorname_np(errno) : "ok");
	printf("getcwd %s\n", getcwd(cwd, n) ? "ok" : strerrorname_np(errno));
	return 0;
}
