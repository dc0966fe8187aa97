// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * preload/shim_wrap.h - Macros that write the fast wrappers
 *
 * SHIM_WRAP(type, name, nr, (params), (libc args), a0, ..., a5) defines
 * libc function @name: when no module wants syscall @nr it calls the next
 * definition (libc) with the same arguments; otherwise it hands the
 * syscall glibc would make, with arguments a0..a5, to the dispatch
 * (shim_dispatch_inline(), in a function of its own that the wrapper
 * tail-calls: the unwanted case keeps a small frame, the wanted one
 * returns straight to the program).  The wrapper itself is SHIM_HOT:
 * all of them together, next to the start-up code, so that a program
 * calling a few of them does not touch a code page for each.
 */
#ifndef FACET_PRELOAD_SHIM_WRAP_H
#define FACET_PRELOAD_SHIM_WRAP_H

#include "shim.h"

#define SHIM_WRAP(type, name, nr, params, args, a0, a1, a2, a3, a4, a5)	\
	/* wanted: the dispatch inlined, reached by a tail call (some	\
	 * parameters only matter to libc's function) */		\
	_Pragma("GCC diagnostic push")					\
	_Pragma("GCC diagnostic ignored \"-Wunused-parameter\"")	\
	static __attribute__((noinline)) type shim_slow_##name params	\
	{								\
		long a_[6] = { (long)(a0), (long)(a1), (long)(a2),	\
			       (long)(a3), (long)(a4), (long)(a5) };	\
									\
		return (type)shim_ret(shim_dispatch_inline(nr, a_));	\
	}								\
	_Pragma("GCC diagnostic pop")					\
									\
	SHIM_HOT type name params					\
	{								\
		if (!shim_wants(nr))					\
			return SHIM_NEXT(type(*) params, #name) args;	\
		return shim_slow_##name args;				\
	}

#endif /* FACET_PRELOAD_SHIM_WRAP_H */
