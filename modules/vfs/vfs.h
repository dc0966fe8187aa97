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
#include <sys/syscall.h>
#include <sys/types.h>

#include <facet/module.h>
#include <sched.h>

/*
 * What every new image runs once (options, start, wants; exit): with the
 * preload shim's and the core's start-up code in .text.unlikely at the
 * start of the text, so start-up faults in fewer code pages (FACET_COLD
 * of core/call.h, which modules do not include)
 */
#define VFS_COLD	__attribute__((cold))
/*
 * Small variables that most intercepted calls read or write: under
 * preload in .data with the shim's own (SHIM_DATA, preload/shim.h), on
 * pages every image writes at start-up anyway, not each on a .bss page
 * of its own (a read maps the zero page, the first write then copies it:
 * two page faults in every process that makes such a call)
 */
#define VFS_DATA	__attribute__((section(".data.facet_2hot")))
/*
 * What a tree walk runs per call (the hot lane, vfs_hot.c, and what it
 * calls): in .text.hot, next to the preload shim's own per-call path
 * (preload/shim.ld), so a call touches fewer code pages (each a TLB miss
 * after the syscall before it)
 */
#define VFS_HOT		__attribute__((hot))

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
 * @guest:	Guest path, normalized
 * @host:	Host path of a mapping rule (canonical); for ro and hide the
 *		host path the guest path maps to ("" if none)
 * @lower:	VFS_COW: the host directory shown until the first write
 * @upper:	VFS_COW: where writes go; "" for a private one
 * @copied:	VFS_COW: @host is @upper now
 *
 * The strings live in the table's pool (struct vfs_table): a rule is a
 * few words, so the table a new process builds or copies touches a page
 * or two, not four path buffers per rule.
 */
struct vfs_rule {
	int kind;
	int copied;
	size_t glen, hlen;
	const char *guest;
	const char *host;
	const char *lower;
	const char *upper;
};

/*
 * Room for the strings of a full table: per rule guest, host, upper, and
 * a host set again at start (--tmp, --ro, --hide), with room to spare
 */
#define VFS_POOL_MAX	((size_t)VFS_RULES_MAX * 6 * VFS_PATH_MAX)

/**
 * struct vfs_table - The rules of one view
 * @n:		Number of rules
 * @has_root:	A root rule exists (host paths outside every rule are
 *		not visible)
 * @has_hide:	A hide rule exists
 * @rule:	The rules: room for VFS_RULES_MAX, allocated with the first,
 *		or @n of them in a copy (vfs_table_load())
 * @pool:	The rules' strings, @pool_used of @pool_cap bytes in use;
 *		@pool[0] is the empty string.  Allocated on first use
 *		(VFS_POOL_MAX bytes, only the used part ever touched), or as
 *		big as a copy needs
 * @pool_at:	Where @pool was when its strings were written (a copy of the
 *		table moves its pointers by the difference)
 * @names:	A bit per (length, first byte) of the names in the rules'
 *		paths (vfs_rule_name()), made on first use when @names_made
 *
 * A new image of a view copies a few hundred bytes of rules and strings
 * onto its heap, not four path buffers per possible rule.
 */
struct vfs_table {
	int n;
	int has_root, has_hide, has_ro, has_cow;
	struct vfs_rule *rule;
	char *pool;
	size_t pool_used, pool_cap;
	const char *pool_at;
	uint64_t names;
	int names_made;
};

/* vfs_table.c */
int vfs_table_add(struct vfs_table *t, int kind, const char *guest,
		  const char *host);
const char *vfs_table_str(struct vfs_table *t, const char *s, size_t len);
int vfs_rule_set_host(struct vfs_table *t, struct vfs_rule *r,
		      const char *host);
size_t vfs_table_bytes(void);
void vfs_table_publish(void *mem, const struct vfs_table *t);
int vfs_table_load(struct vfs_table *t, const void *mem);
void vfs_path_norm(char *path);
int vfs_prefix(const char *prefix, size_t plen, const char *path);
int vfs_is_map(int kind);
int vfs_attr(const struct vfs_table *t, const char *guest);
int vfs_table_seal(struct vfs_table *t);
int vfs_host_attr(const struct vfs_table *t, const char *host, size_t maplen);
int vfs_is_mount_point(const struct vfs_table *t, const char *guest);
const struct vfs_rule *vfs_mount_of_parent(const struct vfs_table *t,
					   const char *guest);
int vfs_host_ro(const struct vfs_table *t, const char *guest,
		const char *host);
