// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vtrace/vtrace_module.c - The vtrace module: options, syscall
 *				     set, entry and exit, process events
 *
 * DOC: Cost
 *
 * Every recorded call costs a ptrace stop at entry and one at exit
 * (FACET_HOOK_EXIT).  Per event the module reads the arguments it shows
 * (process_vm_readv) and readlink()s /proc/PID/fd/N for fd arguments and
 * fd results; records to files are buffered (vtrace_outbuf.c); slots and
 * buffers are reused, so there is no allocation per event once the trace
 * is warm.  A filter keeps the other syscalls off the seccomp filter
 * entirely: they never stop.
 *
 * Under --backend preload (vtrace_inproc.c) a call costs a SIGSYS in the
 * traced process instead (every call traps, a filter only decides what
 * is decoded and written) and each record one write(2).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "vtrace.h"

static const struct facet_option vtrace_options[] = {
	{ "output", "FILE", "write the trace to FILE (default: stderr)" },
	{ "format", "text|jsonl|perfetto", "strace-like lines, JSON lines "
	  "(docs/trace-format.md) or Chrome/Perfetto trace events" },
	{ "filter", "LIST", "classes (file,net,...), names, !NAME to leave "
	  "out" },
	{ "strsize", "N", "bytes of a string or buffer shown (32)" },
	{ "timestamps", "t|tt|ttt|r", "text: time of day, with us, epoch, "
	  "or relative to the previous call" },
	{ "durations", NULL, "text: time spent in each call (<0.000012>)" },
	{ "summary", "only|also", "a table per syscall at the end, instead "
	  "of the trace (only) or after it (also)" },
	{ "summary-time", "cpu|wall", "--summary: the CPU time of each call "
	  "(system time, as strace -c) or its wall time (strace -w)" },
	{ "summary-sort-by", "time|calls|errors|name|min-time|max-time|"
	  "avg-time|nothing", "--summary: the table's order (strace -S)" },
	{ "summary-columns", "LIST", "--summary: the table's columns, "
	  "time-percent,total-time,min-time,max-time,avg-time,calls,errors,"
	  "name (strace -U)" },
	{ "per-process", NULL, "one file per process: FILE.PID" },
	{ "per-thread", NULL, "one file per thread, FILE.TID, lines without "
	  "the thread id (strace -ff)" },
	{ "stack", NULL, "a stack trace per call (libunwind, libdw)" },
	{ "quiet", "exit|attach|all", "text: leave out the \"+++ exited "
	  "with N +++\" lines (exit, all), as strace -qq" },
	{ "status", "successful,failed,unfinished", "record only calls that "
	  "ended so (strace -e status=, -z, -Z)" },
	{ "signals", "SET", "signals to show (SIGCHLD,USR1, all, none, !SET)"
	  ", as strace -e signal=" },
	{ "strings-in-hex", "non-ascii|all", "strings in \\xNN escapes: "
	  "those with non-ASCII bytes (strace -x) or all (-xx)" },
	{ "decode-fds", "path|socket|dev|all", "what fds show beyond their "
	  "path: socket endpoints, device numbers (strace -yy: all)" },
	{ "columns", "N", "text: align \" = \" to column N (strace -a, 40)" },
	{ "trace-path", "PATH", "record only calls that touch PATH, by name "
	  "or by fd (strace -P); may be given again" },
	{ "dump-read", "FDS", "hex dump of what is read from these fds "
	  "(strace -e read=)" },
	{ "dump-write", "FDS", "hex dump of what is written to these fds "
	  "(strace -e write=)" },
	{ "pid-prefix", "always|several", "text in a file: the thread id on "
	  "every line (strace -f), or only while several threads are traced "
	  "(strace -p without -f)" },
	{ "detach-on", "execve", "stop recording a process (and its new "
	  "children) at its execve, but the command's first (strace -b)" },
	{ "instruction-pointer", NULL, "text: each line starts with the "
	  "instruction pointer at the call (strace -i; ptrace backend)" },
	{ "raw", "SET", "these calls' arguments and result in hex, "
	  "undecoded (strace -e raw=SET)" },
	{ "abbrev", "SET", "the calls whose structs and arrays are "
	  "abbreviated (all; none is strace -v; strace -e abbrev=SET)" },
	{ "syscall-number", NULL, "text: each line starts with its call's "
	  "number, \"[ 257] openat(...\" (strace -n)" },
	{ NULL, NULL, NULL },
};

/**
 * vtrace_now() - Wall-clock time in seconds
 *
 * Return: seconds since the epoch, with nanoseconds
 */
double vtrace_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int vtrace_opt_choice(int *out, const char *value,
			     const char *const *names, const char *key,
			     struct facet_err *err)
{
	int i;

	for (i = 0; value && names[i]; i++)
		if (!strcmp(value, names[i])) {
			*out = i;
			return 0;
		}
	return facet_err_set(err, EINVAL, "vtrace: %s '%s' is not one of "
			     "the choices: see 'facet modules'", key,
			     value ? value : "");
}

static int vtrace_opt_strsize(struct vtrace *v, const char *value,
			      struct facet_err *err)
{
	char *end;
	long n;

	errno = 0;
	n = value ? strtol(value, &end, 10) : -1;
	if (!value || errno || *end || n < 0 || n > 1 << 20)
		return facet_err_set(err, EINVAL, "vtrace: the string size "
				     "must be a number from 0 to 1048576, not "
				     "'%s'", value ? value : "");
	v->strsize = (int)n;
	v->strsize_set = 1;
	return 0;
}

/* quiet=exit (strace -qq): no "+++ exited with N +++" lines */
static int vtrace_opt_quiet(struct vtrace *v, const char *value,
			    struct facet_err *err)
{
	char list[64], *tok, *save = NULL;

