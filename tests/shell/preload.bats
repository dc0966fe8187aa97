#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# facet - tests/shell/preload.bats: the preload backend and --backend auto

load helper

setup() {
	TMP=$(world_tmp)
	echo "rewritten-hostname" > "$TMP/hostname"
	mkdir "$TMP/dir"
	touch "$TMP/dir/one" "$TMP/dir/two"
	chmod -R a+rX "$TMP"
	M="$TESTMOD:rewrite=/facet/file>$TMP/hostname,rewrite=/facet/dir>$TMP/dir"
}

teardown() {
	rm -rf "$TMP"
}

have_preload() {
	[[ " $BACKENDS " == *" preload "* ]] || skip "preload backend not built"
}

static_busybox() {
	[ -x /bin/busybox ] || skip "busybox-static not installed"
	head -c 4 /bin/busybox | grep -q ELF || skip "no ELF busybox"
}

@test "fopen, opendir, syscall() and an inline syscall instruction are virtualized" {
	for b in $BACKENDS; do
		run "$FACET" run --backend "$b" -m "$M" -- "$PROGS/preload_paths" /facet/file /facet/dir
		expect_status 0
		expect_output "fopen rewritten-hostname
syscall rewritten-hostname
asm rewritten-hostname
opendir one two
realpath ERR ENOENT"
	done
}

@test "preload: without the raw catch, only calls outside libc are missed" {
	have_preload
	FACET_PRELOAD_RAW=ignore run "$FACET" run --backend preload -m "$M" -- "$PROGS/preload_paths" /facet/file /facet/dir
	expect_status 0
	[[ "${lines[0]}" == "fopen rewritten-hostname" ]]
	[[ "${lines[1]}" == "syscall rewritten-hostname" ]]
	[[ "${lines[2]}" == "asm ERR ENOENT" ]]
	[[ "${lines[3]}" == "opendir one two" ]]
}

@test "calls libc makes internally (readdir's getdents64) reach the modules" {
	for b in $BACKENDS; do
		run "$FACET" run --backend "$b" -m "$TESTMOD:deny=getdents64,errno=5" -- ls "$TMP/dir"
		[ "$status" -ne 0 ] || fail "$b: ls succeeded: $output"
		[[ "$output" == *"Input/output error"* ]] || fail "$b: $output"
	done
}

@test "a child that execs with env -i or without LD_PRELOAD stays in the view" {
	for b in $BACKENDS; do
		m="$TESTMOD:rewrite=/etc/hostname>$TMP/hostname"
		run "$FACET" run --backend "$b" -m "$m" -- env -i /bin/cat /etc/hostname
		expect_output "rewritten-hostname"
		run "$FACET" run --backend "$b" -m "$m" -- sh -c 'unset LD_PRELOAD FACET_PRELOAD_CONFIG; cat /etc/hostname'
		expect_output "rewritten-hostname"
		run "$FACET" run --backend "$b" -m "$m" -- sh -c 'LD_PRELOAD= env -i sh -c "env -i cat /etc/hostname"'
		expect_output "rewritten-hostname"
		run "$FACET" run --backend "$b" -m "$m" -- python3 -c '
import os, subprocess
print(subprocess.run(["cat", "/etc/hostname"], env={}, capture_output=True, text=True).stdout.strip())'
		expect_output "rewritten-hostname"
	done
}

@test "a root command that drops to another user and execs stays in the view" {
	[ "$(id -u)" = 0 ] || skip "needs root to change user"
	year=$(( $(date +%Y) + 1 ))
	for b in $BACKENDS; do
		run "$FACET" run --backend "$b" --bind "$TMP/hostname:/facet-h" \
			--time +1y -- setpriv --reuid=65534 --regid=65534 \
			--clear-groups sh -c 'id -u; cat /facet-h; date +%Y
				sh -c "cat /facet-h; date +%Y"'
		expect_status 0
		expect_output "65534
rewritten-hostname
$year
rewritten-hostname
$year"
		run "$FACET" run --backend "$b" --bind "$TMP/hostname:/facet-h" -- \
			python3 -c '
import os
os.setgid(65534); os.setuid(65534)
os.execvp("cat", ["cat", "/facet-h"])'
		expect_status 0
		expect_output "rewritten-hostname"
	done
}

@test "a command that changed user starts children that close every fd (subprocess's close_fds, closefrom) in the view" {
	# the fds held since the change were closed with the rest, and the
	# child stopped under preload: "cannot map the view's shared memory
	# /proc/self/fd/1000", status 125 (Python's test_os, test_subprocess)
	cat > "$TMP/closers.py" <<'PY'
import os, subprocess, sys
os.setreuid(-1, -1)
subprocess.run(["cat", "/facet-h"], check=True)
for closer in ("os.closerange(3, 5000)", "ctypes.CDLL(None).closefrom(3)"):
    subprocess.run([sys.executable, "-c", "import ctypes, os; " + closer +
                    "; os.execvp('sh', ['sh', '-c', 'cat /facet-h; date +%Y'])"],
                   close_fds=False, check=True)
PY
	year=$(( $(date +%Y) + 1 ))
	for b in $BACKENDS; do
		for who in "" as_nobody; do
			run $who "$FACET" run --backend "$b" --bind "$TMP/hostname:/facet-h" \
				--time +1y -- python3 "$TMP/closers.py"
			expect_status 0
			expect_output "rewritten-hostname
rewritten-hostname
$year
rewritten-hostname
$year"
		done
	done
}

@test "a command that makes a user namespace (unshare -r, a raw clone) and execs stays in the view" {
	year=$(( $(date +%Y) + 1 ))
	cat > "$TMP/ns.py" <<'PY'
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
# a raw clone(CLONE_NEWUSER | SIGCHLD) through syscall(), as bwrap makes it
pid = libc.syscall(56, 0x10000000 | 17, 0, 0, 0, 0)
if pid == 0:
    os.execvp("sh", ["sh", "-c", "cat /facet-h; date +%Y"])
os.waitpid(pid, 0)
PY
	for b in $BACKENDS; do
		for who in "" as_nobody; do
			run $who "$FACET" run --backend "$b" --bind "$TMP/hostname:/facet-h" \
				--time +1y -- unshare -r sh -c 'id -u; cat /facet-h; date +%Y
					sh -c "cat /facet-h; date +%Y"'
			expect_status 0
			expect_output "0
rewritten-hostname
$year
rewritten-hostname
$year"
			run $who "$FACET" run --backend "$b" --bind "$TMP/hostname:/facet-h" \
				--time +1y -- python3 "$TMP/ns.py"
			expect_status 0
			expect_output "rewritten-hostname
$year"
		done
	done
}

