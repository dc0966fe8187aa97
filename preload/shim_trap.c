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
#include <ftw.h>
#include <glob.h>
#include <limits.h>
#include <grp.h>
#include <netdb.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mqueue.h>
#include <poll.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/sem.h>
#include <sys/socket.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <utime.h>

#include "shim.h"

/**
 * shim_trap_enter() - Enter trap mode for this thread
 *
 * Return: token for shim_trap_leave()
 */
int shim_trap_enter(void)
{
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

/*
 * What each function can make, as glibc 2.36 does it: trap mode only
 * when a module wants one of these.
 */
#define T(...)	((const short[]){ __VA_ARGS__, -1 })
#define TRAP_OPEN	T(SYS_openat, SYS_fcntl)
#define TRAP_REOPEN	T(SYS_openat, SYS_close, SYS_dup3, SYS_fcntl)
#define TRAP_DIR	T(SYS_openat, SYS_newfstatat, SYS_fcntl)
#define TRAP_DIRFD	T(SYS_newfstatat, SYS_fcntl)
#define TRAP_READDIR	T(SYS_getdents64)
#define TRAP_CLOSEDIR	T(SYS_close)
#define TRAP_SCAN	T(SYS_openat, SYS_newfstatat, SYS_getdents64, \
			  SYS_close, SYS_fcntl)
#define TRAP_REALPATH	T(SYS_readlink, SYS_newfstatat, SYS_getcwd)
#define TRAP_CWD	T(SYS_getcwd)
#define TRAP_WALK	T(SYS_openat, SYS_newfstatat, SYS_getdents64, \
			  SYS_close, SYS_fchdir, SYS_chdir, SYS_getcwd, \
			  SYS_fcntl)
#define TRAP_TEMP	T(SYS_openat, SYS_getrandom, SYS_clock_gettime, \
			  SYS_newfstatat, SYS_unlink, SYS_fcntl)
#define TRAP_TEMPDIR	T(SYS_mkdir, SYS_getrandom, SYS_clock_gettime)
#define TRAP_STATVFS	T(SYS_statfs, SYS_fstatfs, SYS_openat, SYS_read, \
			  SYS_close, SYS_newfstatat)
#define TRAP_ACCESS	T(SYS_faccessat, SYS_faccessat2, SYS_access, \
			  SYS_newfstatat)
#define TRAP_UTIME	T(SYS_utimensat)
#define TRAP_SLEEP	T(SYS_clock_nanosleep, SYS_nanosleep)
#define TRAP_FUTEX	T(SYS_futex, SYS_futex_waitv)
#define TRAP_TIMER	T(SYS_timer_settime, SYS_timer_gettime)
static const short trap_all[] = { -1 };

