// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vtrace/vtrace_inproc.c - Recording inside the traced processes
 *				     (the preload backend)
 *
 * DOC: One trace from many processes
 *
 * Under `--backend preload` the module runs in every image of the view
 * (VTRACE_IMAGE) and once in facet itself (VTRACE_OWNER, the view's first
 * start).  What a supervisor keeps in one place lives in struct
 * vtrace_shared, a facet_env_shared() region every process maps:
 *  - the output: the owner makes -o FILE absolute (a process may chdir)
 *    and empties it; every image opens it again with O_APPEND, at fd
 *    VTRACE_FD_MIN or above, close-on-exec, and writes each record with
 *    one write(2), so records of different processes never mix inside a
 *    line (the kernel holds the file's lock for the whole write).  Output
 *    to stderr is facet's stderr, which facet leaves open, inheritable, at
 *    VTRACE_FD_MIN or above: every process writes through that one open
 *    file (one offset shared with facet and the program's own stderr, as
 *    under the ptracer), so the program redirecting its own stderr does
 *    not move the trace.  The program closing the fd (close(), dup2()
 *    onto it) is kept from doing so (vtrace_inproc_guard());
 *    close_range() closes it, and the next record opens it again (stderr
 *    then through /proc/<facet>/fd/N);
 *  - an execve's record straddles the image change: the old image
 *    decodes the call and leaves it in a pending slot; the new image's
 *    FACET_PROC_EXEC finds it by pid and writes "execve(...) = 0" (a
 *    failed execve returns in the old image, which writes it there);
 *  - whether the command has started (its first image writes the JSONL
 *    header), the number of threads traced (text on stderr shows
 *    "[pid N]" while there are several), and the --summary totals,
 *    which the owner prints when the view ends.
 *
 * DOC: Inside libc
 *
 * With every call caught, the callbacks run inside whatever libc function
 * made the call: setlocale() holding its lock, malloc() in the middle of
 * growing a heap.  So in an image the module takes no libc lock (no
 * strerror(), no localtime_r(): vtrace_inproc_localtime()) and allocates
 * nothing once started: slots, line buffers and tables are made in start()
 * (vtrace_inproc_reserve()), a FILE.PID is opened at the fork.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "vtrace.h"

#define VTRACE_FD_MIN		900

/* The program's own fd table stays as it would be without the trace */
static int vtrace_inproc_high(int fd)
{
	int hi;

	if (fd < 0 || fd >= VTRACE_FD_MIN)
		return fd;
	hi = fcntl(fd, F_DUPFD_CLOEXEC, VTRACE_FD_MIN);
	if (hi < 0)
		return fd;
	close(fd);
	return hi;
}

/* -o FILE as an absolute path: images may run in another directory */
static int vtrace_inproc_abspath(struct vtrace *v, struct facet_err *err)
{
	char dir[PATH_MAX], base[PATH_MAX], real[PATH_MAX];

	if (!v->output[0] || v->output[0] == '/') {
		snprintf(v->sh->output, sizeof(v->sh->output), "%s",
			 v->output);
		return 0;
	}
	snprintf(dir, sizeof(dir), "%s", v->output);
	snprintf(base, sizeof(base), "%s", v->output);
	if (!realpath(dirname(dir), real))
		return facet_err_set(err, errno, "vtrace: cannot write the "
				     "trace to %s: %s", v->output,
				     strerror(errno));
	if (snprintf(v->sh->output, sizeof(v->sh->output), "%s/%s", real,
		     basename(base)) >= (int)sizeof(v->sh->output))
		return facet_err_set(err, ENAMETOOLONG, "vtrace: output file "
				     "name too long");
	return 0;
}

#define VTRACE_RESERVE_SLOTS	4

/* The local time's offset from UTC now, in facet */
static long vtrace_inproc_gmtoff(void)
{
	time_t now = time(NULL);
	struct tm tm;

	return localtime_r(&now, &tm) ? tm.tm_gmtoff : 0;
}

/* Everything an image's callbacks may need, made before they run */
static void vtrace_inproc_reserve(struct vtrace *v)
{
	int i;

	/* facet's offset, not localtime_r() here: that would load the time
	 * zone into the program's libc, whose own tzset() would then open
	 * no /etc/localtime, and the trace would lack those calls */
	v->gmtoff = v->sh->gmtoff;
	vtrace_buf_reserve(&v->line, 65536);
	vtrace_buf_reserve(&v->retstr, 4096);
	for (i = 0; i < VTRACE_RESERVE_SLOTS; i++) {
		struct vtrace_slot *s = calloc(1, sizeof(*s));

		if (!s)
			break;
		vtrace_buf_reserve(&s->args, VTRACE_PENDING_ARGS);
		s->next = v->free;
		v->free = s;
	}
	v->files_cap = 4;
	v->files = calloc(v->files_cap, sizeof(*v->files));
	if (!v->files)
		v->files_cap = 0;
	if (v->format == VTRACE_PERFETTO) {
		v->ntids = 4096;
		v->tids = calloc(v->ntids, sizeof(*v->tids));
		if (!v->tids)
			v->ntids = 0;
	}
}

/**
 * vtrace_inproc_localtime() - localtime_r() without its lock
 * @v:		Module state (the offset from UTC taken at start)
 * @sec:	Seconds since the epoch
 * @tm:		Filled: hours, minutes, seconds
 */
void vtrace_inproc_localtime(const struct vtrace *v, time_t sec,
			     struct tm *tm)
{
	long day = (long)((sec + v->gmtoff) % 86400);

	if (day < 0)
		day += 86400;
	tm->tm_hour = (int)(day / 3600);
	tm->tm_min = (int)(day / 60 % 60);
	tm->tm_sec = (int)(day % 60);
}

/* facet: its stderr, inheritable at a high number, for every process */
static void vtrace_inproc_share_stderr(struct vtrace *v)
{
	struct stat st;
	int fd = fcntl(2, F_DUPFD, VTRACE_FD_MIN);

	if (fd < 0 || fstat(fd, &st) < 0) {
		if (fd >= 0)
			close(fd);
		return;
	}
	v->sh->err_fd = fd;
	v->sh->err_dev = st.st_dev;
	v->sh->err_ino = st.st_ino;
}

/* An image: facet's stderr as inherited, or opened again */
static int vtrace_inproc_stderr(struct vtrace *v)
{
	int fd = v->sh->err_fd;
	struct stat st;
	char proc[64];

	if (fd >= 0 && fstat(fd, &st) == 0 && st.st_dev == v->sh->err_dev &&
	    st.st_ino == v->sh->err_ino)
		return fd;
	snprintf(proc, sizeof(proc), "/proc/%d/fd/%d", v->sh->owner,
		 fd >= 0 ? fd : 2);
	fd = open(proc, O_WRONLY | O_APPEND | O_CLOEXEC);
	if (fd < 0)	/* a socket, say: our own stderr then */
		fd = fcntl(2, F_DUPFD_CLOEXEC, 0);
	return fd < 0 ? -errno : vtrace_inproc_high(fd);
}

/*
 * A ptracer that took over a static program from a preload view joins
 * its trace: same file, no second header, summary totals to the view's.
 */
static int vtrace_inproc_join(struct vtrace *v, struct facet_env *env)
{
	struct vtrace_shared *sh;

	if (facet_env_first(env))
		return 0;
	sh = facet_env_shared(env, "vtrace", sizeof(*sh));
	if (!sh || !sh->owner)
		return 0;
	v->sh = sh;
	v->joined = 1;
	v->start = sh->start;
	if (v->output[0])
		snprintf(v->output, sizeof(v->output), "%s", sh->output);
	return 0;
}

/**
 * vtrace_inproc_start() - Take the role start() has under preload
 * @v:		Module state, options parsed
 * @env:	The environment
 * @err:	Error message
 *
 * Return: 0 or -errno
 */
int vtrace_inproc_start(struct vtrace *v, struct facet_env *env,
			struct facet_err *err)
{
	if (strcmp(facet_env_backend(env), "preload")) {
		v->role = VTRACE_SUPERVISOR;
		return vtrace_inproc_join(v, env);
	}
	v->sh = facet_env_shared(env, "vtrace", sizeof(*v->sh));
	if (!v->sh)
		return facet_err_set(err, ENOMEM, "vtrace: no shared memory "
				     "for the trace: use --backend ptrace");
	facet_env_catch_all(env);
	v->nthreads = 1;
	if (!facet_env_first(env)) {
		v->role = VTRACE_IMAGE;
		vtrace_sockdiag_in_program = 1;
		v->started = __atomic_load_n(&v->sh->started, __ATOMIC_ACQUIRE);
		v->start = v->sh->start;
		vtrace_inproc_reserve(v);
		return 0;
	}
	v->role = VTRACE_OWNER;
	v->sh->owner = getpid();
	v->sh->start = v->start;
	v->sh->gmtoff = vtrace_inproc_gmtoff();
	v->sh->err_fd = -1;
	if (!v->output[0] && !v->per_process)
		vtrace_inproc_share_stderr(v);
	return vtrace_inproc_abspath(v, err);
}

/**
 * vtrace_inproc_open() - Open an output file in an image
 * @v:		Module state
 * @path:	FILE or FILE.PID (absolute); NULL for facet's stderr
 * @fresh:	Empty it (a FILE.PID of a process new in this view)
 *
 * Return: the fd, at VTRACE_FD_MIN or above when it can be (facet's
 * stderr: inheritable, the others close-on-exec), or -errno
 */
int vtrace_inproc_open(struct vtrace *v, const char *path, int fresh)
{
	int fd;

	if (!path)
		return vtrace_inproc_stderr(v);
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC |
		  (fresh ? O_TRUNC : 0), 0644);
	if (fd < 0)
		return -errno;
	return vtrace_inproc_high(fd);
}

