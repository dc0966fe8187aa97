// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/progs/vfs_realpath.c - Print realpath(3) of each argument
 *
 * Usage: vfs_realpath PATH...
 * Prints "PATH -> RESULT" or "PATH: ERRNO-NAME" per argument, from both
 * realpath() with a buffer and canonicalize_file_name().
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *err_name(int e)
{
	switch (e) {
	case ENOENT: return "ENOENT";
	case ENOTDIR: return "ENOTDIR";
	case EACCES: return "EACCES";
	case ELOOP: return "ELOOP";
	case ENAMETOOLONG: return "ENAMETOOLONG";
	default: return strerror(e);
	}
}

int main(int argc, char **argv)
{
	char buf[PATH_MAX];
	int i;

	for (i = 1; i < argc; i++) {
		char *a = realpath(argv[i], buf);
		int ea = errno;
		char *b = canonicalize_file_name(argv[i]);
		int eb = errno;

		if (a && b && !strcmp(a, b))
			printf("%s -> %s\n", argv[i], a);
		else if (!a && !b && ea == eb)
			printf("%s: %s\n", argv[i], err_name(ea));
		else
			printf("%s: realpath and canonicalize_file_name "
			       "differ\n", argv[i]);
		free(b);
	}
	return 0;
}
