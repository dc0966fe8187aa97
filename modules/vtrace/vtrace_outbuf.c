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
 *
 * A file that cannot be written (a full disk, /dev/full, a file of /proc)
 * is said once, naming the file and the error, as strace does, and is not
 * written again; facet then exits with 125 when the command ends
 * (facet_fail_late()).  Under preload the image that meets the error
 * leaves it in the view's shared memory and facet says it at the end.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
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
 *
 * Return: 0, or -errno of the write that failed (-EIO if it wrote nothing)
 */
int vtrace_write(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		if (w == 0)
			return -EIO;
		p += w;
		n -= w;
	}
	return 0;
}

/**
 * vtrace_outbuf_name() - The name of an output file, for messages
 * @v:		Module state
 * @pid:	Its process (FILE.PID), or 0 for the one output
 * @out:	Buffer for the name
 * @cap:	Its size
 */
void vtrace_outbuf_name(const struct vtrace *v, pid_t pid, char *out,
			size_t cap)
{
	const char *output = v->role == VTRACE_IMAGE ? v->sh->output :
			     v->output;

	if (pid)
		snprintf(out, cap, "%s.%d", output, pid);
	else
		snprintf(out, cap, "%s", output[0] ? output : "stderr");
}

/**
 * vtrace_outbuf_failed() - An output file cannot be written: say it once
 * @v:		Module state
 * @name:	The file's name
 * @err:	The error, a positive errno
 *
 * facet (the supervisor, or the owner of a preload view) logs the first
 * error right away; an image, or a supervisor that joined a preload view,
 * leaves it to facet in the shared memory.
 */
void vtrace_outbuf_failed(struct vtrace *v, const char *name, int err)
{
	struct vtrace_shared *sh = v->sh;

	if (sh && v->role != VTRACE_OWNER) {
		if (__atomic_exchange_n(&sh->write_claim, 1, __ATOMIC_ACQ_REL))
			return;
		snprintf(sh->write_path, sizeof(sh->write_path), "%s", name);
		__atomic_store_n(&sh->write_err, err, __ATOMIC_RELEASE);
		return;
	}
	if (v->write_err)
		return;
	v->write_err = err;
	facet_logmsg(FACET_LOG_ERROR, "vtrace: cannot write the trace to "
		     "%s: %s", name, strerror(err));
	facet_fail_late();
}

/**
 * vtrace_outbuf_failed_view() - facet: say an image's write error
 * @v:		Module state, the owner of a preload view
 */
void vtrace_outbuf_failed_view(struct vtrace *v)
{
	int err = __atomic_load_n(&v->sh->write_err, __ATOMIC_ACQUIRE);

	if (err)
		vtrace_outbuf_failed(v, v->sh->write_path, err);
}

/**
 * vtrace_file_write() - Write bytes to an output file, unbuffered
 * @v:		Module state
 * @f:		The file; once a write failed, it is not written again
 * @p:		Bytes
 * @n:		How many
 */
void vtrace_file_write(struct vtrace *v, struct vtrace_file *f,
		       const char *p, size_t n)
{
	char name[PATH_MAX + 16];
	int ret;

	if (f->failed || !n)
		return;
	ret = vtrace_write(f->fd, p, n);
	if (!ret)
		return;
	f->failed = 1;
	vtrace_outbuf_name(v, f->pid, name, sizeof(name));
	vtrace_outbuf_failed(v, name, -ret);
}

/* Write out what @f holds; with @out_lock held */
static void vtrace_outbuf_flush(struct vtrace *v, struct vtrace_file *f)
{
	if (!f->out.len)
		return;
	vtrace_file_write(v, f, f->out.p, f->out.len);
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
		vtrace_file_write(v, f, p, n);
		return;
	}
	if (f->failed)
		return;
	vtrace_buf_put(&f->out, p, n);
	if (f->out.len >= VTRACE_OUTBUF_SIZE)
		vtrace_outbuf_flush(v, f);
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
			vtrace_outbuf_flush(v, &v->files[i]);
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
		vtrace_outbuf_flush(v, &v->files[i]);
		vtrace_buf_free(&v->files[i].out);
	}
	v->buffered = 0;
}
