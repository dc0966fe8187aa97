// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * ptracer/tracer_status.c - facet ends as its command ended
 *
 * DOC: facet's own end
 *
 * A command that exits with N makes facet exit with N.  A command killed
 * by signal N makes facet end by signal N too, as strace does, not exit
 * with 128+N: a shell reports 128+N either way, but what waits for facet
 * sees a death by a signal, as it would have without facet.  That matters
 * to shells: bash puts back the terminal's settings a job killed by a
 * signal left behind (a full-screen program killed in raw mode) but keeps
 * those of a job that exited, and a script whose foreground job died of
 * SIGINT (Ctrl-C) stops, where one whose job exited with 130 goes on with
 * its next command.  The command dumped its core if it had one to dump;
 * facet dumps none of its own.  Used by facet and by preload's keeper.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "tracer.h"

/* The signal that killed the command, set with its exit code */
static int tracer_status_signal;

/**
 * tracer_status_code() - The exit code of the command's wait status
 * @status:	The command's wait status
 *
 * Return: its exit status, or 128+N for signal N, as shells report it
 */
int tracer_status_code(int status)
{
	if (WIFSIGNALED(status)) {
		tracer_status_signal = WTERMSIG(status);
		return 128 + WTERMSIG(status);
	}
	tracer_status_signal = 0;
	return WEXITSTATUS(status);
}

/*
 * End by @sig, with its default action and no core dump: an RLIMIT_CORE of
 * 1 is below any ELF core file, and the kernel reads it as "none" for a
 * core_pattern pipe as well.
 */
static void tracer_status_die_by(int sig)
{
	struct rlimit core;
	sigset_t set;

	if (getrlimit(RLIMIT_CORE, &core) == 0 && core.rlim_max > 0) {
		core.rlim_cur = 1;
		setrlimit(RLIMIT_CORE, &core);
	}
	prctl(PR_SET_DUMPABLE, 0);
	fflush(NULL);
	signal(sig, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);
}

/**
 * tracer_status_end() - End facet with the command's status
 * @code:	facet's exit status, from tracer_status_code() or another
 *
 * Ends facet by the command's signal when @code is the one it gave for
 * it; otherwise (and if the signal did not end facet) returns @code.
 */
int tracer_status_end(int code)
{
	if (tracer_status_signal > 0 && code == 128 + tracer_status_signal)
		tracer_status_die_by(tracer_status_signal);
	return code;
}
