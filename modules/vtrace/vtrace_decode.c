// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vtrace/vtrace_decode.c - Arguments and results as strace shows
 *				     them, from the core syscall table
 *
 * Input arguments are decoded at entry, output ones (buffers the kernel
 * fills, structs it writes) at exit, and only when the call succeeded;
 * otherwise the address is shown, as strace does.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <linux/futex.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "../../core/xlat.h"
#include "vtrace.h"

/**
 * vtrace_is_output() - Is this an argument kind the kernel fills in?
 * @kind:	enum facet_argkind
 *
 * Return: true for kinds decoded at exit
 */
int vtrace_is_output(int kind)
{
	return kind == FACET_ARG_BUF_OUT || kind == FACET_ARG_STRUCT_OUT ||
	       kind == FACET_ARG_STRUCT_INOUT ||
	       kind == FACET_ARG_SOCKADDR_OUT;
}

/**
 * vtrace_fd_path() - What fd @fd of process @pid refers to
 * @pid:	Process
 * @fd:		Descriptor
 * @out:	Link text ("/etc/passwd", "pipe:[123]"), NUL-terminated
 * @cap:	Size of @out
 *
 * Return: length, or -errno
 */
int vtrace_fd_path(pid_t pid, long fd, char *out, size_t cap)
{
	char link[64];
	ssize_t n;

	if (fd < 0 || fd > INT_MAX)
		return -EBADF;
	snprintf(link, sizeof(link), "/proc/%d/fd/%ld", pid, fd);
	n = readlink(link, out, cap - 1);
	if (n < 0)
		return -errno;
	out[n] = '\0';
	return (int)n;
}

/* A link's text, control bytes in octal: a record stays one line */
static void vtrace_put_link(struct vtrace_buf *b, const char *link)
{
	const unsigned char *p;

	if (vtrace_hex_strings &&
	    vtrace_hex_wanted((const unsigned char *)link, strlen(link))) {
		vtrace_buf_hex(b, (const unsigned char *)link, strlen(link));
		return;
	}
	for (p = (const unsigned char *)link; *p; p++)
		if (*p < ' ' || *p == 0x7f)
			vtrace_buf_printf(b, "\\%03o", *p);
		else
			vtrace_buf_put(b, (const char *)p, 1);
}

/**
 * vtrace_put_fd() - Append an fd as strace does: 3, or with -y 3</etc/passwd>
 * @b:		Buffer
 * @pid:	Process owning the fd
 * @fd:		Descriptor
 * @path:	If not NULL and empty, receives the fd's path when it is a file
 *		(only when fds show their path, or JSON lines keep it)
 * @cap:	Size of @path
 */
void vtrace_put_fd(struct vtrace_buf *b, pid_t pid, long fd, char *path,
		   size_t cap)
{
	static const char deleted[] = " (deleted)";
	char link[PATH_MAX];
	int n, gone;

	if (!vtrace_decode_fds && !(path && vtrace_keep_fd_path)) {
		vtrace_buf_printf(b, "%d", (int)fd);	/* no readlink */
		return;
	}
	n = vtrace_fd_path(pid, (int)fd, link, sizeof(link));
	if (n < 0) {
		vtrace_buf_printf(b, "%d", (int)fd);
		return;
	}
	/* strace: 3</tmp/x>(deleted), the kernel's note after the path */
	gone = link[0] == '/' && (size_t)n > sizeof(deleted) - 1 &&
	       !strcmp(link + n - (sizeof(deleted) - 1), deleted);
	if (gone)
		link[n - (sizeof(deleted) - 1)] = '\0';
	if (path && !path[0] && link[0] == '/')
		snprintf(path, cap, "%s", link);
	if (!vtrace_decode_fds) {
		vtrace_buf_printf(b, "%d", (int)fd);
		return;
	}
	vtrace_buf_printf(b, "%d<", (int)fd);
	if (!vtrace_fdinfo(b, pid, fd, link)) {
		vtrace_put_link(b, link);
		vtrace_fdinfo_dev(b, pid, fd, link);
	}
	vtrace_buf_puts(b, gone ? ">(deleted)" : ">");
}

/**
 * vtrace_errname() - Symbolic name of an errno value
 * @err:	Positive errno
 *
 * Return: "ENOENT", or NULL if unknown
 */
