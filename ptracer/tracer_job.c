// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * ptracer/tracer_job.c - facet stops when its command stops
 *
 * DOC: Job control through facet
 *
 * The shell that started facet waits for facet, not for the command, so it
 * sees a stop only if facet stops.  A stop sent to the whole foreground
 * process group (Ctrl-Z, SIGTTIN, kill %1) stops facet with the command;
 * but a command that stops itself alone (kill -STOP $$, bash's suspend,
 * which stops only the process group of the inner shell) left facet
 * running and the shell waiting, its terminal given to a stopped process:
 * nothing typed went anywhere.  So when the command stops, facet stops
 * too, with the same signal, and the shell shows the job stopped and
 * takes the terminal back.  When facet is continued (fg), it gives the
 * terminal back to the process group the command had in the foreground,
 * and continues the command, as the shell's fg would have without facet.
 *
 * Only where facet started in the foreground of its terminal: a facet in
 * a script or in the background keeps running while its command is
 * stopped, and whoever stopped the command continues it.  A stop that
 * reached facet too is not followed a second time: the ptracer sees the
 * command's group-stop after facet is continued, and the count of SIGCONTs
 * facet got tells it the stop is over.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../core/procfs.h"
#include "tracer.h"

static int job_tty = -1;		/* facet's terminal, if in its foreground */
static volatile sig_atomic_t job_conts;	/* SIGCONTs facet got */
static sig_atomic_t job_conts_at_stop;	/* ...when the command's stop came */

static void job_continued(int sig)
{
	(void)sig;
	job_conts++;
}

/**
 * tracer_job_note_caller() - Is facet in the foreground of a terminal?
 *
 * Called first thing (before facet's own descriptors are opened): facet
 * follows its command's stops only then.
 */
void tracer_job_note_caller(void)
{
	struct sigaction sa;
	int fd;

	for (fd = 0; fd <= 2; fd++)
		if (isatty(fd) && tcgetpgrp(fd) == getpgrp())
			break;
	if (fd > 2)
		return;
	job_tty = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = job_continued;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGCONT, &sa, NULL);
}

/**
 * tracer_job_stopping() - The command is being delivered stop signal
 * (before its group-stop is reported)
 */
void tracer_job_stopping(void)
{
	job_conts_at_stop = job_conts;
}

/**
 * tracer_job_still_stopped() - Is @pid (a child, not traced) stopped now?
 * A stop that reached facet too is over by the time facet reads it.
 */
int tracer_job_still_stopped(pid_t pid)
{
	char buf[256], *p;

	if (facet_procfs_read(pid, "stat", buf, sizeof(buf)) <= 0)
		return 0;
	p = strrchr(buf, ')');
	return p && p[1] == ' ' && p[2] == 'T';
}

/**
 * tracer_job_cont_pending() - Has @tid a SIGCONT pending?
 *
 * A stop signal held at a signal-delivery stop while a SIGCONT came (the
 * terminal's Ctrl-Z, then fg, while facet itself was stopped) must not
 * stop the process once delivered: natively the SIGCONT discards a stop
 * signal not yet delivered.  (Natively nothing held it: a handler for it,
 * such as vim's, which stops vim with the default action, would have run
 * before the SIGCONT; run after it, it stopped the job again right after
 * fg.)  A traced process keeps the SIGCONT pending, which tells.
 */
int tracer_job_cont_pending(pid_t tid)
{
	/* SigPnd and ShdPnd come after Groups:, a long line for a user of
	 * many groups */
	char buf[16384], *p;
	unsigned long long mask;
	int i;

	if (facet_procfs_read(tid, "status", buf, sizeof(buf)) <= 0)
		return 0;
	for (i = 0; i < 2; i++) {
		p = strstr(buf, i ? "\nShdPnd:" : "\nSigPnd:");
		if (p && sscanf(p + 8, "%llx", &mask) == 1 &&
		    (mask & (1ULL << (SIGCONT - 1))))
			return 1;
	}
	return 0;
}

/* Stop facet with @sig, or SIGSTOP where facet does not stop on @sig */
static void job_stop_self(int sig)
{
	struct sigaction old;

	if (sig != SIGSTOP &&
	    (sigaction(sig, NULL, &old) < 0 || old.sa_handler != SIG_DFL))
		sig = SIGSTOP;
	fflush(NULL);
	kill(getpid(), sig);	/* returns once facet is continued */
}

/**
 * tracer_job_stopped() - The command @pid stopped by @sig: facet stops too
 * @pid:	The command
 * @sig:	The stop signal
 * @since_stopping: whether to skip it if facet was continued since
 *		tracer_job_stopping() (the stop is over already)
 */
void tracer_job_stopped(pid_t pid, int sig, int since_stopping)
{
	pid_t fg, group = getpgid(pid);
	sigset_t ttou, old;

	if (job_tty < 0 || (since_stopping && job_conts != job_conts_at_stop))
		return;
	fg = tcgetpgrp(job_tty);
	job_stop_self(sig);
	/*
	 * fg gave the terminal to facet's group: the command had another.
	 * SIGTTOU blocked: preload's keeper and facet both get here, and
	 * the second may find the first has given the terminal away.
	 */
	sigemptyset(&ttou);
	sigaddset(&ttou, SIGTTOU);
	pthread_sigmask(SIG_BLOCK, &ttou, &old);
	if (fg > 0 && fg != getpgrp() && tcgetpgrp(job_tty) == getpgrp())
		tcsetpgrp(job_tty, fg);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (group > 0 && group != getpgrp() && group == fg)
		kill(-group, SIGCONT);
	else
		kill(pid, SIGCONT);
	job_conts_at_stop = job_conts;
}
