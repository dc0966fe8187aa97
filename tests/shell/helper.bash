# SPDX-License-Identifier: MIT
# facet - tests/shell/helper.bash: shared set-up for the bats tests
#
# FACET is the binary under test; FACET_BUILD the build directory (test
# programs and modules).  BACKENDS lists the backends each behaviour runs
# under: every backend this facet has.

bats_require_minimum_version 1.5.0

: "${FACET_BUILD:=$(cd "$BATS_TEST_DIRNAME/../../build" && pwd)}"
: "${FACET:=$FACET_BUILD/bin/facet}"
PROGS=$FACET_BUILD/tests/progs
TESTMOD=$FACET_BUILD/tests/modules/testmod.so
: "${BACKENDS:=ptrace}"

# fail MESSAGE: end the test with a message
fail() {
	echo "$*" >&2
	return 1
}

# expect_status N: check $status from the last `run`
expect_status() {
	[ "$status" -eq "$1" ] ||
		fail "expected status $1, got $status; output: $output"
}

# expect_output TEXT
expect_output() {
	[ "$output" = "$1" ] ||
		fail "expected output '$1', got '$output' (status $status)"
}

# is_ptracer BACKEND: does BACKEND supervise with ptrace (combined does)
is_ptracer() {
	[ "$1" = ptrace ] || [ "$1" = combined ]
}

# as_nobody CMD...: run as an unprivileged user, like a user without root
as_nobody() {
	setpriv --reuid=65534 --regid=65534 --clear-groups -- "$@"
}

# A scratch directory every user may write to
world_tmp() {
	local d
	d=$(mktemp -d /tmp/facet-test.XXXXXX)
	chmod 0777 "$d"
	echo "$d"
}
