// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vtrace/vtrace_outbuf.c - Buffered output files, flushed by size,
 *				     by age and at the end
 *
 * DOC: Buffering
 *
 * A write(2) per record was a tenth of the supervisor's system calls per
 * traced call.  Records for a file given with -o are gathered in a buffer
 * per file and written when it holds 64 KiB, by a thread that writes what
 * is older than 100 ms (so a trace of a program that went quiet is up to
 * date for tail -f), and when tracing ends.  Records are whole in the
 * buffer and writes end at record boundaries, so a trace cut short is
 * whole events up to its last line; killing facet with SIGKILL loses the
 * last 100 ms at most, and can cut its last line: the kernel stops a
 * write(2) to a file at a page boundary when a fatal signal is pending
 * (facet report skips such a line and says so).  stderr stays
 * unbuffered, as strace's.  The callbacks and the thread share the files
 * under @out_lock.
 */
#include <errno.h>
#include <pthread.h>
#include <time.h>
#include <unistd.h>

#include "vtrace.h"

#define VTRACE_OUTBUF_SIZE	65536
#define VTRACE_OUTBUF_AGE_MS	100

/**
 * vtrace_write() - write(2) all of @n bytes, retrying short writes
 * @fd:		File
 * @p:		Bytes
 * @n:		How many
 */
void vtrace_write(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		p += w;
		n -= w;
	}
}

/* Write out what @f holds; with @out_lock held */
static void vtrace_outbuf_flush(struct vtrace_file *f)
{
	if (!f->out.len)
		return;
	vtrace_write(f->fd, f->out.p, f->out.len);
	f->out.len = 0;
}

/**
 * vtrace_outbuf_put() - Write a record to an output file, or buffer it
 * @v:		Module state (@out_lock held when buffering)
 * @f:		The file
 * @p:		The record's bytes
 * @n:		How many
 */
void vtrace_outbuf_put(struct vtrace *v, struct vtrace_file *f,
		       const char *p, size_t n)
{
	if (v->role == VTRACE_IMAGE) {	/* vtrace_inproc.c */
		vtrace_inproc_put(v, f, p, n);
		return;
	}
	if (!v->buffered) {
		vtrace_write(f->fd, p, n);
		return;
	}
	vtrace_buf_put(&f->out, p, n);
	if (f->out.len >= VTRACE_OUTBUF_SIZE)
		vtrace_outbuf_flush(f);
}

static void *vtrace_outbuf_thread(void *arg)
{
	struct vtrace *v = arg;
	struct timespec until;
	int i;

	pthread_mutex_lock(&v->out_lock);
	while (!v->out_stop) {
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_nsec += VTRACE_OUTBUF_AGE_MS * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&v->out_cond, &v->out_lock, &until);
		for (i = 0; i < v->nfiles; i++)
			vtrace_outbuf_flush(&v->files[i]);
	}
	pthread_mutex_unlock(&v->out_lock);
	return NULL;
}

/**
 * vtrace_outbuf_start() - Buffer the output files (when there are any)
 * @v:		Module state, files open
 */
void vtrace_outbuf_start(struct vtrace *v)
{
	pthread_condattr_t ca;

	pthread_mutex_init(&v->out_lock, NULL);
	/* preload: no thread in the program; facet writes next to nothing */
	if (!v->output[0] || v->role != VTRACE_SUPERVISOR)
		return;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&v->out_cond, &ca);
	pthread_condattr_destroy(&ca);
	if (pthread_create(&v->out_thread, NULL, vtrace_outbuf_thread, v))
		return;		/* then unbuffered */
	v->buffered = 1;
}

/**
 * vtrace_outbuf_stop() - Write out every buffer; no more buffering
 * @v:		Module state
 */
void vtrace_outbuf_stop(struct vtrace *v)
{
	int i;

	if (!v->buffered)
		return;
	pthread_mutex_lock(&v->out_lock);
	v->out_stop = 1;
	pthread_cond_signal(&v->out_cond);
	pthread_mutex_unlock(&v->out_lock);
	pthread_join(v->out_thread, NULL);
	for (i = 0; i < v->nfiles; i++) {
		vtrace_outbuf_flush(&v->files[i]);
		vtrace_buf_free(&v->files[i].out);
	}
	v->buffered = 0;
}
