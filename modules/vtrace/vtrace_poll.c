// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vtrace/vtrace_poll.c - poll, ppoll, select and pselect6 as
 *				   strace shows them
 *
 * DOC: Sets and timeouts
 *
 * Their in-out arguments (the pollfd array, the fd sets, the timeout) are
 * shown as the program passed them, at entry: the kernel rewrites the sets
 * with the ready fds and the timeout with the time left.  What it wrote is
 * shown after the result, as strace does: "= 0 (Timeout)", "= 1 ([{fd=3,
 * revents=POLLIN}], left {tv_sec=0, tv_nsec=999})" for ppoll, "= 1 (in
 * [3], left {tv_sec=0, tv_usec=999})" for select.
 */
#include <poll.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>

#include "../../core/xlat.h"
#include "vtrace.h"

/* Bits of an fd set read at most (strace reads as many as nfds asks) */
#define VTRACE_FDSET_BITS	8192

/**
 * vtrace_poll_at_entry() - Is this in-out argument shown at entry?
 * @nr:		Syscall
 * @i:		Argument index
 *
 * Return: 1 for the pollfd array, the fd sets and the timeout
 */
int vtrace_poll_at_entry(long nr, int i)
{
	switch (nr) {
	case SYS_poll:
		return i == 0;
	case SYS_ppoll:
		return i == 0 || i == 2;
	case SYS_select:
	case SYS_pselect6:
		return i >= 1 && i <= 4;
	}
	return 0;
}

/**
 * vtrace_poll_pollfd() - Append a pollfd array
 * @v:		Module state (-s caps the elements)
 * @b:		Buffer
 * @call:	The call
 * @s:		Its slot (its process: fds with their paths)
 * @addr:	The array in the caller
 * @n:		Its elements
 * @out:	The returned events ("{fd=3, revents=POLLIN}", only those
 *		with some), else the asked ones ("{fd=3</x>, events=POLLIN}")
 */
void vtrace_poll_pollfd(const struct vtrace *v, struct vtrace_buf *b,
			struct facet_call *call, const struct vtrace_slot *s,
			uintptr_t addr, long n, int out)
{
	long k, shown = 0, max = vtrace_array_max(v, s->nr);
	struct pollfd p;
	char ev[128];

	vtrace_buf_puts(b, "[");
	for (k = 0; k < n; k++) {
		if (facet_peek(call, &p, addr + k * sizeof(p), sizeof(p)) !=
		    sizeof(p))
			break;
		if (out && !p.revents)
			continue;
		if (shown)
			vtrace_buf_puts(b, ", ");
		if (shown++ == max) {
			vtrace_buf_puts(b, "...");
			break;
		}
		facet_xlat_flags("poll_events", (unsigned short)
				 (out ? p.revents : p.events), ev, sizeof(ev));
		vtrace_buf_puts(b, "{fd=");
		if (out)
			vtrace_buf_printf(b, "%d", p.fd);
		else
			vtrace_put_fd(b, s->pid, p.fd, NULL, 0);
		vtrace_buf_printf(b, ", %s=%s}", out ? "revents" : "events",
				  ev);
	}
	vtrace_buf_puts(b, "]");
}

/* Read the first @nfds bits of the set at @addr; the bytes read or -1 */
static long vtrace_poll_read_set(struct facet_call *call, uintptr_t addr,
				 long nfds, unsigned char *set)
{
	long bytes;

	if (nfds > VTRACE_FDSET_BITS)
		nfds = VTRACE_FDSET_BITS;
	/* the kernel reads whole longs */
	bytes = (nfds + 63) / 64 * 8;
	if (bytes && facet_peek(call, set, addr, bytes) != bytes)
		return -1;
	return bytes;
}

static int vtrace_poll_bit(const unsigned char *set, long fd)
{
	return set[fd / 8] & (1u << (fd % 8));
}

/**
 * vtrace_poll_fdset() - Append an fd set as the program passed it
 * @b:		Buffer
 * @call:	The call, at entry (its first argument is nfds)
 * @pid:	Its process (fds with their paths)
 * @addr:	The set in the caller
 *
 * "[3</dev/null> 4<pipe:[123]>]", as strace -y.
 */
