// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vfs/vfs_exec.c - execve and execveat in the guest view
 *
 * The kernel would look up a script's "#!" interpreter and an ELF
 * program's PT_INTERP by their literal (guest) paths on the host.  So the
 * module does what binfmt_script does itself: it reads the file, resolves
 * the interpreter in the guest view and executes that with the script as
 * argument.  Under --root it also resolves PT_INTERP in the guest and
 * starts the guest's dynamic loader by hand ("ld.so --argv0 NAME PROGRAM
 * ARGS", as PRoot does); /proc/self/exe then answers the program's guest
 * path.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vfs.h"

#define VFS_EXEC_DEPTH	5	/* interpreters of interpreters */
#define VFS_EXEC_EXTRA	(3 * VFS_EXEC_DEPTH + 2)
#define VFS_ARGV_MAX	(1 << 17)

/**
 * struct vfs_argv - The argv being built
 * @extra:	Leading strings owned by the module
 * @from:	Then the caller's argv[@from...]
 */
struct vfs_argv {
	int nextra, from;
	char extra[VFS_EXEC_EXTRA][VFS_PATH_MAX];
};

static int vfs_argv_shift(struct vfs_argv *a)
{
	if (a->nextra) {
		memmove(a->extra[0], a->extra[1],
			(a->nextra - 1) * sizeof(a->extra[0]));
		a->nextra--;
	} else {
		a->from++;
	}
	return 0;
}

/* Put @n strings in front */
static int vfs_argv_push(struct vfs_argv *a, const char *const *s, int n)
{
	int i;

	if (a->nextra + n > VFS_EXEC_EXTRA)
		return -ELOOP;
	memmove(a->extra[n], a->extra[0], a->nextra * sizeof(a->extra[0]));
	for (i = 0; i < n; i++)
		snprintf(a->extra[i], sizeof(a->extra[i]), "%s", s[i]);
	a->nextra += n;
	return 0;
}

/*
 * Bytes read from the start of a file to be run: the "#!" line (the
 * kernel looks at 255 of them) and, for most ELF programs, the headers
 * up to and with PT_INTERP
 */
#define VFS_HEAD	1024
#define VFS_SHEBANG_MAX	255

/*
 * What execve() says of a file that is not a regular one: a directory, a
 * FIFO, a socket or a terminal is EACCES there, not the error reading it
 * gives (execvp() goes on to the next $PATH directory on EACCES only)
 */
static int vfs_head_errno(int err)
{
	switch (err) {
	case EISDIR:
	case ESPIPE:
	case ENXIO:
	case EINVAL:
	case EAGAIN:
		return -EACCES;
	}
	return -err;
}

/* First bytes of the file, for "#!" and the ELF header (a FIFO's open
 * must not wait for a writer: O_NONBLOCK) */
static ssize_t vfs_head(const char *host, char *buf, size_t len)
{
	ssize_t n;
	int fd = open(host, O_RDONLY | O_CLOEXEC | O_NONBLOCK);

	if (fd < 0)
		return vfs_head_errno(errno);
	n = pread(fd, buf, len, 0);
	if (n < 0)
		n = vfs_head_errno(errno);
	close(fd);
	return n;
}

/* Is the file whose first @n bytes are @head a "#!" script? */
static int vfs_is_script(const char *head, ssize_t n)
{
	return n >= 2 && head[0] == '#' && head[1] == '!';
}

/**
 * struct vfs_file - A file being read: its first bytes, then the file
 * @host:	Its path
 * @head:	Its first @n bytes
 * @fd:		Open for what lies beyond @head, or -1
 */
struct vfs_file {
	const char *host;
	const char *head;
	size_t n;
	int fd;
};

/* @len bytes at @off of @f into @dst: 0, or -errno (-EIO if short) */
static int vfs_file_read(struct vfs_file *f, void *dst, size_t len,
			 uint64_t off)
{
	if (off <= f->n && len <= f->n - off) {
		memcpy(dst, f->head + off, len);
		return 0;
	}
	if (f->fd < 0) {
		f->fd = open(f->host, O_RDONLY | O_CLOEXEC);
		if (f->fd < 0)
			return -errno;
	}
	return pread(f->fd, dst, len, off) == (ssize_t)len ? 0 : -EIO;
}

