// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vfs/vfs_emul.c - Hot read-only calls answered by the module
 *
 * The stat family, access, readlink and the xattr reads are the bulk of a
 * tree walk.  Rewriting their path costs a ptrace stop; instead the module
 * declares them FACET_HOOK_ENTER (a seccomp notification, a few µs), makes
 * the call itself on the resolved host path and writes the result into
 * the caller's buffer.  The module runs with the caller's uid and gid, so
 * permission checks come out the same.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "vfs.h"

#ifndef AT_EMPTY_PATH
#define AT_EMPTY_PATH	0x1000
#endif

/*
 * When the module runs in the caller (preload: vfs_in_process()), the
 * call made on the host path takes the caller's own buffers and names, as
 * the kernel would have (a bad pointer is EFAULT from the kernel), with no
 * copy through the module's.
 */
#define vfs_emul_direct	vfs_in_process()

/* The file type a stat call wrote at @addr in the caller, 0 if unread */
VFS_HOT static mode_t vfs_mode_at(struct facet_call *call, uintptr_t addr)
{
	uint16_t mode = 0;

	if (facet_peek(call, &mode, addr, sizeof(mode)) != sizeof(mode))
		return 0;
	return mode;
}

/**
 * vfs_emul_nolink() - Did @call, a stat call that does not follow the last
 * component and succeeded, find something other than a symlink?
 *
 * Read from the caller's buffer, as vfs_cache_seen() is told: what the hot
 * lane keeps with its entry, so that ls -l's getxattr after its statx
 * needs no look-up in the seen table.
 *
 * Return: 1 if so, 0 if not or not known
 */
VFS_HOT int vfs_emul_nolink(struct facet_call *call)
{
	mode_t mode;

	switch (facet_nr(call)) {
	case SYS_lstat:
		mode = vfs_mode_at(call, facet_arg(call, 1) +
				   offsetof(struct stat, st_mode));
		break;
	case SYS_newfstatat:
		mode = vfs_mode_at(call, facet_arg(call, 2) +
				   offsetof(struct stat, st_mode));
		break;
	case SYS_statx:
		mode = vfs_mode_at(call, facet_arg(call, 4) +
				   offsetof(struct statx, stx_mode));
		break;
	default:
		return 0;
	}
	return mode && !S_ISLNK(mode);
}

/* Copy @len bytes of @src to the caller at @addr; 0 or -EFAULT */
static long vfs_out(struct facet_call *call, uintptr_t addr, const void *src,
		    size_t len)
{
	if (!len)
		return 0;
	return facet_poke(call, addr, src, len) == (ssize_t)len ? 0 : -EFAULT;
}

VFS_HOT static long vfs_emul_stat(struct facet_call *call, const char *host,
			  int flags, int buf_arg)
{
	uint64_t gen = host ? vfs_cache_generation() : 0;
	uintptr_t at = facet_arg(call, buf_arg);
	struct stat st;

	if (vfs_emul_direct) {
		if (fstatat(AT_FDCWD, host, (struct stat *)at,
			    flags & AT_SYMLINK_NOFOLLOW) < 0)
			return -errno;
		if (flags & AT_SYMLINK_NOFOLLOW)
			vfs_cache_seen(host, vfs_mode_at(call, at +
				       offsetof(struct stat, st_mode)), gen);
		return 0;
	}
	if (fstatat(AT_FDCWD, host, &st, flags & AT_SYMLINK_NOFOLLOW) < 0)
		return -errno;
	if (flags & AT_SYMLINK_NOFOLLOW)
		vfs_cache_seen(host, st.st_mode, gen);
	return vfs_out(call, facet_arg(call, buf_arg), &st, sizeof(st));
}

VFS_HOT static long vfs_emul_statx(struct facet_call *call, const char *host)
{
	int flags = facet_arg(call, 2) & ~AT_EMPTY_PATH;
	uint64_t gen = host ? vfs_cache_generation() : 0;
	uintptr_t at = facet_arg(call, 4);
	struct statx stx;

	if (vfs_emul_direct) {
		if (statx(AT_FDCWD, host, flags, facet_arg(call, 3),
			  (struct statx *)at) < 0)
			return -errno;
		if (flags & AT_SYMLINK_NOFOLLOW)
			vfs_cache_seen(host, vfs_mode_at(call, at +
				       offsetof(struct statx, stx_mode)), gen);
		return 0;
	}
	if (statx(AT_FDCWD, host, flags, facet_arg(call, 3), &stx) < 0)
		return -errno;
	if ((flags & AT_SYMLINK_NOFOLLOW) && (stx.stx_mask & STATX_TYPE))
		vfs_cache_seen(host, stx.stx_mode, gen);
	return vfs_out(call, facet_arg(call, 4), &stx, sizeof(stx));
}

