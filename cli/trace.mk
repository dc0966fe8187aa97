# SPDX-License-Identifier: MIT
# facet - cli/trace.mk: the `facet trace` subcommand (needs the vtrace module)
CLI_SRCS	+= cli/cli_trace.c
