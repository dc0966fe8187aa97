# SPDX-License-Identifier: MIT
# facet - tests/shell/combined.bats: --backend combined, the ptracer
# supervising while the preload shim serves calls in-process
#
# Behaviours every backend shares run under combined too (BACKENDS); these
# are the ones of the combined mode itself.

load helper

setup() {
	TMP=$(world_tmp)
	mkdir -p "$TMP/host"
	echo host-file > "$TMP/host/f"
	chmod -R a+rX "$TMP"
	case " $BACKENDS " in
	*" combined "*) ;;
	*) skip "combined backend not built" ;;
	esac
}

teardown() {
	rm -rf "$TMP"
}

# The gate page's line of /proc/self/maps, as the command sees it
GATE_MAP='^fac0000000-fac0001000 r-xp '

@test "combined: the shim makes its calls from the gate page, and the supervisor sees each call once" {
	for who in "" as_nobody; do
		run $who "$FACET" run --backend combined --bind "$TMP/host:/mnt" -- \
			sh -c 'cat /mnt/f; grep -c "^fac0000000-fac0001000 r-xp " /proc/self/maps'
		expect_status 0
		expect_output "host-file
1"
		# every thread's call counted once: by the shim, not again
		# by the supervisor
		run $who "$FACET" run --backend combined \
			-m "$TESTMOD:pass=getppid,count=$TMP/count" -- "$PROGS/threads" 4 250
		expect_status 0
		expect_output "calls=1000 wrong=0"
		grep -qx "getppid 1000" "$TMP/count" || fail "$who: $(cat "$TMP/count")"
		rm -f "$TMP/count"
	done
	# the plain ptracer maps no such page
	run "$FACET" run --backend ptrace --bind "$TMP/host:/mnt" -- \
		grep -c "$GATE_MAP" /proc/self/maps
	expect_output 0
}

# guest_root DIR: a root whose /usr is to be bound from the host, and
# whose /etc/hostname says "guest"
guest_root() {
	mkdir -p "$1/usr" "$1/etc"
	ln -s usr/bin "$1/bin"
	ln -s usr/lib "$1/lib"
	ln -s usr/lib64 "$1/lib64"
	echo guest > "$1/etc/hostname"
	chmod -R a+rX "$1"
}

# supervisor_count FILE NAME: the calls NAME the supervisor saw (0 if none)
supervisor_count() {
	awk -v n="$2@supervisor" '$1 == n { c = $2 } END { print c + 0 }' "$1"
}

@test "combined: the program's fopen(), mkstemp(), eaccess() and getcwd() are served in-process: the supervisor's counts do not grow with them" {
	# trap mode would make each of their calls a SIGSYS, a ptrace stop
	# under the supervisor; natively, a notification.  Through the shim's
	# own wrappers none reaches the supervisor: its counts stay those of
	# the start (ld.so's opens) however many times the program calls them.
	echo data > "$TMP/host/f"
	mkdir -p "$TMP/host/tmp"
	chmod -R a+rwX "$TMP/host"
	for who in "" as_nobody; do
		for n in 1 40; do
			rm -f "$TMP/count.$n"
			run $who "$FACET" run --backend combined \
				-m "$TESTMOD:pass=openat,pass=faccessat2,pass=newfstatat,pass=getcwd,count=$TMP/count.$n" -- \
				"$PROGS/stdio_opens" repeat "$n" "$TMP/host/f" "$TMP/host/tmp"
			expect_status 0
		done
		# every call counted: 40 fopen() and 40 mkstemp() more
		one=$(awk '$1 == "openat" { print $2 }' "$TMP/count.1")
		forty=$(awk '$1 == "openat" { print $2 }' "$TMP/count.40")
		[ "$forty" -ge $((one + 78)) ] || fail "$who: openat $one, then $forty"
		[ "$(supervisor_count "$TMP/count.1" openat)" = \
		  "$(supervisor_count "$TMP/count.40" openat)" ] ||
			fail "$who: $(cat "$TMP/count.1" "$TMP/count.40")"
		# stdio's fstat of each stream: libc's inner call
		[ "$(supervisor_count "$TMP/count.1" newfstatat)" = \
		  "$(supervisor_count "$TMP/count.40" newfstatat)" ] ||
			fail "$who: $(cat "$TMP/count.1" "$TMP/count.40")"
		[ "$(supervisor_count "$TMP/count.40" faccessat2)" = 0 ] ||
			fail "$who: $(cat "$TMP/count.40")"
		grep -qx "faccessat2 40" "$TMP/count.40" || fail "$who: $(cat "$TMP/count.40")"
		[ "$(supervisor_count "$TMP/count.40" getcwd)" = 0 ] ||
			fail "$who: $(cat "$TMP/count.40")"
		grep -qx "getcwd 40" "$TMP/count.40" || fail "$who: $(cat "$TMP/count.40")"
	done
}

