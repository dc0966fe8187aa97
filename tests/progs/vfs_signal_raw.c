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

/* Read /proc/PID/NAME into @buf; 0 or -1 */
static int read_proc(pid_t pid, const char *name, char *buf, size_t cap)
{
	char file[64];
	ssize_t n;
	int fd;

	snprintf(file, sizeof(file), "/proc/%d/%s", (int)pid, name);
	fd = open(file, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, cap - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return 0;
}

/* Is @pid asleep reading a pipe (its wait channel), or asleep at all? */
static int parent_reads(pid_t pid)
{
	char buf[512];
	const char *p;

	if (read_proc(pid, "wchan", buf, sizeof(buf)) == 0 && buf[0] &&
	    strcmp(buf, "0"))
		return !strcmp(buf, "pipe_read");
	if (read_proc(pid, "stat", buf, sizeof(buf)) < 0)
		return 1;
	p = strrchr(buf, ')');
	return p && p[1] == ' ' && p[2] == 'S';
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
		for (i = 0; i < 10000 && !parent_reads(parent); i++)
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
