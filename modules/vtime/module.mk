# SPDX-License-Identifier: MIT
# facet - modules/vtime/module.mk: virtual clocks
MODULE_SRCS	+= modules/vtime/vtime_module.c modules/vtime/vtime_spec.c \
		   modules/vtime/vtime_clock.c modules/vtime/vtime_read.c \
		   modules/vtime/vtime_sleep.c modules/vtime/vtime_timer.c \
		   modules/vtime/vtime_stat.c
MODULE_LIBS	+= -lm