	snprintf(list, sizeof(list), "%s", value ? value : "exit");
	for (tok = strtok_r(list, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (!strcmp(tok, "exit") || !strcmp(tok, "all"))
			v->quiet_exit = 1;
		if (!strcmp(tok, "thread-execve") ||
		    !strcmp(tok, "superseded") || !strcmp(tok, "all"))
			v->quiet_exec = 1;
		/* personality, path-resolution: facet has no such message */
		else if (strcmp(tok, "exit") && strcmp(tok, "attach") &&
			 strcmp(tok, "personality") &&
			 strcmp(tok, "path-resolution") && strcmp(tok, "none"))
			return facet_err_set(err, EINVAL, "vtrace: quiet '%s' "
					     "is not attach, exit, "
					     "thread-execve or all", tok);
	}
	return 0;
}

/* status=successful,failed,unfinished (strace -e status=, -z, -Z) */
static int vtrace_opt_status(struct vtrace *v, const char *value,
			     struct facet_err *err)
{
	static const char *const names[] = { "successful", "failed",
		"unfinished", "unavailable", "detached", NULL };
	char list[128], *tok, *save = NULL;
	int i, neg = value[0] == '!';

	v->status_set = 1;
	snprintf(list, sizeof(list), "%s", value + neg);
	v->status = neg ? ~0u : 0;
	for (tok = strtok_r(list, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; names[i] && strcmp(tok, names[i]); i++)
			;
		if (!strcmp(tok, "all") || !strcmp(tok, "none")) {
			v->status = (!strcmp(tok, "all")) != neg ? ~0u : 0;
			continue;
		}
		if (!names[i])
			return facet_err_set(err, EINVAL, "vtrace: status '%s' "
					     "is not successful, failed, "
					     "unfinished or all", tok);
		v->status = neg ? v->status & ~(1u << i) :
			    v->status | 1u << i;
	}
	return 0;
}

static int vtrace_opt_signals(struct vtrace *v, const char *value,
			      struct facet_err *err)
{
	v->sigwant_set = 1;
	return vtrace_filter_signals(v->sigwant, value, err);
}

/* decode-fds=path,socket,dev or all (strace --decode-fds=, -y, -yy) */
static int vtrace_opt_decode_fds(struct vtrace *v, const char *value,
				 struct facet_err *err)
{
	char list[128], *tok, *save = NULL;

	(void)v;
	vtrace_decode_fds = 0;
	snprintf(list, sizeof(list), "%s", value ? value : "path");
	for (tok = strtok_r(list, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (!strcmp(tok, "all"))
			vtrace_decode_fds |= VTRACE_FDS_PATH |
					     VTRACE_FDS_SOCKET | VTRACE_FDS_DEV;
		else if (!strcmp(tok, "path"))
			vtrace_decode_fds |= VTRACE_FDS_PATH;
		else if (!strcmp(tok, "socket"))
			vtrace_decode_fds |= VTRACE_FDS_SOCKET;
		else if (!strcmp(tok, "dev"))
			vtrace_decode_fds |= VTRACE_FDS_DEV;
		else if (strcmp(tok, "none"))
			return facet_err_set(err, EINVAL, "vtrace: decode-fds "
					     "'%s' is not path, socket, dev or "
					     "all (facet does not decode "
					     "pidfd or signalfd fds)", tok);
	}
	return 0;
}

static int vtrace_opt_columns(struct vtrace *v, const char *value,
			      struct facet_err *err)
{
	char *end;
	long n;

	errno = 0;
	n = value ? strtol(value, &end, 10) : -1;
	if (!value || errno || *end || end == value || n < 0 || n > 4096)
		return facet_err_set(err, EINVAL, "vtrace: the column must be "
				     "a number from 0 to 4096, not '%s'",
				     value ? value : "");
	v->column = n ? (int)n : -1;	/* 0: never padded */
	return 0;
}

/*
 * strace's -e qualifiers: trace= (and a bare list) is the filter;
 * signal=, status=, quiet=, read=, write=, raw=, abbrev= and
 * decode-fds= have their own options; the others strace has (inject=,
 * fault=, verbose=, kvm=) facet does not, and says so.
 */
static int vtrace_opt_filter(struct vtrace *v, const char *value,
			     struct facet_err *err)
{
	static const char *const sig[] = { "signal=", "signals=", "s=", NULL };
	static const char *const quiet[] = { "quiet=", "silent=", "silence=",
					     "q=", NULL };
	size_t n = strcspn(value, "=,");
	int i;

