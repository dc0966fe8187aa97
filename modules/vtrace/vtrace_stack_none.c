// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vtrace/vtrace_stack_none.c - --stack where it cannot work
 *
 * vtrace_stack.c unwinds with libunwind-ptrace, which only the supervisor
 * can do; it is linked into the facet binary only (with the ptracer), so
 * that libunwind and libdw are never loaded into a traced program by the
 * preload shim.  These weak definitions stand in for it elsewhere: --stack
 * is refused with a message that says why.
 */
#include <errno.h>

#include "vtrace.h"

__attribute__((weak)) int vtrace_stack_start(struct vtrace *v,
					     const char *backend,
					     struct facet_err *err)
{
	if (!v->stack)
		return 0;
	return facet_err_set(err, ENOTSUP, "vtrace: stack traces (--stack) "
			     "need the ptrace backend (%s has none): drop "
			     "--backend %s", backend, backend);
}

__attribute__((weak)) void vtrace_stack_capture(struct vtrace *v, pid_t pid,
						pid_t tid,
						struct vtrace_buf *out)
{
	(void)v;
	(void)pid;
	(void)tid;
	(void)out;
}

__attribute__((weak)) void vtrace_stack_forget(struct vtrace *v, pid_t pid)
{
	(void)v;
	(void)pid;
}

__attribute__((weak)) void vtrace_stack_stop(struct vtrace *v)
{
	(void)v;
}
