// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vtime/vtime.h - Virtual clocks: shared declarations
 */
#ifndef FACET_VTIME_H
#define FACET_VTIME_H

#include <stdint.h>
#include <time.h>

#include <facet/module.h>

#ifndef CLOCK_TAI
#define CLOCK_TAI	11
#endif

#define VTIME_NS	1000000000LL
/* Seconds that fit in int64 ns (year 2255); beyond, values pass unchanged */
#define VTIME_SEC_MAX	9000000000LL

/* Can @sec seconds be converted? */
static inline int vtime_sec_ok(long long sec)
{
	return sec >= -VTIME_SEC_MAX && sec <= VTIME_SEC_MAX;
}

/**
 * enum vtime_kind - What a --time SPEC says
 * @VTIME_OFFSET:	Real time plus an offset ('+3d', '-2h', 'x10')
 * @VTIME_FROZEN:	A fixed instant ('2000-01-01 12:00:00')
 * @VTIME_START_AT:	Starts at an instant and runs ('@2000-01-01 ...')
 */
enum vtime_kind {
	VTIME_OFFSET,
	VTIME_FROZEN,
	VTIME_START_AT,
};

/**
 * struct vtime_spec - A parsed --time SPEC and --time-rate
 * @kind:	enum vtime_kind
 * @ns:		Offset (VTIME_OFFSET) or instant since the epoch, in ns
 * @rate:	Clock speed factor, 1 unless given
 * @has_rate:	A rate was given (in the SPEC or as --time-rate)
 * @step:	libfaketime's 'iSTEP': the realtime clock stands still and
 *		moves by this many ns at each read; 0 if not given
 */
struct vtime_spec {
	enum vtime_kind kind;
	int64_t ns;
	double rate;
	int has_rate;
	int64_t step;
};

int vtime_spec_parse(struct vtime_spec *spec, const char *s,
		     struct facet_err *err);
int vtime_rate_parse(double *rate, const char *s, struct facet_err *err);

/**
 * enum vtime_base - The real clocks virtual clocks are derived from
 */
enum vtime_base {
	VTIME_BASE_REAL,	/* REALTIME, its COARSE/ALARM variants, TAI */
	VTIME_BASE_MONO,	/* MONOTONIC, MONOTONIC_COARSE */
	VTIME_BASE_RAW,		/* MONOTONIC_RAW */
	VTIME_BASE_BOOT,	/* BOOTTIME, BOOTTIME_ALARM */
	VTIME_BASE_NONE,	/* CPU-time clocks and unknown ids: untouched */
	VTIME_BASES = VTIME_BASE_NONE,
};

/**
 * struct vtime_shared - State shared by every process of the view
 * @seq:	Sequence lock: odd while a writer changes @v0/@r0
 * @started:	The bases have been set
 * @v0:		Virtual realtime at @r0, ns
 * @r0:		Real realtime when @v0 was set, ns
 * @m0:		Real value of each monotonic base at the start, ns
 * @steps:	Realtime reads so far, with a step (vtime_state.step)
 *
 * Virtual realtime is v0 + (real - r0) * rate; clock_settime() inside the
 * view moves @v0 and @r0.  Monotonic clocks are m0 + (real - m0) * mrate.
 * With a step, the nth realtime read of the view shows v0 + n * step.
 */
struct vtime_shared {
	uint32_t seq;
	uint32_t started;
	int64_t v0, r0;
	int64_t m0[VTIME_BASES];
	uint64_t steps;
};

/**
 * struct vtime_state - The module's private state
 * @spec:	--time and --time-rate
 * @mono_real:	--time-monotonic=real
 * @files_real:	--time-files=real
 * @rate:	Speed of the virtual realtime clock (0: frozen, or stepping)
 * @mrate:	Speed of the virtual monotonic clocks
 * @step:	Step of the realtime clock at each read, ns (0: none)
 * @sh:		Shared state
 */
struct vtime_state {
	struct vtime_spec spec;
	int mono_real, files_real;
	double rate, mrate;
	int64_t step;
	struct vtime_shared *sh;
};

/* vtime_clock.c: conversions between real and virtual time */
int64_t vtime_real_now(enum vtime_base base);
int64_t vtime_to_virt(const struct vtime_state *s, enum vtime_base base,
		      int64_t real);
