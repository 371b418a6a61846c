/* test_decode.c: link, IP and transport decoding on packets built in code. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "decode.h"
#include "pkt.h"

static const uint8_t cli[4] = { 192, 0, 2, 40 }, srv[4] = { 203, 0, 113, 20 };
static const uint8_t synopts[] = { 2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7 };

static void decode_built(struct packet *p, struct pkt_builder *pb, int link, uint32_t caplen)
{
	memset(p, 0, sizeof(*p));
	p->data = pb->b;
	p->len = (uint32_t)pb->n;
	p->caplen = caplen ? caplen : (uint32_t)pb->n;
	decode_packet(p, link);
}

static void test_ether_ipv4_tcp_syn(void **state)
{
	(void)state;
	struct pkt_builder pb = { .n = 0 };
	struct packet p;

	pb_ether(&pb, 0x0800);
	pb_ipv4(&pb, cli, srv, 6, 20 + sizeof(synopts));
	pb_tcp(&pb, 46188, 443, 3248983991u, 0, 0x02, 64240, synopts, sizeof(synopts));
	decode_built(&p, &pb, LINK_ETHERNET, 0);
	assert_int_equal(p.l4, L4_TCP);
	assert_int_equal(p.ip.version, 4);
	assert_memory_equal(p.ip.src, cli, 4);
	assert_int_equal(p.u.tcp.sport, 46188);
	assert_int_equal(p.u.tcp.dport, 443);
	assert_int_equal(p.u.tcp.seq, 3248983991u);
	assert_int_equal(p.u.tcp.flags, 0x02);
	assert_int_equal(p.u.tcp.hdr_len, 40);
	assert_int_equal(p.u.tcp.payload_len, 0);
	struct tcp_options o;
	decode_tcp_options(p.u.tcp.opts, &o);
	assert_true(o.has_mss);
	assert_int_equal(o.mss, 1460);
	assert_true(o.sack_ok);
	assert_true(o.has_ts);
	assert_int_equal(o.ts_val, 1);
	assert_true(o.has_wscale);
	assert_int_equal(o.wscale, 7);
	assert_false(o.malformed);
}

/* An ICMP error quoting a packet: the quoted ports only when the quoted packet has its transport
 * header (not a later fragment, whose first bytes are payload). */
static void icmp_quoting(struct packet *p, struct pkt_builder *pb, uint16_t frag)
{
	pb->n = 0;
	pb_ether(pb, 0x0800);
	pb_ipv4(pb, srv, cli, 1, 8 + 28);
	pb_u8(pb, 3); pb_u8(pb, 3); pb_u16(pb, 0); pb_u32(pb, 0);
	pb_u8(pb, 0x45); pb_u8(pb, 0); pb_u16(pb, 1500);
	pb_u16(pb, 7); pb_u16(pb, frag); pb_u8(pb, 64); pb_u8(pb, 6); pb_u16(pb, 0);
	pb_bytes(pb, cli, 4); pb_bytes(pb, srv, 4);
	pb_u16(pb, 46188); pb_u16(pb, 443); pb_u32(pb, 1000);
	decode_built(p, pb, LINK_ETHERNET, 0);
}

static void test_icmp_quoted_fragment(void **state)
{
	(void)state;
	struct pkt_builder pb = { .n = 0 };
	struct packet p;

	icmp_quoting(&p, &pb, 0x2000);          /* first fragment (MF): the TCP header is there */
	assert_int_equal(p.l4, L4_ICMP);
	assert_true(p.u.icmp.is_error);
	assert_true(p.u.icmp.quoted_has_ports);
	assert_int_equal(p.u.icmp.quoted_sport, 46188);
	assert_int_equal(p.u.icmp.quoted_dport, 443);
	icmp_quoting(&p, &pb, 0x00b9);          /* a later fragment (offset 1480): payload, no ports */
	assert_int_equal(p.l4, L4_ICMP);
	assert_int_equal(p.u.icmp.quoted_proto, 6);
	assert_false(p.u.icmp.quoted_has_ports);
	assert_false(p.u.icmp.quoted_has_seq);
}

static void test_snaplen_cut(void **state)
{
	(void)state;
	struct pkt_builder pb = { .n = 0 };
	struct packet p;

	pb_ether(&pb, 0x0800);
	pb_ipv4(&pb, cli, srv, 6, 20 + sizeof(synopts));
	pb_tcp(&pb, 46188, 443, 1, 0, 0x02, 64240, synopts, sizeof(synopts));
	/* Cut inside the TCP header: ports known, the rest truncated. */
	for (uint32_t cap = 1; cap < pb.n; cap++) {
		decode_built(&p, &pb, LINK_ETHERNET, cap);
		if (cap < 14 + 20)
			assert_int_not_equal(p.l4, L4_TCP);
		else if (cap < 14 + 20 + 20)
			assert_int_equal(p.u.tcp.status, DEC_TRUNCATED);
		else
			assert_int_equal(p.u.tcp.status, cap < pb.n ? DEC_TRUNCATED : DEC_OK);
	}
}

static void test_vlan_qinq(void **state)
{
	(void)state;
	struct pkt_builder pb = { .n = 0 };
	struct packet p;
	static const uint8_t macs[12] = { 0 };

	pb_bytes(&pb, macs, 12);
	pb_u16(&pb, 0x88a8); pb_u16(&pb, 200);
	pb_u16(&pb, 0x8100); pb_u16(&pb, 100);
	pb_u16(&pb, 0x0800);
	pb_ipv4(&pb, cli, srv, 6, 20);
	pb_tcp(&pb, 1, 2, 3, 4, 0x10, 5, NULL, 0);
	decode_built(&p, &pb, LINK_ETHERNET, 0);
	assert_int_equal(p.link.nvlan, 2);
	assert_int_equal(p.link.vlan_tci[0], 200);
	assert_int_equal(p.link.vlan_tci[1], 100);
	assert_int_equal(p.link.hdr_len, 22);
	assert_int_equal(p.l4, L4_TCP);
}

static void test_bad_lengths(void **state)
{
	(void)state;
	struct pkt_builder pb = { .n = 0 };
	struct packet p;

	pb_ether(&pb, 0x0800);
	pb_ipv4(&pb, cli, srv, 6, 20);
	pb_tcp(&pb, 1, 2, 3, 4, 0x10, 5, NULL, 0);
	pb.b[14] = 0x44;   /* IHL 16 bytes */
	decode_built(&p, &pb, LINK_ETHERNET, 0);
	assert_int_equal(p.ip.status, DEC_INVALID);
	pb.b[14] = 0x45;
	pb.b[14 + 20 + 12] = 0x40;  /* TCP data offset 16 bytes */
	decode_built(&p, &pb, LINK_ETHERNET, 0);
	assert_int_equal(p.u.tcp.status, DEC_INVALID);
	pb.b[14 + 20 + 12] = 0xf0;  /* 60 bytes, more than the segment */
	decode_built(&p, &pb, LINK_ETHERNET, 0);
	assert_int_equal(p.u.tcp.status, DEC_INVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ether_ipv4_tcp_syn),
		cmocka_unit_test(test_snaplen_cut),
		cmocka_unit_test(test_icmp_quoted_fragment),
		cmocka_unit_test(test_vlan_qinq),
		cmocka_unit_test(test_bad_lengths),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
