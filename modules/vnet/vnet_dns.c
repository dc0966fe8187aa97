// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vnet/vnet_dns.c - A NAT network's stand-in for a loopback resolver
 *
 * The command keeps the host's /etc/resolv.conf.  When that names a
 * resolver on the host's loopback (systemd-resolved's 127.0.0.53, a local
 * dnsmasq), the address means the namespace's own loopback inside, where
 * nothing answers.  So the keeper of a NAT network listens there itself, on
 * UDP and TCP port 53, and forwards to libslirp's DNS address (10.0.2.3),
 * which libslirp forwards to the host's resolver.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "vnet.h"

/* Listen on @addr port 53 (@udp or TCP) and forward to VNET_NAT_DNS */
static int vnet_dns_listen(struct vnet_relays *r, const char *addr, int udp)
{
	struct sockaddr_in6 in6 = { .sin6_family = AF_INET6,
				    .sin6_port = htons(53) };
	struct sockaddr_in in = { .sin_family = AF_INET,
				  .sin_port = htons(53) };
	int v6 = inet_pton(AF_INET6, addr, &in6.sin6_addr) == 1, fd, one = 1;
	struct in_addr dns;

	if (!v6 && inet_pton(AF_INET, addr, &in.sin_addr) != 1)
		return -EINVAL;
	fd = socket(v6 ? AF_INET6 : AF_INET,
		    (udp ? SOCK_DGRAM : SOCK_STREAM) | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, v6 ? (struct sockaddr *)&in6 : (struct sockaddr *)&in,
		 v6 ? sizeof(in6) : sizeof(in)) < 0 ||
	    (!udp && listen(fd, 64) < 0)) {
		close(fd);
		return -errno;
	}
	inet_pton(AF_INET, VNET_NAT_DNS, &dns);
	return vnet_relays_add_to(r, fd, dns, 53, udp, NULL);
}

/* Is @addr (text) on a loopback? */
static int vnet_dns_loopback(const char *addr)
{
	struct in6_addr a6;
	struct in_addr a;

	if (inet_pton(AF_INET, addr, &a) == 1)
		return (ntohl(a.s_addr) >> 24) == 127;
	return inet_pton(AF_INET6, addr, &a6) == 1 &&
	       IN6_IS_ADDR_LOOPBACK(&a6);
}

/**
 * vnet_dns_forward() - Answer for the loopback resolvers of @resolv_conf
 * @r:		The keeper's relays (the keeper is in the namespace)
 * @resolv_conf: Usually /etc/resolv.conf
 *
 * Return: how many resolvers are stood in for
 */
int vnet_dns_forward(struct vnet_relays *r, const char *resolv_conf)
{
	char line[256], addr[64];
	int n = 0;
	FILE *f;

	f = fopen(resolv_conf, "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, " nameserver %63s", addr) != 1 ||
		    !vnet_dns_loopback(addr))
			continue;
		if (vnet_dns_listen(r, addr, 1) == 0)
			n++;
		vnet_dns_listen(r, addr, 0);
	}
	fclose(f);
	return n;
}
