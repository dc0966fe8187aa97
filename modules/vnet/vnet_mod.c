// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vnet/vnet_mod.c - The vnet module: socket() from a private stack
 *
 * DOC: The module
 *
 * The module wants one system call, socket(), and only looks at it
 * (FACET_HOOK_ENTER: a seccomp notification under the supervisor); and
 * the interface ioctls on AF_UNIX sockets (vnet_ifreq.c), and open() of
 * /proc/net files, which the keeper opens (vnet_procnet.c).  For
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
 * inherited across execve (start() runs again in every new image).  A
 * process opens a feed (vnet_feed.c) on its first socket() of a kind made
 * ahead, which a forked child shares, and a request connection of its own
 * for the other kinds.
 *
 * Under preload the process connects to the keeper itself, which it can no
 * longer do once it changed its user (setpriv, su, apt's methods running
 * as _apt): the runtime directory is 0700 and the keeper answers its own
 * user only.  Such a process still holds the view connection, inherited
 * from the first process: it asks for a new connection over that one
 * (vnet_connect_via()).  Under the ptracer the supervisor connects.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/mman.h>
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

#define VNET_FEED_SLOTS		4
#define VNET_FD_FLOOR		768	/* where kept fds go, in the caller */

/**
 * struct vnet_feed_slot - A feed of sockets made ahead, for one kind
 * @family:	socket() arguments
 * @type:	as given, less SOCK_NONBLOCK and SOCK_CLOEXEC
 * @protocol:	as given
 * @feed:	The feed (vnet_feed.c), @feed.fd -1 when not open
 */
struct vnet_feed_slot {
	int family, type, protocol;
	struct vnet_feed feed;
};

/**
 * struct vnet_shared - What every process of the view must know
 * @path:	The keeper's control socket
 * @flags:	The network's VNET_F_* bits
 * @fast:	Inodes of the NAT fast path's host sockets (vnet_fast.c)
 * @home:	The network namespace the view started in (vnet_leave.c)
 * @view_fd:	Under preload: the view connection's fd, inherited by every
 *		process of the view at that number
 * @view_dev:	Its device and inode, to know it is still there (0: no
 * @view_ino:	view connection is inherited)
 * @anchor:	The process the view's processes descend from
 *		(vnet_procnet.c)
 */
struct vnet_shared {
	char path[VNET_PATH_MAX];
	uint32_t flags;
	ino_t fast[VNET_FAST_SLOTS];
	struct vnet_home home;
	int view_fd;
	uint64_t view_dev, view_ino;
	pid_t anchor;
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
 * @feed:	Sockets made ahead, per kind (TCP and UDP over IPv4 and IPv6)
 * @nfeed:	Kinds in use
 * @in_caller:	The module runs inside the calling process (preload): the
 *		fds it keeps are moved up out of the program's way
 * @no_feed:	The keeper makes no feeds (it has no sign of life to give):
 *		every socket is a SOCKET request
 * @no_fast:	nat-fastpath=off: every NAT connection goes through libslirp
 * @no_procnet:	proc-net=off: /proc/net is the host's (no open() stops)
 * @fast:	The NAT TCP fast path
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
	struct vnet_feed_slot feed[VNET_FEED_SLOTS];
	int nfeed;
	int in_caller;
	int no_feed;
	int no_fast;
	int no_procnet;
	struct vnet_fast fast;
};

/*
 * An fd the module keeps, close-on-exec if @cloexec: out of the program's
 * way when in its process.  (The flags are known, not asked: under preload
 * every system call on this path counts.)
 */
static int vnet_fd_keep(const struct vnet_state *s, int fd, int cloexec)
{
	int high;

	if (!s->in_caller || fd < 0 || fd >= VNET_FD_FLOOR)
		return fd;
	high = fcntl(fd, cloexec ? F_DUPFD_CLOEXEC : F_DUPFD, VNET_FD_FLOOR);
	if (high < 0)
		return fd;
	close(fd);
	return high;
}

