// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vfs/vfs_fdtrue.c - Is the path /proc shows for a dirfd its own?
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "vfs.h"

/* Is @host the file @fd gives statx() of, on the same mount? */
static int vfs_fd_same(const struct statx *fd, const char *host)
{
	struct statx path;

	if (statx(AT_FDCWD, host, 0, STATX_INO | STATX_MNT_ID, &path) < 0)
		return -errno;
	return (fd->stx_mask & path.stx_mask & STATX_MNT_ID) &&
	       fd->stx_mnt_id == path.stx_mnt_id &&
	       fd->stx_ino == path.stx_ino &&
	       fd->stx_dev_major == path.stx_dev_major &&
	       fd->stx_dev_minor == path.stx_dev_minor;
}

/*
 * vfs_fd_true() - Does @host, the path /proc shows for @link (a dirfd's
 * /proc/TID/fd/N or the cwd's /proc/TID/cwd), lead to that very directory,
 * on the same mount?
 *
 * /proc shows a path as seen from the mount namespace the file was opened
 * in.  A directory fd opened in another one (a process outside the view
 * that bind-mounted a hidden directory over a visible one in a namespace
 * of its own, or made a detached tree with open_tree(), then sent the fd
 * over a socket) shows a path the view allows while the kernel, walking
 * from the fd, reaches the hidden files.  The same mount (its id) and
 * inode say the path is the fd's own, and that a walk below it crosses
 * the mounts the view has there.  Under the ptracer the fd may be one
 * the supervisor opened (in its namespace) or one the caller opened in a
 * mount namespace of its own (unshare(CLONE_NEWNS)): @host is looked up
 * in the supervisor's, then through /proc/TID/root.
 *
 * @seen:	If not NULL, what fstat() of the fd said before its path was
 *		read: another thread may have put another directory on the
 *		number (dup2, fchdir) between the two, and a path kept for
 *		@seen's inode would then be another directory's
 *
 * Return: 0 if so, -ENOENT if not (as an fd whose path is outside the
 * view), -EAGAIN if the fd is no longer @seen, or the error of the look-up
 */
int vfs_fd_true(pid_t tid, const char *link, const char *host,
		const struct stat *seen)
{
	static char in_ns[VFS_PATH_MAX + 32];
	struct statx fd;
	int ret;

	if (statx(AT_FDCWD, link, 0, STATX_INO | STATX_MNT_ID, &fd) < 0)
		return -errno;
	if (seen && (fd.stx_ino != seen->st_ino ||
		     makedev(fd.stx_dev_major, fd.stx_dev_minor) !=
		     seen->st_dev))
		return -EAGAIN;
	ret = vfs_fd_same(&fd, host);
	if (ret == 0 && !vfs_in_process()) {
		if ((size_t)snprintf(in_ns, sizeof(in_ns), "/proc/%d/root%s",
				     (int)tid, host) >= sizeof(in_ns))
			return -ENAMETOOLONG;
		ret = vfs_fd_same(&fd, in_ns);
	}
	if (ret < 0)
		return ret;
	return ret ? 0 : -ENOENT;
}
