// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vnet/vnet_uring.c - The keeper makes sockets in batches (io_uring)
 *
 * DOC: Sockets in batches
 *
 * A feed's sockets are made ahead, about thirty at a time.  On a virtual
 * machine a system call's entry and exit can cost as much as the work of
 * socket() itself (about 1 us of a 2.9 us socket() on the PVM guest
 * facet is developed on), so the keeper makes a batch with one
 * io_uring_enter(): one IORING_OP_SOCKET per socket, each an ordinary fd
 * of the keeper, made in the keeper's namespaces with its credentials as
 * socket() would (about 1.5 us each there).  The ring is the keeper's
 * alone: it is made on first use, in the keeper (one thread), and never
 * shared with the clients.
 *
 * Where io_uring is not available (a kernel before 5.19, the
 * kernel.io_uring_disabled sysctl, a seccomp filter, a keeper started
 * inside another facet view, which refuses io_uring_setup), the keeper
 * makes them with socket() one by one, as before.
 */
#include <errno.h>
#include <linux/io_uring.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "vnet.h"

/**
 * struct vnet_uring - The keeper's ring
 * @state:	0 not tried yet, 1 usable, -1 not available (socket() then)
 * @fd:		The ring
 * @sq_tail:	Submission queue: tail, index array and mask (mapped)
 * @sq_array:	See @sq_tail
 * @sq_mask:	See @sq_tail
 * @cq_head:	Completion queue: head, tail, mask and entries (mapped)
 * @cq_tail:	See @cq_head
 * @cq_mask:	See @cq_head
 * @sqes:	Submission entries (mapped)
 * @cqes:	Completion entries (mapped)
 */
struct vnet_uring {
	int state;
	int fd;
	unsigned *sq_tail, *sq_array, sq_mask;
	unsigned *cq_head, *cq_tail, cq_mask;
	struct io_uring_sqe *sqes;
	struct io_uring_cqe *cqes;
};

/* One per keeper process, which has one thread */
static struct vnet_uring vnet_uring;

/* Set up @u for VNET_BATCH_MAX sockets at a time; Return: 0 or -1 */
static int vnet_uring_open(struct vnet_uring *u)
{
	struct io_uring_params p;
	size_t sq_len, cq_len;
	char *sq, *cq;

	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_SUBMIT_ALL;
	u->fd = (int)syscall(SYS_io_uring_setup, VNET_BATCH_MAX, &p);
	if (u->fd < 0)
		return -1;
	if (!(p.features & IORING_FEAT_SINGLE_MMAP))
		goto err_close;
	sq_len = p.sq_off.array + p.sq_entries * sizeof(unsigned);
	cq_len = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
	sq = mmap(NULL, sq_len > cq_len ? sq_len : cq_len,
		  PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, u->fd,
		  IORING_OFF_SQ_RING);
	if (sq == MAP_FAILED)
		goto err_close;
	cq = sq;
	u->sqes = mmap(NULL, p.sq_entries * sizeof(struct io_uring_sqe),
		       PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
		       u->fd, IORING_OFF_SQES);
	if (u->sqes == MAP_FAILED)
		goto err_close;	/* the ring mapping stays: never used */
	u->sq_tail = (unsigned *)(sq + p.sq_off.tail);
	u->sq_array = (unsigned *)(sq + p.sq_off.array);
	u->sq_mask = *(unsigned *)(sq + p.sq_off.ring_mask);
	u->cq_head = (unsigned *)(cq + p.cq_off.head);
	u->cq_tail = (unsigned *)(cq + p.cq_off.tail);
	u->cq_mask = *(unsigned *)(cq + p.cq_off.ring_mask);
	u->cqes = (struct io_uring_cqe *)(cq + p.cq_off.cqes);
	return 0;
err_close:
	close(u->fd);
	return -1;
}

