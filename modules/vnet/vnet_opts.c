// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vnet/vnet_opts.c - Parse --publish specs and network names
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "vnet.h"

/* Return: the port in @s (1..65535), -ERANGE for a number outside, or
 * -EINVAL */
static int vnet_port(const char *s, size_t len)
{
	char buf[8], *end;
	long v;

	if (!len || len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (buf[0] < '0' || buf[0] > '9')
		return -EINVAL;
	v = strtol(buf, &end, 10);
	if (*end)
		return -EINVAL;
	if (v < 1 || v > 65535)
		return -ERANGE;
	return (int)v;
}

/* Copy address @s (@len bytes, IPv6 maybe in brackets) into @p->addr */
static int vnet_addr(const char *s, size_t len, struct vnet_publish *p)
{
	unsigned char bin[16];

	if (len >= 2 && s[0] == '[' && s[len - 1] == ']') {
		s++;
		len -= 2;
	}
	if (!len || len >= sizeof(p->addr))
		return -EINVAL;
	memcpy(p->addr, s, len);
	p->addr[len] = '\0';
	if (inet_pton(AF_INET, p->addr, bin) == 1 ||
	    inet_pton(AF_INET6, p->addr, bin) == 1)
		return 0;
	return -EINVAL;
}

/**
 * vnet_publish_parse() - Parse [ADDR:]HOSTPORT:GUESTPORT[/udp|/tcp]
 * @spec:	As given to --publish
 * @p:		Filled in; the address defaults to 127.0.0.1
 *
 * Return: 0, -ERANGE for a port number outside 1..65535, or -EINVAL
 */
int vnet_publish_parse(const char *spec, struct vnet_publish *p)
{
	const char *slash = strrchr(spec, '/'), *end, *guest, *host;
	int port;

	memset(p, 0, sizeof(*p));
	end = slash ? slash : spec + strlen(spec);
	if (slash && !strcmp(slash, "/udp"))
		p->udp = 1;
	else if (slash && strcmp(slash, "/tcp"))
		return -EINVAL;
	guest = memrchr(spec, ':', end - spec);
	if (!guest)
		return -EINVAL;
	port = vnet_port(guest + 1, end - guest - 1);
	if (port < 0)
		return port;
	p->guest_port = port;
	host = memrchr(spec, ':', guest - spec);
	port = vnet_port(host ? host + 1 : spec,
			 host ? guest - host - 1 : guest - spec);
	if (port < 0)
		return port;
	p->host_port = port;
	if (!host) {
		strcpy(p->addr, "127.0.0.1");
		return 0;
	}
	return vnet_addr(spec, host - spec, p);
}

/**
 * vnet_name_valid() - Is @name usable as a network name?
 *
 * Letters, digits, '-', '_' and '.', not starting with '.' or '-', at most
 * VNET_NAME_MAX - 1 bytes, and not a mode in any case ("private", "nat",
 * "host", "none": `--net NAT` or docker's `--net none` made a lab network).
 *
 * Return: 1 or 0
 */
int vnet_name_valid(const char *name)
{
	static const char *const modes[] = { "private", "nat", "host", "none" };
	size_t len = strlen(name), i;

	if (!len || len >= VNET_NAME_MAX || name[0] == '.' || name[0] == '-')
		return 0;
	if (strspn(name, "abcdefghijklmnopqrstuvwxyz"
			 "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") != len)
		return 0;
	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		if (!strcasecmp(name, modes[i]))
			return 0;
	return 1;
}