/* Reads into a caller buffer of @size: allocate, call, copy back */
VFS_HOT static long vfs_emul_buf(struct facet_call *call, int buf_arg, long size,
			 long (*fn)(const char *host, const char *name,
				    char *buf, size_t size, int nofollow),
			 const char *host, const char *name, int nofollow)
{
	/* static: xattr values are at most 64 KiB; no allocation here */
	static char buf[65536];
	long n;

	if (size < 0)
		return -EINVAL;
	if (vfs_emul_direct)
		return fn(host, name, (char *)facet_arg(call, buf_arg), size,
			  nofollow);
	if (size > (long)sizeof(buf))
		size = sizeof(buf);
	n = fn(host, name, size ? buf : NULL, size, nofollow);
	if (n > 0 && size && vfs_out(call, facet_arg(call, buf_arg), buf, n))
		n = -EFAULT;
	return n;
}

static long vfs_do_readlink(const char *host, const char *name, char *buf,
			    size_t size, int nofollow)
{
	uint64_t gen = host ? vfs_cache_generation() : 0;
	ssize_t n;

	(void)name;
	(void)nofollow;
	if (!size)
		return -EINVAL;
	n = readlink(host, buf, size);
	if (n < 0 && errno == EINVAL)
		vfs_cache_seen(host, 0, gen);	/* not a symlink */
	return n < 0 ? -errno : n;
}

VFS_HOT static long vfs_do_getxattr(const char *host, const char *name, char *buf,
			    size_t size, int nofollow)
{
	ssize_t n = nofollow ? lgetxattr(host, name, buf, size) :
			       getxattr(host, name, buf, size);

	return n < 0 ? -errno : n;
}

static long vfs_do_listxattr(const char *host, const char *name, char *buf,
			     size_t size, int nofollow)
{
	ssize_t n = nofollow ? llistxattr(host, buf, size) :
			       listxattr(host, buf, size);

	(void)name;
	return n < 0 ? -errno : n;
}

/**
 * vfs_emul() - Answer call @call on the resolved @res
 * @follow:	The last component was followed
 *
 * Return: 1 with @result set when the call was answered here, 0 when the
 * call is not one of the emulated ones
 */
int vfs_emul(struct facet_call *call, const struct vfs_res *res, int follow,
	     long *result)
{
	return vfs_emul_host(call, res->host, follow, result);
}

/* vfs_emul() on host path @host */
VFS_HOT int vfs_emul_host(struct facet_call *call, const char *host, int follow,
		  long *result)
{
	char name[256];
	long nr = facet_nr(call);
	int nof = !follow ? AT_SYMLINK_NOFOLLOW : 0;

	switch (nr) {
	case SYS_stat:
	case SYS_lstat:
		*result = vfs_emul_stat(call, host, nof, 1);
		return 1;
	case SYS_newfstatat:
		*result = vfs_emul_stat(call, host, nof, 2);
		return 1;
	case SYS_statx:
		*result = vfs_emul_statx(call, host);
		return 1;
	case SYS_access:
		*result = faccessat(AT_FDCWD, host, facet_arg(call, 1),
				    vfs_creds_taken() ? AT_EACCESS : 0) < 0 ?
			  -errno : 0;
		return 1;
	case SYS_faccessat:
	case SYS_faccessat2:
		*result = faccessat(AT_FDCWD, host, facet_arg(call, 2),
				    (nr == SYS_faccessat2 ?
				     facet_arg(call, 3) & AT_EACCESS : 0) |
				    (vfs_creds_taken() ? AT_EACCESS : 0) |
				    nof) < 0 ? -errno : 0;
		return 1;
	case SYS_readlink:
		*result = vfs_emul_buf(call, 1, facet_arg(call, 2),
				       vfs_do_readlink, host, NULL, 1);
		return 1;
	case SYS_readlinkat:
		*result = vfs_emul_buf(call, 2, facet_arg(call, 3),
				       vfs_do_readlink, host, NULL, 1);
		return 1;
	case SYS_getxattr:
	case SYS_lgetxattr:
		if (vfs_emul_direct) {
			*result = vfs_emul_buf(call, 2, facet_arg(call, 3),
					       vfs_do_getxattr, host,
					       (const char *)facet_arg(call, 1),
					       nr == SYS_lgetxattr);
			return 1;
		}
		*result = facet_peek_str(call, name, facet_arg(call, 1),
					 sizeof(name));
		if (*result < 0) {	/* a name too long is ERANGE */
			if (*result == -ENAMETOOLONG)
				*result = -ERANGE;
			return 1;
		}
		*result = vfs_emul_buf(call, 2, facet_arg(call, 3),
				       vfs_do_getxattr, host, name,
				       nr == SYS_lgetxattr);
		return 1;
	case SYS_listxattr:
	case SYS_llistxattr:
		*result = vfs_emul_buf(call, 1, facet_arg(call, 2),
				       vfs_do_listxattr, host, NULL,
				       nr == SYS_llistxattr);
		return 1;
	default:
		return 0;
	}
}

