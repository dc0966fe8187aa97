// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/progs/vfs_escape.c - Try to read a file the view hides
 *
 * Usage: vfs_escape DIR NAME TMP MARK
 *   DIR/NAME is the secret file as the program would name it, TMP a
 *   writable directory, MARK the secret's content.  Every attempt prints
 *   "N name: blocked" or "N name: LEAK"; the status is the number of leaks.
 *   "(existence)" attempts count a leak when the answer differs from
 *   ENOENT.  An fd 3 inherited from outside the view, if open, is tried
 *   as a dirfd too, and so is a directory fd received from the socket
 *   $VFS_ESCAPE_FDSOCK (a server outside the view sends it on connect).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <signal.h>
#include <sys/inotify.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

static const char *dir, *name, *tmp, *mark;
static int leaks, nr;

/* Does fd @fd (consumed) read the mark? */
static int reads_mark(int fd)
{
	char buf[256];
	ssize_t n;

	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	return strstr(buf, mark) != NULL;
}

static void report(const char *what, int leaked)
{
	printf("%d %s: %s\n", ++nr, what, leaked ? "LEAK" : "blocked");
	leaks += leaked;
}

static char *cat(const char *a, const char *b)
{
	static char bufs[8][4096];
	static int i;
	char *p = bufs[i++ & 7];

	snprintf(p, 4096, "%s/%s", a, b);
	return p;
}

static int o2(int dfd, const char *p, unsigned long long resolve)
{
	struct open_how how = { .flags = O_RDONLY, .resolve = resolve };

	return syscall(SYS_openat2, dfd, p, &how, sizeof(how));
}

