// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/progs/attach_loop.c - A running program to attach to (trace -p)
 *
 * Usage: attach_loop [fork] [ROUNDS]
 * Each round: getppid(), write(1, "tick\n", 5), a 20 ms nanosleep; with
 * "fork", a child that writes "child\n" and ends, waited for.  ROUNDS
 * rounds (default: until killed), then exit status 0.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct timespec nap = { 0, 20 * 1000 * 1000 };
	int forks = argc > 1 && !strcmp(argv[1], "fork");
	long rounds = argc > 1 + forks ? atol(argv[1 + forks]) : -1;
	pid_t pid;

	while (rounds < 0 || rounds-- > 0) {
		getppid();
		if (write(1, "tick\n", 5) < 0)
			return 1;
		nanosleep(&nap, NULL);
		if (!forks)
			continue;
		pid = fork();
		if (pid == 0) {
			if (write(1, "child\n", 6) < 0)
				_exit(1);
			_exit(0);
		}
		if (pid > 0)
			waitpid(pid, NULL, 0);
	}
	return 0;
}
