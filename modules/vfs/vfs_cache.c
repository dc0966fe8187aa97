// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vfs/vfs_cache.c - Host paths known not to be symlinks
 *
 * Resolution reads every component with readlink(2) to see whether it is a
 * symlink; tools like gcc resolve the same directories thousands of times.
 * This cache remembers what readlink(2) said of a host path: not a
 * symlink, a symlink and its target (the chains of /usr/bin/cc), or no
 * such file (the include directories a compiler tries in turn).
 *
 * A process of the view that removes or makes a directory entry (unlink,
 * rmdir, mkdir, mknod, symlink, link: the only ways a non-symlink becomes
 * a symlink, or a missing directory appears) forgets that one name:
 * vfs_cache_forget() moves its slot's epoch on, which leaves whatever the
 * slot holds stale.  A rename moves a whole subtree of names, and a
 * --cow copy-up changes every host path below it: they empty the table
 * (vfs_cache_flush()).  Host paths are canonical (rule host sides are
 * realpath()ed at start, resolution leaves no symlink, "." or ".."), so a
 * name has one key.  A build that removes its temporary files after each
 * compile keeps what it learnt of the include directories.  Entries expire
 * after VFS_CACHE_TTL_NS so changes made outside the view are seen soon.
 * A regular file made by open(O_CREAT) where a missing name was
 * remembered is seen as missing when a later path goes through it as a
 * directory (ENOENT where the kernel says ENOTDIR) until then.
 *
 * What a process finds out carries a ticket (vfs_cache_ticket()) read
 * before the call that found it out: the table's generation and the
 * slot's epoch.  A change made meanwhile, by any process, makes the put a
 * no-op, and one made after the put makes the entry stale (an entry keeps
 * the epoch it was made in).
 *
 * The table (256 kB, no allocation: under preload this runs in signal
 * handlers) lives in memory shared by the view once vfs_cache_share() is
 * called: under preload every process then finds what the others learnt
 * (a build runs the same compiler on the same include directories in
 * hundreds of short processes), and a forked child writes to shared pages
 * instead of copying its parent's on the first write.  Processes may
 * write an entry at the same time: each entry is a sequence lock (odd
 * while written, a writer that finds it odd or loses the race skips the
 * entry), and a reader that sees the sequence change takes it as a miss.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "vfs.h"

#define VFS_CACHE_SIZE		1024	/* power of two */
#define VFS_CACHE_PATH		216	/* longer paths are not cached */
/*
 * The names of one directory share a group of slots, one page of the
 * table (entries are 256 bytes): a process touches a page per directory
 * it resolves names in, not a page per name.  On the dev VMs every page a
 * process maps costs 10-15 us however it comes (a fault, fault-around,
 * MADV_POPULATE_READ), ten readlink()s, so the table is small too (64
 * pages; 4,096 entries of 280 bytes placed by the whole path's hash made
 * each compiler process of a build touch 17 of its 280 pages).  make -j2
 * of 41 files under --bind: 86.4k -> 84.5k page faults, 52.1k -> 55.6k
 * syscalls (the collisions' readlinks); a tree walk is unchanged.
 */
#define VFS_CACHE_GROUP		16	/* power of two */
/* -DVFS_CACHE_TTL_NS=...: a longer life for instruction counts taken by
 * single-stepping (bench/vfs.sh), where a call takes a good part of a second */
#ifndef VFS_CACHE_TTL_NS
#define VFS_CACHE_TTL_NS	1000000000LL
#endif

struct vfs_cache_ent {
	uint32_t seq;
	uint32_t kind;		/* enum vfs_cache_kind */
	uint64_t hash;
	uint32_t lgen;		/* the table's generation when made */
	uint32_t made;		/* @epoch when made */
	uint32_t epoch;		/* moved on by vfs_cache_forget() */
	int64_t stamp;
	char path[VFS_CACHE_PATH];
};

/*
 * @gen:	moved on by every change of a directory entry in the view
 *		(vfs_cache_generation(): the memo and the dirfd table)
 * @lgen:	moved on by changes that can touch many names (rename)
 */
struct vfs_cache {
	uint64_t gen;
	uint32_t lgen;
	struct vfs_cache_ent ent[VFS_CACHE_SIZE];
};

/* Zero-filled (.bss: no megabyte of the preload shim's file to map), as
 * a new shared table is: the generations an entry records are the table's
 * counts plus one (vfs_gen(), vfs_lgen()), so an entry never written, or
 * a zero-filled memo or dirfd entry, never matches */
_Static_assert(sizeof(struct vfs_cache_ent) * VFS_CACHE_GROUP == 4096,
	       "a group of the cache's slots is one page");
static struct vfs_cache vfs_cache_local;
static struct vfs_cache *vfs_cache = &vfs_cache_local;

/**
 * vfs_cache_share() - Use the view-wide table at @mem
 * @mem:	vfs_cache_bytes() bytes, zero-filled when new
 *
 * Under preload every process of the view uses the same table; a change
 * made by one of them empties it for all.
 */
VFS_COLD void vfs_cache_share(void *mem)
{
	vfs_cache = mem;
}

