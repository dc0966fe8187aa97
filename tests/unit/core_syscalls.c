// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/unit/core_syscalls.c - The syscall table and the flag/enum tables
 *
 * Checks known rows, that every __NR_ name of the installed
 * <asm/unistd_64.h> (or $FACET_UNISTD) has a row with the same number, the
 * consistency of the generated tables, strace-style flag rendering and class
 * names.  Run with CMOCKA_MESSAGE_OUTPUT=TAP for TAP output.
 */
#include <fcntl.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "xlat.h"

#define UNISTD_DEFAULT	"/usr/include/x86_64-linux-gnu/asm/unistd_64.h"

/**
 * check_arg() - Assert the kind and detail of one argument
 * @a:		Argument of a row
 * @kind:	Expected enum facet_argkind
 * @detail:	Expected detail, or NULL
 */
static void check_arg(const struct facet_sysarg *a, int kind,
		      const char *detail)
{
	assert_int_equal(a->kind, kind);
	if (detail)
		assert_string_equal(a->detail, detail);
	else
		assert_null(a->detail);
}

static void test_row_openat(void **state)
{
	const struct facet_syscall *sc = facet_syscall(257);

	(void)state;
	assert_non_null(sc);
	assert_string_equal(sc->name, "openat");
	assert_int_equal(sc->nr, 257);
	assert_int_equal(sc->nargs, 4);
	assert_int_equal(sc->classes, FACET_CLASS_FILE | FACET_CLASS_DESC);
	check_arg(&sc->arg[0], FACET_ARG_DIRFD, NULL);
	check_arg(&sc->arg[1], FACET_ARG_PATH, NULL);
	check_arg(&sc->arg[2], FACET_ARG_FLAGS, "open");
	check_arg(&sc->arg[3], FACET_ARG_OCT, NULL);
	check_arg(&sc->arg[4], FACET_ARG_NONE, NULL);
	check_arg(&sc->ret, FACET_ARG_FD, NULL);
	assert_int_equal(facet_syscall_nr("openat"), 257);
}

static void test_row_read(void **state)
{
	const struct facet_syscall *sc = facet_syscall(0);

	(void)state;
	assert_non_null(sc);
	assert_string_equal(sc->name, "read");
	assert_int_equal(sc->nargs, 3);
	assert_int_equal(sc->classes, FACET_CLASS_DESC);
	check_arg(&sc->arg[0], FACET_ARG_FD, NULL);
	check_arg(&sc->arg[1], FACET_ARG_BUF_OUT, NULL);
	check_arg(&sc->arg[2], FACET_ARG_SIZE, NULL);
	assert_int_equal(facet_syscall_nr("read"), 0);
}

static void test_row_mmap(void **state)
{
	const struct facet_syscall *sc = facet_syscall(9);

	(void)state;
	assert_non_null(sc);
	assert_string_equal(sc->name, "mmap");
	assert_int_equal(sc->nargs, 6);
	assert_true(sc->classes & FACET_CLASS_MEMORY);
	check_arg(&sc->arg[0], FACET_ARG_PTR, NULL);
	check_arg(&sc->arg[2], FACET_ARG_FLAGS, "mmap_prot");
	check_arg(&sc->arg[3], FACET_ARG_FLAGS, "mmap_flags");
	check_arg(&sc->arg[4], FACET_ARG_FD, NULL);
	check_arg(&sc->arg[5], FACET_ARG_HEX, NULL);	/* strace: 0x2600 */
	check_arg(&sc->ret, FACET_ARG_PTR, NULL);
}

static void test_row_clone3(void **state)
{
	const struct facet_syscall *sc = facet_syscall(435);

	(void)state;
	assert_non_null(sc);
	assert_string_equal(sc->name, "clone3");
	assert_int_equal(sc->nargs, 2);
	assert_int_equal(sc->classes, FACET_CLASS_PROCESS);
	check_arg(&sc->arg[0], FACET_ARG_STRUCT_INOUT, "clone_args");
	check_arg(&sc->arg[1], FACET_ARG_SIZE, NULL);
	check_arg(&sc->ret, FACET_ARG_PID, NULL);
}

static void test_row_statx(void **state)
{
	const struct facet_syscall *sc = facet_syscall(332);

	(void)state;
	assert_non_null(sc);
	assert_string_equal(sc->name, "statx");
	assert_int_equal(sc->nargs, 5);
	assert_true(sc->classes & FACET_CLASS_FILE);
	check_arg(&sc->arg[0], FACET_ARG_DIRFD, NULL);
	check_arg(&sc->arg[1], FACET_ARG_PATH, NULL);
	check_arg(&sc->arg[2], FACET_ARG_FLAGS, "statx_flags");
	check_arg(&sc->arg[3], FACET_ARG_FLAGS, "statx_mask");
	check_arg(&sc->arg[4], FACET_ARG_STRUCT_OUT, "statx");
}

