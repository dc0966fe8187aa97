// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/progs/vtrace_kstructs.c - More structs facet trace decodes as
 *				    strace does, and the lines it should
 *				    record for them
 *
 * Usage: TZ=UTC vtrace_kstructs DIR
 *
 * Like vtrace_structs: calls through syscall(2), then the expected lines
 * on stdout (no pid prefix, no padding, fds with their paths, AT_FDCWD
 * without its directory).  Covers wait4 with WNOHANG finding no child
 * (the status is not written: its address), waitid, utimensat's and
 * utimes' times with their dates (in UTC), getrusage, fcntl's locks,
 * openat2's open_how, timerfd and POSIX timers with their sigevent,
 * terminal and fd ioctls with int and winsize arguments, preadv's single
 * offset, the names of rt_sigtimedwait's signal and sched_getscheduler's
 * policy.
 */
#include <fcntl.h>
#include <linux/openat2.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "expect_lines.h"

static void waits(void)
{
	int status = 0x0700;	/* stale: what an exit with 7 looks like */
	siginfo_t si;
	long n;
	pid_t c = fork();

	if (!c) {
		pause();
		_exit(0);
	}
	n = syscall(SYS_wait4, c, &status, WNOHANG, NULL);
	out("wait4(%d, %p, WNOHANG, NULL) = %ld\n", c, (void *)&status, n);
	memset(&si, 0, sizeof(si));
	n = syscall(SYS_waitid, P_PID, c, &si, WEXITED | WNOHANG, NULL);
	out("waitid(P_PID, %d, {}, WNOHANG|WEXITED, NULL) = %ld\n", c, n);
	kill(c, SIGKILL);
	out("kill(%d, SIGKILL) = 0\n", c);
	n = syscall(SYS_waitid, P_PID, c, &si, WEXITED, NULL);
	out("waitid(P_PID, %d, {si_signo=SIGCHLD, si_code=CLD_KILLED, "
	    "si_pid=%d, si_uid=%d, si_status=SIGKILL, si_utime=0, "
	    "si_stime=0}, WEXITED, NULL) = %ld\n", c, c, (int)getuid(), n);
}

static void times_and_locks(const char *dir)
{
	struct timespec ts[2] = { { 1700000000, 5 }, { 0, UTIME_OMIT } };
	struct timeval tv[2] = { { 1700000000, 7 }, { 5, 0 } };
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET,
			    .l_len = 10 };
	struct open_how how = { .flags = O_RDWR | O_CREAT, .mode = 0640,
				.resolve = RESOLVE_NO_SYMLINKS };
	char path[4096];
	struct rusage ru;
	long fd, n;

	snprintf(path, sizeof(path), "%s/k", dir);
	fd = syscall(SYS_openat2, AT_FDCWD, path, &how, sizeof(how));
	out("openat2(AT_FDCWD, \"%s\", {flags=O_RDWR|O_CREAT, mode=0640, "
	    "resolve=RESOLVE_NO_SYMLINKS}, %zu) = %ld<%s>\n", path,
	    sizeof(how), fd, path);
	n = syscall(SYS_utimensat, AT_FDCWD, path, ts, 0);
	out("utimensat(AT_FDCWD, \"%s\", [{tv_sec=1700000000, tv_nsec=5} "
	    "/* 2023-11-14T22:13:20.000000005+0000 */, UTIME_OMIT], 0) = %ld\n",
	    path, n);
	n = syscall(SYS_utimes, path, tv);
	out("utimes(\"%s\", [{tv_sec=1700000000, tv_usec=7} "
	    "/* 2023-11-14T22:13:20.000007+0000 */, {tv_sec=5, tv_usec=0} "
	    "/* 1970-01-01T00:00:05+0000 */]) = %ld\n", path, n);
	n = syscall(SYS_fcntl, fd, F_SETLK, &fl);
	out("fcntl(%ld<%s>, F_SETLK, {l_type=F_WRLCK, l_whence=SEEK_SET, "
	    "l_start=0, l_len=10}) = %ld\n", fd, path, n);
	n = syscall(SYS_fcntl, fd, F_GETLK, &fl);
	out("fcntl(%ld<%s>, F_GETLK, {l_type=F_UNLCK, l_whence=SEEK_SET, "
	    "l_start=0, l_len=10, l_pid=0}) = %ld\n", fd, path, n);
	n = syscall(SYS_preadv, fd, &(struct iovec){ path, 4 }, 1, 0, 0);
	out("preadv(%ld<%s>, [{iov_base=\"\", iov_len=4}], 1, 0) = %ld\n",
	    fd, path, n);
	n = syscall(SYS_getrusage, RUSAGE_SELF, &ru);
	out("getrusage(RUSAGE_SELF, {ru_utime={tv_sec=%ld, tv_usec=%ld}, "
	    "ru_stime={tv_sec=%ld, tv_usec=%ld}, ...}) = %ld\n",
	    (long)ru.ru_utime.tv_sec, (long)ru.ru_utime.tv_usec,
	    (long)ru.ru_stime.tv_sec, (long)ru.ru_stime.tv_usec, n);
	syscall(SYS_close, fd);
	out("close(%ld<%s>) = 0\n", fd, path);
}

