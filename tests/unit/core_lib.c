// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/unit/core_lib.c - Libraries loaded on demand: symbols filled in,
 *			   one-line messages naming the package when not
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "lib.h"

/* libc's own, looked up through the loader as a feature's library would be */
static FACET_LIB_FN(strlen);
static FACET_LIB_FN(abs);

static const struct facet_lib_sym libc_syms[] = {
	FACET_LIB_SYM(strlen),
	FACET_LIB_SYM(abs),
};

static void test_loads_and_fills(void **state)
{
	struct facet_lib lib = { .soname = "libc.so.6", .package = "libc6",
				 .syms = libc_syms, .nsyms = 2 };
	struct facet_err err = { "" };

	(void)state;
	assert_int_equal(facet_lib_load(&lib, "a test", &err), 0);
	assert_non_null(lib.handle);
	assert_int_equal(sym_strlen("four"), 4);
	assert_int_equal(sym_abs(-3), 3);
	/* loaded once: asking again changes nothing */
	sym_abs = NULL;
	assert_int_equal(facet_lib_load(&lib, "a test", &err), 0);
	assert_null(sym_abs);
	assert_string_equal(err.msg, "");
}

static void test_missing_library(void **state)
{
	struct facet_lib lib = { .soname = "libfacet-absent.so.9",
				 .package = "libfacet-absent9",
				 .syms = libc_syms, .nsyms = 2 };
	struct facet_err err = { "" };

	(void)state;
	assert_int_equal(facet_lib_load(&lib, "--frobnicate", &err), -ENOENT);
	assert_null(lib.handle);
	assert_non_null(strstr(err.msg, "--frobnicate needs "
				       "libfacet-absent.so.9 ("));
	assert_non_null(strstr(err.msg, "install the package "
				       "libfacet-absent9"));
	assert_null(strchr(err.msg, '\n'));
}

static void test_missing_symbol(void **state)
{
	static void *nothing;
	static const struct facet_lib_sym syms[] = {
		{ "facet_no_such_symbol", &nothing },
	};
	struct facet_lib lib = { .soname = "libc.so.6", .package = "libc6",
				 .syms = syms, .nsyms = 1 };
	struct facet_err err = { "" };

	(void)state;
	assert_int_equal(facet_lib_load(&lib, "--frobnicate", &err), -ENOENT);
	assert_null(lib.handle);
	assert_non_null(strstr(err.msg, "with facet_no_such_symbol"));
}

static void test_built_without(void **state)
{
	struct facet_lib lib = { .soname = "", .package = "libfoo-dev",
				 .syms = libc_syms, .nsyms = 2 };
	struct facet_err err = { "" };

	(void)state;
	assert_int_equal(facet_lib_load(&lib, "--frobnicate", &err), -ENOENT);
	assert_non_null(strstr(err.msg, "built without"));
	assert_non_null(strstr(err.msg, "libfoo-dev"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_loads_and_fills),
		cmocka_unit_test(test_missing_library),
		cmocka_unit_test(test_missing_symbol),
		cmocka_unit_test(test_built_without),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
