// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vnet/vnet_fast.c - NAT: outbound TCP made by the host's own stack
 *
 * DOC: The TCP fast path
 *
 * Through libslirp every byte of a NAT connection crosses the tap twice
 * and libslirp's user-space TCP once; slirp4netns is the same engine, so
 * it cannot be beaten by tuning.  But the module already sits at the
 * system-call level, where the connection is made.  When a guest TCP
 * socket that was not bound connect()s to an address outside the network
 * (not the loopback, not 10.0.2.0/24 or fd00::/64; the gateway only as the
 * host's loopback with --net-host-loopback), the module makes a socket in
 * the host's stack instead, gives it the guest socket's options (those
 * that differ from a fresh socket's), its O_NONBLOCK and close-on-exec
 * flags, starts the connection without blocking, and puts it at the same
 * fd number (facet_replace_fd()).  A nonblocking caller gets 0 or
 * EINPROGRESS from that connect; a blocking one has its own connect()
 * passed on to the kernel, which then waits for the connection already
 * under way (a connect() on a connecting TCP socket waits, and ignores the
 * address), so EINTR, SO_SNDTIMEO and the errors are the kernel's.
 *
 * The program cannot tell: getsockname() on such a socket answers the
 * guest address (10.0.2.100, fd00::100) with the real port, getpeername()
 * the gateway for the host's loopback.  The sockets are known by inode, in
 * a table shared by the view's processes.  Not on the fast path: UDP,
 * listening and explicitly bound sockets, sockets bound to a device or
 * with TCP_FASTOPEN_CONNECT, options the host's stack refuses an ordinary
 * user (SO_MARK, IP_TRANSPARENT), calls at a ptrace stop (another module
 * rewrites connect()), and connections made while `facet net capture` runs
 * (so that it sees them): all of those take libslirp's path as before.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "vnet.h"
#include "../../core/procfs.h"

#ifndef SO_NETNS_COOKIE
#define SO_NETNS_COOKIE	71
#endif
#ifndef TCP_FASTOPEN_CONNECT
#define TCP_FASTOPEN_CONNECT 30
#endif

/* Families the options below apply to */
#define VNET_FAST_V4		1
#define VNET_FAST_V6		2
#define VNET_FAST_ANY		(VNET_FAST_V4 | VNET_FAST_V6)

/**
 * struct vnet_fast_opt - A socket option carried over to the host socket
 * @level:	setsockopt() level
 * @name:	Option
 * @fam:	VNET_FAST_V4, VNET_FAST_V6 or both
 * @half:	The value read back is twice the one set (buffer sizes)
 */
struct vnet_fast_opt {
	int level, name;
	int fam;
	int half;
};

static const struct vnet_fast_opt vnet_fast_opts[VNET_FAST_NOPTS] = {
	{ SOL_SOCKET, SO_REUSEADDR, VNET_FAST_ANY, 0 },
	{ SOL_SOCKET, SO_REUSEPORT, VNET_FAST_ANY, 0 },
	{ SOL_SOCKET, SO_KEEPALIVE, VNET_FAST_ANY, 0 },
	{ SOL_SOCKET, SO_LINGER, VNET_FAST_ANY, 0 },
	{ SOL_SOCKET, SO_RCVBUF, VNET_FAST_ANY, 1 },
	{ SOL_SOCKET, SO_SNDBUF, VNET_FAST_ANY, 1 },
	{ SOL_SOCKET, SO_RCVLOWAT, VNET_FAST_ANY, 0 },
	{ SOL_SOCKET, SO_RCVTIMEO, VNET_FAST_ANY, 0 },
	{ SOL_SOCKET, SO_SNDTIMEO, VNET_FAST_ANY, 0 },
	{ SOL_SOCKET, SO_PRIORITY, VNET_FAST_ANY, 0 },
	{ SOL_SOCKET, SO_OOBINLINE, VNET_FAST_ANY, 0 },
	{ SOL_SOCKET, SO_TIMESTAMP, VNET_FAST_ANY, 0 },
	{ SOL_SOCKET, SO_TIMESTAMPNS, VNET_FAST_ANY, 0 },
	{ SOL_SOCKET, SO_MARK, VNET_FAST_ANY, 0 },
	{ SOL_SOCKET, SO_BUSY_POLL, VNET_FAST_ANY, 0 },
	{ SOL_SOCKET, SO_ZEROCOPY, VNET_FAST_ANY, 0 },
	{ IPPROTO_IP, IP_TOS, VNET_FAST_V4, 0 },
	{ IPPROTO_IP, IP_TTL, VNET_FAST_V4, 0 },
	{ IPPROTO_IP, IP_RECVERR, VNET_FAST_V4, 0 },
	{ IPPROTO_IP, IP_MTU_DISCOVER, VNET_FAST_V4, 0 },
	{ IPPROTO_IP, IP_FREEBIND, VNET_FAST_V4, 0 },
	{ IPPROTO_IP, IP_TRANSPARENT, VNET_FAST_V4, 0 },
	{ IPPROTO_IPV6, IPV6_V6ONLY, VNET_FAST_V6, 0 },
	{ IPPROTO_IPV6, IPV6_TCLASS, VNET_FAST_V6, 0 },
	{ IPPROTO_IPV6, IPV6_UNICAST_HOPS, VNET_FAST_V6, 0 },
	{ IPPROTO_IPV6, IPV6_RECVERR, VNET_FAST_V6, 0 },
	{ IPPROTO_IPV6, IPV6_MTU_DISCOVER, VNET_FAST_V6, 0 },
	{ IPPROTO_IPV6, IPV6_TRANSPARENT, VNET_FAST_V6, 0 },
	{ IPPROTO_TCP, TCP_NODELAY, VNET_FAST_ANY, 0 },
	{ IPPROTO_TCP, TCP_CORK, VNET_FAST_ANY, 0 },
	{ IPPROTO_TCP, TCP_MAXSEG, VNET_FAST_ANY, 0 },
	{ IPPROTO_TCP, TCP_KEEPIDLE, VNET_FAST_ANY, 0 },
	{ IPPROTO_TCP, TCP_KEEPINTVL, VNET_FAST_ANY, 0 },
	{ IPPROTO_TCP, TCP_KEEPCNT, VNET_FAST_ANY, 0 },
	{ IPPROTO_TCP, TCP_SYNCNT, VNET_FAST_ANY, 0 },
	{ IPPROTO_TCP, TCP_LINGER2, VNET_FAST_ANY, 0 },
	{ IPPROTO_TCP, TCP_WINDOW_CLAMP, VNET_FAST_ANY, 0 },
	{ IPPROTO_TCP, TCP_CONGESTION, VNET_FAST_ANY, 0 },
	{ IPPROTO_TCP, TCP_USER_TIMEOUT, VNET_FAST_ANY, 0 },
	{ IPPROTO_TCP, TCP_NOTSENT_LOWAT, VNET_FAST_ANY, 0 },
	{ IPPROTO_TCP, TCP_THIN_LINEAR_TIMEOUTS, VNET_FAST_ANY, 0 },
	{ IPPROTO_TCP, TCP_INQ, VNET_FAST_ANY, 0 },
	{ SOL_SOCKET, SO_BINDTODEVICE, VNET_FAST_ANY, 0 },
	{ IPPROTO_TCP, TCP_FASTOPEN_CONNECT, VNET_FAST_ANY, 0 },
};

/* The last two: set at all, the connection stays in the network */
#define VNET_FAST_FIRST_REFUSED	(VNET_FAST_NOPTS - 2)

static int vnet_fast_fam(int family)
{
	return family == AF_INET6 ? VNET_FAST_V6 : VNET_FAST_V4;
}

/* IPv4 @a (host order): where the host's stack should connect, or 0 */
static uint32_t vnet_fast_dest4(uint32_t a, int host_loopback)
{
	if ((a >> 24) == 0 || (a >> 24) == 127 || (a >> 28) == 0xe ||
	    a == 0xffffffffu)
		return 0;
	if ((a & 0xffffff00u) == 0x0a000200u)	/* 10.0.2.0/24 */
		return host_loopback && a == 0x0a000202u ? 0x7f000001u : 0;
	return a;
}

/* IPv6 @a: rewritten in place; Return: 1 if the host's stack takes it */
static int vnet_fast_dest6(struct in6_addr *a, int host_loopback)
{
	static const uint8_t gw[16] = { 0xfd, [15] = 2 };
	uint32_t v4;

	if (IN6_IS_ADDR_V4MAPPED(a)) {
		memcpy(&v4, &a->s6_addr[12], 4);
		v4 = htonl(vnet_fast_dest4(ntohl(v4), host_loopback));
		memcpy(&a->s6_addr[12], &v4, 4);
		return v4 != 0;
	}
	if (IN6_IS_ADDR_UNSPECIFIED(a) || IN6_IS_ADDR_LOOPBACK(a) ||
	    IN6_IS_ADDR_LINKLOCAL(a) || IN6_IS_ADDR_MULTICAST(a) ||
	    IN6_IS_ADDR_V4COMPAT(a))
		return 0;
	if (a->s6_addr[0] != 0xfd || memcmp(a->s6_addr + 1, gw + 1, 7))
		return 1;			/* outside fd00::/64 */
	if (!host_loopback || memcmp(a->s6_addr, gw, 16))
		return 0;
	*a = in6addr_loopback;
	return 1;
}

/**
 * vnet_fast_dest() - Where the host's stack should make a guest connection
 * @sa:		The address given to connect()
 * @len:	Its length
 * @host_loopback: The network maps its gateway to the host's loopback
 * @out:	The host's destination
 *
 * Return: its length, or 0 when the connection stays in the network
 */
socklen_t vnet_fast_dest(const struct sockaddr *sa, socklen_t len,
			 int host_loopback, struct sockaddr_storage *out)
{
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)out;
	struct sockaddr_in *s4 = (struct sockaddr_in *)out;
	uint32_t a;

	memset(out, 0, sizeof(*out));
	if (sa->sa_family == AF_INET && len >= sizeof(*s4)) {
		memcpy(s4, sa, sizeof(*s4));
		a = vnet_fast_dest4(ntohl(s4->sin_addr.s_addr), host_loopback);
		s4->sin_addr.s_addr = htonl(a);
		memset(s4->sin_zero, 0, sizeof(s4->sin_zero));
		return a && s4->sin_port ? sizeof(*s4) : 0;
	}
	if (sa->sa_family == AF_INET6 && len >= sizeof(*s6)) {
		memcpy(s6, sa, sizeof(*s6));
		s6->sin6_scope_id = 0;
		return vnet_fast_dest6(&s6->sin6_addr, host_loopback) &&
		       s6->sin6_port ? sizeof(*s6) : 0;
	}
	return 0;
}

/**
 * vnet_fast_guest_addr() - What getsockname()/getpeername() show the guest
 * @sa:		The host's answer, changed in place
 * @peer:	getpeername() rather than getsockname()
 * @host_loopback: The gateway stands for the host's loopback
 *
 * The local address becomes the guest's (10.0.2.100, fd00::100, or the
 * v4-mapped 10.0.2.100), the port stays; a peer on the host's loopback
 * becomes the gateway.  Unspecified addresses (not connected) stay.
 */
void vnet_fast_guest_addr(struct sockaddr_storage *sa, int peer,
			  int host_loopback)
{
	static const uint8_t guest6[16] = { 0xfd, [14] = 0x01 };
	static const uint8_t gw6[16] = { 0xfd, [15] = 2 };
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)sa;
	struct sockaddr_in *s4 = (struct sockaddr_in *)sa;
	uint32_t *v4 = NULL, guest = 0x0a000264u, gw = 0x0a000202u;

	if (sa->ss_family == AF_INET)
		v4 = &s4->sin_addr.s_addr;
	else if (sa->ss_family == AF_INET6 &&
		 IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr))
		v4 = (uint32_t *)&s6->sin6_addr.s6_addr[12];
	if (v4) {
		if (!*v4)
			return;
		if (!peer)
			*v4 = htonl(guest);
		else if (host_loopback && *v4 == htonl(0x7f000001u))
			*v4 = htonl(gw);
		return;
	}
	if (sa->ss_family != AF_INET6 ||
	    IN6_IS_ADDR_UNSPECIFIED(&s6->sin6_addr))
		return;
	if (!peer)
		memcpy(&s6->sin6_addr, guest6, 16);
	else if (host_loopback && IN6_IS_ADDR_LOOPBACK(&s6->sin6_addr))
		memcpy(&s6->sin6_addr, gw6, 16);
	if (!peer || host_loopback)
		s6->sin6_scope_id = 0;
}

