#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# facet - tests/shell/report.bats: `facet report` on hand-made JSONL traces
#
# tests/data/report-a.jsonl: three processes (sh, cat, python3), failed
# calls, network endpoints, an unknown record type, unknown fields, and a
# last line cut short.  report-b.jsonl: the same lab run by another student
# (other files, other endpoint), complete.  Reading a trace involves no
# backend; the end-to-end test at the bottom records under each backend.

load helper
bats_require_minimum_version 1.5.0

DATA=$BATS_TEST_DIRNAME/../data
A=$DATA/report-a.jsonl
B=$DATA/report-b.jsonl

setup() {
	TMP=$(world_tmp)
}

teardown() {
	rm -rf "$TMP"
}

# html_check FILE: parse with python3's html.parser, fail on unbalanced or
# misnested tags, external resources or scripts; print "svg=N rect=N" and
# then the page's text, one chunk per line
html_check() {
	python3 - "$1" <<'PY'
import html.parser, re, sys

VOID = {"meta", "br", "hr", "img", "input", "link", "col", "wbr"}
SVG_LEAF = {"rect", "line", "text", "title", "circle", "path"}

class Check(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.count, self.text = [], {}, []

    def handle_starttag(self, tag, attrs):
        self.count[tag] = self.count.get(tag, 0) + 1
        if tag in ("script", "link", "img", "iframe", "object"):
            sys.exit("forbidden element <%s>" % tag)
        for k, v in attrs:
            if k in ("src", "href") or (v and re.match(r"\s*(https?:|//)", v)
                                        and k != "xmlns"):
                sys.exit("external resource: %s=%s" % (k, v))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.count[tag] = self.count.get(tag, 0) + 1

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            sys.exit("misnested </%s>, open: %s" % (tag, self.stack[-3:]))
        self.stack.pop()

    def handle_data(self, data):
        if data.strip():
            self.text.append(data.strip())

src = open(sys.argv[1], encoding="utf-8").read()
if not src.startswith("<!DOCTYPE html>"):
    sys.exit("no doctype")
p = Check()
p.feed(src)
p.close()
if p.stack:
    sys.exit("unclosed: %s" % p.stack)
print("svg=%d rect=%d table=%d" % (p.count.get("svg", 0),
      p.count.get("rect", 0), p.count.get("table", 0)))
print("\n".join(p.text))
PY
}

@test "report: text summary of a trace with several processes" {
	run --separate-stderr "$FACET" report "$A"
	expect_status 0
	[[ "$output" == *"Command: sh -c 'cat /etc/hostname; python3 client.py'"* ]]
	[[ "$output" == *"3 processes, 16 system calls (3 failed), 0.003597 s in system calls"* ]]
	# processes: pid, ppid, calls, errors, time, exit, command
	echo "$output" | grep -Eq '^ +100 +- +5 +0 +0\.003017 exit 137 +sh -c'
	echo "$output" | grep -Eq '^ +101 +100 +5 +1 +0\.000382 exit 0 +cat /etc/hostname$'
	echo "$output" | grep -Eq '^ +102 +100 +6 +2 +0\.000198 SIGKILL +python3 client.py$'
	# per syscall, as strace -c: % time, seconds, usecs/call, calls, errors
	echo "$output" | grep -Eq '^ 83\.40 +0\.003000 +1500 +2 +0 wait4$'
	echo "$output" | grep -Eq '^ +1\.47 +0\.000053 +13 +4 +1 openat$'
	echo "$output" | grep -Eq '^ +3\.89 +0\.000140 +70 +2 +1 connect$'
	echo "$output" | grep -Eq '^100\.00 +0\.003597 +225 +16 +3 total$'
}

@test "report: process tree, files, endpoints, slowest calls" {
	run --separate-stderr "$FACET" report "$A"
	expect_status 0
	[[ "$output" == *"Process tree
100 sh -c 'cat /etc/hostname; python3 client.py' [exit 137]
|- 101 cat /etc/hostname [exit 0]
\`- 102 python3 client.py [killed by SIGKILL]"* ]]
	[[ "$output" == *"Files opened
   CALLS  PATH (HOW)
       1  /bin/cat (execve)
       1  /etc/hostname (openat)
       1  /etc/ld.so.cache (openat)
       1  client.py (openat)
"* ]]
	[[ "$output" == *"Failed file accesses
   CALLS  PATH (HOW)
       2  /etc/missing.conf (ENOENT)
"* ]]
	echo "$output" | grep -Eq '^  inet:127\.0\.0\.1:8080 +connect +1 +0$'
	echo "$output" | grep -Eq '^  inet:127\.0\.0\.1:8080 +sendto +1 +0$'
	echo "$output" | grep -Eq '^  inet6:\[::1\]:80 +connect +1 +1$'
	# the slowest first; ten of them
	first=$(echo "$output" | sed -n '/^Slowest calls/{n;n;p}')
	[[ "$first" == *"0.002000      100  wait4(-1, "*") = 101" ]]
	n=$(echo "$output" | sed -n '/^Slowest calls/,$p' | tail -n +3 | wc -l)
	[ "$n" -eq 10 ]
	[[ "$output" == *'= -1 ECONNREFUSED (Connection refused)'* ]]
	# /etc/ld.so.cache read through an fd is not a file-class call
	[ "$(echo "$output" | grep -c 'ld.so.cache (')" -eq 1 ]
}

@test "report: a last line cut short is skipped with a warning" {
	run --separate-stderr "$FACET" report "$A"
	expect_status 0
	[[ "$stderr" == "facet: "*"report-a.jsonl:27: last line cut short, skipped"* ]]
	[ "$(echo "$stderr" | wc -l)" -eq 1 ]
	[[ "$output" == *"Note: the last line was cut short and skipped"* ]]
	# cut at any byte of any line, the trace still reads
	for n in 200 1000 3000 5000; do
		head -c "$n" "$B" > "$TMP/cut.jsonl"
		run --separate-stderr "$FACET" report "$TMP/cut.jsonl"
		expect_status 0
		[[ "$output" == *"Processes"* ]]
	done
}

@test "report: unknown fields and record types are ignored" {
	grep -q '"future_field"' "$A"
	grep -q '"type":"annotation"' "$A"
	run --separate-stderr "$FACET" report "$A"
	expect_status 0
	[[ "$output" == *"16 system calls"* ]]
	[[ "$stderr" != *annotation* ]]
}

@test "report: a trace on standard input" {
	run --separate-stderr sh -c '"$0" report - < "$1"' "$FACET" "$B"
	expect_status 0
	[[ "$output" == *"Trace: (stdin)"* ]]
	[[ "$output" == *"3 processes, 14 system calls (0 failed)"* ]]
	[ -z "$stderr" ]
}

@test "report: per-process files read as one trace" {
	for pid in 200 201 202; do
		{ head -n 1 "$B"; grep "\"pid\":$pid," "$B"; } > "$TMP/b.jsonl.$pid"
	done
	run --separate-stderr "$FACET" report "$TMP"/b.jsonl.*
	expect_status 0
	[[ "${lines[0]}" == "Trace: $TMP/b.jsonl.200 and 2 more files (facet 0.1)" ]]
	run --separate-stderr "$FACET" report "$B"
	whole=$(tail -n +2 <<< "$output")
	run --separate-stderr "$FACET" report "$TMP"/b.jsonl.*
	diff <(echo "$whole") <(tail -n +2 <<< "$output")
}

@test "report --diff: files, endpoints and syscall counts of two runs" {
	run "$FACET" report --diff "$A" "$B"
	expect_status 1
	[[ "$output" == *"Files opened only in A
  /etc/hostname (openat)

Files opened only in B
  /etc/hosts (openat)
"* ]]
	[[ "$output" == *"Failed file accesses only in A
  /etc/missing.conf (ENOENT)

Failed file accesses only in B
  (none)
"* ]]
	[[ "$output" == *"Endpoints only in A
  inet6:[::1]:80 (connect)
  inet:127.0.0.1:8080 (connect,sendto)

Endpoints only in B
  inet:127.0.0.1:9090 (connect,sendto)
"* ]]
	echo "$output" | grep -Eq '^  connect +2 +1$'
	echo "$output" | grep -Eq '^  newfstatat +1 +0$'
	echo "$output" | grep -Eq '^  openat +4 +3$'
	echo "$output" | grep -Eq '^  read +2 +3$'
	! echo "$output" | grep -Eq '^  wait4 '
	[[ "$output" == *"10 differences" ]]
	# the other way round, B's files are A's
	run "$FACET" report --diff "$B" "$A"
	expect_status 1
	[[ "$output" == *"Files opened only in A
  /etc/hosts (openat)"* ]]
	# a trace compared with itself: no difference, status 0
	run "$FACET" report "$B" --diff "$B"
	expect_status 0
	[[ "$output" == *"0 differences" ]]
}

@test "report --html: one valid self-contained page with SVG charts" {
	run "$FACET" report --html "$TMP/r.html" "$A"
	expect_status 0
	run html_check "$TMP/r.html"
	expect_status 0
	[[ "${lines[0]}" =~ ^svg=2\ rect=([0-9]+)\ table=7$ ]]
	# lanes + 16 calls + legend + 10 bars, at least
	[ "${BASH_REMATCH[1]}" -ge 30 ]
	for want in "16 system calls (3 failed), 0.003597 s in system calls" \
		    "Killed by a signal" \
		    "System calls over time" "Top system calls by time" \
		    "0.003000 s, 2 calls, 0 errors" "wait4" "0.003017" \
		    "exit 137" "SIGKILL" "/etc/missing.conf" "ENOENT" \
		    "inet6:[::1]:80" "inet:127.0.0.1:8080" "sendto" \
		    "/etc/hostname" "python3 client.py" "83.40" "1500"; do
		[[ "$output" == *"$want"* ]] || fail "HTML lacks '$want'"
	done
	grep -q '<svg class="chart" id="timeline"' "$TMP/r.html"
	grep -q '<svg class="chart" id="topcalls"' "$TMP/r.html"
	# one lane per process, labelled
	grep -q '>102 python3 client.py</text>' "$TMP/r.html"
	# charts and styles inline: nothing fetched
	! grep -Eq '<script|<link|src=|@import|url\(' "$TMP/r.html"
	# to stdout with '-'
	run --separate-stderr "$FACET" report --html - "$B"
	expect_status 0
	[[ "$output" == "<!DOCTYPE html>"* ]]
}

@test "report --html: renders in headless chromium (skipped without it)" {
	command -v chromium >/dev/null || skip "chromium is not installed"
	"$FACET" report --html "$TMP/r.html" "$A" 2>/dev/null
	art=$FACET_BUILD/tests/artifacts
	mkdir -p "$art"
	rm -f "$art/report.png"
	run timeout 120 chromium --headless --no-sandbox --disable-gpu \
		--user-data-dir="$TMP/chromium" --window-size=1100,1400 \
		--screenshot="$art/report.png" "file://$TMP/r.html"
	expect_status 0
	[ -s "$art/report.png" ]
	# the DOM chromium built holds both charts and their shapes
	run timeout 120 chromium --headless --no-sandbox --disable-gpu \
		--user-data-dir="$TMP/chromium" --dump-dom "file://$TMP/r.html"
	expect_status 0
	[[ "$output" == *'<svg class="chart" id="timeline"'* ]]
	[[ "$output" == *'<svg class="chart" id="topcalls"'* ]]
	[[ "$output" == *'0.003000 s, 2 calls, 0 errors'* ]]
}

@test "report: facet's own errors are one line with status 125" {
	printf '{"type":"header","v":2,"argv":[],"start":1}\n' > "$TMP/v2.jsonl"
	printf '{"type":"header","v":1,"argv":[],"start":1}\nnot json\n{"type":"exit","v":1,"pid":1,"status":0}\n' > "$TMP/mid.jsonl"
	printf '{"type":"syscall","v":1,"pid":1,"name":"read"}\n' > "$TMP/nohdr.jsonl"
	: > "$TMP/empty.jsonl"
	for f in "/nonexistent/t.jsonl|cannot read trace /nonexistent/t.jsonl: No such file or directory" \
		 "$TMP|$TMP is a directory: give the trace files in it (facet report $TMP/T.jsonl.* reads per-process files as one trace)" \
		 "$TMP/v2.jsonl|v2.jsonl:1: trace schema version 2 is newer than this facet reads (1)" \
		 "$TMP/mid.jsonl|mid.jsonl:2: invalid JSON" \
		 "$TMP/nohdr.jsonl|nohdr.jsonl:1: no trace header: not a facet JSONL trace" \
		 "$TMP/empty.jsonl|empty.jsonl: empty file, no trace recorded: record one with 'facet trace --trace-format jsonl -o FILE'" \
		 "/bin/sh|/bin/sh:1: invalid JSON"; do
		run "$FACET" report "${f%%|*}"
		expect_status 125
		[ "${#lines[@]}" -eq 1 ] || fail "not one line: $output"
		[[ "$output" == "facet: "*"${f#*|}"* ]] || fail "got: $output"
	done
	run "$FACET" report
	expect_status 125
	expect_output "facet: no trace given: facet report TRACE.jsonl"
	run "$FACET" report --diff "$A" "$B" "$B"
	expect_status 125
	[[ "$output" == "facet: --diff compares two traces"* ]]
	run "$FACET" report --diff "$A"
	expect_status 125
	[[ "$output" == "facet: --diff compares two traces"* ]]
	run "$FACET" report --diff --html x.html "$A" "$B"
	expect_status 125
	[[ "$output" == "facet: --diff and --html cannot be combined"* ]]
	run "$FACET" report --html
	expect_status 125
	run "$FACET" report --bogus "$A"
	expect_status 125
	expect_output "facet: unknown option '--bogus': try 'facet report --help'"
	run "$FACET" report --html /nonexistent/r.html "$A"
	expect_status 125
	[[ "$output" == *"cannot write /nonexistent/r.html: No such file or directory" ]]
	run "$FACET" report --help
	expect_status 0
	[[ "$output" == "Usage: facet report"* ]]
}

@test "report: a trace the user may not read, as an unprivileged user" {
	cp "$B" "$TMP/secret.jsonl"
	chmod 600 "$TMP/secret.jsonl"
	run as_nobody "$FACET" report "$TMP/secret.jsonl"
	expect_status 125
	expect_output "facet: cannot read trace $TMP/secret.jsonl: Permission denied"
	chmod 644 "$TMP/secret.jsonl"
	run as_nobody "$FACET" report --html "$TMP/out.html" "$TMP/secret.jsonl"
	expect_status 0
	[ -s "$TMP/out.html" ]
}

@test "report: mangled traces never crash (status 0, 1 or 125)" {
	# Fields replaced by every JSON type, removed, bytes cut or inserted:
	# each run ends with a report or with one line and status 125
	run python3 - "$FACET" "$A" "$B" "$TMP" <<'PY'
import json, random, subprocess, sys
facet, a, b, tmp = sys.argv[1:]
random.seed(5)
lines = [l for l in open(a).read().split("\n") if l]
vals = [None, 0, -1, 2**63, 1.5, 1e308, "", "x" * 3000, [], {}, [None],
        [1, [2]], True, "\u0000", "<&>"]

def mutate(o):
    if isinstance(o, dict) and o:
        k = random.choice(list(o))
        r = random.random()
        if r < 0.6:
            o[k] = random.choice(vals)
        elif r < 0.8:
            del o[k]
        else:
            mutate(o[k])
    elif isinstance(o, list) and o:
        o[random.randrange(len(o))] = random.choice(vals)

for n in range(40):
    out = []
    for l in lines:
        try:
            o = json.loads(l)
        except ValueError:
            out.append(l)
            continue
        if random.random() < 0.3:
            mutate(o)
        s = json.dumps(o)
        if random.random() < 0.03:
            p = random.randrange(len(s))
            s = s[:p] + random.choice(["", "}", "\"", "\\", "\x00"]) + s[p + 1:]
        out.append(s)
    path = "%s/m%d.jsonl" % (tmp, n)
    open(path, "w").write("\n".join(out) + ("\n" if n % 2 else ""))
    for args in (["report"], ["report", "--html", tmp + "/m.html"],
                 ["report", "--diff", b]):
        r = subprocess.run([facet] + args + [path], capture_output=True)
        err = r.stderr.decode(errors="replace")
        if r.returncode not in (0, 1, 125) or \
           (r.returncode == 125 and err.count("\n") != 1):
            sys.exit("%s %s: status %d: %s" % (args, path, r.returncode, err))
print("ok")
PY
	expect_status 0
	expect_output "ok"
}

@test "report: end to end on a trace facet recorded (skipped without facet trace)" {
	run "$FACET" trace --help
	[ "$status" -eq 0 ] || skip "'facet trace' is not part of this build"
	fmt=--trace-format
	[[ "$output" == *--trace-format* ]] || fmt=--format
	for b in $BACKENDS; do
		rm -f "$TMP/x.jsonl"
		run "$FACET" trace --backend "$b" $fmt jsonl -o "$TMP/x.jsonl" \
			-- sh -c 'ls / > /dev/null; cat /nonexistent-facet 2>/dev/null; exit 3'
		expect_status 3
		run --separate-stderr "$FACET" report "$TMP/x.jsonl"
		expect_status 0
		[ -z "$stderr" ] || fail "warnings: $stderr"
		# sh and its two children, each with its command and exit
		echo "$output" | grep -Eq '^ +[0-9]+ +- +[0-9]+ +[0-9]+ +[0-9.]+ exit 3 +sh -c'
		echo "$output" | grep -Eq ' exit 0 +ls /$'
		echo "$output" | grep -Eq ' exit 1 +cat /nonexistent-facet$'
		echo "$output" | grep -Eq '^\|- [0-9]+ ls / \[exit 0\]$'
		echo "$output" | grep -Eq '^`- [0-9]+ cat /nonexistent-facet \[exit 1\]$'
		echo "$output" | grep -Eq '^ +[0-9.]+ +[0-9.]+ +[0-9]+ +[0-9]+ +[0-9]+ execve$'
		sed -n '/^Failed file accesses/,/^$/p' <<< "$output" |
			grep -q '/nonexistent-facet (ENOENT)'
		sed -n '/^Files opened/,/^$/p' <<< "$output" | grep -Eq '  /bin/(ls|cat) \(|  /usr/bin/(ls|cat) \('
		run "$FACET" report --html "$TMP/x.html" "$TMP/x.jsonl"
		expect_status 0
		run html_check "$TMP/x.html"
		expect_status 0
		[[ "${lines[0]}" == "svg=2 "* ]]
		run "$FACET" report --diff "$TMP/x.jsonl" "$TMP/x.jsonl"
		expect_status 0
		# the same run, a file per process, reads as the same processes
		rm -f "$TMP"/pp.jsonl.*
		run "$FACET" trace --backend "$b" $fmt jsonl --per-process \
			-o "$TMP/pp.jsonl" -- sh -c 'ls / > /dev/null; exit 3'
		expect_status 3
		[ "$(ls "$TMP"/pp.jsonl.* | wc -l)" -eq 2 ]
		run --separate-stderr "$FACET" report "$TMP"/pp.jsonl.*
		expect_status 0
		[[ "${lines[0]}" == "Trace: $TMP/pp.jsonl."*" and 1 more file (facet "* ]]
		echo "$output" | grep -Eq ' exit 3 +sh -c'
		echo "$output" | grep -Eq '^`- [0-9]+ ls / \[exit 0\]$'
		command -v chromium >/dev/null || continue
		mkdir -p "$FACET_BUILD/tests/artifacts"
		run timeout 120 chromium --headless --no-sandbox --disable-gpu \
			--user-data-dir="$TMP/chromium" --window-size=1100,1400 \
			--screenshot="$FACET_BUILD/tests/artifacts/report-e2e-$b.png" \
			"file://$TMP/x.html"
		expect_status 0
	done
}

@test "report: the trace of a command killed by a signal is a trace, every backend" {
	# Under preload a killed process loses the records it gathered; the
	# JSONL header must not be among them, or the file is no trace at all
	for b in $BACKENDS; do
		rm -f "$TMP/k.jsonl"
		run "$FACET" trace --backend "$b" --format jsonl -o "$TMP/k.jsonl" \
			-- sh -c 'kill -9 $$'
		expect_status 137
		head -n1 "$TMP/k.jsonl" | grep -q '^{"type":"header",'
		run --separate-stderr "$FACET" report "$TMP/k.jsonl"
		expect_status 0
		echo "$output" | grep -Eq "^ +[0-9]+ +- +[0-9]+ +[0-9]+ +[0-9.]+ SIGKILL +sh -c 'kill -9 \\\$\\\$'$"
		run "$FACET" report --diff "$TMP/k.jsonl" "$TMP/k.jsonl"
		expect_status 0
	done
}

# sc_table: "name calls errors" lines of an strace -c like table on stdin
sc_table() {
	awk 'NF >= 5 && $1 !~ /^-/ && $NF != "syscall" {
		print $NF, $4, (NF == 6 ? $5 : 0) }' | sort
}

@test "report: the System calls table counts what facet trace -c counts, every backend" {
	# exit_group and calls cut short by a kill never return: strace -c and
	# facet trace -c leave them out, and so does the report
	for b in $BACKENDS; do
		rm -f "$TMP/c.jsonl"
		run --separate-stderr "$FACET" trace --backend "$b" --format jsonl \
			-o "$TMP/c.jsonl" -C -- sh -c 'ls / > /dev/null; cat /nonexistent-facet 2>/dev/null; exit 3'
		expect_status 3
		sc_table <<< "$stderr" > "$TMP/trace-c"
		grep -q '^exit_group "' "$TMP/c.jsonl" || grep -q '"name":"exit_group"' "$TMP/c.jsonl"
		run "$FACET" report "$TMP/c.jsonl"
		expect_status 0
		sed -n '/^System calls/,/^$/p' <<< "$output" | sc_table > "$TMP/report-c"
		diff "$TMP/trace-c" "$TMP/report-c"
		! grep -q '^exit_group ' "$TMP/report-c"
		# the head line's total is the table's
		total=$(awk '$1 == "total" { print $2 }' "$TMP/report-c")
		echo "$output" | grep -q " $total system calls "
	done
}

@test "report --diff: two runs of one program are the same whatever their pids, every backend" {
	# /proc/PID paths differ from run to run and are compared as PID
	for b in $BACKENDS; do
		for i in 1 2; do
			rm -f "$TMP/r$i.jsonl"
			run "$FACET" trace --backend "$b" --format jsonl -o "$TMP/r$i.jsonl" \
				-- sh -c 'exec cat /proc/$$/stat /proc/$$/task/$$/comm /nonexistent-facet'
			expect_status 1
		done
		grep -q "/proc/[0-9]*/task/[0-9]*/comm" "$TMP/r1.jsonl"
		run "$FACET" report --diff "$TMP/r1.jsonl" "$TMP/r2.jsonl"
		expect_status 0
		[ "${lines[-1]}" = "0 differences" ]
		# another program: status 1, what differs named
		rm -f "$TMP/r3.jsonl"
		run "$FACET" trace --backend "$b" --format jsonl -o "$TMP/r3.jsonl" \
			-- sh -c 'exec cat /proc/$$/status /nonexistent-facet'
		run "$FACET" report --diff "$TMP/r1.jsonl" "$TMP/r3.jsonl"
		expect_status 1
		sed -n '/^Files opened only in A/,/^$/p' <<< "$output" | grep -qx '  /proc/PID/stat (openat)'
		sed -n '/^Files opened only in A/,/^$/p' <<< "$output" | grep -qx '  /proc/PID/task/TID/comm (openat)'
		sed -n '/^Files opened only in B/,/^$/p' <<< "$output" | grep -qx '  /proc/PID/status (openat)'
		[[ "${lines[-1]}" =~ ^[0-9]+\ differences$ ]]
	done
}

@test "report: command lines are quoted as a shell reads them back" {
	printf '%s\n' '{"type":"header","v":1,"facet":"0.1","argv":["sh","-c","echo '"'"'hi there'"'"'; ls *","","a\\b"],"start":1}' \
		'{"type":"exec","v":1,"pid":7,"path":"/bin/echo","argv":["echo","it'"'"'s",">x"]}' > "$TMP/q.jsonl"
	run "$FACET" report "$TMP/q.jsonl"
	expect_status 0
	cmd=$(sed -n 's/^Command: //p' <<< "$output")
	[ "$cmd" = "sh -c 'echo '\\''hi there'\\''; ls *' '' 'a\\b'" ] || fail "got: $cmd"
	eval "set -- $cmd"
	[ "$#" -eq 5 ] && [ "$3" = "echo 'hi there'; ls *" ] && [ "$4" = "" ] && [ "$5" = 'a\b' ]
	echo "$output" | grep -qF "7 echo 'it'\''s' '>x' [no exit seen]"
}

@test "report: workers killed by a signal, with their last calls, every backend, as nobody too" {
	# Under preload a worker killed and reaped by its own parent has no
	# exit record; its parent's wait4() says how it ended.  Every backend
	# shows the workers' last calls, the ptracer the signal's delivery too.
	local b who out n
	for b in $BACKENDS; do
		for who in root nobody; do
			out="$TMP/cw-$b-$who.jsonl"
			if [ "$who" = nobody ]; then
				run as_nobody "$FACET" trace --backend "$b" \
					--format jsonl -o "$out" -- \
					"$PROGS/crash_workers" 2
			else
				run "$FACET" trace --backend "$b" --format jsonl \
					-o "$out" -- "$PROGS/crash_workers" 2
			fi
			expect_status 2
			run --separate-stderr "$FACET" report "$out"
			expect_status 0
			# a worker's calls: set_robust_list (glibc's fork, seen
			# by the ptracer only), openat, read, close, write
			n=4
			! is_ptracer "$b" || n=5
			[ "$(echo "$output" | grep -Ec '^ +[0-9]+ +[0-9]+ +'$n' +0 +[0-9.]+ SIGSEGV +')" -eq 2 ] ||
				fail "$b $who: two workers not SIGSEGV: $output"
			echo "$output" | sed -n '/^Killed by a signal$/,/^$/p' >"$TMP/killed"
			[ "$(grep -c 'SIGSEGV' "$TMP/killed")" -ge 2 ] ||
				fail "$b $who: no killed section: $output"
			[ "$(grep -Fc 'write(2, "boom\n", 5) = 5' "$TMP/killed")" -eq 2 ] ||
				fail "$b $who: last calls missing: $(cat "$TMP/killed")"
			if is_ptracer "$b"; then
				[ "$(grep -Fc -- '--- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=NULL} ---' "$TMP/killed")" -eq 2 ] ||
					fail "$b $who: no signal line: $(cat "$TMP/killed")"
			fi
			run "$FACET" report --html "$TMP/cw.html" "$out"
			expect_status 0
			run html_check "$TMP/cw.html"
			expect_status 0
			echo "$output" | grep -Fxq 'Killed by a signal'
			echo "$output" | grep -Fq 'write(2, "boom\n", 5) = 5'
		done
	done
}
