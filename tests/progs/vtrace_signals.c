// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/progs/vtrace_signals.c - Signals, threads and failed execs that
 *				   facet trace should record as strace does
 *
 * Usage: vtrace_signals [term]
 *
 * Blocks SIGUSR2, ignores SIGPIPE with signal(), sends itself a SIGUSR1
 * whose handler calls getppid(); forks a child that exits with 3 and
 * one killed by SIGKILL; runs a thread (pthread_create: clone3); tries
 * to exec a file that does not exist; takes a SIGALRM from a timer
 * (si_code SI_KERNEL, no sender); sleeps while a child stops
 * and continues it (a group-stop, then restart_syscall).  Prints, in order,
 * text lines the trace should hold (other lines in between), as strace -f
 * writes them but for the pid column (and the lines "thread TID" and
 * "handler ADDRESS", SIGUSR1's handler, for the test to read).  With
 * "term" it then ends by SIGTERM, and the trace should end with
 * "+++ killed by SIGTERM +++".
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static volatile sig_atomic_t got;
static pid_t thread_tid;

/* its call comes after the kill() that raised the signal in a trace */
static void on_usr1(int sig)
{
	got = sig;
	syscall(SYS_getppid);
}

static void on_alrm(int sig)
{
	(void)sig;
}

/* SIGALRM from an interval timer: the kernel's, without a sender */
static void timer_signal(void)
{
	struct itimerval it = { { 0, 0 }, { 0, 10000 } };
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alrm;
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
	pause();
}

/*
 * A child stops us (SIGSTOP) during a 300 ms sleep and continues us
 * (SIGCONT); the kernel resumes the sleep with restart_syscall().  The
 * child lives on until it is killed, so that no SIGCHLD cuts the resumed
 * sleep short.
 */
static pid_t stop_and_continue(pid_t me)
{
	struct timespec ts = { 0, 300000000 }, pause_ts = { 0, 50000000 };
	pid_t c = fork();

	if (!c) {
		nanosleep(&pause_ts, NULL);
		kill(me, SIGSTOP);
		nanosleep(&pause_ts, NULL);
		kill(me, SIGCONT);
		pause();
		_exit(0);
	}
	syscall(SYS_clock_nanosleep, CLOCK_REALTIME, 0, &ts, NULL);
	kill(c, SIGKILL);
	waitpid(c, NULL, 0);
	return c;
}

static void *thread_main(void *arg)
{
	(void)arg;
	thread_tid = (pid_t)syscall(SYS_gettid);
	return NULL;
}

int main(int argc, char **argv)
{
	pid_t me = getpid(), a, b;
	unsigned uid = getuid();
	struct sigaction sa;
	pthread_t t;
	sigset_t set;
	int st, n, exec_errno;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);	/* glibc's: sa_mask=[PIPE] */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	syscall(SYS_kill, me, SIGUSR1);
	a = fork();
	if (!a)
		_exit(3);
	waitpid(a, &st, 0);
	b = fork();
	if (!b) {
		syscall(SYS_kill, getpid(), SIGKILL);
		_exit(1);
	}
	waitpid(b, &st, 0);
	pthread_create(&t, NULL, thread_main, NULL);
	pthread_join(t, NULL);
	execl("/nonexistent/facet-exec", "facet-exec", (char *)NULL);
	exec_errno = errno;
	timer_signal();
	stop_and_continue(me);

	printf("kill(%d, SIGUSR1) = 0\n", me);
	printf("--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_USER, si_pid=%d, "
	       "si_uid=%u} ---\n", me, uid);
	printf("getppid() = %d\n", getppid());
	printf("rt_sigreturn({mask=[USR2]}) = 0\n");
	printf("--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=%d, "
	       "si_uid=%u, si_status=3, si_utime=0, si_stime=0} ---\n", a, uid);
	printf("kill(%d, SIGKILL) = ?\n", b);
	printf("+++ killed by SIGKILL +++\n");
	printf("--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_KILLED, si_pid=%d, "
	       "si_uid=%u, si_status=SIGKILL, si_utime=0, si_stime=0} ---\n",
	       b, uid);
	printf("thread %d\n", thread_tid);
	printf("handler %p\n", (void *)on_usr1);
	for (n = 0; environ[n]; n++)
		;
	printf("execve(\"/nonexistent/facet-exec\", [\"facet-exec\"], %p "
	       "/* %d var%s */) = -1 ENOENT (No such file or directory)\n",
	       (void *)environ, n, n == 1 ? "" : "s");
	printf("--- SIGALRM {si_signo=SIGALRM, si_code=SI_KERNEL} ---\n");
	printf("--- stopped by SIGSTOP ---\n");
	printf("restart_syscall(<... resuming interrupted clock_nanosleep "
	       "...>) = 0\n");
	fflush(stdout);
	if (got != SIGUSR1 || exec_errno != ENOENT)
		return 1;
	if (argc > 1 && !strcmp(argv[1], "term"))
		raise(SIGTERM);
	return 0;
}
