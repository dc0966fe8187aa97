#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# facet - tests/shell/vnet.bats: private network stacks (--net, --publish,
# facet net), as root and as an ordinary user (65534)

load helper

PEER=$PROGS/vnet_peer
HELLO=$PROGS/vnet_hello
USERS="root nobody"

setup() {
	TMP=$(world_tmp)
	mkdir -m 0700 "$TMP/root" "$TMP/nobody"
	chown 65534:65534 "$TMP/nobody"
	# the test programs must be reachable by 65534
	as_nobody test -x "$PEER" || skip "$PEER is not reachable by uid 65534"
}

teardown() {
	local u n
	for u in $USERS; do
		for n in lab capnet downnet mine rootnet natnet; do
			vrun "$u" "$FACET" net remove "$n" >/dev/null 2>&1 || true
		done
	done
	rm -rf "$TMP"
}

# vrun USER CMD...: CMD as root or as 65534, with that user's runtime dir
vrun() {
	local u=$1
	shift
	if [ "$u" = nobody ]; then
		XDG_RUNTIME_DIR=$TMP/nobody as_nobody "$@"
	else
		XDG_RUNTIME_DIR=$TMP/root "$@"
	fi
}

uid_of() {
	[ "$1" = nobody ] && echo 65534 || echo 0
}

# wait_for FILE [PATTERN]: until FILE exists (and holds PATTERN), 5 s at most
wait_for() {
	local i
	for i in $(seq 100); do
		if [ -e "$1" ] && { [ -z "$2" ] || grep -q "$2" "$1"; }; then
			return 0
		fi
		sleep 0.05
	done
	fail "timed out waiting for $1 ${2:+to hold $2}"
}

# A script for inside a run: wait for a file, 5 s at most
wait_script() {
	cat <<SH
w() { i=0; until [ -e "\$1" ] && { [ -z "\$2" ] || grep -q "\$2" "\$1"; }; do sleep 0.05; i=\$((i+1)); [ \$i -lt 100 ] || exit 9; done; }
SH
}

@test "vnet: server on port 80 and client in one --net private run, invisible to the host" {
	[ -z "$(ss -ltnH 'sport = :80')" ] || skip "the host already listens on port 80"
	{ wait_script; cat <<SH
$PEER serve tcp 127.0.0.1 80 > $TMP/srv.out &
w $TMP/srv.out listening
touch $TMP/ready
w $TMP/checked
$PEER send tcp 127.0.0.1 80 hello
wait
SH
	} > "$TMP/inside.sh"
	for b in $BACKENDS; do
		for u in $USERS; do
			rm -f "$TMP/ready" "$TMP/checked" "$TMP/srv.out"
			vrun "$u" "$FACET" run --backend "$b" --net private -- sh "$TMP/inside.sh" > "$TMP/run.out" 2>&1 &
			wait_for "$TMP/ready"
			ss -ltnH 'sport = :80' > "$TMP/host-ss"
			touch "$TMP/checked"
			wait $! || fail "$b $u: run failed: $(cat "$TMP/run.out")"
			[ "$(cat "$TMP/run.out")" = "echo:hello" ] || fail "$b $u: $(cat "$TMP/run.out")"
			[ ! -s "$TMP/host-ss" ] || fail "$b $u: port 80 on the host: $(cat "$TMP/host-ss")"
			# and a server and client in one process
			run vrun "$u" "$FACET" run --backend "$b" --net private -- "$PEER" pair 127.0.0.1 80
			expect_status 0
			expect_output "got:ping"
		done
	done
}

@test "vnet: ip addr inside shows only the private interfaces" {
	for b in $BACKENDS; do
		for u in $USERS; do
			run vrun "$u" "$FACET" run --backend "$b" --net private -- ip -o link
			expect_status 0
			[ "${#lines[@]}" -eq 1 ] && [[ "$output" == "1: lo: "*"UP"* ]] ||
				fail "$b $u: $output"
			run vrun "$u" "$FACET" run --backend "$b" --net private -- ip -o addr
			expect_status 0
			[ "$(echo "$output" | awk '{print $2}' | sort -u)" = lo ] || fail "$b $u: $output"
			# and the private stack can be configured, the host's is untouched
			run vrun "$u" "$FACET" run --backend "$b" --net private -- sh -c 'ip addr add 10.251.0.1/24 dev lo && ip -o addr show dev lo'
			expect_status 0
			[[ "$output" == *"10.251.0.1/24"* ]] || fail "$b $u: $output"
			! ip -o addr | grep -q 10.251.0.1
		done
	done
}

