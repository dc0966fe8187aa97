// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * core/syscalls.c - Lookups in the syscall table and the flag/enum tables
 *
 * DOC: Theory of operation
 *
 * The data is generated: facet_syscall_rows[] from syscalls.in, indexed by
 * number, with facet_syscall_byname[] giving the numbers in name order for
 * bsearch(); facet_xlat_rows[] from the xlat/NAME.in files, sorted by
 * table name.
 * Nothing here allocates, so all of it may be used from the preload shim.
 *
 * The syscall rows hold string offsets, not pointers: a table of pointers
 * in a shared object is relocated by ld.so in every process that loads
 * it, which copies each of its pages (17 of them, at a page fault each:
 * tens of microseconds on a VM) in every process of a preload view.  The
 * public struct facet_syscall of a row is made the first time
 * facet_syscall() is asked for it, in a cache that only the rows asked
 * for touch; the lookups by name and class read the rows directly.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "call.h"	/* FACET_COLD */
#include "xlat.h"

static const struct {
	const char *name;
	uint32_t bits;
} facet_classes[] = {
	/* One per bit, in bit order: facet_class_name() indexes this */
	{ "file", FACET_CLASS_FILE },
	{ "desc", FACET_CLASS_DESC },
	{ "net", FACET_CLASS_NET },
	{ "ipc", FACET_CLASS_IPC },
	{ "process", FACET_CLASS_PROCESS },
	{ "signal", FACET_CLASS_SIGNAL },
	{ "memory", FACET_CLASS_MEMORY },
	{ "creds", FACET_CLASS_CREDS },
	{ "clock", FACET_CLASS_CLOCK },
	{ "timer", FACET_CLASS_TIMER },
	{ "stat", FACET_CLASS_STAT },
	{ "lstat", FACET_CLASS_LSTAT },
	{ "fstat", FACET_CLASS_FSTAT },
	{ "statfs", FACET_CLASS_STATFS },
	{ "fstatfs", FACET_CLASS_FSTATFS },
	{ "pure", FACET_CLASS_PURE },
	{ "sched", FACET_CLASS_SCHED },
	{ "system", FACET_CLASS_SYSTEM },
	/* Other spellings, strace's among them */
	{ "network", FACET_CLASS_NET },
	{ "%stat", FACET_CLASS_STAT | FACET_CLASS_LSTAT | FACET_CLASS_FSTAT },
	{ "%statfs", FACET_CLASS_STATFS | FACET_CLASS_FSTATFS },
};

#define FACET_NCLASSES	18	/* entries above with a single bit */

/**
 * facet_syscall() - Row of the syscall table for a number
 * @nr:		Syscall number
 *
 * Return: the row, or NULL if @nr is out of range or unused
 */
const struct facet_syscall *facet_syscall(long nr)
{
	static struct facet_syscall cache[FACET_NR_MAX];
	static unsigned char made[FACET_NR_MAX];
	const struct facet_syscall_row *r;
	struct facet_syscall *sc;
	int i;

	if (nr < 0 || nr >= FACET_NR_MAX || !facet_syscall_rows[nr].name)
		return NULL;
	sc = &cache[nr];
	if (__atomic_load_n(&made[nr], __ATOMIC_ACQUIRE))
		return sc;
	/* Threads (or a signal handler) that get here together all write
	 * the same values; the row is used once one of them has said so */
	r = &facet_syscall_rows[nr];
	sc->name = facet_syscall_strings + r->name;
	sc->nr = (int)nr;
	sc->nargs = r->nargs;
	sc->classes = r->classes;
	for (i = 0; i < 7; i++) {
		struct facet_sysarg *a = i < 6 ? &sc->arg[i] : &sc->ret;

		a->kind = r->kind[i];
		a->detail = r->detail[i] ? facet_syscall_strings + r->detail[i]
					 : NULL;
	}
	__atomic_store_n(&made[nr], 1, __ATOMIC_RELEASE);
	return sc;
}

/**
 * facet_syscall_name() - Name of a syscall, without making its row
 * @nr:		Syscall number
 *
 * Return: the name, or NULL if @nr is out of range or unused
 */
__attribute__((cold)) const char *facet_syscall_name(long nr)
{
	if (nr < 0 || nr >= FACET_NR_MAX || !facet_syscall_rows[nr].name)
		return NULL;
	return facet_syscall_strings + facet_syscall_rows[nr].name;
}

/**
 * facet_syscall_classes() - FACET_CLASS_* bits of a syscall
 * @nr:		Syscall number
 *
 * Return: the bits, 0 if @nr is out of range or unused
 */
uint32_t facet_syscall_classes(long nr)
{
	if (nr < 0 || nr >= FACET_NR_MAX)
		return 0;
	return facet_syscall_rows[nr].classes;
}

