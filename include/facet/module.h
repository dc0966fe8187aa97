// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * include/facet/module.h - The module API: the only header a module needs
 *
 * DOC: Theory of operation
 *
 * A module virtualizes one resource.  It declares up front which system
 * calls it wants and what it may do to them (struct facet_sysset), then sees
 * one call at a time through struct facet_call and the accessors below.
 * The record is opaque but for its first fields (struct facet_call_head),
 * which the accessors a module calls on nearly every call read inline.
 * The same module source runs in every backend (the ptrace/seccomp
 * supervisor, the LD_PRELOAD shim) and never knows which one it is in.
 *
 * Modules form a chain in command-line order.  On entry each module may
 * rewrite arguments and pass the call on (FACET_CONTINUE), ask to see the
 * result as well (FACET_CONTINUE_EXIT), or finish the call itself
 * (facet_return(), facet_return_fd(), then FACET_DONE).  Exit callbacks run
 * in reverse order, also when an inner module finished the call.
 *
 * Where a module's code runs: in the supervisor process under the ptracer,
 * inside the calling process under preload.  A module that opens files on
 * behalf of the caller therefore uses absolute paths, or paths under
 * /proc/<facet_pid()>/cwd and /proc/<facet_pid()>/fd/N, which mean the same
 * thing in both places.  Callbacks of one module are never run concurrently
 * in the same process.
 */
#ifndef FACET_MODULE_H
#define FACET_MODULE_H

#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Bumped on every incompatible change of this header.  2: the accessors of
 * struct facet_call_head are inline (a module built for 1 calls them as
 * functions, which still exist, but reads no head: refused all the same,
 * so that one number says what a module may assume)
 */
#define FACET_MODULE_ABI	2

/* x86_64 syscall numbers (including the 5xx x32 range) are below this */
#define FACET_NR_MAX		512

struct facet_call;
struct facet_env;

/**
 * enum facet_hook - What a module may do to a system call it wants
 * @FACET_HOOK_ENTER:	Look at the call; pass it on unchanged or finish it
 *			(facet_return(), facet_return_fd(), facet_poke()).
 *			The cheapest kind: the supervisor serves it with a
 *			seccomp user notification, no ptrace stop.
 * @FACET_HOOK_REWRITE:	Change arguments or the syscall number
 *			(facet_set_arg(), facet_set_path()).  Costs a ptrace
 *			stop under the supervisor.
 * @FACET_HOOK_EXIT:	See the kernel's result (exit callback).  Costs a
 *			ptrace stop and a syscall-exit stop.
 */
enum facet_hook {
	FACET_HOOK_ENTER	= 1 << 0,
	FACET_HOOK_REWRITE	= 1 << 1 | FACET_HOOK_ENTER,
	FACET_HOOK_EXIT		= 1 << 2 | FACET_HOOK_ENTER,
};

/**
 * struct facet_sysset - The system calls a module wants, and how
 * @hook:	Bitmask of enum facet_hook per syscall number
 * (the conditions of facet_sysset_rewrite_if() and _only_if() follow)
 *
 * Filled by the module's wants() callback; the union over all modules
 * becomes the seccomp filter.  Syscalls no module wants never stop.
 */
struct facet_sysset {
	uint8_t hook[FACET_NR_MAX];
	/* set by facet_sysset_rewrite_if() and facet_sysset_only_if(); a
	 * mask of 0 means none */
	int8_t cond_arg[FACET_NR_MAX];
	uint8_t cond_only[FACET_NR_MAX];
	uint64_t cond_mask[FACET_NR_MAX];
};

/**
 * enum facet_class - Syscall classes, as in core/syscalls.in
 *
 * The names follow strace's %classes where one exists (%file, %desc,
 * %net, %ipc, %process, %signal, %memory, %creds, %clock, %stat, ...).
 */
