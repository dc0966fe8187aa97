// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * ptracer/tracer_loop.c - The ptrace loop: stops, events, exits
 *
 * DOC: Calls at a ptrace stop
 *
 * A SECCOMP_RET_TRACE stop runs the module chain with the registers in
 * hand.  Afterwards the loop carries out what the modules decided:
 *  - a result of their own: the syscall number becomes -1 (the kernel skips
 *    the call) and rax the result;
 *  - an fd to hand over: the 6th argument becomes the run's cookie, so the
 *    kernel's re-check of the filter turns the call into a notification
 *    that the notification thread answers with SECCOMP_ADDFD_FLAG_SEND;
 *  - changed arguments: written back, and restored at the syscall-exit stop,
 *    since callers may rely on argument registers surviving a syscall (and
 *    a restarted call must see its own arguments again);
 *  - a wanted result: resume with PTRACE_SYSCALL to stop at the exit.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../core/log.h"
#include "tracer.h"

#define ERESTARTSYS		512
#define ERESTART_RESTARTBLOCK	516

/**
 * tracer_loop_resume() - Resume @te from a stop
 * @te:		The tracee
 * @request:	PTRACE_CONT, PTRACE_SYSCALL or PTRACE_LISTEN
 * @sig:	Signal to deliver, or 0
 *
 * A tracee without the filter (tracer_attach.c) stops at every call
 * only if always resumed with PTRACE_SYSCALL.
 */
void tracer_loop_resume(struct tracee *te, int request, int sig)
{
	if (request == PTRACE_CONT && te->unfiltered)
		request = PTRACE_SYSCALL;
	if (ptrace(request, te->tid, 0, sig) < 0 && errno != ESRCH)
		log_debug("resuming %d: %s", te->tid, strerror(errno));
}

/*
 * Resume after an event stop (fork, exec, signal) that came between a
 * call's entry and its exit: a module that wanted the result still gets
 * the syscall-exit stop.
 */
static void loop_cont(struct tracee *te, int sig)
{
	tracer_loop_resume(te, te->state == TRACEE_AT_EXIT ? PTRACE_SYSCALL :
		    PTRACE_CONT, sig);
}

static void loop_regs_from_call(struct user_regs_struct *r,
				const struct facet_call *call)
{
	r->orig_rax = call->nr;
	r->rdi = call->args[0];
	r->rsi = call->args[1];
	r->rdx = call->args[2];
	r->r10 = call->args[3];
	r->r8 = call->args[4];
	r->r9 = call->args[5];
}

static void loop_badarch(struct tracee *te, struct user_regs_struct *regs)
{
	static int told;

	if (!told++)
		log_warn("process %d made a 32-bit (int 0x80 or x32) system "
			 "call; facet virtualizes only x86_64 calls, so it "
			 "fails with ENOSYS", te->tid);
	regs->orig_rax = -1;
	regs->rax = -ENOSYS;
	ptrace(PTRACE_SETREGS, te->tid, 0, regs);
	tracer_loop_resume(te, PTRACE_CONT, 0);
}

/* A module finished the call at entry: skip the kernel, or pass its fd */
static void loop_finish(struct tracer *t, struct tracee *te,
			struct user_regs_struct *regs)
{
	struct facet_call *call = &te->call;

	if (call->flags & FACET_CALL_FD_PENDING && t->notify_fd < 0) {
		static int told;

		if (!told++)
			log_warn("a module hands over an fd, which needs a "
				 "seccomp listener; another supervisor holds "
				 "it, so the call fails with ENOSYS");
		close(call->pending_fd);
		call->flags &= ~FACET_CALL_FD_PENDING;
		call->result = -ENOSYS;
	}
	if (call->flags & FACET_CALL_FD_PENDING) {
		pthread_mutex_lock(&t->tab_lock);
		te->pending_fd = call->pending_fd;
		pthread_mutex_unlock(&t->tab_lock);
		call->flags &= ~FACET_CALL_FD_PENDING;
		regs->orig_rax = call->orig_nr;
		regs->r9 = t->cookie;
		ptrace(PTRACE_SETREGS, te->tid, 0, regs);
		te->regs_dirty = 1;
		te->state = TRACEE_AT_EXIT;
		tracer_loop_resume(te, PTRACE_SYSCALL, 0);
		return;
	}
	if (call->exit_mask) {
		pthread_mutex_lock(&t->mod_lock);
		facet_chain_exit(t->chain, call);
		pthread_mutex_unlock(&t->mod_lock);
	}
	regs->orig_rax = -1;
	regs->rax = call->result;
	ptrace(PTRACE_SETREGS, te->tid, 0, regs);
	tracer_loop_resume(te, PTRACE_CONT, 0);
}

