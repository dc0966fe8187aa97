// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/progs/vtime_clock.c - Clock reads, sleeps and timers for vtime.bats
 *
 *   vtime_clock now		realtime via clock_gettime, gettimeofday,
 *				time and raw syscalls, one per line (seconds)
 *   vtime_clock adj [SECS]	adjtimex(): shift the clock by SECS with
 *				ADJ_SETOFFSET first, then print the time
 *				adjtimex() reads and clock_gettime's
 *   vtime_clock rem		nanosleep 10 s, interrupted by an itimer
 *				after 4 s: print the ms nanosleep reports left
 *				and the ms it slept (CLOCK_MONOTONIC)
 *   vtime_clock selectleft	the same with select(): the timeout left
 *   vtime_clock alarmleft	alarm(30), sleep 5 s: print what alarm(0)
 *				returns (the seconds left) and the ms since
 *				alarm(30)
 *   vtime_clock uptime	how far CLOCK_BOOTTIME and sysinfo()'s uptime
 *				move in 0.4 s of CPU time, in s
 *   vtime_clock cpu		CPU time used, in whole seconds
 *   vtime_clock ticks	how far times()'s result (libc, raw syscall)
 *				moves in 0.4 s of CPU time, and the least
 *				and most CLOCK_MONOTONIC can have moved
 *				between those reads, in ms
 *   vtime_clock rates		how far each clock moves (ms) while this
 *				process burns 0.2 s of CPU time, read
 *				through libc and with raw syscalls: one line
 *				"NAME LIBC RAW" per clock, "-" where the
 *				clock fails
 *   vtime_clock futexes	100 futex wakes and 100 untimed futex waits
 *				that fail at once (no timeout: argument 3
 *				is 0), then 3 waits with a timeout
 *   vtime_clock follow	print CLOCK_REALTIME (s), then wait until it
 *				jumps by more than 1000 s and print it again
 *				(gives up after 20 s of CLOCK_MONOTONIC)
 *   vtime_clock deadline SECS	CLOCK_REALTIME deadline at SECS (since the
 *				epoch) for timerfd_settime (then polled for
 *				0.1 s), clock_nanosleep and sem_timedwait,
 *				the waits cut short by a 0.3 s itimer: one
 *				line each, "timerfd ok fired N", "sleep ERR",
 *				"sem ERR" (0, ETIMEDOUT, EINTR, EINVAL...)
 *   vtime_clock mono N		4 threads read CLOCK_MONOTONIC N times;
 *				exits 1 if any read went backwards
 *   vtime_clock WAIT MS	wait MS ms with WAIT (timerfd, poll, epoll,
 *				select, nanosleep, absleep, semwait, itimer,
 *				timer, abstimer, abstimerfd, alarm, taisleep,
 *				sorcv and sorcvnew: SO_RCVTIMEO, SO_RCVTIMEO_NEW)
 *				and print the elapsed virtual ms on
 *				CLOCK_MONOTONIC and CLOCK_REALTIME; timerfd
 *				and timer also print what *_gettime reported
 *				right after setting, sorcv* what getsockopt()
 *				reports of the receive and send timeouts
 */
#include <errno.h>
#include <linux/futex.h>
#include <poll.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <sys/times.h>
#include <sys/timex.h>
#include <time.h>
#include <unistd.h>

