# SPDX-License-Identifier: MIT
# facet - cli/net.mk: the `facet net` subcommand (needs the vnet module)
CLI_SRCS	+= cli/cli_net.c
