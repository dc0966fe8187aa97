// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vfs/vfs_cow.c - --cow PATH[=UPPER]: copy-on-write directories
 *
 * Until the first write under PATH, the guest sees the host directory
 * itself (reads are live).  The first call that would modify anything
 * under PATH copies the whole directory to the upper directory (modes,
 * times and symlinks kept; hard links become copies) and from then on
 * PATH maps to the upper directory.  The host directory is never written.
 * A cwd or an fd inside the host directory keeps working: its path is
 * read as the same place in the upper directory.  An upper directory given
 * with =UPPER is kept; one that is not empty at start is reused as is.
 * This is a whole-tree copy-up, suited to project-sized trees, not an
 * overlay of large ones.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <dirent.h>
#include <signal.h>
#include <time.h>

#include "vfs.h"

/* Index of the not yet copied --cow rule that maps @guest, -1 if none */
int vfs_cow_pending(const struct vfs_table *t, const char *guest)
{
	const struct vfs_rule *best = NULL;
	int i, bi = -1;

	for (i = 0; i < t->n; i++) {
		const struct vfs_rule *r = &t->rule[i];

		if (r->kind == VFS_RO || r->kind == VFS_HIDE ||
		    !vfs_prefix(r->guest, r->glen, guest))
			continue;
		if (best && r->glen < best->glen)
			continue;
		best = r;
		bi = i;
	}
	return best && best->kind == VFS_COW && !best->copied ? bi : -1;
}

/* Is @host inside the lower directory of a --cow rule? */
int vfs_cow_lower(const struct vfs_table *t, const char *host)
{
	int i;

	if (!t->has_cow || vfs_cow_own(t, host))
		return 0;
	for (i = 0; i < t->n; i++) {
		const struct vfs_rule *r = &t->rule[i];

		if (r->kind == VFS_COW &&
		    vfs_prefix(r->lower, strlen(r->lower), host))
			return 1;
	}
	return 0;
}

static const char *copy_from, *copy_to;
/* Hidden paths are not copied: the upper directory may be kept */
static const struct vfs_table *copy_table;
static const char *copy_guest;
/*
 * facet's own directory (s->tmpdir: the private uppers, --tmp, glue) is
 * not copied where it lies in the tree (--cow /tmp, TMPDIR inside the
 * tree): the copy walked into its own upper, each level one deeper, until
 * paths were too long (27 GB copied for a /tmp of 2 GB, then the write
 * failed).  Known by device and inode, whatever symlinks TMPDIR has.
 * An =UPPER inside the tree is refused at start.
 */
static struct stat copy_skip;
static int copy_has_skip;

static int vfs_copy_skipped(const struct stat *st)
{
	return copy_has_skip && st->st_dev == copy_skip.st_dev &&
	       st->st_ino == copy_skip.st_ino;
}

static int vfs_copy_hidden(const char *path)
{
	char g[VFS_PATH_MAX];
	size_t glen = strlen(copy_guest);

	if (!copy_table || !copy_table->has_hide)
		return 0;
	if ((size_t)snprintf(g, sizeof(g), "%s%s", glen == 1 ? "" : copy_guest,
			     path + strlen(copy_from)) >= sizeof(g))
		return 0;
	if (!g[0])
		strcpy(g, "/");
	return vfs_attr(copy_table, g) == VFS_HIDE ||
	       vfs_host_attr(copy_table, path, 0) == VFS_HIDE;
}

/*
 * Copies keep the host's mode (not the umask's), and its owner where the
 * user may give it (root; a user's own files are theirs anyway).  An
 * entry already there is the partial copy of a copier that died
 * (vfs_cow_claim()): written over.
 */
static void vfs_copy_owner(const char *dst, const struct stat *st)
{
	if (lchown(dst, st->st_uid, st->st_gid) < 0)
		return;	/* not root: the copy is the user's */
}

static int vfs_copy_file(const char *src, const char *dst,
			 const struct stat *st)
{
	int in, out, ret = 0;
	char buf[65536];
	ssize_t n;

	in = open(src, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return -errno;
	out = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
		   0600);
	if (out < 0) {
		ret = -errno;
		close(in);
		return ret;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, n) != n) {
			ret = -EIO;
			break;
		}
	if (n < 0)
		ret = -errno;
	vfs_copy_owner(dst, st);
	fchmod(out, st->st_mode & 07777);
	close(in);
	close(out);
	return ret;
}

static int vfs_copy_entry(const char *path, const struct stat *st, int type,
			struct FTW *ftw)
{
	char dst[VFS_PATH_MAX], link[VFS_PATH_MAX];
	struct timespec ts[2] = { st->st_atim, st->st_mtim };
	ssize_t n;
	int ret = 0;