int vtime_virt_read(const struct vtime_state *s, long clk, int64_t *ns);
int64_t vtime_virt_now(const struct vtime_state *s, long clk);
int64_t vtime_abs_to_real(const struct vtime_state *s, enum vtime_base base,
			  int64_t virt);
int64_t vtime_abs_clock_to_real(const struct vtime_state *s, long clk,
				int64_t virt);
double vtime_factor(const struct vtime_state *s, enum vtime_base base);
int64_t vtime_dur_to_real(const struct vtime_state *s, enum vtime_base base,
			  int64_t virt);
int64_t vtime_dur_to_virt(const struct vtime_state *s, enum vtime_base base,
			  int64_t real);
void vtime_clock_set(struct vtime_state *s, int64_t virt);
void vtime_clock_shift(struct vtime_state *s, int64_t delta);
int64_t vtime_file_to_virt(const struct vtime_state *s, int64_t real);
int64_t vtime_file_to_real(const struct vtime_state *s, int64_t virt);
void vtime_clock_start(struct vtime_state *s, int first);
int vtime_read_fast(void *self, clockid_t clk, struct timespec *ts);

/**
 * vtime_clock_base() - Which real clock a clock id is derived from
 * @clk:	clockid_t as the caller passed it
 *
 * Return: enum vtime_base; VTIME_BASE_NONE for CPU clocks and unknown ids
 */
static inline enum vtime_base vtime_clock_base(long clk)
{
	switch (clk) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
	case CLOCK_REALTIME_ALARM:
	case CLOCK_TAI:
		return VTIME_BASE_REAL;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_COARSE:
		return VTIME_BASE_MONO;
	case CLOCK_MONOTONIC_RAW:
		return VTIME_BASE_RAW;
	case CLOCK_BOOTTIME:
	case CLOCK_BOOTTIME_ALARM:
		return VTIME_BASE_BOOT;
	}
	return VTIME_BASE_NONE;
}

/* Does the view see a different value than the host on @base? */
static inline int vtime_faked(const struct vtime_state *s,
			      enum vtime_base base)
{
	if (base == VTIME_BASE_REAL)
		return 1;
	if (base == VTIME_BASE_NONE)
		return 0;
	return !s->mono_real && s->mrate != 1;
}

/* Helpers for timespec and timeval, in ns */
static inline int64_t vtime_ts_ns(const struct timespec *ts)
{
	return (int64_t)ts->tv_sec * VTIME_NS + ts->tv_nsec;
}

static inline struct timespec vtime_ns_ts(int64_t ns)
{
	struct timespec ts;

	ts.tv_sec = ns / VTIME_NS;
	ts.tv_nsec = ns % VTIME_NS;
	if (ts.tv_nsec < 0) {
		ts.tv_nsec += VTIME_NS;
		ts.tv_sec--;
	}
	return ts;
}

/* vtime_read.c: reading and setting clocks */
enum facet_verdict vtime_read_enter(struct vtime_state *s,
				    struct facet_call *call);
void vtime_times_exit(struct vtime_state *s, struct facet_call *call);

/* vtime_sleep.c: sleeps and timeouts */
enum facet_verdict vtime_sleep_enter(struct vtime_state *s,
				     struct facet_call *call);
void vtime_sleep_exit(struct vtime_state *s, struct facet_call *call);
/* vtime_timer.c: timers */
enum facet_verdict vtime_timer_enter(struct vtime_state *s,
				     struct facet_call *call);
void vtime_timer_exit(struct vtime_state *s, struct facet_call *call);
/* vtime_proc.c: /proc/uptime and start times */
enum facet_verdict vtime_proc_enter(struct vtime_state *s,
				    struct facet_call *call);
/* vtime_sockopt.c: SO_RCVTIMEO and SO_SNDTIMEO */
#define VTIME_SOCKOPT_BITS	(16 | 64)	/* one is in each of 20 21 66 67 */
enum facet_verdict vtime_sockopt_enter(struct vtime_state *s,
				       struct facet_call *call);
void vtime_sockopt_exit(struct vtime_state *s, struct facet_call *call);
/* vtime_stat.c: file timestamps */
enum facet_verdict vtime_stat_enter(struct vtime_state *s,
				    struct facet_call *call);
void vtime_stat_exit(struct vtime_state *s, struct facet_call *call);

#endif /* FACET_VTIME_H */
