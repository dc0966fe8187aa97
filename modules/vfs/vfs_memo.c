// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vfs/vfs_memo.c - Directories resolved before
 *
 * A tree walk names thousands of files in the same directory
 * (ls -lR: /mnt/tree/d0/e/f1, f2...), a compiler the same include
 * directories over and over.  Resolving the directory part again costs a
 * rule lookup and a symlink cache lookup per component; this small table
 * keeps, per directory as the caller spelt it (joined to the base for a
 * relative path), its canonical guest path.  It follows the symlink
 * cache's rules (vfs_cache.c): an entry is only good for the generation
 * it was made in and for VFS_CACHE_TTL_NS, so a rename, removal or new
 * entry in the view forgets it.  Walks through /proc (per-process names,
 * magic links) are not kept.  Small and static: no allocation, and few
 * pages for a short-lived process to touch.
 */
#include <stdint.h>
#include <string.h>

#include "vfs.h"

#define VFS_MEMO_SLOTS	32	/* power of two */
#define VFS_MEMO_LEN	200	/* longer directories are not kept */

struct vfs_memo_ent {
	uint64_t gen;
	int64_t stamp;
	char key[VFS_MEMO_LEN];
	char guest[VFS_MEMO_LEN];
};

static struct vfs_memo_ent vfs_memo[VFS_MEMO_SLOTS];

static struct vfs_memo_ent *vfs_memo_slot(const char *key, size_t len)
{
	uint64_t h = vfs_hash_bytes(key, len);

	return &vfs_memo[(h ^ (h >> 29)) & (VFS_MEMO_SLOTS - 1)];
}

/**
 * vfs_memo_get() - Canonical guest path of directory @key (@len bytes,
 * not NUL-terminated) into @guest (VFS_PATH_MAX)
 *
 * Return: 1 on a hit, 0 on a miss
 */
int vfs_memo_get(const char *key, size_t len, char *guest)
{
	struct vfs_memo_ent *e;

	if (len >= VFS_MEMO_LEN)
		return 0;
	e = vfs_memo_slot(key, len);
	if (e->gen != vfs_cache_generation() || !vfs_cache_fresh(e->stamp) ||
	    memcmp(e->key, key, len) || e->key[len])
		return 0;
	strcpy(guest, e->guest);
	return 1;
}

/**
 * vfs_memo_put() - Remember that directory @key resolved to @guest
 * @gen, @stamp:	vfs_cache_generation() and vfs_cache_stamp() read
 *			before the walk
 */
void vfs_memo_put(const char *key, size_t len, const char *guest,
		  uint64_t gen, int64_t stamp)
{
	struct vfs_memo_ent *e;
	size_t glen = strlen(guest);

	if (len >= VFS_MEMO_LEN || glen >= VFS_MEMO_LEN)
		return;
	e = vfs_memo_slot(key, len);
	memcpy(e->key, key, len);
	e->key[len] = '\0';
	memcpy(e->guest, guest, glen + 1);
	e->gen = gen;
	e->stamp = stamp;
}