@test "vnet: two runs on --net lab talk TCP and UDP; the host cannot reach them" {
	for b in $BACKENDS; do
		for u in $USERS; do
			for proto in tcp udp; do
				rm -f "$TMP/srv.out"
				vrun "$u" "$FACET" run --backend "$b" --net lab -- "$PEER" serve "$proto" 127.0.0.1 7000 > "$TMP/srv.out" 2>&1 &
				wait_for "$TMP/srv.out" listening
				if [ "$proto" = tcp ]; then
					run "$PEER" send tcp 127.0.0.1 7000 from-host
					[[ "$output" == "connect: Connection refused" ]] || fail "host reached lab: $output"
				fi
				run vrun "$u" "$FACET" run --backend "$b" --net lab -- "$PEER" send "$proto" 127.0.0.1 7000 "hi-$proto"
				expect_status 0
				expect_output "echo:hi-$proto"
				wait $! || fail "$b $u $proto: server: $(cat "$TMP/srv.out")"
			done
		done
	done
}

@test "vnet: --publish 18080:80 is reachable from the host on 127.0.0.1 only, keeping the client's port" {
	local ext
	ext=$(hostname -I 2>/dev/null | awk '{print $1}')
	for b in $BACKENDS; do
		for u in $USERS; do
			rm -f "$TMP/srv.out"
			vrun "$u" "$FACET" run --backend "$b" --net private --publish 18080:80 -- "$PEER" serve tcp 127.0.0.1 80 > "$TMP/srv.out" 2>&1 &
			wait_for "$TMP/srv.out" listening
			run ss -ltnH 'sport = :18080'
			[ "${#lines[@]}" -eq 1 ] && [[ "$output" == *" 127.0.0.1:18080 "* ]] ||
				fail "$b $u: ss: $output"
			if [ -n "$ext" ]; then
				run "$PEER" send tcp "$ext" 18080 outside
				[[ "$output" == "connect: Connection refused" ]] || fail "$b $u: $ext: $output"
			fi
			run "$PEER" sendport tcp 127.0.0.1 18080 via-publish
			[ "${lines[1]}" = "echo:via-publish" ] || fail "$b $u: $output"
			wait $! || fail "$b $u: $(cat "$TMP/srv.out")"
			# a client on the host's loopback keeps its port
			grep -qx "peer ${lines[0]#local }" "$TMP/srv.out" ||
				fail "$b $u: client ${lines[0]}, server saw $(cat "$TMP/srv.out")"
			# UDP, and --publish alone means --net private
			rm -f "$TMP/srv.out"
			vrun "$u" "$FACET" run --backend "$b" --publish 18081:53/udp -- "$PEER" serve udp 127.0.0.1 53 > "$TMP/srv.out" 2>&1 &
			wait_for "$TMP/srv.out" listening
			run "$PEER" sendport udp 127.0.0.1 18081 dns-ish
			[ "${lines[1]}" = "echo:dns-ish" ] || fail "$b $u: $output"
			wait $!
			grep -qx "peer ${lines[0]#local }" "$TMP/srv.out" ||
				fail "$b $u: client ${lines[0]}, server saw $(cat "$TMP/srv.out")"
		done
	done
}

@test "vnet: AF_UNIX sockets and socketpair stay on the host" {
	for b in $BACKENDS; do
		for u in $USERS; do
			rm -f "$TMP/srv.out" "$TMP/u.sock"
			vrun "$u" "$PEER" serve unix - "$TMP/u.sock" > "$TMP/srv.out" 2>&1 &
			wait_for "$TMP/srv.out" listening
			run vrun "$u" "$FACET" run --backend "$b" --net private -- "$PEER" send unix - "$TMP/u.sock" over-unix
			expect_status 0
			expect_output "echo:over-unix"
			wait $!
			run vrun "$u" "$FACET" run --backend "$b" --net private -- /usr/bin/python3 -c 'import socket; a, b = socket.socketpair(); a.send(b"sp"); print(b.recv(2).decode())'
			expect_output "sp"
		done
	done
}

