// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vfs/vfs_sealed.c - Directories no process of the view can change
 *
 * DOC: Sealed directories
 *
 * An open the supervisor lets go on as the caller spelt it is walked by
 * the kernel again, after the module checked it.  Under a view that hides
 * something, another process that swaps a directory on that walk for a
 * symlink in between (renameat2(RENAME_EXCHANGE)) reaches what the view
 * hides, or under --root the host's files.  That takes write permission on
 * the directory holding the swapped name.  A directory owned by root and
 * writable by neither its group nor others cannot be changed by a view
 * that does not run as root (facet runs the command with its own
 * credentials and no_new_privs, so no process of the view gains root): a
 * walk through such directories only (ld.so's /usr/lib/x86_64-linux-gnu)
 * may go on as spelt; any other is made by the module, walking no symlink
 * (vfs_open_notified()).  A view run as root can change any directory.
 *
 * What lstat() said of a directory is kept for the symlink cache's time
 * (one second): the view cannot change it, only root outside the view.
 */
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vfs.h"

#define VFS_SEALED_SLOTS	256	/* power of two */
#define VFS_SEALED_PATH		200	/* longer paths are looked at each time */

struct vfs_sealed_ent {
	int64_t stamp;
	int sealed;
	char path[VFS_SEALED_PATH];
};

/* Only the supervisor asks (the preload shim walks no symlink itself) */
static struct vfs_sealed_ent vfs_sealed_tab[VFS_SEALED_SLOTS];

static int vfs_dir_sealed_now(const char *dir)
{
	struct stat st;

	return lstat(dir, &st) == 0 && S_ISDIR(st.st_mode) &&
	       st.st_uid == 0 && !(st.st_mode & (S_IWGRP | S_IWOTH));
}

/**
 * vfs_dir_sealed() - Can no process of the view add, remove or rename
 * names in host directory @dir (canonical, no symlink)?
 *
 * Return: 1 if it cannot
 */
int vfs_dir_sealed(const char *dir)
{
	size_t len = strlen(dir);
	struct vfs_sealed_ent *e;

	if (geteuid() == 0)
		return 0;
	if (len >= VFS_SEALED_PATH)
		return vfs_dir_sealed_now(dir);
	e = &vfs_sealed_tab[vfs_hash_bytes(dir, len) &
			    (VFS_SEALED_SLOTS - 1)];
	if (e->stamp && vfs_cache_fresh(e->stamp) && !strcmp(e->path, dir))
		return e->sealed;
	e->sealed = vfs_dir_sealed_now(dir);
	memcpy(e->path, dir, len + 1);
	e->stamp = vfs_cache_stamp();
	return e->sealed;
}
