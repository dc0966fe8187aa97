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
		for n in lab capnet downnet killnet mine rootnet natnet quick; do
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

# free_port WANT: WANT if nothing on the host uses it, else a free one
# (other test runs may share the machine)
free_port() {
	local p
	for p in "$1" $(shuf -i 20000-40000 -n 50); do
		ss -ltnuaH "sport = :$p" | grep -q . || { echo "$p"; return 0; }
	done
	fail "no free port"
}

# wait_for FILE [PATTERN]: until FILE exists (and holds PATTERN), 10 s at most
wait_for() {
	local i
	for i in $(seq 200); do
		if [ -e "$1" ] && { [ -z "$2" ] || grep -q "$2" "$1"; }; then
			return 0
		fi
		sleep 0.05
	done
	fail "timed out waiting for $1 ${2:+to hold $2}"
}

# A script for inside a run: wait for a file, 10 s at most
wait_script() {
	cat <<SH
w() { i=0; until [ -e "\$1" ] && { [ -z "\$2" ] || grep -q "\$2" "\$1"; }; do sleep 0.05; i=\$((i+1)); [ \$i -lt 200 ] || exit 9; done; }
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

@test "vnet: if_nametoindex(), if_indextoname() and interface ioctls on an AF_UNIX socket see the private interfaces" {
	local want idx
	# glibc asks these on an AF_UNIX socket, which stays the host's
	for b in $BACKENDS; do
		for u in $USERS; do
			run vrun "$u" "$FACET" run --backend "$b" --net private -- sh -c "ip link add v0 type veth peer name v1 || exit 77
ip addr add 10.252.0.1/24 dev v0 && ip link set v0 mtu 1400 && ip link set v0 up && ip -o link show v0 | cut -d: -f1 &&
$PROGS/vnet_ifreq lo v0 eth0 ens3 enp0s3"
			[ "$status" -ne 77 ] || skip "no veth links in a network namespace here"
			expect_status 0
			idx=${lines[0]}
			want="index lo 1
name 1 lo
mtu lo 65536
scope fe80::1%lo 1
index v0 $idx
name $idx v0
mtu v0 1400
scope fe80::1%v0 $idx
index eth0 none
index ens3 none
index enp0s3 none
conf lo 127.0.0.1
conf v0 10.252.0.1"
			[ "$(printf '%s\n' "${lines[@]:1}")" = "$want" ] || fail "$b $u: $output"
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
	local ext hp up
	ext=$(hostname -I 2>/dev/null | awk '{print $1}')
	for b in $BACKENDS; do
		for u in $USERS; do
			rm -f "$TMP/srv.out"
			hp=$(free_port 18080)
			vrun "$u" "$FACET" run --backend "$b" --net private --publish "$hp:80" -- "$PEER" serve tcp 127.0.0.1 80 > "$TMP/srv.out" 2>&1 &
			wait_for "$TMP/srv.out" listening
			run ss -ltnH "sport = :$hp"
			[ "${#lines[@]}" -eq 1 ] && [[ "$output" == *" 127.0.0.1:$hp "* ]] ||
				fail "$b $u: ss: $output"
			if [ -n "$ext" ]; then
				run "$PEER" send tcp "$ext" "$hp" outside
				[[ "$output" == "connect: Connection refused" ]] || fail "$b $u: $ext: $output"
			fi
			run "$PEER" sendport tcp 127.0.0.1 "$hp" via-publish
			[ "${lines[1]}" = "echo:via-publish" ] || fail "$b $u: $output"
			wait $! || fail "$b $u: $(cat "$TMP/srv.out")"
			# a client on the host's loopback keeps its port
			grep -qx "peer ${lines[0]#local }" "$TMP/srv.out" ||
				fail "$b $u: client ${lines[0]}, server saw $(cat "$TMP/srv.out")"
			# UDP, and --publish alone means --net private
			rm -f "$TMP/srv.out"
			up=$(free_port 18081)
			vrun "$u" "$FACET" run --backend "$b" --publish "$up:53/udp" -- "$PEER" serve udp 127.0.0.1 53 > "$TMP/srv.out" 2>&1 &
			wait_for "$TMP/srv.out" listening
			run "$PEER" sendport udp 127.0.0.1 "$up" dns-ish
			[ "${lines[1]}" = "echo:dns-ish" ] || fail "$b $u: $output"
			wait $!
			grep -qx "peer ${lines[0]#local }" "$TMP/srv.out" ||
				fail "$b $u: client ${lines[0]}, server saw $(cat "$TMP/srv.out")"
		done
	done
}

@test "vnet: a published port's clients wait for a guest that is slow to accept, as natively, and are not reset" {
	local hp
	# the guest's accept queue holds one connection (backlog 0); the
	# second waits for the guest's SYN-ACK, as it would natively.  The
	# relay used to connect inside with a blocking connect() limited to
	# 2 s, in the keeper's only thread: it reset such clients, and held
	# up every other relayed connection meanwhile
	cat > "$TMP/slow.py" <<PY
import os, socket, time
l = socket.socket()
l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
l.bind(("127.0.0.1", 80))
l.listen(0)
print("listening", flush=True)
while not os.path.exists("$TMP/go"):
    time.sleep(0.05)
l.settimeout(15)
for i in range(2):
    a, _ = l.accept()
    a.sendall(b"late:" + a.recv(100))
    a.close()
PY
	for b in $BACKENDS; do
		for u in $USERS; do
			rm -f "$TMP/srv.out" "$TMP/go" "$TMP"/c?.out
			hp=$(free_port 18090)
			vrun "$u" "$FACET" run --backend "$b" --publish "$hp:80" -- python3 "$TMP/slow.py" > "$TMP/srv.out" 2>&1 &
			wait_for "$TMP/srv.out" listening
			"$PEER" send tcp 127.0.0.1 "$hp" one > "$TMP/c1.out" 2>&1 &
			"$PEER" send tcp 127.0.0.1 "$hp" two > "$TMP/c2.out" 2>&1 &
			# longer than the relay's old 2 s
			sleep 3
			touch "$TMP/go"
			wait %2 %3 || true
			wait %1 || fail "$b $u: guest: $(cat "$TMP/srv.out")"
			[ "$(cat "$TMP/c1.out")" = late:one ] && [ "$(cat "$TMP/c2.out")" = late:two ] ||
				fail "$b $u: clients got: $(cat "$TMP/c1.out") / $(cat "$TMP/c2.out")"
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
			# net list -a shows a running view's unnamed network
			run vrun "$u" "$FACET" run --backend "$b" --net private -- "$FACET" net list -a
			expect_status 0
			[[ "$output" == *".private-"*"auto"*"private"*"1"* ]] || fail "$b $u: $output"
			# a private network: its keeper's listening socket goes away
			run vrun "$u" "$FACET" run --backend "$b" --net private -- ls -A "$TMP/$u/facet/net"
			expect_status 0
			name=$(echo "$output" | grep '^\.private-.*\.sock$') || fail "$b $u: $output"
			path=$TMP/$u/facet/net/$name
			for i in $(seq 60); do
				[ ! -e "$path" ] && ! ss -xlH | grep -qF "$path" && break
				sleep 0.05
			done
			[ ! -e "$path" ] || fail "$b $u: $path is still there"
			! ss -xlH | grep -qF "$path" || fail "$b $u: its keeper still listens"
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

@test "vnet: sockets made ahead are not handed out once the keeper is gone (removed or killed)" {
	# the process has a feed full of sockets when its keeper goes
	cat > "$TMP/gone.py" <<'PY'
import errno, os, socket, sys, time
def make(kind):
    try:
        socket.socket(*kind).close(); return "ok"
    except OSError as e:
        return errno.errorcode.get(e.errno, str(e.errno))
first = make((socket.AF_INET, socket.SOCK_STREAM))
open(sys.argv[1] + "/first-ok", "w").close()
for i in range(200):
    if os.path.exists(sys.argv[1] + "/gone"): break
    time.sleep(0.05)
print(first, make((socket.AF_INET, socket.SOCK_STREAM)), make((socket.AF_INET6, socket.SOCK_DGRAM)), make((socket.AF_UNIX, socket.SOCK_STREAM)))
PY
	chmod 0644 "$TMP/gone.py"
	for b in $BACKENDS; do
		for u in $USERS; do
			for how in remove kill; do
				run vrun "$u" "$FACET" net create killnet
				expect_status 0
				pid=$(vrun "$u" "$FACET" net list | awk '$1 == "killnet" { print $5 }')
				[ -n "$pid" ] || fail "$b $u: killnet not listed"
				rm -f "$TMP/$u/first-ok" "$TMP/$u/gone"
				vrun "$u" "$FACET" run --backend "$b" --net killnet -- /usr/bin/python3 "$TMP/gone.py" "$TMP/$u" > "$TMP/run.out" 2>&1 &
				wait_for "$TMP/$u/first-ok"
				if [ $how = remove ]; then
					run vrun "$u" "$FACET" net remove killnet
					expect_status 0
				else
					kill -KILL "$pid"
				fi
				for i in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
				touch "$TMP/$u/gone"
				wait $! || true
				[ "$(cat "$TMP/run.out")" = "ok ENETDOWN ENETDOWN ok" ] || fail "$b $u $how: $(cat "$TMP/run.out")"
				vrun "$u" "$FACET" net remove killnet >/dev/null 2>&1 || true
			done
		done
	done
}

@test "vnet: after fork, and in threads, every socket() gets a socket of its own from the private stack" {
	local prog='import os, socket, struct, sys, threading
def ns(s): return struct.unpack("Q", s.getsockopt(socket.SOL_SOCKET, 71, 8))[0]
if sys.argv[1] == "host":
    print(ns(socket.socket())); sys.exit(0)
def make(n, out):
    for i in range(n):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM | socket.SOCK_CLOEXEC)
        out.append((os.fstat(s.fileno()).st_ino, ns(s), s.get_inheritable()))
        s.detach()
mine = []
make(3, mine)
r, w = os.pipe()
pid = os.fork()
make(60, mine)
if pid == 0:
    os.write(w, repr(mine).encode()); os._exit(0)
os.close(w)
data = b""
while True:
    b = os.read(r, 65536)
    if not b: break
    data += b
os.waitpid(pid, 0)
child = eval(data)
threads = [[] for i in range(3)]
ts = [threading.Thread(target=make, args=(40, t)) for t in threads]
for t in ts: t.start()
for t in ts: t.join()
every = mine + child[3:] + [x for t in threads for x in t]
inodes = set(x[0] for x in every)
cookies = set(x[1] for x in every)
print(len(every), len(inodes) == len(every), len(cookies), int(sys.argv[1]) in cookies, any(x[2] for x in every))'
	host=$(/usr/bin/python3 -c "$prog" host) || skip "no SO_NETNS_COOKIE"
	for b in $BACKENDS; do
		for u in $USERS; do
			run vrun "$u" "$FACET" run --backend "$b" --net private -- /usr/bin/python3 -c "$prog" "$host"
			expect_status 0
			expect_output "243 True 1 False False"
		done
	done
}

@test "vnet: a program that closes the module's fds (all but the view's) still gets private sockets" {
	local prog='import os, socket, struct, sys
def ns(s): return struct.unpack("Q", s.getsockopt(socket.SOL_SOCKET, 71, 8))[0]
if sys.argv[1] == "host":
    print(ns(socket.socket())); sys.exit(0)
a = socket.socket()
high = sorted(int(f) for f in os.listdir("/proc/self/fd") if int(f) >= 768)
for fd in high[1:]:
    os.close(fd)
b = socket.socket()
c = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
print(len(set(ns(s) for s in (a, b, c))), int(sys.argv[1]) in (ns(a), ns(b), ns(c)))'
	host=$(/usr/bin/python3 -c "$prog" host) || skip "no SO_NETNS_COOKIE"
	for b in $BACKENDS; do
		for u in $USERS; do
			run vrun "$u" "$FACET" run --backend "$b" --net private -- /usr/bin/python3 -c "$prog" "$host"
			expect_status 0
			expect_output "1 False"
		done
	done
}

@test "vnet: a program that dup2()s its own files over the module's fds, or closes them all, gets private sockets at the lowest free fd" {
	# under preload a feed is a connection at 768+; taking a socket must
	# never use what the program put at those numbers
	local prog='import os, socket, struct, sys
def ns(s): return struct.unpack("Q", s.getsockopt(socket.SOL_SOCKET, 71, 8))[0]
if sys.argv[1] == "host":
    print(ns(socket.socket())); sys.exit(0)
a = socket.socket()
high = sorted(int(f) for f in os.listdir("/proc/self/fd") if int(f) >= 768)
mine = os.open("/dev/null", os.O_RDONLY)
for fd in high[1:]:
    os.dup2(mine, fd)
b = socket.socket()
c = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
kept = all(os.path.samestat(os.fstat(fd), os.fstat(mine)) for fd in high[1:])
seen = [ns(s) for s in (a, b, c)]
os.closerange(3, 4096)
os.close(0)
d = socket.socket(socket.AF_INET, socket.SOCK_STREAM | socket.SOCK_CLOEXEC)
e = socket.socket()
seen += [ns(d), ns(e)]
print(len(high) > 1, kept, len(set(seen)), int(sys.argv[1]) in seen, d.fileno(), e.fileno())'
	host=$(/usr/bin/python3 -c "$prog" host) || skip "no SO_NETNS_COOKIE"
	for b in $BACKENDS; do
		for u in $USERS; do
			run vrun "$u" "$FACET" run --backend "$b" --net private -- /usr/bin/python3 -c "$prog" "$host"
			expect_status 0
			# (under the ptracer the module has no fds in the program)
			if [ "$b" = preload ]; then
				expect_output "True True 1 False 0 3"
			else
				expect_output "False True 1 False 0 3"
			fi
		done
	done
}

@test "vnet: many processes take sockets at once, each its own; a process that gives up root still gets private sockets" {
	local prog='import os, socket, struct, sys
def ns(s): return struct.unpack("Q", s.getsockopt(socket.SOL_SOCKET, 71, 8))[0]
if sys.argv[1] == "host":
    print(ns(socket.socket())); sys.exit(0)
first = socket.socket()
r, w = os.pipe()
kids = []
for k in range(4):
    pid = os.fork()
    if pid == 0:
        got = []
        for i in range(300):
            s = socket.socket()
            got.append("%d:%d" % (os.fstat(s.fileno()).st_ino, ns(s)))
            s.detach()
        os.write(w, (" ".join(got) + "\n").encode()); os._exit(0)
    kids.append(pid)
os.close(w)
data = b""
while True:
    b = os.read(r, 1 << 20)
    if not b: break
    data += b
for pid in kids: os.waitpid(pid, 0)
every = data.split()
cookies = set(int(x.split(b":")[1]) for x in every)
line = [len(every), len(set(every)) == len(every), len(cookies), int(sys.argv[1]) in cookies]
if os.getuid() == 0:
    os.setgid(65534); os.setuid(65534)
    more = [socket.socket() for i in range(80)]
    line += [len(set(ns(s) for s in more) | cookies), int(sys.argv[1]) in set(ns(s) for s in more)]
print(*line)'
	host=$(/usr/bin/python3 -c "$prog" host) || skip "no SO_NETNS_COOKIE"
	for b in $BACKENDS; do
		for u in $USERS; do
			run vrun "$u" "$FACET" run --backend "$b" --net private -- /usr/bin/python3 -c "$prog" "$host"
			expect_status 0
			if [ "$u" = root ]; then
				expect_output "1200 True 1 False 1 False"
			else
				expect_output "1200 True 1 False"
			fi
		done
	done
}

@test "vnet: a process of the view that becomes another user before its first socket() gets the network's sockets" {
	# changing user needs root: as 65534 this does not apply
	local hp prog='import os, socket, sys
os.setgroups([]); os.setresgid(65534, 65534, 65534); os.setresuid(42, 42, 42)
c = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
c.sendall(b"py"); print(c.recv(64).decode())'
	local cloexec='import fcntl, os, sys
for fd in range(3, 4096):
    try: fcntl.fcntl(fd, fcntl.F_SETFD, fcntl.FD_CLOEXEC)
    except OSError: pass
os.execvp(sys.argv[1], sys.argv[1:])'
	for b in $BACKENDS; do
		hp=$(free_port 7200)
		rm -f "$TMP/srv.out" "$TMP/srv2.out"
		{ wait_script; cat <<SH
$PEER serve tcp 127.0.0.1 $hp > $TMP/srv.out &
w $TMP/srv.out listening
# a new image as another user: TCP, UDP, netlink
setpriv --reuid=42 --regid=65534 --clear-groups -- $PEER send tcp 127.0.0.1 $hp as-42
wait
$PEER serve udp 127.0.0.1 $hp > $TMP/srv2.out &
w $TMP/srv2.out listening
setpriv --reuid=65534 --regid=65534 --clear-groups -- $PEER send udp 127.0.0.1 $hp udp-as-65534
wait
setpriv --reuid=42 --regid=65534 --clear-groups -- ip -o link show
# every fd marked close-on-exec first (apt's ExecFork does), then a new
# image as another user
rm -f $TMP/srv.out
$PEER serve tcp 127.0.0.1 $hp > $TMP/srv.out &
w $TMP/srv.out listening
/usr/bin/python3 -c '$cloexec' setpriv --reuid=42 --regid=65534 --clear-groups -- $PEER send tcp 127.0.0.1 $hp cloexec-42
wait
# the same image, after setresuid()
rm -f $TMP/srv.out
$PEER serve tcp 127.0.0.1 $hp > $TMP/srv.out &
w $TMP/srv.out listening
/usr/bin/python3 -c '$prog' $hp
wait
SH
		} > "$TMP/inside.sh"
		run vrun root "$FACET" run --backend "$b" --net private -- sh "$TMP/inside.sh"
		expect_status 0
		[[ "${lines[0]}" == "echo:as-42" ]] && [[ "${lines[1]}" == "echo:udp-as-65534" ]] ||
			fail "$b: $output"
		[[ "$output" == *": lo: "* ]] && [[ "$output" != *"eth"* ]] && [ "${#lines[@]}" -eq 5 ] ||
			fail "$b: netlink: $output"
		[ "${lines[3]}" = "echo:cloexec-42" ] && [ "${lines[4]}" = "echo:py" ] || fail "$b: $output"
		# the NAT network's DNS, as apt's methods (user _apt) use it
		if getent hosts deb.debian.org > /dev/null; then
			run vrun root "$FACET" run --backend "$b" --net nat -- \
				setpriv --reuid=42 --regid=65534 --clear-groups getent hosts deb.debian.org
			expect_status 0
			[[ "$output" == *"deb.debian.org"* ]] || fail "$b: $output"
		fi
	done
	# whoever gets to the keeper's socket without passing its check
	# cannot attach a connection over it either
	run vrun nobody "$FACET" net create mine
	expect_status 0
	run "$HELLO" "$TMP/nobody/facet/net/mine.sock" attach
	expect_output "closed"
	run as_nobody "$HELLO" "$TMP/nobody/facet/net/mine.sock" attach
	[[ "$output" == "ok users="* ]] || fail "$output"
}

# procnet_script HOSTPORT GUESTPORT DIR: for inside a run (DIR: the
# user's scratch directory); prints what the /proc/net test compares
procnet_script() {
	wait_script
	cat <<SH
$PEER serve tcp 127.0.0.1 $2 > $3/srv2.out &
w $3/srv2.out listening
$PEER send tcp 127.0.0.1 $2 traffic > /dev/null
wait
$PEER serve tcp 127.0.0.1 $2 > $3/srv2.out &
w $3/srv2.out listening
# the interfaces, and lo's packets, as netlink and /proc/net/dev say
echo "ip: \$(ip -o link show | awk -F': ' '{print \$2}' | sort | tr '\n' ' ')"
echo "dev: \$(tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' ' | sort | tr '\n' ' ')"
echo "lo ip: \$(ip -j -s link show lo | /usr/bin/python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["stats64"]["rx"]["packets"])')"
echo "lo dev: \$(awk '\$1 == "lo:" { print \$3 }' /proc/net/dev)"
# the same files under other names, and a child's
sleep 5 &
for f in /proc/self/net/dev /proc/thread-self/net/dev /proc/\$\$/net/dev /proc/\$!/net/dev /proc/\$\$/task/\$\$/net/dev; do
	echo "\$f: \$(tail -n +3 \$f | cut -d: -f1 | tr -d ' ' | sort | tr '\n' ' ')"
done
kill \$!
echo "dir: \$(ls /proc/net/ | grep -c '^dev\$')"
# sockets: netstat reads /proc/net/tcp
echo "tcp: \$(netstat -tln | awk '{print \$4}' | grep -c -e ':$1\$' -e ':$2\$')"
grep -qi ":\$(printf %04X $2) " /proc/net/tcp && echo "guest port in /proc/net/tcp"
grep -qi ":\$(printf %04X $1) " /proc/net/tcp && echo "host port in /proc/net/tcp"
# a process outside the view: its own namespace's
echo "host: \$(tail -n +3 /proc/$$/net/dev | wc -l)"
$PEER send tcp 127.0.0.1 $2 done > /dev/null
wait
SH
}

@test "vnet: /proc/net, /proc/self/net and /proc/PID/net of the view's processes show the network, not the host" {
	local hp gp hostdev
	command -v netstat > /dev/null || skip "netstat (net-tools) is not installed"
	hostdev=$(tail -n +3 /proc/net/dev | wc -l)
	for b in $BACKENDS; do
		for u in $USERS; do
			hp=$(free_port 7400)
			gp=$(free_port 7401)
			rm -f "$TMP/srv.out"
			vrun "$u" "$PEER" serve tcp 127.0.0.1 "$hp" > "$TMP/srv.out" 2>&1 &
			wait_for "$TMP/srv.out" listening
			procnet_script "$hp" "$gp" "$TMP/$u" > "$TMP/inside.sh"
			run vrun "$u" "$FACET" run --backend "$b" --net private -- sh "$TMP/inside.sh"
			expect_status 0
			[[ "$output" == *"ip: lo "$'\n'"dev: lo "$'\n'* ]] || fail "$b $u: interfaces: $output"
			# lo's count as netlink gives it (some traffic: not a new
			# namespace's 0; a loaded machine's CI run read 2, not
			# the >= 4 a whole TCP exchange makes) and not the host's
			[[ "$(grep '^lo ip: ' <<< "$output" | cut -d' ' -f3)" -ge 1 ]] &&
				[ "$(grep '^lo ip: ' <<< "$output" | cut -d' ' -f3)" = "$(grep '^lo dev: ' <<< "$output" | cut -d' ' -f3)" ] ||
				fail "$b $u: lo's packets: $output"
			[ "$(grep -c '/net/dev: lo $' <<< "$output")" = 5 ] || fail "$b $u: other names: $output"
			[[ "$output" == *"dir: 1"* ]] || fail "$b $u: ls /proc/net: $output"
			[[ "$output" == *"tcp: 1"*"guest port in /proc/net/tcp"* ]] && [[ "$output" != *"host port"* ]] ||
				fail "$b $u: sockets: $output"
			[[ "$output" == *"host: $hostdev" ]] || fail "$b $u: a host process's: $output"
			# turned off: the host's, as before
			run vrun "$u" "$FACET" run --backend "$b" --net private -m vnet:proc-net=off -- sh -c 'tail -n +3 /proc/net/dev | wc -l'
			expect_output "$hostdev"
			"$PEER" send tcp 127.0.0.1 "$hp" end > /dev/null
			wait
		done
		# a NAT network's routes, read from /proc/net/route by route(8)
		nat_usable root || continue
		run vrun root "$FACET" run --backend "$b" --net nat -- route -n
		expect_status 0
		[[ "$output" == *"0.0.0.0         10.0.2.2        0.0.0.0         UG"*"tap0"* ]] || fail "$b: $output"
		# and a process that became another user reads them too
		run vrun root "$FACET" run --backend "$b" --net nat -- setpriv --reuid=42 --regid=65534 --clear-groups cat /proc/net/dev
		expect_status 0
		[[ "$output" == *"tap0:"* ]] || fail "$b: $output"
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
	# the modes in another case, and docker's "none", are no names
	for n in NAT Private host none None; do
		run "$FACET" run --net "$n" -- true
		expect_status 125
		[[ "$output" == *"--net $n: use private, nat or a network name"* ]] || fail "$output"
		run "$FACET" net create "$n"
		expect_status 125
	done
	run "$FACET" run --publish 80 -- true
	expect_status 125
	[[ "$output" == *"use [ADDR:]HOSTPORT:GUESTPORT[/udp]"* ]]
	run "$FACET" run --publish 1.2.3:80:80 -- true
	expect_status 125
	# one line, the flag named once, the range given
	run "$FACET" run --publish 70000:80 -- true
	expect_status 125
	[ "$output" = "facet: vnet: --publish 70000:80: a port is out of range: ports are 1-65535" ] ||
		fail "$output"
	run "$FACET" run --net private --publish 18090:80 --publish 18090:81 -- true
	expect_status 125
	[[ "$output" == *"host port 18090 is published twice"* ]] || fail "$output"
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
	for c in abc -5 3x 0; do
		run "$FACET" net capture nosuchnet -w /dev/null -c "$c"
		expect_status 125
		[[ "$output" == *"-c '$c': not a count of packets"* ]] || fail "$output"
	done
	# a host port in use
	hp=$(free_port 18082)
	"$PEER" serve tcp 127.0.0.1 "$hp" > "$TMP/srv.out" &
	wait_for "$TMP/srv.out" listening
	run "$FACET" run --publish "$hp:80" -- true
	expect_status 125
	[[ "$output" == *"127.0.0.1:$hp: cannot listen on the host: Address already in use"* ]]
	[ "${#lines[@]}" -eq 1 ]
	"$PEER" send tcp 127.0.0.1 "$hp" done > /dev/null
	wait
}

@test "vnet: --net nat: tap0 10.0.2.100/24 via 10.0.2.2 and fd00::100/64 via fd00::2; the host's loopback only with --net-host-loopback" {
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
			run vrun "$u" "$FACET" run --backend "$b" --net nat -- sh -c 'ip -o -4 addr show dev tap0; ip route show default; ip -o -6 addr show dev tap0 scope global; ip -6 route show default'
			expect_status 0
			[[ "$output" == *"inet 10.0.2.100/24"*"default via 10.0.2.2 dev tap0"*"inet6 fd00::100/64"*"default via fd00::2 dev tap0"* ]] || fail "$b $u: $output"
			rm -f "$TMP/srv.out"
			hp=$(free_port 7300)
			vrun "$u" "$PEER" serve tcp 127.0.0.1 "$hp" > "$TMP/srv.out" 2>&1 &
			wait_for "$TMP/srv.out" listening
			run vrun "$u" "$FACET" run --backend "$b" --net nat -- "$PEER" send tcp 10.0.2.2 "$hp" no-loopback
			[[ "$output" == "connect: "* ]] || fail "$b $u: reached the host's lo: $output"
			run vrun "$u" "$FACET" run --backend "$b" --net nat --net-host-loopback -- "$PEER" send tcp 10.0.2.2 "$hp" via-nat
			expect_status 0
			expect_output "echo:via-nat"
			wait $!
			# the same over IPv6: fd00::2 is the host's ::1
			hp=$(free_port 7302)
			rm -f "$TMP/srv.out"
			vrun "$u" "$PEER" serve tcp ::1 "$hp" > "$TMP/srv.out" 2>&1 &
			wait_for "$TMP/srv.out" listening
			run vrun "$u" "$FACET" run --backend "$b" --net nat -- "$PEER" send tcp fd00::2 "$hp" no-loopback6
			[[ "$output" == "connect: "* ]] || fail "$b $u: reached the host's ::1: $output"
			run vrun "$u" "$FACET" run --backend "$b" --net nat --net-host-loopback -- "$PEER" send tcp fd00::2 "$hp" via-nat6
			expect_output "echo:via-nat6"
			wait $!
			# a host address other than loopback is the outside world
			if [ -n "$ext" ]; then
				rm -f "$TMP/srv.out"
				hp=$(free_port 7301)
				vrun "$u" "$PEER" serve tcp "$ext" "$hp" > "$TMP/srv.out" 2>&1 &
				wait_for "$TMP/srv.out" listening
				run vrun "$u" "$FACET" run --backend "$b" --net nat -- "$PEER" send tcp "$ext" "$hp" outbound
				expect_output "echo:outbound"
				wait $!
			fi
			# --publish works the same on a NAT network
			rm -f "$TMP/srv.out"
			hp=$(free_port 18083)
			vrun "$u" "$FACET" run --backend "$b" --net nat --publish "$hp:80" -- "$PEER" serve tcp 127.0.0.1 80 > "$TMP/srv.out" 2>&1 &
			wait_for "$TMP/srv.out" listening
			run "$PEER" send tcp 127.0.0.1 "$hp" nat-published
			expect_output "echo:nat-published"
			wait $!
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

@test "vnet: sockets keep SOCK_CLOEXEC and SOCK_NONBLOCK, get the lowest free fd; ping works on the private loopback" {
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
			# the flags of socket() without SOCK_CLOEXEC too (python
			# always asks for it), as the kernel gives them
			run vrun "$u" "$FACET" run --backend "$b" --net private -- "$PROGS/vnet_fdflags"
			expect_status 0
			[ "$output" = "$(printf '0 0 same\n1 0 same\n0 1 same\n1 1 same')" ] || fail "$b $u: $output"
			# socket() gives the lowest free fd, as the kernel's does
			run vrun "$u" "$FACET" run --backend "$b" --net private -- /usr/bin/python3 -c '
import os, socket
ok = True
for kind in [(socket.AF_INET, socket.SOCK_STREAM), (socket.AF_INET6, socket.SOCK_DGRAM), (socket.AF_NETLINK, socket.SOCK_RAW)] * 3:
    free = os.dup(0); os.close(free)
    s = socket.socket(*kind)
    ok &= s.fileno() == free
    s.detach()
print(ok)'
			expect_output "True"
			if command -v ping > /dev/null; then
				run vrun "$u" "$FACET" run --backend "$b" --net private -- ping -c 1 -W 2 127.0.0.1
				expect_status 0
			fi
		done
	done
}

@test "vnet: close() ends a socket: the peer sees EOF, a closed listener's port is free at once" {
	# Only the program may hold its sockets: a copy kept elsewhere (the
	# keeper's) would keep the connection open and the port bound
	local prog='import socket
srv = socket.socket()
srv.bind(("127.0.0.1", 80)); srv.listen()
c = socket.create_connection(("127.0.0.1", 80))
a, _ = srv.accept()
c.sendall(b"data"); c.close()
a.settimeout(5)
got = b""
try:
    while True:
        x = a.recv(100)
        if not x: break
        got += x
    print("eof", got.decode())
except socket.timeout:
    print("no eof", got.decode())
a.close(); srv.close()
s = socket.socket(); s.bind(("127.0.0.1", 80)); s.listen(); s.close()
try:
    socket.create_connection(("127.0.0.1", 80), timeout=5)
    print("still listening")
except ConnectionRefusedError:
    print("refused")
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("127.0.0.1", 53)); u.close()
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("127.0.0.1", 53))
print("udp rebound")
# a socket made before the port was freed binds it at once: the
# supervisor closed its copy of the one closed before its caller went on
busy = 0
for i in range(200):
    s2 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s1 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s1.bind(("127.0.0.1", 7000)); s1.close()
    try:
        s2.bind(("127.0.0.1", 7000))
    except OSError:
        busy += 1
    s2.close()
print("busy", busy)'
	for b in $BACKENDS; do
		for u in $USERS; do
			run vrun "$u" "$FACET" run --backend "$b" --net private -- /usr/bin/python3 -c "$prog"
			expect_status 0
			[ "$output" = "$(printf 'eof data\nrefused\nudp rebound\nbusy 0')" ] || fail "$b $u: $output"
		done
	done
}

