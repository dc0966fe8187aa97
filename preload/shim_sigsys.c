// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * preload/shim_sigsys.c - Syscalls caught by Syscall User Dispatch
 *
 * DOC: The SIGSYS path
 *
 * A syscall instruction outside the allowed range (libc's text with the
 * raw catch on, the gate in trap mode) raises SIGSYS.  The handler reads
 * the call from the saved registers, runs it through the chain
 * (shim_syscall6()) and writes the result back into RAX; returning from
 * the handler resumes the program after its syscall instruction.
 *
 * Some calls cannot simply be made again from inside a signal handler:
 *  - vfork and clone(CLONE_VFORK) without a new stack: the child would
 *    run on the handler's frame and destroy it for the parent; made as a
 *    plain fork instead;
 *  - clone and clone3 with a new stack (a thread made outside libc): the
 *    child must start with the dispatch armed (shim_clone.c);
 *  - clone3 with CLONE_VFORK and no stack: fails with ENOSYS (libc's own
 *    callers fall back to clone);
 *  - rt_sigreturn: done through libc's restorer on the program's frame.
 *
 * SIGSYS must stay deliverable: a blocked SIGSYS forced by the kernel
 * kills the process.  sigaction(), signal(), sigprocmask() and
 * pthread_sigmask() are interposed so that the program's own SIGSYS
 * handler is remembered (and called for SIGSYS that is not ours) and
 * SIGSYS is never blocked.
 */
#include <signal.h>
#include <string.h>
#include <sched.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <linux/audit.h>

#include "../core/log.h"
#include "shim.h"

#ifndef SYS_SECCOMP
#define SYS_SECCOMP		1
#endif
#ifndef SYS_USER_DISPATCH
#define SYS_USER_DISPATCH	2
#endif

typedef int (*sigaction_fn)(int, const struct sigaction *, struct sigaction *);

static struct sigaction sigsys_app;	/* the program's SIGSYS action */
#ifndef SA_RESTORER
#define SA_RESTORER	0x04000000
#endif

static void *sigsys_restorer;		/* libc's __restore_rt */

/*
 * A SIGSYS that is not ours, where the program left SIGSYS at its default:
 * it ends the process with a core dump, as it would natively.  The kernel's
 * action goes back to SIG_DFL and the signal is sent again; SIGSYS is never
 * blocked here, so it is delivered as this call returns.
 */
static void sigsys_default(int sig)
{
	long k[4] = { (long)SIG_DFL, 0, 0, 0 };	/* handler, flags, restorer, mask */

	shim_gate(SYS_rt_sigaction, sig, (long)k, 0, sizeof(k[3]), 0, 0);
	shim_gate(SYS_tgkill, shim_gate(SYS_getpid, 0, 0, 0, 0, 0, 0),
		  shim_gate(SYS_gettid, 0, 0, 0, 0, 0, 0), sig, 0, 0, 0);
}

/*
 * The program's own SIGSYS action, for SIGSYS that is not ours (a kill, a
 * SECCOMP_RET_TRAP of the program's own filter).  The kernel does not let
 * a program ignore the SIGSYS of a seccomp trap: that one kills it too.
 */
static void sigsys_chain(int sig, siginfo_t *si, void *uctx)
{
	if (sigsys_app.sa_flags & SA_SIGINFO) {
		if (sigsys_app.sa_sigaction)
			sigsys_app.sa_sigaction(sig, si, uctx);
	} else if (sigsys_app.sa_handler == SIG_DFL ||
		   (sigsys_app.sa_handler == SIG_IGN &&
		    si->si_code == SYS_SECCOMP)) {
		sigsys_default(sig);
	} else if (sigsys_app.sa_handler != SIG_IGN) {
		sigsys_app.sa_handler(sig);
	}
}

/*
 * The restorer for trap mode: a sigreturn from inside the gate's range.
 * (glibc installs its own restorer with every sigaction(), so it cannot
 * be registered; the handler jumps to it instead of returning.)
 */
__asm__(".pushsection facet_gate,\"ax\",@progbits\n"
	".type shim_gate_sigreturn,@function\n"
	"shim_gate_sigreturn:\n"
	"\tmov $15, %eax\n"
	"\tsyscall\n"
	"\thlt\n"
	".popsection\n");
extern const char shim_gate_sigreturn[];

/*
 * libc's restorer, from the kernel's record of the SIGSYS action (which
 * libc's sigaction() gave it): asked the first time a SIGSYS returns, not
 * at start-up, where most images would make the call for nothing.
 */
static void sigsys_find_restorer(void)
{
	struct {
		void *handler;
		unsigned long flags;
		void *restorer;
		unsigned long mask;
	} k;

	if (shim_gate(SYS_rt_sigaction, SIGSYS, 0, (long)&k, sizeof(k.mask),
		      0, 0) == 0 && (k.flags & SA_RESTORER))
		sigsys_restorer = k.restorer;
}

