// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vtrace/vtrace_fcntl.c - fcntl's third argument and result by
 *				    command, as strace shows them
 *
 *	fcntl(3, F_SETFD, FD_CLOEXEC)		  = 0
 *	fcntl(3, F_GETFL)			  = 0x8002 (flags O_RDWR|...)
 *	fcntl(3, F_SETSIG, SIGUSR1)		  = 0
 *	fcntl(3, F_GETSIG)			  = 10 (SIGUSR1)
 *	fcntl(3, F_SETOWN_EX, {type=F_OWNER_PGRP, pid=42}) = 0
 *	fcntl(3, F_NOTIFY, DN_CREATE|DN_MULTISHOT) = 0
 *	fcntl(3, F_ADD_SEALS, F_SEAL_SHRINK)	  = 0
 *	fcntl(3, F_GET_SEALS)			  = 0x2 (seals F_SEAL_SHRINK)
 *	fcntl(3, F_SETLEASE, F_RDLCK)		  = 0
 *	fcntl(3, F_GETLEASE)			  = 0x2 (F_UNLCK)
 *
 * The struct a command fills (F_GETLK's flock, F_GETOWN_EX's f_owner_ex)
 * is shown at a successful exit, its address otherwise.
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/syscall.h>

#include "vtrace.h"

/* The commands whose struct the kernel fills */
static int vtrace_fcntl_fills(long cmd)
{
	return cmd == F_GETLK || cmd == F_OFD_GETLK || cmd == F_GETOWN_EX;
}

/* The commands that take a struct flock */
static int vtrace_fcntl_locks(long cmd)
{
	return cmd == F_GETLK || cmd == F_SETLK || cmd == F_SETLKW ||
	       cmd == F_OFD_GETLK || cmd == F_OFD_SETLK ||
	       cmd == F_OFD_SETLKW;
}

/* struct f_owner_ex: "{type=F_OWNER_PGRP, pid=42}", or its address */
static void vtrace_put_owner(struct vtrace_buf *b, struct facet_call *call,
			     uintptr_t addr)
{
	struct f_owner_ex o;

	if (facet_peek(call, &o, addr, sizeof(o)) != sizeof(o)) {
		vtrace_buf_printf(b, "%#lx", (unsigned long)addr);
		return;
	}
	vtrace_buf_puts(b, "{type=");
	vtrace_put_enum(b, "fcntl_owner", o.type);
	vtrace_buf_printf(b, ", pid=%d}", (int)o.pid);
}

/**
 * vtrace_fcntl_entry() - fcntl's third argument at entry
 * @call:	The call
 * @s:		Its slot; the argument's text is appended to @s->args
 * @cmd:	The command
 * @x:		The argument
 *
 * The F_GET* commands that take none leave it out (@s->off[2] = ~0u);
 * those that fill a struct show its address until vtrace_fcntl_exit().
 *
 * Return: 1 if the argument was handled, 0 for the generic text
 */
int vtrace_fcntl_entry(struct facet_call *call, struct vtrace_slot *s,
		       long cmd, long x)
{
	struct vtrace_buf *b = &s->args;
	char sig[16];

	if (vtrace_fcntl_fills(cmd)) {
		vtrace_buf_printf(b, x ? "%#lx" : "NULL", (unsigned long)x);
		return 1;
	}
	if (vtrace_fcntl_locks(cmd)) {
		vtrace_put_flock(b, call, x, 0);
		return 1;
	}
	switch (cmd) {
	case F_GETFD: case F_GETFL: case F_GETOWN: case F_GETSIG:
	case F_GETLEASE: case F_GETPIPE_SZ: case F_GET_SEALS:
		s->off[2] = ~0u;
		return 1;
	case F_SETFD:
		vtrace_put_flags(b, "fd_flags", (unsigned)x);
		return 1;
	case F_SETFL:
		vtrace_put_flags(b, "open", (unsigned)x);
		return 1;
	case F_SETSIG:
		vtrace_buf_puts(b, vtrace_signame((int)x, sig));
		return 1;
	case F_SETOWN_EX:
		vtrace_put_owner(b, call, x);
		return 1;
	case F_NOTIFY:
		vtrace_put_flags(b, "fcntl_notify", (unsigned)x);
		return 1;
	case F_ADD_SEALS:
		vtrace_put_flags(b, "fcntl_seals", (unsigned)x);
		return 1;
	case F_SETLEASE:
		vtrace_put_enum(b, "fcntl_lease", (int)x);
		return 1;
	case F_DUPFD: case F_DUPFD_CLOEXEC: case F_SETOWN:
	case F_SETPIPE_SZ:
		vtrace_buf_printf(b, "%d", (int)x);
		return 1;
	}
	return 0;
}

/**
 * vtrace_fcntl_exit() - The struct a successful fcntl filled
 * @call:	The call
 * @s:		Its slot; the argument's text is replaced
 * @ret:	Result
 */
void vtrace_fcntl_exit(struct facet_call *call, struct vtrace_slot *s,
		       long ret)
{
	long cmd = s->raw[1];
	unsigned off = s->args.len;

	if (ret < 0 || s->off[2] == ~0u || !s->raw[2] ||
	    !vtrace_fcntl_fills(cmd))
		return;
	if (cmd == F_GETOWN_EX)
		vtrace_put_owner(&s->args, call, s->raw[2]);
	else
		vtrace_put_flock(&s->args, call, s->raw[2], 1);
	s->off[2] = off;
	s->len[2] = s->args.len - off;
}

/**
 * vtrace_fcntl_result() - fcntl's result as strace shows it
 * @b:		Buffer
 * @s:		The call's slot
 * @ret:	Result (not an error)
 *
 * Flags for F_GETFD and F_GETFL ("0x8002 (flags O_RDWR|O_LARGEFILE)"),
 * seals, the lease type, the signal of F_GETSIG, an fd for F_DUPFD.
 *
 * Return: 1 if it was written
 */
int vtrace_fcntl_result(struct vtrace_buf *b, struct vtrace_slot *s,
			long ret)
{
	char sig[16];

	switch (s->raw[1]) {
	case F_GETFD:
		if (!ret)
			return 0;
		vtrace_buf_printf(b, "%#lx (flags ", ret);
		vtrace_put_flags(b, "fd_flags", (unsigned long)ret);
		vtrace_buf_puts(b, ")");
		return 1;
	case F_GETFL:
		vtrace_buf_printf(b, "%#lx (flags ", ret);
		vtrace_put_flags(b, "open", (unsigned long)ret);
		vtrace_buf_puts(b, ")");
		return 1;
	case F_GET_SEALS:
		if (!ret)
			return 0;
		vtrace_buf_printf(b, "%#lx (seals ", ret);
		vtrace_put_flags(b, "fcntl_seals", (unsigned long)ret);
		vtrace_buf_puts(b, ")");
		return 1;
	case F_GETLEASE:
		vtrace_buf_printf(b, "%#lx (", ret);
		vtrace_put_enum(b, "fcntl_lease", (int)ret);
		vtrace_buf_puts(b, ")");
		return 1;
	case F_GETSIG:
		if (!ret)
			return 0;
		vtrace_buf_printf(b, "%ld (%s)", ret,
				  vtrace_signame((int)ret, sig));
		return 1;
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		vtrace_put_fd(b, s->pid, ret, s->fd_path, sizeof(s->fd_path));
		return 1;
	}
	return 0;
}
