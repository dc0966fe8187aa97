// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vtrace/vtrace_prctl.c - prctl's arguments by option, as strace
 *				    shows them
 *
 * strace shows the arguments an option uses, decoded: prctl(PR_SET_NAME,
 * "abc"), prctl(PR_GET_DUMPABLE) = 1 (SUID_DUMP_USER), prctl(
 * PR_SET_PDEATHSIG, SIGTERM), prctl(PR_GET_PDEATHSIG, [SIGTERM]),
 * prctl(PR_CAPBSET_READ, CAP_SYS_ADMIN).  Options not listed here keep
 * the generic text: the option and four numbers in hex.
 */
#include <stdio.h>
#include <sys/prctl.h>

#include "vtrace.h"

/* Capability names, by number, for PR_CAPBSET_READ and _DROP */
static const char *const vtrace_caps[] = {
	"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER",
	"CAP_FSETID", "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP",
	"CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST",
	"CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER",
	"CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE",
	"CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE",
	"CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD",
	"CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP",
	"CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM",
	"CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
	"CAP_CHECKPOINT_RESTORE",
};

static const char *const vtrace_dumpable[] = { "SUID_DUMP_DISABLE",
	"SUID_DUMP_USER", "SUID_DUMP_ROOT" };

/* Argument @i's text is now @s->args from @off on */
static void vtrace_prctl_arg(struct vtrace_slot *s, int i, unsigned off)
{
	s->off[i] = off;
	s->len[i] = s->args.len - off;
}

static void vtrace_prctl_hide(struct vtrace_slot *s, int from)
{
	for (; from < 5; from++)
		s->off[from] = ~0u;
}

static void vtrace_prctl_name(struct vtrace_buf *b, const char *const *names,
			      unsigned long n, unsigned long x,
			      const char *unknown)
{
	if (x < n)
		vtrace_buf_puts(b, names[x]);
	else
		vtrace_buf_printf(b, "%#lx /* %s */", x, unknown);
}

/**
 * vtrace_prctl_entry() - prctl's arguments at entry, by option
 * @v:		Module state
 * @call:	The call, at entry (after the generic decoding)
 * @s:		Its slot
 */
void vtrace_prctl_entry(struct vtrace *v, struct facet_call *call,
			struct vtrace_slot *s)
{
	unsigned long x = (unsigned long)s->raw[1];
	unsigned off = s->args.len;
	char sig[16];

	switch ((int)s->raw[0]) {
	case PR_GET_DUMPABLE: case PR_GET_KEEPCAPS: case PR_GET_SECCOMP:
	case PR_GET_TIMERSLACK: case PR_GET_TIMING: case PR_GET_SECUREBITS:
	case PR_TASK_PERF_EVENTS_DISABLE: case PR_TASK_PERF_EVENTS_ENABLE:
		vtrace_prctl_hide(s, 1);
		return;
	/* what the kernel writes is shown at exit */
	case PR_GET_NAME: case PR_GET_PDEATHSIG: case PR_GET_CHILD_SUBREAPER:
		vtrace_prctl_hide(s, 2);
		return;
	case PR_SET_KEEPCAPS: case PR_SET_CHILD_SUBREAPER:
	case PR_SET_TIMERSLACK:
		vtrace_buf_printf(&s->args, "%lu", x);
		break;
	case PR_SET_DUMPABLE:
		vtrace_prctl_name(&s->args, vtrace_dumpable, 3, x,
				  "SUID_DUMP_???");
		break;
	case PR_CAPBSET_READ: case PR_CAPBSET_DROP:
		vtrace_prctl_name(&s->args, vtrace_caps, sizeof(vtrace_caps) /
				  sizeof(vtrace_caps[0]), x, "CAP_???");
		break;
	case PR_SET_NAME:
		vtrace_put_string(v, call, &s->args, x, -1);
		break;
	case PR_SET_PDEATHSIG:
		if (x && x <= 64)
			vtrace_buf_puts(&s->args, vtrace_signame((int)x, sig));
		else
			vtrace_buf_printf(&s->args, "%lu", x);
		break;
	case PR_SET_NO_NEW_PRIVS: case PR_GET_NO_NEW_PRIVS:
	case PR_SET_THP_DISABLE: case PR_GET_THP_DISABLE:
		vtrace_buf_printf(&s->args, "%lu", x);
		vtrace_prctl_arg(s, 1, off);
		return;		/* the other three stay, in hex */
	default:
		return;
	}
	vtrace_prctl_arg(s, 1, off);
	vtrace_prctl_hide(s, 2);
}

/**
 * vtrace_prctl_exit() - What a PR_GET_* option wrote, and the result's
 *			 name (PR_GET_DUMPABLE)
 * @v:		Module state
 * @call:	The call, at exit
 * @s:		Its slot
 * @ret:	The result
 */
void vtrace_prctl_exit(struct vtrace *v, struct facet_call *call,
		       struct vtrace_slot *s, long ret)
{
	uintptr_t addr = (uintptr_t)s->raw[1];
	unsigned off = s->args.len;
	int failed = ret < 0 && ret > -4096, x;
	char sig[16];

	switch ((int)s->raw[0]) {
	case PR_GET_DUMPABLE:
		if (failed || ret < 0 || ret > 2)
			return;
		s->xoff = off;
		vtrace_buf_puts(&s->args, vtrace_dumpable[ret]);
		s->xlen = s->args.len - off;
		return;
	case PR_GET_NAME:
		if (failed || !addr)
			vtrace_buf_printf(&s->args, addr ? "%#lx" : "NULL",
					  (unsigned long)addr);
		else
			vtrace_put_string(v, call, &s->args, addr, -1);
		break;
	case PR_GET_PDEATHSIG:
	case PR_GET_CHILD_SUBREAPER:
		if (failed || !addr ||
		    facet_peek(call, &x, addr, sizeof(x)) != sizeof(x))
			vtrace_buf_printf(&s->args, addr ? "%#lx" : "NULL",
					  (unsigned long)addr);
		else if ((int)s->raw[0] == PR_GET_PDEATHSIG && x > 0 &&
			 x <= 64)
			vtrace_buf_printf(&s->args, "[%s]",
					  vtrace_signame(x, sig));
		else
			vtrace_buf_printf(&s->args, "[%d]", x);
		break;
	default:
		return;
	}
	vtrace_prctl_arg(s, 1, off);
}
