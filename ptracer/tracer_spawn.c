// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * ptracer/tracer_spawn.c - Start the command under the filter and ptrace
 *
 * DOC: Start-up
 *
 * The child waits until the supervisor has seized it (so no syscall of the
 * command runs untraced), installs the filter itself (seccomp filters are
 * per thread) and execs.  The listener fd the filter returns is fetched by
 * the supervisor with pidfd_getfd(): the child cannot send it, since after
 * the filter is loaded its own syscalls may already be intercepted.  The
 * child tells the number before loading: seccomp(2) returns the lowest free
 * fd, and nothing else opens one in between.  The child then waits on a
 * pipe until the supervisor has the listener: the listener is close-on-exec
 * (the command never sees it), so an exec before the fetch would lose it.
 * That wait is the one call of the child a module may see before its exec.
 *
 * When no module wants write(), the child also writes once the filter is
 * in place, and the supervisor fetches the listener right then.  Otherwise
 * (vtrace wants every call) that write could wait on a supervisor still
 * waiting for it, and the supervisor tries pidfd_getfd() until the fd is
 * there: 500-1000 tries in a tight loop at each start on the dev VM.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/seccomp.h>

#include "../core/log.h"
#include "../core/procfs.h"
#include "tracer.h"

#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS	SECCOMP_IOW(4, __u64)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP	(1UL << 0)
#endif

#define TRACER_PTRACE_OPTIONS						\
	(PTRACE_O_EXITKILL | PTRACE_O_TRACESECCOMP | PTRACE_O_TRACEFORK | \
	 PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC | \
	 PTRACE_O_TRACESYSGOOD)

/* A SigXxx: line of /proc/self/status as a mask, bit N-1 for signal N */
static unsigned long long spawn_sig_line(const char *status, const char *key)
{
	const char *p = strstr(status, key);

	return p ? strtoull(p + strlen(key), NULL, 16) : 0;
}

/* The signals the process that started facet left ignored; -1 not read */
static long long spawn_caller_ignored = -1;

/**
 * tracer_signals_caller_ignored() - Signals ignored by facet's caller
 *
 * Read the first time, which must come before facet sets any disposition
 * of its own (its forwarding handlers, SIGPIPE ignored).  An ignored
 * signal survives exec natively (nohup, a shell's background job ignoring
 * SIGINT and SIGQUIT), so it stays ignored in facet and in the command.
 *
 * Return: a mask, bit N-1 for signal N
 */
unsigned long long tracer_signals_caller_ignored(void)
{
	char buf[4096];
	ssize_t n;

	if (spawn_caller_ignored >= 0)
		return (unsigned long long)spawn_caller_ignored;
	n = facet_procfs_read(getpid(), "status", buf, sizeof(buf));
	spawn_caller_ignored = n > 0 ?
		(long long)(spawn_sig_line(buf, "\nSigIgn:") &
			    ~(1ULL << 63)) : 0;
	return (unsigned long long)spawn_caller_ignored;
}

/* The signal mask facet's caller gave it (tracer_signals_note_caller()) */
static sigset_t spawn_caller_mask;
static int spawn_caller_mask_known;

/**
 * tracer_signals_note_caller() - Keep what facet's caller left: the
 * signals it ignored and its signal mask, which the command gets as it
 * would natively.  Called first thing in main(), before facet blocks or
 * handles any signal of its own.
 */
void tracer_signals_note_caller(void)
{
	tracer_signals_caller_ignored();
	spawn_caller_mask_known =
		sigprocmask(SIG_BLOCK, NULL, &spawn_caller_mask) == 0;
}

/**
 * tracer_signals_default() - Every signal as facet's caller left it: at
 * its default or ignored, the mask the caller's
 *
 * For a process about to exec the command: what facet set up for itself
 * (handlers, SIGPIPE ignored) must not reach it; what facet's own parent
 * left ignored stays ignored, as it would natively.  Only the signals
 * /proc/self/status lists as ignored or caught are set back: a few calls
 * where asking for each of the 64 signals cost 64.  Safe in a vfork()
 * child: no allocation.
 */
