// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vfs/vfs_table.c - The rule table: guest path to host path and back
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vfs.h"

/**
 * vfs_path_norm() - Make an absolute path lexically clean, in place
 *
 * Collapses "//", removes "." parts and trailing slashes, and applies ".."
 * lexically (never above "/").  Used on rule paths only; syscall paths go
 * through vfs_resolve(), which follows symlinks.
 */
void vfs_path_norm(char *path)
{
	char *out = path, *in = path;

	*out++ = '/';
	while (*in) {
		char *end;
		size_t len;

		while (*in == '/')
			in++;
		end = strchrnul(in, '/');
		len = end - in;
		if (!len || (len == 1 && in[0] == '.')) {
			in = end;
			continue;
		}
		if (len == 2 && in[0] == '.' && in[1] == '.') {
			while (out > path + 1 && out[-1] != '/')
				out--;
			if (out > path + 1)
				out--;
			in = end;
			continue;
		}
		if (out > path + 1 && out[-1] != '/')
			*out++ = '/';
		memmove(out, in, len);
		out += len;
		in = end;
	}
	if (out > path + 1 && out[-1] == '/')
		out--;
	*out = '\0';
}

/* Is @prefix (length @plen, normalized) @path or a parent of it? */
int vfs_prefix(const char *prefix, size_t plen, const char *path)
{
	if (plen == 1 && prefix[0] == '/')
		return 1;
	/* most rules differ in their first name: no call for those */
	if (plen >= 2 && path[0] && prefix[1] != path[1])
		return 0;
	return !strncmp(prefix, path, plen) &&
	       (path[plen] == '/' || path[plen] == '\0');
}

/* Does a rule of @kind say where paths live (not only what may be done)? */
int vfs_is_map(int kind)
{
	return kind == VFS_BIND || kind == VFS_ROOT || kind == VFS_TMP ||
	       kind == VFS_COW;
}

/**
 * vfs_table_str() - Copy a string into the table's pool
 * @s:		The string, @len bytes (no NUL needed)
 *
 * Return: the copy, NUL-terminated, or NULL when there is no room
 */
VFS_COLD const char *vfs_table_str(struct vfs_table *t, const char *s, size_t len)
{
	char *out;

	if (!t->pool) {
		/* a big allocation is mapped: untouched pages cost nothing */
		t->pool = malloc(VFS_POOL_MAX);
		if (!t->pool)
			return NULL;
		t->pool[0] = '\0';
		t->pool_used = 1;
		t->pool_cap = VFS_POOL_MAX;
		t->pool_at = t->pool;
	}
	if (!len)
		return t->pool;
	if (len >= t->pool_cap - t->pool_used)
		return NULL;
	out = t->pool + t->pool_used;
	memcpy(out, s, len);
	out[len] = '\0';
	t->pool_used += len + 1;
	return out;
}

/* A normalized copy of absolute path @path in the pool, or NULL */
VFS_COLD static const char *vfs_table_path(struct vfs_table *t, const char *path)
{
	char tmp[VFS_PATH_MAX];

	strcpy(tmp, path);
	vfs_path_norm(tmp);
	return vfs_table_str(t, tmp, strlen(tmp));
}

/**
 * vfs_rule_set_host() - Give rule @r the host path @host (used as is)
 *
 * Return: 0 or -ENAMETOOLONG (too long, or no room left in the pool)
 */
VFS_COLD int vfs_rule_set_host(struct vfs_table *t, struct vfs_rule *r,
		      const char *host)
{
	size_t len = strlen(host);
	const char *copy;

	if (len >= VFS_PATH_MAX)
		return -ENAMETOOLONG;
	copy = vfs_table_str(t, host, len);
	if (!copy)
		return -ENAMETOOLONG;
	r->host = copy;
	r->hlen = len;
	t->names_made = 0;
	return 0;
}

/**
 * vfs_table_add() - Add a rule
 * @guest:	Guest path, absolute (normalized here)
 * @host:	Host path for mapping rules, absolute; NULL for ro and hide
 *
 * Return: 0, -ENOSPC when full, -ENAMETOOLONG, -EINVAL if not absolute
 */
