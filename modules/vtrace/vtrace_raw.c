// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vtrace/vtrace_raw.c - strace -e raw=SET: the calls of SET with
 *				  their argument registers and result in hex
 *
 * As strace: every argument of the syscall table, undecoded, "%#lx" of
 * the register (0 as "0"; an int argument as the 32 bits the caller put
 * there: AT_FDCWD is 0xffffff9c), and the result in hex but for errors,
 * which stay "-1 ENOENT (No such file or directory)".
 *
 * The ptracer shows the registers as strace does.  In-process the shim
 * has the arguments of the libc function it interposes, an int among them
 * widened to 64 bits with its sign (AT_FDCWD 0xffffffffffffff9c), where
 * glibc's wrappers leave the register's upper half 0: an argument of a
 * kind that is an int in every call (fds, pids, ids, signals, clocks) is
 * shown as its 32 bits, as the kernel reads it.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>

#include "vtrace.h"

/* An argument kind that is an int in every call that has it */
static int vtrace_raw_is_int(int kind)
{
	switch (kind) {
	case FACET_ARG_FD:
	case FACET_ARG_DIRFD:
	case FACET_ARG_PID:
	case FACET_ARG_UID:
	case FACET_ARG_GID:
	case FACET_ARG_SIGNAL:
	case FACET_ARG_CLOCKID:
		return 1;
	}
	return 0;
}

/**
 * vtrace_raw_args() - Put a raw call's arguments in its slot
 * @v:		Module state
 * @s:		The call's slot, @raw and @nargs set
 */
void vtrace_raw_args(const struct vtrace *v, struct vtrace_slot *s)
{
	const struct facet_syscall *sc = facet_syscall(s->nr);
	unsigned long x;
	int i;

	s->raw_args = 1;
	for (i = 0; i < s->nargs && i < 6; i++) {
		x = (unsigned long)s->raw[i];
		if (v->role == VTRACE_IMAGE && s->raw[i] < 0 &&
		    s->raw[i] >= INT_MIN && vtrace_raw_is_int(sc->arg[i].kind))
			x = (unsigned)x;
		s->off[i] = s->args.len;
		vtrace_buf_printf(&s->args, "%#lx", x);
		s->len[i] = s->args.len - s->off[i];
	}
}

/**
 * vtrace_raw_result() - A raw call's result, unless it is an error
 * @b:		Buffer
 * @ret:	The result
 *
 * Return: 1 if it was put, 0 for an error (shown as any call's)
 */
int vtrace_raw_result(struct vtrace_buf *b, long ret)
{
	if (ret < 0 && ret > -4096)
		return 0;
	vtrace_buf_printf(b, "%#lx", (unsigned long)ret);
	return 1;
}
