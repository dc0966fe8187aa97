// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * cli/cli_report_html.c - `facet report --html`: one self-contained page
 *
 * DOC: Theory of operation
 *
 * The page holds the same sections as the text summary, as HTML tables,
 * plus two SVG charts (cli_report_svg.c).  Styles are inline in <style>,
 * charts are inline <svg>: the page loads nothing else and needs no
 * script, so it can be mailed, archived with a lab's results, or opened
 * offline.  Every string from the trace is escaped.
 */
#include <stdlib.h>
#include <string.h>

#include "cli_report.h"

static const char html_style[] =
	"body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}"
	"h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.6em;"
	"border-bottom:1px solid #ccc}"
	"table{border-collapse:collapse}td,th{padding:2px 10px;"
	"border-bottom:1px solid #eee;text-align:left}"
	"td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}"
	"code,pre{font:12px/1.3 ui-monospace,monospace}"
	"pre{background:#f6f6f6;padding:8px;overflow-x:auto}"
	".chart{font:11px sans-serif;max-width:100%;height:auto}"
	".chart .grid{stroke:#bbb;stroke-width:0.5}"
	".chart .lane0{fill:#fafafa}.chart .lane1{fill:#f0f0f0}"
	".chart .bar{fill:#1f77b4}.note,.meta{color:#555}";

/* <td> with escaped text */
static void html_td(FILE *out, const char *s)
{
	fputs("<td>", out);
	report_html_esc(out, s);
	fputs("</td>", out);
}

static void html_head(FILE *out, const struct report_trace *t)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	      "<meta charset=\"utf-8\">\n<title>facet report: ",
	      out);
	report_html_esc(out, t->name);
	fprintf(out,
		"</title>\n<style>%s</style>\n</head>\n<body>\n"
		"<h1>facet report</h1>\n<p class=\"meta\">Trace: <code>",
		html_style);
	report_html_esc(out, t->name);
	fputs("</code>", out);
	if (t->nfiles > 1)
		fprintf(out, " and %d more file%s", t->nfiles - 1,
			t->nfiles > 2 ? "s" : "");
	if (t->version) {
		fputs(" (facet ", out);
		report_html_esc(out, t->version);
		fputs(")", out);
	}
	fputs("<br>Command: <code>", out);
	report_html_esc(out, t->cmd ? t->cmd : "?");
	fprintf(out,
		"</code><br>Duration: %.6f s, %zu processes, %ld system "
		"calls (%ld failed), %.6f s in system calls</p>\n",
		t->end, t->procs.n, t->calls, t->errors, t->time);
	if (t->truncated)
		fputs("<p class=\"note\">The last line of the trace was cut "
		      "short and skipped.</p>\n",
		      out);
}

static void html_procs(FILE *out, const struct report_trace *t)
{
	size_t i;

	fputs("<h2 id=\"processes\">Processes</h2>\n<table>\n<tr><th class=n>"
	      "PID</th><th class=n>PPID</th><th class=n>Calls</th><th "
	      "class=n>Errors</th><th class=n>Time (s)</th><th>Exit</th><th>"
	      "Command</th></tr>\n",
	      out);
	for (i = 0; i < t->procs.n; i++) {
		const struct report_proc *p = report_proc_at(t, i);

		fprintf(out, "<tr><td class=n>%d</td><td class=n>", p->pid);
		fprintf(out, p->ppid ? "%d" : "-", p->ppid);
		fprintf(out,
			"</td><td class=n>%ld</td><td class=n>%ld</td>"
			"<td class=n>%.6f</td>",
			p->calls, p->errors, p->time);
		if (!p->exited)
			html_td(out, "?");
		else if (p->signal)
			html_td(out, p->signal);
		else
			fprintf(out, "<td>exit %d</td>", p->status);
		html_td(out, report_proc_cmd(t, p));
		fputs("</tr>\n", out);
	}
	fputs("</table>\n", out);
}

