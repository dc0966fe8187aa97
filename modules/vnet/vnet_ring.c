// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vnet/vnet_ring.c - Sockets made ahead, taken from the keeper's
 * fd table (pidfd_getfd)
 *
 * DOC: Rings
 *
 * Under preload a feed (vnet_feed.c) can be a ring instead of a queue of
 * messages: the keeper keeps up to VNET_RING_SLOTS fresh sockets of the
 * kind in its own fd table and writes their numbers in a small memory
 * shared with the clients (struct vnet_ring, a memfd sent in the feed's
 * first message, with a pidfd of the keeper).  The client's socket() is
 * then: claim a slot (compare-and-swap, no system call), and
 * pidfd_getfd(keeper, number), which puts a copy of the socket at the
 * caller's lowest free fd, close-on-exec; plus fcntl(F_SETFD, 0) when
 * SOCK_CLOEXEC was not asked.  No message is sent per socket: on a
 * PVM guest sendmmsg() of one-fd messages cost the keeper 1.5 us per
 * socket, and recvmsg() of one cost the client 2.5 us, against 1.7 us for
 * pidfd_getfd() (and 1.1 us for the fcntl).
 *
 * The sockets stay in the keeper's fd table until taken, so a program can
 * neither close nor reuse one, nothing of the view is in the program's fd
 * table but the feed and the pidfd (moved to 768 and above), and a forked
 * child or another thread shares the ring safely: a slot is claimed by one
 * compare-and-swap.  A slot goes: the keeper's fd + 1 (full), CLAIMED (a
 * client is copying it), 0 (copied, or never filled).  The keeper closes
 * its copy of a slot only once the slot is 0 again, and fills only slots
 * that are 0 and have no copy of its own, so a number is never taken after
 * the keeper closed it.
 *
 * When few are left (VNET_RING_LOW), the client that saw it sends a
 * REFILL on the feed connection, once until the keeper answers it; when
 * none is left, it asks again and waits on a futex in the shared memory
 * (100 ms at most, then looks whether the keeper is still alive).  When
 * the keeper cannot make any socket and the ring is empty, it writes the
 * errno in the ring and stops: that socket() fails with it, and the next
 * opens a new feed, as with a message feed.
 *
 * pidfd_getfd() needs the right to ptrace the keeper: the same user (the
 * keeper stays dumpable; it allows any tracer of its user under Yama's
 * ptrace_scope 1).  Where it fails with EPERM or ENOSYS, the process takes
 * its sockets with SOCKET requests instead.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "vnet.h"

#define VNET_RING_WAIT_NS	100000000L	/* then check the keeper */

/**
 * vnet_kring_start() - Give feed @f a ring, in the keeper
 * @f:		Started with vnet_kfeed_start()
 *
 * Return: the memfd to send to the client (the keeper keeps only the
 * mapping), or -errno: the feed then stays a queue of messages
 */
