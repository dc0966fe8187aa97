// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vfs/vfs_module.c - The vfs module: options, start and stop
 */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <sched.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "vfs.h"

static const struct facet_option vfs_options[] = {
	{ "bind", "HOST[:GUEST]", "show host file or directory HOST at GUEST" },
	{ "root", "DIR", "guest root, chroot-style (/proc /dev /sys /tmp "
	  "bound from the host)" },
	{ "rootbinds", "yes|no", "bind /proc /dev /sys /tmp under root "
	  "(default yes)" },
	{ "ro", "PATH", "read-only: writes fail with EROFS" },
	{ "hide", "PATH", "hidden: ENOENT, absent from listings" },
	{ "tmp", "PATH", "private empty writable directory, removed at the end" },
	{ "cow", "PATH[=UPPER]", "copy-on-write: writes go to UPPER (kept) "
	  "or a private directory; the host is never modified" },
	{ NULL, NULL, NULL },
};

/* realpath() of an existing host path, for rule host sides */
static int vfs_host_path(const char *in, char *out, const char *what,
			 struct facet_err *err)
{
	if (!realpath(in, out))
		return facet_err_set(err, errno, "vfs: %s '%s': %s; give an "
				     "existing path", what, in,
				     strerror(errno));
	return 0;
}

/* Guest paths: absolute, or relative to facet's cwd (same in the guest) */
static int vfs_guest_path(const char *in, char *out, struct facet_err *err)
{
	char cwd[VFS_PATH_MAX];

	if (!in[0])
		return facet_err_set(err, EINVAL, "vfs: empty path; give an "
				     "absolute path");
	if (in[0] == '/') {
		snprintf(out, VFS_PATH_MAX, "%s", in);
	} else {
		if (!getcwd(cwd, sizeof(cwd)))
			return facet_err_set(err, errno, "vfs: getcwd: %s",
					     strerror(errno));
		if ((size_t)snprintf(out, VFS_PATH_MAX, "%s/%s", cwd, in) >=
		    VFS_PATH_MAX)
			return facet_err_set(err, ENAMETOOLONG, "vfs: path "
					     "too long: %s", in);
	}
	vfs_path_norm(out);
	return 0;
}

static int vfs_add(struct vfs_self *s, int kind, const char *guest,
		   const char *host, struct facet_err *err)
{
	int ret = vfs_table_add(&s->t, kind, guest, host);

	if (ret == -ENOSPC)
		return facet_err_set(err, ENOSPC, "vfs: more than %d rules; "
				     "use fewer --bind/--ro/--hide options",
				     VFS_RULES_MAX);
	if (ret < 0)
		return facet_err_set(err, -ret, "vfs: bad path '%s'", guest);
	return 0;
}

/* HOST[:GUEST]: the length of HOST, or an error */
VFS_COLD static int vfs_bind_split(const char *value, size_t *hlen,
			  struct facet_err *err)
{
	const char *colon = strchr(value, ':');

	*hlen = colon ? (size_t)(colon - value) : strlen(value);
	if (!*hlen || *hlen >= VFS_PATH_MAX)
		return facet_err_set(err, EINVAL, "vfs: bad --bind '%s'; use "
				     "HOST[:GUEST]", value);
	if (colon && !colon[1])
		return facet_err_set(err, EINVAL, "vfs: empty path; give an "
				     "absolute path");
	return 0;
}

static int vfs_opt_bind(struct vfs_self *s, const char *value,
			struct facet_err *err)
{
	char hostarg[VFS_PATH_MAX], host[VFS_PATH_MAX], guest[VFS_PATH_MAX];
	const char *colon = strchr(value, ':');
	size_t hlen;
	int ret;

	ret = vfs_bind_split(value, &hlen, err);
	if (ret < 0)
		return ret;
	memcpy(hostarg, value, hlen);
	hostarg[hlen] = '\0';
	ret = vfs_host_path(hostarg, host, "--bind", err);
	if (ret < 0)
		return ret;
	ret = vfs_guest_path(colon ? colon + 1 : hostarg, guest, err);
	if (ret < 0)
		return ret;
	return vfs_add(s, VFS_BIND, guest, host, err);
}