int vfs_to_host(const struct vfs_table *t, const char *guest, char *host,
		size_t cap);
int vfs_to_host_kind(const struct vfs_table *t, const char *guest, char *host,
		     size_t cap, int *kind);
int vfs_to_guest(const struct vfs_table *t, const char *host, char *guest,
		 size_t cap);
int vfs_rule_parent(const struct vfs_table *t, const char *guest);
int vfs_rule_below(const struct vfs_table *t, const char *guest,
		   const char *host);
int vfs_hides_child_host(const struct vfs_table *t, const char *host_dir);
int vfs_hides_child_of(const struct vfs_table *t, const char *guest_dir);
int vfs_holds_attr(const struct vfs_table *t, const char *guest,
		   const char *host);
int vfs_rule_name(struct vfs_table *t, const char *name, size_t len);

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
/* The flags first: on the page of the guest path's start, not on a third
 * page after the host path (a page fault in every process) */
struct vfs_res {
	int attr;
	int magic;
	int followed;
	int literal;
	char guest[VFS_PATH_MAX];
	char host[VFS_PATH_MAX];
};

int vfs_resolve(const struct vfs_ctx *ctx, const char *base, const char *path,
		int flags, struct vfs_res *res);
int vfs_host_walk_reaches(const struct vfs_table *t, const char *path,
			  int follow, const char *host, int *sealed);
/* vfs_sealed.c */
int vfs_dir_sealed(const char *dir);
/* vfs_sys.c: the result and base directory of the one call (or
 * realpath()) the module answers at a time */
extern struct vfs_res vfs_call_res;
extern char vfs_call_base[VFS_PATH_MAX];
int vfs_base(const struct vfs_ctx *ctx, int dirfd, char *guest, size_t cap);
int vfs_base_at(const struct vfs_ctx *ctx, int dirfd, char *gbuf, char *hbuf,
		const char **guest, const char **host);
void vfs_base_in_process(int yes);
int vfs_in_process(void);
int vfs_base_recent(int dirfd);
int vfs_base_stable(const struct facet_call *call);
const char *vfs_base_cwd_known(const struct vfs_ctx *ctx, size_t *glen,
				       const char **host);
void vfs_cwd_moves(int shared);
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
void vfs_sys_enosys(unsigned char *bits);
void vfs_sys_wants(struct vfs_self *s, struct facet_sysset *set);
enum facet_verdict vfs_sys_enter(struct vfs_self *s, struct facet_call *call);
int vfs_name_plain(struct vfs_self *s, int dirfd, int writes,
		   const char *path, size_t len);

/* The last component of @path (the name the kernel gives an exec) */
static inline const char *vfs_last_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/*
 * vfs_pin() - Let @call go on to the kernel with path argument @arg as the
 * module read and checked it (@path), not as the caller's memory holds it
 * by then: another thread or a process sharing the page could have
 * changed the string in between (facet_args_stable()).  Return 1 if the
 * call may go on, 0 if the module must finish it itself (a notification,
 * whose arguments cannot be changed).
 */
static inline int vfs_pin(struct facet_call *call, int arg, const char *path)
{
	return facet_args_stable(call) ||
	       (facet_can_rewrite(call) && facet_set_path(call, arg, path) == 0);
}
void vfs_sys_exit(struct vfs_self *s, struct facet_call *call);

/* vfs_fds.c */
int vfs_fds_start(struct vfs_self *s, struct facet_err *err);
void vfs_fds_wants(struct vfs_self *s, struct facet_sysset *set);
int vfs_fds_none(const struct vfs_self *s);
int vfs_fds_enter(struct vfs_self *s, struct facet_call *call,
		  enum facet_verdict *v);
void vfs_fds_exit(struct vfs_self *s, struct facet_call *call);
struct stat;
int vfs_fd_true(pid_t tid, const char *link, const char *host,
		const struct stat *seen);

/* vfs_fdattr.c */
int vfs_fd_ro(struct vfs_self *s, struct facet_call *call, int fd);
void vfs_fdattr_wants(const struct vfs_self *s, struct facet_sysset *set);
int vfs_fdattr_enter(struct vfs_self *s, struct facet_call *call,
		     enum facet_verdict *v);
int vfs_fdattr_at(struct vfs_self *s, struct facet_call *call, int fd,
		  enum facet_verdict *v);

