#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# facet - tests/shell/vtrace_attach.bats: `facet trace -p PID`, attaching
# to a process that runs already, compared with strace -p
#
# tests/progs/attach_loop runs in the background (getppid, write, a 20 ms
# sleep per round; with "fork" a child per round); facet and strace each
# attach to it for a while and are interrupted.  Only the ptrace backend
# attaches: the others refuse -p.

load helper
bats_require_minimum_version 1.5.0

setup() {
	TMP=$(world_tmp)
	LOOP=
}

teardown() {
	[ -n "$LOOP" ] && kill "$LOOP" 2>/dev/null
	rm -rf "$TMP"
}

# start_loop [ARGS]: attach_loop in the background, its pid in $LOOP
start_loop() {
	"$PROGS/attach_loop" "$@" > /dev/null &
	LOOP=$!
	sleep 0.2
}

# tracer_of PID: TracerPid of PID
tracer_of() {
	awk '/^TracerPid:/ { print $2 }' "/proc/$1/status"
}

# attach_for SECONDS SIGNAL CMD...: run CMD in the background, send it
# SIGNAL after SECONDS; $status and $stderr_file as it ended
attach_for() {
	local secs=$1 sig=$2 pid
	shift 2
	"$@" 2> "$TMP/err" &
	pid=$!
	sleep "$secs"
	kill "-$sig" "$pid"
	status=0
	wait "$pid" || status=$?
}

# shapes TRACE: its distinct lines, pids, addresses and results of calls
# that return pids masked, each "<unfinished ...>" joined with its
# "<... resumed>"; the first call of each thread (cut by the attach) and
# the one the detach cut are left out
cat_shapes='
import re, sys
pend, seen, out = {}, set(), set()
for l in open(sys.argv[1]):
    m = re.match(r"^(\d+) +(.*)$", l.rstrip("\n"))
    pid, rest = (m.group(1), m.group(2)) if m else ("", l.rstrip("\n"))
    m = re.match(r"^(.*?) ?<unfinished \.\.\.>$", rest)
    if m:
        pend[pid] = m.group(1)
        continue
    m = re.match(r"^<\.\.\. \w+ resumed>(.*)$", rest)
    if m:
        if pid not in pend:
            continue
        rest = pend.pop(pid) + m.group(1)
    if pid not in seen:
        seen.add(pid)
        if not rest.startswith("+++"):
            continue
    if "<detached ...>" in rest:
        continue
    rest = re.sub(r"0x[0-9a-f]+", "ADDR", rest)
    rest = re.sub(r"\b\d{3,}\b", "N", rest)
    out.add(re.sub(r"\) +=( |$)", r") =\1", rest))
print("\n".join(sorted(out)))
'