/* Was option @key given (recorded by vfs_option(), in any order)? */
static int vfs_has_opt(const struct vfs_self *s, const char *key)
{
	int i;

	for (i = 0; i < s->nopt; i++)
		if (!strcmp(s->opt[i].key, key))
			return 1;
	return 0;
}

/* PATH[=UPPER]: the length of PATH, or an error */
VFS_COLD static int vfs_cow_split(const char *value, size_t *plen,
			 struct facet_err *err)
{
	const char *eq = strchr(value, '=');

	*plen = eq ? (size_t)(eq - value) : strlen(value);
	if (!*plen || *plen >= VFS_PATH_MAX || (eq && !eq[1]))
		return facet_err_set(err, EINVAL, "vfs: bad --cow '%s'; use "
				     "PATH[=UPPER]", value);
	return 0;
}

/* PATH[=UPPER]: PATH must exist on the host; UPPER is made if missing */
static int vfs_opt_cow(struct vfs_self *s, const char *value,
		       struct facet_err *err)
{
	char patharg[VFS_PATH_MAX], lower[VFS_PATH_MAX], guest[VFS_PATH_MAX];
	char upper[VFS_PATH_MAX] = "";
	const char *eq = strchr(value, '=');
	struct vfs_rule *r;
	struct stat st;
	size_t plen;
	int ret;

	ret = vfs_cow_split(value, &plen, err);
	if (ret < 0)
		return ret;
	memcpy(patharg, value, plen);
	patharg[plen] = '\0';
	ret = vfs_host_path(patharg, lower, "--cow", err);
	if (ret == -ENOENT && vfs_has_opt(s, "root")) {
		/* the guest's path, maybe only in the root: found in the
		 * view at start (vfs_cow_lowers()), checked there */
		ret = vfs_guest_path(patharg, lower, err);
		if (ret < 0)
			return ret;
		st.st_mode = S_IFDIR;
	} else if (ret < 0) {
		return ret;
	} else if (stat(lower, &st) < 0 ||
	    (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode)))
		return facet_err_set(err, EINVAL, "vfs: --cow '%s': not a "
				     "directory or a regular file; give one",
				     patharg);
	ret = vfs_guest_path(patharg, guest, err);
	if (ret < 0)
		return ret;
	if (eq) {
		ret = vfs_guest_path(eq + 1, upper, err);
		if (ret < 0)
			return ret;
		if (S_ISREG(st.st_mode) && lstat(upper, &st) == 0 &&
		    !S_ISREG(st.st_mode))
			return facet_err_set(err, EISDIR, "vfs: --cow '%s': "
					     "the upper of a file is a file, "
					     "'%s' is not; name a file to keep "
					     "the copy in", value, upper);
	}
	ret = vfs_add(s, VFS_COW, guest, lower, err);
	if (ret < 0)
		return ret;
	r = &s->t.rule[s->t.n - 1];
	r->upper = vfs_table_str(&s->t, upper, strlen(upper));
	if (!r->upper)
		return facet_err_set(err, ENAMETOOLONG, "vfs: --cow '%s': "
				     "paths too long", value);
	return 0;
}

/*
 * Option @key=@value (recorded by vfs_option()) made into a rule: host
 * paths resolved (realpath()), relative paths joined to the cwd
 */
static int vfs_opt_rule(struct vfs_self *s, const char *key,
			const char *value, struct facet_err *err)
{
	char path[VFS_PATH_MAX];
	int ret;

	if (!strcmp(key, "bind"))
		return vfs_opt_bind(s, value, err);
	if (!strcmp(key, "cow"))
		return vfs_opt_cow(s, value, err);
	if (!strcmp(key, "root")) {
		struct stat st;

		ret = vfs_host_path(value, path, "--root", err);
		if (ret < 0)
			return ret;
		if (stat(path, &st) < 0 || !S_ISDIR(st.st_mode))
			return facet_err_set(err, ENOTDIR, "vfs: --root '%s': "
					     "not a directory; give the guest's "
					     "root directory", value);
		return vfs_add(s, VFS_ROOT, "/", path, err);
	}
	ret = vfs_guest_path(value, path, err);
	if (ret < 0)
		return ret;
	if (!strcmp(key, "ro"))
		return vfs_add(s, VFS_RO, path, NULL, err);
	if (!strcmp(key, "hide"))
		return vfs_add(s, VFS_HIDE, path, NULL, err);
	return vfs_add(s, VFS_TMP, path, "/", err);
}