VFS_COLD int vfs_table_add(struct vfs_table *t, int kind, const char *guest,
		  const char *host)
{
	struct vfs_rule *r;

	if (t->n >= VFS_RULES_MAX)
		return -ENOSPC;
	if (guest[0] != '/' || (host && host[0] != '/'))
		return -EINVAL;
	if (!t->rule)
		t->rule = calloc(VFS_RULES_MAX, sizeof(*t->rule));
	if (!t->rule)
		return -ENOMEM;
	if (strlen(guest) >= VFS_PATH_MAX || (host && strlen(host) >= VFS_PATH_MAX))
		return -ENAMETOOLONG;
	r = &t->rule[t->n];
	memset(r, 0, sizeof(*r));
	t->names_made = 0;
	r->kind = kind;
	r->guest = vfs_table_path(t, guest);
	r->host = host ? vfs_table_path(t, host) : vfs_table_str(t, "", 0);
	if (!r->guest || !r->host)
		return -ENAMETOOLONG;
	r->glen = strlen(r->guest);
	r->hlen = strlen(r->host);
	/* --cow: the host side is the lower directory until the copy-up */
	r->lower = r->host;
	r->upper = t->pool;
	t->n++;
	if (kind == VFS_ROOT)
		t->has_root = 1;
	if (kind == VFS_HIDE)
		t->has_hide = 1;
	if (kind == VFS_RO)
		t->has_ro = 1;
	if (kind == VFS_COW)
		t->has_cow = 1;
	return 0;
}

/*
 * A table as published in the view's shared memory (vfs_table_publish()):
 * the struct, then room for every rule, then the pool
 */
#define VFS_PUB_RULES	sizeof(struct vfs_table)
#define VFS_PUB_POOL	(VFS_PUB_RULES + VFS_RULES_MAX * sizeof(struct vfs_rule))

VFS_COLD size_t vfs_table_bytes(void)
{
	return VFS_PUB_POOL + VFS_POOL_MAX;
}

/* @t's rules at @mem (vfs_table_bytes()), for vfs_table_load() */
VFS_COLD void vfs_table_publish(void *mem, const struct vfs_table *t)
{
	struct vfs_table *pub = mem;

	*pub = *t;
	/* the rules' pointers are still @t's: @pool_at says where that was */
	pub->rule = NULL;
	pub->pool = NULL;
	pub->pool_cap = t->pool_used;
	memcpy((char *)mem + VFS_PUB_RULES, t->rule, t->n * sizeof(*t->rule));
	memcpy((char *)mem + VFS_PUB_POOL, t->pool, t->pool_used);
}

/* Pointer @p, made at @from, moved to @to */
static const char *vfs_table_move(const char *p, const char *from,
				  const char *to)
{
	return to + (p - from);
}

/**
 * vfs_table_load() - Make @t a copy of the table published at @mem (by
 * another process: its pointers are moved into @t's own pool)
 *
 * Only the rules in use and the used part of the pool are copied.
 *
 * Return: 0 or -ENOMEM
 */
VFS_COLD int vfs_table_load(struct vfs_table *t, const void *mem)
{
	const struct vfs_table *pub = mem;
	struct vfs_rule *rule = malloc(pub->n * sizeof(*rule) + 1);
	char *pool = malloc(pub->pool_used + 1);
	int i;

	if (!rule || !pool) {
		free(rule);
		free(pool);
		return -ENOMEM;
	}
	memcpy(rule, (const char *)mem + VFS_PUB_RULES, pub->n * sizeof(*rule));
	memcpy(pool, (const char *)mem + VFS_PUB_POOL, pub->pool_used);
	free(t->rule);
	free(t->pool);
	*t = *pub;
	t->rule = rule;
	t->pool = pool;
	for (i = 0; i < t->n; i++) {
		struct vfs_rule *r = &t->rule[i];

		r->guest = vfs_table_move(r->guest, pub->pool_at, pool);
		r->host = vfs_table_move(r->host, pub->pool_at, pool);
		r->lower = vfs_table_move(r->lower, pub->pool_at, pool);
		r->upper = vfs_table_move(r->upper, pub->pool_at, pool);
	}
	t->pool_at = pool;
	return 0;
}

/*
 * The winning rule for @guest: the longest guest prefix; on a tie hide and
 * ro beat mapping rules, and a later rule beats an earlier one.  With
 * @map_only only mapping rules count.
 */
static const struct vfs_rule *vfs_win(const struct vfs_table *t,
				      const char *guest, int map_only)
{
	const struct vfs_rule *best = NULL;
	int i;

	for (i = 0; i < t->n; i++) {
		const struct vfs_rule *r = &t->rule[i];

		if (map_only && !vfs_is_map(r->kind))
			continue;
		if (!vfs_prefix(r->guest, r->glen, guest))
			continue;
		if (best && r->glen < best->glen)
			continue;
		if (best && r->glen == best->glen && vfs_is_map(r->kind) &&
		    !vfs_is_map(best->kind))
			continue;
		best = r;
	}
	return best;
}

