// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vtrace/vtrace.h - Syscall trace recording: shared declarations
 *
 * DOC: Theory of operation
 *
 * vtrace wants every system call (or those its filter picks) with
 * FACET_HOOK_EXIT.  At entry it takes a slot (struct vtrace_slot, from a
 * free list: no allocation per event once warm), stamps the start time and
 * decodes the input arguments, since the caller's memory may change or, for
 * execve, vanish.  At exit it decodes the output arguments and the result,
 * renders one record (text, JSON line or trace event) into one buffer and
 * hands it to the output (vtrace_outbuf.c: buffered for files, written
 * at record boundaries), so a trace cut short holds whole events but for
 * its last line, which a SIGKILL in the middle of a write(2) can cut.
 * Calls before the command's first successful execve (the supervisor's
 * start-up) are not recorded, so a trace starts with execve as strace's.
 */
#ifndef FACET_MODULES_VTRACE_H
#define FACET_MODULES_VTRACE_H

#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <time.h>

#include <facet/module.h>

/**
 * struct vtrace_buf - A growable text buffer
 * @p:		Text, always NUL-terminated once anything was appended
 * @len:	Length
 * @cap:	Allocated size
 */
struct vtrace_buf {
	char *p;
	size_t len, cap;
};

#define VTRACE_FIXED	48	/* bytes of a vtrace_fixed() number */

