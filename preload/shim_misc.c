// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * preload/shim_misc.c - Fast wrappers: processes, sockets, clocks, syscall()
 *
 * The clock reads (clock_gettime, gettimeofday, time) are in
 * shim_clock.c; the others here go through the chain like any wrapper.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <sys/prctl.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/sysinfo.h>
#include <sys/timerfd.h>
#include <sys/timex.h>
#include <sys/times.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "shim_wrap.h"

/* processes and identity */
SHIM_WRAP(pid_t, getpid, SYS_getpid, (void), (), 0, 0, 0, 0, 0, 0)
SHIM_WRAP(pid_t, getppid, SYS_getppid, (void), (), 0, 0, 0, 0, 0, 0)
SHIM_WRAP(pid_t, gettid, SYS_gettid, (void), (), 0, 0, 0, 0, 0, 0)
SHIM_WRAP(uid_t, getuid, SYS_getuid, (void), (), 0, 0, 0, 0, 0, 0)
SHIM_WRAP(uid_t, geteuid, SYS_geteuid, (void), (), 0, 0, 0, 0, 0, 0)
SHIM_WRAP(gid_t, getgid, SYS_getgid, (void), (), 0, 0, 0, 0, 0, 0)
SHIM_WRAP(gid_t, getegid, SYS_getegid, (void), (), 0, 0, 0, 0, 0, 0)
SHIM_WRAP(int, uname, SYS_uname, (struct utsname *u), (u), u, 0, 0, 0, 0, 0)
SHIM_WRAP(int, kill, SYS_kill, (pid_t p, int s), (p, s), p, s, 0, 0, 0, 0)
SHIM_WRAP(int, sethostname, SYS_sethostname, (const char *n, size_t l),
	  (n, l), n, l, 0, 0, 0, 0)

/* sockets */
SHIM_WRAP(int, socket, SYS_socket, (int d, int t, int p), (d, t, p),
	  d, t, p, 0, 0, 0)
SHIM_WRAP(int, socketpair, SYS_socketpair, (int d, int t, int p, int s[2]),
	  (d, t, p, s), d, t, p, s, 0, 0)
SHIM_WRAP(int, connect, SYS_connect,
	  (int fd, const struct sockaddr *a, socklen_t l), (fd, a, l),
	  fd, a, l, 0, 0, 0)
SHIM_WRAP(int, bind, SYS_bind, (int fd, const struct sockaddr *a, socklen_t l),
	  (fd, a, l), fd, a, l, 0, 0, 0)
SHIM_WRAP(int, listen, SYS_listen, (int fd, int n), (fd, n), fd, n, 0, 0, 0, 0)
SHIM_WRAP(int, accept, SYS_accept, (int fd, struct sockaddr *a, socklen_t *l),
	  (fd, a, l), fd, a, l, 0, 0, 0)
SHIM_WRAP(int, accept4, SYS_accept4,
	  (int fd, struct sockaddr *a, socklen_t *l, int f), (fd, a, l, f),
	  fd, a, l, f, 0, 0)
SHIM_WRAP(ssize_t, sendto, SYS_sendto,
	  (int fd, const void *b, size_t n, int f, const struct sockaddr *a,
	   socklen_t l), (fd, b, n, f, a, l), fd, b, n, f, a, l)
SHIM_WRAP(ssize_t, send, SYS_sendto, (int fd, const void *b, size_t n, int f),
	  (fd, b, n, f), fd, b, n, f, 0, 0)
SHIM_WRAP(ssize_t, recvfrom, SYS_recvfrom,
	  (int fd, void *b, size_t n, int f, struct sockaddr *a, socklen_t *l),
	  (fd, b, n, f, a, l), fd, b, n, f, a, l)
SHIM_WRAP(ssize_t, recv, SYS_recvfrom, (int fd, void *b, size_t n, int f),
	  (fd, b, n, f), fd, b, n, f, 0, 0)
SHIM_WRAP(ssize_t, sendmsg, SYS_sendmsg,
	  (int fd, const struct msghdr *m, int f), (fd, m, f), fd, m, f, 0, 0, 0)
SHIM_WRAP(ssize_t, recvmsg, SYS_recvmsg, (int fd, struct msghdr *m, int f),
	  (fd, m, f), fd, m, f, 0, 0, 0)