/* The program closed @f's fd (close_range()): open the file again */
static int vtrace_inproc_reopen(struct vtrace *v, struct vtrace_file *f)
{
	char path[PATH_MAX + 16];
	int fd;

	if (f->pid)
		snprintf(path, sizeof(path), "%s.%d", v->sh->output, f->pid);
	fd = vtrace_inproc_open(v, f->pid ? path : v->sh->output[0] ?
				v->sh->output : NULL, 0);
	if (fd < 0)
		return fd;
	if (fd != f->fd && dup3(fd, f->fd, O_CLOEXEC) >= 0)
		close(fd);
	else
		f->fd = fd;
	return 0;
}

/**
 * vtrace_inproc_write() - Write whole records with one write(2)
 * @v:		Module state
 * @f:		The file
 * @p:		The records
 * @n:		Their length
 *
 * A file the program closed (close_range()) is opened again; one that
 * cannot be written is left for facet to report (vtrace_outbuf_failed()).
 */
void vtrace_inproc_write(struct vtrace *v, struct vtrace_file *f,
			 const char *p, size_t n)
{
	char name[PATH_MAX + 16];
	ssize_t w;
	int ret;

	if (f->failed)
		return;
	w = write(f->fd, p, n);
	if (w < 0 && errno == EBADF && vtrace_inproc_reopen(v, f) == 0)
		w = write(f->fd, p, n);
	if (w < 0)
		ret = -errno;
	else if ((size_t)w < n)		/* a short write: the rest */
		ret = vtrace_write(f->fd, p + w, n - (size_t)w);
	else
		ret = 0;
	if (!ret)
		return;
	f->failed = 1;		/* said once, by facet at the end */
	vtrace_outbuf_name(v, f->pid, name, sizeof(name));
	vtrace_outbuf_failed(v, name, -ret);
}

