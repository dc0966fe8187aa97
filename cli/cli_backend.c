// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * cli/cli_backend.c - Choosing and starting a backend for `facet run`
 *
 * DOC: Backends
 *
 * ptrace:  the supervisor (ptracer/), facet traces the command.
 * preload: facet puts libfacet-preload.so and the view's configuration
 *	    into the environment and runs the command; the modules run
 *	    inside every process of the view.  facet stays as a parent that
 *	    only waits: a keeper process (a child subreaper) adopts orphans of
 *	    the view so facet returns when the last one ends, forwards the
 *	    signals facet gets, and kills the whole view if facet itself is
 *	    killed.
 * auto:    preload for a dynamically linked command, ptrace for a static
 *	    one (no PT_INTERP: cli/cli_elf.c), and ptrace whenever a
 *	    module of the chain works only there (FACET_MODULE_PTRACE_ONLY)
 *	    or is more faithful there (FACET_MODULE_PREFERS_PTRACE: only an
 *	    explicit --backend preload runs it in-process).  A static
 *	    command under --backend preload goes to the ptracer too (logged
 *	    at info level): it could not load the shim.
 *
 * A static binary exec'd inside a preload view comes back here through
 * FACET_PRELOAD_HANDOFF (see preload/shim_exec.c): the chain is rebuilt
 * from it, joins the view's shared memory, and runs under the ptracer.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../core/log.h"
#include "../preload/shim.h"
#include "../preload/shim_loader.h"
#include "../ptracer/tracer.h"
#include "cli.h"

static volatile pid_t backend_child;
/* In the keeper: facet, whose forwarded signals it passes on */
static volatile pid_t backend_keeper_facet;
/* facet's signal mask before it blocked the forwarded signals */
static sigset_t backend_mask;
static char backend_launcher[PATH_MAX];
/* The command as facet's own $PATH search found it on the host, or "" */
static char backend_target[PATH_MAX];

/**
 * cli_backend_record() - Note one step of building the chain
 * @o:		Options being parsed
 * @type:	'A' (add module), 'F' (module=key option), 'S' (-m spec)
 * @a:		Module, "module=key" or spec
 * @b:		Option value or NULL
 *
 * The preload backend replays the steps in each process.
 */
void cli_backend_record(struct cli_run_opts *o, char type, const char *a,
			const char *b)
{
	char spec[PATH_MAX + 1024], abs[PATH_MAX];
	const char *colon;
	size_t n;

	if (type == 'S') {
		colon = strchr(a, ':');
		n = colon ? (size_t)(colon - a) : strlen(a);
		snprintf(spec, sizeof(spec), "%.*s", (int)n, a);
		if ((strchr(spec, '/') || (n > 3 && !strcmp(spec + n - 3,
							      ".so"))) &&
		    realpath(spec, abs)) {
			snprintf(spec, sizeof(spec), "%s%s", abs,
				 colon ? colon : "");
			a = spec;
		}
	}
	if ((type == 'F' && !strcmp(a, "vfs=root")) ||
	    (type == 'S' && !strncmp(a, "vfs:", 4) && strstr(a, "root=")))
		o->guest_root = 1;
	if (shim_config_add(&o->steps, type, a, b) < 0)
		cli_die("out of memory");
}

/* The current log level, for the processes of the view */
static int backend_log_level(void)
{
	int level;

	for (level = FACET_LOG_DEBUG; level > 0; level--)
		if (facet_log_enabled(level))
			return level;
	return FACET_LOG_ERROR;
}

/* Resolve @cmd as execvp() would; 0 and @out filled, or -errno */
static int backend_which(const char *cmd, char *out, size_t cap)
{
	const char *p = getenv("PATH"), *end;
	size_t dlen;

	if (strchr(cmd, '/')) {
		snprintf(out, cap, "%s", cmd);
		return access(out, X_OK) == 0 ? 0 : -errno;
	}
	if (!p)
		p = "/bin:/usr/bin";
	for (;; p = end + 1) {
		struct stat st;

		end = strchrnul(p, ':');
		dlen = (size_t)(end - p);
		snprintf(out, cap, "%.*s%s%s", (int)dlen, p, dlen ? "/" : "",
			 cmd);
		if (access(out, X_OK) == 0 && stat(out, &st) == 0 &&
		    S_ISREG(st.st_mode))
			return 0;
		if (!*end)
			return -ENOENT;
	}
}

