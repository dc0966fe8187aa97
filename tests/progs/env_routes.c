// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/progs/env_routes.c - Run one shell command by each way libc has
 *
 * Usage: env_routes COMMAND
 *
 * Runs COMMAND with /bin/sh -c through system(), popen(), wordexp()'s
 * command substitution, posix_spawn() and fork() + execv(), in that order;
 * the route's name and ": " come before the command's output (one line of
 * it is meant).  Exits 0 if every route ran.
 */
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <wordexp.h>

extern char **environ;

static int waited(pid_t pid)
{
	int st;

	return waitpid(pid, &st, 0) == pid && WIFEXITED(st) ? 0 : 1;
}

int main(int argc, char **argv)
{
	char *sh[] = { "sh", "-c", NULL, NULL }, line[4096], *words;
	int failed = 0;
	wordexp_t we;
	FILE *f;
	pid_t pid;

	if (argc != 2)
		return 2;
	sh[2] = argv[1];
	fflush(stdout);
	printf("system: ");
	fflush(stdout);
	failed += system(argv[1]) != 0;
	f = popen(argv[1], "r");
	if (!f)
		return 3;
	while (fgets(line, sizeof(line), f))
		printf("popen: %s", line);
	failed += pclose(f) != 0;
	if (asprintf(&words, "\"$(%s)\"", argv[1]) < 0)
		return 3;
	if (wordexp(words, &we, 0) == 0 && we.we_wordc == 1) {
		printf("wordexp: %s\n", we.we_wordv[0]);
		wordfree(&we);
	} else {
		failed++;
	}
	printf("posix_spawn: ");
	fflush(stdout);
	if (posix_spawn(&pid, "/bin/sh", NULL, NULL, sh, environ) != 0)
		return 3;
	failed += waited(pid);
	printf("execv: ");
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		execv("/bin/sh", sh);
		_exit(127);
	}
	failed += waited(pid);
	return failed ? 1 : 0;
}