@test "a program that chroots to a root without the shim does not run outside the view" {
	[ "$(id -u)" = 0 ] || skip "needs root to chroot"
	year=$(( $(date +%Y) + 1 ))
	local r=$TMP/croot l
	mkdir -p "$r/usr/bin"
	cp /usr/bin/date "$r/usr/bin/"
	for l in $(ldd /usr/bin/date | grep -o '/[^ ]*'); do
		mkdir -p "$r$(dirname "$l")"
		cp "$l" "$r$l"
	done
	for b in $BACKENDS; do
		run "$FACET" run --backend "$b" --time +1y -- chroot "$r" /usr/bin/date +%Y
		if [ "$b" = preload ]; then
			# ld.so would start it without the shim: the exec fails
			[ "$status" -ne 0 ] || fail "$b: ran: $output"
			[[ "$output" == *"--backend ptrace"* ]] || fail "$b: $output"
			[[ "$output" != *"$(date +%Y)"* ]] || fail "$b: ran outside the view: $output"
		else
			expect_status 0
			expect_output "$year"
		fi
	done
}

@test "--backend auto: preload for a dynamic program, ptrace for a static one" {
	have_preload
	run "$FACET" run --log-level debug -m "$TESTMOD:rewrite=/etc/hostname>$TMP/hostname" -- cat /etc/hostname
	expect_status 0
	[[ "$output" == *"backend preload: cat"* ]] || fail "$output"
	[[ "$output" == *"rewritten-hostname"* ]]
	static_busybox
	run "$FACET" run --log-level debug -m "$TESTMOD:rewrite=/etc/hostname>$TMP/hostname" -- /bin/busybox cat /etc/hostname
	expect_status 0
	[[ "$output" == *"/bin/busybox is statically linked or set-id: using the ptrace backend"* ]] || fail "$output"
	[[ "$output" == *"rewritten-hostname"* ]]
}

@test "--backend auto: a static PIE and a set-id program go to the ptracer, a dynamic PIE does not" {
	have_preload
	printf 'int main(void) { return 0; }\n' > "$TMP/p.c"
	cc -static-pie -o "$TMP/spie" "$TMP/p.c" 2>/dev/null || skip "no static-pie toolchain"
	cc -pie -fPIE -o "$TMP/dpie" "$TMP/p.c"
	run "$FACET" run --log-level debug -- "$TMP/spie"
	expect_status 0
	[[ "$output" == *"$TMP/spie is statically linked or set-id: using the ptrace backend"* ]] || fail "$output"
	run "$FACET" run --log-level debug -- "$TMP/dpie"
	expect_status 0
	[[ "$output" == *"backend preload: $TMP/dpie"* ]] || fail "$output"
	cp "$TMP/dpie" "$TMP/sgid"
	chmod g+s "$TMP/sgid"
	run "$FACET" run --log-level debug -- "$TMP/sgid"
	expect_status 0
	[[ "$output" == *"$TMP/sgid is statically linked or set-id: using the ptrace backend"* ]] || fail "$output"
	# program headers past the first 4 kB (a copy of the table at the end
	# of the file; the program need not run well, only be judged static)
	cat > "$TMP/far.py" <<-'EOF'
	import struct, sys
	b = bytearray(open(sys.argv[1], 'rb').read())
	off, = struct.unpack_from('<Q', b, 32)
	size, num = struct.unpack_from('<HH', b, 54)
	table = bytes(b[off:off + size * num])
	b += b'\0' * ((-len(b)) % 8 + 8192)
	struct.pack_into('<Q', b, 32, len(b))
	open(sys.argv[2], 'wb').write(b + table)
	EOF
	python3 - "$TMP/spie" "$TMP/far" < "$TMP/far.py"
	chmod 755 "$TMP/far"
	run "$FACET" run --log-level debug -- "$TMP/far"
	[[ "$output" == *"$TMP/far is statically linked or set-id: using the ptrace backend"* ]] || fail "$output"
	python3 - "$TMP/dpie" "$TMP/dfar" < "$TMP/far.py"
	chmod 755 "$TMP/dfar"
	# (ld.so refuses to run it, status 127: its own matter)
	run sh -c '"$0" run --log-level debug -- "$1" || :' "$FACET" "$TMP/dfar"
	[[ "$output" == *"backend preload: $TMP/dfar"* ]] || fail "$output"
	# an #! script is judged by its interpreter
	printf '#!%s\n' "$TMP/spie" > "$TMP/script"
	chmod 755 "$TMP/script"
	run "$FACET" run --log-level debug -- "$TMP/script"
	expect_status 0
	[[ "$output" == *"statically linked or set-id: using the ptrace backend"* ]] || fail "$output"
}

@test "--backend preload with a static program falls back to the ptracer" {
	have_preload
	static_busybox
	run "$FACET" run --backend preload -m "$TESTMOD:result=getppid>77" -- /bin/busybox sh -c 'echo $PPID'
	expect_status 0
	expect_output 77
	run "$FACET" run --log-level info --backend preload -- /bin/busybox true
	expect_status 0
	[[ "$output" == *"statically linked or set-id: using the ptrace backend"* ]] || fail "$output"
}

@test "a preloaded process that execs a static binary hands it to the ptracer" {
	have_preload
	static_busybox
	m="$TESTMOD:rewrite=/etc/hostname>$TMP/hostname"
	run "$FACET" run --backend preload -m "$m" -- sh -c '/bin/busybox cat /etc/hostname; echo "status $?"'
	expect_output "rewritten-hostname
status 0"
	run "$FACET" run --backend preload --log-level info -m "$m" -- sh -c 'exec /bin/busybox cat /etc/hostname'
	[[ "$output" == *"/bin/busybox is statically linked or set-id: handing it to the ptrace backend"* ]] || fail "$output"
	[[ "$output" == *"rewritten-hostname"* ]]
	# posix_spawn and an #! script whose interpreter is static
	run "$FACET" run --backend preload -m "$m" -- "$PROGS/spawn" /bin/busybox cat /etc/hostname
	expect_output "rewritten-hostname"
	printf '#!/bin/busybox sh\ncat /etc/hostname\n' > "$TMP/script"
	chmod 755 "$TMP/script"
	run "$FACET" run --backend preload -m "$m" -- sh -c "$TMP/script"
	expect_output "rewritten-hostname"
}

@test "a static program handed to the ptracer gets the loader's variables, which do not act on facet: ldd lists the program's libraries, not facet's or the shim" {
	have_preload
	static_busybox
	local native
	native=$(ldd /bin/true | sed 's/ (0x[0-9a-f]*)//' | sort)
	for b in $BACKENDS; do
		run "$FACET" run --backend "$b" -- ldd /bin/true
		expect_status 0
		# facet's own libraries (libelf) were listed under preload
		[[ "$output" != *libelf* ]] || fail "$b: $output"
		# and not the shim (LD_PRELOAD) under the combined mode
		got=$(echo "$output" | sed 's/ (0x[0-9a-f]*)//' | sort)
		[ "$got" = "$native" ] || fail "$b: $output"
		# a static program ignores them; they reach it
		run "$FACET" run --backend "$b" -- sh -c '
			LD_TRACE_LOADED_OBJECTS=1 /bin/busybox echo ran
			LD_LIBRARY_PATH=/x LD_DEBUG=files /bin/busybox sh -c "echo \$LD_LIBRARY_PATH \$LD_DEBUG"'
		expect_status 0
		expect_output "ran
/x files"
	done
}

