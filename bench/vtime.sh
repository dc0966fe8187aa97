#!/bin/sh
# SPDX-License-Identifier: MIT
# facet - bench/vtime.sh: 1e6 clock_gettime() calls under a virtual clock
#
# Runners: native (the vDSO), facet --time +1d under each backend, and
# libfaketime's faketime -f +1d when installed.  Rate 1, so the loop's own
# timing (CLOCK_MONOTONIC) is real time.  Run by bench/run.sh.
set -u
. "$(dirname "$0")/common.sh"
: "${FACET:=build/bin/facet}"
: "${FACET_BUILD:=build}"
: "${ROUNDS:=5}"
: "${VTIME_N:=1000000}"
LOOP=$FACET_BUILD/tests/progs/vtime_loop
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

vtime_runner() {
	case $1 in
	native) echo "" ;;
	facet-ptrace) echo "$FACET run --backend ptrace --time +1d --" ;;
	facet-preload) echo "$FACET run --backend preload --time +1d --" ;;
	faketime) echo "env FAKETIME_DONT_FAKE_MONOTONIC=1 faketime -f +1d" ;;
	esac
}

vtime_available() {
	case $1 in
	faketime) command -v faketime >/dev/null 2>&1 ;;
	facet-preload) "$FACET" run --backend preload --time +1d -- true \
		2>/dev/null ;;
	*) true ;;
	esac
}


vtime_bench() {
	pin=$1 active=
	for r in native facet-ptrace facet-preload faketime; do
		vtime_available "$r" && active="$active $r"
	done
	rm -f "$TMP"/*.ns
	i=0
	while [ $i -lt "$ROUNDS" ]; do
		for r in $active; do
			n=$VTIME_N
			# a ptrace-backend call is a notification: fewer calls
			[ "$r" = facet-ptrace ] && n=$((VTIME_N / 10))
			# shellcheck disable=SC2046
			$pin $(vtime_runner "$r") "$LOOP" "$n" >> "$TMP/$r.ns" \
				2>/dev/null || echo fail >> "$TMP/$r.ns"
		done
		i=$((i + 1))
	done
	base=$(grep -v fail "$TMP/native.ns" | median)
	printf '\nclock_gettime, %s (%s rounds; ns per call, median)\n' \
		"${pin:-unpinned}" "$ROUNDS"
	printf '  %-14s %10s %9s\n' runner ns/call ratio
	for r in $active; do
		m=$(grep -v fail "$TMP/$r.ns" | median)
		awk -v r="$r" -v m="$m" -v b="$base" 'BEGIN {
			if (m == "-" || m == "") { printf "  %-14s %10s\n", r, "failed"; exit }
			printf "  %-14s %10.1f %8.2fx\n", r, m, m / b }'
	done
}

echo
echo "(c) clock_gettime(CLOCK_REALTIME) under a virtual clock (--time +1d)"
for pin in "" "taskset -c 0"; do
	vtime_bench "$pin"
done
