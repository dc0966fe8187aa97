// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/unit/vnet_opts.c - --publish specs and network names
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../modules/vnet/vnet_opts.c"

/**
 * struct publish_case - One --publish spec and what it must give
 * @spec:	As typed
 * @ok:		Valid
 * @addr:	Expected address
 * @host:	Host port
 * @guest:	Guest port
 * @udp:	UDP
 */
struct publish_case {
	const char *spec;
	int ok;
	const char *addr;
	int host, guest, udp;
};

static const struct publish_case publish_cases[] = {
	{ "18080:80", 1, "127.0.0.1", 18080, 80, 0 },
	{ "8053:53/udp", 1, "127.0.0.1", 8053, 53, 1 },
	{ "8053:53/tcp", 1, "127.0.0.1", 8053, 53, 0 },
	{ "0.0.0.0:8080:80", 1, "0.0.0.0", 8080, 80, 0 },
	{ "[::1]:8080:80/udp", 1, "::1", 8080, 80, 1 },
	{ "::1:8080:80", 1, "::1", 8080, 80, 0 },
	{ "80", 0, NULL, 0, 0, 0 },
	{ ":80", 0, NULL, 0, 0, 0 },
	{ "80:", 0, NULL, 0, 0, 0 },
	{ "0:80", 0, NULL, -1, 0, 0 },
	{ "65536:80", 0, NULL, -1, 0, 0 },
	{ "8080:99999", 0, NULL, -1, 0, 0 },
	{ "8080:80/sctp", 0, NULL, 0, 0, 0 },
	{ "8080:x80", 0, NULL, 0, 0, 0 },
	{ "1.2.3:8080:80", 0, NULL, 0, 0, 0 },
	{ "host:8080:80", 0, NULL, 0, 0, 0 },
	{ "", 0, NULL, 0, 0, 0 },
};

static void test_publish(void **state)
{
	struct vnet_publish p;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(publish_cases) / sizeof(publish_cases[0]);
	     i++) {
		const struct publish_case *c = &publish_cases[i];
		int ret = vnet_publish_parse(c->spec, &p);

		if (!c->ok) {
			assert_int_equal(ret, c->host < 0 ? -ERANGE : -EINVAL);
			continue;
		}
		assert_int_equal(ret, 0);
		assert_string_equal(p.addr, c->addr);
		assert_int_equal(p.host_port, c->host);
		assert_int_equal(p.guest_port, c->guest);
		assert_int_equal(p.udp, c->udp);
	}
}

static void test_names(void **state)
{
	char longname[VNET_NAME_MAX + 1];

	(void)state;
	assert_true(vnet_name_valid("lab"));
	assert_true(vnet_name_valid("lab-2_x.y"));
	assert_false(vnet_name_valid(""));
	assert_false(vnet_name_valid(".hidden"));
	assert_false(vnet_name_valid("-x"));
	assert_false(vnet_name_valid("a/b"));
	assert_false(vnet_name_valid("private"));
	assert_false(vnet_name_valid("nat"));
	assert_false(vnet_name_valid("host"));
	memset(longname, 'a', VNET_NAME_MAX);
	longname[VNET_NAME_MAX] = '\0';
	assert_false(vnet_name_valid(longname));
	longname[VNET_NAME_MAX - 1] = '\0';
	assert_true(vnet_name_valid(longname));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_publish),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
