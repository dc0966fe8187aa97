// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * preload/shim_main.c - Start-up and end of the view in one process image
 *
 * The constructor runs before main() in every image of the view.  A
 * process whose view cannot be set up does not run un-virtualized: it
 * prints one line and exits with status 125.
 */
#include <dlfcn.h>
#include <link.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../core/log.h"
#include "shim.h"

extern char **environ;

/* First in the shim's .data (see struct shim_state), zero-filled */
struct shim_state shim __attribute__((section(".data.facet_1shim"),
				      aligned(64))) = {
	/* every syscall() looks closer until the shim is set up */
	.syscall_attn = { ~0ULL, ~0ULL, ~0ULL, ~0ULL, ~0ULL, ~0ULL, ~0ULL,
			  ~0ULL },
};
_Static_assert(FACET_NR_MAX / 64 == 8, "shim.syscall_attn's initialiser");

static int shim_exit_status;
/* shim_init() has run: no lock of the program's can be held any more */
static int shim_constructed;

SHIM_COLD void *shim_next(const char *name)
{
	void *p = shim_next_symbol(name);

	if (!p)		/* not where ld.so would bind it: ask dlsym() */
		p = dlsym(RTLD_NEXT, name);

	if (!p) {
		facet_logmsg(FACET_LOG_ERROR, "preload: no libc function %s",
			     name);
		_exit(125);
	}
	return p;
}

/* A module called a library function the shim does not load */
__attribute__((noreturn)) void shim_stub_missing(const char *name)
{
	facet_logmsg(FACET_LOG_ERROR, "preload: a module called %s, from a "
		     "library that is not loaded into the command's "
		     "processes; run with --backend ptrace", name);
	_exit(125);
}

SHIM_COLD static void *main_shared(struct facet_env *env, const char *key,
			 size_t size)
{
	(void)env;
	return shim_shared_get(key, size);
}

/*
 * dl_iterate_phdr callback: find libc's executable segment, and the
 * shim's own name (the object @data lies in; dladdr() would also look
 * for the nearest symbol, a scan of the shim's whole symbol table)
 */
static SHIM_COLD int main_find_objects(struct dl_phdr_info *info,
				       size_t size, void *data)
{
	uintptr_t self = (uintptr_t)data;
	const char *base;
	int i, is_libc;

	(void)size;
	base = strrchr(info->dlpi_name, '/');
	base = base ? base + 1 : info->dlpi_name;
	is_libc = !strncmp(base, "libc.so", 7);
	for (i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		uintptr_t lo = info->dlpi_addr + ph->p_vaddr;

		if (ph->p_type != PT_LOAD)
			continue;
		if (is_libc && (ph->p_flags & PF_X)) {
			shim.libc_lo = lo;
			shim.libc_len = ph->p_memsz;
		}
		if (self >= lo && self - lo < ph->p_memsz)
			shim.so_path = info->dlpi_name;
	}
	return shim.libc_len && shim.so_path;
}

SHIM_COLD char *shim_concat(const char *a, const char *b)
{
	char *s = malloc(strlen(a) + strlen(b) + 1);

	if (!s) {
		facet_logmsg(FACET_LOG_ERROR, "preload: out of memory");
		_exit(125);
	}
	strcpy(s, a);
	strcat(s, b);
	return s;
}

static void main_fail(const char *msg)
{
	facet_logmsg(FACET_LOG_ERROR, "%s", msg);
	_exit(125);
}

/* fork: module state stays consistent, the child starts with a free lock */
static int main_fork_token;

static void main_fork_prepare(void)
{
	if (shim.procs)		/* the child's FACET_PROC_FORK names it */
		shim_proc_pid_of(&shim_tls);
	main_fork_token = shim_lock();
	shim_tls.in_fork = 1;
}

static void main_fork_parent(void)
{
	shim_tls.in_fork = 0;
	shim_unlock(main_fork_token);
}

void shim_fork_child(void)
{
	/* the ids the modules know are /proc's (shim_proc_tid_of()) */
	pid_t parent = shim_tls.proc_pid;

	shim_tls.in_fork = 0;
	shim_lock_reset();
	shim_tls.tid = 0;
	shim_tls.proc_pid = shim_tls.proc_tid = shim_tls.ns_pid = 0;
	shim_tls.armed = 0;
	shim_sud_arm(shim_tls.trap ? 2 : shim.raw_arm);
	if (!shim.procs)
		return;
	shim_tls.busy++;
	facet_chain_process(&shim.chain, FACET_PROC_FORK,
			    shim_proc_pid_of(&shim_tls),
			    parent ? parent : shim_gate0(SYS_getppid));
	shim_unbusy(&shim_tls);
}

/* Does a module of the chain want process events? */
static SHIM_COLD int main_wants_process(void)
{
	int i;

	for (i = 0; i < shim.chain.n; i++)
		if (shim.chain.inst[i].mod->process)
			return 1;
	return 0;
}

