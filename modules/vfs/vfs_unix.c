// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vfs/vfs_unix.c - AF_UNIX socket paths in the guest view
 *
 * bind(2) and connect(2) get the host path of the socket file;
 * getsockname(2), getpeername(2), and the peer addresses of accept(2),
 * accept4(2), recvfrom(2) and recvmsg(2) answer the guest path.  Those
 * results are looked at only when some rule can make a host path differ
 * from its guest path, and accept/recvfrom only when the caller asked for
 * the address (the others never stop).  sendto() to a path gets its host
 * path too (only sendto calls with an address stop); sendmsg and sendmmsg
 * with a path are not translated and fail with ENOSYS rather than
 * reaching the host path.  A host path longer than sun_path takes is
 * made by vfs_unix_far.c.  Abstract sockets (sun_path[0] == 0) have no
 * path and pass unchanged.
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

/* Can a host path of the view differ from its guest path? */
VFS_COLD static int vfs_unix_moves(const struct vfs_table *t)
{
	int i;

	for (i = 0; i < t->n; i++) {
		const struct vfs_rule *r = &t->rule[i];

		if (r->kind == VFS_ROOT || r->kind == VFS_TMP ||
		    r->kind == VFS_COW ||
		    (r->kind == VFS_BIND && strcmp(r->guest, r->host)))
			return 1;
	}
	return 0;
}

