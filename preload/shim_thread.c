// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * preload/shim_thread.c - New threads get the raw catch too
 *
 * Syscall User Dispatch is per thread and a new thread starts without it:
 * pthread_create() starts the thread in a trampoline that arms it first.
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

	free(p);
	shim_sud_arm(shim.raw_arm);
	return s.fn(s.arg);
}

int pthread_create(pthread_t *t, const pthread_attr_t *attr,
		   void *(*fn)(void *), void *arg)
{
	create_fn real = SHIM_NEXT(create_fn, "pthread_create");
	struct thread_start *s;
	int ret;

	if (!shim.ready)
		shim_setup_now(-1);
	if (!shim.active || !shim.raw_arm)
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
