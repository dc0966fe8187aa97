// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vtrace/vtrace_struct.c - Structs in the caller's memory, as
 *				     strace shows them
 *
 * The struct name comes from core/syscalls.in (struct_in:timespec...).
 * Names without a decoder here are shown as their address, as strace does
 * for what it cannot read.
 */
#include <fcntl.h>
#include <linux/stat.h>
#include <sched.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../core/xlat.h"
#include "vtrace.h"

/**
 * vtrace_array_max() - Elements of an array shown before "..."
 * @v:		Module state
 * @nr:		The call it is an argument of
 *
 * Return: the -s value, as strace caps arrays; no cap for a call not
 * abbreviated (-v)
 */
long vtrace_array_max(const struct vtrace *v, long nr)
{
	return vtrace_abbrev(v, nr) ? v->strsize : LONG_MAX;
}

/**
 * vtrace_array_cut() - Stop an array at strace's cap, before element @k
 * @v:		Module state
 * @nr:		The call it is an argument of
 * @b:		Buffer
 * @k:		Elements shown so far (there is at least one more)
 *
 * Return: 1 if the array stops here: "..." was appended as its last
 * element ("[a, b, ...]", "[...]" with -s 0), else 0
 */
int vtrace_array_cut(const struct vtrace *v, long nr, struct vtrace_buf *b,
		     long k)
{
	if (k < vtrace_array_max(v, nr))
		return 0;
	vtrace_buf_puts(b, k ? ", ..." : "...");
	return 1;
}

/* Context of one struct argument */
struct vtrace_sctx {
	struct vtrace *v;
	struct facet_call *call;
	struct vtrace_slot *s;
	struct vtrace_buf *b;
	int i;
	long ret;
};

static int vtrace_get(struct vtrace_sctx *c, void *dst, uintptr_t addr,
		      size_t len)
{
	return facet_peek(c->call, dst, addr, len) == (ssize_t)len ? 0 : -1;
}

static long vtrace_next_arg(struct vtrace_sctx *c)
{
	return c->i < 5 ? facet_arg(c->call, c->i + 1) : 0;
}

static void vtrace_st_timespec(struct vtrace_sctx *c, uintptr_t addr)
{
	struct timespec ts;

	if (vtrace_get(c, &ts, addr, sizeof(ts)) < 0) {
		vtrace_buf_printf(c->b, "%#lx", (unsigned long)addr);
		return;
	}
	vtrace_buf_printf(c->b, "{tv_sec=%lld, tv_nsec=%ld}",
			  (long long)ts.tv_sec, ts.tv_nsec);
}

static void vtrace_st_timeval(struct vtrace_sctx *c, uintptr_t addr)
{
	struct timeval tv;

	if (vtrace_get(c, &tv, addr, sizeof(tv)) < 0) {
		vtrace_buf_printf(c->b, "%#lx", (unsigned long)addr);
		return;
	}
	vtrace_buf_printf(c->b, "{tv_sec=%lld, tv_usec=%ld}",
			  (long long)tv.tv_sec, (long)tv.tv_usec);
}

/* setitimer/getitimer: {it_interval={...}, it_value={...}}, as strace */
static void vtrace_st_itimerval(struct vtrace_sctx *c, uintptr_t addr)
{
	struct itimerval it;

	if (vtrace_get(c, &it, addr, sizeof(it)) < 0) {
		vtrace_buf_printf(c->b, "%#lx", (unsigned long)addr);
		return;
	}
	vtrace_buf_printf(c->b, "{it_interval={tv_sec=%lld, tv_usec=%ld}, "
			  "it_value={tv_sec=%lld, tv_usec=%ld}}",
			  (long long)it.it_interval.tv_sec,
			  (long)it.it_interval.tv_usec,
			  (long long)it.it_value.tv_sec,
			  (long)it.it_value.tv_usec);
}

static void vtrace_st_stat(struct vtrace_sctx *c, uintptr_t addr)
{
	struct stat st;

	if (vtrace_get(c, &st, addr, sizeof(st)) < 0) {
		vtrace_buf_printf(c->b, "%#lx", (unsigned long)addr);
		return;
	}
	vtrace_put_stat(c->v, c->b, &st, !vtrace_abbrev(c->v, c->s->nr));
}

/* -v: a statx timestamp, with its date when it is not 0, as strace; only
 * when the kernel's mask says it is there (@bit) */
static void vtrace_statx_time(struct vtrace_sctx *c, const char *name,
			      const struct statx_timestamp *t,
			      unsigned mask, unsigned bit)
{
	if (!(mask & bit))
		return;
	vtrace_buf_printf(c->b, ", %s={tv_sec=%lld, tv_nsec=%u}", name,
			  (long long)t->tv_sec, t->tv_nsec);
	if (t->tv_sec || t->tv_nsec)
		vtrace_put_date(c->v, c->b, t->tv_sec, t->tv_nsec, 9);
}

/* -v: every field of a statx, in strace's order */
static void vtrace_statx_full(struct vtrace_sctx *c, const struct statx *x,
			      const char *mask)
{
	char attrs[512];

	vtrace_buf_printf(c->b, "{stx_mask=%s, stx_blksize=%u, "
			  "stx_attributes=", mask, x->stx_blksize);
	facet_xlat_flags("statx_attrs", x->stx_attributes, attrs,
			 sizeof(attrs));
	vtrace_buf_printf(c->b, "%s, stx_nlink=%u, stx_uid=%u, stx_gid=%u, "
			  "stx_mode=", attrs, x->stx_nlink, x->stx_uid,
			  x->stx_gid);
	vtrace_put_mode(c->b, x->stx_mode);
	facet_xlat_flags("statx_attrs", x->stx_attributes_mask, attrs,
			 sizeof(attrs));
	vtrace_buf_printf(c->b, ", stx_ino=%llu, stx_size=%llu, "
			  "stx_blocks=%llu, stx_attributes_mask=%s",
			  (unsigned long long)x->stx_ino,
			  (unsigned long long)x->stx_size,
			  (unsigned long long)x->stx_blocks, attrs);
	vtrace_statx_time(c, "stx_atime", &x->stx_atime, x->stx_mask,
			  STATX_ATIME);
	vtrace_statx_time(c, "stx_btime", &x->stx_btime, x->stx_mask,
			  STATX_BTIME);
	vtrace_statx_time(c, "stx_ctime", &x->stx_ctime, x->stx_mask,
			  STATX_CTIME);
	vtrace_statx_time(c, "stx_mtime", &x->stx_mtime, x->stx_mask,
			  STATX_MTIME);
	vtrace_buf_printf(c->b, ", stx_rdev_major=%u, stx_rdev_minor=%u, "
			  "stx_dev_major=%u, stx_dev_minor=%u",
			  x->stx_rdev_major, x->stx_rdev_minor,
			  x->stx_dev_major, x->stx_dev_minor);
	if (x->stx_mask & STATX_MNT_ID)
		vtrace_buf_printf(c->b, ", stx_mnt_id=%#llx",
				  (unsigned long long)x->stx_mnt_id);
	vtrace_buf_puts(c->b, "}");
}