/*
 * facet_open_no_symlinks() at a ptrace stop: the open in @regs (the call
 * as the modules left it) is made as openat2() with RESOLVE_NO_SYMLINKS,
 * as the preload shim makes it; as it is where openat2() would refuse its
 * flags.  The modules keep the open as the call (its exit included), and
 * the exit stop puts the caller's registers back.  Return: 1 if changed
 */
static int loop_open_no_symlinks(struct facet_call *call,
				 struct user_regs_struct *regs)
{
	struct open_how how;
	long dirfd, path;
	uintptr_t addr;

	if ((call->nr != SYS_open && call->nr != SYS_openat) ||
	    facet_call_openat2(call, &dirfd, &path, &how) < 0 ||
	    call->ops->place(call, &how, sizeof(how), &addr) < 0)
		return 0;
	if (!(call->flags & FACET_CALL_ARGS_DIRTY))
		memcpy(call->orig_args, call->args, sizeof(call->orig_args));
	regs->orig_rax = SYS_openat2;
	regs->rdi = dirfd;
	regs->rsi = path;
	regs->rdx = addr;
	regs->r10 = sizeof(how);
	return 1;
}

/*
 * The registers, when a stop must change them.  A stop that only reads
 * them uses PTRACE_GET_SYSCALL_INFO instead: one call for the number, the
 * arguments, the stack pointer and the filter's data (or the result).
 */
static int loop_getregs(struct tracee *te, struct user_regs_struct *regs)
{
	return ptrace(PTRACE_GETREGS, te->tid, 0, regs) < 0 ? -1 : 0;
}

/**
 * tracer_loop_enter() - Run the modules on a call at its entry, and carry
 *			 out what they decided
 * @t:		Supervisor
 * @te:		The stopped tracee (a seccomp stop, or an unfiltered
 *		tracee's syscall-entry stop)
 * @nr:		The call
 * @args:	Its arguments
 * @sp:		The stack pointer
 * @ip:		The instruction pointer (after the syscall instruction)
 */
void tracer_loop_enter(struct tracer *t, struct tracee *te, long nr,
		       const long *args, uint64_t sp, uint64_t ip)
{
	struct facet_call *call = &te->call;
	struct user_regs_struct regs;
	enum facet_verdict v;
	int nosym;

	te->sp = sp;
	te->ip = ip;
	te->placed = 0;
	te->regs_dirty = 0;
	te->execed = 0;
	facet_call_init(call, &tracer_ptrace_ops, te, &te->scratch, te->tid,
			nr, args);
	call->pid = te->tgid;
	call->flags |= FACET_CALL_REWRITABLE;
	pthread_mutex_lock(&t->mod_lock);
	v = facet_chain_enter(t->chain, call);
	pthread_mutex_unlock(&t->mod_lock);
	nosym = v != FACET_DONE && (call->flags & FACET_CALL_NO_SYMLINKS);
	if ((v == FACET_DONE || nosym ||
	     call->flags & FACET_CALL_ARGS_DIRTY) &&
	    loop_getregs(te, &regs) < 0)
		return;
	if (v == FACET_DONE)
		return loop_finish(t, te, &regs);
	if (call->flags & FACET_CALL_ARGS_DIRTY)
		loop_regs_from_call(&regs, call);
	if (nosym)
		nosym = loop_open_no_symlinks(call, &regs);
	if (call->flags & FACET_CALL_ARGS_DIRTY || nosym) {
		ptrace(PTRACE_SETREGS, te->tid, 0, &regs);
		te->regs_dirty = 1;
	}
	if (v == FACET_CONTINUE_EXIT || te->regs_dirty) {
		te->state = TRACEE_AT_EXIT;
		tracer_loop_resume(te, PTRACE_SYSCALL, 0);
	} else {
		tracer_loop_resume(te, PTRACE_CONT, 0);
	}
}

