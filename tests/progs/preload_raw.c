// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/progs/preload_raw.c - fork, vfork and execve as raw syscall
 * instructions of this program, with an empty environment
 *
 * Usage: preload_raw fork|vfork PROGRAM [ARG...]
 * The child execs PROGRAM with envp = { NULL }; exits with its status.
 */
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "raw_syscall.h"

#define raw3 raw_syscall3

int main(int argc, char **argv)
{
	static char *const empty[] = { NULL };
	long pid;
	int st;

	if (argc < 3)
		return 2;
	pid = raw3(strcmp(argv[1], "vfork") ? SYS_fork : SYS_vfork, 0, 0, 0);
	if (pid == 0) {
		raw3(SYS_execve, (long)argv[2], (long)(argv + 2),
		     (long)empty);
		raw3(SYS_exit, 127, 0, 0);
	}
	if (pid < 0 || waitpid((pid_t)pid, &st, 0) < 0) {
		fprintf(stderr, "fork: %ld\n", pid);
		return 2;
	}
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
