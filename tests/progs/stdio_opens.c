// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/progs/stdio_opens.c - fopen(), mkstemp() and eaccess() against a
 * view, which the preload shim serves through its own wrappers
 *
 * Usage: stdio_opens modes FILE DIR
 *	One line per fopen() mode: the fd's open flags, close-on-exec, the
 *	stream's first position and whether a write went through, or the
 *	errno's name; then mkstemp()'s and its kind's results in DIR (the
 *	file's mode, the suffix kept, a template without six X) and
 *	eaccess() of FILE.  FILE holds some bytes; it is rewritten.
 *        stdio_opens repeat N FILE DIR
 *	N times: fopen(FILE, "r"), getc() (stdio's fstat of the stream)
 *	and fclose(), mkstemp() in DIR and unlink(), eaccess(FILE, R_OK),
 *	getcwd(): for counting the calls modules see.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const modes[] = {
	"r", "w", "a", "r+", "w+", "a+", "re", "wx", "rb", "a+e", "wbx",
	"z", "r,ccs=UTF-8", "rm", "rc",
};

static void one_mode(const char *file, const char *mode)
{
	FILE *f = fopen(file, mode);
	long pos;
	int fl;

	if (!f) {
		printf("fopen %s: %s\n", mode, strerrorname_np(errno));
		return;
	}
	fl = fcntl(fileno(f), F_GETFL) & ~0100000;	/* O_LARGEFILE */
	pos = ftell(f);
	printf("fopen %s: flags=%o cloexec=%d pos=%ld write=%s\n", mode, fl,
	       fcntl(fileno(f), F_GETFD), pos,
	       fputs("x\n", f) >= 0 && fflush(f) == 0 ? "ok" : "failed");
	fclose(f);
}

/* Make @templ in @dir with @make; print what the file looks like */
static void one_temp(const char *what, const char *dir, const char *templ,
		     int (*make)(char *, int, int), int suffix, int flags)
{
	char path[4096];
	struct stat st;
	size_t len;
	int fd;

	len = (size_t)snprintf(path, sizeof(path), "%s/%s", dir, templ);
	fd = make(path, suffix, flags);
	if (fd < 0) {
		printf("%s: %s\n", what, strerrorname_np(errno));
		return;
	}
	fstat(fd, &st);
	printf("%s: mode=%o same-length=%d suffix=%s cloexec=%d append=%d\n",
	       what, st.st_mode & 07777, strlen(path) == len,
	       path + len - suffix, fcntl(fd, F_GETFD),
	       !!(fcntl(fd, F_GETFL) & O_APPEND));
	close(fd);
	unlink(path);
}

static int by_mkstemp(char *t, int s, int f)
{
	(void)s;
	(void)f;
	return mkstemp(t);
}

static int by_mkstemps(char *t, int s, int f)
{
	(void)f;
	return mkstemps(t, s);
}

static int by_mkostemp(char *t, int s, int f)
{
	(void)s;
	return mkostemp(t, f);
}

/* getcwd() with each kind of buffer, as glibc answers */
static void getcwd_cases(void)
{
	char small[8], big[4096], *p;

	p = getcwd(NULL, 0);
	printf("getcwd(NULL, 0): %s\n", !p ? strerrorname_np(errno) :
	       !getcwd(big, sizeof(big)) ? "?" : strcmp(p, big) ? "differs" :
	       "same");
	free(p);
	printf("getcwd(buf, 0): %s\n",
	       getcwd(small, 0) ? "ok" : strerrorname_np(errno));
	printf("getcwd(buf, 1): %s\n",
	       getcwd(small, 1) ? "ok" : strerrorname_np(errno));
	p = getcwd(NULL, 2);
	printf("getcwd(NULL, 2): %s\n", p ? "ok" : strerrorname_np(errno));
	free(p);
	p = getcwd(NULL, 4096);
	printf("getcwd(NULL, 4096): %s\n", !p ? strerrorname_np(errno) :
	       strcmp(p, big) ? "differs" : "same");
	free(p);
}

static int all_modes(const char *file, const char *dir)
{
	size_t i;

	for (i = 0; i < sizeof(modes) / sizeof(*modes); i++)
		one_mode(file, modes[i]);
	one_temp("mkstemp", dir, "tXXXXXX", by_mkstemp, 0, 0);
	one_temp("mkstemps", dir, "tXXXXXX.c", by_mkstemps, 2, 0);
	one_temp("mkostemp", dir, "tXXXXXX", by_mkostemp, 0,
		 O_CLOEXEC | O_APPEND);
	one_temp("mkostemps", dir, "tXXXXXX.cc", mkostemps, 3, O_CLOEXEC);
	one_temp("mkstemp short", dir, "tXXXXX", by_mkstemp, 0, 0);
	one_temp("mkstemps long suffix", dir, "tXXXXXX.c", by_mkstemps, 20, 0);
	printf("eaccess R_OK: %s\n",
	       eaccess(file, R_OK) ? strerrorname_np(errno) : "0");
	printf("euidaccess X_OK: %s\n",
	       euidaccess(file, X_OK) ? strerrorname_np(errno) : "0");
	getcwd_cases();
	return 0;
}

static int repeat(long n, const char *file, const char *dir)
{
	char path[4096];
	FILE *f;
	int fd;

	while (n-- > 0) {
		f = fopen(file, "r");
		if (!f)
			return 1;
		getc(f);
		fclose(f);
		snprintf(path, sizeof(path), "%s/tXXXXXX", dir);
		fd = mkstemp(path);
		if (fd < 0)
			return 1;
		close(fd);
		unlink(path);
		if (!getcwd(path, sizeof(path)))
			return 1;
		if (eaccess(file, R_OK))
			return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "modes"))
		return all_modes(argv[2], argv[3]);
	if (argc == 5 && !strcmp(argv[1], "repeat"))
		return repeat(atol(argv[2]), argv[3], argv[4]);
	fprintf(stderr, "usage: stdio_opens modes FILE DIR\n"
			"       stdio_opens repeat N FILE DIR\n");
	return 2;
}
