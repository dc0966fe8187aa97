#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# facet - tests/shell/vfs.bats: the file system view (--bind, --root, --ro,
# --hide, --tmp) with real programs inside

load helper

setup() {
	TMP=$(world_tmp)
	mkdir -p "$TMP/host/sub" "$TMP/guest"
	echo host-file > "$TMP/host/f"
	echo sub-file > "$TMP/host/sub/g"
	chmod -R a+rwX "$TMP"
}

teardown() {
	rm -rf "$TMP"
}

# A busybox rootfs in $1: /bin/busybox and its applets, /etc/hello
make_busybox_root() {
	local r=$1 app
	mkdir -p "$r/bin" "$r/etc"
	cp "$(command -v busybox)" "$r/bin/busybox"
	for app in sh ls cat echo pwd readlink mkdir rm mv cp find tar \
		wc sed grep ln test true false env; do
		ln -s busybox "$r/bin/$app"
	done
	echo guest-hello > "$r/etc/hello"
	chmod -R a+rX "$r"
}

@test "vfs: --bind HOST:GUEST shows a directory and a file elsewhere" {
	for b in $BACKENDS; do
		run "$FACET" run --backend "$b" --bind "$TMP/host:$TMP/guest/mnt" \
			--bind "$TMP/host/f:$TMP/guest/file" -- \
			sh -c "cat $TMP/guest/mnt/f $TMP/guest/mnt/sub/g $TMP/guest/file
			       cd $TMP/guest/mnt/sub && pwd && cat ../f
			       echo new > $TMP/guest/mnt/new"
		expect_status 0
		expect_output "host-file
sub-file
host-file
$TMP/guest/mnt/sub
host-file"
		[ "$(cat "$TMP/host/new")" = new ]
		[ ! -e "$TMP/guest/mnt" ]
		rm -f "$TMP/host/new"
	done
}

@test "bad pointers in path and buffer arguments get EFAULT, as natively; a real fault still ends the program" {
	local prog=$FACET_BUILD/tests/progs/bad_pointers native
	native=$("$prog")
	[[ "$native" == *"getcwd-none EFAULT"* ]] || skip "EFAULT natively? $native"
	for b in $BACKENDS; do
		run "$FACET" run --backend "$b" --bind "$TMP:/mnt" --hide "$TMP/x" \
			--time +1y --trace "$TMP/trace" -- "$prog"
		expect_status 0
		expect_output "$native"
		run "$FACET" run --backend "$b" --bind "$TMP:/mnt" -- "$prog" segv
		expect_status 139
		run "$FACET" run --backend "$b" --bind "$TMP:/mnt" -- "$prog" handler
		expect_status 3
		[ "${lines[-1]}" = handler ] || fail "$b: $output"
	done
}

@test "vfs: a directory or FIFO named like the command earlier in \$PATH is passed over, as execvp does" {
	mkdir -p "$TMP/pathdir/true"
	mkfifo "$TMP/pathdir/false"
	chmod 755 "$TMP/pathdir/false"
	for b in $BACKENDS; do
		PATH=$TMP/pathdir:$PATH run timeout 20 "$FACET" run --backend "$b" --bind "$TMP:/mnt" -- true
		expect_status 0
		PATH=$TMP/pathdir:$PATH run timeout 20 "$FACET" run --backend "$b" --bind "$TMP:/mnt" -- false
		expect_status 1
		run "$FACET" run --backend "$b" --bind "$TMP:/mnt" -- sh -c "PATH=/mnt/pathdir:\$PATH; true && ! false && echo ok"
		expect_status 0
		expect_output ok
	done
}