	for (i = 0; sig[i]; i++)
		if (!strncmp(value, sig[i], strlen(sig[i])))
			return vtrace_opt_signals(v, value + strlen(sig[i]),
						  err);
	for (i = 0; quiet[i]; i++)
		if (!strncmp(value, quiet[i], strlen(quiet[i])))
			return vtrace_opt_quiet(v, value + strlen(quiet[i]),
						err);
	if (!strncmp(value, "status=", 7))
		return vtrace_opt_status(v, value + 7, err);
	if (!strncmp(value, "read=", 5) || !strncmp(value, "r=", 2))
		return vtrace_dump_parse(v, 0, strchr(value, '=') + 1, err);
	if (!strncmp(value, "write=", 6) || !strncmp(value, "w=", 2))
		return vtrace_dump_parse(v, 1, strchr(value, '=') + 1, err);
	if (!strncmp(value, "decode-fds=", 11))
		return vtrace_opt_decode_fds(v, value + 11, err);
	if (!strncmp(value, "raw=", 4) || !strncmp(value, "x=", 2))
		return vtrace_filter_parse_new(&v->raw, strchr(value, '=') + 1,
					       "-e raw=", err);
	if (!strncmp(value, "abbrev=", 7) || !strncmp(value, "a=", 2))
		return vtrace_filter_parse_new(&v->abbrev,
					       strchr(value, '=') + 1,
					       "-e abbrev=", err);
	if (value[n] == '=' && (!strncmp(value, "inject=", 7) ||
				!strncmp(value, "fault=", 6)))
		return facet_err_set(err, EINVAL, "vtrace: strace's -e %.*s= "
				     "(fault injection) is not implemented "
				     "by facet trace", (int)n, value);
	if (value[n] == '=' && strncmp(value, "trace=", 6) &&
	    strncmp(value, "t=", 2))
		return facet_err_set(err, EINVAL, "vtrace: strace's -e %.*s= "
				     "is not supported; facet trace knows "
				     "trace=, signal=, status=, quiet=, read=, "
				     "write=, raw=, abbrev= and decode-fds=",
				     (int)n, value);
	v->filtered = 1;
	return vtrace_filter_parse(&v->filter, value, err);
}

/*
 * timestamps=t|tt|ttt set the time of day shown, =r adds the time since
 * the previous event (strace -t -r shows both), =none takes both away
 */
static int vtrace_opt_timestamps(struct vtrace *v, const char *value,
				 const char *const *choices,
				 struct facet_err *err)
{
	if (!strcmp(value, "r"))
		return v->ts_rel = 1, 0;
	if (!strcmp(value, "none"))
		v->ts_rel = 0;
	return vtrace_opt_choice(&v->tsmode, value, choices, "timestamps",
				 err);
}

static int vtrace_option(void *self, const char *key, const char *value,
			 struct facet_err *err)
{
	static const char *const formats[] = { "text", "jsonl", "perfetto",
					       NULL };
	static const char *const ts[] = { "none", "t", "tt", "ttt", NULL };
	static const char *const sum[] = { "none", "only", "also", NULL };
	static const char *const sum_time[] = { "cpu", "wall", NULL };
	static const char *const hex[] = { "none", "non-ascii", "all", NULL };
	static const char *const detach[] = { "", "execve", NULL };
	static const char *const pid_prefix[] = { "always", "several", NULL };
	struct vtrace *v = self;

	if (!strcmp(key, "durations"))
		return v->durations = 1, 0;
	if (!strcmp(key, "per-process"))
		return v->per_process = 1, 0;
	/* FILE.TID: the same, by thread */
	if (!strcmp(key, "per-thread"))
		return v->per_process = v->per_thread = 1, 0;
	if (!strcmp(key, "stack"))
		return v->stack = 1, 0;
	if (!strcmp(key, "syscall-number"))
		return v->sysnum = 1, 0;
	if (!strcmp(key, "instruction-pointer"))
		return v->show_ip = 1, 0;
	if (!strcmp(key, "pid-prefix"))
		return vtrace_opt_choice(&v->pid_several, value, pid_prefix,
					 key, err);
	if (!strcmp(key, "quiet"))
		return vtrace_opt_quiet(v, value, err);
	if (!strcmp(key, "summary"))
		return vtrace_opt_choice(&v->summary, value ? value : "only",
					 sum, key, err);
	if (!strcmp(key, "summary-time"))
		return vtrace_opt_choice(&v->summary_wall, value, sum_time,
					 key, err);
	if (!strcmp(key, "summary-sort-by"))
		return vtrace_summary_sort_by(v, value, err);
	if (!strcmp(key, "summary-columns"))
		return vtrace_summary_columns(v, value, err);
	if (!strcmp(key, "strings-in-hex"))
		return vtrace_opt_choice(&vtrace_hex_strings,
					 value ? value : "all", hex, key, err);
	if (!strcmp(key, "decode-fds"))
		return vtrace_opt_decode_fds(v, value, err);
	if (!value)
		return facet_err_set(err, EINVAL, "vtrace: %s needs a value",
				     key);
	if (!strcmp(key, "output")) {
		if (strlen(value) >= sizeof(v->output))
			return facet_err_set(err, ENAMETOOLONG, "vtrace: "
					     "output file name too long");
		strcpy(v->output, !strcmp(value, "-") ? "" : value);
		return 0;
	}
	if (!strcmp(key, "format")) {
		int ret = vtrace_opt_choice(&v->format, value, formats, key,
					    err);

		/* JSON lines name the file of a call's fd (fd_path) */
		vtrace_keep_fd_path = v->format == VTRACE_JSONL;
		return ret;
	}
	if (!strcmp(key, "timestamps"))
		return vtrace_opt_timestamps(v, value, ts, err);
	if (!strcmp(key, "strsize"))
		return vtrace_opt_strsize(v, value, err);
	if (!strcmp(key, "filter"))
		return vtrace_opt_filter(v, value, err);
	if (!strcmp(key, "status"))
		return vtrace_opt_status(v, value, err);
	if (!strcmp(key, "signals"))
		return vtrace_opt_signals(v, value, err);
	if (!strcmp(key, "columns"))
		return vtrace_opt_columns(v, value, err);
	if (!strcmp(key, "trace-path"))
		return vtrace_pathtrace_add(v, value, err);
	if (!strcmp(key, "dump-read") || !strcmp(key, "dump-write"))
		return vtrace_dump_parse(v, key[5] == 'w', value, err);
	if (!strcmp(key, "detach-on"))
		return vtrace_opt_choice(&v->detach_exec, value, detach, key,
					 err);
	if (!strcmp(key, "raw"))
		return vtrace_filter_parse_new(&v->raw, value, "-e raw=", err);
	if (!strcmp(key, "abbrev"))
		return vtrace_filter_parse_new(&v->abbrev, value, "-e abbrev=",
					       err);
	return facet_err_set(err, EINVAL, "vtrace: no option '%s'", key);
}

static int vtrace_start(void *self, struct facet_env *env,
			struct facet_err *err)
{
	struct vtrace *v = self;

	int ret;