@test "vnet: --backend combined with --net is the plain ptracer (no shim in the program), and says so" {
	for u in $USERS; do
		run vrun "$u" "$FACET" run --backend combined --log-level info --net private -- /usr/bin/python3 -c '
import os, socket
s = socket.socket(); s.bind(("127.0.0.1", 80))
print("shim" if "facet" in open("/proc/self/maps").read() else "no shim")'
		expect_status 0
		[[ "$output" == *"module vnet is not served in-process by --backend combined"* ]] ||
			fail "$u: $output"
		[ "${lines[-1]}" = "no shim" ] || fail "$u: $output"
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

@test "vnet: hundreds of sockets of mixed kinds, all from the private stack, all distinct" {
	local prog='import socket, struct, sys
def ns(s): return struct.unpack("Q", s.getsockopt(socket.SOL_SOCKET, 71, 8))[0]
if sys.argv[1] == "host":
    print(ns(socket.socket())); sys.exit(0)
socks = []
for i in range(150):
    socks.append(socket.socket())
    socks.append(socket.socket(socket.AF_INET6, socket.SOCK_DGRAM))
    if i % 20 == 0:
        socks.append(socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0))
    if i % 7 == 0:
        socks.pop(0).close()
cookies = set(ns(s) for s in socks)
inodes = set(s.fileno() for s in socks)
print(len(socks) == len(inodes), len(cookies), int(sys.argv[1]) in cookies)'
	host=$(/usr/bin/python3 -c "$prog" host) || skip "no SO_NETNS_COOKIE"
	for b in $BACKENDS; do
		for u in $USERS; do
			run vrun "$u" "$FACET" run --backend "$b" --net private -- /usr/bin/python3 -c "$prog" "$host"
			expect_status 0
			expect_output "True 1 False"
		done
	done
}

