// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vnet/vnet_tap.c - The tap device of a NAT network
 *
 * Made inside the network namespace, slirp-style: tap0 with 10.0.2.100/24
 * and fd00::100/64, default routes through 10.0.2.2 and fd00::2, MTU
 * VNET_NAT_MTU.  The fd goes to the slirp helper in the host's namespace
 * (vnet_slirp.c).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <linux/ipv6.h>
#include <net/route.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "vnet.h"

/* Set address-like field @req of tap0 to @addr */
static int vnet_tap_addr(int s, unsigned long req, const char *addr)
{
	struct ifreq ifr;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ifr.ifr_addr;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", VNET_NAT_IF);
	sin->sin_family = AF_INET;
	inet_pton(AF_INET, addr, &sin->sin_addr);
	return ioctl(s, req, &ifr) < 0 ? -errno : 0;
}

/* Bring tap0 up with its MTU, address and default route */
static int vnet_tap_config(int s)
{
	struct sockaddr_in *sin;
	struct rtentry rt;
	struct ifreq ifr;
	int ret;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", VNET_NAT_IF);
	ifr.ifr_mtu = VNET_NAT_MTU;
	if (ioctl(s, SIOCSIFMTU, &ifr) < 0)
		return -errno;
	ret = vnet_tap_addr(s, SIOCSIFADDR, VNET_NAT_GUEST);
	if (!ret)
		ret = vnet_tap_addr(s, SIOCSIFNETMASK, "255.255.255.0");
	if (ret)
		return ret;
	if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0)
		return -errno;
	ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
	if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0)
		return -errno;
	memset(&rt, 0, sizeof(rt));
	sin = (struct sockaddr_in *)&rt.rt_gateway;
	sin->sin_family = AF_INET;
	inet_pton(AF_INET, VNET_NAT_GATEWAY, &sin->sin_addr);
	((struct sockaddr_in *)&rt.rt_dst)->sin_family = AF_INET;
	((struct sockaddr_in *)&rt.rt_genmask)->sin_family = AF_INET;
	rt.rt_flags = RTF_UP | RTF_GATEWAY;
	rt.rt_dev = (char *)VNET_NAT_IF;
	return ioctl(s, SIOCADDRT, &rt) < 0 ? -errno : 0;
}

/* Write @val to the IPv6 setting @name of tap0 */
static void vnet_tap_sysctl(const char *name, const char *val)
{
	char path[96];
	int fd;

	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/%s",
		 VNET_NAT_IF, name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	if (write(fd, val, strlen(val)) < 0)
		close(fd);
	else
		close(fd);
}

/*
 * fd00::100/64 on tap0 and a default route through fd00::2; without
 * duplicate address detection (the address is usable at once) and without
 * router advertisements (no second, autoconfigured address)
 */
static int vnet_tap_config6(void)
{
	struct in6_rtmsg rt;
	struct in6_ifreq ifr6;
	int s, ret = 0;

	vnet_tap_sysctl("accept_dad", "0");
	vnet_tap_sysctl("accept_ra", "0");
	s = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -errno;
	memset(&ifr6, 0, sizeof(ifr6));
	ifr6.ifr6_ifindex = (int)if_nametoindex(VNET_NAT_IF);
	ifr6.ifr6_prefixlen = 64;
	inet_pton(AF_INET6, VNET_NAT_GUEST6, &ifr6.ifr6_addr);
	if (ioctl(s, SIOCSIFADDR, &ifr6) < 0)
		ret = -errno;
	memset(&rt, 0, sizeof(rt));
	rt.rtmsg_ifindex = ifr6.ifr6_ifindex;
	rt.rtmsg_flags = RTF_UP | RTF_GATEWAY;
	rt.rtmsg_metric = 1;
	inet_pton(AF_INET6, VNET_NAT_GATEWAY6, &rt.rtmsg_gateway);
	if (!ret && ioctl(s, SIOCADDRT, &rt) < 0)
		ret = -errno;
	close(s);
	return ret;
}

/**
 * vnet_tap_open() - Make and configure tap0 in the current namespace
 * @msg:	On failure, what went wrong for the user
 * @cap:	Size of @msg
 *
 * Return: the tap's fd, or -errno
 */
int vnet_tap_open(char *msg, size_t cap)
{
	struct ifreq ifr;
	int fd, s, ret;

	fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		snprintf(msg, cap, "--net nat needs /dev/net/tun: %s%s",
			 strerror(errno), errno == EACCES ? " (Hint: "
			 "distributions make it mode 0666: chmod 0666 "
			 "/dev/net/tun)" : "");
		return ret;
	}
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", VNET_NAT_IF);
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	ret = s < 0 ? -errno : 0;
	if (!ret && ioctl(fd, TUNSETIFF, &ifr) < 0)
		ret = -errno;
	if (!ret)
		ret = vnet_tap_config(s);
	if (!ret)
		ret = vnet_tap_config6();
	if (s >= 0)
		close(s);
	if (ret) {
		snprintf(msg, cap, "cannot set up %s for --net nat: %s",
			 VNET_NAT_IF, strerror(-ret));
		close(fd);
		return ret;
	}
	return fd;
}
