// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * cli/cli_report_svg.c - Inline SVG charts for the HTML report
 *
 * DOC: Theory of operation
 *
 * Two charts, drawn as plain SVG elements so the page needs no script and
 * no external resource:
 *
 * - a timeline: one lane per process (the REPORT_LANES busiest, in order of
 *   first appearance), time on the x axis, one rectangle per system call
 *   coloured by class, red if it failed; a <title> child gives the browser's
 *   tooltip.  Above REPORT_SVG_MAX_EVENTS calls, each lane is cut into
 *   REPORT_BINS bins instead, each drawn once with a height proportional to
 *   its number of calls and the colour of its most frequent class, so the
 *   page stays small for million-event traces; calls long enough to be
 *   seen (REPORT_SVG_LONG px) are still drawn, pale, behind the bins;
 * - a bar chart of the syscalls with the most total time (by calls when
 *   the trace has no durations).
 */
#include <stdlib.h>
#include <string.h>

#include "cli_report.h"

/* Geometry, in px: chart width, label column, right margin, lane, axis */
#define SVG_W 960
#define SVG_LEFT 170
#define SVG_RIGHT 20
#define SVG_LANE 22
#define SVG_TOP 24
/* Processes drawn at most; calls drawn one by one at most; bins per lane */
#define REPORT_LANES 40
#define REPORT_SVG_MAX_EVENTS 5000
#define REPORT_BINS 300
/* Binned, calls at least this wide are still drawn, pale, behind the bins */
#define REPORT_SVG_LONG 3.0
/* Bars in the top-syscalls chart */
#define REPORT_NBARS 15

static const char *const svg_colours[REPORT_NCLASSES] = {
	[REPORT_CLASS_OTHER] = "#7f7f7f",   [REPORT_CLASS_FILE] = "#1f77b4",
	[REPORT_CLASS_DESC] = "#17becf",    [REPORT_CLASS_NET] = "#2ca02c",
	[REPORT_CLASS_PROCESS] = "#9467bd", [REPORT_CLASS_MEMORY] = "#ff7f0e",
	[REPORT_CLASS_SIGNAL] = "#8c564b",
};

#define SVG_ERROR_COLOUR "#d62728"

/**
 * report_html_esc() - Write text escaped for HTML and SVG
 * @out:	Where
 * @s:		Text (bytes are copied, except the five special characters)
 */
void report_html_esc(FILE *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", out);
			break;
		case '<':
			fputs("&lt;", out);
			break;
		case '>':
			fputs("&gt;", out);
			break;
		case '"':
			fputs("&quot;", out);
			break;
		case '\'':
			fputs("&#39;", out);
			break;
		default:
			if ((unsigned char)*s < 0x20 && *s != '\n' &&
			    *s != '\t')
				fputc('?', out);
			else
				fputc(*s, out);
		}
	}
}

/* Busiest processes first */
static int svg_cmp_calls(const void *a, const void *b)
{
	const struct report_proc *x = *(const void *const *)a;
	const struct report_proc *y = *(const void *const *)b;

	if (x->calls != y->calls)
		return x->calls < y->calls ? 1 : -1;
	return x->index - y->index;
}

/* Row of each process (by map index) in the chart, -1 if not drawn */
static int *svg_rows(const struct report_trace *t, int *nrows)
{
	const void **v = calloc(t->procs.n + 1, sizeof(*v));
	int *row = malloc((t->procs.n + 1) * sizeof(*row));
	size_t i, n = t->procs.n < REPORT_LANES ? t->procs.n : REPORT_LANES;
	int r = 0;

	if (!v || !row) {
		free(v);
		free(row);
		return NULL;
	}
	report_sorted(&t->procs, v, svg_cmp_calls);
	for (i = 0; i < t->procs.n; i++)
		row[i] = -1;
	for (i = 0; i < n; i++)
		row[((const struct report_proc *)v[i])->index] = 0;
	for (i = 0; i < t->procs.n; i++)
		if (!row[i])
			row[i] = r++;
	free(v);
	*nrows = r;
	return row;
}

/* Axis: ticks along the top, labelled in s, ms or us after the span */
static void svg_axis(FILE *out, double span, int height)
{
	double mul = span >= 1 ? 1 : (span >= 1e-3 ? 1e3 : 1e6);
	const char *unit = span >= 1 ? "s" : (span >= 1e-3 ? "ms" : "us");
	int i;

	for (i = 0; i <= 5; i++) {
		double x = SVG_LEFT + (SVG_W - SVG_LEFT - SVG_RIGHT) * i / 5.0;

		fprintf(out,
			"<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" "
			"y2=\"%d\" class=\"grid\"/>\n",
			x, SVG_TOP - 4, x, height);
		fprintf(out,
			"<text x=\"%.1f\" y=\"%d\" text-anchor=\"%s\">"
			"%.4g %s</text>\n",
			x, SVG_TOP - 8,
			i ? (i == 5 ? "end" : "middle") : "start",
			span * mul * i / 5.0, unit);
	}
}

