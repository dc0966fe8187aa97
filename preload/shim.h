// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * preload/shim.h - The LD_PRELOAD backend: shared declarations
 *
 * DOC: Theory of operation
 *
 * libfacet-preload.so carries the core and every built-in module.  Its
 * constructor rebuilds the module chain from the FACET_PRELOAD variable
 * that `facet run` (or the shim itself, across execve) put in the
 * environment, starts the modules, and from then on every interposed libc
 * function whose syscall some module wants builds a struct facet_call, runs
 * the chain (shim_dispatch()) and issues the real syscall through the
 * shim's own gate (shim_gate()), never through libc.  Functions whose
 * syscall nobody wants go straight to libc.
 *
 * Three ways in:
 *  - fast wrappers (shim_wrap_*.c): libc functions that are one syscall,
 *    mapped to the syscall glibc 2.36 on x86_64 makes for them;
 *  - trap mode (shim_trap.c): libc functions that reach syscalls inside
 *    libc (fopen, opendir, realpath, ...).  For their duration Syscall User
 *    Dispatch is armed with only the gate allowed, so every syscall they
 *    make raises SIGSYS and goes through the chain exactly as the kernel
 *    would see it;
 *  - the raw catch (shim_sigsys.c): unless FACET_PRELOAD says raw=ignore,
 *    every thread runs with Syscall User Dispatch allowing libc's text, so
 *    a syscall instruction anywhere else (inline asm, other libraries,
 *    ld.so) raises SIGSYS.
 */
#ifndef FACET_PRELOAD_SHIM_H
#define FACET_PRELOAD_SHIM_H

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/types.h>

#include "../core/chain.h"

/* Environment variable carrying the view to every process */
#define SHIM_ENV		"FACET_PRELOAD_CONFIG"
/* Set by the shim when it hands a static binary to `facet run` */
#define SHIM_ENV_HANDOFF	"FACET_PRELOAD_HANDOFF"
/* ...and the file to exec there, when argv[0] is something else */
#define SHIM_ENV_HANDOFF_PATH	"FACET_PRELOAD_HANDOFF_PATH"
/* ...and an fd that facet makes close-on-exec again (fexecve) */
#define SHIM_ENV_HANDOFF_CLOEXEC "FACET_PRELOAD_HANDOFF_CLOEXEC"
/* ...and, before each of the program's LD_* variables, which facet gives
 * back to the program (they would act on facet's own loader) */
#define SHIM_ENV_HANDOFF_KEEP	"FACET_PRELOAD_KEEP_"
/* The process name a posix_spawn() child has natively (shim_spawn.c) */
#define SHIM_ENV_COMM		"FACET_PRELOAD_COMM"
#define SHIM_SO_NAME		"libfacet-preload.so"

#define SHIM_PLACE_SIZE		(3 * 4096)

/*
 * Small variables that every image's start-up writes: in .data, whose
 * few pages start-up writes anyway ("shim" is there), rather than each on
 * a .bss page of its own (an anonymous page fault each).  Zero-filled
 * unless initialised.
 */
#define SHIM_DATA	__attribute__((section(".data.facet_2hot")))

/**
 * struct shim_config - What FACET_PRELOAD carries
 * @chain:	Encoded chain steps (see shim_config_replay())
 * @shm:	Path of the view's shared region (/proc/PID/fd/N)
 * @facet:	The facet binary, for static binaries exec'd in the view
 * @raw:	Catch raw syscalls outside libc (1) or not (0)
 * @log:	Log level
 * @supervised:	The combined mode: the ptracer supervises the view, the
 *		shim makes its calls from the gate page (SHIM_GATE_PAGE)
 */
struct shim_config {
	char *chain;
	char *shm;
	char *facet;
	int raw;
	int log;
	int supervised;
};

/*
 * The combined mode's gate page: the shim maps a "syscall; ret" (and a
 * sigreturn) at this fixed address in every image, and the supervisor's
 * seccomp filter lets calls made from it through: the shim has run the
 * modules on them already.  Far below where the kernel puts mappings,
 * PIE programs and their heaps (0x55..., 0x7f...), above where non-PIE
 * programs and theirs start (0x400000).
 */
#define SHIM_GATE_PAGE		0xfac0000000UL
#define SHIM_GATE_SYSCALL	0	/* syscall; ret */
#define SHIM_GATE_SIGRETURN	8	/* mov $15, %eax; syscall */

