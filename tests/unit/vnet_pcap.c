// SPDX-License-Identifier: MIT
/* facet - syscall interposition toolkit
 * tests/unit/vnet_pcap.c - The pcap file writer
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "../../modules/vnet/vnet_pcap.c"

static void test_header_and_records(void **state)
{
	unsigned char pkt[100], buf[512];
	struct vnet_pcap_file h;
	struct vnet_pcap_rec r;
	FILE *f = tmpfile();
	size_t n;

	(void)state;
	assert_non_null(f);
	memset(pkt, 0xab, sizeof(pkt));
	assert_int_equal(vnet_pcap_header(fileno(f)), 0);
	assert_int_equal(vnet_pcap_record(fileno(f), pkt, 60, 60), 0);
	/* a truncated packet keeps its length on the wire */
	assert_int_equal(vnet_pcap_record(fileno(f), pkt, 40, 1500), 0);
	rewind(f);
	n = fread(buf, 1, sizeof(buf), f);
	assert_int_equal(n, sizeof(h) + 2 * sizeof(r) + 60 + 40);
	memcpy(&h, buf, sizeof(h));
	assert_int_equal(h.magic, 0xa1b2c3d4u);
	assert_int_equal(h.major, 2);
	assert_int_equal(h.minor, 4);
	assert_int_equal(h.linktype, 1);
	assert_int_equal(h.snaplen, 262144);
	memcpy(&r, buf + sizeof(h), sizeof(r));
	assert_int_equal(r.caplen, 60);
	assert_int_equal(r.len, 60);
	assert_true(r.sec > 1600000000u);
	assert_true(r.usec < 1000000u);
	assert_memory_equal(buf + sizeof(h) + sizeof(r), pkt, 60);
	memcpy(&r, buf + sizeof(h) + sizeof(r) + 60, sizeof(r));
	assert_int_equal(r.caplen, 40);
	assert_int_equal(r.len, 1500);
	fclose(f);
}

static void test_write_error(void **state)
{
	(void)state;
	assert_int_equal(vnet_pcap_header(-1), -EBADF);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header_and_records),
		cmocka_unit_test(test_write_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
