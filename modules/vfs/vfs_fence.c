// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vfs/vfs_fence.c - In the caller: no reaching into processes
 * outside the view
 *
 * A process of the view that may ptrace another process, read or write
 * its memory, or take an fd from it can make a process outside the view
 * open what the view hides and hand it back.  Under the ptracer the
 * supervisor refuses that from its table of tracees
 * (ptracer/tracer_fence.c).  In the caller (preload) the module does:
 * ptrace(PTRACE_ATTACH/SEIZE), process_vm_readv(), process_vm_writev() and
 * pidfd_getfd() aimed at a process that is not the view's fail with EPERM.
 * The view is the processes descended from the child of facet that
 * starts the command (facet and its own children are not in it); one that
 * was re-parented (a daemon) counts as outside.  libc makes these calls inside libc: the shim runs its
 * functions for them in trap mode (preload/shim_trap.c).
 *
 * /proc/PID/mem gives the same reach with open() and pwrite(): code
 * written into a process outside the view (facet's reaper, the user's
 * shell) runs there, outside the view.  So on every backend an open of
 * /proc/PID/mem of a process outside the view fails with EACCES, as where
 * the kernel refuses the ptrace access it needs.  (/proc/PID/map_files/
 * entries are symlinks the resolver reads and follows in the view.)
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../../core/procfs.h"
#include "vfs.h"

#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd	438
#endif

#define FENCE_DEPTH	128	/* ancestors looked at */

/* The parent of @pid from /proc/PID/stat, 0 if unknown */
static pid_t fence_parent(pid_t pid)
{
	char buf[512], *p;
	int ppid = 0;

	if (facet_procfs_read(pid, "stat", buf, sizeof(buf)) <= 0)
		return 0;
	p = strrchr(buf, ')');	/* the name may hold spaces and ')' */
	if (!p || sscanf(p + 1, " %*c %d", &ppid) != 1)
		return 0;
	return ppid;
}

/*
 * Is @target a process of the view started by @root?  facet's children
 * (the keeper that starts the command and waits for it, a vnet keeper,
 * vfs's reaper) are not; the command and its descendants, below the
 * keeper, are.
 */
static int fence_in_view(pid_t target, pid_t root)
{
	pid_t pid = target;
	int depth;

	for (depth = 0; pid > 1 && depth < FENCE_DEPTH; depth++) {
		pid_t parent = fence_parent(pid);

		if (parent == root)
			return pid != target;
		pid = parent;
	}
	return 0;
}

/* TracerPid of @pid from /proc/PID/status, -1 if unknown */
static pid_t fence_tracer(pid_t pid)
{
	return (pid_t)facet_procfs_status(pid, "TracerPid", 10);
}

/*
 * Is @target the caller's process or one of the view?  Under the
 * ptracer, and in a process of the combined mode (traced by the
 * supervisor, the view's first process), the view is what the supervisor
 * traces; under preload, the descendants of facet's keeper.
 */
static int fence_reaches(struct vfs_self *s, struct facet_call *call,
			 pid_t target)
{
	pid_t tracer;

	if (target == facet_pid(call))
		return 1;
	tracer = s->in_process ? fence_tracer(facet_pid(call)) : getpid();
	if (tracer > 0 && (!s->in_process || tracer == s->sh->root))
		return fence_tracer(target) == tracer;
	return fence_in_view(target, s->sh->root);
}

/**
 * vfs_fence_proc_open() - May @call open the /proc file @host?
 *
 * Return: 0, or -EACCES for /proc/PID/mem of a process outside the view
 */
int vfs_fence_proc_open(struct vfs_self *s, struct facet_call *call,
			const char *host)
{
	pid_t pid;
	const char *p = vfs_proc_entry(host, &pid);

	if (!p || strcmp(p, "mem"))
		return 0;
	return fence_reaches(s, call, pid) ? 0 : -EACCES;
}

/**
 * vfs_fence_wants() - The calls the fence looks at (in the caller only)
 */
void vfs_fence_wants(const struct vfs_self *s, struct facet_sysset *set)
{
	if (!s->in_process)
		return;
	facet_sysset_add(set, SYS_ptrace, FACET_HOOK_ENTER);
	facet_sysset_add(set, SYS_process_vm_readv, FACET_HOOK_ENTER);
	facet_sysset_add(set, SYS_process_vm_writev, FACET_HOOK_ENTER);
	facet_sysset_add(set, SYS_pidfd_getfd, FACET_HOOK_ENTER);
}

/**
 * vfs_fence_enter() - Refuse @call if it reaches outside the view
 *
 * Return: 1 if @v is set: FACET_DONE with EPERM, or FACET_CONTINUE for a
 * call that is the fence's alone; 0 if others look at @call (an allowed
 * pidfd_getfd(): vfs_fds.c)
 */
int vfs_fence_enter(struct vfs_self *s, struct facet_call *call,
		    enum facet_verdict *v)
{
	pid_t target;

	if (!s->in_process)
		return 0;
	switch (facet_nr(call)) {
	case SYS_ptrace:
		*v = FACET_CONTINUE;
		if (facet_arg(call, 0) != PTRACE_ATTACH &&
		    facet_arg(call, 0) != PTRACE_SEIZE)
			return 1;
		target = (pid_t)facet_arg(call, 1);
		break;
	case SYS_process_vm_readv:
	case SYS_process_vm_writev:
		target = (pid_t)facet_arg(call, 0);
		break;
	case SYS_pidfd_getfd:
		target = facet_procfs_pidfd_pid(facet_tid(call),
						facet_arg(call, 0));
		break;
	default:
		return 0;
	}
	*v = FACET_CONTINUE;
	if (target <= 0 || target == facet_pid(call) ||
	    fence_in_view(target, s->sh->root))
		return facet_nr(call) != SYS_pidfd_getfd;
	facet_return(call, -EPERM);
	*v = FACET_DONE;
	return 1;
}