/*
 * The combined mode: the gate page, and the SIGSYS handler before the
 * modules start (their own libc calls that reach syscalls inside libc go
 * through trap mode and the gate page, see shim_trap_wanted()).  Without
 * the page the shim stands aside and the supervisor serves every call.
 *
 * Return: whether the shim serves calls
 */
static SHIM_COLD int main_supervised(void)
{
	int ret = shim_gate_page_map();

	if (ret == 0 && shim_gate_page_shut())
		ret = -EPERM;
	if (ret < 0) {
		log_info("preload: cannot map the gate page at %#lx (%s): the "
			 "supervisor serves every call of this program",
			 SHIM_GATE_PAGE, strerror(-ret));
		memset(shim.chain.wanted_by, 0, sizeof(shim.chain.wanted_by));
		memset(shim.chain.hooks, 0, sizeof(shim.chain.hooks));
		return 0;
	}
	shim.supervised = 1;
	if (shim_sigsys_install() < 0)
		main_fail("preload: cannot install the SIGSYS handler");
	return 1;
}

/* The name a posix_spawn() child has natively (shim_spawn.c) */
static SHIM_COLD void main_comm(void)
{
	const char *name = getenv(SHIM_ENV_COMM);

	if (!name)
		return;
	prctl(PR_SET_NAME, name);
	unsetenv(SHIM_ENV_COMM);
}

static SHIM_COLD void main_start(const char *value)
{
	struct facet_err err = { "" };
	struct facet_env env;
	const char *loaded_as;
	char *copy;
	int nr, any = 0;
	pid_t pid;

	/* for shim_here() and shim_lock(): static TLS is at the same
	 * offset from the thread pointer in every thread */
	shim.tls_off = (char *)&shim_tls - (char *)__builtin_thread_pointer();
	shim.single_threaded = &__libc_single_threaded;
	copy = strdup(value);
	if (!copy || shim_config_decode(&shim.cfg, copy) < 0)
		main_fail("preload: the " SHIM_ENV " variable is damaged; "
			  "run the command through 'facet run'");
	facet_log_set_level(shim.cfg.log);
	main_comm();
	/* facet names the shim by its absolute, resolved path, and new
	 * images inherit that name: resolved again only if relative.
	 * ld.so keeps its name for as long as the shim is loaded */
	dl_iterate_phdr(main_find_objects, (void *)main_start);
	if (!shim.so_path)
		shim.so_path = "";
	loaded_as = shim.so_path;
	if (shim.so_path[0] && shim.so_path[0] != '/') {
		char *abs = realpath(shim.so_path, NULL);

		if (abs)
			shim.so_path = abs;
	}
	shim_creds_held_so();
	shim.env_var = shim_concat(SHIM_ENV "=", value);
	shim.preload_var = shim_concat("LD_PRELOAD=", shim.so_path);
	shim.handoff_var = shim_concat(SHIM_ENV_HANDOFF "=", value);
	if (shim.cfg.shm && shim.cfg.shm[0])
		shim_shared_attach_later(shim.cfg.shm);
	if (shim.cfg.supervised && !main_supervised())
		return;
	shim.chain.self_arena = shim.self_arena;
	shim.chain.self_arena_size = sizeof(shim.self_arena);
	if (shim_config_replay(&shim.chain, shim.cfg.chain, &err) < 0)
		main_fail(err.msg);
	memset(&env, 0, sizeof(env));
	env.backend = "preload";
	/* facet started the modules first (cli_backend.c), unless there
	 * is no view's memory at all */
	env.first = !(shim.cfg.shm && shim.cfg.shm[0]);
	env.shared = main_shared;
	if (facet_chain_start(&shim.chain, &env, &err) < 0)
		main_fail(err.msg);
	if (shim.supervised)
		shim_call_fence_unwant();
	shim_clock_setup(&env);
	shim_listing_setup(&env);
	shim_realpath_setup(&env);
	for (nr = 0; nr < FACET_NR_MAX; nr++)
		any |= shim.chain.hooks[nr];
	/* the combined mode's calls leave from the gate page, outside the
	 * raw catch's range: shim.libc_syscall stays NULL (shim_gate.c) */
	if (!shim.supervised)
		shim_gate_find_libc(shim.libc_lo, shim.libc_len);
	if (!shim.libc_len)
		shim.cfg.raw = 0;
	if (!any)
		shim.cfg.raw = 0;
	shim.raw_arm = shim.cfg.raw;
	if (any && env.catch_all)	/* libc's own calls too */
		shim.raw_arm = 2;
	shim.any = any;
	pthread_atfork(main_fork_prepare, main_fork_parent, shim_fork_child);
	if (any && !shim.supervised && shim_sigsys_install() < 0)
		main_fail("preload: cannot install the SIGSYS handler");
	shim.active = 1;
	shim_exec_env_hide(loaded_as);
	shim.procs = main_wants_process();
	if (shim.procs) {
		/* as /proc numbers it, like facet_pid() */
		pid = shim_proc_pid_of(&shim_tls);
		facet_chain_process(&shim.chain, env.first ? FACET_PROC_FORK :
				    FACET_PROC_EXEC, pid,
				    env.first ? shim_gate0(SYS_getppid) : pid);
	}
	if (shim.raw_arm && shim_sud_arm(shim.raw_arm) < 0) {
		log_warn("preload: Syscall User Dispatch is not available: "
			 "raw syscalls outside libc are not seen");
		shim.cfg.raw = 0;
		shim.raw_arm = 0;
	}
	if (any)
		shim_inner_reroute();
}

