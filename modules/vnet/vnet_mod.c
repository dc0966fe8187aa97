// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vnet/vnet_mod.c - The vnet module: socket() from a private stack
 *
 * DOC: The module
 *
 * The module wants one system call, socket(), and only looks at it
 * (FACET_HOOK_ENTER: a seccomp notification under the supervisor).  For
 * every family but AF_UNIX it asks the network's keeper for the socket and
 * hands that to the caller with facet_return_fd(); bind(), connect(),
 * accept() and the rest then work unchanged on a socket that belongs to the
 * private namespace.  AF_UNIX sockets, socketpair() and the netlink
 * protocols that are not about networking (uevents, audit...) stay on the
 * host.
 * When the keeper is gone, socket() fails with ENETDOWN: it never falls
 * back to the host's stack.  For the same reason io_uring_setup() fails
 * with ENOSYS (programs then use plain system calls): an io_uring
 * IORING_OP_SOCKET would make a host socket that no filter sees.
 *
 * The view's first start() finds or starts the keeper, publishes ports,
 * and keeps a "view connection" open for as long as the view lives, which
 * is what keeps the keeper alive.  Under preload that connection is
 * inherited across execve (start() runs again in every new image); other
 * processes connect on their first socket() and again after a fork.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "vnet.h"

enum vnet_mode {
	VNET_MODE_NONE,
	VNET_MODE_PRIVATE,
	VNET_MODE_NAT,
	VNET_MODE_NAMED,
};

#define VNET_CACHE_SLOTS	4
#define VNET_CACHE_BATCH	VNET_BATCH_MAX

/**
 * struct vnet_cache - Sockets made ahead of time, for one kind of socket
 * @family:	socket() arguments, @type without SOCK_NONBLOCK/CLOEXEC
 * @type:	as given, less the flags
 * @protocol:	as given
 * @n:		Sockets in @fd
 * @fd:		Close-on-exec, blocking; the last one is used first
 * @ino:	Their inodes, to notice an fd the program closed (preload)
 */
struct vnet_cache {
	int family, type, protocol;
	int n;
	int fd[VNET_CACHE_BATCH];
	ino_t ino[VNET_CACHE_BATCH];
};

/**
 * struct vnet_shared - What every process of the view must know
 * @path:	The keeper's control socket
 */
struct vnet_shared {
	char path[VNET_PATH_MAX];
};

/**
 * struct vnet_state - The module's state
 * @mode:	enum vnet_mode
 * @name:	Network name for VNET_MODE_NAMED
 * @pub:	Ports to publish
 * @npub:	How many
 * @host_loopback: --net-host-loopback
 * @sh:		Shared with the view's other processes
 * @view:	The view connection, or -1
 * @conn:	Connection for requests, or -1
 * @conn_pid:	Process @conn was made in
 * @cache:	Sockets made ahead, per kind (TCP and UDP over IPv4 and IPv6)
 * @ncache:	Kinds in use
 */
struct vnet_state {
	int mode;
	char name[VNET_NAME_MAX];
	struct vnet_publish pub[VNET_PUBLISH_MAX];
	int npub;
	int host_loopback;
	struct vnet_shared *sh;
	int view, conn;
	pid_t conn_pid;
	struct vnet_cache cache[VNET_CACHE_SLOTS];
	int ncache;
};

static const struct facet_option vnet_options[] = {
	{ "net", "private|nat|NAME", "network: loopback only, NAT, or the "
	  "named network NAME shared by several runs" },
	{ "publish", "[ADDR:]HOST:GUEST[/udp]", "forward host port HOST (on "
	  "127.0.0.1 unless ADDR) to GUEST in the network; repeatable" },
	{ "host-loopback", NULL, "let --net nat reach the host's loopback" },
	{ NULL, NULL, NULL },
};

static int vnet_option(void *self, const char *key, const char *value,
		       struct facet_err *err)
{
	struct vnet_state *s = self;

