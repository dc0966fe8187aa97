// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vtrace/vtrace_sysnum.c - strace -n: the syscall number before
 *				     each text line, "[ 257] openat(..."
 *
 * A call's own line shows its number.  The other lines of a thread (a
 * signal's delivery, "+++ exited with 0 +++") show, as strace's, the
 * number of the last call the thread made: each call's number is kept by
 * thread, at its entry, in a table of VTRACE_SYSNUMS entries indexed by
 * the thread id (a thread whose entry another took shows 0).  Under
 * --backend preload the table is in the view's shared region: facet
 * writes the "+++ killed by" line of a process that could not.  Nothing
 * of this runs without -n.
 */
#include <errno.h>
#include <stdlib.h>

#include "vtrace.h"

/* An entry: thread id in the high half, call number in the low one */
static uint64_t vtrace_sysnum_pack(pid_t tid, long nr)
{
	return (uint64_t)(uint32_t)tid << 32 | (uint32_t)nr;
}

/**
 * vtrace_sysnum_start() - Make the table of last calls when -n was given
 * @v:		Module state (@v->sh set under preload)
 * @err:	Filled on failure
 *
 * Return: 0 or -errno
 */
int vtrace_sysnum_start(struct vtrace *v, struct facet_err *err)
{
	if (!v->sysnum)
		return 0;
	if (v->sh) {
		v->sysnums = v->sh->sysnums;
		return 0;
	}
	v->sysnums = calloc(VTRACE_SYSNUMS, sizeof(*v->sysnums));
	if (!v->sysnums)
		return facet_err_set(err, ENOMEM, "vtrace: no memory for -n");
	return 0;
}

/* A call of thread @tid enters (only with -n: @v->sysnums is set) */
void vtrace_sysnum_note(struct vtrace *v, pid_t tid, long nr)
{
	__atomic_store_n(&v->sysnums[tid & (VTRACE_SYSNUMS - 1)],
			 vtrace_sysnum_pack(tid, nr), __ATOMIC_RELAXED);
}

/**
 * vtrace_sysnum_put() - "[NNNN] " as strace -n prints it
 * @v:		Module state
 * @b:		Line
 * @tid:	Thread of the line
 * @nr:		The line's call, or -1 for the thread's last call
 */
void vtrace_sysnum_put(struct vtrace *v, struct vtrace_buf *b, pid_t tid,
		       long nr)
{
	uint64_t e;

	if (nr < 0) {
		e = __atomic_load_n(&v->sysnums[tid & (VTRACE_SYSNUMS - 1)],
				    __ATOMIC_RELAXED);
		nr = (pid_t)(e >> 32) == tid ? (long)(uint32_t)e : 0;
	}
	vtrace_buf_printf(b, "[%4ld] ", nr);
}
