// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * core/registry.c - Finding modules: built in, or a shared object
 *
 * Built-in modules put a pointer to themselves in the "facet_modules"
 * section (FACET_MODULE_BUILTIN()); the linker brackets it with
 * __start_/__stop_ symbols, so no list of names is kept by hand and the
 * backends never name a module.
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "chain.h"

extern const struct facet_module *const __start_facet_modules[]
	__attribute__((weak));
extern const struct facet_module *const __stop_facet_modules[]
	__attribute__((weak));

extern const struct facet_module *const __start_facet_ptrace_only[]
	__attribute__((weak));
extern const struct facet_module *const __stop_facet_ptrace_only[]
	__attribute__((weak));
extern const struct facet_module *const __start_facet_prefers_ptrace[]
	__attribute__((weak));
extern const struct facet_module *const __stop_facet_prefers_ptrace[]
	__attribute__((weak));
extern const struct facet_module *const __start_facet_not_combined[]
	__attribute__((weak));
extern const struct facet_module *const __stop_facet_not_combined[]
	__attribute__((weak));

/*
 * The first module of @chain that carries a backend flag: a built-in one
 * listed in the section [@begin, @end), a .so exporting @symbol non-zero.
 */
static const char *registry_flagged(const struct facet_chain *chain,
				    const char *symbol,
				    const struct facet_module *const *begin,
				    const struct facet_module *const *end)
{
	const struct facet_module *const *p;
	int i;

	for (i = 0; i < chain->n; i++) {
		const struct facet_instance *in = &chain->inst[i];
		const int *flag;

		if (in->dl) {
			flag = dlsym(in->dl, symbol);
			if (flag && *flag)
				return in->mod->name;
			continue;
		}
		for (p = begin; p && p < end; p++)
			if (*p == in->mod)
				return in->mod->name;
	}
	return NULL;
}

/**
 * facet_chain_ptrace_only() - A module of @chain works only under ptrace
 *
 * Return: its name, or NULL if every module runs under every backend
 */
FACET_COLD const char *facet_chain_ptrace_only(const struct facet_chain *chain)
{
	return registry_flagged(chain, FACET_MODULE_PTRACE_ONLY_SYMBOL,
				__start_facet_ptrace_only,
				__stop_facet_ptrace_only);
}

/**
 * facet_chain_prefers_ptrace() - A module of @chain wants the ptracer
 *				   unless preload was asked for by name
 *
 * Return: its name, or NULL
 */
FACET_COLD const char *facet_chain_prefers_ptrace(const struct facet_chain *chain)
{
	return registry_flagged(chain, FACET_MODULE_PREFERS_PTRACE_SYMBOL,
				__start_facet_prefers_ptrace,
				__stop_facet_prefers_ptrace);
}

/**
 * facet_chain_not_combined() - A module of @chain must not run in the
 *				 shim and the supervisor at once
 *
 * Return: its name, or NULL
 */
FACET_COLD const char *facet_chain_not_combined(const struct facet_chain *chain)
{
	return registry_flagged(chain, FACET_MODULE_NOT_COMBINED_SYMBOL,
				__start_facet_not_combined,
				__stop_facet_not_combined);
}

FACET_COLD const struct facet_module *const *facet_builtins_begin(void)
{
	return __start_facet_modules;
}

FACET_COLD const struct facet_module *const *facet_builtins_end(void)
{
	return __stop_facet_modules;
}

/* Built-in module called @name, or NULL */
FACET_COLD const struct facet_module *facet_builtin(const char *name)
{
	const struct facet_module *m;

	facet_for_each_builtin(m)
		if (!strcmp(m->name, name))
			return m;
	return NULL;
}

static FACET_COLD int registry_is_file(const char *name)
{
	size_t len = strlen(name);

	return strchr(name, '/') || (len > 3 && !strcmp(name + len - 3, ".so"));
}

/**
 * registry_load() - Load a third-party module from a shared object
 * @path:	File name, as given with -m
 * @dl:		Handle, returned for dlclose()
 * @err:	Filled on failure
 *
 * Return: the module, or NULL
 */