static void vtrace_st_statx(struct vtrace_sctx *c, uintptr_t addr)
{
	struct statx stx;
	char mask[256];

	if (vtrace_get(c, &stx, addr, sizeof(stx)) < 0) {
		vtrace_buf_printf(c->b, "%#lx", (unsigned long)addr);
		return;
	}
	facet_xlat_flags("statx_mask", stx.stx_mask, mask, sizeof(mask));
	if (!vtrace_abbrev(c->v, c->s->nr))
		return vtrace_statx_full(c, &stx, mask);
	vtrace_buf_printf(c->b, "{stx_mask=%s, stx_attributes=%#llx, "
			  "stx_mode=", mask,
			  (unsigned long long)stx.stx_attributes);
	vtrace_put_mode(c->b, stx.stx_mode);
	vtrace_buf_printf(c->b, ", stx_size=%llu, ...}",
			  (unsigned long long)stx.stx_size);
}

static void vtrace_st_sockaddr(struct vtrace_sctx *c, uintptr_t addr,
			       size_t len)
{
	unsigned char sa[128];

	if (len > sizeof(sa))
		len = sizeof(sa);
	if (vtrace_get(c, sa, addr, len) < 0) {
		vtrace_buf_printf(c->b, "%#lx", (unsigned long)addr);
		return;
	}
	vtrace_sockaddr(c->b, c->s->sockaddr, sizeof(c->s->sockaddr), sa, len);
}

/* Output sockaddr: its length is an int the next argument points to */
static void vtrace_st_sockaddr_out(struct vtrace_sctx *c, uintptr_t addr)
{
	uintptr_t lenp = vtrace_next_arg(c);
	int len = 0;

	if (!lenp || vtrace_get(c, &len, lenp, sizeof(len)) < 0 || len < 0) {
		vtrace_buf_printf(c->b, "%#lx", (unsigned long)addr);
		return;
	}
	vtrace_st_sockaddr(c, addr, len);
}

/* An int the kernel reads and writes: "[128 => 16]" when it changed */
static void vtrace_st_int(struct vtrace_sctx *c, uintptr_t addr, int wide)
{
	const struct facet_sysarg *a = &facet_syscall(c->s->nr)->arg[c->i];
	long long x = 0;

	if (vtrace_get(c, &x, addr, wide ? 8 : 4) < 0) {
		vtrace_buf_printf(c->b, "%#lx", (unsigned long)addr);
		return;
	}
	if (!wide)
		x = (int)x;
	if (a->kind == FACET_ARG_STRUCT_INOUT && c->s->int_in_set &&
	    c->s->int_in != x)
		vtrace_buf_printf(c->b, "[%lld => %lld]", c->s->int_in, x);
	else
		vtrace_buf_printf(c->b, "[%lld]", x);
}

/**
 * vtrace_struct_entry() - Remember what an in-out int (or recvmsg's
 *			   msg_namelen) held at entry
 * @call:	The call, at entry
 * @s:		Its slot
 * @i:		Argument index (struct_inout:socklen and the like)
 */
void vtrace_struct_entry(struct facet_call *call, struct vtrace_slot *s,
			 int i)
{
	const char *type = facet_syscall(s->nr)->arg[i].detail;
	uintptr_t addr = facet_arg(call, i);
	struct msghdr m;
	int x;

	if (addr && type && !strcmp(type, "msghdr") &&
	    facet_peek(call, &m, addr, sizeof(m)) == sizeof(m)) {
		s->namelen_in = m.msg_namelen;	/* recvmsg: "16 => 0" */
		s->namelen_in_set = 1;
		return;
	}
	if (!addr || !type || (strcmp(type, "socklen") && strcmp(type, "u32") &&
			       strcmp(type, "uint")))
		return;
	if (facet_peek(call, &x, addr, sizeof(x)) == sizeof(x)) {
		s->int_in = x;
		s->int_in_set = i + 1;
	}
}

/* wait4's status, as strace: [{WIFEXITED(s) && WEXITSTATUS(s) == 7}] */
static void vtrace_st_wstatus(struct vtrace_sctx *c, uintptr_t addr)
{
	const char *name;
	int st;

	if (vtrace_get(c, &st, addr, sizeof(st)) < 0) {
		vtrace_buf_printf(c->b, "%#lx", (unsigned long)addr);
		return;
	}
	if (WIFEXITED(st)) {
		vtrace_buf_printf(c->b, "[{WIFEXITED(s) && WEXITSTATUS(s) == "
				  "%d}]", WEXITSTATUS(st));
	} else if (WIFSIGNALED(st)) {
		name = facet_xlat_name("signal", WTERMSIG(st));
		if (name)
			vtrace_buf_printf(c->b, "[{WIFSIGNALED(s) && "
					  "WTERMSIG(s) == %s%s}]", name,
					  WCOREDUMP(st) ? " && WCOREDUMP(s)"
							: "");
		else
			vtrace_buf_printf(c->b, "[{WIFSIGNALED(s) && "
					  "WTERMSIG(s) == %d}]", WTERMSIG(st));
	} else {
		vtrace_buf_printf(c->b, "[%#x]", st);
	}
}

static void vtrace_st_fd_pair(struct vtrace_sctx *c, uintptr_t addr)
{
	int fds[2];

	if (vtrace_get(c, fds, addr, sizeof(fds)) < 0) {
		vtrace_buf_printf(c->b, "%#lx", (unsigned long)addr);
		return;
	}
	vtrace_buf_puts(c->b, "[");
	vtrace_put_fd(c->b, c->s->pid, fds[0], NULL, 0);
	vtrace_buf_puts(c->b, ", ");
	vtrace_put_fd(c->b, c->s->pid, fds[1], NULL, 0);
	vtrace_buf_puts(c->b, "]");
}

