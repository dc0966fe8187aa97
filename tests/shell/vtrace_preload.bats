#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# facet - tests/shell/vtrace_preload.bats: `facet trace --backend preload`,
# the trace recorded inside the traced processes (docs/trace-format.md,
# "In-process tracing").  vtrace.bats runs its backend-independent tests
# under preload too; these are about what is particular to it: one output
# written by many processes, execve across the image change, the trace's
# own fd, the view-wide summary, and what stays the ptracer's.

load helper
bats_require_minimum_version 1.5.0

setup() {
	TMP=$(world_tmp)
}

teardown() {
	rm -rf "$TMP"
}

# Several processes at once, each with children that exec
MULTI='for i in 1 2 3 4; do (cat /etc/hostname; /bin/true) & done; wait'

@test "trace preload: in-process (no loader calls); auto keeps the ptracer's full view" {
	run "$FACET" trace -y --backend preload -o "$TMP/p.txt" -- /bin/true
	expect_status 0
	grep -Eq '^[0-9]+ +execve\("/bin/true", \["/bin/true"\], ' "$TMP/p.txt"
	grep -Eq '^[0-9]+ +exit_group\(0\) += \?$' "$TMP/p.txt"
	grep -Eq '^[0-9]+ +\+\+\+ exited with 0 \+\+\+$' "$TMP/p.txt"
	! grep -q 'ld.so.preload' "$TMP/p.txt"
	for b in auto ptrace; do
		run "$FACET" trace -y --backend "$b" -o "$TMP/a.txt" -- /bin/true
		expect_status 0
		grep -q 'access("/etc/ld.so.preload", R_OK)' "$TMP/a.txt"
	done
}

@test "trace preload: the program's own libc state is left alone: date's open of /etc/localtime is there, as under strace" {
	strace -f -o "$TMP/s.txt" date > /dev/null
	grep -q '"/etc/localtime"' "$TMP/s.txt" || skip "date opens no /etc/localtime here"
	# the module formerly called localtime_r() in every image: the time
	# zone was loaded before the program asked, which then opened nothing
	for ts in none t; do
		run "$FACET" trace -y --backend preload -m "vtrace:timestamps=$ts" \
			-o "$TMP/p.$ts.txt" -- date
		expect_status 0
		grep -Eq 'openat\(AT_FDCWD<[^>]*>, "/etc/localtime", O_RDONLY\|O_CLOEXEC\) = [0-9]+' \
			"$TMP/p.$ts.txt" || fail "$ts: $(grep -n localtime "$TMP/p.$ts.txt")"
	done
	# time-of-day stamps are facet's time zone's, as strace's are its own
	TZ=Asia/Tokyo "$FACET" trace -y --backend preload -m vtrace:timestamps=t \
		-o "$TMP/tz.txt" -- true
	[ -f /usr/share/zoneinfo/Asia/Tokyo ] || return 0
	hour=$(TZ=Asia/Tokyo date +%H)
	first=$(head -1 "$TMP/tz.txt" | awk '{ print substr($2, 1, 2) }')
	# the hour may have turned between the two
	[ "$first" = "$hour" ] || [ "$first" = "$(TZ=Asia/Tokyo date +%H)" ] ||
		fail "$(head -1 "$TMP/tz.txt") at $hour"
}

@test "trace preload: clock reads the vDSO answers are not in the trace, as under the ptracer and strace; raw ones are" {
	# vtime_clock now: clock_gettime, gettimeofday and time through libc
	# (the vDSO: no syscall), then each as a raw syscall
	clocks() {
		grep -Eo '^[0-9]+ +(clock_gettime|gettimeofday|time)\(' "$1" |
			awk '{ print $2 }' | sort | uniq -c | tr -s ' '
	}
	for b in ptrace preload; do
		run "$FACET" trace -y --backend "$b" -o "$TMP/c.$b.txt" -- \
			"$PROGS/vtime_clock" now
		expect_status 0
	done
	[ -n "$(clocks "$TMP/c.ptrace.txt")" ] || fail "no raw clock call traced"
	[ "$(clocks "$TMP/c.preload.txt")" = "$(clocks "$TMP/c.ptrace.txt")" ] ||
		fail "preload: $(clocks "$TMP/c.preload.txt"); ptrace: $(clocks "$TMP/c.ptrace.txt")"
}

