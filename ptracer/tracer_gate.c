// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * ptracer/tracer_gate.c - The combined mode's gate page, shut to programs
 * without the shim
 *
 * DOC: The gate is the shim's
 *
 * The combined mode's filter lets every call made from the page at
 * SHIM_GATE_PAGE through: there the shim of a dynamically linked process
 * makes the calls it has served in-process.  A static program has no shim
 * and nothing at that address, so it could map the page itself, put a
 * syscall instruction in it and call it, past the filter and every module.
 *
 * So at the exec stop of an image without an ELF interpreter (AT_BASE 0 in
 * its auxiliary vector; a loader run as a program, "ld-linux...", is let
 * be: it loads the shim too) the supervisor makes the process load a
 * second filter: a call from that page fails with EPERM.  Filters are
 * inherited and stay across exec: a dynamically linked program such a
 * process starts finds its gate refused, and its shim stands aside
 * (preload/shim_main.c): the supervisor serves all of its calls.
 *
 * The process is made to call seccomp(2) by hand: it has not run an
 * instruction of the new image yet.  The filter and its sock_fprog go
 * below its stack pointer, a syscall instruction over the first bytes at
 * its entry point; one single step runs it, then the text and the
 * registers are put back.  The call carries the run's cookie in its sixth
 * argument, so a module that wants seccomp() does not see it
 * (tracer_notify.c).
 */
#include <elf.h>
#include <errno.h>
#include <limits.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tracer.h"

#define GATE_LOCK_LEN	(TRACER_GATE_MATCH_LEN + 1)

/* Is the image a loader run as a program (ld.so started by hand)? */
static int gate_loader_image(pid_t tid)
{
	char link[64], exe[PATH_MAX];
	const char *base;
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/%d/exe", tid);
	n = readlink(link, exe, sizeof(exe) - 1);
	if (n <= 0)
		return 0;
	exe[n] = '\0';
	base = strrchr(exe, '/');
	base = base ? base + 1 : exe;
	return !strncmp(base, "ld-linux", 8) || !strncmp(base, "ld-musl", 7);
}

/**
 * tracer_gate_match() - BPF: an x86_64 call made from @page returns @action
 * @f:		TRACER_GATE_MATCH_LEN instructions to fill
 *
 * Any other call goes on to the instruction after them.  The combined
 * mode's filter starts with it (ALLOW: tracer_seccomp.c), the second
 * filter of an image without the shim is it (ERRNO) and an ALLOW.
 */
void tracer_gate_match(struct sock_filter *f, uintptr_t page,
		       uint32_t action)
{
	const uint32_t hi = (uint32_t)((uint64_t)page >> 32);
	const uint32_t lo = (uint32_t)page;
	const struct sock_filter prog[TRACER_GATE_MATCH_LEN] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 6),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, instruction_pointer) + 4),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, hi, 0, 4),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, instruction_pointer)),
		BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, lo, 0, 2),
		BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, lo + 4096, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, action),
	};

	memcpy(f, prog, sizeof(prog));
}

/* The second filter: x86_64 calls from @page fail with EPERM */
static void gate_lock_filter(struct sock_filter *f, uintptr_t page)
{
	const struct sock_filter allow =
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);

	tracer_gate_match(f, page, SECCOMP_RET_ERRNO | EPERM);
	f[TRACER_GATE_MATCH_LEN] = allow;
}

/*
 * One single step of @tid, to its trap.  A signal that stops the thread
 * meanwhile is kept in @sig for the resume; a seccomp stop (every call
 * traced) is stepped through.  Return: 0 or -errno
 */
static int gate_step(pid_t tid, int *sig)
{
	int st;

	for (;;) {
		if (ptrace(PTRACE_SINGLESTEP, tid, 0, 0) < 0)
			return -errno;
		if (waitpid(tid, &st, __WALL) < 0)
			return -errno;
		if (!WIFSTOPPED(st))
			return -ESRCH;
		if (WSTOPSIG(st) == SIGTRAP && ((unsigned)st >> 16) == 0)
			return 0;
		if (((unsigned)st >> 16) == 0)
			*sig = WSTOPSIG(st);
	}
}

/**
 * tracer_gate_lock() - Shut the gate page to the new image of @tid
 * @t:		Supervisor (combined mode)
 * @tid:	Tracee at its PTRACE_EVENT_EXEC stop
 * @sig:	Set to a signal to deliver at the resume, if one came
 *
 * Return: 0 (also when the image has an interpreter), or -errno
 */
int tracer_gate_lock(struct tracer *t, pid_t tid, int *sig)
{
	struct sock_filter f[GATE_LOCK_LEN];
	struct user_regs_struct saved, regs;
	struct sock_fprog prog;
	uintptr_t at_f, at_prog;
	unsigned long base;
	long text;
	int ret;

	if (tracer_auxv_value(tid, AT_BASE, &base) < 0 || base ||
	    gate_loader_image(tid))
		return 0;
	/* out of execve first: registers set now would be overwritten by
	 * its return (x86 traps a single step at the syscall's exit) */
	ret = gate_step(tid, sig);
	if (ret < 0)
		return ret;
	if (ptrace(PTRACE_GETREGS, tid, 0, &saved) < 0)
		return -errno;
	/* a 32-bit program: no syscall instruction to run (its calls are
	 * refused by the filter's other ABIs rule anyway) */
	if (saved.cs != 0x33)
		return 0;
	/* below the red zone, 16-byte aligned */
	at_f = (saved.rsp - 1024) & ~15UL;
	at_prog = at_f + sizeof(f);
	gate_lock_filter(f, t->gate_page);
	prog.len = GATE_LOCK_LEN;
	prog.filter = (struct sock_filter *)at_f;
	if (tracer_mem_write(tid, at_f, f, sizeof(f)) != sizeof(f) ||
	    tracer_mem_write(tid, at_prog, &prog, sizeof(prog)) !=
	    sizeof(prog))
		return -EFAULT;
	errno = 0;
	text = ptrace(PTRACE_PEEKTEXT, tid, saved.rip, 0);
	if (errno)
		return -errno;
	/* "syscall" is 0f 05 */
	if (ptrace(PTRACE_POKETEXT, tid, saved.rip,
		   (text & ~0xffffL) | 0x050f) < 0)
		return -errno;
	regs = saved;
	regs.orig_rax = -1;
	regs.rax = SYS_seccomp;
	regs.rdi = SECCOMP_SET_MODE_FILTER;
	regs.rsi = 0;
	regs.rdx = at_prog;
	regs.r9 = t->cookie;
	ret = ptrace(PTRACE_SETREGS, tid, 0, &regs) < 0 ? -errno :
	      gate_step(tid, sig);
	if (ret == 0 && ptrace(PTRACE_GETREGS, tid, 0, &regs) < 0)
		ret = -errno;
	if (ret == 0 && regs.rip != saved.rip + 2)
		ret = -EIO;
	if (ret == 0 && (long)regs.rax < 0)
		ret = (int)regs.rax;
	/* the image as it was */
	if (ptrace(PTRACE_POKETEXT, tid, saved.rip, text) < 0 ||
	    ptrace(PTRACE_SETREGS, tid, 0, &saved) < 0)
		ret = ret ? ret : -errno;
	return ret;
}
