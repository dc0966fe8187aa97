// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * preload/shim_probe.c - Reading and writing the program's memory without
 * dying of its bad pointers
 *
 * DOC: Bad pointers
 *
 * Under the ptracer a module reads the caller's memory with
 * process_vm_readv(), and a bad pointer is an error the module turns into
 * EFAULT, as the kernel would.  In the process a plain load of open(NULL)'s
 * path would kill the program with SIGSEGV.  So the shim copies the
 * program's memory with the two routines below, whose loads and stores are
 * the only instructions between shim_probe_start and shim_probe_end: a
 * SIGSEGV or SIGBUS raised there is not the program's fault but an answer
 * (the kernel's exception tables work the same way).  The signal handler
 * (shim_signal.c) moves the instruction pointer to shim_probe_fault, which
 * returns -EFAULT from the routine.  Neither routine touches the stack, so
 * the return is all the recovery there is.
 *
 * The handler must be the kernel's action for SIGSEGV and SIGBUS whenever a
 * routine runs: shim_probe_arm() installs it the first time one is used
 * in a process (the program's own handler, if any, sits behind it).
 */
#include <signal.h>
#include <ucontext.h>

#include "shim.h"

/*
 * shim_probe_copy(dst, src, n): copy @n bytes; 0 or -EFAULT.
 * shim_probe_strncpy(dst, src, cap): copy a string and its NUL; its length,
 * or @cap (@cap bytes copied, no NUL among them), or -EFAULT.
 *
 * strncpy finds the NUL 16 bytes at a time (SSE2, always there on x86-64)
 * and then copies n = length + 1 bytes with overlapping unaligned moves:
 * paths are copied on every call, and a byte loop (or rep movsb, slow to
 * start) costs an instruction or more per byte.  It reads the aligned
 * 16-byte blocks that hold the string: an aligned block never crosses into
 * the next page, so where a byte loop would not fault neither does this,
 * and no block that starts at or past @cap is read (the bytes before the
 * string in the first block are shifted out).  The copy reads only inside
 * [src, src + n), pages already read, and writes only [dst, dst + n); the
 * NUL is stored last, not taken from that second read (a thread changing
 * the string meanwhile cannot leave dst unterminated).  A string as long
 * as @cap (rare: ENAMETOOLONG) is copied with rep movsb.  No stack: the
 * fixup's return is all the recovery there is.
 */
__asm__(".pushsection .text.hot,\"ax\",@progbits\n"
	".globl shim_probe_copy\n"
	".hidden shim_probe_copy\n"
	".type shim_probe_copy,@function\n"
	".globl shim_probe_strncpy\n"
	".hidden shim_probe_strncpy\n"
	".type shim_probe_strncpy,@function\n"
	".globl shim_probe_start\n"
	".hidden shim_probe_start\n"
	".globl shim_probe_end\n"
	".hidden shim_probe_end\n"
	".globl shim_probe_fault\n"
	".hidden shim_probe_fault\n"
	"shim_probe_start:\n"
	"shim_probe_copy:\n"
	"	mov %rdx, %rcx\n"
	"	rep movsb\n"
	"	xor %eax, %eax\n"
	"	ret\n"
	".size shim_probe_copy, .-shim_probe_copy\n"
	/* rdi dst, rsi src, rdx cap, r9 a block's offset from src */
	"shim_probe_strncpy:\n"
	"	mov %rsi, %r9\n"
	"	and $-16, %r9\n"
	"	pxor %xmm1, %xmm1\n"
	"	movdqa (%r9), %xmm0\n"
	"	pcmpeqb %xmm1, %xmm0\n"
	"	pmovmskb %xmm0, %eax\n"		/* bit i: byte i is NUL */
	"	mov %esi, %ecx\n"
	"	and $15, %ecx\n"
	"	shr %cl, %eax\n"		/* from the string's first byte */
	"	test %eax, %eax\n"
	"	jnz 2f\n"
	"	sub %rsi, %r9\n"
	"1:	add $16, %r9\n"
	"	cmp %rdx, %r9\n"
	"	jae 9f\n"			/* starts at cap: not read */
	"	movdqa (%rsi,%r9), %xmm0\n"
	"	pcmpeqb %xmm1, %xmm0\n"
	"	pmovmskb %xmm0, %eax\n"
	"	test %eax, %eax\n"
	"	jz 1b\n"
	"	bsf %eax, %eax\n"
	"	add %r9, %rax\n"		/* the length */
	"	jmp 3f\n"
	"2:	bsf %eax, %eax\n"
	"3:	cmp %rdx, %rax\n"
	"	jae 9f\n"
	"	lea 1(%rax), %rcx\n"		/* n */
	"	cmp $16, %rcx\n"
	"	jb 5f\n"
	"	lea -16(%rcx), %r8\n"
	"	xor %r9d, %r9d\n"
	"4:	movdqu (%rsi,%r9), %xmm0\n"
	"	movdqu %xmm0, (%rdi,%r9)\n"
	"	add $16, %r9\n"
	"	cmp %r8, %r9\n"
	"	jb 4b\n"
	"	movdqu (%rsi,%r8), %xmm0\n"	/* the last 16, overlapping */
	"	movdqu %xmm0, (%rdi,%r8)\n"
	"	movb $0, (%rdi,%rax)\n"
	"	ret\n"
	"5:	cmp $8, %ecx\n"
	"	jb 6f\n"
	"	mov (%rsi), %r8\n"
	"	mov -8(%rsi,%rcx), %r9\n"
	"	mov %r8, (%rdi)\n"
	"	mov %r9, -8(%rdi,%rcx)\n"
	"	movb $0, (%rdi,%rax)\n"
	"	ret\n"
	"6:	cmp $4, %ecx\n"
	"	jb 7f\n"
	"	mov (%rsi), %r8d\n"
	"	mov -4(%rsi,%rcx), %r9d\n"
	"	mov %r8d, (%rdi)\n"
	"	mov %r9d, -4(%rdi,%rcx)\n"
	"	movb $0, (%rdi,%rax)\n"
	"	ret\n"
	"7:	cmp $2, %ecx\n"			/* n is 1, 2 or 3 */
	"	jb 8f\n"
	"	movzwl (%rsi), %r8d\n"
	"	mov %r8w, (%rdi)\n"
	"8:	movb $0, (%rdi,%rax)\n"
	"	ret\n"
	"9:	mov %rdx, %rcx\n"		/* no NUL before cap */
	"	mov %rdx, %rax\n"
	"	rep movsb\n"
	"	ret\n"
	".size shim_probe_strncpy, .-shim_probe_strncpy\n"
	"shim_probe_end:\n"
	"shim_probe_fault:\n"
	"	mov $-14, %rax\n"		/* -EFAULT */
	"	ret\n"
	".popsection\n");

extern const char shim_probe_start[], shim_probe_end[], shim_probe_fault[];

/**
 * shim_probe_fixup() - A fault inside a probe routine becomes its -EFAULT
 * @sig:	The signal
 * @uctx:	Its ucontext
 *
 * Return: 1 if it was a probe's (the context now returns -EFAULT from
 * it), 0 if not
 */
int shim_probe_fixup(int sig, void *uctx)
{
	greg_t *rip = &((ucontext_t *)uctx)->uc_mcontext.gregs[REG_RIP];

	if ((sig != SIGSEGV && sig != SIGBUS) || !uctx ||
	    (uintptr_t)*rip < (uintptr_t)shim_probe_start ||
	    (uintptr_t)*rip >= (uintptr_t)shim_probe_end)
		return 0;
	*rip = (greg_t)(uintptr_t)shim_probe_fault;
	return 1;
}

/* Set once SIGSEGV and SIGBUS lead to shim_probe_fixup() */
SHIM_DATA int shim_probe_armed;

/**
 * shim_probe_arm() - Make SIGSEGV and SIGBUS reach shim_probe_fixup()
 *
 * Once per process (a fork child inherits it; an image starts unarmed).
 */
SHIM_COLD void shim_probe_arm(void)
{
	static const int sigs[] = { SIGSEGV, SIGBUS };
	unsigned i;

	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		shim_signal_take(sigs[i]);
	__atomic_store_n(&shim_probe_armed, 1, __ATOMIC_RELEASE);
}
