#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# facet - tests/shell/vfs_escape.bats: a corpus of attempts to read what
# --hide and --root keep out of the view (tests/progs/vfs_escape.c runs 171
# attempts per case, 179 with an inherited dirfd; shell tools add more),
# and to change what --ro and --cow keep (tests/progs/vfs_fdattr.c)

load helper

setup() {
	TMP=$(world_tmp)
	mkdir -p "$TMP/d/sub" "$TMP/w" "$TMP/d/hdir"
	echo TOPSECRET > "$TMP/d/secret"
	echo TOPSECRET > "$TMP/d/hdir/f"
	chmod -R a+rwX "$TMP"
	# --root keeps out everything but /usr, /proc, /dev, /sys, /tmp:
	# the secret lives outside those
	OUT=$(mktemp -d /var/tmp/facet-vfs.XXXXXX)
	chmod 0755 "$OUT"
	echo TOPSECRET > "$OUT/secret"
	chmod 0644 "$OUT/secret"
	ROOT=$TMP/root
	mkdir -p "$ROOT/usr" "$ROOT/progs" "$ROOT/var/tmp"
	ln -s usr/bin "$ROOT/bin"
	ln -s usr/lib "$ROOT/lib"
	ln -s usr/lib64 "$ROOT/lib64"
}

teardown() {
	rm -rf "$TMP" "$OUT"
}

# the program leaks nothing: status 0 and no LEAK line
no_leak() {
	[ "$status" -eq 0 ] || fail "leaks (status $status): $output"
	[[ "$output" != *LEAK* ]] || fail "$output"
	[[ "$output" != *TOPSECRET* ]] || fail "$output"
	[ "$(grep -c blocked <<<"$output")" -ge 50 ] ||
		fail "too few attempts: $output"
}

@test "the escape corpus reads every secret natively (sanity)" {
	run "$PROGS/vfs_escape" "$TMP/d" secret "$TMP/w" TOPSECRET 3<"$TMP/d"
	[ "$(grep -c LEAK <<<"$output")" -ge 45 ]
}