@test "vnet: a network started inside another view is a network of its own (its keeper's namespace is its own, as the kernel made it)" {
	# The inner keeper makes a network namespace of its own: from then on
	# its sockets are that namespace's (vnet_leave.c), so it can bring up
	# its lo as an ordinary user too, and the inner run's network is not
	# the outer one
	local prog='import socket, struct
def ns(s): return struct.unpack("Q", s.getsockopt(socket.SOL_SOCKET, 71, 8))[0]
socks = [socket.socket() for i in range(100)] + [socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) for i in range(40)]
print(len(set(ns(s) for s in socks)), ns(socks[0]))'
	/usr/bin/python3 -c "$prog" > /dev/null || skip "no SO_NETNS_COOKIE"
	local host
	host=$(/usr/bin/python3 -c "$prog")
	for o in $BACKENDS; do
		for i in $BACKENDS; do
			# the ptracer cannot run under the ptracer (combined with
			# vnet is the plain ptracer); a preload view holds no
			# other view (the vfs_escape.bats case)
			! { is_ptracer "$o" && is_ptracer "$i"; } &&
				[ "$o" != preload ] || continue
			for u in $USERS; do
				run vrun "$u" "$FACET" run --backend "$o" --net private -- /bin/sh -c "/usr/bin/python3 -c '$prog'; $FACET run --backend $i --net private -- /usr/bin/python3 -c '$prog'"
				expect_status 0
				[ "${#lines[@]}" -eq 2 ] || fail "$o/$i $u: $output"
				[ "${lines[0]}" != "${lines[1]}" ] || fail "$o/$i $u: the inner run's sockets are the outer network's: $output"
				[ "${lines[0]}" != "$host" ] && [ "${lines[1]}" != "$host" ] || fail "$o/$i $u: a network is the host's: $output"
				case "${lines[0]}|${lines[1]}" in "1 "*"|1 "*) ;; *) fail "$o/$i $u: $output" ;; esac
			done
		done
	done
}

