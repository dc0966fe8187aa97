// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vtrace/vtrace_ip.c - strace -i: the instruction pointer before
 *				 each text line, "[00007f69fdf05ad7] "
 *
 * A call's line shows where its syscall instruction returns to, as the
 * backend read it at the call's stop (a line "<... execve resumed>" at the
 * call's end: for an exec, in the new image); a signal's line where the
 * thread is when the signal is delivered, read then (the module runs in
 * the supervisor's ptrace thread); lines of no call ("+++ exited") none,
 * as strace's sixteen '?'.  The ptrace backend only: the preload shim
 * does not know it for every call (vtrace_start() refuses -i there).
 */
#include <errno.h>
#include <stddef.h>
#include <sys/ptrace.h>
#include <sys/user.h>

#include "vtrace.h"

/* Where thread @tid, stopped for the supervisor, is now; 0 if unknown */
uint64_t vtrace_ip_of(pid_t tid)
{
	long ip;

	errno = 0;
	ip = ptrace(PTRACE_PEEKUSER, tid,
		    offsetof(struct user_regs_struct, rip), NULL);
	return errno ? 0 : (uint64_t)ip;
}

/* "[%016lx] ", or sixteen '?' for a line of no call (@ip 0) */
void vtrace_ip_put(struct vtrace_buf *b, uint64_t ip)
{
	if (ip)
		vtrace_buf_printf(b, "[%016llx] ", (unsigned long long)ip);
	else
		vtrace_buf_puts(b, "[????????????????] ");
}
