// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * preload/shim_clock.c - clock_gettime(), gettimeofday(), time(): the
 *			  fast path
 *
 * DOC: Clock reads
 *
 * Programs read the clock often (a logger per line, a loop per timeout),
 * and natively a read costs a vDSO call, about 20-40 ns.  Running the
 * chain for each (a call record, the shim's lock, the module's dispatch)
 * costs several times that.  A module that virtualizes clocks therefore
 * offers a reader (facet_env_clock()): a plain function that reads the
 * real clock through libc's vDSO and applies the view's parameters from
 * shared memory.  When that module is the only one that wants a clock
 * syscall, the wrapper calls the reader and nothing else: no call record,
 * no lock, no syscall, no allocation, errno untouched.  Otherwise (a
 * tracer in the chain too, say), the call goes through the chain as every
 * other wrapper's does.  Raw clock syscalls still reach the chain through
 * the SIGSYS path.
 */
#include <elf.h>
#include <sys/auxv.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/timeb.h>
#include <time.h>

#include "shim_wrap.h"

/**
 * struct shim_clock - The fast path, set up once per image
 * @read:		The module's reader
 * @gettime:		Its state, if it may answer clock_gettime (else NULL)
 * @gettimeofday:	...gettimeofday
 * @time:		...time
 * @hide_vdso:		A module wants every clock read (facet_env_hide_vdso())
 * @vdso:		The kernel gave this image a vDSO
 */
static struct shim_clock {
	facet_clock_fn read;
	void *gettime;
	void *gettimeofday;
	void *time;
	int hide_vdso;
	int vdso;
} shim_clock SHIM_DATA;

/**
 * shim_clock_setup() - Use the reader a module offered, where it may
 * @env:	The environment the chain was started with
 */
SHIM_COLD void shim_clock_setup(const struct facet_env *env)
{
	shim_clock.read = env->clock_read;
	shim_clock.gettime = facet_chain_clock(&shim.chain, env,
					       SYS_clock_gettime);
	shim_clock.gettimeofday = facet_chain_clock(&shim.chain, env,
						    SYS_gettimeofday);
	shim_clock.time = facet_chain_clock(&shim.chain, env, SYS_time);
	shim_clock.hide_vdso = env->hide_vdso;
	shim_clock.vdso = getauxval(AT_SYSINFO_EHDR) != 0;
}

/*
 * Is a clock read none of the chain's business, with no reader to take?
 * Natively libc answers it from the vDSO, without a syscall: the ptracer
 * sees nothing, and strace shows nothing, unless a module hides the vDSO
 * (vtime).  So then libc's function reads it here too; a read the vDSO
 * hands to the kernel makes its syscall from the vDSO's text, outside
 * libc's, which the raw catch brings to the chain as it would reach the
 * ptracer.  Without a vDSO libc makes the syscall itself: the chain's.
 */
static inline __attribute__((always_inline)) int shim_clock_native(void)
{
	return !shim_clock.hide_vdso && shim_clock.vdso;
}

/**
 * shim_clock_hide_vdso() - Hide the vDSO from code that finds it itself
 * @envp:	The environment the image started with (on its first stack)
 *
 * Go's runtime, and anything else that reads the clock without libc,
 * looks the vDSO up in the auxiliary vector that follows envp on the
 * initial stack and calls it: no syscall, nothing to catch.  Where a
 * module wants every clock read, its entry becomes AT_IGNORE, as the
 * ptracer removes it at each exec; such code then makes the syscall,
 * which the raw catch brings to the chain.  libc took its own vDSO
 * pointers before, and its clock functions are interposed.  The vector
 * is changed only where its entry is the one getauxval() reports.
 */
static unsigned long shim_clock_vdso_hidden;

SHIM_COLD void shim_clock_hide_vdso(char **envp)
{
	/* a second vector (main()'s, shim_exec.c): getauxval() says 0 now */
	unsigned long vdso = shim_clock_vdso_hidden ? shim_clock_vdso_hidden :
				getauxval(AT_SYSINFO_EHDR);
	Elf64_auxv_t *av;

	if (!shim_clock.hide_vdso || !envp || !vdso)
		return;
	shim_clock_vdso_hidden = vdso;
	while (*envp)
		envp++;
	for (av = (Elf64_auxv_t *)(envp + 1); av->a_type != AT_NULL; av++)
		if (av->a_type == AT_SYSINFO_EHDR && av->a_un.a_val == vdso)
			av->a_type = AT_IGNORE;
}