/* vfs_touches.c */
int vfs_touches(void *self, const char *prefix);
void vfs_touch_share(void *mem);
size_t vfs_touch_bytes(void);
void vfs_touch_change(long nr);

/* vfs_cow.c */
int vfs_cow_pending(const struct vfs_table *t, const char *guest);
int vfs_cow_copyup(struct vfs_self *s, int i);
int vfs_cow_lower(const struct vfs_table *t, const char *host);
int vfs_cow_own(const struct vfs_table *t, const char *host);
int vfs_cow_start(struct vfs_table *t, const char *tmpdir, int *k);
void vfs_cow_sync(struct vfs_self *s);
int vfs_tree_copy(const char *from, const char *to);

/* vfs_unix.c */
void vfs_unix_wants(const struct vfs_table *t, struct facet_sysset *set);
int vfs_unix_enter(struct vfs_self *s, struct facet_call *call,
		   enum facet_verdict *v);
int vfs_unix_exit(struct vfs_self *s, struct facet_call *call);

/* vfs_unix_far.c */
int vfs_unix_far_start(struct facet_env *env);
int vfs_unix_far_guest(const char *name, char *guest, size_t cap);
long vfs_unix_far(struct vfs_self *s, struct facet_call *call,
		  const char *host, const char *guest);

/* vfs_fence.c */
void vfs_fence_wants(const struct vfs_self *s, struct facet_sysset *set);
int vfs_fence_enter(struct vfs_self *s, struct facet_call *call,
		    enum facet_verdict *v);
int vfs_fence_proc_open(struct vfs_self *s, struct facet_call *call,
			const char *host);

/* vfs_cmdline.c */
enum facet_verdict vfs_cmdline_open(struct vfs_self *s,
				    struct facet_call *call, const char *host,
				    int flags);

/* vfs_mounts.c */
int vfs_mounts_path(const char *host);
enum facet_verdict vfs_mounts_open(struct vfs_self *s, struct facet_call *call,
				   const char *host, int flags);

/* vfs_creds.c */
int vfs_creds_begin(struct vfs_self *s, struct facet_call *call, int real);
int vfs_creds_begin_always(struct vfs_self *s, struct facet_call *call);
void vfs_creds_end(int taken);
int vfs_creds_taken(void);
int vfs_creds_capable(struct facet_call *call, int cap);
/* vfs_chroot.c */
int vfs_chroot(struct facet_call *call, int resolved,
	       const struct vfs_res *res);
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
void vfs_cache_clock_hold(int on);

/* vfs_clock.c */
int64_t vfs_clock_now(void);

/*
 * Hash of @len bytes at @s, eight at a time, the last eight (or four)
 * read overlapping the ones before rather than byte by byte (the caches
 * hash a path on every call)
 */
static inline uint64_t vfs_hash_mix(uint64_t h, uint64_t w)
{
	h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
	return h ^ (h >> 29);
}

static inline uint64_t vfs_hash_bytes(const char *s, size_t len)
{
	uint64_t h = 0x243f6a8885a308d3ULL ^ len, w;
	const char *end = s + len;

	if (len >= 8) {
		for (; end - s > 8; s += 8) {
			__builtin_memcpy(&w, s, 8);
			h = vfs_hash_mix(h, w);
		}
		__builtin_memcpy(&w, end - 8, 8);
		h = vfs_hash_mix(h, w);
	} else if (len >= 4) {
		uint32_t a, b;

		__builtin_memcpy(&a, s, 4);
		__builtin_memcpy(&b, end - 4, 4);
		h = vfs_hash_mix(h, (uint64_t)a << 32 | b);
	} else if (len) {
		w = (unsigned char)s[0] | (unsigned)(unsigned char)s[len / 2] << 8 |
		    (unsigned)(unsigned char)end[-1] << 16;
		h = vfs_hash_mix(h, w);
	}
	h ^= h >> 32;
	return h * 0xd6e8feb86659fd93ULL ^ (h >> 31);
}

/* vfs_memo.c */
/**
 * struct vfs_dir - A directory resolved before (vfs_memo.c)
 * @guest:	Canonical guest path, @glen bytes
 * @host:	Host path, @hlen bytes
 * @attr:	What vfs_res.attr says for it (and for a name in it)
 * @leaf:	A name in it is mapped by the same rule, with the same
 *		attribute: no rule lies below it (by guest path, or by host
 *		path for --ro and --hide), and it is not in /proc
 * @gen, @stamp: What it is good for (set by vfs_memo_dir())
 */
