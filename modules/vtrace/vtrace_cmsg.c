// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vtrace/vtrace_cmsg.c - A msghdr's control messages, as strace
 *				   shows them
 *
 * "msg_control=[{cmsg_len=24, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS,
 * cmsg_data=[0</dev/null>, 1</dev/null>]}]": the fds passed with their
 * paths (those received, at exit, are the receiver's), credentials as
 * {pid=, uid=, gid=}, other data as hex bytes.
 */
#include <string.h>
#include <sys/socket.h>

#include "../../core/xlat.h"
#include "vtrace.h"

/* Control bytes read at most */
#define VTRACE_CMSG_MAX		4096

/* One message's data (@n bytes at @data) */
static void vtrace_cmsg_data(struct vtrace_buf *b, pid_t pid,
			     const struct cmsghdr *cm,
			     const unsigned char *data, size_t n)
{
	struct ucred cr;
	size_t k;
	int fd;

	if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS) {
		vtrace_buf_puts(b, "[");
		for (k = 0; k + sizeof(fd) <= n; k += sizeof(fd)) {
			memcpy(&fd, data + k, sizeof(fd));
			if (k)
				vtrace_buf_puts(b, ", ");
			vtrace_put_fd(b, pid, fd, NULL, 0);
		}
		vtrace_buf_puts(b, "]");
	} else if (cm->cmsg_level == SOL_SOCKET &&
		   cm->cmsg_type == SCM_CREDENTIALS && n >= sizeof(cr)) {
		memcpy(&cr, data, sizeof(cr));
		vtrace_buf_printf(b, "{pid=%d, uid=%u, gid=%u}", cr.pid,
				  (unsigned)cr.uid, (unsigned)cr.gid);
	} else {
		vtrace_buf_quote_hex(b, data, n, n);
	}
}

/**
 * vtrace_cmsg() - Append a msghdr's control messages
 * @b:		Buffer
 * @call:	The call
 * @pid:	Its process (fds with their paths)
 * @addr:	msg_control
 * @len:	msg_controllen
 */
void vtrace_cmsg(struct vtrace_buf *b, struct facet_call *call, pid_t pid,
		 uintptr_t addr, size_t len)
{
	static unsigned char buf[VTRACE_CMSG_MAX];
	const char *level, *type;
	struct cmsghdr cm;
	size_t off, n;

	if (len > sizeof(buf))
		len = sizeof(buf);
	if (facet_peek(call, buf, addr, len) != (ssize_t)len) {
		vtrace_buf_printf(b, "%#lx", (unsigned long)addr);
		return;
	}
	vtrace_buf_puts(b, "[");
	for (off = 0; off + sizeof(cm) <= len; off += CMSG_ALIGN(cm.cmsg_len)) {
		memcpy(&cm, buf + off, sizeof(cm));
		if (cm.cmsg_len < sizeof(cm))
			break;
		level = facet_xlat_name("sockopt_level",
					(unsigned long)cm.cmsg_level);
		type = cm.cmsg_level == SOL_SOCKET ?
		       facet_xlat_name("scm_type",
				       (unsigned long)cm.cmsg_type) : NULL;
		vtrace_buf_printf(b, "%s{cmsg_len=%zu, cmsg_level=", off ?
				  ", " : "", (size_t)cm.cmsg_len);
		if (level)
			vtrace_buf_puts(b, level);
		else
			vtrace_buf_printf(b, "%d", cm.cmsg_level);
		if (type)
			vtrace_buf_printf(b, ", cmsg_type=%s", type);
		else
			vtrace_buf_printf(b, ", cmsg_type=%#x", cm.cmsg_type);
		n = cm.cmsg_len - CMSG_LEN(0);
		if (off + CMSG_LEN(0) + n > len)	/* cut short */
			n = len - off - CMSG_LEN(0);
		vtrace_buf_puts(b, ", cmsg_data=");
		vtrace_cmsg_data(b, pid, &cm, buf + off + CMSG_LEN(0), n);
		vtrace_buf_puts(b, "}");
	}
	vtrace_buf_puts(b, "]");
}
