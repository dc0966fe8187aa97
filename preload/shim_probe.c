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
 * strncpy goes a word at a time: paths are copied on every call, and a
 * byte loop (or rep movsb, slow to start) costs several instructions per
 * byte.  It reads the aligned words that hold the string: an aligned word
 * never crosses into the next page, so where a byte loop would not fault
 * neither does this, and no word that starts at or past @cap is read (the
 * first word's bytes before the string count as not NUL).  A word wholly
 * string and below @cap is stored as it is read, at dst + its offset o
 * from src; the head (before the first aligned word) and the tail (the
 * last word's bytes up to the NUL or @cap) are copied at the end with
 * overlapping unaligned words inside [src, src + n), whose pages were all
 * read already.  dst gets exactly n = min(length + 1, cap) bytes, and the
 * NUL is stored last, not taken from a re-read (a thread changing the
 * string meanwhile cannot leave dst unterminated).  No stack: the fixup's
 * return is all the recovery there is.
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
	/* rdi dst, rsi src, rdx cap - 8, r9 o, rax the word, r11 its NULs */
	"shim_probe_strncpy:\n"
	"	mov %esi, %ecx\n"
	"	and $7, %ecx\n"
	"	mov %rcx, %r9\n"
	"	neg %r9\n"			/* o of the first aligned word */
	"	shl $3, %ecx\n"
	"	mov $-1, %r8\n"
	"	shl %cl, %r8\n"
	"	not %r8\n"			/* bytes before the string */
	"	mov (%rsi,%r9), %rax\n"
	"	or %r8, %rax\n"			/* ... are not its NUL */
	"	movabs $0x0101010101010101, %r10\n"
	"	movabs $0x8080808080808080, %rcx\n"
	"	sub $8, %rdx\n"
	"	mov %rax, %r11\n"
	"	sub %r10, %r11\n"
	"	not %rax\n"
	"	and %rax, %r11\n"
	"	and %rcx, %r11\n"		/* lowest bit set: first NUL */
	"	jnz 4f\n"
	"	add $8, %r9\n"
	"	cmp %rdx, %r9\n"
	"	jg 2f\n"
	"1:	mov (%rsi,%r9), %rax\n"		/* a whole word below cap */
	"	mov %rax, %r11\n"
	"	sub %r10, %r11\n"
	"	mov %rax, %r8\n"
	"	not %r8\n"
	"	and %r8, %r11\n"
	"	and %rcx, %r11\n"
	"	jnz 4f\n"
	"	mov %rax, (%rdi,%r9)\n"
	"	add $8, %r9\n"
	"	cmp %rdx, %r9\n"
	"	jle 1b\n"
	"2:	lea 8(%rdx), %r8\n"		/* a word reaching cap */
	"	cmp %r8, %r9\n"
	"	jge 3f\n"			/* starts at cap: not read */
	"	mov (%rsi,%r9), %rax\n"
	"	mov %rax, %r11\n"
	"	sub %r10, %r11\n"
	"	not %rax\n"
	"	and %rax, %r11\n"
	"	and %rcx, %r11\n"
	"	jnz 4f\n"
	"3:	lea 8(%rdx), %rcx\n"		/* no NUL before cap: n = cap */
	"	mov %rcx, %rax\n"
	"	jmp 5f\n"
	"4:	bsf %r11, %r11\n"
	"	shr $3, %r11\n"
	"	add %r9, %r11\n"		/* the length */
	"	lea 8(%rdx), %r8\n"
	"	cmp %r8, %r11\n"
	"	jae 3b\n"
	"	lea 1(%r11), %rcx\n"		/* n */
	"	mov %r11, %rax\n"
	"5:	cmp $8, %rcx\n"			/* head and tail of n bytes */
	"	jb 6f\n"
	"	mov (%rsi), %r8\n"
	"	mov -8(%rsi,%rcx), %r9\n"
	"	mov %r8, (%rdi)\n"
	"	mov %r9, -8(%rdi,%rcx)\n"
	"	jmp 8f\n"
	"6:	cmp $4, %ecx\n"
	"	jb 7f\n"
	"	mov (%rsi), %r8d\n"
	"	mov -4(%rsi,%rcx), %r9d\n"
	"	mov %r8d, (%rdi)\n"
	"	mov %r9d, -4(%rdi,%rcx)\n"
	"	jmp 8f\n"
	"7:	test %ecx, %ecx\n"
	"	jz 8f\n"
	"	movzbl (%rsi), %r8d\n"
	"	mov %r8b, (%rdi)\n"
	"	cmp $2, %ecx\n"
	"	jb 8f\n"
	"	movzwl -2(%rsi,%rcx), %r9d\n"
	"	mov %r9w, -2(%rdi,%rcx)\n"
	"8:	cmp %rax, %rcx\n"
	"	je 9f\n"
	"	movb $0, (%rdi,%rax)\n"	/* the NUL seen, whatever a re-read saw */
	"9:	ret\n"
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