/* struct iovec[n]: data shown up to @total bytes (-1: each whole) */
static void vtrace_st_iovec(struct vtrace_sctx *c, uintptr_t addr, long n,
			    long total)
{
	struct iovec iov;
	long k;

	vtrace_buf_puts(c->b, "[");
	for (k = 0; k < n; k++) {
		if (vtrace_array_cut(c->v, c->s->nr, c->b, k))
			break;
		if (vtrace_get(c, &iov, addr + k * sizeof(iov),
			       sizeof(iov)) < 0)
			break;
		vtrace_buf_puts(c->b, k ? ", {iov_base=" : "{iov_base=");
		if (total < 0 || (size_t)total >= iov.iov_len) {
			vtrace_put_string(c->v, c->call, c->b,
					  (uintptr_t)iov.iov_base, iov.iov_len);
		} else {
			vtrace_put_string(c->v, c->call, c->b,
					  (uintptr_t)iov.iov_base, total);
		}
		if (total >= 0)
			total = (size_t)total > iov.iov_len ?
				total - (long)iov.iov_len : 0;
		vtrace_buf_printf(c->b, ", iov_len=%zu}", iov.iov_len);
	}
	vtrace_buf_puts(c->b, "]");
}

static void vtrace_st_msghdr(struct vtrace_sctx *c, uintptr_t addr)
{
	struct msghdr m;
	char flags[256];
	long total = c->ret >= 0 && facet_nr(c->call) == 47 ? c->ret : -1;

	if (vtrace_get(c, &m, addr, sizeof(m)) < 0) {
		vtrace_buf_printf(c->b, "%#lx", (unsigned long)addr);
		return;
	}
	/* a name buffer the kernel put nothing in is its address */
	vtrace_buf_puts(c->b, "{msg_name=");
	if (m.msg_name && m.msg_namelen)
		vtrace_st_sockaddr(c, (uintptr_t)m.msg_name, m.msg_namelen);
	else if (m.msg_name)
		vtrace_buf_printf(c->b, "%#lx", (unsigned long)m.msg_name);
	else
		vtrace_buf_puts(c->b, "NULL");
	if (c->s->namelen_in_set && c->s->namelen_in != m.msg_namelen)
		vtrace_buf_printf(c->b, ", msg_namelen=%u => %u",
				  c->s->namelen_in, m.msg_namelen);
	else
		vtrace_buf_printf(c->b, ", msg_namelen=%u", m.msg_namelen);
	vtrace_buf_puts(c->b, ", msg_iov=");
	vtrace_st_iovec(c, (uintptr_t)m.msg_iov, m.msg_iovlen, total);
	vtrace_buf_printf(c->b, ", msg_iovlen=%zu", (size_t)m.msg_iovlen);
	if (m.msg_control && m.msg_controllen) {	/* vtrace_cmsg.c */
		vtrace_buf_puts(c->b, ", msg_control=");
		vtrace_cmsg(c->b, c->call, c->s->pid, (uintptr_t)m.msg_control,
			    m.msg_controllen);
	}
	facet_xlat_flags("msg_flags", (unsigned)m.msg_flags, flags,
			 sizeof(flags));
	vtrace_buf_printf(c->b, ", msg_controllen=%zu, msg_flags=%s}",
			  (size_t)m.msg_controllen, flags);
}

/* epoll_event[n]; epoll_ctl's single one without brackets, as strace */
static void vtrace_st_epoll(struct vtrace_sctx *c, uintptr_t addr, long n)
{
	int one = facet_nr(c->call) == SYS_epoll_ctl;
	struct epoll_event e;
	char ev[128];
	long k;

	/* EPOLL_CTL_DEL ignores the event: strace shows its address */
	if (one && facet_arg(c->call, 1) == EPOLL_CTL_DEL) {
		vtrace_buf_printf(c->b, "%#lx", (unsigned long)addr);
		return;
	}

	if (!one)
		vtrace_buf_puts(c->b, "[");
	for (k = 0; k < n; k++) {
		if (!one && vtrace_array_cut(c->v, c->s->nr, c->b, k))
			break;
		if (vtrace_get(c, &e, addr + k * sizeof(e), sizeof(e)) < 0)
			break;
		facet_xlat_flags("epoll_events", e.events, ev, sizeof(ev));
		vtrace_buf_printf(c->b, "%s{events=%s, data={u32=%u, "
				  "u64=%llu}}", k ? ", " : "", ev, e.data.u32,
				  (unsigned long long)e.data.u64);
	}
	if (!one)
		vtrace_buf_puts(c->b, "]");
}

static void vtrace_st_sigset(struct vtrace_sctx *c, uintptr_t addr)
{
	unsigned long long set;
	int sig, inv, first = 1;

	if (vtrace_get(c, &set, addr, sizeof(set)) < 0) {
		vtrace_buf_printf(c->b, "%#lx", (unsigned long)addr);
		return;
	}
	inv = __builtin_popcountll(set) > 32;
	if (inv)
		set = ~set;
	vtrace_buf_puts(c->b, inv ? "~[" : "[");
	for (sig = 1; sig <= 64; sig++) {
		const char *name;

		if (!(set & 1ULL << (sig - 1)))
			continue;
		name = facet_xlat_name("signal", sig);
		if (!first)
			vtrace_buf_puts(c->b, " ");
		first = 0;
		if (name && !strncmp(name, "SIG", 3))
			vtrace_buf_puts(c->b, name + 3);
		else if (sig == 32)	/* the kernel's SIGRTMIN */
			vtrace_buf_puts(c->b, "RTMIN");
		else if (sig > 32)
			vtrace_buf_printf(c->b, "RT_%d", sig - 32);
		else
			vtrace_buf_printf(c->b, "%d", sig);
	}
	vtrace_buf_puts(c->b, "]");
}

