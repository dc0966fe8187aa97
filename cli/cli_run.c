// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * cli/cli_run.c - `facet run`: options to a module chain, then a backend
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/log.h"
#include "../ptracer/tracer.h"
#include "cli.h"

/*
 * Flags that are shorthand for a module option.  The modules' own option
 * tables (facet modules) are the reference; -m NAME:key=value reaches
 * every option, these are the common ones.
 */
const struct cli_flag cli_flags[] = {
	{ "--root", "vfs", "root", 1, "DIR: guest root, chroot-style" },
	{ "--bind", "vfs", "bind", 1, "HOST[:GUEST]: bind a file or dir" },
	{ "--ro", "vfs", "ro", 1, "PATH: read-only (EROFS)" },
	{ "--hide", "vfs", "hide", 1, "PATH: hidden (ENOENT)" },
	{ "--tmp", "vfs", "tmp", 1, "PATH: private empty directory" },
	{ "--cow", "vfs", "cow", 1, "PATH[=UPPER]: copy-on-write" },
	{ "--net", "vnet", "net", 1, "private|nat|NAME: network stack" },
	{ "--publish", "vnet", "publish", 1,
	  "[ADDR:]HOST:GUEST[/udp]: publish a port" },
	{ "--net-host-loopback", "vnet", "host-loopback", 0,
	  "let --net nat reach the host's loopback" },
	{ "--time", "vtime", "time", 1, "SPEC: virtual clock (faketime)" },
	{ "--time-rate", "vtime", "rate", 1, "X: clock speed factor" },
	{ "--time-monotonic", "vtime", "monotonic", 1,
	  "virtual|real: fake CLOCK_MONOTONIC too" },
	{ "--time-files", "vtime", "files", 1,
	  "virtual|real: shift file timestamps" },
	{ "--trace", "vtrace", "output", 1, "FILE: record syscalls" },
	{ "--trace-format", "vtrace", "format", 1, "text|jsonl|perfetto" },
	{ "--trace-filter", "vtrace", "filter", 1, "CLASSES,NAMES,!NAME" },
	{ "--stack", "vtrace", "stack", 0, "a stack trace per event" },
	{ NULL, NULL, NULL, 0, NULL },
};

static void run_usage(void)
{
	const struct cli_flag *f;

	printf("Usage: facet run [OPTIONS] [--] COMMAND [ARG...]\n\n"
	       "  --backend auto|ptrace|preload|combined\n"
	       "                        how calls are intercepted (auto:\n"
	       "                        preload, ptrace for static programs;\n"
	       "                        combined: ptrace supervising, preload\n"
	       "                        serving in-process)\n"
	       "  -m MODULE[:key=value,...]\n"
	       "                        add a module (built-in name or .so)\n"
	       "  --log-level LEVEL     error, warning, info or debug\n"
	       "  --profile FILE        options from an INI file (see facet(1))\n");
	for (f = cli_flags; f->flag; f++)
		printf("  %-21s %s%s\n", f->flag, f->help,
		       facet_builtin(f->module) ? "" : " (not built in)");
	printf("\nExit status: the command's (killed by signal N: facet dies of "
	       "N too, 128+N in\na shell), 125 for facet's own errors, 126 if "
	       "the command cannot run, 127 if\nit is not found.\n");
}

static const struct cli_flag *run_flag(const char *name)
{
	const struct cli_flag *f;

	for (f = cli_flags; f->flag; f++)
		if (!strcmp(f->flag, name))
			return f;
	return NULL;
}

static void run_add(struct cli_run_opts *o, const char *module)
{
	struct facet_err err = { "" };

	if (facet_chain_add(&o->chain, module, &err) < 0)
		cli_die("%s", err.msg);
	cli_backend_record(o, 'A', module, NULL);
}

static void run_flag_apply(struct cli_run_opts *o, const struct cli_flag *f,
			   const char *value)
{
	struct facet_err err = { "" };
	char step[128];
	int idx;

	if (!facet_builtin(f->module))
		cli_die("%s needs the %s module, which this facet does not "
			"have built in (see 'facet modules')", f->flag,
			f->module);
	idx = facet_chain_add(&o->chain, f->module, &err);
	if (idx < 0 || facet_chain_option(&o->chain, idx, f->key, value,
					  &err) < 0) {
		/* a module's message that names the flag stands alone */
		if (strstr(err.msg, f->flag))
			cli_die("%s", err.msg);
		cli_die("%s: %s", f->flag, err.msg);
	}
	snprintf(step, sizeof(step), "%s=%s", f->module, f->key);
	cli_backend_record(o, 'F', step, value);
}

