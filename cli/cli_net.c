// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * cli/cli_net.c - `facet net`: create, list, remove and capture networks
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_arp.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "../modules/vnet/vnet.h"
#include "cli.h"

static volatile sig_atomic_t cli_net_stop;

static void cli_net_usage(FILE *f)
{
	fprintf(f, "Usage: facet net COMMAND\n\n"
		"  create NAME [--nat [--host-loopback]]\n"
		"                          make a network that stays until "
		"removed\n"
		"  list [-a]               the networks of this user (-a: "
		"with the\n"
		"                          unnamed ones of running views)\n"
		"  remove NAME             end a network\n"
		"  capture NAME -w FILE [-c COUNT]\n"
		"                          write its packets to FILE (pcap; "
		"- for stdout)\n"
		"                          until COUNT packets, SIGINT or "
		"SIGTERM\n\n"
		"'facet run --net NAME' joins a network, making it if need "
		"be.\n");
}

static void cli_net_dir(char *dir, size_t cap)
{
	struct facet_err err = { "" };

	if (vnet_dir(dir, cap, &err) < 0)
		cli_die("%s", err.msg + (strncmp(err.msg, "vnet: ", 6) ? 0 : 6));
}

static void cli_net_name(const char *name)
{
	if (!vnet_name_valid(name))
		cli_die("'%s' is not a network name: use letters, digits, "
			"'-', '_', '.' (not private, nat, host or none)", name);
}

/* Connect to network @name for a look-up; exits when there is none */
static int cli_net_open(const char *dir, const char *name,
			struct vnet_reply *info)
{
	char path[VNET_PATH_MAX];
	int conn;

	cli_net_name(name);
	if (vnet_sock_path(path, sizeof(path), dir, name, "sock") < 0)
		cli_die("%s/%s: path too long for a socket", dir, name);
	conn = vnet_connect(path, 0, info, 1);
	if (conn == -ENETDOWN)
		cli_die("no network '%s': see 'facet net list'", name);
	if (conn == -EACCES)
		cli_die("network '%s' belongs to another user", name);
	if (conn < 0)
		cli_die("network '%s': %s", name, strerror(-conn));
	return conn;
}

static int cli_net_create(int argc, char **argv)
{
	struct facet_err err = { "" };
	char dir[VNET_PATH_MAX];
	uint32_t flags = VNET_F_PERSISTENT;
	int conn, i;

	if (argc < 2 || argv[1][0] == '-')
		cli_die("net create needs a NAME: facet net create NAME "
			"[--nat [--host-loopback]]");
	for (i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--nat"))
			flags |= VNET_F_NAT;
		else if (!strcmp(argv[i], "--host-loopback"))
			flags |= VNET_F_HOST_LOOPBACK;
		else
			cli_die("net create: unknown option '%s': use --nat "
				"and --host-loopback", argv[i]);
	}
	if ((flags & VNET_F_HOST_LOOPBACK) && !(flags & VNET_F_NAT))
		cli_die("net create: --host-loopback needs --nat");
	cli_net_name(argv[1]);
	cli_net_dir(dir, sizeof(dir));
	conn = vnet_join(dir, argv[1], flags, 0, 1, NULL, &err);
	if (conn < 0)
		cli_die("%s", err.msg + (strncmp(err.msg, "vnet: ", 6) ? 0 : 6));
	close(conn);
	return 0;
}

/*
 * One line of `net list` for socket file @ent (with @all, the unnamed
 * networks of running views too); stale ones are removed
 */