@test "--hide of a file: no attempt reads it" {
	for b in $BACKENDS; do
		rm -rf "$TMP/w"/*
		run "$FACET" run --backend "$b" --hide "$TMP/d/secret" -- \
			"$PROGS/vfs_escape" "$TMP/d" secret "$TMP/w" TOPSECRET
		no_leak
		[ "$(cat "$TMP/d/secret")" = TOPSECRET ]
		# with a dirfd on the directory inherited from outside
		rm -rf "$TMP/w"/*
		run "$FACET" run --backend "$b" --hide "$TMP/d/secret" -- \
			"$PROGS/vfs_escape" "$TMP/d" secret "$TMP/w" TOPSECRET \
			3<"$TMP/d"
		no_leak
		[[ "$output" == *"inherited fd 3: fchdir"* ]] || fail "$output"
		[ "$(cat "$TMP/d/secret")" = TOPSECRET ]
	done
}

@test "--hide of a directory: no attempt reads a file in it" {
	for b in $BACKENDS; do
		rm -rf "$TMP/w"/*
		run "$FACET" run --backend "$b" --hide "$TMP/d/hdir" -- \
			"$PROGS/vfs_escape" "$TMP/d/hdir" f "$TMP/w" TOPSECRET
		no_leak
		rm -rf "$TMP/w"/*
		run "$FACET" run --backend "$b" --hide "$TMP/d/hdir" -- \
			"$PROGS/vfs_escape" "$TMP/d" hdir/f "$TMP/w" TOPSECRET
		no_leak
	done
}

@test "--hide: a --bind of the parent elsewhere does not show it" {
	for b in $BACKENDS; do
		rm -rf "$TMP/w"/*
		run "$FACET" run --backend "$b" --hide "$TMP/d/secret" \
			--bind "$TMP/d:/facet-alias" -- \
			"$PROGS/vfs_escape" /facet-alias secret "$TMP/w" TOPSECRET
		no_leak
		rm -rf "$TMP/w"/*
		run "$FACET" run --backend "$b" --bind "$TMP/d:/facet-alias" \
			--hide /facet-alias/secret -- \
			"$PROGS/vfs_escape" "$TMP/d" secret "$TMP/w" TOPSECRET
		no_leak
	done
}

@test "--hide as an unprivileged user" {
	for b in $BACKENDS; do
		rm -rf "$TMP/w"/*
		run as_nobody "$FACET" run --backend "$b" --hide "$TMP/d/secret" -- \
			"$PROGS/vfs_escape" "$TMP/d" secret "$TMP/w" TOPSECRET
		no_leak
	done
}

@test "--hide and --ro of a path through a symlink hold where it leads, and for the name given" {
	# before 2026-12-07 such a rule matched nothing: /bin/busybox on a
	# merged-/usr system, ~/.ssh under a /home that is a symlink
	ln -s d "$TMP/dl"
	ln -s hdir "$TMP/d/hl"
	ln -s "$OUT" "$ROOT/outlink"
	mkdir -p "$ROOT/srv/in" "$ROOT/etc"
	echo TOPSECRET > "$ROOT/srv/in/secret"
	ln -s /srv/in "$ROOT/etc/inlink"
	cp "$PROGS/vfs_escape" "$ROOT/progs/"
	chmod -R a+rwX "$TMP" "$ROOT"
	for b in $BACKENDS; do
		for who in "" as_nobody; do
			rm -rf "$TMP/w"/*
			run $who "$FACET" run --backend "$b" --hide "$TMP/dl/secret" -- \
				"$PROGS/vfs_escape" "$TMP/d" secret "$TMP/w" TOPSECRET
			no_leak
			# the symlink itself is hidden: its directory too
			rm -rf "$TMP/w"/*
			run $who "$FACET" run --backend "$b" --hide "$TMP/d/hl" -- \
				"$PROGS/vfs_escape" "$TMP/d/hdir" f "$TMP/w" TOPSECRET
			no_leak
			run $who "$FACET" run --backend "$b" --hide "$TMP/d/hl" -- \
				sh -c "cat $TMP/d/hl/f; ls $TMP/d"
			[[ "$output" != *TOPSECRET* ]] || fail "$b $who: $output"
			[[ "$output" == *"hl/f: No such file or directory"$'\n'secret$'\n'sub ]] ||
				fail "$b $who: $output"
			# a symlink of the rootfs, absolute, read in the guest
			rm -rf "$TMP/w"/*
			run $who "$FACET" run --backend "$b" --root "$ROOT" \
				--bind /usr:/usr --hide /etc/inlink -- \
				/progs/vfs_escape /srv/in secret /var/tmp TOPSECRET
			no_leak
			run $who "$FACET" run --backend "$b" --ro "$TMP/dl/sub" -- \
				sh -c "echo x > $TMP/d/sub/a; echo x > $TMP/dl/sub/b
				       rmdir $TMP/d/sub; ls $TMP/d/sub"
			[[ "$output" == *"$TMP/d/sub/a: Read-only file system"* &&
			   "$output" == *"$TMP/dl/sub/b: Read-only file system"* ]] ||
				fail "$b $who: $output"
			[ -d "$TMP/d/sub" ] && [ -z "$(ls "$TMP/d/sub")" ] ||
				fail "$b $who: written"
		done
	done
}

@test "--hide: a listing that drops a hidden name and gets a glue entry of the same size shows neither wrongly" {
	# before 2026-12-07 the batch, as long as the kernel's, was not
	# written back: the hidden name showed and the glue entry did not
	for b in $BACKENDS; do
		for who in "" as_nobody; do
			run $who "$FACET" run --backend "$b" --hide "$TMP/d/hdir" \
				--bind "$TMP/w:$TMP/d/na" -- ls "$TMP/d"
			expect_output "na
secret
sub"
			run $who "$FACET" run --backend "$b" --hide "$TMP/d/hdir" \
				--bind "$TMP/w:$TMP/d/na" -- python3 -c \
				"import os; print(sorted(os.listdir('$TMP/d')))"
			expect_output "['na', 'secret', 'sub']"
		done
	done
}

@test "--hide: shell tools cannot reach it either" {
	rm -rf "$TMP/d/hdir"
	for b in $BACKENDS; do
		run "$FACET" run --backend "$b" --hide "$TMP/d/secret" -- sh -c "
			cd '$TMP/d/sub'; cat ../secret; cat '$TMP/d/./sub/../secret'
			ln -s ../secret l; cat l; rm -f l
			cp '$TMP/d/secret' '$TMP/w/c'; tar cf - -C '$TMP' d | tar tf -
			find '$TMP/d'; ls -la '$TMP/d'; grep -r TOPSECRET '$TMP/d'
			python3 -c 'print(open(\"$TMP/d/secret\").read())'
			cat /proc/self/root$TMP/d/secret; cat /proc/\$\$/cwd/../secret
			exec 3<'$TMP/d'; cat /proc/self/fd/3/secret; cat /dev/fd/3/secret
			mount --bind '$TMP/d' '$TMP/w' && cat '$TMP/w/secret'
			unshare -r -m sh -c 'mount --bind $TMP/d $TMP/w; cat $TMP/w/secret'
			python3 -c 'import ctypes; print(ctypes.CDLL(None).chroot(b\"$TMP/d\"))'
			true"
		[[ "$output" != *TOPSECRET* ]] || fail "$output"
		[[ "$output" != *d/secret$'\n'* ]] || fail "listed: $output"
		[[ "$output" == *"d/sub"* ]] || fail "find/tar missed: $output"
	done
}

@test "--hide: a view started inside the view neither drops it nor gets past it" {
	for o in $BACKENDS; do
		for i in $BACKENDS; do
			# the ptracer cannot run under the ptracer (combined
			# is the ptracer with the shim)
			! { [ "$o" = ptrace ] && is_ptracer "$i"; } || continue
			for who in "" as_nobody; do
				run $who "$FACET" run --backend "$o" --hide "$TMP/d/secret" -- \
					"$FACET" run --backend "$i" --bind "$TMP/d:/y" -- sh -c "
					cat /y/secret; cat '$TMP/d/secret'; rm -f /y/secret
					echo inner ran"
				[ -f "$TMP/d/secret" ] || fail "$o/$i $who: removed through the inner view"
				[[ "$output" != *TOPSECRET* ]] || fail "$o/$i $who: $output"
				if [ "$o" = preload ] || [ "$o" = combined ]; then
					# its shim would rewrite the inner configuration
					# away, or check calls a ptracer then rewrites
					expect_status 125
					[[ "$output" == *"--backend ptrace to nest views"* ]] || fail "$o/$i $who: $output"
				else
					[[ "$output" == *"inner ran"* ]] || fail "$o/$i $who: $output"
				fi
			done
		done
	done
}

@test "--root: no attempt reads a host file outside the root" {
	for b in $BACKENDS; do
		rm -rf "$TMP/w"/*
		run "$FACET" run --backend "$b" --root "$ROOT" --bind /usr:/usr \
			--bind "$PROGS:/progs" -- \
			/progs/vfs_escape "$OUT" secret "$TMP/w" TOPSECRET \
			3<"$OUT"
		no_leak
		[[ "$output" == *"inherited fd 3: fchdir"* ]] || fail "$output"
		run "$FACET" run --backend "$b" --root "$ROOT" --bind /usr:/usr \
			--bind "$PROGS:/progs" -- \
			/progs/vfs_escape "/../../..$OUT/../${OUT##*/}" secret \
			"$TMP/w" TOPSECRET
		no_leak
	done
}

# fd_server SOCK DIR: outside the view, send a dirfd on DIR to whoever
# connects to SOCK (once); waits until SOCK is there
fd_server() {
	python3 -c 'import os, socket, sys
s = socket.socket(socket.AF_UNIX)
s.bind(sys.argv[1])
s.listen(1)
c, _ = s.accept()
socket.send_fds(c, [b"x"], [os.open(sys.argv[2], os.O_RDONLY | os.O_DIRECTORY)])
c.close()' "$1" "$2" &
	while [ ! -S "$1" ]; do sleep 0.05; done
}

