// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * preload/shim_config.c - The view's configuration as one environment value
 *
 * DOC: Format
 *
 * `facet run` records how it built the module chain, step by step, and
 * the shim replays the steps in every new image, so the chain (order,
 * options, third-party .so paths) is exactly the one the CLI validated.
 * Steps are separated by ',', fields by '='; every field is
 * percent-encoded, so values may hold any byte but NUL:
 *
 *	A<module>			add a module
 *	F<module>=<key>[=<value>]	give it an option (no value: a switch)
 *	S<spec>				-m NAME[:key=value,...]
 *
 * FACET_PRELOAD_CONFIG holds
 * "v1;raw=0|1;log=N;sup=0|1;facet=PATH;shm=PATH;chain=STEPS" (sup: the
 * combined mode, a supervisor behind the shim; absent means 0).
 * This file is linked into both facet and the shim.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shim.h"

static int config_plain(unsigned char c)
{
	return c > 0x20 && c < 0x7f && c != '%' && c != ',' && c != '=' &&
	       c != ';';
}

/* Append @s percent-encoded to the heap string *@buf */
static int config_append(char **buf, const char *s, int encode)
{
	size_t old = *buf ? strlen(*buf) : 0, n = 0;
	const unsigned char *p;
	char *out, *o;

	for (p = (const unsigned char *)s; *p; p++)
		n += (!encode || config_plain(*p)) ? 1 : 3;
	out = realloc(*buf, old + n + 1);
	if (!out)
		return -ENOMEM;
	o = out + old;
	for (p = (const unsigned char *)s; *p; p++) {
		if (!encode || config_plain(*p))
			*o++ = (char)*p;
		else
			o += sprintf(o, "%%%02X", *p);
	}
	*o = '\0';
	*buf = out;
	return 0;
}

/**
 * shim_config_add() - Record one chain step
 * @buf:	Heap string to append to, *@buf may be NULL
 * @type:	'A', 'F' or 'S'
 * @a:		Module name or spec (for 'F': "module=key", encoded here)
 * @b:		For 'F': the value or NULL; else NULL
 *
 * Return: 0 or -ENOMEM
 */
int shim_config_add(char **buf, char type, const char *a, const char *b)
{
	char t[3] = { 0 };
	const char *eq;
	int ret;

	t[0] = *buf && **buf ? ',' : '\0';
	t[t[0] ? 1 : 0] = type;
	ret = config_append(buf, t, 0);
	if (type == 'F' && (eq = strchr(a, '='))) {
		char mod[256];

		snprintf(mod, sizeof(mod), "%.*s", (int)(eq - a), a);
		ret = ret ? ret : config_append(buf, mod, 1);
		ret = ret ? ret : config_append(buf, "=", 0);
		ret = ret ? ret : config_append(buf, eq + 1, 1);
	} else {
		ret = ret ? ret : config_append(buf, a, 1);
	}
	if (b) {
		ret = ret ? ret : config_append(buf, "=", 0);
		ret = ret ? ret : config_append(buf, b, 1);
	}
	return ret;
}

static int config_hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Percent-decode @s in place */
static SHIM_COLD char *config_decode(char *s)
{
	char *o = s, *p = s;

	while (*p) {
		if (*p == '%' && config_hex(p[1]) >= 0 && config_hex(p[2]) >= 0) {
			*o++ = (char)(config_hex(p[1]) << 4 | config_hex(p[2]));
			p += 3;
		} else {
			*o++ = *p++;
		}
	}
	*o = '\0';
	return s;
}

/* One step; @s is a private copy */
static int config_step(struct facet_chain *chain, char *s,
		       struct facet_err *err)
{
	char type = *s++, *key = NULL, *val = NULL;
	int idx;

