// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vtrace/vtrace_sockaddr.c - Socket addresses and struct stat from
 *				       bytes: pure functions, unit-tested
 */
#include <arpa/inet.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>

#include "vtrace.h"

static void vtrace_sa_inet(struct vtrace_buf *b, char *brief, size_t cap,
			   const struct sockaddr_in *in)
{
	char addr[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &in->sin_addr, addr, sizeof(addr));
	vtrace_buf_printf(b, "{sa_family=AF_INET, sin_port=htons(%u), "
			  "sin_addr=inet_addr(\"%s\")}", ntohs(in->sin_port),
			  addr);
	snprintf(brief, cap, "inet:%s:%u", addr, ntohs(in->sin_port));
}

static void vtrace_sa_inet6(struct vtrace_buf *b, char *brief, size_t cap,
			    const struct sockaddr_in6 *in6)
{
	char addr[INET6_ADDRSTRLEN];

	inet_ntop(AF_INET6, &in6->sin6_addr, addr, sizeof(addr));
	vtrace_buf_printf(b, "{sa_family=AF_INET6, sin6_port=htons(%u), "
			  "sin6_flowinfo=htonl(%u), inet_pton(AF_INET6, "
			  "\"%s\", &sin6_addr), sin6_scope_id=%u}",
			  ntohs(in6->sin6_port), ntohl(in6->sin6_flowinfo),
			  addr, in6->sin6_scope_id);
	snprintf(brief, cap, "inet6:[%s]:%u", addr, ntohs(in6->sin6_port));
}

static void vtrace_sa_unix(struct vtrace_buf *b, char *brief, size_t cap,
			   const struct sockaddr_un *un, size_t len)
{
	size_t off = offsetof(struct sockaddr_un, sun_path);
	size_t n = len > off ? len - off : 0;
	const char *p = un->sun_path;

	if (n > sizeof(un->sun_path))
		n = sizeof(un->sun_path);
	vtrace_buf_puts(b, "{sa_family=AF_UNIX");
	if (!n) {
		vtrace_buf_puts(b, "}");
		snprintf(brief, cap, "unix:");
		return;
	}
	vtrace_buf_puts(b, ", sun_path=");
	if (!p[0]) {	/* abstract: @name */
		vtrace_buf_puts(b, "@");
		vtrace_buf_quote(b, (const unsigned char *)p + 1, n - 1, n, 0);
		snprintf(brief, cap, "unix:@%.*s", (int)(n - 1), p + 1);
	} else {
		n = strnlen(p, n);
		vtrace_buf_quote(b, (const unsigned char *)p, n, n, 0);
		snprintf(brief, cap, "unix:%.*s", (int)n, p);
	}
	vtrace_buf_puts(b, "}");
}

/**
 * vtrace_sockaddr() - Append a socket address as strace does
 * @b:		Buffer
 * @brief:	Receives the short form ("inet:127.0.0.1:80",
 *		"inet6:[::1]:80", "unix:/path", "netlink:pid=0") or ""
 * @cap:	Size of @brief
 * @sa:		The address bytes
 * @len:	Their number
 */
void vtrace_sockaddr(struct vtrace_buf *b, char *brief, size_t cap,
		     const void *sa, size_t len)
{
	struct sockaddr_storage ss;
	sa_family_t family;

	brief[0] = '\0';
	if (len < sizeof(family)) {
		vtrace_buf_puts(b, "{}");
		return;
	}
	memset(&ss, 0, sizeof(ss));
	memcpy(&ss, sa, len < sizeof(ss) ? len : sizeof(ss));
	family = ss.ss_family;
	if (family == AF_INET && len >= sizeof(struct sockaddr_in)) {
		vtrace_sa_inet(b, brief, cap, (struct sockaddr_in *)&ss);
	} else if (family == AF_INET6 && len >= sizeof(struct sockaddr_in6)) {
		vtrace_sa_inet6(b, brief, cap, (struct sockaddr_in6 *)&ss);
	} else if (family == AF_UNIX) {
		vtrace_sa_unix(b, brief, cap, (struct sockaddr_un *)&ss, len);
	} else if (family == AF_NETLINK &&
		   len >= sizeof(struct sockaddr_nl)) {
		const struct sockaddr_nl *nl = (struct sockaddr_nl *)&ss;

		vtrace_buf_printf(b, "{sa_family=AF_NETLINK, nl_pid=%u, "
				  "nl_groups=%08x}", nl->nl_pid, nl->nl_groups);
		snprintf(brief, cap, "netlink:pid=%u", nl->nl_pid);
	} else {
		vtrace_buf_printf(b, "{sa_family=%u}", family);
	}
}

