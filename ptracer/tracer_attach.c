// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * ptracer/tracer_attach.c - Tracing processes that run already (trace -p)
 *
 * DOC: Attaching
 *
 * A process facet did not start has no seccomp filter, so it is traced
 * the way strace traces without --seccomp-bpf: each thread is seized
 * (PTRACE_SEIZE, with -f every thread in /proc/PID/task, read again until
 * no new one appears, and new children followed by the kernel), stopped
 * with PTRACE_INTERRUPT and from then on always resumed with
 * PTRACE_SYSCALL.  Such a tracee is "unfiltered": its syscall-entry stops
 * are what seccomp stops are to the others (tracer_loop_enter()), its
 * syscall-exit stops the same as theirs.  A thread that was blocked in a
 * call shows it as strace does: the interrupt makes the kernel restart
 * it, so it is seen again from its entry (read(0, ...), or
 * restart_syscall() for a sleep).
 *
 * A termination signal to facet (SIGINT, SIGTERM, SIGHUP, SIGQUIT), or
 * the end of the trace, detaches every unfiltered tracee: it is
 * interrupted, and at its next stop let go with PTRACE_DETACH, passing
 * on a signal it was about to get; a process in a group-stop stays
 * stopped, as it would be untraced.  No PTRACE_O_EXITKILL: if facet
 * itself is killed, the kernel lets them go on.
 *
 * Only the launch path (a command facet starts) resumes with PTRACE_CONT;
 * the per-stop cost of attaching there is one flag test at each resume.
 */
#include <dirent.h>
#include <errno.h>
#include <linux/audit.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../core/log.h"
#include "../core/procfs.h"
#include "tracer.h"

#define ATTACH_OPTIONS	(PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEEXEC)
#define ATTACH_FOLLOW	(PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | \
			 PTRACE_O_TRACECLONE)

/* What the next tracer_run() attaches to (tracer_attach_set()) */
static const pid_t *attach_pids;
static int attach_npids, attach_follow, attach_quiet;

/* The termination signal that asked for the detach, 0 if none */
volatile sig_atomic_t tracer_detach_sig;
/* A tracee the signal handler interrupts, so that the wait returns */
static volatile pid_t attach_wake;

/**
 * tracer_attach_set() - Trace running processes at the next tracer_run()
 * @pids:	Process (or thread) ids, @n of them; kept, not copied
 * @n:		How many
 * @follow:	Every thread of each, and their new children (-f)
 * @quiet:	No "Process N attached/detached" messages (-q)
 */
void tracer_attach_set(const pid_t *pids, int n, int follow, int quiet)
{
	attach_pids = pids;
	attach_npids = n;
	attach_follow = follow;
	attach_quiet = quiet;
}

/* Does the next run attach to running processes? */
int tracer_attach_wanted(void)
{
	return attach_npids > 0;
}

/**
 * tracer_attach_note() - A signal reached facet (in its signal handler)
 * @sig:	The signal
 */
void tracer_attach_note(int sig)
{
	if (!attach_npids || (sig != SIGINT && sig != SIGTERM &&
			      sig != SIGHUP && sig != SIGQUIT))
		return;
	if (!tracer_detach_sig)
		tracer_detach_sig = sig;
	/* a stop to report: the wait returns even without EINTR */
	if (attach_wake > 0)
		ptrace(PTRACE_INTERRUPT, attach_wake, 0, 0);
}

