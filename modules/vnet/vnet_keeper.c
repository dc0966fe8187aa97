// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vnet/vnet_keeper.c - The keeper: a network namespace's process
 *
 * DOC: Keeper
 *
 * vnet_keeper_spawn() forks twice, so that the keeper is nobody's child
 * (the supervisor waits for every child it has) and sits in its own
 * session, away from the terminal's signals.  The keeper binds its control
 * socket, enters a new network namespace (vnet_ns_enter()), reports on a
 * pipe that it is ready (or one line on why not), and serves requests from
 * an epoll loop until it is told to stop, or its last user is gone and it
 * was not made by `facet net create`.
 *
 * Ending races with a new `facet run` joining the network: both hold the
 * network's lock (flock on NAME.lock) while they decide.  A joiner that
 * connected meanwhile is accepted and the keeper goes on.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "vnet.h"

#define VNET_START_GRACE	10	/* seconds to wait for the first user */
#define VNET_SPAWN_TIMEOUT	10000	/* ms to wait for a keeper to start */

enum vnet_keeper_kind {
	VNET_KK_LISTEN = 1,
	VNET_KK_CLIENT,
};

/**
 * struct vnet_kclient - A connection to the keeper
 * @kind:	VNET_KK_CLIENT
 * @fd:		The connection
 * @foreign:	SO_PEERCRED says another user
 * @hello:	Said hello
 * @user:	Counts as a user
 * @feed:	The connection is a feed (FEED)
 * @next:	List
 */
struct vnet_kclient {
	int kind;
	int fd;
	int foreign, hello, user;
	struct vnet_kfeed feed;
	struct vnet_kclient *next;
};

/**
 * struct vnet_keeper - The keeper's state
 * @cfg:	What it was made as
 * @kind:	VNET_KK_LISTEN, for the listener's epoll entry
 * @lfd:	Control socket
 * @epfd:	epoll
 * @clients:	Connections
 * @dead:	Connections closed in this epoll batch
 * @users:	Connections that count as users
 * @had_user:	Some user ever connected
 * @stop:	Told to stop
 * @born:	Start, CLOCK_MONOTONIC seconds
 * @relays:	Published ports
 * @alive:	The sign of life that feeds hand to their clients
 *		(vnet_alive_hold()), or -1: then there are no feeds
 * @alive_map:	Its memory, where the feeds say which batches are closed
 */
struct vnet_keeper {
	struct vnet_keeper_cfg cfg;
	int kind;
	int lfd, epfd;
	struct vnet_kclient *clients, *dead;
	unsigned users;
	int had_user, stop;
	time_t born;
	struct vnet_relays *relays;
	int alive;
	struct vnet_alive *alive_map;
};

/**
 * struct vnet_ready - What a starting keeper reports on its pipe
 * @err:	0 or a positive errno
 * @msg:	What went wrong
 */
struct vnet_ready {
	int32_t err;
	char msg[256];
};

static time_t vnet_keeper_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

/* Send @rep with @n fds; never block on a client that does not read */
static int vnet_keeper_reply(int conn, const struct vnet_reply *rep,
			     const int *fds, int n)
{
	union {
		char buf[CMSG_SPACE(sizeof(int) * VNET_BATCH_MAX)];
		struct cmsghdr align;
	} u;
	struct iovec iov = { (void *)rep, sizeof(*rep) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *c;

	if (n > 0) {
		memset(&u, 0, sizeof(u));
		msg.msg_control = u.buf;
		msg.msg_controllen = CMSG_SPACE(sizeof(int) * n);
		c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int) * n);
		memcpy(CMSG_DATA(c), fds, sizeof(int) * n);
	}
	return sendmsg(conn, &msg, MSG_NOSIGNAL | MSG_DONTWAIT) < 0 ? -errno
								     : 0;
}

static void vnet_keeper_drop(struct vnet_keeper *k, struct vnet_kclient *c)
{
	struct vnet_kclient **pp;

	for (pp = &k->clients; *pp; pp = &(*pp)->next) {
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	}
	if (c->user)
		k->users--;
	vnet_relays_drop_owner(k->relays, c);
	vnet_kfeed_clear(&c->feed);
	close(c->fd);
	c->kind = 0;
	c->next = k->dead;
	k->dead = c;
}