int vnet_kring_start(struct vnet_kfeed *f)
{
	void *m;
	int fd, i;

	fd = memfd_create("facet-vnet-ring", MFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (ftruncate(fd, sizeof(*f->ring)) < 0)
		goto err;
	m = mmap(NULL, sizeof(*f->ring), PROT_READ | PROT_WRITE, MAP_SHARED,
		 fd, 0);
	if (m == MAP_FAILED)
		goto err;
	f->ring = m;
	for (i = 0; i < VNET_RING_SLOTS; i++)
		f->kfd[i] = -1;
	return fd;
err:
	i = -errno;
	close(fd);
	return i;
}

static int vnet_kring_cmp(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* Close the keeper's copies of the slots the clients took */
static void vnet_kring_reap(struct vnet_kfeed *f)
{
	int fds[VNET_RING_SLOTS], n = 0, i;

	for (i = 0; i < VNET_RING_SLOTS; i++) {
		if (f->kfd[i] < 0 ||
		    __atomic_load_n(&f->ring->slot[i], __ATOMIC_ACQUIRE))
			continue;
		fds[n++] = f->kfd[i];
		f->kfd[i] = -1;
	}
	/* in order, so that runs of numbers go with one close_range() */
	qsort(fds, (size_t)n, sizeof(int), vnet_kring_cmp);
	vnet_kfeed_close(fds, n);
}

/* Wake the clients waiting for an empty ring to fill */
static void vnet_kring_wake(struct vnet_ring *r)
{
	__atomic_add_fetch(&r->gen, 1, __ATOMIC_RELEASE);
	if (__atomic_exchange_n(&r->waiters, 0, __ATOMIC_ACQ_REL))
		syscall(SYS_futex, &r->gen, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
}

/**
 * vnet_kring_fill() - Fill the empty slots of @f's ring with fresh sockets
 * @f:		Its state
 *
 * Return: 0, or 1 when the feed has stopped (no socket could be made and
 * the ring is empty: the errno is in the ring)
 */
int vnet_kring_fill(struct vnet_kfeed *f)
{
	int want[VNET_RING_SLOTS], fds[VNET_BATCH_MAX], nw = 0, got = 0;
	struct vnet_ring *r = f->ring;
	int err = 0, made, i, n;

	if (!f->on)
		return 1;
	/* a client that sees few left from now on asks again */
	__atomic_store_n(&r->asked, 0, __ATOMIC_RELEASE);
	vnet_kring_reap(f);
	for (i = 0; i < VNET_RING_SLOTS; i++)
		if (f->kfd[i] < 0)
			want[nw++] = i;
	while (got < nw) {
		n = nw - got < VNET_BATCH_MAX ? nw - got : VNET_BATCH_MAX;
		made = vnet_sockets_make(f->family, f->type, f->protocol, fds,
					 n, &err);
		for (i = 0; i < made; i++) {
			f->kfd[want[got + i]] = fds[i];
			__atomic_store_n(&r->slot[want[got + i]],
					 (uint32_t)fds[i] + 1, __ATOMIC_RELEASE);
		}
		__atomic_add_fetch(&r->avail, (uint32_t)made, __ATOMIC_RELEASE);
		got += made;
		if (made < n)
			break;
	}
	if (nw && !got && !__atomic_load_n(&r->avail, __ATOMIC_ACQUIRE)) {
		__atomic_store_n(&r->err, err ? err : ENOBUFS,
				 __ATOMIC_RELEASE);
		f->on = 0;
	}
	vnet_kring_wake(r);
	return !f->on;
}

/**
 * vnet_kring_clear() - Close the keeper's copies and unmap @f's ring
 * @f:		Its state; the connection is gone
 *
 * A process may still have the ring mapped without the connection (it
 * closed that fd): every slot is emptied first, so none is taken after
 * its number is closed, and the ring is marked stale (ESTALE): that
 * process opens a new feed rather than ask on an fd that is not ours.  A slot being copied right now keeps its socket
 * open, as long as the keeper lives.
 */
void vnet_kring_clear(struct vnet_kfeed *f)
{
	int fds[VNET_RING_SLOTS], n = 0, i;
	uint32_t v;

	if (!f->ring)
		return;
	for (i = 0; i < VNET_RING_SLOTS; i++) {
		v = __atomic_exchange_n(&f->ring->slot[i], 0, __ATOMIC_ACQ_REL);
		if (f->kfd[i] >= 0 && v != VNET_RING_CLAIMED)
			fds[n++] = f->kfd[i];
		f->kfd[i] = -1;
	}
	/* a process that still has it mapped opens a new feed */
	__atomic_store_n(&f->ring->err, ESTALE, __ATOMIC_RELEASE);
	vnet_kring_wake(f->ring);
	qsort(fds, (size_t)n, sizeof(int), vnet_kring_cmp);
	vnet_kfeed_close(fds, n);
	munmap(f->ring, sizeof(*f->ring));
	f->ring = NULL;
}

/* Ask the keeper for more (a REFILL on the feed); Return: 0 or -errno */
static int vnet_ring_ask(int feed)
{
	struct vnet_req req = { .op = VNET_OP_REFILL };

	return vnet_send(feed, &req, -1);
}

/* Claim a full slot of @r; Return: the keeper's fd, or -1 if none */
static int vnet_ring_claim(struct vnet_ring *r, unsigned *at)
{
	unsigned start = __atomic_load_n(&r->hint, __ATOMIC_RELAXED), i, k;
	uint32_t v;

	for (k = 0; k < VNET_RING_SLOTS; k++) {
		i = (start + k) % VNET_RING_SLOTS;
		v = __atomic_load_n(&r->slot[i], __ATOMIC_ACQUIRE);
		if (!v || v == VNET_RING_CLAIMED)
			continue;
		if (!__atomic_compare_exchange_n(&r->slot[i], &v,
						 VNET_RING_CLAIMED, 0,
						 __ATOMIC_ACQ_REL,
						 __ATOMIC_RELAXED))
			continue;
		__atomic_store_n(&r->hint, i + 1, __ATOMIC_RELAXED);
		*at = i;
		return (int)(v - 1);
	}
	return -1;
}

/* Nothing in @r: ask, and wait for generation @gen to pass (a while) */
static int vnet_ring_wait(struct vnet_ring *r, int feed, uint32_t gen)
{
	struct timespec ts = { 0, VNET_RING_WAIT_NS };
	int ret;

	__atomic_store_n(&r->asked, 1, __ATOMIC_RELEASE);
	__atomic_store_n(&r->waiters, 1, __ATOMIC_RELEASE);
	ret = vnet_ring_ask(feed);
	if (ret < 0)
		return ret;
	syscall(SYS_futex, &r->gen, FUTEX_WAIT, gen, &ts, NULL, 0);
	return -EAGAIN;
}

/**
 * vnet_ring_take() - A socket from ring @r, at the lowest free fd
 * @r:		The ring, mapped
 * @pidfd:	The keeper's pidfd
 * @feed:	The feed connection (to ask for more)
 * @cloexec:	Leave it close-on-exec
 *
 * Return: the socket; -EAGAIN when the ring was empty and is still (after
 * a wait of up to 100 ms: see whether the keeper lives, then try again);
 * the keeper's errno when it could not make one (the feed has stopped);
 * -EPERM or -ENOSYS when pidfd_getfd() is not allowed or not there; -EBADF
 * when @pidfd or @feed is no longer what it was (the program closed it or
 * put another file there)
 */
int vnet_ring_take(struct vnet_ring *r, int pidfd, int feed, int cloexec)
{
	uint32_t gen = __atomic_load_n(&r->gen, __ATOMIC_ACQUIRE);
	int kfd, fd, ret, err;
	unsigned at;
	int32_t left;

	kfd = vnet_ring_claim(r, &at);
	if (kfd < 0) {
		err = __atomic_load_n(&r->err, __ATOMIC_ACQUIRE);
		if (err == ESTALE)
			return -EBADF;	/* the feed is closed: not ours */
		if (err)
			return -err;
		ret = vnet_ring_wait(r, feed, gen);
		return ret == -ENOTSOCK ? -EBADF : ret;
	}
	fd = (int)syscall(SYS_pidfd_getfd, pidfd, kfd, 0);
	ret = -errno;
	if (fd < 0) {
		/* not taken: give it back */
		__atomic_store_n(&r->slot[at], (uint32_t)kfd + 1,
				 __ATOMIC_RELEASE);
		return ret == -ESRCH ? -EBADF : ret;
	}
	__atomic_store_n(&r->slot[at], 0, __ATOMIC_RELEASE);
	left = (int32_t)__atomic_sub_fetch(&r->avail, 1, __ATOMIC_ACQ_REL);
	if (left <= VNET_RING_LOW &&
	    !__atomic_exchange_n(&r->asked, 1, __ATOMIC_ACQ_REL))
		vnet_ring_ask(feed);
	if (!cloexec)
		syscall(SYS_fcntl, fd, F_SETFD, 0);
	return fd;
}
