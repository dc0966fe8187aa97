// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vfs/vfs_stats.c - Counts of the hot lane's answers, for benchmarks
 *
 * DOC: FACET_VFS_STATS
 *
 * With FACET_VFS_STATS set in the environment facet runs in, every image
 * that holds vfs (under preload each guest process, under the ptracer the
 * supervisor) writes one line at exit() (not at _exit()): how many path
 * calls the hot lane (vfs_hot.c) answered and how, and how many took the
 * general way.  A
 * timer-independent measure of a tree walk: the counts do not change with
 * load or with single-stepping.  FACET_VFS_STATS=1 writes to stderr; any
 * other value is a file the line is appended to.  Off (unset or empty),
 * each counter costs a load and a not-taken branch on a page the call
 * touches anyway (VFS_DATA); nothing is written.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vfs.h"

VFS_DATA int vfs_stats_on;
struct vfs_stats vfs_stats;

static const char *const vfs_stats_names[] = {
#define VFS_STAT_NAME(name) #name,
	VFS_STATS(VFS_STAT_NAME)
#undef VFS_STAT_NAME
};

VFS_COLD __attribute__((constructor)) static void vfs_stats_start(void)
{
	const char *to = getenv("FACET_VFS_STATS");

	vfs_stats_on = to && to[0];
}

VFS_COLD __attribute__((destructor)) static void vfs_stats_write(void)
{
	const uint64_t *c = (const uint64_t *)&vfs_stats;
	const char *to = getenv("FACET_VFS_STATS");
	char line[1024], comm[32] = "";
	size_t i, n, any = 0;
	int fd;

	if (!vfs_stats_on || !to)
		return;
	for (i = 0; i < sizeof(vfs_stats) / sizeof(*c); i++)
		any |= c[i];
	if (!any)
		return;
	fd = open("/proc/self/comm", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		ssize_t r = read(fd, comm, sizeof(comm) - 1);

		comm[r > 0 ? r - 1 : 0] = '\0';
		close(fd);
	}
	n = snprintf(line, sizeof(line), "facet-vfs-stats pid=%d comm=%s",
		     (int)getpid(), comm);
	for (i = 0; i < sizeof(vfs_stats) / sizeof(*c) && n < sizeof(line); i++)
		n += snprintf(line + n, sizeof(line) - n, " %s=%llu",
			      vfs_stats_names[i], (unsigned long long)c[i]);
	if (n >= sizeof(line) - 1)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	fd = strcmp(to, "1") ? open(to, O_WRONLY | O_APPEND | O_CREAT |
				    O_CLOEXEC, 0644) : 2;
	if (fd < 0)
		return;
	if (write(fd, line, n) < 0) {
		/* nothing to do: an image on its way out */
	}
	if (fd != 2)
		close(fd);
}
