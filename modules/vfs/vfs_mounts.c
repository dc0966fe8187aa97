// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vfs/vfs_mounts.c - /proc/PID/mountinfo and /proc/PID/mounts in
 * guest terms
 *
 * DOC: The mount table the guest sees
 *
 * Opening /proc/PID/mountinfo or /proc/PID/mounts (also through
 * /proc/self, /proc/mounts and /etc/mtab) for reading gives a copy made
 * by the module: every host mount whose mount point has a guest path is
 * listed at that path, the others (outside --root, hidden, shadowed by a
 * rule) are left out; and each mapping rule (--bind, --root, --tmp,
 * --cow) whose guest path is not a mount point already is listed as the
 * bind mount it stands for: a copy of the host mount that holds its host
 * directory, at the guest path, with that directory as its root (a
 * mountinfo id of its own, counted from 1000000, or for the root rule the
 * host mount's own when that one is not listed, as the host's "/" under
 * --root; as parent the mount it lies on).  The root rule comes
 * first, so the guest "/" is the first line as on a real system.  The
 * copy is a memfd: it does not change while it is read.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "vfs.h"

#define VFS_MOUNTS_IN	(256 * 1024)
#define VFS_MOUNTS_OUT	(512 * 1024)

/* Static: the module allocates nothing where it may run in a handler */
static char vfs_mounts_in[VFS_MOUNTS_IN], vfs_mounts_out[VFS_MOUNTS_OUT];

/**
 * struct vfs_mounts_buf - The copy being written
 */
struct vfs_mounts_buf {
	char *p;
	size_t len, cap;
	int over;
};