	if (!v->strsize && !v->strsize_set)
		v->strsize = 32;
	if (!v->column)
		v->column = 40;
	v->strbuf = malloc(v->strsize + 2);
	if (!v->strbuf)
		return facet_err_set(err, ENOMEM, "vtrace: no memory for "
				     "strings of %d bytes (-s)", v->strsize);
	if (!v->filtered)
		vtrace_filter_parse(&v->filter, "all", NULL);
	if (!v->status_set)
		v->status = ~0u;
	if (!v->sigwant_set)
		vtrace_filter_signals(v->sigwant, "all", NULL);
	v->start = vtrace_now();
	v->live = 0;	/* the first process comes as a fork event too */
	v->first = facet_env_first(env);
	ret = vtrace_stack_start(v, facet_env_backend(env), err);
	if (ret < 0)
		return ret;
	ret = vtrace_inproc_start(v, env, err);
	if (ret < 0)
		return ret;
	ret = vtrace_sysnum_start(v, err);
	if (ret < 0)
		return ret;
	/* the shim sees a call libc makes inside a function it interposes
	 * at that function: no syscall instruction of its own */
	if (v->show_ip && strcmp(facet_env_backend(env), "ptrace"))
		return facet_err_set(err, ENOTSUP, "vtrace: -i (the "
				     "instruction pointer) needs the ptrace "
				     "backend: --backend %s does not know it "
				     "for every call; drop --backend %s",
				     facet_env_backend(env), facet_env_backend(env));
	ret = vtrace_out_open(v, err);
	if (ret < 0)
		return ret;
	vtrace_outbuf_start(v);
	return 0;
}

static void vtrace_wants(void *self, struct facet_sysset *set)
{
	struct vtrace *v = self;
	int nr;

	for (nr = 0; nr < FACET_NR_MAX; nr++)
		if (v->filter.want[nr])
			facet_sysset_add(set, nr, FACET_HOOK_EXIT);
	/* the trace starts at the command's execve, and names its images */
	facet_sysset_add(set, SYS_execve, FACET_HOOK_EXIT);
	facet_sysset_add(set, SYS_execveat, FACET_HOOK_EXIT);
	/* -y's AT_FDCWD</dir>: the working directories are kept until
	 * these (without -y nothing reads them: they need not stop) */
	if (vtrace_decode_fds) {
		facet_sysset_add(set, SYS_chdir, FACET_HOOK_EXIT);
		facet_sysset_add(set, SYS_fchdir, FACET_HOOK_EXIT);
		facet_sysset_add(set, SYS_chroot, FACET_HOOK_EXIT);
	}
	if (v->role != VTRACE_IMAGE)
		return;
	/* in-process: the trace's fds, and threads coming and going */
	facet_sysset_add(set, SYS_close, FACET_HOOK_REWRITE);
	facet_sysset_add(set, SYS_dup2, FACET_HOOK_REWRITE);
	facet_sysset_add(set, SYS_dup3, FACET_HOOK_REWRITE);
	facet_sysset_add(set, SYS_fork, FACET_HOOK_EXIT);
	facet_sysset_add(set, SYS_vfork, FACET_HOOK_EXIT);
	facet_sysset_add(set, SYS_clone, FACET_HOOK_EXIT);
	facet_sysset_add(set, SYS_clone3, FACET_HOOK_EXIT);
	facet_sysset_add(set, SYS_exit, FACET_HOOK_ENTER);
}

/* Threads traced: the view's under preload, else this supervisor's */
static int vtrace_live_add(struct vtrace *v, int delta)
{
	if (v->sh)
		return vtrace_inproc_live(v, delta);
	return v->live += delta;
}

static int vtrace_is_fork(long nr)
{
	return nr == SYS_fork || nr == SYS_vfork || nr == SYS_clone ||
	       nr == SYS_clone3;
}

/* In-process: the clone flags of a clone or clone3 call */
static unsigned long vtrace_clone_flags(struct facet_call *call, long nr)
{
	unsigned long flags = 0;

	if (nr == SYS_clone)
		return (unsigned long)facet_arg(call, 0);
	if (nr == SYS_clone3 && facet_arg(call, 0) &&
	    facet_peek(call, &flags, (uintptr_t)facet_arg(call, 0),
		       sizeof(flags)) < 0)
		return 0;
	return nr == SYS_clone3 ? flags : 0;
}

static void vtrace_exec_track(struct vtrace *v, struct vtrace_slot *s, int on);

struct vtrace_slot *vtrace_slot_get(struct vtrace *v)
{
	struct vtrace_slot *s = v->free;

	if (s) {
		v->free = s->next;
	} else {
		s = calloc(1, sizeof(*s));
		if (!s)
			abort();
	}
	s->prev = NULL;
	s->next = v->active;
	if (v->active)
		v->active->prev = s;
	v->active = s;
	return s;
}

void vtrace_slot_put(struct vtrace *v, struct vtrace_slot *s)
{
	if (s->inflight)
		vtrace_inflight_drop(v, s);
	if (s->prev)
		s->prev->next = s->next;
	else
		v->active = s->next;
	if (s->next)
		s->next->prev = s->prev;
	s->next = v->free;
	v->free = s;
}

/*
 * End the calls in flight of process @pid, or of thread @tid when @pid is
 * 0, except @keep: free their slots, and when @record write them as
 * strace does, "= ?" (they never return).
 */
static void vtrace_slots_end(struct vtrace *v, pid_t pid, pid_t tid,
			     const struct vtrace_slot *keep, int record)
{
	struct vtrace_slot *s, *next;

	for (s = v->active; s; s = next) {
		next = s->next;
		if (s == keep || (pid ? s->pid != pid : s->tid != tid))
			continue;
		vtrace_exec_track(v, s, 0);
		if (record && v->started && v->filter.want[s->nr] &&
		    !s->hidden)
			vtrace_out_syscall(v, s, 0, s->ts, 1);
		vtrace_slot_put(v, s);
	}
}

/*
 * A process ended with calls in flight (killed in kill(), threads in
 * futex at exit_group), or exec'd while other threads were in calls
 * (@keep: the execve)
 */
static void vtrace_slot_flush(struct vtrace *v, pid_t pid,
			      const struct vtrace_slot *keep)
{
	vtrace_slots_end(v, pid, 0, keep, 1);
}

/* A thread ended with a call in flight (exit_group in another thread) */
static void vtrace_slot_flush_tid(struct vtrace *v, pid_t tid)
{
	vtrace_slots_end(v, 0, tid, NULL, 1);
}

/* execve calls in flight, so that the exec event finds its path */
static void vtrace_exec_track(struct vtrace *v, struct vtrace_slot *s, int on)
{
	size_t i;

	for (i = 0; i < sizeof(v->execs) / sizeof(v->execs[0]); i++) {
		if (on && !v->execs[i]) {
			v->execs[i] = s;
			return;
		}
		if (!on && v->execs[i] == s)
			v->execs[i] = NULL;
	}
}

static struct vtrace_slot *vtrace_exec_find(struct vtrace *v, pid_t tid)
{
	size_t i;

