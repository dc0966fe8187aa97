// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vtrace/vtrace_filter.c - Which syscalls to record: --filter
 *
 * A comma-separated list of classes (file, net, process, desc, memory,
 * signal, ipc, creds, clock, timer, ... with or without strace's '%'),
 * syscall names, "/REGEX" (names matching an extended regular
 * expression), "all" and "none"; a '?' before an item lets an unknown
 * name pass silently.  strace's "trace=" and "t=" prefixes are accepted.
 * A '!' before the list negates all of it, as strace's "-e trace=!a,b"
 * (every syscall but a and b; a '!' on its later items changes nothing);
 * a '!' before a later item of a list that starts without one leaves that
 * item out of what the list has so far (facet's "file,net,!close").
 */
#include <errno.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "../../core/xlat.h"
#include "vtrace.h"

/* "/REGEX": the syscalls whose names match */
static int vtrace_filter_regex(struct vtrace_filter *f, const char *re,
			       int on, struct facet_err *err)
{
	regex_t rx;
	int i, ret = regcomp(&rx, re, REG_EXTENDED | REG_NOSUB);

	if (ret)
		return facet_err_set(err, EINVAL, "vtrace: '/%s' in the filter "
				     "is not a valid regular expression", re);
	for (i = 0; i < FACET_NR_MAX; i++) {
		const struct facet_syscall *sc = facet_syscall(i);

		if (sc && !regexec(&rx, sc->name, 0, NULL, 0))
			f->want[i] = on;
	}
	regfree(&rx);
	return 0;
}

/* Set or clear (@on) the syscalls named by one list item */
static int vtrace_filter_item(struct vtrace_filter *f, const char *item,
			      int on, struct facet_err *err)
{
	int quiet = item[0] == '?';
	uint32_t classes;
	long nr;
	int i;

	item += quiet;
	if (item[0] == '/')
		return vtrace_filter_regex(f, item + 1, on, err);
	if (!strcmp(item, "none") || !strcmp(item, "%none")) {
		if (on)		/* "!none" is all */
			return 0;
		item = "all";
		on = 1;
	}
	if (!strcmp(item, "all") || !strcmp(item, "%all")) {
		for (i = 0; i < FACET_NR_MAX; i++)
			if (facet_syscall(i))
				f->want[i] = on;
		return 0;
	}
	nr = facet_syscall_nr(item);
	if (nr >= 0) {
		f->want[nr] = on;
		return 0;
	}
	classes = facet_class_parse(item);
	if (!classes && quiet)
		return 0;
	if (!classes)
		return facet_err_set(err, EINVAL, "vtrace: '%s' in the filter "
				     "is neither a syscall nor a class (file, "
				     "net, process, desc, memory, signal, ipc, "
				     "creds, clock, timer...)", item);
	for (i = 0; i < FACET_NR_MAX; i++) {
		const struct facet_syscall *sc = facet_syscall(i);

		if (sc && (sc->classes & classes))
			f->want[i] = on;
	}
	return 0;
}

/**
 * vtrace_filter_parse() - Parse a filter list into @f
 * @f:		Filled in
 * @spec:	"file,net,!close", "%process", "trace=openat,read",
 *		"!write,read" (all but write and read)
 * @err:	Error message
 *
 * Return: 0, or -EINVAL with @err filled in
 */
int vtrace_filter_parse(struct vtrace_filter *f, const char *spec,
			struct facet_err *err)
{
	int negated, skip, ret;
	char item[64];
	const char *p;
	size_t n;

	if (!strncmp(spec, "trace=", 6))
		spec += 6;
	else if (!strncmp(spec, "t=", 2))
		spec += 2;
	negated = spec[0] == '!';	/* the whole list, as strace */
	memset(f, 0, sizeof(*f));
	if (negated)
		vtrace_filter_item(f, "all", 1, err);
	for (p = spec; *p; p += n + (p[n] == ',')) {
		int on = !negated;

		n = strcspn(p, ",");
		if (!n)
			continue;
		if (n >= sizeof(item))
			return facet_err_set(err, EINVAL, "vtrace: filter item "
					     "'%.*s' is too long", (int)n, p);
		memcpy(item, p, n);
		item[n] = '\0';
		skip = item[0] == '!';
		if (skip && !negated)
			on = 0;
		if (!item[skip])
			return facet_err_set(err, EINVAL, "vtrace: empty name "
					     "after '!' in the filter");
		ret = vtrace_filter_item(f, item + skip, on, err);
		if (ret < 0)
			return ret;
	}
	return 0;
}

/**
 * vtrace_filter_parse_new() - Parse into a filter made at its first use
 * @f:		The filter, allocated if NULL (-e raw=, -e abbrev=: most
 *		traces have none, and the decoders test for NULL)
 * @spec:	As vtrace_filter_parse()'s
 * @what:	The option, for the error message
 * @err:	Error message
 *
 * Return: 0, or a negative errno with @err filled in
 */
int vtrace_filter_parse_new(struct vtrace_filter **f, const char *spec,
			    const char *what, struct facet_err *err)
{
	if (!*f) {
		*f = calloc(1, sizeof(**f));
		if (!*f)
			return facet_err_set(err, ENOMEM, "vtrace: no memory "
					     "for %s", what);
	}
	return vtrace_filter_parse(*f, spec, err);
}
