#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# facet - tests/shell/vtime.bats: virtual clocks (--time, --time-rate)

load helper

setup() {
	export TZ=UTC
	TMP=$(world_tmp)
	CLK=$PROGS/vtime_clock
}

teardown() {
	rm -rf "$TMP"
}

# The machine running the tests may be loaded: a bound on how long
# something takes is set far from the value it has when the view works
# (the time it would take unscaled), never near the value itself.

# near A B SLACK: |A - B| <= SLACK
near() {
	local d=$(($1 - $2))
	[ "${d#-}" -le "$3" ] || fail "$1 is not within $3 of $2"
}

# ms_now: real wall-clock milliseconds
ms_now() {
	echo $(($(date +%s%N) / 1000000))
}

@test "a frozen time: date and every clock call show it, and it stays" {
	for b in $BACKENDS; do
		run "$FACET" run --backend "$b" --time '2000-01-01 12:00:00' -- \
			sh -c 'date "+%F %T"; sleep 1.1; date "+%F %T"'
		expect_status 0
		[ "${lines[0]}" = "2000-01-01 12:00:00" ]
		[ "${lines[1]}" = "2000-01-01 12:00:00" ]
		run "$FACET" run --backend "$b" --time '2000-01-01 12:00:00' -- "$CLK" now
		expect_status 0
		[ "${#lines[@]}" -eq 5 ]
		for l in "${lines[@]}"; do [ "$l" = 946728000 ]; done
		# one-digit fields, as libfaketime takes them
		run "$FACET" run --backend "$b" --time '2038-1-9 3:4:5' -- \
			date "+%F %T"
		expect_status 0
		[ "$output" = "2038-01-09 03:04:05" ]
	done
}

@test "a start-at time runs from there" {
	for b in $BACKENDS; do
		run "$FACET" run --backend "$b" --time '@2000-01-01 12:00:00' -- \
			sh -c 'date +%s; sleep 1; date +%s; '"$CLK"' now'
		expect_status 0
		near "${lines[0]}" 946728002 2
		[ "${lines[1]}" -gt "${lines[0]}" ]
		near "${lines[1]}" 946728004 4
		for l in "${lines[@]:2}"; do near "$l" 946728005 5; done
	done
}

@test "a step per read ('i2', libfaketime's): each realtime read is one step after the last, across the view" {
	for b in $BACKENDS; do
		run "$FACET" run --backend "$b" --time '2000-01-01 12:00:00 i2' -- \
			sh -c "$CLK now; sleep 0.2; $CLK now"
		expect_status 0
		[ "${#lines[@]}" -eq 10 ]
		for i in $(seq 0 9); do
			[ "${lines[$i]}" = $((946728000 + 2 * i)) ] ||
				fail "$b: read $i is ${lines[$i]}"
		done
		# a step alone is from the real time; ',' as libfaketime's
		# locales write the decimal point; date -s starts it again
		run "$FACET" run --backend "$b" --time 'i0,5' -- \
			sh -c 'date +%s%N; date +%s%N; date -s @2000000000 >/dev/null
			       date +%s; date +%s'
		expect_status 0
		[ $((lines[1] - lines[0])) -eq 500000000 ]
		near "${lines[0]}" "$(date +%s%N)" 5000000000
		[ "${lines[2]}" = 2000000000 ]
		[ "${lines[3]}" = 2000000000 ]
	done
}

