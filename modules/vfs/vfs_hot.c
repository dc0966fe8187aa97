// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vfs/vfs_hot.c - The stat and xattr calls of a tree walk in few steps
 *
 * DOC: The hot lane
 *
 * ls -l asks three things of every file by the same absolute path:
 * statx(AT_SYMLINK_NOFOLLOW), lgetxattr() and getxattr().  The general
 * way (vfs_sys.c) reads the call's row, resolves the path (the directory
 * through the memo, vfs_memo.c), checks for rules, credentials, renames
 * and mount tables, and only then makes the call: several hundred
 * instructions a call, most of them the same three times.
 *
 * A single name that the call does not follow goes on unchanged where
 * vfs_name_plain() says the kernel finds the same entry (find's
 * fstatat(dirfd, name, AT_SYMLINK_NOFOLLOW)).
 *
 * Stat, lstat, newfstatat, statx (without AT_EMPTY_PATH), getxattr
 * and lgetxattr of an absolute path are answered from the last path
 * resolved this way: the path as the caller spelt it, its host path, and
 * whether its last component is known to be no symlink.  It is made from
 * the directory memo when the directory is a leaf there (no rule below
 * it, not /proc: the name's host path is the directory's plus the name),
 * and is good for as long as that memo entry (the cache's generation and
 * one second).  A call that follows the last component takes the entry
 * only when that component is known to be no symlink (this process's
 * lstat or statx said so: vfs_cache_seen(), or, for the entry's own
 * path, kept with the entry when the hot lane made that call);
 * otherwise, and for anything else (a relative path, a path not in a leaf, --cow, changed
 * credentials), the general way.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/syscall.h>

#include "vfs.h"

#ifndef AT_EMPTY_PATH
#define AT_EMPTY_PATH	0x1000
#endif
#define VFS_HOT_PATH	256	/* longer paths go the general way */

/**
 * struct vfs_last - The last path resolved by the hot lane
 * @gen, @stamp:	vfs_cache_generation() and vfs_cache_stamp() of the
 *			memo entry it was made from
 * @plen, @hlen:	Lengths of @path and @host
 * @nolink:		The last component is known to be no symlink
 * @literal:		@path is @host: the call goes on unchanged
 * @path:		The path as the caller gave it
 * @host:		Its host path (the last component not followed)
 */
struct vfs_last {
	uint64_t gen;
	int64_t stamp;
	size_t plen, hlen;
	int nolink, literal;
	char path[VFS_HOT_PATH];
	char host[VFS_HOT_PATH];
};

VFS_DATA static struct vfs_last vfs_last;

/**
 * vfs_hot_call() - Is @call (syscall @nr) one of the hot lane's?
 * @parg:	Set to the index of its path argument
 * @follow:	Set to whether it follows the last component
 * @dirfd:	Set to the dirfd a relative path is taken from
 *
 * Return: 1 if so, 0 if not
 */
VFS_HOT int vfs_hot_call(struct facet_call *call, long nr, int *parg,
			 int *follow, int *dirfd)
{
	long flags;

	*dirfd = AT_FDCWD;
	switch (nr) {
	case SYS_stat:
	case SYS_getxattr:
		*parg = 0;
		*follow = 1;
		return 1;
	case SYS_lstat:
	case SYS_lgetxattr:
		*parg = 0;
		*follow = 0;
		return 1;
	case SYS_newfstatat:
		flags = facet_arg(call, 3);
		break;
	case SYS_statx:
		flags = facet_arg(call, 2);
		break;
	default:
		return 0;
	}
	if (flags & AT_EMPTY_PATH)
		return 0;
	*dirfd = facet_arg(call, 0);
	*parg = 1;
	*follow = !(flags & AT_SYMLINK_NOFOLLOW);
	return 1;
}

/* Make the entry for @path (@plen bytes) from the memo; 0 if it cannot */
VFS_HOT static int vfs_hot_make(struct vfs_last *e, const char *path, size_t plen)
{
	const char *slash = memrchr(path, '/', plen);
	size_t nlen = plen - (slash + 1 - path);
	const char *name = slash + 1;
	struct vfs_dir d;
	char *p;

	if (slash == path || !nlen || nlen > NAME_MAX ||
	    (name[0] == '.' && (nlen == 1 || (nlen == 2 && name[1] == '.'))))
		return 0;
	if (!vfs_memo_dir(path, slash - path, &d) || !d.leaf ||
	    d.hlen + 1 + nlen >= sizeof(e->host))
		return 0;
	p = mempcpy(e->host, d.host, d.hlen);
	if (d.hlen > 1)
		*p++ = '/';
	memcpy(p, name, nlen);
	p[nlen] = '\0';
	e->hlen = p + nlen - e->host;
	memcpy(e->path, path, plen + 1);
	e->plen = plen;
	e->gen = d.gen;
	e->stamp = d.stamp;
	e->nolink = 0;
	e->literal = e->hlen == plen && !memcmp(e->host, path, plen);
	return 1;
}

/*
 * Relative @path (@plen bytes) of a call on the cwd joined to the cwd's
 * guest path into @out (VFS_HOT_PATH): base "/" name, the key the general
 * way makes (vfs_resolve_fast()).  Return its length, 0 when the cwd is
 * not known without a syscall (vfs_base_cwd_known()) or it does not fit.
 * @hbase:	Set to the cwd's host path
 */