/* Serve connection @fd; @foreign: its peer is another user */
static void vnet_keeper_add(struct vnet_keeper *k, int fd, int foreign)
{
	struct vnet_kclient *c;
	struct epoll_event e;

	c = calloc(1, sizeof(*c));
	if (!c) {
		close(fd);
		return;
	}
	c->kind = VNET_KK_CLIENT;
	c->fd = fd;
	c->foreign = foreign;
	e.events = EPOLLIN;
	e.data.ptr = c;
	c->next = k->clients;
	k->clients = c;
	if (epoll_ctl(k->epfd, EPOLL_CTL_ADD, fd, &e) < 0)
		vnet_keeper_drop(k, c);
}

static void vnet_keeper_accept(struct vnet_keeper *k)
{
	struct ucred cred;
	socklen_t len;
	int fd;

	while ((fd = accept4(k->lfd, NULL, NULL, SOCK_CLOEXEC)) >= 0) {
		len = sizeof(cred);
		vnet_keeper_add(k, fd, getsockopt(fd, SOL_SOCKET, SO_PEERCRED,
						  &cred, &len) < 0 ||
				cred.uid != geteuid());
	}
}

/*
 * ATTACH: @fd, sent by @c, is a new connection.  Its peer's credentials
 * are not looked at: @c passed the check, and a process of the view that
 * became another user sends it (vnet_connect_via()).  Only one end of a
 * unix SOCK_SEQPACKET pair is taken; anything else is closed, which its
 * sender sees as the keeper gone.  Return: -1 to drop @c
 */
static int vnet_keeper_attach(struct vnet_keeper *k, struct vnet_kclient *c,
			      int fd)
{
	int domain = 0, type = 0;
	socklen_t len = sizeof(domain);

	if (!c->hello) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (fd < 0)
		return 0;
	if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &len) < 0 ||
	    domain != AF_UNIX ||
	    getsockopt(fd, SOL_SOCKET, SO_TYPE, &type,
		       &(socklen_t){ sizeof(type) }) < 0 ||
	    type != SOCK_SEQPACKET) {
		close(fd);
		return 0;
	}
	vnet_keeper_add(k, fd, 0);
	return 0;
}

/* SOCKET: make the sockets into @fds; Return: how many, @err if none */
static int vnet_keeper_sockets(const struct vnet_req *req, int *fds,
			       int32_t *err)
{
	int n = req->flags ? (int)req->flags : 1, i;

	if (n > VNET_BATCH_MAX)
		n = VNET_BATCH_MAX;
	for (i = 0; i < n; i++) {
		fds[i] = socket(req->family, req->type, req->protocol);
		if (fds[i] < 0)
			break;
	}
	*err = i ? 0 : errno;
	return i;
}

/* A published port's socket: listening TCP, or UDP.  Return: 0 or EINVAL */
static int vnet_keeper_check_publish(int fd, int udp)
{
	int type = 0, listening = 0;
	socklen_t len = sizeof(type);

	if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) < 0)
		return EINVAL;
	len = sizeof(listening);
	if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) < 0)
		return EINVAL;
	if (udp ? type != SOCK_DGRAM : type != SOCK_STREAM || !listening)
		return EINVAL;
	return 0;
}

/*
 * Top up the queue of feed @c; once it has stopped, wait for the client
 * to close it (EPOLLIN only).  Return: -1 to drop @c
 */
static int vnet_keeper_feed(struct vnet_keeper *k, struct vnet_kclient *c)
{
	struct epoll_event e = { .events = EPOLLIN, .data.ptr = c };
	int ret = vnet_kfeed_fill(&c->feed, c->fd);

	if (ret == 1)
		epoll_ctl(k->epfd, EPOLL_CTL_MOD, c->fd, &e);
	return ret < 0 ? -1 : 0;
}

/*
 * FEED: from now on @c is a feed of sockets, its first message the sign
 * of life (without one, EOPNOTSUPP: the client asks for each socket).
 * Return: -1 to drop @c
 */
static int vnet_keeper_feed_start(struct vnet_keeper *k,
				  struct vnet_kclient *c,
				  const struct vnet_req *req)
{
	struct epoll_event e = { .events = EPOLLIN | EPOLLOUT, .data.ptr = c };
	struct vnet_reply rep = { .err = EOPNOTSUPP };

	if (!c->hello || c->feed.on)
		return -1;
	if (k->alive < 0)
		return vnet_keeper_reply(c->fd, &rep, NULL, 0) < 0 ? -1 : 0;
	rep.err = EINVAL;
	if (vnet_kfeed_start(&c->feed, c->fd, req, k->alive_map) < 0)
		return vnet_keeper_reply(c->fd, &rep, NULL, 0) < 0 ? -1 : 0;
	rep = (struct vnet_reply){ .flags = VNET_FEED_ALIVE };
	if (vnet_keeper_reply(c->fd, &rep, &k->alive, 1) < 0)
		return -1;
	if (epoll_ctl(k->epfd, EPOLL_CTL_MOD, c->fd, &e) < 0)
		return -1;
	return vnet_keeper_feed(k, c);
}

