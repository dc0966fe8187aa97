// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vtime/vtime_module.c - The vtime module: options, syscall sets,
 *				   dispatch
 *
 * DOC: Cost
 *
 * Clock reads and sets are finished by the module (FACET_HOOK_ENTER, the
 * notification path).  Sleeps and timers are rewritten only when the view
 * runs at a rate other than 1 (or for absolute deadlines, whose clock is
 * always shifted).  File timestamps cost an exit stop per stat call unless
 * files=real.  The vDSO is hidden so that every clock read reaches us.
 *
 * io_uring_setup() fails with ENOSYS (programs then use plain system
 * calls, as where a container's seccomp profile refuses io_uring): the
 * timeouts of a ring (IORING_OP_TIMEOUT, linked timeouts, the wait of
 * io_uring_enter) reach the kernel without a system call to convert, so
 * an absolute one on CLOCK_REALTIME would wait for the host's clock to
 * reach the view's, years away.
 */
#include <errno.h>
#include <string.h>
#include <sys/syscall.h>

#include "vtime.h"

static const struct facet_option vtime_options[] = {
	{ "time", "SPEC", "as faketime: 'YYYY-MM-DD HH:MM:SS' frozen, "
	  "'@...' runs, '+3d' offset, 'x10' rate, 'i2.0' step per read" },
	{ "rate", "X", "clock speed factor: 10, x10, 0.5 (0 freezes)" },
	{ "monotonic", "virtual|real", "fake CLOCK_MONOTONIC/BOOTTIME too "
	  "(virtual, the default)" },
	{ "files", "virtual|real", "shift file timestamps (virtual, the "
	  "default)" },
	{ NULL, NULL, NULL },
};

/**
 * struct vtime_self - The module's private state with its options
 * @st:		State used by the other files
 * @rate:	--time-rate, if given
 * @has_rate:	It was given
 */
struct vtime_self {
	struct vtime_state st;
	double rate;
	int has_rate;
};

static int vtime_choice(int *real, const char *key, const char *value,
			struct facet_err *err)
{
	if (value && !strcmp(value, "real")) {
		*real = 1;
		return 0;
	}
	if (value && !strcmp(value, "virtual")) {
		*real = 0;
		return 0;
	}
	return facet_err_set(err, EINVAL, "vtime: %s must be 'virtual' or "
			     "'real', not '%s'", key, value ? value : "");
}

static int vtime_option(void *self, const char *key, const char *value,
			struct facet_err *err)
{
	struct vtime_self *v = self;

	if (!strcmp(key, "monotonic"))
		return vtime_choice(&v->st.mono_real, key, value, err);
	if (!strcmp(key, "files"))
		return vtime_choice(&v->st.files_real, key, value, err);
	if (!value)
		return facet_err_set(err, EINVAL, "vtime: %s needs a value",
				     key);
	if (!strcmp(key, "time"))
		return vtime_spec_parse(&v->st.spec, value, err);
	if (!strcmp(key, "rate")) {
		v->has_rate = 1;
		return vtime_rate_parse(&v->rate, value, err);
	}
	return facet_err_set(err, EINVAL, "vtime: no option '%s'", key);
}

static int vtime_start(void *self, struct facet_env *env,
		       struct facet_err *err)
{
	struct vtime_self *v = self;
	struct vtime_state *s = &v->st;

	if (v->has_rate) {
		s->spec.rate = v->rate;
		s->spec.has_rate = 1;
	}
	if (s->spec.step && s->spec.has_rate)
		return facet_err_set(err, EINVAL, "a clock that steps at each "
				     "read ('iSTEP') has no rate: give one "
				     "or the other");
	if (s->spec.kind == VTIME_FROZEN && s->spec.has_rate)
		return facet_err_set(err, EINVAL, "a frozen time has no rate: "
				     "use '@YYYY-MM-DD HH:MM:SS' for a clock "
				     "that starts there and runs");
	s->sh = facet_env_shared(env, "vtime", sizeof(*s->sh));
	if (!s->sh)
		return facet_err_set(err, ENOMEM, "vtime: cannot get memory "
				     "shared by the view");
	vtime_clock_start(s, facet_env_first(env));
	facet_env_hide_vdso(env);
	/* st is the first member: the reader gets it as self */
	facet_env_clock(env, vtime_read_fast);
	return 0;
}

static const int vtime_reads[] = {
	SYS_clock_gettime, SYS_gettimeofday, SYS_time, SYS_clock_settime,
	SYS_settimeofday, SYS_adjtimex, SYS_clock_adjtime, SYS_sysinfo,
};

/* Absolute deadlines: always converted */
static const int vtime_deadlines[] = {
	SYS_clock_nanosleep, SYS_futex, SYS_timerfd_settime,
	SYS_timer_settime, SYS_mq_timedsend, SYS_mq_timedreceive,
#ifdef SYS_futex_waitv
	SYS_futex_waitv,
#endif
};

/* Relative timeouts: only at a rate other than 1 */
static const int vtime_timeouts[] = {
	SYS_poll, SYS_epoll_wait, SYS_epoll_pwait, SYS_epoll_pwait2,
	SYS_semtimedop, SYS_rt_sigtimedwait, SYS_io_getevents,
	SYS_io_pgetevents,
};

/* ...and those that report time back */
static const int vtime_reports[] = {
	SYS_nanosleep, SYS_clock_nanosleep, SYS_select, SYS_pselect6,
	SYS_ppoll, SYS_recvmmsg, SYS_alarm, SYS_setitimer, SYS_getitimer,
	SYS_timerfd_settime, SYS_timerfd_gettime, SYS_timer_settime,
	SYS_timer_gettime,
};

static const int vtime_stats[] = {
	SYS_stat, SYS_fstat, SYS_lstat, SYS_newfstatat, SYS_statx,
};

static const int vtime_utimes[] = {
	SYS_utimensat, SYS_utimes, SYS_futimesat, SYS_utime,
};

#define VTIME_ADD(set, arr, hooks)					\
	do {								\
		for (size_t i_ = 0; i_ < sizeof(arr) / sizeof(arr[0]); i_++) \
			facet_sysset_add(set, arr[i_], hooks);		\
	} while (0)

static int vtime_scaled(const struct vtime_state *s)
{
	return vtime_factor(s, VTIME_BASE_REAL) != 1 ||
	       vtime_factor(s, VTIME_BASE_MONO) != 1;
}

static void vtime_wants(void *self, struct facet_sysset *set)
{
	struct vtime_state *s = &((struct vtime_self *)self)->st;

	VTIME_ADD(set, vtime_reads, FACET_HOOK_ENTER);
	facet_sysset_add(set, SYS_io_uring_setup, FACET_HOOK_ENTER);
	VTIME_ADD(set, vtime_deadlines, FACET_HOOK_REWRITE);
	/* no timeout, nothing to convert: futex wakes and untimed waits */
	facet_sysset_pass_if_zero(set, SYS_futex, 3);
#ifdef SYS_futex_waitv
	facet_sysset_pass_if_zero(set, SYS_futex_waitv, 3);
#endif
	facet_sysset_pass_if_zero(set, SYS_mq_timedsend, 4);
	facet_sysset_pass_if_zero(set, SYS_mq_timedreceive, 4);
	if (vtime_scaled(s)) {
		VTIME_ADD(set, vtime_timeouts, FACET_HOOK_REWRITE);
		VTIME_ADD(set, vtime_reports,
			  FACET_HOOK_REWRITE | FACET_HOOK_EXIT);
	}
	/* socket timeouts: elapsed time, scaled as relative timeouts are */
	if (vtime_factor(s, VTIME_BASE_MONO) != 1) {
		facet_sysset_add(set, SYS_setsockopt, FACET_HOOK_REWRITE);
		facet_sysset_only_if(set, SYS_setsockopt, 2,
				     VTIME_SOCKOPT_BITS);
		facet_sysset_add(set, SYS_getsockopt, FACET_HOOK_EXIT);
		facet_sysset_only_if(set, SYS_getsockopt, 2,
				     VTIME_SOCKOPT_BITS);
	}
	/* /proc/uptime and start times: only when CLOCK_BOOTTIME is faked */
	if (vtime_faked(s, VTIME_BASE_BOOT)) {
		facet_sysset_add(set, SYS_open, FACET_HOOK_ENTER);
		facet_sysset_add(set, SYS_openat, FACET_HOOK_ENTER);
	}
	/* times()'s ticks: when CLOCK_MONOTONIC is */
	if (vtime_faked(s, VTIME_BASE_MONO))
		facet_sysset_add(set, SYS_times, FACET_HOOK_EXIT);
	if (!s->files_real) {
		VTIME_ADD(set, vtime_stats, FACET_HOOK_EXIT);
		VTIME_ADD(set, vtime_utimes, FACET_HOOK_REWRITE);
	}
}

static int vtime_in(long nr, const int *arr, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (arr[i] == nr)
			return 1;
	return 0;
}

#define VTIME_IN(nr, arr)	vtime_in(nr, arr, sizeof(arr) / sizeof(arr[0]))

static int vtime_is_timer(long nr)
{
	return nr == SYS_timerfd_settime || nr == SYS_timerfd_gettime ||
	       nr == SYS_timer_settime || nr == SYS_timer_gettime ||
	       nr == SYS_alarm || nr == SYS_setitimer || nr == SYS_getitimer;
}

static enum facet_verdict vtime_enter(void *self, struct facet_call *call)
{
	struct vtime_state *s = &((struct vtime_self *)self)->st;
	long nr = facet_nr(call);

	if (VTIME_IN(nr, vtime_reads))
		return vtime_read_enter(s, call);
	if (nr == SYS_io_uring_setup) {
		/* a ring's timeouts would pass unconverted */
		facet_return(call, -ENOSYS);
		return FACET_DONE;
	}
	if (nr == SYS_open || nr == SYS_openat)
		return vtime_proc_enter(s, call);
	if (nr == SYS_times)
		return FACET_CONTINUE_EXIT;
	if (nr == SYS_setsockopt || nr == SYS_getsockopt)
		return vtime_sockopt_enter(s, call);
	if (VTIME_IN(nr, vtime_stats) || VTIME_IN(nr, vtime_utimes))
		return vtime_stat_enter(s, call);
	if (vtime_is_timer(nr))
		return vtime_timer_enter(s, call);
	return vtime_sleep_enter(s, call);
}

static void vtime_exit(void *self, struct facet_call *call)
{
	struct vtime_state *s = &((struct vtime_self *)self)->st;
	long nr = facet_nr(call);

	if (nr == SYS_times)
		vtime_times_exit(s, call);
	else if (nr == SYS_getsockopt)
		vtime_sockopt_exit(s, call);
	else if (VTIME_IN(nr, vtime_stats))
		vtime_stat_exit(s, call);
	else if (vtime_is_timer(nr))
		vtime_timer_exit(s, call);
	else
		vtime_sleep_exit(s, call);
}

static const struct facet_module vtime_module = {
	.abi = FACET_MODULE_ABI,
	.name = "vtime",
	.summary = "virtual clocks: offset, start-at, frozen, rate, settable",
	.options = vtime_options,
	.self_size = sizeof(struct vtime_self),
	.option = vtime_option,
	.start = vtime_start,
	.wants = vtime_wants,
	.enter = vtime_enter,
	.exit = vtime_exit,
};

FACET_MODULE_BUILTIN(vtime_module);
/* its own clock reads go through libc: see FACET_MODULE_NOT_COMBINED */
FACET_MODULE_NOT_COMBINED(vtime_module);
