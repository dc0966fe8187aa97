// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/progs/vnet_hello.c - Say hello to a keeper socket, print the answer
 *
 * Usage: vnet_hello PATH [attach].  Prints "ok users=N" or
 * "refused: ERRNO-TEXT", "closed" when the keeper hangs up, and
 * "connect: ERRNO-TEXT" when the socket cannot even be reached; for
 * checking that a keeper turns away other users (SO_PEERCRED).
 *
 * With "attach", the connection sends ATTACH with one end of a socket
 * pair (after its own HELLO, unless that was refused) and says hello on
 * the other end: what is printed is the answer there.  A keeper must
 * serve an attached connection only when it came over one that passed
 * the check.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "../../modules/vnet/vnet.h"

/* HELLO on @fd; Return: 0 (printed the users), or 1 (printed why not) */
static int hello(int fd)
{
	struct vnet_req req = { .op = VNET_OP_HELLO,
				.flags = VNET_HELLO_USER };
	struct vnet_reply rep;
	ssize_t n;

	if (send(fd, &req, sizeof(req), MSG_NOSIGNAL) != sizeof(req)) {
		printf("closed\n");
		return 1;
	}
	n = recv(fd, &rep, sizeof(rep), 0);
	if (n != sizeof(rep)) {
		printf("closed\n");
		return 1;
	}
	if (rep.err) {
		printf("refused: %s\n", strerror(rep.err));
		return 1;
	}
	printf("ok users=%u\n", rep.users);
	return 0;
}

/* ATTACH one end of a new pair over @fd; Return: the other end, or -1 */
static int attach(int fd)
{
	struct vnet_req req = { .op = VNET_OP_ATTACH };
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct iovec iov = { &req, sizeof(req) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = u.buf,
			      .msg_controllen = sizeof(u.buf) };
	struct cmsghdr *c;
	int pair[2];

	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, pair) < 0)
		return -1;
	memset(&u, 0, sizeof(u));
	c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &pair[1], sizeof(int));
	sendmsg(fd, &msg, MSG_NOSIGNAL);
	close(pair[1]);
	return pair[0];
}

int main(int argc, char **argv)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct vnet_req req = { .op = VNET_OP_HELLO,
				.flags = VNET_HELLO_USER };
	struct vnet_reply rep;
	int fd, via;

	if (argc < 2 || argc > 3 || strlen(argv[1]) >= sizeof(sa.sun_path))
		return 2;
	strcpy(sa.sun_path, argv[1]);
	fd = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		printf("connect: %s\n", strerror(errno));
		return 1;
	}
	if (argc == 3) {
		/* a refused hello is not the end: try to attach anyway */
		if (send(fd, &req, sizeof(req), MSG_NOSIGNAL) == sizeof(req))
			recv(fd, &rep, sizeof(rep), 0);
		via = attach(fd);
		if (via < 0)
			return 1;
		fd = via;
	}
	return hello(fd);
}