/* Does a raw getdents64 with a large buffer list @nm in @d? */
static int dents_sees(const char *d, const char *nm)
{
	static char buf[1 << 20];
	int fd = open(d, O_RDONLY | O_DIRECTORY), seen = 0;
	long n, off;

	while (fd >= 0 && (n = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0)
		for (off = 0; off < n;) {
			unsigned short reclen;

			memcpy(&reclen, buf + off + 16, sizeof(reclen));
			seen |= !strcmp(buf + off + 19, nm);
			off += reclen;
		}
	if (fd >= 0)
		close(fd);
	return seen;
}

static void attempts_paths(const char *secret)
{
	char buf[4096], cwd[4096];
	struct stat st;
	int dfd;

	report("open", reads_mark(open(secret, O_RDONLY)));
	report("dot-dot through a subdir",
	       reads_mark(open(cat(cat(dir, "sub/.."), name), O_RDONLY)));
	snprintf(buf, sizeof(buf), "%.2000s//./%.1000s", dir, name);
	report("extra slashes and dots", reads_mark(open(buf, O_RDONLY)));
	dfd = open(dir, O_RDONLY | O_DIRECTORY);
	report("openat with a dirfd", reads_mark(openat(dfd, name, O_RDONLY)));
	report("openat2", reads_mark(o2(dfd, name, 0)));
	report("openat2 RESOLVE_BENEATH",
	       reads_mark(o2(dfd, name, RESOLVE_BENEATH)));
	report("openat2 RESOLVE_IN_ROOT",
	       reads_mark(o2(dfd, name, RESOLVE_IN_ROOT)));
	report("openat2 RESOLVE_NO_SYMLINKS absolute",
	       reads_mark(o2(AT_FDCWD, secret, RESOLVE_NO_SYMLINKS)));
	snprintf(buf, sizeof(buf), "/proc/self/fd/%d/%.2000s", dfd, name);
	report("/proc/self/fd/N/name", reads_mark(open(buf, O_RDONLY)));
	snprintf(buf, sizeof(buf), "/dev/fd/%d/%.2000s", dfd, name);
	report("/dev/fd/N/name", reads_mark(open(buf, O_RDONLY)));
	snprintf(buf, sizeof(buf), "/proc/thread-self/root%.3000s", secret);
	report("/proc/thread-self/root", reads_mark(open(buf, O_RDONLY)));
	snprintf(buf, sizeof(buf), "/proc/self/root%.3000s", secret);
	report("/proc/self/root", reads_mark(open(buf, O_RDONLY)));
	snprintf(buf, sizeof(buf), "/proc/%d/root%.3000s", getppid(), secret);
	report("/proc/PPID/root", reads_mark(open(buf, O_RDONLY)));
	snprintf(buf, sizeof(buf), "/proc/1/root%.3000s", secret);
	report("/proc/1/root", reads_mark(open(buf, O_RDONLY)));
	snprintf(buf, sizeof(buf), "/../../../..%.3000s", secret);
	report("leading dot-dots", reads_mark(open(buf, O_RDONLY)));
	report("stat", stat(secret, &st) == 0);
	report("statx", syscall(SYS_statx, AT_FDCWD, secret, 0, 0x7ff,
				buf) == 0);
	report("faccessat2", syscall(SYS_faccessat2, AT_FDCWD, secret, R_OK,
				     0) == 0);
	report("O_PATH then /proc/self/fd",
	       ({ int p = open(secret, O_PATH);
		  snprintf(buf, sizeof(buf), "/proc/self/fd/%d", p);
		  p >= 0 && reads_mark(open(buf, O_RDONLY)); }));
	if (getcwd(cwd, sizeof(cwd)) && chdir(dir) == 0) {
		report("chdir then relative", reads_mark(open(name, O_RDONLY)));
		report("/proc/self/cwd",
		       reads_mark(open(cat("/proc/self/cwd", name), O_RDONLY)));
		if (chdir(cwd) < 0)
			perror("chdir");
	}
	unlink(cat(tmp, "abs"));
	if (symlink(secret, cat(tmp, "abs")) == 0)
		report("absolute symlink",
		       reads_mark(open(cat(tmp, "abs"), O_RDONLY)));
	snprintf(buf, sizeof(buf), "../../../../../../../..%.3000s", secret);
	unlink(cat(tmp, "rel"));
	if (symlink(buf, cat(tmp, "rel")) == 0)
		report("relative symlink",
		       reads_mark(open(cat(tmp, "rel"), O_RDONLY)));
	unlink(cat(tmp, "dirlink"));
	if (symlink(dir, cat(tmp, "dirlink")) == 0)
		report("symlink to the directory",
		       reads_mark(open(cat(cat(tmp, "dirlink"), name),
				       O_RDONLY)));
	report("hard link", link(secret, cat(tmp, "hard")) == 0 ||
	       reads_mark(open(cat(tmp, "hard"), O_RDONLY)));
	report("linkat AT_SYMLINK_FOLLOW",
	       linkat(AT_FDCWD, cat(tmp, "abs"), AT_FDCWD, cat(tmp, "hard2"),
		      AT_SYMLINK_FOLLOW) == 0);
	report("rename out", rename(secret, cat(tmp, "moved")) == 0 ||
	       reads_mark(open(cat(tmp, "moved"), O_RDONLY)));
	report("unlink", unlink(secret) == 0);
	report("execve", ({ char *av[] = { (char *)secret, NULL };
			    execve(secret, av, NULL); errno != ENOENT; }));
	report("name_to_handle_at",
	       ({ char h[256] = { 0 }; int mnt;
		  *(unsigned *)h = 128;
		  syscall(SYS_name_to_handle_at, AT_FDCWD, secret, h, &mnt,
			  0) == 0; }));
	report("readlink of a symlink to it, then open",
	       ({ ssize_t n = readlink(cat(tmp, "abs"), buf, 4095);
		  n > 0 && (buf[n] = 0, reads_mark(open(buf, O_RDONLY))); }));
	report("directory listing",
	       ({ DIR *d = opendir(dir); struct dirent *e; int seen = 0;
		  while (d && (e = readdir(d)))
			  seen |= !strcmp(e->d_name, name);
		  if (d)
			  closedir(d);
		  seen; }));
	report("getdents64 with a 1 MiB buffer", dents_sees(dir, name));
	report("io_uring_setup", ({ char p[120] = { 0 };
		  long fd = syscall(SYS_io_uring_setup, 4, p);
		  if (fd >= 0)
			  close(fd);
		  fd >= 0 || errno != ENOSYS; }));
	close(dfd);
}

/* Did a call that should say ENOENT say anything else? */
static int exists(long ret)
{
	return ret >= 0 || errno != ENOENT;
}

/*
 * A child that puts itself somewhere (chdir to @cd, a dirfd on @fdto) and
 * waits; returns its pid, *@fd the dirfd's number in it, or -1
 */
static pid_t child_at(const char *cd, const char *fdto, int *fd)
{
	int p[2], n = -1;
	pid_t pid;

	if (pipe(p) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		if (cd && chdir(cd) < 0)
			_exit(1);
		if (fdto)
			n = open(fdto, O_RDONLY | O_DIRECTORY);
		if (write(p[1], &n, sizeof(n)) < 0)
			_exit(1);
		pause();
		_exit(0);
	}
	close(p[1]);
	if (pid < 0 || read(p[0], &n, sizeof(n)) != sizeof(n)) {
		close(p[0]);
		return -1;
	}
	close(p[0]);
	if (fd)
		*fd = n;
	return pid;
}

static void child_end(pid_t pid)
{
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
}

/* In a new user and mount namespace, bind the directory elsewhere */
static int userns_bind(const char *secret_dir)
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		char *mnt = cat(tmp, "mnt");

		mkdir(mnt, 0700);
		if (unshare(CLONE_NEWUSER | CLONE_NEWNS) < 0 &&
		    unshare(CLONE_NEWNS) < 0)
			_exit(0);
		if (mount(secret_dir, mnt, NULL, MS_BIND, NULL) < 0)
			_exit(0);
		_exit(reads_mark(open(cat(mnt, name), O_RDONLY)));
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return 0;
	return WIFEXITED(status) && WEXITSTATUS(status) == 1;
}

