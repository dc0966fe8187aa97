// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/progs/preload_fexec.c - exec a program from a file descriptor
 *
 * Usage: preload_fexec HOW PROGRAM [ARG...]
 *   memfd	copy PROGRAM into a close-on-exec memfd, fexecve() it
 *   memfd-keep	the same with a memfd that stays open across exec
 *   raw	the memfd, then execveat(fd, "", AT_EMPTY_PATH) as a raw
 *		syscall instruction of this program
 *   dirfd	execveat(dirfd of PROGRAM's directory, its base name)
 *   file	fexecve() of PROGRAM opened close-on-exec
 * argv[0] of the new image is PROGRAM.  Exits 127 if the exec fails.
 */
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

extern char **environ;

static int copy_to_memfd(const char *path, unsigned flags)
{
	struct stat st;
	int in = open(path, O_RDONLY), fd;

	if (in < 0 || fstat(in, &st) < 0)
		return -1;
	fd = memfd_create("facet-test", flags);
	if (fd < 0 || sendfile(fd, in, NULL, (size_t)st.st_size) !=
		      st.st_size)
		return -1;
	close(in);
	return fd;
}

int main(int argc, char **argv)
{
	const char *how;
	char dir[4096], base[4096];
	long ret;
	int fd;

	if (argc < 3)
		return 2;
	how = argv[1];
	if (!strcmp(how, "dirfd")) {
		snprintf(dir, sizeof(dir), "%s", argv[2]);
		snprintf(base, sizeof(base), "%s", argv[2]);
		fd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0)
			return 2;
		execveat(fd, basename(base), argv + 2, environ, 0);
		perror("execveat");
		return 127;
	}
	if (!strcmp(how, "file"))
		fd = open(argv[2], O_RDONLY | O_CLOEXEC);
	else
		fd = copy_to_memfd(argv[2], strcmp(how, "memfd-keep") ?
					    MFD_CLOEXEC : 0);
	if (fd < 0) {
		perror("memfd");
		return 2;
	}
	if (!strcmp(how, "raw")) {
		register long r10 __asm__("r10") = (long)environ;
		register long r8 __asm__("r8") = AT_EMPTY_PATH;

		__asm__ volatile("syscall"
				 : "=a"(ret)
				 : "a"((long)SYS_execveat), "D"((long)fd),
				   "S"(""), "d"(argv + 2), "r"(r10), "r"(r8)
				 : "rcx", "r11", "memory");
		fprintf(stderr, "execveat: %ld\n", ret);
		return 127;
	}
	fexecve(fd, argv + 2, environ);
	perror("fexecve");
	return 127;
}
