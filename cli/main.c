// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * cli/main.c - The facet command: subcommand dispatch
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/log.h"
#include "../ptracer/tracer.h"
#include "cli.h"

#ifndef FACET_VERSION
#define FACET_VERSION "0.1"
#endif

/**
 * struct cli_command - A subcommand
 * @name:	As typed
 * @fn:		Its main, with argv[0] the subcommand
 * @help:	One line
 */
struct cli_command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
};

/*
 * Subcommands that belong to a module's part of the tree are weak: a build
 * without that part says so instead of failing to link.
 */
int cli_trace(int argc, char **argv) __attribute__((weak));
int cli_report(int argc, char **argv) __attribute__((weak));
int cli_net(int argc, char **argv) __attribute__((weak));

static const struct cli_command cli_commands[] = {
	{ "run", cli_run, "run a command in its own view of the system" },
	{ "trace", cli_trace, "run a command and record its system calls" },
	{ "report", cli_report, "summarize or compare recorded traces" },
	{ "net", cli_net, "create, list, remove or capture named networks" },
	{ "modules", cli_modules, "list the modules and their options" },
};

#define CLI_NCOMMANDS (sizeof(cli_commands) / sizeof(cli_commands[0]))

/* One line on stderr, exit 125: for facet's own errors */
void cli_die(const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "facet: %s\n", msg);
	exit(CLI_EXIT_FACET);
}

static void cli_usage(FILE *f)
{
	size_t i;

	fprintf(f, "Usage: facet COMMAND [OPTIONS] [-- PROGRAM [ARG...]]\n\n"
		   "Commands:\n");
	for (i = 0; i < CLI_NCOMMANDS; i++)
		if (cli_commands[i].fn)
			fprintf(f, "  %-10s %s\n", cli_commands[i].name,
				cli_commands[i].help);
	fprintf(f, "\n'facet COMMAND --help' tells more; see facet(1).\n");
}

int main(int argc, char **argv)
{
	size_t i;

	/* before facet blocks or handles a signal of its own */
	tracer_signals_note_caller();
	tracer_job_note_caller();
	facet_log_init_from_env();
	if (argc < 2) {
		cli_usage(stderr);
		return CLI_EXIT_FACET;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		cli_usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		printf("facet %s\n", FACET_VERSION);
		return 0;
	}
	for (i = 0; i < CLI_NCOMMANDS; i++) {
		if (strcmp(argv[1], cli_commands[i].name))
			continue;
		if (!cli_commands[i].fn)
			cli_die("'facet %s' is not part of this build",
				argv[1]);
		/* a command killed by a signal: facet dies of it too */
		return tracer_status_end(cli_commands[i].fn(argc - 1,
							     argv + 1));
	}
	cli_die("unknown command '%s': try 'facet --help'", argv[1]);
}
