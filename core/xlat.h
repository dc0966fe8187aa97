// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * core/xlat.h - Syscall table and flag/enum name tables, for the decoder
 *
 * DOC: Tables generated from data
 *
 * core/syscalls.in is turned into facet_syscall_rows[] by gen-syscalls.sh,
 * core/xlat/NAME.in into facet_xlat_rows[] by gen-xlat.sh (strace's xlat
 * pattern).  The lookups for modules are in <facet/module.h>
 * (facet_syscall(), facet_syscall_nr(), facet_xlat_name()); what follows is
 * for the trace decoder and the command line.
 *
 * Values are compared as unsigned long, and constants of type int are
 * sign-extended (AT_FDCWD is 0xffffffffffffff9c).  A decoder
 * should therefore pass an int-typed enum argument as (long)(int)arg and an
 * int-typed flags argument as (unsigned int)arg, so that garbage in the
 * upper half of a register does not show.
 */
#ifndef FACET_CORE_XLAT_H
#define FACET_CORE_XLAT_H

#include <stddef.h>
#include <stdint.h>

#include <facet/module.h>

/**
 * struct facet_xlat - One named constant of a table
 * @value:	Its value (of the bit field @mask, if @mask is not 0)
 * @mask:	0 for a flag or enum value; else the bit field holding @value,
 *		as O_ACCMODE holds O_RDONLY, O_WRONLY and O_RDWR
 * @name:	Offset of its name ("O_CREAT") in facet_xlat_strings; 0 only
 *		in the end marker (facet_xlat_str() makes it a string)
 */
struct facet_xlat {
	unsigned long value;
	unsigned long mask;
	uint32_t name;
};

/* Generated data: the names of the constants of every table */
extern const char facet_xlat_strings[];

/* Name of entry @x, NULL for the end marker */
static inline const char *facet_xlat_str(const struct facet_xlat *x)
{
	return x->name ? facet_xlat_strings + x->name : NULL;
}

/**
 * struct facet_xlat_table - A table of named constants (core/xlat/NAME.in)
 * @name:	Table name ("open"), as in syscalls.in after flags: or enum:
 * @xlat:	@n entries, then an end marker with @name NULL
 * @n:		Number of entries
 * @is_flags:	Values are or-ed bit flags rather than one of the entries
 * @ref_mask:	Bit field whose value is named by table @ref_table, or 0
 *		(the exit signal in clone flags)
 * @ref_table:	Table naming the @ref_mask field, or NULL
 */
struct facet_xlat_table {
	const char *name;
	const struct facet_xlat *xlat;
	size_t n;
	int is_flags;
	unsigned long ref_mask;
	const char *ref_table;
};

/**
 * struct facet_xlat_row - How the generated data holds a table
 * @name:	Offset of its name in facet_xlat_strings
 * @first:	Index of its first entry in facet_xlat_entries
 * @n:		Number of entries (an end marker follows them)
 * @is_flags:	As in struct facet_xlat_table
 * @ref_mask:	As in struct facet_xlat_table
 * @ref_table:	Offset of that table's name in facet_xlat_strings; 0: none
 *
 * No pointers, so that loading the tables relocates nothing (ld.so
 * relocated 280 pointers and wrote a page in every process of a preload
 * view); facet_xlat_table_at() makes the public form.
 */
struct facet_xlat_row {
	uint32_t name;
	uint32_t first;
	uint32_t n;
	int is_flags;
	unsigned long ref_mask;
	uint32_t ref_table;
};

/* Generated data: every table's entries, then one row per table sorted by
 * name (count in facet_xlat_ntables), and room for their public form */
extern const struct facet_xlat facet_xlat_entries[];
extern const struct facet_xlat_row facet_xlat_rows[];
extern const size_t facet_xlat_ntables;
extern struct facet_xlat_table facet_xlat_cache[];

/**
 * struct facet_syscall_row - One row of the generated syscall table
 * @name:	Offset of the name in facet_syscall_strings; 0: unused row
 * @nargs:	Number of arguments
 * @classes:	FACET_CLASS_* bits
 * @kind:	enum facet_argkind of arguments 0..5, then of the result
 * @detail:	Offsets of their details in facet_syscall_strings; 0: none
 *
 * No pointers, so that loading the table relocates nothing (every process
 * of a preload view loads it); facet_syscall() makes the public form.
 */
struct facet_syscall_row {
	uint16_t name;
	uint8_t nargs;
	uint32_t classes;
	uint8_t kind[7];
	uint16_t detail[7];
};

/* Generated data: the table, its strings, and its row numbers sorted by
 * name (strcmp) */
extern const char facet_syscall_strings[];
extern const struct facet_syscall_row facet_syscall_rows[FACET_NR_MAX];
extern const unsigned short facet_syscall_byname[];
extern const size_t facet_syscall_count;

const char *facet_syscall_name(long nr);
uint32_t facet_syscall_classes(long nr);
const struct facet_xlat_table *facet_xlat_table(const char *name);
const struct facet_xlat_table *facet_xlat_table_at(size_t i);
int facet_xlat_flags(const char *table, unsigned long value, char *buf,
		     size_t cap);

uint32_t facet_class_parse(const char *name);
const char *facet_class_name(uint32_t bit);

#endif /* FACET_CORE_XLAT_H */