static void html_syscalls(FILE *out, const struct report_trace *t)
{
	const void **v = calloc(t->scs.n + 1, sizeof(*v));
	size_t i;

	if (!v)
		return;
	report_sorted(&t->scs, v, report_cmp_sc_time);
	fputs("<h2 id=\"syscalls\">System calls</h2>\n<table>\n<tr><th "
	      "class=n>% time</th><th class=n>Seconds</th><th class=n>"
	      "usecs/call</th><th class=n>Calls</th><th class=n>Errors</th>"
	      "<th>Syscall</th></tr>\n",
	      out);
	for (i = 0; i < t->scs.n; i++) {
		const struct report_sc *s = v[i];

		fprintf(out,
			"<tr><td class=n>%.2f</td><td class=n>%.6f</td>"
			"<td class=n>%.0f</td><td class=n>%ld</td><td class=n>"
			"%ld</td>",
			t->time > 0 ? 100.0 * s->time / t->time : 0.0, s->time,
			s->time * 1e6 / (double)s->calls, s->calls, s->errors);
		html_td(out, s->name);
		fputs("</tr>\n", out);
	}
	fprintf(out,
		"<tr><th class=n>100.00</th><th class=n>%.6f</th><th "
		"class=n></th><th class=n>%ld</th><th class=n>%ld</th><th>"
		"total</th></tr>\n</table>\n",
		t->time, t->calls, t->errors);
	free(v);
}

static void html_files(FILE *out, const char *id, const char *title,
		       const char *how, const struct report_map *m)
{
	const void **v = calloc(m->n + 1, sizeof(*v));
	size_t i;

	if (!v)
		return;
	report_sorted(m, v, report_cmp_file);
	fprintf(out,
		"<h2 id=\"%s\">%s</h2>\n<table>\n<tr><th class=n>Calls"
		"</th><th>Path</th><th>%s</th></tr>\n",
		id, title, how);
	for (i = 0; i < m->n; i++) {
		const struct report_file *f = v[i];

		fprintf(out, "<tr><td class=n>%ld</td>", f->count);
		html_td(out, f->path);
		html_td(out, f->how);
		fputs("</tr>\n", out);
	}
	fputs("</table>\n", out);
	if (!m->n)
		fputs("<p class=\"note\">None.</p>\n", out);
	free(v);
}

static void html_endpoints(FILE *out, const struct report_trace *t)
{
	const void **v = calloc(t->endpoints.n + 1, sizeof(*v));
	size_t i;

	if (!v)
		return;
	report_sorted(&t->endpoints, v, report_cmp_endpoint);
	fputs("<h2 id=\"endpoints\">Network endpoints</h2>\n<table>\n<tr><th>"
	      "Address</th><th>Syscall</th><th class=n>Calls</th><th class=n>"
	      "Errors</th></tr>\n",
	      out);
	for (i = 0; i < t->endpoints.n; i++) {
		const struct report_endpoint *e = v[i];
		char *addr = strndup(e->key, (size_t)e->addrlen);

		fputs("<tr>", out);
		html_td(out, addr ? addr : "?");
		html_td(out, e->syscall);
		fprintf(out, "<td class=n>%ld</td><td class=n>%ld</td></tr>\n",
			e->count, e->errors);
		free(addr);
	}
	fputs("</table>\n", out);
	if (!t->endpoints.n)
		fputs("<p class=\"note\">None.</p>\n", out);
	free(v);
}

static void html_slow(FILE *out, const struct report_trace *t)
{
	size_t i;

	fputs("<h2 id=\"slowest\">Slowest calls</h2>\n<table>\n<tr><th "
	      "class=n>At (s)</th><th class=n>Duration (s)</th><th class=n>"
	      "PID</th><th>Call</th></tr>\n",
	      out);
	for (i = 0; i < t->nslow; i++) {
		fprintf(out,
			"<tr><td class=n>%.6f</td><td class=n>%.6f</td>"
			"<td class=n>%d</td><td><code>",
			t->slow[i].rel, t->slow[i].dur, t->slow[i].pid);
		report_html_esc(out, t->slow[i].call);
		fputs("</code></td></tr>\n", out);
	}
	fputs("</table>\n", out);
}

/**
 * report_html() - Write the HTML report of a trace
 * @out:	Where
 * @t:		Trace
 *
 * Return: 0, or -1 if writing failed (see ferror())
 */
int report_html(FILE *out, const struct report_trace *t)
{
	html_head(out, t);
	fputs("<h2 id=\"timeline-title\">System calls over time</h2>\n", out);
	report_svg_timeline(out, t);
	fputs("<h2 id=\"top-title\">Top system calls by time</h2>\n", out);
	report_svg_bars(out, t);
	html_procs(out, t);
	html_syscalls(out, t);
	fputs("<h2 id=\"tree\">Process tree</h2>\n<pre>", out);
	report_tree(out, t, true);
	fputs("</pre>\n", out);
	html_files(out, "files", "Files opened", "Syscalls", &t->files);
	html_files(out, "failed", "Failed file accesses", "Errors", &t->failed);
	html_endpoints(out, t);
	report_killed_html(out, t);
	html_slow(out, t);
	fputs("</body>\n</html>\n", out);
	return ferror(out) ? -1 : 0;
}
