# SPDX-License-Identifier: MIT
# facet - modules/vtrace/module.mk: syscall trace recording (facet trace)
MODULE_SRCS	+= modules/vtrace/vtrace_module.c modules/vtrace/vtrace_buf.c \
		   modules/vtrace/vtrace_filter.c modules/vtrace/vtrace_decode.c \
		   modules/vtrace/vtrace_struct.c \
		   modules/vtrace/vtrace_sockaddr.c modules/vtrace/vtrace_out.c \
		   modules/vtrace/vtrace_summary.c
MODULE_PKGS	+= strace
