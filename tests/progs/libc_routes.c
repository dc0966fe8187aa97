// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/progs/libc_routes.c - libc functions that make their syscalls
 * inside libc, each tried against a view
 *
 * Usage: libc_routes DIR
 * DIR holds "secret" (to be hidden) and "ro/keep" (in a read-only tree).
 * Prints one line per route: what the call returned (an errno name, or
 * "seen"/"not seen" for listings).  Under a view that hides DIR/secret,
 * makes DIR/ro read-only and moves the clock to 2038, every line must be
 * the view's answer, under either backend.  Then, under --root, the first
 * user getpwent() gives and whether daemon() left the process in "/".
 * With --spawn DIR GUEST: posix_spawn()'s file actions (see below).
 */
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <fts.h>
#include <glob.h>
#include <pwd.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/timeb.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char path[4096];

static const char *at(const char *dir, const char *name)
{
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return path;
}

/* "0" or the errno's name */
static void report(const char *what, long ret)
{
	printf("%s: %s\n", what, ret < 0 ? strerrorname_np(errno) : "0");
}

/* 0 for a stream (closed again), -1 for none */
static long stream(FILE *f)
{
	if (!f)
		return -1;
	fclose(f);
	return 0;
}

static void seen(const char *what, int found)
{
	printf("%s: %s\n", what, found ? "seen" : "not seen");
}

static void by_handle(const char *dir)
{
	void *libc = dlopen("libc.so.6", RTLD_NOW | RTLD_NOLOAD);
	int (*op)(const char *, int) = (int (*)(const char *, int))
		dlsym(libc, "open");
	int (*vop)(const char *, int) = (int (*)(const char *, int))
		dlvsym(libc, "open", "GLIBC_2.2.5");
	long (*sc)(long, ...) = (long (*)(long, ...))dlsym(libc, "syscall");

	report("dlsym(libc, open)", op(at(dir, "secret"), O_RDONLY));
	report("dlvsym(libc, open)", vop(at(dir, "secret"), O_RDONLY));
	report("dlsym(libc, syscall) openat",
	       sc(SYS_openat, AT_FDCWD, at(dir, "secret"), O_RDONLY));
}

/* libc's time() is an IFUNC: dlsym() on libc's handle gives the vDSO's */
static void clock_by_handle(void)
{
	void *libc = dlopen("libc.so.6", RTLD_NOW | RTLD_NOLOAD);
	time_t (*tm)(time_t *) = (time_t (*)(time_t *))dlsym(libc, "time");
	time_t now = tm(NULL);

	printf("dlsym(libc, time) year: %d\n", gmtime(&now)->tm_year + 1900);
}

static int has_secret(const char *name)
{
	return !strcmp(name, "secret");
}

static int scan_pick(const struct dirent *e)
{
	return has_secret(e->d_name);
}

static void listings(const char *dir)
{
	struct dirent entry, *e, **list;
	char buf[8192];
	off_t base = 0;
	glob64_t g;
	int found = 0, n, fd;
	long len, off;
	DIR *d;

	d = opendir(dir);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
	while (d && !readdir_r(d, &entry, &e) && e)
		found |= has_secret(e->d_name);
#pragma GCC diagnostic pop
	if (d)
		closedir(d);
	seen("readdir_r", found);

	n = scandirat(AT_FDCWD, dir, &list, scan_pick, NULL);
	seen("scandirat", n > 0);

	found = 0;
	fd = open(dir, O_RDONLY | O_DIRECTORY);
	while ((len = getdirentries(fd, buf, sizeof(buf), &base)) > 0)
		for (off = 0; off < len;
		     off += ((struct dirent *)(buf + off))->d_reclen)
			found |= has_secret(((struct dirent *)(buf + off))->d_name);
	close(fd);
	seen("getdirentries", found);

	seen("glob64", !glob64(at(dir, "secre*"), 0, NULL, &g));

	found = 0;
	{
		char *const roots[] = { (char *)dir, NULL };
		FTS *f = fts_open(roots, FTS_PHYSICAL, NULL);
		FTSENT *ent;

		while (f && (ent = fts_read(f)))
			found |= has_secret(ent->fts_name);
		if (f)
			fts_close(f);
	}
	seen("fts_read", found);
	report("ftok", ftok(at(dir, "secret"), 1));
}

