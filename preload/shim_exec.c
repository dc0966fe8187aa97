// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * preload/shim_exec.c - execve: stay loaded, hand static binaries over
 *
 * DOC: Across execve
 *
 * Every execve the shim sees (the libc functions below, the chain's own
 * execve, a trapped raw one) gets LD_PRELOAD and FACET_PRELOAD put back
 * into the new environment, whatever the program did to it (env -i, an
 * empty envp, its own LD_PRELOAD, which is kept after ours).
 *
 * A static binary cannot load the shim, and a set-id one would ignore
 * LD_PRELOAD and run outside the view.  When the target (or the
 * interpreter of a #! script) is an ELF file without PT_INTERP, or is
 * set-user-ID or set-group-ID, the shim
 * execs `facet run --backend ptrace -- PATH ARG...` instead, with the
 * view's configuration in FACET_PRELOAD_HANDOFF: the process keeps its pid,
 * and the ptracer runs the same modules on the static program.  The
 * path and argv are the ones the program asked for (the ptracer's modules
 * see the exec again); the path travels in FACET_PRELOAD_HANDOFF_PATH, so
 * argv[0] stays what the program made it.
 *
 * Everything here is async-signal-safe and allocates nothing: it runs in
 * vfork children and in the SIGSYS handler.
 */
#include <elf.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "shim.h"

extern char **environ;

#define EXEC_HEAD	512

static int exec_is_ours(const char *e)
{
	return !strncmp(e, "LD_PRELOAD=", 11) ||
	       !strncmp(e, SHIM_ENV "=", sizeof(SHIM_ENV)) ||
	       !strncmp(e, SHIM_ENV_HANDOFF "=", sizeof(SHIM_ENV_HANDOFF));
}

size_t shim_exec_env_count(char *const *envp)
{
	size_t n = 0;

	while (envp && envp[n])
		n++;
	return n;
}

/**
 * shim_exec_env() - The environment of a new image in the view
 * @envp:	What the program passed (may be NULL)
 * @out:	Array of at least count(@envp) + 3 entries
 * @cap:	Its size
 * @buf:	Room for a merged LD_PRELOAD
 * @buf_cap:	Its size
 *
 * Return: @out
 */
char **shim_exec_env(char *const *envp, char **out, size_t cap, char *buf,
		     size_t buf_cap)
{
	const char *theirs = NULL;
	size_t n = 0, i;

	for (i = 0; envp && envp[i] && n + 3 < cap; i++) {
		if (!strncmp(envp[i], "LD_PRELOAD=", 11))
			theirs = envp[i] + 11;
		if (!exec_is_ours(envp[i]))
			out[n++] = envp[i];
	}
	if (theirs && *theirs && !strstr(theirs, shim.so_path) &&
	    strlen(shim.preload_var) + strlen(theirs) + 2 < buf_cap) {
		strcpy(buf, shim.preload_var);
		strcat(buf, ":");
		strcat(buf, theirs);
		out[n++] = buf;
	} else if (theirs && strstr(theirs, shim.so_path)) {
		out[n++] = (char *)theirs - 11;
	} else {
		out[n++] = shim.preload_var;
	}
	out[n++] = shim.env_var;
	out[n] = NULL;
	return out;
}

/* Does the ELF image in @head (read from @fd) lack PT_INTERP? */
static int exec_elf_static(int fd, const unsigned char *head, ssize_t n)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)head;
	Elf64_Phdr ph;
	int i;

	if (n < (ssize_t)sizeof(*eh))
		return 0;
	/* a 32-bit program cannot load this shim either */
	if (eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_machine != EM_X86_64)
		return 1;
	if ((eh->e_type != ET_EXEC && eh->e_type != ET_DYN) ||
	    eh->e_phentsize != sizeof(ph))
		return 0;
	for (i = 0; i < eh->e_phnum; i++) {
		off_t at = (off_t)eh->e_phoff + (off_t)i * sizeof(ph);

		if (at + (off_t)sizeof(ph) <= n)
			memcpy(&ph, head + at, sizeof(ph));
		else if (shim_gate4(SYS_pread64, fd, &ph, sizeof(ph), at) !=
			 sizeof(ph))
			return 0;
		if (ph.p_type == PT_INTERP)
			return 0;
	}
	/* the dynamic loader run as a program does honour LD_PRELOAD */
	return eh->e_type == ET_EXEC || eh->e_phnum == 0 ||
	       !memmem(head, (size_t)n, "ld-linux", 8);
}

/**
 * exec_static() - Is @path (relative to @dirfd) a static program?
 * @depth:	Levels of #! already followed
 *
 * Return: 1 if it is, or runs through a static interpreter; 0 otherwise
 */
