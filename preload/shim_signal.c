// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * preload/shim_signal.c - The program's signal handlers never run inside
 * module code
 *
 * DOC: Signals that arrive while module code runs
 *
 * While module code runs for a call (shim_tls.busy), the module's own
 * calls go straight to libc and the dispatch selector allows every
 * syscall; the module's per-call state (vfs's path buffers, its walk) is
 * in use.  A program's handler run then would make its calls outside the
 * view (its open("/hidden") reaching the host unchanged) or, once caught,
 * overwrite the interrupted call's state.  So a handler the program
 * installs with sigaction() or signal() is installed behind
 * shim_signal_tramp(): outside module code it calls the handler at once;
 * inside, an asynchronous signal is deferred: its siginfo is kept and the
 * handler returns; when the module code ends (shim_unbusy()) the signal is
 * queued to the thread again with rt_tgsigqueueinfo(), siginfo intact, and
 * delivered as the program expects, microseconds late.  A fault raised by
 * module code itself (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP from the
 * kernel) cannot wait: its handler runs at once, as before.  Two deferred
 * instances of one real-time signal in the same module call are delivered
 * once.  sigaction() reports the program's own handler back.
 */
#include <signal.h>

#include "shim.h"

/* The program's action per signal, valid while the kernel has the tramp */
static struct sigaction shim_signal_app[_NSIG];
/* siginfo of a deferred signal (shim_thread.deferred says which) */
static siginfo_t shim_signal_info[_NSIG];

/* A fault of the instruction that runs now: returning would repeat it */
static int shim_signal_synchronous(int sig, const siginfo_t *si)
{
	return (sig == SIGSEGV || sig == SIGBUS || sig == SIGILL ||
		sig == SIGFPE || sig == SIGTRAP) && si && si->si_code > 0;
}

static void shim_signal_tramp(int sig, siginfo_t *si, void *uctx)
{
	struct shim_thread *t = shim_here();
	const struct sigaction *app = &shim_signal_app[sig];

	if (t->busy && !shim_signal_synchronous(sig, si)) {
		if (si)
			shim_signal_info[sig] = *si;
		t->deferred |= 1ULL << (sig - 1);
		/* the kernel reset the action for this delivery: keep the
		 * tramp until the deferred one is made */
		if (app->sa_flags & SA_RESETHAND) {
			struct sigaction again = *app;

			again.sa_sigaction = shim_signal_tramp;
			again.sa_flags |= SA_SIGINFO;
			shim_signal_install(sig, &again);
		}
		return;
	}
	if (app->sa_flags & SA_SIGINFO)
		app->sa_sigaction(sig, si, uctx);
	else if (app->sa_handler != SIG_DFL && app->sa_handler != SIG_IGN)
		app->sa_handler(sig);
}

/**
 * shim_signal_redeliver() - Queue the signals deferred by @t again
 *
 * Called by shim_unbusy() when the thread's module code has ended.
 */
void shim_signal_redeliver(struct shim_thread *t)
{
	long pid = shim_gate0(SYS_getpid);

	while (t->deferred) {
		int sig = __builtin_ctzll(t->deferred) + 1;

		t->deferred &= ~(1ULL << (sig - 1));
		shim_gate(SYS_rt_tgsigqueueinfo, pid, shim_gettid_of(t), sig,
			  (long)&shim_signal_info[sig], 0, 0);
	}
}

/**
 * shim_signal_wrap() - The action to give the kernel for @act
 * @copy:	Where a changed action is built
 *
 * Return: @act itself (no handler to wrap) or @copy (the tramp, the
 * program's flags and mask)
 */
const struct sigaction *shim_signal_wrap(int sig, const struct sigaction *act,
					 struct sigaction *copy)
{
	if (!act || sig <= 0 || sig >= _NSIG ||
	    (!(act->sa_flags & SA_SIGINFO) &&
	     (act->sa_handler == SIG_DFL || act->sa_handler == SIG_IGN)))
		return act;
	shim_signal_app[sig] = *act;
	*copy = *act;
	copy->sa_sigaction = shim_signal_tramp;
	copy->sa_flags |= SA_SIGINFO;
	return copy;
}

/*
 * The action the program installed, where the kernel reports the tramp
 * in @old.  @prev is the program's action before this call.
 */
void shim_signal_report(int sig, struct sigaction *old,
			const struct sigaction *prev)
{
	if (old && sig > 0 && sig < _NSIG &&
	    old->sa_sigaction == shim_signal_tramp)
		*old = *prev;
}

/* The program's action of @sig as recorded (for a later report) */
void shim_signal_saved(int sig, struct sigaction *out)
{
	if (sig > 0 && sig < _NSIG)
		*out = shim_signal_app[sig];
}
