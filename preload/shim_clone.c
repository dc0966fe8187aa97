// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * preload/shim_clone.c - Raw clone with its own stack: the child is caught
 *
 * DOC: Threads made without pthread_create
 *
 * Syscall User Dispatch is per thread and not inherited: a thread made by
 * a raw clone (inline asm, a runtime with its own threads) would make its
 * syscalls outside the view.  Such a clone traps like any raw syscall;
 * the SIGSYS handler makes it itself from shim_clone_tramp, and the child
 * does not start where the program's syscall instruction left off but in
 * shim_clone_child(), on the program's new stack, which arms the dispatch
 * and only then loads the program's registers (RAX 0, RSP the new stack,
 * RCX and R11 as a syscall leaves them) and jumps to the instruction
 * after the program's syscall.
 *
 * A child that shares the memory (CLONE_VM) but not a thread pointer of
 * its own would share the parent's TLS, where the shim keeps its
 * per-thread state (the dispatch selector among it).  It gets its own
 * static TLS block from the dynamic loader (_dl_allocate_tls), with the
 * parent's stack and pointer guards, through CLONE_SETTLS: errno and the
 * shim's state are its own, the program's __thread variables start from
 * their initial values.  The block is not freed when the thread ends.
 * A clone that sets its own thread pointer (CLONE_SETTLS: Go's runtime,
 * for one) cannot be followed: the shim's TLS would be in memory the
 * program owns; it fails with ENOSYS and a warning.
 *
 * A child without CLONE_VM is a fork onto another stack: it has its own
 * copy of everything and is set up as a fork child.
 */
#include <dlfcn.h>
#include <linux/futex.h>
#include <linux/sched.h>
#include <sched.h>
#include <string.h>
#include <sys/syscall.h>
#include <ucontext.h>

#include "../core/log.h"
#include "shim.h"

/* What the child needs from the parent's SIGSYS frame */
struct clone_ctx {
	unsigned long regs[NGREG];	/* the program's, at its syscall */
	unsigned long rsp;		/* the child's stack */
	int own_memory;			/* no CLONE_VM: a fork */
	int vfork;			/* CLONE_VM, not a thread */
	int copied;			/* futex: the child has read this */
};

/*
 * shim_clone_tramp(nr, a0, a1, a2, a3, a4, ctx): clone or clone3 from the
 * gate's section; the child calls shim_clone_child(ctx) on its new stack.
 */
__asm__(".pushsection facet_gate,\"ax\",@progbits\n"
	".type shim_clone_tramp,@function\n"
	"shim_clone_tramp:\n"
	"\tpush %r12\n"
	"\tmov 16(%rsp), %r12\n"
	"\tmov %rdi, %rax\n"
	"\tmov %rsi, %rdi\n"
	"\tmov %rdx, %rsi\n"
	"\tmov %rcx, %rdx\n"
	"\tmov %r8, %r10\n"
	"\tmov %r9, %r8\n"
	"\tsyscall\n"
	"\ttest %rax, %rax\n"
	"\tjnz 1f\n"
	"\tmov %r12, %rdi\n"
	"\tand $-16, %rsp\n"
	"\tcall shim_clone_child\n"
	"\thlt\n"
	"1:\tpop %r12\n"
	"\tret\n"
	".popsection\n");
long shim_clone_tramp(long nr, long a0, long a1, long a2, long a3, long a4,
		      struct clone_ctx *ctx);

/*
 * shim_syscall_trapping: syscall() for a clone with a new stack.  Its
 * syscall instruction is outside libc and the gate, so it traps and the
 * SIGSYS handler sees the caller's registers; the child, like libc's
 * syscall()'s, returns through the address at the top of its new stack.
 */
__asm__(".text\n"
	".type shim_syscall_trapping,@function\n"
	"shim_syscall_trapping:\n"
	"\tmov %rdi, %rax\n"
	"\tmov %rsi, %rdi\n"
	"\tmov %rdx, %rsi\n"
	"\tmov %rcx, %rdx\n"
	"\tmov %r8, %r10\n"
	"\tmov %r9, %r8\n"
	"\tmov 8(%rsp), %r9\n"
	"\tsyscall\n"
	"\tret\n");
long shim_syscall_trapping(long nr, long a0, long a1, long a2, long a3,
			   long a4, long a5);

