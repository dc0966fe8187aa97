// SPDX-License-Identifier: MIT
/* facet - tests/progs/vfs_race.c: change a path while the call that passes
 * it is being checked (a TOCTOU attempt on the view)
 *
 * Usage: vfs_race thread|shared|pvwrite DIR N
 *
 * DIR holds "vis" (empty), "secret" (hidden in the view, 10 bytes) and
 * "ro/keep" (read-only in the view).  One string is flipped between a
 * harmless path and a forbidden one by another thread ("thread") or by a
 * child process through a MAP_SHARED page ("shared") or, the string in
 * this process's private memory, with process_vm_writev() ("pvwrite"),
 * while this thread
 * makes N of each call with it:
 *   open:  openat(AT_FDCWD, DIR/vis <-> DIR/secret, O_RDONLY)
 *   stat:  fstatat(dirfd DIR, "vis" <-> "secret", AT_SYMLINK_NOFOLLOW)
 *   write: openat(AT_FDCWD, DIR/vis <-> DIR/ro/keep, O_WRONLY)
 * and prints, per call, how often the forbidden file was reached and how
 * often the harmless one: natively both happen; in a view that holds, the
 * first is 0.  The raw syscall() is used so that no libc path copies.
 */
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/uio.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

struct flip {
	volatile int stop;
	volatile long flips;
	char path[256];
	char a[256], b[256];
};

static struct flip *fl;
/* where the calls read the string: fl->path, or private memory that the
 * child writes with process_vm_writev() (pvwrite) */
static char *path;
static char path_private[256];
static pid_t path_owner;

/* Put @src (a string of fl's) where the calls read it */
static void flip_store(const char *src)
{
	struct iovec local = { (void *)src, sizeof(path_private) };
	struct iovec remote = { path, sizeof(path_private) };

	if (path_owner)
		process_vm_writev(path_owner, &local, 1, &remote, 1, 0);
	else
		memcpy(path, src, sizeof(fl->path));
}

/* Each string stays a while, so that natively a call sees either */
static void flip_hold(void)
{
	__asm__ volatile("" ::: "memory");	/* the store happens */
	for (volatile int spin = 0; spin < 300; spin++)
		;
}

static void flip_loop(void)
{
	while (!fl->stop) {
		flip_store(fl->b);
		flip_hold();
		flip_store(fl->a);
		flip_hold();
		fl->flips++;
	}
}

/* Wait until the other side flips (it may not have run yet) */
static void flip_started(void)
{
	long seen = fl->flips;

	while (fl->flips == seen)
		sched_yield();
}

static void *flip_thread(void *arg)
{
	(void)arg;
	flip_loop();
	return NULL;
}

/* What @fd, an open file, is: 1 the forbidden one, 0 the harmless one */
static int forbidden_fd(int fd, const char *mark)
{
	char buf[16] = { 0 };

	if (read(fd, buf, sizeof(buf) - 1) < 0)
		return 0;
	return !strncmp(buf, mark, strlen(mark));
}

static void set_pair(const char *a, const char *b)
{
	memset(fl->a, 0, sizeof(fl->a));
	memset(fl->b, 0, sizeof(fl->b));
	strncpy(fl->a, a, sizeof(fl->a) - 1);
	strncpy(fl->b, b, sizeof(fl->b) - 1);
	memcpy(path, fl->a, sizeof(fl->path));
}

int main(int argc, char **argv)
{
	char vis[300], secret[300], keep[300];
	long n, i, bad, good;
	pthread_t thread;
	pid_t child = 0;
	struct stat st;
	int dirfd, fd;

	if (argc != 4 || (strcmp(argv[1], "thread") &&
			  strcmp(argv[1], "shared") && strcmp(argv[1], "pvwrite"))) {
		fprintf(stderr, "usage: vfs_race thread|shared|pvwrite DIR N\n");
		return 2;
	}
	n = atol(argv[3]);
	snprintf(vis, sizeof(vis), "%s/vis", argv[2]);
	snprintf(secret, sizeof(secret), "%s/secret", argv[2]);
	snprintf(keep, sizeof(keep), "%s/ro/keep", argv[2]);
	dirfd = open(argv[2], O_RDONLY | O_DIRECTORY);
	if (dirfd < 0) {
		perror(argv[2]);
		return 2;
	}
	fl = mmap(NULL, sizeof(*fl), PROT_READ | PROT_WRITE,
		  argv[1][0] != 't' ? MAP_SHARED | MAP_ANONYMOUS :
				      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (fl == MAP_FAILED) {
		perror("mmap");
		return 2;
	}
	path = argv[1][0] == 'p' ? path_private : fl->path;
	set_pair(vis, secret);
	if (argv[1][0] != 't') {
		pid_t parent = getpid();

		/* let the child write here under Yama's ptrace_scope 1 */
		prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY);
		child = fork();
		if (child == 0) {
			if (argv[1][0] == 'p')
				path_owner = parent;
			flip_loop();
			_exit(0);
		}
	} else {
		pthread_create(&thread, NULL, flip_thread, NULL);
	}

	flip_started();
	for (bad = good = i = 0; i < n; i++) {
		fd = syscall(SYS_openat, AT_FDCWD, path, O_RDONLY);
		if (fd >= 0) {
			if (forbidden_fd(fd, "SECRET"))
				bad++;
			else
				good++;
			close(fd);
		}
	}
	printf("open: forbidden %ld, harmless %ld\n", bad, good);

	set_pair("vis", "secret");
	flip_started();
	for (bad = good = i = 0; i < n; i++) {
		if (syscall(SYS_newfstatat, dirfd, path, &st,
			    AT_SYMLINK_NOFOLLOW) == 0) {
			if (st.st_size == 10)
				bad++;
			else
				good++;
		}
	}
	printf("stat: forbidden %ld, harmless %ld\n", bad, good);

	set_pair(vis, keep);
	flip_started();
	for (bad = good = i = 0; i < n; i++) {
		fd = syscall(SYS_openat, AT_FDCWD, path, O_WRONLY);
		if (fd >= 0) {
			if (fstat(fd, &st) == 0 && st.st_size > 0)
				bad++;	/* ro/keep is the file with content */
			else
				good++;
			close(fd);
		}
	}
	printf("write: forbidden %ld, harmless %ld\n", bad, good);

	fl->stop = 1;
	if (child)
		waitpid(child, NULL, 0);
	else
		pthread_join(thread, NULL);
	return 0;
}