@test "a #! script in a memfd (fexecve) has its interpreter looked up in the view: a hidden one or one outside --root does not run" {
	local memx='import os, sys
fd = os.memfd_create("s", int(sys.argv[2]))
os.write(fd, b"#!" + sys.argv[1].encode() + b" iarg\n")
try:
    os.execve(fd, ["script", "arg"], os.environ)
except OSError as e:
    print(e.strerror)'
	printf '#!/bin/sh\necho TOPSECRET ran "$@"\n' > "$TMP/d/hdir/prog"
	printf '#!/bin/sh\necho TOPSECRET ran "$@"\n' > "$OUT/prog"
	chmod 755 "$TMP/d/hdir/prog" "$OUT/prog"
	run python3 -c "$memx" /bin/echo 0
	local native=$output
	[[ "$native" == "iarg /dev/fd/"[0-9]*" arg" ]] || fail "$native"
	for b in $BACKENDS; do
		run "$FACET" run --backend "$b" --hide "$TMP/d/hdir" -- \
			python3 -c "$memx" "$TMP/d/hdir/prog" 0
		expect_output "No such file or directory"
		run "$FACET" run --backend "$b" --root "$ROOT" --bind /usr:/usr -- \
			python3 -c "$memx" "$OUT/prog" 0
		expect_output "No such file or directory"
		# a guest interpreter runs with /dev/fd/N, as natively
		run "$FACET" run --backend "$b" --hide "$TMP/d/hdir" -- \
			python3 -c "$memx" /bin/echo 0
		expect_output "$native"
		# close-on-exec: the interpreter could not open it, ENOENT
		run "$FACET" run --backend "$b" --hide "$TMP/d/hdir" -- \
			python3 -c "$memx" /bin/echo 1
		expect_output "No such file or directory"
	done
}

@test "a static program that makes the combined mode's gate page itself gets nothing through it; a program it starts runs without its shim, still in the view" {
	cc -O1 -static -o "$TMP/gate_forge" "$BATS_TEST_DIRNAME/../progs/gate_forge.c" ||
		skip "no static toolchain"
	cp "$TMP/gate_forge" "$ROOT/progs/"
	chmod -R a+rX "$ROOT"
	run "$TMP/gate_forge" "$TMP/d/secret"
	expect_output "gate open: OK TOPSECRET"
	for b in $BACKENDS; do
		for who in "" as_nobody; do
			run $who "$FACET" run --backend "$b" --hide "$TMP/d/secret" -- \
				"$TMP/gate_forge" "$TMP/d/secret"
			expect_status 0
			[[ "$output" == "gate open: "* && "$output" != *OK* ]] || fail "$output"
			run $who "$FACET" run --backend "$b" --root "$ROOT" --bind /usr:/usr -- \
				/progs/gate_forge "$OUT/secret"
			expect_status 0
			[[ "$output" == "gate open: "* && "$output" != *OK* ]] || fail "$output"
			# the dynamic program under the static one: its calls
			# from the shim's page would fail, so the shim stands
			# aside and the supervisor serves them
			run $who "$FACET" run --backend "$b" --hide "$TMP/d/secret" -- \
				/bin/busybox sh -c "/bin/cat $TMP/d/secret; /bin/ls $TMP/d"
			expect_output "/bin/cat: $TMP/d/secret: No such file or directory
hdir
sub"
		done
	done
}

@test "no process of the view attaches to, reads or writes the memory of, or takes an fd from a process outside it" {
	local reach='import ctypes, sys
libc = ctypes.CDLL(None, use_errno=True)
libc.ptrace.argtypes = [ctypes.c_long, ctypes.c_long, ctypes.c_void_p, ctypes.c_void_p]
pid = int(sys.argv[1])
for req, name in ((0x4206, "seize"), (16, "attach")):
    r = libc.ptrace(req, pid, None, None)
    print(name, "ok" if r == 0 else ctypes.get_errno())
class iovec(ctypes.Structure):
    _fields_ = [("base", ctypes.c_void_p), ("len", ctypes.c_size_t)]
at = int(sys.argv[2], 16)
buf = ctypes.create_string_buffer(8)
local, remote = iovec(ctypes.addressof(buf), 8), iovec(at, 8)
r = libc.syscall(310, pid, ctypes.byref(local), 1, ctypes.byref(remote), 1, 0)
print("process_vm_readv", "ok" if r == 8 else ctypes.get_errno())
pidfd = libc.syscall(434, pid, 0)
r = libc.syscall(438, pidfd, 1, 0)
print("pidfd_getfd", "ok" if r >= 0 else ctypes.get_errno())'
	for who in "" as_nobody; do
		# a process of the user's own (as_nobody would be a subshell)
		if [ -n "$who" ]; then
			setpriv --reuid=65534 --regid=65534 --clear-groups -- sleep 60 &
		else
			sleep 60 &
		fi
		local outside=$!
		sleep 0.2
		local at
		at=$(awk -F- 'NR == 1 { print $1 }' "/proc/$outside/maps")
		# natively (attach after seize: traced already)
		run $who /usr/bin/python3 -c "$reach" "$outside" "$at"
		expect_output "seize ok
attach 1
process_vm_readv ok
pidfd_getfd ok"
		for b in $BACKENDS; do
			run $who "$FACET" run --backend "$b" --hide "$TMP/d/secret" -- \
				/usr/bin/python3 -c "$reach" "$outside" "$at"
			expect_output "seize 1
attach 1
process_vm_readv 1
pidfd_getfd 1"
			# facet itself is outside the view too
			run $who "$FACET" run --backend "$b" --hide "$TMP/d/secret" -- \
				sh -c '/usr/bin/python3 -c "$1" $PPID "$2"' sh "$reach" "$at"
			expect_output "seize 1
attach 1
process_vm_readv 1
pidfd_getfd 1"
			# a process of the view may be debugged from inside,
			# where nothing traces it already (preload)
			is_ptracer "$b" && continue
			run $who "$FACET" run --backend "$b" --hide "$TMP/d/secret" -- \
				sh -c 'sleep 30 & /usr/bin/python3 -c "$1" $! 0; kill $!' sh "$reach"
			expect_output "seize ok
attach 1
process_vm_readv 14
pidfd_getfd ok"
		done
		kill "$outside"
	done
}

