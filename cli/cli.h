// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * cli/cli.h - The facet command: subcommands and shared helpers
 */
#ifndef FACET_CLI_CLI_H
#define FACET_CLI_CLI_H

#include "../core/chain.h"

/* Exit statuses, as env(1) and timeout(1) have them */
#define CLI_EXIT_FACET		125
#define CLI_EXIT_CANNOT_RUN	126
#define CLI_EXIT_NOT_FOUND	127

/**
 * struct cli_flag - A `facet run` flag that sets a module option
 * @flag:	"--bind"
 * @module:	Module it belongs to ("vfs")
 * @key:	Option key in that module ("bind")
 * @has_arg:	Takes a value
 * @help:	One line for --help
 */
struct cli_flag {
	const char *flag, *module, *key;
	int has_arg;
	const char *help;
};

extern const struct cli_flag cli_flags[];

/**
 * struct cli_run_opts - What `facet run` was asked to do
 * @chain:	Modules with their options
 * @backend:	"ptrace", "preload" or "auto"
 * @argv:	The command
 * @steps:	How the chain was built, for the preload backend
 */
struct cli_run_opts {
	struct facet_chain chain;
	const char *backend;
	char **argv;
	char *steps;
	int guest_root;		/* vfs has a root option (combined mode) */
};

int cli_run_parse(struct cli_run_opts *o, int argc, char **argv,
		  const char *const *implicit);
int cli_run_exec(struct cli_run_opts *o);
void cli_run_command_optional(void);
void cli_backend_record(struct cli_run_opts *o, char type, const char *a,
			const char *b);
int cli_backend_run(struct cli_run_opts *o);
int cli_elf_is_static(const char *path, int depth);

void cli_profile_apply(struct cli_run_opts *o, const char *file);

int cli_run(int argc, char **argv);
int cli_modules(int argc, char **argv);

void cli_die(const char *fmt, ...) __attribute__((format(printf, 1, 2),
						  noreturn));

#endif /* FACET_CLI_CLI_H */