const char *vtrace_errname(long err)
{
	switch (err) {
	case 512: return "ERESTARTSYS";
	case 513: return "ERESTARTNOINTR";
	case 514: return "ERESTARTNOHAND";
	case 515: return "ENOIOCTLCMD";
	case 516: return "ERESTART_RESTARTBLOCK";
	}
	return err > 0 && err < 512 ? strerrorname_np((int)err) : NULL;
}

/**
 * vtrace_put_string() - Append caller memory as a quoted string
 * @v:		Module state (string size)
 * @call:	The call
 * @b:		Buffer
 * @addr:	Address in the caller
 * @len:	Bytes there, or -1 for a NUL-terminated string
 */
void vtrace_put_string(struct vtrace *v, struct facet_call *call,
		       struct vtrace_buf *b, uintptr_t addr, long len)
{
	unsigned char *data = v->strbuf;
	size_t want = (size_t)v->strsize + 1;	/* one more: was it cut? */
	ssize_t n;

	if (!addr) {
		vtrace_buf_puts(b, "NULL");
		return;
	}
	if (len >= 0) {
		n = facet_peek(call, data, addr,
			       (size_t)len < want ? (size_t)len : want);
		if (n < 0) {
			vtrace_buf_printf(b, "%#lx", (unsigned long)addr);
			return;
		}
		vtrace_buf_quote(b, data, n, v->strsize,
				 (size_t)n < (size_t)len);
		return;
	}
	n = facet_peek_str(call, (char *)data, addr, want + 1);
	if (n == -ENAMETOOLONG)
		n = strlen((char *)data);
	if (n < 0) {
		vtrace_buf_printf(b, "%#lx", (unsigned long)addr);
		return;
	}
	vtrace_buf_quote(b, data, n, v->strsize, 0);
}

/* getrandom's bytes: in hex, as strace */
static void vtrace_put_random(struct vtrace *v, struct facet_call *call,
			      struct vtrace_buf *b, uintptr_t addr, long len)
{
	size_t want = (size_t)len < (size_t)v->strsize + 1 ?
		      (size_t)len : (size_t)v->strsize + 1;
	ssize_t n = facet_peek(call, v->strbuf, addr, want);

	if (n < 0)
		vtrace_buf_printf(b, "%#lx", (unsigned long)addr);
	else
		vtrace_buf_quote_hex(b, v->strbuf, (size_t)n == want ?
				     (size_t)len : (size_t)n, v->strsize);
}

/* A path argument: shown whole (as strace), kept for JSONL "paths" */
static void vtrace_put_path(struct facet_call *call, struct vtrace_slot *s,
			    struct vtrace_buf *b, uintptr_t addr)
{
	char path[PATH_MAX];
	ssize_t n;

	if (!addr) {
		vtrace_buf_puts(b, "NULL");
		return;
	}
	n = facet_peek_str(call, path, addr, sizeof(path));
	if (n < 0) {
		vtrace_buf_printf(b, "%#lx", (unsigned long)addr);
		return;
	}
	vtrace_buf_quote(b, (unsigned char *)path, n, PATH_MAX, 0);
	if (s->npaths < VTRACE_PATHS)
		memcpy(s->paths[s->npaths++], path, n + 1);
}

/* execve's argv ["ls", "-l"] (-s elements at most, as strace), or envp
 * as strace: 0x7ffd... / * 3 vars * /, in full as argv's without
 * abbreviation (-v) */
static void vtrace_put_strv(struct vtrace *v, struct facet_call *call,
			    struct vtrace_slot *s, uintptr_t addr, int envp)
{
	int count = envp && vtrace_abbrev(v, s->nr);
	struct vtrace_buf *b = &s->args;
	unsigned long ptr;
	int i;

	if (!addr) {
		vtrace_buf_puts(b, "NULL");
		return;
	}
	if (count)
		vtrace_buf_printf(b, "%#lx", (unsigned long)addr);
	else
		vtrace_buf_puts(b, "[");
	for (i = 0; i < 65536; i++) {
		if (facet_peek(call, &ptr, addr + i * sizeof(ptr),
			       sizeof(ptr)) != sizeof(ptr) || !ptr)
			break;
		if (count)
			continue;
		if (vtrace_array_cut(v, s->nr, b, i))
			break;
		if (i)
			vtrace_buf_puts(b, ", ");
		vtrace_put_string(v, call, b, ptr, -1);
	}
	if (count)
		vtrace_buf_printf(b, " /* %d var%s */", i, i == 1 ? "" : "s");
	else
		vtrace_buf_puts(b, "]");
}

