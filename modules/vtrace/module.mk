# SPDX-License-Identifier: MIT
# facet - modules/vtrace/module.mk: syscall trace recording (facet trace)
MODULE_SRCS	+= modules/vtrace/vtrace_module.c modules/vtrace/vtrace_buf.c \
		   modules/vtrace/vtrace_filter.c modules/vtrace/vtrace_decode.c \
		   modules/vtrace/vtrace_struct.c modules/vtrace/vtrace_poll.c \
		   modules/vtrace/vtrace_sockaddr.c modules/vtrace/vtrace_out.c \
		   modules/vtrace/vtrace_sockopt.c modules/vtrace/vtrace_cmsg.c \
		   modules/vtrace/vtrace_xlat.c modules/vtrace/vtrace_timestruct.c modules/vtrace/vtrace_date.c \
		   modules/vtrace/vtrace_ioctl.c modules/vtrace/vtrace_fcntl.c \
		   modules/vtrace/vtrace_futex.c modules/vtrace/vtrace_personality.c \
		   modules/vtrace/vtrace_summary.c modules/vtrace/vtrace_signal.c \
		   modules/vtrace/vtrace_cwd.c modules/vtrace/vtrace_outbuf.c \
		   modules/vtrace/vtrace_inproc.c modules/vtrace/vtrace_restart.c \
		   modules/vtrace/vtrace_stack_none.c \
		   modules/vtrace/vtrace_dump.c modules/vtrace/vtrace_pathtrace.c \
		   modules/vtrace/vtrace_fdinfo.c modules/vtrace/vtrace_prctl.c \
		   modules/vtrace/vtrace_sysnum.c modules/vtrace/vtrace_ip.c \
		   modules/vtrace/vtrace_outslot.c modules/vtrace/vtrace_raw.c \
		   modules/vtrace/vtrace_inflight.c modules/vtrace/vtrace_sockdiag.c
# --stack unwinds over ptrace: in the facet binary only (the supervisor),
# never in the preload shim, which would load libunwind and libdw into
# every program (vtrace_stack_none.c stands in for it there).  facet loads
# them only when --stack is asked for (vtrace_stack.c, core/lib.h)
TRACER_SRCS	+= modules/vtrace/vtrace_stack.c
FLAGS		+= $(shell pkg-config --cflags libunwind-ptrace 2>/dev/null) \
		   -DFACET_SONAME_UNWIND='"$(call soname,unwind-generic)"' \
		   -DFACET_SONAME_UNWIND_PTRACE='"$(call soname,unwind-ptrace)"' \
		   -DFACET_SONAME_DW='"$(call soname,dw)"'
MODULE_PKGS	+= strace libunwind-dev libdw-dev

# Unit tests (tests/unit/vtrace_*.c) link the module's pure parts
VTRACE_UNIT_OBJS = $(patsubst %.c,$(BUILD)/obj/%.o,modules/vtrace/vtrace_buf.c \
		   modules/vtrace/vtrace_filter.c modules/vtrace/vtrace_sockaddr.c \
		   modules/vtrace/vtrace_summary.c modules/vtrace/vtrace_date.c)
VTRACE_CORE	= $(patsubst %.c,$(BUILD)/obj/%.o,$(CORE_SRCS)) \
		  $(patsubst $(BUILD)/gen/%.c,$(BUILD)/obj/gen/%.o,$(GEN_SRCS))

# More specific than the generic unit-test rule, so make prefers it
$(BUILD)/tests/unit/vtrace_%: tests/unit/vtrace_%.c $(VTRACE_UNIT_OBJS) \
			      $(VTRACE_CORE)
	@mkdir -p $(@D)
	$(CC) $(FLAGS) $(CFLAGS) -o $@ $< $(VTRACE_UNIT_OBJS) $(VTRACE_CORE) \
		-lcmocka -ldl -lpthread
