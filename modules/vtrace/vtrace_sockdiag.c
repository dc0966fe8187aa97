// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vtrace/vtrace_sockdiag.c - Ask NETLINK_SOCK_DIAG about a
 *				       process's sockets, in its own network
 *				       namespace
 *
 * A socket is listed only by the network namespace it was made in, which
 * need not be its process's (--net makes a view's sockets in its own
 * namespace and hands them over): SIOCGSKNS on the socket names it, on
 * facet's copy of the fd (pidfd_getfd) when the process is another.  In
 * facet's own namespace a netlink socket is made for each question, as
 * strace does.  Another namespace is asked through a netlink socket made
 * there once: a child of facet joins the namespace's user namespace if it
 * has to (an ordinary user owns the one --net made), then the namespace,
 * makes the socket and hands it over.  Those sockets are kept, one per
 * namespace, and used under a lock.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <linux/nsfs.h>
#include <linux/sockios.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vtrace.h"

#define VTRACE_SOCKDIAG_NS	4	/* namespaces whose socket is kept */

static struct {
	ino_t ns;
	int fd;
} vtrace_sockdiag_kept[VTRACE_SOCKDIAG_NS];
static unsigned vtrace_sockdiag_nkept;
static pthread_mutex_t vtrace_sockdiag_lock = PTHREAD_MUTEX_INITIALIZER;

/*
 * The network namespace socket @fd of process @pid was made in, as an
 * open fd (SIOCGSKNS), or -1 if it cannot be told
 */
static int vtrace_sockdiag_ns(pid_t pid, long fd)
{
	int pidfd, copy, ns;

	if (pid == getpid())
		return ioctl((int)fd, SIOCGSKNS);
	pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0)
		return -1;
	copy = (int)syscall(SYS_pidfd_getfd, pidfd, (int)fd, 0);
	close(pidfd);
	if (copy < 0)
		return -1;
	ns = ioctl(copy, SIOCGSKNS);
	close(copy);
	return ns;
}

/* The inode of namespace fd @ns, or 0 */
static ino_t vtrace_sockdiag_ino(int ns)
{
	struct stat st;

	return fstat(ns, &st) < 0 ? 0 : st.st_ino;
}

/* In the child: join namespace @ns, send a diag socket over @chan */
static void __attribute__((noreturn)) vtrace_sockdiag_child(int ns, int chan)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { .iov_base = "s", .iov_len = 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = cbuf,
			     .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
	int fd;

	if (setns(ns, CLONE_NEWNET) < 0) {
		/* not privileged here: as the owner of the namespace's user
		 * namespace, enter that first (only a single thread may) */
		int user = ioctl(ns, NS_GET_USERNS);

		if (user < 0 || setns(user, CLONE_NEWUSER) < 0 ||
		    setns(ns, CLONE_NEWNET) < 0)
			_exit(1);
	}
	fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (fd < 0)
		_exit(1);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	_exit(sendmsg(chan, &mh, MSG_NOSIGNAL) == 1 ? 0 : 1);
}

/* Set in a traced program's image (preload): sockets of another namespace
 * are not asked about, as that takes a child process */
int vtrace_sockdiag_in_program;

/* A diag socket made in network namespace @ns by a child, or -1 */
static int vtrace_sockdiag_make(int ns)
{
	char cbuf[CMSG_SPACE(sizeof(int))], byte;
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = cbuf,
			     .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c;
	int chan[2], fd = -1;
	pid_t child;

	if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, chan) < 0)
		return -1;
	child = fork();
	if (child == 0) {
		close(chan[0]);
		vtrace_sockdiag_child(ns, chan[1]);
	}
	close(chan[1]);
	if (child > 0 && recvmsg(chan[0], &mh, MSG_CMSG_CLOEXEC) == 1) {
		c = CMSG_FIRSTHDR(&mh);
		if (c && c->cmsg_type == SCM_RIGHTS &&
		    c->cmsg_len == CMSG_LEN(sizeof(int)))
			memcpy(&fd, CMSG_DATA(c), sizeof(int));
	}
	close(chan[0]);
	/* the ptracer's waitpid(-1) may reap it first: nothing to undo */
	if (child > 0)
		while (waitpid(child, NULL, __WALL) < 0 && errno == EINTR)
			;
	return fd;
}