/* shim_config.c: shared with the CLI */
int shim_config_add(char **buf, char type, const char *a, const char *b);
int shim_config_replay(struct facet_chain *chain, const char *enc,
		       struct facet_err *err);
char *shim_config_encode(const struct shim_config *c);
int shim_config_decode(struct shim_config *c, char *s);
int shim_config_int(const char *s);

/* shim_shared.c: the view's shared region, shared with the CLI */
int shim_shared_create(void);
int shim_shared_attach(const char *path);
void shim_shared_attach_later(const char *path);
int shim_shared_hold(const char *path);
void *shim_shared_get(const char *key, size_t size);
int shim_shared_first(void);

/* --- From here on: inside the shim only ------------------------------ */

/**
 * struct shim_thread - Per-thread state (initial-exec TLS)
 * @tid:	Cached thread id, 0 until known
 * @busy:	Module code of this thread is running: calls go to libc
 * @deferred:	Signals (bit N-1 for signal N) that arrived while @busy, to
 *		be delivered when it drops to 0 (shim_signal.c)
 * @in_fork:	Inside libc's fork(), between the atfork handlers
 * @vfork_child: A process that shares its parent's memory until it execs
 *		(posix_spawn's CLONE_VM child): its end is not the parent's
 * @spawn_exec: The shim's posix_spawn() runs libc's: the child, which
 *		shares this memory and thread pointer until it execs, makes
 *		its execve (already through the modules) from the gate page
 *		(shim_inner.c)
 * @trap:	Nesting depth of trap mode
 * @armed:	Syscall User Dispatch state: 0 off, 1 libc allowed, 2 trap
 * @sel:	The Syscall User Dispatch selector the kernel reads (shim_sel)
 * @errp:	The thread's errno (libc's __errno_location()), NULL until
 *		first needed: kept here, the per-call path does not call
 *		into libc (its PLT slot and a libc page) for it
 * @place_used:	Bytes of @place in use
 * @place:	Where facet_set_path() and friends put their data:
 *		SHIM_PLACE_SIZE bytes mapped the first time the thread
 *		needs them (shim_call.c), NULL until then.  Not in TLS
 *		itself: ld.so zeroes a module's TLS in every process and
 *		thread, a page fault per page, used or not
 */
struct shim_thread {
	pid_t tid;
	int busy;
	unsigned long long deferred;
	int in_fork;
	int vfork_child;
	int spawn_exec;
	int trap;
	int armed;
	volatile unsigned char sel;
	int *errp;
	size_t place_used;
	char *place;
	pid_t proc_pid, proc_tid;	/* as /proc numbers them: shim_proc_tid_of() */
	pid_t ns_pid;		/* getpid() when proc_pid was read (call_tgid()) */
};

extern __thread struct shim_thread shim_tls
	__attribute__((tls_model("initial-exec")));
/* The selector: a field of shim_tls, reached with it (shim_here()) */
#define shim_sel	(shim_tls.sel)
#ifndef SYSCALL_DISPATCH_FILTER_ALLOW
#define SYSCALL_DISPATCH_FILTER_ALLOW	0
#define SYSCALL_DISPATCH_FILTER_BLOCK	1
#endif

/* This thread's errno, located once */
static inline __attribute__((always_inline)) int *
shim_errno(struct shim_thread *t)
{
	if (__builtin_expect(!t->errp, 0))
		t->errp = &errno;
	return t->errp;
}


