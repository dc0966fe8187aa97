// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vfs/vfs_memo.c - Directories resolved before
 *
 * A tree walk names thousands of files in the same directory
 * (ls -lR: /mnt/tree/d0/e/f1, f2...), a compiler the same include
 * directories over and over.  Resolving the directory part again costs a
 * rule lookup and a symlink cache lookup per component; this small table
 * keeps, per directory as the caller spelt it (joined to the base for a
 * relative path), its canonical guest path, its host path and the rule
 * kind that holds it, and whether a name in it is mapped by the same rule
 * (vfs_resolve_fast()).  It follows the symlink cache's rules
 * (vfs_cache.c): an entry is only good for the generation it was made in
 * and for VFS_CACHE_TTL_NS, so a rename, removal or new entry in the view
 * forgets it.  Walks through /proc (per-process names, magic links) are
 * not kept.  Small and static: no allocation, and few pages for a
 * short-lived process to touch.
 */
#include <stdint.h>
#include <string.h>

#include "vfs.h"

#define VFS_MEMO_SLOTS	32	/* power of two */
#define VFS_MEMO_LEN	200	/* longer directories are not kept */

/* @touched: written by every look-up, before anything in the entry is
 * read (see vfs_memo_slot()) */
struct vfs_memo_ent {
	uint32_t touched;
	uint64_t gen;
	int64_t stamp;
	int attr, leaf;
	unsigned short glen, hlen;
	char key[VFS_MEMO_LEN];
	char guest[VFS_MEMO_LEN];
	char host[VFS_MEMO_LEN];
};

static struct vfs_memo_ent vfs_memo[VFS_MEMO_SLOTS];

static struct vfs_memo_ent *vfs_memo_slot(const char *key, size_t len)
{
	uint64_t h = vfs_hash_bytes(key, len);
	struct vfs_memo_ent *e = &vfs_memo[(h ^ (h >> 29)) &
					   (VFS_MEMO_SLOTS - 1)];

	/* a write first: the table is .bss, and a page of it read first
	 * maps the zero page, which the first put then copies (two page
	 * faults where one does) */
	__atomic_store_n(&e->touched, 1, __ATOMIC_RELAXED);
	return e;
}

/**
 * vfs_memo_dir() - What is remembered of directory @key (@len bytes, not
 * NUL-terminated)
 * @d:		Filled in on a hit; its strings point into the table and
 *		stay valid until the next vfs_memo_put()
 *
 * Return: 1 on a hit, 0 on a miss
 */
VFS_HOT int vfs_memo_dir(const char *key, size_t len, struct vfs_dir *d)
{
	struct vfs_memo_ent *e;

	if (len >= VFS_MEMO_LEN)
		return 0;
	e = vfs_memo_slot(key, len);
	if (e->key[len] || memcmp(e->key, key, len) ||
	    e->gen != vfs_cache_generation() || !vfs_cache_fresh(e->stamp))
		return 0;
	d->guest = e->guest;
	d->host = e->host;
	d->glen = e->glen;
	d->hlen = e->hlen;
	d->attr = e->attr;
	d->leaf = e->leaf;
	d->gen = e->gen;
	d->stamp = e->stamp;
	return 1;
}

/**
 * vfs_memo_get() - Canonical guest path of directory @key (@len bytes,
 * not NUL-terminated) into @guest (VFS_PATH_MAX)
 *
 * Return: 1 on a hit, 0 on a miss
 */
int vfs_memo_get(const char *key, size_t len, char *guest)
{
	struct vfs_dir d;

	if (!vfs_memo_dir(key, len, &d))
		return 0;
	memcpy(guest, d.guest, d.glen + 1);
	return 1;
}

/**
 * vfs_memo_put() - Remember that directory @key resolved to @d
 * @gen, @stamp:	vfs_cache_generation() and vfs_cache_stamp() read
 *			before the walk
 */
void vfs_memo_put(const char *key, size_t len, const struct vfs_dir *d,
		  uint64_t gen, int64_t stamp)
{
	struct vfs_memo_ent *e;

	if (len >= VFS_MEMO_LEN || d->glen >= VFS_MEMO_LEN ||
	    d->hlen >= VFS_MEMO_LEN)
		return;
	e = vfs_memo_slot(key, len);
	memcpy(e->key, key, len);
	e->key[len] = '\0';
	memcpy(e->guest, d->guest, d->glen + 1);
	memcpy(e->host, d->host, d->hlen + 1);
	e->glen = d->glen;
	e->hlen = d->hlen;
	e->attr = d->attr;
	e->leaf = d->leaf;
	e->gen = gen;
	e->stamp = stamp;
}