/* enum vfs_kind of the rule that wins for @guest, -1 if none */
int vfs_attr(const struct vfs_table *t, const char *guest)
{
	const struct vfs_rule *r = vfs_win(t, guest, 0);

	return r ? r->kind : -1;
}

static int vfs_join(char *out, size_t cap, const char *a, size_t alen,
		    const char *rest)
{
	size_t rlen = strlen(rest);

	if (alen == 1 && a[0] == '/' && rest[0] == '/')
		alen = 0;
	if (!alen && !rlen) {
		if (cap < 2)
			return -ENAMETOOLONG;
		strcpy(out, "/");
		return 0;
	}
	if (alen + rlen + 1 > cap)
		return -ENAMETOOLONG;
	memmove(out + alen, rest, rlen + 1);
	if (out != a)
		memcpy(out, a, alen);
	return 0;
}

/*
 * The part of @path below a rule's path of length @plen ("" for the rule's
 * path itself): a pointer into @path, no copy (a 4 kB buffer on the stack
 * of every resolution cost a page fault in most processes); vfs_join()
 * moves it before it writes the rule's side, so the result may go over
 * @path
 */
static const char *vfs_below(const char *path, size_t plen)
{
	const char *rest = path + (plen == 1 ? 0 : plen);

	return rest[0] == '/' && !rest[1] ? "" : rest;
}

/*
 * Host path of @guest by the mapping rules alone; *@maplen is the length
 * of the host side of the rule used (1: the identity)
 */
static int vfs_map_by(const struct vfs_rule *r, const char *guest,
		      char *host, size_t cap, size_t *maplen)
{
	*maplen = r ? r->hlen : 1;
	if (!r) {
		if (strlen(guest) >= cap)
			return -ENAMETOOLONG;
		strcpy(host, guest);
		return 0;
	}
	return vfs_join(host, cap, r->host, r->hlen,
			vfs_below(guest, r->glen));
}

static int vfs_map(const struct vfs_table *t, const char *guest, char *host,
		   size_t cap, size_t *maplen)
{
	return vfs_map_by(vfs_win(t, guest, 1), guest, host, cap, maplen);
}

/**
 * vfs_table_seal() - Give --ro and --hide rules their host paths
 *
 * Called once the mapping rules are complete: a hidden or read-only file
 * stays so when another rule (a --bind of a parent elsewhere) shows the
 * same host file under a second guest path.
 *
 * Return: 0 or -ENAMETOOLONG (no room left for the strings)
 */
VFS_COLD int vfs_table_seal(struct vfs_table *t)
{
	char host[VFS_PATH_MAX];
	size_t maplen;
	int i, ret;

	for (i = 0; i < t->n; i++) {
		struct vfs_rule *r = &t->rule[i];

		if (r->kind != VFS_RO && r->kind != VFS_HIDE)
			continue;
		if (vfs_map(t, r->guest, host, sizeof(host), &maplen) < 0 ||
		    !strcmp(host, "/")) {
			r->host = t->pool;
			r->hlen = 0;
			continue;
		}
		ret = vfs_rule_set_host(t, r, host);
		if (ret < 0)
			return ret;
	}
	return 0;
}

/*
 * enum vfs_kind of the --ro/--hide rule covering host path @host, or -1.
 * Only rules more specific than the mapping rule that led there (host side
 * of length @maplen) count: a --bind inside a read-only tree stays
 * writable, a --bind of a parent of a hidden file does not show it.
 */
int vfs_host_attr(const struct vfs_table *t, const char *host, size_t maplen)
{
	int i, attr = -1;

	for (i = 0; i < t->n; i++) {
		const struct vfs_rule *r = &t->rule[i];

		if ((r->kind != VFS_RO && r->kind != VFS_HIDE) ||
		    r->hlen <= maplen || !vfs_prefix(r->host, r->hlen, host))
			continue;
		if (r->kind == VFS_HIDE)
			return VFS_HIDE;
		attr = VFS_RO;
	}
	return attr;
}

/**
 * vfs_to_host() - Host path of a canonical guest path
 *
 * Return: 0, -ENOENT if the path is hidden (by its guest path or, through
 * another rule, by its host path), -ENAMETOOLONG
 */