enum facet_class {
	FACET_CLASS_FILE	= 1 << 0,	/* takes a path name */
	FACET_CLASS_DESC	= 1 << 1,	/* takes or returns an fd */
	FACET_CLASS_NET		= 1 << 2,	/* sockets */
	FACET_CLASS_IPC		= 1 << 3,	/* SysV and POSIX IPC */
	FACET_CLASS_PROCESS	= 1 << 4,	/* process lifecycle */
	FACET_CLASS_SIGNAL	= 1 << 5,
	FACET_CLASS_MEMORY	= 1 << 6,
	FACET_CLASS_CREDS	= 1 << 7,	/* user and group ids, caps */
	FACET_CLASS_CLOCK	= 1 << 8,	/* reads or sets a clock */
	FACET_CLASS_TIMER	= 1 << 9,	/* sleeps, timers, timeouts */
	FACET_CLASS_STAT	= 1 << 10,	/* stat by path */
	FACET_CLASS_LSTAT	= 1 << 11,	/* stat without following */
	FACET_CLASS_FSTAT	= 1 << 12,	/* stat by fd */
	FACET_CLASS_STATFS	= 1 << 13,
	FACET_CLASS_FSTATFS	= 1 << 14,
	FACET_CLASS_PURE	= 1 << 15,	/* no args, never fail */
	FACET_CLASS_SCHED	= 1 << 16,	/* scheduling, cpus */
	FACET_CLASS_SYSTEM	= 1 << 17,	/* mount, modules, reboot... */
};

/**
 * enum facet_argkind - How a syscall argument or result is to be read
 *
 * Used by core/syscalls.in.  Pointer kinds say which way the data flows:
 * _IN is filled by the caller before the call, _OUT by the kernel.
 */
enum facet_argkind {
	FACET_ARG_NONE = 0,
	FACET_ARG_INT,		/* signed integer */
	FACET_ARG_UINT,		/* unsigned integer */
	FACET_ARG_HEX,		/* unsigned, shown in hex */
	FACET_ARG_OCT,		/* mode bits, shown in octal */
	FACET_ARG_FD,		/* file descriptor */
	FACET_ARG_DIRFD,	/* fd or AT_FDCWD, base of a relative path */
	FACET_ARG_PATH,		/* NUL-terminated path name */
	FACET_ARG_STR,		/* NUL-terminated string */
	FACET_ARG_STRV,		/* NULL-terminated array of strings */
	FACET_ARG_BUF_IN,	/* bytes, length in the next argument */
	FACET_ARG_BUF_OUT,	/* bytes, length is the result */
	FACET_ARG_SIZE,		/* a length */
	FACET_ARG_FLAGS,	/* bit flags, detail names the table */
	FACET_ARG_ENUM,		/* one value, detail names the table */
	FACET_ARG_STRUCT_IN,	/* pointer to struct, detail names it */
	FACET_ARG_STRUCT_OUT,
	FACET_ARG_STRUCT_INOUT,
	FACET_ARG_SOCKADDR_IN,	/* struct sockaddr, length in next arg */
	FACET_ARG_SOCKADDR_OUT,	/* struct sockaddr, length via pointer */
	FACET_ARG_PTR,		/* an address, shown as such */
	FACET_ARG_PID,
	FACET_ARG_UID,
	FACET_ARG_GID,
	FACET_ARG_SIGNAL,	/* signal number */
	FACET_ARG_OFF,		/* file offset */
	FACET_ARG_CLOCKID,
};

/**
 * struct facet_sysarg - One argument (or the result) of a syscall
 * @kind:	enum facet_argkind
 * @detail:	Flag/enum table or struct name for kinds that need one, or NULL
 */
struct facet_sysarg {
	uint8_t kind;
	const char *detail;
};

/**
 * struct facet_syscall - One row of the syscall table (core/syscalls.in)
 * @name:	Name as in <asm/unistd_64.h> without __NR_, NULL if unused
 * @nr:		Syscall number
 * @nargs:	Number of arguments
 * @classes:	enum facet_class bits
 * @arg:	Kinds of the arguments
 * @ret:	Kind of the result
 */
struct facet_syscall {
	const char *name;
	int nr;
	int nargs;
	uint32_t classes;
	struct facet_sysarg arg[6];
	struct facet_sysarg ret;
};

/* Lookup in the built-in table; NULL or -1 when unknown */
const struct facet_syscall *facet_syscall(long nr);
long facet_syscall_nr(const char *name);
/*
 * Does syscall @nr take an argument of @kind?  Reads the table, not the
 * rows facet_syscall() makes: asking it of every number (a module's wants)
 * touches no page but the table's, in every process of a preload view.
 */
int facet_syscall_takes(long nr, enum facet_argkind kind);
/* Constant name of a flag or enum value of table @table, NULL if none */
const char *facet_xlat_name(const char *table, unsigned long value);

/* Add syscalls to a set; hooks are enum facet_hook bits, or-ed in */
void facet_sysset_add(struct facet_sysset *set, long nr, unsigned hooks);
int facet_sysset_add_name(struct facet_sysset *set, const char *name,
			  unsigned hooks);