/* The shim: $FACET_PRELOAD, else ../lib/ next to this facet binary */
static void backend_shim_path(char *out, size_t cap, char *self,
			      size_t self_cap)
{
	const char *env = getenv("FACET_PRELOAD");
	ssize_t n = readlink("/proc/self/exe", self, self_cap - 1);
	char *slash;

	if (n < 0)
		cli_die("cannot find facet's own binary: /proc/self/exe: %s",
			strerror(errno));
	self[n] = '\0';
	if (env && *env) {
		if (!realpath(env, out))
			cli_die("FACET_PRELOAD=%s: %s; unset it or point it at "
				"libfacet-preload.so", env, strerror(errno));
		return;
	}
	snprintf(out, cap, "%s", self);
	slash = strrchr(out, '/');
	if (slash)
		*slash = '\0';
	slash = strrchr(out, '/');
	if (slash)
		*slash = '\0';
	if (strlen(out) + sizeof("/lib/" SHIM_SO_NAME) > cap)
		cli_die("path of facet too long");
	strcat(out, "/lib/" SHIM_SO_NAME);
	if (access(out, R_OK) < 0)
		cli_die("--backend preload: cannot find %s (%s): build it with "
			"'make', or set FACET_PRELOAD to its path", out,
			strerror(errno));
}

/*
 * facet-preload-exec, next to the shim; left empty if it is not there, or
 * if no module of the started @chain wants execve: then nobody would see
 * the command's own execve, and the command is exec'd directly (with the
 * shim preloaded), one image fewer.  facet has checked on the host that
 * it is not static, which is what the shim would check in the launcher.
 */
static void backend_launcher_path(const char *so,
				  const struct facet_chain *chain)
{
	const char *slash = strrchr(so, '/');

	backend_launcher[0] = '\0';
	if (!chain->hooks[SYS_execve] && !chain->hooks[SYS_execveat]) {
		log_debug("no module wants execve: the command is exec'd "
			  "without facet-preload-exec");
		return;
	}
	snprintf(backend_launcher, sizeof(backend_launcher),
		 "%.*s/facet-preload-exec", slash ? (int)(slash - so) : 1,
		 slash ? so : ".");
	if (access(backend_launcher, X_OK) < 0) {
		log_debug("no %s: the command's first exec is not seen by the "
			  "modules", backend_launcher);
		backend_launcher[0] = '\0';
	}
}

/* Signals facet and the keeper get go on to their child, as the ptracer */
static void backend_forward(int sig, siginfo_t *si, void *uctx)
{
	int saved_errno = errno;

	(void)uctx;
	/* the keeper passes on what facet forwards; a kill of the whole
	 * process group reached the command already (and facet forwards
	 * it too: three deliveries, a handler run three times) */
	if (si->si_code != SI_KERNEL && backend_child > 0 &&
	    (!backend_keeper_facet || si->si_pid == backend_keeper_facet))
		kill(backend_child, sig);
	tracer_end_note(sig, si, tracer_command_ended);
	errno = saved_errno;
}

/* The signals facet and the keeper forward to their child */
static const int backend_forwarded[] = { SIGHUP,  SIGINT,  SIGQUIT, SIGTERM,
					 SIGUSR1, SIGUSR2, SIGALRM, SIGWINCH };

static void backend_signals(void)
{
	struct sigaction sa;
	size_t i;

	unsigned long long ignored = tracer_signals_caller_ignored();

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = backend_forward;
	sigfillset(&sa.sa_mask);
	for (i = 0; i < sizeof(backend_forwarded) /
			sizeof(backend_forwarded[0]); i++) {
		/* ignored by facet's caller: stays so (tracer_main.c) */
		if (ignored & (1ULL << (backend_forwarded[i] - 1)))
			continue;
		sa.sa_flags = tracer_end_sa_flags(backend_forwarded[i]);
		sigaction(backend_forwarded[i], &sa, NULL);
	}
}

/* Wait status to exit code, as shells report it (tracer_status.c) */
static int backend_code(int status)
{
	return tracer_status_code(status);
}

/*
 * Is child @pid one of facet's own long-lived helpers rather than a process
 * of the view?  A vnet keeper (named "facet-keeper") may be started from
 * inside a view and adopted by this subreaper, but serves other views too:
 * it is neither waited for nor killed with the view.
 */
