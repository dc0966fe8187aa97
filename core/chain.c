// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * core/chain.c - The module chain: options, start-up and call dispatch
 *
 * DOC: Dispatch
 *
 * On entry, modules that want the syscall are called outermost first.  One
 * that finishes the call stops the walk: inner modules and the kernel never
 * see it.  Modules that asked for the result (FACET_CONTINUE_EXIT) get
 * exit() in reverse order, whether the kernel or a module produced it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "chain.h"
#include "log.h"

/* The option table entry for @key, NULL if the module has no table */
static FACET_COLD const struct facet_option *chain_option_find(
	const struct facet_module *m, const char *key, int *known)
{
	const struct facet_option *o;

	*known = !m->options;
	if (!m->options)
		return NULL;
	for (o = m->options; o->key; o++)
		if (!strcmp(o->key, key)) {
			*known = 1;
			return o;
		}
	return NULL;
}

/**
 * facet_chain_option() - Pass key=value to module @idx
 * @chain:	Chain
 * @idx:	Module index
 * @key:	Option name
 * @value:	Value, NULL for a switch
 * @err:	Filled on failure
 *
 * Return: 0 or -errno
 */
FACET_COLD int facet_chain_option(struct facet_chain *chain, int idx, const char *key,
		       const char *value, struct facet_err *err)
{
	struct facet_instance *in = &chain->inst[idx];
	const struct facet_module *m = in->mod;
	const struct facet_option *o;
	int known, ret;

	o = chain_option_find(m, key, &known);
	if (!known || !m->option)
		return facet_err_set(err, EINVAL,
				     "module %s has no option '%s': see "
				     "'facet modules'", m->name, key);
	if (o && o->arg && !value)
		return facet_err_set(err, EINVAL,
				     "module %s: option '%s' needs a value "
				     "(%s=%s)", m->name, key, key, o->arg);
	err->msg[0] = '\0';
	ret = m->option(in->self, key, value, err);
	if (ret < 0 && !err->msg[0])
		facet_err_set(err, ret, "module %s: bad option %s%s%s",
			      m->name, key, value ? "=" : "",
			      value ? value : "");
	return ret;
}

/**
 * facet_chain_spec() - Add a module from "NAME[:key=value,...]"
 * @chain:	Chain
 * @spec:	As given with -m
 * @err:	Filled on failure
 *
 * Return: module index or -errno
 */
FACET_COLD int facet_chain_spec(struct facet_chain *chain, const char *spec,
		     struct facet_err *err)
{
	char *copy = strdup(spec), *opts, *tok, *save = NULL;
	int idx, ret = 0;

	if (!copy)
		return facet_err_set(err, ENOMEM, "out of memory");
	opts = strchr(copy, ':');
	if (opts)
		*opts++ = '\0';
	if (!*copy) {
		ret = facet_err_set(err, EINVAL, "-m %s: no module name before "
				    "':'; use -m NAME[:key=value,...]", spec);
		goto out;
	}
	idx = facet_chain_add(chain, copy, err);
	if (idx < 0) {
		ret = idx;
		goto out;
	}
	/* not strtok_r(): its strspn() is two pages of libc that the
	 * shim's start-up in every image would touch for this alone */
	for (tok = opts; tok && *tok; tok = save) {
		char *eq;

		save = strchr(tok, ',');
		if (save)
			*save++ = '\0';
		if (!*tok)	/* empty between two commas, as strtok_r */
			continue;
		eq = strchr(tok, '=');
		if (eq)
			*eq++ = '\0';
		ret = facet_chain_option(chain, idx, tok, eq, err);
		if (ret < 0)
			goto out;
	}
	ret = idx;
out:
	free(copy);
	return ret;
}

/**
 * facet_chain_cond() - The condition on syscall @nr, or NULL: none
 */
FACET_COLD const struct facet_chain_cond *
facet_chain_cond(const struct facet_chain *chain, long nr)
{
	int i;

	for (i = 0; i < chain->ncond; i++)
		if (chain->cond[i].nr == nr)
			return &chain->cond[i];
	return NULL;
}

/* @nr's entry in the chain's list of conditions, made if there is none:
 * NULL when the list is full */
static FACET_COLD struct facet_chain_cond *
chain_cond_slot(struct facet_chain *chain, int nr)
{
	struct facet_chain_cond *c;

	c = (struct facet_chain_cond *)facet_chain_cond(chain, nr);
	if (c || chain->ncond == FACET_CHAIN_CONDS)
		return c;
	c = &chain->cond[chain->ncond++];
	c->nr = (uint16_t)nr;
	c->mask = 0;
	return c;
}

