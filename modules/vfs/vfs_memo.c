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
 *
 * Entries are handed out in the order directories are first met, not by
 * hash (an index of a byte per hash value finds them), and hold their
 * three strings packed, the guest and host paths only where they differ
 * from the key and the guest path: a compiler's dozen include
 * directories fill the first page of the table, not one entry on each of
 * five pages (each page a process touches costs about 10 us on the dev
 * VMs: make -j2 of 41 files touched 5.3 pages of the memo per image).
 */
#include <stdint.h>
#include <string.h>

#include "vfs.h"

#define VFS_MEMO_SLOTS	32	/* at most 255 */
#define VFS_MEMO_INDEX	64	/* power of two */

/* @own: the guest path is stored (else it is the key); the host path
 * likewise (else it is the guest path) */
struct vfs_memo_ent {
	uint64_t gen;
	int64_t stamp;
	int attr, leaf;
	unsigned short klen, glen, hlen;
	unsigned char own_guest, own_host;
	char text[VFS_MEMO_TEXT];
};

_Static_assert(sizeof(struct vfs_memo_ent) == 256,
	       "16 memo entries to a page");

/*
 * @touched:	written by every look-up before anything in the table is
 *		read: the table is .bss, and a page of it read first maps
 *		the zero page, which the first put then copies (two page
 *		faults where one does)
 * @index:	hash of a key -> its slot + 1 (0: none); a slot handed to
 *		another key since is told by the key compare
 */
static struct {
	uint32_t touched;
	uint32_t next;
	unsigned char index[VFS_MEMO_INDEX];
	struct vfs_memo_ent ent[VFS_MEMO_SLOTS];
} vfs_memo;

static unsigned char *vfs_memo_index(const char *key, size_t len)
{
	uint64_t h = vfs_hash_bytes(key, len);

	__atomic_store_n(&vfs_memo.touched, 1, __ATOMIC_RELAXED);
	return &vfs_memo.index[(h ^ (h >> 29)) & (VFS_MEMO_INDEX - 1)];
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
	const struct vfs_memo_ent *e;
	unsigned slot;

	if (len >= VFS_MEMO_TEXT)
		goto miss;
	slot = *vfs_memo_index(key, len);
	if (!slot)
		goto miss;
	e = &vfs_memo.ent[slot - 1];
	if (e->klen != len || memcmp(e->text, key, len) ||
	    e->gen != vfs_cache_generation() || !vfs_cache_fresh(e->stamp))
		goto miss;
	VFS_COUNT(memo_hit);
	d->guest = e->own_guest ? e->text + e->klen + 1 : e->text;
	d->host = e->own_host ? d->guest + e->glen + 1 : d->guest;
	d->glen = e->glen;
	d->hlen = e->hlen;
	d->attr = e->attr;
	d->leaf = e->leaf;
	d->gen = e->gen;
	d->stamp = e->stamp;
	return 1;
miss:
	VFS_COUNT(memo_miss);
	return 0;
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
 *
 * Directories whose strings do not fit an entry are not kept.
 */
void vfs_memo_put(const char *key, size_t len, const struct vfs_dir *d,
		  uint64_t gen, int64_t stamp)
{
	int own_guest = d->glen != len || memcmp(d->guest, key, len);
	int own_host = d->hlen != d->glen || memcmp(d->host, d->guest,
						    d->glen);
	size_t need = len + 1 + (own_guest ? d->glen + 1 : 0) +
		      (own_host ? d->hlen + 1 : 0);
	unsigned char *idx;
	struct vfs_memo_ent *e;
	char *p;

	if (need > VFS_MEMO_TEXT)
		return;
	VFS_COUNT(memo_put);
	idx = vfs_memo_index(key, len);
	/* the same key again (its entry went stale): its slot again */
	if (*idx && vfs_memo.ent[*idx - 1].klen == len &&
	    !memcmp(vfs_memo.ent[*idx - 1].text, key, len)) {
		e = &vfs_memo.ent[*idx - 1];
	} else {
		*idx = vfs_memo.next % VFS_MEMO_SLOTS + 1;
		e = &vfs_memo.ent[vfs_memo.next++ % VFS_MEMO_SLOTS];
	}
	p = mempcpy(e->text, key, len);
	*p++ = '\0';
	if (own_guest) {
		p = mempcpy(p, d->guest, d->glen);
		*p++ = '\0';
	}
	if (own_host) {
		p = mempcpy(p, d->host, d->hlen);
		*p = '\0';
	}
	e->klen = len;
	e->glen = d->glen;
	e->hlen = d->hlen;
	e->own_guest = own_guest;
	e->own_host = own_host;
	e->attr = d->attr;
	e->leaf = d->leaf;
	e->gen = gen;
	e->stamp = stamp;
}
