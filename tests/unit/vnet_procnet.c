// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/unit/vnet_procnet.c - Which /proc paths are the network's /proc/net
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "../../modules/vnet/vnet_procnet.c"

/* the caller: pid 100, thread 101; no anchor (no other process is ours) */
static int name_of(const char *path, char *name)
{
	return vnet_procnet_name(path, 100, 101, 0, name, VNET_PROCNET_NAME);
}

static void test_own_names(void **state)
{
	char name[VNET_PROCNET_NAME];

	(void)state;
	assert_int_equal(name_of("/proc/net/dev", name), 1);
	assert_string_equal(name, "dev");
	assert_int_equal(name_of("/proc/net", name), 1);
	assert_string_equal(name, "");
	assert_int_equal(name_of("/proc/net/", name), 1);
	assert_string_equal(name, "");
	assert_int_equal(name_of("/proc//net//stat/rt_cache/", name), 1);
	assert_string_equal(name, "stat/rt_cache");
	assert_int_equal(name_of("/proc/self/net/tcp6", name), 1);
	assert_string_equal(name, "tcp6");
	assert_int_equal(name_of("/proc/thread-self/net/route", name), 1);
	assert_string_equal(name, "route");
	assert_int_equal(name_of("/proc/100/net/arp", name), 1);
	assert_string_equal(name, "arp");
	assert_int_equal(name_of("/proc/101/net/arp", name), 1);
	assert_int_equal(name_of("/proc/100/task/101/net/udp", name), 1);
	assert_string_equal(name, "udp");
}

static void test_not_ours(void **state)
{
	char name[VNET_PROCNET_NAME];

	(void)state;
	assert_int_equal(name_of("/proc/netstat", name), 0);
	assert_int_equal(name_of("/proc/self/netx", name), 0);
	assert_int_equal(name_of("/proc/stat", name), 0);
	assert_int_equal(name_of("/proc/self/status", name), 0);
	assert_int_equal(name_of("/etc/net/dev", name), 0);
	assert_int_equal(name_of("proc/net/dev", name), 0);
	/* another process, not below an anchor: the kernel's */
	assert_int_equal(name_of("/proc/1/net/dev", name), 0);
	assert_int_equal(name_of("/proc/1/task/100/net/dev", name), 0);
}

static void test_impossible(void **state)
{
	char name[VNET_PROCNET_NAME], longer[200];

	(void)state;
	assert_int_equal(name_of("/proc/net/../../etc/passwd", name), -ENOENT);
	assert_int_equal(name_of("/proc/net/./dev", name), -ENOENT);
	snprintf(longer, sizeof(longer), "/proc/net/%0100d", 0);
	assert_int_equal(name_of(longer, name), -ENOENT);
}

static void test_keeper_checks(void **state)
{
	char bad[VNET_PROCNET_NAME];
	int fd;

	(void)state;
	assert_int_equal(vnet_procnet_open("../../../etc/passwd", O_RDONLY),
			 -ENOENT);
	assert_int_equal(vnet_procnet_open("/dev", O_RDONLY), -ENOENT);
	assert_int_equal(vnet_procnet_open("stat/", O_RDONLY), -ENOENT);
	assert_int_equal(vnet_procnet_open("a//b", O_RDONLY), -ENOENT);
	memset(bad, 'a', sizeof(bad));
	assert_int_equal(vnet_procnet_open(bad, O_RDONLY), -ENOENT);
	/* this process's own, which the keeper would give */
	fd = vnet_procnet_open("dev", O_RDONLY);
	assert_true(fd >= 0);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_own_names),
		cmocka_unit_test(test_not_ours),
		cmocka_unit_test(test_impossible),
		cmocka_unit_test(test_keeper_checks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