void facet_sysset_add_class(struct facet_sysset *set, uint32_t classes,
			    unsigned hooks);

/**
 * facet_sysset_rewrite_if() - Only some calls of @nr need a rewrite
 * @nr:		A syscall the module wants with FACET_HOOK_REWRITE
 * @arg:	Index (0..5) of the argument holding flags
 * @mask:	Flag bits: a call with any of them set is rewritable (a
 *		ptrace stop under the supervisor); the others are served
 *		as FACET_HOOK_ENTER (a notification: facet_set_arg() fails
 *		with -ENOTSUP, see facet_can_rewrite())
 *
 * For a module that can finish most calls of a syscall itself.  Has no
 * effect when another module wants @nr rewritten or its result
 * unconditionally.
 */
void facet_sysset_rewrite_if(struct facet_sysset *set, long nr, int arg,
			     uint64_t mask);

/**
 * facet_sysset_only_if() - Only some calls of @nr are wanted at all
 *
 * Like facet_sysset_rewrite_if(), but the calls with none of the bits of
 * @mask set in argument @arg are not intercepted at all (under the
 * supervisor; the preload backend may still show them).  A mask of all
 * ones means "the argument is not 0" (a pointer that was given).
 */
void facet_sysset_only_if(struct facet_sysset *set, long nr, int arg,
			  uint64_t mask);

/**
 * facet_sysset_pass_if_zero() - Calls of @nr whose argument @arg is 0 need
 *				 nothing from this module
 *
 * facet_sysset_only_if() with a mask of all ones: for a timeout that is
 * NULL, say (such calls then pass the ptracer's filter without a stop).
 */
void facet_sysset_pass_if_zero(struct facet_sysset *set, long nr, int arg);

/* --- One intercepted call ------------------------------------------------ */

/**
 * struct facet_call_head - The public start of every call record
 * @nr:		Syscall number (possibly rewritten by an outer module)
 * @args:	Its six arguments (possibly rewritten)
 * @result:	The result: set by a module (facet_return()), or the
 *		kernel's in exit()
 * @tid:	The calling thread
 * @flags:	FACET_CALL_REWRITABLE, FACET_CALL_FINISHED; the other bits
 *		are the backend's
 *
 * Every backend's struct facet_call starts with these fields, so that the
 * accessors below are inline: a module reads a call's number and
 * arguments without a call back into the backend (under preload that was
 * a PLT call into the shim per accessor, on every intercepted call).
 * Part of the module ABI: a change here bumps FACET_MODULE_ABI.  A module
 * reads the head only through the accessors; the rest of the record is
 * the backend's.
 */
struct facet_call_head {
	long nr;
	long args[6];
	long result;
	pid_t tid;
	unsigned flags;
};

/* struct facet_call_head.flags bits a module may see */
#define FACET_CALL_REWRITABLE	(1u << 0) /* arguments may be changed */
#define FACET_CALL_FINISHED	(1u << 1) /* a module set the result */

/*
 * The inline accessors are also exported as functions (for modules written
 * in other languages, and for modules built for ABI 1): the one file that
 * defines those defines FACET_ACCESSOR first.
 */
#ifndef FACET_ACCESSOR
#define FACET_ACCESSOR	static inline
#endif

/* The head of @call (its first member, at the record's address) */
static inline const struct facet_call_head *
facet_head(const struct facet_call *call)
{
	return (const struct facet_call_head *)(const void *)call;
}

static inline struct facet_call_head *facet_head_mut(struct facet_call *call)
{
	return (struct facet_call_head *)(void *)call;
}

FACET_ACCESSOR long facet_nr(const struct facet_call *call)
{
	return facet_head(call)->nr;
}

/* The calling thread */
FACET_ACCESSOR pid_t facet_tid(const struct facet_call *call)
{
	return facet_head(call)->tid;
}

/* Argument @i (0..5); 0 for any other index */
FACET_ACCESSOR long facet_arg(const struct facet_call *call, int i)
{
	if ((unsigned)i > 5)
		return 0;
	return facet_head(call)->args[i];
}

pid_t facet_pid(const struct facet_call *call);	/* process (tgid) */

/**
 * facet_set_arg() - Replace argument @i (0..5) before the kernel sees it
 *
 * Needs FACET_HOOK_REWRITE for this syscall.  Setting index -1 changes the
 * syscall number.
 *
 * Return: 0, or -ENOTSUP when the call was not hooked for rewriting
 */
