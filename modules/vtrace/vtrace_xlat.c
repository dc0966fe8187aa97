// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vtrace/vtrace_xlat.c - Flags and enums as strace renders them
 *
 * The names come from the core tables (core/xlat/NAME.in, facet_xlat_flags());
 * here is what strace adds: a value no name matches is hex with a comment
 * naming the table by its prefix, "0x1000 / * PROT_??? * /", "0x3e7
 * / * MADV_??? * /" (a table whose names share no prefix gets the bare
 * number), and mmap's huge page size field is "21<<MAP_HUGE_SHIFT".
 */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "../../core/xlat.h"
#include "vtrace.h"

#ifndef MAP_HUGE_SHIFT
#define MAP_HUGE_SHIFT	26
#endif
#define VTRACE_MAP_HUGE_MASK	(0x3ful << MAP_HUGE_SHIFT)

/*
 * The prefix the names of @table share, up to its last '_' ("PROT_",
 * "MADV_"); "" when they share none
 */
static void vtrace_xlat_prefix(const char *table, char *out, size_t cap)
{
	const struct facet_xlat_table *t = facet_xlat_table(table);
	size_t n = 0, i, k;
	const char *first;

	out[0] = '\0';
	if (!t || !t->n || !(first = facet_xlat_str(&t->xlat[0])))
		return;
	n = strlen(first);
	for (i = 1; i < t->n; i++) {
		const char *name = facet_xlat_str(&t->xlat[i]);

		for (k = 0; name && k < n && name[k] == first[k]; k++)
			;
		if (name)
			n = k;
	}
	while (n && first[n - 1] != '_')
		n--;
	if (n >= cap)
		n = 0;
	memcpy(out, first, n);
	out[n] = '\0';
}

/* A value nothing in @table names: "0x3e7 / * MADV_??? * /" */
static void vtrace_xlat_unknown(struct vtrace_buf *b, const char *table,
				unsigned long value, int signed_int)
{
	char prefix[64];

	vtrace_xlat_prefix(table, prefix, sizeof(prefix));
	if (!prefix[0] && signed_int)
		vtrace_buf_printf(b, "%d", (int)value);
	else if (!prefix[0])
		vtrace_buf_printf(b, "%#lx", value);
	else
		vtrace_buf_printf(b, "%#lx /* %s??? */", value, prefix);
}

/**
 * vtrace_put_flags() - Append a flags argument as strace does
 * @b:		Buffer
 * @table:	Its table ("mmap_prot")
 * @value:	The value
 */
void vtrace_put_flags(struct vtrace_buf *b, const char *table,
		      unsigned long value)
{
	unsigned long huge = 0;
	char flags[512];

	if (!strcmp(table, "mmap_flags")) {	/* a size, not flags */
		huge = (value & VTRACE_MAP_HUGE_MASK) >> MAP_HUGE_SHIFT;
		value &= ~VTRACE_MAP_HUGE_MASK;
	}
	facet_xlat_flags(table, value, flags, sizeof(flags));
	if (value && !strncmp(flags, "0x", 2))	/* no name for any bit */
		vtrace_xlat_unknown(b, table, value, 0);
	else
		vtrace_buf_puts(b, flags);
	if (huge)
		vtrace_buf_printf(b, "|%lu<<MAP_HUGE_SHIFT", huge);
}

/**
 * vtrace_put_enum() - Append an enum argument as strace does
 * @b:		Buffer
 * @table:	Its table ("madvise")
 * @value:	The value (an int)
 */
void vtrace_put_enum(struct vtrace_buf *b, const char *table, int value)
{
	const char *name = facet_xlat_name(table, (unsigned long)(long)value);

	if (name)
		vtrace_buf_puts(b, name);
	else
		vtrace_xlat_unknown(b, table, (unsigned)value, 1);
}
