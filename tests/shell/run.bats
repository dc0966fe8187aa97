#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# facet - tests/shell/run.bats: `facet run`, exit statuses, processes

load helper

setup() {
	TMP=$(world_tmp)
	echo "rewritten-hostname" > "$TMP/hostname"
	chmod 644 "$TMP/hostname"
}

teardown() {
	rm -rf "$TMP"
}

@test "exit status of the command is facet's" {
	for b in $BACKENDS; do
		run "$FACET" run --backend "$b" -- sh -c 'exit 3'
		expect_status 3
		run "$FACET" run --backend "$b" -m "$TESTMOD:pass=getppid" -- sh -c 'exit 0'
		expect_status 0
	done
}

@test "a command killed by signal N gives 128+N" {
	for b in $BACKENDS; do
		run "$FACET" run --backend "$b" -- sh -c 'kill -9 $$'
		expect_status 137
		run "$FACET" run --backend "$b" -m "$TESTMOD:pass=openat" -- sh -c 'kill -TERM $$'
		expect_status 143
	done
}

# waited STATUS_OF CMD...: how CMD ended, as its parent's waitpid() sees it,
# with core dumps allowed: "exit N" or "signal N" (plus " core")
waited() {
	python3 -c '
import os, resource, sys
resource.setrlimit(resource.RLIMIT_CORE, (resource.RLIM_INFINITY,) * 2)
pid = os.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
_, st = os.waitpid(pid, 0)
if os.WIFSIGNALED(st):
    print("signal", os.WTERMSIG(st), "core" if os.WCOREDUMP(st) else "")
else:
    print("exit", os.WEXITSTATUS(st))' "$@"
}

@test "a command killed by a signal: facet dies of that signal too (no core of its own), so shells restore the terminal and stop a script on Ctrl-C" {
	cd "$TMP"
	for b in $BACKENDS; do
		for view in "" "--bind $TMP" "--time +1y"; do
			# shellcheck disable=SC2086
			run waited "$FACET" run --backend "$b" $view -- sh -c 'kill -9 $$'
			expect_output "signal 9 "
			# shellcheck disable=SC2086
			run waited "$FACET" run --backend "$b" $view -- sh -c 'kill -SEGV $$'
			expect_output "signal 11 "
			# shellcheck disable=SC2086
			run as_nobody /usr/bin/python3 -c 'import subprocess, sys; print(subprocess.run(sys.argv[1:]).returncode)' "$FACET" run --backend "$b" $view -- sh -c 'kill -INT $$'
			expect_output "-2"
			# an exit with 137 is an exit
			# shellcheck disable=SC2086
			run waited "$FACET" run --backend "$b" $view -- sh -c 'exit 137'
			expect_output "exit 137"
		done
	done
}

@test "SIGSYS not the shim's ends the command as natively: kill -SYS, a SECCOMP_RET_TRAP of its own filter" {
	for b in $BACKENDS; do
		for view in "--bind $TMP" "--time +1y" ""; do
			# shellcheck disable=SC2086
			run "$FACET" run --backend "$b" $view -- sh -c 'kill -SYS $$'
			expect_status 159
			# shellcheck disable=SC2086
			run "$FACET" run --backend "$b" $view -- "$PROGS/seccomp_trap"
			expect_status 159
			[[ "$output" != *survived* ]]
			# shellcheck disable=SC2086
			run "$FACET" run --backend "$b" $view -- "$PROGS/seccomp_trap" ignore
			expect_status 159
			# shellcheck disable=SC2086
			run "$FACET" run --backend "$b" $view -- "$PROGS/seccomp_trap" handler
			expect_status 0
			expect_output "trapped 110 code 1
survived"
		done
	done
}

@test "a missing command gives 127, a non-executable one 126" {
	for b in $BACKENDS; do
		run -127 "$FACET" run --backend "$b" -- no-such-command-facet
		expect_status 127
		[[ "$output" == *"no-such-command-facet: command not found"* ]]
		run "$FACET" run --backend "$b" -- "$TMP/hostname"
		expect_status 126
		[[ "$output" == *"Permission denied"* ]]
		run -127 "$FACET" run --backend "$b" -m "$TESTMOD:pass=execve" -- /nonexistent/x
		expect_status 127
	done
}

