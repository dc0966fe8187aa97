// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/progs/bad_pointers.c - Path and buffer arguments that point
 * nowhere get EFAULT, as from the kernel; a real fault is still one
 *
 * Usage: bad_pointers [segv|handler]
 * Prints one line per call ("open-null EFAULT", ...).  With "segv" it
 * then writes to an inaccessible page (the default action ends it); with
 * "handler" the same, with a SIGSEGV handler that prints and exits 3.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static void report(const char *what, long ret)
{
	printf("%s %s\n", what, ret == -1 && errno == EFAULT ? "EFAULT" :
	       ret < 0 ? strerror(errno) : "succeeded");
	fflush(stdout);
}

static void on_segv(int sig)
{
	static const char msg[] = "handler\n";

	(void)sig;
	write(1, msg, sizeof(msg) - 1);
	_exit(3);
}

int main(int argc, char **argv)
{
	char *none = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
			  -1, 0);
	struct stat st;

	if (none == MAP_FAILED)
		return 2;
	report("open-null", open((const char *)((long)argc / 1024), O_RDONLY));
	report("open-none", open(none, O_RDONLY));
	report("stat-minus1", stat((const char *)-1L, &st));
	report("stat-buf-none", stat("/", (struct stat *)none));
	report("readlink-buf-none", readlink("/proc/self/exe", none, 64));
	report("mkdir-none", mkdir(none + 4000, 0700));
	report("rename-none", rename("/nonexistent-facet", none));
	report("getcwd-none", getcwd(none, 64) ? 0 : -1);
	if (argc > 1 && !strcmp(argv[1], "handler"))
		signal(SIGSEGV, on_segv);
	if (argc > 1)
		*(volatile char *)none = 1;
	return 0;
}
