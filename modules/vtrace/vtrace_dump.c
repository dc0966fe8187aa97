// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vtrace/vtrace_dump.c - Hex dumps of the data read from and
 *				   written to chosen fds (strace -e read=,
 *				   -e write=)
 *
 * After the call's line, text only, as strace prints them: every byte
 * the call moved (its result), 16 to a line,
 *
 *  | 00000  68 69 0a                                          hi.              |
 *
 * and for the vector calls (readv, writev, recvmsg, sendmsg...) a line
 * " * N bytes in buffer I" before each buffer's dump.  Nothing is read
 * unless a set was given: the per-call cost is one test of @dump_on.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>

#include "vtrace.h"

#define VTRACE_DUMP_IOVS	1024	/* buffers of a vector shown at most */

/**
 * vtrace_dump_parse() - Parse an fd set for -e read= or -e write=
 * @v:		Module state
 * @write:	0 for read=, 1 for write=
 * @spec:	"3,4", "all", "none", "!0,1" (every fd but these)
 * @err:	Error message
 *
 * Return: 0 or -EINVAL
 */
int vtrace_dump_parse(struct vtrace *v, int write, const char *spec,
		      struct facet_err *err)
{
	uint64_t *set = v->dump[write];
	char list[256], *tok, *save = NULL, *end;
	int neg = spec && spec[0] == '!';
	size_t i;
	long fd;

	if (!spec || strlen(spec) >= sizeof(list))
		return facet_err_set(err, EINVAL, "vtrace: %s= needs a list "
				     "of fds", write ? "write" : "read");
	snprintf(list, sizeof(list), "%s", spec + neg);
	memset(set, 0, sizeof(v->dump[0]));
	for (tok = strtok_r(list, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (!strcmp(tok, "all") || !strcmp(tok, "none")) {
			memset(set, tok[0] == 'a' ? 0xff : 0,
			       sizeof(v->dump[0]));
			continue;
		}
		errno = 0;
		fd = strtol(tok, &end, 10);
		if (errno || *end || end == tok || fd < 0 ||
		    fd >= VTRACE_DUMP_FDS)
			return facet_err_set(err, EINVAL, "vtrace: '%s' in "
					     "%s= is not an fd from 0 to %d",
					     tok, write ? "write" : "read",
					     VTRACE_DUMP_FDS - 1);
		set[fd / 64] |= 1ull << (fd % 64);
	}
	for (i = 0; neg && i < VTRACE_DUMP_FDS / 64; i++)
		set[i] = ~set[i];
	v->dump_on = 0;
	for (i = 0; i < 2 * VTRACE_DUMP_FDS / 64; i++)
		v->dump_on |= v->dump[i / (VTRACE_DUMP_FDS / 64)]
				    [i % (VTRACE_DUMP_FDS / 64)] != 0;
	return 0;
}

/* Which set a call's data is dumped by: 0 read, 1 write, -1 none */
static int vtrace_dump_dir(long nr, int *vector)
{
	*vector = 0;
	switch (nr) {
	case SYS_read: case SYS_pread64: case SYS_recvfrom:
	case SYS_mq_timedreceive:
		return 0;
	case SYS_write: case SYS_pwrite64: case SYS_sendto:
	case SYS_mq_timedsend:
		return 1;
	case SYS_readv: case SYS_preadv: case SYS_preadv2:
		*vector = 1;
		return 0;
	case SYS_writev: case SYS_pwritev: case SYS_pwritev2:
		*vector = 1;
		return 1;
	case SYS_recvmsg:
		*vector = 2;
		return 0;
	case SYS_sendmsg:
		*vector = 2;
		return 1;
	}
	return -1;
}

/* One 16-byte line of a dump */
static void vtrace_dump_line(struct vtrace_buf *b, size_t off,
			     const unsigned char *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	char line[96], *q = line;
	size_t i;

	q += sprintf(q, " | %05zx  ", off);
	for (i = 0; i < 16; i++) {
		if (i)
			*q++ = ' ';
		if (i == 8)
			*q++ = ' ';
		*q++ = i < n ? hex[p[i] >> 4] : ' ';
		*q++ = i < n ? hex[p[i] & 15] : ' ';
	}
	*q++ = ' ';
	*q++ = ' ';
	for (i = 0; i < 16; i++)
		*q++ = i >= n ? ' ' : p[i] >= ' ' && p[i] < 0x7f ? (char)p[i] :
			'.';
	strcpy(q, " |\n");
	vtrace_buf_puts(b, line);
}

/* @len bytes at @addr in the caller, as dump lines */
static void vtrace_dump_bytes(struct vtrace_buf *b, struct facet_call *call,
			      uintptr_t addr, size_t len)
{
	unsigned char chunk[4096];
	size_t off = 0, i;
	ssize_t n;

	while (off < len) {
		size_t want = len - off < sizeof(chunk) ? len - off :
			      sizeof(chunk);

		n = facet_peek(call, chunk, addr + off, want);
		if (n <= 0)
			return;
		for (i = 0; i < (size_t)n; i += 16)
			vtrace_dump_line(b, off + i, chunk + i,
					 (size_t)n - i < 16 ? (size_t)n - i :
					 16);
		off += (size_t)n;
		if ((size_t)n < want)
			return;
	}
}

/* A vector's buffers, up to @total bytes, each after its header line */
static void vtrace_dump_iov(struct vtrace_buf *b, struct facet_call *call,
			    uintptr_t iov, size_t count, size_t total)
{
	struct iovec one;
	size_t i;

	for (i = 0; i < count && i < VTRACE_DUMP_IOVS && total; i++) {
		size_t n;

		if (facet_peek(call, &one, iov + i * sizeof(one),
			       sizeof(one)) != sizeof(one))
			return;
		n = one.iov_len < total ? one.iov_len : total;
		if (!n)
			break;
		total -= n;
		vtrace_buf_printf(b, " * %zu bytes in buffer %zu\n", n, i);
		vtrace_dump_bytes(b, call, (uintptr_t)one.iov_base, n);
	}
}

/**
 * vtrace_dump() - The hex dump of a call's data, if its fd is in a set
 * @v:		Module state
 * @call:	The call, at exit
 * @s:		Its slot
 * @ret:	Its result: the bytes moved
 * @b:		Buffer the dump lines are appended to
 */
void vtrace_dump(struct vtrace *v, struct facet_call *call,
		 struct vtrace_slot *s, long ret, struct vtrace_buf *b)
{
	int vector, dir = vtrace_dump_dir(s->nr, &vector);
	long fd = s->raw[0];
	struct msghdr m;

	if (dir < 0 || ret <= 0 || fd < 0 || fd >= VTRACE_DUMP_FDS ||
	    !(v->dump[dir][fd / 64] & (1ull << (fd % 64))))
		return;
	if (!vector) {
		vtrace_dump_bytes(b, call, (uintptr_t)s->raw[1], (size_t)ret);
		return;
	}
	if (vector == 1) {
		vtrace_dump_iov(b, call, (uintptr_t)s->raw[1],
				(size_t)s->raw[2], (size_t)ret);
		return;
	}
	if (facet_peek(call, &m, (uintptr_t)s->raw[1], sizeof(m)) ==
	    sizeof(m))
		vtrace_dump_iov(b, call, (uintptr_t)m.msg_iov, m.msg_iovlen,
				(size_t)ret);
}
