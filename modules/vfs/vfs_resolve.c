// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vfs/vfs_resolve.c - Path resolution in the guest view
 *
 * Resolution walks the path one component at a time, as the kernel's
 * link_path_walk() does, but in guest terms: ".." stops at the guest root,
 * a symlink's target is read from the host file and interpreted in the
 * guest (an absolute target starts again at the guest root), and every
 * prefix is checked against the rules, so a hidden directory cannot be
 * crossed on the way to somewhere else.  /proc/self, /proc/thread-self and
 * the magic links /proc/PID/{cwd,root,exe,fd/N} are interpreted for the
 * caller, not for the process running this code.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "vfs.h"
#include "../../core/procfs.h"

/**
 * vfs_proc_entry() - What /proc/PID/ or /proc/PID/task/TID/ @host names
 * @pid:	Set to PID
 *
 * Return: the rest of @host after that prefix, or NULL if it has none
 */
const char *vfs_proc_entry(const char *host, pid_t *pid)
{
	const char *p;
	char *end;
	long n;

	if (strncmp(host, "/proc/", 6))
		return NULL;
	n = strtol(host + 6, &end, 10);
	if (end == host + 6 || *end != '/' || n <= 0)
		return NULL;
	*pid = n;
	p = end + 1;
	if (!strncmp(p, "task/", 5)) {
		strtol(p + 5, &end, 10);
		if (end == p + 5 || *end != '/')
			return NULL;
		p = end + 1;
	}
	return p;
}

/**
 * vfs_proc_magic() - Is @host a /proc magic link?
 * @pid:	Set to the PID in the path
 * @what:	Set to "cwd", "root", "exe" or "fd/N"
 *
 * Return: 1 if so, 0 if not
 */
int vfs_proc_magic(const char *host, pid_t *pid, char *what, size_t cap)
{
	const char *p = vfs_proc_entry(host, pid);
	char *end;

	if (!p)
		return 0;
	if (!strcmp(p, "cwd") || !strcmp(p, "root") || !strcmp(p, "exe")) {
		snprintf(what, cap, "%s", p);
		return 1;
	}
	if (!strncmp(p, "fd/", 3) && p[3]) {
		strtol(p + 3, &end, 10);
		if (*end)
			return 0;
		snprintf(what, cap, "%s", p);
		return 1;
	}
	return 0;
}

/*
 * The caller's process and thread ids as /proc numbers them, looked up
 * only when needed.  With no call the module runs in the caller
 * (vfs_realpath()), which may be in a new pid namespace where its
 * getpid() and gettid() name other processes in /proc.
 */
static void vfs_ctx_self(const struct vfs_ctx *ctx)
{
	struct vfs_ctx *c = (struct vfs_ctx *)ctx;

	facet_procfs_thread_self(&c->pid, &c->tid);
}

static pid_t vfs_ctx_tid(const struct vfs_ctx *ctx)
{
	if (!ctx->tid && !ctx->call)
		vfs_ctx_self(ctx);
	return ctx->tid;
}

pid_t vfs_ctx_pid(const struct vfs_ctx *ctx)
{
	if (!ctx->pid && ctx->call)
		((struct vfs_ctx *)ctx)->pid = facet_pid(ctx->call);
	if (!ctx->pid && !ctx->call)
		vfs_ctx_self(ctx);
	return ctx->pid ? ctx->pid : ctx->tid;
}

/* Remove the last component of canonical guest path @g ("/" stays) */
static void vfs_up(char *g)
{
	char *s = strrchr(g, '/');

	if (s == g)
		g[1] = '\0';
	else if (s)
		*s = '\0';
}

static int vfs_append(char *g, const char *name, size_t len)
{
	size_t glen = strlen(g);

	if (glen + len + 2 > VFS_PATH_MAX)
		return -ENAMETOOLONG;
	if (glen > 1)
		g[glen++] = '/';
	memcpy(g + glen, name, len);
	g[glen + len] = '\0';
	return 0;
}

/*
 * Put @target in front of the unresolved rest of the path in @rest
 * (starting at @pos).  Returns the new position (0) or -ENAMETOOLONG.
 */
static int vfs_splice(char *rest, size_t pos, const char *target)
{
	size_t tlen = strlen(target), rlen = strlen(rest + pos);

	if (tlen + 1 + rlen + 1 > 2 * VFS_PATH_MAX)
		return -ENAMETOOLONG;
	memmove(rest + tlen + 1, rest + pos, rlen + 1);
	memcpy(rest, target, tlen);
	rest[tlen] = '/';
	if (!rlen)
		rest[tlen] = '\0';
	return 0;
}

/*
 * One walk's state: the small fields first, then the one buffer, whose
 * start (all most paths use of it) shares their page.  The host path is
 * worked out in the result's own buffer (vfs_resolve()'s @res->host).
 * Each page of static buffers a process touches costs a page fault
 * (~10 us on the dev VMs); this struct was three 4 kB buffers.
 */
