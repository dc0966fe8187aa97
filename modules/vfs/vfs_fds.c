// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vfs/vfs_fds.c - Directory fds from outside the view
 *
 * DOC: Why it matters
 *
 * A single name relative to a dirfd (find's fstatat(dirfd, "f1",
 * AT_SYMLINK_NOFOLLOW), once per file) can go to the kernel unchanged
 * when the dirfd's directory is in the view and the name is none of the
 * rules' (vfs_sys.c, vfs_plain_name()): the kernel then finds the entry
 * the view would.  Under --root or --hide that holds only for directories
 * the view showed: an fd inherited from outside the view may be the
 * directory above a hidden file, or one outside the root.  Every directory
 * fd a process of the view opens went through the view, and so do the
 * cwd's changes (chdir() resolves, fchdir() takes such an fd); the other
 * ways to hold a directory fd are these:
 *
 * - fds the view's first process inherited (what the command inherits
 *   from whoever started facet): looked at once, when the view starts;
 * - fds received in an SCM_RIGHTS message (recvmsg, recvmmsg), and
 *   pidfd_getfd(): seen at the call by every process of the view.
 *
 * Either one marks the whole view (its shared state, for good): dirfds
 * are then looked up every time, as before.  A dirfd is still read again
 * from /proc at least once a second (vfs_base_recent()), so a directory
 * moved out of the view by a process outside it is not reached for
 * longer than the caches' one second.
 *
 * DOC: io_uring instances from outside
 *
 * io_uring_setup() fails with ENOSYS in the view, but an instance made
 * outside it and inherited (an fd without FD_CLOEXEC; the kernel refuses
 * to pass one in an SCM_RIGHTS message, and pidfd_getfd() of a process
 * outside the view is fenced) makes its opens, stats and renames in the
 * kernel, by paths no module sees: with an SQ polling thread not even a
 * system call of the view's is needed to submit them.  io_uring_enter()
 * and io_uring_register() fail with ENOSYS too, and a view whose command
 * would inherit such an fd does not start.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "vfs.h"

/* Is @fd an io_uring instance? */
static VFS_COLD int vfs_fd_is_ring(int fd)
{
	static const char ring[] = "anon_inode:[io_uring]";
	char link[64], target[sizeof(ring)];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, target, sizeof(target));
	return n == (ssize_t)sizeof(ring) - 1 && !memcmp(target, ring, n);
}

/*
 * vfs_fds_scan() - Does this process hold a directory fd that its next
 * exec keeps?  (The view's first process: what the command inherits.)
 * @ring:	Set to an io_uring fd the exec keeps, or -1
 */
static VFS_COLD int vfs_fds_scan(int *ring)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	int found = 0;

	*ring = -1;
	if (!d)
		return 1;	/* cannot tell: as if there were one */
	while ((de = readdir(d))) {
		struct stat st;
		int fd, fl;

		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		fd = atoi(de->d_name);
		if (fd == dirfd(d) || fstat(fd, &st) < 0)
			continue;
		fl = fcntl(fd, F_GETFD);
		if (fl >= 0 && (fl & FD_CLOEXEC))
			continue;
		if (S_ISDIR(st.st_mode))
			found = 1;
		else if (*ring < 0 && vfs_fd_is_ring(fd))
			*ring = fd;
	}
	closedir(d);
	return found;
}

/**
 * vfs_fds_start() - The view's first process: note whether the command
 * inherits a directory fd; refuse an io_uring instance (see above)
 *
 * Return: 0, or -EBADF with @err set
 */
VFS_COLD int vfs_fds_start(struct vfs_self *s, struct facet_err *err)
{
	int ring;

	if (vfs_fds_scan(&ring))
		s->sh->foreign_dirfd = 1;
	if (ring >= 0)
		return facet_err_set(err, EBADF, "vfs: fd %d is an io_uring "
				     "instance, whose calls would not go "
				     "through the view; close it or make it "
				     "close-on-exec", ring);
	return 0;
}

/**
 * vfs_fds_wants() - The calls that can bring in an fd from outside, where
 * the view relies on there being none (vfs_fds_none())
 */
VFS_COLD void vfs_fds_wants(struct vfs_self *s, struct facet_sysset *set)
{
	const struct vfs_table *t = &s->t;

	if (!s->in_process || !(t->has_root || t->has_hide) || t->has_cow)
		return;
	facet_sysset_add(set, SYS_recvmsg, FACET_HOOK_EXIT);
	facet_sysset_add(set, SYS_recvmmsg, FACET_HOOK_EXIT);
	facet_sysset_add(set, SYS_pidfd_getfd, FACET_HOOK_ENTER);
}

/**
 * vfs_fds_none() - Is every directory fd of the view one the view showed?
 */
VFS_HOT int vfs_fds_none(const struct vfs_self *s)
{
	return !__atomic_load_n(&s->sh->foreign_dirfd, __ATOMIC_RELAXED);
}

static void vfs_fds_mark(struct vfs_self *s)
{
	__atomic_store_n(&s->sh->foreign_dirfd, 1, __ATOMIC_RELAXED);
}

/*
 * Did the message header at @at bring fds (SCM_RIGHTS)?  Control data
 * that cannot be read, or longer than looked at, counts as yes.
 */
static int vfs_fds_msg(struct facet_call *call, uintptr_t at)
{
	unsigned char ctl[512];
	struct msghdr mh;
	size_t off = 0;

	if (facet_peek(call, &mh, at, sizeof(mh)) != sizeof(mh))
		return 1;
	if (!mh.msg_control || mh.msg_controllen < sizeof(struct cmsghdr))
		return 0;
	if (mh.msg_controllen > sizeof(ctl) ||
	    facet_peek(call, ctl, (uintptr_t)mh.msg_control,
		       mh.msg_controllen) != (ssize_t)mh.msg_controllen)
		return 1;
	while (off + sizeof(struct cmsghdr) <= mh.msg_controllen) {
		struct cmsghdr cm;

		memcpy(&cm, ctl + off, sizeof(cm));
		if (cm.cmsg_level == SOL_SOCKET && cm.cmsg_type == SCM_RIGHTS)
			return 1;
		if (cm.cmsg_len < sizeof(struct cmsghdr))
			return 0;
		off += CMSG_ALIGN(cm.cmsg_len);
	}
	return 0;
}

/**
 * vfs_fds_enter() - pidfd_getfd() (an fd of another process), recvmmsg()
 * (seen at its exit)
 *
 * Return: 1 if @call is one of this file's (*@v set), 0 if not
 */
int vfs_fds_enter(struct vfs_self *s, struct facet_call *call,
		  enum facet_verdict *v)
{
	switch (facet_nr(call)) {
	case SYS_pidfd_getfd:
		vfs_fds_mark(s);
		*v = FACET_CONTINUE;
		return 1;
	case SYS_recvmmsg:
		*v = FACET_CONTINUE_EXIT;
		return 1;
	default:
		return 0;
	}
}

/**
 * vfs_fds_exit() - recvmsg(), recvmmsg(): did fds arrive?
 */
void vfs_fds_exit(struct vfs_self *s, struct facet_call *call)
{
	long i, n = facet_result(call);
	uintptr_t vec = facet_arg(call, 1);

	if (n < 0 || !vfs_fds_none(s))
		return;
	if (facet_nr(call) == SYS_recvmsg) {
		if (vfs_fds_msg(call, vec))
			vfs_fds_mark(s);
		return;
	}
	for (i = 0; i < n; i++)
		if (vfs_fds_msg(call, vec + i * sizeof(struct mmsghdr))) {
			vfs_fds_mark(s);
			return;
		}
}
