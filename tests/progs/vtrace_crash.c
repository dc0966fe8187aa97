// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/progs/vtrace_crash.c - A process that ends without exit()
 *
 * Usage: vtrace_crash segv|abort|exit_group; writes "last words\n" to
 * stdout with one write(2), then faults on a null pointer, calls abort(),
 * or makes a raw exit_group(3) (no atexit, no stdio flush, no destructors).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2 || write(1, "last words\n", 11) != 11)
		return 2;
	if (!strcmp(argv[1], "segv"))
		*(volatile int *)(long)(argc - 2) = 1;	/* address 0 */
	else if (!strcmp(argv[1], "abort"))
		abort();
	else if (!strcmp(argv[1], "exit_group"))
		syscall(SYS_exit_group, 3);
	return 2;
}
