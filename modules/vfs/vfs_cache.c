// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vfs/vfs_cache.c - Host paths known not to be symlinks
 *
 * Resolution reads every component with readlink(2) to see whether it is a
 * symlink; tools like gcc resolve the same directories thousands of times.
 * The table is static (1 MiB, no allocation: under preload this runs in
 * signal handlers).
 * This cache remembers host paths that were not symlinks.  It is emptied
 * whenever a process of the view renames, removes or creates a directory
 * entry (the only ways a non-symlink becomes a symlink), and entries
 * expire after VFS_CACHE_TTL_NS so changes made outside the view are seen
 * soon.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vfs.h"

#define VFS_CACHE_SIZE		4096	/* power of two */
#define VFS_CACHE_PATH		240	/* longer paths are not cached */
#define VFS_CACHE_TTL_NS	1000000000LL

struct vfs_cache_ent {
	uint64_t hash;
	uint64_t gen;
	int64_t stamp;
	char path[VFS_CACHE_PATH];
};

static struct vfs_cache_ent vfs_cache[VFS_CACHE_SIZE];
static uint64_t vfs_cache_gen_local = 1;
/* In memory shared by the view once vfs_cache_share() is called */
static volatile uint64_t *vfs_cache_gen = &vfs_cache_gen_local;

/**
 * vfs_cache_share() - Use the view-wide generation counter at @gen
 *
 * Under preload every process has its own cache; a change made by one of
 * them must empty all of them.
 */
void vfs_cache_share(uint64_t *gen)
{
	if (!*gen)
		*gen = 1;
	vfs_cache_gen = gen;
}

static uint64_t vfs_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

static int64_t vfs_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Is @host known not to be a symlink? */
int vfs_cache_nolink(const char *host)
{
	uint64_t h = vfs_hash(host);
	struct vfs_cache_ent *e = &vfs_cache[h & (VFS_CACHE_SIZE - 1)];

	return e->hash == h && e->gen == *vfs_cache_gen &&
	       vfs_now() - e->stamp < VFS_CACHE_TTL_NS &&
	       !strcmp(e->path, host);
}

/* Remember that @host is not a symlink */
void vfs_cache_add(const char *host)
{
	uint64_t h = vfs_hash(host);
	struct vfs_cache_ent *e = &vfs_cache[h & (VFS_CACHE_SIZE - 1)];
	size_t len = strlen(host);

	if (len >= VFS_CACHE_PATH)
		return;
	memcpy(e->path, host, len + 1);
	e->hash = h;
	e->gen = *vfs_cache_gen;
	e->stamp = vfs_now();
}

/* The current generation and clock, for caches with the same rules */
uint64_t vfs_cache_generation(void)
{
	return *vfs_cache_gen;
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
	__atomic_add_fetch(vfs_cache_gen, 1, __ATOMIC_SEQ_CST);
}