struct vfs_walk {
	const struct vfs_ctx *ctx;
	int flags, links;
	int proc;			/* went through /proc */
	const char *floor;		/* ".." stops here (RESOLVE_IN_ROOT) */
	size_t pos;
	/* host path (VFS_PATH_MAX bytes) and rule kind of the guest path
	 * walked so far, when @host_ok: the last component's, which
	 * vfs_resolve() needs again */
	int host_ok, kind;
	char *host;
	char rest[2 * VFS_PATH_MAX];
};

/*
 * A symlink's target as the walk reads it: not on the stack, where a 4 kB
 * buffer pushes every call below it onto a page of its own (a page fault
 * in most processes), and touched only when a symlink is met.  Walks run
 * one at a time (vfs_resolve()).
 */
static char vfs_link_target[VFS_PATH_MAX];

/*
 * A magic link in the last visited component: jump to its target in guest
 * terms.  Return 1 if it jumped, 0 if it is a terminal (pipe:, socket:),
 * -errno.
 */
static int vfs_walk_magic(struct vfs_walk *w, const char *host, char *g,
			  const char *what)
{
	char buf[VFS_PATH_MAX], guest[VFS_PATH_MAX];
	ssize_t n;
	int ret;

	if (w->flags & VFS_R_NOMAGIC)
		return -ELOOP;
	if (w->flags & (VFS_R_BENEATH | VFS_R_INROOT))
		return -EXDEV;
	if (!strcmp(what, "root")) {
		strcpy(g, "/");
		return 1;
	}
	n = readlink(host, buf, sizeof(buf) - 1);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	/* memfds have no path a rule could name: as pipe: and socket: */
	if (buf[0] != '/' || vfs_is_memfd(buf))
		return 0;
	if (n > 10 && !strcmp(buf + n - 10, " (deleted)"))
		return -ENOENT;
	ret = vfs_to_guest(w->ctx->t, buf, guest, sizeof(guest));
	if (ret < 0)
		return ret;
	strcpy(g, guest);
	return 1;
}

/*
 * Read the symlink at @host, not in /proc if @cache (then through the
 * symlink cache); 1 with the target in @buf, 0 if none, -errno
 */
static int vfs_link_read(const struct vfs_table *t, const char *guest,
			 const char *host, char *buf, int last, int cache)
{
	struct vfs_ticket tk;
	ssize_t n;
	int err;

	if (cache && vfs_cache_seen_get(host))
		return 0;
	if (cache)
		vfs_cache_ticket(host, &tk);
	switch (cache ? vfs_cache_get(host, &tk, buf) : VFS_CACHE_UNKNOWN) {
	case VFS_CACHE_FILE:
		return 0;
	case VFS_CACHE_LINK:
		return 1;
	case VFS_CACHE_MISSING:
		err = ENOENT;
		break;
	default:
		n = readlink(host, buf, VFS_PATH_MAX - 1);
		if (n >= 0) {
			buf[n] = '\0';
			if (cache)
				vfs_cache_put(host, VFS_CACHE_LINK, buf, &tk);
			return 1;
		}
		err = errno;
		if (cache && (err == EINVAL || err == ENOENT))
			vfs_cache_put(host, err == EINVAL ? VFS_CACHE_FILE :
				      VFS_CACHE_MISSING, NULL, &tk);
		if (err == EINVAL)
			return 0;
	}
	/* directories leading to a --bind target exist in the view (a walk
	 * of the host's own paths, @guest NULL: not) */
	if (err == ENOENT && guest && vfs_rule_parent(t, guest))
		return 0;
	/* a missing last part is for the kernel to report (or create) */
	if (last)
		return 0;
	return -err;
}

/* Read the symlink at @host; 1 with the target in @buf, 0 if none, -errno */
static int vfs_walk_link(struct vfs_walk *w, const char *guest,
			 const char *host, char *buf, int last)
{
	if (!strcmp(host, "/proc/self")) {
		snprintf(buf, VFS_PATH_MAX, "%d", (int)vfs_ctx_pid(w->ctx));
		return 1;
	}
	if (!strcmp(host, "/proc/thread-self")) {
		snprintf(buf, VFS_PATH_MAX, "%d/task/%d", (int)vfs_ctx_pid(w->ctx),
			 (int)vfs_ctx_tid(w->ctx));
		return 1;
	}
	/* /proc changes under the same names: not remembered */
	return vfs_link_read(w->ctx->t, guest, host, buf, last,
			     strncmp(host, "/proc/", 6) != 0);
}

