// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * core/chain.h - The module chain: registry, options, dispatch
 */
#ifndef FACET_CORE_CHAIN_H
#define FACET_CORE_CHAIN_H

#include <facet/module.h>

#include "call.h"

/**
 * struct facet_instance - One module in the chain
 * @enter:	@mod->enter, kept here: a call reads the chain's page, not
 *		the module's own data page for its struct facet_module
 * @self:	Its private state (@mod->self_size bytes)
 * @mod:	The module
 * @dl:		dlopen() handle for a third-party module, else NULL
 * @touches:	What it offered with facet_env_touches(), or NULL
 */
struct facet_instance {
	enum facet_verdict (*enter)(void *self, struct facet_call *call);
	void *self;
	const struct facet_module *mod;
	void *dl;
	facet_touches_fn touches;
};

/* At most this many syscalls have a condition; more: unconditional */
#define FACET_CHAIN_CONDS	16

/**
 * struct facet_chain_cond - A condition on one syscall
 * @nr:		Syscall number
 * @arg:	Only calls whose argument @arg has a bit of @mask set need
 *		more than FACET_HOOK_ENTER (facet_sysset_rewrite_if())
 * @only:	The calls outside the condition are not wanted at all
 *		(facet_sysset_only_if())
 * @mask:	Those bits
 */
struct facet_chain_cond {
	uint16_t nr;
	int8_t arg;
	uint8_t only;
	uint64_t mask;
};

/**
 * struct facet_chain - The active modules, outermost first
 * @n:		How many
 * @wanted_by:	Per syscall number, bit i set if inst[i] wants it (0: no
 *		module wants it; what the preload shim asks on every call)
 * @inst:	Modules in order.  These first: what a call reads is
 *		together, on one page.  What each wants() said is merged
 *		into the arrays here and not kept: a struct facet_sysset per
 *		module made the chain 90 kB, pages the preload shim wrote in
 *		every process
 * @hooks:	Union of the modules' hooks per syscall number
 * @ncond, @cond: The syscalls with a condition (struct facet_chain_cond,
 *		facet_chain_cond()); a few, so a short list, not three
 *		arrays of FACET_NR_MAX (5.6 kB that the preload shim, which
 *		has no use for them, wrote in every process: a page fault)
 * @self_arena:	Memory the backend offers for small modules' state (see
 *		facet_chain_add()), or NULL: the heap.  The preload shim
 *		offers room on the page a call reads anyway: a module's
 *		state on a heap page of its own was one more TLB miss per
 *		call (every syscall empties the TLB on this project's VMs)
 * @self_arena_size, @self_arena_used: Its size and what is handed out
 */
struct facet_chain {
	int n;
	uint16_t wanted_by[FACET_NR_MAX];
	struct facet_instance inst[FACET_MODULES_MAX];
	uint8_t hooks[FACET_NR_MAX];
	int ncond;
	struct facet_chain_cond cond[FACET_CHAIN_CONDS];
	unsigned char *self_arena;
	size_t self_arena_size;
	size_t self_arena_used;
};

/**
 * struct facet_env - What start() gets; filled by the backend
 * @backend:	"ptrace" or "preload"
 * @first:	First start of the view (not a re-start after exec)
 * @hide_vdso:	Set by a module that needs clock calls to trap
 * @catch_all:	Set by a module that must see every syscall in-process
 * @shared:	Backend's allocator for facet_env_shared()
 * @priv:	Backend's context for @shared
 * @starting:	Index of the module whose start() runs (set by the chain)
 * @clock_read:	Fast clock reader offered with facet_env_clock(), or NULL
 * @clock_inst:	Index of the module that offered it
 * @listing:	Listing filter offered with facet_env_listing(), or NULL
 * @listing_inst: Index of the module that offered it
 * @realpath:	realpath() offered with facet_env_realpath(), or NULL
 * @realpath_inst: Index of the module that offered it
 * @touches:	What the starting module offered with facet_env_touches()
 *		(moved to its struct facet_instance after its start())
 */
