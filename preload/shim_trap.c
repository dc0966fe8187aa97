// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * preload/shim_trap.c - libc functions that make their syscalls inside libc
 *
 * DOC: Trap mode
 *
 * fopen(), opendir(), realpath(), nftw(), mkstemp(), getpwnam(), dlopen()
 * and their kind call open, stat, getdents, readlink... through glibc's
 * internal, non-interposable symbols.  Rather than re-implement them, the
 * wrapper arms Syscall User Dispatch for the calling thread with only the
 * shim's gate allowed, calls the real function, and disarms: every syscall
 * the function makes raises SIGSYS and reaches the chain exactly as the
 * kernel would see it (≈ 1–3 µs each).  Trap mode is only entered when a
 * module wants one of the syscalls the function can make; otherwise the
 * wrapper costs one check.  Callbacks the function calls (nftw's, a
 * constructor run by dlopen) run in trap mode too: correct, a bit slower.
 */
#include <dirent.h>
#include <errno.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <fts.h>
#include <ftw.h>
#include <glob.h>
#include <limits.h>
#include <grp.h>
#include <netdb.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ipc.h>
#include <sys/time.h>
#include <string.h>
#include <mqueue.h>
#include <poll.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/sem.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <utime.h>

#include "shim_trap.h"

/**
 * shim_trap_enter() - Enter trap mode for this thread
 *
 * Return: token for shim_trap_leave()
 */
int shim_trap_enter(void)
{
	/*
	 * The program's calls in the combined mode run natively: there a
	 * SIGSYS is a ptrace signal-delivery stop, dearer than the
	 * supervisor's notification for each call a module wants, and the
	 * calls no module wants cost nothing.  Module code's own calls
	 * still trap, to reach the gate page.
	 */
	if (shim.supervised && !shim_tls.busy && !shim_tls.trap)
		return 0;
	if (shim_tls.trap++ == 0 && shim_sud_arm(2) < 0) {
		shim_tls.trap--;
		return 0;
	}
	return 1;
}

void shim_trap_leave(int token)
{
	int saved_errno = errno;

	if (token && --shim_tls.trap == 0)
		shim_sud_arm(shim.raw_arm);
	errno = saved_errno;
}

const short shim_trap_all[] = { -1 };

/* Does a module want one of @nrs (and is this thread not in module code)? */
__attribute__((section(".text.unlikely"))) int
shim_trap_wanted(const short *nrs)
{
	if (!shim.ready)
		shim_setup_now(-1);
	/* module code in the combined mode: its calls inside libc trap and
	 * go through the gate page (shim_host_busy()) */
	if (shim_tls.busy)
		return shim.supervised;
	if (!shim.any)
		return 0;
	if (nrs == shim_trap_all)
		return 1;
	for (; *nrs >= 0; nrs++)
		if (shim.chain.hooks[*nrs])
			return 1;
	return 0;
}

/*
 * TRAP(type, name, set, (params), (args)): call the real @name in trap
 * mode when a module wants a syscall of @set.
 */

typedef int (*ftw_cb)(const char *, const struct stat *, int);
typedef int (*nftw_cb)(const char *, const struct stat *, int, struct FTW *);
typedef int (*ftw64_cb)(const char *, const struct stat64 *, int);
typedef int (*nftw64_cb)(const char *, const struct stat64 *, int,
			 struct FTW *);
typedef int (*dirsel)(const struct dirent *);
typedef int (*dircmp)(const struct dirent **, const struct dirent **);
typedef int (*dirsel64)(const struct dirent64 *);
typedef int (*dircmp64)(const struct dirent64 **, const struct dirent64 **);
typedef int (*globerr)(const char *, int);

TRAP(FILE *, freopen, TRAP_REOPEN, (const char *p, const char *m, FILE *f),
     (p, m, f))
TRAP(FILE *, freopen64, TRAP_REOPEN, (const char *p, const char *m, FILE *f),
     (p, m, f))
