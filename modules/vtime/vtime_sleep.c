// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vtime/vtime_sleep.c - Sleeps and timeouts at the virtual rate
 *
 * DOC: Scaling timeouts
 *
 * A relative timeout is virtual time on the clock the kernel measures it
 * with (CLOCK_MONOTONIC for nanosleep, poll, select, epoll, futex waits and
 * the rest): it is divided by that clock's rate and handed to the kernel
 * through facet_set_arg_buf() (FACET_HOOK_REWRITE).  An absolute deadline
 * (clock_nanosleep with TIMER_ABSTIME, FUTEX_WAIT_BITSET, FUTEX_LOCK_PI,
 * mq_timedsend) is turned into the real instant at which the virtual clock
 * shows it.  Where the kernel writes the time left back (nanosleep's rem,
 * the timeout of select, pselect6, ppoll and recvmmsg), the exit callback
 * scales it back into the caller's own struct.  Invalid timeouts are
 * passed on unchanged so that the kernel gives its own error.
 */
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>

#include "vtime.h"

#ifndef ERESTART_RESTARTBLOCK
#define ERESTART_RESTARTBLOCK	516
#endif

/**
 * struct vtime_back - What exit() must write back, in facet_scratch()
 * @user:	Caller's struct to update, 0 for none
 * @from:	Where the kernel wrote the real value (== @user for rem)
 * @tv:		A timeval rather than a timespec
 * @base:	Clock the value is measured on
 */
struct vtime_back {
	long user, from;
	int tv;
	int base;
};

static enum facet_verdict vtime_fail(struct facet_call *call, int ret)
{
	facet_return(call, ret);
	return FACET_DONE;
}

/* Place @ns as a timespec (or timeval) in argument @i */
static int vtime_put_arg(struct facet_call *call, int i, int64_t ns, int tv)
{
	struct timespec ts = vtime_ns_ts(ns);
	struct timeval v;

	if (!tv)
		return facet_set_arg_buf(call, i, &ts, sizeof(ts));
	v.tv_sec = ts.tv_sec;
	v.tv_usec = (ts.tv_nsec + 999) / 1000;
	if (v.tv_usec == 1000000) {
		v.tv_sec++;
		v.tv_usec = 0;
	}
	return facet_set_arg_buf(call, i, &v, sizeof(v));
}

/*
 * Read argument @i as ns: 0 if absent, 1 if read, -1 if invalid or too
 * far away to convert (`sleep infinity`): then it passes unchanged
 */
static int vtime_get_arg(struct facet_call *call, int i, int tv,
			 int64_t *ns)
{
	long addr = facet_arg(call, i);
	struct timespec ts;
	struct timeval v;

	if (!addr)
		return 0;
	if (tv) {
		if (facet_peek(call, &v, addr, sizeof(v)) != sizeof(v) ||
		    v.tv_sec < 0 || v.tv_usec < 0 || v.tv_usec >= 1000000 ||
		    !vtime_sec_ok(v.tv_sec))
			return -1;
		*ns = (int64_t)v.tv_sec * VTIME_NS + v.tv_usec * 1000LL;
		return 1;
	}
	if (facet_peek(call, &ts, addr, sizeof(ts)) != sizeof(ts) ||
	    ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= VTIME_NS ||
	    !vtime_sec_ok(ts.tv_sec))
		return -1;
	*ns = vtime_ts_ns(&ts);
	return 1;
}

/**
 * vtime_rel_arg() - Scale the relative timeout in argument @i
 * @s:		Module state
 * @call:	The call
 * @i:		Argument index
 * @tv:		A timeval rather than a timespec
 * @base:	Clock the kernel measures the timeout on
 * @back:	Write the time left back into the caller's struct at exit
 *
 * Return: the verdict for the call
 */
static enum facet_verdict vtime_rel_arg(struct vtime_state *s,
					struct facet_call *call, int i,
					int tv, enum vtime_base base, int back)
{
	struct vtime_back *b = facet_scratch(call);
	int64_t ns;
	int ret;

	if (vtime_factor(s, base) == 1 || vtime_get_arg(call, i, tv, &ns) <= 0)
		return FACET_CONTINUE;
	b->user = facet_arg(call, i);
	ret = vtime_put_arg(call, i, vtime_dur_to_real(s, base, ns), tv);
	if (ret < 0)
		return vtime_fail(call, ret);
	if (!back)
		return FACET_CONTINUE;
	b->from = facet_arg(call, i);
	b->tv = tv;
	b->base = base;
	return FACET_CONTINUE_EXIT;
}

/* Convert the absolute deadline on clock @clk in argument @i */
static enum facet_verdict vtime_abs_arg(struct vtime_state *s,
					struct facet_call *call, int i,
					long clk)
{
	int64_t ns;
	int ret;

	if (!vtime_faked(s, vtime_clock_base(clk)) ||
	    vtime_get_arg(call, i, 0, &ns) <= 0)
		return FACET_CONTINUE;
	ret = vtime_put_arg(call, i, vtime_abs_clock_to_real(s, clk, ns), 0);
	return ret < 0 ? vtime_fail(call, ret) : FACET_CONTINUE;
}

/* A timeout in milliseconds in argument @i (poll, epoll_wait) */
static enum facet_verdict vtime_ms_arg(struct vtime_state *s,
				       struct facet_call *call, int i)
{
	int ms = (int)facet_arg(call, i);
	double f = vtime_factor(s, VTIME_BASE_MONO);
	long real;

	if (ms <= 0 || f == 1)
		return FACET_CONTINUE;
	real = (long)(ms / f);
	if (real * f < ms)
		real++;
	facet_set_arg(call, i, real > INT_MAX ? INT_MAX : real);
	return FACET_CONTINUE;
}