@test "offsets in s, m, h, d and y shift the clock" {
	for b in $BACKENDS; do
		for spec in +3d:259200 -2h:-7200 +1.5y:47304000 -10m:-600 +90:90 \
			    +30s:30; do
			off=${spec#*:}
			run "$FACET" run --backend "$b" --time "${spec%%:*}" -- \
				sh -c 'date +%s; '"$CLK"' now'
			expect_status 0
			now=$(date +%s)
			for l in "${lines[@]}"; do near "$l" $((now + off)) 5; done
		done
	done
}

@test "rate x10: sleep 10 takes about 1 s of real time and 10 s of virtual time" {
	for b in $BACKENDS; do
		for rate in "--time x10" "--time-rate 10" "--time @2001-01-01 --time-rate x10"; do
			t0=$(ms_now)
			# shellcheck disable=SC2086
			run "$FACET" run --backend "$b" $rate -- \
				sh -c 'date +%s%N; sleep 10; date +%s%N'
			t1=$(ms_now)
			expect_status 0
			virt=$(((lines[1] - lines[0]) / 1000000))
			[ "$virt" -ge 10000 ] || fail "virtual sleep $virt ms ($rate)"
			# unscaled, the sleep alone would take 10000 ms; the
			# margin is for a loaded machine's start-up
			[ $((t1 - t0)) -lt 8000 ] || fail "real $((t1 - t0)) ms ($rate)"
		done
	done
}

@test "rate x0.5 makes a sleep take twice as long" {
	for b in $BACKENDS; do
		t0=$(ms_now)
		run "$FACET" run --backend "$b" --time-rate 0.5 -- "$CLK" nanosleep 200
		t1=$(ms_now)
		expect_status 0
		[ $((t1 - t0)) -ge 400 ]
		[ "${lines[0]#mono }" -ge 200 ]
	done
}

@test "timerfd, poll, epoll, select, nanosleep, timer, alarm and itimer timeouts scale" {
	for b in $BACKENDS; do
		for w in timerfd poll epoll select nanosleep itimer absleep semwait \
			 timer abstimer abstimerfd alarm taisleep; do
			run "$FACET" run --backend "$b" --time-rate 10 -- "$CLK" $w 2000
			expect_status 0
			if [ $w = timer ] || [ $w = timerfd ]; then
				# *_gettime reports virtual time left (200 real ms)
				[ "${lines[0]#gettime }" -le 2000 ] &&
					[ "${lines[0]#gettime }" -gt 1000 ] ||
					fail "$w: ${lines[*]}"
				lines=("${lines[@]:1}")
			fi
			# virtual ms waited: at least the timeout; unscaled
			# (2000 real ms) it would be 20000
			[ "${lines[0]#mono }" -ge 2000 ] || fail "$w: ${lines[*]}"
			[ "${lines[0]#mono }" -lt 15000 ] || fail "$w: ${lines[*]}"
			[ "${lines[1]#real }" -ge 1990 ] || fail "$w: ${lines[*]}"
		done
	done
}

@test "SO_RCVTIMEO and SO_SNDTIMEO scale, and getsockopt reports them as set" {
	for b in $BACKENDS; do
		for w in sorcv sorcvnew; do
			# x10: 5000 virtual ms, 500 real (5000 unscaled)
			t0=$(ms_now)
			run as_nobody "$FACET" run --backend "$b" --time-rate 10 -- \
				"$CLK" $w 5000
			t1=$(ms_now)
			expect_status 0
			[ "${lines[0]}" = "gettime 5000 5000" ] || fail "$b $w: $output"
			[ "${lines[1]#mono }" -ge 5000 ] || fail "$b $w: $output"
			[ "${lines[1]#mono }" -lt 30000 ] || fail "$b $w: $output"
			[ $((t1 - t0)) -lt 3500 ] || fail "$b $w: $((t1 - t0)) ms"
			# x0.5: 400 virtual ms, 800 real (400 unscaled)
			t0=$(ms_now)
			run as_nobody "$FACET" run --backend "$b" --time-rate 0.5 -- \
				"$CLK" $w 400
			t1=$(ms_now)
			expect_status 0
			[ "${lines[0]}" = "gettime 400 400" ] || fail "$b $w: $output"
			[ "${lines[1]#mono }" -ge 400 ] || fail "$b $w: $output"
			[ $((t1 - t0)) -ge 790 ] || fail "$b $w: $((t1 - t0)) ms"
		done
		# elapsed time stays real with --time-monotonic=real
		run "$FACET" run --backend "$b" --time-rate 10 --time-monotonic=real -- \
			"$CLK" sorcv 300
		expect_status 0
		[ "${lines[0]}" = "gettime 300 300" ] || fail "$b: $output"
		[ "${lines[2]#real }" -ge 2900 ] || fail "$b: $output"
	done
}

@test "sleep infinity still sleeps at a rate (too far to scale, passed on)" {
	for b in $BACKENDS; do
		run timeout 1 "$FACET" run --backend "$b" --time-rate 10 -- sleep infinity
		expect_status 124
		run timeout 1 "$FACET" run --backend "$b" --time '@2200-01-01' --time-rate 10 -- \
			sleep 2147483647
		expect_status 124
	done
}

@test "an interrupted nanosleep, select and alarm report the virtual time left" {
	for b in $BACKENDS; do
		# 10 virtual s asked for, interrupted after 4: what is left
		# and what was slept make up the 10 s, however late the
		# signal came; the itimer's 4 s are 0.4 real s (4 unscaled)
		for w in rem:rem selectleft:left; do
			t0=$(ms_now)
			run "$FACET" run --backend "$b" --time-rate 10 -- "$CLK" ${w%:*}
			t1=$(ms_now)
			expect_status 0
			left=${lines[0]#${w#*:} } slept=${lines[1]#slept }
			[ "$left" -gt 0 ] && [ "$left" -lt 10000 ] || fail "$w: $output"
			[ $((left + slept)) -ge 9900 ] || fail "$w: $output"
			[ $((left + slept)) -le 15000 ] || fail "$w: $output"
			[ $((t1 - t0)) -lt 3500 ] || fail "$w: took $((t1 - t0)) ms"
		done
		# alarm(30), 5 s later: the seconds left and the time since
		run "$FACET" run --backend "$b" --time-rate 10 -- "$CLK" alarmleft
		expect_status 0
		[ "${lines[1]}" -ge 5000 ] || fail "$output"
		near $((lines[0] * 1000 + lines[1])) 30000 1000
	done
}

@test "absolute deadlines wait their time in a shifted or frozen clock" {
	for b in $BACKENDS; do
		for spec in '2000-01-01 12:00:00' -2h +3d \
			    '@2000-01-01 12:00:00 i2'; do
			for w in absleep semwait timerfd abstimer abstimerfd \
				 taisleep; do
				t0=$(ms_now)
				run "$FACET" run --backend "$b" --time "$spec" -- "$CLK" $w 300
				t1=$(ms_now)
				expect_status 0
				[ $((t1 - t0)) -ge 290 ] || fail "$spec $w: $((t1 - t0)) ms"
				# a deadline not converted waits hours or not at all
				[ $((t1 - t0)) -lt 10000 ] || fail "$spec $w: $((t1 - t0)) ms"
			done
		done
	done
}

@test "deadlines centuries from the view's clock: a past one expires at once, a far one waits" {
	for b in $BACKENDS; do
		# 1970 in a view of 2100: more than 56 years before the
		# real now too, where the kernel takes no deadline (EINVAL,
		# and sem_timedwait() retried it for ever)
		for spec in '@2100-01-01' '@2100-01-01 x10' '2100-01-01'; do
			run as_nobody timeout 20 "$FACET" run --backend "$b" \
				--time "$spec" -- "$CLK" deadline 1
			expect_status 0
			[ "${lines[*]}" = "timerfd ok fired 1 sleep 0 sem ETIMEDOUT" ] ||
				fail "$b $spec: $output"
		done
		# 2038 in a view of 1740: the distance does not fit in int64
		# ns; it must not wrap into the past
		for spec in '@1740-01-01' '1740-01-01'; do
			run timeout 20 "$FACET" run --backend "$b" --time "$spec" -- \
				"$CLK" deadline 2147483647
			expect_status 0
			[ "${lines[*]}" = "timerfd ok fired 0 sleep EINTR sem EINTR" ] ||
				fail "$b $spec: $output"
		done
	done
}

@test "io_uring_setup fails with ENOSYS: a ring's timeouts would pass unconverted" {
	for b in $BACKENDS; do
		for spec in '@2038-01-19 03:14:00' x10; do
			run as_nobody timeout 20 "$FACET" run --backend "$b" --time "$spec" -- \
				/usr/bin/python3 -c '
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
params = ctypes.create_string_buffer(120)
print(libc.syscall(425, 4, params), os.strerror(ctypes.get_errno()))'
			expect_status 0
			expect_output "-1 Function not implemented"
		done
	done
}

@test "--time-monotonic=real leaves CLOCK_MONOTONIC and its timeouts real" {
	for b in $BACKENDS; do
		run "$FACET" run --backend "$b" --time-rate 10 --time-monotonic=real -- \
			"$CLK" poll 300
		expect_status 0
		# real ms waited: at least 300 (30 if the timeout were scaled)
		[ "${lines[0]#mono }" -ge 300 ] || fail "$output"
		[ "${lines[0]#mono }" -lt 2500 ] || fail "$output"
		[ "${lines[1]#real }" -ge 2900 ] || fail "$output"
		# glibc's nanosleep() is a relative clock_nanosleep on
		# CLOCK_REALTIME: elapsed time, real too
		run "$FACET" run --backend "$b" --time-rate 10 --time-monotonic=real -- \
			"$CLK" nanosleep 300
		expect_status 0
		[ "${lines[0]#mono }" -ge 300 ] || fail "nanosleep: $output"
		[ "${lines[1]#real }" -ge 2900 ] || fail "nanosleep: $output"
		# timers on CLOCK_MONOTONIC: found from /proc/PID/{fdinfo,timers}
		for w in timer timerfd; do
			run "$FACET" run --backend "$b" --time-rate 10 \
				--time-monotonic=real -- "$CLK" $w 300
			expect_status 0
			[ "${lines[0]#gettime }" -le 300 ] &&
				[ "${lines[0]#gettime }" -gt 150 ] || fail "$w: $output"
			[ "${lines[1]#mono }" -ge 300 ] || fail "$w: $output"
			[ "${lines[1]#mono }" -lt 2500 ] || fail "$w: $output"
		done
		# virtual ms: 3000 if the timeout were not scaled
		run "$FACET" run --backend "$b" --time-rate 10 --time-monotonic=virtual -- \
			"$CLK" poll 300
		expect_status 0
		[ "${lines[0]#mono }" -ge 300 ] || fail "$output"
		[ "${lines[0]#mono }" -lt 2500 ] || fail "$output"
	done
}

@test "date -s as an ordinary user sets the clock of the whole view" {
	for b in $BACKENDS; do
		run as_nobody "$FACET" run --backend "$b" --time '@2000-01-01 12:00:00' -- \
			sh -c 'date -s "2010-05-05 10:00:00" >/dev/null && date "+%F %T" &&
			       '"$CLK"' now | head -1'
		expect_status 0
		[[ "${lines[0]}" == "2010-05-05 10:00:0"[0-9] ]]
		near "${lines[1]}" 1273053605 5
		# settimeofday (busybox) and a frozen clock
		run as_nobody "$FACET" run --backend "$b" --time '2000-01-01 12:00:00' -- \
			sh -c 'busybox date -s "2011-02-03 04:05:06" >/dev/null; date "+%F %T"'
		expect_status 0
		expect_output "2011-02-03 04:05:06"
		# even as root, the host's clock does not move
		before=$(date +%s)
		run "$FACET" run --backend "$b" --time '+0' -- \
			sh -c 'date -s "2009-01-01 00:00:00" >/dev/null && date +%Y'
		expect_status 0
		expect_output 2009
		near "$(date +%s)" "$before" 5
	done
}

@test "adjtimex reads the virtual time and ADJ_SETOFFSET moves it, unprivileged" {
	for b in $BACKENDS; do
		run as_nobody "$FACET" run --backend "$b" --time '2000-01-01 00:00:00' -- \
			"$CLK" adj 3600
		expect_status 0
		[ "${lines[0]}" = 946688400 ]
		[ "${lines[1]}" = 946688400 ]
		# other adjustments would touch the host's clock: refused
		[ "${lines[2]}" = EPERM ]
		run "$FACET" run --backend "$b" --time '2000-01-01 00:00:00' -- "$CLK" adj
		expect_status 0
		[ "${lines[0]}" = 946684800 ]
	done
}

@test "sysinfo's uptime follows the virtual CLOCK_BOOTTIME" {
	for b in $BACKENDS; do
		run "$FACET" run --backend "$b" --time-rate 10 -- "$CLK" uptime
		expect_status 0
		read -r boot up <<< "$output"
		[ "$boot" -ge 3 ] || fail "boottime moved $boot s"
		near "$up" "$boot" 1
		# real: neither moves more than the run took (10x as much if
		# they ran at the rate)
		t0=$(ms_now)
		run "$FACET" run --backend "$b" --time-rate 10 --time-monotonic=real -- \
			"$CLK" uptime
		t1=$(ms_now)
		expect_status 0
		read -r boot up <<< "$output"
		[ "$boot" -le $(((t1 - t0) / 1000)) ] &&
			[ "$up" -le $(((t1 - t0) / 1000 + 1)) ] ||
			fail "moved $boot s, $up s in $((t1 - t0)) ms"
	done
}

@test "times()'s result runs as the virtual CLOCK_MONOTONIC, through libc and raw" {
	for b in $BACKENDS; do
		for rate in 10 0.5; do
			run "$FACET" run --backend "$b" --time-rate $rate -- "$CLK" ticks
			expect_status 0
			read -r libc raw lo hi <<< "$output"
			# 0.4 s of CPU time: at x10 4 s or more of it
			[ $rate = 0.5 ] || [ "$lo" -ge 2000 ] ||
				fail "$b: monotonic moved $lo ms"
			# times() counts whole ticks (10 ms at 100 Hz)
			for t in "$libc" "$raw"; do
				[ "$t" -ge $((lo - 20)) ] && [ "$t" -le $((hi + 20)) ] ||
					fail "$b x$rate: times() moved $t ms, CLOCK_MONOTONIC $lo-$hi"
			done
		done
	done
}

@test "/proc/uptime and process start times follow the virtual CLOCK_BOOTTIME" {
	hz=$(getconf CLK_TCK)
	for b in $BACKENDS; do
		run "$FACET" run --backend "$b" --time x10 -- sh -c '
			read -r u1 idle < /proc/uptime
			s1=$(cut -d" " -f22 /proc/$$/stat)
			sleep 5
			s2=$(sh -c '\''cut -d" " -f22 /proc/$$/stat'\'')
			read -r u2 idle < /proc/uptime
			echo ${u1%.*} ${u2%.*} $s1 $s2'
		expect_status 0
		read -r u1 u2 s1 s2 <<< "$output"
		# 5 virtual seconds passed between the readings (0.5 real ones)
		[ $((u2 - u1)) -ge 5 ] || fail "uptime $u1 -> $u2"
		[ $((s2 - s1)) -ge $((5 * hz)) ] || fail "start times $s1 -> $s2"
		[ "$s1" -le $(((u1 + 1) * hz)) ] && [ "$s2" -ge $((u1 * hz)) ] &&
			[ "$s2" -le $(((u2 + 1) * hz)) ] ||
			fail "start times $s1 $s2, uptimes $u1 $u2"
	done
}

@test "/proc/stat kept open and read again from the start is renewed, as top and vmstat read it" {
	for b in $BACKENDS; do
		run "$FACET" run --backend "$b" --time '@2038-06-01 12:00:00' -- \
			python3 -c '
import os, time
fd = os.open("/proc/stat", os.O_RDONLY)
def ctxt():
    os.lseek(fd, 0, os.SEEK_SET)
    text = os.read(fd, 1 << 20).decode()
    return int(text.split("\nctxt ")[1].split()[0])
c1 = ctxt()
for _ in range(5):
    time.sleep(0.02)
print(c1, ctxt())'
		expect_status 0
		read -r c1 c2 <<< "$output"
		# the context switches went on between the readings
		[ "$c2" -gt "$c1" ] || fail "$b: ctxt $c1 -> $c2"
	done
}

@test "CPU-time clocks are not changed" {
	for b in $BACKENDS; do
		run "$FACET" run --backend "$b" --time '2000-01-01 00:00:00' -- "$CLK" cpu
		expect_status 0
		[ "$output" -lt 5 ]
	done
}

# rates_check MODE: check `vtime_clock rates` output in $output; MODE is
# x10 (every faked clock at 10x), monoreal (monotonic ones real) or frozen
rates_check() {
	local rt cpu name a r host
	rt=$(awk '$1 == "REALTIME" { print $2 }' <<< "$output")
	cpu=$(awk '$1 == "PROCESS_CPUTIME" { print $2 }' <<< "$output")
	[ "$cpu" -ge 200 ] || fail "CPU time moved $cpu ms"
	while read -r name a r; do
		# read one after the other: a late one may be off a little
		[ "$a" = "$r" ] || near "$a" "$r" $((${a#-} / 5 + 200)) ||
			fail "$name: libc $a ms, raw syscall $r ms"
		host=$(awk -v n="$name" '$1 == n { print $2 }' <<< "$native")
		# a clock the host lacks fails in the view too, and only then
		if [ "$host" = - ] || [ "$a" = - ]; then
			[ "$a" = "$host" ] || fail "$name: $a in the view, $host on the host"
			continue
		fi
		case $MODE:$name in
		*:*CPUTIME)
			# untouched: the 0.2 s of CPU time took 2 s of virtual time
			[ "$a" -lt 1000 ] || fail "$name moved $a ms"
			[ "$rt" = 0 ] || [ "$rt" -ge $((9 * a)) ] ||
				fail "$name moved $a ms, realtime $rt ms" ;;
		frozen:REALTIME* | frozen:TAI)
			[ "$a" = 0 ] || fail "$name moved $a ms while frozen" ;;
		frozen:*)
			[ "$a" -ge $((cpu * 9 / 10)) ] || fail "$name moved $a ms" ;;
		monoreal:MONO* | monoreal:BOOT*)
			[ "$a" -ge $((cpu * 9 / 10)) ] && [ $((3 * a)) -lt "$rt" ] ||
				fail "$name moved $a ms, realtime $rt ms" ;;
		*)
			[ "$a" -ge $((9 * cpu)) ] ||
				fail "$name moved $a ms for $cpu ms of CPU time" ;;
		esac
	done <<< "$output"
}

