// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * core/lib.h - Libraries loaded when the feature that needs them is used
 *
 * DOC: Libraries on demand
 *
 * facet is one binary for every job, but most runs need none of the big
 * libraries: libslirp (and glib) only for --net nat, libunwind and libdw
 * only for --stack, libseccomp only for the ptracer, json-c only for
 * `facet report`, inih only for --profile.  Linked normally, the dynamic
 * loader would map and relocate all of them (16 objects) in every run.
 * So they are not linked: the code that uses one declares a pointer per
 * symbol with FACET_LIB_FN() (named sym_ plus the symbol, typed from the
 * library's own header), lists them in a table with FACET_LIB_SYM(), and
 * calls facet_lib_load() when its feature starts, which dlopen()s the
 * library by its soname (given by the build, see the Makefile's
 * `soname`) and fills the pointers, or says which package to install.
 */
#ifndef FACET_CORE_LIB_H
#define FACET_CORE_LIB_H

#include <stddef.h>

#include <facet/module.h>

/* Expand first, so that a symbol spelled as a macro (libunwind's
 * unw_step is _Ux86_64_step) is looked up by its real name */
#define FACET_LIB_STR_(x)	#x
#define FACET_LIB_STR(x)	FACET_LIB_STR_(x)

/* The pointer to @sym, of the symbol's own type: sym_<sym> (put static or
 * extern before it) */
#define FACET_LIB_FN(sym)	__typeof__(sym) *sym_##sym

/* A table entry: the symbol's name and its pointer */
#define FACET_LIB_SYM(sym)	{ FACET_LIB_STR(sym), (void **)&sym_##sym }

/**
 * struct facet_lib_sym - One symbol to look up
 * @name:	Its name in the library
 * @addr:	The pointer to fill in
 */
struct facet_lib_sym {
	const char *name;
	void **addr;
};

/**
 * struct facet_lib - A library loaded on demand
 * @soname:	Its soname ("libslirp.so.0"), from the build
 * @package:	The Debian package that ships it, for the hint
 * @syms:	Symbols to look up
 * @nsyms:	Entries in @syms
 * @global:	Its symbols also serve libraries loaded after it
 *		(libunwind-ptrace uses libunwind-x86_64's without naming it)
 * @handle:	dlopen()'s handle once loaded, else NULL
 */
struct facet_lib {
	const char *soname;
	const char *package;
	const struct facet_lib_sym *syms;
	size_t nsyms;
	int global;
	void *handle;
};

/* A struct facet_lib for the symbols in array @syms */
#define FACET_LIB(so, pkg, syms_)					\
	{ .soname = (so), .package = (pkg), .syms = (syms_),		\
	  .nsyms = sizeof(syms_) / sizeof((syms_)[0]) }

int facet_lib_load(struct facet_lib *lib, const char *feature,
		   struct facet_err *err);

#endif /* FACET_CORE_LIB_H */
