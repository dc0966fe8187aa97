// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * preload/shim_launch.c - facet-preload-exec: the view's first image
 *
 * Usage: facet-preload-exec COMMAND [ARG...]
 *
 * `facet run --backend preload` starts this small program with the shim
 * preloaded instead of the command itself.  The shim's constructor starts
 * the modules here (the view's first start), and the execvp() below is the
 * shim's: the module chain sees the command's own execve, as under the
 * ptracer (a guest root translates the path, a static target goes to the
 * ptracer, a trace starts there).  Exit statuses follow env(1): 127 not
 * found, 126 cannot run.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int saved;

	if (argc < 2) {
		fprintf(stderr, "usage: facet-preload-exec COMMAND [ARG...] "
			"(started by 'facet run')\n");
		return 125;
	}
	execvp(argv[1], argv + 1);
	saved = errno;
	if (saved == ENOENT && !strchr(argv[1], '/'))
		fprintf(stderr, "facet: %s: command not found\n", argv[1]);
	else
		fprintf(stderr, "facet: cannot run %s: %s\n", argv[1],
			strerror(saved));
	return saved == ENOENT ? 127 : 126;
}
