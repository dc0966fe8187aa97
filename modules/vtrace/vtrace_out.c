// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vtrace/vtrace_out.c - Records as text, JSON lines or trace
 *				  events, each written whole
 *
 * DOC: Output files
 *
 * One file (stderr by default, or -o FILE), or with --per-process one file
 * FILE.PID per process, opened at its first event.  Files are opened for
 * appending, and emptied only by the view's first start (a backend that
 * runs the module in each process opens them again after each exec).
 * Each record is built in one buffer and handed whole to the file's
 * output buffer (vtrace_outbuf.c), so only the last line of a trace cut
 * short can be a record cut short (see there).  The perfetto
 * format is one JSON object whose traceEvents array is closed at the end.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../core/xlat.h"
#include "vtrace.h"

static int vtrace_open_path(struct vtrace *v, const char *path,
			    struct facet_err *err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC |
		      (v->first ? O_TRUNC : 0), 0644);

	if (fd < 0)
		return facet_err_set(err, errno, "vtrace: cannot write the "
				     "trace to %s: %s", path, strerror(errno));
	return fd;
}

/*
 * Add an output file; perfetto files start their event array.  Under
 * preload (vtrace_inproc.c) the shared file is started by facet, and its
 * first event is the command's first image's (written before any other
 * process of the command exists); every other process writes its events
 * with a leading comma, whatever order they land in.  A FILE.PID is
 * started by the process that finds it empty (@empty), which is also
 * when a JSONL one needs its header.
 */
static struct vtrace_file *vtrace_file_add(struct vtrace *v, pid_t pid,
					   int fd, int empty)
{
	int inview = v->role != VTRACE_SUPERVISOR || v->joined;
	int start = !inview || (v->role == VTRACE_OWNER && !pid) ||
		    (v->role != VTRACE_OWNER && pid && empty);
	struct vtrace_file *f;

	if (v->nfiles == v->files_cap) {
		v->files_cap = v->files_cap ? 2 * v->files_cap : 4;
		f = realloc(v->files, v->files_cap * sizeof(*f));
		if (!f)
			abort();
		v->files = f;
	}
	f = &v->files[v->nfiles++];
	memset(f, 0, sizeof(*f));
	f->pid = pid;
	f->fd = fd;
	/* under preload, the shared file's header is the first image's */
	f->header = inview && (!pid || !empty);
	/* facet's own records (+++ killed by +++) come after the first */
	f->events = !start || v->role == VTRACE_OWNER;
	if (v->role == VTRACE_IMAGE && v->sh->output[0] && fd >= 0)
		vtrace_outslot_claim(v, f);	/* gathered */
	if (!start || fd < 0 || v->format != VTRACE_PERFETTO ||
	    v->summary == VTRACE_SUM_ONLY)
		return f;
	vtrace_file_write(v, f, "{\"displayTimeUnit\":\"ns\",\"traceEvents\":"
			  "[\n", 39);
	return f;
}

/*
 * --per-process: FILE.PID files are made as processes start, so a
 * directory they cannot be made in is an error before the command runs
 * (facet itself checks: a preload image or a supervisor that joined a
 * preload view finds it checked).
 */
static int vtrace_out_dir_check(struct vtrace *v, struct facet_err *err)
{
	char dir[PATH_MAX];
	char *slash;

	if (v->role == VTRACE_IMAGE || v->joined)
		return 0;
	snprintf(dir, sizeof(dir), "%s", v->output);
	slash = strrchr(dir, '/');
	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else
		slash[slash == dir] = '\0';	/* "/x": "/" */
	if (access(dir, W_OK | X_OK) < 0)
		return facet_err_set(err, errno, "vtrace: cannot write the "
				     "trace files %s.PID in %s: %s",
				     v->output, dir, strerror(errno));
	return 0;
}

/**
 * vtrace_out_open() - Open the output at start()
 * @v:		Module state with its options
 * @err:	Error message
 *
 * Return: 0 or -errno
 */
int vtrace_out_open(struct vtrace *v, struct facet_err *err)
{
	int fd = 2;

	if (v->per_process && !v->output[0])
		return facet_err_set(err, EINVAL, "vtrace: --per-process "
				     "writes FILE.PID files: give -o FILE");
	if (v->per_process)
		return vtrace_out_dir_check(v, err);
	if (v->role == VTRACE_IMAGE || (v->joined && !v->output[0])) {
		fd = vtrace_inproc_open(v, v->sh->output[0] ? v->sh->output :
					NULL, 0);
		if (fd < 0)
			return facet_err_set(err, -fd, "vtrace: cannot write "
					     "the trace to %s: %s",
					     v->sh->output[0] ? v->sh->output :
					     "facet's stderr", strerror(-fd));
	} else if (v->output[0]) {
		fd = vtrace_open_path(v, v->output, err);
		if (fd < 0)
			return fd;
	}
	vtrace_file_add(v, 0, fd, 1);
	return 0;
}

/*
 * The file for events of thread @tid of process @pid: the one output, or
 * FILE.PID (--per-process), or FILE.TID (--per-thread, strace -ff).  In
 * an image, a process new to the view empties its file, and so does every
 * thread but the first (threads do not outlive an exec).
 */