/*
 * shim_clone_resume(regs): load the program's registers (gregs order)
 * and continue at regs[REG_RIP] with RSP regs[REG_RSP].  The return
 * address goes just below the new stack pointer, the free part of the
 * child's stack; @regs is in the child's TLS, which no signal frame can
 * overwrite.
 */
__asm__(".pushsection facet_gate,\"ax\",@progbits\n"
	".type shim_clone_resume,@function\n"
	"shim_clone_resume:\n"
	"\tmov 120(%rdi), %rsp\n"	/* REG_RSP */
	"\tpush 128(%rdi)\n"		/* REG_RIP */
	"\tpush 136(%rdi)\n"		/* REG_EFL */
	"\tmov 0(%rdi), %r8\n"
	"\tmov 8(%rdi), %r9\n"
	"\tmov 16(%rdi), %r10\n"
	"\tmov 136(%rdi), %r11\n"	/* as syscall leaves it: RFLAGS */
	"\tmov 32(%rdi), %r12\n"
	"\tmov 40(%rdi), %r13\n"
	"\tmov 48(%rdi), %r14\n"
	"\tmov 56(%rdi), %r15\n"
	"\tmov 72(%rdi), %rsi\n"
	"\tmov 80(%rdi), %rbp\n"
	"\tmov 88(%rdi), %rbx\n"
	"\tmov 96(%rdi), %rdx\n"
	"\tmov 128(%rdi), %rcx\n"	/* and RCX: the return address */
	"\tmov $0, %eax\n"		/* the child's result */
	"\tmov 64(%rdi), %rdi\n"
	"\tpopfq\n"
	"\tret\n"
	".popsection\n");
__attribute__((noreturn)) void shim_clone_resume(const unsigned long *regs);

extern char __libc_single_threaded;	/* shim_call.c */

static __thread unsigned long clone_regs[NGREG]
	__attribute__((tls_model("initial-exec")));

/* The child, on its new stack: arm the dispatch, then be the program */
__attribute__((noreturn, used)) void shim_clone_child(struct clone_ctx *ctx)
{
	memcpy(clone_regs, ctx->regs, sizeof(clone_regs));
	clone_regs[REG_RSP] = ctx->rsp;
	if (ctx->own_memory) {
		shim_fork_child();
	} else {
		shim_tls.vfork_child = ctx->vfork;
		__atomic_store_n(&ctx->copied, 1, __ATOMIC_RELEASE);
		shim_gate(SYS_futex, (long)&ctx->copied, FUTEX_WAKE_PRIVATE,
			  1, 0, 0, 0);
		shim_sud_arm(shim.raw_arm);
	}
	shim_clone_resume(clone_regs);
}

/*
 * A static TLS block for a CLONE_VM child, with the header fields glibc
 * keeps there (tcb, dtv, self; the guards copied from this thread).
 */
static void *clone_new_tls(void)
{
	static void *(*allocate)(void *);
	unsigned long *tcb, *self;

	if (!allocate)
		allocate = (void *(*)(void *))dlvsym(RTLD_DEFAULT,
						     "_dl_allocate_tls",
						     "GLIBC_PRIVATE");
	if (!allocate || !(tcb = allocate(NULL)))
		return NULL;
	__asm__("mov %%fs:0x10, %0" : "=r"(self));
	tcb[0] = (unsigned long)tcb;		/* header.tcb */
	tcb[2] = (unsigned long)tcb;		/* header.self */
	tcb[3] = 1;				/* multiple_threads */
	memcpy(&tcb[4], &self[4], 3 * sizeof(long)); /* sysinfo, guards */
	return tcb;
}

/*
 * A clone made by libc itself (pthread_create(), trapped when every call
 * is caught): its CLONE_SETTLS thread pointer is a glibc thread's, with a
 * static TLS block for the shim too, so the child can start in the shim.
 */
static int clone_from_libc(const unsigned long *regs)
{
	unsigned long ip = regs[REG_RIP];

	return shim.libc_len && ip >= shim.libc_lo &&
	       ip - shim.libc_lo < shim.libc_len;
}

static long clone_refuse(const char *why)
{
	facet_logmsg(FACET_LOG_WARNING, "preload: a raw clone outside libc "
		     "%s: it cannot be followed; failing it with ENOSYS", why);
	return -ENOSYS;
}

/*
 * clone_make() - Make the clone; the child starts in shim_clone_child()
 * @regs:	The program's registers at its syscall instruction
 *
 * Return: the parent's result
 */