/* One normal component @name of length @len, just appended to @g */
static int vfs_walk_one(struct vfs_walk *w, char *g, int last, int follow)
{
	char *host = w->host, *target = vfs_link_target, what[32];
	pid_t pid;
	int ret;

	w->host_ok = 0;
	ret = vfs_to_host_kind(w->ctx->t, g, host, VFS_PATH_MAX, &w->kind);
	if (ret < 0)
		return ret;
	w->host_ok = 1;
	if (!strncmp(host, "/proc", 5) && (!host[5] || host[5] == '/'))
		w->proc = 1;
	if (last && !follow)
		return 0;
	if (vfs_proc_magic(host, &pid, what, sizeof(what))) {
		w->host_ok = 0;
		ret = vfs_walk_magic(w, host, g, what);
		if (ret == 0 && !last)
			return -ENOTDIR;
		return ret < 0 ? ret : 0;
	}
	ret = vfs_walk_link(w, g, host, target, last);
	if (ret <= 0)
		return ret;
	w->host_ok = 0;
	if (w->flags & VFS_R_NOSYMLINK)
		return -ELOOP;
	if (++w->links > VFS_LOOP_MAX)
		return -ELOOP;
	if (target[0] == '/') {
		if (w->flags & VFS_R_BENEATH)
			return -EXDEV;
		strcpy(g, w->floor);
	} else {
		vfs_up(g);
	}
	if (!target[0])
		return -ENOENT;
	return vfs_splice(w->rest, w->pos, target) < 0 ? -ENAMETOOLONG :
	       (w->pos = 0, 0);
}

static int vfs_walk(struct vfs_walk *w, char *g)
{
	int ret;

	for (;;) {
		char *name, *end;
		size_t len;
		int last, slash;

		while (w->rest[w->pos] == '/')
			w->pos++;
		if (!w->rest[w->pos])
			return 0;
		name = w->rest + w->pos;
		end = strchrnul(name, '/');
		len = end - name;
		w->pos += len;
		slash = *end == '/';
		while (w->rest[w->pos] == '/')
			w->pos++;
		last = !w->rest[w->pos];
		if (len == 1 && name[0] == '.')
			continue;
		if (len == 2 && name[0] == '.' && name[1] == '.') {
			if (!strcmp(g, w->floor)) {
				if (w->flags & VFS_R_BENEATH)
					return -EXDEV;
				continue;
			}
			vfs_up(g);
			w->host_ok = 0;
			continue;
		}
		if (len >= NAME_MAX + 1)
			return -ENAMETOOLONG;
		ret = vfs_append(g, name, len);
		if (ret < 0)
			return ret;
		ret = vfs_walk_one(w, g, last,
				   !last || slash || (w->flags & VFS_R_FOLLOW));
		if (ret < 0)
			return ret;
	}
}

/*
 * What the memo keeps of directory @guest, just walked (@w->host holds
 * its host path when @w->host_ok): its host path, the attribute a
 * resolution of it gives, and whether names in it map by the same rule.
 * Return: 0, or -errno (the caller then keeps nothing)
 */
static int vfs_dir_record(struct vfs_walk *w, const char *guest,
			  struct vfs_dir *d)
{
	const struct vfs_table *t = w->ctx->t;
	int ret, kind = w->kind;

	if (!w->host_ok) {
		ret = vfs_to_host_kind(t, guest, w->host, VFS_PATH_MAX, &kind);
		if (ret < 0)
			return ret;
		w->host_ok = 1;
		w->kind = kind;
	}
	if (t->has_ro && kind != VFS_RO && vfs_host_ro(t, guest, w->host))
		kind = VFS_RO;
	d->guest = guest;
	d->glen = strlen(guest);
	d->host = w->host;
	d->hlen = strlen(w->host);
	d->attr = kind;
	d->leaf = !w->proc && strncmp(w->host, "/proc", 5) &&
		  !vfs_rule_below(t, guest, w->host);
	return 0;
}

/*
 * Walk @path from @g, its directory part through the memo (vfs_memo.c):
 * on a hit only the last component is walked; on a miss the directory
 * part is walked first (as "dir/.", so that its last part is followed and
 * checked like any directory on the way) and remembered, then the last
 * component.  Scoped walks (openat2's RESOLVE_*) are walked whole.
 */
