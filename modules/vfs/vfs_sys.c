// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vfs/vfs_sys.c - Translating the path arguments of every syscall
 *
 * vfs_calls[] says, per syscall, which arguments are a dirfd and a path,
 * whether the last component is followed (always, never, or by a flag),
 * and whether the call writes (for --ro).  Every syscall of the core table
 * that takes a path and is not listed here fails with ENOSYS: nothing is
 * passed to the kernel untranslated.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "vfs.h"

#ifndef AT_EMPTY_PATH
#define AT_EMPTY_PATH		0x1000
#endif
#define VFS_IN_DONT_FOLLOW	0x02000000
#define VFS_RESOLVE_NO_XDEV	0x01
#define VFS_RESOLVE_NO_MAGIC	0x02
#define VFS_RESOLVE_NO_SYMLINKS	0x04
#define VFS_RESOLVE_BENEATH	0x08
#define VFS_RESOLVE_IN_ROOT	0x10
#define VFS_RESOLVE_CACHED	0x20
#ifndef __O_TMPFILE
#define __O_TMPFILE		020000000
#endif
/*
 * Opens that stay ptrace stops (the path is rewritten and the caller opens
 * the file itself): an O_PATH fd cannot be handed over, and creating a file
 * needs the caller's umask and credentials.
 */
#define VFS_OPEN_TRACED		(O_PATH | O_CREAT | __O_TMPFILE)

/* How the last component is treated */
enum vfs_follow {
	F_YES,		/* always followed */
	F_NO,		/* never */
	F_ATNO,		/* followed unless AT_SYMLINK_NOFOLLOW */
	F_ATYES,	/* followed only with AT_SYMLINK_FOLLOW */
	F_OPEN,		/* open flags: O_NOFOLLOW, O_CREAT|O_EXCL */
	F_INOTIFY,	/* IN_DONT_FOLLOW */
};

/* Whether the call modifies the path (EROFS under --ro) */
enum vfs_write {
	W_NO,
	W_YES,
	W_OPEN,		/* by the open flags */
	W_ACCESS,	/* W_OK in the mode */
};

enum vfs_special {
	S_NONE,
	S_EXEC,		/* execve, execveat */
	S_READLINK,	/* magic links answered in guest terms */
	S_OPENAT2,	/* struct open_how */
	S_EPERM,	/* mount-like: EPERM as for an unprivileged user */
	S_ENOSYS,	/* cannot be translated safely */
	S_CREAT,	/* creat(): open flags are implied */
	S_CHROOT,	/* answered: vfs_chroot() */
};

struct vfs_patharg {
	signed char dirfd, path;
	unsigned char follow, write;
};

/**
 * struct vfs_sysdesc - How one syscall takes paths
 * @flags:	Index of the flags argument (AT_*, O_*, IN_*), -1 if none
 * @mode:	Index of the access mode (access, faccessat), -1 if none
 * @nullok:	A NULL path means "the fd itself" (utimensat, futimesat)
 */
struct vfs_sysdesc {
	short nr;
	signed char flags, mode;
	unsigned char special, nullok, empty;
	struct vfs_patharg p[2];
};

#define P1(d, p, f, w)	{ { d, p, f, w }, { -1, -1, 0, 0 } }
#define NOP		{ -1, -1, 0, 0 }

/*
 * The table, and its index by syscall number (row + 1, 0 for none): both
 * constant, so that finding a call's row writes nothing at run time (a
 * table built then would cost every new process its pages)
 */
#define VFS_CALL(nr, ...)	{ nr, __VA_ARGS__ },
static const struct vfs_sysdesc vfs_calls[] = {
#include "vfs_calls.h"
};
#undef VFS_CALL

#define VFS_CALL(nr, ...)	VFS_ROW_##nr,
enum vfs_call_row {
#include "vfs_calls.h"
};
#undef VFS_CALL

#define VFS_CALL(nr, ...)	[nr] = VFS_ROW_##nr + 1,
static const unsigned char vfs_index[FACET_NR_MAX] = {
#include "vfs_calls.h"
};
#undef VFS_CALL