@test "the shim is found next to facet or through FACET_PRELOAD" {
	have_preload
	run env FACET_PRELOAD=/nonexistent/libfacet-preload.so "$FACET" run --backend preload -- true
	expect_status 125
	[[ "$output" == *"FACET_PRELOAD=/nonexistent/libfacet-preload.so"* ]]
	[ "${#lines[@]}" -eq 1 ]
	run env FACET_PRELOAD="$FACET_BUILD/lib/libfacet-preload.so" "$FACET" run --backend preload -m "$TESTMOD:rewrite=/etc/hostname>$TMP/hostname" -- cat /etc/hostname
	expect_output "rewritten-hostname"
}

@test "preload: signal handlers, SIGSYS and sigprocmask of the program keep working" {
	have_preload
	run "$FACET" run --backend preload -m "$TESTMOD:pass=getppid" -- python3 -c '
import signal, os
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGSYS, signal.SIGUSR1})
got = []
signal.signal(signal.SIGUSR2, lambda s, f: got.append(s))
os.kill(os.getpid(), signal.SIGUSR2)
print(len(got), signal.SIGSYS in signal.pthread_sigmask(signal.SIG_BLOCK, set()), os.getppid() > 0)'
	expect_status 0
	# SIGSYS stays deliverable: the shim needs it (see docs/preload.md)
	expect_output "1 False True"
}

@test "preload: the modules run in every process, threads and fork children" {
	have_preload
	run "$FACET" run --backend preload -m "$TESTMOD:result=getppid>4242" -- "$PROGS/threads" 8 500 4242
	expect_status 0
	expect_output "calls=4000 wrong=0"
	run "$FACET" run --backend preload -m "$TESTMOD:result=getppid>4242" -- python3 -c '
import os, threading
r = []
def child():
    pid = os.fork()
    if pid == 0:
        os._exit(0 if os.getppid() == 4242 else 1)
    r.append(os.waitpid(pid, 0)[1])
t = [threading.Thread(target=child) for _ in range(4)]
[x.start() for x in t]; [x.join() for x in t]
print(r)'
	expect_output "[0, 0, 0, 0]"
}

@test "paths a module rewrites in many short threads are right, and each thread's buffer goes with it" {
	for b in $BACKENDS; do
		for raw in catch ignore; do
			FACET_PRELOAD_RAW=$raw run "$FACET" run --backend "$b" -m "$M" -- "$PROGS/thread_paths" /facet/file 60
			expect_status 0
			[[ "$output" == "rewritten-hostname same=60 growth="* ]]
			# 58 threads' 12 kB buffers would be 696 kB
			[ "${output##*growth=}" -lt 48 ]
		done
	done
}

@test "the view's shared memory: counts from every process, mapped only where a module shares something" {
	for b in $BACKENDS; do
		rm -f "$TMP/counts"
		run "$FACET" run --backend "$b" -m "$TESTMOD:count=$TMP/counts,pass=openat" -- \
			sh -c 'cat /facet/none 2>/dev/null; cat /facet/none 2>/dev/null; cat /facet/none 2>/dev/null; exit 0'
		expect_status 0
		n=$(awk '$1 == "openat" { print $2 }' "$TMP/counts")
		[ "$n" -ge 3 ]
	done
	have_preload
	run "$FACET" run --backend preload -m "$TESTMOD:count=$TMP/counts,pass=openat" -- grep -c facet-view /proc/self/maps
	expect_output "1"
	run "$FACET" run --backend preload -m "$TESTMOD:pass=openat" -- grep -c facet-view /proc/self/maps
	expect_output "0"
}

@test "the modules see the command's own execve" {
	for b in $BACKENDS; do
		run "$FACET" run --backend "$b" -m "$TESTMOD:deny=execve" -- true
		expect_status 126
		[[ "$output" == *"cannot run true: Permission denied"* ]] || fail "$b: $output"
		run -127 "$FACET" run --backend "$b" -m "$TESTMOD:pass=execve" -- no-such-command-facet
		expect_status 127
		[[ "$output" == *"no-such-command-facet: command not found"* ]] || fail "$b: $output"
	done
}

@test "gethostname() (uname inside libc) reaches the modules" {
	for b in $BACKENDS; do
		run "$FACET" run --backend "$b" -m "$TESTMOD:nodename=in-a-view" -- hostname
		expect_status 0
		expect_output "in-a-view"
	done
}

@test "fortified calls (__readlink_chk, __getcwd_chk, __read_chk) reach the modules" {
	ln -s /etc/hostname "$TMP/link"
	for b in $BACKENDS; do
		run "$FACET" run --backend "$b" -m "$TESTMOD:deny=readlink,deny=getcwd,errno=5" -- "$PROGS/preload_fortify" "$TMP/link"
		expect_status 0
		expect_output "readlink EIO
read ok
getcwd EIO"
	done
}

@test "raw fork, vfork and execve outside libc, with an empty environment" {
	for b in $BACKENDS; do
		for how in fork vfork; do
			run "$FACET" run --backend "$b" -m "$TESTMOD:rewrite=/etc/hostname>$TMP/hostname" -- \
				"$PROGS/preload_raw" $how /bin/cat /etc/hostname
			expect_status 0
			expect_output "rewritten-hostname"
		done
	done
}

@test "a module that works only under ptrace makes auto and preload use the ptracer" {
	have_preload
	cat > "$TMP/only.c" <<'C'
#include <sys/syscall.h>
#include <facet/module.h>
const int facet_module_ptrace_only = 1;
static void w(void *s, struct facet_sysset *set)
{
	(void)s;
	facet_sysset_add(set, SYS_getppid, FACET_HOOK_ENTER);
}
static enum facet_verdict e(void *s, struct facet_call *c)
{
	(void)s;
	facet_return(c, 4242);
	return FACET_DONE;
}
const struct facet_module facet_module = { .abi = FACET_MODULE_ABI,
	.name = "only", .wants = w, .enter = e };
C
	cc -shared -fPIC -I"$BATS_TEST_DIRNAME/../../include" -o "$TMP/only.so" "$TMP/only.c"
	run "$FACET" run --backend preload --log-level info -m "$TMP/only.so" -- sh -c 'echo $PPID'
	expect_status 0
	[[ "$output" == *"module only works only under the ptrace backend"* ]] || fail "$output"
	[[ "$output" == *"4242"* ]]
	run "$FACET" run --log-level debug -m "$TMP/only.so" -- sh -c 'echo $PPID'
	[[ "$output" == *"module only works only under the ptrace backend"* ]] || fail "$output"
	[[ "$output" != *"backend preload"* ]] || fail "$output"
}

