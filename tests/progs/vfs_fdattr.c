// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/progs/vfs_fdattr.c - Change a file's attributes through an fd
 *
 * Usage: vfs_fdattr FILE OTHER N
 *   Through an fd of FILE opened read-only: the attribute ioctls
 *   (FS_IOC_SETFLAGS with FS_NODUMP_FL, FS_IOC_FSSETXATTR, the same on
 *   FILE's directory), fchmod, fchown, fsetxattr, fremovexattr; one line
 *   each, "NAME: ok" or "NAME: ERRNO TEXT".  Then N times fchmod(),
 *   fchmodat2(AT_EMPTY_PATH) and futimens() on an fd number another
 *   thread keeps switching between OTHER and FILE (dup2): "race: K of N
 *   ok" (K: all three worked).  What changed is seen from outside.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <linux/fs.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <unistd.h>

#define RACE_FD	100

#ifndef SYS_fchmodat2
#define SYS_fchmodat2	452
#endif

static volatile int race_stop;
static int race_file, race_other;

static void say(const char *what, long ret)
{
	if (ret < 0)
		printf("%s: %s\n", what, strerror(errno));
	else
		printf("%s: ok\n", what);
}

static void *race_flipper(void *arg)
{
	(void)arg;
	while (!race_stop) {
		dup2(race_file, RACE_FD);
		dup2(race_other, RACE_FD);
	}
	return NULL;
}

/* The attribute calls through @fd, a read-only fd of a file or directory */
static void attrs(const char *what, int fd)
{
	char label[64];
	struct fsxattr fx;
	int flags = FS_NODUMP_FL;

	snprintf(label, sizeof(label), "%s FS_IOC_SETFLAGS", what);
	say(label, ioctl(fd, FS_IOC_SETFLAGS, &flags));
	memset(&fx, 0, sizeof(fx));
	ioctl(fd, FS_IOC_FSGETXATTR, &fx);
	fx.fsx_xflags |= FS_XFLAG_NODUMP;
	snprintf(label, sizeof(label), "%s FS_IOC_FSSETXATTR", what);
	say(label, ioctl(fd, FS_IOC_FSSETXATTR, &fx));
}

int main(int argc, char **argv)
{
	char dir[4096];
	pthread_t t;
	int fd, dfd, i, n, ok = 0;

	if (argc != 4) {
		fprintf(stderr, "usage: vfs_fdattr FILE OTHER N\n");
		return 2;
	}
	n = atoi(argv[3]);
	snprintf(dir, sizeof(dir), "%s", argv[1]);
	fd = open(argv[1], O_RDONLY);
	dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY);
	if (fd < 0 || dfd < 0) {
		perror(argv[1]);
		return 1;
	}
	attrs("file", fd);
	attrs("directory", dfd);
	say("fchmod", fchmod(fd, 0600));
	say("fchown", fchown(fd, getuid(), getgid()));
	say("fsetxattr", fsetxattr(fd, "user.facet", "x", 1, 0));
	say("fremovexattr", fremovexattr(fd, "user.facet"));
	race_file = fd;
	race_other = open(argv[2], O_RDONLY);
	if (race_other < 0 || dup2(race_other, RACE_FD) < 0) {
		perror(argv[2]);
		return 1;
	}
	pthread_create(&t, NULL, race_flipper, NULL);
	for (i = 0; i < n; i++) {
		mode_t mode = i & 1 ? 0606 : 0604;

		ok += fchmod(RACE_FD, mode) == 0 &&
		      syscall(SYS_fchmodat2, RACE_FD, "", mode,
			      AT_EMPTY_PATH) == 0 &&
		      futimens(RACE_FD, NULL) == 0;
	}
	race_stop = 1;
	pthread_join(t, NULL);
	printf("race: %d of %d ok\n", ok, n);
	return 0;
}
