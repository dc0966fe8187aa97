// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vnet/vnet_dir.c - The runtime directory that holds keeper sockets
 *
 * $XDG_RUNTIME_DIR/facet/net, or /tmp/facet-UID/net when XDG_RUNTIME_DIR is
 * unset.  Every level facet makes is 0700 and must belong to the user: a
 * directory someone else made (or opened up) is refused, since whoever
 * controls it could stand in for a keeper.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vnet.h"

/* Make @path (0700) unless it exists; check owner and mode */
static int vnet_dir_level(const char *path, struct facet_err *err)
{
	struct stat st;

	if (mkdir(path, 0700) < 0 && errno != EEXIST)
		return facet_err_set(err, errno, "vnet: cannot make %s: %s",
				     path, strerror(errno));
	if (lstat(path, &st) < 0)
		return facet_err_set(err, errno, "vnet: %s: %s", path,
				     strerror(errno));
	if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid())
		return facet_err_set(err, EPERM, "vnet: %s is not a directory "
				     "of yours: remove it or set "
				     "XDG_RUNTIME_DIR", path);
	if (st.st_mode & 077)
		return facet_err_set(err, EPERM, "vnet: %s is open to other "
				     "users: chmod 700 it", path);
	return 0;
}

/**
 * vnet_dir() - Find (and make) the user's keeper directory
 * @buf:	Its path
 * @cap:	Size of @buf
 * @err:	Filled in on failure
 *
 * Return: 0 or -errno
 */
int vnet_dir(char *buf, size_t cap, struct facet_err *err)
{
	const char *xdg = getenv("XDG_RUNTIME_DIR");
	char base[256];
	int ret;

	if (xdg && xdg[0] == '/')
		ret = snprintf(base, sizeof(base), "%s/facet", xdg);
	else
		ret = snprintf(base, sizeof(base), "/tmp/facet-%u",
			       (unsigned)geteuid());
	if (ret < 0 || (size_t)ret >= sizeof(base) ||
	    (size_t)snprintf(buf, cap, "%s/net", base) >= cap)
		return facet_err_set(err, ENAMETOOLONG, "vnet: XDG_RUNTIME_DIR "
				     "is too long for a socket path");
	ret = vnet_dir_level(base, err);
	if (ret < 0)
		return ret;
	return vnet_dir_level(buf, err);
}

/**
 * vnet_sock_path() - DIR/NAME.SUFFIX, checked against the sun_path limit
 *
 * Return: 0 or -ENAMETOOLONG
 */
int vnet_sock_path(char *buf, size_t cap, const char *dir, const char *name,
		   const char *suffix)
{
	int n = snprintf(buf, cap, "%s/%s.%s", dir, name, suffix);

	if (n < 0 || (size_t)n >= cap || (size_t)n >= VNET_PATH_MAX)
		return -ENAMETOOLONG;
	return 0;
}
