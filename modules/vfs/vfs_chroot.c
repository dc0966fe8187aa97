// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vfs/vfs_chroot.c - chroot() onto the view's own root
 *
 * DOC: chroot
 *
 * A privileged command in a chroot (sudo chroot R) may chroot("/") again,
 * and scripts do ("chroot / CMD", "cd / && chroot . CMD"): the root stays
 * where it is.  facet cannot move a process's root inside the view, so
 * chroot() succeeds, without a call to the kernel, only when the path is
 * the view's own root and the caller has CAP_SYS_CHROOT, as natively; any
 * other directory gets EPERM (documented), one that is missing or not a
 * directory the kernel's ENOENT or ENOTDIR first, as natively.
 */
#include <errno.h>
#include <linux/capability.h>
#include <string.h>
#include <sys/stat.h>

#include "vfs.h"

/**
 * vfs_chroot() - The result of chroot() in the view
 * @resolved:	What resolving its path gave: 0 (@res holds it), 1 (an
 *		empty path) or -errno
 *
 * Return: 0 or -errno
 */
int vfs_chroot(struct facet_call *call, int resolved,
	       const struct vfs_res *res)
{
	struct stat st;
	int capable;

	if (resolved < 0)
		return resolved;
	if (resolved > 0)
		return -ENOENT;
	if (stat(res->host, &st) < 0)
		return -errno;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	capable = vfs_creds_capable(call, CAP_SYS_CHROOT);
	if (capable <= 0)
		return capable < 0 ? capable : -EPERM;
	/* a root of its own for one process: not in the view */
	if (strcmp(res->guest, "/"))
		return -EPERM;
	return 0;
}