@test "trace preload: many processes, one file: whole lines, each under its own pid" {
	run "$FACET" trace -y --backend preload -o "$TMP/t.txt" -- sh -c "$MULTI"
	expect_status 0
	run python3 - "$TMP/t.txt" <<'PY'
import re, sys
line = re.compile(r'^(\d+) +(?:[a-z_0-9]+\(.*\) += .+|[a-z_0-9]+\(.* <unfinished \.\.\.>'
                  r'|<\.\.\. [a-z_0-9]+ resumed>.* += .+|\+\+\+ exited with \d+ \+\+\+)$')
execs = {}
opens = set()
for l in open(sys.argv[1]):
    m = line.match(l.rstrip("\n"))
    assert m, "not a whole record: %r" % l
    pid = int(m.group(1))
    if ' execve("' in l and l.rstrip().endswith("= 0"):
        execs.setdefault(pid, []).append(l.split('"')[1])
    if 'openat(AT_FDCWD' in l and '"/etc/hostname"' in l:
        opens.add(pid)
cats = {p for p, e in execs.items() if e[-1] == "/usr/bin/cat"}
assert len(cats) == 4, execs
assert opens == cats, (opens, cats)
assert sum(e.count("/bin/true") for e in execs.values()) == 4, execs
PY
	expect_status 0
}

@test "trace preload: JSONL from many processes parses, with fork, exec and exit records" {
	run "$FACET" trace -y --backend preload --format jsonl -o "$TMP/t.jsonl" \
		-- sh -c "$MULTI"
	expect_status 0
	run python3 - "$TMP/t.jsonl" <<'PY'
import json, sys
r = [json.loads(l) for l in open(sys.argv[1])]
assert r[0]["type"] == "header" and r[0]["argv"][0] == "sh", r[0]
assert [x["type"] for x in r].count("header") == 1
forks = {x["pid"] for x in r if x["type"] == "fork"}
execs = {x["pid"] for x in r if x["type"] == "exec"}
exits = {x["pid"] for x in r if x["type"] == "exit"}
calls = {x["pid"] for x in r if x["type"] == "syscall"}
top = r[1]["pid"]
assert len(forks) >= 8 and forks <= exits and top in exits, (forks, exits)
assert calls <= forks | {top}, calls - forks
assert len([x for x in r if x["type"] == "exec"
            and x["path"] == "/usr/bin/cat"]) == 4
PY
	expect_status 0
}

@test "trace preload: perfetto from many processes is one valid trace" {
	run "$FACET" trace -y --backend preload --format perfetto -o "$TMP/t.json" \
		-- sh -c "$MULTI"
	expect_status 0
	run python3 -c '
import json, sys
ev = json.load(open(sys.argv[1]))["traceEvents"]
names = {e["args"]["name"] for e in ev if e["name"] == "process_name"}
assert {"sh", "cat", "true"} <= names, names
assert len({e["pid"] for e in ev if e["ph"] == "X"}) >= 9
' "$TMP/t.json"
	expect_status 0
}

@test "trace preload: -e file records only file calls, from every process" {
	run "$FACET" trace -y --backend preload -e file --format jsonl \
		-o "$TMP/t.jsonl" -- sh -c "$MULTI"
	expect_status 0
	run python3 -c '
import json, sys
r = [json.loads(l) for l in open(sys.argv[1])]
s = [x for x in r if x["type"] == "syscall"]
assert s and all("file" in x["classes"] for x in s), \
    {x["name"] for x in s if "file" not in x["classes"]}
assert len([x for x in s if x["name"] == "openat"
            and "/etc/hostname" in x["args"][1]]) == 4
' "$TMP/t.jsonl"
	expect_status 0
}

@test "trace preload: execve is written by the new image, a failed one by the old" {
	run "$FACET" trace -y --backend preload -e execve -o "$TMP/t.txt" \
		-- sh -c '/nonexistent-facet 2>/dev/null; exec /bin/true'
	expect_status 0
	pid=$(awk 'NR == 1 { print $1 }' "$TMP/t.txt")
	grep -Eq "^$pid +execve\(\"/bin/true\", \[\"/bin/true\"\], 0x[0-9a-f]+ /\* [0-9]+ vars \*/\) += 0$" "$TMP/t.txt"
	grep -Eq '^[0-9]+ +execve\("/nonexistent-facet", .* = -1 ENOENT \(No such file or directory\)$' "$TMP/t.txt"
}