void tracer_signals_default(void)
{
	unsigned long long mask = ~0ULL, keep = tracer_signals_caller_ignored();
	char buf[4096];
	sigset_t none;
	ssize_t n = -1;
	int fd, sig;

	fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
	}
	if (n > 0) {	/* else all of them, as if each were set */
		buf[n] = '\0';
		mask = spawn_sig_line(buf, "\nSigIgn:") |
		       spawn_sig_line(buf, "\nSigCgt:");
	}
	for (sig = 1; sig < NSIG && sig <= 64; sig++) {
		unsigned long long bit = 1ULL << (sig - 1);

		if (((mask | keep) & bit) && sig != SIGKILL && sig != SIGSTOP)
			signal(sig, keep & bit ? SIG_IGN : SIG_DFL);
	}
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, spawn_caller_mask_known ?
		    &spawn_caller_mask : &none, NULL);
}

/* Lowest free fd number: what seccomp(2) will return next */
static int spawn_next_fd(void)
{
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

	if (fd >= 0)
		close(fd);
	return fd;
}

/*
 * In the child: wait for the seize, load the filter, exec.  Never returns.
 * Exit statuses follow env(1): 127 not found, 126 cannot run, 125 facet's
 * own failure.
 */
/*
 * exec @path; "/proc/self/fd/N" (a program handed over from a preload
 * view that ran fexecve()) is exec'd as the file open on N, as the
 * kernel would, even when N is no path (a memfd).
 */
static void spawn_exec_path(const char *path, char **argv)
{
	const char *p = path + sizeof("/proc/self/fd/") - 1;
	char *end;
	long fd;

	if (!strncmp(path, "/proc/self/fd/", p - path) && *p >= '0' &&
	    *p <= '9') {
		fd = strtol(p, &end, 10);
		if (!*end && fd <= INT_MAX) {
			execveat((int)fd, "", argv, environ, AT_EMPTY_PATH);
			return;
		}
	}
	execv(path, argv);
}

/* Can the child write after loading the filter, without being stopped? */
static int spawn_tells_loaded(const struct tracer *t)
{
	return !t->chain->hooks[SYS_write];
}

static void spawn_child(struct tracer *t, char **argv, int go_fd,
			int num_fd, const void *bpf, size_t len)
{
	char c;
	int n, ret, saved;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	tracer_signals_default();
	if (getppid() == 1 || read(go_fd, &c, 1) != 1)
		_exit(125);
	if (bpf) {
		n = spawn_next_fd();
		if (write(num_fd, &n, sizeof(n)) != sizeof(n))
			_exit(125);
		ret = tracer_filter_load(bpf, len, t->has_notify);
		if (ret < 0) {
			fprintf(stderr, "facet: cannot install the seccomp "
				"filter: %s (Hint: facet needs a kernel with "
				"CONFIG_SECCOMP_FILTER)\n", strerror(-ret));
			_exit(125);
		}
		if (t->has_notify && spawn_tells_loaded(t) &&
		    write(num_fd, &n, sizeof(n)) != sizeof(n))
			_exit(125);
		/* the supervisor writes again once it holds the listener */
		if (read(go_fd, &c, 1) != 1)
			_exit(125);
	}
	if (t->exec_path)
		spawn_exec_path(t->exec_path, argv);
	else
		execvp(argv[0], argv);
	saved = errno;
	if (saved == ENOENT && !strchr(argv[0], '/'))
		fprintf(stderr, "facet: %s: command not found\n", argv[0]);
	else
		fprintf(stderr, "facet: cannot run %s: %s\n", argv[0],
			strerror(saved));
	_exit(saved == ENOENT ? 127 : 126);
}

/*
 * Fetch the child's listener fd once it exists: at once when the child
 * said the filter is loaded (@loaded), else by trying until it is there
 */
static int spawn_fetch_listener(pid_t child, int num, int loaded)
{
	int pidfd, fd = -1, tries;

	pidfd = syscall(SYS_pidfd_open, child, 0);
	if (pidfd < 0)
		return -errno;
	for (tries = 0; tries < 200000; tries++) {
		fd = syscall(SYS_pidfd_getfd, pidfd, num, 0);
		if (fd >= 0 || errno != EBADF || loaded)
			break;
		if (tries > 1000)
			usleep(10);
	}
	close(pidfd);
	if (fd < 0)
		return -errno;
	fcntl(fd, F_SETFD, FD_CLOEXEC);
	return fd;
}