@test "a directory swapped for a symlink, or a cwd moved by another thread, during an open reaches nothing hidden" {
	local m h ways
	for m in swap cwd; do
		rm -rf "$TMP/r"; mkdir -m 0777 "$TMP/r"
		run "$PROGS/vfs_fsrace" "$m" "$TMP/r" "$TMP/d/hdir" 3000 openat2
		[[ "$output" != "leak 0 "* ]] || skip "the race did not happen natively: $output"
	done
	for b in $BACKENDS; do
		ways="open creat openat2"
		for m in swap cwd; do
			for h in $ways; do
				rm -rf "$TMP/r"; mkdir -m 0777 "$TMP/r"
				run "$FACET" run --backend "$b" --hide "$TMP/d/hdir" -- \
					"$PROGS/vfs_fsrace" "$m" "$TMP/r" "$TMP/d/hdir" 3000 "$h"
				expect_status 0
				[[ "$output" == "leak 0 harmless "* ]] || fail "$b $m $h: $output"
			done
		done
	done
	# under --root the paths are the module's own (not the caller's):
	# the supervisor opens the file, walking no symlink, on every backend
	echo TOPSECRET > "$OUT/f"
	chmod 0644 "$OUT/f"
	cp "$PROGS/vfs_fsrace" "$ROOT/progs/"
	chmod -R a+rX "$ROOT"
	for b in $BACKENDS; do
		rm -rf "$ROOT/r"; mkdir -m 0777 "$ROOT/r"
		run "$FACET" run --backend "$b" --root "$ROOT" --bind /usr:/usr -- \
			/progs/vfs_fsrace swap /r "$OUT" 3000 open
		expect_status 0
		[[ "$output" == "leak 0 harmless "* ]] || fail "$b --root: $output"
		# ...and where the path is the caller's own: the host's /tmp,
		# bound into the root, with a symlink to a host directory
		# outside it swapped in; as root and as nobody
		chmod 0755 "$OUT"
		for who in "" as_nobody; do
			rm -rf "$TMP/r"; mkdir -m 0777 "$TMP/r"
			run $who "$FACET" run --backend "$b" --root "$ROOT" \
				--bind /usr:/usr -- \
				/progs/vfs_fsrace swap "$TMP/r" "$OUT" 3000 open
			expect_status 0
			[[ "$output" == "leak 0 harmless "* ]] ||
				fail "$b --root, $TMP: $output"
		done
	done
}

@test "a relative name checked in one directory while another thread or process moves the cwd or swaps the dirfd to one where it is hidden or read-only reaches nothing there" {
	local m c b p try
	# $TMP/ok/secret is harmless; $TMP/d/secret hidden, $TMP/ro/secret
	# read-only (each of another inode)
	mkdir -m 0777 "$TMP/ok" "$TMP/ro"
	echo harmless > "$TMP/ok/secret"
	echo KEEP > "$TMP/ro/secret"
	chmod 0666 "$TMP/ok/secret" "$TMP/ro/secret"
	run "$PROGS/vfs_baserace" dirfd "$TMP/ok" "$TMP/d" secret 3000 open
	[[ "$output" != *"leak 0 "* ]] || skip "no race natively: $output"
	# static too: under auto it runs under the ptracer
	cp "$PROGS/vfs_baserace" "$TMP/dyn"
	cc -O1 -D_GNU_SOURCE -static -o "$TMP/static" \
		"$BATS_TEST_DIRNAME/../progs/vfs_baserace.c" -lpthread ||
		skip "no static toolchain"
	for b in $BACKENDS; do
		for p in dyn static; do
			for m in cwd dirfd cwd-proc dirfd-proc; do
				for c in open opath stat lstat; do
					run "$FACET" run --backend "$b" \
						--hide "$TMP/d/secret" -- "$TMP/$p" "$m" \
						"$TMP/ok" "$TMP/d" secret 2000 "$c"
					expect_status 0
					[[ "$output" == "leak 0 harmless "* ]] ||
						fail "$b $p $m $c: $output"
				done
				# a run in which the switcher got no CPU proves
				# nothing
				for try in 1 2 3; do
					run as_nobody "$FACET" run --backend "$b" \
						--ro "$TMP/ro" -- "$TMP/$p" "$m" \
						"$TMP/ok" "$TMP/ro" secret 2000 write
					[[ "$output" != *"harmless 0" ]] && break
				done
				expect_status 0
				[[ "$output" == "leak 0 harmless "[1-9]* ]] ||
					fail "$b $p $m write: $output"
				[ "$(cat "$TMP/ro/secret")" = KEEP ] ||
					fail "$b $p $m: the --ro file changed"
			done
		done
	done
}

@test "an io_uring instance made outside the view is not inherited into it, and io_uring_enter() and io_uring_register() fail with ENOSYS" {
	local b who
	# natively the instance opens the file (the test can fail)
	run "$PROGS/vfs_ring" hold "$PROGS/vfs_ring" open "$TMP/d/secret"
	[[ "$output" == *"ring open: TOPSECRET"* ]] ||
		skip "no io_uring here: $output"
	for b in $BACKENDS; do
		for who in "" as_nobody; do
			run $who "$PROGS/vfs_ring" hold "$FACET" run --backend "$b" \
				--hide "$TMP/d/secret" -- \
				"$PROGS/vfs_ring" open "$TMP/d/secret"
			expect_status 125
			[[ "$output" == "facet: vfs: fd 7 is an io_uring instance"* ]] ||
				fail "$b ${who:-root}: $output"
			[[ "$output" != *TOPSECRET* ]] || fail "$b: $output"
			# no instance: the calls themselves are refused
			run $who "$FACET" run --backend "$b" --hide "$TMP/d/secret" -- \
				"$PROGS/vfs_ring" open "$TMP/d/secret"
			expect_status 0
			[[ "$output" == *"enter: Function not implemented"* ]] ||
				fail "$b ${who:-root}: $output"
		done
	done
}