	for (i = 0; i < sizeof(v->execs) / sizeof(v->execs[0]); i++)
		if (v->execs[i] && v->execs[i]->tid == tid)
			return v->execs[i];
	return NULL;
}

static int vtrace_is_exec(long nr)
{
	return nr == SYS_execve || nr == SYS_execveat;
}

/* Calls vtrace sees whether the filter records them or not */
static int vtrace_is_internal(long nr)
{
	return vtrace_is_exec(nr) || nr == SYS_chdir || nr == SYS_fchdir ||
	       nr == SYS_chroot;
}

static enum facet_verdict vtrace_enter_call(struct vtrace *v,
					    struct facet_call *call);

/* -b execve: is process @pid (or, in-process, this one) left alone? */
static int vtrace_is_detached(const struct vtrace *v, pid_t pid)
{
	int i;

	if (v->self_detached)
		return 1;
	for (i = 0; i < v->ndetached; i++)
		if (v->detached[i] == pid)
			return 1;
	return 0;
}

static void vtrace_detached_set(struct vtrace *v, pid_t pid, int on)
{
	pid_t *d;
	int i;

	for (i = 0; i < v->ndetached; i++)
		if (v->detached[i] == pid) {
			if (!on)
				v->detached[i] = v->detached[--v->ndetached];
			return;
		}
	if (!on)
		return;
	if (v->ndetached == v->detached_cap) {
		v->detached_cap = v->detached_cap ? 2 * v->detached_cap : 16;
		d = realloc(v->detached, v->detached_cap * sizeof(*d));
		if (!d)
			abort();
		v->detached = d;
	}
	v->detached[v->ndetached++] = pid;
}

/*
 * -b execve: process @pid exec'd (@s its execve): its line ends with
 * strace's " <detached ...>" (or, if another record cut it already,
 * nothing more), and it and its new children are recorded no more.  It
 * stays in the view: the supervisor still serves its other modules.
 */
static void vtrace_detach(struct vtrace *v, pid_t pid,
			  struct vtrace_slot *s)
{
	if (v->filter.want[s->nr] && !s->hidden)
		vtrace_out_detached(v, s);
	s->hidden = 1;		/* its exit frees it, and records nothing */
	vtrace_detached_set(v, pid, 1);
	vtrace_live_add(v, -(v->live > 1));
}

/*
 * Events of a detached process: its children are detached too, its end
 * forgets it; nothing is recorded.  Return: 1 if the event was its
 */
static int vtrace_detached_event(struct vtrace *v, enum facet_proc_event ev,
				 pid_t pid, long other)
{
	if (!v->ndetached && !v->self_detached)
		return 0;
	if (v->self_detached)	/* in-process: the whole image is */
		return ev != FACET_PROC_KILLED;
	if (ev == FACET_PROC_FORK && vtrace_is_detached(v, (pid_t)other)) {
		vtrace_detached_set(v, pid, 1);
		return 1;
	}
	if (!vtrace_is_detached(v, pid))
		return 0;
	if (ev == FACET_PROC_EXIT)
		vtrace_detached_set(v, pid, 0);
	return 1;
}

/*
 * In-process, the exit_group() of a CLONE_VM child (posix_spawn's, whose
 * exec failed): the shim does not end a process whose memory is its
 * parent's (the modules' state is the parent's), so its end line is
 * written here, "+++ exited with 127 +++", as strace has it.
 */
static void vtrace_inproc_vfork_exit(struct vtrace *v,
				     struct facet_call *call)
{
	pid_t pid = facet_pid(call);

	if (facet_nr(call) != SYS_exit_group || !v->vfork_pid ||
	    pid == v->vfork_pid || !v->started)
		return;
	vtrace_out_exit(v, pid, pid, ((int)facet_arg(call, 0) & 0xff) << 8);
	vtrace_live_add(v, -1);
}

/*
 * In-process, threads are counted at their clone (the child may run
 * before the parent's clone returns) and end at their exit(), after its
 * line: "+++ exited with N +++" for the thread, as strace -f has it.
 */
static enum facet_verdict vtrace_enter(void *self, struct facet_call *call)
{
	struct vtrace *v = self;
	long nr = facet_nr(call);
	enum facet_verdict verdict;
	int thread_exit;