static int backend_is_helper(long pid)
{
	char path[64], comm[32] = "";
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%ld/comm", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, comm, sizeof(comm) - 1);
	close(fd);
	return n > 0 && !strcmp(comm, "facet-keeper\n");
}

/* Are all children left facet's helpers (or none left)? */
static int backend_only_helpers(void)
{
	char path[64], buf[4096], *p, *end;
	ssize_t n;
	long pid;
	int fd;

	snprintf(path, sizeof(path), "/proc/self/task/%d/children", getpid());
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return 0;
	buf[n] = '\0';
	for (p = buf; (pid = strtol(p, &end, 10)), end != p; p = end)
		if (!backend_is_helper(pid))
			return 0;
	return 1;
}

/* Send @sig to every child of this process (the keeper's: the command
 * and the view's orphans) but facet's helpers; Return: how many, -1 if the
 * list cannot be read */
static int backend_signal_children(int sig)
{
	char path[64], buf[4096], *p, *end;
	int fd, count = 0;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/task/%d/children", getpid());
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return n < 0 ? -1 : 0;
	buf[n] = '\0';
	for (p = buf; *p; p = end) {
		long pid = strtol(p, &end, 10);

		if (end == p)
			break;
		if (backend_is_helper(pid))
			continue;
		kill((pid_t)pid, sig);
		count++;
	}
	return count;
}

/* facet was killed: kill every process of the view, orphans included */
static void backend_kill_view(int sig)
{
	(void)sig;
	while (backend_signal_children(SIGKILL) > 0) {
		while (waitpid(-1, NULL, __WALL | WNOHANG) > 0)
			;
		usleep(1000);
	}
	_exit(137);
}


/* errno of the command's failed exec, written by the vfork() child in the
 * keeper's memory: a global, which the compiler cannot assume unchanged
 * across vfork() as it may a local */
static volatile int backend_exec_err;

/*
 * In the command's process, a vfork() child of the keeper sharing its
 * memory: exec the command through facet-preload-exec (next to the shim),
 * so that the shim's execvp and the modules see the command's own execve.
 * Only system calls here; a failure is left in backend_exec_err.
 */
static void __attribute__((noreturn)) backend_exec(char **argv)
{
	size_t argc = 0;

	/* signals stay blocked until no handler of the keeper is left */
	tracer_signals_default();
	while (argv[argc])
		argc++;
	if (backend_launcher[0]) {
		char *nargv[argc + 2];

		nargv[0] = backend_launcher;
		memcpy(nargv + 1, argv, (argc + 1) * sizeof(char *));
		execv(backend_launcher, nargv);
		backend_exec_err = errno;
		/* too long with the launcher and preload's variables: the
		 * command's failure, as a shell's E2BIG */
		_exit(backend_exec_err == E2BIG ? 126 : 125);
	}
	/* no module sees this exec, so the host's search is the view's:
	 * facet's own (done for the static check) saves execvp() one
	 * failed execve per $PATH entry before the right one.  If it fails
	 * (a script without #!), execvp() decides as it always did. */
	if (backend_target[0])
		execv(backend_target, argv);
	execvp(argv[0], argv);
	backend_exec_err = errno;
	_exit(backend_exec_err == ENOENT ? 127 : 126);
}

/* Start the command (vfork: no copy of facet's memory); Return: its pid */
static pid_t backend_start_command(char **argv)
{
	sigset_t all;
	pid_t pid;
	int err;

	backend_exec_err = 0;
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, NULL);
	pid = vfork();
	if (pid == 0)
		backend_exec(argv);
	err = pid < 0 ? errno : backend_exec_err;
	if (pid > 0)
		backend_child = pid;
	sigprocmask(SIG_SETMASK, &backend_mask, NULL);
	if (pid < 0) {
		fprintf(stderr, "facet: fork: %s\n", strerror(err));
		_exit(125);
	}
	if (!err)
		return pid;
	if (backend_launcher[0] && err == E2BIG)
		fprintf(stderr, "facet: cannot run %s: %s (with the variables "
			"preload adds to its environment)\n", argv[0],
			strerror(err));
	else if (backend_launcher[0])
		fprintf(stderr, "facet: cannot run %s: %s\n", backend_launcher,
			strerror(err));
	else if (err == ENOENT && !strchr(argv[0], '/'))
		fprintf(stderr, "facet: %s: command not found\n", argv[0]);
	else
		fprintf(stderr, "facet: cannot run %s: %s\n", argv[0],
			strerror(err));
	return pid;
}