@test "a module that prefers ptrace takes the ptracer under auto, runs in-process under preload" {
	have_preload
	cat > "$TMP/pref.c" <<'C'
#include <sys/syscall.h>
#include <facet/module.h>
const int facet_module_prefers_ptrace = 1;
static void w(void *s, struct facet_sysset *set)
{
	(void)s;
	facet_sysset_add(set, SYS_getppid, FACET_HOOK_ENTER);
}
static enum facet_verdict e(void *s, struct facet_call *c)
{
	(void)s;
	facet_return(c, 4343);
	return FACET_DONE;
}
const struct facet_module facet_module = { .abi = FACET_MODULE_ABI,
	.name = "pref", .wants = w, .enter = e };
C
	cc -shared -fPIC -I"$BATS_TEST_DIRNAME/../../include" -o "$TMP/pref.so" "$TMP/pref.c"
	run "$FACET" run --log-level debug -m "$TMP/pref.so" -- sh -c 'echo $PPID'
	expect_status 0
	[[ "$output" == *"module pref is more faithful under the ptrace backend"* ]] || fail "$output"
	[[ "$output" == *"4343"* ]]
	run "$FACET" run --backend preload --log-level debug -m "$TMP/pref.so" -- sh -c 'echo $PPID'
	expect_status 0
	[[ "$output" == *"backend preload"* ]] || fail "$output"
	[[ "$output" != *"more faithful"* ]] || fail "$output"
	[[ "$output" == *"4343"* ]]
}

@test "fexecve of a static program from a memfd and execveat with a dirfd stay in the view" {
	static_busybox
	mkdir "$TMP/hidden"
	echo secret > "$TMP/hidden/file"
	m="$TESTMOD:rewrite=/etc/hostname>$TMP/hostname"
	backends="$BACKENDS"
	[[ " $BACKENDS " == *" preload "* ]] && backends="$backends auto"
	for b in $backends; do
		for how in memfd memfd-keep raw dirfd file; do
			run "$FACET" run --backend "$b" -m "$m" -- "$PROGS/preload_fexec" $how /bin/busybox cat /etc/hostname
			expect_status 0
			expect_output "rewritten-hostname"
			run "$FACET" run --backend "$b" --hide "$TMP/hidden" -- "$PROGS/preload_fexec" $how /bin/busybox cat "$TMP/hidden/file"
			[ "$status" -eq 1 ] || fail "$b $how: $status $output"
			[[ "$output" == *"No such file or directory"* ]] || fail "$b $how: $output"
		done
		# a close-on-exec memfd is closed in the program, another stays open
		run "$FACET" run --backend "$b" -- "$PROGS/preload_fexec" memfd /bin/busybox ls -l /proc/self/fd/
		[[ "$output" != *memfd:facet-test* ]] || fail "$b: $output"
		run "$FACET" run --backend "$b" -- "$PROGS/preload_fexec" memfd-keep /bin/busybox ls -l /proc/self/fd/
		[[ "$output" == *memfd:facet-test* ]] || fail "$b: $output"
	done
	have_preload
	run "$FACET" run --backend preload --log-level info -m "$m" -- "$PROGS/preload_fexec" memfd /bin/busybox cat /etc/hostname
	[[ "$output" == *"/proc/self/fd/"*"is statically linked or set-id: handing it to the ptrace backend"* ]] || fail "$output"
}

@test "a static program that may be run but not read goes to the ptracer, never outside the view" {
	static_busybox
	cp /bin/busybox "$TMP/cat"
	chmod 0711 "$TMP/cat"
	m="$TESTMOD:rewrite=/etc/hostname>$TMP/hostname"
	backends="$BACKENDS"
	[[ " $BACKENDS " == *" preload "* ]] && backends="$backends auto"
	for b in $backends; do
		run "$FACET" run --backend "$b" -m "$m" -- sh -c "$TMP/cat /etc/hostname"
		expect_status 0
		expect_output "rewritten-hostname"
		# an unprivileged tracer cannot read such a process's memory
		run -137 as_nobody "$FACET" run --backend "$b" -m "$m" -- sh -c "$TMP/cat /etc/hostname"
		[[ "$output" == *"its program may be run but not read; stopped it"* ]] || fail "$b: $output"
	done
}

@test "a thread made by a raw clone or clone3 (not pthread_create) stays in the view" {
	m="$TESTMOD:rewrite=/facet/file>$TMP/hostname,result=getppid>4242"
	for b in $BACKENDS; do
		for how in clone clone3 syscall fork; do
			run "$FACET" run --backend "$b" -m "$m" -- "$PROGS/preload_rawthread" $how /facet/file
			expect_status 0
			expect_output "read rewritten-hostname ppid 4242 libc 4242"
		done
	done
	have_preload
	# a thread pointer of its own: the shim's per-thread state cannot go there
	run "$FACET" run --backend preload -m "$m" -- "$PROGS/preload_rawthread" settls /facet/file
	expect_status 1
	[[ "$output" == *"a raw clone outside libc that sets its own thread pointer: it cannot be followed; failing it with ENOSYS"* ]] || fail "$output"
	[[ "$output" == *"clone failed: Function not implemented"* ]] || fail "$output"
	run "$FACET" run --backend ptrace -m "$m" -- "$PROGS/preload_rawthread" settls /facet/file
	expect_output "read rewritten-hostname ppid 4242 libc 0"
}

@test "raw syscalls in signal handlers, after the program's own seccomp filter, and with SUD turned off stay in the view" {
	m="$TESTMOD:rewrite=/facet/file>$TMP/hostname"
	for b in $BACKENDS; do
		for how in handler seccomp sud-off; do
			run "$FACET" run --backend "$b" -m "$m" -- "$PROGS/preload_escape" $how /facet/file
			expect_status 0
			[ "${lines[-1]}" = "read rewritten-hostname" ] || fail "$b $how: $output"
		done
		run "$FACET" run --backend "$b" -m "$m" -- "$PROGS/preload_escape" x32 /facet/file
		expect_status 0
		[[ "$output" == *"x32 Function not implemented"* ]] || fail "$b: $output"
		# int 0x80 only where this machine allows it
		if "$PROGS/preload_escape" int80 /etc/hostname >/dev/null 2>&1; then
			run "$FACET" run --backend "$b" -m "$m" -- "$PROGS/preload_escape" int80 /facet/file
			[[ "$output" == *"int80 Function not implemented"* ]] || fail "$b: $output"
		fi
	done
	have_preload
	# the shim's own catch cannot be switched off by the program
	run "$FACET" run --backend preload -m "$m" -- "$PROGS/preload_escape" sud-off /facet/file
	expect_output "facet: preload: the program wants Syscall User Dispatch, which the preload backend uses itself: refused with EBUSY (run it with --backend ptrace)
prctl Device or resource busy
raw prctl Device or resource busy
read rewritten-hostname"
}