/*
 * Conditions from facet_sysset_rewrite_if() and facet_sysset_only_if():
 * kept only while every module that needs more than FACET_HOOK_ENTER for
 * @nr gives one on the same argument (the masks are or-ed); @uncond marks
 * the others.  The calls outside the condition are left alone only if no
 * module wants them (@others).
 */
static FACET_COLD void chain_merge_cond(struct facet_chain *chain,
			     const struct facet_sysset *set, int nr,
			     uint8_t *uncond, uint8_t *others)
{
	struct facet_chain_cond *c;

	if (!set->cond_mask[nr]) {
		if (set->hook[nr] & ~(unsigned)FACET_HOOK_ENTER)
			uncond[nr] = 1;
		others[nr] = 1;
		return;
	}
	c = chain_cond_slot(chain, nr);
	if (!c || (c->mask && c->arg != set->cond_arg[nr])) {
		uncond[nr] = 1;		/* no room, or another argument */
		return;
	}
	if (!set->cond_only[nr])
		others[nr] = 1;
	c->arg = set->cond_arg[nr];
	c->mask |= set->cond_mask[nr];
}

/**
 * facet_chain_start() - Start every module and collect what they want
 * @chain:	Chain, all options given
 * @env:	Backend's environment
 * @err:	Filled on failure
 *
 * Return: 0 or -errno
 */
FACET_COLD int facet_chain_start(struct facet_chain *chain, struct facet_env *env,
		      struct facet_err *err)
{
	uint8_t uncond[FACET_NR_MAX] = { 0 }, others[FACET_NR_MAX] = { 0 };
	struct facet_sysset *set = malloc(sizeof(*set));
	int i, nr, kept, ret = 0;

	if (!set)
		return facet_err_set(err, ENOMEM, "out of memory");
	memset(chain->hooks, 0, sizeof(chain->hooks));
	memset(chain->wanted_by, 0, sizeof(chain->wanted_by));
	chain->ncond = 0;
	for (i = 0; i < chain->n; i++) {
		struct facet_instance *in = &chain->inst[i];

		env->starting = i;
		env->touches = NULL;
		if (in->mod->start) {
			err->msg[0] = '\0';
			ret = in->mod->start(in->self, env, err);
			if (ret < 0) {
				if (!err->msg[0])
					facet_err_set(err, ret, "module %s "
						      "failed to start",
						      in->mod->name);
				goto out;
			}
		}
		in->touches = env->touches;
		memset(set, 0, sizeof(*set));
		in->mod->wants(in->self, set);
		for (nr = 0; nr < FACET_NR_MAX; nr++) {
			if (!set->hook[nr])
				continue;
			chain->hooks[nr] |= set->hook[nr];
			chain->wanted_by[nr] |= 1u << i;
			chain_merge_cond(chain, set, nr, uncond, others);
		}
	}
	/* the conditions every module kept, without the dropped ones */
	for (i = kept = 0; i < chain->ncond; i++) {
		struct facet_chain_cond c = chain->cond[i];

		if (uncond[c.nr] || !c.mask)
			continue;
		c.only = !others[c.nr];
		chain->cond[kept++] = c;
	}
	chain->ncond = kept;
	ret = 0;
out:
	free(set);
	return ret;
}

/* Module @i's state if it is the one module that wants @nr, or NULL */
static void *chain_sole(const struct facet_chain *chain, int i, long nr)
{
	if (nr < 0 || nr >= FACET_NR_MAX || i < 0 || i >= chain->n ||
	    chain->wanted_by[nr] != 1u << i)
		return NULL;
	return chain->inst[i].self;
}

/**
 * facet_chain_clock() - Whose fast clock reader may answer syscall @nr
 * @chain:	Chain, started
 * @env:	The environment it was started with
 * @nr:		SYS_clock_gettime, SYS_gettimeofday or SYS_time
 *
 * The reader stands in for the chain only when its module is the one
 * module that wants @nr (a tracer, say, must still see every call).
 *
 * Return: the module's private state to pass to env->clock_read, or NULL
 */
FACET_COLD void *facet_chain_clock(const struct facet_chain *chain,
			const struct facet_env *env, long nr)
{
	return env->clock_read ? chain_sole(chain, env->clock_inst, nr) : NULL;
}

/**
 * facet_chain_listing() - Whose listing filter decides which directory
 * streams' getdents @nr the chain must see
 *
 * As for the clock reader: only when its module is the one that wants
 * @nr (SYS_getdents64).
 *
 * Return: the module's private state to pass to env->listing, or NULL
 */
FACET_COLD void *facet_chain_listing(const struct facet_chain *chain,
			  const struct facet_env *env, long nr)
{
	return env->listing ? chain_sole(chain, env->listing_inst, nr) : NULL;
}