const char *vtrace_fixed(char *out, double x, int decimals);
void vtrace_buf_reserve(struct vtrace_buf *b, size_t more);
void vtrace_buf_put(struct vtrace_buf *b, const char *s, size_t n);
void vtrace_buf_puts(struct vtrace_buf *b, const char *s);
void vtrace_buf_printf(struct vtrace_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void vtrace_buf_quote(struct vtrace_buf *b, const unsigned char *s, size_t n,
		      size_t max, int cut);
void vtrace_buf_quote_hex(struct vtrace_buf *b, const unsigned char *s,
			  size_t n, size_t max);
/* strace -x (non-ASCII strings), -xx (all strings) in \xNN escapes */
enum vtrace_hex { VTRACE_HEX_NONE, VTRACE_HEX_NON_ASCII, VTRACE_HEX_ALL };
extern int vtrace_hex_strings;
int vtrace_hex_wanted(const unsigned char *s, size_t n);
void vtrace_buf_hex(struct vtrace_buf *b, const unsigned char *s, size_t n);
void vtrace_buf_json(struct vtrace_buf *b, const char *s, size_t n);
void vtrace_buf_free(struct vtrace_buf *b);

/**
 * struct vtrace_filter - Which syscalls are recorded
 * @want:	Non-zero per syscall number to record
 */
struct vtrace_filter {
	uint8_t want[FACET_NR_MAX];
};

int vtrace_filter_parse(struct vtrace_filter *f, const char *spec,
			struct facet_err *err);
int vtrace_filter_parse_new(struct vtrace_filter **f, const char *spec,
			    const char *what, struct facet_err *err);
int vtrace_filter_signals(uint8_t *want, const char *spec,
			  struct facet_err *err);

/* Bits of struct vtrace's @status: which ends of a call are recorded */
#define VTRACE_ST_SUCCESSFUL	(1u << 0)
#define VTRACE_ST_FAILED	(1u << 1)
#define VTRACE_ST_UNFINISHED	(1u << 2)

/* Formats and timestamp styles */
enum vtrace_format { VTRACE_TEXT, VTRACE_JSONL, VTRACE_PERFETTO };
enum vtrace_tsmode { VTRACE_TS_NONE, VTRACE_TS_T, VTRACE_TS_TT,
		     VTRACE_TS_TTT };
enum vtrace_summary { VTRACE_SUM_NONE, VTRACE_SUM_ONLY, VTRACE_SUM_ALSO };
/* Columns of the summary table and what it is sorted by (strace -U, -S) */
enum vtrace_sumcol { VTRACE_COL_PERCENT, VTRACE_COL_TOTAL, VTRACE_COL_MIN,
		     VTRACE_COL_MAX, VTRACE_COL_AVG, VTRACE_COL_CALLS,
		     VTRACE_COL_ERRORS, VTRACE_COL_NAME, VTRACE_COL_NONE,
		     VTRACE_NCOLS = VTRACE_COL_NONE };

#define VTRACE_PATHS	2

/**
 * struct vtrace_slot - One call in flight, from entry to exit
 * @next:	Free list or in-flight list link
 * @prev:	In-flight list link
 * @pid:	Process
 * @tid:	Thread
 * @nr:		Syscall number
 * @nargs:	Arguments shown (the table's, 1 for rt_sigreturn's mask)
 * @raw:	The argument registers at entry
 * @int_in:	An in-out int argument's value at entry (socklen)
 * @int_in_set:	1 + the index of the argument @int_in was read from, or 0
 * @namelen_in:	recvmsg: the msghdr's msg_namelen at entry
 * @namelen_in_set: @namelen_in was read
 * @ts:		Entry time, seconds since the epoch
 * @t0:		Time the call went on to the kernel (for its duration)
 * @cpu0:	--summary: its thread's CPU time then (vtrace_summary.c)
 * @cpu:	--summary: CPU time the thread spent in the call
 * @args:	Decoded arguments, one after the other
 * @off:	Where argument i starts in @args
 * @len:	Its length
 * @npaths:	Path arguments seen
 * @paths:	Their plain text, for JSONL "paths"
 * @fd_path:	Path of the call's first fd argument or fd result, or ""
 * @sockaddr:	Socket address as "inet:127.0.0.1:80", or ""
 * @stack:	--stack: frames, one per line
 * @announced: Its start was written as "<unfinished ...>" (text)
 * @xoff:	Where text to show after the result starts in @args (poll's
 *		returned events)
 * @xlen:	Its length, 0 if none
 * @toff:	Where clone3's " => {parent_tid=[N]}" starts in @args
 * @clone3_late: clone3 stores a pidfd or tid: that is shown at exit,
 *		before the size (else the size comes at entry, as strace)
 * @tlen:	Its length, 0 if none
 * @pending:	preload: 1 + its entry in vtrace_shared's pending execs
 * @hidden:	Not to be recorded: it touches none of the -P paths
 * @doff:	Where its hex dump lines (-e read=, write=) start in @args
 * @dlen:	Their length, 0 if none
 * @ip:		-i: the instruction pointer at entry
 * @ip_end:	-i: at exit (a "<... resumed>" line's)
 * @raw_args:	Its arguments and result are shown in hex (-e raw=)
 * @inflight:	preload: 1 + its entry in vtrace_shared's @inflight (a
 *		call that may block or end the process), or 0
 * @dead:	preload: a call its process died in, to be written
 *		(vtrace_inflight_write())
 */
struct vtrace_slot {
	struct vtrace_slot *next, *prev;
	pid_t pid, tid;
	long nr;
	int nargs;
	long raw[6];
	long long int_in;
	int int_in_set;
	unsigned namelen_in;
	int namelen_in_set;
	double ts, t0;
	double cpu0, cpu;
	struct vtrace_buf args;
	unsigned off[6], len[6];
	int npaths;
	char paths[VTRACE_PATHS][PATH_MAX];
	char fd_path[PATH_MAX];
	char sockaddr[160];
	struct vtrace_buf stack;
	int announced;
	unsigned xoff, xlen;
	unsigned toff, tlen;
	int clone3_late;
	int pending;
	int hidden;
	unsigned doff, dlen;
	uint64_t ip, ip_end;
	int raw_args;
	int inflight;
	int dead;
};

/**
 * struct vtrace_dwfl - Symbols of one process's images (--stack)
 * @pid:	Process
 * @dwfl:	libdw session (Dwfl *), or NULL
 */
struct vtrace_dwfl {
	pid_t pid;
	void *dwfl;
};

#define VTRACE_DWFL	64

/**
 * struct vtrace_cwd - A process's working directory, as last read
 * @pid:	Process, 0 for a free entry
 * @path:	Its path
 */
struct vtrace_cwd {
	pid_t pid;
	char path[PATH_MAX];
};

#define VTRACE_CWDS	16

/**
 * struct vtrace_restart - A thread's call the kernel restarts with
 *			    restart_syscall() (vtrace_restart.c)
 * @tid:	Thread, 0 for a free entry
 * @nr:		The call
 */
struct vtrace_restart {
	pid_t tid;
	long nr;
};

#define VTRACE_RESTARTS	16

/**
 * struct vtrace_file - An output file (one, or one per process)
 * @pid:	Process it belongs to, 0 for the shared file
 * @fd:		Open file
 * @events:	Events written (perfetto: whether a comma is due)
 * @header:	Header written (JSONL)
 * @out:	Records not written yet (vtrace_outbuf.c)
 * @failed:	A write failed (said once): the file is not written again
 * @kept:	Under preload: its records gathered in the view's shared
 *		memory (vtrace_outslot.c), or NULL
 * @kept_at:	That slot's index
 */
struct vtrace_file {
	pid_t pid;
	int fd;
	unsigned long events;
	int header;
	struct vtrace_buf out;
	int failed;
	struct vtrace_outslot *kept;
	int kept_at;
};

/**
 * struct vtrace_count - Totals of one syscall for --summary
 * @calls:	Calls
 * @errors:	Failed calls
 * @time:	Seconds in the call
 * @min:	Seconds of the shortest call (strace -U min-time)
 * @max:	Seconds of the longest call (strace -U max-time)
 */
struct vtrace_count {
	unsigned long calls, errors;
	double time, min, max;
};

/* fds whose buffers -e read=, -e write= can dump; [0] read, [1] write */
#define VTRACE_DUMP_FDS		1024

/* Where the module runs: see vtrace_inproc.c */
enum vtrace_role {
	VTRACE_SUPERVISOR,	/* the ptracer: every process from outside */
	VTRACE_OWNER,		/* preload: facet itself, the view's start */
	VTRACE_IMAGE,		/* preload: inside one traced process image */
};

#define VTRACE_PENDING		32
/* strace -n: threads whose last call is kept (a power of 2) */
#define VTRACE_SYSNUMS		1024
#define VTRACE_PENDING_ARGS	8192
/* preload: files whose records can be gathered at once, and how many */
#define VTRACE_OUTSLOTS		256
#define VTRACE_OUTSLOT_SIZE	4096
/* preload: calls in flight that facet writes if their process dies */
#define VTRACE_INFLIGHT		256
#define VTRACE_INFLIGHT_DATA	2048

/**
 * struct vtrace_outslot - The records a process gathered for one file, in
 *			   the view's shared memory (vtrace_outslot.c; its
 *			   process and file: vtrace_shared's @outslot_pid
 *			   and @outslot_key)
 * @len:	Bytes of whole records in @data
 * @data:	The records
 */
struct vtrace_outslot {
	unsigned int len;
	char data[VTRACE_OUTSLOT_SIZE];
};

/**
 * struct vtrace_inflight - A call in flight that may block or end its
 *			     process, as its entry decoded it, for facet to
 *			     write if the process dies in it
 *			     (vtrace_inflight.c; its process: vtrace_shared's
 *			     @inflight_pid)
 * @tid:	Thread
 * @nr:		Syscall number
 * @nargs:	Arguments shown
 * @announced:	Its start was written as "<unfinished ...>"
 * @raw_args:	Shown in hex (-e raw=)
 * @npaths:	Paths in @data after the arguments (JSONL)
 * @ts:		Entry time
 * @raw:	The argument registers
 * @off:	Where argument i starts in @data
 * @len:	Its length
 * @args_len:	Bytes of arguments in @data; then @npaths paths, the fd's
 *		path and the socket address, each NUL-terminated
 * @data:	Decoded arguments
 */
struct vtrace_inflight {
	pid_t tid;
	int nr;
	int nargs;
	int announced;
	int raw_args;
	int npaths;
	double ts;
	long raw[6];
	unsigned off[6], len[6];
	unsigned args_len;
	char data[VTRACE_INFLIGHT_DATA];
};

/**
 * struct vtrace_pending - An execve on its way to the image it starts
 *			    (its process: vtrace_shared's @pending_pid)
 * @tid:	Thread that made the call
 * @nr:		execve or execveat
 * @nargs:	Arguments shown
 * @ts:		Entry time
 * @t0:		Time it went on to the kernel
 * @cpu0:	--summary: its thread's CPU time then
 * @off:	Where argument i starts in @args
 * @len:	Its length
 * @args_len:	Bytes of @args used
 * @args:	Decoded arguments
 * @npaths:	1 if @path is set
 * @path:	The program's path, for the JSONL exec record
 * @hidden:	Not to be recorded (-P)
 * @nthreads:	Threads of the old image: the exec ends all but one
 */
struct vtrace_pending {
	pid_t tid;
	long nr;
	int nargs;
	double ts, t0;
	double cpu0;
	unsigned off[6], len[6];
	size_t args_len;
	char args[VTRACE_PENDING_ARGS];
	int npaths;
	char path[PATH_MAX];
	int hidden;
	int nthreads;
};

/**
 * struct vtrace_shared_count - --summary totals of one syscall, view-wide
 * @calls:	Calls
 * @errors:	Failed calls
 * @ns:		Nanoseconds in the call
 * @min_ns1:	Nanoseconds of the shortest call plus one, 0 before any
 * @max_ns:	Nanoseconds of the longest call
 */
struct vtrace_shared_count {
	uint64_t calls, errors, ns;
	uint64_t min_ns1, max_ns;
};

/**
 * struct vtrace_shared - What every process of a preload view shares
 * @owner:	facet's pid
 * @output:	-o FILE, absolute, or "" for stderr
 * @err_fd:	stderr output: facet's stderr, inherited by every process
 *		at this number (one open file, one offset), or -1
 * @err_dev:	Its device, to know it is still the same file
 * @err_ino:	Its inode
 * @start:	Time the trace started (relative times are from it)
 * @gmtoff:	facet's local time offset from UTC, for time-of-day stamps
 *		(strace's are its own time zone's too)
 * @started:	The command's first image has started
 * @live:	Threads traced (text on stderr: "[pid N]" while several)
 * @pending_pid: Process of each @pending entry, 0 if free (together, so
 *		that looking for one touches one page, not 32)
 * @counts:	--summary totals
 * @write_claim: An image is reporting a write error (the first one only)
 * @write_err:	That error (errno), for facet to say at the end, or 0
 * @write_path:	The file it could not write
 * @pending:	execve calls waiting for their new image
 * @sysnums:	-n: the last call of each thread (vtrace_sysnum.c)
 * @outslot_pid: Process of each @outslots entry, 0 if free (together, as
 *		@pending_pid)
 * @outslot_key: Its file: 0 the one output, else FILE.key (--per-process)
 * @outslots:	Records gathered for -o files, for facet to write out if
 *		their process is killed (vtrace_outslot.c)
 * @inflight_pid: Process of each @inflight entry: 0 free, -pid while its
 *		process fills it, pid once whole (together, as @pending_pid)
 * @inflight:	Calls in flight that may block or end their process
 */
struct vtrace_shared {
	pid_t owner;
	char output[PATH_MAX];
	int err_fd;
	dev_t err_dev;
	ino_t err_ino;
	double start;
	long gmtoff;
	int started;
	int live;
	pid_t pending_pid[VTRACE_PENDING];
	struct vtrace_shared_count counts[FACET_NR_MAX];
	int write_claim;
	int write_err;
	char write_path[PATH_MAX + 16];
	struct vtrace_pending pending[VTRACE_PENDING];
	uint64_t sysnums[VTRACE_SYSNUMS];
	pid_t outslot_pid[VTRACE_OUTSLOTS];
	pid_t outslot_key[VTRACE_OUTSLOTS];
	struct vtrace_outslot outslots[VTRACE_OUTSLOTS];
	pid_t inflight_pid[VTRACE_INFLIGHT];
	struct vtrace_inflight inflight[VTRACE_INFLIGHT];
};

/**
 * struct vtrace - The module's state
 * @output:	Output file name, "" for stderr
 * @format:	enum vtrace_format
 * @filter:	Syscalls to record
 * @filtered:	A filter was given
 * @strsize:	Bytes shown of a string (-s)
 * @strsize_set: -s was given (0 is a valid size)
 * @strbuf:	strsize + 2 bytes, for strings read from the caller
 * @tsmode:	enum vtrace_tsmode, the time of the call (-t, -tt, -ttt)
 * @ts_rel:	Also the time since the previous event (-r), as strace
 *		"(+ 0.000012)" after an absolute time
 * @durations:	Show durations in text (-T)
 * @summary:	enum vtrace_summary
 * @summary_wall: --summary counts wall time, not CPU time (strace -w)
 * @sum_sort:	enum vtrace_sumcol the table is sorted by (strace -S; the
 *		default, 0, is the time)
 * @sum_cols:	enum vtrace_sumcol, the table's columns in order (-U)
 * @nsum_cols:	Their number, 0 for strace's default five and the name
 * @per_process: One file per process (or per thread)
 * @per_thread: One file per thread, lines without the thread id
 *		(strace -ff); @per_process is set too
 * @pid_several: Text in a file: the thread id only while several threads
 *		are traced (strace -p without -f), not on every line
 * @first:	The view's first start (output files are emptied)
 * @started:	The command's first execve succeeded
 * @start:	Time of start(), seconds since the epoch
 * @last_ts:	Start of the previous event (-r)
 * @argv:	Command line of the first process, JSON array text
 * @free:	Free slots
 * @active:	Calls in flight (entered, not returned)
 * @line:	The record being written
 * @retstr:	The result being rendered
 * @sigstack:	The stack of the thread a signal is delivered to (--stack)
 * @files:	Open output files
 * @nfiles:	Their number
 * @counts:	--summary totals per syscall
 * @tids:	Threads seen (perfetto thread names), open addressing
 * @ntids:	Size of @tids
 * @execs:	Slots of execve calls in flight, for the exec event
 * @status:	VTRACE_ST_* bits of the calls to record (-z, -Z)
 * @status_set:	A status filter was given
 * @sigwant:	Per signal number, whether its deliveries are shown
 * @sigwant_set: A signal set was given
 * @quiet_exit: Leave out "+++ exited with N +++" lines (strace -qq)
 * @quiet_exec: Leave out "+++ superseded by execve in pid N +++" lines
 *		(strace -qqq, -e quiet=thread-execve)
 * @live:	Threads being traced (strace's "[pid N]" prefix on stderr
 *		needs to know whether there are several)
 * @buffered:	Records to files are buffered (vtrace_outbuf.c)
 * @out_lock:	Protects @files and their buffers from the flushing thread
 * @out_cond:	Wakes the flushing thread to stop
 * @out_thread: The flushing thread
 * @out_stop:	Tells it to stop
 * @cwd:	Working directories of recent processes (vtrace_cwd.c)
 * @cwd_next:	Entry to reuse next when all are taken
 * @stack:	--stack was given
 * @unw_as:	libunwind address space (unw_addr_space_t)
 * @dwfl:	Symbol sessions by pid
 * @role:	enum vtrace_role
 * @sh:		preload: the view's shared state
 * @nthreads:	preload image: threads of this process
 * @fresh:	preload image: this process is new to the view (its FILE.PID
 *		is emptied when first opened)
 * @files_cap:	Room in @files
 * @gmtoff:	preload image: facet's local time offset from UTC (shared)
 * @joined:	A supervisor that took over a static program from a preload
 *		view: it writes into the view's trace (vtrace_inproc.c)
 * @out_since:	preload image: when the oldest buffered record was put
 * @write_err:	The first output write error said (errno), or 0
 * @vfork_pid:	preload image: while a CLONE_VM child (posix_spawn's) runs
 *		on this memory, the parent's pid, else 0
 * @restarts:	Calls interrupted to be restarted, by thread
 * @restart_next: Entry of @restarts to reuse next when all are taken
 * @column:	Text: the column " = " is aligned to (strace -a, 40)
 * @trace_paths: Paths whose calls alone are recorded (strace -P), with
 *		what they resolve to
 * @ntrace_paths: Their number, 0 for every call
 * @dump:	Per fd (VTRACE_DUMP_FDS bits), read and write buffers to
 *		show in hex after the call (strace -e read=, -e write=)
 * @dump_on:	Any bit of @dump is set
 * @detach_exec: Stop recording a process at its execve (strace -b
 *		execve), but the command's first
 * @detached:	Processes no longer recorded (supervisor)
 * @ndetached:	Their number
 * @detached_cap: Room in @detached
 * @self_detached: preload image: this process is no longer recorded
 * @sysnum:	Text: each line starts with its call's number (strace -n)
 * @sysnums:	-n: the last call of each thread, or NULL without -n
 * @show_ip:	Text: each line starts with the instruction pointer
 *		(strace -i)
 * @raw:	Calls whose arguments are shown in hex (strace -e raw=), or
 *		NULL
 * @abbrev:	Calls whose structs and arrays are abbreviated (strace -e
 *		abbrev=SET; -v is abbrev=none), or NULL for all of them
 */
struct vtrace {
	char output[PATH_MAX];
	int format;
	struct vtrace_filter filter;
	int filtered;
	int strsize;
	int strsize_set;
	unsigned char *strbuf;
	int tsmode;
	int ts_rel;
	int durations;
	int summary;
	int summary_wall;
	int sum_sort;
	uint8_t sum_cols[VTRACE_NCOLS];
	int nsum_cols;
	int per_process;
	int per_thread;
	int pid_several;
	int first;
	int started;
	double start;
	double last_ts;
	struct vtrace_buf argv;
	struct vtrace_slot *free;
	struct vtrace_slot *active;
	struct vtrace_buf line;
	struct vtrace_buf retstr;
	struct vtrace_buf sigstack;
	struct vtrace_file *files;
	int nfiles;
	struct vtrace_count counts[FACET_NR_MAX];
	pid_t *tids;
	size_t ntids;
	struct vtrace_slot *execs[64];
	unsigned status;
	int status_set;
	uint8_t sigwant[65];
	int sigwant_set;
	int quiet_exit;
	int quiet_exec;
	int live;
	int buffered;
	pthread_mutex_t out_lock;
	pthread_cond_t out_cond;
	pthread_t out_thread;
	int out_stop;
	struct vtrace_cwd cwd[VTRACE_CWDS];
	unsigned cwd_next;
	int stack;
	void *unw_as;
	struct vtrace_dwfl dwfl[VTRACE_DWFL];
	int role;
	struct vtrace_shared *sh;
	int nthreads;
	int fresh;
	int files_cap;
	long gmtoff;
	int joined;
	double out_since;
	int write_err;
	pid_t vfork_pid;
	struct vtrace_restart restarts[VTRACE_RESTARTS];
	unsigned restart_next;
	int column;
	char **trace_paths;
	int ntrace_paths;
	uint64_t dump[2][VTRACE_DUMP_FDS / 64];
	int dump_on;
	int detach_exec;
	pid_t *detached;
	int ndetached, detached_cap;
	int self_detached;
	int sysnum;
	uint64_t *sysnums;
	int show_ip;
	struct vtrace_filter *raw;
	struct vtrace_filter *abbrev;
};

/**
 * vtrace_abbrev() - Are call @nr's structs abbreviated, as strace's
 *		      default ("{st_mode=..., st_size=13, ...}", "/ * 3 vars
 *		      * /", arrays cut at -s elements)?
 * @v:		Module state
 * @nr:		Syscall number
 *
 * -e abbrev=SET keeps the abbreviations for the calls of SET alone; -v
 * (--no-abbrev) is abbrev=none.  Only the decoders of those structs ask,
 * so calls that have none of them pay nothing.
 *
 * Return: 0 under -v or for a call -e abbrev=SET leaves out
 */
static inline int vtrace_abbrev(const struct vtrace *v, long nr)
{
	return !v->abbrev || v->abbrev->want[nr];
}

/*
 * vtrace_decode_fds: what fds show (--decode-fds=, -y, -yy).  None by
 * default, as strace: a bare number; with any bit set a file's path is
 * shown where nothing more specific is.
 */
#define VTRACE_FDS_SOCKET	(1u << 0)	/* TCP:[127.0.0.1:80->...] */
#define VTRACE_FDS_DEV		(1u << 1)	/* /dev/null<char 1:3> */
#define VTRACE_FDS_PATH		(1u << 2)	/* 3</etc/passwd> */

/* vtrace_decode.c */
int vtrace_is_output(int kind);
int vtrace_arg_at_exit(const struct vtrace_slot *s, int i);
void vtrace_decode_entry(struct vtrace *v, struct facet_call *call,
			 struct vtrace_slot *s);
void vtrace_decode_exit(struct vtrace *v, struct facet_call *call,
			struct vtrace_slot *s, long ret);
void vtrace_decode_result(struct vtrace_buf *b, struct vtrace_slot *s,
			  long ret);
int vtrace_fd_path(pid_t pid, long fd, char *out, size_t cap);
void vtrace_put_fd(struct vtrace_buf *b, pid_t pid, long fd, char *path,
		   size_t cap);
const char *vtrace_errname(long err);
void vtrace_put_string(struct vtrace *v, struct facet_call *call,
		       struct vtrace_buf *b, uintptr_t addr, long len);

/* vtrace_struct.c */
void vtrace_struct(struct vtrace *v, struct facet_call *call,
		   struct vtrace_slot *s, int i, const char *type,
		   uintptr_t addr, long ret);

void vtrace_clone3_exit(struct facet_call *call, struct vtrace_slot *s,
			long ret);
void vtrace_struct_entry(struct facet_call *call, struct vtrace_slot *s,
			 int i);
void vtrace_sigreturn(struct vtrace *v, struct facet_call *call,
		      struct vtrace_slot *s);

void vtrace_put_flock(struct vtrace_buf *b, struct facet_call *call,
		      uintptr_t addr, int pid);
/* vtrace_futex.c */
void vtrace_futex_fix(struct vtrace_slot *s, const long *args);

/* vtrace_personality.c */
void vtrace_personality_entry(struct vtrace_slot *s, long arg);
void vtrace_personality_result(struct vtrace_buf *b, long ret);

/* vtrace_fcntl.c */
int vtrace_fcntl_entry(struct facet_call *call, struct vtrace_slot *s,
		       long cmd, long x);
void vtrace_fcntl_exit(struct facet_call *call, struct vtrace_slot *s,
		       long ret);
int vtrace_fcntl_result(struct vtrace_buf *b, struct vtrace_slot *s,
			long ret);

void vtrace_put_mincore(struct vtrace *v, struct vtrace_slot *s,
			struct facet_call *call, uintptr_t addr,
			unsigned long len);
long vtrace_array_max(const struct vtrace *v, long nr);
int vtrace_array_cut(const struct vtrace *v, long nr, struct vtrace_buf *b,
		     long k);

/* vtrace_timestruct.c */
void vtrace_put_date(const struct vtrace *v, struct vtrace_buf *b,
		     long long sec, long frac, int digits);
void vtrace_put_timespec_pair(const struct vtrace *v, struct vtrace_buf *b,
			      const struct timespec *ts);
void vtrace_put_timeval_pair(const struct vtrace *v, struct vtrace_buf *b,
			     const struct timeval *tv);
void vtrace_put_itimerspec(struct vtrace_buf *b, const struct itimerspec *it);
void vtrace_put_rusage(struct vtrace_buf *b, const struct rusage *ru,
		       int full);
void vtrace_put_sigevent(struct vtrace_buf *b, const struct sigevent *se);

/* vtrace_ioctl.c */
void vtrace_ioctl_entry(const struct vtrace *v, struct facet_call *call,
			struct vtrace_slot *s);
void vtrace_ioctl_exit(const struct vtrace *v, struct facet_call *call,
		       struct vtrace_slot *s, long ret);

/* vtrace_prctl.c */
void vtrace_prctl_entry(struct vtrace *v, struct facet_call *call,
			struct vtrace_slot *s);
void vtrace_prctl_exit(struct vtrace *v, struct facet_call *call,
		       struct vtrace_slot *s, long ret);

/* vtrace_poll.c */
int vtrace_poll_at_entry(long nr, int i);
void vtrace_poll_pollfd(const struct vtrace *v, struct vtrace_buf *b,
			struct facet_call *call, const struct vtrace_slot *s,
			uintptr_t addr, long n, int out);
void vtrace_poll_fdset(struct vtrace_buf *b, struct facet_call *call,
		       pid_t pid, uintptr_t addr);
void vtrace_poll_exit(const struct vtrace *v, struct facet_call *call,
		      struct vtrace_slot *s, long ret);

/* vtrace_sockopt.c */
int vtrace_sockopt_entry(struct facet_call *call, struct vtrace_slot *s,
			 int i);
void vtrace_sockopt_exit(struct vtrace *v, struct facet_call *call,
			 struct vtrace_buf *b);

/* vtrace_xlat.c */
void vtrace_put_flags(struct vtrace_buf *b, const char *table,
		      unsigned long value);
void vtrace_put_enum(struct vtrace_buf *b, const char *table, int value);

/* vtrace_cmsg.c */
void vtrace_cmsg(struct vtrace_buf *b, struct facet_call *call, pid_t pid,
		 uintptr_t addr, size_t len);

/* vtrace_sockaddr.c */
void vtrace_sockaddr(struct vtrace_buf *b, char *brief, size_t cap,
		     const void *sa, size_t len);
void vtrace_put_stat(const struct vtrace *v, struct vtrace_buf *b,
		     const void *st, int full);
void vtrace_put_mode(struct vtrace_buf *b, unsigned mode);

/* vtrace_out.c */
int vtrace_out_open(struct vtrace *v, struct facet_err *err);
void vtrace_out_syscall(struct vtrace *v, struct vtrace_slot *s, long ret,
			double end, int noreturn);
void vtrace_out_detached(struct vtrace *v, struct vtrace_slot *s);
void vtrace_out_fork(struct vtrace *v, pid_t pid, pid_t ppid);
void vtrace_out_exec(struct vtrace *v, pid_t pid, struct vtrace_slot *s);
void vtrace_out_pid_changed(struct vtrace *v, pid_t pid,
			    struct vtrace_slot *s);
void vtrace_out_superseded(struct vtrace *v, pid_t pid, pid_t former);
void vtrace_out_exit(struct vtrace *v, pid_t pid, pid_t tid, int status);
void vtrace_out_signal(struct vtrace *v, pid_t pid, pid_t tid,
		       const siginfo_t *si);
void vtrace_out_stopped(struct vtrace *v, pid_t pid, pid_t tid, int sig);
void vtrace_out_close(struct vtrace *v);
void vtrace_out_prepare(struct vtrace *v, pid_t pid);

/* vtrace_outbuf.c */
int vtrace_write(int fd, const char *p, size_t n);
void vtrace_outbuf_name(const struct vtrace *v, pid_t pid, char *out,
			size_t cap);
void vtrace_outbuf_failed(struct vtrace *v, const char *name, int err);
void vtrace_outbuf_failed_view(struct vtrace *v);
void vtrace_file_write(struct vtrace *v, struct vtrace_file *f,
		       const char *p, size_t n);
void vtrace_outbuf_put(struct vtrace *v, struct vtrace_file *f,
		       const char *p, size_t n);
void vtrace_outbuf_start(struct vtrace *v);
void vtrace_outbuf_stop(struct vtrace *v);

/* vtrace_restart.c */
/* the result of a call the kernel restarts with restart_syscall() */
#define VTRACE_ERESTART_RESTARTBLOCK	516
void vtrace_restart_note(struct vtrace *v, pid_t tid, long nr, long ret);
void vtrace_restart_args(struct vtrace *v, struct vtrace_slot *s);

/* vtrace_cwd.c */
const char *vtrace_cwd(struct vtrace *v, pid_t pid);
void vtrace_cwd_forget(struct vtrace *v, pid_t pid);
void vtrace_cwd_forget_all(struct vtrace *v);

/* vtrace_signal.c */
const char *vtrace_signame(int sig, char *out);
void vtrace_siginfo(struct vtrace_buf *b, const siginfo_t *si);

/* vtrace_stack.c */
int vtrace_stack_start(struct vtrace *v, const char *backend,
		       struct facet_err *err);
void vtrace_stack_capture(struct vtrace *v, pid_t pid, pid_t tid,
			  struct vtrace_buf *out);
void vtrace_stack_forget(struct vtrace *v, pid_t pid);
void vtrace_stack_stop(struct vtrace *v);

/* vtrace_inproc.c */
int vtrace_inproc_start(struct vtrace *v, struct facet_env *env,
			struct facet_err *err);
int vtrace_inproc_open(struct vtrace *v, const char *path, int fresh);
void vtrace_inproc_write(struct vtrace *v, struct vtrace_file *f,
			 const char *p, size_t n);
void vtrace_inproc_put(struct vtrace *v, struct vtrace_file *f,
		       const char *p, size_t n);
void vtrace_inproc_flush(struct vtrace *v);
void vtrace_inproc_flush_old(struct vtrace *v);
void vtrace_inproc_guard(struct vtrace *v, struct facet_call *call);
void vtrace_inproc_exec_save(struct vtrace *v, struct vtrace_slot *s);
void vtrace_inproc_exec_drop(struct vtrace *v, struct vtrace_slot *s);
int vtrace_inproc_exec_take(struct vtrace *v, pid_t pid,
			    struct vtrace_slot *s);
void vtrace_inproc_count(struct vtrace *v, long nr, long ret, double dur);
void vtrace_inproc_totals(struct vtrace *v);
int vtrace_inproc_live(struct vtrace *v, int delta);
void vtrace_inproc_threads_end(struct vtrace *v, pid_t pid, int status);
/* vtrace_outslot.c */
void vtrace_outslot_claim(struct vtrace *v, struct vtrace_file *f);
void vtrace_outslot_release(struct vtrace *v, struct vtrace_file *f);
void vtrace_outslot_reap(struct vtrace *v, pid_t pid);
/* vtrace_module.c: a slot from the free list, among the calls in flight */
struct vtrace_slot *vtrace_slot_get(struct vtrace *v);
void vtrace_slot_put(struct vtrace *v, struct vtrace_slot *s);
/* vtrace_inflight.c */
int vtrace_inflight_wanted(long nr);
void vtrace_inflight_put(struct vtrace *v, struct vtrace_slot *s);
void vtrace_inflight_drop(struct vtrace *v, struct vtrace_slot *s);
void vtrace_inflight_announced(struct vtrace *v, struct vtrace_slot *s);
void vtrace_inflight_write(struct vtrace *v, pid_t pid, int status);
void vtrace_inproc_localtime(const struct vtrace *v, time_t sec,
			     struct tm *tm);

/* vtrace_pathtrace.c */
int vtrace_pathtrace_add(struct vtrace *v, const char *path,
			 struct facet_err *err);
int vtrace_pathtrace_match(struct vtrace *v, struct facet_call *call,
			   long nr);

/* vtrace_dump.c */
int vtrace_dump_parse(struct vtrace *v, int write, const char *spec,
		      struct facet_err *err);
void vtrace_dump(struct vtrace *v, struct facet_call *call,
		 struct vtrace_slot *s, long ret, struct vtrace_buf *b);

/* vtrace_fdinfo.c */
extern unsigned vtrace_decode_fds;
extern int vtrace_keep_fd_path;
int vtrace_fdinfo(struct vtrace_buf *b, pid_t pid, long fd, const char *link);
void vtrace_fdinfo_dev(struct vtrace_buf *b, pid_t pid, long fd,
		       const char *link);

/* vtrace_sockdiag.c */
struct nlmsghdr;
typedef int (*vtrace_sockdiag_fn)(const struct nlmsghdr *h, void *arg);
extern int vtrace_sockdiag_in_program;
int vtrace_sockdiag(pid_t pid, long fd, const void *req, size_t len,
		    vtrace_sockdiag_fn each, void *arg);

/* vtrace_sysnum.c */
int vtrace_sysnum_start(struct vtrace *v, struct facet_err *err);
void vtrace_sysnum_note(struct vtrace *v, pid_t tid, long nr);
void vtrace_sysnum_put(struct vtrace *v, struct vtrace_buf *b, pid_t tid,
		       long nr);

/* vtrace_ip.c */
uint64_t vtrace_ip_of(pid_t tid);
void vtrace_ip_put(struct vtrace_buf *b, uint64_t ip);

/* vtrace_raw.c */
void vtrace_raw_args(const struct vtrace *v, struct vtrace_slot *s);
int vtrace_raw_result(struct vtrace_buf *b, long ret);


/* vtrace_summary.c */
int vtrace_summary_sort_by(struct vtrace *v, const char *value,
			   struct facet_err *err);
int vtrace_summary_columns(struct vtrace *v, const char *value,
			   struct facet_err *err);
void vtrace_summary_add(struct vtrace *v, long nr, long ret, double dur);
double vtrace_summary_cpu(const struct vtrace *v, pid_t pid, pid_t tid);
void vtrace_summary_print(struct vtrace *v, struct vtrace_buf *b);

double vtrace_now(void);

#endif /* FACET_MODULES_VTRACE_H */
