/* SPDX-License-Identifier: MIT */
/* facet - syscall interposition toolkit
 * preload/shim_loader.h - The dynamic loader run as a program
 *
 * `ld.so --list PROG` lists PROG's libraries and exits, as ldd does with
 * LD_TRACE_LOADED_OBJECTS: no code of PROG runs, and the shim in
 * LD_PRELOAD would be listed among them.  The shim's exec path and the
 * CLI's first exec (--backend combined) give such an exec none of the
 * view's variables.  Header-only: the shim and the CLI both use it, and
 * the shim's copy runs in vfork children (async-signal-safe, no
 * allocation).
 */
#ifndef FACET_SHIM_LOADER_H
#define FACET_SHIM_LOADER_H

#include <string.h>

/* Is @path's file name a dynamic loader's (ld-linux-x86-64.so.2...)? */
static inline int shim_loader_named(const char *path)
{
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	return !strncmp(base, "ld-linux", 8) || !strncmp(base, "ld-musl", 7);
}

/*
 * Does the loader run with @argv list the libraries (--list among its
 * options, which end at the first argument that is not one, or at "--")?
 */
static inline int shim_loader_lists(char *const *argv)
{
	/* glibc's options that take the next argument as their value */
	static const char *const with_value[] = {
		"--library-path", "--inhibit-rpath", "--audit", "--preload",
		"--argv0", "--glibc-hwcaps-prepend", "--glibc-hwcaps-mask",
	};
	size_t i, k;

	for (i = 1; argv && argv[i] && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--list"))
			return 1;
		if (!strcmp(argv[i], "--"))
			return 0;
		for (k = 0; k < sizeof(with_value) / sizeof(with_value[0]); k++)
			if (!strcmp(argv[i], with_value[k]))
				break;
		if (k < sizeof(with_value) / sizeof(with_value[0]) &&
		    argv[++i] == NULL)
			return 0;
	}
	return 0;
}

#endif
