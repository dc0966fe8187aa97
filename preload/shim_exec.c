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
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "shim.h"
#include "shim_loader.h"

extern char **environ;

#define EXEC_HEAD	512

static SHIM_COLD int exec_is_ours(const char *e)
{
	return !strncmp(e, "LD_PRELOAD=", 11) ||
	       !strncmp(e, SHIM_ENV "=", sizeof(SHIM_ENV)) ||
	       !strncmp(e, SHIM_ENV_HANDOFF_CLOEXEC "=",
			sizeof(SHIM_ENV_HANDOFF_CLOEXEC)) ||
	       !strncmp(e, SHIM_ENV_COMM "=", sizeof(SHIM_ENV_COMM)) ||
	       !strncmp(e, SHIM_ENV_HANDOFF "=", sizeof(SHIM_ENV_HANDOFF));
}

SHIM_COLD size_t shim_exec_env_count(char *const *envp)
{
	size_t n = 0;

	while (envp && envp[n])
		n++;
	return n;
}

/* Does @theirs (an LD_PRELOAD value) name the shim by its former name? */
static SHIM_COLD int exec_preload_stale(const char *theirs)
{
	return theirs && shim.so_prev && strstr(theirs, shim.so_prev) &&
	       !strstr(theirs, shim.so_path);
}

/*
 * "LD_PRELOAD=@theirs" in @buf (@cap bytes) with the shim's former name
 * replaced by its name now; NULL if it does not fit
 */
static SHIM_COLD char *exec_preload_rename(const char *theirs, char *buf,
					   size_t cap)
{
	const char *at = strstr(theirs, shim.so_prev);
	size_t pre = (size_t)(at - theirs), old = strlen(shim.so_prev);
	size_t now = strlen(shim.so_path);

	if (11 + strlen(theirs) - old + now + 1 > cap)
		return NULL;
	memcpy(buf, "LD_PRELOAD=", 11);
	memcpy(buf + 11, theirs, pre);
	memcpy(buf + 11 + pre, shim.so_path, now);
	strcpy(buf + 11 + pre + now, at + old);
	return buf;
}

/* Is the @len bytes at @p (an LD_PRELOAD element) the shim? */
static SHIM_COLD int exec_names_shim(const char *p, size_t len,
				     const char *loaded_as)
{
	return (strlen(loaded_as) == len && !memcmp(p, loaded_as, len)) ||
	       (strlen(shim.so_path) == len && !memcmp(p, shim.so_path, len));
}

/*
 * The user's LD_PRELOAD value, @theirs without the element the shim was
 * loaded by (and the separator after it, before it if last), allocated;
 * NULL if nothing is left
 */
static SHIM_COLD char *exec_preload_rest(const char *theirs,
					 const char *loaded_as)
{
	const char *p = theirs;
	size_t len, pre;
	char *rest;

	/* ld.so splits the list at ':' and ' ' */
	for (;; p += len) {
		p += strspn(p, ": ");
		len = strcspn(p, ": ");
		if (!len || exec_names_shim(p, len, loaded_as))
			break;
	}
	rest = malloc(strlen(theirs) + sizeof("LD_PRELOAD="));
	if (!rest)
		return NULL;
	pre = (size_t)(p - theirs);
	strcpy(rest, "LD_PRELOAD=");
	memcpy(rest + 11, theirs, pre);
	if (len && p[len])
		strcpy(rest + 11 + pre, p + len + 1);
	else if (len)
		rest[11 + (pre ? pre - 1 : 0)] = '\0';
	else
		strcpy(rest + 11 + pre, p);
	if (!rest[11 + strspn(rest + 11, ": ")]) {
		free(rest);
		return NULL;
	}
	return rest;
}

/*
 * Entries of the auxiliary vector at @av, with its AT_NULL; 0 if @av is
 * not the kernel's vector (environ is not the initial stack's any more:
 * a library's constructor set a variable)
 */
static SHIM_COLD size_t exec_auxv_len(const Elf64_auxv_t *av)
{
	unsigned long phdr = getauxval(AT_PHDR);
	size_t i;
	int found = 0;

	for (i = 0; i < 64 && av[i].a_type != AT_NULL; i++)
		if (av[i].a_type == AT_PHDR && av[i].a_un.a_val == phdr)
			found = 1;
	return found && i < 64 ? i + 1 : 0;
}