@test "--root: a directory fd received from outside the view leads nowhere" {
	for b in $BACKENDS; do
		rm -rf "$TMP/w"/*
		fd_server "$TMP/fd.sock" "$OUT"
		run env VFS_ESCAPE_FDSOCK="$TMP/fd.sock" "$FACET" run \
			--backend "$b" --root "$ROOT" --bind /usr:/usr \
			--bind "$PROGS:/progs" -- \
			/progs/vfs_escape "$OUT" secret "$TMP/w" TOPSECRET
		wait
		rm -f "$TMP/fd.sock"
		no_leak
		[[ "$output" == *"received fd on a dirfd's number: fstatat"* ]] ||
			fail "$output"
	done
}

# fd_server_ns SOCK DIR SETUP: fd_server in a user and mount namespace of
# its own, outside the view, after the shell commands SETUP ran there (a
# bind mount); DIR "tree:PATH" sends a detached copy of PATH's mount made
# with open_tree(OPEN_TREE_CLONE), whose /proc path is "/"
fd_server_ns() {
	unshare -Urm sh -c "$3"'
exec python3 -c '"'"'import ctypes, os, socket, sys
libc = ctypes.CDLL(None, use_errno=True)
d = sys.argv[2]
if d.startswith("tree:"):
    fd = libc.syscall(428, -100, d[5:].encode(), 1)  # open_tree CLONE
else:
    fd = os.open(d, os.O_RDONLY | os.O_DIRECTORY)
s = socket.socket(socket.AF_UNIX)
s.bind(sys.argv[1])
os.chmod(sys.argv[1], 0o777)
s.listen(1)
c, _ = s.accept()
socket.send_fds(c, [b"x"], [fd])
c.close()'"'"' "$0" "$1"' "$1" "$2" &
	while [ ! -S "$1" ]; do sleep 0.05; done
}

@test "--hide: a directory fd opened in another mount namespace, whose /proc path is a visible directory, reaches nothing hidden" {
	# /proc shows an fd's path as its own namespace has it: a process
	# outside the view that binds the hidden file's directory over a
	# visible one in a namespace of its own,
	# or clones it detached ("/"), and sends the fd; before 2026-12-08 a
	# name relative to it, fchdir() to it, and its listing reached the
	# hidden file (preload, combined: its content; ptracer: stat, names)
	mkdir -p "$TMP/alias"
	chmod -R a+rwX "$TMP"
	local fdir setup
	for b in $BACKENDS; do
		for who in "" as_nobody; do
			for fdir in "$TMP/alias" "tree:$TMP/d"; do
				setup=:
				[ "$fdir" = "$TMP/alias" ] &&
					setup="mount --bind $TMP/d $TMP/alias"
				rm -rf "$TMP/w"/* "$TMP/fd.sock"
				fd_server_ns "$TMP/fd.sock" "$fdir" "$setup"
				run $who env VFS_ESCAPE_FDSOCK="$TMP/fd.sock" VFS_ESCAPE_LISTING=1 \
					"$FACET" run --backend "$b" \
					--hide "$TMP/d/secret" -- "$PROGS/vfs_escape" \
					"$TMP/d" secret "$TMP/w" TOPSECRET
				wait
				no_leak
				[[ "$output" == *"received fd: listing names it: blocked"* ]] ||
					fail "$fdir: $output"
			done
		done
	done
	rm -f "$TMP/fd.sock"
}

@test "--root: a host fd, cwd or symlink does not lead out" {
	for b in $BACKENDS; do
		ln -s "$OUT/secret" "$TMP/w/out-link"
		cd "$OUT"
		run "$FACET" run --backend "$b" --root "$ROOT" --bind /usr:/usr -- \
			sh -c "cat secret; cat ./secret; pwd; cat '$TMP/w/out-link';
			       cat /proc/1/cwd/secret; cat /proc/1/root$OUT/secret;
			       echo listing; ls /var/tmp; cd ..; pwd; ls"
		cd /
		[[ "$output" != *TOPSECRET* ]] || fail "$output"
		[[ "${output#*listing}" != *"${OUT##*/}"* ]] || fail "$output"
		exec 4<"$OUT"
		run "$FACET" run --backend "$b" --root "$ROOT" --bind /usr:/usr -- \
			sh -c 'cat /proc/self/fd/4/secret; cat /dev/fd/4/secret'
		exec 4<&-
		[[ "$output" != *TOPSECRET* ]] || fail "$output"
		rm -f "$TMP/w/out-link"
	done
}

@test "--hide: a directory walked before and then swapped for a symlink to the hidden one" {
	mkdir -p "$TMP/d/pub"
	echo public > "$TMP/d/pub/f"
	cp "$TMP/d/hdir/f" "$TMP/d/hdir/k"
	for b in $BACKENDS; do
		rm -rf "$TMP/d/pub2"
		# sh resolves d/pub (and remembers it), other processes swap
		# it for a symlink to the hidden directory, sh opens again
		run "$FACET" run --backend "$b" --hide "$TMP/d/hdir" -- sh -c "
			cd $TMP/d
			for i in 1 2 3; do read x < pub/f; done; echo \$x
			mv pub pub2 && ln -s $TMP/d/hdir pub
			cat pub/k 2>/dev/null; read y < pub/k; echo y=\$y
			cat $TMP/d/pub/k 2>/dev/null; [ -e pub/k ] || echo gone
			rm pub && ln -s hdir pub; cat pub/k 2>/dev/null
			[ -e pub/k ] || echo gone
			rm pub && mv pub2 pub"
		[[ "$output" != *TOPSECRET* ]] || fail "leak: $output"
		[[ "$output" == *"public"*"y="*"gone"*"gone"* ]] ||
			fail "$output"
	done
}

@test "--hide: a signal handler run while the view translates another call stays in the view" {
	echo a > "$TMP/w/a"
	echo TOPSECRET > "$TMP/w/b"
	mkdir "$TMP/w2"
	echo a > "$TMP/w2/a"
	echo b > "$TMP/w2/b"
	chmod -R a+rX "$TMP/w" "$TMP/w2"
	for b in $BACKENDS; do
		# a timer every 50 µs (200 µs under the ptracer: each call is
		# a round trip); its handler opens the hidden file while the
		# program opens another one in a loop
		n=20000 us=50
		# (and under combined: every signal delivered is a ptrace
		# signal-delivery stop)
		is_ptracer "$b" && n=3000 us=200
		run as_nobody "$FACET" run --backend "$b" --hide "$TMP/w/b" -- \
			"$FACET_BUILD/tests/progs/vfs_signal_nest" "$TMP/w" $n $us hidden
		expect_status 0
		[[ "$output" == "ok "* ]] || fail "$output"
		# and in a --bind view each call keeps its own path
		run as_nobody "$FACET" run --backend "$b" --bind "$TMP/w2:/mnt" -- \
			"$FACET_BUILD/tests/progs/vfs_signal_nest" /mnt $n $us
		expect_status 0
		[[ "$output" == "ok "* ]] || fail "$output"
	done
}