static struct vtrace_file *vtrace_file(struct vtrace *v, pid_t pid,
				       pid_t tid)
{
	pid_t key = v->per_thread ? tid : pid;
	char path[PATH_MAX + 16];
	struct vtrace_file *f;
	struct stat st;
	int i, fd;

	if (!v->per_process)
		return v->nfiles ? &v->files[0] : NULL;
	for (i = 0; i < v->nfiles; i++)
		if (v->files[i].pid == key)
			return &v->files[i];
	if (v->role == VTRACE_IMAGE) {
		snprintf(path, sizeof(path), "%s.%d", v->sh->output, key);
		fd = vtrace_inproc_open(v, path, v->fresh || key != pid);
		errno = fd < 0 ? -fd : 0;
	} else if (v->role == VTRACE_OWNER) {
		/* preload: a killed process's end line, in the file the
		 * process made and wrote (emptying it lost its trace) */
		snprintf(path, sizeof(path), "%s.%d", v->sh->output, key);
		fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
			  0644);
	} else {
		snprintf(path, sizeof(path), "%s.%d", v->output, key);
		fd = vtrace_open_path(v, path, NULL);
	}
	if (fd < 0) {	/* said once; the process's events are dropped */
		vtrace_outbuf_failed(v, path, errno);
		f = vtrace_file_add(v, key, -1, 0);
		f->failed = 1;
		return f;
	}
	if (key == pid)
		v->fresh = 0;
	return vtrace_file_add(v, key, fd,
			       fstat(fd, &st) < 0 || st.st_size == 0);
}

/**
 * vtrace_out_prepare() - Open @pid's file now, if it has one of its own
 * @v:		Module state
 * @pid:	A process new to the view
 *
 * Under preload, at the fork: not later, inside some libc function.
 */
void vtrace_out_prepare(struct vtrace *v, pid_t pid)
{
	if (!v->per_process)
		return;
	pthread_mutex_lock(&v->out_lock);
	vtrace_file(v, pid, pid);
	pthread_mutex_unlock(&v->out_lock);
}

/* JSONL: the header line, before a file's first record */
static void vtrace_header(struct vtrace *v, struct vtrace_buf *b)
{
	char t[VTRACE_FIXED];

	vtrace_buf_printf(b, "{\"type\":\"header\",\"v\":1,\"facet\":\"%s\","
			  "\"argv\":%s,\"start\":%s}\n", FACET_VERSION,
			  v->argv.len ? v->argv.p : "[]",
			  vtrace_fixed(t, v->start, 6));
}

/* Write v->line to the file of thread @tid of @pid, with what must come
 * before it */
static void vtrace_emit(struct vtrace *v, pid_t pid, pid_t tid)
{
	struct vtrace_file *f;

	if (v->summary == VTRACE_SUM_ONLY || !v->line.len)
		return;
	pthread_mutex_lock(&v->out_lock);
	f = vtrace_file(v, pid, tid);
	if (!f)
		goto out;
	if (v->format == VTRACE_JSONL && !f->header) {
		struct vtrace_buf h = { 0 };

		/*
		 * Written at once, not gathered: a process killed by a
		 * signal loses its gathered records, and a file without its
		 * header is not a trace (facet report refuses it).  Nothing
		 * of this file is gathered yet, so the order holds.
		 */
		vtrace_header(v, &h);
		vtrace_file_write(v, f, h.p, h.len);
		vtrace_buf_free(&h);
		f->header = 1;
		vtrace_outbuf_put(v, f, v->line.p, v->line.len);
	} else if (v->format == VTRACE_PERFETTO && f->events) {
		v->line.p[0] = ',';	/* the line starts with a space */
		vtrace_outbuf_put(v, f, v->line.p, v->line.len);
	} else {
		vtrace_outbuf_put(v, f, v->line.p, v->line.len);
	}
	f->events++;
out:
	pthread_mutex_unlock(&v->out_lock);
}

/*
 * Text: the thread and the timestamp.  As strace -f: "1234  " in a file
 * (pid-prefix=several, strace -p without -f: while several are traced);
 * on stderr "[pid  1234] " while several threads are traced, else nothing;
 * nothing in a file of one thread's (strace -ff).  With -n the call's
 * number @nr follows (-1: the thread's last call's, for lines that are
 * not a call's), and with -i the instruction pointer @ip (0: none).
 */
static void vtrace_text_prefix(struct vtrace *v, struct vtrace_buf *b,
			       pid_t pid, double ts, long nr, uint64_t ip)
{
	time_t sec = (time_t)ts;
	long usec = (long)((ts - (double)sec) * 1e6);
	struct tm tm;
	double d;

	if (v->per_thread)
		;
	else if (v->output[0] && (!v->pid_several ||
				  (v->sh ? v->sh->live : v->live) > 1))
		vtrace_buf_printf(b, "%-5d ", pid);
	else if (v->output[0])
		;
	else if ((v->sh ? v->sh->live : v->live) > 1)
		vtrace_buf_printf(b, "[pid %5d] ", pid);
	switch (v->tsmode) {
	case VTRACE_TS_T:
	case VTRACE_TS_TT:
		if (v->role == VTRACE_IMAGE)	/* localtime_r() locks */
			vtrace_inproc_localtime(v, sec, &tm);
		else
			localtime_r(&sec, &tm);
		vtrace_buf_printf(b, "%02d:%02d:%02d", tm.tm_hour, tm.tm_min,
				  tm.tm_sec);
		if (v->tsmode == VTRACE_TS_TT)
			vtrace_buf_printf(b, ".%06ld", usec);
		vtrace_buf_puts(b, " ");
		break;
	case VTRACE_TS_TTT:
		vtrace_buf_printf(b, "%lld.%06ld ", (long long)sec, usec);
		break;
	}
	/*
	 * Records are written in the order calls end, each with its start:
	 * one that started before the previous record's is 0 after it (as
	 * strace's, stamped when its line is begun, never goes back)
	 */
	if (v->ts_rel) {
		d = v->last_ts && ts > v->last_ts ? ts - v->last_ts : 0;
		vtrace_buf_printf(b, v->tsmode ? "(+%6ld.%06ld) " :
				  "%6ld.%06ld ", (long)d,
				  (long)((d - (long)d) * 1e6));
		if (ts > v->last_ts)
			v->last_ts = ts;
	}
	if (v->sysnum)
		vtrace_sysnum_put(v, b, pid, nr);
	if (v->show_ip)
		vtrace_ip_put(b, ip);
}

