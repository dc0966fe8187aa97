// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/progs/vfs_strings.c - Path and name arguments at page edges
 *
 * Usage: vfs_strings DIR [faults]
 * DIR holds a file "f".  Each line names a case and what the calls said:
 * a path that ends on the last byte of a page followed by an inaccessible
 * one, a path that crosses into the next page, getxattr() with its path
 * and its name at those edges, and rename() with one path crossing a page
 * and the other at a page's end; with "faults" also a path and an
 * attribute name with no NUL before an inaccessible page (EFAULT).  A
 * backend that reads the strings of a call ahead must answer as the
 * kernel does.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <unistd.h>

static char *pages;
static long pagesz;

/* Copy @s (with its NUL) so that its NUL is the last byte of page @page */
static char *at_end(int page, const char *s)
{
	size_t len = strlen(s) + 1;
	char *p = pages + (page + 1) * pagesz - len;

	memcpy(p, s, len);
	return p;
}

/* Copy @s so that it starts @before bytes before the end of page @page */
static char *across(int page, size_t before, const char *s)
{
	char *p = pages + (page + 1) * pagesz - before;

	memcpy(p, s, strlen(s) + 1);
	return p;
}

static void show(const char *what, long ret)
{
	printf("%s %s\n", what, ret < 0 ? strerrorname_np(errno) : "ok");
}

int main(int argc, char **argv)
{
	char f[4096], g[4096];
	struct stat st;
	char *raw;

	if (argc != 2 && argc != 3)
		return 2;
	setvbuf(stdout, NULL, _IOLBF, 0);
	pagesz = sysconf(_SC_PAGESIZE);
	/* pages 0-1 readable, 2 not, 3-4 readable, 5 not */
	pages = mmap(NULL, 6 * pagesz, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (pages == MAP_FAILED)
		return 2;
	mprotect(pages + 2 * pagesz, pagesz, PROT_NONE);
	mprotect(pages + 5 * pagesz, pagesz, PROT_NONE);
	snprintf(f, sizeof(f), "%s/f", argv[1]);
	snprintf(g, sizeof(g), "%s/g", argv[1]);

	show("end", lstat(at_end(1, f), &st));
	show("cross", lstat(across(0, 3, f), &st));
	show("xattr", getxattr(across(3, 2, f),
			       at_end(4, "user.facet-none"), NULL, 0));
	if (argc == 3) {
		raw = pages + 2 * pagesz - strlen(f);
		memcpy(raw, f, strlen(f));	/* no NUL before page 2 */
		show("fault", lstat(raw, &st));
		show("fault-statx", statx(-100, raw, 0, STATX_BASIC_STATS,
					  (struct statx *)pages));
		show("xattr-name-fault",
		     syscall(SYS_getxattr, at_end(1, f),
			     memcpy(pages + 5 * pagesz - 4, "user", 4),
			     NULL, 0));
	}
	show("rename", rename(across(0, 7, f), at_end(4, g)));
	show("rename-back", rename(at_end(1, g), across(3, 1, f)));
	show("after", lstat(f, &st));
	return 0;
}