	if (!strcmp(key, "host-loopback")) {
		s->host_loopback = 1;
		return 0;
	}
	if (!value)
		return facet_err_set(err, EINVAL, "vnet: %s needs a value",
				     key);
	if (!strcmp(key, "publish")) {
		if (s->npub == VNET_PUBLISH_MAX)
			return facet_err_set(err, EINVAL, "vnet: at most %d "
					     "--publish", VNET_PUBLISH_MAX);
		if (vnet_publish_parse(value, &s->pub[s->npub]) < 0)
			return facet_err_set(err, EINVAL, "vnet: --publish "
					     "%s: use [ADDR:]HOSTPORT:GUESTPORT"
					     "[/udp]", value);
		s->npub++;
		return 0;
	}
	if (!strcmp(value, "private")) {
		s->mode = VNET_MODE_PRIVATE;
	} else if (!strcmp(value, "nat")) {
		s->mode = VNET_MODE_NAT;
	} else if (vnet_name_valid(value)) {
		s->mode = VNET_MODE_NAMED;
		strcpy(s->name, value);
	} else {
		return facet_err_set(err, EINVAL, "vnet: --net %s: use private, "
				     "nat or a network name (letters, digits, "
				     "'-', '_', '.')", value);
	}
	return 0;
}

/* Start an anonymous keeper for --net private or nat; fill in @path */
static int vnet_start_private(char *path, const char *dir, uint32_t flags,
			      struct facet_err *err)
{
	struct vnet_keeper_cfg cfg = { .flags = flags };
	unsigned int rnd = 0;
	char name[48];

	if (getrandom(&rnd, sizeof(rnd), 0) < 0)
		rnd = (unsigned)getpid() * 2654435761u;
	snprintf(name, sizeof(name), ".private-%d-%08x", (int)getpid(), rnd);
	if (vnet_sock_path(cfg.path, sizeof(cfg.path), dir, name, "sock") < 0)
		return facet_err_set(err, ENAMETOOLONG, "vnet: %s: path too "
				     "long for a socket", dir);
	strcpy(path, cfg.path);
	return vnet_keeper_spawn(&cfg, err);
}

/* Hand the host sockets of the published ports to the keeper */
static int vnet_start_publish(struct vnet_state *s, struct facet_err *err)
{
	struct vnet_reply rep;
	int i, fd, ret;

	for (i = 0; i < s->npub; i++) {
		struct vnet_req req = { .op = VNET_OP_PUBLISH,
					.port = s->pub[i].guest_port,
					.udp = (uint8_t)s->pub[i].udp };

		fd = vnet_publish_open(&s->pub[i], err);
		if (fd < 0)
			return fd;
		ret = vnet_call(s->view, &req, fd, &rep, NULL, 0, 1);
		close(fd);
		if (ret > 0)
			ret = 0;
		if (!ret && rep.err)
			ret = -rep.err;
		if (ret < 0)
			return facet_err_set(err, ret, "vnet: --publish %u: "
					     "the keeper refused: %s",
					     s->pub[i].host_port,
					     strerror(-ret));
	}
	return 0;
}

/* The view's first start: find or make the keeper, publish */
static int vnet_start_first(struct vnet_state *s, int inherit,
			    struct facet_err *err)
{
	char dir[VNET_PATH_MAX];
	int ret;

	ret = vnet_dir(dir, sizeof(dir), err);
	if (ret < 0)
		return ret;
	if (s->mode == VNET_MODE_NAMED) {
		vnet_sock_path(s->sh->path, sizeof(s->sh->path), dir,
			       s->name, "sock");
		s->view = vnet_join(dir, s->name, 0, VNET_HELLO_USER, 0, NULL,
				    err);
		if (s->view < 0)
			return s->view;
	} else {
		ret = vnet_start_private(s->sh->path, dir,
					 s->mode != VNET_MODE_NAT ? 0 :
					 VNET_F_NAT | (s->host_loopback ?
					 VNET_F_HOST_LOOPBACK : 0), err);
		if (ret < 0)
			return ret;
		s->view = vnet_connect(s->sh->path, VNET_HELLO_USER, NULL, 1);
		if (s->view < 0)
			return facet_err_set(err, s->view, "vnet: cannot reach "
					     "the new keeper: %s",
					     strerror(-s->view));
	}
	if (inherit)
		fcntl(s->view, F_SETFD, 0);
	s->conn = s->view;
	s->conn_pid = getpid();
	return vnet_start_publish(s, err);
}