/*
 * The keeper: a subreaper between facet and the command.  It waits for
 * every process of the view and exits with the command's status; if facet
 * dies it kills them all.  It comes with facet's forwarding handlers and
 * those signals blocked (unblocked once backend_child is set).
 */
static void backend_keeper(struct cli_run_opts *o, pid_t facet)
{
	int status = 0, st, ended = 0;
	int64_t kill_at = 0;
	struct sigaction sa;
	pid_t pid, w;

	backend_keeper_facet = facet;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = backend_kill_view;
	sigfillset(&sa.sa_mask);
	sigaction(SIGRTMAX, &sa, NULL);
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	prctl(PR_SET_PDEATHSIG, SIGRTMAX);
	if (getppid() != facet)
		_exit(125);
	pid = backend_start_command(o->argv);
	for (;;) {
		/* a signal to facet ends what the command left (tracer_end.c) */
		if (!kill_at && tracer_end_due(ended, WIFSIGNALED(status))) {
			backend_signal_children(SIGTERM);
			kill_at = tracer_end_now_ms() + TRACER_END_GRACE_MS;
		}
		/* no child left at all: no need to look for helpers */
		w = waitpid(-1, &st, __WALL | WUNTRACED |
					(ended ? WNOHANG : 0));
		if (w == 0 && backend_only_helpers())
			break;
		if (w == 0 && kill_at) {
			if (tracer_end_now_ms() >= kill_at)
				backend_signal_children(SIGKILL);
			usleep(2000);
			continue;
		}
		if (w == 0)
			w = waitpid(-1, &st, __WALL | WUNTRACED);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			break;
		/* the command stopped: the keeper, then facet, too */
		if (w > 0 && WIFSTOPPED(st)) {
			if (w == pid && tracer_job_still_stopped(pid))
				tracer_job_stopped(pid, WSTOPSIG(st), 0);
			continue;
		}
		if (w == pid) {
			status = st;
			ended = 1;
			tracer_command_ended = 1;
		}
		/* it ran no code to tell its modules: facet's instances */
		if (WIFSIGNALED(st))
			facet_chain_process(&o->chain, FACET_PROC_KILLED, w,
					    st);
	}
	/* dies of the command's signal, for facet to die of it too */
	_exit(tracer_status_end(backend_code(status)));
}

/*
 * Start the keeper and wait for it; return facet's exit status.  The
 * forwarding handlers are set before the fork, so the keeper has them too,
 * with those signals blocked until each process knows its child.
 */
static int backend_spawn(struct cli_run_opts *o)
{
	pid_t self = getpid(), pid;
	sigset_t fwd;
	size_t i;
	int st;

	sigemptyset(&fwd);
	for (i = 0; i < sizeof(backend_forwarded) /
			sizeof(backend_forwarded[0]); i++)
		sigaddset(&fwd, backend_forwarded[i]);
	sigprocmask(SIG_BLOCK, &fwd, &backend_mask);
	backend_signals();
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		cli_die("fork: %s", strerror(errno));
	if (pid == 0)
		backend_keeper(o, self);
	backend_child = pid;
	signal(SIGPIPE, SIG_IGN);
	sigprocmask(SIG_SETMASK, &backend_mask, NULL);
	for (;;) {
		if (waitpid(pid, &st, WUNTRACED) < 0) {
			if (errno != EINTR)
				return CLI_EXIT_FACET;
			continue;
		}
		if (!WIFSTOPPED(st))
			return backend_code(st);
		/* the keeper stopped, following the command */
		if (tracer_job_still_stopped(pid))
			tracer_job_stopped(pid, WSTOPSIG(st), 0);
	}
}

/*
 * Add @so to LD_PRELOAD, after the user's libraries: a wrapper library of
 * theirs (fakeroot's chown() and stat()) then works on the view, chaining
 * to the shim's functions with RTLD_NEXT, as it would in a real chroot;
 * first, the shim's functions were found before theirs and theirs never
 * ran (fakeroot chown: EPERM)
 */
static void backend_setenv_preload(const char *so)
{
	const char *old = getenv("LD_PRELOAD");
	char *v;

	if (old && *old) {
		if (asprintf(&v, "%s:%s", old, so) < 0)
			cli_die("out of memory");
		setenv("LD_PRELOAD", v, 1);
		free(v);
	} else {
		setenv("LD_PRELOAD", so, 1);
	}
}

