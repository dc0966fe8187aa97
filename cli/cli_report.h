// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * cli/cli_report.h - `facet report`: a recorded trace, summarized in memory
 */
#ifndef FACET_CLI_REPORT_H
#define FACET_CLI_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include <facet/module.h>

/* Highest major version of the JSONL trace schema this facet reads */
#define REPORT_SCHEMA_MAJOR 1
/* How many of the slowest calls a report keeps */
#define REPORT_NSLOW 10
/* Calls kept per process to show what a killed one did last, and their size */
#define REPORT_NLAST 3
#define REPORT_LAST_LEN 200

/**
 * struct report_map - String keys to records, kept in insertion order
 * @keys:	Keys, in insertion order (owned)
 * @vals:	Records, same order (owned, freed with the map)
 * @n:		Number of entries
 * @cap:	Allocated entries
 * @slots:	Open-addressing hash index: entry index + 1, 0 when empty
 * @nslots:	Size of @slots, a power of two
 */
struct report_map {
	char **keys;
	void **vals;
	size_t n, cap;
	size_t *slots;
	size_t nslots;
};

void *report_map_get(const struct report_map *m, const char *key);
void *report_map_add(struct report_map *m, const char *key, size_t size);
void report_map_free(struct report_map *m);

/**
 * struct report_proc - One process seen in a trace
 * @pid:	Process id
 * @ppid:	Parent, from a fork event; 0 when unknown
 * @cmd:	Command line of its last exec, or NULL (inherited)
 * @calls:	System calls made
 * @errors:	Of which failed
 * @time:	Total time spent in system calls, seconds
 * @first:	First time it was seen, seconds since the start
 * @last:	Last time it was seen
 * @exited:	An exit event was seen
 * @status:	Exit status, if @exited and not @signal
 * @signal:	Name of the signal that killed it, or NULL
 * @siginfo:	"SIGSEGV {si_signo=...}": the last signal delivered to it
 *		(signal records), or NULL
 * @lastcalls:	Its last REPORT_NLAST calls as strace prints them, a ring
 * @nlast:	Calls written to @lastcalls so far (next: @nlast % REPORT_NLAST)
 * @index:	Position in the process map (order of first appearance)
 */
struct report_proc {
	int pid, ppid;
	char *cmd;
	long calls, errors;
	double time, first, last;
	bool exited;
	int status;
	char *signal;
	char *siginfo;
	char lastcalls[REPORT_NLAST][REPORT_LAST_LEN];
	long nlast;
	int index;
};

/**
 * struct report_sc - Totals for one system call name
 * @name:	Syscall name (the map key)
 * @calls:	Times called
 * @errors:	Of which failed
 * @time:	Total time, seconds
 * @index:	Position in the map, for events
 */
struct report_sc {
	const char *name;
	long calls, errors;
	double time;
	int index;
};

/**
 * struct report_file - A path given to FILE-class calls
 * @path:	The path (the map key)
 * @count:	Number of calls
 * @how:	Distinct syscall names (successes) or errno names (failures),
 *		comma-separated
 */
struct report_file {
	const char *path;
	long count;
	char how[96];
};

/**
 * struct report_endpoint - A socket address used by one syscall name
 * @key:	"ADDR\tSYSCALL", the map key
 * @addrlen:	Length of ADDR ("inet:127.0.0.1:8080", "unix:/path"...)
 * @syscall:	Syscall name, inside @key
 * @count:	Calls
 * @errors:	Of which failed
 */
struct report_endpoint {
	const char *key;
	int addrlen;
	const char *syscall;
	long count, errors;
};

/* Colour groups for the timeline, from the event's classes */
enum report_class {
	REPORT_CLASS_OTHER,
	REPORT_CLASS_FILE,
	REPORT_CLASS_DESC,
	REPORT_CLASS_NET,
	REPORT_CLASS_PROCESS,
	REPORT_CLASS_MEMORY,
	REPORT_CLASS_SIGNAL,
	REPORT_NCLASSES
};

extern const char *const report_class_names[REPORT_NCLASSES];

/**
 * struct report_event - One system call, for the timeline
 * @rel:	Start, seconds since the start of the trace
 * @dur:	Duration, seconds
 * @proc:	Process (index in the process map)
 * @sc:		Syscall (index in the syscall map)
 * @err:	It failed
 * @cls:	enum report_class
 */
struct report_event {
	double rel, dur;
	int proc, sc;
	bool err;
	unsigned char cls;
};

