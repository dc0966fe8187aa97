// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vtrace/vtrace_buf.c - Growable text buffers, strace and JSON
 *				  escaping
 *
 * Buffers are reused from event to event, so they grow to the largest
 * record once and are not allocated again.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vtrace.h"

/**
 * vtrace_fixed() - A number with @decimals digits after the point, as
 *		    "%.6f" would print it, without libc's floating point
 * @out:	Buffer, VTRACE_FIXED bytes
 * @x:		The number (seconds, microseconds)
 * @decimals:	Digits after the point, 0 to 9
 *
 * Times in JSONL, perfetto and -T are written so because printf's "%f"
 * follows the program's locale in-process (a decimal comma would spoil
 * the JSON), and crashed (SIGSEGV in __printf_fp) in a posix_spawn child,
 * which runs on its parent's memory and a 36 KiB stack.
 *
 * Return: @out
 */
const char *vtrace_fixed(char *out, double x, int decimals)
{
	unsigned long long scale = 1, whole, frac;
	double ax = x < 0 ? -x : x;
	int i;

	for (i = 0; i < decimals; i++)
		scale *= 10;
	whole = (unsigned long long)ax;
	frac = (unsigned long long)((ax - (double)whole) * (double)scale + 0.5);
	if (frac >= scale) {	/* rounded up to the next whole */
		whole++;
		frac -= scale;
	}
	if (decimals)
		snprintf(out, VTRACE_FIXED, "%s%llu.%0*llu", x < 0 ? "-" : "",
			 whole, decimals, frac);
	else
		snprintf(out, VTRACE_FIXED, "%s%llu", x < 0 ? "-" : "",
			 whole);
	return out;
}

/**
 * vtrace_buf_reserve() - Make room for @more bytes and a NUL
 * @b:		Buffer
 * @more:	Bytes about to be appended
 *
 * Aborts on allocation failure, as the supervisor cannot go on tracing.
 */
void vtrace_buf_reserve(struct vtrace_buf *b, size_t more)
{
	size_t cap = b->cap ? b->cap : 256;
	char *p;

	if (b->len + more + 1 <= b->cap)
		return;
	while (cap < b->len + more + 1)
		cap *= 2;
	p = realloc(b->p, cap);
	if (!p)
		abort();
	b->p = p;
	b->cap = cap;
}

void vtrace_buf_put(struct vtrace_buf *b, const char *s, size_t n)
{
	vtrace_buf_reserve(b, n);
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void vtrace_buf_puts(struct vtrace_buf *b, const char *s)
{
	vtrace_buf_put(b, s, strlen(s));
}

void vtrace_buf_printf(struct vtrace_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	vtrace_buf_reserve(b, 64);
	va_start(ap, fmt);
	n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= b->cap - b->len) {
		vtrace_buf_reserve(b, n);
		va_start(ap, fmt);
		vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
	}
	b->len += n;
}

/* strace's escape of one byte inside a quoted string */
static void vtrace_buf_esc(struct vtrace_buf *b, unsigned char c,
			   unsigned char next)
{
	static const char simple[] = "\t\n\v\f\r";
	static const char letter[] = "tnvfr";
	const char *p = c ? strchr(simple, c) : NULL;

	if (p) {
		char e[2] = { '\\', letter[p - simple] };

		vtrace_buf_put(b, e, 2);
	} else if (c == '"' || c == '\\') {
		char e[2] = { '\\', (char)c };

		vtrace_buf_put(b, e, 2);
	} else if (c >= ' ' && c < 0x7f) {
		vtrace_buf_put(b, (const char *)&c, 1);
	} else if (next >= '0' && next <= '7') {
		vtrace_buf_printf(b, "\\%03o", c);
	} else {
		vtrace_buf_printf(b, "\\%o", c);
	}
}

/* strace -x, -xx: which strings are written as \xNN escapes */
int vtrace_hex_strings = VTRACE_HEX_NONE;

/**
 * vtrace_hex_wanted() - Is this string shown in hex (strace -x, -xx)?
 * @s:		Bytes
 * @n:		How many are shown
 *
 * -xx: every string; -x: a string with a byte that is neither printable
 * ASCII nor one of the spaces \t \n \v \f \r, as strace decides it.
 */