SHIM_WRAP(int, getsockname, SYS_getsockname,
	  (int fd, struct sockaddr *a, socklen_t *l), (fd, a, l),
	  fd, a, l, 0, 0, 0)
SHIM_WRAP(int, getpeername, SYS_getpeername,
	  (int fd, struct sockaddr *a, socklen_t *l), (fd, a, l),
	  fd, a, l, 0, 0, 0)
SHIM_WRAP(int, setsockopt, SYS_setsockopt,
	  (int fd, int lv, int o, const void *v, socklen_t l),
	  (fd, lv, o, v, l), fd, lv, o, v, l, 0)
SHIM_WRAP(int, getsockopt, SYS_getsockopt,
	  (int fd, int lv, int o, void *v, socklen_t *l), (fd, lv, o, v, l),
	  fd, lv, o, v, l, 0)
SHIM_WRAP(int, shutdown, SYS_shutdown, (int fd, int h), (fd, h),
	  fd, h, 0, 0, 0, 0)

/* clocks, sleeps, timeouts */
SHIM_WRAP(int, clock_getres, SYS_clock_getres,
	  (clockid_t c, struct timespec *t), (c, t), c, t, 0, 0, 0, 0)
SHIM_WRAP(int, clock_settime, SYS_clock_settime,
	  (clockid_t c, const struct timespec *t), (c, t), c, t, 0, 0, 0, 0)
SHIM_WRAP(int, settimeofday, SYS_settimeofday,
	  (const struct timeval *t, const struct timezone *z), (t, z),
	  t, z, 0, 0, 0, 0)
SHIM_WRAP(int, nanosleep, SYS_clock_nanosleep,
	  (const struct timespec *r, struct timespec *m), (r, m),
	  CLOCK_REALTIME, 0, r, m, 0, 0)
SHIM_WRAP(int, poll, SYS_poll, (struct pollfd *f, nfds_t n, int t), (f, n, t),
	  f, n, t, 0, 0, 0)
SHIM_WRAP(int, select, SYS_select,
	  (int n, fd_set *r, fd_set *w, fd_set *e, struct timeval *t),
	  (n, r, w, e, t), n, r, w, e, t, 0)
SHIM_WRAP(int, epoll_wait, SYS_epoll_wait,
	  (int fd, struct epoll_event *e, int n, int t), (fd, e, n, t),
	  fd, e, n, t, 0, 0)
SHIM_WRAP(int, timerfd_settime, SYS_timerfd_settime,
	  (int fd, int f, const struct itimerspec *n, struct itimerspec *o),
	  (fd, f, n, o), fd, f, n, o, 0, 0)
SHIM_WRAP(int, timerfd_gettime, SYS_timerfd_gettime,
	  (int fd, struct itimerspec *c), (fd, c), fd, c, 0, 0, 0, 0)
SHIM_WRAP(unsigned, alarm, SYS_alarm, (unsigned s), (s), s, 0, 0, 0, 0, 0)
SHIM_WRAP(int, setitimer, SYS_setitimer,
	  (__itimer_which_t w, const struct itimerval *n, struct itimerval *o), (w, n, o),
	  w, n, o, 0, 0, 0)
SHIM_WRAP(int, getitimer, SYS_getitimer, (__itimer_which_t w, struct itimerval *c),
	  (w, c), w, c, 0, 0, 0, 0)

SHIM_WRAP(int, adjtimex, SYS_clock_adjtime, (struct timex *t), (t),
	  CLOCK_REALTIME, t, 0, 0, 0, 0)
SHIM_WRAP(int, ntp_adjtime, SYS_clock_adjtime, (struct timex *t), (t),
	  CLOCK_REALTIME, t, 0, 0, 0, 0)
SHIM_WRAP(int, __adjtimex, SYS_clock_adjtime, (struct timex *t), (t),
	  CLOCK_REALTIME, t, 0, 0, 0, 0)
SHIM_WRAP(int, clock_adjtime, SYS_clock_adjtime,
	  (clockid_t c, struct timex *t), (c, t), c, t, 0, 0, 0, 0)
SHIM_WRAP(int, sysinfo, SYS_sysinfo, (struct sysinfo *i), (i),
	  i, 0, 0, 0, 0, 0)