static int vfs_walk_memo(struct vfs_walk *w, char *g, const char *base,
			 const char *path)
{
	char key[VFS_MEMO_TEXT];
	const char *slash = strrchr(path, '/');
	size_t dlen, klen = 0;
	struct vfs_dir d;
	int64_t stamp;
	uint64_t gen;
	int ret;

	if ((w->flags & (VFS_R_NOSYMLINK | VFS_R_NOMAGIC | VFS_R_BENEATH |
		      VFS_R_INROOT)) || !slash || slash == path || !slash[1])
		return vfs_walk(w, g);
	dlen = slash - path;
	if (path[0] != '/') {
		klen = strlen(base);
		if (klen + 1 + dlen >= sizeof(key))
			return vfs_walk(w, g);
		memcpy(key, base, klen);
		key[klen++] = '/';
	}
	/* too long for the memo to keep */
	if (klen + dlen >= sizeof(key))
		return vfs_walk(w, g);
	memcpy(key + klen, path, dlen);
	klen += dlen;
	if (vfs_memo_get(key, klen, g)) {
		strcpy(w->rest, slash + 1);
		return vfs_walk(w, g);
	}
	gen = vfs_cache_generation();
	stamp = vfs_cache_stamp();
	/* "dir/.": the directory's last part is walked as one on the way */
	memcpy(w->rest + dlen, "/.", 3);
	w->proc = 0;
	ret = vfs_walk(w, g);
	if (ret < 0)
		return ret;
	if (!w->proc && !vfs_dir_record(w, g, &d))
		vfs_memo_put(key, klen, &d, gen, stamp);
	strcpy(w->rest, slash + 1);
	w->pos = 0;
	return vfs_walk(w, g);
}

/*
 * The usual case in few steps: a name in a directory the memo knows as a
 * leaf (no rule below it, not /proc), so the name's host path is the
 * directory's plus the name, with the directory's attribute.  The name
 * must not be "." or "..", nor end in a slash; when it is followed, the
 * symlink cache (or one readlink) must say it is no symlink.  A name
 * alone (relative to @base, the cwd's or dirfd's canonical guest path)
 * puts @base in the memo on its first use.
 *
 * Return: 1 with @res filled in, 0 to walk the path the long way
 */
static int vfs_resolve_fast(struct vfs_walk *w, const char *base,
			    const char *path, size_t plen, struct vfs_res *res)
{
	char key[VFS_MEMO_TEXT];
	const char *slash = memrchr(path, '/', plen), *name;
	size_t klen, nlen;
	struct vfs_dir d;
	int keep = 1;		/* @key fits the memo */
	char *p;

	name = slash ? slash + 1 : path;
	nlen = plen - (name - path);
	if (!nlen || nlen > NAME_MAX || slash == path ||
	    (name[0] == '.' && (nlen == 1 || (nlen == 2 && name[1] == '.'))))
		return 0;
	if (path[0] == '/') {
		klen = slash - path;
		if (klen >= sizeof(key))
			return 0;
		memcpy(key, path, klen);
	} else {
		klen = strlen(base);
		if (klen + (slash ? 1 + (size_t)(slash - path) : 0) >=
		    sizeof(key)) {
			if (slash)
				return 0;
			keep = 0;
		} else {
			memcpy(key, base, klen);
			if (slash) {
				key[klen++] = '/';
				memcpy(key + klen, path, slash - path);
				klen += slash - path;
			}
		}
	}
	if (!keep || !vfs_memo_dir(key, klen, &d)) {
		int64_t stamp = vfs_cache_stamp();
		uint64_t gen = vfs_cache_generation();

		/* only a canonical base is its own resolution */
		if (slash)
			return 0;
		w->host_ok = 0;
		w->proc = 0;
		if (vfs_dir_record(w, base, &d) < 0)
			return 0;
		if (keep)
			vfs_memo_put(key, klen, &d, gen, stamp);
	}
	if (!d.leaf || d.glen + 1 + nlen >= sizeof(res->guest) ||
	    d.hlen + 1 + nlen >= sizeof(res->host) - 1)
		return 0;
	p = mempcpy(res->guest, d.guest, d.glen);
	if (d.glen > 1)
		*p++ = '/';
	memcpy(p, name, nlen + 1);
	/* vfs_dir_record() worked out the host path in place */
	p = d.host == res->host ? res->host + d.hlen :
	    mempcpy(res->host, d.host, d.hlen);
	if (d.hlen > 1)
		*p++ = '/';
	memcpy(p, name, nlen + 1);
	/* a leaf is not in /proc */
	if ((w->flags & VFS_R_FOLLOW) &&
	    vfs_link_read(w->ctx->t, res->guest, res->host, vfs_link_target,
			  1, 1) != 0)
		return 0;
	res->attr = d.attr;
	res->magic = 0;
	return 1;
}

/**
 * vfs_host_walk_reaches() - Does the kernel, walking absolute @path on the
 * host as it is, arrive at @host?
 * @follow:	The last component is followed
 * @sealed:	If not NULL, set to whether every directory the walk looks
 *		names up in is sealed (vfs_dir_sealed(): the view cannot
 *		swap a name on the way)
 *
 * The host's symlinks are read through the symlink cache, as the view's
 * own walk reads them.  A path through /proc, a missing directory on the
 * way or too many links is a no.  Used where a call whose path the view
 * translates may still go on unchanged (vfs_open_notified()): under
 * --root, ld.so's /lib/x86_64-linux-gnu/libc.so.6 is the guest's /lib
 * symlink to usr/lib and a --bind of /usr, and the host's own /lib
 * symlink reaches the same file.
 */