#define VTRACE_INPROC_AGE	0.1	/* seconds */

/* Write out what @f gathered */
static void vtrace_inproc_flush_file(struct vtrace *v, struct vtrace_file *f)
{
	struct vtrace_outslot *s = f->kept;

	if (!s->len)
		return;
	vtrace_inproc_write(v, f, s->data, s->len);
	__atomic_store_n(&s->len, 0, __ATOMIC_RELEASE);
}

/**
 * vtrace_inproc_put() - Hand a record to an output file
 * @v:		Module state
 * @f:		The file
 * @p:		The record, whole
 * @n:		Its length
 *
 * Records to a -o file are gathered, up to 4 KiB, in the view's shared
 * memory (vtrace_outslot.c: facet writes them out if the process is
 * killed), and written whole with one write(2) when the buffer is full,
 * when a recorded call starts and the oldest record is older than 100
 * ms, before a fork or an execve (so that a child does not inherit them,
 * and an exec does not lose them) and when the process ends.  stderr is
 * written per record, as strace's.
 */
void vtrace_inproc_put(struct vtrace *v, struct vtrace_file *f,
		       const char *p, size_t n)
{
	struct vtrace_outslot *s = f->kept;

	if (!s || n > sizeof(s->data)) {
		if (s)
			vtrace_inproc_flush_file(v, f);
		vtrace_inproc_write(v, f, p, n);
		return;
	}
	if (s->len + n > sizeof(s->data))
		vtrace_inproc_flush_file(v, f);
	if (!v->out_since)
		v->out_since = vtrace_now();
	memcpy(s->data + s->len, p, n);
	/* the length last: facet writes out only whole records */
	__atomic_store_n(&s->len, s->len + (unsigned int)n, __ATOMIC_RELEASE);
}

/**
 * vtrace_inproc_flush() - Write out what the files hold
 * @v:		Module state
 */
void vtrace_inproc_flush(struct vtrace *v)
{
	int i;

	for (i = 0; i < v->nfiles; i++)
		if (v->files[i].kept)
			vtrace_inproc_flush_file(v, &v->files[i]);
	v->out_since = 0;
}