static void vtrace_json_args(struct vtrace_buf *b, struct vtrace_slot *s,
			     int nargs)
{
	int i, first = 1;

	vtrace_buf_puts(b, "\"args\":[");
	for (i = 0; i < nargs; i++) {
		if (s->off[i] == ~0u)
			continue;
		vtrace_buf_puts(b, first ? "\"" : ",\"");
		vtrace_buf_json(b, s->args.p + s->off[i], s->len[i]);
		vtrace_buf_puts(b, "\"");
		first = 0;
	}
	vtrace_buf_puts(b, "]");
}

static void vtrace_json_str(struct vtrace_buf *b, const char *key,
			    const char *val)
{
	vtrace_buf_printf(b, ",\"%s\":\"", key);
	vtrace_buf_json(b, val, strlen(val));
	vtrace_buf_puts(b, "\"");
}

static void vtrace_json_classes(struct vtrace_buf *b, uint32_t classes)
{
	int bit, first = 1;

	vtrace_buf_puts(b, ",\"classes\":[");
	for (bit = 0; bit < 32; bit++) {
		const char *name = facet_class_name(1u << bit);

		if (!(classes & (1u << bit)) || !name)
			continue;
		vtrace_buf_printf(b, "%s\"%s\"", first ? "" : ",", name);
		first = 0;
	}
	vtrace_buf_puts(b, "]");
}

/* "stack":["frame",...] from the frames' lines */
static void vtrace_json_stack(struct vtrace_buf *b,
			      const struct vtrace_buf *stack)
{
	const char *p = stack->p, *end = stack->p + stack->len;

	vtrace_buf_puts(b, ",\"stack\":[");
	while (p < end) {
		const char *nl = memchr(p, '\n', end - p);
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		vtrace_buf_puts(b, p == stack->p ? "\"" : ",\"");
		vtrace_buf_json(b, p, n);
		vtrace_buf_puts(b, "\"");
		p += n + 1;
	}
	vtrace_buf_puts(b, "]");
}

static void vtrace_syscall_jsonl(struct vtrace *v, struct vtrace_slot *s,
				 long ret, const char *retstr, double dur,
				 int noreturn)
{
	const struct facet_syscall *sc = facet_syscall(s->nr);
	int i, err = !noreturn && ret < 0 && ret > -4096;
	char t1[VTRACE_FIXED], t2[VTRACE_FIXED];
	struct vtrace_buf *b = &v->line;

	vtrace_buf_printf(b, "{\"type\":\"syscall\",\"v\":1,\"ts\":%s,"
			  "\"rel\":%s,\"pid\":%d,\"tid\":%d,\"name\":\"%s\","
			  "\"nr\":%ld,", vtrace_fixed(t1, s->ts, 6),
			  vtrace_fixed(t2, s->ts - v->start, 6), s->pid,
			  s->tid, sc->name, s->nr);
	vtrace_json_args(b, s, s->nargs);
	if (!noreturn)
		vtrace_buf_printf(b, ",\"ret\":%ld", err ? -1 : ret);
	vtrace_json_str(b, "retstr", retstr);
	if (err && vtrace_errname(-ret))
		vtrace_buf_printf(b, ",\"errno\":\"%s\"", vtrace_errname(-ret));
	vtrace_buf_printf(b, ",\"dur\":%s", vtrace_fixed(t1, dur, 6));
	vtrace_json_classes(b, sc->classes);
	if (s->npaths) {
		vtrace_buf_puts(b, ",\"paths\":[");
		for (i = 0; i < s->npaths; i++) {
			vtrace_buf_puts(b, i ? ",\"" : "\"");
			vtrace_buf_json(b, s->paths[i], strlen(s->paths[i]));
			vtrace_buf_puts(b, "\"");
		}
		vtrace_buf_puts(b, "]");
	}
	if (s->fd_path[0])
		vtrace_json_str(b, "fd_path", s->fd_path);
	if (s->sockaddr[0])
		vtrace_json_str(b, "sockaddr", s->sockaddr);
	if (s->stack.len)
		vtrace_json_stack(b, &s->stack);
	vtrace_buf_puts(b, "}\n");
}

/* Text: arguments [@from, @to) joined by ", "; whether any was written */
static int vtrace_text_args(struct vtrace_buf *b, const struct vtrace_slot *s,
			    int from, int to)
{
	int i, first = 1;

	for (i = from; i < to; i++) {
		if (s->off[i] == ~0u)
			continue;
		if (!first)
			vtrace_buf_puts(b, ", ");
		vtrace_buf_put(b, s->args.p + s->off[i], s->len[i]);
		first = 0;
	}
	return !first;
}

