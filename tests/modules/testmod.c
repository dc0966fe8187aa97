// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/modules/testmod.c - A third-party module that uses every API entry
 *
 * Loaded by the tests with -m .../testmod.so:key=value,...
 * (A>B may also be written A:B)
 *   rewrite=FROM>TO	open/openat of FROM opens TO (facet_set_path)
 *   deny=NAME		syscall NAME fails with errno= (facet_return)
 *   errno=N		errno for deny (default 13, EACCES)
 *   fd=GUEST>HOST	open/openat of GUEST gets an fd the module opened on
 *			HOST (facet_return_fd)
 *   result=NAME>VALUE	syscall NAME returns VALUE (exit, facet_set_result)
 *   nodename=NAME	uname() reports NAME (exit, facet_poke)
 *   pass=NAME		intercept NAME, pass it on unchanged (notification)
 *   passtrace=NAME	the same through a ptrace stop (FACET_HOOK_REWRITE)
 *   passzero=NAME>ARG	pass=NAME, but calls whose argument ARG is 0 are
 *			not wanted (facet_sysset_pass_if_zero())
 *   count=FILE		at the end, write "NAME COUNT" lines to FILE (the
 *			counts of every process, kept in facet_env_shared()),
 *			then "NAME@supervisor COUNT" lines: the calls a
 *			ptracer's instance saw (the rest, the preload shim's)
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <facet/module.h>

#define TM_MAX	8

/* Strings made by tm_split(), kept for the process's life */
struct tm_pair {
	char *from, *to;
};

/* What the options set up, read only when they were given */
struct tm_tables {
	struct tm_pair rewrite[TM_MAX], fd[TM_MAX];
	long deny[TM_MAX];
	long result_nr[TM_MAX], result_val[TM_MAX];
	char nodename[65];
	long pass[TM_MAX], passtrace[TM_MAX], passzero[TM_MAX];
	int zero_arg[TM_MAX];
};

/* What every call reads: small, so that the preload backend can keep it
 * on the page a call reads anyway (docs/modules.md) */
struct tm_state {
	int nrewrite, nfd, ndeny, err, nresult, has_nodename;
	int npass, npasstrace, npasszero;
	int owner;		/* the view's first start writes the file */
	int supervisor;		/* this instance is a ptracer's */
	/* shared by the view: every process adds; the ptracer's calls
	 * again at FACET_NR_MAX + nr */
	unsigned long *counts;
	char *count_file;	/* NULL: no count= */
	struct tm_tables *tab;	/* made by the first option */
};

static const struct facet_option tm_options[] = {
	{ "rewrite", "FROM>TO", "open FROM opens TO" },
	{ "deny", "NAME", "NAME fails with errno" },
	{ "errno", "N", "errno for deny (13)" },
	{ "fd", "GUEST>HOST", "open GUEST gets an fd on HOST" },
	{ "result", "NAME>VALUE", "NAME returns VALUE" },
	{ "nodename", "NAME", "uname() reports NAME" },
	{ "pass", "NAME", "intercept NAME, change nothing" },
	{ "passtrace", "NAME", "the same with a ptrace stop" },
	{ "passzero", "NAME>ARG", "pass NAME, unless argument ARG is 0" },
	{ "count", "FILE", "write call counts to FILE" },
	{ NULL, NULL, NULL },
};

/* "A>B" or "A:B" into @a and @b, of at most @cap bytes each */
static int tm_split(const char *v, char *a, char *b, size_t cap)
{
	const char *gt = strchr(v, '>');

	if (!gt)
		gt = strchr(v, ':');

	if (!gt || (size_t)(gt - v) >= cap || strlen(gt + 1) >= cap)
		return -EINVAL;
	memcpy(a, v, gt - v);
	a[gt - v] = '\0';
	strcpy(b, gt + 1);
	return 0;
}

/*
 * The same into a new pair of strings: the state stays small (it is
 * allocated in every process of a preload view)
 */
static int tm_split_pair(const char *v, struct tm_pair *p)
{
	size_t len = strlen(v);
	char *buf = malloc(2 * (len + 1));

	if (!buf)
		return -ENOMEM;
	if (tm_split(v, buf, buf + len + 1, len + 1) < 0 ||
	    strlen(buf) >= PATH_MAX || strlen(buf + len + 1) >= PATH_MAX) {
		free(buf);
		return -EINVAL;
	}
	p->from = buf;
	p->to = buf + len + 1;
	return 0;
}

