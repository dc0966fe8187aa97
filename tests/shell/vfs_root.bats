#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# facet - tests/shell/vfs_root.bats: --root as PRoot's -r and fakechroot
# users use it, a distribution's userland run without privileges: a root
# made of host programs and their libraries, with a loader of its own

load helper

setup() {
	TMP=$(world_tmp)
	# a cwd outside the root counts as /: start from one that is
	cd /
}

teardown() {
	rm -rf "$TMP"
}

# make_ldd_root DIR PROGRAM...: a merged-/usr root in DIR with each
# PROGRAM, the libraries ldd lists for it and a copy of the loader (so
# the guest's loader is not the host's file: started by hand, and under
# preload handed to the ptracer, as for a debootstrap'd root)
make_ldd_root() {
	local r=$1 p path lib
	shift
	mkdir -p "$r/usr/bin" "$r/usr/lib" "$r/usr/lib64" "$r/etc" "$r/w"
	ln -s usr/bin "$r/bin"
	ln -s usr/lib "$r/lib"
	ln -s usr/lib64 "$r/lib64"
	for p in "$@"; do
		path=$(command -v "$p")
		cp -L "$path" "$r/usr/bin/$p"
		for lib in $(ldd "$path" | grep -o '/[^ ]*'); do
			mkdir -p "$r$(dirname "$lib")"
			[ -e "$r$lib" ] || cp -L "$lib" "$r$lib"
		done
	done
	ln -sf dash "$r/usr/bin/sh"
	echo guest > "$r/etc/hostname"
	chmod -R a+rX "$r"
	chmod 1777 "$r/w"
}

@test "vfs_root: the caller's LD_PRELOAD reaches the guest's programs, also those the preload shim hands to the ptracer" {
	local lib
	lib=$(ldd "$(command -v perl)" | grep -o '/[^ ]*libm\.so\.6')
	[ -n "$lib" ] || skip "perl is not linked with libm"
	make_ldd_root "$TMP/r" dash grep perl
	# a library of the host's that no program here loads by itself
	for b in $BACKENDS auto; do
		for who in "" as_nobody; do
			run $who env LD_PRELOAD=libm.so.6 "$FACET" run \
				--backend "$b" --root "$TMP/r" -- sh -c '
				echo "$LD_PRELOAD"; grep -c libm /proc/self/maps'
			expect_status 0
			[ "${lines[0]}" = libm.so.6 ] && [ "${lines[1]}" -gt 0 ] ||
				fail "$b $who: $output"
			# a static program handed over keeps it for its children
			run $who env LD_PRELOAD=libm.so.6 "$FACET" run \
				--backend "$b" --bind "$TMP:/mnt" -- \
				"$(command -v busybox)" env
			expect_status 0
			# (combined shows the shim's own variables there too)
			[[ "$output" == *"LD_PRELOAD="*"libm.so.6"* ]] ||
				fail "$b $who: static: $output"
		done
	done
}