/* Lane backgrounds and labels: "pid 1234 cmd" */
static void svg_lanes(FILE *out, const struct report_trace *t, const int *row)
{
	size_t i;

	for (i = 0; i < t->procs.n; i++) {
		const struct report_proc *p = report_proc_at(t, i);
		char label[40];
		int y;

		if (row[i] < 0)
			continue;
		y = SVG_TOP + row[i] * SVG_LANE;
		fprintf(out,
			"<rect x=\"%d\" y=\"%d\" width=\"%d\" "
			"height=\"%d\" class=\"lane%d\"/>\n",
			SVG_LEFT, y, SVG_W - SVG_LEFT - SVG_RIGHT, SVG_LANE,
			row[i] % 2);
		snprintf(label, sizeof(label), "%d %s", p->pid,
			 report_proc_cmd(t, p));
		if (strlen(label) > 24)
			strcpy(label + 21, "...");
		fprintf(out, "<text x=\"4\" y=\"%d\">", y + 15);
		report_html_esc(out, label);
		fprintf(out, "</text>\n");
	}
}

/* One rectangle per call */
static void svg_events(FILE *out, const struct report_trace *t, const int *row,
		       double scale, double min_w)
{
	size_t i, n = 0;

	for (i = 0; i < t->nev && n < REPORT_SVG_MAX_EVENTS; i++) {
		const struct report_event *e = &t->ev[i];
		const struct report_sc *sc = report_sc_at(t, (size_t)e->sc);
		double w = e->dur * scale;

		if (row[e->proc] < 0 || w < min_w)
			continue;
		n++;
		fprintf(out,
			"<rect x=\"%.2f\" y=\"%d\" width=\"%.2f\" "
			"height=\"%d\" fill=\"%s\"%s><title>",
			SVG_LEFT + e->rel * scale,
			SVG_TOP + row[e->proc] * SVG_LANE + 3, w < 1 ? 1 : w,
			SVG_LANE - 6,
			e->err ? SVG_ERROR_COLOUR : svg_colours[e->cls],
			min_w > 0 ? " fill-opacity=\"0.3\"" : "");
		report_html_esc(out, sc->name);
		fprintf(out, " %.6f s at %.6f s%s</title></rect>\n", e->dur,
			e->rel, e->err ? " (failed)" : "");
	}
}

/* Per lane and bin: number of calls per class, errors in the last slot */
static void svg_bins(FILE *out, const struct report_trace *t, const int *row,
		     int nrows, double scale)
{
	const int nc = REPORT_NCLASSES + 1;
	double bw = (SVG_W - SVG_LEFT - SVG_RIGHT) / (double)REPORT_BINS;
	long *cnt = calloc((size_t)nrows * REPORT_BINS * nc, sizeof(long));
	long max = 1;
	size_t i;
	int r, b, c;

	if (!cnt)
		return;
	for (i = 0; i < t->nev; i++) {
		const struct report_event *e = &t->ev[i];
		long *bin;

		if (row[e->proc] < 0)
			continue;
		b = (int)(e->rel * scale / bw);
		b = b < 0 ? 0 : (b >= REPORT_BINS ? REPORT_BINS - 1 : b);
		bin = cnt + ((size_t)row[e->proc] * REPORT_BINS + b) * nc;
		bin[e->err ? REPORT_NCLASSES : e->cls]++;
	}
	for (i = 0; i < (size_t)nrows * REPORT_BINS; i++) {
		long sum = 0;

		for (c = 0; c < nc; c++)
			sum += cnt[i * nc + c];
		max = sum > max ? sum : max;
	}
	for (r = 0; r < nrows; r++) {
		for (b = 0; b < REPORT_BINS; b++) {
			long *bin = cnt + ((size_t)r * REPORT_BINS + b) * nc;
			long sum = 0;
			int top = 0;
			double h;

			for (c = 0; c < nc; c++) {
				sum += bin[c];
				top = bin[c] > bin[top] ? c : top;
			}
			if (!sum)
				continue;
			h = 2 + (SVG_LANE - 6) * (double)sum / (double)max;
			fprintf(out,
				"<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" "
				"height=\"%.2f\" fill=\"%s\"><title>%ld calls"
				"</title></rect>\n",
				SVG_LEFT + b * bw,
				SVG_TOP + (r + 1) * SVG_LANE - 3 - h, bw, h,
				top == REPORT_NCLASSES ? SVG_ERROR_COLOUR
						       : svg_colours[top],
				sum);
		}
	}
	free(cnt);
}

