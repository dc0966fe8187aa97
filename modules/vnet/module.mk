# SPDX-License-Identifier: MIT
# facet - modules/vnet/module.mk: the vnet module (private network stacks)
MODULE_SRCS	+= modules/vnet/vnet_mod.c modules/vnet/vnet_opts.c \
		   modules/vnet/vnet_dir.c modules/vnet/vnet_client.c \
		   modules/vnet/vnet_keeper.c modules/vnet/vnet_ns.c \
		   modules/vnet/vnet_relay.c modules/vnet/vnet_pcap.c \
		   modules/vnet/vnet_tap.c modules/vnet/vnet_slirp.c \
		   modules/vnet/vnet_dns.c modules/vnet/vnet_fast.c \
		   modules/vnet/vnet_feed.c modules/vnet/vnet_uring.c \
		   modules/vnet/vnet_ring.c modules/vnet/vnet_leave.c
# libslirp.h needs no glib, but slirp.pc requires glib-2.0.pc: link directly
MODULE_LIBS	+= -lslirp
MODULE_PKGS	+= libslirp-dev iproute2 tshark
