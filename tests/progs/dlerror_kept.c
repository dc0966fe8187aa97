// SPDX-License-Identifier: MIT
/* facet - tests/progs/dlerror_kept.c: dlerror()'s text survives the
 * first calls of functions the preload shim wraps
 *
 * Prints dlerror()'s text twice: once taken after a getcwd(), once taken
 * before a realpath() and printed after it (the first call of each, which
 * the shim resolves then).
 */
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(void)
{
	char buf[PATH_MAX];
	const char *e;

	if (dlopen("/nonexistent-facet-a.so", RTLD_NOW))
		return 1;
	if (!getcwd(buf, sizeof(buf)))
		return 1;
	e = dlerror();
	printf("pending: %s\n", e ? e : "(none)");
	if (dlopen("/nonexistent-facet-b.so", RTLD_NOW))
		return 1;
	e = dlerror();
	if (!realpath(".", buf))
		return 1;
	printf("taken: %s\n", e ? e : "(none)");
	return 0;
}