/* Answer request @req of @c; @fd came with it.  Return: -1 to drop @c */
static int vnet_keeper_request(struct vnet_keeper *k, struct vnet_kclient *c,
			       const struct vnet_req *req, int fd)
{
	struct vnet_reply rep = { .flags = k->cfg.flags, .pid = getpid() };
	int sfd[VNET_BATCH_MAX], nsfd = 0, nfile = 0, ret;

	/* a feed takes no requests */
	if (req->op == VNET_OP_FEED || c->feed.on) {
		if (fd >= 0)
			close(fd);
		return req->op == VNET_OP_FEED && !c->feed.on ?
		       vnet_keeper_feed_start(k, c, req) : -1;
	}
	/* no answer: @c may be shared by several processes */
	if (req->op == VNET_OP_ATTACH)
		return vnet_keeper_attach(k, c, fd);
	if (req->op != VNET_OP_HELLO && !c->hello) {
		rep.err = EPROTO;
	} else if (req->op == VNET_OP_HELLO) {
		rep.err = c->foreign ? EACCES : 0;
		c->hello = !c->foreign;
		if (c->hello && (req->flags & VNET_HELLO_USER) && !c->user) {
			c->user = 1;
			k->users++;
			k->had_user = 1;
		}
	} else if (req->op == VNET_OP_SOCKET) {
		nsfd = vnet_keeper_sockets(req, sfd, &rep.err);
	} else if (req->op == VNET_OP_PUBLISH && fd >= 0) {
		rep.err = vnet_keeper_check_publish(fd, req->udp);
		if (!rep.err) {
			ret = vnet_relays_add(k->relays, fd, req->port,
					      req->udp, c);
			fd = -1;
			rep.err = -ret;
		}
	} else if (req->op == VNET_OP_OPEN) {
		sfd[0] = vnet_procnet_open(req->name, (int)req->flags);
		rep.err = sfd[0] < 0 ? -sfd[0] : 0;
		nfile = sfd[0] >= 0;
	} else if (req->op == VNET_OP_STOP) {
		k->stop = 1;
	} else {
		rep.err = EINVAL;
	}
	rep.users = k->users;
	ret = vnet_keeper_reply(c->fd, &rep, sfd, nsfd + nfile);
	if (nfile)
		close(sfd[0]);
	if (nsfd) {
		vnet_kfeed_close(sfd, nsfd);
		/* only now are the client's sockets its own (vnet_sockets()) */
		if (!ret)
			ret = vnet_keeper_reply(c->fd, &rep, NULL, 0);
	}
	if (fd >= 0)
		close(fd);
	return ret < 0 || (c->foreign && req->op == VNET_OP_HELLO) ? -1 : 0;
}

