// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * preload/shim_inner.c - libc's own opens (and in the combined mode its
 * stats and posix_spawn()'s execve) go to the shim
 *
 * DOC: libc's inner entry points under the supervisor
 *
 * setlocale(), gettext(), iconv, stdio and opendir() open and stat files
 * through glibc's internal entry points (__open_nocancel, the hidden
 * aliases of open64 and fstatat64), which no symbol interposition reaches.
 * Under plain preload trap mode catches them.  Under the supervisor a
 * SIGSYS is a ptrace stop, so there they run natively and each call a
 * module wants is a seccomp notification: of a `make -j2` of 41 files
 * about 2,300 of 4,500, mostly setlocale()'s locale files (some 13 opens
 * and 13 fstats in every image) and stdio's fstat of each stream.
 *
 * So in the combined mode the shim overwrites the first bytes of those
 * three functions (and of execve, below) in its process's libc with a
 * jump to its own, which make the syscall the function would make
 * (openat(AT_FDCWD, ...), newfstatat) through shim_syscall6(): a call a
 * module wants goes through the chain in-process, the rest leaves from
 * the gate page, as the program's own calls do.  fstat(), stat() and
 * lstat() jump into fstatat64, so they follow.  The replaced functions
 * are never run again (nothing is copied or relocated); the shim's
 * wrappers that hand an unwanted call to libc's function reach the
 * replacement, which makes it.
 *
 * Only where it is safe: glibc (the versioned symbols are found, in the
 * libc ld.so loaded), one thread (nothing can be running the bytes being
 * written), and only functions whose syscall a module wants; otherwise
 * the functions stay as they are and their calls reach the supervisor as
 * before.  The jump is 5 bytes (14 with the shim more than 2 GB away);
 * the shortest, execve, is 33 in glibc 2.36 (each is a syscall and its
 * errno path, or more, in every version since 2.33).  Their lengths are
 * not looked up: dladdr1() scans libc's whole symbol table, 60 us for
 * three in every image.  The span written is made writable once; the
 * pages written stop being shared with other processes (copy-on-write:
 * three or four pages per image).
 *
 * open64() is a cancellation point in glibc and its replacement is not,
 * as the shim's own open() wrapper is not for a call a module wants.
 *
 * Under preload alone __open_nocancel is replaced too.  Outside trap mode
 * the files libc reads for itself through it were the host's, not the
 * view's: tzset()'s /etc/localtime (a --root guest's time zone was the
 * host's), setlocale()'s, iconv's, the stdio streams libc opens with
 * fopen(..., "rce").  open64 and fstatat64 stay: the shim's fast wrappers
 * hand the calls their modules let through to them, and the chain would
 * run a second time.
 */
#include <dlfcn.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "../core/log.h"
#include "shim.h"

/* __open_nocancel() and open64(): open(2) as openat(AT_FDCWD, ...) */
static int inner_open(const char *path, int flags, unsigned int mode)
{
	long ret = shim_syscall6(SYS_openat, AT_FDCWD, (long)path, flags,
				 shim_open_needs_mode(flags) ? (long)mode : 0, 0,
				 0);

	/* what the SIGSYS handler tells of an open in trap mode */
	if (shim_tls.trap && ret >= 0)
		shim_locale_opened(path);
	return (int)shim_ret(ret);
}

/* fstatat64(), which fstat(), stat() and lstat() jump into */
static int inner_fstatat(int dirfd, const char *path, struct stat *st,
			 int flags)
{
	return (int)shim_ret(shim_syscall6(SYS_newfstatat, dirfd, (long)path,
					   (long)st, flags, 0, 0));
}

/* Set when libc's execve is replaced: see shim_spawn.c */
int shim_inner_exec SHIM_DATA;

/*
 * execve(), which posix_spawn()'s child calls inside libc (as do
 * system(), popen() and wordexp() through it).  The shim's posix_spawn()
 * has run the modules on the exec already, in the parent: the child makes
 * it from the gate page as it is (the supervisor would translate the
 * translated path a second time).  Every other caller's goes through
 * libc's syscall(), to the supervisor, as before: the child of a
 * posix_spawn() inside libc runs on a small stack of libc's (32 kB and
 * its arguments) where the shim's own exec, which copies the environment
 * onto the stack, could overflow it.
 */
static int inner_execve(const char *path, char *const argv[],
			char *const envp[])
{
	struct shim_thread *t = shim_here();

	/* once: a second exec of the child (a fallback of libc's) has not
	 * been through the modules */
	if (t->spawn_exec) {
		t->spawn_exec = 0;
		return (int)shim_ret(shim_gate3(SYS_execve, path, argv, envp));
	}
	return (int)shim_syscall_libc(SYS_execve, (long)path, (long)argv,
				      (long)envp, 0, 0, 0);
}

/**
 * struct inner_entry - One libc function replaced
 * @name:	Its symbol
 * @version:	The symbol's version in glibc
 * @nr:		The syscall it makes: replaced only when a module wants it
 * @to:		The shim's function
 * @preload:	Replaced under preload alone too: no fast wrapper of the
 *		shim hands calls to it (a wrapper whose modules let a call
 *		through makes it with libc's function: replaced, the chain
 *		would run twice)
 */
struct inner_entry {
	const char *name;
	const char *version;
	long nr;
	void *to;
	int preload;
};

static const struct inner_entry inner_entries[] = {
	{ "__open_nocancel", "GLIBC_PRIVATE", SYS_openat, (void *)inner_open,
	  1 },
	{ "open64", "GLIBC_2.2.5", SYS_openat, (void *)inner_open, 0 },
	{ "fstatat64", "GLIBC_2.33", SYS_newfstatat, (void *)inner_fstatat,
	  0 },
	{ "execve", "GLIBC_2.2.5", SYS_execve, (void *)inner_execve, 0 },
};

/* The longest jump written: jmp *0(%rip) and the address after it */
#define INNER_JUMP_MAX	14

/**
 * struct inner_patch - A jump to write over a function's first bytes
 * @at:		The function
 * @to:		The shim's
 * @len:	Bytes of @code
 * @code:	The jump
 */
struct inner_patch {
	uintptr_t at;
	uintptr_t to;
	size_t len;
	unsigned char code[INNER_JUMP_MAX];
};

/* The jump from @p->at to @p->to */
static void inner_jump(struct inner_patch *p)
{
	uintptr_t to = p->to;
	long rel = (long)(to - (p->at + 5));

	if (rel == (int)rel) {			/* jmp rel32 */
		int rel32 = (int)rel;

		p->code[0] = 0xe9;
		memcpy(p->code + 1, &rel32, 4);
		p->len = 5;
		return;
	}
	p->code[0] = 0xff;			/* jmp *0(%rip) */
	p->code[1] = 0x25;
	memset(p->code + 2, 0, 4);
	memcpy(p->code + 6, &to, 8);
	p->len = INNER_JUMP_MAX;
}

/*
 * Write the @n jumps of @p into libc's text: one span made writable and
 * back (the functions lie within a few pages).  Return: 0 or -errno
 */
static int inner_write(const struct inner_patch *p, size_t n)
{
	uintptr_t lo = UINTPTR_MAX, hi = 0;
	long ret;
	size_t i;

	for (i = 0; i < n; i++) {
		if (p[i].at < lo)
			lo = p[i].at;
		if (p[i].at + p[i].len > hi)
			hi = p[i].at + p[i].len;
	}
	lo &= ~4095UL;
	hi = (hi + 4095) & ~4095UL;
	ret = shim_gate3(SYS_mprotect, lo, hi - lo,
			 PROT_READ | PROT_WRITE | PROT_EXEC);
	if (ret < 0)
		return (int)ret;
	for (i = 0; i < n; i++)
		memcpy((void *)p[i].at, p[i].code, p[i].len);
	ret = shim_gate3(SYS_mprotect, lo, hi - lo, PROT_READ | PROT_EXEC);
	return ret < 0 ? (int)ret : 0;
}

/**
 * shim_inner_reroute() - Send libc's inner opens (and in the combined mode
 * stats and execve) to the shim (see above); once per image, at the end
 * of set-up
 */
SHIM_COLD void shim_inner_reroute(void)
{
	struct inner_patch p[sizeof(inner_entries) / sizeof(inner_entries[0])];
	const struct inner_entry *e;
	size_t i, n = 0;
	int ret;

	if (!shim.libc_len)
		return;
	if (!*shim.single_threaded) {
		log_debug("preload: threads run already: libc's inner calls "
			  "stay the supervisor's");
		return;
	}
	for (i = 0; i < sizeof(inner_entries) / sizeof(inner_entries[0]); i++) {
		e = &inner_entries[i];
		if (!shim.chain.wanted_by[e->nr] ||
		    (!shim.supervised && !e->preload))
			continue;
		p[n].at = (uintptr_t)dlvsym(RTLD_NEXT, e->name, e->version);
		if (!p[n].at || p[n].at - shim.libc_lo >= shim.libc_len)
			continue;
		p[n].to = (uintptr_t)e->to;
		inner_jump(&p[n]);
		n++;
	}
	if (!n)
		return;
	ret = inner_write(p, n);
	if (ret < 0) {
		log_debug("preload: libc's inner calls stay the supervisor's: "
			  "%s", strerror(-ret));
		return;
	}
	for (i = 0; i < n; i++)
		if (p[i].to == (uintptr_t)inner_execve)
			shim_inner_exec = 1;
}
