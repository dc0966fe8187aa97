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
 * diffs can themselves be diffed.  Like diff(1), the exit status is 0 when
 * nothing differs and 1 otherwise.
 */
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
 * Return: 0 if they do the same, 1 if they differ (exit status)
 */
int report_diff(FILE *out, const struct report_trace *a,
		const struct report_trace *b)
{
	struct report_map ea = {0}, eb = {0};
	long n = 0;

	diff_head(out, "A", a);
	diff_head(out, "B", b);
	n += diff_only(out, "Files opened", "A", &a->files, &b->files);
	n += diff_only(out, "Files opened", "B", &b->files, &a->files);
	n += diff_only(out, "Failed file accesses", "A", &a->failed,
		       &b->failed);
	n += diff_only(out, "Failed file accesses", "B", &b->failed,
		       &a->failed);
	if (!diff_addrs(&ea, a) && !diff_addrs(&eb, b)) {
		n += diff_only(out, "Endpoints", "A", &ea, &eb);
		n += diff_only(out, "Endpoints", "B", &eb, &ea);
	}
	report_map_free(&ea);
	report_map_free(&eb);
	n += diff_counts(out, a, b);
	fprintf(out, "\n%ld difference%s\n", n, n == 1 ? "" : "s");
	return n ? 1 : 0;
}
