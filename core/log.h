// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * core/log.h - Logging with levels, for facet itself and its modules
 */
#ifndef FACET_CORE_LOG_H
#define FACET_CORE_LOG_H

#include <facet/module.h>

#define log_err(...)	facet_logmsg(FACET_LOG_ERROR, __VA_ARGS__)
#define log_warn(...)	facet_logmsg(FACET_LOG_WARNING, __VA_ARGS__)
#define log_info(...)	facet_logmsg(FACET_LOG_INFO, __VA_ARGS__)
#define log_debug(...)						\
	do {							\
		if (facet_log_enabled(FACET_LOG_DEBUG))		\
			facet_logmsg(FACET_LOG_DEBUG, __VA_ARGS__);	\
	} while (0)

int facet_log_parse_level(const char *name);
void facet_log_set_level(int level);
void facet_log_set_fd(int fd);
void facet_log_init_from_env(void);

#endif /* FACET_CORE_LOG_H */
