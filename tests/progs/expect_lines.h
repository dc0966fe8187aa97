/* SPDX-License-Identifier: MIT */
/*
 * facet - tests/progs/expect_lines.h: the trace lines a vtrace test
 * program expects, gathered while it makes its calls and printed at the
 * end (vtrace_basic, vtrace_structs, vtrace_flags)
 */
#ifndef FACET_TESTS_EXPECT_LINES_H
#define FACET_TESTS_EXPECT_LINES_H

#include <stdarg.h>
#include <stdio.h>

static char expect[16384];
static size_t expect_len;

/* add a line (or part of one) to what the trace should show */
static void out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void out(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	expect_len += vsnprintf(expect + expect_len,
				sizeof(expect) - expect_len, fmt, ap);
	va_end(ap);
}

#endif /* FACET_TESTS_EXPECT_LINES_H */