SHIM_WRAP(clock_t, times, SYS_times, (struct tms *b), (b), b, 0, 0, 0, 0, 0)

/* clock_nanosleep returns the error number instead of setting errno */
SHIM_HOT int clock_nanosleep(clockid_t c, int f, const struct timespec *r,
		    struct timespec *m)
{
	long a[6] = { c, f, (long)r, (long)m };

	if (!shim_wants(SYS_clock_nanosleep))
		return SHIM_NEXT(int (*)(clockid_t, int,
					 const struct timespec *,
					 struct timespec *),
				 "clock_nanosleep")(c, f, r, m);
	return (int)-shim_dispatch(SYS_clock_nanosleep, a);
}

/* Calls syscall() cannot just pass on: see shim_syscall6() */
static inline __attribute__((always_inline)) int syscall_special(long nr)
{
	switch (nr) {
	case SYS_execve: case SYS_execveat: case SYS_fork: case SYS_vfork:
	case SYS_clone: case SYS_clone3: case SYS_prctl:
	case SYS_exit_group:	/* the process's end (call_exit_group()) */
		return 1;
	default:
		return (unsigned long)nr >= FACET_NR_MAX;
	}
}

/* The calls of syscall_special(), wanted or not */
SHIM_HOT __attribute__((noinline, visibility("hidden"))) long
syscall_slow(long nr, long a0, long a1, long a2, long a3, long a4, long a5)
{
	long a[6] = { a0, a1, a2, a3, a4, a5 };

	if ((nr == SYS_clone || nr == SYS_clone3) && shim.active &&
	    shim_clone_new_stack(nr, a))
		return shim_clone_syscall(nr, a0, a1, a2, a3, a4, a5);
	return shim_ret(shim_syscall6(nr, a0, a1, a2, a3, a4, a5));
}

/* The wanted path, below */
long syscall_wanted(long nr, long a0, long a1, long a2, long a3, long a4,
		    long a5) __attribute__((visibility("hidden")));

/* libc's syscall(), looked up once */
long (*shim_syscall_next)(long, long, long, long, long, long, long)
	__attribute__((section(".data.facet_2next")));

SHIM_COLD __attribute__((noinline)) long
shim_syscall_libc_first(long nr, long a0, long a1, long a2, long a3, long a4,
			long a5)
{
	shim_syscall_next = (long (*)(long, long, long, long, long, long,
				      long))shim_next("syscall");
	return shim_syscall_next(nr, a0, a1, a2, a3, a4, a5);
}

/* Before the shim is set up (see shim_wants()) */
static SHIM_COLD __attribute__((noinline)) long
syscall_unready(long nr, long a0, long a1, long a2, long a3, long a4,
		long a5)
{
	if (syscall_special(nr))
		return syscall_slow(nr, a0, a1, a2, a3, a4, a5);
	if (shim_setup_now(nr)) {
		struct shim_pass p = shim_pass6(nr, a0, a1, a2, a3, a4, a5);

		if (!p.pass)
			return p.ret;
	}
	if (shim_host_busy())
		return shim_host_call(nr, a0, a1, a2, a3, a4, a5);
	return shim_syscall_libc(nr, a0, a1, a2, a3, a4, a5);
}

/**
 * shim_syscall_attn_set() - What syscall() must look at, from what the
 * modules want now (shim.syscall_attn); before the shim is marked ready
 * (or after its modules have stopped)
 */
SHIM_COLD void shim_syscall_attn_set(void)
{
	uint64_t attn[FACET_NR_MAX / 64] = { 0 };
	uint64_t chain[FACET_NR_MAX / 64] = { 0 };
	int nr, i;

	for (nr = 0; nr < FACET_NR_MAX; nr++) {
		if (shim.chain.wanted_by[nr] || syscall_special(nr))
			attn[nr / 64] |= 1ULL << (nr % 64);
		if (shim.chain.wanted_by[nr] && !syscall_special(nr))
			chain[nr / 64] |= 1ULL << (nr % 64);
	}
	/* word by word: a call made meanwhile by another thread sees the
	 * old or the new bits, either safe (a special number never has a
	 * chain bit, and the modules are starting or stopping) */
	for (i = 0; i < FACET_NR_MAX / 64; i++) {
		__atomic_store_n(&shim.syscall_attn[i], attn[i],
				 __ATOMIC_RELAXED);
		__atomic_store_n(&shim.syscall_chain[i], chain[i],
				 __ATOMIC_RELAXED);
	}
}