@test "combined: libc's inner opens and stats (setlocale's locale files) are served in-process, and the modules see each" {
	# glibc makes them through internal entry points no interposition
	# reaches; the shim sends those to itself (preload/shim_inner.c).
	# The supervisor sees ld.so's opens and stats only, as with no
	# setlocale() at all; the modules see the locale files' too.
	[ -d /usr/lib/locale/C.utf8 ] || skip "no /usr/lib/locale/C.utf8"
	for who in "" as_nobody; do
		for what in none env; do
			rm -f "$TMP/count.$what"
			run $who env LANG=C.UTF-8 "$FACET" run --backend combined \
				-m "$TESTMOD:pass=openat,pass=newfstatat,count=$TMP/count.$what" -- \
				"$PROGS/locale_probe" "$what"
			expect_status 0
		done
		expect_output "C.UTF-8 UTF-8"
		for call in openat newfstatat; do
			[ "$(supervisor_count "$TMP/count.none" $call)" = \
			  "$(supervisor_count "$TMP/count.env" $call)" ] ||
				fail "$who: $(cat "$TMP/count.none" "$TMP/count.env")"
			none=$(awk -v c=$call '$1 == c { print $2 }' "$TMP/count.none")
			env=$(awk -v c=$call '$1 == c { print $2 }' "$TMP/count.env")
			[ "$env" -ge $((none + 10)) ] ||
				fail "$who: $call $none, then $env"
		done
	done
}

@test "combined: a call the modules change is the shim's; one it cannot see reaches the supervisor" {
	# the shim answers (rewrite) in the dynamic program; the static one
	# (busybox, when it is static) is the supervisor's, exec'd as it is
	# (no hand-over to another facet)
	run "$FACET" run --backend combined --log-level info \
		-m "$TESTMOD:rewrite=/etc/hostname>$TMP/host/f" -- sh -c '
		cat /etc/hostname
		if [ -x /bin/busybox ]; then /bin/busybox cat /etc/hostname
		else cat /etc/hostname; fi' 2>&1
	expect_status 0
	expect_output "host-file
host-file"
	# a raw syscall outside libc is caught in-process (the raw catch):
	# the child's execve with an empty environment keeps the view
	run "$FACET" run --backend combined \
		-m "$TESTMOD:rewrite=/etc/hostname>$TMP/host/f" -- \
		"$PROGS/preload_raw" fork /bin/cat /etc/hostname
	expect_status 0
	expect_output "host-file"
}

@test "combined: a view it cannot serve in-process is the plain ptracer's, and facet says so" {
	run "$FACET" run --backend combined --log-level info --time 2038-01-20 -- \
		sh -c 'date +%Y; grep -c "^fac0000000-fac0001000 r-xp " /proc/self/maps; true' 2>&1
	expect_status 0
	[[ "$output" == *"module vtime is not served in-process"* ]] || fail "$output"
	[[ "$output" == *$'\n'"2038"$'\n'"0" ]] || fail "$output"
}