/* The inode of the caller's @fd, 0 if it is not a socket */
static ino_t vnet_fast_ino(const struct vnet_fast *f, struct facet_call *call,
		      int fd)
{
	char path[64], link[64];
	unsigned long ino;
	struct stat st;
	ssize_t n;

	if (f->in_caller)
		return !fstat(fd, &st) && S_ISSOCK(st.st_mode) ? st.st_ino : 0;
	snprintf(path, sizeof(path), "/proc/%d/fd/%d", facet_tid(call), fd);
	n = readlink(path, link, sizeof(link) - 1);
	if (n <= 0)
		return 0;
	link[n] = '\0';
	return sscanf(link, "socket:[%lu]", &ino) == 1 ? (ino_t)ino : 0;
}

/*
 * The first slot of @ino.  Inode numbers come in runs with a stride (each
 * connection makes several sockets, CPUs take numbers in batches): taken
 * modulo the table size they pile up on the same slots, so they are
 * spread by Fibonacci hashing.
 */
static unsigned int vnet_fast_slot(ino_t ino)
{
	return (unsigned int)(((uint64_t)ino * 0x9e3779b97f4a7c15ull) >>
			      (64 - VNET_FAST_SLOT_BITS));
}

static int vnet_fast_known(const struct vnet_fast *f, ino_t ino)
{
	unsigned int i, h = vnet_fast_slot(ino);

	for (i = 0; i < VNET_FAST_PROBES; i++)
		if (__atomic_load_n(&f->table[(h + i) % VNET_FAST_SLOTS],
				    __ATOMIC_RELAXED) == ino)
			return 1;
	return 0;
}

