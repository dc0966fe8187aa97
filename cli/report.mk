# SPDX-License-Identifier: MIT
# facet - cli/report.mk: `facet report` (summaries, HTML, diff of traces)
#
# Traces are JSON lines, parsed with json-c, which is loaded only when a
# report reads a trace (cli/cli_report_json.c).  The report's own unit
# tests (tests/unit/report_*.c) link its objects too.

REPORT_LIB	:= cli/cli_report_load.c cli/cli_report_json.c \
		   cli/cli_report_record.c cli/cli_report_syscall.c \
		   cli/cli_report_map.c cli/cli_report_text.c \
		   cli/cli_report_tree.c cli/cli_report_html.c \
		   cli/cli_report_svg.c cli/cli_report_diff.c \
		   cli/cli_report_wait.c cli/cli_report_killed.c
CLI_SRCS	+= cli/cli_report.c $(REPORT_LIB)
FLAGS		+= -DFACET_SONAME_JSONC='"$(call soname,json-c)"'
MODULE_PKGS	+= libjson-c-dev

REPORT_OBJS	= $(patsubst %.c,$(BUILD)/obj/%.o,$(REPORT_LIB))
REPORT_CORE	= $(patsubst %.c,$(BUILD)/obj/%.o,$(CORE_SRCS)) \
		  $(patsubst $(BUILD)/gen/%.c,$(BUILD)/obj/gen/%.o,$(GEN_SRCS))

# More specific than the generic unit-test rule, so make prefers it
$(BUILD)/tests/unit/report_%: tests/unit/report_%.c $(REPORT_OBJS) \
			      $(REPORT_CORE)
	@mkdir -p $(@D)
	$(CC) $(FLAGS) $(CFLAGS) -o $@ $< $(REPORT_OBJS) $(REPORT_CORE) \
		-lcmocka -ldl -lpthread