/*
 * Arguments strace leaves out: open/openat's mode without O_CREAT or
 * O_TMPFILE, mremap's new address without MREMAP_FIXED, mknod's device
 * for what is not a device
 */
static int vtrace_skip_arg(long nr, int i, const long *args)
{
	int flags_at = nr == SYS_open ? 1 : nr == SYS_openat ? 2 : -1;

	if (nr == SYS_mremap)
		return i == 4 && !(args[3] & MREMAP_FIXED);
	/* the offset's high half (pos_h): 0 on 64 bits, one offset in strace */
	if (nr == SYS_preadv || nr == SYS_pwritev || nr == SYS_preadv2 ||
	    nr == SYS_pwritev2)
		return i == 4;
	if (nr == SYS_mknod || nr == SYS_mknodat) {
		unsigned mode = (unsigned)args[nr == SYS_mknod ? 1 : 2];

		return i == (nr == SYS_mknod ? 2 : 3) && !S_ISCHR(mode) &&
		       !S_ISBLK(mode);
	}
	if (flags_at < 0 || i != flags_at + 1)
		return 0;
	return !(args[flags_at] & O_CREAT) &&
	       (args[flags_at] & __O_TMPFILE) != __O_TMPFILE;
}

/* mknod's mode and device, as strace: S_IFIFO|0644, makedev(0x1, 0x3) */
static int vtrace_mknod_arg(struct vtrace_slot *s, int i, const long *args)
{
	int mode_at = s->nr == SYS_mknod ? 1 : s->nr == SYS_mknodat ? 2 : -1;

	if (mode_at < 0 || (i != mode_at && i != mode_at + 1))
		return 0;
	if (i == mode_at)
		vtrace_put_mode(&s->args, (unsigned)args[i]);
	else
		vtrace_buf_printf(&s->args, "makedev(%#x, %#x)",
				  major((dev_t)args[i]), minor((dev_t)args[i]));
	return 1;
}

/*
 * clone's arguments as strace names them: child_stack=, flags=, and the
 * tid and tls pointers only where the flags use them.  All in the first
 * argument's text; the others are left out.
 */
static void vtrace_clone_args(struct vtrace_slot *s, const long *args)
{
	struct vtrace_buf *b = &s->args;
	char flags[512];
	int i;

	facet_xlat_flags("clone", (unsigned long)args[0], flags, sizeof(flags));
	if (args[1])
		vtrace_buf_printf(b, "child_stack=%#lx, flags=%s",
				  (unsigned long)args[1], flags);
	else
		vtrace_buf_printf(b, "child_stack=NULL, flags=%s", flags);
	if (args[0] & CLONE_PARENT_SETTID)
		vtrace_buf_printf(b, ", parent_tid=%#lx",
				  (unsigned long)args[2]);
	if (args[0] & (CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID))
		vtrace_buf_printf(b, ", child_tidptr=%#lx",
				  (unsigned long)args[3]);
	if (args[0] & CLONE_SETTLS)
		vtrace_buf_printf(b, ", tls=%#lx", (unsigned long)args[4]);
	s->len[0] = b->len - s->off[0];
	for (i = 1; i < 5; i++)
		s->off[i] = ~0u;
}

/* AT_FDCWD, with the directory as strace -y: AT_FDCWD</home/me> */
static void vtrace_put_fdcwd(struct vtrace *v, struct vtrace_buf *b,
			     pid_t pid)
{
	const char *cwd;

	vtrace_buf_puts(b, "AT_FDCWD");
	if (!vtrace_decode_fds || !(cwd = vtrace_cwd(v, pid)))
		return;
	vtrace_buf_puts(b, "<");
	vtrace_put_link(b, cwd);
	vtrace_buf_puts(b, ">");
}

/* One argument whose value is in the register */
static void vtrace_put_scalar(struct vtrace *v, struct facet_call *call,
			      struct vtrace_slot *s, int i, int envp)
{
	const struct facet_syscall *sc = facet_syscall(s->nr);
	const struct facet_sysarg *a = &sc->arg[i];
	long x = facet_arg(call, i);
	struct vtrace_buf *b = &s->args;

