// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/progs/gate_forge.c - Make the combined mode's gate page by hand
 *
 * Usage: gate_forge PATH
 *
 * The combined mode's filter lets calls made from the page at 0xfac0000000
 * through (the preload shim's gate).  Built static (no shim), this maps
 * the page itself if it is free, writes "syscall; ret" into it and opens
 * PATH from there.  Prints "gate open: OK <first line>" if that open
 * worked, "gate open: <errno>" if not; exits 0.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define GATE	0xfac0000000UL

static long gate_call(long nr, long a0, long a1, long a2)
{
	register long r10 __asm__("r10") = 0;
	long ret;

	__asm__ volatile("call *%[gate]"
			 : "=a"(ret)
			 : "a"(nr), "D"(a0), "S"(a1), "d"(a2), "r"(r10),
			   [gate] "r"(GATE)
			 : "rcx", "r11", "memory");
	return ret;
}

int main(int argc, char **argv)
{
	static const unsigned char code[] = { 0x0f, 0x05, 0xc3 };
	char buf[128] = "";
	long fd;
	void *p;

	if (argc != 2)
		return 2;
	p = mmap((void *)GATE, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (p == (void *)GATE)
		memcpy(p, code, sizeof(code));
	else if (p != MAP_FAILED || errno != EEXIST)
		return 3;	/* a page that is not ours: nothing to call */
	fd = gate_call(SYS_openat, AT_FDCWD, (long)argv[1], O_RDONLY);
	if (fd < 0) {
		printf("gate open: %s\n", strerror((int)-fd));
		return 0;
	}
	if (read((int)fd, buf, sizeof(buf) - 1) < 0)
		buf[0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	printf("gate open: OK %s\n", buf);
	return 0;
}