/*
 * Options are checked here and made into rules when the view starts
 * (vfs_rules_make()), once: the first process resolves the paths and
 * every later image copies its table.  So no image looks the paths up
 * again (a readlink() per component of each), and a relative path means
 * what it meant where facet was started, not in the image's cwd.
 */
VFS_COLD static int vfs_option(void *self, const char *key, const char *value,
		      struct facet_err *err)
{
	static const char *const keys[] = { "bind", "root", "ro", "hide",
					    "tmp", "cow" };
	struct vfs_self *s = self;
	const char *known = NULL;
	size_t i, len;
	int ret = 0;

	if (!value)
		value = "";
	if (!strcmp(key, "rootbinds")) {
		s->rootbinds = strcmp(value, "no") ? 1 : -1;
		return 0;
	}
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (!strcmp(key, keys[i]))
			known = keys[i];
	if (!known)
		return facet_err_set(err, EINVAL, "vfs: unknown option '%s'",
				     key);
	if (!strcmp(key, "bind"))
		ret = vfs_bind_split(value, &len, err);
	else if (!strcmp(key, "cow"))
		ret = vfs_cow_split(value, &len, err);
	else if (!value[0] && strcmp(key, "root"))
		ret = facet_err_set(err, EINVAL, "vfs: empty path; give an "
				    "absolute path");
	if (ret < 0)
		return ret;
	for (i = 0; !strcmp(key, "root") && i < (size_t)s->nopt; i++)
		if (!strcmp(s->opt[i].key, "root"))
			return facet_err_set(err, EINVAL, "vfs: --root given "
					     "twice; give one");
	if (s->nopt == VFS_RULES_MAX)
		return facet_err_set(err, ENOSPC, "vfs: more than %d rules; "
				     "use fewer --bind/--ro/--hide options",
				     VFS_RULES_MAX);
	if (strlen(value) >= 2 * VFS_PATH_MAX)
		return facet_err_set(err, ENAMETOOLONG, "vfs: path too long: "
				     "%.64s...", value);
	if (!s->opt)
		s->opt = calloc(VFS_RULES_MAX, sizeof(*s->opt));
	if (s->opt)
		s->opt[s->nopt].value = strdup(value);
	if (!s->opt || !s->opt[s->nopt].value)
		return facet_err_set(err, ENOMEM, "vfs: out of memory");
	s->opt[s->nopt++].key = known;
	return 0;
}

/* The options are rules now (or the view's rules were copied) */
VFS_COLD static void vfs_opts_free(struct vfs_self *s)
{
	while (s->nopt > 0)
		free(s->opt[--s->nopt].value);
	free(s->opt);
	s->opt = NULL;
}

/* Under --root, /proc /dev /sys /tmp come from the host, before user rules */
static int vfs_root_binds(struct vfs_self *s, struct facet_err *err)
{
	static const char *const dirs[] = { "/proc", "/dev", "/sys", "/tmp" };
	struct vfs_table *t = &s->t;
	size_t i, n = sizeof(dirs) / sizeof(dirs[0]);

	if (!t->has_root || s->rootbinds < 0)
		return 0;
	if (t->n + (int)n > VFS_RULES_MAX)
		return facet_err_set(err, ENOSPC, "vfs: too many rules");
	memmove(&t->rule[n], &t->rule[0], t->n * sizeof(t->rule[0]));
	for (i = 0; i < n; i++) {
		struct vfs_rule *r = &t->rule[i];

		memset(r, 0, sizeof(*r));
		r->kind = VFS_BIND;
		r->guest = vfs_table_str(t, dirs[i], strlen(dirs[i]));
		if (!r->guest)
			return facet_err_set(err, ENOSPC, "vfs: too many rules");
		r->host = r->lower = r->guest;
		r->upper = t->pool;
		r->glen = r->hlen = strlen(dirs[i]);
	}
	t->n += n;
	return 0;
}

