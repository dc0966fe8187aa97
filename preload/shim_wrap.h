// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * preload/shim_wrap.h - Macros that write the fast wrappers
 *
 * SHIM_WRAP(type, name, nr, (params), (libc args), a0, ..., a5) defines
 * libc function @name: when no module wants syscall @nr it calls the next
 * definition (libc) with the same arguments; otherwise it jumps to the
 * shim's one dispatch (shim_call(), shim_call6()) with the syscall glibc
 * would make, arguments a0..a5, which returns straight to the program.
 * The wrapper itself is SHIM_HOT: all of them together, next to the
 * start-up code, so that a program calling a few of them does not touch a
 * code page for each; the wanted path is on the page of the dispatch.
 */
#ifndef FACET_PRELOAD_SHIM_WRAP_H
#define FACET_PRELOAD_SHIM_WRAP_H

#include "shim.h"

/*
 * shim_call() and shim_call6() under the wrapper's own return type: on
 * x86_64 an int (or any narrower) result is the low part of %rax, so the
 * wrapper can jump to them instead of calling them and converting (a
 * return of its own, mispredicted after the syscall).  A call with no
 * sixth argument goes to shim_call(), whose arguments are all registers.
 */
#define SHIM_CALL_AS(type, name, nr, a0, a1, a2, a3, a4, a5)		\
	({								\
		extern type shim_call_##name(long, long, long, long,	\
					     long, long)		\
			__asm__("shim_call")				\
			__attribute__((visibility("hidden")));		\
		extern type shim_call6_##name(long, long, long, long,	\
					      long, long, long)		\
			__asm__("shim_call6")				\
			__attribute__((visibility("hidden")));		\
		__builtin_constant_p(a5) && (long)(a5) == 0 ?		\
			shim_call_##name((long)(a0), (long)(a1),	\
					 (long)(a2), (long)(a3),	\
					 (long)(a4), (nr)) :		\
			shim_call6_##name((nr), (long)(a0), (long)(a1),	\
					  (long)(a2), (long)(a3),	\
					  (long)(a4), (long)(a5));	\
	})

#define SHIM_WRAP(type, name, nr, params, args, a0, a1, a2, a3, a4, a5)	\
	SHIM_HOT type name params					\
	{								\
		if (!shim_wants(nr))					\
			return SHIM_NEXT(type(*) params, #name) args;	\
		return SHIM_CALL_AS(type, name, nr, a0, a1, a2, a3,	\
				    a4, a5);				\
	}

#endif /* FACET_PRELOAD_SHIM_WRAP_H */
