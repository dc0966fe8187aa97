// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vnet/vnet_relay.c - Published ports: host listener to guest port
 *
 * DOC: Relays
 *
 * The keeper lives in the private namespace, but the listening sockets of
 * published ports are made by the client in the host's namespace and sent
 * over: a socket keeps the namespace it was made in.  For TCP the keeper
 * accepts on the host side, connects to the guest port on the private
 * loopback (127.0.0.1, else ::1) and moves the bytes both ways with
 * splice(2) through a pipe per direction, so they are never copied to user
 * space; a half-close is passed on as shutdown(SHUT_WR).  For UDP each host
 * peer gets a connected socket in the namespace (a session) that lives
 * while datagrams flow, and replies go back to that peer.
 *
 * The relay is an ordinary client of the guest server.  A client on the
 * host's loopback keeps its address and port (the relay binds them in the
 * namespace, where they are loopback too); any other client is seen as
 * coming from the private loopback.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "vnet.h"

#define VNET_PIPE_CAP		65536
#define VNET_UDP_IDLE		60	/* seconds */
#define VNET_UDP_SESSIONS	256	/* at most, the oldest go first */

enum vnet_relay_kind {
	VNET_RK_DEAD = 0,	/* closed, freed after this epoll batch */
	VNET_RK_TCP = 10,	/* a published TCP port, listening */
	VNET_RK_UDP,		/* a published UDP port */
	VNET_RK_CONN,		/* one relayed TCP connection */
	VNET_RK_SESS,		/* one UDP peer */
};

/**
 * struct vnet_rlisten - A published port's host socket
 * @kind:	VNET_RK_TCP or VNET_RK_UDP
 * @fd:		The socket
 * @port:	Guest port
 * @target:	Guest address; 0: the loopback (127.0.0.1, then ::1)
 * @owner:	The keeper connection that published it, NULL: the keeper
 * @next:	List
 */
struct vnet_rlisten {
	int kind;
	int fd;
	uint16_t port;
	struct in_addr target;
	const void *owner;
	struct vnet_rlisten *next;
};

/**
 * struct vnet_rconn - A relayed TCP connection
 * @kind:	VNET_RK_CONN
 * @fd:		[0] host side, [1] guest side
 * @pipe:	Per direction d (from fd[d] to fd[!d]) a pipe: the buffer
 * @pending:	Bytes in each pipe
 * @eof:	fd[d] has no more to read
 * @shut:	fd[!d] was shut down for writing
 * @connecting:	fd[1] is still connecting to the guest port (nothing is
 *		moved until it is connected)
 * @v6:		fd[1] is the attempt on ::1
 * @target:	Guest address, as the published port's @target
 * @port:	Guest port
 * @peer:	The host client, for vnet_relay_keep_peer()
 * @next:	List
 */
struct vnet_rconn {
	int kind;
	int fd[2];
	int pipe[2][2];
	size_t pending[2];
	int eof[2], shut[2];
	int connecting, v6;
	struct in_addr target;
	uint16_t port;
	struct sockaddr_storage peer;
	struct vnet_rconn *next;
};

/**
 * struct vnet_rsess - A UDP peer of a published port
 * @kind:	VNET_RK_SESS
 * @fd:		Socket connected to the guest port
 * @peer:	The host peer
 * @plen:	Its length
 * @l:		The published port
 * @last:	Last datagram, CLOCK_MONOTONIC seconds
 * @next:	List
 */
struct vnet_rsess {
	int kind;
	int fd;
	struct sockaddr_storage peer;
	socklen_t plen;
	struct vnet_rlisten *l;
	time_t last;
	struct vnet_rsess *next;
};

/**
 * struct vnet_relays - Every published port and relayed flow of a keeper
 * @epfd:	The keeper's epoll
 * @listens:	Published ports
 * @conns:	TCP connections
 * @sessions:	UDP peers
 * @dead:	Objects closed during this epoll batch, freed after it (a
 *		later event of the batch may still point at them)
 * @ndead:	How many
 * @capdead:	Room in @dead
 */
struct vnet_relays {
	int epfd;
	struct vnet_rlisten *listens;
	struct vnet_rconn *conns;
	struct vnet_rsess *sessions;
	void **dead;
	size_t ndead, capdead;
};

static unsigned char vnet_relay_buf[65536];

static time_t vnet_relay_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

