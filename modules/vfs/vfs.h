/* SPDX-License-Identifier: MIT */
/* facet - syscall interposition toolkit
 * modules/vfs/vfs.h - The file system view: rules, resolver, syscalls
 *
 * DOC: Theory of operation
 *
 * The view is a table of rules keyed by guest path (struct vfs_table).
 * Mapping rules (bind, root, tmp, and the defaults under --root) say where
 * a guest path lives on the host; attribute rules (ro, hide) say what may
 * be done to it.  For any guest path the longest matching guest prefix
 * wins.
 *
 * Every path a traced program passes is resolved in the guest view, one
 * component at a time (vfs_resolve()), following symlinks as the kernel
 * would but in guest terms, and the call is rewritten to the host path of
 * the result.  The kernel then sees only absolute, symlink-free host paths.
 */
#ifndef FACET_VFS_H
#define FACET_VFS_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <facet/module.h>

#define VFS_RULES_MAX	64
#define VFS_PATH_MAX	PATH_MAX
#define VFS_LOOP_MAX	40

/**
 * enum vfs_kind - What a rule does
 * @VFS_BIND:	guest path lives at host path
 * @VFS_ROOT:	the guest root "/" lives at host path
 * @VFS_TMP:	a private empty directory (host path made at start)
 * @VFS_RO:	writes fail with EROFS
 * @VFS_HIDE:	the path does not exist (ENOENT)
 * @VFS_COW:	copy-on-write: host path is the lower directory until the
 *		first write, then the upper one (see vfs_cow.c)
 */
enum vfs_kind {
	VFS_BIND,
	VFS_ROOT,
	VFS_TMP,
	VFS_RO,
	VFS_HIDE,
	VFS_COW,
};

/**
 * struct vfs_rule - One rule
 * @lower:	VFS_COW: the host directory shown until the first write
 * @upper:	VFS_COW: where writes go; "" for a private one
 * @copied:	VFS_COW: @host is @upper now
 */
struct vfs_rule {
	int kind;
	size_t glen, hlen;
	int copied;
	char guest[VFS_PATH_MAX];
	char host[VFS_PATH_MAX];
	char lower[VFS_PATH_MAX];
	char upper[VFS_PATH_MAX];
};

/**
 * struct vfs_table - The rules of one view
 * @n:		Number of rules
 * @has_root:	A root rule exists (host paths outside every rule are
 *		not visible)
 * @has_hide:	A hide rule exists
 */
struct vfs_table {
	int n;
	int has_root, has_hide, has_ro, has_cow;
	struct vfs_rule rule[VFS_RULES_MAX];
};

/* vfs_table.c */
int vfs_table_add(struct vfs_table *t, int kind, const char *guest,
		  const char *host);
void vfs_path_norm(char *path);
int vfs_prefix(const char *prefix, size_t plen, const char *path);
int vfs_is_map(int kind);
int vfs_attr(const struct vfs_table *t, const char *guest);
void vfs_table_seal(struct vfs_table *t);
int vfs_host_attr(const struct vfs_table *t, const char *host, size_t maplen);
int vfs_host_ro(const struct vfs_table *t, const char *guest,
		const char *host);
int vfs_to_host(const struct vfs_table *t, const char *guest, char *host,
		size_t cap);
int vfs_to_host_kind(const struct vfs_table *t, const char *guest, char *host,
		     size_t cap, int *kind);
int vfs_to_guest(const struct vfs_table *t, const char *host, char *guest,
		 size_t cap);
int vfs_rule_parent(const struct vfs_table *t, const char *guest);
int vfs_hides_child_host(const struct vfs_table *t, const char *host_dir);
int vfs_hides_child_of(const struct vfs_table *t, const char *guest_dir);
int vfs_holds_attr(const struct vfs_table *t, const char *guest,
		   const char *host);

/* vfs_resolve.c */
enum vfs_resolve_flags {
	VFS_R_FOLLOW	= 1 << 0,	/* follow a symlink in the last part */
	VFS_R_NOSYMLINK	= 1 << 1,	/* RESOLVE_NO_SYMLINKS */
	VFS_R_NOMAGIC	= 1 << 2,	/* RESOLVE_NO_MAGICLINKS */
	VFS_R_BENEATH	= 1 << 3,	/* RESOLVE_BENEATH: stay below base */
	VFS_R_INROOT	= 1 << 4,	/* RESOLVE_IN_ROOT: base is "/" */
};