@test "every clock id moves at its rate, through libc and raw syscalls; CPU clocks do not" {
	native=$("$CLK" rates)
	for b in $BACKENDS; do
		for MODE in x10 monoreal frozen; do
			case $MODE in
			x10) opt=(--time x10) ;;
			monoreal) opt=(--time x10 --time-monotonic=real) ;;
			frozen) opt=(--time '2000-01-01 00:00:00') ;;
			esac
			run "$FACET" run --backend "$b" "${opt[@]}" -- "$CLK" rates
			expect_status 0
			[ "${#lines[@]}" -eq 11 ] || fail "$output"
			rates_check
		done
	done
}

@test "a running clock reader sees date -s from another process of the view" {
	for b in $BACKENDS; do
		run as_nobody "$FACET" run --backend "$b" --time '2000-01-01 12:00:00' -- \
			sh -c ''"$CLK"' follow > '"$TMP"'/follow.$$ & pid=$!
			       while [ ! -s '"$TMP"'/follow.$$ ]; do sleep 0.05; done
			       date -s "2010-05-05 10:00:00" >/dev/null
			       wait $pid; s=$?; cat '"$TMP"'/follow.$$; exit $s'
		expect_status 0
		[ "${lines[0]}" = 946728000 ]
		[ "${lines[1]}" = 1273053600 ]
	done
}