static const struct facet_option vnet_options[] = {
	{ "net", "private|nat|NAME", "network: loopback only, NAT, or the "
	  "named network NAME shared by several runs" },
	{ "publish", "[ADDR:]HOST:GUEST[/udp]", "forward host port HOST (on "
	  "127.0.0.1 unless ADDR) to GUEST in the network; repeatable" },
	{ "host-loopback", NULL, "let --net nat reach the host's loopback" },
	{ "nat-fastpath", "on|off", "NAT: outbound TCP made by the host's "
	  "stack (on, the default) or all through libslirp" },
	{ "proc-net", "on|off", "/proc/net shows the network (on, the "
	  "default) or the host (off: open() is not intercepted)" },
	{ NULL, NULL, NULL },
};

static int vnet_option(void *self, const char *key, const char *value,
		       struct facet_err *err)
{
	struct vnet_state *s = self;
	int i, ret;

	if (!strcmp(key, "host-loopback")) {
		s->host_loopback = 1;
		return 0;
	}
	if (!value)
		return facet_err_set(err, EINVAL, "vnet: %s needs a value",
				     key);
	if (!strcmp(key, "nat-fastpath")) {
		if (strcmp(value, "on") && strcmp(value, "off"))
			return facet_err_set(err, EINVAL, "vnet: nat-fastpath="
					     "%s: use on or off", value);
		s->no_fast = !strcmp(value, "off");
		return 0;
	}
	if (!strcmp(key, "proc-net")) {
		if (strcmp(value, "on") && strcmp(value, "off"))
			return facet_err_set(err, EINVAL, "vnet: proc-net=%s: "
					     "use on or off", value);
		s->no_procnet = !strcmp(value, "off");
		return 0;
	}
	if (!strcmp(key, "publish")) {
		if (s->npub == VNET_PUBLISH_MAX)
			return facet_err_set(err, EINVAL, "vnet: at most %d "
					     "--publish", VNET_PUBLISH_MAX);
		ret = vnet_publish_parse(value, &s->pub[s->npub]);
		if (ret == -ERANGE)
			return facet_err_set(err, EINVAL, "vnet: --publish "
					     "%s: a port is out of range: "
					     "ports are 1-65535", value);
		if (ret < 0)
			return facet_err_set(err, EINVAL, "vnet: --publish "
					     "%s: use [ADDR:]HOSTPORT:GUESTPORT"
					     "[/udp]", value);
		for (i = 0; i < s->npub; i++)
			if (s->pub[i].host_port == s->pub[s->npub].host_port &&
			    s->pub[i].udp == s->pub[s->npub].udp &&
			    !strcmp(s->pub[i].addr, s->pub[s->npub].addr))
				return facet_err_set(err, EINVAL, "vnet: "
						     "--publish %s: host port "
						     "%u is published twice; "
						     "give each host port once",
						     value, (unsigned)
						     s->pub[i].host_port);
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
				     "'-', '_', '.'; not host or none)", value);
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
	struct vnet_reply rep = { 0 };
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

/* Tell the view's processes where the inherited view connection is */
static void vnet_view_note(struct vnet_state *s)
{
	struct stat st;

	if (fstat(s->view, &st) < 0)
		return;
	s->sh->view_dev = st.st_dev;
	s->sh->view_ino = st.st_ino;
	s->sh->view_fd = s->view;
}

/*
 * The view connection inherited from the view's first process, if this
 * process still has it (a program may have closed it, or put another
 * file at its number); Return: it or -1
 */
static int vnet_view_inherited(const struct vnet_state *s)
{
	struct stat st;

	if (!s->sh->view_ino || fstat(s->sh->view_fd, &st) < 0 ||
	    st.st_dev != s->sh->view_dev || st.st_ino != s->sh->view_ino)
		return -1;
	return s->sh->view_fd;
}

/*
 * execve() under preload: the view connection must reach the new image
 * even when the program marked every fd close-on-exec (apt's ExecFork
 * does, before its methods drop to _apt): it meant its own fds
 */
static void vnet_view_keep(const struct vnet_state *s)
{
	int fd = vnet_view_inherited(s);
	long fl;

	if (fd < 0)
		return;
	fl = fcntl(fd, F_GETFD);
	if (fl > 0 && (fl & FD_CLOEXEC))
		fcntl(fd, F_SETFD, fl & ~FD_CLOEXEC);
}

/*
 * A new connection to the keeper, that said hello as a user, close-on-exec
 * and out of the program's way; Return: it, or -errno.  A process that
 * became another user is refused at the keeper's socket: it asks over the
 * view connection it inherited instead.
 */
static int vnet_dial(struct vnet_state *s)
{
	int conn = vnet_connect(s->sh->path, VNET_HELLO_USER, NULL, 1), via;

	if (conn == -EACCES && s->in_caller) {
		via = vnet_view_inherited(s);
		if (via >= 0)
			conn = vnet_connect_via(via, VNET_HELLO_USER, NULL, 1);
	}
	return conn < 0 ? conn : vnet_fd_keep(s, conn, 1);
}

/* The view's first start: find or make the keeper, publish */
static int vnet_start_first(struct vnet_state *s, int inherit,
			    struct facet_err *err)
{
	struct vnet_reply info = { 0 };
	char dir[VNET_PATH_MAX];
	int ret;

