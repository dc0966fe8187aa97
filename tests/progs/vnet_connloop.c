// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/progs/vnet_connloop.c - socket+connect+accept+close, timed
 *
 * Usage: vnet_connloop N [ADDR PORT]
 *
 * Without ADDR a server thread listens on 127.0.0.1 (a free port); with it,
 * connects to a server elsewhere that accepts and closes (vnet_connloop
 * serve PORT).  Prints the median over 5 batches of N/5 connections of the
 * time per connection, in ns.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define CL_BATCHES	5

static void *cl_server(void *arg)
{
	int l = *(int *)arg, c;

	for (;;) {
		c = accept(l, NULL, NULL);
		if (c >= 0)
			close(c);
	}
	return NULL;
}

static int cl_listen(const char *addr, int port, struct sockaddr_in *sa)
{
	socklen_t len = sizeof(*sa);
	int l = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_port = htons(port);
	inet_pton(AF_INET, addr, &sa->sin_addr);
	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (l < 0 || bind(l, (struct sockaddr *)sa, sizeof(*sa)) < 0 ||
	    listen(l, 512) < 0 || getsockname(l, (struct sockaddr *)sa, &len)) {
		perror("listen");
		exit(1);
	}
	return l;
}

static double cl_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int cl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	struct sockaddr_in sa;
	double t[CL_BATCHES], t0;
	long n, i, b;
	pthread_t th;
	int l, c;

	if (argc == 3 && !strcmp(argv[1], "serve")) {
		l = cl_listen("0.0.0.0", atoi(argv[2]), &sa);
		cl_server(&l);
	}
	if (argc != 2 && argc != 4)
		return 2;
	n = atol(argv[1]) / CL_BATCHES;
	if (argc == 4) {
		memset(&sa, 0, sizeof(sa));
		sa.sin_family = AF_INET;
		sa.sin_port = htons(atoi(argv[3]));
		inet_pton(AF_INET, argv[2], &sa.sin_addr);
	} else {
		l = cl_listen("127.0.0.1", 0, &sa);
		pthread_create(&th, NULL, cl_server, &l);
	}
	for (b = 0; b < CL_BATCHES; b++) {
		t0 = cl_now();
		for (i = 0; i < n; i++) {
			c = socket(AF_INET, SOCK_STREAM, 0);
			if (c < 0 || connect(c, (struct sockaddr *)&sa,
					     sizeof(sa)) < 0) {
				perror("connect");
				return 1;
			}
			close(c);
		}
		t[b] = (cl_now() - t0) / n;
	}
	qsort(t, CL_BATCHES, sizeof(t[0]), cl_cmp);
	printf("%.0f\n", t[CL_BATCHES / 2]);
	return 0;
}
