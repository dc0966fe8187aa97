// SPDX-License-Identifier: MIT
/* facet - tests/progs/vfs_signal_nest.c: path calls made by a signal
 * handler while the program is in the middle of its own
 *
 * Usage: vfs_signal_nest DIR ITERATIONS USEC [hidden]
 * DIR holds files a (content "a") and b (content "b").  A timer fires
 * every USEC µs; its handler opens and reads DIR/b (with "hidden": DIR/b
 * is hidden from the view, and the handler must never open it).  The program itself
 * opens and reads DIR/a in a loop: every read must give "a".  Under the
 * preload backend the handler's call runs inside the interrupted one's
 * module code; a module that kept the call's path in one static buffer
 * would open b for the program, and a handler run while module code has
 * the view switched off would reach the host.  Prints "ok N" (N: handler
 * calls made) or the first mismatch (status 1).
 */
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

static char path_b[PATH_MAX];
static volatile sig_atomic_t handler_calls, handler_bad, hidden;

static void on_alarm(int sig)
{
	char c = 0;
	int fd = open(path_b, O_RDONLY);

	(void)sig;
	if (hidden ? fd >= 0 :
		     (fd < 0 || read(fd, &c, 1) != 1 || c != 'b'))
		handler_bad = 1;
	if (fd >= 0)
		close(fd);
	handler_calls++;
}

int main(int argc, char **argv)
{
	struct itimerval it;
	struct sigaction sa;
	char path_a[PATH_MAX];
	long i, n;

	if (argc < 4 || argc > 5) {
		fprintf(stderr, "usage: vfs_signal_nest DIR ITERATIONS USEC "
			"[hidden]\n");
		return 2;
	}
	hidden = argc == 5 && !strcmp(argv[4], "hidden");
	it.it_interval.tv_sec = it.it_value.tv_sec = 0;
	it.it_interval.tv_usec = it.it_value.tv_usec = atol(argv[3]);
	snprintf(path_a, sizeof(path_a), "%s/a", argv[1]);
	snprintf(path_b, sizeof(path_b), "%s/b", argv[1]);
	n = atol(argv[2]);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
	for (i = 0; i < n; i++) {
		char c = 0;
		int fd = open(path_a, O_RDONLY);

		if (fd < 0 || read(fd, &c, 1) != 1 || c != 'a') {
			it.it_value.tv_usec = it.it_interval.tv_usec = 0;
			setitimer(ITIMER_REAL, &it, NULL);
			printf("iteration %ld: %s gave '%c'\n", i, path_a, c);
			return 1;
		}
		close(fd);
	}
	it.it_value.tv_usec = it.it_interval.tv_usec = 0;
	setitimer(ITIMER_REAL, &it, NULL);
	if (handler_bad) {
		printf("the handler %s %s\n", hidden ? "opened hidden" :
		       "read something else than", path_b);
		return 1;
	}
	printf("ok %d\n", (int)handler_calls);
	return 0;
}
