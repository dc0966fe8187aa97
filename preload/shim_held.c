// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * preload/shim_held.c - The held fds outlive the program's close_range()
 *
 * After a change of user, namespace or root the shim names the view's
 * memory and itself to new images through fds it holds (shim_creds.c).
 * A program that then starts children closing every fd but a few
 * (Python's subprocess with its default close_fds=True, closefrom() of
 * daemons) closed those too, and under preload the child's image stopped
 * with "cannot map the view's shared memory /proc/self/fd/1000", status
 * 125: Python's test_os and test_subprocess after a setreuid() or a
 * chroot() attempt.  These fds are facet's, not the program's: the
 * ranges closed leave them out.  A close() of each number in turn still
 * closes them (that path is hot, and has no range to cut).
 */
#include <string.h>
#include <unistd.h>
#include <linux/close_range.h>

#include "shim.h"

/* The fd named by "/proc/self/fd/N", or -1 (no sscanf: vfork children) */
static int held_fd_of(const char *path)
{
	const char *p = path;
	int fd = 0;

	if (!p || strncmp(p, "/proc/self/fd/", 14))
		return -1;
	for (p += 14; *p >= '0' && *p <= '9' && fd < 65536; p++)
		fd = fd * 10 + (*p - '0');
	return *p || p == path + 14 ? -1 : fd;
}

/* The fds the shim holds, ascending; how many */
static int held_fds(int held[2])
{
	int shm = held_fd_of(shim.cfg.shm), n = 0;

	if (shm >= 0)
		held[n++] = shm;
	if (shim.so_fd > 0 && shim.so_fd != shm)
		held[n++] = shim.so_fd;
	if (n == 2 && held[0] > held[1]) {
		int t = held[0];

		held[0] = held[1];
		held[1] = t;
	}
	return n;
}

/*
 * close_range(@first, @last, @flags) around the held fds; @tail closes
 * from the last gap's start up (closefrom()'s own way, it has no error)
 */
static int held_close_range(unsigned int first, unsigned int last,
			    int flags, void (*tail)(int))
{
	int (*real)(unsigned int, unsigned int, int) =
		SHIM_NEXT(int (*)(unsigned int, unsigned int, int),
			  "close_range");
	int held[2], n = held_fds(held), i;
	unsigned int from = first;

	for (i = 0; i < n; i++) {
		unsigned int h = (unsigned int)held[i];

		if (h < from || h > last)
			continue;
		if (h > from && real(from, h - 1, flags) < 0)
			return -1;
		from = h + 1;
	}
	if (from > last || from < first)
		return 0;
	if (tail) {
		tail((int)from);
		return 0;
	}
	return real(from, last, flags);
}

int close_range(unsigned int first, unsigned int last, int flags)
{
	/* close-on-exec is cleared on them at each exec (shim_exec.c) */
	if (first > last || (flags & CLOSE_RANGE_CLOEXEC))
		return SHIM_NEXT(int (*)(unsigned int, unsigned int, int),
				 "close_range")(first, last, flags);
	return held_close_range(first, last, flags, NULL);
}

void closefrom(int low)
{
	if (low < 0)
		low = 0;
	held_close_range((unsigned int)low, ~0U, 0,
			 SHIM_NEXT(void (*)(int), "closefrom"));
}