/* PT_INTERP of ELF file @f into @interp; 1 found, 0 none, -errno */
static int vfs_file_interp(struct vfs_file *f, char *interp, size_t cap)
{
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	int i, ret;

	ret = vfs_file_read(f, &eh, sizeof(eh), 0);
	if (ret < 0)
		return ret == -EIO ? 0 : ret;
	if (memcmp(eh.e_ident, ELFMAG, SELFMAG) ||
	    eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh.e_phentsize != sizeof(ph))
		return 0;
	for (i = 0; i < eh.e_phnum; i++) {
		ret = vfs_file_read(f, &ph, sizeof(ph),
				    eh.e_phoff + i * sizeof(ph));
		if (ret < 0)
			return ret == -EIO ? 0 : ret;
		if (ph.p_type != PT_INTERP)
			continue;
		if (ph.p_filesz == 0 || ph.p_filesz >= cap)
			return 0;
		ret = vfs_file_read(f, interp, ph.p_filesz, ph.p_offset);
		if (ret < 0)
			return ret == -EIO ? 0 : ret;
		interp[ph.p_filesz] = '\0';
		return 1;
	}
	return 0;
}

/*
 * PT_INTERP of ELF file @host, whose first @n bytes are @head (the file
 * is read only for headers beyond them)
 */
static int vfs_pt_interp(const char *host, const char *head, size_t n,
			 char *interp, size_t cap)
{
	struct vfs_file f = { host, head, n, -1 };
	int ret = vfs_file_interp(&f, interp, cap);

	if (f.fd >= 0)
		close(f.fd);
	return ret;
}

/*
 * Parse a "#!" line in @buf (@n bytes) into @interp and @arg, as
 * binfmt_script does: blanks trimmed, the rest after the interpreter is
 * one argument.  Return 1 with an argument, 0 without, -ENOEXEC.
 */
static int vfs_shebang(char *buf, ssize_t n, char **interp, char **arg)
{
	char *p, *end, *nl;

	buf[n] = '\0';
	nl = strchr(buf, '\n');
	if (nl)
		*nl = '\0';
	p = buf + 2;
	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p)
		return -ENOEXEC;
	*interp = p;
	while (*p && *p != ' ' && *p != '\t')
		p++;
	if (!*p) {
		*arg = NULL;
		return 0;
	}
	*p++ = '\0';
	while (*p == ' ' || *p == '\t')
		p++;
	end = p + strlen(p);
	while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
		*--end = '\0';
	*arg = *p ? p : NULL;
	return *arg ? 1 : 0;
}

/**
 * struct vfs_exec - An exec that runs something else than the file named
 * (a "#!" interpreter, a loader started by hand)
 * @head:	The first @nhead bytes of @res.host
 * @exe_guest:	For /proc/self/exe, "" if the kernel's is right
 *
 * Allocated, not zeroed: only the parts used are touched.
 */
struct vfs_exec {
	struct vfs_ctx ctx;
	int has_root;
	ssize_t nhead;
	char head[VFS_HEAD];
	struct vfs_res res;
	struct vfs_argv argv;
	char exe_guest[VFS_PATH_MAX];
};

/*
 * One "#!" step: if @x->res is a script (@x->head), put its interpreter
 * (resolved in the guest) in its place and the script's name @given in
 * argv.  Return 1 if it was a script, 0 if not, -errno.
 */