/* Remember @ino; when all its slots are taken, the first one is reused */
static void vnet_fast_remember(struct vnet_fast *f, ino_t ino)
{
	unsigned int i, h = vnet_fast_slot(ino);
	ino_t *slot, empty;

	for (i = 0; i < VNET_FAST_PROBES; i++) {
		slot = &f->table[(h + i) % VNET_FAST_SLOTS];
		empty = 0;
		if (__atomic_compare_exchange_n(slot, &empty, ino, 0,
						__ATOMIC_RELAXED,
						__ATOMIC_RELAXED))
			return;
	}
	__atomic_store_n(&f->table[h], ino, __ATOMIC_RELAXED);
}

/* A copy of the caller's @fd in this process; Return: fd or -errno */
static int vnet_fast_caller_fd(const struct vnet_fast *f,
			       struct facet_call *call, int fd)
{
	return facet_procfs_caller_fd(facet_pid(call), facet_tid(call), fd,
				      f->in_caller);
}

/* Close-on-exec of the caller's @fd: from fdinfo when it is elsewhere */
static int vnet_fast_caller_cloexec(const struct vnet_fast *f,
			       struct facet_call *call, int fd)
{
	char path[64], buf[256], *p;
	unsigned long flags;
	ssize_t n;
	int pfd;