/* Attempts through a dirfd @dfd on the secret's directory */
/* Does a raw listing of directory fd @dfd hold the hidden name? */
static int lists_name(int dfd)
{
	static char buf[65536];
	int fd = dup(dfd);
	long n, off;
	int found = 0;

	if (fd < 0 || lseek(fd, 0, SEEK_SET) < 0) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	while (!found && (n = syscall(SYS_getdents64, fd, buf,
				      sizeof(buf))) > 0)
		for (off = 0; off < n;
		     off += *(unsigned short *)(buf + off + 16))
			found |= !strcmp(buf + off + 19, name);
	close(fd);
	return found;
}

static void attempts_dirfd(const char *what, int dfd)
{
	char buf[4096], label[128];
	int cwd = open(".", O_RDONLY | O_DIRECTORY);

	snprintf(label, sizeof(label), "%s: openat", what);
	report(label, reads_mark(openat(dfd, name, O_RDONLY)));
	snprintf(buf, sizeof(buf), "/proc/self/fd/%d/%.2000s", dfd, name);
	snprintf(label, sizeof(label), "%s: /proc/self/fd/N/name", what);
	report(label, reads_mark(open(buf, O_RDONLY)));
	/* an fd handed in on purpose lists what it is under --root: asked
	 * for where a listing drops names ($VFS_ESCAPE_LISTING) */
	if (getenv("VFS_ESCAPE_LISTING")) {
		snprintf(label, sizeof(label), "%s: listing names it", what);
		report(label, lists_name(dfd));
	}
	snprintf(label, sizeof(label), "%s: fchdir then relative", what);
	report(label, fchdir(dfd) == 0 && reads_mark(open(name, O_RDONLY)));
	if (cwd >= 0 && fchdir(cwd) < 0)
		perror("fchdir");
	snprintf(label, sizeof(label), "%s: openat2 RESOLVE_IN_ROOT /name",
		 what);
	snprintf(buf, sizeof(buf), "/%.2000s", name);
	report(label, reads_mark(o2(dfd, buf, RESOLVE_IN_ROOT)));
	snprintf(label, sizeof(label), "%s: openat2 RESOLVE_IN_ROOT ../..",
		 what);
	snprintf(buf, sizeof(buf), "../../../../%.2000s", name);
	report(label, reads_mark(o2(dfd, buf, RESOLVE_IN_ROOT)));
	if (cwd >= 0)
		close(cwd);
}