/**
 * struct vfs_ctx - Who is resolving
 * @t:		The view
 * @pid, @tid:	The caller, for /proc/self and /proc/thread-self; @pid 0
 *		means "ask facet_pid(@call) when needed" (it costs a read
 *		of /proc/TID/status under the ptracer)
 * @call:	The call, or NULL
 * @host_base:	If set, vfs_base() stores the host path it read here
 *		(VFS_PATH_MAX bytes)
 */
struct vfs_ctx {
	const struct vfs_table *t;
	pid_t pid, tid;
	struct facet_call *call;
	char *host_base;
};

pid_t vfs_ctx_pid(const struct vfs_ctx *ctx);

/**
 * struct vfs_res - A resolved path
 * @guest:	Canonical guest path (no symlinks, no . or ..)
 * @host:	Host path to give the kernel
 * @attr:	Winning rule kind for @guest (VFS_RO...), -1 if none
 * @magic:	The last part is a /proc magic link (fd/N, cwd, exe, root)
 * @followed:	A symlink in the last part was followed (set by the caller)
 * @literal:	The kernel, given the caller's own path, would reach @host
 *		by the same components (set by vfs_sys.c)
 */
struct vfs_res {
	char guest[VFS_PATH_MAX];
	char host[VFS_PATH_MAX];
	int attr;
	int magic;
	int followed;
	int literal;
};

int vfs_resolve(const struct vfs_ctx *ctx, const char *base, const char *path,
		int flags, struct vfs_res *res);
int vfs_base(const struct vfs_ctx *ctx, int dirfd, char *guest, size_t cap);
void vfs_base_in_process(int yes);
const char *vfs_proc_entry(const char *host, pid_t *pid);
/*
 * Is @target (a magic link's) a memfd, "/memfd:NAME (deleted)"?  It has no
 * path in any view: the magic link itself is the way to it.
 */
static inline int vfs_is_memfd(const char *target)
{
	return !strncmp(target, "/memfd:", 7);
}
int vfs_proc_magic(const char *host, pid_t *pid, char *what, size_t cap);

/* vfs_sys.c */
struct vfs_self;
void vfs_sys_wants(struct vfs_self *s, struct facet_sysset *set);
enum facet_verdict vfs_sys_enter(struct vfs_self *s, struct facet_call *call);
void vfs_sys_exit(struct vfs_self *s, struct facet_call *call);

/* vfs_cow.c */
int vfs_cow_pending(const struct vfs_table *t, const char *guest);
int vfs_cow_copyup(struct vfs_table *t, int i);
int vfs_cow_lower(const struct vfs_table *t, const char *host);
int vfs_cow_start(struct vfs_table *t, const char *tmpdir, int *k, int make);
void vfs_cow_sync(struct vfs_self *s);
int vfs_tree_copy(const char *from, const char *to);

/* vfs_unix.c */
void vfs_unix_wants(const struct vfs_table *t, struct facet_sysset *set);
int vfs_unix_enter(struct vfs_self *s, struct facet_call *call,
		   enum facet_verdict *v);
int vfs_unix_exit(struct vfs_self *s, struct facet_call *call);

/* vfs_mounts.c */
int vfs_mounts_path(const char *host);
enum facet_verdict vfs_mounts_open(struct vfs_self *s, struct facet_call *call,
				   const char *host, int flags);

/* vfs_creds.c */
int vfs_creds_begin(struct vfs_self *s, struct facet_call *call, int real);
void vfs_creds_end(int taken);
int vfs_creds_taken(void);
void vfs_creds_wants(struct facet_sysset *set);
int vfs_creds_enter(struct vfs_self *s, struct facet_call *call);

/* vfs_cache.c */
enum vfs_cache_kind {
	VFS_CACHE_UNKNOWN,
	VFS_CACHE_FILE,		/* exists, not a symlink */
	VFS_CACHE_MISSING,	/* ENOENT */
	VFS_CACHE_LINK,		/* a symlink (with its target) */
};
/* What vfs_cache_ticket() read before a call that finds out about a path */
struct vfs_ticket {
	uint64_t hash;
	size_t len;
	unsigned slot;
	uint32_t lgen, epoch;
};
void vfs_cache_ticket(const char *host, struct vfs_ticket *t);
int vfs_cache_get(const char *host, const struct vfs_ticket *t, char *target);
void vfs_cache_put(const char *host, int kind, const char *target,
		   const struct vfs_ticket *t);
