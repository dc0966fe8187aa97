// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vtrace/vtrace_fdinfo.c - What an fd refers to beyond its path,
 *				     as strace -yy shows it
 *
 * Devices get their kind and numbers after the path, /dev/null<char 1:3>;
 * sockets their protocol and endpoints in place of socket:[N]:
 *
 *	TCP:[127.0.0.1:42838->127.0.0.1:37491]	connected
 *	TCPv6:[[::1]:49623]			bound or listening
 *	TCP:[127.0.0.1:8080]			bound only (Linux 6.7+)
 *	UDP:[7523355]				not bound: the inode
 *	UNIX-STREAM:[7523352->7523348,"/tmp/sock"]  inode, peer's, name
 *	NETLINK:[ROUTE:19153]			protocol, port id
 *
 * The protocol is the socket's "system.sockprotoname" attribute; TCP, UDP
 * and UDPLITE endpoints and a unix socket's peer are asked of
 * NETLINK_SOCK_DIAG as strace asks (vtrace_sockdiag.c: in the socket's
 * namespace); RAW and netlink endpoints are read from /proc/PID/net
 * (raw, netlink...), as are inet ones NETLINK_SOCK_DIAG gave no answer
 * for.  Only done
 * with decode-fds=socket or dev (-yy): a few system calls per fd shown.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "../../core/xlat.h"
#include "vtrace.h"

/* decode-fds bits (VTRACE_FDS_*), set by the option */
unsigned vtrace_decode_fds;
/* the slot's fd_path is wanted (JSON lines) even if fds show no path */
int vtrace_keep_fd_path;

/* A /proc/net address, "0100007F" (v4) or 32 digits (v6), as bytes */
static int vtrace_fdinfo_addr(const char *hex, unsigned char *out)
{
	size_t n = strlen(hex), i;
	uint32_t w;

	if (n != 8 && n != 32)
		return -1;
	for (i = 0; i < n / 8; i++) {
		char part[9];

		memcpy(part, hex + 8 * i, 8);
		part[8] = '\0';
		w = (uint32_t)strtoul(part, NULL, 16);	/* host order */
		memcpy(out + 4 * i, &w, 4);
	}
	return n == 8 ? AF_INET : AF_INET6;
}

static void vtrace_fdinfo_endpoint(struct vtrace_buf *b, int family,
				   const unsigned char *addr, unsigned port)
{
	char text[INET6_ADDRSTRLEN];

	inet_ntop(family, addr, text, sizeof(text));
	vtrace_buf_printf(b, family == AF_INET6 ? "[%s]:%u" : "%s:%u", text,
			  port);
}

/* What an inet_diag answer is matched against and written to */
struct vtrace_fdinfo_ask {
	struct vtrace_buf *b;
	unsigned long ino;
};

/* An inet_diag answer: the socket's endpoints if it is ours; 1 if so */
static int vtrace_fdinfo_inet_answer(const struct nlmsghdr *h, void *arg)
{
	const struct vtrace_fdinfo_ask *ask = arg;
	const struct inet_diag_msg *m = NLMSG_DATA(h);
	static const unsigned char zero[16];
	size_t size;

	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*m)) ||
	    m->idiag_inode != ask->ino)
		return 0;
	if (m->idiag_family != AF_INET && m->idiag_family != AF_INET6)
		return 0;
	size = m->idiag_family == AF_INET ? 4 : 16;
	vtrace_fdinfo_endpoint(ask->b, m->idiag_family,
			       (const unsigned char *)m->id.idiag_src,
			       ntohs(m->id.idiag_sport));
	if (m->id.idiag_dport || memcmp(m->id.idiag_dst, zero, size)) {
		vtrace_buf_puts(ask->b, "->");
		vtrace_fdinfo_endpoint(ask->b, m->idiag_family,
				       (const unsigned char *)m->id.idiag_dst,
				       ntohs(m->id.idiag_dport));
	}
	return 1;
}

/*
 * An inet socket's endpoints, asked of NETLINK_SOCK_DIAG in the process's
 * namespace as strace does (all of @family's @protocol sockets, in every
 * state: bound-only TCP sockets too, which /proc/net/tcp leaves out);
 * 1 if found
 */
static int vtrace_fdinfo_inet_diag(struct vtrace_buf *b, pid_t pid, long fd,
				   int family, int protocol, unsigned long ino)
{
	struct {
		struct nlmsghdr nlh;
		struct inet_diag_req_v2 req;
	} rq = {
		.nlh = { .nlmsg_len = sizeof(rq),
			 .nlmsg_type = SOCK_DIAG_BY_FAMILY,
			 .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP },
		.req = { .sdiag_family = (__u8)family,
			 .sdiag_protocol = (__u8)protocol,
			 .idiag_states = ~0u },
	};
	struct vtrace_fdinfo_ask ask = { .b = b, .ino = ino };

	return vtrace_sockdiag(pid, fd, &rq, sizeof(rq), vtrace_fdinfo_inet_answer,
			       &ask);
}