struct vfs_dir {
	const char *guest, *host;
	size_t glen, hlen;
	int attr, leaf;
	uint64_t gen;
	int64_t stamp;
};
/* key, guest and host path of a memo entry, each NUL-terminated: keys
 * from VFS_MEMO_TEXT bytes on are not remembered */
#define VFS_MEMO_TEXT	224
int vfs_memo_dir(const char *key, size_t len, struct vfs_dir *d);
int vfs_memo_get(const char *key, size_t len, char *guest);
void vfs_memo_put(const char *key, size_t len, const struct vfs_dir *d,
		  uint64_t gen, int64_t stamp);

/* vfs_emul.c */
int vfs_emul(struct facet_call *call, const struct vfs_res *res, int follow,
	     long *result);
int vfs_emul_host(struct facet_call *call, const char *host, int follow,
		  long *result);
int vfs_emul_nolink(struct facet_call *call);
int vfs_emul_as_is(struct facet_call *call, const char *path,
		   const char *host, long *result);

/* vfs_stats.c: counters FACET_VFS_STATS prints (docs/vfs.md) */
#define VFS_STATS(X) \
	X(hot_calls)	/* stat/xattr calls the hot lane looked at */ \
	X(hot_hit)	/* absolute path: the last entry again */ \
	X(hot_made)	/* absolute path: a new entry from the memo */ \
	X(hot_name)	/* relative single name passed on (find) */ \
	X(hot_miss_memo) /* directory not a fresh leaf in the memo */ \
	X(hot_miss_link) /* follows a component not known as no link */ \
	X(hot_miss_other) /* long path, --cow, creds, relative not plain */ \
	X(hot_as_is)	/* answered: the caller's call made here as is */ \
	X(hot_host)	/* answered: the call made here on the host path */ \
	X(hot_pass)	/* answered: passed on unchanged to the kernel */ \
	X(general)	/* path calls that took the general way */ \
	X(memo_hit) X(memo_miss) X(memo_put) \
	X(resolve)	/* full resolutions (vfs_resolve()) */

struct vfs_stats {
#define VFS_STAT_FIELD(name) uint64_t name;
	VFS_STATS(VFS_STAT_FIELD)
#undef VFS_STAT_FIELD
};

extern int vfs_stats_on;
extern struct vfs_stats vfs_stats;
#define VFS_COUNT(name) \
	do { \
		if (__builtin_expect(vfs_stats_on, 0)) \
			vfs_stats.name++; \
	} while (0)

/* vfs_hot.c */
/* Can syscall @nr take the hot lane?  (Inline: a few compares for the
 * calls that cannot) */
static inline int vfs_hot_nr(long nr)
{
	return nr == SYS_newfstatat || nr == SYS_statx || nr == SYS_lstat ||
	       nr == SYS_stat || nr == SYS_lgetxattr || nr == SYS_getxattr;
}
int vfs_hot_call(struct facet_call *call, long nr, int *parg, int *follow,
		 int *dirfd);
int vfs_hot(struct vfs_self *s, struct facet_call *call, int parg,
	    const char *path, size_t plen, int follow, int dirfd,
	    enum facet_verdict *v);
enum facet_verdict vfs_open_notified(struct facet_call *call,
				     const struct vfs_res *res, int flags,
				     int nosym);

/*
 * Is @nr answered by vfs_emul()?  Those are hooked FACET_HOOK_ENTER only.
 * Inline: the start-up code that asks (vfs_sys_wants()) then touches no
 * code page of its own for it.
 */
static inline int vfs_emulated(long nr)
{
	switch (nr) {
	case SYS_stat:
	case SYS_lstat:
	case SYS_newfstatat:
	case SYS_statx:
	case SYS_access:
	case SYS_faccessat:
	case SYS_faccessat2:
	case SYS_readlink:
	case SYS_readlinkat:
	case SYS_getxattr:
	case SYS_lgetxattr:
	case SYS_listxattr:
	case SYS_llistxattr:
		return 1;
	default:
		return 0;
	}
}

/* vfs_exec.c */
enum facet_verdict vfs_exec_enter(struct vfs_self *s, struct facet_call *call,
				  const struct vfs_res *res, int path_arg,
				  const char *as);
enum facet_verdict vfs_fexec_enter(struct vfs_self *s,
				   struct facet_call *call);

/* vfs_proc.c: results that carry paths */
enum facet_verdict vfs_answer_memfd(struct facet_call *call, const char *name,
				    const char *data, size_t len, int flags);
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