static long long ns_of(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int now(void)
{
	struct timespec ts;
	struct timeval tv;

	clock_gettime(CLOCK_REALTIME, &ts);
	printf("%ld\n", (long)ts.tv_sec);
	gettimeofday(&tv, NULL);
	printf("%ld\n", (long)tv.tv_sec);
	printf("%ld\n", (long)time(NULL));
	syscall(SYS_clock_gettime, CLOCK_REALTIME_COARSE, &ts);
	printf("%ld\n", (long)ts.tv_sec);
	printf("%ld\n", (long)syscall(SYS_time, NULL));
	return 0;
}

static void on_alarm(int sig)
{
	(void)sig;
}

static int adj(const char *secs)
{
	struct timex tx = { 0 };
	struct timespec ts;

	if (secs) {
		tx.modes = ADJ_SETOFFSET;
		tx.time.tv_sec = atol(secs);
		if (adjtimex(&tx) < 0) {
			perror("adjtimex ADJ_SETOFFSET");
			return 1;
		}
		tx.modes = 0;
	}
	if (adjtimex(&tx) < 0) {
		perror("adjtimex");
		return 1;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	printf("%ld\n%ld\n", (long)tx.time.tv_sec, (long)ts.tv_sec);
	tx.modes = ADJ_FREQUENCY;
	if (adjtimex(&tx) == -1 && errno == EPERM)
		printf("EPERM\n");
	return 0;
}

static int rem(void)
{
	struct itimerval it = { .it_value = { 4, 0 } };
	struct timespec ts = { 10, 0 }, left = { 0, 0 };

	long long m0;

	signal(SIGALRM, on_alarm);
	setitimer(ITIMER_REAL, &it, NULL);
	m0 = ns_of(CLOCK_MONOTONIC);
	if (nanosleep(&ts, &left) == 0 || errno != EINTR)
		return 1;
	printf("rem %ld\nslept %lld\n",
	       (long)(left.tv_sec * 1000 + left.tv_nsec / 1000000),
	       (ns_of(CLOCK_MONOTONIC) - m0) / 1000000);
	return 0;
}

/* select() for 10 s, interrupted after 4 s: the timeout left, in ms */
static int selectleft(void)
{
	struct itimerval it = { .it_value = { 4, 0 } };
	struct timeval tv = { 10, 0 };

	long long m0;

	signal(SIGALRM, on_alarm);
	setitimer(ITIMER_REAL, &it, NULL);
	m0 = ns_of(CLOCK_MONOTONIC);
	if (select(0, NULL, NULL, NULL, &tv) != -1 || errno != EINTR)
		return 1;
	printf("left %ld\nslept %lld\n",
	       (long)(tv.tv_sec * 1000 + tv.tv_usec / 1000),
	       (ns_of(CLOCK_MONOTONIC) - m0) / 1000000);
	return 0;
}

static int alarmleft(void)
{
	struct timespec ts = { 5, 0 };
	long long m0 = ns_of(CLOCK_MONOTONIC);
	unsigned left;

	alarm(30);
	nanosleep(&ts, NULL);
	left = alarm(0);
	printf("%u\n%lld\n", left, (ns_of(CLOCK_MONOTONIC) - m0) / 1000000);
	return 0;
}

static int cpu(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	printf("%ld\n", (long)ts.tv_sec);
	return 0;
}

/*
 * How far CLOCK_BOOTTIME and sysinfo's uptime move (in s) while this
 * process burns 0.4 s of CPU time (a clock vtime leaves alone)
 */
static int uptime(void)
{
	long long b0 = ns_of(CLOCK_BOOTTIME);
	struct sysinfo si;
	long u0;

	sysinfo(&si);
	u0 = si.uptime;
	while (ns_of(CLOCK_PROCESS_CPUTIME_ID) < 400000000LL)
		;
	sysinfo(&si);
	printf("%lld %ld\n", (ns_of(CLOCK_BOOTTIME) - b0) / 1000000000,
	       si.uptime - u0);
	return 0;
}

/*
 * How far times()'s result moves, through libc and as a raw syscall, while
 * this process burns 0.4 s of CPU time, and the bounds of CLOCK_MONOTONIC's
 * move between the same reads, in ms
 */
static int ticks(void)
{
	long hz = sysconf(_SC_CLK_TCK);
	long long m0, m1, m2, m3;
	struct tms tb;
	clock_t l0, l1;
	long r0, r1;

	/* each times() read between two of CLOCK_MONOTONIC: a process
	 * preempted between the reads (a loaded machine, at x10) moves the
	 * bounds with it, not the answer */
	m0 = ns_of(CLOCK_MONOTONIC);
	l0 = times(&tb);
	r0 = syscall(SYS_times, &tb);
	m1 = ns_of(CLOCK_MONOTONIC);
	while (ns_of(CLOCK_PROCESS_CPUTIME_ID) < 400000000LL)
		;
	m2 = ns_of(CLOCK_MONOTONIC);
	l1 = times(&tb);
	r1 = syscall(SYS_times, &tb);
	m3 = ns_of(CLOCK_MONOTONIC);
	printf("%ld %ld %lld %lld\n", (long)(l1 - l0) * 1000 / hz,
	       (r1 - r0) * 1000 / hz, (m2 - m1) / 1000000,
	       (m3 - m0) / 1000000);
	return 0;
}

static const struct {
	const char *name;
	clockid_t id;
} rates_clocks[] = {
	{ "REALTIME", CLOCK_REALTIME },
	{ "REALTIME_COARSE", CLOCK_REALTIME_COARSE },
	{ "REALTIME_ALARM", CLOCK_REALTIME_ALARM },
	{ "TAI", CLOCK_TAI },
	{ "MONOTONIC", CLOCK_MONOTONIC },
	{ "MONOTONIC_COARSE", CLOCK_MONOTONIC_COARSE },
	{ "MONOTONIC_RAW", CLOCK_MONOTONIC_RAW },
	{ "BOOTTIME", CLOCK_BOOTTIME },
	{ "BOOTTIME_ALARM", CLOCK_BOOTTIME_ALARM },
	{ "PROCESS_CPUTIME", CLOCK_PROCESS_CPUTIME_ID },
	{ "THREAD_CPUTIME", CLOCK_THREAD_CPUTIME_ID },
};

#define RATES_N	(sizeof(rates_clocks) / sizeof(rates_clocks[0]))

/* Read every clock both ways into @t; -1 where it fails */
static void rates_read(long long t[RATES_N][2])
{
	struct timespec ts;
	size_t i;

	for (i = 0; i < RATES_N; i++) {
		t[i][0] = t[i][1] = -1;
		if (!clock_gettime(rates_clocks[i].id, &ts))
			t[i][0] = ts.tv_sec * 1000000000LL + ts.tv_nsec;
		if (!syscall(SYS_clock_gettime, rates_clocks[i].id, &ts))
			t[i][1] = ts.tv_sec * 1000000000LL + ts.tv_nsec;
	}
}

static void rates_print(long long a, long long b)
{
	if (a < 0 || b < 0)
		printf(" -");
	else
		printf(" %lld", (b - a) / 1000000);
}

static int rates(void)
{
	long long t0[RATES_N][2], t1[RATES_N][2], c0;
	size_t i;

	rates_read(t0);
	c0 = ns_of(CLOCK_PROCESS_CPUTIME_ID);
	while (ns_of(CLOCK_PROCESS_CPUTIME_ID) - c0 < 200000000LL)
		;
	rates_read(t1);
	for (i = 0; i < RATES_N; i++) {
		printf("%s", rates_clocks[i].name);
		rates_print(t0[i][0], t1[i][0]);
		rates_print(t0[i][1], t1[i][1]);
		printf("\n");
	}
	return 0;
}

static int futexes(void)
{
	struct timespec t = { 1, 0 };
	int word = 1, i;

	for (i = 0; i < 100; i++) {
		syscall(SYS_futex, &word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
		/* the word is not 0: EAGAIN at once */
		syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
	}
	for (i = 0; i < 3; i++)
		if (syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 0, &t, NULL,
			    0) != -1 || errno != EAGAIN)
			return 1;
	printf("ok\n");
	return 0;
}

static int follow(void)
{
	long long m0 = ns_of(CLOCK_MONOTONIC), r0 = ns_of(CLOCK_REALTIME), r;
	struct timespec pause = { 0, 10000000 };

	printf("%lld\n", r0 / 1000000000);
	fflush(stdout);
	while (ns_of(CLOCK_MONOTONIC) - m0 < 20000000000LL) {
		r = ns_of(CLOCK_REALTIME);
		if (r - r0 > 1000000000000LL || r0 - r > 1000000000000LL) {
			printf("%lld\n", r / 1000000000);
			return 0;
		}
		nanosleep(&pause, NULL);
	}
	printf("unchanged\n");
	return 1;
}

static long mono_n;
static long long mono_last;
static int mono_bad;

static void *mono_thread(void *arg)
{
	long i;

	(void)arg;
	for (i = 0; i < mono_n; i++) {
		long long seen = __atomic_load_n(&mono_last, __ATOMIC_ACQUIRE);
		long long t = ns_of(CLOCK_MONOTONIC), cur;

		if (t < seen)
			__atomic_store_n(&mono_bad, 1, __ATOMIC_RELAXED);
		cur = seen;
		while (t > cur &&
		       !__atomic_compare_exchange_n(&mono_last, &cur, t, 0,
						    __ATOMIC_RELEASE,
						    __ATOMIC_RELAXED))
			;
	}
	return NULL;
}

static int mono(long n)
{
	pthread_t th[4];
	int i;

	mono_n = n;
	for (i = 0; i < 4; i++)
		pthread_create(&th[i], NULL, mono_thread, NULL);
	for (i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	printf("%s\n", mono_bad ? "backwards" : "ok");
	return mono_bad;
}

static int wait_timerfd(long ms, clockid_t clk, int abs)
{
	long long t = abs ? ns_of(clk) + ms * 1000000LL : ms * 1000000LL;
	struct itimerspec it = { .it_value = { t / 1000000000,
					       t % 1000000000 } }, cur;
	int fd = timerfd_create(clk, 0);
	unsigned long long n;

	if (fd < 0 || timerfd_settime(fd, abs ? TFD_TIMER_ABSTIME : 0, &it,
				      NULL) < 0)
		return -1;
	timerfd_gettime(fd, &cur);
	if (!abs)
		printf("gettime %ld\n", (long)(cur.it_value.tv_sec * 1000 +
				       (cur.it_value.tv_nsec + 500000) /
				       1000000));
	return read(fd, &n, sizeof(n)) == sizeof(n) ? 0 : -1;
}

/*
 * A recv() that times out after @ms by SO_RCVTIMEO (option @opt: the libc
 * one or SO_RCVTIMEO_NEW); prints what getsockopt() reports of the
 * receive and the send timeout (set alike), in ms
 */
static int wait_sockopt(long ms, int opt)
{
	struct timeval tv = { ms / 1000, ms % 1000 * 1000 }, got[2];
	socklen_t len[2] = { sizeof(got[0]), sizeof(got[1]) };
	int sv[2], snd = opt == SO_RCVTIMEO ? SO_SNDTIMEO : opt + 1;
	char c;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0 ||
	    setsockopt(sv[0], SOL_SOCKET, opt, &tv, sizeof(tv)) < 0 ||
	    setsockopt(sv[0], SOL_SOCKET, snd, &tv, sizeof(tv)) < 0 ||
	    getsockopt(sv[0], SOL_SOCKET, opt, &got[0], &len[0]) < 0 ||
	    getsockopt(sv[0], SOL_SOCKET, snd, &got[1], &len[1]) < 0)
		return -1;
	printf("gettime %ld %ld\n",
	       (long)(got[0].tv_sec * 1000 + got[0].tv_usec / 1000),
	       (long)(got[1].tv_sec * 1000 + got[1].tv_usec / 1000));
	if (recv(sv[0], &c, 1, 0) >= 0 || errno != EAGAIN)
		return -1;
	return 0;
}

static int wait_epoll(long ms)
{
	struct epoll_event ev;
	int fd = epoll_create1(EPOLL_CLOEXEC);

	return fd < 0 ? -1 : epoll_wait(fd, &ev, 1, ms);
}

static int wait_absleep(long ms, clockid_t clk)
{
	struct timespec ts;
	long long t = ns_of(clk) + ms * 1000000LL;

	ts.tv_sec = t / 1000000000;
	ts.tv_nsec = t % 1000000000;
	return clock_nanosleep(clk, TIMER_ABSTIME, &ts, NULL);
}

static int wait_sem(long ms)
{
	struct timespec ts;
	long long t = ns_of(CLOCK_REALTIME) + ms * 1000000LL;
	sem_t sem;

	sem_init(&sem, 0, 0);
	ts.tv_sec = t / 1000000000;
	ts.tv_nsec = t % 1000000000;
	while (sem_timedwait(&sem, &ts) < 0)
		if (errno != EINTR)
			return errno == ETIMEDOUT ? 0 : -1;
	return -1;
}

/* A POSIX timer on @clk, relative or absolute; waits for its signal */
static int wait_timer(long ms, clockid_t clk, int abs)
{
	struct sigevent ev = { .sigev_notify = SIGEV_SIGNAL,
			       .sigev_signo = SIGALRM };
	long long t = abs ? ns_of(clk) + ms * 1000000LL : ms * 1000000LL;
	struct itimerspec it = { .it_value = { t / 1000000000,
					       t % 1000000000 } }, cur;
	timer_t id;

	signal(SIGALRM, on_alarm);
	if (timer_create(clk, &ev, &id) < 0 ||
	    timer_settime(id, abs ? TIMER_ABSTIME : 0, &it, NULL) < 0)
		return -1;
	timer_gettime(id, &cur);
	if (!abs)
		printf("gettime %ld\n", (long)(cur.it_value.tv_sec * 1000 +
					       (cur.it_value.tv_nsec + 500000) /
					       1000000));
	pause();
	return 0;
}

static int wait_alarm(long ms)
{
	signal(SIGALRM, on_alarm);
	alarm((ms + 999) / 1000);
	pause();
	return 0;
}

static int wait_itimer(long ms)
{
	struct itimerval it = { .it_value = { ms / 1000, ms % 1000 * 1000 } };

	signal(SIGALRM, on_alarm);
	if (setitimer(ITIMER_REAL, &it, NULL) < 0)
		return -1;
	pause();
	return 0;
}

/* The outcome of a wait: its errno's name */
static const char *err_name(int err)
{
	switch (err) {
	case 0:
		return "0";
	case ETIMEDOUT:
		return "ETIMEDOUT";
	case EINTR:
		return "EINTR";
	case EINVAL:
		return "EINVAL";
	}
	return strerror(err);
}

/* Interrupt the next wait after 0.3 s, without SA_RESTART */
static void cut_short(void)
{
	struct itimerval it = { .it_value = { 0, 300000 } };
	struct sigaction sa = { .sa_handler = on_alarm };

	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
}

static int deadline(long long sec)
{
	struct itimerspec it = { .it_value = { sec, 0 } };
	struct timespec ts = { sec, 0 };
	struct pollfd pfd = { .events = POLLIN };
	unsigned long long fired = 0;
	int ret;
	sem_t sem;

	pfd.fd = timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK);
	ret = timerfd_settime(pfd.fd, TFD_TIMER_ABSTIME, &it, NULL);
	if (poll(&pfd, 1, 100) == 1 &&
	    read(pfd.fd, &fired, sizeof(fired)) != sizeof(fired))
		fired = 0;
	printf("timerfd %s fired %llu\n", ret ? err_name(errno) : "ok",
	       fired);
	cut_short();
	ret = clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &ts, NULL);
	printf("sleep %s\n", err_name(ret));
	fflush(stdout);
	sem_init(&sem, 0, 0);
	cut_short();
	ret = sem_timedwait(&sem, &ts);
	printf("sem %s\n", err_name(ret ? errno : 0));
	return 0;
}