void vtrace_poll_fdset(struct vtrace_buf *b, struct facet_call *call,
		       pid_t pid, uintptr_t addr)
{
	long nfds = (int)facet_arg(call, 0), fd, bytes;
	unsigned char set[VTRACE_FDSET_BITS / 8];
	int first = 1;

	bytes = nfds > 0 ? vtrace_poll_read_set(call, addr, nfds, set) : 0;
	if (bytes < 0) {
		vtrace_buf_printf(b, "%#lx", (unsigned long)addr);
		return;
	}
	vtrace_buf_puts(b, "[");
	for (fd = 0; fd < nfds && fd < bytes * 8; fd++) {
		if (!vtrace_poll_bit(set, fd))
			continue;
		if (!first)
			vtrace_buf_puts(b, " ");
		vtrace_put_fd(b, pid, fd, NULL, 0);
		first = 0;
	}
	vtrace_buf_puts(b, "]");
}

/* select's ready sets after the result: "in [3], out [4]" */
static void vtrace_poll_ready_sets(struct vtrace_buf *b,
				   struct facet_call *call, long ret)
{
	static const char *const names[] = { "in", "out", "except" };
	long nfds = (int)facet_arg(call, 0), fd, bytes, left = ret;
	unsigned char set[VTRACE_FDSET_BITS / 8];
	size_t start = b->len;
	int i, first;

	for (i = 0; i < 3 && left > 0; i++) {
		uintptr_t addr = facet_arg(call, i + 1);

		if (!addr)
			continue;
		bytes = vtrace_poll_read_set(call, addr, nfds, set);
		for (fd = 0, first = 1; fd < nfds && fd < bytes * 8 &&
		     left > 0; fd++) {
			if (!vtrace_poll_bit(set, fd))
				continue;
			if (first)
				vtrace_buf_printf(b, "%s%s [%ld",
						  b->len > start ? ", " : "",
						  names[i], fd);
			else
				vtrace_buf_printf(b, " %ld", fd);
			first = 0;
			left--;
		}
		if (!first)
			vtrace_buf_puts(b, "]");
	}
}

/* ", left {tv_sec=0, tv_nsec=289}": the timeout the kernel wrote back */
static void vtrace_poll_left(struct vtrace_buf *b, struct facet_call *call,
			     long nr, size_t start)
{
	uintptr_t addr = facet_arg(call, nr == SYS_ppoll ? 2 : 4);
	const char *sep = b->len > start ? ", " : "";
	struct timespec ts;
	struct timeval tv;

	if (!addr)
		return;
	if (nr == SYS_select) {
		if (facet_peek(call, &tv, addr, sizeof(tv)) == sizeof(tv))
			vtrace_buf_printf(b, "%sleft {tv_sec=%lld, "
					  "tv_usec=%ld}", sep,
					  (long long)tv.tv_sec,
					  (long)tv.tv_usec);
	} else if (facet_peek(call, &ts, addr, sizeof(ts)) == sizeof(ts)) {
		vtrace_buf_printf(b, "%sleft {tv_sec=%lld, tv_nsec=%ld}", sep,
				  (long long)ts.tv_sec, ts.tv_nsec);
	}
}

/**
 * vtrace_poll_exit() - What the kernel wrote, for after the result
 * @v:		Module state
 * @call:	The call, at exit
 * @s:		Its slot: the text is added to @s->args at @s->xoff
 * @ret:	The result
 *
 * "Timeout" for 0; the ready fds and the time left otherwise.  Nothing
 * for an error, or for a call that is none of these.
 */
void vtrace_poll_exit(const struct vtrace *v, struct facet_call *call,
		      struct vtrace_slot *s, long ret)
{
	struct vtrace_buf *b = &s->args;

	if (ret < 0 || (s->nr != SYS_poll && s->nr != SYS_ppoll &&
			s->nr != SYS_select && s->nr != SYS_pselect6))
		return;
	s->xoff = b->len;
	if (ret == 0) {
		vtrace_buf_puts(b, "Timeout");
	} else if (s->nr == SYS_poll || s->nr == SYS_ppoll) {
		vtrace_poll_pollfd(v, b, call, s, facet_arg(call, 0),
				   facet_arg(call, 1), 1);
		if (s->nr == SYS_ppoll)
			vtrace_poll_left(b, call, s->nr, s->xoff);
	} else {
		vtrace_poll_ready_sets(b, call, ret);
		vtrace_poll_left(b, call, s->nr, s->xoff);
	}
	s->xlen = b->len - s->xoff;
}