/* The kernel's struct sigaction, as strace shows it (its flag order) */
static void vtrace_st_sigaction(struct vtrace_sctx *c, uintptr_t addr)
{
	static const struct { unsigned long bit; const char *name; } fl[] = {
		{ 0x04000000, "SA_RESTORER" }, { SA_ONSTACK, "SA_ONSTACK" },
		{ SA_RESTART, "SA_RESTART" }, { SA_NODEFER, "SA_NODEFER" },
		{ SA_RESETHAND, "SA_RESETHAND" }, { SA_SIGINFO, "SA_SIGINFO" },
		{ SA_NOCLDSTOP, "SA_NOCLDSTOP" },
		{ SA_NOCLDWAIT, "SA_NOCLDWAIT" },
	};
	struct { unsigned long handler, flags, restorer, mask; } sa;
	unsigned long left, program;
	int first = 1, siginfo;
	size_t k;

	if (vtrace_get(c, &sa, addr, sizeof(sa)) < 0) {
		vtrace_buf_printf(c->b, "%#lx", (unsigned long)addr);
		return;
	}
	/* the program's handler, not the preload shim's in front of it */
	if (facet_signal_program_handler((int)facet_arg(c->call, 0),
					 sa.handler, c->i == 2, &program,
					 &siginfo)) {
		sa.handler = program;
		sa.flags = (sa.flags & ~(unsigned long)SA_SIGINFO) |
			   (siginfo ? SA_SIGINFO : 0);
	}
	if (sa.handler == (unsigned long)SIG_DFL)
		vtrace_buf_puts(c->b, "{sa_handler=SIG_DFL, sa_mask=");
	else if (sa.handler == (unsigned long)SIG_IGN)
		vtrace_buf_puts(c->b, "{sa_handler=SIG_IGN, sa_mask=");
	else
		vtrace_buf_printf(c->b, "{sa_handler=%#lx, sa_mask=",
				  sa.handler);
	vtrace_st_sigset(c, addr + offsetof(typeof(sa), mask));
	vtrace_buf_puts(c->b, ", sa_flags=");
	for (left = sa.flags, k = 0; k < sizeof(fl) / sizeof(fl[0]); k++) {
		if (!(left & fl[k].bit))
			continue;
		vtrace_buf_printf(c->b, "%s%s", first ? "" : "|", fl[k].name);
		left &= ~fl[k].bit;
		first = 0;
	}
	if (left || first)
		vtrace_buf_printf(c->b, "%s%#lx", first ? "" : "|", left);
	if (sa.flags & 0x04000000)
		vtrace_buf_printf(c->b, ", sa_restorer=%#lx", sa.restorer);
	vtrace_buf_puts(c->b, "}");
}

/*
 * clone3's struct clone_args as strace shows it, at entry: the pointers
 * only where the flags use them (vtrace_clone3_exit() adds the tid the
 * kernel stored: "{flags=..., ...} => {parent_tid=[42]}")
 */
static void vtrace_st_clone_args(struct vtrace_sctx *c, uintptr_t addr)
{
	struct {
		uint64_t flags, pidfd, child_tid, parent_tid, exit_signal;
		uint64_t stack, stack_size, tls;
	} ca;
	const char *sig;
	char flags[512];

	if (vtrace_get(c, &ca, addr, sizeof(ca)) < 0) {
		vtrace_buf_printf(c->b, "%#lx", (unsigned long)addr);
		return;
	}
	facet_xlat_flags("clone", ca.flags, flags, sizeof(flags));
	/* what the kernel stores is shown at exit, then the size */
	c->s->clone3_late = !!(ca.flags & (CLONE_PIDFD | CLONE_PARENT_SETTID));
	vtrace_buf_printf(c->b, "{flags=%s", flags);
	if (ca.flags & CLONE_PIDFD)
		vtrace_buf_printf(c->b, ", pidfd=%#llx",
				  (unsigned long long)ca.pidfd);
	if (ca.flags & (CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID))
		vtrace_buf_printf(c->b, ", child_tid=%#llx",
				  (unsigned long long)ca.child_tid);
	if (ca.flags & CLONE_PARENT_SETTID)
		vtrace_buf_printf(c->b, ", parent_tid=%#llx",
				  (unsigned long long)ca.parent_tid);
	sig = facet_xlat_name("signal", ca.exit_signal);
	if (sig)
		vtrace_buf_printf(c->b, ", exit_signal=%s", sig);
	else
		vtrace_buf_printf(c->b, ", exit_signal=%llu",
				  (unsigned long long)ca.exit_signal);
	if (ca.stack)
		vtrace_buf_printf(c->b, ", stack=%#llx",
				  (unsigned long long)ca.stack);
	else
		vtrace_buf_puts(c->b, ", stack=NULL");
	vtrace_buf_printf(c->b, ", stack_size=%#llx",
			  (unsigned long long)ca.stack_size);
	if (ca.flags & CLONE_SETTLS)
		vtrace_buf_printf(c->b, ", tls=%#llx",
				  (unsigned long long)ca.tls);
	vtrace_buf_puts(c->b, "}");
}

/**
 * vtrace_clone3_exit() - clone3's "=> {pidfd=[3<anon_inode:[pidfd]>],
 *			  parent_tid=[42]}", after the call
 * @call:	The call, at exit
 * @s:		Its slot, the struct decoded at entry as argument 0
 * @ret:	The result
 *
 * The text goes to @s->toff (for a "<... clone3 resumed>" line) and
 * argument 0 becomes the struct followed by it.
 */
void vtrace_clone3_exit(struct facet_call *call, struct vtrace_slot *s,
			long ret)
{
	struct { uint64_t flags, pidfd, child_tid, parent_tid; } ca;
	uintptr_t addr = facet_arg(call, 0);
	int tid, fd, pidfd;
	unsigned off;

	s->tlen = 0;
	if (ret <= 0 || !addr || s->off[0] == ~0u ||
	    facet_peek(call, &ca, addr, sizeof(ca)) != sizeof(ca))
		return;
	pidfd = (ca.flags & CLONE_PIDFD) &&
		facet_peek(call, &fd, ca.pidfd, sizeof(fd)) == sizeof(fd);
	tid = (ca.flags & CLONE_PARENT_SETTID) &&
	      facet_peek(call, &tid, ca.parent_tid, sizeof(tid)) ==
	      sizeof(tid) ? tid : -1;
	if (!pidfd && tid < 0)
		return;
	s->toff = s->args.len;
	vtrace_buf_puts(&s->args, " => {");
	if (pidfd) {
		vtrace_buf_puts(&s->args, "pidfd=[");
		vtrace_put_fd(&s->args, s->pid, fd, NULL, 0);
		vtrace_buf_puts(&s->args, tid >= 0 ? "], " : "]");
	}
	if (tid >= 0)
		vtrace_buf_printf(&s->args, "parent_tid=[%d]", tid);
	vtrace_buf_puts(&s->args, "}");
	s->tlen = s->args.len - s->toff;
	/* argument 0 whole: the struct, then what the kernel stored */
	vtrace_buf_reserve(&s->args, s->len[0] + s->tlen);
	off = s->args.len;
	vtrace_buf_put(&s->args, s->args.p + s->off[0], s->len[0]);
	vtrace_buf_put(&s->args, s->args.p + s->toff, s->tlen);
	s->off[0] = off;
	s->len[0] = s->args.len - off;
}

