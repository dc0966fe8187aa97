// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * preload/shim_sysfiles.c - libc functions that open system files inside
 * libc, in trap mode
 *
 * The login records (utmp, wtmp), the mount and file system tables, the
 * list of shells, locales, message catalogs and iconv's modules, POSIX
 * shared memory and semaphores under /dev/shm, pseudo-terminals: each is
 * a file libc opens (and some write) through its internal calls.  Under
 * --root they are the guest's files, under --ro they must not be written.
 */
#include <fcntl.h>
#include <fstab.h>
#include <iconv.h>
#include <mntent.h>
#include <nl_types.h>
#include <pty.h>
#include <semaphore.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <termios.h>
#include <unistd.h>
#include <utmp.h>
#include <utmpx.h>

#include "shim_trap.h"

/* login records */
TRAP_VOID(setutent, TRAP_SYSFILE, (void), ())
TRAP_RARE(struct utmp *, getutent, TRAP_SYSFILE, (void), ())
TRAP_RARE(struct utmp *, getutid, TRAP_SYSFILE, (const struct utmp *u), (u))
TRAP_RARE(struct utmp *, getutline, TRAP_SYSFILE, (const struct utmp *u), (u))
TRAP_RARE(struct utmp *, pututline, TRAP_SYSFILE, (const struct utmp *u), (u))
TRAP_RARE(int, getutent_r, TRAP_SYSFILE, (struct utmp *b, struct utmp **r), (b, r))
TRAP_RARE(int, getutid_r, TRAP_SYSFILE,
     (const struct utmp *u, struct utmp *b, struct utmp **r), (u, b, r))
TRAP_RARE(int, getutline_r, TRAP_SYSFILE,
     (const struct utmp *u, struct utmp *b, struct utmp **r), (u, b, r))
TRAP_VOID(updwtmp, TRAP_SYSFILE, (const char *f, const struct utmp *u),
	  (f, u))
TRAP_VOID(logwtmp, TRAP_SYSFILE, (const char *l, const char *n,
				  const char *h), (l, n, h))
TRAP_VOID(login, TRAP_SYSFILE, (const struct utmp *u), (u))
TRAP_RARE(int, logout, TRAP_SYSFILE, (const char *l), (l))
TRAP_VOID(setutxent, TRAP_SYSFILE, (void), ())
TRAP_RARE(struct utmpx *, getutxent, TRAP_SYSFILE, (void), ())
TRAP_RARE(struct utmpx *, getutxid, TRAP_SYSFILE, (const struct utmpx *u), (u))
TRAP_RARE(struct utmpx *, getutxline, TRAP_SYSFILE, (const struct utmpx *u), (u))
TRAP_RARE(struct utmpx *, pututxline, TRAP_SYSFILE, (const struct utmpx *u), (u))
TRAP_VOID(updwtmpx, TRAP_SYSFILE, (const char *f, const struct utmpx *u),
	  (f, u))
TRAP_RARE(char *, getlogin, TRAP_SYSFILE, (void), ())
TRAP_RARE(int, getlogin_r, TRAP_SYSFILE, (char *b, size_t n), (b, n))

/* mount and file system tables, the list of shells */
TRAP_RARE(FILE *, setmntent, TRAP_SYSFILE, (const char *f, const char *m), (f, m))
TRAP_RARE(int, setfsent, TRAP_SYSFILE, (void), ())
TRAP_RARE(struct fstab *, getfsent, TRAP_SYSFILE, (void), ())
TRAP_RARE(struct fstab *, getfsspec, TRAP_SYSFILE, (const char *s), (s))
TRAP_RARE(struct fstab *, getfsfile, TRAP_SYSFILE, (const char *f), (f))
TRAP_RARE(char *, getusershell, TRAP_SYSFILE, (void), ())
TRAP_VOID(setusershell, TRAP_SYSFILE, (void), ())

/* message catalogs, iconv's modules (setlocale() and newlocale():
 * shim_locale.c) */
TRAP_RARE(nl_catd, catopen, TRAP_SYSFILE, (const char *n, int f), (n, f))
TRAP_RARE(iconv_t, iconv_open, TRAP_SYSFILE, (const char *t, const char *f),
     (t, f))

/* /dev/shm and pseudo-terminals */
TRAP_RARE(int, shm_open, TRAP_SYSFILE, (const char *n, int f, mode_t m), (n, f, m))
TRAP_RARE(int, shm_unlink, TRAP_SYSFILE, (const char *n), (n))
TRAP_RARE(int, sem_unlink, TRAP_SYSFILE, (const char *n), (n))
TRAP_RARE(int, posix_openpt, TRAP_SYSFILE, (int f), (f))
TRAP_RARE(int, getpt, TRAP_SYSFILE, (void), ())
TRAP_RARE(int, openpty, TRAP_SYSFILE,
     (int *m, int *s, char *n, const struct termios *t,
      const struct winsize *w), (m, s, n, t, w))

/* sem_open(): variadic, the mode and value only with O_CREAT */
sem_t *sem_open(const char *name, int flags, ...)
{
	sem_t *(*real_)(const char *, int, ...) =
		SHIM_NEXT(sem_t *(*)(const char *, int, ...), "sem_open");
	unsigned value = 0;
	mode_t mode = 0;
	sem_t *ret;
	va_list ap;
	int tok;

	if (flags & O_CREAT) {
		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		value = va_arg(ap, unsigned);
		va_end(ap);
	}
	if (!shim_trap_wanted(TRAP_SYSFILE))
		return real_(name, flags, mode, value);
	tok = shim_trap_enter();
	ret = real_(name, flags, mode, value);
	shim_trap_leave(tok);
	return ret;
}
