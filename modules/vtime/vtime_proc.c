// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vtime/vtime_proc.c - /proc files that count from boot
 *
 * DOC: /proc/uptime and start times
 *
 * When the monotonic clocks run at a rate, the view's CLOCK_BOOTTIME is
 * no longer the host's, and neither are two files derived from it:
 * /proc/uptime (seconds since boot, and the CPUs' idle time) and the
 * start time of a process (field 22 of /proc/PID/stat, clock ticks since
 * boot), from which ps computes how long a process has run.  Opening
 * either by its absolute path (/proc/uptime, /proc/PID/stat,
 * /proc/self/stat, /proc/thread-self/stat, /proc/PID/task/TID/stat) gives
 * a memfd with the file as the host has it at the open, those numbers
 * mapped to the virtual clock.  The kernel makes its text anew at each
 * read from offset 0; the memfd keeps the text of the open, so a program
 * that keeps the file open and reads it again sees the same numbers
 * (procps opens it for each reading).  Anything unexpected (a path
 * relative to a dirfd, a file that will not parse) goes to the kernel.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "vtime.h"

/* Enough for any /proc/PID/stat line (52 fields, a 64-byte comm) */
#define VTIME_PROC_BUF	1024

/* Read the host's @path into @buf (NUL-terminated): its length or -errno */
static ssize_t vtime_proc_read(const char *path, char *buf, size_t cap)
{
	ssize_t n, len = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	while ((size_t)len < cap - 1) {
		n = read(fd, buf + len, cap - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += n;
	}
	close(fd);
	buf[len] = '\0';
	return len;
}

/* Virtual boot time of the real boot time @real (ns) */
static int64_t vtime_proc_boot(const struct vtime_state *s, int64_t real)
{
	return vtime_to_virt(s, VTIME_BASE_BOOT, real);
}

/* "S.CC" as centiseconds, moving @p past it; -1 if malformed */
static long long vtime_proc_centi(const char **p)
{
	char *end;
	long long sec = strtoll(*p, &end, 10);

	if (end == *p || end[0] != '.' || end[1] < '0' || end[1] > '9' ||
	    end[2] < '0' || end[2] > '9')
		return -1;
	*p = end + 3;
	return sec * 100 + (end[1] - '0') * 10 + (end[2] - '0');
}

/* /proc/uptime: "UP.CC IDLE.CC\n", both scaled like CLOCK_BOOTTIME */
static ssize_t vtime_proc_uptime(const struct vtime_state *s, char *buf,
				 size_t cap)
{
	int64_t real = vtime_real_now(VTIME_BASE_BOOT), virt, idle;
	long long up_r, idle_r;
	const char *p = buf;
	ssize_t n;

	n = vtime_proc_read("/proc/uptime", buf, cap);
	if (n < 0)
		return n;
	up_r = vtime_proc_centi(&p);
	p += *p == ' ';
	idle_r = vtime_proc_centi(&p);
	if (up_r < 0 || idle_r < 0)
		return -EIO;
	virt = vtime_proc_boot(s, real);
	/* idle time keeps its share of the uptime */
	idle = up_r > 0 ? (int64_t)((double)idle_r / up_r * (double)virt) : 0;
	return snprintf(buf, cap, "%lld.%02lld %lld.%02lld\n",
			(long long)(virt / VTIME_NS),
			(long long)(virt % VTIME_NS / 10000000),
			(long long)(idle / VTIME_NS),
			(long long)(idle % VTIME_NS / 10000000));
}

/* /proc/PID/stat: field 22, the start time in clock ticks since boot */
static ssize_t vtime_proc_stat(const struct vtime_state *s, const char *path,
			       char *buf, size_t cap)
{
	char out[VTIME_PROC_BUF], *p, *end;
	unsigned long long start;
	long hz = sysconf(_SC_CLK_TCK);
	int64_t virt;
	ssize_t n;
	int field;

	n = vtime_proc_read(path, buf, cap);
	if (n < 0)
		return n;
	/* the command name may hold spaces and parentheses: after the last */
	p = strrchr(buf, ')');
	if (!p || hz <= 0)
		return -EIO;
	/* to the space before field 22 */
	for (field = 3; field <= 22 && p; field++)
		p = strchr(p + 1, ' ');
	if (!p)
		return -EIO;
	start = strtoull(p + 1, &end, 10);
	virt = vtime_proc_boot(s, (int64_t)(start * (VTIME_NS / hz)));
	if (virt < 0)
		virt = 0;
	n = snprintf(out, sizeof(out), "%.*s %lld%s", (int)(p - buf), buf,
		     (long long)(virt / (VTIME_NS / hz)), end);
	if (n < 0 || (size_t)n >= cap)
		return -EIO;
	memcpy(buf, out, n + 1);
	return n;
}

/* Is @rest "N/stat" or "N/task/N/stat" (after "/proc/")? */
static int vtime_proc_is_stat(const char *rest, char *pid, size_t cap,
			      pid_t self, pid_t tid)
{
	char *end;
	long a, b;

	if (!strncmp(rest, "self/", 5)) {
		a = self;
		end = (char *)rest + 4;
	} else if (!strncmp(rest, "thread-self/", 12)) {
		snprintf(pid, cap, "%d/task/%d/stat", self, tid);
		return !strcmp(rest + 11, "/stat");
	} else {
		a = strtol(rest, &end, 10);
		if (end == rest || a <= 0)
			return 0;
	}
	if (!strcmp(end, "/stat")) {
		snprintf(pid, cap, "%ld/stat", a);
		return 1;
	}
	if (strncmp(end, "/task/", 6))
		return 0;
	rest = end + 6;
	b = strtol(rest, &end, 10);
	if (end == rest || b <= 0 || strcmp(end, "/stat"))
		return 0;
	snprintf(pid, cap, "%ld/task/%ld/stat", a, b);
	return 1;
}

/* A memfd holding @len bytes of @buf, read from the start */
static int vtime_proc_memfd(const char *buf, size_t len, int cloexec)
{
	int fd = memfd_create("facet-vtime", cloexec ? MFD_CLOEXEC : 0);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, buf, len);
	if (n != (ssize_t)len || lseek(fd, 0, SEEK_SET) < 0) {
		close(fd);
		return -EIO;
	}
	return fd;
}

/**
 * vtime_proc_enter() - open/openat of a /proc file that counts from boot
 * @s:		Module state
 * @call:	The call
 *
 * Return: FACET_DONE with a memfd for those files, FACET_CONTINUE for
 * every other open
 */
enum facet_verdict vtime_proc_enter(struct vtime_state *s,
				    struct facet_call *call)
{
	int pa = facet_nr(call) == SYS_openat, flags, fd;
	char path[64], host[64], buf[VTIME_PROC_BUF];
	ssize_t n;

	if (facet_peek_str(call, path, facet_arg(call, pa), sizeof(path)) < 0 ||
	    strncmp(path, "/proc/", 6))
		return FACET_CONTINUE;
	flags = (int)facet_arg(call, pa + 1);
	if ((flags & (O_ACCMODE | O_PATH | O_DIRECTORY | O_CREAT)) != O_RDONLY)
		return FACET_CONTINUE;
	if (!strcmp(path, "/proc/uptime"))
		n = vtime_proc_uptime(s, buf, sizeof(buf));
	else if (vtime_proc_is_stat(path + 6, host + 6, sizeof(host) - 6,
				    facet_pid(call), facet_tid(call))) {
		memcpy(host, "/proc/", 6);
		n = vtime_proc_stat(s, host, buf, sizeof(buf));
	} else
		return FACET_CONTINUE;
	if (n < 0)
		return FACET_CONTINUE;	/* the kernel's file, or its error */
	fd = vtime_proc_memfd(buf, n, flags & O_CLOEXEC);
	if (fd < 0)
		facet_return(call, fd);
	else
		facet_return_fd(call, fd);
	return FACET_DONE;
}
