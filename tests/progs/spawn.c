// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/progs/spawn.c - Run a command with posix_spawnp (vfork + exec)
 *
 * Usage: spawn COMMAND [ARG...]; exits with the command's status.
 */
#include <spawn.h>
#include <stdio.h>
#include <sys/wait.h>

extern char **environ;

int main(int argc, char **argv)
{
	pid_t pid;
	int st, ret;

	if (argc < 2)
		return 2;
	ret = posix_spawnp(&pid, argv[1], NULL, NULL, argv + 1, environ);
	if (ret) {
		fprintf(stderr, "posix_spawnp: error %d\n", ret);
		return 127;
	}
	if (waitpid(pid, &st, 0) < 0)
		return 2;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
