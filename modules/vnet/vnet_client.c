// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vnet/vnet_client.c - Talk to a keeper: connect, requests, joining
 *
 * The calls made while serving an intercepted socket() go straight to the
 * kernel with syscall(2): under the preload backend this code runs inside
 * the caller, behind the shim's own socket() and connect().
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "vnet.h"

/* Map a broken connection to the errno a caller of socket() should see */
static int vnet_down(int ret)
{
	if (ret == -EPIPE || ret == -ECONNRESET || ret == -ECONNREFUSED ||
	    ret == -ENOTCONN || ret == -ENOENT)
		return -ENETDOWN;
	return ret;
}

/* The fds that came with @msg: up to @nfds into @fds, the rest closed */
static int vnet_call_fds(struct msghdr *msg, int *fds, int nfds)
{
	struct cmsghdr *c;
	int got = 0, fd;
	size_t i, n;

	for (c = CMSG_FIRSTHDR(msg); c; c = CMSG_NXTHDR(msg, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (i = 0; i < n; i++) {
			memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
			if (got < nfds)
				fds[got++] = fd;
			else
				close(fd);
		}
	}
	return got;
}

/**
 * vnet_send() - Send a request, with @send_fd (or -1) attached
 *
 * Return: 0 or -errno (-ENETDOWN when the keeper is gone)
 */
int vnet_send(int conn, const struct vnet_req *req, int send_fd)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct iovec iov = { (void *)req, sizeof(*req) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *c;

	if (send_fd >= 0) {
		memset(&u, 0, sizeof(u));
		msg.msg_control = u.buf;
		msg.msg_controllen = sizeof(u.buf);
		c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &send_fd, sizeof(int));
	}
	if (syscall(SYS_sendmsg, conn, &msg, MSG_NOSIGNAL) < 0)
		return vnet_down(-errno);
	return 0;
}

/**
 * vnet_recv() - Receive the answer to the oldest request not yet answered
 * @conn:	Connection to the keeper
 * @rep:	Answer
 * @fds:	fds that came with it; may be NULL
 * @nfds:	Room in @fds (at most VNET_BATCH_MAX)
 * @cloexec:	Receive the fds close-on-exec
 * @nowait:	Return -EAGAIN rather than wait
 *
 * Return: the number of fds received, or -errno (-ENETDOWN when the keeper
 * is gone)
 */
int vnet_recv(int conn, struct vnet_reply *rep, int *fds, int nfds,
	      int cloexec, int nowait)
{
	union {
		char buf[CMSG_SPACE(sizeof(int) * VNET_BATCH_MAX)];
		struct cmsghdr align;
	} u;
	struct iovec iov = { rep, sizeof(*rep) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = u.buf,
			      .msg_controllen = sizeof(u.buf) };
	long n;

	do
		n = syscall(SYS_recvmsg, conn, &msg,
			    (cloexec ? MSG_CMSG_CLOEXEC : 0) |
			    (nowait ? MSG_DONTWAIT : 0));
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EAGAIN ? -EAGAIN : vnet_down(-errno);
	if ((size_t)n < sizeof(*rep))
		return -ENETDOWN;
	return vnet_call_fds(&msg, fds, fds ? nfds : 0);
}

/**
 * vnet_call() - One request and its answer
 * @conn:	Connection to the keeper
 * @req:	Request
 * @send_fd:	fd to send along, or -1
 * @rep:	Answer
 * @fds:	fds that came back; may be NULL
 * @nfds:	Room in @fds (at most VNET_BATCH_MAX)
 * @cloexec:	Receive the fds close-on-exec
 *
 * Return: the number of fds received, or -errno (-ENETDOWN when the keeper
 * is gone)
 */
int vnet_call(int conn, const struct vnet_req *req, int send_fd,
	      struct vnet_reply *rep, int *fds, int nfds, int cloexec)
{
	int ret = vnet_send(conn, req, send_fd);

	if (ret < 0)
		return ret;
	return vnet_recv(conn, rep, fds, nfds, cloexec, 0);
}

/* HELLO on new connection @fd, closed on failure; Return: @fd or -errno */
static int vnet_hello(int fd, uint32_t hello, struct vnet_reply *info,
		      int cloexec)
{
	struct vnet_req req = { .op = VNET_OP_HELLO, .flags = hello };
	struct vnet_reply rep = { 0 };
	int ret;

	ret = vnet_call(fd, &req, -1, &rep, NULL, 0, cloexec);
	if (ret > 0)
		ret = 0;
	if (!ret && rep.err)
		ret = -rep.err;
	if (ret) {
		close(fd);
		return ret;
	}
	if (info)
		*info = rep;
	return fd;
}