@test "malformed options are one-line errors with status 125" {
	run "$FACET" run --no-such-option -- true
	expect_status 125
	[[ "$output" == "facet: unknown option '--no-such-option'"* ]]
	[ "${#lines[@]}" -eq 1 ]
	run "$FACET" run -m nosuchmodule -- true
	expect_status 125
	[[ "$output" == *"no module called 'nosuchmodule'"* ]]
	run "$FACET" run -m "$TESTMOD:nosuchkey=1" -- true
	expect_status 125
	[[ "$output" == *"has no option 'nosuchkey'"* ]]
	run "$FACET" run -m "$TESTMOD:deny" -- true
	expect_status 125
	[[ "$output" == *"needs a value"* ]]
	run "$FACET" run -m "$TESTMOD:deny=notasyscall" -- true
	expect_status 125
	[[ "$output" == *"unknown syscall 'notasyscall'"* ]]
	run "$FACET" run
	expect_status 125
	[[ "$output" == *"no command given"* ]]
	run "$FACET" run --log-level loud -- true
	expect_status 125
	run "$FACET" run --backend warp -- true
	expect_status 125
	run "$FACET" frobnicate
	expect_status 125
	run "$FACET" run --log-level
	expect_status 125
	[[ "$output" == *"needs a value"* ]]
	# an option whose value was left out before '--' (was: '--' taken as
	# the path, the command run without the rule)
	run "$FACET" run --ro -- true
	expect_status 125
	[[ "$output" == *"--ro needs a value"* ]]
	run "$FACET" trace -o -- true
	expect_status 125
	[[ "$output" == *"-o needs a value"* ]]
}

@test "a module .so that is not one is refused clearly" {
	run "$FACET" run -m /lib/x86_64-linux-gnu/libc.so.6 -- true
	expect_status 125
	[[ "$output" == *"is not a facet module"* ]]
	run "$FACET" run -m "$TMP/missing.so" -- true
	expect_status 125
	[[ "$output" == *"cannot load module"* ]]
}

@test "a module with another ABI is refused" {
	cat > "$TMP/oldabi.c" <<'C'
#include <facet/module.h>
static void w(void *s, struct facet_sysset *set) { (void)s; (void)set; }
const struct facet_module facet_module = { .abi = 999,
	.name = "old", .wants = w };
C
	cc -shared -fPIC -I"$BATS_TEST_DIRNAME/../../include" -o "$TMP/oldabi.so" "$TMP/oldabi.c"
	run "$FACET" run -m "$TMP/oldabi.so" -- true
	expect_status 125
	[[ "$output" == *"module ABI 999"*"rebuild it"* ]]
}

@test "a module built for ABI 1 (accessors as functions, no public call head) is refused" {
	# what an ABI 1 header made: the number 1, and facet_nr() called
	# as a function (the call record's layout was the backend's alone)
	cat > "$TMP/abi1.c" <<'C'
#include <facet/module.h>
static void w(void *s, struct facet_sysset *set) { (void)s; facet_sysset_add(set, 110, FACET_HOOK_ENTER); }
static enum facet_verdict e(void *s, struct facet_call *c) { (void)s; (void)c; return FACET_CONTINUE; }
const struct facet_module facet_module = { .abi = 1, .name = "abi1",
	.wants = w, .enter = e };
C
	cc -shared -fPIC -I"$BATS_TEST_DIRNAME/../../include" -o "$TMP/abi1.so" "$TMP/abi1.c"
	for b in $BACKENDS; do
		run "$FACET" run --backend "$b" -m "$TMP/abi1.so" -- touch "$TMP/ran"
		expect_status 125
		[ "${#lines[@]}" -eq 1 ]
		[[ "$output" == *"module ABI 1, this facet has ABI 2"*"rebuild it"* ]]
		[ ! -e "$TMP/ran" ]
	done
}

@test "path rewrite: cat /etc/hostname shows the rewritten file" {
	for b in $BACKENDS; do
		run "$FACET" run --backend "$b" -m "$TESTMOD:rewrite=/etc/hostname>$TMP/hostname" -- cat /etc/hostname
		expect_status 0
		expect_output "rewritten-hostname"
	done
}

@test "deny with an errno" {
	for b in $BACKENDS; do
		run "$FACET" run --backend "$b" -m "$TESTMOD:deny=mkdir,errno=13" -- mkdir "$TMP/d"
		expect_status 1
		[[ "$output" == *"Permission denied"* ]]
		[ ! -e "$TMP/d" ]
		run "$FACET" run --backend "$b" -m "$TESTMOD:deny=mkdir,errno=28" -- mkdir "$TMP/d"
		[[ "$output" == *"No space left on device"* ]]
	done
}

@test "return an fd: by notification and from a ptrace stop" {
	for b in $BACKENDS; do
		run "$FACET" run --backend "$b" -m "$TESTMOD:fd=/facet/virtual>$TMP/hostname" -- cat /facet/virtual
		expect_status 0
		expect_output "rewritten-hostname"
		# rewrite makes openat a ptrace stop: the fd goes the other way
		run "$FACET" run --backend "$b" -m "$TESTMOD:fd=/facet/virtual>$TMP/hostname,rewrite=/x>/y" -- cat /facet/virtual
		expect_status 0
		expect_output "rewritten-hostname"
		# O_CLOEXEC of the caller is kept
		run "$FACET" run --backend "$b" -m "$TESTMOD:fd=/facet/virtual>$TMP/hostname" -- python3 -c '
import os
fd = os.open("/facet/virtual", os.O_RDONLY | os.O_CLOEXEC)
print(os.get_inheritable(fd), os.read(fd, 100).decode().strip())'
		expect_output "False rewritten-hostname"
	done
}

