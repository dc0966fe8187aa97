// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vnet/vnet_feed.c - Sockets made ahead, queued on a connection
 *
 * DOC: Feeds
 *
 * A FEED request turns a connection to the keeper into a one-way queue of
 * fresh sockets of one kind (family, type, protocol).  The keeper sends
 * them one per message (a struct vnet_reply with err 0, and the socket),
 * as many as the connection's send buffer holds (VNET_FEED_SNDBUF: about
 * 40), and tops the queue up once the client has taken about three
 * quarters of them: a unix socket is writable (EPOLLOUT) again when a
 * quarter of its send buffer is in use.  It makes them in batches and
 * sends each batch with one sendmmsg().
 *
 * The client's socket() is then a single recvmsg(): the kernel puts the
 * socket at the lowest free fd, close-on-exec or not as MSG_CMSG_CLOEXEC
 * says, exactly as socket() would have.  The queued sockets are in no
 * process's fd table, so a program cannot close or reuse one, and a
 * process that forks shares the queue with its child without ever sharing
 * a socket: each message is taken by one of them.
 *
 * When the keeper cannot make a socket, the message carries err and no fd,
 * and the feed stops; the client closes it and opens a new one next time.
 *
 * A feed still holds sockets after its keeper is gone, and those must not
 * be handed out (socket() fails with ENETDOWN then).  Asking the kernel
 * (poll() for POLLHUP) would cost a system call per socket(), so the first
 * message of a feed carries a small shared memory file holding a robust,
 * process-shared mutex that the keeper locks at its start and never
 * unlocks: when the keeper ends, however it ends, the kernel marks the
 * mutex as owned by a dead thread, and pthread_mutex_trylock() stops
 * saying EBUSY.  That is a few instructions and no system call.
 */
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "vnet.h"

/*
 * Send buffer of the keeper's end: the kernel doubles it, and a message
 * with one fd takes 768 bytes of it (6.x), so about 40 sockets wait in
 * the queue and the keeper refills it when about 10 are left
 */
#define VNET_FEED_SNDBUF	16384

/* How long a client waits for the keeper to close a batch, then looks */
#define VNET_FEED_WAIT_NS	10000000L

/**
 * vnet_alive_hold() - The keeper's sign of life, locked for its lifetime
 * @mapped:	Set to the keeper's mapping of it
 *
 * Return: a memfd holding a struct vnet_alive whose robust process-shared
 * mutex this thread locked (it must live as long as the process), or
 * -errno
 */
int vnet_alive_hold(struct vnet_alive **mapped)
{
	pthread_mutexattr_t attr;
	struct vnet_alive *a;
	int fd, ret;

	fd = memfd_create("facet-keeper-alive", MFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (ftruncate(fd, sizeof(*a)) < 0)
		goto err;
	a = mmap(NULL, sizeof(*a), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (a == MAP_FAILED)
		goto err;
	pthread_mutexattr_init(&attr);
	pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED);
	pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST);
	ret = pthread_mutex_init(&a->lock, &attr);
	pthread_mutexattr_destroy(&attr);
	if (!ret)
		ret = pthread_mutex_lock(&a->lock);
	if (ret) {
		munmap(a, sizeof(*a));
		errno = ret;
		goto err;
	}
	*mapped = a;
	return fd;	/* the mapping stays, as long as the process */
err:
	ret = -errno;
	close(fd);
	return ret;
}

/**
 * vnet_alive() - Is the keeper that locked @a still there?
 * @a:		Mapped from the memfd of vnet_alive_hold()
 *
 * Return: 1 or 0
 */
int vnet_alive(struct vnet_alive *a)
{
	int ret = pthread_mutex_trylock(&a->lock);

	/* EDEADLK: a thread of another pid namespace with the same tid */
	if (ret == EBUSY || ret == EDEADLK)
		return 1;
	/* gone: an EOWNERDEAD mutex unlocked so is not recoverable, ever */
	if (!ret || ret == EOWNERDEAD)
		pthread_mutex_unlock(&a->lock);
	return 0;
}

/* Has the keeper closed its copies of batch @batch? */
static int vnet_batch_closed(struct vnet_alive *a, uint32_t batch)
{
	uint32_t closed = __atomic_load_n(&a->closed, __ATOMIC_ACQUIRE);

	return (int32_t)(closed - batch) >= 0;
}