/* Queue @n IORING_OP_SOCKET, user_data their index */
static void vnet_uring_queue(struct vnet_uring *u, int family, int type,
			     int protocol, int n)
{
	unsigned tail = *u->sq_tail, at;
	struct io_uring_sqe *sqe;
	int i;

	for (i = 0; i < n; i++) {
		at = (tail + (unsigned)i) & u->sq_mask;
		sqe = &u->sqes[at];
		memset(sqe, 0, sizeof(*sqe));
		sqe->opcode = IORING_OP_SOCKET;
		sqe->fd = family;
		sqe->off = (unsigned)type;
		sqe->len = (unsigned)protocol;
		sqe->user_data = (unsigned)i;
		u->sq_array[at] = at;
	}
	__atomic_store_n(u->sq_tail, tail + (unsigned)n, __ATOMIC_RELEASE);
}

/*
 * Make @n sockets with @u into @fds; Return: how many were made (in
 * order), or -1 when the ring made none (given up when it cannot work,
 * kept when all failed with EINVAL: the caller asks socket() whether the
 * arguments or the ring are to blame).  *@err is the errno of the first
 * that failed.
 */
static int vnet_uring_make(struct vnet_uring *u, int family, int type,
			   int protocol, int *fds, int n, int *err)
{
	int res[VNET_BATCH_MAX], i, made = 0, seen = 0;
	struct io_uring_cqe *cqe;
	unsigned head, tail;

	vnet_uring_queue(u, family, type, protocol, n);
	if (syscall(SYS_io_uring_enter, u->fd, n, n, IORING_ENTER_GETEVENTS,
		    NULL, 0) < 0) {
		u->state = -1;	/* nothing was submitted */
		return -1;
	}
	for (i = 0; i < n; i++)
		res[i] = -EAGAIN;
	head = *u->cq_head;
	tail = __atomic_load_n(u->cq_tail, __ATOMIC_ACQUIRE);
	for (; head != tail; head++, seen++) {
		cqe = &u->cqes[head & u->cq_mask];
		if (cqe->user_data < (unsigned)n)
			res[cqe->user_data] = cqe->res;
	}
	__atomic_store_n(u->cq_head, head, __ATOMIC_RELEASE);
	/* sockets are made inline; one that is not could not be told apart
	 * from the next batch's: no more batches then */
	if (seen != n)
		u->state = -1;
	for (i = 0; i < n; i++) {
		if (res[i] >= 0)
			fds[made++] = res[i];
		else if (!*err)
			*err = -res[i];
	}
	/* a kernel without IORING_OP_SOCKET, or arguments socket() would
	 * refuse too: vnet_sockets_make() asks socket() which */
	if (!made && *err == EINVAL)
		return -1;
	return made;
}

/**
 * vnet_sockets_make() - Make up to @n sockets, in the keeper
 * @family:	socket() arguments
 * @type:	With SOCK_CLOEXEC (the keeper's copies)
 * @protocol:	As asked
 * @fds:	Filled with the sockets
 * @n:		At most VNET_BATCH_MAX
 * @err:	Set to the errno of the first that failed, left alone if none
 *
 * Return: how many were made, @fds[0] to @fds[ret - 1]
 */
int vnet_sockets_make(int family, int type, int protocol, int *fds, int n,
		      int *err)
{
	struct vnet_uring *u = &vnet_uring;
	int made = -1, e = 0;

	if (n > VNET_BATCH_MAX)
		n = VNET_BATCH_MAX;
	if (!u->state)
		u->state = vnet_uring_open(u) < 0 ? -1 : 1;
	if (u->state > 0 && n > 1)
		made = vnet_uring_make(u, family, type, protocol, fds, n, &e);
	if (made < 0) {
		e = 0;
		for (made = 0; made < n; made++) {
			fds[made] = socket(family, type, protocol);
			if (fds[made] < 0) {
				e = errno;
				break;
			}
		}
		/* socket() could: the ring cannot, from now on */
		if (made && u->state > 0)
			u->state = -1;
	}
	if (e)
		*err = e;
	return made;
}
