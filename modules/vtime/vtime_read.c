// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vtime/vtime_read.c - Reading and setting the virtual clocks
 *
 * All of these are finished by the module (FACET_HOOK_ENTER): it reads the
 * real clock itself, computes the virtual time and writes the result into
 * the caller's memory, so under the supervisor they take the cheap
 * notification path.  The module's own clock reads go to libc (the vDSO),
 * never through the shim's wrappers (see vtime_clock.c).  Setting the
 * realtime clock changes the view's shared bases and never the host's
 * clock; it needs no privilege.  times() is left to the kernel and only
 * its result changed at exit.
 */
#include <errno.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/time.h>
#include <sys/timex.h>
#include <unistd.h>

#include "vtime.h"

static enum facet_verdict vtime_done(struct facet_call *call, long ret)
{
	facet_return(call, ret);
	return FACET_DONE;
}

static long vtime_put(struct facet_call *call, long addr, const void *p,
		      size_t len)
{
	if (facet_poke(call, addr, p, len) != (ssize_t)len)
		return -EFAULT;
	return 0;
}

static enum facet_verdict vtime_clock_gettime(struct vtime_state *s,
					      struct facet_call *call)
{
	long clk = facet_arg(call, 0);
	struct timespec ts;
	int64_t ns;
	int ret;

	if (!vtime_faked(s, vtime_clock_base(clk)))
		return FACET_CONTINUE;
	ret = vtime_virt_read(s, clk, &ns);
	if (ret < 0)
		return vtime_done(call, ret);
	ts = vtime_ns_ts(ns);
	return vtime_done(call, vtime_put(call, facet_arg(call, 1), &ts,
					  sizeof(ts)));
}

static enum facet_verdict vtime_gettimeofday(struct vtime_state *s,
					     struct facet_call *call)
{
	long tva = facet_arg(call, 0), tza = facet_arg(call, 1), ret = 0;
	struct timespec ts;
	struct timeval tv;
	struct timezone tz;

	if (tva) {
		ts = vtime_ns_ts(vtime_virt_now(s, CLOCK_REALTIME));
		tv.tv_sec = ts.tv_sec;
		tv.tv_usec = ts.tv_nsec / 1000;
		ret = vtime_put(call, tva, &tv, sizeof(tv));
	}
	if (!ret && tza) {
		syscall(SYS_gettimeofday, &tv, &tz);
		ret = vtime_put(call, tza, &tz, sizeof(tz));
	}
	return vtime_done(call, ret);
}

static enum facet_verdict vtime_time(struct vtime_state *s,
				     struct facet_call *call)
{
	long tloc = facet_arg(call, 0);
	time_t t = vtime_ns_ts(vtime_virt_now(s, CLOCK_REALTIME)).tv_sec;

	if (tloc && vtime_put(call, tloc, &t, sizeof(t)) < 0)
		return vtime_done(call, -EFAULT);
	return vtime_done(call, t);
}

static enum facet_verdict vtime_clock_settime(struct vtime_state *s,
					      struct facet_call *call)
{
	struct timespec ts;

	if (facet_arg(call, 0) != CLOCK_REALTIME)
		return FACET_CONTINUE;	/* the kernel's EINVAL or EPERM */
	if (facet_peek(call, &ts, facet_arg(call, 1), sizeof(ts)) !=
	    sizeof(ts))
		return vtime_done(call, -EFAULT);
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= VTIME_NS ||
	    !vtime_sec_ok(ts.tv_sec))
		return vtime_done(call, -EINVAL);
	vtime_clock_set(s, vtime_ts_ns(&ts));
	return vtime_done(call, 0);
}

/* The time zone argument is ignored: setting it is the host's business */
static enum facet_verdict vtime_settimeofday(struct vtime_state *s,
					     struct facet_call *call)
{
	struct timeval tv;

	if (!facet_arg(call, 0))
		return vtime_done(call, 0);
	if (facet_peek(call, &tv, facet_arg(call, 0), sizeof(tv)) !=
	    sizeof(tv))
		return vtime_done(call, -EFAULT);
	if (tv.tv_sec < 0 || tv.tv_usec < 0 || tv.tv_usec >= 1000000 ||
	    !vtime_sec_ok(tv.tv_sec))
		return vtime_done(call, -EINVAL);
	vtime_clock_set(s, (int64_t)tv.tv_sec * VTIME_NS +
			(int64_t)tv.tv_usec * 1000);
	return vtime_done(call, 0);
}