	(void)ftw;
	if ((size_t)snprintf(dst, sizeof(dst), "%s%s", copy_to,
			     path + strlen(copy_from)) >= sizeof(dst))
		return -ENAMETOOLONG;
	switch (type) {
	case FTW_D:
	case FTW_DNR:
		if (mkdir(dst, 0700) < 0 && errno != EEXIST)
			return -errno;
		return 0;	/* owner, mode and times after the contents */
	case FTW_SL:
	case FTW_SLN:
		n = readlink(path, link, sizeof(link) - 1);
		if (n < 0)
			return -errno;
		link[n] = '\0';
		if (symlink(link, dst) < 0 &&
		    (errno != EEXIST || unlink(dst) < 0 || symlink(link, dst) < 0))
			return -errno;
		vfs_copy_owner(dst, st);
		utimensat(AT_FDCWD, dst, ts, AT_SYMLINK_NOFOLLOW);
		return 0;
	case FTW_F:
		if (S_ISREG(st->st_mode)) {
			ret = vfs_copy_file(path, dst, st);
		} else if (mknod(dst, st->st_mode, st->st_rdev) == 0) {
			vfs_copy_owner(dst, st);
			chmod(dst, st->st_mode & 07777);
		}	/* else devices, sockets: skipped */
		break;
	default:
		return 0;
	}
	if (ret == 0)
		utimensat(AT_FDCWD, dst, ts, AT_SYMLINK_NOFOLLOW);
	return ret;
}

/* nftw() callback (FTW_ACTIONRETVAL): the first error stops the walk */
static int copy_err;
static char copy_failed[VFS_PATH_MAX];	/* where, for the message */

static int vfs_copy_one(const char *path, const struct stat *st, int type,
			struct FTW *ftw)
{
	int ret;

	if (vfs_copy_hidden(path) || (type == FTW_D && vfs_copy_skipped(st)))
		return type == FTW_D ? FTW_SKIP_SUBTREE : FTW_CONTINUE;
	ret = vfs_copy_entry(path, st, type, ftw);
	if (ret < 0) {
		copy_err = ret;
		snprintf(copy_failed, sizeof(copy_failed), "%s", path);
		return FTW_STOP;
	}
	return FTW_CONTINUE;
}

/* Directory modes and times last, deepest first */
static int vfs_copy_dirmeta(const char *path, const struct stat *st,
			    int type, struct FTW *ftw)
{
	char dst[VFS_PATH_MAX];
	struct timespec ts[2] = { st->st_atim, st->st_mtim };

	(void)ftw;
	if (type != FTW_DP)
		return 0;
	snprintf(dst, sizeof(dst), "%s%s", copy_to, path + strlen(copy_from));
	vfs_copy_owner(dst, st);
	chmod(dst, st->st_mode & 07777);
	utimensat(AT_FDCWD, dst, ts, 0);
	return 0;
}

/* Copy the tree @from into the existing directory @to; 0 or -errno */
int vfs_tree_copy(const char *from, const char *to)
{
	int ret;

	copy_from = from;
	copy_to = to;
	copy_err = 0;
	snprintf(copy_failed, sizeof(copy_failed), "%s", from);
	ret = nftw(from, vfs_copy_one, 32, FTW_PHYS | FTW_ACTIONRETVAL);
	if (ret == -1)
		return -errno;
	if (copy_err)
		return copy_err;
	nftw(from, vfs_copy_dirmeta, 32, FTW_PHYS | FTW_DEPTH);
	return 0;
}

/* Rule @r maps to its upper directory from now on */
static void vfs_cow_upper(struct vfs_rule *r)
{
	r->host = r->upper;
	r->hlen = strlen(r->host);
	r->copied = 1;
}

/*
 * One process of the view copies a rule's tree; another that writes under
 * it meanwhile waits for the copy (a second copy into the same upper
 * directory failed with EEXIST, and that write was lost).  A copier that
 * died is replaced; the new one copies over its partial copy.
 *
 * The supervisor waits 2 s at most: it waits holding the module lock, and
 * a copier in a process of the combined mode makes its calls through
 * SIGSYS, whose ptrace stops wait for that lock.
 *
 * Return: 1 if this process copies, 0 if another one has, -EAGAIN if
 * the supervisor gave up waiting
 */
