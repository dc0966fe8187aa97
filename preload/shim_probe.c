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
 * or @cap (@cap bytes copied, no NUL among them), or -EFAULT.  The length
 * is found a word at a time with aligned loads (an aligned word never
 * crosses into the next page), and no word that starts at or past @cap is
 * read.
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
	"shim_probe_strncpy:\n"
	"	mov %rsi, %r8\n"		/* r8: the string */
	"	mov %rsi, %r9\n"
	"	and $-8, %r9\n"			/* r9: its aligned word */
	"	mov %esi, %ecx\n"
	"	and $7, %ecx\n"
	"	shl $3, %ecx\n"
	"	mov $-1, %r10\n"
	"	shl %cl, %r10\n"
	"	not %r10\n"			/* bytes before the string */
	"	mov (%r9), %rax\n"
	"	or %r10, %rax\n"		/* ... are not its NUL */
	"1:	mov %rax, %r11\n"
	"	movabs $0x0101010101010101, %r10\n"
	"	sub %r10, %r11\n"
	"	not %rax\n"
	"	and %rax, %r11\n"
	"	movabs $0x8080808080808080, %r10\n"
	"	and %r10, %r11\n"		/* lowest bit set: first NUL */
	"	jnz 2f\n"
	"	add $8, %r9\n"
	"	mov %r9, %rax\n"
	"	sub %r8, %rax\n"
	"	cmp %rdx, %rax\n"
	"	jae 3f\n"
	"	mov (%r9), %rax\n"
	"	jmp 1b\n"
	"2:	bsf %r11, %r11\n"
	"	shr $3, %r11\n"
	"	add %r9, %r11\n"
	"	sub %r8, %r11\n"		/* the length */
	"	cmp %rdx, %r11\n"
	"	jae 3f\n"
	"	lea 1(%r11), %rcx\n"
	"	rep movsb\n"
	"	mov %r11, %rax\n"
	"	ret\n"
	"3:	mov %rdx, %rcx\n"		/* no NUL before @cap */
	"	rep movsb\n"
	"	mov %rdx, %rax\n"
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
int shim_probe_armed;

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