/**
 * struct report_slow - One of the slowest calls
 * @rel:	Start, seconds since the start of the trace
 * @dur:	Duration, seconds
 * @pid:	Process id
 * @tid:	Thread id
 * @call:	"openat(AT_FDCWD, \"/x\", O_RDONLY) = -1 ENOENT", owned
 */
struct report_slow {
	double rel, dur;
	int pid, tid;
	char *call;
};

/**
 * struct report_trace - What `facet report` knows about one trace file
 * @name:	File name, as given
 * @cmd:	Header argv, joined, or NULL
 * @version:	Header "facet" version, or NULL
 * @start:	Header start, epoch seconds
 * @offset:	Start of the file being read minus @start: added to "rel"
 * @started:	A header has been read
 * @nfiles:	Files read into this trace (per-process traces)
 * @end:	Latest event end seen, seconds since the start
 * @procs:	struct report_proc by decimal pid
 * @scs:	struct report_sc by syscall name
 * @files:	struct report_file: successful FILE-class calls, by path
 * @failed:	struct report_file: failed FILE-class calls, by path
 * @endpoints:	struct report_endpoint by "addr\tsyscall"
 * @ev:		Every syscall, in file order
 * @nev:	Number of events
 * @evcap:	Allocated events
 * @slow:	The slowest calls, slowest first
 * @nslow:	Number of entries in @slow
 * @calls:	Syscalls in the trace
 * @errors:	Of which failed
 * @time:	Total syscall time
 * @lines:	Lines read
 * @skipped:	Records of unknown types, ignored
 * @truncated:	The last line was cut short and skipped
 */
struct report_trace {
	const char *name;
	char *cmd, *version;
	double start, end, offset;
	bool started;
	int nfiles;
	struct report_map procs, scs, files, failed, endpoints;
	struct report_event *ev;
	size_t nev, evcap;
	struct report_slow slow[REPORT_NSLOW];
	size_t nslow;
	long calls, errors;
	double time;
	long lines, skipped;
	bool truncated;
};

/* cli_report_load.c */
int report_load(struct report_trace *t, const char *path,
		struct facet_err *err);
int report_load_stream(struct report_trace *t, FILE *f, const char *name,
		       struct facet_err *err);
void report_free(struct report_trace *t);
struct report_proc *report_proc_at(const struct report_trace *t, size_t i);
struct report_sc *report_sc_at(const struct report_trace *t, size_t i);

/* cli_report_record.c: records, and helpers to read their fields */
struct json_object;
int report_record(struct report_trace *t, struct json_object *o,
		  struct facet_err *err);
struct json_object *report_rec_get(struct json_object *o, const char *key,
				   int type);
bool report_rec_has(struct json_object *o, const char *key);
const char *report_rec_str(struct json_object *o, const char *key);
double report_rec_num(struct json_object *o, const char *key, double def);
int report_rec_int(struct json_object *o, const char *type, const char *key,
		   int *out, struct facet_err *err);
double report_rec_rel(const struct report_trace *t, struct json_object *o);
struct report_proc *report_rec_proc(struct report_trace *t, int pid,
				    double rel);

/* cli_report_syscall.c */
int report_record_syscall(struct report_trace *t, struct json_object *o,
			  struct facet_err *err);
void report_format_call(struct json_object *o, const char *name, char *buf,
			size_t len);

/* cli_report_wait.c */
int report_record_wait(struct report_trace *t, struct json_object *o,
		       const char *name, double rel);

/* cli_report_killed.c */
void report_killed_text(FILE *out, const struct report_trace *t);
void report_killed_html(FILE *out, const struct report_trace *t);

/* cli_report_text.c */
void report_text(FILE *out, const struct report_trace *t);
char *report_proc_cmd(const struct report_trace *t,
		      const struct report_proc *p);
void report_sorted(const struct report_map *m, const void **out,
		   int (*cmp)(const void *a, const void *b));
int report_cmp_sc_time(const void *a, const void *b);
int report_cmp_file(const void *a, const void *b);
int report_cmp_endpoint(const void *a, const void *b);

/* cli_report_tree.c */
void report_tree(FILE *out, const struct report_trace *t, bool html);

/* cli_report_html.c */
int report_html(FILE *out, const struct report_trace *t);

/* cli_report_svg.c */
void report_svg_timeline(FILE *out, const struct report_trace *t);
void report_svg_bars(FILE *out, const struct report_trace *t);
void report_html_esc(FILE *out, const char *s);

/* cli_report_diff.c */
int report_diff(FILE *out, const struct report_trace *a,
		const struct report_trace *b);

#endif /* FACET_CLI_REPORT_H */