	key = strchr(s, '=');
	if (key) {
		*key++ = '\0';
		val = strchr(key, '=');
		if (val)
			*val++ = '\0';
	}
	config_decode(s);
	switch (type) {
	case 'A':
		idx = facet_chain_add(chain, s, err);
		return idx < 0 ? idx : 0;
	case 'S':
		idx = facet_chain_spec(chain, s, err);
		return idx < 0 ? idx : 0;
	case 'F':
		if (!key)
			break;
		idx = facet_chain_add(chain, s, err);
		if (idx < 0)
			return idx;
		return facet_chain_option(chain, idx, config_decode(key),
					  val ? config_decode(val) : NULL, err);
	}
	return facet_err_set(err, EINVAL, "bad chain step '%c' in %s", type,
			     SHIM_ENV);
}

/**
 * shim_config_replay() - Build the chain from recorded steps
 * @chain:	Empty chain
 * @enc:	Steps as recorded by shim_config_add()
 * @err:	Filled on failure
 *
 * Return: 0 or -errno
 */
SHIM_COLD int shim_config_replay(struct facet_chain *chain, const char *enc,
		       struct facet_err *err)
{
	char *copy = strdup(enc), *s, *next;
	int ret = 0;

	if (!copy)
		return facet_err_set(err, ENOMEM, "out of memory");
	for (s = copy; s && *s && !ret; s = next) {
		next = strchr(s, ',');
		if (next)
			*next++ = '\0';
		ret = config_step(chain, s, err);
	}
	free(copy);
	return ret;
}

/**
 * shim_config_encode() - The FACET_PRELOAD value for @c
 *
 * Return: heap string, or NULL
 */
char *shim_config_encode(const struct shim_config *c)
{
	char *buf = NULL, head[64];

	snprintf(head, sizeof(head), "v1;raw=%d;log=%d;%sfacet=", c->raw,
		 c->log, c->supervised ? "sup=1;" : "");
	if (config_append(&buf, head, 0) ||
	    config_append(&buf, c->facet ? c->facet : "", 1) ||
	    config_append(&buf, ";shm=", 0) ||
	    config_append(&buf, c->shm ? c->shm : "", 1) ||
	    config_append(&buf, ";chain=", 0) ||
	    config_append(&buf, c->chain ? c->chain : "", 0)) {
		free(buf);
		return NULL;
	}
	return buf;
}

/**
 * shim_config_int() - A decimal number, as atoi() reads it
 * @s:		Digits, optionally after a '-'; parsing stops at the first
 *		other character
 *
 * Every image parses its configuration: atoi() (strtol() and the
 * locale's character table) would touch two pages of libc that nothing
 * else in a small program touches, a page fault each.
 *
 * Return: the number, 0 if @s does not start with one
 */
SHIM_COLD int shim_config_int(const char *s)
{
	int neg = *s == '-', n = 0;

	for (s += neg; *s >= '0' && *s <= '9'; s++)
		n = n * 10 + (*s - '0');
	return neg ? -n : n;
}

/**
 * shim_config_decode() - Parse a FACET_PRELOAD value
 * @c:		Filled; its strings point into @s
 * @s:		Private copy of the value, modified
 *
 * Return: 0 or -EINVAL
 */
SHIM_COLD int shim_config_decode(struct shim_config *c, char *s)
{
	char *part, *next, *v;

	memset(c, 0, sizeof(*c));
	if (strncmp(s, "v1;", 3))
		return -EINVAL;
	for (part = s + 3; part && *part; part = next) {
		next = strchr(part, ';');
		if (next)
			*next++ = '\0';
		v = strchr(part, '=');
		if (!v)
			return -EINVAL;
		*v++ = '\0';
		if (!strcmp(part, "raw"))
			c->raw = shim_config_int(v);
		else if (!strcmp(part, "log"))
			c->log = shim_config_int(v);
		else if (!strcmp(part, "sup"))
			c->supervised = shim_config_int(v);
		else if (!strcmp(part, "facet"))
			c->facet = config_decode(v);
		else if (!strcmp(part, "shm"))
			c->shm = config_decode(v);
		else if (!strcmp(part, "chain"))
			c->chain = v;
	}
	return c->chain ? 0 : -EINVAL;
}
