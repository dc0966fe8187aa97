// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/unit/vfs_resolve.c - The vfs rule table and guest-path resolver,
 * against a temporary directory tree
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../modules/vfs/vfs_table.c"
#include "../../modules/vfs/vfs_resolve.c"
#include "../../modules/vfs/vfs_cache.c"
#include "../../modules/vfs/vfs_clock.c"
#include "../../modules/vfs/vfs_memo.c"
#include "../../modules/vfs/vfs_fdtrue.c"
#include "../../modules/vfs/vfs_stats.c"
#include "../../modules/vfs/vfs_sealed.c"

static char top[256];
static struct vfs_table tab;

static void mk(const char *rel, int dir)
{
	char p[VFS_PATH_MAX];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", top, rel);
	if (dir) {
		assert_int_equal(mkdir(p, 0755), 0);
		return;
	}
	f = fopen(p, "w");
	assert_non_null(f);
	fputs(rel, f);
	fclose(f);
}

static void ln(const char *target, const char *rel)
{
	char p[VFS_PATH_MAX];

	snprintf(p, sizeof(p), "%s/%s", top, rel);
	assert_int_equal(symlink(target, p), 0);
}

/*
 * The tree (under top):
 *   root/etc/passwd  root/bin/sh  root/abs -> /etc  root/rel -> etc/passwd
 *   root/up -> ../../../..  root/loop -> loop  root/secret/key
 *   root/tosecret -> /secret/key  host/data/f  ext -> root/secret
 */
static int setup(void **state)
{
	char p[VFS_PATH_MAX];

	(void)state;
	snprintf(top, sizeof(top), "/tmp/vfs-unit.XXXXXX");
	assert_non_null(mkdtemp(top));
	mk("root", 1);
	mk("root/etc", 1);
	mk("root/etc/passwd", 0);
	mk("root/bin", 1);
	mk("root/bin/sh", 0);
	mk("root/secret", 1);
	mk("root/secret/key", 0);
	mk("host", 1);
	mk("host/data", 1);
	mk("host/data/f", 0);
	ln("/etc", "root/abs");
	ln("etc/passwd", "root/rel");
	ln("../../../..", "root/up");
	ln("loop", "root/loop");
	ln("/secret/key", "root/tosecret");
	memset(&tab, 0, sizeof(tab));
	snprintf(p, sizeof(p), "%s/root", top);
	assert_int_equal(vfs_table_add(&tab, VFS_ROOT, "/", p), 0);
	snprintf(p, sizeof(p), "%s/host/data", top);
	assert_int_equal(vfs_table_add(&tab, VFS_BIND, "/mnt/data", p), 0);
	assert_int_equal(vfs_table_add(&tab, VFS_HIDE, "/secret", NULL), 0);
	assert_int_equal(vfs_table_add(&tab, VFS_RO, "/etc", NULL), 0);
	return 0;
}

static int teardown(void **state)
{
	char cmd[VFS_PATH_MAX + 16];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", top);
	return system(cmd);
}

/* Resolve and check the host path (relative to top) or the error */
static void check(const char *base, const char *path, int flags,
		  const char *want_guest, const char *want_host, int want_err)
{
	struct vfs_ctx ctx = { .t = &tab, .pid = getpid(), .tid = getpid() };
	struct vfs_res res;
	char host[VFS_PATH_MAX];
	int ret = vfs_resolve(&ctx, base, path, flags, &res);

	assert_int_equal(ret, want_err);
	if (ret)
		return;
	assert_string_equal(res.guest, want_guest);
	snprintf(host, sizeof(host), "%s/%s", top, want_host);
	assert_string_equal(res.host, host);
}

static void test_norm(void **state)
{
	char p[64];

	(void)state;
	strcpy(p, "//a/./b/../c//");
	vfs_path_norm(p);
	assert_string_equal(p, "/a/c");
	strcpy(p, "/../..");
	vfs_path_norm(p);
	assert_string_equal(p, "/");
}

static void test_plain(void **state)
{
	(void)state;
	check("/", "/etc/passwd", VFS_R_FOLLOW, "/etc/passwd",
	      "root/etc/passwd", 0);
	check("/etc", "passwd", VFS_R_FOLLOW, "/etc/passwd",
	      "root/etc/passwd", 0);
	check("/bin", "../etc/./passwd", 0, "/etc/passwd",
	      "root/etc/passwd", 0);
	check("/", "/mnt/data/f", 0, "/mnt/data/f", "host/data/f", 0);
	check("/", "/mnt/../etc", 0, "/etc", "root/etc", 0);
	check("/", "/mnt/data/new", 0, "/mnt/data/new", "host/data/new", 0);
}