/* The row of syscall @nr, NULL if it takes no path the table knows */
static const struct vfs_sysdesc *vfs_desc(long nr)
{
	if (nr < 0 || nr >= FACET_NR_MAX || !vfs_index[nr])
		return NULL;
	return &vfs_calls[vfs_index[nr] - 1];
}

/*
 * Calls that remove, rename or make a directory entry (not open): what the
 * symlink cache knows of a name may change (vfs_cache.c)
 */
static int vfs_changes_entries(const struct vfs_sysdesc *d)
{
	return d && d->p[0].path >= 0 &&
	       ((d->p[0].follow == F_NO && d->p[0].write == W_YES) ||
		(d->p[1].follow == F_NO && d->p[1].write == W_YES));
}

/**
 * vfs_sys_enosys() - Mark in @bits the syscalls the core's table says take
 * a path and this file's table does not know (the view's first process;
 * later images read the bits, not the core's table)
 */
VFS_COLD void vfs_sys_enosys(unsigned char *bits)
{
	long nr;

	for (nr = 0; nr < FACET_NR_MAX; nr++)
		if (!vfs_desc(nr) && facet_syscall_takes(nr, FACET_ARG_PATH))
			bits[nr / 8] |= 1 << nr % 8;
}

/**
 * vfs_sys_wants() - Every path-taking syscall, and the ones whose results
 * carry paths
 *
 * Translated calls are REWRITE, answered ones (stat family, refused ones)
 * ENTER, listings EXIT.  Path-taking syscalls the table does not know are
 * wanted too, to fail with ENOSYS.
 */
VFS_COLD void vfs_sys_wants(struct vfs_self *s, struct facet_sysset *set)
{
	const struct vfs_sysdesc *d;
	long nr;

	for (nr = 0; nr < FACET_NR_MAX; nr++) {
		d = vfs_desc(nr);
		if (d) {
			int hook = FACET_HOOK_REWRITE;

			if (d->special == S_EPERM || d->special == S_ENOSYS ||
			    d->special == S_CHROOT || vfs_emulated(nr))
				hook = FACET_HOOK_ENTER;
			/*
			 * Forget again once the entry changed: the call's
			 * own resolution, or another process's before the
			 * change, may have remembered the old state.
			 */
			if (vfs_changes_entries(d))
				hook |= FACET_HOOK_EXIT;
			facet_sysset_add(set, nr, hook);
		} else if (s->sh->enosys[nr / 8] & (1 << nr % 8)) {
			facet_sysset_add(set, nr, FACET_HOOK_ENTER);
		}
	}
	/* opens the module can finish at a notification (see vfs_emul.c) */
	facet_sysset_rewrite_if(set, SYS_open, 1, VFS_OPEN_TRACED);
	facet_sysset_rewrite_if(set, SYS_openat, 2, VFS_OPEN_TRACED);
	facet_sysset_add(set, SYS_getcwd, FACET_HOOK_ENTER);
	vfs_unix_wants(&s->t, set);
	vfs_fds_wants(s, set);
	if (s->in_process) {
		/* what moves the cwd (vfs_cwd_moves()) */
		facet_sysset_add(set, SYS_chdir, FACET_HOOK_EXIT);
		facet_sysset_add(set, SYS_fchdir,
				 FACET_HOOK_ENTER | FACET_HOOK_EXIT);
		facet_sysset_add(set, SYS_setns,
				 FACET_HOOK_ENTER | FACET_HOOK_EXIT);
		facet_sysset_add(set, SYS_clone, FACET_HOOK_ENTER);
		facet_sysset_add(set, SYS_clone3, FACET_HOOK_ENTER);
	}
	vfs_creds_wants(set);
	vfs_fence_wants(s, set);
	vfs_fdattr_wants(s, set);
	if (s->sh->dents) {
		/* REWRITE: the count is capped to what the exit can edit */
		facet_sysset_add(set, SYS_getdents64,
				 FACET_HOOK_EXIT | FACET_HOOK_REWRITE);
		facet_sysset_add(set, SYS_getdents,
				 FACET_HOOK_EXIT | FACET_HOOK_REWRITE);
	}
}