	ret = vnet_dir(dir, sizeof(dir), err);
	if (ret < 0)
		return ret;
	vnet_leave_home(&s->sh->home);
	/* the subreaper above the command, or the supervisor */
	s->sh->anchor = s->in_caller ? getppid() : getpid();
	if (s->mode == VNET_MODE_NAMED) {
		vnet_sock_path(s->sh->path, sizeof(s->sh->path), dir,
			       s->name, "sock");
		s->view = vnet_join(dir, s->name, 0, VNET_HELLO_USER, 0, &info,
				    err);
		if (s->view < 0)
			return s->view;
		s->sh->flags = info.flags;
	} else {
		s->sh->flags = s->mode != VNET_MODE_NAT ? 0 :
			       VNET_F_NAT | (s->host_loopback ?
			       VNET_F_HOST_LOOPBACK : 0);
		ret = vnet_start_private(s->sh->path, dir, s->sh->flags, err);
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
	s->view = vnet_fd_keep(s, s->view, !inherit);
	if (inherit)
		vnet_view_note(s);
	s->conn = s->view;
	s->conn_pid = getpid();
	return vnet_start_publish(s, err);
}

/* NAME.capture beside the keeper's NAME.sock (see vnet_fast_captured()) */
static void vnet_capture_path(char *buf, size_t cap, const char *sock)
{
	size_t n = strlen(sock);

	if (n > 5 && !strcmp(sock + n - 5, ".sock"))
		n -= 5;
	snprintf(buf, cap, "%.*s.capture", (int)n, sock);
}

static int vnet_start(void *self, struct facet_env *env,
		      struct facet_err *err)
{
	struct vnet_state *s = self;
	int ret;