/**
 * vtrace_sigreturn() - rt_sigreturn's argument as strace shows it:
 *			the signal mask it restores, "{mask=[USR2]}"
 * @v:		Module state
 * @call:	The call, at entry
 * @s:		Its slot
 *
 * The kernel finds the signal frame at the stack pointer (its ucontext;
 * the handler's return popped the frame's return address), the mask at
 * uc_sigmask; the stack pointer is in /proc/TID/syscall at a stop.
 */
void vtrace_sigreturn(struct vtrace *v, struct facet_call *call,
		      struct vtrace_slot *s)
{
	struct vtrace_sctx c = { v, call, s, &s->args, 0, 0 };
	unsigned long sp = 0;
	char path[64], line[512];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/syscall", s->tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	n = fd < 0 ? -1 : read(fd, line, sizeof(line) - 1);
	if (fd >= 0)
		close(fd);
	if (n > 0) {
		line[n] = '\0';
		sscanf(line, "%*d %*x %*x %*x %*x %*x %*x %lx", &sp);
	}
	if (!sp) {
		vtrace_buf_puts(c.b, "{mask=?}");
		return;
	}
	vtrace_buf_puts(c.b, "{mask=");
	/* uc_flags, uc_link, uc_stack (24), uc_mcontext (256), uc_sigmask */
	vtrace_st_sigset(&c, sp + 8 + 8 + 24 + 256);
	vtrace_buf_puts(c.b, "}");
}

/* -v: one directory entry, as strace: getdents64's {d_ino=2, d_off=..,
 * d_reclen=24, d_type=DT_DIR, d_name="."}, getdents' with d_name before
 * d_type (which is its record's last byte) */
static void vtrace_dirent(struct vtrace_buf *b, const unsigned char *e,
			  unsigned short reclen, int is64)
{
	static const char *const types[] = { "DT_UNKNOWN", "DT_FIFO",
		"DT_CHR", NULL, "DT_DIR", NULL, "DT_BLK", NULL, "DT_REG", NULL,
		"DT_LNK", NULL, "DT_SOCK", NULL, "DT_WHT" };
	unsigned long long ino, off;
	const char *name = (const char *)e + (is64 ? 19 : 18);
	unsigned char type = is64 ? e[18] : e[reclen - 1];
	size_t max = reclen - (is64 ? 19 : 18);

	memcpy(&ino, e, sizeof(ino));
	memcpy(&off, e + 8, sizeof(off));
	vtrace_buf_printf(b, "{d_ino=%llu, d_off=%llu, d_reclen=%u", ino, off,
			  reclen);
	if (!is64) {
		vtrace_buf_puts(b, ", d_name=");
		vtrace_buf_quote(b, (const unsigned char *)name,
				 strnlen(name, max), max, 0);
	}
	if (type < sizeof(types) / sizeof(types[0]) && types[type])
		vtrace_buf_printf(b, ", d_type=%s", types[type]);
	else
		vtrace_buf_printf(b, ", d_type=%#x /* DT_??? */", type);
	if (is64) {
		vtrace_buf_puts(b, ", d_name=");
		vtrace_buf_quote(b, (const unsigned char *)name,
				 strnlen(name, max), max, 0);
	}
	vtrace_buf_puts(b, "}");
}

/* getdents/getdents64: the address and the number of entries, as strace;
 * the entries themselves when not abbreviated (-v) */
static void vtrace_st_dirents(struct vtrace_sctx *c, uintptr_t addr)
{
	static unsigned char buf[65536];
	size_t len = c->ret > 0 ? (size_t)c->ret : 0, off = 0;
	int full = !vtrace_abbrev(c->v, c->s->nr);
	unsigned long n = 0;

	if (len > sizeof(buf))
		len = sizeof(buf);
	if (len && vtrace_get(c, buf, addr, len) < 0) {
		vtrace_buf_printf(c->b, "%#lx", (unsigned long)addr);
		return;
	}
	if (full)
		vtrace_buf_puts(c->b, "[");
	else
		vtrace_buf_printf(c->b, "%#lx", (unsigned long)addr);
	/* both layouts keep d_reclen at byte 16 */
	while (off + 18 <= len) {
		unsigned short reclen;

		memcpy(&reclen, buf + off + 16, sizeof(reclen));
		if (reclen < 20 || off + reclen > len)
			break;
		if (full)
			vtrace_dirent(c->b, buf + off, reclen,
				      c->s->nr == SYS_getdents64);
		if (full && off + reclen < len)
			vtrace_buf_puts(c->b, ", ");
		off += reclen;
		n++;
	}
	if (full)
		vtrace_buf_puts(c->b, "]");
	else
		vtrace_buf_printf(c->b, " /* %lu entries */", n);
}

/* A limit as strace writes it: RLIM64_INFINITY, 8192*1024, 1024 */
static void vtrace_rlim(struct vtrace_buf *b, unsigned long long lim)
{
	if (lim == RLIM_INFINITY)
		vtrace_buf_puts(b, "RLIM64_INFINITY");
	else if (lim > 1024 && lim % 1024 == 0)
		vtrace_buf_printf(b, "%llu*1024", lim / 1024);
	else
		vtrace_buf_printf(b, "%llu", lim);
}

static void vtrace_st_rlimit(struct vtrace_sctx *c, uintptr_t addr)
{
	struct rlimit r;

	if (vtrace_get(c, &r, addr, sizeof(r)) < 0) {
		vtrace_buf_printf(c->b, "%#lx", (unsigned long)addr);
		return;
	}
	vtrace_buf_puts(c->b, "{rlim_cur=");
	vtrace_rlim(c->b, r.rlim_cur);
	vtrace_buf_puts(c->b, ", rlim_max=");
	vtrace_rlim(c->b, r.rlim_max);
	vtrace_buf_puts(c->b, "}");
}

/* -v: one more field of a utsname, ", release=\"6.1.0\"" */
static void vtrace_uts_field(struct vtrace_buf *b, const char *name,
			     const char *text, size_t cap)
{
	vtrace_buf_printf(b, ", %s=", name);
	vtrace_buf_quote(b, (const unsigned char *)text, strnlen(text, cap),
			 cap, 0);
}