@test "change a result on exit, and poke caller memory" {
	for b in $BACKENDS; do
		run "$FACET" run --backend "$b" -m "$TESTMOD:result=getppid>4242" -- sh -c 'echo $PPID'
		expect_output 4242
		run "$FACET" run --backend "$b" -m "$TESTMOD:nodename=facet-view" -- uname -n
		expect_output facet-view
	done
}

@test "a module late in a long chain keeps its scratch from enter to exit" {
	# the preload shim keeps four modules' scratch blocks in the frame of
	# a wanted call, a longer chain's elsewhere: the fourth and the sixth
	for b in $BACKENDS; do
		for n in 3 5; do
			m=
			i=0
			while [ $i -lt $n ]; do
				m="$m -m $TESTMOD:pass=getppid"
				i=$((i + 1))
			done
			run "$FACET" run --backend "$b" $m -m "$TESTMOD:result=getppid>4242" -- sh -c 'echo $PPID'
			expect_output 4242
			run "$FACET" run --backend "$b" $m -m "$TESTMOD:result=getppid>4243" -- python3 -c '
import ctypes, os
print(ctypes.CDLL(None).syscall(110), os.getppid())'
			expect_output "4243 4243"
		done
	done
}

@test "fork, exec chains and posix_spawn stay in the view" {
	for b in $BACKENDS; do
		m="$TESTMOD:rewrite=/etc/hostname>$TMP/hostname"
		run "$FACET" run --backend "$b" -m "$m" -- sh -c 'sh -c "sh -c \"cat /etc/hostname\""'
		expect_output "rewritten-hostname"
		run "$FACET" run --backend "$b" -m "$m" -- "$PROGS/spawn" cat /etc/hostname
		expect_output "rewritten-hostname"
		run "$FACET" run --backend "$b" -m "$m" -- sh -c 'cat /etc/hostname & wait'
		expect_output "rewritten-hostname"
	done
}

@test "the program's environment is its own: no facet variables, the user's LD_PRELOAD as given; system(), popen(), wordexp(), posix_spawn() and execv() children stay in the view" {
	local lib=/usr/lib/x86_64-linux-gnu/libc_malloc_debug.so.0 want r
	m="$TESTMOD:rewrite=/etc/hostname>$TMP/hostname"
	for b in $BACKENDS; do
		for pre in "" "$lib" "$lib $lib"; do
			run env -i PATH="$PATH" A=1 ${pre:+LD_PRELOAD="$pre"} env
			want=$output
			run env -i PATH="$PATH" A=1 ${pre:+LD_PRELOAD="$pre"} \
				"$FACET" run --backend "$b" -m "$m" -- env
			expect_status 0
			expect_output "$want"
		done
		# bash takes its variables from main()'s third argument
		run "$FACET" run --backend "$b" -m "$m" -- \
			bash -c 'echo "${LD_PRELOAD-unset} ${FACET_PRELOAD_CONFIG-unset}"'
		expect_output "unset unset"
		want=
		for r in system popen wordexp posix_spawn execv; do
			want="$want${want:+
}$r: rewritten-hostname $lib"
		done
		run env LD_PRELOAD="$lib" "$FACET" run --backend "$b" -m "$m" -- \
			"$PROGS/env_routes" 'echo $(cat /etc/hostname) $LD_PRELOAD $FACET_PRELOAD_CONFIG'
		expect_status 0
		expect_output "$want"
	done
}

@test "execve from a thread" {
	for b in $BACKENDS; do
		run "$FACET" run --backend "$b" -m "$TESTMOD:rewrite=/etc/hostname>$TMP/hostname,pass=getppid" -- "$PROGS/thread_exec" /bin/cat /etc/hostname
		expect_status 0
		expect_output "rewritten-hostname"
	done
}

@test "a static busybox is virtualized" {
	[ -x /bin/busybox ] || skip "busybox-static not installed"
	! readelf -l /bin/busybox | grep -q INTERP || skip "busybox is not static"
	for b in $BACKENDS; do
		run "$FACET" run --backend "$b" -m "$TESTMOD:rewrite=/etc/hostname>$TMP/hostname" -- /bin/busybox cat /etc/hostname
		expect_output "rewritten-hostname"
		run "$FACET" run --backend "$b" -m "$TESTMOD:result=getppid>77" -- /bin/busybox sh -c 'echo $PPID'
		expect_output 77
	done
}