/**
 * vnet_connect() - Connect to the keeper at @path and say hello
 * @path:	Its control socket
 * @hello:	VNET_HELLO_* flags
 * @info:	The keeper's answer; may be NULL
 * @cloexec:	Make the connection close-on-exec
 *
 * Return: the connection, -ENETDOWN when no keeper answers there, -EACCES
 * when the keeper belongs to another user (or this process has become
 * another user: see vnet_connect_via()), or another -errno
 */
int vnet_connect(const char *path, uint32_t hello, struct vnet_reply *info,
		 int cloexec)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, ret;

	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	strcpy(sa.sun_path, path);
	fd = syscall(SYS_socket, AF_UNIX,
		     SOCK_SEQPACKET | (cloexec ? SOCK_CLOEXEC : 0), 0);
	if (fd < 0)
		return -errno;
	if (syscall(SYS_connect, fd, &sa, sizeof(sa)) < 0) {
		ret = errno == EACCES ? -EACCES : vnet_down(-errno);
		close(fd);
		return ret;
	}
	return vnet_hello(fd, hello, info, cloexec);
}

/**
 * vnet_connect_via() - A new connection to the keeper, through one open
 * @via:	A connection to the keeper that said hello
 * @hello:	VNET_HELLO_* flags
 * @info:	The keeper's answer; may be NULL
 * @cloexec:	Make the connection close-on-exec
 *
 * For a process that cannot connect to the keeper's socket any more (it
 * changed its user: the runtime directory and the keeper's SO_PEERCRED
 * check turn it away) but holds a connection inherited from before: one
 * end of a new socket pair goes to the keeper over @via (ATTACH), the
 * other is the new connection.  @via may be shared with other processes:
 * the ATTACH is one message and has no answer, so nothing needs a lock.
 *
 * Return: the connection, or -errno (-ENETDOWN when the keeper is gone)
 */
int vnet_connect_via(int via, uint32_t hello, struct vnet_reply *info,
		     int cloexec)
{
	struct vnet_req req = { .op = VNET_OP_ATTACH };
	int pair[2], ret;

	if (syscall(SYS_socketpair, AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0,
		    pair) < 0)
		return -errno;
	ret = vnet_send(via, &req, pair[1]);
	close(pair[1]);
	if (ret < 0) {
		close(pair[0]);
		return ret;
	}
	if (!cloexec)
		fcntl(pair[0], F_SETFD, 0);
	return vnet_hello(pair[0], hello, info, cloexec);
}

/**
 * vnet_sockets() - @n sockets (@family, @type, @protocol) in the keeper's
 * network, made in one round trip
 * @fds:	Filled in
 * @n:		How many, at most VNET_BATCH_MAX
 *
 * The keeper's answer is followed by a second message once it closed its
 * own copies: only then is close() of one of them the end of the socket.
 *
 * Return: how many came (at least 1), or -errno
 */
int vnet_sockets(int conn, int family, int type, int protocol, int *fds,
		 int n)
{
	struct vnet_req req = { .op = VNET_OP_SOCKET, .family = family,
				.type = type, .protocol = protocol,
				.flags = (uint32_t)n };
	struct vnet_reply rep = { 0 };
	int got, i;

	got = vnet_call(conn, &req, -1, &rep, fds, n, type & SOCK_CLOEXEC);
	if (got < 0)
		return got;
	/* (a keeper gone meanwhile has closed them too) */
	if (!rep.err && got) {
		struct vnet_reply done;

		vnet_recv(conn, &done, NULL, 0, 1, 0);
	}
	if (rep.err || !got) {
		for (i = 0; i < got; i++)
			close(fds[i]);
		return rep.err ? -rep.err : -ENETDOWN;
	}
	return got;
}

/* One socket in the keeper's network; Return: a local fd, or -errno */
int vnet_socket(int conn, int family, int type, int protocol)
{
	int fd, ret;

	ret = vnet_sockets(conn, family, type, protocol, &fd, 1);
	return ret < 0 ? ret : fd;
}

/**
 * vnet_publish_open() - The host side of a published port
 * @p:		What to publish
 * @err:	Filled in on failure
 *
 * Return: a bound (and, for TCP, listening) socket in the host's
 * namespace, or -errno
 */
