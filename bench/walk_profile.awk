# SPDX-License-Identifier: MIT
# facet - bench/walk_profile.awk: where a walk's CPU goes, from
# `perf script -F comm,ip,sym,dso` of a `perf record -e cpu-clock -g`
# (bench/vfs.sh section (g)).  Prints "CATEGORY SAMPLES" lines.
#
# Categories, by the sample's command and call chain:
#   launcher	facet and facet-preload-exec (a run's fixed start)
#   user-prog	user mode, outside the preload shim
#   user-shim	user mode, in libfacet-preload.so
#   k-walk	kernel, in a syscall of the walk itself (statx, fstatat,
#		lgetxattr, getxattr, getdents64) made through libc's wrapper,
#		by the program or by the shim on its behalf
#   k-sud	kernel, Syscall User Dispatch's slow entry/exit path
#		(syscall_trace_enter, syscall_exit_work)
#   k-signal	kernel, delivering a signal (the shim's SIGSYS)
#   k-fault	kernel, a page fault
#   k-shim-sys	kernel, a syscall made from the shim (its own, or one it
#		passes on for a caught call)
#   k-other	kernel, anything else (exec, mmap, fork, the program's
#		other syscalls, interrupts)
# On this VM (PVM) a timer tick taken while a syscall returns is often
# counted on the user instruction after it: user-* hold a share of the
# syscalls' return cost, the same share natively and under a view.

function flush(   i, k, u, first) {
	if (comm == "")
		return
	total++
	if (comm ~ /^facet/) {
		n["launcher"]++
	} else if (nf == 0) {
		n["k-other"]++
	} else if (!kern[1]) {
		n[dso[1] ~ /libfacet/ ? "user-shim" : "user-prog"]++
	} else {
		k = "k-other"
		for (i = 1; i <= nf; i++) {
			if (sym[i] == "asm_exc_page_fault") { k = "k-fault"; break }
			if (sym[i] ~ /^(syscall_trace_enter|syscall_exit_work)/) { k = "k-sud"; break }
			if (sym[i] == "arch_do_signal_or_restart") { k = "k-signal"; break }
		}
		if (k == "k-other") {
			for (i = 1; i <= nf && kern[i]; i++)
				;
			u = i
			if (u <= nf && sym[u - 1] ~ /^entry_SYSCALL_64/) {
				first = sym[u]
				# the walk's calls, whether libc's wrapper was
				# called by the program or by the shim for it
				if (first ~ /^(statx|lgetxattr|getxattr|__GI___fstatat64|__GI___getdents64|fstatat64|newfstatat)$/)
					k = "k-walk"
				else if (dso[u] ~ /libfacet/ || (u < nf && dso[u + 1] ~ /libfacet/))
					k = "k-shim-sys"
			}
		}
		n[k]++
	}
	comm = ""
	nf = 0
}

/^[^ \t]/ { flush(); comm = $1; next }
/^[ \t]*$/ { flush(); next }
{
	nf++
	s = $2
	sub(/\+0x[0-9a-f]+$/, "", s)
	sym[nf] = s
	dso[nf] = $NF
	kern[nf] = ($NF ~ /kallsyms/)
}
END {
	flush()
	for (k in n)
		print k, n[k]
	print "total", total
}
