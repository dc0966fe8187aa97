// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * preload/shim_shared.c - Memory shared by every process of a preload view
 *
 * DOC: The shared region
 *
 * `facet run` creates one memfd per view and keeps it open while the view
 * lives; each preloaded image maps it MAP_SHARED through
 * /proc/<facet pid>/fd/<n> (so the command never sees an extra fd, and
 * programs that close every fd before exec do not lose it).  The region
 * starts with a small directory of named blocks handed out by
 * facet_env_shared(); it is sparse, so its size costs nothing until used.
 * An image maps it the first time a module asks for a block
 * (shim_shared_attach_later()): one that runs only modules that share
 * nothing saves the open, the mmap and the page fault.
 * This file is linked into both facet and the shim.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../core/log.h"
#include "shim.h"

#define SHARED_SIZE	(64UL << 20)
#define SHARED_MAGIC	0x66616365u	/* "face" */
#define SHARED_KEYS	128
#define SHARED_ALIGN	64

/**
 * struct shared_hdr - Start of the region
 * @magic:	SHARED_MAGIC once set up
 * @lock:	Spin lock over the directory
 * @started:	Set by the first image that starts the modules
 * @nkeys:	Blocks handed out
 * @used:	Bytes used, header included
 * @keys:	The directory
 */
struct shared_hdr {
	uint32_t magic;
	uint32_t lock;
	uint32_t started;
	uint32_t nkeys;
	uint64_t used;
	struct {
		char key[48];
		uint64_t off, size;
	} keys[SHARED_KEYS];
};

/* Written by every image's start-up: with the shim's state (SHIM_DATA,
 * preload/shim.ld), not on a .bss page of their own */
static struct shared_hdr *shared_map SHIM_DATA;
static int shared_fd SHIM_DATA = -1; /* held for images after a credential change */
static const char *shared_path SHIM_DATA; /* to map on first use, or NULL */

/* Where a held fd goes: out of the way of the lowest-free-fd numbering */
#define SHARED_FD_MIN	1000

/**
 * shim_shared_create() - Create the region of a new view (in facet)
 *
 * Return: the memfd (close-on-exec), or -errno
 */
