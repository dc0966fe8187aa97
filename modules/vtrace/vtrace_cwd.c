// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vtrace/vtrace_cwd.c - Each process's working directory, for
 *				  "AT_FDCWD</home/me>" as strace -y shows it
 *
 * Calls relative to the working directory are frequent (openat, statx
 * with AT_FDCWD), the directory changes rarely: it is read with
 * readlink(/proc/PID/cwd) once per process and kept until a chdir,
 * fchdir or chroot succeeds anywhere (processes may share it: CLONE_FS),
 * or the process ends.  vtrace always intercepts those three calls.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vtrace.h"

/* Forget every process's directory (a chdir may concern several) */
void vtrace_cwd_forget_all(struct vtrace *v)
{
	int i;

	for (i = 0; i < VTRACE_CWDS; i++)
		v->cwd[i].pid = 0;
}

/* Forget @pid's directory: it ended */
void vtrace_cwd_forget(struct vtrace *v, pid_t pid)
{
	int i;

	for (i = 0; i < VTRACE_CWDS; i++)
		if (v->cwd[i].pid == pid)
			v->cwd[i].pid = 0;
}

/**
 * vtrace_cwd() - The working directory of process @pid
 * @v:		Module state
 * @pid:	Process
 *
 * Return: its path, or NULL if it cannot be read
 */
const char *vtrace_cwd(struct vtrace *v, pid_t pid)
{
	struct vtrace_cwd *c = NULL;
	char link[64];
	ssize_t n;
	int i;

	for (i = 0; i < VTRACE_CWDS; i++) {
		if (v->cwd[i].pid == pid)
			return v->cwd[i].path;
		if (!c && !v->cwd[i].pid)
			c = &v->cwd[i];
	}
	if (!c)
		c = &v->cwd[v->cwd_next++ % VTRACE_CWDS];
	snprintf(link, sizeof(link), "/proc/%d/cwd", pid);
	n = readlink(link, c->path, sizeof(c->path) - 1);
	if (n < 0)
		return NULL;
	c->path[n] = '\0';
	c->pid = pid;
	return c->path;
}