/* The follow decision for path argument @pa */
static int vfs_follows(const struct vfs_sysdesc *d, const struct vfs_patharg *pa,
		       long flags)
{
	switch (pa->follow) {
	case F_YES:
		return 1;
	case F_ATNO:
		return !(flags & AT_SYMLINK_NOFOLLOW);
	case F_ATYES:
		return !!(flags & AT_SYMLINK_FOLLOW);
	case F_OPEN:
		if (d->special == S_CREAT)
			return 1;
		return !(flags & O_NOFOLLOW) &&
		       (flags & (O_CREAT | O_EXCL)) != (O_CREAT | O_EXCL);
	case F_INOTIFY:
		return !(flags & VFS_IN_DONT_FOLLOW);
	default:
		return 0;
	}
}

static int vfs_writes(const struct vfs_patharg *pa, long flags, long mode,
		      const char *host)
{
	struct stat st;

	switch (pa->write) {
	case W_YES:
		return 1;
	case W_ACCESS:
		return !!(mode & W_OK);
	case W_OPEN:
		if ((flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC))
			return 1;
		return (flags & O_CREAT) && lstat(host, &st) < 0;
	default:
		return 0;
	}
}

/* Read the open_how of openat2 into @how; its size is argument 3 */
static int vfs_openat2_how(struct facet_call *call, uint64_t how[3])
{
	size_t size = facet_arg(call, 3);

	if (size < 24)
		return -EINVAL;
	if (facet_peek(call, how, facet_arg(call, 2), 24) != 24)
		return -EFAULT;
	return 0;
}

static int vfs_resolve_flags(const uint64_t *how)
{
	int rf = 0;

	if (!how)
		return 0;
	if (how[2] & VFS_RESOLVE_NO_SYMLINKS)
		rf |= VFS_R_NOSYMLINK;
	if (how[2] & VFS_RESOLVE_NO_MAGIC)
		rf |= VFS_R_NOMAGIC;
	if (how[2] & VFS_RESOLVE_BENEATH)
		rf |= VFS_R_BENEATH;
	if (how[2] & VFS_RESOLVE_IN_ROOT)
		rf |= VFS_R_INROOT;
	return rf;
}

/*
 * Would the kernel, walking the caller's own @path (relative ones from
 * @hbase, the host path of the cwd or dirfd, "" if not read), pass through
 * exactly the components of @host?  @host has no symlinks, "." or "..",
 * so equal strings mean the same walk.
 */
static int vfs_literal(const char *path, const char *hbase, const char *host)
{
	size_t n;

	if (path[0] == '/')
		return !strcmp(path, host);
	n = strlen(hbase);
	if (!n || strncmp(host, hbase, n))
		return 0;
	if (n > 1) {
		if (host[n] != '/')
			return 0;
		n++;
	}
	return !strcmp(host + n, path);
}

/*
 * A name the kernel may take as it is: a single component (not "." or
 * "..") that the call does not follow, relative to a dirfd or the cwd,
 * that is no name in a rule's path (vfs_rule_name()).  The dirfd's or
 * cwd's directory is the host directory its guest path maps to, so the
 * kernel reaches the same entry, with no symlink to interpret.  Saves
 * reading the dirfd's path (find's fstatat(dirfd, name,
 * AT_SYMLINK_NOFOLLOW) per file).  Opens, readlink, exec and openat2 keep
 * their own handling.
 *
 * In a view of --bind and --tmp rules only every host directory is in the
 * view.  With --root or --hide only the directories the view showed are,
 * and a process may hold one it did not (an inherited fd): there the
 * dirfd (cwd) must have been found in the view lately and no directory fd
 * may have come from outside (vfs_fds.c); with --ro the call must not
 * write.  Never with --cow (a dirfd of the lower directory means the
 * upper one after the copy).
 *
 * vfs_name_plain(): @path (@len bytes, relative to @dirfd or AT_FDCWD),
 * for a call that does not follow it and @writes or not.
 */
VFS_HOT int vfs_name_plain(struct vfs_self *s, int dirfd, int writes,
		   const char *path, size_t len)
{
	struct vfs_table *t = &s->t;

	if (t->has_cow || memchr(path, '/', len) ||
	    (path[0] == '.' && (len == 1 || (len == 2 && path[1] == '.'))))
		return 0;
	if ((t->has_root || t->has_hide || t->has_ro) &&
	    (!vfs_fds_none(s) || (t->has_ro && writes) ||
	     !vfs_base_recent(dirfd)))
		return 0;
	return !vfs_rule_name(t, path, len);
}

