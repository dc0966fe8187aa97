// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/unit/vnet_feed.c - A feed: the keeper's side and the client's, in
 * one process over a socketpair, with the keeper's sockets made by
 * io_uring (vnet_uring.c)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <dirent.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "../../modules/vnet/vnet_uring.c"
#include "../../modules/vnet/vnet_feed.c"
#include "../../modules/vnet/vnet_client.c"
#include "../../modules/vnet/vnet_dir.c"

/* vnet_client.c's vnet_join() starts keepers: none here */
int vnet_keeper_spawn(const struct vnet_keeper_cfg *cfg,
		      struct facet_err *err)
{
	(void)cfg;
	(void)err;
	return -ENOSYS;
}

/* Send @rep with @fd, as the keeper sends a feed's socket */
static int send_one(int conn, const struct vnet_reply *rep, int fd)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u = { 0 };
	struct iovec iov = { (void *)rep, sizeof(*rep) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = u.buf,
			      .msg_controllen = sizeof(u.buf) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);

	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	return sendmsg(conn, &msg, 0) < 0 ? -errno : 0;
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
 * struct feed_test - A keeper's feed and a client's, over a socketpair
 * @kf:		The keeper's side
 * @f:		The client's
 * @conn:	The keeper's end
 * @alive:	The keeper's sign of life, as it maps it
 */
struct feed_test {
	struct vnet_kfeed kf;
	struct vnet_feed f;
	int conn;
	struct vnet_alive *alive;
};

static int setup(void **state)
{
	struct vnet_req req = { .op = VNET_OP_FEED, .family = AF_INET,
				.type = SOCK_STREAM };
	struct feed_test *t = calloc(1, sizeof(*t));
	int sp[2], memfd;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) < 0)
		return -1;
	t->conn = sp[0];
	t->f.fd = sp[1];
	memfd = vnet_alive_hold(&t->alive);
	if (memfd < 0)
		return -1;
	t->f.alive = mmap(NULL, sizeof(*t->f.alive), PROT_READ | PROT_WRITE,
			  MAP_SHARED, memfd, 0);
	close(memfd);
	if (t->f.alive == MAP_FAILED)
		return -1;
	if (vnet_kfeed_start(&t->kf, t->conn, &req, t->alive) < 0)
		return -1;
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	struct feed_test *t = *state;

	vnet_kfeed_clear(&t->kf);
	vnet_feed_close(&t->f);
	close(t->conn);
	munmap(t->alive, sizeof(*t->alive));
	free(t);
	return 0;
}

/* Each socket its own, at the lowest free fd; the keeper keeps no copy */
static void test_take(void **state)
{
	struct feed_test *t = *state;
	int fds[20], i, j, free_fd, before, err;

	/* the keeper's io_uring, opened on first use, is not a socket */
	vnet_sockets_make(AF_INET, 99, 0, fds, 1, &err);
	before = open_fds();
	assert_int_equal(vnet_kfeed_fill(&t->kf, t->conn), 0);
	/* what was sent is closed in the keeper, and says so */
	assert_int_equal(open_fds(), before + t->kf.n);
	assert_true(t->alive->closed >= 1);
	for (i = 0; i < 20; i++) {
		free_fd = dup(0);
		close(free_fd);
		fds[i] = vnet_feed_take(&t->f, i & 1);
		assert_true(fds[i] >= 0);
		assert_int_equal(fds[i], free_fd);
		assert_int_equal(fcntl(fds[i], F_GETFD), i & 1 ? FD_CLOEXEC : 0);
		for (j = 0; j < i; j++)
			assert_true(ino(fds[i]) != ino(fds[j]));
	}
	for (i = 0; i < 20; i++)
		close(fds[i]);
}

/* A socket taken and closed is gone: its port is free again */
static void test_close_frees_port(void **state)
{
	struct feed_test *t = *state;
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(sa);
	int fd;

	assert_int_equal(vnet_kfeed_fill(&t->kf, t->conn), 0);
	fd = vnet_feed_take(&t->f, 1);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(fd, 1), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
	close(fd);
	fd = vnet_feed_take(&t->f, 1);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	close(fd);
}

/* A socket of a batch the keeper has not closed yet waits for it */
static void test_waits_for_batch(void **state)
{
	struct feed_test *t = *state;
	struct vnet_reply rep = { .batch = t->alive->closed + 1 };
	int sp[2], fd;

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sp), 0);
	assert_int_equal(send_one(t->conn, &rep, sp[0]), 0);
	/* the "keeper" says it closed that batch 50 ms later */
	if (fork() == 0) {
		usleep(50000);
		vnet_batch_close(t->alive, rep.batch);
		_exit(0);
	}
	fd = vnet_feed_take(&t->f, 1);
	assert_true(fd >= 0);
	assert_true(vnet_batch_closed(t->f.alive, rep.batch));
	wait(NULL);
	close(fd);
	close(sp[0]);
	close(sp[1]);
}

/* No socket can be made: the error, and the feed stops */
static void test_error_stops(void **state)
{
	struct feed_test *t = *state;
	int uring = vnet_uring.state;

	t->kf.protocol = 253;	/* no such IPv4 stream protocol */
	assert_int_equal(vnet_kfeed_fill(&t->kf, t->conn), 1);
	assert_int_equal(vnet_feed_take(&t->f, 1), -EPROTONOSUPPORT);
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
		cmocka_unit_test_setup_teardown(test_take, setup, teardown),
		cmocka_unit_test_setup_teardown(test_close_frees_port, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_waits_for_batch, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_error_stops, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_einval_keeps_uring, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