/* bind/connect rewritten, names seen at exit, sends checked */
VFS_COLD void vfs_unix_wants(const struct vfs_table *t, struct facet_sysset *set)
{
	facet_sysset_add(set, SYS_bind, FACET_HOOK_REWRITE);
	facet_sysset_add(set, SYS_connect, FACET_HOOK_REWRITE);
	if (vfs_unix_moves(t)) {
		facet_sysset_add(set, SYS_getsockname, FACET_HOOK_EXIT);
		facet_sysset_add(set, SYS_getpeername, FACET_HOOK_EXIT);
		facet_sysset_add(set, SYS_recvmsg, FACET_HOOK_EXIT);
		facet_sysset_add(set, SYS_accept, FACET_HOOK_EXIT);
		facet_sysset_only_if(set, SYS_accept, 1, UINT64_MAX);
		facet_sysset_add(set, SYS_accept4, FACET_HOOK_EXIT);
		facet_sysset_only_if(set, SYS_accept4, 1, UINT64_MAX);
		facet_sysset_add(set, SYS_recvfrom, FACET_HOOK_EXIT);
		facet_sysset_only_if(set, SYS_recvfrom, 4, UINT64_MAX);
	}
	facet_sysset_add(set, SYS_sendto, FACET_HOOK_REWRITE);
	facet_sysset_only_if(set, SYS_sendto, 4, UINT64_MAX);
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

/*
 * The address at argument @ai (its length at @ai + 1) of bind, connect or
 * sendto made the host path's.  Return: 0 (the call goes on), 1 when the
 * call was made here (*@result set: a host path too long for sun_path),
 * -errno
 */
static int vfs_unix_addr(struct vfs_self *s, struct facet_call *call,
			 int ai, int follow, long *result)
{
	struct vfs_ctx ctx = { &s->t, 0, facet_tid(call), call, NULL };
	struct sockaddr_un sun;
	char path[sizeof(sun.sun_path) + 1], base[VFS_PATH_MAX];
	struct vfs_res res;
	int ret;

	ret = vfs_unix_peek(call, facet_arg(call, ai), facet_arg(call, ai + 1),
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
	if (!follow && s->t.has_cow) {
		/* bind makes the socket file: a write, as for vfs_sys.c */
		int ci = vfs_cow_pending(&s->t, res.guest);

		if (ci >= 0) {
			ret = vfs_cow_copyup(s, ci);
			if (ret < 0)
				return ret;
			ret = vfs_resolve(&ctx, base, path, 0, &res);
			if (ret < 0)
				return ret;
		} else if (vfs_cow_lower(&s->t, res.host)) {
			return -EROFS;
		}
	}
	if (strlen(res.host) >= sizeof(sun.sun_path)) {
		*result = vfs_unix_far(s, call, res.host, res.guest);
		return 1;
	}
	memset(sun.sun_path, 0, sizeof(sun.sun_path));
	strcpy(sun.sun_path, res.host);
	ret = facet_set_arg_buf(call, ai, &sun, sizeof(sun));
	if (!ret)
		ret = facet_set_arg(call, ai + 1, offsetof(struct sockaddr_un,
							   sun_path) +
				    strlen(res.host) + 1);
	return ret;
}

/* sendmsg/sendmmsg to an AF_UNIX path: -ENOSYS; else 0 */
static int vfs_unix_send(struct facet_call *call)
{
	struct sockaddr_un sun;
	struct msghdr mh;
	long nr = facet_nr(call);
	unsigned int i, n = 1;

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

/*
 * The size of the caller's address buffer, kept from entry to exit: the
 * kernel overwrites it with the address's length, and a guest path may be
 * longer than the host's name (a relative one of vfs_unix_far.c)
 */
struct vfs_unix_scratch {
	int known;
	socklen_t cap;
};

/* Keep the buffer size at @lenp (or in recvmsg's msghdr at @msg) */
static void vfs_unix_keep_cap(struct facet_call *call, uintptr_t lenp,
			      uintptr_t msg)
{
	struct vfs_unix_scratch *sc = facet_scratch(call);

	if (msg)
		lenp = msg + offsetof(struct msghdr, msg_namelen);
	if (lenp && facet_peek(call, &sc->cap, lenp, sizeof(sc->cap)) ==
	    sizeof(sc->cap))
		sc->known = 1;
}

/*
 * The AF_UNIX address the kernel wrote at @addr (its length at @lenp, or
 * *@inlen when @lenp is 0) in guest terms
 */
static void vfs_unix_addr_out(struct vfs_self *s, struct facet_call *call,
			      uintptr_t addr, uintptr_t lenp, socklen_t *inlen)
{
	struct vfs_unix_scratch *sc = facet_scratch(call);
	struct sockaddr_un sun;
	char guest[VFS_PATH_MAX];
	socklen_t len, glen, cap;

	if (lenp && facet_peek(call, &len, lenp, sizeof(len)) != sizeof(len))
		return;
	if (!lenp)
		len = *inlen;
	if (vfs_unix_peek(call, addr, len, &sun) <= 0)
		return;
	cap = sc->known ? sc->cap : len;
	sun.sun_path[sizeof(sun.sun_path) - 1] = '\0';
	/* relative: bound the long way (vfs_unix_far.c), or outside */
	if (sun.sun_path[0] != '/' ?
	    vfs_unix_far_guest(sun.sun_path, guest, sizeof(guest)) < 0 :
	    vfs_to_guest(&s->t, sun.sun_path, guest, sizeof(guest)) < 0)
		return;
	if (strlen(guest) >= sizeof(sun.sun_path))
		return;
	memset(sun.sun_path, 0, sizeof(sun.sun_path));
	strcpy(sun.sun_path, guest);
	glen = offsetof(struct sockaddr_un, sun_path) + strlen(guest) + 1;
	facet_poke(call, addr, &sun, glen < cap ? glen : cap);
	if (lenp)
		facet_poke(call, lenp, &glen, sizeof(glen));
	else
		*inlen = glen;
}

/* recvmsg: the sender's address in the msghdr */
static void vfs_unix_recvmsg_exit(struct vfs_self *s, struct facet_call *call)
{
	uintptr_t at = facet_arg(call, 1);
	struct msghdr mh;
	socklen_t len;

	if (facet_peek(call, &mh, at, sizeof(mh)) != sizeof(mh) ||
	    !mh.msg_name)
		return;
	len = mh.msg_namelen;
	vfs_unix_addr_out(s, call, (uintptr_t)mh.msg_name, 0, &len);
	if (len != mh.msg_namelen)
		facet_poke(call, at + offsetof(struct msghdr, msg_namelen),
			   &len, sizeof(len));
}

/**
 * vfs_unix_enter() - bind, connect, send*, getsockname, getpeername
 *
 * Return: 1 if @nr is one of them (*@v set), 0 if not
 */
int vfs_unix_enter(struct vfs_self *s, struct facet_call *call,
		   enum facet_verdict *v)
{
	long result;
	int ret;

	switch (facet_nr(call)) {
	case SYS_bind:
	case SYS_connect:
		ret = vfs_unix_addr(s, call, 1, facet_nr(call) == SYS_connect,
				    &result);
		break;
	case SYS_sendto:
		ret = vfs_unix_addr(s, call, 4, 1, &result);
		break;
	case SYS_sendmsg:
	case SYS_sendmmsg:
		ret = vfs_unix_send(call);
		break;
	case SYS_getsockname:
	case SYS_getpeername:
		vfs_unix_keep_cap(call, facet_arg(call, 2), 0);
		*v = FACET_CONTINUE_EXIT;
		return 1;
	case SYS_recvmsg:
		vfs_unix_keep_cap(call, 0, facet_arg(call, 1));
		*v = FACET_CONTINUE_EXIT;
		return 1;
	case SYS_accept:
	case SYS_accept4:
		if (facet_arg(call, 1))
			vfs_unix_keep_cap(call, facet_arg(call, 2), 0);
		*v = facet_arg(call, 1) ? FACET_CONTINUE_EXIT : FACET_CONTINUE;
		return 1;
	case SYS_recvfrom:
		if (facet_arg(call, 4))
			vfs_unix_keep_cap(call, facet_arg(call, 5), 0);
		*v = facet_arg(call, 4) ? FACET_CONTINUE_EXIT : FACET_CONTINUE;
		return 1;
	default:
		return 0;
	}
	*v = FACET_CONTINUE;
	if (ret != 0) {
		facet_return(call, ret < 0 ? ret : result);
		*v = FACET_DONE;
	}
	return 1;
}

/* Results with addresses; 1 if @call was one of them */
int vfs_unix_exit(struct vfs_self *s, struct facet_call *call)
{
	if (facet_result(call) < 0)
		return 1;
	switch (facet_nr(call)) {
	case SYS_getsockname:
	case SYS_getpeername:
	case SYS_accept:
	case SYS_accept4:
		vfs_unix_addr_out(s, call, facet_arg(call, 1),
				  facet_arg(call, 2), NULL);
		return 1;
	case SYS_recvfrom:
		vfs_unix_addr_out(s, call, facet_arg(call, 4),
				  facet_arg(call, 5), NULL);
		return 1;
	case SYS_recvmsg:
		vfs_unix_recvmsg_exit(s, call);
		return 1;
	default:
		return 0;
	}
}
