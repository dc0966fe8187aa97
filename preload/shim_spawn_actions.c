// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * preload/shim_spawn_actions.c - posix_spawn()'s file actions in the view
 *
 * posix_spawn_file_actions_addopen() and _addchdir_np() name paths the
 * child opens or enters inside libc, after its clone, where the shim sees
 * nothing: a hidden file was opened, a --bind path was not found.  When a
 * module wants openat or chdir, the actions are made again for the real
 * call: each open is made in the parent through the interposed openat()
 * (the whole chain: a hidden file fails there with posix_spawn's error)
 * and becomes a dup2 of that fd; a chdir becomes an fchdir to a directory
 * opened the same way, and a relative open after it is opened relative to
 * that directory.  The parent's fds sit above every fd the actions name,
 * close-on-exec, and are closed when the spawn returns.
 *
 * The actions are read from glibc's private struct __spawn_action (2.36's
 * layout); its layout is checked once with actions of known values, and
 * when it does not match the actions are passed on unchanged, with a
 * warning.
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <string.h>
#include <unistd.h>

#include "../core/log.h"
#include "shim.h"

/* glibc 2.36's sysdeps/posix/spawn_int.h */
struct glibc_spawn_action {
	enum {
		SPAWN_CLOSE, SPAWN_DUP2, SPAWN_OPEN, SPAWN_CHDIR,
		SPAWN_FCHDIR, SPAWN_CLOSEFROM, SPAWN_TCSETPGRP
	} tag;
	union {
		struct { int fd; } close_action;
		struct { int fd, newfd; } dup2_action;
		struct { int fd; char *path; int oflag; mode_t mode; } open_action;
		struct { char *path; } chdir_action;
		struct { int fd; } fchdir_action;
		struct { int from; } closefrom_action;
		struct { int fd; } tcsetpgrp_action;
	} action;
};

static const struct glibc_spawn_action *
actions_of(const posix_spawn_file_actions_t *fa, int *n)
{
	*n = fa->__used;
	return (const struct glibc_spawn_action *)fa->__actions;
}

/* Does glibc lay the actions out as struct glibc_spawn_action says? */
static SHIM_COLD int actions_layout_checked(void)
{
	static int checked;	/* 0 not yet, 1 yes, -1 no */
	const struct glibc_spawn_action *a;
	posix_spawn_file_actions_t fa;
	int n, ok;

	if (checked)
		return checked > 0;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addclose(&fa, 7);
	posix_spawn_file_actions_adddup2(&fa, 3, 4);
	posix_spawn_file_actions_addopen(&fa, 5, "/o", O_WRONLY, 0640);
	posix_spawn_file_actions_addchdir_np(&fa, "/c");
	posix_spawn_file_actions_addfchdir_np(&fa, 9);
	a = actions_of(&fa, &n);
	ok = n == 5 && a[0].tag == SPAWN_CLOSE &&
	     a[0].action.close_action.fd == 7 && a[1].tag == SPAWN_DUP2 &&
	     a[1].action.dup2_action.fd == 3 &&
	     a[1].action.dup2_action.newfd == 4 && a[2].tag == SPAWN_OPEN &&
	     a[2].action.open_action.fd == 5 &&
	     !strcmp(a[2].action.open_action.path, "/o") &&
	     a[2].action.open_action.oflag == O_WRONLY &&
	     a[2].action.open_action.mode == 0640 && a[3].tag == SPAWN_CHDIR &&
	     !strcmp(a[3].action.chdir_action.path, "/c") &&
	     a[4].tag == SPAWN_FCHDIR && a[4].action.fchdir_action.fd == 9;
	posix_spawn_file_actions_destroy(&fa);
	checked = ok ? 1 : -1;
	if (!ok)
		facet_logmsg(FACET_LOG_WARNING, "preload: this libc's "
			     "posix_spawn file actions are not laid out as "
			     "glibc 2.36's; their paths are not seen by the "
			     "view (use --backend ptrace)");
	return ok;
}

/*
 * 1 if an action names a path, 0 if none does, -1 if one does after a
 * closefrom (which would close the parent's fds in the child first)
 */
static int actions_have_paths(const posix_spawn_file_actions_t *fa)
{
	const struct glibc_spawn_action *a;
	int i, n, paths = 0, closed = 0;

	a = actions_of(fa, &n);
	for (i = 0; i < n; i++) {
		if (a[i].tag == SPAWN_CLOSEFROM)
			closed = 1;
		if (a[i].tag == SPAWN_OPEN || a[i].tag == SPAWN_CHDIR)
			paths = closed ? -1 : 1;
		if (paths < 0)
			break;
	}
	return paths;
}

