// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/progs/vfs_escape.c - Try to read a file the view hides
 *
 * Usage: vfs_escape DIR NAME TMP MARK
 *   DIR/NAME is the secret file as the program would name it, TMP a
 *   writable directory, MARK the secret's content.  Every attempt prints
 *   "N name: blocked" or "N name: LEAK"; the status is the number of leaks.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static const char *dir, *name, *tmp, *mark;
static int leaks, nr;

/* Does fd @fd (consumed) read the mark? */
static int reads_mark(int fd)
{
	char buf[256];
	ssize_t n;

	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	return strstr(buf, mark) != NULL;
}

static void report(const char *what, int leaked)
{
	printf("%d %s: %s\n", ++nr, what, leaked ? "LEAK" : "blocked");
	leaks += leaked;
}

static char *cat(const char *a, const char *b)
{
	static char bufs[8][4096];
	static int i;
	char *p = bufs[i++ & 7];

	snprintf(p, 4096, "%s/%s", a, b);
	return p;
}

static int o2(int dfd, const char *p, unsigned long long resolve)
{
	struct open_how how = { .flags = O_RDONLY, .resolve = resolve };

	return syscall(SYS_openat2, dfd, p, &how, sizeof(how));
}

/* Does a raw getdents64 with a large buffer list @nm in @d? */
static int dents_sees(const char *d, const char *nm)
{
	static char buf[1 << 20];
	int fd = open(d, O_RDONLY | O_DIRECTORY), seen = 0;
	long n, off;

	while (fd >= 0 && (n = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0)
		for (off = 0; off < n;) {
			unsigned short reclen;

			memcpy(&reclen, buf + off + 16, sizeof(reclen));
			seen |= !strcmp(buf + off + 19, nm);
			off += reclen;
		}
	if (fd >= 0)
		close(fd);
	return seen;
}

static void attempts_paths(const char *secret)
{
	char buf[4096], cwd[4096];
	struct stat st;
	int dfd;

	report("open", reads_mark(open(secret, O_RDONLY)));
	report("dot-dot through a subdir",
	       reads_mark(open(cat(cat(dir, "sub/.."), name), O_RDONLY)));
	snprintf(buf, sizeof(buf), "%.2000s//./%.1000s", dir, name);
	report("extra slashes and dots", reads_mark(open(buf, O_RDONLY)));
	dfd = open(dir, O_RDONLY | O_DIRECTORY);
	report("openat with a dirfd", reads_mark(openat(dfd, name, O_RDONLY)));
	report("openat2", reads_mark(o2(dfd, name, 0)));
	report("openat2 RESOLVE_BENEATH",
	       reads_mark(o2(dfd, name, RESOLVE_BENEATH)));
	report("openat2 RESOLVE_IN_ROOT",
	       reads_mark(o2(dfd, name, RESOLVE_IN_ROOT)));
	report("openat2 RESOLVE_NO_SYMLINKS absolute",
	       reads_mark(o2(AT_FDCWD, secret, RESOLVE_NO_SYMLINKS)));
	snprintf(buf, sizeof(buf), "/proc/self/fd/%d/%.2000s", dfd, name);
	report("/proc/self/fd/N/name", reads_mark(open(buf, O_RDONLY)));
	snprintf(buf, sizeof(buf), "/dev/fd/%d/%.2000s", dfd, name);
	report("/dev/fd/N/name", reads_mark(open(buf, O_RDONLY)));
	snprintf(buf, sizeof(buf), "/proc/thread-self/root%.3000s", secret);
	report("/proc/thread-self/root", reads_mark(open(buf, O_RDONLY)));
	snprintf(buf, sizeof(buf), "/proc/self/root%.3000s", secret);
	report("/proc/self/root", reads_mark(open(buf, O_RDONLY)));
	snprintf(buf, sizeof(buf), "/proc/%d/root%.3000s", getppid(), secret);
	report("/proc/PPID/root", reads_mark(open(buf, O_RDONLY)));
	snprintf(buf, sizeof(buf), "/proc/1/root%.3000s", secret);
	report("/proc/1/root", reads_mark(open(buf, O_RDONLY)));
	snprintf(buf, sizeof(buf), "/../../../..%.3000s", secret);
	report("leading dot-dots", reads_mark(open(buf, O_RDONLY)));
	report("stat", stat(secret, &st) == 0);
	report("statx", syscall(SYS_statx, AT_FDCWD, secret, 0, 0x7ff,
				buf) == 0);
	report("faccessat2", syscall(SYS_faccessat2, AT_FDCWD, secret, R_OK,
				     0) == 0);
	report("O_PATH then /proc/self/fd",
	       ({ int p = open(secret, O_PATH);
		  snprintf(buf, sizeof(buf), "/proc/self/fd/%d", p);
		  p >= 0 && reads_mark(open(buf, O_RDONLY)); }));
	if (getcwd(cwd, sizeof(cwd)) && chdir(dir) == 0) {
		report("chdir then relative", reads_mark(open(name, O_RDONLY)));
		report("/proc/self/cwd",
		       reads_mark(open(cat("/proc/self/cwd", name), O_RDONLY)));
		if (chdir(cwd) < 0)
			perror("chdir");
	}
	unlink(cat(tmp, "abs"));
	if (symlink(secret, cat(tmp, "abs")) == 0)
		report("absolute symlink",
		       reads_mark(open(cat(tmp, "abs"), O_RDONLY)));
	snprintf(buf, sizeof(buf), "../../../../../../../..%.3000s", secret);
	unlink(cat(tmp, "rel"));
	if (symlink(buf, cat(tmp, "rel")) == 0)
		report("relative symlink",
		       reads_mark(open(cat(tmp, "rel"), O_RDONLY)));
	unlink(cat(tmp, "dirlink"));
	if (symlink(dir, cat(tmp, "dirlink")) == 0)
		report("symlink to the directory",
		       reads_mark(open(cat(cat(tmp, "dirlink"), name),
				       O_RDONLY)));
	report("hard link", link(secret, cat(tmp, "hard")) == 0 ||
	       reads_mark(open(cat(tmp, "hard"), O_RDONLY)));
	report("linkat AT_SYMLINK_FOLLOW",
	       linkat(AT_FDCWD, cat(tmp, "abs"), AT_FDCWD, cat(tmp, "hard2"),
		      AT_SYMLINK_FOLLOW) == 0);
	report("rename out", rename(secret, cat(tmp, "moved")) == 0 ||
	       reads_mark(open(cat(tmp, "moved"), O_RDONLY)));
	report("unlink", unlink(secret) == 0);
	report("execve", ({ char *av[] = { (char *)secret, NULL };
			    execve(secret, av, NULL); errno != ENOENT; }));
	report("name_to_handle_at",
	       ({ char h[256] = { 0 }; int mnt;
		  *(unsigned *)h = 128;
		  syscall(SYS_name_to_handle_at, AT_FDCWD, secret, h, &mnt,
			  0) == 0; }));
	report("readlink of a symlink to it, then open",
	       ({ ssize_t n = readlink(cat(tmp, "abs"), buf, 4095);
		  n > 0 && (buf[n] = 0, reads_mark(open(buf, O_RDONLY))); }));
	report("directory listing",
	       ({ DIR *d = opendir(dir); struct dirent *e; int seen = 0;
		  while (d && (e = readdir(d)))
			  seen |= !strcmp(e->d_name, name);
		  if (d)
			  closedir(d);
		  seen; }));
	report("getdents64 with a 1 MiB buffer", dents_sees(dir, name));
	report("io_uring_setup", ({ char p[120] = { 0 };
		  long fd = syscall(SYS_io_uring_setup, 4, p);
		  if (fd >= 0)
			  close(fd);
		  fd >= 0 || errno != ENOSYS; }));
	close(dfd);
}

int main(int argc, char **argv)
{
	if (argc != 5) {
		fprintf(stderr, "usage: vfs_escape DIR NAME TMP MARK\n");
		return 2;
	}
	dir = argv[1];
	name = argv[2];
	tmp = argv[3];
	mark = argv[4];
	static char secret[4096];

	snprintf(secret, sizeof(secret), "%s/%s", dir, name);
	attempts_paths(secret);
	return leaks;
}
