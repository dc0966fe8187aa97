// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vtime/vtime_timer.c - Timers at the virtual rate
 *
 * DOC: Timers
 *
 * timerfd and POSIX timers run on a clock chosen at creation; the module
 * finds it in /proc/PID/fdinfo/FD ("clockid:") or /proc/PID/timers
 * ("ClockID:"), which mean the same under every backend, but only when the
 * answer matters (an absolute expiry, or realtime and monotonic running at
 * different rates).  Expiry and interval are divided by the clock's rate
 * (an absolute expiry is converted like a deadline); values the kernel
 * reports (the old value, *_gettime, getitimer, alarm's result) are
 * multiplied back at exit.  alarm and setitimer(ITIMER_REAL) run on the
 * monotonic rate; CPU-time timers are left alone.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "vtime.h"

static struct timeval vtime_back_tv(const struct vtime_state *s,
				    struct timeval tv);

/**
 * struct vtime_tback - What exit() scales back, in facet_scratch()
 * @addr:	Caller's struct (itimerspec, or itimerval with @tv)
 * @tv:		An itimerval
 * @base:	Clock of the timer
 * @alarm:	An alarm() made setitimer()
 */
struct vtime_tback {
	long addr;
	int tv;
	int base;
	int alarm;
};

/*
 * The clock id in /proc/PID/@file after "@key", in the block of timer @id
 * (a line "ID: @id"), or anywhere for a NULL @id.  read(2) rather than
 * stdio: under preload this runs inside the caller.
 */
static long vtime_proc_clock(pid_t pid, const char *file, const char *id,
			     const char *key)
{
	char path[64], buf[4096], *p, *line;
	int fd, in = !id;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, file);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return CLOCK_MONOTONIC;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	for (line = buf; line && *line; line = p ? p + 1 : NULL) {
		p = strchr(line, '\n');
		if (id && !strncmp(line, "ID: ", 4))
			in = !strncmp(line + 4, id, strlen(id));
		if (in && !strncmp(line, key, strlen(key)))
			return strtol(line + strlen(key), NULL, 10);
	}
	return CLOCK_MONOTONIC;
}

/* Clock base of timerfd or POSIX timer @call's first argument */
static enum vtime_base vtime_timer_base(struct facet_call *call, int fd)
{
	char file[64], id[32];

	if (fd) {
		snprintf(file, sizeof(file), "fdinfo/%d",
			 (int)facet_arg(call, 0));
		return vtime_clock_base(vtime_proc_clock(facet_pid(call), file,
							 NULL, "clockid:"));
	}
	snprintf(id, sizeof(id), "%d\n", (int)facet_arg(call, 0));
	return vtime_clock_base(vtime_proc_clock(facet_pid(call), "timers",
						 id, "ClockID:"));
}

/* Do realtime and monotonic durations scale the same way? */
static int vtime_one_rate(const struct vtime_state *s)
{
	return vtime_factor(s, VTIME_BASE_REAL) ==
	       vtime_factor(s, VTIME_BASE_MONO);
}

/* A relative duration to real, keeping nonzero values nonzero */
static struct timespec vtime_rel_ts(const struct vtime_state *s,
				    enum vtime_base base, struct timespec ts)
{
	int64_t ns = vtime_ts_ns(&ts);

	if (!ns)
		return ts;
	ns = vtime_dur_to_real(s, base, ns);
	return vtime_ns_ts(ns ? ns : 1);
}

static int vtime_its_valid(const struct itimerspec *it)
{
	return vtime_sec_ok(it->it_value.tv_sec) &&
	       vtime_sec_ok(it->it_interval.tv_sec) &&
	       it->it_value.tv_sec >= 0 && it->it_value.tv_nsec >= 0 &&
	       it->it_value.tv_nsec < VTIME_NS &&
	       it->it_interval.tv_sec >= 0 && it->it_interval.tv_nsec >= 0 &&
	       it->it_interval.tv_nsec < VTIME_NS;
}

/* timerfd_settime/timer_settime(id, flags, new, old) */
static enum facet_verdict vtime_settime(struct vtime_state *s,
					struct facet_call *call, int fd)
{
	struct vtime_tback *b = facet_scratch(call);
	int abs = facet_arg(call, 1) & TIMER_ABSTIME;
	enum vtime_base base = VTIME_BASE_MONO;
	struct itimerspec it;
	int ret;