	s->view = s->conn = -1;
	s->in_caller = !strcmp(facet_env_backend(env), "preload");
	if (s->mode == VNET_MODE_NONE)
		s->mode = VNET_MODE_PRIVATE;
	if (s->host_loopback && s->mode != VNET_MODE_NAT)
		return facet_err_set(err, EINVAL, "vnet: --net-host-loopback "
				     "needs --net nat");
	s->sh = facet_env_shared(env, "vnet", sizeof(*s->sh));
	if (!s->sh)
		return facet_err_set(err, ENOMEM, "vnet: no shared memory "
				     "for the view");
	if (facet_env_first(env)) {
		ret = vnet_start_first(s, s->in_caller, err);
		if (ret < 0)
			return ret;
	}
	s->fast.on = (s->sh->flags & VNET_F_NAT) && !s->no_fast;
	s->fast.host_loopback = !!(s->sh->flags & VNET_F_HOST_LOOPBACK);
	s->fast.in_caller = s->in_caller;
	s->fast.table = s->sh->fast;
	vnet_capture_path(s->fast.capture, sizeof(s->fast.capture),
			  s->sh->path);
	return 0;
}

static void vnet_wants(void *self, struct facet_sysset *set)
{
	struct vnet_state *s = self;

	facet_sysset_add(set, SYS_socket, FACET_HOOK_ENTER);
	facet_sysset_add(set, SYS_io_uring_setup, FACET_HOOK_ENTER);
	vnet_leave_wants(set);
	vnet_ifreq_wants(set);
	if (s->in_caller) {
		facet_sysset_add(set, SYS_execve, FACET_HOOK_ENTER);
		facet_sysset_add(set, SYS_execveat, FACET_HOOK_ENTER);
	}
	if (!s->no_procnet) {
		facet_sysset_add(set, SYS_open, FACET_HOOK_ENTER);
		facet_sysset_add(set, SYS_openat, FACET_HOOK_ENTER);
	}
	if (!s->fast.on)
		return;
	facet_sysset_add(set, SYS_connect, FACET_HOOK_ENTER);
	facet_sysset_add(set, SYS_getsockname, FACET_HOOK_ENTER);
	facet_sysset_add(set, SYS_getpeername, FACET_HOOK_ENTER);
}

/*
 * A connection for this process's requests; Return: it, or -errno
 * (-ENETDOWN when the keeper is gone).  (Only sockets that are not made
 * ahead take this path: see vnet_make().)
 */
static int vnet_conn(struct vnet_state *s)
{
	int ret;

	if (s->conn >= 0 && s->conn_pid == getpid())
		return s->conn;
	/*
	 * After a fork (preload): the parent's request connection is closed
	 * here, the view connection is kept (it keeps the network alive for
	 * as long as this process lives) but not used for requests.  The
	 * feeds stay shared: each socket in them goes to one process only.
	 */
	if (s->conn >= 0 && s->conn != s->view)
		close(s->conn);
	s->conn = vnet_dial(s);
	s->conn_pid = getpid();
	if (s->conn < 0) {
		ret = s->conn;
		s->conn = -1;
		return ret;
	}
	return s->conn;
}

/* The keeper is gone: close the feeds and the request connection */
static void vnet_disconnect(struct vnet_state *s)
{
	int i;

	for (i = 0; i < s->nfeed; i++)
		vnet_feed_close(&s->feed[i].feed);
	if (s->conn >= 0 && s->conn != s->view)
		close(s->conn);
	s->conn = -1;
}

/* The feed slot for this kind of socket, NULL if it is not made ahead */
static struct vnet_feed_slot *vnet_feed_slot(struct vnet_state *s,
					     int family, int type,
					     int protocol)
{
	struct vnet_feed_slot *f;
	int i;

	if ((family != AF_INET && family != AF_INET6) ||
	    (type != SOCK_STREAM && type != SOCK_DGRAM))
		return NULL;
	for (i = 0; i < s->nfeed; i++) {
		f = &s->feed[i];
		if (f->family == family && f->type == type &&
		    f->protocol == protocol)
			return f;
	}
	if (s->nfeed == VNET_FEED_SLOTS)
		return NULL;
	f = &s->feed[s->nfeed++];
	*f = (struct vnet_feed_slot){ .family = family, .type = type,
				      .protocol = protocol,
				      .feed = { .fd = -1 } };
	return f;
}

/*
 * Take a socket from open feed @f, unless its keeper is gone (a feed
 * outlives its keeper).  Return: it, or -errno: -EBADF when the program
 * closed the feed's fd
 */
static int vnet_feed_get(struct vnet_feed *f, int cloexec)
{
	int fd;

	if (!vnet_alive(f->alive))
		return -ENETDOWN;
	fd = vnet_feed_take(f, cloexec);
	return fd == -ENOTSOCK || fd == -EPROTO ? -EBADF : fd;
}

/*
 * A socket from feed @f, opened first if need be; Return: fd or -errno.
 * The sockets still in a feed whose keeper is gone are not handed out.
 */
static int vnet_feed_socket(struct vnet_state *s, struct vnet_feed_slot *f,
			    int cloexec)
{
	struct vnet_feed *feed = &f->feed;
	int tries, fd;

	for (tries = 0; tries < 2; tries++) {
		if (feed->fd < 0) {
			fd = vnet_dial(s);
			if (fd >= 0)
				fd = vnet_feed_open(feed, fd, f->family,
						    f->type, f->protocol);
			if (fd < 0)
				return fd;
		}
		fd = vnet_feed_get(feed, cloexec);
		if (fd >= 0 || fd == -ENETDOWN || fd == -EMFILE ||
		    fd == -ENFILE)
			return fd;
		if (fd == -EBADF) {
			/* the program closed it (closefrom...): not ours */
			vnet_feed_forget(feed);
			continue;
		}
		/* the keeper could not make it; the feed has stopped */
		vnet_feed_close(feed);
		return fd;
	}
	return -ENETDOWN;
}

/*
 * socket(@family, @type, @protocol) in the network: from a feed when the
 * kind is made ahead (only ones that receive nothing before bind or
 * connect: TCP and UDP), else straight from the keeper.  Either way the
 * socket arrives at the lowest free fd, close-on-exec as asked.
 */
static int vnet_make(struct vnet_state *s, int family, int type, int protocol)
{
	int base = type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC), fd;
	struct vnet_feed_slot *f = vnet_feed_slot(s, family, base, protocol);

