#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# facet - tests/shell/vtrace_options.bats: strace's options in `facet
# trace` (-x, -xx, -yy, -P, -a, -e read=, -e write=, -b execve, -E) and
# the calls strace decodes by command (prctl...), compared with strace's
# own lines for the same programs

load helper
bats_require_minimum_version 1.5.0

setup() {
	TMP=$(world_tmp)
	command -v strace >/dev/null || skip "strace is not installed"
}

teardown() {
	rm -rf "$TMP"
}

# same STRACE FACET REGEX: the lines matching REGEX (after the pid) are
# the same in both files, pids (kill's, si_pid's), column padding,
# addresses and inode numbers aside; both traces are made with -y or both without
same() {
	python3 - "$1" "$2" "$3" <<'PY'
import re, sys
def lines(path):
    out = []
    for l in open(path):
        l = re.sub(r"^(\[pid +)?\d+\]? +", "", l.rstrip("\n"))
        if not re.match(sys.argv[3], l):
            continue
        l = re.sub(r"\) +=( |$)", r") =\1", l)
        l = re.sub(r"0x[0-9a-f]{6,}", "ADDR", l)
        l = re.sub(r"\b\d{5,}\b", "N", l)
        # pids of fewer than 5 digits differ between the two runs too
        l = re.sub(r"(kill\(|si_pid=)\d+", r"\1N", l)
        out.append(l)
    return out
s, f = lines(sys.argv[1]), lines(sys.argv[2])
if s != f:
    for a, b in zip(s + [""] * len(f), f + [""] * len(s)):
        if a != b:
            sys.exit("strace: %r\nfacet:  %r\n(%d and %d lines)" %
                     (a, b, len(s), len(f)))
if not s:
    sys.exit("no line matched")
print("same: %d lines" % len(s))
PY
}

@test "options: prctl, sigaltstack, sched_getparam, mincore and unknown ioctls are decoded as strace" {
	setarch -R strace -y -o "$TMP/s.txt" "$PROGS/vtrace_prctl" > /dev/null
	for b in $BACKENDS; do
		setarch -R "$FACET" trace -y --backend "$b" -o "$TMP/f.txt" -- \
			"$PROGS/vtrace_prctl" > /dev/null
		run same "$TMP/s.txt" "$TMP/f.txt" \
			'(prctl|sigaltstack|sched_getparam|mincore|ioctl)\('
		[ "$status" -eq 0 ] || fail "$b: $output"
		grep -q 'prctl(PR_GET_DUMPABLE) *= 1 (SUID_DUMP_USER)' "$TMP/f.txt"
		grep -q '_IOC(_IOC_READ|_IOC_WRITE, 0xaa, 0x7, 0xc), 0)' "$TMP/f.txt"
	done
}

@test "options: fds are bare numbers by default and carry their path with -y (AT_FDCWD too), as strace; JSON lines keep fd_path" {
	strace -o "$TMP/s.txt" cat /etc/hostname > /dev/null
	strace -y -o "$TMP/sy.txt" cat /etc/hostname > /dev/null
	for b in $BACKENDS; do
		"$FACET" trace --backend "$b" -o "$TMP/f.txt" -- \
			cat /etc/hostname > /dev/null
		run same "$TMP/s.txt" "$TMP/f.txt" \
			'(openat\(AT_FDCWD, "[^"]*hostname|write\(1)'
		[ "$status" -eq 0 ] || fail "$b: $output"
		grep -Eq '^([0-9]+ +)?openat\(AT_FDCWD, "/etc/hostname", O_RDONLY\) *= [0-9]+$' \
			"$TMP/f.txt" || fail "$b: $(cat "$TMP/f.txt")"
		! grep -q '[0-9]<' "$TMP/f.txt" || fail "$b: $(grep '[0-9]<' "$TMP/f.txt")"
		"$FACET" trace --backend "$b" -y -o "$TMP/fy.txt" -- \
			cat /etc/hostname > /dev/null
		run same "$TMP/sy.txt" "$TMP/fy.txt" \
			'(openat\(AT_FDCWD<[^>]*>, "[^"]*hostname|write\(1)'
		[ "$status" -eq 0 ] || fail "$b -y: $output"
		grep -Eq '^([0-9]+ +)?openat\(AT_FDCWD<[^>]*>, "/etc/hostname", O_RDONLY\) *= [0-9]+</etc/hostname>$' \
			"$TMP/fy.txt" || fail "$b -y: $(cat "$TMP/fy.txt")"
		# --decode-fds=none takes -y back
		"$FACET" trace --backend "$b" -y --decode-fds=none -e openat \
			-o "$TMP/fn.txt" -- cat /etc/hostname > /dev/null
		grep -Eq '^([0-9]+ +)?openat\(AT_FDCWD, "/etc/hostname", O_RDONLY\) *= [0-9]+$' \
			"$TMP/fn.txt" || fail "$b none: $(cat "$TMP/fn.txt")"
		"$FACET" trace --backend "$b" --format jsonl -e openat \
			-o "$TMP/f.jsonl" -- cat /etc/hostname > /dev/null
		grep '"/etc/hostname' "$TMP/f.jsonl" | grep -Eq '"retstr":"[0-9]+",.*"fd_path":"/etc/hostname"' \
			|| fail "$b jsonl: $(cat "$TMP/f.jsonl")"
	done
}