/* ADJ_SETOFFSET: the offset in @tx, in ns; -EINVAL if malformed */
static int vtime_adj_offset(const struct timex *tx, int64_t *delta)
{
	long unit = tx->modes & ADJ_NANO ? 1 : 1000;

	if (tx->time.tv_usec < 0 || tx->time.tv_usec >= VTIME_NS / unit ||
	    !vtime_sec_ok(tx->time.tv_sec))
		return -EINVAL;
	*delta = (int64_t)tx->time.tv_sec * VTIME_NS +
		 (int64_t)tx->time.tv_usec * unit;
	return 0;
}

/*
 * adjtimex/clock_adjtime on CLOCK_REALTIME: reads are the host's state
 * with the virtual time; ADJ_SETOFFSET moves the virtual clock; other
 * adjustments (frequency, slewing, status) are not emulated and fail with
 * EPERM, so the host clock is never touched.
 */
static enum facet_verdict vtime_adjtime(struct vtime_state *s,
					struct facet_call *call, int ai)
{
	struct timex tx, real = { 0 };
	unsigned modes;
	struct timespec ts;
	int64_t delta;
	int state;

	if (facet_peek(call, &tx, facet_arg(call, ai), sizeof(tx)) !=
	    sizeof(tx))
		return vtime_done(call, -EFAULT);
	modes = tx.modes;
	if (modes && modes != ADJ_OFFSET_SS_READ &&
	    (modes & ~(unsigned)(ADJ_SETOFFSET | ADJ_NANO)))
		return vtime_done(call, -EPERM);
	if (modes & ADJ_SETOFFSET) {
		if (vtime_adj_offset(&tx, &delta) < 0)
			return vtime_done(call, -EINVAL);
		vtime_clock_shift(s, delta);
	}
	state = syscall(SYS_adjtimex, &real);	/* modes 0: a read */
	if (state < 0)
		return vtime_done(call, -errno);
	ts = vtime_ns_ts(vtime_virt_now(s, CLOCK_REALTIME));
	real.modes = modes;
	real.time.tv_sec = ts.tv_sec;
	real.time.tv_usec = real.status & STA_NANO ? ts.tv_nsec :
			    ts.tv_nsec / 1000;
	return vtime_done(call, vtime_put(call, facet_arg(call, ai), &real,
					  sizeof(real)) ?: state);
}

/* sysinfo(): the uptime is the virtual CLOCK_BOOTTIME */
static enum facet_verdict vtime_sysinfo(struct vtime_state *s,
					struct facet_call *call)
{
	struct sysinfo si;

	if (!vtime_faked(s, VTIME_BASE_BOOT))
		return FACET_CONTINUE;
	if (syscall(SYS_sysinfo, &si) < 0)
		return vtime_done(call, -errno);
	/* rounded up, as the kernel does */
	si.uptime = (vtime_virt_now(s, CLOCK_BOOTTIME) + VTIME_NS - 1) /
		    VTIME_NS;
	return vtime_done(call, vtime_put(call, facet_arg(call, 0), &si,
					  sizeof(si)));
}

/**
 * vtime_times_exit() - times(): its result, clock ticks since a point
 *			near the boot, runs as CLOCK_MONOTONIC does in the
 *			view (the CPU times it fills in are the host's)
 * @s:		Module state
 * @call:	The call, the kernel's result in
 */
void vtime_times_exit(struct vtime_state *s, struct facet_call *call)
{
	long res = facet_result(call), hz = sysconf(_SC_CLK_TCK);
	int64_t real = vtime_real_now(VTIME_BASE_MONO);
	int64_t ahead = vtime_to_virt(s, VTIME_BASE_MONO, real) - real;

	if ((res < 0 && res > -4096) || hz <= 0)
		return;		/* -EFAULT */
	facet_set_result(call, res + ahead / (VTIME_NS / hz));
}

/**
 * vtime_read_enter() - clock_gettime, gettimeofday, time, sysinfo and the
 *			setters
 * @s:		Module state
 * @call:	The call
 *
 * Return: FACET_DONE, or FACET_CONTINUE for clocks the view does not fake
 */
enum facet_verdict vtime_read_enter(struct vtime_state *s,
				    struct facet_call *call)
{
	switch (facet_nr(call)) {
	case SYS_clock_gettime:
		return vtime_clock_gettime(s, call);
	case SYS_gettimeofday:
		return vtime_gettimeofday(s, call);
	case SYS_time:
		return vtime_time(s, call);
	case SYS_clock_settime:
		return vtime_clock_settime(s, call);
	case SYS_settimeofday:
		return vtime_settimeofday(s, call);
	case SYS_adjtimex:
		return vtime_adjtime(s, call, 0);
	case SYS_sysinfo:
		return vtime_sysinfo(s, call);
	case SYS_clock_adjtime:
		if (facet_arg(call, 0) != CLOCK_REALTIME)
			return FACET_CONTINUE;
		return vtime_adjtime(s, call, 1);
	}
	return FACET_CONTINUE;
}