int vfs_host_walk_reaches(const struct vfs_table *t, const char *path,
			  int follow, const char *host, int *sealed)
{
	/* callbacks of a module never run concurrently: one walk at a time */
	static char rest[2 * VFS_PATH_MAX], at[VFS_PATH_MAX];
	size_t pos = 0;
	int links = 0;

	if (sealed)
		*sealed = 0;
	if (path[0] != '/' || strlen(path) >= VFS_PATH_MAX)
		return 0;
	if (sealed)
		*sealed = 1;
	strcpy(rest, path);
	strcpy(at, "/");
	for (;;) {
		char *name, *end;
		size_t len;
		int last, ret;

		while (rest[pos] == '/')
			pos++;
		if (!rest[pos])
			break;
		name = rest + pos;
		end = strchrnul(name, '/');
		len = end - name;
		pos += len;
		last = !rest[pos];
		if (len == 1 && name[0] == '.')
			continue;
		if (len == 2 && name[0] == '.' && name[1] == '.') {
			vfs_up(at);
			continue;
		}
		if (sealed && *sealed && !vfs_dir_sealed(at))
			*sealed = 0;
		if (len > NAME_MAX || vfs_append(at, name, len) < 0)
			return 0;
		if (!strncmp(at, "/proc", 5) && (!at[5] || at[5] == '/'))
			return 0;
		if (last && !follow && !*end)
			break;
		ret = vfs_link_read(t, NULL, at, vfs_link_target, last, 1);
		if (ret < 0)
			return 0;
		if (!ret)
			continue;
		if (++links > VFS_LOOP_MAX || !vfs_link_target[0])
			return 0;
		if (vfs_link_target[0] == '/')
			strcpy(at, "/");
		else
			vfs_up(at);
		if (vfs_splice(rest, pos, vfs_link_target) < 0)
			return 0;
		pos = 0;
	}
	return !strcmp(at, host);
}

/**
 * vfs_resolve() - Resolve @path in the guest view
 * @base:	Canonical guest directory for a relative @path (the cwd or
 *		the dirfd's path); also the floor for RESOLVE_IN_ROOT and
 *		RESOLVE_BENEATH
 * @flags:	enum vfs_resolve_flags
 *
 * A trailing slash makes the last part followed.  Missing last parts are
 * fine (the kernel reports or creates them); missing directories on the
 * way fail as the kernel would.
 *
 * Return: 0 with @res filled in, or -errno (ENOENT for hidden paths)
 */
int vfs_resolve(const struct vfs_ctx *ctx, const char *base, const char *path,
		int flags, struct vfs_res *res)
{
	/* callbacks of a module never run concurrently: one walk at a time */
	static struct vfs_walk walk;
	struct vfs_walk *w = &walk;
	char *g = res->guest;
	size_t plen = strlen(path);
	int ret;

	VFS_COUNT(resolve);
	if (!plen)
		return -ENOENT;
	if (plen >= VFS_PATH_MAX)
		return -ENAMETOOLONG;
	w->ctx = ctx;
	w->flags = flags;
	w->host = res->host;
	if (!(flags & (VFS_R_NOSYMLINK | VFS_R_NOMAGIC | VFS_R_BENEATH |
		       VFS_R_INROOT)) &&
	    vfs_resolve_fast(w, base, path, plen, res))
		return 0;
	w->links = 0;
	w->pos = 0;
	w->host_ok = 0;
	strcpy(w->rest, path);
	w->floor = flags & (VFS_R_INROOT | VFS_R_BENEATH) ? base : "/";
	if (path[0] == '/') {
		if (flags & VFS_R_BENEATH)
			return -EXDEV;
		strcpy(g, w->floor);
	} else {
		if (strlen(base) >= VFS_PATH_MAX)
			return -ENAMETOOLONG;
		strcpy(g, base);
	}
	ret = vfs_walk_memo(w, g, base, path);
	if (ret < 0)
		return ret;
	if (w->host_ok) {
		/* the last component's host path, worked out on the way in
		 * @res->host, with room left for a trailing slash */
		if (strlen(res->host) >= sizeof(res->host) - 1)
			return -ENAMETOOLONG;
		res->attr = w->kind;
	} else {
		ret = vfs_to_host_kind(ctx->t, g, res->host,
				       sizeof(res->host) - 1, &res->attr);
		if (ret < 0)
			return ret;
	}
	if (plen && path[plen - 1] == '/' && strcmp(res->host, "/"))
		strcat(res->host, "/");
	if (ctx->t->has_ro && res->attr != VFS_RO &&
	    vfs_host_ro(ctx->t, g, res->host))
		res->attr = VFS_RO;
	{
		pid_t pid;
		char what[32];

		res->magic = vfs_proc_magic(res->host, &pid, what,
					    sizeof(what));
	}
	return 0;
}

