// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/progs/vnet_fastpath.c - A TCP client that reports what it sees
 *
 *   vnet_fastpath connect ADDR PORT [nonblock] [inherit] [bind] [opts]
 *	socket() (SOCK_CLOEXEC unless inherit, SOCK_NONBLOCK with nonblock),
 *	bind() to the unspecified address with bind, set TCP_NODELAY,
 *	SO_KEEPALIVE, TCP_KEEPIDLE 77 and SO_SNDBUF 65536 with opts, then
 *	connect() and print, one per line:
 *	  connect: 0|EINPROGRESS|<strerror>
 *	  so_error: 0|<strerror>	(for EINPROGRESS: after poll())
 *	  flags cloexec C nonblock N
 *	  opts nodelay N keepalive K keepidle I sndbuf S
 *	  local ADDR PORT
 *	  peer ADDR PORT
 *	  echo:... (the answer to "fast", sent after the connection)
 *	and with inherit, run itself again as "names FD" after all that.
 *   vnet_fastpath names FD
 *	print "local ..." and "peer ..." of an inherited socket
 *
 * Gives up after 20 seconds (alarm).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int fp_has(int argc, char **argv, const char *word)
{
	int i;

	for (i = 4; i < argc; i++)
		if (!strcmp(argv[i], word))
			return 1;
	return 0;
}

static void fp_print_name(int fd, int peer)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	char buf[INET6_ADDRSTRLEN] = "?";
	unsigned int port = 0;
	int ret;

	ret = peer ? getpeername(fd, (struct sockaddr *)&ss, &len) :
		     getsockname(fd, (struct sockaddr *)&ss, &len);
	if (ret < 0) {
		printf("%s: %s\n", peer ? "peer" : "local", strerror(errno));
		return;
	}
	if (ss.ss_family == AF_INET) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

		inet_ntop(AF_INET, &s4->sin_addr, buf, sizeof(buf));
		port = ntohs(s4->sin_port);
	} else if (ss.ss_family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

		inet_ntop(AF_INET6, &s6->sin6_addr, buf, sizeof(buf));
		port = ntohs(s6->sin6_port);
	}
	printf("%s %s %u\n", peer ? "peer" : "local", buf, port);
}

static int fp_opt(int fd, int level, int name)
{
	socklen_t len = sizeof(int);
	int v = -1;

	getsockopt(fd, level, name, &v, &len);
	return v;
}

static void fp_set_opts(int fd)
{
	int one = 1, idle = 77, buf = 65536;

	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one));
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof(idle));
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &buf, sizeof(buf));
}

/* connect(), and for EINPROGRESS the wait and SO_ERROR; 0 if connected */
static int fp_connect(int fd, const struct sockaddr *sa, socklen_t len)
{
	struct pollfd p = { .fd = fd, .events = POLLOUT };
	int err;

	if (!connect(fd, sa, len)) {
		printf("connect: 0\n");
		return 0;
	}
	if (errno != EINPROGRESS) {
		printf("connect: %s\n", strerror(errno));
		return -1;
	}
	printf("connect: EINPROGRESS\n");
	poll(&p, 1, 10000);
	err = fp_opt(fd, SOL_SOCKET, SO_ERROR);
	printf("so_error: %s\n", err ? strerror(err) : "0");
	return err ? -1 : 0;
}

static void fp_echo(int fd)
{
	char buf[256];
	ssize_t n;

	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	if (write(fd, "fast", 4) != 4) {
		printf("write: %s\n", strerror(errno));
		return;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	if (n < 0) {
		printf("read: %s\n", strerror(errno));
		return;
	}
	buf[n] = '\0';
	printf("%s\n", buf);
}

static int fp_client(int argc, char **argv)
{
	struct sockaddr_storage ss = { 0 };
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
	struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
	int type = SOCK_STREAM, fd, family;
	socklen_t len;
	char num[16];

	if (inet_pton(AF_INET, argv[2], &s4->sin_addr) == 1) {
		family = s4->sin_family = AF_INET;
		s4->sin_port = htons(atoi(argv[3]));
		len = sizeof(*s4);
	} else if (inet_pton(AF_INET6, argv[2], &s6->sin6_addr) == 1) {
		family = s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(atoi(argv[3]));
		len = sizeof(*s6);
	} else {
		fprintf(stderr, "bad address %s\n", argv[2]);
		return 2;
	}
	if (fp_has(argc, argv, "nonblock"))
		type |= SOCK_NONBLOCK;
	if (!fp_has(argc, argv, "inherit"))
		type |= SOCK_CLOEXEC;
	fd = socket(family, type, 0);
	if (fd < 0) {
		printf("socket: %s\n", strerror(errno));
		return 1;
	}
	if (fp_has(argc, argv, "bind")) {
		struct sockaddr_storage any = { .ss_family = family };

		if (bind(fd, (struct sockaddr *)&any, len) < 0)
			printf("bind: %s\n", strerror(errno));
	}
	if (fp_has(argc, argv, "opts"))
		fp_set_opts(fd);
	if (fp_connect(fd, (struct sockaddr *)&ss, len) < 0)
		return 1;
	printf("flags cloexec %d nonblock %d\n",
	       fcntl(fd, F_GETFD) & FD_CLOEXEC,
	       !!(fcntl(fd, F_GETFL) & O_NONBLOCK));
	printf("opts nodelay %d keepalive %d keepidle %d sndbuf %d\n",
	       fp_opt(fd, IPPROTO_TCP, TCP_NODELAY),
	       fp_opt(fd, SOL_SOCKET, SO_KEEPALIVE),
	       fp_opt(fd, IPPROTO_TCP, TCP_KEEPIDLE),
	       fp_opt(fd, SOL_SOCKET, SO_SNDBUF));
	fp_print_name(fd, 0);
	fp_print_name(fd, 1);
	fp_echo(fd);
	fflush(stdout);
	if (!fp_has(argc, argv, "inherit"))
		return 0;
	snprintf(num, sizeof(num), "%d", fd);
	execl("/proc/self/exe", argv[0], "names", num, (char *)NULL);
	printf("exec: %s\n", strerror(errno));
	return 1;
}

int main(int argc, char **argv)
{
	alarm(20);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 4 && !strcmp(argv[1], "connect"))
		return fp_client(argc, argv);
	if (argc == 3 && !strcmp(argv[1], "names")) {
		fp_print_name(atoi(argv[2]), 0);
		fp_print_name(atoi(argv[2]), 1);
		return 0;
	}
	fprintf(stderr, "usage: see tests/progs/vnet_fastpath.c\n");
	return 2;
}