@test "trace preload: the program cannot close or overwrite the trace's fd" {
	run "$FACET" trace -y --backend preload -e close,dup2,write \
		-o "$TMP/t.txt" -- bash -c 'exec 900>&-; exec 901>&-; exec 3>/dev/null; exec 900>&3; echo after'
	expect_status 0
	[ "$output" = after ]
	grep -Eq '^[0-9]+ +write\(1<.*>, "after\\n", 6\) += 6$' "$TMP/t.txt"
	grep -Eq '^[0-9]+ +close\(90[01]<.*/t.txt>\) += -1 EBADF ' "$TMP/t.txt"
	grep -Eq '^[0-9]+ +dup2\(3</dev/null>, 900' "$TMP/t.txt"
}

@test "trace preload: --summary adds up the calls of every process" {
	run --separate-stderr "$FACET" trace -y --backend preload -c -- \
		sh -c '/bin/true; /bin/true; /bin/true'
	expect_status 0
	echo "$stderr" | grep -Eq '^ +[0-9.]+ +[0-9.]+ +[0-9]+ +4 +execve$'
	# exit_group never returns: strace -c does not count it
	[[ "$stderr" != *exit_group* ]]
}

@test "trace preload: --per-process JSONL, one valid file per process" {
	run "$FACET" trace -y --backend preload --per-process --format jsonl \
		-o "$TMP/pp" -- sh -c 'cat /etc/hostname; /bin/true'
	expect_status 0
	[ "$(ls "$TMP"/pp.* | wc -l)" -eq 3 ]
	for f in "$TMP"/pp.*; do
		run python3 -c '
import json, sys
r = [json.loads(l) for l in open(sys.argv[1])]
pid = int(sys.argv[1].rsplit(".", 1)[1])
assert r[0]["type"] == "header", r[0]
assert [x["type"] for x in r].count("header") == 1
assert all(x["pid"] == pid for x in r if x["type"] == "syscall")
' "$f"
		expect_status 0
	done
}

@test "trace preload: threads made by pthread_create are traced with their ids" {
	run "$FACET" trace -y --backend preload -e getppid,clone3 -o "$TMP/t.txt" \
		-- "$FACET_BUILD/tests/progs/threads" 3 2
	expect_status 0
	run python3 - "$TMP/t.txt" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
born = {int(x) for x in re.findall(r"(?:clone3\(|<\.\.\. clone3 resumed>).*= (\d+)$",
                                   t, re.M)}
callers = {int(x) for x in re.findall(r"^(\d+) +getppid\(\)", t, re.M)}
assert len(born) == 3 and callers == born, (born, callers)
assert len(re.findall(r"^\d+ +\+\+\+ exited with 0 \+\+\+$", t, re.M)) == len(born) + 1, t
PY
	expect_status 0
}

@test "trace preload: --stack is a one-line error naming the fix" {
	run "$FACET" trace -y --backend preload --stack -- true
	expect_status 125
	[ "${#lines[@]}" -eq 1 ]
	[[ "$output" == *"--stack"*"drop --backend preload"* ]]
}

@test "trace preload: facet reports the command killed by a signal, and stderr stays one file" {
	run --separate-stderr "$FACET" trace -y --backend preload -e write -- \
		sh -c 'echo before >&2; kill -9 $$'
	[ "$status" -eq 137 ]
	[ "${stderr_lines[0]}" = before ]
	[[ "${stderr_lines[1]}" == 'write('*', "before\n", 7) '*'= 7' ]]
	[ "${stderr_lines[2]}" = "+++ killed by SIGKILL +++" ]
	run "$FACET" trace -y --backend preload --format jsonl -e none \
		-o "$TMP/k.jsonl" -- sh -c 'kill -SEGV $$'
	[ "$status" -eq 139 ]
	grep -q '"type":"exit","v":1,.*"signal":"SIGSEGV"}' "$TMP/k.jsonl"
}