/**
 * shim_exec_env_hide() - Take the view's variables out of environ
 * @loaded_as:	The name ld.so loaded the shim by (an LD_PRELOAD element)
 *
 * The program sees the environment it has natively: no
 * FACET_PRELOAD_CONFIG, and LD_PRELOAD only if the user set one, with the
 * user's objects, spelt as the user spelt them.  Every exec puts the view's
 * variables back (shim_exec_env()); system(), popen() and wordexp(), which
 * start /bin/sh inside libc, run with them (shim_spawn.c).
 *
 * environ becomes a new array, which libc passes to main() as its third
 * argument (bash takes its variables from that).  The one on the initial
 * stack stays as the kernel made it: Go's runtime finds the auxiliary
 * vector after its NULL from argv.  Code that looks for the vector after
 * main()'s envp finds a copy after the new array's NULL.  The kernel's
 * copy, /proc/self/environ, still shows the variables.
 */
SHIM_COLD void shim_exec_env_hide(const char *loaded_as)
{
	size_t n = shim_exec_env_count(environ), i, k = 0;
	const Elf64_auxv_t *av = (const Elf64_auxv_t *)(environ + n + 1);
	size_t nav = exec_auxv_len(av);
	char **mine = malloc((n + 1) * sizeof(*mine) + nav * sizeof(*av));

	if (!mine)
		return;
	for (i = 0; i < n; i++) {
		char *e = environ[i];

		if (!strncmp(e, SHIM_ENV "=", sizeof(SHIM_ENV)))
			continue;
		if (!strncmp(e, "LD_PRELOAD=", 11) &&
		    !(e = exec_preload_rest(e + 11, loaded_as)))
			continue;
		mine[k++] = e;
	}
	mine[k] = NULL;
	memcpy(&mine[k + 1], av, nav * sizeof(*av));
	environ = mine;
}

/**
 * shim_exec_env_buf() - Room shim_exec_env() needs for a merged LD_PRELOAD
 * @envp:	What the program passed (may be NULL)
 *
 * Callers size their buffer with this (a VLA), not with a fixed 8 kB:
 * an exec runs on whatever stack the program has (a vfork child's, a
 * deep one), and every stack page below it touched for the first time
 * is a page fault.
 *
 * Return: bytes, at least 1, at most 8192 (longer: not merged)
 */
SHIM_COLD size_t shim_exec_env_buf(char *const *envp)
{
	const char *theirs = NULL;
	size_t i, need;

	/* loaded outside facet (a stray LD_PRELOAD): no name of its own */
	if (!shim.so_path)
		return 1;
	for (i = 0; envp && envp[i]; i++)
		if (!strncmp(envp[i], "LD_PRELOAD=", 11))
			theirs = envp[i] + 11;
	if (exec_preload_stale(theirs))
		need = strlen(theirs) + strlen(shim.so_path) + 12;
	else if (!theirs || !*theirs || strstr(theirs, shim.so_path))
		return 1;
	else
		need = strlen(shim.preload_var) + strlen(theirs) + 3;
	return need > 8192 ? 1 : need;
}

/* Keep held fd @fd across the exec; 0, or -1 if it is closed */
static SHIM_COLD int exec_keep_fd(int fd)
{
	long fl = shim_gate3(SYS_fcntl, fd, F_GETFD, 0);

	if (fl < 0)
		return -1;
	/* a program that marks every fd close-on-exec (apt's ExecFork)
	 * meant its own, not the view's */
	if (fl & FD_CLOEXEC)
		shim_gate3(SYS_fcntl, fd, F_SETFD, fl & ~FD_CLOEXEC);
	return 0;
}

/*
 * Are the fds a change of user made the names of the shim and the view's
 * memory (shim_creds.c) closed?  A program that closes every fd before it
 * execs leaves ld.so nothing to preload (it would print an error) and the
 * new shim no view.  Under the supervisor the new image then gets none of
 * the view's variables and runs without the shim, all its calls the
 * supervisor's.  Under preload alone it must not run outside the view:
 * it gets them, and its shim stops it with an error.
 */