static void vnet_keeper_client(struct vnet_keeper *k, struct vnet_kclient *c)
{
	union {
		char buf[CMSG_SPACE(sizeof(int) * 4)];
		struct cmsghdr align;
	} u;
	struct vnet_req req;
	struct iovec iov = { &req, sizeof(req) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = u.buf,
			      .msg_controllen = sizeof(u.buf) };
	struct cmsghdr *cm;
	int fd = -1, fds[4];
	size_t i, n;
	ssize_t len;

	len = recvmsg(c->fd, &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
	if (len < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	for (cm = CMSG_FIRSTHDR(&msg); len >= 0 && cm;
	     cm = CMSG_NXTHDR(&msg, cm)) {
		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
			continue;
		n = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		memcpy(fds, CMSG_DATA(cm), n * sizeof(int));
		for (i = 0; i < n; i++) {
			if (fd < 0)
				fd = fds[i];
			else
				close(fds[i]);
		}
	}
	if (len != (ssize_t)sizeof(req) ||
	    vnet_keeper_request(k, c, &req, fd) < 0) {
		if (len != (ssize_t)sizeof(req) && fd >= 0)
			close(fd);
		vnet_keeper_drop(k, c);
	}
}

/* Something happened on connection @c */
static void vnet_keeper_event(struct vnet_keeper *k, struct vnet_kclient *c,
			      uint32_t events)
{
	if ((events & EPOLLOUT) && c->feed.on && vnet_keeper_feed(k, c) < 0) {
		vnet_keeper_drop(k, c);
		return;
	}
	if (events & (EPOLLIN | EPOLLHUP | EPOLLERR))
		vnet_keeper_client(k, c);
}

/* No user left: end, unless a joiner connected meanwhile.  Return: 1 to end */
static int vnet_keeper_idle(struct vnet_keeper *k, int *lock)
{
	struct vnet_kclient *before = k->clients;

	if (k->cfg.lock[0] && *lock < 0) {
		*lock = open(k->cfg.lock, O_RDWR | O_CLOEXEC);
		if (*lock >= 0 && flock(*lock, LOCK_EX) < 0) {
			close(*lock);
			*lock = -1;
		}
	}
	vnet_keeper_accept(k);
	if (k->clients == before)
		return 1;
	if (*lock >= 0) {
		close(*lock);
		*lock = -1;
	}
	return 0;
}

static void vnet_keeper_batch(struct vnet_keeper *k)
{
	struct epoll_event ev[32];
	struct vnet_kclient *c;
	int i, n;

	n = epoll_wait(k->epfd, ev, 32, 1000);
	for (i = 0; i < n && !k->stop; i++) {
		int kind = *(int *)ev[i].data.ptr;

		if (kind == VNET_KK_LISTEN)
			vnet_keeper_accept(k);
		else if (kind == VNET_KK_CLIENT)
			vnet_keeper_event(k, ev[i].data.ptr, ev[i].events);
		else
			vnet_relays_event(k->relays, ev[i].data.ptr,
					  ev[i].events);
	}
	while ((c = k->dead)) {
		k->dead = c->next;
		free(c);
	}
	vnet_relays_tick(k->relays);
}

/* Serve until told to stop or no user is left */
static void vnet_keeper_loop(struct vnet_keeper *k)
{
	int lock = -1;

	while (!k->stop) {
		vnet_keeper_batch(k);
		if (k->stop || (k->cfg.flags & VNET_F_PERSISTENT) || k->users)
			continue;
		if (!k->had_user &&
		    vnet_keeper_now() - k->born < VNET_START_GRACE)
			continue;
		if (vnet_keeper_idle(k, &lock))
			break;
	}
	if (k->cfg.lock[0] && lock < 0) {
		lock = open(k->cfg.lock, O_RDWR | O_CLOEXEC);
		if (lock >= 0)
			flock(lock, LOCK_EX);
	}
	unlink(k->cfg.path);
}

/* Bind the control socket at @path: Return: the socket or -errno */
static int vnet_keeper_listen(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	mode_t old;
	int fd, ret;

	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	old = umask(077);
	ret = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (ret < 0 || listen(fd, 64) < 0) {
		ret = -errno;
		close(fd);
		return ret;
	}
	return fd;
}

/* Leave only @keep open (and 0-2 on /dev/null), default signals, cwd / */
static void vnet_keeper_detach(int keep)
{
	struct sigaction sa = { .sa_handler = SIG_DFL };
	sigset_t all;
	int fd, sig;

	for (sig = 1; sig < NSIG; sig++)
		sigaction(sig, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGCHLD, SIG_IGN);
	sigemptyset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	fd = open("/dev/null", O_RDWR);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
	}
	for (fd = 3; fd < 1024; fd++)
		if (fd != keep)
			close(fd);
	syscall(SYS_close_range, 1024, ~0U, 0);
	/* keep no directory busy (a mount point could not be unmounted) */
	if (chdir("/") < 0)
		return;
}

/*
 * Enter the namespace; for NAT, with the helper left behind in the host's
 * namespace and tap0 handed to it.  Return: 0 or -errno, @msg filled in
 */
static int vnet_keeper_ns(const struct vnet_keeper_cfg *cfg, char *msg,
			  size_t cap)
{
	int ctl = -1, tap, ret;

	if (cfg->flags & VNET_F_NAT) {
		ctl = vnet_slirp_spawn(cfg->flags, msg, cap);
		if (ctl < 0)
			return ctl;
	}
	ret = vnet_ns_enter(msg, cap);
	if (ret < 0 || ctl < 0)
		return ret;
	tap = vnet_tap_open(msg, cap);
	if (tap < 0)
		return tap;
	ret = vnet_slirp_attach(ctl, tap, msg, cap);
	close(tap);
	return ret;	/* ctl stays open: the helper ends when it closes */
}

/* As many fds as allowed: every relayed connection takes four */
static void vnet_keeper_nofile(void)
{
	struct rlimit rl;

	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

/* The keeper process; @ready is the pipe to report on */
static void __attribute__((noreturn))
vnet_keeper_main(const struct vnet_keeper_cfg *cfg, int ready)
{
	static struct vnet_keeper k;
	struct vnet_ready r = { 0, "" };
	struct epoll_event e;

	vnet_keeper_detach(ready);
	prctl(PR_SET_NAME, "facet-keeper");
	vnet_keeper_nofile();
	k.cfg = *cfg;
	k.kind = VNET_KK_LISTEN;
	k.alive = -1;
	k.born = vnet_keeper_now();
	k.lfd = vnet_keeper_listen(cfg->path);
	if (k.lfd < 0) {
		r.err = -k.lfd;
		snprintf(r.msg, sizeof(r.msg), "cannot listen on %s: %s",
			 cfg->path, strerror(r.err));
		goto out;
	}
	r.err = -vnet_keeper_ns(cfg, r.msg, sizeof(r.msg));
	if (r.err)
		goto err_unlink;
	k.epfd = epoll_create1(EPOLL_CLOEXEC);
	k.relays = vnet_relays_new(k.epfd);
	e.events = EPOLLIN;
	e.data.ptr = &k.kind;
	if (k.epfd < 0 || !k.relays ||
	    epoll_ctl(k.epfd, EPOLL_CTL_ADD, k.lfd, &e) < 0) {
		r.err = errno ? errno : ENOMEM;
		snprintf(r.msg, sizeof(r.msg), "cannot set up: %s",
			 strerror(r.err));
		goto err_unlink;
	}
	if (cfg->flags & VNET_F_NAT)
		vnet_dns_forward(k.relays, cfg->resolv_conf);
	/* without it, no feeds: clients ask for each socket */
	k.alive = vnet_alive_hold(&k.alive_map);
	if (write(ready, &r, sizeof(r)) < 0)
		_exit(1);
	close(ready);
	vnet_keeper_loop(&k);
	_exit(0);
err_unlink:
	unlink(cfg->path);
out:
	if (write(ready, &r, sizeof(r)) < 0)
		_exit(1);
	_exit(1);
}

/* Wait for the keeper's report on @fd */
static int vnet_keeper_wait(int fd, struct facet_err *err)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	struct vnet_ready r;
	ssize_t n;

	if (poll(&p, 1, VNET_SPAWN_TIMEOUT) <= 0)
		return facet_err_set(err, ETIMEDOUT, "vnet: the network's "
				     "keeper did not start in time");
	n = read(fd, &r, sizeof(r));
	if (n != (ssize_t)sizeof(r))
		return facet_err_set(err, ECHILD, "vnet: the network's keeper "
				     "died while starting");
	if (r.err) {
		r.msg[sizeof(r.msg) - 1] = '\0';
		return facet_err_set(err, r.err, "vnet: %s", r.msg);
	}
	return 0;
}

/**
 * vnet_keeper_spawn() - Start a keeper and wait until it serves
 * @cfg_in:	What it is to be
 * @err:	Filled in on failure
 *
 * Return: 0 or -errno
 */
int vnet_keeper_spawn(const struct vnet_keeper_cfg *cfg_in,
		      struct facet_err *err)
{
	const char *rc = getenv("FACET_VNET_RESOLV_CONF");
	struct vnet_keeper_cfg cfg_buf = *cfg_in, *cfg = &cfg_buf;
	int fds[2], ret;
	pid_t pid;

	snprintf(cfg->resolv_conf, sizeof(cfg->resolv_conf), "%s",
		 rc && rc[0] ? rc : "/etc/resolv.conf");

	if (pipe2(fds, O_CLOEXEC) < 0)
		return facet_err_set(err, errno, "vnet: pipe: %s",
				     strerror(errno));
	pid = fork();
	if (pid < 0) {
		ret = errno;
		close(fds[0]);
		close(fds[1]);
		return facet_err_set(err, ret, "vnet: fork: %s",
				     strerror(ret));
	}
	if (!pid) {
		close(fds[0]);
		setsid();
		pid = fork();
		if (!pid)
			vnet_keeper_main(cfg, fds[1]);
		_exit(pid < 0);
	}
	close(fds[1]);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	ret = vnet_keeper_wait(fds[0], err);
	close(fds[0]);
	return ret;
}
