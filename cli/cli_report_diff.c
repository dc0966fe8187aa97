// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * cli/cli_report_diff.c - `facet report --diff A B`: what one run did that
 *			   the other did not
 *
 * DOC: Theory of operation
 *
 * For a lab comparing student runs: the files opened only in A or only in
 * B (successful and failed accesses separately), the network endpoints
 * (socket addresses, whatever the syscall) only in A or only in B, and the
 * syscall names whose counts differ.  Lists are sorted by name so that two
 * diffs can themselves be diffed.  Process ids differ from run to run:
 * in paths (/proc/1234/status, /proc/1234/task/1235) and netlink addresses
 * (pid=1234) they are compared as PID and TID (diff_norm()).  Like diff(1), the exit status is 0 when
 * nothing differs and 1 otherwise.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "cli_report.h"

static int diff_cmp_key(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Keys of @m sorted; NULL if out of memory */
static const char **diff_keys(const struct report_map *m)
{
	const char **k = calloc(m->n + 1, sizeof(*k));

	if (!k)
		return NULL;
	if (m->n)
		memcpy(k, m->keys, m->n * sizeof(*k));
	qsort(k, m->n, sizeof(*k), diff_cmp_key);
	return k;
}

/* List the keys of @x missing from @y; return how many */
static long diff_only(FILE *out, const char *title, const char *name,
		      const struct report_map *x, const struct report_map *y)
{
	const char **k = diff_keys(x);
	long n = 0;
	size_t i;

	fprintf(out, "\n%s only in %s\n", title, name);
	for (i = 0; k && i < x->n; i++) {
		const struct report_file *f = report_map_get(x, k[i]);

		if (report_map_get(y, k[i]))
			continue;
		fprintf(out, "  %s (%s)\n", k[i], f->how);
		n++;
	}
	if (!n)
		fprintf(out, "  (none)\n");
	free(k);
	return n;
}

/* Copy @digits' end, or @s if @s does not start with digits and then '/' or
 * the end; after @word (which @out gets instead of the digits) */
static const char *diff_norm_id(const char *s, char **out, const char *word)
{
	const char *e = s;

	while (isdigit((unsigned char)*e))
		e++;
	if (e == s || (*e && *e != '/'))
		return s;
	*out = stpcpy(*out, word);
	return e;
}

/*
 * @key with the run's process ids replaced: "/proc/N" and "/proc/N/task/M"
 * become "/proc/PID" and "/proc/PID/task/TID", "netlink:pid=N" (N not 0)
 * "netlink:pid=PID"; a new string or NULL
 */
static char *diff_norm(const char *key)
{
	char *out = malloc(strlen(key) + 16), *o = out;
	const char *p = key;

	if (!out)
		return NULL;
	if (!strncmp(key, "netlink:pid=", 12) && strcmp(key + 12, "0")) {
		o = stpcpy(o, "netlink:pid=");
		p = diff_norm_id(key + 12, &o, "PID");
	}
	while (*p) {
		if (!strncmp(p, "/proc/", 6) && (p == key || p[-1] == ':')) {
			o = stpcpy(o, "/proc/");
			p = diff_norm_id(p + 6, &o, "PID");
			if (!strncmp(p, "/task/", 6)) {
				o = stpcpy(o, "/task/");
				p = diff_norm_id(p + 6, &o, "TID");
			}
			continue;
		}
		*o++ = *p++;
	}
	*o = '\0';
	return out;
}

/* Add @how's words to @f->how, each once */
static void diff_how(struct report_file *f, const char *how)
{
	char word[sizeof(f->how)], *w, *save = NULL;
	size_t hl, wl;

	snprintf(word, sizeof(word), "%s", how);
	for (w = strtok_r(word, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		const char *p;
		bool seen = false;

		hl = strlen(f->how);
		wl = strlen(w);
		for (p = f->how; !seen && (p = strstr(p, w)); p += wl)
			seen = (p == f->how || p[-1] == ',') &&
			       (!p[wl] || p[wl] == ',');
		if (seen || hl + wl + 2 > sizeof(f->how))
			continue;
		sprintf(f->how + hl, "%s%s", hl ? "," : "", w);
	}
}

/* @m's paths (or addresses) with process ids normalized into @out */
static int diff_norm_map(struct report_map *out, const struct report_map *m)
{
	size_t i;

	for (i = 0; i < m->n; i++) {
		const struct report_file *f = m->vals[i];
		char *key = diff_norm(m->keys[i]);
		struct report_file *g;

		g = key ? report_map_add(out, key, sizeof(*g)) : NULL;
		free(key);
		if (!g)
			return -1;
		g->count += f->count;
		diff_how(g, f->how);
	}
	return 0;
}

/* Socket addresses of a trace, each with the syscalls that used it */
static int diff_addrs(struct report_map *m, const struct report_trace *t)
{
	size_t i;

	for (i = 0; i < t->endpoints.n; i++) {
		const struct report_endpoint *e = t->endpoints.vals[i];
		char *addr = strndup(e->key, (size_t)e->addrlen);
		struct report_file *f;

		f = addr ? report_map_add(m, addr, sizeof(*f)) : NULL;
		free(addr);
		if (!f)
			return -1;
		f->count += e->count;
		if (strlen(f->how) + strlen(e->syscall) + 2 < sizeof(f->how))
			sprintf(f->how + strlen(f->how), "%s%s",
				*f->how ? "," : "", e->syscall);
	}
	return 0;
}

/* Calls of @name in @t, 0 if none */
static long diff_calls(const struct report_trace *t, const char *name)
{
	const struct report_sc *s = report_map_get(&t->scs, name);

	return s ? s->calls : 0;
}

/* Syscall names whose counts differ; return how many */
static long diff_counts(FILE *out, const struct report_trace *a,
			const struct report_trace *b)
{
	struct report_map all = {0};
	const char **k;
	long n = 0;
	size_t i;

	for (i = 0; i < a->scs.n; i++)
		report_map_add(&all, a->scs.keys[i], 1);
	for (i = 0; i < b->scs.n; i++)
		report_map_add(&all, b->scs.keys[i], 1);
	k = diff_keys(&all);
	fprintf(out, "\nSyscall counts that differ\n  %-24s %10s %10s\n",
		"SYSCALL", "A", "B");
	for (i = 0; k && i < all.n; i++) {
		long ca = diff_calls(a, k[i]), cb = diff_calls(b, k[i]);

		if (ca == cb)
			continue;
		fprintf(out, "  %-24s %10ld %10ld\n", k[i], ca, cb);
		n++;
	}
	if (!n)
		fprintf(out, "  (none)\n");
	free(k);
	report_map_free(&all);
	return n;
}

/* "A: a.jsonl: ls -l, 1 processes, 120 calls (3 failed)" */
static void diff_head(FILE *out, const char *tag, const struct report_trace *t)
{
	fprintf(out, "%s: %s: %s, %zu processes, %ld calls (%ld failed)\n", tag,
		t->name, t->cmd ? t->cmd : "?", t->procs.n, t->calls,
		t->errors);
}

/**
 * report_diff() - Write what one trace did that the other did not
 * @out:	Where
 * @a:		First trace ("A")
 * @b:		Second trace ("B")
 *
 * Return: 0 if they do the same, 1 if they differ (exit status), -1 when
 * out of memory
 */
int report_diff(FILE *out, const struct report_trace *a,
		const struct report_trace *b)
{
	struct report_map fa = {0}, fb = {0}, xa = {0}, xb = {0};
	struct report_map ra = {0}, rb = {0}, ea = {0}, eb = {0};
	long n = 0;

	if (diff_norm_map(&fa, &a->files) || diff_norm_map(&fb, &b->files) ||
	    diff_norm_map(&xa, &a->failed) || diff_norm_map(&xb, &b->failed) ||
	    diff_addrs(&ra, a) || diff_addrs(&rb, b) ||
	    diff_norm_map(&ea, &ra) || diff_norm_map(&eb, &rb)) {
		n = -1;
		goto out;
	}
	diff_head(out, "A", a);
	diff_head(out, "B", b);
	n += diff_only(out, "Files opened", "A", &fa, &fb);
	n += diff_only(out, "Files opened", "B", &fb, &fa);
	n += diff_only(out, "Failed file accesses", "A", &xa, &xb);
	n += diff_only(out, "Failed file accesses", "B", &xb, &xa);
	n += diff_only(out, "Endpoints", "A", &ea, &eb);
	n += diff_only(out, "Endpoints", "B", &eb, &ea);
	n += diff_counts(out, a, b);
out:
	report_map_free(&fa);
	report_map_free(&fb);
	report_map_free(&xa);
	report_map_free(&xb);
	report_map_free(&ra);
	report_map_free(&rb);
	report_map_free(&ea);
	report_map_free(&eb);
	if (n < 0)
		return -1;
	fprintf(out, "\n%ld difference%s\n", n, n == 1 ? "" : "s");
	return n ? 1 : 0;
}
