// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vnet/vnet_ns.c - Enter a new network namespace, loopback up
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "vnet.h"

/* Write @text to /proc/self/@file */
static int vnet_ns_write(const char *file, const char *text)
{
	char path[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/self/%s", file);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, text, strlen(text));
	n = n < 0 ? -errno : 0;
	close(fd);
	return (int)n;
}

/* Map the user (uid and gid) to root in the new user namespace */
static int vnet_ns_map(uid_t uid, gid_t gid)
{
	char map[64];
	int ret;

	ret = vnet_ns_write("setgroups", "deny");
	if (ret < 0 && ret != -ENOENT)
		return ret;
	snprintf(map, sizeof(map), "0 %u 1\n", (unsigned)uid);
	ret = vnet_ns_write("uid_map", map);
	if (ret < 0)
		return ret;
	snprintf(map, sizeof(map), "0 %u 1\n", (unsigned)gid);
	return vnet_ns_write("gid_map", map);
}

/* Bring interface @name up */
static int vnet_ns_up(const char *name)
{
	struct ifreq ifr;
	int fd, ret = 0;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		ret = -errno;
	ifr.ifr_flags |= IFF_UP;
	if (!ret && ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

/**
 * vnet_ns_enter() - Move the calling process into a new network namespace
 * @msg:	On failure, what went wrong for the user
 * @cap:	Size of @msg
 *
 * An ordinary user gets a user namespace too, in which it is root, so that
 * the namespace's sockets can be made and configured; root needs none.
 * Must be called single-threaded.
 *
 * Return: 0 or -errno
 */
int vnet_ns_enter(char *msg, size_t cap)
{
	uid_t uid = geteuid();
	gid_t gid = getegid();
	int ret;

	if (uid && unshare(CLONE_NEWUSER | CLONE_NEWNET) < 0) {
		ret = -errno;
		snprintf(msg, cap, "cannot make a user and network namespace: "
			 "%s (Hint: check sysctl user.max_user_namespaces "
			 "and kernel.unprivileged_userns_clone)",
			 strerror(errno));
		return ret;
	}
	if (!uid && unshare(CLONE_NEWNET) < 0) {
		ret = -errno;
		snprintf(msg, cap, "cannot make a network namespace: %s",
			 strerror(errno));
		return ret;
	}
	ret = uid ? vnet_ns_map(uid, gid) : 0;
	if (ret < 0) {
		snprintf(msg, cap, "cannot map the user into the new user "
			 "namespace: %s", strerror(-ret));
		return ret;
	}
	ret = vnet_ns_up("lo");
	if (ret < 0)
		snprintf(msg, cap, "cannot bring up lo in the new network "
			 "namespace: %s", strerror(-ret));
	return ret;
}
