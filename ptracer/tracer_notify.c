// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * ptracer/tracer_notify.c - Calls served by seccomp user notification
 *
 * DOC: The notification threads
 *
 * Threads of their own (one; in the combined mode one per CPU, 2 to 4,
 * see notify_threads()) block in SECCOMP_IOCTL_NOTIF_RECV, so a notified
 * call is answered without waiting for the ptrace loop, or for a busy or
 * preempted listener.  The listener has
 * SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP set where the kernel knows it: the
 * caller then hands its CPU straight to a waiting thread and back, which
 * is what keeps a round trip near 2 µs instead of a cross-CPU wake-up
 * (see docs/design.md).  Since Linux 6.6 NOTIF_RECV waits on the same
 * queue as poll(), so a thread waits in NOTIF_RECV itself: one syscall
 * less per call.  Module callbacks are serialized with each other and
 * with the ptrace loop by mod_lock.
 *
 * An open that may block (facet_return_open(): a FIFO, a device) runs in a
 * short-lived thread of its own, which answers the notification when the
 * open returns; the caller waits, other calls do not.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../core/log.h"
#include "tracer.h"
#include "tracer_notify.h"

/*
 * Copy @local_fd into the caller of notification @id with its close-on-exec
 * flag (SECCOMP_IOCTL_NOTIF_ADDFD with @flags, at @target for SETFD) and
 * close it here.  Return: what the ioctl returns, or -errno
 */
static int notify_addfd(int notify_fd, uint64_t id, int local_fd,
			uint32_t flags, int target)
{
	struct seccomp_notif_addfd addfd = {
		.id = id,
		.flags = flags,
		.srcfd = local_fd,
		.newfd = flags & SECCOMP_ADDFD_FLAG_SETFD ? target : 0,
	};
	int fdflags = fcntl(local_fd, F_GETFD);
	int ret;

	if (fdflags >= 0 && (fdflags & FD_CLOEXEC))
		addfd.newfd_flags = O_CLOEXEC;
	ret = ioctl(notify_fd, SECCOMP_IOCTL_NOTIF_ADDFD, &addfd);
	ret = ret < 0 ? -errno : ret;
	close(local_fd);
	return ret;
}

/**
 * tracer_notify_send_fd() - Answer a notification with a new fd
 * @notify_fd:	Listener
 * @id:		Notification
 * @local_fd:	fd to copy into the caller; closed here
 *
 * Return: the fd number in the caller, or -errno
 */
int tracer_notify_send_fd(int notify_fd, uint64_t id, int local_fd)
{
	struct seccomp_notif_resp resp = { .id = id };
	struct stat st;
	int fd;

	if (fstat(local_fd, &st) < 0 || !S_ISSOCK(st.st_mode))
		return notify_addfd(notify_fd, id, local_fd,
				    SECCOMP_ADDFD_FLAG_SEND, 0);
	/*
	 * A socket's copy here holds its port while it is open: a program
	 * that closed the socket and bound the port again at once found it
	 * in use (1,973 of 2,000 times under --net private).  So the copy is
	 * closed before the caller goes on: the fd is added, closed here,
	 * then the answer sent (one more wake-up of the caller).
	 */
	fd = notify_addfd(notify_fd, id, local_fd, 0, 0);
	if (fd < 0)
		return fd;
	resp.val = fd;
	if (ioctl(notify_fd, SECCOMP_IOCTL_NOTIF_SEND, &resp) < 0)
		return -errno;
	return fd;
}

/**
 * tracer_notify_set_fd() - Put an fd at a given number in a waiting caller
 * @notify_fd:	Listener
 * @id:		Notification, still to be answered afterwards
 * @local_fd:	fd to copy into the caller; closed here
 * @target:	fd number in the caller, replaced as by dup2()
 *
 * Return: 0 or -errno
 */
int tracer_notify_set_fd(int notify_fd, uint64_t id, int local_fd,
			 int target)
{
	int ret = notify_addfd(notify_fd, id, local_fd,
			       SECCOMP_ADDFD_FLAG_SETFD, target);

	return ret < 0 ? ret : 0;
}