static int vfs_exec_script(struct vfs_exec *x, const char *given)
{
	char interp[VFS_PATH_MAX], cwd[VFS_PATH_MAX];
	char *sb_interp, *sb_arg;
	const char *push[3];
	int np = 0, ret;
	ssize_t n = x->nhead;

	if (!vfs_is_script(x->head, n))
		return 0;
	/* the kernel runs the interpreter: the script's own check is ours */
	if (access(x->res.host, X_OK) < 0)
		return -errno;
	ret = vfs_shebang(x->head, n < VFS_SHEBANG_MAX ? n : VFS_SHEBANG_MAX,
			  &sb_interp, &sb_arg);
	if (ret < 0)
		return ret;
	push[np++] = sb_interp;
	if (sb_arg)
		push[np++] = sb_arg;
	push[np++] = given;
	vfs_argv_shift(&x->argv);
	ret = vfs_argv_push(&x->argv, push, np);
	if (ret < 0)
		return ret;
	/* an absolute interpreter needs no cwd (which may be out of view) */
	strcpy(cwd, "/");
	if (sb_interp[0] != '/') {
		ret = vfs_base(&x->ctx, AT_FDCWD, cwd, sizeof(cwd));
		if (ret < 0)
			return ret;
	}
	snprintf(interp, sizeof(interp), "%s", sb_interp);
	ret = vfs_resolve(&x->ctx, cwd, interp, VFS_R_FOLLOW, &x->res);
	if (ret < 0)
		return ret;
	x->nhead = vfs_head(x->res.host, x->head, sizeof(x->head));
	return x->nhead < 0 ? x->nhead : 1;
}

/* Do host paths @a and @b name the same file? */
static int vfs_same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	if (!strcmp(a, b))
		return 1;
	return stat(a, &sa) == 0 && stat(b, &sb) == 0 &&
	       sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/*
 * The guest's loader for the ELF program @host (first @n bytes @head)
 * into @ld, with its PT_INTERP in @interp: 1 if the loader must be
 * started by hand (the kernel would find another file under that
 * name), 0 if not, -errno.
 */
static int vfs_guest_loader(const struct vfs_ctx *ctx, const char *host,
			    const char *head, ssize_t n, char *interp,
			    struct vfs_res *ld)
{
	int ret;

	ret = vfs_pt_interp(host, head, n, interp, VFS_PATH_MAX);
	if (ret <= 0)
		return ret;
	ret = vfs_resolve(ctx, "/", interp, VFS_R_FOLLOW, ld);
	if (ret < 0)
		return ret;
	return !vfs_same_file(ld->host, interp);
}

/*
 * Under --root: if the ELF program's PT_INTERP names a different file in
 * the guest than on the host, run the guest's loader with the program as
 * its argument.  Return 0 or -errno.
 */
static int vfs_exec_loader(struct vfs_exec *x)
{
	char interp[VFS_PATH_MAX], argv0[VFS_PATH_MAX];
	const char *push[3] = { interp, "--argv0", argv0 };
	const char *prog[1] = { x->res.guest };
	struct vfs_res *ld;
	int ret;

	ld = malloc(sizeof(*ld));
	if (!ld)
		return -ENOMEM;
	ret = vfs_guest_loader(&x->ctx, x->res.host, x->head, x->nhead,
			       interp, ld);
	if (ret <= 0)
		goto out;	/* the kernel finds the same loader itself */
	/* the kernel runs the loader: the program's own check is ours */
	ret = access(x->res.host, X_OK) < 0 ? -errno : 0;
	if (ret < 0)
		goto out;
	snprintf(argv0, sizeof(argv0), "%s",
		 x->argv.nextra ? x->argv.extra[0] : "");
	if (x->argv.nextra)
		vfs_argv_shift(&x->argv);
	ret = vfs_argv_push(&x->argv, prog, 1);
	if (!ret)
		ret = vfs_argv_push(&x->argv, push, 3);
	snprintf(x->exe_guest, sizeof(x->exe_guest), "%s", x->res.guest);
	strcpy(x->res.host, ld->host);
out:
	free(ld);
	return ret;
}

/*
 * @x->res is the file to run, @given the name it was given by.  Follow
 * "#!" and, under --root, PT_INTERP.  On return @x->res.host is what the
 * kernel is to execute with @x->argv.
 */
