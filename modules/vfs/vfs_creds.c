// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vfs/vfs_creds.c - Calls made for a caller, with its credentials
 *
 * DOC: Whose permissions
 *
 * The module answers some calls itself (the stat family, access, opens
 * at a notification: vfs_emul.c).  Under the ptracer it runs in the
 * supervisor, whose credentials are those the command started with.  They
 * stay the caller's until a process of the view changes its own (setuid(),
 * setgroups(), capset()... only possible when facet was started
 * privileged): from then on the supervisor's notification thread takes the
 * caller's filesystem uid and gid, groups and effective capabilities (read
 * from /proc/TID/status) for the duration of each such call, with the raw
 * thread-local syscalls, and goes back to its own afterwards.  Under
 * preload the module runs in the caller itself and nothing is needed.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../../core/procfs.h"
#include "vfs.h"

#define VFS_GROUPS_MAX	1024

/**
 * struct vfs_creds - What permission checks on files depend on
 */
struct vfs_creds {
	uid_t fsuid;
	gid_t fsgid;
	int ngroups;
	uint64_t capeff;
	gid_t groups[VFS_GROUPS_MAX];
};

/* The text after "\n@key" in @buf, or NULL */
static const char *vfs_creds_field(const char *buf, const char *key)
{
	const char *p = strstr(buf, key);

	return p ? p + strlen(key) : NULL;
}

/* The @n-th (0-based) number of a tab-separated status line */
static unsigned long vfs_creds_nth(const char *p, int n, int base)
{
	char *end;
	unsigned long v = 0;

	while (n-- >= 0) {
		v = strtoul(p, &end, base);
		p = end;
	}
	return v;
}

/*
 * @real: the ids access(2) checks (the real ones; capabilities as the
 * kernel gives them there: all permitted ones for uid 0, none otherwise)
 */
static int vfs_creds_read(const char *status, struct vfs_creds *c, int real)
{
	/* static: no allocation on the hot path; Groups can be long */
	static char buf[16384];
	const char *uid, *gid, *grp, *cap, *prm;
	ssize_t n;
	int fd;

	fd = open(status, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -EIO;
	buf[n] = '\0';
	uid = vfs_creds_field(buf, "\nUid:");
	gid = vfs_creds_field(buf, "\nGid:");
	grp = vfs_creds_field(buf, "\nGroups:");
	cap = vfs_creds_field(buf, "\nCapEff:");
	prm = vfs_creds_field(buf, "\nCapPrm:");
	if (!uid || !gid || !grp || !cap || !prm)
		return -EIO;
	c->fsuid = vfs_creds_nth(uid, real ? 0 : 3, 10);
	c->fsgid = vfs_creds_nth(gid, real ? 0 : 3, 10);
	c->capeff = strtoull(cap, NULL, 16);
	if (real)
		c->capeff = c->fsuid ? 0 : strtoull(prm, NULL, 16);
	for (c->ngroups = 0; *grp && *grp != '\n';) {
		char *end;
		unsigned long g = strtoul(grp, &end, 10);

		if (end == grp)
			break;
		if (c->ngroups == VFS_GROUPS_MAX)
			return -E2BIG;
		c->groups[c->ngroups++] = g;
		grp = end;
	}
	return 0;
}

static int vfs_creds_equal(const struct vfs_creds *a,
			   const struct vfs_creds *b)
{
	return a->fsuid == b->fsuid && a->fsgid == b->fsgid &&
	       a->capeff == b->capeff && a->ngroups == b->ngroups &&
	       !memcmp(a->groups, b->groups, a->ngroups * sizeof(gid_t));
}

/* Set this thread's effective capabilities, keeping the permitted set */
static int vfs_creds_capset(uint64_t eff)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3,
						0 };
	struct __user_cap_data_struct data[2];

	if (syscall(SYS_capget, &hdr, data) < 0)
		return -errno;
	data[0].effective = eff & data[0].permitted;
	data[1].effective = (eff >> 32) & data[1].permitted;
	return syscall(SYS_capset, &hdr, data) < 0 ? -errno : 0;
}