/*
 * Return from a signal frame whose ucontext is at @sp, with an
 * rt_sigreturn the dispatch lets through: libc's restorer while libc is
 * the allowed range, the gate's in trap mode (the gate page's in the
 * combined mode).  A plain return from the
 * SIGSYS handler would make libc's restorer trap in trap mode.
 */
__attribute__((noreturn)) static void sigsys_sigreturn(unsigned long sp)
{
	const void *to;

	if (!sigsys_restorer && shim_tls.armed != 2)
		sigsys_find_restorer();
	to = shim_tls.armed == 2 || !sigsys_restorer ?
	     (const void *)shim_gate_sigreturn : sigsys_restorer;
	if (to == shim_gate_sigreturn && shim.supervised)
		to = (const void *)(SHIM_GATE_PAGE + SHIM_GATE_SIGRETURN);

	__asm__ volatile("mov %0, %%rsp\n\tjmp *%1"
			 : : "r"(sp), "r"(to) : "memory");
	__builtin_unreachable();
}

/*
 * A trapped clone, clone3 or vfork: one with a new stack is made by
 * shim_clone_raw() (the child starts caught); a vfork, which would run on
 * this handler's frame, is made as a fork (by shim_syscall6()).
 * Return: the result when *@done is set; otherwise the call goes on as
 * *@nr with @a
 */
static long sigsys_clone(long *nr, long *a, const greg_t *g, int *done)
{
	*done = 0;
	if (*nr == SYS_vfork)
		return 0;
	if (shim_clone_new_stack(*nr, a)) {
		*done = 1;
		return shim_clone_raw(*nr, a, (const unsigned long *)g);
	}
	if (*nr == SYS_clone && (a[0] & CLONE_VFORK))
		a[0] &= ~(long)(CLONE_VFORK | CLONE_VM);
	/* one that would run on this frame: the caller may use clone */
	if (*nr == SYS_clone3 && (!a[0] || (size_t)a[1] < 8 ||
				  (*(const unsigned long *)a[0] &
				   CLONE_VFORK))) {
		*done = 1;
		return -ENOSYS;
	}
	return 0;
}

/*
 * rt_sigprocmask / rt_sigaction from outside libc: keep SIGSYS ours.
 * Return: 1 if the call was answered here (result 0), else 0
 */
static int sigsys_signals(long nr, long *a, sigset_t *tmp)
{
	if (nr == SYS_rt_sigprocmask && a[1] && a[0] != SIG_UNBLOCK) {
		memcpy(tmp, (void *)a[1], sizeof(long));
		sigdelset(tmp, SIGSYS);
		a[1] = (long)tmp;
	}
	if (nr != SYS_rt_sigaction || a[0] != SIGSYS)
		return 0;
	/* the kernel's layout: handler, flags, restorer, mask */
	if (a[2])
		memset((void *)a[2], 0, sizeof(long) * 4);
	if (a[1]) {
		memset(&sigsys_app, 0, sizeof(sigsys_app));
		memcpy(&sigsys_app.sa_handler, (void *)a[1], sizeof(long));
		sigsys_app.sa_flags = (int)((long *)a[1])[1];
	}
	return 1;
}

/*
 * A mask the call changed: the handler runs with the program's mask (the
 * action's sa_mask is empty, SA_NODEFER), but the sigreturn restores the
 * frame's uc_sigmask, which would undo it; so the frame gets the mask the
 * call left.
 */
static void sigsys_keep_mask(long nr, const long *a, long ret, ucontext_t *uc)
{
	unsigned long cur;

	if (nr != SYS_rt_sigprocmask || ret < 0 || !a[1])
		return;
	if (shim_gate(SYS_rt_sigprocmask, SIG_BLOCK, 0, (long)&cur,
		      sizeof(cur), 0, 0) == 0)
		memcpy(&uc->uc_sigmask, &cur, sizeof(cur));
}

