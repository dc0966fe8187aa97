// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vtime/vtime_clock.c - Real to virtual time and back
 *
 * DOC: The virtual clocks
 *
 * Every virtual clock is a linear function of the real clock it is based
 * on, so it is computed from one real reading and a few shared numbers,
 * with no syscall and no per-process state:
 *
 *   realtime   V(t) = v0 + (t - r0) * rate      (rate 0: frozen)
 *   monotonic  M(t) = m0 + (t - m0) * mrate     (per base: MONOTONIC,
 *                                                MONOTONIC_RAW, BOOTTIME)
 *
 * v0/r0 live in memory shared by the whole view and change when a process
 * sets the clock (clock_settime, settimeofday, adjtimex); a sequence lock
 * keeps readers in other processes (preload) consistent.  The monotonic
 * clocks start at their real value, never change base, and have a rate
 * greater than 0 (a frozen realtime keeps monotonic running at real speed,
 * so that timeouts still end): they never go backwards.
 *
 * With a step ('i2.0'), realtime stands still as a frozen one does, but
 * each read shows it one step later than the read before (the view's
 * reads share one counter): v0, v0 + step, v0 + 2 step...  Monotonic clocks run at real
 * speed then, as with a frozen clock.
 *
 * File timestamps use the realtime mapping for times after r0 and a plain
 * offset for older ones, so the mapping stays invertible and ordered
 * (make still works), and a file touched now shows the virtual now.
 */
#include <dlfcn.h>
#include <errno.h>
#include <time.h>

#include "vtime.h"

static const clockid_t vtime_base_clock[VTIME_BASES] = {
	[VTIME_BASE_REAL] = CLOCK_REALTIME,
	[VTIME_BASE_MONO] = CLOCK_MONOTONIC,
	[VTIME_BASE_RAW] = CLOCK_MONOTONIC_RAW,
	[VTIME_BASE_BOOT] = CLOCK_BOOTTIME,
};

typedef int (*vtime_gettime_fn)(clockid_t, struct timespec *);

/*
 * The real clock_gettime(), the vDSO one through libc: found with
 * RTLD_NEXT so that under preload, where the shim itself defines
 * clock_gettime(), the module does not call back into the shim.
 */
static vtime_gettime_fn vtime_real_gettime(void)
{
	static vtime_gettime_fn fn;
	vtime_gettime_fn f = __atomic_load_n(&fn, __ATOMIC_ACQUIRE);

	if (f)
		return f;
	f = (vtime_gettime_fn)dlsym(RTLD_NEXT, "clock_gettime");
	if (!f)
		f = clock_gettime;
	__atomic_store_n(&fn, f, __ATOMIC_RELEASE);
	return f;
}

/* Real time on @clk in @ns; -errno for a clock this kernel lacks (the
 * ALARM clocks without an RTC) */
static int vtime_read(clockid_t clk, int64_t *ns)
{
	struct timespec ts;

	if (vtime_real_gettime()(clk, &ts) < 0)
		return -errno;
	*ns = vtime_ts_ns(&ts);
	return 0;
}

/* Real now on @base's clock, ns */
int64_t vtime_real_now(enum vtime_base base)
{
	int64_t ns = 0;

	vtime_read(vtime_base_clock[base < VTIME_BASES ? base : 0], &ns);
	return ns;
}

/*
 * CLOCK_TAI - CLOCK_REALTIME, ns: whole seconds (the kernel's tai_offset),
 * so the time between the two reads is rounded away
 */
static int64_t vtime_tai_offset(int64_t *rt)
{
	int64_t tai = 0, d;

	*rt = 0;
	vtime_read(CLOCK_REALTIME, rt);
	vtime_read(CLOCK_TAI, &tai);
	d = tai - *rt;
	d = d >= 0 ? d / VTIME_NS : -((-d + VTIME_NS - 1) / VTIME_NS);
	return d * VTIME_NS;
}

/* Read v0 and r0 consistently */
static void vtime_base_get(const struct vtime_state *s, int64_t *v0,
			   int64_t *r0)
{
	struct vtime_shared *sh = s->sh;
	unsigned tries = 0;
	uint32_t s1, s2;

	/* bounded: a writer killed mid-update must not hang the view */
	do {
		s1 = __atomic_load_n(&sh->seq, __ATOMIC_ACQUIRE);
		*v0 = __atomic_load_n(&sh->v0, __ATOMIC_RELAXED);
		*r0 = __atomic_load_n(&sh->r0, __ATOMIC_RELAXED);
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		s2 = __atomic_load_n(&sh->seq, __ATOMIC_RELAXED);
	} while (((s1 & 1) || s1 != s2) && ++tries < (1u << 24));
}

