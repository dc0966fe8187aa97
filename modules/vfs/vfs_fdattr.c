// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vfs/vfs_fdattr.c - Calls that change a file through an fd
 *
 * DOC: The file an fd names, under --ro and --cow
 *
 * fchmod(), fchown(), fsetxattr(), fremovexattr() and the ioctls that set
 * a file's attributes (FS_IOC_SETFLAGS: chattr's immutable, append-only,
 * nodump...; FS_IOC_FSSETXATTR; FS_IOC_SETVERSION) work on any fd, one
 * opened read-only included, so the open's check does not cover them.
 * They fail with EROFS when the fd's file is under --ro or is a --cow
 * lower file.
 *
 * The check must hold for the file the call then changes.  Another thread
 * sharing the fd table could dup2() a --ro file onto the number between a
 * check of the number (/proc/TID/fd/N) and the kernel's call, so the
 * module takes the caller's file itself (pidfd_getfd(); a dup under
 * preload), checks that one, and makes the call on it, with the caller's
 * credentials (vfs_creds.c) and its arguments copied.  The ioctls whose
 * argument the module does not copy (FS_IOC_ENABLE_VERITY,
 * FS_IOC_SET_ENCRYPTION_POLICY: both need a file system feature Debian
 * leaves off) are checked by number and go on.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <linux/xattr.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "vfs.h"
#include "../../core/procfs.h"

#ifndef FS_IOC_ENABLE_VERITY
#define FS_IOC_ENABLE_VERITY	_IOW('f', 133, char[128])
#endif

/* Is the file at host path @host one the view does not let change? */
static int vfs_file_ro(struct vfs_self *s, const char *host)
{
	char guest[VFS_PATH_MAX];

	/* the --cow lower directory is never written, not even through fds */
	if (vfs_cow_lower(&s->t, host))
		return 1;
	if (host[0] != '/' || vfs_to_guest(&s->t, host, guest,
					   sizeof(guest)) < 0)
		return 0;
	return vfs_attr(&s->t, guest) == VFS_RO;
}

/* Is the file /proc link @link names one the view does not let change? */
static int vfs_link_ro(struct vfs_self *s, const char *link)
{
	char host[VFS_PATH_MAX];
	ssize_t n;

	n = readlink(link, host, sizeof(host) - 1);
	if (n <= 0)
		return 0;
	host[n] = '\0';
	return vfs_file_ro(s, host);
}

/**
 * vfs_fd_ro() - May a call change the file at the caller's fd @fd (its
 * working directory for AT_FDCWD)?
 *
 * A check of the number only: see vfs_fdattr_enter() for the calls it
 * makes itself.  Return: 0 or -EROFS.
 */
int vfs_fd_ro(struct vfs_self *s, struct facet_call *call, int fd)
{
	char link[64];

	if ((!s->t.has_ro && !s->t.has_cow) || (fd < 0 && fd != AT_FDCWD))
		return 0;
	if (fd == AT_FDCWD)
		snprintf(link, sizeof(link), "/proc/%d/cwd",
			 (int)facet_tid(call));
	else
		snprintf(link, sizeof(link), "/proc/%d/fd/%d",
			 (int)facet_tid(call), fd);
	return vfs_link_ro(s, link) ? -EROFS : 0;
}

/* The ioctls that change a file's attributes through any fd */
static int vfs_ioctl_sets_attr(unsigned long cmd)
{
	return cmd == FS_IOC_SETFLAGS || cmd == FS_IOC_FSSETXATTR ||
	       cmd == FS_IOC_SETVERSION || cmd == FS_IOC_ENABLE_VERITY ||
	       cmd == FS_IOC_SET_ENCRYPTION_POLICY;
}

VFS_COLD void vfs_fdattr_wants(const struct vfs_self *s,
			       struct facet_sysset *set)
{
	if (!s->t.has_ro && !s->t.has_cow)
		return;
	facet_sysset_add(set, SYS_fchmod, FACET_HOOK_ENTER);
	facet_sysset_add(set, SYS_fchown, FACET_HOOK_ENTER);
	facet_sysset_add(set, SYS_fsetxattr, FACET_HOOK_ENTER);
	facet_sysset_add(set, SYS_fremovexattr, FACET_HOOK_ENTER);
	/* the attribute ioctls have a direction (_IOW, _IOR); a terminal's
	 * (TCGETS, TIOCGWINSZ, FIONREAD...) have none and do not stop */
	facet_sysset_add(set, SYS_ioctl, FACET_HOOK_ENTER);
	facet_sysset_only_if(set, SYS_ioctl, 1, (uint64_t)_IOC_READ << _IOC_DIRSHIFT |
			     (uint64_t)_IOC_WRITE << _IOC_DIRSHIFT);
}