int vfs_to_host(const struct vfs_table *t, const char *guest, char *host,
		size_t cap)
{
	int kind;

	return vfs_to_host_kind(t, guest, host, cap, &kind);
}

/**
 * vfs_to_host_kind() - vfs_to_host(), and the winning rule's kind for
 * @guest in *@kind (vfs_attr())
 */
int vfs_to_host_kind(const struct vfs_table *t, const char *guest, char *host,
		     size_t cap, int *kind)
{
	const struct vfs_rule *r = vfs_win(t, guest, 0);
	size_t maplen;
	int ret;

	*kind = r ? r->kind : -1;
	if (r && r->kind == VFS_HIDE)
		return -ENOENT;
	/* the longest prefix of all is a mapping rule: the mapping winner */
	if (!r || vfs_is_map(r->kind))
		ret = vfs_map_by(r, guest, host, cap, &maplen);
	else
		ret = vfs_map(t, guest, host, cap, &maplen);
	if (ret < 0)
		return ret;
	if (t->has_hide && vfs_host_attr(t, host, maplen) == VFS_HIDE)
		return -ENOENT;
	return 0;
}

/* Is canonical @guest (host path @host) read-only through its host path? */
int vfs_host_ro(const struct vfs_table *t, const char *guest,
		const char *host)
{
	char tmp[VFS_PATH_MAX];
	size_t maplen;

	if (vfs_map(t, guest, tmp, sizeof(tmp), &maplen) < 0)
		return 0;
	return vfs_host_attr(t, host, maplen) == VFS_RO;
}

/*
 * Is @host in a directory facet made for the view: a --tmp one, or a
 * copied --cow upper?  With TMPDIR in a --cow tree (--cow /tmp) they lie
 * in its lower directory, but are not of it: the upper is written, and an
 * fd there is not read as the same place in the upper again.
 */
int vfs_cow_own(const struct vfs_table *t, const char *host)
{
	int i;

	for (i = 0; i < t->n; i++) {
		const struct vfs_rule *r = &t->rule[i];

		if ((r->kind == VFS_TMP || (r->kind == VFS_COW && r->copied)) &&
		    vfs_prefix(r->host, r->hlen, host))
			return 1;
	}
	return 0;
}

/* A path in a copied --cow lower directory means the same in the upper */
static const char *vfs_cow_alias(const struct vfs_table *t, const char *host,
				 char *alias)
{
	int i;

	if (!t->has_cow || vfs_cow_own(t, host))
		return host;
	for (i = 0; i < t->n; i++) {
		const struct vfs_rule *r = &t->rule[i];
		size_t llen = strlen(r->lower);

		if (r->kind != VFS_COW || !r->copied ||
		    !vfs_prefix(r->lower, llen, host))
			continue;
		if ((size_t)snprintf(alias, VFS_PATH_MAX, "%s%s", r->host,
				     host + llen) < VFS_PATH_MAX)
			return alias;
		break;
	}
	return host;
}

/* The mapping rule with the longest host prefix of @host below @limit */
static const struct vfs_rule *vfs_host_rule(const struct vfs_table *t,
					    const char *host, size_t limit)
{
	const struct vfs_rule *best = NULL;
	int i;

	for (i = 0; i < t->n; i++) {
		const struct vfs_rule *r = &t->rule[i];

		if (!vfs_is_map(r->kind) || !vfs_prefix(r->host, r->hlen, host))
			continue;
		if (r->hlen < limit && (!best || r->hlen > best->hlen))
			best = r;
	}
	return best;
}

static int vfs_to_guest_of(const struct vfs_table *t, const char *host,
			   char *guest, size_t cap)
{
	char back[VFS_PATH_MAX];
	const struct vfs_rule *r;
	size_t limit = (size_t)-1;
	int ret;

	while ((r = vfs_host_rule(t, host, limit))) {
		ret = vfs_join(guest, cap, r->guest, r->glen,
			       vfs_below(host, r->hlen));
		if (ret < 0)
			return ret;
		if (!vfs_to_host(t, guest, back, sizeof(back)) &&
		    !strcmp(back, host))
			return 0;
		limit = r->hlen;
	}
	if (t->has_root)
		return -ENOENT;
	if (strlen(host) >= cap)
		return -ENAMETOOLONG;
	strcpy(guest, host);
	if (!vfs_to_host(t, guest, back, sizeof(back)) && !strcmp(back, host))
		return 0;
	return -ENOENT;
}

