// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/progs/preload_rawthread.c - a thread made without pthread_create
 * that makes raw syscalls
 *
 * Usage: preload_rawthread HOW FILE
 *   clone	inline-asm clone(CLONE_VM|CLONE_THREAD|..., new stack)
 *   clone3	inline-asm clone3 with a stack in clone_args
 *   syscall	syscall(SYS_clone, ...): the child returns through the
 *		address at the top of its stack, as from libc's syscall()
 *   fork	clone(SIGCHLD, new stack): a process on its own stack
 *   settls	clone with CLONE_SETTLS, a thread pointer of its own (the
 *		child makes raw syscalls only)
 * The child opens and reads FILE and calls getppid() with syscall
 * instructions of its own, and getppid() through libc; the parent prints
 * "read TEXT ppid N libc N".
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "raw_syscall.h"

#define STACK_SIZE	(256 * 1024)

struct start {
	void (*fn)(void *);
	void *arg;
	void *tls;	/* clone's fifth argument */
};

/* raw_clone(nr, a0, a1, a2, a3, start): clone(a0, a1, a2, a3,
 * start->tls); the child calls start->fn(arg) on its new stack, then
 * exits with a raw exit */
__asm__(".text\n"
	".type raw_clone,@function\n"
	"raw_clone:\n"
	"\tmov %rdi, %rax\n"
	"\tmov %rsi, %rdi\n"
	"\tmov %rdx, %rsi\n"
	"\tmov %rcx, %rdx\n"
	"\tmov %r8, %r10\n"
	"\tmov 16(%r9), %r8\n"
	"\tsyscall\n"
	"\ttest %rax, %rax\n"
	"\tjnz 1f\n"
	"\txor %ebp, %ebp\n"
	"\tmov 8(%r9), %rdi\n"
	"\tcall *(%r9)\n"
	"\tmov $60, %eax\n"
	"\txor %edi, %edi\n"
	"\tsyscall\n"
	"\thlt\n"
	"1:\tret\n");
long raw_clone(long nr, long a0, long a1, long a2, long a3, struct start *s);

#define raw raw_syscall3

static const char *file;
static char text[256];
static long raw_ppid, libc_ppid;
static int child_tid = 1;	/* cleared by the kernel when the child ends */

static void child(void *arg)
{
	long fd, n;

	(void)arg;
	fd = raw(SYS_openat, AT_FDCWD, (long)file, O_RDONLY);
	if (fd >= 0) {
		n = raw(SYS_read, fd, (long)text, sizeof(text) - 1);
		if (n > 0 && text[n - 1] == '\n')
			n--;
		text[n > 0 ? n : 0] = '\0';
		raw(SYS_close, fd, 0, 0);
	} else {
		snprintf(text, sizeof(text), "ERR %ld", -fd);
	}
	raw_ppid = raw(SYS_getppid, 0, 0, 0);
	if (arg)	/* no libc without libc's thread pointer */
		return;
	libc_ppid = getppid();
}

/* The child of syscall(SYS_clone, ...) returns here on its new stack */
static void syscall_child_start(void)
{
	child(NULL);
	raw(SYS_exit, 0, 0, 0);
}

/* fork: the child has its own memory, it reports itself */
static void fork_child(void *arg)
{
	child(arg);
	printf("read %s ppid %ld libc %ld\n", text, raw_ppid, libc_ppid);
	fflush(stdout);
}

static void wait_thread(void)
{
	while (__atomic_load_n(&child_tid, __ATOMIC_ACQUIRE))
		syscall(SYS_futex, &child_tid, FUTEX_WAIT, child_tid, NULL);
}

int main(int argc, char **argv)
{
	const unsigned long thread = CLONE_VM | CLONE_FS | CLONE_FILES |
		CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM |
		CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID;
	struct start s = { child, NULL, NULL };
	char *stack;
	long ret;
	int st;

	if (argc < 3)
		return 2;
	file = argv[2];
	stack = mmap(NULL, STACK_SIZE, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (stack == MAP_FAILED)
		return 2;
	if (!strcmp(argv[1], "clone")) {
		ret = raw_clone(SYS_clone, (long)thread,
				(long)(stack + STACK_SIZE), (long)&child_tid,
				(long)&child_tid, &s);
	} else if (!strcmp(argv[1], "clone3")) {
		struct clone_args ca;

		memset(&ca, 0, sizeof(ca));
		ca.flags = thread;
		ca.stack = (unsigned long)stack;
		ca.stack_size = STACK_SIZE;
		ca.parent_tid = ca.child_tid = (unsigned long)&child_tid;
		ret = raw_clone(SYS_clone3, (long)&ca, sizeof(ca), 0, 0, &s);
	} else if (!strcmp(argv[1], "syscall")) {
		void **top = (void **)(stack + STACK_SIZE) - 2;

		top[0] = (void *)syscall_child_start;
		ret = syscall(SYS_clone, thread, top, &child_tid, &child_tid,
			      0);
		if (ret < 0)
			ret = -errno;
	} else if (!strcmp(argv[1], "settls")) {
		static unsigned long tls[64];

		tls[0] = tls[2] = (unsigned long)tls;
		s.arg = s.tls = tls;
		ret = raw_clone(SYS_clone, (long)(thread | CLONE_SETTLS),
				(long)(stack + STACK_SIZE), (long)&child_tid,
				(long)&child_tid, &s);
	} else {
		s.fn = fork_child;
		ret = raw_clone(SYS_clone, SIGCHLD,
				(long)(stack + STACK_SIZE), 0, 0, &s);
		if (ret > 0 && waitpid((pid_t)ret, &st, 0) == ret)
			return WIFEXITED(st) ? WEXITSTATUS(st) : 3;
	}
	if (ret < 0) {
		printf("clone failed: %s\n", strerror((int)-ret));
		return 1;
	}
	wait_thread();
	printf("read %s ppid %ld libc %ld\n", text, raw_ppid, libc_ppid);
	return 0;
}