	switch (a->kind) {
	case FACET_ARG_UINT:
		vtrace_buf_printf(b, "%u", (unsigned)x);
		break;
	case FACET_ARG_HEX:
		vtrace_buf_printf(b, "%#lx", (unsigned long)x);
		break;
	case FACET_ARG_OCT:
		vtrace_buf_printf(b, "%#03o", (unsigned)x);
		break;
	case FACET_ARG_FD:
		vtrace_put_fd(b, s->pid, (int)x, s->fd_path,
			      sizeof(s->fd_path));
		break;
	case FACET_ARG_DIRFD:
		if ((int)x == AT_FDCWD)
			vtrace_put_fdcwd(v, b, s->pid);
		else
			vtrace_put_fd(b, s->pid, (int)x, NULL, 0);
		break;
	case FACET_ARG_PATH:
		vtrace_put_path(call, s, b, x);
		break;
	case FACET_ARG_STR:
		vtrace_put_string(v, call, b, x, -1);
		break;
	case FACET_ARG_STRV:
		vtrace_put_strv(v, call, s, x, envp);
		break;
	case FACET_ARG_BUF_IN:
		vtrace_put_string(v, call, b, x,
				  i < 5 ? facet_arg(call, i + 1) : 0);
		break;
	case FACET_ARG_SIZE:
		vtrace_buf_printf(b, "%lu", (unsigned long)x);
		break;
	case FACET_ARG_FLAGS:	/* vtrace_xlat.c */
		vtrace_put_flags(b, a->detail, (unsigned long)x);
		break;
	case FACET_ARG_ENUM:
		vtrace_put_enum(b, a->detail, (int)x);
		break;
	case FACET_ARG_SIGNAL:
	case FACET_ARG_CLOCKID: {
		const char *t = a->kind == FACET_ARG_SIGNAL ? "signal" :
				"clockid";
		const char *name;
		char sig[16];

		name = facet_xlat_name(t, (unsigned long)(long)(int)x);
		if (!name && a->kind == FACET_ARG_SIGNAL && x > 0 && x <= 64)
			name = vtrace_signame((int)x, sig);
		if (name)
			vtrace_buf_puts(b, name);
		else
			vtrace_buf_printf(b, "%d", (int)x);
		break;
	}
	case FACET_ARG_PTR:
		if (x)
			vtrace_buf_printf(b, "%#lx", (unsigned long)x);
		else
			vtrace_buf_puts(b, "NULL");
		break;
	case FACET_ARG_OFF:
		vtrace_buf_printf(b, "%ld", x);
		break;
	case FACET_ARG_SOCKADDR_IN:
	case FACET_ARG_STRUCT_IN:
	case FACET_ARG_STRUCT_INOUT:	/* clone3's, at entry */
		vtrace_struct(v, call, s, i, a->detail, x, 0);
		break;
	default:	/* INT, PID, UID, GID */
		vtrace_buf_printf(b, "%d", (int)x);
		break;
	}
}

/*
 * An in-out argument shown at entry, as strace does: clone3's struct, the
 * sets and timeouts of poll and select (what the kernel writes back is
 * added at exit)
 */
static int vtrace_entry_arg(const struct vtrace_slot *s, int i)
{
	return (s->nr == SYS_clone3 && i == 0) ||
	       vtrace_poll_at_entry(s->nr, i);
}

/**
 * vtrace_arg_at_exit() - Is argument @i of a call decoded at its exit?
 * @s:		The call's slot
 * @i:		Argument index
 *
 * Return: 1 for what the kernel fills in, bar the in-out arguments shown
 * as they were passed
 */
int vtrace_arg_at_exit(const struct vtrace_slot *s, int i)
{
	const struct facet_syscall *sc = facet_syscall(s->nr);

	return sc && !s->raw_args && vtrace_is_output(sc->arg[i].kind) &&
	       !vtrace_entry_arg(s, i);
}

/**
 * vtrace_decode_entry() - Decode the input arguments of a call
 * @v:		Module state
 * @call:	The call, at entry
 * @s:		Slot to fill (@s->nr, @s->pid set)
 */
void vtrace_decode_entry(struct vtrace *v, struct facet_call *call,
			 struct vtrace_slot *s)
{
	const struct facet_syscall *sc = facet_syscall(s->nr);
	long args[6];
	int i, strv = 0;

