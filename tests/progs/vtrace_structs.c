// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/progs/vtrace_structs.c - Structs facet trace decodes, and the lines
 *				   it should record for them
 *
 * Usage: vtrace_structs DIR
 *
 * Like vtrace_basic: calls through syscall(2), then the expected lines on
 * stdout (no pid prefix, no padding, pipe and socket inodes as "@"),
 * starting with getpid().  Covers unix and inet6 socket addresses,
 * sendmsg/recvmsg with iovecs, poll, epoll, clock_gettime and
 * rt_sigprocmask sets, and the sets and timeouts of ppoll, pselect6 and
 * select: as passed, and what the kernel wrote after the result; arrays
 * longer than -s (32) elements end in "...", as strace's.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "expect_lines.h"

static void unix_sockets(const char *dir)
{
	struct sockaddr_un un = { .sun_family = AF_UNIX };
	char buf[16] = "", path[108];
	struct iovec iov[2] = { { "ab", 2 }, { "cde", 3 } }, in = { buf, 16 };
	struct msghdr m = { .msg_iov = iov, .msg_iovlen = 2 };
	int sv[2];
	long n, fd;

	snprintf(path, sizeof(path), "%s/s", dir);
	strcpy(un.sun_path, path);
	fd = syscall(SYS_socket, AF_UNIX, SOCK_DGRAM, 0);
	out("socket(AF_UNIX, SOCK_DGRAM, 0) = %ld<socket:[@]>\n", fd);
	n = syscall(SYS_bind, fd, &un, sizeof(un));
	out("bind(%ld<socket:[@]>, {sa_family=AF_UNIX, sun_path=\"%s\"}, "
	    "110) = %ld\n", fd, path, n);
	syscall(SYS_close, fd);
	out("close(%ld<socket:[@]>) = 0\n", fd);
	n = syscall(SYS_socketpair, AF_UNIX, SOCK_STREAM, 0, sv);
	out("socketpair(AF_UNIX, SOCK_STREAM, 0, [%d<socket:[@]>, "
	    "%d<socket:[@]>]) = %ld\n", sv[0], sv[1], n);
	n = syscall(SYS_sendmsg, sv[0], &m, MSG_DONTWAIT);
	out("sendmsg(%d<socket:[@]>, {msg_name=NULL, msg_namelen=0, "
	    "msg_iov=[{iov_base=\"ab\", iov_len=2}, {iov_base=\"cde\", "
	    "iov_len=3}], msg_iovlen=2, msg_controllen=0, msg_flags=0}, "
	    "MSG_DONTWAIT) = %ld\n", sv[0], n);
	m.msg_iov = &in;
	m.msg_iovlen = 1;
	n = syscall(SYS_recvmsg, sv[1], &m, 0);
	out("recvmsg(%d<socket:[@]>, {msg_name=NULL, msg_namelen=0, "
	    "msg_iov=[{iov_base=\"abcde\", iov_len=16}], msg_iovlen=1, "
	    "msg_controllen=0, msg_flags=0}, 0) = %ld\n", sv[1], n);
	struct pollfd p = { sv[1], POLLIN | POLLOUT, 0 };
	n = syscall(SYS_poll, &p, 1, 0);
	out("poll([{fd=%d<socket:[@]>, events=POLLIN|POLLOUT}], 1, 0) = %ld "
	    "([{fd=%d, revents=POLLOUT}])\n", sv[1], n, sv[1]);
	syscall(SYS_close, sv[0]);
	out("close(%d<socket:[@]>) = 0\n", sv[0]);
	syscall(SYS_close, sv[1]);
	out("close(%d<socket:[@]>) = 0\n", sv[1]);
}

