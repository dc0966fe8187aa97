# SPDX-License-Identifier: MIT
# facet - modules/vnet/module.mk: the vnet module (private network stacks)
MODULE_SRCS	+= modules/vnet/vnet_mod.c modules/vnet/vnet_opts.c \
		   modules/vnet/vnet_dir.c modules/vnet/vnet_client.c \
		   modules/vnet/vnet_keeper.c modules/vnet/vnet_ns.c \
		   modules/vnet/vnet_relay.c modules/vnet/vnet_pcap.c \
		   modules/vnet/vnet_tap.c modules/vnet/vnet_slirp.c \
		   modules/vnet/vnet_dns.c modules/vnet/vnet_fast.c \
		   modules/vnet/vnet_feed.c modules/vnet/vnet_uring.c \
		   modules/vnet/vnet_leave.c modules/vnet/vnet_ifreq.c \
		   modules/vnet/vnet_procnet.c
# libslirp is not linked: the keeper of a NAT network loads it
# (vnet_slirp.c, core/lib.h)
FLAGS		+= -DFACET_SONAME_SLIRP='"$(call soname,slirp)"'
MODULE_PKGS	+= libslirp-dev iproute2 tshark