	if (f->in_caller)
		return fcntl(fd, F_GETFD) > 0;
	snprintf(path, sizeof(path), "/proc/%d/fdinfo/%d", facet_tid(call),
		 fd);
	pfd = open(path, O_RDONLY | O_CLOEXEC);
	if (pfd < 0)
		return 1;
	n = read(pfd, buf, sizeof(buf) - 1);
	close(pfd);
	if (n <= 0)
		return 1;
	buf[n] = '\0';
	p = strstr(buf, "flags:");
	if (!p || sscanf(p + 6, "%lo", &flags) != 1)
		return 1;
	return !!(flags & O_CLOEXEC);
}

static uint64_t vnet_fast_cookie(int fd)
{
	socklen_t len = sizeof(uint64_t);
	uint64_t c = 0;

	if (getsockopt(fd, SOL_SOCKET, SO_NETNS_COOKIE, &c, &len) < 0)
		return 0;
	return c;
}

static int vnet_fast_int(int fd, int level, int name)
{
	socklen_t len = sizeof(int);
	int v = -1;

	if (getsockopt(fd, level, name, &v, &len) < 0)
		return -1;
	return v;
}

/**
 * vnet_fast_set_ref() - Note a fresh guest socket's option values
 * @f:		Fast path state
 * @family:	AF_INET or AF_INET6
 * @fd:		A socket just made in the network, not used otherwise
 *
 * Options of a guest socket that differ from these were set by the
 * program, and are carried over.
 */