/*
 * A copy of the caller's @fd in this process; for AT_FDCWD its working
 * directory (O_PATH), which the *at calls with AT_EMPTY_PATH change.
 * Return: fd, or -errno (-EPERM: the caller's files may not be taken)
 */
static int vfs_caller_fd(struct vfs_self *s, struct facet_call *call, int fd)
{
	char cwd[64];
	int local;

	if (fd != AT_FDCWD)
		return facet_procfs_caller_fd(facet_pid(call),
					      facet_tid(call), fd,
					      s->in_process);
	/* preload: this is the caller's thread */
	if (s->in_process)
		snprintf(cwd, sizeof(cwd), ".");
	else
		snprintf(cwd, sizeof(cwd), "/proc/%d/cwd",
			 (int)facet_tid(call));
	local = open(cwd, O_PATH | O_CLOEXEC);
	if (local < 0)
		return errno == EACCES ? -EPERM : -errno;
	return local;
}

/* Size of what the ioctl @cmd's argument points to, copied both ways */
static size_t vfs_ioctl_argsize(unsigned long cmd)
{
	switch (cmd) {
	case FS_IOC_SETFLAGS:
	case FS_IOC_SETVERSION:
		return sizeof(int);	/* the kernel reads an int */
	case FS_IOC_FSSETXATTR:
		return sizeof(struct fsxattr);
	default:
		return 0;
	}
}

/* The result of syscall(): -errno for -1 */
static long vfs_ret(long r)
{
	return r == -1 ? -errno : r;
}

/* fsetxattr(@local, ...) with the caller's name and value */
static long vfs_fdattr_setxattr(struct facet_call *call, int local,
				const char *name)
{
	size_t size = facet_arg(call, 3);
	void *value = NULL;
	long ret;

	if (size > XATTR_SIZE_MAX)
		return -E2BIG;
	if (size && !(value = malloc(size)))
		return -ENOMEM;
	if (size && facet_peek(call, value, facet_arg(call, 2), size) !=
	    (ssize_t)size)
		ret = -EFAULT;
	else
		ret = vfs_ret(syscall(SYS_fsetxattr, local, name, value, size,
				      facet_arg(call, 4)));
	free(value);
	return ret;
}

/* Make @call (one of the calls above) on @local, this process's copy */
static long vfs_fdattr_make(struct facet_call *call, int local)
{
	char name[XATTR_NAME_MAX + 1];
	struct fsxattr arg;
	long nr = facet_nr(call);
	ssize_t n;

	switch (nr) {
	case SYS_fchmod:
		return vfs_ret(syscall(nr, local, facet_arg(call, 1)));
	case SYS_fchown:
		return vfs_ret(syscall(nr, local, facet_arg(call, 1),
				       facet_arg(call, 2)));
	case SYS_fsetxattr:
	case SYS_fremovexattr:
		n = facet_peek_str(call, name, facet_arg(call, 1),
				   sizeof(name));
		if (n < 0)
			return n == -ENAMETOOLONG ? -ERANGE : n;
		if (nr == SYS_fsetxattr)
			return vfs_fdattr_setxattr(call, local, name);
		return vfs_ret(syscall(nr, local, name));
	default:		/* SYS_ioctl */
		n = vfs_ioctl_argsize(facet_arg(call, 1));
		if (facet_peek(call, &arg, facet_arg(call, 2), n) != n)
			return -EFAULT;
		return vfs_ret(syscall(nr, local, facet_arg(call, 1), &arg));
	}
}

/* Finish @call with @ret; Return: 1 (for vfs_fdattr_enter()) */
static int vfs_fdattr_done(struct facet_call *call, enum facet_verdict *v,
			   long ret)
{
	facet_return(call, ret);
	*v = FACET_DONE;
	return 1;
}

/*
 * @call made by @make on the caller's file taken as @local, with the
 * caller's credentials, unless that file is a --ro or a --cow lower one
 * (EROFS); closes @local.  Return: 1, *@v set
 */
