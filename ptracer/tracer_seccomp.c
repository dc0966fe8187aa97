// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * ptracer/tracer_seccomp.c - Build and install the supervisor's BPF filter
 *
 * DOC: The filter
 *
 * Built with libseccomp from the union of the modules' syscall sets:
 *  - a syscall only looked at (FACET_HOOK_ENTER) becomes a user
 *    notification: the supervisor answers it without a ptrace stop;
 *  - one whose arguments may change or whose result is wanted becomes a
 *    ptrace stop (SECCOMP_RET_TRACE).  Such a call whose 6th argument is
 *    the run's random cookie is a notification instead: the supervisor sets
 *    that at a ptrace stop when a module hands the caller an fd, and the
 *    kernel re-runs the filter after the stop;
 *  - a module may say that only calls with some bits set in an argument
 *    need a stop, or are wanted at all (facet_sysset_rewrite_if(),
 *    facet_sysset_only_if(), facet_sysset_pass_if_zero(): a futex call
 *    without a timeout); see seccomp_add_cond_rules();
 *  - everything else is allowed and never stops.
 * Calls of other ABIs (i386 int 0x80, x32) stop too, so the supervisor can
 * refuse them: they would otherwise slip past the view.
 *
 * The kernel allows one notification listener per filter chain.  Under
 * another supervisor that has one (a container manager's syscall
 * interception), every wanted call becomes a ptrace stop instead; only
 * handing over fds is then impossible, and says so.
 *
 * In the combined mode (--backend combined) the program starts with a
 * few instructions of our own, ahead of libseccomp's: an x86_64 call
 * made from the preload shim's gate page is allowed
 * (seccomp_data.instruction_pointer, which libseccomp cannot test).  The
 * shim has run the modules on those calls in-process already.
 *
 * The program is exported from libseccomp to memory and loaded by the child
 * with seccomp(2) itself, for the flags libseccomp 2.5 does not know
 * (SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV).  libseccomp is loaded when the
 * first filter is built (core/lib.h): preload runs do not load it.
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../core/lib.h"
#include "tracer.h"

#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV	(1UL << 5)
#endif

static FACET_LIB_FN(seccomp_attr_set);
static FACET_LIB_FN(seccomp_export_bpf);
static FACET_LIB_FN(seccomp_init);
static FACET_LIB_FN(seccomp_release);
static FACET_LIB_FN(seccomp_rule_add);
static FACET_LIB_FN(seccomp_rule_add_array);

static const struct facet_lib_sym seccomp_syms[] = {
	FACET_LIB_SYM(seccomp_attr_set),
	FACET_LIB_SYM(seccomp_export_bpf),
	FACET_LIB_SYM(seccomp_init),
	FACET_LIB_SYM(seccomp_release),
	FACET_LIB_SYM(seccomp_rule_add),
	FACET_LIB_SYM(seccomp_rule_add_array),
};

static struct facet_lib seccomp_lib =
	FACET_LIB(FACET_SONAME_SECCOMP, "libseccomp2", seccomp_syms);

/* Hooks that need registers changed or the result seen: a ptrace stop */
static int seccomp_needs_trace(unsigned hooks)
{
	return hooks & ~(unsigned)FACET_HOOK_ENTER;
}

/*
 * A syscall only some of whose calls need a ptrace stop (a module's
 * facet_sysset_rewrite_if() or _only_if()): those with a bit of the mask
 * set in the flags argument (with an all-ones mask: a non-zero argument)
 * stop, unless they carry the cookie; the others are notifications, or
 * not intercepted at all (only); ones with the cookie are
 * notifications.  The regions do not overlap, as libseccomp requires of
 * rules with different actions.
 */
static int seccomp_add_cond_rules(struct tracer *t, scmp_filter_ctx ctx,
				  int nr)
{
	const struct facet_chain_cond *c = facet_chain_cond(t->chain, nr);
	uint64_t mask = c->mask, bit;
	int ret = 0;
	unsigned arg = c->arg;
	struct scmp_arg_cmp trace[2] = {
		{ .arg = 5, .op = SCMP_CMP_NE, .datum_a = t->cookie },
		{ .arg = arg, .op = SCMP_CMP_MASKED_EQ },
	};
	struct scmp_arg_cmp none = { .arg = arg, .op = SCMP_CMP_MASKED_EQ,
				     .datum_a = mask, .datum_b = 0 };
	struct scmp_arg_cmp eq = { .arg = 5, .op = SCMP_CMP_EQ,
				   .datum_a = t->cookie };

	/* only looked at, and only when the argument is not 0 (a timeout) */
	if (!seccomp_needs_trace(t->chain->hooks[nr]) &&
	    c->only && mask == UINT64_MAX) {
		struct scmp_arg_cmp nz = { .arg = arg, .op = SCMP_CMP_NE,
					   .datum_a = 0 };

		t->has_notify = 1;
		return sym_seccomp_rule_add_array(ctx, SCMP_ACT_NOTIFY, nr,
						  1, &nz);
	}
	t->has_trace = t->has_notify = 1;
	for (bit = 1; bit; bit <<= 1) {
		if (!(mask & bit))
			continue;
		if (mask == UINT64_MAX) {
			trace[1].op = SCMP_CMP_NE;
			trace[1].datum_a = 0;
			bit = 0;	/* one rule: the argument is not 0 */
		} else {
			trace[1].datum_a = trace[1].datum_b = bit;
		}
		ret = sym_seccomp_rule_add_array(ctx,
					SCMP_ACT_TRACE(TRACER_DATA_CALL),
					nr, 2, trace);
		if (ret < 0 || !bit)
			break;
	}
	if (ret < 0)
		return ret;
	if (!c->only) {
		ret = sym_seccomp_rule_add_array(ctx, SCMP_ACT_NOTIFY, nr,
						 1, &none);
		if (ret < 0)
			return ret;
	}
	return sym_seccomp_rule_add_array(ctx, SCMP_ACT_NOTIFY, nr, 1, &eq);
}

