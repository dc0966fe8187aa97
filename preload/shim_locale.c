// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * preload/shim_locale.c - setlocale() and newlocale(): trap mode only when
 * a module would change or see the files they open; gettext() and its
 * kind: trap mode when a catalog may be read
 *
 * DOC: Locales without trap mode
 *
 * setlocale(LC_ALL, "") with LANG=C.UTF-8 makes about 75 calls inside
 * libc: openat, fstat, mmap and close of /usr/lib/locale/locale-archive,
 * /usr/share/locale/locale.alias, iconv's gconv-modules.cache and each
 * /usr/lib/locale/C.utf8/LC_* file.  In trap mode each is a SIGSYS (about
 * 2,600 of a build's 4,068 under --bind), for files that a view without a
 * rule there shows as the host does.  So before trap mode the shim asks
 * every module that wants one of the calls (facet_chain_touches()) about
 * the trees libc reads here:
 *
 * - the locale directories: $LOCPATH's (absolute) entries, and glibc's
 *   LOCALEDIR, which it reads when LOCPATH is unset or ignored;
 * - LOCALE_ALIAS_PATH's locale.alias;
 * - iconv's module cache in GCONV_DIR, or with $GCONV_PATH set (the
 *   cache is not used then) GCONV_DIR and $GCONV_PATH's entries.
 *
 * The compiled-in paths are those of glibc as Debian and Ubuntu build it
 * for x86_64.  libc runs natively only when every asked module answers 0
 * for every tree; a module that does not answer counts as "may" (vtrace,
 * which must record the opens, does not).  Trap mode stays, without
 * asking, for a name with a '/' (glibc reads such a locale from that
 * path) or one whose character set is not UTF-8 (loading its gconv module
 * is a dlopen(), whose dependencies ld.so may look up anywhere), and a
 * name of "C" or "POSIX" opens nothing, so runs natively at once.  The
 * answer is asked at every call: a program calls setlocale() once or twice
 * with a name, and LOCPATH may have changed in between.
 */
#include <langinfo.h>
#include <libintl.h>
#include <limits.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "shim_trap.h"

/* libintl.h makes them macros when optimizing: the functions are defined
 * here */
#undef gettext
#undef dgettext
#undef dcgettext
#undef ngettext
#undef dngettext
#undef dcngettext

/* return @expr, made in trap mode unless @native */
#define SHIM_TRAP_UNLESS(type, native, expr)				\
	do {								\
		type ret_;						\
		int tok_;						\
									\
		if (native)						\
			return expr;					\
		tok_ = shim_trap_enter();				\
		ret_ = expr;						\
		shim_trap_leave(tok_);					\
		return ret_;						\
	} while (0)

/*
 * glibc's LOCALEDIR, LOCALE_ALIAS_PATH's file and GCONV_DIR's module cache
 * (as Debian builds it; with GCONV_PATH set iconv reads the configuration
 * files of each directory instead of the cache)
 */
static const char *const shim_locale_trees[] = {
	"/usr/lib/locale",
	"/usr/share/locale/locale.alias",
};
#define SHIM_GCONV_DIR	"/usr/lib/x86_64-linux-gnu/gconv"

/* The environment variables setlocale(c, "") takes names from */
static const char *const shim_locale_vars[] = {
	"LC_ALL", "LC_CTYPE", "LC_NUMERIC", "LC_TIME", "LC_COLLATE",
	"LC_MONETARY", "LC_MESSAGES", "LC_PAPER", "LC_NAME", "LC_ADDRESS",
	"LC_TELEPHONE", "LC_MEASUREMENT", "LC_IDENTIFICATION", "LANG",
};

/* Is the codeset from @s to @end UTF-8 ("UTF-8", "utf8", as glibc
 * normalizes codesets)? */
static int shim_locale_utf8(const char *s, const char *end)
{
	char cs[8];
	size_t n = 0;

	for (; s < end; s++) {
		char c = *s;

		if (c == '-' || c == '_')
			continue;
		if (n == sizeof(cs) - 1)
			return 0;
		cs[n++] = c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
	}
	cs[n] = '\0';
	return !strcmp(cs, "utf8");
}

