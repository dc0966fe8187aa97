// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/progs/vfs_loop.c - Time the path calls of a tree walk, for bench/
 *
 * Usage: vfs_loop CALL N DIR
 *   CALL: fstatat (dirfd-relative name, AT_SYMLINK_NOFOLLOW, as find),
 *         statx (DIR/name, AT_SYMLINK_NOFOLLOW, as ls -l), lgetxattr,
 *         getxattr (DIR/name, follows), openat (DIR/name, then close),
 *         getdents64 (open DIR, list it, close), ls (statx, lgetxattr
 *         and getxattr of DIR/name in a row, as ls -l does per file),
 *         opendir (opendir DIR/name, readdir to the end, closedir, as
 *         ls -R per directory), fdopendir (the same from an open() of
 *         DIR/name, as find per directory); for these DIR's entries
 *         should be directories
 * Goes round the entries of DIR, N calls in 9 batches; prints the median
 * ns per call.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

#include "loop_timing.h"

#define MAXN	4096

static char names[MAXN][256], paths[MAXN][512];

int main(int argc, char **argv)
{
	char buf[32768];
	double batch[9], t0;
	struct dirent *de;
	struct statx stx;
	struct stat st;
	int dfd, k = 0, b;
	long n, i;
	DIR *d;

	if (argc < 4)
		return 2;
	d = opendir(argv[3]);
	if (!d) {
		perror(argv[3]);
		return 1;
	}
	while ((de = readdir(d)) && k < MAXN) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(names[k], sizeof(names[k]), "%s", de->d_name);
		snprintf(paths[k], sizeof(paths[k]), "%s/%s", argv[3],
			 de->d_name);
		k++;
	}
	if (!k)
		return 1;
	dfd = dirfd(d);
	n = atol(argv[2]) / 9 + 1;
	for (b = 0; b < 9; b++) {
		t0 = now_ns();
		for (i = 0; i < n; i++) {
			int j = i % k;

			if (!strcmp(argv[1], "fstatat")) {
				fstatat(dfd, names[j], &st, AT_SYMLINK_NOFOLLOW);
			} else if (!strcmp(argv[1], "statx")) {
				statx(AT_FDCWD, paths[j], AT_SYMLINK_NOFOLLOW,
				      STATX_BASIC_STATS, &stx);
			} else if (!strcmp(argv[1], "lgetxattr")) {
				lgetxattr(paths[j], "security.selinux", buf,
					  sizeof(buf));
			} else if (!strcmp(argv[1], "getxattr")) {
				getxattr(paths[j], "system.posix_acl_access",
					 buf, sizeof(buf));
			} else if (!strcmp(argv[1], "openat")) {
				int fd = openat(AT_FDCWD, paths[j],
						O_RDONLY | O_CLOEXEC);

				close(fd);
			} else if (!strcmp(argv[1], "ls")) {
				statx(AT_FDCWD, paths[j], AT_SYMLINK_NOFOLLOW,
				      STATX_BASIC_STATS, &stx);
				lgetxattr(paths[j], "security.selinux", buf,
					  255);
				getxattr(paths[j], "system.posix_acl_access",
					 NULL, 0);
			} else if (!strcmp(argv[1], "opendir") ||
				   !strcmp(argv[1], "fdopendir")) {
				DIR *sd = argv[1][0] == 'o' ? opendir(paths[j]) :
					  fdopendir(open(paths[j], O_RDONLY |
							 O_DIRECTORY |
							 O_CLOEXEC));

				while (sd && readdir(sd))
					;
				if (sd)
					closedir(sd);
			} else if (!strcmp(argv[1], "getdents64")) {
				int fd = open(argv[3], O_RDONLY | O_DIRECTORY);

				while (syscall(SYS_getdents64, fd, buf,
					       sizeof(buf)) > 0)
					;
				close(fd);
			} else {
				return 2;
			}
		}
		batch[b] = (now_ns() - t0) / n;
	}
	qsort(batch, 9, sizeof(batch[0]), cmp_double);
	printf("%.0f\n", batch[4]);
	return 0;
}