static void attach_say(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
static void attach_forget(struct tracer *t, struct tracee *te);

/* strace's messages on stderr, "facet:" for "strace:" (-q: none) */
static void attach_say(const char *fmt, ...)
{
	char line[128];
	va_list ap;
	int n;

	if (attach_quiet)
		return;
	n = snprintf(line, sizeof(line), "facet: ");
	va_start(ap, fmt);
	n += vsnprintf(line + n, sizeof(line) - n - 1, fmt, ap);
	va_end(ap);
	line[n++] = '\n';
	if (write(STDERR_FILENO, line, n) < 0) {
		/* nowhere to say it */
	}
}

/* Seize and interrupt thread @tid of process @tgid.  Return: 0 or -errno */
static int attach_thread(struct tracer *t, pid_t tid, pid_t tgid)
{
	unsigned long options = ATTACH_OPTIONS |
				(attach_follow ? ATTACH_FOLLOW : 0);
	struct tracee *te;

	if (ptrace(PTRACE_SEIZE, tid, 0, options) < 0)
		return -errno;
	pthread_mutex_lock(&t->tab_lock);
	te = tracee_get(t, tid);
	pthread_mutex_unlock(&t->tab_lock);
	if (!te) {
		ptrace(PTRACE_INTERRUPT, tid, 0, 0);
		return -ENOMEM;
	}
	te->unfiltered = 1;
	te->tgid = tgid;
	te->started = 1;	/* its interrupt stop is no child's first */
	ptrace(PTRACE_INTERRUPT, tid, 0, 0);
	pthread_mutex_lock(&t->mod_lock);
	facet_chain_process(t->chain, FACET_PROC_ATTACH, tgid, tid);
	pthread_mutex_unlock(&t->mod_lock);
	return 0;
}

/*
 * -f: the other threads of @tgid, read again until a pass finds none new
 * (a thread not yet seized may start more).  Return: how many were seized
 */
static int attach_threads(struct tracer *t, pid_t tgid)
{
	int found, n = 0;

	do {
		char path[64];
		struct dirent *d;
		DIR *dir;

		found = 0;
		snprintf(path, sizeof(path), "/proc/%d/task", tgid);
		dir = opendir(path);
		if (!dir)
			break;
		while ((d = readdir(dir))) {
			pid_t tid = (pid_t)strtol(d->d_name, NULL, 10);

			if (tid <= 0 || tracee_find(t, tid))
				continue;
			found = 1;
			if (attach_thread(t, tid, tgid) == 0)
				n++;
		}
		closedir(dir);
	} while (found);
	return n;
}

/* What the user can do about a refused attach to @pid (errno @err) */
static const char *attach_hint(pid_t pid, int err)
{
	static char hint[96];
	long tracer;

	if (err == ESRCH)
		return ": check the process id (ps -p)";
	if (err != EPERM)
		return "";
	tracer = facet_procfs_status(pid, "TracerPid", 10);
	if (tracer > 0) {
		snprintf(hint, sizeof(hint), ": it is traced by process %ld "
			 "already (a debugger, strace?)", tracer);
		return hint;
	}
	return ": it belongs to another user, runs a set-id program or is "
	       "init; run facet as its user or as root";
}

/**
 * tracer_attach_all() - Seize the processes of tracer_attach_set()
 * @t:		Supervisor
 *
 * Return: 0, or -1 with the error said (none of them is traced then)
 */
int tracer_attach_all(struct tracer *t)
{
	int i, ret;

	for (i = 0; i < attach_npids; i++) {
		pid_t pid = attach_pids[i], tgid;
		int nthreads;

		if (tracee_find(t, pid))	/* given twice, or a thread of
						 * one followed already */
			continue;
		if (pid == getpid()) {
			log_err("attach: pid %d is facet itself", pid);
			goto fail;
		}
		tgid = tracer_tgid_of(pid);
		ret = attach_thread(t, pid, tgid > 0 ? tgid : pid);
		if (ret < 0) {
			log_err("attach: ptrace(PTRACE_SEIZE, %d): %s%s", pid,
				strerror(-ret), attach_hint(pid, -ret));
			goto fail;
		}
		t->attached = 1;
		if (!attach_wake)
			attach_wake = pid;
		nthreads = attach_follow && tgid == pid ?
			   attach_threads(t, pid) : 0;
		if (nthreads)
			attach_say("Process %d attached with %d threads", pid,
				   nthreads + 1);
		else
			attach_say("Process %d attached", pid);
	}
	return 0;
fail:
	attach_quiet = 1;	/* nothing was traced: no messages */
	tracer_attach_detach_all(t);
	return -1;
}

/**
 * tracer_attach_first_stop() - The first stop of a new tracee, while
 *				 processes are attached
 * @t:		Supervisor
 * @te:		The tracee (its fork or clone event may not be read yet)
 *
 * A child is unfiltered if its parent is (or, for a thread, its process):
 * it inherited no filter, and is said to be attached, as strace -f says
 * it.  One born while the attached processes are
 * being let go is let go too.
 *
 * Return: 1 if it was (@te is gone), else 0
 */
int tracer_attach_first_stop(struct tracer *t, struct tracee *te)
{
	struct tracee *kin = NULL;
	pid_t tgid, ppid = 0;
	char path[64], line[128];
	FILE *f;

	if (te->unfiltered)
		goto out;
	if (!t->child) {	/* only attached processes: all are */
		te->unfiltered = 1;
		goto out;
	}
	tgid = tracer_tgid_of(te->tid);
	snprintf(path, sizeof(path), "/proc/%d/status", te->tid);
	f = fopen(path, "re");
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "PPid: %d", &ppid) == 1)
			break;
	if (f)
		fclose(f);
	pthread_mutex_lock(&t->tab_lock);
	if (tgid > 0 && tgid != te->tid)
		kin = tracee_find(t, tgid);
	if (!kin && ppid > 0)
		kin = tracee_find(t, ppid);
	te->unfiltered = kin && kin->unfiltered;
	pthread_mutex_unlock(&t->tab_lock);
