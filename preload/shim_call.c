// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * preload/shim_call.c - One intercepted call: run the chain, then the gate
 *
 * DOC: The call path
 *
 * The fast wrappers and syscall() end in shim_pass() (a call the modules
 * pass on unchanged is then made by libc's own function), the raw catch
 * and trap mode in shim_dispatch().  Neither allocates: the
 * struct facet_call lives on the caller's stack and the data modules place
 * (facet_set_path()) in a per-thread buffer that is rewound when the call
 * ends, so a signal handler's call nests.  The buffer is mapped the first
 * time the thread places something (most threads never do) and unmapped
 * when a thread made by pthread_create() ends; one a raw clone made
 * (shim_clone.c) keeps it until the process ends or execs.  Module callbacks of one process
 * are serialized by a futex lock that the owning thread may take again (a
 * module that forks, a signal handler); it is taken around fork() and
 * reset in the child.  errno is the caller's on the way out, unless the
 * call failed.
 */
#include <fcntl.h>
#include <linux/openat2.h>
#include <linux/futex.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <string.h>
#include <sys/syscall.h>

#include "shim.h"

static int shim_lock_word;
static pid_t shim_lock_owner;
static int shim_lock_depth;

/* shim_lock() with more than one thread: the futex lock.  Return: 1 */
SHIM_CALLPATH int shim_lock_taken(void)
{
	pid_t tid;
	int c = 0;

	tid = shim_gettid();
	if (__atomic_load_n(&shim_lock_owner, __ATOMIC_RELAXED) == tid) {
		shim_lock_depth++;
		return 1;
	}
	if (!__atomic_compare_exchange_n(&shim_lock_word, &c, 1, 0,
					 __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
		if (c != 2)
			c = __atomic_exchange_n(&shim_lock_word, 2,
						__ATOMIC_ACQUIRE);
		while (c) {
			shim_gate(SYS_futex, (long)&shim_lock_word,
				  FUTEX_WAIT_PRIVATE, 2, 0, 0, 0);
			c = __atomic_exchange_n(&shim_lock_word, 2,
						__ATOMIC_ACQUIRE);
		}
	}
	__atomic_store_n(&shim_lock_owner, tid, __ATOMIC_RELAXED);
	shim_lock_depth = 1;
	return 1;
}

SHIM_CALLPATH void shim_unlock_taken(void)
{
	if (--shim_lock_depth)
		return;
	__atomic_store_n(&shim_lock_owner, 0, __ATOMIC_RELAXED);
	if (__atomic_fetch_sub(&shim_lock_word, 1, __ATOMIC_RELEASE) != 1) {
		__atomic_store_n(&shim_lock_word, 0, __ATOMIC_RELEASE);
		shim_gate(SYS_futex, (long)&shim_lock_word, FUTEX_WAKE_PRIVATE,
			  1, 0, 0, 0);
	}
}

/* In a fork child: only this thread exists, nobody holds the lock */
void shim_lock_reset(void)
{
	shim_lock_word = 0;
	shim_lock_owner = 0;
	shim_lock_depth = 0;
}

/* The probes need SIGSEGV and SIGBUS (shim_probe.c): once per process */
static inline void call_probe_ready(void)
{
	if (__builtin_expect(!__atomic_load_n(&shim_probe_armed,
					      __ATOMIC_ACQUIRE), 0))
		shim_probe_arm();
}

/* The program's memory: a bad pointer is -EFAULT, as from the kernel */
static ssize_t call_peek(struct facet_call *call, void *dst, uintptr_t addr,
			 size_t len)
{
	(void)call;
	call_probe_ready();
	if (shim_probe_copy(dst, (const void *)addr, len) < 0)
		return -EFAULT;
	return (ssize_t)len;
}

/* Strings: copy up to the NUL, not a whole page */
static ssize_t call_peek_str(struct facet_call *call, char *dst,
			     uintptr_t addr, size_t cap)
{
	long n;

	(void)call;
	call_probe_ready();
	n = shim_probe_strncpy(dst, (const char *)addr, cap);
	if (n < 0) {
		dst[0] = '\0';
		return -EFAULT;
	}
	if ((size_t)n == cap) {
		dst[cap - 1] = '\0';
		return -ENAMETOOLONG;
	}
	return n;
}

static ssize_t call_poke(struct facet_call *call, uintptr_t addr,
			 const void *src, size_t len)
{
	(void)call;
	call_probe_ready();
	if (shim_probe_copy((void *)addr, src, len) < 0)
		return -EFAULT;
	return (ssize_t)len;
}

/*
 * The thread's place buffer, mapped on first use.  A signal handler of
 * this thread may map one between our mmap and our store: the first one
 * stored stays, the other is unmapped.
 */
static char *call_place_buf(struct shim_thread *t)
{
	char *none = NULL;
	long p;

	if (t->place)
		return t->place;
	p = shim_gate(SYS_mmap, 0, SHIM_PLACE_SIZE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if ((unsigned long)p > -4096UL)
		return NULL;
	if (!__atomic_compare_exchange_n(&t->place, &none, (char *)p, 0,
					 __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		shim_gate(SYS_munmap, p, SHIM_PLACE_SIZE, 0, 0, 0, 0);
	return t->place;
}

/**
 * shim_place_free() - Unmap this thread's place buffer (its end)
 * @unused:	For pthread_cleanup_push()
 */
void shim_place_free(void *unused)
{
	char *p = __atomic_exchange_n(&shim_tls.place, NULL, __ATOMIC_RELAXED);

	(void)unused;
	if (p)
		shim_gate(SYS_munmap, (long)p, SHIM_PLACE_SIZE, 0, 0, 0, 0);
}

static SHIM_HOT int call_place(struct facet_call *call, const void *src, size_t len,
		      uintptr_t *addr)
{
	struct shim_thread *t = &shim_tls;
	size_t at = (t->place_used + 15) & ~(size_t)15;

	(void)call;
	if (at + len > SHIM_PLACE_SIZE)
		return -ENAMETOOLONG;
	if (!call_place_buf(t))
		return -ENOMEM;
	memcpy(t->place + at, src, len);
	t->place_used = at + len;
	*addr = (uintptr_t)(t->place + at);
	return 0;
}

/* The module's fd is already one of the caller's: it is the result */
static int call_return_fd(struct facet_call *call, int local_fd)
{
	(void)call;
	return local_fd;
}

/* The caller's fd table is ours: dup3() over @target */
static int call_replace_fd(struct facet_call *call, int local_fd, int target)
{
	long fdflags = shim_gate(SYS_fcntl, local_fd, F_GETFD, 0, 0, 0, 0);
	long ret = 0;

	(void)call;
	if (local_fd != target)
		ret = shim_gate(SYS_dup3, local_fd, target,
				fdflags > 0 && (fdflags & FD_CLOEXEC) ?
				O_CLOEXEC : 0, 0, 0, 0);
	if (local_fd != target)
		shim_gate(SYS_close, local_fd, 0, 0, 0, 0, 0);
	return ret < 0 ? (int)ret : 0;
}

/*
 * The process's id as /proc numbers it: in a new pid namespace
 * (unshare --pid --fork) getpid() says 1, and /proc/self must not become
 * /proc/1.  Read with the thread's (shim_proc_tid_of()), per thread: a
 * fork child starts again, a raw clone's child has a TLS block of its own.
 */
static pid_t call_tgid(struct facet_call *call)
{
	struct shim_thread *t = shim_here(), own;
	pid_t pid = (pid_t)shim_gate0(SYS_getpid);

	(void)call;
	shim_proc_tid_of(t);
	if (pid == t->ns_pid)
		return t->proc_pid;
	/* a child sharing this thread's TLS (posix_spawn()'s, a vfork()
	 * libc makes): its ids, not cached where the parent reads them */
	own = *t;
	shim_proc_ids_fetch(&own);
	return own.proc_pid;
}

static const struct facet_call_ops shim_call_ops = {
	.peek = call_peek,
	.peek_str = call_peek_str,
	.poke = call_poke,
	.place = call_place,
	.return_fd = call_return_fd,
	.replace_fd = call_replace_fd,
	.tgid = call_tgid,
	.no_symlinks = 1,
};

/**
 * shim_leave() - Run the exit callbacks that are due
 * @call:	The call
 * @result:	What the kernel (or a module) returned
 *
 * Return: the result the caller gets
 */
SHIM_CALLPATH long shim_leave(struct facet_call *call, long result)
{
	struct shim_thread *t = shim_here();
	unsigned char prev_sel;
	int tok;

	if (!call->exit_mask)
		return result;
	call->result = result;
	prev_sel = shim_module_begin(t);
	tok = shim_lock();
	facet_chain_exit(&shim.chain, call);
	shim_unlock(tok);
	shim_module_end(t, prev_sel);
	return call->result;
}

/*
 * The chain's half of a wanted call: the record on the caller's frame,
 * the module callbacks with signals deferred and the lock held.  Inline:
 * the call makes no call of the shim's own but the module's enter().
 */
static inline __attribute__((always_inline)) enum facet_verdict
call_chain(struct shim_thread *t, struct facet_call *call,
	   unsigned char (*scratch)[FACET_SCRATCH_SIZE], long nr, long a0,
	   long a1, long a2, long a3, long a4, long a5)
{
	unsigned char prev_sel;
	enum facet_verdict v;
	int tok;

	facet_call_start(call, &shim_call_ops, NULL, scratch,
			 shim_proc_tid_of(t), nr, a0, a1, a2, a3, a4, a5);
	call->flags = FACET_CALL_REWRITABLE;
	prev_sel = shim_module_begin(t);
	tok = shim_lock();
	v = facet_chain_enter_inline(&shim.chain, call);
	shim_unlock(tok);
	shim_module_end(t, prev_sel);
	return v;
}

/**
 * shim_enter() - Run the entry callbacks of the chain on one call
 * @call:	Filled here
 * @scratch:	The modules' scratch blocks, for as long as @call
 * @nr:		Syscall number
 * @args:	Arguments
 *
 * Return: the chain's verdict; with FACET_DONE, call->result is the result
 */
SHIM_HOT enum facet_verdict shim_enter(struct facet_call *call,
				       facet_call_scratch *scratch, long nr,
				       const long args[6])
{
	return call_chain(shim_here(), call, *scratch, nr, args[0], args[1],
			  args[2], args[3], args[4], args[5]);
}

/*
 * An open(2)/openat(2) a module asked to walk no symlink
 * (facet_open_no_symlinks()): openat2() with RESOLVE_NO_SYMLINKS, or as
 * it is where openat2() refuses its flags (or the kernel has none)
 */
static SHIM_COLD __attribute__((noinline)) long
call_open_no_symlinks(struct shim_thread *t, struct facet_call *call)
{
	struct open_how how;
	long dirfd, path, ret = -EINVAL;

	if (!facet_call_openat2(call, &dirfd, &path, &how))
		ret = shim_gate_call_of(t, SYS_openat2, dirfd, path,
					(long)&how, sizeof(how), 0, 0);
	if (ret == -EINVAL || ret == -ENOSYS || ret == -E2BIG)
		ret = shim_gate_call_of(t, call->nr, call->args[0],
					call->args[1], call->args[2],
					call->args[3], call->args[4],
					call->args[5]);
	return ret;
}

/* The other half: the kernel's (or the module's) result, exit callbacks */
static inline __attribute__((always_inline)) long
call_finish(struct shim_thread *t, struct facet_call *call,
	    enum facet_verdict v)
{
	long ret;

	if (v == FACET_DONE)
		ret = call->result;
	else if (__builtin_expect(call->flags & FACET_CALL_NO_SYMLINKS, 0))
		ret = call_open_no_symlinks(t, call);
	else if (__builtin_expect(call->nr == SYS_execve ||
				  call->nr == SYS_execveat, 0))
		ret = shim_exec(call->nr, call->args,
				facet_call_orig_args(call));
	else
		ret = shim_gate_call_of(t, call->nr, call->args[0],
					call->args[1], call->args[2],
					call->args[3], call->args[4],
					call->args[5]);
	if (__builtin_expect(call->exit_mask != 0, 0))
		ret = shim_leave(call, ret);
	return ret;
}

/*
 * One wanted call, start to end.  Return: the raw result (-errno on
 * failure); *@errp is the caller's errno again (module code may have
 * changed it)
 */
static inline __attribute__((always_inline)) long
call_run(struct shim_thread *t, int *errp, long nr, long a0, long a1, long a2,
	 long a3, long a4, long a5)
{
	size_t mark = t->place_used;
	int saved_errno = *errp;
	facet_call_scratch scratch;
	struct facet_call call;
	long ret;

	ret = call_finish(t, &call, call_chain(t, &call, scratch, nr, a0, a1,
					       a2, a3, a4, a5));
	t->place_used = mark;
	*errp = saved_errno;
	return ret;
}

/* A raw result in libc's convention: -1 and errno */
static inline __attribute__((always_inline)) long
call_libc_result(int *errp, long ret)
{
	if ((unsigned long)ret > -4096UL) {
		*errp = (int)-ret;
		return -1;
	}
	return ret;
}

/*
 * shim_pass(), shim_pass6(): a wanted call, up to the syscall.  When the
 * modules let it through unchanged (no new arguments, nothing placed, no
 * exit callback, and libc's syscall instructions are allowed: not trap
 * mode), the caller makes it with libc's own function, as if no module
 * wanted it: after the syscall only libc runs, and its return is the one
 * return a native call has (each return into a frame made before the
 * syscall mispredicts: the kernel refills the return stack buffer on its
 * way back, and each page touched is a TLB miss).  Otherwise the call is
 * carried out here.
 */
static inline __attribute__((always_inline)) struct shim_pass
call_pass(unsigned char (*scratch)[FACET_SCRATCH_SIZE], long nr, long a0,
	  long a1, long a2, long a3, long a4, long a5)
{
	struct shim_thread *t = shim_here();
	int *errp = shim_errno(t), saved_errno = *errp;
	struct shim_pass p = { .ret = 0, .pass = 1 };
	size_t mark = t->place_used;
	struct facet_call call;
	enum facet_verdict v;

	v = call_chain(t, &call, scratch, nr, a0, a1, a2, a3, a4, a5);
	if (__builtin_expect(v == FACET_CONTINUE &&
			     !(call.flags & (FACET_CALL_ARGS_DIRTY |
					     FACET_CALL_NO_SYMLINKS)) &&
			     t->place_used == mark && t->armed != 2 &&
			     !shim.supervised, 1)) {
		*errp = saved_errno;
		return p;
	}
	p.pass = 0;
	p.ret = call_finish(t, &call, v);
	t->place_used = mark;
	*errp = saved_errno;
	p.ret = call_libc_result(errp, p.ret);
	return p;
}

/*
 * The scratch blocks of a wanted call are in the frame of shim_pass()
 * and shim_pass6() for the first modules of the chain (see struct
 * facet_call: a frame of 1 kB more made a second stack page likely);
 * a longer chain's calls come here
 */
static __attribute__((noinline)) struct shim_pass
call_pass_far(long nr, long a0, long a1, long a2, long a3, long a4, long a5)
{
	facet_call_scratch scratch;

	return call_pass(scratch, nr, a0, a1, a2, a3, a4, a5);
}

/* call_pass() with the scratch blocks where the chain's length puts them */
static inline __attribute__((always_inline)) struct shim_pass
call_pass_near(long nr, long a0, long a1, long a2, long a3, long a4, long a5)
{
	unsigned char scratch[SHIM_CALL_SCRATCH_NEAR][FACET_SCRATCH_SIZE];

	if (__builtin_expect(shim.chain.n > SHIM_CALL_SCRATCH_NEAR, 0))
		return call_pass_far(nr, a0, a1, a2, a3, a4, a5);
	return call_pass(scratch, nr, a0, a1, a2, a3, a4, a5);
}

/**
 * shim_pass() - A wanted call of at most five arguments, for the fast
 * wrappers: the modules, and the call unless they pass it on unchanged
 * @a0:		First argument (@a1 to @a4 likewise)
 * @nr:		Syscall number
 *
 * Return: .pass set: the caller makes the call with libc's function;
 * otherwise .ret is the result in libc's convention (-1 and errno)
 */
SHIM_CALLPATH struct shim_pass shim_pass(long a0, long a1, long a2, long a3,
					 long a4, long nr)
{
	return call_pass_near(nr, a0, a1, a2, a3, a4, 0);
}

/**
 * shim_pass6() - The same for six arguments, and for syscall()
 *
 * Return: as shim_pass()
 */
SHIM_CALLPATH struct shim_pass shim_pass6(long nr, long a0, long a1, long a2,
					  long a3, long a4, long a5)
{
	return call_pass_near(nr, a0, a1, a2, a3, a4, a5);
}

/**
 * shim_host_call() - A call of module code, through the gate page
 * (see shim_host_busy())
 *
 * Return: the result in libc's convention (-1 and errno)
 */
long shim_host_call(long nr, long a0, long a1, long a2, long a3, long a4,
		    long a5)
{
	return call_libc_result(shim_errno(shim_here()),
				shim_gate(nr, a0, a1, a2, a3, a4, a5));
}

/**
 * shim_dispatch() - Run the module chain on one call and carry it out
 * @nr:		Syscall number, as the kernel would see it
 * @args:	Its arguments
 *
 * Return: the raw result (-errno on failure); errno is left alone
 */
SHIM_HOT long shim_dispatch(long nr, const long args[6])
{
	struct shim_thread *t = shim_here();

	return call_run(t, shim_errno(t), nr, args[0], args[1], args[2],
			args[3], args[4], args[5]);
}

/* A call of another ABI (int 0x80, x32): as under the ptracer, ENOSYS */
long shim_bad_abi(void)
{
	static int told;

	if (!__atomic_exchange_n(&told, 1, __ATOMIC_RELAXED))
		facet_logmsg(FACET_LOG_WARNING, "preload: process %d made a "
			     "32-bit (int 0x80 or x32) system call; facet "
			     "virtualizes only x86_64 calls, so it fails with "
			     "ENOSYS", (int)shim_gate0(SYS_getpid));
	return -ENOSYS;
}

/*
 * The program turning Syscall User Dispatch off (or on with its own
 * range) would take the shim's catch away: refused while the shim uses it.
 */
static long call_sud_refused(void)
{
	static int told;

	if (!__atomic_exchange_n(&told, 1, __ATOMIC_RELAXED))
		facet_logmsg(FACET_LOG_WARNING, "preload: the program wants "
			     "Syscall User Dispatch, which the preload backend "
			     "uses itself: refused with EBUSY (run it with "
			     "--backend ptrace)");
	return -EBUSY;
}

/*
 * Under the supervisor, calls that reach into another process (ptrace,
 * process_vm_readv/writev, pidfd_getfd) leave from libc's syscall(), not
 * the gate page: the supervisor's fence refuses those aimed outside the
 * view (ptracer/tracer_fence.c).  libc's own functions for them make
 * their calls inside libc and reach it anyway.
 */
static const short call_fence_nrs[] = {
	SYS_ptrace, SYS_process_vm_readv, SYS_process_vm_writev,
	438 /* pidfd_getfd */
};

static int call_for_fence(long nr)
{
	size_t i;

	for (i = 0; i < sizeof(call_fence_nrs) / sizeof(*call_fence_nrs); i++)
		if (nr == call_fence_nrs[i])
			return 1;
	return 0;
}

/**
 * shim_call_fence_unwant() - Leave the fence's calls to the supervisor
 *
 * At set-up under the supervisor: the in-process modules do not take
 * them, so libc's syscall() and the raw catch send them past the gate.
 */
void shim_call_fence_unwant(void)
{
	size_t i;

	for (i = 0; i < sizeof(call_fence_nrs) / sizeof(*call_fence_nrs); i++) {
		shim.chain.wanted_by[call_fence_nrs[i]] = 0;
		shim.chain.hooks[call_fence_nrs[i]] = 0;
	}
}

static long call_past_gate(long nr, const long *a)
{
	long ret = SHIM_NEXT(long (*)(long, ...), "syscall")(nr, a[0], a[1],
							     a[2], a[3], a[4],
							     a[5]);

	return ret == -1 ? -errno : ret;
}

/*
 * exit_group() with every call caught: the chain sees the call (vtrace
 * records "exit_group(0) = ?"), then the process's end (shim_end()).
 */
static long call_exit_group(const long args[6])
{
	facet_call_scratch scratch;
	struct facet_call call;

	if (shim_wants(SYS_exit_group))
		shim_enter(&call, &scratch, SYS_exit_group, args);
	if (!shim_tls.vfork_child)	/* its state is the parent's */
		shim_end(((int)args[0] & 0xff) << 8);
	return shim_gate(SYS_exit_group, args[0], 0, 0, 0, 0, 0);
}

/*
 * vfork(): its child would run on the shim's frames and spoil them for
 * the parent, so it is made as a fork; the modules see the vfork the
 * program asked for.
 */
static long call_vfork(const long args[6])
{
	struct shim_thread *t = &shim_tls;
	size_t mark = t->place_used;
	int saved_errno = errno;
	facet_call_scratch scratch;
	struct facet_call call;
	long ret;

	if (!shim_wants(SYS_vfork))
		return shim_gate0(SYS_fork);
	if (shim_enter(&call, &scratch, SYS_vfork, args) == FACET_DONE)
		ret = call.result;
	else
		ret = shim_gate0(SYS_fork);
	ret = shim_leave(&call, ret);
	t->place_used = mark;
	errno = saved_errno;
	return ret;
}

/**
 * shim_syscall6() - A syscall made by the program, wanted or not
 *
 * Return: the raw result
 */
SHIM_HOT long shim_syscall6(long nr, long a0, long a1, long a2, long a3, long a4,
		   long a5)
{
	long args[6] = { a0, a1, a2, a3, a4, a5 };
	long ret;

	if ((unsigned long)nr >= FACET_NR_MAX)
		return shim_bad_abi();
	if (nr == SYS_prctl && a0 == PR_SET_SYSCALL_USER_DISPATCH && shim.any)
		return call_sud_refused();
	if (__builtin_expect(shim.supervised, 0) && call_for_fence(nr))
		return call_past_gate(nr, args);
	if (nr == SYS_execve || nr == SYS_execveat)
		return shim_wants(nr) ? shim_dispatch(nr, args) :
					shim_exec(nr, args, args);
	if (nr == SYS_exit_group && shim.raw_arm == 2)
		return call_exit_group(args);
	if (__builtin_expect(shim_creds_ns_nr(nr), 0))
		shim_creds_ns_call(nr, a0, a1);
	if (nr == SYS_vfork)
		ret = call_vfork(args);
	else if (!shim_wants(nr))
		ret = shim_gate(nr, a0, a1, a2, a3, a4, a5);
	else
		ret = shim_dispatch(nr, args);
	/* a fork made here did not run libc's atfork handlers (a clone or
	 * clone3 with a new stack does not come here: shim_clone.c); one
	 * made by libc's fork() (every call caught) runs them */
	if (ret == 0 && !shim_tls.in_fork && (nr == SYS_fork || nr == SYS_vfork ||
			 (nr == SYS_clone && !a1) || nr == SYS_clone3))
		shim_fork_child();
	return ret;
}
