// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/progs/vtrace_basic.c - Known syscalls, and the lines facet trace
 *				 should record for them (strace's pattern)
 *
 * Usage: vtrace_basic FILE
 *
 * Makes its calls with syscall(2), so that libc adds none in between, then
 * prints on stdout the text facet trace records for them (without the pid
 * prefix and column padding), one per line, starting with getpid().
 */
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "expect_lines.h"

/* strace -y shows the working directory of AT_FDCWD: read before the block */
static char cwd[4096] = "?";

static void files(const char *path)
{
	static const char data[] = "hello\n\t\"x\"\\\001\377";
	struct stat st;
	long fd, n;

	n = syscall(SYS_openat, AT_FDCWD, "/nonexistent/facet",
		    O_RDONLY | O_CLOEXEC);
	out("openat(AT_FDCWD<%s>, \"/nonexistent/facet\", O_RDONLY|O_CLOEXEC) "
	    "= %ld ENOENT (No such file or directory)\n", cwd, n);
	fd = syscall(SYS_openat, AT_FDCWD, path,
		     O_WRONLY | O_CREAT | O_TRUNC, 0640);
	out("openat(AT_FDCWD<%s>, \"%s\", O_WRONLY|O_CREAT|O_TRUNC, 0640) = "
	    "%ld<%s>\n", cwd, path, fd, path);
	n = syscall(SYS_write, fd, data, sizeof(data) - 1);
	out("write(%ld<%s>, \"hello\\n\\t\\\"x\\\"\\\\\\1\\377\", %zu) = "
	    "%ld\n", fd, path, sizeof(data) - 1, n);
	n = syscall(SYS_lseek, fd, 0, SEEK_SET);
	out("lseek(%ld<%s>, 0, SEEK_SET) = %ld\n", fd, path, n);
	syscall(SYS_fstat, fd, &st);
	out("fstat(%ld<%s>, {st_mode=S_IFREG|0640, st_size=%zu, ...}) = 0\n",
	    fd, path, sizeof(data) - 1);
	n = syscall(SYS_close, fd);
	out("close(%ld<%s>) = %ld\n", fd, path, n);
	n = syscall(SYS_close, 999);
	out("close(999) = %ld EBADF (Bad file descriptor)\n", n);
}

static void pipes(int *p)
{
	char big[64], back[100];
	long n;

	memset(big, 'a', sizeof(big));
	n = syscall(SYS_pipe2, p, O_CLOEXEC);
	out("pipe2([%d<pipe:[@]>, %d<pipe:[@]>], O_CLOEXEC) = %ld\n", p[0],
	    p[1], n);
	n = syscall(SYS_write, p[1], big, sizeof(big));
	out("write(%d<pipe:[@]>, \"%.32s\"..., %zu) = %ld\n", p[1], big,
	    sizeof(big), n);
	n = syscall(SYS_read, p[0], back, sizeof(back));
	out("read(%d<pipe:[@]>, \"%.32s\"..., %zu) = %ld\n", p[0], big,
	    sizeof(back), n);
}

static void misc(long pid)
{
	struct timespec ts = { 0, 1000 };
	struct sockaddr_in sin;
	long fd, n;

	n = syscall(SYS_nanosleep, &ts, NULL);
	out("nanosleep({tv_sec=0, tv_nsec=1000}, NULL) = %ld\n", n);
	fd = syscall(SYS_socket, AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	out("socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_IP) = "
	    "%ld<socket:[@]>\n", fd);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(1);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	n = syscall(SYS_connect, fd, &sin, sizeof(sin));
	out("connect(%ld<socket:[@]>, {sa_family=AF_INET, sin_port=htons(1), "
	    "sin_addr=inet_addr(\"127.0.0.1\")}, 16) = %ld ECONNREFUSED "
	    "(Connection refused)\n", fd, n);
	syscall(SYS_close, fd);
	out("close(%ld<socket:[@]>) = 0\n", fd);
	n = syscall(SYS_kill, pid, 0);
	out("kill(%ld, 0) = %ld\n", pid, n);
}

int main(int argc, char **argv)
{
	int p[2];
	long pid;

	if (argc != 2) {
		fprintf(stderr, "usage: %s FILE\n", argv[0]);
		return 2;
	}
	if (!getcwd(cwd, sizeof(cwd)))
		return 1;
	pid = syscall(SYS_getpid);
	out("getpid() = %ld\n", pid);
	files(argv[1]);
	pipes(p);
	misc(pid);
	fwrite(expect, 1, expect_len, stdout);
	return 0;
}