/* A traced call the ptrace loop turned into a notification: hand its fd */
static int notify_pending_fd(struct tracer *t, const struct seccomp_notif *req)
{
	struct tracee *te;
	int fd = -1;

	pthread_mutex_lock(&t->tab_lock);
	te = tracee_find(t, req->pid);
	if (te) {
		fd = te->pending_fd;
		te->pending_fd = -1;
	}
	pthread_mutex_unlock(&t->tab_lock);
	if (fd < 0)
		return -EBADF;
	return tracer_notify_send_fd(t->notify_fd, req->id, fd);
}

static void notify_send(struct tracer *t, struct seccomp_notif_resp *resp)
{
	if (ioctl(t->notify_fd, SECCOMP_IOCTL_NOTIF_SEND, resp) < 0 &&
	    errno != ENOENT)
		log_debug("answering a notification: %s", strerror(errno));
}

static void notify_answer(struct tracer *t, struct seccomp_notif_resp *resp,
			  const struct facet_call *call)
{
	if (call->flags & FACET_CALL_FINISHED) {
		if (call->result < 0 && call->result >= -4095)
			resp->error = (int)call->result;
		else
			resp->val = call->result;
	} else {
		resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	}
	notify_send(t, resp);
}

/* The caller's thread group, from the tracee table (0 if not seen yet) */
static pid_t notify_tgid(struct tracer *t, pid_t tid)
{
	struct tracee *te;
	pid_t tgid = 0;

	pthread_mutex_lock(&t->tab_lock);
	te = tracee_find(t, tid);
	if (te)
		tgid = te->tgid;
	pthread_mutex_unlock(&t->tab_lock);
	return tgid;
}

static void notify_handle(struct tracer *t, struct facet_call *call,
			  facet_call_scratch *scratch,
			  struct tracer_strs *strs,
			  const struct seccomp_notif *req,
			  struct seccomp_notif_resp *resp)
{
	struct tracer_notify_ctx ctx = { t->notify_fd, req->id, 0, strs, t };
	long args[6];
	int i, ret;

	memset(resp, 0, sizeof(*resp));
	resp->id = req->id;
	strs->fetched = 0;
	if ((uint64_t)req->data.args[5] == t->cookie) {
		/* the supervisor's own (tracer_gate.c) */
		if (req->data.nr == SYS_seccomp) {
			resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
			return notify_send(t, resp);
		}
		ret = notify_pending_fd(t, req);
		if (ret >= 0 || ret == -ENOENT)
			return;
	}
	for (i = 0; i < 6; i++)
		args[i] = req->data.args[i];
	ret = tracer_fence(t, req->pid, req->data.nr, args);
	if (ret < 0) {
		resp->error = ret;
		return notify_send(t, resp);
	}
	if (tracer_memory_watch(t, req->pid, req->data.nr, args)) {
		resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
		return notify_send(t, resp);
	}
	facet_call_init(call, &tracer_notify_ops, &ctx, scratch, req->pid,
			req->data.nr, args);
	call->pid = notify_tgid(t, req->pid);
	pthread_mutex_lock(&t->mod_lock);
	if (facet_chain_enter(t->chain, call) == FACET_DONE &&
	    call->exit_mask)
		facet_chain_exit(t->chain, call);
	else if (call->exit_mask)
		log_warn("a module asked for the result of syscall %d without "
			 "declaring FACET_HOOK_EXIT for it; ignored",
			 req->data.nr);
	pthread_mutex_unlock(&t->mod_lock);
	if (!ctx.answered)
		notify_answer(t, resp, call);
}

/*
 * NOTIF_RECV failed with ENOENT: a caller went away between its wake-up
 * and the receive, or no process uses the filter any more.  In the second
 * case NOTIF_RECV returns at once, every time (the kernel does not wait
 * on a filter without users), and the thread would spin until facet
 * exits: 800-6,000 ioctls at the end of each run.  poll() tells the
 * two apart (EPOLLHUP: no users; a filter never gains users again).
 */
static int notify_filter_unused(struct tracer *t)
{
	struct pollfd p = { .fd = t->notify_fd, .events = POLLIN };

	return poll(&p, 1, -1) == 1 && (p.revents & POLLHUP) &&
	       !(p.revents & POLLIN);
}

