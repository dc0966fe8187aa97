// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * preload/shim_wrap.h - Macros that write the fast wrappers
 *
 * SHIM_WRAP(type, name, nr, (params), (libc args), a0, ..., a5) defines
 * libc function @name: when no module wants syscall @nr it calls the next
 * definition (libc) with the same arguments; otherwise it hands the
 * syscall glibc would make, with arguments a0..a5, to shim_dispatch().
 */
#ifndef FACET_PRELOAD_SHIM_WRAP_H
#define FACET_PRELOAD_SHIM_WRAP_H

#include "shim.h"

#define SHIM_WRAP(type, name, nr, params, args, a0, a1, a2, a3, a4, a5)	\
	type name params						\
	{								\
		long a_[6];						\
									\
		if (!shim_wants(nr))					\
			return SHIM_NEXT(type(*) params, #name) args;	\
		a_[0] = (long)(a0);					\
		a_[1] = (long)(a1);					\
		a_[2] = (long)(a2);					\
		a_[3] = (long)(a3);					\
		a_[4] = (long)(a4);					\
		a_[5] = (long)(a5);					\
		return (type)shim_ret(shim_dispatch_inline(nr, a_));		\
	}

#endif /* FACET_PRELOAD_SHIM_WRAP_H */