static int exec_static(int dirfd, const char *path, int depth)
{
	unsigned char head[EXEC_HEAD];
	char interp[PATH_MAX];
	struct stat st;
	ssize_t n;
	int fd, i, ret;

	fd = (int)shim_gate4(SYS_openat, dirfd, path, O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0)
		return 0;
	/* set-id programs ignore LD_PRELOAD: they go to the ptracer too */
	if (shim_gate2(SYS_fstat, fd, &st) == 0 &&
	    (st.st_mode & (S_ISUID | S_ISGID)) && (st.st_mode & 0111)) {
		shim_gate1(SYS_close, fd);
		return 1;
	}
	n = shim_gate3(SYS_read, fd, head, sizeof(head));
	if (n > 4 && !memcmp(head, ELFMAG, SELFMAG)) {
		ret = exec_elf_static(fd, head, n);
		shim_gate1(SYS_close, fd);
		return ret;
	}
	shim_gate1(SYS_close, fd);
	if (n < 3 || head[0] != '#' || head[1] != '!' || depth > 2)
		return 0;
	for (i = 2; i < n && (head[i] == ' ' || head[i] == '\t'); i++)
		;
	for (n = 0; i < EXEC_HEAD && n + 1 < (ssize_t)sizeof(interp) &&
		    head[i] > ' '; i++)
		interp[n++] = (char)head[i];
	interp[n] = '\0';
	return n && interp[0] == '/' && exec_static(AT_FDCWD, interp,
						     depth + 1);
}

/**
 * shim_handoff_args() - argv and envp that run static @path under facet
 * @nargv:	Room for count(@argv) + 8 entries
 * @nenvp:	Room for count(@envp) + 3 entries
 * @pathvar:	Room for PATH_MAX + 32 bytes
 *
 * argv stays as the program gave it; the file goes in
 * FACET_PRELOAD_HANDOFF_PATH (relative names stay relative to the cwd).
 */
void shim_handoff_args(const char *path, char *const *argv,
		       char *const *envp, char **nargv, char **nenvp,
		       char *pathvar)
{
	size_t argc = shim_exec_env_count(argv), i, n = 0;

	for (i = 0; envp && envp[i]; i++)
		if (!exec_is_ours(envp[i]) &&
		    strncmp(envp[i], SHIM_ENV_HANDOFF_PATH "=",
			    sizeof(SHIM_ENV_HANDOFF_PATH)))
			nenvp[n++] = envp[i];
	nenvp[n++] = shim.handoff_var;
	strcpy(pathvar, SHIM_ENV_HANDOFF_PATH "=");
	if (!strchr(path, '/'))
		strcat(pathvar, "./");
	strncat(pathvar, path, PATH_MAX);
	nenvp[n++] = pathvar;
	nenvp[n] = NULL;
	n = 0;
	nargv[n++] = shim.cfg.facet;
	nargv[n++] = "run";
	nargv[n++] = "--backend";
	nargv[n++] = "ptrace";
	nargv[n++] = "--";
	nargv[n++] = argc ? argv[0] : (char *)path;
	for (i = 1; i < argc; i++)
		nargv[n++] = argv[i];
	nargv[n] = NULL;
	if (facet_log_enabled(FACET_LOG_INFO))
		facet_logmsg(FACET_LOG_INFO, "%s is statically linked or "
			     "set-id: handing it to the ptrace backend", path);
}

/* Is @path a static program that must go to the ptracer? */
int shim_exec_static(int dirfd, const char *path)
{
	return path && shim.cfg.facet && shim.cfg.facet[0] &&
	       exec_static(dirfd, path, 0);
}

/**
 * shim_exec() - Carry out an execve or execveat in the view
 * @nr:		SYS_execve or SYS_execveat
 * @args:	Its arguments (after the module chain)
 * @orig:	As the program made it (before the chain)
 *
 * Return: only on failure, -errno
 */
long shim_exec(long nr, const long args[6], const long orig[6])
{
	int at = nr == SYS_execveat;
	int dirfd = at ? (int)args[0] : AT_FDCWD;
	const char *path = (const char *)args[at];
	char *const *argv = (char *const *)args[at + 1];
	char *const *envp = (char *const *)args[at + 2];
	size_t cap = shim_exec_env_count(envp) + 4;
	char *out[cap], buf[8192];
	char **nenv;

	if (!shim.active)
		return shim_gate(nr, args[0], args[1], args[2], args[3],
				 args[4], args[5]);
	if (!(at && (args[4] & AT_EMPTY_PATH)) &&
	    shim_exec_static(dirfd, path)) {
		/* the ptracer's modules see the call as the program made it */
		const char *opath = (const char *)orig[at];
		char *const *oargv = (char *const *)orig[at + 1];
		char *const *oenvp = (char *const *)orig[at + 2];
		char *nargv[shim_exec_env_count(oargv) + 8];
		char *nenvp[shim_exec_env_count(oenvp) + 3];
		char dot[PATH_MAX + 32];

		if (orig[0] != AT_FDCWD && at && opath[0] != '/')
			return -ENOSYS;
		shim_handoff_args(opath, oargv, oenvp, nargv, nenvp, dot);
		return shim_gate3(SYS_execve, shim.cfg.facet, nargv, nenvp);
	}
	nenv = shim_exec_env(envp, out, cap, buf, sizeof(buf));
	if (at)
		return shim_gate(nr, args[0], args[1], args[2], (long)nenv,
				 args[4], 0);
	return shim_gate3(nr, path, argv, nenv);
}