/**
 * vfs_emul_as_is() - Make the caller's own lstat(), or newfstatat() or
 * statx() that does not follow, with its own arguments (@path: the path it
 * gave, as read here), when the module runs in the caller, and remember
 * what it says of @host, the file's host path (vfs_cache_seen()), if
 * known
 *
 * For a path the kernel walks as it is (vfs_res.literal): the call is the
 * same as letting it through, and a later call that follows the name (ls
 * -l's getxattr after its statx) then needs no readlink of the module's.
 *
 * Return: 1 with @result set, 0 if @call is none of those
 */
int vfs_emul_as_is(struct facet_call *call, const char *path,
		   const char *host, long *result)
{
	uint64_t gen = host ? vfs_cache_generation() : 0;
	long nr = facet_nr(call), ret;
	uintptr_t at;
	size_t off;

	if (!vfs_emul_direct)
		return 0;
	switch (nr) {
	case SYS_lstat:
		at = facet_arg(call, 1);
		off = offsetof(struct stat, st_mode);
		ret = lstat(path, (struct stat *)at);
		break;
	case SYS_newfstatat:
		at = facet_arg(call, 2);
		off = offsetof(struct stat, st_mode);
		ret = fstatat(facet_arg(call, 0), path, (struct stat *)at,
			      facet_arg(call, 3));
		break;
	case SYS_statx:
		at = facet_arg(call, 4);
		off = offsetof(struct statx, stx_mode);
		ret = statx(facet_arg(call, 0), path, facet_arg(call, 2),
			    facet_arg(call, 3), (struct statx *)at);
		break;
	default:
		return 0;
	}
	*result = ret < 0 ? -errno : 0;
	if (ret == 0 && host)
		vfs_cache_seen(host, vfs_mode_at(call, at + off), gen);
	return 1;
}

/*
 * @host opened with no symlink on the way (openat2(RESOLVE_NO_SYMLINKS));
 * -EAGAIN if openat2() cannot make this open (flags it refuses, no
 * openat2): then as a plain open
 */
static int vfs_open_nosym(const char *host, int flags)
{
	struct open_how how = {
		.flags = (unsigned int)flags,
		.resolve = RESOLVE_NO_SYMLINKS,
	};
	long fd = syscall(SYS_openat2, AT_FDCWD, host, &how, sizeof(how));

	if (fd >= 0)
		return (int)fd;
	return errno == EINVAL || errno == ENOSYS || errno == E2BIG ?
	       -EAGAIN : -errno;
}

/**
 * vfs_open_notified() - An open(2)/openat(2) seen at a notification
 * @res:	The resolved path
 * @flags:	The caller's open flags (never O_PATH, O_CREAT or O_TMPFILE:
 *		those are ptrace stops, see VFS_OPEN_TRACED)
 * @nosym:	Walk no symlink where the module opens the file
 *		(vfs_open_no_symlinks() in vfs_sys.c)
 *
 * The path cannot be rewritten here.  When the caller's own path leads to
 * the same file (@res->literal: most paths under --bind and relative ones)
 * the call goes on to the kernel unchanged, with every native semantic,
 * unless the caller's memory may change before the kernel reads the path
 * again (facet_args_stable()).
 * Otherwise the module opens the host file and hands the fd over; files
 * whose open may block (FIFOs, devices) are opened by the backend without
 * holding up other calls.
 *
 * Return: the verdict
 */
enum facet_verdict vfs_open_notified(struct facet_call *call,
				     const struct vfs_res *res, int flags,
				     int nosym)
{
	struct stat st;
	int fd;

	if (res->literal && facet_args_stable(call))
		return FACET_CONTINUE;
	if (flags & (O_PATH | O_CREAT | O_TMPFILE)) {
		facet_return(call, -ENOSYS);	/* filtered out: cannot happen */
		return FACET_DONE;
	}
	if (fstatat(AT_FDCWD, res->host, &st,
		    flags & O_NOFOLLOW ? AT_SYMLINK_NOFOLLOW : 0) < 0) {
		facet_return(call, -errno);
		return FACET_DONE;
	}
	if (S_ISREG(st.st_mode) || S_ISDIR(st.st_mode) || S_ISLNK(st.st_mode)) {
		fd = nosym ? vfs_open_nosym(res->host, flags) : -EAGAIN;
		if (fd == -EAGAIN) {
			fd = open(res->host, flags);
			if (fd < 0)
				fd = -errno;
		}
		if (fd < 0)
			facet_return(call, fd);
		else
			facet_return_fd(call, fd);
		return FACET_DONE;
	}
	fd = facet_return_open(call, res->host, flags | O_NOCTTY);
	if (fd < 0)
		facet_return(call, fd);
	return FACET_DONE;
}
