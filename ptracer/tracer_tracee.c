// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * ptracer/tracer_tracee.c - The table of traced threads, by tid
 *
 * Callers hold tab_lock where the notification thread may look too.
 */
#include <stdlib.h>
#include <unistd.h>

#include "tracer.h"

static struct tracee **tracee_slot(struct tracer *t, pid_t tid)
{
	return &t->table[(unsigned)tid % TRACER_BUCKETS];
}

/* The tracee @tid, or NULL */
struct tracee *tracee_find(struct tracer *t, pid_t tid)
{
	struct tracee *te;

	for (te = *tracee_slot(t, tid); te; te = te->next)
		if (te->tid == tid)
			return te;
	return NULL;
}

/* The tracee @tid, created (and counted) if new; NULL if out of memory */
struct tracee *tracee_get(struct tracer *t, pid_t tid)
{
	struct tracee **slot = tracee_slot(t, tid), *te;

	te = tracee_find(t, tid);
	if (te)
		return te;
	te = calloc(1, sizeof(*te));
	if (!te)
		return NULL;
	te->t = t;
	te->tid = tid;
	te->pending_fd = -1;
	te->next = *slot;
	*slot = te;
	t->ntracees++;
	return te;
}

/* Forget @tid (it ended, or vanished in another thread's exec) */
void tracee_drop(struct tracer *t, pid_t tid)
{
	struct tracee **p, *te;

	for (p = tracee_slot(t, tid); (te = *p); p = &te->next) {
		if (te->tid != tid)
			continue;
		*p = te->next;
		if (te->pending_fd >= 0)
			close(te->pending_fd);
		free(te->shared);
		free(te);
		t->ntracees--;
		return;
	}
}
