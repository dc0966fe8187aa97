// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * preload/shim_thread.c - New threads get the raw catch too
 *
 * Syscall User Dispatch is per thread and a new thread starts without it:
 * pthread_create() starts the thread in a trampoline that arms it first
 * (and unmaps the thread's place buffer when it ends).
 * (fork children re-arm in the atfork handler, new images in the
 * constructor.)
 */
#include <pthread.h>
#include <stdlib.h>

#include "shim.h"

typedef int (*create_fn)(pthread_t *, const pthread_attr_t *,
			 void *(*)(void *), void *);

struct thread_start {
	void *(*fn)(void *);
	void *arg;
};

static void *thread_trampoline(void *p)
{
	struct thread_start s = *(struct thread_start *)p;
	void *ret;

	free(p);
	shim_sud_arm(shim.raw_arm);
	/* the place buffer goes with the thread, also on pthread_exit() */
	pthread_cleanup_push(shim_place_free, NULL);
	ret = s.fn(s.arg);
	pthread_cleanup_pop(1);
	return ret;
}

SHIM_HOT int pthread_create(pthread_t *t, const pthread_attr_t *attr,
		   void *(*fn)(void *), void *arg)
{
	create_fn real = SHIM_NEXT(create_fn, "pthread_create");
	struct thread_start *s;
	int ret;

	if (!shim.ready)
		shim_setup_now(-1);
	if (!shim.active)
		return real(t, attr, fn, arg);
	s = malloc(sizeof(*s));
	if (!s)
		return EAGAIN;
	s->fn = fn;
	s->arg = arg;
	ret = real(t, attr, thread_trampoline, s);
	if (ret)
		free(s);
	return ret;
}