static FACET_COLD const struct facet_module *registry_load(const char *path, void **dl,
						struct facet_err *err)
{
	const struct facet_module *m;

	*dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!*dl) {
		facet_err_set(err, ENOENT, "cannot load module %s: %s", path,
			      dlerror());
		return NULL;
	}
	m = dlsym(*dl, FACET_MODULE_SYMBOL);
	if (!m) {
		facet_err_set(err, ENOENT,
			      "%s is not a facet module: it does not export "
			      "'%s' (see docs/modules.md)", path,
			      FACET_MODULE_SYMBOL);
		goto err_close;
	}
	if (m->abi != FACET_MODULE_ABI) {
		facet_err_set(err, EPROTO,
			      "module %s was built for module ABI %u, this "
			      "facet has ABI %u: rebuild it against this "
			      "facet's <facet/module.h>", path, m->abi,
			      FACET_MODULE_ABI);
		goto err_close;
	}
	if (!m->name || !m->wants) {
		facet_err_set(err, EINVAL, "module %s lacks a name or a "
			      "wants() callback", path);
		goto err_close;
	}
	return m;
err_close:
	dlclose(*dl);
	*dl = NULL;
	return NULL;
}

/**
 * facet_chain_find() - Index of the module called @name in the chain
 *
 * Return: index, or -1
 */
FACET_COLD int facet_chain_find(const struct facet_chain *chain, const char *name)
{
	int i;

	for (i = 0; i < chain->n; i++)
		if (!strcmp(chain->inst[i].mod->name, name))
			return i;
	return -1;
}

/*
 * A module instance's zeroed state: in the backend's arena while it has
 * room (the arena's blocks start on 16-byte boundaries, as malloc's do),
 * else on the heap
 */
static FACET_COLD void *registry_self_alloc(struct facet_chain *chain,
					    size_t size)
{
	size_t at = (chain->self_arena_used + 15) & ~(size_t)15;
	void *p;

	if (!chain->self_arena || size > chain->self_arena_size ||
	    at > chain->self_arena_size - size)
		return calloc(1, size);
	p = chain->self_arena + at;
	memset(p, 0, size);
	chain->self_arena_used = at + size;
	return p;
}

/**
 * facet_chain_self_owned() - Is @self a module's state in the chain's arena
 * (not to be freed)?
 */
FACET_COLD int facet_chain_self_owned(const struct facet_chain *chain,
				       const void *self)
{
	const unsigned char *p = self;

	return chain->self_arena && p >= chain->self_arena &&
	       p < chain->self_arena + chain->self_arena_size;
}

/**
 * facet_chain_add() - Append a module to the chain (once)
 * @chain:	Chain
 * @name:	Built-in name, or a path to a shared object
 * @err:	Filled on failure
 *
 * Return: the module's index (existing one if already there), or -errno
 */
FACET_COLD int facet_chain_add(struct facet_chain *chain, const char *name,
		    struct facet_err *err)
{
	const struct facet_module *m;
	struct facet_instance *in;
	void *dl = NULL;
	int idx;

	if (registry_is_file(name)) {
		m = registry_load(name, &dl, err);
		if (!m)
			return -ENOENT;
	} else {
		m = facet_builtin(name);
		if (!m)
			return facet_err_set(err, ENOENT,
					     "no module called '%s': see "
					     "'facet modules' for the list, or "
					     "give a path to a .so", name);
	}
	idx = facet_chain_find(chain, m->name);
	if (idx >= 0) {
		if (dl)
			dlclose(dl);
		return idx;
	}
	if (chain->n == FACET_MODULES_MAX)
		return facet_err_set(err, E2BIG, "too many modules (at most %d)",
				     FACET_MODULES_MAX);
	in = &chain->inst[chain->n];
	in->mod = m;
	in->enter = m->enter;
	in->dl = dl;
	in->self = registry_self_alloc(chain, m->self_size ? m->self_size : 1);
	if (!in->self)
		return facet_err_set(err, ENOMEM, "out of memory");
	return chain->n++;
}