static int vfs_plain_name(struct vfs_self *s, struct facet_call *call,
			  const struct vfs_sysdesc *d,
			  const struct vfs_patharg *pa, const char *path,
			  int rflags)
{
	if (d->special != S_NONE || pa->follow == F_OPEN ||
	    (rflags & VFS_R_FOLLOW))
		return 0;
	return vfs_name_plain(s, pa->dirfd >= 0 ?
			      (int)facet_arg(call, pa->dirfd) : AT_FDCWD,
			      pa->write != W_NO, path, strlen(path)) &&
	       vfs_pin(call, pa->path, path);
}

/*
 * The path argument as vfs_sys_call() read it for the hot lane
 * (vfs_hot.c), @vfs_path_len bytes (-1: not read) of argument
 * @vfs_path_arg: vfs_arg() does not read it again
 */
static char vfs_path[VFS_PATH_MAX];
static ssize_t vfs_path_len = -1;
static int vfs_path_arg;

/*
 * The result and the base directory of the one call (or realpath()) the
 * module answers at a time: one pair of buffers, not one per caller (each
 * 4 kB buffer a process uses is a page fault of its own).  Static: no
 * allocation where preload runs this in a signal handler.
 */
struct vfs_res vfs_call_res;
char vfs_call_base[VFS_PATH_MAX];

/*
 * Resolve path argument @pa of @call into @res.  Return 1 when there is
 * nothing to translate (NULL path where allowed, empty path), 0 when @res
 * holds the translation, -errno to fail the call.
 */
static int vfs_arg(struct vfs_self *s, struct facet_call *call,
		   const struct vfs_sysdesc *d, const struct vfs_patharg *pa,
		   const uint64_t *how, struct vfs_res *res)
{
	static char hbuf[VFS_PATH_MAX];
	/* an absolute path's: no buffer touched; a relative path's mostly
	 * point into vfs_base_at()'s table */
	const char *base = "/", *hbase = "";
	char *path = vfs_path;
	struct vfs_ctx ctx = { &s->t, 0, facet_tid(call), call, NULL };
	long flags = d->flags >= 0 ? facet_arg(call, d->flags) : 0;
	uintptr_t addr = facet_arg(call, pa->path);
	int rflags = vfs_resolve_flags(how);
	ssize_t n;
	int ret;

	if (how)
		flags = how[0];
	if (!addr && d->nullok)
		return 1;
	if (vfs_path_len >= 0 && pa->path == vfs_path_arg)
		n = vfs_path_len;
	else
		n = facet_peek_str(call, path, addr, VFS_PATH_MAX);
	vfs_path_len = -1;
	if (n < 0)
		return n;
	if (!n)
		return 1;
	if (vfs_follows(d, pa, flags))
		rflags |= VFS_R_FOLLOW;
	res->followed = !!(rflags & VFS_R_FOLLOW);
	if (path[0] != '/' && vfs_plain_name(s, call, d, pa, path, rflags))
		return 1;
	if (path[0] != '/' || (rflags & (VFS_R_INROOT | VFS_R_BENEATH))) {
		int dirfd = pa->dirfd >= 0 ? (int)facet_arg(call, pa->dirfd) :
			    AT_FDCWD;

		ret = vfs_base_at(&ctx, dirfd, vfs_call_base, hbuf, &base,
				  &hbase);
		if (ret < 0)
			return ret;
	}
	if (rflags & VFS_R_INROOT)
		rflags &= ~VFS_R_BENEATH;
	ret = vfs_resolve(&ctx, base, path, rflags, res);
	if (ret < 0)
		return ret;
	/* another process's memory: only the view's (vfs_fence.c); an
	 * O_PATH fd reads nothing, its reopen comes here again */
	if (pa->follow == F_OPEN && !(flags & O_PATH) &&
	    !strncmp(res->host, "/proc/", 6)) {
		ret = vfs_fence_proc_open(s, call, res->host);
		if (ret < 0)
			return ret;
	}
	if (s->t.has_ro && res->attr == VFS_RO &&
	    vfs_writes(pa, flags, d->mode >= 0 ? facet_arg(call, d->mode) : 0,
		       res->host))
		return -EROFS;
	if (s->t.has_cow && pa->write != W_ACCESS &&
	    vfs_writes(pa, flags, 0, res->host)) {
		int ci = vfs_cow_pending(&s->t, res->guest);

		if (ci >= 0) {
			ret = vfs_cow_copyup(s, ci);
			if (ret < 0)
				return ret;
			ret = vfs_resolve(&ctx, base, path, rflags, res);
			if (ret < 0)
				return ret;
		} else if (vfs_cow_lower(&s->t, res->host)) {
			/* the host tree under another guest name (a
			 * --bind of a parent): never written either */
			return -EROFS;
		}
	}
	/* a relative path only where its base cannot move meanwhile */
	res->literal = vfs_literal(path, hbase, res->host) &&
		       (path[0] == '/' || vfs_base_stable(call));
	return 0;
}

