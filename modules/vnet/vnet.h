// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vnet/vnet.h - Private network stacks: keeper protocol and helpers
 *
 * DOC: Theory of operation
 *
 * A network is a keeper process that sits in its own network namespace
 * (and, for an ordinary user, its own user namespace, in which the user is
 * root).  It listens on a unix SOCK_SEQPACKET socket in a 0700 runtime
 * directory of the user, and answers small fixed-size requests:
 *
 *   HELLO    the first message on every connection: is this a user of the
 *            network (it then keeps the keeper alive) or a look-up (net
 *            list, remove, capture)?  Answers with the network's info.
 *   SOCKET   socket(family, type, protocol) made in the namespace, 1 to
 *            VNET_BATCH_MAX times (flags); the fds come back with
 *            SCM_RIGHTS.
 *   PUBLISH  the request carries a listening socket made in the host's
 *            namespace; the keeper forwards what arrives on it to a port
 *            on the namespace's loopback, for as long as the connection
 *            that sent it stays open.
 *   STOP     the keeper ends (facet net remove).
 *   FEED     socket(family, type, protocol) made ahead: from then on the
 *            keeper keeps the connection's queue filled with fresh sockets
 *            of that kind, one per message (vnet_feed.c), after a first
 *            message with the keeper's sign of life; the connection takes
 *            no more requests.
 *   ATTACH   the request carries one end of a unix SOCK_SEQPACKET pair:
 *            the keeper serves it as a new connection, without looking
 *            at its peer's credentials (it came over a connection that
 *            passed that check).  No answer: the connection it is sent
 *            on may be shared by several processes (vnet_client.c).
 *   OPEN     open /proc/self/net/NAME (flags: the open() flags) in the
 *            keeper, the fd sent back (vnet_procnet.c).
 *
 * A socket the keeper made is the program's alone once the program has
 * it: the keeper closes its own copy before (a copy kept elsewhere would
 * keep the connection open after the program's close(), and its port
 * bound).  An answer to SOCKET is followed by a second message once the
 * keeper's copies are closed; a feed's sockets carry the batch they were
 * sent in, and the keeper's sign of life says which batches it closed.
 *
 * The keeper checks SO_PEERCRED on every connection it accepts: only its
 * own user may talk to it, or a connection ATTACHed by one that did.  It
 * ends when its last user connection closes, unless it was made by
 * `facet net create`.
 */
#ifndef FACET_VNET_VNET_H
#define FACET_VNET_VNET_H

#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/un.h>

#include <facet/module.h>

#define VNET_NAME_MAX		64
#define VNET_PATH_MAX		sizeof(((struct sockaddr_un *)0)->sun_path)
#define VNET_PUBLISH_MAX	16
#define VNET_BATCH_MAX		32	/* sockets per SOCKET request */
#define VNET_PROCNET_NAME	64	/* OPEN: longest name, with its NUL */

enum vnet_op {
	VNET_OP_HELLO = 1,
	VNET_OP_SOCKET,
	VNET_OP_PUBLISH,
	VNET_OP_STOP,
	VNET_OP_FEED,
	VNET_OP_ATTACH,
	VNET_OP_OPEN,
};

/* FEED flags, in its first answer */
#define VNET_FEED_ALIVE		1	/* the sign of life came */

/* HELLO flags */
#define VNET_HELLO_USER		1	/* counts as a user of the network */

/* Keeper flags, in struct vnet_reply */
#define VNET_F_PERSISTENT	1	/* made by facet net create */
#define VNET_F_NAT		2
#define VNET_F_HOST_LOOPBACK	4	/* NAT: 10.0.2.2 is the host's lo */

/* The NAT network, as slirp4netns has it */
#define VNET_NAT_IF		"tap0"
#define VNET_NAT_GUEST		"10.0.2.100"
#define VNET_NAT_GATEWAY	"10.0.2.2"
#define VNET_NAT_DNS		"10.0.2.3"
#define VNET_NAT_GUEST6		"fd00::100"
#define VNET_NAT_GATEWAY6	"fd00::2"
#define VNET_NAT_DNS6		"fd00::3"
#define VNET_NAT_MTU		65520

/**
 * struct vnet_req - A request to a keeper
 * @op:		enum vnet_op
 * @flags:	HELLO: VNET_HELLO_* bits; SOCKET: how many (0 is 1); OPEN:
 *		open() flags
 * @family:	SOCKET, FEED: socket() arguments (FEED: @type without
 *		SOCK_NONBLOCK and SOCK_CLOEXEC)
 * @type:	SOCKET, FEED
 * @protocol:	SOCKET, FEED
 * @port:	PUBLISH: guest port, host byte order
 * @udp:	PUBLISH: the socket sent along is a UDP one
 * @name:	OPEN: the file under /proc/self/net, "" for the directory
 */
struct vnet_req {
	uint32_t op;
	uint32_t flags;
	int32_t family, type, protocol;
	uint16_t port;
	uint8_t udp;
	uint8_t pad;
	char name[VNET_PROCNET_NAME];
};