int facet_set_arg(struct facet_call *call, int i, long value);

/* May this call's arguments be changed (facet_set_arg() & co.)? */
FACET_ACCESSOR int facet_can_rewrite(const struct facet_call *call)
{
	return !!(facet_head(call)->flags & FACET_CALL_REWRITABLE);
}

/**
 * facet_args_stable() - Does the kernel read what the module read?
 *
 * A call that goes on unchanged makes the kernel read its strings and
 * buffers from the caller's memory again.  Where another thread or
 * process may write that memory meanwhile, what the module checked is not
 * what the kernel acts on (a race that can escape a view).  A module whose
 * verdict depends on a string it peeked then passes its own copy
 * (facet_set_path()) or finishes the call itself.
 *
 * The same holds for the directory a relative path starts from: another
 * thread, or a process sharing the cwd or the fd table, may move the cwd
 * or put another directory on the dirfd's number before the kernel walks
 * the path.
 *
 * Return: 1 if nothing else can write the caller's memory, move its cwd or
 * change its fds before the kernel reads them (the supervisor tracks
 * threads, shared address spaces, cwds and fd tables, and shared
 * mappings), 0 if it may (always under preload, where the copy costs
 * nothing)
 */
int facet_args_stable(const struct facet_call *call);

/**
 * facet_instruction_pointer() - Where the caller is: the address after
 *				 its syscall instruction
 *
 * At entry, the call's; in exit(), at the call's end (an execve's is in
 * its new image).  For a tracer's strace -i.
 *
 * Return: the address, or 0 where the backend does not know it (the
 * preload shim: a call libc makes inside a function the shim interposes
 * has none of its own)
 */
uint64_t facet_instruction_pointer(const struct facet_call *call);

/**
 * facet_open_no_symlinks() - Have an open(2)/openat(2) walk no symlink
 *
 * The backend makes the call, once every module has seen it, as
 * openat2() with RESOLVE_NO_SYMLINKS: a symlink on the way fails it with
 * ELOOP.  For a module that resolved the path itself to one without
 * symlinks: one there now was put there since (another process swapped
 * it for a directory), and following it could reach what the module
 * keeps out of sight.  A call whose flags openat2() refuses is made as
 * it was.
 *
 * Return: 0; -ENOTSUP where the backend cannot (the ptracer at a
 * notification: the call is made as it is), -EINVAL for another call
 */
int facet_open_no_symlinks(struct facet_call *call);

/* Copy caller memory; return bytes copied or -errno */
ssize_t facet_peek(struct facet_call *call, void *dst, uintptr_t addr,
		   size_t len);
ssize_t facet_poke(struct facet_call *call, uintptr_t addr, const void *src,
		   size_t len);

/**
 * facet_peek_str() - Copy a NUL-terminated string from the caller
 * @cap:	Size of @dst; the copy is always terminated
 *
 * Return: length without the NUL, -ENAMETOOLONG if it did not fit, -EFAULT
 */
ssize_t facet_peek_str(struct facet_call *call, char *dst, uintptr_t addr,
		       size_t cap);

/**
 * facet_set_path() - Replace path argument @i with @path
 *
 * The string is placed in the caller's memory (below the stack's red zone
 * under the supervisor) for the duration of the call.  Several paths may be
 * set on one call.  Needs FACET_HOOK_REWRITE.
 *
 * Return: 0 or -errno
 */
int facet_set_path(struct facet_call *call, int i, const char *path);

/**
 * facet_set_arg_buf() - Point argument @i at a copy of @len bytes of @data
 *
 * Like facet_set_path() for binary data (a timespec, a sockaddr): the copy
 * lives in the caller's memory for the duration of the call.  Needs
 * FACET_HOOK_REWRITE.
 *
 * Return: 0 or -errno
 */
int facet_set_arg_buf(struct facet_call *call, int i, const void *data,
		      size_t len);

/* Finish the call without the kernel: @value is the result, -errno fails */
FACET_ACCESSOR void facet_return(struct facet_call *call, long value)
{
	facet_head_mut(call)->result = value;
	facet_head_mut(call)->flags |= FACET_CALL_FINISHED;
}

/**
 * facet_return_fd() - Finish the call by handing the caller an open file
 * @local_fd:	An fd of the module's own process; consumed (closed or
 *		handed over) in every case.  Its FD_CLOEXEC flag is kept.
 *
 * Return: the fd number in the caller (also the call's result), or -errno
 */
