// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * ptracer/tracer_notify.h - Calls served by seccomp user notification
 */
#ifndef FACET_PTRACER_TRACER_NOTIFY_H
#define FACET_PTRACER_TRACER_NOTIFY_H

#include <stddef.h>
#include <stdint.h>

struct facet_call;

/* String arguments of one syscall: at most a path, a second path, a name */
#define TRACER_STRS_MAX		3
#define TRACER_STR_CAP		4096

/**
 * struct tracer_strs - The string arguments of a notified call, read ahead
 * @fetched:	The read was made (or is not to be trusted any more)
 * @n:		Strings read
 * @addr:	Their addresses in the caller
 * @len:	Bytes read of each (up to the end of its page)
 * @buf:	The bytes
 */
struct tracer_strs {
	int fetched;
	int n;
	uintptr_t addr[TRACER_STRS_MAX];
	size_t len[TRACER_STRS_MAX];
	char buf[TRACER_STRS_MAX][TRACER_STR_CAP];
};

/**
 * struct tracer_notify_ctx - Backend context of a notified call
 * @notify_fd:	Listener
 * @id:		Notification id
 * @answered:	A response was already sent (fd handed over)
 * @strs:	String arguments read ahead (tracer_strs.c)
 * @t:		The supervisor
 */
struct tracer_notify_ctx {
	int notify_fd;
	uint64_t id;
	int answered;
	struct tracer_strs *strs;
	struct tracer *t;
};

ssize_t tracer_strs_peek(struct facet_call *call, struct tracer_strs *strs,
			 char *dst, uintptr_t addr, size_t cap);

int tracer_notify_send_fd(int notify_fd, uint64_t id, int local_fd);
int tracer_notify_open_later(int notify_fd, uint64_t id, const char *path,
			     int flags);
int tracer_notify_set_fd(int notify_fd, uint64_t id, int local_fd,
			 int target);

#endif /* FACET_PTRACER_TRACER_NOTIFY_H */