@test "vfs_root: rename() and link() between the root and a --bind, --tmp or the host's /tmp fail with EXDEV, as between mounts" {
	make_ldd_root "$TMP/r" dash perl ls mkdir rm
	mkdir "$TMP/h"
	chmod 0777 "$TMP/h"
	local script='
		try() { perl -e "$1(q{$2}, q{$3}) or print qq{$1 $3: \$!\n}"; }
		: > /w/f; mkdir -p /w/d
		try rename /w/f /mnt/h/f; try link /w/f /mnt/h/l
		try rename /w/f /t/f; try link /w/f /t/l
		try rename /w/f "$TMP/f"
		try rename /w/f /w/d/f; try rename /w/d/f /w/g; try link /w/g /w/l
		: > /mnt/h/a; try rename /mnt/h/a /mnt/h/b; try rename /mnt/h /w/h
		ls /w; ls /mnt/h; rm -rf /w/* /mnt/h/*'
	for b in $BACKENDS; do
		for who in "" as_nobody; do
			# the host's /tmp, which --root binds, holds $TMP
			run $who env TMP="$TMP" LC_ALL=C "$FACET" run --backend "$b" \
				--root "$TMP/r" --bind "$TMP/h:/mnt/h" --tmp /t -- \
				sh -c "$script"
			expect_status 0
			expect_output "rename /mnt/h/f: Invalid cross-device link
link /mnt/h/l: Invalid cross-device link
rename /t/f: Invalid cross-device link
link /t/l: Invalid cross-device link
rename $TMP/f: Invalid cross-device link
rename /w/h: Device or resource busy
d
g
l
b"
			[ -z "$(ls "$TMP/h")" ] || fail "left in the bind: $(ls "$TMP/h")"
		done
	done
}

# tree_sum DIR: names, modes, owners, sizes, times and link targets
tree_sum() {
	(cd "$1" && find . -printf '%p %m %U %G %s %T@ %l\n' | sort | md5sum)
}

@test "vfs_root: --root R --cow / writes a copy of the whole root; R stays as it was; --cow /=UPPER keeps it" {
	make_ldd_root "$TMP/r" dash cat ls rm mkdir
	local before script
	before=$(tree_sum "$TMP/r")
	script='echo x > /etc/new; rm /etc/hostname; mkdir /opt; echo y > /opt/f
		cat /etc/new /opt/f; ls /etc; ls /'
	for b in $BACKENDS; do
		for who in "" as_nobody; do
			run $who "$FACET" run --backend "$b" --root "$TMP/r" \
				--cow / -- sh -c "$script"
			expect_status 0
			expect_output "x
y
new
bin
dev
etc
lib
lib64
opt
proc
sys
tmp
usr
w"
			[ "$(tree_sum "$TMP/r")" = "$before" ] ||
				fail "$b $who: the root was written"
			rm -rf "$TMP/up"
			run $who "$FACET" run --backend "$b" --root "$TMP/r" \
				--cow "/=$TMP/up" -- sh -c 'echo z > /etc/kept'
			expect_status 0
			run $who "$FACET" run --backend "$b" --root "$TMP/r" \
				--cow "/=$TMP/up" -- cat /etc/kept
			expect_output "z"
			[ "$(tree_sum "$TMP/r")" = "$before" ] ||
				fail "$b $who: the root was written"
		done
	done
}

@test "vfs_root: --cow of a path only the root has (none on the host) copies the root's; one the view lacks is a one-line error" {
	make_ldd_root "$TMP/r" dash cat
	mkdir -p "$TMP/r/facet-guest-only"
	echo guest > "$TMP/r/facet-guest-only/f"
	chmod -R a+rwX "$TMP/r/facet-guest-only"
	[ ! -e /facet-guest-only ] || skip "the host has /facet-guest-only"
	for b in $BACKENDS; do
		for who in "" as_nobody; do
			run $who "$FACET" run --backend "$b" --cow /facet-guest-only \
				--root "$TMP/r" -- sh -c 'cat /facet-guest-only/f; echo x > /facet-guest-only/f; cat /facet-guest-only/f'
			expect_status 0
			expect_output "guest
x"
			[ "$(cat "$TMP/r/facet-guest-only/f")" = guest ] ||
				fail "$b $who: the root's file was written"
			run $who "$FACET" run --backend "$b" --root "$TMP/r" \
				--cow /facet-nowhere -- true
			expect_status 125
			[ "${#lines[@]}" -eq 1 ] || fail "$b $who: $output"
			[[ "$output" == *"--cow '/facet-nowhere'"* ]] || fail "$b $who: $output"
		done
	done
}

@test "vfs_root: chroot / (and chroot .) by root in the root works, as in a chroot; another directory EPERM, a missing one ENOENT; as nobody EPERM, as natively" {
	[ "$(id -u)" = 0 ] || skip "needs root for CAP_SYS_CHROOT"
	make_ldd_root "$TMP/r" dash cat chroot
	local script='
		chroot / cat /etc/hostname || echo "chroot / $?"
		cd / && chroot . cat /etc/hostname || echo "chroot . $?"
		chroot /usr /bin/true 2>&1 || echo "chroot /usr $?"
		chroot /nowhere /bin/true 2>&1 || echo "chroot /nowhere $?"'
	for b in $BACKENDS auto; do
		run env LC_ALL=C "$FACET" run --backend "$b" --root "$TMP/r" -- \
			sh -c "$script"
		expect_status 0
		expect_output "guest
guest
chroot: cannot change root directory to '/usr': Operation not permitted
chroot /usr 125
chroot: cannot change root directory to '/nowhere': No such file or directory
chroot /nowhere 125"
		# natively an unprivileged user may not chroot at all
		run as_nobody env LC_ALL=C "$FACET" run --backend "$b" \
			--root "$TMP/r" -- sh -c 'chroot / cat /etc/hostname'
		expect_status 125
		expect_output "chroot: cannot change root directory to '/': Operation not permitted"
	done
}
