// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vnet/vnet_procnet.c - /proc/net of the network, not the host's
 *
 * DOC: /proc/net
 *
 * The view's processes stay in the host's network namespace; only their
 * sockets are the network's.  /proc/net (the same directory as
 * /proc/self/net) describes the namespace of the process that opens it,
 * so netstat, route, arp and the scripts that read /proc/net/dev or
 * /proc/net/tcp would see the host.  An open() or openat() of
 * /proc/net[/NAME], /proc/self/net[/NAME], /proc/thread-self/net[/NAME],
 * or /proc/PID/net[/NAME] and /proc/PID/task/TID/net[/NAME] for a process
 * of the view, by absolute path, is an OPEN request to the keeper: it
 * opens /proc/self/net/NAME (its own namespace's) with the caller's flags
 * and sends the fd back.  The kernel makes a /proc/net file's text for the
 * namespace it was opened in, at each read, so the file stays live.
 *
 * A process of the view, for /proc/PID: the caller itself, or a
 * descendant of the view's anchor (the subreaper above the command under
 * preload, the supervisor under the ptracer), found by following the
 * parents in /proc/PID/stat.  Other processes' files are the kernel's.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "vnet.h"

/* How many parents to follow from a pid to the view's anchor */
#define VNET_PROCNET_DEPTH	128

/* Flags an OPEN request passes on (the rest are the keeper's own) */
#define VNET_PROCNET_FLAGS	(O_ACCMODE | O_DIRECTORY | O_NOFOLLOW | \
				 O_NONBLOCK | O_PATH | O_NOATIME)

/* Parse a decimal pid at @p; Return: it (@end past it) or -1 */
static long vnet_procnet_num(const char *p, const char **end)
{
	long n = 0;

	if (!isdigit((unsigned char)*p))
		return -1;
	while (isdigit((unsigned char)*p) && n < 1L << 30)
		n = n * 10 + (*p++ - '0');
	*end = p;
	return n;
}

/* The parent of @pid, from /proc/PID/stat; Return: it or -1 */
static long vnet_procnet_parent(long pid)
{
	char path[32], buf[512], *close_paren;
	ssize_t n;
	long ppid;
	int fd;

	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	fd = (int)syscall(SYS_openat, AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	/* "PID (COMM) S PPID ...": COMM may hold ')' */
	close_paren = strrchr(buf, ')');
	if (!close_paren || sscanf(close_paren + 1, " %*c %ld", &ppid) != 1)
		return -1;
	return ppid;
}

/* Is @pid a process of the view: below @anchor? */
static int vnet_procnet_in_view(long pid, pid_t anchor)
{
	int depth;

	for (depth = 0; depth < VNET_PROCNET_DEPTH && pid > 1; depth++) {
		pid = vnet_procnet_parent(pid);
		if (pid == anchor)
			return 1;
	}
	return 0;
}

/*
 * The part of @rest after ".../net": "" or "/NAME"; into @name without the
 * slashes around it and between components doubled.  Return: 1, 0 when
 * it is no /proc/net path, -ENOENT when it names nothing that could be
 * there ("..", too long)
 */
static int vnet_procnet_rest(const char *rest, char *name, size_t cap)
{
	size_t len = 0, start;

	if (*rest && *rest != '/')
		return 0;
	while (*rest) {
		while (*rest == '/')
			rest++;
		if (!*rest)
			break;
		start = len;
		if (len)
			name[len++] = '/';
		while (*rest && *rest != '/') {
			if (len + 1 >= cap)
				return -ENOENT;
			name[len++] = *rest++;
		}
		name[len] = '\0';
		if (!strcmp(name + start + !!start, ".") ||
		    !strcmp(name + start + !!start, ".."))
			return -ENOENT;
	}
	name[len] = '\0';
	return 1;
}

/**
 * vnet_procnet_name() - Is @path a /proc/net file the network answers?
 * @path:	Absolute path given to open()
 * @pid:	The caller's process
 * @tid:	The caller's thread
 * @anchor:	The view's anchor (see the DOC above), 0 if unknown
 * @name:	Set to the name under /proc/net ("" for the directory)
 * @cap:	Room in @name
 *
 * Return: 1 when the keeper is to open it, 0 when the kernel is, -ENOENT
 * when it is a /proc/net path of the view that cannot exist
 */
int vnet_procnet_name(const char *path, pid_t pid, pid_t tid, pid_t anchor,
		      char *name, size_t cap)
{
	const char *p = path, *end;
	long n, t;

	if (strncmp(p, "/proc/", 6))
		return 0;
	p += 6;
	while (*p == '/')
		p++;
	if (!strncmp(p, "net", 3))
		return vnet_procnet_rest(p + 3, name, cap);
	if (!strncmp(p, "self/net", 8))
		return vnet_procnet_rest(p + 8, name, cap);
	if (!strncmp(p, "thread-self/net", 15))
		return vnet_procnet_rest(p + 15, name, cap);
	n = vnet_procnet_num(p, &end);
	if (n < 0)
		return 0;
	p = end;
	if (!strncmp(p, "/task/", 6)) {
		t = vnet_procnet_num(p + 6, &end);
		if (t < 0)
			return 0;
		p = end;
		if (n == pid)
			n = t;	/* a thread of the caller: as the caller */
	}
	if (strncmp(p, "/net", 4))
		return 0;
	if (n != pid && n != tid &&
	    (!anchor || !vnet_procnet_in_view(n, anchor)))
		return 0;
	return vnet_procnet_rest(p + 4, name, cap);
}

/* A name as vnet_procnet_rest() makes them: components, no "." or ".." */
static int vnet_procnet_valid(const char *name, size_t cap)
{
	const char *p = name, *slash;
	size_t len;

	if (!memchr(name, '\0', cap))
		return 0;
	while (*p) {
		slash = strchr(p, '/');
		len = slash ? (size_t)(slash - p) : strlen(p);
		if (!len || (len == 1 && p[0] == '.') ||
		    (len == 2 && p[0] == '.' && p[1] == '.'))
			return 0;
		p += len;
		if (*p && !*++p)
			return 0;	/* a trailing slash */
	}
	return 1;
}

/**
 * vnet_procnet_open() - OPEN, in the keeper: /proc/self/net/@name
 * @name:	From the request; checked again here
 * @flags:	open() flags of the caller
 *
 * Return: the fd, close-on-exec, or -errno
 */
int vnet_procnet_open(const char *name, int flags)
{
	char path[32 + VNET_PROCNET_NAME];
	int fd;

	if (!vnet_procnet_valid(name, VNET_PROCNET_NAME))
		return -ENOENT;
	snprintf(path, sizeof(path), "/proc/self/net%s%s", name[0] ? "/" : "",
		 name);
	fd = open(path, (flags & VNET_PROCNET_FLAGS) | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}