VFS_HOT static size_t vfs_hot_join(struct vfs_self *s, struct facet_call *call,
				   int dirfd, const char *path, size_t plen,
				   char *out, const char **hbase)
{
	struct vfs_ctx ctx = { &s->t, 0, facet_tid(call), call, NULL };
	const char *base;
	size_t blen;
	char *p;

	if (dirfd != AT_FDCWD)
		return 0;
	base = vfs_base_cwd_known(&ctx, &blen, hbase);
	if (!base || blen + 1 + plen >= VFS_HOT_PATH)
		return 0;
	p = mempcpy(out, base, blen);
	*p++ = '/';
	memcpy(p, path, plen + 1);
	return blen + 1 + plen;
}

/* Is the entry's host path @hbase "/" @rel (@rlen bytes)? */
VFS_HOT static int vfs_hot_rel_literal(const struct vfs_last *e,
				       const char *hbase, const char *rel,
				       size_t rlen)
{
	size_t hblen = strlen(hbase);

	return e->hlen == hblen + 1 + rlen && e->host[hblen] == '/' &&
	       !memcmp(e->host, hbase, hblen) &&
	       !memcmp(e->host + hblen + 1, rel, rlen);
}

/*
 * @call made with @path as the program spelt it (@host: where it leads,
 * or NULL): where the caller's memory may change, made here with the path
 * as read (vfs_emul_as_is(); in the caller under preload, cheaper than a
 * copy passed on), else passed on with the path pinned (vfs_pin()).
 * Return: 1 with *@v set (FACET_DONE: *@result is the result), 0 when it
 * could not be pinned
 */
VFS_HOT static int vfs_hot_spelt(struct facet_call *call, int parg,
				 const char *path, const char *host,
				 long *result, enum facet_verdict *v)
{
	if (!facet_args_stable(call) &&
	    vfs_emul_as_is(call, path, host, result)) {
		VFS_COUNT(hot_as_is);
		*v = FACET_DONE;
		return 1;
	}
	if (!vfs_pin(call, parg, path))
		return 0;
	VFS_COUNT(hot_pass);
	*v = FACET_CONTINUE;
	return 1;
}

/*
 * @call answered with @result on @e's path.  What a statx or lstat that
 * does not follow found is kept with the entry: the getxattr after it
 * needs no vfs_cache_seen_get().  Return: 1
 */
VFS_HOT static int vfs_hot_done(struct vfs_last *e, struct facet_call *call,
				int follow, long result, enum facet_verdict *v)
{
	if (!follow && !result && !e->nolink)
		e->nolink = vfs_emul_nolink(call);
	facet_return(call, result);
	*v = FACET_DONE;
	return 1;
}

/**
 * vfs_hot() - Answer @call, one of vfs_hot_call()'s, on @path (@plen
 * bytes, as read from the caller) if the hot lane can
 * @parg:	The index of the path argument
 * @follow:	The call follows the last component
 * @dirfd:	What a relative @path is taken from (vfs_hot_call())
 * @v:		Set to the verdict
 *
 * Return: 1 if answered (*@v set), 0 to take the general way
 */
VFS_HOT int vfs_hot(struct vfs_self *s, struct facet_call *call, int parg,
		    const char *path, size_t plen, int follow, int dirfd,
		    enum facet_verdict *v)
{
	struct vfs_last *e = &vfs_last;
	char joined[VFS_HOT_PATH];
	const char *rel = NULL, *hbase = NULL;
	size_t rlen = 0;
	long result;

	VFS_COUNT(hot_calls);
	if (path[0] != '/' &&
	    (follow || !vfs_name_plain(s, dirfd, 0, path, plen))) {
		/* ls -lR dir: the path joined to the cwd, as the general
		 * way keys it (vfs_resolve_fast()) */
		rel = path;
		rlen = plen;
		plen = vfs_hot_join(s, call, dirfd, path, plen, joined, &hbase);
		if (!plen) {
			VFS_COUNT(hot_miss_other);
			return 0;
		}
		path = joined;
	} else if (path[0] != '/') {
		/* find's fstatat(dirfd, name, AT_SYMLINK_NOFOLLOW) */
		VFS_COUNT(hot_name);
		if (!vfs_hot_spelt(call, parg, path, NULL, &result, v))
			return 0;
		if (*v == FACET_DONE)
			facet_return(call, result);
		return 1;
	}
	if (plen >= sizeof(e->path) || s->t.has_cow || s->sh->creds_changed) {
		VFS_COUNT(hot_miss_other);
		return 0;
	}
	if (e->plen != plen || memcmp(e->path, path, plen) ||
	    e->gen != vfs_cache_generation() || !vfs_cache_fresh(e->stamp)) {
		if (!vfs_hot_make(e, path, plen)) {
			VFS_COUNT(hot_miss_memo);
			return 0;
		}
		VFS_COUNT(hot_made);
	} else {
		VFS_COUNT(hot_hit);
	}
	if (follow && !e->nolink) {
		if (!vfs_cache_seen_get(e->host)) {
			VFS_COUNT(hot_miss_link);
			return 0;
		}
		e->nolink = 1;
	}
	/* a relative path the kernel walks from the real cwd to the same
	 * host path: made as spelt, a shorter walk than the host path's */
	if (rel && vfs_hot_rel_literal(e, hbase, rel, rlen) &&
	    vfs_base_stable(call) &&
	    vfs_hot_spelt(call, parg, rel, e->host, &result, v))
		return *v == FACET_DONE ?
		       vfs_hot_done(e, call, follow, result, v) : 1;
	/* where the caller's memory may change, made here with the path
	 * as read (vfs_pin()): in the caller under preload, no dearer */
	if (e->literal && !rel && facet_args_stable(call)) {
		VFS_COUNT(hot_pass);
		*v = FACET_CONTINUE;
		return 1;
	}
	vfs_emul_host(call, e->host, follow, &result);
	VFS_COUNT(hot_host);
	return vfs_hot_done(e, call, follow, result, v);
}
