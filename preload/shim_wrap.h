// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * preload/shim_wrap.h - Macros that write the fast wrappers
 *
 * SHIM_WRAP(type, name, nr, (params), (libc args), a0, ..., a5) defines
 * libc function @name: when a module wants syscall @nr, the shim's one
 * dispatch (shim_pass()) runs the chain on the syscall glibc would make,
 * arguments a0..a5, and carries it out unless the modules let it through
 * unchanged; then, and when no module wants it, the wrapper jumps to the
 * next definition (libc's) with the same arguments.  The wrapper itself
 * is SHIM_HOT: all of them together, next to the start-up code, so that
 * a program calling a few of them does not touch a code page for each;
 * the dispatch is on a page of its own (SHIM_CALLPATH).
 */
#ifndef FACET_PRELOAD_SHIM_WRAP_H
#define FACET_PRELOAD_SHIM_WRAP_H

#include "shim.h"

/* shim_pass(), whose arguments are all registers, unless there is a sixth */
#define SHIM_PASS(nr, a0, a1, a2, a3, a4, a5)				\
	(__builtin_constant_p(a5) && (long)(a5) == 0 ?			\
		 shim_pass((long)(a0), (long)(a1), (long)(a2),		\
			   (long)(a3), (long)(a4), (nr)) :		\
		 shim_pass6((nr), (long)(a0), (long)(a1), (long)(a2),	\
			    (long)(a3), (long)(a4), (long)(a5)))

#define SHIM_WRAP(type, name, nr, params, args, a0, a1, a2, a3, a4, a5)	\
	SHIM_HOT type name params					\
	{								\
		if (shim_wants(nr)) {					\
			struct shim_pass p_ = SHIM_PASS(nr, a0, a1, a2,	\
							a3, a4, a5);	\
									\
			if (!p_.pass)					\
				return (type)p_.ret;			\
		} else if (shim_host_busy()) {				\
			return (type)shim_host_call(nr, (long)(a0),	\
				(long)(a1), (long)(a2), (long)(a3),	\
				(long)(a4), (long)(a5));		\
		}							\
		return SHIM_NEXT(type(*) params, #name) args;		\
	}

#endif /* FACET_PRELOAD_SHIM_WRAP_H */