/* Index of the first argument decoded at exit (nargs if none) */
static int vtrace_text_split(const struct vtrace_slot *s)
{
	int i;

	if (s->nr == SYS_clone3)	/* the size after what it stored */
		return s->clone3_late ? 1 : s->nargs;
	for (i = 0; i < s->nargs; i++)
		if (s->off[i] != ~0u && vtrace_arg_at_exit(s, i))
			return i;
	return s->nargs;
}

/**
 * vtrace_text_unfinished() - strace's "<unfinished ...>" for other calls
 * @v:		Module state
 * @pid:	Process whose record is about to be written
 * @tid:	Its thread
 * @self:	The call being written, or NULL
 *
 * Calls other threads are in while @tid's record is written to the same
 * file get a line with their start, "wait4(-1,  <unfinished ...>", once;
 * their record is then written as "<... wait4 resumed>...) = 4333".  A
 * call whose record goes to another file (--per-process, --per-thread)
 * is not cut: that file has no line in between, as under strace -ff.
 * Nor is any call when only some ends are recorded (-z, -Z, status=):
 * whether it is recorded is known at its end, so it is written whole
 * then, as strace does it (no start left without its end).  In-process,
 * a call of the same thread still in flight is one a signal handler
 * interrupted (the handler runs before the call's end reaches the
 * module): it is cut too, so that the handler's calls come after its
 * start, as strace has them after the call.
 */
static void vtrace_text_unfinished(struct vtrace *v, pid_t pid, pid_t tid,
				   const struct vtrace_slot *self)
{
	struct vtrace_slot *a;

	if (v->format != VTRACE_TEXT || v->summary == VTRACE_SUM_ONLY ||
	    !v->started || v->per_thread || v->status != ~0u)
		return;
	for (a = v->active; a; a = a->next) {
		const struct facet_syscall *sc = facet_syscall(a->nr);
		int split;

		if (a->announced || a == self || !v->filter.want[a->nr] ||
		    a->hidden ||
		    (a->tid == tid && v->role != VTRACE_IMAGE) ||
		    (v->per_process && a->pid != pid))
			continue;
		split = vtrace_text_split(a);
		v->line.len = 0;
		vtrace_text_prefix(v, &v->line, a->tid, a->ts, a->nr, a->ip);
		vtrace_buf_printf(&v->line, "%s(", sc->name);
		if (vtrace_text_args(&v->line, a, 0, split) &&
		    split < a->nargs && a->nr != SYS_clone3)
			vtrace_buf_puts(&v->line, ", ");
		vtrace_buf_puts(&v->line, " <unfinished ...>\n");
		vtrace_emit(v, a->pid, a->tid);
		a->announced = 1;
		if (a->inflight)	/* facet's "= ?" is "<... resumed>" */
			vtrace_inflight_announced(v, a);
	}
	v->line.len = 0;
}

/* Text: a stack's frames, " > FRAME" lines, as strace -k */
static void vtrace_text_stack(struct vtrace_buf *b,
			      const struct vtrace_buf *stack)
{
	size_t i, n;

	for (i = 0; i < stack->len; i += n + 1) {
		n = strcspn(stack->p + i, "\n");
		vtrace_buf_puts(b, " > ");
		vtrace_buf_put(b, stack->p + i, n + 1);
	}
}

/*
 * Text: name(args) = ret, as strace; "<... name resumed>" after a start.
 * A call that never returned (@noreturn, "= ?") shows what was known at
 * its entry, and in place of what its end would have shown strace's
 * " <unfinished ...>": "read(0,  <unfinished ...>) = ?".
 */
static void vtrace_syscall_text(struct vtrace *v, struct vtrace_slot *s,
				const char *retstr, double dur, int noreturn)
{
	const struct facet_syscall *sc = facet_syscall(s->nr);
	struct vtrace_buf *b = &v->line;
	int split = vtrace_text_split(s);
	int cut = noreturn && split < s->nargs;
	char t[VTRACE_FIXED];

	if (s->announced) {
		vtrace_text_prefix(v, b, s->tid, s->ts + dur, s->nr,
				   s->ip_end ? s->ip_end : s->ip);
		vtrace_buf_printf(b, "<... %s resumed>", sc->name);
		/* " => {...}, 88" */
		if (s->nr == SYS_clone3 && s->clone3_late && !cut) {
			vtrace_buf_put(b, s->args.p + s->toff, s->tlen);
			vtrace_buf_puts(b, ", ");
		}
		if (!cut)
			vtrace_text_args(b, s, split, s->nargs);
	} else {
		vtrace_text_prefix(v, b, s->tid, s->ts, s->nr, s->ip);
		vtrace_buf_printf(b, "%s(", sc->name);
		if (!cut)
			vtrace_text_args(b, s, 0, s->nargs);
		else if (vtrace_text_args(b, s, 0, split) &&
			 s->nr != SYS_clone3)
			vtrace_buf_puts(b, ", ");
	}
	if (cut)
		vtrace_buf_puts(b, " <unfinished ...>");
	vtrace_buf_puts(b, ")");
	if ((long)b->len < v->column)
		vtrace_buf_printf(b, "%*s= %s", (int)(v->column - b->len),
				  "", retstr);
	else
		vtrace_buf_printf(b, " = %s", retstr);
	if (v->durations)
		vtrace_buf_printf(b, " <%s>", vtrace_fixed(t, dur, 6));
	vtrace_buf_puts(b, "\n");
	if (s->dlen)
		vtrace_buf_put(b, s->args.p + s->doff, s->dlen);
	vtrace_text_stack(b, &s->stack);
}

