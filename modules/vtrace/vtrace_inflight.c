// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vtrace/vtrace_inflight.c - The call a process is in when it
 *				       dies, written by facet (preload)
 *
 * DOC: Calls in flight of a killed process
 *
 * Under preload a call's line is written at its return, by the process.
 * One killed in the call (SIGKILL, SIGTERM from another process while it
 * waits in read() or wait4(); its own kill(), whose signal the kernel
 * delivers as the call returns) never returns: its line was missing,
 * where strace writes "read(0,  <unfinished ...>) = ?".  So a call that
 * may block or end the process (vtrace_inflight_calls[]) leaves what its
 * entry decoded in an entry of the view's shared memory, freed when the
 * call returns; when facet reaps a process killed by a signal (and at the
 * view's end, for those a parent reaped) it writes the entries the
 * process left as strace writes a call that never returned, before the
 * "+++ killed by" line, and so does a new image for the calls its old
 * image's other threads were in.  A call that sends the signal the
 * process died of to the process itself returned 0 (the kernel delivered
 * it on the way out, as strace shows it: "kill(4321, SIGUSR1) = 0"); but
 * SIGKILL ends the process before the call returns ("= ?").  Other calls
 * pay nothing.  With every entry taken, a call has none: its line is
 * missing if the process dies in it.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "vtrace.h"

/* Calls that may wait, or send a signal that ends the caller */
static const uint8_t vtrace_inflight_calls[FACET_NR_MAX] = {
	[SYS_read] = 1, [SYS_readv] = 1, [SYS_pread64] = 1,
	[SYS_preadv] = 1, [SYS_preadv2] = 1,
	[SYS_write] = 1, [SYS_writev] = 1, [SYS_pwrite64] = 1,
	[SYS_pwritev] = 1, [SYS_pwritev2] = 1,
	[SYS_open] = 1, [SYS_openat] = 1, [SYS_openat2] = 1,	/* fifos */
	[SYS_recvfrom] = 1, [SYS_recvmsg] = 1, [SYS_recvmmsg] = 1,
	[SYS_sendto] = 1, [SYS_sendmsg] = 1, [SYS_sendmmsg] = 1,
	[SYS_accept] = 1, [SYS_accept4] = 1, [SYS_connect] = 1,
	[SYS_splice] = 1, [SYS_tee] = 1, [SYS_sendfile] = 1,
	[SYS_wait4] = 1, [SYS_waitid] = 1,
	[SYS_nanosleep] = 1, [SYS_clock_nanosleep] = 1,
	[SYS_futex] = 1, [449 /* futex_waitv */] = 1,
	[SYS_poll] = 1, [SYS_ppoll] = 1, [SYS_select] = 1,
	[SYS_pselect6] = 1, [SYS_epoll_wait] = 1, [SYS_epoll_pwait] = 1,
	[441 /* epoll_pwait2 */] = 1,
	[SYS_pause] = 1, [SYS_rt_sigsuspend] = 1, [SYS_rt_sigtimedwait] = 1,
	[SYS_msgrcv] = 1, [SYS_msgsnd] = 1, [SYS_semop] = 1,
	[SYS_semtimedop] = 1, [SYS_mq_timedreceive] = 1,
	[SYS_mq_timedsend] = 1, [SYS_flock] = 1, [SYS_fcntl] = 1,
	[SYS_io_getevents] = 1, [SYS_getrandom] = 1,
	[SYS_kill] = 1, [SYS_tkill] = 1, [SYS_tgkill] = 1,
	[SYS_rt_sigqueueinfo] = 1, [SYS_rt_tgsigqueueinfo] = 1,
};

/**
 * vtrace_inflight_wanted() - Does call @nr leave an entry?
 * @nr:		Syscall number
 *
 * Return: non-zero for a call that may block or end the process
 */
int vtrace_inflight_wanted(long nr)
{
	return vtrace_inflight_calls[nr];
}

/* Append NUL-terminated @str to @e's data if it fits; whether it did */
static int vtrace_inflight_str(struct vtrace_inflight *e, unsigned *at,
			       const char *str)
{
	size_t n = strlen(str) + 1;

	if (*at + n > sizeof(e->data))
		return 0;
	memcpy(e->data + *at, str, n);
	*at += n;
	return 1;
}

/**
 * vtrace_inflight_put() - An image: leave call @s's entry in the view
 * @v:		Module state, an image
 * @s:		The call, decoded at entry; @inflight is set, or stays 0 if
 *		every entry is taken
 */
void vtrace_inflight_put(struct vtrace *v, struct vtrace_slot *s)
{
	struct vtrace_shared *sh = v->sh;
	struct vtrace_inflight *e;
	unsigned i, k, at;
	pid_t none;
	int p;

	/* from the thread's own place: its last call left it free */
	for (k = 0; k < VTRACE_INFLIGHT; k++) {
		i = ((unsigned)s->tid + k) % VTRACE_INFLIGHT;
		none = 0;
		if (__atomic_compare_exchange_n(&sh->inflight_pid[i], &none,
						-s->pid, 0, __ATOMIC_ACQUIRE,
						__ATOMIC_RELAXED))
			break;
	}
	if (k == VTRACE_INFLIGHT)
		return;
	e = &sh->inflight[i];
	e->tid = s->tid;
	e->nr = (int)s->nr;
	e->nargs = s->nargs;
	e->announced = s->announced;
	e->raw_args = s->raw_args;
	e->ts = s->ts;
	memcpy(e->raw, s->raw, sizeof(e->raw));
	memcpy(e->off, s->off, sizeof(e->off));
	memcpy(e->len, s->len, sizeof(e->len));
	e->args_len = s->args.len < sizeof(e->data) ?
		      (unsigned)s->args.len : sizeof(e->data);
	memcpy(e->data, s->args.p, e->args_len);
	for (k = 0; k < 6; k++)		/* cut, not past the end */
		if (e->off[k] != ~0u && e->off[k] + e->len[k] > e->args_len)
			e->len[k] = e->off[k] < e->args_len ?
				    e->args_len - e->off[k] : 0;
	/* JSONL's "paths", "fd_path" and "sockaddr", when they fit */
	e->npaths = 0;
	at = e->args_len;
	if (v->format == VTRACE_JSONL) {
		for (p = 0; p < s->npaths && p < VTRACE_PATHS; p++)
			if (vtrace_inflight_str(e, &at, s->paths[p]))
				e->npaths++;
		if (!vtrace_inflight_str(e, &at, s->fd_path) ||
		    !vtrace_inflight_str(e, &at, s->sockaddr))
			e->npaths = -1;		/* none of the three */
	}
	/* whole: facet may write it from now on */
	__atomic_store_n(&sh->inflight_pid[i], s->pid, __ATOMIC_RELEASE);
	s->inflight = (int)i + 1;
}

/**
 * vtrace_inflight_drop() - Call @s returned (or is written): free its entry
 * @v:		Module state
 * @s:		The call
 */
void vtrace_inflight_drop(struct vtrace *v, struct vtrace_slot *s)
{
	if (!s->inflight)
		return;
	__atomic_store_n(&v->sh->inflight_pid[s->inflight - 1], 0,
			 __ATOMIC_RELEASE);
	s->inflight = 0;
}

/**
 * vtrace_inflight_announced() - Call @s's start was written as
 *				  "<unfinished ...>": its end is a
 *				  "<... resumed>" line
 * @v:		Module state
 * @s:		The call
 */
void vtrace_inflight_announced(struct vtrace *v, struct vtrace_slot *s)
{
	if (s->inflight)
		v->sh->inflight[s->inflight - 1].announced = 1;
}

/*
 * The result of call @s of process @pid, if the signal the process died
 * of tells it: the call raised that signal against its own caller, and
 * the kernel delivered it as the call returned (SIGKILL excepted: it ends
 * the process at once, "= ?").  A signal the process sent itself: 0;
 * SIGPIPE in a write to a pipe or socket without a reader: -EPIPE.
 * Return: 1 if *@ret is the result
 */
static int vtrace_inflight_result(const struct vtrace_slot *s, int status,
				  long *ret)
{
	int sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
	const long *a = s->raw;
	int self;

	if (!sig || sig == SIGKILL)
		return 0;
	*ret = 0;
	switch (s->nr) {
	case SYS_kill:			/* the process, or its group */
		return a[1] == sig && (a[0] == s->pid || !a[0]);
	case SYS_tkill:
		return a[1] == sig && (a[0] == s->tid || a[0] == s->pid);
	case SYS_rt_sigqueueinfo:
		return a[1] == sig && a[0] == s->pid;
	case SYS_tgkill:
	case SYS_rt_tgsigqueueinfo:
		return a[2] == sig && a[0] == s->pid;
	case SYS_write:
	case SYS_writev:
	case SYS_pwrite64:
	case SYS_pwritev:
	case SYS_pwritev2:
		self = sig == SIGPIPE;
		break;
	case SYS_sendto:		/* MSG_NOSIGNAL: no SIGPIPE */
	case SYS_sendmsg:
		self = sig == SIGPIPE &&
		       !(a[s->nr == SYS_sendto ? 3 : 2] & MSG_NOSIGNAL);
		break;
	default:
		return 0;
	}
	*ret = -EPIPE;
	return self;
}

/* Slot @s again as entry @e of process @pid left it */
static void vtrace_inflight_slot(const struct vtrace_inflight *e, pid_t pid,
				 struct vtrace_slot *s)
{
	unsigned at = e->args_len;
	int p;

	s->pid = pid;
	s->tid = e->tid;
	s->nr = e->nr;
	s->nargs = e->nargs;
	s->announced = e->announced;
	s->raw_args = e->raw_args;
	s->ts = s->t0 = e->ts;
	s->cpu = s->cpu0 = 0;
	memcpy(s->raw, e->raw, sizeof(s->raw));
	memcpy(s->off, e->off, sizeof(s->off));
	memcpy(s->len, e->len, sizeof(s->len));
	s->args.len = 0;
	vtrace_buf_put(&s->args, e->data, e->args_len);
	s->npaths = 0;
	s->fd_path[0] = s->sockaddr[0] = '\0';
	if (e->npaths >= 0 && at < sizeof(e->data)) {
		for (p = 0; p < e->npaths; p++) {
			snprintf(s->paths[p], sizeof(s->paths[p]), "%s",
				 e->data + at);
			at += strlen(e->data + at) + 1;
		}
		s->npaths = e->npaths;
		snprintf(s->fd_path, sizeof(s->fd_path), "%s", e->data + at);
		at += strlen(e->data + at) + 1;
		snprintf(s->sockaddr, sizeof(s->sockaddr), "%s",
			 e->data + at);
	}
	s->stack.len = 0;
	s->xlen = s->tlen = s->dlen = 0;
	s->clone3_late = 0;
	s->hidden = 0;
	s->pending = 0;
	s->inflight = 0;
	s->ip = s->ip_end = 0;
}

/*
 * The next call of the dead process to write: those whose result the
 * signal tells ended first, then the others (at the death), each in the
 * order they started.  Return: its slot, or NULL
 */
static struct vtrace_slot *vtrace_inflight_next(struct vtrace *v, int status,
						long *ret, int *returned)
{
	struct vtrace_slot *s, *best = NULL;
	int known, best_known = 0;
	long r;

	for (s = v->active; s; s = s->next) {
		if (!s->dead)
			continue;
		known = vtrace_inflight_result(s, status, &r);
		if (!best || known > best_known ||
		    (known == best_known && s->ts < best->ts)) {
			best = s;
			best_known = known;
			*ret = known ? r : 0;
		}
	}
	*returned = best_known;
	return best;
}

/**
 * vtrace_inflight_write() - Write the calls a dead process was in
 * @v:		Module state: facet, which reaped it, or a new image of a
 *		process whose old image's other threads were in calls
 * @pid:	The process, or 0 for every one (the view's end: all ended)
 * @status:	Its wait status, or 0 if not known
 *
 * Its calls are in flight again at once, as they were: a text line cuts
 * the others' ("futex(... <unfinished ...>", "<... futex resumed>) = ?"),
 * as strace does.  Each is written as strace writes a call that never
 * returned, "read(0,  <unfinished ...>) = ?", or whole when the signal
 * tells its result.  In an image the slots are the reserved ones.
 */
void vtrace_inflight_write(struct vtrace *v, pid_t pid, int status)
{
	struct vtrace_shared *sh = v->sh;
	struct vtrace_slot *s;
	int i, returned;
	pid_t owner;
	long ret;

	if (!v->started)	/* facet: the command's, as its images */
		v->started = __atomic_load_n(&sh->started, __ATOMIC_ACQUIRE);
	for (i = 0; i < VTRACE_INFLIGHT; i++) {
		owner = __atomic_load_n(&sh->inflight_pid[i],
					__ATOMIC_ACQUIRE);
		if (!owner || (pid && owner != pid && owner != -pid))
			continue;
		if (owner > 0) {	/* < 0: died filling it */
			s = vtrace_slot_get(v);
			vtrace_inflight_slot(&sh->inflight[i], owner, s);
			s->dead = 1;
		}
		__atomic_store_n(&sh->inflight_pid[i], 0, __ATOMIC_RELEASE);
	}
	while ((s = vtrace_inflight_next(v, status, &ret, &returned))) {
		if (v->started)
			vtrace_out_syscall(v, s, ret, s->ts, !returned);
		s->dead = 0;
		vtrace_slot_put(v, s);
	}
}