/* --- The libc entry points ------------------------------------------- */

int execve(const char *path, char *const argv[], char *const envp[])
{
	return (int)shim_ret(shim_syscall6(SYS_execve, (long)path, (long)argv,
					   (long)envp, 0, 0, 0));
}

int execveat(int dirfd, const char *path, char *const argv[],
	     char *const envp[], int flags)
{
	return (int)shim_ret(shim_syscall6(SYS_execveat, dirfd, (long)path,
					   (long)argv, (long)envp, flags, 0));
}

int fexecve(int fd, char *const argv[], char *const envp[])
{
	return execveat(fd, "", argv, envp, AT_EMPTY_PATH);
}

int execv(const char *path, char *const argv[])
{
	return execve(path, argv, environ);
}

/* A file that exists but is no executable: run it with /bin/sh, as glibc */
static void exec_shell(const char *path, char *const argv[],
		       char *const envp[])
{
	size_t argc = shim_exec_env_count(argv), i;
	char *nargv[argc + 3];

	nargv[0] = "/bin/sh";
	nargv[1] = (char *)path;
	for (i = 1; i < argc; i++)
		nargv[i + 1] = argv[i];
	nargv[argc + 1] = NULL;
	execve("/bin/sh", nargv, envp);
}

int execvpe(const char *file, char *const argv[], char *const envp[])
{
	const char *p, *dirs = NULL;
	char path[PATH_MAX];
	int got_eacces = 0;
	size_t flen;

	if (!*file) {
		errno = ENOENT;
		return -1;
	}
	if (strchr(file, '/')) {
		execve(file, argv, envp);
		if (errno == ENOEXEC)
			exec_shell(file, argv, envp);
		return -1;
	}
	for (char *const *e = environ; e && *e; e++)
		if (!strncmp(*e, "PATH=", 5))
			dirs = *e + 5;
	if (!dirs)
		dirs = "/bin:/usr/bin";
	flen = strlen(file);
	for (p = dirs;; p++) {
		const char *end = strchrnul(p, ':');
		size_t dlen = (size_t)(end - p);

		if (dlen + flen + 2 <= sizeof(path)) {
			memcpy(path, p, dlen);
			if (dlen)
				path[dlen++] = '/';
			memcpy(path + dlen, file, flen + 1);
			execve(path, argv, envp);
			if (errno == ENOEXEC) {
				exec_shell(path, argv, envp);
				return -1;
			}
			if (errno == EACCES)
				got_eacces = 1;
			else if (errno != ENOENT && errno != ENOTDIR &&
				 errno != ESTALE && errno != ENODEV &&
				 errno != ETIMEDOUT)
				return -1;
		}
		if (!*end)
			break;
		p = end;
	}
	errno = got_eacces ? EACCES : ENOENT;
	return -1;
}

int execvp(const char *file, char *const argv[])
{
	return execvpe(file, argv, environ);
}

/* Collect execl-style arguments into @argv (the stack of the caller) */
#define EXEC_VARARGS(arg0, ap, argv, envp_out)				\
	size_t argc_ = 1;						\
	va_start(ap, arg0);						\
	while (va_arg(ap, char *))					\
		argc_++;						\
	va_end(ap);							\
	char *argv[argc_ + 1];						\
	va_start(ap, arg0);						\
	argv[0] = (char *)(arg0);					\
	for (size_t i_ = 1; i_ <= argc_; i_++)				\
		argv[i_] = va_arg(ap, char *);				\
	envp_out;							\
	va_end(ap)

int execl(const char *path, const char *arg, ...)
{
	va_list ap;

	EXEC_VARARGS(arg, ap, argv, (void)0);
	return execve(path, argv, environ);
}

int execlp(const char *file, const char *arg, ...)
{
	va_list ap;

	EXEC_VARARGS(arg, ap, argv, (void)0);
	return execvpe(file, argv, environ);
}

int execle(const char *path, const char *arg, ...)
{
	char *const *envp;
	va_list ap;

	EXEC_VARARGS(arg, ap, argv, envp = va_arg(ap, char *const *));
	return execve(path, argv, envp);
}