/**
 * vtrace_put_mode() - Append a file mode: S_IFREG|0644, S_IFDIR|S_ISVTX|0777
 * @b:		Buffer
 * @mode:	st_mode
 */
void vtrace_put_mode(struct vtrace_buf *b, unsigned mode)
{
	static const struct { unsigned fmt; const char *name; } types[] = {
		{ S_IFREG, "S_IFREG" }, { S_IFDIR, "S_IFDIR" },
		{ S_IFLNK, "S_IFLNK" }, { S_IFCHR, "S_IFCHR" },
		{ S_IFBLK, "S_IFBLK" }, { S_IFIFO, "S_IFIFO" },
		{ S_IFSOCK, "S_IFSOCK" },
	};
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if ((mode & S_IFMT) == types[i].fmt)
			break;
	if (i == sizeof(types) / sizeof(types[0])) {
		vtrace_buf_printf(b, "%#o", mode);
		return;
	}
	/* as strace: the set-id and sticky bits by name, then 0644 */
	vtrace_buf_printf(b, "%s%s%s%s|%#03o", types[i].name,
			  mode & S_ISUID ? "|S_ISUID" : "",
			  mode & S_ISGID ? "|S_ISGID" : "",
			  mode & S_ISVTX ? "|S_ISVTX" : "", mode & 0777);
}

/* -v: one of a stat's times, with its date when it is not 0 */
static void vtrace_stat_time(const struct vtrace *v, struct vtrace_buf *b,
			     const char *name, const struct timespec *t)
{
	vtrace_buf_printf(b, ", %s=%lld", name, (long long)t->tv_sec);
	if (t->tv_sec || t->tv_nsec)
		vtrace_put_date(v, b, t->tv_sec, t->tv_nsec, 9);
	vtrace_buf_printf(b, ", %s_nsec=%ld", name, t->tv_nsec);
}

/**
 * vtrace_put_stat() - Append a struct stat as strace shows it
 * @v:		Module state
 * @b:		Buffer
 * @st:		A struct stat (x86_64 layout)
 * @full:	Every field (-v), else strace's short form
 *
 * Devices show their rdev, other files their size, as strace does.
 */
void vtrace_put_stat(const struct vtrace *v, struct vtrace_buf *b,
		     const void *st, int full)
{
	const struct stat *s = st;

	if (full)
		vtrace_buf_printf(b, "{st_dev=makedev(%#x, %#x), st_ino=%llu, ",
				  major(s->st_dev), minor(s->st_dev),
				  (unsigned long long)s->st_ino);
	vtrace_buf_puts(b, full ? "st_mode=" : "{st_mode=");
	vtrace_put_mode(b, s->st_mode);
	if (full)
		vtrace_buf_printf(b, ", st_nlink=%lu, st_uid=%u, st_gid=%u, "
				  "st_blksize=%ld, st_blocks=%lld",
				  (unsigned long)s->st_nlink, s->st_uid,
				  s->st_gid, (long)s->st_blksize,
				  (long long)s->st_blocks);
	if (S_ISCHR(s->st_mode) || S_ISBLK(s->st_mode))
		vtrace_buf_printf(b, ", st_rdev=makedev(%#x, %#x)",
				  major(s->st_rdev), minor(s->st_rdev));
	else
		vtrace_buf_printf(b, ", st_size=%lld", (long long)s->st_size);
	if (!full) {
		vtrace_buf_puts(b, ", ...}");
		return;
	}
	vtrace_stat_time(v, b, "st_atime", &s->st_atim);
	vtrace_stat_time(v, b, "st_mtime", &s->st_mtim);
	vtrace_stat_time(v, b, "st_ctime", &s->st_ctim);
	vtrace_buf_puts(b, "}");
}
