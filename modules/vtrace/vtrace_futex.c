// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vtrace/vtrace_futex.c - futex's arguments by command, as strace
 *				    shows them
 *
 * strace shows only the arguments a command uses, and the fourth one as
 * the number it is where it is no timeout:
 *
 *	futex(A, FUTEX_WAIT_PRIVATE, 2, NULL)
 *	futex(A, FUTEX_WAKE_PRIVATE, 1)
 *	futex(A, FUTEX_REQUEUE_PRIVATE, 1, 2, B)
 *	futex(A, FUTEX_CMP_REQUEUE_PRIVATE, 1, 2, B, 0)
 *	futex(A, FUTEX_WAKE_OP_PRIVATE, 1, 1, B,
 *	      FUTEX_OP_SET<<28|0x1<<12|FUTEX_OP_CMP_EQ<<24|0)
 *	futex(A, FUTEX_LOCK_PI_PRIVATE, {tv_sec=0, tv_nsec=1000})
 *	futex(A, FUTEX_UNLOCK_PI_PRIVATE)
 *	futex(A, FUTEX_WAIT_BITSET_PRIVATE, 0, NULL, FUTEX_BITSET_MATCH_ANY)
 *	futex(A, FUTEX_WAKE_BITSET, 1, 0x5)
 *
 * A command nothing names keeps all six, the last two in hex.
 */
#include <linux/futex.h>
#include <stdio.h>

#include "vtrace.h"

#ifndef FUTEX_LOCK_PI2
#define FUTEX_LOCK_PI2		13
#endif

static const char *const vtrace_futex_wake_ops[] = { "FUTEX_OP_SET",
	"FUTEX_OP_ADD", "FUTEX_OP_OR", "FUTEX_OP_ANDN", "FUTEX_OP_XOR" };
static const char *const vtrace_futex_wake_cmps[] = { "FUTEX_OP_CMP_EQ",
	"FUTEX_OP_CMP_NE", "FUTEX_OP_CMP_LT", "FUTEX_OP_CMP_LE",
	"FUTEX_OP_CMP_GT", "FUTEX_OP_CMP_GE" };

/* Argument @i's text is now @s->args from @off on */
static void vtrace_futex_arg(struct vtrace_slot *s, int i, unsigned off)
{
	s->off[i] = off;
	s->len[i] = s->args.len - off;
}

/* A field of FUTEX_WAKE_OP's operation: its name, or the number */
static void vtrace_futex_field(struct vtrace_buf *b, unsigned v,
			       const char *const *names, unsigned n,
			       const char *shift, const char *unknown)
{
	if (v < n)
		vtrace_buf_printf(b, "%s%s", names[v], shift);
	else
		vtrace_buf_printf(b, "%#x%s /* %s */", v, shift, unknown);
}

/* FUTEX_WAKE_OP's operation and comparison, as FUTEX_OP() builds them */
static void vtrace_futex_wake_op(struct vtrace_buf *b, unsigned v)
{
	unsigned op = v >> 28 & 0xf, arg = v >> 12 & 0xfff;

	if (op & FUTEX_OP_OPARG_SHIFT)
		vtrace_buf_puts(b, "FUTEX_OP_OPARG_SHIFT<<28|");
	vtrace_futex_field(b, op & 7, vtrace_futex_wake_ops,
			   sizeof(vtrace_futex_wake_ops) / sizeof(char *),
			   "<<28", "FUTEX_OP_???");
	vtrace_buf_printf(b, "|%#x<<12|", arg);	/* "0" for 0 */
	vtrace_futex_field(b, v >> 24 & 0xf, vtrace_futex_wake_cmps,
			   sizeof(vtrace_futex_wake_cmps) / sizeof(char *),
			   "<<24", "FUTEX_OP_CMP_???");
	vtrace_buf_printf(b, "|%#x", v & 0xfff);
}

/**
 * vtrace_futex_fix() - futex's arguments as strace shows them
 * @s:		The call's slot, after the generic decoding
 * @args:	The arguments
 *
 * Replaces the op's text (FUTEX_WAIT_PRIVATE), the fourth and sixth
 * arguments' where the command makes them numbers, and leaves out those
 * the command does not use.
 */
void vtrace_futex_fix(struct vtrace_slot *s, const long *args)
{
	int cmd = args[1] & FUTEX_CMD_MASK, i;
	const char *name = facet_xlat_name("futex_op", cmd);
	struct vtrace_buf *b = &s->args;
	unsigned use = 0x3f, off;	/* the arguments shown, a bit each */
	int val2 = 0, val3 = 0;		/* arguments 3 and 5 as numbers */

	if (!name) {			/* all six, the last in hex */
		off = b->len;
		vtrace_buf_printf(b, "%#x", (unsigned)args[5]);
		vtrace_futex_arg(s, 5, off);
		return;
	}
	off = b->len;
	vtrace_buf_printf(b, "%s%s%s", name,
			  args[1] & FUTEX_PRIVATE_FLAG ? "_PRIVATE" : "",
			  args[1] & FUTEX_CLOCK_REALTIME ?
			  "|FUTEX_CLOCK_REALTIME" : "");
	vtrace_futex_arg(s, 1, off);
	switch (cmd) {
	case FUTEX_WAIT:
		use = 0x0f;
		break;
	case FUTEX_WAKE: case FUTEX_FD:
		use = 0x07;
		break;
	case FUTEX_REQUEUE:
		use = 0x1f;
		val2 = 1;
		break;
	case FUTEX_CMP_REQUEUE: case FUTEX_CMP_REQUEUE_PI:
		val2 = val3 = 1;
		break;
	case FUTEX_WAKE_OP:
		val2 = 1;
		off = b->len;
		vtrace_futex_wake_op(b, (unsigned)args[5]);
		vtrace_futex_arg(s, 5, off);
		break;
	case FUTEX_LOCK_PI: case FUTEX_LOCK_PI2:
		use = 0x0b;
		break;
	case FUTEX_UNLOCK_PI: case FUTEX_TRYLOCK_PI:
		use = 0x03;
		break;
	case FUTEX_WAIT_BITSET:
		use = 0x2f;
		break;
	case FUTEX_WAKE_BITSET:
		use = 0x27;
		break;
	case FUTEX_WAIT_REQUEUE_PI:
		use = 0x1f;
		break;
	}
	if (val2) {
		off = b->len;
		vtrace_buf_printf(b, "%u", (unsigned)args[3]);
		vtrace_futex_arg(s, 3, off);
	}
	if (val3) {
		off = b->len;
		vtrace_buf_printf(b, "%u", (unsigned)args[5]);
		vtrace_futex_arg(s, 5, off);
	}
	if (cmd == FUTEX_WAIT_BITSET || cmd == FUTEX_WAKE_BITSET) {
		off = b->len;
		if ((unsigned)args[5] == FUTEX_BITSET_MATCH_ANY)
			vtrace_buf_puts(b, "FUTEX_BITSET_MATCH_ANY");
		else
			vtrace_buf_printf(b, "%#x", (unsigned)args[5]);
		vtrace_futex_arg(s, 5, off);
	}
	for (i = 0; i < 6; i++)
		if (!(use & 1u << i))
			s->off[i] = ~0u;
}