static int wait_one(const char *how, long ms)
{
	struct timespec ts = { ms / 1000, ms % 1000 * 1000000 };
	struct timeval tv = { ms / 1000, ms % 1000 * 1000 };

	if (!strcmp(how, "timerfd"))
		return wait_timerfd(ms, CLOCK_MONOTONIC, 0);
	if (!strcmp(how, "abstimerfd"))
		return wait_timerfd(ms, CLOCK_REALTIME, 1);
	if (!strcmp(how, "poll"))
		return poll(NULL, 0, ms);
	if (!strcmp(how, "epoll"))
		return wait_epoll(ms);
	if (!strcmp(how, "select"))
		return select(0, NULL, NULL, NULL, &tv);
	if (!strcmp(how, "nanosleep"))
		return nanosleep(&ts, NULL);
	if (!strcmp(how, "absleep"))
		return wait_absleep(ms, CLOCK_REALTIME);
	if (!strcmp(how, "taisleep"))
		return wait_absleep(ms, CLOCK_TAI);
	if (!strcmp(how, "semwait"))
		return wait_sem(ms);
	if (!strcmp(how, "timer"))
		return wait_timer(ms, CLOCK_MONOTONIC, 0);
	if (!strcmp(how, "abstimer"))
		return wait_timer(ms, CLOCK_REALTIME, 1);
	if (!strcmp(how, "alarm"))
		return wait_alarm(ms);
	if (!strcmp(how, "itimer"))
		return wait_itimer(ms);
	if (!strcmp(how, "sorcv"))
		return wait_sockopt(ms, SO_RCVTIMEO);
	if (!strcmp(how, "sorcvnew"))
		return wait_sockopt(ms, 66);	/* SO_RCVTIMEO_NEW */
	fprintf(stderr, "vtime_clock: unknown wait '%s'\n", how);
	exit(2);
}

