// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/unit/vnet_fast.c - NAT fast path: which connections, which names
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../modules/vnet/vnet_fast.c"

/**
 * struct dest_case - A guest's connect() address and where it must go
 * @addr:	Guest address (IPv4 or IPv6 text)
 * @port:	Guest port
 * @loopback:	--net-host-loopback
 * @host:	The host's destination, NULL when it stays in the network
 */
struct dest_case {
	const char *addr;
	int port;
	int loopback;
	const char *host;
};

static const struct dest_case dest_cases[] = {
	{ "192.0.2.7", 80, 0, "192.0.2.7" },
	{ "10.0.3.1", 80, 0, "10.0.3.1" },
	{ "10.0.2.2", 80, 0, NULL },
	{ "10.0.2.2", 80, 1, "127.0.0.1" },
	{ "10.0.2.3", 53, 1, NULL },
	{ "10.0.2.100", 80, 1, NULL },
	{ "127.0.0.1", 80, 1, NULL },
	{ "127.3.0.1", 80, 1, NULL },
	{ "0.0.0.0", 80, 0, NULL },
	{ "224.0.0.1", 80, 0, NULL },
	{ "255.255.255.255", 80, 0, NULL },
	{ "192.0.2.7", 0, 0, NULL },
	{ "2001:db8::1", 443, 0, "2001:db8::1" },
	{ "fd00:0:0:1::2", 443, 0, "fd00:0:0:1::2" },
	{ "fd00::2", 443, 0, NULL },
	{ "fd00::2", 443, 1, "::1" },
	{ "fd00::3", 53, 1, NULL },
	{ "fd00::100", 80, 1, NULL },
	{ "::1", 80, 1, NULL },
	{ "::", 80, 1, NULL },
	{ "fe80::1", 80, 0, NULL },
	{ "ff02::1", 80, 0, NULL },
	{ "::ffff:192.0.2.7", 80, 0, "::ffff:192.0.2.7" },
	{ "::ffff:10.0.2.2", 80, 1, "::ffff:127.0.0.1" },
	{ "::ffff:10.0.2.2", 80, 0, NULL },
	{ "::ffff:127.0.0.1", 80, 1, NULL },
};

/* Fill @ss from text; Return: its length */
static socklen_t make_addr(const char *text, int port,
			   struct sockaddr_storage *ss)
{
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, text, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		return sizeof(*s4);
	}
	assert_int_equal(inet_pton(AF_INET6, text, &s6->sin6_addr), 1);
	s6->sin6_family = AF_INET6;
	s6->sin6_port = htons(port);
	return sizeof(*s6);
}

/* The address of @ss as text */
static const char *addr_text(const struct sockaddr_storage *ss, char *buf)
{
	const void *a = ss->ss_family == AF_INET ?
		(const void *)&((const struct sockaddr_in *)ss)->sin_addr :
		(const void *)&((const struct sockaddr_in6 *)ss)->sin6_addr;

	return inet_ntop(ss->ss_family, a, buf, INET6_ADDRSTRLEN);
}

static void test_dest(void **state)
{
	struct sockaddr_storage in, out;
	char buf[INET6_ADDRSTRLEN];
	socklen_t len, got;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(dest_cases) / sizeof(dest_cases[0]); i++) {
		const struct dest_case *c = &dest_cases[i];

		len = make_addr(c->addr, c->port, &in);
		got = vnet_fast_dest((struct sockaddr *)&in, len, c->loopback,
				     &out);
		if (!c->host) {
			if (got)
				fail_msg("%s: should stay in the network",
					 c->addr);
			continue;
		}
		if (got != len)
			fail_msg("%s: should leave from the host", c->addr);
		assert_string_equal(addr_text(&out, buf), c->host);
		assert_int_equal(((struct sockaddr_in *)&out)->sin_port,
				 htons(c->port));
	}
	/* a short address is left to the kernel */
	len = make_addr("192.0.2.7", 80, &in);
	assert_int_equal(vnet_fast_dest((struct sockaddr *)&in, len - 1, 0,
					&out), 0);
}