static SHIM_COLD int exec_shim_gone(void)
{
	const char *p = shim.cfg.shm;
	int shm_fd = 0;

	if (shim.so_fd > 0 && exec_keep_fd(shim.so_fd) < 0)
		return 1;
	/* no sscanf(): this runs in vfork children and the SIGSYS handler */
	if (!p || strncmp(p, "/proc/self/fd/", 14))
		return 0;
	for (p += 14; *p >= '0' && *p <= '9' && shm_fd < 65536; p++)
		shm_fd = shm_fd * 10 + (*p - '0');
	return !*p && exec_keep_fd(shm_fd) < 0;
}

/*
 * Does @envp make ld.so list the program's libraries and exit (ldd's
 * LD_TRACE_LOADED_OBJECTS)?  No code of the program runs then, and the
 * shim in LD_PRELOAD would be listed as one of its libraries.
 */
static SHIM_COLD int exec_lists_libraries(char *const *envp)
{
	size_t i;

	for (i = 0; envp && envp[i]; i++)
		if (!strncmp(envp[i], "LD_TRACE_LOADED_OBJECTS=", 24))
			return 1;
	return 0;
}

/**
 * shim_exec_env() - The environment of a new image in the view
 * @envp:	What the program passed (may be NULL)
 * @bare:	The new image gets none of the view's variables
 *		(shim_exec_bare())
 * @out:	Array of at least count(@envp) + 3 entries
 * @cap:	Its size
 * @buf:	Room for a merged LD_PRELOAD
 * @buf_cap:	Its size
 *
 * Return: @out
 */