@test "combined: under --root ld.so loads the shim from facet's memfd; /proc/PID/exe is right whoever started the loader by hand" {
	mkdir -p "$TMP/root/usr" "$TMP/root/lib64"
	ln -s usr/lib "$TMP/root/lib"
	# a copy of the loader: the kernel would find the host's, another
	# file, so every exec starts the guest's by hand
	cp -L /lib64/ld-linux-x86-64.so.2 "$TMP/root/lib64/"
	run "$FACET" run --backend combined --root "$TMP/root" --bind /usr:/usr -- \
		sh -c "grep -c '$GATE_MAP' /proc/self/maps; readlink /proc/self/exe
		python3 -c 'import os; print(os.readlink(\"/proc/self/exe\"))'
		readlink /proc/\$\$/exe"
	expect_status 0
	expect_output "1
/usr/bin/readlink
$(readlink -f /usr/bin/python3)
$(readlink -f /usr/bin/sh)"
}

@test "combined: under --root a program that changes its user keeps the shim (its held fd replaces facet's memfd in LD_PRELOAD)" {
	[ "$(id -u)" = 0 ] || skip "needs root to change user"
	guest_root "$TMP/root"
	# /proc/FACET/fd/N cannot be opened by nobody: ld.so said it could
	# not preload it, and the image ran without the shim
	run env LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libc_malloc_debug.so.0 \
		"$FACET" run --backend combined --root "$TMP/root" --bind /usr:/usr -- \
		setpriv --reuid=65534 --regid=65534 --clear-groups sh -c "
		id -u; cat /etc/hostname; grep -c '$GATE_MAP' /proc/self/maps
		echo \"\$LD_PRELOAD\"
		grep -z ^LD_PRELOAD= /proc/self/environ | tr -d '\\0' |
		sed 's|:/proc/self/fd/[0-9]*$|:FD|'" 2>&1
	expect_status 0
	# the program sees the user's LD_PRELOAD; its new images got the
	# held fd's name (the kernel's copy of grep's environment)
	expect_output "65534
guest
1
/usr/lib/x86_64-linux-gnu/libc_malloc_debug.so.0
LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libc_malloc_debug.so.0:FD"
}

@test "combined: after a change of user, a program that marks every fd close-on-exec (apt) keeps the shim in what it execs; one that closes them runs the next image without it, still in the view, and no ld.so error" {
	[ "$(id -u)" = 0 ] || skip "needs root to change user"
	guest_root "$TMP/root"
	local py='import fcntl, os, sys
for fd in range(3, 4096):
    try:
        if sys.argv[1] == "cloexec":
            fcntl.fcntl(fd, fcntl.F_SETFD, fcntl.FD_CLOEXEC)
        else:
            os.close(fd)
    except OSError:
        pass
os.execv("/bin/sh", ["sh", "-c", "cat /etc/hostname; grep -c ^fac0000000-fac0001000 /proc/self/maps; true"])'
	for how in cloexec close; do
		run "$FACET" run --backend combined --root "$TMP/root" --bind /usr:/usr -- \
			setpriv --reuid=65534 --regid=65534 --clear-groups \
			/usr/bin/python3 -c "$py" "$how" 2>&1
		expect_status 0
		if [ "$how" = cloexec ]; then
			expect_output "guest
1"
		else
			expect_output "guest
0"
		fi
	done
}

@test "combined: where the gate page's address is taken, the shim stands aside and the supervisor serves every call" {
	run "$FACET" run --backend combined --log-level info \
		--bind "$TMP/host:/mnt" -- "$PROGS/gate_squat" /mnt/f /mnt f 2>&1
	expect_status 0
	[[ "$output" == *"cannot map the gate page"* ]] || fail "$output"
	output=$(printf '%s\n' "$output" | grep -v '^facet: ')
	expect_output "host-file
host-file"
}

@test "combined: a static program runs as nobody with no view (no filter, so no gate to shut)" {
	[ -x /bin/busybox ] || skip "no static busybox"
	for who in "" as_nobody; do
		run $who "$FACET" run --backend combined -- /bin/busybox echo static-ok
		expect_status 0
		expect_output "static-ok"
		run $who "$FACET" run --backend combined -- sh -c '/bin/busybox echo nested-ok; exit 3'
		expect_status 3
		expect_output "nested-ok"
	done
}