/* Take @c in this thread only (raw syscalls: libc would change them all) */
static int vfs_creds_set(const struct vfs_creds *c, uint64_t mine)
{
	int ret = vfs_creds_capset(mine);	/* CAP_SETGID for setgroups */

	if (ret < 0)
		return ret;
	if (syscall(SYS_setgroups, c->ngroups, c->groups) < 0)
		return -errno;
	syscall(SYS_setfsgid, c->fsgid);
	syscall(SYS_setfsuid, c->fsuid);
	/* setfsuid() and setfsgid() return the old id: check they took */
	if ((uid_t)syscall(SYS_setfsuid, -1) != c->fsuid ||
	    (gid_t)syscall(SYS_setfsgid, -1) != c->fsgid)
		return -EPERM;
	/*
	 * CAP_SYS_PTRACE stays: the caller's memory is read and written
	 * with process_vm_readv/writev between the calls, which check the
	 * real uid (still the supervisor's) against the caller's.
	 */
	return vfs_creds_capset(c->capeff | (1ULL << CAP_SYS_PTRACE));
}

static struct vfs_creds vfs_creds_mine, vfs_creds_theirs;
VFS_DATA static int vfs_creds_known, vfs_creds_now;

/*
 * Are the caller's credentials in force?  Then access(2) must be made
 * with AT_EACCESS: without it the kernel checks this process's real uid,
 * which is still the supervisor's (the caller's real ids are in force as
 * the filesystem ids already).
 */
int vfs_creds_taken(void)
{
	return vfs_creds_now;
}

/* vfs_creds_begin() without its look at the call */
static int vfs_creds_take(struct vfs_self *s, struct facet_call *call,
			  int real)
{
	char status[64];
	int ret;

	if (!s->sh->creds_changed || s->in_process)
		return 0;
	if (!vfs_creds_known) {
		ret = vfs_creds_read("/proc/thread-self/status",
				     &vfs_creds_mine, 0);
		if (ret < 0)
			return ret;
		vfs_creds_known = 1;
	}
	snprintf(status, sizeof(status), "/proc/%d/status",
		 (int)facet_tid(call));
	ret = vfs_creds_read(status, &vfs_creds_theirs, real);
	if (ret < 0)
		return ret;
	if (vfs_creds_equal(&vfs_creds_mine, &vfs_creds_theirs))
		return 0;
	ret = vfs_creds_set(&vfs_creds_theirs, vfs_creds_mine.capeff);
	if (ret < 0) {
		vfs_creds_end(1);
		return -EACCES;
	}
	vfs_creds_now = 1;
	return 1;
}

/**
 * vfs_creds_begin() - Take the caller's credentials for a call made for it
 * @real:	The call checks the real ids (access(2) without AT_EACCESS)
 *
 * Return: 1 if they were taken (call vfs_creds_end()), 0 if there was no
 * need, -errno (the call must fail) if they could not be
 */
int vfs_creds_begin(struct vfs_self *s, struct facet_call *call, int real)
{
	if (facet_can_rewrite(call))
		return 0;
	return vfs_creds_take(s, call, real);
}

/**
 * vfs_creds_begin_always() - vfs_creds_begin() for a call the module makes
 * even where the caller could have made it (a ptrace stop)
 *
 * Return: as vfs_creds_begin()
 */
int vfs_creds_begin_always(struct vfs_self *s, struct facet_call *call)
{
	return vfs_creds_take(s, call, 0);
}

/**
 * vfs_creds_capable() - Has the caller capability @cap in its effective set?
 *
 * Return: 1 or 0, -errno if its status could not be read
 */
int vfs_creds_capable(struct facet_call *call, int cap)
{
	/* static: struct vfs_creds is large (a signal handler's stack) */
	static struct vfs_creds c;
	char status[64];
	int ret;

	snprintf(status, sizeof(status), "/proc/%d/status",
		 (int)facet_tid(call));
	ret = vfs_creds_read(status, &c, 0);
	if (ret < 0)
		return ret;
	return !!(c.capeff & (1ULL << cap));
}

