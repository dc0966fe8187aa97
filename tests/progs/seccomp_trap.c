// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/progs/seccomp_trap.c - A program with its own SECCOMP_RET_TRAP filter
 *
 * Usage: seccomp_trap [handler|ignore]
 * Installs a filter that traps getppid (SECCOMP_RET_TRAP), then calls it.
 * With no argument SIGSYS is at its default: the process dies of it, as
 * sandboxed programs (Chromium, OpenSSH's privsep child) expect.  With
 * "handler" its own handler prints "trapped NR" and the call returns 0;
 * with "ignore" SIGSYS is ignored, which the kernel overrides for a trap.
 */
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static void on_sigsys(int sig, siginfo_t *si, void *uctx)
{
	char line[64];
	int n;

	(void)sig;
	(void)uctx;
	n = snprintf(line, sizeof(line), "trapped %d code %d\n",
		     si->si_syscall, si->si_code);
	write(1, line, n);
}

int main(int argc, char **argv)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getppid, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRAP),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { sizeof(f) / sizeof(f[0]), f };
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	if (argc > 1 && strcmp(argv[1], "handler") == 0) {
		sa.sa_sigaction = on_sigsys;
		sa.sa_flags = SA_SIGINFO;
		sigaction(SIGSYS, &sa, NULL);
	} else if (argc > 1 && strcmp(argv[1], "ignore") == 0) {
		signal(SIGSYS, SIG_IGN);
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0) {
		perror("seccomp");
		return 2;
	}
	syscall(SYS_getppid);
	printf("survived\n");
	return 0;
}
