#!/bin/sh
# SPDX-License-Identifier: MIT
# facet - syscall interposition toolkit
# core/gen-syscalls.sh - Generate the syscall table (C) from syscalls.in
#
# Usage: gen-syscalls.sh [-x XLATDIR] syscalls.in > syscalls.c
#
# Each row of syscalls.in is "nr name classes args ret" (see the header of
# that file).  The output defines facet_syscall_rows[FACET_NR_MAX] with
# designated initializers, and facet_syscall_byname[], the numbers of all
# rows sorted by name (strcmp() order), for bsearch().  The rows hold no
# pointers: names and details are offsets into facet_syscall_strings, so
# the table needs no relocation when a shared object (the preload shim) is
# loaded, and stays in pages shared with the page cache (see
# core/syscalls.c).
#
# Fails, naming the line, on a malformed row, an unknown class or argument
# kind, more than six arguments, a duplicate number or name, or a flags/enum
# table with no XLATDIR/TABLE.in (XLATDIR defaults to xlat/ next to the
# input).  Nothing is written to stdout on failure.

set -eu

xlatdir=
if [ "${1:-}" = "-x" ]; then
	if [ $# -lt 2 ]; then
		echo "usage: $0 [-x XLATDIR] syscalls.in" >&2
		exit 2
	fi
	xlatdir=$2
	shift 2
fi
if [ $# -ne 1 ]; then
	echo "usage: $0 [-x XLATDIR] syscalls.in" >&2
	exit 2
fi
in=$1
[ -r "$in" ] || { echo "$0: cannot read $in" >&2; exit 1; }
[ -n "$xlatdir" ] || xlatdir=$(dirname "$in")/xlat

LC_ALL=C
export LC_ALL

exec awk -v src="$in" -v xlatdir="$xlatdir" '
function fail(msg) {
	printf "%s:%d: %s\n", src, FNR, msg > "/dev/stderr"
	errors++
}

# Kind name ("flags:open") to "FACET_ARG_FLAGS OFFSET": the kind and the
# offset of its detail in the string blob (0: none)
function kind(spec, what,    k, d, n, parts) {
	n = split(spec, parts, ":")
	k = parts[1]
	d = (n >= 2) ? parts[2] : ""
	if (n > 2 || spec ~ /:$/) {
		fail(what " \"" spec "\": malformed kind")
		return ""
	}
	if (!(k in kinds)) {
		fail(what ": unknown kind \"" k "\"")
		return ""
	}
	if (k in detailed) {
		if (d == "") {
			fail(what ": kind \"" k "\" needs a :detail")
			return ""
		}
		if (d !~ /^[a-z_][a-z0-9_]*$/) {
			fail(what ": bad detail \"" d "\"")
			return ""
		}
		if ((k == "flags" || k == "enum") && !xlat_exists(d)) {
			fail(what ": no table " xlatdir "/" d ".in")
			return ""
		}
		return "FACET_ARG_" toupper(k) " " str(d)
	}
	if (d != "") {
		fail(what ": kind \"" k "\" takes no :detail")
		return ""
	}
	return "FACET_ARG_" toupper(k) " 0"
}

# Offset of string @s in the blob, added once; offset 0 is the empty string
function str(s) {
	if (!(s in str_off)) {
		str_off[s] = str_len
		str_at[++nstr] = s
		str_len += length(s) + 1
	}
	return str_off[s]
}

function xlat_exists(t,    f, r) {
	if (t in xlat_seen)
		return xlat_seen[t]
	f = xlatdir "/" t ".in"
	r = (getline line < f) >= 0
	if (r)
		close(f)
	xlat_seen[t] = r
	return r
}

BEGIN {
	nk = split("int uint hex oct fd dirfd path str strv buf_in buf_out " \
		   "size flags enum struct_in struct_out struct_inout " \
		   "sockaddr_in sockaddr_out ptr pid uid gid signal off " \
		   "clockid", kl, " ")
	for (i = 1; i <= nk; i++)
		kinds[kl[i]] = 1
	split("flags enum struct_in struct_out struct_inout", dl, " ")
	for (i in dl)
		detailed[dl[i]] = 1
	nc = split("FILE DESC NET IPC PROCESS SIGNAL MEMORY CREDS CLOCK " \
		   "TIMER STAT LSTAT FSTAT STATFS FSTATFS PURE SCHED SYSTEM",
		   cl, " ")
	for (i = 1; i <= nc; i++)
		classes[cl[i]] = 1
	errors = 0
	nrows = 0
	nstr = 0
	str_len = 1
}

{ sub(/#.*/, "") }
NF == 0 { next }

{
	if (NF != 5) {
		fail("expected 5 columns (nr name classes args ret), got " NF)
		next
	}
	nr = $1; name = $2
	if (nr !~ /^[0-9]+$/ || nr + 0 >= 512) {
		fail("bad syscall number \"" nr "\" (0..511)")
		next
	}
	nr = nr + 0
	if (name !~ /^[a-z_][a-z0-9_]*$/) {
		fail("bad syscall name \"" name "\"")
		next
	}
	if (nr in row_name) {
		fail("duplicate number " nr " (" row_name[nr] " on line " \
		     row_line[nr] ")")
		next
	}
	if (name in name_nr) {
		fail("duplicate name " name " (number " name_nr[name] ")")
		next
	}

	cls = ""
	n = ($3 == "-") ? 0 : split($3, c, "|")
	for (i = 1; i <= n; i++) {
		if (!(c[i] in classes)) {
			fail(name ": unknown class \"" c[i] "\"")
			next
		}
		cls = cls (cls == "" ? "" : " | ") "FACET_CLASS_" c[i]
	}
	if (cls == "")
		cls = "0"

	for (i = 1; i <= 6; i++)
		ak[i] = "FACET_ARG_NONE 0"
	nargs = 0
	if ($4 != "-") {
		nargs = split($4, a, ",")
		if (nargs > 6) {
			fail(name ": " nargs " arguments, at most 6")
			next
		}
		for (i = 1; i <= nargs; i++) {
			if (a[i] == "") {
				fail(name ": empty argument " i)
				next
			}
			k = kind(a[i], name " arg " i)
			if (k == "")
				next
			ak[i] = k
		}
	}
	ret = kind($5, name " result")
	if (ret == "")
		next

	row_name[nr] = name
	row_line[nr] = FNR
	name_nr[name] = nr
	byname[++nrows] = name
	ak[7] = ret
	kinds_s = ""; details_s = ""
	for (i = 1; i <= 7; i++) {
		split(ak[i], kd, " ")
		kinds_s = kinds_s (i > 1 ? ", " : "") kd[1]
		details_s = details_s (i > 1 ? ", " : "") kd[2]
	}
	row[nr] = sprintf("\t[%d] = { %d, %d, %s,\n" \
			  "\t\t{ %s },\n\t\t{ %s } },\t/* %s */",
			  nr, str(name), nargs, cls, kinds_s, details_s, name)
}

END {
	if (NR == 0 || nrows == 0) {
		printf "%s: no rows\n", src > "/dev/stderr"
		errors++
	}
	if (errors)
		exit 1

	# Insertion sort by name, byte order (LC_ALL=C)
	for (i = 2; i <= nrows; i++) {
		v = byname[i]
		for (j = i - 1; j >= 1 && byname[j] > v; j--)
			byname[j + 1] = byname[j]
		byname[j + 1] = v
	}

	print "/* Generated by gen-syscalls.sh from syscalls.in: do not edit */"
	print "#include <stddef.h>"
	print ""
	print "#include <facet/module.h>"
	print "#include \"xlat.h\""
	print ""
	print "const char facet_syscall_strings[] ="
	printf "\t\"\""
	for (i = 1; i <= nstr; i++)
		printf "\n\t\"\\0%s\"", str_at[i]
	print ";"
	print ""
	print "const struct facet_syscall_row facet_syscall_rows[FACET_NR_MAX] = {"
	for (nr = 0; nr < 512; nr++)
		if (nr in row)
			print row[nr]
	print "};"
	print ""
	print "const unsigned short facet_syscall_byname[] = {"
	for (i = 1; i <= nrows; i++)
		printf "\t%d,\t/* %s */\n", name_nr[byname[i]], byname[i]
	print "};"
	print ""
	printf "const size_t facet_syscall_count = %d;\n", nrows
}
' "$in"