TRAP(FILE *, tmpfile, TRAP_TEMP, (void), ())
TRAP(FILE *, tmpfile64, TRAP_TEMP, (void), ())

/*
 * opendir() and fdopendir() without trap mode.  glibc's opendir() is
 * openat(name, O_RDONLY|O_NONBLOCK|O_DIRECTORY|O_CLOEXEC), then
 * newfstatat(fd, "", AT_EMPTY_PATH) to check for a directory and size
 * its buffer; fdopendir() is that newfstatat, then fcntl(F_GETFL) and
 * fcntl(F_SETFD, FD_CLOEXEC).  In trap mode each of them was a SIGSYS,
 * with two prctl() around: about 8 kernel entries where 2 or 3 do.
 * Here the modules get the same calls through the fast wrappers: the
 * open goes through the shim's openat(), and the newfstatat is offered
 * to the chain (shim_pass()); when the modules let it through unchanged,
 * libc's fdopendir() makes it itself, with the fcntl() calls, natively.
 * A module that answered the newfstatat has its answer decide the error
 * or ENOTDIR as libc would; libc's own fstat then only sizes the buffer.
 * Trap mode stays where these shortcuts would not show the modules the
 * same calls: inside trap mode already, when every call is caught
 * (facet_env_catch_all()), for fdopendir() when a module wants fcntl,
 * and for module code's own calls.  In the combined mode the open is
 * served here and libc's newfstatat reaches the supervisor's modules
 * (one round trip, where trap mode made each call a ptrace stop); with a
 * module that wants fcntl, glibc's opendir() runs natively.
 */

/*
 * May a libc function's calls go through the shim's own wrappers here
 * (opendir(), fopen(), mkstemp() below): not inside trap mode already,
 * not when every call is caught, not in module code?
 */
static int shim_direct(void)
{
	return !shim_tls.trap && shim.raw_arm != 2 && !shim_tls.busy;
}

/*
 * fopen() without trap mode: glibc's fopen() is open(path, flags, 0666)
 * with the flags its mode string makes, and a stream around the fd; so
 * here the open goes through the shim's openat() and fdopen() makes the
 * stream.  fdopen() makes fcntl(F_GETFL) and lseek(SEEK_CUR) calls of its
 * own, which glibc's fopen() does not: so trap mode (under the supervisor,
 * glibc natively) stays when a module wants those, and for the modes whose
 * stream fdopen() would make differently ('c', 'm', ",ccs=").
 */

/* The open(2) flags of fopen() mode @m as glibc makes them, or -1 */
static int shim_fopen_flags(const char *m)
{
	int acc, flags, i;

	switch (m[0]) {
	case 'r':
		acc = O_RDONLY;
		flags = 0;
		break;
	case 'w':
		acc = O_WRONLY;
		flags = O_CREAT | O_TRUNC;
		break;
	case 'a':
		acc = O_WRONLY;
		flags = O_CREAT | O_APPEND;
		break;
	default:
		return -1;	/* EINVAL: glibc's to say */
	}
	/* glibc reads up to 6 more letters, to the end or a ',' */
	for (i = 1; i < 7 && m[i] && m[i] != ','; i++) {
		if (m[i] == '+')
			acc = O_RDWR;
		else if (m[i] == 'x')
			flags |= O_EXCL;
		else if (m[i] == 'e')
			flags |= O_CLOEXEC;
		else if (m[i] == 'c' || m[i] == 'm')
			return -1;
	}
	if (strchr(m, ','))
		return -1;
	return acc | flags;
}