/* Perfetto: thread name metadata when a thread is first seen */
static void vtrace_perfetto_thread(struct vtrace *v, pid_t pid, pid_t tid)
{
	size_t i, h;

	if (v->ntids == 0 || v->ntids < 4) {
		v->ntids = 4096;
		v->tids = calloc(v->ntids, sizeof(*v->tids));
		if (!v->tids)
			abort();
	}
	for (h = (size_t)tid % v->ntids, i = 0; i < v->ntids;
	     i++, h = (h + 1) % v->ntids) {
		if (v->tids[h] == tid)
			return;
		if (!v->tids[h])
			break;
	}
	if (i == v->ntids)
		return;		/* table full: names are a nicety */
	v->tids[h] = tid;
	vtrace_buf_printf(&v->line, " {\"name\":\"thread_name\",\"ph\":\"M\","
			  "\"pid\":%d,\"tid\":%d,\"args\":{\"name\":\"%s %d\"}}"
			  "\n", pid, tid, pid == tid ? "process" : "thread",
			  tid);
	vtrace_emit(v, pid, tid);
	v->line.len = 0;
}

static void vtrace_syscall_perfetto(struct vtrace *v, struct vtrace_slot *s,
				    const char *retstr, double dur)
{
	const struct facet_syscall *sc = facet_syscall(s->nr);
	char t1[VTRACE_FIXED], t2[VTRACE_FIXED];
	struct vtrace_buf *b = &v->line;
	uint32_t cls = sc->classes;
	int i, first = 1;

	vtrace_perfetto_thread(v, s->pid, s->tid);
	vtrace_buf_printf(b, " {\"name\":\"%s\",\"cat\":\"%s\",\"ph\":\"X\","
			  "\"ts\":%s,\"dur\":%s,\"pid\":%d,\"tid\":%d,"
			  "\"args\":{\"args\":\"", sc->name,
			  cls ? facet_class_name(cls & -cls) : "other",
			  vtrace_fixed(t1, (s->ts - v->start) * 1e6, 3),
			  vtrace_fixed(t2, dur * 1e6, 3), s->pid, s->tid);
	for (i = 0; i < s->nargs; i++) {
		if (s->off[i] == ~0u)
			continue;
		if (!first)
			vtrace_buf_puts(b, ", ");
		vtrace_buf_json(b, s->args.p + s->off[i], s->len[i]);
		first = 0;
	}
	vtrace_buf_puts(b, "\",\"ret\":\"");
	vtrace_buf_json(b, retstr, strlen(retstr));
	if (s->stack.len) {
		vtrace_buf_puts(b, "\",\"stack\":\"");
		vtrace_buf_json(b, s->stack.p, s->stack.len);
	}
	vtrace_buf_puts(b, "\"}}\n");
}

/*
 * --summary totals (the view's, under preload): only calls that returned,
 * with their CPU time or, with -w, their duration, as strace -c
 */
static void vtrace_count(struct vtrace *v, const struct vtrace_slot *s,
			 long ret, double dur, int noreturn)
{
	double t = v->summary_wall ? dur : s->cpu;

	if (v->summary == VTRACE_SUM_NONE || noreturn)
		return;
	if (v->sh)	/* the view's totals (facet's: a killed kill()) */
		vtrace_inproc_count(v, s->nr, ret, t);
	else
		vtrace_summary_add(v, s->nr, ret, t);
}

/**
 * vtrace_out_syscall() - Record a call
 * @v:		Module state
 * @s:		The call's slot, arguments decoded
 * @ret:	Result
 * @end:	Time it returned
 * @noreturn:	The call does not return (exit_group): result "?"
 */
void vtrace_out_syscall(struct vtrace *v, struct vtrace_slot *s, long ret,
			double end, int noreturn)
{
	double dur = noreturn ? 0 : end - s->ts;
	struct vtrace_buf *rs = &v->retstr;
	unsigned st = noreturn ? VTRACE_ST_UNFINISHED :
		      ret < 0 && ret > -4096 ? VTRACE_ST_FAILED :
		      VTRACE_ST_SUCCESSFUL;

	vtrace_count(v, s, ret, dur, noreturn);
	if (!(v->status & st))		/* -z, -Z */
		return;
	rs->len = 0;
	if (noreturn)
		vtrace_buf_puts(rs, "?");
	else
		vtrace_decode_result(rs, s, ret);
	vtrace_text_unfinished(v, s->pid, s->tid, s);
	v->line.len = 0;
	if (v->format == VTRACE_JSONL)
		vtrace_syscall_jsonl(v, s, ret, rs->p, dur, noreturn);
	else if (v->format == VTRACE_PERFETTO)
		vtrace_syscall_perfetto(v, s, rs->p, dur);
	else
		vtrace_syscall_text(v, s, rs->p, dur, noreturn);
	vtrace_emit(v, s->pid, s->tid);
}

/**
 * vtrace_out_detached() - Record a call at which the thread is no
 *			    longer traced (-b execve, the end of -p), as
 *			    strace does
 * @v:		Module state
 * @s:		The call's slot
 *
 * Text: "execve(...) <detached ...>", or nothing if another record
 * already cut its line as "<unfinished ...>"; JSONL and perfetto: the
 * call without a result.
 */
