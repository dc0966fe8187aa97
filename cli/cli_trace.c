// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * cli/cli_trace.c - `facet trace`: `facet run` with vtrace first, and
 *		      strace's short options
 *
 * The trace options are taken out of the command line and given to the
 * vtrace module; everything else (--backend, -m, --bind, --time...) goes
 * to `facet run`'s parser unchanged, so tracing combines with any view.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "cli.h"
#include "../ptracer/tracer.h"

/**
 * struct cli_trace_opt - A `facet trace` option and its vtrace option
 * @flag:	"-o", "--output"
 * @key:	vtrace option key
 * @value:	Fixed value for a switch (NULL: takes a value; "" no value)
 */
struct cli_trace_opt {
	const char *flag, *key, *value;
};

static const struct cli_trace_opt cli_trace_opts[] = {
	{ "-o", "output", NULL }, { "--output", "output", NULL },
	{ "-s", "strsize", NULL }, { "--string-limit", "strsize", NULL },
	{ "-e", "filter", NULL }, { "--filter", "filter", NULL },
	{ "--format", "format", NULL },
	{ "-c", "summary", "only" }, { "--summary", "summary", "only" },
	{ "-C", "summary", "also" }, { "--summary-also", "summary", "also" },
	{ "-S", "summary-sort-by", NULL },
	{ "--summary-sort-by", "summary-sort-by", NULL },
	{ "-U", "summary-columns", NULL },
	{ "--summary-columns", "summary-columns", NULL },
	{ "-w", "summary-time", "wall" },
	{ "--summary-wall-clock", "summary-time", "wall" },
	{ "-t", "timestamps", "t" }, { "-tt", "timestamps", "tt" },
	{ "-ttt", "timestamps", "ttt" }, { "-r", "timestamps", "r" },
	{ "--timestamps", "timestamps", NULL },
	{ "-T", "durations", "" }, { "--durations", "durations", "" },
	{ "--per-process", "per-process", "" },
	{ "--per-thread", "per-thread", "" }, { "-ff", "per-thread", "" },
	{ "-k", "stack", "" },
	{ "-qq", "quiet", "exit" }, { "-qqq", "quiet", "all" },
	{ "-z", "status", "successful" },
	{ "--successful-only", "status", "successful" },
	{ "-Z", "status", "failed" }, { "--failed-only", "status", "failed" },
	{ "--trace", "filter", NULL }, { "--signal", "signals", NULL },
	{ "--status", "status", NULL },
	{ "--quiet", "quiet", NULL }, { "--silent", "quiet", NULL },
	{ "--silence", "quiet", NULL },
	{ "-x", "strings-in-hex", "non-ascii" },
	{ "-xx", "strings-in-hex", "all" },
	{ "--strings-in-hex", "strings-in-hex", NULL },
	{ "-y", "decode-fds", "path" }, { "-yy", "decode-fds", "all" },
	{ "--decode-fds", "decode-fds", NULL },
	{ "-a", "columns", NULL }, { "--columns", "columns", NULL },
	{ "-P", "trace-path", NULL }, { "--trace-path", "trace-path", NULL },
	{ "-b", "detach-on", NULL }, { "--detach-on", "detach-on", NULL },
	{ "-n", "syscall-number", "" },
	{ "-i", "instruction-pointer", "" },
	{ "--instruction-pointer", "instruction-pointer", "" },
	{ "--syscall-number", "syscall-number", "" },
	{ "-v", "abbrev", "none" }, { "--no-abbrev", "abbrev", "none" },
	{ NULL, NULL, NULL },
};

/*
 * strace options facet trace does not have, each with why: said in one
 * line (status 125) rather than "unknown option"
 */
