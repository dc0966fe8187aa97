// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/progs/locale_probe.c - Load a locale and say what was loaded
 *
 * locale_probe none		no locale call: prints "none"
 * locale_probe env		setlocale(LC_ALL, ""): the name it returns
 *				(or NULL) and the character set
 * locale_probe new NAME	newlocale(LC_ALL_MASK, NAME): the same
 *
 * Used by tests/shell/preload.bats: a locale only the view shows loads,
 * one the view hides does not, and setlocale() makes no SIGSYS where the
 * view leaves the locale files alone.
 */
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "none";
	locale_t loc;
	char *name;

	if (!strcmp(mode, "env")) {
		name = setlocale(LC_ALL, "");
		printf("%s %s\n", name ? name : "NULL", nl_langinfo(CODESET));
	} else if (!strcmp(mode, "new") && argc > 2) {
		loc = newlocale(LC_ALL_MASK, argv[2], (locale_t)0);
		printf("%s %s\n", loc ? "ok" : "NULL",
		       loc ? nl_langinfo_l(CODESET, loc) : "-");
		if (loc)
			freelocale(loc);
	} else {
		printf("none\n");
	}
	return 0;
}