/*
 * What the locale name @s (@len bytes) needs: 0 nothing (C, POSIX, the
 * empty name of an unset variable), 1 files (a UTF-8 locale), -1 more
 * than the shim can vouch for
 */
static int shim_locale_name(const char *s, size_t len)
{
	const char *dot, *end = s + len, *at;

	if (!len || (len == 1 && s[0] == 'C') ||
	    (len == 5 && !memcmp(s, "POSIX", 5)))
		return 0;
	if (memchr(s, '/', len))
		return -1;
	dot = memchr(s, '.', len);
	if (!dot)
		return -1;	/* the charset comes from the locale's files */
	at = memchr(dot, '@', end - dot);
	return shim_locale_utf8(dot + 1, at ? at : end) ? 1 : -1;
}

/*
 * The same for a name as setlocale() takes it: one name, or the composite
 * "LC_CTYPE=x;LC_NUMERIC=y;..." setlocale(LC_ALL, NULL) returns
 */
static int shim_locale_names(const char *s)
{
	int need = 0, one;

	while (1) {
		const char *semi = strchrnul(s, ';');
		const char *eq = memchr(s, '=', semi - s);
		const char *name = eq ? eq + 1 : s;

		one = shim_locale_name(name, semi - name);
		if (one < 0)
			return -1;
		need |= one;
		if (!*semi)
			return need;
		s = semi + 1;
	}
}

/* The same for setlocale(c, "") and newlocale(m, "", b): the variables */
static int shim_locale_env(void)
{
	int need = 0, one;
	size_t i;

	for (i = 0; i < sizeof(shim_locale_vars) / sizeof(*shim_locale_vars);
	     i++) {
		const char *v = getenv(shim_locale_vars[i]);

		one = v ? shim_locale_names(v) : 0;
		if (one < 0)
			return -1;
		need |= one;
	}
	return need;
}

/* Does a module change or need to see a call below @tree? */
static int shim_locale_touched(const char *tree)
{
	unsigned char prev_sel;
	int tok, ret;

	prev_sel = shim_module_begin(&shim_tls);
	tok = shim_lock();
	ret = facet_chain_touches(&shim.chain, TRAP_SYSFILE, tree);
	shim_unlock(tok);
	shim_module_end(&shim_tls, prev_sel);
	return ret;
}

/*
 * The same for each entry of the colon-separated list in variable @var;
 * a relative entry (read from the cwd, which may be anywhere) counts as
 * touched
 */
static int shim_locale_touched_list(const char *var)
{
	const char *v = getenv(var), *end;
	char dir[PATH_MAX];
	size_t len;

	for (; v && *v; v = *end ? end + 1 : end) {
		end = strchrnul(v, ':');
		len = end - v;
		if (!len)
			continue;
		if (v[0] != '/' || len >= sizeof(dir))
			return 1;
		memcpy(dir, v, len);
		dir[len] = '\0';
		if (shim_locale_touched(dir))
			return 1;
	}
	return 0;
}

/*
 * shim_locale_native() - May setlocale()/newlocale() with name @name run
 * without trap mode?
 *
 * Return: 1 if every module that wants the calls they make leaves their
 * files alone (or no file is read), 0 if trap mode is needed
 */
static int shim_locale_native(const char *name)
{
	size_t i;
	int need;

	/* every call is caught anyway, and trap mode costs nothing more */
	if (shim.raw_arm == 2)
		return 0;
	need = name[0] ? shim_locale_names(name) : shim_locale_env();
	if (need <= 0)
		return need == 0;
	/* combined mode: the supervisor serves libc's own calls (see
	 * shim_trap_enter()) */
	if (shim.supervised)
		return 1;
	for (i = 0; i < sizeof(shim_locale_trees) / sizeof(*shim_locale_trees);
	     i++)
		if (shim_locale_touched(shim_locale_trees[i]))
			return 0;
	if (getenv("GCONV_PATH"))
		return !shim_locale_touched(SHIM_GCONV_DIR) &&
		       !shim_locale_touched_list("LOCPATH") &&
		       !shim_locale_touched_list("GCONV_PATH");
	return !shim_locale_touched(SHIM_GCONV_DIR "/gconv-modules.cache") &&
	       !shim_locale_touched_list("LOCPATH");
}