out:
	if (!te->unfiltered)
		return 0;
	if (!t->detaching) {
		attach_say("Process %d attached", te->tid);	/* as strace -f */
		return 0;
	}
	ptrace(PTRACE_DETACH, te->tid, 0, 0);
	attach_forget(t, te);
	return 1;
}

/**
 * tracer_attach_syscall_stop() - A syscall stop of an unfiltered tracee
 * @t:		Supervisor
 * @te:		The tracee
 *
 * An entry stop is the seccomp stop it never has; an exit stop is as any.
 */
void tracer_attach_syscall_stop(struct tracer *t, struct tracee *te)
{
	struct __ptrace_syscall_info si;
	long args[6];
	int i;

	if (ptrace(PTRACE_GET_SYSCALL_INFO, te->tid, sizeof(si), &si) <= 0)
		return tracer_loop_resume(te, PTRACE_SYSCALL, 0);
	if (si.op == PTRACE_SYSCALL_INFO_EXIT)
		return tracer_loop_exit(t, te, &si);
	te->state = TRACEE_IDLE;
	/* a 32-bit call's number means another call: facet has only x86_64
	 * names (tracer_loop.c refuses them from a filtered process) */
	if (si.op != PTRACE_SYSCALL_INFO_ENTRY ||
	    si.arch != AUDIT_ARCH_X86_64 || si.entry.nr >= FACET_NR_MAX ||
	    !t->chain->hooks[si.entry.nr])
		return tracer_loop_resume(te, PTRACE_SYSCALL, 0);
	for (i = 0; i < 6; i++)
		args[i] = (long)si.entry.args[i];
	tracer_loop_enter(t, te, (long)si.entry.nr, args, si.stack_pointer,
			  si.instruction_pointer);
}

static void attach_forget(struct tracer *t, struct tracee *te)
{
	pid_t tid = te->tid, tgid = te->tgid;

	pthread_mutex_lock(&t->mod_lock);
	facet_chain_process(t->chain, FACET_PROC_DETACH, tgid, tid);
	pthread_mutex_unlock(&t->mod_lock);
	if (attach_wake == tid)
		attach_wake = 0;
	pthread_mutex_lock(&t->tab_lock);
	tracee_drop(t, tid);
	pthread_mutex_unlock(&t->tab_lock);
	attach_say("Process %d detached", tid);
}

/**
 * tracer_attach_detach_all() - Let every unfiltered tracee go
 * @t:		Supervisor
 *
 * Each is interrupted; tracer_attach_detach_stop() lets it go at its
 * next stop (the loop goes on while the command's processes run).
 */
void tracer_attach_detach_all(struct tracer *t)
{
	struct tracee *te;
	int b;

	t->detaching = 1;
	attach_wake = 0;
	pthread_mutex_lock(&t->tab_lock);
	for (b = 0; b < TRACER_BUCKETS; b++)
		for (te = t->table[b]; te; te = te->next) {
			if (!te->unfiltered || te->detaching)
				continue;
			te->detaching = 1;
			ptrace(PTRACE_INTERRUPT, te->tid, 0, 0);
		}
	pthread_mutex_unlock(&t->tab_lock);
}

/**
 * tracer_attach_detach_stop() - A stop of a tracee being let go
 * @t:		Supervisor
 * @te:		The tracee, ->detaching
 * @status:	Its wait status (stopped)
 *
 * A child it started meanwhile (-f) is let go at its own first stop.
 */
void tracer_attach_detach_stop(struct tracer *t, struct tracee *te,
			       int status)
{
	int sig = WSTOPSIG(status), event = (unsigned)status >> 16, pass = 0;

	if (event == PTRACE_EVENT_FORK || event == PTRACE_EVENT_VFORK ||
	    event == PTRACE_EVENT_CLONE) {
		unsigned long msg = 0;
		struct tracee *child;

		ptrace(PTRACE_GETEVENTMSG, te->tid, 0, &msg);
		pthread_mutex_lock(&t->tab_lock);
		child = tracee_get(t, (pid_t)msg);
		if (child) {
			child->unfiltered = 1;
			child->detaching = 1;
			child->tgid = event == PTRACE_EVENT_CLONE ?
				      te->tgid : (pid_t)msg;
		}
		pthread_mutex_unlock(&t->tab_lock);
		if (child && child->started)	/* its first stop was seen */
			ptrace(PTRACE_INTERRUPT, child->tid, 0, 0);
	} else if (event == 0 && sig != (SIGTRAP | 0x80)) {
		pass = sig;	/* a signal about to be delivered: deliver it */
	}
	if (ptrace(PTRACE_DETACH, te->tid, 0, pass) < 0 && errno != ESRCH)
		log_warn("cannot detach from process %d: %s", te->tid,
			 strerror(errno));
	attach_forget(t, te);
}