/*
 * Where guest path @path leads in the view of table @t when the view
 * starts, into @out: its longest part that is there resolved (symlinks
 * followed, the last one of it too when @end is 0; else the last @end
 * bytes, from a slash, are kept as they are), the rest appended.
 *
 * Return: 1 if @out differs from @path, 0 if not (or nothing resolved)
 */
static int vfs_leads_to(const struct vfs_table *t, const char *path,
			size_t end, char *out)
{
	struct vfs_ctx ctx = { t, 0, 0, NULL, NULL };
	static struct vfs_res res;
	static char part[VFS_PATH_MAX];
	size_t plen = strlen(path), len = plen - end;

	while (len > 0) {
		snprintf(part, sizeof(part), "%.*s", (int)len, path);
		/* a scoped walk (RESOLVE_IN_ROOT at "/"): nothing of it is
		 * remembered for the view's own table */
		if (vfs_resolve(&ctx, "/", part, VFS_R_FOLLOW | VFS_R_INROOT,
				&res) == 0)
			break;
		while (--len > 0 && path[len] != '/')
			;
	}
	if (!len || res.magic || !strcmp(res.guest, part) ||
	    strlen(res.guest) + plen - len >= VFS_PATH_MAX)
		return 0;
	snprintf(out, VFS_PATH_MAX, "%s%s", strcmp(res.guest, "/") ?
		 res.guest : "", path + len);
	return 1;
}

/*
 * A --cow PATH is a guest path, and its lower directory is what the view
 * shows there when it starts, as an overlay mounted on PATH takes the
 * bind mount or rootfs already there as its lower layer.  It was the
 * host's PATH whatever the other rules said: --bind ./etc:/etc --cow /etc
 * copied the host's /etc, and --root R --cow /etc showed the host's /etc
 * in the rootfs.  Resolved as mounts are made, in order: with --root and
 * the mapping rules given before it (not --tmp ones: made after, and
 * empty); one given after (--cow /etc --bind ./etc:/etc) is on top of it.
 */
static int vfs_cow_lowers(struct vfs_self *s, struct facet_err *err)
{
	struct vfs_table maps = s->t;
	struct vfs_ctx ctx = { &maps, 0, 0, NULL, NULL };
	static struct vfs_res res;
	struct stat st;
	int i, j, ret = 0;

	if (!s->t.has_cow)
		return 0;
	maps.rule = calloc(VFS_RULES_MAX, sizeof(*maps.rule));
	if (!maps.rule)
		return facet_err_set(err, ENOMEM, "vfs: out of memory");
	maps.has_ro = maps.has_hide = maps.has_cow = 0;
	for (i = 0; i < s->t.n && ret == 0; i++) {
		struct vfs_rule *r = &s->t.rule[i];
		const char *lower;

		if (r->kind != VFS_COW)
			continue;
		maps.n = 0;
		maps.names_made = 0;
		for (j = 0; j < s->t.n; j++)
			if ((j < i || s->t.rule[j].kind == VFS_ROOT) &&
			    vfs_is_map(s->t.rule[j].kind) &&
			    s->t.rule[j].host[0])
				maps.rule[maps.n++] = s->t.rule[j];
		if (vfs_resolve(&ctx, "/", r->guest,
				VFS_R_FOLLOW | VFS_R_INROOT, &res) < 0 ||
		    res.magic) {
			ret = facet_err_set(err, ENOENT, "vfs: --cow '%s': not "
					    "in the view; give a path the view "
					    "shows", r->guest);
			break;
		}
		/* the root's "/" resolves to "ROOT/": the copy-up joins
		 * the names below it to the upper's path */
		vfs_path_norm(res.host);
		if (stat(res.host, &st) < 0) {
			ret = facet_err_set(err, errno, "vfs: --cow '%s': %s "
					    "in the view; give a path the "
					    "view shows", r->guest,
					    strerror(errno));
			break;
		}
		if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode)) {
			ret = facet_err_set(err, EINVAL, "vfs: --cow '%s': not "
					    "a directory or a regular file; "
					    "give one", r->guest);
			break;
		}
		/* checked against the lower the view has: under --root,
		 * --cow /=UPPER has ROOT there, not the host's "/" */
		if (r->upper[0] && vfs_prefix(res.host, strlen(res.host),
					      r->upper)) {
			ret = facet_err_set(err, EINVAL, "vfs: --cow upper "
					    "directory '%s' is inside '%s'; "
					    "put it elsewhere", r->upper,
					    res.host);
			break;
		}
		if (!strcmp(res.host, r->lower))
			continue;
		lower = vfs_table_str(&s->t, res.host, strlen(res.host));
		if (!lower) {
			ret = facet_err_set(err, ENOSPC, "vfs: the rules' "
					    "paths are too long");
			break;
		}
		r->host = r->lower = lower;
		r->hlen = strlen(lower);
	}
	free(maps.rule);
	s->t.names_made = 0;
	return ret;
}