static void vfs_mounts_put(struct vfs_mounts_buf *b, const char *s, size_t n)
{
	if (b->len + n > b->cap) {
		b->over = 1;
		return;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

/* A path as the kernel writes it there: space, tab, newline, \ in octal */
static void vfs_mounts_put_path(struct vfs_mounts_buf *b, const char *path)
{
	char esc[5];

	for (; *path; path++) {
		if (strchr(" \t\n\\", *path)) {
			snprintf(esc, sizeof(esc), "\\%03o",
				 (unsigned char)*path);
			vfs_mounts_put(b, esc, 4);
		} else {
			vfs_mounts_put(b, path, 1);
		}
	}
}

/* Undo the octal escapes of field @f (length @n) into @out */
static void vfs_mounts_unescape(const char *f, size_t n, char *out, size_t cap)
{
	size_t i, o = 0;

	for (i = 0; i < n && o + 1 < cap; i++) {
		if (f[i] == '\\' && i + 3 < n + 1 && f[i + 1] >= '0' &&
		    f[i + 1] <= '3') {
			out[o++] = (f[i + 1] - '0') * 64 + (f[i + 2] - '0') * 8 +
				   (f[i + 3] - '0');
			i += 3;
		} else {
			out[o++] = f[i];
		}
	}
	out[o] = '\0';
}

/* Start and length of space-separated field @k of @line (up to @end) */
static const char *vfs_mounts_field(const char *line, const char *end, int k,
				    size_t *n)
{
	const char *p = line, *e;

	while (k-- > 0) {
		p = memchr(p, ' ', end - p);
		if (!p)
			return NULL;
		p++;
	}
	e = memchr(p, ' ', end - p);
	*n = (e ? e : end) - p;
	return p;
}

/**
 * struct vfs_mounts_ctx - One copy in the making
 * @mp_field:	Index of the mount point field (mountinfo 4, mounts 1)
 */
struct vfs_mounts_ctx {
	const struct vfs_table *t;
	const char *in;
	size_t inlen;
	int mp_field, info;
	struct vfs_mounts_buf out;
};

/* Write @line (to @end) with field @k replaced by @value (a path) */
static void vfs_mounts_line(struct vfs_mounts_ctx *c, const char *line,
			    const char *end, int k, const char *value,
			    int root_k, const char *root)
{
	const char *f;
	size_t n;
	int i;

	for (i = 0;; i++) {
		f = vfs_mounts_field(line, end, i, &n);
		if (!f)
			break;
		if (i)
			vfs_mounts_put(&c->out, " ", 1);
		if (i == k)
			vfs_mounts_put_path(&c->out, value);
		else if (i == root_k && root)
			vfs_mounts_put_path(&c->out, root);
		else
			vfs_mounts_put(&c->out, f, n);
	}
	vfs_mounts_put(&c->out, "\n", 1);
}

/*
 * The host mount holding @host: the line with the longest mount point
 * that is a prefix of it.  Returns the line start (*@end its end, @mp its
 * mount point), or NULL.
 */
static const char *vfs_mounts_holder(struct vfs_mounts_ctx *c,
				     const char *host, const char **end,
				     char *mp)
{
	const char *line, *next, *best = NULL, *f;
	char cur[VFS_PATH_MAX];
	size_t n, bestlen = 0;

	for (line = c->in; line < c->in + c->inlen; line = next + 1) {
		next = memchr(line, '\n', c->in + c->inlen - line);
		if (!next)
			break;
		f = vfs_mounts_field(line, next, c->mp_field, &n);
		if (!f)
			continue;
		vfs_mounts_unescape(f, n, cur, sizeof(cur));
		n = strlen(cur);
		if (vfs_prefix(cur, n, host) && (!best || n >= bestlen)) {
			best = line;
			*end = next;
			bestlen = n;
			strcpy(mp, cur);
		}
	}
	return best;
}

/*
 * The next line of the copy so far that has a mount point: *@pos moves past
 * it, *@at is its start, @cur (VFS_PATH_MAX bytes) its mount point
 * unescaped.  Return: 0 when there is none left
 */
static int vfs_mounts_each(struct vfs_mounts_ctx *c, const char **pos,
			   const char **at, char *cur)
{
	const char *end = c->out.p + c->out.len, *next, *f;
	size_t n;

	for (; *pos < end; *pos = next + 1) {
		next = memchr(*pos, '\n', end - *pos);
		if (!next)
			return 0;
		f = vfs_mounts_field(*pos, next, c->mp_field, &n);
		if (!f)
			continue;
		*at = *pos;
		*pos = next + 1;
		vfs_mounts_unescape(f, n, cur, VFS_PATH_MAX);
		return 1;
	}
	return 0;
}

/* Is @guest a mount point of the copy so far? */
static int vfs_mounts_has(struct vfs_mounts_ctx *c, const char *guest)
{
	const char *pos = c->out.p, *line;
	char cur[VFS_PATH_MAX];

	while (vfs_mounts_each(c, &pos, &line, cur))
		if (!strcmp(cur, guest))
			return 1;
	return 0;
}

/*
 * mountinfo: the id of the mount of the copy so far that @guest is on (the
 * longest mount point above it), as the kernel gives a bind mount the
 * mount it was made on as its parent.  Copied to @id with its space;
 * 0 if there is none.
 */
static int vfs_mounts_parent(struct vfs_mounts_ctx *c, const char *guest,
			     char *id, size_t cap)
{
	const char *pos = c->out.p, *line, *f, *best = NULL;
	char cur[VFS_PATH_MAX];
	size_t n, bestlen = 0;

	while (vfs_mounts_each(c, &pos, &line, cur)) {
		n = strlen(cur);
		if (strcmp(cur, guest) && vfs_prefix(cur, n, guest) &&
		    (!best || n >= bestlen)) {
			best = line;
			bestlen = n;
		}
	}
	f = best ? memchr(best, ' ', c->out.p + c->out.len - best) : NULL;
	if (!f || (size_t)(f - best) + 2 > cap)
		return 0;
	memcpy(id, best, f - best + 1);
	id[f - best + 1] = '\0';
	return 1;
}

/* The bind mount that mapping rule @r stands for */
static void vfs_mounts_rule(struct vfs_mounts_ctx *c, int i)
{
	const struct vfs_rule *r = &c->t->rule[i];
	char mp[VFS_PATH_MAX], root[VFS_PATH_MAX], id[16], parent[16];
	const char *line, *end = NULL, *f;
	size_t n;

	if (r->kind == VFS_RO || r->kind == VFS_HIDE || !r->host[0] ||
	    vfs_mounts_has(c, r->guest))
		return;
	line = vfs_mounts_holder(c, r->host, &end, mp);
	if (!line)
		return;
	if (!c->info) {
		vfs_mounts_line(c, line, end, c->mp_field, r->guest, -1, NULL);
		return;
	}
	/* mountinfo: own id, root = the rule's directory in that mount */
	f = vfs_mounts_field(line, end, 3, &n);
	if (!f)
		return;
	vfs_mounts_unescape(f, n, root, sizeof(root));
	n = strlen(mp) == 1 ? 0 : strlen(mp);
	if (strlen(root) + strlen(r->host + n) + 1 >= sizeof(root))
		return;
	if (!strcmp(root, "/"))
		root[0] = '\0';
	strcat(root, r->host + n);
	if (!root[0])
		strcpy(root, "/");
	f = memchr(line, ' ', end - line);
	/* the root rule's holder is not listed: its id is free, and its
	 * children's parent (the host's / under --root); another rule
	 * taking it too gave two mounts one id */
	if (f && r->kind == VFS_ROOT &&
	    vfs_to_guest(c->t, mp, id, sizeof(id)) < 0 &&
	    (size_t)(f - line) < sizeof(id) - 1) {
		memcpy(id, line, f - line + 1);
		id[f - line + 1] = '\0';
	} else {
		snprintf(id, sizeof(id), "%d ", 1000000 + i);
	}
	if (!f)
		return;
	/* parent: the mount under the guest path (the root rule keeps the
	 * holder's own) */
	if (r->kind != VFS_ROOT &&
	    vfs_mounts_parent(c, r->guest, parent, sizeof(parent))) {
		f = memchr(f + 1, ' ', end - f - 1);
		if (!f)
			return;
		vfs_mounts_put(&c->out, id, strlen(id));
		vfs_mounts_put(&c->out, parent, strlen(parent));
		vfs_mounts_line(c, f + 1, end, c->mp_field - 2, r->guest, 1,
				root);
		return;
	}
	vfs_mounts_put(&c->out, id, strlen(id));
	vfs_mounts_line(c, f + 1, end, c->mp_field - 1, r->guest, 2, root);
}

/* Host mounts with a guest mount point, at that mount point */
static void vfs_mounts_host(struct vfs_mounts_ctx *c)
{
	char host[VFS_PATH_MAX], guest[VFS_PATH_MAX];
	const char *line, *next, *f;
	size_t n;

	for (line = c->in; line < c->in + c->inlen; line = next + 1) {
		next = memchr(line, '\n', c->in + c->inlen - line);
		if (!next)
			break;
		f = vfs_mounts_field(line, next, c->mp_field, &n);
		if (!f)
			continue;
		vfs_mounts_unescape(f, n, host, sizeof(host));
		if (vfs_to_guest(c->t, host, guest, sizeof(guest)) < 0)
			continue;
		vfs_mounts_line(c, line, next, c->mp_field, guest, -1, NULL);
	}
}

/* The rule after @prev (-1: the first) by guest path length, then index */
static int vfs_mounts_next(const struct vfs_table *t, int prev)
{
	int i, best = -1;

	for (i = 0; i < t->n; i++) {
		if (prev >= 0 && (t->rule[i].glen < t->rule[prev].glen ||
				  (t->rule[i].glen == t->rule[prev].glen &&
				   i <= prev)))
			continue;
		if (best < 0 || t->rule[i].glen < t->rule[best].glen)
			best = i;
	}
	return best;
}

/**
 * vfs_mounts_path() - Is @host a mount table of /proc?
 *
 * Return: 1 for mountinfo, 2 for mounts, 0 otherwise
 */
int vfs_mounts_path(const char *host)
{
	pid_t pid;
	const char *p = vfs_proc_entry(host, &pid);

	if (!p)
		return 0;
	if (!strcmp(p, "mountinfo"))
		return 1;
	if (!strcmp(p, "mounts"))
		return 2;
	return 0;
}

/* Read all of @path into vfs_mounts_in; length or -errno */
static ssize_t vfs_mounts_read(const char *path)
{
	size_t len = 0;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	while ((n = read(fd, vfs_mounts_in + len, sizeof(vfs_mounts_in) - len)) >
	       0)
		len += n;
	close(fd);
	if (n < 0)
		return -errno;
	if (len == sizeof(vfs_mounts_in))
		return -EFBIG;
	return len;
}

/**
 * vfs_mounts_open() - Answer an open of a /proc mount table
 * @host:	The resolved host path (vfs_mounts_path() said yes)
 * @flags:	The open flags
 *
 * Return: the verdict (FACET_CONTINUE for opens that are not reads: the
 * kernel refuses them)
 */
enum facet_verdict vfs_mounts_open(struct vfs_self *s, struct facet_call *call,
				   const char *host, int flags)
{
	struct vfs_mounts_ctx c = { &s->t, vfs_mounts_in, 0, 4, 1,
				    { vfs_mounts_out, 0,
				      sizeof(vfs_mounts_out), 0 } };
	ssize_t len;
	int i;

	if ((flags & O_ACCMODE) != O_RDONLY || (flags & (O_PATH | O_CREAT)))
		return FACET_CONTINUE;
	if (vfs_mounts_path(host) == 2) {
		c.mp_field = 1;
		c.info = 0;
	}
	len = vfs_mounts_read(host);
	if (len < 0) {
		facet_return(call, len);
		return FACET_DONE;
	}
	c.inlen = len;
	for (i = 0; i < s->t.n; i++)
		if (s->t.rule[i].kind == VFS_ROOT)
			vfs_mounts_rule(&c, i);
	vfs_mounts_host(&c);
	/* shorter guest paths first, as a mount needs its parent made */
	for (i = vfs_mounts_next(&s->t, -1); i >= 0;
	     i = vfs_mounts_next(&s->t, i))
		if (s->t.rule[i].kind != VFS_ROOT)
			vfs_mounts_rule(&c, i);
	if (c.out.over) {
		facet_return(call, -EFBIG);
		return FACET_DONE;
	}
	return vfs_answer_memfd(call, c.info ? "mountinfo" : "mounts",
				c.out.p, c.out.len, flags);
}
