// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vtime/vtime_sockopt.c - Socket timeouts at the virtual rate
 *
 * DOC: SO_RCVTIMEO and SO_SNDTIMEO
 *
 * A socket's receive and send timeouts are relative, elapsed time, as the
 * timeouts of poll() are: at a rate other than 1 setsockopt() hands the
 * kernel the timeval divided by the monotonic clocks' rate, and
 * getsockopt() gives the caller back the kernel's value multiplied by it.
 * Both calls are wanted only when the option name has one of the bits of
 * VTIME_SOCKOPT_BITS, which every timeout option has, so SO_ERROR,
 * SO_RCVBUF or TCP_NODELAY pass the ptracer's filter without a stop.
 * Malformed values go to the kernel unchanged, for its own error.
 */
#include <errno.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include "vtime.h"

/* x86_64's numbers: the _OLD ones take a struct timeval, the _NEW ones a
 * struct __kernel_sock_timeval; on a 64-bit ABI both are two int64 */
#ifndef SO_RCVTIMEO_OLD
#define SO_RCVTIMEO_OLD	20
#define SO_SNDTIMEO_OLD	21
#endif
#ifndef SO_RCVTIMEO_NEW
#define SO_RCVTIMEO_NEW	66
#define SO_SNDTIMEO_NEW	67
#endif

/**
 * struct vtime_sock_tv - The timeout as both option kinds hold it
 * @sec:	Seconds
 * @usec:	Microseconds
 */
struct vtime_sock_tv {
	int64_t sec, usec;
};

/**
 * struct vtime_sock_back - getsockopt()'s buffers, in facet_scratch()
 * @optval:	Caller's value buffer
 * @optlen:	Caller's length
 */
struct vtime_sock_back {
	long optval, optlen;
};

/* Is this (level, optname) a socket timeout? */
static int vtime_sockopt_is_timeout(struct facet_call *call)
{
	long opt = facet_arg(call, 2);

	return facet_arg(call, 1) == SOL_SOCKET &&
	       (opt == SO_RCVTIMEO_OLD || opt == SO_SNDTIMEO_OLD ||
		opt == SO_RCVTIMEO_NEW || opt == SO_SNDTIMEO_NEW);
}

/* setsockopt(fd, level, optname, optval, optlen): scale the timeout */
static enum facet_verdict vtime_setsockopt(struct vtime_state *s,
					   struct facet_call *call)
{
	struct vtime_sock_tv tv;
	struct timespec ts;
	int64_t real;
	int ret;

	if ((unsigned long)facet_arg(call, 4) < sizeof(tv) ||
	    facet_peek(call, &tv, facet_arg(call, 3), sizeof(tv)) !=
	    sizeof(tv))
		return FACET_CONTINUE;
	/* 0 is no timeout and a negative one no wait: both as they are */
	if (tv.sec < 0 || tv.usec < 0 || tv.usec >= 1000000 ||
	    (!tv.sec && !tv.usec) || !vtime_sec_ok(tv.sec))
		return FACET_CONTINUE;
	real = vtime_dur_to_real(s, VTIME_BASE_MONO,
				 tv.sec * VTIME_NS + tv.usec * 1000);
	ts = vtime_ns_ts(real);
	tv.sec = ts.tv_sec;
	/* rounded up: a short timeout must not become 0, no timeout */
	tv.usec = (ts.tv_nsec + 999) / 1000;
	if (tv.usec == 1000000) {
		tv.sec++;
		tv.usec = 0;
	}
	ret = facet_set_arg_buf(call, 3, &tv, sizeof(tv));
	if (ret < 0) {
		facet_return(call, ret);
		return FACET_DONE;
	}
	return FACET_CONTINUE;
}

/**
 * vtime_sockopt_enter() - setsockopt() and getsockopt() of a timeout
 * @s:		Module state
 * @call:	The call
 *
 * Return: the verdict
 */
enum facet_verdict vtime_sockopt_enter(struct vtime_state *s,
				       struct facet_call *call)
{
	struct vtime_sock_back *b = facet_scratch(call);

	if (!vtime_sockopt_is_timeout(call) ||
	    vtime_factor(s, VTIME_BASE_MONO) == 1)
		return FACET_CONTINUE;
	if (facet_nr(call) == SYS_setsockopt)
		return vtime_setsockopt(s, call);
	b->optval = facet_arg(call, 3);
	b->optlen = facet_arg(call, 4);
	return FACET_CONTINUE_EXIT;
}

/**
 * vtime_sockopt_exit() - getsockopt() of a timeout: the virtual value
 * @s:		Module state
 * @call:	The call
 */
void vtime_sockopt_exit(struct vtime_state *s, struct facet_call *call)
{
	struct vtime_sock_back *b = facet_scratch(call);
	struct vtime_sock_tv tv;
	struct timespec ts;
	int len;

	if (facet_result(call) != 0 ||
	    facet_peek(call, &len, b->optlen, sizeof(len)) != sizeof(len) ||
	    len < (int)sizeof(tv) ||
	    facet_peek(call, &tv, b->optval, sizeof(tv)) != sizeof(tv) ||
	    tv.sec < 0 || !vtime_sec_ok(tv.sec))
		return;
	ts = vtime_ns_ts(vtime_dur_to_virt(s, VTIME_BASE_MONO,
					   tv.sec * VTIME_NS +
					   tv.usec * 1000));
	tv.sec = ts.tv_sec;
	tv.usec = ts.tv_nsec / 1000;
	facet_poke(call, b->optval, &tv, sizeof(tv));
}