static void cli_net_list_one(const char *dir, const char *ent, int all)
{
	char path[VNET_PATH_MAX], name[VNET_NAME_MAX];
	size_t len = strlen(ent);
	struct vnet_reply info = { 0 };
	int conn, lock;

	if ((ent[0] == '.' && !all) || len < 6 || len - 5 >= sizeof(name) ||
	    strcmp(ent + len - 5, ".sock"))
		return;
	snprintf(name, sizeof(name), "%.*s", (int)(len - 5), ent);
	if (vnet_sock_path(path, sizeof(path), dir, name, "sock") < 0)
		return;
	conn = vnet_connect(path, 0, &info, 1);
	if (conn == -ENETDOWN && ent[0] == '.')
		return;	/* a run's own: not ours to clean (no lock) */
	if (conn == -ENETDOWN) {
		lock = vnet_lock(dir, name);
		if (vnet_connect(path, 0, NULL, 1) == -ENETDOWN)
			unlink(path);
		if (lock >= 0)
			close(lock);
		return;
	}
	if (conn < 0)
		return;
	close(conn);
	printf("%-20s %-9s %-8s %5u %8d\n", name,
	       info.flags & VNET_F_PERSISTENT ? "created" : "auto",
	       info.flags & VNET_F_NAT ? "nat" : "private", info.users,
	       info.pid);
}

static int cli_net_list(int argc, char **argv)
{
	char dir[VNET_PATH_MAX];
	struct dirent **ents;
	int i, n, all = 0;

	if (argc == 2 && (!strcmp(argv[1], "-a") || !strcmp(argv[1], "--all")))
		all = 1;
	else if (argc > 1)
		cli_die("net list: unknown argument '%s': use -a to list the "
			"unnamed networks of running views too", argv[1]);
	cli_net_dir(dir, sizeof(dir));
	n = scandir(dir, &ents, NULL, alphasort);
	if (n < 0)
		cli_die("cannot read %s: %s", dir, strerror(errno));
	printf("%-20s %-9s %-8s %5s %8s\n", "NAME", "LIFETIME", "MODE",
	       "USERS", "PID");
	for (i = 0; i < n; i++) {
		cli_net_list_one(dir, ents[i]->d_name, all);
		free(ents[i]);
	}
	free(ents);
	return 0;
}

static int cli_net_remove(int argc, char **argv)
{
	struct vnet_req req = { .op = VNET_OP_STOP };
	char dir[VNET_PATH_MAX], path[VNET_PATH_MAX];
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	struct vnet_reply rep = { 0 };
	int conn, i;

	if (argc != 2)
		cli_die("net remove needs one NAME: facet net remove NAME");
	cli_net_dir(dir, sizeof(dir));
	conn = cli_net_open(dir, argv[1], NULL);
	if (vnet_call(conn, &req, -1, &rep, NULL, 0, 1) < 0 || rep.err)
		cli_die("network '%s' did not stop", argv[1]);
	close(conn);
	vnet_sock_path(path, sizeof(path), dir, argv[1], "sock");
	for (i = 0; i < 250 && !access(path, F_OK); i++)
		nanosleep(&ts, NULL);
	return 0;
}

static void cli_net_signal(int sig)
{
	(void)sig;
	cli_net_stop = 1;
}

/* Copy packets from @pkt to @out until told to stop; Return: count */
static unsigned long cli_net_capture_loop(int conn, int pkt, int out,
					  unsigned long max)
{
	static unsigned char buf[262144];
	struct pollfd p[2] = { { pkt, POLLIN, 0 }, { conn, POLLIN, 0 } };
	struct sockaddr_ll sll;
	unsigned long count = 0;
	socklen_t slen;
	ssize_t n;

	while (!cli_net_stop && (!max || count < max)) {
		if (poll(p, 2, -1) < 0)
			continue;
		if (p[1].revents)
			break;	/* the keeper is gone */
		slen = sizeof(sll);
		n = recvfrom(pkt, buf, sizeof(buf), MSG_TRUNC | MSG_DONTWAIT,
			     (struct sockaddr *)&sll, &slen);
		if (n < 0)
			continue;
		/* on lo every packet is seen going out and coming in */
		if (sll.sll_pkttype == PACKET_OUTGOING &&
		    sll.sll_hatype == ARPHRD_LOOPBACK)
			continue;
		if (vnet_pcap_record(out, buf, (size_t)n < sizeof(buf) ?
				     (size_t)n : sizeof(buf), n) < 0)
			cli_die("cannot write the capture: %s",
				strerror(errno));
		count++;
	}
	return count;
}

