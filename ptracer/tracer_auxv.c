// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * ptracer/tracer_auxv.c - A new image's auxiliary vector: read it, hide
 * the vDSO
 *
 * At the exec stop the new image has not run an instruction: its stack
 * holds argc, argv[], envp[] and the auxiliary vector.  Turning the
 * AT_SYSINFO_EHDR entry into AT_IGNORE makes glibc, musl and Go find no
 * vDSO, so every clock read becomes a real syscall a module can see.
 */
#include <elf.h>
#include <errno.h>
#include <sys/ptrace.h>
#include <sys/user.h>

#include "../core/procfs.h"
#include "tracer.h"

#define AUXV_CHUNK	256

/**
 * tracer_hide_vdso() - Remove AT_SYSINFO_EHDR from @tid's auxv
 * @tid:	Tracee at its PTRACE_EVENT_EXEC stop
 *
 * Return: 0, or -errno
 */
int tracer_hide_vdso(pid_t tid)
{
	struct user_regs_struct regs;
	uint64_t w[AUXV_CHUNK];
	uintptr_t at;
	int nulls = 0;
	size_t i;

	if (ptrace(PTRACE_GETREGS, tid, 0, &regs) < 0)
		return -errno;
	at = regs.rsp + 8;	/* skip argc */
	/* argv and envp end with a NULL each; auxv follows */
	while (nulls < 2) {
		ssize_t n = tracer_mem_read(tid, w, at, sizeof(w));

		if (n < 8)
			return -EFAULT;
		for (i = 0; i < (size_t)n / 8 && nulls < 2; i++, at += 8)
			if (!w[i])
				nulls++;
	}
	for (;;) {
		ssize_t n = tracer_mem_read(tid, w, at, sizeof(w));

		if (n < 16)
			return -EFAULT;
		for (i = 0; i + 1 < (size_t)n / 8; i += 2, at += 16) {
			uint64_t ignore = AT_IGNORE;

			if (w[i] == AT_NULL)
				return 0;
			if (w[i] != AT_SYSINFO_EHDR)
				continue;
			if (tracer_mem_write(tid, at, &ignore, 8) != 8)
				return -EFAULT;
			return 0;
		}
	}
}

/**
 * tracer_auxv_value() - An entry of @tid's auxiliary vector
 * @type:	AT_BASE, AT_ENTRY...
 * @value:	Set to its value (0 if the vector has none)
 *
 * Return: 0, or -errno
 */
int tracer_auxv_value(pid_t tid, unsigned long type, unsigned long *value)
{
	/* one more word: facet_procfs_read() ends what it read with a NUL */
	unsigned long v[2 * 64 + 1];
	ssize_t n = facet_procfs_read(tid, "auxv", (char *)v, sizeof(v));
	size_t i;

	if (n < 0)
		return (int)n;
	*value = 0;
	for (i = 0; i + 1 < (size_t)n / sizeof(v[0]) && v[i] != AT_NULL;
	     i += 2)
		if (v[i] == type) {
			*value = v[i + 1];
			break;
		}
	return 0;
}