static void test_dotdot(void **state)
{
	(void)state;
	check("/", "/../../../etc/passwd", 0, "/etc/passwd",
	      "root/etc/passwd", 0);
	check("/mnt/data", "../../../../etc", 0, "/etc", "root/etc", 0);
	check("/", "/up/etc/passwd", 0, "/etc/passwd", "root/etc/passwd", 0);
	check("/", "/nonexistent/../etc", 0, "", "", -ENOENT);
	check("/", "/etc/passwd/x/y", 0, "", "", -ENOTDIR);
}

static void test_symlinks(void **state)
{
	(void)state;
	check("/", "/abs/passwd", 0, "/etc/passwd", "root/etc/passwd", 0);
	check("/", "/rel", VFS_R_FOLLOW, "/etc/passwd", "root/etc/passwd", 0);
	check("/", "/rel", 0, "/rel", "root/rel", 0);
	check("/", "/abs/", 0, "/etc", "root/etc/", 0);
	check("/", "/loop", VFS_R_FOLLOW, "", "", -ELOOP);
	check("/", "/loop", 0, "/loop", "root/loop", 0);
	check("/", "/abs/passwd", VFS_R_NOSYMLINK, "", "", -ELOOP);
}

/* A directory resolved before (vfs_memo.c) resolves the same way again */
static void test_memo(void **state)
{
	char p[VFS_PATH_MAX];
	int i;

	(void)state;
	for (i = 0; i < 2; i++) {
		check("/", "/abs/passwd", 0, "/etc/passwd", "root/etc/passwd", 0);
		check("/etc", "../abs/passwd", 0, "/etc/passwd",
		      "root/etc/passwd", 0);
		check("/", "/mnt/data/f", 0, "/mnt/data/f", "host/data/f", 0);
		check("/", "/etc/passwd/x/y", 0, "", "", -ENOTDIR);
		check("/", "/nonexistent/f", 0, "", "", -ENOENT);
		check("/", "/secret/key", 0, "", "", -ENOENT);
		check("/", "/abs/../tosecret", VFS_R_FOLLOW, "", "", -ENOENT);
	}
	/* a change in the view (vfs_cache_flush()) forgets it */
	snprintf(p, sizeof(p), "%s/root/abs", top);
	assert_int_equal(unlink(p), 0);
	assert_int_equal(symlink("/bin", p), 0);
	vfs_cache_flush();
	check("/", "/abs/sh", 0, "/bin/sh", "root/bin/sh", 0);
	assert_int_equal(unlink(p), 0);
	assert_int_equal(symlink("/etc", p), 0);
	vfs_cache_flush();
	check("/", "/abs/passwd", 0, "/etc/passwd", "root/etc/passwd", 0);
}

/*
 * vfs_cache_forget() of one name: that name is forgotten (also the
 * resolution through it), others are kept, and what was found out before
 * the change is not stored after it.
 */
