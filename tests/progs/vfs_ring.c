// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/progs/vfs_ring.c - An io_uring instance made outside the view and
 * used inside it
 *
 * Usage: vfs_ring hold CMD [ARG...]
 *	Makes an io_uring instance on fd 7 without FD_CLOEXEC, its layout in
 *	the environment (VFS_RING), and execs CMD: what a command inherits
 *	from a parent that made one.
 * Usage: vfs_ring open PATH
 *	Opens PATH through the instance on fd 7 (IORING_OP_OPENAT) and
 *	prints "ring open: " and PATH's first line, or the error ("no
 *	instance" without VFS_RING); then
 *	"enter: " and the error of io_uring_enter() on fd -1 (EBADF
 *	natively, ENOSYS where refused).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/io_uring.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define RING_FD	7

static int ring_hold(char **cmd)
{
	struct io_uring_params p = { 0 };
	char env[256];
	int fd = (int)syscall(SYS_io_uring_setup, 4, &p);

	if (fd < 0 || dup2(fd, RING_FD) < 0) {
		perror("io_uring_setup");
		return 2;
	}
	snprintf(env, sizeof(env), "%u,%u,%u,%u,%u,%u,%u,%u",
		 p.sq_entries, p.cq_entries, p.sq_off.tail, p.sq_off.ring_mask,
		 p.sq_off.array, p.cq_off.head, p.cq_off.cqes, p.cq_off.tail);
	setenv("VFS_RING", env, 1);
	execvp(cmd[0], cmd);
	perror(cmd[0]);
	return 2;
}

static int ring_open(const char *path)
{
	unsigned sq_entries, cq_entries, tail_off, mask_off, array_off,
		 chead_off, cqes_off, ctail_off, t, *tail, *mask, *array;
	const char *env = getenv("VFS_RING");
	struct io_uring_sqe *sqes, *sqe;
	struct io_uring_cqe *cqe;
	size_t len;
	char *ring, buf[64];
	long ret;
	int fd;

	if (!env || sscanf(env, "%u,%u,%u,%u,%u,%u,%u,%u", &sq_entries,
			   &cq_entries, &tail_off, &mask_off, &array_off,
			   &chead_off, &cqes_off, &ctail_off) != 8) {
		printf("ring open: no instance\n");
		goto probe;
	}
	len = array_off + sq_entries * 4;
	if (cqes_off + cq_entries * sizeof(*cqe) > len)
		len = cqes_off + cq_entries * sizeof(*cqe);
	ring = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, RING_FD,
		    IORING_OFF_SQ_RING);
	sqes = mmap(NULL, sq_entries * sizeof(*sqes), PROT_READ | PROT_WRITE,
		    MAP_SHARED, RING_FD, IORING_OFF_SQES);
	if (ring == MAP_FAILED || sqes == MAP_FAILED) {
		printf("ring open: mmap: %s\n", strerror(errno));
	} else {
		tail = (unsigned *)(ring + tail_off);
		mask = (unsigned *)(ring + mask_off);
		array = (unsigned *)(ring + array_off);
		t = *tail;
		sqe = &sqes[t & *mask];
		memset(sqe, 0, sizeof(*sqe));
		sqe->opcode = IORING_OP_OPENAT;
		sqe->fd = AT_FDCWD;
		sqe->addr = (unsigned long)path;
		sqe->open_flags = O_RDONLY;
		array[t & *mask] = t & *mask;
		__atomic_store_n(tail, t + 1, __ATOMIC_RELEASE);
		ret = syscall(SYS_io_uring_enter, RING_FD, 1, 1,
			      IORING_ENTER_GETEVENTS, NULL, 0);
		cqe = (struct io_uring_cqe *)(ring + cqes_off);
		if (ret < 0) {
			printf("ring open: %s\n", strerror(errno));
		} else if (*(unsigned *)(ring + ctail_off) ==
			   *(unsigned *)(ring + chead_off)) {
			printf("ring open: no completion\n");
		} else if ((fd = cqe[*(unsigned *)(ring + chead_off) &
				     (cq_entries - 1)].res) < 0) {
			printf("ring open: %s\n", strerror(-fd));
		} else {
			ssize_t n = read(fd, buf, sizeof(buf) - 1);

			buf[n > 0 ? n : 0] = '\0';
			printf("ring open: %s", buf);
		}
	}
probe:
	ret = syscall(SYS_io_uring_enter, -1, 0, 0, 0, NULL, 0);
	printf("enter: %s\n", ret < 0 ? strerror(errno) : "ok");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 2 && !strcmp(argv[1], "hold"))
		return ring_hold(argv + 2);
	if (argc == 3 && !strcmp(argv[1], "open"))
		return ring_open(argv[2]);
	return 2;
}
