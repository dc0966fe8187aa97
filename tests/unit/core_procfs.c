// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/unit/core_procfs.c - Numbers of /proc/PID/status by field name
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "procfs.h"

static void test_status_fields(void **state)
{
	mode_t old = umask(027);

	(void)state;
	assert_int_equal(facet_procfs_status(getpid(), "Umask", 8), 027);
	umask(old);
	/* the whole field name: "Pid" is not "PPid" nor "TracerPid" */
	assert_int_equal(facet_procfs_status(getpid(), "Pid", 10), getpid());
	assert_int_equal(facet_procfs_status(getpid(), "PPid", 10), getppid());
	assert_int_equal(facet_procfs_status(getpid(), "NoSuchField", 10), -1);
	assert_int_equal(facet_procfs_status(-5, "Pid", 10), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_status_fields),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