# view_vars: the view's variables in a static program's environment and in
# the kernel's copy of it, run first, from a dynamic shell and from the
# static shell, then the gate page in a dynamic program the static shell
# starts (none: its filter refuses the page, so the shim has no use there)
view_vars_script='
	/bin/busybox env | grep -E "^(LD_PRELOAD|FACET_PRELOAD)" || echo env-clean
	/bin/busybox sh -c "busybox tr \"\\0\" \"\\n\" </proc/self/environ" |
		grep -E "^(LD_PRELOAD|FACET_PRELOAD)" || echo environ-clean
	/bin/busybox sh -c "env | grep -E \"^(LD_PRELOAD|FACET_PRELOAD)\" || echo child-clean
		grep -c \"$GATE_MAP\" /proc/self/maps; true"'

@test "a static program sees the environment it has natively: no LD_PRELOAD or FACET_PRELOAD_CONFIG, run first, from a dynamic program or from a static one" {
	[ -x /bin/busybox ] || skip "no static busybox"
	head -c 4 /bin/busybox | grep -q ELF || skip "no ELF busybox"
	for b in $BACKENDS; do
		for who in "" as_nobody; do
			run $who "$FACET" run --backend "$b" -- \
				/bin/busybox sh -c 'env | grep -E "^(LD_PRELOAD|FACET_PRELOAD)"; tr "\0" "\n" </proc/self/environ | grep -E "^(LD_PRELOAD|FACET_PRELOAD)"; echo first'
			expect_status 0
			expect_output "first"
			GATE_MAP=$GATE_MAP run $who "$FACET" run --backend "$b" -- \
				sh -c "$view_vars_script"
			expect_status 0
			expect_output "env-clean
environ-clean
child-clean
0"
			# the user's own LD_PRELOAD stays, without the shim
			LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libc_malloc_debug.so.0 \
				run $who "$FACET" run --backend "$b" -- \
				sh -c '/bin/busybox env | grep -E "^(LD_PRELOAD|FACET_PRELOAD)"'
			expect_status 0
			expect_output "LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libc_malloc_debug.so.0"
		done
	done
	# a dynamic program under combined keeps the shim
	run "$FACET" run --backend combined -- sh -c "grep -c '$GATE_MAP' /proc/self/maps"
	expect_output 1
}

@test "the loader run with --list (after other options too) lists the program's libraries as natively, not the shim" {
	local ld=/lib64/ld-linux-x86-64.so.2 native
	[ -x $ld ] || skip "no $ld"
	native=$($ld --list /bin/true | sed 's/ (0x[0-9a-f]*)//' | sort)
	for b in $BACKENDS; do
		for who in "" as_nobody; do
			for opts in "--list" "--library-path /nonexistent --inhibit-rpath x --argv0 y --list" \
				"--preload /usr/lib/x86_64-linux-gnu/libc_malloc_debug.so.0 --list"; do
				want=$native
				[[ "$opts" == *--preload* ]] && want=$($ld $opts /bin/true | sed 's/ (0x[0-9a-f]*)//' | sort)
				# run first, and exec'd by a dynamic program
				run $who "$FACET" run --backend "$b" -- $ld $opts /bin/true
				expect_status 0
				output=$(printf '%s\n' "$output" | sed 's/ (0x[0-9a-f]*)//' | sort)
				expect_output "$want"
				run $who "$FACET" run --backend "$b" -- sh -c "$ld $opts /bin/true"
				expect_status 0
				output=$(printf '%s\n' "$output" | sed 's/ (0x[0-9a-f]*)//' | sort)
				expect_output "$want"
			done
		done
	done
	# run without --list, the loader keeps the shim under combined
	run "$FACET" run --backend combined -- $ld /bin/sh -c "grep -c '$GATE_MAP' /proc/self/maps"
	expect_output 1
}

@test "combined: under --root the loader run with --list does not list the shim's memfd" {
	local ld=/lib64/ld-linux-x86-64.so.2
	guest_root "$TMP/root"
	for who in "" as_nobody; do
		run $who "$FACET" run --backend combined --root "$TMP/root" --bind /usr:/usr -- \
			sh -c "$ld --list /bin/true; $ld --argv0 x --list /bin/true"
		expect_status 0
		[[ "$output" == *libc.so.6* ]] || fail "$who: $output"
		[[ "$output" != *libfacet-preload* && "$output" != */proc/* ]] || fail "$who: $output"
	done
}