static enum facet_verdict vtime_nanosleep(struct vtime_state *s,
					  struct facet_call *call, int clk,
					  int flags, int i)
{
	enum vtime_base base = vtime_clock_base(clk);
	struct vtime_back *b = facet_scratch(call);
	enum facet_verdict v;

	if (base == VTIME_BASE_NONE)
		return FACET_CONTINUE;
	if (flags & TIMER_ABSTIME)
		return vtime_abs_arg(s, call, i, clk);
	/*
	 * A relative sleep is elapsed time whatever the clock, as the
	 * kernel measures it: glibc's nanosleep() is one on CLOCK_REALTIME,
	 * and --time-monotonic real keeps it real
	 */
	if (base == VTIME_BASE_REAL)
		base = VTIME_BASE_MONO;
	v = vtime_rel_arg(s, call, i, 0, base, 0);
	if (v != FACET_CONTINUE || !b->user || !facet_arg(call, i + 1))
		return v;
	/* the kernel writes the time left into rem itself */
	b->user = b->from = facet_arg(call, i + 1);
	b->base = base;
	return FACET_CONTINUE_EXIT;
}

static enum facet_verdict vtime_futex(struct vtime_state *s,
				      struct facet_call *call)
{
	int op = (int)facet_arg(call, 1);
	long clk = op & FUTEX_CLOCK_REALTIME ? CLOCK_REALTIME :
		   CLOCK_MONOTONIC;

	switch (op & FUTEX_CMD_MASK) {
	case FUTEX_WAIT:
		return vtime_rel_arg(s, call, 3, 0, vtime_clock_base(clk), 0);
	case FUTEX_LOCK_PI:
		return vtime_abs_arg(s, call, 3, CLOCK_REALTIME);
	case FUTEX_WAIT_BITSET:
	case FUTEX_WAIT_REQUEUE_PI:
#ifdef FUTEX_LOCK_PI2
	case FUTEX_LOCK_PI2:
#endif
		return vtime_abs_arg(s, call, 3, clk);
	}
	return FACET_CONTINUE;
}

/**
 * vtime_sleep_enter() - Scale the timeout of a sleep or a wait
 * @s:		Module state
 * @call:	The call
 *
 * Return: the verdict
 */
enum facet_verdict vtime_sleep_enter(struct vtime_state *s,
				     struct facet_call *call)
{
	const enum vtime_base M = VTIME_BASE_MONO;

	switch (facet_nr(call)) {
	case SYS_nanosleep:
		return vtime_nanosleep(s, call, CLOCK_MONOTONIC, 0, 0);
	case SYS_clock_nanosleep:
		return vtime_nanosleep(s, call, facet_arg(call, 0),
				       facet_arg(call, 1), 2);
	case SYS_poll:
		return vtime_ms_arg(s, call, 2);
	case SYS_epoll_wait:
	case SYS_epoll_pwait:
		return vtime_ms_arg(s, call, 3);
	case SYS_select:
		return vtime_rel_arg(s, call, 4, 1, M, 1);
	case SYS_pselect6:
		return vtime_rel_arg(s, call, 4, 0, M, 1);
	case SYS_ppoll:
		return vtime_rel_arg(s, call, 2, 0, M, 1);
	case SYS_epoll_pwait2:
	case SYS_semtimedop:
		return vtime_rel_arg(s, call, 3, 0, M, 0);
	case SYS_rt_sigtimedwait:
		return vtime_rel_arg(s, call, 2, 0, M, 0);
	case SYS_io_getevents:
	case SYS_io_pgetevents:
		return vtime_rel_arg(s, call, 4, 0, M, 0);
	case SYS_recvmmsg:
		return vtime_rel_arg(s, call, 4, 0, M, 1);
	case SYS_futex:
		return vtime_futex(s, call);
#ifdef SYS_futex_waitv
	case SYS_futex_waitv:
		return vtime_abs_arg(s, call, 3, facet_arg(call, 4));
#endif
	case SYS_mq_timedsend:
	case SYS_mq_timedreceive:
		return vtime_abs_arg(s, call, 4, CLOCK_REALTIME);
	}
	return FACET_CONTINUE;
}

/**
 * vtime_sleep_exit() - Write the time left back, as virtual time
 * @s:		Module state
 * @call:	The call
 */
void vtime_sleep_exit(struct vtime_state *s, struct facet_call *call)
{
	struct vtime_back *b = facet_scratch(call);
	long res = facet_result(call);
	struct timespec ts;
	struct timeval tv;
	int64_t ns;

	if (b->user == b->from && res != -EINTR &&
	    res != -ERESTART_RESTARTBLOCK)
		return;	/* rem is written only when interrupted */
	if (b->tv) {
		if (facet_peek(call, &tv, b->from, sizeof(tv)) != sizeof(tv))
			return;
		ns = vtime_dur_to_virt(s, b->base, tv.tv_sec * VTIME_NS +
				       tv.tv_usec * 1000LL);
		ts = vtime_ns_ts(ns);
		tv.tv_sec = ts.tv_sec;
		tv.tv_usec = ts.tv_nsec / 1000;
		facet_poke(call, b->user, &tv, sizeof(tv));
		return;
	}
	if (facet_peek(call, &ts, b->from, sizeof(ts)) != sizeof(ts))
		return;
	ts = vtime_ns_ts(vtime_dur_to_virt(s, b->base, vtime_ts_ns(&ts)));
	facet_poke(call, b->user, &ts, sizeof(ts));
}