/**
 * facet_syscall_takes() - Does a syscall take an argument of a kind?
 * @nr:		Syscall number
 * @kind:	enum facet_argkind
 *
 * Return: 1 if one of its arguments is of @kind, 0 if not or unknown
 */
FACET_COLD int facet_syscall_takes(long nr, enum facet_argkind kind)
{
	const struct facet_syscall_row *r;
	int i;

	if (nr < 0 || nr >= FACET_NR_MAX || !facet_syscall_rows[nr].name)
		return 0;
	r = &facet_syscall_rows[nr];
	for (i = 0; i < r->nargs && i < 6; i++)
		if (r->kind[i] == kind)
			return 1;
	return 0;
}

/**
 * facet_syscall_nr() - Number of a syscall given its name
 * @name:	Name as in <asm/unistd_64.h> without __NR_ ("openat")
 *
 * Return: the number, or -1 if unknown
 */
__attribute__((cold)) long facet_syscall_nr(const char *name)
{
	size_t lo = 0, hi = facet_syscall_count;

	if (!name)
		return -1;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		unsigned nr = facet_syscall_byname[mid];
		int cmp = strcmp(name, facet_syscall_name(nr));

		if (!cmp)
			return nr;
		if (cmp < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

/**
 * facet_xlat_table_at() - Table @i of facet_xlat_rows, in its public form
 * @i:		Below facet_xlat_ntables
 *
 * Made the first time it is asked for, in facet_xlat_cache; the name is
 * stored last, and a table whose name is set is complete (two threads
 * making it at once write the same values).
 *
 * Return: the table
 */
const struct facet_xlat_table *facet_xlat_table_at(size_t i)
{
	const struct facet_xlat_row *r = &facet_xlat_rows[i];
	struct facet_xlat_table *t = &facet_xlat_cache[i];

	if (__atomic_load_n(&t->name, __ATOMIC_ACQUIRE))
		return t;
	__atomic_store_n(&t->xlat, &facet_xlat_entries[r->first],
			 __ATOMIC_RELAXED);
	__atomic_store_n(&t->n, (size_t)r->n, __ATOMIC_RELAXED);
	__atomic_store_n(&t->is_flags, r->is_flags, __ATOMIC_RELAXED);
	__atomic_store_n(&t->ref_mask, r->ref_mask, __ATOMIC_RELAXED);
	__atomic_store_n(&t->ref_table, r->ref_table ?
			 facet_xlat_strings + r->ref_table : NULL,
			 __ATOMIC_RELAXED);
	__atomic_store_n(&t->name, facet_xlat_strings + r->name,
			 __ATOMIC_RELEASE);
	return t;
}

/**
 * facet_xlat_table() - Flag or enum table by name
 * @name:	Table name ("open", "mmap_prot")
 *
 * Return: the table, or NULL if unknown
 */
const struct facet_xlat_table *facet_xlat_table(const char *name)
{
	size_t lo = 0, hi = facet_xlat_ntables;

	if (!name)
		return NULL;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int cmp = strcmp(name, facet_xlat_strings +
				       facet_xlat_rows[mid].name);

		if (!cmp)
			return facet_xlat_table_at(mid);
		if (cmp < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/**
 * facet_xlat_name() - Name of a constant of a table, by exact value
 * @table:	Table name ("whence")
 * @value:	Value to look for
 *
 * Return: the first entry of @table equal to @value, or NULL if none
 */
const char *facet_xlat_name(const char *table, unsigned long value)
{
	const struct facet_xlat_table *t = facet_xlat_table(table);
	size_t i;

	if (!t)
		return NULL;
	for (i = 0; i < t->n; i++)
		if (t->xlat[i].value == value)
			return facet_xlat_str(&t->xlat[i]);
	return NULL;
}

/**
 * struct facet_xlat_buf - Output of facet_xlat_flags(), like snprintf()
 * @buf:	Buffer
 * @cap:	Its size
 * @len:	Length of the whole output, even past @cap
 */
struct facet_xlat_buf {
	char *buf;
	size_t cap;
	size_t len;
};

/**
 * facet_xlat_put() - Append a '|' (unless first) and a string to the output
 * @out:	Output
 * @s:		String
 */
static void facet_xlat_put(struct facet_xlat_buf *out, const char *s)
{
	size_t n = strlen(s);

	if (out->len) {
		if (out->len + 1 < out->cap)
			out->buf[out->len] = '|';
		out->len++;
	}
	if (out->len < out->cap) {
		size_t room = out->cap - out->len - 1;

		memcpy(out->buf + out->len, s, n < room ? n : room);
	}
	out->len += n;
}

/**
 * facet_xlat_put_hex() - Append a '|' (unless first) and a number in hex
 * @out:	Output
 * @v:		Number
 */
static void facet_xlat_put_hex(struct facet_xlat_buf *out,
			       unsigned long v)
{
	char hex[24];

	snprintf(hex, sizeof(hex), "%#lx", v);
	facet_xlat_put(out, hex);
}

/**
 * facet_xlat_fields() - Name the bit fields of @value (O_ACCMODE...)
 * @t:		Table
 * @value:	Value
 * @out:	Output
 *
 * Return: the bits of @value that were named
 */
static unsigned long facet_xlat_fields(const struct facet_xlat_table *t,
				       unsigned long value,
				       struct facet_xlat_buf *out)
{
	unsigned long done = 0;
	size_t i;

	for (i = 0; i < t->n; i++) {
		const struct facet_xlat *x = &t->xlat[i];

		if (!x->mask || (done & x->mask) ||
		    (value & x->mask) != x->value)
			continue;
		facet_xlat_put(out, facet_xlat_str(x));
		done |= x->mask;
	}
	return done;
}

/**
 * facet_xlat_bits() - Name the single flags set in @value
 * @t:		Table
 * @value:	Bits left to name
 * @out:	Output
 *
 * Return: the bits of @value that were not named
 */
static unsigned long facet_xlat_bits(const struct facet_xlat_table *t,
				     unsigned long value,
				     struct facet_xlat_buf *out)
{
	size_t i;

	for (i = 0; i < t->n && value; i++) {
		const struct facet_xlat *x = &t->xlat[i];

		if (x->mask || !x->value || (value & x->value) != x->value)
			continue;
		facet_xlat_put(out, facet_xlat_str(x));
		value &= ~x->value;
	}
	return value;
}

/**
 * facet_xlat_flags() - Render a flags value the way strace does
 * @table:	Table name ("open")
 * @value:	Value
 * @buf:	Output, always NUL-terminated if @cap is not 0
 * @cap:	Size of @buf
 *
 * Bit fields come first (O_RDWR), then the flags in table order, then the
 * field named by another table (clone's exit signal), then whatever bits
 * are left as one hex number: "O_RDWR|O_CREAT|O_CLOEXEC|0x40000000".  Zero
 * with nothing to name it is "0".  An enum table gives the name of the exact
 * value or the value in hex; an unknown table just the hex.
 *
 * Return: length of the whole rendering, without the NUL (as snprintf(): a
 * result >= @cap means it was truncated)
 */
int facet_xlat_flags(const char *table, unsigned long value, char *buf,
		     size_t cap)
{
	const struct facet_xlat_table *t = facet_xlat_table(table);
	struct facet_xlat_buf out = { buf, cap, 0 };
	unsigned long left = value;
	const char *name;

	if (t && !t->is_flags && (name = facet_xlat_name(table, value)))
		facet_xlat_put(&out, name);
	else if (t && t->is_flags) {
		left &= ~facet_xlat_fields(t, value, &out);
		left = facet_xlat_bits(t, left, &out);
		if (t->ref_mask && (left & t->ref_mask) &&
		    (name = facet_xlat_name(t->ref_table,
					    left & t->ref_mask))) {
			facet_xlat_put(&out, name);
			left &= ~t->ref_mask;
		}
		if (left || !out.len)
			facet_xlat_put_hex(&out, left);
	} else {
		facet_xlat_put_hex(&out, value);
	}
	if (cap)
		buf[out.len < cap ? out.len : cap - 1] = '\0';
	return (int)out.len;
}

/**
 * facet_class_parse() - Class bit(s) from a name
 * @name:	"file", "net", "network", "%net", "%%stat"...; any case
 *
 * strace's "%%stat" and "%%statfs" (all stat, all statfs variants) give
 * several bits.
 *
 * Return: the enum facet_class bit(s), or 0 if unknown
 */
uint32_t facet_class_parse(const char *name)
{
	size_t i;

	if (!name)
		return 0;
	if (*name == '%')
		name++;
	for (i = 0; i < sizeof(facet_classes) / sizeof(facet_classes[0]); i++)
		if (!strcasecmp(name, facet_classes[i].name))
			return facet_classes[i].bits;
	return 0;
}

/**
 * facet_class_name() - Name of a class bit
 * @bit:	One enum facet_class bit
 *
 * Return: lower-case name ("file"), or NULL if @bit is not one known bit
 */
const char *facet_class_name(uint32_t bit)
{
	size_t i;

	for (i = 0; i < FACET_NCLASSES; i++)
		if (facet_classes[i].bits == bit)
			return facet_classes[i].name;
	return NULL;
}