static int seccomp_add_rules(struct tracer *t, scmp_filter_ctx ctx, int nr)
{
	struct scmp_arg_cmp ne = { .arg = 5, .op = SCMP_CMP_NE };
	struct scmp_arg_cmp eq = { .arg = 5, .op = SCMP_CMP_EQ };
	unsigned hooks = t->chain->hooks[nr];
	int ret;

	if (!t->notify_ok) {
		t->has_trace = 1;
		return sym_seccomp_rule_add(ctx,
					    SCMP_ACT_TRACE(TRACER_DATA_CALL),
					    nr, 0);
	}
	if (facet_chain_cond(t->chain, nr))
		return seccomp_add_cond_rules(t, ctx, nr);
	if (!seccomp_needs_trace(hooks)) {
		t->has_notify = 1;
		return sym_seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, nr, 0);
	}
	t->has_trace = t->has_notify = 1;
	ne.datum_a = eq.datum_a = t->cookie;
	ret = sym_seccomp_rule_add_array(ctx, SCMP_ACT_TRACE(TRACER_DATA_CALL),
					 nr, 1, &ne);
	if (ret < 0)
		return ret;
	return sym_seccomp_rule_add_array(ctx, SCMP_ACT_NOTIFY, nr, 1, &eq);
}

/*
 * ...and the calls that reach into another process, for the fence
 * (tracer_fence.c): ptrace attaching, process_vm_readv(), pidfd_getfd()
 * (process_vm_writev() is seen already)
 */
static int seccomp_add_fence_rules(struct tracer *t, scmp_filter_ctx ctx,
				   uint32_t action)
{
	static const long requests[] = { PTRACE_ATTACH, PTRACE_SEIZE };
	static const int calls[] = { SYS_process_vm_readv, 438 };
	struct scmp_arg_cmp req = { .arg = 0, .op = SCMP_CMP_EQ };
	size_t i;
	int ret;

	for (i = 0; !t->chain->hooks[SYS_ptrace] &&
		    i < sizeof(requests) / sizeof(requests[0]); i++) {
		req.datum_a = (uint64_t)requests[i];
		ret = sym_seccomp_rule_add_array(ctx, action, SYS_ptrace, 1,
						 &req);
		if (ret < 0)
			return ret;
	}
	for (i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		if (t->chain->hooks[calls[i]])	/* a module's rules see them */
			continue;
		ret = sym_seccomp_rule_add(ctx, action, calls[i], 0);
		if (ret < 0)
			return ret;
	}
	return 0;
}

/*
 * When a module takes paths, the calls that let another process or thread
 * write a caller's memory are seen too (tracer_memory.c): shared mappings
 * and process_vm_writev(), as notifications no module needs to want.
 */
static int seccomp_add_memory_rules(struct tracer *t, scmp_filter_ctx ctx)
{
	static const int calls[] = { SYS_mmap, SYS_shmat,
				     SYS_process_vm_writev };
	struct scmp_arg_cmp shared = { .arg = 3, .op = SCMP_CMP_MASKED_EQ,
				       .datum_a = MAP_SHARED,
				       .datum_b = MAP_SHARED };
	uint32_t action;
	size_t i;
	int nr, ret;

	for (nr = 0; nr < FACET_NR_MAX && !t->watch_memory; nr++)
		if (t->chain->hooks[nr] &&
		    facet_syscall_takes(nr, FACET_ARG_PATH))
			t->watch_memory = 1;
	if (!t->watch_memory)
		return 0;
	action = t->notify_ok ? SCMP_ACT_NOTIFY :
				SCMP_ACT_TRACE(TRACER_DATA_CALL);
	for (i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		nr = calls[i];
		if (t->chain->hooks[nr])	/* a module's rules see them */
			continue;
		if (nr == SYS_mmap)
			ret = sym_seccomp_rule_add_array(ctx, action, nr, 1,
							 &shared);
		else
			ret = sym_seccomp_rule_add(ctx, action, nr, 0);
		if (ret < 0)
			return ret;
		if (t->notify_ok)
			t->has_notify = 1;
		else
			t->has_trace = 1;
	}
	return seccomp_add_fence_rules(t, ctx, action);
}