/* syscall() of a call that is not just wanted, or made by module code
 * (shim_tls.busy: it goes to libc), or before set-up */
SHIM_HOT __attribute__((noinline, visibility("hidden"))) long
syscall_odd(long nr, long a0, long a1, long a2, long a3, long a4, long a5)
{
	if (__builtin_expect(!shim.ready, 0))
		return syscall_unready(nr, a0, a1, a2, a3, a4, a5);
	if (syscall_special(nr))
		return syscall_slow(nr, a0, a1, a2, a3, a4, a5);
	if (shim.chain.wanted_by[nr] && !shim_here()->busy)
		return syscall_wanted(nr, a0, a1, a2, a3, a4, a5);
	if (shim_host_busy())
		return shim_host_call(nr, a0, a1, a2, a3, a4, a5);
	return shim_syscall_libc(nr, a0, a1, a2, a3, a4, a5);
}

/*
 * syscall_wanted(nr, a0..a5): shim_pass6(), then, when the modules pass
 * the call on unchanged, a jump to libc's syscall() with the arguments
 * as they came (its return is then the one return to the program after
 * the syscall, as natively).  In assembly: the arguments are pushed and
 * popped as they are, where the compiler moved each into a callee-saved
 * register and back (and it cannot make the jump from a function whose
 * frame holds the call's record, whose address the modules get).
 * Entered by a jump from syscall(): a5 is the caller's stack argument.
 */
__asm__(".pushsection .text.facet_call,\"ax\",@progbits\n"
	".globl syscall_wanted\n"
	".hidden syscall_wanted\n"
	".type syscall_wanted,@function\n"
	".p2align 4\n"
	"syscall_wanted:\n"
	"\t.cfi_startproc\n"
	"\tpush %rdi\n\t.cfi_adjust_cfa_offset 8\n"
	"\tpush %rsi\n\t.cfi_adjust_cfa_offset 8\n"
	"\tpush %rdx\n\t.cfi_adjust_cfa_offset 8\n"
	"\tpush %rcx\n\t.cfi_adjust_cfa_offset 8\n"
	"\tpush %r8\n\t.cfi_adjust_cfa_offset 8\n"
	"\tpush %r9\n\t.cfi_adjust_cfa_offset 8\n"
	/* a5, shim_pass6()'s stack argument; the stack is aligned again */
	"\tpush 56(%rsp)\n\t.cfi_adjust_cfa_offset 8\n"
	"\tcall shim_pass6\n"
	"\tadd $8, %rsp\n\t.cfi_adjust_cfa_offset -8\n"
	"\tmov %rdx, %r11\n"	/* .pass */
	"\tpop %r9\n\t.cfi_adjust_cfa_offset -8\n"
	"\tpop %r8\n\t.cfi_adjust_cfa_offset -8\n"
	"\tpop %rcx\n\t.cfi_adjust_cfa_offset -8\n"
	"\tpop %rdx\n\t.cfi_adjust_cfa_offset -8\n"
	"\tpop %rsi\n\t.cfi_adjust_cfa_offset -8\n"
	"\tpop %rdi\n\t.cfi_adjust_cfa_offset -8\n"
	"\ttest %r11, %r11\n"
	"\tjz 1f\n"
	"\tmov shim_syscall_next(%rip), %rax\n"
	"\ttest %rax, %rax\n"
	"\tjz shim_syscall_libc_first\n"
	"\tjmp *%rax\n"
	"1:\tret\n"
	"\t.cfi_endproc\n"
	".size syscall_wanted, .-syscall_wanted\n"
	".popsection\n");

/*
 * syscall(): libc's generic entry, in assembly (the compiler saved two
 * registers here for the sixth argument's stack slot).  Each way out is
 * a jump, and no frame is made: a call nobody wants reads one bit
 * (shim.syscall_attn) and goes to libc's syscall(), whose syscall
 * instruction the dispatch allows; a wanted one reads a second bit
 * (shim.syscall_chain) and goes to the chain (syscall_wanted()); the
 * special cases (syscall_slow()) and the shim's set-up (syscall_odd())
 * are functions of their own.
 */