static void *backend_shared(struct facet_env *env, const char *key,
			    size_t size)
{
	(void)env;
	return shim_shared_get(key, size);
}

/*
 * facet owns the view, as under the ptracer: the modules start here first
 * (facet_env_first() is true only here; shared state is set up here, in
 * the view's memfd) and stop here when the last process of the view has
 * ended.  Each image of the command starts them again, not first.
 */
static void backend_start(struct cli_run_opts *o)
{
	struct facet_err err = { "" };
	struct facet_env env;

	memset(&env, 0, sizeof(env));
	env.backend = "preload";
	env.first = shim_shared_first();
	env.shared = backend_shared;
	if (facet_chain_start(&o->chain, &env, &err) < 0)
		cli_die("%s", err.msg);
}

/*
 * The view's shared memory, made here, and the shim's configuration for
 * it (what FACET_PRELOAD_CONFIG carries).  Return: the encoded value
 */
static char *backend_shim_config(const struct cli_run_opts *o,
				 char *self, int raw, int supervised)
{
	struct shim_config cfg;
	char shm[64], *value;
	int fd = shim_shared_create();

	if (fd < 0)
		cli_die("cannot create the view's shared memory: %s",
			strerror(-fd));
	snprintf(shm, sizeof(shm), "/proc/%d/fd/%d", (int)getpid(), fd);
	memset(&cfg, 0, sizeof(cfg));
	cfg.chain = o->steps ? o->steps : "";
	cfg.shm = shm;
	cfg.facet = self;
	cfg.raw = raw;
	cfg.supervised = supervised;
	cfg.log = backend_log_level();
	value = shim_config_encode(&cfg);
	if (!value)
		cli_die("out of memory");
	return value;
}

/* The configuration @value and the shim @so into the environment */
static void backend_shim_setenv(char *value, const char *so)
{
	setenv(SHIM_ENV, value, 1);
	backend_setenv_preload(so);
	free(value);
}

/* --backend preload, for a dynamically linked command */
static int backend_preload(struct cli_run_opts *o)
{
	char so[PATH_MAX], self[PATH_MAX];
	const char *raw = getenv("FACET_PRELOAD_RAW");
	char *value;
	int ret;

	backend_shim_path(so, sizeof(so), self, sizeof(self));
	value = backend_shim_config(o, self, !(raw && !strcmp(raw, "ignore")),
				    0);
	backend_start(o);
	backend_launcher_path(so, &o->chain);
	backend_shim_setenv(value, so);
	log_debug("backend preload: %s with %s", o->argv[0], so);
	ret = backend_spawn(o);
	if (facet_chain_stop(&o->chain))
		return 125;	/* a module's error, logged */
	return ret;
}

/*
 * The shim copied into a memfd of facet's: ld.so opens LD_PRELOAD before
 * the shim can serve anything, so the supervisor's modules resolve that
 * path in the view, where the shim's host path may not be (a guest root;
 * facet built or installed under a --tmp, --hide or --bind path: a view
 * of --tmp /tmp with facet in /tmp/build lost the shim).  /proc/FACET/fd/N
 * leads to no host path, so the view lets it through (/proc is the
 * host's unless told otherwise).
 */
static void backend_shim_memfd(const char *so, char *out, size_t cap)
{
	int in = open(so, O_RDONLY | O_CLOEXEC);
	int fd = memfd_create("libfacet-preload.so", MFD_CLOEXEC);
	struct stat st;
	off_t off = 0;

	if (in < 0 || fd < 0 || fstat(in, &st) < 0)
		cli_die("--backend combined: cannot copy %s: %s", so,
			strerror(errno));
	while (off < st.st_size)
		if (sendfile(fd, in, &off, (size_t)(st.st_size - off)) <= 0)
			cli_die("--backend combined: cannot copy %s: %s", so,
				strerror(errno));
	close(in);
	snprintf(out, cap, "/proc/%d/fd/%d", (int)getpid(), fd);
}

/*
 * Does the command start without the view's variables under combined?  A
 * static program cannot load the shim: natively it would not see them,
 * the supervisor serves it, and the dynamic programs it starts find the
 * gate page refused anyway (ptracer/tracer_gate.c).  Nor does the loader
 * listing a program's libraries (ld.so --list), which would list the
 * shim.  The shim's exec path decides the same for later execs
 * (shim_exec_bare()).  Under a guest root the command's file is the
 * guest's, which facet does not resolve here: it gets the variables.
 */
