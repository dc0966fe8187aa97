// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * preload/shim_file.c - Fast wrappers: calls that take a path or an fd
 *
 * Each libc function is mapped to the syscall glibc 2.36 makes for it on
 * x86_64 (open() is openat(AT_FDCWD, ...), stat() is newfstatat(), ...),
 * so modules see the same calls as under the ptracer.  Plain, 64, *at,
 * fortified (__*_2) and the old __xstat family are all here.
 */
#include <fcntl.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/inotify.h>
#include <sys/fanotify.h>
#include <sys/mount.h>
#include <sys/quota.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "shim_trap.h"
#include "shim_wrap.h"

#define AT	AT_FDCWD

typedef int (*open_fn)(const char *, int, ...);
typedef int (*openat_fn)(int, const char *, int, ...);

/* The modules' half of open() and openat(): 1 to pass them to libc */
static inline __attribute__((always_inline)) int
file_openat(int dirfd, const char *path, int flags, mode_t mode, int *ret)
{
	struct shim_pass p;

	if (!shim_wants(SYS_openat)) {
		if (!shim_host_busy())
			return 1;
		*ret = (int)shim_host_call(SYS_openat, dirfd, (long)path,
					   flags, mode, 0, 0);
		return 0;
	}
	p = shim_pass(dirfd, (long)path, flags, mode, 0, SYS_openat);
	*ret = (int)p.ret;
	return (int)p.pass;
}

