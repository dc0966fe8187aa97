// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/unit/vnet_ring.c - A ring feed: the keeper's side and the client's,
 * in one process (pidfd_getfd() from itself), with the keeper's sockets
 * made by io_uring (vnet_uring.c)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include <dirent.h>
#include <sys/stat.h>

#include "../../modules/vnet/vnet_uring.c"
#include "../../modules/vnet/vnet_ring.c"

/* The REFILLs the client sent (vnet_client.c is not linked) */
static int asks;

int vnet_send(int conn, const struct vnet_req *req, int send_fd)
{
	(void)conn;
	(void)send_fd;
	assert_int_equal(req->op, VNET_OP_REFILL);
	asks++;
	return 0;
}

/* As vnet_feed.c's, one by one */
void vnet_kfeed_close(const int *fds, int n)
{
	while (n--)
		close(fds[n]);
}

static int open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

static ino_t ino(int fd)
{
	struct stat st;

	assert_int_equal(fstat(fd, &st), 0);
	return st.st_ino;
}

/**
 * struct ring_test - A keeper's feed, and a client's view of its ring
 * @f:		The keeper's side
 * @r:		The ring as a client maps it
 * @pidfd:	The "keeper's" pidfd (this process)
 */
struct ring_test {
	struct vnet_kfeed f;
	struct vnet_ring *r;
	int pidfd;
};

static int setup(void **state)
{
	struct ring_test *t = calloc(1, sizeof(*t));
	int memfd;

	t->f.on = 1;
	t->f.family = AF_INET;
	t->f.type = SOCK_STREAM | SOCK_CLOEXEC;
	memfd = vnet_kring_start(&t->f);
	if (memfd < 0)
		return -1;
	t->r = mmap(NULL, sizeof(*t->r), PROT_READ | PROT_WRITE, MAP_SHARED,
		    memfd, 0);
	close(memfd);
	if (t->r == MAP_FAILED)
		return -1;
	t->pidfd = (int)syscall(SYS_pidfd_open, getpid(), 0);
	asks = 0;
	*state = t;
	return t->pidfd < 0 ? -1 : 0;
}

static int teardown(void **state)
{
	struct ring_test *t = *state;

	vnet_kring_clear(&t->f);
	munmap(t->r, sizeof(*t->r));
	close(t->pidfd);
	free(t);
	return 0;
}

/* Every slot a socket of its own, copied once, each at the lowest free fd */
static void test_take_all(void **state)
{
	struct ring_test *t = *state;
	int fds[VNET_RING_SLOTS], i, j, free_fd;

	assert_int_equal(vnet_kring_fill(&t->f), 0);
	assert_int_equal(t->r->avail, VNET_RING_SLOTS);
	for (i = 0; i < VNET_RING_SLOTS; i++) {
		free_fd = dup(0);
		close(free_fd);
		fds[i] = vnet_ring_take(t->r, t->pidfd, -1, i & 1);
		assert_true(fds[i] >= 0);
		assert_int_equal(fds[i], free_fd);
		assert_int_equal(fcntl(fds[i], F_GETFD), i & 1 ? FD_CLOEXEC : 0);
		for (j = 0; j < i; j++)
			assert_true(ino(fds[i]) != ino(fds[j]));
	}
	/* asked once, when VNET_RING_LOW were left */
	assert_int_equal(asks, 1);
	/* empty: asks again, waits (100 ms), says so */
	assert_int_equal(vnet_ring_take(t->r, t->pidfd, -1, 1), -EAGAIN);
	assert_int_equal(asks, 2);
	for (i = 0; i < VNET_RING_SLOTS; i++)
		close(fds[i]);
}

/* The keeper closes the copies taken and fills those slots again */
static void test_refill_reaps(void **state)
{
	struct ring_test *t = *state;
	int round, i, fd, before;

	assert_int_equal(vnet_kring_fill(&t->f), 0);
	before = open_fds();
	for (round = 0; round < 5; round++) {
		for (i = 0; i < 50; i++) {
			fd = vnet_ring_take(t->r, t->pidfd, -1, 1);
			assert_true(fd >= 0);
			close(fd);
		}
		assert_int_equal(vnet_kring_fill(&t->f), 0);
		assert_int_equal(t->r->avail, VNET_RING_SLOTS);
		assert_int_equal(open_fds(), before);
	}
	for (i = 0; i < VNET_RING_SLOTS; i++)
		assert_int_equal(t->r->slot[i], (uint32_t)t->f.kfd[i] + 1);
}

/* A slot whose copy failed is given back; a closed pidfd says EBADF */
static void test_bad_pidfd(void **state)
{
	struct ring_test *t = *state;
	int fd;

	assert_int_equal(vnet_kring_fill(&t->f), 0);
	fd = open("/dev/null", O_RDONLY);
	assert_int_equal(vnet_ring_take(t->r, fd, -1, 1), -EBADF);
	close(fd);
	assert_int_equal(t->r->avail, VNET_RING_SLOTS);
	fd = vnet_ring_take(t->r, t->pidfd, -1, 1);
	assert_true(fd >= 0);
	close(fd);
}

/* Cleared (the connection's last copy closed): stale, never handed out */
static void test_cleared_is_stale(void **state)
{
	struct ring_test *t = *state;
	int i;

	assert_int_equal(vnet_kring_fill(&t->f), 0);
	vnet_kring_clear(&t->f);
	assert_null(t->f.ring);
	for (i = 0; i < VNET_RING_SLOTS; i++)
		assert_int_equal(t->r->slot[i], 0);
	assert_int_equal(vnet_ring_take(t->r, t->pidfd, -1, 1), -EBADF);
	assert_int_equal(asks, 0);
}

/* No socket can be made: the error, and the feed stops */
static void test_error_stops(void **state)
{
	struct ring_test *t = *state;
	int uring = vnet_uring.state;

	t->f.protocol = 253;	/* no such IPv4 stream protocol */
	assert_int_equal(vnet_kring_fill(&t->f), 1);
	assert_int_equal(vnet_ring_take(t->r, t->pidfd, -1, 1),
			 -EPROTONOSUPPORT);
	assert_int_equal(vnet_uring.state, uring);
}

/* Arguments socket() refuses with EINVAL do not make the keeper give up
 * io_uring (as a kernel without IORING_OP_SOCKET would) */
static void test_einval_keeps_uring(void **state)
{
	int uring = vnet_uring.state, fds[4], err = 0, i;

	(void)state;
	assert_int_equal(vnet_sockets_make(AF_INET, 99, 0, fds, 4, &err), 0);
	assert_int_equal(err, EINVAL);
	assert_int_equal(vnet_uring.state, uring);
	err = 0;
	assert_int_equal(vnet_sockets_make(AF_INET, SOCK_DGRAM, 0, fds, 4,
					   &err), 4);
	assert_int_equal(err, 0);
	for (i = 0; i < 4; i++)
		close(fds[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_take_all, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refill_reaps, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_bad_pidfd, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_cleared_is_stale, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_error_stops, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_einval_keeps_uring, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