	if (v->sysnums)		/* -n: for the thread's next lines */
		vtrace_sysnum_note(v, facet_tid(call), nr);
	if (v->role != VTRACE_IMAGE)
		return vtrace_enter_call(v, call);
	if (v->self_detached) {		/* -b execve: nothing to count */
		vtrace_inproc_guard(v, call);
		return FACET_CONTINUE;
	}
	/* a child must not inherit records, an exec must not lose them */
	if (vtrace_is_fork(nr) || vtrace_is_exec(nr))
		vtrace_inproc_flush(v);
	else
		vtrace_inproc_flush_old(v);
	if (vtrace_is_fork(nr) &&
	    (vtrace_clone_flags(call, nr) & CLONE_THREAD)) {
		v->nthreads++;
		vtrace_live_add(v, 1);
	}
	/* a CLONE_VM child runs on our memory: counted now, as a thread */
	if (vtrace_is_fork(nr) && (vtrace_clone_flags(call, nr) & (CLONE_VM |
	    CLONE_THREAD)) == CLONE_VM) {
		v->vfork_pid = facet_pid(call);
		vtrace_live_add(v, 1);
	}
	/* clones are followed whether they are recorded or not */
	if (!v->filter.want[nr] && vtrace_is_fork(nr)) {
		memset(facet_scratch(call), 0, sizeof(struct vtrace_slot *));
		return FACET_CONTINUE_EXIT;
	}
	thread_exit = nr == SYS_exit && v->nthreads > 1;
	verdict = vtrace_enter_call(v, call);
	/* after its "exit_group(127) = ?" */
	vtrace_inproc_vfork_exit(v, call);
	if (thread_exit) {
		if (v->started)
			vtrace_out_exit(v, facet_pid(call), facet_tid(call),
					((int)facet_arg(call, 0) & 0xff) << 8);
		v->nthreads--;
		vtrace_live_add(v, -1);
	}
	return verdict;
}

static enum facet_verdict vtrace_enter_call(struct vtrace *v,
					    struct facet_call *call)
{
	long nr = facet_nr(call);
	struct vtrace_slot *s;
	double ts = vtrace_now();
	int hidden = 0;

	if (!facet_syscall(nr) || (!v->started && !vtrace_is_exec(nr)) ||
	    (!v->filter.want[nr] && !vtrace_is_internal(nr)) ||
	    vtrace_is_detached(v, facet_pid(call)))
		goto skip;
	/* -P: a call that touches none of the paths is not recorded */
	hidden = v->ntrace_paths && !vtrace_pathtrace_match(v, call, nr);
	if (hidden && !vtrace_is_internal(nr))
		goto skip;
	s = vtrace_slot_get(v);
	s->hidden = hidden;
	s->pid = facet_pid(call);
	s->tid = facet_tid(call);
	s->nr = nr;
	s->ts = ts;
	s->stack.len = 0;
	s->announced = 0;
	s->inflight = 0;
	s->ip_end = 0;
	if (v->show_ip)
		s->ip = facet_instruction_pointer(call);
	if (v->stack && v->started)
		vtrace_stack_capture(v, s->pid, s->tid, &s->stack);
	vtrace_decode_entry(v, call, s);
	if (nr == SYS_restart_syscall)
		vtrace_restart_args(v, s);
	if (v->role == VTRACE_IMAGE)	/* after the decoding: the fd shows */
		vtrace_inproc_guard(v, call);
	if (nr == SYS_exit || nr == SYS_exit_group) {
		vtrace_out_syscall(v, s, 0, ts, 1);
		vtrace_slot_put(v, s);
		return FACET_CONTINUE;
	}
	if (vtrace_is_exec(nr))
		vtrace_exec_track(v, s, 1);
	memcpy(facet_scratch(call), &s, sizeof(s));
	s->pending = 0;
	s->cpu = 0;
	if (v->summary != VTRACE_SUM_NONE && !v->summary_wall)
		s->cpu0 = vtrace_summary_cpu(v, s->pid, s->tid);
	s->t0 = vtrace_now();
	if (vtrace_is_exec(nr) && v->role == VTRACE_IMAGE)
		vtrace_inproc_exec_save(v, s);	/* for the new image */
	/* in-process: facet writes it (-c: counts a kill() of itself) if
	 * the process dies in it */
	if (v->role == VTRACE_IMAGE && vtrace_inflight_wanted(nr) &&
	    v->started && !hidden && v->filter.want[nr])
		vtrace_inflight_put(v, s);
	return FACET_CONTINUE_EXIT;
skip:
	if (v->role == VTRACE_IMAGE)
		vtrace_inproc_guard(v, call);
	return FACET_CONTINUE;
}

/*
 * A child that shared our memory until it exec'd or ended (posix_spawn's
 * CLONE_VM|CLONE_VFORK) ran its calls on our state: its slots are ours
 * to free, and it had no fork event of its own (it was counted among the
 * live threads at the clone's entry).
 */
static void vtrace_inproc_vforked(struct vtrace *v, pid_t child, pid_t pid)
{
	vtrace_slots_end(v, 0, child, NULL, 0);
	if (v->started)
		vtrace_out_fork(v, child, pid);
}

/*
 * In-process, the end of a call that a supervisor sees differently: a
 * fork returns in the child too (not recorded: the parent's line has it),
 * a new thread counts, a failed execve frees its pending entry.
 * Return: 1 if the call is done with
 */
static int vtrace_inproc_exit(struct vtrace *v, struct facet_call *call,
			      struct vtrace_slot *s, long ret)
{
	long nr = facet_nr(call);
	unsigned long flags;