static void vtrace_st_utsname(struct vtrace_sctx *c, uintptr_t addr)
{
	struct utsname u;

	if (vtrace_get(c, &u, addr, sizeof(u)) < 0) {
		vtrace_buf_printf(c->b, "%#lx", (unsigned long)addr);
		return;
	}
	vtrace_buf_puts(c->b, "{sysname=");
	vtrace_buf_quote(c->b, (unsigned char *)u.sysname,
			 strnlen(u.sysname, sizeof(u.sysname)), 65, 0);
	vtrace_buf_puts(c->b, ", nodename=");
	vtrace_buf_quote(c->b, (unsigned char *)u.nodename,
			 strnlen(u.nodename, sizeof(u.nodename)), 65, 0);
	if (vtrace_abbrev(c->v, c->s->nr)) {
		vtrace_buf_puts(c->b, ", ...}");
		return;
	}
	vtrace_uts_field(c->b, "release", u.release, sizeof(u.release));
	vtrace_uts_field(c->b, "version", u.version, sizeof(u.version));
	vtrace_uts_field(c->b, "machine", u.machine, sizeof(u.machine));
	vtrace_uts_field(c->b, "domainname", u.domainname,
			 sizeof(u.domainname));
	vtrace_buf_puts(c->b, "}");
}

static void vtrace_st_sysinfo(struct vtrace_sctx *c, uintptr_t addr)
{
	struct sysinfo si;

	if (vtrace_get(c, &si, addr, sizeof(si)) < 0) {
		vtrace_buf_printf(c->b, "%#lx", (unsigned long)addr);
		return;
	}
	vtrace_buf_printf(c->b, "{uptime=%ld, loads=[%lu, %lu, %lu], "
			  "totalram=%lu, freeram=%lu, sharedram=%lu, "
			  "bufferram=%lu, totalswap=%lu, freeswap=%lu, "
			  "procs=%u, totalhigh=%lu, freehigh=%lu, mem_unit=%u}",
			  si.uptime, si.loads[0], si.loads[1], si.loads[2],
			  si.totalram, si.freeram, si.sharedram, si.bufferram,
			  si.totalswap, si.freeswap, (unsigned)si.procs,
			  si.totalhigh, si.freehigh, si.mem_unit);
}

/* getgroups/setgroups: [0, 4, 27], as many as the count says (-s at
 * most) */
static void vtrace_st_gids(struct vtrace_sctx *c, uintptr_t addr, long n)
{
	gid_t g;
	long k;

	vtrace_buf_puts(c->b, "[");
	for (k = 0; k < n; k++) {
		if (vtrace_array_cut(c->v, c->s->nr, c->b, k))
			break;
		if (vtrace_get(c, &g, addr + k * sizeof(g), sizeof(g)) < 0)
			break;
		vtrace_buf_printf(c->b, "%s%u", k ? ", " : "", (unsigned)g);
	}
	vtrace_buf_puts(c->b, "]");
}

/* sched_getaffinity/setaffinity: the CPUs in the set, "[0 1]" */
static void vtrace_st_cpu_set(struct vtrace_sctx *c, uintptr_t addr,
			      long len)
{
	unsigned char set[128];
	long i, first = 1;

	if (len > (long)sizeof(set))
		len = sizeof(set);
	if (len < 0 || vtrace_get(c, set, addr, len) < 0) {
		vtrace_buf_printf(c->b, "%#lx", (unsigned long)addr);
		return;
	}
	vtrace_buf_puts(c->b, "[");
	for (i = 0; i < len * 8; i++) {
		if (!(set[i / 8] & 1u << (i % 8)))
			continue;
		vtrace_buf_printf(c->b, "%s%ld", first ? "" : " ", i);
		first = 0;
	}
	vtrace_buf_puts(c->b, "]");
}

/* statfs/fstatfs as strace shows them */
static void vtrace_st_statfs(struct vtrace_sctx *c, uintptr_t addr)
{
	static const char *const fl[] = { "ST_RDONLY", "ST_NOSUID",
		"ST_NODEV", "ST_NOEXEC", "ST_SYNCHRONOUS", "ST_VALID",
		"ST_MANDLOCK", NULL, NULL, NULL, "ST_NOATIME", "ST_NODIRATIME",
		"ST_RELATIME", "ST_NOSYMFOLLOW" };
	const char *type;
	struct statfs sf;
	unsigned long flags;
	int fsid[2], i, first = 1;

	if (vtrace_get(c, &sf, addr, sizeof(sf)) < 0) {
		vtrace_buf_printf(c->b, "%#lx", (unsigned long)addr);
		return;
	}
	type = facet_xlat_name("fs_magic", (unsigned long)sf.f_type);
	if (type)
		vtrace_buf_printf(c->b, "{f_type=%s", type);
	else
		vtrace_buf_printf(c->b, "{f_type=%#lx",
				  (unsigned long)sf.f_type);
	memcpy(fsid, &sf.f_fsid, sizeof(fsid));
	vtrace_buf_printf(c->b, ", f_bsize=%ld, f_blocks=%lu, f_bfree=%lu, "
			  "f_bavail=%lu, f_files=%lu, f_ffree=%lu, "
			  "f_fsid={val=[%#x, %#x]}, f_namelen=%ld, "
			  "f_frsize=%ld, f_flags=", (long)sf.f_bsize,
			  (unsigned long)sf.f_blocks, (unsigned long)sf.f_bfree,
			  (unsigned long)sf.f_bavail, (unsigned long)sf.f_files,
			  (unsigned long)sf.f_ffree, (unsigned)fsid[0],
			  (unsigned)fsid[1], (long)sf.f_namelen,
			  (long)sf.f_frsize);
	flags = (unsigned long)sf.f_flags;
	for (i = 0; i < (int)(sizeof(fl) / sizeof(fl[0])); i++) {
		if (!fl[i] || !(flags & 1ul << i))
			continue;
		vtrace_buf_printf(c->b, "%s%s", first ? "" : "|", fl[i]);
		flags &= ~(1ul << i);
		first = 0;
	}
	if (flags || first)
		vtrace_buf_printf(c->b, "%s%#lx", first ? "" : "|", flags);
	vtrace_buf_puts(c->b, "}");
}

/* Read a struct of @len bytes into @dst, or show its address: 0 if read */
static int vtrace_get_or_addr(struct vtrace_sctx *c, void *dst,
			      uintptr_t addr, size_t len)
{
	if (vtrace_get(c, dst, addr, len) == 0)
		return 0;
	vtrace_buf_printf(c->b, "%#lx", (unsigned long)addr);
	return -1;
}