/*
 * The foreign directory fd @foreign put (dup2) on the number of a dirfd
 * the view has just seen in the view: single names relative to it
 */
static void attempts_reuse(const char *what, int foreign)
{
	int n = open(tmp, O_RDONLY | O_DIRECTORY);
	char label[128], stx[512];
	struct stat st;

	if (n < 0)
		return;
	if (fstat(foreign, &st) < 0 || !S_ISDIR(st.st_mode)) {
		close(n);
		return;
	}
	fstatat(n, "a", &st, AT_SYMLINK_NOFOLLOW);
	fstatat(n, "b", &st, AT_SYMLINK_NOFOLLOW);
	if (dup2(foreign, n) < 0) {
		close(n);
		return;
	}
	snprintf(label, sizeof(label), "%s on a dirfd's number: fstatat "
		 "(existence)", what);
	report(label, exists(fstatat(n, name, &st, AT_SYMLINK_NOFOLLOW)));
	snprintf(label, sizeof(label), "%s on a dirfd's number: statx "
		 "(existence)", what);
	report(label, exists(syscall(SYS_statx, n, name, AT_SYMLINK_NOFOLLOW,
				     0x7ff, stx)));
	snprintf(label, sizeof(label), "%s on a dirfd's number: openat",
		 what);
	report(label, reads_mark(openat(n, name, O_RDONLY)));
	close(n);
}