/* Mark @obj dead (kind 0) and free it once the epoll batch is done */
static void vnet_relay_bury(struct vnet_relays *r, void *obj)
{
	void **d;

	*(int *)obj = VNET_RK_DEAD;
	if (r->ndead == r->capdead) {
		d = realloc(r->dead, (r->capdead * 2 + 8) * sizeof(*d));
		if (!d)
			return;	/* leak rather than risk a stale pointer */
		r->dead = d;
		r->capdead = r->capdead * 2 + 8;
	}
	r->dead[r->ndead++] = obj;
}

static int vnet_relay_watch(struct vnet_relays *r, int fd, uint32_t ev,
			    void *ptr)
{
	struct epoll_event e = { .events = ev, .data.ptr = ptr };

	return epoll_ctl(r->epfd, EPOLL_CTL_ADD, fd, &e) < 0 ? -errno : 0;
}

/**
 * vnet_relays_new() - No published ports yet
 * @epfd:	The keeper's epoll, where relay objects are watched
 *
 * Return: the relays, NULL without memory
 */
struct vnet_relays *vnet_relays_new(int epfd)
{
	struct vnet_relays *r = calloc(1, sizeof(*r));

	if (r)
		r->epfd = epfd;
	return r;
}

/**
 * vnet_relays_add() - Start forwarding a published port
 * @r:		Relays
 * @listen_fd:	Host socket (consumed)
 * @port:	Guest port
 * @udp:	It is a UDP socket
 * @owner:	Connection it belongs to, for vnet_relays_drop_owner()
 *
 * Return: 0 or -errno
 */
int vnet_relays_add(struct vnet_relays *r, int listen_fd, uint16_t port,
		    int udp, const void *owner)
{
	struct in_addr lo = { 0 };

	return vnet_relays_add_to(r, listen_fd, lo, port, udp, owner);
}

/**
 * vnet_relays_add_to() - Forward what arrives on @listen_fd to @target
 * @r:		Relays
 * @listen_fd:	Listening (TCP) or bound (UDP) socket, consumed
 * @target:	IPv4 address to forward to; 0 for the loopback
 * @port:	Port to forward to
 * @udp:	It is a UDP socket
 * @owner:	Connection it belongs to, NULL for the keeper's own
 *
 * Return: 0 or -errno
 */
int vnet_relays_add_to(struct vnet_relays *r, int listen_fd,
		       struct in_addr target, uint16_t port, int udp,
		       const void *owner)
{
	struct vnet_rlisten *l = calloc(1, sizeof(*l));
	int ret;

	if (!l) {
		close(listen_fd);
		return -ENOMEM;
	}
	l->kind = udp ? VNET_RK_UDP : VNET_RK_TCP;
	l->fd = listen_fd;
	l->port = port;
	l->target = target;
	l->owner = owner;
	fcntl(listen_fd, F_SETFL, fcntl(listen_fd, F_GETFL) | O_NONBLOCK);
	/* edge-triggered: out of fds, a pending accept must not spin */
	ret = vnet_relay_watch(r, listen_fd, EPOLLIN | EPOLLET, l);
	if (ret < 0) {
		close(listen_fd);
		free(l);
		return ret;
	}
	l->next = r->listens;
	r->listens = l;
	return 0;
}

/*
 * Where the mechanism allows, keep the client's address: a client on the
 * host's loopback has an address that is loopback in the namespace too, so
 * the relay's socket takes the same address and port (if free).
 */
static void vnet_relay_keep_peer(int fd, int v6,
				 const struct sockaddr_storage *peer)
{
	const struct sockaddr_in6 *p6 = (const void *)peer;
	const struct sockaddr_in *p4 = (const void *)peer;
	int one = 1;

	if (!peer)
		return;
	if (!v6 && (peer->ss_family != AF_INET ||
		    (ntohl(p4->sin_addr.s_addr) >> 24) != 127))
		return;
	if (v6 && (peer->ss_family != AF_INET6 ||
		   !IN6_IS_ADDR_LOOPBACK(&p6->sin6_addr)))
		return;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (const struct sockaddr *)peer,
		 v6 ? sizeof(*p6) : sizeof(*p4)) < 0 && !v6) {
		struct sockaddr_in any = *p4;

		any.sin_port = 0;	/* the address at least */
		bind(fd, (struct sockaddr *)&any, sizeof(any));
	}
}

/*
 * Start connecting a socket of @type to @target:@port (target 0: the
 * private loopback, 127.0.0.1, or ::1 with @v6), from @peer's address
 * where it can be.  It never blocks: a guest listener whose accept queue
 * is full would otherwise hold up every relay of the keeper, where
 * natively only that client waits.
 *
 * Return: 0 when connected, -EINPROGRESS when under way (*@fdp set in
 * both cases), else -errno
 */
