// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * core/env.c - The environment modules start in, and syscall sets
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "chain.h"
#include "xlat.h"

FACET_COLD const char *facet_env_backend(const struct facet_env *env)
{
	return env->backend;
}

FACET_COLD void *facet_env_shared(struct facet_env *env, const char *key, size_t size)
{
	return env->shared(env, key, size);
}

FACET_COLD void facet_env_hide_vdso(struct facet_env *env)
{
	env->hide_vdso = 1;
}

FACET_COLD void facet_env_catch_all(struct facet_env *env)
{
	env->catch_all = 1;
}

FACET_COLD void facet_env_clock(struct facet_env *env, facet_clock_fn read)
{
	env->clock_read = read;
	env->clock_inst = env->starting;
}

FACET_COLD void facet_env_listing(struct facet_env *env, facet_listing_fn wanted)
{
	env->listing = wanted;
	env->listing_inst = env->starting;
}

FACET_COLD void facet_env_realpath(struct facet_env *env, facet_realpath_fn resolve)
{
	env->realpath = resolve;
	env->realpath_inst = env->starting;
}

FACET_COLD void facet_env_touches(struct facet_env *env, facet_touches_fn touches)
{
	env->touches = touches;
}

FACET_COLD int facet_env_first(const struct facet_env *env)
{
	return env->first;
}

/**
 * struct env_region - A shared region kept on the heap
 * @next:	Next region
 * @key:	Its name
 * @size:	Its size
 * @data:	The bytes
 */
struct env_region {
	struct env_region *next;
	char *key;
	size_t size;
	unsigned char data[];
};

/*
 * For a backend where every module runs in one process (the supervisor),
 * "shared by every process of the view" is just one allocation per key.
 */
FACET_COLD void *facet_env_shared_heap(struct facet_env *env, const char *key,
			    size_t size)
{
	struct env_region **head = (struct env_region **)&env->priv, *r;

	for (r = *head; r; r = r->next)
		if (!strcmp(r->key, key))
			return r->size >= size ? r->data : NULL;
	r = calloc(1, sizeof(*r) + size);
	if (!r)
		return NULL;
	r->key = strdup(key);
	if (!r->key) {
		free(r);
		return NULL;
	}
	r->size = size;
	r->next = *head;
	*head = r;
	return r->data;
}

FACET_COLD void facet_sysset_add(struct facet_sysset *set, long nr, unsigned hooks)
{
	if (nr >= 0 && nr < FACET_NR_MAX)
		set->hook[nr] |= hooks;
}

FACET_COLD void facet_sysset_rewrite_if(struct facet_sysset *set, long nr, int arg,
			     uint64_t mask)
{
	if (nr < 0 || nr >= FACET_NR_MAX || arg < 0 || arg > 5)
		return;
	set->cond_arg[nr] = arg;
	set->cond_mask[nr] = mask;
	set->cond_only[nr] = 0;
}

FACET_COLD void facet_sysset_only_if(struct facet_sysset *set, long nr, int arg,
			  uint64_t mask)
{
	facet_sysset_rewrite_if(set, nr, arg, mask);
	if (nr >= 0 && nr < FACET_NR_MAX && arg >= 0 && arg <= 5)
		set->cond_only[nr] = 1;
}

FACET_COLD void facet_sysset_pass_if_zero(struct facet_sysset *set, long nr, int arg)
{
	facet_sysset_only_if(set, nr, arg, ~(uint64_t)0);
}

/* Return: 0, or -ENOENT for a name not in the syscall table */
FACET_COLD int facet_sysset_add_name(struct facet_sysset *set, const char *name,
			  unsigned hooks)
{
	long nr = facet_syscall_nr(name);

	if (nr < 0)
		return -ENOENT;
	facet_sysset_add(set, nr, hooks);
	return 0;
}

FACET_COLD void facet_sysset_add_class(struct facet_sysset *set, uint32_t classes,
			    unsigned hooks)
{
	long nr;

	for (nr = 0; nr < FACET_NR_MAX; nr++)
		if (facet_syscall_classes(nr) & classes)
			set->hook[nr] |= hooks;
}