@test "50 threads x 1000 intercepted calls: none lost" {
	for b in $BACKENDS; do
		# through ptrace exit stops: every call must see the new result
		run "$FACET" run --backend "$b" -m "$TESTMOD:result=getppid>4242" -- "$PROGS/threads" 50 1000 4242
		expect_status 0
		expect_output "calls=50000 wrong=0"
		# through notifications: the module must count every call
		run "$FACET" run --backend "$b" -m "$TESTMOD:pass=getppid,count=$TMP/count" -- "$PROGS/threads" 50 1000
		expect_status 0
		grep -qx "getppid 50000" "$TMP/count" || fail "counts: $(cat "$TMP/count")"
	done
}

@test "SIGTERM and SIGINT sent to facet reach the command" {
	for b in $BACKENDS; do
		for sig in TERM INT; do
			# a background job of a shell without job control
			# ignores SIGINT (so would facet and the command):
			# started with it at its default, as from a terminal
			python3 -c 'import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
os.execv(sys.argv[1], sys.argv[1:])' \
			"$FACET" run --backend "$b" -m "$TESTMOD:pass=getppid" -- \
				sh -c "trap 'echo got-$sig; exit 7' $sig; echo ready; while :; do sleep 0.05; done" \
				> "$TMP/out" 2>&1 &
			fpid=$!
			for i in $(seq 100); do grep -q ready "$TMP/out" && break; sleep 0.05; done
			kill -"$sig" "$fpid"
			wait "$fpid" && st=0 || st=$?
			[ "$st" -eq 7 ] || fail "$sig: status $st: $(cat "$TMP/out")"
			grep -q "got-$sig" "$TMP/out"
		done
	done
}

@test "facet SIGKILLed: nothing of the command survives" {
	for b in $BACKENDS; do
		"$FACET" run --backend "$b" -m "$TESTMOD:pass=getppid" -- \
			sh -c "sleep 300 & echo \$! > $TMP/pid; wait" &
		fpid=$!
		for i in $(seq 100); do [ -s "$TMP/pid" ] && break; sleep 0.05; done
		child=$(cat "$TMP/pid")
		kill -0 "$child"
		kill -KILL "$fpid"
		wait "$fpid" || true
		for i in $(seq 100); do kill -0 "$child" 2>/dev/null || break; sleep 0.05; done
		! kill -0 "$child" 2>/dev/null || fail "pid $child survived facet"
		rm -f "$TMP/pid"
	done
}

@test "SIGTERM to facet ends what the command left behind: SIGTERM, then SIGKILL after 2 s" {
	# as timeout(1) or kill would: the command gets the signal, and once
	# it has ended what it left in the view ends too (facet waits for
	# it otherwise); a process that ignores SIGTERM is killed
	local who as
	for b in $BACKENDS; do
		for who in root nobody; do
			# setpriv execs facet: $! is facet's pid
			as=()
			[ "$who" = root ] ||
				as=(setpriv --reuid=65534 --regid=65534 --clear-groups --)
			rm -f "$TMP/pids"
			"${as[@]}" "$FACET" run --backend "$b" -- sh -c "
				sleep 300 & echo \$! >> $TMP/pids
				(trap '' TERM INT; exec sleep 300) & echo \$! >> $TMP/pids
				sleep 300" &
			fpid=$!
			for i in $(seq 100); do
				[ "$(cat "$TMP/pids" 2>/dev/null | wc -l)" = 2 ] && break
				sleep 0.05
			done
			sleep 0.2
			kill -TERM "$fpid"
			st=0
			wait "$fpid" || st=$?
			[ "$st" -eq 143 ] || fail "$b $who: status $st"
			for p in $(cat "$TMP/pids"); do
				# a zombie until its new parent reaps it
				for i in $(seq 40); do
					kill -0 "$p" 2>/dev/null || break
					sleep 0.05
				done
				! kill -0 "$p" 2>/dev/null || fail "$b $who: $p survived"
			done
		done
		# a command that ended: the signal ends the rest at once
		rm -f "$TMP/pids"
		"$FACET" run --backend "$b" -- sh -c "
			sleep 300 & echo \$! >> $TMP/pids; exit 3" &
		fpid=$!
		for i in $(seq 100); do [ -s "$TMP/pids" ] && break; sleep 0.05; done
		sleep 0.2
		kill -0 "$fpid" || fail "$b: facet did not wait for the orphan"
		kill -TERM "$fpid"
		st=0
		wait "$fpid" || st=$?
		[ "$st" -eq 3 ] || fail "$b: status $st"
		for i in $(seq 40); do
			kill -0 "$(cat "$TMP/pids")" 2>/dev/null || break
			sleep 0.05
		done
		! kill -0 "$(cat "$TMP/pids")" 2>/dev/null || fail "$b: orphan survived"
	done
}

