// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * preload/shim_gate.c - The shim's own syscall instruction, and SUD
 *
 * DOC: The gate
 *
 * Every syscall the shim makes on the program's behalf goes through
 * shim_gate(), which lives alone in the "facet_gate" section.  While the
 * raw catch is on (Syscall User Dispatch allowing only libc's text), the
 * gate opens the thread's selector around its syscall instruction; in trap
 * mode the dispatch range is the gate itself.  The previous selector value
 * is restored, so the gate nests inside the SIGSYS handler.
 *
 * While the raw catch is armed the gate does not open the selector: it
 * jumps to a "syscall; ret" found in libc's text (shim_gate_find_libc()),
 * inside the allowed range, where the kernel lets the call through without
 * reading the selector at all.  That saves the kernel's user-memory read
 * of the selector and two TLS writes on every call the shim makes.
 *
 * In the combined mode (shim.supervised) every call the shim makes goes
 * through the gate page instead, at SHIM_GATE_PAGE in every image, whose
 * calls the supervisor's seccomp filter lets through; trap mode's
 * dispatch range is then that page.
 */
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#include "shim.h"
#include "../core/procfs.h"

_Static_assert(offsetof(struct shim_state, libc_syscall) == 0,
	       "shim_gate_libc jumps through the first word of shim");

#ifndef PR_SET_SYSCALL_USER_DISPATCH
#define PR_SET_SYSCALL_USER_DISPATCH	59
#define PR_SYS_DISPATCH_OFF		0
#define PR_SYS_DISPATCH_ON		1
#endif

__thread struct shim_thread shim_tls __attribute__((tls_model("initial-exec")));

extern const char __start_facet_gate[], __stop_facet_gate[];

/*
 * shim_gate_libc(nr, a0..a5): the syscall, made by libc's instruction;
 * its "ret" returns to our caller.  shim.libc_syscall is the first field
 * of "shim".
 */
__asm__(".pushsection .text.hot,\"ax\",@progbits\n"
	".globl shim_gate_libc\n"
	".hidden shim_gate_libc\n"
	".type shim_gate_libc,@function\n"
	"shim_gate_libc:\n"
	"\tmov %rdi, %rax\n"
	"\tmov %rsi, %rdi\n"
	"\tmov %rdx, %rsi\n"
	"\tmov %rcx, %rdx\n"
	"\tmov %r8, %r10\n"
	"\tmov %r9, %r8\n"
	"\tmov 8(%rsp), %r9\n"
	"\tjmp *shim(%rip)\n"
	".popsection\n");

/*
 * Find "syscall; ret" (0f 05 c3) in libc's text: in the first bytes of
 * libc's getppid (glibc on x86_64: mov $nr,%eax; syscall; ret), which is
 * all one page; scanning the whole text would fault it into every image.
 */
SHIM_COLD void shim_gate_find_libc(uintptr_t lo, size_t len)
{
	const unsigned char *p = shim_next("getppid");
	int i;

	if ((uintptr_t)p < lo || (uintptr_t)p + 32 > lo + len)
		return;
	for (i = 0; i < 29; i++)
		if (p[i] == 0x0f && p[i + 1] == 0x05 && p[i + 2] == 0xc3) {
			shim.libc_syscall = p + i;
			return;
		}
}

/**
 * shim_gate() - Make syscall @nr, bypassing libc and the dispatch
 *
 * Return: the raw result, -errno on failure
 */
__attribute__((section("facet_gate"), noinline))
long shim_gate(long nr, long a0, long a1, long a2, long a3, long a4, long a5)
{
	register long r10 __asm__("r10") = a3;
	register long r8 __asm__("r8") = a4;
	register long r9 __asm__("r9") = a5;
	unsigned char prev;
	long ret;

	if (__builtin_expect(shim_tls.armed == 1, 1) && shim.libc_syscall)
		return shim_gate_libc(nr, a0, a1, a2, a3, a4, a5);
	prev = shim_sel;
	shim_sel = SYSCALL_DISPATCH_FILTER_ALLOW;
	if (shim.supervised)	/* shim.libc_syscall is NULL then */
		ret = shim_gate_libc_call((const void *)(SHIM_GATE_PAGE +
							 SHIM_GATE_SYSCALL),
					  nr, a0, a1, a2, a3, a4, a5);
	else
		__asm__ volatile("syscall"
				 : "=a"(ret)
				 : "a"(nr), "D"(a0), "S"(a1), "d"(a2),
				   "r"(r10), "r"(r8), "r"(r9)
				 : "rcx", "r11", "memory");
	shim_sel = prev;
	return ret;
}

/* The gate's address range, allowed in trap mode */
void shim_gate_range(uintptr_t *lo, size_t *len)
{
	if (shim.supervised) {
		*lo = SHIM_GATE_PAGE;
		*len = 4096;
		return;
	}
	*lo = (uintptr_t)__start_facet_gate;
	*len = (size_t)(__stop_facet_gate - __start_facet_gate);
}

/**
 * shim_gate_page_map() - Map the combined mode's gate page
 *
 * "syscall; ret" at SHIM_GATE_SYSCALL and "mov $15, %eax; syscall" (the
 * trap-mode sigreturn) at SHIM_GATE_SIGRETURN, read-only and executable.
 * A fork child inherits it; each new image maps it again.
 *
 * Return: 0, or -errno (the address is taken: the caller runs without)
 */
SHIM_COLD int shim_gate_page_map(void)
{
	static const unsigned char code[] = {
		[SHIM_GATE_SYSCALL] = 0x0f, 0x05, 0xc3,
		[SHIM_GATE_SIGRETURN] = 0xb8, 0x0f, 0x00, 0x00, 0x00,
					0x0f, 0x05, 0xf4,
	};
	void *p;

	p = (void *)shim_gate(SYS_mmap, (long)SHIM_GATE_PAGE, 4096,
			      PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS |
			      MAP_FIXED_NOREPLACE, -1, 0);
	if ((unsigned long)p > -4096UL)
		return (int)(long)p;
	if (p != (void *)SHIM_GATE_PAGE) {	/* a kernel before 4.17 */
		shim_gate(SYS_munmap, (long)p, 4096, 0, 0, 0, 0);
		return -EEXIST;
	}
	memcpy(p, code, sizeof(code));
	if (shim_gate(SYS_mprotect, (long)p, 4096, PROT_READ | PROT_EXEC, 0,
		      0, 0) < 0) {
		shim_gate(SYS_munmap, (long)p, 4096, 0, 0, 0, 0);
		return -EPERM;
	}
	return 0;
}

/**
 * shim_gate_page_shut() - Are calls from the gate page refused here?
 *
 * A program without the shim up the process tree had the supervisor shut
 * the page (ptracer/tracer_gate.c): calls from it fail with EPERM.  The
 * page is then taken away again.
 *
 * Return: 1 if so
 */
SHIM_COLD int shim_gate_page_shut(void)
{
	if (shim_gate_libc_call((const void *)(SHIM_GATE_PAGE +
					       SHIM_GATE_SYSCALL),
				SYS_getpid, 0, 0, 0, 0, 0, 0) != -EPERM)
		return 0;
	shim_gate(SYS_munmap, (long)SHIM_GATE_PAGE, 4096, 0, 0, 0, 0);
	return 1;
}

/**
 * shim_sud_arm() - Set this thread's Syscall User Dispatch
 * @mode:	0 off, 1 raw catch (libc allowed), 2 trap mode (gate only)
 *
 * Return: 0 or -errno
 */
SHIM_HOT int shim_sud_arm(int mode)
{
	uintptr_t lo = 0;
	size_t len = 0;
	long ret;

	if (mode == shim_tls.armed)
		return 0;
	if (mode == 0) {
		ret = shim_gate(SYS_prctl, PR_SET_SYSCALL_USER_DISPATCH,
				PR_SYS_DISPATCH_OFF, 0, 0, 0, 0);
	} else {
		if (mode == 1) {
			lo = shim.libc_lo;
			len = shim.libc_len;
		} else {
			shim_gate_range(&lo, &len);
		}
		shim_sel = SYSCALL_DISPATCH_FILTER_BLOCK;
		ret = shim_gate(SYS_prctl, PR_SET_SYSCALL_USER_DISPATCH,
				PR_SYS_DISPATCH_ON, (long)lo, (long)len,
				(long)&shim_sel, 0);
	}
	if (ret < 0) {
		shim_sel = SYSCALL_DISPATCH_FILTER_ALLOW;
		return (int)ret;
	}
	shim_tls.armed = mode;
	return 0;
}

/* shim_gettid() the first time in a thread */
pid_t shim_gettid_fetch(void)
{
	shim_tls.tid = (pid_t)shim_gate0(SYS_gettid);
	return shim_tls.tid;
}

/* shim_proc_tid_of() the first time in a thread: /proc's ids of it */
void shim_proc_ids_fetch(struct shim_thread *t)
{
	char link[48];
	long n;

	t->ns_pid = (pid_t)shim_gate0(SYS_getpid);
	n = shim_gate(SYS_readlinkat, AT_FDCWD, (long)"/proc/thread-self",
		      (long)link, sizeof(link), 0, 0);
	if (n > 0 && facet_procfs_parse_thread_self(link, n, &t->proc_pid,
						    &t->proc_tid) == 0)
		return;
	/* no /proc: the namespace's own ids, the best there is */
	t->proc_pid = t->ns_pid;
	t->proc_tid = shim_gettid_of(t);
}