VFS_COLD size_t vfs_cache_bytes(void)
{
	return sizeof(struct vfs_cache);
}

static uint64_t vfs_hash(const char *s, size_t *len)
{
	*len = strlen(s);
	return vfs_hash_bytes(s, *len);
}

/* The slot of @host (@len bytes, hash @hash): its directory's group */
static unsigned vfs_cache_slot(const char *host, size_t len, uint64_t hash)
{
	size_t dir = len;
	uint64_t dh;

	while (dir > 0 && host[dir - 1] != '/')
		dir--;
	dh = vfs_hash_bytes(host, dir);
	return (unsigned)(dh & (VFS_CACHE_SIZE / VFS_CACHE_GROUP - 1)) *
	       VFS_CACHE_GROUP + (unsigned)(hash & (VFS_CACHE_GROUP - 1));
}

/*
 * The clock, read at most once per intercepted call while the call holds
 * it (vfs_cache_clock_hold()): entries are stamped and checked several
 * times per call, and even a read straight from the vDSO (vfs_clock.c)
 * costs some 60 instructions.  A call is over in microseconds; its stamps
 * are then that much older, never newer.
 */
VFS_DATA static int vfs_clock_held;	/* 1: held, 2: held and read */
VFS_DATA static int64_t vfs_clock_read;

VFS_HOT static int64_t vfs_now(void)
{
	int64_t now;

	if (vfs_clock_held == 2)
		return vfs_clock_read;
	now = vfs_clock_now();
	if (vfs_clock_held) {
		vfs_clock_read = now;
		vfs_clock_held = 2;
	}
	return now;
}

/**
 * vfs_cache_clock_hold() - One call starts (@on 1) or ends (@on 0): while
 * it runs the clock is read once
 */
VFS_HOT void vfs_cache_clock_hold(int on)
{
	vfs_clock_held = on;
}

VFS_HOT static uint64_t vfs_gen(void)
{
	return __atomic_load_n(&vfs_cache->gen, __ATOMIC_ACQUIRE) + 1;
}

static uint32_t vfs_lgen(void)
{
	return __atomic_load_n(&vfs_cache->lgen, __ATOMIC_ACQUIRE) + 1;
}

/**
 * vfs_cache_ticket() - Start finding out what @host is
 *
 * Read before the call (readlink, lstat) whose answer is then given to
 * vfs_cache_put() or vfs_cache_seen() with the ticket; also the key for
 * vfs_cache_get().
 */
void vfs_cache_ticket(const char *host, struct vfs_ticket *t)
{
	t->hash = vfs_hash(host, &t->len);
	t->slot = vfs_cache_slot(host, t->len, t->hash);
	t->lgen = vfs_lgen();
	t->epoch = __atomic_load_n(&vfs_cache->ent[t->slot].epoch,
				   __ATOMIC_ACQUIRE);
}

/**
 * vfs_cache_get() - What is known of @host (@t from vfs_cache_ticket())
 * @target:	VFS_CACHE_LINK: set to the symlink's target (VFS_PATH_MAX)
 *
 * Return: enum vfs_cache_kind (VFS_CACHE_UNKNOWN on a miss)
 */
int vfs_cache_get(const char *host, const struct vfs_ticket *t, char *target)
{
	struct vfs_cache_ent *e = &vfs_cache->ent[t->slot];
	uint32_t seq = __atomic_load_n(&e->seq, __ATOMIC_ACQUIRE);
	size_t len = t->len;
	int kind;

	if ((seq & 1) || len >= VFS_CACHE_PATH)
		return VFS_CACHE_UNKNOWN;
	kind = e->kind;
	if (e->hash != t->hash || e->lgen != vfs_lgen() ||
	    e->made != __atomic_load_n(&e->epoch, __ATOMIC_ACQUIRE) ||
	    vfs_now() - e->stamp >= VFS_CACHE_TTL_NS ||
	    memcmp(e->path, host, len + 1))
		return VFS_CACHE_UNKNOWN;
	if (kind == VFS_CACHE_LINK)
		memcpy(target, e->path + len + 1, VFS_CACHE_PATH - len - 1);
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	if (__atomic_load_n(&e->seq, __ATOMIC_RELAXED) != seq)
		return VFS_CACHE_UNKNOWN;
	if (kind == VFS_CACHE_LINK)
		target[VFS_CACHE_PATH - len - 2] = '\0';
	return kind;
}

/**
 * vfs_cache_put() - Remember what @host is
 * @kind:	enum vfs_cache_kind
 * @target:	VFS_CACHE_LINK: the symlink's target
 * @t:		vfs_cache_ticket() read before the call that found it out:
 *		a change made meanwhile leaves the entry out
 *
 * Paths (with a link's target) too long for an entry are not kept.
 */