static int vnet_relay_dial(int type, struct in_addr target, uint16_t port,
			   const struct sockaddr_storage *peer, int v6,
			   int *fdp)
{
	struct sockaddr_in in = { .sin_family = AF_INET,
				  .sin_port = htons(port),
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct sockaddr_in6 in6 = { .sin6_family = AF_INET6,
				    .sin6_port = htons(port),
				    .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	int fd, ret;

	if (target.s_addr) {
		in.sin_addr = target;
		peer = NULL;
	}
	fd = socket(v6 ? AF_INET6 : AF_INET,
		    type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	vnet_relay_keep_peer(fd, v6, peer);
	ret = connect(fd, v6 ? (struct sockaddr *)&in6 : (struct sockaddr *)&in,
		      v6 ? sizeof(in6) : sizeof(in)) ? -errno : 0;
	if (ret && ret != -EINPROGRESS) {
		close(fd);
		return ret;
	}
	*fdp = fd;
	return ret;
}

/* A UDP socket connected to the target of @l, from @peer; fd or -errno */
static int vnet_relay_guest_udp(const struct vnet_rlisten *l,
				const struct sockaddr_storage *peer)
{
	int fd, ret;

	ret = vnet_relay_dial(SOCK_DGRAM, l->target, l->port, peer, 0, &fd);
	return ret ? ret : fd;
}

static void vnet_rconn_free(struct vnet_relays *r, struct vnet_rconn *c)
{
	struct vnet_rconn **pp;
	int d;

	for (pp = &r->conns; *pp; pp = &(*pp)->next) {
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	}
	for (d = 0; d < 2; d++) {
		if (c->fd[d] >= 0)
			close(c->fd[d]);
		if (c->pipe[d][0] >= 0)
			close(c->pipe[d][0]);
		if (c->pipe[d][1] >= 0)
			close(c->pipe[d][1]);
	}
	vnet_relay_bury(r, c);
}

/* Refuse a host connection outright (RST), the guest port being closed */
static void vnet_relay_refuse(int fd)
{
	struct linger lg = { 1, 0 };

	setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	close(fd);
}

/*
 * Start the guest side of @c: on 127.0.0.1, and for the loopback on ::1
 * when that refuses.  Return: 0 (connected or under way) or -errno
 */
static int vnet_rconn_dial(struct vnet_relays *r, struct vnet_rconn *c)
{
	int ret = -ECONNREFUSED, fd;

	/* TCP to the loopback tries ::1 when 127.0.0.1 refuses */
	for (; c->v6 < (c->target.s_addr ? 1 : 2); c->v6++) {
		ret = vnet_relay_dial(SOCK_STREAM, c->target, c->port,
				      c->peer.ss_family ? &c->peer : NULL,
				      c->v6, &fd);
		if (ret && ret != -EINPROGRESS)
			continue;
		c->fd[1] = fd;
		c->connecting = 1;
		ret = vnet_relay_watch(r, fd, EPOLLIN | EPOLLOUT | EPOLLRDHUP |
				       EPOLLET, c);
		if (ret < 0) {
			close(fd);
			c->fd[1] = -1;
		}
		return ret;
	}
	return ret;
}

/* Set up the relay for host connection @hfd, from @peer */
static void vnet_relay_conn(struct vnet_relays *r, int hfd,
			    const struct vnet_rlisten *l,
			    const struct sockaddr_storage *peer)
{
	struct vnet_rconn *c = calloc(1, sizeof(*c));
	int d;

	if (!c) {
		vnet_relay_refuse(hfd);
		return;
	}
	c->kind = VNET_RK_CONN;
	c->fd[0] = hfd;
	c->fd[1] = -1;
	c->pipe[0][0] = c->pipe[0][1] = c->pipe[1][0] = c->pipe[1][1] = -1;
	c->target = l->target;
	c->port = l->port;
	if (peer)
		c->peer = *peer;
	c->next = r->conns;
	r->conns = c;
	for (d = 0; d < 2; d++)
		if (pipe2(c->pipe[d], O_NONBLOCK | O_CLOEXEC) < 0)
			goto refuse;
	if (vnet_relay_watch(r, hfd, EPOLLIN | EPOLLOUT | EPOLLRDHUP |
			     EPOLLET, c) < 0 ||
	    vnet_rconn_dial(r, c) < 0)
		goto refuse;
	return;
refuse:
	/* the guest port is closed (or no room): RST, as natively */
	vnet_relay_refuse(c->fd[0]);
	c->fd[0] = -1;
	vnet_rconn_free(r, c);
}

/*
 * An event while the guest side connects: when it has, start moving
 * bytes; when it failed, the next address, or the host client is refused.
 * Return: 1 once connected
 */
static int vnet_rconn_connected(struct vnet_relays *r, struct vnet_rconn *c)
{
	socklen_t len = sizeof(int);
	struct sockaddr_storage ss;
	int err = 0;

	if (getsockopt(c->fd[1], SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		err = errno;
	if (!err) {
		len = sizeof(ss);
		if (getpeername(c->fd[1], (struct sockaddr *)&ss, &len) < 0)
			return 0;	/* still under way */
		c->connecting = 0;
		return 1;
	}
	close(c->fd[1]);
	c->fd[1] = -1;
	c->v6++;
	if (vnet_rconn_dial(r, c) < 0) {
		vnet_relay_refuse(c->fd[0]);
		c->fd[0] = -1;
		vnet_rconn_free(r, c);
	}
	return 0;
}

/*
 * Move what can be moved from fd[d] to fd[!d].
 * Return: 1 on progress, 0 when stuck, -1 on a broken connection
 */
static int vnet_relay_pump(struct vnet_rconn *c, int d)
{
	const unsigned fl = SPLICE_F_MOVE | SPLICE_F_NONBLOCK;
	int progress = 0;
	ssize_t n;

	if (!c->eof[d] && c->pending[d] < VNET_PIPE_CAP) {
		n = splice(c->fd[d], NULL, c->pipe[d][1], NULL,
			   VNET_PIPE_CAP - c->pending[d], fl);
		if (n > 0) {
			c->pending[d] += n;
			progress = 1;
		} else if (!n) {
			c->eof[d] = 1;
		} else if (errno != EAGAIN && errno != EINTR) {
			return -1;
		}
	}
	if (c->pending[d]) {
		n = splice(c->pipe[d][0], NULL, c->fd[!d], NULL,
			   c->pending[d], fl);
		if (n > 0) {
			c->pending[d] -= n;
			progress = 1;
		} else if (n < 0 && errno != EAGAIN && errno != EINTR) {
			return -1;
		}
	}
	if (c->eof[d] && !c->pending[d] && !c->shut[d]) {
		shutdown(c->fd[!d], SHUT_WR);
		c->shut[d] = 1;
	}
	return progress;
}

static void vnet_rconn_event(struct vnet_relays *r, struct vnet_rconn *c)
{
	int more, d, ret;

	if (c->connecting && !vnet_rconn_connected(r, c))
		return;
	do {
		more = 0;
		for (d = 0; d < 2; d++) {
			ret = vnet_relay_pump(c, d);
			if (ret < 0) {
				vnet_rconn_free(r, c);
				return;
			}
			more |= ret;
		}
	} while (more);
	if (c->shut[0] && c->shut[1])
		vnet_rconn_free(r, c);
}

static void vnet_rlisten_tcp(struct vnet_relays *r, struct vnet_rlisten *l)
{
	struct sockaddr_storage peer;
	socklen_t len = sizeof(peer);
	int fd;

	while ((fd = accept4(l->fd, (struct sockaddr *)&peer, &len,
			     SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
		vnet_relay_conn(r, fd, l, &peer);
		len = sizeof(peer);
	}
}

static void vnet_rsess_free(struct vnet_relays *r, struct vnet_rsess *s)
{
	struct vnet_rsess **pp;

	for (pp = &r->sessions; *pp; pp = &(*pp)->next) {
		if (*pp == s) {
			*pp = s->next;
			break;
		}
	}
	close(s->fd);
	vnet_relay_bury(r, s);
}

/* The session of @peer on @l, made if new; NULL if it cannot be */
static struct vnet_rsess *vnet_rsess_get(struct vnet_relays *r,
					 struct vnet_rlisten *l,
					 const struct sockaddr_storage *peer,
					 socklen_t plen)
{
	struct vnet_rsess *s, *oldest = NULL;
	int n = 0;

	for (s = r->sessions; s; s = s->next, n++) {
		if (s->l == l && s->plen == plen && !memcmp(&s->peer, peer,
							    plen))
			return s;
		if (!oldest || s->last < oldest->last)
			oldest = s;
	}
	if (n >= VNET_UDP_SESSIONS)
		vnet_rsess_free(r, oldest);
	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->kind = VNET_RK_SESS;
	s->fd = vnet_relay_guest_udp(l, peer);
	if (s->fd < 0 || vnet_relay_watch(r, s->fd, EPOLLIN, s) < 0) {
		if (s->fd >= 0)
			close(s->fd);
		free(s);
		return NULL;
	}
	memcpy(&s->peer, peer, plen);
	s->plen = plen;
	s->l = l;
	s->next = r->sessions;
	r->sessions = s;
	return s;
}

static void vnet_rlisten_udp(struct vnet_relays *r, struct vnet_rlisten *l)
{
	struct sockaddr_storage peer;
	struct vnet_rsess *s;
	socklen_t plen;
	ssize_t n;

	for (;;) {
		plen = sizeof(peer);
		n = recvfrom(l->fd, vnet_relay_buf, sizeof(vnet_relay_buf),
			     MSG_DONTWAIT, (struct sockaddr *)&peer, &plen);
		if (n < 0)
			return;
		s = vnet_rsess_get(r, l, &peer, plen);
		if (!s)
			continue;
		s->last = vnet_relay_now();
		send(s->fd, vnet_relay_buf, n, MSG_DONTWAIT);
	}
}

static void vnet_rsess_event(struct vnet_rsess *s)
{
	ssize_t n;

	for (;;) {
		n = recv(s->fd, vnet_relay_buf, sizeof(vnet_relay_buf),
			 MSG_DONTWAIT);
		if (n < 0 && errno == ECONNREFUSED)
			continue;
		if (n < 0)
			return;
		s->last = vnet_relay_now();
		sendto(s->l->fd, vnet_relay_buf, n, MSG_DONTWAIT,
		       (struct sockaddr *)&s->peer, s->plen);
	}
}

/**
 * vnet_relays_event() - Handle an epoll event for a relay object
 * @r:		Relays
 * @ptr:	The event's data.ptr
 * @events:	Its events
 *
 * Return: 0, or -ENOENT if @ptr is not a relay object
 */
int vnet_relays_event(struct vnet_relays *r, void *ptr, uint32_t events)
{
	(void)events;
	switch (*(int *)ptr) {
	case VNET_RK_DEAD:
		return 0;
	case VNET_RK_TCP:
		vnet_rlisten_tcp(r, ptr);
		return 0;
	case VNET_RK_UDP:
		vnet_rlisten_udp(r, ptr);
		return 0;
	case VNET_RK_CONN:
		vnet_rconn_event(r, ptr);
		return 0;
	case VNET_RK_SESS:
		vnet_rsess_event(ptr);
		return 0;
	}
	return -ENOENT;
}

/* Is @ptr (an epoll data.ptr) one of the relay objects? */
int vnet_relays_owns(struct vnet_relays *r, void *ptr)
{
	int kind = *(int *)ptr;

	(void)r;
	return kind == VNET_RK_DEAD ||
	       (kind >= VNET_RK_TCP && kind <= VNET_RK_SESS);
}

/* Close the sessions of @l */
static void vnet_rlisten_sessions(struct vnet_relays *r,
				  struct vnet_rlisten *l)
{
	struct vnet_rsess *s, *next;

	for (s = r->sessions; s; s = next) {
		next = s->next;
		if (s->l == l)
			vnet_rsess_free(r, s);
	}
}

/**
 * vnet_relays_drop_owner() - Unpublish the ports @owner published
 *
 * Connections already relayed go on until they close.
 */
void vnet_relays_drop_owner(struct vnet_relays *r, const void *owner)
{
	struct vnet_rlisten **pp = &r->listens, *l;

	while ((l = *pp)) {
		if (l->owner != owner) {
			pp = &l->next;
			continue;
		}
		*pp = l->next;
		vnet_rlisten_sessions(r, l);
		close(l->fd);
		vnet_relay_bury(r, l);
	}
}

/**
 * vnet_relays_tick() - After each epoll batch: free what was closed in it,
 * close UDP sessions idle for VNET_UDP_IDLE seconds
 */
void vnet_relays_tick(struct vnet_relays *r)
{
	time_t now = vnet_relay_now();
	struct vnet_rsess *s, *next;

	while (r->ndead)
		free(r->dead[--r->ndead]);

	for (s = r->sessions; s; s = next) {
		next = s->next;
		if (now - s->last > VNET_UDP_IDLE)
			vnet_rsess_free(r, s);
	}
}
