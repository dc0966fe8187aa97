// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * ptracer/tracer_memory.c - Whose memory may change while a call waits
 *
 * DOC: Stable arguments
 *
 * A module reads a path from the caller's memory, decides, and may let
 * the call go on; the kernel then reads the path again.  If another
 * thread, or another process sharing the page, rewrites the string in
 * between, the kernel acts on a path no module saw (seccomp_unotify(2)
 * warns of this for SECCOMP_USER_NOTIF_FLAG_CONTINUE).  A module asks
 * facet_args_stable() before it lets a checked path through unchanged.
 *
 * The answer is yes for a thread whose strings no one else can write
 * while it is stopped in the call:
 * - it is known since its fork or exec and alone in its address space (no
 *   thread, no CLONE_VM sibling: kcmp(KCMP_VM) at each new tracee).  A
 *   vfork child shares its parent's memory, but the parent sleeps in
 *   vfork until the child execs or ends: only the child is marked;
 * - no string argument of the call lies in a shared mapping.  The filter
 *   shows mmap(MAP_SHARED) and shmat when a module takes paths; the
 *   process's shared ranges are then read from /proc/PID/maps at its next
 *   call.  Most processes have none; many have one, glibc's read-only
 *   gconv-modules.cache, which holds no caller's path;
 * - no process_vm_writev() was aimed at its process;
 * - no other process shares its cwd or fd table (kcmp(KCMP_FS) and
 *   kcmp(KCMP_FILES) at each new tracee that does not share the memory):
 *   such a process may move the cwd or put another directory on a
 *   dirfd's number between the check of a relative path and the kernel's
 *   walk of it.  Kept through exec (the cwd stays shared).
 * Not covered: a shared mapping moved by mremap() after it was read (the
 * filter does not show mremap, which realloc() makes often), another
 * process writing the file behind a private file mapping that holds the
 * string, or writing /proc/PID/mem (see docs/vfs.md).
 */
#include <linux/kcmp.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <facet/module.h>

#include "tracer.h"

/* Read @te's shared mappings from /proc/TID/maps; -1 if it cannot */
static int memory_read_shared(struct tracee *te)
{
	char path[64], line[512];
	unsigned long lo, hi;
	int at_start = 1;
	char perms[5];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", te->tid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	te->nshared = 0;
	while (fgets(line, sizeof(line), f)) {
		int starts = at_start;

		at_start = strchr(line, '\n') != NULL;	/* long names wrap */
		if (!starts || sscanf(line, "%lx-%lx %4s", &lo, &hi, perms) != 3 ||
		    perms[3] != 's')
			continue;
		if (te->nshared == te->cap_shared) {
			size_t cap = te->cap_shared ? 2 * te->cap_shared : 4;
			void *p = realloc(te->shared, cap * sizeof(*te->shared));

			if (!p) {
				fclose(f);
				return -1;
			}
			te->shared = p;
			te->cap_shared = cap;
		}
		te->shared[te->nshared][0] = lo;
		te->shared[te->nshared][1] = hi;
		te->nshared++;
	}
	fclose(f);
	te->shared_dirty = 0;
	return 0;
}

/* Does [@addr, @addr + PATH_MAX) meet one of @te's shared ranges? */
static int memory_in_shared(const struct tracee *te, unsigned long addr)
{
	unsigned long end = addr + PATH_MAX;
	size_t i;

	for (i = 0; i < te->nshared; i++)
		if (addr < te->shared[i][1] && end > te->shared[i][0])
			return 1;
	return 0;
}

/* Can the strings @te passes to @nr(@args) change before the kernel reads
 * them again?  Called with tab_lock held.  Return: 1 if they cannot */
static int memory_stable(struct tracee *te, long nr, const long *args)
{
	const struct facet_syscall *sc;
	int i;

	if (!te->mem_known || te->shares_vm || te->foreign_writes ||
	    te->shares_base)
		return 0;
	if (te->shared_dirty && memory_read_shared(te) < 0)
		return 0;
	if (!te->nshared)
		return 1;
	sc = facet_syscall(nr);
	if (!sc)
		return 0;
	for (i = 0; i < sc->nargs && i < 6; i++) {
		int kind = sc->arg[i].kind;

		if ((kind == FACET_ARG_PATH || kind == FACET_ARG_STR ||
		     kind == FACET_ARG_STRV) && memory_in_shared(te, args[i]))
			return 0;
	}
	return 1;
}