/*
 * A mapping rule's guest path (--bind HOST:GUEST, --tmp, --cow) whose
 * directories go through a symlink (--cow ~/src/proj, ~/src a symlink)
 * would be met by no canonical guest path: the resolver follows the
 * symlink to the real directory, which has no rule, and the --cow tree
 * was written on the host, a --tmp directory could not be reached.  A
 * mount lands where its path leads; so does the rule: the directory
 * part is resolved in the view when it starts (directories missing on
 * the way are made by the glue, vfs_glue.c, where it leads).  The last
 * part is not followed: a rule at a symlink's name shows its directory
 * there.
 */
static int vfs_maps_canonical(struct vfs_self *s, struct facet_err *err)
{
	static char to[VFS_PATH_MAX];
	int i;

	for (i = 0; i < s->t.n; i++) {
		struct vfs_rule *r = &s->t.rule[i];
		const char *g;

		if (!vfs_is_map(r->kind) || r->kind == VFS_ROOT ||
		    !vfs_leads_to(&s->t, r->guest,
				  strlen(strrchr(r->guest, '/')), to))
			continue;
		g = vfs_table_str(&s->t, to, strlen(to));
		if (!g)
			return facet_err_set(err, ENOSPC, "vfs: the rules' "
					     "paths are too long");
		r->guest = g;
		r->glen = strlen(g);
		s->t.names_made = 0;
	}
	return 0;
}

/*
 * A --ro or --hide path is a guest path, and rules match canonical
 * guest paths only: one with a symlink on the way (/bin/busybox on a
 * merged-/usr system, ~/.ssh under a /home that is a symlink) would
 * match nothing the resolver ever produces, and the file stayed
 * readable and writable.  So, as a mount placed on it would, the rule
 * also holds where the path leads when the view starts: each such path
 * is resolved in the view (mapping rules only, symlinks followed, the
 * last one too) and a second rule of the same kind is added for the
 * canonical path when it differs.  The rule on the name as given stays
 * (a symlink that is itself hidden is not there either).
 */
static int vfs_attr_follow(struct vfs_self *s, struct facet_err *err)
{
	struct vfs_table maps = s->t;
	static char to[VFS_PATH_MAX];
	int i, n = s->t.n, ret = 0;

	if (!s->t.has_ro && !s->t.has_hide)
		return 0;
	maps.rule = calloc(VFS_RULES_MAX, sizeof(*maps.rule));
	if (!maps.rule)
		return facet_err_set(err, ENOMEM, "vfs: out of memory");
	maps.n = 0;
	maps.has_ro = maps.has_hide = 0;
	maps.names_made = 0;
	for (i = 0; i < n; i++)
		if (vfs_is_map(s->t.rule[i].kind))
			maps.rule[maps.n++] = s->t.rule[i];
	for (i = 0; i < n && ret == 0; i++) {
		const struct vfs_rule *r = &s->t.rule[i];

		if ((r->kind == VFS_RO || r->kind == VFS_HIDE) &&
		    vfs_leads_to(&maps, r->guest, 0, to))
			ret = vfs_add(s, r->kind, to, NULL, err);
	}
	free(maps.rule);
	return ret;
}

