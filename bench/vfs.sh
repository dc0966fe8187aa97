#!/bin/sh
# SPDX-License-Identifier: MIT
# facet - bench/vfs.sh: the file system view on a tree walk and a build
#
# Workloads: find + ls -lR over a tree of VFS_FILES (default 20000) files,
# and make -j2 of 40 C files.  Runners: native; facet with --bind of the
# directory and with --root (a root whose /usr is bound from the host),
# under each backend, and with no view at all (the backend's own cost);
# PRoot with the same -b / -r; fakechroot (its LD_PRELOAD overhead, no
# view).  facet-ptrace-floor is the ptracer's floor for a vfs view: no
# view, but a module (tests/modules/testmod.so) that takes the calls vfs
# takes at a notification and passes them on unchanged, and execve at a
# ptrace stop; no supervisor work can bring --bind/--root below it (see
# docs/vfs.md).  Interleaved rounds; median wall time and median CPU time (user +
# system of all processes, from times(1): steadier than wall time on a
# loaded machine).  Then, with strace (VFS_SYSCALLS=0 to skip), one more
# run of each runner that is not a ptracer itself (native, preload,
# fakechroot) counts its syscalls: total, and per file for the walk.
# Section (j) shows the ptracer's supervisor per notified call
# (PTRACE_ROUNDS=0 to skip).
# Run by bench/run.sh; VFS_FILES=5000 for a quick look.
set -u
. "$(dirname "$0")/common.sh"
: "${FACET:=build/bin/facet}"
: "${ROUNDS:=5}"
: "${VFS_FILES:=20000}"
: "${FACET_BUILD:=build}"
TESTMOD=$FACET_BUILD/tests/modules/testmod.so
# the walk's and the build's notified calls, passed on unchanged
FLOOR_OPTS=pass=newfstatat,pass=statx,pass=getxattr,pass=lgetxattr,pass=readlink,pass=openat,pass=access,pass=getcwd,passtrace=execve
: "${VFS_SYSCALLS:=1}"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT


# The tree and the project live under $TMP/root, usable as a guest root
R=$TMP/root
mkdir -p "$R/usr" "$R/etc" "$R/w/tree" "$R/w/proj"
ln -s usr/bin "$R/bin"
ln -s usr/lib "$R/lib"
ln -s usr/lib64 "$R/lib64"
d=0
while [ $((d * 250)) -lt "$VFS_FILES" ]; do
	mkdir -p "$R/w/tree/d$d/e"
	(cd "$R/w/tree/d$d/e" && touch $(seq -f f%g 1 250))
	d=$((d + 1))
done
i=1
while [ $i -le 40 ]; do
	printf '#include <stdio.h>\n#include <string.h>\nint f%d(int x) { char b[32]; snprintf(b, sizeof b, "%%d", x); return (int)strlen(b); }\n' $i > "$R/w/proj/f$i.c"
	i=$((i + 1))
done
printf 'int main(void) { return 0; }\n' > "$R/w/proj/main.c"
printf 'SRCS := $(wildcard *.c)\nprog: $(SRCS:.c=.o)\n\t$(CC) -o $@ $^\n' > "$R/w/proj/Makefile"

printf 'find "$1" -size +1k >/dev/null; ls -lR "$1" >/dev/null\n' > "$R/w/walk.sh"
# the same walk by relative paths, from the tree's parent directory
printf 'cd "$1" && find tree -size +1k >/dev/null; ls -lR tree >/dev/null\n' > "$R/w/walkrel.sh"
printf 'make -s -j2 -C "$1" >/dev/null 2>&1; rm -f "$1"/*.o "$1"/prog\n' > "$R/w/build.sh"