/* Time structs (vtrace_timestruct.c); 1 if @type is one of them */
static int vtrace_st_time(struct vtrace_sctx *c, const char *type,
			  uintptr_t addr)
{
	union {
		struct timespec ts[2];
		struct timeval tv[2];
		struct itimerspec its;
		struct rusage ru;
		struct sigevent se;
	} u;

	if (!strcmp(type, "timespec_pair")) {
		if (!vtrace_get_or_addr(c, u.ts, addr, sizeof(u.ts)))
			vtrace_put_timespec_pair(c->v, c->b, u.ts);
	} else if (!strcmp(type, "timeval_pair")) {
		if (!vtrace_get_or_addr(c, u.tv, addr, sizeof(u.tv)))
			vtrace_put_timeval_pair(c->v, c->b, u.tv);
	} else if (!strcmp(type, "itimerspec")) {
		if (!vtrace_get_or_addr(c, &u.its, addr, sizeof(u.its)))
			vtrace_put_itimerspec(c->b, &u.its);
	} else if (!strcmp(type, "rusage")) {
		if (!vtrace_get_or_addr(c, &u.ru, addr, sizeof(u.ru)))
			vtrace_put_rusage(c->b, &u.ru,
					  !vtrace_abbrev(c->v, c->s->nr));
	} else if (!strcmp(type, "sigevent")) {
		if (!vtrace_get_or_addr(c, &u.se, addr, sizeof(u.se)))
			vtrace_put_sigevent(c->b, &u.se);
	} else {
		return 0;
	}
	return 1;
}

/* A siginfo (waitid, rt_sigtimedwait...): "{}" when nothing is in it */
static void vtrace_st_siginfo(struct vtrace_sctx *c, uintptr_t addr)
{
	siginfo_t si;

	if (vtrace_get_or_addr(c, &si, addr, sizeof(si)))
		return;
	if (!si.si_signo)
		vtrace_buf_puts(c->b, "{}");
	else
		vtrace_siginfo(c->b, &si);
}

/* openat2's struct open_how: the mode only where the flags use one */
static void vtrace_st_open_how(struct vtrace_sctx *c, uintptr_t addr)
{
	struct { uint64_t flags, mode, resolve; } how;
	char flags[256];

	if (vtrace_get_or_addr(c, &how, addr, sizeof(how)))
		return;
	facet_xlat_flags("open", (unsigned long)how.flags, flags,
			 sizeof(flags));
	vtrace_buf_printf(c->b, "{flags=%s", flags);
	if (how.flags & (O_CREAT | __O_TMPFILE))
		vtrace_buf_printf(c->b, ", mode=%#03llo",
				  (unsigned long long)how.mode);
	facet_xlat_flags("resolve", (unsigned long)how.resolve, flags,
			 sizeof(flags));
	vtrace_buf_printf(c->b, ", resolve=%s}", flags);
}

/**
 * vtrace_put_flock() - fcntl's struct flock, as strace: "{l_type=F_WRLCK,
 *			l_whence=SEEK_SET, l_start=0, l_len=10}", with
 *			l_pid when the kernel wrote it (F_GETLK)
 * @b:		Buffer
 * @call:	The call
 * @addr:	Address of the struct in the caller
 * @pid:	Show l_pid
 */
void vtrace_put_flock(struct vtrace_buf *b, struct facet_call *call,
		      uintptr_t addr, int pid)
{
	static const char *const type[] = { "F_RDLCK", "F_WRLCK", "F_UNLCK" };
	static const char *const whence[] = { "SEEK_SET", "SEEK_CUR",
					      "SEEK_END" };
	struct flock fl;

	if (facet_peek(call, &fl, addr, sizeof(fl)) != sizeof(fl)) {
		vtrace_buf_printf(b, "%#lx", (unsigned long)addr);
		return;
	}
	if (fl.l_type >= 0 && fl.l_type < 3)
		vtrace_buf_printf(b, "{l_type=%s", type[fl.l_type]);
	else
		vtrace_buf_printf(b, "{l_type=%#x /* F_??? */", fl.l_type);
	if (fl.l_whence >= 0 && fl.l_whence < 3)
		vtrace_buf_printf(b, ", l_whence=%s", whence[fl.l_whence]);
	else
		vtrace_buf_printf(b, ", l_whence=%#x /* SEEK_??? */",
				  fl.l_whence);
	vtrace_buf_printf(b, ", l_start=%lld, l_len=%lld",
			  (long long)fl.l_start, (long long)fl.l_len);
	if (pid)
		vtrace_buf_printf(b, ", l_pid=%d", (int)fl.l_pid);
	vtrace_buf_puts(b, "}");
}

/* Number of elements of an array argument */
static long vtrace_count(struct vtrace_sctx *c, const char *type)
{
	long nr = facet_nr(c->call);

	if (!strcmp(type, "epoll_event"))
		return nr == SYS_epoll_ctl ? 1 : c->ret;
	return vtrace_next_arg(c);
}

/* sigaltstack's stack_t: {ss_sp=0x..., ss_flags=SS_ONSTACK, ss_size=N} */
static void vtrace_st_stack_t(struct vtrace_sctx *c, uintptr_t addr)
{
	static const struct { int bit; const char *name; } flags[] = {
		{ SS_ONSTACK, "SS_ONSTACK" }, { SS_DISABLE, "SS_DISABLE" },
		{ 1u << 31, "SS_AUTODISARM" },
	};
	unsigned rest;
	stack_t st;
	size_t k;
	int n = 0;

	if (vtrace_get(c, &st, addr, sizeof(st)) < 0) {
		vtrace_buf_printf(c->b, "%#lx", (unsigned long)addr);
		return;
	}
	if (st.ss_sp)
		vtrace_buf_printf(c->b, "{ss_sp=%p, ss_flags=", st.ss_sp);
	else
		vtrace_buf_puts(c->b, "{ss_sp=NULL, ss_flags=");
	rest = (unsigned)st.ss_flags;
	for (k = 0; k < sizeof(flags) / sizeof(flags[0]); k++)
		if (rest & (unsigned)flags[k].bit) {
			vtrace_buf_printf(c->b, "%s%s", n++ ? "|" : "",
					  flags[k].name);
			rest &= ~(unsigned)flags[k].bit;
		}
	if (rest || !n)
		vtrace_buf_printf(c->b, n ? "|%#x" : "%#x", rest);
	vtrace_buf_printf(c->b, ", ss_size=%zu}", st.ss_size);
}