static void test_forget(void **state)
{
	char p[VFS_PATH_MAX], target[VFS_PATH_MAX];
	const char *a = "/nonexistent/a", *b = "/nonexistent/b";
	struct vfs_ticket ta, tb;

	(void)state;
	vfs_cache_ticket(a, &ta);
	vfs_cache_ticket(b, &tb);
	assert_int_not_equal(ta.slot, tb.slot);
	vfs_cache_put(a, VFS_CACHE_MISSING, NULL, &ta);
	vfs_cache_put(b, VFS_CACHE_LINK, "x", &tb);
	assert_int_equal(vfs_cache_get(a, &ta, target), VFS_CACHE_MISSING);
	vfs_cache_forget(a);
	vfs_cache_ticket(a, &ta);
	assert_int_equal(vfs_cache_get(a, &ta, target), VFS_CACHE_UNKNOWN);
	assert_int_equal(vfs_cache_get(b, &tb, target), VFS_CACHE_LINK);
	assert_string_equal(target, "x");
	/* found out before the change, put after it: left out */
	vfs_cache_ticket(a, &ta);
	vfs_cache_forget("/nonexistent/a/");	/* a trailing slash: same name */
	vfs_cache_put(a, VFS_CACHE_FILE, NULL, &ta);
	vfs_cache_ticket(a, &ta);
	assert_int_equal(vfs_cache_get(a, &ta, target), VFS_CACHE_UNKNOWN);
	/* put, then changed: stale */
	vfs_cache_put(a, VFS_CACHE_FILE, NULL, &ta);
	assert_int_equal(vfs_cache_get(a, &ta, target), VFS_CACHE_FILE);
	vfs_cache_forget(a);
	assert_int_equal(vfs_cache_get(a, &ta, target), VFS_CACHE_UNKNOWN);
	/* a rename empties everything */
	vfs_cache_flush();
	assert_int_equal(vfs_cache_get(b, &tb, target), VFS_CACHE_UNKNOWN);

	/* a symlink replaced: forgetting its name is enough */
	check("/", "/abs/passwd", 0, "/etc/passwd", "root/etc/passwd", 0);
	snprintf(p, sizeof(p), "%s/root/abs", top);
	assert_int_equal(unlink(p), 0);
	vfs_cache_forget(p);
	assert_int_equal(symlink("/bin", p), 0);
	vfs_cache_forget(p);
	check("/", "/abs/sh", 0, "/bin/sh", "root/bin/sh", 0);
	assert_int_equal(unlink(p), 0);
	assert_int_equal(symlink("/etc", p), 0);
	vfs_cache_forget(p);
	check("/", "/abs/passwd", 0, "/etc/passwd", "root/etc/passwd", 0);
}

static void test_hide(void **state)
{
	(void)state;
	check("/", "/secret", 0, "", "", -ENOENT);
	check("/", "/secret/key", 0, "", "", -ENOENT);
	check("/", "/secret/../etc", 0, "", "", -ENOENT);
	check("/", "/tosecret", VFS_R_FOLLOW, "", "", -ENOENT);
	check("/", "/tosecret", 0, "/tosecret", "root/tosecret", 0);
	check("/", "/etc/../secret/key", 0, "", "", -ENOENT);
	check("/", "/proc/self/root/secret/key", VFS_R_FOLLOW, "", "",
	      -ENOENT);
}

static void test_scoped(void **state)
{
	(void)state;
	check("/etc", "../bin", VFS_R_BENEATH, "", "", -EXDEV);
	check("/etc", "/bin", VFS_R_BENEATH, "", "", -EXDEV);
	check("/etc", "passwd", VFS_R_BENEATH, "/etc/passwd",
	      "root/etc/passwd", 0);
	check("/etc", "../../passwd", VFS_R_INROOT, "/etc/passwd",
	      "root/etc/passwd", 0);
}

static void test_table(void **state)
{
	char g[VFS_PATH_MAX], h[VFS_PATH_MAX];

	(void)state;
	assert_int_equal(vfs_attr(&tab, "/etc/passwd"), VFS_RO);
	assert_int_equal(vfs_attr(&tab, "/secret/x"), VFS_HIDE);
	assert_int_equal(vfs_attr(&tab, "/secretary"), VFS_ROOT);
	assert_int_equal(vfs_hides_child_of(&tab, "/"), 1);
	assert_int_equal(vfs_hides_child_of(&tab, "/etc"), 0);
	snprintf(h, sizeof(h), "%s/host/data/f", top);
	assert_int_equal(vfs_to_guest(&tab, h, g, sizeof(g)), 0);
	assert_string_equal(g, "/mnt/data/f");
	snprintf(h, sizeof(h), "%s/root/secret/key", top);
	assert_int_equal(vfs_to_guest(&tab, h, g, sizeof(g)), -ENOENT);
	assert_int_equal(vfs_to_guest(&tab, "/usr", g, sizeof(g)), -ENOENT);
	snprintf(h, sizeof(h), "%s/root", top);
	assert_int_equal(vfs_to_guest(&tab, h, g, sizeof(g)), 0);
	assert_string_equal(g, "/");
}