/* @a + @b, saturated: far-away times stay far away */
static int64_t vtime_add(int64_t a, int64_t b)
{
	int64_t r;

	if (__builtin_add_overflow(a, b, &r))
		return b > 0 ? INT64_MAX : INT64_MIN;
	return r;
}

/* @a - @b, saturated: a deadline or file time far from the view's clock
 * (a view in 1740, a deadline in 2038) stays on its side of it */
static int64_t vtime_sub(int64_t a, int64_t b)
{
	int64_t r;

	if (__builtin_sub_overflow(a, b, &r))
		return b < 0 ? INT64_MAX : INT64_MIN;
	return r;
}

/* Scale @d by @f, rounding to the nearest ns, saturated */
static int64_t vtime_scale(int64_t d, double f)
{
	double r;

	if (f == 1)
		return d;
	r = (double)d * f;
	if (r >= 9.2e18)
		return INT64_MAX;
	if (r <= -9.2e18)
		return INT64_MIN;
	return (int64_t)(r < 0 ? r - 0.5 : r + 0.5);
}

/* vtime_to_virt(), inlined into the fast reader too */
static inline int64_t vtime_map(const struct vtime_state *s,
				enum vtime_base base, int64_t real)
{
	int64_t v0, r0, m0;

	if (base == VTIME_BASE_REAL) {
		vtime_base_get(s, &v0, &r0);
		return vtime_add(v0, vtime_scale(real - r0, s->rate));
	}
	if (!vtime_faked(s, base))
		return real;
	m0 = s->sh->m0[base];
	return vtime_add(m0, vtime_scale(real - m0, s->mrate));
}

/**
 * vtime_to_virt() - Virtual time of the real instant @real on @base
 * @s:		Module state
 * @base:	Real clock @real was read from
 * @real:	Real instant, ns
 *
 * Return: virtual instant, ns
 */
int64_t vtime_to_virt(const struct vtime_state *s, enum vtime_base base,
		      int64_t real)
{
	return vtime_map(s, base, real);
}

/*
 * A read of the stepping realtime clock: v0 + n * step for the view's nth
 * read, which takes the next n; n and v0 from the same clock setting
 * (vtime_clock_set() starts n again at 0)
 */
static int64_t vtime_step_read(const struct vtime_state *s)
{
	struct vtime_shared *sh = s->sh;
	unsigned tries = 0;
	uint32_t s1, s2;
	uint64_t n;
	int64_t v0, d;

	do {
		s1 = __atomic_load_n(&sh->seq, __ATOMIC_ACQUIRE);
		v0 = __atomic_load_n(&sh->v0, __ATOMIC_RELAXED);
		n = __atomic_fetch_add(&sh->steps, 1, __ATOMIC_RELAXED);
		s2 = __atomic_load_n(&sh->seq, __ATOMIC_ACQUIRE);
	} while (((s1 & 1) || s1 != s2) && ++tries < (1u << 24));
	if (__builtin_mul_overflow((int64_t)n, s->step, &d))
		d = INT64_MAX;
	return vtime_add(v0, d);
}

/* How far the stepping clock has moved from v0: n - 1 steps, no read */
static int64_t vtime_step_shown(const struct vtime_state *s)
{
	uint64_t n = __atomic_load_n(&s->sh->steps, __ATOMIC_RELAXED);
	int64_t d;

	if (!n)
		return 0;
	if (__builtin_mul_overflow((int64_t)(n - 1), s->step, &d))
		return INT64_MAX;
	return d;
}

/* What @clk (on @base) reads in the view now, in @ns; -errno from the
 * real clock */
static inline int vtime_now(const struct vtime_state *s, long clk,
			    enum vtime_base base, int64_t *ns)
{
	int64_t t, off;
	int ret;

	if (s->step && base == VTIME_BASE_REAL) {
		off = clk == CLOCK_TAI ? vtime_tai_offset(&t) : 0;
		*ns = vtime_add(vtime_step_read(s), off);
		return 0;
	}
	if (clk == CLOCK_TAI) {
		off = vtime_tai_offset(&t);
		*ns = vtime_add(vtime_map(s, base, t), off);
		return 0;
	}
	ret = vtime_read(clk, &t);
	if (ret < 0)
		return ret;
	*ns = vtime_map(s, base, t);
	return 0;
}

