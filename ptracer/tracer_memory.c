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
 * The answer is yes for a thread whose memory no one else can write while
 * it is stopped in the call: known since its fork or exec, alone in its
 * address space (no thread, no CLONE_VM sibling: kcmp(KCMP_VM) at each new
 * tracee), and without shared mappings (mmap(MAP_SHARED) and shmat are
 * watched by the filter, inherited by fork, forgotten at exec), and no
 * process_vm_writev() aimed at it.  A vfork child shares its parent's
 * memory, but the parent sleeps in vfork until the child execs or ends:
 * only the child is marked.  Not covered: another process of the view
 * writing the file behind a private file mapping that holds the string,
 * or writing /proc/PID/mem (see docs/vfs.md).
 */
#include <linux/kcmp.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tracer.h"

/* Can the strings @te passes change before the kernel reads them again? */
int tracer_memory_stable(const struct tracee *te)
{
	return te->mem_known && !te->shares_vm && !te->shared_maps;
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
	long order = syscall(SYS_kcmp, parent->tid, child->tid, KCMP_VM, 0, 0);
	int same = order != 1 && order != 2;

	child->mem_known = 1;
	child->shared_maps = parent->shared_maps;
	child->shares_vm = same;
	/* a vfork parent waits for the child's exec or exit */
	if (same && event != PTRACE_EVENT_VFORK)
		parent->shares_vm = 1;
}

/* @te ran a new image: a new address space of its own */
void tracer_memory_execed(struct tracee *te)
{
	te->mem_known = 1;
	te->shares_vm = 0;
	te->shared_maps = 0;
}

/* Mark every thread of process @tgid as having shared memory */
static void memory_mark_process(struct tracer *t, pid_t tgid)
{
	struct tracee *te;
	int b;

	for (b = 0; b < TRACER_BUCKETS; b++)
		for (te = t->table[b]; te; te = te->next)
			if (te->tgid == tgid || te->tid == tgid)
				te->shared_maps = 1;
}

/* Is @nr(@args) one of the calls that share memory (tracer_memory_rules)? */
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
	memory_mark_process(t, tgid);
	pthread_mutex_unlock(&t->tab_lock);
	return !t->chain->hooks[nr];
}
