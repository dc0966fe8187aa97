// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * preload/shim_launch.c - facet-preload-exec: the view's first image
 *
 * Usage: facet-preload-exec COMMAND [ARG...]
 *
 * `facet run --backend preload` starts this small program with the shim
 * preloaded instead of the command itself.  The shim's constructor starts
 * the modules here (the view's first start), and the exec below is the
 * shim's: the module chain sees the command's own execve, as under the
 * ptracer (a guest root translates the path, a static target goes to the
 * ptracer, a trace starts there).  Exit statuses follow env(1): 127 not
 * found, 126 cannot run.
 *
 * The search of $PATH asks access(X_OK) of each directory (answered in
 * the view, like every call here) and execs the first hit: one call per
 * directory where execvp() makes an execve(), and the shim's check of the
 * file before it, per directory.  If that exec fails, execvp() does the
 * search again as the C library has it (scripts without #!, directories,
 * EACCES), so only the cost changes, never the outcome.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Exec the first $PATH entry that has an executable @argv[0]; returns if
 * none is found or the exec fails */
static void launch_search(char **argv)
{
	const char *p = getenv("PATH"), *end;
	char path[PATH_MAX];
	size_t dlen;
	int n;

	if (!p)
		return;		/* execvp() knows the default */
	for (;; p = end + 1) {
		end = strchrnul(p, ':');
		dlen = (size_t)(end - p);
		n = snprintf(path, sizeof(path), "%.*s%s%s", (int)dlen, p,
			     dlen ? "/" : "", argv[0]);
		if (n > 0 && (size_t)n < sizeof(path) &&
		    access(path, X_OK) == 0) {
			execv(path, argv);
			return;
		}
		if (!*end)
			return;
	}
}

int main(int argc, char **argv)
{
	int saved;

	if (argc < 2) {
		fprintf(stderr, "usage: facet-preload-exec COMMAND [ARG...] "
			"(started by 'facet run')\n");
		return 125;
	}
	if (*argv[1] && !strchr(argv[1], '/'))
		launch_search(argv + 1);
	execvp(argv[1], argv + 1);
	saved = errno;
	if (saved == ENOENT && !strchr(argv[1], '/'))
		fprintf(stderr, "facet: %s: command not found\n", argv[1]);
	else
		fprintf(stderr, "facet: cannot run %s: %s\n", argv[1],
			strerror(saved));
	return saved == ENOENT ? 127 : 126;
}
