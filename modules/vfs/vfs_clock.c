// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vfs/vfs_clock.c - The caches' clock: the real coarse monotonic
 *			     clock, read straight from the vDSO
 *
 * DOC: The caches' clock
 *
 * The caches (vfs_cache.c, vfs_memo.c, the hot lane) forget what they
 * know after VFS_CACHE_TTL_NS, one second, so that changes made outside
 * the view are seen soon.  That bound needs a clock that never goes back
 * and is shared by every process of the view (the table is shared under
 * preload), not a precise one: CLOCK_MONOTONIC_COARSE, the time of the
 * last tick (a few ms old), is read without looking at the TSC, and an
 * entry then lives one second give or take a tick.
 *
 * Under preload the module's clock_gettime() is the shim's own wrapper,
 * which then calls libc's, which calls the vDSO: about 80 instructions a
 * read, of which the vDSO's coarse path is some 45.  So the clock is read
 * by calling the vDSO's __vdso_clock_gettime directly, found once per
 * process in the vDSO's symbol table (AT_SYSINFO_EHDR).  It is the
 * kernel's clock whatever the chain does: vtime's view of time (its clock
 * reader, its hidden vDSO under the ptracer, where this code runs in the
 * supervisor anyway) never reaches it.  Without a vDSO (vdso=0), libc's
 * clock_gettime(), which the shim passes through for module code.
 */
#include <elf.h>
#include <link.h>
#include <string.h>
#include <sys/auxv.h>
#include <time.h>

#include "vfs.h"

typedef int (*vfs_clock_fn)(clockid_t clk, struct timespec *ts);

/* The vDSO's exported function @name, or NULL */
static void *vfs_vdso_sym(const char *name)
{
	const ElfW(Ehdr) *eh = (const void *)getauxval(AT_SYSINFO_EHDR);
	const ElfW(Word) *hash = NULL;
	const ElfW(Dyn) *dyn = NULL;
	const ElfW(Sym) *sym = NULL;
	const ElfW(Phdr) *ph;
	const char *str = NULL;
	uintptr_t bias = 0;
	ElfW(Word) i;

	if (!eh || memcmp(eh->e_ident, ELFMAG, SELFMAG))
		return NULL;
	ph = (const void *)((const char *)eh + eh->e_phoff);
	for (i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type == PT_LOAD && !bias)
			bias = (uintptr_t)eh + ph[i].p_offset - ph[i].p_vaddr;
		else if (ph[i].p_type == PT_DYNAMIC)
			dyn = (const void *)((const char *)eh + ph[i].p_offset);
	}
	for (; dyn && dyn->d_tag != DT_NULL; dyn++) {
		if (dyn->d_tag == DT_HASH)
			hash = (const void *)(bias + dyn->d_un.d_ptr);
		else if (dyn->d_tag == DT_SYMTAB)
			sym = (const void *)(bias + dyn->d_un.d_ptr);
		else if (dyn->d_tag == DT_STRTAB)
			str = (const void *)(bias + dyn->d_un.d_ptr);
	}
	if (!bias || !hash || !sym || !str)
		return NULL;
	for (i = 0; i < hash[1]; i++)	/* nchain: the number of symbols */
		if (ELF64_ST_TYPE(sym[i].st_info) == STT_FUNC &&
		    sym[i].st_shndx != SHN_UNDEF &&
		    !strcmp(str + sym[i].st_name, name))
			return (void *)(bias + sym[i].st_value);
	return NULL;
}

/* Found on first use (a race finds the same answer twice) */
VFS_DATA static vfs_clock_fn vfs_clock_vdso;

VFS_COLD __attribute__((noinline)) static vfs_clock_fn vfs_clock_find(void)
{
	vfs_clock_fn fn = (vfs_clock_fn)vfs_vdso_sym("__vdso_clock_gettime");

	if (!fn)
		fn = clock_gettime;
	__atomic_store_n(&vfs_clock_vdso, fn, __ATOMIC_RELAXED);
	return fn;
}

/**
 * vfs_clock_now() - The real CLOCK_MONOTONIC_COARSE, in ns
 */
VFS_HOT int64_t vfs_clock_now(void)
{
	vfs_clock_fn fn = __atomic_load_n(&vfs_clock_vdso, __ATOMIC_RELAXED);
	struct timespec ts;

	if (__builtin_expect(!fn, 0))
		fn = vfs_clock_find();
	if (fn(CLOCK_MONOTONIC_COARSE, &ts))
		return 0;
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}