/* The private parent of --tmp, --cow and glue directories, made once */
int vfs_tmpdir_make(struct vfs_self *s, struct facet_err *err)
{
	const char *base = getenv("TMPDIR");

	if (s->tmpdir[0])
		return 0;
	snprintf(s->tmpdir, VFS_PATH_MAX, "%.4000s/facet-vfs.XXXXXX",
		 base && base[0] == '/' ? base : "/tmp");
	if (!mkdtemp(s->tmpdir)) {
		s->tmpdir[0] = '\0';
		return facet_err_set(err, errno, "vfs: cannot create a "
				     "directory in %s: %s; set TMPDIR",
				     base ? base : "/tmp", strerror(errno));
	}
	return 0;
}

/*
 * Each --tmp and private --cow upper gets a directory under s->tmpdir,
 * numbered in rule order.  A --tmp directory has a fresh tmpfs's mode,
 * 1777: a test started as root that runs something as another user
 * (setpriv, su, a daemon dropping its privileges) can make its files
 * there, as in a tmpfs mounted at that path.  For them to reach it,
 * s->tmpdir is then searchable by all (0711, nothing listed, the --tmp
 * directories' names random, so no one outside guesses them); the
 * private --cow uppers stay in a 0700 directory below it (vfs_cow.c).
 */
static int vfs_make_tmp(struct vfs_self *s, struct facet_err *err)
{
	char host[VFS_PATH_MAX];
	int i, ret, k = 0, tmps = 0;

	for (i = 0; i < s->t.n; i++) {
		struct vfs_rule *r = &s->t.rule[i];

		if (r->kind != VFS_TMP &&
		    !(r->kind == VFS_COW && !r->upper[0]))
			continue;
		ret = vfs_tmpdir_make(s, err);
		if (ret < 0)
			return ret;
		if (r->kind == VFS_COW)
			continue;
		/* a random name: under root the parent is searchable */
		if ((size_t)snprintf(host, sizeof(host), "%.4000s/%d.XXXXXX",
				     s->tmpdir, k++) >= sizeof(host))
			return facet_err_set(err, ENAMETOOLONG, "vfs: TMPDIR "
					     "too long");
		if (!mkdtemp(host) || chmod(host, 01777) < 0)
			return facet_err_set(err, errno, "vfs: --tmp: mkdir "
					     "%s: %s", host, strerror(errno));
		if (vfs_rule_set_host(&s->t, r, host) < 0)
			return facet_err_set(err, ENAMETOOLONG, "vfs: TMPDIR "
					     "too long");
		tmps++;
	}
	/* only root's processes can become another user */
	if (tmps && geteuid() == 0 && chmod(s->tmpdir, 0711) < 0)
		return facet_err_set(err, errno, "vfs: --tmp: chmod %s: %s",
				     s->tmpdir, strerror(errno));
	ret = vfs_cow_start(&s->t, s->tmpdir, &k);
	if (ret < 0)
		return facet_err_set(err, -ret, "vfs: --cow: cannot make the "
				     "upper directory: %s", strerror(-ret));
	return 0;
}

static void vfs_rm_tmpdir(const char *dir);

/*
 * Under preload no process sees the end of the view (the first image
 * execs the command, which may leave through _exit()); under the ptracer
 * facet may be killed before its modules stop.  A small process, forked
 * while the module starts (under preload: while the shim runs this
 * module, so its own calls are not intercepted), waits for the process
 * that started the view to end and removes the directories, if they are
 * still there.  It holds none of the view's fds, so no pipe stays open.
 */
static void vfs_reaper(struct vfs_self *s)
{
	pid_t owner = getpid(), pid;
	char dir[VFS_PATH_MAX];
	struct pollfd pfd;
	int null;

	if (!s->tmpdir[0])
		return;
	pid = fork();
	if (pid != 0)
		return;
	/* s->tmpdir is the view's: the owner clears it when it is gone */
	snprintf(dir, sizeof(dir), "%s", s->tmpdir);
	pfd.fd = syscall(SYS_pidfd_open, owner, 0);
	pfd.events = POLLIN;
	null = open("/dev/null", O_RDWR);
	if (null >= 0) {
		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
	}
	if (pfd.fd > 3)
		syscall(SYS_close_range, 3, pfd.fd - 1, 0);
	syscall(SYS_close_range, pfd.fd < 0 ? 3 : pfd.fd + 1, ~0U, 0);
	if (pfd.fd >= 0)
		while (poll(&pfd, 1, -1) < 0 && errno == EINTR)
			;
	else
		while (kill(owner, 0) == 0)
			usleep(100000);
	vfs_rm_tmpdir(dir);
	_exit(0);
}