static void inet6(void)
{
	struct sockaddr_in6 a = { .sin6_family = AF_INET6,
				  .sin6_port = htons(1) };
	long fd, n;

	a.sin6_addr = in6addr_loopback;
	fd = syscall(SYS_socket, AF_INET6, SOCK_STREAM, IPPROTO_TCP);
	out("socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP) = %ld<socket:[@]>\n",
	    fd);
	n = syscall(SYS_connect, fd, &a, sizeof(a));
	out("connect(%ld<socket:[@]>, {sa_family=AF_INET6, "
	    "sin6_port=htons(1), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "
	    "\"::1\", &sin6_addr), sin6_scope_id=0}, 28) = %ld ECONNREFUSED "
	    "(Connection refused)\n", fd, n);
	syscall(SYS_close, fd);
	out("close(%ld<socket:[@]>) = 0\n", fd);
}

static void epoll(void)
{
	struct epoll_event e = { .events = EPOLLIN, .data.u64 = 7 };
	int p[2];
	long ep, n;

	syscall(SYS_pipe2, p, 0);
	out("pipe2([%d<pipe:[@]>, %d<pipe:[@]>], 0) = 0\n", p[0], p[1]);
	ep = syscall(SYS_epoll_create1, EPOLL_CLOEXEC);
	out("epoll_create1(EPOLL_CLOEXEC) = %ld<anon_inode:[eventpoll]>\n",
	    ep);
	n = syscall(SYS_epoll_ctl, ep, EPOLL_CTL_ADD, p[1], &e);
	out("epoll_ctl(%ld<anon_inode:[eventpoll]>, EPOLL_CTL_ADD, "
	    "%d<pipe:[@]>, {events=EPOLLIN, data={u32=7, u64=7}}) = %ld\n",
	    ep, p[1], n);
	e.events = EPOLLOUT;
	syscall(SYS_epoll_ctl, ep, EPOLL_CTL_MOD, p[1], &e);
	out("epoll_ctl(%ld<anon_inode:[eventpoll]>, EPOLL_CTL_MOD, "
	    "%d<pipe:[@]>, {events=EPOLLOUT, data={u32=7, u64=7}}) = 0\n",
	    ep, p[1]);
	n = syscall(SYS_epoll_wait, ep, &e, 1, 0);
	out("epoll_wait(%ld<anon_inode:[eventpoll]>, [{events=EPOLLOUT, "
	    "data={u32=7, u64=7}}], 1, 0) = %ld\n", ep, n);
}

static void misc(void)
{
	struct timespec ts;
	sigset_t set;
	long n;

	n = syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts);
	out("clock_gettime(CLOCK_MONOTONIC, {tv_sec=%ld, tv_nsec=%ld}) = "
	    "%ld\n", (long)ts.tv_sec, ts.tv_nsec, n);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGTERM);
	n = syscall(SYS_rt_sigprocmask, SIG_BLOCK, &set, NULL, 8);
	out("rt_sigprocmask(SIG_BLOCK, [USR1 TERM], NULL, 8) = %ld\n", n);
}