/* Colour key under the timeline */
static void svg_legend(FILE *out, int y)
{
	int c, x = SVG_LEFT;

	for (c = 0; c <= REPORT_NCLASSES; c++) {
		const char *name =
			c < REPORT_NCLASSES ? report_class_names[c] : "failed";

		fprintf(out,
			"<rect x=\"%d\" y=\"%d\" width=\"12\" "
			"height=\"12\" fill=\"%s\"/><text x=\"%d\" y=\"%d\">"
			"%s</text>\n",
			x, y,
			c < REPORT_NCLASSES ? svg_colours[c] : SVG_ERROR_COLOUR,
			x + 16, y + 11, name);
		x += 100;
	}
}

/**
 * report_svg_timeline() - The system calls of each process over time
 * @out:	Where
 * @t:		Trace
 */
void report_svg_timeline(FILE *out, const struct report_trace *t)
{
	double span = t->end > 0 ? t->end : 1e-6, scale;
	int nrows = 0, height, *row = svg_rows(t, &nrows);

	if (!row)
		return;
	height = SVG_TOP + nrows * SVG_LANE;
	scale = (SVG_W - SVG_LEFT - SVG_RIGHT) / span;
	fprintf(out,
		"<svg class=\"chart\" id=\"timeline\" "
		"xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
		"height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\">\n"
		"<title>System calls over time, per process</title>\n",
		SVG_W, height + 30, SVG_W, height + 30);
	svg_lanes(out, t, row);
	svg_axis(out, span, height);
	if (t->nev <= REPORT_SVG_MAX_EVENTS) {
		svg_events(out, t, row, scale, 0);
	} else {
		svg_events(out, t, row, scale, REPORT_SVG_LONG);
		svg_bins(out, t, row, nrows, scale);
	}
	svg_legend(out, height + 12);
	fprintf(out, "</svg>\n");
	if (t->procs.n > (size_t)nrows)
		fprintf(out,
			"<p class=\"note\">The %d busiest of %zu processes "
			"are drawn.</p>\n",
			nrows, t->procs.n);
	free(row);
}

/**
 * report_svg_bars() - Horizontal bars: the syscalls with the most time
 * @out:	Where
 * @t:		Trace
 */
void report_svg_bars(FILE *out, const struct report_trace *t)
{
	const void **v = calloc(t->scs.n + 1, sizeof(*v));
	size_t i, n = t->scs.n < REPORT_NBARS ? t->scs.n : REPORT_NBARS;
	bool by_time = t->time > 0;
	double max;

	if (!v)
		return;
	report_sorted(&t->scs, v, report_cmp_sc_time);
	max = n ? (by_time ? ((const struct report_sc *)v[0])->time
			   : (double)((const struct report_sc *)v[0])->calls)
		: 1;
	for (i = 0; !by_time && i < n; i++)
		if (((const struct report_sc *)v[i])->calls > max)
			max = (double)((const struct report_sc *)v[i])->calls;
	fprintf(out,
		"<svg class=\"chart\" id=\"topcalls\" "
		"xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
		"height=\"%zu\" viewBox=\"0 0 %d %zu\" role=\"img\">\n"
		"<title>Top system calls by %s</title>\n",
		SVG_W, n * 22 + 8, SVG_W, n * 22 + 8,
		by_time ? "total time" : "calls");
	for (i = 0; i < n; i++) {
		const struct report_sc *s = v[i];
		double val = by_time ? s->time : (double)s->calls;
		double w = (SVG_W - SVG_LEFT - 260) * val / (max > 0 ? max : 1);
		int y = 4 + (int)i * 22;

		fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">",
			SVG_LEFT - 6, y + 13);
		report_html_esc(out, s->name);
		fprintf(out,
			"</text><rect x=\"%d\" y=\"%d\" width=\"%.2f\" "
			"height=\"16\" class=\"bar\"/><text x=\"%.2f\" "
			"y=\"%d\">%.6f s, %ld call%s, %ld error%s</text>\n",
			SVG_LEFT, y, w < 1 ? 1 : w,
			SVG_LEFT + (w < 1 ? 1 : w) + 6, y + 13, s->time,
			s->calls, s->calls == 1 ? "" : "s", s->errors,
			s->errors == 1 ? "" : "s");
	}
	fprintf(out, "</svg>\n");
	free(v);
}
