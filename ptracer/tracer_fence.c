// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * ptracer/tracer_fence.c - A view's processes do not reach into others
 *
 * DOC: The fence
 *
 * A process of a view that may ptrace another process, read or write its
 * memory, or take an fd from it can make a process outside the view do
 * what the view refuses: open a hidden file, or one outside --root, and
 * pass it back (found 2026-12-07 with facet's own process and the shell
 * that started it).  So when a module takes paths the supervisor refuses,
 * with EPERM:
 *  - ptrace(PTRACE_ATTACH) and ptrace(PTRACE_SEIZE) of any process (one
 *    in the view is traced by facet already: the kernel refuses those);
 *  - process_vm_readv(), process_vm_writev() and pidfd_getfd() aimed at a
 *    process outside the view, as the kernel refuses them for a process
 *    one may not ptrace.
 * The view is the supervisor's table of tracees.  The filter shows these
 * calls (tracer_seccomp.c); they are checked before the modules see them.
 */
#include <errno.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>

#include "../core/procfs.h"
#include "tracer.h"

#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd	438
#endif

/**
 * tracer_fence() - May thread @tid make call @nr with @args?
 *
 * Return: 0, or -EPERM for a call that reaches outside the view
 */
int tracer_fence(struct tracer *t, pid_t tid, long nr, const long *args)
{
	pid_t target;
	int in;

	if (!t->watch_memory)
		return 0;
	switch (nr) {
	case SYS_ptrace:
		return args[0] == PTRACE_ATTACH || args[0] == PTRACE_SEIZE ?
		       -EPERM : 0;
	case SYS_process_vm_readv:
	case SYS_process_vm_writev:
		target = (pid_t)args[0];
		break;
	case SYS_pidfd_getfd:
		target = facet_procfs_pidfd_pid(tid, args[0]);
		if (!target)
			return 0;	/* the kernel's EBADF */
		break;
	default:
		return 0;
	}
	pthread_mutex_lock(&t->tab_lock);
	in = tracee_find(t, target) != NULL;
	pthread_mutex_unlock(&t->tab_lock);
	return in ? 0 : -EPERM;
}
