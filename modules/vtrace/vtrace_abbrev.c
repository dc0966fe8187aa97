// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vtrace/vtrace_abbrev.c - strace -v and -e abbrev=SET: which
 *				     calls have their structs abbreviated
 *
 * strace abbreviates by default: a stat shows its mode and size then
 * "...", execve's environment is "0x7ffd... / * 37 vars * /", getdents64's
 * entries are counted, arrays stop at -s elements.  -e abbrev=SET keeps
 * that for the calls of SET alone; -v (--no-abbrev) is abbrev=none.  The
 * decoders of those structs ask vtrace_abbrev() (vtrace.h) with the
 * call's number: nothing is added to calls that have none of them.
 */
#include <errno.h>
#include <stdlib.h>

#include "vtrace.h"

/**
 * vtrace_abbrev_parse() - The calls whose structs are abbreviated
 * @v:		Module state
 * @spec:	A syscall set, as -e trace='s ("none", "all", "stat,!fstat")
 * @err:	Error out
 *
 * Return: 0, or a negative errno with @err filled in
 */
int vtrace_abbrev_parse(struct vtrace *v, const char *spec,
			struct facet_err *err)
{
	if (!v->abbrev) {
		v->abbrev = calloc(1, sizeof(*v->abbrev));
		if (!v->abbrev)
			return facet_err_set(err, ENOMEM, "vtrace: no memory "
					     "for -e abbrev=");
	}
	return vtrace_filter_parse(v->abbrev, spec, err);
}
