// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/progs/preload_escape.c - ways a program might get around an
 * in-process view; each ends with a raw read of FILE
 *
 * Usage: preload_escape HOW FILE
 *   handler	the raw read is made in a SIGUSR1 handler
 *   sud-off	first prctl(PR_SET_SYSCALL_USER_DISPATCH, OFF), through
 *		libc and as a raw syscall; prints both results
 *   seccomp	first installs a seccomp filter that allows everything
 *   int80	getppid through int 0x80 (the i386 ABI); prints its result
 *   x32	getppid with the x32 bit, through syscall(); prints it
 *   libc-gadget	the raw read jumps to a "syscall; ret" found in libc's
 *		text (/proc/self/maps), not through any libc function
 * Prints "read TEXT" (or "read ERR errno").
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "raw_syscall.h"

#ifndef PR_SET_SYSCALL_USER_DISPATCH
#define PR_SET_SYSCALL_USER_DISPATCH	59
#endif

static long (*gadget)(void);

/* A "syscall; ret" in libc's text, or NULL */
static void *libc_gadget(void)
{
	unsigned long lo, hi;
	char line[512], perm[8];
	FILE *maps = fopen("/proc/self/maps", "r");
	void *found = NULL;

	while (maps && !found && fgets(line, sizeof(line), maps)) {
		if (sscanf(line, "%lx-%lx %4s", &lo, &hi, perm) != 3 ||
		    perm[2] != 'x' || !strstr(line, "/libc.so"))
			continue;
		for (unsigned char *p = (unsigned char *)lo;
		     p + 3 <= (unsigned char *)hi; p++)
			if (p[0] == 0x0f && p[1] == 0x05 && p[2] == 0xc3) {
				found = p;
				break;
			}
	}
	if (maps)
		fclose(maps);
	return found;
}

/* syscall @nr through the libc gadget, the registers set by hand */
static long gadget_syscall3(long nr, long a, long b, long c)
{
	long ret;

	__asm__ volatile("call *%[g]"
			 : "=a"(ret)
			 : [g] "r"(gadget), "a"(nr), "D"(a), "S"(b), "d"(c)
			 : "rcx", "r8", "r9", "r10", "r11", "memory");
	return ret;
}

static long raw(long nr, long a, long b, long c)
{
	return gadget ? gadget_syscall3(nr, a, b, c) : raw_syscall3(nr, a, b, c);
}

static const char *file;
static char text[256];

static void raw_read(void)
{
	long fd = raw(SYS_openat, AT_FDCWD, (long)file, O_RDONLY), n;

	if (fd < 0) {
		snprintf(text, sizeof(text), "ERR %s", strerror((int)-fd));
		return;
	}
	n = raw(SYS_read, fd, (long)text, sizeof(text) - 1);
	if (n > 0 && text[n - 1] == '\n')
		n--;
	text[n > 0 ? n : 0] = '\0';
	raw(SYS_close, fd, 0, 0);
}

static void on_usr1(int sig)
{
	(void)sig;
	raw_read();
}

int main(int argc, char **argv)
{
	const char *how;
	long ret;

	if (argc < 3)
		return 2;
	how = argv[1];
	file = argv[2];
	if (!strcmp(how, "handler")) {
		signal(SIGUSR1, on_usr1);
		raise(SIGUSR1);
		printf("read %s\n", text);
		return 0;
	}
	if (!strcmp(how, "sud-off")) {
		ret = prctl(PR_SET_SYSCALL_USER_DISPATCH, 0, 0, 0, 0);
		printf("prctl %s\n", ret ? strerror(errno) : "ok");
		ret = raw(SYS_prctl, PR_SET_SYSCALL_USER_DISPATCH, 0, 0);
		printf("raw prctl %s\n", ret ? strerror((int)-ret) : "ok");
	} else if (!strcmp(how, "seccomp")) {
		struct sock_filter allow[] = {
			BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		};
		struct sock_fprog prog = { 1, allow };

		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
		    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0))
			perror("seccomp");
	} else if (!strcmp(how, "libc-gadget")) {
		gadget = (long (*)(void))libc_gadget();
		if (!gadget) {
			printf("no gadget\n");
			return 1;
		}
	} else if (!strcmp(how, "int80")) {
		__asm__ volatile("int $0x80"
				 : "=a"(ret)
				 : "a"(64L) /* i386 getppid */
				 : "rcx", "r8", "r9", "r10", "r11", "memory");
		printf("int80 %s\n", ret < 0 ? strerror((int)-ret) : "ran");
		return 0;
	} else if (!strcmp(how, "x32")) {
		ret = syscall(0x40000000L | SYS_getppid);
		printf("x32 %s\n", ret < 0 ? strerror(errno) : "ran");
		return 0;
	}
	raw_read();
	printf("read %s\n", text);
	return 0;
}
