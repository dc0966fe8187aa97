/* SPDX-License-Identifier: MIT */
/*
 * facet - preload/shim_trap.h: trap-mode wrappers of libc functions that
 * make their syscalls inside libc (see shim_trap.c), for the files that
 * define them
 */
#ifndef FACET_PRELOAD_SHIM_TRAP_H
#define FACET_PRELOAD_SHIM_TRAP_H

#include <sys/syscall.h>

#ifndef SYS_fchmodat2
#define SYS_fchmodat2	452
#endif

#include "shim.h"

/*
 * What each function can make, as glibc 2.36 does it: trap mode only
 * when a module wants one of these.
 */
#define T(...)	((const short[]){ __VA_ARGS__, -1 })
#define TRAP_OPEN	T(SYS_openat, SYS_fcntl)
#define TRAP_REOPEN	T(SYS_openat, SYS_close, SYS_dup3, SYS_fcntl)
#define TRAP_DIR	T(SYS_openat, SYS_newfstatat, SYS_fcntl)
#define TRAP_DIRFD	T(SYS_newfstatat, SYS_fcntl)
#define TRAP_READDIR	T(SYS_getdents64)
#define TRAP_CLOSEDIR	T(SYS_close)
#define TRAP_SCAN	T(SYS_openat, SYS_newfstatat, SYS_getdents64, \
			  SYS_close, SYS_fcntl)
#define TRAP_REALPATH	T(SYS_readlink, SYS_newfstatat, SYS_getcwd)
#define TRAP_CWD	T(SYS_getcwd)
#define TRAP_WALK	T(SYS_openat, SYS_newfstatat, SYS_getdents64, \
			  SYS_close, SYS_fchdir, SYS_chdir, SYS_getcwd, \
			  SYS_fcntl)
#define TRAP_TEMP	T(SYS_openat, SYS_getrandom, SYS_clock_gettime, \
			  SYS_newfstatat, SYS_unlink, SYS_fcntl)
#define TRAP_TEMPDIR	T(SYS_mkdir, SYS_getrandom, SYS_clock_gettime)
#define TRAP_STATVFS	T(SYS_statfs, SYS_fstatfs, SYS_openat, SYS_read, \
			  SYS_close, SYS_newfstatat)
#define TRAP_ACCESS	T(SYS_faccessat, SYS_faccessat2, SYS_access, \
			  SYS_newfstatat)
#define TRAP_UTIME	T(SYS_utimensat)
#define TRAP_SLEEP	T(SYS_clock_nanosleep, SYS_nanosleep)
#define TRAP_FUTEX	T(SYS_futex, SYS_futex_waitv)
#define TRAP_TIMER	T(SYS_timer_settime, SYS_timer_gettime)
#define TRAP_REMOVE	T(SYS_unlink, SYS_unlinkat, SYS_rmdir)
#define TRAP_MKNOD	T(SYS_mknodat, SYS_mknod)
#define TRAP_LCHMOD	T(SYS_openat, SYS_newfstatat, SYS_fchmodat, \
			  SYS_fchmodat2, SYS_chmod)
#define TRAP_FUTIMESAT	T(SYS_futimesat, SYS_utimensat)
/* system files libc opens (shim_sysfiles.c) and locales (shim_locale.c) */
#define TRAP_SYSFILE	T(SYS_openat, SYS_newfstatat, SYS_fcntl, SYS_access, \
			  SYS_faccessat, SYS_unlink, SYS_readlink)
extern const short shim_trap_all[];
int shim_trap_wanted(const short *nrs);


/* With the start-up code: every image's module load calls dlopen() */
#define TRAP(type, name, set, params, args)				\
	TRAP_AS(SHIM_HOT, type, name, set, params, args)
/* ...placed with the start-up code (dlopen(), which loads the modules) */
#define TRAP_COLD(type, name, set, params, args)			\
	TRAP_AS(SHIM_COLD, type, name, set, params, args)
/* ...in the plain text, away from both: functions few programs call */
#define TRAP_RARE(type, name, set, params, args)			\
	TRAP_AS(, type, name, set, params, args)
#define TRAP_AS(attr, type, name, set, params, args)			\
	attr type name params						\
	{								\
		type (*real_) params = SHIM_NEXT(type(*) params, #name); \
		type ret_;						\
		int tok_;						\
									\
		if (!shim_trap_wanted(set))				\
			return real_ args;				\
		tok_ = shim_trap_enter();				\
		ret_ = real_ args;					\
		shim_trap_leave(tok_);					\
		return ret_;						\
	}

/* TRAP_RARE() of a function that returns nothing */
#define TRAP_VOID(name, set, params, args)				\
	void name params						\
	{								\
		void (*real_) params = SHIM_NEXT(void (*) params, #name); \
		int tok_;						\
									\
		if (!shim_trap_wanted(set)) {				\
			real_ args;					\
			return;						\
		}							\
		tok_ = shim_trap_enter();				\
		real_ args;						\
		shim_trap_leave(tok_);					\
	}

#endif /* FACET_PRELOAD_SHIM_TRAP_H */
