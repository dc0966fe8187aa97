// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/unit/core_chain.c - The module chain: specs, options, dispatch order
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <cmocka.h>

#include "chain.h"

/* A module that records the order it was called in */
struct rec_state {
	char seen[64];
	int finish;
};

static char order[64];

static const struct facet_option rec_options[] = {
	{ "finish", NULL, "finish getpid" },
	{ "tag", "X", "a value" },
	{ NULL, NULL, NULL },
};

static int rec_option(void *self, const char *key, const char *value,
		      struct facet_err *err)
{
	struct rec_state *s = self;

	if (!strcmp(key, "finish")) {
		s->finish = 1;
		return 0;
	}
	if (!strcmp(value, "bad"))
		return facet_err_set(err, EINVAL, "tag: bad is bad");
	strncat(s->seen, value, sizeof(s->seen) - strlen(s->seen) - 1);
	return 0;
}

static void rec_wants(void *self, struct facet_sysset *set)
{
	(void)self;
	facet_sysset_add(set, SYS_getpid, FACET_HOOK_EXIT);
}

#define REC_MODULE(n, letter)						\
static enum facet_verdict rec_enter_##n(void *self, struct facet_call *c) \
{									\
	struct rec_state *s = self;					\
	strcat(order, letter);						\
	*(int *)facet_scratch(c) = n;					\
	if (s->finish) {						\
		facet_return(c, 40 + n);				\
		return FACET_DONE;					\
	}								\
	return FACET_CONTINUE_EXIT;					\
}									\
static void rec_exit_##n(void *self, struct facet_call *c)		\
{									\
	(void)self;							\
	assert_int_equal(*(int *)facet_scratch(c), n);			\
	strcat(order, letter "x");					\
}									\
static const struct facet_module rec_##n = {				\
	.abi = FACET_MODULE_ABI, .name = "rec" #n, .summary = "test",	\
	.options = rec_options, .self_size = sizeof(struct rec_state),	\
	.option = rec_option, .wants = rec_wants,			\
	.enter = rec_enter_##n, .exit = rec_exit_##n,			\
};									\
FACET_MODULE_BUILTIN(rec_##n)

REC_MODULE(1, "a");
REC_MODULE(2, "b");

/* A module that leaves the tree /alone alone (facet_env_touches()) */
static int tree_touches(void *self, const char *prefix)
{
	(void)self;
	return strcmp(prefix, "/alone") != 0;
}

static int tree_start(void *self, struct facet_env *env,
		      struct facet_err *err)
{
	(void)self;
	(void)err;
	facet_env_touches(env, tree_touches);
	return 0;
}

static void tree_wants(void *self, struct facet_sysset *set)
{
	(void)self;
	facet_sysset_add(set, SYS_getpid, FACET_HOOK_ENTER);
	facet_sysset_add(set, SYS_openat, FACET_HOOK_REWRITE);
}

static const struct facet_module tree_module = {
	.abi = FACET_MODULE_ABI, .name = "tree", .summary = "test",
	.start = tree_start, .wants = tree_wants,
};
FACET_MODULE_BUILTIN(tree_module);

static ssize_t no_peek(struct facet_call *c, void *d, uintptr_t a, size_t l)
{
	(void)c;
	(void)d;
	(void)a;
	(void)l;
	return -EFAULT;
}

static const struct facet_call_ops test_ops = { .peek = no_peek };
static facet_call_scratch test_scratch;

static void test_spec_parsing(void **state)
{
	struct facet_chain chain;
	struct facet_err err = { "" };

	(void)state;
	memset(&chain, 0, sizeof(chain));
	assert_int_equal(facet_chain_spec(&chain, "rec1:tag=x,tag=y", &err), 0);
	assert_string_equal(((struct rec_state *)chain.inst[0].self)->seen,
			    "xy");
	/* the same module again is the same instance */
	assert_int_equal(facet_chain_spec(&chain, "rec1:tag=z", &err), 0);
	assert_int_equal(chain.n, 1);
	assert_true(facet_chain_spec(&chain, "rec1:nokey=1", &err) < 0);
	assert_non_null(strstr(err.msg, "has no option 'nokey'"));
	assert_true(facet_chain_spec(&chain, "rec1:tag", &err) < 0);
	assert_non_null(strstr(err.msg, "needs a value"));
	assert_true(facet_chain_spec(&chain, "rec1:tag=bad", &err) < 0);
	assert_string_equal(err.msg, "tag: bad is bad");
	assert_true(facet_chain_spec(&chain, "nosuch", &err) < 0);
	assert_non_null(strstr(err.msg, "no module called 'nosuch'"));
	assert_true(facet_chain_spec(&chain, ":x=1", &err) < 0);
	facet_chain_free(&chain);
}

/* Conditions on 20 syscalls: the first 16 are kept, the rest are
 * unconditional; only_if() marks its syscall (2) "only" */
static void cond_wants(void *self, struct facet_sysset *set)
{
	long nr;

	(void)self;
	for (nr = 0; nr < 20; nr++) {
		facet_sysset_add(set, nr, FACET_HOOK_REWRITE);
		facet_sysset_rewrite_if(set, nr, 1, 4);
	}
	facet_sysset_only_if(set, 2, 0, 0x40000000);
}

static const struct facet_module cond_module = {
	.abi = FACET_MODULE_ABI, .name = "cond", .summary = "test",
	.wants = cond_wants,
};
FACET_MODULE_BUILTIN(cond_module);

static void test_conditions(void **state)
{
	struct facet_chain chain;
	struct facet_err err = { "" };
	struct facet_env env = { 0 };
	const struct facet_chain_cond *c;

	(void)state;
	memset(&chain, 0, sizeof(chain));
	assert_int_equal(facet_chain_spec(&chain, "cond", &err), 0);
	assert_int_equal(facet_chain_start(&chain, &env, &err), 0);
	assert_int_equal(chain.ncond, FACET_CHAIN_CONDS);
	c = facet_chain_cond(&chain, 3);
	assert_non_null(c);
	assert_int_equal(c->arg, 1);
	assert_true(c->mask == 4);
	assert_int_equal(c->only, 0);
	assert_null(facet_chain_cond(&chain, 19));
	assert_true(chain.hooks[19] & FACET_HOOK_REWRITE);
	c = facet_chain_cond(&chain, 2);
	assert_non_null(c);
	assert_int_equal(c->arg, 0);
	assert_int_equal(c->only, 1);
	facet_chain_free(&chain);
}

/* The backend's arena holds the modules' state while it has room, zeroed;
 * the rest is on the heap, and freeing the chain frees only that */
static void test_self_arena(void **state)
{
	unsigned char arena[sizeof(struct rec_state) + 8];
	struct facet_chain chain;
	struct facet_err err = { "" };

	(void)state;
	memset(&chain, 0, sizeof(chain));
	memset(arena, 0xaa, sizeof(arena));
	chain.self_arena = arena;
	chain.self_arena_size = sizeof(arena);
	assert_int_equal(facet_chain_spec(&chain, "rec1:tag=x", &err), 0);
	assert_int_equal(facet_chain_spec(&chain, "rec2:tag=y", &err), 1);
	assert_ptr_equal(chain.inst[0].self, arena);
	assert_true(facet_chain_self_owned(&chain, chain.inst[0].self));
	assert_false(facet_chain_self_owned(&chain, chain.inst[1].self));
	assert_string_equal(((struct rec_state *)chain.inst[0].self)->seen,
			    "x");
	assert_int_equal(((struct rec_state *)chain.inst[0].self)->finish, 0);
	assert_string_equal(((struct rec_state *)chain.inst[1].self)->seen,
			    "y");
	facet_chain_free(&chain);
	assert_int_equal(chain.self_arena_used, 0);
	/* the next chain in the same memory starts at its beginning again */
	assert_int_equal(facet_chain_spec(&chain, "rec2:tag=z", &err), 0);
	assert_ptr_equal(chain.inst[0].self, arena);
	facet_chain_free(&chain);
}

static void test_dispatch_order(void **state)
{
	struct facet_chain chain;
	struct facet_err err = { "" };
	struct facet_env env = { 0 };
	static struct facet_call call;
	long args[6] = { 0 };

	(void)state;
	memset(&chain, 0, sizeof(chain));
	assert_int_equal(facet_chain_spec(&chain, "rec1", &err), 0);
	assert_int_equal(facet_chain_spec(&chain, "rec2", &err), 1);
	assert_int_equal(facet_chain_start(&chain, &env, &err), 0);
	assert_int_equal(chain.hooks[SYS_getpid], FACET_HOOK_EXIT);
	assert_int_equal(chain.wanted_by[SYS_getpid], 3);

	order[0] = '\0';
	facet_call_init(&call, &test_ops, NULL, &test_scratch, 1,
			SYS_getpid, args);
	assert_int_equal(facet_chain_enter(&chain, &call),
			 FACET_CONTINUE_EXIT);
	facet_chain_exit(&chain, &call);
	assert_string_equal(order, "abbxax");
	facet_chain_free(&chain);

	/* an inner module that finishes: outer exit still runs */
	memset(&chain, 0, sizeof(chain));
	facet_chain_spec(&chain, "rec1", &err);
	facet_chain_spec(&chain, "rec2:finish", &err);
	facet_chain_start(&chain, &env, &err);
	order[0] = '\0';
	facet_call_init(&call, &test_ops, NULL, &test_scratch, 1,
			SYS_getpid, args);
	assert_int_equal(facet_chain_enter(&chain, &call), FACET_DONE);
	assert_int_equal(facet_result(&call), 42);
	facet_chain_exit(&chain, &call);
	assert_string_equal(order, "abax");
	facet_chain_free(&chain);
}

/* Only modules that want one of the calls asked about are asked; one
 * without the callback counts as "may" */
static void test_touches(void **state)
{
	static const short getpid_nrs[] = { SYS_getpid, -1 };
	static const short openat_nrs[] = { SYS_openat, -1 };
	struct facet_chain chain;
	struct facet_err err = { "" };
	struct facet_env env = { 0 };

	(void)state;
	memset(&chain, 0, sizeof(chain));
	assert_int_equal(facet_chain_spec(&chain, "tree", &err), 0);
	assert_int_equal(facet_chain_start(&chain, &env, &err), 0);
	assert_int_equal(facet_chain_touches(&chain, getpid_nrs, "/alone"), 0);
	assert_int_equal(facet_chain_touches(&chain, getpid_nrs, "/other"), 1);
	facet_chain_free(&chain);

	memset(&chain, 0, sizeof(chain));
	assert_int_equal(facet_chain_spec(&chain, "tree", &err), 0);
	assert_int_equal(facet_chain_spec(&chain, "rec1", &err), 1);
	assert_int_equal(facet_chain_start(&chain, &env, &err), 0);
	/* rec1 wants getpid and offered nothing; it does not want openat */
	assert_int_equal(facet_chain_touches(&chain, getpid_nrs, "/alone"), 1);
	assert_int_equal(facet_chain_touches(&chain, openat_nrs, "/alone"), 0);
	assert_null(chain.inst[1].touches);
	facet_chain_free(&chain);
}

static void test_call_accessors(void **state)
{
	static struct facet_call call;
	long args[6] = { 1, 2, 3, 4, 5, 6 };
	char buf[8];

	(void)state;
	facet_call_init(&call, &test_ops, NULL, &test_scratch, 7,
			SYS_openat, args);
	assert_int_equal(facet_arg(&call, 5), 6);
	assert_int_equal(facet_arg(&call, 6), 0);
	/* not rewritable: a notification cannot change registers */
	assert_int_equal(facet_set_arg(&call, 0, 9), -ENOTSUP);
	assert_int_equal(facet_set_path(&call, 1, "/x"), -ENOTSUP);
	call.flags |= FACET_CALL_REWRITABLE;
	assert_int_equal(facet_set_arg(&call, 0, 9), 0);
	assert_int_equal(facet_arg(&call, 0), 9);
	assert_int_equal(call.orig_args[0], 1);
	assert_int_equal(facet_set_arg(&call, 7, 9), -EINVAL);
	assert_int_equal(facet_peek_str(&call, buf, 0, sizeof(buf)), -EFAULT);
	assert_int_equal(facet_peek_str(&call, buf, 0x1000, sizeof(buf)),
			 -EFAULT);
	assert_false(facet_finished(&call));
	facet_return(&call, -ENOENT);
	assert_true(facet_finished(&call));
	assert_int_equal(facet_result(&call), -ENOENT);
}

static void test_sysset(void **state)
{
	struct facet_sysset set;

	(void)state;
	memset(&set, 0, sizeof(set));
	assert_int_equal(facet_sysset_add_name(&set, "openat",
					       FACET_HOOK_ENTER), 0);
	assert_int_equal(facet_sysset_add_name(&set, "nosuch", 1), -ENOENT);
	facet_sysset_add(&set, SYS_openat, FACET_HOOK_EXIT);
	assert_int_equal(set.hook[SYS_openat], FACET_HOOK_EXIT);
	facet_sysset_add(&set, 100000, FACET_HOOK_ENTER);
	facet_sysset_add_class(&set, FACET_CLASS_FILE, FACET_HOOK_ENTER);
	assert_true(set.hook[SYS_stat] & FACET_HOOK_ENTER);
	assert_int_equal(set.hook[SYS_getpid], 0);
	facet_sysset_pass_if_zero(&set, SYS_futex, 3);
	assert_int_equal(set.cond_arg[SYS_futex], 3);
	assert_true(set.cond_mask[SYS_futex] == ~(uint64_t)0);
	assert_int_equal(set.cond_only[SYS_futex], 1);
	facet_sysset_pass_if_zero(&set, SYS_getpid, 6);
	facet_sysset_pass_if_zero(&set, -1, 0);
	assert_true(set.cond_mask[SYS_getpid] == 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spec_parsing),
		cmocka_unit_test(test_dispatch_order),
		cmocka_unit_test(test_self_arena),
		cmocka_unit_test(test_conditions),
		cmocka_unit_test(test_touches),
		cmocka_unit_test(test_call_accessors),
		cmocka_unit_test(test_sysset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