static void sigsys_handler(int sig, siginfo_t *si, void *uctx)
{
	ucontext_t *uc = uctx;
	greg_t *g = uc->uc_mcontext.gregs;
	unsigned char prev = shim_sel;
	int saved_errno = errno;
	sigset_t tmp;
	long nr, ret = 0, a[6];
	int done = 0;

	if (si->si_code != SYS_USER_DISPATCH) {
		sigsys_chain(sig, si, uctx);
		sigsys_sigreturn((unsigned long)uctx);
	}
	/* int 0x80 traps too: i386 numbers, which the chain does not know */
	if (si->si_arch != AUDIT_ARCH_X86_64) {
		g[REG_RAX] = shim_bad_abi();
		errno = saved_errno;
		sigsys_sigreturn((unsigned long)uctx);
	}
	shim_sel = 0;
	nr = g[REG_RAX];
	a[0] = g[REG_RDI];
	a[1] = g[REG_RSI];
	a[2] = g[REG_RDX];
	a[3] = g[REG_R10];
	a[4] = g[REG_R8];
	a[5] = g[REG_R9];
	if (nr == SYS_rt_sigreturn) {
		shim_sel = prev;
		sigsys_sigreturn((unsigned long)g[REG_RSP]);
	}
	if (nr == SYS_vfork || nr == SYS_clone || nr == SYS_clone3)
		ret = sigsys_clone(&nr, a, g, &done);
	if (!done && sigsys_signals(nr, a, &tmp))
		ret = 0;
	else if (!done)
		ret = shim_syscall6(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	sigsys_keep_mask(nr, a, ret, uc);
	if (shim_tls.trap && ret >= 0 &&
	    (nr == SYS_open || nr == SYS_openat || nr == SYS_openat2))
		shim_locale_opened((const char *)a[nr == SYS_open ? 0 : 1]);
	g[REG_RAX] = ret;
	errno = saved_errno;
	shim_sel = prev;
	sigsys_sigreturn((unsigned long)uctx);
}

/* libc's sigaction(), one lookup for every use here (looked
 * up at start-up: shim_signal_install() runs in a signal handler) */
static sigaction_fn sigsys_libc_sigaction(void)
{
	return SHIM_NEXT(sigaction_fn, "sigaction");
}

/**
 * shim_sigsys_install() - Take SIGSYS for the shim
 *
 * Return: 0 or -errno
 */
SHIM_COLD int shim_sigsys_install(void)
{
	sigaction_fn real = sigsys_libc_sigaction();
	struct sigaction sa;
	sigset_t set;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = sigsys_handler;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	if (real(SIGSYS, &sa, &sigsys_app) < 0)
		return -errno;
	sigemptyset(&set);
	sigaddset(&set, SIGSYS);
	SHIM_NEXT(int (*)(int, const sigset_t *, sigset_t *),
		  "pthread_sigmask")(SIG_UNBLOCK, &set, NULL);
	return 0;
}

/* --- The program's view of SIGSYS ------------------------------------ */

SHIM_HOT int sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
	sigaction_fn real = sigsys_libc_sigaction();
	struct sigaction copy, wrapped, prev;
	int ret;

	if (!shim.any || shim_tls.busy)
		return real(sig, act, old);
	if (sig == SIGSYS) {
		if (old)
			*old = sigsys_app;
		if (act)
			sigsys_app = *act;
		return 0;
	}
	if (act && sigismember(&act->sa_mask, SIGSYS)) {
		copy = *act;
		sigdelset(&copy.sa_mask, SIGSYS);
		act = &copy;
	}
	shim_signal_saved(sig, &prev);
	ret = real(sig, shim_signal_wrap(sig, act, &wrapped), old);
	if (ret == 0)
		shim_signal_report(sig, old, &prev);
	return ret;
}

/* The kernel's action for @sig, bypassing the wrapping (shim_signal.c):
 * libc's sigaction() was looked up when the handler was installed */
int shim_signal_install(int sig, const struct sigaction *act,
			struct sigaction *old)
{
	return sigsys_libc_sigaction()(sig, act, old);
}

/* Through sigaction() above: glibc's signal() calls its own internally.
 * The action is glibc's: the signal itself blocked in its handler */
SHIM_HOT sighandler_t signal(int sig, sighandler_t handler)
{
	struct sigaction sa, old;

	if (!shim.any)
		return SHIM_NEXT(sighandler_t (*)(int, sighandler_t),
				 "signal")(sig, handler);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	sigaddset(&sa.sa_mask, sig);
	sa.sa_flags = SA_RESTART;
	if (sigaction(sig, &sa, &old) < 0)
		return SIG_ERR;
	return old.sa_handler;
}

SHIM_HOT static const sigset_t *sigsys_mask(int how, const sigset_t *set,
				   sigset_t *copy)
{
	if (!shim.any || !set || how == SIG_UNBLOCK ||
	    !sigismember(set, SIGSYS))
		return set;
	*copy = *set;
	sigdelset(copy, SIGSYS);
	return copy;
}

SHIM_HOT int sigprocmask(int how, const sigset_t *set, sigset_t *old)
{
	sigset_t copy;

	return SHIM_NEXT(int (*)(int, const sigset_t *, sigset_t *),
			 "sigprocmask")(how, sigsys_mask(how, set, &copy), old);
}

SHIM_HOT int pthread_sigmask(int how, const sigset_t *set, sigset_t *old)
{
	sigset_t copy;

	return SHIM_NEXT(int (*)(int, const sigset_t *, sigset_t *),
			 "pthread_sigmask")(how, sigsys_mask(how, set, &copy),
					    old);
}