	if (s && vtrace_is_exec(s->nr))
		vtrace_inproc_exec_drop(v, s);
	if (!vtrace_is_fork(nr))
		return 0;
	if (ret == 0) {
		if (s)
			vtrace_slot_put(v, s);
		return 1;
	}
	flags = vtrace_clone_flags(call, nr);
	if ((flags & (CLONE_VM | CLONE_THREAD)) == CLONE_VM) {
		v->vfork_pid = 0;	/* the child exec'd or ended */
		if (ret < 0)
			vtrace_live_add(v, -1);	/* counted at entry */
	}
	if (ret < 0 && (flags & CLONE_THREAD)) {
		v->nthreads--;		/* counted at entry */
		vtrace_live_add(v, -1);
	}
	if (ret > 0 && (flags & CLONE_VM) && !(flags & CLONE_THREAD))
		vtrace_inproc_vforked(v, (pid_t)ret, facet_pid(call));
	return 0;
}

static void vtrace_exit(void *self, struct facet_call *call)
{
	struct vtrace *v = self;
	double end = vtrace_now();
	struct vtrace_slot *s;
	long ret;

	memcpy(&s, facet_scratch(call), sizeof(s));
	ret = facet_result(call);
	if (v->role == VTRACE_IMAGE && vtrace_inproc_exit(v, call, s, ret))
		return;
	if (!s)
		return;
	if (vtrace_is_exec(s->nr))
		vtrace_exec_track(v, s, 0);
	vtrace_restart_note(v, s->tid, s->nr, ret);
	if (!vtrace_is_exec(s->nr) && vtrace_is_internal(s->nr) && ret == 0)
		vtrace_cwd_forget_all(v);
	if (v->started && v->filter.want[s->nr] && !s->hidden) {
		if (v->show_ip)
			s->ip_end = facet_instruction_pointer(call);
		if (v->summary != VTRACE_SUM_NONE && !v->summary_wall)
			s->cpu = vtrace_summary_cpu(v, s->pid, s->tid) -
				 s->cpu0;
		vtrace_decode_exit(v, call, s, ret);
		/* freed first: killed now, it has no line rather than two */
		if (s->inflight)
			vtrace_inflight_drop(v, s);
		vtrace_out_syscall(v, s, ret, end - s->t0 + s->ts, 0);
	}
	vtrace_slot_put(v, s);
}

/* In-process, a fork child: the parent's calls in flight are not its own */
static void vtrace_inproc_forked(struct vtrace *v)
{
	struct vtrace_slot *s;
	int i;

	for (s = v->active; s; s = s->next)
		s->inflight = 0;	/* the parent's entries, not freed */
	while (v->active)
		vtrace_slot_put(v, v->active);
	memset(v->execs, 0, sizeof(v->execs));
	/* the parent's slots are the parent's to write: the one output gets
	 * a slot of its own, a FILE.PID of its own one when it is opened */
	for (i = 0; i < v->nfiles; i++) {
		v->files[i].kept = NULL;
		if (!v->files[i].pid && v->sh->output[0] &&
		    v->files[i].fd >= 0)
			vtrace_outslot_claim(v, &v->files[i]);
	}
	v->out_since = 0;
	v->nthreads = 1;
	v->fresh = 1;
	vtrace_out_prepare(v, getpid());
}

/*
 * In-process, a new image: the execve that started it (left by the old
 * image) is written here.  The first image that finds one is the
 * command's (facet-preload-exec, which execs it, has none): the trace
 * starts there, and its JSONL header with it.
 */
static void vtrace_inproc_exec(struct vtrace *v, pid_t pid)
{
	struct vtrace_slot *s = vtrace_slot_get(v);
	int first;

	if (!vtrace_inproc_exec_take(v, pid, s)) {
		vtrace_slot_put(v, s);
		return;
	}
	first = !__atomic_exchange_n(&v->sh->started, 1, __ATOMIC_ACQ_REL);
	if (first) {
		vtrace_live_add(v, 1);	/* the command (facet is not counted) */
		v->fresh = 1;
		if (v->nfiles && !v->per_process) {
			v->files[0].header = 0;	/* JSONL: the header */
			v->files[0].events = 0;	/* perfetto: no comma */
		}
	}
	v->started = 1;
	/* the thread's CPU clock goes on across the exec */
	s->cpu = v->summary != VTRACE_SUM_NONE && !v->summary_wall ?
		 vtrace_summary_cpu(v, pid, s->tid) - s->cpu0 : 0;
	if (v->detach_exec && !first) {		/* -b execve */
		if (v->filter.want[s->nr] && !s->hidden)
			vtrace_out_detached(v, s);
		v->self_detached = 1;
		vtrace_live_add(v, -1);
		vtrace_slot_put(v, s);
		return;
	}
	/* another thread exec'd: it is now the process's thread */
	if (s->tid != pid) {
		vtrace_out_superseded(v, pid, s->tid);
		s->tid = pid;
	}
	vtrace_out_exec(v, pid, s);
	if (v->filter.want[s->nr] && !s->hidden)
		vtrace_out_syscall(v, s, 0, vtrace_now() - s->t0 + s->ts, 0);
	vtrace_slot_put(v, s);
}

/*
 * A thread of a running process is traced from now on (facet trace -p):
 * the trace starts with it.  A restart_syscall it makes first resumes a
 * call nobody saw; strace 6.1 names it "read" (the first entry of its
 * table), and so does the trace.
 */
static void vtrace_attached(struct vtrace *v, pid_t tid)
{
	v->started = 1;
	vtrace_live_add(v, 1);
	vtrace_restart_note(v, tid, SYS_read, -VTRACE_ERESTART_RESTARTBLOCK);
}

/*
 * A thread is left to run untraced: its call in flight ends with strace's
 * " <detached ...>" (nothing more if another record cut it already)
 */
static void vtrace_detached_thread(struct vtrace *v, pid_t tid)
{
	struct vtrace_slot *s, *next;

	for (s = v->active; s; s = next) {
		next = s->next;
		if (s->tid != tid)
			continue;
		vtrace_exec_track(v, s, 0);
		if (v->started && v->filter.want[s->nr] && !s->hidden)
			vtrace_out_detached(v, s);
		vtrace_slot_put(v, s);
	}
	vtrace_live_add(v, -(v->live > 1));
}

static void vtrace_process(void *self, enum facet_proc_event ev, pid_t pid,
			   long other)
{
	const struct facet_thread_exit *tx = (const void *)other;
	const struct facet_signal *sig = (const void *)other;
	struct vtrace *v = self;
	struct vtrace_slot *s;

	if (vtrace_detached_event(v, ev, pid, other))
		return;
	switch (ev) {
	case FACET_PROC_FORK:
		if (v->role == VTRACE_IMAGE)
			vtrace_inproc_forked(v);
		vtrace_live_add(v, 1);
		if (v->started)
			vtrace_out_fork(v, pid, (pid_t)other);
		break;
	case FACET_PROC_THREAD:
		vtrace_live_add(v, 1);
		break;
	case FACET_PROC_THREAD_EXIT:
		vtrace_slot_flush_tid(v, tx->tid);
		if (v->started)
			vtrace_out_exit(v, pid, tx->tid, tx->status);
		vtrace_live_add(v, -(v->live > 1));
		break;
	case FACET_PROC_KILLED:	/* preload: facet reports the end */
		if (v->role != VTRACE_OWNER)
			break;
		vtrace_outslot_reap(v, pid);	/* its last records first */
		vtrace_inflight_write(v, pid, (int)other);  /* then its calls */
		if (v->sh->started)
			vtrace_out_exit(v, pid, pid, (int)other);
		break;
	case FACET_PROC_SIGNAL:
		if (!v->started || sig->info->si_signo <= 0 ||
		    sig->info->si_signo > 64 ||
		    !v->sigwant[sig->info->si_signo])
			break;
		/* strace -k: where the thread was when the signal came */
		v->sigstack.len = 0;
		if (v->stack)
			vtrace_stack_capture(v, pid, sig->tid, &v->sigstack);
		vtrace_out_signal(v, pid, sig->tid, sig->info);
		break;
	case FACET_PROC_STOPPED:	/* shown as the signal's delivery */
		if (v->started && sig->info->si_signo > 0 &&
		    sig->info->si_signo <= 64 &&
		    v->sigwant[sig->info->si_signo])
			vtrace_out_stopped(v, pid, sig->tid,
					   sig->info->si_signo);
		break;
	case FACET_PROC_EXEC:
		if (v->role == VTRACE_IMAGE) {
			/* the old image's other threads' calls ended */
			vtrace_inflight_write(v, pid, 0);
			vtrace_inproc_exec(v, pid);
			break;
		}
		if (vtrace_is_detached(v, pid))
			break;
		if (v->stack)
			vtrace_stack_forget(v, pid);
		s = vtrace_exec_find(v, (pid_t)other);
		vtrace_slot_flush(v, pid, s);
		/* another thread exec'd: it is now the process's thread */
		if (s && (pid_t)other != pid) {
			if (v->started)
				vtrace_out_pid_changed(v, pid, s);
			vtrace_live_add(v, -(v->live > 1));	/* the leader */
			if (v->started)
				vtrace_out_superseded(v, pid, s->tid);
			s->tid = pid;
		}
		/* -b execve: the command's first exec starts the trace */
		if (v->detach_exec && v->started && s) {
			vtrace_detach(v, pid, s);
			break;
		}
		v->started = 1;
		vtrace_out_exec(v, pid, s);
		break;
	case FACET_PROC_EXIT:
		vtrace_cwd_forget(v, pid);
		vtrace_slot_flush(v, pid, NULL);
		if (v->stack)
			vtrace_stack_forget(v, pid);
		if (v->started && v->role == VTRACE_IMAGE)
			vtrace_inproc_threads_end(v, pid, (int)other);
		if (v->started)
			vtrace_out_exit(v, pid, pid, (int)other);
		if (v->role == VTRACE_IMAGE)
			vtrace_live_add(v, -v->nthreads);
		else
			vtrace_live_add(v, -(v->live > 1));
		break;
	case FACET_PROC_ATTACH:
		vtrace_attached(v, (pid_t)other);
		break;
	case FACET_PROC_DETACH:
		vtrace_detached_thread(v, (pid_t)other);
		break;
	}
}

static void vtrace_stop(void *self)
{
	struct vtrace *v = self;

	vtrace_out_close(v);
	if (v->role == VTRACE_OWNER && v->sh->err_fd >= 0)
		close(v->sh->err_fd);
	vtrace_stack_stop(v);
	while (v->free) {
		struct vtrace_slot *s = v->free;

		v->free = s->next;
		vtrace_buf_free(&s->args);
		vtrace_buf_free(&s->stack);
		free(s);
	}
	vtrace_buf_free(&v->line);
	vtrace_buf_free(&v->retstr);
	vtrace_buf_free(&v->sigstack);
	vtrace_buf_free(&v->argv);
	free(v->tids);
	v->tids = NULL;
	free(v->strbuf);
	v->strbuf = NULL;
	if (!v->sh)
		free(v->sysnums);
	v->sysnums = NULL;
	free(v->raw);
	v->raw = NULL;
	free(v->abbrev);
	v->abbrev = NULL;
}

static const struct facet_module vtrace_module = {
	.abi = FACET_MODULE_ABI,
	.name = "vtrace",
	.summary = "record system calls: strace-like text, JSON lines, "
		   "Perfetto",
	.options = vtrace_options,
	.self_size = sizeof(struct vtrace),
	.option = vtrace_option,
	.start = vtrace_start,
	.wants = vtrace_wants,
	.enter = vtrace_enter,
	.exit = vtrace_exit,
	.process = vtrace_process,
	.stop = vtrace_stop,
};

FACET_MODULE_BUILTIN(vtrace_module);
/*
 * Only the supervisor sees every call (the dynamic loader's before the
 * shim is loaded, signal deliveries, static programs): `auto` keeps the
 * full strace fidelity, and `--backend preload` records in-process, much
 * faster, with the differences docs/trace-format.md lists.
 */
FACET_MODULE_PREFERS_PTRACE(vtrace_module);