@test "vnet: a process that makes a network namespace of its own gets that namespace's sockets, and the others keep the view's" {
	printf '%s\n' 'import socket, struct' \
		'print(struct.unpack("Q", socket.socket().getsockopt(socket.SOL_SOCKET, 71, 8))[0])' > "$TMP/cookie.py"
	/usr/bin/python3 "$TMP/cookie.py" > /dev/null || skip "no SO_NETNS_COOKIE"
	for b in $BACKENDS; do
		run "$FACET" run --backend "$b" --net private -- /bin/sh -c "/usr/bin/python3 $TMP/cookie.py; unshare -n sh -c 'ip link set lo up && ip -o link show lo && /usr/bin/python3 $TMP/cookie.py'; /usr/bin/python3 $TMP/cookie.py"
		expect_status 0
		[ "${#lines[@]}" -eq 4 ] || fail "$b: $output"
		# its lo can be brought up (as an ordinary user too, nested)
		[[ "${lines[1]}" == "1: lo: <LOOPBACK,UP,LOWER_UP>"* ]] || fail "$b: $output"
		[ "${lines[2]}" != "${lines[0]}" ] || fail "$b: the unshared process got the view's sockets: $output"
		[ "${lines[3]}" = "${lines[0]}" ] || fail "$b: after it, the view's processes left the view's network: $output"
	done
}

