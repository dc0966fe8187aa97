#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# facet - tests/shell/profile.bats: --profile FILE (INI, with extends)

load helper

setup() {
	TMP=$(world_tmp)
}

teardown() {
	rm -rf "$TMP"
}

@test "a profile sets module options; extends is applied first" {
	mkdir "$TMP/sub"
	printf '[run]\nlog-level = error\n[%s]\nresult = getppid>99\n' "$TESTMOD" > "$TMP/sub/base.ini"
	printf '; a comment\nextends = sub/base.ini\n[%s]\nnodename = from-profile\n' "$TESTMOD" > "$TMP/p.ini"
	for b in $BACKENDS; do
		run "$FACET" run --backend "$b" --profile "$TMP/p.ini" -- sh -c 'echo $PPID; uname -n'
		expect_status 0
		expect_output "99
from-profile"
		# flags after the profile add to it
		run "$FACET" run --backend "$b" --profile "$TMP/p.ini" -m "$TESTMOD:deny=mkdir" -- mkdir "$TMP/d"
		expect_status 1
		[ ! -e "$TMP/d" ]
	done
}

@test "profile errors name the file and line, status 125" {
	printf 'extends = loop.ini\n' > "$TMP/loop.ini"
	run "$FACET" run --profile "$TMP/loop.ini" -- true
	expect_status 125
	[[ "$output" == *"loop.ini:1: profiles extend each other more than 8 deep"* ]]
	printf '[run]\n\nbogus = 1\n' > "$TMP/bad.ini"
	run "$FACET" run --profile "$TMP/bad.ini" -- true
	expect_status 125
	expect_output "facet: $TMP/bad.ini:3: [run] has no key 'bogus' (backend, log-level)"
	printf '[nosuchmodule]\nx = 1\n' > "$TMP/nomod.ini"
	run "$FACET" run --profile "$TMP/nomod.ini" -- true
	expect_status 125
	[[ "$output" == *"nomod.ini:2: [nosuchmodule] no module called"* ]]
	printf 'x = 1\n' > "$TMP/nosec.ini"
	run "$FACET" run --profile "$TMP/nosec.ini" -- true
	expect_status 125
	[[ "$output" == *"outside a section"* ]]
	run "$FACET" run --profile "$TMP/missing.ini" -- true
	expect_status 125
	[[ "$output" == *"cannot read profile"*"No such file"* ]]
	printf 'not an ini line\n' > "$TMP/garbage.ini"
	run "$FACET" run --profile "$TMP/garbage.ini" -- true
	expect_status 125
	[[ "$output" == *"garbage.ini:1: not a valid INI line"* ]]
}

@test "a profile takes a module path and lines of any length (inih cuts section names at 49 characters, lines at 200)" {
	long=$TMP/a-directory-name-long-enough/to-make-the-module-path/longer-than-inih-keeps
	mkdir -p "$long" "$TMP/$(printf 'd%.0s' $(seq 230))"
	cp "$TESTMOD" "$long/testmod.so"
	dir=$TMP/$(printf 'd%.0s' $(seq 230))
	echo far > "$dir/f"
	printf '[%s]\nnodename = from-long-path\n[vfs]\nbind = %s:/facet-far\n' "$long/testmod.so" "$dir" > "$TMP/p.ini"
	[ "$(sed -n 1p "$TMP/p.ini" | wc -c)" -gt 60 ]
	[ "$(sed -n 4p "$TMP/p.ini" | wc -c)" -gt 220 ]
	for b in $BACKENDS; do
		run "$FACET" run --backend "$b" --profile "$TMP/p.ini" -- sh -c 'uname -n; cat /facet-far/f'
		expect_status 0
		expect_output "from-long-path
far"
	done
}