/*
 * The view's first process: the options made into rules (paths
 * resolved), the directories made, and the state other processes need
 * shared.
 */
static int vfs_rules_make(struct vfs_self *s, struct facet_err *err)
{
	int i, ret;

	for (i = 0; i < s->nopt; i++) {
		ret = vfs_opt_rule(s, s->opt[i].key, s->opt[i].value, err);
		if (ret < 0)
			return ret;
	}
	vfs_opts_free(s);
	ret = vfs_root_binds(s, err);
	if (ret < 0)
		return ret;
	ret = vfs_cow_lowers(s, err);
	if (ret < 0)
		return ret;
	ret = vfs_make_tmp(s, err);
	if (ret < 0)
		return ret;
	ret = vfs_maps_canonical(s, err);
	if (ret < 0)
		return ret;
	ret = vfs_glue_start(s, err);
	if (ret < 0)
		return ret;
	ret = vfs_attr_follow(s, err);
	if (ret < 0)
		return ret;
	if (vfs_table_seal(&s->t) < 0)
		return facet_err_set(err, ENAMETOOLONG, "vfs: the rules' "
				     "paths are too long; use shorter ones");
	for (i = 0; i < s->t.n; i++)
		s->sh->copied[i] = s->t.rule[i].copied;
	s->sh->dents = vfs_dents_needed(s);
	ret = vfs_fds_start(s, err);
	if (ret < 0)
		return ret;
	vfs_sys_enosys(s->sh->enosys);
	vfs_reaper(s);
	return 0;
}

/*
 * The first process of the view (facet itself under preload, the
 * supervisor under the ptracer) makes the rules and publishes them in
 * the view's shared memory; every later image (preload) copies that
 * table: no path is looked up again, and every process has the same
 * rules.  Their host paths are fixed when the view starts, as a bind
 * mount's source is.
 */
VFS_COLD static int vfs_start(void *self, struct facet_env *env,
		     struct facet_err *err)
{
	struct vfs_self *s = self;
	void *pub, *cache, *touch;
	int ret;

	s->sh = facet_env_shared(env, "vfs", sizeof(*s->sh));
	pub = facet_env_shared(env, "vfs-table", vfs_table_bytes());
	cache = facet_env_shared(env, "vfs-cache", vfs_cache_bytes());
	touch = facet_env_shared(env, "vfs-touches", vfs_touch_bytes());
	s->exes = facet_env_shared(env, "vfs-exe", sizeof(*s->exes));
	s->comms = facet_env_shared(env, "vfs-comm", sizeof(*s->comms));
	if (!s->sh || !pub || !cache || !touch || !s->exes || !s->comms ||
	    vfs_unix_far_start(env) < 0)
		return facet_err_set(err, ENOMEM, "vfs: no shared memory for "
				     "the view");
	s->tmpdir = s->sh->tmpdir;
	vfs_cache_share(cache);
	vfs_touch_share(touch);
	s->in_process = !strcmp(facet_env_backend(env), "preload");
	vfs_base_in_process(s->in_process);
	facet_env_listing(env, vfs_dents_stream);
	facet_env_realpath(env, vfs_realpath);
	facet_env_touches(env, vfs_touches);
	if (facet_env_first(env)) {
		s->owner = 1;
		s->sh->root = getpid();
		ret = vfs_rules_make(s, err);
		if (ret < 0)
			return ret;
		vfs_table_publish(pub, &s->t);
		s->sh->published = 1;
	} else {
		vfs_opts_free(s);
		if (!s->sh->published)
			return facet_err_set(err, EINVAL, "vfs: the view has "
					     "no rules; start the command "
					     "with facet run");
		ret = vfs_table_load(&s->t, pub);
		if (ret < 0)
			return facet_err_set(err, -ret, "vfs: out of memory");
	}
	if (s->t.has_cow)	/* else its code page is not needed */
		vfs_cow_sync(s);
	vfs_comm_start(s);
	return 0;
}