static int backend_combined_bare(const struct cli_run_opts *o)
{
	char path[PATH_MAX];
	struct stat st;

	if (shim_loader_named(o->argv[0]))
		return shim_loader_lists(o->argv);
	if (o->guest_root || backend_which(o->argv[0], path, sizeof(path)) ||
	    stat(path, &st))
		return 0;
	/* set-id programs keep the shim: traced, they run as the user */
	if ((st.st_mode & (S_ISUID | S_ISGID)) && (st.st_mode & 0111))
		return 0;
	return cli_elf_is_static(path, 0) > 0;
}

/*
 * --backend combined: the ptracer supervises the whole view, and in
 * every dynamically linked process the preload shim serves the calls it
 * can see in-process, from its gate page, which the supervisor's filter
 * lets through (tracer_allow_gate()).  What the shim does not see (a
 * static program, ld.so before the shim is loaded, code that unloads it)
 * still reaches the supervisor.  Both run the same chain on the view's
 * shared memory, facet's modules first.  A module that works (or works
 * faithfully) only under the ptracer makes it the plain ptracer.
 */
static int backend_combined(struct cli_run_opts *o)
{
	char so[PATH_MAX], self[PATH_MAX], *value;
	struct facet_env env;
	const char *only;

	memset(&env, 0, sizeof(env));
	only = facet_chain_ptrace_only(&o->chain);
	if (!only)
		only = facet_chain_prefers_ptrace(&o->chain);
	if (!only)
		only = facet_chain_not_combined(&o->chain);
	if (only) {
		log_info("module %s is not served in-process by --backend "
			 "combined: it is the plain ptracer for this view",
			 only);
		return tracer_run(&o->chain, &env, o->argv);
	}
	backend_shim_path(so, sizeof(so), self, sizeof(self));
	backend_shim_memfd(so, so, sizeof(so));
	/* the view's shared memory is made in any case: the supervisor's
	 * modules keep their state there */
	value = backend_shim_config(o, self, 1, 1);
	if (!backend_combined_bare(o))
		backend_shim_setenv(value, so);
	else
		free(value);
	env.first = shim_shared_first();
	env.shared = backend_shared;
	tracer_allow_gate(SHIM_GATE_PAGE);
	log_debug("backend combined: %s, with %s", o->argv[0], so);
	return tracer_run(&o->chain, &env, o->argv);
}

/*
 * The program's LD_* variables came renamed (FACET_PRELOAD_KEEP_LD_...:
 * they would have acted on facet's own loader, and ldd listed facet's
 * libraries): give them back for the program
 */
static void backend_handoff_loader_vars(void)
{
	static const char keep[] = SHIM_ENV_HANDOFF_KEEP;
	extern char **environ;
	size_t i = 0;

	while (environ[i]) {
		char *e = environ[i], *eq = strchr(e, '=');
		char *name;

		if (strncmp(e, keep, sizeof(keep) - 1) || !eq) {
			i++;
			continue;
		}
		name = strndup(e + sizeof(keep) - 1,
			       eq - e - (sizeof(keep) - 1));
		if (!name || setenv(name, eq + 1, 1) < 0)
			cli_die("out of memory");
		free(name);
		/* environ may have moved: unset by the full name */
		name = strndup(e, eq - e);
		if (!name)
			cli_die("out of memory");
		unsetenv(name);
		free(name);
		i = 0;
	}
}

/* A static binary exec'd in a preload view: same chain, under ptrace */
static int backend_handoff(struct cli_run_opts *o, const char *value)
{
	struct facet_err err = { "" };
	struct shim_config cfg;
	struct facet_env env;
	char *copy = strdup(value);
	const char *path, *cloexec;

	if (!copy || shim_config_decode(&cfg, copy) < 0)
		cli_die("%s is damaged", SHIM_ENV_HANDOFF);
	facet_log_set_level(cfg.log);
	facet_chain_free(&o->chain);
	if (shim_config_replay(&o->chain, cfg.chain, &err) < 0)
		cli_die("%s", err.msg);
	memset(&env, 0, sizeof(env));
	if (cfg.shm[0] && shim_shared_attach(cfg.shm) == 0) {
		env.shared = backend_shared;
		env.first = 0;
	}
	path = getenv(SHIM_ENV_HANDOFF_PATH);
	path = path ? strdup(path) : NULL;
	/* fexecve of a close-on-exec fd: /proc/self/fd/N, closed at exec */
	cloexec = getenv(SHIM_ENV_HANDOFF_CLOEXEC);
	if (cloexec)
		fcntl(atoi(cloexec), F_SETFD, FD_CLOEXEC);
	unsetenv(SHIM_ENV_HANDOFF);
	unsetenv(SHIM_ENV_HANDOFF_PATH);
	unsetenv(SHIM_ENV_HANDOFF_CLOEXEC);
	unsetenv("LD_PRELOAD");
	backend_handoff_loader_vars();
	log_debug("backend ptrace (handed over from preload): %s",
		  path ? path : o->argv[0]);
	return tracer_run_path(&o->chain, &env, path, o->argv);
}