/* The tracer of this process (TracerPid in /proc/self/status), or 0 */
static pid_t spawn_own_tracer(void)
{
	long tracer = facet_procfs_status(getpid(), "TracerPid", 10);

	return tracer > 0 ? (pid_t)tracer : 0;
}

/*
 * The command could not be seized.  Inside a view of facet's ptracer (or
 * under a debugger) the command is its tracer's already: a process has
 * one tracer, so say so, and what nests.
 */
static void spawn_seize_failed(int err)
{
	pid_t tracer = err == EPERM ? spawn_own_tracer() : 0;

	if (tracer > 0)
		log_err("cannot trace the command: facet runs traced by "
			"process %d (a view of facet's ptrace or combined "
			"backend, or a debugger) and a process has one "
			"tracer: run this facet with --backend preload "
			"(a dynamically linked command) to nest views",
			(int)tracer);
	else
		log_err("cannot trace the command: %s (Hint: ptrace "
			"forbidden by kernel.yama.ptrace_scope?)",
			strerror(err));
}

/**
 * tracer_spawn() - Fork the command, seized and filtered
 * @t:		Supervisor; notify_fd is set on return
 * @argv:	Command and arguments
 *
 * Return: the child's pid, or -errno (message logged)
 */
pid_t tracer_spawn(struct tracer *t, char **argv)
{
	int go[2], num[2], n = -1, any = 0, loaded, nr, ret;
	struct facet_err err;
	void *bpf = NULL;
	size_t len = 0;
	pid_t pid;

	for (nr = 0; nr < FACET_NR_MAX; nr++)
		any |= t->chain->hooks[nr];
	if (any) {
		t->notify_ok = tracer_filter_can_notify();
		if (!t->notify_ok)
			log_info("another seccomp supervisor holds the "
				 "notification listener: every call goes "
				 "through ptrace stops");
		ret = tracer_filter_build(t, &bpf, &len, &err);
		if (ret < 0) {
			log_err("%s", err.msg);
			return ret;
		}
	} else {
		/* no filter, so no call from the gate page passes one: no
		 * gate to shut (and an unprivileged process without
		 * no_new_privs could not load the second filter) */
		t->gate_page = 0;
	}
	if (pipe2(go, O_CLOEXEC) < 0 || pipe2(num, O_CLOEXEC) < 0) {
		log_err("pipe: %s", strerror(errno));
		return -errno;
	}
	pid = fork();
	if (pid < 0) {
		log_err("fork: %s", strerror(errno));
		return -errno;
	}
	if (pid == 0) {
		close(go[1]);
		close(num[0]);
		spawn_child(t, argv, go[0], num[1], bpf, len);
	}
	close(go[0]);
	close(num[1]);
	free(bpf);
	if (ptrace(PTRACE_SEIZE, pid, 0, TRACER_PTRACE_OPTIONS) < 0) {
		ret = -errno;
		spawn_seize_failed(-ret);
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return ret;
	}
	if (write(go[1], "g", 1) != 1)
		log_warn("cannot start the command: %s", strerror(errno));
	t->notify_fd = -1;
	if (any && read(num[0], &n, sizeof(n)) == sizeof(n)) {
		if (t->has_notify) {
			loaded = spawn_tells_loaded(t) &&
				 read(num[0], &n, sizeof(n)) == sizeof(n);
			t->notify_fd = spawn_fetch_listener(pid, n, loaded);
		}
		if (t->notify_fd >= 0 &&
		    ioctl(t->notify_fd, SECCOMP_IOCTL_NOTIF_SET_FLAGS,
			  SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP) < 0)
			log_debug("no synchronous wake-up for notifications: "
				  "%s", strerror(errno));
		if (write(go[1], "g", 1) != 1)
			log_warn("cannot start the command: %s",
				 strerror(errno));
	}
	close(go[1]);
	close(num[0]);
	return pid;
}