static int vfs_exec_chain(struct vfs_exec *x, const char *given)
{
	int depth, ret;

	for (depth = 0; depth < VFS_EXEC_DEPTH; depth++) {
		ret = vfs_exec_script(x, given);
		if (ret < 0)
			return ret;
		if (!ret)
			break;
		given = x->argv.extra[0];
	}
	if (depth == VFS_EXEC_DEPTH)
		return -ELOOP;
	return x->has_root ? vfs_exec_loader(x) : 0;
}

/* Place the strings and the pointer array; set the argv argument */
static int vfs_exec_argv(struct facet_call *call, int argv_arg,
			 struct vfs_argv *a, const uintptr_t *orig, size_t norig)
{
	size_t n = a->nextra + (norig > (size_t)a->from ? norig - a->from : 0);
	uintptr_t *ptrs;
	size_t i;
	int ret = 0;

	ptrs = calloc(n + 1, sizeof(*ptrs));
	if (!ptrs)
		return -ENOMEM;
	for (i = 0; i < (size_t)a->nextra; i++) {
		ret = facet_set_arg_buf(call, argv_arg, a->extra[i],
					strlen(a->extra[i]) + 1);
		if (ret < 0)
			goto out;
		ptrs[i] = facet_arg(call, argv_arg);
	}
	for (; i < n; i++)
		ptrs[i] = orig[a->from + i - a->nextra];
	ret = facet_set_arg_buf(call, argv_arg, ptrs, (n + 1) * sizeof(*ptrs));
out:
	free(ptrs);
	return ret;
}

/* The caller's argv pointers; argv[0] is copied into @a */
static ssize_t vfs_exec_orig(struct facet_call *call, uintptr_t addr,
			     uintptr_t **out, struct vfs_argv *a)
{
	size_t n = 0, cap = 64;
	uintptr_t *v = malloc(cap * sizeof(*v));
	ssize_t r;

	if (!v)
		return -ENOMEM;
	while (addr) {
		if (n == cap) {
			uintptr_t *nv;

			cap *= 2;
			if (cap > VFS_ARGV_MAX) {
				free(v);
				return -E2BIG;
			}
			nv = realloc(v, cap * sizeof(*v));
			if (!nv) {
				free(v);
				return -ENOMEM;
			}
			v = nv;
		}
		if (facet_peek(call, &v[n], addr + n * sizeof(*v),
			       sizeof(*v)) != sizeof(*v)) {
			free(v);
			return -EFAULT;
		}
		if (!v[n])
			break;
		n++;
	}
	a->nextra = 0;
	a->from = 0;
	if (n) {
		r = facet_peek_str(call, a->extra[0], v[0],
				   sizeof(a->extra[0]));
		if (r < 0) {
			free(v);
			return r;
		}
		a->nextra = 1;
		a->from = 1;
	}
	*out = v;
	return n;
}

/*
 * Is the file @res (first @n bytes @head) run as it is, by the kernel?
 * So it is unless it is a script, or, under --root, an ELF program
 * whose loader must be started by hand.  1 if so, 0 if not, -errno.
 */
static int vfs_exec_plain(struct vfs_self *s, struct facet_call *call,
			  const struct vfs_res *res, const char *head,
			  ssize_t n)
{
	/* static: no allocation where preload runs this in a signal handler */
	static struct vfs_res ld;
	struct vfs_ctx ctx = { .t = &s->t, .call = call };
	char interp[VFS_PATH_MAX];
	int ret;

	if (vfs_is_script(head, n))
		return 0;
	if (!s->t.has_root)
		return 1;
	ctx.tid = facet_tid(call);
	ret = vfs_guest_loader(&ctx, res->host, head, n, interp, &ld);
	return ret < 0 ? ret : !ret;
}