void vfs_cache_seen(const char *host, mode_t mode, uint64_t gen);
int vfs_cache_seen_get(const char *host);
unsigned vfs_cache_forget(const char *host);
void vfs_cache_forget_slot(unsigned slot);
void vfs_cache_flush(void);
void vfs_cache_share(void *mem);
size_t vfs_cache_bytes(void);
uint64_t vfs_cache_generation(void);
int vfs_cache_fresh(int64_t stamp);
int64_t vfs_cache_stamp(void);

/*
 * Hash of @len bytes at @s, eight at a time (the caches hash a path on
 * every call)
 */
static inline uint64_t vfs_hash_bytes(const char *s, size_t len)
{
	uint64_t h = 0x243f6a8885a308d3ULL ^ len, w;

	for (; len >= 8; s += 8, len -= 8) {
		__builtin_memcpy(&w, s, 8);
		h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
		h ^= h >> 29;
	}
	if (len) {
		w = 0;
		__builtin_memcpy(&w, s, len);
		h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
	}
	h ^= h >> 32;
	return h * 0xd6e8feb86659fd93ULL ^ (h >> 31);
}

/* vfs_memo.c */
int vfs_memo_get(const char *key, size_t len, char *guest);
void vfs_memo_put(const char *key, size_t len, const char *guest,
		  uint64_t gen, int64_t stamp);

/* vfs_emul.c */
int vfs_emul(struct facet_call *call, const struct vfs_res *res, int follow,
	     long *result);
int vfs_emulated(long nr);
enum facet_verdict vfs_open_notified(struct facet_call *call,
				     const struct vfs_res *res, int flags);

/* vfs_exec.c */
enum facet_verdict vfs_exec_enter(struct vfs_self *s, struct facet_call *call,
				  const struct vfs_res *res, int path_arg,
				  const char *as);
enum facet_verdict vfs_fexec_enter(struct vfs_self *s,
				   struct facet_call *call);

/* vfs_proc.c: results that carry paths */
enum facet_verdict vfs_getcwd(struct vfs_self *s, struct facet_call *call);
enum facet_verdict vfs_readlink_self(struct facet_call *call,
				     const struct vfs_res *res, int buf_arg);
enum facet_verdict vfs_readlink_magic(struct vfs_self *s,
				      struct facet_call *call,
				      const struct vfs_res *res, int buf_arg);
int vfs_dents_needed(struct vfs_self *s);
int vfs_dents_stream(void *self, int fd);
int vfs_realpath(void *self, const char *path, char *out);
enum facet_verdict vfs_dents_enter(struct vfs_self *s,
				   struct facet_call *call);
void vfs_dents_exit(struct vfs_self *s, struct facet_call *call);

/* vfs_module.c: per-process executable names (for /proc/PID/exe) */
#define VFS_EXE_MAX	256
struct vfs_exe {
	pid_t pid;
	char guest[VFS_PATH_MAX];
};

/**
 * struct vfs_shared - State shared by every process of the view
 * @owner:	Process that made the directories (its later images too)
 * @tmpdir:	Parent of the --tmp and private --cow directories
 * @copied:	Per rule: the --cow copy-up happened
 * @creds_changed: A process of the view changed its credentials
 * @glue:	Parents that exist only in the view (vfs_glue.c): the first
 *		@len bytes of the guest path of rule @rule; @nglue of them
 */
struct vfs_shared {
	int creds_changed;
	pid_t owner;
	char tmpdir[VFS_PATH_MAX];
	unsigned char copied[VFS_RULES_MAX];
	int nglue;
	struct {
		unsigned short rule, len;
	} glue[VFS_RULES_MAX];
};

/**
 * struct vfs_self - The module's state
 * @t:		The rules
 * @tmpdir:	Host directory holding every --tmp directory, "" if none
 * @rootbinds:	Bind /proc, /dev, /sys, /tmp under --root (default 1)
 * @exe:	Guest executable of processes whose image is not what
 *		/proc/PID/exe says (ELF interpreter started by hand)
 * @sh:		facet_env_shared() state
 * @owner:	This process made the directories (removes them at stop)
 */
struct vfs_self {
	struct vfs_table t;
	struct vfs_shared *sh;
	int owner;
	char tmpdir[VFS_PATH_MAX];
	int rootbinds;
	int nexe;
	struct vfs_exe exe[VFS_EXE_MAX];
};

const char *vfs_exe_get(struct vfs_self *s, pid_t pid);
int vfs_tmpdir_make(struct vfs_self *s, struct facet_err *err);

/* vfs_glue.c */
int vfs_glue_start(struct vfs_self *s, int first, struct facet_err *err);
void vfs_exe_set(struct vfs_self *s, pid_t pid, const char *guest);

#endif /* FACET_VFS_H */
