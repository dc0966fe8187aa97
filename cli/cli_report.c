// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * cli/cli_report.c - `facet report`: summarize or compare recorded traces
 *
 * DOC: Theory of operation
 *
 *   facet report TRACE.jsonl                 text summary on stdout
 *   facet report T.jsonl.*                   per-process files, as one trace
 *   facet report --html FILE TRACE.jsonl     self-contained HTML page
 *   facet report --diff A.jsonl B.jsonl      what one run did, not the other
 *
 * Each trace is read whole into a struct report_trace (cli_report_load.c),
 * then written out by cli_report_text.c, cli_report_html.c or
 * cli_report_diff.c.  Facet's own errors (unreadable file, not a trace,
 * bad options) are one line on stderr and exit status 125; --diff exits 1
 * when the runs differ, like diff(1).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_report.h"

/**
 * struct report_opts - What `facet report` was asked to do
 * @html:	--html FILE, or NULL
 * @diff:	--diff
 * @files:	Trace files
 * @nfiles:	How many
 */
struct report_opts {
	const char *html;
	bool diff;
	char **files;
	int nfiles;
};

static void report_usage(FILE *f)
{
	fprintf(f,
		"Usage: facet report [--html FILE] TRACE.jsonl [MORE.jsonl...]\n"
		"       facet report --diff A.jsonl B.jsonl\n\n"
		"Summarize a trace recorded with 'facet trace --trace-format "
		"jsonl': processes,\nsystem calls, process tree, files, "
		"network endpoints, slowest calls.\nSeveral files (as "
		"'facet trace --per-process' writes them) make one trace.\n\n"
		"  --html FILE   write one self-contained HTML page with SVG "
		"charts ('-': stdout)\n"
		"  --diff        compare two traces: files, endpoints and "
		"syscall counts\n"
		"                found in one but not the other (exit 1 if "
		"they differ)\n"
		"  -h, --help    this help\n");
}

/* Parse the command line; dies on errors */
static void report_parse(struct report_opts *o, int argc, char **argv)
{
	int i;

	o->files = calloc((size_t)argc, sizeof(*o->files));
	if (!o->files)
		cli_die("out of memory");
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			report_usage(stdout);
			exit(0);
		} else if (!strcmp(a, "--diff")) {
			o->diff = true;
		} else if (!strcmp(a, "--html")) {
			if (++i == argc)
				cli_die("--html needs a file name: "
					"--html report.html");
			o->html = argv[i];
		} else if (!strncmp(a, "--html=", 7)) {
			o->html = a + 7;
		} else if (!strcmp(a, "--")) {
			while (++i < argc)
				o->files[o->nfiles++] = argv[i];
		} else if (a[0] == '-' && a[1]) {
			cli_die("unknown option '%s': try 'facet report "
				"--help'",
				a);
		} else {
			o->files[o->nfiles++] = argv[i];
		}
	}
	if (o->html && !*o->html)
		cli_die("--html needs a file name: --html report.html");
	if (o->diff && o->html)
		cli_die("--diff and --html cannot be combined: --diff "
			"writes text only");
	if (o->diff && o->nfiles != 2)
		cli_die("--diff compares two traces: facet report --diff "
			"A.jsonl B.jsonl");
	if (!o->nfiles)
		cli_die("no trace given: facet report TRACE.jsonl");
}

/* Load @n files into one trace, or die with the loader's message */
static void report_load_or_die(struct report_trace *t, char **paths, int n)
{
	struct facet_err err = {""};
	int i;

	memset(t, 0, sizeof(*t));
	for (i = 0; i < n; i++)
		if (report_load(t, paths[i], &err))
			cli_die("%s", err.msg);
}

/* Write the HTML page to @path ("-": stdout) */
static void report_write_html(const char *path, const struct report_trace *t)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "we") : stdout;
	int ret;

	if (!f)
		cli_die("cannot write %s: %s", path, strerror(errno));
	ret = report_html(f, t);
	if (fflush(f) || ferror(f) || ret)
		cli_die("cannot write %s: %s", path, strerror(errno));
	if (f != stdout && fclose(f))
		cli_die("cannot write %s: %s", path, strerror(errno));
}

/**
 * cli_report() - `facet report`
 * @argc:	Arguments, with argv[0] "report"
 * @argv:	Arguments
 *
 * Return: exit status
 */
int cli_report(int argc, char **argv)
{
	struct report_opts o = {0};
	struct report_trace a, b;
	int ret = 0;

	report_parse(&o, argc, argv);
	report_load_or_die(&a, o.files, o.diff ? 1 : o.nfiles);
	if (o.diff) {
		report_load_or_die(&b, o.files + 1, 1);
		ret = report_diff(stdout, &a, &b);
		if (ret < 0)
			cli_die("out of memory comparing the traces");
		report_free(&b);
	} else if (o.html) {
		report_write_html(o.html, &a);
	} else {
		report_text(stdout, &a);
	}
	report_free(&a);
	free(o.files);
	if (fflush(stdout) || ferror(stdout))
		cli_die("cannot write the report: %s", strerror(errno));
	return ret;
}