static long clone_make(long nr, const long a[6], const unsigned long *regs)
{
	struct clone_args args;
	struct clone_ctx ctx;
	unsigned long flags;
	void *tls = NULL;
	long ret;

	if (nr == SYS_clone3) {
		memset(&args, 0, sizeof(args));
		if ((size_t)a[1] < 64 || (size_t)a[1] > sizeof(args))
			return clone_refuse("with a clone_args size facet does "
					    "not know");
		memcpy(&args, (const void *)a[0], (size_t)a[1]);
		flags = args.flags;
		ctx.rsp = args.stack + args.stack_size;
	} else {
		flags = (unsigned long)a[0];
		ctx.rsp = (unsigned long)a[1];
	}
	if ((flags & CLONE_SETTLS) && !clone_from_libc(regs))
		return clone_refuse("that sets its own thread pointer");
	memcpy(ctx.regs, regs, sizeof(ctx.regs));
	ctx.own_memory = !(flags & CLONE_VM);
	ctx.vfork = !ctx.own_memory && !(flags & CLONE_THREAD);
	ctx.copied = 0;
	if (flags & CLONE_SETTLS) {	/* glibc's own thread: its TLS */
		tls = (void *)(nr == SYS_clone3 ? (long)args.tls : a[4]);
	} else if (!ctx.own_memory) {
		tls = clone_new_tls();
		if (!tls)
			return clone_refuse("(no TLS block for the new thread)");
		flags |= CLONE_SETTLS;
	}
	if (!ctx.own_memory)
		__atomic_store_n(&__libc_single_threaded, 0, __ATOMIC_SEQ_CST);
	if (nr == SYS_clone3) {
		args.flags = flags;
		args.tls = (unsigned long)tls;
		ret = shim_clone_tramp(nr, (long)&args, sizeof(args), 0, 0, 0,
				       &ctx);
	} else {
		ret = shim_clone_tramp(nr, (long)flags, a[1], a[2], a[3],
				       (long)tls, &ctx);
	}
	/* the child reads @ctx from this frame before it may go away */
	while (ret > 0 && !ctx.own_memory &&
	       !__atomic_load_n(&ctx.copied, __ATOMIC_ACQUIRE))
		shim_gate(SYS_futex, (long)&ctx.copied, FUTEX_WAIT_PRIVATE, 0,
			  0, 0, 0);
	return ret;
}

/* Does this clone or clone3 give the child a stack of its own? */
int shim_clone_new_stack(long nr, const long a[6])
{
	const struct clone_args *args = (const struct clone_args *)a[0];

	if (nr == SYS_clone)
		return a[1] != 0;
	return nr == SYS_clone3 && args && (size_t)a[1] >= 64 &&
	       args->stack != 0;
}

/**
 * shim_clone_raw() - A trapped clone/clone3 with a new stack
 * @nr:		SYS_clone or SYS_clone3
 * @a:		Its arguments
 * @regs:	The program's registers at its syscall instruction (gregs)
 *
 * The module chain sees the call as under the ptracer.
 *
 * Return: the parent's result, -errno on failure
 */
long shim_clone_raw(long nr, const long a[6], const unsigned long *regs)
{
	size_t mark = shim_tls.place_used;
	facet_call_scratch scratch;
	struct facet_call call;
	long ret;

	if (!shim_wants(nr))
		return clone_make(nr, a, regs);
	if (shim_enter(&call, &scratch, nr, a) == FACET_DONE)
		ret = call.result;
	else
		ret = clone_make(call.nr, call.args, regs);
	ret = shim_leave(&call, ret);
	shim_tls.place_used = mark;
	return ret;
}

/**
 * shim_clone_syscall() - syscall(SYS_clone or SYS_clone3, ...) with a new
 * stack, from libc's generic entry
 *
 * Return: as libc's syscall()
 */
long shim_clone_syscall(long nr, long a0, long a1, long a2, long a3, long a4,
			long a5)
{
	long (*real)(long, long, long, long, long, long, long);

	if (shim_tls.armed) {
		long ret = shim_syscall_trapping(nr, a0, a1, a2, a3, a4, a5);

		return shim_ret(ret);
	}
	/* without the raw catch, nothing of the new thread is seen anyway */
	real = SHIM_NEXT(long (*)(long, long, long, long, long, long, long),
			 "syscall");
	return real(nr, a0, a1, a2, a3, a4, a5);
}
