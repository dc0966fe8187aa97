// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vtime/vtime_spec.c - Parse --time SPEC and --time-rate (faketime)
 *
 * DOC: Accepted forms, as libfaketime's FAKETIME has them
 *
 *   'YYYY-MM-DD HH:MM:SS'	that instant, frozen (local time)
 *   '@YYYY-MM-DD HH:MM:SS'	starts at that instant and runs
 *   ISO 8601 'YYYY-MM-DDTHH:MM[:SS]' with an optional 'Z' (UTC) or
 *   '+HH[:MM]'/'-HH[:MM]' zone, frozen or with '@' as above
 *   '+3d', '-2h', '+1.5y'	real time plus an offset; units s m h d y
 *				(y = 365 days), seconds without a unit
 *   'x10', 'x0.5'		a rate alone
 *   'i2.0'			a step alone: the clock moves 2 s at each read
 * Any form may end in ' xRATE' or ' iSTEP'.  The date may omit ':SS' or
 * the time; month, day, hour, minute and second may have one digit.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vtime.h"

/* Farthest instant from 1970 kept, in seconds (1684-10-19 08:00 to
 * 2255-03-14 16:00 UTC): int64 ns hold ±292 years, the rest is headroom
 * for a running clock */
#define VTIME_MAX_SEC	(9.0e18 / VTIME_NS)

/*
 * A rate or step number after an optional @letter ('x10', 'i2.0'): 0 and
 * the number in @v, -EINVAL if it is not one between 0 and 1000000.  A ','
 * is taken as the decimal point too, as libfaketime's locales write it.
 */
static int vtime_factor_parse(double *v, const char *s, char letter)
{
	char buf[64], *end, *c;
	const char *p = s;

	if (*p == letter || *p == letter - 'a' + 'A')
		p++;
	if (strlen(p) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, p);
	c = strchr(buf, ',');
	if (c)
		*c = '.';
	errno = 0;
	*v = strtod(buf, &end);
	if (end == buf || *end || errno || !__builtin_isfinite(*v) ||
	    *v < 0 || *v > 1e6 || (*buf != '.' && (*buf < '0' || *buf > '9')))
		return -EINVAL;
	return 0;
}

/**
 * vtime_rate_parse() - Parse a rate: '10', 'x10', '0.5', 'x0' (frozen)
 * @rate:	Result
 * @s:		Text
 * @err:	Message on failure
 *
 * Return: 0 or -EINVAL
 */
int vtime_rate_parse(double *rate, const char *s, struct facet_err *err)
{
	if (vtime_factor_parse(rate, s, 'x') < 0)
		return facet_err_set(err, EINVAL, "time rate '%s' is not a "
				     "number between 0 and 1000000: use e.g. "
				     "'x10' or '0.5'", s);
	return 0;
}

/* 'i2.0': seconds the clock moves at each read, as ns (more than 0) */
static int vtime_step_parse(int64_t *step, const char *s)
{
	double v;

	if (vtime_factor_parse(&v, s, 'i') < 0)
		return -EINVAL;
	*step = (int64_t)(v * VTIME_NS + 0.5);
	return *step > 0 ? 0 : -EINVAL;
}

/* Seconds per unit letter, 0 if not a unit */
static double vtime_unit(char c)
{
	switch (c) {
	case 's':
		return 1;
	case 'm':
		return 60;
	case 'h':
		return 3600;
	case 'd':
		return 86400;
	case 'y':
		return 365 * 86400.0;
	}
	return 0;
}

/* '+3d': offset in ns; @end after it */
static int vtime_offset_parse(const char *s, int64_t *ns, const char **end)
{
	double v, unit = 1;
	char *e;

	if (*s != '+' && *s != '-')
		return -EINVAL;
	if (!((s[1] >= '0' && s[1] <= '9') || s[1] == '.'))
		return -EINVAL;
	errno = 0;
	v = strtod(s, &e);
	if (e == s || errno || !__builtin_isfinite(v))
		return -EINVAL;
	if (*e && vtime_unit(*e)) {
		unit = vtime_unit(*e);
		e++;
	}
	v *= unit;
	/* where the clock starts must be in range, not only the offset */
	if (__builtin_fabs(v) > VTIME_MAX_SEC ||
	    __builtin_fabs(v + (double)time(NULL)) > VTIME_MAX_SEC)
		return -ERANGE;
	v *= VTIME_NS;
	*ns = (int64_t)(v < 0 ? v - 0.5 : v + 0.5);
	*end = e;
	return 0;
}

/*
 * An ISO 8601 zone after the time at *@e: 'Z', '+HH', '+HHMM' or '+HH:MM'
 * (or '-').  Return: 1 and its offset east of UTC in @sec (*@e moved past
 * it), 0 if there is none
 */