/*
 * vtrace records what the program asked for and what it finally got, so
 * it goes first in the chain whatever the order of the flags.
 */
static void run_prescan(struct cli_run_opts *o, int argc, char **argv)
{
	int i;

	for (i = 1; i < argc && strcmp(argv[i], "--"); i++) {
		const struct cli_flag *f;
		char name[64];

		snprintf(name, sizeof(name), "%.*s",
			 (int)strcspn(argv[i], "="), argv[i]);
		f = run_flag(name);
		if (f && !strcmp(f->module, "vtrace") &&
		    facet_builtin("vtrace")) {
			run_add(o, "vtrace");
			return;
		}
	}
}

/*
 * Value of option @i: after '=' or the next argument.  A bare "--" is the
 * end of the options, not a value ('--ro -- make' left out the path); a
 * value spelt "--" can still be given as --ro=--.
 */
static const char *run_value(int argc, char **argv, int *i, const char *eq)
{
	if (eq)
		return eq + 1;
	if (*i + 1 >= argc || !strcmp(argv[*i + 1], "--"))
		cli_die("%s needs a value: see 'facet run --help'", argv[*i]);
	return argv[++*i];
}

/* A command may be left out (facet trace -p): cli_run_command_optional() */
static int run_command_optional;

void cli_run_command_optional(void)
{
	run_command_optional = 1;
}

/**
 * cli_run_parse() - Parse `facet run` options into a chain and a command
 * @o:		Filled in
 * @argc:	Argument count, argv[0] being the subcommand
 * @argv:	Arguments
 * @implicit:	Modules to put first (NULL-terminated), or NULL
 *
 * Exits with 125 and a one-line message on bad input.
 *
 * Return: 0
 */
int cli_run_parse(struct cli_run_opts *o, int argc, char **argv,
		  const char *const *implicit)
{
	struct facet_err err = { "" };
	int i;

	memset(o, 0, sizeof(*o));
	o->backend = "auto";
	for (; implicit && *implicit; implicit++)
		run_add(o, *implicit);
	run_prescan(o, argc, argv);
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *eq = strchr(a, '=');
		const struct cli_flag *f;
		char name[64];

		if (!strcmp(a, "--")) {
			i++;
			break;
		}
		if (a[0] != '-' || !a[1])
			break;
		snprintf(name, sizeof(name), "%.*s",
			 (int)(eq ? eq - a : (long)strlen(a)), a);
		if (!strcmp(name, "-h") || !strcmp(name, "--help")) {
			run_usage();
			exit(0);
		} else if (!strcmp(name, "-m") || !strcmp(name, "--module")) {
			const char *spec = run_value(argc, argv, &i, eq);

			if (facet_chain_spec(&o->chain, spec, &err) < 0)
				cli_die("%s", err.msg);
			cli_backend_record(o, 'S', spec, NULL);
		} else if (!strcmp(name, "--profile")) {
			cli_profile_apply(o, run_value(argc, argv, &i, eq));
		} else if (!strcmp(name, "--backend")) {
			o->backend = run_value(argc, argv, &i, eq);
		} else if (!strcmp(name, "--log-level")) {
			const char *v = run_value(argc, argv, &i, eq);
			int level = facet_log_parse_level(v);

			if (level < 0)
				cli_die("--log-level %s: use error, warning, "
					"info or debug", v);
			facet_log_set_level(level);
		} else if ((f = run_flag(name))) {
			run_flag_apply(o, f, f->has_arg ?
				       run_value(argc, argv, &i, eq) : NULL);
		} else {
			cli_die("unknown option '%s': see 'facet run --help'",
				a);
		}
	}
	if (i >= argc && run_command_optional) {
		o->argv = NULL;
		return 0;
	}
	if (i >= argc || !argv[i][0])
		cli_die("no command given: use 'facet %s [OPTIONS] -- COMMAND "
			"[ARG...]'", argv[0]);
	o->argv = argv + i;
	return 0;
}

/**
 * cli_run_exec() - Run the parsed command under the chosen backend
 * @o:		Parsed options
 *
 * Return: facet's exit status
 */
int cli_run_exec(struct cli_run_opts *o)
{
	return cli_backend_run(o);
}

int cli_run(int argc, char **argv)
{
	struct cli_run_opts o;

	cli_run_parse(&o, argc, argv, NULL);
	return cli_run_exec(&o);
}