	s->args.len = 0;
	s->int_in_set = s->namelen_in_set = 0;
	s->npaths = 0;
	s->fd_path[0] = s->sockaddr[0] = '\0';
	s->xlen = s->tlen = s->dlen = 0;
	s->clone3_late = 0;
	s->raw_args = 0;
	memset(s->len, 0, sizeof(s->len));
	s->nargs = sc ? sc->nargs : 0;
	if (!sc)
		return;
	for (i = 0; i < sc->nargs && i < 6; i++)
		args[i] = s->raw[i] = facet_arg(call, i);
	if (v->raw && v->raw->want[s->nr])	/* -e raw= */
		return vtrace_raw_args(v, s);
	if (s->nr == SYS_rt_sigreturn) {
		s->off[0] = 0;
		s->nargs = 1;
		vtrace_sigreturn(v, call, s);
		s->len[0] = s->args.len;
		return;
	}
	if (s->nr == SYS_clone) {
		s->off[0] = 0;
		return vtrace_clone_args(s, args);
	}
	for (i = 0; i < sc->nargs && i < 6; i++) {
		s->off[i] = s->args.len;
		if (vtrace_skip_arg(s->nr, i, args)) {
			s->off[i] = ~0u;
			continue;
		}
		if (sc->arg[i].kind == FACET_ARG_STRUCT_INOUT)
			vtrace_struct_entry(call, s, i);
		if (vtrace_is_output(sc->arg[i].kind) &&
		    !vtrace_entry_arg(s, i))
			continue;
		/* socket protocols, socket options (vtrace_sockopt.c) */
		if (vtrace_sockopt_entry(call, s, i) ||
		    vtrace_mknod_arg(s, i, args)) {
			s->len[i] = s->args.len - s->off[i];
			continue;
		}
		if (s->nr == SYS_fcntl && i == 2 &&
		    vtrace_fcntl_entry(call, s, args[1], args[2])) {
			if (s->off[i] != ~0u)
				s->len[i] = s->args.len - s->off[i];
			continue;
		}
		vtrace_put_scalar(v, call, s, i,
				  sc->arg[i].kind == FACET_ARG_STRV && strv++);
		s->len[i] = s->args.len - s->off[i];
	}
	if (s->nr == SYS_futex)
		vtrace_futex_fix(s, args);
	if (s->nr == SYS_personality)
		vtrace_personality_entry(s, args[0]);
	if (s->nr == SYS_ioctl)
		vtrace_ioctl_entry(v, call, s);
	if (s->nr == SYS_prctl)
		vtrace_prctl_entry(v, call, s);
}

/*
 * An output the kernel did not write for this result, shown as its
 * address as strace does: wait4's status and rusage when WNOHANG found
 * no child (0), an xattr buffer of size 0 (only the size was asked).
 */
static int vtrace_unwritten(const struct vtrace_slot *s, int i, long ret)
{
	switch (s->nr) {
	case SYS_wait4:
		return ret == 0;
	case SYS_getxattr:
	case SYS_lgetxattr:
	case SYS_fgetxattr:
		return i == 2 && s->raw[3] == 0;
	case SYS_listxattr:
	case SYS_llistxattr:
	case SYS_flistxattr:
		return i == 1 && s->raw[2] == 0;
	}
	return 0;
}

/**
 * vtrace_decode_exit() - Decode the output arguments of a call
 * @v:		Module state
 * @call:	The call, at exit
 * @s:		Its slot
 * @ret:	The result
 */
void vtrace_decode_exit(struct vtrace *v, struct facet_call *call,
			struct vtrace_slot *s, long ret)
{
	const struct facet_syscall *sc = facet_syscall(s->nr);
	int i;

	if (!sc)
		return;
	if (s->raw_args)
		goto dump;
	if (s->nr == SYS_clone3)
		vtrace_clone3_exit(call, s, ret);
	for (i = 0; i < sc->nargs && i < 6; i++) {
		const struct facet_sysarg *a = &sc->arg[i];
		uintptr_t x = facet_arg(call, i);

		if (s->off[i] == ~0u || !vtrace_is_output(a->kind) ||
		    vtrace_entry_arg(s, i))
			continue;
		s->off[i] = s->args.len;
		if (!x)
			vtrace_buf_puts(&s->args, "NULL");
		else if (ret < 0 && ret > -4096 && s->int_in_set == i + 1)
			vtrace_buf_printf(&s->args, "[%lld]", s->int_in);
		else if ((ret < 0 && ret > -4096 && s->nr != SYS_clone3) ||
			 vtrace_unwritten(s, i, ret))
			vtrace_buf_printf(&s->args, "%#lx", (unsigned long)x);
		else if (s->nr == SYS_getcwd)	/* the result counts the NUL */
			vtrace_put_string(v, call, &s->args, x,
					  ret > 0 ? ret - 1 : 0);
		else if (s->nr == SYS_mincore)
			vtrace_put_mincore(v, s, call, x, s->raw[1]);
		else if (s->nr == SYS_getrandom)
			vtrace_put_random(v, call, &s->args, x, ret);
		else if (s->nr == SYS_getsockopt && i == 3)
			vtrace_sockopt_exit(v, call, &s->args);
		else if (a->kind == FACET_ARG_BUF_OUT)
			vtrace_put_string(v, call, &s->args, x, ret);
		else
			vtrace_struct(v, call, s, i, a->detail, x, ret);
		s->len[i] = s->args.len - s->off[i];
	}
	if (s->nr == SYS_fcntl)
		vtrace_fcntl_exit(call, s, ret);
	if (s->nr == SYS_ioctl)
		vtrace_ioctl_exit(v, call, s, ret);
	if (s->nr == SYS_prctl)
		vtrace_prctl_exit(v, call, s, ret);
	vtrace_poll_exit(v, call, s, ret);	/* after the result */
dump:
	if (v->dump_on && v->format == VTRACE_TEXT) {	/* after the line */
		s->doff = s->args.len;
		vtrace_dump(v, call, s, ret, &s->args);
		s->dlen = s->args.len - s->doff;
	}
}