static const struct cli_trace_opt cli_trace_refused[] = {
	{ "-X", "-X (constants raw or verbose) is not supported: facet "
	  "shows constants as strace's default, -X abbrev", NULL },
	{ "--const-print-style", "--const-print-style is not supported: "
	  "facet shows constants as strace's default (abbrev)", NULL },
	{ "-D", "-D (tracer as a detached process) is not supported: the "
	  "facet supervisor is the command's parent", NULL },
	{ "-DD", "-DD is not supported: the facet supervisor is the "
	  "command's parent", NULL },
	{ "-DDD", "-DDD is not supported: the facet supervisor is the "
	  "command's parent", NULL },
	{ "--daemonize", "--daemonize is not supported: the facet "
	  "supervisor is the command's parent", NULL },
	{ "-I", "-I (strace's own signal blocking) is not supported: facet "
	  "passes SIGINT, SIGTERM, SIGHUP and SIGQUIT on to the command",
	  NULL },
	{ "--interruptible", "--interruptible is not supported: facet "
	  "passes SIGINT, SIGTERM, SIGHUP and SIGQUIT on to the command",
	  NULL },
	{ "-u", "-u USER (run the command as another user) is not "
	  "supported: run facet itself as that user (setpriv, su)", NULL },
	{ "--user", "--user is not supported: run facet itself as that user "
	  "(setpriv, su)", NULL },
	{ "-O", "-O (overhead for -c) is not supported", NULL },
	{ "-A", "-A (append to -o FILE) is not supported", NULL },
	{ NULL, NULL, NULL },
};

/* `facet run` options that take a value, passed on with it */
static const char *const cli_trace_run_valued[] = {
	"--backend", "-m", "--module", "--profile", "--log-level", NULL,
};

static void cli_trace_usage(void)
{
	printf("Usage: facet trace [OPTIONS] [--] COMMAND [ARG...]\n"
	       "       facet trace [OPTIONS] -p PID [-p PID...] [[--] COMMAND "
	       "[ARG...]]\n\n"
	       "Run COMMAND as 'facet run' does and record its system calls\n"
	       "(every process and thread, as strace -f).\n\n"
	       "  -p, --attach PID      also trace process PID, running "
	       "already, until it\n"
	       "                        ends or facet gets SIGINT/SIGTERM "
	       "(then it runs on\n"
	       "                        untraced); with -f all its threads "
	       "and new children;\n"
	       "                        no view options, ptrace backend only\n"
	       "  -o, --output FILE     write the trace to FILE (default: "
	       "stderr)\n"
	       "  --format, --trace-format text|jsonl|perfetto\n"
	       "                        strace-like lines, JSON lines, or "
	       "Chrome/Perfetto\n"
	       "                        trace events (ui.perfetto.dev)\n"
	       "  -e, --filter LIST     classes (file,net,process,desc,memory,"
	       "signal,ipc,\n"
	       "                        creds,clock,timer, also %%file), "
	       "syscall names,\n"
	       "                        /REGEX, !NAME to leave out, "
	       "?NAME if it may not exist\n"
	       "  -s N                  bytes shown of strings and buffers "
	       "(32)\n"
	       "  -t, -tt, -ttt, -r     time of day, with microseconds, "
	       "epoch seconds,\n"
	       "                        or time since the previous call\n"
	       "  -T, --durations       time spent in each call\n"
	       "  -c, --summary         a table per syscall instead of the "
	       "trace (-C: after it)\n"
	       "  -w                    --summary: wall time in the calls, "
	       "not system time\n"
	       "  -S, --summary-sort-by time|calls|errors|name|min-time|"
	       "max-time|avg-time|nothing\n"
	       "                        --summary: the table's order (time)\n"
	       "  -U, --summary-columns LIST\n"
	       "                        --summary: its columns, of "
	       "time-percent, total-time,\n"
	       "                        min-time, max-time, avg-time, calls, "
	       "errors, name\n"
	       "  --per-process         one file per process: FILE.PID\n"
	       "  --per-thread, -ff     one file per thread: FILE.TID, as "
	       "strace -ff\n"
	       "  -f                    accepted: the command's processes are "
	       "always followed\n"
	       "  -q                    no \"Process N attached\" messages "
	       "(-p)\n"
	       "  -qq, --quiet=exit     no \"+++ exited with N +++\" lines\n"
	       "  -x, -xx               strings with non-ASCII bytes, or all, "
	       "in \\xNN escapes\n"
	       "  -y, --decode-fds=path fds with their path (3</etc/passwd>)\n"
	       "  -yy, --decode-fds=all also sockets' endpoints (TCP:[1.2.3.4:"
	       "80->...]),\n"
	       "                        devices' numbers (/dev/null<char 1:3>)\n"
	       "  -n, --syscall-number  each line starts with its call's "
	       "number: [ 257]\n"
	       "  -i                    each line starts with the instruction "
	       "pointer at the\n"
	       "                        call, [00007f69fdf05ad7] (ptrace "
	       "backend)\n"
	       "  -a COLUMN             align \" = \" to COLUMN (40)\n"
	       "  -P PATH               only calls that touch PATH, by name or "
	       "fd (repeatable)\n"
	       "  -e read=FDS, -e write=FDS\n"
	       "                        hex dumps of the data read from, "
	       "written to FDS\n"
	       "  -e raw=SET            these calls' arguments and result in "
	       "hex, undecoded\n"
	       "  -v, --no-abbrev       structures in full (stat, statx, "
	       "execve's environment,\n"
	       "                        getdents64's entries, termios, "
	       "rusage, utsname), arrays\n"
	       "                        not cut at -s elements; -e abbrev=SET: "
	       "only SET abbreviated\n"
	       "  -b execve             stop recording a process at its "
	       "execve (but the first)\n"
	       "  -E VAR=VAL, -E VAR    set, unset VAR in the command's "
	       "environment\n"
	       "  --seccomp-bpf         accepted: facet always filters with "
	       "seccomp\n"
	       "  -z, -Z                only calls that succeeded, failed "
	       "(-e status=LIST)\n"
	       "  -e signal=SET         signals whose delivery is shown "
	       "(all, none, !SET)\n"
	       "  --stack, -k           a stack trace per call, with functions "
	       "and source\n"
	       "                        lines (libunwind, libdw)\n\n"
	       "Other options are those of 'facet run' (see facet run "
	       "--help): -m, --bind,\n"
	       "--net, --time...; the trace shows what the command asked for "
	       "and what it\nfinally got.  Tracing uses the ptrace backend "
	       "(strace's view, every call);\n--backend preload records "
	       "inside the processes, much faster, without\nthe dynamic "
	       "loader's calls and signal deliveries "
	       "(docs/trace-format.md).\n");
}