/**
 * vtrace_inproc_flush_old() - Write out records older than 100 ms
 * @v:		Module state
 */
void vtrace_inproc_flush_old(struct vtrace *v)
{
	if (v->out_since && vtrace_now() - v->out_since > VTRACE_INPROC_AGE)
		vtrace_inproc_flush(v);
}

static int vtrace_inproc_ours(const struct vtrace *v, long fd)
{
	int i;

	for (i = 0; i < v->nfiles; i++)
		if (v->files[i].fd == fd && fd != 2)
			return 1;
	return 0;
}

/**
 * vtrace_inproc_guard() - Keep the program's calls off the trace's fds
 * @v:		Module state
 * @call:	A call at entry
 *
 * close() of a trace fd fails with EBADF, as it would without the trace
 * (the call is made on fd -1); dup2() or dup3() onto one moves the
 * trace's file to another number first.
 */
void vtrace_inproc_guard(struct vtrace *v, struct facet_call *call)
{
	long nr = facet_nr(call);
	int i, fd;

	if (nr == SYS_close && vtrace_inproc_ours(v, facet_arg(call, 0))) {
		facet_set_arg(call, 0, -1);
		return;
	}
	if ((nr != SYS_dup2 && nr != SYS_dup3) ||
	    !vtrace_inproc_ours(v, facet_arg(call, 1)))
		return;
	for (i = 0; i < v->nfiles; i++) {
		if (v->files[i].fd != facet_arg(call, 1))
			continue;
		fd = fcntl(v->files[i].fd, F_DUPFD_CLOEXEC, VTRACE_FD_MIN);
		if (fd >= 0)
			v->files[i].fd = fd;
	}
}

/**
 * vtrace_inproc_exec_save() - Leave an execve for the image it starts
 * @v:		Module state
 * @s:		The call, decoded at entry
 */
void vtrace_inproc_exec_save(struct vtrace *v, struct vtrace_slot *s)
{
	struct vtrace_pending *p;
	pid_t none;
	int i;

	for (i = 0; i < VTRACE_PENDING; i++) {
		p = &v->sh->pending[i];
		none = 0;
		if (__atomic_compare_exchange_n(&v->sh->pending_pid[i], &none,
						s->pid, 0,
						__ATOMIC_ACQ_REL,
						__ATOMIC_RELAXED))
			break;
	}
	s->pending = i < VTRACE_PENDING ? i + 1 : 0;
	if (!s->pending)
		return;
	p->tid = s->tid;
	p->nr = s->nr;
	p->nargs = s->nargs;
	p->ts = s->ts;
	p->t0 = s->t0;
	p->cpu0 = s->cpu0;
	p->hidden = s->hidden;
	p->nthreads = v->nthreads;
	memcpy(p->off, s->off, sizeof(p->off));
	memcpy(p->len, s->len, sizeof(p->len));
	p->args_len = s->args.len < sizeof(p->args) ? s->args.len :
		      sizeof(p->args);
	memcpy(p->args, s->args.p, p->args_len);
	for (i = 0; i < 6; i++)		/* cut, not past the end */
		if (p->off[i] != ~0u && p->off[i] + p->len[i] > p->args_len)
			p->len[i] = p->off[i] < p->args_len ?
				    (unsigned)(p->args_len - p->off[i]) : 0;
	p->npaths = s->npaths > 0;
	snprintf(p->path, sizeof(p->path), "%s",
		 s->npaths > 0 ? s->paths[0] : "");
}

/**
 * vtrace_inproc_exec_drop() - The execve returned: no image takes it
 * @v:		Module state
 * @s:		The call
 */
void vtrace_inproc_exec_drop(struct vtrace *v, struct vtrace_slot *s)
{
	if (!s->pending)
		return;
	__atomic_store_n(&v->sh->pending_pid[s->pending - 1], 0,
			 __ATOMIC_RELEASE);
	s->pending = 0;
}

/**
 * vtrace_inproc_exec_take() - The execve that started this image
 * @v:		Module state
 * @pid:	This process
 * @s:		Filled with the call
 *
 * Return: 1 if there was one, else 0
 */
int vtrace_inproc_exec_take(struct vtrace *v, pid_t pid,
			    struct vtrace_slot *s)
{
	struct vtrace_pending *p;
	int i;