	if (facet_peek(call, &it, facet_arg(call, 2), sizeof(it)) !=
	    sizeof(it) || !vtime_its_valid(&it))
		return FACET_CONTINUE; /* the kernel's EFAULT or EINVAL */
	if (abs || !vtime_one_rate(s))
		base = vtime_timer_base(call, fd);
	if (!fd && base == VTIME_BASE_NONE)
		return FACET_CONTINUE;
	if (abs && vtime_ts_ns(&it.it_value) && vtime_faked(s, base))
		it.it_value = vtime_ns_ts(vtime_abs_to_real(s, base,
					  vtime_ts_ns(&it.it_value)));
	else if (!abs)
		it.it_value = vtime_rel_ts(s, base, it.it_value);
	it.it_interval = vtime_rel_ts(s, base, it.it_interval);
	if (vtime_factor(s, base) != 1 || abs) {
		ret = facet_set_arg_buf(call, 2, &it, sizeof(it));
		if (ret < 0) {
			facet_return(call, ret);
			return FACET_DONE;
		}
	}
	if (!facet_arg(call, 3) || vtime_factor(s, base) == 1)
		return FACET_CONTINUE;
	b->addr = facet_arg(call, 3);
	b->base = base;
	return FACET_CONTINUE_EXIT;
}

/* timerfd_gettime/timer_gettime(id, cur) */
static enum facet_verdict vtime_gettime(struct vtime_state *s,
					struct facet_call *call, int fd)
{
	struct vtime_tback *b = facet_scratch(call);
	enum vtime_base base = VTIME_BASE_MONO;

	if (!vtime_one_rate(s))
		base = vtime_timer_base(call, fd);
	if (vtime_factor(s, base) == 1)
		return FACET_CONTINUE;
	b->addr = facet_arg(call, 1);
	b->base = base;
	return FACET_CONTINUE_EXIT;
}

static struct timeval vtime_rel_tv(const struct vtime_state *s,
				   struct timeval tv)
{
	struct timespec ts = { tv.tv_sec, tv.tv_usec * 1000 };

	ts = vtime_rel_ts(s, VTIME_BASE_MONO, ts);
	tv.tv_sec = ts.tv_sec;
	tv.tv_usec = (ts.tv_nsec + 999) / 1000;
	if (tv.tv_usec == 1000000) {
		tv.tv_sec++;
		tv.tv_usec = 0;
	}
	return tv;
}

/*
 * alarm(seconds) has whole seconds only, too coarse for a scaled timer:
 * it becomes setitimer(ITIMER_REAL), and exit() turns the old value into
 * alarm's result, rounded as the kernel's alarm_setitimer() does.
 */
static enum facet_verdict vtime_alarm(struct vtime_state *s,
				      struct facet_call *call)
{
	struct vtime_tback *b = facet_scratch(call);
	struct itimerval it[2] = { { { 0, 0 }, { 0, 0 } } };
	unsigned secs = (unsigned)facet_arg(call, 0);
	int ret;

	if (vtime_factor(s, VTIME_BASE_MONO) == 1)
		return FACET_CONTINUE;
	it[0].it_value.tv_sec = secs;
	it[0].it_value = vtime_rel_tv(s, it[0].it_value);
	ret = facet_set_arg_buf(call, 2, &it[1], sizeof(it[1]));
	if (!ret)
		ret = facet_set_arg_buf(call, 1, &it[0], sizeof(it[0]));
	if (ret < 0) {
		facet_return(call, ret);
		return FACET_DONE;
	}
	b->addr = facet_arg(call, 2);
	b->tv = 1;
	b->alarm = 1;
	facet_set_arg(call, 0, ITIMER_REAL);
	facet_set_arg(call, -1, SYS_setitimer);
	return FACET_CONTINUE_EXIT;
}

/* exit() of an alarm() made setitimer(): the old value in seconds */
static void vtime_alarm_exit(struct vtime_state *s, struct facet_call *call)
{
	struct vtime_tback *b = facet_scratch(call);
	struct itimerval old;

	if (facet_result(call) < 0 ||
	    facet_peek(call, &old, b->addr, sizeof(old)) != sizeof(old))
		return;
	old.it_value = vtime_back_tv(s, old.it_value);
	facet_set_result(call, old.it_value.tv_sec +
			 ((!old.it_value.tv_sec && old.it_value.tv_usec) ||
			  old.it_value.tv_usec >= 500000));
}