static void loop_seccomp_stop(struct tracer *t, struct tracee *te)
{
	struct __ptrace_syscall_info si;
	struct user_regs_struct regs;
	long args[6];
	int i, refused;

	if (ptrace(PTRACE_GET_SYSCALL_INFO, te->tid, sizeof(si), &si) <= 0 ||
	    si.op != PTRACE_SYSCALL_INFO_SECCOMP)
		return;
	if (si.seccomp.ret_data == TRACER_DATA_BADARCH) {
		if (loop_getregs(te, &regs) == 0)
			loop_badarch(te, &regs);
		return;
	}
	for (i = 0; i < 6; i++)
		args[i] = (long)si.seccomp.args[i];
	refused = tracer_fence(t, te->tid, (long)si.seccomp.nr, args);
	if (refused < 0 && loop_getregs(te, &regs) == 0) {
		regs.orig_rax = -1;
		regs.rax = refused;
		ptrace(PTRACE_SETREGS, te->tid, 0, &regs);
		return tracer_loop_resume(te, PTRACE_CONT, 0);
	}
	if (tracer_memory_watch(t, te->tid, (long)si.seccomp.nr, args))
		return tracer_loop_resume(te, PTRACE_CONT, 0);
	tracer_loop_enter(t, te, (long)si.seccomp.nr, args,
			  si.stack_pointer, si.instruction_pointer);
}

/**
 * tracer_loop_exit() - A syscall-exit stop: the modules that wanted the
 *			result see it, and changed registers are put back
 * @t:		Supervisor
 * @te:		The stopped tracee
 * @si:		Its PTRACE_GET_SYSCALL_INFO
 */
void tracer_loop_exit(struct tracer *t, struct tracee *te,
		      const struct __ptrace_syscall_info *si)
{
	struct facet_call *call = &te->call;
	struct user_regs_struct regs;
	long result;

	if (te->state != TRACEE_AT_EXIT ||
	    si->op != PTRACE_SYSCALL_INFO_EXIT)
		return tracer_loop_resume(te, PTRACE_CONT, 0);
	te->state = TRACEE_IDLE;
	te->ip = si->instruction_pointer;
	call->result = si->exit.rval;
	if (call->exit_mask) {
		pthread_mutex_lock(&t->mod_lock);
		facet_chain_exit(t->chain, call);
		pthread_mutex_unlock(&t->mod_lock);
	}
	result = call->result;
	/* nothing changed: no register access (tracing wants every call) */
	if (!te->execed && (te->regs_dirty || si->exit.rval != result) &&
	    loop_getregs(te, &regs) == 0) {
		regs.rax = result;
		if (te->regs_dirty) {
			memcpy(call->args, call->orig_args, sizeof(call->args));
			call->nr = call->orig_nr;
			loop_regs_from_call(&regs, call);
			/* a restarted call must not run the rewritten number */
			if (result < -ERESTARTSYS + 1 &&
			    result >= -ERESTART_RESTARTBLOCK)
				regs.orig_rax = call->orig_nr;
		}
		ptrace(PTRACE_SETREGS, te->tid, 0, &regs);
	}
	tracer_loop_resume(te, PTRACE_CONT, 0);
}

static void loop_exit_stop(struct tracer *t, struct tracee *te)
{
	struct __ptrace_syscall_info si;

	if (te->state != TRACEE_AT_EXIT ||
	    ptrace(PTRACE_GET_SYSCALL_INFO, te->tid, sizeof(si), &si) <= 0)
		return tracer_loop_resume(te, PTRACE_CONT, 0);
	tracer_loop_exit(t, te, &si);
}

/*
 * Is @tid, known from its parent's clone event but not in the table, still
 * ours to wait for?  waitpid() reports the newest tracee first, so a short
 * child can stop, be resumed, run and end before its parent's event is
 * read: by then it is no tracee of ours (ECHILD), and an entry made for it
 * would wait for an end already seen, and facet with it, for ever.
 */
static int loop_still_traced(pid_t tid)
{
	siginfo_t si;

	return waitid(P_PID, (id_t)tid, &si,
		      WEXITED | WSTOPPED | WNOHANG | WNOWAIT | __WALL) == 0 ||
	       errno != ECHILD;
}

static void loop_new_tracee(struct tracer *t, struct tracee *parent,
			    int event)
{
	unsigned long msg = 0;
	struct tracee *te;
	pid_t tgid;

	ptrace(PTRACE_GETEVENTMSG, parent->tid, 0, &msg);
	tgid = event == PTRACE_EVENT_CLONE ? tracer_tgid_of(msg) : (pid_t)msg;
	pthread_mutex_lock(&t->tab_lock);
	te = tracee_find(t, msg);
	if (!te && !loop_still_traced(msg)) {
		/* it has ended already; the modules were told */
		pthread_mutex_unlock(&t->tab_lock);
		return loop_cont(parent, 0);
	}
	te = tracee_get(t, msg);
	if (te) {
		te->tgid = tgid;
		te->unfiltered |= parent->unfiltered;
		tracer_memory_new(parent, te, event);
	}
	pthread_mutex_unlock(&t->tab_lock);
	pthread_mutex_lock(&t->mod_lock);
	if (tgid == (pid_t)msg)
		facet_chain_process(t->chain, FACET_PROC_FORK, msg,
				    parent->tgid);
	else
		facet_chain_process(t->chain, FACET_PROC_THREAD, tgid, msg);
	pthread_mutex_unlock(&t->mod_lock);
	loop_cont(parent, 0);
}

