// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vtrace/vtrace_date.c - The date comment strace puts after a time
 *
 * The date comments are in local time, as strace's, with facet's offset
 * from UTC (the preload image's copy of it: localtime_r() takes libc's
 * lock, which the traced program may hold), computed here without libc.
 * Pure apart from that offset: unit-tested with the struct decoders that
 * use it (vtrace_put_stat()).
 */
#include <time.h>

#include "vtrace.h"

/* The local time's offset from UTC at @sec, in seconds */
static long vtrace_gmtoff(const struct vtrace *v, time_t sec)
{
	struct tm tm;

	if (v->role == VTRACE_IMAGE)
		return v->gmtoff;
	return localtime_r(&sec, &tm) ? tm.tm_gmtoff : 0;
}

/* Days since 1970-01-01 to a civil date (the proleptic Gregorian one) */
static void vtrace_civil(long long days, long long *y, int *m, int *d)
{
	long long era, doe, yoe, doy, mp;

	days += 719468;
	era = (days >= 0 ? days : days - 146096) / 146097;
	doe = days - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

/**
 * vtrace_put_date() - The date comment after a time,
 *			2023-11-14T22:13:20.000000005+0000 between comment
 *			marks, in facet's time zone as strace's
 * @v:		Module state
 * @b:		Buffer
 * @sec:	Seconds since the epoch
 * @frac:	The fraction, left out when 0
 * @digits:	Its digits: 9 for nanoseconds, 6 for microseconds
 */
void vtrace_put_date(const struct vtrace *v, struct vtrace_buf *b,
		     long long sec, long frac, int digits)
{
	long off = vtrace_gmtoff(v, (time_t)sec);
	long long t = sec + off, days = t / 86400, y;
	long rest = (long)(t % 86400), aoff = off < 0 ? -off : off;
	int m, d;

	if (rest < 0) {
		rest += 86400;
		days--;
	}
	vtrace_civil(days, &y, &m, &d);
	vtrace_buf_printf(b, " /* %lld-%02d-%02dT%02ld:%02ld:%02ld", y, m, d,
			  rest / 3600, rest / 60 % 60, rest % 60);
	if (frac)
		vtrace_buf_printf(b, ".%0*ld", digits, frac);
	vtrace_buf_printf(b, "%c%02ld%02ld */", off < 0 ? '-' : '+',
			  aoff / 3600, aoff / 60 % 60);
}

