/* SPDX-License-Identifier: MIT */
/*
 * facet - tests/progs/proc_asleep.h: is another process asleep where a
 * test wants it (a signal then interrupts exactly that call)?
 */
#ifndef FACET_TEST_PROC_ASLEEP_H
#define FACET_TEST_PROC_ASLEEP_H

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

/* Read /proc/PID/NAME into @buf; 0 or -1 */
static inline int proc_read(pid_t pid, const char *name, char *buf,
			    size_t cap)
{
	char path[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, cap - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return 0;
}

/*
 * Is @pid asleep in the kernel function @wchan (its wait channel)?  Where
 * the kernel shows no wait channel: is it asleep at all?
 */
static inline int proc_asleep_in(pid_t pid, const char *wchan)
{
	char buf[512];
	const char *p;

	if (proc_read(pid, "wchan", buf, sizeof(buf)) == 0 && buf[0] &&
	    strcmp(buf, "0"))
		return !strcmp(buf, wchan);
	if (proc_read(pid, "stat", buf, sizeof(buf)) < 0)
		return 1;
	p = strrchr(buf, ')');
	return p && p[1] == ' ' && p[2] == 'S';
}

#endif /* FACET_TEST_PROC_ASLEEP_H */