static const struct cli_trace_opt *cli_trace_find(const char *name)
{
	const struct cli_trace_opt *t;

	for (t = cli_trace_opts; t->flag; t++)
		if (!strcmp(t->flag, name))
			return t;
	return NULL;
}

static int cli_trace_run_valued_opt(const char *name)
{
	int i;

	for (i = 0; cli_trace_run_valued[i]; i++)
		if (!strcmp(cli_trace_run_valued[i], name))
			return 1;
	for (i = 0; cli_flags[i].flag; i++)
		if (!strcmp(cli_flags[i].flag, name))
			return cli_flags[i].has_arg;
	return 0;
}

/* A trace option: its value after '=', attached (-s64) or next */
static int cli_trace_take(const struct cli_trace_opt *t, const char *a,
			  int argc, char **argv, int *i, const char **val)
{
	const char *eq = strchr(a, '=');

	if (t->value) {
		if (eq)
			cli_die("%s takes no value: see 'facet trace --help'",
				t->flag);
		*val = t->value[0] ? t->value : NULL;
		return 0;
	}
	if (eq) {
		*val = eq + 1;
		return 0;
	}
	if (*i + 1 >= argc || !strcmp(argv[*i + 1], "--"))	/* as run_value() */
		cli_die("%s needs a value: see 'facet trace --help'", a);
	*val = argv[++*i];
	return 0;
}

/* -oFILE, -s64, -efile: strace's attached short values */
static const struct cli_trace_opt *cli_trace_short(const char *a,
						   const char **val)
{
	static const char attached[] = "oseaPbESU";
	char flag[3] = { '-', a[1], '\0' };

	if (a[0] != '-' || !a[1] || a[1] == '-' || !a[2] ||
	    !strchr(attached, a[1]))
		return NULL;
	*val = a + 2;
	return cli_trace_find(flag);
}