@test "--hide: a signal handler's raw call, run while the program sleeps in a raw call, stays in the view" {
	echo TOPSECRET > "$TMP/w/b"
	chmod a+r "$TMP/w/b"
	for b in $BACKENDS; do
		# the shim's SIGSYS handler had the selector open while it made
		# the read: the handler's openat ran on the host
		run as_nobody "$FACET" run --backend "$b" --hide "$TMP/w/b" -- \
			"$PROGS/vfs_signal_raw" "$TMP/w/b"
		expect_status 0
		expect_output "open: -2"
	done
}

# every line libc_routes prints under the view (tests/progs/libc_routes.c)
LIBC_ROUTES_VIEW="dlsym(libc, open): ENOENT
dlvsym(libc, open): ENOENT
dlsym(libc, syscall) openat: ENOENT
readdir_r: not seen
scandirat: not seen
getdirentries: not seen
glob64: not seen
fts_read: not seen
ftok: ENOENT
remove: EROFS
mkfifo: EROFS
lchmod: EROFS
futimesat: EROFS
mkstemps64: EROFS
mkostemp: EROFS
fopen w: EROFS
fopen a+: EROFS
fopen r: ENOENT
eaccess: ENOENT
euidaccess: EROFS
timespec_get year: 2038
ftime year: 2038
dlsym(libc, time) year: 2038"

@test "libc functions that make their syscalls inside libc, and dlsym() on a libc handle, stay in the view" {
	mkdir -p "$TMP/d/ro"
	echo KEEP > "$TMP/d/ro/keep"
	chmod -R a+rwX "$TMP/d"
	# natively each route reaches the file
	run "$PROGS/libc_routes" "$TMP/d"
	[[ "$output" == *"dlsym(libc, open): 0"* ]] || fail "$output"
	[[ "$output" == *"readdir_r: seen"* ]] || fail "$output"
	rm -f "$TMP/d/ro"/fifo "$TMP/d/ro"/t*
	echo KEEP > "$TMP/d/ro/keep"
	chmod 0666 "$TMP/d/ro/keep"
	for b in $BACKENDS; do
		for who in "" as_nobody; do
			run $who "$FACET" run --backend "$b" --hide "$TMP/d/secret" \
				--ro "$TMP/d/ro" --time 2038-06-01T00:00:00Z -- \
				"$PROGS/libc_routes" "$TMP/d"
			expect_status 0
			expect_output "$LIBC_ROUTES_VIEW"
			[ "$(ls "$TMP/d/ro")" = keep ] || fail "$(ls -l "$TMP/d/ro")"
			[ "$(stat -c %a "$TMP/d/ro/keep")" = 666 ] || fail "mode changed"
		done
	done
}

@test "posix_spawn() file actions open and enter paths in the view" {
	mkdir -p "$TMP/d/ro"
	echo KEEP > "$TMP/d/ro/keep"
	chmod -R a+rwX "$TMP/d"
	for b in $BACKENDS; do
		for who in "" as_nobody; do
			run $who "$FACET" run --backend "$b" --hide "$TMP/d/secret" \
				--bind "$TMP/d:/facet-spawn" -- \
				"$PROGS/libc_routes" --spawn "$TMP/d" /facet-spawn
			expect_status 0
			expect_output "posix_spawn open: ENOENT
posix_spawn chdir+open: 0
/facet-spawn
KEEP"
		done
	done
}

# tests/progs/vfs_race.c: a path flipped between a harmless file and a
# forbidden one while the call that passes it is checked
race_setup() {
	mkdir -p "$TMP/r/ro"
	: > "$TMP/r/vis"
	printf 'SECRET\n123' > "$TMP/r/secret"
	echo KEEP > "$TMP/r/ro/keep"
	chmod -R a+rwX "$TMP/r"
}

@test "a path changed by another thread or process (also with process_vm_writev()) during the check reaches nothing hidden or read-only" {
	race_setup
	# natively the flip is seen by the calls (the test can fail); many
	# calls, so that the flipping thread runs during them even when the
	# scheduler keeps both on one CPU
	run "$PROGS/vfs_race" thread "$TMP/r" 50000
	[[ "$output" != *"open: forbidden 0,"* ]] || fail "no race natively: $output"
	echo KEEP > "$TMP/r/ro/keep"
	for b in $BACKENDS; do
		for mode in thread shared pvwrite; do
			for who in "" as_nobody; do
				# a run in which the flipper got no CPU at all
				# (every call harmless 0, none forbidden) proves
				# nothing: it is made again, up to 5 times
				for try in 1 2 3 4 5; do
					run $who "$FACET" run --backend "$b" \
						--hide "$TMP/r/secret" --ro "$TMP/r/ro" -- \
						"$PROGS/vfs_race" "$mode" "$TMP/r" 3000
					[[ "$output" =~ harmless\ [1-9] ]] ||
						[[ "$output" =~ forbidden\ [1-9] ]] ||
						[ "$status" -ne 0 ] || continue
					break
				done
				expect_status 0
				# nothing forbidden is reached by any of the three
				# calls, and the harmless file still is (a loop of a
				# few ms may see only the hidden spelling, ENOENT
				# each time, if the flipper gets no CPU during it)
				[ "$(grep -c 'forbidden 0, harmless' <<<"$output")" -eq 3 ] ||
					fail "$b $mode ${who:-root}: $output"
				grep -q 'forbidden 0, harmless [1-9]' <<<"$output" ||
					fail "$b $mode ${who:-root}: $output"
				[ "$(cat "$TMP/r/ro/keep")" = KEEP ] || fail "ro file changed"
			done
		done
	done
}

# what tests/progs/dir_streams prints of $TMP/ds under --hide $TMP/ds/secret
DIR_STREAMS_HIDDEN="opendir: plain sub
opendir sub: f
opendir secret: ENOENT
opendir secret/..: ENOENT
opendir plain: ENOTDIR
opendir empty name: ENOENT
fdopendir: plain sub
fdopendir secret: ENOENT
fdopendir plain: ENOTDIR
fdopendir bad fd: EBADF
opendir fd: cloexec nonblock
fdopendir fd: cloexec"