@test "vnet: a static binary (busybox) sees the same private network as the dynamic ones" {
	command -v busybox > /dev/null || skip "busybox is not installed"
	file -L "$(command -v busybox)" | grep -q static || skip "busybox is not static"
	{ wait_script; cat <<SH
$PEER serve tcp 127.0.0.1 7400 > $TMP/srv.out &
w $TMP/srv.out listening
printf static | busybox nc 127.0.0.1 7400
echo
wait
SH
	} > "$TMP/bb.sh"
	for b in $BACKENDS; do
		run "$FACET" run --backend "$b" --net private -- sh -c 'busybox ip -o link; ip -o link'
		expect_status 0
		[ "${#lines[@]}" -eq 2 ] && [[ "${lines[0]}" == "1: lo:"* ]] && [[ "${lines[1]}" == "1: lo:"* ]] ||
			fail "$b: $output"
		# a dynamic server and a static client on one private loopback
		rm -f "$TMP/srv.out"
		run "$FACET" run --backend "$b" --net private -- sh "$TMP/bb.sh"
		expect_status 0
		expect_output "echo:static"
	done
}

@test "vnet: the run that started a named network ends with its command, while another run uses it" {
	wait_script > "$TMP/w.sh"
	for b in $BACKENDS; do
		for u in $USERS; do
			rm -f "$TMP"/a-* "$TMP"/b-*
			vrun "$u" "$FACET" run --backend "$b" --net quick -- sh -c ". $TMP/w.sh; touch $TMP/a-started; w $TMP/b-started" &
			apid=$!
			wait_for "$TMP/a-started"
			vrun "$u" "$FACET" run --backend "$b" --net quick -- sh -c ". $TMP/w.sh; touch $TMP/b-started; w $TMP/a-done; $PEER socket inet" > "$TMP/b-out" 2>&1 &
			bpid=$!
			wait $apid || fail "$b $u: first run failed"
			kill -0 $bpid 2>/dev/null || fail "$b $u: the first run waited for the second"
			touch "$TMP/a-done"
			wait $bpid || fail "$b $u: second run: $(cat "$TMP/b-out")"
			[ "$(cat "$TMP/b-out")" = ok ] || fail "$b $u: $(cat "$TMP/b-out")"
		done
	done
}