static int vnet_start(void *self, struct facet_env *env,
		      struct facet_err *err)
{
	struct vnet_state *s = self;

	s->view = s->conn = -1;
	if (s->mode == VNET_MODE_NONE)
		s->mode = VNET_MODE_PRIVATE;
	if (s->host_loopback && s->mode != VNET_MODE_NAT)
		return facet_err_set(err, EINVAL, "vnet: --net-host-loopback "
				     "needs --net nat");
	s->sh = facet_env_shared(env, "vnet", sizeof(*s->sh));
	if (!s->sh)
		return facet_err_set(err, ENOMEM, "vnet: no shared memory "
				     "for the view");
	if (!facet_env_first(env))
		return 0;
	return vnet_start_first(s, !strcmp(facet_env_backend(env), "preload"),
				err);
}

static void vnet_wants(void *self, struct facet_sysset *set)
{
	(void)self;
	facet_sysset_add(set, SYS_socket, FACET_HOOK_ENTER);
	facet_sysset_add(set, SYS_io_uring_setup, FACET_HOOK_ENTER);
}

/* A connection for this process; Return: it, or -ENETDOWN */
static int vnet_conn(struct vnet_state *s)
{
	if (s->conn >= 0 && s->conn_pid == getpid())
		return s->conn;
	/*
	 * After a fork (preload): the parent's request connection is closed
	 * here, the view connection is kept (it keeps the network alive for
	 * as long as this process lives) but not used for requests.
	 */
	if (s->conn >= 0 && s->conn != s->view)
		close(s->conn);
	/* the parent's cached sockets: leave them be, they are not ours */
	s->ncache = 0;
	s->conn = vnet_connect(s->sh->path, VNET_HELLO_USER, NULL, 1);
	s->conn_pid = getpid();
	if (s->conn < 0) {
		s->conn = -1;
		return -ENETDOWN;
	}
	return s->conn;
}

static void vnet_cache_flush(struct vnet_state *s)
{
	int i;

	for (i = 0; i < s->ncache; i++)
		while (s->cache[i].n)
			close(s->cache[i].fd[--s->cache[i].n]);
	s->ncache = 0;
}

/* The cache slot for this kind of socket, NULL if it is not cached */
static struct vnet_cache *vnet_cache_slot(struct vnet_state *s, int family,
					  int type, int protocol)
{
	struct vnet_cache *c;
	int i;

	if ((family != AF_INET && family != AF_INET6) ||
	    (type != SOCK_STREAM && type != SOCK_DGRAM))
		return NULL;
	for (i = 0; i < s->ncache; i++) {
		c = &s->cache[i];
		if (c->family == family && c->type == type &&
		    c->protocol == protocol)
			return c;
	}
	if (s->ncache == VNET_CACHE_SLOTS)
		return NULL;
	c = &s->cache[s->ncache++];
	*c = (struct vnet_cache){ .family = family, .type = type,
				  .protocol = protocol };
	return c;
}

/* Refill @c in one round trip; Return: 0 or -errno */
static int vnet_cache_fill(struct vnet_cache *c, int conn)
{
	struct stat st;
	int n, i;

	n = vnet_sockets(conn, c->family, c->type | SOCK_CLOEXEC, c->protocol,
			 c->fd, VNET_CACHE_BATCH);
	if (n < 0)
		return n;
	for (i = 0; i < n; i++)
		c->ino[i] = fstat(c->fd[i], &st) ? 0 : st.st_ino;
	c->n = n;
	return 0;
}