long syscall_slow(long nr, long a0, long a1, long a2, long a3, long a4,
		  long a5);
long syscall_odd(long nr, long a0, long a1, long a2, long a3, long a4,
		 long a5);
_Static_assert(offsetof(struct shim_state, syscall_attn) == 0x30 &&
		       offsetof(struct shim_state, syscall_chain) == 0x70 &&
		       offsetof(struct shim_state, tls_off) == 0x20 &&
		       offsetof(struct shim_thread, busy) == 4 &&
		       FACET_NR_MAX == 512,
	       "syscall() below reads these offsets of shim and shim_tls");
__asm__(".pushsection .text.facet_call,\"ax\",@progbits\n"
	".globl syscall\n"
	".type syscall,@function\n"
	".p2align 4\n"
	"syscall:\n"
	"\t.cfi_startproc\n"
	"\tcmp $511, %rdi\n"
	"\tja syscall_slow\n"
	"\tmov %rdi, %rax\n"
	"\tshr $6, %rax\n"
	"\tlea shim(%rip), %r11\n"
	"\tmov 0x30(%r11,%rax,8), %r10\n"	/* syscall_attn */
	"\tbt %rdi, %r10\n"
	"\tjc 1f\n"
	"\tmov shim_syscall_next(%rip), %rax\n"
	"\ttest %rax, %rax\n"
	"\tjz shim_syscall_libc_first\n"
	"\tjmp *%rax\n"
	"1:\tmov 0x70(%r11,%rax,8), %r10\n"	/* syscall_chain */
	"\tbt %rdi, %r10\n"
	"\tjnc syscall_odd\n"
	/* this thread's shim_tls.busy (tls_off is set: a bit is) */
	"\tmov 0x20(%r11), %rax\n"
	"\tcmpl $0, %fs:4(%rax)\n"
	"\tje syscall_wanted\n"
	"\tjmp syscall_odd\n"
	"\t.cfi_endproc\n"
	".size syscall, .-syscall\n"
	".popsection\n");

/* prctl(): PR_SET_SYSCALL_USER_DISPATCH stays the shim's */
SHIM_HOT int prctl(int option, ...)
{
	unsigned long a[4];
	va_list ap;
	int i;

	va_start(ap, option);
	for (i = 0; i < 4; i++)
		a[i] = va_arg(ap, unsigned long);
	va_end(ap);
	if (option != PR_SET_SYSCALL_USER_DISPATCH && !shim_wants(SYS_prctl))
		return SHIM_NEXT(int (*)(int, ...), "prctl")(option, a[0],
							     a[1], a[2], a[3]);
	return (int)shim_ret(shim_syscall6(SYS_prctl, option, (long)a[0],
					   (long)a[1], (long)a[2], (long)a[3],
					   0));
}

/*
 * daemon(): libc's changes directory to "/" and opens /dev/null inside
 * itself, so under --root the daemon would sit in the host's root.  Made
 * here with the interposed calls when a module wants them, as glibc does
 * it: the parent exits, the child starts a session, then "/" and
 * /dev/null (a character device) on 0, 1 and 2.
 */
SHIM_HOT int daemon(int nochdir, int noclose)
{
	struct stat st;
	pid_t pid;
	int fd;

	if (!shim_wants(SYS_chdir) && !shim_wants(SYS_openat))
		return SHIM_NEXT(int (*)(int, int), "daemon")(nochdir,
							       noclose);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid > 0)
		_exit(0);
	if (setsid() < 0)
		return -1;
	if (!nochdir)
		(void)chdir("/");
	if (noclose)
		return 0;
	fd = open("/dev/null", O_RDWR);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || !S_ISCHR(st.st_mode)) {
		close(fd);
		errno = ENODEV;
		return -1;
	}
	dup2(fd, STDIN_FILENO);
	dup2(fd, STDOUT_FILENO);
	dup2(fd, STDERR_FILENO);
	if (fd > STDERR_FILENO)
		close(fd);
	return 0;
}

/* glibc's other exported name of nanosleep() */
SHIM_HOT int __nanosleep(const struct timespec *t, struct timespec *rem)
{
	return nanosleep(t, rem);
}