/*
 * Dirfds and the cwd seen before, when the module runs in the caller
 * (preload): the path of a dirfd is read from /proc/self/fd/N (the cwd's
 * from /proc/self/cwd), a path walk in procfs that costs several times the
 * fstat(2) that tells whether fd N (the cwd) is still the same directory.  Entries follow the symlink cache's rules (emptied by
 * any rename or removal in the view, one second at most), so a directory
 * renamed behind an fd is seen as soon.  Under the ptracer the fd is the
 * caller's and fstat() cannot see it.
 */
#define VFS_DIRFD_SLOTS	64
#define VFS_DIRFD_TEXT	456

/*
 * @text:	the guest path, NUL, the host path, NUL (@glen: the guest
 *		path's length); longer directories are not kept.  Entries of
 *		two 4 kB paths put the cwd and each dirfd a process used on
 *		pages of their own (2.9 page faults per image of a build)
 */
struct vfs_dirfd {
	int fd;
	pid_t tid;		/* the cwd: the thread that found it */
	unsigned epoch;		/* the cwd: vfs_cwd_epoch then */
	dev_t dev;
	ino_t ino;
	uint64_t gen;
	int64_t stamp;
	unsigned short glen;
	char text[VFS_DIRFD_TEXT];
};

_Static_assert(sizeof(struct vfs_dirfd) <= 512, "8 dirfd entries to a page");

/*
 * @touched:	written before anything in the table is read (a page of
 *		.bss read first maps the zero page, which the first write
 *		then copies: two page faults where one does)
 * @cwd_shared:	see vfs_cwd_moves()
 * @slot:	the first is the cwd's (AT_FDCWD), then fd N at 1 + N % 64:
 *		the cwd and the low fds share the table's first page
 */
static struct {
	int touched;
	int cwd_shared;
	struct vfs_dirfd slot[1 + VFS_DIRFD_SLOTS];
} vfs_dirfds;
VFS_DATA static int vfs_dirfd_on;

static struct vfs_dirfd *vfs_dirfd_at(int fd)
{
	__atomic_store_n(&vfs_dirfds.touched, 1, __ATOMIC_RELAXED);
	return &vfs_dirfds.slot[fd == AT_FDCWD ? 0 :
				1 + (unsigned)fd % VFS_DIRFD_SLOTS];
}

static const char *vfs_dirfd_host(const struct vfs_dirfd *e)
{
	return e->text + e->glen + 1;
}

/*
 * The cwd moves only by chdir(), fchdir() and setns() (all seen: each
 * moves vfs_cwd_epoch on at its entry and again at its exit, for a thread
 * that looked in between) or by a process that shares it without sharing
 * this memory (clone with CLONE_FS and not CLONE_VM: @vfs_cwd_shared, for
 * good).  So the thread that found the cwd in /proc trusts it, until the
 * epoch moves, with no fstat() per call.  Another thread (or a vfork
 * child, which shares this memory but not the cwd) checks with fstat().
 */
VFS_DATA static unsigned vfs_cwd_epoch;

/**
 * vfs_cwd_moves() - The cwd may change (@shared: a process that does not
 * share this memory now shares the cwd)
 */
void vfs_cwd_moves(int shared)
{
	__atomic_add_fetch(&vfs_cwd_epoch, 1, __ATOMIC_SEQ_CST);
	if (shared)
		vfs_dirfds.cwd_shared = 1;
}

/**
 * vfs_base_stable() - Does a relative path of @call reach, when the kernel
 * walks it, the directory the module took as its base?
 *
 * Only if nothing else can move the caller's cwd or put another directory
 * on its dirfd's number between the check and the kernel's walk: no other
 * thread and no process that shares the cwd or the fd table, which
 * facet_args_stable() answers with the caller's memory (never under
 * preload).  Otherwise a name checked in one directory (harmless there)
 * is walked by the kernel from another (where it is hidden or read-only):
 * such calls go on with the host path instead.
 */
VFS_HOT int vfs_base_stable(const struct facet_call *call)
{
	return facet_args_stable(call);
}

VFS_COLD void vfs_base_in_process(int yes)
{
	vfs_dirfd_on = yes;
}

/* Does the module run in the caller (preload)? */
VFS_HOT int vfs_in_process(void)
{
	return vfs_dirfd_on;
}

static struct vfs_dirfd *vfs_dirfd_slot(int fd, struct stat *st)
{
	struct vfs_dirfd *e = vfs_dirfd_at(fd);

	if (!vfs_dirfd_on || fstatat(fd, "", st, AT_EMPTY_PATH) < 0)
		return NULL;
	return e;
}

