// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vfs/vfs_touches.c - Trees the view shows as the host does
 *
 * DOC: Untouched trees (facet_env_touches())
 *
 * The preload shim asks whether the view changes anything about the
 * files libc opens inside setlocale() (/usr/lib/locale, the locale alias
 * file, iconv's modules): if not, libc reads them natively instead of a
 * SIGSYS per call.  The answer "untouched" (0) is given only when every
 * path at or below the tree means the same file in the view as on the
 * host, and no call on one would be refused or changed:
 *
 * - no rule of any kind lies at or below the tree, by guest path, or by
 *   host path for --ro and --hide; no --ro, --hide or --cow rule lies
 *   above it (--ro refuses writes below, --cow moves them);
 * - the mapping rule that wins for the tree (if any) maps it to itself
 *   (--root /, --bind /usr:/usr), and the view resolves the tree's path,
 *   symlinks on the way and all, to the host path the kernel reaches
 *   (read back from /proc/self/fd of an O_PATH open);
 * - no symlink below the tree leads out of it: each target must be free
 *   of ".." and, when absolute, lie inside the tree (checked by walking
 *   the tree, at most VFS_TOUCH_ENTRIES entries; more, or a file system
 *   that leaves d_type unknown, counts as touched);
 * - the tree is not in /proc, whose entries vfs answers itself.
 *
 * Anything else, and any error on the way (a tree that does not exist),
 * is 1: trap mode, as before.
 *
 * The walk costs some 20-40 syscalls, and every process that calls
 * setlocale() asks: the answer is kept for the view (memory shared by its
 * processes, VFS_TOUCH_SLOTS trees) and is good for as long as the
 * symlink cache's entries (VFS_CACHE_TTL_NS, vfs_cache_fresh()) and no
 * process of the view has made a call that can bring a symlink into a
 * tree or move one (symlink, link, rename: each moves the memo's
 * generation on, at its entry and again at its exit).  A symlink made
 * outside the view is seen within that time, as by the symlink cache.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "vfs.h"

#define VFS_TOUCH_ENTRIES	4096
#define VFS_TOUCH_DEPTH		8
#define VFS_TOUCH_SLOTS		8	/* power of two */
#define VFS_TOUCH_PATH		240

/**
 * struct vfs_touch_memo - An answer of vfs_touches() kept for the view
 * @seq:	Sequence lock: odd while written
 * @answer:	What vfs_touches() said
 * @gen:	The memo's generation when the walk began
 * @stamp:	vfs_cache_stamp() when the walk began
 * @path:	The tree
 */
struct vfs_touch_memo {
	uint32_t seq;
	uint32_t answer;
	uint32_t gen;
	int64_t stamp;
	char path[VFS_TOUCH_PATH];
};

/**
 * struct vfs_touch_shared - What the view's processes share
 * @gen:	Moved on by every call that can bring a symlink into a tree
 * @slot:	Answers, placed by the tree's hash
 */
struct vfs_touch_shared {
	uint32_t gen;
	struct vfs_touch_memo slot[VFS_TOUCH_SLOTS];
};

VFS_DATA static struct vfs_touch_shared *vfs_touch_sh;

VFS_COLD size_t vfs_touch_bytes(void)
{
	return sizeof(struct vfs_touch_shared);
}

VFS_COLD void vfs_touch_share(void *mem)
{
	vfs_touch_sh = mem;
}

/**
 * vfs_touch_change() - Syscall @nr changes a directory entry: if it can
 * make or move a symlink, what vfs_touches() said is stale
 */
void vfs_touch_change(long nr)
{
	switch (nr) {
	case SYS_symlink: case SYS_symlinkat: case SYS_link: case SYS_linkat:
	case SYS_rename: case SYS_renameat: case SYS_renameat2:
		if (vfs_touch_sh)
			__atomic_add_fetch(&vfs_touch_sh->gen, 1,
					   __ATOMIC_SEQ_CST);
		break;
	}
}

static struct vfs_touch_memo *vfs_touch_slot(const char *path, size_t len)
{
	return &vfs_touch_sh->slot[vfs_hash_bytes(path, len) &
				   (VFS_TOUCH_SLOTS - 1)];
}

/* The answer kept for @path (@len bytes), or -1 */
static int vfs_touch_memo_get(const char *path, size_t len)
{
	struct vfs_touch_memo *m;
	uint32_t seq;
	int answer;

	if (!vfs_touch_sh || len >= VFS_TOUCH_PATH)
		return -1;
	m = vfs_touch_slot(path, len);
	seq = __atomic_load_n(&m->seq, __ATOMIC_ACQUIRE);
	if (seq & 1 || m->gen != __atomic_load_n(&vfs_touch_sh->gen,
						 __ATOMIC_ACQUIRE) ||
	    !vfs_cache_fresh(m->stamp) || memcmp(m->path, path, len + 1))
		return -1;
	answer = m->answer;
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	return __atomic_load_n(&m->seq, __ATOMIC_RELAXED) == seq ? answer : -1;
}

/* Keep @answer for @path, found by a walk that began at @gen, @stamp */
static void vfs_touch_memo_put(const char *path, size_t len, int answer,
			       uint32_t gen, int64_t stamp)
{
	struct vfs_touch_memo *m;
	uint32_t seq;

	if (!vfs_touch_sh || len >= VFS_TOUCH_PATH)
		return;
	m = vfs_touch_slot(path, len);
	seq = __atomic_load_n(&m->seq, __ATOMIC_RELAXED);
	if (seq & 1 || !__atomic_compare_exchange_n(&m->seq, &seq, seq + 1, 0,
						    __ATOMIC_ACQ_REL,
						    __ATOMIC_RELAXED))
		return;		/* another process writes it */
	m->answer = answer;
	m->gen = gen;
	m->stamp = stamp;
	memcpy(m->path, path, len + 1);
	__atomic_store_n(&m->seq, seq + 2, __ATOMIC_RELEASE);
}

/* Does a rule change calls on @p (canonical) or below it? */
static int vfs_touch_ruled(const struct vfs_table *t, const char *p)
{
	char host[VFS_PATH_MAX];
	size_t plen = strlen(p);
	int i, kind;

	if (vfs_prefix("/proc", 5, p))
		return 1;
	for (i = 0; i < t->n; i++) {
		const struct vfs_rule *r = &t->rule[i];
		int attr = r->kind == VFS_RO || r->kind == VFS_HIDE;

		if (vfs_prefix(p, plen, r->guest))
			return 1;	/* at or below */
		if ((attr || r->kind == VFS_COW) &&
		    vfs_prefix(r->guest, r->glen, p))
			return 1;	/* above */
		if (attr && r->hlen && (vfs_prefix(p, plen, r->host) ||
					vfs_prefix(r->host, r->hlen, p)))
			return 1;
	}
	if (vfs_to_host_kind(t, p, host, sizeof(host), &kind) < 0)
		return 1;
	return strcmp(host, p) != 0;
}

/* Does symlink target @target, found in a directory below @tree, stay in
 * it? */
static int vfs_touch_link_in(const char *tree, const char *target)
{
	const char *c;

	for (c = target; (c = strstr(c, "..")); c += 2)
		if ((c == target || c[-1] == '/') && (!c[2] || c[2] == '/'))
			return 0;
	if (target[0] != '/')
		return 1;
	return vfs_prefix(tree, strlen(tree), target);
}

/*
 * Does a symlink in directory @dfd (below @tree) or further down lead out
 * of @tree?  @budget counts the entries left to look at.  Return 1 if so
 * (or if it cannot tell), 0 if not; @dfd is closed.
 */
static int vfs_touch_walk(const char *tree, int dfd, int depth, int *budget)
{
	char buf[2048], target[VFS_PATH_MAX];
	long n, off;
	int ret = 0, sub;
	ssize_t len;

	while (!ret && (n = syscall(SYS_getdents64, dfd, buf, sizeof(buf))) > 0)
		for (off = 0; !ret && off < n; ) {
			struct dirent64 *de = (struct dirent64 *)(buf + off);
			const char *name = de->d_name;

			off += de->d_reclen;
			if (!strcmp(name, ".") || !strcmp(name, ".."))
				continue;
			if (--*budget < 0 || de->d_type == DT_UNKNOWN) {
				ret = 1;
			} else if (de->d_type == DT_LNK) {
				len = readlinkat(dfd, name, target,
						 sizeof(target) - 1);
				if (len < 0)
					ret = 1;
				else
					target[len] = '\0';
				ret = ret || !vfs_touch_link_in(tree, target);
			} else if (de->d_type == DT_DIR) {
				sub = openat(dfd, name, O_RDONLY | O_DIRECTORY |
					     O_NOFOLLOW | O_CLOEXEC);
				ret = sub < 0 || depth >= VFS_TOUCH_DEPTH ||
				      vfs_touch_walk(tree, sub, depth + 1,
						     budget);
				if (sub >= 0 && depth >= VFS_TOUCH_DEPTH)
					close(sub);
			}
		}
	if (n < 0)
		ret = 1;
	close(dfd);
	return ret;
}

/*
 * The host path the kernel reaches for @path, from an O_PATH open, into
 * @host (VFS_PATH_MAX); the open fd, or -1
 */
static int vfs_touch_host(const char *path, char *host)
{
	char link[64];
	ssize_t len;
	int fd;

	fd = open(path, O_PATH | O_CLOEXEC);
	if (fd < 0)
		return -1;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	len = readlink(link, host, VFS_PATH_MAX - 1);
	if (len < 0 || host[0] != '/') {
		close(fd);
		return -1;
	}
	host[len] = '\0';
	return fd;
}

/**
 * vfs_touches() - Does the view change or refuse a call on a path at or
 * below @prefix? (facet_env_touches())
 * @self:	Module state
 * @prefix:	Absolute path of a directory or file
 *
 * Return: 0 if every such path means on the host what it means in the
 * view, 1 if not or if that cannot be told
 */
static int vfs_touches_walk(struct vfs_self *s, const char *prefix);

int vfs_touches(void *self, const char *prefix)
{
	size_t len = strlen(prefix);
	int64_t stamp = vfs_cache_stamp();
	uint32_t gen;
	int answer = vfs_touch_memo_get(prefix, len);

	if (answer >= 0)
		return answer;
	gen = vfs_touch_sh ? __atomic_load_n(&vfs_touch_sh->gen,
					     __ATOMIC_ACQUIRE) : 0;
	answer = vfs_touches_walk(self, prefix);
	vfs_touch_memo_put(prefix, len, answer, gen, stamp);
	return answer;
}

/* vfs_touches() without the memo */
static int vfs_touches_walk(struct vfs_self *s, const char *prefix)
{
	struct vfs_ctx ctx = { &s->t, 0, 0, NULL, NULL };
	static struct vfs_res res;
	static char host[VFS_PATH_MAX];
	int fd, dfd, budget = VFS_TOUCH_ENTRIES;

	if (prefix[0] != '/' || strlen(prefix) >= VFS_PATH_MAX)
		return 1;
	if (vfs_touch_ruled(&s->t, prefix))
		return 1;
	if (vfs_resolve(&ctx, "/", prefix, VFS_R_FOLLOW, &res) < 0 ||
	    res.magic)
		return 1;
	fd = vfs_touch_host(prefix, host);
	if (fd < 0)
		return 1;
	if (strcmp(res.host, host) || vfs_touch_ruled(&s->t, host) ||
	    vfs_touch_ruled(&s->t, res.guest)) {
		close(fd);
		return 1;
	}
	dfd = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	close(fd);
	if (dfd < 0)
		return errno == ENOTDIR ? 0 : 1;	/* a file: nothing below */
	return vfs_touch_walk(host, dfd, 0, &budget);
}
