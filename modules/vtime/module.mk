# SPDX-License-Identifier: MIT
# facet - modules/vtime/module.mk: virtual clocks
MODULE_SRCS	+= modules/vtime/vtime_module.c modules/vtime/vtime_spec.c \
		   modules/vtime/vtime_clock.c modules/vtime/vtime_read.c \
		   modules/vtime/vtime_sleep.c modules/vtime/vtime_timer.c \
		   modules/vtime/vtime_stat.c modules/vtime/vtime_proc.c \
		   modules/vtime/vtime_sockopt.c
# golang-go: vtime.bats checks a static Go program; faketime: bench/vtime.sh
MODULE_PKGS	+= golang-go faketime

# The unit tests include the module sources they test
$(BUILD)/tests/unit/vtime_spec: modules/vtime/vtime_spec.c modules/vtime/vtime.h
$(BUILD)/tests/unit/vtime_clock: modules/vtime/vtime_clock.c modules/vtime/vtime.h
