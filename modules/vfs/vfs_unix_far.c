// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vfs/vfs_unix_far.c - AF_UNIX paths whose host path is too long
 *
 * DOC: A socket path that fits in the guest but not on the host
 *
 * sun_path holds 107 bytes and a NUL.  A guest path that fits can map to
 * a longer host path (--tmp /tmp is /tmp/facet-vfs.XXXXXX/0.XXXXXX), which
 * the kernel would refuse with ENAMETOOLONG.  Such a bind(), connect() or
 * sendto() is made by the module on the caller's socket (its open file
 * taken: a dup under preload, pidfd_getfd() under the ptracer) with the
 * socket's name relative to its host directory, from a helper thread
 * made without CLONE_FS: its working directory is its own, so no other
 * thread of the caller (nor of the supervisor) sees it move.  The thread
 * shares the socket's open file description, so a non-blocking connect()
 * gives EINPROGRESS and the caller polls its own fd as usual; it has the
 * caller's credentials (vfs_creds.c under the ptracer) and umask, so the
 * socket file is owned and moded as natively.  Under the ptracer the
 * connecting process SO_PEERCRED names is facet (its pid; the uid and gid
 * are the caller's), and the call does not wait (vfs_far_nowait()).
 *
 * The kernel keeps the name as it was given, relative: getsockname() and
 * the peers' getpeername(), accept() and recvfrom() would answer "NAME".
 * Each such bind is noted in the view's shared memory ("vfs-unix"), the
 * name with its guest path, and vfs_unix.c answers the guest path for a
 * relative name found there (the latest bind of that name when sockets
 * of the same name were bound in different directories).
 *
 * Only paths that do not fit take this route; the others are rewritten
 * in place as before (vfs_unix.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include "vfs.h"
#include "../../core/procfs.h"

#define VFS_FAR_NAMES		128
#define VFS_FAR_STACK		(64 * 1024)
#define VFS_FAR_DATA_MAX	(4 * 1024 * 1024)

/**
 * struct vfs_far_names - Relative names of sockets bound the long way
 * @next:	Count of binds noted (the slot is @next % VFS_FAR_NAMES)
 * @name:	The name the kernel keeps (the file's name in its directory)
 * @guest:	The guest path bound
 */
struct vfs_far_names {
	unsigned int next;
	struct {
		char name[sizeof(((struct sockaddr_un *)0)->sun_path)];
		char guest[sizeof(((struct sockaddr_un *)0)->sun_path)];
	} e[VFS_FAR_NAMES];
};

static struct vfs_far_names *vfs_far_names;

/* Map the view's table of names; Return: 0 or -ENOMEM */
VFS_COLD int vfs_unix_far_start(struct facet_env *env)
{
	vfs_far_names = facet_env_shared(env, "vfs-unix",
					 sizeof(*vfs_far_names));
	return vfs_far_names ? 0 : -ENOMEM;
}

/* Note that @name was bound for @guest */
static void vfs_far_note(const char *name, const char *guest)
{
	struct vfs_far_names *t = vfs_far_names;
	unsigned int i = __atomic_fetch_add(&t->next, 1, __ATOMIC_RELAXED) %
			 VFS_FAR_NAMES;

	t->e[i].name[0] = '\0';
	__atomic_thread_fence(__ATOMIC_RELEASE);
	snprintf(t->e[i].guest, sizeof(t->e[i].guest), "%s", guest);
	strncpy(t->e[i].name + 1, name + 1, sizeof(t->e[i].name) - 2);
	t->e[i].name[sizeof(t->e[i].name) - 1] = '\0';
	__atomic_store_n(&t->e[i].name[0], name[0], __ATOMIC_RELEASE);
}

/**
 * vfs_unix_far_guest() - The guest path of a relative name bound the long
 * way, copied to @guest (@cap bytes)
 *
 * Return: 0, or -ENOENT if no such bind was noted
 */
int vfs_unix_far_guest(const char *name, char *guest, size_t cap)
{
	struct vfs_far_names *t = vfs_far_names;
	unsigned int n, k;

	if (!t)
		return -ENOENT;
	n = __atomic_load_n(&t->next, __ATOMIC_ACQUIRE);
	for (k = 0; k < n && k < VFS_FAR_NAMES; k++) {
		unsigned int i = (n - 1 - k) % VFS_FAR_NAMES;

		if (__atomic_load_n(&t->e[i].name[0], __ATOMIC_ACQUIRE) &&
		    !strncmp(t->e[i].name, name, sizeof(t->e[i].name))) {
			snprintf(guest, cap, "%s", t->e[i].guest);
			return 0;
		}
	}
	return -ENOENT;
}

/**
 * struct vfs_far_job - One call for the helper thread
 * @nr:		SYS_bind, SYS_connect or SYS_sendto
 * @dirfd:	The socket's host directory (O_PATH)
 * @sock:	The caller's socket, taken
 * @umask:	The caller's umask, or -1 to keep the one copied at clone
 * @sun, @len:	The address, relative to @dirfd
 * @data, @size, @flags: sendto()'s
 * @ret:	The result, or -errno
 */
struct vfs_far_job {
	long nr;
	int dirfd;
	int sock;
	int umask;
	const struct sockaddr_un *sun;
	socklen_t len;
	const void *data;
	size_t size;
	int flags;
	long ret;
};

/*
 * A call made in the helper thread, -errno on failure.  The thread has
 * no TLS of its own: errno is its creator's, which waits meanwhile
 * (vfs_far_run() keeps the value it had).
 */
static long vfs_far_sys(long nr, long a, long b, long c, long d, long e,
			long f)
{
	long ret = syscall(nr, a, b, c, d, e, f);

	return ret < 0 ? -errno : ret;
}

/* The helper thread: moves to the directory, makes the call, ends */
static int vfs_far_thread(void *arg)
{
	struct vfs_far_job *j = arg;
	long ret;

	ret = vfs_far_sys(SYS_fchdir, j->dirfd, 0, 0, 0, 0, 0);
	if (!ret && j->umask >= 0)
		vfs_far_sys(SYS_umask, j->umask, 0, 0, 0, 0, 0);
	if (!ret)
		ret = vfs_far_sys(j->nr, j->sock,
				  j->nr == SYS_sendto ? (long)j->data :
				  (long)j->sun,
				  j->nr == SYS_sendto ? (long)j->size : j->len,
				  j->flags, (long)j->sun, j->len);
	j->ret = ret;
	return 0;
}

/*
 * Run @j in a thread of this process with a working directory of its
 * own.  CLONE_VFORK: this thread waits until it ends.  Every signal is
 * blocked in it (the mask is set here around the clone), so none meant
 * for the process runs on its small stack.
 */
static long vfs_far_run(struct vfs_far_job *j)
{
	sigset_t all, old;
	void *stack;
	int saved = errno;
	long ret;

	stack = mmap(NULL, VFS_FAR_STACK, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (stack == MAP_FAILED)
		return -ENOMEM;
	sigfillset(&all);
	j->ret = -ECHILD;
	syscall(SYS_rt_sigprocmask, SIG_SETMASK, &all, &old, _NSIG / 8);
	ret = clone(vfs_far_thread, (char *)stack + VFS_FAR_STACK,
		    CLONE_VM | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD |
		    CLONE_SYSVSEM | CLONE_VFORK, j);
	ret = ret < 0 ? -errno : j->ret;
	syscall(SYS_rt_sigprocmask, SIG_SETMASK, &old, NULL, _NSIG / 8);
	munmap(stack, VFS_FAR_STACK);
	errno = saved;
	return ret;
}

/* The caller's umask (under the ptracer), or -1 if unknown */
static int vfs_far_umask(pid_t tid)
{
	return (int)facet_procfs_status(tid, "Umask", 8);
}

/*
 * Under the ptracer the call must not wait (for room in a listener's
 * backlog, a receiver's queue): the supervisor would wait with it, and
 * the view's other calls, the listener's accept() among them, with it.
 * It fails with EAGAIN instead.  Return: the file's flags to put back
 * after a connect(), or 0
 */
static int vfs_far_nowait(struct vfs_far_job *j)
{
	int fl;

	if (j->nr == SYS_sendto) {
		j->flags |= MSG_DONTWAIT;
		return 0;
	}
	if (j->nr != SYS_connect)
		return 0;
	fl = fcntl(j->sock, F_GETFL);
	if (fl < 0 || (fl & O_NONBLOCK) ||
	    fcntl(j->sock, F_SETFL, fl | O_NONBLOCK) < 0)
		return 0;
	return fl;
}

/* sendto()'s data, copied from the caller; NULL with *@err set */
static void *vfs_far_data(struct facet_call *call, size_t size, long *err)
{
	void *data;

	if (size > VFS_FAR_DATA_MAX) {
		*err = -EMSGSIZE;
		return NULL;
	}
	data = malloc(size ? size : 1);
	if (!data) {
		*err = -ENOMEM;
		return NULL;
	}
	if (size && facet_peek(call, data, facet_arg(call, 1), size) !=
	    (ssize_t)size) {
		free(data);
		*err = -EFAULT;
		return NULL;
	}
	return data;
}

/**
 * vfs_unix_far() - bind(), connect() or sendto() of @call to @host, a
 * host path longer than sun_path takes, made by the module
 * @guest:	The guest path (noted for a bind)
 *
 * Return: the call's result, or -errno
 */
long vfs_unix_far(struct vfs_self *s, struct facet_call *call,
		  const char *host, const char *guest)
{
	struct vfs_far_job j = { .nr = facet_nr(call), .umask = -1 };
	const char *name = strrchr(host, '/') + 1;
	char dir[VFS_PATH_MAX];
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	void *data = NULL;
	long ret;
	int creds, wait = 0;

	if (strlen(name) >= sizeof(sun.sun_path) || !name[0])
		return -ENAMETOOLONG;
	snprintf(dir, sizeof(dir), "%.*s", (int)(name - host), host);
	strcpy(sun.sun_path, name);
	j.sun = &sun;
	j.len = offsetof(struct sockaddr_un, sun_path) + strlen(name) + 1;
	if (j.nr == SYS_sendto) {
		j.size = facet_arg(call, 2);
		j.flags = facet_arg(call, 3);
		/* preload: the caller's memory is this one (and no malloc in
		 * a SIGSYS handler) */
		j.data = (const void *)facet_arg(call, 1);
		if (!s->in_process) {
			data = vfs_far_data(call, j.size, &ret);
			if (!data)
				return ret;
			j.data = data;
		}
	}
	j.sock = facet_procfs_caller_fd(facet_pid(call), facet_tid(call),
					facet_arg(call, 0), s->in_process);
	if (j.sock < 0) {
		free(data);
		/* not a socket, or one the supervisor may not take */
		return j.sock == -EPERM ? -ENAMETOOLONG : j.sock;
	}
	j.dirfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (j.dirfd < 0) {
		ret = -errno;
		goto out;
	}
	if (!s->in_process) {
		j.umask = vfs_far_umask(facet_tid(call));
		wait = vfs_far_nowait(&j);
	}
	creds = vfs_creds_begin_always(s, call);
	ret = creds < 0 ? creds : vfs_far_run(&j);
	vfs_creds_end(creds);
	if (wait > 0)
		fcntl(j.sock, F_SETFL, wait);
	close(j.dirfd);
	if (ret == 0 && j.nr == SYS_bind)
		vfs_far_note(name, guest);
out:
	close(j.sock);
	free(data);
	return ret;
}