#define FILE_OPEN(name)							\
	SHIM_HOT int name(const char *path, int flags, ...)		\
	{								\
		mode_t mode = 0;					\
		va_list ap;						\
		int ret;						\
									\
		if (shim_open_needs_mode(flags)) {			\
			va_start(ap, flags);				\
			mode = va_arg(ap, mode_t);			\
			va_end(ap);					\
		}							\
		if (!file_openat(AT, path, flags, mode, &ret))		\
			return ret;					\
		return SHIM_NEXT(open_fn, #name)(path, flags, mode);	\
	}

#define FILE_OPENAT(name)						\
	SHIM_HOT int name(int dirfd, const char *path, int flags, ...)	\
	{								\
		mode_t mode = 0;					\
		va_list ap;						\
		int ret;						\
									\
		if (shim_open_needs_mode(flags)) {			\
			va_start(ap, flags);				\
			mode = va_arg(ap, mode_t);			\
			va_end(ap);					\
		}							\
		if (!file_openat(dirfd, path, flags, mode, &ret))	\
			return ret;					\
		return SHIM_NEXT(openat_fn, #name)(dirfd, path, flags,	\
						   mode);		\
	}

FILE_OPEN(open)
FILE_OPEN(open64)
/* glibc's other exported names of open() */
FILE_OPEN(__open)
FILE_OPEN(__open64)
FILE_OPENAT(openat)
FILE_OPENAT(openat64)
SHIM_WRAP(int, __open_2, SYS_openat, (const char *p, int f), (p, f),
	  AT, p, f, 0, 0, 0)
SHIM_WRAP(int, __open64_2, SYS_openat, (const char *p, int f), (p, f),
	  AT, p, f, 0, 0, 0)
SHIM_WRAP(int, __openat_2, SYS_openat, (int d, const char *p, int f),
	  (d, p, f), d, p, f, 0, 0, 0)
SHIM_WRAP(int, __openat64_2, SYS_openat, (int d, const char *p, int f),
	  (d, p, f), d, p, f, 0, 0, 0)
SHIM_WRAP(int, creat, SYS_creat, (const char *p, mode_t m), (p, m),
	  p, m, 0, 0, 0, 0)
SHIM_WRAP(int, creat64, SYS_creat, (const char *p, mode_t m), (p, m),
	  p, m, 0, 0, 0, 0)

/* stat: all newfstatat, as glibc 2.33+ does it */
#define NFS	SYS_newfstatat
#define NOFOLLOW AT_SYMLINK_NOFOLLOW
SHIM_WRAP(int, stat, NFS, (const char *p, struct stat *b), (p, b),
	  AT, p, b, 0, 0, 0)
SHIM_WRAP(int, stat64, NFS, (const char *p, struct stat64 *b), (p, b),
	  AT, p, b, 0, 0, 0)
SHIM_WRAP(int, lstat, NFS, (const char *p, struct stat *b), (p, b),
	  AT, p, b, NOFOLLOW, 0, 0)
SHIM_WRAP(int, lstat64, NFS, (const char *p, struct stat64 *b), (p, b),
	  AT, p, b, NOFOLLOW, 0, 0)
SHIM_WRAP(int, fstat, NFS, (int fd, struct stat *b), (fd, b),
	  fd, "", b, AT_EMPTY_PATH, 0, 0)
SHIM_WRAP(int, fstat64, NFS, (int fd, struct stat64 *b), (fd, b),
	  fd, "", b, AT_EMPTY_PATH, 0, 0)
SHIM_WRAP(int, fstatat, NFS, (int d, const char *p, struct stat *b, int f),
	  (d, p, b, f), d, p, b, f, 0, 0)
SHIM_WRAP(int, fstatat64, NFS,
	  (int d, const char *p, struct stat64 *b, int f), (d, p, b, f),
	  d, p, b, f, 0, 0)
SHIM_WRAP(int, __xstat, NFS, (int v, const char *p, struct stat *b),
	  (v, p, b), AT, p, b, 0, 0, 0)
SHIM_WRAP(int, __xstat64, NFS, (int v, const char *p, struct stat64 *b),
	  (v, p, b), AT, p, b, 0, 0, 0)
SHIM_WRAP(int, __lxstat, NFS, (int v, const char *p, struct stat *b),
	  (v, p, b), AT, p, b, NOFOLLOW, 0, 0)
SHIM_WRAP(int, __lxstat64, NFS, (int v, const char *p, struct stat64 *b),
	  (v, p, b), AT, p, b, NOFOLLOW, 0, 0)
SHIM_WRAP(int, __fxstat, NFS, (int v, int fd, struct stat *b), (v, fd, b),
	  fd, "", b, AT_EMPTY_PATH, 0, 0)
SHIM_WRAP(int, __fxstat64, NFS, (int v, int fd, struct stat64 *b),
	  (v, fd, b), fd, "", b, AT_EMPTY_PATH, 0, 0)
SHIM_WRAP(int, __fxstatat, NFS,
	  (int v, int d, const char *p, struct stat *b, int f),
	  (v, d, p, b, f), d, p, b, f, 0, 0)
SHIM_WRAP(int, __fxstatat64, NFS,
	  (int v, int d, const char *p, struct stat64 *b, int f),
	  (v, d, p, b, f), d, p, b, f, 0, 0)
SHIM_WRAP(int, statx, SYS_statx,
	  (int d, const char *p, int f, unsigned m, struct statx *b),
	  (d, p, f, m, b), d, p, f, m, b, 0)
SHIM_WRAP(int, statfs, SYS_statfs, (const char *p, struct statfs *b),
	  (p, b), p, b, 0, 0, 0, 0)
SHIM_WRAP(int, statfs64, SYS_statfs, (const char *p, struct statfs64 *b),
	  (p, b), p, b, 0, 0, 0, 0)
SHIM_WRAP(int, fstatfs, SYS_fstatfs, (int fd, struct statfs *b), (fd, b),
	  fd, b, 0, 0, 0, 0)
SHIM_WRAP(int, fstatfs64, SYS_fstatfs, (int fd, struct statfs64 *b),
	  (fd, b), fd, b, 0, 0, 0, 0)

/* names, links, modes */
SHIM_WRAP(int, access, SYS_access, (const char *p, int m), (p, m),
	  p, m, 0, 0, 0, 0)
SHIM_WRAP(ssize_t, readlink, SYS_readlink, (const char *p, char *b, size_t n),
	  (p, b, n), p, b, n, 0, 0, 0)
SHIM_WRAP(ssize_t, readlinkat, SYS_readlinkat,
	  (int d, const char *p, char *b, size_t n), (d, p, b, n),
	  d, p, b, n, 0, 0)
SHIM_WRAP(int, unlink, SYS_unlink, (const char *p), (p), p, 0, 0, 0, 0, 0)
SHIM_WRAP(int, unlinkat, SYS_unlinkat, (int d, const char *p, int f),
	  (d, p, f), d, p, f, 0, 0, 0)
SHIM_WRAP(int, rmdir, SYS_rmdir, (const char *p), (p), p, 0, 0, 0, 0, 0)
SHIM_WRAP(int, mkdir, SYS_mkdir, (const char *p, mode_t m), (p, m),
	  p, m, 0, 0, 0, 0)
SHIM_WRAP(int, mkdirat, SYS_mkdirat, (int d, const char *p, mode_t m),
	  (d, p, m), d, p, m, 0, 0, 0)
SHIM_WRAP(int, rename, SYS_rename, (const char *a, const char *b), (a, b),
	  a, b, 0, 0, 0, 0)
SHIM_WRAP(int, renameat, SYS_renameat,
	  (int da, const char *a, int db, const char *b), (da, a, db, b),
	  da, a, db, b, 0, 0)
SHIM_WRAP(int, renameat2, SYS_renameat2,
	  (int da, const char *a, int db, const char *b, unsigned f),
	  (da, a, db, b, f), da, a, db, b, f, 0)
SHIM_WRAP(int, link, SYS_link, (const char *a, const char *b), (a, b),
	  a, b, 0, 0, 0, 0)
SHIM_WRAP(int, linkat, SYS_linkat,
	  (int da, const char *a, int db, const char *b, int f),
	  (da, a, db, b, f), da, a, db, b, f, 0)
SHIM_WRAP(int, symlink, SYS_symlink, (const char *a, const char *b), (a, b),
	  a, b, 0, 0, 0, 0)
SHIM_WRAP(int, symlinkat, SYS_symlinkat,
	  (const char *a, int d, const char *b), (a, d, b), a, d, b, 0, 0, 0)
SHIM_WRAP(int, chmod, SYS_chmod, (const char *p, mode_t m), (p, m),
	  p, m, 0, 0, 0, 0)
SHIM_WRAP(int, fchmod, SYS_fchmod, (int fd, mode_t m), (fd, m),
	  fd, m, 0, 0, 0, 0)
SHIM_WRAP(int, chown, SYS_chown, (const char *p, uid_t u, gid_t g),
	  (p, u, g), p, u, g, 0, 0, 0)
SHIM_WRAP(int, lchown, SYS_lchown, (const char *p, uid_t u, gid_t g),
	  (p, u, g), p, u, g, 0, 0, 0)
SHIM_WRAP(int, fchown, SYS_fchown, (int fd, uid_t u, gid_t g),
	  (fd, u, g), fd, u, g, 0, 0, 0)
SHIM_WRAP(int, fchownat, SYS_fchownat,
	  (int d, const char *p, uid_t u, gid_t g, int f), (d, p, u, g, f),
	  d, p, u, g, f, 0)
SHIM_WRAP(int, truncate, SYS_truncate, (const char *p, off_t l), (p, l),
	  p, l, 0, 0, 0, 0)
SHIM_WRAP(int, truncate64, SYS_truncate, (const char *p, off64_t l), (p, l),
	  p, l, 0, 0, 0, 0)
SHIM_WRAP(int, ftruncate, SYS_ftruncate, (int fd, off_t l), (fd, l),
	  fd, l, 0, 0, 0, 0)
SHIM_WRAP(int, ftruncate64, SYS_ftruncate, (int fd, off64_t l), (fd, l),
	  fd, l, 0, 0, 0, 0)
SHIM_WRAP(int, chdir, SYS_chdir, (const char *p), (p), p, 0, 0, 0, 0, 0)
SHIM_WRAP(int, fchdir, SYS_fchdir, (int fd), (fd), fd, 0, 0, 0, 0, 0)
SHIM_WRAP(int, mknodat, SYS_mknodat,
	  (int d, const char *p, mode_t m, dev_t v), (d, p, m, v),
	  d, p, m, v, 0, 0)
SHIM_WRAP(int, mknod, SYS_mknodat, (const char *p, mode_t m, dev_t v),
	  (p, m, v), AT, p, m, v, 0, 0)
SHIM_WRAP(int, utimensat, SYS_utimensat,
	  (int d, const char *p, const struct timespec t[2], int f),
	  (d, p, t, f), d, p, t, f, 0, 0)
SHIM_WRAP(int, futimens, SYS_utimensat,
	  (int fd, const struct timespec t[2]), (fd, t), fd, 0, t, 0, 0, 0)

/* extended attributes, watches, mounts: path-taking calls libc makes directly */
SHIM_WRAP(ssize_t, getxattr, SYS_getxattr,
	  (const char *p, const char *n, void *v, size_t s), (p, n, v, s),
	  p, n, v, s, 0, 0)
SHIM_WRAP(ssize_t, lgetxattr, SYS_lgetxattr,
	  (const char *p, const char *n, void *v, size_t s), (p, n, v, s),
	  p, n, v, s, 0, 0)
SHIM_WRAP(int, setxattr, SYS_setxattr,
	  (const char *p, const char *n, const void *v, size_t s, int f),
	  (p, n, v, s, f), p, n, v, s, f, 0)
SHIM_WRAP(int, lsetxattr, SYS_lsetxattr,
	  (const char *p, const char *n, const void *v, size_t s, int f),
	  (p, n, v, s, f), p, n, v, s, f, 0)
SHIM_WRAP(int, fsetxattr, SYS_fsetxattr,
	  (int fd, const char *n, const void *v, size_t s, int f),
	  (fd, n, v, s, f), fd, n, v, s, f, 0)
SHIM_WRAP(ssize_t, listxattr, SYS_listxattr,
	  (const char *p, char *l, size_t s), (p, l, s), p, l, s, 0, 0, 0)
SHIM_WRAP(ssize_t, llistxattr, SYS_llistxattr,
	  (const char *p, char *l, size_t s), (p, l, s), p, l, s, 0, 0, 0)
SHIM_WRAP(int, removexattr, SYS_removexattr, (const char *p, const char *n),
	  (p, n), p, n, 0, 0, 0, 0)
SHIM_WRAP(int, lremovexattr, SYS_lremovexattr,
	  (const char *p, const char *n), (p, n), p, n, 0, 0, 0, 0)
SHIM_WRAP(int, fremovexattr, SYS_fremovexattr, (int fd, const char *n),
	  (fd, n), fd, n, 0, 0, 0, 0)
SHIM_WRAP(int, inotify_add_watch, SYS_inotify_add_watch,
	  (int fd, const char *p, uint32_t m), (fd, p, m), fd, p, m, 0, 0, 0)
SHIM_WRAP(int, mount, SYS_mount,
	  (const char *s, const char *t, const char *f, unsigned long m,
	   const void *d), (s, t, f, m, d), s, t, f, m, d, 0)
SHIM_WRAP(int, umount, SYS_umount2, (const char *t), (t), t, 0, 0, 0, 0, 0)
SHIM_WRAP(int, umount2, SYS_umount2, (const char *t, int f), (t, f),
	  t, f, 0, 0, 0, 0)
SHIM_WRAP(int, name_to_handle_at, SYS_name_to_handle_at,
	  (int d, const char *p, struct file_handle *h, int *m, int f),
	  (d, p, h, m, f), d, p, h, m, f, 0)
SHIM_WRAP(int, open_by_handle_at, SYS_open_by_handle_at,
	  (int d, struct file_handle *h, int f), (d, h, f), d, h, f, 0, 0, 0)
/* the new mount API (glibc 2.36 wraps it): paths, and mounts under them */
SHIM_WRAP(int, open_tree, SYS_open_tree, (int d, const char *p, unsigned f),
	  (d, p, f), d, p, f, 0, 0, 0)
SHIM_WRAP(int, fspick, SYS_fspick, (int d, const char *p, unsigned f),
	  (d, p, f), d, p, f, 0, 0, 0)
SHIM_WRAP(int, move_mount, SYS_move_mount,
	  (int fd, const char *fp, int td, const char *tp, unsigned f),
	  (fd, fp, td, tp, f), fd, fp, td, tp, f, 0)
SHIM_WRAP(int, mount_setattr, SYS_mount_setattr,
	  (int d, const char *p, unsigned f, struct mount_attr *a, size_t n),
	  (d, p, f, a, n), d, p, f, a, n, 0)
SHIM_WRAP(int, fanotify_mark, SYS_fanotify_mark,
	  (int fd, unsigned f, uint64_t m, int d, const char *p),
	  (fd, f, m, d, p), fd, f, m, d, p, 0)
SHIM_WRAP(int, quotactl, SYS_quotactl,
	  (int c, const char *s, int id, caddr_t a), (c, s, id, a),
	  c, s, id, a, 0, 0)
SHIM_WRAP(int, acct, SYS_acct, (const char *p), (p), p, 0, 0, 0, 0, 0)
SHIM_WRAP(int, swapon, SYS_swapon, (const char *p, int f), (p, f),
	  p, f, 0, 0, 0, 0)
SHIM_WRAP(int, swapoff, SYS_swapoff, (const char *p), (p), p, 0, 0, 0, 0, 0)

SHIM_HOT int faccessat(int d, const char *p, int m, int f)
{
	long nr = f ? SYS_faccessat2 : SYS_faccessat;
	long a[6] = { d, (long)p, m, f };

	if (!shim_wants(nr)) {
		if (shim_host_busy())
			return (int)shim_host_call(nr, d, (long)p, m, f, 0, 0);
		return SHIM_NEXT(int (*)(int, const char *, int, int),
				 "faccessat")(d, p, m, f);
	}
	return (int)shim_ret(shim_dispatch(nr, a));
}

SHIM_HOT int fchmodat(int d, const char *p, mode_t m, int f)
{
	int (*real)(int, const char *, mode_t, int) =
		SHIM_NEXT(int (*)(int, const char *, mode_t, int), "fchmodat");
	long a[6] = { d, (long)p, m };
	int tok, ret;

	/* with AT_SYMLINK_NOFOLLOW glibc opens the file O_PATH and chmods
	 * /proc/self/fd/N, inside libc: trap mode, as lchmod() */
	if (f) {
		if (!shim_trap_wanted(TRAP_LCHMOD))
			return real(d, p, m, f);
		tok = shim_trap_enter();
		ret = real(d, p, m, f);
		shim_trap_leave(tok);
		return ret;
	}
	if (!shim_wants(SYS_fchmodat))
		return real(d, p, m, f);
	return (int)shim_ret(shim_dispatch(SYS_fchmodat, a));
}

/* --- fds ----------------------------------------------------------------- */

SHIM_WRAP(int, close, SYS_close, (int fd), (fd), fd, 0, 0, 0, 0, 0)
SHIM_WRAP(ssize_t, read, SYS_read, (int fd, void *b, size_t n), (fd, b, n),
	  fd, b, n, 0, 0, 0)
SHIM_WRAP(ssize_t, write, SYS_write, (int fd, const void *b, size_t n),
	  (fd, b, n), fd, b, n, 0, 0, 0)
SHIM_WRAP(ssize_t, pread, SYS_pread64, (int fd, void *b, size_t n, off_t o),
	  (fd, b, n, o), fd, b, n, o, 0, 0)
SHIM_WRAP(ssize_t, pread64, SYS_pread64,
	  (int fd, void *b, size_t n, off64_t o), (fd, b, n, o),
	  fd, b, n, o, 0, 0)
SHIM_WRAP(ssize_t, pwrite, SYS_pwrite64,
	  (int fd, const void *b, size_t n, off_t o), (fd, b, n, o),
	  fd, b, n, o, 0, 0)
SHIM_WRAP(ssize_t, pwrite64, SYS_pwrite64,
	  (int fd, const void *b, size_t n, off64_t o), (fd, b, n, o),
	  fd, b, n, o, 0, 0)
SHIM_WRAP(ssize_t, readv, SYS_readv,
	  (int fd, const struct iovec *v, int n), (fd, v, n), fd, v, n, 0, 0, 0)
SHIM_WRAP(ssize_t, writev, SYS_writev,
	  (int fd, const struct iovec *v, int n), (fd, v, n), fd, v, n, 0, 0, 0)
SHIM_WRAP(off_t, lseek, SYS_lseek, (int fd, off_t o, int w), (fd, o, w),
	  fd, o, w, 0, 0, 0)
SHIM_WRAP(off64_t, lseek64, SYS_lseek, (int fd, off64_t o, int w),
	  (fd, o, w), fd, o, w, 0, 0, 0)
SHIM_WRAP(int, dup, SYS_dup, (int fd), (fd), fd, 0, 0, 0, 0, 0)
SHIM_WRAP(int, dup2, SYS_dup2, (int a, int b), (a, b), a, b, 0, 0, 0, 0)
SHIM_WRAP(int, dup3, SYS_dup3, (int a, int b, int f), (a, b, f),
	  a, b, f, 0, 0, 0)
SHIM_WRAP(int, pipe, SYS_pipe2, (int p[2]), (p), p, 0, 0, 0, 0, 0)
SHIM_WRAP(int, pipe2, SYS_pipe2, (int p[2], int f), (p, f), p, f, 0, 0, 0, 0)
SHIM_WRAP(int, fsync, SYS_fsync, (int fd), (fd), fd, 0, 0, 0, 0, 0)
SHIM_WRAP(int, fdatasync, SYS_fdatasync, (int fd), (fd), fd, 0, 0, 0, 0, 0)
SHIM_WRAP(ssize_t, getdents64, SYS_getdents64, (int fd, void *b, size_t n),
	  (fd, b, n), fd, b, n, 0, 0, 0)

SHIM_HOT int fcntl(int fd, int cmd, ...)
{
	long arg, a[6];
	va_list ap;

	va_start(ap, cmd);
	arg = va_arg(ap, long);
	va_end(ap);
	if (!shim_wants(SYS_fcntl)) {
		if (shim_host_busy())
			return (int)shim_host_call(SYS_fcntl, fd, cmd, arg, 0,
						   0, 0);
		return SHIM_NEXT(int (*)(int, int, ...), "fcntl")(fd, cmd, arg);
	}
	a[0] = fd;
	a[1] = cmd;
	a[2] = arg;
	a[3] = a[4] = a[5] = 0;
	return (int)shim_ret(shim_dispatch(SYS_fcntl, a));
}

SHIM_HOT int fcntl64(int fd, int cmd, ...)
{
	long arg;
	va_list ap;

	va_start(ap, cmd);
	arg = va_arg(ap, long);
	va_end(ap);
	return fcntl(fd, cmd, arg);
}

SHIM_HOT int ioctl(int fd, unsigned long req, ...)
{
	long arg, a[6];
	va_list ap;

	va_start(ap, req);
	arg = va_arg(ap, long);
	va_end(ap);
	if (!shim_wants(SYS_ioctl))
		return SHIM_NEXT(int (*)(int, unsigned long, ...),
				 "ioctl")(fd, req, arg);
	a[0] = fd;
	a[1] = (long)req;
	a[2] = arg;
	a[3] = a[4] = a[5] = 0;
	return (int)shim_ret(shim_dispatch(SYS_ioctl, a));
}
