// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * core/procfs.c - What /proc says of other processes
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "procfs.h"

#ifndef PIDFD_THREAD
#define PIDFD_THREAD	O_EXCL
#endif

/**
 * facet_procfs_read() - Read /proc/@pid/@file into @buf, NUL-terminated
 * @cap:	Size of @buf (at most @cap - 1 bytes are read)
 *
 * One read(): /proc files of one line or a few come whole.
 *
 * Return: the length, or -errno
 */
ssize_t facet_procfs_read(pid_t pid, const char *file, char *buf,
			  size_t cap)
{
	char path[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, file);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, cap - 1);
	if (n < 0)
		n = -errno;
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return n;
}

/**
 * facet_procfs_status() - A number of /proc/@pid/status
 * @key:	The field, "TracerPid" or "Umask"
 * @base:	10, or 8 for Umask
 *
 * The first 4 kB are read: the fields before Groups (those are the ones
 * asked for; a user of many groups makes the rest longer).
 *
 * Return: the value, or -1 if the file or the field is not there
 */
long facet_procfs_status(pid_t pid, const char *key, int base)
{
	char buf[4096], *p, *end;
	size_t klen = strlen(key);
	long v;

	if (facet_procfs_read(pid, "status", buf, sizeof(buf)) <= 0)
		return -1;
	for (p = buf; (p = strstr(p, key)); p += klen)
		if ((p == buf || p[-1] == '\n') && p[klen] == ':') {
			v = strtol(p + klen + 1, &end, base);
			return end == p + klen + 1 ? -1 : v;
		}
	return -1;
}

/**
 * facet_procfs_pidfd_pid() - The process a pidfd of thread @tid names
 * @fd:		The fd in @tid's table
 *
 * Return: its pid (in facet's namespace), or 0 if @fd is no pidfd
 */
pid_t facet_procfs_pidfd_pid(pid_t tid, long fd)
{
	char path[64], line[128];
	int pid = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/fdinfo/%ld", tid, fd);
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Pid: %d", &pid) == 1)
			break;
	fclose(f);
	return pid > 0 ? pid : 0;
}

/**
 * facet_procfs_caller_fd() - A copy of fd @fd of thread @tid (process
 * @pid) in this process, to work on the caller's file itself rather than
 * on a number it may dup2() over meanwhile
 * @in_process:	The caller is this process (preload): a dup
 *
 * Return: the new fd (close-on-exec), or -errno (-EPERM: a process that
 * is not dumpable)
 */
int facet_procfs_caller_fd(pid_t pid, pid_t tid, int fd, int in_process)
{
	int pidfd, local;

	if (in_process) {
		local = fcntl(fd, F_DUPFD_CLOEXEC, 0);
		return local < 0 ? -errno : local;
	}
	pidfd = (int)syscall(SYS_pidfd_open, tid, PIDFD_THREAD);
	if (pidfd < 0)	/* kernels before 6.9: the process's */
		pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0)
		return -errno;
	local = (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);
	if (local < 0)
		local = -errno;
	close(pidfd);
	return local;
}

/**
 * facet_procfs_thread_self() - The calling thread as /proc numbers it
 * @pid, @tid:	Set to its process and thread ids there
 *
 * See facet_procfs_parse_thread_self(); where /proc cannot tell (not
 * mounted), the ids of the caller's own pid namespace.
 *
 * Return: 0, or -1 when those are the namespace's ids
 */
int facet_procfs_thread_self(pid_t *pid, pid_t *tid)
{
	char link[48];
	ssize_t n;

	n = readlink("/proc/thread-self", link, sizeof(link));
	if (n > 0 && facet_procfs_parse_thread_self(link, n, pid, tid) == 0)
		return 0;
	*pid = getpid();
	*tid = (pid_t)syscall(SYS_gettid);
	return -1;
}
