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
 * A value wholly in double quotes loses them ("a b " keeps its spaces).
 *
 * inih goes on after a bad line and returns the first bad line's number;
 * the text is fed to it line by line (profile_reader()) so that the handler
 * knows its line: the first error, syntax or value, is the one reported.
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
/*
 * inih keeps a section's name in a 50-byte buffer (its MAX_SECTION, fixed
 * when libinih is built), and a module's .so path is often longer: such
 * headers are renamed "\1N" before parsing and named again in
 * profile_key().  Its line buffer is set at run time (Debian's libinih
 * exports the settings): lines of any length.
 */
#define CLI_PROFILE_SECTION_MAX	49
#define CLI_PROFILE_LONG_MAX	64

static FACET_LIB_FN(ini_parse_stream);
static FACET_LIB_FN(ini_use_stack);
static FACET_LIB_FN(ini_allow_realloc);
static FACET_LIB_FN(ini_max_line);

static const struct facet_lib_sym profile_ini_syms[] = {
	FACET_LIB_SYM(ini_parse_stream),
	FACET_LIB_SYM(ini_use_stack),
	FACET_LIB_SYM(ini_allow_realloc),
	FACET_LIB_SYM(ini_max_line),
};

static struct facet_lib profile_ini_lib =
	FACET_LIB(FACET_SONAME_INIH, "libinih1", profile_ini_syms);

/**
 * struct profile_ctx - State while reading one profile file
 * @o:		Options being filled
 * @file:	This file's name, for messages and relative paths
 * @real:	Its canonical path, to find loops of `extends`
 * @parent:	The profile that extends this one, or NULL
 * @depth:	How many `extends` led here
 * @nested:	@msg comes from an extended profile, already located
 * @msg:	Error message, set by the handler before it fails
 * @fail_line:	Line of the handler's first failure, 0 if none
 * @next:	Text not yet given to inih
 * @lineno:	Line being read (and handled)
 * @in_line:	The last piece given to inih did not end the line
 * @long_names:	Section names too long for inih, by their "\1N" alias
 * @nlong:	How many
 */
struct profile_ctx {
	struct cli_run_opts *o;
	const char *file;
	char real[PATH_MAX];
	const struct profile_ctx *parent;
	int depth;
	int nested;
	char msg[600];
	int fail_line;
	const char *next;
	int lineno;
	bool in_line;
	char *long_names[CLI_PROFILE_LONG_MAX];
	int nlong;
};

static int profile_read(struct cli_run_opts *o, const char *file,
			const struct profile_ctx *parent, char *msg,
			size_t cap);

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
	char dir[PATH_MAX], path[PATH_MAX], real[PATH_MAX], *base;
	const struct profile_ctx *up;
	int ret, len;

	if (c->depth >= CLI_PROFILE_DEPTH) {
		snprintf(c->msg, sizeof(c->msg), "profiles extend each other "
			 "more than %d deep", CLI_PROFILE_DEPTH);
		return 0;
	}
	snprintf(dir, sizeof(dir), "%s", c->file);
	base = dirname(dir);
	if (value[0] == '/' || !strcmp(base, "."))
		len = snprintf(path, sizeof(path), "%s", value);
	else
		len = snprintf(path, sizeof(path), "%s/%s", base, value);
	if (len >= (int)sizeof(path)) {
		snprintf(c->msg, sizeof(c->msg), "extends a path too long");
		return 0;
	}
	for (up = c; realpath(path, real) && up; up = up->parent)
		if (!strcmp(up->real, real)) {
			snprintf(c->msg, sizeof(c->msg), "extends %s, which "
				 "is being read already: a loop", value);
			return 0;
		}
	ret = profile_read(c->o, path, c, c->msg, sizeof(c->msg));
	/* an unreadable profile is named with this line, others by theirs */
	c->nested = ret && ret != -1;
	return !ret;
}