/*
 * The kept socket for namespace @ns (inode @ino), or -1; *@kept 0 if the
 * caller is to close it (no room); called locked
 */
static int vtrace_sockdiag_kept_fd(int ns, ino_t ino, int *kept)
{
	unsigned i;
	int fd;

	*kept = 1;
	for (i = 0; i < vtrace_sockdiag_nkept; i++)
		if (vtrace_sockdiag_kept[i].ns == ino)
			return vtrace_sockdiag_kept[i].fd;
	fd = vtrace_sockdiag_make(ns);
	/* a socket that is made is kept; a failure is tried again later */
	if (fd >= 0 && vtrace_sockdiag_nkept < VTRACE_SOCKDIAG_NS) {
		vtrace_sockdiag_kept[vtrace_sockdiag_nkept].ns = ino;
		vtrace_sockdiag_kept[vtrace_sockdiag_nkept++].fd = fd;
	} else {
		*kept = 0;
	}
	return fd;
}

/* Send @req on @fd and hand each answer to @each until the last */
static int vtrace_sockdiag_talk(int fd, const void *req, size_t len,
				vtrace_sockdiag_fn each, void *arg)
{
	union {
		struct nlmsghdr nlh;
		char raw[16384];
	} rs;
	struct nlmsghdr *h;
	int n, found = 0, more = 1;

	if (send(fd, req, len, 0) != (ssize_t)len)
		return 0;
	while (more) {
		n = (int)recv(fd, &rs, sizeof(rs), 0);
		if (n <= 0)
			break;
		for (h = &rs.nlh; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_type == NLMSG_DONE ||
			    h->nlmsg_type == NLMSG_ERROR) {
				more = 0;
				break;
			}
			if (!found && h->nlmsg_type == SOCK_DIAG_BY_FAMILY)
				found = each(h, arg);
			if (!(h->nlmsg_flags & NLM_F_MULTI))
				more = 0;
		}
	}
	return found;
}

/**
 * vtrace_sockdiag() - Ask NETLINK_SOCK_DIAG in the namespace of a socket
 * @pid:	Process the socket is an fd of
 * @fd:		The socket's fd there
 * @req:	Request, a struct nlmsghdr and its payload
 * @len:	Its size
 * @each:	Called with each SOCK_DIAG_BY_FAMILY answer until it returns 1
 * @arg:	Passed to @each
 *
 * Return: 1 if @each returned 1, else 0 (no answer, or no way to ask)
 */
int vtrace_sockdiag(pid_t pid, long fd, const void *req, size_t len,
		    vtrace_sockdiag_fn each, void *arg)
{
	static ino_t own;
	int ns = vtrace_sockdiag_ns(pid, fd), diag, found, kept;
	ino_t ino = ns < 0 ? 0 : vtrace_sockdiag_ino(ns);

	if (!own) {
		int self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);

		own = self < 0 ? 0 : vtrace_sockdiag_ino(self);
		if (self >= 0)
			close(self);
	}
	if (!ino || ino == own) {
		/* here, or (not to be told) where strace would ask */
		if (ns >= 0)
			close(ns);
		diag = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC,
			      NETLINK_SOCK_DIAG);
		if (diag < 0)
			return 0;
		found = vtrace_sockdiag_talk(diag, req, len, each, arg);
		close(diag);
		return found;
	}
	if (vtrace_sockdiag_in_program) {
		/* no child of facet's inside the traced program (its SIGCHLD
		 * handler, wait(-1), atfork handlers and trace would see it):
		 * /proc's answer instead, for the process's own namespace */
		close(ns);
		return 0;
	}
	pthread_mutex_lock(&vtrace_sockdiag_lock);
	diag = vtrace_sockdiag_kept_fd(ns, ino, &kept);
	found = diag >= 0 && vtrace_sockdiag_talk(diag, req, len, each, arg);
	if (diag >= 0 && !kept)
		close(diag);
	pthread_mutex_unlock(&vtrace_sockdiag_lock);
	close(ns);
	return found;
}