/**
 * vtime_virt_read() - What clock @clk reads in the view now
 * @s:		Module state
 * @clk:	Clock id; must not be VTIME_BASE_NONE
 * @ns:		Filled with the time, ns
 *
 * Return: 0, or -errno if the host has no such clock
 */
int vtime_virt_read(const struct vtime_state *s, long clk, int64_t *ns)
{
	return vtime_now(s, clk, vtime_clock_base(clk), ns);
}

/**
 * vtime_virt_now() - vtime_virt_read() for clocks every host has
 *		      (CLOCK_REALTIME, CLOCK_BOOTTIME)
 * @s:		Module state
 * @clk:	Clock id
 *
 * Return: ns
 */
int64_t vtime_virt_now(const struct vtime_state *s, long clk)
{
	int64_t ns = 0;

	vtime_now(s, clk, vtime_clock_base(clk), &ns);
	return ns;
}

/**
 * vtime_read_fast() - The lock-free reader offered to the backend
 *		       (facet_env_clock())
 * @self:	Module state (struct vtime_state comes first in it)
 * @clk:	Clock id
 * @ts:		Filled with the view's time on @clk
 *
 * The same numbers as the clock_gettime() the module finishes, from one
 * real reading through libc's vDSO and the shared bases under their
 * sequence lock; everything on the way is inlined here.
 *
 * Return: 0, or 1 for clocks the view does not fake and ones the host
 * does not have
 */
int vtime_read_fast(void *self, clockid_t clk, struct timespec *ts)
{
	const struct vtime_state *s = self;
	enum vtime_base base = vtime_clock_base(clk);

	int64_t ns;

	/* a clock the host lacks: libc's call gives the error */
	if (!vtime_faked(s, base) || vtime_now(s, clk, base, &ns) < 0)
		return 1;
	*ts = vtime_ns_ts(ns);
	return 0;
}

/* Speed of the clocks of @base relative to real time, for durations */
double vtime_factor(const struct vtime_state *s, enum vtime_base base)
{
	if (base == VTIME_BASE_REAL)
		return s->rate > 0 ? s->rate : 1;
	if (base == VTIME_BASE_NONE || s->mono_real)
		return 1;
	return s->mrate;
}

/* A virtual duration on @base as real time (rounded up: never shorter) */
int64_t vtime_dur_to_real(const struct vtime_state *s, enum vtime_base base,
			  int64_t virt)
{
	double f = vtime_factor(s, base), r;
	int64_t q;

	if (f == 1 || virt <= 0)
		return virt;
	r = (double)virt / f;
	if (r >= 9.2e18)
		return INT64_MAX;
	q = (int64_t)r;
	if ((double)q * f < (double)virt)
		q++;
	return q;
}

/* A real duration on @base as virtual time */
int64_t vtime_dur_to_virt(const struct vtime_state *s, enum vtime_base base,
			  int64_t real)
{
	return vtime_scale(real, vtime_factor(s, base));
}

/**
 * vtime_abs_to_real() - Real instant at which @base's virtual clock shows
 *			 @virt: for absolute deadlines
 * @s:		Module state
 * @base:	Clock base
 * @virt:	Virtual instant, ns
 *
 * Return: real instant, ns (now, for a frozen clock's past deadlines)
 */
int64_t vtime_abs_to_real(const struct vtime_state *s, enum vtime_base base,
			  int64_t virt)
{
	int64_t v0, r0, m0, now, real;

	if (base == VTIME_BASE_REAL) {
		vtime_base_get(s, &v0, &r0);
		if (s->rate > 0) {
			real = vtime_add(r0, vtime_dur_to_real(s, base,
							vtime_sub(virt, v0)));
			/* a deadline long past in a view far ahead maps
			 * before 1970, which the kernel refuses (EINVAL,
			 * and libc's timed waits retry it for ever): any
			 * past instant does, one the kernel takes, and
			 * not 0, which disarms a timer */
			return real > 0 ? real : 1;
		}
		/* frozen or stepping: wait out the difference in real
		 * time, from the time the clock shows (the last step's) */
		if (s->step)
			v0 = vtime_add(v0, vtime_step_shown(s));
		now = vtime_real_now(base);
		return virt > v0 ? vtime_add(now, vtime_sub(virt, v0)) : now;
	}
	if (!vtime_faked(s, base))
		return virt;
	m0 = s->sh->m0[base];
	return vtime_add(m0, vtime_dur_to_real(s, base, virt - m0));
}

/**
 * vtime_abs_clock_to_real() - vtime_abs_to_real() for clock id @clk
 * @s:		Module state
 * @clk:	Clock id (CLOCK_TAI is realtime plus the TAI offset)
 * @virt:	Virtual instant on @clk, ns
 *
 * Return: real instant on @clk, ns
 */