@test "a program that drops LD_PRELOAD and re-execs itself, or loads libraries with dlmopen, stays in the view" {
	m="$TESTMOD:rewrite=/facet/file>$TMP/hostname"
	cat > "$TMP/reexec.py" <<'PY'
import os, sys
if sys.argv[1:] != ["again"]:
    os.execve("/proc/self/exe", ["python3", __file__, "again"], {})
print(open("/facet/file").read().strip(), sys.argv[1:])
PY
	for b in $BACKENDS; do
		run "$FACET" run --backend "$b" -m "$m" -- python3 "$TMP/reexec.py"
		expect_status 0
		expect_output "rewritten-hostname ['again']"
		# a second libc in its own namespace: its syscalls are outside the allowed range
		run "$FACET" run --backend "$b" -m "$m" -- python3 -c '
import ctypes, os
RTLD_NOW, LM_ID_NEWLM = 2, -1
dl = ctypes.CDLL("libc.so.6")
dl.dlmopen.restype = ctypes.c_void_p
dl.dlmopen.argtypes = [ctypes.c_long, ctypes.c_char_p, ctypes.c_int]
dl.dlsym.restype = ctypes.c_void_p
dl.dlsym.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
h = dl.dlmopen(LM_ID_NEWLM, b"libc.so.6", RTLD_NOW)
assert h
op = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_char_p, ctypes.c_int)(dl.dlsym(h, b"open"))
fd = op(b"/facet/file", 0)
print(os.read(fd, 100).decode().strip() if fd >= 0 else "ERR")'
		expect_status 0
		expect_output "rewritten-hostname"
	done
}

@test "constructors of the program's own libraries (run before the shim's) are in the view" {
	cat > "$TMP/lib.c" <<'C'
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
__attribute__((constructor)) static void early(void)
{
	char b[64] = "";
	int fd = open("/facet/file", O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, b, sizeof(b) - 1) : -1;

	printf("constructor %s", n > 0 ? b : "ERR\n");
	fflush(stdout);
}
void lib_fn(void) {}
C
	printf 'void lib_fn(void);\nint main(void) { lib_fn(); return 0; }\n' > "$TMP/main.c"
	cc -shared -fPIC -o "$TMP/libearly.so" "$TMP/lib.c"
	cc -o "$TMP/early" "$TMP/main.c" -L"$TMP" -learly -Wl,-rpath,"$TMP"
	for b in $BACKENDS; do
		run "$FACET" run --backend "$b" -m "$TESTMOD:rewrite=/facet/file>$TMP/hostname" -- "$TMP/early"
		expect_status 0
		expect_output "constructor rewritten-hostname"
	done
}

@test "a set-user-ID program goes to the ptracer and runs in the view without its privileges" {
	have_preload
	cp /bin/cat "$TMP/suidcat"
	chmod 4755 "$TMP/suidcat"
	run as_nobody "$FACET" run --backend preload --log-level info -m "$TESTMOD:rewrite=/facet/file>$TMP/hostname" -- sh -c "$TMP/suidcat /facet/file"
	expect_status 0
	[[ "$output" == *"suidcat is statically linked or set-id: handing it to the ptrace backend"* ]] || fail "$output"
	[[ "$output" == *"rewritten-hostname"* ]] || fail "$output"
}

@test "a wanted call the modules pass on is made once, also from a callback in trap mode (nftw)" {
	mkdir -p "$TMP/walk/sub" "$TMP/none"
	for f in a b c sub/d sub/e; do echo x > "$TMP/walk/$f"; done
	# each process's own count: the dynamic loader's opens (seen by the
	# ptracer only) cancel out between the two runs
	for b in $BACKENDS; do
		rm -f "$TMP/c1" "$TMP/c2"
		run "$FACET" run --backend "$b" -m "$TESTMOD:count=$TMP/c1,pass=openat,pass=close" -- "$PROGS/walk_open" "$TMP/walk"
		expect_status 0
		expect_output "opened 5"
		run "$FACET" run --backend "$b" -m "$TESTMOD:count=$TMP/c2,pass=openat,pass=close" -- "$PROGS/walk_open" "$TMP/none"
		expect_status 0
		expect_output "opened 0"
		eval "d_$b=$(( $(awk '$1 == "openat" { print $2 }' "$TMP/c1") - $(awk '$1 == "openat" { print $2 }' "$TMP/c2") ))"
	done
	# nftw opens each of the two directories once more than the empty one
	# has (the walk itself), the callback opens five files twice each
	for b in $BACKENDS; do
		eval "d=\$d_$b"
		[ "$d" -ge 10 ]
		[ "$d" -eq "$d_ptrace" ]
	done
}

# "NAME COUNT" per call over N of dir_streams repeat (testmod count= files
# of a run with N and one with none: the dynamic loader's calls cancel;
# all the view's calls, not the supervisor's share)
dir_counts() {
	awk -v n="$3" -v none="$1" '$1 ~ /@/ { next }
		FILENAME == none { c[$1] -= $2; next }
		{ c[$1] += $2 }
		END { for (k in c) if (c[k]) print k, c[k] / n }' "$1" "$2" | sort
}

# calls_as_ptracer HIDE OPTS PROG ARGS...: run "PROG repeat N ARGS" (N
# = 0 and 5) under every backend with testmod OPTS and --hide HIDE; fail
# unless each backend's modules saw per repetition what the ptracer's saw
# (in $calls then, "NAME COUNT" lines).  testmod goes first in the chain:
# at a notification vfs opens a file itself under a view that hides
# something (walking no symlink), and a module after it does not see that
# open (docs/design.md)
calls_as_ptracer() {
	local hide=$1 opts=$2 prog=$3 b n got
	shift 3
	for b in $BACKENDS; do
		for n in 0 5; do
			rm -f "$TMP/c$n"
			touch "$TMP/c$n"
			run "$FACET" run --backend "$b" \
				-m "$TESTMOD:count=$TMP/c$n,$opts" \
				--hide "$hide" -- \
				"$prog" repeat $n "$@"
			expect_status 0
		done
		eval "got_$b=\"\$(dir_counts "$TMP/c0" "$TMP/c5" 5)\""
	done
	for b in $BACKENDS; do
		eval "got=\$got_$b"
		[ -n "$got" ] || fail "$opts: nothing seen under $b"
		[ "$got" = "$got_ptrace" ] ||
			fail "$opts: $b saw '$got', ptrace '$got_ptrace'"
	done
	calls=$got_ptrace
}