/* In the keeper: batch @batch is closed; wake the clients waiting for it */
static void vnet_batch_close(struct vnet_alive *a, uint32_t batch)
{
	__atomic_store_n(&a->closed, batch, __ATOMIC_RELEASE);
	if (__atomic_exchange_n(&a->waiters, 0, __ATOMIC_ACQ_REL))
		syscall(SYS_futex, &a->closed, FUTEX_WAKE, INT_MAX, NULL, NULL,
			0);
}

/* Wait until the keeper closed its copies of @batch, or is gone */
static void vnet_batch_wait(struct vnet_alive *a, uint32_t batch)
{
	struct timespec ts = { 0, VNET_FEED_WAIT_NS };
	uint32_t closed;

	while (!vnet_batch_closed(a, batch) && vnet_alive(a)) {
		closed = __atomic_load_n(&a->closed, __ATOMIC_ACQUIRE);
		__atomic_store_n(&a->waiters, 1, __ATOMIC_RELEASE);
		if (!vnet_batch_closed(a, batch))
			syscall(SYS_futex, &a->closed, FUTEX_WAIT, closed, &ts,
				NULL, 0);
	}
}

/**
 * vnet_kfeed_start() - Make a keeper's connection a feed
 * @f:		The connection's feed state, zeroed
 * @conn:	The connection
 * @req:	The FEED request (family, type, protocol)
 * @alive:	The keeper's sign of life
 *
 * Return: 0, or -errno when @req asks for no kind of socket
 */
int vnet_kfeed_start(struct vnet_kfeed *f, int conn, const struct vnet_req *req,
		     struct vnet_alive *alive)
{
	int sndbuf = VNET_FEED_SNDBUF;

	if (req->type & (SOCK_NONBLOCK | SOCK_CLOEXEC))
		return -EINVAL;
	f->on = 1;
	f->alive = alive;
	f->family = req->family;
	f->type = req->type | SOCK_CLOEXEC;
	f->protocol = req->protocol;
	f->n = 0;
	setsockopt(conn, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
	return 0;
}

/* Close the sockets made but not sent */
void vnet_kfeed_clear(struct vnet_kfeed *f)
{
	while (f->n)
		close(f->fd[--f->n]);
}

/* Close @fds[0..@n-1]: one call per run of consecutive numbers */
void vnet_kfeed_close(const int *fds, int n)
{
	int i = 0, j;

	while (i < n) {
		for (j = i + 1; j < n && fds[j] == fds[j - 1] + 1; j++)
			;
		if (j - i == 1 ||
		    syscall(SYS_close_range, fds[i], fds[j - 1], 0) < 0)
			for (; i < j; i++)
				close(fds[i]);
		i = j;
	}
}

/*
 * Send the error @err, which ends the feed; with the queue full, try
 * again (socket() too) when there is room.  Return: 1, 0 or -errno
 */
static int vnet_kfeed_fail(struct vnet_kfeed *f, int conn, int err)
{
	struct vnet_reply rep = { .err = err };

	if (send(conn, &rep, sizeof(rep), MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
		return errno == EAGAIN ? 0 : -errno;
	f->on = 0;
	return 1;
}

/*
 * Send the sockets made; Return: how many went, 0 when the queue is full,
 * or -errno
 */
static int vnet_kfeed_send(struct vnet_kfeed *f, int conn)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} cm[VNET_BATCH_MAX];
	struct vnet_reply rep = { 0 };
	struct iovec iov = { &rep, sizeof(rep) };
	struct mmsghdr mm[VNET_BATCH_MAX];
	struct cmsghdr *c;
	int i, sent;

	/* the keeper is single-threaded: the last batch sent is closed */
	rep.batch = __atomic_load_n(&f->alive->closed, __ATOMIC_RELAXED) + 1;
	memset(mm, 0, sizeof(mm));
	memset(cm, 0, sizeof(cm));
	for (i = 0; i < f->n; i++) {
		mm[i].msg_hdr.msg_iov = &iov;
		mm[i].msg_hdr.msg_iovlen = 1;
		mm[i].msg_hdr.msg_control = cm[i].buf;
		mm[i].msg_hdr.msg_controllen = sizeof(cm[i].buf);
		c = CMSG_FIRSTHDR(&mm[i].msg_hdr);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &f->fd[i], sizeof(int));
	}
	sent = sendmmsg(conn, mm, (unsigned)f->n, MSG_NOSIGNAL | MSG_DONTWAIT);
	if (sent < 0)
		return errno == EAGAIN ? 0 : -errno;
	/* the client has its copies now (or will have, from the queue) */
	vnet_kfeed_close(f->fd, sent);
	vnet_batch_close(f->alive, rep.batch);
	memmove(f->fd, f->fd + sent, sizeof(int) * (size_t)(f->n - sent));
	f->n -= sent;
	return sent;
}