void vnet_fast_set_ref(struct vnet_fast *f, int family, int fd)
{
	struct vnet_fast_vals *ref = &f->ref[family == AF_INET6];
	int i;

	for (i = 0; i < VNET_FAST_NOPTS; i++) {
		ref->len[i] = sizeof(ref->val[i]);
		if (getsockopt(fd, vnet_fast_opts[i].level,
			       vnet_fast_opts[i].name, ref->val[i],
			       &ref->len[i]) < 0)
			ref->len[i] = 0;
	}
	ref->valid = 1;
	if (!f->net_cookie)
		f->net_cookie = vnet_fast_cookie(fd);
}

/* Give @host the options @guest has that a fresh socket lacks; 0 or -1 */
static int vnet_fast_copy_opts(const struct vnet_fast *f, int family, int guest,
			  int host)
{
	const struct vnet_fast_vals *ref = &f->ref[family == AF_INET6];
	const struct vnet_fast_opt *o;
	unsigned char val[VNET_FAST_VAL];
	socklen_t len;
	int i, v;

	for (i = 0; i < VNET_FAST_NOPTS; i++) {
		o = &vnet_fast_opts[i];
		if (!(o->fam & vnet_fast_fam(family)))
			continue;
		len = sizeof(val);
		if (getsockopt(guest, o->level, o->name, val, &len) < 0)
			continue;
		if (len == ref->len[i] && !memcmp(val, ref->val[i], len))
			continue;
		if (i >= VNET_FAST_FIRST_REFUSED)
			return -1;
		if (o->half) {
			memcpy(&v, val, sizeof(v));
			v /= 2;
			memcpy(val, &v, sizeof(v));
		}
		if (setsockopt(host, o->level, o->name, val, len) < 0)
			return -1;
	}
	return 0;
}

/* Is the caller's socket @guest a fresh TCP one of @family, in the net? */
static int vnet_fast_eligible(const struct vnet_fast *f, int guest, int family)
{
	struct sockaddr_storage local;
	socklen_t len = sizeof(local);
	uint16_t port;

	if (vnet_fast_int(guest, SOL_SOCKET, SO_DOMAIN) != family ||
	    vnet_fast_int(guest, SOL_SOCKET, SO_TYPE) != SOCK_STREAM ||
	    vnet_fast_int(guest, SOL_SOCKET, SO_PROTOCOL) != IPPROTO_TCP ||
	    vnet_fast_int(guest, SOL_SOCKET, SO_ACCEPTCONN) != 0)
		return 0;
	if (f->net_cookie && vnet_fast_cookie(guest) != f->net_cookie)
		return 0;		/* made on the host already */
	if (syscall(SYS_getsockname, guest, &local, &len) < 0)
		return 0;
	/* bound explicitly: the address or port is the program's choice */
	if (family == AF_INET) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&local;

		port = s4->sin_port;
		if (s4->sin_addr.s_addr != htonl(INADDR_ANY))
			return 0;
	} else {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&local;

		port = s6->sin6_port;
		if (!IN6_IS_ADDR_UNSPECIFIED(&s6->sin6_addr))
			return 0;
	}
	if (port)
		return 0;
	len = sizeof(local);
	return syscall(SYS_getpeername, guest, &local, &len) < 0 &&
	       errno == ENOTCONN;
}

