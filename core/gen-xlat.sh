#!/bin/sh
# SPDX-License-Identifier: MIT
# facet - syscall interposition toolkit
# core/gen-xlat.sh - Generate the flag and enum name tables (C) from xlat/*.in
#
# Usage: gen-xlat.sh xlat/open.in xlat/at.in ... > xlat.c
#
# One table per file, named after the file (xlat/open.in is "open").  Lines:
#
#   # text             a comment (so is anything after a '#' on a line)
#   #flags             the table holds bit flags (default: #enum, one value)
#   #enum              the table holds values of which one is meant
#   #field MASK        the entries that follow are values of the bit field
#                      MASK (a macro or number) rather than single flags,
#                      e.g. O_RDONLY/O_WRONLY/O_RDWR in O_ACCMODE
#   #field MASK TABLE  the bit field MASK holds a value named by TABLE
#                      (the exit signal in clone flags); no entries follow
#   #bits              entries that follow are flags again
#   NAME               a constant, its value the macro NAME; skipped (by
#                      #ifdef) when the headers do not define it
#   NAME VALUE         same, VALUE used when the headers lack NAME (checked
#                      by a static assertion when they have it)
#   NAME =VALUE        VALUE always, whatever the headers say
#
# Order matters for flags: a multi-bit flag (O_TMPFILE) must come before the
# single bits it contains (O_DIRECTORY).  The output defines
# facet_xlat_entries[], every table's entries one after the other (each
# ended by a marker), and facet_xlat_rows[], one per table sorted by name,
# with where its entries start (an enum counts them, since the headers
# decide which entries exist).  Names are offsets in facet_xlat_strings:
# nothing in the output is a pointer, so that loading it relocates nothing
# (every process of a preload view loads it; see core/syscalls.c).
# Fails, naming the line, on a malformed line or a duplicate name; nothing
# is written to stdout on failure.

set -eu