	if (f && !s->no_feed) {
		fd = vnet_feed_socket(s, f, !!(type & SOCK_CLOEXEC));
		if (fd != -EOPNOTSUPP)
			goto flags;
		s->no_feed = 1;	/* a keeper without a sign of life */
	}
	fd = vnet_conn(s);
	return fd < 0 ? fd : vnet_socket(fd, family, type, protocol);
flags:
	/* a fresh socket's only status flag is O_RDWR, which F_SETFL keeps */
	if (fd >= 0 && (type & SOCK_NONBLOCK))
		fcntl(fd, F_SETFL, O_NONBLOCK);
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

/* NAT: connect() to outside the network, maybe from the host's stack */
static enum facet_verdict vnet_enter_connect(struct vnet_state *s,
					     struct facet_call *call)
{
	socklen_t len = (socklen_t)facet_arg(call, 2);
	struct sockaddr_storage sa, dst;
	int fd;

	if (len < sizeof(struct sockaddr_in) || len > sizeof(sa) ||
	    facet_peek(call, &sa, (uintptr_t)facet_arg(call, 1), len) !=
	    (ssize_t)len)
		return FACET_CONTINUE;
	/* the network's own addresses, and all but IPv4 and IPv6 */
	if (!vnet_fast_dest((struct sockaddr *)&sa, len,
			    s->fast.host_loopback, &dst))
		return FACET_CONTINUE;
	if (!s->fast.ref[sa.ss_family == AF_INET6].valid) {
		/* what a fresh socket of the network has, to compare with */
		fd = vnet_make(s, sa.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0)
			return FACET_CONTINUE;
		vnet_fast_set_ref(&s->fast, sa.ss_family, fd);
		close(fd);
	}
	return vnet_fast_connect(&s->fast, call, (struct sockaddr *)&sa, len);
}

/*
 * open() or openat() of a /proc/net file: the keeper opens its own
 * (vnet_procnet.c); every other open goes on
 */
static enum facet_verdict vnet_enter_open(struct vnet_state *s,
					  struct facet_call *call)
{
	int pa = facet_nr(call) == SYS_openat, flags, conn, fd, ret;
	struct vnet_req req = { .op = VNET_OP_OPEN };
	struct vnet_reply rep = { 0 };
	char path[160];

