// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vfs/vfs_unix.c - AF_UNIX socket paths in the guest view
 *
 * bind(2) and connect(2) get the host path of the socket file;
 * getsockname(2) and getpeername(2) answer the guest path.  Sending a
 * datagram to a path (sendto, sendmsg, sendmmsg with an address) is not
 * translated and fails with ENOSYS rather than reaching the host path.
 * Abstract sockets (sun_path[0] == 0) have no path and pass unchanged.
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>

#include "vfs.h"

/* bind/connect rewritten, names seen at exit, sends checked */
void vfs_unix_wants(struct facet_sysset *set)
{
	facet_sysset_add(set, SYS_bind, FACET_HOOK_REWRITE);
	facet_sysset_add(set, SYS_connect, FACET_HOOK_REWRITE);
	facet_sysset_add(set, SYS_getsockname, FACET_HOOK_EXIT);
	facet_sysset_add(set, SYS_getpeername, FACET_HOOK_EXIT);
	facet_sysset_add(set, SYS_sendto, FACET_HOOK_ENTER);
	facet_sysset_add(set, SYS_sendmsg, FACET_HOOK_ENTER);
	facet_sysset_add(set, SYS_sendmmsg, FACET_HOOK_ENTER);
}

/* Read a sockaddr; 1 if it is an AF_UNIX path, 0 if not, -errno */
static int vfs_unix_peek(struct facet_call *call, uintptr_t addr, long len,
			 struct sockaddr_un *sun)
{
	if (!addr || len <= (long)offsetof(struct sockaddr_un, sun_path))
		return 0;
	if (len > (long)sizeof(*sun))
		len = sizeof(*sun);
	memset(sun, 0, sizeof(*sun));
	if (facet_peek(call, sun, addr, len) != len)
		return -EFAULT;
	return sun->sun_family == AF_UNIX && sun->sun_path[0];
}

static int vfs_unix_addr(struct vfs_self *s, struct facet_call *call,
			 int follow)
{
	struct vfs_ctx ctx = { &s->t, 0, facet_tid(call), call, NULL };
	struct sockaddr_un sun;
	char path[sizeof(sun.sun_path) + 1], base[VFS_PATH_MAX];
	struct vfs_res res;
	int ret;

	ret = vfs_unix_peek(call, facet_arg(call, 1), facet_arg(call, 2),
			    &sun);
	if (ret <= 0)
		return ret;
	memcpy(path, sun.sun_path, sizeof(sun.sun_path));
	path[sizeof(sun.sun_path)] = '\0';
	strcpy(base, "/");
	if (path[0] != '/') {
		ret = vfs_base(&ctx, AT_FDCWD, base, sizeof(base));
		if (ret < 0)
			return ret;
	}
	ret = vfs_resolve(&ctx, base, path, follow ? VFS_R_FOLLOW : 0, &res);
	if (ret < 0)
		return ret;
	if (!follow && res.attr == VFS_RO)
		return -EROFS;
	if (strlen(res.host) >= sizeof(sun.sun_path))
		return -ENAMETOOLONG;
	memset(sun.sun_path, 0, sizeof(sun.sun_path));
	strcpy(sun.sun_path, res.host);
	ret = facet_set_arg_buf(call, 1, &sun, sizeof(sun));
	if (!ret)
		ret = facet_set_arg(call, 2, offsetof(struct sockaddr_un,
						      sun_path) +
				    strlen(res.host) + 1);
	return ret;
}

/* sendto/sendmsg/sendmmsg to an AF_UNIX path: -ENOSYS; else 0 */
static int vfs_unix_send(struct facet_call *call)
{
	struct sockaddr_un sun;
	struct msghdr mh;
	long nr = facet_nr(call);
	unsigned int i, n = 1;

	if (nr == SYS_sendto)
		return vfs_unix_peek(call, facet_arg(call, 4),
				     facet_arg(call, 5), &sun) ? -ENOSYS : 0;
	if (nr == SYS_sendmmsg)
		n = facet_arg(call, 2) > 1024 ? 1024 : facet_arg(call, 2);
	for (i = 0; i < n; i++) {
		uintptr_t at = facet_arg(call, 1) +
			       i * (nr == SYS_sendmmsg ? sizeof(struct mmsghdr) :
				    sizeof(struct msghdr));

		if (facet_peek(call, &mh, at, sizeof(mh)) != sizeof(mh))
			return 0;	/* the kernel reports EFAULT */
		if (vfs_unix_peek(call, (uintptr_t)mh.msg_name, mh.msg_namelen,
				  &sun))
			return -ENOSYS;
	}
	return 0;
}

/* getsockname/getpeername: the guest path of an AF_UNIX address */
static void vfs_unix_name_exit(struct vfs_self *s, struct facet_call *call)
{
	struct sockaddr_un sun;
	char guest[VFS_PATH_MAX];
	socklen_t len, glen;
	uintptr_t addr = facet_arg(call, 1), lenp = facet_arg(call, 2);

	if (facet_result(call) < 0 ||
	    facet_peek(call, &len, lenp, sizeof(len)) != sizeof(len))
		return;
	if (vfs_unix_peek(call, addr, len, &sun) <= 0)
		return;
	sun.sun_path[sizeof(sun.sun_path) - 1] = '\0';
	if (vfs_to_guest(&s->t, sun.sun_path, guest, sizeof(guest)) < 0 ||
	    strlen(guest) >= sizeof(sun.sun_path))
		return;
	memset(sun.sun_path, 0, sizeof(sun.sun_path));
	strcpy(sun.sun_path, guest);
	glen = offsetof(struct sockaddr_un, sun_path) + strlen(guest) + 1;
	facet_poke(call, addr, &sun, glen < len ? glen : len);
	facet_poke(call, lenp, &glen, sizeof(glen));
}

/**
 * vfs_unix_enter() - bind, connect, send*, getsockname, getpeername
 *
 * Return: 1 if @nr is one of them (*@v set), 0 if not
 */
int vfs_unix_enter(struct vfs_self *s, struct facet_call *call,
		   enum facet_verdict *v)
{
	int ret;

	switch (facet_nr(call)) {
	case SYS_bind:
	case SYS_connect:
		ret = vfs_unix_addr(s, call, facet_nr(call) == SYS_connect);
		break;
	case SYS_sendto:
	case SYS_sendmsg:
	case SYS_sendmmsg:
		ret = vfs_unix_send(call);
		break;
	case SYS_getsockname:
	case SYS_getpeername:
		*v = FACET_CONTINUE_EXIT;
		return 1;
	default:
		return 0;
	}
	*v = FACET_CONTINUE;
	if (ret < 0) {
		facet_return(call, ret);
		*v = FACET_DONE;
	}
	return 1;
}

/* getsockname/getpeername results; 1 if @call was one of them */
int vfs_unix_exit(struct vfs_self *s, struct facet_call *call)
{
	long nr = facet_nr(call);

	if (nr != SYS_getsockname && nr != SYS_getpeername)
		return 0;
	vfs_unix_name_exit(s, call);
	return 1;
}