@test "trace preload: a static program is handed to the ptracer, which writes into the same trace" {
	bb=$(command -v busybox) || skip "no busybox"
	readelf -l "$bb" | grep -q INTERP && skip "busybox is not static"
	mkdir "$TMP/d"
	for fmt in jsonl perfetto; do
		(cd "$TMP/d" && "$FACET" trace -y --backend preload --format $fmt \
			-e execve,exit_group -o rel.out -- \
			sh -c "cd /; $bb true; /bin/true")
		run python3 - "$TMP/d/rel.out" $fmt "$bb" <<'PY'
import json, sys
path, fmt, bb = sys.argv[1:]
if fmt == "jsonl":
    r = [json.loads(l) for l in open(path)]
    assert [x["type"] for x in r].count("header") == 1
    ex = [x["path"] for x in r if x["type"] == "exec"]
else:
    ev = json.load(open(path))["traceEvents"]
    ex = [e["args"]["name"] for e in ev if e["name"] == "process_name"]
    bb = bb.rsplit("/", 1)[1]
assert ex[-2:] == [bb, "/bin/true" if fmt == "jsonl" else "true"], ex
PY
		expect_status 0
	done
}

@test "trace preload: posix_spawn's child execs once in the trace, with its fork record" {
	run "$FACET" trace -y --backend preload --format jsonl -e execve,wait4 \
		-o "$TMP/s.jsonl" -- python3 -c 'import os
for i in range(3):
    os.waitpid(os.posix_spawn("/bin/true", ["true"], os.environ), 0)'
	expect_status 0
	run python3 -c '
import json, sys
r = [json.loads(l) for l in open(sys.argv[1])]
ex = [x for x in r if x["type"] == "syscall" and x["name"] == "execve"
      and x["args"][0] == "\"/bin/true\""]
forks = {x["pid"] for x in r if x["type"] == "fork"}
assert len(ex) == 3 and {x["pid"] for x in ex} <= forks, (ex, forks)
' "$TMP/s.jsonl"
	expect_status 0
}

@test "trace preload: rt_sigaction shows the program's handler, a handler's calls come after the start of the call the signal cut, signal()'s mask is glibc's, and a spawned child whose exec fails ends with 127, as strace" {
	run --separate-stderr "$FACET" trace -y --backend preload \
		-o "$TMP/t.txt" -- "$PROGS/vtrace_signals"
	expect_status 0
	handler=$(printf '%s\n' "${lines[@]}" | sed -n 's/^handler //p')
	pid=$(sed -n 's/^\([0-9]*\) *execve(.*/\1/p' "$TMP/t.txt" | head -1)
	# the program's handler and flags, not the shim's trampoline
	grep -Eq "^$pid +rt_sigaction\(SIGUSR1, \{sa_handler=$handler, sa_mask=\[\], sa_flags=SA_RESTORER, " "$TMP/t.txt"
	grep -A2 -E "^$pid +kill\($pid, SIGUSR1 <unfinished \.\.\.>$" "$TMP/t.txt" > "$TMP/k.txt"
	grep -Eq "^$pid +getppid\(\) += [0-9]+$" "$TMP/k.txt"
	grep -Eq "^$pid +<\.\.\. kill resumed>\) += 0$" "$TMP/k.txt"
	# signal(): glibc's action, the signal blocked in its handler
	grep -Eq "^$pid +rt_sigaction\(SIGPIPE, \{sa_handler=SIG_IGN, sa_mask=\[PIPE\], sa_flags=SA_RESTORER\|SA_RESTART, " "$TMP/t.txt"
	# posix_spawnp's child (CLONE_VM|CLONE_VFORK) finds no program
	run -127 "$FACET" trace -y --backend preload -o "$TMP/s.txt" -- \
		"$PROGS/spawn" nonexistent-facet-program
	pid=$(sed -n 's/^\([0-9]*\) *execve(.*/\1/p' "$TMP/s.txt" | head -1)
	run grep -E '^[0-9]+ +\+\+\+ exited with 127 \+\+\+$' "$TMP/s.txt"
	[ "${#lines[@]}" -eq 2 ] || fail "$(cat "$TMP/s.txt")"
	[[ "${lines[0]}" != "$pid "* ]]
}

