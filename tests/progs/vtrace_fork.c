// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/progs/vtrace_fork.c - Processes facet trace should record
 *
 * Forks a child that exits with 7 and one that is killed by SIGKILL, waits
 * for both, and prints the process events the trace should hold:
 *   fork CHILD PARENT
 *   exit CHILD 7
 *   fork CHILD2 PARENT
 *   signal CHILD2 SIGKILL
 * and then text lines the trace should hold, in this order (other lines
 * in between): the first wait4, the second child's kill, the second wait4.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	pid_t a, b, me = getpid();
	int st;

	a = fork();
	if (!a)
		_exit(7);
	waitpid(a, &st, 0);
	b = fork();
	if (!b) {
		kill(getpid(), SIGKILL);
		_exit(1);
	}
	waitpid(b, &st, 0);
	printf("fork %d %d\nexit %d 7\nfork %d %d\nsignal %d SIGKILL\n",
	       a, me, a, b, me, b);
	printf("wait4(%d, [{WIFEXITED(s) && WEXITSTATUS(s) == 7}], 0, NULL) "
	       "= %d\n", a, a);
	printf("kill(%d, SIGKILL) = ?\n", b);
	printf("wait4(%d, [{WIFSIGNALED(s) && WTERMSIG(s) == SIGKILL}], 0, "
	       "NULL) = %d\n", b, b);
	return 0;
}
