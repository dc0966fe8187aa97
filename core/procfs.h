/* SPDX-License-Identifier: MIT */
/*
 * facet - core/procfs.h: what /proc says of other processes, for the
 * checks of the supervisor and of modules
 */
#ifndef FACET_CORE_PROCFS_H
#define FACET_CORE_PROCFS_H

#include <sys/types.h>

ssize_t facet_procfs_read(pid_t pid, const char *file, char *buf,
			  size_t cap);
long facet_procfs_status(pid_t pid, const char *key, int base);
pid_t facet_procfs_pidfd_pid(pid_t tid, long fd);
int facet_procfs_caller_fd(pid_t pid, pid_t tid, int fd, int in_process);

/**
 * facet_procfs_parse_thread_self() - The ids in /proc/thread-self's target
 * @link:	The link's target, "PID/task/TID" (not NUL-terminated)
 * @len:	Its length
 *
 * In a new pid namespace whose /proc is still the parent's (unshare --pid
 * --fork), getpid() and gettid() are not the numbers /proc knows the
 * caller by; this link is.  No libc: the shim calls it in its SIGSYS
 * handler and in vfork children.
 *
 * Return: 0 with @pid and @tid set, -1 if @link is not of that form
 */
static inline int facet_procfs_parse_thread_self(const char *link, long len,
						 pid_t *pid, pid_t *tid)
{
	long i = 0, p = 0, t = 0;

	for (; i < len && link[i] >= '0' && link[i] <= '9'; i++)
		p = p * 10 + (link[i] - '0');
	if (!p || len - i < 7 || link[i] != '/' || link[i + 1] != 't' ||
	    link[i + 2] != 'a' || link[i + 3] != 's' || link[i + 4] != 'k' ||
	    link[i + 5] != '/')
		return -1;
	for (i += 6; i < len && link[i] >= '0' && link[i] <= '9'; i++)
		t = t * 10 + (link[i] - '0');
	if (!t || i != len)
		return -1;
	*pid = (pid_t)p;
	*tid = (pid_t)t;
	return 0;
}

int facet_procfs_thread_self(pid_t *pid, pid_t *tid);

#endif /* FACET_CORE_PROCFS_H */
