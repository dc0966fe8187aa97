// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/progs/vnet_peer.c - Small TCP, UDP and unix peers for the vnet tests
 *
 *   vnet_peer serve tcp|udp|unix ADDR PORT|PATH
 *	print "listening", answer one message M with "echo:M", exit
 *	(and then "peer PORT": the client's port, as the server saw it)
 *   vnet_peer send tcp|udp|unix ADDR PORT|PATH MSG
 *	send MSG, print the answer
 *   vnet_peer sendport tcp|udp ADDR PORT MSG
 *	the same, printing "local PORT" (its own port) first
 *   vnet_peer pair ADDR PORT
 *	TCP server and client in one process: print the client's answer
 *   vnet_peer socket FAMILY
 *	socket(FAMILY, SOCK_STREAM or SOCK_RAW, 0): print "ok" or the errno
 *
 * Everything gives up after 10 seconds (alarm), so a broken test ends.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

union peer_addr {
	struct sockaddr sa;
	struct sockaddr_in in;
	struct sockaddr_in6 in6;
	struct sockaddr_un un;
};

static void peer_die(const char *what)
{
	printf("%s: %s\n", what, strerror(errno));
	exit(1);
}

/* Fill @a from ADDR and PORT (or PATH for unix); Return: its length */
static socklen_t peer_addr(const char *proto, const char *addr,
			   const char *port, union peer_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (!strcmp(proto, "unix")) {
		a->un.sun_family = AF_UNIX;
		snprintf(a->un.sun_path, sizeof(a->un.sun_path), "%s", port);
		return sizeof(a->un);
	}
	if (strchr(addr, ':')) {
		a->in6.sin6_family = AF_INET6;
		a->in6.sin6_port = htons(atoi(port));
		inet_pton(AF_INET6, addr, &a->in6.sin6_addr);
		return sizeof(a->in6);
	}
	a->in.sin_family = AF_INET;
	a->in.sin_port = htons(atoi(port));
	inet_pton(AF_INET, addr, &a->in.sin_addr);
	return sizeof(a->in);
}

static int peer_socket(const char *proto, const union peer_addr *a)
{
	int fd = socket(a->sa.sa_family, strcmp(proto, "udp") ? SOCK_STREAM :
			SOCK_DGRAM, 0);

	if (fd < 0)
		peer_die("socket");
	return fd;
}

/* Print "@what PORT" for an IPv4 or IPv6 address */
static void peer_port(const char *what, const union peer_addr *a)
{
	if (a->sa.sa_family == AF_INET)
		printf("%s %u\n", what, ntohs(a->in.sin_port));
	else if (a->sa.sa_family == AF_INET6)
		printf("%s %u\n", what, ntohs(a->in6.sin6_port));
	fflush(stdout);
}

static int peer_serve(const char *proto, const char *addr, const char *port)
{
	union peer_addr a, from;
	socklen_t len = peer_addr(proto, addr, port, &a), flen;
	char buf[512], out[600];
	int fd = peer_socket(proto, &a), c, one = 1;
	ssize_t n;

	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, &a.sa, len) < 0)
		peer_die("bind");
	if (strcmp(proto, "udp") && listen(fd, 8) < 0)
		peer_die("listen");
	printf("listening\n");
	fflush(stdout);
	flen = sizeof(from);
	if (!strcmp(proto, "udp")) {
		n = recvfrom(fd, buf, sizeof(buf) - 1, 0, &from.sa, &flen);
		if (n < 0)
			peer_die("recvfrom");
		buf[n] = '\0';
		n = snprintf(out, sizeof(out), "echo:%s", buf);
		sendto(fd, out, n, 0, &from.sa, flen);
		peer_port("peer", &from);
		return 0;
	}
	c = accept(fd, &from.sa, &flen);
	if (c < 0)
		peer_die("accept");
	n = read(c, buf, sizeof(buf) - 1);
	if (n < 0)
		peer_die("read");
	buf[n] = '\0';
	n = snprintf(out, sizeof(out), "echo:%s", buf);
	if (write(c, out, n) != n)
		peer_die("write");
	close(c);
	peer_port("peer", &from);
	return 0;
}

static int peer_send(const char *proto, const char *addr, const char *port,
		     const char *msg, int show)
{
	union peer_addr a, local;
	socklen_t len = peer_addr(proto, addr, port, &a), llen = sizeof(local);
	int fd = peer_socket(proto, &a);
	char buf[600];
	ssize_t n;

	if (connect(fd, &a.sa, len) < 0)
		peer_die("connect");
	if (show && !getsockname(fd, &local.sa, &llen))
		peer_port("local", &local);
	if (write(fd, msg, strlen(msg)) < 0)
		peer_die("write");
	n = read(fd, buf, sizeof(buf) - 1);
	if (n < 0)
		peer_die("read");
	buf[n] = '\0';
	printf("%s\n", buf);
	return 0;
}

static int peer_pair(const char *addr, const char *port)
{
	union peer_addr a;
	socklen_t len = peer_addr("tcp", addr, port, &a);
	int l = peer_socket("tcp", &a), c, s, one = 1;
	char buf[64];
	ssize_t n;

	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(l, &a.sa, len) < 0 || listen(l, 1) < 0)
		peer_die("bind");
	c = peer_socket("tcp", &a);
	if (connect(c, &a.sa, len) < 0)
		peer_die("connect");
	s = accept(l, NULL, NULL);
	if (s < 0 || write(c, "ping", 4) != 4)
		peer_die("accept");
	n = read(s, buf, sizeof(buf) - 1);
	if (n < 0)
		peer_die("read");
	buf[n] = '\0';
	printf("got:%s\n", buf);
	return 0;
}

static int peer_try_socket(const char *family)
{
	int fam = !strcmp(family, "inet")   ? AF_INET :
		  !strcmp(family, "inet6")  ? AF_INET6 :
		  !strcmp(family, "netlink") ? AF_NETLINK :
		  !strcmp(family, "packet") ? AF_PACKET : AF_UNIX;
	int type = fam == AF_NETLINK || fam == AF_PACKET ? SOCK_RAW :
		   SOCK_STREAM;

	if (socket(fam, type, 0) < 0) {
		printf("%s\n", errno == ENETDOWN ? "ENETDOWN" :
		       strerror(errno));
		return 1;
	}
	printf("ok\n");
	return 0;
}

int main(int argc, char **argv)
{
	alarm(10);
	if (argc == 5 && !strcmp(argv[1], "serve"))
		return peer_serve(argv[2], argv[3], argv[4]);
	if (argc == 6 && !strcmp(argv[1], "send"))
		return peer_send(argv[2], argv[3], argv[4], argv[5], 0);
	if (argc == 6 && !strcmp(argv[1], "sendport"))
		return peer_send(argv[2], argv[3], argv[4], argv[5], 1);
	if (argc == 4 && !strcmp(argv[1], "pair"))
		return peer_pair(argv[2], argv[3]);
	if (argc == 3 && !strcmp(argv[1], "socket"))
		return peer_try_socket(argv[2]);
	fprintf(stderr, "usage: see tests/progs/vnet_peer.c\n");
	return 2;
}
