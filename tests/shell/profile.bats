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
	expect_output "facet: $TMP/loop.ini:1: extends loop.ini, which is being read already: a loop"
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

@test "profile: the first bad line is the one named, syntax or value, with why; status 125" {
	# inih goes on after a bad line: a later bad value must not be
	# reported with the earlier line's number
	printf '[run\nbackend = ptrace\n' > "$TMP/open.ini"
	run "$FACET" run --profile "$TMP/open.ini" -- true
	expect_status 125
	expect_output "facet: $TMP/open.ini:1: not a valid INI line: a section header without ']'"
	printf '[run]\nbackend = ptrace\nnot a key\nlog-level = nope\n' > "$TMP/two.ini"
	run "$FACET" run --profile "$TMP/two.ini" -- true
	expect_status 125
	expect_output "facet: $TMP/two.ini:3: not a valid INI line: use KEY = VALUE, [SECTION] or a comment (; or #)"
	printf '[run]\nlog-level = nope\nnot a key\n' > "$TMP/two.ini"
	run "$FACET" run --profile "$TMP/two.ini" -- true
	expect_status 125
	expect_output "facet: $TMP/two.ini:2: log-level nope: use error, warning, info or debug"
	# a bad backend is the profile's error, with its line
	printf '; x\n[run]\nbackend = nosuch\n' > "$TMP/be.ini"
	run "$FACET" run --profile "$TMP/be.ini" -- true
	expect_status 125
	expect_output "facet: $TMP/be.ini:3: backend 'nosuch': use auto, ptrace, preload or combined"
	# in an extended profile: that profile's line
	printf '\nextends = two.ini\n' > "$TMP/top.ini"
	run "$FACET" run --profile "$TMP/top.ini" -- true
	expect_status 125
	expect_output "facet: $TMP/two.ini:2: log-level nope: use error, warning, info or debug"
	# a missing extended profile: the line that names it
	printf '; base\n\nextends = gone.ini\n[run]\nbackend = ptrace\n' > "$TMP/gone.top"
	run "$FACET" run --profile "$TMP/gone.top" -- true
	expect_status 125
	expect_output "facet: $TMP/gone.top:3: cannot read profile $TMP/gone.ini: No such file or directory"
}

@test "profile: extends loops are named; chains up to 8 deep" {
	mkdir "$TMP/sub"
	printf 'extends = b.ini\n' > "$TMP/a.ini"
	printf 'extends = sub/../a.ini\n' > "$TMP/b.ini"
	run "$FACET" run --profile "$TMP/a.ini" -- true
	expect_status 125
	expect_output "facet: $TMP/b.ini:1: extends sub/../a.ini, which is being read already: a loop"
	for i in 1 2 3 4 5 6 7 8; do
		printf 'extends = c%d.ini\n' $((i + 1)) > "$TMP/c$i.ini"
	done
	printf '[%s]\nnodename = deep\n' "$TESTMOD" > "$TMP/c9.ini"
	run "$FACET" run --profile "$TMP/c1.ini" -- uname -n
	expect_status 0
	expect_output "deep"
	printf 'extends = c1.ini\n' > "$TMP/c0.ini"
	run "$FACET" run --profile "$TMP/c0.ini" -- true
	expect_status 125
	expect_output "facet: $TMP/c8.ini:1: profiles extend each other more than 8 deep"
}

@test "profile: quoted values, comments, duplicates, later command-line flags win" {
	mkdir "$TMP/d"
	echo data > "$TMP/d/x"
	cat > "$TMP/p.ini" <<EOF
# a comment
; another
[run]
backend = "preload"   ; inline comment
[$TESTMOD]
nodename = first
nodename = "second one"
[vfs]
bind = "$TMP/d:/facet-q d"
EOF
	for b in $BACKENDS; do
		run "$FACET" run --profile "$TMP/p.ini" --backend "$b" -- sh -c 'uname -n; cat "/facet-q d/x"'
		expect_status 0
		expect_output "second one
data"
		run "$FACET" run --profile "$TMP/p.ini" -m "$TESTMOD:nodename=cli" --backend "$b" -- uname -n
		expect_status 0
		expect_output "cli"
		# before the profile, the profile wins
		run "$FACET" run -m "$TESTMOD:nodename=cli" --profile "$TMP/p.ini" --backend "$b" -- uname -n
		expect_status 0
		expect_output "second one"
	done
	run "$FACET" run --profile "$TMP/p.ini" --log-level debug -- true
	[[ "$output" == *"backend preload"* ]]
}

@test "profile: relative paths of options are from the directory facet is started in, extends from the profile's" {
	mkdir -p "$TMP/proj/conf" "$TMP/proj/etc-test" "$TMP/elsewhere/etc-test"
	echo proj > "$TMP/proj/etc-test/who"
	echo elsewhere > "$TMP/elsewhere/etc-test/who"
	printf '[vfs]\nbind = ./etc-test:/facet-etc\n' > "$TMP/proj/conf/base.ini"
	printf 'extends = base.ini\n' > "$TMP/proj/conf/dev.ini"
	for b in $BACKENDS; do
		run sh -c "cd '$TMP/proj' && '$FACET' run --backend $b --profile conf/dev.ini -- cat /facet-etc/who"
		expect_status 0
		expect_output "proj"
		run sh -c "cd '$TMP/elsewhere' && '$FACET' run --backend $b --profile ../proj/conf/dev.ini -- cat /facet-etc/who"
		expect_status 0
		expect_output "elsewhere"
	done
}
