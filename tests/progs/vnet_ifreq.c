// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/progs/vnet_ifreq.c - Interfaces as glibc and the ioctls on an
 * AF_UNIX socket see them
 *
 * Usage: vnet_ifreq NAME...
 *
 * For each NAME prints "index NAME N" (if_nametoindex(), glibc's ioctl on
 * its AF_UNIX socket), or "index NAME none"; for a known one also
 * "name N NAME2" (if_indextoname()), "mtu NAME M" (SIOCGIFMTU on an
 * AF_UNIX socket of its own) and "scope fe80::1%NAME S" (the scope id
 * getaddrinfo() gives).  Then "conf NAME ADDR" for each entry that
 * SIOCGIFCONF on that AF_UNIX socket lists.
 */
#include <arpa/inet.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

static void show_scope(const char *name)
{
	struct addrinfo hints = { .ai_family = AF_INET6,
				  .ai_flags = AI_NUMERICHOST }, *ai;
	char host[IF_NAMESIZE + 16];

	snprintf(host, sizeof(host), "fe80::1%%%s", name);
	if (getaddrinfo(host, NULL, &hints, &ai)) {
		printf("scope %s none\n", host);
		return;
	}
	printf("scope %s %u\n", host,
	       ((struct sockaddr_in6 *)ai->ai_addr)->sin6_scope_id);
	freeaddrinfo(ai);
}

static void show_one(int sock, const char *name)
{
	char back[IF_NAMESIZE];
	struct ifreq ifr;
	unsigned idx = if_nametoindex(name);

	if (!idx) {
		printf("index %s none\n", name);
		return;
	}
	printf("index %s %u\n", name, idx);
	printf("name %u %s\n", idx,
	       if_indextoname(idx, back) ? back : "none");
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(sock, SIOCGIFMTU, &ifr) < 0)
		printf("mtu %s none\n", name);
	else
		printf("mtu %s %d\n", name, ifr.ifr_mtu);
	show_scope(name);
}

int main(int argc, char **argv)
{
	struct ifreq reqs[64];
	struct ifconf ifc = { .ifc_len = sizeof(reqs), .ifc_req = reqs };
	int sock, i, n;

	sock = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sock < 0) {
		perror("socket");
		return 1;
	}
	for (i = 1; i < argc; i++)
		show_one(sock, argv[i]);
	if (ioctl(sock, SIOCGIFCONF, &ifc) < 0) {
		perror("SIOCGIFCONF");
		return 1;
	}
	n = ifc.ifc_len / (int)sizeof(reqs[0]);
	for (i = 0; i < n; i++) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&reqs[i].ifr_addr;

		printf("conf %s %s\n", reqs[i].ifr_name, inet_ntoa(sin->sin_addr));
	}
	close(sock);
	return 0;
}