@test "opendir() and fdopendir() list the view: a hidden directory is neither listed nor opened, errors and fd flags as libc gives them" {
	mkdir -p "$TMP/ds/secret" "$TMP/ds/sub"
	echo TOPSECRET > "$TMP/ds/secret/x"
	touch "$TMP/ds/plain" "$TMP/ds/sub/f"
	chmod -R a+rwX "$TMP/ds"
	run "$PROGS/dir_streams" "$TMP/ds"
	[[ "$output" == *"opendir secret: x"* ]] || fail "$output"
	for b in $BACKENDS; do
		for who in "" as_nobody; do
			run $who "$FACET" run --backend "$b" --hide "$TMP/ds/secret" -- \
				"$PROGS/dir_streams" "$TMP/ds"
			expect_status 0
			expect_output "$DIR_STREAMS_HIDDEN"
		done
	done
}

@test "opendir() and fdopendir() under --root: the guest's directories, a bind's listing, nothing of the host's root" {
	cp "$PROGS/dir_streams" "$ROOT/progs/"
	mkdir -p "$ROOT/ds/sub" "$TMP/bound"
	touch "$ROOT/ds/plain" "$TMP/bound/b1"
	chmod -R a+rwX "$ROOT" "$TMP/bound"
	for b in $BACKENDS; do
		run "$FACET" run --backend "$b" --root "$ROOT" --bind /usr:/usr \
			--bind "$TMP/bound:/ds/secret" -- /progs/dir_streams /ds
		expect_status 0
		[[ "${lines[0]}" == "opendir: plain secret sub" ]] || fail "$b: $output"
		[[ "${lines[2]}" == "opendir secret: b1" ]] || fail "$b: $output"
		[[ "${lines[3]}" == "opendir secret/..: plain secret sub" ]] || fail "$b: $output"
		[[ "${lines[7]}" == "fdopendir secret: b1" ]] || fail "$b: $output"
		run "$FACET" run --backend "$b" --root "$ROOT" --bind /usr:/usr -- \
			/progs/dir_streams /
		expect_status 0
		[[ "${lines[0]}" == "opendir: bin dev ds lib lib64 proc progs sys tmp usr var" ]] || fail "$b: $output"
		[[ "$output" == *"opendir secret: ENOENT"* ]] || fail "$b: $output"
	done
}

# host_state DIR: what the view must not change of DIR and its files
host_state() {
	(cd "$1" && stat -c '%n %a %u %g %h %s %Y' . * && lsattr -d . * &&
	 python3 -c 'import os; print([os.listxattr(f) for f in os.listdir()])' &&
	 md5sum keep)
}

@test "--ro and --cow: attribute ioctls, fchmod, futimens and xattrs through a read-only fd, or on an fd number another thread switches, change nothing of the host" {
	# before 2026-12-07 FS_IOC_SETFLAGS on an fd opened read-only set
	# chattr flags of a --ro or --cow file, and an fchmod() on a number
	# dup2()'d from a writable file to the --ro one between facet's
	# check and the kernel's call changed the --ro file's mode
	mkdir -p "$TMP/p/ro"
	echo KEEP > "$TMP/p/ro/keep"
	echo other > "$TMP/w/other"
	chmod -R a+rwX "$TMP/p" "$TMP/w"
	chmod 0666 "$TMP/p/ro/keep"
	# nobody's: as_nobody may change them natively
	chown 65534:65534 "$TMP/p/ro/keep" "$TMP/w/other"
	# natively every call and the race reach the file
	cp -a "$TMP/p/ro" "$TMP/p/native"
	run "$PROGS/vfs_fdattr" "$TMP/p/native/keep" "$TMP/w/other" 20000
	[[ "${lines[0]}" == "file FS_IOC_SETFLAGS: ok" ]] || fail "$output"
	[[ "$(lsattr "$TMP/p/native/keep")" == *d*keep ]] || fail "no chattr natively"
	[ "$(stat -c %a "$TMP/p/native/keep")" != 666 ] || fail "no race natively: $output"
	local before mode b who
	before=$(host_state "$TMP/p/ro")
	for mode in ro cow; do
		for b in $BACKENDS; do
			for who in "" as_nobody; do
				run $who "$FACET" run --backend "$b" --$mode "$TMP/p/ro" -- \
					"$PROGS/vfs_fdattr" "$TMP/p/ro/keep" "$TMP/w/other" 5000
				expect_status 0
				[ "$(grep -c ': Read-only file system$' <<<"$output")" -eq 8 ] ||
					fail "$mode $b $who: $output"
				[[ "$output" == *"race: "[1-9]*" of 5000 ok" ]] ||
					fail "$mode $b $who: $output"
				[ "$(host_state "$TMP/p/ro")" = "$before" ] ||
					fail "$mode $b $who: host changed: $(diff <(echo "$before") <(host_state "$TMP/p/ro"))"
			done
		done
	done
	# a file the view lets change: the calls (made by facet on the
	# caller's own file) do what they do natively
	for b in $BACKENDS; do
		chattr -d "$TMP/w/other"
		run "$FACET" run --backend "$b" --ro "$TMP/p/ro" -- \
			"$PROGS/vfs_fdattr" "$TMP/w/other" "$TMP/w/other" 10
		expect_status 0
		[[ "${lines[0]}" == "file FS_IOC_SETFLAGS: ok" ]] || fail "$b: $output"
		[[ "$output" == *"fchmod: ok"*"fsetxattr: ok"*"fremovexattr: ok"*"race: 10 of 10 ok" ]] ||
			fail "$b: $output"
		[[ "$(lsattr "$TMP/w/other")" == *d*other ]] || fail "$b: flag not set"
	done
}

