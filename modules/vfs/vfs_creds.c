// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vfs/vfs_creds.c - Calls answered for a caller that changed user
 *
 * DOC: Whose permissions
 *
 * Under the ptracer the module answers the stat family, access, readlink
 * and the xattr reads itself (vfs_emul.c), in the supervisor, which has
 * facet's uid.  That is the caller's uid too, until a command run by root
 * drops to another user (setpriv, su, a daemon): from then on the
 * supervisor would see files the caller may not (a stat under /root
 * succeeding for "nobody").  So the module watches the calls that change
 * ids (a notification, only when they are made) and marks the caller; for
 * a marked caller it reads the ids from /proc/PID/status once per change
 * and makes the call with them: the supervisor's thread takes the caller's
 * filesystem uid and gid and groups (raw per-thread syscalls, undone
 * afterwards).  Under preload the module runs in the caller: nothing to do.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "vfs.h"

static const long vfs_creds_calls[] = {
	SYS_setuid,   SYS_setgid,   SYS_setreuid, SYS_setregid,
	SYS_setresuid, SYS_setresgid, SYS_setfsuid, SYS_setfsgid,
	SYS_setgroups, SYS_capset,
};

/**
 * vfs_creds_wants() - The id-changing calls, where the module answers
 * calls in another process than the caller's
 */
void vfs_creds_wants(struct vfs_self *s, struct facet_sysset *set)
{
	size_t i;

	if (s->creds.in_process)
		return;
	for (i = 0; i < sizeof(vfs_creds_calls) / sizeof(vfs_creds_calls[0]);
	     i++)
		facet_sysset_add(set, vfs_creds_calls[i], FACET_HOOK_ENTER);
}

static int vfs_creds_find(const struct vfs_creds *c, pid_t id)
{
	int i;

	for (i = 0; i < c->n; i++)
		if (c->who[i].id == id)
			return i;
	return -1;
}

/* Mark @id as changed (again); full table: every caller counts as marked */
static void vfs_creds_mark(struct vfs_creds *c, pid_t id)
{
	int i = vfs_creds_find(c, id);

	if (i < 0) {
		if (c->n == VFS_CREDS_MAX) {
			c->all = 1;
			return;
		}
		i = c->n++;
		c->who[i].id = id;
	}
	c->who[i].known = 0;
}

/**
 * vfs_creds_note() - Is @call an id-changing call?  Marks the caller
 *
 * Return: 1 if it is (the call then goes on unchanged), 0 if not
 */
int vfs_creds_note(struct vfs_self *s, struct facet_call *call)
{
	long nr = facet_nr(call);
	size_t i;

	for (i = 0; i < sizeof(vfs_creds_calls) / sizeof(vfs_creds_calls[0]);
	     i++)
		if (vfs_creds_calls[i] == nr) {
			vfs_creds_mark(&s->creds, facet_tid(call));
			vfs_creds_mark(&s->creds, facet_pid(call));
			return 1;
		}
	return 0;
}

/**
 * vfs_creds_process() - Children keep their parent's mark; ids are reused
 */
void vfs_creds_process(struct vfs_self *s, enum facet_proc_event ev,
		       pid_t pid, long other)
{
	struct vfs_creds *c = &s->creds;
	int i;

	if (ev == FACET_PROC_FORK && vfs_creds_find(c, (pid_t)other) >= 0) {
		vfs_creds_mark(c, pid);
	} else if (ev == FACET_PROC_EXIT && (i = vfs_creds_find(c, pid)) >= 0) {
		c->who[i] = c->who[--c->n];
	}
}

/* The ids of @tid from /proc: uid and gid (real, fs) and groups */
static int vfs_creds_read(struct vfs_caller *w, pid_t tid)
{
	char path[48], line[4096];
	unsigned long r, e, sv, fs;
	FILE *f;
	int got = 0;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)tid);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	w->ngroups = 0;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "Uid: %lu %lu %lu %lu", &r, &e, &sv, &fs) == 4) {
			w->ruid = r;
			w->fsuid = fs;
			got |= 1;
		} else if (sscanf(line, "Gid: %lu %lu %lu %lu", &r, &e, &sv,
				  &fs) == 4) {
			w->rgid = r;
			w->fsgid = fs;
			got |= 2;
		} else if (!strncmp(line, "Groups:", 7)) {
			char *p = line + 7, *end;

			while (w->ngroups < VFS_CREDS_GROUPS) {
				unsigned long g = strtoul(p, &end, 10);

				if (end == p)
					break;
				w->groups[w->ngroups++] = g;
				p = end;
			}
		}
	}
	fclose(f);
	return got == 3 ? 0 : -EIO;
}

/**
 * vfs_creds_enter() - Take the caller's ids on this thread, if it has others
 * @real:	Check as access(2) does, with the real ids
 *
 * Return: 1 if taken (undo with vfs_creds_leave()), 0 if the caller has
 * the supervisor's ids, -errno if they cannot be known or taken
 */
int vfs_creds_enter(struct vfs_self *s, struct facet_call *call, int real)
{
	struct vfs_creds *c = &s->creds;
	struct vfs_caller *w, any;
	pid_t tid = facet_tid(call);
	int i, ret;

	if (c->in_process || (!c->n && !c->all))
		return 0;
	i = vfs_creds_find(c, tid);
	if (i < 0)
		i = vfs_creds_find(c, facet_pid(call));
	if (i < 0 && !c->all)
		return 0;
	w = i >= 0 ? &c->who[i] : &any;
	if (i < 0 || !w->known) {
		ret = vfs_creds_read(w, tid);
		if (ret < 0)
			return ret;
		w->known = i >= 0;
	}
	if (syscall(SYS_setgroups, w->ngroups, w->groups) < 0)
		return -errno;
	syscall(SYS_setfsgid, real ? w->rgid : w->fsgid);
	syscall(SYS_setfsuid, real ? w->ruid : w->fsuid);
	return 1;
}

/**
 * vfs_creds_leave() - The supervisor's own ids back on this thread
 */
void vfs_creds_leave(struct vfs_self *s)
{
	syscall(SYS_setfsuid, s->creds.fsuid);
	syscall(SYS_setfsgid, s->creds.fsgid);
	syscall(SYS_setgroups, s->creds.ngroups, s->creds.groups);
}

/**
 * vfs_creds_start() - Remember the supervisor's own ids
 * @in_process:	The module runs in the caller (preload)
 */
void vfs_creds_start(struct vfs_self *s, int in_process)
{
	struct vfs_creds *c = &s->creds;
	int n;

	c->in_process = in_process;
	c->fsuid = geteuid();
	c->fsgid = getegid();
	n = getgroups(VFS_CREDS_GROUPS, c->groups);
	c->ngroups = n < 0 ? 0 : n;
}
