// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vfs/vfs_proc.c - Results that carry paths: getcwd, magic links,
 * directory listings
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "vfs.h"

/* Answer a buffer-returning call with @str; @nul counts the NUL */
static enum facet_verdict vfs_answer(struct facet_call *call, uintptr_t buf,
				     size_t size, const char *str, int nul)
{
	size_t len = strlen(str) + (nul ? 1 : 0);

	if (nul && len > size) {
		facet_return(call, -ERANGE);
		return FACET_DONE;
	}
	if (len > size)
		len = size;
	if (facet_poke(call, buf, str, len) != (ssize_t)len) {
		facet_return(call, -EFAULT);
		return FACET_DONE;
	}
	facet_return(call, len);
	return FACET_DONE;
}

/**
 * vfs_getcwd() - getcwd(2) answered with the guest path of the cwd
 */
enum facet_verdict vfs_getcwd(struct vfs_self *s, struct facet_call *call)
{
	struct vfs_ctx ctx = { &s->t, facet_pid(call), facet_tid(call) };
	char guest[VFS_PATH_MAX];
	int ret;

	ret = vfs_base(&ctx, -100, guest, sizeof(guest));
	if (ret < 0) {
		facet_return(call, ret);
		return FACET_DONE;
	}
	return vfs_answer(call, facet_arg(call, 0), facet_arg(call, 1), guest,
			  1);
}

/**
 * vfs_readlink_magic() - readlink of /proc/PID/{cwd,root,exe,fd/N}
 * @buf_arg:	Index of the buffer argument (its size follows)
 *
 * Return: FACET_DONE when answered, FACET_CONTINUE to let the kernel
 * answer (pipe:[N], socket:[N] and other non-path targets)
 */
enum facet_verdict vfs_readlink_magic(struct vfs_self *s,
				      struct facet_call *call,
				      const struct vfs_res *res, int buf_arg)
{
	char host[VFS_PATH_MAX], guest[VFS_PATH_MAX], what[32];
	uintptr_t buf = facet_arg(call, buf_arg);
	long size = facet_arg(call, buf_arg + 1);
	const char *exe;
	pid_t pid;
	ssize_t n;
	int ret;

	if (size <= 0) {
		facet_return(call, -EINVAL);
		return FACET_DONE;
	}
	vfs_proc_magic(res->host, &pid, what, sizeof(what));
	if (!strcmp(what, "root"))
		return vfs_answer(call, buf, size, "/", 0);
	if (!strcmp(what, "exe")) {
		exe = vfs_exe_get(s, pid);
		if (exe)
			return vfs_answer(call, buf, size, exe, 0);
	}
	n = readlink(res->host, host, sizeof(host) - 1);
	if (n < 0) {
		facet_return(call, -errno);
		return FACET_DONE;
	}
	host[n] = '\0';
	if (host[0] != '/')
		return FACET_CONTINUE;
	if (n > 10 && !strcmp(host + n - 10, " (deleted)")) {
		host[n - 10] = '\0';
		ret = vfs_to_guest(&s->t, host, guest, sizeof(guest) - 10);
		if (ret == 0)
			strcat(guest, " (deleted)");
	} else {
		ret = vfs_to_guest(&s->t, host, guest, sizeof(guest));
	}
	if (ret < 0) {
		facet_return(call, ret);
		return FACET_DONE;
	}
	return vfs_answer(call, buf, size, guest, 0);
}

/* Guest path of the directory open on @fd in @pid; -errno */
static int vfs_fd_guest(struct vfs_self *s, pid_t pid, int fd, char *guest)
{
	char link[64], host[VFS_PATH_MAX];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/%d/fd/%d", (int)pid, fd);
	n = readlink(link, host, sizeof(host) - 1);
	if (n < 0)
		return -errno;
	host[n] = '\0';
	return vfs_to_guest(&s->t, host, guest, VFS_PATH_MAX);
}

/* Is entry @name of guest directory @dir hidden? */
static int vfs_dent_hidden(struct vfs_self *s, const char *dir,
			   const char *name)
{
	char g[VFS_PATH_MAX];

	if (!strcmp(name, ".") || !strcmp(name, ".."))
		return 0;
	if ((size_t)snprintf(g, sizeof(g), "%s/%s", strcmp(dir, "/") ? dir : "",
			     name) >= sizeof(g))
		return 0;
	return vfs_attr(&s->t, g) == VFS_HIDE;
}

/**
 * vfs_dents_exit() - Drop hidden entries from a getdents/getdents64 result
 *
 * Both record formats keep d_reclen at offset 16; the name starts at 19
 * (getdents64) or 18 (getdents).
 */
void vfs_dents_exit(struct vfs_self *s, struct facet_call *call)
{
	long len = facet_result(call);
	size_t noff = facet_nr(call) == SYS_getdents64 ? 19 : 18;
	char dir[VFS_PATH_MAX];
	char *buf;
	long in, out = 0;

	if (len <= 0)
		return;
	if (vfs_fd_guest(s, facet_pid(call), facet_arg(call, 0), dir) < 0 ||
	    !vfs_hides_child_of(&s->t, dir))
		return;
	buf = malloc(len);
	if (!buf)
		return;
	if (facet_peek(call, buf, facet_arg(call, 1), len) != len)
		goto out;
	for (in = 0; in < len;) {
		unsigned short reclen;

		memcpy(&reclen, buf + in + 16, sizeof(reclen));
		if (reclen < noff + 1 || in + reclen > len)
			break;
		if (!vfs_dent_hidden(s, dir, buf + in + noff)) {
			if (out != in)
				memmove(buf + out, buf + in, reclen);
			out += reclen;
		}
		in += reclen;
	}
	if (out != len && facet_poke(call, facet_arg(call, 1), buf, out) == out)
		facet_set_result(call, out);
out:
	free(buf);
}