/* setitimer(which, new, old) and getitimer(which, cur): ITIMER_REAL only */
static enum facet_verdict vtime_itimer(struct vtime_state *s,
				       struct facet_call *call, int set)
{
	struct vtime_tback *b = facet_scratch(call);
	struct itimerval it;
	int ret;

	if (facet_arg(call, 0) != ITIMER_REAL ||
	    vtime_factor(s, VTIME_BASE_MONO) == 1)
		return FACET_CONTINUE;
	if (set && facet_arg(call, 1) &&
	    facet_peek(call, &it, facet_arg(call, 1), sizeof(it)) ==
	    sizeof(it) && vtime_sec_ok(it.it_value.tv_sec) &&
	    vtime_sec_ok(it.it_interval.tv_sec) && it.it_value.tv_usec >= 0 &&
	    it.it_value.tv_usec < 1000000 && it.it_interval.tv_usec >= 0 &&
	    it.it_interval.tv_usec < 1000000) {
		it.it_value = vtime_rel_tv(s, it.it_value);
		it.it_interval = vtime_rel_tv(s, it.it_interval);
		ret = facet_set_arg_buf(call, 1, &it, sizeof(it));
		if (ret < 0) {
			facet_return(call, ret);
			return FACET_DONE;
		}
	}
	b->addr = facet_arg(call, set ? 2 : 1);
	b->tv = 1;
	b->base = VTIME_BASE_MONO;
	return b->addr ? FACET_CONTINUE_EXIT : FACET_CONTINUE;
}

/**
 * vtime_timer_enter() - Scale timer settings
 * @s:		Module state
 * @call:	The call
 *
 * Return: the verdict
 */
enum facet_verdict vtime_timer_enter(struct vtime_state *s,
				     struct facet_call *call)
{
	switch (facet_nr(call)) {
	case SYS_timerfd_settime:
		return vtime_settime(s, call, 1);
	case SYS_timer_settime:
		return vtime_settime(s, call, 0);
	case SYS_timerfd_gettime:
		return vtime_gettime(s, call, 1);
	case SYS_timer_gettime:
		return vtime_gettime(s, call, 0);
	case SYS_alarm:
		return vtime_alarm(s, call);
	case SYS_setitimer:
		return vtime_itimer(s, call, 1);
	case SYS_getitimer:
		return vtime_itimer(s, call, 0);
	}
	return FACET_CONTINUE;
}

static struct timespec vtime_back_ts(const struct vtime_state *s,
				     enum vtime_base base, struct timespec ts)
{
	return vtime_ns_ts(vtime_dur_to_virt(s, base, vtime_ts_ns(&ts)));
}

static struct timeval vtime_back_tv(const struct vtime_state *s,
				    struct timeval tv)
{
	struct timespec ts = { tv.tv_sec, tv.tv_usec * 1000 };

	ts = vtime_back_ts(s, VTIME_BASE_MONO, ts);
	tv.tv_sec = ts.tv_sec;
	tv.tv_usec = ts.tv_nsec / 1000;
	return tv;
}

/**
 * vtime_timer_exit() - Scale what the kernel reported back to virtual time
 * @s:		Module state
 * @call:	The call
 */
void vtime_timer_exit(struct vtime_state *s, struct facet_call *call)
{
	struct vtime_tback *b = facet_scratch(call);
	struct itimerspec its;
	struct itimerval itv;
	long res = facet_result(call);

	if (b->alarm) {
		vtime_alarm_exit(s, call);
		return;
	}
	if (res < 0 || !b->addr)
		return;
	if (b->tv) {
		if (facet_peek(call, &itv, b->addr, sizeof(itv)) != sizeof(itv))
			return;
		itv.it_value = vtime_back_tv(s, itv.it_value);
		itv.it_interval = vtime_back_tv(s, itv.it_interval);
		facet_poke(call, b->addr, &itv, sizeof(itv));
		return;
	}
	if (facet_peek(call, &its, b->addr, sizeof(its)) != sizeof(its))
		return;
	its.it_value = vtime_back_ts(s, b->base, its.it_value);
	its.it_interval = vtime_back_ts(s, b->base, its.it_interval);
	facet_poke(call, b->addr, &its, sizeof(its));
}