/* The thread that called execve may have had another tid: it is now tid */
/*
 * A program that may be run but not read makes its process undumpable:
 * without CAP_SYS_PTRACE its memory cannot be read, so no module could
 * see a path it passes.  It must not run outside the view.
 */
static int loop_memory_readable(pid_t tid)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/mem", tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno != EACCES && errno != EPERM;
	close(fd);
	return 1;
}

static void loop_exec(struct tracer *t, struct tracee *te)
{
	unsigned long former = te->tid;
	struct tracee *old;
	int sig = 0;

	ptrace(PTRACE_GETEVENTMSG, te->tid, 0, &former);
	pthread_mutex_lock(&t->tab_lock);
	old = (pid_t)former != te->tid ? tracee_find(t, former) : NULL;
	if (old) {
		te->state = old->state;
		te->call = old->call;
		memcpy(te->scratch, old->scratch, sizeof(te->scratch));
		te->call.scratch = te->scratch;
		te->call.backend = te;
		te->call.tid = te->tid;
		tracee_drop(t, former);
	}
	te->tgid = te->tid;
	te->execed = 1;
	tracer_memory_execed(te);
	pthread_mutex_unlock(&t->tab_lock);
	if (!loop_memory_readable(te->tid)) {
		log_err("cannot read the memory of process %d: its program "
			"may be run but not read; stopped it (make the file "
			"readable, or run facet with CAP_SYS_PTRACE)", te->tid);
		kill(te->tid, SIGKILL);
	}
	if (t->gate_page) {
		int ret = tracer_gate_lock(t, te->tid, &sig);

		if (ret < 0) {
			log_err("cannot shut the gate page to process %d (%s); "
				"stopped it", te->tid, strerror(-ret));
			kill(te->tid, SIGKILL);
		}
	}
	if (t->hide_vdso && tracer_hide_vdso(te->tid) < 0)
		log_warn("could not hide the vDSO from process %d; its clock "
			 "reads may bypass the view", te->tid);
	pthread_mutex_lock(&t->mod_lock);
	facet_chain_process(t->chain, FACET_PROC_EXEC, te->tid, former);
	pthread_mutex_unlock(&t->mod_lock);
	loop_cont(te, sig);
}

static void loop_ended(struct tracer *t, struct tracee *te, int status)
{
	pid_t tid = te->tid;

	if (tid == t->child) {
		t->child_status = status;
		t->child_ended = 1;
		tracer_command_ended = 1;
	}
	if (!te->tgid)	/* ended before its parent's clone event was read */
		te->tgid = tracer_tgid_of(tid);
	pthread_mutex_lock(&t->mod_lock);
	if (te->tgid == tid) {
		facet_chain_process(t->chain, FACET_PROC_EXIT, tid, status);
	} else {
		struct facet_thread_exit ex = { .tid = tid, .status = status };

		facet_chain_process(t->chain, FACET_PROC_THREAD_EXIT,
				    te->tgid, (long)&ex);
	}
	pthread_mutex_unlock(&t->mod_lock);
	pthread_mutex_lock(&t->tab_lock);
	tracee_drop(t, tid);
	pthread_mutex_unlock(&t->tab_lock);
}

/* A group-stop: tell the modules (a tracer shows it), then stay stopped
 * until SIGCONT (PTRACE_LISTEN) */
static void loop_group_stop(struct tracer *t, struct tracee *te, int sig)
{
	struct facet_signal ev = { .tid = te->tid };
	siginfo_t info;

	memset(&info, 0, sizeof(info));
	info.si_signo = sig;
	ev.info = &info;
	if (!te->tgid)
		te->tgid = tracer_tgid_of(te->tid);
	pthread_mutex_lock(&t->mod_lock);
	facet_chain_process(t->chain, FACET_PROC_STOPPED, te->tgid, (long)&ev);
	pthread_mutex_unlock(&t->mod_lock);
	tracer_loop_resume(te, PTRACE_LISTEN, 0);
	/* the command stopped: facet too, for its shell to see */
	if (te->tid == t->child)
		tracer_job_stopped(t->child, sig, 1);
}