/* With the start-up code: every image's module load calls dlopen() */
static __attribute__((section(".text.unlikely"))) int
trap_wanted(const short *nrs)
{
	if (!shim.ready)
		shim_setup_now(-1);
	if (!shim.any || shim_tls.busy)
		return 0;
	if (nrs == trap_all)
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
#define TRAP(type, name, set, params, args)				\
	TRAP_AS(SHIM_HOT, type, name, set, params, args)
/* ...placed with the start-up code (dlopen(), which loads the modules) */
#define TRAP_COLD(type, name, set, params, args)			\
	TRAP_AS(SHIM_COLD, type, name, set, params, args)
#define TRAP_AS(attr, type, name, set, params, args)			\
	attr type name params						\
	{								\
		type (*real_) params = SHIM_NEXT(type(*) params, #name); \
		type ret_;						\
		int tok_;						\
									\
		if (!trap_wanted(set))					\
			return real_ args;				\
		tok_ = shim_trap_enter();				\
		ret_ = real_ args;					\
		shim_trap_leave(tok_);					\
		return ret_;						\
	}

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

TRAP(FILE *, fopen, TRAP_OPEN, (const char *p, const char *m), (p, m))
TRAP(FILE *, fopen64, TRAP_OPEN, (const char *p, const char *m), (p, m))
TRAP(FILE *, freopen, TRAP_REOPEN, (const char *p, const char *m, FILE *f),
     (p, m, f))
TRAP(FILE *, freopen64, TRAP_REOPEN, (const char *p, const char *m, FILE *f),
     (p, m, f))
TRAP(FILE *, tmpfile, TRAP_TEMP, (void), ())
TRAP(FILE *, tmpfile64, TRAP_TEMP, (void), ())
TRAP(DIR *, opendir, TRAP_DIR, (const char *p), (p))
TRAP(DIR *, fdopendir, TRAP_DIRFD, (int fd), (fd))

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

	if (!trap_wanted(TRAP_READDIR))
		return 0;
	if (!shim_listing.self)
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

SHIM_HOT int closedir(DIR *d)
{
	int (*real_)(DIR *) = SHIM_NEXT(int (*)(DIR *), "closedir");
	int ret_, tok_;

	if (shim_listing.self)
		shim_dir_forget(d);
	if (!trap_wanted(TRAP_CLOSEDIR))
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

	if (!p || !trap_wanted(TRAP_REALPATH) || !shim_realpath.self)
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

	if (p && trap_wanted(TRAP_REALPATH) && shim_realpath.self &&
	    shim_realpath_answer(p, r, &ret_) <= 0)
		return ret_;
	if (!trap_wanted(TRAP_REALPATH))
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
TRAP(char *, getcwd, TRAP_CWD, (char *b, size_t n), (b, n))
TRAP(char *, get_current_dir_name, TRAP_REALPATH, (void), ())
TRAP(int, ftw, TRAP_WALK, (const char *d, ftw_cb f, int n), (d, f, n))
TRAP(int, ftw64, TRAP_WALK, (const char *d, ftw64_cb f, int n), (d, f, n))
TRAP(int, nftw, TRAP_WALK, (const char *d, nftw_cb f, int n, int fl),
     (d, f, n, fl))
TRAP(int, nftw64, TRAP_WALK, (const char *d, nftw64_cb f, int n, int fl),
     (d, f, n, fl))
TRAP(int, mkstemp, TRAP_TEMP, (char *t), (t))
TRAP(int, mkstemp64, TRAP_TEMP, (char *t), (t))
TRAP(int, mkostemp, TRAP_TEMP, (char *t, int f), (t, f))
TRAP(int, mkostemp64, TRAP_TEMP, (char *t, int f), (t, f))
TRAP(int, mkstemps, TRAP_TEMP, (char *t, int s), (t, s))
TRAP(int, mkostemps, TRAP_TEMP, (char *t, int s, int f), (t, s, f))
TRAP(char *, mkdtemp, TRAP_TEMPDIR, (char *t), (t))
TRAP(int, glob, TRAP_SCAN, (const char *p, int f, globerr e, glob_t *g),
     (p, f, e, g))
TRAP(int, statvfs, TRAP_STATVFS, (const char *p, struct statvfs *b), (p, b))
TRAP(int, statvfs64, TRAP_STATVFS, (const char *p, struct statvfs64 *b), (p, b))
TRAP(long, pathconf, TRAP_STATVFS, (const char *p, int n), (p, n))
TRAP(int, euidaccess, TRAP_ACCESS, (const char *p, int m), (p, m))
TRAP(int, eaccess, TRAP_ACCESS, (const char *p, int m), (p, m))
TRAP(int, utimes, TRAP_UTIME, (const char *p, const struct timeval t[2]),
     (p, t))
TRAP(int, lutimes, TRAP_UTIME, (const char *p, const struct timeval t[2]),
     (p, t))
TRAP(int, futimes, TRAP_UTIME, (int fd, const struct timeval t[2]), (fd, t))
TRAP(int, utime, TRAP_UTIME, (const char *p, const struct utimbuf *t), (p, t))
TRAP(unsigned, sleep, TRAP_SLEEP, (unsigned s), (s))
TRAP(int, usleep, TRAP_SLEEP, (useconds_t u), (u))
TRAP_COLD(void *, dlopen, trap_all, (const char *p, int f), (p, f))
TRAP(void *, dlmopen, trap_all, (Lmid_t l, const char *p, int f), (l, p, f))
TRAP(struct passwd *, getpwnam, trap_all, (const char *n), (n))
TRAP(struct passwd *, getpwuid, trap_all, (uid_t u), (u))
TRAP(int, getpwnam_r, trap_all,
     (const char *n, struct passwd *p, char *b, size_t l, struct passwd **r),
     (n, p, b, l, r))
TRAP(int, getpwuid_r, trap_all,
     (uid_t u, struct passwd *p, char *b, size_t l, struct passwd **r),
     (u, p, b, l, r))
TRAP(struct group *, getgrnam, trap_all, (const char *n), (n))
TRAP(struct group *, getgrgid, trap_all, (gid_t g), (g))
TRAP(int, getgrouplist, trap_all, (const char *u, gid_t g, gid_t *l, int *n),
     (u, g, l, n))
TRAP(int, getaddrinfo, trap_all,
     (const char *n, const char *s, const struct addrinfo *h,
      struct addrinfo **r), (n, s, h, r))
TRAP(struct hostent *, gethostbyname, trap_all, (const char *n), (n))

/* timed waits: the futex or the timed syscall is made inside libc */
TRAP(int, sem_timedwait, TRAP_FUTEX, (sem_t *s, const struct timespec *t),
     (s, t))
TRAP(int, sem_clockwait, TRAP_FUTEX,
     (sem_t *s, clockid_t c, const struct timespec *t), (s, c, t))
TRAP(int, pthread_mutex_timedlock, TRAP_FUTEX,
     (pthread_mutex_t *m, const struct timespec *t), (m, t))
TRAP(int, pthread_cond_timedwait, TRAP_FUTEX,
     (pthread_cond_t *c, pthread_mutex_t *m, const struct timespec *t),
     (c, m, t))
TRAP(int, pthread_cond_clockwait, TRAP_FUTEX,
     (pthread_cond_t *c, pthread_mutex_t *m, clockid_t k,
      const struct timespec *t), (c, m, k, t))
TRAP(int, pthread_timedjoin_np, TRAP_FUTEX,
     (pthread_t th, void **r, const struct timespec *t), (th, r, t))
TRAP(int, timer_settime, TRAP_TIMER,
     (timer_t id, int f, const struct itimerspec *n, struct itimerspec *o),
     (id, f, n, o))
TRAP(int, timer_gettime, TRAP_TIMER, (timer_t id, struct itimerspec *c),
     (id, c))
TRAP(int, ppoll, T(SYS_ppoll),
     (struct pollfd *f, nfds_t n, const struct timespec *t,
      const sigset_t *m), (f, n, t, m))
TRAP(int, pselect, T(SYS_pselect6),
     (int n, fd_set *r, fd_set *w, fd_set *e, const struct timespec *t,
      const sigset_t *m), (n, r, w, e, t, m))
TRAP(int, epoll_pwait, T(SYS_epoll_pwait),
     (int fd, struct epoll_event *e, int n, int t, const sigset_t *m),
     (fd, e, n, t, m))
TRAP(int, sigtimedwait, T(SYS_rt_sigtimedwait),
     (const sigset_t *s, siginfo_t *i, const struct timespec *t), (s, i, t))
TRAP(int, semtimedop, T(SYS_semtimedop),
     (int id, struct sembuf *o, size_t n, const struct timespec *t),
     (id, o, n, t))
TRAP(ssize_t, mq_timedreceive, T(SYS_mq_timedreceive),
     (mqd_t q, char *b, size_t n, unsigned *p, const struct timespec *t),
     (q, b, n, p, t))
TRAP(int, mq_timedsend, T(SYS_mq_timedsend),
     (mqd_t q, const char *b, size_t n, unsigned p, const struct timespec *t),
     (q, b, n, p, t))
TRAP(int, recvmmsg, T(SYS_recvmmsg),
     (int fd, struct mmsghdr *v, unsigned n, int f, struct timespec *t),
     (fd, v, n, f, t))

/* the node name comes from uname() inside libc */
TRAP(int, gethostname, T(SYS_uname), (char *b, size_t n), (b, n))
TRAP(int, getdomainname, T(SYS_uname), (char *b, size_t n), (b, n))
