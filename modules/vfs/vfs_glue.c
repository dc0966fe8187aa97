// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vfs/vfs_glue.c - Parent directories that exist only in the view
 *
 * DOC: Glue directories
 *
 * `--bind ~/tool:/opt/tool/bin` on a host without /opt/tool names a
 * directory that exists nowhere: the kernel would walk through it to the
 * rule, but stat, chdir and opendir of /opt/tool itself would fail.  As
 * PRoot does, the view makes such parents real: the first process of the
 * view builds an empty tree of them under its private directory (the one
 * of --tmp) and maps the top-most missing parent there, with a read-only
 * rule on the same path so nothing written there can be lost when the
 * directory is removed at the end.  The leaf of each rule below it is
 * made too (a directory, or an empty file for a file rule), so listings
 * show it with the right type.  Later images of the view (preload) copy
 * the first process's rules, these among them, without looking at the
 * host again.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vfs.h"

/* Host path of glued guest path @guest (@len bytes of it) in @out */
static int vfs_glue_host(const struct vfs_self *s, const char *guest,
			 size_t len, char *out)
{
	if ((size_t)snprintf(out, VFS_PATH_MAX, "%s/glue%.*s", s->tmpdir,
			     (int)len, guest) >= VFS_PATH_MAX)
		return -ENAMETOOLONG;
	return 0;
}

/* Add the bind and read-only rules of glued parent @len bytes of @guest */
static int vfs_glue_rules(struct vfs_self *s, const char *guest, size_t len)
{
	char g[VFS_PATH_MAX], host[VFS_PATH_MAX];
	int ret;

	memcpy(g, guest, len);
	g[len] = '\0';
	ret = vfs_glue_host(s, guest, len, host);
	if (ret < 0)
		return ret;
	ret = vfs_table_add(&s->t, VFS_BIND, g, host);
	if (ret < 0)
		return ret;
	return vfs_table_add(&s->t, VFS_RO, g, NULL);
}

/**
 * struct vfs_glue - Parents that exist only in the view
 * @n:		How many
 * @at:		Each is the first @len bytes of the guest path of rule @rule
 */
struct vfs_glue {
	int n;
	struct {
		unsigned short rule, len;
	} at[VFS_RULES_MAX];
};

/* Is @guest at or below a parent glued already? */
static int vfs_glued(const struct vfs_glue *g, const struct vfs_table *t,
		     const char *guest)
{
	int i;

	for (i = 0; i < g->n; i++)
		if (vfs_prefix(t->rule[g->at[i].rule].guest, g->at[i].len,
			       guest))
			return 1;
	return 0;
}

/*
 * The top-most parent of rule @r that is missing on the host, as a length
 * of r->guest, or 0 if every parent exists (or one is hidden, or another
 * kind of error stops the look: the kernel's answer is then right).
 */
static size_t vfs_glue_missing(const struct vfs_table *t,
			       const struct vfs_rule *r)
{
	char g[VFS_PATH_MAX], host[VFS_PATH_MAX];
	struct stat st;
	size_t len;

	for (len = 1; len < r->glen; len++) {
		if (r->guest[len] != '/')
			continue;
		memcpy(g, r->guest, len);
		g[len] = '\0';
		if (vfs_attr(t, g) == VFS_HIDE ||
		    vfs_to_host(t, g, host, sizeof(host)) < 0)
			return 0;
		if (stat(host, &st) == 0)
			continue;
		return errno == ENOENT ? len : 0;
	}
	return 0;
}

/* mkdir -p of @path (made by us: 0755), the last part a file if @file */
static int vfs_glue_mkpath(char *path, int file)
{
	char *p;
	int fd;

	for (p = strchr(path + 1, '/'); p; p = strchr(p + 1, '/')) {
		*p = '\0';
		if (mkdir(path, 0755) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (!file)
		return mkdir(path, 0755) < 0 && errno != EEXIST ? -errno : 0;
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

/* Find the missing parents and make their trees */
static int vfs_glue_make(struct vfs_self *s, struct vfs_glue *g,
			 struct facet_err *err)
{
	int i, n0 = s->t.n, ret;

	g->n = 0;
	for (i = 0; i < n0; i++) {
		const struct vfs_rule *r = &s->t.rule[i];
		char host[VFS_PATH_MAX];
		struct stat st;
		size_t len;

		if (!vfs_is_map(r->kind) || r->glen <= 1)
			continue;
		if (!vfs_glued(g, &s->t, r->guest)) {
			len = vfs_glue_missing(&s->t, r);
			if (!len)
				continue;
			g->at[g->n].rule = i;
			g->at[g->n].len = len;
			g->n++;
		}
		ret = vfs_tmpdir_make(s, err);
		if (ret < 0)
			return ret;
		ret = vfs_glue_host(s, r->guest, r->glen, host);
		if (ret == 0)
			ret = vfs_glue_mkpath(host, stat(r->host, &st) == 0 &&
						    !S_ISDIR(st.st_mode));
		if (ret < 0)
			return facet_err_set(err, -ret, "vfs: cannot make the "
					     "parent directories of %s in %s: "
					     "%s; set TMPDIR", r->guest,
					     s->tmpdir, strerror(-ret));
	}
	return 0;
}

/**
 * vfs_glue_start() - Map the parents of rules that exist nowhere (the
 * view's first process: it looks at the host and makes them)
 *
 * Called with the mapping rules and s->tmpdir complete, before the table
 * is sealed.  Return: 0 or a negative errno (@err set).
 */
int vfs_glue_start(struct vfs_self *s, struct facet_err *err)
{
	struct vfs_glue g;
	int i, ret;

	ret = vfs_glue_make(s, &g, err);
	if (ret < 0)
		return ret;
	for (i = 0; i < g.n; i++) {
		const struct vfs_rule *r = &s->t.rule[g.at[i].rule];

		ret = vfs_glue_rules(s, r->guest, g.at[i].len);
		if (ret < 0)
			return facet_err_set(err, -ret, "vfs: more than %d "
					     "rules with the parents of %s; "
					     "use fewer --bind options",
					     VFS_RULES_MAX, r->guest);
	}
	return 0;
}