@test "facet waits for background processes of the command" {
	for b in $BACKENDS; do
		run "$FACET" run --backend "$b" -m "$TESTMOD:rewrite=/etc/hostname>$TMP/hostname" -- \
			sh -c "(sleep 0.3; cat /etc/hostname > $TMP/late) & exit 0"
		expect_status 0
		[ "$(cat "$TMP/late")" = "rewritten-hostname" ]
	done
}

@test "works as an unprivileged user" {
	for b in $BACKENDS; do
		run as_nobody "$FACET" run --backend "$b" -m "$TESTMOD:rewrite=/etc/hostname>$TMP/hostname" -- cat /etc/hostname
		expect_status 0
		expect_output "rewritten-hostname"
		run as_nobody "$FACET" run --backend "$b" -m "$TESTMOD:fd=/facet/v>$TMP/hostname,result=getppid>5" -- sh -c 'cat /facet/v; echo $PPID'
		expect_output "rewritten-hostname
5"
	done
}

@test "stdin, stdout and the terminal pass through untouched" {
	for b in $BACKENDS; do
		run sh -c "printf 'a\nb\n' | '$FACET' run --backend $b -m '$TESTMOD:pass=read' -- wc -l"
		expect_output 2
	done
}

@test "facet modules lists options; facet --help works" {
	run "$FACET" modules "$TESTMOD"
	expect_status 0
	[[ "$output" == *"testmod"*"rewrite=FROM>TO"* ]]
	run "$FACET" --help
	expect_status 0
	run "$FACET" run --help
	expect_status 0
	[[ "$output" == *"--backend"* ]]
}

@test "job control: a stopped command stays stopped until SIGCONT" {
	for b in $BACKENDS; do
		"$FACET" run --backend "$b" -m "$TESTMOD:pass=getppid" -- \
			sh -c "echo \$\$ > $TMP/pid; kill -STOP \$\$; echo resumed; exit 5" > "$TMP/out" &
		fpid=$!
		for i in $(seq 100); do [ -s "$TMP/pid" ] && break; sleep 0.05; done
		pid=$(cat "$TMP/pid")
		for i in $(seq 100); do
			st=$(ps -o stat= -p "$pid")
			case $st in [tT]*) break ;; esac
			sleep 0.05
		done
		case $st in [tT]*) ;; *) fail "not stopped: '$st'" ;; esac
		sleep 0.2
		! grep -q resumed "$TMP/out"
		kill -CONT "$pid"
		wait "$fpid" && s=0 || s=$?
		[ "$s" -eq 5 ] || fail "status $s"
		grep -q resumed "$TMP/out"
		rm -f "$TMP/pid"
	done
}

# in_terminal [SEND EXPECT]...: an interactive bash in a pseudo-terminal,
# given each SEND as a line (a lone ^Z as the character) and waiting up to
# 20 s for EXPECT in what follows; fails naming the first EXPECT not seen
in_terminal() {
	/usr/bin/python3 -c '
import os, pty, select, sys, time
pid, fd = pty.fork()
if pid == 0:
    os.environ.update(PS1="PROMPT$ ", TERM="dumb")
    os.execvp("bash", ["bash", "--norc", "--noprofile", "-i"])
out = b""
def wait_for(text, mark):
    global out
    end = time.time() + 20
    while time.time() < end:
        if text.encode() in out[mark:]:
            return True
        if select.select([fd], [], [], 0.1)[0]:
            try:
                out += os.read(fd, 4096)
            except OSError:
                return False
    return False
wait_for("PROMPT$ ", 0)
args = sys.argv[1:]
for send, expect in zip(args[::2], args[1::2]):
    mark = len(out)
    time.sleep(0.5)
    os.write(fd, b"\x1a" if send == "^Z" else send.encode() + b"\n")
    if not wait_for(expect, mark):
        sys.stdout.write(out.decode(errors="replace").replace("\r", ""))
        print("\nnot seen: %r after %r" % (expect, send))
        os.kill(pid, 9)
        sys.exit(1)
os.write(fd, b"exit\n")
time.sleep(0.3)
os.kill(pid, 9)
print("ok")' "$@"
}

