// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * preload/shim_spawn.c - posix_spawn(p), system, popen: stay in the view
 *
 * glibc's posix_spawn makes its clone and execve inside libc, where the
 * shim cannot see them.  The wrappers run the module chain on the execve
 * in the parent, fix up the environment (or hand a static target to the
 * ptracer) and then call the real function.  system(), popen() and
 * wordexp() run /bin/sh with environ: for the call it is the view's
 * environment.
 *
 * The kernel names the child after the path the real function is given:
 * when the modules changed it (a symlink vfs resolved: "cc" became
 * "x86_64-linux-gnu-gcc-12"), the child's environment carries the name
 * it has natively in FACET_PRELOAD_COMM, and its shim sets it
 * (PR_SET_NAME) and takes the variable out again.  An execve made here
 * does the same through the view's shared memory (modules/vfs/vfs_comm.c);
 * the child's pid is not known before it runs.
 *
 * Under the supervisor the child's execve, which libc makes, goes from
 * the gate page as the modules made it here (shim_tls.spawn_exec, read by
 * the replacement of libc's execve in shim_inner.c): the supervisor would
 * take the translated path for a guest path and translate it again.
 */
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <wordexp.h>

#include "shim.h"

extern char **environ;

typedef int (*spawn_fn)(pid_t *, const char *,
			const posix_spawn_file_actions_t *,
			const posix_spawnattr_t *, char *const[],
			char *const[]);

/*
 * Add SHIM_ENV_COMM=NAME to @envp (room for one more entry) when the
 * kernel would name the child after @path but natively after @given;
 * @var: room for the entry
 */
static SHIM_COLD void spawn_comm(const char *given, const char *path,
				 char **envp, char *var, size_t cap)
{
	const char *a = strrchr(given, '/'), *b = strrchr(path, '/');
	size_t n = 0;

	a = a ? a + 1 : given;
	b = b ? b + 1 : path;
	if (!strncmp(a, b, 15))	/* TASK_COMM_LEN - 1 */
		return;
	snprintf(var, cap, SHIM_ENV_COMM "=%.15s", a);
	while (envp[n])
		n++;
	envp[n] = var;
	envp[n + 1] = NULL;
}

/*
 * PATH search as posix_spawnp does it; 0 if @out holds a candidate.  Each
 * candidate is looked at in the view (the shim's access(), which the
 * modules see): a directory of $PATH may exist only there.
 */
static SHIM_COLD int spawn_search(const char *file, char *out, size_t cap)
{
	const char *p = getenv("PATH"), *end;
	size_t flen = strlen(file), dlen;

	if (!p)
		p = "/bin:/usr/bin";
	for (;; p = end + 1) {
		end = strchrnul(p, ':');
		dlen = (size_t)(end - p);
		if (dlen + flen + 2 <= cap) {
			memcpy(out, p, dlen);
			if (dlen)
				out[dlen++] = '/';
			memcpy(out + dlen, file, flen + 1);
			if (access(out, X_OK) == 0)
				return 0;
		}
		if (!*end)
			return -1;
	}
}

static SHIM_COLD int spawn_common(int search, pid_t *pid, const char *file,
			const posix_spawn_file_actions_t *fa,
			const posix_spawnattr_t *attr, char *const argv[],
			char *const envp[])
{
	spawn_fn real = search ?
		SHIM_NEXT(spawn_fn, "posix_spawnp") :
		SHIM_NEXT(spawn_fn, "posix_spawn");
	size_t mark = shim_tls.place_used;
	/* only as big as needed: stack pages are page faults */
	char resolved[search && !strchr(file, '/') ? PATH_MAX : 1];
	const char *path = file, *opath;
	char *const *oargv = argv, *const *oenvp = envp;
	posix_spawn_file_actions_t remade;
	int want, ret, err, opened[SHIM_SPAWN_OPENED];
	facet_call_scratch scratch;
	struct facet_call call;

	if (!shim.ready)
		shim_setup_now(-1);
	/* with every call caught, the child's own execve is seen (once) */
	if (!shim.active || shim_tls.busy || shim.raw_arm == 2)
		return real(pid, file, fa, attr, argv, envp);
	if (search && !strchr(file, '/') &&
	    !spawn_search(file, resolved, sizeof(resolved)))
		path = resolved;
	opath = path;
	fa = shim_spawn_actions(fa, &remade, opened, SHIM_SPAWN_OPENED, &err);
	if (err)
		return err;
	/* under the supervisor the modules see the exec here only if the
	 * child can make it from the gate page (shim_inner.c); otherwise
	 * its libc makes it and the supervisor's modules see it, once */
	want = shim_wants(SYS_execve) && (!shim.supervised || shim_inner_exec);
	if (want) {
		long args[6] = { (long)path, (long)argv, (long)envp };

		if (shim_enter(&call, &scratch, SYS_execve, args) == FACET_DONE) {
			ret = (int)-shim_leave(&call, call.result);
			shim_tls.place_used = mark;
			if (fa == &remade)
				shim_spawn_actions_done(&remade, opened);
			return ret > 0 ? ret : ENOEXEC;
		}
		path = (const char *)call.args[0];
		argv = (char *const *)call.args[1];
		envp = (char *const *)call.args[2];
	}
	{
		size_t nenv = shim_exec_env_count(envp) + 4;
		char *nenvp[nenv + shim_exec_env_count(oenvp) + 4];
		char buf[shim_exec_env_buf(envp)];

		if (shim_exec_static(AT_FDCWD, path)) {
			char *nargv[shim_exec_env_count(oargv) + 8];
			char ldbuf[shim_handoff_env_bytes(oenvp)];
			char dot[PATH_MAX + 32];

			/* the ptracer's modules see the exec as it was asked */
			shim_handoff_args(opath, oargv, oenvp, nargv, nenvp,
					  dot, -1, NULL, ldbuf);
			ret = SHIM_NEXT(spawn_fn, "posix_spawn")(
				pid, shim.cfg.facet, fa, attr, nargv, nenvp);
		} else {
			char comm[sizeof(SHIM_ENV_COMM) + 16];

			shim_exec_env(envp, shim_exec_bare(AT_FDCWD, path,
							   argv, 0),
				      nenvp, nenv, buf, sizeof(buf));
			spawn_comm(opath, path, nenvp, comm, sizeof(comm));
			shim_tls.spawn_exec = want && shim.supervised;
			ret = real(pid, path, fa, attr, argv, nenvp);
			shim_tls.spawn_exec = 0;
		}
	}
	if (fa == &remade)
		shim_spawn_actions_done(&remade, opened);
	if (want)
		ret = (int)-shim_leave(&call, -ret);
	shim_tls.place_used = mark;
	return ret;
}

SHIM_COLD int posix_spawn(pid_t *pid, const char *path,
		const posix_spawn_file_actions_t *fa,
		const posix_spawnattr_t *attr, char *const argv[],
		char *const envp[])
{
	return spawn_common(0, pid, path, fa, attr, argv, envp);
}

SHIM_COLD int posix_spawnp(pid_t *pid, const char *file,
		 const posix_spawn_file_actions_t *fa,
		 const posix_spawnattr_t *attr, char *const argv[],
		 char *const envp[])
{
	return spawn_common(1, pid, file, fa, attr, argv, envp);
}

/*
 * system(), popen() and wordexp() start /bin/sh inside libc with environ,
 * which has none of the view's variables (shim_exec_env_hide()): for the
 * call, environ is the view's environment, then the program's again.
 * A variable another thread sets meanwhile lands in a new array, which
 * stays.
 */
#define SPAWN_IN_VIEW_ENV(ret, call)					\
	do {								\
		char **const program = environ;				\
		size_t n = shim_exec_env_count(program) + 4;		\
		char *view[n], buf[shim_exec_env_buf(program)];		\
									\
		if (!shim.ready)					\
			shim_setup_now(-1);				\
		if (shim.active)					\
			environ = shim_exec_env(program, 0, view, n,	\
						buf, sizeof(buf));	\
		ret = call;						\
		if (environ == view)					\
			environ = program;				\
	} while (0)

SHIM_COLD int system(const char *cmd)
{
	int ret;

	SPAWN_IN_VIEW_ENV(ret, SHIM_NEXT(int (*)(const char *),
					 "system")(cmd));
	return ret;
}

SHIM_COLD FILE *popen(const char *cmd, const char *mode)
{
	FILE *ret;

	SPAWN_IN_VIEW_ENV(ret, SHIM_NEXT(FILE *(*)(const char *, const char *),
					 "popen")(cmd, mode));
	return ret;
}

SHIM_COLD int wordexp(const char *words, wordexp_t *we, int flags)
{
	int ret;

	SPAWN_IN_VIEW_ENV(ret, SHIM_NEXT(int (*)(const char *, wordexp_t *,
						 int), "wordexp")(words, we,
								  flags));
	return ret;
}