@test "options: fcntl's argument and result by command (signals, f_owner_ex, DN_*, seals, leases, FD_* bits) as strace" {
	mkdir "$TMP/d"
	strace -y -o "$TMP/s.txt" "$PROGS/vtrace_fcntl" "$TMP/d"
	for b in $BACKENDS; do
		rm -f "$TMP/d/lease"
		"$FACET" trace -y --backend "$b" -o "$TMP/f.txt" -- \
			"$PROGS/vtrace_fcntl" "$TMP/d"
		# the process group's id, whatever its number of digits
		sed -i 's/, pid=[0-9]*}/, pid=P}/' "$TMP/s.txt" "$TMP/f.txt"
		run same "$TMP/s.txt" "$TMP/f.txt" 'fcntl\(\d+<(pipe|/memfd|'"$TMP"')'
		[ "$status" -eq 0 ] || fail "$b: $output"
		grep -q 'F_GETSIG) *= 10 (SIGUSR1)$' "$TMP/f.txt"
		grep -q 'F_GETOWN_EX, {type=F_OWNER_PGRP, pid=P}) *= 0$' "$TMP/f.txt"
		grep -q 'F_SETFD, FD_CLOEXEC|0x2) *= 0$' "$TMP/f.txt"
	done
}

@test "options: futex shows the arguments each command uses, REQUEUE's numbers and WAKE_OP's operation, as strace" {
	strace -y -o "$TMP/s.txt" "$PROGS/vtrace_futex"
	for b in $BACKENDS; do
		"$FACET" trace -y --backend "$b" -o "$TMP/f.txt" -- \
			"$PROGS/vtrace_futex"
		run same "$TMP/s.txt" "$TMP/f.txt" 'futex\(0x[0-9a-f]+, FUTEX_[A-Z_]*(REQUEUE|WAKE|PI|FD)|futex\(.*FUTEX_\?\?\?'
		[ "$status" -eq 0 ] || fail "$b: $output"
		grep -q 'FUTEX_WAKE_OP_PRIVATE, 1, 1, 0x[0-9a-f]*, FUTEX_OP_ADD<<28|0xfff<<12|FUTEX_OP_CMP_GE<<24|0x12) *= 0$' "$TMP/f.txt"
		grep -q 'FUTEX_UNLOCK_PI_PRIVATE) *= 0$' "$TMP/f.txt"
	done
}