/* With --cow: through the alias, its buffer on the stack only then */
static __attribute__((noinline)) int vfs_to_guest_cow(
	const struct vfs_table *t, const char *host, char *guest, size_t cap)
{
	char alias[VFS_PATH_MAX];

	return vfs_to_guest_of(t, vfs_cow_alias(t, host, alias), guest, cap);
}

/**
 * vfs_to_guest() - Guest path of a host path (cwd, an fd, a magic link)
 *
 * Tries the mapping rules from the longest host prefix down (then the
 * identity when there is no --root) and checks the way back: a host path
 * that is shadowed by another rule, hidden, or outside the root has no
 * guest path.
 *
 * Return: 0, -ENOENT when the host path is not visible in the view
 */
int vfs_to_guest(const struct vfs_table *t, const char *host, char *guest,
		 size_t cap)
{
	/* without --cow no alias buffer: 4 kB less stack under every
	 * call below (a page fault in many processes) */
	if (t->has_cow)
		return vfs_to_guest_cow(t, host, guest, cap);
	return vfs_to_guest_of(t, host, guest, cap);
}

/* Is @guest a proper parent of a mapping rule's guest path? */
int vfs_rule_parent(const struct vfs_table *t, const char *guest)
{
	size_t len = strlen(guest);
	int i;

	for (i = 0; i < t->n; i++) {
		const struct vfs_rule *r = &t->rule[i];

		if (vfs_is_map(r->kind) && r->glen > len &&
		    vfs_prefix(guest, len, r->guest))
			return 1;
	}
	return 0;
}

/*
 * Does a rule lie below canonical @guest (host path @host): a rule of any
 * kind by its guest path, or a --ro/--hide rule by its host path?  If not,
 * every name in the directory is mapped by the rule that maps it, with
 * its attribute (vfs_resolve_fast()).
 */
int vfs_rule_below(const struct vfs_table *t, const char *guest,
		   const char *host)
{
	size_t glen = strlen(guest), hlen = strlen(host);
	int i;

	for (i = 0; i < t->n; i++) {
		const struct vfs_rule *r = &t->rule[i];

		if (r->glen > glen && vfs_prefix(guest, glen, r->guest))
			return 1;
		if ((r->kind == VFS_RO || r->kind == VFS_HIDE) &&
		    r->hlen > hlen && vfs_prefix(host, hlen, r->host))
			return 1;
	}
	return 0;
}

/* Is some hidden path a direct child of @guest_dir? */
int vfs_hides_child_of(const struct vfs_table *t, const char *guest_dir)
{
	size_t dlen = strlen(guest_dir);
	int i;

	for (i = 0; i < t->n; i++) {
		const struct vfs_rule *r = &t->rule[i];
		const char *slash;

		if (r->kind != VFS_HIDE || !vfs_prefix(guest_dir, dlen, r->guest))
			continue;
		if (r->glen <= dlen)
			continue;
		slash = strrchr(r->guest, '/');
		if ((size_t)(slash - r->guest) == (dlen == 1 ? 0 : dlen))
			return 1;
	}
	return 0;
}

/* Is the host side of some hidden path a direct child of @host_dir? */
int vfs_hides_child_host(const struct vfs_table *t, const char *host_dir)
{
	size_t dlen = strlen(host_dir);
	int i;

	for (i = 0; i < t->n; i++) {
		const struct vfs_rule *r = &t->rule[i];
		const char *slash;

		if (r->kind != VFS_HIDE || r->hlen <= dlen ||
		    !vfs_prefix(host_dir, dlen, r->host))
			continue;
		slash = strrchr(r->host, '/');
		if ((size_t)(slash - r->host) == (dlen == 1 ? 0 : dlen))
			return 1;
	}
	return 0;
}

/**
 * vfs_holds_attr() - Does renaming @guest (host path @host) move a --ro
 * or --hide path along?
 *
 * The rules name paths: renaming a directory above one would take the
 * file out from under its rule (a hidden file readable at the new name).
 * The kernel refuses to rename a mount point with EBUSY; so does the view
 * for directories above attribute rules.
 *
 * Return: 1 if so, 0 if not
 */
int vfs_holds_attr(const struct vfs_table *t, const char *guest,
		   const char *host)
{
	size_t glen = strlen(guest), hlen = strlen(host);
	int i;

	for (i = 0; i < t->n; i++) {
		const struct vfs_rule *r = &t->rule[i];

		if (r->kind != VFS_RO && r->kind != VFS_HIDE)
			continue;
		if (r->glen > glen && vfs_prefix(guest, glen, r->guest))
			return 1;
		if (r->hlen > hlen && hlen > 1 &&
		    vfs_prefix(host, hlen, r->host))
			return 1;
	}
	return 0;
}