/* Back to the module's own credentials after vfs_creds_begin() said 1 */
void vfs_creds_end(int taken)
{
	if (taken <= 0)
		return;
	vfs_creds_set(&vfs_creds_mine, vfs_creds_mine.capeff);
	vfs_creds_now = 0;
}

/* Calls that change credentials */
static const long vfs_creds_calls[] = {
	SYS_setuid, SYS_setgid, SYS_setreuid, SYS_setregid, SYS_setresuid,
	SYS_setresgid, SYS_setfsuid, SYS_setfsgid, SYS_setgroups, SYS_capset,
};

VFS_COLD void vfs_creds_wants(struct facet_sysset *set)
{
	size_t i;

	for (i = 0; i < sizeof(vfs_creds_calls) / sizeof(vfs_creds_calls[0]);
	     i++)
		facet_sysset_add(set, vfs_creds_calls[i], FACET_HOOK_ENTER);
}

/*
 * Is each of the four ids on status line @line (real, effective, saved,
 * fs) equal to @id?
 */
static int vfs_creds_all(const char *line, uint32_t id)
{
	int i;

	for (i = 0; i < 4; i++)
		if (vfs_creds_nth(line, i, 10) != id)
			return 0;
	return 1;
}

/* Status line (Uid or Gid) and number of ids the set*id call @nr names */
static int vfs_creds_ids(long nr, const char *uid, const char *gid,
			 const char **line)
{
	switch (nr) {
	case SYS_setuid:
	case SYS_setfsuid:
		*line = uid;
		return 1;
	case SYS_setgid:
	case SYS_setfsgid:
		*line = gid;
		return 1;
	case SYS_setreuid:
		*line = uid;
		return 2;
	case SYS_setregid:
		*line = gid;
		return 2;
	case SYS_setresuid:
		*line = uid;
		return 3;
	case SYS_setresgid:
		*line = gid;
		return 3;
	default:
		return 0;
	}
}

/*
 * Does @call leave the caller's ids as they are?  True when every id it
 * names (not -1) is already the caller's real, effective, saved and fs id
 * of that kind: setresuid(-1, geteuid(), -1), which binutils and make run
 * in every process, or setuid(getuid()) where all four agree.  Anything
 * else (setgroups, capset, ids that differ, a status that cannot be read)
 * counts as a change.
 */
static int vfs_creds_noop(struct facet_call *call)
{
	static char buf[16384];
	const char *uid, *gid, *line = NULL;
	int i, nids;

	if (facet_procfs_read(facet_tid(call), "status", buf,
			      sizeof(buf)) <= 0)
		return 0;
	uid = vfs_creds_field(buf, "\nUid:");
	gid = vfs_creds_field(buf, "\nGid:");
	if (!uid || !gid)
		return 0;
	nids = vfs_creds_ids(facet_nr(call), uid, gid, &line);
	if (!nids)
		return 0;
	for (i = 0; i < nids; i++) {
		uint32_t id = (uint32_t)facet_arg(call, i);

		if (id != (uint32_t)-1 && !vfs_creds_all(line, id))
			return 0;
	}
	return 1;
}

/*
 * Is @call one that changes credentials?  Then remember that it came:
 * from then on every call the module makes for a caller first reads the
 * caller's status (vfs_creds_begin()).  A call that changes nothing is
 * not counted.
 */
int vfs_creds_enter(struct vfs_self *s, struct facet_call *call)
{
	size_t i;

	for (i = 0; i < sizeof(vfs_creds_calls) / sizeof(vfs_creds_calls[0]);
	     i++) {
		if (facet_nr(call) == vfs_creds_calls[i]) {
			if (!s->sh->creds_changed && !vfs_creds_noop(call))
				s->sh->creds_changed = 1;
			return 1;
		}
	}
	return 0;
}