/**
 * shim_setup_now() - Set the shim up if nothing has yet
 * @nr:		The call that asked, or -1
 *
 * The constructor does it, unless an interposed function is called
 * earlier (from a constructor of one of the program's libraries, which
 * run first).
 *
 * Return: whether a module wants @nr now
 */
SHIM_COLD int shim_setup_now(long nr)
{
	static int claimed;
	const char *value;

	if (!__atomic_load_n(&shim.ready, __ATOMIC_ACQUIRE) &&
	    !shim_tls.busy) {
		/*
		 * Set-up allocates (the modules' options, the view's
		 * table).  A program with an allocator of its own
		 * (jemalloc: dig, redis) makes calls while it holds that
		 * allocator's lock, at its first malloc() in a library's
		 * constructor (jemalloc reads /etc/malloc.conf): set up
		 * there, the shim waited for that lock for ever.  Its calls
		 * before the shim's constructor pass on unseen then, as if
		 * before the shim was loaded; the constructor sets up.
		 */
		if (!shim_constructed && shim_malloc_foreign())
			return 0;
		/* one thread sets up (a library's constructor may have
		 * started others); the rest wait for it */
		if (__atomic_exchange_n(&claimed, 1, __ATOMIC_ACQ_REL)) {
			while (!__atomic_load_n(&shim.ready, __ATOMIC_ACQUIRE))
				sched_yield();
		} else {
			shim_tls.busy++;
			value = getenv(SHIM_ENV);
			if (value)
				main_start(value);
			else
				memset(shim.chain.wanted_by, 0,
				       sizeof(shim.chain.wanted_by));
			shim_syscall_attn_set();
			__atomic_store_n(&shim.ready, 1, __ATOMIC_RELEASE);
			shim_unbusy(&shim_tls);
		}
	}
	return nr >= 0 && nr < FACET_NR_MAX && shim.chain.wanted_by[nr] &&
	       !shim_tls.busy;
}

/* glibc passes an ELF constructor main()'s arguments: envp is the one on
 * the initial stack, which the auxiliary vector follows */
__attribute__((constructor)) SHIM_COLD static void
shim_init(int argc, char **argv, char **envp)
{
	(void)argc;
	(void)argv;
	/* a write first (main_start() sets the same): a page read first
	 * is a page fault, and the write after it a second one */
	shim.tls_off = (char *)&shim_tls - (char *)__builtin_thread_pointer();
	shim_constructed = 1;
	shim_setup_now(-1);
	shim_clock_hide_vdso(envp);
	/* main()'s envp, which has a copy of the vector (shim_exec.c) */
	if (environ != envp)
		shim_clock_hide_vdso(environ);
}

/**
 * shim_end() - The process ends: FACET_PROC_EXIT, then stop()
 * @status:	Its wait status
 *
 * From the destructor, or, when every call is caught (raw_arm 2), from
 * its exit_group(): what exit() does after the destructors (stdio's last
 * writes) is still seen, and so is an _exit().
 */
SHIM_COLD void shim_end(int status)
{
	int tok;

	if (!shim.active)
		return;
	shim_tls.busy++;
	tok = shim_lock();
	if (shim.procs)
		facet_chain_process(&shim.chain, FACET_PROC_EXIT,
				    shim_proc_pid_of(&shim_tls), status);
	facet_chain_stop(&shim.chain);
	shim.active = 0;
	memset(shim.chain.wanted_by, 0, sizeof(shim.chain.wanted_by));
	memset(shim.chain.hooks, 0, sizeof(shim.chain.hooks));
	shim_syscall_attn_set();
	shim_unlock(tok);
	shim_unbusy(&shim_tls);
}

__attribute__((destructor)) SHIM_COLD static void shim_fini(void)
{
	if (shim.raw_arm != 2 || shim_tls.armed != 2)
		shim_end(shim_exit_status);
}

/* exit(): remember the status for FACET_PROC_EXIT */
SHIM_COLD void exit(int status)
{
	shim_exit_status = (status & 0xff) << 8;
	SHIM_NEXT(void (*)(int), "exit")(status);
	__builtin_unreachable();
}
