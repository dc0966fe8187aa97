// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * core/call.h - The call handle behind the module accessors, for backends
 *
 * A backend fills a struct facet_call for each intercepted syscall, runs
 * the module chain on it, then carries out what the modules decided:
 * changed arguments, a result of their own, an fd to hand over.  The
 * accessors in core/call.c work on this struct; what needs the caller's
 * memory or fd table goes through the backend's struct facet_call_ops.
 */
#ifndef FACET_CORE_CALL_H
#define FACET_CORE_CALL_H

#include <errno.h>
#include <string.h>

/*
 * The per-call path (here, in the chain and in the preload shim): its
 * functions are grouped in .text.hot, so that a call touches few code
 * pages.  With page-table isolation and no PCID (this project's VMs)
 * every syscall empties the TLB, and each page touched after it costs a
 * miss.
 */
#define FACET_HOT	__attribute__((hot))
/*
 * ...and what every intercepted call of the preload shim runs (its dispatch,
 * the chain, the accessors a module calls on every call): a section of its
 * own, which preload/shim.ld puts on as few pages as it fits (one, today)
 */
#define FACET_CALLPATH	__attribute__((hot, section(".text.facet_call")))
/* ...and what every new image runs once at start-up (module options, the
 * chain's start) in .text.unlikely, next to it at the start of the text:
 * the preload shim's start-up then faults in fewer code pages */
#define FACET_COLD	__attribute__((cold))

#include <facet/module.h>

#define FACET_MODULES_MAX	16

/**
 * struct facet_call_ops - What a backend does for the accessors
 * @peek:	Read caller memory: bytes read or -errno
 * @peek_str:	Optional: read a NUL-terminated string (as facet_peek_str());
 *		for a backend that can find the NUL cheaply (in-process)
 * @poke:	Write caller memory: bytes written or -errno
 * @place:	Copy @len bytes into caller memory that stays valid for the
 *		call; store the address in @addr.  0 or -errno
 * @return_fd:	Hand @local_fd to the caller as the call's result: the fd
 *		number in the caller or -errno; consumes @local_fd
 * @return_open: Optional: open @path with @flags for the caller, maybe
 *		later (facet_return_open()); 0 or -errno.  Without it the
 *		open is made at once and handed over with @return_fd
 * @replace_fd:	Optional: put @local_fd at the caller's fd @target (as
 *		dup2()), without finishing the call: 0 or -errno; consumes
 *		@local_fd
 */
struct facet_call_ops {
	ssize_t (*peek)(struct facet_call *call, void *dst, uintptr_t addr,
			size_t len);
	ssize_t (*peek_str)(struct facet_call *call, char *dst,
			    uintptr_t addr, size_t cap);
	ssize_t (*poke)(struct facet_call *call, uintptr_t addr,
			const void *src, size_t len);
	int (*place)(struct facet_call *call, const void *src, size_t len,
		     uintptr_t *addr);
	int (*return_fd)(struct facet_call *call, int local_fd);
	int (*return_open)(struct facet_call *call, const char *path,
			   int flags);
	int (*replace_fd)(struct facet_call *call, int local_fd, int target);
	pid_t (*tgid)(struct facet_call *call);
	/* facet_args_stable(); NULL: never (preload) */
	int (*args_stable)(struct facet_call *call);
	/* facet_instruction_pointer(); NULL: not known (preload) */
	uint64_t (*ip)(struct facet_call *call);
	/* facet_open_no_symlinks(): the backend makes such opens */
	int no_symlinks;
};

/* struct facet_call.flags: FACET_CALL_REWRITABLE and FACET_CALL_FINISHED
 * (include/facet/module.h, modules read them), and the backend's own */
enum facet_call_flag {
	FACET_CALL_ARGS_DIRTY	= 1 << 2, /* args[] or nr changed */
	FACET_CALL_IN_EXIT	= 1 << 3, /* exit callbacks are running */
	FACET_CALL_FD_PENDING	= 1 << 4, /* backend must still pass pending_fd */
	FACET_CALL_NO_SYMLINKS	= 1 << 5, /* open with RESOLVE_NO_SYMLINKS */
};