static enum facet_verdict vfs_fail(struct facet_call *call, long err)
{
	facet_return(call, err);
	return FACET_DONE;
}

/*
 * Is an open of @res to walk no symlink?  Under a view that keeps
 * something out of sight, @res->host has none, so one there now was
 * swapped in since (another process renamed a symlink over a directory,
 * or the caller's cwd moved) and following it could reach what the view
 * hides.  Not /proc's magic links.  The callers leave out the opens whose
 * last symlink is theirs to open or refuse.
 */
static int vfs_open_no_symlinks(const struct vfs_self *s,
				const struct vfs_res *res)
{
	return (s->t.has_hide || s->t.has_root || s->t.has_ro) &&
	       !res->magic && strncmp(res->host, "/proc/", 6);
}

static enum facet_verdict vfs_openat2(struct vfs_self *s,
				      struct facet_call *call,
				      const struct vfs_sysdesc *d)
{
	struct vfs_res *res = &vfs_call_res;
	uint64_t how[3];
	int ret;

	ret = vfs_openat2_how(call, how);
	if (ret < 0)
		return vfs_fail(call, ret);
	ret = vfs_arg(s, call, d, &d->p[0], how, res);
	if (ret == 0) {
		/* the host path is absolute and resolved: drop the scoping */
		how[2] &= ~(uint64_t)(VFS_RESOLVE_BENEATH | VFS_RESOLVE_IN_ROOT);
		/* ...and has no symlink: one swapped in since (another
		 * process renamed a symlink over a directory) is refused
		 * with ELOOP, not followed to what the view hides */
		if (vfs_open_no_symlinks(s, res) &&
		    (how[0] & (O_PATH | O_NOFOLLOW)) != (O_PATH | O_NOFOLLOW))
			how[2] |= VFS_RESOLVE_NO_SYMLINKS;
		ret = facet_set_path(call, 1, res->host);
		if (!ret) {
			uint64_t buf[3] = { how[0], how[1], how[2] };

			ret = facet_set_arg_buf(call, 2, buf, sizeof(buf));
			if (!ret)
				ret = facet_set_arg(call, 3, sizeof(buf));
		}
	}
	if (ret < 0)
		return vfs_fail(call, ret);
	return FACET_CONTINUE;
}

/*
 * Does clone/clone3 @call make a process that shares the cwd (CLONE_FS)
 * but not this memory?  clone3's flags that cannot be read count as yes.
 */
static int vfs_clone_shares_cwd(struct facet_call *call)
{
	uint64_t flags = facet_arg(call, 0);

	if (facet_nr(call) == SYS_clone3 &&
	    facet_peek(call, &flags, facet_arg(call, 0), sizeof(flags)) !=
	    sizeof(flags))
		return 1;
	return (flags & CLONE_FS) && !(flags & CLONE_VM);
}