if [ $# -lt 1 ]; then
	echo "usage: $0 xlat/NAME.in... > xlat.c" >&2
	exit 2
fi
for f; do
	[ -r "$f" ] || { echo "$0: cannot read $f" >&2; exit 1; }
done

LC_ALL=C
export LC_ALL

exec awk '
function fail(msg) {
	printf "%s:%d: %s\n", FILENAME, FNR, msg > "/dev/stderr"
	errors++
}

function value_ok(v) {
	return v ~ /^-?(0[xX][0-9a-fA-F]+|[0-9]+)[uUlL]*$/
}

function emit(s) {
	body[++nbody] = s
}

# The enum that numbers the entries: one enumerator per entry
function emit_enum(s) {
	enumb[++nenum] = s
}

# One entry of the table: @cond is the macro it needs, or ""
function entry(cond, line) {
	if (cond != "") {
		emit("#ifdef " cond)
		emit_enum("#ifdef " cond)
	}
	emit(line)
	emit_enum("\tXA_" table "__" name ",")
	if (cond != "") {
		emit("#endif")
		emit_enum("#endif")
	}
}

# Offset of string @s in the blob, added once; offset 0 ends a table
function str(s) {
	if (!(s in str_off)) {
		str_off[s] = str_len
		str_at[++nstr] = s
		str_len += length(s) + 1
	}
	return str_off[s]
}

BEGIN {
	nstr = 0
	str_len = 1
}

function finish_table() {
	if (table == "")
		return
	emit("\t{ 0, 0, 0 },")
	emit_enum("\tXA_" table "__END,")
	prev_table = table
	tflags[table] = is_flags
	tref_mask[table] = ref_mask
	tref_table[table] = ref_table
}

FNR == 1 {
	finish_table()
	table = FILENAME
	sub(/.*\//, "", table)
	if (table !~ /\.in$/) {
		fail("file name does not end in .in")
	}
	sub(/\.in$/, "", table)
	if (table !~ /^[a-z_][a-z0-9_]*$/) {
		fail("bad table name \"" table "\"")
		table = "bad" errors
	}
	if (table in tflags || table in seen_table)
		fail("duplicate table " table)
	seen_table[table] = 1
	tables[++ntables] = table
	is_flags = 0
	mask = "0"
	ref_mask = "0"
	ref_table = ""
	split("", names)
	emit("\t/* " table " */")
	emit_enum("\tXA_" table " = " (prev_table == "" ? "0" : "XA_" prev_table "__END") ",")
}

/^#flags[ \t]*$/	{ is_flags = 1; next }
/^#enum[ \t]*$/		{ is_flags = 0; next }
/^#bits[ \t]*$/		{ mask = "0"; next }
/^#field([ \t]|$)/ {
	if (NF == 2 && ($2 ~ /^[A-Za-z_][A-Za-z0-9_]*$/ || value_ok($2))) {
		mask = "(unsigned long)(" $2 ")"
	} else if (NF == 3 && $3 ~ /^[a-z_][a-z0-9_]*$/ &&
		   ($2 ~ /^[A-Za-z_][A-Za-z0-9_]*$/ || value_ok($2))) {
		if (ref_table != "")
			fail("second #field MASK TABLE")
		ref_mask = "(unsigned long)(" $2 ")"
		ref_table = $3
		refs[FILENAME ":" FNR] = $3
	} else {
		fail("expected #field MASK [TABLE]")
	}
	is_flags = 1
	next
}
{ sub(/#.*/, "") }
NF == 0 { next }

{
	name = $1
	if (NF > 2 || name !~ /^[A-Za-z_][A-Za-z0-9_]*$/) {
		fail("expected NAME [VALUE]")
		next
	}
	if (name in names) {
		fail("duplicate name " name " in table " table)
		next
	}
	if (name == "END") {	# XA_table__END marks the end
		fail("a constant may not be named END")
		next
	}
	names[name] = 1
	q = str(name)
	if (NF == 1) {
		entry(name, "\t{ (unsigned long)(" name "), " mask ", " q " },")
		next
	}
	v = $2
	force = sub(/^=/, "", v)
	if (!value_ok(v)) {
		fail("bad value \"" $2 "\"")
		next
	}
	if (force) {
		entry("", "\t{ (unsigned long)(" v "), " mask ", " q " },")
		next
	}
	emit("#ifdef " name)
	emit("\t{ (unsigned long)(" name "), " mask ", " q " },")
	emit("#else")
	emit("\t{ (unsigned long)(" v "), " mask ", " q " },")
	emit("#endif")
	emit_enum("\tXA_" table "__" name ",")
	checks[++nchecks] = name " " v
}

END {
	finish_table()
	for (r in refs)
		if (!(refs[r] in seen_table)) {
			printf "%s: #field names unknown table %s\n", r,
			       refs[r] > "/dev/stderr"
			errors++
		}
	if (errors)
		exit 1

	for (i = 2; i <= ntables; i++) {
		v = tables[i]
		for (j = i - 1; j >= 1 && tables[j] > v; j--)
			tables[j + 1] = tables[j]
		tables[j + 1] = v
	}

	print "/* Generated by gen-xlat.sh from xlat/NAME.in: do not edit */"
	print "#include <fcntl.h>"
	print "#include <poll.h>"
	print "#include <sched.h>"
	print "#include <signal.h>"
	print "#include <stddef.h>"
	print "#include <stdio.h>"
	print "#include <time.h>"
	print "#include <unistd.h>"
	print "#include <netinet/in.h>"
	print "#include <sys/epoll.h>"
	print "#include <sys/eventfd.h>"
	print "#include <sys/file.h>"
	print "#include <sys/inotify.h>"
	print "#include <sys/ipc.h>"
	print "#include <sys/mman.h>"
	print "#include <sys/mount.h>"
	print "#include <sys/prctl.h>"
	print "#include <sys/random.h>"
	print "#include <sys/resource.h>"
	print "#include <sys/socket.h>"
	print "#include <sys/stat.h>"
	print "#include <sys/timerfd.h>"
	print "#include <sys/wait.h>"
	print "#include <sys/xattr.h>"
	print "#include <asm/prctl.h>"
	print "#include <linux/futex.h>"
	print "#include <linux/openat2.h>"
	print "#include <linux/ptrace.h>"
	print "#include <linux/seccomp.h>"
	print ""
	print "#include \"xlat.h\""
	print ""
	for (i = 1; i <= ntables; i++) {
		t = tables[i]
		tname[t] = str(t)
	}
	print "const char facet_xlat_strings[] ="
	printf "\t\"\""
	for (i = 1; i <= nstr; i++)
		printf "\n\t\"\\0%s\"", str_at[i]
	print ";"
	print ""
	print "/* XA_T: where table T starts in facet_xlat_entries; XA_T__END: one"
	print " * past its end marker (the headers decide which entries exist) */"
	print "enum {"
	for (i = 1; i <= nenum; i++)
		print enumb[i]
	print "};"
	print ""
	print "const struct facet_xlat facet_xlat_entries[] = {"
	for (i = 1; i <= nbody; i++)
		print body[i]
	print "};"
	print ""
	for (i = 1; i <= nchecks; i++) {
		split(checks[i], c, " ")
		print "#ifdef " c[1]
		printf "_Static_assert((unsigned long)(%s) == " \
		       "(unsigned long)(%s),\n\t       \"%s is not %s\");\n",
		       c[1], c[2], c[1], c[2]
		print "#endif"
	}
	if (nchecks)
		print ""
	print "const struct facet_xlat_row facet_xlat_rows[] = {"
	for (i = 1; i <= ntables; i++) {
		t = tables[i]
		printf "\t{ %d, XA_%s, XA_%s__END - 1 - XA_%s, %d, %s, %d },\n",
		       tname[t], t, t, t, tflags[t], tref_mask[t],
		       tref_table[t] == "" ? 0 : tname[tref_table[t]]
	}
	print "};"
	print ""
	printf "const size_t facet_xlat_ntables = %d;\n", ntables
	print ""
	print "/* The public form of each row, made on first use (syscalls.c) */"
	printf "struct facet_xlat_table facet_xlat_cache[%d];\n", ntables
}
' "$@"