/*
 * Say that a capture runs: while the lock on NAME.capture is held, runs on
 * the network keep their outbound TCP off the NAT fast path (vnet_fast.c),
 * so that it crosses the network and is captured.  The lock ends with the
 * process, however it ends.
 */
static void cli_net_capture_mark(const char *dir, const char *name)
{
	char path[VNET_PATH_MAX];
	int fd;

	if (vnet_sock_path(path, sizeof(path), dir, name, "capture") < 0)
		return;
	fd = open(path, O_RDONLY | O_CREAT | O_CLOEXEC, 0600);
	if (fd >= 0 && flock(fd, LOCK_SH) < 0)
		close(fd);
}

/* -c COUNT: a number of packets, 1 or more */
static unsigned long cli_net_count(const char *arg)
{
	unsigned long n;
	char *end;

	errno = 0;
	n = strtoul(arg, &end, 10);
	if (!isdigit((unsigned char)arg[0]) || *end || errno || !n)
		cli_die("net capture -c '%s': not a count of packets; give a "
			"whole number of 1 or more", arg);
	return n;
}

static int cli_net_capture(int argc, char **argv)
{
	const char *file = NULL, *name = NULL;
	struct sigaction sa = { .sa_handler = cli_net_signal };
	char dir[VNET_PATH_MAX];
	unsigned long max = 0, n;
	int i, conn, pkt, out;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-w") && i + 1 < argc)
			file = argv[++i];
		else if (!strcmp(argv[i], "-c") && i + 1 < argc)
			max = cli_net_count(argv[++i]);
		else if (argv[i][0] != '-' && !name)
			name = argv[i];
		else
			cli_die("net capture: unexpected '%s': use facet net "
				"capture NAME -w FILE [-c COUNT]", argv[i]);
	}
	if (!name || !file)
		cli_die("net capture needs NAME and -w FILE: facet net "
			"capture NAME -w FILE [-c COUNT]");
	cli_net_dir(dir, sizeof(dir));
	conn = cli_net_open(dir, name, NULL);
	pkt = vnet_socket(conn, AF_PACKET, SOCK_RAW | SOCK_CLOEXEC,
			  htons(ETH_P_ALL));
	if (pkt < 0)
		cli_die("net capture: cannot open a packet socket in '%s': %s",
			name, strerror(-pkt));
	cli_net_capture_mark(dir, name);
	out = strcmp(file, "-") ? open(file, O_WRONLY | O_CREAT | O_TRUNC |
				       O_CLOEXEC, 0644) : 1;
	if (out < 0)
		cli_die("net capture: cannot write %s: %s", file,
			strerror(errno));
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (vnet_pcap_header(out) < 0)
		cli_die("net capture: cannot write %s: %s", file,
			strerror(errno));
	n = cli_net_capture_loop(conn, pkt, out, max);
	fprintf(stderr, "facet: %lu packet%s captured\n", n, n == 1 ? "" : "s");
	return 0;
}

/**
 * cli_net() - `facet net`: create, list, remove, capture
 * @argc:	Argument count, argv[0] being "net"
 * @argv:	Arguments
 *
 * Return: exit status (errors exit with 125 through cli_die())
 */
int cli_net(int argc, char **argv)
{
	if (argc < 2) {
		cli_net_usage(stderr);
		return CLI_EXIT_FACET;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		cli_net_usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "create"))
		return cli_net_create(argc - 1, argv + 1);
	if (!strcmp(argv[1], "list"))
		return cli_net_list(argc - 1, argv + 1);
	if (!strcmp(argv[1], "remove"))
		return cli_net_remove(argc - 1, argv + 1);
	if (!strcmp(argv[1], "capture"))
		return cli_net_capture(argc - 1, argv + 1);
	cli_die("net: unknown command '%s': use create, list, remove or "
		"capture", argv[1]);
}