static void test_alias(void **state)
{
	struct vfs_table t;
	char h[VFS_PATH_MAX];

	(void)state;
	memset(&t, 0, sizeof(t));
	assert_int_equal(vfs_table_add(&t, VFS_BIND, "/alias", "/data"), 0);
	assert_int_equal(vfs_table_add(&t, VFS_HIDE, "/data/secret", NULL), 0);
	assert_int_equal(vfs_table_add(&t, VFS_RO, "/data/ro", NULL), 0);
	assert_int_equal(vfs_table_add(&t, VFS_BIND, "/data/ro/rw",
				       "/data/ro/rw"), 0);
	vfs_table_seal(&t);
	assert_int_equal(vfs_to_host(&t, "/alias/secret", h, sizeof(h)),
			 -ENOENT);
	assert_int_equal(vfs_to_host(&t, "/alias/public", h, sizeof(h)), 0);
	assert_string_equal(h, "/data/public");
	assert_int_equal(vfs_host_ro(&t, "/alias/ro/x", "/data/ro/x"), 1);
	assert_int_equal(vfs_host_ro(&t, "/data/ro/rw/x", "/data/ro/rw/x"), 0);
	assert_int_equal(vfs_attr(&t, "/data/ro/rw/x"), VFS_BIND);
}

static void test_magic(void **state)
{
	char what[32];
	pid_t pid;

	(void)state;
	assert_int_equal(vfs_proc_magic("/proc/12/fd/3", &pid, what, 32), 1);
	assert_int_equal(pid, 12);
	assert_string_equal(what, "fd/3");
	assert_int_equal(vfs_proc_magic("/proc/12/task/13/cwd", &pid, what,
					32), 1);
	assert_int_equal(vfs_proc_magic("/proc/12/status", &pid, what, 32),
			 0);
	assert_int_equal(vfs_proc_magic("/proc/self/cwd", &pid, what, 32), 0);
}

/* Does the host's own walk of top/@rel (following the last part if
 * @follow) arrive at top/@at (@at absolute: that path)? */
static int host_walk(const char *rel, int follow, const char *at)
{
	char path[VFS_PATH_MAX], want[VFS_PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", top, rel);
	if (at[0] == '/')
		snprintf(want, sizeof(want), "%s", at);
	else
		snprintf(want, sizeof(want), "%s/%s", top, at);
	return vfs_host_walk_reaches(&tab, path, follow, want, NULL);
}

static void test_host_walk(void **state)
{
	(void)state;
	/* relative and absolute symlinks, the last part followed or not */
	assert_true(host_walk("root/rel", 1, "root/etc/passwd"));
	assert_false(host_walk("root/rel", 0, "root/etc/passwd"));
	assert_true(host_walk("root/rel", 0, "root/rel"));
	assert_true(host_walk("root/abs/x", 1, "/etc/x"));
	/* the host's walk, not the view's: /etc is not the guest root's */
	assert_false(host_walk("root/abs/x", 1, "root/etc/x"));
	assert_true(host_walk("root/bin/../etc/./passwd", 1,
			      "root/etc/passwd"));
	assert_true(host_walk("root/up", 1, "/"));
	/* a missing last part is the kernel's to report, a missing
	 * directory on the way is no */
	assert_true(host_walk("root/etc/new", 1, "root/etc/new"));
	assert_false(host_walk("root/none/new", 1, "root/none/new"));
	assert_false(host_walk("root/loop", 1, "root/loop"));
	/* /proc is never taken as the host's */
	assert_false(vfs_host_walk_reaches(&tab, "/proc/self/root", 0,
					   "/proc/self/root", NULL));
	assert_false(vfs_host_walk_reaches(&tab, "etc/passwd", 0,
					   "etc/passwd", NULL));
}

/* A directory is sealed for a view not run as root: root's own, writable
 * by neither group nor others */
static void test_sealed(void **state)
{
	int status;
	pid_t pid;

	(void)state;
	if (geteuid() == 0)
		assert_false(vfs_dir_sealed("/usr"));
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (geteuid() == 0 && (setresgid(65534, 65534, 65534) ||
					setresuid(65534, 65534, 65534)))
			_exit(2);
		_exit(vfs_dir_sealed("/usr") && vfs_dir_sealed("/usr/lib") &&
		      !vfs_dir_sealed("/tmp") &&
		      !vfs_dir_sealed("/nonexistent") &&
		      !vfs_dir_sealed("/etc/passwd") ? 0 : 1);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_norm),
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_dotdot),
		cmocka_unit_test(test_symlinks),
		cmocka_unit_test(test_memo),
		cmocka_unit_test(test_forget),
		cmocka_unit_test(test_hide),
		cmocka_unit_test(test_scoped),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_alias),
		cmocka_unit_test(test_magic),
		cmocka_unit_test(test_host_walk),
		cmocka_unit_test(test_sealed),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