@test "opendir() and fdopendir(): the modules see each call of theirs once, as under the ptracer" {
	mkdir -p "$TMP/ds/sub"
	touch "$TMP/ds/plain"
	for opts in pass=openat,pass=newfstatat,pass=close \
		    pass=openat,pass=newfstatat,pass=fcntl,pass=close \
		    pass=newfstatat; do
		calls_as_ptracer "$TMP/ds/secret" "$opts" "$PROGS/dir_streams" "$TMP/ds"
	done
	# a module that answers fstat decides opendir's error, as in libc
	# (preload only: under the ptracer the dynamic loader's fstat fails)
	have_preload
	run "$FACET" run --backend preload -m "$TESTMOD:deny=newfstatat,errno=5" -- \
		"$PROGS/dir_streams" "$TMP/ds"
	[[ "$output" == *"opendir sub: EIO"* ]] || fail "$output"
	[[ "$output" == *"fdopendir: EIO"* ]] || fail "$output"
	[[ "$output" == *"opendir plain: ENOTDIR"* ]] || fail "$output"
}

@test "fopen() and mkstemp(): the modules see each call of theirs once, as under the ptracer; every mode as glibc's" {
	mkdir -p "$TMP/so/tmp"
	echo data > "$TMP/so/f"
	for opts in pass=openat pass=openat,pass=fcntl,pass=lseek; do
		calls_as_ptracer "$TMP/so/secret" "$opts" "$PROGS/stdio_opens" \
			"$TMP/so/f" "$TMP/so/tmp"
		[[ "$calls" == *"openat 2"* ]] || fail "$opts: $calls"
	done
	# every mode, temporary file and eaccess() answers as natively
	run "$PROGS/stdio_opens" modes "$TMP/so/f" "$TMP/so/tmp"
	expect_status 0
	native=$output
	[[ "$native" == *"fopen a: flags=2001 cloexec=0 pos=2 write=ok"* ]] || fail "$native"
	for b in $BACKENDS; do
		echo data > "$TMP/so/f"
		run "$FACET" run --backend "$b" --bind "$TMP/so:/mnt" -- \
			"$PROGS/stdio_opens" modes /mnt/f /mnt/tmp
		expect_status 0
		[ "$output" = "$native" ] || fail "$b: $(diff <(echo "$native") <(echo "$output"))"
	done
}

# A copy of the C.UTF-8 locale under another name, in directory $1/$2
locale_copy() {
	[ -d /usr/lib/locale/C.utf8 ] || skip "no /usr/lib/locale/C.utf8"
	mkdir -p "$1"
	cp -r /usr/lib/locale/C.utf8 "$1/$2"
	chmod -R a+rX "$1"
}

@test "setlocale, newlocale: the view's locales load, hidden ones do not (bind, LOCPATH, a symlink out of LOCPATH)" {
	locale_copy "$TMP/loc" X.utf8
	locale_copy "$TMP/secret" S
	mkdir "$TMP/lp" "$TMP/mnt"
	ln -s "$TMP/secret/S" "$TMP/lp/Y.utf8"
	chmod -R a+rX "$TMP"
	# natively: no X.utf8 in /usr/lib/locale; Y.utf8 through the symlink
	run env LANG=X.utf8 "$PROGS/locale_probe" env
	expect_output "NULL ANSI_X3.4-1968"
	run env LOCPATH="$TMP/lp" LANG=Y.utf8 "$PROGS/locale_probe" env
	expect_output "Y.utf8 UTF-8"
	for b in $BACKENDS; do
		run env LANG=X.utf8 "$FACET" run --backend "$b" \
			--bind "$TMP/loc/X.utf8:/usr/lib/locale/X.utf8" -- \
			"$PROGS/locale_probe" env
		expect_output "X.utf8 UTF-8"
		run env LOCPATH=/mnt LANG=X.utf8 "$FACET" run --backend "$b" \
			--bind "$TMP/loc:/mnt" -- "$PROGS/locale_probe" env
		expect_output "X.utf8 UTF-8"
		run env LOCPATH=/mnt "$FACET" run --backend "$b" \
			--bind "$TMP/loc:/mnt" -- "$PROGS/locale_probe" new X.utf8
		expect_output "ok UTF-8"
		# the symlink leads to a hidden directory: as if it were not there
		run env LOCPATH="$TMP/lp" LANG=Y.utf8 "$FACET" run --backend "$b" \
			--hide "$TMP/secret" -- "$PROGS/locale_probe" env
		expect_output "NULL ANSI_X3.4-1968"
		run env LOCPATH="$TMP/lp" "$FACET" run --backend "$b" \
			--hide "$TMP/secret" -- "$PROGS/locale_probe" new Y.utf8
		expect_output "NULL -"
		# a view that leaves the locales alone
		run env LANG=C.UTF-8 "$FACET" run --backend "$b" \
			--bind "$TMP/mnt:/mnt" -- "$PROGS/locale_probe" env
		expect_output "C.UTF-8 UTF-8"
	done
}

# sigsys FACET-RUN-ARGS...: SIGSYS delivered in a run (strace counts them)
sigsys() {
	strace -f -qq -e trace=none -e signal=SIGSYS -o "$TMP/sigsys.txt" \
		"$FACET" run --backend preload "$@" > /dev/null
	grep -c 'SIGSYS' "$TMP/sigsys.txt" || true
}

@test "preload: setlocale() runs natively where the view leaves the locale files alone, in trap mode elsewhere" {
	have_preload
	command -v strace > /dev/null || skip "strace not installed"
	locale_copy "$TMP/loc" X.utf8
	mkdir "$TMP/mnt"
	export LANG=C.UTF-8
	# --bind elsewhere: setlocale() adds no SIGSYS to a run without it
	n0=$(sigsys --bind "$TMP/mnt:/mnt" -- "$PROGS/locale_probe" none)
	n1=$(sigsys --bind "$TMP/mnt:/mnt" -- "$PROGS/locale_probe" env)
	[ "$n1" -eq "$n0" ] || fail "--bind elsewhere: $n0 SIGSYS without setlocale, $n1 with"
	n1=$(sigsys --bind "$TMP/mnt:/mnt" -- "$PROGS/locale_probe" new C.UTF-8)
	[ "$n1" -eq "$n0" ] || fail "newlocale: $n0 SIGSYS without, $n1 with"
	# a rule below /usr/lib/locale, LOCPATH in a bound directory, a
	# locale whose charset is not UTF-8, a module without the question:
	# trap mode
	n0=$(sigsys --hide /usr/lib/locale/nothing -- "$PROGS/locale_probe" none)
	n1=$(sigsys --hide /usr/lib/locale/nothing -- "$PROGS/locale_probe" env)
	[ "$n1" -gt "$n0" ] || fail "--hide below the locales: $n0 SIGSYS without setlocale, $n1 with"
	n0=$(LOCPATH=/mnt sigsys --bind "$TMP/loc:/mnt" -- "$PROGS/locale_probe" none)
	n1=$(LOCPATH=/mnt LANG=X.utf8 sigsys --bind "$TMP/loc:/mnt" -- "$PROGS/locale_probe" env)
	[ "$n1" -gt "$n0" ] || fail "LOCPATH in a bind: $n0 SIGSYS without setlocale, $n1 with"
	n1=$(LANG=en_US sigsys --bind "$TMP/mnt:/mnt" -- "$PROGS/locale_probe" env)
	n0=$(LANG=en_US sigsys --bind "$TMP/mnt:/mnt" -- "$PROGS/locale_probe" none)
	[ "$n1" -gt "$n0" ] || fail "a locale without a UTF-8 charset: $n0 SIGSYS without setlocale, $n1 with"
	n0=$(sigsys -m "$TESTMOD:pass=openat" -- "$PROGS/locale_probe" none)
	n1=$(sigsys -m "$TESTMOD:pass=openat" -- "$PROGS/locale_probe" env)
	[ "$n1" -gt "$n0" ] || fail "testmod: $n0 SIGSYS without setlocale, $n1 with"
}