@test "vnet: facet net capture stops on SIGTERM, and when the network ends" {
	run vrun root "$FACET" net create capnet
	expect_status 0
	XDG_RUNTIME_DIR=$TMP/root "$FACET" net capture capnet -w "$TMP/cap2.pcap" 2> "$TMP/cap2.err" &
	cpid=$!
	for i in $(seq 200); do [ "$(stat -c %s "$TMP/cap2.pcap" 2>/dev/null || echo 0)" -ge 24 ] && break; sleep 0.05; done
	run vrun root "$FACET" run --net capnet -- "$PEER" pair 127.0.0.1 8080
	expect_output "got:ping"
	# the packets reach the file after the command: wait for them
	for i in $(seq 200); do [ "$(stat -c %s "$TMP/cap2.pcap")" -gt 24 ] && break; sleep 0.05; done
	kill -TERM $cpid
	wait $cpid
	grep -q "packets captured" "$TMP/cap2.err" || fail "$(cat "$TMP/cap2.err")"
	[ "$(stat -c %s "$TMP/cap2.pcap")" -gt 24 ]
	# the network going away ends a capture too
	XDG_RUNTIME_DIR=$TMP/root "$FACET" net capture capnet -w - > "$TMP/cap3.pcap" 2> "$TMP/cap3.err" &
	cpid=$!
	for i in $(seq 200); do [ "$(stat -c %s "$TMP/cap3.pcap" 2>/dev/null || echo 0)" -ge 24 ] && break; sleep 0.05; done
	run vrun root "$FACET" net remove capnet
	expect_status 0
	wait $cpid
	grep -q "0 packets captured" "$TMP/cap3.err" || fail "$(cat "$TMP/cap3.err")"
}