static int vfs_dirfd_hit(const struct vfs_dirfd *e, int fd,
			 const struct stat *st)
{
	return e->fd == fd && e->dev == st->st_dev && e->ino == st->st_ino &&
	       e->gen == vfs_cache_generation() && vfs_cache_fresh(e->stamp);
}

/**
 * vfs_base_recent() - Was @dirfd (AT_FDCWD: the cwd) found in the view,
 * by its path in /proc, in the last second and with no change in the
 * view since?
 *
 * Says nothing of which directory it is now: only that a directory the
 * view showed had that number lately (see vfs_fds.c for when that is
 * enough).  No syscall.
 */
VFS_HOT int vfs_base_recent(int dirfd)
{
	const struct vfs_dirfd *e;

	if (!vfs_dirfd_on || (dirfd < 0 && dirfd != AT_FDCWD))
		return 0;
	e = vfs_dirfd_at(dirfd);
	return e->fd == dirfd && e->gen == vfs_cache_generation() &&
	       vfs_cache_fresh(e->stamp);
}

/*
 * Read the path of @link (dirfd @dirfd, fstat()ed as @st) straight into
 * table entry @e, the host path at its end and the guest path in front
 * (a first call of a process then touches no 4 kB buffer).  Return 1 if
 * @e now holds it, 0 to do it the long way (a long path, any failure).
 */
static int vfs_base_into(const struct vfs_ctx *ctx, struct vfs_dirfd *e,
			 const char *link, int dirfd, unsigned epoch,
			 const struct stat *st)
{
	enum { at = sizeof(e->text) / 2 };
	char *host = e->text + at;
	size_t glen;
	ssize_t n;

	if (!S_ISDIR(st->st_mode))
		return 0;
	e->fd = -1;	/* written over */
	n = readlink(link, host, sizeof(e->text) - at);
	if (n <= 0 || (size_t)n >= sizeof(e->text) - at || host[0] != '/')
		return 0;
	host[n] = '\0';
	if (vfs_fd_true(vfs_ctx_tid(ctx), link, host, st) < 0 ||
	    vfs_to_guest(ctx->t, host, e->text, at) < 0)
		return 0;
	glen = strlen(e->text);
	memmove(e->text + glen + 1, host, n + 1);
	e->glen = glen;
	e->fd = dirfd;
	e->tid = vfs_ctx_tid(ctx);
	e->epoch = epoch;
	e->dev = st->st_dev;
	e->ino = st->st_ino;
	e->gen = vfs_cache_generation();
	e->stamp = vfs_cache_stamp();
	return 1;
}

/*
 * The table's entry for the cwd of the caller's thread when it holds it
 * and it is good (no move of any cwd since it was read, no change in the
 * view, less than a second old), else NULL: no syscall
 */
VFS_HOT static const struct vfs_dirfd *vfs_base_cwd(const struct vfs_ctx *ctx,
						    unsigned epoch)
{
	const struct vfs_dirfd *e;

	if (!vfs_dirfd_on || vfs_dirfds.cwd_shared)
		return NULL;
	e = vfs_dirfd_at(AT_FDCWD);
	if (e->fd == AT_FDCWD && e->tid == vfs_ctx_tid(ctx) &&
	    e->epoch == epoch && e->gen == vfs_cache_generation() &&
	    vfs_cache_fresh(e->stamp))
		return e;
	return NULL;
}

/**
 * vfs_base_cwd_known() - The guest path of the caller's cwd, if the table
 * holds it (what vfs_base() would answer, with no syscall), else NULL
 * @glen:	Set to its length
 * @host:	Set to its host path (NUL-terminated)
 *
 * Good until the next vfs_base*() call.
 */
VFS_HOT const char *vfs_base_cwd_known(const struct vfs_ctx *ctx, size_t *glen,
				       const char **host)
{
	const struct vfs_dirfd *e =
		vfs_base_cwd(ctx, __atomic_load_n(&vfs_cwd_epoch,
						  __ATOMIC_SEQ_CST));

	if (!e)
		return NULL;
	*glen = e->glen;
	*host = vfs_dirfd_host(e);
	return e->text;
}

/*
 * vfs_base() and vfs_base_at(): 0 with *@from the table's entry for
 * @dirfd (copy nothing), or 0 with *@from NULL and the guest path in
 * @guest (@cap bytes) and the host path in @host (VFS_PATH_MAX), or
 * -errno
 */