@test "trace preload: the locale files setlocale() opens are recorded, also under a view that leaves them alone" {
	have_preload
	[ -d /usr/lib/locale/C.utf8 ] || skip "no /usr/lib/locale/C.utf8"
	mkdir "$TMP/mnt"
	for v in "" "--bind $TMP/mnt:/mnt"; do
		run env LANG=C.UTF-8 "$FACET" trace --backend preload $v \
			-o "$TMP/t.txt" -- "$PROGS/locale_probe" env
		expect_status 0
		grep -q 'openat(AT_FDCWD[^,]*, "/usr/lib/locale/C.utf8/LC_CTYPE", O_RDONLY|O_CLOEXEC) = [0-9]' "$TMP/t.txt" ||
			fail "no open of LC_CTYPE in the trace ($v): $(grep locale "$TMP/t.txt")"
	done
}

@test "setlocale under --root reads the guest's locales, whose /usr/lib/locale differs from the host's" {
	# a cwd outside the root counts as /: start from one that is
	cd /
	locale_copy "$TMP/r/usr/lib/locale" X.utf8
	mkdir -p "$TMP/r/usr/lib64" "$TMP/r/usr/lib/x86_64-linux-gnu" \
		"$TMP/r/usr/share/locale"
	# the alias file too, so that only the locale directory differs
	cp /usr/share/locale/locale.alias "$TMP/r/usr/share/locale/"
	ln -s usr/lib64 "$TMP/r/lib64"
	ln -s usr/lib "$TMP/r/lib"
	# /tmp is the host's under --root
	cp "$PROGS/locale_probe" "$TMP/probe"
	chmod -R a+rX "$TMP"
	for b in $BACKENDS; do
		for L in X.utf8 C.UTF-8; do
			run env LANG=$L "$FACET" run --backend "$b" --root "$TMP/r" \
				--bind /usr/lib/x86_64-linux-gnu:/usr/lib/x86_64-linux-gnu \
				--bind /usr/lib64:/usr/lib64 -- "$TMP/probe" env
			expect_status 0
			# X.utf8 is the guest's only, C.UTF-8 the host's only
			if [ $L = X.utf8 ]; then
				expect_output "X.utf8 UTF-8"
			else
				expect_output "NULL ANSI_X3.4-1968"
			fi
		done
	done
}

@test "gettext: a hidden message catalog is not read, a visible one is (ls's messages in German)" {
	mo=/usr/share/locale/de/LC_MESSAGES/coreutils.mo
	[ -f "$mo" ] || skip "no German coreutils catalog"
	for b in $BACKENDS; do
		run env LANGUAGE=de LANG=C.UTF-8 "$FACET" run --backend "$b" \
			--hide "$mo" -- ls /nonexistent-facet
		[[ "$output" == *"cannot access '/nonexistent-facet'"* ]] ||
			fail "$b: the hidden catalog was read: $output"
		run env LANGUAGE=de LANG=C.UTF-8 "$FACET" run --backend "$b" \
			--bind "$TMP/dir:/mnt" -- ls /nonexistent-facet
		[[ "$output" == *"Zugriff auf '/nonexistent-facet' nicht"* ]] ||
			fail "$b: the catalog was not read: $output"
		# C: no catalog at all, whatever LANGUAGE says
		run env LANGUAGE=de LANG=C "$FACET" run --backend "$b" \
			--hide "$mo" -- ls /nonexistent-facet
		[[ "$output" == *"cannot access"* ]] || fail "$b, C: $output"
	done
}

@test "a wanted call reads one page of the shim's data: the libc pointers, the state, the chain's entries and the modules' state" {
	have_preload
	local so=$FACET_BUILD/lib/libfacet-preload.so arena end start shim
	read -r arena end < <("$PROGS/shim_layout")
	start=$(readelf -SW "$so" | awk '$2 == ".data.facet" { print $4 }')
	shim=$(nm "$so" | awk '$2 == "d" && $3 == "shim" { print $1 }')
	[ -n "$start" ] && [ -n "$shim" ]
	(( 0x$start % 4096 == 0 ))
	(( 0x$shim + arena > 0x$start ))
	(( 0x$shim + end <= 0x$start + 4096 ))
}

# trap_episodes STRACE_FILE: prctl() calls that arm trap mode, whose
# dispatch range is the shim's gate section (less than a page; the raw
# catch's is libc's text)
trap_episodes() {
	grep -cE 'PR_SYS_DISPATCH_ON, 0x[0-9a-f]+, 0x[0-9a-f]{1,3},' "$1" || true
}

