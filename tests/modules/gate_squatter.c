// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/modules/gate_squatter.c - Not a module: a library whose
 * constructor maps a page at the combined mode's gate address
 * (SHIM_GATE_PAGE), as a program that uses that address would.  Preloaded
 * after the shim, its constructor runs first; the shim must then stand
 * aside and leave every call to the supervisor.
 */
#include <sys/mman.h>

__attribute__((constructor)) static void gate_squatter(void)
{
	mmap((void *)0xfac0000000UL, 4096, PROT_READ,
	     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
}