/**
 * facet_chain_realpath() - Whose realpath() may stand in for the calls
 * @nrs (ending with -1) realpath() makes
 *
 * Only when no other module wants any of them.
 *
 * Return: the module's private state to pass to env->realpath, or NULL
 */
FACET_COLD void *facet_chain_realpath(const struct facet_chain *chain,
			   const struct facet_env *env, const long *nrs)
{
	int i = env->realpath_inst;

	if (!env->realpath || i < 0 || i >= chain->n)
		return NULL;
	for (; *nrs >= 0; nrs++)
		if (*nrs >= FACET_NR_MAX ||
		    (chain->wanted_by[*nrs] & ~(1u << i)))
			return NULL;
	return chain->inst[i].self;
}

/**
 * facet_chain_touches() - May a module that wants one of @nrs change or
 * need to see a call on a path at or below @prefix?
 * @nrs:	Syscall numbers, ending with -1
 *
 * Asks each such module's facet_env_touches() callback; a module without
 * one counts as "may".  The caller runs it as a module callback.
 *
 * Return: 1 if one may, 0 if none does
 */
FACET_COLD int facet_chain_touches(const struct facet_chain *chain,
				   const short *nrs, const char *prefix)
{
	uint32_t asked = 0;
	int i;

	for (; *nrs >= 0; nrs++)
		if (*nrs < FACET_NR_MAX)
			asked |= chain->wanted_by[*nrs];
	for (i = 0; i < chain->n; i++) {
		const struct facet_instance *in = &chain->inst[i];

		if (!(asked & 1u << i))
			continue;
		if (!in->touches || in->touches(in->self, prefix))
			return 1;
	}
	return 0;
}

/**
 * facet_chain_enter() - Run the entry callbacks for one call
 * @chain:	Chain
 * @call:	The call, filled by the backend
 *
 * Return: FACET_DONE if a module finished the call, FACET_CONTINUE_EXIT
 * if exit callbacks are due after the kernel, FACET_CONTINUE otherwise
 */
FACET_HOT enum facet_verdict facet_chain_enter(struct facet_chain *chain,
					     struct facet_call *call)
{
	return facet_chain_enter_inline(chain, call);
}

/* Run the exit callbacks that are due, innermost first */
FACET_CALLPATH void facet_chain_exit(struct facet_chain *chain,
				    struct facet_call *call)
{
	uint32_t due = call->exit_mask;

	call->flags |= FACET_CALL_IN_EXIT;
	while (due) {
		int i = 31 - __builtin_clz(due);
		const struct facet_instance *in = &chain->inst[i];

		due &= ~(1u << i);
		if (!in->mod->exit)
			continue;
		call->cur = i;
		in->mod->exit(in->self, call);
	}
	call->exit_mask = 0;
}

FACET_COLD void facet_chain_process(struct facet_chain *chain, enum facet_proc_event ev,
			 pid_t pid, long other)
{
	int i;

	for (i = 0; i < chain->n; i++)
		if (chain->inst[i].mod->process)
			chain->inst[i].mod->process(chain->inst[i].self, ev,
						    pid, other);
}

/* No handler of a backend's own but under preload, whose shim has the
 * strong definition (preload/shim_signal.c) */
__attribute__((weak)) int facet_signal_program_handler(int sig,
						       unsigned long handler,
						       int old,
						       unsigned long *program,
						       int *siginfo)
{
	(void)sig;
	(void)handler;
	(void)old;
	(void)program;
	(void)siginfo;
	return 0;
}

/* Set by facet_fail_late(): one flag per process, as there is one chain */
static int facet_chain_failed;

FACET_COLD void facet_fail_late(void)
{
	facet_chain_failed = 1;
}

/**
 * facet_chain_stop() - Stop modules innermost first, the reverse of start-up
 * @chain:	Modules
 *
 * Return: 1 if a module reported an error with facet_fail_late(), else 0
 */
FACET_COLD int facet_chain_stop(struct facet_chain *chain)
{
	int i;

	for (i = chain->n - 1; i >= 0; i--)
		if (chain->inst[i].mod->stop)
			chain->inst[i].mod->stop(chain->inst[i].self);
	return facet_chain_failed;
}

FACET_COLD void facet_chain_free(struct facet_chain *chain)
{
	int i;

	for (i = 0; i < chain->n; i++) {
		if (!facet_chain_self_owned(chain, chain->inst[i].self))
			free(chain->inst[i].self);
		chain->inst[i].self = NULL;
	}
	chain->n = 0;
	chain->self_arena_used = 0;
}