/* An inet socket's endpoints from /proc/PID/net/@table; 1 if found */
static int vtrace_fdinfo_inet(struct vtrace_buf *b, pid_t pid,
			      const char *table, unsigned long ino)
{
	char path[64], line[512], la[40], ra[40];
	unsigned char lb[16], rb[16], zero[16] = { 0 };
	unsigned lp, rp;
	unsigned long i;
	int found = 0, fam;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/net/%s", pid, table);
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (!found && fgets(line, sizeof(line), f)) {
		if (sscanf(line, " %*d: %39[0-9A-Fa-f]:%x %39[0-9A-Fa-f]:%x "
			   "%*x %*s %*s %*s %*s %*s %lu", la, &lp, ra, &rp,
			   &i) != 5 || i != ino)
			continue;
		fam = vtrace_fdinfo_addr(la, lb);
		if (fam < 0 || vtrace_fdinfo_addr(ra, rb) != fam)
			continue;
		vtrace_fdinfo_endpoint(b, fam, lb, lp);
		if (rp || memcmp(rb, zero, fam == AF_INET ? 4 : 16)) {
			vtrace_buf_puts(b, "->");
			vtrace_fdinfo_endpoint(b, fam, rb, rp);
		}
		found = 1;
	}
	fclose(f);
	return found;
}

/* A netlink socket's protocol and port id; 1 if found and bound */
static int vtrace_fdinfo_netlink(struct vtrace_buf *b, pid_t pid,
				 unsigned long ino)
{
	char path[64], line[512];
	unsigned long i;
	unsigned proto, port;
	const char *name;
	int found = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/net/netlink", pid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (!found && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%*x %u %u %*x %*d %*d %*d %*d %*d %lu",
			   &proto, &port, &i) != 3 || i != ino || !port)
			continue;
		name = facet_xlat_name("netlink_protocol", proto);
		if (name && !strncmp(name, "NETLINK_", 8))
			vtrace_buf_printf(b, "%s:%u", name + 8, port);
		else
			vtrace_buf_printf(b, "%u:%u", proto, port);
		found = 1;
	}
	fclose(f);
	return found;
}

/* A unix_diag answer: the socket's type, peer and name; 1 if ours */
static int vtrace_fdinfo_unix_answer(const struct nlmsghdr *h, void *arg)
{
	static const char *const types[] = { [SOCK_STREAM] = "STREAM",
		[SOCK_DGRAM] = "DGRAM", [SOCK_SEQPACKET] = "SEQPACKET" };
	const struct vtrace_fdinfo_ask *ask = arg;
	struct vtrace_buf *b = ask->b;
	const struct unix_diag_msg *m = NLMSG_DATA(h);
	const struct rtattr *a;
	const char *name = NULL;
	unsigned peer = 0, namelen = 0;
	int alen;

	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*m)) ||
	    m->udiag_ino != ask->ino)
		return 0;
	alen = (int)h->nlmsg_len - NLMSG_LENGTH(sizeof(*m));
	for (a = (const struct rtattr *)(m + 1); RTA_OK(a, alen);
	     a = RTA_NEXT(a, alen)) {
		if (a->rta_type == UNIX_DIAG_PEER &&
		    RTA_PAYLOAD(a) >= sizeof(peer))
			memcpy(&peer, RTA_DATA(a), sizeof(peer));
		if (a->rta_type == UNIX_DIAG_NAME) {
			name = RTA_DATA(a);
			namelen = RTA_PAYLOAD(a);
		}
	}
	if (m->udiag_type < sizeof(types) / sizeof(types[0]) &&
	    types[m->udiag_type])
		vtrace_buf_printf(b, "UNIX-%s:[%lu", types[m->udiag_type],
				  ask->ino);
	else
		vtrace_buf_printf(b, "UNIX:[%lu", ask->ino);
	if (peer)
		vtrace_buf_printf(b, "->%u", peer);
	if (name && namelen) {
		char abstract[108];

		vtrace_buf_puts(b, ",");
		if (!name[0] && namelen <= sizeof(abstract)) {
			/* abstract: "@name", as strace */
			abstract[0] = '@';
			memcpy(abstract + 1, name + 1, namelen - 1);
			vtrace_buf_quote(b, (unsigned char *)abstract, namelen,
					 namelen, 0);
		} else {
			vtrace_buf_quote(b, (const unsigned char *)name,
					 strnlen(name, namelen), namelen, 0);
		}
	}
	vtrace_buf_puts(b, "]");
	return 1;
}

/*
 * A unix socket's type, peer and name, asked of NETLINK_SOCK_DIAG by its
 * inode in the process's namespace: "UNIX-STREAM:[ino->peer,"name"]";
 * 1 if found
 */