/* What strace says after a restart errno the kernel keeps to itself */
static const char *vtrace_restart_text(long err)
{
	switch (err) {
	case 512: return "To be restarted if SA_RESTART is set";
	case 513: return "To be restarted";
	case 514: return "To be restarted if no handler";
	case 516: return "Interrupted by signal";
	}
	return "Unknown error";
}

/**
 * vtrace_decode_result() - Append the result as strace shows it
 * @b:		Buffer
 * @s:		The call's slot (fd results get their path)
 * @ret:	Result
 */
void vtrace_decode_result(struct vtrace_buf *b, struct vtrace_slot *s,
			  long ret)
{
	const struct facet_syscall *sc = facet_syscall(s->nr);
	int kind = sc ? sc->ret.kind : FACET_ARG_INT;

	if (ret < 0 && ret > -4096) {
		const char *name = vtrace_errname(-ret);

		if (-ret >= 512 && -ret <= 516)
			vtrace_buf_printf(b, "? %s (%s)", name,
					  vtrace_restart_text(-ret));
		else if (name)
			/* not strerror(): it takes libc's locale lock,
			 * which the traced program may hold (preload) */
			vtrace_buf_printf(b, "-1 %s (%s)", name,
					  strerrordesc_np((int)-ret));
		else
			vtrace_buf_printf(b, "-1 %ld", -ret);
		return;
	}
	if (s->raw_args && vtrace_raw_result(b, ret))
		return;
	if (s->nr == SYS_fcntl && vtrace_fcntl_result(b, s, ret))
		return;
	if (s->nr == SYS_personality) {
		vtrace_personality_result(b, ret);
		return;
	}
	if (s->xlen) {
		vtrace_buf_printf(b, "%ld (", ret);
		vtrace_buf_put(b, s->args.p + s->xoff, s->xlen);
		vtrace_buf_puts(b, ")");
		return;
	}
	switch (kind) {
	case FACET_ARG_FD:
		vtrace_put_fd(b, s->pid, ret, s->fd_path, sizeof(s->fd_path));
		break;
	case FACET_ARG_PTR:
	case FACET_ARG_HEX:
		vtrace_buf_printf(b, "%#lx", (unsigned long)ret);
		break;
	case FACET_ARG_OCT:
		vtrace_buf_printf(b, "%#03lo", (unsigned long)ret);
		break;
	case FACET_ARG_FLAGS: {
		/* sched_getscheduler: "0 (SCHED_OTHER)"; strace names a
		 * policy alone, not one with SCHED_RESET_ON_FORK */
		char name[128];

		if (ret & ~0xffL) {
			vtrace_buf_printf(b, "%ld", ret);
			break;
		}
		facet_xlat_flags(sc->ret.detail, (unsigned long)ret, name,
				 sizeof(name));
		vtrace_buf_printf(b, "%ld (%s)", ret, name);
		break;
	}
	case FACET_ARG_SIGNAL: {	/* rt_sigtimedwait: "12 (SIGUSR2)" */
		char sig[16];

		if (ret > 0 && ret <= 64)
			vtrace_buf_printf(b, "%ld (%s)", ret,
					  vtrace_signame((int)ret, sig));
		else
			vtrace_buf_printf(b, "%ld", ret);
		break;
	}
	default:
		vtrace_buf_printf(b, "%ld", ret);
		break;
	}
}