# vfs_cmd RUNNER WORKLOAD: the command line (walk runs in tree, build in proj)
vfs_cmd() {
	case $2 in
	walk) sub=tree ;;
	walkrel) sub= ;;
	build) sub=proj ;;
	esac
	case $1 in
	native) echo "sh $R/w/$2.sh $R/w/$sub" ;;
	facet-*-none) b=${1#facet-}; echo "$FACET run --backend ${b%-none} -- sh $R/w/$2.sh $R/w/$sub" ;;
	facet-ptrace-floor) echo "$FACET run --backend ptrace -m $TESTMOD:$FLOOR_OPTS -- sh $R/w/$2.sh $R/w/$sub" ;;
	facet-*-bind) b=${1#facet-}; echo "$FACET run --backend ${b%-bind} --bind $R/w:/mnt -- sh /mnt/$2.sh /mnt/$sub" ;;
	facet-*-root) b=${1#facet-}; echo "$FACET run --backend ${b%-root} --root $R --bind /usr:/usr --bind /etc:/etc -- sh /w/$2.sh /w/$sub" ;;
	proot-bind) echo "proot -b $R/w:/mnt sh /mnt/$2.sh /mnt/$sub" ;;
	proot-root) echo "proot -r $R -b /usr:/usr -b /etc:/etc -b /proc -b /dev -b /tmp sh /w/$2.sh /w/$sub" ;;
	fakechroot) echo "fakechroot sh $R/w/$2.sh $R/w/$sub" ;;
	esac
}

vfs_runners() {
	echo native
	for b in ptrace preload combined; do
		"$FACET" run --backend $b -- true 2>/dev/null &&
			echo "facet-$b-none facet-$b-bind facet-$b-root"
	done
	[ -f "$TESTMOD" ] && echo facet-ptrace-floor
	have proot && echo "proot-bind proot-root"
	have fakechroot && echo fakechroot
}

# vfs_time CMD: "WALL_MS CPU_MS" (CPU: user + system of CMD's processes)
vfs_time() {
	s=$(date +%s%N)
	t=$(sh -c "$1 >/dev/null 2>&1 || exit 1; times") || { echo fail; return; }
	e=$(date +%s%N)
	echo "$t" | awk -v w=$(((e - s) / 1000000)) 'NR == 2 {
		split($1, u, "m"); split($2, y, "m")
		printf "%d %d\n", w, (u[1] * 60 + u[2] + y[1] * 60 + y[2]) * 1000 }'
}

# vfs_syscalls CMD: syscalls made by CMD's processes (strace -f -c), or "-"
vfs_syscalls() {
	case $1 in
	*"--backend ptrace"*|*"--backend combined"*|proot*) echo -; return ;;
	esac
	if [ "$VFS_SYSCALLS" = 0 ] || ! have strace; then
		echo -
		return
	fi
	strace -f -c -o "$TMP/strace.out" sh -c "$1 >/dev/null 2>&1" ||
		{ echo -; return; }
	awk '$NF == "total" { print $4 }' \
		"$TMP/strace.out"
}