int facet_return_fd(struct facet_call *call, int local_fd);

/**
 * facet_return_open() - Finish the call with the fd of open(@path, @flags)
 *
 * For files whose open may block (a FIFO waiting for its other end, a
 * device): the backend opens @path on the caller's behalf without holding
 * up other calls, and the caller gets the fd (or the open's error) when
 * the open returns.  @flags as for open(2), without O_CREAT.
 *
 * Return: 0 when the call is taken care of (the result comes later), or
 * -errno
 */
int facet_return_open(struct facet_call *call, const char *path, int flags);

/**
 * facet_replace_fd() - Put an open file at a given fd number of the caller
 * @local_fd:	An fd of the module's own process; consumed (closed or
 *		handed over) in every case.  Its FD_CLOEXEC flag is given to
 *		@target.
 * @target:	The caller's fd number; whatever was there is closed, as
 *		dup2() does
 *
 * Unlike facet_return_fd() this does not finish the call: the module may
 * pass it on (the kernel then works on the new file at @target) or finish
 * it with facet_return().  Under the supervisor it needs a call served by
 * a seccomp notification, that is one that every module wants with
 * FACET_HOOK_ENTER only (SECCOMP_ADDFD_FLAG_SETFD); under preload it is
 * dup3().
 *
 * Return: 0, -ENOTSUP when the call is at a ptrace stop, or -errno
 */
int facet_replace_fd(struct facet_call *call, int local_fd, int target);

/* In exit(): what the kernel (or an inner module) returned */
FACET_ACCESSOR long facet_result(const struct facet_call *call)
{
	return facet_head(call)->result;
}

/* In exit(): change what the caller gets */
FACET_ACCESSOR void facet_set_result(struct facet_call *call, long value)
{
	facet_head_mut(call)->result = value;
}

/* Was the call finished by a module rather than the kernel? */
FACET_ACCESSOR int facet_finished(const struct facet_call *call)
{
	return !!(facet_head(call)->flags & FACET_CALL_FINISHED);
}

/**
 * facet_scratch() - 64 bytes private to this module and this call
 *
 * Zeroed at entry, kept until exit: for state carried from enter to exit.
 */
void *facet_scratch(struct facet_call *call);
#define FACET_SCRATCH_SIZE	64

/* --- The environment a module starts in ---------------------------------- */

/* "ptrace" or "preload" */
const char *facet_env_backend(const struct facet_env *env);

/**
 * facet_env_shared() - Memory shared by every process of the view
 * @key:	Name of the region, unique per module ("vtime")
 * @size:	Size in bytes
 *
 * The same region is returned to the same module in every process of the
 * view, including ones started later; zero-filled when first created.
 *
 * Return: pointer, or NULL on failure
 */
void *facet_env_shared(struct facet_env *env, const char *key, size_t size);

/* Ask the backend to hide the vDSO from new images (clock calls then trap) */
void facet_env_hide_vdso(struct facet_env *env);

/**
 * facet_env_catch_all() - Ask an in-process backend to catch every syscall
 * @env:	The environment start() got
 *
 * The preload shim normally lets the syscalls libc makes inside its own
 * functions through (it sees them at the libc functions it interposes).
 * A module that must see every call a process makes, whichever way it is
 * made (vtrace), asks for this: every syscall instruction outside the
 * shim's gate then traps (Syscall User Dispatch), wanted or not, and the
 * process's end is delivered at its exit_group() (FACET_PROC_EXIT, then
 * stop()) rather than at exit()'s destructors, so the calls exit() makes
 * after the destructors are seen too.  No effect under the supervisor.
 */
void facet_env_catch_all(struct facet_env *env);

/**
 * typedef facet_clock_fn - A lock-free reader of the view's clocks
 * @self:	The module's private state
 * @clk:	Clock id, as the program passed it
 * @ts:		Filled with what @clk reads in the view
 *
 * Return: 0 with @ts filled; 1 if the module leaves @clk alone (the
 * backend then reads the real clock)
 */
typedef int (*facet_clock_fn)(void *self, clockid_t clk, struct timespec *ts);