/**
 * struct vnet_reply - A keeper's answer
 * @err:	0 or a positive errno
 * @flags:	VNET_F_* bits; the first answer to FEED: VNET_FEED_* bits
 * @users:	Connections that count as users
 * @pid:	The keeper's pid (in the host's pid namespace)
 * @batch:	A feed's socket: the batch it was sent in (vnet_feed.c)
 */
struct vnet_reply {
	int32_t err;
	uint32_t flags;
	uint32_t users;
	int32_t pid;
	uint32_t batch;
};

/**
 * struct vnet_publish - A published port: [ADDR:]HOSTPORT:GUESTPORT[/udp]
 * @addr:	Host address to bind, text (IPv4 or IPv6)
 * @host_port:	Port on the host
 * @guest_port:	Port in the namespace
 * @udp:	UDP rather than TCP
 */
struct vnet_publish {
	char addr[64];
	uint16_t host_port, guest_port;
	int udp;
};

/**
 * struct vnet_keeper_cfg - What a new keeper is to be
 * @path:	Its control socket
 * @lock:	Lock file of a named network, "" for an anonymous one
 * @flags:	VNET_F_* bits
 * @resolv_conf: NAT: where the host's resolvers are listed
 *		($FACET_VNET_RESOLV_CONF, for tests, else /etc/resolv.conf)
 */
struct vnet_keeper_cfg {
	char path[VNET_PATH_MAX];
	char lock[VNET_PATH_MAX + 8];
	uint32_t flags;
	char resolv_conf[256];
};

/* vnet_opts.c: pure parsing */
int vnet_publish_parse(const char *spec, struct vnet_publish *p);
int vnet_name_valid(const char *name);

/* vnet_dir.c: the runtime directory */
int vnet_dir(char *buf, size_t cap, struct facet_err *err);
int vnet_sock_path(char *buf, size_t cap, const char *dir, const char *name,
		   const char *suffix);

/* vnet_client.c: talking to a keeper */
int vnet_connect(const char *path, uint32_t hello, struct vnet_reply *info,
		 int cloexec);
int vnet_connect_via(int via, uint32_t hello, struct vnet_reply *info,
		     int cloexec);
int vnet_send(int conn, const struct vnet_req *req, int send_fd);
int vnet_recv(int conn, struct vnet_reply *rep, int *fds, int nfds,
	      int cloexec, int nowait);
int vnet_call(int conn, const struct vnet_req *req, int send_fd,
	      struct vnet_reply *rep, int *fds, int nfds, int cloexec);
int vnet_sockets(int conn, int family, int type, int protocol, int *fds,
		 int n);
int vnet_socket(int conn, int family, int type, int protocol);
int vnet_publish_open(const struct vnet_publish *p, struct facet_err *err);
int vnet_lock(const char *dir, const char *name);
int vnet_join(const char *dir, const char *name, uint32_t flags,
	      uint32_t hello, int create_only, struct vnet_reply *info,
	      struct facet_err *err);

/**
 * struct vnet_alive - The keeper's sign of life, in memory shared with the
 * clients of its feeds (vnet_feed.c)
 * @lock:	Robust, process-shared; locked by the keeper for its lifetime
 * @closed:	The last batch of feed sockets whose keeper's copies are
 *		closed; a futex for the clients waiting for that
 * @waiters:	Some client waits on @closed
 */
struct vnet_alive {
	pthread_mutex_t lock;
	uint32_t closed;
	uint32_t waiters;
};

/**
 * struct vnet_kfeed - A keeper's connection that is a feed (vnet_feed.c)
 * @on:		It feeds
 * @family:	socket() arguments
 * @type:	With SOCK_CLOEXEC (the keeper's own copies)
 * @protocol:	As asked
 * @n:		Sockets made, not yet sent
 * @fd:		They
 * @alive:	The keeper's sign of life, where it says which batches of
 *		sockets it closed
 */
struct vnet_kfeed {
	int on;
	int family, type, protocol;
	int n;
	int fd[VNET_BATCH_MAX];
	struct vnet_alive *alive;
};

/* vnet_feed.c: sockets made ahead, queued on a connection */
int vnet_kfeed_start(struct vnet_kfeed *f, int conn,
		     const struct vnet_req *req, struct vnet_alive *alive);
int vnet_kfeed_fill(struct vnet_kfeed *f, int conn);
void vnet_kfeed_clear(struct vnet_kfeed *f);
int vnet_alive_hold(struct vnet_alive **mapped);
int vnet_alive(struct vnet_alive *a);
void vnet_kfeed_close(const int *fds, int n);

/**
 * struct vnet_feed - A client's feed
 * @fd:		The connection, -1 when not open
 * @alive:	The keeper's sign of life (vnet_alive())
 */
struct vnet_feed {
	int fd;
	struct vnet_alive *alive;
};

int vnet_feed_open(struct vnet_feed *f, int conn, int family, int type,
		   int protocol);
void vnet_feed_close(struct vnet_feed *f);
void vnet_feed_forget(struct vnet_feed *f);
int vnet_feed_take(const struct vnet_feed *f, int cloexec);

