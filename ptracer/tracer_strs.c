// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * ptracer/tracer_strs.c - All string arguments of a notified call in one read
 *
 * DOC: Reading ahead
 *
 * On this project's VMs a syscall costs about 1 µs before it does anything
 * (page-table isolation without PCID, a paravirtualized interrupt enable on
 * every entry), and a process_vm_readv() 2 µs: it looks the caller up by
 * pid and runs the ptrace access check each time.  A call with two strings
 * (getxattr's path and name, rename's two paths) used to take two reads.
 * The first time a module reads a string argument of a notified call, every
 * string argument of that syscall (from the syscall table's argument kinds)
 * is read with one process_vm_readv(), each up to the end of its page; the
 * other strings of the call are then served from here.  A string that is
 * not complete in what was read (it crosses a page boundary or is longer)
 * is read again page by page, as before.  A write into the caller's memory
 * during the call drops what was read ahead.
 */
#include <errno.h>
#include <string.h>
#include <sys/uio.h>

#include "tracer.h"
#include "tracer_notify.h"

/* Bit i set: argument i of syscall nr is a path or a string; bit 7: known */
static uint8_t strs_mask[FACET_NR_MAX];

static unsigned strs_args(long nr)
{
	const struct facet_syscall *sc;
	uint8_t m = 0x80;
	int i;

	if (nr < 0 || nr >= FACET_NR_MAX)
		return 0;
	if (strs_mask[nr])
		return strs_mask[nr] & 0x3f;
	sc = facet_syscall(nr);
	for (i = 0; sc && i < sc->nargs && i < 6; i++)
		if (sc->arg[i].kind == FACET_ARG_PATH ||
		    sc->arg[i].kind == FACET_ARG_STR)
			m |= 1u << i;
	strs_mask[nr] = m;
	return m & 0x3f;
}

static size_t strs_page_left(uintptr_t addr)
{
	return 4096 - (addr & 4095);
}

static void strs_add(struct tracer_strs *strs, uintptr_t addr)
{
	int i;

	if (!addr || strs->n == TRACER_STRS_MAX)
		return;
	for (i = 0; i < strs->n; i++)
		if (strs->addr[i] == addr)
			return;
	strs->addr[strs->n++] = addr;
}

/* One process_vm_readv() for @first and every string argument of @call */
static void strs_fetch(struct facet_call *call, struct tracer_strs *strs,
		       uintptr_t first)
{
	struct iovec local[TRACER_STRS_MAX], remote[TRACER_STRS_MAX];
	unsigned mask = strs_args(facet_nr(call));
	ssize_t n;
	int i;

	strs->fetched = 1;
	strs->n = 0;
	strs_add(strs, first);
	for (i = 0; i < 6; i++)
		if (mask & (1u << i))
			strs_add(strs, (uintptr_t)facet_arg(call, i));
	for (i = 0; i < strs->n; i++) {
		local[i].iov_base = strs->buf[i];
		local[i].iov_len = strs_page_left(strs->addr[i]);
		remote[i].iov_base = (void *)strs->addr[i];
		remote[i].iov_len = local[i].iov_len;
	}
	n = process_vm_readv(facet_tid(call), local, strs->n, remote, strs->n,
			     0);
	/* a short read fills the strings in order and stops at a fault */
	for (i = 0; i < strs->n; i++) {
		size_t got = n > 0 ? (size_t)n : 0;

		strs->len[i] = got < local[i].iov_len ? got : local[i].iov_len;
		n -= (ssize_t)strs->len[i];
	}
}

/**
 * tracer_strs_peek() - facet_peek_str() for a notified call
 * @call:	The call
 * @strs:	Its strings read ahead
 * @dst:	Buffer of @cap bytes
 * @addr:	Address of the string in the caller (not 0)
 * @cap:	Size of @dst (not 0)
 *
 * Return: length of the string, or -errno (-ENAMETOOLONG when it does not
 * fit, with @dst holding its first @cap - 1 bytes)
 */
ssize_t tracer_strs_peek(struct facet_call *call, struct tracer_strs *strs,
			 char *dst, uintptr_t addr, size_t cap)
{
	const char *nul;
	size_t len;
	int i;

	if (!strs->fetched)
		strs_fetch(call, strs, addr);
	for (i = 0; i < strs->n && strs->addr[i] != addr; i++)
		;
	if (i == strs->n)
		return facet_call_peek_str_pages(call, dst, addr, cap);
	len = strs->len[i] < cap ? strs->len[i] : cap;
	nul = memchr(strs->buf[i], '\0', len);
	if (nul) {
		memcpy(dst, strs->buf[i], nul - strs->buf[i] + 1);
		return nul - strs->buf[i];
	}
	if (len < cap)	/* the string goes on beyond what was read */
		return facet_call_peek_str_pages(call, dst, addr, cap);
	memcpy(dst, strs->buf[i], cap - 1);
	dst[cap - 1] = '\0';
	return -ENAMETOOLONG;
}
