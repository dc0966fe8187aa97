#!/bin/sh
# SPDX-License-Identifier: MIT
# facet - bench/vnet.sh: network workloads for --net private and --net nat
#
# (d) iperf3 TCP throughput, one stream, IPERF_T seconds; (e) socket +
# connect + accept + close per connection (tests/progs/vnet_connloop).
# Runners: native loopback, `unshare -rn` (a bare namespace), facet
# --net private under each backend (server and client in the same run),
# facet --net nat --net-host-loopback to a server on the host's loopback
# (10.0.2.2) with the TCP fast path (facet-nat) and without it, all through
# libslirp (facet-nat-slirp: -m vnet:nat-fastpath=off), and slirp4netns
# --mtu 65520 doing the same, when installed.  For the runners on one
# loopback (native, unshare-rn, facet-ptrace, facet-preload), (e) also
# shows the CPU time and the system calls per connection of every process
# of the run (the keeper's and the supervisor's included), with perf stat,
# from the difference between CONN_N and CONN_N/4 connections (which leaves
# out starting the run): on a machine shared with other jobs the rate of
# one runner swings by 2x between rounds, its CPU time much less.
# Run by bench/run.sh; ROUNDS rounds, the median is shown.
set -u
. "$(dirname "$0")/common.sh"
: "${FACET:=build/bin/facet}"
: "${FACET_BUILD:=build}"
: "${ROUNDS:=3}"
: "${IPERF_T:=2}"
: "${CONN_N:=20000}"
CL=$FACET_BUILD/tests/progs/vnet_connloop
PORT=15201
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"; kill $(jobs -p) 2>/dev/null' EXIT



# Gbit/s from iperf3 -J on stdin, and the CPU time both iperf3 processes
# spent per Gbit/s (% of a CPU): a cost that the other jobs on a loaded
# machine change much less than the rate
vn_gbps() {
	python3 -c 'import json, sys
try:
    e = json.load(sys.stdin)["end"]
    g = e["sum_received"]["bits_per_second"] / 1e9
    c = e["cpu_utilization_percent"]
    print("%.2f %.2f" % (g, (c["host_total"] + c["remote_total"]) / g))
except Exception:
    print("fail")'
}

# vn_inside WORKLOAD: a script running server and client on one loopback
vn_inside() {
	if [ "$1" = iperf ]; then
		echo "iperf3 -s -1 -p $PORT >/dev/null 2>&1 & sleep 0.5;" \
			"iperf3 -c 127.0.0.1 -p $PORT -t $IPERF_T -J"
	else
		echo "$CL $CONN_N"
	fi
}

# vn_client WORKLOAD ADDR: the client against a server on the host
vn_client() {
	if [ "$1" = iperf ]; then
		echo "iperf3 -c $2 -p $PORT -t $IPERF_T -J"
	else
		echo "$CL $CONN_N $2 $PORT"
	fi
}

# vn_host_server WORKLOAD: start a server on the host's loopback
vn_host_server() {
	if [ "$1" = iperf ]; then
		iperf3 -s -1 -p $PORT -B 127.0.0.1 >/dev/null 2>&1 &
	else
		"$CL" serve $PORT >/dev/null 2>&1 &
	fi
	srv=$!
	sleep 0.5
}

vn_slirp() {
	unshare -rn sh -c "until ip -o -4 addr show tap0 2>/dev/null | grep -q 10.0.2.100; do sleep 0.05; done; $(vn_client "$1" 10.0.2.2)" &
	child=$!
	sleep 0.2
	slirp4netns --configure --mtu=65520 "$child" tap0 >/dev/null 2>&1 &
	slirp=$!
	wait $child
	kill $slirp 2>/dev/null
	wait $slirp 2>/dev/null
}

vn_run() {
	wl=$1 r=$2
	# a server port per NAT runner: 20000 connections leave as many
	# host ports in TIME_WAIT towards it, which the next runner would
	# otherwise run into
	case $r in
	facet-nat) PORT=15211 ;;
	facet-nat-slirp) PORT=15212 ;;
	slirp4netns) PORT=15213 ;;
	*) PORT=15201 ;;
	esac
	case $r in
	native) sh -c "$(vn_inside "$wl")" ;;
	unshare-rn) unshare -rn sh -c "ip link set lo up; $(vn_inside "$wl")" ;;
	facet-ptrace | facet-preload)
		"$FACET" run --backend "${r#facet-}" --net private -- \
			sh -c "$(vn_inside "$wl")" ;;
	facet-nat | facet-nat-slirp)
		vn_host_server "$wl"
		fp=on
		[ "$r" = facet-nat ] || fp=off
		"$FACET" run -m vnet:nat-fastpath=$fp --net nat \
			--net-host-loopback -- sh -c "$(vn_client "$wl" 10.0.2.2)"
		kill $srv 2>/dev/null; wait $srv 2>/dev/null ;;
	slirp4netns)
		vn_host_server "$wl"
		vn_slirp "$wl"
		kill $srv 2>/dev/null; wait $srv 2>/dev/null ;;
	esac
}

vn_available() {
	case $1 in
	unshare-rn) unshare -rn true 2>/dev/null ;;
	facet-preload) "$FACET" run --backend preload --net private -- true 2>/dev/null ;;
	facet-nat | facet-nat-slirp) "$FACET" run --net nat -- true 2>/dev/null ;;
	slirp4netns) have slirp4netns ;;
	*) true ;;
	esac
}

