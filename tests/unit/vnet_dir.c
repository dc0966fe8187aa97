// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/unit/vnet_dir.c - The keeper directory: made 0700, others refused
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "../../modules/vnet/vnet_dir.c"

static char base[64];

static int setup(void **state)
{
	(void)state;
	strcpy(base, "/tmp/facet-vnet-dir.XXXXXX");
	if (!mkdtemp(base))
		return -1;
	return setenv("XDG_RUNTIME_DIR", base, 1);
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", base);
	return system(cmd);
}

static void test_made_0700(void **state)
{
	struct facet_err err = { "" };
	char dir[VNET_PATH_MAX], want[128];
	struct stat st;

	(void)state;
	assert_int_equal(vnet_dir(dir, sizeof(dir), &err), 0);
	snprintf(want, sizeof(want), "%s/facet/net", base);
	assert_string_equal(dir, want);
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	/* and again: it exists */
	assert_int_equal(vnet_dir(dir, sizeof(dir), &err), 0);
}

static void test_open_dir_refused(void **state)
{
	struct facet_err err = { "" };
	char dir[VNET_PATH_MAX], path[128];

	(void)state;
	snprintf(path, sizeof(path), "%s/facet", base);
	assert_int_equal(chmod(path, 0755), 0);
	assert_int_equal(vnet_dir(dir, sizeof(dir), &err), -EPERM);
	assert_non_null(strstr(err.msg, "is open to other users"));
	assert_int_equal(chmod(path, 0700), 0);
}

static void test_not_a_dir_refused(void **state)
{
	struct facet_err err = { "" };
	char dir[VNET_PATH_MAX], path[128];

	(void)state;
	snprintf(path, sizeof(path), "%s/facet/net", base);
	rmdir(path);
	assert_int_equal(symlink("/tmp", path), 0);
	assert_int_equal(vnet_dir(dir, sizeof(dir), &err), -EPERM);
	assert_non_null(strstr(err.msg, "is not a directory of yours"));
	unlink(path);
}

static void test_sock_path_limit(void **state)
{
	char buf[256], name[200];

	(void)state;
	assert_int_equal(vnet_sock_path(buf, sizeof(buf), "/run", "lab",
					"sock"), 0);
	assert_string_equal(buf, "/run/lab.sock");
	memset(name, 'x', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	assert_int_equal(vnet_sock_path(buf, sizeof(buf), "/run", name,
					"sock"), -ENAMETOOLONG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_made_0700),
		cmocka_unit_test(test_open_dir_refused),
		cmocka_unit_test(test_not_a_dir_refused),
		cmocka_unit_test(test_sock_path_limit),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