static int vfs_cow_claim(struct vfs_self *s, int i)
{
	struct timespec pause = { 0, 1000000 };
	struct vfs_shared *sh = s->sh;
	pid_t me = getpid(), cur;
	int waited;

	for (waited = 0;; waited++) {
		if (__atomic_load_n(&sh->copied[i], __ATOMIC_ACQUIRE))
			return 0;
		cur = 0;
		if (__atomic_compare_exchange_n(&sh->copier[i], &cur, me, 0,
						__ATOMIC_ACQ_REL,
						__ATOMIC_ACQUIRE) ||
		    cur == me)
			return 1;
		if (kill(cur, 0) < 0 && errno == ESRCH &&
		    __atomic_compare_exchange_n(&sh->copier[i], &cur, me, 0,
						__ATOMIC_ACQ_REL,
						__ATOMIC_ACQUIRE))
			return 1;
		if (!s->in_process && waited == 2000)
			return -EAGAIN;
		nanosleep(&pause, NULL);
	}
}

/**
 * vfs_cow_copyup() - First write under rule @i: copy, then map to upper
 */
int vfs_cow_copyup(struct vfs_self *s, int i)
{
	struct vfs_rule *r = &s->t.rule[i];
	int ret = vfs_cow_claim(s, i);

	if (ret < 0) {
		facet_logmsg(FACET_LOG_ERROR, "vfs: --cow %s: another process "
			     "of the view is still copying it; the call failed "
			     "with EAGAIN", r->guest);
		return ret;
	}
	if (!ret) {
		vfs_cow_upper(r);
		vfs_cache_flush();
		return 0;
	}
	copy_table = &s->t;
	copy_guest = r->guest;
	copy_has_skip = s->tmpdir[0] && stat(s->tmpdir, &copy_skip) == 0;
	ret = vfs_tree_copy(r->lower, r->upper);
	copy_table = NULL;
	copy_has_skip = 0;
	if (ret < 0) {
		__atomic_store_n(&s->sh->copier[i], 0, __ATOMIC_RELEASE);
		/* the tree is copied whole: one unreadable file (/etc/shadow
		 * for a user) stops it, and the write fails */
		facet_logmsg(FACET_LOG_ERROR, "vfs: --cow %s: copying %s to "
			     "%s: %s", r->guest, copy_failed, r->upper,
			     strerror(-ret));
		return ret;
	}
	vfs_cow_upper(r);
	vfs_cache_flush();
	__atomic_store_n(&s->sh->copied[i], 1, __ATOMIC_RELEASE);
	__atomic_store_n(&s->sh->copier[i], 0, __ATOMIC_RELEASE);
	return 0;
}

static int vfs_dir_empty(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	int empty = 1;

	if (!d)
		return 1;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			empty = 0;
			break;
		}
	closedir(d);
	return empty;
}

/**
 * vfs_cow_start() - Make the upper directories (the view's first process)
 * @tmpdir:	Parent for private upper directories, which go in its
 *		0700 subdirectory cow/ (made by the caller)
 * @k:		Counter for names under @tmpdir
 *
 * Return: 0 or -errno (the rule's guest path names the problem)
 */
int vfs_cow_start(struct vfs_table *t, const char *tmpdir, int *k)
{
	char upper[VFS_PATH_MAX];
	struct stat st;
	int i, file;

	for (i = 0; i < t->n; i++) {
		struct vfs_rule *r = &t->rule[i];

		if (r->kind != VFS_COW)
			continue;
		/* a file's upper is a file, made by its copy-up */
		file = stat(r->lower, &st) == 0 && !S_ISDIR(st.st_mode);
		if (!r->upper[0]) {
			/* private: s->tmpdir may be searchable (--tmp) */
			snprintf(upper, sizeof(upper), "%.4000s/cow", tmpdir);
			if (mkdir(upper, 0700) < 0 && errno != EEXIST)
				return -errno;
			snprintf(upper, sizeof(upper), "%.4000s/cow/%d", tmpdir,
				 (*k)++);
			r->upper = vfs_table_str(t, upper, strlen(upper));
			if (!r->upper)
				return -ENAMETOOLONG;
			if (!file && mkdir(r->upper, 0700) < 0)
				return -errno;
			continue;
		}
		if (file) {	/* kept from an earlier run if it is there */
			if (lstat(r->upper, &st) == 0)
				vfs_cow_upper(r);
			else if (errno != ENOENT)
				return -errno;
			continue;
		}
		if (mkdir(r->upper, 0755) < 0 && errno != EEXIST)
			return -errno;
		if (!vfs_dir_empty(r->upper))
			vfs_cow_upper(r);
	}
	return 0;
}

/* Apply copy-ups made by other processes of the view */
void vfs_cow_sync(struct vfs_self *s)
{
	int i;

	for (i = 0; s->t.has_cow && i < s->t.n; i++) {
		struct vfs_rule *r = &s->t.rule[i];

		if (r->kind != VFS_COW || r->copied || !s->sh->copied[i])
			continue;
		vfs_cow_upper(r);
		vfs_cache_flush();
	}
}