/* An fd above every fd the actions name: the child's own are safe */
static int actions_fd_floor(const struct glibc_spawn_action *a, int n)
{
	int i, floor = 100;

	for (i = 0; i < n; i++) {
		int hi = a[i].action.dup2_action.fd;

		if (a[i].tag == SPAWN_DUP2 && a[i].action.dup2_action.newfd > hi)
			hi = a[i].action.dup2_action.newfd;
		if (a[i].tag != SPAWN_CHDIR && hi >= floor)
			floor = hi + 1;
	}
	return floor;
}

/* @fd moved to @floor or above, close-on-exec; -errno */
static int actions_lift(int fd, int floor)
{
	int high;

	if (fd < 0)
		return -errno;
	high = fcntl(fd, F_DUPFD_CLOEXEC, floor);
	high = high < 0 ? -errno : high;
	close(fd);
	return high;
}

/**
 * shim_spawn_actions() - The file actions to spawn with, in the view
 * @fa:		The program's actions (may be NULL)
 * @out:	Initialized here when the actions must be made again
 * @opened:	The parent's fds to close after the spawn (-1 ended)
 * @cap:	Room in @opened
 *
 * Return: @fa itself (*@err 0), @out (shim_spawn_actions_done() after
 * the spawn), or NULL with *@err set (the open's or chdir's errno, which
 * posix_spawn() returns)
 */
const posix_spawn_file_actions_t *
shim_spawn_actions(const posix_spawn_file_actions_t *fa,
		   posix_spawn_file_actions_t *out, int *opened, int cap,
		   int *err)
{
	const struct glibc_spawn_action *a;
	int i, n, floor, dirfd = AT_FDCWD, used = 0, fd, paths;

	*err = 0;
	opened[0] = -1;
	if (!fa || !fa->__used ||
	    (!shim_wants(SYS_openat) && !shim_wants(SYS_chdir)) ||
	    !actions_layout_checked())
		return fa;
	paths = actions_have_paths(fa);
	if (!paths)
		return fa;
	if (paths < 0) {
		facet_logmsg(FACET_LOG_ERROR, "preload: posix_spawn with a "
			     "file action that opens a path after a "
			     "closefrom action cannot be run in the view; "
			     "run with --backend ptrace");
		*err = ENOSYS;
		return NULL;
	}
	a = actions_of(fa, &n);
	floor = actions_fd_floor(a, n);
	posix_spawn_file_actions_init(out);
	for (i = 0; i < n && !*err; i++) {
		switch (a[i].tag) {
		case SPAWN_OPEN:
		case SPAWN_CHDIR:
			if (used + 1 >= cap) {
				*err = EMFILE;
				break;
			}
			fd = a[i].tag == SPAWN_OPEN ?
				openat(dirfd, a[i].action.open_action.path,
				       a[i].action.open_action.oflag,
				       a[i].action.open_action.mode) :
				openat(dirfd, a[i].action.chdir_action.path,
				       O_PATH | O_DIRECTORY);
			fd = actions_lift(fd, floor);
			if (fd < 0) {
				*err = -fd;
				break;
			}
			opened[used++] = fd;
			opened[used] = -1;
			if (a[i].tag == SPAWN_OPEN) {
				posix_spawn_file_actions_adddup2(
					out, fd, a[i].action.open_action.fd);
			} else {
				posix_spawn_file_actions_addfchdir_np(out, fd);
				dirfd = fd;
			}
			break;
		case SPAWN_FCHDIR:
			posix_spawn_file_actions_addfchdir_np(
				out, a[i].action.fchdir_action.fd);
			dirfd = a[i].action.fchdir_action.fd;
			break;
		case SPAWN_CLOSE:
			posix_spawn_file_actions_addclose(
				out, a[i].action.close_action.fd);
			break;
		case SPAWN_DUP2:
			posix_spawn_file_actions_adddup2(
				out, a[i].action.dup2_action.fd,
				a[i].action.dup2_action.newfd);
			break;
		case SPAWN_CLOSEFROM:
			/* the parent's fds above: keep them until used */
			posix_spawn_file_actions_addclosefrom_np(
				out, a[i].action.closefrom_action.from);
			break;
		case SPAWN_TCSETPGRP:
			posix_spawn_file_actions_addtcsetpgrp_np(
				out, a[i].action.tcsetpgrp_action.fd);
			break;
		}
	}
	if (*err) {
		shim_spawn_actions_done(out, opened);
		return NULL;
	}
	return out;
}

/* After the spawn: the parent's fds closed, @out freed (errno kept) */
void shim_spawn_actions_done(posix_spawn_file_actions_t *out,
			     const int *opened)
{
	int i, saved_errno = errno;

	for (i = 0; opened[i] >= 0; i++)
		close(opened[i]);
	posix_spawn_file_actions_destroy(out);
	errno = saved_errno;
}
