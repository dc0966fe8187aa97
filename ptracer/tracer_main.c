// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * ptracer/tracer_main.c - Run one command under the supervisor
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../core/log.h"
#include "tracer.h"

static volatile pid_t tracer_child;
/* The combined mode's gate page (tracer_allow_gate()), 0 if none */
static uintptr_t tracer_gate;

/**
 * tracer_allow_gate() - Let calls made from one page pass the filter
 * @page:	Page-aligned address: the preload shim's gate in combined mode
 *
 * For the next tracer_run(): the shim answers the calls it serves itself
 * and makes them from there, so the supervisor does not see them twice.
 */
void tracer_allow_gate(uintptr_t page)
{
	tracer_gate = page;
}

/*
 * Signals sent to facet itself (kill, timeout, a service manager) go on to
 * the command.  Ones the terminal sent to the whole process group
 * (SI_KERNEL) already reached it: forwarding them would deliver them twice.
 */
static void tracer_forward(int sig, siginfo_t *si, void *uctx)
{
	int saved_errno = errno;

	(void)uctx;
	if (si->si_code != SI_KERNEL && tracer_child > 0)
		kill(tracer_child, sig);
	tracer_end_note(sig, si, tracer_command_ended);
	tracer_attach_note(sig);	/* attached processes are let go */
	errno = saved_errno;
}

static void tracer_signals(void)
{
	static const int forwarded[] = { SIGHUP,  SIGINT,  SIGQUIT, SIGTERM,
					 SIGUSR1, SIGUSR2, SIGALRM, SIGWINCH };
	struct sigaction sa;
	size_t i;

	unsigned long long ignored = tracer_signals_caller_ignored();

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = tracer_forward;
	sigfillset(&sa.sa_mask);
	for (i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++) {
		int sig = forwarded[i];

		/* ignored by facet's caller: by the command too (no
		 * forwarding; nohup facet run ... survives a hang-up); but
		 * attached processes are let go on them, as strace -p does
		 * (a trace started in a script's background ignores SIGINT) */
		if ((ignored & (1ULL << (sig - 1))) &&
		    !(tracer_attach_wanted() &&
		      (sig == SIGHUP || sig == SIGINT || sig == SIGQUIT ||
		       sig == SIGTERM)))
			continue;
		sa.sa_flags = tracer_end_sa_flags(sig);
		sigaction(sig, &sa, NULL);
	}
	signal(SIGPIPE, SIG_IGN);
}

static void *tracer_shared(struct facet_env *env, const char *key,
			   size_t size)
{
	return facet_env_shared_heap(env, key, size);
}

/*
 * The ptrace loop and the notification threads take the same locks for a
 * few microseconds each.  A plain mutex puts the loser to sleep, and its
 * wake-up (a futex, not a synchronous one) waits for a CPU while the
 * program's processes keep both busy: the adaptive kind spins first.
 */
static void tracer_lock_init(pthread_mutex_t *lock)
{
	pthread_mutexattr_t attr;

	pthread_mutexattr_init(&attr);
	pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ADAPTIVE_NP);
	pthread_mutex_init(lock, &attr);
	pthread_mutexattr_destroy(&attr);
}

/*
 * The command's status as env(1) and shells report it.  Without a command
 * (only attached processes): 0, or, after a signal let them go, facet
 * ends by that signal, as strace -p does.
 */
static int tracer_exit_code(const struct tracer *t)
{
	if (!t->child && tracer_detach_sig > 0) {
		signal(tracer_detach_sig, SIG_DFL);
		raise(tracer_detach_sig);
		return 128 + tracer_detach_sig;
	}
	if (!t->child)
		return 0;
	if (!t->child_ended)
		return 125;
	return tracer_status_code(t->child_status);
}

/**
 * tracer_run() - Run @argv with every module of @chain active
 * @chain:	Modules, options given, not yet started
 * @env:	Environment to start them in (backend fields are set here)
 * @argv:	Command; NULL: none, only the processes of
 *		tracer_attach_set() are traced
 *
 * Return: facet's exit status
 */
int tracer_run(struct facet_chain *chain, struct facet_env *env, char **argv)
{
	return tracer_run_path(chain, env, NULL, argv);
}

/**
 * tracer_run_path() - tracer_run(), exec'ing @path with @argv as it is
 * @path:	File to exec (argv[0] may differ), NULL: argv[0] via PATH
 *
 * Return: facet's exit status
 */
int tracer_run_path(struct facet_chain *chain, struct facet_env *env,
		    const char *path, char **argv)
{
	struct facet_err err = { "" };
	struct tracee *te;
	struct tracer *t;
	pid_t pid;
	int ret;

	env->backend = "ptrace";
	if (!env->shared) {
		/* else joining a preload view: its shared memory, not first */
		env->first = 1;
		env->shared = tracer_shared;
	}
	ret = facet_chain_start(chain, env, &err);
	if (ret < 0) {
		log_err("%s", err.msg);
		return 125;
	}
	t = calloc(1, sizeof(*t));
	if (!t) {
		log_err("out of memory");
		return 125;
	}
	t->chain = chain;
	t->exec_path = path;
	t->gate_page = tracer_gate;
	t->hide_vdso = env->hide_vdso;
	t->notify_fd = -1;
	tracer_lock_init(&t->mod_lock);
	tracer_lock_init(&t->tab_lock);
	if (getrandom(&t->cookie, sizeof(t->cookie), 0) != sizeof(t->cookie))
		t->cookie = ((uint64_t)getpid() << 32) ^ (uintptr_t)t ^
			    0x9e3779b97f4a7c15ull;
	tracer_signals();
	if (tracer_attach_wanted() && tracer_attach_all(t) < 0) {
		tracer_loop(t);		/* lets go those seized */
		return 125;
	}
	if (!argv) {
		tracer_loop(t);
		pthread_mutex_lock(&t->mod_lock);
		if (facet_chain_stop(chain))
			return 125;
		return tracer_exit_code(t);
	}
	pid = tracer_spawn(t, argv);
	if (pid < 0)
		return 125;
	t->child = tracer_child = pid;
	te = tracee_get(t, pid);
	if (!te) {
		kill(pid, SIGKILL);
		return 125;
	}
	te->started = 1;
	te->tgid = pid;
	tracer_memory_execed(te);	/* forked from facet, then exec'd */
	facet_chain_process(chain, FACET_PROC_FORK, pid, getpid());
	if (t->has_notify && t->notify_fd >= 0) {
		ret = tracer_notify_start(t);
		if (ret < 0) {
			log_err("cannot start the notification thread: %s",
				strerror(-ret));
			kill(pid, SIGKILL);
		}
	} else if (t->has_notify && kill(pid, 0) == 0) {
		/* without a listener its calls would fail with ENOSYS */
		log_err("cannot get the seccomp listener from the command: "
			"stopped it before it ran");
		kill(pid, SIGKILL);
		tracer_loop(t);
		return 125;
	}
	tracer_loop(t);
	pthread_mutex_lock(&t->mod_lock);
	if (facet_chain_stop(chain))
		return 125;	/* a module's error, logged */
	return tracer_exit_code(t);
}