static int tm_nr(const char *name, long *out, struct facet_err *err)
{
	*out = facet_syscall_nr(name);
	if (*out < 0)
		return facet_err_set(err, EINVAL, "testmod: unknown syscall "
				     "'%s'", name);
	return 0;
}

static int tm_option(void *self, const char *key, const char *value,
		     struct facet_err *err)
{
	struct tm_state *s = self;
	char name[64], val[64];

	if (!s->tab) {
		s->tab = calloc(1, sizeof(*s->tab));
		if (!s->tab)
			return facet_err_set(err, ENOMEM,
					     "testmod: out of memory");
	}

	if (!strcmp(key, "rewrite") && s->nrewrite < TM_MAX) {
		return tm_split_pair(value, &s->tab->rewrite[s->nrewrite++]);
	}
	if (!strcmp(key, "fd") && s->nfd < TM_MAX) {
		return tm_split_pair(value, &s->tab->fd[s->nfd++]);
	}
	if (!strcmp(key, "deny") && s->ndeny < TM_MAX)
		return tm_nr(value, &s->tab->deny[s->ndeny++], err);
	if (!strcmp(key, "errno")) {
		s->err = atoi(value);
		return 0;
	}
	if (!strcmp(key, "result") && s->nresult < TM_MAX) {
		if (tm_split(value, name, val, sizeof(name)) < 0)
			return -EINVAL;
		s->tab->result_val[s->nresult] = strtol(val, NULL, 0);
		return tm_nr(name, &s->tab->result_nr[s->nresult++], err);
	}
	if (!strcmp(key, "nodename")) {
		snprintf(s->tab->nodename, sizeof(s->tab->nodename), "%s",
			 value);
		s->has_nodename = s->tab->nodename[0] != '\0';
		return 0;
	}
	if (!strcmp(key, "pass") && s->npass < TM_MAX)
		return tm_nr(value, &s->tab->pass[s->npass++], err);
	if (!strcmp(key, "passtrace") && s->npasstrace < TM_MAX)
		return tm_nr(value, &s->tab->passtrace[s->npasstrace++], err);
	if (!strcmp(key, "passzero") && s->npasszero < TM_MAX) {
		if (tm_split(value, name, val, sizeof(name)) < 0 ||
		    tm_nr(name, &s->tab->passzero[s->npasszero], err) < 0)
			return -EINVAL;
		s->tab->zero_arg[s->npasszero++] = atoi(val);
		return 0;
	}
	if (!strcmp(key, "count")) {
		s->count_file = strdup(value);
		return s->count_file ? 0 : -ENOMEM;
	}
	return facet_err_set(err, EINVAL, "testmod: too many %s options", key);
}

static void tm_wants(void *self, struct facet_sysset *set)
{
	struct tm_state *s = self;
	int i;

	if (s->nfd) {
		facet_sysset_add(set, SYS_open, FACET_HOOK_ENTER);
		facet_sysset_add(set, SYS_openat, FACET_HOOK_ENTER);
	}
	if (s->nrewrite) {
		facet_sysset_add(set, SYS_open, FACET_HOOK_REWRITE);
		facet_sysset_add(set, SYS_openat, FACET_HOOK_REWRITE);
	}
	for (i = 0; i < s->ndeny; i++)
		facet_sysset_add(set, s->tab->deny[i], FACET_HOOK_ENTER);
	for (i = 0; i < s->nresult; i++)
		facet_sysset_add(set, s->tab->result_nr[i], FACET_HOOK_EXIT);
	if (s->has_nodename)
		facet_sysset_add(set, SYS_uname, FACET_HOOK_EXIT);
	for (i = 0; i < s->npass; i++)
		facet_sysset_add(set, s->tab->pass[i], FACET_HOOK_ENTER);
	for (i = 0; i < s->npasstrace; i++)
		facet_sysset_add(set, s->tab->passtrace[i], FACET_HOOK_REWRITE);
	for (i = 0; i < s->npasszero; i++) {
		facet_sysset_add(set, s->tab->passzero[i], FACET_HOOK_ENTER);
		facet_sysset_pass_if_zero(set, s->tab->passzero[i],
					  s->tab->zero_arg[i]);
	}
}

/* Path argument of open (0) or openat (1) */
static int tm_path_arg(long nr)
{
	return nr == SYS_openat ? 1 : nr == SYS_open ? 0 : -1;
}

static enum facet_verdict tm_open(struct tm_state *s, struct facet_call *call)
{
	int i, ai = tm_path_arg(facet_nr(call)), fd, flags;
	char path[PATH_MAX];