/**
 * facet_env_clock() - Offer a fast path for clock reads
 * @env:	The environment start() got
 * @read:	The reader
 *
 * A backend that runs in the calling process (preload) may then answer
 * clock_gettime(), gettimeofday() and time() by calling @read, without
 * building a call or running the chain, as long as no other module wants
 * those syscalls; the module's enter() still sees every other way in (raw
 * syscalls, the ptracer).  @read runs in any thread, in signal handlers
 * and concurrently with the module's callbacks: it must take no lock,
 * allocate nothing, and read the real clocks through libc (the vDSO).
 */
void facet_env_clock(struct facet_env *env, facet_clock_fn read);

/**
 * typedef facet_listing_fn - Does the module need to see the listing of
 * the directory open on @fd?
 *
 * Return: 1 if getdents64 on @fd must reach the module, 0 if not
 */
typedef int (*facet_listing_fn)(void *self, int fd);

/**
 * facet_env_listing() - Say which directory listings the module needs
 * @env:	The environment start() got
 * @wanted:	Asked about a directory stream's fd
 *
 * A backend that runs in the calling process (preload) sees the
 * getdents64 calls readdir() makes inside libc only in trap mode, which
 * costs two prctl() per readdir() call.  With @wanted it asks once per
 * directory stream (at its first readdir()) and lets the streams @wanted
 * says 0 for read natively, as long as no other module wants getdents64.
 * getdents64 made any other way (raw, through the getdents64() wrapper,
 * the ptracer) still reaches enter().  @wanted runs like a callback (never
 * concurrently with the module's others).
 */
void facet_env_listing(struct facet_env *env, facet_listing_fn wanted);

/**
 * typedef facet_realpath_fn - realpath(3) of @path in the module's view
 * @out:	Set to the canonical path (PATH_MAX bytes)
 *
 * Return: 0 with @out set, -errno for realpath() to fail with, or 1 if
 * the module leaves this one to the usual way
 */
typedef int (*facet_realpath_fn)(void *self, const char *path, char *out);

/**
 * facet_env_realpath() - Answer realpath() for the view
 * @env:	The environment start() got
 * @resolve:	The module's own resolution
 *
 * realpath() makes a readlink per path component inside libc; a backend
 * that runs in the calling process (preload) sees them only in trap mode
 * (a SIGSYS each).  A module that translates every path can answer the
 * whole call instead: the preload shim calls @resolve for realpath() and
 * canonicalize_file_name() when the offering module is the only one that
 * wants the syscalls realpath() makes (readlink, newfstatat, getcwd).
 * @resolve runs like a callback (never concurrently with the module's
 * others).
 */
void facet_env_realpath(struct facet_env *env, facet_realpath_fn resolve);

/**
 * typedef facet_touches_fn - Does the module change or need to see calls
 * on paths at or below @prefix?
 * @prefix:	An absolute, normalized path (a directory or a file)
 *
 * Return: 0 if every call whose path is @prefix or lies below it (as the
 * kernel would resolve it, symlinks and all) would go to the kernel
 * unchanged and the module has no need to see it; 1 if it may change
 * such a call, wants to see it (a tracer), or cannot tell
 */
typedef int (*facet_touches_fn)(void *self, const char *prefix);

/**
 * facet_env_touches() - Say which file system trees the module leaves alone
 * @env:	The environment start() got
 * @touches:	Asked about a tree
 *
 * A backend that runs in the calling process (preload) sees the files
 * libc opens inside setlocale() and newlocale() (locales, the locale
 * alias file, iconv's module cache) only in trap mode, a SIGSYS for each
 * of the dozens of calls every program makes at start.  It asks each
 * module that wants one of those syscalls about the trees involved, and
 * lets libc make the calls natively when every one of them answers 0.
 * A module that does not offer @touches counts as answering 1, as does
 * any module under facet_env_catch_all().  @touches runs like a callback
 * (never concurrently with the module's others).
 */
void facet_env_touches(struct facet_env *env, facet_touches_fn touches);

/**
 * facet_env_first() - True in the view's first start(), false after exec
 *
 * Lets a module set up shared state once (in preload every new image runs
 * start() again).
 */
int facet_env_first(const struct facet_env *env);

/* --- Errors and logging --------------------------------------------------- */

/**
 * struct facet_err - An error message for the user
 * @msg:	One line naming what was wrong and how to fix it
 */
struct facet_err {
	char msg[512];
};