int shim_shared_create(void)
{
	void *p;
	int fd;

	fd = memfd_create("facet-view", MFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (ftruncate(fd, SHARED_SIZE) < 0)
		goto err;
	p = mmap(NULL, SHARED_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		goto err;
	shared_map = p;
	shared_map->used = (sizeof(struct shared_hdr) + SHARED_ALIGN - 1) &
			   ~(uint64_t)(SHARED_ALIGN - 1);
	shared_map->magic = SHARED_MAGIC;
	return fd;
err:
	close(fd);
	return -errno;
}

/*
 * In the shim, an image opens the region through the gate, not the shim's
 * open() and close(): their code lies in pages of the text a process
 * touches only if it makes such calls itself, and each 64 kB of the shim
 * touched first is a page fault.  facet, which links this file too, has
 * no gate (a weak reference, NULL there) and uses libc's.
 */
extern long shim_gate(long nr, long a0, long a1, long a2, long a3, long a4,
		      long a5) __attribute__((weak));

static SHIM_COLD int shared_open(const char *path)
{
	int fd;

	if (shim_gate)
		return (int)shim_gate4(SYS_openat, AT_FDCWD, path,
				       O_RDWR | O_CLOEXEC, 0);
	fd = open(path, O_RDWR | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

static SHIM_COLD void shared_close(int fd)
{
	if (shim_gate)
		shim_gate1(SYS_close, fd);
	else
		close(fd);
}

/*
 * Out of the program's core dumps: the region is the view's state, not
 * the program's, and a shared mapping is dumped whole (64 MB in every
 * core of a crashing program of a --bind view, against 0.5 MB natively).
 */
static SHIM_COLD void shared_nodump(void *p)
{
	if (shim_gate)
		shim_gate3(SYS_madvise, p, SHARED_SIZE, MADV_DONTDUMP);
	else
		madvise(p, SHARED_SIZE, MADV_DONTDUMP);
}

/**
 * shim_shared_attach() - Map the region of this view
 * @path:	/proc/<facet pid>/fd/<n>
 *
 * Return: 0 or -errno
 */
SHIM_COLD int shim_shared_attach(const char *path)
{
	void *p;
	int fd;

	fd = shared_open(path);
	if (fd < 0)
		return fd;
	p = mmap(NULL, SHARED_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		 0);
	shared_close(fd);
	if (p == MAP_FAILED)
		return -errno;
	if (((struct shared_hdr *)p)->magic != SHARED_MAGIC) {
		munmap(p, SHARED_SIZE);
		return -EINVAL;
	}
	/* two threads attaching at once: the first mapping stays */
	if (!__atomic_compare_exchange_n(&shared_map, &(struct shared_hdr *){
					 NULL }, p, 0, __ATOMIC_ACQ_REL,
					 __ATOMIC_ACQUIRE)) {
		munmap(p, SHARED_SIZE);
		return 0;
	}
	shared_nodump(p);
	/* handed down by an image that changed credentials: hold it too */
	if (!strncmp(path, "/proc/self/fd/", 14))
		shared_fd = shim_config_int(path + 14);
	return 0;
}

/**
 * shim_shared_attach_later() - Map the region when it is first needed
 * @path:	As for shim_shared_attach(); kept, not copied
 */
SHIM_COLD void shim_shared_attach_later(const char *path)
{
	shared_path = path;
	/* handed down by an image that changed credentials: hold it too */
	if (!strncmp(path, "/proc/self/fd/", 14))
		shared_fd = shim_config_int(path + 14);
}

/* The region, mapped now if it was left for later; NULL if unreachable */
static struct shared_hdr *shared_region(void)
{
	struct shared_hdr *h = __atomic_load_n(&shared_map, __ATOMIC_ACQUIRE);
	const char *path = shared_path;
	int ret;

	if (h || !path)
		return h;
	ret = shim_shared_attach(path);
	if (ret < 0) {
		shared_path = NULL;
		log_warn("preload: cannot map the view's shared memory %s: %s",
			 path, strerror(-ret));
	}
	return __atomic_load_n(&shared_map, __ATOMIC_ACQUIRE);
}

/**
 * shim_shared_hold() - Keep an fd of the region for the images to come
 * @path:	The region's path, still open-able by this process
 *
 * An image attaches through /proc/<facet pid>/fd/<n>, which a process
 * can no longer open once it has changed its uid (say, root dropping to
 * nobody): /proc/PID/fd needs the same uid.  Before such a change the
 * shim takes an fd of the region, at a high number and inheritable, and
 * names it to new images as /proc/self/fd/<n>, which a process can
 * always open.
 *
 * Return: the fd, or -errno
 */
int shim_shared_hold(const char *path)
{
	int fd, high;

	if (shared_fd >= 0)
		return shared_fd;
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	high = fcntl(fd, F_DUPFD, SHARED_FD_MIN);
	if (high >= 0) {
		close(fd);
		fd = high;
	} else {
		fcntl(fd, F_SETFD, 0);
	}
	shared_fd = fd;
	return fd;
}

static void shared_lock(void)
{
	while (__atomic_exchange_n(&shared_map->lock, 1, __ATOMIC_ACQUIRE))
		sched_yield();
}

static void shared_unlock(void)
{
	__atomic_store_n(&shared_map->lock, 0, __ATOMIC_RELEASE);
}

/**
 * shim_shared_get() - The block called @key, created zeroed if new
 * @key:	Name, unique per module
 * @size:	Size wanted; an existing block must be at least as big
 *
 * Return: pointer, or NULL (no region, full, or too small)
 */
SHIM_COLD void *shim_shared_get(const char *key, size_t size)
{
	struct shared_hdr *h = shared_region();
	void *ret = NULL;
	uint32_t i;

	if (!h || strlen(key) >= sizeof(h->keys[0].key))
		return NULL;
	shared_lock();
	for (i = 0; i < h->nkeys; i++)
		if (!strcmp(h->keys[i].key, key)) {
			if (h->keys[i].size >= size)
				ret = (char *)h + h->keys[i].off;
			goto out;
		}
	size = (size + SHARED_ALIGN - 1) & ~(size_t)(SHARED_ALIGN - 1);
	if (h->nkeys == SHARED_KEYS || h->used + size > SHARED_SIZE)
		goto out;
	strcpy(h->keys[h->nkeys].key, key);
	h->keys[h->nkeys].off = h->used;
	h->keys[h->nkeys].size = size;
	ret = (char *)h + h->used;
	h->used += size;
	h->nkeys++;
out:
	shared_unlock();
	return ret;
}

/* Whether this is the first image of the view to start the modules */
int shim_shared_first(void)
{
	uint32_t zero = 0;

	if (!shared_map)
		return 1;
	return __atomic_compare_exchange_n(&shared_map->started, &zero, 1, 0,
					   __ATOMIC_ACQ_REL,
					   __ATOMIC_ACQUIRE);
}