int vnet_publish_open(const struct vnet_publish *p, struct facet_err *err)
{
	union {
		struct sockaddr_in in;
		struct sockaddr_in6 in6;
	} sa;
	int v6 = !!strchr(p->addr, ':'), one = 1, fd, ret;
	socklen_t len;

	memset(&sa, 0, sizeof(sa));
	if (v6) {
		sa.in6.sin6_family = AF_INET6;
		sa.in6.sin6_port = htons(p->host_port);
		inet_pton(AF_INET6, p->addr, &sa.in6.sin6_addr);
		len = sizeof(sa.in6);
	} else {
		sa.in.sin_family = AF_INET;
		sa.in.sin_port = htons(p->host_port);
		inet_pton(AF_INET, p->addr, &sa.in.sin_addr);
		len = sizeof(sa.in);
	}
	fd = syscall(SYS_socket, v6 ? AF_INET6 : AF_INET,
		     (p->udp ? SOCK_DGRAM : SOCK_STREAM) | SOCK_CLOEXEC |
		     SOCK_NONBLOCK, 0);
	if (fd < 0)
		return facet_err_set(err, errno, "vnet: --publish: socket: %s",
				     strerror(errno));
	if (!p->udp)
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (v6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (syscall(SYS_bind, fd, &sa, len) < 0 ||
	    (!p->udp && syscall(SYS_listen, fd, 128) < 0)) {
		ret = errno;
		close(fd);
		return facet_err_set(err, ret, "vnet: --publish %s:%u%s: "
				     "cannot listen on the host: %s%s",
				     p->addr, p->host_port,
				     p->udp ? "/udp" : "", strerror(ret),
				     ret == EACCES ? " (ports below 1024 need "
				     "root on the host)" : "");
	}
	return fd;
}

/**
 * vnet_lock() - Lock network @name against concurrent create and exit
 *
 * Return: the lock's fd (close it to unlock), or -errno
 */
int vnet_lock(const char *dir, const char *name)
{
	char path[VNET_PATH_MAX + 8];
	int fd, ret;

	if (snprintf(path, sizeof(path), "%s/%s.lock", dir, name) >=
	    (int)sizeof(path))
		return -ENAMETOOLONG;
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return -errno;
	while (flock(fd, LOCK_EX) < 0) {
		ret = -errno;
		if (ret != -EINTR) {
			close(fd);
			return ret;
		}
	}
	return fd;
}

/* Start the keeper of @name at @path (the lock is held) */
static int vnet_join_spawn(const char *dir, const char *name,
			   const char *path, uint32_t flags,
			   struct facet_err *err)
{
	struct vnet_keeper_cfg cfg = { .flags = flags };

	strcpy(cfg.path, path);
	snprintf(cfg.lock, sizeof(cfg.lock), "%s/%s.lock", dir, name);
	unlink(path);
	return vnet_keeper_spawn(&cfg, err);
}

/**
 * vnet_join() - Connect to named network @name, starting its keeper
 * @dir:	The runtime directory (vnet_dir())
 * @name:	Network name, valid
 * @flags:	VNET_F_* for a keeper started here
 * @hello:	VNET_HELLO_* for the connection
 * @create_only: Fail with -EEXIST if the network exists already
 * @info:	The keeper's answer; may be NULL
 * @err:	Filled in on failure
 *
 * Return: a close-on-exec connection, or -errno
 */
int vnet_join(const char *dir, const char *name, uint32_t flags,
	      uint32_t hello, int create_only, struct vnet_reply *info,
	      struct facet_err *err)
{
	char path[VNET_PATH_MAX];
	int lock, conn;

	if (vnet_sock_path(path, sizeof(path), dir, name, "sock") < 0)
		return facet_err_set(err, ENAMETOOLONG, "vnet: %s/%s: path "
				     "too long for a socket", dir, name);
	lock = vnet_lock(dir, name);
	if (lock < 0)
		return facet_err_set(err, lock, "vnet: cannot lock network "
				     "'%s' in %s: %s", name, dir,
				     strerror(-lock));
	conn = vnet_connect(path, hello, info, 1);
	if (conn >= 0 && create_only) {
		close(conn);
		conn = facet_err_set(err, EEXIST, "vnet: network '%s' exists "
				     "already: 'facet net remove %s' first",
				     name, name);
	} else if (conn == -ENETDOWN) {
		conn = vnet_join_spawn(dir, name, path, flags, err);
		if (conn >= 0)
			conn = vnet_connect(path, hello, info, 1);
		if (conn < 0 && !err->msg[0])
			facet_err_set(err, conn, "vnet: cannot reach the new "
				      "keeper of '%s': %s", name,
				      strerror(-conn));
	} else if (conn == -EACCES) {
		facet_err_set(err, EACCES, "vnet: network '%s' (%s) belongs "
			      "to another user", name, path);
	} else if (conn < 0) {
		facet_err_set(err, conn, "vnet: network '%s': %s", name,
			      strerror(-conn));
	}
	close(lock);
	return conn;
}