@test "with a tracer in the view, clock reads still reach it" {
	for b in $BACKENDS; do
		run "$FACET" run --backend "$b" --time '2000-01-01 12:00:00' \
			--trace "$TMP/trace.$b" -- "$CLK" now
		expect_status 0
		grep -q '^[0-9]* *clock_gettime(CLOCK_REALTIME, {tv_sec=946728000,' "$TMP/trace.$b" ||
			fail "$(cat "$TMP/trace.$b")"
		grep -q '^[0-9]* *gettimeofday({tv_sec=946728000,' "$TMP/trace.$b"
		grep -q '^[0-9]* *time(NULL) *= 946728000' "$TMP/trace.$b"
	done
}

@test "futex calls without a timeout pass the ptracer without a stop, unless another module wants them" {
	# testmod counts the futex calls it sees; with passzero it, like
	# vtime, has nothing to do with those whose timeout (argument 3) is 0
	run "$FACET" run --backend ptrace --time x2 \
		-m "$TESTMOD:passzero=futex:3,count=$TMP/count" -- "$CLK" futexes
	expect_status 0
	expect_output ok
	seen=$(awk '$1 == "futex" { print $2 }' "$TMP/count")
	[ "$seen" -ge 3 ] && [ "$seen" -lt 100 ] || fail "seen $seen futex calls"
	# a module that wants every futex call sees all 203
	run "$FACET" run --backend ptrace --time x2 \
		-m "$TESTMOD:pass=futex,count=$TMP/count" -- "$CLK" futexes
	expect_status 0
	seen=$(awk '$1 == "futex" { print $2 }' "$TMP/count")
	[ "$seen" -ge 203 ] || fail "seen $seen futex calls"
	# and vtime still converts the timed ones (semwait: an absolute one)
	for b in $BACKENDS; do
		run "$FACET" run --backend "$b" --time-rate 10 -- "$CLK" semwait 2000
		expect_status 0
		[ "${lines[0]#mono }" -ge 2000 ] && [ "${lines[0]#mono }" -lt 15000 ] ||
			fail "$output"
	done
}