	/* the cheap test first: every open of the view comes here */
	if (facet_peek_str(call, path, facet_arg(call, pa), sizeof(path)) < 7 ||
	    memcmp(path, "/proc/", 6))
		return FACET_CONTINUE;
	ret = vnet_procnet_name(path, facet_pid(call), facet_tid(call),
				s->sh->anchor, req.name, sizeof(req.name));
	if (!ret)
		return FACET_CONTINUE;
	flags = (int)facet_arg(call, pa + 1);
	req.flags = (uint32_t)flags;
	if (ret > 0) {
		conn = vnet_conn(s);
		ret = conn < 0 ? conn :
		      vnet_call(conn, &req, -1, &rep, &fd, 1,
				!!(flags & O_CLOEXEC));
		if (ret >= 0 && rep.err)
			ret = -rep.err;
		else if (ret == 0)
			ret = -ENETDOWN;
	}
	if (ret < 0)
		facet_return(call, ret);
	else
		facet_return_fd(call, fd);
	return FACET_DONE;
}

/* A socket of the network for an interface ioctl (vnet_ifreq.c) */
static int vnet_ifreq_socket(void *self)
{
	return vnet_make(self, AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
}

static enum facet_verdict vnet_enter(void *self, struct facet_call *call)
{
	struct vnet_state *s = self;
	int family = (int)facet_arg(call, 0), fd;

	switch (facet_nr(call)) {
	case SYS_ioctl:
		/* under preload every ioctl comes here: the cheap test first */
		if (!vnet_ifreq_wanted((unsigned int)facet_arg(call, 1)) ||
		    vnet_leave_gone(&s->sh->home, call, s->in_caller))
			return FACET_CONTINUE;
		return vnet_ifreq_ioctl(call, vnet_ifreq_socket, s,
					s->in_caller);
	case SYS_execve:
	case SYS_execveat:
		vnet_view_keep(s);
		return FACET_CONTINUE;
	case SYS_unshare:
	case SYS_clone:
	case SYS_clone3:
	case SYS_setns:
		vnet_leave_note(&s->sh->home, call);
		return FACET_CONTINUE;
	}
	/* a thread in a network namespace of its own: the kernel's calls */
	if (vnet_leave_gone(&s->sh->home, call, s->in_caller))
		return FACET_CONTINUE;
	switch (facet_nr(call)) {
	case SYS_io_uring_setup:
		/* IORING_OP_SOCKET would make host sockets unseen */
		facet_return(call, -ENOSYS);
		return FACET_DONE;
	case SYS_connect:
		return vnet_enter_connect(s, call);
	case SYS_getsockname:
		return vnet_fast_name(&s->fast, call, 0);
	case SYS_getpeername:
		return vnet_fast_name(&s->fast, call, 1);
	case SYS_open:
	case SYS_openat:
		return vnet_enter_open(s, call);
	}
	if (family == AF_UNIX ||
	    vnet_host_netlink(family, (int)facet_arg(call, 2)))
		return FACET_CONTINUE;
	fd = vnet_make(s, family, (int)facet_arg(call, 1),
		       (int)facet_arg(call, 2));
	if (fd == -ENETDOWN)
		vnet_disconnect(s);
	if (fd < 0)
		facet_return(call, fd);
	else
		facet_return_fd(call, fd);
	return FACET_DONE;
}

static void vnet_stop(void *self)
{
	struct vnet_state *s = self;

	vnet_disconnect(s);
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
/* its sockets and ports are per instance */
FACET_MODULE_NOT_COMBINED(vnet_module);