int vtrace_hex_wanted(const unsigned char *s, size_t n)
{
	size_t i;

	if (vtrace_hex_strings != VTRACE_HEX_NON_ASCII)
		return vtrace_hex_strings == VTRACE_HEX_ALL;
	for (i = 0; i < n; i++)
		if (s[i] > 0x7e || (s[i] < ' ' && (s[i] < '\t' ||
						   s[i] > '\r')))
			return 1;
	return 0;
}

/* @n bytes as \xNN escapes, without quotes */
void vtrace_buf_hex(struct vtrace_buf *b, const unsigned char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	vtrace_buf_reserve(b, 4 * n);
	for (i = 0; i < n; i++) {
		char e[4] = { '\\', 'x', hex[s[i] >> 4], hex[s[i] & 15] };

		vtrace_buf_put(b, e, 4);
	}
}

/**
 * vtrace_buf_quote() - Append bytes as a quoted C string, as strace does
 * @b:		Buffer
 * @s:		Bytes
 * @n:		How many
 * @max:	Show at most this many (strace -s)
 * @cut:	The data went on past @n (append "..." as strace does)
 *
 * Printable ASCII as is, \t \n \v \f \r \" \\ escaped, other bytes in
 * octal (three digits when a digit follows, so the escape stays one byte).
 */
void vtrace_buf_quote(struct vtrace_buf *b, const unsigned char *s, size_t n,
		      size_t max, int cut)
{
	size_t i, show = n < max ? n : max;

	vtrace_buf_reserve(b, show + 8);
	vtrace_buf_put(b, "\"", 1);
	if (vtrace_hex_strings && vtrace_hex_wanted(s, show))
		vtrace_buf_hex(b, s, show);
	else
		for (i = 0; i < show; i++)
			vtrace_buf_esc(b, s[i], i + 1 < show ? s[i + 1] : 0);
	vtrace_buf_put(b, "\"", 1);
	if (cut || n > max)
		vtrace_buf_put(b, "...", 3);
}

/**
 * vtrace_buf_quote_hex() - Append bytes as a quoted string of \xNN escapes
 * @b:		Buffer
 * @s:		Bytes
 * @n:		How many
 * @max:	Show at most this many (strace -s)
 *
 * strace shows random bytes (getrandom) this way.
 */
void vtrace_buf_quote_hex(struct vtrace_buf *b, const unsigned char *s,
			  size_t n, size_t max)
{
	size_t show = n < max ? n : max;

	vtrace_buf_put(b, "\"", 1);
	vtrace_buf_hex(b, s, show);
	vtrace_buf_put(b, "\"", 1);
	if (n > max)
		vtrace_buf_put(b, "...", 3);
}

/**
 * vtrace_buf_json() - Append @n bytes as the inside of a JSON string
 * @b:		Buffer
 * @s:		Text (any bytes; ones above 0x7f are kept if they form UTF-8,
 *		else written as \u00XX of the byte)
 * @n:		Length
 */
void vtrace_buf_json(struct vtrace_buf *b, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i;

	vtrace_buf_reserve(b, n + 2);
	for (i = 0; i < n; i++) {
		unsigned char c = u[i];
		size_t k, need = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0;

		if (c == '"' || c == '\\') {
			char e[2] = { '\\', (char)c };

			vtrace_buf_put(b, e, 2);
		} else if (c == '\n') {
			vtrace_buf_put(b, "\\n", 2);
		} else if (c < 0x20 || c == 0x7f) {
			vtrace_buf_printf(b, "\\u%04x", c);
		} else if (c < 0x80) {
			vtrace_buf_put(b, (const char *)&c, 1);
		} else {
			for (k = 1; need && c < 0xf8 && k <= need; k++)
				if (i + k >= n || (u[i + k] & 0xc0) != 0x80)
					break;
			if (need && c < 0xf8 && k > need) {
				vtrace_buf_put(b, s + i, need + 1);
				i += need;
			} else {
				vtrace_buf_printf(b, "\\u%04x", c);
			}
		}
	}
}

void vtrace_buf_free(struct vtrace_buf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}
