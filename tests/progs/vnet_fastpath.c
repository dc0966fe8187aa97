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
 *   vnet_fastpath many ADDR PORT N
 *	connect() N sockets, all kept open, then print how many of them
 *	getsockname() and getpeername() show with each address:
 *	  local ADDR COUNT
 *	  peer ADDR COUNT
 *   vnet_fastpath hold ADDR PORT N
 *	listen, print "listening", accept N connections and keep them until
 *	each peer has closed, then print "held N"
 *
 * Gives up after 20 seconds (alarm), 60 for many and hold.
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
#include <sys/resource.h>
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

/* @ss from text; Return: its length, 0 (said on stderr) if bad */
static socklen_t fp_addr(const char *addr, const char *port,
			 struct sockaddr_storage *ss)
{
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, addr, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(atoi(port));
		return sizeof(*s4);
	}
	if (inet_pton(AF_INET6, addr, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(atoi(port));
		return sizeof(*s6);
	}
	fprintf(stderr, "bad address %s\n", addr);
	return 0;
}

/* Room for @n more descriptors; 0 or -1 (said) */
static int fp_room(int n)
{
	struct rlimit r;

	if (getrlimit(RLIMIT_NOFILE, &r) < 0)
		return -1;
	if (r.rlim_cur < (rlim_t)n + 64) {
		r.rlim_cur = (rlim_t)n + 64;
		if (r.rlim_max < r.rlim_cur || setrlimit(RLIMIT_NOFILE, &r) < 0) {
			printf("rlimit: no room for %d sockets\n", n);
			return -1;
		}
	}
	return 0;
}

/* The address part of getsockname()/getpeername() of @fd, as text */
static void fp_name_text(int fd, int peer, char *buf, size_t size)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	const void *a;

	snprintf(buf, size, "?");
	if ((peer ? getpeername(fd, (struct sockaddr *)&ss, &len) :
		    getsockname(fd, (struct sockaddr *)&ss, &len)) < 0)
		return;
	a = ss.ss_family == AF_INET ?
		(const void *)&((struct sockaddr_in *)&ss)->sin_addr :
		(const void *)&((struct sockaddr_in6 *)&ss)->sin6_addr;
	inet_ntop(ss.ss_family, a, buf, (socklen_t)size);
}

/* Print how many of @fds show each address (4 at most), local or @peer */
static void fp_tally(const int *fds, int n, int peer)
{
	char names[4][INET6_ADDRSTRLEN], buf[INET6_ADDRSTRLEN];
	int counts[4] = { 0 }, used = 0, others = 0, i, j;
	const char *what = peer ? "peer" : "local";

	for (i = 0; i < n; i++) {
		fp_name_text(fds[i], peer, buf, sizeof(buf));
		for (j = 0; j < used && strcmp(names[j], buf); j++)
			;
		if (j == used && used == 4) {
			others++;
			continue;
		}
		if (j == used)
			snprintf(names[used++], sizeof(names[0]), "%s", buf);
		counts[j]++;
	}
	for (j = 0; j < used; j++)
		printf("%s %s %d\n", what, names[j], counts[j]);
	if (others)
		printf("%s others %d\n", what, others);
}

static int fp_many(char **argv)
{
	struct sockaddr_storage ss;
	socklen_t len = fp_addr(argv[2], argv[3], &ss);
	int n = atoi(argv[4]), i, *fds;

	if (!len || n <= 0 || fp_room(n) < 0)
		return 2;
	fds = calloc((size_t)n, sizeof(*fds));
	if (!fds)
		return 2;
	for (i = 0; i < n; i++) {
		fds[i] = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fds[i] < 0 || connect(fds[i], (struct sockaddr *)&ss, len)) {
			printf("connection %d: %s\n", i, strerror(errno));
			return 1;
		}
	}
	fp_tally(fds, n, 0);
	fp_tally(fds, n, 1);
	return 0;
}

static int fp_hold(char **argv)
{
	struct sockaddr_storage ss;
	socklen_t len = fp_addr(argv[2], argv[3], &ss);
	int n = atoi(argv[4]), one = 1, l, i, *fds;
	char c;

	if (!len || n <= 0 || fp_room(n) < 0)
		return 2;
	fds = calloc((size_t)n, sizeof(*fds));
	l = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (!fds || l < 0 ||
	    setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(l, (struct sockaddr *)&ss, len) < 0 || listen(l, n) < 0) {
		printf("listen: %s\n", strerror(errno));
		return 1;
	}
	printf("listening\n");
	for (i = 0; i < n; i++) {
		fds[i] = accept4(l, NULL, NULL, SOCK_CLOEXEC);
		if (fds[i] < 0) {
			printf("accept: %s\n", strerror(errno));
			return 1;
		}
	}
	for (i = 0; i < n; i++)
		while (read(fds[i], &c, 1) > 0)
			;
	printf("held %d\n", n);
	return 0;
}

static int fp_client(int argc, char **argv)
{
	struct sockaddr_storage ss;
	int type = SOCK_STREAM, fd, family;
	socklen_t len;
	char num[16];

	len = fp_addr(argv[2], argv[3], &ss);
	if (!len)
		return 2;
	family = ss.ss_family;
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
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 5 && !strcmp(argv[1], "many")) {
		alarm(60);
		return fp_many(argv);
	}
	if (argc == 5 && !strcmp(argv[1], "hold")) {
		alarm(60);
		return fp_hold(argv);
	}
	alarm(20);
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
