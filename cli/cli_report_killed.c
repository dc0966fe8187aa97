// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * cli/cli_report_killed.c - Processes killed by a signal, and their last calls
 *
 * DOC: Theory of operation
 *
 * For a lab's "which runs crashed, and where": every process whose exit
 * record (or parent's wait, cli_report_wait.c) names a signal, with the
 * last REPORT_NLAST calls it made as strace prints them, oldest first (the
 * call it was killed in included, "= ?"), and the signal's line when the
 * trace has its delivery (ptrace backend): "--- SIGSEGV {si_signo=...} ---".
 */
#include <string.h>

#include "cli_report.h"

/* The delivery of the signal that killed @p, if it was the last recorded */
static const char *killed_siginfo(const struct report_proc *p)
{
	size_t n = strlen(p->signal);

	if (p->siginfo && !strncmp(p->siginfo, p->signal, n) &&
	    p->siginfo[n] == ' ')
		return p->siginfo + n + 1;
	return NULL;
}

/* How many calls @p's ring holds */
static long killed_kept(const struct report_proc *p)
{
	return p->nlast < REPORT_NLAST ? p->nlast : REPORT_NLAST;
}

/* Call @i (0: oldest) of the ones @p's ring holds */
static const char *killed_call(const struct report_proc *p, long i)
{
	return p->lastcalls[(p->nlast - killed_kept(p) + i) % REPORT_NLAST];
}

/**
 * report_killed_text() - The "Killed by a signal" section of the text summary
 * @out:	Where
 * @t:		Trace
 */
void report_killed_text(FILE *out, const struct report_trace *t)
{
	bool any = false;
	size_t i;
	long k;

	fprintf(out, "\nKilled by a signal\n%8s %-10s %s\n", "PID", "SIGNAL",
		"COMMAND, LAST CALLS");
	for (i = 0; i < t->procs.n; i++) {
		const struct report_proc *p = report_proc_at(t, i);
		const char *info;

		if (!p->exited || !p->signal)
			continue;
		any = true;
		fprintf(out, "%8d %-10s %s\n", p->pid, p->signal,
			report_proc_cmd(t, p));
		for (k = 0; k < killed_kept(p); k++)
			fprintf(out, "%8s %-10s   %s\n", "", "",
				killed_call(p, k));
		info = killed_siginfo(p);
		if (info)
			fprintf(out, "%8s %-10s   --- %s %s ---\n", "", "",
				p->signal, info);
	}
	if (!any)
		fprintf(out, "  (none)\n");
}

/**
 * report_killed_html() - The same as an HTML table
 * @out:	Where
 * @t:		Trace
 */
void report_killed_html(FILE *out, const struct report_trace *t)
{
	bool any = false;
	size_t i;
	long k;

	fputs("<h2 id=\"killed\">Killed by a signal</h2>\n<table>\n<tr><th "
	      "class=n>PID</th><th>Signal</th><th>Command</th><th>Last calls"
	      "</th></tr>\n",
	      out);
	for (i = 0; i < t->procs.n; i++) {
		const struct report_proc *p = report_proc_at(t, i);
		const char *info;

		if (!p->exited || !p->signal)
			continue;
		any = true;
		fprintf(out, "<tr><td class=n>%d</td><td>", p->pid);
		report_html_esc(out, p->signal);
		fputs("</td><td>", out);
		report_html_esc(out, report_proc_cmd(t, p));
		fputs("</td><td><code>", out);
		for (k = 0; k < killed_kept(p); k++) {
			report_html_esc(out, killed_call(p, k));
			fputs("<br>", out);
		}
		info = killed_siginfo(p);
		if (info) {
			fputs("--- ", out);
			report_html_esc(out, p->signal);
			fputs(" ", out);
			report_html_esc(out, info);
			fputs(" ---", out);
		}
		fputs("</code></td></tr>\n", out);
	}
	fputs("</table>\n", out);
	if (!any)
		fputs("<p class=\"note\">None.</p>\n", out);
}