/**
 * struct shim_state - The process's view
 * @libc_syscall: "syscall; ret" in libc's text, or NULL (shim_gate.c);
 *		first: shim_gate_libc() jumps through "shim"
 * @ready:	Set up (or found there is no view): see shim_wants()
 * @active:	The shim is set up (constructor done, config present)
 * @any:	Some module wants some syscall
 * @procs:	Some module has a process() callback: only then are the
 *		pids for its fork, exec and exit events asked for (two
 *		syscalls per image, two per fork child)
 * @raw_arm:	The dispatch every thread runs with outside trap mode
 *		(shim_sud_arm()): 0 off, 1 the raw catch (libc allowed), 2
 *		every call (a module asked with facet_env_catch_all())
 * @rooted:	This process called chroot or pivot_root: an exec checks
 *		that the shim is still reachable (shim_exec.c)
 * @supervised:	The combined mode is on (the ptracer supervises the view):
 *		every call the shim makes, the program's passed on
 *		unchanged and module code's own, goes through the gate page,
 *		which the supervisor's filter lets through; a static
 *		program is exec'd as it is (the supervisor is there already)
 * @tls_off:	Where shim_tls is from the thread pointer (the same in
 *		every thread: static TLS), 0 until set up; see shim_here()
 * @single_threaded: &__libc_single_threaded, NULL until set up
 * @syscall_attn: Bit N set: syscall(N) is more than a jump to libc's
 *		(wanted, or one of syscall_special() in shim_misc.c, or the
 *		shim is not set up yet: all set until it is); the one thing
 *		the unwanted syscall() reads
 * @syscall_chain: Bit N set: syscall(N) is wanted and none of those, it
 *		goes straight to the chain
 * @self_arena: The modules' state while it fits (facet_chain_add()): here,
 *		on the page a wanted call reads anyway, not on a heap page
 *		of its own, one TLB miss less per call.  Sized so that the
 *		chain's per-call fields up to inst[SHIM_CALL_SCRATCH_NEAR]
 *		still end on this page (tests/progs/shim_layout.c checks)
 * @chain:	Module chain, started (after the fields above, and its own
 *		per-call fields first: a call reads one page of this); its
 *		@wanted_by says what is wanted (read only once @ready is
 *		set; zeroed when the modules have stopped).  No copy of it
 *		here: the shim's writable data fits one page fewer
 * @cfg:	Decoded configuration
 * @env_var:	"FACET_PRELOAD=..." for new images
 * @preload_var: "LD_PRELOAD=..." for new images
 * @handoff_var: "FACET_PRELOAD_HANDOFF=..." for a static image
 * @so_path:	Path of this shim (ld.so's name for it, which it keeps;
 *		after a change of user, a held fd's: see shim_creds.c)
 * @so_prev:	Its former name, which an LD_PRELOAD may still carry, or NULL
 * @so_fd:	The fd that names it since a change of user, or 0
 * @libc_lo:	Start of libc's text (allowed while the raw catch is on)
 * @libc_len:	Its length
 *
 * Zero-initialised, in section .data.facet_1shim, which preload/shim.ld
 * puts at the start of the writable data right after the libc function
 * pointers (SHIM_NEXT()): start-up writes these and little else, so they
 * share three pages, and an interposed call, wanted or not, reads the
 * first of them only (the pointers, this struct's first fields and the
 * chain's per-call arrays).  (A file-backed page read first is mapped with
 * its neighbours at once; .bss pages fault one by one.)
 */
/* Room for the state of vfs (136 bytes), vtime (80) and a small module
 * more; larger would push the shim's .dynamic onto a page of its own, one
 * page fault more in every process (tests/shell/preload.bats checks) */
#define SHIM_SELF_ARENA		384
/* Chains up to this long keep the modules' scratch blocks in the frame of
 * the call (shim_call.c), and their inst[] on the page of the call */
#define SHIM_CALL_SCRATCH_NEAR	4

struct shim_state {
	const void *libc_syscall;
	int ready;
	int active;
	int any;
	int procs;
	int raw_arm;
	unsigned char rooted;
	unsigned char supervised;
	long tls_off;
	const char *single_threaded;
	uint64_t syscall_attn[FACET_NR_MAX / 64];
	uint64_t syscall_chain[FACET_NR_MAX / 64];
	unsigned char self_arena[SHIM_SELF_ARENA] __attribute__((aligned(16)));
	struct facet_chain chain;
	struct shim_config cfg;
	char *env_var;
	char *preload_var;
	char *handoff_var;
	const char *so_path;
	const char *so_prev;
	int so_fd;
	uintptr_t libc_lo;
	size_t libc_len;
};

extern struct shim_state shim;

/*
 * This thread's shim_tls, for the per-call path: the thread pointer plus
 * an offset kept in "shim", on the page a call reads anyway.
 * Plain initial-exec TLS loads each offset from the GOT, a page of its
 * own; with page-table isolation and no PCID every syscall empties the
 * TLB, so each page a call touches costs a miss.
 */
static inline __attribute__((always_inline)) struct shim_thread *
shim_here(void)
{
	long off = shim.tls_off;

	if (__builtin_expect(off != 0, 1))
		return (struct shim_thread *)((char *)__builtin_thread_pointer() +
					      off);
	return &shim_tls;
}

int shim_setup_now(long nr);

/*
 * Module code's own call (shim_tls.busy) in the combined mode: made
 * through the gate page.  From libc's syscall instruction it would reach
 * the supervisor, whose modules would translate it a second time.
 */
static inline int shim_host_busy(void)
{
	return __builtin_expect(shim.supervised, 0) && shim_here()->busy;
}

