#!/bin/sh
# SPDX-License-Identifier: MIT
# facet - bench/preload.sh: the preload backend with and without the raw
# catch, the cost per process, and a build workload (make -j2 of 40 C
# files) against native
#
# Run by bench/run.sh after its own tables.  Every table gives wall-clock
# time and CPU time (the thread's for the loops, the children's user+sys
# for the process workloads): on a loaded machine the CPU time is the one
# to compare.  Runs are interleaved (native, catch, ignore, native, ...);
# medians over ROUNDS.
set -u
. "$(dirname "$0")/common.sh"
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


# col N FILE: column N of FILE's successful lines
col() {
	grep -v fail "$2" | awk -v c="$1" '{ print $c }'
}

# ratio NAME BASE-WALL BASE-CPU FILE UNIT: one table line
ratio() {
	w=$(col 1 "$4" | median)
	c=$(col 2 "$4" | median)
	awk -v r="$1" -v w="$w" -v bw="$2" -v c="$c" -v bc="$3" -v u="$5" 'BEGIN {
		printf "  %-16s wall %9.1f %s %6.3fx %+9.1f   cpu %9.1f %s %6.3fx %+9.1f\n",
		       r, w, u, w / bw, w - bw, c, u, c / bc, c - bc }'
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
	bw=$(col 1 "$TMP/native" | median)
	bc=$(col 2 "$TMP/native" | median)
	printf '\n%s with testmod %s (%s rounds, ns per call, median)\n' "$wl" "$mod" "$ROUNDS"
	for r in native catch ignore; do
		ratio "preload $r" "$bw" "$bc" "$TMP/$r" ns
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

# Instructions, counted by single-stepping (tests/progs/stepcount): exact
# and the same however loaded the machine is, for VMs without hardware
# counters.  syscall_loop N makes 9 * (N / 9 + 1) iterations: 99 and 909.
# The per-call loops count outside the vDSO: its clock reads (the loop's
# timing) retry a varying number of times when single-stepped.
STEP=$FACET_BUILD/tests/progs/stepcount
steps() {
	"$@" 2>&1 >/dev/null | awk '/^steps / { print $2 }'
}
steps_nv() {
	"$@" 2>&1 >/dev/null | awk '/^steps-outside-vdso / { print $2 }'
}
echo
echo "user-space instructions (single-stepped, exact; per iteration)"
# steploop WORKLOAD MODULE-OPTIONS TEXT
steploop() {
	pre="$FACET run --backend preload -m $TESTMOD:$2 --"
	n1=$(steps_nv "$STEP" "$LOOP" "$1" 90)
	n2=$(steps_nv "$STEP" "$LOOP" "$1" 900)
	p1=$(steps_nv $pre "$STEP" "$LOOP" "$1" 90)
	p2=$(steps_nv $pre "$STEP" "$LOOP" "$1" 900)
	awk -v n1="$n1" -v n2="$n2" -v p1="$p1" -v p2="$p2" -v t="$3" 'BEGIN {
		n = (n2 - n1) / 810; p = (p2 - p1) / 810
		printf "  %-58s native %6.1f, preload %6.1f (%+.1f)\n", t, n, p, p - n }'
}
steploop openat pass=openat,pass=close "syscall() openat+close, both wanted (pass=openat,close)"
steploop open pass=openat,pass=close "open()+close(), both wanted (pass=openat,close)"
steploop getppid pass=getppid "syscall(SYS_getppid), wanted (pass=getppid)"
steploop getppid pass=openat,pass=close "syscall(SYS_getppid), not wanted (pass=openat,close)"
n1=$(steps "$STEP" /bin/true)
p1=$(steps "$FACET" run --backend preload -m "$TESTMOD:pass=openat" -- "$STEP" /bin/true)
echo "  /bin/true (testmod pass=openat): native $n1, preload $p1 ($((p1 - n1)) more) per process"

