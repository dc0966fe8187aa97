// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/progs/preload_sibling.c - Change a child's open after the view
 * checked it
 *
 * Usage: preload_sibling VISIBLE OTHER
 *   A child opens VISIBLE and prints "child read TEXT" (or "child read
 *   ERR errno").  The parent traces it (PTRACE_SEIZE, prints "seize ERR
 *   errno" and ends if it may not) and at the kernel's entry of each of
 *   the child's openat/openat2 writes OTHER over the path the call
 *   names: what an in-process shim checked is not what the kernel opens.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef SYS_openat2
#define SYS_openat2	437
#endif

static char path[4096];

static void child(void)
{
	char buf[64];
	ssize_t n = -1;
	int fd;

	raise(SIGSTOP);
	fd = open(path, O_RDONLY);
	if (fd >= 0)
		n = read(fd, buf, sizeof(buf) - 1);
	if (n < 0) {
		printf("child read ERR %s\n", strerror(errno));
	} else {
		if (n > 0 && buf[n - 1] == '\n')
			n--;
		printf("child read %.*s\n", (int)n, buf);
	}
	fflush(stdout);
	_exit(0);
}

/* Write @s (with its NUL) at @addr of @pid, a word at a time */
static void poke_str(pid_t pid, unsigned long addr, const char *s)
{
	size_t len = strlen(s) + 1, k;
	long word;

	for (k = 0; k < len; k += sizeof(word)) {
		word = 0;
		memcpy(&word, s + k, len - k < sizeof(word) ? len - k :
		       sizeof(word));
		ptrace(PTRACE_POKEDATA, pid, addr + k, word);
	}
}

int main(int argc, char **argv)
{
	struct user_regs_struct r;
	pid_t pid;
	int st;

	if (argc != 3 || strlen(argv[1]) >= sizeof(path)) {
		fprintf(stderr, "usage: preload_sibling VISIBLE OTHER\n");
		return 2;
	}
	snprintf(path, sizeof(path), "%s", argv[1]);
	fflush(stdout);
	pid = fork();
	if (pid == 0)
		child();
	if (pid < 0 || waitpid(pid, &st, WSTOPPED) < 0)
		return 1;
	if (ptrace(PTRACE_SEIZE, pid, 0, PTRACE_O_TRACESYSGOOD) < 0) {
		printf("seize ERR %s\n", strerror(errno));
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
		return 0;
	}
	kill(pid, SIGCONT);
	ptrace(PTRACE_INTERRUPT, pid, 0, 0);
	while (waitpid(pid, &st, 0) == pid && WIFSTOPPED(st)) {
		if (WSTOPSIG(st) == (SIGTRAP | 0x80) &&
		    ptrace(PTRACE_GETREGS, pid, 0, &r) == 0 &&
		    (r.orig_rax == SYS_openat || r.orig_rax == SYS_openat2) &&
		    r.rax == (unsigned long)-ENOSYS)	/* at the entry */
			poke_str(pid, r.rsi, argv[2]);
		ptrace(PTRACE_SYSCALL, pid, 0, 0);
	}
	return 0;
}
