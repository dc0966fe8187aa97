// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/unit/vtrace_sockaddr.c - Socket addresses and stat, as strace
 */
#include <arpa/inet.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>

#include <cmocka.h>

#include "../../modules/vtrace/vtrace.h"

static void sa_is(const void *sa, size_t len, const char *text,
		  const char *brief)
{
	struct vtrace_buf b = { 0 };
	char br[160];

	vtrace_sockaddr(&b, br, sizeof(br), sa, len);
	assert_string_equal(b.p, text);
	assert_string_equal(br, brief);
	vtrace_buf_free(&b);
}

static void test_inet(void **state)
{
	struct sockaddr_in in = { .sin_family = AF_INET,
				  .sin_port = htons(8080) };
	struct sockaddr_in6 in6 = { .sin6_family = AF_INET6,
				    .sin6_port = htons(80) };

	(void)state;
	in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa_is(&in, sizeof(in), "{sa_family=AF_INET, sin_port=htons(8080), "
	      "sin_addr=inet_addr(\"127.0.0.1\")}", "inet:127.0.0.1:8080");
	in6.sin6_addr = in6addr_loopback;
	sa_is(&in6, sizeof(in6), "{sa_family=AF_INET6, sin6_port=htons(80), "
	      "sin6_flowinfo=htonl(0), inet_pton(AF_INET6, \"::1\", "
	      "&sin6_addr), sin6_scope_id=0}", "inet6:[::1]:80");
	/* too short for its family: just the family */
	sa_is(&in, 4, "{sa_family=2}", "");
	sa_is(&in, 1, "{}", "");
}

static void test_unix_netlink(void **state)
{
	struct sockaddr_un un = { .sun_family = AF_UNIX };
	struct sockaddr_nl nl = { .nl_family = AF_NETLINK, .nl_pid = 7 };
	size_t off = offsetof(struct sockaddr_un, sun_path);

	(void)state;
	strcpy(un.sun_path, "/run/x.sock");
	sa_is(&un, off + 12, "{sa_family=AF_UNIX, sun_path=\"/run/x.sock\"}",
	      "unix:/run/x.sock");
	memcpy(un.sun_path, "\0abs", 4);
	sa_is(&un, off + 4, "{sa_family=AF_UNIX, sun_path=@\"abs\"}",
	      "unix:@abs");
	sa_is(&un, off, "{sa_family=AF_UNIX}", "unix:");
	sa_is(&nl, sizeof(nl), "{sa_family=AF_NETLINK, nl_pid=7, "
	      "nl_groups=00000000}", "netlink:pid=7");
}

static void test_stat(void **state)
{
	struct vtrace_buf b = { 0 };
	struct stat st = { .st_mode = S_IFREG | 0644, .st_size = 13 };
	struct vtrace v = { .role = VTRACE_IMAGE, .gmtoff = 3600 };

	(void)state;
	vtrace_put_stat(&v, &b, &st, 0);
	assert_string_equal(b.p, "{st_mode=S_IFREG|0644, st_size=13, ...}");
	b.len = 0;
	st.st_mode = S_IFCHR | 0666;
	st.st_rdev = makedev(1, 3);
	vtrace_put_stat(&v, &b, &st, 0);
	assert_string_equal(b.p, "{st_mode=S_IFCHR|0666, "
			    "st_rdev=makedev(0x1, 0x3), ...}");
	b.len = 0;
	/* -v: every field, times with their date (here UTC+1), none for 0 */
	st.st_dev = makedev(0xfe, 1);
	st.st_ino = 42;
	st.st_nlink = 1;
	st.st_mtim.tv_sec = 1700000000;
	st.st_mtim.tv_nsec = 5;
	vtrace_put_stat(&v, &b, &st, 1);
	assert_string_equal(b.p, "{st_dev=makedev(0xfe, 0x1), st_ino=42, "
			    "st_mode=S_IFCHR|0666, st_nlink=1, st_uid=0, "
			    "st_gid=0, st_blksize=0, st_blocks=0, "
			    "st_rdev=makedev(0x1, 0x3), st_atime=0, "
			    "st_atime_nsec=0, st_mtime=1700000000 /* "
			    "2023-11-14T23:13:20.000000005+0100 */, "
			    "st_mtime_nsec=5, st_ctime=0, st_ctime_nsec=0}");
	b.len = 0;
	/* set-id and sticky bits by name, as strace */
	vtrace_put_mode(&b, S_IFDIR | 01777);
	assert_string_equal(b.p, "S_IFDIR|S_ISVTX|0777");
	b.len = 0;
	vtrace_put_mode(&b, S_IFREG | 06000);
	assert_string_equal(b.p, "S_IFREG|S_ISUID|S_ISGID|000");
	vtrace_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_inet),
		cmocka_unit_test(test_unix_netlink),
		cmocka_unit_test(test_stat),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
