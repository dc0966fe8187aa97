// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/progs/shim_layout.c - Where the preload shim's per-call fields end
 *
 * Prints the offsets, in struct shim_state, of the module state arena and
 * of the end of what a wanted call of a chain of up to
 * SHIM_CALL_SCRATCH_NEAR modules reads (the chain's inst[] entries).
 * preload.bats adds them to the address of "shim" in the built shim and
 * checks that they stay on the page the libc pointers start.
 */
#include <stddef.h>
#include <stdio.h>

#include "../../preload/shim.h"

int main(void)
{
	printf("%zu %zu\n", offsetof(struct shim_state, self_arena),
	       offsetof(struct shim_state, chain.inst[SHIM_CALL_SCRATCH_NEAR]));
	return 0;
}
