// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/progs/walk_open.c - Open files from inside nftw()'s callback
 *
 * Usage: walk_open DIR
 * Walks DIR with nftw() and opens each regular file twice from the
 * callback (open() and syscall(SYS_openat)), closing it again.  In the
 * preload backend the callback runs in trap mode (nftw's own calls trap),
 * so a call a module passes on unchanged must still be made once, not
 * again through the trap.  Prints the number of files opened.
 */
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

static int opened;

static int walk_file(const char *path, const struct stat *st, int type,
		     struct FTW *ftw)
{
	long fd;

	(void)st;
	(void)ftw;
	if (type != FTW_F)
		return 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 1;
	close((int)fd);
	fd = syscall(SYS_openat, AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 1;
	syscall(SYS_close, fd);
	opened++;
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 2)
		return 2;
	if (nftw(argv[1], walk_file, 8, FTW_PHYS) != 0) {
		perror("walk_open");
		return 1;
	}
	printf("opened %d\n", opened);
	return 0;
}