/*
 * Start connecting @sock to @dst without blocking, then give it back the
 * file status flags @fl.  Return: connect()'s result, 0 or -errno
 */
static int vnet_fast_start(int sock, const struct sockaddr_storage *dst,
		      socklen_t dstlen, int fl)
{
	int res;

	if (fcntl(sock, F_SETFL, fl | O_NONBLOCK) < 0)
		return -errno;
	res = syscall(SYS_connect, sock, dst, dstlen) < 0 ? -errno : 0;
	fcntl(sock, F_SETFL, fl);
	return res;
}

/* What the caller gets for @res: a blocking connect() waits in the kernel */
static enum facet_verdict vnet_fast_result(struct facet_call *call, int res,
				      int fl)
{
	if (res == -EINPROGRESS && !(fl & O_NONBLOCK))
		return FACET_CONTINUE;	/* it waits for the one under way */
	facet_return(call, res);
	return FACET_DONE;
}

/* A host socket like @guest (options, close-on-exec), or -1 */
static int vnet_fast_host_socket(const struct vnet_fast *f,
				 struct facet_call *call, int guest, int family)
{
	int host;

	host = (int)syscall(SYS_socket, family, SOCK_STREAM | SOCK_CLOEXEC,
			    IPPROTO_TCP);
	if (host < 0)
		return -1;
	if (vnet_fast_copy_opts(f, family, guest, host) < 0) {
		close(host);
		return -1;
	}
	if (!vnet_fast_caller_cloexec(f, call, (int)facet_arg(call, 0)))
		fcntl(host, F_SETFD, 0);
	return host;
}

/*
 * Put a host socket in place of the caller's @guest and start its
 * connection.  Return: FACET_CONTINUE when nothing was done
 */
static enum facet_verdict vnet_fast_swap(struct vnet_fast *f,
				    struct facet_call *call, int guest,
				    int family,
				    const struct sockaddr_storage *dst,
				    socklen_t dstlen)
{
	int fl = fcntl(guest, F_GETFL), host, keep, res;
	struct stat st;

	if (fl < 0)
		return FACET_CONTINUE;
	host = vnet_fast_host_socket(f, call, guest, family);
	if (host < 0)
		return FACET_CONTINUE;
	keep = fcntl(host, F_DUPFD_CLOEXEC, 0);
	if (keep < 0 || fstat(host, &st) < 0) {
		if (keep >= 0)
			close(keep);
		close(host);
		return FACET_CONTINUE;
	}
	/* in place first: a connection is started only for the caller */
	if (facet_replace_fd(call, host, (int)facet_arg(call, 0)) < 0) {
		close(keep);
		return FACET_CONTINUE;
	}
	vnet_fast_remember(f, st.st_ino);
	res = vnet_fast_start(keep, dst, dstlen, fl);
	close(keep);
	return vnet_fast_result(call, res, fl);
}

/*
 * Is the network being captured?  `facet net capture` holds a lock on
 * NAME.capture for as long as it runs; connections then stay in the
 * network, where the capture sees them.  One failed open() when not.
 */
static int vnet_fast_captured(const struct vnet_fast *f)
{
	int fd = open(f->capture, O_RDONLY | O_CLOEXEC), busy;

	if (fd < 0)
		return 0;
	busy = flock(fd, LOCK_EX | LOCK_NB) < 0 && errno == EWOULDBLOCK;
	close(fd);
	return busy;
}