static void timers(void)
{
	struct itimerspec its = { { 1, 2 }, { 300, 4 } };
	struct sigevent se = { .sigev_notify = SIGEV_SIGNAL,
			       .sigev_signo = SIGUSR1,
			       .sigev_value.sival_int = 7 };
	timer_t id;
	long fd, n;

	fd = syscall(SYS_timerfd_create, CLOCK_MONOTONIC, 0);
	out("timerfd_create(CLOCK_MONOTONIC, 0) = %ld<anon_inode:[timerfd]>\n",
	    fd);
	n = syscall(SYS_timerfd_settime, fd, 0, &its, NULL);
	out("timerfd_settime(%ld<anon_inode:[timerfd]>, 0, {it_interval="
	    "{tv_sec=1, tv_nsec=2}, it_value={tv_sec=300, tv_nsec=4}}, NULL) "
	    "= %ld\n", fd, n);
	syscall(SYS_close, fd);
	out("close(%ld<anon_inode:[timerfd]>) = 0\n", fd);
	n = syscall(SYS_timer_create, CLOCK_MONOTONIC, &se, &id);
	out("timer_create(CLOCK_MONOTONIC, {sigev_value={sival_int=7, "
	    "sival_ptr=0x7}, sigev_signo=SIGUSR1, sigev_notify=SIGEV_SIGNAL}, "
	    "[%d]) = %ld\n", (int)(long)id, n);
	n = syscall(SYS_timer_delete, id);
	out("timer_delete(%d) = %ld\n", (int)(long)id, n);
}

static void ioctls(void)
{
	struct winsize ws = { 24, 80, 0, 0 };
	int pt, one = 1, x = -1;
	long n;

	pt = open("/dev/ptmx", O_RDWR | O_NOCTTY);
	if (pt < 0)
		return;
	n = syscall(SYS_ioctl, pt, TIOCSWINSZ, &ws);
	out("ioctl(%d</dev/ptmx>, TIOCSWINSZ, {ws_row=24, ws_col=80, "
	    "ws_xpixel=0, ws_ypixel=0}) = %ld\n", pt, n);
	n = syscall(SYS_ioctl, pt, TIOCGWINSZ, &ws);
	out("ioctl(%d</dev/ptmx>, TIOCGWINSZ, {ws_row=24, ws_col=80, "
	    "ws_xpixel=0, ws_ypixel=0}) = %ld\n", pt, n);
	n = syscall(SYS_ioctl, pt, FIONBIO, &one);
	out("ioctl(%d</dev/ptmx>, FIONBIO, [1]) = %ld\n", pt, n);
	n = syscall(SYS_ioctl, pt, FIONREAD, &x);
	out("ioctl(%d</dev/ptmx>, FIONREAD, [%d]) = %ld\n", pt, x, n);
	n = syscall(SYS_ioctl, pt, TIOCGPTN, &x);
	out("ioctl(%d</dev/ptmx>, TIOCGPTN, [%d]) = %ld\n", pt, x, n);
	n = syscall(SYS_ioctl, pt, FIOCLEX);
	out("ioctl(%d</dev/ptmx>, FIOCLEX) = %ld\n", pt, n);
	n = syscall(SYS_ioctl, pt, TCFLSH, TCIOFLUSH);
	out("ioctl(%d</dev/ptmx>, TCFLSH, TCIOFLUSH) = %ld\n", pt, n);
	/* the kernel writes nothing on an error: the address */
	n = syscall(SYS_ioctl, 99, TIOCGWINSZ, &ws);
	out("ioctl(99, TIOCGWINSZ, %p) = -1 EBADF (Bad file descriptor)\n",
	    (void *)&ws);
	syscall(SYS_close, pt);
	out("close(%d</dev/ptmx>) = 0\n", pt);
}

static void sigwait_one(void)
{
	struct timespec zero = { 0, 0 };
	sigset_t set;
	long n;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, NULL);
	syscall(SYS_kill, getpid(), SIGUSR2);
	out("kill(%d, SIGUSR2) = 0\n", getpid());
	n = syscall(SYS_rt_sigtimedwait, &set, NULL, &zero, 8);
	out("rt_sigtimedwait([USR2], NULL, {tv_sec=0, tv_nsec=0}, 8) = "
	    "%ld (SIGUSR2)\n", n);
	n = syscall(SYS_sched_getscheduler, 0);
	if (n == SCHED_OTHER)	/* not under chrt */
		out("sched_getscheduler(0) = 0 (SCHED_OTHER)\n");
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: vtrace_kstructs DIR\n");
		return 2;
	}
	syscall(SYS_getpid);
	out("getpid() = %d\n", getpid());
	waits();
	times_and_locks(argv[1]);
	timers();
	ioctls();
	sigwait_one();
	fputs(expect, stdout);
	return 0;
}
