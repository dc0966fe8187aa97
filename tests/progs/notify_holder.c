// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/progs/notify_holder.c - Run a command under another notifying filter
 *
 * Usage: notify_holder COMMAND [ARG...]
 * Installs a seccomp filter with a user-notification listener (for the
 * unused uselib syscall), as a container manager's syscall interception
 * would, then execs the command: facet inside must cope without its own
 * listener, since the kernel allows one per filter chain.
 */
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_uselib, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { sizeof(f) / sizeof(f[0]), f };
	int listener;

	if (argc < 2)
		return 2;
	listener = prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	if (listener == 0)
		listener = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
				   SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
	if (listener < 0) {
		perror("seccomp");
		return 2;
	}
	/* the supervisor: a child that holds the listener while we run */
	if (fork() == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() == 1)
			_exit(0);
		for (;;)
			pause();
	}
	close(listener);
	execvp(argv[1], argv + 1);
	perror("execvp");
	return 127;
}
