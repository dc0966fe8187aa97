#!/bin/sh
# SPDX-License-Identifier: MIT
# facet - bench/launch.sh: what `facet run --backend preload` adds once
#
# One `facet run --backend preload [view] -- true` minus one `true`: facet,
# its keeper, the launcher image (facet-preload-exec, only when a module
# sees exec) and the shim in the command.  Faults and syscalls (perf stat,
# every process) and instructions (stepcount -f: every process
# single-stepped) are exact and the same on a loaded machine; CPU time is
# the median of ROUNDS interleaved readings, each perf's mean of 5 runs.
# FACET_BASE=/other/build/bin/facet adds the same lines for another build
# (before/after a change).  Run by bench/run.sh; alone:
#   FACET=build/bin/facet FACET_BUILD=build [FACET_BASE=...] sh bench/launch.sh
set -u
. "$(dirname "$0")/common.sh"
: "${FACET:=build/bin/facet}"
: "${FACET_BUILD:=build}"
: "${ROUNDS:=7}"
: "${FACET_BASE:=}"
TESTMOD=$FACET_BUILD/tests/modules/testmod.so
STEP=$FACET_BUILD/tests/progs/stepcount
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$TMP/d" "$TMP/r/usr" "$TMP/r/etc"
# a guest root whose programs are the host's (/usr and /etc bound in)
for l in bin sbin lib lib64; do
	ln -s "usr/$l" "$TMP/r/$l"
done

"$FACET" run --backend preload -- true 2>/dev/null || {
	echo "(launch) preload backend not available: skipped"
	exit 0
}
perf stat -e raw_syscalls:sys_enter true >/dev/null 2>&1 || {
	echo "(launch) perf with raw_syscalls:sys_enter is not available: skipped"
	exit 0
}

steps() {
	"$@" 2>&1 >/dev/null | awk '/^steps / { print $2 }'
}

launch_cmd() {
	case $1 in
	none) echo "$2 run --backend preload --" ;;
	testmod) echo "$2 run --backend preload -m $TESTMOD:pass=openat --" ;;
	bind) echo "$2 run --backend preload --bind $TMP/d:/mnt --" ;;
	root) echo "$2 run --backend preload --root $TMP/r --bind /usr:/usr --bind /etc:/etc --" ;;
	esac
}
# launch_one PREFIX: "cpu_ms faults syscalls" of PREFIX true, perf's means
launch_one() {
	# shellcheck disable=SC2086 # the command line is split on purpose
	perf stat -x, -r 5 -e task-clock,page-faults,raw_syscalls:sys_enter \
		-o "$TMP/perf.out" -- $1 true > /dev/null 2>&1
	awk -F, '$3 == "task-clock" { c = $1 } $3 == "page-faults" { f = $1 }
		 $3 == "raw_syscalls:sys_enter" { s = $1 }
		 END { printf "%s %s %s\n", c, f, s }' "$TMP/perf.out"
}
# launch_steps CMD...: user instructions of every process of CMD, or
# nothing with LAUNCH_STEPS=0 (single-stepping takes ~40 us an instruction
# here: 20-50 s a run)
launch_steps() {
	[ "${LAUNCH_STEPS:-1}" = 0 ] || steps "$STEP" -f "$@"
}

builds="new"
[ -n "$FACET_BASE" ] && builds="base new"
rm -f "$TMP"/l.*
i=0
while [ $i -lt "$ROUNDS" ]; do
	launch_one "" >> "$TMP/l.native"
	for k in none testmod bind root; do
		for b in $builds; do
			f=$FACET
			[ "$b" = base ] && f=$FACET_BASE
			launch_one "$(launch_cmd $k "$f")" >> "$TMP/l.$k.$b"
		done
	done
	i=$((i + 1))
done
nc=$(median 1 < "$TMP/l.native")
nf=$(median 2 < "$TMP/l.native")
ns=$(median 3 < "$TMP/l.native")
ni=$(launch_steps true)
[ -n "$ni" ] || ni=-
echo
echo "launch: one 'facet run --backend preload [view] -- true' minus 'true' (native: $nf faults, $ns syscalls, $ni instructions, $nc ms cpu)"
printf '  %-8s %-5s %8s %9s %13s %8s\n' view build +faults +syscalls +instructions +cpu_ms
for k in none testmod bind root; do
	for b in $builds; do
		f=$FACET
		[ "$b" = base ] && f=$FACET_BASE
		# shellcheck disable=SC2046 # the command line is split on purpose
		in=$(launch_steps $(launch_cmd $k "$f") true)
		awk -v k="$k" -v b="$b" -v c="$(median 1 < "$TMP/l.$k.$b")" \
		    -v f="$(median 2 < "$TMP/l.$k.$b")" -v s="$(median 3 < "$TMP/l.$k.$b")" \
		    -v i="$in" -v nc="$nc" -v nf="$nf" -v ns="$ns" -v ni="$ni" 'BEGIN {
			printf "  %-8s %-5s %+8.0f %+9.0f %13s %+8.2f\n", k, b, f - nf,
			       s - ns, (i == "" || ni == "-" ? "-" : sprintf("%+d", i - ni)), c - nc }'
	done
done
echo "  (none: no module; testmod: pass=openat, no module sees exec, no launcher;"
echo "   bind, root: vfs sees the command's exec through facet-preload-exec)"