@test "--ro and --cow: fchmodat2, fchownat and utimensat on the working directory (AT_FDCWD, \"\", AT_EMPTY_PATH) change a directory the view lets change, and not a --ro one" {
	# before 2026-12-07 they failed with EBADF under every backend
	# (facet took the caller's fd AT_FDCWD), and before that the --ro
	# directory's mode changed
	mkdir -p "$TMP/p/ro/sub" "$TMP/w/rw"
	chmod 0777 "$TMP/p" "$TMP/w" "$TMP/w/rw"
	chmod 0755 "$TMP/p/ro" "$TMP/p/ro/sub"
	chown 65534:65534 "$TMP/p/ro/sub" "$TMP/w/rw"
	touch -d @1000000000 "$TMP/p/ro/sub"
	# natively all but futimens(AT_FDCWD) work
	cp -a "$TMP/p/ro/sub" "$TMP/p/native"
	run "$PROGS/vfs_cwdattr" "$TMP/p/native" 0700
	expect_status 0
	[[ "$output" == *"fchmodat2: ok"*"fchownat: ok"*"utimensat: ok"*"futimens: Bad address" ]] ||
		fail "native: $output"
	[ "$(stat -c %a "$TMP/p/native")" = 700 ] || fail "no chmod natively"
	local mode b who
	for mode in ro cow; do
		for b in $BACKENDS; do
			for who in "" as_nobody; do
				chmod 0755 "$TMP/w/rw"
				chown 65534:65534 "$TMP/w/rw"
				run $who "$FACET" run --backend "$b" --$mode "$TMP/p/ro" -- \
					"$PROGS/vfs_cwdattr" "$TMP/w/rw" 0700
				expect_status 0
				[[ "$output" == *"fchmodat2: ok"*"fchownat: ok"*"utimensat: ok"*"futimens: Bad address" ]] ||
					fail "$mode $b $who rw: $output"
				[ "$(stat -c %a "$TMP/w/rw")" = 700 ] || fail "$mode $b $who: no chmod"
				run $who "$FACET" run --backend "$b" --$mode "$TMP/p/ro" -- \
					"$PROGS/vfs_cwdattr" "$TMP/p/ro/sub" 0700
				expect_status 0
				[ "$(grep -c ': Read-only file system$' <<<"$output")" -eq 3 ] ||
					fail "$mode $b $who ro: $output"
				[[ "$output" == *"futimens: Bad address" ]] ||
					fail "$mode $b $who ro: $output"
				[ "$(stat -c '%a %Y' "$TMP/p/ro/sub")" = "755 1000000000" ] ||
					fail "$mode $b $who: host changed: $(stat -c '%a %Y' "$TMP/p/ro/sub")"
			done
		done
	done
}

@test "what the preload backend does not stop (docs/preload.md): a syscall instruction of libc's jumped to, a process of the view that traces another; ptrace and combined stop both" {
	echo public > "$TMP/d/sub/pub"
	chmod 0644 "$TMP/d/sub/pub"
	# natively both read the file
	run "$PROGS/preload_escape" libc-gadget "$TMP/d/hdir/f"
	expect_output "read TOPSECRET"
	run "$PROGS/preload_sibling" "$TMP/d/sub/pub" "$TMP/d/hdir/f"
	expect_output "child read TOPSECRET"
	for b in $BACKENDS; do
		for who in "" as_nobody; do
			run $who "$FACET" run --backend "$b" --hide "$TMP/d/hdir" -- \
				"$PROGS/preload_escape" libc-gadget "$TMP/d/hdir/f"
			expect_status 0
			if is_ptracer "$b"; then
				expect_output "read ERR No such file or directory"
			else
				# SUD lets libc's text through: the shim never sees it
				expect_output "read TOPSECRET"
			fi
			run $who "$FACET" run --backend "$b" --hide "$TMP/d/hdir" -- \
				"$PROGS/preload_sibling" "$TMP/d/sub/pub" "$TMP/d/hdir/f"
			expect_status 0
			if is_ptracer "$b"; then
				# facet is the child's tracer already
				expect_output "seize ERR Operation not permitted"
			else
				# the kernel opens what the tracer wrote after the
				# shim's check
				expect_output "child read TOPSECRET"
			fi
		done
	done
}

@test "no process of the view writes code into a process outside it through /proc/PID/mem" {
	# before 2026-12-08 the fence stopped ptrace and process_vm_writev()
	# but not open("/proc/PID/mem", O_RDWR): code written at the return
	# address of a process of the user's outside the view read the
	# hidden file there, under every backend
	local victim='import time
while True: time.sleep(0.05)'
	local b who outside
	# start_victim: a process of the user's outside the view (as_nobody
	# would be a subshell), writing to $TMP/w/out
	start_victim() {
		if [ -n "$who" ]; then
			setpriv --reuid=65534 --regid=65534 --clear-groups -- \
				/usr/bin/python3 -c "$victim" > "$TMP/w/out" 2>&1 &
		else
			/usr/bin/python3 -c "$victim" > "$TMP/w/out" 2>&1 &
		fi
		outside=$!
		sleep 0.3
	}
	echo public > "$TMP/w/pub"
	chmod 0644 "$TMP/w/pub"
	for who in "" as_nobody; do
		# natively the code runs in the victim and prints the secret
		start_victim
		run $who "$PROGS/proc_mem_inject" "$outside" "$TMP/d/secret"
		expect_output written
		wait "$outside" || true
		[ "$(cat "$TMP/w/out")" = TOPSECRET ] || fail "native: $(cat "$TMP/w/out")"
		for b in $BACKENDS; do
			start_victim
			run $who "$FACET" run --backend "$b" --hide "$TMP/d/secret" -- \
				"$PROGS/proc_mem_inject" "$outside" "$TMP/d/secret"
			expect_output "mem: EACCES"
			# also by way of an O_PATH fd and /proc/self/fd/N
			run $who "$FACET" run --backend "$b" --hide "$TMP/d/secret" -- \
				/usr/bin/python3 -c "import os, sys
p = os.open('/proc/%s/mem' % sys.argv[1], os.O_PATH)
try:
    os.open('/proc/self/fd/%d' % p, os.O_RDWR)
except OSError as e:
    print(e.strerror)" "$outside"
			expect_output "Permission denied"
			sleep 0.2
			kill "$outside"
			wait "$outside" || true
			[ ! -s "$TMP/w/out" ] || fail "$b $who: $(cat "$TMP/w/out")"
			# the view's own processes (gdb, a debugger of the view's)
			# and the caller's /proc/self/mem work as natively
			rm -f "$TMP/w/out"
			run $who "$FACET" run --backend "$b" --hide "$TMP/d/secret" -- \
				sh -c '/usr/bin/python3 -c "$1" > "$2/out" & sleep 0.3
				       "$3" $! "$2/pub"; wait' sh "$victim" "$TMP/w" \
				"$PROGS/proc_mem_inject"
			expect_output written
			[ "$(cat "$TMP/w/out")" = public ] || fail "$b $who: in view: $(cat "$TMP/w/out")"
		done
	done
}