/* Calls without a path argument; 1 if @call was one (*@v set), else 0 */
static int vfs_sys_other(struct vfs_self *s, struct facet_call *call,
			 enum facet_verdict *v)
{
	switch (facet_nr(call)) {
	case SYS_getcwd:
		*v = vfs_getcwd(s, call);
		return 1;
	case SYS_getdents64:
	case SYS_getdents:
		*v = vfs_dents_enter(s, call);
		return 1;
	case SYS_fchdir:
	case SYS_setns:
		vfs_cwd_moves(0);
		*v = FACET_CONTINUE_EXIT;
		return 1;
	case SYS_clone:
	case SYS_clone3:
		if (vfs_clone_shares_cwd(call))
			vfs_cwd_moves(1);
		*v = FACET_CONTINUE;
		return 1;
	default:
		if (vfs_fdattr_enter(s, call, v) || vfs_fds_enter(s, call, v))
			return 1;
		if (vfs_creds_enter(s, call)) {
			*v = FACET_CONTINUE;
			return 1;
		}
		return vfs_unix_enter(s, call, v);
	}
}

static int vfs_is_rename(long nr)
{
	return nr == SYS_rename || nr == SYS_renameat || nr == SYS_renameat2;
}

/* Does @nr give a file a second name, which must be on the same mount? */
static int vfs_is_same_mount(long nr)
{
	return vfs_is_rename(nr) || nr == SYS_link || nr == SYS_linkat;
}

/* The mount of a rename's or link's first path (vfs_mount_of_parent()),
 * while the second is looked at; vfs_mount_unknown if not seen */
static const struct vfs_rule vfs_mount_unknown;
static const struct vfs_rule *vfs_call_mount;

/*
 * A call that removes or makes directory entries forgets what the symlink
 * cache knows of the names it changes (vfs_cache.c), at its entry and
 * again at its exit (another process may have looked in between); the
 * slots are kept in the call's scratch.  A rename moves every name below
 * its source, and a name passed on unresolved has no host path here:
 * those empty the whole cache.
 */
struct vfs_change_scratch {
	unsigned char all, n;
	unsigned slot[2];
};

static void vfs_change_forget(struct facet_call *call, const char *host)
{
	struct vfs_change_scratch *sc = facet_scratch(call);

	vfs_touch_change(facet_nr(call));
	if (!host || sc->n >= 2) {
		sc->all = 1;
		vfs_cache_flush();
		return;
	}
	sc->slot[sc->n++] = vfs_cache_forget(host);
}

/* After the change: forget the same names again */
static void vfs_change_done(struct facet_call *call)
{
	struct vfs_change_scratch *sc = facet_scratch(call);
	int i;

	vfs_touch_change(facet_nr(call));
	if (sc->all) {
		vfs_cache_flush();
		return;
	}
	for (i = 0; i < sc->n; i++)
		vfs_cache_forget_slot(sc->slot[i]);
}

/* Is @pa the name @d removes or makes? */
static int vfs_changed_name(const struct vfs_sysdesc *d,
			    const struct vfs_patharg *pa)
{
	return vfs_changes_entries(d) && pa->follow == F_NO &&
	       pa->write == W_YES;
}

/*
 * Path argument @pa of @call, resolved into @res: finish the call (return
 * 1 with *@v set), rewrite the argument (0), or fail (-errno).
 */
static int vfs_sys_path(struct vfs_self *s, struct facet_call *call,
			const struct vfs_sysdesc *d,
			const struct vfs_patharg *pa, struct vfs_res *res,
			enum facet_verdict *v)
{
	long result, nr = facet_nr(call);
	int ret, nosym;

