// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * preload/shim_dlsym.c - dlsym() and dlvsym() on a handle find the shim's
 * functions
 *
 * A lookup on a handle starts at that object: python's
 * ctypes.CDLL("libc.so.6").open, or dlsym(dlopen("libc.so.6"), "open"),
 * finds libc's open(), not the shim's, and libc's syscalls are inside the
 * raw catch's allowed range, so the call went past the view untranslated
 * (a --hide'd file opened, a --ro file removed).  Lookups on a handle are
 * made as asked, and a libc function the shim also defines is replaced
 * with the shim's.
 *
 * RTLD_DEFAULT and RTLD_NEXT depend on the caller: glibc looks at the
 * return address to find the calling object.  They go to libc's dlsym()
 * by a jump, so that it sees the program's return address.  The shim is
 * in the global scope before libc, after the user's preloaded libraries,
 * so they find its functions anyway (a wrapper library's RTLD_NEXT, such
 * as fakeroot's, finds the shim's).  A program that finds libc's code by
 * itself (its ELF symbol table) is not seen: only the ptracer sees those
 * calls.
 */
#include <dlfcn.h>
#include <elf.h>
#include <link.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "../core/log.h"

#include "shim.h"

/*
 * libc's own dlsym() and dlvsym().  Not by name: any reference to
 * "dlsym", versioned or not, binds to the shim's (an unversioned
 * definition first in the scope matches every version).  Looked up in
 * libc's GNU hash table, which ld.so has already touched, once.
 */
typedef void *(*dlsym_fn)(void *, const char *);
typedef void *(*dlvsym_fn)(void *, const char *, const char *);
void *shim_libc_dlsym_fn SHIM_DATA, *shim_libc_dlvsym_fn SHIM_DATA;

/*
 * The value of the symbol @name that object @map defines, or NULL: its
 * default version, as an unversioned lookup binds (realpath@@GLIBC_2.3,
 * not the old realpath@GLIBC_2.2.5), an IFUNC's resolved target
 */
static SHIM_COLD void *object_symbol(const struct link_map *map,
				     const char *name)
{
	const ElfW(Sym) *symtab = NULL, *sym;
	const uint32_t *gnu_hash = NULL, *buckets, *chain;
	const ElfW(Half) *versym = NULL;
	const char *strtab = NULL;
	const ElfW(Dyn) *d;
	uint32_t h = 5381, nbuckets, symoffset, bloom_size, i;
	const unsigned char *c;
	void *value;

	for (d = map->l_ld; d->d_tag != DT_NULL; d++) {
		/* ld.so has relocated these in place (x86_64), but not in
		 * the vDSO's read-only dynamic section: offsets there */
		ElfW(Addr) at = d->d_un.d_ptr < map->l_addr ?
				map->l_addr + d->d_un.d_ptr : d->d_un.d_ptr;

		if (d->d_tag == DT_GNU_HASH)
			gnu_hash = (const uint32_t *)at;
		else if (d->d_tag == DT_SYMTAB)
			symtab = (const ElfW(Sym) *)at;
		else if (d->d_tag == DT_STRTAB)
			strtab = (const char *)at;
		else if (d->d_tag == DT_VERSYM)
			versym = (const ElfW(Half) *)at;
	}
	if (!gnu_hash || !symtab || !strtab)
		return NULL;
	for (c = (const unsigned char *)name; *c; c++)
		h = h * 33 + *c;
	nbuckets = gnu_hash[0];
	symoffset = gnu_hash[1];
	bloom_size = gnu_hash[2];
	buckets = (const uint32_t *)((const ElfW(Addr) *)(gnu_hash + 4) +
				     bloom_size);
	chain = buckets + nbuckets;
	for (i = buckets[h % nbuckets]; i >= symoffset; i++) {
		sym = &symtab[i];
		if ((chain[i - symoffset] | 1) == (h | 1) &&
		    sym->st_shndx != SHN_UNDEF &&
		    !(versym && (versym[i] & 0x8000)) &&
		    !strcmp(strtab + sym->st_name, name)) {
			value = (void *)(map->l_addr + sym->st_value);
			if (ELF64_ST_TYPE(sym->st_info) == STT_GNU_IFUNC)
				value = ((void *(*)(void))value)();
			return value;
		}
		if (chain[i - symoffset] & 1)
			break;
	}
	return NULL;
}

static SHIM_COLD struct link_map *dlsym_object_of(const void *addr);

static SHIM_COLD void libc_dl_functions(void)
{
	struct link_map *libc = dlsym_object_of(&__libc_single_threaded);
	void *s = libc ? object_symbol(libc, "dlsym") : NULL;
	void *v = libc ? object_symbol(libc, "dlvsym") : NULL;

	if (!s || !v) {
		facet_logmsg(FACET_LOG_ERROR, "preload: dlsym not found in "
			     "libc; run with --backend ptrace");
		_exit(125);
	}
	__atomic_store_n(&shim_libc_dlvsym_fn, v, __ATOMIC_RELEASE);
	__atomic_store_n(&shim_libc_dlsym_fn, s, __ATOMIC_RELEASE);
}

/* Called by the jumps below when the pointers are not set yet */
void shim_libc_dl_setup(void) __attribute__((visibility("hidden")));
SHIM_COLD void shim_libc_dl_setup(void)
{
	if (!__atomic_load_n(&shim_libc_dlsym_fn, __ATOMIC_ACQUIRE))
		libc_dl_functions();
}

static void *libc_dlsym(void *handle, const char *name)
{
	shim_libc_dl_setup();
	return ((dlsym_fn)shim_libc_dlsym_fn)(handle, name);
}

static void *libc_dlvsym(void *handle, const char *name, const char *version)
{
	shim_libc_dl_setup();
	return ((dlvsym_fn)shim_libc_dlvsym_fn)(handle, name, version);
}

SHIM_COLD void *shim_dlsym_handle(void *handle, const char *name)
	__attribute__((visibility("hidden")));
SHIM_COLD void *shim_dlvsym_handle(void *handle, const char *name,
			 const char *version)
	__attribute__((visibility("hidden")));

/*
 * RTLD_DEFAULT (0) and RTLD_NEXT (-1): a jump to libc's function, so that
 * it finds the caller from its return address; the arguments are kept
 * around the one-time setup.  Any other handle: shim_dl*sym_handle().
 * With the start-up code (.text.unlikely, see shim.ld): every image's
 * first libc lookup comes here.
 */
#define DL_JUMP(name, handled, fn)					\
	"	.section .text.unlikely,\"ax\",@progbits\n"		\
	"	.globl	" name "\n"					\
	"	.type	" name ", @function\n"				\
	name ":\n"							\
	"	leaq	1(%rdi), %rax\n"				\
	"	cmpq	$1, %rax\n"					\
	"	ja	" handled "\n"					\
	"	movq	" fn "(%rip), %rax\n"				\
	"	testq	%rax, %rax\n"					\
	"	jz	1f\n"						\
	"	jmp	*%rax\n"					\
	"1:	pushq	%rdi\n"					\
	"	pushq	%rsi\n"					\
	"	pushq	%rdx\n"					\
	"	call	shim_libc_dl_setup\n"				\
	"	popq	%rdx\n"					\
	"	popq	%rsi\n"					\
	"	popq	%rdi\n"					\
	"	jmp	*" fn "(%rip)\n"				\
	"	.size	" name ", .-" name "\n"

__asm__(DL_JUMP("dlsym", "shim_dlsym_handle", "shim_libc_dlsym_fn")
	DL_JUMP("dlvsym", "shim_dlvsym_handle", "shim_libc_dlvsym_fn"));

/* The link map of the object @addr lies in, or NULL */
static SHIM_COLD struct link_map *dlsym_object_of(const void *addr)
{
	struct dl_find_object obj;

	if (!addr || _dl_find_object((void *)addr, &obj) != 0)
		return NULL;
	return obj.dlfo_link_map;
}

/*
 * @found, or the shim's function of the same @name if @found is libc's
 * (or the vDSO's: libc's time() and gettimeofday() are IFUNCs that
 * resolve to it)
 */
static SHIM_COLD void *dlsym_prefer_shim(void *found, const char *name)
{
	struct link_map *self, *where, *libc = dlsym_object_of(shim_libc_dlsym_fn);
	void *mine, *vdso = (void *)shim_clock_vdso();

	if (!found)
		return found;
	where = dlsym_object_of(found);
	if (!where || (where != libc && where != dlsym_object_of(vdso)))
		return found;
	self = dlsym_object_of((void *)dlsym_prefer_shim);
	mine = self ? object_symbol(self, name) : NULL;
	return mine ? mine : found;
}

SHIM_COLD void *shim_dlsym_handle(void *handle, const char *name)
{
	return dlsym_prefer_shim(libc_dlsym(handle, name), name);
}

SHIM_COLD void *shim_dlvsym_handle(void *handle, const char *name,
			 const char *version)
{
	return dlsym_prefer_shim(libc_dlvsym(handle, name, version),
				 name);
}

/*
 * The first definition of @name in @map and the objects after it, in load
 * order (the global scope's); its object in *@where if @where.  NULL if
 * none has it
 */
static SHIM_COLD void *objects_symbol(struct link_map *map, const char *name,
				      struct link_map **where)
{
	void *found;

	for (; map; map = map->l_next) {
		found = object_symbol(map, name);
		if (found) {
			if (where)
				*where = map;
			return found;
		}
	}
	return NULL;
}

/*
 * shim_next_symbol() - What dlsym(RTLD_NEXT, @name) gives the shim, found
 * without dlsym()
 *
 * Every dl*() call of glibc frees the error text dlerror() gave or holds
 * for the program: the shim looks its libc functions up at their first
 * call, anywhere in the program (a getcwd() between a failed dlopen() and
 * the use of dlerror()'s text printed freed memory: bash's 'enable -f').
 * The objects after the shim's, in load order (the global scope's: libc,
 * or a library preloaded after the shim), are searched by their GNU hash
 * tables, as ld.so binds an unversioned reference.
 *
 * Return: the function, or NULL if none of them has it
 */
SHIM_COLD void *shim_next_symbol(const char *name)
{
	struct link_map *self = dlsym_object_of((void *)shim_next_symbol);

	return self ? objects_symbol(self->l_next, name, NULL) : NULL;
}

/*
 * shim_malloc_foreign() - Is the program's malloc() another allocator's
 * than libc's (jemalloc, tcmalloc linked into the program)?
 *
 * The first object in load order from the program on that defines
 * malloc is the one every reference binds to.  Found without dlsym().
 */
SHIM_COLD int shim_malloc_foreign(void)
{
	static int foreign = -1;	/* not looked up yet */
	struct link_map *libc, *map;

	if (foreign >= 0)
		return foreign;
	libc = dlsym_object_of(&__libc_single_threaded);
	map = dlsym_object_of((void *)shim_malloc_foreign);
	while (map && map->l_prev)
		map = map->l_prev;
	foreign = objects_symbol(map, "malloc", &map) && map != libc;
	return foreign;
}