int main(int argc, char **argv)
{
	long long m0, r0;

	if (argc == 2 && !strcmp(argv[1], "now"))
		return now();
	if (argc >= 2 && !strcmp(argv[1], "adj"))
		return adj(argv[2]);
	if (argc == 2 && !strcmp(argv[1], "rem"))
		return rem();
	if (argc == 2 && !strcmp(argv[1], "selectleft"))
		return selectleft();
	if (argc == 2 && !strcmp(argv[1], "alarmleft"))
		return alarmleft();
	if (argc == 2 && !strcmp(argv[1], "uptime"))
		return uptime();
	if (argc == 2 && !strcmp(argv[1], "ticks"))
		return ticks();
	if (argc == 2 && !strcmp(argv[1], "cpu"))
		return cpu();
	if (argc == 2 && !strcmp(argv[1], "rates"))
		return rates();
	if (argc == 2 && !strcmp(argv[1], "futexes"))
		return futexes();
	if (argc == 2 && !strcmp(argv[1], "follow"))
		return follow();
	if (argc == 3 && !strcmp(argv[1], "deadline"))
		return deadline(atoll(argv[2]));
	if (argc == 3 && !strcmp(argv[1], "mono"))
		return mono(atol(argv[2]));
	if (argc != 3) {
		fprintf(stderr, "usage: vtime_clock now|mono N|WAIT MS\n");
		return 2;
	}
	m0 = ns_of(CLOCK_MONOTONIC);
	r0 = ns_of(CLOCK_REALTIME);
	if (wait_one(argv[1], atol(argv[2])) < 0) {
		perror(argv[1]);
		return 1;
	}
	printf("mono %lld\nreal %lld\n",
	       (ns_of(CLOCK_MONOTONIC) - m0) / 1000000,
	       (ns_of(CLOCK_REALTIME) - r0) / 1000000);
	return 0;
}