/**
 * vnet_kfeed_fill() - Top up a feed's queue
 * @f:		Its state
 * @conn:	The connection
 *
 * Return: 0 when the queue is full (wait for EPOLLOUT), 1 when the feed
 * has stopped (an error was sent), -errno when the connection is broken
 */
int vnet_kfeed_fill(struct vnet_kfeed *f, int conn)
{
	int err = 0, sent;

	if (!f->on)
		return 1;
	for (;;) {
		f->n += vnet_sockets_make(f->family, f->type, f->protocol,
					  f->fd + f->n, VNET_BATCH_MAX - f->n,
					  &err);
		if (!f->n)
			return vnet_kfeed_fail(f, conn, err);
		sent = vnet_kfeed_send(f, conn);
		/*
		 * the user has more fds in flight than the keeper's
		 * RLIMIT_NOFILE (feeds of many processes): as socket() says
		 * when resources run short
		 */
		if (sent == -ETOOMANYREFS) {
			vnet_kfeed_clear(f);
			return vnet_kfeed_fail(f, conn, ENOBUFS);
		}
		if (sent <= 0)
			return sent;
		/* a partial batch: the queue is full, or socket() failed */
		if (f->n || err)
			return 0;
	}
}


/**
 * vnet_feed_open() - Make new connection @conn a feed of sockets
 * (@family, @type, @protocol)
 * @f:		Filled in: the feed (@conn) and the keeper's sign of life
 *		(vnet_alive())
 * @conn:	A connection to the keeper that said hello and made no
 *		request yet; the feed's on success, closed on failure
 * @type:	Without SOCK_NONBLOCK and SOCK_CLOEXEC
 *
 * Return: 0, or -errno (-ENETDOWN when the keeper is gone, -EOPNOTSUPP
 * when it has no sign of life to give: ask for each socket then)
 */
int vnet_feed_open(struct vnet_feed *f, int conn, int family, int type,
		   int protocol)
{
	struct vnet_req req = { .op = VNET_OP_FEED, .family = family,
				.type = type, .protocol = protocol };
	struct vnet_reply rep = { 0 };
	int fd = -1, n, ret;
	void *m;

	*f = (struct vnet_feed){ .fd = conn };
	/* the first answer: the sign of life, or why there is none */
	n = ret = vnet_call(f->fd, &req, -1, &rep, &fd, 1, 1);
	if (ret >= 0 && rep.err)
		ret = -rep.err;
	if (ret >= 0 && (n != 1 || !(rep.flags & VNET_FEED_ALIVE)))
		ret = -EOPNOTSUPP;
	if (ret >= 0) {
		m = mmap(NULL, sizeof(*f->alive), PROT_READ | PROT_WRITE,
			 MAP_SHARED, fd, 0);
		f->alive = m == MAP_FAILED ? NULL : m;
		ret = f->alive ? 0 : -ENOMEM;
	}
	if (n > 0)
		close(fd);
	if (ret < 0) {
		close(f->fd);
		f->fd = -1;
	}
	return ret;
}

/* Close feed @f and unmap what it had mapped */
void vnet_feed_close(struct vnet_feed *f)
{
	if (f->fd >= 0)
		close(f->fd);
	vnet_feed_forget(f);
}

/* The program closed @f's fds (closefrom...): unmap, close nothing */
void vnet_feed_forget(struct vnet_feed *f)
{
	if (f->alive)
		munmap(f->alive, sizeof(*f->alive));
	*f = (struct vnet_feed){ .fd = -1 };
}

/**
 * vnet_feed_take() - The next socket of a feed, waiting for it if need be
 * @f:		The feed
 * @cloexec:	Give it close-on-exec
 *
 * Return: the socket, at the lowest free fd, with no other copy of it
 * left in the keeper; the keeper's errno when it could not make one (the
 * feed has then stopped); another -errno when @f's fd is not a feed
 * (EBADF, ENOTSOCK...)
 */
int vnet_feed_take(const struct vnet_feed *f, int cloexec)
{
	struct vnet_reply rep = { 0 };
	int fd = -1, n;

	n = vnet_recv(f->fd, &rep, &fd, 1, cloexec, 0);
	if (n < 0)
		return n;
	if (n == 1 && !rep.err) {
		if (!vnet_batch_closed(f->alive, rep.batch))
			vnet_batch_wait(f->alive, rep.batch);
		return fd;
	}
	if (n == 1)
		close(fd);
	return rep.err ? -rep.err : -EPROTO;
}
