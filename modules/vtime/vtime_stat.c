// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vtime/vtime_stat.c - File timestamps in the view's time
 *
 * The stat family is seen at exit (FACET_HOOK_EXIT) and its atime, mtime,
 * ctime (and statx's btime) are mapped with vtime_file_to_virt(); times a
 * program sets (utimensat, utimes, futimesat, utime) are mapped back with
 * vtime_file_to_real() before the kernel stores them.  UTIME_NOW and NULL
 * times need nothing: the kernel stores the real now, which the view sees
 * as its own now.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/stat.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <utime.h>

#include "vtime.h"

static void vtime_map_ts(const struct vtime_state *s, struct timespec *ts)
{
	if (vtime_sec_ok(ts->tv_sec))
		*ts = vtime_ns_ts(vtime_file_to_virt(s, vtime_ts_ns(ts)));
}

static void vtime_map_sx(const struct vtime_state *s,
			 struct statx_timestamp *t)
{
	struct timespec ts = { t->tv_sec, t->tv_nsec };

	vtime_map_ts(s, &ts);
	t->tv_sec = ts.tv_sec;
	t->tv_nsec = ts.tv_nsec;
}

static void vtime_stat_fix(struct vtime_state *s, struct facet_call *call,
			   long addr)
{
	struct stat st;

	if (facet_peek(call, &st, addr, sizeof(st)) != sizeof(st))
		return;
	vtime_map_ts(s, &st.st_atim);
	vtime_map_ts(s, &st.st_mtim);
	vtime_map_ts(s, &st.st_ctim);
	facet_poke(call, addr, &st, sizeof(st));
}

static void vtime_statx_fix(struct vtime_state *s, struct facet_call *call,
			    long addr)
{
	struct statx sx;

	if (facet_peek(call, &sx, addr, sizeof(sx)) != sizeof(sx))
		return;
	if (sx.stx_mask & STATX_ATIME)
		vtime_map_sx(s, &sx.stx_atime);
	if (sx.stx_mask & STATX_BTIME)
		vtime_map_sx(s, &sx.stx_btime);
	if (sx.stx_mask & STATX_CTIME)
		vtime_map_sx(s, &sx.stx_ctime);
	if (sx.stx_mask & STATX_MTIME)
		vtime_map_sx(s, &sx.stx_mtime);
	facet_poke(call, addr, &sx, sizeof(sx));
}

/* utimensat(dfd, path, times[2], flags) */
static int vtime_utimens(struct vtime_state *s, struct facet_call *call)
{
	struct timespec ts[2];
	int i;

	if (!facet_arg(call, 2) ||
	    facet_peek(call, ts, facet_arg(call, 2), sizeof(ts)) != sizeof(ts))
		return 0;
	for (i = 0; i < 2; i++) {
		if (ts[i].tv_nsec == UTIME_NOW || ts[i].tv_nsec == UTIME_OMIT)
			continue;
		if (ts[i].tv_nsec < 0 || ts[i].tv_nsec >= VTIME_NS ||
		    !vtime_sec_ok(ts[i].tv_sec))
			return 0;	/* the kernel's EINVAL */
		ts[i] = vtime_ns_ts(vtime_file_to_real(s, vtime_ts_ns(&ts[i])));
	}
	return facet_set_arg_buf(call, 2, ts, sizeof(ts));
}

/* utimes(path, tv[2]), futimesat(dfd, path, tv[2]) */
static int vtime_utimes(struct vtime_state *s, struct facet_call *call,
			int i)
{
	struct timeval tv[2];
	struct timespec ts;
	int k;

	if (!facet_arg(call, i) ||
	    facet_peek(call, tv, facet_arg(call, i), sizeof(tv)) != sizeof(tv))
		return 0;
	for (k = 0; k < 2; k++) {
		if (tv[k].tv_usec < 0 || tv[k].tv_usec >= 1000000 ||
		    !vtime_sec_ok(tv[k].tv_sec))
			return 0;
		ts = vtime_ns_ts(vtime_file_to_real(s, tv[k].tv_sec * VTIME_NS +
						    tv[k].tv_usec * 1000LL));
		tv[k].tv_sec = ts.tv_sec;
		tv[k].tv_usec = ts.tv_nsec / 1000;
	}
	return facet_set_arg_buf(call, i, tv, sizeof(tv));
}

/* utime(path, {actime, modtime}) */
static int vtime_utime(struct vtime_state *s, struct facet_call *call)
{
	struct utimbuf u;

	if (!facet_arg(call, 1) ||
	    facet_peek(call, &u, facet_arg(call, 1), sizeof(u)) != sizeof(u) ||
	    !vtime_sec_ok(u.actime) || !vtime_sec_ok(u.modtime))
		return 0;
	u.actime = vtime_ns_ts(vtime_file_to_real(s, u.actime * VTIME_NS))
		   .tv_sec;
	u.modtime = vtime_ns_ts(vtime_file_to_real(s, u.modtime * VTIME_NS))
		    .tv_sec;
	return facet_set_arg_buf(call, 1, &u, sizeof(u));
}

/**
 * vtime_stat_enter() - Map times being set; ask to see stat results
 * @s:		Module state
 * @call:	The call
 *
 * Return: the verdict
 */
enum facet_verdict vtime_stat_enter(struct vtime_state *s,
				    struct facet_call *call)
{
	int ret = 0;

	switch (facet_nr(call)) {
	case SYS_stat:
	case SYS_fstat:
	case SYS_lstat:
	case SYS_newfstatat:
	case SYS_statx:
		return FACET_CONTINUE_EXIT;
	case SYS_utimensat:
		ret = vtime_utimens(s, call);
		break;
	case SYS_utimes:
		ret = vtime_utimes(s, call, 1);
		break;
	case SYS_futimesat:
		ret = vtime_utimes(s, call, 2);
		break;
	case SYS_utime:
		ret = vtime_utime(s, call);
		break;
	}
	if (ret < 0) {
		facet_return(call, ret);
		return FACET_DONE;
	}
	return FACET_CONTINUE;
}

/**
 * vtime_stat_exit() - Show a stat result's times in the view's time
 * @s:		Module state
 * @call:	The call
 */
void vtime_stat_exit(struct vtime_state *s, struct facet_call *call)
{
	if (facet_result(call) != 0)
		return;
	switch (facet_nr(call)) {
	case SYS_stat:
	case SYS_fstat:
	case SYS_lstat:
		vtime_stat_fix(s, call, facet_arg(call, 1));
		break;
	case SYS_newfstatat:
		vtime_stat_fix(s, call, facet_arg(call, 2));
		break;
	case SYS_statx:
		vtime_statx_fix(s, call, facet_arg(call, 4));
		break;
	}
}