static int profile_run_key(struct profile_ctx *c, const char *name,
			   const char *value)
{
	static const char *const backends[] = { "auto", "ptrace", "preload",
						 "combined" };
	size_t i;

	if (!strcmp(name, "backend")) {
		for (i = 0; i < sizeof(backends) / sizeof(*backends); i++)
			if (!strcmp(value, backends[i])) {
				c->o->backend = backends[i];
				return 1;
			}
		snprintf(c->msg, sizeof(c->msg), "backend '%s': use auto, "
			 "ptrace, preload or combined", value);
		return 0;
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

/* One key, its value unquoted */
static int profile_key_apply(struct profile_ctx *c, const char *section,
			     const char *name, const char *value)
{
	struct facet_err err = { "" };
	char step[PATH_MAX + 256];
	int idx;

	if (section[0] == '\1')
		section = c->long_names[atoi(section + 1)];
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

/* inih calls this per key; 0 marks the line as bad (the first is kept) */
static int profile_key(void *user, const char *section, const char *name,
		       const char *value)
{
	struct profile_ctx *c = user;
	size_t len = strlen(value);
	char *unquoted = NULL;
	int ok;

	if (c->fail_line)	/* the profile is refused already */
		return 0;
	if (len >= 2 && value[0] == '"' && value[len - 1] == '"') {
		unquoted = strndup(value + 1, len - 2);
		if (!unquoted) {
			snprintf(c->msg, sizeof(c->msg), "out of memory");
			c->fail_line = c->lineno;
			return 0;
		}
		value = unquoted;
	}
	ok = profile_key_apply(c, section, name, value);
	free(unquoted);
	if (!ok)
		c->fail_line = c->lineno;
	return ok;
}

/* inih's line reader: a line (or @num - 1 bytes of it) of the text */
static char *profile_reader(char *str, int num, void *stream)
{
	struct profile_ctx *c = stream;
	size_t n = 0;

	if (!*c->next || num < 2)
		return NULL;
	if (!c->in_line)
		c->lineno++;
	while (c->next[n] && n < (size_t)num - 1 && c->next[n] != '\n')
		n++;
	if (c->next[n] == '\n' && n < (size_t)num - 1)
		n++;
	memcpy(str, c->next, n);
	str[n] = '\0';
	c->next += n;
	c->in_line = str[n - 1] != '\n';
	return str;
}

/* Why inih refused line @line of @text */
static const char *profile_syntax_error(const char *text, int line)
{
	while (--line > 0 && (text = strchr(text, '\n')))
		text++;
	if (!text)
		return "not a valid INI line";
	text += strspn(text, " \t");
	if (*text == '[')
		return "not a valid INI line: a section header without ']'";
	return "not a valid INI line: use KEY = VALUE, [SECTION] or a "
	       "comment (; or #)";
}

/* The whole of @file, NUL-terminated, or NULL with errno */
static char *profile_slurp(const char *file)
{
	FILE *f = fopen(file, "re");
	char *buf = NULL;
	size_t len = 0, got;

	if (!f)
		return NULL;
	do {
		char *more = realloc(buf, len + 4097);

		if (!more) {
			free(buf);
			fclose(f);
			errno = ENOMEM;
			return NULL;
		}
		buf = more;
		got = fread(buf + len, 1, 4096, f);
		len += got;
	} while (got == 4096);
	buf[len] = '\0';
	if (ferror(f)) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

/*
 * @text with each section header whose name inih would cut renamed to
 * "[\1N]" (the name kept in @c); a new string, or NULL (out of memory or
 * too many such sections, in @c->msg)
 */
static char *profile_alias_sections(struct profile_ctx *c, const char *text)
{
	char *out = malloc(strlen(text) + 1), *o = out;
	const char *line = text;

	while (out && *line) {
		const char *end = strchrnul(line, '\n'), *p = line, *close;

		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		close = *p == '[' ? memchr(p, ']', (size_t)(end - p)) : NULL;
		if (close && close - p - 1 > CLI_PROFILE_SECTION_MAX) {
			if (c->nlong == CLI_PROFILE_LONG_MAX) {
				snprintf(c->msg, sizeof(c->msg), "more than %d "
					 "sections with names longer than %d "
					 "characters", CLI_PROFILE_LONG_MAX,
					 CLI_PROFILE_SECTION_MAX);
				free(out);
				return NULL;
			}
			c->long_names[c->nlong] = strndup(p + 1,
						     (size_t)(close - p - 1));
			/* "[\1N]" is shorter than the name it replaces */
			o += sprintf(o, "[\1%d", c->nlong++);
			line = close;
		}
		memcpy(o, line, (size_t)(end - line) + (*end != '\0'));
		o += (end - line) + (*end != '\0');
		line = end + (*end != '\0');
	}
	if (out)
		*o = '\0';
	return out;
}

static int profile_read(struct cli_run_opts *o, const char *file,
			const struct profile_ctx *parent, char *msg, size_t cap)
{
	struct profile_ctx c = { .o = o, .file = file, .parent = parent,
				 .depth = parent ? parent->depth + 1 : 0 };
	char *text = profile_slurp(file), *aliased;
	int line, i;

	if (!text || !realpath(file, c.real)) {
		snprintf(msg, cap, "cannot read profile %s: %s", file,
			 strerror(errno));
		free(text);
		return -1;
	}
	aliased = profile_alias_sections(&c, text);
	free(text);
	if (!aliased) {
		snprintf(msg, cap, "%s: %s", file,
			 c.msg[0] ? c.msg : "out of memory");
		return -2;
	}
	c.next = aliased;
	line = sym_ini_parse_stream(profile_reader, &c, profile_key, &c);
	for (i = 0; i < c.nlong; i++)
		free(c.long_names[i]);
	if (line == -2)
		snprintf(msg, cap, "out of memory reading profile %s", file);
	else if (line > 0 && line != c.fail_line)
		snprintf(msg, cap, "%s:%d: %s", file, line,
			 profile_syntax_error(aliased, line));
	else if (line > 0 && c.nested)
		snprintf(msg, cap, "%s", c.msg);
	else if (line > 0)
		snprintf(msg, cap, "%s:%d: %s", file, line, c.msg);
	free(aliased);
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
	/* a line as long as a few paths (inih's default stops at 200) */
	*sym_ini_use_stack = 0;
	*sym_ini_allow_realloc = 1;
	*sym_ini_max_line = 4 * PATH_MAX;
	if (profile_read(o, file, NULL, msg, sizeof(msg)))
		cli_die("%s", msg);
}
