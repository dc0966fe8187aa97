// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * preload/shim_creds.c - Staying in the view across a change of identity
 *
 * A process that drops privileges (root running `setpriv`, `su`, a daemon
 * changing to its own user) and then execs would start an image that
 * cannot open /proc/<facet pid>/fd/<n> any more, and so could not join the
 * view's shared memory: the shim refuses to run such an image (exit 125)
 * rather than let it run half-virtualized.  So before any call that
 * changes the process's ids or capabilities, the shim takes an fd of the
 * region while it still can (shim_shared_hold()) and from then on names
 * it to new images as /proc/self/fd/<n>.
 *
 * A new user namespace does the same to /proc/<facet pid>/fd/<n> (the
 * kernel lets a process of a child namespace open no fd of a process
 * outside it: `unshare -r`, bwrap, rootless containers), and a new mount
 * namespace or root may hide /proc: so do unshare(), setns(), clone()
 * and clone3() with such flags, chroot() and pivot_root().
 */
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/fsuid.h>
#include <sys/syscall.h>

#include "../core/log.h"
#include "shim.h"

/* Where a held fd of the shim goes (the region's starts at 1000) */
#define CREDS_SO_FD_MIN	1010

/*
 * Under a guest root in the combined mode ld.so loads the shim from
 * facet's memfd, /proc/<facet pid>/fd/<n> (cli_backend.c), which a new
 * image could not open after the change either: ld.so would say it
 * cannot preload it, and the image would run without it.  Keep an
 * inheritable fd of it and name that to new images (shim_exec_env()
 * also replaces the old name in an LD_PRELOAD a program passes).
 */
static void creds_hold_so(void)
{
	static char path[32];
	int fd, high;

	if (strncmp(shim.so_path, "/proc/", 6) ||
	    !strncmp(shim.so_path, "/proc/self/", 11) ||
	    !strstr(shim.so_path, "/fd/"))
		return;
	fd = (int)shim_gate4(SYS_openat, AT_FDCWD, shim.so_path,
			     O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0) {
		log_warn("preload: cannot keep the shim %s across a change of "
			 "user: %s", shim.so_path, strerror(-fd));
		return;
	}
	high = (int)shim_gate3(SYS_fcntl, fd, F_DUPFD, CREDS_SO_FD_MIN);
	shim_gate1(SYS_close, fd);
	if (high < 0)
		return;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", high);
	shim.so_fd = high;
	shim.so_prev = shim.so_path;
	shim.so_path = path;
	shim.preload_var = shim_concat("LD_PRELOAD=", path);
}

/**
 * shim_creds_held_so() - Note the fd that names the shim in this image
 *
 * An image loaded after a change of user was named the held fd,
 * /proc/self/fd/N: N is the shim's name here too (shim_exec_env() looks
 * whether it is still open).
 */
void shim_creds_held_so(void)
{
	char *end;
	long fd;

	if (strncmp(shim.so_path, "/proc/self/fd/", 14))
		return;
	fd = strtol(shim.so_path + 14, &end, 10);
	if (!*end && fd >= CREDS_SO_FD_MIN && fd < 65536)
		shim.so_fd = (int)fd;
}

/**
 * shim_creds_hold() - Make the view reachable after a credential change
 *
 * Runs once per process: later images are told the held fd's path.
 */
void shim_creds_hold(void)
{
	struct shim_config cfg;
	char path[32], *value;
	int fd;

	if (!shim.active || !shim.cfg.shm || !shim.cfg.shm[0] ||
	    !strncmp(shim.cfg.shm, "/proc/self/", 11))
		return;
	shim_tls.busy++;
	creds_hold_so();
	fd = shim_shared_hold(shim.cfg.shm);
	if (fd < 0) {
		log_warn("preload: cannot keep the view's shared memory "
			 "across a change of user: %s", strerror(-fd));
		goto out;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	cfg = shim.cfg;
	cfg.shm = path;
	value = shim_config_encode(&cfg);
	if (!value)
		goto out;
	shim.cfg.shm = shim_concat(path, "");
	shim.env_var = shim_concat(SHIM_ENV "=", value);
	shim.handoff_var = shim_concat(SHIM_ENV_HANDOFF "=", value);
	free(value);
out:
	shim_unbusy(&shim_tls);
}

#define CREDS_WRAP(name, params, args)					\
	int name params							\
	{								\
		shim_creds_hold();					\
		return SHIM_NEXT(int(*) params, #name) args;		\
	}

CREDS_WRAP(setuid, (uid_t u), (u))
CREDS_WRAP(setgid, (gid_t g), (g))
CREDS_WRAP(seteuid, (uid_t u), (u))
CREDS_WRAP(setegid, (gid_t g), (g))
CREDS_WRAP(setreuid, (uid_t r, uid_t e), (r, e))
CREDS_WRAP(setregid, (gid_t r, gid_t e), (r, e))
CREDS_WRAP(setresuid, (uid_t r, uid_t e, uid_t s), (r, e, s))
CREDS_WRAP(setresgid, (gid_t r, gid_t e, gid_t s), (r, e, s))
CREDS_WRAP(setfsuid, (uid_t u), (u))
CREDS_WRAP(setfsgid, (gid_t g), (g))
CREDS_WRAP(capset, (void *hdr, const void *data), (hdr, data))

/* Namespaces whose change can make /proc/<facet pid>/fd/<n> unreachable */
#define CREDS_NS_FLAGS	(CLONE_NEWUSER | CLONE_NEWNS)

/**
 * shim_creds_ns_call() - Before syscall @nr, made by the program
 * @nr:		One of shim_creds_ns_nr()'s
 *
 * Holds the region when the call may take the process to a namespace or
 * root from which facet's fd cannot be opened.  (clone3's flags are in
 * memory the caller owns: it always holds.)
 */
void shim_creds_ns_call(long nr, long a0, long a1)
{
	switch (nr) {
	case SYS_unshare:
	case SYS_clone:
		if (!(a0 & CREDS_NS_FLAGS))
			return;
		break;
	case SYS_setns:
		if (a1 && !(a1 & CREDS_NS_FLAGS))
			return;
		break;
	case SYS_chroot:
	case SYS_pivot_root:
		shim.rooted = 1;
		break;
	}
	shim_creds_hold();
}

/* The libc functions for those calls; modules see them as wanted */
#define CREDS_NS_WRAP(name, nr, params, args, a0, a1)			\
	int name params							\
	{								\
		long a_[6] = { (long)(a0), (long)(a1) };		\
									\
		shim_creds_ns_call(nr, a_[0], a_[1]);			\
		if (!shim_wants(nr))					\
			return SHIM_NEXT(int(*) params, #name) args;	\
		return (int)shim_ret(shim_dispatch(nr, a_));		\
	}

CREDS_NS_WRAP(unshare, SYS_unshare, (int f), (f), f, 0)
CREDS_NS_WRAP(setns, SYS_setns, (int fd, int t), (fd, t), fd, t)
CREDS_NS_WRAP(chroot, SYS_chroot, (const char *p), (p), p, 0)
/* glibc exports pivot_root() (no header declares it) */
int pivot_root(const char *n, const char *o);
CREDS_NS_WRAP(pivot_root, SYS_pivot_root, (const char *n, const char *o),
	      (n, o), n, o)
