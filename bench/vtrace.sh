#!/bin/sh
# SPDX-License-Identifier: MIT
# facet - bench/vtrace.sh: tracing a small build, facet trace against strace
#
# The build workload: compile facet's core/*.c with cc -O2, one cc per file
# (processes, execs, many file calls).  Runners: native; facet trace of
# every call to a file; facet trace -e file; strace -f -o FILE; strace -f
# --seccomp-bpf -e trace=%file -o FILE.  Rounds are interleaved; the table
# shows the median wall time, the ratio to native and the overhead
# (ratio - 1).  Run by bench/run.sh.
set -u
: "${FACET:=build/bin/facet}"
: "${ROUNDS:=5}"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT


vtrace_runner() {
	case $1 in
	native) echo "" ;;
	facet-all) echo "$FACET trace -o $TMP/t.txt --" ;;
	facet-file) echo "$FACET trace -e file -o $TMP/t.txt --" ;;
	facet-all-jsonl) echo "$FACET trace --format jsonl -o $TMP/t.jsonl --" ;;
	strace-all) echo "strace -f -qq -o $TMP/s.txt" ;;
	strace-file) echo "strace -f -qq --seccomp-bpf -e trace=%file -o $TMP/s.txt" ;;
	esac
}

vtrace_median() {
	sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)]; else print "-" }'
}

# seconds one run takes
vtrace_time() {
	s=$(date +%s.%N)
	# shellcheck disable=SC2046
	$(vtrace_runner "$1") sh -c \
		"for f in core/*.c; do cc -Iinclude -Icore -D_GNU_SOURCE -O2 -c \"\$f\" -o $TMP/x.o || exit 1; done" \
		> /dev/null 2>&1 || { echo fail; return; }
	e=$(date +%s.%N)
	echo "$e - $s" | bc
}

active=native
for r in facet-all facet-file facet-all-jsonl strace-all strace-file; do
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
echo "    ($ROUNDS rounds, median seconds; overhead = ratio - 1)"
base=$(grep -v fail "$TMP/native.s" | vtrace_median)
printf '  %-16s %9s %8s %9s\n' runner seconds ratio overhead
for r in $active; do
	m=$(grep -v fail "$TMP/$r.s" | vtrace_median)
	awk -v r="$r" -v m="$m" -v b="$base" 'BEGIN {
		if (m == "-" || m == "") { printf "  %-16s %9s\n", r, "failed"; exit }
		printf "  %-16s %9.3f %7.2fx %8.2f\n", r, m, m / b, m / b - 1 }'
done
