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
 * Also prints "steps-outside-vdso N": the same without the instructions
 * run in the vDSO, whose clock reads retry a varying number of times
 * when single-stepped (their sequence counter moves between steps).
 *
 * stepcount -f PROGRAM [ARG...] steps every process and thread PROGRAM
 * starts too (forks, vforks, clones, their execs) and prints the sum,
 * "steps N" only: what a whole `facet run -- true` costs, facet, its
 * keeper, the launcher and the command together.
 */
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

/* The [vdso] mapping of @pid, or an empty range */
static void stepcount_vdso(pid_t pid, unsigned long *lo, unsigned long *hi)
{
	char path[64], line[512];
	FILE *f;

	*lo = *hi = 0;
	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		if (strstr(line, "[vdso]") &&
		    sscanf(line, "%lx-%lx", lo, hi) == 2)
			break;
	fclose(f);
}

/*
 * -f: step every task of the tree until none is left.  Event stops (fork,
 * exec...) and a new task's first SIGSTOP are not instructions; a
 * step's SIGTRAP is one.  Return: the exit status of @pid, or -1.
 */
static int stepcount_tree(pid_t pid, unsigned long *steps)
{
	int status, sig, code = -1;
	pid_t w;

	ptrace(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACEFORK |
	       PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE |
	       PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL);
	ptrace(PTRACE_SINGLESTEP, pid, 0, 0);
	for (;;) {
		w = waitpid(-1, &status, __WALL);
		if (w < 0)
			return errno == ECHILD ? code : -1;
		if (WIFEXITED(status) || WIFSIGNALED(status)) {
			if (w == pid)
				code = WIFEXITED(status) ? WEXITSTATUS(status) :
				       128 + WTERMSIG(status);
			continue;
		}
		sig = WSTOPSIG(status);
		if (sig == SIGTRAP && status >> 16)
			sig = 0;		/* an event stop */
		else if (sig == SIGSTOP)
			sig = 0;		/* a new task's first stop */
		else if (sig == SIGTRAP && ++*steps)
			sig = 0;
		else
			++*steps;		/* passed on, as without -f */
		ptrace(PTRACE_SINGLESTEP, w, 0, sig);
	}
}

int main(int argc, char **argv)
{
	unsigned long steps = 0, outside = 0, lo, hi, ip;
	int status, sig = 0;
	pid_t pid;

	int tree = argc > 1 && !strcmp(argv[1], "-f");

	if (tree) {
		argv++;
		argc--;
	}
	if (argc < 2) {
		fprintf(stderr, "usage: stepcount [-f] PROGRAM [ARG...]\n");
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
	if (tree) {
		status = stepcount_tree(pid, &steps);
		fprintf(stderr, "steps %lu\n", steps);
		return status < 0 ? 1 : status;
	}
	stepcount_vdso(pid, &lo, &hi);
	for (;;) {
		if (ptrace(PTRACE_SINGLESTEP, pid, 0, sig) < 0 ||
		    waitpid(pid, &status, 0) < 0)
			return 1;
		if (WIFEXITED(status) || WIFSIGNALED(status))
			break;
		/* pass on signals other than the step's own trap */
		sig = WSTOPSIG(status) == SIGTRAP ? 0 : WSTOPSIG(status);
		steps++;
		ip = (unsigned long)ptrace(PTRACE_PEEKUSER, pid,
					   offsetof(struct user_regs_struct,
						    rip), 0);
		if (ip < lo || ip >= hi)
			outside++;
	}
	fprintf(stderr, "steps %lu\nsteps-outside-vdso %lu\n", steps,
		outside);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