	for (i = 0; i < VTRACE_PENDING; i++)
		if (__atomic_load_n(&v->sh->pending_pid[i],
				    __ATOMIC_ACQUIRE) == pid)
			break;
	if (i == VTRACE_PENDING)
		return 0;
	p = &v->sh->pending[i];
	s->pid = pid;
	s->tid = p->tid;
	s->nr = p->nr;
	s->nargs = p->nargs;
	s->ts = p->ts;
	s->t0 = p->t0;
	s->cpu0 = p->cpu0;
	s->hidden = p->hidden;
	memcpy(s->off, p->off, sizeof(s->off));
	memcpy(s->len, p->len, sizeof(s->len));
	s->args.len = 0;
	vtrace_buf_put(&s->args, p->args, p->args_len);
	s->npaths = p->npaths;
	snprintf(s->paths[0], sizeof(s->paths[0]), "%s", p->path);
	s->fd_path[0] = s->sockaddr[0] = '\0';
	s->stack.len = 0;
	s->announced = 0;
	s->xlen = s->tlen = s->dlen = 0;
	s->pending = 0;
	/* the old image's other threads ended with it, unseen */
	if (p->nthreads > 1)
		vtrace_inproc_live(v, 1 - p->nthreads);
	__atomic_store_n(&v->sh->pending_pid[i], 0, __ATOMIC_RELEASE);
	return 1;
}

/**
 * vtrace_inproc_count() - Add a call to the view's --summary totals
 * @v:		Module state
 * @nr:		Syscall
 * @ret:	Result
 * @dur:	Seconds in the call
 */
void vtrace_inproc_count(struct vtrace *v, long nr, long ret, double dur)
{
	struct vtrace_shared_count *c = &v->sh->counts[nr];
	uint64_t ns = (uint64_t)(dur * 1e9), old;

	__atomic_add_fetch(&c->calls, 1, __ATOMIC_RELAXED);
	if (ret < 0 && ret > -4096)
		__atomic_add_fetch(&c->errors, 1, __ATOMIC_RELAXED);
	__atomic_add_fetch(&c->ns, ns, __ATOMIC_RELAXED);
	/* the shortest and longest call, for -U min-time, max-time */
	old = __atomic_load_n(&c->min_ns1, __ATOMIC_RELAXED);
	while ((!old || ns + 1 < old) &&
	       !__atomic_compare_exchange_n(&c->min_ns1, &old, ns + 1, 1,
					    __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		;
	old = __atomic_load_n(&c->max_ns, __ATOMIC_RELAXED);
	while (ns > old &&
	       !__atomic_compare_exchange_n(&c->max_ns, &old, ns, 1,
					    __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		;
}

/**
 * vtrace_inproc_totals() - The view's --summary totals, for the owner
 * @v:		Module state; its counts are replaced
 */
void vtrace_inproc_totals(struct vtrace *v)
{
	int nr;

	for (nr = 0; nr < FACET_NR_MAX; nr++) {
		v->counts[nr].calls = v->sh->counts[nr].calls;
		v->counts[nr].errors = v->sh->counts[nr].errors;
		v->counts[nr].time = v->sh->counts[nr].ns / 1e9;
		v->counts[nr].min = v->sh->counts[nr].min_ns1 ?
				    (v->sh->counts[nr].min_ns1 - 1) / 1e9 : 0;
		v->counts[nr].max = v->sh->counts[nr].max_ns / 1e9;
	}
}

/**
 * vtrace_inproc_live() - Threads traced in the whole view
 * @v:		Module state
 * @delta:	Change (new thread or process +1, ended -n)
 *
 * Return: the number after the change
 */
int vtrace_inproc_live(struct vtrace *v, int delta)
{
	return __atomic_add_fetch(&v->sh->live, delta, __ATOMIC_RELAXED);
}

/**
 * vtrace_inproc_threads_end() - exit_group(): the other threads end too
 * @v:		Module state
 * @pid:	This process
 * @status:	Its wait status, which the kernel gives its threads too
 *
 * Each thread but the first gets its "+++ exited with N +++", as strace
 * shows them; they are still there at the call's entry, so they are read
 * from /proc/self/task (with getdents64 into the stack: no libc lock, no
 * allocation).
 */
void vtrace_inproc_threads_end(struct vtrace *v, pid_t pid, int status)
{
	char buf[4096];
	long n, i;
	int fd;

	if (v->nthreads < 2)
		return;
	fd = open("/proc/self/task", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return;
	while ((n = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
		for (i = 0; i < n;) {
			struct dirent64 *d = (struct dirent64 *)(buf + i);
			pid_t tid = (pid_t)atoi(d->d_name);

			/* counted out after its line, as a thread exit() */
			if (tid > 0 && tid != pid && v->nthreads > 1) {
				vtrace_out_exit(v, pid, tid, status);
				v->nthreads--;
				vtrace_inproc_live(v, -1);
			}
			i += d->d_reclen;
		}
	}
	close(fd);
}
