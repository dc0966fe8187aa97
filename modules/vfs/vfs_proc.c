// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vfs/vfs_proc.c - Results that carry paths: getcwd, magic links,
 * directory listings
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
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
 * vfs_answer_memfd() - Answer an open with a file holding @len bytes
 * @name:	The memfd's name (shown in /proc/self/fd)
 * @flags:	The open's flags (O_CLOEXEC is kept)
 *
 * For /proc files the view edits (mount tables, cmdline).
 *
 * Return: FACET_DONE
 */
enum facet_verdict vfs_answer_memfd(struct facet_call *call, const char *name,
				    const char *data, size_t len, int flags)
{
	int fd = memfd_create(name, flags & O_CLOEXEC ? MFD_CLOEXEC : 0);

	if (fd < 0 || write(fd, data, len) != (ssize_t)len ||
	    lseek(fd, 0, SEEK_SET) < 0) {
		facet_return(call, fd < 0 ? -errno : -EIO);
		if (fd >= 0)
			close(fd);
		return FACET_DONE;
	}
	facet_return_fd(call, fd);
	return FACET_DONE;
}

/**
 * vfs_getcwd() - getcwd(2) answered with the guest path of the cwd
 */
enum facet_verdict vfs_getcwd(struct vfs_self *s, struct facet_call *call)
{
	struct vfs_ctx ctx = { &s->t, 0, facet_tid(call), call, NULL };
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
		if (vfs_exe_get(s, pid, guest, sizeof(guest)))
			return vfs_answer(call, buf, size, guest, 0);
	}
	n = readlink(res->host, host, sizeof(host) - 1);
	if (n < 0) {
		facet_return(call, -errno);
		return FACET_DONE;
	}
	host[n] = '\0';
	if (host[0] != '/' || vfs_is_memfd(host))
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

/* Host path (in @host) and guest path of the directory open on @fd */
static int vfs_fd_paths(struct vfs_self *s, pid_t pid, int fd, char *host,
			char *guest)
{
	char link[64];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/%d/fd/%d", (int)pid, fd);
	n = readlink(link, host, VFS_PATH_MAX - 1);
	if (n < 0)
		return -errno;
	host[n] = '\0';
	if (host[0] == '/' && (n = vfs_fd_true(pid, link, host, NULL)) < 0)
		return n;
	return vfs_to_guest(&s->t, host, guest, VFS_PATH_MAX);
}

/*
 * Names in guest directory @dir that only exist as the way to a mapping
 * rule (a --bind target, /proc under --root...) and not in the host
 * directory @host: they are added to the listing.  Calls @fn per name.
 */
static int vfs_glue_names(struct vfs_self *s, const char *dir,
			  const char *host,
			  int (*fn)(void *arg, const char *name,
				    const char *guest),
			  void *arg)
{
	size_t dlen = strlen(dir);
	int i, j, n = 0;

	for (i = 0; i < s->t.n; i++) {
		const struct vfs_rule *r = &s->t.rule[i];
		char name[NAME_MAX + 1], probe[VFS_PATH_MAX], g[VFS_PATH_MAX];
		const char *start, *end;
		struct stat st;
		int dup = 0;

		if (r->kind == VFS_RO || r->kind == VFS_HIDE ||
		    r->glen <= dlen || !vfs_prefix(dir, dlen, r->guest))
			continue;
		start = r->guest + (dlen == 1 ? 1 : dlen + 1);
		end = strchrnul(start, '/');
		if ((size_t)(end - start) > NAME_MAX || end == start)
			continue;
		memcpy(name, start, end - start);
		name[end - start] = '\0';
		for (j = 0; j < i && !dup; j++) {
			const struct vfs_rule *o = &s->t.rule[j];

			dup = o->kind != VFS_RO && o->kind != VFS_HIDE &&
			      o->glen > dlen && vfs_prefix(dir, dlen, o->guest) &&
			      !strncmp(o->guest + (dlen == 1 ? 1 : dlen + 1),
				       name, end - start) &&
			      (o->guest[(dlen == 1 ? 1 : dlen + 1) +
					(end - start)] == '/' ||
			       o->guest[(dlen == 1 ? 1 : dlen + 1) +
					(end - start)] == '\0');
		}
		if (dup)
			continue;
		snprintf(probe, sizeof(probe), "%s/%s", host, name);
		if (lstat(probe, &st) == 0)
			continue;
		snprintf(g, sizeof(g), "%s/%s", dlen == 1 ? "" : dir, name);
		if (vfs_attr(&s->t, g) == VFS_HIDE)
			continue;
		n++;
		if (fn && fn(arg, name, g) < 0)
			break;
	}
	return n;
}

