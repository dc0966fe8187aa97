// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/unit/vfs_exec.c - "#!" parsing and argv building of the vfs exec
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../modules/vfs/vfs_exec.c"

/* vfs_exec.c's other callees, not used by the functions tested here */
int vfs_base(const struct vfs_ctx *ctx, int dirfd, char *guest, size_t cap)
{
	(void)ctx; (void)dirfd; (void)guest; (void)cap;
	return -ENOSYS;
}

int vfs_resolve(const struct vfs_ctx *ctx, const char *base, const char *path,
		int flags, struct vfs_res *res)
{
	(void)ctx; (void)base; (void)path; (void)flags; (void)res;
	return -ENOSYS;
}

int vfs_host_walk_reaches(const struct vfs_table *t, const char *path,
			  int follow, const char *host, int *sealed)
{
	(void)t; (void)path; (void)follow; (void)host; (void)sealed;
	return 0;
}

int vfs_to_guest(const struct vfs_table *t, const char *host, char *guest,
		 size_t cap)
{
	(void)t; (void)host; (void)guest; (void)cap;
	return -ENOSYS;
}

void vfs_exe_set(struct vfs_self *s, pid_t pid, const char *guest)
{
	(void)s; (void)pid; (void)guest;
}

int vfs_exe_any(const struct vfs_self *s)
{
	(void)s;
	return 0;
}

void vfs_comm_exec(struct vfs_self *s, pid_t pid, const char *given,
		   const char *host)
{
	(void)s; (void)pid; (void)given; (void)host;
}

static void shebang(const char *line, int want, const char *interp,
		    const char *arg)
{
	char buf[256];
	char *i = NULL, *a = NULL;

	snprintf(buf, sizeof(buf), "%s", line);
	assert_int_equal(vfs_shebang(buf, strlen(buf), &i, &a), want);
	if (want < 0)
		return;
	assert_string_equal(i, interp);
	if (arg)
		assert_string_equal(a, arg);
	else
		assert_null(a);
}

static void test_shebang(void **state)
{
	(void)state;
	shebang("#!/bin/sh\necho", 0, "/bin/sh", NULL);
	shebang("#! /bin/sh -e\n", 1, "/bin/sh", "-e");
	shebang("#!/usr/bin/env python3 -u -B \t\nx", 1, "/usr/bin/env",
		"python3 -u -B");
	shebang("#!\t/bin/bash\t \n", 0, "/bin/bash", NULL);
	shebang("#!   \n", -ENOEXEC, NULL, NULL);
	shebang("#!/bin/sh", 0, "/bin/sh", NULL);
}

static void test_argv(void **state)
{
	static struct vfs_argv a;
	const char *push[3] = { "/bin/sh", "-e", "./script" };

	(void)state;
	memset(&a, 0, sizeof(a));
	strcpy(a.extra[0], "script");
	a.nextra = 1;
	a.from = 1;
	vfs_argv_shift(&a);
	assert_int_equal(a.nextra, 0);
	assert_int_equal(vfs_argv_push(&a, push, 3), 0);
	assert_int_equal(a.nextra, 3);
	assert_string_equal(a.extra[0], "/bin/sh");
	assert_string_equal(a.extra[2], "./script");
	assert_int_equal(a.from, 1);
	vfs_argv_shift(&a);
	assert_string_equal(a.extra[0], "-e");
	vfs_argv_shift(&a);
	vfs_argv_shift(&a);
	vfs_argv_shift(&a);
	assert_int_equal(a.nextra, 0);
	assert_int_equal(a.from, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shebang),
		cmocka_unit_test(test_argv),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