/* vnet_uring.c: the keeper makes sockets in batches */
int vnet_sockets_make(int family, int type, int protocol, int *fds, int n,
		      int *err);

/* vnet_keeper.c: the keeper process */
int vnet_keeper_spawn(const struct vnet_keeper_cfg *cfg, struct facet_err *err);

/* vnet_ns.c: the namespace */
int vnet_ns_enter(char *msg, size_t cap);

/**
 * struct vnet_home - The network namespace the view's processes start in
 * @dev:	Its device
 * @ino:	Its inode (0: unknown)
 * @left:	Some process of the view made a call that can leave it
 */
struct vnet_home {
	uint64_t dev, ino;
	uint32_t left;
};

/* vnet_leave.c */
void vnet_leave_home(struct vnet_home *h);
void vnet_leave_wants(struct facet_sysset *set);
void vnet_leave_note(struct vnet_home *h, struct facet_call *call);
int vnet_leave_gone(const struct vnet_home *h, struct facet_call *call,
		    int in_caller);

/* vnet_ifreq.c: interface ioctls on a host (AF_UNIX) socket */
void vnet_ifreq_wants(struct facet_sysset *set);
int vnet_ifreq_wanted(unsigned long req);
enum facet_verdict vnet_ifreq_ioctl(struct facet_call *call,
				    int (*sock)(void *ctx), void *ctx,
				    int in_caller);

/* vnet_procnet.c: /proc/net of the network */
int vnet_procnet_name(const char *path, pid_t pid, pid_t tid, pid_t anchor,
		      char *name, size_t cap);
int vnet_procnet_open(const char *name, int flags);

/* vnet_tap.c, vnet_slirp.c: NAT */
int vnet_tap_open(char *msg, size_t cap);
int vnet_slirp_spawn(uint32_t flags, char *msg, size_t cap);
int vnet_slirp_attach(int ctl, int tap, char *msg, size_t cap);
struct vnet_relays;
int vnet_dns_forward(struct vnet_relays *r, const char *resolv_conf);

/* vnet_relay.c: published ports */
struct vnet_relays;
struct vnet_relays *vnet_relays_new(int epfd);
int vnet_relays_add(struct vnet_relays *r, int listen_fd, uint16_t port,
		    int udp, const void *owner);
int vnet_relays_add_to(struct vnet_relays *r, int listen_fd,
		       struct in_addr target, uint16_t port, int udp,
		       const void *owner);
void vnet_relays_drop_owner(struct vnet_relays *r, const void *owner);
int vnet_relays_event(struct vnet_relays *r, void *ptr, uint32_t events);
int vnet_relays_owns(struct vnet_relays *r, void *ptr);
void vnet_relays_tick(struct vnet_relays *r);

/* vnet_fast.c: NAT's TCP fast path */
#define VNET_FAST_NOPTS		44	/* options carried over */
#define VNET_FAST_VAL		16	/* longest option value */
#define VNET_FAST_SLOT_BITS	14
#define VNET_FAST_SLOTS		(1u << VNET_FAST_SLOT_BITS) /* sockets remembered */
#define VNET_FAST_PROBES	16

/**
 * struct vnet_fast_vals - Option values of a fresh guest socket
 * @valid:	Filled in
 * @len:	Length of each value, 0 if it could not be read
 * @val:	The values
 */
struct vnet_fast_vals {
	int valid;
	socklen_t len[VNET_FAST_NOPTS];
	unsigned char val[VNET_FAST_NOPTS][VNET_FAST_VAL];
};

/**
 * struct vnet_fast - The TCP fast path of a NAT network
 * @on:		The network is NAT and the fast path is not turned off
 * @host_loopback: The gateway stands for the host's loopback
 * @in_caller:	The module runs in the calling process (preload)
 * @net_cookie:	The network namespace's cookie (SO_NETNS_COOKIE), 0 until
 *		known
 * @ref:	Fresh socket option values, for AF_INET and AF_INET6
 * @table:	Inodes of the host sockets handed out, shared by the view
 * @capture:	NAME.capture: locked while `facet net capture` runs
 */
struct vnet_fast {
	int on;
	int host_loopback;
	int in_caller;
	uint64_t net_cookie;
	struct vnet_fast_vals ref[2];
	ino_t *table;
	char capture[VNET_PATH_MAX + 8];
};

socklen_t vnet_fast_dest(const struct sockaddr *sa, socklen_t len,
			 int host_loopback, struct sockaddr_storage *out);
void vnet_fast_guest_addr(struct sockaddr_storage *sa, int peer,
			  int host_loopback);
void vnet_fast_set_ref(struct vnet_fast *f, int family, int fd);
enum facet_verdict vnet_fast_connect(struct vnet_fast *f,
				     struct facet_call *call,
				     const struct sockaddr *sa, socklen_t len);
enum facet_verdict vnet_fast_name(struct vnet_fast *f,
				  struct facet_call *call, int peer);

/* vnet_pcap.c: capture */
int vnet_pcap_header(int fd);
int vnet_pcap_record(int fd, const void *pkt, size_t caplen, size_t len);

#endif /* FACET_VNET_VNET_H */