@test "vnet: the keeper is gone after the last user" {
	for b in $BACKENDS; do
		for u in $USERS; do
			uid=$(uid_of "$u")
			# a private network
			run vrun "$u" "$FACET" run --backend "$b" --net private -- sh -c "pgrep -u $uid -x facet-keeper"
			expect_status 0
			pids=$output
			for i in $(seq 60); do
				alive=
				for p in $pids; do kill -0 "$p" 2>/dev/null && alive=1; done
				[ -z "$alive" ] && break
				sleep 0.05
			done
			[ -z "$alive" ] || fail "$b $u: keeper still there: $(ps -o pid,user,comm -p $pids)"
			[ -z "$(ls -A "$TMP/$u/facet/net" | grep sock)" ] ||
				fail "$b $u: $(ls -A "$TMP/$u/facet/net")"
			# a named one, made by a run: gone after two runs end
			run vrun "$u" "$FACET" run --backend "$b" --net lab -- "$FACET" net list
			expect_status 0
			pid=$(echo "$output" | awk '$1 == "lab" { print $5 }')
			[ -n "$pid" ] || fail "$b $u: not listed: $output"
			for i in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
			! kill -0 "$pid" 2>/dev/null
			run vrun "$u" "$FACET" net list
			[[ "$output" != *lab* ]] || fail "$b $u: $output"
		done
	done
}

@test "vnet: facet net create, list, remove; a removed network gives ENETDOWN" {
	for b in $BACKENDS; do
		for u in $USERS; do
			run vrun "$u" "$FACET" net create downnet
			expect_status 0
			run vrun "$u" "$FACET" net create downnet
			expect_status 125
			[[ "$output" == *"exists already"* ]]
			run vrun "$u" "$FACET" net list
			[[ "$output" == *"downnet"*"created"*"private"* ]] || fail "$output"
			# a created network outlives its runs
			run vrun "$u" "$FACET" run --backend "$b" --net downnet -- "$PEER" socket inet
			expect_output ok
			run vrun "$u" "$FACET" net list
			[[ "$output" == *"downnet"* ]] || fail "$output"
			{ wait_script; cat <<SH
$PEER socket inet && touch $TMP/first-ok
w $TMP/removed
$PEER socket inet
$PEER socket inet6
$PEER socket unix
SH
			} > "$TMP/down.sh"
			rm -f "$TMP/first-ok" "$TMP/removed"
			vrun "$u" "$FACET" run --backend "$b" --net downnet -- sh "$TMP/down.sh" > "$TMP/run.out" 2>&1 &
			wait_for "$TMP/first-ok"
			run vrun "$u" "$FACET" net remove downnet
			expect_status 0
			touch "$TMP/removed"
			wait $! || true
			[ "$(cat "$TMP/run.out")" = "$(printf 'ok\nENETDOWN\nENETDOWN\nok')" ] || fail "$b $u: $(cat "$TMP/run.out")"
			run vrun "$u" "$FACET" net remove downnet
			expect_status 125
			[[ "$output" == *"no network 'downnet'"* ]]
		done
	done
}

@test "vnet: a second user cannot use the first user's network" {
	run vrun nobody "$FACET" net create mine
	expect_status 0
	run vrun root "$FACET" net create rootnet
	expect_status 0
	# root can open the socket, but the keeper checks SO_PEERCRED
	run "$HELLO" "$TMP/nobody/facet/net/mine.sock"
	expect_output "refused: Permission denied"
	run as_nobody "$HELLO" "$TMP/nobody/facet/net/mine.sock"
	[[ "$output" == "ok users="* ]] || fail "$output"
	# another user's runtime directory is refused outright
	run env XDG_RUNTIME_DIR="$TMP/nobody" "$FACET" run --net mine -- true
	expect_status 125
	[[ "$output" == *"is not a directory of yours"* ]]
	# and 65534 cannot reach root's network at all
	run as_nobody "$HELLO" "$TMP/root/facet/net/rootnet.sock"
	expect_output "connect: Permission denied"
	for b in $BACKENDS; do
		rm -f "$TMP/srv.out"
		vrun root "$FACET" run --backend "$b" --net rootnet -- "$PEER" serve tcp 127.0.0.1 7100 > "$TMP/srv.out" 2>&1 &
		wait_for "$TMP/srv.out" listening
		# the same name for 65534 is another network
		run vrun nobody "$FACET" run --backend "$b" --net rootnet -- "$PEER" send tcp 127.0.0.1 7100 x
		expect_output "connect: Connection refused"
		run vrun root "$FACET" run --backend "$b" --net rootnet -- "$PEER" send tcp 127.0.0.1 7100 y
		expect_output "echo:y"
		wait $!
	done
}