static int vtrace_fdinfo_unix(struct vtrace_buf *b, pid_t pid, long fd,
			      unsigned long ino)
{
	struct {
		struct nlmsghdr nlh;
		struct unix_diag_req req;
	} rq = {
		.nlh = { .nlmsg_len = sizeof(rq),
			 .nlmsg_type = SOCK_DIAG_BY_FAMILY,
			 .nlmsg_flags = NLM_F_REQUEST },
		.req = { .sdiag_family = AF_UNIX, .udiag_states = ~0u,
			 .udiag_ino = (unsigned)ino,
			 .udiag_show = UDIAG_SHOW_NAME | UDIAG_SHOW_PEER,
			 .udiag_cookie = { ~0u, ~0u } },
	};
	struct vtrace_fdinfo_ask ask = { .b = b, .ino = ino };

	return vtrace_sockdiag(pid, fd, &rq, sizeof(rq), vtrace_fdinfo_unix_answer,
			       &ask);
}

/* socket:[N] as PROTO:[endpoints] (or PROTO:[N]); 1 if written */
static int vtrace_fdinfo_socket(struct vtrace_buf *b, pid_t pid, long fd,
				const char *link)
{
	/* inet sockets strace asks inet_diag about; RAW's only in /proc */
	static const struct {
		const char *proto, *table;
		int family, protocol;
	} inet[] = {
		{ "TCP", "tcp", AF_INET, IPPROTO_TCP },
		{ "TCPv6", "tcp6", AF_INET6, IPPROTO_TCP },
		{ "UDP", "udp", AF_INET, IPPROTO_UDP },
		{ "UDPv6", "udp6", AF_INET6, IPPROTO_UDP },
		{ "UDPLITE", "udplite", AF_INET, IPPROTO_UDPLITE },
		{ "UDPLITEv6", "udplite6", AF_INET6, IPPROTO_UDPLITE },
		{ "RAW", "raw", 0, 0 },
		{ "RAWv6", "raw6", 0, 0 },
	};
	char path[64], proto[64];
	unsigned long ino;
	ssize_t n;
	size_t i;

	if (sscanf(link, "socket:[%lu]", &ino) != 1)
		return 0;
	snprintf(path, sizeof(path), "/proc/%d/fd/%ld", pid, fd);
	n = getxattr(path, "system.sockprotoname", proto, sizeof(proto) - 1);
	if (n <= 0)
		return 0;
	proto[n] = '\0';
	/* "UNIX", or "UNIX-STREAM"... on newer kernels */
	if (!strncmp(proto, "UNIX", 4) && vtrace_fdinfo_unix(b, pid, fd, ino))
		return 1;
	vtrace_buf_printf(b, "%s:[", proto);
	for (i = 0; i < sizeof(inet) / sizeof(inet[0]); i++)
		if (!strcmp(proto, inet[i].proto) &&
		    ((inet[i].family &&
		      vtrace_fdinfo_inet_diag(b, pid, fd, inet[i].family,
						inet[i].protocol, ino)) ||
		     vtrace_fdinfo_inet(b, pid, inet[i].table, ino)))
			break;
	if (i == sizeof(inet) / sizeof(inet[0]) &&
	    (strcmp(proto, "NETLINK") || !vtrace_fdinfo_netlink(b, pid, ino)))
		vtrace_buf_printf(b, "%lu", ino);
	vtrace_buf_puts(b, "]");
	return 1;
}

/**
 * vtrace_fdinfo() - An fd's text beyond its path, as strace -yy
 * @b:		Buffer
 * @pid:	Process owning the fd
 * @fd:		Descriptor
 * @link:	What /proc/PID/fd/N links to
 *
 * Return: 1 if the socket's text was written in place of @link; 0 if
 * @link is to be written, followed by vtrace_fdinfo_dev()'s text
 */
int vtrace_fdinfo(struct vtrace_buf *b, pid_t pid, long fd, const char *link)
{
	return (vtrace_decode_fds & VTRACE_FDS_SOCKET) &&
	       vtrace_fdinfo_socket(b, pid, fd, link);
}

/**
 * vtrace_fdinfo_dev() - A device's kind and numbers: "<char 1:3>"
 * @b:		Buffer
 * @pid:	Process owning the fd
 * @fd:		Descriptor
 * @link:	What /proc/PID/fd/N links to
 */
void vtrace_fdinfo_dev(struct vtrace_buf *b, pid_t pid, long fd,
		       const char *link)
{
	char path[64];
	struct stat st;

	if (!(vtrace_decode_fds & VTRACE_FDS_DEV) || link[0] != '/')
		return;
	snprintf(path, sizeof(path), "/proc/%d/fd/%ld", pid, fd);
	if (stat(path, &st) < 0 || !(S_ISCHR(st.st_mode) ||
				     S_ISBLK(st.st_mode)))
		return;
	vtrace_buf_printf(b, "<%s %u:%u>", S_ISCHR(st.st_mode) ? "char" :
			  "block", major(st.st_rdev), minor(st.st_rdev));
}
