// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vtrace/vtrace_signal.c - A delivered signal's siginfo, as strace
 *				     shows it, and which signals to show
 *
 * strace prints each signal a tracee is given as
 * "--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=12, ...} ---":
 * the fields after si_code depend on who sent it (si_code <= 0: a process,
 * by kill, tgkill, sigqueue, a POSIX timer) and, for the kernel's own
 * signals, on the signal (a child's status, a faulting address...).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vtrace.h"

#ifndef SI_DETHREAD
#define SI_DETHREAD	(-7)
#endif

/**
 * vtrace_signame() - A signal's name as strace writes it
 * @sig:	Signal number
 * @out:	Buffer, 16 bytes or more
 *
 * Return: @out: "SIGCHLD", "SIGRTMIN", "SIGRT_3", or the number
 */
const char *vtrace_signame(int sig, char *out)
{
	const char *name = facet_xlat_name("signal", (unsigned long)sig);

	if (name)
		return name;
	if (sig == 32)
		return "SIGRTMIN";
	if (sig > 32 && sig <= 64)
		snprintf(out, 16, "SIGRT_%d", sig - 32);
	else
		snprintf(out, 16, "%d", sig);
	return out;
}

/* si_code of the kernel's own signals, by signal; NULL if unknown */
static const char *vtrace_si_code_kernel(int sig, int code)
{
	static const char *const chld[] = { NULL, "CLD_EXITED", "CLD_KILLED",
		"CLD_DUMPED", "CLD_TRAPPED", "CLD_STOPPED", "CLD_CONTINUED" };
	static const char *const segv[] = { NULL, "SEGV_MAPERR",
		"SEGV_ACCERR", "SEGV_BNDERR", "SEGV_PKUERR" };
	static const char *const bus[] = { NULL, "BUS_ADRALN", "BUS_ADRERR",
		"BUS_OBJERR", "BUS_MCEERR_AR", "BUS_MCEERR_AO" };
	static const char *const ill[] = { NULL, "ILL_ILLOPC", "ILL_ILLOPN",
		"ILL_ILLADR", "ILL_ILLTRP", "ILL_PRVOPC", "ILL_PRVREG",
		"ILL_COPROC", "ILL_BADSTK" };
	static const char *const fpe[] = { NULL, "FPE_INTDIV", "FPE_INTOVF",
		"FPE_FLTDIV", "FPE_FLTOVF", "FPE_FLTUND", "FPE_FLTRES",
		"FPE_FLTINV", "FPE_FLTSUB" };
	static const char *const trap[] = { NULL, "TRAP_BRKPT", "TRAP_TRACE",
		"TRAP_BRANCH", "TRAP_HWBKPT" };
	static const char *const poll[] = { NULL, "POLL_IN", "POLL_OUT",
		"POLL_MSG", "POLL_ERR", "POLL_PRI", "POLL_HUP" };
	const char *const *t = NULL;
	int n = 0;

#define VTRACE_CODES(a)	(t = (a), n = (int)(sizeof(a) / sizeof((a)[0])))
	switch (sig) {
	case SIGCHLD: VTRACE_CODES(chld); break;
	case SIGSEGV: VTRACE_CODES(segv); break;
	case SIGBUS: VTRACE_CODES(bus); break;
	case SIGILL: VTRACE_CODES(ill); break;
	case SIGFPE: VTRACE_CODES(fpe); break;
	case SIGTRAP: VTRACE_CODES(trap); break;
	case SIGPOLL: VTRACE_CODES(poll); break;
	case SIGSYS: return code == 1 ? "SYS_SECCOMP" : NULL;
	}
#undef VTRACE_CODES
	return t && code > 0 && code < n ? t[code] : NULL;
}

/* si_code's name, as strace's: SI_USER, CLD_EXITED, SEGV_MAPERR... */
static void vtrace_si_code(struct vtrace_buf *b, int sig, int code)
{
	const char *name = NULL;

	switch (code) {
	case SI_USER: name = "SI_USER"; break;
	case SI_KERNEL: name = "SI_KERNEL"; break;
	case SI_QUEUE: name = "SI_QUEUE"; break;
	case SI_TIMER: name = "SI_TIMER"; break;
	case SI_MESGQ: name = "SI_MESGQ"; break;
	case SI_ASYNCIO: name = "SI_ASYNCIO"; break;
	case SI_SIGIO: name = "SI_SIGIO"; break;
	case SI_TKILL: name = "SI_TKILL"; break;
	case SI_DETHREAD: name = "SI_DETHREAD"; break;
	case SI_ASYNCNL: name = "SI_ASYNCNL"; break;
	default: name = vtrace_si_code_kernel(sig, code); break;
	}
	if (name)
		vtrace_buf_printf(b, ", si_code=%s", name);
	else
		vtrace_buf_printf(b, ", si_code=%d", code);
}

static void vtrace_si_addr(struct vtrace_buf *b, const char *key, void *p)
{
	if (p)
		vtrace_buf_printf(b, ", %s=%p", key, p);
	else
		vtrace_buf_printf(b, ", %s=NULL", key);
}

/* The sender of a signal from a process, and its value if it has one */
static void vtrace_si_user(struct vtrace_buf *b, const siginfo_t *si)
{
	switch (si->si_code) {
	case SI_TIMER:
		vtrace_buf_printf(b, ", si_timerid=%#x, si_overrun=%d",
				  (unsigned)si->si_timerid, si->si_overrun);
		break;
	case SI_SIGIO:
		vtrace_buf_printf(b, ", si_band=%ld, si_fd=%d", si->si_band,
				  si->si_fd);
		return;
	default:
		vtrace_buf_printf(b, ", si_pid=%d, si_uid=%u", si->si_pid,
				  (unsigned)si->si_uid);
		if (si->si_code != SI_QUEUE && si->si_code != SI_MESGQ)
			return;
	}
	vtrace_buf_printf(b, ", si_int=%d", si->si_int);
	vtrace_si_addr(b, "si_ptr", si->si_ptr);
}

/* A time in clock ticks, and in seconds when not 0: "1 / * 0.01 s * /" */
static void vtrace_clock_t(struct vtrace_buf *b, const char *key, long t)
{
	long hz = sysconf(_SC_CLK_TCK);

	vtrace_buf_printf(b, ", %s=%ld", key, t);
	if (t && hz == 100)
		vtrace_buf_printf(b, " /* %ld.%02ld s */", t / hz, t % hz);
	else if (t && hz > 0)
		vtrace_buf_printf(b, " /* %g s */", (double)t / hz);
}

/* The fields of a signal the kernel raised itself (si_code > 0) */
static void vtrace_si_kernel(struct vtrace_buf *b, const siginfo_t *si)
{
	char name[16];

	switch (si->si_signo) {
	case SIGCHLD:
		vtrace_buf_printf(b, ", si_pid=%d, si_uid=%u, si_status=",
				  si->si_pid, (unsigned)si->si_uid);
		if (si->si_code == CLD_EXITED)
			vtrace_buf_printf(b, "%d", si->si_status);
		else
			vtrace_buf_puts(b, vtrace_signame(si->si_status, name));
		vtrace_clock_t(b, "si_utime", si->si_utime);
		vtrace_clock_t(b, "si_stime", si->si_stime);
		break;
	case SIGILL: case SIGFPE: case SIGSEGV: case SIGBUS: case SIGTRAP:
		vtrace_si_addr(b, "si_addr", si->si_addr);
		break;
	case SIGPOLL:
		vtrace_buf_printf(b, ", si_band=%ld, si_fd=%d", si->si_band,
				  si->si_fd);
		break;
	case SIGSYS: {
		const struct facet_syscall *sc = facet_syscall(si->si_syscall);

		vtrace_si_addr(b, "si_call_addr", si->si_call_addr);
		if (sc)
			vtrace_buf_printf(b, ", si_syscall=__NR_%s", sc->name);
		else
			vtrace_buf_printf(b, ", si_syscall=%d",
					  si->si_syscall);
		vtrace_buf_printf(b, ", si_arch=%s", si->si_arch == 0xc000003e ?
				  "AUDIT_ARCH_X86_64" : "AUDIT_ARCH_I386");
		break;
	}
	default:	/* SI_KERNEL's (alarm()'s SIGALRM) have neither */
		if (si->si_pid || si->si_uid)
			vtrace_buf_printf(b, ", si_pid=%d, si_uid=%u",
					  si->si_pid, (unsigned)si->si_uid);
		break;
	}
}

/**
 * vtrace_siginfo() - Append a siginfo as strace shows it
 * @b:		Buffer
 * @si:		The kernel's siginfo
 *
 * "{si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=12, si_uid=0,
 * si_status=0, si_utime=0, si_stime=0}"
 */
void vtrace_siginfo(struct vtrace_buf *b, const siginfo_t *si)
{
	char name[16];

	vtrace_buf_printf(b, "{si_signo=%s", vtrace_signame(si->si_signo,
							      name));
	vtrace_si_code(b, si->si_signo, si->si_code);
	if (si->si_errno) {
		const char *e = vtrace_errname(si->si_errno);

		if (e)
			vtrace_buf_printf(b, ", si_errno=%s", e);
		else
			vtrace_buf_printf(b, ", si_errno=%d", si->si_errno);
	}
	if (si->si_code <= 0)
		vtrace_si_user(b, si);
	else
		vtrace_si_kernel(b, si);
	vtrace_buf_puts(b, "}");
}

/* One signal by name (SIGCHLD, CHLD, RTMIN, SIGRT_3) or number; 0 if none */
static int vtrace_signal_nr(const char *name)
{
	char buf[16], full[40];
	int sig;

	if (name[0] >= '0' && name[0] <= '9') {
		sig = atoi(name);
		return sig > 0 && sig <= 64 ? sig : 0;
	}
	snprintf(full, sizeof(full), "%s%s", strncmp(name, "SIG", 3) ? "SIG" :
		 "", name);
	for (sig = 1; sig <= 64; sig++)
		if (!strcmp(full, vtrace_signame(sig, buf)))
			return sig;
	return 0;
}

/**
 * vtrace_filter_signals() - Which signals' deliveries to show
 * @want:	Per signal number 1..64, set to 1 if shown
 * @spec:	strace's -e signal= set: names or numbers, "all", "none",
 *		a leading '!' for the complement
 * @err:	Error message
 *
 * Return: 0 or -EINVAL
 */
int vtrace_filter_signals(uint8_t *want, const char *spec,
			  struct facet_err *err)
{
	int neg = spec[0] == '!', sig;
	const char *p;
	char item[32];
	size_t n;

	memset(want, neg, 65);
	for (p = spec + neg; *p; p += n + (p[n] == ',')) {
		n = strcspn(p, ",");
		if (!n)
			continue;
		snprintf(item, sizeof(item), "%.*s", (int)n, p);
		if (!strcmp(item, "all") || !strcmp(item, "none")) {
			memset(want, (item[0] == 'a') != neg, 65);
			continue;
		}
		sig = vtrace_signal_nr(item);
		if (!sig)
			return facet_err_set(err, EINVAL, "vtrace: '%s' is not "
					     "a signal (SIGCHLD, CHLD, 17)",
					     item);
		want[sig] = !neg;
	}
	return 0;
}