static FILE *shim_fopen(const char *p, const char *m,
			FILE *(*real_)(const char *, const char *))
{
	int flags, fd, tok_, saved;
	FILE *f;

	if (!shim_trap_wanted(TRAP_OPEN))
		return real_(p, m);
	flags = shim_fopen_flags(m);
	if (flags < 0 || !shim_direct() || shim_wants(SYS_fcntl) ||
	    shim_wants(SYS_lseek)) {
		tok_ = shim_trap_enter();
		f = real_(p, m);
		shim_trap_leave(tok_);
		return f;
	}
	fd = openat(AT_FDCWD, p, flags, 0666);
	if (fd < 0)
		return NULL;
	/* fopen(, "a") starts at the end: ftell() tells the size */
	if ((flags & (O_APPEND | O_ACCMODE)) == (O_APPEND | O_WRONLY))
		lseek(fd, 0, SEEK_END);
	f = fdopen(fd, m);
	if (!f) {
		saved = errno;
		close(fd);
		errno = saved;
	}
	return f;
}

SHIM_HOT FILE *fopen(const char *p, const char *m)
{
	return shim_fopen(p, m, SHIM_NEXT(FILE *(*)(const char *,
						    const char *), "fopen"));
}

SHIM_HOT FILE *fopen64(const char *p, const char *m)
{
	return shim_fopen(p, m, SHIM_NEXT(FILE *(*)(const char *,
						    const char *), "fopen64"));
}

/*
 * fdopendir() of @fd once the modules have seen its newfstatat (or
 * answered it); glibc's fdopendir() then makes its calls natively
 */
static DIR *shim_dir_from_fd(int fd)
{
	DIR *(*real_)(int) = SHIM_NEXT(DIR *(*)(int), "fdopendir");
	struct shim_pass p = { .ret = 0, .pass = 1 };
	struct stat st;

	if (shim_wants(SYS_newfstatat) && !shim.supervised)
		p = shim_pass(fd, (long)"", (long)&st, AT_EMPTY_PATH, 0,
			      SYS_newfstatat);
	if (!p.pass) {
		if (p.ret < 0)
			return NULL;	/* errno is the module's */
		if (!S_ISDIR(st.st_mode)) {
			errno = ENOTDIR;
			return NULL;
		}
	}
	return real_(fd);
}

SHIM_HOT DIR *opendir(const char *p)
{
	DIR *(*real_)(const char *) =
		SHIM_NEXT(DIR *(*)(const char *), "opendir");
	int tok_, fd, saved;
	DIR *ret_;

	if (!shim_trap_wanted(TRAP_DIR) || !*p)
		return real_(p);	/* "" fails before any syscall */
	/* under the supervisor fdopendir()'s fcntl() calls would reach
	 * modules that glibc's opendir() does not show them */
	if (!shim_direct() || (shim.supervised && shim_wants(SYS_fcntl))) {
		tok_ = shim_trap_enter();
		ret_ = real_(p);
		shim_trap_leave(tok_);
		return ret_;
	}
	fd = openat(AT_FDCWD, p, O_RDONLY | O_NONBLOCK | O_DIRECTORY |
		    O_CLOEXEC);
	if (fd < 0)
		return NULL;
	ret_ = shim_dir_from_fd(fd);
	if (!ret_) {
		saved = errno;
		close(fd);
		errno = saved;
	}
	return ret_;
}

SHIM_HOT DIR *fdopendir(int fd)
{
	DIR *(*real_)(int) = SHIM_NEXT(DIR *(*)(int), "fdopendir");
	int tok_;
	DIR *ret_;

	if (!shim_trap_wanted(TRAP_DIRFD))
		return real_(fd);
	if (shim_direct() && !shim_wants(SYS_fcntl))
		return shim_dir_from_fd(fd);
	tok_ = shim_trap_enter();
	ret_ = real_(fd);
	shim_trap_leave(tok_);
	return ret_;
}

/*
 * Directory streams: readdir() makes getdents64 only when its buffer runs
 * out, but trap mode costs two prctl() per readdir() call.  A module that
 * needs only some listings (facet_env_listing(): vfs, for the directories
 * that hide names or get glue entries) is asked once per stream, at its
 * first readdir(); the others are read natively.  Keyed by the DIR and
 * its fd, forgotten at closedir().
 */
#define SHIM_DIRS	64

