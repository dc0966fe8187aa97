// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/progs/vtrace_flags.c - Flags, modes and fds facet trace should
 *				 show as strace does, and the lines for them
 *
 * Usage: vtrace_flags DIR
 *
 * Like vtrace_structs: calls through syscall(2), then the expected lines on
 * stdout (no pid prefix, no padding, AT_FDCWD without its directory),
 * starting with getpid().  Covers mmap's flag order and huge page field,
 * unknown bits and values ("0x1000 / * PROT_??? * /"), WSTOPPED, FASYNC,
 * O_ACCMODE, mknodat's mode and device, mremap's arguments and a deleted
 * file's fd.
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "expect_lines.h"

#ifndef MAP_HUGE_SHIFT
#define MAP_HUGE_SHIFT	26
#endif

/* "= 0x7f..." or "= -1 ENOMEM (Cannot allocate memory)" */
static void result(long r)
{
	if (r == -1)
		out("= -1 ENOMEM (Cannot allocate memory)\n");
	else
		out("= %#lx\n", r);
}

static void memory(void)
{
	long p, q, r;

	/* 8192 bytes: the second mremap moves 8192 bytes onto it */
	p = syscall(SYS_mmap, NULL, 8192, PROT_READ, MAP_SHARED |
		    MAP_ANONYMOUS | MAP_NORESERVE | MAP_LOCKED, -1, 0);
	out("mmap(NULL, 8192, PROT_READ, MAP_SHARED|MAP_ANONYMOUS|"
	    "MAP_NORESERVE|MAP_LOCKED, -1, 0) ");
	result(p);
	q = syscall(SYS_mmap, NULL, 4096, PROT_READ, MAP_PRIVATE |
		    MAP_ANONYMOUS | 16 << MAP_HUGE_SHIFT, -1, 0);
	out("mmap(NULL, 4096, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|"
	    "16<<MAP_HUGE_SHIFT, -1, 0) ");
	result(q);
	r = syscall(SYS_mprotect, q, 4096, 0x1000);
	out("mprotect(%#lx, 4096, 0x1000 /* PROT_??? */) = %ld EINVAL "
	    "(Invalid argument)\n", q, r);
	r = syscall(SYS_madvise, q, 4096, 999);
	out("madvise(%#lx, 4096, 0x3e7 /* MADV_??? */) = %ld EINVAL "
	    "(Invalid argument)\n", q, r);
	r = syscall(SYS_mremap, q, 4096, 8192, MREMAP_MAYMOVE);
	out("mremap(%#lx, 4096, 8192, MREMAP_MAYMOVE) = %#lx\n", q, r);
	q = syscall(SYS_mremap, r, 8192, 8192, MREMAP_MAYMOVE | MREMAP_FIXED,
		    p);
	out("mremap(%#lx, 8192, 8192, MREMAP_MAYMOVE|MREMAP_FIXED, %#lx) = "
	    "%#lx\n", r, p, q);
}

static void files(const char *dir)
{
	char path[4096];
	long fd, r;

	fd = syscall(SYS_openat, AT_FDCWD, "/dev/null", O_RDONLY | O_ASYNC);
	out("openat(AT_FDCWD, \"/dev/null\", O_RDONLY|FASYNC) = "
	    "%ld</dev/null>\n", fd);
	syscall(SYS_close, fd);
	out("close(%ld</dev/null>) = 0\n", fd);
	fd = syscall(SYS_openat, AT_FDCWD, "/dev/null", O_ACCMODE);
	out("openat(AT_FDCWD, \"/dev/null\", O_ACCMODE) = %ld</dev/null>\n",
	    fd);
	syscall(SYS_close, fd);
	out("close(%ld</dev/null>) = 0\n", fd);
	snprintf(path, sizeof(path), "%s/gone", dir);
	fd = syscall(SYS_openat, AT_FDCWD, path, O_WRONLY | O_CREAT, 0600);
	out("openat(AT_FDCWD, \"%s\", O_WRONLY|O_CREAT, 0600) = %ld<%s>\n",
	    path, fd, path);
	syscall(SYS_unlink, path);
	out("unlink(\"%s\") = 0\n", path);
	syscall(SYS_close, fd);
	out("close(%ld<%s>(deleted)) = 0\n", fd, path);
	r = syscall(SYS_mknodat, AT_FDCWD, "/nonexistent/p", S_IFIFO | 0644,
		    0);
	out("mknodat(AT_FDCWD, \"/nonexistent/p\", S_IFIFO|0644) = %ld ENOENT "
	    "(No such file or directory)\n", r);
	r = syscall(SYS_mknodat, AT_FDCWD, "/nonexistent/c", S_IFCHR | 0600,
		    makedev(1, 3));
	out("mknodat(AT_FDCWD, \"/nonexistent/c\", S_IFCHR|0600, "
	    "makedev(0x1, 0x3)) = %ld ENOENT (No such file or directory)\n", r);
	r = syscall(SYS_wait4, -1, NULL, WNOHANG | WSTOPPED | __WALL, NULL);
	out("wait4(-1, NULL, WNOHANG|WSTOPPED|__WALL, NULL) = %ld ECHILD (No "
	    "child processes)\n", r);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	out("getpid() = %ld\n", syscall(SYS_getpid));
	memory();
	files(argv[1]);
	fwrite(expect, 1, expect_len, stdout);
	return 0;
}