/* A directory fd from the server at @path ($VFS_ESCAPE_FDSOCK), or -1 */
static int fd_received(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	char data, ctl[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { &data, 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = ctl,
			     .msg_controllen = sizeof(ctl) };
	struct cmsghdr *cm;
	int s = socket(AF_UNIX, SOCK_STREAM, 0), fd = -1;

	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	if (s < 0 || connect(s, (struct sockaddr *)&sun, sizeof(sun)) < 0 ||
	    recvmsg(s, &mh, 0) <= 0) {
		perror("fd socket");
		if (s >= 0)
			close(s);
		return -1;
	}
	cm = CMSG_FIRSTHDR(&mh);
	if (cm && cm->cmsg_type == SCM_RIGHTS)
		memcpy(&fd, CMSG_DATA(cm), sizeof(fd));
	close(s);
	return fd;
}

static void attempts_more(const char *secret)
{
	char buf[4096], moved[4096];
	int dfd = open(dir, O_RDONLY | O_DIRECTORY), n = -1;
	pid_t pid;

	if (dfd >= 0)
		attempts_dirfd("dirfd", dfd);
	if (fcntl(3, F_GETFD) >= 0) {
		attempts_dirfd("inherited fd 3", 3);
		attempts_reuse("inherited fd 3", 3);
	}
	if (getenv("VFS_ESCAPE_FDSOCK")) {
		int fd = fd_received(getenv("VFS_ESCAPE_FDSOCK"));

		if (fd >= 0) {
			attempts_dirfd("received fd", fd);
			attempts_reuse("received fd", fd);
			close(fd);
		}
	}
	report("statx AT_EMPTY_PATH with a name (existence)",
	       dfd >= 0 && exists(syscall(SYS_statx, dfd, name,
					  AT_EMPTY_PATH, 0x7ff, buf)));
	report("getxattr (existence)",
	       exists(getxattr(secret, "user.facet", NULL, 0)));
	report("lgetxattr (existence)",
	       exists(lgetxattr(secret, "user.facet", NULL, 0)));
	report("listxattr (existence)", exists(listxattr(secret, NULL, 0)));
	report("readlinkat (existence)",
	       dfd >= 0 && exists(readlinkat(dfd, name, buf, sizeof(buf))));
	report("inotify_add_watch (existence)",
	       ({ int in = inotify_init1(IN_CLOEXEC);
		  long r = inotify_add_watch(in, secret, IN_ALL_EVENTS);
		  int e = errno;
		  close(in);
		  errno = e;
		  exists(r); }));
	report("execveat with a dirfd (existence)",
	       ({ char *av[] = { (char *)name, NULL };
		  dfd >= 0 &&
		  exists(syscall(SYS_execveat, dfd, name, av, NULL, 0)); }));
	pid = child_at(NULL, NULL, NULL);
	snprintf(buf, sizeof(buf), "/proc/%d/root%.3000s", (int)pid, secret);
	report("/proc/CHILD/root", pid > 0 && reads_mark(open(buf, O_RDONLY)));
	child_end(pid);
	pid = child_at(dir, NULL, NULL);
	snprintf(buf, sizeof(buf), "/proc/%d/cwd/%.3000s", (int)pid, name);
	report("/proc/CHILD/cwd", pid > 0 && reads_mark(open(buf, O_RDONLY)));
	child_end(pid);
	pid = child_at(NULL, dir, &n);
	snprintf(buf, sizeof(buf), "/proc/%d/fd/%d/%.3000s", (int)pid, n, name);
	report("/proc/CHILD/fd/N/name",
	       pid > 0 && n >= 0 && reads_mark(open(buf, O_RDONLY)));
	child_end(pid);
	snprintf(buf, sizeof(buf), "/proc/self/task/%d/root%.3000s",
		 (int)syscall(SYS_gettid), secret);
	report("/proc/self/task/TID/root", reads_mark(open(buf, O_RDONLY)));
	report("linkat AT_EMPTY_PATH with a name",
	       (dfd >= 0 && linkat(dfd, name, AT_FDCWD, cat(tmp, "hard3"),
				   AT_EMPTY_PATH) == 0) ||
	       reads_mark(open(cat(tmp, "hard3"), O_RDONLY)));
	report("user and mount namespace, bind mount", userns_bind(dir));
	snprintf(moved, sizeof(moved), "%s", cat(tmp, "moved-dir"));
	report("rename of the parent directory",
	       ({ int r = rename(dir, moved) == 0;
		  int leak = r && reads_mark(open(cat(moved, name), O_RDONLY));
		  if (r && rename(moved, dir) < 0)
			  perror("rename back");
		  leak || r; }));
	if (dfd >= 0)
		close(dfd);
}

/* openat2() with every combination of the RESOLVE_ flags */
static void attempts_resolve(const char *secret, int dfd)
{
	static const unsigned long long bit[] = {
		RESOLVE_NO_XDEV, RESOLVE_NO_MAGICLINKS, RESOLVE_NO_SYMLINKS,
		RESOLVE_BENEATH, RESOLVE_IN_ROOT, RESOLVE_CACHED,
	};
	char label[128];
	unsigned i, j;

	for (i = 1; i < 1u << 6; i++) {
		unsigned long long res = 0;

		for (j = 0; j < 6; j++)
			if (i & 1u << j)
				res |= bit[j];
		if ((res & RESOLVE_BENEATH) && (res & RESOLVE_IN_ROOT))
			continue;
		snprintf(label, sizeof(label), "openat2 dirfd resolve %#llx",
			 res);
		report(label, reads_mark(o2(dfd, name, res)));
		snprintf(label, sizeof(label), "openat2 absolute resolve %#llx",
			 res);
		report(label, reads_mark(o2(AT_FDCWD, secret, res)));
	}
}

/* Does anything under /proc/@pid/{cwd,fd/N,fd/N/name} read the mark? */
static int proc_pid_reads(pid_t pid)
{
	char buf[4096];
	struct dirent *e;
	struct stat st;
	DIR *d;
	int leak;

	snprintf(buf, sizeof(buf), "/proc/%d/cwd/%.2000s", (int)pid, name);
	leak = reads_mark(open(buf, O_RDONLY));
	snprintf(buf, sizeof(buf), "/proc/%d/fd", (int)pid);
	d = opendir(buf);
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		/* files and directories only: a read of a pipe would take
		 * what another process (this one) writes to it */
		snprintf(buf, sizeof(buf), "/proc/%d/fd/%s", (int)pid,
			 e->d_name);
		if (stat(buf, &st) < 0 ||
		    (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)))
			continue;
		leak |= reads_mark(open(buf, O_RDONLY | O_NONBLOCK | O_NOCTTY));
		snprintf(buf, sizeof(buf), "/proc/%d/fd/%s/%.2000s", (int)pid,
			 e->d_name, name);
		leak |= reads_mark(open(buf, O_RDONLY | O_NONBLOCK | O_NOCTTY));
	}
	if (d)
		closedir(d);
	return leak;
}