static int vfs_rm_one(const char *path, const struct stat *st, int type,
		      struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (type == FTW_DP)
		return rmdir(path) < 0 ? 0 : 0;
	unlink(path);
	return 0;
}

/* Make every directory writable and searchable first, then remove all */
static int vfs_chmod_one(const char *path, const struct stat *st, int type,
			 struct FTW *ftw)
{
	(void)ftw;
	if (type == FTW_D || type == FTW_DNR)
		chmod(path, (st->st_mode & 07777) | 0700);
	return 0;
}

static void vfs_rm_tmpdir(const char *dir)
{
	nftw(dir, vfs_chmod_one, 16, FTW_PHYS);
	nftw(dir, vfs_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

VFS_COLD static void vfs_stop(void *self)
{
	struct vfs_self *s = self;

	if (!s->owner || !s->tmpdir[0])
		return;
	vfs_rm_tmpdir(s->tmpdir);
	s->tmpdir[0] = '\0';
}

/* Has any process of the view a remembered guest executable? */
int vfs_exe_any(const struct vfs_self *s)
{
	return __atomic_load_n(&s->exes->n, __ATOMIC_RELAXED) != 0;
}

/*
 * The guest executable remembered for @pid into @out: 1, or 0 if
 * /proc/PID/exe is right
 */
int vfs_exe_get(struct vfs_self *s, pid_t pid, char *out, size_t cap)
{
	struct vfs_exes *x = s->exes;
	int i, found = 0;

	if (!vfs_exe_any(s))
		return 0;
	vfs_spin_lock(&x->lock);
	for (i = 0; i < x->n && !found; i++)
		if (x->e[i].pid == pid) {
			snprintf(out, cap, "%s", x->e[i].guest);
			found = 1;
		}
	vfs_spin_unlock(&x->lock);
	return found;
}

/* Remember (@guest) or forget (NULL) the guest executable of @pid */
VFS_COLD void vfs_exe_set(struct vfs_self *s, pid_t pid, const char *guest)
{
	struct vfs_exes *x = s->exes;
	int i;

	vfs_spin_lock(&x->lock);
	for (i = 0; i < x->n; i++)
		if (x->e[i].pid == pid)
			break;
	if (!guest) {
		if (i < x->n)
			x->e[i] = x->e[--x->n];
	} else if (i < x->n || x->n < VFS_EXE_MAX) {
		if (i == x->n)
			x->n++;
		x->e[i].pid = pid;
		snprintf(x->e[i].guest, sizeof(x->e[i].guest), "%s", guest);
	}
	vfs_spin_unlock(&x->lock);
}

VFS_COLD static void vfs_process(void *self, enum facet_proc_event ev, pid_t pid,
			long other)
{
	struct vfs_self *s = self;
	char exe[VFS_PATH_MAX];

	if (ev == FACET_PROC_EXIT) {
		vfs_comm_exit(s, pid);
		if (vfs_exe_any(s))
			vfs_exe_set(s, pid, NULL);
	} else if (ev == FACET_PROC_FORK &&
		   vfs_exe_get(s, other, exe, sizeof(exe))) {
		vfs_exe_set(s, pid, exe);
	}
}

VFS_COLD static void vfs_wants(void *self, struct facet_sysset *set)
{
	vfs_sys_wants(self, set);
}

VFS_HOT static enum facet_verdict vfs_enter(void *self, struct facet_call *call)
{
	return vfs_sys_enter(self, call);
}

static void vfs_exit(void *self, struct facet_call *call)
{
	vfs_sys_exit(self, call);
}

static const struct facet_module vfs_module = {
	.abi = FACET_MODULE_ABI,
	.name = "vfs",
	.summary = "file system view: bind, root, ro, hide, tmp, cow",
	.options = vfs_options,
	.self_size = sizeof(struct vfs_self),
	.option = vfs_option,
	.start = vfs_start,
	.wants = vfs_wants,
	.enter = vfs_enter,
	.exit = vfs_exit,
	.process = vfs_process,
	.stop = vfs_stop,
};

FACET_MODULE_BUILTIN(vfs_module);
