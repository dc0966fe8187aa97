// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/progs/vfs_baserace.c - Move the base of a relative path while it
 * is checked: the cwd (fchdir) or a dirfd's number (dup2) switched by
 * another thread between two directories that both hold NAME
 *
 * Usage: vfs_baserace cwd|dirfd[-proc] OKDIR BADDIR NAME N CALL
 *
 * OKDIR/NAME is harmless; BADDIR/NAME is hidden (or read-only) in the
 * view.  A thread switches the cwd (cwd) or fd 100 (dirfd) between the two
 * directories without pause while this thread makes N calls on the
 * relative NAME (from AT_FDCWD or fd 100).  With -proc the switcher is a
 * process of its own that shares the cwd and the fd table but not the
 * memory (clone with CLONE_FS | CLONE_FILES).  CALL:
 *   open:   openat(O_RDONLY), then read
 *   opath:  openat(O_PATH), then fstat
 *   stat:   fstatat(0)
 *   lstat:  fstatat(AT_SYMLINK_NOFOLLOW)
 *   write:  openat(O_WRONLY|O_APPEND), then write "X"
 * Prints "leak L harmless H": how many calls reached BADDIR/NAME (its
 * content, or its size: BADDIR/NAME must be 10 bytes, OKDIR/NAME of
 * another size; for write, how many opens BADDIR/NAME took: see its size
 * afterwards), how many OKDIR/NAME.  Natively both happen.
 */
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define BASE_FD	100

static volatile int stop;
static int ok_dir, bad_dir, by_dirfd;

static void *switcher(void *arg)
{
	(void)arg;
	while (!stop) {
		if (by_dirfd) {
			syscall(SYS_dup2, bad_dir, BASE_FD);
			syscall(SYS_dup2, ok_dir, BASE_FD);
		} else {
			syscall(SYS_fchdir, bad_dir);
			syscall(SYS_fchdir, ok_dir);
		}
	}
	return NULL;
}

static int switcher_proc(void *arg)
{
	switcher(arg);
	return 0;
}

/* 1: BADDIR/NAME reached, 0: OKDIR/NAME, -1: the call failed */
static int one(int at, const char *name, const char *call, struct stat *ok)
{
	struct stat st;
	char buf[64];
	ssize_t n;
	int fd;

	if (!strcmp(call, "stat") || !strcmp(call, "lstat")) {
		if (syscall(SYS_newfstatat, at, name, &st,
			    call[0] == 'l' ? AT_SYMLINK_NOFOLLOW : 0) < 0)
			return -1;
		return st.st_ino != ok->st_ino;
	}
	if (!strcmp(call, "write"))
		fd = (int)syscall(SYS_openat, at, name, O_WRONLY | O_APPEND);
	else
		fd = (int)syscall(SYS_openat, at, name,
				  !strcmp(call, "opath") ? O_PATH : O_RDONLY);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0) {
		close(fd);
		return -1;
	}
	if (!strcmp(call, "open")) {
		n = read(fd, buf, sizeof(buf) - 1);
		buf[n > 0 ? n : 0] = '\0';
		if (strstr(buf, "TOPSECRET"))
			printf("read %s", buf);
	} else if (!strcmp(call, "write")) {
		if (write(fd, "X", 1) < 0)
			perror("write");
	}
	close(fd);
	return st.st_ino != ok->st_ino;
}

int main(int argc, char **argv)
{
	static char stack[64 * 1024];
	int i, n, at, leak = 0, harmless = 0;
	pid_t proc = 0;
	struct stat ok;
	pthread_t t;
	char path[4096];

	if (argc != 7)
		return 2;
	by_dirfd = !strncmp(argv[1], "dirfd", 5);
	n = atoi(argv[5]);
	ok_dir = open(argv[2], O_RDONLY | O_DIRECTORY);
	bad_dir = open(argv[3], O_RDONLY | O_DIRECTORY);
	snprintf(path, sizeof(path), "%s/%s", argv[2], argv[4]);
	if (ok_dir < 0 || bad_dir < 0 || stat(path, &ok) < 0 ||
	    dup2(ok_dir, BASE_FD) < 0 || fchdir(ok_dir) < 0) {
		perror("setup");
		return 2;
	}
	at = by_dirfd ? BASE_FD : AT_FDCWD;
	if (strstr(argv[1], "-proc"))
		proc = clone(switcher_proc, stack + sizeof(stack),
			     CLONE_FS | CLONE_FILES | SIGCHLD, NULL);
	else
		pthread_create(&t, NULL, switcher, NULL);
	if (proc < 0) {
		perror("clone");
		return 2;
	}
	for (i = 0; i < n; i++) {
		int r = one(at, argv[4], argv[6], &ok);

		if (r > 0)
			leak++;
		else if (!r)
			harmless++;
	}
	stop = 1;
	if (proc) {
		kill(proc, SIGKILL);
		waitpid(proc, NULL, 0);
	} else {
		pthread_join(t, NULL);
	}
	printf("leak %d harmless %d\n", leak, harmless);
	return 0;
}
