// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vtrace/vtrace_outslot.c - Records gathered in the view's shared
 *				      memory, which outlive their process
 *
 * DOC: Records of a killed process
 *
 * Under preload each process gathers its records for a -o file before
 * writing them (vtrace_inproc_put()).  Gathered in the process's own
 * memory, they died with it when a signal killed it (SIGKILL, SIGTERM,
 * a crash, abort()): the calls just before the end, the ones a trace of a
 * crash is read for, were the ones lost.  So they are gathered in a slot
 * of the view's shared memory instead, one per process and file; the
 * process writes it out as before, and when it dies with records left,
 * facet does: its keeper when it reaps the process (before the
 * "+++ killed by" line it writes), and facet at the view's end for those
 * a parent reaped.  A slot holds whole records only: its length grows
 * after the bytes are in.  A process killed between a write(2) of its
 * slot and the reset of the length (a few instructions) has those records
 * written twice.  With every slot taken (VTRACE_OUTSLOTS processes of
 * the view with a file at once), a process writes each record at once.
 */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "vtrace.h"

/**
 * vtrace_outslot_claim() - A slot for this process's records to a file
 * @v:		Module state, an image
 * @f:		The file (its @pid: 0 the one output, else FILE.pid); its
 *		@kept is set, or stays NULL if every slot is taken
 *
 * The slot an earlier image of this process had for the file is taken
 * again, with what it holds (records of a killed process whose pid this
 * one got are written with this process's, late rather than never).
 */
void vtrace_outslot_claim(struct vtrace *v, struct vtrace_file *f)
{
	struct vtrace_shared *sh = v->sh;
	pid_t pid = getpid(), none;
	int i;

	for (i = 0; i < VTRACE_OUTSLOTS; i++)
		if (__atomic_load_n(&sh->outslot_pid[i], __ATOMIC_ACQUIRE) ==
		    pid && sh->outslot_key[i] == f->pid)
			goto found;
	for (i = 0; i < VTRACE_OUTSLOTS; i++) {
		none = 0;
		if (__atomic_compare_exchange_n(&sh->outslot_pid[i], &none,
						pid, 0, __ATOMIC_ACQ_REL,
						__ATOMIC_RELAXED)) {
			sh->outslot_key[i] = f->pid;
			sh->outslots[i].len = 0;
			goto found;
		}
	}
	return;
found:
	f->kept = &sh->outslots[i];
	f->kept_at = i;
}

/**
 * vtrace_outslot_release() - Free @f's slot, written out
 * @v:		Module state
 * @f:		The file
 */
void vtrace_outslot_release(struct vtrace *v, struct vtrace_file *f)
{
	if (!f->kept)
		return;
	f->kept->len = 0;
	__atomic_store_n(&v->sh->outslot_pid[f->kept_at], 0,
			 __ATOMIC_RELEASE);
	f->kept = NULL;
}

/* facet: write out slot @i, a dead process's, and free it */
static void vtrace_outslot_write(struct vtrace *v, int i)
{
	struct vtrace_outslot *s = &v->sh->outslots[i];
	unsigned int len = __atomic_load_n(&s->len, __ATOMIC_ACQUIRE);
	pid_t key = v->sh->outslot_key[i];
	char path[PATH_MAX + 16];
	int fd;

	if (len > sizeof(s->data))
		len = 0;	/* not a length a process wrote: damaged */
	if (len && !key && v->nfiles && !v->per_process) {
		vtrace_file_write(v, &v->files[0], s->data, len);
	} else if (len && key) {
		snprintf(path, sizeof(path), "%s.%d", v->sh->output, key);
		fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
		if (fd >= 0) {
			vtrace_write(fd, s->data, len);
			close(fd);
		}
	}
	s->len = 0;
	__atomic_store_n(&v->sh->outslot_pid[i], 0, __ATOMIC_RELEASE);
}

/**
 * vtrace_outslot_reap() - facet: write out what dead processes gathered
 * @v:		Module state, the owner of the view
 * @pid:	The process facet's keeper reaped, or 0 at the view's end:
 *		every process's (all have ended)
 */
void vtrace_outslot_reap(struct vtrace *v, pid_t pid)
{
	pid_t owner;
	int i;

	for (i = 0; i < VTRACE_OUTSLOTS; i++) {
		owner = __atomic_load_n(&v->sh->outslot_pid[i],
					__ATOMIC_ACQUIRE);
		if (owner && (!pid || owner == pid))
			vtrace_outslot_write(v, i);
	}
}
