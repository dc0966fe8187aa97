// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/unit/preload_config.c - The preload configuration: chain steps
 * recorded by the CLI and replayed by the shim, FACET_PRELOAD_CONFIG
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "chain.h"
/* shim_config.c is linked into facet and the shim, not the core */
#include "../../preload/shim_config.c"

/* A module that keeps its options in order, to compare chains */
struct cfg_state {
	char seen[512];
};

static const struct facet_option cfg_options[] = {
	{ "v", "X", "a value" },
	{ "sw", NULL, "a switch" },
	{ NULL, NULL, NULL },
};

static int cfg_option(void *self, const char *key, const char *value,
		      struct facet_err *err)
{
	struct cfg_state *s = self;

	(void)err;
	strcat(s->seen, key);
	strcat(s->seen, value ? "=" : "!");
	strcat(s->seen, value ? value : "");
	strcat(s->seen, "|");
	return 0;
}

static void cfg_wants(void *self, struct facet_sysset *set)
{
	(void)self;
	(void)set;
}

#define CFG_MODULE(n)							\
static const struct facet_module cfg_##n = {				\
	.abi = FACET_MODULE_ABI, .name = #n, .options = cfg_options,	\
	.self_size = sizeof(struct cfg_state), .option = cfg_option,	\
	.wants = cfg_wants,						\
};									\
FACET_MODULE_BUILTIN(cfg_##n)

CFG_MODULE(cfga);
CFG_MODULE(cfgb);

/* Values with every awkward byte survive the trip, in order */
static void test_roundtrip(void **state)
{
	const char *weird = "a,b=c;d%e f\tg\n=h";
	struct facet_err err = { "" };
	struct facet_chain chain;
	struct shim_config c = { 0 }, d;
	char *steps = NULL, *value, *copy;

	(void)state;
	assert_int_equal(shim_config_add(&steps, 'A', "cfgb", NULL), 0);
	assert_int_equal(shim_config_add(&steps, 'F', "cfga=v", weird), 0);
	assert_int_equal(shim_config_add(&steps, 'S', "cfgb:v=1,sw", NULL), 0);
	assert_int_equal(shim_config_add(&steps, 'F', "cfga=sw", NULL), 0);
	assert_null(strchr(steps, ';'));
	c.chain = steps;
	c.shm = "/proc/1/fd/3";
	c.facet = "/usr/bin/fa;cet";
	c.raw = 1;
	c.log = 7;
	value = shim_config_encode(&c);
	assert_non_null(value);
	copy = strdup(value);
	assert_int_equal(shim_config_decode(&d, copy), 0);
	assert_string_equal(d.shm, "/proc/1/fd/3");
	assert_string_equal(d.facet, "/usr/bin/fa;cet");
	assert_int_equal(d.raw, 1);
	assert_int_equal(d.log, 7);
	memset(&chain, 0, sizeof(chain));
	assert_int_equal(shim_config_replay(&chain, d.chain, &err), 0);
	assert_int_equal(chain.n, 2);
	assert_string_equal(chain.inst[0].mod->name, "cfgb");
	assert_string_equal(chain.inst[1].mod->name, "cfga");
	assert_string_equal(((struct cfg_state *)chain.inst[0].self)->seen,
			    "v=1|sw!|");
	{
		char want[512];

		snprintf(want, sizeof(want), "v=%s|sw!|", weird);
		assert_string_equal(
			((struct cfg_state *)chain.inst[1].self)->seen, want);
	}
	facet_chain_free(&chain);
	free(copy);
	free(value);
	free(steps);
}

/* A damaged value or an unknown module is an error, not a silent view */
static void test_errors(void **state)
{
	struct facet_err err = { "" };
	struct facet_chain chain;
	struct shim_config d;
	char bad[] = "v2;chain=", nochain[] = "v1;raw=1";

	(void)state;
	assert_true(shim_config_decode(&d, bad) < 0);
	assert_true(shim_config_decode(&d, nochain) < 0);
	memset(&chain, 0, sizeof(chain));
	assert_true(shim_config_replay(&chain, "Anosuchmodule", &err) < 0);
	assert_non_null(strstr(err.msg, "nosuchmodule"));
	assert_true(shim_config_replay(&chain, "Xcfga", &err) < 0);
	facet_chain_free(&chain);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