@test "vnet: facet net capture writes a pcap that tshark reads, with the TCP handshake" {
	command -v tshark > /dev/null || skip "tshark is not installed"
	for b in $BACKENDS; do
		for u in $USERS; do
			run vrun "$u" "$FACET" net create capnet
			expect_status 0
			rm -f "$TMP/cap.pcap"
			vrun "$u" "$FACET" net capture capnet -w "$TMP/cap.pcap" -c 3 2> "$TMP/cap.err" &
			for i in $(seq 100); do [ "$(stat -c %s "$TMP/cap.pcap" 2>/dev/null || echo 0)" -ge 24 ] && break; sleep 0.05; done
			run vrun "$u" "$FACET" run --backend "$b" --net capnet -- "$PEER" pair 127.0.0.1 8080
			expect_output "got:ping"
			wait $!
			grep -q "3 packets captured" "$TMP/cap.err" || fail "$(cat "$TMP/cap.err")"
			run sh -c "tshark -r '$TMP/cap.pcap' -T fields -e tcp.flags.str -e tcp.dstport 2>/dev/null"
			expect_status 0
			[[ "${lines[0]}" == *"S"*"8080" ]] && [[ "${lines[1]}" == *"A"*"S"* ]] &&
				[[ "${lines[2]}" == *"A"*"8080" ]] || fail "$b $u: $output"
			run vrun "$u" "$FACET" net remove capnet
			expect_status 0
		done
	done
}

@test "vnet: bad options are one-line errors with status 125" {
	run "$FACET" run --net-host-loopback -- true
	expect_status 125
	[[ "$output" == *"needs --net nat"* ]]
	run "$FACET" run --net 'a/b' -- true
	expect_status 125
	[[ "$output" == *"--net a/b: use private, nat or a network name"* ]]
	run "$FACET" run --publish 80 -- true
	expect_status 125
	[[ "$output" == *"use [ADDR:]HOSTPORT:GUESTPORT[/udp]"* ]]
	run "$FACET" run --publish 1.2.3:80:80 -- true
	expect_status 125
	run "$FACET" net create --nat
	expect_status 125
	run "$FACET" net create x --host-loopback
	expect_status 125
	[[ "$output" == *"--host-loopback needs --nat"* ]]
	run "$FACET" net frob
	expect_status 125
	run "$FACET" net capture nosuchnet -w /dev/null
	expect_status 125
	[[ "$output" == *"no network 'nosuchnet'"* ]]
	# a host port in use
	"$PEER" serve tcp 127.0.0.1 18082 > "$TMP/srv.out" &
	wait_for "$TMP/srv.out" listening
	run "$FACET" run --publish 18082:80 -- true
	expect_status 125
	[[ "$output" == *"127.0.0.1:18082: cannot listen on the host: Address already in use"* ]]
	[ "${#lines[@]}" -eq 1 ]
	"$PEER" send tcp 127.0.0.1 18082 done > /dev/null
	wait
}