/**
 * shim_clock_vdso() - Where the vDSO is, hidden or not
 *
 * Return: its address, or 0 if the kernel gave none
 */
SHIM_COLD unsigned long shim_clock_vdso(void)
{
	return shim_clock_vdso_hidden ? shim_clock_vdso_hidden :
					getauxval(AT_SYSINFO_EHDR);
}

/* The chain's way, for when the fast path may not be taken */
static long shim_clock_chain(long nr, long a0, long a1)
{
	long args[6] = { a0, a1 };

	return shim_ret(shim_dispatch(nr, args));
}

SHIM_HOT int clock_gettime(clockid_t clk, struct timespec *ts)
{
	void *self = shim_clock.gettime;

	if (shim_wants(SYS_clock_gettime)) {
		if (!self && !shim_clock_native())
			return (int)shim_clock_chain(SYS_clock_gettime, clk,
						     (long)ts);
		if (self && !shim_clock.read(self, clk, ts))
			return 0;
	}
	return SHIM_NEXT(int (*)(clockid_t, struct timespec *),
			 "clock_gettime")(clk, ts);
}

/* Declared anew: libc's declaration says tv is never NULL, but it may be */
int shim_gettimeofday(struct timeval *tv, void *tz) __asm__("gettimeofday");

SHIM_HOT int shim_gettimeofday(struct timeval *tv, void *tz)
{
	int (*next)(struct timeval *, void *) =
		SHIM_NEXT(int (*)(struct timeval *, void *), "gettimeofday");
	void *self = shim_clock.gettimeofday;
	struct timespec ts;

	if (!shim_wants(SYS_gettimeofday) || (!self && shim_clock_native()))
		return next(tv, tz);
	if (!self)
		return (int)shim_clock_chain(SYS_gettimeofday, (long)tv,
					     (long)tz);
	/* the time zone is the host's: libc's (vDSO) answer */
	if (tz && next(NULL, tz) < 0)
		return -1;
	if (tv) {
		if (shim_clock.read(self, CLOCK_REALTIME, &ts))
			return next(tv, NULL);
		tv->tv_sec = ts.tv_sec;
		tv->tv_usec = ts.tv_nsec / 1000;
	}
	return 0;
}

SHIM_HOT time_t time(time_t *tloc)
{
	void *self = shim_clock.time;
	struct timespec ts;

	if (shim_wants(SYS_time)) {
		if (!self && !shim_clock_native())
			return (time_t)shim_clock_chain(SYS_time, (long)tloc,
							0);
		if (self && !shim_clock.read(self, CLOCK_REALTIME, &ts)) {
			if (tloc)
				*tloc = ts.tv_sec;
			return ts.tv_sec;
		}
	}
	return SHIM_NEXT(time_t (*)(time_t *), "time")(tloc);
}

/*
 * C11's timespec_get() and the old ftime() read the clock inside libc
 * (the vDSO, no syscall to catch): answered with clock_gettime() above
 * when a module wants the clock.  ftime() gives no time zone, as glibc's.
 */
SHIM_HOT int timespec_get(struct timespec *ts, int base)
{
	if (base != TIME_UTC || !shim_wants(SYS_clock_gettime))
		return SHIM_NEXT(int (*)(struct timespec *, int),
				 "timespec_get")(ts, base);
	return clock_gettime(CLOCK_REALTIME, ts) ? 0 : base;
}

SHIM_HOT int timespec_getres(struct timespec *ts, int base)
{
	if (base != TIME_UTC || !shim_wants(SYS_clock_getres))
		return SHIM_NEXT(int (*)(struct timespec *, int),
				 "timespec_getres")(ts, base);
	return clock_getres(CLOCK_REALTIME, ts) ? 0 : base;
}

SHIM_HOT int ftime(struct timeb *tb)
{
	struct timespec ts;

	if (!shim_wants(SYS_clock_gettime))
		return SHIM_NEXT(int (*)(struct timeb *), "ftime")(tb);
	if (clock_gettime(CLOCK_REALTIME, &ts))
		return -1;
	tb->time = ts.tv_sec;
	tb->millitm = (unsigned short)(ts.tv_nsec / 1000000);
	tb->timezone = 0;
	tb->dstflag = 0;
	return 0;
}

/* glibc also exports these names of the same functions */
SHIM_HOT int __clock_gettime(clockid_t clk, struct timespec *ts)
{
	return clock_gettime(clk, ts);
}

SHIM_HOT int __gettimeofday(struct timeval *tv, void *tz)
{
	return shim_gettimeofday(tv, tz);
}