static int vtime_zone_parse(const char **e, long *sec)
{
	const char *p = *e;
	int sign, hh, mm = 0;

	if (*p == 'Z') {
		*sec = 0;
		*e = p + 1;
		return 1;
	}
	if ((*p != '+' && *p != '-') || !(p[1] >= '0' && p[1] <= '9') ||
	    !(p[2] >= '0' && p[2] <= '9'))
		return 0;
	sign = *p == '-' ? -1 : 1;
	hh = (p[1] - '0') * 10 + (p[2] - '0');
	p += 3;
	if (*p == ':')
		p++;
	if (p[0] >= '0' && p[0] <= '9' && p[1] >= '0' && p[1] <= '9') {
		mm = (p[0] - '0') * 10 + (p[1] - '0');
		p += 2;
	}
	if (hh > 23 || mm > 59)
		return 0;
	*sec = sign * (hh * 3600L + mm * 60L);
	*e = p;
	return 1;
}

/*
 * 'YYYY-MM-DD[ HH:MM[:SS]]' (local time) or ISO 8601's 'YYYY-MM-DDTHH:MM
 * [:SS][ZONE]': seconds since the epoch
 */
static int vtime_date_parse(const char *s, int64_t *ns, const char **end)
{
	static const char *const fmts[] = {
		"%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S",
		"%Y-%m-%dT%H:%M", "%Y-%m-%d",
	};
	unsigned i;

	/* a four-digit year; the other fields may have one digit
	 * ('2038-1-9 3:4:5'), as libfaketime's strptime() takes them */
	if (strlen(s) < 8 || s[4] != '-' || s[5] < '0' || s[5] > '9')
		return -EINVAL;
	for (i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
		struct tm tm = { .tm_isdst = -1 }, given;
		const char *e = strptime(s, fmts[i], &tm);
		long zone = 0;
		int utc;
		time_t t;

		if (!e)
			continue;
		utc = vtime_zone_parse(&e, &zone);
		if (*e && *e != ' ')
			continue;
		tm.tm_isdst = -1;
		given = tm;
		t = utc ? timegm(&tm) - zone : mktime(&tm);
		if (t == (time_t)-1 && tm.tm_year != 69)
			return -ERANGE;
		/* no such day (2038-02-30) or second (23:59:60): the libc
		 * would roll it over */
		if (tm.tm_mday != given.tm_mday || tm.tm_mon != given.tm_mon ||
		    tm.tm_sec != given.tm_sec)
			return -EINVAL;
		if (__builtin_fabs((double)t) > VTIME_MAX_SEC)
			return -ERANGE;
		*ns = (int64_t)t * VTIME_NS;
		*end = e;
		return 0;
	}
	return -EINVAL;
}

/* The main part of a spec, before an optional rate */
static int vtime_spec_main(struct vtime_spec *spec, const char *s,
			   const char **end)
{
	if (*s == '@') {
		spec->kind = VTIME_START_AT;
		return vtime_date_parse(s + 1, &spec->ns, end);
	}
	if (*s == '+' || *s == '-') {
		spec->kind = VTIME_OFFSET;
		return vtime_offset_parse(s, &spec->ns, end);
	}
	if (*s == 'x' || *s == 'X' || *s == 'i' || *s == 'I') {
		spec->kind = VTIME_OFFSET;
		spec->ns = 0;
		*end = s;
		return 0;
	}
	spec->kind = VTIME_FROZEN;
	return vtime_date_parse(s, &spec->ns, end);
}

/**
 * vtime_spec_parse() - Parse a --time SPEC
 * @spec:	Result; @spec->rate is set only if the SPEC has one
 * @s:		Text
 * @err:	Message on failure
 *
 * Return: 0 or -EINVAL
 */
int vtime_spec_parse(struct vtime_spec *spec, const char *s,
		     struct facet_err *err)
{
	struct vtime_spec sp = { .rate = 1 };
	const char *p = s, *end;
	int ret;

	while (*p == ' ')
		p++;
	ret = vtime_spec_main(&sp, p, &end);
	if (ret == -ERANGE)
		return facet_err_set(err, EINVAL, "time '%s' is out of range: "
				     "use a date between 1684-10-20 and "
				     "2255-03-13, or an offset of less than "
				     "285 years that stays between them", s);
	if (ret < 0)
		goto bad;
	while (*end == ' ')
		end++;
	if (*end == 'x' || *end == 'X') {
		if (vtime_rate_parse(&sp.rate, end, NULL) < 0)
			return facet_err_set(err, EINVAL, "time '%s': rate "
					     "'%s' is not a number between 0 "
					     "and 1000000: use e.g. 'x10'",
					     s, end);
		sp.has_rate = 1;
	} else if (*end == 'i' || *end == 'I') {
		if (vtime_step_parse(&sp.step, end) < 0)
			return facet_err_set(err, EINVAL, "time '%s': step "
					     "'%s' is not a number of seconds "
					     "between 0 and 1000000 (not 0): "
					     "use e.g. 'i2.0'", s, end);
	} else if (*end) {
		goto bad;
	}
	*spec = sp;
	return 0;
bad:
	return facet_err_set(err, EINVAL, "time '%s' not understood: use "
			     "'YYYY-MM-DD HH:MM:SS' or ISO 8601 "
			     "'YYYY-MM-DDTHH:MM:SSZ' (frozen), '@YYYY-MM-DD "
			     "HH:MM:SS' (runs), '+3d'/'-2h'/'+1.5y' (offset, "
			     "units s m h d y), 'x10' (rate) or 'i2.0' (a step "
			     "at each read)", s);
}