struct facet_env {
	const char *backend;
	int first;
	int hide_vdso;
	int catch_all;
	void *(*shared)(struct facet_env *env, const char *key, size_t size);
	void *priv;
	int starting;
	facet_clock_fn clock_read;
	int clock_inst;
	facet_listing_fn listing;
	int listing_inst;
	facet_realpath_fn realpath;
	int realpath_inst;
	facet_touches_fn touches;
};

/* Iterate the built-in modules */
#define facet_for_each_builtin(m)					\
	for (const struct facet_module *const *m##_it = facet_builtins_begin(); \
	     m##_it < facet_builtins_end() && ((m = *m##_it), 1); m##_it++)

const struct facet_module *const *facet_builtins_begin(void);
const struct facet_module *const *facet_builtins_end(void);
const struct facet_module *facet_builtin(const char *name);

int facet_chain_self_owned(const struct facet_chain *chain, const void *self);
const struct facet_chain_cond *facet_chain_cond(const struct facet_chain *chain,
						long nr);
int facet_chain_add(struct facet_chain *chain, const char *name,
		    struct facet_err *err);
int facet_chain_find(const struct facet_chain *chain, const char *name);
const char *facet_chain_ptrace_only(const struct facet_chain *chain);
const char *facet_chain_prefers_ptrace(const struct facet_chain *chain);
const char *facet_chain_not_combined(const struct facet_chain *chain);
int facet_chain_option(struct facet_chain *chain, int idx, const char *key,
		       const char *value, struct facet_err *err);
int facet_chain_spec(struct facet_chain *chain, const char *spec,
		     struct facet_err *err);
int facet_chain_start(struct facet_chain *chain, struct facet_env *env,
		      struct facet_err *err);
enum facet_verdict facet_chain_enter(struct facet_chain *chain,
				     struct facet_call *call);
void facet_chain_exit(struct facet_chain *chain, struct facet_call *call);

/*
 * facet_chain_enter(), inlined into the preload shim's per-call path: the
 * modules that want the call, outermost first, found bit by bit in
 * @wanted_by (one module: one step).
 */
static inline __attribute__((always_inline)) enum facet_verdict
facet_chain_enter_inline(struct facet_chain *chain, struct facet_call *call)
{
	unsigned long nr = call->orig_nr;
	uint32_t want;

	if (nr >= FACET_NR_MAX)
		return FACET_CONTINUE;
	for (want = chain->wanted_by[nr]; want; want &= want - 1) {
		int i = __builtin_ctz(want);
		struct facet_instance *in = &chain->inst[i];
		enum facet_verdict v;

		if (!in->enter)
			continue;
		call->cur = i;
		v = in->enter(in->self, call);
		if (v == FACET_CONTINUE_EXIT)
			call->exit_mask |= 1u << i;
		if (v == FACET_DONE || (call->flags & FACET_CALL_FINISHED)) {
			call->flags |= FACET_CALL_FINISHED;
			return FACET_DONE;
		}
	}
	return call->exit_mask ? FACET_CONTINUE_EXIT : FACET_CONTINUE;
}
void facet_chain_process(struct facet_chain *chain,
			 enum facet_proc_event ev, pid_t pid, long other);
int facet_chain_stop(struct facet_chain *chain);
void facet_chain_free(struct facet_chain *chain);

void *facet_chain_clock(const struct facet_chain *chain,
			const struct facet_env *env, long nr);
void *facet_chain_listing(const struct facet_chain *chain,
			  const struct facet_env *env, long nr);
void *facet_chain_realpath(const struct facet_chain *chain,
			   const struct facet_env *env, const long *nrs);
int facet_chain_touches(const struct facet_chain *chain, const short *nrs,
			const char *prefix);
void *facet_env_shared_heap(struct facet_env *env, const char *key,
			    size_t size);

#endif /* FACET_CORE_CHAIN_H */
