// SPDX-License-Identifier: MIT
/* facet - tests/progs/vdso_clock.c: read the clock as Go's runtime does
 *
 * Go finds the vDSO in the auxiliary vector on its initial stack (after
 * envp), looks up __vdso_clock_gettime in the vDSO's own ELF symbol table
 * and calls it; without a vDSO it makes the raw syscall.  Prints the year
 * of CLOCK_REALTIME and which way it was read ("vdso" or "syscall").
 */
#include <elf.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>

#include "raw_syscall.h"

typedef int (*vdso_gettime_fn)(clockid_t, struct timespec *);

/* The vDSO's symbol @name, from its dynamic section (no libc help) */
static void *vdso_sym(uintptr_t base, const char *name)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)base;
	const Elf64_Phdr *ph = (const Elf64_Phdr *)(base + eh->e_phoff);
	const Elf64_Dyn *dyn = NULL;
	const Elf64_Sym *sym = NULL;
	const uint32_t *hash = NULL;
	const char *str = NULL;
	uintptr_t load = 0;
	int i;

	for (i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type == PT_LOAD && !load)
			load = base + ph[i].p_offset - ph[i].p_vaddr;
		if (ph[i].p_type == PT_DYNAMIC)
			dyn = (const Elf64_Dyn *)(base + ph[i].p_offset);
	}
	if (!dyn)
		return NULL;
	for (; dyn->d_tag != DT_NULL; dyn++) {
		if (dyn->d_tag == DT_SYMTAB)
			sym = (const Elf64_Sym *)(load + dyn->d_un.d_ptr);
		else if (dyn->d_tag == DT_STRTAB)
			str = (const char *)(load + dyn->d_un.d_ptr);
		else if (dyn->d_tag == DT_HASH)
			hash = (const uint32_t *)(load + dyn->d_un.d_ptr);
	}
	if (!sym || !str || !hash)
		return NULL;
	for (i = 0; i < (int)hash[1]; i++)	/* nchain: the symbol count */
		if (sym[i].st_shndx != SHN_UNDEF &&
		    !strcmp(str + sym[i].st_name, name))
			return (void *)(load + sym[i].st_value);
	return NULL;
}

int main(int argc, char **argv, char **envp)
{
	const Elf64_auxv_t *av;
	uintptr_t vdso = 0;
	struct timespec ts;
	vdso_gettime_fn fn = NULL;
	struct tm tm;

	(void)argc;
	(void)argv;
	while (*envp)
		envp++;
	for (av = (const Elf64_auxv_t *)(envp + 1); av->a_type != AT_NULL; av++)
		if (av->a_type == AT_SYSINFO_EHDR)
			vdso = av->a_un.a_val;
	if (vdso)
		fn = (vdso_gettime_fn)vdso_sym(vdso, "__vdso_clock_gettime");
	if (fn)
		fn(CLOCK_REALTIME, &ts);
	else
		raw_syscall3(SYS_clock_gettime, CLOCK_REALTIME, (long)&ts, 0);
	gmtime_r(&ts.tv_sec, &tm);
	printf("%d %s\n", tm.tm_year + 1900, fn ? "vdso" : "syscall");
	return 0;
}
