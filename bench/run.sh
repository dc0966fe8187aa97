#!/bin/sh
# SPDX-License-Identifier: MIT
# facet - bench/run.sh: facet against native runs and the peer tools
#
# Each workload runs in interleaved rounds (native, facet, peers, native,
# ...); each run prints the median of 9 batches; the table shows the median
# over the rounds, the ratio of medians to native, and the added cost per
# call as the median of the rounds' differences to their own native run.  Both
# readings are taken: unpinned (what users get) and pinned to one CPU with
# taskset -c 0 (tracer and tracee share it).  Module fragments may add
# workloads as bench/*.sh files, run after this one.
set -u
. "$(dirname "$0")/common.sh"
: "${FACET:=build/bin/facet}"
: "${FACET_BUILD:=build}"
: "${ROUNDS:=5}"
LOOP=$FACET_BUILD/tests/progs/syscall_loop
TESTMOD=$FACET_BUILD/tests/modules/testmod.so
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT


# runner NAME: the command prefix for a runner of this workload
runner() {
	case $1 in
	native) echo "" ;;
	any-filter) echo "$FACET_BUILD/tests/progs/notify_holder" ;;
	facet-notify) echo "$FACET run --backend ptrace -m $TESTMOD:pass=openat,pass=close --" ;;
	facet-ptrace) echo "$FACET run --backend ptrace -m $TESTMOD:passtrace=openat,passtrace=close --" ;;
	facet-preload) echo "$FACET run --backend preload -m $TESTMOD:pass=openat,pass=close --" ;;
	proot) echo "proot -b /tmp" ;;
	strace) echo "strace -f -qq -o /dev/null" ;;
	strace-bpf) echo "strace -f -qq -o /dev/null --seccomp-bpf -e trace=openat,close" ;;
	fakechroot) echo "fakechroot" ;;
	esac
}

available() {
	case $1 in
	proot | strace | fakechroot) have "$1" ;;
	strace-bpf) have strace ;;
	facet-preload) "$FACET" run --backend preload -- true 2>/dev/null ;;
	*) true ;;
	esac
}


# bench WORKLOAD N PIN: one table
bench() {
	wl=$1 n=$2 pin=$3
	runners="native any-filter facet-notify facet-ptrace facet-preload proot strace strace-bpf fakechroot"
	active=
	for r in $runners; do
		available "$r" && active="$active $r"
	done
	rm -f "$TMP"/*.ns
	i=0
	while [ $i -lt "$ROUNDS" ]; do
		for r in $active; do
			count=$n
			case $r in proot | strace) count=$((n / 10)) ;; esac
			# shellcheck disable=SC2046
			$pin $(runner "$r") "$LOOP" "$wl" "$count" /etc/hostname \
				>> "$TMP/$r.ns" 2>/dev/null || echo "fail" >> "$TMP/$r.ns"
		done
		i=$((i + 1))
	done
	base=$(grep -v fail "$TMP/native.ns" | median)
	printf '\n%s, %s (%s rounds; ns per call, median)\n' "$wl" \
		"${pin:-unpinned}" "$ROUNDS"
	printf '  %-14s %10s %9s %12s\n' runner ns/call ratio "added ns"
	for r in $active; do
		m=$(grep -v fail "$TMP/$r.ns" | median)
		# added ns: the median of each round's difference to the
		# native run next to it (slow drifts of the VM cancel out)
		d=$(paste "$TMP/native.ns" "$TMP/$r.ns" |
			awk '$1 != "fail" && $3 != "fail" { print $3 - $1 }' | median)
		note=
		case $r in
		proot) note="  (Debian's proot: no seccomp accelerator)" ;;
		facet-notify) note="  (seccomp user notification)" ;;
		any-filter) note="  (floor: a 2-instruction seccomp filter, no supervisor)" ;;
		facet-ptrace) note="  (ptrace stop per call)" ;;
		esac
		awk -v r="$r" -v m="$m" -v b="$base" -v d="$d" -v note="$note" 'BEGIN {
			if (m == "-" || m == "") { printf "  %-14s %10s%s\n", r, "failed", note; exit }
			printf "  %-14s %10.1f %8.2fx %12.1f%s\n", r, m, m / b, d, note }'
	done
}

echo "facet bench: $(nproc) CPUs, $(uname -r), $(date -u +%Y-%m-%dT%H:%MZ)"
echo "(a) getppid: a syscall no module wants; (b) openat+close: intercepted, passed on unchanged"
PP=$FACET_BUILD/tests/progs/pingpong
echo "floor: a thread wake-up round trip over pipes now costs" \
	"$("$PP" 50000) ns unpinned, $(taskset -c 0 "$PP" 50000) ns on one CPU" \
	"(no interception can beat it)"
for pin in "" "taskset -c 0"; do
	bench getppid 2000000 "$pin"
	bench openat 200000 "$pin"
done
for extra in bench/*.sh; do
	case $extra in bench/run.sh | bench/common.sh) continue ;; esac
	[ ! -f "$extra" ] || sh "$extra"
done