static void loop_event_stop(struct tracer *t, struct tracee *te, int sig)
{
	if (!te->started) {
		/* the first stop of an auto-attached child */
		te->started = 1;
		if (t->attached && tracer_attach_first_stop(t, te))
			return;		/* let go at once */
		return tracer_loop_resume(te, PTRACE_CONT, 0);
	}
	if (sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN ||
	    sig == SIGTTOU)
		return loop_group_stop(t, te, sig);
	loop_cont(te, 0);
}

/*
 * A signal-delivery stop: tell the modules (a tracer shows the signal),
 * then deliver it.  The siginfo is the kernel's, read at the stop.
 */
static void loop_signal_stop(struct tracer *t, struct tracee *te, int sig)
{
	struct facet_signal ev = { .tid = te->tid };
	siginfo_t info;

	te->started = 1;
	if (!te->tgid)	/* stopped before its parent's clone event */
		te->tgid = tracer_tgid_of(te->tid);
	if (ptrace(PTRACE_GETSIGINFO, te->tid, 0, &info) == 0) {
		ev.info = &info;
		pthread_mutex_lock(&t->mod_lock);
		facet_chain_process(t->chain, FACET_PROC_SIGNAL, te->tgid,
				    (long)&ev);
		pthread_mutex_unlock(&t->mod_lock);
	}
	if (sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN ||
	    sig == SIGTTOU) {
		/* a SIGCONT since: the stop is over before it began */
		if (tracer_job_cont_pending(te->tid))
			sig = 0;
		else if (te->tid == t->child)
			tracer_job_stopping();
	}
	loop_cont(te, sig);
}

static void loop_stopped(struct tracer *t, struct tracee *te, int status)
{
	int sig = WSTOPSIG(status), event = (unsigned)status >> 16;

	if (sig == (SIGTRAP | 0x80))
		return te->unfiltered ? tracer_attach_syscall_stop(t, te) :
					loop_exit_stop(t, te);
	switch (event) {
	case PTRACE_EVENT_SECCOMP:
		te->started = 1;
		return loop_seccomp_stop(t, te);
	case PTRACE_EVENT_FORK:
	case PTRACE_EVENT_VFORK:
	case PTRACE_EVENT_CLONE:
		return loop_new_tracee(t, te, event);
	case PTRACE_EVENT_EXEC:
		return loop_exec(t, te);
	case PTRACE_EVENT_STOP:
		return loop_event_stop(t, te, sig);
	case 0:
		return loop_signal_stop(t, te, sig);
	default:
		return loop_cont(te, 0);
	}
}

/* Send @sig to every process of the view (docs: tracer_end.c) */
static void loop_signal_view(struct tracer *t, int sig)
{
	struct tracee *te;
	int b;

	pthread_mutex_lock(&t->tab_lock);
	for (b = 0; b < TRACER_BUCKETS; b++)
		for (te = t->table[b]; te; te = te->next)
			if (!te->unfiltered)	/* not the view's */
				kill(te->tgid ? te->tgid : te->tid, sig);
	pthread_mutex_unlock(&t->tab_lock);
}

/**
 * tracer_loop() - Supervise until the last tracee is gone
 * @t:		Supervisor with the first child in its table
 *
 * A termination signal to facet ends what the command left of the view
 * (tracer_end.c): SIGTERM, then SIGKILL after TRACER_END_GRACE_MS, the
 * loop polling meanwhile.
 *
 * Return: 0
 */
int tracer_loop(struct tracer *t)
{
	int64_t kill_at = 0;
	struct tracee *te;
	int status;
	pid_t tid;

	while (t->ntracees > 0) {
		if (tracer_detach_sig && t->attached && !t->detaching)
			tracer_attach_detach_all(t);
		if (!kill_at && tracer_end_due(t->child_ended,
					       WIFSIGNALED(t->child_status))) {
			loop_signal_view(t, SIGTERM);
			kill_at = tracer_end_now_ms() + TRACER_END_GRACE_MS;
		}
		tid = waitpid(-1, &status, __WALL | (kill_at ? WNOHANG : 0));
		if (tid == 0) {
			if (tracer_end_now_ms() >= kill_at)
				loop_signal_view(t, SIGKILL);
			usleep(2000);
			continue;
		}
		if (tid < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		pthread_mutex_lock(&t->tab_lock);
		te = tracee_get(t, tid);
		pthread_mutex_unlock(&t->tab_lock);
		if (!te)
			continue;
		if (WIFEXITED(status) || WIFSIGNALED(status))
			loop_ended(t, te, status);
		else if (WIFSTOPPED(status) && te->detaching)
			tracer_attach_detach_stop(t, te, status);
		else if (WIFSTOPPED(status))
			loop_stopped(t, te, status);
	}
	return 0;
}