/**
 * vtrace_put_mincore() - mincore's vector, one entry per page, as strace:
 *			   [1, 0, 0, 0] (-s entries at most)
 * @v:		Module state
 * @s:		The call's slot: the vector goes to its arguments
 * @call:	The call, at exit
 * @addr:	The vector
 * @len:	The length of the range asked about
 */
void vtrace_put_mincore(struct vtrace *v, struct vtrace_slot *s,
			struct facet_call *call, uintptr_t addr,
			unsigned long len)
{
	unsigned long pages = (len + 4095) / 4096, k;
	struct vtrace_buf *b = &s->args;
	unsigned char page;

	vtrace_buf_puts(b, "[");
	for (k = 0; k < pages; k++) {
		if (vtrace_array_cut(v, s->nr, b, (long)k))
			break;
		if (facet_peek(call, &page, addr + k, 1) != 1)
			break;
		vtrace_buf_printf(b, "%s%u", k ? ", " : "", page & 1);
	}
	vtrace_buf_puts(b, "]");
}

/**
 * vtrace_struct() - Append a struct argument
 * @v:		Module state
 * @call:	The call
 * @s:		Its slot (the text goes to @s->args)
 * @i:		Argument index
 * @type:	Struct name from the syscall table, NULL for a sockaddr
 * @addr:	Address in the caller
 * @ret:	The result at exit, 0 at entry
 */
void vtrace_struct(struct vtrace *v, struct facet_call *call,
		   struct vtrace_slot *s, int i, const char *type,
		   uintptr_t addr, long ret)
{
	const struct facet_sysarg *a = &facet_syscall(s->nr)->arg[i];
	struct vtrace_sctx c = { v, call, s, &s->args, i, ret };

	if (!addr) {
		vtrace_buf_puts(c.b, "NULL");
	} else if (a->kind == FACET_ARG_SOCKADDR_IN) {
		vtrace_st_sockaddr(&c, addr, vtrace_next_arg(&c));
	} else if (a->kind == FACET_ARG_SOCKADDR_OUT) {
		vtrace_st_sockaddr_out(&c, addr);
	} else if (!type) {
		vtrace_buf_printf(c.b, "%#lx", (unsigned long)addr);
	} else if (!strcmp(type, "statfs")) {
		vtrace_st_statfs(&c, addr);
	} else if (!strcmp(type, "cpu_set")) {
		vtrace_st_cpu_set(&c, addr, a->kind == FACET_ARG_STRUCT_OUT ?
				  ret : facet_arg(call, 1));
	} else if (!strcmp(type, "gid_list")) {
		vtrace_st_gids(&c, addr, a->kind == FACET_ARG_STRUCT_OUT ? ret :
			       facet_arg(call, 0));
	} else if (!strcmp(type, "timespec") && ret == 0 &&
		   a->kind == FACET_ARG_STRUCT_OUT &&
		   (s->nr == SYS_nanosleep || s->nr == SYS_clock_nanosleep)) {
		/* the time left is written only when a signal cut it short */
		vtrace_buf_printf(c.b, "%#lx", (unsigned long)addr);
	} else if (!strcmp(type, "timespec")) {
		vtrace_st_timespec(&c, addr);
	} else if (!strcmp(type, "timeval")) {
		vtrace_st_timeval(&c, addr);
	} else if (!strcmp(type, "itimerval")) {
		vtrace_st_itimerval(&c, addr);
	} else if (!strcmp(type, "stat")) {
		vtrace_st_stat(&c, addr);
	} else if (!strcmp(type, "statx")) {
		vtrace_st_statx(&c, addr);
	} else if (!strcmp(type, "socklen") || !strcmp(type, "u32") ||
		   !strcmp(type, "uint")) {
		vtrace_st_int(&c, addr, 0);
	} else if (!strcmp(type, "loff") || !strcmp(type, "time_t")) {
		vtrace_st_int(&c, addr, 1);
	} else if (!strcmp(type, "wstatus")) {
		vtrace_st_wstatus(&c, addr);
	} else if (!strcmp(type, "fd_pair")) {
		vtrace_st_fd_pair(&c, addr);
	} else if (!strcmp(type, "iovec")) {
		vtrace_st_iovec(&c, addr, vtrace_next_arg(&c),
				a->kind == FACET_ARG_STRUCT_OUT ? ret : -1);
	} else if (!strcmp(type, "msghdr")) {
		vtrace_st_msghdr(&c, addr);
	} else if (!strcmp(type, "pollfd")) {	/* vtrace_poll.c */
		vtrace_poll_pollfd(v, c.b, call, s, addr,
				   vtrace_next_arg(&c), 0);
	} else if (!strcmp(type, "fd_set")) {
		vtrace_poll_fdset(c.b, call, s->pid, addr);
	} else if (!strcmp(type, "epoll_event")) {
		vtrace_st_epoll(&c, addr, vtrace_count(&c, type));
	} else if (!strcmp(type, "sigset")) {
		vtrace_st_sigset(&c, addr);
	} else if (!strcmp(type, "linux_dirent64") ||
		   !strcmp(type, "linux_dirent")) {
		vtrace_st_dirents(&c, addr);
	} else if (!strcmp(type, "clone_args")) {
		vtrace_st_clone_args(&c, addr);
	} else if (!strcmp(type, "sigaction")) {
		vtrace_st_sigaction(&c, addr);
	} else if (!strcmp(type, "rlimit")) {
		vtrace_st_rlimit(&c, addr);
	} else if (!strcmp(type, "utsname")) {
		vtrace_st_utsname(&c, addr);
	} else if (!strcmp(type, "sysinfo")) {
		vtrace_st_sysinfo(&c, addr);
	} else if (vtrace_st_time(&c, type, addr)) {
		;
	} else if (!strcmp(type, "siginfo")) {
		vtrace_st_siginfo(&c, addr);
	} else if (!strcmp(type, "open_how")) {
		vtrace_st_open_how(&c, addr);
	} else if (!strcmp(type, "timer_t") ||	/* timer_create's id */
		   !strcmp(type, "sched_param")) {	/* its one int */
		vtrace_st_int(&c, addr, 0);
	} else if (!strcmp(type, "stack_t")) {
		vtrace_st_stack_t(&c, addr);
	} else {
		vtrace_buf_printf(c.b, "%#lx", (unsigned long)addr);
	}
}
