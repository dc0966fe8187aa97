// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/progs/proc_mem_inject.c - Make another process read a file, by
 * writing code into it through /proc/PID/mem
 *
 * Usage: proc_mem_inject PID PATH
 *   PID sleeps in a system call; the code written at the address it
 *   returns to opens PATH, copies it to PID's stdout and exits.  Prints
 *   "mem: ERRNO-NAME" if /proc/PID/mem cannot be opened for writing,
 *   "syscall: ..." if PID's return address cannot be read, else
 *   "written".
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* open(path, O_RDONLY); read(fd, sp, 256); write(1, sp, n); exit_group(0) */
static const unsigned char code[] = {
	0x48, 0x8d, 0x3d, 0, 0, 0, 0,		/* lea rdi, [rip + path] */
	0x31, 0xf6,				/* xor esi, esi */
	0xb8, 0x02, 0, 0, 0,			/* mov eax, SYS_open */
	0x0f, 0x05,				/* syscall */
	0x89, 0xc7,				/* mov edi, eax */
	0x48, 0x81, 0xec, 0, 1, 0, 0,		/* sub rsp, 256 */
	0x48, 0x89, 0xe6,			/* mov rsi, rsp */
	0xba, 0, 1, 0, 0,			/* mov edx, 256 */
	0x31, 0xc0,				/* xor eax, eax: SYS_read */
	0x0f, 0x05,				/* syscall */
	0x89, 0xc2,				/* mov edx, eax */
	0xbf, 1, 0, 0, 0,			/* mov edi, 1 */
	0x48, 0x89, 0xe6,			/* mov rsi, rsp */
	0xb8, 1, 0, 0, 0,			/* mov eax, SYS_write */
	0x0f, 0x05,				/* syscall */
	0x31, 0xff,				/* xor edi, edi */
	0xb8, 0xe7, 0, 0, 0,			/* mov eax, SYS_exit_group */
	0x0f, 0x05,				/* syscall */
};

int main(int argc, char **argv)
{
	unsigned char buf[4096 + sizeof(code)];
	char path[64], line[512];
	unsigned long pc = 0;
	int rel = sizeof(code) - 7, fd, n;

	if (argc != 3 || strlen(argv[2]) >= 4096) {
		fprintf(stderr, "usage: proc_mem_inject PID PATH\n");
		return 2;
	}
	snprintf(path, sizeof(path), "/proc/%s/mem", argv[1]);
	fd = open(path, O_RDWR);
	if (fd < 0) {
		printf("mem: %s\n", strerrorname_np(errno));
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/%s/syscall", argv[1]);
	n = open(path, O_RDONLY);
	if (n < 0 || (n = read(n, line, sizeof(line) - 1)) <= 0 ||
	    (line[n] = 0, sscanf(line, "%*s %*s %*s %*s %*s %*s %*s %*s %lx",
				 &pc) != 1)) {
		printf("syscall: %s\n", n < 0 ? strerrorname_np(errno) : line);
		return 0;
	}
	memcpy(buf, code, sizeof(code));
	memcpy(buf + 3, &rel, sizeof(rel));
	strcpy((char *)buf + sizeof(code), argv[2]);
	n = sizeof(code) + strlen(argv[2]) + 1;
	if (pwrite(fd, buf, n, pc) != n) {
		printf("pwrite: %s\n", strerrorname_np(errno));
		return 0;
	}
	printf("written\n");
	return 0;
}
