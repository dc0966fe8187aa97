#!/bin/sh
# SPDX-License-Identifier: MIT
# facet - bench/vtrace.sh: tracing a small build, facet trace against strace
#
# The build workload: compile facet's core/*.c with cc -O2, one cc per file
# (processes, execs, many file calls).  Runners: native; facet trace of
# every call to a file (auto: the ptracer); the same with --backend preload
# (in-process); facet trace -e file, both ways; JSONL; strace -f -o FILE;
# strace -f --seccomp-bpf -e trace=%file -o FILE.  Rounds are interleaved;
# the table shows the median wall time and the median CPU time (user+sys of
# every process, /usr/bin/time), each as a ratio to native and an overhead
# (ratio - 1).  CPU time is the steadier reading on a shared machine.  Run
# by bench/run.sh.
set -u
. "$(dirname "$0")/common.sh"
: "${FACET:=build/bin/facet}"
: "${ROUNDS:=5}"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT


vtrace_runner() {
	case $1 in
	native) echo "" ;;
	facet-all) echo "$FACET trace -o $TMP/t.txt --" ;;
	facet-file) echo "$FACET trace -e file -o $TMP/t.txt --" ;;
	facet-pre-all) echo "$FACET trace --backend preload -o $TMP/t.txt --" ;;
	facet-pre-file) echo "$FACET trace --backend preload -e file -o $TMP/t.txt --" ;;
	facet-all-jsonl) echo "$FACET trace --format jsonl -o $TMP/t.jsonl --" ;;
	strace-all) echo "strace -f -qq -o $TMP/s.txt" ;;
	strace-file) echo "strace -f -qq --seccomp-bpf -e trace=%file -o $TMP/s.txt" ;;
	esac
}


# "wall cpu" seconds of one run (cpu: user+sys of every process)
vtrace_time() {
	# shellcheck disable=SC2046
	/usr/bin/time -f '%e %U %S' -o "$TMP/time" $(vtrace_runner "$1") sh -c \
		"for f in core/*.c; do cc -Iinclude -Icore -D_GNU_SOURCE -O2 -c \"\$f\" -o $TMP/x.o || exit 1; done" \
		> /dev/null 2>&1 || { echo fail; return; }
	awk '{ printf "%s %.2f\n", $1, $2 + $3 }' "$TMP/time"
}

active=native
for r in facet-all facet-pre-all facet-file facet-pre-file facet-all-jsonl \
	 strace-all strace-file; do
	case $r in strace*) command -v strace >/dev/null 2>&1 || continue ;; esac
	active="$active $r"
done
i=0
while [ $i -lt "$ROUNDS" ]; do
	for r in $active; do
		vtrace_time "$r" >> "$TMP/$r.s"
	done
	i=$((i + 1))
done
echo
echo "(d) tracing a build: cc -O2 of core/*.c, one process per file"
echo "    ($ROUNDS rounds interleaved, medians; overhead = ratio - 1)"
base=$(grep -v fail "$TMP/native.s" | cut -d' ' -f1 | median)
basec=$(grep -v fail "$TMP/native.s" | cut -d' ' -f2 | median)
printf '  %-16s %8s %7s %8s   %8s %7s %8s\n' runner wall ratio overhead \
	cpu ratio overhead
for r in $active; do
	m=$(grep -v fail "$TMP/$r.s" | cut -d' ' -f1 | median)
	c=$(grep -v fail "$TMP/$r.s" | cut -d' ' -f2 | median)
	awk -v r="$r" -v m="$m" -v b="$base" -v c="$c" -v bc="$basec" 'BEGIN {
		if (m == "-" || m == "") { printf "  %-16s %8s\n", r, "failed"; exit }
		printf "  %-16s %8.3f %6.2fx %8.2f   %8.2f %6.2fx %8.2f\n", r, m,
			m / b, m / b - 1, c, c / bc, c / bc - 1 }'
done
