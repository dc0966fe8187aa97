// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vtrace/vtrace_timestruct.c - Time structs as strace shows them:
 *					 utimensat's and utimes' pairs with
 *					 the date they mean, itimerspec,
 *					 rusage, sigevent
 *
 * The date comments are vtrace_put_date()'s (vtrace_date.c).
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>

#include "vtrace.h"

/**
 * vtrace_put_timespec_pair() - utimensat's times: each with its date, or
 *				 UTIME_NOW, UTIME_OMIT
 * @v:		Module state
 * @b:		Buffer
 * @ts:		The two times
 */
void vtrace_put_timespec_pair(const struct vtrace *v, struct vtrace_buf *b,
			      const struct timespec *ts)
{
	int i;

	vtrace_buf_puts(b, "[");
	for (i = 0; i < 2; i++) {
		if (i)
			vtrace_buf_puts(b, ", ");
		if (ts[i].tv_nsec == UTIME_NOW) {
			vtrace_buf_puts(b, "UTIME_NOW");
		} else if (ts[i].tv_nsec == UTIME_OMIT) {
			vtrace_buf_puts(b, "UTIME_OMIT");
		} else {
			vtrace_buf_printf(b, "{tv_sec=%lld, tv_nsec=%ld}",
					  (long long)ts[i].tv_sec,
					  ts[i].tv_nsec);
			vtrace_put_date(v, b, ts[i].tv_sec, ts[i].tv_nsec, 9);
		}
	}
	vtrace_buf_puts(b, "]");
}

/**
 * vtrace_put_timeval_pair() - utimes' and futimesat's times, with dates
 * @v:		Module state
 * @b:		Buffer
 * @tv:		The two times
 */
void vtrace_put_timeval_pair(const struct vtrace *v, struct vtrace_buf *b,
			     const struct timeval *tv)
{
	int i;

	vtrace_buf_puts(b, "[");
	for (i = 0; i < 2; i++) {
		vtrace_buf_printf(b, "%s{tv_sec=%lld, tv_usec=%ld}",
				  i ? ", " : "", (long long)tv[i].tv_sec,
				  (long)tv[i].tv_usec);
		vtrace_put_date(v, b, tv[i].tv_sec, tv[i].tv_usec, 6);
	}
	vtrace_buf_puts(b, "]");
}

/**
 * vtrace_put_itimerspec() - "{it_interval={...}, it_value={...}}"
 * @b:		Buffer
 * @it:		The timer setting
 */
void vtrace_put_itimerspec(struct vtrace_buf *b, const struct itimerspec *it)
{
	vtrace_buf_printf(b, "{it_interval={tv_sec=%lld, tv_nsec=%ld}, "
			  "it_value={tv_sec=%lld, tv_nsec=%ld}}",
			  (long long)it->it_interval.tv_sec,
			  it->it_interval.tv_nsec,
			  (long long)it->it_value.tv_sec, it->it_value.tv_nsec);
}

/**
 * vtrace_put_rusage() - The CPU times of a rusage, the rest as "...", as
 *			 strace shows it without -v; every field in @full
 * @b:		Buffer
 * @ru:		The usage
 * @full:	Not abbreviated (-v)
 */
void vtrace_put_rusage(struct vtrace_buf *b, const struct rusage *ru,
		       int full)
{
	vtrace_buf_printf(b, "{ru_utime={tv_sec=%lld, tv_usec=%ld}, "
			  "ru_stime={tv_sec=%lld, tv_usec=%ld}, ",
			  (long long)ru->ru_utime.tv_sec,
			  (long)ru->ru_utime.tv_usec,
			  (long long)ru->ru_stime.tv_sec,
			  (long)ru->ru_stime.tv_usec);
	if (!full) {
		vtrace_buf_puts(b, "...}");
		return;
	}
	vtrace_buf_printf(b, "ru_maxrss=%ld, ru_ixrss=%ld, ru_idrss=%ld, "
			  "ru_isrss=%ld, ru_minflt=%ld, ru_majflt=%ld, "
			  "ru_nswap=%ld, ru_inblock=%ld, ru_oublock=%ld, "
			  "ru_msgsnd=%ld, ru_msgrcv=%ld, ru_nsignals=%ld, "
			  "ru_nvcsw=%ld, ru_nivcsw=%ld}", ru->ru_maxrss,
			  ru->ru_ixrss, ru->ru_idrss, ru->ru_isrss,
			  ru->ru_minflt, ru->ru_majflt, ru->ru_nswap,
			  ru->ru_inblock, ru->ru_oublock, ru->ru_msgsnd,
			  ru->ru_msgrcv, ru->ru_nsignals, ru->ru_nvcsw,
			  ru->ru_nivcsw);
}

/**
 * vtrace_put_sigevent() - timer_create's and mq_notify's struct sigevent:
 *			   the value when set, the signal (by name where it
 *			   is sent), how to notify and its target
 * @b:		Buffer
 * @se:		The sigevent
 */
void vtrace_put_sigevent(struct vtrace_buf *b, const struct sigevent *se)
{
	static const char *const how[] = { "SIGEV_SIGNAL", "SIGEV_NONE",
					   "SIGEV_THREAD", NULL,
					   "SIGEV_THREAD_ID" };
	int n = se->sigev_notify;
	char sig[16];

	vtrace_buf_puts(b, "{");
	if (se->sigev_value.sival_ptr)
		vtrace_buf_printf(b, "sigev_value={sival_int=%d, "
				  "sival_ptr=%#lx}, ", se->sigev_value.sival_int,
				  (unsigned long)se->sigev_value.sival_ptr);
	if (n == SIGEV_SIGNAL || n == SIGEV_THREAD_ID)
		vtrace_buf_printf(b, "sigev_signo=%s, ",
				  vtrace_signame(se->sigev_signo, sig));
	else
		vtrace_buf_printf(b, "sigev_signo=%d, ", se->sigev_signo);
	if (n >= 0 && n < (int)(sizeof(how) / sizeof(how[0])) && how[n])
		vtrace_buf_printf(b, "sigev_notify=%s", how[n]);
	else
		vtrace_buf_printf(b, "sigev_notify=%#x /* SIGEV_??? */", n);
	if (n == SIGEV_THREAD_ID)
		vtrace_buf_printf(b, ", sigev_notify_thread_id=%d",
				  se->_sigev_un._tid);
	else if (n == SIGEV_THREAD)
		vtrace_buf_printf(b, ", sigev_notify_function=%#lx, "
				  "sigev_notify_attributes=%#lx",
				  (unsigned long)
				  se->_sigev_un._sigev_thread._function,
				  (unsigned long)
				  se->_sigev_un._sigev_thread._attribute);
	vtrace_buf_puts(b, "}");
}