/* An exec that runs something else than @res: build argv and the path */
static int vfs_exec_other(struct vfs_self *s, struct facet_call *call,
			  struct vfs_exec *x, int path_arg, const char *as,
			  pid_t *pid)
{
	uintptr_t *orig = NULL;
	ssize_t norig;
	int ret;

	x->ctx.t = &s->t;
	x->ctx.pid = facet_pid(call);
	x->ctx.tid = facet_tid(call);
	x->ctx.call = call;
	x->ctx.host_base = NULL;
	x->has_root = s->t.has_root;
	x->exe_guest[0] = '\0';
	*pid = x->ctx.pid;
	norig = vfs_exec_orig(call, facet_arg(call, path_arg + 1), &orig,
			      &x->argv);
	if (norig < 0)
		return norig;
	ret = vfs_exec_chain(x, as);
	if (!ret && (x->argv.nextra != 1 || x->argv.from != 1 || !norig))
		ret = vfs_exec_argv(call, path_arg + 1, &x->argv, orig, norig);
	free(orig);
	return ret;
}

/*
 * The kernel names a process after the last component of the path it is
 * given (/proc/PID/comm: "cc" for /usr/bin/cc, a symlink), and the view
 * gives it the file the symlinks lead to ("x86_64-linux-gnu-gcc-12").
 * Where the host's own walk from the host path of @as's last component
 * itself, the symlink unfollowed, reaches the view's file @res->host,
 * that path is run instead: the process has its native name under every
 * backend, also where no shim renames it (the plain ptracer, a static
 * program; vfs_comm.c), and AT_EXECFN is the program's.
 * Return: the resolution whose host path to run (free() it), or NULL
 */
static struct vfs_res *vfs_exec_named(struct vfs_self *s,
				      struct facet_call *call,
				      const struct vfs_res *res,
				      const char *as)
{
	struct vfs_ctx ctx = { &s->t, 0, facet_tid(call), call, NULL };
	struct vfs_res *link;

	if (as[0] != '/' ||
	    !strcmp(vfs_last_name(as), vfs_last_name(res->host)))
		return NULL;
	link = malloc(sizeof(*link));
	if (link && vfs_resolve(&ctx, "/", as, 0, link) == 0 && !link->magic &&
	    !strcmp(vfs_last_name(as), vfs_last_name(link->host)) &&
	    vfs_host_walk_reaches(&s->t, link->host, 1, res->host, NULL))
		return link;
	free(link);
	return NULL;
}

/**
 * vfs_exec_enter() - Run the guest file @res (resolved path argument)
 * @path_arg:	Index of the path argument; argv follows it
 * @as:		The path as the program gave it (read once, by the caller)
 *
 * Most execs run the file itself: its first bytes are read once (to
 * tell a script, and under --root to find its loader), and the kernel
 * checks the rest.  Only a script, or a program whose loader must be
 * started by hand, takes the full way, with its permission checked here.
 */
enum facet_verdict vfs_exec_enter(struct vfs_self *s, struct facet_call *call,
				  const struct vfs_res *res, int path_arg,
				  const char *as)
{
	const char *host = res->host;
	struct vfs_res *named = NULL;
	struct vfs_exec *x = NULL;
	char head[VFS_HEAD];
	pid_t pid = 0;
	ssize_t n;
	int ret;

	n = vfs_head(res->host, head, sizeof(head));
	ret = n < 0 ? n : vfs_exec_plain(s, call, res, head, n);
	if (ret == 0) {
		x = malloc(sizeof(*x));
		if (!x) {
			ret = -ENOMEM;
			goto out;
		}
		/* not the whole struct: its two path buffers are pages */
		strcpy(x->res.guest, res->guest);
		strcpy(x->res.host, res->host);
		x->res.attr = res->attr;
		x->res.magic = res->magic;
		x->res.followed = res->followed;
		x->res.literal = res->literal;
		x->nhead = n;
		memcpy(x->head, head, n);
		ret = vfs_exec_other(s, call, x, path_arg, as, &pid);
		host = x->res.host;
	}
	if (ret >= 0 && !x) {
		named = vfs_exec_named(s, call, res, as);
		if (named)
			host = named->host;
	}
	/* the name the process has natively (vfs_comm.c) */
	if (ret >= 0)
		vfs_comm_exec(s, facet_pid(call), as, host);
	if (ret >= 0)
		ret = facet_set_path(call, path_arg, host);
	if (facet_log_enabled(FACET_LOG_DEBUG))
		facet_logmsg(FACET_LOG_DEBUG, "vfs: exec %s runs host %s: %s",
			     res->guest, host, ret < 0 ? strerror(-ret) : "ok");
	/* under preload no process but this one is known: no pid needed */
	if (ret >= 0 && (vfs_exe_any(s) || (x && x->exe_guest[0])))
		vfs_exe_set(s, pid ? pid : facet_pid(call),
			    x && x->exe_guest[0] ? x->exe_guest : NULL);
out:
	free(named);
	free(x);
	if (ret < 0) {
		facet_return(call, ret);
		return FACET_DONE;
	}
	return FACET_CONTINUE;
}