@test "trace preload: a signal handler's calls made while another call of the thread is in flight are recorded (SIGCHLD's waitpid during the blocking one, bash's)" {
	# the handler's wait4 runs from libc's text, where only the catch of
	# every call sees it: it ran unseen while the shim had the selector
	# open for the blocking wait4 (its SIGSYS handler, its gate)
	run --separate-stderr "$FACET" trace -y --backend preload -e trace=wait4 \
		-o "$TMP/t.txt" -- "$PROGS/vtrace_sigchld"
	expect_status 0
	child=$(printf '%s\n' "${lines[@]}" | sed -n 's/^child //p')
	pid=$(sed -n 's/^\([0-9]*\) *wait4(.*/\1/p' "$TMP/t.txt" | head -1)
	# the order under preload (docs/trace-format.md): the start of the
	# call the signal came in, the handler's calls, the end of the call
	grep -A2 -E "^$pid +wait4\($child,  <unfinished \.\.\.>$" "$TMP/t.txt" > "$TMP/w.txt" ||
		fail "$(cat "$TMP/t.txt")"
	sed -n 2p "$TMP/w.txt" | grep -Eq "^$pid +wait4\(-1, 0x[0-9a-f]+, WNOHANG, NULL\) += -1 ECHILD \(No child processes\)$" ||
		fail "$(cat "$TMP/t.txt")"
	sed -n 3p "$TMP/w.txt" | grep -Eq "^$pid +<\.\.\. wait4 resumed>\[\{WIFEXITED\(s\) && WEXITSTATUS\(s\) == 0\}\], 0, NULL\) += $child$" ||
		fail "$(cat "$TMP/t.txt")"
	# the ptracer has strace's order: the whole call, the signal, the
	# handler's call
	run --separate-stderr "$FACET" trace -y --backend ptrace -e trace=wait4 \
		-o "$TMP/p.txt" -- "$PROGS/vtrace_sigchld"
	expect_status 0
	grep -A2 -E "<\.\.\. wait4 resumed>.* = [0-9]+$" "$TMP/p.txt" > "$TMP/w.txt"
	sed -n 2p "$TMP/w.txt" | grep -q -- '--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, '
	sed -n 3p "$TMP/w.txt" | grep -Eq 'wait4\(-1, 0x[0-9a-f]+, WNOHANG, NULL\) += -1 ECHILD '
	# bash reaps in its SIGCHLD handler too: every child's, after the
	# wait for it
	run "$FACET" trace -y --backend preload -e trace=wait4 -o "$TMP/b.txt" -- \
		bash -c '/bin/true; /bin/true'
	expect_status 0
	grep -Eq '^[0-9]+ +wait4\(-1, 0x[0-9a-f]+, WNOHANG, NULL\) += -1 ECHILD ' "$TMP/b.txt" ||
		fail "$(cat "$TMP/b.txt")"
}

@test "trace preload: JSONL from a posix_spawn child (36 KiB of stack) whose exec fails: no crash, no hang" {
	# printf's %f crashed the child (SIGSEGV in __printf_fp) while it
	# held the shim's lock, and its parent waited for ever
	run -127 timeout 60 "$FACET" trace -y --backend preload --format jsonl \
		-o "$TMP/t.jsonl" -- "$PROGS/spawn" nonexistent-facet-program
	run python3 -c '
import json, sys
r = [json.loads(l) for l in open(sys.argv[1])]
ex = [x for x in r if x["type"] == "exit"]
assert sorted(x["status"] for x in ex) == [127, 127], ex
' "$TMP/t.jsonl"
	expect_status 0
}

# The trace of a process that ends without exit(): its last write(2) of
# "last words" to stdout, then its end line (strace's, the ptracer's)
last_words() {
	grep -Eq '^[0-9]+ +write\(1, "last words\\n", 11\) += 11$' "$1" ||
		fail "$2: no write: $(cat "$1")"
	tail -n 1 "$1" | grep -Eq "^[0-9]+ +\+\+\+ $3 \+\+\+\$" ||
		fail "$2: last line not '+++ $3 +++': $(cat "$1")"
}

