// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/progs/vtrace_prctl.c - Calls strace decodes by their command or
 *				 struct: prctl options, sigaltstack,
 *				 sched_getparam, mincore, unknown ioctls
 *
 * tests/shell/vtrace_options.bats compares facet's lines for them with
 * strace's (addresses masked).
 */
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

int main(void)
{
	stack_t ss = { .ss_size = 65536 }, old;
	struct sched_param sp;
	unsigned char vec[4];
	char name[16];
	int sig, r;
	char *p;

	prctl(PR_SET_NAME, "abc");
	prctl(PR_GET_NAME, name);
	prctl(PR_GET_DUMPABLE);
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	prctl(PR_GET_PDEATHSIG, &sig);
	prctl(PR_SET_DUMPABLE, 1);
	prctl(PR_GET_KEEPCAPS);
	prctl(PR_SET_KEEPCAPS, 0);
	prctl(PR_CAPBSET_READ, 21);
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	prctl(PR_GET_CHILD_SUBREAPER, &r);
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	prctl(9999, 1, 2, 3, 4);
	ss.ss_sp = malloc(ss.ss_size);
	sigaltstack(&ss, &old);
	sigaltstack(NULL, &old);
	sched_getparam(0, &sp);
	p = mmap(NULL, 16384, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	p[0] = 1;
	mincore(p, 16384, vec);
	ioctl(1, _IOR('x', 3, int), &r);
	ioctl(1, _IOW('Q', 0x10, long), 0);
	ioctl(1, _IOWR(0xaa, 7, char[12]), 0);
	return 0;
}