# vn_local_cmd RUNNER N: the command of a loopback runner of (e), or ""
vn_local_cmd() {
	case $1 in
	native) echo "$CL $2" ;;
	unshare-rn) echo "unshare -rn sh -c 'ip link set lo up; $CL $2'" ;;
	facet-ptrace | facet-preload)
		echo "$FACET run --backend ${1#facet-} --net private -- $CL $2" ;;
	esac
}

# vn_perf CMD: "last-line-of-output ms-of-CPU system-calls" of CMD and
# every process it makes (the keeper of a private network ends with the
# run, before the sleep is over)
vn_perf() {
	perf stat -e task-clock,raw_syscalls:sys_enter -x, -o "$TMP/perf" \
		sh -c "$1 > $TMP/perf.out 2>/dev/null; sleep 0.3" 2>/dev/null
	awk -F, -v w="$(tail -1 "$TMP/perf.out")" '
		/task-clock/ { t = $1 } /raw_syscalls/ { s = $1 }
		END { if (t == "" || s == "" || w == "") print "fail"; else print w, t, s }' \
		"$TMP/perf"
}

# vn_conn_round RUNNER: "ns-per-connection CPU-us-per-connection
# calls-per-connection" (the CPU and calls only for loopback runners)
vn_conn_round() {
	short=$((CONN_N / 4))
	cmd=$(vn_local_cmd "$1" "$CONN_N")
	if [ -z "$cmd" ] || [ "$PERF_OK" != 1 ]; then
		vn_run conn "$1" 2>/dev/null | tail -1
		return
	fi
	a=$(vn_perf "$(vn_local_cmd "$1" $short)")
	b=$(vn_perf "$cmd")
	echo "$a $b" | awk -v n=$((CONN_N - short)) '
		NF != 6 { print "fail"; exit }
		{ printf "%s %.3f %.3f\n", $4, ($5 - $2) * 1000 / n, ($6 - $3) / n }'
}

vn_bench() {
	wl=$1 active=
	for r in native unshare-rn facet-ptrace facet-preload facet-nat \
	    facet-nat-slirp slirp4netns; do
		vn_available "$r" && active="$active $r"
	done
	i=0
	order=${active# }
	while [ $i -lt "$ROUNDS" ]; do
		for r in $order; do
			if [ "$wl" = iperf ]; then
				vn_run "$wl" "$r" 2>/dev/null | vn_gbps
			else
				vn_conn_round "$r"
			fi >> "$TMP/$wl.$r"
		done
		# rotate, so that no runner always follows the same one
		order="${order#* } ${order%% *}"
		i=$((i + 1))
	done
	base=$(grep -v fail "$TMP/$wl.native" | median)
	cbase=$(grep -v fail "$TMP/$wl.native" | median 2)
	for r in $active; do
		m=$(grep -v fail "$TMP/$wl.$r" | median)
		c=$(grep -v fail "$TMP/$wl.$r" | median 2)
		k=$(grep -v fail "$TMP/$wl.$r" | median 3)
		# libslirp's own CPU time is not iperf3's: no cost for those
		case $r in facet-nat-slirp | slirp4netns) c=- ;; esac
		awk -v r="$r" -v m="$m" -v b="$base" -v wl="$wl" -v c="$c" \
		    -v cb="$cbase" -v k="$k" 'BEGIN {
			if (m == "-" || m == "") { printf "  %-16s %10s\n", r, "failed"; exit }
			if (wl == "iperf") {
				printf "  %-16s %8.2f Gb/s %6.2fx native", r, m, m / b
				if (c != "-" && c != "" && cb > 0)
					printf "   %5.1f %%CPU per Gb/s %5.2fx native", c, c / cb
				printf "\n"
				exit
			}
			printf "  %-16s %8.1f us %6.2fx native rate", r, m / 1000, b / m
			if (c != "-" && c != "" && cb > 0)
				printf "   %6.2f us CPU %5.2fx native  %5.2f calls", c, c / cb, k
			printf "\n" }'
	done
}

# perf counts the CPU time and system calls of (e) where it may
PERF_OK=0
perf stat -e task-clock,raw_syscalls:sys_enter true >/dev/null 2>&1 && PERF_OK=1

if have iperf3; then
	echo
	echo "(d) TCP throughput, iperf3 -t $IPERF_T, one stream ($ROUNDS rounds, median)"
	echo "    private runners: server and client on the private loopback;"
	echo "    facet-nat*, slirp4netns: client inside, server on the host's 127.0.0.1"
	vn_bench iperf
else
	echo
	echo "(d) network: iperf3 is not installed, skipped"
fi
echo
echo "(e) socket+connect+accept+close, per connection ($CONN_N, $ROUNDS rounds, median)"
if [ "$PERF_OK" = 1 ]; then
	echo "    loopback runners, beside wall time and rate: CPU time and system calls"
	echo "    of every process of the run (keeper and supervisor too), per connection"
	echo "    (perf stat; $CONN_N connections less $((CONN_N / 4)), which leaves out the start)"
else
	echo "    (perf cannot count task-clock and raw_syscalls:sys_enter here: rate only)"
fi
vn_bench conn
