#!/bin/sh
# SPDX-License-Identifier: MIT
# facet - bench/preload.sh: the preload backend with and without the raw
# catch, and a build workload (make -j2 of 40 C files) against native
#
# Run by bench/run.sh after its own tables.
set -u
: "${FACET:=build/bin/facet}"
: "${FACET_BUILD:=build}"
: "${ROUNDS:=5}"
LOOP=$FACET_BUILD/tests/progs/syscall_loop
TESTMOD=$FACET_BUILD/tests/modules/testmod.so
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

"$FACET" run --backend preload -- true 2>/dev/null || {
	echo "preload backend not available: skipped"
	exit 0
}

median() {
	sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)]; else print "-" }'
}

# run1 NAME CMD...: one timing appended to $TMP/NAME
run1() {
	name=$1
	shift
	"$@" >> "$TMP/$name" 2>/dev/null || echo fail >> "$TMP/$name"
}

loops() {
	wl=$1 n=$2 mod=$3
	rm -f "$TMP"/*
	i=0
	while [ $i -lt "$ROUNDS" ]; do
		run1 native "$LOOP" "$wl" "$n"
		run1 catch "$FACET" run --backend preload -m "$TESTMOD:$mod" -- "$LOOP" "$wl" "$n"
		run1 ignore env FACET_PRELOAD_RAW=ignore "$FACET" run --backend preload -m "$TESTMOD:$mod" -- "$LOOP" "$wl" "$n"
		i=$((i + 1))
	done
	base=$(grep -v fail "$TMP/native" | median)
	printf '\n%s with testmod %s (%s rounds, ns per call, median)\n' "$wl" "$mod" "$ROUNDS"
	for r in native catch ignore; do
		m=$(grep -v fail "$TMP/$r" | median)
		awk -v r="$r" -v m="$m" -v b="$base" 'BEGIN {
			printf "  preload %-8s %10.1f %8.3fx %+10.1f\n", r, m, m / b, m - b }'
	done
}

echo
echo "preload: raw catch (default) against FACET_PRELOAD_RAW=ignore"
# the shim's own path, no kernel: the module answers the call itself
loops getppid 1000000 deny=getppid
loops getppid 1000000 pass=openat
loops getppid 1000000 pass=getppid
loops openat 200000 pass=openat
loops openat 200000 pass=openat,pass=close

# What the kernel charges a call that is let through, per mechanism that
# could catch raw syscalls (paired batches in one process, CPU time)
echo
echo "kernel: ns per call let through (median, and against native batches next to it)"
for wl in getppid openat; do
	echo "  $wl:"
	"$FACET_BUILD/tests/progs/sud_cost" $wl 30 | sed 's/^/    /'
done

# A build: make -j2 of 40 small C files
mkdir -p "$TMP/src"
i=1
while [ $i -le 40 ]; do
	printf '#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\nint f%d(int x) { char b[64]; snprintf(b, 64, "%%d", x); return (int)strlen(b) + atoi(b); }\n' $i > "$TMP/src/f$i.c"
	i=$((i + 1))
done
printf 'all: $(patsubst %%.c,%%.o,$(wildcard *.c))\n%%.o: %%.c\n\tcc -O2 -c $< -o $@\n' > "$TMP/src/Makefile"
build() {
	make -s -C "$TMP/src" clean >/dev/null 2>&1
	rm -f "$TMP"/src/*.o
	s=$(date +%s%N)
	"$@" make -s -C "$TMP/src" -j2 >/dev/null 2>&1
	e=$(date +%s%N)
	echo $(((e - s) / 1000000))
}
rm -f "$TMP"/b.*
i=0
while [ $i -lt "$ROUNDS" ]; do
	build env >> "$TMP/b.native"
	build "$FACET" run --backend preload -m "$TESTMOD:pass=openat" -- >> "$TMP/b.catch"
	build env FACET_PRELOAD_RAW=ignore "$FACET" run --backend preload -m "$TESTMOD:pass=openat" -- >> "$TMP/b.ignore"
	i=$((i + 1))
done
base=$(median < "$TMP/b.native")
printf '\nbuild: make -j2 of 40 C files, testmod pass=openat (%s rounds, ms, median)\n' "$ROUNDS"
for r in native catch ignore; do
	m=$(median < "$TMP/b.$r")
	awk -v r="$r" -v m="$m" -v b="$base" 'BEGIN {
		printf "  preload %-8s %8d ms %8.3fx\n", r, m, m / b }'
done