/**
 * struct facet_call - One intercepted syscall, in every backend
 * @head:	The public part, what the inline accessors of
 *		include/facet/module.h read: first, at fixed offsets (the
 *		module ABI); the same fields by name, for the backends:
 * @nr:		Syscall number (possibly rewritten)
 * @args:	Arguments (possibly rewritten)
 * @result:	Result: set by a module, or the kernel's at exit
 * @tid:	Thread id
 * @flags:	enum facet_call_flag, and FACET_CALL_REWRITABLE and
 *		FACET_CALL_FINISHED of include/facet/module.h
 * @ops:	Backend operations
 * @backend:	Backend's own context for this call
 * @orig_nr:	Number as the caller made it
 * @orig_args:	Arguments as the caller made them: filled by
 *		facet_call_init(), or by facet_set_arg() before the first
 *		change of a record facet_call_start() filled (most calls
 *		change nothing); read them with facet_call_orig_args()
 * @pid:	Process id (thread group), 0 until known
 * @pending_fd:	With FACET_CALL_FD_PENDING: the module's fd to hand over
 *		(not set otherwise, nor read)
 * @exit_mask:	Modules (chain indices) whose exit() is due
 * @cur:	Index of the module being called, for facet_scratch()
 * @scratch_live: Bit i set once scratch[i] has been zeroed for this call
 *		(facet_scratch() zeroes a module's block when it first asks
 *		for it: most modules never do, and zeroing 64 bytes for every
 *		wanting module on every call showed on the per-call path)
 * @scratch:	Per-module scratch space, one block per module of the
 *		chain: the backend's memory, given to facet_call_start().
 *		Not in the record: the preload shim's record is on the
 *		caller's stack, and 1 kB of blocks (FACET_MODULES_MAX) in it
 *		made a call touch a second stack page in about a third of
 *		processes; it gives the blocks of the modules there are
 */
struct facet_call {
	union {
		struct facet_call_head head;
		struct {
			long nr;
			long args[6];
			long result;
			pid_t tid;
			unsigned flags;
		};
	};
	const struct facet_call_ops *ops;
	void *backend;
	long orig_nr;
	long orig_args[6];
	pid_t pid;
	int pending_fd;
	uint32_t exit_mask;
	int cur;
	uint32_t scratch_live;
	unsigned char (*scratch)[FACET_SCRATCH_SIZE];
};

struct open_how;
int facet_call_openat2(const struct facet_call *call, long *dirfd,
		       long *path, struct open_how *how);

/* Scratch blocks for every module a chain may have */
typedef unsigned char facet_call_scratch[FACET_MODULES_MAX][FACET_SCRATCH_SIZE];

/* The named fields are the head's, field for field */
#define FACET_CALL_SAME(f)						\
	(offsetof(struct facet_call, f) ==				\
	 offsetof(struct facet_call_head, f) &&				\
	 sizeof(((struct facet_call *)0)->f) ==				\
	 sizeof(((struct facet_call_head *)0)->f))
_Static_assert(offsetof(struct facet_call, head) == 0 && FACET_CALL_SAME(nr) &&
		       FACET_CALL_SAME(args) && FACET_CALL_SAME(result) &&
		       FACET_CALL_SAME(tid) && FACET_CALL_SAME(flags),
	       "struct facet_call must start with struct facet_call_head");

ssize_t facet_call_peek_str_pages(struct facet_call *call, char *dst,
				  uintptr_t addr, size_t cap);

/**
 * facet_call_start() - Start a call record from the argument registers
 * @call:	Call to fill
 * @ops:	Backend operations
 * @backend:	Backend's context, kept in the call
 * @scratch:	One block per module of the chain (see struct facet_call)
 * @tid:	Calling thread
 * @nr:		Syscall number
 * @a0:		First argument register (@a1 to @a5 likewise)
 *
 * Inline: it is on every intercepted call of the preload shim, which has
 * the arguments in registers (each stored once, nothing loaded back).
 * @orig_args is left alone until an argument changes (facet_set_arg()),
 * @scratch until a module asks for its block (facet_scratch()).
 */
static inline __attribute__((always_inline)) void
facet_call_start(struct facet_call *call, const struct facet_call_ops *ops,
		 void *backend, unsigned char (*scratch)[FACET_SCRATCH_SIZE],
		 pid_t tid, long nr, long a0, long a1, long a2, long a3, long a4,
		 long a5)
{
	call->ops = ops;
	call->backend = backend;
	call->scratch = scratch;
	call->nr = call->orig_nr = nr;
	call->args[0] = a0;
	call->args[1] = a1;
	call->args[2] = a2;
	call->args[3] = a3;
	call->args[4] = a4;
	call->args[5] = a5;
	call->pid = 0;
	call->tid = tid;
	call->result = -ENOSYS;
	call->flags = 0;
	call->exit_mask = 0;
	call->cur = 0;
	call->scratch_live = 0;
}

/**
 * facet_call_init() - Start a call record for the module chain
 * @call:	Call to fill
 * @ops:	Backend operations
 * @backend:	Backend's context, kept in the call
 * @scratch:	Scratch blocks for every module
 * @tid:	Calling thread
 * @nr:		Syscall number
 * @args:	Its six argument registers
 */
static inline void facet_call_init(struct facet_call *call,
				   const struct facet_call_ops *ops,
				   void *backend, facet_call_scratch *scratch,
				   pid_t tid, long nr, const long args[6])
{
	facet_call_start(call, ops, backend, *scratch, tid, nr, args[0],
			 args[1], args[2], args[3], args[4], args[5]);
	memcpy(call->orig_args, args, sizeof(call->orig_args));
}

/* The arguments as the caller made them (see @orig_args) */
static inline const long *facet_call_orig_args(const struct facet_call *call)
{
	return call->flags & FACET_CALL_ARGS_DIRTY ? call->orig_args :
						    call->args;
}

#endif /* FACET_CORE_CALL_H */
