// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/progs/vtrace_fcntl.c - fcntl commands strace decodes by command:
 *				 F_SETSIG/F_GETSIG, F_SETOWN_EX/F_GETOWN_EX,
 *				 F_NOTIFY, seals, leases, F_SETFD's bits
 *
 * Usage: vtrace_fcntl DIR	(DIR: an empty directory of the caller's)
 *
 * tests/shell/vtrace_options.bats compares facet's lines for them with
 * strace's (addresses masked).
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct f_owner_ex owner = { F_OWNER_PGRP, 0 };
	char path[4096];
	int p[2], dir, memfd, file;

	if (argc != 2 || pipe(p) < 0)
		return 2;
	fcntl(p[0], F_SETSIG, SIGUSR1);
	fcntl(p[0], F_GETSIG);
	fcntl(p[0], F_SETSIG, SIGRTMIN + 1);
	fcntl(p[0], F_GETSIG);
	fcntl(p[0], F_SETSIG, 0);
	fcntl(p[0], F_GETSIG);
	owner.pid = getpgrp();
	fcntl(p[0], F_SETOWN_EX, &owner);
	fcntl(p[0], F_GETOWN_EX, &owner);
	fcntl(p[0], F_GETOWN_EX, NULL);
	owner.type = 7;
	fcntl(p[0], F_SETOWN_EX, &owner);

	dir = open(argv[1], O_RDONLY | O_DIRECTORY);
	fcntl(dir, F_NOTIFY, DN_CREATE | DN_DELETE | DN_MULTISHOT);
	fcntl(dir, F_NOTIFY, 0x100);
	fcntl(dir, F_NOTIFY, 0);

	memfd = memfd_create("seals", MFD_ALLOW_SEALING);
	fcntl(memfd, F_GET_SEALS);
	fcntl(memfd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | 0x1000);
	fcntl(memfd, F_ADD_SEALS, F_SEAL_WRITE);
	fcntl(memfd, F_ADD_SEALS, F_SEAL_SEAL);
	fcntl(memfd, F_GET_SEALS);

	snprintf(path, sizeof(path), "%s/lease", argv[1]);
	file = open(path, O_RDONLY | O_CREAT, 0600);
	fcntl(file, F_GETLEASE);
	fcntl(file, F_SETLEASE, F_RDLCK);
	fcntl(file, F_GETLEASE);
	fcntl(file, F_SETLEASE, F_UNLCK);
	fcntl(file, F_SETLEASE, 7);
	fcntl(file, F_SETFD, FD_CLOEXEC | 2);
	fcntl(file, F_SETFD, 2);
	fcntl(file, F_GETFD);
	fcntl(file, F_SETFD, 0);
	return 0;
}