@test "vfs: relative paths follow the cwd through chdir, fchdir, a thread's chdir and a fork's" {
	mkdir -p "$TMP/w/a" "$TMP/w/b" "$TMP/w/c" "$TMP/w/d"
	printf 1 > "$TMP/w/a/f"
	printf 22 > "$TMP/w/b/f"
	printf 333 > "$TMP/w/c/f"
	printf 4444 > "$TMP/w/d/f"
	mkdir -p "$TMP/root/usr"
	ln -s usr/bin "$TMP/root/bin"
	ln -s usr/lib "$TMP/root/lib"
	ln -s usr/lib64 "$TMP/root/lib64"
	for b in $BACKENDS; do
		for view in "--bind $TMP/w:/mnt" "--root $TMP/root --bind /usr:/usr --bind $TMP/w:/mnt"; do
			run "$FACET" run --backend "$b" $view -- python3 -c '
import os, threading
os.chdir("/mnt/a"); print(os.stat("f").st_size, os.stat("../a/f").st_size)
fd = os.open("/mnt/b", os.O_RDONLY)
os.fchdir(fd); print(os.stat("f").st_size, os.path.getsize("f"))
t = threading.Thread(target=lambda: os.chdir("/mnt/c")); t.start(); t.join()
print(os.stat("f").st_size, os.stat("f", follow_symlinks=False).st_size)
pid = os.fork()
if pid == 0:
    os.chdir("/mnt/d"); print(os.stat("f").st_size, flush=True); os._exit(0)
os.waitpid(pid, 0)
print(os.stat("f").st_size, os.getcwd())'
			expect_status 0
			[ "$output" = "1 1
2 2
3 3
4
3 /mnt/c" ] || fail "$b $view: $output"
		done
	done
}

@test "vfs: a #! script with an absolute interpreter runs from a cwd out of the view (hidden, under --tmp), as natively from a removed cwd" {
	mkdir -p "$TMP/cwd"
	printf '#!/bin/sh\necho "script $1"\n' > "$TMP/host/s.sh"
	chmod 755 "$TMP/host/s.sh"
	cd "$TMP/cwd"
	for b in $BACKENDS; do
		for view in "--hide $TMP/cwd" "--tmp $TMP --bind $TMP/host"; do
			run "$FACET" run --backend "$b" $view -- "$TMP/host/s.sh" one
			expect_status 0
			# (sh itself says its cwd is gone, as natively)
			[ "${lines[${#lines[@]}-1]}" = "script one" ] ||
				fail "$b $view: $output"
			run as_nobody "$FACET" run --backend "$b" $view -- \
				sh -c "$TMP/host/s.sh two"
			expect_status 0
			[ "${lines[${#lines[@]}-1]}" = "script two" ] ||
				fail "$b $view as nobody: $output"
		done
	done
}

@test "vfs: --bind HOST alone shows HOST at the same path" {
	for b in $BACKENDS; do
		run "$FACET" run --backend "$b" --bind "$TMP/host" -- cat "$TMP/host/f"
		expect_status 0
		expect_output host-file
	done
}

@test "vfs: --ro makes writes fail with EROFS, reads work" {
	for b in $BACKENDS; do
		run "$FACET" run --backend "$b" --ro "$TMP/host" -- sh -c "
			cat $TMP/host/f
			echo x > $TMP/host/f || echo write-refused
			touch $TMP/host/new || echo create-refused
			rm $TMP/host/f || echo rm-refused
			mkdir $TMP/host/d || echo mkdir-refused
			mv $TMP/host/f $TMP/moved || echo mv-refused
			chmod 600 $TMP/host/f || echo chmod-refused
			ln -s x $TMP/host/l || echo ln-refused
			echo ok > $TMP/outside && cat $TMP/outside"
		[[ "$output" == host-file* ]] || fail "$output"
		for w in write create rm mkdir mv chmod ln; do
			[[ "$output" == *"$w-refused"* ]] || fail "no $w: $output"
		done
		[[ "$output" == *"Read-only file system"* ]] || fail "$output"
		[[ "$output" == *ok ]] || fail "$output"
		[ "$(cat "$TMP/host/f")" = host-file ]
		[ ! -e "$TMP/host/new" ] && [ ! -e "$TMP/host/d" ]
		run "$FACET" run --backend "$b" --ro "$TMP/host" -- \
			python3 -c "import os; print(os.access('$TMP/host/f', os.W_OK), os.access('$TMP/host/f', os.R_OK))"
		expect_output "False True"
		# changes through an fd opened for reading
		run "$FACET" run --backend "$b" --ro "$TMP/host" -- python3 -c "
import os
fd = os.open('$TMP/host/f', os.O_RDONLY)
for fn in (lambda: os.fchmod(fd, 0o600), lambda: os.utime(fd),
           lambda: os.fchown(fd, os.getuid(), -1)):
    try:
        fn(); print('changed')
    except OSError as e:
        print(e.strerror)"
		expect_output "Read-only file system
Read-only file system
Read-only file system"
		[ "$(stat -c %a "$TMP/host/f")" != 600 ]
	done
}

@test "vfs: chmod without following symlinks (fchmodat AT_SYMLINK_NOFOLLOW, which glibc makes through O_PATH; tar xp) is in the view" {
	local chmod_nofollow='import os, sys
try:
    os.chmod(sys.argv[1], 0o700, follow_symlinks=False); print("ok")
except OSError as e:
    print(e.strerror)'
	chmod 0644 "$TMP/host/f"
	# nobody's files, so that nobody may change their mode
	[ "$(id -u)" != 0 ] || chown -R 65534:65534 "$TMP/host"
	for b in $BACKENDS; do
		for who in "" as_nobody; do
			run $who "$FACET" run --backend "$b" --ro "$TMP/host" -- \
				python3 -c "$chmod_nofollow" "$TMP/host/f"
			expect_output "Read-only file system"
			run $who "$FACET" run --backend "$b" --hide "$TMP/host/f" -- \
				python3 -c "$chmod_nofollow" "$TMP/host/f"
			expect_output "No such file or directory"
			run $who "$FACET" run --backend "$b" --cow "$TMP/host" -- \
				sh -c "python3 -c '$chmod_nofollow' $TMP/host/f
				       stat -c %a $TMP/host/f"
			expect_output "ok
700"
			run $who "$FACET" run --backend "$b" --bind "$TMP/host:/opt/facet-guest" -- \
				python3 -c "$chmod_nofollow" /opt/facet-guest/f
			expect_output "ok"
			chmod 0644 "$TMP/host/f"
			[ "$(stat -c %a "$TMP/host/f")" = 644 ]
			# tar xp restores modes with it
			run $who "$FACET" run --backend "$b" --cow "$TMP/host" -- \
				sh -c "cd $TMP/host && tar cf sub.tar sub && rm -r sub && tar xpf sub.tar && ls sub"
			expect_status 0
			expect_output "g"
			[ -f "$TMP/host/sub/g" ] && [ ! -e "$TMP/host/sub.tar" ]
		done
	done
}

@test "vfs: --ro holds through a --bind of a parent; a --bind inside a read-only tree is writable" {
	mkdir -p "$TMP/host/rw"
	for b in $BACKENDS; do
		run "$FACET" run --backend "$b" --ro "$TMP/host/f" \
			--bind "$TMP/host:/facet-alias" -- \
			sh -c "echo x > /facet-alias/f || echo refused"
		[[ "$output" == *refused ]] || fail "$output"
		run "$FACET" run --backend "$b" --ro "$TMP/host" \
			--bind "$TMP/host/rw:$TMP/host/rw" -- \
			sh -c "echo x > $TMP/host/rw/w && cat $TMP/host/rw/w"
		expect_output x
	done
	[ "$(cat "$TMP/host/f")" = host-file ]
}

@test "vfs: --hide makes a path absent, also from listings" {
	for b in $BACKENDS; do
		run "$FACET" run --backend "$b" --hide "$TMP/host/sub" -- sh -c "
			ls $TMP/host; cat $TMP/host/sub/g; test -e $TMP/host/sub || echo absent"
		expect_output "f
cat: $TMP/host/sub/g: No such file or directory
absent"
		run as_nobody "$FACET" run --backend "$b" --hide "$TMP/host/f" -- ls -a "$TMP/host"
		expect_output ".
..
sub"
	done
}

@test "vfs: --tmp is private, empty, writable and removed afterwards" {
	mkdir "$TMP/tmpdir"
	for b in $BACKENDS; do
		TMPDIR=$TMP/tmpdir run "$FACET" run --backend "$b" --tmp "$TMP/host" -- sh -c "
			ls -A $TMP/host; echo private > $TMP/host/p; cat $TMP/host/p
			mkdir $TMP/host/d && cd $TMP/host/d && pwd"
		expect_status 0
		expect_output "private
$TMP/host/d"
		[ "$(cat "$TMP/host/f")" = host-file ] && [ ! -e "$TMP/host/p" ]
		run ls -A "$TMP/tmpdir"
		expect_output ""
	done
}

@test "vfs: --tmp has a fresh tmpfs's mode 1777: a user a root-started command becomes makes files there; the --cow uppers stay private" {
	mkdir "$TMP/tmpdir" "$TMP/tree"
	echo tree > "$TMP/tree/f"
	chmod -R a+rwX "$TMP"
	for b in $BACKENDS; do
		for who in "" as_nobody; do
			TMPDIR=$TMP/tmpdir run $who "$FACET" run --backend "$b" \
				--tmp "$TMP/host" -- stat -c %a "$TMP/host"
			expect_status 0
			expect_output "1777"
		done
		# as with a tmpfs mounted there (not as nobody: nothing to drop)
		TMPDIR=$TMP/tmpdir run "$FACET" run --backend "$b" --tmp "$TMP/host" \
			--cow "$TMP/tree" -- sh -c "
			echo x >> $TMP/tree/f
			setpriv --reuid=65534 --regid=65534 --clear-groups -- \
				sh -c 'echo n > $TMP/host/n && cat $TMP/host/n
				       ls $TMP/tmpdir/facet-vfs.*/cow' 2>&1
			stat -c %U $TMP/host/n"
		expect_status 0
		[ "${lines[0]}" = n ] && [ "${lines[2]}" = nobody ] &&
			[[ ${lines[1]} == *"Permission denied"* ]] ||
			fail "$b: output: $output"
		[ "$(cat "$TMP/tree/f")" = tree ]
		run ls -A "$TMP/tmpdir"
		expect_output ""
	done
}

@test "vfs: --tmp is removed even when facet is killed" {
	mkdir "$TMP/tmpdir"
	for b in $BACKENDS; do
		TMPDIR=$TMP/tmpdir "$FACET" run --backend "$b" --tmp "$TMP/host" -- \
			sh -c "touch $TMP/host/x; sleep 37" 3>&- &
		pid=$!
		for i in $(seq 50); do
			[ -n "$(ls -A "$TMP/tmpdir")" ] && break
			sleep 0.1
		done
		[ -n "$(ls -A "$TMP/tmpdir")" ]
		kill -9 "$pid"
		wait "$pid" || true
		for i in $(seq 100); do
			[ -z "$(ls -A "$TMP/tmpdir")" ] && break
			sleep 0.1
		done
		pkill -f "^sleep 37$" || true
		run ls -A "$TMP/tmpdir"
		expect_output ""
	done
}

# checksum of a tree: names, modes, sizes, times and contents
tree_sum() {
	(cd "$1" && find . -exec stat -c '%n %f %s %Y' {} + | sort &&
		find . -type f -exec md5sum {} + | sort) | md5sum
}

@test "vfs: --cow of a tree with a file the user cannot read (/etc/shadow): the write fails and the error names the file" {
	mkdir "$TMP/tree"
	echo a > "$TMP/tree/a"
	echo secret > "$TMP/tree/secret"
	chmod 600 "$TMP/tree/secret"
	chmod -R a+rwX "$TMP/tree"
	chmod 600 "$TMP/tree/secret"
	for b in $BACKENDS; do
		run as_nobody "$FACET" run --backend "$b" --cow "$TMP/tree" -- \
			sh -c "echo b > $TMP/tree/a"
		[ "$status" -ne 0 ] || fail "$b: status 0: $output"
		[[ $output == *"--cow $TMP/tree: copying $TMP/tree/secret to "*": Permission denied"* ]] ||
			fail "$b: output: $output"
		[ "$(cat "$TMP/tree/a")" = a ]
	done
}

@test "vfs: --cow of a path a --bind or --root given before shows copies what the view shows there, and writes neither; a --bind given after is on top" {
	make_busybox_root "$TMP/root"
	mkdir "$TMP/fake"
	echo fake > "$TMP/fake/conf"
	chmod -R a+rwX "$TMP/fake"
	for b in $BACKENDS; do
		for who in "" as_nobody; do
			# a fake /etc tests may change: neither it nor /etc is written
			run $who "$FACET" run --backend "$b" --bind "$TMP/fake:/etc" \
				--cow /etc -- sh -c '
				cat /etc/conf; echo changed > /etc/conf; cat /etc/conf
				echo new > /etc/facet-new; ls /etc'
			expect_status 0
			expect_output "fake
changed
conf
facet-new"
			[ "$(cat "$TMP/fake/conf")" = fake ] && [ ! -e /etc/facet-new ] &&
				[ ! -e "$TMP/fake/facet-new" ] || fail "$b: written"
			run $who "$FACET" run --backend "$b" --root "$TMP/root" \
				--cow /etc -- /bin/sh -c '
				cat /etc/hello; echo new > /etc/new; ls /etc'
			expect_status 0
			expect_output "guest-hello
hello
new"
			[ ! -e "$TMP/root/etc/new" ] || fail "$b: rootfs written"
			# given after, the --bind is mounted over the --cow
			run $who "$FACET" run --backend "$b" --cow /etc \
				--bind "$TMP/fake:/etc" -- sh -c '
				echo bound > /etc/conf; cat /etc/conf'
			expect_status 0
			expect_output "bound"
			[ "$(cat "$TMP/fake/conf")" = bound ] || fail "$b: not bound"
			echo fake > "$TMP/fake/conf"
		done
	done
}

@test "vfs: --cow: writes, deletes and renames never reach the host" {
	mkdir -p "$TMP/host/ro-dir"
	ln -s f "$TMP/host/link"
	chmod 555 "$TMP/host/ro-dir"
	local before
	before=$(tree_sum "$TMP/host")
	for b in $BACKENDS; do
		run "$FACET" run --backend "$b" --cow "$TMP/host" -- sh -c "
			cd $TMP/host && cat f && echo more >> f && cat f
			mv sub/g sub/h && rm f && mkdir d && echo n > d/n
			touch -h -d 2001-01-01 link && chmod 700 sub
			ls; cat sub/h d/n link 2>&1"
		expect_status 1
		expect_output "host-file
host-file
more
d
link
ro-dir
sub
sub-file
n
cat: link: No such file or directory"
		[ "$(tree_sum "$TMP/host")" = "$before" ] || fail "host changed"
		run as_nobody "$FACET" run --backend "$b" --cow "$TMP/host" -- \
			sh -c "echo x > $TMP/host/f && cat $TMP/host/f"
		expect_output x
		[ "$(tree_sum "$TMP/host")" = "$before" ] || fail "host changed"
	done
}

@test "vfs: --cow, --tmp and --bind at a path through a symlink are where it leads; the --cow tree under a second name is not written" {
	# before 2026-12-07 a --cow PATH through a symlink wrote the host
	# tree (the rule matched no canonical path), and so did any write
	# through a --bind of a parent of the --cow tree
	ln -s host "$TMP/hl"
	chmod -R a+rwX "$TMP"
	local before
	before=$(tree_sum "$TMP/host")
	for b in $BACKENDS; do
		for who in "" as_nobody; do
			run $who "$FACET" run --backend "$b" --cow "$TMP/hl/sub" \
				--tmp "$TMP/hl/t" --bind "$TMP/guest:$TMP/hl/n1/n2/g" -- sh -c "
				echo a > $TMP/hl/sub/a; echo b > $TMP/host/sub/b
				echo t > $TMP/hl/t/t; echo g > $TMP/hl/n1/n2/g/g
				cat $TMP/host/sub/a $TMP/host/sub/b $TMP/host/t/t
				cat $TMP/host/n1/n2/g/g"
			expect_status 0
			expect_output "a
b
t
g"
			[ "$(tree_sum "$TMP/host")" = "$before" ] ||
				fail "$b $who: host changed"
			[ "$(cat "$TMP/guest/g")" = g ] || fail "$b $who: bind"
			rm -f "$TMP/guest/g"
			run $who "$FACET" run --backend "$b" --cow "$TMP/host/sub" \
				--bind "$TMP:/alias" -- sh -c "
				echo x > /alias/host/sub/g; touch /alias/host/sub/n
				rm /alias/host/sub/g; mv /alias/host/sub/g /alias/m
				echo y > $TMP/host/sub/g; cat /alias/host/sub/g"
			expect_status 0
			expect_output "sh: 2: cannot create /alias/host/sub/g: Read-only file system
touch: cannot touch '/alias/host/sub/n': Read-only file system
rm: cannot remove '/alias/host/sub/g': Read-only file system
mv: cannot move '/alias/host/sub/g' to '/alias/m': Read-only file system
sub-file"
			[ "$(tree_sum "$TMP/host")" = "$before" ] ||
				fail "$b $who: host changed"
		done
	done
}

@test "vfs: a --bind or --tmp path is a mount point: removing or renaming it fails with EBUSY, the host side is left alone" {
	# before 2026-12-07 sed -i renamed its temporary file onto the
	# --bind source, rm removed the source, mv moved it on the host
	echo a=1 > "$TMP/conf"
	echo guest-conf > "$TMP/guest/conf"
	mkdir -p "$TMP/guest/t"
	chmod -R a+rwX "$TMP"
	for b in $BACKENDS; do
		for who in "" as_nobody; do
			run $who "$FACET" run --backend "$b" \
				--bind "$TMP/conf:$TMP/guest/conf" --tmp "$TMP/guest/t" -- sh -c "
				sed -i s/1/2/ $TMP/guest/conf 2>&1 | sed 's|/sed[^/:]*:|/T:|'
				cd $TMP/guest; rm conf; mv conf c2; rmdir t; mv t t2
				touch t/x; cat conf; ls"
			expect_output "sed: cannot rename $TMP/guest/T: Device or resource busy
rm: cannot remove 'conf': Device or resource busy
mv: cannot move 'conf' to 'c2': Device or resource busy
rmdir: failed to remove 't': Device or resource busy
mv: cannot move 't' to 't2': Device or resource busy
a=1
conf
t"
			[ "$(cat "$TMP/conf")" = a=1 ] || fail "$b $who: source changed"
			[ "$(cat "$TMP/guest/conf")" = guest-conf ] ||
				fail "$b $who: $(ls -la "$TMP/guest")"
			[ "$(ls "$TMP/guest")" = "conf
t" ] || fail "$b $who: $(ls -la "$TMP/guest")"
		done
	done
	# natively, in a mount namespace, the same calls give the same errors
	if unshare -m true 2>/dev/null; then
		run unshare -m sh -c "mount --bind $TMP/conf $TMP/guest/conf
			sed -i s/1/2/ $TMP/guest/conf 2>&1 | sed 's|/sed[^/:]*:|/T:|'
			cd $TMP/guest; rm conf; mv conf c2"
		[[ "$output" == "sed: cannot rename $TMP/guest/T: Device or resource busy
rm: cannot remove 'conf': Device or resource busy
mv: cannot move 'conf' to 'c2': Device or resource busy" ]] || fail "native: $output"
	fi
}

@test "vfs: --cow PATH=UPPER keeps the changes and reuses them" {
	for b in $BACKENDS; do
		rm -rf "$TMP/upper"
		run "$FACET" run --backend "$b" --cow "$TMP/host=$TMP/upper" -- \
			sh -c "echo changed > $TMP/host/f"
		expect_status 0
		[ "$(cat "$TMP/upper/f")" = changed ]
		[ "$(cat "$TMP/host/f")" = host-file ]
		run "$FACET" run --backend "$b" --cow "$TMP/host=$TMP/upper" -- \
			cat "$TMP/host/f" "$TMP/host/sub/g"
		expect_output "changed
sub-file"
	done
	# hidden paths are not copied to a kept upper directory
	rm -rf "$TMP/upper"
	run "$FACET" run --cow "$TMP/host=$TMP/upper" --hide "$TMP/host/sub" -- \
		sh -c "echo c > $TMP/host/f; ls $TMP/host"
	expect_output "f"
	[ ! -e "$TMP/upper/sub" ] || fail "hidden path copied"
	run "$FACET" run --cow "$TMP/host=$TMP/host/up" -- true
	expect_status 125
	[[ "$output" == *"is inside"* ]] || fail "$output"
}

@test "vfs: --cow of the tree that holds facet's own directory (--cow /tmp): the copy leaves it out, its --tmp and upper are written" {
	# TMPDIR inside the tree, as /tmp is for --cow /tmp: the copy-up
	# walked into the upper it was writing, one level deeper each time
	local before
	# not the tree's own mtime: facet's directory is made in it
	before=$(tree_sum "$TMP/host/sub")
	for b in $BACKENDS; do
		for who in "" as_nobody; do
			TMPDIR=$TMP/host run $who timeout 60 "$FACET" run \
				--backend "$b" --cow "$TMP/host" -- sh -c "
				echo new > $TMP/host/new && cat $TMP/host/new &&
				ls $TMP/host | grep -v '^facet-vfs' &&
				find $TMP/host -name 'facet-vfs*' | wc -l"
			expect_status 0
			expect_output "new
f
new
sub
0"
			# facet's directory is removed as the view ends
			for i in $(seq 50); do
				[ -z "$(ls "$TMP/host" | grep facet-vfs)" ] && break
				sleep 0.1
			done
			[ "$(tree_sum "$TMP/host/sub")" = "$before" ] &&
				[ "$(ls -A "$TMP/host")" = "f
sub" ] && [ "$(cat "$TMP/host/f")" = host-file ] ||
				fail "$b $who: host changed"
			# a --tmp directory there is no part of the lower
			# tree: it is written (EROFS before), also by fd
			TMPDIR=$TMP/host run $who "$FACET" run --backend "$b" \
				--cow "$TMP/host" --tmp "$TMP/guest" -- sh -c "
				echo t > $TMP/guest/t && exec 3>>$TMP/guest/t &&
				python3 -c 'import os; os.fchmod(3, 0o640)' &&
				stat -c %a $TMP/guest/t && cat $TMP/host/f"
			expect_status 0
			expect_output "640
host-file"
		done
	done
}

@test "vfs: --cow: bind() of an AF_UNIX socket is a write: the first one copies the tree, the host gets no socket" {
	# before 2026-12-07 a bind() before any other write made the socket
	# file in the host's tree (test_pathlib's is_socket under --cow)
	local before
	before=$(tree_sum "$TMP/host")
	for b in $BACKENDS; do
		for who in "" as_nobody; do
			run $who "$FACET" run --backend "$b" --cow "$TMP/host" \
				--bind "$TMP:/alias" -- python3 -c "
import os, socket, stat
s = socket.socket(socket.AF_UNIX)
s.bind('$TMP/host/sock')
print(stat.S_ISSOCK(os.stat('$TMP/host/sock').st_mode), s.getsockname())
s.listen()
c = socket.socket(socket.AF_UNIX)
c.connect('$TMP/host/sock')
try:
    socket.socket(socket.AF_UNIX).bind('/alias/host/sub/s2')
except OSError as e:
    print(e.strerror)"
			expect_status 0
			expect_output "True $TMP/host/sock
Read-only file system"
			[ "$(tree_sum "$TMP/host")" = "$before" ] ||
				fail "$b $who: host changed"
		done
	done
}

@test "vfs: --cow: processes writing at once share one copy-up; the copy keeps modes and owners" {
	local before
	for i in $(seq 40); do echo "$i" > "$TMP/host/f$i"; done
	chmod 0666 "$TMP/host/f1"
	chmod 0750 "$TMP/host/sub"
	[ "$(id -u)" != 0 ] || chown 65534:65534 "$TMP/host/f2"
	before=$(tree_sum "$TMP/host")
	for b in $BACKENDS; do
		# each writer's first write starts a copy-up; one copies,
		# the others wait for it (they failed with EEXIST)
		run "$FACET" run --backend "$b" --cow "$TMP/host" -- sh -c "
			cd $TMP/host; umask 077
			for j in 1 2 3 4 5 6 7 8; do (echo x > new\$j) & done; wait
			ls | grep -c new; stat -c '%a %u' f1 sub f2"
		expect_status 0
		expect_output "8
666 $(id -u)
750 $(id -u)
644 $(stat -c %u "$TMP/host/f2")"
		[ "$(tree_sum "$TMP/host")" = "$before" ] || fail "host changed"
	done
}

@test "vfs: --cow of a file: reads are live, writes go to a copy; FILE=UPPER keeps it" {
	for b in $BACKENDS; do
		echo host-file > "$TMP/host/f"
		rm -f "$TMP/kept"
		run "$FACET" run --backend "$b" --cow "$TMP/host/f" -- sh -c "
			cat $TMP/host/f; echo more >> $TMP/host/f; cat $TMP/host/f"
		expect_status 0
		expect_output "host-file
host-file
more"
		[ "$(cat "$TMP/host/f")" = host-file ]
		run "$FACET" run --backend "$b" --cow "$TMP/host/f=$TMP/kept" -- \
			sh -c "echo kept > $TMP/host/f"
		expect_status 0
		run "$FACET" run --backend "$b" --cow "$TMP/host/f=$TMP/kept" -- \
			cat "$TMP/host/f"
		expect_output kept
		[ "$(cat "$TMP/host/f")" = host-file ] && [ "$(cat "$TMP/kept")" = kept ]
	done
	run "$FACET" run --cow "$TMP/host/f=$TMP/host/sub" -- true
	expect_status 125
	[[ "$output" == *"upper of a file is a file"* ]] || fail "$output"
	run "$FACET" run --cow /dev/null -- true
	expect_status 125
	[[ "$output" == *"not a directory or a regular file"* ]] || fail "$output"
}

@test "vfs: make and gcc build a project inside --cow; the host stays as it was" {
	mkdir -p "$TMP/proj"
	printf 'int helper(void) { return 7; }\n' > "$TMP/proj/helper.c"
	printf '#include <stdio.h>\nint helper(void);\nint main(void) { printf("%%d\\n", helper()); return 0; }\n' > "$TMP/proj/main.c"
	printf 'prog: main.o helper.o\n\t$(CC) -o $@ $^\n' > "$TMP/proj/Makefile"
	local before
	before=$(tree_sum "$TMP/proj")
	for b in $BACKENDS; do
		run "$FACET" run --backend "$b" --cow "$TMP/proj" -- \
			sh -c "cd $TMP/proj && make -s && ./prog && ls"
		expect_status 0
		expect_output "7
Makefile
helper.c
helper.o
main.c
main.o
prog"
		[ "$(tree_sum "$TMP/proj")" = "$before" ] || fail "host changed"
	done
}

@test "vfs: bad options are one-line errors" {
	run "$FACET" run --bind /nonexistent-facet:/x -- true
	expect_status 125
	[[ "$output" == *"--bind '/nonexistent-facet'"* ]] || fail "$output"
	run "$FACET" run --root /nonexistent-facet -- true
	expect_status 125
	run "$FACET" run --root "$TMP" --root "$TMP" -- true
	expect_status 125
	run "$FACET" run --root "$TMP/host/f" -- true
	expect_status 125
	[[ "$output" == *"--root '$TMP/host/f': not a directory"* ]] || fail "$output"
}

@test "vfs: rule paths are resolved once, where facet started: relative paths and symlinks" {
	ln -s host "$TMP/link"
	for b in $BACKENDS; do
		ln -sfn host "$TMP/link"
		# every image (cat, the inner sh) after a cd, and after the
		# symlink moved: the rules of the view's start
		run sh -c "cd '$TMP' && exec '$FACET' run --backend $b \
			--bind ./link:guest/mnt --ro ./host/sub -- sh -c '
			cd / && cat guest/mnt/f 2>&1; cat $TMP/guest/mnt/f
			ln -sfn guest $TMP/link
			sh -c \"cat $TMP/guest/mnt/sub/g\"
			echo x > $TMP/host/sub/new'"
		expect_status 2
		expect_output "cat: guest/mnt/f: No such file or directory
host-file
sub-file
sh: 5: cannot create $TMP/host/sub/new: Read-only file system"
	done
}

@test "vfs: --root of a busybox rootfs runs a #!/bin/sh script" {
	# a cwd outside the root counts as /: start from one that is
	# (the checkout may be under /tmp, which --root binds)
	cd /
	make_busybox_root "$TMP/r"
	printf '#!/bin/sh\necho "$0 $1"; cat /etc/hello; pwd\n' > "$TMP/r/bin/hello.sh"
	printf '#!/bin/sh -e\necho with-arg\n' > "$TMP/r/bin/arg.sh"
	chmod 755 "$TMP/r/bin/hello.sh" "$TMP/r/bin/arg.sh"
	for b in $BACKENDS; do
		run "$FACET" run --backend "$b" --root "$TMP/r" -- /bin/hello.sh one
		expect_status 0
		expect_output "/bin/hello.sh one
guest-hello
/"
		# found on $PATH in the guest: no hello.sh on the host
		PATH=/bin run "$FACET" run --backend "$b" --root "$TMP/r" -- hello.sh two
		expect_status 0
		expect_output "/bin/hello.sh two
guest-hello
/"
		run "$FACET" run --backend "$b" --root "$TMP/r" -- sh -c '
			cd /etc && pwd && readlink /proc/self/cwd && cd ../../.. && pwd
			ls /; /bin/arg.sh; ls /proc/self/root/; readlink /proc/self/root'
		expect_status 0
		expect_output "/etc
/etc
/
bin
dev
etc
proc
sys
tmp
with-arg
bin
dev
etc
proc
sys
tmp
/"
		run as_nobody "$FACET" run --backend "$b" --root "$TMP/r" -- /bin/cat /etc/hello
		expect_output guest-hello
	done
}

@test "vfs: an open through symlinks reads the view's file where the host's own walk leads elsewhere" {
	# A static program's opens reach the supervisor as notifications;
	# one whose path the host's own symlinks take to the file the view
	# chose goes on as it is, any other is opened by the view.
	cd /
	make_busybox_root "$TMP/r"
	mkdir -p "$TMP/h/real" "$TMP/h/alt"
	echo host > "$TMP/h/real/f"
	echo view > "$TMP/h/alt/f"
	ln -s real "$TMP/h/rel"
	ln -s "$TMP/h/real" "$TMP/h/abs"
	ln -s rel "$TMP/h/chain"
	ln -s ../h/./real/../real/f "$TMP/h/dots"
	chmod -R a+rX "$TMP/h"
	local files="$TMP/h/rel/f $TMP/h/abs/f $TMP/h/chain/f $TMP/h/dots"
	for b in $BACKENDS; do
		# the links' target is bound elsewhere: the view's file
		run "$FACET" run --backend "$b" \
			--bind "$TMP/h/alt:$TMP/h/real" -- busybox cat $files
		expect_status 0
		expect_output "view
view
view
view"
		# nothing bound on the way: the host's file, by either walk
		run as_nobody "$FACET" run --backend "$b" \
			--bind "$TMP/h/alt:$TMP/elsewhere" -- busybox cat $files
		expect_output "host
host
host
host"
		# --root: the same through the guest's /tmp (the host's)
		run "$FACET" run --backend "$b" --root "$TMP/r" \
			--bind "$TMP/h/alt:$TMP/h/real" -- /bin/cat $files
		expect_output "view
view
view
view"
		run "$FACET" run --backend "$b" --root "$TMP/r" -- /bin/cat $files
		expect_output "host
host
host
host"
		# a guest symlink the host does not have: the guest's
		ln -sfn "$TMP/h/real" "$TMP/r/g"
		run "$FACET" run --backend "$b" --root "$TMP/r" \
			--bind "$TMP/h/alt:$TMP/h/real" -- /bin/cat /g/f
		expect_output view
	done
}

@test "vfs: --root without the host /proc /dev /sys /tmp (rootbinds=no)" {
	make_busybox_root "$TMP/r"
	for b in $BACKENDS; do
		run "$FACET" run --backend "$b" -m "vfs:root=$TMP/r,rootbinds=no" -- \
			/bin/sh -c 'ls /; ls /proc/self 2>&1'
		expect_output "bin
etc
ls: /proc/self: No such file or directory"
	done
}

@test "vfs: --root with a dynamic loader: PT_INTERP and /proc/self/exe in the guest" {
	# a cwd outside the root counts as /: start from one that is
	# (the checkout may be under /tmp, which --root binds)
	cd /
	mkdir -p "$TMP/r/usr" "$TMP/r/etc"
	ln -s usr/bin "$TMP/r/bin"
	ln -s usr/lib "$TMP/r/lib"
	ln -s usr/lib64 "$TMP/r/lib64"
	echo guest > "$TMP/r/etc/hostname"
	for b in $BACKENDS; do
		run "$FACET" run --backend "$b" --root "$TMP/r" --bind /usr:/usr -- \
			sh -c 'cat /etc/hostname; readlink /proc/self/exe; ls /
			       python3 -c "import os,sys; print(os.getcwd(), sys.argv[0])" x'
		expect_status 0
		expect_output "guest
/usr/bin/readlink
bin
dev
etc
lib
lib64
proc
sys
tmp
usr
/ -c"
	done
}

@test "vfs: --root: posix_spawn() and posix_spawnp() (make's way) run the guest's program, translated once" {
	# the host path of the root must not be a guest path too: a private
	# /tmp in the view (the root is under the host's /tmp)
	cd /
	mkdir -p "$TMP/r/usr" "$TMP/r/t"
	ln -s usr/bin "$TMP/r/bin"
	ln -s usr/lib "$TMP/r/lib"
	ln -s usr/lib64 "$TMP/r/lib64"
	cp "$PROGS/spawn" "$TMP/r/t/spawn"
	cp /bin/echo "$TMP/r/t/hello"
	chmod -R a+rX "$TMP/r"
	for b in $BACKENDS; do
		for who in "" as_nobody; do
			run $who "$FACET" run --backend "$b" --root "$TMP/r" \
				--bind /usr:/usr --tmp /tmp -- sh -c '
				/t/spawn /t/hello a; cd /t && ./spawn ./hello b
				PATH=/t:/usr/bin /t/spawn hello c'
			expect_status 0
			expect_output "a
b
c"
		done
	done
}

@test "vfs: --root: the guest's /etc/localtime is the time zone (libc's own open of it goes through the view)" {
	[ -f /usr/share/zoneinfo/Asia/Tokyo ] || skip "no tzdata"
	cd /
	mkdir -p "$TMP/r/usr" "$TMP/r/etc"
	ln -s usr/bin "$TMP/r/bin"
	ln -s usr/lib "$TMP/r/lib"
	ln -s usr/lib64 "$TMP/r/lib64"
	cp /usr/share/zoneinfo/Asia/Tokyo "$TMP/r/etc/localtime"
	chmod -R a+rX "$TMP/r"
	for b in $BACKENDS; do
		run env -u TZ "$FACET" run --backend "$b" --root "$TMP/r" \
			--bind /usr:/usr -- date +%Z
		expect_status 0
		expect_output "JST"
	done
}

@test "vfs: --root: a loader of the guest's own is started by hand; exec permissions as the kernel's" {
	cd /
	mkdir -p "$TMP/r/usr" "$TMP/r/etc" "$TMP/r/w" "$TMP/r/lib64"
	ln -s usr/bin "$TMP/r/bin"
	ln -s usr/lib "$TMP/r/lib"
	# a copy: the kernel would find the host's loader, another file
	cp -L /lib64/ld-linux-x86-64.so.2 "$TMP/r/lib64/"
	cp /usr/bin/true "$TMP/r/w/true-644"
	chmod 644 "$TMP/r/w/true-644"
	printf '#!/bin/sh\necho script\n' > "$TMP/r/w/s644"
	chmod 644 "$TMP/r/w/s644"
	printf '#!/bin/sh\necho script $0\n' > "$TMP/r/w/s755"
	chmod 755 "$TMP/r/w/s755"
	# a directory is EACCES to execve, as natively: dash says
	# "Permission denied" (bash looks again and says "Is a directory")
	for b in $BACKENDS; do
		run "$FACET" run --backend "$b" --log-level debug --root "$TMP/r" \
			--bind /usr:/usr -- sh -c 'readlink /proc/self/exe
			/w/true-644; echo $?; /w/s644; echo $?; /w/s755; echo $?
			/w; echo $?' 2>&1
		expect_status 0
		[[ "$output" == *"exec /usr/bin/readlink runs host $TMP/r/lib64/ld-linux-x86-64.so.2: ok"* ]] ||
			fail "$output"
		output=$(printf '%s\n' "$output" | grep -v '^facet: ')
		expect_output "/usr/bin/readlink
sh: 2: /w/true-644: Permission denied
126
sh: 2: /w/s644: Permission denied
126
script /w/s755
0
sh: 3: /w: Permission denied
126"
	done
}

@test "vfs: --root: /proc/PID/cmdline of a program whose guest loader was started by hand is its native one" {
	local script want
	script='tr "\0" " " < /proc/self/cmdline; echo
		sleep 5.25 & pid=$!
		for i in $(seq 50); do
			tr "\0" " " < /proc/$pid/cmdline | grep -q "^sleep 5" &&
				break
			sleep 0.1
		done
		tr "\0" " " < /proc/$pid/cmdline; echo
		pgrep -f "^sleep 5.25$" >/dev/null && echo found; kill $pid
		/usr/bin/python3 -c "print(open(\"/proc/self/cmdline\").read().split(chr(0)))" a b'
	want=$(sh -c "$script")
	cd /
	mkdir -p "$TMP/r/usr" "$TMP/r/lib64"
	ln -s usr/bin "$TMP/r/bin"
	ln -s usr/lib "$TMP/r/lib"
	cp -L /lib64/ld-linux-x86-64.so.2 "$TMP/r/lib64/"
	for b in $BACKENDS; do
		for who in "" as_nobody; do
			run $who "$FACET" run --backend "$b" --root "$TMP/r" \
				--bind /usr:/usr -- sh -c "$script"
			expect_status 0
			expect_output "$want"
		done
	done
}

@test "vfs: a program run by a symlink (execve, posix_spawn), a script, or a guest loader started by hand has its native name (/proc/PID/comm)" {
	cd /
	mkdir -p "$TMP/d" "$TMP/r/usr" "$TMP/r/etc" "$TMP/r/w" "$TMP/r/lib64"
	ln -s /usr/bin/cat "$TMP/d/mycat"
	printf '#!/bin/sh\ncat /proc/$$/comm\n' > "$TMP/d/a-script-of-a-long-name"
	chmod 755 "$TMP/d/a-script-of-a-long-name"
	ln -s usr/bin "$TMP/r/bin"
	ln -s usr/lib "$TMP/r/lib"
	cp -L /lib64/ld-linux-x86-64.so.2 "$TMP/r/lib64/"
	chmod -R a+rX "$TMP"
	run sh -c "'$TMP/d/mycat' /proc/self/comm; '$TMP/d/a-script-of-a-long-name'"
	expect_output "mycat
a-script-of-a-l"
	for b in $BACKENDS; do
		# the plain ptracer cannot rename another process: a script
		# keeps its interpreter's name (docs/vfs.md); a program run by
		# a symlink is run by the symlink's host path, whose name the
		# kernel gives it
		if [ "$b" = ptrace ]; then
			run as_nobody "$FACET" run --backend ptrace \
				--bind "$TMP/d:/mnt" -- \
				sh -c 'PATH=/mnt:$PATH; mycat /proc/self/comm
				/mnt/mycat /proc/self/comm
				/mnt/../mnt/./mycat /proc/self/comm
				"$1" mycat /proc/self/comm' sh "$PROGS/spawn"
			expect_status 0
			expect_output "mycat
mycat
mycat
mycat"
			continue
		fi
		for who in "" as_nobody; do
			run $who "$FACET" run --backend "$b" --bind "$TMP/d:/mnt" -- \
				sh -c 'PATH=/mnt:$PATH; mycat /proc/self/comm
				/mnt/mycat /proc/self/comm; a-script-of-a-long-name
				"$1" mycat /proc/self/comm
				"$1" env | grep -c FACET_PRELOAD_COMM
				exec /mnt/a-script-of-a-long-name' sh "$PROGS/spawn"
			expect_status 0
			expect_output "mycat
mycat
a-script-of-a-l
mycat
0
a-script-of-a-l"
		done
	done
	# under --root the kernel runs the guest's loader; under preload a
	# loader of the guest's own (a static program) takes the exec to
	# the ptracer, so only the combined mode names the program
	case " $BACKENDS " in *" combined "*) ;; *) return 0 ;; esac
	run "$FACET" run --backend combined --root "$TMP/r" --bind /usr:/usr -- \
		sh -c 'cat /proc/self/comm; cat /proc/$$/comm'
	expect_status 0
	expect_output "cat
sh"
}

@test "vfs: --root: fexecve of a script runs the guest interpreter" {
	make_busybox_root "$TMP/r"
	mkdir -p "$TMP/r/usr"
	ln -s usr/lib "$TMP/r/lib"
	ln -s usr/lib64 "$TMP/r/lib64"
	printf '#!/bin/sh\necho "guest $0 $1"; cat /etc/hello\n' > "$TMP/r/s.sh"
	chmod 755 "$TMP/r/s.sh"
	for b in $BACKENDS; do
		run "$FACET" run --backend "$b" --root "$TMP/r" --bind /usr:/usr -- \
			/usr/bin/python3 -c "
import os
fd = os.open('/s.sh', os.O_RDONLY)
os.set_inheritable(fd, True)
os.execve(fd, ['s.sh', 'one'], {})"
		# preload cannot hand an fd exec of a static program (the
		# guest's busybox) to the ptracer: ENOSYS, never an escape
		if [ "$b" = preload ] && [[ "$output" == *"Function not implemented"* ]]; then
			continue
		fi
		expect_status 0
		[[ "$output" == "guest /dev/fd/"[0-9]*" one"$'\n'"guest-hello" ]] ||
			fail "$output"
	done
}

@test "vfs: --root with --hide, --ro and --tmp inside it" {
	make_busybox_root "$TMP/r"
	mkdir -p "$TMP/r/data" "$TMP/r/secret"
	echo d > "$TMP/r/data/x"
	echo s > "$TMP/r/secret/y"
	for b in $BACKENDS; do
		run "$FACET" run --backend "$b" --root "$TMP/r" --ro /data \
			--hide /secret --tmp /scratch -- sh -c '
			cat /data/x; echo y > /data/x || echo ro
			cat /secret/y || echo hidden
			echo t > /scratch/t && cat /scratch/t; ls /'
		expect_output "d
${lines[1]%%sh: *}sh: can't create /data/x: Read-only file system
ro
cat: can't open '/secret/y': No such file or directory
hidden
t
bin
data
dev
etc
proc
scratch
sys
tmp"
	done
}

@test "vfs: coreutils, tar, find, python3 work inside a bind" {
	for b in $BACKENDS; do
		run "$FACET" run --backend "$b" --bind "$TMP/host:$TMP/guest/v" -- sh -c "
			set -e; cd $TMP/guest/v
			ls -lR . > /dev/null; cp -a sub sub2; mv sub2 sub3
			find . -name g | sort
			tar cf ../t.tar sub3 && mkdir x && tar xf ../t.tar -C x && cat x/sub3/g
			python3 -c 'import os; open(\"p\",\"w\").write(\"py\"); print(open(\"p\").read(), os.getcwd(), sorted(os.listdir(\".\")))'"
		expect_status 0
		expect_output "./sub/g
./sub3/g
sub-file
py $TMP/guest/v ['f', 'p', 'sub', 'sub3', 'x']"
		[ -f "$TMP/host/sub3/g" ] && [ -f "$TMP/guest/t.tar" ]
		rm -rf "$TMP/host/sub3" "$TMP/host/x" "$TMP/host/p" "$TMP/guest/t.tar"
	done
}

@test "vfs: git init/add/commit inside --cow and inside a bind" {
	mkdir -p "$TMP/repo"
	for b in $BACKENDS; do
		run "$FACET" run --backend "$b" --cow "$TMP/repo" -- sh -c "
			cd $TMP/repo && git init -q && echo hi > a && git add a &&
			git -c user.email=t@t -c user.name=t commit -qm first &&
			git log --format=%s && git status --short"
		expect_status 0
		expect_output first
		[ -z "$(ls -A "$TMP/repo")" ] || fail "host changed"
		run "$FACET" run --backend "$b" --bind "$TMP/repo:/facet-repo" -- sh -c "
			cd /facet-repo && git init -q && echo hi > a && git add a &&
			git -c user.email=t@t -c user.name=t commit -qm second &&
			git log --format=%s"
		expect_status 0
		expect_output second
		[ -d "$TMP/repo/.git" ]
		rm -rf "$TMP/repo/.git" "$TMP/repo/a"
	done
}

@test "vfs: make and gcc build a project inside a bind" {
	mkdir -p "$TMP/proj"
	printf 'int helper(void) { return 42; }\n' > "$TMP/proj/helper.c"
	printf '#include <stdio.h>\nint helper(void);\nint main(void) { printf("%%d\\n", helper()); return 0; }\n' > "$TMP/proj/main.c"
	printf 'prog: main.o helper.o\n\t$(CC) -o $@ $^\n' > "$TMP/proj/Makefile"
	for b in $BACKENDS; do
		run "$FACET" run --backend "$b" --bind "$TMP/proj:/opt/facet-proj" -- \
			sh -c 'cd /opt/facet-proj && make -s && ./prog'
		expect_status 0
		[[ "$output" == *42 ]] || fail "$output"
		[ -x "$TMP/proj/prog" ]
		rm -f "$TMP/proj/prog" "$TMP/proj"/*.o
	done
}

@test "vfs: path results are translated back: getcwd, /proc/self/{cwd,fd}" {
	for b in $BACKENDS; do
		run "$FACET" run --backend "$b" --bind "$TMP/host:/facet-v" -- sh -c '
			cd /facet-v/sub && pwd && /bin/pwd && readlink /proc/self/cwd
			exec 3</facet-v/f; readlink /proc/self/fd/3
			python3 -c "import os; print(os.getcwd(), os.path.realpath(\".\"))"'
		expect_status 0
		expect_output "/facet-v/sub
/facet-v/sub
/facet-v/sub
/facet-v/f
/facet-v/sub /facet-v/sub"
	done
}

@test "vfs: /proc/self and /proc/thread-self name the caller, not facet" {
	for b in $BACKENDS; do
		run "$FACET" run --backend "$b" --bind "$TMP/host:/facet-v" -- python3 -c '
import os, threading
pid, tid = os.getpid(), threading.get_native_id()
print(os.readlink("/proc/self") == str(pid),
      os.readlink("/proc/thread-self") == "%d/task/%d" % (pid, tid),
      os.path.realpath("/proc/self/exe") == os.path.realpath("/proc/%d/exe" % pid),
      os.path.basename(os.path.realpath("/proc/self/exe")).startswith("python"))'
		expect_status 0
		expect_output "True True True True"
	done
}

@test "vfs: io_uring_setup, listmount and statmount fail with ENOSYS, mount-like calls with EPERM" {
	for b in $BACKENDS; do
		run "$FACET" run --backend "$b" --hide "$TMP/nothing" -- python3 -c '
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
p = ctypes.create_string_buffer(120)
print(libc.syscall(425, 4, p), ctypes.get_errno())
print(libc.syscall(165, b"none", b"/mnt", b"tmpfs", 0, None), ctypes.get_errno())
# the new mount API: a superblock made with fsopen() would be a way
# around the view for root, as natively for an unprivileged user: EPERM
print(libc.syscall(430, b"tmpfs", 0), ctypes.get_errno())
print(libc.syscall(432, 0, 0, 0), ctypes.get_errno())
# listmount/statmount list the host mount table: ENOSYS, as on a kernel
# before 6.8 (callers fall back to /proc/self/mountinfo of the view)
import struct
req = ctypes.create_string_buffer(struct.pack("IIQQ", 24, 0, 2**64 - 1, 0))
ids = (ctypes.c_uint64 * 64)()
print(libc.syscall(458, req, ids, 64, 0), ctypes.get_errno())
print(libc.syscall(457, req, ids, 512, 0), ctypes.get_errno())'
		expect_output "-1 38
-1 1
-1 1
-1 1
-1 38
-1 38"
	done
}

@test "vfs: rules combine; the longest guest prefix wins" {
	mkdir -p "$TMP/other"
	echo other > "$TMP/other/o"
	for b in $BACKENDS; do
		run "$FACET" run --backend "$b" --ro "$TMP/host" \
			--bind "$TMP/other:$TMP/host/sub" --hide "$TMP/host/f" -- sh -c "
			ls $TMP/host; cat $TMP/host/sub/o; echo w > $TMP/host/sub/w && cat $TMP/host/sub/w
			echo x > $TMP/host/new || echo ro"
		expect_output "sub
other
w
sh: 3: cannot create $TMP/host/new: Read-only file system
ro"
		[ -f "$TMP/other/w" ]
		rm -f "$TMP/other/w"
	done
}

@test "vfs: AF_UNIX socket paths are translated; hidden sockets cannot be reached" {
	for b in $BACKENDS; do
		rm -f "$TMP/host/s"
		run "$FACET" run --backend "$b" --bind "$TMP/host:/facet-sock" -- python3 -c "
import socket, os
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind('/facet-sock/s'); s.listen(1)
c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
c.connect('/facet-sock/s'); a, _ = s.accept()
c.send(b'hi')
print(s.getsockname(), c.getpeername(), a.recv(2))
d = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
try:
    d.sendto(b'x', '/facet-sock/s')
except OSError as e:
    print(e.strerror)"
		expect_status 0
		# sendto() reaches the stream socket, as natively (before
		# 2026-12-07 it failed with ENOSYS)
		expect_output "/facet-sock/s /facet-sock/s b'hi'
Protocol wrong type for socket"
		[ -S "$TMP/host/s" ]
		python3 -c "
import socket, time, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind('$TMP/host/hidden'); s.listen(1); time.sleep(5)" &
		local srv=$!
		for _ in 1 2 3 4 5 6 7 8 9 10; do [ -S "$TMP/host/hidden" ] && break; sleep 0.2; done
		run "$FACET" run --backend "$b" --hide "$TMP/host/hidden" -- python3 -c "
import socket
c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
try:
    c.connect('$TMP/host/hidden'); print('connected')
except OSError as e:
    print(e.strerror)"
		# (on a loaded machine the server may have ended already)
		kill $srv 2>/dev/null || true
		wait $srv || true
		rm -f "$TMP/host/hidden"
		expect_output "No such file or directory"
	done
}

@test "vfs: opens through a translated path: FIFO, O_PATH, dirfd, /proc/self/fd, O_NOFOLLOW, errors" {
	mkfifo "$TMP/host/fifo"
	ln -s f "$TMP/host/link"
	chmod -R a+rwX "$TMP"
	for b in $BACKENDS; do
		run "$FACET" run --backend "$b" --bind "$TMP/host:/mnt" -- python3 -c '
import os, threading, errno
# a FIFO: the reader blocks until the writer comes, neither holds up the view
def writer():
    with open("/mnt/fifo", "w") as w:
        w.write("through-fifo\n")
t = threading.Thread(target=writer); t.start()
print(open("/mnt/fifo").read().strip()); t.join()
d = os.open("/mnt/sub", os.O_RDONLY | os.O_DIRECTORY)
print(os.read(os.open("g", os.O_RDONLY, dir_fd=d), 100).decode().strip())
p = os.open("/mnt/f", os.O_PATH)
print(os.readlink("/proc/self/fd/%d" % p))
print(os.read(os.open("/proc/self/fd/%d" % p, os.O_RDONLY), 100).decode().strip())
for path, fl in (("/mnt/link", os.O_NOFOLLOW), ("/mnt/none", 0), ("/mnt/f/x", 0)):
    try: os.open(path, os.O_RDONLY | fl)
    except OSError as e: print(errno.errorcode[e.errno])
fd = os.open("/mnt/f", os.O_RDONLY | os.O_CLOEXEC)
print(os.get_inheritable(fd), os.read(fd, 100).decode().strip())
os.chdir("/mnt/sub"); print(open("../f").read().strip())'
		expect_status 0
		expect_output "through-fifo
sub-file
/mnt/f
host-file
ELOOP
ENOENT
ENOTDIR
False host-file
host-file"
	done
}

@test "vfs: a process that drops its privileges keeps its own permissions in the view" {
	[ "$(id -u)" = 0 ] || skip "needs root to change user"
	for b in $BACKENDS; do
	# facet runs as root; files the module answers for are checked with
	# the caller's credentials, not the supervisor's
	echo secret > "$TMP/host/secret"
	chmod 600 "$TMP/host/secret"
	run "$FACET" run --backend "$b" --bind "$TMP/host:/mnt" -- \
		setpriv --reuid=65534 --regid=65534 --clear-groups -- \
		/usr/bin/python3 -c '
import os
print(os.access("/mnt/secret", os.R_OK),
      os.access("/mnt/secret", os.R_OK, effective_ids=True),
      os.access("/mnt/f", os.R_OK))
for p in ("/mnt/secret", "secret"):
    try: print(open(p).read())
    except OSError as e: print(e.strerror)
    os.chdir("/mnt")
print(open("/mnt/f").read().strip())'
	expect_status 0
	expect_output "False False True
Permission denied
Permission denied
host-file"
	done
}

@test "vfs: credential calls that change nothing are told from ones that do" {
	[ "$(id -u)" = 0 ] || skip "needs root to change user"
	for b in $BACKENDS; do
	# setresuid(-1, euid, -1) changes nothing (binutils and make call it
	# in every process); the effective uid alone changing afterwards
	# must still make the module use the caller's credentials
	echo secret > "$TMP/host/secret"
	chmod 600 "$TMP/host/secret"
	run "$FACET" run --backend "$b" --bind "$TMP/host:/mnt" -- \
		/usr/bin/python3 -c '
import os
os.setresgid(-1, os.getegid(), -1)
os.setresuid(-1, os.geteuid(), -1)
os.setuid(0)
print(open("/mnt/secret").read().strip(), os.access("/mnt/secret", os.R_OK))
os.setresuid(-1, 65534, -1)
try: print(open("/mnt/secret").read())
except OSError as e: print(e.strerror)
print(os.access("/mnt/secret", os.R_OK, effective_ids=True))'
	expect_status 0
	expect_output "secret True
Permission denied
False"
	done
}

@test "vfs: path and name arguments at page edges are read as the kernel reads them" {
	native=$("$FACET_BUILD/tests/progs/vfs_strings" "$TMP/host" faults)
	[[ "$native" == *"cross ok"*"xattr-name-fault EFAULT"*"after ok" ]] ||
		fail "native run: $native"
	for b in $BACKENDS; do
		# under preload the shim's probes turn a fault into EFAULT
		# (preload/shim_probe.c)
		run "$FACET" run --backend "$b" --bind "$TMP/host:/mnt" -- \
			"$FACET_BUILD/tests/progs/vfs_strings" /mnt faults
		expect_status 0
		expect_output "$native"
	done
}

@test "vfs: /proc/self/mountinfo and /proc/mounts list guest mount points" {
	make_busybox_root "$TMP/root"
	for b in $BACKENDS; do
		run "$FACET" run --backend "$b" --bind "$TMP/host:/facet-mnt" \
			--hide /dev/shm -- sh -c '
			grep " /facet-mnt " /proc/self/mountinfo | cut -d" " -f4,5
			grep -c " /facet-mnt " /proc/mounts /etc/mtab
			grep -c " /dev/shm " /proc/self/mountinfo
			findmnt -n -o TARGET --target /facet-mnt/sub'
		expect_output "$TMP/host /facet-mnt
/proc/mounts:1
/etc/mtab:1
0
/facet-mnt"
		run "$FACET" run --backend "$b" --root "$TMP/root" -- \
			/bin/sh -c 'head -1 /proc/self/mountinfo | cut -d" " -f4,5
				    cat /proc/mounts | grep -c " /proc "
				    cut -d" " -f2 /proc/mounts | grep -cx /'
		expect_output "$TMP/root /
1
1"
	done
}

@test "vfs: in /proc/self/mountinfo a rule's mount has the mount it lies on as its parent, and an id of its own" {
	make_busybox_root "$TMP/root"
	# the mount point of the parent of the mount at $1, and repeated ids
	local parent_of='p=$(grep " $1 " /proc/self/mountinfo | cut -d" " -f2)
		grep "^$p " /proc/self/mountinfo | cut -d" " -f5
		cut -d" " -f1 /proc/self/mountinfo | sort | uniq -d'
	for b in $BACKENDS; do
		run "$FACET" run --backend "$b" --bind "$TMP/host:/facet-mnt" -- \
			sh -c "$parent_of" sh /facet-mnt
		expect_status 0
		expect_output "/"
		# /var is not in the rootfs: its glue mount is /var/tmp's parent
		run "$FACET" run --backend "$b" --root "$TMP/root" \
			--tmp /var/tmp --bind "$TMP/host:/etc" -- \
			/bin/sh -c "$parent_of" sh /etc
		expect_status 0
		expect_output "/"
		run "$FACET" run --backend "$b" --root "$TMP/root" \
			--tmp /var/tmp --bind "$TMP/host:/etc" -- \
			/bin/sh -c "$parent_of" sh /var/tmp
		expect_status 0
		expect_output "/var"
	done
}

@test "vfs: AF_UNIX peer addresses of accept, recvfrom and recvmsg are guest paths" {
	for b in $BACKENDS; do
		rm -f "$TMP/host"/*.sock
		run "$FACET" run --backend "$b" --bind "$TMP/host:/facet-sock" -- python3 -c "
import socket
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind('/facet-sock/srv.sock'); s.listen(1)
c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
c.bind('/facet-sock/cli.sock'); c.connect('/facet-sock/srv.sock')
a, peer = s.accept()
print('accept', peer, a.getpeername())
d = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
d.bind('/facet-sock/d.sock')
e = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
e.bind('/facet-sock/e.sock'); e.connect('/facet-sock/d.sock')
e.send(b'one'); e.send(b'two')
print('recvfrom', d.recvfrom(10))
m = d.recvmsg(10); print('recvmsg', m[0], m[3])"
		expect_status 0
		expect_output "accept /facet-sock/cli.sock /facet-sock/cli.sock
recvfrom (b'one', '/facet-sock/e.sock')
recvmsg b'two' /facet-sock/e.sock"
	done
}

# $TMP/long.py DIR server|client: a stream server and a datagram receiver
# at 100-byte paths in DIR, and their client, as two processes
write_long_sockets_py() {
	cat > "$TMP/long.py" <<'EOF'
import os, socket, stat, struct, sys, time
d, role = sys.argv[1], sys.argv[2]
def out(*words):	# one write per line: the two processes share stdout
    sys.stdout.write(" ".join(map(str, words)) + "\n")
def at(c):
    return d + "/" + c * (100 - len(d) - 1)
srv_path, dgram_path, cli_path = at("s"), at("d"), at("c")
if role == "server":
    s = socket.socket(socket.AF_UNIX)
    s.bind(srv_path)
    st = os.stat(srv_path)
    mask = os.umask(0); os.umask(mask)
    out("bind", len(srv_path), s.getsockname() == srv_path,
        stat.S_ISSOCK(st.st_mode), st.st_uid == os.getuid(),
        stat.S_IMODE(st.st_mode) == 0o777 & ~mask)
    s.listen(1)
    g = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    g.bind(dgram_path)
    open(d + "/ready", "w").close()
    a, peer = s.accept()
    cred = struct.unpack("3i", a.getsockopt(socket.SOL_SOCKET,
                                            socket.SO_PEERCRED, 12))
    out("accept", repr(peer), cred[1:] == (os.getuid(), os.getgid()),
        a.recv(10))
    data, frm = g.recvfrom(100)
    out("recvfrom", data, frm == cli_path)
    for p in (srv_path, dgram_path, d + "/ready"):
        os.unlink(p)
else:
    for _ in range(400):
        if os.path.exists(d + "/ready"):
            break
        time.sleep(0.05)
    else:
        sys.exit("no server")
    c = socket.socket(socket.AF_UNIX)
    c.setblocking(False)
    out("connect", c.connect_ex(srv_path), c.getpeername() == srv_path)
    c.send(b"hi")
    g = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    g.bind(cli_path)
    out("sendto", g.sendto(b"dgram", dgram_path),
        g.getsockname() == cli_path)
    os.unlink(cli_path)
EOF
	chmod a+r "$TMP/long.py"
}

@test "vfs: AF_UNIX paths of 100 bytes whose host path is longer (--tmp, --cow): server and client, names are guest paths" {
	cd /	# not in a directory --tmp /tmp hides (a checkout in /tmp)
	# before 2026-12-07 bind, connect and sendto failed with
	# ENAMETOOLONG: the host path (/tmp/facet-vfs.XXXXXX/0.XXXXXX/...)
	# did not fit in sun_path (test_pathlib's is_socket under --tmp)
	local before want
	write_long_sockets_py
	want="accept '' True b'hi'
bind 100 True True True True
connect 0 True
recvfrom b'dgram' True
sendto 5 True"
	before=$(tree_sum "$TMP/host")
	# the program as an argument: --tmp /tmp hides $TMP
	export LONG_PY
	LONG_PY=$(cat "$TMP/long.py")
	for b in $BACKENDS; do
		for who in "" as_nobody; do
			run $who "$FACET" run --backend "$b" --tmp /tmp -- sh -c '
				python3 -c "$LONG_PY" /tmp server &
				python3 -c "$LONG_PY" /tmp client; wait'
			expect_status 0
			output=$(echo "$output" | sort)
			expect_output "$want" || fail "$b $who: --tmp"
			run $who "$FACET" run --backend "$b" --cow "$TMP/host" -- sh -c '
				python3 -c "$LONG_PY" $0 server &
				python3 -c "$LONG_PY" $0 client; wait' "$TMP/host"
			expect_status 0
			output=$(echo "$output" | sort)
			expect_output "$want" || fail "$b $who: --cow"
			[ "$(tree_sum "$TMP/host")" = "$before" ] ||
				fail "$b $who: host changed"
		done
	done
}

@test "vfs: AF_UNIX paths whose host path is longer: --bind of a long HOST; non-blocking connect; errors as natively" {
	local host=$TMP/host/$(printf 'L%.0s' $(seq 70)) native
	mkdir -p "$host"
	chmod a+rwx "$host"
	cat > "$TMP/nb.py" <<'EOF'
import errno, os, socket, sys
d = sys.argv[1]
p = d + "/" + "n" * (100 - len(d) - 1)
s = socket.socket(socket.AF_UNIX); s.bind(p); s.listen(0)
r = [s.getsockname() == p]
for i in range(3):
    c = socket.socket(socket.AF_UNIX); c.setblocking(False)
    r.append(errno.errorcode.get(c.connect_ex(p), "0"))
    if i == 0:
        r.append(c.getpeername() == p)
for bad in (d + "/missing", p + "/x", "/" + "m" * 106):
    try:
        socket.socket(socket.AF_UNIX).connect(bad)
    except OSError as e:
        r.append(errno.errorcode[e.errno])
for t in (s, socket.socket(socket.AF_UNIX)):
    try:
        t.bind(p)
    except OSError as e:
        r.append(errno.errorcode[e.errno])
print(*r); os.unlink(p)
EOF
	chmod a+r "$TMP/nb.py"
	mkdir "$TMP/guest/nat"
	chmod a+rwx "$TMP/guest/nat"
	native=$(python3 "$TMP/nb.py" "$TMP/guest/nat")
	[ "${native%% *}" = True ] || skip "natively: $native"
	for b in $BACKENDS; do
		for who in "" as_nobody; do
			run $who "$FACET" run --backend "$b" \
				--bind "$host:$TMP/guest/nat" -- \
				python3 "$TMP/nb.py" "$TMP/guest/nat"
			expect_status 0
			expect_output "$native" || fail "$b $who"
			[ -z "$(ls -A "$host")" ] || fail "$b $who: left $(ls "$host")"
		done
	done
}

@test "vfs: a long AF_UNIX path bound after the view's process became another user: the socket file is that user's, with its umask" {
	[ "$(id -u)" = 0 ] || skip "needs root to change user in the view"
	# the system's: a python3 in root's home is not the user's to run
	[ -x /usr/bin/python3 ] || skip "no /usr/bin/python3"
	for b in $BACKENDS; do
		run "$FACET" run --backend "$b" --tmp /tmp -- \
			setpriv --reuid=65534 --regid=65534 --clear-groups \
			/usr/bin/python3 -c "
import os, socket
p = '/tmp/' + 'u' * 95
os.umask(0o077)
s = socket.socket(socket.AF_UNIX); s.bind(p); s.listen()
st = os.stat(p)
c = socket.socket(socket.AF_UNIX); c.connect(p)
print(st.st_uid, st.st_gid, oct(st.st_mode), s.getsockname() == p,
      c.getpeername() == p)"
		expect_status 0
		expect_output "65534 65534 0o140700 True True" || fail "$b"
	done
}

@test "vfs: what the resolver remembers follows changes made in the view" {
	mkdir -p "$TMP/host/real/sub" "$TMP/host/other"
	echo real > "$TMP/host/real/sub/f"
	echo other > "$TMP/host/other/f"
	for b in $BACKENDS; do
		rm -rf "$TMP/host/missing" "$TMP/host/moved" "$TMP/host/link"
		# sh's own tests and redirections resolve in the sh process,
		# the changes are made by other processes of the view
		run "$FACET" run --backend "$b" --bind "$TMP/host:/vh" -- sh -c '
			cd /vh
			[ -e missing/f ] || echo missing
			mkdir missing/ && [ -d missing/./. ] && echo seen
			echo new > missing/f && cat missing/f
			read x < real/sub/f && echo "$x"
			mv real moved && ln -s other real
			read x < real/f && echo "via link: $x"
			rm real && ln -s moved/sub real
			read x < real/f && echo "retargeted: $x"
			cd moved/sub && mv /vh/moved /vh/moved2
			read x < f && echo "cwd moved: $x" && pwd -P
			cd /vh && mv moved2 real2 && rm real && mv real2 real
			# no rename: removed and made again under the same
			# names (paths, not names relative to the cwd, which
			# a --bind view passes on), each forgotten by name; an
			# absolute target means the guest /vh only if the
			# link is seen
			mkdir d && echo in-d > d/f && read x < d/f && echo "$x"
			rm /vh/d/f && rmdir /vh/d && ln -s /vh/other /vh/d
			read x < d/f && echo "dir now a link: $x"
			rm /vh/d && mkdir /vh/d && { [ -e d/f ] || echo "d empty again"; }
			rmdir /vh/d && ln -s /vh/real/sub /vh/d
			read x < d/f && echo "link again: $x" && rm /vh/d'
		expect_status 0
		expect_output "missing
seen
new
real
via link: other
retargeted: real
cwd moved: real
/vh/moved2/sub
in-d
dir now a link: other
d empty again
link again: real"
		[ "$(cat "$TMP/host/real/sub/f")" = real ]
	done
}

@test "vfs: long directories and more directories than the resolver keeps resolve as the short and few do" {
	# 5 components of 100 characters: a cwd longer than an entry of
	# the dirfd table, directories longer than the memo's entries
	long=$(printf 'x%.0s' $(seq 100))
	lp=$long/$long/$long/$long/$long
	mkdir -p "$TMP/host/$lp" "$TMP/host/other"
	echo deep > "$TMP/host/$lp/f"
	echo other > "$TMP/host/other/f"
	i=1
	while [ $i -le 40 ]; do
		mkdir -p "$TMP/host/d$i" && echo "in $i" > "$TMP/host/d$i/f"
		i=$((i + 1))
	done
	for b in $BACKENDS; do
		rm -rf "$TMP/host/$long/link"
		run "$FACET" run --backend "$b" --bind "$TMP/host:/vh" -- sh -c "
			cd /vh/$lp && read x < f && echo \"\$x\" && pwd | wc -c
			read x < /vh/$lp/f && echo \"abs \$x\"
			readlink /proc/self/cwd | wc -c
			cd /vh
			for round in 1 2; do
				n=0 i=1
				while [ \$i -le 40 ]; do
					read x < d\$i/f && read y < /vh/d\$i/f &&
					[ \"\$x\" = \"in \$i\" ] && [ \"\$y\" = \"\$x\" ] &&
					n=\$((n + 1))
					i=\$((i + 1))
				done
				echo \"round \$round: \$n\"
			done
			rm d5/f && rmdir d5 && ln -s /vh/d6 d5
			read x < d5/f && echo \"d5 now \$x\"
			ln -s /vh/other /vh/$long/link
			read x < /vh/$long/link/f && echo \"long link: \$x\"
			rm /vh/$long/link && ln -s /vh/d7 /vh/$long/link
			read x < /vh/$long/link/f && echo \"long link: \$x\"
			rm /vh/$long/link"
		expect_status 0
		expect_output "deep
509
abs deep
509
round 1: 40
round 2: 40
d5 now in 6
long link: other
long link: in 7"
		rm -f "$TMP/host/d5" && mkdir "$TMP/host/d5" &&
			echo "in 5" > "$TMP/host/d5/f"
	done
}

@test "vfs: listings show the way to a bind target, once, with or without a host directory there" {
	mkdir -p "$TMP/guest/there"
	for b in $BACKENDS; do
		# $TMP/guest/new/x does not exist on the host: new is added
		run "$FACET" run --backend "$b" --bind "$TMP/host:$TMP/guest/new/x" -- \
			sh -c "ls $TMP/guest; ls $TMP/guest/new/x"
		expect_status 0
		expect_output "new
there
f
sub"
		# $TMP/guest/there exists: the host listing as it is
		run "$FACET" run --backend "$b" --bind "$TMP/host:$TMP/guest/there" -- \
			sh -c "ls $TMP/guest; ls $TMP/guest/there"
		expect_status 0
		expect_output "there
f
sub"
	done
}

@test "vfs: each directory listing is edited or left alone on its own, in one process" {
	mkdir -p "$TMP/host/plain"
	touch "$TMP/host/plain/a" "$TMP/host/plain/b"
	local hide g e
	for hide in "--hide $TMP/host/sub/g" ""; do
	g=; [ -n "$hide" ] || g=g
	e=${g:+$'\n'g}
	for b in $BACKENDS; do
		# one ls and one python3 list, in turn and again, a plain
		# directory, one with a hidden name (or not) and one that
		# gets a glue entry (under preload, in a view without --hide,
		# readdir() is left native but for the last kind; a stream's
		# verdict must not outlive it)
		run "$FACET" run --backend "$b" $hide \
			--bind "$TMP/host:$TMP/guest/new/x" -- sh -c "
			ls $TMP/host/plain $TMP/host/sub $TMP/guest $TMP/host/plain $TMP/guest $TMP/host/sub
			python3 -c '
import os, sys
for d in sys.argv[1:]:
    print(d.rsplit(\"/\", 1)[1], sorted(os.listdir(d)))
' $TMP/host/plain $TMP/host/sub $TMP/guest $TMP/host/sub $TMP/host/plain"
		expect_status 0
		# (ls sorts its operands)
		expect_output "$TMP/guest:
new

$TMP/guest:
new

$TMP/host/plain:
a
b

$TMP/host/plain:
a
b

$TMP/host/sub:$e

$TMP/host/sub:$e
plain ['a', 'b']
sub [${g:+'g'}]
guest ['new']
sub [${g:+'g'}]
plain ['a', 'b']"
	done
	done
}

@test "vfs: realpath() answers in guest terms, with the kernel's errors" {
	local rp=$FACET_BUILD/tests/progs/vfs_realpath r=$TMP/r
	ln -s /vh/sub "$TMP/host/abs"
	ln -s sub/g "$TMP/host/rel"
	ln -s loop "$TMP/host/loop"
	mkdir -p "$TMP/host/hidden" "$r/usr" "$r/etc" "$r/w/sub"
	touch "$TMP/host/hidden/secret" "$r/w/sub/g"
	ln -s usr/lib "$r/lib"
	ln -s usr/lib64 "$r/lib64"
	ln -s /w/sub "$r/w/abs"
	cp "$rp" "$r/w/rp"
	chmod -R a+rwX "$TMP"
	for b in $BACKENDS; do
		run "$FACET" run --backend "$b" --bind "$TMP/host:/vh" \
			--hide /vh/hidden -- sh -c "cd /vh/sub && $rp \
			/vh/abs/g /vh/rel g ../f /vh/sub/ /vh//sub/./../abs \
			/vh/missing /vh/f/x /vh/f/ /vh/loop /vh/hidden \
			/vh/hidden/secret ''"
		expect_status 0
		expect_output "/vh/abs/g -> /vh/sub/g
/vh/rel -> /vh/sub/g
g -> /vh/sub/g
../f -> /vh/f
/vh/sub/ -> /vh/sub
/vh//sub/./../abs -> /vh/sub
/vh/missing: ENOENT
/vh/f/x: ENOTDIR
/vh/f/: ENOTDIR
/vh/loop: ELOOP
/vh/hidden: ENOENT
/vh/hidden/secret: ENOENT
: ENOENT"
		run "$FACET" run --backend "$b" --root "$r" --bind /usr:/usr \
			--bind /etc:/etc -- /w/rp /w/abs/g /w/../../w/sub / \
			/lib64 /tmp /nonexistent
		expect_status 0
		expect_output "/w/abs/g -> /w/sub/g
/w/../../w/sub -> /w/sub
/ -> /
/lib64 -> /usr/lib64
/tmp -> /tmp
/nonexistent: ENOENT"
	done
}

@test "vfs: parents of a rule that exist nowhere are directories: stat, cd, listings; read-only; gone afterwards" {
	mkdir -m 1777 "$TMP/tmpdir"
	for b in $BACKENDS; do
		# neither $TMP/guest/opt nor anything below it exists on the host
		TMPDIR=$TMP/tmpdir run as_nobody "$FACET" run --backend "$b" \
			--bind "$TMP/host:$TMP/guest/opt/tool/bin" \
			--bind "$TMP/host/f:$TMP/guest/opt/etc/conf" -- sh -c "
			stat -c '%n %F' $TMP/guest/opt $TMP/guest/opt/tool \
				$TMP/guest/opt/etc/conf
			ls $TMP/guest/opt; ls $TMP/guest/opt/tool
			cd $TMP/guest/opt/tool && pwd && ls bin
			touch $TMP/guest/opt/new 2>&1 | grep -c 'Read-only'
			mkdir $TMP/guest/opt/tool/new 2>&1 | grep -c 'Read-only'
			echo ok > bin/written; cat ../etc/conf"
		expect_status 0
		expect_output "$TMP/guest/opt directory
$TMP/guest/opt/tool directory
$TMP/guest/opt/etc/conf regular file
etc
tool
bin
$TMP/guest/opt/tool
f
sub
1
1
host-file"
		# the rule's own directory is writable, and the host is unchanged
		[ "$(cat "$TMP/host/written")" = ok ]
		rm -f "$TMP/host/written"
		[ ! -e "$TMP/guest/opt" ]
		run ls -A "$TMP/tmpdir"
		expect_output ""
	done
}

@test "vfs: names relative to a dirfd in a --bind view: mount points and symlinks still translated" {
	mkdir -p "$TMP/guest/mnt" "$TMP/guest/plain"
	touch "$TMP/guest/mnt/hostonly"
	ln -s "$TMP/guest/mnt" "$TMP/guest/lnk"
	for b in $BACKENDS; do
		run "$FACET" run --backend "$b" --bind "$TMP/host:$TMP/guest/mnt" -- \
			python3 -c "
import os, stat
fd = os.open('$TMP/guest', os.O_RDONLY | os.O_DIRECTORY)
host = os.stat('$TMP/host').st_ino
print(os.stat('mnt', dir_fd=fd, follow_symlinks=False).st_ino == host)
print(stat.S_ISLNK(os.stat('lnk', dir_fd=fd, follow_symlinks=False).st_mode))
print(os.stat('lnk', dir_fd=fd).st_ino == host)
print(os.stat('plain', dir_fd=fd, follow_symlinks=False).st_ino ==
      os.stat('$TMP/guest/plain').st_ino)
os.mkdir('new', dir_fd=fd); os.rmdir('new', dir_fd=fd)
os.chdir('$TMP/guest/mnt')
print(sorted(os.listdir('.')), os.stat('f', follow_symlinks=False).st_size)"
		expect_status 0
		expect_output "True
True
True
True
['f', 'sub'] 10"
	done
}

@test "vfs: --root: getpwent() reads the guest's passwd, daemon() goes to the guest's /" {
	cd /
	mkdir -p "$TMP/r/usr" "$TMP/r/etc"
	ln -s usr/bin "$TMP/r/bin"
	ln -s usr/lib "$TMP/r/lib"
	ln -s usr/lib64 "$TMP/r/lib64"
	echo 'facetguest:x:4242:4242::/:/bin/sh' > "$TMP/r/etc/passwd"
	chmod -R a+rwX "$TMP/r"
	cp "$PROGS/libc_routes" "$TMP/r/usr/"
	for b in $BACKENDS; do
		for who in "" as_nobody; do
			rm -f "$TMP/r/daemon-cwd"
			run $who "$FACET" run --backend "$b" --root "$TMP/r" \
				--bind /usr/lib:/usr/lib --bind /usr/lib64:/usr/lib64 -- \
				/usr/libc_routes --root
			expect_status 0
			expect_output "getpwent: facetguest"
			# the daemon outlives facet run's command: wait for it
			for i in $(seq 50); do
				[ -s "$TMP/r/daemon-cwd" ] && break
				sleep 0.1
			done
			[ "$(cat "$TMP/r/daemon-cwd")" = / ] || fail "daemon-cwd: $(cat "$TMP/r/daemon-cwd" 2>&1)"
		done
	done
}

# The caches forget after a second of the host's monotonic clock
# (vfs_clock.c): a symlink changed outside the view is followed anew two
# seconds later, also while vtime keeps the program's clocks frozen
@test "vfs: caches expire by the real clock, also under a frozen --time" {
	local b opts
	echo A > "$TMP/host/a"
	echo B > "$TMP/host/b"
	for b in $BACKENDS; do
		for opts in "" "--time=2000-01-01 12:00:00"; do
			ln -sfn a "$TMP/host/link"
			rm -f "$TMP/host/s1" "$TMP/host/go"
			mkfifo "$TMP/host/s1" "$TMP/host/go"
			# outside the view: change the link once the view
			# has followed it, then wait two seconds
			(read -r x < "$TMP/host/s1"
			 ln -sfn b "$TMP/host/link"
			 sleep 2
			 echo > "$TMP/host/go") &
			run "$FACET" run --backend "$b" ${opts:+"$opts"} \
				--bind "$TMP/host:/mnt" -- \
				sh -c 'cat /mnt/link; echo > /mnt/s1
				       read -r x < /mnt/go; cat /mnt/link'
			wait
			expect_status 0
			expect_output "A
B"
		done
	done
}

@test "vfs: stat and xattr calls by paths relative to the cwd answer as by absolute ones; FACET_VFS_STATS counts the fast answers" {
	mkdir -p "$TMP/host/d" "$TMP/host/h/hidden" "$TMP/host/other"
	echo hi > "$TMP/host/d/f"
	ln -s f "$TMP/host/d/l"
	ln -s ../other "$TMP/host/d/dl"
	echo o > "$TMP/host/other/g"
	for i in $(seq 30); do : > "$TMP/host/d/n$i"; done
	for b in $BACKENDS; do
		rm -f "$TMP/stats"
		FACET_VFS_STATS="$TMP/stats" run "$FACET" run --backend "$b" \
			--bind "$TMP/host:/vh" --hide /vh/h/hidden -- sh -c '
			cd /vh
			stat -c "%n %F" d/f d/l d/../d/f d/dl/g
			stat -L -c "%n %F %s" d/l
			stat h/hidden 2>&1 | sed "s/.*: //"
			ls -l d | awk "\$NF !~ /^n/ && NR > 1 { print \$1, \$NF }"
			cd d && ls -lL l dl | awk "NR == 1 { print \$1, \$NF }"'
		expect_status 0
		expect_output "d/f regular file
d/l symbolic link
d/../d/f regular file
d/dl/g regular file
d/l regular file 3
No such file or directory
lrwxrwxrwx ../other
-rw-r--r-- f
lrwxrwxrwx f
-rw-r--r-- l"
		# one line per image that holds vfs: under preload each
		# process (ls -l d: 33 files, three calls each), under the
		# ptracer the supervisor
		grep -q '^facet-vfs-stats pid=[0-9]* comm=.* hot_calls=[1-9]' \
			"$TMP/stats" || fail "no stats line: $(cat "$TMP/stats")"
		if [ "$b" = preload ]; then
			awk '/ comm=ls / {
				for (i = 1; i <= NF; i++)
					if ($i ~ /^hot_hit=/) h = substr($i, 9) + 0
				if (h >= 40) ok = 1 }
			     END { exit !ok }' "$TMP/stats" ||
				fail "ls -l d: few hot lane answers: $(cat "$TMP/stats")"
		fi
	done
	# under --root an absolute symlink target on the way is the guest's
	mkdir -p "$TMP/r/usr" "$TMP/r/etc" "$TMP/r/w/d" "$TMP/r/target"
	ln -s usr/bin "$TMP/r/bin"
	ln -s usr/lib "$TMP/r/lib"
	ln -s usr/lib64 "$TMP/r/lib64"
	ln -s /target "$TMP/r/w/d/abs"
	echo in-root > "$TMP/r/target/x"
	for i in $(seq 5); do : > "$TMP/r/target/n$i"; done
	for b in $BACKENDS; do
		run "$FACET" run --backend "$b" --root "$TMP/r" --bind /usr:/usr \
			--bind /etc:/etc -- sh -c '
			cd /w && cat d/abs/x
			stat -c "%n %F" d/abs d/abs/x
			stat -L -c "%n %F" d/abs
			cd d && ls -lL abs | awk "\$NF == \"x\" { print \$1, \$NF }"'
		expect_status 0
		expect_output "in-root
d/abs symbolic link
d/abs/x regular file
d/abs directory
-rw-r--r-- x"
	done
	# 1: to stderr (under preload the process's own, if it is still
	# open when it leaves through exit(): python's); empty: off
	FACET_VFS_STATS=1 run "$FACET" run --backend preload \
		--bind "$TMP/host:/vh" -- python3 -c 'import os; os.stat("/vh/d/f")'
	expect_status 0
	[[ "$output" == *"facet-vfs-stats pid="*" comm=python3"*" hot_calls="* ]] ||
		fail "no stats on stderr: $output"
	for b in $BACKENDS; do
		FACET_VFS_STATS= run "$FACET" run --backend "$b" \
			--bind "$TMP/host:/vh" -- python3 -c 'import os; os.stat("/vh/d/f")'
		expect_status 0
		expect_output ""
	done
}

@test "vfs: /proc/self in a new pid namespace with the host's /proc is the process, not /proc/1 (unshare -r --fork --pid)" {
	unshare -U -r --fork --pid true 2>/dev/null ||
		skip "no unprivileged user and pid namespaces here"
	cd "$TMP"
	for b in $BACKENDS; do
		run --separate-stderr as_nobody "$FACET" run --backend "$b" --bind "$TMP/host:/data" -- \
			unshare -U -r --fork --pid sh -c \
			'echo pid=$$; grep "^Pid:" /proc/self/status; cat /data/f'
		expect_status 0
		[ "${lines[0]}" = "pid=1" ] || fail "$output"
		[[ "${lines[1]}" == Pid:* ]] && [[ "${lines[1]}" != *"	1" ]] ||
			fail "$b: /proc/self/status is not the process's: $output"
		[ "${lines[2]}" = host-file ] || fail "$output"
		[ -z "$stderr" ] || fail "$b: stderr: $stderr"
	done
}

# The shim builds /proc/TID/cwd and /proc/TID/fd/N from the ids /proc
# knows (/proc/thread-self, read once per thread), not from gettid(),
# which names another process (or none) there
@test "vfs: getcwd, relative paths and fd links in a new pid namespace with the host's /proc (unshare -r --fork --pid)" {
	unshare -U -r --fork --pid true 2>/dev/null ||
		skip "no unprivileged user and pid namespaces here"
	cd "$TMP"
	for b in $BACKENDS; do
		run --separate-stderr as_nobody "$FACET" run --backend "$b" --bind "$TMP/host:/mnt" -- \
			unshare -U -r --fork --pid sh -c \
			'cd /mnt && pwd && /bin/pwd && cat f &&
			 readlink /proc/self/cwd /proc/thread-self/cwd &&
			 readlink /proc/self/fd/3 3<f &&
			 (cd / && /bin/pwd) && "$1" f 3' sh "$PROGS/thread_paths"
		expect_status 0
		[ -z "$stderr" ] || fail "$b: stderr: $stderr"
		expect_output "/mnt
/mnt
host-file
/mnt
/mnt
/mnt/f
/
host-file same=3 growth=0"
	done
}
