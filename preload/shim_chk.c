// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * preload/shim_chk.c - The fortified (_FORTIFY_SOURCE) entry points
 *
 * A program built with _FORTIFY_SOURCE calls __read_chk() and friends,
 * which reach the syscall inside libc.  These check the buffer size as
 * glibc does and go on through the shim's own wrapper.
 */
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "shim.h"

extern void __chk_fail(void) __attribute__((noreturn));

SHIM_HOT ssize_t __read_chk(int fd, void *buf, size_t n, size_t buflen)
{
	if (n > buflen)
		__chk_fail();
	return read(fd, buf, n);
}

SHIM_HOT ssize_t __pread_chk(int fd, void *buf, size_t n, off_t off, size_t buflen)
{
	if (n > buflen)
		__chk_fail();
	return pread(fd, buf, n, off);
}

SHIM_HOT ssize_t __pread64_chk(int fd, void *buf, size_t n, off64_t off,
		      size_t buflen)
{
	if (n > buflen)
		__chk_fail();
	return pread64(fd, buf, n, off);
}

SHIM_HOT ssize_t __readlink_chk(const char *path, char *buf, size_t n, size_t buflen)
{
	if (n > buflen)
		__chk_fail();
	return readlink(path, buf, n);
}

SHIM_HOT ssize_t __readlinkat_chk(int dirfd, const char *path, char *buf, size_t n,
			 size_t buflen)
{
	if (n > buflen)
		__chk_fail();
	return readlinkat(dirfd, path, buf, n);
}

SHIM_HOT char *__getcwd_chk(char *buf, size_t size, size_t buflen)
{
	if (size > buflen)
		__chk_fail();
	return getcwd(buf, size);
}

SHIM_HOT char *__realpath_chk(const char *path, char *resolved, size_t resolvedlen)
{
	if (resolvedlen < PATH_MAX)
		__chk_fail();
	return realpath(path, resolved);
}

SHIM_HOT ssize_t __recv_chk(int fd, void *buf, size_t n, size_t buflen, int flags)
{
	if (n > buflen)
		__chk_fail();
	return recv(fd, buf, n, flags);
}

SHIM_HOT ssize_t __recvfrom_chk(int fd, void *buf, size_t n, size_t buflen,
		       int flags, struct sockaddr *addr, socklen_t *addrlen)
{
	if (n > buflen)
		__chk_fail();
	return recvfrom(fd, buf, n, flags, addr, addrlen);
}

SHIM_HOT int __poll_chk(struct pollfd *fds, nfds_t nfds, int timeout, size_t fdslen)
{
	if (fdslen / sizeof(*fds) < nfds)
		__chk_fail();
	return poll(fds, nfds, timeout);
}

SHIM_HOT int __gethostname_chk(char *buf, size_t len, size_t buflen)
{
	if (len > buflen)
		__chk_fail();
	return gethostname(buf, len);
}