/* A socket from @c, still the one put there; Return: fd or -errno */
static int vnet_cache_take(struct vnet_cache *c, int conn)
{
	struct pollfd p = { .fd = conn };
	struct stat st;
	int fd, ret;

	/* a keeper that is gone makes no more sockets, cached or not */
	if (poll(&p, 1, 0) > 0)
		return -ENETDOWN;
	for (;;) {
		if (!c->n) {
			ret = vnet_cache_fill(c, conn);
			if (ret < 0)
				return ret;
		}
		fd = c->fd[--c->n];
		if (!fstat(fd, &st) && S_ISSOCK(st.st_mode) &&
		    st.st_ino == c->ino[c->n])
			return fd;
	}
}

/*
 * socket(@family, @type, @protocol) in the network: from the cache when
 * the kind is cached (only ones that receive nothing before bind or
 * connect: TCP and UDP), else straight from the keeper
 */
static int vnet_make(struct vnet_state *s, int conn, int family, int type,
		     int protocol)
{
	int base = type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC), fd;
	struct vnet_cache *c = vnet_cache_slot(s, family, base, protocol);

	if (!c)
		return vnet_socket(conn, family, type, protocol);
	fd = vnet_cache_take(c, conn);
	if (fd < 0)
		return fd;
	if (!(type & SOCK_CLOEXEC))
		fcntl(fd, F_SETFD, 0);
	if (type & SOCK_NONBLOCK)
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	return fd;
}

/*
 * Netlink protocols that are about the machine, not its network: they stay
 * on the host (uevents, audit, the process connector and crypto exist only
 * in the host's namespace).  Routing, sock_diag, netfilter, xfrm and
 * generic netlink come from the private stack.
 */
static int vnet_host_netlink(int family, int protocol)
{
	if (family != AF_NETLINK)
		return 0;
	switch (protocol) {
	case NETLINK_SELINUX:
	case NETLINK_ISCSI:
	case NETLINK_AUDIT:
	case NETLINK_CONNECTOR:
	case NETLINK_KOBJECT_UEVENT:
	case NETLINK_SCSITRANSPORT:
	case NETLINK_CRYPTO:
		return 1;
	}
	return 0;
}

static enum facet_verdict vnet_enter(void *self, struct facet_call *call)
{
	struct vnet_state *s = self;
	int family = (int)facet_arg(call, 0), conn, fd;

	/* IORING_OP_SOCKET would make host sockets unseen: no io_uring */
	if (facet_nr(call) == SYS_io_uring_setup) {
		facet_return(call, -ENOSYS);
		return FACET_DONE;
	}
	if (family == AF_UNIX ||
	    vnet_host_netlink(family, (int)facet_arg(call, 2)))
		return FACET_CONTINUE;
	conn = vnet_conn(s);
	fd = conn < 0 ? conn : vnet_make(s, conn, family,
					 (int)facet_arg(call, 1),
					 (int)facet_arg(call, 2));
	if (fd == -ENETDOWN && s->conn >= 0) {
		vnet_cache_flush(s);
		if (s->conn != s->view)
			close(s->conn);
		s->conn = -1;
	}
	if (fd < 0)
		facet_return(call, fd);
	else
		facet_return_fd(call, fd);
	return FACET_DONE;
}

static void vnet_stop(void *self)
{
	struct vnet_state *s = self;

	vnet_cache_flush(s);
	if (s->conn >= 0 && s->conn != s->view)
		close(s->conn);
	if (s->view >= 0)
		close(s->view);
	s->conn = s->view = -1;
}

static const struct facet_module vnet_module = {
	.abi = FACET_MODULE_ABI,
	.name = "vnet",
	.summary = "a private network stack: socket() served from a network "
		   "namespace",
	.options = vnet_options,
	.self_size = sizeof(struct vnet_state),
	.option = vnet_option,
	.start = vnet_start,
	.wants = vnet_wants,
	.enter = vnet_enter,
	.stop = vnet_stop,
};

FACET_MODULE_BUILTIN(vnet_module);