	if (ai < 0 || facet_peek_str(call, path, facet_arg(call, ai),
				     sizeof(path)) < 0)
		return FACET_CONTINUE;
	for (i = 0; i < s->nfd; i++) {
		if (strcmp(path, s->tab->fd[i].from))
			continue;
		flags = facet_arg(call, ai + 1);
		fd = open(s->tab->fd[i].to, flags | O_CLOEXEC, 0644);
		if (fd < 0) {
			facet_return(call, -errno);
			return FACET_DONE;
		}
		if (!(flags & O_CLOEXEC))
			fcntl(fd, F_SETFD, 0);
		facet_return_fd(call, fd);
		return FACET_DONE;
	}
	for (i = 0; i < s->nrewrite; i++)
		if (!strcmp(path, s->tab->rewrite[i].from)) {
			int ret = facet_set_path(call, ai, s->tab->rewrite[i].to);

			if (ret < 0) {
				facet_return(call, ret);
				return FACET_DONE;
			}
		}
	return FACET_CONTINUE;
}

static enum facet_verdict tm_enter(void *self, struct facet_call *call)
{
	struct tm_state *s = self;
	long nr = facet_nr(call);
	int i;

	if (s->counts)
		__atomic_add_fetch(&s->counts[nr], 1, __ATOMIC_RELAXED);
	if (s->counts && s->supervisor)
		__atomic_add_fetch(&s->counts[FACET_NR_MAX + nr], 1,
				   __ATOMIC_RELAXED);
	for (i = 0; i < s->ndeny; i++)
		if (s->tab->deny[i] == nr) {
			facet_return(call, -(s->err ? s->err : EACCES));
			return FACET_DONE;
		}
	for (i = 0; i < s->nresult; i++)
		if (s->tab->result_nr[i] == nr) {
			/* scratch carries the value to exit() */
			*(long *)facet_scratch(call) = s->tab->result_val[i];
			return FACET_CONTINUE_EXIT;
		}
	if (nr == SYS_uname && s->has_nodename)
		return FACET_CONTINUE_EXIT;
	if ((nr == SYS_open || nr == SYS_openat) && (s->nfd || s->nrewrite))
		return tm_open(s, call);
	return FACET_CONTINUE;
}

static void tm_exit(void *self, struct facet_call *call)
{
	struct tm_state *s = self;

	if (facet_nr(call) == SYS_uname) {
		if (facet_result(call) == 0)
			facet_poke(call, facet_arg(call, 0) +
				   offsetof(struct utsname, nodename),
				   s->tab->nodename,
				   strlen(s->tab->nodename) + 1);
		return;
	}
	facet_set_result(call, *(long *)facet_scratch(call));
}

/* Counts live in facet_env_shared(): one table for all processes */
static int tm_start(void *self, struct facet_env *env, struct facet_err *err)
{
	struct tm_state *s = self;

	if (!s->count_file)
		return 0;
	s->counts = facet_env_shared(env, "testmod",
				     2 * FACET_NR_MAX * sizeof(*s->counts));
	s->supervisor = strcmp(facet_env_backend(env), "preload") != 0;
	if (!s->counts)
		return facet_err_set(err, ENOMEM, "testmod: no shared memory");
	s->owner = facet_env_first(env);
	return 0;
}

static void tm_stop(void *self)
{
	struct tm_state *s = self;
	FILE *f;
	long nr;

	if (!s->count_file || !s->counts || !s->owner)
		return;
	f = fopen(s->count_file, "w");
	if (!f)
		return;
	for (nr = 0; nr < FACET_NR_MAX; nr++)
		if (s->counts[nr] && facet_syscall(nr))
			fprintf(f, "%s %lu\n", facet_syscall(nr)->name,
				s->counts[nr]);
	for (nr = 0; nr < FACET_NR_MAX; nr++)
		if (s->counts[FACET_NR_MAX + nr] && facet_syscall(nr))
			fprintf(f, "%s@supervisor %lu\n",
				facet_syscall(nr)->name,
				s->counts[FACET_NR_MAX + nr]);
	fclose(f);
}

const struct facet_module facet_module = {
	.abi = FACET_MODULE_ABI,
	.name = "testmod",
	.summary = "exercises every entry point of the module API",
	.options = tm_options,
	.self_size = sizeof(struct tm_state),
	.option = tm_option,
	.wants = tm_wants,
	.enter = tm_enter,
	.exit = tm_exit,
	.start = tm_start,
	.stop = tm_stop,
};