@test "a static Go program sees the virtual time and sleeps at the rate" {
	command -v go >/dev/null || skip "the Debian Go toolchain (golang-go) is not installed"
	mkdir -p "$TMP/go"
	cat > "$TMP/go/main.go" <<-'EOF'
	package main

	import ("fmt"; "time")

	func main() {
		t := time.Now()
		fmt.Println(t.UTC().Format("2006-01-02 15:04"))
		time.Sleep(10 * time.Second)
		<-time.NewTimer(5 * time.Second).C
		fmt.Println(time.Since(t).Milliseconds())
	}
	EOF
	(cd "$TMP/go" && CGO_ENABLED=0 GOCACHE=$TMP/go/cache GO111MODULE=off \
		go build -o now main.go)
	for b in $BACKENDS; do
		t0=$(ms_now)
		run "$FACET" run --backend "$b" --time '@2000-01-01 12:00:00' --time-rate 10 -- \
			"$TMP/go/now"
		t1=$(ms_now)
		expect_status 0
		[ "${lines[0]}" = "2000-01-01 12:00" ]
		# 15 virtual s slept (1.5 real s; 15 unscaled), never less
		[ "${lines[1]}" -ge 15000 ] || fail "slept ${lines[1]} ms"
		[ $((t1 - t0)) -lt 12000 ] || fail "took $((t1 - t0)) ms"
	done
}

