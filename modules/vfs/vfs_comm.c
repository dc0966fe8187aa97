// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vfs/vfs_comm.c - The process name an exec gives, as natively
 *
 * DOC: Process names
 *
 * The kernel names a process after the last component of the path given
 * to execve() (/proc/PID/comm, what ps, top, pgrep and killall show):
 * "cc" for /usr/bin/cc, a symlink; "myscript" for a "#!/bin/sh" script.
 * In a view the kernel is given the host path the module resolved: the
 * symlink's target ("x86_64-linux-gnu-gcc-12"), or for a script the
 * interpreter ("dash").  So when the two names differ the exec leaves
 * the native one in the view's shared memory ("vfs-comm", by pid), and
 * the new image's instance of the module, under the preload shim, takes
 * it at its start and sets it with PR_SET_NAME.  A program the shim is
 * not in (a static one, or any under the plain ptracer) keeps the
 * kernel's name: the supervisor cannot name another process.  Where the
 * symlink leads to the same file on the host, the exec is given the
 * symlink itself and the names do not differ (vfs_exec_named()).
 */
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "vfs.h"

/* The name the kernel makes of an exec'd @path: its last component, in
 * at most 15 bytes (TASK_COMM_LEN) */
static void vfs_comm_of(const char *path, char name[VFS_COMM_LEN])
{
	snprintf(name, VFS_COMM_LEN, "%s", vfs_last_name(path));
}

/* @pid's entry in @x, or x->n; with the lock held */
static int vfs_comm_find(const struct vfs_comms *x, pid_t pid)
{
	int i;

	for (i = 0; i < x->n; i++)
		if (x->e[i].pid == pid)
			break;
	return i;
}

/* Forget @pid's name; with the lock held */
static void vfs_comm_drop(struct vfs_comms *x, pid_t pid)
{
	int i = vfs_comm_find(x, pid);

	if (i < x->n)
		x->e[i] = x->e[--x->n];
}

/**
 * vfs_comm_exec() - @pid execs the file given as @given, the kernel is
 * given @host: remember the native name if the kernel would make another
 */
void vfs_comm_exec(struct vfs_self *s, pid_t pid, const char *given,
		   const char *host)
{
	char native[VFS_COMM_LEN], kernel[VFS_COMM_LEN];
	struct vfs_comms *x = s->comms;
	int i;

	vfs_comm_of(given, native);
	vfs_comm_of(host, kernel);
	if (!strcmp(native, kernel)) {
		if (__atomic_load_n(&x->n, __ATOMIC_RELAXED)) {
			vfs_spin_lock(&x->lock);
			vfs_comm_drop(x, pid);	/* an earlier exec's */
			vfs_spin_unlock(&x->lock);
		}
		return;
	}
	vfs_spin_lock(&x->lock);
	i = vfs_comm_find(x, pid);
	if (i < x->n || x->n < VFS_COMM_MAX) {
		if (i == x->n)
			x->n++;
		x->e[i].pid = pid;
		memcpy(x->e[i].name, native, sizeof(native));
	}
	vfs_spin_unlock(&x->lock);
}

/**
 * vfs_comm_start() - A new image of this process: take the name its exec
 * left, if any (in-process instances only)
 */
void vfs_comm_start(struct vfs_self *s)
{
	struct vfs_comms *x = s->comms;
	char name[VFS_COMM_LEN] = "";
	pid_t pid;
	int i;

	if (!s->in_process || !__atomic_load_n(&x->n, __ATOMIC_RELAXED))
		return;
	pid = getpid();
	vfs_spin_lock(&x->lock);
	i = vfs_comm_find(x, pid);
	if (i < x->n) {
		memcpy(name, x->e[i].name, sizeof(name));
		x->e[i] = x->e[--x->n];
	}
	vfs_spin_unlock(&x->lock);
	if (name[0])
		prctl(PR_SET_NAME, name);
}

/* vfs_comm_exit() - @pid ended: forget a name an exec of it left */
void vfs_comm_exit(struct vfs_self *s, pid_t pid)
{
	struct vfs_comms *x = s->comms;

	if (!__atomic_load_n(&x->n, __ATOMIC_RELAXED))
		return;
	vfs_spin_lock(&x->lock);
	vfs_comm_drop(x, pid);
	vfs_spin_unlock(&x->lock);
}