# nat_usable USER: can USER make a tap (the nat test checks the error)
nat_usable() {
	[ "$1" != nobody ] || as_nobody test -r /dev/net/tun -a -w /dev/net/tun
}

# fast_case USER BACKEND SERVER-ADDR GUEST-ADDR [ARGS...]: one fast-path
# client against a server on the host; output in $output, the port the
# server saw in $seen, the client's own in $mine.  NETOPT replaces
# "--net nat --net-host-loopback".
fast_case() {
	local u=$1 b=$2 saddr=$3 gaddr=$4
	local net=${NETOPT:---net nat --net-host-loopback}
	shift 4
	hp=$(free_port 7320)
	rm -f "$TMP/srv.out"
	vrun "$u" "$PEER" serve tcp "$saddr" "$hp" > "$TMP/srv.out" 2>&1 &
	wait_for "$TMP/srv.out" listening
	run vrun "$u" "$FACET" run --backend "$b" $net -- \
		"$PROGS/vnet_fastpath" connect "$gaddr" "$hp" "$@"
	wait $!
	seen=$(sed -n 's/^peer //p' "$TMP/srv.out")
	mine=$(echo "$output" | sed -n 's/^local [^ ]* //p' | head -1)
}

@test "vnet: --net nat makes outbound TCP in the host's stack, with the program's options, flags, fd and addresses" {
	for b in $BACKENDS; do
		for u in $USERS; do
			nat_usable "$u" || continue
			# blocking; the server sees the very socket (same port)
			fast_case "$u" "$b" 127.0.0.1 10.0.2.2 opts
			expect_status 0
			[[ "$output" == "connect: 0"*"flags cloexec 1 nonblock 0"*"opts nodelay 1 keepalive 1 keepidle 77 sndbuf 131072"*"local 10.0.2.100 "*"peer 10.0.2.2 $hp"*"echo:fast" ]] ||
				fail "$b $u: $output"
			[ -n "$seen" ] && [ "$seen" = "$mine" ] || fail "$b $u: not the host's socket: server saw $seen, client $mine"
			# nonblocking, inherited across exec: EINPROGRESS, SO_ERROR,
			# and the new image still sees the guest's addresses
			fast_case "$u" "$b" 127.0.0.1 10.0.2.2 nonblock inherit
			expect_status 0
			[[ "$output" == "connect: "*"so_error: 0"*"flags cloexec 0 nonblock 1"*"local 10.0.2.100 $mine"*"peer 10.0.2.2 $hp"*"echo:fast"*"local 10.0.2.100 $mine"*"peer 10.0.2.2 $hp" ]] ||
				fail "$b $u: $output"
			[ "$seen" = "$mine" ] || fail "$b $u: server saw $seen, client $mine"
			# IPv6: fd00::2 is the host's ::1
			fast_case "$u" "$b" ::1 fd00::2
			expect_status 0
			[[ "$output" == *"local fd00::100 "*"peer fd00::2 $hp"*"echo:fast" ]] || fail "$b $u: $output"
			[ "$seen" = "$mine" ] || fail "$b $u: server saw $seen, client $mine"
			# a bound socket keeps libslirp's path (another port outside)
			fast_case "$u" "$b" 127.0.0.1 10.0.2.2 bind
			expect_status 0
			[[ "$output" == *"local 10.0.2.100 "*"echo:fast" ]] || fail "$b $u: $output"
			[ "$seen" != "$mine" ] || fail "$b $u: a bound socket left from the host's stack"
			# so does every connection with nat-fastpath=off
			NETOPT="--net nat --net-host-loopback -m vnet:nat-fastpath=off" fast_case "$u" "$b" 127.0.0.1 10.0.2.2 opts
			expect_status 0
			[[ "$output" == *"opts nodelay 1 keepalive 1 keepidle 77"*"echo:fast" ]] || fail "$b $u: $output"
			[ "$seen" != "$mine" ] || fail "$b $u: nat-fastpath=off used the host's stack"
		done
	done
}