int facet_err_set(struct facet_err *err, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

enum facet_loglevel {
	FACET_LOG_ERROR = 3,
	FACET_LOG_WARNING = 4,
	FACET_LOG_INFO = 6,
	FACET_LOG_DEBUG = 7,
};

void facet_logmsg(int level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int facet_log_enabled(int level);

/**
 * facet_fail_late() - A module met an error after start() and logged it
 *		       (an output it can no longer write): facet exits with
 *		       125 when the command ends, not with its status
 */
void facet_fail_late(void);

/**
 * facet_signal_program_handler() - The handler a program gave for @sig,
 *				    where the backend installed its own in
 *				    front of it (the preload shim's
 *				    trampoline, docs/preload.md)
 * @sig:	Signal
 * @handler:	The handler the kernel has or is given for @sig
 * @old:	@handler is the kernel's previous action (rt_sigaction's
 *		third argument), not the one being installed
 * @program:	Filled: the program's handler
 * @siginfo:	Filled: whether the program asked for SA_SIGINFO (the
 *		trampoline always does)
 *
 * For a tracer that shows the program's call rather than the kernel's.
 *
 * Return: 1 if @handler is the backend's and the outputs are filled, else
 * 0 (always, outside the preload shim)
 */
int facet_signal_program_handler(int sig, unsigned long handler, int old,
				 unsigned long *program, int *siginfo);

/* --- The module ----------------------------------------------------------- */

/**
 * enum facet_verdict - What enter() decided
 * @FACET_CONTINUE:	Pass the call on down the chain (to the kernel)
 * @FACET_CONTINUE_EXIT: Pass it on and call exit() with the result
 * @FACET_DONE:		The module finished the call (facet_return*());
 *			inner modules and the kernel do not see it
 */
enum facet_verdict {
	FACET_CONTINUE,
	FACET_CONTINUE_EXIT,
	FACET_DONE,
};

/**
 * enum facet_proc_event - Process lifecycle events
 * @FACET_PROC_FORK:	@pid is new, @other is its parent
 * @FACET_PROC_EXEC:	@pid ran a new image (@other: former tid, usually pid)
 * @FACET_PROC_EXIT:	@pid ended, @other is its wait status
 * @FACET_PROC_THREAD:	A new thread in process @pid; @other is its tid
 * @FACET_PROC_THREAD_EXIT: A thread of process @pid (not its leader) ended;
 *			@other points to a struct facet_thread_exit
 * @FACET_PROC_SIGNAL:	A signal is about to be delivered to a thread of
 *			process @pid (or is ignored there); @other points
 *			to a struct facet_signal
 * @FACET_PROC_KILLED:	Under preload, in facet's own instance: process
 *			@pid of the view, which could not say so itself,
 *			was ended by a signal; @other is its wait status.
 *			Only for the processes facet reaps (the command,
 *			and orphans of the view)

 * @FACET_PROC_STOPPED:	A thread of process @pid stopped with the rest of
 *			its process (a group-stop: SIGSTOP, SIGTSTP...);
 *			@other points to a struct facet_signal whose @info
 *			has only si_signo, the stop signal, set
 * @FACET_PROC_ATTACH:	Thread @other of process @pid, which was running
 *			already, is traced from now on (facet trace -p)
 * @FACET_PROC_DETACH:	Thread @other of process @pid is traced no more: it
 *			runs on untraced (facet trace -p, at its end)
 *
 * The thread and signal events come only from the ptrace backend (the
 * preload shim cannot see deliveries from inside the process); a module
 * ignores events it does not know, so new ones may be added.
 */
enum facet_proc_event {
	FACET_PROC_FORK,
	FACET_PROC_EXEC,
	FACET_PROC_EXIT,
	FACET_PROC_THREAD,
	FACET_PROC_THREAD_EXIT,
	FACET_PROC_SIGNAL,
	FACET_PROC_KILLED,
	FACET_PROC_STOPPED,
	FACET_PROC_ATTACH,
	FACET_PROC_DETACH,
};

/**
 * struct facet_thread_exit - What FACET_PROC_THREAD_EXIT points to
 * @tid:	The thread
 * @status:	Its wait status
 */
struct facet_thread_exit {
	pid_t tid;
	int status;
};

/**
 * struct facet_signal - What FACET_PROC_SIGNAL points to
 * @tid:	Thread the signal is delivered to
 * @info:	The kernel's siginfo_t for it (si_signo, si_code, si_pid...),
 *		valid during the callback; a module must not change it
 */
struct facet_signal {
	pid_t tid;
	const siginfo_t *info;
};

/**
 * struct facet_option - One option a module understands, for `facet modules`
 * @key:	Option name ("bind")
 * @arg:	What the value looks like ("HOST[:GUEST]"), NULL for a switch
 * @help:	One line
 */
struct facet_option {
	const char *key, *arg, *help;
};

/**
 * struct facet_module - A module: one per resource
 * @abi:	FACET_MODULE_ABI, checked when the module is loaded
 * @name:	Short name ("vfs"), used with -m and in messages
 * @summary:	One line for `facet modules`
 * @options:	Options understood, ended by an entry with key NULL
 * @self_size:	Size of the module's private state, zeroed before option()
 * @option:	Called once per key=value, in command-line order.  Return 0 or
 *		-errno with @err filled in.  May be NULL.
 * @start:	After all options, before the command runs.  Return 0 or
 *		-errno with @err filled in.  May be NULL.
 * @wants:	Fill in the syscalls to intercept.  Called after start().
 * @enter:	A wanted syscall is being made.  May be NULL.
 * @exit:	The result of a call whose enter() returned
 *		FACET_CONTINUE_EXIT.  May be NULL.
 * @process:	A process event.  May be NULL.
 * @stop:	The view ends (or, under preload, this process does).  May be
 *		NULL.
 */
struct facet_module {
	unsigned abi;
	const char *name;
	const char *summary;
	const struct facet_option *options;
	size_t self_size;
	int (*option)(void *self, const char *key, const char *value,
		      struct facet_err *err);
	int (*start)(void *self, struct facet_env *env, struct facet_err *err);
	void (*wants)(void *self, struct facet_sysset *set);
	enum facet_verdict (*enter)(void *self, struct facet_call *call);
	void (*exit)(void *self, struct facet_call *call);
	void (*process)(void *self, enum facet_proc_event ev, pid_t pid,
			long other);
	void (*stop)(void *self);
};

/*
 * A third-party module is a shared object exporting this symbol:
 *	const struct facet_module facet_module = { .abi = FACET_MODULE_ABI, ...};
 * Built-in modules register with FACET_MODULE_BUILTIN() instead.
 */
#define FACET_MODULE_SYMBOL	"facet_module"

#define FACET_MODULE_BUILTIN(mod)					\
	static const struct facet_module *const facet_builtin_##mod	\
	__attribute__((used, section("facet_modules"), aligned(8))) = &(mod)

/*
 * A module that works only under the ptrace supervisor (it must see every
 * process from outside, or keeps state it cannot share between processes)
 * says so, and `--backend auto` or `preload` then run the command under
 * the ptracer.  Built-in modules use the macro; a third-party module
 * exports `const int facet_module_ptrace_only = 1;`.
 */
#define FACET_MODULE_PTRACE_ONLY_SYMBOL	"facet_module_ptrace_only"

#define FACET_MODULE_PTRACE_ONLY(mod)					\
	static const struct facet_module *const facet_ptrace_only_##mod	\
	__attribute__((used, section("facet_ptrace_only"), aligned(8))) = &(mod)

/*
 * A module that works under both backends but is more faithful under the
 * supervisor (vtrace: a trace from outside sees the dynamic loader's calls
 * and signal deliveries) says so: `--backend auto` then runs the command
 * under the ptracer, while an explicit `--backend preload` runs the module
 * in-process.  Built-in modules use the macro; a third-party module
 * exports `const int facet_module_prefers_ptrace = 1;`.
 */
#define FACET_MODULE_PREFERS_PTRACE_SYMBOL "facet_module_prefers_ptrace"

#define FACET_MODULE_PREFERS_PTRACE(mod)				\
	static const struct facet_module *const facet_prefers_ptrace_##mod \
	__attribute__((used, section("facet_prefers_ptrace"),		\
		       aligned(8))) = &(mod)

/*
 * A module that --backend combined must not run in the shim and the
 * supervisor at once (vtime reads the host clock through libc, which the
 * supervisor would shift again; vnet keeps its sockets per instance)
 * says so: that view then runs under the plain ptracer.  Built-in
 * modules use the macro; a third-party module exports
 * `const int facet_module_not_combined = 1;`.
 */
#define FACET_MODULE_NOT_COMBINED_SYMBOL "facet_module_not_combined"

#define FACET_MODULE_NOT_COMBINED(mod)					\
	static const struct facet_module *const facet_not_combined_##mod \
	__attribute__((used, section("facet_not_combined"),		\
		       aligned(8))) = &(mod)

#ifdef __cplusplus
}
#endif

#endif /* FACET_MODULE_H */