void vtrace_out_detached(struct vtrace *v, struct vtrace_slot *s)
{
	const struct facet_syscall *sc = facet_syscall(s->nr);
	int split;

	if (v->format != VTRACE_TEXT) {
		vtrace_out_syscall(v, s, 0, s->ts, 1);
		return;
	}
	if (s->announced || v->summary == VTRACE_SUM_ONLY ||
	    !(v->status & VTRACE_ST_UNFINISHED))
		return;
	vtrace_text_unfinished(v, s->pid, s->tid, s);
	v->line.len = 0;
	vtrace_text_prefix(v, &v->line, s->tid, s->ts, s->nr, s->ip);
	vtrace_buf_printf(&v->line, "%s(", sc->name);
	/* what was known at the entry, as "<unfinished ...>" has it */
	split = vtrace_text_split(s);
	if (vtrace_text_args(&v->line, s, 0, split) && split < s->nargs &&
	    s->nr != SYS_clone3)
		vtrace_buf_puts(&v->line, ", ");
	vtrace_buf_puts(&v->line, " <detached ...>\n");
	vtrace_emit(v, s->pid, s->tid);
}

/**
 * vtrace_out_fork() - Record a new process
 * @v:		Module state
 * @pid:	The new process
 * @ppid:	Its parent
 */
void vtrace_out_fork(struct vtrace *v, pid_t pid, pid_t ppid)
{
	char t[VTRACE_FIXED];

	if (v->format != VTRACE_JSONL)
		return;
	v->line.len = 0;
	vtrace_buf_printf(&v->line, "{\"type\":\"fork\",\"v\":1,\"ts\":%s,"
			  "\"pid\":%d,\"ppid\":%d}\n",
			  vtrace_fixed(t, vtrace_now(), 6), pid, ppid);
	vtrace_emit(v, ppid, ppid);
	if (v->per_process)
		vtrace_emit(v, pid, pid);
}

/**
 * vtrace_out_exec() - Record a new program image
 * @v:		Module state
 * @pid:	Process
 * @s:		Its execve call (path in @s->paths[0]), or NULL
 *
 * The command line is read from /proc/PID/cmdline, as the new image has it.
 */
void vtrace_out_exec(struct vtrace *v, pid_t pid, struct vtrace_slot *s)
{
	struct vtrace_buf *b = &v->line;
	char path[80], cmd[8192];
	ssize_t n = 0, i;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = read(fd, cmd, sizeof(cmd));
		close(fd);
	}
	v->line.len = 0;
	vtrace_buf_puts(b, "[");
	for (i = 0; i < n; i += strnlen(cmd + i, n - i) + 1) {
		vtrace_buf_puts(b, i ? ",\"" : "\"");
		vtrace_buf_json(b, cmd + i, strnlen(cmd + i, n - i));
		vtrace_buf_puts(b, "\"");
	}
	vtrace_buf_puts(b, "]");
	if (!v->argv.len)
		vtrace_buf_put(&v->argv, b->p, b->len);
	if (v->format == VTRACE_PERFETTO) {
		const char *slash = n > 0 ? strrchr(cmd, '/') : NULL;

		v->line.len = 0;
		vtrace_buf_printf(b, " {\"name\":\"process_name\",\"ph\":\"M\","
				  "\"pid\":%d,\"args\":{\"name\":\"", pid);
		vtrace_buf_json(b, slash ? slash + 1 : n > 0 ? cmd : "?",
				strlen(slash ? slash + 1 : n > 0 ? cmd : "?"));
		vtrace_buf_puts(b, "\"}}\n");
	} else if (v->format == VTRACE_JSONL) {
		struct vtrace_buf argv = { 0 };
		char t[VTRACE_FIXED];

		vtrace_buf_put(&argv, b->p, b->len);
		v->line.len = 0;
		vtrace_buf_printf(b, "{\"type\":\"exec\",\"v\":1,\"ts\":%s,"
				  "\"pid\":%d,\"path\":\"",
				  vtrace_fixed(t, vtrace_now(), 6), pid);
		if (s && s->npaths)
			vtrace_buf_json(b, s->paths[0], strlen(s->paths[0]));
		vtrace_buf_printf(b, "\",\"argv\":%s}\n", argv.p);
		vtrace_buf_free(&argv);
	} else {
		return;
	}
	vtrace_emit(v, pid, pid);
}

/**
 * vtrace_out_pid_changed() - A thread other than the leader exec'd: the
 *			       end of its line under its former id
 * @v:		Module state
 * @pid:	Process, whose id the thread takes
 * @s:		The thread's execve call, still in flight, @s->tid the
 *		thread's former id
 *
 * Text, as strace: the call's start, if no other record cut it already
 * ("<unfinished ...>"), ends as "TID execve(...) <pid changed to PID ...>"
 * (in -ff, the thread's own file ends so).  In-process the new image
 * writes the call whole after vtrace_out_superseded()'s line: the old
 * image has gone, and with it the thread's file of -ff.
 */
void vtrace_out_pid_changed(struct vtrace *v, pid_t pid,
			    struct vtrace_slot *s)
{
	const struct facet_syscall *sc = facet_syscall(s->nr);
	int split;