@test "vnet: --net nat fast path: refused connections, blocking or not, and no host loopback without --net-host-loopback" {
	local hp
	for b in $BACKENDS; do
		for u in $USERS; do
			nat_usable "$u" || continue
			hp=$(free_port 7330)
			run vrun "$u" "$FACET" run --backend "$b" --net nat --net-host-loopback -- "$PROGS/vnet_fastpath" connect 10.0.2.2 "$hp"
			expect_status 1
			expect_output "connect: Connection refused"
			run vrun "$u" "$FACET" run --backend "$b" --net nat --net-host-loopback -- "$PROGS/vnet_fastpath" connect 10.0.2.2 "$hp" nonblock
			expect_status 1
			[[ "$output" == "connect: Connection refused" || "$output" == *"so_error: Connection refused" ]] || fail "$b $u: $output"
			# without --net-host-loopback 10.0.2.2 is not the host's lo
			rm -f "$TMP/srv.out"
			vrun "$u" "$PEER" serve tcp 127.0.0.1 "$hp" > "$TMP/srv.out" 2>&1 &
			wait_for "$TMP/srv.out" listening
			run vrun "$u" "$FACET" run --backend "$b" --net nat -- "$PROGS/vnet_fastpath" connect 10.0.2.2 "$hp"
			expect_status 1
			[[ "$output" == "connect: "* ]] || fail "$b $u: $output"
			"$PEER" send tcp 127.0.0.1 "$hp" done > /dev/null
			wait $!
		done
	done
}

@test "vnet: --net nat fast path: 2000 connections open at once all show the guest's addresses" {
	local hp
	for b in $BACKENDS; do
		for u in $USERS; do
			nat_usable "$u" || continue
			hp=$(free_port 7350)
			rm -f "$TMP/srv.out"
			vrun "$u" "$PROGS/vnet_fastpath" hold 127.0.0.1 "$hp" 2000 > "$TMP/srv.out" 2>&1 &
			wait_for "$TMP/srv.out" listening
			# the host sockets' inodes come in strided runs: they
			# once piled up on the same slots of the table the
			# module knows them by, and some showed the host's
			# 127.0.0.1 instead
			run vrun "$u" "$FACET" run --backend "$b" --net nat --net-host-loopback -- "$PROGS/vnet_fastpath" many 10.0.2.2 "$hp" 2000
			expect_status 0
			expect_output "local 10.0.2.100 2000
peer 10.0.2.2 2000"
			wait $! || fail "$b $u: server: $(cat "$TMP/srv.out")"
			grep -qx "held 2000" "$TMP/srv.out" || fail "$b $u: server: $(cat "$TMP/srv.out")"
		done
	done
}

@test "vnet: --net nat with the fast path: the network's own loopback, UDP out, and connect() traced by vtrace" {
	local hp
	for b in $BACKENDS; do
		for u in $USERS; do
			nat_usable "$u" || continue
			# the network's loopback stays the network's
			hp=$(free_port 7340)
			run vrun "$u" "$FACET" run --backend "$b" --net nat --net-host-loopback -- "$PEER" pair 127.0.0.1 "$hp"
			expect_status 0
			[[ "$output" == *"got:"* ]] || fail "$b $u: $output"
			# UDP keeps libslirp's path
			rm -f "$TMP/srv.out"
			vrun "$u" "$PEER" serve udp 127.0.0.1 "$hp" > "$TMP/srv.out" 2>&1 &
			wait_for "$TMP/srv.out" listening
			run vrun "$u" "$FACET" run --backend "$b" --net nat --net-host-loopback -- "$PEER" send udp 10.0.2.2 "$hp" udp-out
			expect_status 0
			expect_output "echo:udp-out"
			wait $!
			# another module on connect(): still a working connection
			NETOPT="--net nat --net-host-loopback --trace $TMP/$u/trace.txt" fast_case "$u" "$b" 127.0.0.1 10.0.2.2
			expect_status 0
			[[ "$output" == *"local 10.0.2.100 "*"peer 10.0.2.2 $hp"*"echo:fast" ]] || fail "$b $u: $output"
			grep -q "connect(" "$TMP/$u/trace.txt" || fail "$b $u: connect not traced"
		done
	done
}

@test "vnet: while facet net capture runs, a NAT network's outbound TCP stays in it and is captured" {
	command -v tshark > /dev/null || skip "tshark is not installed"
	local cap
	for b in $BACKENDS; do
		for u in $USERS; do
			nat_usable "$u" || continue
			run vrun "$u" "$FACET" net create natnet --nat --host-loopback
			expect_status 0
			NETOPT="--net natnet" fast_case "$u" "$b" 127.0.0.1 10.0.2.2
			expect_status 0
			[ "$seen" = "$mine" ] || fail "$b $u: no fast path before the capture: $seen, $mine"
			cap=$TMP/$u/nat.pcap
			rm -f "$cap"
			# not through vrun (a function, so a subshell): $! is facet
			env XDG_RUNTIME_DIR="$TMP/$u" \
				$( [ "$u" = nobody ] && echo setpriv --reuid=65534 --regid=65534 --clear-groups -- ) \
				"$FACET" net capture natnet -w "$cap" 2> "$TMP/cap.err" &
			capture=$!
			for i in $(seq 100); do [ "$(stat -c %s "$cap" 2>/dev/null || echo 0)" -ge 24 ] && break; sleep 0.05; done
			NETOPT="--net natnet" fast_case "$u" "$b" 127.0.0.1 10.0.2.2
			expect_status 0
			[[ "$output" == *"local 10.0.2.100 "*"peer 10.0.2.2 $hp"*"echo:fast" ]] || fail "$b $u: $output"
			[ "$seen" != "$mine" ] || fail "$b $u: the fast path while capturing"
			kill -TERM "$capture"
			wait "$capture"
			grep -q "packets captured" "$TMP/cap.err" || fail "$(cat "$TMP/cap.err")"
			run sh -c "tshark -r '$cap' -T fields -e tcp.flags.str -e ip.dst -e tcp.dstport 2>/dev/null"
			[[ "$output" == *"S"*"10.0.2.2"*"$hp"* ]] || fail "$b $u: no SYN to 10.0.2.2:$hp captured: $output"
			# the capture over, the fast path again
			NETOPT="--net natnet" fast_case "$u" "$b" 127.0.0.1 10.0.2.2
			expect_status 0
			[ "$seen" = "$mine" ] || fail "$b $u: no fast path after the capture"
			run vrun "$u" "$FACET" net remove natnet
			expect_status 0
		done
	done
}
