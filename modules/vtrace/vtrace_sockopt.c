// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vtrace/vtrace_sockopt.c - Socket options and protocols, as
 *				      strace shows them
 *
 * setsockopt/getsockopt name their option by level (SOL_SOCKET's
 * SO_REUSEADDR, SOL_TCP's TCP_NODELAY, SOL_IP's, SOL_IPV6's: tables
 * core/xlat/sockopt_*.in) and show an int-sized value as the int,
 * "[1]", SO_LINGER, SO_PEERCRED and IP_ADD_MEMBERSHIP's as structs
 * ("{l_onoff=1, l_linger=5}"); other values stay bytes.  socket()'s protocol is named for inet
 * (IPPROTO_TCP) and netlink (NETLINK_ROUTE) sockets, a number otherwise.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include "../../core/xlat.h"
#include "vtrace.h"

#ifndef SOL_TCP
#define SOL_TCP		6
#endif

/* The option names at @level, or NULL */
static const char *vtrace_sockopt_table(long level)
{
	switch ((int)level) {
	case SOL_SOCKET:	return "sockopt_socket";
	case SOL_TCP:		return "sockopt_tcp";
	case SOL_IP:		return "sockopt_ip";
	case SOL_IPV6:		return "sockopt_ipv6";
	}
	return NULL;
}

/* An int the caller passes or gets, "[1]"; the address if unreadable */
static void vtrace_sockopt_int(struct vtrace_buf *b, struct facet_call *call,
			       uintptr_t addr)
{
	int x;

	if (facet_peek(call, &x, addr, sizeof(x)) == sizeof(x))
		vtrace_buf_printf(b, "[%d]", x);
	else
		vtrace_buf_printf(b, "%#lx", (unsigned long)addr);
}

/*
 * The values strace shows as structs: SO_LINGER's struct linger (its
 * first field alone when the length holds no more), SO_PEERCRED's struct
 * ucred, IP_ADD_MEMBERSHIP's and IP_DROP_MEMBERSHIP's struct ip_mreq.
 * Return: 1 if written, 0 for the generic text
 */
static int vtrace_sockopt_struct(struct vtrace_buf *b,
				 struct facet_call *call, uintptr_t addr,
				 int len)
{
	int level = (int)facet_arg(call, 1), name = (int)facet_arg(call, 2);
	union {
		struct linger lg;
		struct ucred cr;
		struct ip_mreq mreq;
	} u;
	char a[INET_ADDRSTRLEN], i[INET_ADDRSTRLEN];

	if (len <= 0 || !addr)
		return 0;
	if (level == SOL_SOCKET && name == SO_LINGER &&
	    len >= (int)sizeof(int)) {
		len = len < (int)sizeof(u.lg) ? (int)sizeof(int) :
						 (int)sizeof(u.lg);
		if (facet_peek(call, &u.lg, addr, len) != len)
			return 0;
		vtrace_buf_printf(b, "{l_onoff=%d", u.lg.l_onoff);
		if (len == (int)sizeof(u.lg))
			vtrace_buf_printf(b, ", l_linger=%d", u.lg.l_linger);
		vtrace_buf_puts(b, "}");
		return 1;
	}
	if (level == SOL_SOCKET && name == SO_PEERCRED &&
	    len >= (int)sizeof(u.cr)) {
		if (facet_peek(call, &u.cr, addr, sizeof(u.cr)) !=
		    sizeof(u.cr))
			return 0;
		vtrace_buf_printf(b, "{pid=%d, uid=%u, gid=%u}", (int)u.cr.pid,
				  (unsigned)u.cr.uid, (unsigned)u.cr.gid);
		return 1;
	}
	if (level == SOL_IP && (name == IP_ADD_MEMBERSHIP ||
				name == IP_DROP_MEMBERSHIP) &&
	    len == (int)sizeof(u.mreq)) {
		if (facet_peek(call, &u.mreq, addr, sizeof(u.mreq)) !=
		    sizeof(u.mreq))
			return 0;
		inet_ntop(AF_INET, &u.mreq.imr_multiaddr, a, sizeof(a));
		inet_ntop(AF_INET, &u.mreq.imr_interface, i, sizeof(i));
		vtrace_buf_printf(b, "{imr_multiaddr=inet_addr(\"%s\"), "
				  "imr_interface=inet_addr(\"%s\")}", a, i);
		return 1;
	}
	return 0;
}

/**
 * vtrace_sockopt_entry() - An argument of setsockopt/getsockopt/socket
 *			     that strace shows its own way, at entry
 * @call:	The call, at entry
 * @s:		Its slot (the text goes to @s->args)
 * @i:		Argument index
 *
 * Return: 1 if the argument was written, 0 for the generic decoding
 */
int vtrace_sockopt_entry(struct facet_call *call, struct vtrace_slot *s,
			 int i)
{
	struct vtrace_buf *b = &s->args;
	unsigned long proto = (unsigned long)facet_arg(call, 2);
	long a0 = facet_arg(call, 0);
	const char *name = NULL;
	uintptr_t val;

	if ((s->nr == SYS_socket || s->nr == SYS_socketpair) && i == 2) {
		if (a0 == AF_INET || a0 == AF_INET6)
			return 0;		/* IPPROTO_TCP... */
		if (a0 == AF_NETLINK)
			name = facet_xlat_name("netlink_protocol", proto);
		if (name)
			vtrace_buf_puts(b, name);
		else
			vtrace_buf_printf(b, "%d", (int)facet_arg(call, 2));
		return 1;
	}
	if (s->nr != SYS_setsockopt && s->nr != SYS_getsockopt)
		return 0;
	if (i == 2) {
		const char *table = vtrace_sockopt_table(facet_arg(call, 1));

		name = table ? facet_xlat_name(table, (unsigned long)
					       (int)facet_arg(call, 2)) : NULL;
		if (name)
			vtrace_buf_puts(b, name);
		else
			vtrace_buf_printf(b, "%d", (int)facet_arg(call, 2));
		return 1;
	}
	val = facet_arg(call, 3);
	if (s->nr != SYS_setsockopt || i != 3 || !val)
		return 0;
	if (vtrace_sockopt_struct(b, call, val, (int)facet_arg(call, 4)))
		return 1;
	if ((int)facet_arg(call, 4) != (int)sizeof(int))
		return 0;
	vtrace_sockopt_int(b, call, val);
	return 1;
}

/**
 * vtrace_sockopt_exit() - getsockopt's value, as the kernel wrote it
 * @v:		Module state
 * @call:	The call, at its successful exit
 * @b:		Buffer
 *
 * "[131072]" for an int, else the bytes the length says
 */
void vtrace_sockopt_exit(struct vtrace *v, struct facet_call *call,
			 struct vtrace_buf *b)
{
	uintptr_t val = facet_arg(call, 3), lenp = facet_arg(call, 4);
	int len = -1;

	if (lenp && facet_peek(call, &len, lenp, sizeof(len)) != sizeof(len))
		len = -1;
	if (vtrace_sockopt_struct(b, call, val, len))
		return;
	if (len == (int)sizeof(int))
		vtrace_sockopt_int(b, call, val);
	else if (len >= 0)
		vtrace_put_string(v, call, b, val, len);
	else
		vtrace_buf_printf(b, "%#lx", (unsigned long)val);
}