long shim_host_call(long nr, long a0, long a1, long a2, long a3, long a4,
		    long a5);

/*
 * Does a module want syscall @nr (and is this thread not running module
 * code)?  Until the shim is set up every call goes to shim_setup_now(),
 * and the first one sets it up: constructors of the program's own
 * libraries run before the shim's and must not get past the view.
 */
static inline int shim_wants(long nr)
{
	if ((unsigned long)nr >= FACET_NR_MAX)
		return 0;
	if (__builtin_expect(!shim.ready, 0))
		return shim_setup_now(nr);
	return shim.chain.wanted_by[nr] && !shim_here()->busy;
}

/* Grouped with the per-call path of the core (see FACET_HOT), and the
 * start-up code of each image with itself (fewer page faults) */
#define SHIM_HOT	FACET_HOT
/* The intercepted call's own path (see FACET_CALLPATH): one page */
#define SHIM_CALLPATH	FACET_CALLPATH
#define SHIM_COLD	__attribute__((cold))

/* shim_signal.c */
const struct sigaction *shim_signal_wrap(int sig, const struct sigaction *act,
					 struct sigaction *copy);
void shim_signal_report(int sig, struct sigaction *old,
			const struct sigaction *prev);
void shim_signal_saved(int sig, struct sigaction *out);
void shim_signal_redeliver(struct shim_thread *t);
int shim_signal_install(int sig, const struct sigaction *act,
			struct sigaction *old);
void shim_signal_take(int sig);

/* shim_locale.c */
void shim_locale_opened(const char *path);

/* shim_probe.c */
long shim_probe_copy(void *dst, const void *src, size_t n);
long shim_probe_strncpy(char *dst, const char *src, size_t cap);
int shim_probe_fixup(int sig, void *uctx);
void shim_probe_arm(void);
extern int shim_probe_armed;

/* Module code of @t ends: signals that arrived meanwhile are delivered */
static inline __attribute__((always_inline)) void
shim_unbusy(struct shim_thread *t)
{
	if (--t->busy == 0 && __builtin_expect(t->deferred != 0, 0))
		shim_signal_redeliver(t);
}

/*
 * Module code runs for a call: its own calls go to libc and the selector
 * allows every syscall.  Return: the selector, for shim_module_end()
 */
static inline __attribute__((always_inline)) unsigned char
shim_module_begin(struct shim_thread *t)
{
	unsigned char prev = t->sel;

	t->sel = 0;
	t->busy++;
	return prev;
}

static inline __attribute__((always_inline)) void
shim_module_end(struct shim_thread *t, unsigned char prev_sel)
{
	t->sel = prev_sel;
	shim_unbusy(t);
}

/* shim_gate.c */
long shim_gate(long nr, long a0, long a1, long a2, long a3, long a4, long a5);
long shim_gate_libc(long nr, long a0, long a1, long a2, long a3, long a4,
		    long a5);

/*
 * libc's "syscall; ret" (shim.libc_syscall), called from the per-call
 * path itself: one indirect call, whose return comes straight back here
 * (not through shim_gate_libc(), whose stack argument and register moves
 * were a dozen instructions per call).  The call steps over the 128-byte
 * red zone below the stack pointer, which the compiler may be using.
 */