static void test_row_execve(void **state)
{
	const struct facet_syscall *sc = facet_syscall(59);

	(void)state;
	assert_non_null(sc);
	assert_string_equal(sc->name, "execve");
	assert_int_equal(sc->nargs, 3);
	assert_int_equal(sc->classes, FACET_CLASS_FILE | FACET_CLASS_PROCESS);
	check_arg(&sc->arg[0], FACET_ARG_PATH, NULL);
	check_arg(&sc->arg[1], FACET_ARG_STRV, NULL);
	check_arg(&sc->arg[2], FACET_ARG_STRV, NULL);
}

static void test_row_fchmodat2(void **state)
{
	const struct facet_syscall *sc = facet_syscall(452);

	(void)state;
	assert_non_null(sc);
	assert_string_equal(sc->name, "fchmodat2");
	assert_int_equal(sc->nargs, 4);
	check_arg(&sc->arg[0], FACET_ARG_DIRFD, NULL);
	check_arg(&sc->arg[1], FACET_ARG_PATH, NULL);
	check_arg(&sc->arg[2], FACET_ARG_OCT, NULL);
	check_arg(&sc->arg[3], FACET_ARG_FLAGS, "at");
	assert_int_equal(facet_syscall_nr("fchmodat2"), 452);
}

static void test_nargs_known(void **state)
{
	static const struct {
		const char *name;
		int nargs;
	} known[] = {
		{ "mmap", 6 },		{ "clone", 5 },
		{ "openat2", 4 },	{ "statx", 5 },
		{ "futex", 6 },		{ "epoll_pwait2", 6 },
		{ "splice", 6 },	{ "io_uring_enter", 6 },
		{ "process_vm_readv", 6 }, { "sendto", 6 },
		{ "recvfrom", 6 },	{ "ppoll", 5 },
		{ "pselect6", 6 },	{ "clone3", 2 },
		{ "faccessat2", 4 },	{ "fchmodat2", 4 },
		{ "renameat2", 5 },	{ "name_to_handle_at", 5 },
		{ "open_by_handle_at", 3 }, { "mount", 5 },
		{ "execveat", 5 },	{ "getpid", 0 },
		{ "setxattrat", 6 },	{ "file_getattr", 5 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		long nr = facet_syscall_nr(known[i].name);

		assert_true(nr >= 0);
		assert_int_equal(facet_syscall(nr)->nargs, known[i].nargs);
	}
}

static void test_lookup_misses(void **state)
{
	(void)state;
	assert_null(facet_syscall(-1));
	assert_null(facet_syscall(FACET_NR_MAX));
	assert_null(facet_syscall(1000000));
	assert_null(facet_syscall(400));	/* unused gap */
	assert_int_equal(facet_syscall_nr("no_such_call"), -1);
	assert_int_equal(facet_syscall_nr(""), -1);
	assert_int_equal(facet_syscall_nr(NULL), -1);
}

/**
 * check_detail() - Assert that a flags/enum argument names a known table
 * @sc:		Row
 * @a:		Argument or result of @sc
 */
static void check_detail(const struct facet_syscall *sc,
			 const struct facet_sysarg *a)
{
	switch (a->kind) {
	case FACET_ARG_FLAGS:
	case FACET_ARG_ENUM:
		if (!facet_xlat_table(a->detail))
			fail_msg("%s: no table %s", sc->name, a->detail);
		break;
	case FACET_ARG_STRUCT_IN:
	case FACET_ARG_STRUCT_OUT:
	case FACET_ARG_STRUCT_INOUT:
		assert_non_null(a->detail);
		break;
	default:
		assert_null(a->detail);
	}
}

static void test_table_consistent(void **state)
{
	size_t count = 0, i;
	long nr;

	(void)state;
	for (nr = 0; nr < FACET_NR_MAX; nr++) {
		const struct facet_syscall *sc = facet_syscall(nr);
		int a;

		if (!sc)
			continue;
		count++;
		assert_int_equal(sc->nr, nr);
		assert_in_range(sc->nargs, 0, 6);
		assert_int_equal(facet_syscall_nr(sc->name), nr);
		for (a = 0; a < 6; a++) {
			if (a >= sc->nargs)
				assert_int_equal(sc->arg[a].kind,
						 FACET_ARG_NONE);
			else if (sc->arg[a].kind == FACET_ARG_NONE)
				fail_msg("%s: argument %d has no kind",
					 sc->name, a);
			check_detail(sc, &sc->arg[a]);
		}
		assert_int_not_equal(sc->ret.kind, FACET_ARG_NONE);
		check_detail(sc, &sc->ret);
	}
	assert_int_equal(count, facet_syscall_count);
	for (i = 1; i < facet_syscall_count; i++) {
		const struct facet_syscall *a, *b;

		a = facet_syscall(facet_syscall_byname[i - 1]);
		b = facet_syscall(facet_syscall_byname[i]);
		assert_true(strcmp(a->name, b->name) < 0);
	}
}

static void test_unistd(void **state)
{
	const char *path = getenv("FACET_UNISTD");
	int seen = 0;
	char line[256];
	FILE *f;

	(void)state;
	if (!path || !*path)
		path = UNISTD_DEFAULT;
	f = fopen(path, "r");
	if (!f) {
		print_message("# %s: not found\n", path);
		skip();
	}
	while (fgets(line, sizeof(line), f)) {
		const struct facet_syscall *sc;
		char name[128];
		long nr;

		if (sscanf(line, "#define __NR_%127s %ld", name, &nr) != 2)
			continue;
		seen++;
		sc = facet_syscall(nr);
		if (!sc || strcmp(sc->name, name))
			fail_msg("%s = %ld: table has %s", name, nr,
				 sc ? sc->name : "nothing");
		if (facet_syscall_nr(name) != nr)
			fail_msg("%s: table number %ld, header %ld", name,
				 facet_syscall_nr(name), nr);
	}
	fclose(f);
	assert_true(seen > 300);
}

/**
 * check_flags() - Assert the rendering of a value
 * @table:	Table name
 * @value:	Value
 * @want:	Expected text
 */
static void check_flags(const char *table, unsigned long value,
			const char *want)
{
	char buf[256];
	int n = facet_xlat_flags(table, value, buf, sizeof(buf));

	assert_string_equal(buf, want);
	assert_int_equal(n, strlen(want));
}

static void test_flags_render(void **state)
{
	(void)state;
	check_flags("open", O_RDWR | O_CREAT | O_CLOEXEC,
		    "O_RDWR|O_CREAT|O_CLOEXEC");
	check_flags("open", 0, "O_RDONLY");
	check_flags("open", O_WRONLY | O_TRUNC, "O_WRONLY|O_TRUNC");
	check_flags("open", O_RDWR | O_TMPFILE, "O_RDWR|O_TMPFILE");
	check_flags("open", O_RDONLY | O_DIRECTORY, "O_RDONLY|O_DIRECTORY");
	check_flags("open", O_PATH | O_CLOEXEC, "O_RDONLY|O_CLOEXEC|O_PATH");
	check_flags("open", O_SYNC, "O_RDONLY|O_SYNC");
	check_flags("open", 0100000, "O_RDONLY|O_LARGEFILE");
	check_flags("open", O_CREAT | 0x40000000,
		    "O_RDONLY|O_CREAT|0x40000000");
	check_flags("open", 3, "O_ACCMODE");	/* as strace */
	check_flags("open", O_ASYNC, "O_RDONLY|FASYNC");
	check_flags("mmap_prot", 0, "PROT_NONE");
	/* unknown bits alone are not "PROT_NONE|0x1000" */
	check_flags("mmap_prot", 0x1000, "0x1000");
	check_flags("mmap_flags", MAP_SHARED | MAP_ANONYMOUS | MAP_LOCKED |
		    MAP_NORESERVE,
		    "MAP_SHARED|MAP_ANONYMOUS|MAP_NORESERVE|MAP_LOCKED");
	check_flags("wait_options", WNOHANG | WUNTRACED, "WNOHANG|WSTOPPED");
	check_flags("mmap_prot", PROT_READ | PROT_WRITE,
		    "PROT_READ|PROT_WRITE");
	check_flags("mmap_flags", MAP_PRIVATE | MAP_ANONYMOUS,
		    "MAP_PRIVATE|MAP_ANONYMOUS");
	check_flags("clone",
		    CLONE_CHILD_CLEARTID | CLONE_CHILD_SETTID | SIGCHLD,
		    "CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD");
	check_flags("clone", CLONE_VM | CLONE_VFORK | SIGCHLD,
		    "CLONE_VM|CLONE_VFORK|SIGCHLD");
	check_flags("clone", CLONE_NEWUSER | CLONE_NEWNS,
		    "CLONE_NEWNS|CLONE_NEWUSER");
	check_flags("access", F_OK, "F_OK");
	check_flags("access", R_OK | X_OK, "R_OK|X_OK");
	check_flags("at", 0, "0");
	check_flags("at", 0x100 | 0x1000, "AT_SYMLINK_NOFOLLOW|AT_EMPTY_PATH");
	check_flags("socket_type", 1 | 04000 | 02000000,
		    "SOCK_STREAM|SOCK_CLOEXEC|SOCK_NONBLOCK");
	check_flags("futex_op", 128 | 9,
		    "FUTEX_WAIT_BITSET|FUTEX_PRIVATE_FLAG");
	/* strace names statx's sync type even when it is 0 */
	check_flags("statx_flags", 0x100 | 0x800,
		    "AT_STATX_SYNC_AS_STAT|AT_SYMLINK_NOFOLLOW|"
		    "AT_NO_AUTOMOUNT");
	check_flags("statx_flags", 0x1000 | 0x4000,
		    "AT_STATX_DONT_SYNC|AT_EMPTY_PATH");
	check_flags("statx_mask", 0xfff, "STATX_ALL");
	check_flags("statx_mask", 0x7ff, "STATX_BASIC_STATS");
	check_flags("statx_mask", 0x1 | 0x2, "STATX_TYPE|STATX_MODE");
	check_flags("whence", SEEK_CUR, "SEEK_CUR");
	check_flags("whence", 99, "0x63");
	check_flags("no_such_table", 0x10, "0x10");
	check_flags("no_such_table", 0, "0");
}

static void test_flags_truncate(void **state)
{
	char buf[8];
	int n;

	(void)state;
	n = facet_xlat_flags("open", O_RDWR | O_CREAT, buf, sizeof(buf));
	assert_int_equal(n, strlen("O_RDWR|O_CREAT"));
	assert_string_equal(buf, "O_RDWR|");
	n = facet_xlat_flags("open", O_RDWR | O_CREAT, buf, 1);
	assert_string_equal(buf, "");
	assert_int_equal(facet_xlat_flags("open", O_RDWR, NULL, 0), 6);
}

static void test_xlat_name(void **state)
{
	(void)state;
	assert_string_equal(facet_xlat_name("whence", SEEK_END), "SEEK_END");
	assert_string_equal(facet_xlat_name("signal", SIGKILL), "SIGKILL");
	assert_string_equal(facet_xlat_name("signal", SIGSYS), "SIGSYS");
	assert_string_equal(facet_xlat_name("clockid", CLOCK_MONOTONIC),
			    "CLOCK_MONOTONIC");
	assert_string_equal(facet_xlat_name("open", O_CREAT), "O_CREAT");
	assert_string_equal(facet_xlat_name("waitid_which", 1), "P_PID");
	assert_string_equal(facet_xlat_name("fcntl_cmd", F_DUPFD_CLOEXEC),
			    "F_DUPFD_CLOEXEC");
	assert_string_equal(facet_xlat_name("socket_family", AF_INET6),
			    "AF_INET6");
	assert_null(facet_xlat_name("signal", 0));
	assert_null(facet_xlat_name("whence", 1234));
	assert_null(facet_xlat_name("no_such_table", 0));
	assert_null(facet_xlat_name(NULL, 0));
}

static void test_xlat_tables(void **state)
{
	static const char *const required[] = {
		"open", "at", "access", "mmap_prot", "mmap_flags", "madvise",
		"clone", "fcntl_cmd", "socket_family", "socket_type",
		"ipproto", "sockopt_level", "msg_flags", "whence", "clockid",
		"timer_flags", "signal", "sigprocmask_how", "poll_events",
		"epoll_ctl_op", "epoll_events", "futex_op", "prctl_option",
		"arch_prctl_code", "resolve", "statx_mask", "rename_flags",
		"mode_type", "wait_options", "rlimit_resource",
		"inotify_mask", "eventfd_flags", "timerfd_flags",
		"memfd_flags", "getrandom_flags", "seccomp_op",
		"ptrace_request", "shutdown_how", "xattr_flags",
		"fallocate_mode", "sched_policy", "mlock_flags",
		"msync_flags", "pkey_access", "close_range_flags",
		"pidfd_flags", "waitid_which",
	};
	const struct facet_xlat_table *t;
	size_t i, j;

	(void)state;
	for (i = 0; i < sizeof(required) / sizeof(required[0]); i++)
		if (!facet_xlat_table(required[i]))
			fail_msg("no table %s", required[i]);
	for (i = 0; i < facet_xlat_ntables; i++) {
		t = facet_xlat_table_at(i);
		if (i)
			assert_true(strcmp(facet_xlat_table_at(i - 1)->name,
					   t->name) < 0);
		assert_ptr_equal(facet_xlat_table(t->name), t);
		assert_true(t->n > 0);
		for (j = 0; j < t->n; j++)
			assert_non_null(facet_xlat_str(&t->xlat[j]));
		assert_null(facet_xlat_str(&t->xlat[t->n]));
		if (t->ref_table)
			assert_non_null(facet_xlat_table(t->ref_table));
	}
	t = facet_xlat_table("open");
	assert_non_null(t);
	assert_true(t->is_flags);
	t = facet_xlat_table("whence");
	assert_non_null(t);
	assert_false(t->is_flags);
	assert_null(facet_xlat_table("no_such_table"));
	assert_null(facet_xlat_table(NULL));
}

static void test_class_parse(void **state)
{
	uint32_t bit;

	(void)state;
	assert_int_equal(facet_class_parse("file"), FACET_CLASS_FILE);
	assert_int_equal(facet_class_parse("FILE"), FACET_CLASS_FILE);
	assert_int_equal(facet_class_parse("%file"), FACET_CLASS_FILE);
	assert_int_equal(facet_class_parse("net"), FACET_CLASS_NET);
	assert_int_equal(facet_class_parse("%net"), FACET_CLASS_NET);
	assert_int_equal(facet_class_parse("network"), FACET_CLASS_NET);
	assert_int_equal(facet_class_parse("%network"), FACET_CLASS_NET);
	assert_int_equal(facet_class_parse("%Desc"), FACET_CLASS_DESC);
	assert_int_equal(facet_class_parse("%%stat"),
			 FACET_CLASS_STAT | FACET_CLASS_LSTAT |
				 FACET_CLASS_FSTAT);
	assert_int_equal(facet_class_parse("%%statfs"),
			 FACET_CLASS_STATFS | FACET_CLASS_FSTATFS);
	assert_int_equal(facet_class_parse("timer"), FACET_CLASS_TIMER);
	assert_int_equal(facet_class_parse("bogus"), 0);
	assert_int_equal(facet_class_parse(""), 0);
	assert_int_equal(facet_class_parse(NULL), 0);

	for (bit = FACET_CLASS_FILE; bit <= FACET_CLASS_SYSTEM; bit <<= 1) {
		const char *name = facet_class_name(bit);

		assert_non_null(name);
		assert_int_equal(facet_class_parse(name), bit);
	}
	assert_string_equal(facet_class_name(FACET_CLASS_NET), "net");
	assert_null(facet_class_name(0));
	assert_null(facet_class_name(FACET_CLASS_FILE | FACET_CLASS_DESC));
	assert_null(facet_class_name(FACET_CLASS_SYSTEM << 1));
}

static void test_classes(void **state)
{
	static const struct {
		const char *name;
		uint32_t classes;
	} known[] = {
		{ "clock_gettime", FACET_CLASS_CLOCK },
		{ "nanosleep", FACET_CLASS_TIMER },
		{ "poll", FACET_CLASS_DESC | FACET_CLASS_TIMER },
		{ "futex", FACET_CLASS_TIMER },
		{ "connect", FACET_CLASS_NET },
		{ "getpid", FACET_CLASS_PURE },
		{ "stat", FACET_CLASS_FILE | FACET_CLASS_STAT },
		{ "fstat", FACET_CLASS_DESC | FACET_CLASS_FSTAT },
		{ "lstat", FACET_CLASS_FILE | FACET_CLASS_LSTAT },
		{ "mount", FACET_CLASS_FILE | FACET_CLASS_SYSTEM },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		long nr = facet_syscall_nr(known[i].name);

		assert_true(nr >= 0);
		assert_int_equal(facet_syscall(nr)->classes,
				 known[i].classes);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_row_openat),
		cmocka_unit_test(test_row_read),
		cmocka_unit_test(test_row_mmap),
		cmocka_unit_test(test_row_clone3),
		cmocka_unit_test(test_row_statx),
		cmocka_unit_test(test_row_execve),
		cmocka_unit_test(test_row_fchmodat2),
		cmocka_unit_test(test_nargs_known),
		cmocka_unit_test(test_lookup_misses),
		cmocka_unit_test(test_table_consistent),
		cmocka_unit_test(test_unistd),
		cmocka_unit_test(test_flags_render),
		cmocka_unit_test(test_flags_truncate),
		cmocka_unit_test(test_xlat_name),
		cmocka_unit_test(test_xlat_tables),
		cmocka_unit_test(test_class_parse),
		cmocka_unit_test(test_classes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
