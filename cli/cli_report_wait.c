// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * cli/cli_report_wait.c - How a child ended, from its parent's wait4/waitid
 *
 * DOC: Theory of operation
 *
 * A trace has an "exit" record for each process facet saw end, but not
 * always: under --backend preload a child killed by a signal and reaped by
 * its own parent runs no more code and has none (docs/trace-format.md).
 * Its parent's wait4() or waitid() says how it ended all the same:
 *
 *   wait4(-1, [{WIFSIGNALED(s) && WTERMSIG(s) == SIGSEGV}], 0, NULL) = 4333
 *   waitid(P_ALL, 0, {si_signo=SIGCHLD, si_code=CLD_KILLED, si_pid=4333,
 *          ..., si_status=SIGSEGV, ...}, WEXITED, NULL) = 0
 *
 * That status is taken for a process without an exit record; an exit
 * record, before or after, wins.  Stopped and continued children (WUNTRACED,
 * WCONTINUED) did not end and are left alone.
 */
#include <stdlib.h>
#include <string.h>

#include "cli_report.h"
#include "cli_report_json.h"

/* Argument @i of the call as a string, or NULL */
static const char *wait_arg(struct json_object *o, size_t i)
{
	struct json_object *args = report_rec_get(o, "args", json_type_array);
	struct json_object *a;

	if (!args || i >= sym_json_object_array_length(args))
		return NULL;
	a = sym_json_object_array_get_idx(args, i);
	return sym_json_object_is_type(a, json_type_string)
		       ? sym_json_object_get_string(a)
		       : NULL;
}

/* The word after @key in @s ("SIGSEGV", "7"), into @buf; false if none */
static bool wait_word(const char *s, const char *key, char *buf, size_t len)
{
	const char *p = strstr(s, key);
	size_t n;

	if (!p)
		return false;
	p += strlen(key);
	n = strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789");
	if (!n || n >= len)
		return false;
	memcpy(buf, p, n);
	buf[n] = '\0';
	return true;
}

/* Mark process @pid as ended with @sig (a name) or exit status @status */
static int wait_ended(struct report_trace *t, int pid, const char *sig,
		      int status, double rel)
{
	struct report_proc *p;

	if (pid <= 0)
		return 0;
	p = report_rec_proc(t, pid, rel);
	if (!p)
		return -1;
	if (p->exited)
		return 0;
	p->exited = true;
	p->status = status;
	p->signal = sig ? strdup(sig) : NULL;
	return sig && !p->signal ? -1 : 0;
}

/**
 * report_record_wait() - Learn how a child ended from a wait call's record
 * @t:		Trace
 * @o:		A syscall record that returned
 * @name:	Its syscall name
 * @rel:	Its start, seconds since the start of the trace
 *
 * Return: 0, or -1 when out of memory
 */
int report_record_wait(struct report_trace *t, struct json_object *o,
		       const char *name, double rel)
{
	char word[32];
	const char *s;
	int pid;

	if (!strcmp(name, "wait4")) {
		pid = (int)report_rec_num(o, "ret", 0);
		s = wait_arg(o, 1);
		if (!s)
			return 0;
		if (wait_word(s, "WTERMSIG(s) == ", word, sizeof(word)))
			return wait_ended(t, pid, word, 0, rel);
		if (wait_word(s, "WEXITSTATUS(s) == ", word, sizeof(word)))
			return wait_ended(t, pid, NULL, atoi(word), rel);
		return 0;
	}
	if (!strcmp(name, "waitid")) {
		s = wait_arg(o, 2);
		if (!s || !wait_word(s, "si_pid=", word, sizeof(word)))
			return 0;
		pid = atoi(word);
		if (strstr(s, "si_code=CLD_EXITED") &&
		    wait_word(s, "si_status=", word, sizeof(word)))
			return wait_ended(t, pid, NULL, atoi(word), rel);
		if ((strstr(s, "si_code=CLD_KILLED") ||
		     strstr(s, "si_code=CLD_DUMPED")) &&
		    wait_word(s, "si_status=", word, sizeof(word)))
			return wait_ended(t, pid, word, 0, rel);
	}
	return 0;
}