@test "trace preload: a process killed by a signal, crashing, or ending by a raw exit_group keeps its last records, as under the ptracer" {
	local b m
	for b in $BACKENDS; do
		run "$FACET" trace --backend "$b" -e write -o "$TMP/k.txt" -- \
			sh -c 'echo last words; kill -USR1 $$'
		[ "$status" -eq 138 ]
		last_words "$TMP/k.txt" "$b kill -USR1" "killed by SIGUSR1"
		for m in segv:139:"killed by SIGSEGV( \(core dumped\))?" \
			 abort:134:"killed by SIGABRT( \(core dumped\))?" \
			 exit_group:3:"exited with 3"; do
			run "$FACET" trace --backend "$b" -e write -o "$TMP/c.txt" \
				-- "$FACET_BUILD/tests/progs/vtrace_crash" "${m%%:*}"
			m=${m#*:}
			[ "$status" -eq "${m%%:*}" ] || fail "$b: status $status"
			last_words "$TMP/c.txt" "$b vtrace_crash" "${m#*:}"
		done
		# the crash's calls are the program's: no rt_sigaction the
		# shim made to let the fault kill it (SIG_DFL put back)
		run "$FACET" trace --backend "$b" -o "$TMP/c.txt" -- \
			"$FACET_BUILD/tests/progs/vtrace_crash" segv
		[ "$status" -eq 139 ] || fail "$b: status $status"
		! grep -q 'rt_sigaction(SIGSEGV' "$TMP/c.txt" ||
			fail "$b: $(grep 'rt_sigaction(SIGSEGV' "$TMP/c.txt")"
	done
}

@test "trace preload: a child killed by another process (SIGTERM, SIGKILL) and reaped by its parent keeps its records" {
	local b sig
	for b in $BACKENDS; do
		for sig in TERM KILL; do
			run "$FACET" trace --backend "$b" -e write -o "$TMP/t.txt" \
				-- sh -c "(echo last words; while :; do :; done) &
					  sleep 0.3; kill -$sig \$!; wait"
			expect_status 0
			grep -Eq '^[0-9]+ +write\(1, "last words\\n", 11\) += 11$' \
				"$TMP/t.txt" || fail "$b $sig: $(cat "$TMP/t.txt")"
		done
	done
}

@test "trace preload: --per-process: a killed process's file keeps its trace before its end line" {
	local b
	for b in $BACKENDS; do
		rm -f "$TMP"/pp.txt.*
		run "$FACET" trace --backend "$b" -e write --per-process \
			-o "$TMP/pp.txt" -- sh -c 'echo last words; kill -USR1 $$'
		[ "$status" -eq 138 ]
		last_words "$(ls "$TMP"/pp.txt.*)" "$b" "killed by SIGUSR1"
	done
}

# in_call PID NR: wait (10 s at most) until a thread of process PID
# sleeps in system call NR (/proc/PID/task/TID/syscall)
in_call() {
	local i f nr rest
	for i in $(seq 200); do
		for f in /proc/"$1"/task/*/syscall; do
			[ -e "$f" ] && read -r nr rest < "$f" || continue
			[ "$nr" = "$2" ] && return 0
		done
		sleep 0.05
	done
	fail "process $1 is not in call $2"
}

# line_of FILE REGEX: the number of FILE's first line matching REGEX
line_of() {
	grep -n -m1 -E "$2" "$1" | cut -d: -f1 | grep . ||
		fail "no line '$2' in: $(cat "$1")"
}

@test "trace preload: the call a process kills itself with has its line, as strace: kill(), raise(), abort() return 0, SIGKILL's '= ?'" {
	local b p
	for b in $BACKENDS; do
		run "$FACET" trace --backend "$b" -e write,kill -o "$TMP/k.txt" -- \
			sh -c 'echo last words; kill -USR1 $$'
		[ "$status" -eq 138 ]
		p=$(sed -n 's/^\([0-9]*\) *write(.*/\1/p' "$TMP/k.txt")
		grep -Eq "^$p +kill\($p, SIGUSR1\) += 0$" "$TMP/k.txt" ||
			fail "$b: $(cat "$TMP/k.txt")"
		last_words "$TMP/k.txt" "$b kill -USR1" "killed by SIGUSR1"
		# on stderr too (the brief's command), no pid prefix
		run --separate-stderr "$FACET" trace --backend "$b" -e write,kill \
			-- sh -c 'echo hi; kill -USR1 $$'
		[ "$status" -eq 138 ]
		printf '%s\n' "${stderr_lines[@]}" |
			grep -Eq '^kill\([0-9]+, SIGUSR1\) += 0$' || fail "$b: $stderr"
		[ "${stderr_lines[-1]}" = "+++ killed by SIGUSR1 +++" ] ||
			fail "$b: $stderr"
		# SIGKILL ends it in the call: strace's "= ?"
		run "$FACET" trace --backend "$b" -e write,kill -o "$TMP/k.txt" -- \
			sh -c 'echo last words; kill -KILL $$'
		[ "$status" -eq 137 ]
		p=$(sed -n 's/^\([0-9]*\) *write(.*/\1/p' "$TMP/k.txt")
		grep -Eq "^$p +kill\($p, SIGKILL\) += \?$" "$TMP/k.txt" ||
			fail "$b: $(cat "$TMP/k.txt")"
		last_words "$TMP/k.txt" "$b kill -KILL" "killed by SIGKILL"
		# raise() and abort(): glibc's tgkill()
		run "$FACET" trace --backend "$b" -e tgkill -o "$TMP/r.txt" -- \
			"$PROGS/vtrace_inflight" raise "$TMP/pid"
		[ "$status" -eq 138 ]
		read -r p _ < "$TMP/pid"
		grep -Eq "^$p +tgkill\($p, $p, SIGUSR1\) += 0$" "$TMP/r.txt" ||
			fail "$b raise: $(cat "$TMP/r.txt")"
		run "$FACET" trace --backend "$b" -e write,tgkill -o "$TMP/a.txt" \
			-- "$PROGS/vtrace_crash" abort
		[ "$status" -eq 134 ]
		p=$(sed -n 's/^\([0-9]*\) *write(.*/\1/p' "$TMP/a.txt")
		grep -Eq "^$p +tgkill\($p, $p, SIGABRT\) += 0$" "$TMP/a.txt" ||
			fail "$b abort: $(cat "$TMP/a.txt")"
	done
}

@test "trace preload: a thread raise()s a signal while the main thread waits in a call: both calls have their lines, as strace" {
	local b p t f r e
	for b in $BACKENDS; do
		run "$FACET" trace --backend "$b" -e futex,tgkill -o "$TMP/t.txt" \
			-- "$PROGS/vtrace_inflight" thread-raise "$TMP/pid"
		[ "$status" -eq 140 ]
		p=$(sed -n 's/^\([0-9]*\) *futex(.*FUTEX_WAIT_BITSET.*/\1/p' "$TMP/t.txt" | head -1)
		t=$(sed -n 's/^\([0-9]*\) *tgkill(.*/\1/p' "$TMP/t.txt")
		[ -n "$p" ] && [ -n "$t" ] || fail "$b: $(cat "$TMP/t.txt")"
		# the join's futex is cut by the thread's tgkill, which returned
		f=$(line_of "$TMP/t.txt" "^$p +futex\(0x[0-9a-f]+, FUTEX_WAIT_BITSET\|FUTEX_CLOCK_REALTIME, $t, NULL, FUTEX_BITSET_MATCH_ANY <unfinished \.\.\.>$")
		r=$(line_of "$TMP/t.txt" "^$t +tgkill\($p, $t, SIGUSR2\) += 0$")
		e=$(line_of "$TMP/t.txt" "^$p +<\.\.\. futex resumed>\) += \?$")
		[ "$f" -lt "$r" ] && [ "$r" -lt "$e" ] ||
			fail "$b: order: $(cat "$TMP/t.txt")"
		tail -n 1 "$TMP/t.txt" | grep -Eq '\+\+\+ killed by SIGUSR2 \+\+\+$'
	done
}

# start_traced BACKEND OUT CMD...: facet trace of CMD to OUT in the
# background, its stdin a fifo nobody writes (the job: $job); CMD writes
# its pid to $TMP/pid
start_traced() {
	local b=$1
	shift
	rm -f "$TMP/pid"
	[ -p "$TMP/in" ] || mkfifo "$TMP/in"
	exec 8<> "$TMP/in"
	"$FACET" trace --backend "$b" -e read,wait4,clock_nanosleep,futex \
		-o "$1" -- "${@:2}" < "$TMP/in" > "$TMP/o" 2>&1 8>&- &
	job=$!
	for _ in $(seq 200); do
		[ -s "$TMP/pid" ] && return 0
		sleep 0.05
	done
	fail "no $TMP/pid: $(cat "$TMP/o")"
}

@test "trace preload: a process killed by another while it waits in a call (wait4, clock_nanosleep, a thread's read, futex) has that call's line, '<unfinished ...>) = ?', as strace (SIGTERM: strace's ERESTART under ptrace)" {
	local b sig sh sl p t rest
	for b in $BACKENDS; do
		for sig in TERM KILL; do
			# sh waits for sleep: both are killed in their call
			start_traced "$b" "$TMP/w.txt" sh -c \
				'echo $$ > "$1"; sleep 100; :' sh "$TMP/pid"
			read -r sh < "$TMP/pid"
			in_call "$sh" 61
			sl=$(tr -d " " < /proc/"$sh"/task/"$sh"/children)
			in_call "$sl" 230
			kill -"$sig" "$sh" "$sl"
			wait "$job" || :
			# whole, or its start cut by the other's line (strace's)
			if is_ptracer "$b" && [ "$sig" = TERM ]; then
				grep -Eq "^$sh +(wait4\(-1, 0x[0-9a-f]+, 0, NULL|<\.\.\. wait4 resumed>0x[0-9a-f]+, 0, NULL)\) += \? ERESTARTSYS " "$TMP/w.txt" &&
				grep -Eq "^$sl +(clock_nanosleep\(CLOCK_REALTIME, 0, \{tv_sec=100, tv_nsec=0\}, |<\.\.\. clock_nanosleep resumed>)(\{tv_sec=[0-9]+, tv_nsec=[0-9]+\}|0x[0-9a-f]+)\) += \? ERESTART_RESTARTBLOCK " "$TMP/w.txt" ||
					fail "$b $sig: $(cat "$TMP/w.txt")"
			else
				grep -Eq "^$sh +(wait4\(-1, |<\.\.\. wait4 resumed>) <unfinished \.\.\.>\) += \?$" "$TMP/w.txt" &&
				grep -Eq "^$sl +(clock_nanosleep\(CLOCK_REALTIME, 0, \{tv_sec=100, tv_nsec=0\}, |<\.\.\. clock_nanosleep resumed>) <unfinished \.\.\.>\) += \?$" "$TMP/w.txt" ||
					fail "$b $sig: $(cat "$TMP/w.txt")"
			fi
			grep -Eq "^$sh +wait4\(-1, " "$TMP/w.txt" &&
			grep -Eq "^$sl +clock_nanosleep\(CLOCK_REALTIME, 0, " "$TMP/w.txt" &&
			grep -Eq "^$sh +\+\+\+ killed by SIG$sig \+\+\+$" "$TMP/w.txt" &&
			grep -Eq "^$sl +\+\+\+ killed by SIG$sig \+\+\+$" "$TMP/w.txt" ||
				fail "$b $sig: $(cat "$TMP/w.txt")"
			# a thread in read(), the main one in pthread_join()
			start_traced "$b" "$TMP/r.txt" "$PROGS/vtrace_inflight" \
				thread "$TMP/pid"
			read -r p t < "$TMP/pid"
			in_call "$p" 0
			in_call "$p" 202
			kill -"$sig" "$p"
			wait "$job" || :
			# started first, or cut by the other's line and resumed
			rest='(\) += \? ERESTARTSYS .*|\) += \?)$'
			is_ptracer "$b" && [ "$sig" = TERM ] ||
				rest='\) += \?$'
			grep -Eq "^$t +(read\(0, (0x[0-9a-f]+, 1| <unfinished \.\.\.>)|<\.\.\. read resumed>( <unfinished \.\.\.>|0x[0-9a-f]+, 1))$rest" "$TMP/r.txt" &&
			grep -Eq "^$t +read\(0, " "$TMP/r.txt" &&
			grep -Eq "^$p +futex\(0x[0-9a-f]+, FUTEX_WAIT_BITSET\|FUTEX_CLOCK_REALTIME, $t, NULL, FUTEX_BITSET_MATCH_ANY" "$TMP/r.txt" &&
			grep -Eq "^$p +(futex\(0x[0-9a-f]+, FUTEX_WAIT_BITSET\|FUTEX_CLOCK_REALTIME, $t, NULL, FUTEX_BITSET_MATCH_ANY|<\.\.\. futex resumed>)$rest" "$TMP/r.txt" ||
				fail "$b $sig: $(cat "$TMP/r.txt")"
			tail -n 1 "$TMP/r.txt" | grep -Eq "\+\+\+ killed by SIG$sig \+\+\+$" ||
				fail "$b $sig: $(cat "$TMP/r.txt")"
		done
	done
	exec 8>&-
}