echo
echo "(d) the file system view: tree walk (find + ls -lR, $VFS_FILES files) and build (make -j2, 41 files)"
runners=$(vfs_runners)
for wl in walk build; do
	rm -f "$TMP"/*.ms
	i=0
	while [ $i -lt "$ROUNDS" ]; do
		for r in $runners; do
			vfs_time "$(vfs_cmd "$r" "$wl")" >> "$TMP/$r.ms"
		done
		i=$((i + 1))
	done
	base=$(grep -v fail "$TMP/native.ms" | median 1)
	cbase=$(grep -v fail "$TMP/native.ms" | median 2)
	printf '\n%s (%s rounds; ms, median)\n' "$wl" "$ROUNDS"
	printf '  %-20s %8s %8s %8s %8s %10s %9s %9s\n' runner wall ratio cpu ratio \
		"us/file" syscalls per-file
	# us/file: wall time added to native's per file of the walk
	for r in $runners; do
		m=$(grep -v fail "$TMP/$r.ms" | median 1)
		c=$(grep -v fail "$TMP/$r.ms" | median 2)
		n=$(vfs_syscalls "$(vfs_cmd "$r" "$wl")")
		awk -v r="$r" -v m="$m" -v b="$base" -v c="$c" -v cb="$cbase" \
		    -v n="$n" -v f="$([ "$wl" = walk ] && echo "$VFS_FILES" || echo 0)" 'BEGIN {
			if (m == "-" || m == "") { printf "  %-20s %8s\n", r, "failed"; exit }
			printf "  %-20s %8d %7.2fx %8d %7.2fx", r, m, m / b, c,
			       (cb > 0 ? c / cb : 0)
			printf " %10s", (f > 0 ? sprintf("%+.1f", (m - b) * 1000 / f) : "-")
			printf " %9s %9s\n", n,
			       (n != "-" && f > 0 ? sprintf("%.2f", n / f) : "-") }'
	done
done

# (e) What the view costs each new process: 200 execs of /bin/true from
# one sh under each preload runner.  Page faults and syscalls per process
# (perf stat, the whole run less a run of one 'sh -c true' under the same
# runner, over 200) are exact and do not move with the load; a page fault
# costs ~10 us on the dev VMs, a syscall ~1 us.  CPU per process is the
# median over ROUNDS.  A build of ~130 images pays this in every one.
if have perf; then
	echo
	echo "(e) per process: 200 x /bin/true from one sh, preload (perf stat; cpu: median of $ROUNDS)"
	loop='i=0; while [ $i -lt 200 ]; do /bin/true; i=$((i + 1)); done'
	printf '  %-20s %8s %9s %8s\n' runner faults syscalls cpu-us
	for r in native facet-preload-none facet-preload-bind facet-preload-root; do
		case $r in
		native) pre= ;;
		facet-preload-none) pre="$FACET run --backend preload --" ;;
		facet-preload-bind) pre="$FACET run --backend preload --bind $R/w:/mnt --" ;;
		facet-preload-root) pre="$FACET run --backend preload --root $R --bind /usr:/usr --bind /etc:/etc --" ;;
		esac
		rm -f "$TMP"/e.*
		i=0
		while [ $i -lt "$ROUNDS" ]; do
			perf stat -x, -e page-faults,raw_syscalls:sys_enter,task-clock \
				-o "$TMP/e.all" -- $pre sh -c "$loop" >/dev/null 2>&1
			perf stat -x, -e page-faults,raw_syscalls:sys_enter,task-clock \
				-o "$TMP/e.one" -- $pre sh -c true >/dev/null 2>&1
			awk -F, 'FNR == NR && /page-faults/ { f = $1 }
				FNR == NR && /sys_enter/ { s = $1 }
				FNR == NR && /task-clock/ { c = $1 }
				FNR != NR && /page-faults/ { f -= $1 }
				FNR != NR && /sys_enter/ { s -= $1 }
				FNR != NR && /task-clock/ { c -= $1 }
				END { printf "%.1f %.1f %.0f\n", f / 200, s / 200,
				      c * 1000 / 200 }' "$TMP/e.all" "$TMP/e.one" \
				>> "$TMP/e.rounds"
			i=$((i + 1))
		done
		printf '  %-20s %8s %9s %8s\n' "$r" \
			"$(median 1 < "$TMP/e.rounds")" \
			"$(median 2 < "$TMP/e.rounds")" \
			"$(median 3 < "$TMP/e.rounds")"
	done
	# The same per image of the build (make -j2 of 41 files): a compiler's
	# images make the calls /bin/true does not, and under a view touch
	# the view's pages (its caches, buffers and code) as well.  Faults
	# and syscalls of all processes over the images started
	# (sched_process_exec), exact; one run each.  readlink: what the
	# symlink cache did not answer (its misses and collisions: a
	# smaller table costs fewer faults and more of these).
	echo
	echo "(e) per image of the build (make -j2, 41 files; perf stat, all processes / images;"
	echo "    signals: all delivered in the build, SIGSYS under preload; LANG=C.UTF-8 so that"
	echo "    every process loads a locale as on a usual system)"
	printf '  %-20s %8s %8s %9s %9s %8s\n' runner images faults syscalls readlink signals
	for r in native facet-preload-bind facet-preload-root; do
		LANG=C.UTF-8 perf stat -x, -e page-faults,raw_syscalls:sys_enter \
			-e sched:sched_process_exec,signal:signal_deliver \
			-e syscalls:sys_enter_readlink \
			-o "$TMP/e.build" -- $(vfs_cmd "$r" build) >/dev/null 2>&1
		awk -F, -v r="$r" '/page-faults/ { f = $1 }
			/raw_syscalls:sys_enter/ { s = $1 } /process_exec/ { e = $1 }
			/signal_deliver/ { g = $1 } /sys_enter_readlink/ { l = $1 }
			END { printf "  %-20s %8d %8.1f %9.1f %9.1f %8d\n", r, e, f / e,
			      s / e, l / e, g }' "$TMP/e.build"
	done
fi

# (f) The walk under preload as its target is judged (within 1.15x of
# native): CPU time of all the walk's processes (perf stat task-clock),
# native and each preload view run one after the other in every round, the
# ratio taken per round and the median of the ratios printed (a load that
# changes between rounds moves both sides of a ratio together); quartiles
# show the spread.  Syscalls per file are exact (raw_syscalls:sys_enter,
# the run less native's, over VFS_FILES), and so are page faults and the
# signals delivered (signal:signal_deliver: under a view the shim's
# SIGSYS, trap mode and raw syscalls).  Rounds: WALK_ROUNDS (default 11;
# 0 skips the section).
: "${WALK_ROUNDS:=11}"
if have perf && [ "$WALK_ROUNDS" -gt 0 ]; then
	echo
	echo "(f) walk under preload, paired rounds ($WALK_ROUNDS; perf stat of all processes)"
	# walk_stat RUNNER WORKLOAD: "TASK-CLOCK-MS SYSCALLS FAULTS SIGNALS"
	# of one run
	walk_stat() {
		perf stat -x, -e task-clock,raw_syscalls:sys_enter,page-faults \
			-e signal:signal_deliver \
			-o "$TMP/f.stat" -- $(vfs_cmd "$1" "$2") >/dev/null 2>&1
		awk -F, '/task-clock/ { t = $1 } /sys_enter/ { s = $1 }
			/page-faults/ { p = $1 } /signal_deliver/ { g = $1 }
			END { print t, s, p, g + 0 }' "$TMP/f.stat"
	}
	printf '  %-20s %8s %8s %8s %8s %9s %9s %8s\n' runner cpu-ms ratio q1 q3 \
		sys/file faults signals
	# walkrel: the same walk by relative paths (cd to the tree's parent)
	for wl in walk walkrel; do
		rm -f "$TMP"/f.*
		i=0
		while [ $i -lt "$WALK_ROUNDS" ]; do
			n=$(walk_stat native $wl)
			echo "$n" >> "$TMP/f.native"
			for r in facet-preload-bind facet-preload-root; do
				echo "$n $(walk_stat $r $wl)" >> "$TMP/f.$r"
			done
			i=$((i + 1))
		done
		awk '{ print $1 }' "$TMP/f.native" | median | awk -v r="native $wl" '{
			printf "  %-20s %8.1f %7.3fx %8s %8s %9s %9s\n", r, $1, 1, "", "", "", "" }'
		for r in facet-preload-bind facet-preload-root; do
			awk '{ print $5 / $1 }' "$TMP/f.$r" | sort -n > "$TMP/f.ratios"
			awk -v r="${r#facet-preload-} $wl" \
			    -v q1="$(awk '{ v[NR] = $1 }
				END { print v[int((NR + 3) / 4)] }' "$TMP/f.ratios")" \
			    -v q3="$(awk '{ v[NR] = $1 }
				END { print v[int((3 * NR + 3) / 4)] }' "$TMP/f.ratios")" \
			    -v m="$(median < "$TMP/f.ratios")" \
			    -v c="$(awk '{ print $5 }' "$TMP/f.$r" | median)" \
			    -v s="$(awk '{ print ($6 - $2) / '"$VFS_FILES"' }' "$TMP/f.$r" | median)" \
			    -v p="$(awk '{ print $7 - $3 }' "$TMP/f.$r" | median)" \
			    -v g="$(awk '{ print $8 - $4 }' "$TMP/f.$r" | median)" 'BEGIN {
				printf "  %-20s %8.1f %7.3fx %7.3fx %7.3fx %+9.3f %+9d %+8d\n",
				       r, c, m, q1, q3, s, p, g }'
		done
	done
	echo "  (sys/file, faults and signals: more than native's, whole runs (facet's start too);"
	echo "   native makes about 4.3 syscalls per file)"
	# What vfs did with the walk's calls (FACET_VFS_STATS, docs/vfs.md):
	# exact counts, summed over the walk's processes, one run each
	echo "  vfs counters per file (FACET_VFS_STATS; hot: the hot lane, general: the full way)"
	printf '  %-20s %8s %8s %8s %8s %8s %8s\n' runner hot hit made \
		miss general resolve
	for wl in walk walkrel; do
		for r in facet-preload-bind facet-preload-root; do
			rm -f "$TMP/f.vs"
			FACET_VFS_STATS="$TMP/f.vs" $(vfs_cmd $r $wl) >/dev/null 2>&1
			awk -v r="${r#facet-preload-} $wl" -v f="$VFS_FILES" '{
				for (i = 3; i <= NF; i++) {
					split($i, kv, "=")
					c[kv[1]] += kv[2]
				} }
				END { printf "  %-20s %8.3f %8.3f %8.3f %8.3f %8.3f %8.3f\n", r,
				      c["hot_calls"] / f, c["hot_hit"] / f,
				      c["hot_made"] / f,
				      (c["hot_miss_memo"] + c["hot_miss_link"] + c["hot_miss_other"]) / f,
				      c["general"] / f, c["resolve"] / f }' "$TMP/f.vs"
		done
	done
fi

# (g) Where the walk's CPU goes (issue 4: "the kernel works more under a
# view"): perf record -g (cpu-clock, 20 kHz) of the walk, native, --bind
# and --root one after the other in each of PROFILE_ROUNDS rounds
# (default 3), the samples of all processes sorted by
# bench/walk_profile.awk: the walk's own syscalls in the kernel (the same
# calls, with the same paths, natively and under both views), Syscall User
# Dispatch's slow path, page faults, SIGSYS delivery, syscalls made from
# the shim, other kernel work, user time of the program and of the shim,
# and facet's launcher.  Median ms per run (1 sample = 0.05 ms) and the
# difference to native in us per file.
: "${PROFILE_ROUNDS:=3}"
if have perf && [ "$PROFILE_ROUNDS" -gt 0 ]; then
	echo
	echo "(g) where the walk's CPU goes (perf record -g, $PROFILE_ROUNDS rounds, median ms per run)"
	i=0
	while [ $i -lt "$PROFILE_ROUNDS" ]; do
		for r in native facet-preload-bind facet-preload-root; do
			perf record -q -e cpu-clock -F 20000 -g -o "$TMP/g.data" -- \
				$(vfs_cmd $r walk) >/dev/null 2>&1
			perf script -i "$TMP/g.data" -F comm,ip,sym,dso 2>/dev/null |
				awk -f "$(dirname "$0")/walk_profile.awk" |
				sed "s/^/$i /" >> "$TMP/g.$r"
		done
		i=$((i + 1))
	done
	printf '  %-11s %8s %8s %8s %10s %10s\n' category native bind root \
		bind-us/f root-us/f
	for k in k-walk k-sud k-fault k-signal k-shim-sys k-other user-prog \
		 user-shim launcher total; do
		for r in native facet-preload-bind facet-preload-root; do
			awk -v k=$k -v n="$PROFILE_ROUNDS" '$2 == k { v[$1] = $3 }
				END { for (i = 0; i < n; i++) print v[i] + 0 }' \
				"$TMP/g.$r" | median
		done | tr '\n' ' ' | awk -v k=$k -v f="$VFS_FILES" '{
			printf "  %-11s %8.1f %8.1f %8.1f %+10.3f %+10.3f\n", k,
			       $1 / 20, $2 / 20, $3 / 20,
			       ($2 - $1) * 50 / f, ($3 - $1) * 50 / f }'
	done
	rm -f "$TMP"/g.*
fi

# (h) User instructions per file of ls -l's three calls (statx, lgetxattr,
# getxattr by absolute path: tests/progs/vfs_loop ls) under preload
# --bind, single-stepped (stepcount; exact, the same on a loaded machine):
# 90 and 900 iterations, the difference over 810.  Stepping stretches a
# call over a good part of the caches' one-second life, so this needs a
# build made with a long one: STEP_BUILD=DIR of
# `make BUILD=DIR CFLAGS='-O2 -g -DVFS_CACHE_TTL_NS=1000000000000LL' test-bins`.
if [ -n "${STEP_BUILD:-}" ]; then
	mkdir -p "$TMP/h"
	for i in $(seq 50); do echo x > "$TMP/h/file$i"; done
	gsteps() {
		"$@" 2>&1 >/dev/null | awk '/^steps / { print $2 }'
	}
	gpre="$STEP_BUILD/bin/facet run --backend preload --bind $TMP/h:/mnt --"
	gst=$STEP_BUILD/tests/progs/stepcount
	glp=$STEP_BUILD/tests/progs/vfs_loop
	n1=$(gsteps "$gst" "$glp" ls 90 "$TMP/h")
	n2=$(gsteps "$gst" "$glp" ls 900 "$TMP/h")
	p1=$(gsteps $gpre "$gst" "$glp" ls 90 /mnt)
	p2=$(gsteps $gpre "$gst" "$glp" ls 900 /mnt)
	echo
	echo "(h) user instructions per ls -l file (3 calls), single-stepped"
	awk -v n1="$n1" -v n2="$n2" -v p1="$p1" -v p2="$p2" 'BEGIN {
		printf "  native %.1f, preload --bind %.1f\n",
		       (n2 - n1) / 810, (p2 - p1) / 810 }'
fi

# (i) A directory stream per call: opendir() (ls -R) and fdopendir() of
# an open() (find), each with its readdir() to the end and closedir(),
# over the walk's 80 top directories (tests/progs/vfs_loop; median ns a
# call of 9 batches), native and under preload --bind and --root.
LOOP=$FACET_BUILD/tests/progs/vfs_loop
if [ -x "$LOOP" ]; then
	echo
	echo "(i) a directory stream per call (vfs_loop; ns, median of 9 batches)"
	printf '  %-20s %10s %10s\n' runner opendir fdopendir
	for r in native facet-preload-bind facet-preload-root; do
		case $r in
		native) pre= dir=$R/w/tree ;;
		facet-preload-bind) pre="$FACET run --backend preload --bind $R/w:/mnt --"
			dir=/mnt/tree ;;
		facet-preload-root) pre="$FACET run --backend preload --root $R --bind /usr:/usr --bind /etc:/etc --"
			dir=/w/tree ;;
		esac
		cp "$LOOP" "$R/w/vfs_loop"
		prog=$R/w/vfs_loop
		[ $r = facet-preload-bind ] && prog=/mnt/vfs_loop
		[ $r = facet-preload-root ] && prog=/w/vfs_loop
		printf '  %-20s %10s %10s\n' $r \
			"$($pre "$prog" opendir 4000 "$dir" 2>/dev/null)" \
			"$($pre "$prog" fdopendir 4000 "$dir" 2>/dev/null)"
	done
fi

# (j) What the ptracer's supervisor does per notified call (the walk's
# target is judged against the floor this shows; docs/vfs.md).  For the
# floor, --bind and --root, walk and build: notifications (the supervisor's
# SECCOMP_IOCTL_NOTIF_RECV calls, exact, from perf record -e
# raw_syscalls:sys_enter), per file of the walk, the supervisor's syscalls
# per notification (all its threads: comm "facet"; the command's processes
# have their own comm once they exec), and CPU time (perf record -e
# cpu-clock, median of PTRACE_ROUNDS rounds, default 3) of the supervisor
# per notification and of the command's processes, in us per file over
# native for the walk.
: "${PTRACE_ROUNDS:=3}"
if have perf && [ "$PTRACE_ROUNDS" -gt 0 ] && "$FACET" run --backend ptrace -- true 2>/dev/null; then
	echo
	echo "(j) ptrace: supervisor work per notified call (perf; cpu: median of $PTRACE_ROUNDS rounds)"
	printf '  %-20s %9s %8s %9s %8s %9s %9s\n' runner notified per-file \
		sup-sys per-call sup-us/n cmd-ms
	for wl in walk build; do
		rm -f "$TMP"/j.*
		i=0
		while [ $i -lt "$PTRACE_ROUNDS" ]; do
			for r in native facet-ptrace-floor facet-ptrace-bind facet-ptrace-root; do
				perf record -q -e cpu-clock -F 10000 -o "$TMP/j.data" -- \
					$(vfs_cmd $r $wl) >/dev/null 2>&1
				perf script -i "$TMP/j.data" -F comm 2>/dev/null | awk '
					$1 == "facet" { s++; next } { o++ }
					END { printf "%.1f %.1f\n", s / 10, o / 10 }' \
					>> "$TMP/j.$r"
			done
			i=$((i + 1))
		done
		nat=$(awk '{ print $2 }' "$TMP/j.native" | median)
		for r in facet-ptrace-floor facet-ptrace-bind facet-ptrace-root; do
			perf record -q -m 4096 -e raw_syscalls:sys_enter -o "$TMP/j.data" -- \
				$(vfs_cmd $r $wl) >/dev/null 2>&1
			perf script -i "$TMP/j.data" -F comm,trace 2>/dev/null | awk '
				$1 != "facet" { next }
				{ s++ }
				$3 == 16 && $4 ~ /^\(?[0-9a-f]+,$/ && $5 == "c0502100," { n++ }
				END { print n + 0, s + 0 }' > "$TMP/j.count"
			awk -v r="$r $wl" -v f="$([ $wl = walk ] && echo "$VFS_FILES" || echo 0)" \
			    -v sup="$(awk '{ print $1 }' "$TMP/j.$r" | median)" \
			    -v cmd="$(awk '{ print $2 }' "$TMP/j.$r" | median)" \
			    -v nat="$nat" '{
				n = $1; s = $2
				printf "  %-20s %9d %8s %9d %8.2f %9.2f %9.1f", r, n,
				       (f > 0 ? sprintf("%.2f", n / f) : "-"), s,
				       (n > 0 ? s / n : 0), (n > 0 ? sup * 1000 / n : 0), cmd
				printf " (native %.1f)\n", nat }' "$TMP/j.count"
		done
	done
	echo "  (notified: NOTIF_RECV calls; sup-sys: all syscalls of facet's threads, per-call: per"
	echo "   notification; sup-us/n: the supervisor's CPU per notification; cmd-ms: CPU of the"
	echo "   command's processes, native's in brackets)"
fi