@test "in a terminal, a command that stops itself stops facet too: the shell shows the job stopped, fg continues it (suspend in facet run -- bash -i); a stop of the whole group (vim's Ctrl-Z) ends with fg" {
	# as vim suspends: its SIGTSTP handler stops it with the default
	# action, after a SIGTSTP to its whole group (facet's too)
	cat > "$TMP/tstp.py" <<-'EOF'
		import os, signal
		def on_tstp(sig, frame):
		    signal.signal(signal.SIGTSTP, signal.SIG_DFL)
		    os.kill(os.getpid(), signal.SIGTSTP)
		    signal.signal(signal.SIGTSTP, on_tstp)
		signal.signal(signal.SIGTSTP, on_tstp)
		os.kill(0, signal.SIGTSTP)
		print("back", flush=True)
	EOF
	for b in $BACKENDS; do
		for view in "" "--bind $TMP"; do
			f="$FACET run --backend $b $view --"
			run in_terminal \
				"$f sh -c 'kill -STOP \$\$; echo resumed; exit 7'" "Stopped" \
				'echo st=$?' "st=147" \
				"fg" "resumed" \
				'echo st=$?' "st=7" \
				"$f bash --norc --noprofile -i" "PROMPT" \
				'PS1=INNER\$\ ' "INNER$ " \
				"suspend" "Stopped" \
				"echo outer" "outer" \
				"fg" "INNER" \
				"echo inner-again" "inner-again" \
				"exit" "PROMPT" \
				"$f /usr/bin/python3 $TMP/tstp.py" "Stopped" \
				"fg" "back" \
				'echo st=$?' "st=0" \
				"$f sleep 100" "" \
				"^Z" "Stopped" \
				"bg" "sleep 100 &" \
				'kill %1; sleep 1; echo done' "done"
			expect_status 0
		done
	done
}

@test "make install puts the binary, header, pkg-config file and man page" {
	run make -C "$BATS_TEST_DIRNAME/../.." BUILD="$FACET_BUILD" install DESTDIR="$TMP/inst" PREFIX=/usr
	expect_status 0
	[ -x "$TMP/inst/usr/bin/facet" ]
	[ -f "$TMP/inst/usr/include/facet/module.h" ]
	[ -f "$TMP/inst/usr/share/man/man1/facet.1" ]
	grep -q '^Cflags: -I${includedir}' "$TMP/inst/usr/lib/pkgconfig/facet.pc"
	# a module builds against the installed header alone
	printf '#include <facet/module.h>\nconst struct facet_module facet_module = { .abi = FACET_MODULE_ABI };\n' > "$TMP/m.c"
	cc -shared -fPIC -I"$TMP/inst/usr/include" -o "$TMP/m.so" "$TMP/m.c"
}

@test "under another notifying supervisor, calls go through ptrace stops" {
	for b in $BACKENDS; do
		[ "$b" = ptrace ] || continue
		run "$PROGS/notify_holder" "$FACET" run --backend "$b" -m "$TESTMOD:pass=getppid,count=$TMP/count,result=uname>0" -- "$PROGS/threads" 4 100
		expect_status 0
		grep -qx "getppid 400" "$TMP/count"
		run "$PROGS/notify_holder" "$FACET" run --backend "$b" -m "$TESTMOD:rewrite=/etc/hostname>$TMP/hostname" -- cat /etc/hostname
		expect_output "rewritten-hostname"
		# handing over an fd needs a listener: a clear failure, not a hang
		run "$PROGS/notify_holder" "$FACET" run --backend "$b" -m "$TESTMOD:fd=/facet/v>$TMP/hostname" -- cat /facet/v
		expect_status 1
		[[ "$output" == *"another supervisor holds it"* ]]
		[[ "$output" == *"Function not implemented"* ]]
	done
}

@test "ptrace start-up: the listener is fetched whether a module wants write() or not" {
	for b in $BACKENDS; do
		[ "$b" = ptrace ] || continue
		# the child says when its filter is loaded (a write)
		run timeout -s KILL 60 "$FACET" run --backend "$b" -m "$TESTMOD:pass=getppid,count=$TMP/c1" -- "$PROGS/threads" 2 10
		expect_status 0
		grep -qx "getppid 20" "$TMP/c1"
		# write() is a notified call: the supervisor looks for the listener
		run timeout -s KILL 60 "$FACET" run --backend "$b" -m "$TESTMOD:pass=write,pass=getppid,count=$TMP/c2" -- "$PROGS/threads" 2 10
		expect_status 0
		[[ "$output" == *"calls=20 wrong=0"* ]]
		grep -qx "getppid 20" "$TMP/c2"
		grep -qx "write 1" "$TMP/c2"
		# and at a ptrace stop
		run timeout -s KILL 60 "$FACET" run --backend "$b" -m "$TESTMOD:passtrace=write,pass=getppid" -- echo out2
		expect_status 0
		expect_output out2
	done
}

