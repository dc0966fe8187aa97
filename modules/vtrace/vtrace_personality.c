// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vtrace/vtrace_personality.c - personality's argument and result,
 *					  as strace shows them
 *
 *	personality(0xffffffff)		    = 0 (PER_LINUX)
 *	personality(PER_LINUX|READ_IMPLIES_EXEC) = 0x400000 (PER_LINUX|...)
 *
 * The execution domain (low byte) by name, then the flags; 0xffffffff
 * (a query, which changes nothing) as the number.
 */
#include <stdio.h>

#include "../../core/xlat.h"
#include "vtrace.h"

#define VTRACE_PER_MASK		0xffu
#define VTRACE_PER_QUERY	0xffffffffu

/* A persona: "PER_LINUX32|ADDR_NO_RANDOMIZE" */
static void vtrace_put_persona(struct vtrace_buf *b, unsigned persona)
{
	char flags[512];

	vtrace_put_enum(b, "personality_type", (int)(persona &
						      VTRACE_PER_MASK));
	if (!(persona & ~VTRACE_PER_MASK))
		return;
	facet_xlat_flags("personality_flags", persona & ~VTRACE_PER_MASK,
			 flags, sizeof(flags));
	vtrace_buf_printf(b, "|%s", flags);
}

/**
 * vtrace_personality_entry() - personality's argument
 * @s:		The call's slot, after the generic decoding
 * @arg:	The argument (the kernel takes its low 32 bits)
 */
void vtrace_personality_entry(struct vtrace_slot *s, long arg)
{
	unsigned persona = (unsigned)arg, off = s->args.len;

	if (persona == VTRACE_PER_QUERY)
		vtrace_buf_printf(&s->args, "%#x", persona);
	else
		vtrace_put_persona(&s->args, persona);
	s->off[0] = off;
	s->len[0] = s->args.len - off;
}

/**
 * vtrace_personality_result() - The persona personality returned
 * @b:		Buffer
 * @ret:	Result, not an error: "0x400000 (PER_LINUX|READ_IMPLIES_EXEC)"
 */
void vtrace_personality_result(struct vtrace_buf *b, long ret)
{
	vtrace_buf_printf(b, "%#lx (", ret);
	vtrace_put_persona(b, (unsigned)ret);
	vtrace_buf_puts(b, ")");
}