	ret = vfs_arg(s, call, d, pa, NULL, res);
	if (d->special == S_CHROOT) {
		*v = vfs_fail(call, vfs_chroot(call, ret, res));
		return 1;
	}
	if (ret >= 0 && vfs_changed_name(d, pa))
		vfs_change_forget(call, ret == 0 ? res->host : NULL);
	if (ret > 0 && d->special == S_EXEC) {
		*v = nr == SYS_execveat ?
		     vfs_fexec_enter(s, call) : FACET_CONTINUE;
		return 1;
	}
	if (ret > 0) {	/* no path: the call works on the dirfd itself */
		if (pa->write != W_YES || pa->dirfd < 0)
			return 0;
		if (vfs_fdattr_at(s, call, facet_arg(call, pa->dirfd), v))
			return 1;
		return vfs_fd_ro(s, call, facet_arg(call, pa->dirfd));
	}
	if (ret < 0)
		return ret;
	if (vfs_is_rename(nr) && (s->t.has_hide || s->t.has_ro) &&
	    vfs_holds_attr(&s->t, res->guest, res->host))
		return -EBUSY;
	if ((vfs_is_rename(nr) || nr == SYS_unlink || nr == SYS_unlinkat ||
	     nr == SYS_rmdir) && vfs_is_mount_point(&s->t, res->guest))
		return -EBUSY;
	if (vfs_is_same_mount(nr)) {
		const struct vfs_rule *m = vfs_mount_of_parent(&s->t,
							       res->guest);

		if (pa == &d->p[0])
			vfs_call_mount = m;
		else if (vfs_call_mount != &vfs_mount_unknown &&
			 vfs_call_mount != m)
			return -EXDEV;
	}
	if (d->special == S_EXEC) {
		*v = vfs_exec_enter(s, call, res, pa->path, vfs_path);
		return 1;
	}
	if (d->p[0].follow == F_OPEN && vfs_mounts_path(res->host) &&
	    vfs_mounts_open(s, call, res->host, facet_arg(call, d->flags)) ==
	    FACET_DONE) {
		*v = FACET_DONE;
		return 1;
	}
	if (d->p[0].follow == F_OPEN && vfs_exe_any(s) &&
	    vfs_cmdline_open(s, call, res->host, facet_arg(call, d->flags)) ==
	    FACET_DONE) {
		*v = FACET_DONE;
		return 1;
	}
	if (d->special == S_READLINK && res->magic &&
	    vfs_readlink_magic(s, call, res, pa->path + 1) == FACET_DONE) {
		*v = FACET_DONE;
		return 1;
	}
	if (d->special == S_READLINK &&
	    vfs_readlink_self(call, res, pa->path + 1) == FACET_DONE) {
		*v = FACET_DONE;
		return 1;
	}
	/* the backend makes the open so where it can (the preload shim),
	 * the module where it makes the open (vfs_open_notified()) */
	nosym = d->p[0].follow == F_OPEN && nr != SYS_openat2 &&
		!(facet_arg(call, d->flags) & (O_PATH | O_NOFOLLOW)) &&
		vfs_open_no_symlinks(s, res);
	if (nosym)
		facet_open_no_symlinks(call);
	/*
	 * At a notification, where the path cannot be rewritten, an open
	 * goes on as the caller spelt it where the host's own walk of that
	 * path reaches the file the view chose (ld.so's
	 * /lib/x86_64-linux-gnu/libc.so.6 under --bind, through the host's
	 * /lib symlink; under --root, through the guest's /lib symlink and a
	 * --bind of /usr), not as an fd the module opens and hands over
	 * (SECCOMP_ADDFD: two cross-CPU wake-ups, 10-20 us more per open).
	 * Under a view that hides something only where no process of the
	 * view can swap a name on that walk (vfs_sealed.c): the kernel
	 * follows symlinks, and one swapped in since the check leads to what
	 * the view hides, or out of --root.
	 */
	if (d->p[0].follow == F_OPEN && !res->magic &&
	    !facet_can_rewrite(call) && (nosym || !res->literal)) {
		int sealed = 0;

		res->literal = vfs_host_walk_reaches(&s->t, vfs_path,
						     res->followed, res->host,
						     nosym ? &sealed : NULL) &&
			       (!nosym || sealed);
	}
	/*
	 * The caller's own path leads the kernel to the same file by the
	 * same components: nothing to change.  Saves the module's call on a
	 * longer path at a notification (or in the process under preload),
	 * and at a ptrace stop the register rewrite and the exit stop.
	 */
	if (res->literal) {
		long result;

		/* the caller's own stat (the path as read here), made here to
		 * see the file type */
		if (!res->followed &&
		    vfs_emul_as_is(call, vfs_path, res->host, &result)) {
			*v = vfs_fail(call, result);
			return 1;
		}
		if (vfs_pin(call, pa->path, vfs_path))
			return 0;
		/* else made here on the host path, like any other */
	}
	if (vfs_emulated(nr) ||
	    (d->p[0].follow == F_OPEN && !facet_can_rewrite(call))) {
		int creds = vfs_creds_begin(s, call, nr == SYS_access ||
					    nr == SYS_faccessat ||
					    (nr == SYS_faccessat2 &&
					     !(facet_arg(call, 3) &
					       AT_EACCESS)));

		if (creds < 0)
			*v = vfs_fail(call, creds);
		else if (vfs_emul(call, res, res->followed, &result))
			*v = vfs_fail(call, result);
		else
			*v = vfs_open_notified(call, res,
					       facet_arg(call, d->flags), nosym);
		vfs_creds_end(creds);
		return 1;
	}
	return facet_set_path(call, pa->path, res->host);
}