static void *notify_main(void *arg)
{
	struct seccomp_notif_resp *resp;
	struct seccomp_notif_sizes sizes;
	struct tracer_strs *strs;
	facet_call_scratch *scratch;
	struct facet_call *call;
	struct seccomp_notif *req;
	struct tracer *t = arg;

	if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sizes) < 0) {
		sizes.seccomp_notif = sizeof(*req);
		sizes.seccomp_notif_resp = sizeof(*resp);
	}
	req = calloc(1, sizes.seccomp_notif > sizeof(*req) ?
			       sizes.seccomp_notif : sizeof(*req));
	resp = calloc(1, sizes.seccomp_notif_resp > sizeof(*resp) ?
				 sizes.seccomp_notif_resp : sizeof(*resp));
	call = calloc(1, sizeof(*call));
	scratch = calloc(1, sizeof(*scratch));
	strs = calloc(1, sizeof(*strs));
	if (!req || !resp || !call || !scratch || !strs) {
		log_err("out of memory in the notification thread");
		exit(125);
	}
	for (;;) {
		memset(req, 0, sizes.seccomp_notif);
		if (ioctl(t->notify_fd, SECCOMP_IOCTL_NOTIF_RECV, req) < 0) {
			if (errno == ENOENT && notify_filter_unused(t))
				break;
			if (errno == EINTR || errno == ENOENT)
				continue;
			log_debug("notification listener: %s",
				  strerror(errno));
			break;
		}
		notify_handle(t, call, scratch, strs, req, resp);
	}
	return NULL;
}

/**
 * struct notify_open - An open made for a caller in a thread of its own
 */
struct notify_open {
	int notify_fd;
	uint64_t id;
	int flags;
	char path[];
};

static void *notify_open_main(void *arg)
{
	struct seccomp_notif_resp resp = { 0 };
	struct notify_open *o = arg;
	int fd, ret;

	fd = open(o->path, o->flags);
	ret = fd < 0 ? -errno : tracer_notify_send_fd(o->notify_fd, o->id, fd);
	if (ret < 0 && ret != -ENOENT) {
		resp.id = o->id;
		resp.error = ret;
		ioctl(o->notify_fd, SECCOMP_IOCTL_NOTIF_SEND, &resp);
	}
	free(o);
	return NULL;
}

/**
 * tracer_notify_open_later() - Open @path for notification @id in a thread
 *
 * Return: 0 (the thread answers), or -errno (nothing was started)
 */
int tracer_notify_open_later(int notify_fd, uint64_t id, const char *path,
			     int flags)
{
	size_t len = strlen(path) + 1;
	struct notify_open *o = malloc(sizeof(*o) + len);
	sigset_t all, old;
	pthread_attr_t attr;
	pthread_t thread;
	int ret;

	if (!o)
		return -ENOMEM;
	o->notify_fd = notify_fd;
	o->id = id;
	o->flags = flags;
	memcpy(o->path, path, len);
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	ret = -pthread_create(&thread, &attr, notify_open_main, o);
	pthread_attr_destroy(&attr);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (ret < 0)
		free(o);
	return ret;
}

/*
 * How many threads wait in NOTIF_RECV.  The kernel wakes every waiter for
 * each notification, so under the plain ptracer, where every wanted call
 * of a program comes here, one: with two a tree walk took 25% longer.  In
 * the combined mode the calls that come here are few per process (the
 * loader's, libc's own) but come from many processes at once, and with
 * one thread a call waited whenever that thread was preempted (runnable,
 * not running) while the program's processes kept every CPU busy: up to
 * a scheduler slice, 2-4 ms, about a hundred times in a make -j2 of 41
 * files.  So there one per CPU, 2 to 4: another thread asleep in
 * NOTIF_RECV takes the call at once, on the caller's CPU (the build's
 * wall time 1.7x native -> 1.4-1.6x; its walk about 5% slower).
 */
static int notify_threads(const struct tracer *t)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	if (!t->gate_page)
		return 1;
	return n < 2 ? 2 : n > 4 ? 4 : (int)n;
}

/**
 * tracer_notify_start() - Start the notification threads
 * @t:		Supervisor with notify_fd set
 *
 * Return: 0 or -errno (not even one started)
 */
int tracer_notify_start(struct tracer *t)
{
	int ret = 0, i, n = notify_threads(t);
	sigset_t all, old;
	pthread_attr_t attr;
	pthread_t thread;

	/* signals for facet go to the main thread */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	for (i = 0; i < n && !ret; i++)
		ret = -pthread_create(&thread, &attr, notify_main, t);
	pthread_attr_destroy(&attr);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return i > 1 ? 0 : ret;
}
