/* SPDX-License-Identifier: MIT */
/*
 * facet - core/procfs.h: what /proc says of other processes, for the
 * checks of the supervisor and of modules
 */
#ifndef FACET_CORE_PROCFS_H
#define FACET_CORE_PROCFS_H

#include <sys/types.h>

ssize_t facet_procfs_read(pid_t pid, const char *file, char *buf,
			  size_t cap);
pid_t facet_procfs_pidfd_pid(pid_t tid, long fd);
int facet_procfs_caller_fd(pid_t pid, pid_t tid, int fd, int in_process);

#endif /* FACET_CORE_PROCFS_H */