/* A fast-path socket connected again: to the host's destination, if other */
static enum facet_verdict vnet_fast_again(struct facet_call *call, int sock,
					  const struct sockaddr *sa,
					  const struct sockaddr_storage *dst,
					  socklen_t dstlen)
{
	int fl = fcntl(sock, F_GETFL);

	if (fl < 0 || !memcmp(dst, sa, dstlen))
		return FACET_CONTINUE;
	return vnet_fast_result(call, vnet_fast_start(sock, dst, dstlen, fl),
				fl);
}

/**
 * vnet_fast_connect() - Make a guest's connect() in the host's stack
 * @f:		Fast path state, with the reference values for the family
 * @call:	The connect() call
 * @sa:		Its address, read from the caller
 * @len:	Its length
 *
 * A socket already on the fast path (a program may connect again after a
 * failure) is connected to the host's destination again, if that differs.
 *
 * Return: FACET_CONTINUE to let the kernel do the call (on the guest
 * socket, or on the host socket put in its place), FACET_DONE when the
 * result is set
 */
enum facet_verdict vnet_fast_connect(struct vnet_fast *f,
				     struct facet_call *call,
				     const struct sockaddr *sa, socklen_t len)
{
	int fd = (int)facet_arg(call, 0), guest;
	enum facet_verdict v = FACET_CONTINUE;
	struct sockaddr_storage dst;
	socklen_t dstlen;
	struct stat st;

	dstlen = vnet_fast_dest(sa, len, f->host_loopback, &dst);
	if (!dstlen)
		return FACET_CONTINUE;
	guest = vnet_fast_caller_fd(f, call, fd);
	if (guest < 0)
		return FACET_CONTINUE;
	if (!fstat(guest, &st) && vnet_fast_known(f, st.st_ino))
		v = vnet_fast_again(call, guest, sa, &dst, dstlen);
	else if (vnet_fast_eligible(f, guest, sa->sa_family) &&
		 !vnet_fast_captured(f))
		v = vnet_fast_swap(f, call, guest, sa->sa_family, &dst, dstlen);
	close(guest);
	return v;
}

/**
 * vnet_fast_name() - getsockname()/getpeername() on a fast-path socket
 * @f:		Fast path state
 * @call:	The call
 * @peer:	getpeername()
 *
 * Return: FACET_CONTINUE for any other socket, else FACET_DONE with the
 * host's answer in guest terms (vnet_fast_guest_addr())
 */
enum facet_verdict vnet_fast_name(struct vnet_fast *f,
				  struct facet_call *call, int peer)
{
	uintptr_t addr = (uintptr_t)facet_arg(call, 1);
	uintptr_t lenp = (uintptr_t)facet_arg(call, 2);
	int fd = (int)facet_arg(call, 0), local, ret;
	struct sockaddr_storage sa;
	socklen_t len = sizeof(sa), cap;
	ino_t ino = vnet_fast_ino(f, call, fd);

	if (!ino || !vnet_fast_known(f, ino))
		return FACET_CONTINUE;
	if (facet_peek(call, &cap, lenp, sizeof(cap)) != sizeof(cap))
		return FACET_CONTINUE;	/* the kernel says EFAULT */
	if ((int)cap < 0)
		return FACET_CONTINUE;
	local = vnet_fast_caller_fd(f, call, fd);
	if (local < 0)
		return FACET_CONTINUE;
	ret = (int)syscall(peer ? SYS_getpeername : SYS_getsockname, local,
			   &sa, &len);
	ret = ret < 0 ? -errno : 0;
	close(local);
	if (!ret) {
		vnet_fast_guest_addr(&sa, peer, f->host_loopback);
		if (facet_poke(call, addr, &sa, cap < len ? cap : len) < 0 ||
		    facet_poke(call, lenp, &len, sizeof(len)) < 0)
			ret = -EFAULT;
	}
	facet_return(call, ret);
	return FACET_DONE;
}
