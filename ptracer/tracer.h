// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * ptracer/tracer.h - The supervisor backend: seccomp filter + ptrace loop
 */
#ifndef FACET_PTRACER_TRACER_H
#define FACET_PTRACER_TRACER_H

#include <pthread.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/user.h>

#include "../core/chain.h"

/**
 * enum tracer_stop_kind - Why a tracee's call is in flight
 * @TRACEE_IDLE:	Running, nothing pending
 * @TRACEE_AT_EXIT:	Resumed with PTRACE_SYSCALL, syscall-exit stop due
 */
enum tracer_stop_kind {
	TRACEE_IDLE,
	TRACEE_AT_EXIT,
};

/**
 * struct tracee - One traced thread
 * @t:		The supervisor
 * @tid:	Thread id
 * @tgid:	Thread group id, 0 until looked up
 * @started:	Its first stop has been seen
 * @state:	enum tracer_stop_kind
 * @regs_dirty:	Argument registers were changed: restore them at exit
 * @execed:	An exec happened while the call was in flight
 * @placed:	Bytes used below the red zone by facet_set_path() this call
 * @sp:		Stack pointer at the seccomp stop
 * @ip:		Instruction pointer at the stop (facet_instruction_pointer())
 * @pending_fd:	fd the notification thread is to hand over, or -1
 * @mem_known:	Its address space is known since its fork, clone or exec
 * @shares_vm:	Another thread or CLONE_VM process shares its memory
 * @foreign_writes: Another process wrote its memory (process_vm_writev)
 * @shares_base:	Another process (not sharing its memory) shares its cwd or
 *		fd table (clone with CLONE_FS or CLONE_FILES, not CLONE_VM):
 *		the base of a relative path may move while the call waits
 * @shared_dirty: Its shared mappings must be read again (tracer_memory.c)
 * @shared:	Its shared mappings, [start, end) each, @nshared of them
 *		(@cap_shared allocated)
 * @unfiltered:	Attached while running (tracer_attach.c): no seccomp
 *		filter, every call stops (resumed with PTRACE_SYSCALL)
 * @detaching:	Being let go: PTRACE_DETACH at its next stop
 * @call:	The call in flight
 * @next:	Hash chain
 */
struct tracee {
	struct tracer *t;
	pid_t tid;
	pid_t tgid;
	int started;
	int state;
	int regs_dirty;
	int execed;
	size_t placed;
	uint64_t sp;
	uint64_t ip;
	int pending_fd;
	int mem_known;
	int shares_vm;
	int foreign_writes;
	int shares_base;
	int shared_dirty;
	unsigned long (*shared)[2];
	size_t nshared, cap_shared;
	int unfiltered;
	int detaching;
	struct facet_call call;
	facet_call_scratch scratch;	/* call's */
	struct tracee *next;
};

#define TRACER_BUCKETS	1024

/**
 * struct tracer - The supervisor
 * @chain:	Module chain
 * @mod_lock:	Serializes module callbacks (ptrace and notify threads)
 * @tab_lock:	Protects the tracee table
 * @table:	Tracees by tid
 * @ntracees:	Live tracees
 * @notify_fd:	Seccomp listener, -1 if no syscall is served that way
 * @cookie:	arg5 value that turns a traced call into a notification
 * @child:	The command's first process
 * @child_status: Its wait status, once it ended
 * @child_ended: Whether it did
 * @hide_vdso:	Remove AT_SYSINFO_EHDR from each new image
 * @has_notify:	Some syscall is served by user notification
 * @has_trace:	Some syscall is served by a ptrace stop
 * @exec_path:	File to exec, NULL to look argv[0] up in PATH
 * @watch_memory: Some module takes paths: see the calls that share memory
 *		(tracer_memory.c)
 * @notify_ok:	A listener can be had (not so under another notifying
 *		supervisor: the kernel allows one per filter chain)
 * @gate_page:	Combined mode: calls made from this page (the preload
 *		shim's gate, at a fixed address) pass the filter; 0: none
 * @attached:	Running processes were attached to (facet trace -p)
 * @detaching:	They are being let go (tracer_attach_detach_all())
 */
struct tracer {
	struct facet_chain *chain;
	pthread_mutex_t mod_lock;
	pthread_mutex_t tab_lock;
	struct tracee *table[TRACER_BUCKETS];
	int ntracees;
	int notify_fd;
	uint64_t cookie;
	pid_t child;
	int child_status;
	int child_ended;
	int hide_vdso;
	int has_notify;
	int has_trace;
	int notify_ok;
	int watch_memory;
	const char *exec_path;
	uintptr_t gate_page;
	int attached;
	int detaching;
};