@test "trace -p: the lines of a running program are strace -p's, and it runs on untraced" {
	command -v strace >/dev/null || skip "strace is not installed"
	start_loop
	attach_for 0.6 INT "$FACET" trace -y -o "$TMP/f.txt" -p "$LOOP"
	[ "$status" -eq 130 ] || fail "status $status: $(cat "$TMP/err")"
	[ "$(cat "$TMP/err")" = "facet: Process $LOOP attached
facet: Process $LOOP detached" ] || fail "$(cat "$TMP/err")"
	kill -0 "$LOOP"
	[ "$(tracer_of "$LOOP")" = 0 ]
	grep -q 'State:.*S (sleeping)' "/proc/$LOOP/status"
	attach_for 0.6 INT strace -y -o "$TMP/s.txt" -p "$LOOP"
	[ "$status" -eq 130 ]
	python3 -c "$cat_shapes" "$TMP/f.txt" > "$TMP/f.shapes"
	python3 -c "$cat_shapes" "$TMP/s.txt" > "$TMP/s.shapes"
	diff "$TMP/s.shapes" "$TMP/f.shapes" || fail "strace (<) and facet (>) differ"
	grep -qx 'write(1</dev/null>, "tick\\n", 5) = 5' "$TMP/f.shapes"
	grep -qx 'getppid() = N' "$TMP/f.shapes"
}

@test "trace -p: the first call of a thread blocked in a sleep or a read is strace's" {
	command -v strace >/dev/null || skip "strace is not installed"
	sleep 100 &
	LOOP=$!
	sleep 0.2
	attach_for 0.4 TERM "$FACET" trace -y -o "$TMP/f.txt" -p "$LOOP"
	[ "$status" -eq 143 ]
	attach_for 0.4 TERM strace -o "$TMP/s.txt" -p "$LOOP"
	[ "$status" -eq 143 ]
	[ "$(cat "$TMP/f.txt")" = "$(cat "$TMP/s.txt")" ] ||
		fail "facet: $(cat "$TMP/f.txt") strace: $(cat "$TMP/s.txt")"
	[ "$(cat "$TMP/f.txt")" = 'restart_syscall(<... resuming interrupted read ...> <detached ...>' ]
	kill "$LOOP"
	# a read from a FIFO nobody writes to: "read(0,  <detached ...>"
	mkfifo "$TMP/p"
	sleep 100 > "$TMP/p" &
	sleeper=$!
	sh -c 'read x' < "$TMP/p" &
	LOOP=$!
	sleep 0.2
	attach_for 0.4 INT "$FACET" trace -y -o "$TMP/f.txt" -p "$LOOP"
	[ "$status" -eq 130 ]
	[ "$(cat "$TMP/f.txt")" = "read(0<$TMP/p>,  <detached ...>" ] ||
		fail "$(cat "$TMP/f.txt")"
	[ "$(tracer_of "$LOOP")" = 0 ]
	kill "$LOOP" "$sleeper"
}

@test "trace -f -p: a child forked after the attach is traced, as strace -f -p; without -f it is not" {
	command -v strace >/dev/null || skip "strace is not installed"
	start_loop fork
	attach_for 0.6 INT "$FACET" trace -y -f -o "$TMP/f.txt" -p "$LOOP"
	[ "$status" -eq 130 ]
	# the children said attached, as strace -f says them
	grep -Eq "^facet: Process [0-9]+ attached$" "$TMP/err"
	[ "$(grep -c attached "$TMP/err")" -gt 2 ] || fail "$(cat "$TMP/err")"
	grep -Eq '^[0-9]+ +write\(1</dev/null>, "child\\n", 6\) += 6$' "$TMP/f.txt"
	grep -Eq '^[0-9]+ +\+\+\+ exited with 0 \+\+\+$' "$TMP/f.txt"
	[ "$(tracer_of "$LOOP")" = 0 ]
	attach_for 0.6 INT strace -f -y -o "$TMP/s.txt" -p "$LOOP"
	python3 -c "$cat_shapes" "$TMP/f.txt" > "$TMP/f.shapes"
	python3 -c "$cat_shapes" "$TMP/s.txt" > "$TMP/s.shapes"
	diff "$TMP/s.shapes" "$TMP/f.shapes" || fail "strace (<) and facet (>) differ"
	# without -f: the process alone, its lines without a pid
	attach_for 0.6 INT "$FACET" trace -y -o "$TMP/n.txt" -p "$LOOP"
	[ "$status" -eq 130 ]
	grep -q '^clone(' "$TMP/n.txt"
	! grep -q 'child' "$TMP/n.txt"
	! grep -Eq '^[0-9]+ ' "$TMP/n.txt"
	[ "$(tracer_of "$LOOP")" = 0 ]
}

@test "trace -p: a process that ends while traced ends the trace, status 0, as strace -p" {
	"$PROGS/attach_loop" 15 > /dev/null &
	LOOP=$!
	sleep 0.1
	run --separate-stderr "$FACET" trace -y -p "$LOOP"
	expect_status 0
	[ "${stderr_lines[0]}" = "facet: Process $LOOP attached" ]
	[ "${stderr_lines[-2]}" = 'exit_group(0)                           = ?' ]
	[ "${stderr_lines[-1]}" = '+++ exited with 0 +++' ]
	! grep -q detached <<< "$stderr"
	LOOP=
}

@test "trace -p: -q leaves out the attach messages; -p with a command traces both" {
	start_loop
	attach_for 0.3 INT "$FACET" trace -y -q -e getppid -p "$LOOP"
	[ "$status" -eq 130 ]
	! grep -q facet: "$TMP/err"
	grep -q '^getppid() ' "$TMP/err"
	# the command ends; the attached process is traced until the signal
	"$FACET" trace -y -q -e getppid,write -o "$TMP/m.txt" -p "$LOOP" -- \
		sh -c 'echo cmd' > /dev/null 2>&1 &
	pid=$!
	sleep 0.5
	kill -INT "$pid"
	wait "$pid" || true
	grep -Eq '^[0-9]+ +write\(1</dev/null>, "cmd\\n", 4\) += 4$' "$TMP/m.txt"
	grep -Eq "^$LOOP +getppid\(\) " "$TMP/m.txt"
	[ "$(tracer_of "$LOOP")" = 0 ]
	kill -0 "$LOOP"
}

@test "trace -p: started with SIGINT ignored (a script's background job), SIGINT still lets the processes go, as strace" {
	start_loop
	sh -c 'trap "" INT QUIT; exec "$@"' _ "$FACET" trace -y -q -e getppid \
		-o "$TMP/i.txt" -p "$LOOP" 2> "$TMP/err" &
	pid=$!
	sleep 0.4
	kill -INT "$pid"
	for i in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
	! kill -0 "$pid" 2>/dev/null || { kill -KILL "$pid"; fail "facet trace -p ignored SIGINT"; }
	wait "$pid" || true
	grep -q 'getppid()' "$TMP/i.txt"
	[ "$(tracer_of "$LOOP")" = 0 ]
	kill -0 "$LOOP"
}

@test "trace -p: as nobody, nobody's process is traced; root's is refused in one line, status 125" {
	# not as_nobody: a function in the background is a subshell of root's
	setpriv --reuid=65534 --regid=65534 --clear-groups -- \
		"$PROGS/attach_loop" > /dev/null &
	LOOP=$!
	sleep 0.2
	run as_nobody bash -c '"$1" trace -o "$2/f.txt" -p "$3" 2> "$2/err" & p=$!; sleep 0.4; kill -INT $p; wait $p' _ "$FACET" "$TMP" "$LOOP"
	[ "$status" -eq 130 ] || fail "status $status: $(cat "$TMP/err")"
	grep -q 'getppid()' "$TMP/f.txt"
	[ "$(tracer_of "$LOOP")" = 0 ]
	kill "$LOOP"
	start_loop
	run --separate-stderr as_nobody "$FACET" trace -y -p "$LOOP"
	expect_status 125
	[ "$stderr" = "facet: attach: ptrace(PTRACE_SEIZE, $LOOP): Operation not permitted: it belongs to another user, runs a set-id program or is init; run facet as its user or as root" ] || fail "$stderr"
	[ "$(tracer_of "$LOOP")" = 0 ]
}

@test "trace -p: views, the in-process backends and bad pids are refused in one line, status 125" {
	start_loop
	for b in $BACKENDS; do
		is_ptracer "$b" && [ "$b" = ptrace ] && continue
		run --separate-stderr "$FACET" trace -y --backend "$b" -p "$LOOP"
		expect_status 125
		[ "$stderr" = "facet: -p: --backend $b cannot trace a running process: only the ptrace backend attaches" ] || fail "$stderr"
	done
	run --separate-stderr "$FACET" trace -y --bind /tmp:/mnt -p "$LOOP"
	expect_status 125
	[[ "$stderr" == "facet: -p: a running process cannot be given a view: "* ]]
	run --separate-stderr "$FACET" trace -y --time '2001-01-01 00:00:00' -p "$LOOP"
	expect_status 125
	run --separate-stderr "$FACET" trace -y -p nope
	expect_status 125
	[ "$stderr" = "facet: -p nope: not a process id" ]
	run --separate-stderr "$FACET" trace -y -p 2147483
	expect_status 125
	[ "$stderr" = "facet: attach: ptrace(PTRACE_SEIZE, 2147483): No such process: check the process id (ps -p)" ]
	[ "$(tracer_of "$LOOP")" = 0 ]
	# traced already (by strace): the message names the tracer
	strace -q -p "$LOOP" -o /dev/null &
	STRACE=$!
	for i in $(seq 50); do [ "$(tracer_of "$LOOP")" = 0 ] || break; sleep 0.1; done
	run --separate-stderr "$FACET" trace -y -p "$LOOP"
	kill "$STRACE"; wait "$STRACE" || true
	expect_status 125
	[ "$stderr" = "facet: attach: ptrace(PTRACE_SEIZE, $LOOP): Operation not permitted: it is traced by process $STRACE already (a debugger, strace?)" ] || fail "$stderr"
}