@test "gettext: a call the view settled runs natively, and the translation stays the view's in every call" {
	have_preload
	mo=/usr/share/locale/de/LC_MESSAGES/coreutils.mo
	[ -f "$mo" ] || skip "no German coreutils catalog"
	command -v strace >/dev/null || skip "no strace"
	for b in $BACKENDS; do
		# hidden: untranslated in every round (the first settles)
		run env LANGUAGE=de LANG=C.UTF-8 "$FACET" run --backend "$b" \
			--hide "$mo" -- "$PROGS/gettext_probe" 3 \
			"missing operand" "cannot access %s"
		[ "$status" -eq 0 ]
		[ "$(grep -c '^missing operand$' <<<"$output")" -eq 3 ] ||
			fail "$b, hidden: $output"
		[ "$(grep -c '^cannot access %s$' <<<"$output")" -eq 3 ] ||
			fail "$b, hidden: $output"
		# visible: translated in every round, also the second message
		run env LANGUAGE=de LANG=C.UTF-8 "$FACET" run --backend "$b" \
			--bind "$TMP/dir:/mnt" -- "$PROGS/gettext_probe" 3 \
			"missing operand" "cannot access %s"
		[ "$(grep -c '^fehlender Operand$' <<<"$output")" -eq 3 ] ||
			fail "$b, visible: $output"
		[ "$(grep -c '^Zugriff auf %s nicht möglich$' <<<"$output")" -eq 3 ] ||
			fail "$b, visible: $output"
	done
	# no catalog for C.UTF-8: one trap-mode episode (two prctl calls, one
	# in and one out) for the first call, none for the 39 others
	run env LANG=C.UTF-8 "$FACET" run --backend preload --bind "$TMP/dir:/mnt" -- \
		strace -f -qq -e trace=prctl -o "$TMP/prctl" \
		"$PROGS/gettext_probe" 20 "missing operand" "cannot access %s"
	[ "$status" -eq 0 ]
	n=$(trap_episodes "$TMP/prctl")
	[ "$n" -le 2 ] || fail "$n trap-mode episodes for 40 calls"
	# a catalog read: every call in trap mode, and still translated
	run env LANGUAGE=de LANG=C.UTF-8 "$FACET" run --backend preload \
		--bind "$TMP/dir:/mnt" -- strace -f -qq -e trace=prctl \
		-o "$TMP/prctl" "$PROGS/gettext_probe" 5 "missing operand"
	n=$(trap_episodes "$TMP/prctl")
	[ "$n" -ge 5 ] || fail "only $n trap-mode episodes with a catalog"
}

@test "the view's shared memory is not in a crashing program's core dump (MADV_DONTDUMP)" {
	for b in $BACKENDS; do
		for who in "" as_nobody; do
			# the region's mapping is marked "dd" wherever a shim maps it
			run $who "$FACET" run --backend "$b" --bind "$TMP/dir:/mnt" -- sh -c '
				ls /mnt >/dev/null
				awk "/facet-view/ { m = 1 } m && /^VmFlags:/ { print (/ dd/ ? \"dd\" : \"dumped\"); m = 0 }" /proc/$$/smaps'
			expect_status 0
			[[ "$output" != *dumped* ]] || fail "$b $who: $output"
		done
		[ "$(cat /proc/sys/kernel/core_pattern)" = core ] || continue
		mkdir -p "$TMP/core-$b"
		chmod 777 "$TMP/core-$b"
		cd "$TMP/core-$b"
		run bash -c "ulimit -c unlimited; '$FACET' run --backend $b --bind '$TMP/dir:/mnt' -- sh -c 'ls /mnt >/dev/null; kill -SEGV \$\$'"
		expect_status 139
		# natively about 0.5 MB; the 64 MB region made it 69 MB
		[ "$(stat -c %s core)" -lt $((16 << 20)) ] || fail "$b: core of $(stat -c %s core) bytes"
		cd - >/dev/null
	done
}

@test "a kill of the whole process group is not passed on again by the keeper: a handler runs at most twice (natively once)" {
	have_preload
	for i in 1 2 3 4 5; do
		rm -f "$TMP/int.out"
		# SIGINT at its default for facet (a background job would
		# ignore it), in a session of its own to kill as a group
		setsid python3 -c 'import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
os.execv(sys.argv[1], sys.argv[1:])' \
			"$FACET" run --backend preload -- bash -c \
			'trap "echo caught" INT; echo ready; sleep 1 & wait; sleep 0.3 & wait' > "$TMP/int.out" 2>&1 &
		pid=$!
		# the trap is set (a loaded machine took more than 0.4 s)
		for j in $(seq 200); do
			grep -q ready "$TMP/int.out" && break
			sleep 0.05
		done
		sleep 0.1
		kill -INT -"$pid"
		wait "$pid" || true
		n=$(grep -c caught "$TMP/int.out" || true)
		[ "$n" -ge 1 ] && [ "$n" -le 2 ] || fail "round $i: handler ran $n times"
	done
}

@test "the shim loaded outside facet (a stray LD_PRELOAD) leaves programs alone" {
	have_preload
	# env execs its command: the shim's exec ran on a configuration it never had
	run env LD_PRELOAD="$FACET_BUILD/lib/libfacet-preload.so" env sh -c 'echo ran; exit 3'
	expect_status 3
	expect_output "ran"
	run env LD_PRELOAD="$FACET_BUILD/lib/libfacet-preload.so" sh -c 'sh -c "ls /" >/dev/null && echo ok'
	expect_status 0
	expect_output "ok"
}

@test "dlerror()'s text survives the shim's first calls of libc functions (bash's enable -f)" {
	for b in $BACKENDS; do
		run "$FACET" run --backend "$b" -- "$PROGS/dlerror_kept"
		expect_status 0
		expect_output "pending: /nonexistent-facet-a.so: cannot open shared object file: No such file or directory
taken: /nonexistent-facet-b.so: cannot open shared object file: No such file or directory"
	done
}

@test "fakeroot inside a view and around it: its chown() and stat() work on the view (the shim comes after the user's preloaded libraries)" {
	command -v fakeroot >/dev/null || skip "fakeroot not installed"
	mkdir "$TMP/fr"
	echo content > "$TMP/fr/f"
	echo secret > "$TMP/fr/secret"
	chmod -R a+rwX "$TMP/fr"
	local s='chown 0:0 /mnt/f && stat -c "%u %g" /mnt/f; cat /mnt/f; cat /mnt/secret 2>&1 | grep -c "No such"; echo "$LD_PRELOAD"'
	for b in $BACKENDS; do
		run as_nobody "$FACET" run --backend "$b" --bind "$TMP/fr:/mnt" --hide /mnt/secret -- fakeroot sh -c "$s"
		expect_status 0
		expect_output "0 0
content
1
libfakeroot-sysv.so"
		run as_nobody fakeroot "$FACET" run --backend "$b" --bind "$TMP/fr:/mnt" --hide /mnt/secret -- sh -c "$s"
		expect_status 0
		expect_output "0 0
content
1
libfakeroot-sysv.so"
	done
	# the host file's owner is untouched
	[ "$(stat -c %u "$TMP/fr/f")" = "$(id -u)" ]
}

@test "a program with an allocator of its own (jemalloc's constructor reads files under its lock) runs in a view that holds for its calls" {
	local je=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2
	[ -f "$je" ] || skip "libjemalloc2 not installed"
	for b in $BACKENDS; do
		run timeout 30 "$FACET" run --backend "$b" --bind "$TMP/dir:/mnt" --hide /mnt/two -- \
			env LD_PRELOAD="$je" sh -c 'ls /mnt; cat /mnt/two 2>&1 | grep -c "No such"'
		expect_status 0
		expect_output "one
1"
	done
}
