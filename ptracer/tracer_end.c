// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * ptracer/tracer_end.c - When a signal to facet ends the whole view
 *
 * DOC: Ending a run
 *
 * facet waits for every process of the view, also those the command left
 * behind (a server started with '&'), so that none runs on outside the
 * view.  A termination signal sent to facet (SIGTERM from kill or
 * timeout(1), SIGINT from Ctrl-C) goes on to the command as before; once
 * the command has ended, it also ends what is left of the view: SIGTERM
 * to every remaining process, SIGKILL to those still there after
 * TRACER_END_GRACE_MS.  Without that, `timeout 10 facet run -- sh -c
 * 'server & ...'` never returned, and neither did a Ctrl-C'd facet whose
 * command had left a process ignoring SIGINT (a shell's background job).
 * Signals that count: SIGTERM, SIGINT and SIGQUIT sent to facet while
 * the command runs (one the terminal sent the whole process group reached
 * the command already: it counts only if the command is killed by a
 * signal), and SIGHUP too once the command has ended (while it runs it
 * often means "reload").  Used by the ptracer's loop and by preload's
 * keeper.
 */
#include <signal.h>
#include <stdint.h>
#include <time.h>

#include "tracer.h"

/* Set by tracer_end_note(), read by the waiting loops */
volatile sig_atomic_t tracer_end_asked;
/* Set by the waiting loop when the command ended */
volatile sig_atomic_t tracer_command_ended;

/**
 * tracer_end_note() - A forwarded signal arrived (in a signal handler)
 * @sig:	The signal
 * @si:		Its siginfo
 * @ended:	The command has ended already
 */
void tracer_end_note(int sig, const siginfo_t *si, int ended)
{
	int terminating = sig == SIGTERM || sig == SIGINT || sig == SIGQUIT;

	if (ended ? terminating || sig == SIGHUP :
		    terminating && si->si_code != SI_KERNEL)
		tracer_end_asked = 1;
	else if (terminating && !tracer_end_asked)
		tracer_end_asked = 2;	/* counts if the command dies of it */
}

/**
 * tracer_end_due() - Is the view to be ended now?
 * @ended:	The command has ended
 * @by_signal:	...killed by a signal
 */
int tracer_end_due(int ended, int by_signal)
{
	return ended && (tracer_end_asked == 1 ||
			 (tracer_end_asked == 2 && by_signal));
}

/**
 * tracer_end_sa_flags() - sigaction() flags for forwarding @sig: the
 * termination signals interrupt a wait (no SA_RESTART), so the loop sees
 * tracer_end_asked
 */
int tracer_end_sa_flags(int sig)
{
	return SA_SIGINFO | (sig == SIGHUP || sig == SIGINT ||
			     sig == SIGQUIT || sig == SIGTERM ?
			     0 : SA_RESTART);
}

/* Milliseconds of CLOCK_MONOTONIC, for the grace period's deadline */
int64_t tracer_end_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
