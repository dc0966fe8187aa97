// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/progs/gettext_probe.c - Translate messages, again and again
 *
 * gettext_probe N MSGID...	setlocale(LC_ALL, ""), then N rounds of
 *				dgettext("coreutils", MSGID) for each MSGID,
 *				one line per call
 *
 * Used by tests/shell/preload.bats: the translation is the same in every
 * round (a catalog the view hides stays unread, a visible one is used),
 * and calls after the first untranslated one make no trap-mode episode.
 */
#include <libintl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 0, r, i;

	setlocale(LC_ALL, "");
	for (r = 0; r < rounds; r++)
		for (i = 2; i < argc; i++)
			printf("%s\n", dgettext("coreutils", argv[i]));
	return 0;
}