/* setlocale(c, NULL) only asks (perl does it often): no file, no trap */
SHIM_HOT char *setlocale(int c, const char *l)
{
	char *(*real_)(int, const char *) =
		SHIM_NEXT(char *(*)(int, const char *), "setlocale");

	SHIM_TRAP_UNLESS(char *, !l || !shim_trap_wanted(TRAP_SYSFILE) ||
			 shim_locale_native(l), real_(c, l));
}

locale_t newlocale(int m, const char *l, locale_t b)
{
	locale_t (*real_)(int, const char *, locale_t) =
		SHIM_NEXT(locale_t (*)(int, const char *, locale_t),
			  "newlocale");

	SHIM_TRAP_UNLESS(locale_t, !l || !shim_trap_wanted(TRAP_SYSFILE) ||
			 shim_locale_native(l), real_(m, l, b));
}


/*
 * gettext() and its kind read message catalogs inside libc:
 * DIR/LANG/LC_MESSAGES/DOMAIN.mo for the variants of each language of
 * $LANGUAGE (unless the messages locale is "C") or of the messages
 * locale, DIR being what bindtextdomain() set, with the locale alias
 * file, and iconv's modules for a catalog's charset.  Without trap mode a
 * --hide'd catalog, or the host's instead of a --root guest's, was read.
 * Trap mode then, unless no catalog is read: the first language is C or
 * POSIX (most programs, which never call setlocale()), or the call is
 * settled (below).  Asking the modules about DIR as for setlocale() would
 * not help: /usr/share/locale holds a symlink out of the tree
 * (locale.alias) and thousands of entries.
 */
static int shim_gettext_c(int category)
{
	const char *loc, *lang = getenv("LANGUAGE"), *value;
	size_t len;

	if (category == LC_ALL)
		return 0;
	/* the thread's locale (uselocale()), as glibc's lookup takes it */
	loc = nl_langinfo(_NL_LOCALE_NAME(category));
	if (!loc || !*loc)
		return 0;
	value = lang && *lang && strcmp(loc, "C") ? lang : loc;
	len = strcspn(value, ":");
	return (len == 1 && value[0] == 'C') ||
	       (len == 5 && !memcmp(value, "POSIX", 5));
}

/*
 * DOC: Settled gettext calls
 *
 * A program translates a message at a time: gcc's cc1 calls dcgettext()
 * about fifteen times, each one a trap-mode episode (two prctl() calls)
 * though only the first opens anything.  glibc keeps every catalog it
 * looked up, found or not, by directory, language and domain.  So once a
 * call of a process came back untranslated from trap mode (each language
 * of its list was looked up) while no catalog (a *.mo file) has been
 * opened in trap mode (none is loaded that a later message could be found
 * in, and converted with iconv), a later call with the same key (the
 * category, the domain, its directory, the thread's locale name for the
 * category and $LANGUAGE) opens nothing, and runs natively.  A process
 * that loaded a catalog keeps trap mode for every call.
 */
#define GETTEXT_SETTLED		8
#define GETTEXT_KEY		512

static char gettext_settled[GETTEXT_SETTLED][GETTEXT_KEY];
static size_t gettext_settled_len[GETTEXT_SETTLED];
static int gettext_nsettled;
static int gettext_lock;
static int gettext_catalog_opened;

/**
 * shim_locale_opened() - A file was opened in trap mode (the SIGSYS
 * handler): a message catalog ends settling (see above)
 * @path:	Its name, as the program gave it
 */
void shim_locale_opened(const char *path)
{
	size_t len = strlen(path);

	if (len >= 3 && !memcmp(path + len - 3, ".mo", 3))
		__atomic_store_n(&gettext_catalog_opened, 1, __ATOMIC_RELAXED);
}