/* The parent of @pid, from /proc/PID/stat, or 0 */
static pid_t parent_of(pid_t pid)
{
	char buf[512], *p;
	int ppid = 0, fd;
	ssize_t n;

	snprintf(buf, sizeof(buf), "/proc/%d/stat", (int)pid);
	fd = open(buf, O_RDONLY);
	n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	p = strrchr(buf, ')');
	if (p)
		sscanf(p, ") %*c %d", &ppid);
	return ppid;
}

/* Routes through /proc not tried above, with the cwd in the directory */
static void attempts_proc(int dfd)
{
	char buf[4096], cwd[4096];
	int pfd;

	report("/proc/PPID/{cwd,fd/N,fd/N/name}", proc_pid_reads(getppid()));
	report("/proc/PPPID/{cwd,fd/N,fd/N/name}",
	       proc_pid_reads(parent_of(getppid())));
	if (!getcwd(cwd, sizeof(cwd)) || chdir(dir) < 0)
		return;
	snprintf(buf, sizeof(buf), "/proc/self/task/%d/cwd/%.2000s",
		 (int)syscall(SYS_gettid), name);
	report("/proc/self/task/TID/cwd", reads_mark(open(buf, O_RDONLY)));
	snprintf(buf, sizeof(buf), "/proc/thread-self/cwd/%.2000s", name);
	report("/proc/thread-self/cwd", reads_mark(open(buf, O_RDONLY)));
	snprintf(buf, sizeof(buf), "/proc/thread-self/fd/%d/%.2000s", dfd, name);
	report("/proc/thread-self/fd/N/name", reads_mark(open(buf, O_RDONLY)));
	pfd = open("/proc/self/cwd", O_RDONLY | O_DIRECTORY);
	report("openat on a dirfd of /proc/self/cwd",
	       reads_mark(openat(pfd, name, O_RDONLY)));
	if (pfd >= 0)
		close(pfd);
	pfd = open("/proc", O_RDONLY | O_DIRECTORY);
	snprintf(buf, sizeof(buf), "self/cwd/%.2000s", name);
	report("openat on a dirfd of /proc: self/cwd/name",
	       reads_mark(openat(pfd, buf, O_RDONLY)));
	report("openat2 RESOLVE_BENEATH on a dirfd of /proc: self/cwd/name",
	       reads_mark(o2(pfd, buf, RESOLVE_BENEATH)));
	if (pfd >= 0)
		close(pfd);
	pfd = open("/", O_RDONLY | O_DIRECTORY);
	snprintf(buf, sizeof(buf), "proc/self/cwd/%.2000s", name);
	report("openat on a dirfd of /: proc/self/cwd/name",
	       reads_mark(openat(pfd, buf, O_RDONLY)));
	if (pfd >= 0)
		close(pfd);
	unlink(cat(tmp, "pcwd"));
	if (symlink("/proc/self/cwd", cat(tmp, "pcwd")) == 0)
		report("symlink to /proc/self/cwd",
		       reads_mark(open(cat(cat(tmp, "pcwd"), name), O_RDONLY)));
	snprintf(buf, sizeof(buf), "/proc/self/fd/%d", dfd);
	unlink(cat(tmp, "pfd"));
	if (symlink(buf, cat(tmp, "pfd")) == 0)
		report("symlink to /proc/self/fd/N",
		       reads_mark(open(cat(cat(tmp, "pfd"), name), O_RDONLY)));
	if (chdir(cwd) < 0)
		perror("chdir");
}