/*
 * Was this process started in a view of the preload backend?  Its shim
 * took the view's variables out of environ (preload/shim_exec.c), but the
 * kernel's copy of the environment the exec gave has them.
 */
static int backend_in_preload_view(void)
{
	static const char var[] = SHIM_ENV "=";
	char buf[65536];
	size_t len = 0;
	ssize_t n;
	int fd;

	if (getenv(SHIM_ENV))
		return 1;
	fd = open("/proc/self/environ", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	while (len < sizeof(buf) - 1 &&
	       (n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += (size_t)n;
	close(fd);
	buf[len] = '\0';
	for (size_t i = 0; i < len; i += strlen(buf + i) + 1)
		if (!strncmp(buf + i, var, sizeof(var) - 1))
			return 1;
	return 0;
}

/*
 * facet run with modules, inside a view of the preload backend.  That
 * view's shim is in this process and will be in the command's: a preload
 * view here would be dropped at the command's exec (the shim puts its own
 * configuration back), and a ptracer here would rewrite the command's
 * calls after the outer shim checked them (a file the outer view hides,
 * removed through an inner --bind).  Views nest the other way round: an
 * outer --backend ptrace sees the calls the inner view makes of them.
 */
static void backend_refuse_nesting(const struct cli_run_opts *o)
{
	if (!o->chain.n || !backend_in_preload_view())
		return;
	cli_die("this command runs in a view of the preload backend already, "
		"which cannot hold another view: run the outer facet with "
		"--backend ptrace to nest views");
}

/**
 * cli_backend_run() - Run the parsed command under the chosen backend
 * @o:		Parsed options
 *
 * Return: facet's exit status
 */
int cli_backend_run(struct cli_run_opts *o)
{
	const char *handoff = getenv(SHIM_ENV_HANDOFF);
	char path[PATH_MAX];
	struct facet_env env;
	const char *only;
	int is_static = 0;

	if (handoff)
		return backend_handoff(o, handoff);
	backend_refuse_nesting(o);
	if (!strcmp(o->backend, "combined"))
		return backend_combined(o);
	if (strcmp(o->backend, "ptrace") && strcmp(o->backend, "preload") &&
	    strcmp(o->backend, "auto"))
		cli_die("--backend %s: unknown backend; use auto, ptrace, "
			"preload or combined", o->backend);
	if (strcmp(o->backend, "ptrace") &&
	    (only = facet_chain_ptrace_only(&o->chain))) {
		facet_logmsg(!strcmp(o->backend, "preload") ? FACET_LOG_INFO :
			     FACET_LOG_DEBUG, "module %s works only under the "
			     "ptrace backend: using it", only);
		is_static = -1;
	} else if (!strcmp(o->backend, "auto") &&
		   (only = facet_chain_prefers_ptrace(&o->chain))) {
		log_debug("module %s is more faithful under the ptrace "
			  "backend: using it (--backend preload runs it "
			  "in-process)", only);
		is_static = -1;
	} else if (strcmp(o->backend, "ptrace") &&
		   backend_which(o->argv[0], path, sizeof(path)) == 0) {
		is_static = cli_elf_is_static(path, 0) > 0;
		snprintf(backend_target, sizeof(backend_target), "%s", path);
	}
	if (!strcmp(o->backend, "ptrace") || is_static) {
		if (is_static > 0)
			facet_logmsg(!strcmp(o->backend, "preload") ?
				     FACET_LOG_INFO : FACET_LOG_DEBUG,
				     "%s is statically linked or set-id: "
				     "using the ptrace backend", path);
		else
			log_debug("backend ptrace: %s", o->argv[0]);
		memset(&env, 0, sizeof(env));
		return tracer_run(&o->chain, &env, o->argv);
	}
	return backend_preload(o);
}
