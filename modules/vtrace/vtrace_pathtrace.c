// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vtrace/vtrace_pathtrace.c - Only the calls that touch given
 *				       paths (strace -P)
 *
 * A call is recorded when one of its path arguments is one of the paths
 * (compared as the caller wrote it, as strace does: "hostname" after a
 * chdir to /etc is not /etc/hostname) or one of its fd arguments (not
 * AT_FDCWD) refers to one of them, as /proc/PID/fd/N says at the call's
 * entry; so close(3) of the file is recorded, and the results of calls
 * are not looked at.  A path that resolves to another one (a symlink, a
 * relative path) brings that one too, as strace's "resolved into".
 * Signals and process ends are recorded as without -P.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vtrace.h"

static int vtrace_pathtrace_put(struct vtrace *v, const char *path,
				struct facet_err *err)
{
	char **paths;
	int i;

	for (i = 0; i < v->ntrace_paths; i++)
		if (!strcmp(v->trace_paths[i], path))
			return 0;
	paths = realloc(v->trace_paths, (v->ntrace_paths + 1) *
			sizeof(*paths));
	if (!paths)
		return facet_err_set(err, ENOMEM, "vtrace: out of memory");
	v->trace_paths = paths;
	paths[v->ntrace_paths] = strdup(path);
	if (!paths[v->ntrace_paths])
		return facet_err_set(err, ENOMEM, "vtrace: out of memory");
	v->ntrace_paths++;
	return 0;
}

/**
 * vtrace_pathtrace_add() - Record the calls that touch @path (-P)
 * @v:		Module state
 * @path:	The path, and what it resolves to if it exists
 * @err:	Error message
 *
 * Return: 0 or -errno
 */
int vtrace_pathtrace_add(struct vtrace *v, const char *path,
			 struct facet_err *err)
{
	char real[PATH_MAX];
	int ret;

	if (!path || !path[0] || strlen(path) >= PATH_MAX)
		return facet_err_set(err, EINVAL, "vtrace: trace-path needs "
				     "a path");
	ret = vtrace_pathtrace_put(v, path, err);
	if (ret < 0 || !realpath(path, real))
		return ret;
	return vtrace_pathtrace_put(v, real, err);
}

static int vtrace_pathtrace_is(const struct vtrace *v, const char *path)
{
	int i;

	for (i = 0; i < v->ntrace_paths; i++)
		if (!strcmp(v->trace_paths[i], path))
			return 1;
	return 0;
}

/**
 * vtrace_pathtrace_match() - Does a call touch one of the -P paths?
 * @v:		Module state
 * @call:	The call, at entry
 * @nr:		Its number
 *
 * Return: 1 if one of its path or fd arguments is one of the paths
 */
int vtrace_pathtrace_match(struct vtrace *v, struct facet_call *call,
			   long nr)
{
	const struct facet_syscall *sc = facet_syscall(nr);
	char path[PATH_MAX];
	int i;

	for (i = 0; sc && i < sc->nargs && i < 6; i++) {
		long x = facet_arg(call, i);

		switch (sc->arg[i].kind) {
		case FACET_ARG_PATH:
			if (x && facet_peek_str(call, path, (uintptr_t)x,
						sizeof(path)) >= 0 &&
			    vtrace_pathtrace_is(v, path))
				return 1;
			break;
		case FACET_ARG_DIRFD:
			if ((int)x == AT_FDCWD)
				break;
			/* fall through */
		case FACET_ARG_FD:
			if (vtrace_fd_path(facet_pid(call), (int)x, path,
					   sizeof(path)) > 0 &&
			    vtrace_pathtrace_is(v, path))
				return 1;
			break;
		}
	}
	return 0;
}