/* Calls that would make or change the name: ENOENT, not EEXIST (last:
 * chdir() to the directory leaves it) */
static void attempts_exists(const char *secret)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	char sf[256];
	int s = open(cat(tmp, "decoy"), O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (s >= 0)
		close(s);

	report("mkdir (existence)", exists(mkdir(secret, 0777)));
	report("symlink at it (existence)", exists(symlink("x", secret)));
	report("open O_CREAT|O_EXCL (existence)",
	       exists(open(secret, O_WRONLY | O_CREAT | O_EXCL, 0600)));
	report("mknod (existence)", exists(mknod(secret, S_IFIFO | 0600, 0)));
	report("link to it (existence)",
	       exists(link(cat(tmp, "decoy"), secret)));
	report("statfs (existence)", exists(syscall(SYS_statfs, secret, sf)));
	report("utimensat (existence)",
	       exists(utimensat(AT_FDCWD, secret, NULL, 0)));
	report("rmdir (existence)", exists(rmdir(secret)));
	report("chdir (existence)", exists(chdir(secret)));
	report("O_PATH|O_NOFOLLOW (existence)",
	       exists(open(secret, O_PATH | O_NOFOLLOW)));
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%.100s", secret);
	s = socket(AF_UNIX, SOCK_STREAM, 0);
	report("bind AF_UNIX at it (existence)",
	       exists(bind(s, (struct sockaddr *)&sun, sizeof(sun))));
	close(s);
	s = socket(AF_UNIX, SOCK_STREAM, 0);
	report("connect AF_UNIX to it (existence)",
	       exists(connect(s, (struct sockaddr *)&sun, sizeof(sun))));
	close(s);
}

/* Attempts that change the tree: last */
static void attempts_last(const char *secret)
{
	int fd = open(cat(tmp, "decoy"), O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd >= 0)
		close(fd);
	report("renameat2 RENAME_EXCHANGE",
	       syscall(SYS_renameat2, AT_FDCWD, cat(tmp, "decoy"), AT_FDCWD,
		       secret, RENAME_EXCHANGE) == 0 ||
	       reads_mark(open(cat(tmp, "decoy"), O_RDONLY)));
}

int main(int argc, char **argv)
{
	if (argc != 5) {
		fprintf(stderr, "usage: vfs_escape DIR NAME TMP MARK\n");
		return 2;
	}
	dir = argv[1];
	name = argv[2];
	tmp = argv[3];
	mark = argv[4];
	static char secret[4096];

	snprintf(secret, sizeof(secret), "%s/%s", dir, name);
	attempts_more(secret);
	{
		int dfd = open(dir, O_RDONLY | O_DIRECTORY);

		attempts_resolve(secret, dfd);
		attempts_proc(dfd);
		if (dfd >= 0)
			close(dfd);
	}
	attempts_exists(secret);
	attempts_paths(secret);
	attempts_last(secret);
	return leaks;
}
