// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/progs/vfs_signal_raw.c - A signal handler's raw openat while the
 *				   program sleeps in a raw read
 *
 * Usage: vfs_signal_raw PATH
 *
 * The program reads a pipe with a syscall instruction of its own (caught
 * by the preload shim's SIGSYS handler); a child sends it SIGUSR1 once it
 * sleeps there (/proc/PPID/wchan, or the process state where the kernel
 * shows no wait channel).  The handler opens PATH with its own syscall
 * instruction, then writes to the pipe, which ends the read.  Prints
 * "open: fd" when the handler opened PATH, "open: -ERRNO" otherwise.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "proc_asleep.h"
#include "raw_syscall.h"

static const char *path;
static int pipe_fds[2];
static volatile long handler_open = 1;

static void on_usr1(int sig)
{
	(void)sig;
	handler_open = raw_syscall4(SYS_openat, AT_FDCWD, (long)path,
				    O_RDONLY, 0);
	raw_syscall3(SYS_write, pipe_fds[1], (long)"x", 1);
}

int main(int argc, char **argv)
{
	struct timespec ms = { 0, 1000000 };
	pid_t child, parent = getpid();
	struct sigaction sa;
	long got;
	char c;
	int i;

	if (argc != 2) {
		fprintf(stderr, "usage: vfs_signal_raw PATH\n");
		return 2;
	}
	path = argv[1];
	if (pipe(pipe_fds) < 0)
		return 1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGUSR1, &sa, NULL);
	child = fork();
	if (child < 0)
		return 1;
	if (!child) {
		for (i = 0; i < 10000 && !proc_asleep_in(parent, "pipe_read"); i++)
			nanosleep(&ms, NULL);
		kill(parent, SIGUSR1);
		_exit(0);
	}
	got = raw_syscall3(SYS_read, pipe_fds[0], (long)&c, 1);
	waitpid(child, NULL, 0);
	if (got != 1)
		return 1;
	printf("open: %ld\n", handler_open);
	return 0;
}