void vfs_cache_put(const char *host, int kind, const char *target,
		   const struct vfs_ticket *t)
{
	size_t len = t->len, tlen = kind == VFS_CACHE_LINK ? strlen(target) : 0;
	struct vfs_cache_ent *e = &vfs_cache->ent[t->slot];
	uint32_t seq = __atomic_load_n(&e->seq, __ATOMIC_RELAXED);

	if (len + 1 + tlen + 1 > VFS_CACHE_PATH || (seq & 1) ||
	    !__atomic_compare_exchange_n(&e->seq, &seq, seq + 1, 0,
					 __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	/* changed since the ticket: what was found out may be old */
	if (vfs_lgen() != t->lgen ||
	    __atomic_load_n(&e->epoch, __ATOMIC_ACQUIRE) != t->epoch) {
		__atomic_store_n(&e->seq, seq, __ATOMIC_RELEASE);
		return;
	}
	memcpy(e->path, host, len + 1);
	if (kind == VFS_CACHE_LINK)
		memcpy(e->path + len + 1, target, tlen + 1);
	e->kind = kind;
	e->hash = t->hash;
	e->lgen = t->lgen;
	e->made = t->epoch;
	e->stamp = vfs_now();
	__atomic_store_n(&e->seq, seq + 2, __ATOMIC_RELEASE);
}

/*
 * What this process's own lstat(), statx(AT_SYMLINK_NOFOLLOW) and
 * readlink() answers said were not symlinks, the last few: ls's getxattr
 * and lgetxattr of the file it has just statted find it here instead of
 * in the shared table, whose entry for a new file is a cache line no
 * process has touched yet (writing it cost more than the rest of the
 * lookup).  Valid for the generation it was seen in (any change in the
 * view moves it on) and VFS_CACHE_TTL_NS.
 */
#define VFS_SEEN_SLOTS	4

struct vfs_seen {
	uint64_t gen;
	int64_t stamp;
	size_t len;
	char path[VFS_CACHE_PATH];
};

VFS_DATA static struct vfs_seen vfs_seen_ent[VFS_SEEN_SLOTS];
VFS_DATA static unsigned vfs_seen_next;

/**
 * vfs_cache_seen() - A call that does not follow the last component found
 * @host of file type @mode (S_IFMT bits)
 * @gen:	vfs_cache_generation() read before that call
 *
 * lstat() and readlink() of a resolved host path say what the walk's own
 * readlink() would: remember non-symlinks (a later walk to the same path,
 * ls's getxattr after its lstat, needs no readlink of its own).  A
 * trailing slash made the kernel follow; /proc changes under the same
 * names.
 */
VFS_HOT void vfs_cache_seen(const char *host, mode_t mode, uint64_t gen)
{
	size_t len = strlen(host);
	struct vfs_seen *e;

	if (S_ISLNK(mode) || host[0] != '/' || (len > 1 && host[len - 1] == '/') ||
	    !strncmp(host, "/proc/", 6) || len >= VFS_CACHE_PATH)
		return;
	e = &vfs_seen_ent[vfs_seen_next++ % VFS_SEEN_SLOTS];
	memcpy(e->path, host, len + 1);
	e->len = len;
	e->gen = gen;
	e->stamp = vfs_now();
}

/* Did vfs_cache_seen() see @host (not a symlink) lately? */
VFS_HOT int vfs_cache_seen_get(const char *host)
{
	size_t len = strlen(host);
	int i;

	for (i = 0; i < VFS_SEEN_SLOTS; i++) {
		const struct vfs_seen *e = &vfs_seen_ent[i];

		if (e->len == len && !memcmp(e->path, host, len) &&
		    e->gen == vfs_gen() && vfs_now() - e->stamp < VFS_CACHE_TTL_NS)
			return 1;
	}
	return 0;
}

/**
 * vfs_cache_forget() - The directory entry @host is removed or made
 *
 * Forgets what the table knows of that name (a trailing slash is
 * ignored), and moves the generation of the memo and the dirfd table on.
 *
 * Return: the slot, for vfs_cache_forget_slot() after the change
 */
unsigned vfs_cache_forget(const char *host)
{
	size_t len = strlen(host);
	unsigned slot;
	uint64_t h;

	while (len > 1 && host[len - 1] == '/')
		len--;
	h = vfs_hash_bytes(host, len);
	slot = vfs_cache_slot(host, len, h);
	vfs_cache_forget_slot(slot);
	return slot;
}

void vfs_cache_forget_slot(unsigned slot)
{
	__atomic_add_fetch(&vfs_cache->ent[slot % VFS_CACHE_SIZE].epoch, 1,
			   __ATOMIC_SEQ_CST);
	__atomic_add_fetch(&vfs_cache->gen, 1, __ATOMIC_SEQ_CST);
}

/* The current generation and clock, for caches with the same rules */
VFS_HOT uint64_t vfs_cache_generation(void)
{
	return vfs_gen();
}

VFS_HOT int vfs_cache_fresh(int64_t stamp)
{
	return vfs_now() - stamp < VFS_CACHE_TTL_NS;
}

int64_t vfs_cache_stamp(void)
{
	return vfs_now();
}

/* Names changed that vfs_cache_forget() cannot list: forget everything */
void vfs_cache_flush(void)
{
	__atomic_add_fetch(&vfs_cache->lgen, 1, __ATOMIC_SEQ_CST);
	__atomic_add_fetch(&vfs_cache->gen, 1, __ATOMIC_SEQ_CST);
}
