// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/progs/preload_paths.c - Reach one file through every kind of path
 *
 * Usage: preload_paths FILE DIR
 * Prints the first line of FILE read through fopen(), syscall(SYS_openat)
 * and an inline `syscall` instruction, then the sorted names in DIR read
 * through opendir()/readdir(), and what realpath() says of FILE.  Each line
 * starts with the way it was read; failures print "ERR <errno name>".
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static void show_fd(const char *how, long fd)
{
	char buf[256];
	ssize_t n;

	if (fd < 0) {
		printf("%s ERR %s\n", how, strerrorname_np((int)-fd));
		return;
	}
	n = read((int)fd, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	printf("%s %s\n", how, buf);
	close((int)fd);
}

/* openat through a syscall instruction of this program, not libc's */
static long raw_openat(const char *path)
{
	register long r10 __asm__("r10") = 0;
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"((long)SYS_openat), "D"((long)AT_FDCWD),
			   "S"(path), "d"((long)O_RDONLY), "r"(r10)
			 : "rcx", "r11", "memory");
	return ret;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
	char line[256], *names[64], real[PATH_MAX];
	struct dirent *de;
	int n = 0, i;
	long fd;
	DIR *d;
	FILE *f;

	if (argc < 3)
		return 2;
	f = fopen(argv[1], "r");
	if (f && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		printf("fopen %s\n", line);
	} else {
		printf("fopen ERR %s\n", strerrorname_np(errno));
	}
	if (f)
		fclose(f);
	fd = syscall(SYS_openat, AT_FDCWD, argv[1], O_RDONLY);
	show_fd("syscall", fd < 0 ? -errno : fd);
	show_fd("asm", raw_openat(argv[1]));
	d = opendir(argv[2]);
	if (!d) {
		printf("opendir ERR %s\n", strerrorname_np(errno));
	} else {
		while ((de = readdir(d)) && n < 64)
			if (de->d_name[0] != '.')
				names[n++] = strdup(de->d_name);
		closedir(d);
		qsort(names, n, sizeof(names[0]), cmp);
		printf("opendir");
		for (i = 0; i < n; i++)
			printf(" %s", names[i]);
		printf("\n");
	}
	if (realpath(argv[1], real))
		printf("realpath ok\n");
	else
		printf("realpath ERR %s\n", strerrorname_np(errno));
	return 0;
}