static void writes(const char *dir)
{
	char tmpl[4096];

	report("remove", remove(at(dir, "ro/keep")));
	report("mkfifo", mkfifo(at(dir, "ro/fifo"), 0600));
	report("lchmod", lchmod(at(dir, "ro/keep"), 0600));
	report("futimesat", futimesat(AT_FDCWD, at(dir, "ro/keep"), NULL));
	snprintf(tmpl, sizeof(tmpl), "%s/ro/tXXXXXX.c", dir);
	report("mkstemps64", mkstemps64(tmpl, 2));
	snprintf(tmpl, sizeof(tmpl), "%s/ro/tXXXXXX", dir);
	report("mkostemp", mkostemp(tmpl, O_CLOEXEC));
	report("fopen w", stream(fopen(at(dir, "ro/keep"), "w")));
	report("fopen a+", stream(fopen(at(dir, "ro/keep"), "a+")));
	report("fopen r", stream(fopen(at(dir, "secret"), "r")));
	report("eaccess", eaccess(at(dir, "secret"), F_OK));
	report("euidaccess", euidaccess(at(dir, "ro/keep"), W_OK));
}

static void clocks(void)
{
	struct timespec ts;
	struct timeb tb;

	timespec_get(&ts, TIME_UTC);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
	ftime(&tb);
#pragma GCC diagnostic pop
	printf("timespec_get year: %d\n", gmtime(&ts.tv_sec)->tm_year + 1900);
	printf("ftime year: %d\n", gmtime(&tb.time)->tm_year + 1900);
}

/*
 * One posix_spawn() of "sh -c 'pwd; cat'" with the file actions @fa:
 * prints "@what: RESULT", then what the child wrote (through a pipe, so
 * the order is the same however the two are scheduled).
 */
static int spawn_run(posix_spawn_file_actions_t *fa, const char *what)
{
	char *argv[] = { "sh", "-c", "pwd; cat", NULL };
	extern char **environ;
	char buf[512];
	int ret, status, p[2];
	ssize_t n;
	pid_t pid;

	if (pipe(p) < 0)
		return 1;
	posix_spawn_file_actions_adddup2(fa, p[1], 1);
	posix_spawn_file_actions_addclose(fa, p[0]);
	ret = posix_spawn(&pid, "/bin/sh", fa, NULL, argv, environ);
	close(p[1]);
	printf("%s: %s\n", what, ret ? strerrorname_np(ret) : "0");
	fflush(stdout);
	while ((n = read(p[0], buf, sizeof(buf))) > 0)
		fwrite(buf, 1, (size_t)n, stdout);
	fflush(stdout);
	close(p[0]);
	if (!ret)
		waitpid(pid, &status, 0);
	return 0;
}

/*
 * posix_spawn()'s file actions: an open of DIR/secret, then a chdir to
 * GUEST (a --bind's guest path) and a relative open of ro/keep there
 */
static int spawn_actions(const char *dir, const char *guest)
{
	posix_spawn_file_actions_t fa;
	int ret;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, at(dir, "secret"),
					 O_RDONLY, 0);
	ret = spawn_run(&fa, "posix_spawn open");
	posix_spawn_file_actions_destroy(&fa);

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addchdir_np(&fa, guest);
	posix_spawn_file_actions_addopen(&fa, 0, "ro/keep", O_RDONLY, 0);
	ret = spawn_run(&fa, "posix_spawn chdir+open");
	posix_spawn_file_actions_destroy(&fa);
	return ret;
}

/* under --root: the guest's passwd, and daemon()'s "/" is the guest's */
static int in_root(void)
{
	struct passwd *pw = getpwent();
	char cwd[4096];
	FILE *out;

	printf("getpwent: %s\n", pw ? pw->pw_name : "none");
	fflush(stdout);
	/* from elsewhere, so that a "/" the view did not see shows */
	if (chdir("/etc") < 0 || daemon(0, 1) < 0)
		return 1;
	out = fopen("/daemon-cwd", "w");
	if (!out)
		return 1;
	fprintf(out, "%s\n", getcwd(cwd, sizeof(cwd)) ? cwd : "?");
	fclose(out);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "--root"))
		return in_root();
	if (argc == 4 && !strcmp(argv[1], "--spawn"))
		return spawn_actions(argv[2], argv[3]);
	if (argc != 2) {
		fprintf(stderr, "usage: libc_routes DIR | --root | "
			"--spawn DIR GUEST\n");
		return 2;
	}
	by_handle(argv[1]);
	listings(argv[1]);
	writes(argv[1]);
	clocks();
	clock_by_handle();
	return 0;
}
