// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vfs/vfs_cache.c - Host paths known not to be symlinks
 *
 * Resolution reads every component with readlink(2) to see whether it is a
 * symlink; tools like gcc resolve the same directories thousands of times.
 * This cache remembers what readlink(2) said of a host path: not a
 * symlink, a symlink and its target (the chains of /usr/bin/cc), or no
 * such file (the include directories a compiler tries in turn).  It is
 * emptied whenever a process of the view renames, removes or creates a
 * directory entry other than by open(O_CREAT) (the only ways a
 * non-symlink becomes a symlink, or a missing directory appears), and
 * entries expire after VFS_CACHE_TTL_NS so changes made outside the view
 * are seen soon.  A regular file made by open(O_CREAT) where a missing
 * name was remembered is seen as missing when a later path goes through
 * it as a directory (ENOENT where the kernel says ENOTDIR) until then.
 *
 * The table (1 MiB, no allocation: under preload this runs in signal
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

#define VFS_CACHE_SIZE		4096	/* power of two */
#define VFS_CACHE_PATH		240	/* longer paths are not cached */
#define VFS_CACHE_TTL_NS	1000000000LL

struct vfs_cache_ent {
	uint32_t seq;
	uint32_t kind;		/* enum vfs_cache_kind */
	uint64_t hash;
	uint64_t gen;
	int64_t stamp;
	char path[VFS_CACHE_PATH];
};

struct vfs_cache {
	uint64_t gen;
	struct vfs_cache_ent ent[VFS_CACHE_SIZE];
};

/* Zero-filled (.bss: no megabyte of the preload shim's file to map), as
 * a new shared table is: the generation an entry records is the table's
 * count plus one (vfs_gen()), so an entry never written never matches */
static struct vfs_cache vfs_cache_local;
static struct vfs_cache *vfs_cache = &vfs_cache_local;

/**
 * vfs_cache_share() - Use the view-wide table at @mem
 * @mem:	vfs_cache_bytes() bytes, zero-filled when new
 *
 * Under preload every process of the view uses the same table; a change
 * made by one of them empties it for all.
 */
void vfs_cache_share(void *mem)
{
	vfs_cache = mem;
}

size_t vfs_cache_bytes(void)
{
	return sizeof(struct vfs_cache);
}

static uint64_t vfs_hash(const char *s, size_t *len)
{
	uint64_t h = 1469598103934665603ULL;
	const char *p = s;

	while (*p)
		h = (h ^ (unsigned char)*p++) * 1099511628211ULL;
	*len = p - s;
	return h;
}

static int64_t vfs_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static uint64_t vfs_gen(void)
{
	return __atomic_load_n(&vfs_cache->gen, __ATOMIC_ACQUIRE) + 1;
}

/**
 * vfs_cache_get() - What is known of @host
 * @target:	VFS_CACHE_LINK: set to the symlink's target (VFS_PATH_MAX)
 *
 * Return: enum vfs_cache_kind (VFS_CACHE_UNKNOWN on a miss)
 */
int vfs_cache_get(const char *host, char *target)
{
	size_t len;
	uint64_t h = vfs_hash(host, &len);
	struct vfs_cache_ent *e = &vfs_cache->ent[h & (VFS_CACHE_SIZE - 1)];
	uint32_t seq = __atomic_load_n(&e->seq, __ATOMIC_ACQUIRE);
	int kind;

	if ((seq & 1) || len >= VFS_CACHE_PATH)
		return VFS_CACHE_UNKNOWN;
	kind = e->kind;
	if (e->hash != h || e->gen != vfs_gen() ||
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
 * @gen:	vfs_cache_generation() read before the call that found it
 *		out: a change made meanwhile leaves the entry stale at once
 *
 * Paths (with a link's target) too long for an entry are not kept.
 */
void vfs_cache_put(const char *host, int kind, const char *target,
		   uint64_t gen)
{
	size_t len, tlen = kind == VFS_CACHE_LINK ? strlen(target) : 0;
	uint64_t h = vfs_hash(host, &len);
	struct vfs_cache_ent *e = &vfs_cache->ent[h & (VFS_CACHE_SIZE - 1)];
	uint32_t seq = __atomic_load_n(&e->seq, __ATOMIC_RELAXED);

	if (len + 1 + tlen + 1 > VFS_CACHE_PATH || (seq & 1) ||
	    !__atomic_compare_exchange_n(&e->seq, &seq, seq + 1, 0,
					 __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return;
	__atomic_thread_fence(__ATOMIC_RELEASE);
	memcpy(e->path, host, len + 1);
	if (kind == VFS_CACHE_LINK)
		memcpy(e->path + len + 1, target, tlen + 1);
	e->kind = kind;
	e->hash = h;
	e->gen = gen;
	e->stamp = vfs_now();
	__atomic_store_n(&e->seq, seq + 2, __ATOMIC_RELEASE);
}

/**
 * vfs_cache_seen() - A call that does not follow the last component found
 * @host of file type @mode (S_IFMT bits); @gen as for vfs_cache_put()
 *
 * lstat() and readlink() of a resolved host path say what the walk's own
 * readlink() would: remember non-symlinks (a later walk through or to the
 * same path, ls's getxattr after its lstat, gcc's realpath() of a
 * directory it then opens, needs no readlink of its own).  A trailing
 * slash made the kernel follow; /proc changes under the same names.
 */
void vfs_cache_seen(const char *host, mode_t mode, uint64_t gen)
{
	size_t len = strlen(host);

	if (S_ISLNK(mode) || host[0] != '/' || (len > 1 && host[len - 1] == '/') ||
	    !strncmp(host, "/proc/", 6))
		return;
	vfs_cache_put(host, VFS_CACHE_FILE, NULL, gen);
}

/* The current generation and clock, for caches with the same rules */
uint64_t vfs_cache_generation(void)
{
	return vfs_gen();
}

int vfs_cache_fresh(int64_t stamp)
{
	return vfs_now() - stamp < VFS_CACHE_TTL_NS;
}

int64_t vfs_cache_stamp(void)
{
	return vfs_now();
}

/* A directory entry changed somewhere: forget everything */
void vfs_cache_flush(void)
{
	__atomic_add_fetch(&vfs_cache->gen, 1, __ATOMIC_SEQ_CST);
}