static inline __attribute__((always_inline)) long
shim_gate_libc_call(const void *fn, long nr, long a0, long a1, long a2,
		    long a3, long a4, long a5)
{
	register long r10 __asm__("r10") = a3;
	register long r8 __asm__("r8") = a4;
	register long r9 __asm__("r9") = a5;
	long ret;

	__asm__ volatile("lea -128(%%rsp), %%rsp\n\t"
			 "call *%[fn]\n\t"
			 "lea 128(%%rsp), %%rsp"
			 : "=a"(ret)
			 : [fn] "r"(fn), "a"(nr), "D"(a0), "S"(a1), "d"(a2),
			   "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

/*
 * shim_gate(), for the per-call path: with the raw catch armed, straight
 * to libc's "syscall; ret" (see shim_gate.c), without touching the
 * gate's own page.
 */
static inline __attribute__((always_inline)) long
shim_gate_call_of(struct shim_thread *t, long nr, long a0, long a1, long a2,
		  long a3, long a4, long a5)
{
	const void *fn = shim.libc_syscall;

	if (__builtin_expect(t->armed == 1, 1) && fn)
		return shim_gate_libc_call(fn, nr, a0, a1, a2, a3, a4, a5);
	return shim_gate(nr, a0, a1, a2, a3, a4, a5);
}

static inline __attribute__((always_inline)) long
shim_gate_call(long nr, long a0, long a1, long a2, long a3, long a4, long a5)
{
	return shim_gate_call_of(shim_here(), nr, a0, a1, a2, a3, a4, a5);
}
#define shim_gate0(nr)		shim_gate(nr, 0, 0, 0, 0, 0, 0)
#define shim_gate1(nr, a)	shim_gate(nr, (long)(a), 0, 0, 0, 0, 0)
#define shim_gate2(nr, a, b)	shim_gate(nr, (long)(a), (long)(b), 0, 0, 0, 0)
#define shim_gate3(nr, a, b, c)						\
	shim_gate(nr, (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define shim_gate4(nr, a, b, c, d)					\
	shim_gate(nr, (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)
void shim_gate_range(uintptr_t *lo, size_t *len);
int shim_gate_page_map(void);
int shim_gate_page_shut(void);
void shim_call_fence_unwant(void);
void shim_gate_find_libc(uintptr_t lo, size_t len);
int shim_sud_arm(int mode);
pid_t shim_gettid_fetch(void);

/* This thread's id, cached (reset in a fork child) */
static inline __attribute__((always_inline)) pid_t
shim_gettid_of(struct shim_thread *t)
{
	pid_t tid = t->tid;

	if (__builtin_expect(tid != 0, 1))
		return tid;
	return shim_gettid_fetch();
}

static inline __attribute__((always_inline)) pid_t shim_gettid(void)
{
	return shim_gettid_of(shim_here());
}

void shim_proc_ids_fetch(struct shim_thread *t);

/*
 * This thread's id as /proc numbers it, what the modules get as
 * facet_tid(): in a new pid namespace with the parent's /proc it is not
 * gettid()'s.  Cached per thread (reset in a fork child), read from
 * /proc/thread-self the first time.  The lock, tgkill() and the like keep
 * shim_gettid(): syscalls take the caller's namespace's ids.
 */
static inline __attribute__((always_inline)) pid_t
shim_proc_tid_of(struct shim_thread *t)
{
	if (__builtin_expect(!t->proc_tid, 0))
		shim_proc_ids_fetch(t);
	return t->proc_tid;
}

/* The process's id as /proc numbers it: facet_pid() */
static inline __attribute__((always_inline)) pid_t
shim_proc_pid_of(struct shim_thread *t)
{
	shim_proc_tid_of(t);
	return t->proc_pid;
}

/* shim_call.c */
long shim_dispatch(long nr, const long args[6]);

/* shim_misc.c: syscall() */
extern long (*shim_syscall_next)(long, long, long, long, long, long, long)
	__attribute__((visibility("hidden")));
long shim_syscall_libc_first(long nr, long a0, long a1, long a2, long a3,
			     long a4, long a5);
void shim_syscall_attn_set(void);

/* libc's syscall(), with the same arguments: a tail call for the callers */
static inline __attribute__((always_inline)) long
shim_syscall_libc(long nr, long a0, long a1, long a2, long a3, long a4,
		  long a5)
{
	long (*next)(long, long, long, long, long, long, long) =
		shim_syscall_next;

	if (__builtin_expect(!next, 0))
		return shim_syscall_libc_first(nr, a0, a1, a2, a3, a4, a5);
	return next(nr, a0, a1, a2, a3, a4, a5);
}

/**
 * struct shim_pass - What the chain made of a wanted call (shim_pass())
 * @ret:	Unless @pass: the call's result, in libc's convention
 * @pass:	The modules let it through unchanged: the caller makes it
 *		with libc's own function
 *
 * Two words: returned in registers.
 */
struct shim_pass {
	long ret;
	long pass;
};

struct shim_pass shim_pass(long a0, long a1, long a2, long a3, long a4,
			   long nr);
struct shim_pass shim_pass6(long nr, long a0, long a1, long a2, long a3,
			    long a4, long a5);
enum facet_verdict shim_enter(struct facet_call *call,
			      facet_call_scratch *scratch, long nr,
			      const long args[6]);

long shim_leave(struct facet_call *call, long result);
long shim_syscall6(long nr, long a0, long a1, long a2, long a3, long a4,
		   long a5);
long shim_bad_abi(void);
int shim_lock_taken(void);
void shim_unlock_taken(void);
void shim_lock_reset(void);

/*
 * glibc clears this before it starts a second thread (shim_clone.c does
 * for the threads it makes).  While it is set no other thread can
 * contend, and a signal handler of this thread nests as it would with the
 * lock held: no lock is taken (and the token says so to shim_unlock()).
 * Inline, with the futex lock out of line: no call on the usual path.
 */
extern char __libc_single_threaded;

/* Serialize module callbacks.  Return: the token for shim_unlock() */
static inline __attribute__((always_inline)) int shim_lock(void)
{
	const char *single = shim.single_threaded;

	if (__builtin_expect(!single, 0))
		single = &__libc_single_threaded;
	if (__atomic_load_n(single, __ATOMIC_RELAXED))
		return 0;
	return shim_lock_taken();
}

static inline __attribute__((always_inline)) void shim_unlock(int token)
{
	if (token)
		shim_unlock_taken();
}

/* Does open(2) with @flags take a mode argument (glibc's __OPEN_NEEDS_MODE)? */
static inline int shim_open_needs_mode(int flags)
{
	return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE;
}

/* Return a raw result the libc way: -1 and errno for -4095..-1 */
static inline long shim_ret(long r)
{
	if ((unsigned long)r > -4096UL) {
		*shim_errno(shim_here()) = (int)-r;
		return -1;
	}
	return r;
}

/* shim_exec.c */
long shim_exec(long nr, const long args[6], const long orig[6]);

char **shim_exec_env(char *const *envp, int bare, char **out, size_t cap,
		     char *preload_buf, size_t preload_cap);
size_t shim_exec_env_count(char *const *envp);
size_t shim_exec_env_buf(char *const *envp);
void shim_exec_env_hide(const char *loaded_as);
int shim_exec_static(int dirfd, const char *path);
int shim_exec_bare(int dirfd, const char *path, char *const *argv,
		   long flags);
size_t shim_handoff_env_bytes(char *const *envp);
void shim_handoff_args(const char *path, char *const *argv,
		       char *const *envp, char **nargv, char **nenvp,
		       char *pathvar, int keep_fd, char *fdvar, char *ldbuf);

/* shim_spawn_actions.c */
#define SHIM_SPAWN_OPENED	64
const posix_spawn_file_actions_t *
shim_spawn_actions(const posix_spawn_file_actions_t *fa,
		   posix_spawn_file_actions_t *out, int *opened, int cap,
		   int *err);
void shim_spawn_actions_done(posix_spawn_file_actions_t *out,
			     const int *opened);

/* shim_clone.c */
int shim_clone_new_stack(long nr, const long a[6]);
long shim_clone_raw(long nr, const long a[6], const unsigned long *regs);
long shim_clone_syscall(long nr, long a0, long a1, long a2, long a3, long a4,
			long a5);

/* shim_sigsys.c */
int shim_sigsys_install(void);

/* shim_inner.c */
void shim_inner_reroute(void);
extern int shim_inner_exec;

/* shim_trap.c */
int shim_trap_enter(void);
void shim_trap_leave(int token);

/* shim_call.c: the thread's place buffer, at its end */
void shim_place_free(void *unused);

/* shim_clock.c */
void shim_clock_setup(const struct facet_env *env);
void shim_clock_hide_vdso(char **envp);
unsigned long shim_clock_vdso(void);
void shim_listing_setup(const struct facet_env *env);
void shim_realpath_setup(const struct facet_env *env);

/* shim_main.c */
void shim_fork_child(void);
void shim_end(int status);
char *shim_concat(const char *a, const char *b);

/* shim_creds.c */
void shim_creds_hold(void);
void shim_creds_held_so(void);
void shim_creds_ns_call(long nr, long a0, long a1);

/* Calls that may take the process to another user or mount namespace or
 * root (shim_creds_ns_call() looks at their flags) */
static inline int shim_creds_ns_nr(long nr)
{
	return nr == SYS_unshare || nr == SYS_setns || nr == SYS_clone ||
	       nr == SYS_clone3 || nr == SYS_chroot || nr == SYS_pivot_root;
}

/* Look up the next definition of a libc function, once */
void *shim_next(const char *name);
void *shim_next_symbol(const char *name);
int shim_malloc_foreign(void);
#define SHIM_NEXT(type, name)						\
	({								\
		static __typeof__(type) shim_next_			\
			__attribute__((section(".data.facet_2next")));	\
		if (!shim_next_)					\
			shim_next_ = (type)shim_next(name);		\
		shim_next_;						\
	})

#endif /* FACET_PRELOAD_SHIM_H */