/**
 * struct name_case - A host answer and what the guest must see
 * @addr:	getsockname()/getpeername() of the host socket
 * @peer:	getpeername()
 * @loopback:	--net-host-loopback
 * @guest:	What the guest sees
 */
struct name_case {
	const char *addr;
	int peer, loopback;
	const char *guest;
};

static const struct name_case name_cases[] = {
	{ "127.0.0.1", 0, 1, "10.0.2.100" },
	{ "192.168.1.5", 0, 0, "10.0.2.100" },
	{ "0.0.0.0", 0, 0, "0.0.0.0" },
	{ "127.0.0.1", 1, 1, "10.0.2.2" },
	{ "127.0.0.1", 1, 0, "127.0.0.1" },
	{ "192.0.2.7", 1, 1, "192.0.2.7" },
	{ "::1", 0, 1, "fd00::100" },
	{ "2001:db8::5", 0, 0, "fd00::100" },
	{ "::", 0, 0, "::" },
	{ "::1", 1, 1, "fd00::2" },
	{ "2001:db8::1", 1, 1, "2001:db8::1" },
	{ "::ffff:127.0.0.1", 0, 1, "::ffff:10.0.2.100" },
	{ "::ffff:127.0.0.1", 1, 1, "::ffff:10.0.2.2" },
};

static void test_guest_addr(void **state)
{
	struct sockaddr_storage ss;
	char buf[INET6_ADDRSTRLEN];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(name_cases) / sizeof(name_cases[0]); i++) {
		const struct name_case *c = &name_cases[i];

		make_addr(c->addr, 4321, &ss);
		vnet_fast_guest_addr(&ss, c->peer, c->loopback);
		assert_string_equal(addr_text(&ss, buf), c->guest);
		assert_int_equal(((struct sockaddr_in *)&ss)->sin_port,
				 htons(4321));
	}
}

/* The @n-th inode after @from whose first slot is @slot's */
static ino_t same_slot(ino_t from, ino_t slot, int n)
{
	ino_t i;

	for (i = from + 1;; i++)
		if (vnet_fast_slot(i) == slot && !--n)
			return i;
}

static void test_table(void **state)
{
	static ino_t table[VNET_FAST_SLOTS];
	struct vnet_fast f = { .table = table };
	ino_t i, base = 12345, h = vnet_fast_slot(base);

	(void)state;
	assert_false(vnet_fast_known(&f, base));
	vnet_fast_remember(&f, base);
	assert_true(vnet_fast_known(&f, base));
	/* colliding inodes each find their own slot */
	for (i = 1; i < VNET_FAST_PROBES; i++)
		vnet_fast_remember(&f, same_slot(base, h, (int)i));
	for (i = 1; i < VNET_FAST_PROBES; i++)
		assert_true(vnet_fast_known(&f, same_slot(base, h, (int)i)));
	/* one more replaces the first, never lands outside the probes */
	vnet_fast_remember(&f, same_slot(base, h, VNET_FAST_PROBES));
	assert_true(vnet_fast_known(&f, same_slot(base, h, VNET_FAST_PROBES)));
	assert_false(vnet_fast_known(&f, base));
	assert_true(vnet_fast_known(&f, same_slot(base, h, 1)));
}

/*
 * Sockets' inodes come in strided runs, several per connection: 8000 of
 * them (3 inodes apart, in runs of 32 with gaps) are all remembered.
 * Taken modulo the table size, such runs piled up on the same slots and
 * a few hundred of 3000 were forgotten at once.
 */
static void test_table_strided(void **state)
{
	static ino_t table[VNET_FAST_SLOTS];
	static ino_t inos[8000];
	struct vnet_fast f = { .table = table };
	ino_t ino = 40000;
	int i;

	(void)state;
	for (i = 0; i < 8000; i++) {
		ino += i % 32 ? 3 : 1000 + (ino_t)(i % 7) * 97;
		inos[i] = ino;
		vnet_fast_remember(&f, ino);
	}
	for (i = 0; i < 8000; i++)
		assert_true(vnet_fast_known(&f, inos[i]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dest),
		cmocka_unit_test(test_guest_addr),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_table_strided),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