int64_t vtime_abs_clock_to_real(const struct vtime_state *s, long clk,
				int64_t virt)
{
	int64_t off, rt;

	if (clk != CLOCK_TAI)
		return vtime_abs_to_real(s, vtime_clock_base(clk), virt);
	off = vtime_tai_offset(&rt);
	return vtime_add(vtime_abs_to_real(s, VTIME_BASE_REAL, virt - off),
			 off);
}

static uint32_t vtime_write_begin(struct vtime_shared *sh)
{
	uint32_t seq;

	unsigned tries = 0;

	for (;;) {
		seq = __atomic_load_n(&sh->seq, __ATOMIC_RELAXED);
		if (seq & 1) {
			if (++tries < (1u << 24))
				continue;
			return seq - 1;	/* the writer died: take over */
		}
		if (__atomic_compare_exchange_n(&sh->seq, &seq, seq + 1, 0,
						__ATOMIC_ACQUIRE,
						__ATOMIC_RELAXED))
			return seq;
	}
}

static void vtime_write_end(struct vtime_shared *sh, uint32_t seq)
{
	__atomic_store_n(&sh->seq, seq + 2, __ATOMIC_RELEASE);
}

/* clock_settime(CLOCK_REALTIME) in the view: virtual now becomes @virt */
void vtime_clock_set(struct vtime_state *s, int64_t virt)
{
	struct vtime_shared *sh = s->sh;
	uint32_t seq = vtime_write_begin(sh);

	__atomic_store_n(&sh->r0, vtime_real_now(VTIME_BASE_REAL),
			 __ATOMIC_RELAXED);
	__atomic_store_n(&sh->v0, virt, __ATOMIC_RELAXED);
	__atomic_store_n(&sh->steps, 0, __ATOMIC_RELAXED);	/* reads @virt */
	vtime_write_end(sh, seq);
}

/* adjtimex(ADJ_SETOFFSET) in the view: move the virtual clock by @delta */
void vtime_clock_shift(struct vtime_state *s, int64_t delta)
{
	struct vtime_shared *sh = s->sh;
	uint32_t seq = vtime_write_begin(sh);

	__atomic_store_n(&sh->v0, vtime_add(sh->v0, delta), __ATOMIC_RELAXED);
	vtime_write_end(sh, seq);
}

/* A real file timestamp as the view shows it */
int64_t vtime_file_to_virt(const struct vtime_state *s, int64_t real)
{
	int64_t v0, r0;

	vtime_base_get(s, &v0, &r0);
	if (real < r0)
		return vtime_add(v0, vtime_sub(real, r0));
	return vtime_add(v0, vtime_scale(real - r0,
					 s->rate > 0 ? s->rate : 1));
}

/* A file timestamp given in the view, as the real one to store */
int64_t vtime_file_to_real(const struct vtime_state *s, int64_t virt)
{
	int64_t v0, r0;

	vtime_base_get(s, &v0, &r0);
	if (virt < v0)
		return vtime_add(r0, vtime_sub(virt, v0));
	return vtime_add(r0, vtime_dur_to_real(s, VTIME_BASE_REAL,
					       vtime_sub(virt, v0)));
}

/**
 * vtime_clock_start() - Set the rates, and the shared bases in the view's
 *			 first process
 * @s:		Module state, options parsed, @s->sh set
 * @first:	facet_env_first()
 */
void vtime_clock_start(struct vtime_state *s, int first)
{
	struct vtime_shared *sh = s->sh;
	int b;

	vtime_real_gettime();	/* looked up now, not in a signal handler */
	s->step = s->spec.step;
	s->rate = s->spec.has_rate ? s->spec.rate :
		  s->spec.kind == VTIME_FROZEN || s->step ? 0 : 1;
	s->mrate = s->mono_real ? 1 : s->rate > 0 ? s->rate : 1;
	if (!first || __atomic_load_n(&sh->started, __ATOMIC_ACQUIRE))
		return;
	sh->r0 = vtime_real_now(VTIME_BASE_REAL);
	sh->v0 = s->spec.kind == VTIME_OFFSET ? vtime_add(sh->r0, s->spec.ns) :
		 s->spec.ns;
	for (b = VTIME_BASE_MONO; b < VTIME_BASES; b++)
		sh->m0[b] = vtime_real_now(b);
	__atomic_store_n(&sh->started, 1, __ATOMIC_RELEASE);
}
