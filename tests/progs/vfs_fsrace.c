// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/progs/vfs_fsrace.c - Race the view's path walk on the file system
 *
 * Usage: vfs_fsrace swap|cwd DIR HIDDEN N [open|creat|openat2]
 *
 * swap: DIR/x is a directory holding f ("harmless"), DIR/y a symlink to
 * the directory HIDDEN (which holds f); a child swaps the two names
 * (renameat2 RENAME_EXCHANGE) without pause while this process opens
 * DIR/x/f N times.  cwd: DIR/a/x/f is harmless and DIR/b/x a symlink to
 * HIDDEN; a thread moves the shared cwd between DIR/a and DIR/b (fchdir)
 * while this thread opens the relative x/f.  The opens are open(O_RDONLY),
 * with "creat" open(O_RDONLY|O_CREAT), with "openat2" openat2().
 * Prints "leak L harmless H": how many opens read HIDDEN's f, how many
 * the harmless one.
 */
#include <fcntl.h>
#include <linux/openat2.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static volatile int stop;
static int dir_a, dir_b;

static void *flip_cwd(void *arg)
{
	(void)arg;
	while (!stop) {
		syscall(SYS_fchdir, dir_a);
		syscall(SYS_fchdir, dir_b);
	}
	return NULL;
}

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static int open_one(const char *path, const char *how)
{
	struct open_how oh = { .flags = O_RDONLY };

	if (how && !strcmp(how, "creat"))
		return open(path, O_RDONLY | O_CREAT, 0644);
	if (how && !strcmp(how, "openat2"))
		return (int)syscall(SYS_openat2, AT_FDCWD, path, &oh,
				    sizeof(oh));
	return open(path, O_RDONLY);
}

int main(int argc, char **argv)
{
	char x[2048], y[2048], path[4096], buf[64];
	int i, n, fd, leak = 0, harmless = 0;
	pthread_t flipper;
	pid_t child = 0;

	if (argc < 5 || strlen(argv[2]) > 1024)
		return 2;
	n = atoi(argv[4]);
	if (!strcmp(argv[1], "swap")) {
		snprintf(x, sizeof(x), "%s/x", argv[2]);
		snprintf(y, sizeof(y), "%s/y", argv[2]);
		mkdir(x, 0755);
		snprintf(path, sizeof(path), "%s/f", x);
		put(path, "harmless\n");
		if (symlink(argv[3], y) < 0)
			return 3;
		child = fork();
		if (child == 0)
			for (;;)
				syscall(SYS_renameat2, AT_FDCWD, x, AT_FDCWD, y,
					RENAME_EXCHANGE);
		snprintf(path, sizeof(path), "%s/x/f", argv[2]);
	} else {
		snprintf(x, sizeof(x), "%s/a/x", argv[2]);
		snprintf(path, sizeof(path), "%s/a", argv[2]);
		mkdir(path, 0755);
		mkdir(x, 0755);
		snprintf(path, sizeof(path), "%s/f", x);
		put(path, "harmless\n");
		snprintf(path, sizeof(path), "%s/b", argv[2]);
		mkdir(path, 0755);
		snprintf(y, sizeof(y), "%s/b/x", argv[2]);
		if (symlink(argv[3], y) < 0)
			return 3;
		snprintf(path, sizeof(path), "%s/a", argv[2]);
		dir_a = open(path, O_RDONLY | O_DIRECTORY);
		snprintf(path, sizeof(path), "%s/b", argv[2]);
		dir_b = open(path, O_RDONLY | O_DIRECTORY);
		pthread_create(&flipper, NULL, flip_cwd, NULL);
		strcpy(path, "x/f");
	}
	for (i = 0; i < n; i++) {
		fd = open_one(path, argv[5]);
		if (fd < 0)
			continue;
		memset(buf, 0, sizeof(buf));
		if (read(fd, buf, sizeof(buf) - 1) > 0)
			strstr(buf, "harmless") ? harmless++ : leak++;
		close(fd);
	}
	if (child > 0)
		kill(child, SIGKILL);
	else
		stop = 1;
	if (!child)
		pthread_join(flipper, NULL);
	printf("leak %d harmless %d\n", leak, harmless);
	return 0;
}