/* what start-up writes, on the page of "shim" (see SHIM_DATA) */
static struct shim_listing {
	facet_listing_fn wanted;
	void *self;
} shim_listing SHIM_DATA;

static struct shim_dir {
	DIR *d;
	int fd, trapped;
} shim_dirs[SHIM_DIRS];

/* The filter a module offered, if it is the one that wants getdents64 */
SHIM_COLD void shim_listing_setup(const struct facet_env *env)
{
	shim_listing.wanted = env->listing;
	shim_listing.self = facet_chain_listing(&shim.chain, env,
						SYS_getdents64);
}

static struct shim_dir *shim_dir_slot(DIR *d)
{
	return &shim_dirs[((uintptr_t)d >> 4) % SHIM_DIRS];
}

/* Must readdir() of @d run in trap mode? */
static int shim_dir_trapped(DIR *d)
{
	unsigned char prev_sel;
	struct shim_dir *e;
	int fd, tok, trapped;

	if (!shim_trap_wanted(TRAP_READDIR))
		return 0;
	/* (combined mode: a listing left alone is read natively, and
	 * libc's getdents64 goes to the supervisor, a round trip per
	 * buffer; trap mode would cost two prctl() per entry) */
	if (!shim_listing.self || shim_tls.busy)
		return 1;
	fd = dirfd(d);
	e = shim_dir_slot(d);
	tok = shim_lock();
	if (e->d != d || e->fd != fd) {
		prev_sel = shim_module_begin(&shim_tls);
		e->trapped = shim_listing.wanted(shim_listing.self, fd) != 0;
		shim_module_end(&shim_tls, prev_sel);
		e->d = d;
		e->fd = fd;
	}
	trapped = e->trapped;
	shim_unlock(tok);
	return trapped;
}

static void shim_dir_forget(DIR *d)
{
	struct shim_dir *e = shim_dir_slot(d);
	int tok = shim_lock();

	if (e->d == d)
		e->d = NULL;
	shim_unlock(tok);
}