/*
 * A script open on @fd whose file has no path (a memfd, a deleted file):
 * the kernel would look its "#!" interpreter up on the host.  It is run
 * as binfmt_script runs it, with the interpreter found in the guest and
 * "/dev/fd/N" as the script's name; @res->host is the fd's magic link.
 * Return: 1 if @fd holds such a script (FACET_DONE or FACET_CONTINUE in
 * @v), 0 if the kernel is to run it (an ELF program has no path to look up
 * but its PT_INTERP)
 */
static int vfs_fexec_pathless(struct vfs_self *s, struct facet_call *call,
			      struct vfs_res *res, int fd, const char *as,
			      enum facet_verdict *v)
{
	char head[2], info[64], line[64];
	unsigned int flags = 0;
	FILE *f;

	snprintf(res->host, sizeof(res->host), "/proc/%d/fd/%d",
		 (int)facet_tid(call), fd);
	if (vfs_head(res->host, head, sizeof(head)) != 2 ||
	    !vfs_is_script(head, 2))
		return 0;
	/* the interpreter could not open /dev/fd/N: the kernel's ENOENT */
	snprintf(info, sizeof(info), "/proc/%d/fdinfo/%d",
		 (int)facet_tid(call), fd);
	f = fopen(info, "re");
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "flags: %o", &flags) == 1)
			break;
	if (f)
		fclose(f);
	if (flags & O_CLOEXEC) {
		*v = FACET_DONE;
		facet_return(call, -ENOENT);
		return 1;
	}
	snprintf(res->guest, sizeof(res->guest), "%s", as);
	*v = vfs_exec_enter(s, call, res, 1, as);
	return 1;
}

/**
 * vfs_fexec_enter() - execveat(fd, "", ..., AT_EMPTY_PATH), fexecve()
 *
 * The file open on fd is run like a path: its "#!" interpreter and its
 * loader are looked up in the guest too.  Of files without a path (memfd,
 * deleted) scripts are run so too; programs are passed to the kernel
 * unchanged.
 */
enum facet_verdict vfs_fexec_enter(struct vfs_self *s, struct facet_call *call)
{
	char link[64], as[32];
	struct vfs_res *res = calloc(1, sizeof(*res));
	int fd = facet_arg(call, 0);
	enum facet_verdict v = FACET_CONTINUE;
	int set = 0;
	ssize_t n;

	if (!res)
		return FACET_CONTINUE;
	snprintf(link, sizeof(link), "/proc/%d/fd/%d", (int)facet_tid(call),
		 fd);
	n = readlink(link, res->host, sizeof(res->host) - 1);
	snprintf(as, sizeof(as), "/dev/fd/%d", fd);
	if (n > 0 && res->host[0] == '/') {
		res->host[n] = '\0';
		if (n < 10 || strcmp(res->host + n - 10, " (deleted)")) {
			if (vfs_to_guest(&s->t, res->host, res->guest,
					 sizeof(res->guest)) < 0)
				strcpy(res->guest, res->host);
			v = vfs_exec_enter(s, call, res, 1, as);
			set = 1;
		} else {
			set = vfs_fexec_pathless(s, call, res, fd, as, &v);
		}
	}
	/* the path is set now: it, not the fd, is run */
	if (set && v == FACET_CONTINUE)
		facet_set_arg(call, 4, facet_arg(call, 4) & ~AT_EMPTY_PATH);
	free(res);
	return v;
}