/* SECCOMP_RET_DATA values of the filter's TRACE actions */
#define TRACER_DATA_CALL	1
#define TRACER_DATA_BADARCH	2

int tracer_run(struct facet_chain *chain, struct facet_env *env,
	       char **argv);
int tracer_run_path(struct facet_chain *chain, struct facet_env *env,
		    const char *path, char **argv);
void tracer_allow_gate(uintptr_t page);

/* tracer_seccomp.c */
int tracer_filter_build(struct tracer *t, void **bpf, size_t *len,
			struct facet_err *err);
int tracer_filter_load(const void *bpf, size_t len, int want_listener);
int tracer_filter_can_notify(void);

/* tracer_spawn.c */
pid_t tracer_spawn(struct tracer *t, char **argv);
unsigned long long tracer_signals_caller_ignored(void);
void tracer_signals_default(void);
void tracer_signals_note_caller(void);

/* tracer_end.c */
#define TRACER_END_GRACE_MS	2000
extern volatile sig_atomic_t tracer_end_asked, tracer_command_ended;
void tracer_end_note(int sig, const siginfo_t *si, int ended);
int tracer_end_due(int ended, int by_signal);
int tracer_end_sa_flags(int sig);
int64_t tracer_end_now_ms(void);

/* tracer_job.c */
void tracer_job_note_caller(void);
void tracer_job_stopping(void);
int tracer_job_still_stopped(pid_t pid);
int tracer_job_cont_pending(pid_t tid);
void tracer_job_stopped(pid_t pid, int sig, int since_stopping);

/* tracer_status.c */
int tracer_status_code(int status);
int tracer_status_end(int code);

/* tracer_loop.c */
int tracer_loop(struct tracer *t);
void tracer_loop_resume(struct tracee *te, int request, int sig);
struct __ptrace_syscall_info;
void tracer_loop_enter(struct tracer *t, struct tracee *te, long nr,
		       const long *args, uint64_t sp, uint64_t ip);
void tracer_loop_exit(struct tracer *t, struct tracee *te,
		      const struct __ptrace_syscall_info *si);

/* tracer_attach.c */
extern volatile sig_atomic_t tracer_detach_sig;
void tracer_attach_set(const pid_t *pids, int n, int follow, int quiet);
int tracer_attach_wanted(void);
void tracer_attach_note(int sig);
int tracer_attach_all(struct tracer *t);
int tracer_attach_first_stop(struct tracer *t, struct tracee *te);
void tracer_attach_syscall_stop(struct tracer *t, struct tracee *te);
void tracer_attach_detach_all(struct tracer *t);
void tracer_attach_detach_stop(struct tracer *t, struct tracee *te,
			       int status);

/* tracer_notify.c */
int tracer_notify_start(struct tracer *t);

/* tracer_call.c */
extern const struct facet_call_ops tracer_ptrace_ops;
extern const struct facet_call_ops tracer_notify_ops;
pid_t tracer_tgid_of(pid_t tid);
ssize_t tracer_mem_read(pid_t tid, void *dst, uintptr_t addr, size_t len);
ssize_t tracer_mem_write(pid_t tid, uintptr_t addr, const void *src,
			 size_t len);

/* tracer_tracee.c */
struct tracee *tracee_find(struct tracer *t, pid_t tid);
struct tracee *tracee_get(struct tracer *t, pid_t tid);
void tracee_drop(struct tracer *t, pid_t tid);

/* tracer_memory.c */
int tracer_memory_args_stable(struct tracer *t, const struct facet_call *call);
void tracer_memory_new(struct tracee *parent, struct tracee *child,
		       int event);
void tracer_memory_execed(struct tracee *te);
int tracer_memory_watch(struct tracer *t, pid_t tid, long nr,
			const long *args);

/* tracer_auxv.c */
int tracer_hide_vdso(pid_t tid);
int tracer_auxv_value(pid_t tid, unsigned long type, unsigned long *value);

/* tracer_fence.c */
int tracer_fence(struct tracer *t, pid_t tid, long nr, const long *args);

/* tracer_gate.c */
#define TRACER_GATE_MATCH_LEN	8
struct sock_filter;
void tracer_gate_match(struct sock_filter *f, uintptr_t page,
		       uint32_t action);
int tracer_gate_lock(struct tracer *t, pid_t tid, int *sig);

#endif /* FACET_PTRACER_TRACER_H */
