// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/progs/vnet_hello.c - Say hello to a keeper socket, print the answer
 *
 * Usage: vnet_hello PATH.  Prints "ok users=N" or "refused: ERRNO-TEXT",
 * and "connect: ERRNO-TEXT" when the socket cannot even be reached; for
 * checking that a keeper turns away other users (SO_PEERCRED).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "../../modules/vnet/vnet.h"

int main(int argc, char **argv)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct vnet_req req = { .op = VNET_OP_HELLO,
				.flags = VNET_HELLO_USER };
	struct vnet_reply rep;
	ssize_t n;
	int fd;

	if (argc != 2 || strlen(argv[1]) >= sizeof(sa.sun_path))
		return 2;
	strcpy(sa.sun_path, argv[1]);
	fd = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		printf("connect: %s\n", strerror(errno));
		return 1;
	}
	if (send(fd, &req, sizeof(req), MSG_NOSIGNAL) != sizeof(req))
		return 1;
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