static int vfs_fdattr_on(struct vfs_self *s, struct facet_call *call,
			 int local, long (*make)(struct facet_call *, int),
			 enum facet_verdict *v)
{
	char link[64];
	long ret;
	int creds;

	snprintf(link, sizeof(link), "/proc/thread-self/fd/%d", local);
	if (vfs_link_ro(s, link)) {
		ret = -EROFS;
	} else {
		creds = vfs_creds_begin(s, call, 0);
		ret = creds < 0 ? creds : make(call, local);
		vfs_creds_end(creds);
	}
	close(local);
	return vfs_fdattr_done(call, v, ret);
}

/**
 * vfs_fdattr_enter() - fchmod(), fchown(), fsetxattr(), fremovexattr() or
 *			an ioctl under --ro or --cow
 *
 * Return: 1 with *@v set when @call was one of them, else 0
 */
int vfs_fdattr_enter(struct vfs_self *s, struct facet_call *call,
		     enum facet_verdict *v)
{
	long nr = facet_nr(call);
	int fd = facet_arg(call, 0), local;

	if (nr != SYS_ioctl && nr != SYS_fchmod && nr != SYS_fchown &&
	    nr != SYS_fsetxattr && nr != SYS_fremovexattr)
		return 0;
	*v = FACET_CONTINUE;
	if ((!s->t.has_ro && !s->t.has_cow) ||
	    (nr == SYS_ioctl && !vfs_ioctl_sets_attr(facet_arg(call, 1))))
		return 1;
	/* an argument not copied here, or a process the supervisor may not
	 * take fds from (not dumpable): the number is checked, the call
	 * goes on */
	local = nr == SYS_ioctl && !vfs_ioctl_argsize(facet_arg(call, 1)) ?
		-EPERM : vfs_caller_fd(s, call, fd);
	if (local == -EPERM)
		return fd != AT_FDCWD && vfs_fd_ro(s, call, fd) ?
		       vfs_fdattr_done(call, v, -EROFS) : 1;
	if (local < 0)
		return vfs_fdattr_done(call, v, local);
	return vfs_fdattr_on(s, call, local, vfs_fdattr_make, v);
}

/* @call, fchmodat2(), fchownat() or utimensat() on its dirfd itself, made
 * on @local with the caller's times copied */
static long vfs_fdattr_make_at(struct facet_call *call, int local)
{
	const char *path = facet_arg(call, 1) ? "" : NULL;
	struct timespec times[2];
	long nr = facet_nr(call);

	if (nr == SYS_fchownat)
		return vfs_ret(syscall(nr, local, path, facet_arg(call, 2),
				       facet_arg(call, 3), facet_arg(call, 4)));
	if (nr != SYS_utimensat)	/* fchmodat2 */
		return vfs_ret(syscall(nr, local, path, facet_arg(call, 2),
				       facet_arg(call, 3)));
	if (facet_arg(call, 2) &&
	    facet_peek(call, times, facet_arg(call, 2), sizeof(times)) !=
	    sizeof(times))
		return -EFAULT;
	return vfs_ret(syscall(nr, local, path,
			       facet_arg(call, 2) ? times : NULL,
			       facet_arg(call, 3)));
}

/**
 * vfs_fdattr_at() - fchmodat2(), fchownat() or utimensat() that work on
 *		     their dirfd itself (AT_EMPTY_PATH, futimens())
 *
 * Under --ro or --cow made here on the caller's file, checked, as
 * vfs_fdattr_enter() does.  Return: 1 with *@v set, or 0 for another call
 * (the caller checks its fd by number)
 */
int vfs_fdattr_at(struct vfs_self *s, struct facet_call *call, int fd,
		  enum facet_verdict *v)
{
	long nr = facet_nr(call);
	int local;

	if ((!s->t.has_ro && !s->t.has_cow) ||
	    (nr != 452 /* fchmodat2 */ && nr != SYS_fchownat &&
	     nr != SYS_utimensat))
		return 0;
	/* futimens(AT_FDCWD): no file, the kernel's EFAULT */
	if (fd == AT_FDCWD && !facet_arg(call, 1)) {
		*v = FACET_CONTINUE;
		return 1;
	}
	local = vfs_caller_fd(s, call, fd);
	if (local == -EPERM)
		return 0;
	if (local < 0)
		return vfs_fdattr_done(call, v, local);
	return vfs_fdattr_on(s, call, local, vfs_fdattr_make_at, v);
}
