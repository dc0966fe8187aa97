// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * ptracer/tracer_notify.h - Calls served by seccomp user notification
 */
#ifndef FACET_PTRACER_TRACER_NOTIFY_H
#define FACET_PTRACER_TRACER_NOTIFY_H

#include <stdint.h>

/**
 * struct tracer_notify_ctx - Backend context of a notified call
 * @notify_fd:	Listener
 * @id:		Notification id
 * @answered:	A response was already sent (fd handed over)
 */
struct tracer_notify_ctx {
	int notify_fd;
	uint64_t id;
	int answered;
};

int tracer_notify_send_fd(int notify_fd, uint64_t id, int local_fd);
int tracer_notify_open_later(int notify_fd, uint64_t id, const char *path,
			     int flags);
int tracer_notify_set_fd(int notify_fd, uint64_t id, int local_fd,
			 int target);

#endif /* FACET_PTRACER_TRACER_NOTIFY_H */
