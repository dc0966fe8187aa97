// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * ptracer/tracer_call.c - Caller memory and fds for the module accessors
 *
 * Two kinds of call reach the modules: ones stopped by ptrace (registers
 * can change) and ones waiting on a seccomp user notification (they can
 * only be let through or answered).  Memory is moved the same way for both,
 * with process_vm_readv/writev.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <unistd.h>
#include <linux/seccomp.h>

#include "tracer.h"
#include "tracer_notify.h"

/* Below the stack pointer, the x86_64 ABI lets code keep 128 bytes */
#define TRACER_RED_ZONE	128

ssize_t tracer_mem_read(pid_t tid, void *dst, uintptr_t addr, size_t len)
{
	struct iovec local = { dst, len };
	struct iovec remote = { (void *)addr, len };
	ssize_t n = process_vm_readv(tid, &local, 1, &remote, 1, 0);

	return n < 0 ? -errno : n;
}

/*
 * process_vm_writev() honours page protections, as the kernel's own copy
 * to the caller does: a buffer the caller may not write is EFAULT.
 * (/proc/PID/mem would write it like a debugger: a getcwd() into a
 * PROT_NONE page then "succeeded", and glibc's check of the result
 * crashed the program.)
 */
ssize_t tracer_mem_write(pid_t tid, uintptr_t addr, const void *src,
			 size_t len)
{
	struct iovec local = { (void *)src, len };
	struct iovec remote = { (void *)addr, len };
	ssize_t n = process_vm_writev(tid, &local, 1, &remote, 1, 0);

	return n < 0 ? -errno : n;
}

/* Thread group of @tid, from /proc; @tid itself if that fails */
pid_t tracer_tgid_of(pid_t tid)
{
	char path[64], line[128];
	pid_t tgid = tid;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", tid);
	f = fopen(path, "re");
	if (!f)
		return tid;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Tgid: %d", &tgid) == 1)
			break;
	fclose(f);
	return tgid;
}

static ssize_t call_peek(struct facet_call *call, void *dst, uintptr_t addr,
			 size_t len)
{
	return tracer_mem_read(call->tid, dst, addr, len);
}

static ssize_t call_poke(struct facet_call *call, uintptr_t addr,
			 const void *src, size_t len)
{
	return tracer_mem_write(call->tid, addr, src, len);
}

static pid_t call_tgid(struct facet_call *call)
{
	return tracer_tgid_of(call->tid);
}

static int ptrace_args_stable(struct facet_call *call)
{
	struct tracee *te = call->backend;

	return tracer_memory_args_stable(te->t, call);
}

/* Strings for rewritten arguments go below the caller's red zone */
static int ptrace_place(struct facet_call *call, const void *src, size_t len,
			uintptr_t *addr)
{
	struct tracee *te = call->backend;
	uintptr_t at;
	ssize_t n;

	at = (te->sp - TRACER_RED_ZONE - te->placed - len) & ~(uintptr_t)15;
	n = tracer_mem_write(call->tid, at, src, len);
	if (n < 0)
		return n;
	if ((size_t)n != len)
		return -EFAULT;
	te->placed = te->sp - at - TRACER_RED_ZONE;
	*addr = at;
	return 0;
}

/*
 * At a ptrace stop the fd cannot be added yet: the loop turns the call into
 * a notification (see tracer_seccomp.c) and the notification thread adds it.
 * The fd number is known only at exit.
 */
static int ptrace_return_fd(struct facet_call *call, int local_fd)
{
	if (call->flags & FACET_CALL_FD_PENDING)
		close(call->pending_fd);
	call->pending_fd = local_fd;
	call->flags |= FACET_CALL_FD_PENDING;
	return 0;
}

/* At the stop the call is at: its entry's, or its exit's */
static uint64_t ptrace_ip(struct facet_call *call)
{
	return ((struct tracee *)call->backend)->ip;
}

const struct facet_call_ops tracer_ptrace_ops = {
	.peek = call_peek,
	.poke = call_poke,
	.place = ptrace_place,
	.return_fd = ptrace_return_fd,
	.tgid = call_tgid,
	.args_stable = ptrace_args_stable,
	.ip = ptrace_ip,
	.no_symlinks = 1,	/* tracer_loop.c: as openat2() */
};

static int notify_place(struct facet_call *call, const void *src, size_t len,
			uintptr_t *addr)
{
	(void)call;
	(void)src;
	(void)len;
	(void)addr;
	return -ENOTSUP;
}

/* Strings come from one read of all of the call's string arguments */
static ssize_t notify_peek_str(struct facet_call *call, char *dst,
			       uintptr_t addr, size_t cap)
{
	struct tracer_notify_ctx *ctx = call->backend;

	return tracer_strs_peek(call, ctx->strs, dst, addr, cap);
}

/* A write may change a string read ahead: read again from then on */
static ssize_t notify_poke(struct facet_call *call, uintptr_t addr,
			   const void *src, size_t len)
{
	struct tracer_notify_ctx *ctx = call->backend;

	ctx->strs->fetched = 1;
	ctx->strs->n = 0;
	return tracer_mem_write(call->tid, addr, src, len);
}

static int notify_return_fd(struct facet_call *call, int local_fd)
{
	struct tracer_notify_ctx *ctx = call->backend;
	int ret;

	ret = tracer_notify_send_fd(ctx->notify_fd, ctx->id, local_fd);
	/* on other errors the caller is still waiting: answer with the error */
	if (ret >= 0 || ret == -ENOENT)
		ctx->answered = 1;
	return ret;
}

static int notify_return_open(struct facet_call *call, const char *path,
			      int flags)
{
	struct tracer_notify_ctx *ctx = call->backend;
	int ret;

	ret = tracer_notify_open_later(ctx->notify_fd, ctx->id, path, flags);
	if (ret >= 0)
		ctx->answered = 1;
	return ret;
}

static int notify_replace_fd(struct facet_call *call, int local_fd,
			     int target)
{
	struct tracer_notify_ctx *ctx = call->backend;

	return tracer_notify_set_fd(ctx->notify_fd, ctx->id, local_fd, target);
}

static int notify_args_stable(struct facet_call *call)
{
	struct tracer_notify_ctx *ctx = call->backend;

	return tracer_memory_args_stable(ctx->t, call);
}

const struct facet_call_ops tracer_notify_ops = {
	.peek = call_peek,
	.peek_str = notify_peek_str,
	.poke = notify_poke,
	.place = notify_place,
	.return_fd = notify_return_fd,
	.return_open = notify_return_open,
	.replace_fd = notify_replace_fd,
	.tgid = call_tgid,
	.args_stable = notify_args_stable,
};
