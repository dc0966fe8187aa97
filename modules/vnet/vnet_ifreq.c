// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vnet/vnet_ifreq.c - Interface ioctls on a host socket answered
 * by the network
 *
 * DOC: Interface ioctls
 *
 * An interface ioctl (SIOCGIFINDEX, SIOCGIFNAME, SIOCGIFFLAGS,
 * SIOCGIFCONF...) asks the network namespace of the socket it is made on.
 * glibc makes if_nametoindex() and if_indextoname() on an AF_UNIX
 * datagram socket (its __opensock() tries AF_UNIX first), and AF_UNIX
 * sockets stay the host's: so a program in the view that named an
 * interface got the host's answer, while if_nameindex() and getifaddrs()
 * (netlink, the network's) listed the network's.  if_nametoindex("tap0")
 * failed, if_indextoname(2) named the host's second interface, and an
 * IPv6 scope "fe80::2%tap0" or `ping -I tap0` could not be used.
 *
 * So these ioctls on an AF_UNIX socket are made again on a socket of the
 * network, with the caller's struct ifreq (or struct ifconf and its
 * buffer) copied in and out.  Only the ones whose data is all in that
 * struct: those that point elsewhere (SIOCETHTOOL, the MII and bridge
 * calls) are left to the kernel.  The filter asks for ioctl requests with
 * bit 15 set (the 0x89 socket ioctls among them, no terminal or file
 * ioctl), so other ioctls cost nothing under the ptracer.
 */
#include <errno.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "vnet.h"
#include "../../core/procfs.h"

#define VNET_IFCONF_MAX		(64 * 1024)	/* bytes of SIOCGIFCONF */

/**
 * vnet_ifreq_wants() - Ask for the interface ioctls
 * @set:	The module's set
 */
void vnet_ifreq_wants(struct facet_sysset *set)
{
	facet_sysset_add(set, SYS_ioctl, FACET_HOOK_ENTER);
	facet_sysset_only_if(set, SYS_ioctl, 1, 0x8000);
}

/*
 * Is @req an interface ioctl whose data is all in its struct ifreq?
 * Return: 1 for a get (copied back), 2 for a set, 0 for any other
 */
static int vnet_ifreq_kind(unsigned long req)
{
	switch (req) {
	case SIOCGIFNAME:
	case SIOCGIFINDEX:
	case SIOCGIFFLAGS:
	case SIOCGIFMETRIC:
	case SIOCGIFMTU:
	case SIOCGIFHWADDR:
	case SIOCGIFTXQLEN:
	case SIOCGIFMAP:
		return 1;
	case SIOCSIFFLAGS:
	case SIOCSIFMETRIC:
	case SIOCSIFMTU:
	case SIOCSIFHWADDR:
	case SIOCSIFHWBROADCAST:
	case SIOCSIFTXQLEN:
	case SIOCSIFMAP:
	case SIOCSIFNAME:
	case SIOCADDMULTI:
	case SIOCDELMULTI:
		return 2;
	}
	return 0;
}

/**
 * vnet_ifreq_wanted() - Is this ioctl one vnet_ifreq_ioctl() may answer?
 * @req:	Its request
 *
 * The cheap test, before anything is asked of the kernel.
 */
int vnet_ifreq_wanted(unsigned long req)
{
	return req == SIOCGIFCONF || vnet_ifreq_kind(req);
}

/* Is the caller's fd @fd an AF_UNIX socket (the host's)? */
static int vnet_ifreq_host_socket(struct facet_call *call, int fd,
				  int in_caller)
{
	int local, domain = -1;
	socklen_t len = sizeof(domain);

	local = facet_procfs_caller_fd(facet_pid(call), facet_tid(call), fd,
				       in_caller);
	if (local < 0)
		return 0;
	if (getsockopt(local, SOL_SOCKET, SO_DOMAIN, &domain, &len) < 0)
		domain = -1;
	close(local);
	return domain == AF_UNIX;
}

/* SIOCGIFCONF on @sock for the caller's struct ifconf at @addr */
static long vnet_ifconf(struct facet_call *call, int sock, uintptr_t addr)
{
	struct ifconf ifc;
	uintptr_t buf;
	long ret;
	int cap;

	if (facet_peek(call, &ifc, addr, sizeof(ifc)) != (ssize_t)sizeof(ifc))
		return -EFAULT;
	buf = (uintptr_t)ifc.ifc_buf;
	cap = ifc.ifc_len;
	if (!buf) {		/* the length it would take */
		ret = ioctl(sock, SIOCGIFCONF, &ifc);
	} else {
		if (cap < 0)
			return -EINVAL;
		if (cap > VNET_IFCONF_MAX)
			cap = VNET_IFCONF_MAX;
		ifc.ifc_len = cap;
		ifc.ifc_buf = malloc(cap ? (size_t)cap : 1);
		if (!ifc.ifc_buf)
			return -ENOMEM;
		ret = ioctl(sock, SIOCGIFCONF, &ifc);
		if (ret == 0 && ifc.ifc_len > 0 &&
		    facet_poke(call, buf, ifc.ifc_buf, (size_t)ifc.ifc_len) !=
		    (ssize_t)ifc.ifc_len)
			ret = -EFAULT, errno = EFAULT;
		free(ifc.ifc_buf);
		ifc.ifc_buf = (char *)buf;
	}
	if (ret < 0)
		return -errno;
	if (facet_poke(call, addr, &ifc.ifc_len, sizeof(ifc.ifc_len)) !=
	    (ssize_t)sizeof(ifc.ifc_len))
		return -EFAULT;
	return ret;
}

/* An ioctl of struct ifreq, @kind as vnet_ifreq_kind() says */
static long vnet_ifreq_call(struct facet_call *call, int sock,
			    unsigned long req, uintptr_t addr, int kind)
{
	struct ifreq ifr;

	if (facet_peek(call, &ifr, addr, sizeof(ifr)) != (ssize_t)sizeof(ifr))
		return -EFAULT;
	if (ioctl(sock, req, &ifr) < 0)
		return -errno;
	if (kind == 1 && facet_poke(call, addr, &ifr, sizeof(ifr)) !=
	    (ssize_t)sizeof(ifr))
		return -EFAULT;
	return 0;
}

/**
 * vnet_ifreq_ioctl() - An interface ioctl, maybe on a host socket
 * @call:	An ioctl for which vnet_ifreq_wanted() said yes
 * @sock:	Makes a socket of the network (close-on-exec), or -errno
 * @ctx:	For @sock
 * @in_caller:	The module runs in the calling process (preload)
 *
 * Return: FACET_DONE when answered from the network, FACET_CONTINUE when
 * the fd is not an AF_UNIX socket (the kernel answers for its namespace)
 */
enum facet_verdict vnet_ifreq_ioctl(struct facet_call *call,
				    int (*sock)(void *ctx), void *ctx,
				    int in_caller)
{
	unsigned long req = (unsigned int)facet_arg(call, 1);
	uintptr_t addr = (uintptr_t)facet_arg(call, 2);
	long ret;
	int fd;

	if (!vnet_ifreq_host_socket(call, (int)facet_arg(call, 0), in_caller))
		return FACET_CONTINUE;
	fd = sock(ctx);
	if (fd < 0) {
		facet_return(call, fd);
		return FACET_DONE;
	}
	if (req == SIOCGIFCONF)
		ret = vnet_ifconf(call, fd, addr);
	else
		ret = vnet_ifreq_call(call, fd, req, addr,
				      vnet_ifreq_kind(req));
	close(fd);
	facet_return(call, ret);
	return FACET_DONE;
}
