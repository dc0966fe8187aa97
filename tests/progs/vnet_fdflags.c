// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/progs/vnet_fdflags.c - socket() flags as the kernel gives them
 *
 * Usage: vnet_fdflags
 *
 * For socket(AF_INET, SOCK_STREAM) with each of no flag, SOCK_CLOEXEC,
 * SOCK_NONBLOCK and both, 40 times over (a feed's refills included),
 * prints "cloexec nonblock" of the first, and "same" when every later one
 * was the same, and every one at the lowest free fd.
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void)
{
	static const int flags[] = { 0, SOCK_CLOEXEC, SOCK_NONBLOCK,
				     SOCK_CLOEXEC | SOCK_NONBLOCK };
	int i, k, fd, fdf, fl, first_fdf = -1, first_fl = -1, same, free;

	for (k = 0; k < 4; k++) {
		same = 1;
		for (i = 0; i < 40; i++) {
			free = dup(0);
			close(free);
			fd = socket(AF_INET, SOCK_STREAM | flags[k], 0);
			if (fd < 0) {
				perror("socket");
				return 1;
			}
			fdf = fcntl(fd, F_GETFD);
			fl = fcntl(fd, F_GETFL);
			if (!i) {
				first_fdf = fdf;
				first_fl = fl;
			} else if (fdf != first_fdf || fl != first_fl) {
				same = 0;
			}
			if (fd != free)
				same = 0;
			close(fd);
		}
		printf("%d %d %s\n", !!(first_fdf & FD_CLOEXEC),
		       !!(first_fl & O_NONBLOCK), same ? "same" : "differ");
	}
	return 0;
}