@test "the command starts with every signal at its default (or ignored, as facet's caller left it) and the signal mask facet's caller gave it" {
	for b in $BACKENDS; do
		# with no module, one passing a call on, one wanting execve
		for m in "" "-m $TESTMOD:pass=getppid" "-m $TESTMOD:pass=execve"; do
			# ignored by facet's caller: survives exec, as natively
			# shellcheck disable=SC2086
			run sh -c "trap '' INT QUIT; exec \"\$0\" run --backend $b $m -- sh -c 'kill -INT \$\$; kill -QUIT \$\$; exit 9'" "$FACET"
			expect_status 9
			# caught by facet's caller: at its default in the command
			# shellcheck disable=SC2086
			run sh -c "trap 'exit 1' INT; \"\$0\" run --backend $b $m -- sh -c 'kill -INT \$\$; exit 9'" "$FACET"
			expect_status 130
			# SIGPIPE, which facet ignores for itself
			# shellcheck disable=SC2086
			run "$FACET" run --backend "$b" $m -- sh -c 'kill -PIPE $$; exit 9'
			expect_status 141
			# nothing blocked: the mask line of the command's status
			# shellcheck disable=SC2086
			run "$FACET" run --backend "$b" $m -- grep '^SigBlk' /proc/self/status
			expect_status 0
			[[ "$output" == *"0000000000000000" ]] || fail "$b $m: $output"
			# SIGUSR1 blocked by facet's caller: blocked in the
			# command too, as natively (a static one included; no
			# shell between: dash empties its mask)
			for c in "" /bin/busybox; do
				# shellcheck disable=SC2086
				run python3 -c 'import os, signal, sys
signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGUSR1])
os.execvp(sys.argv[1], sys.argv[1:])' "$FACET" run --backend "$b" $m -- \
					$c grep '^SigBlk' /proc/self/status
				[[ "$output" == *"SigBlk:	0000000000000200" ]] ||
					fail "$b $m $c: $output"
			done
		done
	done
}

@test "preload: no launcher image when no module wants execve, one when a module does" {
	[[ " $BACKENDS " == *" preload "* ]] || skip "no preload backend"
	run "$FACET" run --log-level debug --backend preload -m "$TESTMOD:pass=getppid" -- sh -c 'echo "$0 $1"; exit 4' a b
	expect_status 4
	[[ "$output" == *"no module wants execve: the command is exec'd without facet-preload-exec"* ]] || fail "$output"
	[[ "$output" == *"a b"* ]] || fail "$output"
	run "$FACET" run --log-level debug --backend preload -m "$TESTMOD:pass=execve,count=$TMP/count" -- sh -c 'exit 4'
	expect_status 4
	[[ "$output" != *"no module wants execve"* ]] || fail "$output"
	# the command's own execve was seen (the launcher's), then none
	grep -qx "execve 1" "$TMP/count" || fail "counts: $(cat "$TMP/count")"
}

@test "the command is looked up on \$PATH in the view, scripts without #! included" {
	mkdir -p "$TMP/bin"
	printf 'echo from-the-view "$@"\n' > "$TMP/bin/facet-in-view"
	chmod 755 "$TMP/bin/facet-in-view"
	for b in $BACKENDS; do
		PATH=/facet-test-bin:$PATH run "$FACET" run --backend "$b" --bind "$TMP/bin:/facet-test-bin" -- facet-in-view x
		expect_status 0
		expect_output "from-the-view x"
		PATH=/facet-test-bin:$PATH run -127 "$FACET" run --backend "$b" --bind "$TMP/bin:/facet-test-bin" -- facet-not-in-view
		expect_status 127
	done
}

@test "without a module that sees exec, the command is looked up on the host \$PATH as execvp does" {
	mkdir -p "$TMP/bin" "$TMP/first/facet-on-path"
	printf 'echo from-the-host "$@"\n' > "$TMP/bin/facet-on-path"
	chmod 755 "$TMP/bin/facet-on-path"
	printf 'echo not-executable\n' > "$TMP/first/facet-plain"
	cp "$TMP/bin/facet-on-path" "$TMP/bin/facet-plain"
	for b in $BACKENDS; do
		# a directory named like it comes first; a script without #!
		PATH=$TMP/first:$TMP/bin:$PATH run "$FACET" run --backend "$b" -- facet-on-path x
		expect_status 0
		expect_output "from-the-host x"
		# a file without x permission earlier on $PATH is passed over
		PATH=$TMP/first:$TMP/bin:$PATH run "$FACET" run --backend "$b" -- facet-plain y
		expect_status 0
		expect_output "from-the-host y"
		PATH=$TMP/first:$TMP/bin run -127 "$FACET" run --backend "$b" -- facet-not-on-path
		expect_status 127
		[[ "$output" == *"facet-not-on-path: command not found"* ]] || fail "$b: $output"
	done
}