SHIM_COLD char **shim_exec_env(char *const *envp, int bare, char **out,
			       size_t cap, char *buf, size_t buf_cap)
{
	const char *theirs = NULL;
	size_t n = 0, i;
	int gone = bare || (exec_shim_gone() && shim.supervised);

	gone |= exec_lists_libraries(envp);

	for (i = 0; envp && envp[i] && n + 3 < cap; i++) {
		if (!strncmp(envp[i], "LD_PRELOAD=", 11))
			theirs = envp[i] + 11;
		if (!exec_is_ours(envp[i]))
			out[n++] = envp[i];
	}
	if (gone) {
		if (theirs && !strstr(theirs, shim.so_path) &&
		    !exec_preload_stale(theirs))
			out[n++] = (char *)theirs - 11;
		out[n] = NULL;
		return out;
	}
	if (exec_preload_stale(theirs) &&
	    exec_preload_rename(theirs, buf, buf_cap)) {
		out[n++] = buf;
	} else if (theirs && *theirs && !strstr(theirs, shim.so_path) &&
	    strlen(shim.preload_var) + strlen(theirs) + 2 < buf_cap) {
		/* after the user's libraries (backend_setenv_preload()) */
		strcpy(buf, "LD_PRELOAD=");
		strcat(buf, theirs);
		strcat(buf, ":");
		strcat(buf, shim.so_path);
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
static SHIM_COLD int exec_elf_static(int fd, const unsigned char *head, ssize_t n)
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

/* Is the program open on @fd static (or behind a static #! interpreter)? */
static int exec_static_fd(int fd, int depth, int setid);

/**
 * exec_static() - Is @path (relative to @dirfd) a static program?
 * @depth:	Levels of #! already followed
 * @setid:	A set-user/group-ID program counts as static
 *
 * A file that can be run but not read (mode --x) cannot be inspected:
 * it goes to the ptracer too, which runs anything.
 *
 * Return: 1 if it is, or runs through a static interpreter; 0 otherwise
 */
static SHIM_COLD int exec_static(int dirfd, const char *path, int depth,
				  int setid)
{
	int fd, ret;

	fd = (int)shim_gate4(SYS_openat, dirfd, path, O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0)
		return fd == -EACCES &&
		       shim_gate4(SYS_faccessat, dirfd, path, X_OK, 0) == 0;
	ret = exec_static_fd(fd, depth, setid);
	shim_gate1(SYS_close, fd);
	return ret;
}

/*
 * A "#!" script of @n bytes read into @head: does its interpreter run
 * static?  A function of its own so that the path buffer is on the stack
 * only for scripts (stack pages below an exec are page faults)
 */
static SHIM_COLD __attribute__((noinline)) int
exec_static_script(const unsigned char *head, ssize_t n, int depth, int setid)
{
	char interp[PATH_MAX];
	int i;

	for (i = 2; i < n && (head[i] == ' ' || head[i] == '\t'); i++)
		;
	for (n = 0; i < EXEC_HEAD && n + 1 < (ssize_t)sizeof(interp) &&
		    head[i] > ' '; i++)
		interp[n++] = (char)head[i];
	interp[n] = '\0';
	return n && interp[0] == '/' && exec_static(AT_FDCWD, interp,
						     depth + 1, setid);
}

static SHIM_COLD int exec_static_fd(int fd, int depth, int setid)
{
	unsigned char head[EXEC_HEAD];
	struct stat st;
	ssize_t n;

	/* set-id programs ignore LD_PRELOAD: they go to the ptracer too */
	if (setid && shim_gate2(SYS_fstat, fd, &st) == 0 &&
	    (st.st_mode & (S_ISUID | S_ISGID)) && (st.st_mode & 0111))
		return 1;
	n = shim_gate4(SYS_pread64, fd, head, sizeof(head), 0);
	if (n > 4 && !memcmp(head, ELFMAG, SELFMAG))
		return exec_elf_static(fd, head, n);
	if (n < 3 || head[0] != '#' || head[1] != '!' || depth > 2)
		return 0;
	return exec_static_script(head, n, depth, setid);
}

/* Append @v in decimal to the string @out (async-signal-safe) */
static SHIM_COLD void exec_put_num(char *out, unsigned v)
{
	char num[16];
	int i = (int)sizeof(num);

	num[--i] = '\0';
	do
		num[--i] = (char)('0' + v % 10);
	while ((v /= 10) && i > 0);
	strcat(out, num + i);
}

/*
 * "/proc/self/fd/N" or "/proc/self/fd/N/PATH" for an exec relative to fd
 * @dirfd (fexecve, execveat): the path the ptracer will exec.
 */
static SHIM_COLD int exec_fd_path(char *out, size_t cap, int dirfd, const char *path)
{
	strcpy(out, "/proc/self/fd/");
	exec_put_num(out, (unsigned)dirfd);
	if (!path[0])
		return 0;
	if (strlen(out) + strlen(path) + 2 > cap)
		return -ENAMETOOLONG;
	strcat(out, "/");
	strcat(out, path);
	return 0;
}

/*
 * Does execveat(@dirfd, @path, ..., @flags) run a static program (or, if
 * @setid, a set-id one)?  An empty path with AT_EMPTY_PATH (fexecve) is
 * the file open on @dirfd: read through /proc/self/fd/N (an O_PATH fd
 * cannot be read), or the fd itself without /proc.
 */
static SHIM_COLD int exec_static_file(int dirfd, const char *path, long flags,
				      int setid)
{
	char proc[64];
	int fd, ret;

	if (path[0] || !(flags & AT_EMPTY_PATH))
		return exec_static(dirfd, path, 0, setid);
	exec_fd_path(proc, sizeof(proc), dirfd, "");
	fd = (int)shim_gate4(SYS_openat, AT_FDCWD, proc, O_RDONLY | O_CLOEXEC,
			     0);
	if (fd < 0)
		return fd == -EACCES || exec_static_fd(dirfd, 0, setid);
	ret = exec_static_fd(fd, 0, setid);
	shim_gate1(SYS_close, fd);
	return ret;
}

/* Is execveat(@dirfd, @path, ..., @flags) one to hand to the ptracer? */
static SHIM_COLD int exec_static_at(int dirfd, const char *path, long flags)
{
	/* the combined mode's supervisor serves it where it is */
	if (!shim.cfg.facet || !shim.cfg.facet[0] || !path ||
	    shim.cfg.supervised)
		return 0;
	return exec_static_file(dirfd, path, flags, 1);
}

/**
 * shim_exec_bare() - Does the new image get none of the view's variables?
 * @dirfd:	As execveat's (AT_FDCWD for execve)
 * @path:	The file, after the module chain
 * @argv:	Its arguments
 * @flags:	As execveat's
 *
 * Under the supervisor (combined) a static program, which cannot load the
 * shim, runs where it is; natively it would not see LD_PRELOAD and
 * FACET_PRELOAD_CONFIG, nor does it here (it has no shim to hide them).
 * Nothing is lost: the dynamic programs it starts find the gate page
 * refused (ptracer/tracer_gate.c) and would leave all their calls to the
 * supervisor anyway.  Set-id programs keep the shim (under ptrace the
 * kernel runs them as the user, and ld.so honours LD_PRELOAD), as does
 * the loader run as a program, unless it is to list a program's
 * libraries (--list), where the shim would be listed among them.
 *
 * Return: 1 if it does
 */
SHIM_COLD int shim_exec_bare(int dirfd, const char *path, char *const *argv,
			     long flags)
{
	if (!shim.cfg.supervised || !path)
		return 0;
	if (shim_loader_named(path))
		return shim_loader_lists(argv);
	return exec_static_file(dirfd, path, flags, 0);
}

/* One of the dynamic loader's variables, which act on facet's own loading
 * at a handoff (ldd's LD_TRACE_LOADED_OBJECTS listed facet's libraries);
 * LD_PRELOAD is the shim's and the user's (exec_handoff_preload()) */
static SHIM_COLD int exec_is_loader_var(const char *e)
{
	return !strncmp(e, "LD_", 3) && strncmp(e, "LD_PRELOAD=", 11);
}

/*
 * FACET_PRELOAD_KEEP_LD_PRELOAD=, the elements of @theirs (an LD_PRELOAD
 * value) that are not the shim, at @out; @out unchanged if none is left.
 * The user's objects (fakeroot's, a sanitizer's) go on to the program and
 * its children under the ptracer, as they do natively.
 *
 * Return: the end of what was written (after its NUL), or @out
 */
static SHIM_COLD char *exec_handoff_preload(const char *theirs, char *out)
{
	const char *p = theirs;
	char *at = stpcpy(stpcpy(out, SHIM_ENV_HANDOFF_KEEP), "LD_PRELOAD=");
	char *start = at;
	size_t len;

	/* ld.so splits the list at ':' and ' ' */
	for (;; p += len) {
		p += strspn(p, ": ");
		len = strcspn(p, ": ");
		if (!len)
			break;
		if (exec_names_shim(p, len, shim.so_prev ? shim.so_prev :
							   shim.so_path))
			continue;
		if (at != start)
			*at++ = ':';
		memcpy(at, p, len);
		at += len;
	}
	*at = '\0';
	return at == start ? out : at + 1;
}

/**
 * shim_handoff_env_bytes() - Room shim_handoff_args() needs in @ldbuf
 */
SHIM_COLD size_t shim_handoff_env_bytes(char *const *envp)
{
	size_t n = 1, i;

	for (i = 0; envp && envp[i]; i++)
		if (exec_is_loader_var(envp[i]) ||
		    !strncmp(envp[i], "LD_PRELOAD=", 11))
			n += sizeof(SHIM_ENV_HANDOFF_KEEP) + strlen(envp[i]);
	return n;
}

/**
 * shim_handoff_args() - argv and envp that run static @path under facet
 * @nargv:	Room for count(@argv) + 8 entries
 * @nenvp:	Room for count(@envp) + 4 entries
 * @pathvar:	Room for PATH_MAX + 32 bytes
 * @keep_fd:	An fd the path names (/proc/self/fd/N) that was
 *		close-on-exec and must be again in the program, or -1
 * @fdvar:	Room for 48 bytes
 * @ldbuf:	Room for shim_handoff_env_bytes(@envp) bytes
 *
 * argv stays as the program gave it; the file goes in
 * FACET_PRELOAD_HANDOFF_PATH (relative names stay relative to the cwd),
 * and the loader's variables as FACET_PRELOAD_KEEP_LD_...
 */
SHIM_COLD void shim_handoff_args(const char *path, char *const *argv,
		       char *const *envp, char **nargv, char **nenvp,
		       char *pathvar, int keep_fd, char *fdvar, char *ldbuf)
{
	size_t argc = shim_exec_env_count(argv), i, n = 0;

	for (i = 0; envp && envp[i]; i++) {
		if (exec_is_loader_var(envp[i])) {
			nenvp[n++] = ldbuf;
			ldbuf = stpcpy(stpcpy(ldbuf, SHIM_ENV_HANDOFF_KEEP),
				       envp[i]) + 1;
		} else if (!strncmp(envp[i], "LD_PRELOAD=", 11)) {
			char *end = exec_handoff_preload(envp[i] + 11, ldbuf);

			if (end != ldbuf)
				nenvp[n++] = ldbuf;
			ldbuf = end;
		} else if (!exec_is_ours(envp[i]) &&
			   strncmp(envp[i], SHIM_ENV_HANDOFF_PATH "=",
				   sizeof(SHIM_ENV_HANDOFF_PATH))) {
			nenvp[n++] = envp[i];
		}
	}
	nenvp[n++] = shim.handoff_var;
	strcpy(pathvar, SHIM_ENV_HANDOFF_PATH "=");
	if (!strchr(path, '/'))
		strcat(pathvar, "./");
	strncat(pathvar, path, PATH_MAX);
	nenvp[n++] = pathvar;
	if (keep_fd >= 0) {
		/* "FACET_PRELOAD_HANDOFF_CLOEXEC=N": N is the fd of the path */
		strcpy(fdvar, SHIM_ENV_HANDOFF_CLOEXEC "=");
		exec_put_num(fdvar, (unsigned)keep_fd);
		nenvp[n++] = fdvar;
	}
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
SHIM_COLD int shim_exec_static(int dirfd, const char *path)
{
	return exec_static_at(dirfd, path, 0);
}

/*
 * Hand a static program to the ptracer.  An exec relative to a file
 * descriptor (fexecve of a memfd, execveat with a directory fd) becomes
 * /proc/self/fd/N[/PATH]: N is kept open across the exec of facet and,
 * if it was close-on-exec, facet marks it so again before the program
 * runs (FACET_PRELOAD_HANDOFF_CLOEXEC).
 */
static SHIM_COLD long exec_handoff(int at, const long orig[6])
{
	const char *opath = (const char *)orig[at];
	char *const *oargv = (char *const *)orig[at + 1];
	char *const *oenvp = (char *const *)orig[at + 2];
	char *nargv[shim_exec_env_count(oargv) + 8];
	char *nenvp[shim_exec_env_count(oenvp) + 4];
	char dot[PATH_MAX + 32], fdpath[PATH_MAX], fdvar[48];
	char ldbuf[shim_handoff_env_bytes(oenvp)];
	int fd = (int)orig[0], keep = -1;
	long ret;

	if (at && fd != AT_FDCWD && opath[0] != '/') {
		if (fd < 0)
			return -EBADF;
		if (!opath[0] && !(orig[4] & AT_EMPTY_PATH))
			return -ENOENT;
		if (exec_fd_path(fdpath, sizeof(fdpath), fd, opath) < 0)
			return -ENAMETOOLONG;
		opath = fdpath;
		ret = shim_gate2(SYS_fcntl, fd, F_GETFD);
		if (ret < 0)
			return ret;
		if (ret & FD_CLOEXEC) {
			shim_gate3(SYS_fcntl, fd, F_SETFD, ret & ~FD_CLOEXEC);
			keep = fd;
		}
	}
	shim_handoff_args(opath, oargv, oenvp, nargv, nenvp, dot, keep, fdvar,
			  ldbuf);
	ret = shim_gate3(SYS_execve, shim.cfg.facet, nargv, nenvp);
	if (keep >= 0)
		shim_gate3(SYS_fcntl, keep, F_SETFD, FD_CLOEXEC);
	return ret;
}

/*
 * After chroot() or pivot_root(): is the shim out of reach of the new
 * image (not inside the new root)?  ld.so would then start it without the
 * shim, outside the view: the exec fails with ELIBACC instead.
 */
static int exec_rootless(const char *path)
{
	static int told;

	if (shim_gate2(SYS_access, shim.so_path, R_OK) == 0)
		return 0;
	if (!__atomic_exchange_n(&told, 1, __ATOMIC_RELAXED))
		facet_logmsg(FACET_LOG_ERROR, "preload: cannot run %s in the "
			     "new root: the view's shim %s is not inside it "
			     "(run facet with --backend ptrace)", path,
			     shim.so_path);
	return 1;
}

/**
 * shim_exec() - Carry out an execve or execveat in the view
 * @nr:		SYS_execve or SYS_execveat
 * @args:	Its arguments (after the module chain)
 * @orig:	As the program made it (before the chain)
 *
 * Return: only on failure, -errno
 */
SHIM_COLD long shim_exec(long nr, const long args[6], const long orig[6])
{
	int at = nr == SYS_execveat;
	int dirfd = at ? (int)args[0] : AT_FDCWD;
	const char *path = (const char *)args[at];
	char *const *argv = (char *const *)args[at + 1];
	char *const *envp = (char *const *)args[at + 2];
	size_t cap = shim_exec_env_count(envp) + 4;
	char *out[cap], buf[shim_exec_env_buf(envp)];
	char **nenv;

	if (!shim.active)
		return shim_gate(nr, args[0], args[1], args[2], args[3],
				 args[4], args[5]);
	if (__builtin_expect(shim.rooted, 0) && exec_rootless(path))
		return -ELIBACC;
	/* the ptracer's modules see the call as the program made it */
	if (exec_static_at(dirfd, path, at ? args[4] : 0))
		return exec_handoff(at, orig);
	nenv = shim_exec_env(envp, shim_exec_bare(dirfd, path, argv,
						  at ? args[4] : 0),
			     out, cap, buf, sizeof(buf));
	if (at)
		return shim_gate(nr, args[0], args[1], args[2], (long)nenv,
				 args[4], 0);
	return shim_gate3(nr, path, argv, nenv);
}

/* --- The libc entry points ------------------------------------------- */

SHIM_COLD int execve(const char *path, char *const argv[], char *const envp[])
{
	return (int)shim_ret(shim_syscall6(SYS_execve, (long)path, (long)argv,
					   (long)envp, 0, 0, 0));
}

SHIM_COLD int execveat(int dirfd, const char *path, char *const argv[],
	     char *const envp[], int flags)
{
	return (int)shim_ret(shim_syscall6(SYS_execveat, dirfd, (long)path,
					   (long)argv, (long)envp, flags, 0));
}

SHIM_COLD int fexecve(int fd, char *const argv[], char *const envp[])
{
	return execveat(fd, "", argv, envp, AT_EMPTY_PATH);
}

SHIM_COLD int execv(const char *path, char *const argv[])
{
	return execve(path, argv, environ);
}

/* A file that exists but is no executable: run it with /bin/sh, as glibc */
static SHIM_COLD void exec_shell(const char *path, char *const argv[],
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

SHIM_COLD int execvpe(const char *file, char *const argv[], char *const envp[])
{
	const char *p, *dirs = NULL;
	int got_eacces = 0;
	size_t flen, cap;

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
	/* no longer than a name made from PATH can be: the exec below runs
	 * under this buffer, and stack pages are page faults */
	cap = strlen(dirs) + flen + 2;
	if (cap > PATH_MAX)
		cap = PATH_MAX;
	char path[cap];

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

SHIM_COLD int execvp(const char *file, char *const argv[])
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

SHIM_COLD int execl(const char *path, const char *arg, ...)
{
	va_list ap;

	EXEC_VARARGS(arg, ap, argv, (void)0);
	return execve(path, argv, environ);
}

SHIM_COLD int execlp(const char *file, const char *arg, ...)
{
	va_list ap;

	EXEC_VARARGS(arg, ap, argv, (void)0);
	return execvpe(file, argv, environ);
}

SHIM_COLD int execle(const char *path, const char *arg, ...)
{
	char *const *envp;
	va_list ap;

	EXEC_VARARGS(arg, ap, argv, envp = va_arg(ap, char *const *));
	return execve(path, argv, envp);
}