/* Shown at entry: the kernel rewrites them (the 1000 ns become 0) */
static void sets_and_timeouts(void)
{
	struct timespec wait = { 0, 1000 }, now = { 0, 0 };
	struct timeval tv = { 0, 0 };
	fd_set in, out_set;
	struct pollfd pf;
	int p[2];
	long n;

	syscall(SYS_pipe2, p, 0);
	out("pipe2([%d<pipe:[@]>, %d<pipe:[@]>], 0) = 0\n", p[0], p[1]);
	pf.fd = p[0];
	pf.events = POLLIN;
	n = syscall(SYS_ppoll, &pf, 1, &wait, NULL, 8);
	out("ppoll([{fd=%d<pipe:[@]>, events=POLLIN}], 1, {tv_sec=0, "
	    "tv_nsec=1000}, NULL, 8) = %ld (Timeout)\n", p[0], n);
	wait.tv_nsec = 1000;
	FD_ZERO(&in);
	FD_SET(p[0], &in);
	n = syscall(SYS_pselect6, p[0] + 1, &in, NULL, NULL, &wait, NULL);
	out("pselect6(%d, [%d<pipe:[@]>], NULL, NULL, {tv_sec=0, "
	    "tv_nsec=1000}, NULL) = %ld (Timeout)\n", p[0] + 1, p[0], n);
	n = syscall(SYS_write, p[1], "x", 1);
	out("write(%d<pipe:[@]>, \"x\", 1) = %ld\n", p[1], n);
	n = syscall(SYS_ppoll, &pf, 1, &now, NULL, 8);
	out("ppoll([{fd=%d<pipe:[@]>, events=POLLIN}], 1, {tv_sec=0, "
	    "tv_nsec=0}, NULL, 8) = %ld ([{fd=%d, revents=POLLIN}], left "
	    "{tv_sec=0, tv_nsec=0})\n", p[0], n, p[0]);
	FD_ZERO(&in);
	FD_SET(p[0], &in);
	FD_ZERO(&out_set);
	FD_SET(p[1], &out_set);
	n = syscall(SYS_pselect6, p[1] + 1, &in, &out_set, NULL, &now, NULL);
	out("pselect6(%d, [%d<pipe:[@]>], [%d<pipe:[@]>], NULL, {tv_sec=0, "
	    "tv_nsec=0}, NULL) = %ld (in [%d], out [%d], left {tv_sec=0, "
	    "tv_nsec=0})\n", p[1] + 1, p[0], p[1], n, p[0], p[1]);
	n = syscall(SYS_select, p[1] + 1, &in, &out_set, NULL, &tv);
	out("select(%d, [%d<pipe:[@]>], [%d<pipe:[@]>], NULL, {tv_sec=0, "
	    "tv_usec=0}) = %ld (in [%d], out [%d], left {tv_sec=0, "
	    "tv_usec=0})\n", p[1] + 1, p[0], p[1], n, p[0], p[1]);
	syscall(SYS_close, p[0]);
	out("close(%d<pipe:[@]>) = 0\n", p[0]);
	syscall(SYS_close, p[1]);
	out("close(%d<pipe:[@]>) = 0\n", p[1]);
}

/* 40 iovecs and 40 pollfds: 32 shown, then "..." */
static void long_arrays(void)
{
	struct pollfd pf[40];
	struct iovec iov[40];
	int p[2], k;
	long n;

	syscall(SYS_pipe2, p, 0);
	out("pipe2([%d<pipe:[@]>, %d<pipe:[@]>], 0) = 0\n", p[0], p[1]);
	for (k = 0; k < 40; k++) {
		iov[k].iov_base = "a";
		iov[k].iov_len = 1;
		pf[k].fd = p[1];
		pf[k].events = POLLOUT;
	}
	n = syscall(SYS_writev, p[1], iov, 40);
	out("writev(%d<pipe:[@]>, [", p[1]);
	for (k = 0; k < 32; k++)
		out("%s{iov_base=\"a\", iov_len=1}", k ? ", " : "");
	out(", ...], 40) = %ld\n", n);
	n = syscall(SYS_poll, pf, 40, 0);
	out("poll([");
	for (k = 0; k < 32; k++)
		out("%s{fd=%d<pipe:[@]>, events=POLLOUT}", k ? ", " : "", p[1]);
	out(", ...], 40, 0) = %ld ([", n);
	for (k = 0; k < 32; k++)
		out("%s{fd=%d, revents=POLLOUT}", k ? ", " : "", p[1]);
	out(", ...])\n");
	syscall(SYS_close, p[0]);
	out("close(%d<pipe:[@]>) = 0\n", p[0]);
	syscall(SYS_close, p[1]);
	out("close(%d<pipe:[@]>) = 0\n", p[1]);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	out("getpid() = %ld\n", syscall(SYS_getpid));
	unix_sockets(argv[1]);
	inet6();
	epoll();
	misc();
	sets_and_timeouts();
	long_arrays();
	fwrite(expect, 1, expect_len, stdout);
	return 0;
}