/*
 * The view's table of guest executables (facet_env_shared(), "vfs-exe"):
 * every instance of the module (each preload image, the supervisor) reads
 * and writes the same one, so /proc/PID/exe is right whichever of them
 * started the loader by hand and whichever answers.  @lock is a spin
 * lock held for one lookup or update.
 */
struct vfs_exes {
	int lock;
	int n;
	struct vfs_exe e[VFS_EXE_MAX];
};

/* A spin lock in the view's shared memory, held for a lookup or update */
static inline void vfs_spin_lock(int *lock)
{
	while (__atomic_exchange_n(lock, 1, __ATOMIC_ACQUIRE))
		sched_yield();
}

static inline void vfs_spin_unlock(int *lock)
{
	__atomic_store_n(lock, 0, __ATOMIC_RELEASE);
}

/* vfs_comm.c: native process names across exec ("vfs-comm") */
#define VFS_COMM_MAX	128
#define VFS_COMM_LEN	16	/* TASK_COMM_LEN */
struct vfs_comms {
	int lock;
	int n;
	struct {
		pid_t pid;
		char name[VFS_COMM_LEN];
	} e[VFS_COMM_MAX];
};

/**
 * struct vfs_shared - State shared by every process of the view
 * @tmpdir:	Parent of the --tmp and private --cow directories
 * @copied:	Per rule: the --cow copy-up happened
 * @copier:	Per rule: the process making the copy-up now, 0 if none
 * @root:	The process that started the view (facet): the view is its
 *		descendants (vfs_fence.c)
 * @creds_changed: A process of the view changed its credentials
 * @dents:	Listings must be seen (vfs_dents_needed(), decided once)
 * @enosys:	Bitmap of the path-taking syscalls vfs_sys.c has no row for
 *		(they fail with ENOSYS), found once in the core's table
 * @published:	The first process has put the rules in "vfs-table"
 * @foreign_dirfd: A process of the view may hold a directory fd the view
 *		did not show (vfs_fds.c)
 *
 * The rules themselves, as the first process built them, are a block of
 * their own ("vfs-table", a struct vfs_table): later images copy it.
 */
struct vfs_shared {
	int creds_changed;
	int dents;
	int published;
	int foreign_dirfd;
	unsigned char enosys[FACET_NR_MAX / 8];
	unsigned char copied[VFS_RULES_MAX];
	pid_t copier[VFS_RULES_MAX];
	pid_t root;
	char tmpdir[VFS_PATH_MAX];
};

/**
 * struct vfs_opt - An option as given, made into rules when the view
 * starts (vfs_module.c)
 * @key:	"bind", "root", "ro", "hide", "tmp" or "cow"
 * @value:	The value (allocated)
 */
struct vfs_opt {
	const char *key;
	char *value;
};

/**
 * struct vfs_self - The module's state
 * @sh:		facet_env_shared() state
 * @tmpdir:	Host directory holding every --tmp directory, "" if none
 *		(@sh's)
 * @owner:	This is the view's first process: it made the directories
 *		and removes them when it stops
 * @rootbinds:	Bind /proc, /dev, /sys, /tmp under --root (default 1)
 * @in_process:	The module runs in the caller (preload)
 * @nopt, @opt:	The rule options, in the order given (allocated)
 * @exes:	Guest executables of processes whose image is not what
 *		/proc/PID/exe says (ELF interpreter started by hand): the
 *		view's table, in shared memory
 * @t:		The rules
 */
struct vfs_self {
	struct vfs_shared *sh;
	char *tmpdir;
	int owner;
	int rootbinds;
	int in_process;
	int nopt;
	struct vfs_opt *opt;
	struct vfs_exes *exes;
	struct vfs_comms *comms;
	struct vfs_table t;
};

int vfs_exe_get(struct vfs_self *s, pid_t pid, char *out, size_t cap);
void vfs_comm_exec(struct vfs_self *s, pid_t pid, const char *given,
		   const char *host);
void vfs_comm_start(struct vfs_self *s);
void vfs_comm_exit(struct vfs_self *s, pid_t pid);
int vfs_exe_any(const struct vfs_self *s);
int vfs_tmpdir_make(struct vfs_self *s, struct facet_err *err);

/* vfs_glue.c */
int vfs_glue_start(struct vfs_self *s, struct facet_err *err);
void vfs_exe_set(struct vfs_self *s, pid_t pid, const char *guest);

#endif /* FACET_VFS_H */