/* An strace option facet does not have: one line saying why */
static void cli_trace_refuse(const char *name)
{
	const struct cli_trace_opt *t;

	for (t = cli_trace_refused; t->flag; t++)
		if (!strcmp(t->flag, name) ||
		    (t->flag[1] != '-' && !strncmp(t->flag, name, 2) &&
		     strlen(t->flag) == 2 && name[2] &&
		     strchr("pIuDOX", name[1])))	/* -p123, -Xraw */
			cli_die("%s", t->key);
}

/*
 * Is @a the option @s (-X) or @l (--long), which take a value: 1 with the
 * value in *@val (after '=', attached to -X, or the next argument; NULL
 * if there is none), else 0
 */
static int cli_trace_valued(const char *a, const char *s, const char *l,
			    int argc, char **argv, int *i, const char **val)
{
	size_t ll = strlen(l);

	if (!strncmp(a, l, ll) && a[ll] == '=')
		*val = a + ll + 1;
	else if (!strcmp(a, s) || !strcmp(a, l))
		*val = *i + 1 < argc ? argv[++*i] : NULL;
	else if (!strncmp(a, s, 2) && a[2])
		*val = a + 2;
	else
		return 0;
	return 1;
}

/*
 * -E VAR=VAL, -E VAR (--env=): the command's environment, as strace; set
 * in facet's own, which the command inherits.  Return: 1 if it was one
 */
static int cli_trace_env(const char *a, int argc, char **argv, int *i)
{
	const char *val;
	char *eq;

	if (!cli_trace_valued(a, "-E", "--env", argc, argv, i, &val))
		return 0;
	if (!val || !val[0] || val[0] == '=')
		cli_die("-E needs VAR=VALUE or VAR: see 'facet trace --help'");
	eq = strchr(val, '=');
	if (!eq) {
		unsetenv(val);
		return 1;
	}
	*eq = '\0';
	if (setenv(val, eq + 1, 1) < 0)
		cli_die("-E %s: cannot set it", val);
	*eq = '=';
	return 1;
}

/* -p PID, -pPID, --attach=PID: "PID", or a list as pidof(1) writes it */
static int cli_trace_attach_opt(const char *a, int argc, char **argv, int *i,
				pid_t **pids, int *npids)
{
	const char *val;
	char *list, *tok, *save = NULL, *end;
	long pid;

	if (!cli_trace_valued(a, "-p", "--attach", argc, argv, i, &val))
		return 0;
	if (!val)
		cli_die("%s needs a process id: see 'facet trace --help'", a);
	list = strdup(val);
	if (!list)
		cli_die("out of memory");
	for (tok = strtok_r(list, ", \t\n", &save); tok;
	     tok = strtok_r(NULL, ", \t\n", &save)) {
		pid = strtol(tok, &end, 10);
		if (*end || pid <= 0 || pid > 0x3fffffff)
			cli_die("-p %s: not a process id", tok);
		*pids = realloc(*pids, (*npids + 1) * sizeof(**pids));
		if (!*pids)
			cli_die("out of memory");
		(*pids)[(*npids)++] = (pid_t)pid;
	}
	if (!strtok_r(list, ", \t\n", &save) && !*npids)
		cli_die("-p '%s': not a process id", val);
	free(list);
	return 1;
}

/*
 * -p: a running process keeps the system's view (no module but vtrace can
 * be put on it), and only the ptracer can attach to it
 */
static void cli_trace_attach_check(const struct cli_run_opts *o)
{
	int i;

	for (i = 0; i < o->chain.n; i++)
		if (strcmp(o->chain.inst[i].mod->name, "vtrace"))
			cli_die("-p: a running process cannot be given a view: "
				"module %s (its options) cannot be used with -p",
				o->chain.inst[i].mod->name);
	if (strcmp(o->backend, "auto") && strcmp(o->backend, "ptrace"))
		cli_die("-p: --backend %s cannot trace a running process: "
			"only the ptrace backend attaches", o->backend);
}

