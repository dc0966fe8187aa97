// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * cli/cli_report_tree.c - The process tree of a trace, from fork and exec
 *
 * DOC: Theory of operation
 *
 * Each process's parent comes from its fork event.  Children are linked
 * into first-child/next-sibling lists in one pass (in order of first
 * appearance), then printed depth first the way pstree(1) -a does with
 * ASCII lines.  Processes whose parent is unknown are roots.  A pid that
 * was reused could make a cycle: a process is printed once, and those left
 * over after the roots are printed as roots.  Past TREE_MAX_DEPTH levels
 * (a chain of 200 `sh -c`), lines stop moving right and say how much
 * deeper they are.
 */
#include <stdlib.h>
#include <string.h>

#include "cli_report.h"

/* Levels drawn with indentation; deeper ones are marked "(+N)" */
#define TREE_MAX_DEPTH 24

/**
 * struct tree - Links between processes, by index in the process map
 * @parent:	Parent index, -1 for none
 * @child:	First child, -1 for none
 * @next:	Next sibling, -1 for none
 * @done:	Already printed
 */
struct tree {
	int *parent, *child, *next;
	bool *done;
};

/* Fill the links; -1 if out of memory */
static int tree_build(struct tree *tr, const struct report_trace *t)
{
	size_t n = t->procs.n, i;
	int *last;

	tr->parent = malloc((n + 1) * sizeof(int));
	tr->child = malloc((n + 1) * sizeof(int));
	tr->next = malloc((n + 1) * sizeof(int));
	tr->done = calloc(n + 1, sizeof(bool));
	last = malloc((n + 1) * sizeof(int));
	if (!tr->parent || !tr->child || !tr->next || !tr->done || !last) {
		free(last);
		return -1;
	}
	for (i = 0; i < n; i++) {
		const struct report_proc *p = report_proc_at(t, i);
		const struct report_proc *pp = NULL;
		char key[16];

		snprintf(key, sizeof(key), "%d", p->ppid);
		if (p->ppid && p->ppid != p->pid)
			pp = report_map_get(&t->procs, key);
		tr->parent[i] = pp ? pp->index : -1;
		tr->child[i] = tr->next[i] = last[i] = -1;
	}
	for (i = 0; i < n; i++) {
		int p = tr->parent[i];

		if (p < 0)
			continue;
		if (last[p] < 0)
			tr->child[p] = (int)i;
		else
			tr->next[last[p]] = (int)i;
		last[p] = (int)i;
	}
	free(last);
	return 0;
}

static void tree_free(struct tree *tr)
{
	free(tr->parent);
	free(tr->child);
	free(tr->next);
	free(tr->done);
}

/* Text as is, or escaped for HTML */
static void tree_puts(FILE *out, const char *s, bool html)
{
	if (html)
		report_html_esc(out, s);
	else
		fputs(s, out);
}

/*
 * Print process @i and, below it, its children; @prefix is the indent, @deep
 * the levels beyond TREE_MAX_DEPTH, shown as "(+N)" rather than indented
 */
static void tree_print(FILE *out, const struct report_trace *t, struct tree *tr,
		       int i, char *prefix, size_t plen, int deep, bool html)
{
	const struct report_proc *p = report_proc_at(t, (size_t)i);
	char ex[32];
	int c;

	tr->done[i] = true;
	if (!p->exited)
		snprintf(ex, sizeof(ex), "no exit seen");
	else if (p->signal)
		snprintf(ex, sizeof(ex), "killed by %s", p->signal);
	else
		snprintf(ex, sizeof(ex), "exit %d", p->status);
	if (deep)
		fprintf(out, "(+%d) ", deep);
	fprintf(out, "%d ", p->pid);
	tree_puts(out, report_proc_cmd(t, p), html);
	fprintf(out, " [%s]\n", ex);
	for (c = tr->child[i]; c >= 0; c = tr->next[c]) {
		bool last = tr->next[c] < 0;

		if (tr->done[c])
			continue;
		fprintf(out, "%s%s", prefix, last ? "`- " : "|- ");
		if (plen < TREE_MAX_DEPTH * 3) {
			strcpy(prefix + plen, last ? "   " : "|  ");
			tree_print(out, t, tr, c, prefix, plen + 3, 0, html);
			prefix[plen] = '\0';
		} else {
			tree_print(out, t, tr, c, prefix, plen, deep + 1, html);
		}
	}
}

/**
 * report_tree() - Write the process tree
 * @out:	Where
 * @t:		Trace
 * @html:	Escape for HTML, and leave out the title (the caller has one)
 */
void report_tree(FILE *out, const struct report_trace *t, bool html)
{
	struct tree tr = {0};
	char prefix[TREE_MAX_DEPTH * 3 + 4] = "";
	size_t i;

	if (!html)
		fprintf(out, "\nProcess tree\n");
	if (!t->procs.n)
		fprintf(out, "  (none)\n");
	if (!t->procs.n || tree_build(&tr, t)) {
		tree_free(&tr);
		return;
	}
	for (i = 0; i < t->procs.n; i++)
		if (tr.parent[i] < 0 && !tr.done[i])
			tree_print(out, t, &tr, (int)i, prefix, 0, 0, html);
	for (i = 0; i < t->procs.n; i++)
		if (!tr.done[i])
			tree_print(out, t, &tr, (int)i, prefix, 0, 0, html);
	tree_free(&tr);
}