static int vfs_base_get(const struct vfs_ctx *ctx, int dirfd, char *guest,
			size_t cap, char *host, const struct vfs_dirfd **from)
{
	unsigned epoch = __atomic_load_n(&vfs_cwd_epoch, __ATOMIC_SEQ_CST);
	struct vfs_dirfd *e = NULL;
	struct stat st;
	char link[64];
	size_t glen;
	ssize_t n;
	int ret;

	*from = NULL;
	if (dirfd == AT_FDCWD) {
		*from = vfs_base_cwd(ctx, epoch);
		if (*from)
			return 0;
	}
	if (dirfd >= 0 || dirfd == AT_FDCWD)
		e = vfs_dirfd_slot(dirfd, &st);
	if (e && vfs_dirfd_hit(e, dirfd, &st)) {
		/* the same directory as when its path was read: good for
		 * this thread until the cwd moves (above) */
		e->tid = vfs_ctx_tid(ctx);
		e->epoch = epoch;
		*from = e;
		return 0;
	}
	if (dirfd == -100)	/* AT_FDCWD */
		snprintf(link, sizeof(link), "/proc/%d/cwd",
			 (int)vfs_ctx_tid(ctx));
	else if (dirfd < 0)
		return -EBADF;
	else
		snprintf(link, sizeof(link), "/proc/%d/fd/%d",
			 (int)vfs_ctx_tid(ctx), dirfd);
	if (e && vfs_base_into(ctx, e, link, dirfd, epoch, &st)) {
		*from = e;
		return 0;
	}
	n = readlink(link, host, VFS_PATH_MAX - 1);
	if (n < 0)
		return errno == ENOENT ? (dirfd == -100 ? -ENOENT : -EBADF) :
		       -errno;
	host[n] = '\0';
	if (host[0] != '/')
		return -ENOTDIR;
	ret = vfs_fd_true(vfs_ctx_tid(ctx), link, host, e ? &st : NULL);
	if (ret == -EAGAIN) {
		/* another directory on the number since the fstat(): the
		 * path is good for this call, not to keep for that inode */
		e->fd = -1;
		e = NULL;
		ret = vfs_fd_true(vfs_ctx_tid(ctx), link, host, NULL);
	}
	if (ret < 0) {
		if (e)
			e->fd = -1;
		return ret;
	}
	ret = vfs_to_guest(ctx->t, host, guest, cap);
	if (ret == -ENOENT && dirfd == -100 && ctx->t->has_root) {
		snprintf(guest, cap, "/");
		return 0;
	}
	glen = ret ? 0 : strlen(guest);
	if (e && (ret || !S_ISDIR(st.st_mode) ||
		  glen + 1 + (size_t)n + 1 > sizeof(e->text))) {
		e->fd = -1;	/* what it held is for another directory */
	} else if (e) {
		e->fd = dirfd;
		e->tid = vfs_ctx_tid(ctx);
		e->epoch = epoch;
		e->dev = st.st_dev;
		e->ino = st.st_ino;
		e->gen = vfs_cache_generation();
		e->stamp = vfs_cache_stamp();
		e->glen = glen;
		memcpy(e->text, guest, glen + 1);
		memcpy(e->text + glen + 1, host, n + 1);
	}
	return ret;
}

/**
 * vfs_base() - Guest path of the caller's cwd (@dirfd AT_FDCWD) or dirfd
 *
 * An unreachable cwd (outside --root) counts as "/", as chroot(2) leaves
 * it; an unreachable dirfd fails with ENOENT.
 *
 * Return: 0 or -errno
 */
int vfs_base(const struct vfs_ctx *ctx, int dirfd, char *guest, size_t cap)
{
	char local[VFS_PATH_MAX];
	char *host = ctx->host_base ? ctx->host_base : local;
	const struct vfs_dirfd *e;
	int ret = vfs_base_get(ctx, dirfd, guest, cap, host, &e);

	if (ret < 0 || !e)
		return ret;
	if (e->glen >= cap)
		return -ENAMETOOLONG;
	memcpy(guest, e->text, e->glen + 1);
	if (ctx->host_base)
		strcpy(ctx->host_base, vfs_dirfd_host(e));
	return 0;
}

/**
 * vfs_base_at() - vfs_base() with no copy when the table knows @dirfd
 * @gbuf, @hbuf:	VFS_PATH_MAX bytes each, used when it does not
 * @guest, @host:	Set to the guest and host paths: in the table (good
 *			until the next vfs_base*() call) or in @gbuf and @hbuf
 *
 * The calls of a process mostly find the cwd in the table: its two
 * buffers are then not touched (a page fault each in a short process).
 *
 * Return: 0 or -errno
 */
int vfs_base_at(const struct vfs_ctx *ctx, int dirfd, char *gbuf, char *hbuf,
		const char **guest, const char **host)
{
	const struct vfs_dirfd *e;
	int ret = vfs_base_get(ctx, dirfd, gbuf, VFS_PATH_MAX, hbuf, &e);

	if (ret < 0)
		return ret;
	*guest = e ? e->text : gbuf;
	*host = e ? vfs_dirfd_host(e) : hbuf;
	return 0;
}
