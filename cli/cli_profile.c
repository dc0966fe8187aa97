// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * cli/cli_profile.c - `--profile FILE`: options from an INI file (inih)
 *
 * DOC: Profile format
 *
 *	extends = base.ini		; applied first, relative to this file
 *	[run]
 *	backend = ptrace
 *	log-level = info
 *	[vfs]				; a module: built-in name or .so path
 *	bind = ./etc-test:/etc		; its options, repeatable
 *	hide = ~/.ssh			; ~/ is the user's home
 *
 * A profile is applied where it stands on the command line: flags after it
 * add to it.  Chains of `extends` are at most CLI_PROFILE_DEPTH deep.
 * inih is loaded with the first profile (core/lib.h): runs without one do
 * not load it.
 */
#include <errno.h>
#include <ini.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/lib.h"
#include "../core/log.h"
#include "cli.h"

#define CLI_PROFILE_DEPTH	8

static FACET_LIB_FN(ini_parse);

static const struct facet_lib_sym profile_ini_syms[] = {
	FACET_LIB_SYM(ini_parse),
};

static struct facet_lib profile_ini_lib =
	FACET_LIB(FACET_SONAME_INIH, "libinih1", profile_ini_syms);

/**
 * struct profile_ctx - State while reading one profile file
 * @o:		Options being filled
 * @file:	This file's name, for messages and relative paths
 * @depth:	How many `extends` led here
 * @nested:	@msg comes from an extended profile, already located
 * @msg:	Error message, set by the handler before it fails
 */
struct profile_ctx {
	struct cli_run_opts *o;
	const char *file;
	int depth;
	int nested;
	char msg[600];
};

static int profile_read(struct cli_run_opts *o, const char *file, int depth,
			char *msg, size_t cap);

/* @value with a leading ~/ replaced by $HOME; a static buffer */
static const char *profile_expand(const char *value)
{
	static char buf[PATH_MAX];
	const char *home = getenv("HOME");

	if (strncmp(value, "~/", 2) || !home)
		return value;
	snprintf(buf, sizeof(buf), "%s/%s", home, value + 2);
	return buf;
}

static int profile_extends(struct profile_ctx *c, const char *value)
{
	char dir[PATH_MAX], path[PATH_MAX];

	if (c->depth >= CLI_PROFILE_DEPTH) {
		snprintf(c->msg, sizeof(c->msg), "profiles extend each other "
			 "more than %d deep (a loop?)", CLI_PROFILE_DEPTH);
		return 0;
	}
	snprintf(dir, sizeof(dir), "%s", c->file);
	if (value[0] == '/')
		snprintf(path, sizeof(path), "%s", value);
	else
		snprintf(path, sizeof(path), "%s/%s", dirname(dir), value);
	c->nested = profile_read(c->o, path, c->depth + 1, c->msg,
				 sizeof(c->msg)) != 0;
	return !c->nested;
}

static int profile_run_key(struct profile_ctx *c, const char *name,
			   const char *value)
{
	if (!strcmp(name, "backend")) {
		c->o->backend = strdup(value);
		return 1;
	}
	if (!strcmp(name, "log-level")) {
		int level = facet_log_parse_level(value);

		if (level >= 0) {
			facet_log_set_level(level);
			return 1;
		}
		snprintf(c->msg, sizeof(c->msg), "log-level %s: use error, "
			 "warning, info or debug", value);
		return 0;
	}
	snprintf(c->msg, sizeof(c->msg), "[run] has no key '%s' (backend, "
		 "log-level)", name);
	return 0;
}

/* inih calls this per key; 0 stops the parse with the line number */
static int profile_key(void *user, const char *section, const char *name,
		       const char *value)
{
	struct profile_ctx *c = user;
	struct facet_err err = { "" };
	char step[PATH_MAX + 256];
	int idx;

	if (!*section) {
		if (!strcmp(name, "extends"))
			return profile_extends(c, value);
		snprintf(c->msg, sizeof(c->msg), "key '%s' outside a section: "
			 "put it under [run] or [MODULE]", name);
		return 0;
	}
	if (!strcmp(section, "run"))
		return profile_run_key(c, name, value);
	idx = facet_chain_add(&c->o->chain, section, &err);
	if (idx < 0 || facet_chain_option(&c->o->chain, idx, name,
					  *value ? profile_expand(value) : NULL,
					  &err) < 0) {
		snprintf(c->msg, sizeof(c->msg), "[%s] %s", section, err.msg);
		return 0;
	}
	snprintf(step, sizeof(step), "%s=%s", section, name);
	cli_backend_record(c->o, 'F', step, *value ? profile_expand(value) :
			   NULL);
	return 1;
}

static int profile_read(struct cli_run_opts *o, const char *file, int depth,
			char *msg, size_t cap)
{
	struct profile_ctx c = { o, file, depth, 0, "" };
	int line = sym_ini_parse(file, profile_key, &c);

	if (line == -1)
		snprintf(msg, cap, "cannot read profile %s: %s", file,
			 strerror(errno));
	else if (line == -2)
		snprintf(msg, cap, "out of memory reading profile %s", file);
	else if (line > 0 && c.nested)
		snprintf(msg, cap, "%s", c.msg);
	else if (line > 0)
		snprintf(msg, cap, "%s:%d: %s", file, line,
			 c.msg[0] ? c.msg : "not a valid INI line");
	return line;
}

/**
 * cli_profile_apply() - Apply a profile file to the run options
 * @o:		Options being built
 * @file:	Profile path
 *
 * Exits with 125 and a one-line message on error.
 */
void cli_profile_apply(struct cli_run_opts *o, const char *file)
{
	struct facet_err err;
	char msg[1024];

	if (facet_lib_load(&profile_ini_lib, "--profile", &err) < 0)
		cli_die("%s", err.msg);
	if (profile_read(o, file, 0, msg, sizeof(msg)))
		cli_die("%s", msg);
}
