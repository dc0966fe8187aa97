// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vtrace/vtrace_restart.c - restart_syscall: the call it resumes,
 *				      as strace names it
 *
 * DOC: Resumed calls
 *
 * A sleep that a signal cuts short without a handler (SIGSTOP, then
 * SIGCONT) ends with ERESTART_RESTARTBLOCK, and the kernel makes the
 * thread go on with restart_syscall(), which strace shows as
 * "restart_syscall(<... resuming interrupted clock_nanosleep ...>)".  The
 * supervisor notes, per thread, the last call that ended so (a few
 * threads at a time: it is rare) and names it at the restart; an
 * interrupted restart_syscall is resumed by the next one, which then says
 * "resuming interrupted restart_syscall", as strace's does.
 */
#include <stdio.h>
#include <sys/syscall.h>

#include "vtrace.h"

/**
 * vtrace_restart_note() - A call ended; note it if the kernel will restart
 *			   it with restart_syscall()
 * @v:		Module state
 * @tid:	Thread
 * @nr:		The call
 * @ret:	Its result
 */
void vtrace_restart_note(struct vtrace *v, pid_t tid, long nr, long ret)
{
	struct vtrace_restart *r = NULL;
	int i;

	if (ret != -VTRACE_ERESTART_RESTARTBLOCK)
		return;
	for (i = 0; i < VTRACE_RESTARTS && !r; i++)
		if (v->restarts[i].tid == tid || !v->restarts[i].tid)
			r = &v->restarts[i];
	if (!r)		/* all taken: the oldest goes */
		r = &v->restarts[v->restart_next++ % VTRACE_RESTARTS];
	r->tid = tid;
	r->nr = nr;
}

/**
 * vtrace_restart_args() - restart_syscall's argument, as strace shows it
 * @v:		Module state
 * @s:		The restart_syscall call, at entry
 *
 * "<... resuming interrupted clock_nanosleep ...>", or "system call" for
 * a call that was not seen.
 */
void vtrace_restart_args(struct vtrace *v, struct vtrace_slot *s)
{
	const struct facet_syscall *sc = NULL;
	int i;

	for (i = 0; i < VTRACE_RESTARTS; i++) {
		if (v->restarts[i].tid != s->tid)
			continue;
		sc = facet_syscall(v->restarts[i].nr);
		v->restarts[i].tid = 0;
		break;
	}
	s->args.len = 0;
	s->off[0] = 0;
	vtrace_buf_printf(&s->args, "<... resuming interrupted %s ...>",
			  sc ? sc->name : "system call");
	s->len[0] = s->args.len;
	s->nargs = 1;
}
