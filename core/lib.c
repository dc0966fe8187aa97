// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * core/lib.c - Libraries loaded when the feature that needs them is used
 *
 * See core/lib.h.  A library stays loaded once loaded; loading it again is
 * a no-op, so a feature may ask in every process that uses it.
 */
#include <dlfcn.h>
#include <errno.h>

#include "lib.h"

/**
 * facet_lib_load() - Load @lib and fill in its symbols, unless done already
 * @lib:	The library
 * @feature:	What needs it, for the message ("--net nat")
 * @err:	Error message
 *
 * Return: 0, or -ENOENT (not installed, or without a symbol we need)
 */
int facet_lib_load(struct facet_lib *lib, const char *feature,
		   struct facet_err *err)
{
	const char *why;
	void *handle;
	size_t i;

	if (lib->handle)
		return 0;
	if (!lib->soname || !*lib->soname)
		return facet_err_set(err, ENOENT, "%s: facet was built without "
				     "the library it needs (%s): install its "
				     "development package and rebuild facet",
				     feature, lib->package);
	handle = dlopen(lib->soname, RTLD_NOW |
			(lib->global ? RTLD_GLOBAL : RTLD_LOCAL));
	if (!handle) {
		why = dlerror();
		return facet_err_set(err, ENOENT, "%s needs %s (%s): install "
				     "the package %s", feature, lib->soname,
				     why ? why : "not found", lib->package);
	}
	for (i = 0; i < lib->nsyms; i++) {
		*lib->syms[i].addr = dlsym(handle, lib->syms[i].name);
		if (!*lib->syms[i].addr) {
			dlclose(handle);
			return facet_err_set(err, ENOENT, "%s needs %s with %s, "
					     "which this one lacks: install "
					     "the version of %s facet was "
					     "built with", feature,
					     lib->soname, lib->syms[i].name,
					     lib->package);
		}
	}
	lib->handle = handle;
	return 0;
}
