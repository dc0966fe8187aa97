// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * core/log.c - Logging with levels, for facet itself and its modules
 *
 * Messages go to one fd (stderr unless told otherwise) with a single
 * write(2), so lines from several processes do not interleave and the
 * preload shim can log without stdio.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "call.h"	/* FACET_COLD */
#include "log.h"

static int log_level = FACET_LOG_WARNING;
static int log_fd = STDERR_FILENO;

static const struct {
	const char *name;
	int level;
} log_levels[] = {
	{ "error", FACET_LOG_ERROR },	{ "warning", FACET_LOG_WARNING },
	{ "warn", FACET_LOG_WARNING },	{ "info", FACET_LOG_INFO },
	{ "debug", FACET_LOG_DEBUG },
};

/**
 * facet_log_parse_level() - Level from its name
 * @name:	"error", "warning", "info" or "debug"
 *
 * Return: the level, or -EINVAL
 */
FACET_COLD int facet_log_parse_level(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(log_levels) / sizeof(log_levels[0]); i++)
		if (!strcasecmp(name, log_levels[i].name))
			return log_levels[i].level;
	return -EINVAL;
}

__attribute__((cold)) void facet_log_set_level(int level)
{
	log_level = level;
}

FACET_COLD void facet_log_set_fd(int fd)
{
	log_fd = fd;
}

/* FACET_LOG=debug etc.; an unknown value is reported and ignored */
FACET_COLD void facet_log_init_from_env(void)
{
	const char *v = getenv("FACET_LOG");
	int level;

	if (!v || !*v)
		return;
	level = facet_log_parse_level(v);
	if (level < 0)
		log_warn("FACET_LOG=%s is not a level; use error, warning, "
			 "info or debug", v);
	else
		log_level = level;
}

int facet_log_enabled(int level)
{
	return level <= log_level;
}

void facet_logmsg(int level, const char *fmt, ...)
{
	int saved_errno = errno;
	char buf[1024];
	va_list ap;
	int n;

	if (level > log_level)
		return;
	n = snprintf(buf, sizeof(buf), "facet: ");
	va_start(ap, fmt);
	n += vsnprintf(buf + n, sizeof(buf) - n - 1, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	if (write(log_fd, buf, n) < 0) {
		/* nowhere left to report it */
	}
	errno = saved_errno;
}

/**
 * facet_err_set() - Fill in an error for the user
 * @err:	Error to fill, may be NULL
 * @errnum:	Positive or negative errno, returned negated
 * @fmt:	One line: what was wrong and how to fix it
 *
 * Return: -abs(@errnum), so callers can `return facet_err_set(...)`
 */
int facet_err_set(struct facet_err *err, int errnum, const char *fmt, ...)
{
	va_list ap;

	if (err) {
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
	}
	return errnum > 0 ? -errnum : (errnum ? errnum : -EINVAL);
}
