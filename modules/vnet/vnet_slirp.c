// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vnet/vnet_slirp.c - The NAT helper: libslirp in the host namespace
 *
 * DOC: NAT
 *
 * The keeper of a NAT network forks this helper before it leaves the
 * host's network namespace, so that the helper's sockets (the ones libslirp
 * opens to reach the outside world) are host sockets.  The keeper then makes
 * tap0 inside the namespace and sends its fd over; the helper feeds the
 * frames to libslirp, which plays the gateway (10.0.2.2), the DNS forwarder
 * (10.0.2.3, to the host's resolver) and NATs TCP and UDP to the host's
 * sockets.  10.0.2.2 reaches the host's loopback only with
 * VNET_F_HOST_LOOPBACK (--net-host-loopback).  The helper ends with its
 * keeper (PR_SET_PDEATHSIG, and its control socket closing).  libslirp (and
 * glib with it) is loaded by the keeper of a NAT network just before it
 * forks the helper (core/lib.h): no other process of facet loads it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <slirp/libslirp.h>

#include "../../core/lib.h"
#include "vnet.h"

static FACET_LIB_FN(slirp_input);
static FACET_LIB_FN(slirp_new);
static FACET_LIB_FN(slirp_pollfds_fill);
static FACET_LIB_FN(slirp_pollfds_poll);

static const struct facet_lib_sym vnet_slirp_syms[] = {
	FACET_LIB_SYM(slirp_input),
	FACET_LIB_SYM(slirp_new),
	FACET_LIB_SYM(slirp_pollfds_fill),
	FACET_LIB_SYM(slirp_pollfds_poll),
};

static struct facet_lib vnet_slirp_lib =
	FACET_LIB(FACET_SONAME_SLIRP, "libslirp0", vnet_slirp_syms);

/**
 * struct vnet_timer - A libslirp timer
 * @cb:		What to call
 * @opaque:	Its argument
 * @expire:	When, in ms of CLOCK_MONOTONIC, or -1 when not armed
 * @next:	List
 */
struct vnet_timer {
	SlirpTimerCb cb;
	void *opaque;
	int64_t expire;
	struct vnet_timer *next;
};

/**
 * struct vnet_slirp - The helper's state
 * @tap:	tap0's fd
 * @pfd:	poll set: [0] tap, [1] control socket, then libslirp's
 * @npfd:	Entries in use
 * @cap:	Room in @pfd
 * @timers:	libslirp's timers
 */
struct vnet_slirp {
	int tap;
	struct pollfd *pfd;
	int npfd, cap;
	struct vnet_timer *timers;
};

static int64_t vnet_slirp_clock(void *opaque)
{
	struct timespec ts;

	(void)opaque;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static ssize_t vnet_slirp_send(const void *buf, size_t len, void *opaque)
{
	struct vnet_slirp *st = opaque;
	ssize_t n;

	do
		n = write(st->tap, buf, len);
	while (n < 0 && errno == EINTR);
	return n < 0 ? (ssize_t)len : n;	/* a lost frame, as on a wire */
}

static void vnet_slirp_guest_error(const char *msg, void *opaque)
{
	(void)msg;
	(void)opaque;
}

static void *vnet_slirp_timer_new(SlirpTimerCb cb, void *cb_opaque,
				  void *opaque)
{
	struct vnet_slirp *st = opaque;
	struct vnet_timer *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->cb = cb;
	t->opaque = cb_opaque;
	t->expire = -1;
	t->next = st->timers;
	st->timers = t;
	return t;
}

static void vnet_slirp_timer_free(void *timer, void *opaque)
{
	struct vnet_slirp *st = opaque;
	struct vnet_timer **pp;

	for (pp = &st->timers; *pp; pp = &(*pp)->next) {
		if (*pp == timer) {
			*pp = ((struct vnet_timer *)timer)->next;
			free(timer);
			return;
		}
	}
}

static void vnet_slirp_timer_mod(void *timer, int64_t expire_ms, void *opaque)
{
	(void)opaque;
	((struct vnet_timer *)timer)->expire = expire_ms;
}

static void vnet_slirp_nop_fd(int fd, void *opaque)
{
	(void)fd;
	(void)opaque;
}

static void vnet_slirp_notify(void *opaque)
{
	(void)opaque;
}

static const SlirpCb vnet_slirp_cb = {
	.send_packet = vnet_slirp_send,
	.guest_error = vnet_slirp_guest_error,
	.clock_get_ns = vnet_slirp_clock,
	.timer_new = vnet_slirp_timer_new,
	.timer_free = vnet_slirp_timer_free,
	.timer_mod = vnet_slirp_timer_mod,
	.register_poll_fd = vnet_slirp_nop_fd,
	.unregister_poll_fd = vnet_slirp_nop_fd,
	.notify = vnet_slirp_notify,
};

static int vnet_slirp_add_poll(int fd, int events, void *opaque)
{
	struct vnet_slirp *st = opaque;
	struct pollfd *p;

	if (st->npfd == st->cap) {
		p = realloc(st->pfd, (st->cap * 2) * sizeof(*p));
		if (!p)
			return -1;
		st->pfd = p;
		st->cap *= 2;
	}
	p = &st->pfd[st->npfd];
	p->fd = fd;
	p->events = (events & SLIRP_POLL_IN ? POLLIN : 0) |
		    (events & SLIRP_POLL_OUT ? POLLOUT : 0) |
		    (events & SLIRP_POLL_PRI ? POLLPRI : 0);
	p->revents = 0;
	return st->npfd++;
}

static int vnet_slirp_revents(int idx, void *opaque)
{
	struct vnet_slirp *st = opaque;
	short r;

	if (idx < 0 || idx >= st->npfd)
		return 0;
	r = st->pfd[idx].revents;
	return (r & POLLIN ? SLIRP_POLL_IN : 0) |
	       (r & POLLOUT ? SLIRP_POLL_OUT : 0) |
	       (r & POLLPRI ? SLIRP_POLL_PRI : 0) |
	       (r & POLLERR ? SLIRP_POLL_ERR : 0) |
	       (r & POLLHUP ? SLIRP_POLL_HUP : 0);
}

/* Run the timers that are due; Return: ms to the next one, or UINT32_MAX */
static uint32_t vnet_slirp_timers(struct vnet_slirp *st)
{
	int64_t now = vnet_slirp_clock(NULL) / 1000000, next = -1;
	struct vnet_timer *t;
	int fired;

	do {
		fired = 0;
		for (t = st->timers; t; t = t->next) {
			if (t->expire < 0 || t->expire > now)
				continue;
			t->expire = -1;
			t->cb(t->opaque);
			fired = 1;
			break;	/* the callback may have changed the list */
		}
	} while (fired);
	for (t = st->timers; t; t = t->next)
		if (t->expire >= 0 && (next < 0 || t->expire < next))
			next = t->expire;
	return next < 0 ? UINT32_MAX : (uint32_t)(next - now);
}

static Slirp *vnet_slirp_new(struct vnet_slirp *st, uint32_t flags)
{
	SlirpConfig cfg;

	memset(&cfg, 0, sizeof(cfg));
	cfg.version = 1;
	cfg.in_enabled = true;
	inet_pton(AF_INET, "10.0.2.0", &cfg.vnetwork);
	inet_pton(AF_INET, "255.255.255.0", &cfg.vnetmask);
	inet_pton(AF_INET, VNET_NAT_GATEWAY, &cfg.vhost);
	inet_pton(AF_INET, "10.0.2.15", &cfg.vdhcp_start);
	inet_pton(AF_INET, VNET_NAT_DNS, &cfg.vnameserver);
	cfg.in6_enabled = true;
	inet_pton(AF_INET6, "fd00::", &cfg.vprefix_addr6);
	cfg.vprefix_len = 64;
	inet_pton(AF_INET6, VNET_NAT_GATEWAY6, &cfg.vhost6);
	inet_pton(AF_INET6, VNET_NAT_DNS6, &cfg.vnameserver6);
	cfg.if_mtu = cfg.if_mru = VNET_NAT_MTU;
	cfg.disable_host_loopback = !(flags & VNET_F_HOST_LOOPBACK);
	return sym_slirp_new(&cfg, &vnet_slirp_cb, st);
}

/* Frames from tap0 into libslirp */
static void vnet_slirp_input(Slirp *slirp, struct vnet_slirp *st)
{
	static uint8_t buf[VNET_NAT_MTU + 64];
	ssize_t n;
	int i;

	for (i = 0; i < 64; i++) {
		n = read(st->tap, buf, sizeof(buf));
		if (n <= 0)
			return;
		sym_slirp_input(slirp, buf, (int)n);
	}
}

static void vnet_slirp_loop(Slirp *slirp, struct vnet_slirp *st, int ctl)
{
	uint32_t timeout;
	int ret;

	for (;;) {
		st->npfd = 2;
		st->pfd[0] = (struct pollfd){ st->tap, POLLIN, 0 };
		st->pfd[1] = (struct pollfd){ ctl, POLLIN, 0 };
		timeout = vnet_slirp_timers(st);
		sym_slirp_pollfds_fill(slirp, &timeout, vnet_slirp_add_poll, st);
		ret = poll(st->pfd, st->npfd,
			   timeout == UINT32_MAX ? -1 : (int)timeout);
		if (ret < 0 && errno != EINTR)
			return;
		if (st->pfd[1].revents)
			return;	/* the keeper is gone */
		sym_slirp_pollfds_poll(slirp, ret < 0, vnet_slirp_revents, st);
		if (st->pfd[0].revents & POLLIN)
			vnet_slirp_input(slirp, st);
	}
}

/* Receive tap0's fd on @ctl; Return: it, or -1 */
static int vnet_slirp_recv_tap(int ctl)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	char byte;
	struct iovec iov = { &byte, 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = u.buf,
			      .msg_controllen = sizeof(u.buf) };
	struct cmsghdr *c;
	int fd = -1;

	if (recvmsg(ctl, &msg, MSG_CMSG_CLOEXEC) <= 0)
		return -1;
	c = CMSG_FIRSTHDR(&msg);
	if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
		memcpy(&fd, CMSG_DATA(c), sizeof(int));
	return fd;
}

static void __attribute__((noreturn)) vnet_slirp_main(int ctl, uint32_t flags)
{
	struct vnet_slirp st = { .tap = -1 };
	int32_t err = 0;
	Slirp *slirp;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	prctl(PR_SET_NAME, "facet-slirp");
	st.cap = 16;
	st.pfd = calloc(st.cap, sizeof(*st.pfd));
	st.tap = vnet_slirp_recv_tap(ctl);
	if (st.tap < 0 || !st.pfd)
		_exit(1);
	fcntl(st.tap, F_SETFL, fcntl(st.tap, F_GETFL) | O_NONBLOCK);
	slirp = vnet_slirp_new(&st, flags);
	if (!slirp)
		err = EIO;
	if (write(ctl, &err, sizeof(err)) != sizeof(err) || err)
		_exit(1);
	vnet_slirp_loop(slirp, &st, ctl);
	_exit(0);
}

/**
 * vnet_slirp_spawn() - Fork the NAT helper; call before leaving the host's
 * network namespace
 * @flags:	VNET_F_* of the network
 * @msg:	On failure, what went wrong for the user
 * @cap:	Size of @msg
 *
 * Return: the control socket to the helper, or -errno
 */
int vnet_slirp_spawn(uint32_t flags, char *msg, size_t cap)
{
	struct facet_err err;
	int sp[2], ret;
	pid_t pid;

	ret = facet_lib_load(&vnet_slirp_lib, "--net nat", &err);
	if (ret < 0) {
		snprintf(msg, cap, "%s", err.msg);
		return ret;
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) < 0)
		goto err;
	pid = fork();
	if (pid < 0) {
		ret = -errno;
		close(sp[0]);
		close(sp[1]);
		errno = -ret;
		goto err;
	}
	if (!pid) {
		close(sp[0]);
		vnet_slirp_main(sp[1], flags);
	}
	close(sp[1]);
	return sp[0];
err:
	ret = -errno;
	snprintf(msg, cap, "cannot start the NAT helper: %s", strerror(errno));
	return ret;
}

/**
 * vnet_slirp_attach() - Hand tap0 to the helper and wait until it serves
 * @ctl:	From vnet_slirp_spawn()
 * @tap:	tap0's fd (the caller still closes it)
 * @msg:	On failure, what went wrong for the user
 * @cap:	Size of @msg
 *
 * Return: 0 or -errno
 */
int vnet_slirp_attach(int ctl, int tap, char *msg, size_t cap)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	char byte = 0;
	struct iovec iov = { &byte, 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = u.buf,
			    .msg_controllen = sizeof(u.buf) };
	struct pollfd p = { .fd = ctl, .events = POLLIN };
	struct cmsghdr *c;
	int32_t err = EIO;

	memset(&u, 0, sizeof(u));
	c = CMSG_FIRSTHDR(&m);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &tap, sizeof(int));
	if (sendmsg(ctl, &m, MSG_NOSIGNAL) < 0 || poll(&p, 1, 5000) <= 0 ||
	    read(ctl, &err, sizeof(err)) != sizeof(err) || err) {
		snprintf(msg, cap, "the NAT helper (libslirp) did not start");
		return -(err ? err : EIO);
	}
	return 0;
}