VFS_HOT static enum facet_verdict vfs_sys_call(struct vfs_self *s,
				       struct facet_call *call)
{
	const struct vfs_sysdesc *d;
	enum facet_verdict v = FACET_CONTINUE;
	struct vfs_res *res = &vfs_call_res;
	int i, ret = 0, parg, follow, dirfd;
	long nr = facet_nr(call);

	vfs_path_len = -1;
	if (vfs_hot_nr(nr) && vfs_hot_call(call, nr, &parg, &follow, &dirfd)) {
		ssize_t n = facet_peek_str(call, vfs_path,
					   facet_arg(call, parg),
					   sizeof(vfs_path));

		if (n > 0) {
			if (vfs_hot(s, call, parg, vfs_path, n, follow, dirfd,
				    &v))
				return v;
			vfs_path_len = n;
			vfs_path_arg = parg;
		}
	}
	d = vfs_desc(nr);
	if (d && d->p[0].path >= 0)
		VFS_COUNT(general);
	if (nr == SYS_chdir)
		vfs_cwd_moves(0);	/* and again at its exit */
	if (s->t.has_cow)
		vfs_cow_sync(s);
	/* the calls vfs_calls[] lists take paths; the others do not */
	if (!d && (vfs_fence_enter(s, call, &v) ||
		   vfs_sys_other(s, call, &v)))
		return v;
	if (!d || d->special == S_ENOSYS)
		return vfs_fail(call, -ENOSYS);
	if (d->special == S_EPERM)
		return vfs_fail(call, -EPERM);
	if (d->special == S_OPENAT2)
		return vfs_openat2(s, call, d);
	if (vfs_is_rename(facet_nr(call)))
		vfs_change_forget(call, NULL);	/* a subtree moves */
	vfs_call_mount = &vfs_mount_unknown;
	for (i = 0; i < 2 && d->p[i].path >= 0 && !ret; i++)
		ret = vfs_sys_path(s, call, d, &d->p[i], res, &v);
	if (ret < 0)
		return vfs_fail(call, ret);
	if (v == FACET_CONTINUE && vfs_changes_entries(d))
		return FACET_CONTINUE_EXIT;	/* flush again after it */
	if (v == FACET_CONTINUE && nr == SYS_chdir && s->in_process)
		return FACET_CONTINUE_EXIT;
	return v;
}

/**
 * vfs_sys_enter() - Translate, answer or refuse one intercepted call
 */
VFS_HOT enum facet_verdict vfs_sys_enter(struct vfs_self *s, struct facet_call *call)
{
	enum facet_verdict v;

	vfs_cache_clock_hold(1);
	v = vfs_sys_call(s, call);
	vfs_cache_clock_hold(0);
	return v;
}

/* Results: directory listings, socket names */
void vfs_sys_exit(struct vfs_self *s, struct facet_call *call)
{
	long nr = facet_nr(call);

	vfs_cache_clock_hold(1);
	if (nr == SYS_getdents64 || nr == SYS_getdents)
		vfs_dents_exit(s, call);
	else if (nr == SYS_chdir || nr == SYS_fchdir || nr == SYS_setns)
		vfs_cwd_moves(0);
	else if (vfs_changes_entries(vfs_desc(nr)))
		vfs_change_done(call);
	else {
		if (nr == SYS_recvmsg || nr == SYS_recvmmsg)
			vfs_fds_exit(s, call);
		vfs_unix_exit(s, call);
	}
	vfs_cache_clock_hold(0);
}