/**
 * tracer_filter_build() - Compile the filter for the active modules
 * @t:		Supervisor, with chain->hooks filled in
 * @bpf:	Returns the program (malloc'd sock_filter array)
 * @len:	Returns its size in bytes
 * @err:	Error message
 *
 * Return: 0 or -errno
 */
int tracer_filter_build(struct tracer *t, void **bpf, size_t *len,
			struct facet_err *err)
{
	scmp_filter_ctx ctx;
	int nr, fd, ret;
	off_t size;

	ret = facet_lib_load(&seccomp_lib, "the ptrace backend", err);
	if (ret < 0)
		return ret;
	ctx = sym_seccomp_init(SCMP_ACT_ALLOW);
	if (!ctx)
		return facet_err_set(err, ENOMEM, "cannot build the seccomp "
				     "filter: out of memory");
	ret = sym_seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH,
			       SCMP_ACT_TRACE(TRACER_DATA_BADARCH));
	if (ret < 0)
		goto out;
	/* we set no_new_privs ourselves, with the other prctl()s */
	ret = sym_seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
	if (ret < 0)
		goto out;
	sym_seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
	for (nr = 0; nr < FACET_NR_MAX; nr++) {
		if (!t->chain->hooks[nr])
			continue;
		ret = seccomp_add_rules(t, ctx, nr);
		if (ret < 0)
			goto out;
	}
	ret = seccomp_add_memory_rules(t, ctx);
	if (ret < 0)
		goto out;
	fd = memfd_create("facet-bpf", MFD_CLOEXEC);
	ret = -errno;
	if (fd < 0)
		goto out;
	ret = sym_seccomp_export_bpf(ctx, fd);
	size = lseek(fd, 0, SEEK_END);
	if (ret >= 0 && size > 0) {
		/* the combined mode's calls from the gate page pass */
		size_t skip = t->gate_page ? TRACER_GATE_MATCH_LEN *
					     sizeof(struct sock_filter) : 0;

		*bpf = malloc(skip + size);
		*len = skip + size;
		if (!*bpf || pread(fd, (char *)*bpf + skip, size, 0) != size)
			ret = -EIO;
		else if (skip)
			tracer_gate_match(*bpf, t->gate_page,
					  SECCOMP_RET_ALLOW);
	} else if (ret >= 0) {
		ret = -EIO;
	}
	close(fd);
out:
	sym_seccomp_release(ctx);
	if (ret < 0)
		return facet_err_set(err, -ret, "cannot build the seccomp "
				     "filter: %s", strerror(-ret));
	return 0;
}

/**
 * tracer_filter_load() - Install the filter in the calling thread
 * @bpf:		Program from tracer_filter_build()
 * @len:		Its size in bytes
 * @want_listener:	Ask for a user-notification listener fd
 *
 * Return: the listener fd (close-on-exec), 0 without one, or -errno
 */
int tracer_filter_load(const void *bpf, size_t len, int want_listener)
{
	struct sock_fprog prog = {
		.len = len / sizeof(struct sock_filter),
		.filter = (struct sock_filter *)bpf,
	};
	unsigned long flags = 0;
	long ret;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -errno;
	if (want_listener)
		flags = SECCOMP_FILTER_FLAG_NEW_LISTENER |
			SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV;
	ret = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
	if (ret < 0 && errno == EINVAL && want_listener) {
		/* kernels before 5.19 lack WAIT_KILLABLE_RECV */
		flags &= ~SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV;
		ret = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags,
			      &prog);
	}
	if (ret < 0)
		return -errno;
	return want_listener ? (int)ret : 0;
}

/**
 * tracer_filter_can_notify() - Can a child of ours get a listener?
 *
 * Tried in a throwaway child with an allow-all filter, since filters
 * cannot be removed once loaded.
 *
 * Return: 1 if so, 0 if another listener is in the way (EBUSY)
 */
int tracer_filter_can_notify(void)
{
	struct sock_filter allow = BPF_STMT(BPF_RET | BPF_K,
					    SECCOMP_RET_ALLOW);
	struct sock_fprog prog = { .len = 1, .filter = &allow };
	int status;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
		_exit(syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
			      SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog) < 0 &&
		      errno == EBUSY);
	}
	if (waitpid(pid, &status, 0) < 0)
		return 1;
	return !(WIFEXITED(status) && WEXITSTATUS(status) == 1);
}
