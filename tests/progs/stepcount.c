// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/progs/stepcount.c - Count the user-space instructions of a program
 *
 * Usage: stepcount PROGRAM [ARG...]
 * Runs PROGRAM single-stepped under ptrace (from its exec on, not its
 * children) and prints "steps N" on stderr: the instructions it executed
 * in user space.  For bench/ on machines without hardware counters (a VM
 * without a PMU): run a loop with two iteration counts, and the difference
 * over the number of iterations is the instructions per iteration, exact
 * and the same on a loaded machine.  Slow: a few microseconds per step.
 */
#include <signal.h>
#include <stdio.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	unsigned long steps = 0;
	int status, sig = 0;
	pid_t pid;

	if (argc < 2) {
		fprintf(stderr, "usage: stepcount PROGRAM [ARG...]\n");
		return 2;
	}
	pid = fork();
	if (pid < 0)
		return 1;
	if (!pid) {
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		execvp(argv[1], argv + 1);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0 || !WIFSTOPPED(status))
		return 1;	/* the stop at its exec */
	for (;;) {
		if (ptrace(PTRACE_SINGLESTEP, pid, 0, sig) < 0 ||
		    waitpid(pid, &status, 0) < 0)
			return 1;
		if (WIFEXITED(status) || WIFSIGNALED(status))
			break;
		/* pass on signals other than the step's own trap */
		sig = WSTOPSIG(status) == SIGTRAP ? 0 : WSTOPSIG(status);
		steps++;
	}
	fprintf(stderr, "steps %lu\n", steps);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
