// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vfs/vfs_cmdline.c - /proc/PID/cmdline of a program whose loader
 * the view started by hand
 *
 * Under --root a program whose guest loader differs from the host's runs
 * as "LOADER --argv0 NAME PROGRAM ARGS" (vfs_exec.c).  Its
 * /proc/PID/cmdline, which ps, pgrep -f and the program itself read, is
 * answered as the kernel would answer it natively: "NAME ARGS".  Only
 * while the process runs that image (the view's table of guest
 * executables, vfs_exe_get()), and only if the arguments still have that
 * shape: a program that rewrote them (setproctitle) is shown as it is.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "vfs.h"

#define CMDLINE_MAX	(1 << 17)

static char cmdline_in[CMDLINE_MAX];

/* Is @host /proc/PID/cmdline of a process started through its loader? */
static int vfs_cmdline_of_loaded(struct vfs_self *s, const char *host)
{
	char exe[VFS_PATH_MAX];
	const char *p;
	pid_t pid;

	p = vfs_proc_entry(host, &pid);
	return p && !strcmp(p, "cmdline") &&
	       vfs_exe_get(s, pid, exe, sizeof(exe));
}

/*
 * The start of element @k of the @len bytes at @in (NUL-separated), or
 * NULL if there are not that many
 */
static const char *vfs_cmdline_elem(const char *in, size_t len, int k)
{
	const char *p = in, *end = in + len;

	while (k-- > 0) {
		p = memchr(p, '\0', (size_t)(end - p));
		if (!p || ++p >= end)
			return NULL;
	}
	return p;
}

/**
 * vfs_cmdline_open() - Answer an open of /proc/PID/cmdline
 * @host:	The resolved host path
 * @flags:	The open flags
 *
 * Return: FACET_DONE if answered, FACET_CONTINUE if the kernel's answer
 * is the right one
 */
enum facet_verdict vfs_cmdline_open(struct vfs_self *s,
				    struct facet_call *call, const char *host,
				    int flags)
{
	const char *name, *prog, *args;
	size_t len = 0;
	ssize_t n;
	int fd;

	if ((flags & O_ACCMODE) != O_RDONLY || (flags & (O_PATH | O_CREAT)) ||
	    !vfs_cmdline_of_loaded(s, host))
		return FACET_CONTINUE;
	fd = open(host, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return FACET_CONTINUE;
	while ((n = read(fd, cmdline_in + len, sizeof(cmdline_in) - len)) > 0)
		len += n;
	close(fd);
	name = vfs_cmdline_elem(cmdline_in, len, 2);
	prog = vfs_cmdline_elem(cmdline_in, len, 3);
	if (n < 0 || !prog ||
	    strcmp(vfs_cmdline_elem(cmdline_in, len, 1), "--argv0"))
		return FACET_CONTINUE;
	/* NAME, then what follows PROGRAM: moved down over PROGRAM */
	args = memchr(prog, '\0', len - (size_t)(prog - cmdline_in));
	if (!args)
		return FACET_CONTINUE;
	args++;
	len -= (size_t)(args - cmdline_in);
	memmove((char *)prog, args, len);
	len += (size_t)(prog - name);
	return vfs_answer_memfd(call, "cmdline", name, len, flags);
}