# The user-side cost of an intercepted call, in one process
# (tests/progs/call_paired): the interposed calls against the same calls
# made by libc's own syscall instruction, ABBA, thread CPU time.  Two
# processes cannot be compared on a loaded VM (+/-20 %), pairs in one can.
# Each run prints the median and quartiles of the difference, ns per
# iteration; the line ends with the median over the runs.
PAIRED=$FACET_BUILD/tests/progs/call_paired
echo
echo "user side of an intercepted call, in-process pairs (call_paired, $ROUNDS runs; ns per iteration: median [q1 q3] of each run)"
pmod="$TESTMOD:pass=openat,pass=close,pass=getppid"
for wl in openat getppid open; do
	for how in none preload; do
		rm -f "$TMP/paired"
		i=0
		while [ $i -lt "$ROUNDS" ]; do
			case $how in
			none) "$PAIRED" $wl ;;
			preload) "$FACET" run --backend preload -m "$pmod" -- "$PAIRED" $wl ;;
			esac >> "$TMP/paired" 2>/dev/null
			i=$((i + 1))
		done
		runs=$(awk '{ printf "%s [%s %s]  ", $1, $2, $3 }' "$TMP/paired")
		printf '  %-8s %-8s %s=> %s\n' "$wl" "$how" "$runs" "$(median < "$TMP/paired")"
	done
done
echo "  (openat: syscall(SYS_openat)+syscall(SYS_close); getppid: syscall(SYS_getppid) x2;"
echo "   open: open()+close(); none: without facet, the noise floor)"

# What the kernel charges a call that is let through, per mechanism that
# could catch raw syscalls (paired batches in one process, CPU time)
echo
echo "kernel: ns per call let through (median, and against native batches next to it)"
for wl in getppid openat; do
	echo "  $wl:"
	"$FACET_BUILD/tests/progs/sud_cost" $wl 30 | sed 's/^/    /'
done

# timed CMD...: "WALL-MS CPU-MS" of CMD, CPU being its children's user+sys
timed() {
	s=$(date +%s%N)
	t=$( ("$@" >/dev/null 2>&1; times) | tail -1)
	e=$(date +%s%N)
	echo "$t" | awk -v w=$(((e - s) / 1000000)) '{
		n = split($0, f, " "); c = 0
		for (i = 1; i <= n; i++) {
			split(f[i], ms, "m"); sub(/s$/, "", ms[2])
			c += ms[1] * 60 + ms[2]
		}
		printf "%d %.0f\n", w, c * 1000 }'
}

# What each new process of the view costs: 200 execs of /bin/true
echo
echo "per process: 200 x /bin/true from one sh, testmod pass=openat ($ROUNDS rounds, ms for all 200, median)"
loop='i=0; while [ $i -lt 200 ]; do /bin/true; i=$((i + 1)); done'
rm -f "$TMP"/p.*
i=0
while [ $i -lt "$ROUNDS" ]; do
	timed sh -c "$loop" >> "$TMP/p.native"
	timed "$FACET" run --backend preload -m "$TESTMOD:pass=openat" -- sh -c "$loop" >> "$TMP/p.catch"
	timed env FACET_PRELOAD_RAW=ignore "$FACET" run --backend preload -m "$TESTMOD:pass=openat" -- sh -c "$loop" >> "$TMP/p.ignore"
	i=$((i + 1))
done
bw=$(col 1 "$TMP/p.native" | median)
bc=$(col 2 "$TMP/p.native" | median)
for r in native catch ignore; do
	ratio "preload $r" "$bw" "$bc" "$TMP/p.$r" ms
done
echo "  (what one 'facet run -- true' adds once, the launch: bench/launch.sh)"
if command -v perf >/dev/null 2>&1; then
	for r in native catch; do
		case $r in
		native) pre= ;;
		catch) pre="$FACET run --backend preload -m $TESTMOD:pass=openat --" ;;
		esac
		perf stat -x, -e page-faults,raw_syscalls:sys_enter,signal:signal_deliver \
			-- $pre sh -c "$loop" 2>&1 >/dev/null |
			awk -F, -v r="$r" '$1 ~ /^[0-9]+$/ { printf "  %-16s %s %s per process\n",
			"preload " r, $3, $1 / 200 }'
	done
fi

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
	timed "$@" make -s -C "$TMP/src" -j2
}
rm -f "$TMP"/b.*
i=0
while [ $i -lt "$ROUNDS" ]; do
	build env >> "$TMP/b.native"
	build "$FACET" run --backend preload -m "$TESTMOD:pass=openat" -- >> "$TMP/b.catch"
	build env FACET_PRELOAD_RAW=ignore "$FACET" run --backend preload -m "$TESTMOD:pass=openat" -- >> "$TMP/b.ignore"
	i=$((i + 1))
done
bw=$(col 1 "$TMP/b.native" | median)
bc=$(col 2 "$TMP/b.native" | median)
printf '\nbuild: make -j2 of 40 C files, testmod pass=openat (%s rounds, ms, median)\n' "$ROUNDS"
for r in native catch ignore; do
	ratio "preload $r" "$bw" "$bc" "$TMP/b.$r" ms
done
