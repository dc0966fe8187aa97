#!/bin/sh
# SPDX-License-Identifier: MIT
# facet - bench/startup.sh: what one `facet run` costs besides the command
#
# facet, its keeper, the launcher (facet-preload-exec) and the dynamic
# loader's work in each, before and after the command: /bin/true under
# each kind of run, against /bin/true alone.  perf stat counts page faults
# and system calls of every process exactly (the same on a loaded
# machine: compare those first) and task-clock (CPU time, noisy).  Rounds
# are interleaved; each reading is perf's mean over STARTUP_RUNS runs, the
# table gives the median over ROUNDS.  FACET_BASE=/other/bin/facet adds
# the same rows for another build (before/after a change).
# Run by bench/run.sh; alone: FACET=build/bin/facet sh bench/startup.sh
set -u
. "$(dirname "$0")/common.sh"
: "${FACET:=build/bin/facet}"
: "${FACET_BUILD:=build}"
: "${ROUNDS:=5}"
: "${STARTUP_RUNS:=20}"
: "${FACET_BASE:=}"
TESTMOD=$FACET_BUILD/tests/modules/testmod.so
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$TMP/d"

command -v perf > /dev/null 2>&1 || {
	echo "(startup) perf is not installed: skipped"
	exit 0
}
EVENTS=task-clock,page-faults,raw_syscalls:sys_enter
perf stat -x, -e "$EVENTS" true > /dev/null 2>&1 || EVENTS=task-clock,page-faults

# startup_cmd NAME FACET: the command line of one kind of run
startup_cmd() {
	f=$2
	case $1 in
	native) echo "true" ;;
	preload) echo "$f run --backend preload -- true" ;;
	preload-bind) echo "$f run --backend preload --bind $TMP/d:/mnt -- true" ;;
	preload-testmod) echo "$f run --backend preload -m $TESTMOD:pass=openat -- true" ;;
	preload-net) echo "$f run --backend preload --net private -- true" ;;
	preload-trace) echo "$f trace --backend preload -o /dev/null -- true" ;;
	ptrace) echo "$f run --backend ptrace -- true" ;;
	ptrace-bind) echo "$f run --backend ptrace --bind $TMP/d:/mnt -- true" ;;
	trace) echo "$f trace -o /dev/null -- true" ;;
	esac
}

KINDS="native preload preload-bind preload-testmod preload-net preload-trace ptrace ptrace-bind trace"
BUILDS="new"
[ -n "$FACET_BASE" ] && BUILDS="base new"

# one reading: "cpu_ms faults syscalls" (perf's means)
startup_one() {
	# shellcheck disable=SC2086 # the command line is split on purpose
	perf stat -x, -r "$STARTUP_RUNS" -e "$EVENTS" -o "$TMP/perf.out" \
		-- $1 > /dev/null 2>&1
	awk -F, '$3 == "task-clock" { c = $1 }
		 $3 == "page-faults" { f = $1 }
		 $3 == "raw_syscalls:sys_enter" { s = $1 }
		 END { printf "%s %s %s\n", c, f, (s == "" ? "-" : s) }' \
		"$TMP/perf.out"
}

r=1
while [ "$r" -le "$ROUNDS" ]; do
	for k in $KINDS; do
		for b in $BUILDS; do
			f=$FACET
			[ "$b" = base ] && f=$FACET_BASE
			[ "$k" = native ] && [ "$b" = base ] && continue
			startup_one "$(startup_cmd "$k" "$f")" >> "$TMP/$k.$b"
		done
	done
	r=$((r + 1))
done


echo "(startup) one run of /bin/true: facet's own cost (perf stat, all processes; median of $ROUNDS rounds x $STARTUP_RUNS runs)"
printf '%-16s %-5s %9s %9s %9s %12s\n' kind build faults syscalls cpu_ms "x native cpu"
nat_cpu=$(cut -d' ' -f1 "$TMP/native.new" | median)
for k in $KINDS; do
	for b in $BUILDS; do
		[ -f "$TMP/$k.$b" ] || continue
		cpu=$(cut -d' ' -f1 "$TMP/$k.$b" | median)
		pf=$(cut -d' ' -f2 "$TMP/$k.$b" | median)
		sc=$(cut -d' ' -f3 "$TMP/$k.$b" | median)
		printf '%-16s %-5s %9s %9s %9.2f %12s\n' "$k" "$b" "$pf" "$sc" \
			"$cpu" "$(awk -v a="$cpu" -v n="$nat_cpu" \
				'BEGIN { if (n > 0) printf "%.2f", a / n }')"
	done
done
