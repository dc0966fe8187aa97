// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vnet/vnet_leave.c - Processes that make a network namespace of
 * their own leave the view's network
 *
 * DOC: A namespace of its own
 *
 * A process of the view that makes a network namespace (unshare -rn, a
 * container runtime, another facet run --net whose keeper is such a
 * process) gets what the kernel gives it: its sockets belong to that
 * namespace, so that it can bring up its lo and configure it.  Such a
 * namespace is new and empty, so nothing in it reaches the host's network
 * that the view hides; a helper that connects it onward (slirp4netns, a
 * keeper's libslirp process) stays in the view's namespace, and its
 * sockets come from the view's network as before.
 *
 * Nothing is asked per socket() until some process of the view has made a
 * call that can change its network namespace (unshare or clone with
 * CLONE_NEWNET, clone3, setns): that sets a flag in the view's shared
 * memory.  From then on socket() compares the caller's /proc/TID/ns/net
 * with the namespace the view started in (one stat).  setns() into an
 * existing namespace takes the same path: only a process with
 * CAP_SYS_ADMIN over that namespace can make it, and it could leave the
 * view's network in other ways too.
 */
#include <linux/sched.h>
#include <sched.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "vnet.h"

/* Identity of a network namespace file; 0 on success */
static int vnet_leave_ns_of(const char *path, uint64_t *dev, uint64_t *ino)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return -1;
	*dev = st.st_dev;
	*ino = st.st_ino;
	return 0;
}

/**
 * vnet_leave_home() - Note the network namespace the view starts in
 * @h:	In the view's shared memory
 *
 * Called by the view's first start(), in a process of that namespace.
 */
void vnet_leave_home(struct vnet_home *h)
{
	if (vnet_leave_ns_of("/proc/self/ns/net", &h->dev, &h->ino) < 0)
		h->dev = h->ino = 0;
	h->left = 0;
}

/**
 * vnet_leave_wants() - The calls that can move a process to another
 * network namespace
 * @set:	The module's set
 */
void vnet_leave_wants(struct facet_sysset *set)
{
	facet_sysset_add(set, SYS_unshare, FACET_HOOK_ENTER);
	facet_sysset_only_if(set, SYS_unshare, 0, CLONE_NEWNET);
	facet_sysset_add(set, SYS_clone, FACET_HOOK_ENTER);
	facet_sysset_only_if(set, SYS_clone, 0, CLONE_NEWNET);
	/* clone3's flags are in memory, setns's type may be 0 (any) */
	facet_sysset_add(set, SYS_clone3, FACET_HOOK_ENTER);
	facet_sysset_add(set, SYS_setns, FACET_HOOK_ENTER);
}

/**
 * vnet_leave_note() - One of vnet_leave_wants()'s calls is about to run
 * @h:		The view's
 * @call:	The call, left as it is
 */
void vnet_leave_note(struct vnet_home *h, struct facet_call *call)
{
	uint64_t flags = 0;
	int moves;

	switch (facet_nr(call)) {
	case SYS_unshare:
	case SYS_clone:
		moves = !!(facet_arg(call, 0) & CLONE_NEWNET);
		break;
	case SYS_clone3:
		/* struct clone_args starts with the flags */
		moves = facet_peek(call, &flags, (uintptr_t)facet_arg(call, 0),
				   sizeof(flags)) != (ssize_t)sizeof(flags) ||
			(flags & CLONE_NEWNET);
		break;
	case SYS_setns:
		moves = !facet_arg(call, 1) || facet_arg(call, 1) == CLONE_NEWNET;
		break;
	default:
		return;
	}
	if (moves && !__atomic_load_n(&h->left, __ATOMIC_RELAXED))
		__atomic_store_n(&h->left, 1, __ATOMIC_RELEASE);
}

/**
 * vnet_leave_gone() - Is the calling thread in a network namespace other
 * than the view's?
 * @h:		The view's
 * @call:	The call (its thread)
 * @in_caller:	The module runs in the calling process (preload)
 *
 * Return: 1 if its sockets are its own namespace's, 0 if they are the
 * view's network's (also when it cannot be told: never the host's)
 */
int vnet_leave_gone(const struct vnet_home *h, struct facet_call *call,
		    int in_caller)
{
	uint64_t dev, ino;
	char path[48];

	if (__builtin_expect(!__atomic_load_n(&h->left, __ATOMIC_ACQUIRE), 1))
		return 0;
	if (!h->ino)
		return 0;
	if (in_caller)
		snprintf(path, sizeof(path), "/proc/thread-self/ns/net");
	else
		snprintf(path, sizeof(path), "/proc/%d/ns/net",
			 (int)facet_tid(call));
	if (vnet_leave_ns_of(path, &dev, &ino) < 0)
		return 0;
	return dev != h->dev || ino != h->ino;
}
