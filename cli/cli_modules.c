// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * cli/cli_modules.c - `facet modules`: what is built in, and its options
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static void modules_show(const struct facet_module *m)
{
	const struct facet_option *o;

	printf("%-8s %s\n", m->name, m->summary ? m->summary : "");
	for (o = m->options; o && o->key; o++) {
		char lhs[64];

		snprintf(lhs, sizeof(lhs), "%s%s%s", o->key, o->arg ? "=" : "",
			 o->arg ? o->arg : "");
		printf("    %-28s %s\n", lhs, o->help ? o->help : "");
	}
}

/* facet modules [NAME|FILE.so ...] */
int cli_modules(int argc, char **argv)
{
	const struct facet_module *m;
	int i;

	if (argc > 1 && (!strcmp(argv[1], "-h") ||
			 !strcmp(argv[1], "--help"))) {
		printf("Usage: facet modules [MODULE|FILE.so...]\n");
		return 0;
	}
	if (argc == 1) {
		printf("Built-in modules (use with -m NAME:key=value,...):\n");
		facet_for_each_builtin(m)
			modules_show(m);
		return 0;
	}
	for (i = 1; i < argc; i++) {
		struct facet_chain chain;
		struct facet_err err = { "" };
		int idx;

		memset(&chain, 0, sizeof(chain));
		idx = facet_chain_add(&chain, argv[i], &err);
		if (idx < 0)
			cli_die("%s", err.msg);
		modules_show(chain.inst[idx].mod);
	}
	return 0;
}