	if (v->format != VTRACE_TEXT || v->summary == VTRACE_SUM_ONLY ||
	    v->role == VTRACE_IMAGE || v->status != ~0u ||
	    !v->filter.want[s->nr] || s->hidden || s->announced)
		return;
	v->line.len = 0;
	vtrace_text_prefix(v, &v->line, s->tid, s->ts, s->nr, s->ip);
	vtrace_buf_printf(&v->line, "%s(", sc->name);
	split = vtrace_text_split(s);
	if (vtrace_text_args(&v->line, s, 0, split) && split < s->nargs)
		vtrace_buf_puts(&v->line, ", ");
	vtrace_buf_printf(&v->line, " <pid changed to %d ...>\n", pid);
	vtrace_emit(v, s->pid, s->tid);
	s->announced = 1;
}

/**
 * vtrace_out_superseded() - A thread other than the leader exec'd: the
 *			      process goes on with it
 * @v:		Module state
 * @pid:	Process
 * @former:	The thread's former id
 *
 * Text, as strace: "+++ superseded by execve in pid FORMER +++" on the
 * process's line (not with -qqq), then "<... execve resumed>) = 0" there.
 */
void vtrace_out_superseded(struct vtrace *v, pid_t pid, pid_t former)
{
	if (v->format != VTRACE_TEXT || v->summary == VTRACE_SUM_ONLY)
		return;
	if (v->role != VTRACE_IMAGE)	/* in-process: the call comes whole */
		vtrace_text_unfinished(v, pid, pid, NULL);
	if (v->quiet_exec)
		return;
	v->line.len = 0;
	vtrace_text_prefix(v, &v->line, pid, vtrace_now(), -1, 0);
	vtrace_buf_printf(&v->line, "+++ superseded by execve in pid %d +++\n",
			  former);
	vtrace_emit(v, pid, pid);
}

/**
 * vtrace_out_exit() - Record the end of a process or of one of its threads
 * @v:		Module state
 * @pid:	Process
 * @tid:	Thread (@pid for the process itself)
 * @status:	Its wait status
 *
 * JSONL has an "exit" record per process and a "thread_exit" one per other
 * thread; text has strace's "+++" line for each (exits left out with -qq).
 */
void vtrace_out_exit(struct vtrace *v, pid_t pid, pid_t tid, int status)
{
	struct vtrace_buf *b = &v->line;
	char name[16], t[VTRACE_FIXED];
	const char *sig = WIFSIGNALED(status) ?
		vtrace_signame(WTERMSIG(status), name) : NULL;

	vtrace_text_unfinished(v, pid, tid, NULL);
	v->line.len = 0;
	if (v->format == VTRACE_JSONL) {
		vtrace_buf_printf(b, "{\"type\":\"%s\",\"v\":1,\"ts\":%s,"
				  "\"pid\":%d,",
				  tid == pid ? "exit" : "thread_exit",
				  vtrace_fixed(t, vtrace_now(), 6), pid);
		if (tid != pid)
			vtrace_buf_printf(b, "\"tid\":%d,", tid);
		if (sig)
			vtrace_buf_printf(b, "\"signal\":\"%s\"}\n", sig);
		else
			vtrace_buf_printf(b, "\"status\":%d}\n",
					  WEXITSTATUS(status));
	} else if (v->format == VTRACE_PERFETTO) {
		vtrace_buf_printf(b, " {\"name\":\"exit\",\"ph\":\"i\",\"s\":"
				  "\"%s\",\"ts\":%s,\"pid\":%d,\"tid\":%d}\n",
				  tid == pid ? "p" : "t",
				  vtrace_fixed(t, (vtrace_now() - v->start) *
					       1e6, 3), pid, tid);
	} else if (sig) {
		vtrace_text_prefix(v, b, tid, vtrace_now(), -1, 0);
		vtrace_buf_printf(b, "+++ killed by %s%s +++\n", sig,
				  WCOREDUMP(status) ? " (core dumped)" : "");
	} else if (!v->quiet_exit) {
		vtrace_text_prefix(v, b, tid, vtrace_now(), -1, 0);
		vtrace_buf_printf(b, "+++ exited with %d +++\n",
				  WEXITSTATUS(status));
	}
	vtrace_emit(v, pid, tid);
}

/**
 * vtrace_out_signal() - Record a signal given to a thread
 * @v:		Module state
 * @pid:	Process
 * @tid:	Thread
 * @si:		The signal's siginfo
 *
 * Text: "--- SIGCHLD {si_signo=SIGCHLD, ...} ---", as strace; JSONL: a
 * "signal" record; perfetto: an instant event on the thread's track.
 */
void vtrace_out_signal(struct vtrace *v, pid_t pid, pid_t tid,
		       const siginfo_t *si)
{
	struct vtrace_buf *b = &v->line, *info = &v->retstr;
	double now = vtrace_now();
	char name[16], t[VTRACE_FIXED];

	vtrace_text_unfinished(v, pid, tid, NULL);
	info->len = 0;
	vtrace_siginfo(info, si);
	vtrace_signame(si->si_signo, name);
	v->line.len = 0;
	if (v->format == VTRACE_JSONL) {
		vtrace_buf_printf(b, "{\"type\":\"signal\",\"v\":1,"
				  "\"ts\":%s,\"pid\":%d,\"tid\":%d,"
				  "\"signal\":\"%s\",\"siginfo\":\"",
				  vtrace_fixed(t, now, 6), pid, tid,
				  vtrace_signame(si->si_signo, name));
		vtrace_buf_json(b, info->p, info->len);
		vtrace_buf_puts(b, "\"");
		if (v->sigstack.len)
			vtrace_json_stack(b, &v->sigstack);
		vtrace_buf_puts(b, "}\n");
	} else if (v->format == VTRACE_PERFETTO) {
		vtrace_buf_printf(b, " {\"name\":\"%s\",\"cat\":\"signal\","
				  "\"ph\":\"i\",\"s\":\"t\",\"ts\":%s,"
				  "\"pid\":%d,\"tid\":%d,\"args\":{\"siginfo\":"
				  "\"", vtrace_signame(si->si_signo, name),
				  vtrace_fixed(t, (now - v->start) * 1e6, 3),
				  pid, tid);
		vtrace_buf_json(b, info->p, info->len);
		vtrace_buf_puts(b, "\"}}\n");
	} else {
		vtrace_text_prefix(v, b, tid, now, -1,
				   v->show_ip ? vtrace_ip_of(tid) : 0);
		vtrace_buf_printf(b, "--- %s ", vtrace_signame(si->si_signo,
							      name));
		vtrace_buf_put(b, info->p, info->len);
		vtrace_buf_puts(b, " ---\n");
		vtrace_text_stack(b, &v->sigstack);
	}
	vtrace_emit(v, pid, tid);
}

