// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/progs/vfs_cwdattr.c - Change the working directory's attributes
 *
 * Usage: vfs_cwdattr DIR MODE
 *   In DIR: fchmodat2(AT_FDCWD, "", MODE, AT_EMPTY_PATH), fchownat() to
 *   the caller's own ids and utimensat() to now, both with AT_FDCWD, ""
 *   and AT_EMPTY_PATH, and futimens(AT_FDCWD) (utimensat with no path);
 *   one line each, "NAME: ok" or "NAME: ERRNO TEXT".  What changed is
 *   seen from outside.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_fchmodat2
#define SYS_fchmodat2	452
#endif

static void say(const char *name, long ret)
{
	if (ret == 0)
		printf("%s: ok\n", name);
	else
		printf("%s: %s\n", name, strerror(errno));
}

int main(int argc, char **argv)
{
	long mode;

	if (argc != 3 || chdir(argv[1]) < 0) {
		fprintf(stderr, "usage: vfs_cwdattr DIR MODE\n");
		return 2;
	}
	mode = strtol(argv[2], NULL, 8);
	say("fchmodat2", syscall(SYS_fchmodat2, AT_FDCWD, "", mode,
				 AT_EMPTY_PATH));
	say("fchownat", syscall(SYS_fchownat, AT_FDCWD, "", getuid(),
				getgid(), AT_EMPTY_PATH));
	say("utimensat", syscall(SYS_utimensat, AT_FDCWD, "", NULL,
				 AT_EMPTY_PATH));
	say("futimens", syscall(SYS_utimensat, AT_FDCWD, NULL, NULL, 0));
	return 0;
}
