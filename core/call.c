// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * core/call.c - The module accessors for one intercepted call
 *
 * The accessors of struct facet_call_head are inline in
 * include/facet/module.h; FACET_ACCESSOR makes their exported copies here,
 * for modules that cannot use the inline ones.
 */
#define FACET_ACCESSOR	FACET_CALLPATH
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "call.h"

FACET_CALLPATH pid_t facet_pid(const struct facet_call *call)
{
	struct facet_call *c = (struct facet_call *)call;

	if (!c->pid)
		c->pid = c->ops->tgid ? c->ops->tgid(c) : c->tid;
	return c->pid;
}

FACET_CALLPATH int facet_set_arg(struct facet_call *call, int i, long value)
{
	if (i < -1 || i > 5)
		return -EINVAL;
	if (!(call->flags & FACET_CALL_REWRITABLE))
		return -ENOTSUP;
	if (!(call->flags & FACET_CALL_ARGS_DIRTY))	/* the first change */
		memcpy(call->orig_args, call->args, sizeof(call->orig_args));
	if (i < 0)
		call->nr = value;
	else
		call->args[i] = value;
	call->flags |= FACET_CALL_ARGS_DIRTY;
	return 0;
}

uint64_t facet_instruction_pointer(const struct facet_call *call)
{
	struct facet_call *c = (struct facet_call *)call;

	return c->ops->ip ? c->ops->ip(c) : 0;
}

FACET_CALLPATH int facet_args_stable(const struct facet_call *call)
{
	struct facet_call *c = (struct facet_call *)call;

	return c->ops->args_stable ? c->ops->args_stable(c) : 0;
}

/* Open flags openat2() takes (the kernel's VALID_OPEN_FLAGS): others it
 * refuses with EINVAL where open() ignores them */
#define CALL_OPENAT2_FLAGS						\
	(O_ACCMODE | O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_APPEND |	\
	 O_NONBLOCK | O_DSYNC | O_SYNC | FASYNC | O_DIRECT | O_LARGEFILE |	\
	 O_DIRECTORY | O_NOFOLLOW | O_NOATIME | O_CLOEXEC | O_PATH |	\
	 O_TMPFILE)

/**
 * facet_call_openat2() - An open(2)/openat(2) @call as the arguments of
 * openat2() with RESOLVE_NO_SYMLINKS (facet_open_no_symlinks(): each
 * backend makes it so)
 * @dirfd:	Set to the directory fd (AT_FDCWD for open())
 * @path:	Set to the path argument
 * @how:	Filled in: the flags, the mode where openat2() wants one
 *
 * Return: 0, or -EINVAL for flags openat2() would refuse (the call is then
 * made as it is)
 */
int facet_call_openat2(const struct facet_call *call, long *dirfd,
		       long *path, struct open_how *how)
{
	int at = call->nr == SYS_openat;

	memset(how, 0, sizeof(*how));
	how->flags = (unsigned int)call->args[at + 1];
	how->resolve = RESOLVE_NO_SYMLINKS;
	if ((how->flags & O_CREAT) || (how->flags & O_TMPFILE) == O_TMPFILE)
		how->mode = (unsigned long)call->args[at + 2] & 07777;
	*dirfd = at ? call->args[0] : AT_FDCWD;
	*path = call->args[at];
	return how->flags & ~(uint64_t)CALL_OPENAT2_FLAGS ? -EINVAL : 0;
}

int facet_open_no_symlinks(struct facet_call *call)
{
	if (!call->ops->no_symlinks)
		return -ENOTSUP;
	if (call->nr != SYS_open && call->nr != SYS_openat)
		return -EINVAL;
	call->flags |= FACET_CALL_NO_SYMLINKS;
	return 0;
}

ssize_t facet_peek(struct facet_call *call, void *dst, uintptr_t addr,
		   size_t len)
{
	if (!len)
		return 0;
	if (!addr)
		return -EFAULT;
	return call->ops->peek(call, dst, addr, len);
}