/**
 * vtrace_out_stopped() - Record a thread's group-stop
 * @v:		Module state
 * @pid:	Process
 * @tid:	Thread
 * @sig:	The stop signal
 *
 * Text: "--- stopped by SIGSTOP ---", as strace; JSONL: a "stop" record;
 * perfetto: an instant event "stopped by SIGSTOP" on the thread's track.
 */
void vtrace_out_stopped(struct vtrace *v, pid_t pid, pid_t tid, int sig)
{
	struct vtrace_buf *b = &v->line;
	double now = vtrace_now();
	char buf[16], t[VTRACE_FIXED];
	const char *name;

	name = vtrace_signame(sig, buf);
	vtrace_text_unfinished(v, pid, tid, NULL);
	v->line.len = 0;
	if (v->format == VTRACE_JSONL) {
		vtrace_buf_printf(b, "{\"type\":\"stop\",\"v\":1,\"ts\":%s,"
				  "\"pid\":%d,\"tid\":%d,\"signal\":\"%s\"}\n",
				  vtrace_fixed(t, now, 6), pid, tid, name);
	} else if (v->format == VTRACE_PERFETTO) {
		vtrace_buf_printf(b, " {\"name\":\"stopped by %s\",\"cat\":"
				  "\"signal\",\"ph\":\"i\",\"s\":\"t\","
				  "\"ts\":%s,\"pid\":%d,\"tid\":%d}\n", name,
				  vtrace_fixed(t, (now - v->start) * 1e6, 3),
				  pid, tid);
	} else {
		vtrace_text_prefix(v, b, tid, now, -1,
				   v->show_ip ? vtrace_ip_of(tid) : 0);
		vtrace_buf_printf(b, "--- stopped by %s ---\n", name);
	}
	vtrace_emit(v, pid, tid);
}

/**
 * vtrace_out_close() - Finish and close the output files
 * @v:		Module state
 *
 * Writes the summary table and, for perfetto, closes the event array.
 */
void vtrace_out_close(struct vtrace *v)
{
	int i;

	vtrace_outbuf_stop(v);
	if (v->role == VTRACE_IMAGE)
		vtrace_inproc_flush(v);
	if (v->role == VTRACE_OWNER) {
		vtrace_outslot_reap(v, 0);	/* of processes killed */
		vtrace_inflight_write(v, 0, 0);
		vtrace_inproc_totals(v);
	}
	if (v->summary != VTRACE_SUM_NONE && v->role != VTRACE_IMAGE &&
	    !v->joined) {
		v->line.len = 0;
		vtrace_summary_print(v, &v->line);
		/* a table in a JSON file would spoil it: stderr then */
		if (v->per_process || !v->nfiles ||
		    (v->format != VTRACE_TEXT &&
		     v->summary == VTRACE_SUM_ALSO))
			vtrace_write(2, v->line.p, v->line.len);
		else
			vtrace_file_write(v, &v->files[0], v->line.p,
					  v->line.len);
	}
	if (v->role == VTRACE_OWNER && v->nfiles)	/* nothing ran? */
		v->files[0].header = v->sh->started;
	for (i = 0; i < v->nfiles; i++) {
		struct vtrace_file *f = &v->files[i];

		/* under preload: the shared file is finished by facet,
		 * a FILE.PID by its process as it ends */
		int ends = (v->role == VTRACE_SUPERVISOR && !v->joined) ||
			   (v->role == VTRACE_OWNER) == !f->pid;

		if (v->format == VTRACE_PERFETTO && ends &&
		    v->summary != VTRACE_SUM_ONLY)
			vtrace_file_write(v, f, "]}\n", 3);
		else if (v->format == VTRACE_JSONL && !f->header &&
			 v->summary != VTRACE_SUM_ONLY) {
			v->line.len = 0;
			vtrace_header(v, &v->line);
			vtrace_file_write(v, f, v->line.p, v->line.len);
		}
		if (f->fd != 2 && f->fd >= 0)
			close(f->fd);
		vtrace_buf_free(&f->out);
		if (v->role == VTRACE_IMAGE)
			vtrace_outslot_release(v, f);
	}
	free(v->files);
	v->files = NULL;
	v->nfiles = 0;
	v->files_cap = 0;
	if (v->role == VTRACE_OWNER)	/* the images' write errors */
		vtrace_outbuf_failed_view(v);
}