@test "a program that calls the vDSO itself, as Go's runtime does, sees the virtual time" {
	# natively it finds the vDSO after envp and reads the real clock there
	run "$PROGS/vdso_clock"
	expect_status 0
	[ "$output" = "$(date -u +%Y) vdso" ]
	for b in $BACKENDS; do
		run "$FACET" run --backend "$b" --time '2038-01-20 03:14:10' -- \
			"$PROGS/vdso_clock"
		expect_status 0
		expect_output "2038 syscall"
		# without a clock module the vDSO stays: clock reads cost nothing
		run "$FACET" run --backend "$b" --hide "$TMP/none" -- "$PROGS/vdso_clock"
		expect_output "$(date -u +%Y) vdso"
	done
}

@test "a static busybox date sees the virtual time" {
	file -L "$(command -v busybox)" | grep -q 'statically linked' ||
		skip "busybox is not static"
	for b in $BACKENDS; do
		run "$FACET" run --backend "$b" --time '@1999-12-31 23:59:58' -- \
			busybox date '+%F %T'
		expect_status 0
		[[ "$output" == "1999-12-31 23:59:5"[89] ]]
	done
}

@test "monotonic never goes backwards over many reads in 4 threads" {
	for b in $BACKENDS; do
		for opt in "--time x10" "--time x0.5" "--time 2000-01-01" "--time -1d"; do
			# shellcheck disable=SC2086
			run "$FACET" run --backend "$b" $opt -- "$CLK" mono 25000
			expect_status 0
			expect_output ok
		done
	done
}

