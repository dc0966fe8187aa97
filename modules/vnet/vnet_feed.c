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
#include <pthread.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "vnet.h"

/*
 * Send buffer of the keeper's end: the kernel doubles it, and a message
 * with one fd takes 768 bytes of it (6.x), so about 40 sockets wait in
 * the queue and the keeper refills it when about 10 are left
 */
#define VNET_FEED_SNDBUF	16384

/**
 * vnet_alive_hold() - The keeper's sign of life, locked for its lifetime
 *
 * Return: a memfd holding a robust process-shared mutex locked by this
 * thread (which must live as long as the process), or -errno
 */
int vnet_alive_hold(void)
{
	pthread_mutexattr_t attr;
	pthread_mutex_t *m;
	int fd, ret;

	fd = memfd_create("facet-keeper-alive", MFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (ftruncate(fd, sizeof(*m)) < 0)
		goto err;
	m = mmap(NULL, sizeof(*m), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED)
		goto err;
	pthread_mutexattr_init(&attr);
	pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED);
	pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST);
	ret = pthread_mutex_init(m, &attr);
	pthread_mutexattr_destroy(&attr);
	if (!ret)
		ret = pthread_mutex_lock(m);
	if (ret) {
		errno = ret;
		goto err;
	}
	return fd;	/* the mapping stays, as long as the process */
err:
	ret = -errno;
	close(fd);
	return ret;
}

/**
 * vnet_alive() - Is the keeper that locked @m still there?
 * @m:		Mapped from the memfd of vnet_alive_hold()
 *
 * Return: 1 or 0
 */
int vnet_alive(pthread_mutex_t *m)
{
	int ret = pthread_mutex_trylock(m);

	/* EDEADLK: a thread of another pid namespace with the same tid */
	if (ret == EBUSY || ret == EDEADLK)
		return 1;
	/* gone: an EOWNERDEAD mutex unlocked so is not recoverable, ever */
	if (!ret || ret == EOWNERDEAD)
		pthread_mutex_unlock(m);
	return 0;
}

/**
 * vnet_kfeed_start() - Make a keeper's connection a feed
 * @f:		The connection's feed state, zeroed
 * @conn:	The connection
 * @req:	The FEED request (family, type, protocol)
 *
 * Return: 0, or -errno when @req asks for no kind of socket
 */
int vnet_kfeed_start(struct vnet_kfeed *f, int conn, const struct vnet_req *req)
{
	int sndbuf = VNET_FEED_SNDBUF;

	if (req->type & (SOCK_NONBLOCK | SOCK_CLOEXEC))
		return -EINVAL;
	f->on = 1;
	f->family = req->family;
	f->type = req->type | SOCK_CLOEXEC;
	f->protocol = req->protocol;
	f->n = 0;
	setsockopt(conn, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
	return 0;
}

/* Close the sockets made but not sent, or the ring's */
void vnet_kfeed_clear(struct vnet_kfeed *f)
{
	while (f->n)
		close(f->fd[--f->n]);
	vnet_kring_clear(f);
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

/* Map the memfd @fd of a sign of life or a ring; Return: it or NULL */
static void *vnet_feed_map(int fd, size_t len)
{
	void *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

	close(fd);
	return m == MAP_FAILED ? NULL : m;
}

/**
 * vnet_feed_open() - A feed of sockets (@family, @type, @protocol) from the
 * keeper at @path
 * @f:		Filled in: the feed, close-on-exec, the keeper's sign of life
 *		(vnet_alive()) or NULL when there is none, and for a ring its
 *		memory and the keeper's pidfd (close-on-exec)
 * @type:	Without SOCK_NONBLOCK and SOCK_CLOEXEC
 * @ring:	Ask for a ring (vnet_ring.c); the keeper may give a queue of
 *		messages instead (@f->ring NULL)
 *
 * Return: 0, or -errno (-ENETDOWN when no keeper answers there)
 */
int vnet_feed_open(struct vnet_feed *f, const char *path, int family,
		   int type, int protocol, int ring)
{
	struct vnet_req req = { .op = VNET_OP_FEED, .family = family,
				.type = type, .protocol = protocol,
				.flags = ring ? VNET_FEED_RING : 0 };
	struct vnet_reply rep = { 0 };
	int fds[3] = { -1, -1, -1 }, n, ret, i = 0;

	*f = (struct vnet_feed){ .fd = -1, .pidfd = -1 };
	f->fd = vnet_connect(path, VNET_HELLO_USER, NULL, 1);
	if (f->fd < 0)
		return f->fd;
	/* the first answer: the sign of life, a ring, or why there is none */
	n = ret = vnet_call(f->fd, &req, -1, &rep, fds, 3, 1);
	if (ret >= 0 && rep.err)
		ret = -rep.err;
	if (ret >= 0 && (rep.flags & VNET_FEED_RING) &&
	    n != 2 + !!(rep.flags & VNET_FEED_ALIVE))
		ret = -EPROTO;
	if (ret < 0) {
		while (n > 0)
			close(fds[--n]);
		close(f->fd);
		f->fd = -1;
		return ret;
	}
	if (n > i && (rep.flags & VNET_FEED_ALIVE))
		f->alive = vnet_feed_map(fds[i++], sizeof(*f->alive));
	if (rep.flags & VNET_FEED_RING) {
		f->ring = vnet_feed_map(fds[i++], sizeof(*f->ring));
		f->pidfd = fds[i++];
		if (!f->ring) {
			vnet_feed_close(f);
			return -ENOMEM;
		}
	}
	return 0;
}

/* Close feed @f and unmap what it had mapped */
void vnet_feed_close(struct vnet_feed *f)
{
	if (f->fd >= 0)
		close(f->fd);
	if (f->pidfd >= 0)
		close(f->pidfd);
	vnet_feed_forget(f);
}

/* The program closed @f's fds (closefrom...): unmap, close nothing */
void vnet_feed_forget(struct vnet_feed *f)
{
	if (f->alive)
		munmap(f->alive, sizeof(*f->alive));
	if (f->ring)
		munmap(f->ring, sizeof(*f->ring));
	*f = (struct vnet_feed){ .fd = -1, .pidfd = -1 };
}

/**
 * vnet_feed_take() - The next socket of a feed, waiting for it if need be
 * @feed:	The feed
 * @cloexec:	Give it close-on-exec
 *
 * Return: the socket, at the lowest free fd; -ENETDOWN when the keeper is
 * gone; the keeper's errno when it could not make one (the feed has then
 * stopped); another -errno when @feed is not a feed (EBADF, ENOTSOCK...)
 */
int vnet_feed_take(int feed, int cloexec)
{
	struct vnet_reply rep = { 0 };
	int fd = -1, n;

	n = vnet_recv(feed, &rep, &fd, 1, cloexec, 0);
	if (n < 0)
		return n;
	if (n == 1 && !rep.err)
		return fd;
	if (n == 1)
		close(fd);
	return rep.err ? -rep.err : -EPROTO;
}
