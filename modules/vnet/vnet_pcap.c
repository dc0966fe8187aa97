// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * modules/vnet/vnet_pcap.c - Write packets in libpcap's file format
 *
 * The classic format (magic 0xa1b2c3d4, microseconds, version 2.4) in the
 * host's byte order, as libpcap writes it; link type Ethernet, which is
 * what an AF_PACKET SOCK_RAW socket gives for lo and tap devices alike.
 */
#include <errno.h>
#include <stdint.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <unistd.h>

#include "vnet.h"

#define VNET_PCAP_MAGIC		0xa1b2c3d4u
#define VNET_PCAP_SNAPLEN	262144u
#define VNET_LINKTYPE_ETHERNET	1u

/**
 * struct vnet_pcap_file - The file header
 * @magic:	VNET_PCAP_MAGIC
 * @major:	2
 * @minor:	4
 * @thiszone:	0 (UTC)
 * @sigfigs:	0
 * @snaplen:	Largest packet kept
 * @linktype:	VNET_LINKTYPE_ETHERNET
 */
struct vnet_pcap_file {
	uint32_t magic;
	uint16_t major, minor;
	int32_t thiszone;
	uint32_t sigfigs, snaplen, linktype;
};

/**
 * struct vnet_pcap_rec - A record header
 * @sec:	Time stamp, seconds
 * @usec:	and microseconds
 * @caplen:	Bytes that follow
 * @len:	Bytes the packet had
 */
struct vnet_pcap_rec {
	uint32_t sec, usec, caplen, len;
};

/* write(2) all of @iov or fail */
static int vnet_pcap_writev(int fd, struct iovec *iov, int n)
{
	ssize_t w;

	while (n) {
		w = writev(fd, iov, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return w < 0 ? -errno : -EIO;
		while (n && (size_t)w >= iov->iov_len) {
			w -= iov->iov_len;
			iov++;
			n--;
		}
		if (n) {
			iov->iov_base = (char *)iov->iov_base + w;
			iov->iov_len -= w;
		}
	}
	return 0;
}

/**
 * vnet_pcap_header() - Start a capture file
 * @fd:		The file
 *
 * Return: 0 or -errno
 */
int vnet_pcap_header(int fd)
{
	struct vnet_pcap_file h = {
		.magic = VNET_PCAP_MAGIC, .major = 2, .minor = 4,
		.snaplen = VNET_PCAP_SNAPLEN,
		.linktype = VNET_LINKTYPE_ETHERNET,
	};
	struct iovec iov = { &h, sizeof(h) };

	return vnet_pcap_writev(fd, &iov, 1);
}

/**
 * vnet_pcap_record() - Append one packet, time-stamped now
 * @fd:		The file
 * @pkt:	Its bytes, from the Ethernet header on
 * @caplen:	Bytes in @pkt
 * @len:	Bytes the packet had on the wire
 *
 * Return: 0 or -errno
 */
int vnet_pcap_record(int fd, const void *pkt, size_t caplen, size_t len)
{
	struct vnet_pcap_rec r;
	struct iovec iov[2];
	struct timeval tv;

	if (caplen > VNET_PCAP_SNAPLEN)
		caplen = VNET_PCAP_SNAPLEN;
	gettimeofday(&tv, NULL);
	r.sec = (uint32_t)tv.tv_sec;
	r.usec = (uint32_t)tv.tv_usec;
	r.caplen = (uint32_t)caplen;
	r.len = (uint32_t)len;
	iov[0].iov_base = &r;
	iov[0].iov_len = sizeof(r);
	iov[1].iov_base = (void *)pkt;
	iov[1].iov_len = caplen;
	return vnet_pcap_writev(fd, iov, 2);
}
