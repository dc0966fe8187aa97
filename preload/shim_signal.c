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
 *
 * Outside module code the handler may still run inside the shim: a signal
 * that comes as the call the shim makes for the program returns (a
 * child's SIGCHLD as its wait4 ends, a signal that cuts a blocking read)
 * finds the Syscall User Dispatch selector open, which the SIGSYS handler
 * and the gate open around that call.  The tramp closes it for the
 * handler, so the handler's calls are caught as the program's others are
 * (recorded by vtrace, kept in vfs's view), nested in the call in flight,
 * and opens it again before it returns.
 */
#include <signal.h>
#include <string.h>

#include "shim.h"

/**
 * struct shim_signal_action - The program's action for one signal, as
 * the kernel keeps it (a 64-bit mask, not glibc's 128-byte sigset_t)
 * @handler:	sa_handler or sa_sigaction
 * @restorer:	sa_restorer
 * @mask:	The first word of sa_mask: signals 1-64, all there are
 * @flags:	sa_flags
 *
 * 32 bytes rather than 152: a program that installs a few handlers (a
 * compiler driver, a shell) touches one small table on a page start-up
 * has written anyway (SHIM_DATA), not two or three .bss pages, each
 * read (the action reported back) and then written.
 */
struct shim_signal_action {
	void *handler;
	void *restorer;
	unsigned long mask;
	int flags;
};

/* Signals whose tramp stays even for SIG_DFL and SIG_IGN (bit N-1 for
 * signal N): SIGSEGV and SIGBUS once the probes need them */
static unsigned long long shim_signal_held SHIM_DATA;

/* The program's action per signal, valid while the kernel has the tramp */
static struct shim_signal_action shim_signal_app[_NSIG] SHIM_DATA;
/* Its action before the sigaction() in progress (what the kernel reports
 * as the old one is then the tramp), for facet_signal_program_handler() */
static struct shim_signal_action shim_signal_prev[_NSIG];
/* siginfo of a deferred signal (shim_thread.deferred says which) */
static siginfo_t shim_signal_info[_NSIG];

/* A fault of the instruction that runs now: returning would repeat it */
static int shim_signal_synchronous(int sig, const siginfo_t *si)
{
	return (sig == SIGSEGV || sig == SIGBUS || sig == SIGILL ||
		sig == SIGFPE || sig == SIGTRAP) && si && si->si_code > 0;
}

/* @a as a struct sigaction */
static void shim_signal_expand(const struct shim_signal_action *a,
			       struct sigaction *out)
{
	memset(out, 0, sizeof(*out));
	out->sa_sigaction = (void (*)(int, siginfo_t *, void *))a->handler;
	out->sa_restorer = (void (*)(void))a->restorer;
	memcpy(&out->sa_mask, &a->mask, sizeof(a->mask));
	out->sa_flags = a->flags;
}

/* Record @act as the program's action for @sig */
static void shim_signal_keep(int sig, const struct sigaction *act)
{
	shim_signal_app[sig].handler = (void *)act->sa_sigaction;
	shim_signal_app[sig].restorer = (void *)act->sa_restorer;
	memcpy(&shim_signal_app[sig].mask, &act->sa_mask,
	       sizeof(shim_signal_app[sig].mask));
	shim_signal_app[sig].flags = act->sa_flags;
}

/*
 * The program left @sig at SIG_DFL or SIG_IGN (the tramp is there for the
 * probes, shim_probe.c): what the kernel would have done
 */
static void shim_signal_default(int sig, const siginfo_t *si)
{
	const struct shim_signal_action *app = &shim_signal_app[sig];
	/* the kernel's struct sigaction: handler, flags, restorer, mask */
	const unsigned long dfl[4] = { (unsigned long)SIG_DFL, 0, 0, 0 };
	int sync = shim_signal_synchronous(sig, si);

	if (app->handler == (void *)SIG_IGN && !sync)
		return;
	/* from the gate, as the tgkill below: the shim's own call, not the
	 * program's (through libc's sigaction() it went through the chain,
	 * and a trace showed an rt_sigaction the program never made) */
	shim_gate4(SYS_rt_sigaction, sig, (long)dfl, 0, sizeof(dfl[3]));
	/* a fault happens again on return; a sent signal is sent again,
	 * blocked until this handler returns */
	if (!sync)
		shim_gate3(SYS_tgkill, shim_gate0(SYS_getpid),
			   shim_gettid(), sig);
}

/*
 * Run the program's handler with the selector the program's code has.
 * The signal may have come while the shim had the selector open (the
 * SIGSYS handler and the gate open it around the call they make for the
 * program): the handler's own calls must be caught as the program's
 * others are, not run unseen.  The interrupted code gets its selector
 * back (the kernel's signal frame does not hold it).
 */
static void shim_signal_call(struct shim_thread *t, int sig,
			     const struct shim_signal_action *app,
			     siginfo_t *si, void *uctx)
{
	unsigned char sel = t->sel;

	if (t->armed && !t->busy)
		t->sel = SYSCALL_DISPATCH_FILTER_BLOCK;
	if (app->flags & SA_SIGINFO)
		((void (*)(int, siginfo_t *, void *))app->handler)(sig, si,
								   uctx);
	else if (app->handler != (void *)SIG_DFL &&
		 app->handler != (void *)SIG_IGN)
		((void (*)(int))app->handler)(sig);
	t->sel = sel;
}

static void shim_signal_tramp(int sig, siginfo_t *si, void *uctx)
{
	struct shim_thread *t = shim_here();
	const struct shim_signal_action *app = &shim_signal_app[sig];

	if (shim_signal_synchronous(sig, si) && shim_probe_fixup(sig, uctx))
		return;
	if (!(app->flags & SA_SIGINFO) &&
	    (app->handler == (void *)SIG_DFL ||
	     app->handler == (void *)SIG_IGN)) {
		shim_signal_default(sig, si);
		return;
	}
	if (t->busy && !shim_signal_synchronous(sig, si)) {
		if (si)
			shim_signal_info[sig] = *si;
		t->deferred |= 1ULL << (sig - 1);
		/* the kernel reset the action for this delivery: keep the
		 * tramp until the deferred one is made */
		if (app->flags & SA_RESETHAND) {
			struct sigaction again;

			shim_signal_expand(app, &again);
			again.sa_sigaction = shim_signal_tramp;
			again.sa_flags |= SA_SIGINFO;
			shim_signal_install(sig, &again, NULL);
		}
		return;
	}
	shim_signal_call(t, sig, app, si, uctx);
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
SHIM_HOT const struct sigaction *shim_signal_wrap(int sig, const struct sigaction *act,
					 struct sigaction *copy)
{
	if (!act || sig <= 0 || sig >= _NSIG)
		return act;
	if (!(act->sa_flags & SA_SIGINFO) &&
	    (act->sa_handler == SIG_DFL || act->sa_handler == SIG_IGN) &&
	    !(shim_signal_held & (1ULL << (sig - 1))))
		return act;
	shim_signal_keep(sig, act);
	*copy = *act;
	copy->sa_sigaction = shim_signal_tramp;
	copy->sa_flags |= SA_SIGINFO;
	return copy;
}

/*
 * The action the program installed, where the kernel reports the tramp
 * in @old.  @prev is the program's action before this call.
 */
SHIM_HOT void shim_signal_report(int sig, struct sigaction *old,
			const struct sigaction *prev)
{
	if (old && sig > 0 && sig < _NSIG &&
	    old->sa_sigaction == shim_signal_tramp)
		*old = *prev;
}

/* The program's action of @sig as recorded (for a later report) */
SHIM_HOT void shim_signal_saved(int sig, struct sigaction *out)
{
	if (sig <= 0 || sig >= _NSIG)
		return;
	shim_signal_prev[sig] = shim_signal_app[sig];
	shim_signal_expand(&shim_signal_app[sig], out);
}

/**
 * facet_signal_program_handler() - The program's handler behind the tramp
 * @sig:	Signal
 * @handler:	The kernel's handler for @sig
 * @old:	The previous action of a sigaction() in progress
 * @program:	Filled: the program's handler
 * @siginfo:	Filled: the program's SA_SIGINFO
 *
 * Return: 1 if @handler is the tramp, else 0
 */
int facet_signal_program_handler(int sig, unsigned long handler, int old,
				 unsigned long *program, int *siginfo)
{
	const struct shim_signal_action *a;

	if (sig <= 0 || sig >= _NSIG ||
	    handler != (unsigned long)shim_signal_tramp)
		return 0;
	a = old ? &shim_signal_prev[sig] : &shim_signal_app[sig];
	*program = (unsigned long)a->handler;
	*siginfo = !!(a->flags & SA_SIGINFO);
	return 1;
}

/**
 * shim_signal_take() - Put the tramp in front of whatever @sig does now,
 * and keep it there (shim_signal_wrap())
 *
 * For the probes (shim_probe.c): the kernel's present action, a handler
 * installed behind the shim's back included, becomes the program's.
 */
void shim_signal_take(int sig)
{
	struct sigaction old, copy;

	__atomic_fetch_or(&shim_signal_held, 1ULL << (sig - 1),
			  __ATOMIC_RELAXED);
	if (shim_signal_install(sig, NULL, &old) < 0 ||
	    old.sa_sigaction == shim_signal_tramp)
		return;
	shim_signal_install(sig, shim_signal_wrap(sig, &old, &copy), NULL);
}