@test "vnet: --net nat: tap0 10.0.2.100/24 via 10.0.2.2; the host's loopback only with --net-host-loopback" {
	local ext
	ext=$(hostname -I 2>/dev/null | tr ' ' '\n' | grep -m1 '^[0-9.]*$')
	for b in $BACKENDS; do
		for u in $USERS; do
			if [ "$u" = nobody ] && ! as_nobody test -r /dev/net/tun -a -w /dev/net/tun; then
				# the clear error; distributions ship the device 0666
				run vrun "$u" "$FACET" run --backend "$b" --net nat -- true
				expect_status 125
				[[ "$output" == *"--net nat needs /dev/net/tun: Permission denied (Hint: "* ]] ||
					fail "$output"
				continue
			fi
			run vrun "$u" "$FACET" run --backend "$b" --net nat -- sh -c 'ip -o -4 addr show dev tap0; ip route show default'
			expect_status 0
			[[ "$output" == *"inet 10.0.2.100/24"*"default via 10.0.2.2 dev tap0"* ]] || fail "$b $u: $output"
			rm -f "$TMP/srv.out"
			vrun "$u" "$PEER" serve tcp 127.0.0.1 7300 > "$TMP/srv.out" 2>&1 &
			wait_for "$TMP/srv.out" listening
			run vrun "$u" "$FACET" run --backend "$b" --net nat -- "$PEER" send tcp 10.0.2.2 7300 no-loopback
			[[ "$output" == "connect: "* ]] || fail "$b $u: reached the host's lo: $output"
			run vrun "$u" "$FACET" run --backend "$b" --net nat --net-host-loopback -- "$PEER" send tcp 10.0.2.2 7300 via-nat
			expect_status 0
			expect_output "echo:via-nat"
			wait $!
			# a host address other than loopback is the outside world
			if [ -n "$ext" ]; then
				rm -f "$TMP/srv.out"
				vrun "$u" "$PEER" serve tcp "$ext" 7301 > "$TMP/srv.out" 2>&1 &
				wait_for "$TMP/srv.out" listening
				run vrun "$u" "$FACET" run --backend "$b" --net nat -- "$PEER" send tcp "$ext" 7301 outbound
				expect_output "echo:outbound"
				wait $!
			fi
			# a loopback resolver of the host is stood in for inside
			printf 'nameserver 127.0.0.53\nnameserver 192.0.2.53\n' > "$TMP/resolv.conf"
			chmod 644 "$TMP/resolv.conf"
			run env FACET_VNET_RESOLV_CONF="$TMP/resolv.conf" XDG_RUNTIME_DIR="$TMP/$u" \
				$( [ "$u" = nobody ] && echo setpriv --reuid=65534 --regid=65534 --clear-groups -- ) \
				"$FACET" run --backend "$b" --net nat -- ss -lnuH
			expect_status 0
			[[ "$output" == *"127.0.0.53:53 "* ]] && [[ "$output" != *"192.0.2.53"* ]] || fail "$b $u: $output"
			# a named NAT network
			run vrun "$u" "$FACET" net create natnet --nat
			expect_status 0
			run vrun "$u" "$FACET" net list
			[[ "$output" == *"natnet"*"created"*"nat"* ]] || fail "$output"
			run vrun "$u" "$FACET" run --backend "$b" --net natnet -- ip -o -4 addr show dev tap0
			[[ "$output" == *"10.0.2.100/24"* ]] || fail "$output"
			run vrun "$u" "$FACET" net remove natnet
			expect_status 0
		done
	done
}

@test "vnet: io_uring_setup fails with ENOSYS (IORING_OP_SOCKET would bypass the view)" {
	for b in $BACKENDS; do
		run "$FACET" run --backend "$b" --net private -- /usr/bin/python3 -c '
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
params = ctypes.create_string_buffer(120)
print(libc.syscall(425, 4, params), os.strerror(ctypes.get_errno()))'
		expect_status 0
		expect_output "-1 Function not implemented"
	done
}

@test "vnet: sockets keep SOCK_CLOEXEC and SOCK_NONBLOCK; ping works on the private loopback" {
	for b in $BACKENDS; do
		for u in $USERS; do
			run vrun "$u" "$FACET" run --backend "$b" --net private -- /usr/bin/python3 -c '
import os, socket
a = socket.socket(socket.AF_INET, socket.SOCK_STREAM | socket.SOCK_NONBLOCK)
b = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
os.set_inheritable(b.fileno(), True)
print(a.get_inheritable(), a.getblocking(), b.get_inheritable(), b.getblocking())'
			expect_status 0
			expect_output "False False True True"
			if command -v ping > /dev/null; then
				run vrun "$u" "$FACET" run --backend "$b" --net private -- ping -c 1 -W 2 127.0.0.1
				expect_status 0
			fi
		done
	done
}

@test "vnet: uevent and audit netlink stay on the host, route netlink is private" {
	local cookie='import socket, struct, sys
def ns(s): return struct.unpack("Q", s.getsockopt(socket.SOL_SOCKET, 71, 8))[0]
print(ns(socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, int(sys.argv[1]))))'
	host=$(/usr/bin/python3 -c "$cookie" 0) || skip "no SO_NETNS_COOKIE"
	for b in $BACKENDS; do
		for u in $USERS; do
			run vrun "$u" "$FACET" run --backend "$b" --net private -- /usr/bin/python3 -c "$cookie" 15
			expect_output "$host"
			run vrun "$u" "$FACET" run --backend "$b" --net private -- /usr/bin/python3 -c "$cookie" 0
			expect_status 0
			[ "$output" != "$host" ] || fail "$b $u: route netlink on the host"
		done
	done
}