@test "file timestamps follow the virtual clock unless --time-files=real" {
	for b in $BACKENDS; do
		run "$FACET" run --backend "$b" --time '@2000-01-01 12:00:00' -- \
			sh -c "touch $TMP/new; stat -c %Y $TMP/new; date -r $TMP/new +%Y;
			       touch -d '2001-02-03 04:05:06' $TMP/set; stat -c %y $TMP/set;
			       ls -l --time-style=+%Y $TMP/set | cut -d' ' -f6"
		expect_status 0
		near "${lines[0]}" 946728000 2
		[ "${lines[1]}" = 2000 ]
		[[ "${lines[2]}" == "2001-02-03 04:05:06"* ]]
		[ "${lines[3]}" = 2001 ]
		# outside the view the file was touched now (the real now)
		near "$(stat -c %Y "$TMP/new")" "$(date +%s)" 5
		run "$FACET" run --backend "$b" --time '@2000-01-01 12:00:00' \
			--time-files=real -- stat -c %Y "$TMP/new"
		expect_status 0
		near "$output" "$(date +%s)" 5
	done
}

@test "file times in a view centuries back: shifted, and set times round-trip" {
	touch "$TMP/old"
	for b in $BACKENDS; do
		for spec in '1700-01-01 00:00:00' '@1700-01-01 00:00:00'; do
			run "$FACET" run --backend "$b" --time "$spec" -- \
				sh -c "stat -c %Y $TMP/old
				       touch -d '1690-01-01 00:00:00' $TMP/set_$b
				       stat -c %Y $TMP/set_$b"
			expect_status 0
			# touched a moment before the view began (1700-01-01)
			near "${lines[0]}" -8520336000 30
			[ "${lines[1]}" = -8835868800 ] || fail "$b $spec: $output"
		done
	done
}