/* File position of @fd in @pid, from fdinfo ("pos:" comes first); -1 */
static long long vfs_fd_pos(pid_t pid, int fd)
{
	char path[64], buf[128];
	ssize_t n;
	int in;

	snprintf(path, sizeof(path), "/proc/%d/fdinfo/%d", (int)pid, fd);
	in = open(path, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return -1;
	n = read(in, buf, sizeof(buf) - 1);
	close(in);
	if (n < 5 || strncmp(buf, "pos:", 4))
		return -1;
	buf[n] = '\0';
	return strtoll(buf + 4, NULL, 10);
}

/* Is entry @name of guest directory @dir hidden? */
static int vfs_dent_hidden(struct vfs_self *s, const char *dir,
			   const char *name)
{
	char g[VFS_PATH_MAX], host[VFS_PATH_MAX];

	if (!strcmp(name, ".") || !strcmp(name, ".."))
		return 0;
	if ((size_t)snprintf(g, sizeof(g), "%s/%s", strcmp(dir, "/") ? dir : "",
			     name) >= sizeof(g))
		return 0;
	if (vfs_attr(&s->t, g) == VFS_HIDE)
		return 1;
	return vfs_to_host(&s->t, g, host, sizeof(host)) == -ENOENT;
}

#define VFS_DENTS_MAX	65536	/* getdents counts are capped to this */

struct vfs_dents_scratch {
	unsigned char filter, glue;
};

/**
 * vfs_dents_needed() - Can any listing need filtering or glue entries?
 *
 * Hidden paths are filtered out of listings; the guest directories on the
 * way to a mapping rule get a glue entry where their host directory lacks
 * the name.  Without hide rules, and where every such name exists on the
 * host (the usual --bind DIR:/mnt), listings are the host's and
 * getdents need not be seen at all: under preload that spares readdir()
 * its trap mode (two prctl() per entry), under the ptracer two stops per
 * call.  Decided once, when the view starts (vfs_start() shares it): a
 * name removed on the host later is not added to listings (its path
 * still works).
 *
 * Return: 1 if listings must be seen, 0 if not
 */
int vfs_dents_needed(struct vfs_self *s)
{
	char dir[VFS_PATH_MAX], host[VFS_PATH_MAX];
	int i;

	if (s->t.has_hide)
		return 1;
	for (i = 0; i < s->t.n; i++) {
		const struct vfs_rule *r = &s->t.rule[i];
		size_t k;

		if (r->kind == VFS_RO || r->kind == VFS_HIDE || r->glen <= 1)
			continue;
		/* every directory above the rule: "/", "/a", "/a/b"... */
		for (k = 0; k < r->glen; k++) {
			if (r->guest[k] != '/')
				continue;
			memcpy(dir, r->guest, k ? k : 1);
			dir[k ? k : 1] = '\0';
			if (vfs_to_host(&s->t, dir, host, sizeof(host)) < 0)
				continue;
			if (vfs_glue_names(s, dir, host, NULL, NULL) > 0)
				return 1;
		}
	}
	return 0;
}

/* Must listings of guest directory @dir (host @host) drop hidden names? */
static int vfs_dents_filter(struct vfs_self *s, const char *dir,
			    const char *host)
{
	return s->t.has_hide && (vfs_hides_child_of(&s->t, dir) ||
				 vfs_hides_child_host(&s->t, host));
}

/**
 * vfs_dents_stream() - Must readdir() of the directory open on @fd reach
 * the module? (facet_env_listing(), asked by the preload shim once per
 * directory stream)
 *
 * Only the directories whose listing gets glue entries; every other
 * stream is read natively, without trap mode.  With a hide rule every
 * listing is seen, as before: the verdict is kept for the stream, and a
 * program can dup2() another directory onto a stream's fd (a missing glue
 * entry is only a cosmetic loss, a hidden name shown is not).  A
 * directory whose path cannot be read is seen too.
 */
int vfs_dents_stream(void *self, int fd)
{
	struct vfs_self *s = self;
	static char host[VFS_PATH_MAX], dir[VFS_PATH_MAX];
	char link[64];
	ssize_t n;

	if (s->t.has_hide)
		return 1;

	snprintf(link, sizeof(link), "/proc/thread-self/fd/%d", fd);
	n = readlink(link, host, sizeof(host) - 1);
	if (n <= 0)
		return 1;
	host[n] = '\0';
	if (host[0] != '/' || vfs_to_guest(&s->t, host, dir, sizeof(dir)) < 0)
		return 1;
	return vfs_glue_names(s, dir, host, NULL, NULL) > 0;
}

/**
 * vfs_dents_enter() - Does this listing need filtering or glue entries?
 */
enum facet_verdict vfs_dents_enter(struct vfs_self *s, struct facet_call *call)
{
	struct vfs_dents_scratch *sc = facet_scratch(call);
	static char host[VFS_PATH_MAX], dir[VFS_PATH_MAX];
	int fd = facet_arg(call, 0);
	int ret = vfs_fd_paths(s, facet_tid(call), fd, host, dir);

	if (ret == 0) {
		sc->filter = vfs_dents_filter(s, dir, host);
		sc->glue = vfs_glue_names(s, dir, host, NULL, NULL) > 0 &&
			   vfs_fd_pos(facet_tid(call), fd) == 0;
	} else if (ret == -ENOENT && s->t.has_hide) {
		/* a directory whose path /proc gives is not its own (opened
		 * in another mount namespace, vfs_fd_true()) may hold hidden
		 * names under names the view shows: as a deleted one */
		facet_return(call, -ENOENT);
		return FACET_DONE;
	}
	if (!sc->filter && !sc->glue)
		return FACET_CONTINUE;
	if ((unsigned long)facet_arg(call, 2) > VFS_DENTS_MAX &&
	    facet_set_arg(call, 2, VFS_DENTS_MAX) < 0)
		return FACET_CONTINUE_EXIT;
	return FACET_CONTINUE_EXIT;
}

struct vfs_glue {
	char *buf;
	long len, cap;
	int is64;
	long long off;
};

/* Append one directory entry for @name (a directory in the view) */
static int vfs_glue_one(void *arg, const char *name, const char *guest)
{
	struct vfs_glue *gl = arg;
	size_t nlen = strlen(name);
	size_t noff = gl->is64 ? 19 : 18;
	unsigned short reclen = (noff + nlen + 1 + (gl->is64 ? 0 : 1) + 7) & ~7;
	unsigned long long ino = 1;
	char *e = gl->buf + gl->len;

	(void)guest;
	if (gl->len + reclen > gl->cap)
		return -ENOSPC;
	memset(e, 0, reclen);
	memcpy(e, &ino, 8);
	memcpy(e + 8, &gl->off, 8);
	memcpy(e + 16, &reclen, 2);
	memcpy(e + noff, name, nlen);
	if (gl->is64)
		e[18] = 4;	/* DT_DIR */
	else
		e[reclen - 1] = 4;
	gl->len += reclen;
	return 0;
}

/**
 * vfs_dents_exit() - Drop hidden entries from a getdents/getdents64 result
 * and add the directories that lead to mapping rules
 *
 * Both record formats keep d_reclen at offset 16; the name starts at 19
 * (getdents64) or 18 (getdents).  Glue entries are added to the first
 * batch (file position 0) when it has room.
 */
void vfs_dents_exit(struct vfs_self *s, struct facet_call *call)
{
	struct vfs_dents_scratch *sc = facet_scratch(call);
	long len = facet_result(call), cap = facet_arg(call, 2);
	int is64 = facet_nr(call) == SYS_getdents64;
	size_t noff = is64 ? 19 : 18;
	static char dir[VFS_PATH_MAX], host[VFS_PATH_MAX];
	/* static: no allocation; larger buffers are seen in part */
	static char buf[VFS_DENTS_MAX];
	struct vfs_glue gl;
	long in, out = 0;
	long long off = 0;
	int added = 0;

	if (len <= 0 || cap < len || len > (long)sizeof(buf))
		return;
	if (cap > (long)sizeof(buf))
		cap = sizeof(buf);
	if (vfs_fd_paths(s, facet_tid(call), facet_arg(call, 0), host, dir) < 0)
		return;
	if (facet_peek(call, buf, facet_arg(call, 1), len) != len)
		return;
	for (in = 0; in < len;) {
		unsigned short reclen;

		memcpy(&reclen, buf + in + 16, sizeof(reclen));
		if (reclen < noff + 1 || in + reclen > len)
			break;
		memcpy(&off, buf + in + 8, 8);
		if (!sc->filter || !vfs_dent_hidden(s, dir, buf + in + noff)) {
			if (out != in)
				memmove(buf + out, buf + in, reclen);
			out += reclen;
		}
		in += reclen;
	}
	if (sc->glue) {
		gl.buf = buf;
		gl.len = out;
		gl.cap = cap;
		gl.is64 = is64;
		gl.off = off;
		vfs_glue_names(s, dir, host, vfs_glue_one, &gl);
		added = gl.len > out;
		out = gl.len;
	}
	/* not the length alone: a glue entry may take a dropped one's room */
	if ((out != len || added) &&
	    facet_poke(call, facet_arg(call, 1), buf, out) == out)
		facet_set_result(call, out);
}

/**
 * vfs_readlink_self() - readlink of /proc/self and /proc/thread-self
 * @buf_arg:	Index of the buffer argument (its size follows)
 *
 * Where the module answers readlink itself (the ptracer's supervisor),
 * the kernel would name the supervisor, so the caller's ids are given.
 *
 * Return: FACET_DONE when answered, FACET_CONTINUE for any other path
 */
enum facet_verdict vfs_readlink_self(struct facet_call *call,
				     const struct vfs_res *res, int buf_arg)
{
	long size = facet_arg(call, buf_arg + 1);
	char link[48];
	pid_t tgid;

	if (strcmp(res->host, "/proc/self") &&
	    strcmp(res->host, "/proc/thread-self"))
		return FACET_CONTINUE;
	if (size <= 0) {
		facet_return(call, -EINVAL);
		return FACET_DONE;
	}
	tgid = facet_pid(call);
	if (!strcmp(res->host, "/proc/self"))
		snprintf(link, sizeof(link), "%d", (int)tgid);
	else
		snprintf(link, sizeof(link), "%d/task/%d", (int)tgid,
			 (int)facet_tid(call));
	return vfs_answer(call, facet_arg(call, buf_arg), size, link, 0);
}

/**
 * vfs_realpath() - realpath(3) in the view (facet_env_realpath(), called
 * by the preload shim in the caller)
 *
 * The resolver walks the path with the symlink cache (no readlink for
 * what the view already knows), then one stat of the host path says
 * whether the file exists and may be reached, as the kernel would for
 * realpath()'s last step: ENOENT, ENOTDIR (a trailing slash on a file),
 * EACCES.  A hidden path is ENOENT.  After a process of the view changed
 * its credentials the permissions of the way there matter: left to
 * glibc's realpath() then.
 *
 * Return: 0 with the canonical guest path in @out (PATH_MAX), -errno, or
 * 1 to leave the call to glibc
 */
int vfs_realpath(void *self, const char *path, char *out)
{
	struct vfs_self *s = self;
	struct vfs_ctx ctx = { &s->t, 0, 0, NULL, NULL };
	struct vfs_res *res = &vfs_call_res;	/* the module's one call's */
	const char *base = "/";
	struct stat st;
	int ret;

	if (s->sh->creds_changed)
		return 1;
	/* the host path is not needed: @res->host holds it until the walk */
	if (path[0] != '/' && path[0]) {
		const char *hbase;

		ret = vfs_base_at(&ctx, AT_FDCWD, vfs_call_base, res->host,
				  &base, &hbase);
		if (ret < 0)
			return ret;
	}
	ret = vfs_resolve(&ctx, base, path, VFS_R_FOLLOW, res);
	if (ret < 0)
		return ret;
	/* pipe:[N] and the like: glibc's answer, whatever it makes of them */
	if (res->magic)
		return 1;
	if (fstatat(AT_FDCWD, res->host, &st, 0) < 0)
		return -errno;
	if (strlen(res->guest) >= PATH_MAX)
		return -ENAMETOOLONG;
	strcpy(out, res->guest);
	return 0;
}
