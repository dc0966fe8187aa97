# SPDX-License-Identifier: MIT
# facet - modules/vfs/module.mk: the file system view
MODULE_SRCS	+= modules/vfs/vfs_module.c modules/vfs/vfs_table.c \
		   modules/vfs/vfs_resolve.c modules/vfs/vfs_sys.c \
		   modules/vfs/vfs_proc.c modules/vfs/vfs_exec.c \
		   modules/vfs/vfs_emul.c modules/vfs/vfs_creds.c \
		   modules/vfs/vfs_mounts.c \
		   modules/vfs/vfs_cache.c modules/vfs/vfs_clock.c \
		   modules/vfs/vfs_memo.c \
		   modules/vfs/vfs_unix.c modules/vfs/vfs_unix_far.c \
		   modules/vfs/vfs_fds.c modules/vfs/vfs_fdtrue.c \
		   modules/vfs/vfs_hot.c modules/vfs/vfs_stats.c \
		   modules/vfs/vfs_cow.c modules/vfs/vfs_glue.c \
		   modules/vfs/vfs_touches.c modules/vfs/vfs_comm.c \
		   modules/vfs/vfs_cmdline.c modules/vfs/vfs_fence.c \
		   modules/vfs/vfs_sealed.c \
		   modules/vfs/vfs_fdattr.c modules/vfs/vfs_chroot.c
MODULE_PKGS	+= busybox-static python3 tar
