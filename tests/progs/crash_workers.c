// SPDX-License-Identifier: MIT
/* facet - tests/progs/crash_workers.c: a student's program whose workers crash
 *
 * Forks N workers (argv[1], default 2); each opens and reads /etc/hostname,
 * writes "boom" to stderr and dereferences NULL (SIGSEGV).  The parent
 * reaps them with wait() and exits with the number killed by a signal.
 * tests/shell/report.bats checks that `facet report` names the signal and
 * the workers' last calls under every backend.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int i, n = argc > 1 ? atoi(argv[1]) : 2, st, killed = 0;

	for (i = 0; i < n; i++) {
		if (fork() == 0) {
			char b[16];
			int fd = open("/etc/hostname", O_RDONLY);

			if (fd >= 0 && read(fd, b, sizeof(b)) >= 0)
				close(fd);
			if (write(2, "boom\n", 5) < 0)
				_exit(2);
			*(volatile int *)NULL = 1;
			_exit(0);
		}
	}
	while (wait(&st) > 0)
		killed += WIFSIGNALED(st);
	return killed;
}