/**
 * cli_trace() - `facet trace [OPTIONS] [--] COMMAND [ARG...]`
 * @argc:	Argument count, argv[0] being "trace"
 * @argv:	Arguments
 *
 * Return: the command's exit status, or 125 for facet's own errors
 */
int cli_trace(int argc, char **argv)
{
	const char *keys[64], *vals[64];
	struct facet_err err = { "" };
	int i, n = 0, nk = 0, idx, npids = 0, follow = 0, quiet = 0;
	struct cli_run_opts o;
	pid_t *pids = NULL;
	char **rest;

	rest = calloc(argc + 2, sizeof(*rest));
	if (!rest)
		cli_die("out of memory");
	rest[n++] = argv[0];
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *val = NULL;
		const struct cli_trace_opt *t;
		char name[64];

		snprintf(name, sizeof(name), "%.*s", (int)strcspn(a, "="), a);
		if (!strcmp(a, "--") || a[0] != '-' || !a[1])
			break;
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			cli_trace_usage();
			exit(0);
		}
		/* -f: what facet trace always does for its command (also
		 * for -p with -f); --seccomp-bpf: facet always stops only the
		 * calls its filter picks, with a seccomp filter (the trace is
		 * the same, as strace's is) */
		if (!strcmp(a, "-f") || !strcmp(a, "--follow-forks")) {
			follow = 1;
			continue;
		}
		if (!strcmp(a, "--seccomp-bpf"))
			continue;
		/* -q: no attach messages; -qq, -qqq and --quiet also */
		if (!strcmp(a, "-q")) {
			quiet = 1;
			continue;
		}
		if (!strncmp(a, "-qq", 3))
			quiet = 1;
		if (!strcmp(name, "--quiet") || !strcmp(name, "--silent") ||
		    !strcmp(name, "--silence")) {
			const char *v = strchr(a, '=') ? strchr(a, '=') + 1 :
					i + 1 < argc ? argv[i + 1] : "";

			quiet |= strstr(v, "attach") || strstr(v, "all");
		}
		if (cli_trace_attach_opt(a, argc, argv, &i, &pids, &npids))
			continue;
		if (cli_trace_env(a, argc, argv, &i))
			continue;
		cli_trace_refuse(name);
		t = cli_trace_find(name);
		if (t)
			cli_trace_take(t, a, argc, argv, &i, &val);
		else
			t = cli_trace_short(a, &val);
		if (t) {
			if (nk == 64)
				cli_die("too many trace options");
			keys[nk] = t->key;
			vals[nk++] = val;
			continue;
		}
		rest[n++] = argv[i];
		if (!strchr(a, '=') && cli_trace_run_valued_opt(a) &&
		    i + 1 < argc)
			rest[n++] = argv[++i];
	}
	if (i < argc && strcmp(argv[i], "--"))
		rest[n++] = "--";
	for (; i < argc; i++)
		rest[n++] = argv[i];
	if (npids)
		cli_run_command_optional();
	cli_run_parse(&o, n, rest, (const char *[]){ "vtrace", NULL });
	if (npids) {
		cli_trace_attach_check(&o);
		o.backend = "ptrace";
		tracer_attach_set(pids, npids, follow, quiet);
	}
	idx = facet_chain_find(&o.chain, "vtrace");
	/* strace -p without -f, in a file: no pid while one thread is */
	if (npids && !follow && !o.argv && nk < 64) {
		keys[nk] = "pid-prefix";
		vals[nk++] = "several";
	}
	for (i = 0; i < nk; i++) {
		char step[64];

		if (facet_chain_option(&o.chain, idx, keys[i], vals[i],
				       &err) < 0)
			cli_die("%s", err.msg);
		/* for the preload backend, which replays the steps */
		snprintf(step, sizeof(step), "vtrace=%s", keys[i]);
		cli_backend_record(&o, 'F', step, vals[i]);
	}
	return cli_run_exec(&o);
}