/**
 * tracer_memory_args_stable() - facet_args_stable() for both kinds of call
 *
 * Asked only by a module about to let a checked path through, so no other
 * call pays for the lookup (or for reading /proc/PID/maps).
 */
int tracer_memory_args_stable(struct tracer *t, const struct facet_call *call)
{
	struct tracee *te;
	int stable;

	pthread_mutex_lock(&t->tab_lock);
	te = tracee_find(t, call->tid);
	stable = te && memory_stable(te, call->nr, call->args);
	pthread_mutex_unlock(&t->tab_lock);
	return stable;
}

/* Do @a and @b share the object kcmp() @type names?  An error: yes */
static int memory_same(pid_t a, pid_t b, int type)
{
	long order = syscall(SYS_kcmp, a, b, type, 0, 0);

	return order != 1 && order != 2;
}

/* Do processes @a and @b share the cwd or the fd table? */
static int memory_shares_base(pid_t a, pid_t b)
{
	return memory_same(a, b, KCMP_FS) || memory_same(a, b, KCMP_FILES);
}

/**
 * tracer_memory_new() - A fork, vfork or clone made @child of @parent
 * @event:	The PTRACE_EVENT_* reported
 *
 * Called with tab_lock held.
 */
void tracer_memory_new(struct tracee *parent, struct tracee *child,
		       int event)
{
	/* 0: the same address space; 1 or 2: an order, so not; an error
	 * counts as shared */
	int same = memory_same(parent->tid, child->tid, KCMP_VM);

	child->mem_known = 1;
	child->foreign_writes = parent->foreign_writes;
	/* a fork keeps the shared mappings: read the child's own */
	child->shared_dirty = parent->shared_dirty || parent->nshared;
	child->shares_vm = same;
	/* a vfork parent waits for the child's exec or exit */
	if (same && event != PTRACE_EVENT_VFORK)
		parent->shares_vm = 1;
	/* a thread shares what its process shares; another process may
	 * share the cwd or the fd table alone */
	child->shares_base = same ? parent->shares_base :
			     memory_shares_base(parent->tid, child->tid);
	if (child->shares_base)
		parent->shares_base = 1;
}

/* @te ran a new image: a new address space of its own */
void tracer_memory_execed(struct tracee *te)
{
	te->mem_known = 1;
	te->shares_vm = 0;
	te->foreign_writes = 0;
	te->shared_dirty = 0;
	te->nshared = 0;
}

/* Mark every thread of process @tgid: its mappings changed, or another
 * process wrote its memory (@foreign) */
static void memory_mark_process(struct tracer *t, pid_t tgid, int foreign)
{
	struct tracee *te;
	int b;

	for (b = 0; b < TRACER_BUCKETS; b++)
		for (te = t->table[b]; te; te = te->next) {
			if (te->tgid != tgid && te->tid != tgid)
				continue;
			te->shared_dirty = 1;
			if (foreign)
				te->foreign_writes = 1;
		}
}

/* Is @nr(@args) one of the calls that share memory (the filter's rules)? */
static int memory_shares(long nr, const long *args)
{
	return (nr == SYS_mmap && (args[3] & MAP_SHARED)) ||
	       nr == SYS_shmat || nr == SYS_process_vm_writev;
}

/**
 * tracer_memory_watch() - See a call of thread @tid before the modules do
 *
 * Return: 1 if it was watched here and no module wants it (let it go on),
 * else 0
 */
int tracer_memory_watch(struct tracer *t, pid_t tid, long nr,
			const long *args)
{
	struct tracee *te;
	pid_t tgid;

	if (!t->watch_memory || !memory_shares(nr, args))
		return 0;
	pthread_mutex_lock(&t->tab_lock);
	if (nr == SYS_process_vm_writev) {
		tgid = (pid_t)args[0];
	} else {
		te = tracee_find(t, tid);
		tgid = te ? (te->tgid ? te->tgid : tid) : tid;
	}
	memory_mark_process(t, tgid, nr == SYS_process_vm_writev);
	pthread_mutex_unlock(&t->tab_lock);
	return !t->chain->hooks[nr];
}