/* The key of a call into @key (NUL-separated fields); 0: too long */
static size_t gettext_key(char *key, const char *domain, int category)
{
	const char *field[4];
	size_t at = 0, len;
	int i;

	if (!domain)
		domain = textdomain(NULL);
	field[0] = domain;
	field[1] = bindtextdomain(domain, NULL);
	field[2] = nl_langinfo(_NL_LOCALE_NAME(category));
	field[3] = getenv("LANGUAGE");
	key[at++] = (char)('0' + category);
	for (i = 0; i < 4; i++) {
		len = field[i] ? strlen(field[i]) + 1 : 1;
		if (at + len > GETTEXT_KEY)
			return 0;
		memcpy(key + at, field[i] ? field[i] : "", len);
		at += len;
	}
	return at;
}

/* Is the call of @key settled?  Or (@add) record that it is */
static int gettext_settled_has(const char *key, size_t len, int add)
{
	int i, found = 0;

	if (!len || __atomic_exchange_n(&gettext_lock, 1, __ATOMIC_ACQUIRE))
		return 0;	/* another thread is at it: not settled */
	for (i = 0; i < gettext_nsettled && !found; i++)
		found = gettext_settled_len[i] == len &&
			!memcmp(gettext_settled[i], key, len);
	if (add && !found && gettext_nsettled < GETTEXT_SETTLED) {
		memcpy(gettext_settled[gettext_nsettled], key, len);
		gettext_settled_len[gettext_nsettled++] = len;
	}
	__atomic_store_n(&gettext_lock, 0, __ATOMIC_RELEASE);
	return found;
}

/*
 * The call of @expr, which returns @untranslated when no catalog has the
 * message: natively when no module wants the calls, for C and POSIX, and
 * when settled; else in trap mode
 */
#define SHIM_GETTEXT(domain, category, untranslated, expr)		\
	do {								\
		char key_[GETTEXT_KEY];					\
		size_t len_;						\
		char *ret_;						\
		int tok_;						\
									\
		if (!shim_trap_wanted(TRAP_SYSFILE) ||			\
		    shim_gettext_c(category))				\
			return expr;					\
		len_ = gettext_key(key_, domain, category);		\
		if (gettext_settled_has(key_, len_, 0))			\
			return expr;					\
		tok_ = shim_trap_enter();				\
		ret_ = expr;						\
		shim_trap_leave(tok_);					\
		if (ret_ && ret_ == (untranslated) &&			\
		    !__atomic_load_n(&gettext_catalog_opened,		\
				     __ATOMIC_RELAXED))			\
			gettext_settled_has(key_, len_, 1);		\
		return ret_;						\
	} while (0)

char *dcgettext(const char *d, const char *m, int c)
{
	char *(*real_)(const char *, const char *, int) =
		SHIM_NEXT(char *(*)(const char *, const char *, int),
			     "dcgettext");

	SHIM_GETTEXT(d, c, (char *)m, real_(d, m, c));
}

char *__dcgettext(const char *d, const char *m, int c)
{
	return dcgettext(d, m, c);
}

char *dgettext(const char *d, const char *m)
{
	return dcgettext(d, m, LC_MESSAGES);
}

char *gettext(const char *m)
{
	return dcgettext(NULL, m, LC_MESSAGES);
}

char *dcngettext(const char *d, const char *m1, const char *m2,
		 unsigned long n, int c)
{
	char *(*real_)(const char *, const char *, const char *,
		       unsigned long, int) =
		SHIM_NEXT(char *(*)(const char *, const char *,
				       const char *, unsigned long, int),
			     "dcngettext");

	SHIM_GETTEXT(d, c, (char *)(n == 1 ? m1 : m2),
		     real_(d, m1, m2, n, c));
}

char *dngettext(const char *d, const char *m1, const char *m2,
		unsigned long n)
{
	return dcngettext(d, m1, m2, n, LC_MESSAGES);
}

char *ngettext(const char *m1, const char *m2, unsigned long n)
{
	return dcngettext(NULL, m1, m2, n, LC_MESSAGES);
}