@test "options: socket options strace shows as structs: SO_LINGER (whole and cut), SO_PEERCRED, IP_ADD_MEMBERSHIP" {
	cmd=(/usr/bin/python3 -c 'import socket as S, struct
s = S.socket()
s.setsockopt(S.SOL_SOCKET, S.SO_LINGER, struct.pack("ii", 1, 5))
s.getsockopt(S.SOL_SOCKET, S.SO_LINGER, 8)
s.getsockopt(S.SOL_SOCKET, S.SO_LINGER, 4)
a, b = S.socketpair()
a.getsockopt(S.SOL_SOCKET, S.SO_PEERCRED, 12)
u = S.socket(S.AF_INET, S.SOCK_DGRAM)
try: u.setsockopt(S.IPPROTO_IP, S.IP_ADD_MEMBERSHIP, S.inet_aton("239.1.1.1") + S.inet_aton("127.0.0.1"))
except OSError: pass
u.setsockopt(S.IPPROTO_IP, S.IP_MULTICAST_TTL, 2)')
	strace -y -e trace=setsockopt,getsockopt -o "$TMP/s.txt" "${cmd[@]}"
	for b in $BACKENDS; do
		"$FACET" trace -y --backend "$b" -e trace=setsockopt,getsockopt \
			-o "$TMP/f.txt" -- "${cmd[@]}"
		grep -q 'SO_LINGER, {l_onoff=1, l_linger=5}, 8) *= 0$' "$TMP/f.txt"
		grep -q 'SO_LINGER, {l_onoff=1}, \[4\]) *= 0$' "$TMP/f.txt"
		grep -q 'SO_PEERCRED, {pid=[0-9]*, uid=[0-9]*, gid=[0-9]*}, \[12\]) *= 0$' "$TMP/f.txt"
		# the pid is the command's own, whatever its number of digits
		sed -i 's/{pid=[0-9]*,/{pid=P,/' "$TMP/s.txt" "$TMP/f.txt"
		run same "$TMP/s.txt" "$TMP/f.txt" '[gs]etsockopt\('
		[ "$status" -eq 0 ] || fail "$b: $output"
	done
}

@test "options: personality's persona, argument and result, as strace" {
	cmd=(/usr/bin/python3 -c 'import ctypes
p = ctypes.CDLL(None).personality
for x in (6, 0x8000042, 0x10000000, 0xffffffff, 3, 0x800000, 8, 0, 0x40008, 0xffffffff):
    p(x)')
	strace -y -e trace=personality -o "$TMP/s.txt" "${cmd[@]}"
	for b in $BACKENDS; do
		"$FACET" trace -y --backend "$b" -e trace=personality \
			-o "$TMP/f.txt" -- "${cmd[@]}"
		run same "$TMP/s.txt" "$TMP/f.txt" 'personality\('
		[ "$status" -eq 0 ] || fail "$b: $output"
		grep -q 'personality(PER_LINUX32|ADDR_NO_RANDOMIZE) *= 0 (PER_LINUX)$' "$TMP/f.txt"
		grep -q 'personality(0xffffffff) *= 0x40008 (PER_LINUX32|ADDR_NO_RANDOMIZE)$' "$TMP/f.txt"
	done
}

@test "options: epoll_ctl's EPOLL_CTL_DEL shows its event's address, ADD and MOD the event, as strace" {
	cmd=(/usr/bin/python3 -c 'import socket, select
a, b = socket.socketpair()
e = select.epoll()
e.register(b.fileno(), select.EPOLLIN | select.EPOLLET)
e.modify(b.fileno(), select.EPOLLOUT)
e.unregister(b.fileno())')
	strace -y -e trace=epoll_ctl -o "$TMP/s.txt" "${cmd[@]}"
	for b in $BACKENDS; do
		"$FACET" trace -y --backend "$b" -e trace=epoll_ctl \
			-o "$TMP/f.txt" -- "${cmd[@]}"
		run same "$TMP/s.txt" "$TMP/f.txt" 'epoll_ctl\('
		[ "$status" -eq 0 ] || fail "$b: $output"
		grep -q 'EPOLL_CTL_DEL, [0-9]*<socket:\[[0-9]*\]>, 0x[0-9a-f]*) *= 0$' "$TMP/f.txt"
	done
}

@test "options: -x and -xx show strings in hex as strace" {
	for x in -x -xx; do
		strace -y "$x" -o "$TMP/s.txt" printf 'a\001b\n' > /dev/null
		strace -y "$x" -o "$TMP/s2.txt" cat /etc/hostname > /dev/null
		for b in $BACKENDS; do
			"$FACET" trace -y --backend "$b" "$x" -o "$TMP/f.txt" -- \
				printf 'a\001b\n' > /dev/null
			run same "$TMP/s.txt" "$TMP/f.txt" 'write\('
			[ "$status" -eq 0 ] || fail "$b $x: $output"
			"$FACET" trace -y --backend "$b" "$x" -o "$TMP/f2.txt" -- \
				cat /etc/hostname > /dev/null
			run same "$TMP/s2.txt" "$TMP/f2.txt" \
				'(openat\(AT_FDCWD<[^>]*>, "[^"]*hostname|read\(3|write\()'
			[ "$status" -eq 0 ] || fail "$b $x: $output"
		done
	done
	grep -q 'write(1<[^>]*>, "\\x61\\x01\\x62\\x0a", 4)' "$TMP/f.txt"
}

@test "options: -yy shows socket endpoints and device numbers as strace" {
	cat > "$TMP/socks.py" <<'PY'
import os, socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
c = socket.socket(); c.connect(s.getsockname()); a, _ = s.accept()
c.send(b"x"); a.recv(1)
u1, u2 = socket.socketpair(); u1.send(b"y"); u2.recv(1)
d = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
d.sendto(b"q", ("127.0.0.1", 9)); d.getsockname()
n = os.open("/dev/null", os.O_WRONLY); os.write(n, b"z")
PY
	strace -f -yy -o "$TMP/s.txt" /usr/bin/python3 "$TMP/socks.py"
	for b in $BACKENDS; do
		"$FACET" trace -y --backend "$b" -yy -o "$TMP/f.txt" -- \
			/usr/bin/python3 "$TMP/socks.py"
		run same "$TMP/s.txt" "$TMP/f.txt" \
			'(connect|accept4|sendto|recvfrom|write\(\d+</dev/null)'
		[ "$status" -eq 0 ] || fail "$b: $output"
		grep -q 'accept4([0-9]*<TCP:\[127.0.0.1:[0-9]*\]>.* = [0-9]*<TCP:\[127.0.0.1:[0-9]*->127.0.0.1:[0-9]*\]>' "$TMP/f.txt"
		grep -q 'sendto([0-9]*<UNIX-STREAM:\[[0-9]*->[0-9]*\]>, "y"' "$TMP/f.txt"
		grep -q 'write([0-9]*</dev/null<char 1:3>>, "z", 1)' "$TMP/f.txt"
	done
}

@test "options: -yy shows TCP and UDP endpoints (v4, v6) asked of inet_diag as strace: bound only, listening, connected, accepted" {
	# no socket is shown bound and then connected: strace keeps the text
	# it found first (docs/trace-format.md)
	cat > "$TMP/inet.py" <<'PY'
import socket as S
b = S.socket(); b.bind(("127.0.0.1", 0)); b.getsockname()
l = S.socket(); l.bind(("127.0.0.1", 0)); l.listen(1)
c = S.socket(); c.connect(l.getsockname()); a, _ = l.accept()
c.send(b"x"); a.recv(1)
b6 = S.socket(S.AF_INET6); b6.bind(("::1", 0)); b6.getsockname()
l6 = S.socket(S.AF_INET6); l6.bind(("::1", 0)); l6.listen(1)
c6 = S.socket(S.AF_INET6); c6.connect(l6.getsockname())
a6, _ = l6.accept(); c6.send(b"x"); a6.recv(1)
u = S.socket(S.AF_INET, S.SOCK_DGRAM); u.getsockname()
u.bind(("127.0.0.1", 0)); u.getsockname()
v = S.socket(S.AF_INET, S.SOCK_DGRAM); v.connect(u.getsockname())
v.send(b"d"); u.recv(1)
u6 = S.socket(S.AF_INET6, S.SOCK_DGRAM); u6.bind(("::1", 0))
v6 = S.socket(S.AF_INET6, S.SOCK_DGRAM); v6.connect(u6.getsockname())
v6.send(b"d"); u6.recv(1)
PY
	strace -f -yy -o "$TMP/s.txt" /usr/bin/python3 "$TMP/inet.py"
	# the bound-only socket has its address in strace's trace too (the
	# kernel lists bound-only TCP sockets to inet_diag since Linux 6.7)
	grep -q 'getsockname([0-9]*<TCP:\[127.0.0.1:[0-9]*\]>' "$TMP/s.txt" ||
		skip "this kernel's inet_diag does not list bound-only sockets"
	for b in $BACKENDS; do
		"$FACET" trace --backend "$b" -yy -o "$TMP/f.txt" -- \
			/usr/bin/python3 "$TMP/inet.py"
		run same "$TMP/s.txt" "$TMP/f.txt" \
			'(bind|listen|getsockname|connect|accept4|sendto|recvfrom)\(\d+<(TCP|UDP)'
		[ "$status" -eq 0 ] || fail "$b: $output"
		grep -q '^[0-9]* *getsockname([0-9]*<TCP:\[127.0.0.1:[0-9]*\]>' "$TMP/f.txt"
		grep -q '^[0-9]* *getsockname([0-9]*<TCPv6:\[\[::1\]:[0-9]*\]>' "$TMP/f.txt"
		grep -q '^[0-9]* *getsockname([0-9]*<UDP:\[[0-9]*\]>, {sa_family=AF_INET, sin_port=htons(0)' "$TMP/f.txt"
		grep -q '^[0-9]* *sendto([0-9]*<UDPv6:\[\[::1\]:[0-9]*->\[::1\]:[0-9]*\]>' "$TMP/f.txt"
	done
}

@test "options: -yy finds the endpoints of a --net view's sockets (their own namespace), as root and as an ordinary user" {
	cmd=(/usr/bin/python3 -c 'import socket as S
b = S.socket(); b.bind(("127.0.0.1", 0)); b.getsockname()
l = S.socket(S.AF_INET6); l.bind(("::1", 0)); l.listen(1)
c = S.socket(S.AF_INET6); c.connect(l.getsockname()); c.getsockname()
u1, u2 = S.socketpair(); u1.send(b"y")')
	for b in $BACKENDS; do
		for who in root nobody; do
			run=()
			[ "$who" = root ] || run=(as_nobody)
			rm -f "$TMP/f.txt"
			"${run[@]}" "$FACET" trace --backend "$b" -yy --net private \
				-e trace=getsockname,listen,sendto -o "$TMP/f.txt" -- \
				"${cmd[@]}"
			# one process: no helper of facet's inside the program
			[ "$(grep -c '+++ exited' "$TMP/f.txt")" = 1 ] ||
				fail "$b $who: $(cat "$TMP/f.txt")"
			if [ "$b" = preload ]; then
				# in-process the view's sockets, of another
				# namespace, show their inode (trace-format.md)
				grep -q '^[0-9]* *listen([0-9]*<TCPv6:\[[0-9]*\]>, 1)' "$TMP/f.txt" ||
					fail "$b $who: $(cat "$TMP/f.txt")"
			else
				grep -q '^[0-9]* *getsockname([0-9]*<TCP:\[127.0.0.1:[0-9]*\]>' "$TMP/f.txt" ||
					fail "$b $who: $(cat "$TMP/f.txt")"
				grep -q '^[0-9]* *listen([0-9]*<TCPv6:\[\[::1\]:[0-9]*\]>, 1)' "$TMP/f.txt" ||
					fail "$b $who: $(cat "$TMP/f.txt")"
				grep -q '^[0-9]* *getsockname([0-9]*<TCPv6:\[\[::1\]:[0-9]*->\[::1\]:[0-9]*\]>' "$TMP/f.txt" ||
					fail "$b $who: $(cat "$TMP/f.txt")"
			fi
			grep -q '^[0-9]* *sendto([0-9]*<UNIX-STREAM:\[[0-9]*->[0-9]*\]>, "y"' "$TMP/f.txt" ||
				fail "$b $who: $(cat "$TMP/f.txt")"
		done
	done
}

@test "options: -P PATH records only the calls that touch it, by name or fd, as strace" {
	cmd=(sh -c 'cat /etc/hostname; cd /etc && cat hostname; ls / >/dev/null')
	strace -f -y -P /etc/hostname -o "$TMP/s.txt" "${cmd[@]}" > /dev/null
	for b in ptrace combined; do	# the dynamic loader's calls too
		"$FACET" trace -y --backend "$b" -P /etc/hostname -o "$TMP/f.txt" -- \
			"${cmd[@]}" > /dev/null
		run same "$TMP/s.txt" "$TMP/f.txt" '[a-z_0-9]+\('
		[ "$status" -eq 0 ] || fail "$b: $output"
	done
	"$FACET" trace -y --backend preload -P /etc/hostname -o "$TMP/f.txt" -- \
		"${cmd[@]}" > /dev/null
	run same "$TMP/s.txt" "$TMP/f.txt" '(read|close|fadvise64)\('
	[ "$status" -eq 0 ] || fail "preload: $output"
	# nothing else: every call names /etc/hostname or an fd of it
	! grep -v -e hostname -e '+++' -e '^[0-9]* *---' "$TMP/f.txt"
}

@test "options: -a COLUMN aligns ' = ' as strace" {
	strace -y -a 20 -e trace=write -o "$TMP/s.txt" echo hi > /dev/null
	for b in $BACKENDS; do
		"$FACET" trace -y --backend "$b" -a 20 -e trace=write \
			-o "$TMP/f.txt" -- echo hi > /dev/null
		grep -q '^[0-9]* *write(1<[^>]*>, "hi\\n", 3) = 3$' "$TMP/f.txt"
		"$FACET" trace -y --backend "$b" -a 60 -e trace=write \
			-o "$TMP/f.txt" -- echo hi > /dev/null
		line=$(grep 'write(1' "$TMP/f.txt")
		[ "${line%%=*}" = "$(printf '%-60s' "${line%%)*})")" ]
	done
	run "$FACET" trace -y -a x -- true
	expect_status 125
}

@test "options: -e read= and -e write= hex dumps are strace's" {
	cmd=(/usr/bin/python3 -c 'import os; r, w = os.pipe(); os.write(w, b"0123456789abcdefghijKLM\x00\x7f ~"); os.read(r, 64); os.writev(w, [b"ab", b"cd"]); os.read(r, 64)')
	strace -y -e trace=read,write,writev -e read=all -e write=all \
		-o "$TMP/s.txt" "${cmd[@]}"
	for b in $BACKENDS; do
		"$FACET" trace -y --backend "$b" -e trace=read,write,writev \
			-e read=all -e write=all -o "$TMP/f.txt" -- "${cmd[@]}"
		# from the pipe's first call: preload has no loader's reads
		sed -n '/<pipe/,$p' "$TMP/s.txt" > "$TMP/s.pipe"
		sed -n '/<pipe/,$p' "$TMP/f.txt" > "$TMP/f.pipe"
		run same "$TMP/s.pipe" "$TMP/f.pipe" \
			'((read|write|writev)\(\d+<pipe.*| \| .*| \* .*)$'
		[ "$status" -eq 0 ] || fail "$b: $output"
		grep -q '^ | 00010  67 68 69 6a 4b 4c 4d 00  7f 20 7e                 ghijKLM.. ~      |$' "$TMP/f.txt"
		grep -q '^ \* 2 bytes in buffer 1$' "$TMP/f.txt"
	done
}

@test "options: -b execve stops recording a process at its exec, as strace" {
	for b in $BACKENDS; do
		"$FACET" trace -y --backend "$b" -b execve -o "$TMP/f.txt" -- \
			sh -c '/bin/true; echo hi' > /dev/null
		# the command's own exec is recorded, the child's is the last
		# line of the child, cut
		grep -q 'execve("/usr/bin/sh", \["sh", "-c", ' "$TMP/f.txt"
		child=$(grep 'execve("/bin/true"' "$TMP/f.txt" | awk '{print $1}')
		[ -n "$child" ]
		! grep -q 'execve("/bin/true".*= 0' "$TMP/f.txt"
		[ "$(grep -c "^$child " "$TMP/f.txt")" -le 3 ]
		! grep -q "^$child .*exited" "$TMP/f.txt"
		grep -q 'write(1<[^>]*>, "hi\\n", 3)' "$TMP/f.txt"
	done
	run "$FACET" trace -y -b exit -- true
	expect_status 125
}

@test "options: -E sets and unsets the command's environment, --seccomp-bpf is accepted" {
	for b in $BACKENDS; do
		run "$FACET" trace -y --backend "$b" -o "$TMP/f.txt" -E FOO=bar \
			-E HOME --seccomp-bpf -- sh -c 'echo "$FOO-${HOME-unset}"'
		expect_status 0
		[ "$output" = "bar-unset" ]
		grep -q 'execve(' "$TMP/f.txt"
	done
}

@test "options: strace options facet does not have are one line each, status 125" {
	for opt in "-v=1" "-X raw" "-e inject=openat:error=ENOENT" \
		   "-u nobody" "-D" "-I 1" "-e verbose=all" "--decode-fds=pidfd"; do
		run --separate-stderr "$FACET" trace -y $opt -- true
		expect_status 125
		[[ "$stderr" == "facet: "* ]] || fail "$opt: $stderr"
		[[ "$stderr" != *$'\n'* ]] || fail "$opt: $stderr"
		[[ "$stderr" != *"unknown option"* ]] || fail "$opt: $stderr"
	done
	run "$FACET" trace -y -e inject=openat:error=ENOENT -- true
	[[ "$output" == *"inject= (fault injection) is not implemented"* ]]
}

@test "options: -n shows each line's syscall number as strace, signal and exit lines the thread's last call's" {
	strace -f -n -o "$TMP/s.txt" sh -c 'cat /etc/hostname; echo hi' > /dev/null
	cmd=(sh -c 'kill -USR1 $$')
	strace -f -n -o "$TMP/s2.txt" "${cmd[@]}" > /dev/null || true
	for b in $BACKENDS; do
		"$FACET" trace --backend "$b" -n -o "$TMP/f.txt" -- \
			sh -c 'cat /etc/hostname; echo hi' > /dev/null
		run same "$TMP/s.txt" "$TMP/f.txt" \
			'\[ *\d+\] (openat\(AT_FDCWD, "/etc/hostname"|write\(1|exit_group|\+\+\+)'
		[ "$status" -eq 0 ] || fail "$b: $output"
		grep -Eq '^[0-9]+ +\[ 257\] openat\(AT_FDCWD, "/etc/hostname", O_RDONLY\) += [0-9]+$' \
			"$TMP/f.txt" || fail "$b: $(cat "$TMP/f.txt")"
		# " = " at column 40, the number counted, as strace's
		line=$(grep 'write(1, "hi' "$TMP/f.txt")
		pre=${line%%= *}
		[ "${#pre}" -eq 40 ] || fail "$b: '$line'"
		# a signal's line and "+++ killed" have the last call's number
		# (preload sees no deliveries, and loses the records its
		# killed process had not written: its last line alone)
		run "$FACET" trace --backend "$b" -n -o "$TMP/f2.txt" -- "${cmd[@]}"
		[ "$status" -eq 138 ] || fail "$b: status $status: $output"
		grep -q '^[0-9]* *\[  62\] +++ killed by SIGUSR1 +++$' "$TMP/f2.txt" ||
			fail "$b: $(cat "$TMP/f2.txt")"
		[ "$b" != preload ] || continue
		run same "$TMP/s2.txt" "$TMP/f2.txt" '\[ *\d+\] (kill|---|\+\+\+)'
		[ "$status" -eq 0 ] || fail "$b: $output"
	done
	run "$FACET" trace --backend ptrace --syscall-number -e trace=write \
		-- echo hi
	[[ "$output" == *'[   1] write(1, "hi\n", 3)              = 3'* ]] ||
		fail "$output"
}

@test "options: -i shows the instruction pointer at each call and signal as strace (ptrace backend), preload refuses it" {
	cmd=(sh -c 'cat /etc/hostname; kill -USR1 $$')
	# only calls one process makes while the other waits: a line of one
	# cut by the other's ('<unfinished ...>') depends on timing
	calls=openat,read,write,mmap,kill
	setarch -R strace -f -i -e trace=$calls -o "$TMP/s.txt" "${cmd[@]}" > /dev/null || true
	for b in $BACKENDS; do
		if [ "$b" = preload ]; then
			run --separate-stderr "$FACET" trace --backend preload -i -- true
			expect_status 125
			[[ "$stderr" == "facet: vtrace: -i"*"ptrace backend"* ]] || fail "$stderr"
			[[ "$stderr" != *$'\n'* ]] || fail "$stderr"
			continue
		fi
		run setarch -R "$FACET" trace --backend "$b" -i -e trace=$calls \
			-o "$TMP/f.txt" -- "${cmd[@]}"
		[ "$status" -eq 138 ] || fail "$b: status $status: $output"
		# with no ASLR the addresses are strace's
		# (not SIGCHLD's line: where it lands in sh depends on timing)
		run same "$TMP/s.txt" "$TMP/f.txt" '\[[0-9a-f?]{16}\] (openat\(AT_FDCWD, "/etc/hostname"|read\(|write\(|mmap\(|kill\(|--- SIGUSR1|\+\+\+)'
		[ "$status" -eq 0 ] || fail "$b: $output"
		grep -Eq '^[0-9]+ +\[[0-9a-f]{16}\] --- SIGUSR1 ' "$TMP/f.txt"
		# the execve line: every call traced
		run setarch -R "$FACET" trace --backend "$b" -i -o "$TMP/f.txt" \
			-- "${cmd[@]}"
		[ "$status" -eq 138 ] || fail "$b: status $status: $output"
		# (cut or not by the other process's line, as timing has it)
		grep -Eq '^[0-9]+ +\[[0-9a-f]{16}\] (<\.\.\. execve resumed>|execve\("/usr/bin/cat")' "$TMP/f.txt"
		grep -Eq '^[0-9]+ +\[\?{16}\] \+\+\+ killed by SIGUSR1 \+\+\+$' "$TMP/f.txt"
	done
}

@test "options: -S sorts -c's table and -U picks its columns, as strace" {
	cmd=(sh -c 'cat /etc/hostname; cat /nonexistent-facet 2>/dev/null; ls / >/dev/null')
	all=calls,min-time,name,max-time,avg-time,errors,total-time,time-percent
	for b in $BACKENDS; do
		for sort in calls errors name nothing; do
			strace -f -c -S "$sort" -U name,calls,errors \
				-o "$TMP/s.c" "${cmd[@]}" > /dev/null
			"$FACET" trace --backend "$b" -c -S "$sort" \
				-U name,calls,errors -o "$TMP/f.c" -- \
				"${cmd[@]}" > /dev/null
			# preload sees no dynamic loader: same layout, its
			# own counts, in the same order
			if [ "$b" = preload ]; then
				head -2 "$TMP/s.c" > "$TMP/s.h"
				head -2 "$TMP/f.c" | diff "$TMP/s.h" - ||
					fail "$b -S $sort"
				python3 - "$TMP/f.c" "$sort" <<'PY' || fail "$b -S $sort: $(cat "$TMP/f.c")"
import sys
rows = [l.split() for l in open(sys.argv[1]).read().split("\n")[2:-3]]
key = {"calls": lambda r: -int(r[1]),
       "errors": lambda r: -int(r[2]) if len(r) == 3 else 0,
       "name": lambda r: r[0]}.get(sys.argv[2])
assert rows and "openat" in [r[0] for r in rows], rows
assert key is None or rows == sorted(rows, key=key), rows
PY
				continue
			fi
			diff "$TMP/s.c" "$TMP/f.c" || fail "$b -S $sort"
		done
		# every column, in strace's layout: the header and rules are
		# strace's; the total's shortest and longest the calls'
		strace -f -c -U "$all" -o "$TMP/s.c" "${cmd[@]}" > /dev/null
		"$FACET" trace --backend "$b" -c --summary-columns="$all" \
			--summary-sort-by=max-time -o "$TMP/f.c" -- \
			"${cmd[@]}" > /dev/null
		diff <(sed -n '1,2p;$!{/^---/p}' "$TMP/s.c") \
			<(sed -n '1,2p;$!{/^---/p}' "$TMP/f.c") || fail "$b -U $all"
		python3 - "$TMP/f.c" <<'PY' || fail "$b -U $all: $(cat "$TMP/f.c")"
import re, sys
lines = open(sys.argv[1]).read().split("\n")
row = re.compile(r"^ *\d+ \d+\.\d{6} \S+ +\d+\.\d{6} +\d+ [ \d]{9} +\d+\.\d{6} +\d+\.\d\d$")
body = [l.split() for l in lines[2:-3]]
total = lines[-2].split()
assert all(row.match(l) for l in lines[2:-3] + [lines[-2]]), lines
assert total[2] == "total" and total[-1] == "100.00", total
mins = [float(r[1]) for r in body]
maxs = [float(r[3]) for r in body]
assert maxs == sorted(maxs, reverse=True), maxs
assert float(total[1]) == min(mins) and float(total[3]) == max(maxs), total
for r in body:
    lo, hi, avg = float(r[1]), float(r[3]), int(r[4])
    assert lo <= hi and lo * 1e6 - 1 <= avg <= hi * 1e6 + 1, r
assert sum(int(r[0]) for r in body) == int(total[0])
PY
		# attached and long forms; strace's default columns by name
		"$FACET" trace --backend "$b" -c -Stime \
			-Utime-percent,total-time,avg-time,calls,errors,name \
			-o "$TMP/f.c" -- true
		head -2 "$TMP/f.c" | diff - <(printf '%s\n' \
			'% time     seconds  usecs/call     calls    errors syscall' \
			'------ ----------- ----------- --------- --------- ----------------')
	done
	# strace's names for them, and what it refuses: one line, status 125
	for opt in "-S bogus" "-U bogus" "-U calls,count" "-U none"; do
		run --separate-stderr "$FACET" trace $opt -c -- true
		expect_status 125
		[[ "$stderr" == "facet: vtrace: summary-"* ]] || fail "$opt: $stderr"
		[[ "$stderr" != *$'\n'* ]] || fail "$opt: $stderr"
	done
}

@test "options: -e raw=SET shows those calls' arguments and results in hex, as strace" {
	cmd=(sh -c 'cat /etc/hostname; cat /nonexistent-facet 2>/dev/null; exit 3')
	strace -f -e raw=write,exit_group,wait4 -o "$TMP/s.txt" "${cmd[@]}" > /dev/null || true
	strace -f -e raw=openat -e trace=openat -o "$TMP/s2.txt" "${cmd[@]}" > /dev/null || true
	for b in $BACKENDS; do
		run "$FACET" trace --backend "$b" -e raw=write,exit_group,wait4 \
			-o "$TMP/f.txt" -- "${cmd[@]}"
		[ "$status" -eq 3 ] || fail "$b: status $status: $output"
		# preload writes a line at the call's end, never cut
		# "<unfinished ...>": wait4's lines are compared apart
		re='openat\(AT_FDCWD, "/etc/hostname"|write\(|exit_group'
		[ "$b" = preload ] || re="$re|wait4\(0xffffffff"
		run same "$TMP/s.txt" "$TMP/f.txt" "($re)"
		[ "$status" -eq 0 ] || fail "$b: $output"
		grep -Eq '^[0-9]+ +wait4\(0xffffffff, 0x[0-9a-f]+, 0x1, 0\) += -1 ECHILD ' \
			"$TMP/f.txt" || fail "$b: $(cat "$TMP/f.txt")"
		grep -Eq '^[0-9]+ +write\(0x1, 0x[0-9a-f]+, 0x[0-9a-f]+\) += 0x[0-9a-f]+$' \
			"$TMP/f.txt" || fail "$b: $(cat "$TMP/f.txt")"
		grep -Eq '^[0-9]+ +exit_group\(0x3\) += \?$' "$TMP/f.txt" ||
			fail "$b: $(cat "$TMP/f.txt")"
		# AT_FDCWD as the register holds it; errors stay decoded
		"$FACET" trace --backend "$b" -e x=openat -e trace=openat \
			-o "$TMP/f2.txt" -- "${cmd[@]}" || true
		grep -Eq '^[0-9]+ +openat\(0xffffff9c, 0x[0-9a-f]+, 0, 0\) += 0x[0-9a-f]$' \
			"$TMP/f2.txt" || fail "$b: $(cat "$TMP/f2.txt")"
		grep -Eq '^[0-9]+ +openat\(0xffffff9c, 0x[0-9a-f]+, 0, 0\) += -1 ENOENT \(No such file or directory\)$' \
			"$TMP/f2.txt" || fail "$b: $(cat "$TMP/f2.txt")"
		! grep -q 'AT_FDCWD\|O_RDONLY' "$TMP/f2.txt" || fail "$b: $(cat "$TMP/f2.txt")"
		# preload sees no dynamic loader: its lines alone differ
		[ "$b" = preload ] && continue
		run same "$TMP/s2.txt" "$TMP/f2.txt" 'openat'
		[ "$status" -eq 0 ] || fail "$b: $output"
	done
}

@test "options: -v, --no-abbrev and -e abbrev=SET show structs unabbreviated, as strace" {
	mkdir "$TMP/d"
	printf 'abc' > "$TMP/d/f"
	mkfifo "$TMP/d/p"
	touch -d @1700000000.5 "$TMP/d/f"
	touch -d @0 "$TMP/d/p"
	# apart from the trace files: Python lists its script's directory
	mkdir "$TMP/py"
	cat > "$TMP/py/v.py" <<'PY'
import os, pty, sys, termios
d = sys.argv[1]
os.stat(d + "/f"); os.stat(d + "/p"); os.stat("/dev/null")
os.listdir(d)
os.uname()
m, s = pty.openpty()
termios.tcgetattr(s)
pid = os.fork()
if pid == 0:
    os._exit(3)
os.wait4(pid, 0)
os.execve("/usr/bin/stat", ["stat", "-c", "%s"] + [d + "/f"] * 40,
          {"A": "1", "B": "two"})
PY
	cmd=(/usr/bin/python3 "$TMP/py/v.py" "$TMP/d")
	re="(newfstatat\(AT_FDCWD, \"($TMP/d|/dev/null)|statx\(AT_FDCWD, \"$TMP/d|getdents64|uname|ioctl\([0-9]+, TCGETS|execve\(\"/usr/bin/stat)"
	strace -f -v -o "$TMP/s.txt" "${cmd[@]}" > /dev/null
	strace -f -e abbrev=uname,execve -o "$TMP/s2.txt" "${cmd[@]}" > /dev/null
	for b in $BACKENDS; do
		for v in -v --no-abbrev; do
			"$FACET" trace --backend "$b" $v -o "$TMP/f.txt" -- \
				"${cmd[@]}" > /dev/null || fail "$b $v: status $?"
			run same "$TMP/s.txt" "$TMP/f.txt" "$re"
			[ "$status" -eq 0 ] || fail "$b $v: $output"
		done
		# every field, the dates as strace's (none for a time of 0)
		grep -q "\"$TMP/d/f\", {st_dev=makedev(.*st_mtime=1700000000 /\* 2023-11-14T22:13:20.5" \
			"$TMP/f.txt" || fail "$b: $(cat "$TMP/f.txt")"
		grep -q "\"$TMP/d/p\", {.*st_mode=S_IFIFO|0644, .*st_mtime=0, st_mtime_nsec=0," \
			"$TMP/f.txt" || fail "$b: $(cat "$TMP/f.txt")"
		grep -q 'c_cc=\[\[VINTR\]=0x3, ' "$TMP/f.txt" || fail "$b: $(cat "$TMP/f.txt")"
		grep -q 'd_type=DT_FIFO, d_name="p"}' "$TMP/f.txt" || fail "$b: $(cat "$TMP/f.txt")"
		# arrays are not cut at -s elements, the environment is shown
		grep -q "\"$TMP/d/f\"\], \[\"A=1\", \"B=two\"\]) = 0" "$TMP/f.txt" ||
			fail "$b: $(cat "$TMP/f.txt")"
		# rusage's times differ between runs: its fields are compared
		w() { grep -o '{ru_utime=.*' "$1" | sed -E 's/[0-9]+/N/g'; }
		[ "$(w "$TMP/s.txt")" = "$(w "$TMP/f.txt")" ] ||
			fail "$b: $(w "$TMP/s.txt") / $(w "$TMP/f.txt")"
		grep -q 'ru_nivcsw=' "$TMP/f.txt" || fail "$b: $(cat "$TMP/f.txt")"
		# -e abbrev=SET: those calls abbreviated, the others in full
		"$FACET" trace --backend "$b" -e abbrev=uname,execve \
			-o "$TMP/f2.txt" -- "${cmd[@]}" > /dev/null || fail "$b: status $?"
		run same "$TMP/s2.txt" "$TMP/f2.txt" "$re"
		[ "$status" -eq 0 ] || fail "$b abbrev=: $output"
		grep -q 'uname({sysname="Linux", nodename=".*", \.\.\.})' "$TMP/f2.txt" ||
			fail "$b: $(cat "$TMP/f2.txt")"
		grep -q 'vars \*/) = 0' "$TMP/f2.txt" || fail "$b: $(cat "$TMP/f2.txt")"
	done
}