@test "facet links only libc and libelf: the others are loaded when their feature is used" {
	run sh -c "readelf -d '$FACET' | awk '/NEEDED/ { print \$NF }' | sort"
	expect_status 0
	expect_output "[libc.so.6]
[libelf.so.1]"
}

@test "a ptracer started inside a ptrace view says a process has one tracer, and which backend nests" {
	case " $BACKENDS " in *" ptrace "*) ;; *) skip "ptrace backend not built" ;; esac
	for i in $BACKENDS; do
		is_ptracer "$i" || continue
		for view in "" "--bind $TMP:/mnt"; do
			for who in "" as_nobody; do
				run $who "$FACET" run --backend ptrace $view -- \
					"$FACET" run --backend "$i" -- true
				expect_status 125
				[[ "$output" == *"facet runs traced by process "*"a process has one tracer: run this facet with --backend preload"* ]] ||
					fail "$i '$view' $who: $output"
			done
		done
	done
	# what the message says works
	run "$FACET" run --backend ptrace -- "$FACET" run --backend preload -- sh -c 'echo inner; exit 4'
	expect_status 4
	expect_output "inner"
}

@test "signals ignored by facet's caller stay ignored: nohup, a background job of a script, a static program exec'd by a program that ignores SIGINT" {
	for b in $BACKENDS; do
		for who in "" as_nobody; do
			for view in "" "--bind $TMP:/mnt"; do
				# nohup: SIGHUP ignored in the command, and facet
				# forwards none
				run $who nohup "$FACET" run --backend "$b" $view -- sh -c 'kill -HUP $$; grep ^SigIgn /proc/self/status; exit 4'
				expect_status 4
				# SIGHUP's bit (others may be ignored by whoever
				# runs the tests: a background job, SIGINT too)
				ign=$(awk '/^SigIgn:/ { print $2 }' <<< "$output")
				[ -n "$ign" ] && (( 0x$ign & 1 )) || fail "$b $who '$view': $output"
				# a script's background job ignores SIGINT; a
				# kill -INT of the job's group leaves it running
				run $who setsid bash -c "trap : INT; '$FACET' run --backend $b $view -- sh -c 'sleep 0.5; exit 5' & j=\$!; sleep 0.2; kill -INT -\$\$; wait \$j || wait \$j"
				expect_status 5
				# a static program exec'd from the view (the
				# ptracer, handed over under preload) inherits it
				if [ -x /bin/busybox ]; then
					run $who "$FACET" run --backend "$b" $view -- sh -c "trap '' INT; exec /bin/busybox sh -c 'kill -INT \$\$; exit 6'"
					expect_status 6
				fi
			done
		done
	done
}

@test "an argument list at the limit: the command runs, or fails as a shell's E2BIG (126, one line naming it), never as facet's own error" {
	# in a small environment, so that facet itself still fits where the
	# view's variables no longer do; a binary search of the length of
	# the last argument for the first that fails
	cat > "$TMP/e2big.sh" <<'SH'
fill=$(head -c 100000 /dev/zero | tr '\0' a)
n=$(( $(getconf ARG_MAX) / 100001 ))
args=(); for ((i = 0; i < n; i++)); do args+=("$fill"); done
# the kernel's limit is not getconf's (an unlimited stack): not testable
/bin/true "${args[@]}" "$fill" 2>/dev/null && { echo skip; exit 0; }
try() {
	out=$("$FACET" run --backend "$B" --bind "$D:/mnt" -- /bin/true "${args[@]}" "${fill:0:$1}" 2>&1)
}
lo=0 hi=100000
while [ $((hi - lo)) -gt 1 ]; do
	mid=$(((lo + hi) / 2))
	if try $mid; then lo=$mid; else hi=$mid; fi
done
try $hi
echo "$? $out"
SH
	mkdir -p "$TMP/e2big"
	local seen=""
	for b in $BACKENDS; do
		run env -i PATH=/usr/bin:/bin FACET="$FACET" B="$b" D="$TMP/e2big" \
			bash "$TMP/e2big.sh"
		expect_status 0
		[ "$output" != skip ] || skip "ARG_MAX is not the kernel's limit here"
		[[ "$output" != 125* ]] || fail "$b: facet's own error: $output"
		[[ "$output" == 126* ]] || fail "$b: $output"
		# facet itself did not fit: bash said so
		[[ "$output" == "126 facet:"* ]] || continue
		[ "${#lines[@]}" -eq 1 ] || fail "$b: more than one line: $output"
		[[ "$output" == "126 facet: cannot run /bin/true: Argument list too long"* ]] ||
			fail "$b: $output"
		seen="$seen $b"
	done
	# preload's variables take room the command has natively: there the
	# limit is reached with facet itself still running
	[[ " $BACKENDS " != *" preload "* || "$seen" == *preload* ]] ||
		fail "preload never reached the limit ($seen)"
}