@test "a profile's [vtime] section sets the clock" {
	printf '[vtime]\ntime = @2001-01-01 12:00:00\nrate = 10\n' > "$TMP/t.ini"
	for b in $BACKENDS; do
		t0=$(ms_now)
		run "$FACET" run --backend "$b" --profile "$TMP/t.ini" -- \
			sh -c 'date +%s; sleep 5; date +%s'
		t1=$(ms_now)
		expect_status 0
		[ "${lines[0]}" -ge 978350400 ] || fail "$output"
		[ "${lines[0]}" -le 978350410 ] || fail "$output"
		[ $((lines[1] - lines[0])) -ge 5 ] || fail "$output"
		# the rate: 0.5 s of real time for the sleep (5 s unscaled)
		[ $((t1 - t0)) -lt 4000 ] || fail "took $((t1 - t0)) ms"
	done
}

@test "bad specs and options are one-line errors with status 125" {
	# days and seconds that do not exist are refused, not rolled over
	for bad in bogus '+3w' '2000-13-01 00:00:00' '@yesterday' '+400y' 'x-1' \
		'2038-02-30 00:00:00' '@2038-02-29' '2038-01-19 23:59:60' \
		'i0' '+1d i-2' 'i2s'; do
		run "$FACET" run --time "$bad" -- true
		expect_status 125
		[ "${#lines[@]}" -eq 1 ]
		[[ "$output" == "facet: --time: time '$bad"* ]]
	done
	# the clock must start between 1684-10-19 and 2255-03-14 (int64 ns
	# and headroom), also through an offset
	now=$(date +%s)
	for bad in '+285y' '+250y' '-290y' '2255-03-15' '1684-10-19 07:59:59Z'; do
		run "$FACET" run --time "$bad" -- true
		expect_status 125
		[ "${#lines[@]}" -eq 1 ]
		[[ "$output" == *"'$bad' is out of range"* ]] || fail "$output"
	done
	run "$FACET" run --time '-284y' -- date +%s
	expect_status 0
	near "$output" $((now - 284 * 365 * 86400)) 10
	run "$FACET" run --time '2255-03-13 00:00:00' -- date +%s
	expect_status 0
	[ "$output" = 8999856000 ] || fail "$output"
	run "$FACET" run --time-rate fast -- true
	expect_status 125
	[ "${#lines[@]}" -eq 1 ]
	[[ "$output" == *"rate 'fast'"* ]]
	run "$FACET" run --time '2000-01-01 00:00:00' --time-rate 2 -- true
	expect_status 125
	[ "${#lines[@]}" -eq 1 ]
	[[ "$output" == *"frozen time has no rate"* ]]
	run "$FACET" run --time '@2000-01-01 00:00:00 i2' --time-rate 2 -- true
	expect_status 125
	[ "${#lines[@]}" -eq 1 ]
	[[ "$output" == *"steps at each read"* ]]
	run "$FACET" run --time-monotonic=sometimes -- true
	expect_status 125
	[ "${#lines[@]}" -eq 1 ]
	[[ "$output" == *"'virtual' or 'real'"* ]]
	run "$FACET" run --time-files -- true
	expect_status 125
}
