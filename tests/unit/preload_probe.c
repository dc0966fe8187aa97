// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/unit/preload_probe.c - shim_probe_strncpy() against a byte loop:
 * every length, cap and alignment, strings that end (or do not) right
 * before an inaccessible page
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <cmocka.h>

/* shim_probe.c is linked into the shim, not the core */
#include "../../preload/shim_probe.c"

/* The shim's handler, reduced to the fixup */
void shim_signal_take(int sig)
{
	(void)sig;
}

static void probe_handler(int sig, siginfo_t *si, void *uctx)
{
	(void)si;
	if (!shim_probe_fixup(sig, uctx))
		abort();
}

/* What a byte loop gives: @avail bytes at @src can be read */
static long probe_ref(char *dst, const char *src, size_t cap, size_t avail)
{
	size_t i;

	for (i = 0; i < cap; i++) {
		if (i >= avail)
			return -EFAULT;
		dst[i] = src[i];
		if (!src[i])
			return (long)i;
	}
	return (long)cap;
}

static void probe_one(char *src, size_t avail, size_t cap)
{
	char want[96], got[96];
	long r1, r2;

	memset(want, '#', sizeof(want));
	memset(got, '#', sizeof(got));
	r1 = probe_ref(want, src, cap, avail);
	r2 = shim_probe_strncpy(got, src, cap);
	assert_int_equal(r2, r1);
	if (r1 >= 0)	/* the same bytes written, none past them */
		assert_memory_equal(got, want, sizeof(got));
}

static void probe_strings(void **state)
{
	static const char text[] = "abcdefghijklmnopqrstuvwxyz0123456789"
				   "ABCDEFGHIJKLMNOPQRSTUVWXYZ!?";
	long page = sysconf(_SC_PAGESIZE);
	struct sigaction sa = { .sa_sigaction = probe_handler,
				.sa_flags = SA_SIGINFO };
	size_t len, cap, gap;
	char *m, *guard;
	int term;

	(void)state;
	assert_int_equal(sigaction(SIGSEGV, &sa, NULL), 0);
	m = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(m != MAP_FAILED);
	guard = m + page;
	assert_int_equal(mprotect(guard, page, PROT_NONE), 0);
	/* each string ends @gap bytes before the guard page: its NUL, or
	 * (term 0) the next string byte, is the last readable byte or not */
	for (len = 0; len <= 60; len++)
		for (gap = 0; gap <= 17; gap++)
			for (term = 0; term < 2; term++)
				for (cap = 1; cap <= 70; cap++) {
					char *src = guard - gap - len - term;

					memset(m, 'q', page);
					memcpy(src, text, len);
					if (term)
						src[len] = '\0';
					probe_one(src, guard - src, cap);
				}
	/* NULL and the page before it */
	assert_int_equal(shim_probe_strncpy(m, NULL, 16), -EFAULT);
	assert_int_equal(shim_probe_strncpy(m, (char *)5, 16), -EFAULT);
	munmap(m, 2 * page);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(probe_strings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