ssize_t facet_poke(struct facet_call *call, uintptr_t addr, const void *src,
		   size_t len)
{
	if (!len)
		return 0;
	if (!addr)
		return -EFAULT;
	return call->ops->poke(call, addr, src, len);
}

/**
 * facet_call_peek_str_pages() - Read a string with ops->peek, page by page
 *
 * Chunks never cross a page boundary, so a string that ends just before
 * an unmapped page is still read whole.  For backends whose own peek_str
 * falls back to this.  Return: as facet_peek_str()
 */
ssize_t facet_call_peek_str_pages(struct facet_call *call, char *dst,
				  uintptr_t addr, size_t cap)
{
	size_t done = 0;

	while (done < cap) {
		size_t page_left = 4096 - ((addr + done) & 4095);
		size_t want = cap - done < page_left ? cap - done : page_left;
		ssize_t n = call->ops->peek(call, dst + done, addr + done,
					    want);
		char *nul;

		if (n <= 0) {
			dst[done < cap ? done : cap - 1] = '\0';
			return n < 0 ? n : -EFAULT;
		}
		nul = memchr(dst + done, '\0', n);
		if (nul)
			return nul - dst;
		done += n;
	}
	dst[cap - 1] = '\0';
	return -ENAMETOOLONG;
}

ssize_t facet_peek_str(struct facet_call *call, char *dst, uintptr_t addr,
		       size_t cap)
{
	if (!cap)
		return -ENAMETOOLONG;
	if (!addr)
		return -EFAULT;
	if (call->ops->peek_str)
		return call->ops->peek_str(call, dst, addr, cap);
	return facet_call_peek_str_pages(call, dst, addr, cap);
}

int facet_set_arg_buf(struct facet_call *call, int i, const void *data,
		      size_t len)
{
	uintptr_t addr;
	int ret;

	if (i < 0 || i > 5)
		return -EINVAL;
	if (!(call->flags & FACET_CALL_REWRITABLE))
		return -ENOTSUP;
	ret = call->ops->place(call, data, len, &addr);
	if (ret < 0)
		return ret;
	return facet_set_arg(call, i, (long)addr);
}

int facet_set_path(struct facet_call *call, int i, const char *path)
{
	return facet_set_arg_buf(call, i, path, strlen(path) + 1);
}

int facet_return_fd(struct facet_call *call, int local_fd)
{
	int ret;

	if (local_fd < 0)
		return -EBADF;
	ret = call->ops->return_fd(call, local_fd);
	call->flags |= FACET_CALL_FINISHED;
	if (ret >= 0 || !(call->flags & FACET_CALL_FD_PENDING))
		call->result = ret;
	return ret;
}

int facet_return_open(struct facet_call *call, const char *path, int flags)
{
	int fd, ret;

	if (flags & O_CREAT)
		return -EINVAL;
	if (call->ops->return_open) {
		ret = call->ops->return_open(call, path, flags);
		if (ret >= 0)
			call->flags |= FACET_CALL_FINISHED;
		return ret;
	}
	fd = open(path, flags);
	if (fd < 0) {
		facet_return(call, -errno);
		return 0;
	}
	ret = facet_return_fd(call, fd);
	return ret < 0 ? ret : 0;
}

int facet_replace_fd(struct facet_call *call, int local_fd, int target)
{
	if (local_fd < 0 || target < 0) {
		if (local_fd >= 0)
			close(local_fd);
		return -EBADF;
	}
	if (!call->ops->replace_fd) {
		close(local_fd);
		return -ENOTSUP;
	}
	return call->ops->replace_fd(call, local_fd, target);
}

FACET_CALLPATH void *facet_scratch(struct facet_call *call)
{
	uint32_t bit = 1u << call->cur;

	if (!(call->scratch_live & bit)) {
		memset(call->scratch[call->cur], 0, FACET_SCRATCH_SIZE);
		call->scratch_live |= bit;
	}
	return call->scratch[call->cur];
}