#define READDIR(type, name)						\
	SHIM_HOT type *name(DIR *d)					\
	{								\
		type *(*real_)(DIR *) = SHIM_NEXT(type *(*)(DIR *), #name); \
		type *ret_;						\
		int tok_;						\
									\
		if (!shim_dir_trapped(d))				\
			return real_(d);				\
		tok_ = shim_trap_enter();				\
		ret_ = real_(d);					\
		shim_trap_leave(tok_);					\
		return ret_;						\
	}

READDIR(struct dirent, readdir)
READDIR(struct dirent64, readdir64)

#define READDIR_R(type, name)						\
	SHIM_HOT int name(DIR *d, type *e, type **r)			\
	{								\
		int (*real_)(DIR *, type *, type **) =			\
			SHIM_NEXT(int (*)(DIR *, type *, type **), #name); \
		int ret_, tok_;						\
									\
		if (!shim_dir_trapped(d))				\
			return real_(d, e, r);				\
		tok_ = shim_trap_enter();				\
		ret_ = real_(d, e, r);					\
		shim_trap_leave(tok_);					\
		return ret_;						\
	}

_Pragma("GCC diagnostic push")
_Pragma("GCC diagnostic ignored \"-Wdeprecated-declarations\"")
READDIR_R(struct dirent, readdir_r)
READDIR_R(struct dirent64, readdir64_r)
_Pragma("GCC diagnostic pop")

SHIM_HOT int closedir(DIR *d)
{
	int (*real_)(DIR *) = SHIM_NEXT(int (*)(DIR *), "closedir");
	int ret_, tok_;

	if (shim_listing.self)
		shim_dir_forget(d);
	if (!shim_trap_wanted(TRAP_CLOSEDIR))
		return real_(d);
	tok_ = shim_trap_enter();
	ret_ = real_(d);
	shim_trap_leave(tok_);
	return ret_;
}
TRAP(int, scandir, TRAP_SCAN,
     (const char *p, struct dirent ***l, dirsel s, dircmp c), (p, l, s, c))
TRAP(int, scandir64, TRAP_SCAN,
     (const char *p, struct dirent64 ***l, dirsel64 s, dircmp64 c),
     (p, l, s, c))

/*
 * realpath(): a module that resolves every path itself
 * (facet_env_realpath(): vfs) answers the whole call, instead of a SIGSYS
 * for each readlink glibc makes per component, when no other module
 * wants those syscalls.  Otherwise, and when the module declines, trap
 * mode.
 */
static const long shim_realpath_nrs[] = {
	SYS_readlink, SYS_newfstatat, SYS_getcwd, -1
};

static struct shim_realpath {
	facet_realpath_fn resolve;
	void *self;
} shim_realpath SHIM_DATA;

SHIM_COLD void shim_realpath_setup(const struct facet_env *env)
{
	shim_realpath.resolve = env->realpath;
	shim_realpath.self = facet_chain_realpath(&shim.chain, env,
						  shim_realpath_nrs);
}

/* The module's answer: 0 with @out set, -errno, or 1 (not answered) */
static int shim_realpath_module(const char *p, char *out)
{
	unsigned char prev_sel;
	int tok, ret;

	if (!p || !shim_trap_wanted(TRAP_REALPATH) || !shim_realpath.self)
		return 1;
	prev_sel = shim_module_begin(&shim_tls);
	tok = shim_lock();
	ret = shim_realpath.resolve(shim_realpath.self, p, out);
	shim_unlock(tok);
	shim_module_end(&shim_tls, prev_sel);
	return ret;
}

/*
 * The module's answer as realpath() returns it, in *@out; 1 if it did
 * not answer.  Its own function, so that the path buffer is on the stack
 * only when a module answers (glibc's realpath() would otherwise run 4 kB
 * further down the stack: new stack pages, page faults)
 */
static __attribute__((noinline)) int shim_realpath_answer(const char *p,
							  char *r,
							  char **out)
{
	char buf[PATH_MAX];
	int ret = shim_realpath_module(p, buf);

	if (ret < 0) {
		errno = -ret;
		*out = NULL;
	} else if (ret == 0) {
		*out = r ? strcpy(r, buf) : strdup(buf);
	}
	return ret;
}

SHIM_HOT char *realpath(const char *p, char *r)
{
	char *(*real_)(const char *, char *) =
		SHIM_NEXT(char *(*)(const char *, char *), "realpath");
	char *ret_;
	int tok_;

	if (p && shim_trap_wanted(TRAP_REALPATH) && shim_realpath.self &&
	    shim_realpath_answer(p, r, &ret_) <= 0)
		return ret_;
	if (!shim_trap_wanted(TRAP_REALPATH))
		return real_(p, r);
	tok_ = shim_trap_enter();
	ret_ = real_(p, r);
	shim_trap_leave(tok_);
	return ret_;
}

SHIM_HOT char *canonicalize_file_name(const char *p)
{
	return realpath(p, NULL);
}

/*
 * getcwd() without trap mode: glibc's is the getcwd syscall into the
 * caller's buffer, or into one it allocates (size bytes, or PATH_MAX
 * shrunk to fit when size is 0).  Only a result that is not absolute
 * ("(unreachable)") or too long makes glibc walk the tree with opens and
 * stats: that walk stays in trap mode.  Under the supervisor the call was
 * a notification, under preload a SIGSYS, each time make or cc1 asked.
 */
SHIM_HOT char *getcwd(char *buf, size_t size)
{
	char *(*real_)(char *, size_t) =
		SHIM_NEXT(char *(*)(char *, size_t), "getcwd");
	size_t alloc = size;
	char *path = buf, *fit;
	int tok_;
	long r;

	if (!shim_trap_wanted(TRAP_CWD))
		return real_(buf, size);
	if (shim_direct()) {
		if (!size) {
			if (buf) {
				errno = EINVAL;
				return NULL;
			}
			alloc = PATH_MAX;
		}
		if (!buf && !(path = malloc(alloc)))
			return NULL;
		r = shim_syscall6(SYS_getcwd, (long)path, (long)alloc, 0, 0,
				  0, 0);
		if (r > 0 && path[0] == '/') {
			if (!buf && !size && (fit = realloc(path, (size_t)r)))
				path = fit;
			return path;
		}
		if (!buf)
			free(path);
		if (r < 0 && r != -ENAMETOOLONG) {
			errno = (int)-r;
			return NULL;
		}
	}
	tok_ = shim_trap_enter();
	path = real_(buf, size);
	shim_trap_leave(tok_);
	return path;
}
TRAP(char *, get_current_dir_name, TRAP_REALPATH, (void), ())
TRAP(int, ftw, TRAP_WALK, (const char *d, ftw_cb f, int n), (d, f, n))
TRAP(int, ftw64, TRAP_WALK, (const char *d, ftw64_cb f, int n), (d, f, n))
TRAP(int, nftw, TRAP_WALK, (const char *d, nftw_cb f, int n, int fl),
     (d, f, n, fl))
TRAP(int, nftw64, TRAP_WALK, (const char *d, nftw64_cb f, int n, int fl),
     (d, f, n, fl))

/*
 * mkstemp() and its kind without trap mode: glibc fills the six X before
 * @s suffix bytes with letters and digits from bits of the clock (no
 * syscall: getrandom() only for names it does not create) and opens with
 * O_RDWR|O_CREAT|O_EXCL and mode 0600, again on EEXIST.  The same here,
 * with the cycle counter for the clock and the open through the shim's
 * openat() (a compiler's temporary files: in the combined mode each
 * O_CREAT open in trap mode was a ptrace stop, and natively one too).
 * glibc seeds from getrandom() once in a while: a module that wants
 * getrandom gets glibc's own function, in trap mode, to see those.
 */
static int shim_mkostemps(char *t, int s, int f,
			  int (*real_)(char *, int, int))
{
	static const char letters[] =
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	static uint64_t v;
	size_t len = strlen(t);
	int tok_, fd, tries, i;
	uint64_t r;
	char *x;

	if (!shim_trap_wanted(TRAP_TEMP))
		return real_(t, s, f);
	if (!shim_direct() || shim_wants(SYS_getrandom)) {
		tok_ = shim_trap_enter();
		fd = real_(t, s, f);
		shim_trap_leave(tok_);
		return fd;
	}
	if (s < 0 || len < 6 || (size_t)s > len - 6 ||
	    memcmp(t + len - s - 6, "XXXXXX", 6)) {
		errno = EINVAL;
		return -1;
	}
	x = t + len - s - 6;
	for (tries = 0; tries < 62 * 62 * 62; tries++) {
		/* a 64-bit LCG step stirred with the cycle counter */
		r = v = (v ^ __builtin_ia32_rdtsc() ^ (uintptr_t)t) *
			6364136223846793005ULL + 1442695040888963407ULL;
		for (i = 0; i < 6; i++, r /= 62)
			x[i] = letters[(r >> 16) % 62];
		fd = openat(AT_FDCWD, t, (f & ~O_ACCMODE) | O_RDWR | O_CREAT |
			    O_EXCL, S_IRUSR | S_IWUSR);
		if (fd >= 0 || errno != EEXIST)
			return fd;
	}
	errno = EEXIST;
	return -1;
}

/* glibc's six names for it */
#define SHIM_MKSTEMP(name, params, ...)					\
	SHIM_HOT int name params					\
	{								\
		return shim_mkostemps(__VA_ARGS__, SHIM_NEXT(int (*)(	\
			char *, int, int), "mkostemps"));		\
	}
SHIM_MKSTEMP(mkstemp, (char *t), t, 0, 0)
SHIM_MKSTEMP(mkstemp64, (char *t), t, 0, 0)
SHIM_MKSTEMP(mkostemp, (char *t, int f), t, 0, f)
SHIM_MKSTEMP(mkostemp64, (char *t, int f), t, 0, f)
SHIM_MKSTEMP(mkstemps, (char *t, int s), t, s, 0)
SHIM_MKSTEMP(mkostemps, (char *t, int s, int f), t, s, f)
TRAP(char *, mkdtemp, TRAP_TEMPDIR, (char *t), (t))
TRAP(int, glob, TRAP_SCAN, (const char *p, int f, globerr e, glob_t *g),
     (p, f, e, g))
TRAP(int, statvfs, TRAP_STATVFS, (const char *p, struct statvfs *b), (p, b))
TRAP(int, statvfs64, TRAP_STATVFS, (const char *p, struct statvfs64 *b), (p, b))
TRAP(long, pathconf, TRAP_STATVFS, (const char *p, int n), (p, n))

/*
 * eaccess() and euidaccess() as faccessat(AT_EACCESS) through the shim's
 * faccessat(): the kernel's faccessat2 checks the effective ids, as
 * glibc's emulation does with getuid()..getegid() and access() or stat().
 * make searches PATH with eaccess() for every recipe; in trap mode each
 * of those calls was a SIGSYS (a ptrace stop in the combined mode).
 */
SHIM_HOT int euidaccess(const char *p, int m)
{
	return faccessat(AT_FDCWD, p, m, AT_EACCESS);
}

SHIM_HOT int eaccess(const char *p, int m)
{
	return faccessat(AT_FDCWD, p, m, AT_EACCESS);
}
TRAP(int, utimes, TRAP_UTIME, (const char *p, const struct timeval t[2]),
     (p, t))
TRAP(int, lutimes, TRAP_UTIME, (const char *p, const struct timeval t[2]),
     (p, t))
TRAP(int, futimes, TRAP_UTIME, (int fd, const struct timeval t[2]), (fd, t))
TRAP(int, utime, TRAP_UTIME, (const char *p, const struct utimbuf *t), (p, t))

/*
 * More of the same, found by going through libc's exports: each made its
 * syscalls past the view (mkfifo() wrote into a --ro directory, remove()
 * deleted a host file under --cow, readdir_r() listed a hidden name).
 */
TRAP_RARE(int, remove, TRAP_REMOVE, (const char *p), (p))
TRAP_RARE(int, mkfifo, TRAP_MKNOD, (const char *p, mode_t m), (p, m))
TRAP_RARE(int, mkfifoat, TRAP_MKNOD, (int d, const char *p, mode_t m), (d, p, m))
TRAP_RARE(int, lchmod, TRAP_LCHMOD, (const char *p, mode_t m), (p, m))
TRAP_RARE(int, futimesat, TRAP_FUTIMESAT,
     (int d, const char *p, const struct timeval t[2]), (d, p, t))
TRAP_RARE(key_t, ftok, T(SYS_newfstatat), (const char *p, int id), (p, id))
TRAP_RARE(int, mkstemps64, TRAP_TEMP, (char *t, int s), (t, s))
TRAP_RARE(int, mkostemps64, TRAP_TEMP, (char *t, int s, int f), (t, s, f))
TRAP_RARE(char *, mktemp, TRAP_TEMP, (char *t), (t))
TRAP_RARE(char *, tempnam, TRAP_TEMP, (const char *d, const char *p), (d, p))
TRAP_RARE(char *, tmpnam, TRAP_TEMP, (char s[L_tmpnam]), (s))
TRAP_RARE(char *, tmpnam_r, TRAP_TEMP, (char s[L_tmpnam]), (s))
TRAP_RARE(int, glob64, TRAP_SCAN, (const char *p, int f, globerr e, glob64_t *g),
     (p, f, e, g))
TRAP_RARE(int, scandirat, TRAP_SCAN,
     (int d, const char *p, struct dirent ***l, dirsel s, dircmp c),
     (d, p, l, s, c))
TRAP_RARE(int, scandirat64, TRAP_SCAN,
     (int d, const char *p, struct dirent64 ***l, dirsel64 s, dircmp64 c),
     (d, p, l, s, c))
TRAP_RARE(ssize_t, getdirentries, T(SYS_getdents64, SYS_lseek),
     (int fd, char *b, size_t n, off_t *o), (fd, b, n, o))
TRAP_RARE(ssize_t, getdirentries64, T(SYS_getdents64, SYS_lseek),
     (int fd, char *b, size_t n, off64_t *o), (fd, b, n, o))
TRAP_RARE(char *, getwd, TRAP_CWD, (char *b), (b))
TRAP_RARE(FTS *, fts_open, TRAP_WALK,
     (char *const *p, int o, int (*c)(const FTSENT **, const FTSENT **)),
     (p, o, c))
TRAP_RARE(FTSENT *, fts_read, TRAP_WALK, (FTS *f), (f))
TRAP_RARE(FTSENT *, fts_children, TRAP_WALK, (FTS *f, int o), (f, o))
TRAP_RARE(int, fts_close, TRAP_WALK, (FTS *f), (f))
TRAP_RARE(FTS64 *, fts64_open, TRAP_WALK,
     (char *const *p, int o,
      int (*c)(const FTSENT64 **, const FTSENT64 **)), (p, o, c))
TRAP_RARE(FTSENT64 *, fts64_read, TRAP_WALK, (FTS64 *f), (f))
TRAP_RARE(FTSENT64 *, fts64_children, TRAP_WALK, (FTS64 *f, int o), (f, o))
TRAP_RARE(int, fts64_close, TRAP_WALK, (FTS64 *f), (f))
TRAP_RARE(unsigned, sleep, TRAP_SLEEP, (unsigned s), (s))
TRAP_RARE(int, usleep, TRAP_SLEEP, (useconds_t u), (u))
TRAP_COLD(void *, dlopen, shim_trap_all, (const char *p, int f), (p, f))
TRAP(void *, dlmopen, shim_trap_all, (Lmid_t l, const char *p, int f), (l, p, f))
/* the node name comes from uname() inside libc */
TRAP(int, gethostname, T(SYS_uname), (char *b, size_t n), (b, n))
TRAP(int, getdomainname, T(SYS_uname), (char *b, size_t n), (b, n))

/*
 * Reaching into another process: the modules refuse it outside the view
 * (modules/vfs/vfs_fence.c).  Under the supervisor trap mode is off for
 * the program, and its fence sees these calls (ptracer/tracer_fence.c).
 */
TRAP_RARE(ssize_t, process_vm_readv, T(SYS_process_vm_readv),
     (pid_t p, const struct iovec *l, unsigned long nl,
      const struct iovec *r, unsigned long nr, unsigned long f),
     (p, l, nl, r, nr, f))
TRAP_RARE(ssize_t, process_vm_writev, T(SYS_process_vm_writev),
     (pid_t p, const struct iovec *l, unsigned long nl,
      const struct iovec *r, unsigned long nr, unsigned long f),
     (p, l, nl, r, nr, f))
TRAP_RARE(int, pidfd_getfd, T(438), (int pidfd, int fd, unsigned int f),
     (pidfd, fd, f))

/* glibc's ptrace() is variadic: PID, ADDR and DATA follow the request */
long ptrace(enum __ptrace_request req, ...)
{
	long (*real)(enum __ptrace_request, ...) =
		SHIM_NEXT(long (*)(enum __ptrace_request, ...), "ptrace");
	va_list ap;
	pid_t pid;
	void *addr, *data;
	long ret;
	int tok;

	va_start(ap, req);
	pid = va_arg(ap, pid_t);
	addr = va_arg(ap, void *);
	data = va_arg(ap, void *);
	va_end(ap);
	if (!shim_trap_wanted(T(SYS_ptrace)))
		return real(req, pid, addr, data);
	tok = shim_trap_enter();
	ret = real(req, pid, addr, data);
	shim_trap_leave(tok);
	return ret;
}