/**
 * vfs_is_mount_point() - Is canonical @guest where a --bind or --tmp rule
 * shows its directory or file (/proc... of --root too)?  (A --cow path
 * may be removed: its upper goes, docs/vfs.md.)
 *
 * Such a name is a mount point to the guest: the kernel refuses to
 * remove or rename one (EBUSY).  The view's call would otherwise act on
 * the rule's host side (sed -i over a --bind file renamed the temporary
 * file onto the user's source, rm removed it).
 *
 * Return: 1 if so, 0 if not
 */
int vfs_is_mount_point(const struct vfs_table *t, const char *guest)
{
	size_t glen = strlen(guest);
	int i;

	for (i = 0; i < t->n; i++) {
		const struct vfs_rule *r = &t->rule[i];

		if ((r->kind == VFS_BIND || r->kind == VFS_TMP) &&
		    r->glen == glen && glen > 1 &&
		    !memcmp(r->guest, guest, glen))
			return 1;
	}
	return 0;
}

/**
 * vfs_mount_of_parent() - The mount the directory holding canonical @guest
 * lies on: the mapping rule with the longest guest path above @guest
 * (not @guest itself, a mount point lies on its parent's mount)
 *
 * Each mapping rule is a mount to the guest (/proc/self/mountinfo lists
 * it so): rename() and link() between two of them fail with EXDEV, as the
 * kernel refuses them between mounts, also between two binds of one file
 * system, before it looks at the names themselves.
 *
 * Return: the rule, or NULL for a host path no rule maps (the host's own
 * mounts, which the kernel tells apart itself)
 */
const struct vfs_rule *vfs_mount_of_parent(const struct vfs_table *t,
					   const char *guest)
{
	const struct vfs_rule *best = NULL;
	size_t glen = strlen(guest);
	int i;

	for (i = 0; i < t->n; i++) {
		const struct vfs_rule *r = &t->rule[i];

		if (!vfs_is_map(r->kind) || (r->glen == glen && glen > 1) ||
		    !vfs_prefix(r->guest, r->glen, guest))
			continue;
		if (!best || r->glen >= best->glen)
			best = r;
	}
	return best;
}

/* The bit of vfs_table.names for a name of @len bytes starting with @c */
static uint64_t vfs_name_bit(size_t len, unsigned char c)
{
	return 1ULL << ((len * 5 + c) & 63);
}

/* Is @name (@len bytes) a component of path @p? 0 for a NULL @p */
static int vfs_path_has(const char *p, const char *name, size_t len)
{
	for (; p && *p; p++)
		if (p[0] == '/' && !strncmp(p + 1, name, len) &&
		    (p[1 + len] == '/' || !p[1 + len]))
			return 1;
	return 0;
}

/* The paths vfs_rule_name() looks in: every guest path, and the host
 * side of --ro and --hide rules (they hold for the file) */
static const char *vfs_name_host(const struct vfs_rule *r)
{
	return r->kind == VFS_RO || r->kind == VFS_HIDE ? r->host : NULL;
}

VFS_COLD static void vfs_names_add(struct vfs_table *t, const char *p)
{
	const char *end;

	for (; p && *p; p = end) {
		while (*p == '/')
			p++;
		end = strchrnul(p, '/');
		if (end > p)
			t->names |= vfs_name_bit(end - p, *p);
	}
}

/**
 * vfs_rule_name() - Is @name (@len bytes, one component) a name in some
 * rule's guest path, or in the host path of a --ro or --hide rule?
 *
 * If not, the entry @name of a directory of the view is mapped by the
 * rule that maps the directory, and no rule lies at it or below it.
 * Most names are told apart by one bit (vfs_table.names).
 */
VFS_HOT int vfs_rule_name(struct vfs_table *t, const char *name, size_t len)
{
	int i;

	if (!t->names_made) {
		for (i = 0; i < t->n; i++) {
			vfs_names_add(t, t->rule[i].guest);
			vfs_names_add(t, vfs_name_host(&t->rule[i]));
		}
		t->names_made = 1;
	}
	if (!len || !(t->names & vfs_name_bit(len, *name)))
		return 0;
	for (i = 0; i < t->n; i++)
		if (vfs_path_has(t->rule[i].guest, name, len) ||
		    vfs_path_has(vfs_name_host(&t->rule[i]), name, len))
			return 1;
	return 0;
}
