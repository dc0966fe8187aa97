// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vtrace/vtrace_sockopt.c - Socket options and protocols, as
 *				      strace shows them
 *
 * setsockopt/getsockopt name their option by level (SOL_SOCKET's
 * SO_REUSEADDR, SOL_TCP's TCP_NODELAY, SOL_IP's, SOL_IPV6's: tables
 * core/xlat/sockopt_*.in) and show an int-sized value as the int,
 * "[1]"; other values stay bytes.  socket()'s protocol is named for inet
 * (IPPROTO_TCP) and netlink (NETLINK_ROUTE) sockets, a number otherwise.
 */
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
	if (s->nr != SYS_setsockopt || i != 3 || !val ||
	    (int)facet_arg(call, 4) != (int)sizeof(int))
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
	if (len == (int)sizeof(int))
		vtrace_sockopt_int(b, call, val);
	else if (len >= 0)
		vtrace_put_string(v, call, b, val, len);
	else
		vtrace_buf_printf(b, "%#lx", (unsigned long)val);
}
