/* test_decode_encap.c: tunnels and the less common link types, built in code; every cut and every flipped byte. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "decode.h"
#include "pkt.h"

static const uint8_t cli[4] = { 192, 0, 2, 40 }, srv[4] = { 198, 51, 100, 20 };
static const uint8_t out_a[4] = { 203, 0, 113, 1 }, out_b[4] = { 203, 0, 113, 2 };
static const uint8_t cli6[16] = { 0x20, 0x01, 0x0d, 0xb8, 1, [15] = 1 }, srv6[16] = { 0x20, 0x01, 0x0d, 0xb8, 2, [15] = 1 };
static const uint8_t out6a[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 }, out6b[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };

/* The inner packet: IPv4 or IPv6, a 20-byte TCP SYN from port 40000 to 443. */
static void inner(struct pkt_builder *pb, int v6)
{
	if (v6) {
		pb_u32(pb, 0x60000000); pb_u16(pb, 20); pb_u8(pb, 6); pb_u8(pb, 64);
		pb_bytes(pb, cli6, 16); pb_bytes(pb, srv6, 16);
	} else {
		pb_ipv4(pb, cli, srv, 6, 20);
	}
	pb_tcp(pb, 40000, 443, 1000, 0, TCP_SYN, 64240, NULL, 0);
}
#define INNER_LEN(v6) ((v6) ? 60u : 40u)

static void outer6(struct pkt_builder *pb, uint8_t nh, uint16_t plen)
{
	pb_u32(pb, 0x60000000); pb_u16(pb, plen); pb_u8(pb, nh); pb_u8(pb, 64);
	pb_bytes(pb, out6a, 16); pb_bytes(pb, out6b, 16);
}

static void udp(struct pkt_builder *pb, uint16_t dport, uint16_t len)
{
	pb_u16(pb, 50000); pb_u16(pb, dport); pb_u16(pb, (uint16_t)(8 + len)); pb_u16(pb, 0);
}

/* A case: the frame, its link type, and what decoding must find. */
struct encap_case {
	const char *name;
	int link;
	int v6;                   /* the inner packet's version */
	uint8_t nencap;
	uint8_t kind[2];
	uint32_t id[2];
	int outer;                /* the first record's outer addresses: 0 none, 4, 6 */
	struct pkt_builder pb;
};

enum {
	C_VXLAN, C_GENEVE, C_GRE_KEY, C_GRE6, C_GRE_TEB, C_ERSPAN1, C_ERSPAN2, C_ERSPAN3, C_WCCP, C_WCCP1,
	C_GRE_MPLS, C_MPLS, C_MPLS_PW, C_IPIP, C_6IN4, C_4IN6, C_6IN6, C_PPPOE, C_VXLAN_VLAN, C_VXLAN_GRE,
	C_PPP, C_PPP_PFC, C_PPP_HDLC, C_CHDLC, C_CHDLC_MPLS, C_IPOIB, C_ARCNET, C_ARCNET_LINUX, C_JUNIPER,
	C_WIFI, C_RADIOTAP, C_ENC, C_PFLOG, NCASES
};

static struct encap_case cases[NCASES];

static struct encap_case *mk(int i, const char *name, int link, int v6)
{
	struct encap_case *c = &cases[i];
	memset(c, 0, sizeof(*c));
	c->name = name;
	c->link = link;
	c->v6 = v6;
	return c;
}

static void want(struct encap_case *c, uint8_t kind, uint32_t id, int outer)
{
	c->kind[c->nencap] = kind;
	c->id[c->nencap] = id;
	if (c->nencap == 0)
		c->outer = outer;
	c->nencap++;
}

static void build_udp_tunnels(void)
{
	struct encap_case *c;
	struct pkt_builder *pb;

	c = mk(C_VXLAN, "vxlan", LINK_ETHERNET, 0);
	pb = &c->pb;
	pb_ether(pb, 0x0800); pb_ipv4(pb, out_a, out_b, 17, 8 + 8 + 14 + 40); udp(pb, 4789, 8 + 14 + 40);
	pb_u32(pb, 0x08000000); pb_u32(pb, 42 << 8); pb_ether(pb, 0x0800); inner(pb, 0);
	want(c, ENCAP_VXLAN, 42, 4);

	c = mk(C_VXLAN_VLAN, "vxlan, inner VLAN tag", LINK_ETHERNET, 1);
	pb = &c->pb;
	pb_ether(pb, 0x0800); pb_ipv4(pb, out_a, out_b, 17, 8 + 8 + 18 + 60); udp(pb, 4789, 8 + 18 + 60);
	pb_u32(pb, 0x08000000); pb_u32(pb, 7 << 8); pb_ether(pb, 0x8100); pb_u16(pb, 100); pb_u16(pb, 0x86dd);
	inner(pb, 1);
	want(c, ENCAP_VXLAN, 7, 4);

	c = mk(C_GENEVE, "geneve over IPv6, an option", LINK_ETHERNET, 0);
	pb = &c->pb;
	pb_ether(pb, 0x86dd); outer6(pb, 17, 8 + 16 + 14 + 40); udp(pb, 6081, 16 + 14 + 40);
	pb_u8(pb, 2); pb_u8(pb, 0); pb_u16(pb, 0x6558); pb_u32(pb, 99 << 8);
	pb_u32(pb, 0x01020301); pb_u32(pb, 0);     /* one 8-byte option */
	pb_ether(pb, 0x0800); inner(pb, 0);
	want(c, ENCAP_GENEVE, 99, 6);
}

static void build_gre(void)
{
	struct encap_case *c;
	struct pkt_builder *pb;

	c = mk(C_GRE_KEY, "gre, checksum key sequence", LINK_ETHERNET, 0);
	pb = &c->pb;
	pb_ether(pb, 0x0800); pb_ipv4(pb, out_a, out_b, 47, 16 + 40);
	pb_u16(pb, 0xb000); pb_u16(pb, 0x0800); pb_u32(pb, 0); pb_u32(pb, 1234); pb_u32(pb, 5); inner(pb, 0);
	want(c, ENCAP_GRE, 1234, 4);

	c = mk(C_GRE6, "gre over IPv6", LINK_ETHERNET, 1);
	pb = &c->pb;
	pb_ether(pb, 0x86dd); outer6(pb, 47, 4 + 60); pb_u16(pb, 0); pb_u16(pb, 0x86dd); inner(pb, 1);
	want(c, ENCAP_GRE, 0, 6);

	c = mk(C_GRE_TEB, "gre, transparent Ethernet", LINK_ETHERNET, 0);
	pb = &c->pb;
	pb_ether(pb, 0x0800); pb_ipv4(pb, out_a, out_b, 47, 4 + 14 + 40);
	pb_u16(pb, 0); pb_u16(pb, 0x6558); pb_ether(pb, 0x0800); inner(pb, 0);
	want(c, ENCAP_GRE, 0, 4);

	c = mk(C_ERSPAN1, "erspan type I", LINK_ETHERNET, 0);
	pb = &c->pb;
	pb_ether(pb, 0x0800); pb_ipv4(pb, out_a, out_b, 47, 4 + 14 + 40);
	pb_u16(pb, 0); pb_u16(pb, 0x88be); pb_ether(pb, 0x0800); inner(pb, 0);
	want(c, ENCAP_ERSPAN, 0, 4);

	c = mk(C_ERSPAN2, "erspan type II", LINK_ETHERNET, 0);
	pb = &c->pb;
	pb_ether(pb, 0x0800); pb_ipv4(pb, out_a, out_b, 47, 8 + 8 + 14 + 40);
	pb_u16(pb, 0x1000); pb_u16(pb, 0x88be); pb_u32(pb, 1);
	pb_u16(pb, 0x1005); pb_u16(pb, 0x0400 | 77); pb_u32(pb, 0);
	pb_ether(pb, 0x0800); inner(pb, 0);
	want(c, ENCAP_ERSPAN, 77, 4);

	c = mk(C_ERSPAN3, "erspan type III, platform subheader", LINK_ETHERNET, 0);
	pb = &c->pb;
	pb_ether(pb, 0x0800); pb_ipv4(pb, out_a, out_b, 47, 8 + 20 + 14 + 40);
	pb_u16(pb, 0x1000); pb_u16(pb, 0x22eb); pb_u32(pb, 1);
	pb_u16(pb, 0x2005); pb_u16(pb, 300); pb_u32(pb, 0); pb_u16(pb, 0); pb_u16(pb, 1);
	pb_u32(pb, 0); pb_u32(pb, 0);
	pb_ether(pb, 0x0800); inner(pb, 0);
	want(c, ENCAP_ERSPAN, 300, 4);

	c = mk(C_WCCP, "wccp v2, redirect header", LINK_ETHERNET, 0);
	pb = &c->pb;
	pb_ether(pb, 0x0800); pb_ipv4(pb, out_a, out_b, 47, 8 + 40);
	pb_u16(pb, 0); pb_u16(pb, 0x883e); pb_u32(pb, 0x00510000); inner(pb, 0);
	want(c, ENCAP_WCCP, 0, 4);

	c = mk(C_WCCP1, "wccp v1, IPv4 at once", LINK_ETHERNET, 0);
	pb = &c->pb;
	pb_ether(pb, 0x0800); pb_ipv4(pb, out_a, out_b, 47, 4 + 40);
	pb_u16(pb, 0); pb_u16(pb, 0x883e); inner(pb, 0);
	want(c, ENCAP_WCCP, 0, 4);

	c = mk(C_GRE_MPLS, "gre, MPLS", LINK_ETHERNET, 0);
	pb = &c->pb;
	pb_ether(pb, 0x0800); pb_ipv4(pb, out_a, out_b, 47, 4 + 4 + 40);
	pb_u16(pb, 0); pb_u16(pb, 0x8847); pb_u32(pb, 500u << 12 | 0x100 | 64); inner(pb, 0);
	want(c, ENCAP_GRE, 0, 4);
	want(c, ENCAP_MPLS, 500, 0);

	c = mk(C_VXLAN_GRE, "vxlan inside gre", LINK_ETHERNET, 0);
	pb = &c->pb;
	pb_ether(pb, 0x0800); pb_ipv4(pb, out_a, out_b, 47, 4 + 20 + 8 + 8 + 14 + 40);
	pb_u16(pb, 0); pb_u16(pb, 0x0800);
	pb_ipv4(pb, out_b, out_a, 17, 8 + 8 + 14 + 40); udp(pb, 4789, 8 + 14 + 40);
	pb_u32(pb, 0x08000000); pb_u32(pb, 5 << 8); pb_ether(pb, 0x0800); inner(pb, 0);
	want(c, ENCAP_GRE, 0, 4);
	want(c, ENCAP_VXLAN, 5, 4);
}

static void build_link_tunnels(void)
{
	struct encap_case *c;
	struct pkt_builder *pb;

	c = mk(C_MPLS, "mpls, two labels", LINK_ETHERNET, 1);
	pb = &c->pb;
	pb_ether(pb, 0x8847); pb_u32(pb, 100u << 12 | 64); pb_u32(pb, 200u << 12 | 0x100 | 64); inner(pb, 1);
	want(c, ENCAP_MPLS, 100, 0);

	c = mk(C_MPLS_PW, "mpls pseudowire, control word", LINK_ETHERNET, 0);
	pb = &c->pb;
	pb_ether(pb, 0x8847); pb_u32(pb, 300u << 12 | 0x100 | 64); pb_u32(pb, 0); pb_ether(pb, 0x0800); inner(pb, 0);
	want(c, ENCAP_MPLS, 300, 0);

	c = mk(C_IPIP, "ipip", LINK_ETHERNET, 0);
	pb = &c->pb;
	pb_ether(pb, 0x0800); pb_ipv4(pb, out_a, out_b, 4, 40); inner(pb, 0);
	want(c, ENCAP_IPIP, 0, 4);

	c = mk(C_6IN4, "6in4", LINK_ETHERNET, 1);
	pb = &c->pb;
	pb_ether(pb, 0x0800); pb_ipv4(pb, out_a, out_b, 41, 60); inner(pb, 1);
	want(c, ENCAP_IPIP, 0, 4);

	c = mk(C_4IN6, "4in6", LINK_ETHERNET, 0);
	pb = &c->pb;
	pb_ether(pb, 0x86dd); outer6(pb, 4, 40); inner(pb, 0);
	want(c, ENCAP_IPIP, 0, 6);

	c = mk(C_6IN6, "6in6", LINK_ETHERNET, 1);
	pb = &c->pb;
	pb_ether(pb, 0x86dd); outer6(pb, 41, 60); inner(pb, 1);
	want(c, ENCAP_IPIP, 0, 6);

	c = mk(C_PPPOE, "pppoe session", LINK_ETHERNET, 0);
	pb = &c->pb;
	pb_ether(pb, 0x8864); pb_u8(pb, 0x11); pb_u8(pb, 0); pb_u16(pb, 0x1234); pb_u16(pb, 42); pb_u16(pb, 0x0021);
	inner(pb, 0);
	want(c, ENCAP_PPPOE, 0x1234, 0);
}

static void wifi_header(struct pkt_builder *pb, size_t pad)
{
	static const uint8_t addrs[18] = { 1 };
	static const uint8_t snap[6] = { 0xaa, 0xaa, 0x03, 0, 0, 0 };
	pb_u8(pb, 0x88); pb_u8(pb, 0x02); pb_u16(pb, 0); pb_bytes(pb, addrs, 18); pb_u16(pb, 0); pb_u16(pb, 0);
	for (size_t i = 0; i < pad; i++)
		pb_u8(pb, 0);
	pb_bytes(pb, snap, 6);
	pb_u16(pb, 0x0800);
}

static void build_links(void)
{
	struct encap_case *c;
	static const uint8_t gid[40] = { 0xfe, 0x80 };

	c = mk(C_PPP, "ppp", LINK_PPP, 0);
	pb_u16(&c->pb, 0xff03); pb_u16(&c->pb, 0x0021); inner(&c->pb, 0);
	c = mk(C_PPP_PFC, "ppp, compressed protocol", LINK_PPP, 1);
	pb_u8(&c->pb, 0x57); inner(&c->pb, 1);
	c = mk(C_PPP_HDLC, "ppp in hdlc", LINK_PPP_HDLC, 0);
	pb_u16(&c->pb, 0xff03); pb_u16(&c->pb, 0x0021); inner(&c->pb, 0);
	c = mk(C_CHDLC, "cisco hdlc", LINK_C_HDLC, 1);
	pb_u16(&c->pb, 0x0f00); pb_u16(&c->pb, 0x86dd); inner(&c->pb, 1);
	c = mk(C_CHDLC_MPLS, "cisco hdlc, mpls", LINK_C_HDLC, 0);
	pb_u16(&c->pb, 0x8f00); pb_u16(&c->pb, 0x8847); pb_u32(&c->pb, 16u << 12 | 0x100 | 1); inner(&c->pb, 0);
	want(c, ENCAP_MPLS, 16, 0);
	c = mk(C_IPOIB, "ip over infiniband", LINK_IPOIB, 0);
	pb_bytes(&c->pb, gid, 40); pb_u16(&c->pb, 0x0800); pb_u16(&c->pb, 0); inner(&c->pb, 0);
	c = mk(C_ARCNET, "arcnet (bsd), phds", LINK_ARCNET_BSD, 0);
	pb_u8(&c->pb, 1); pb_u8(&c->pb, 2); pb_u8(&c->pb, 212); pb_u8(&c->pb, 0); pb_u16(&c->pb, 9); inner(&c->pb, 0);
	c = mk(C_ARCNET_LINUX, "arcnet (linux)", LINK_ARCNET_LINUX, 1);
	pb_u8(&c->pb, 1); pb_u8(&c->pb, 2); pb_u16(&c->pb, 0); pb_u8(&c->pb, 0xc4); pb_u8(&c->pb, 0); pb_u16(&c->pb, 9);
	inner(&c->pb, 1);
	c = mk(C_JUNIPER, "juniper ethernet, extensions", LINK_JUNIPER_ETHER, 0);
	pb_bytes(&c->pb, "MGC", 3); pb_u8(&c->pb, 0x81); pb_u16(&c->pb, 4); pb_u32(&c->pb, 0x01020000);
	pb_ether(&c->pb, 0x0800); inner(&c->pb, 0);
	c = mk(C_WIFI, "802.11 qos data", LINK_IEEE802_11, 0);
	wifi_header(&c->pb, 0); inner(&c->pb, 0);
	c = mk(C_RADIOTAP, "radiotap, tsft, flags with data pad", LINK_RADIOTAP, 0);
	pb_u8(&c->pb, 0); pb_u8(&c->pb, 0); pb_u8(&c->pb, 20); pb_u8(&c->pb, 0);
	pb_u8(&c->pb, 3); pb_u8(&c->pb, 0); pb_u8(&c->pb, 0); pb_u8(&c->pb, 0);
	pb_u32(&c->pb, 0); pb_u32(&c->pb, 0); pb_u8(&c->pb, 0x20); pb_u8(&c->pb, 0); pb_u16(&c->pb, 0);
	wifi_header(&c->pb, 2); inner(&c->pb, 0);
	c = mk(C_ENC, "openbsd enc", LINK_ENC, 0);
	pb_u32(&c->pb, 0x02000000); pb_u32(&c->pb, 0); pb_u32(&c->pb, 0); inner(&c->pb, 0);
	c = mk(C_PFLOG, "pflog", LINK_PFLOG, 1);
	pb_u8(&c->pb, 61); pb_u8(&c->pb, 24);
	for (int i = 0; i < 62; i++)
		pb_u8(&c->pb, 0);
	inner(&c->pb, 1);
}

static int setup(void **state)
{
	(void)state;
	build_udp_tunnels();
	build_gre();
	build_link_tunnels();
	build_links();
	return 0;
}

static enum l4_kind run(struct packet *p, const uint8_t *data, uint32_t caplen, uint32_t len, int link)
{
	memset(p, 0xa5, sizeof(*p));   /* nothing may rest on what the last packet left */
	p->data = data;
	p->caplen = caplen;
	p->len = len;
	p->icmp_extra = p->keep = 0;
	return decode_packet_inner(p, link);
}

static void check_sane(const struct packet *p)
{
	assert_true(p->l4 <= L4_OTHER);
	assert_true(p->nencap <= DEC_MAX_ENCAP);
	assert_true(p->undec < UNDEC_KINDS);
	for (uint8_t i = 0; i < p->nencap; i++) {
		assert_true(p->encap[i].kind > ENCAP_NONE && p->encap[i].kind < ENCAP_KINDS);
		assert_true(p->encap[i].outer_version == 0 || p->encap[i].outer_version == 4 ||
			    p->encap[i].outer_version == 6);
	}
}

/* Every case decodes to its inner SYN, with its records. */
static void test_whole(void **state)
{
	(void)state;
	for (int i = 0; i < NCASES; i++) {
		const struct encap_case *c = &cases[i];
		struct packet p;
		uint32_t n = (uint32_t)c->pb.n;

		print_message("%s\n", c->name);
		assert_int_equal(run(&p, c->pb.b, n, n, c->link), L4_TCP);
		check_sane(&p);
		assert_int_equal(p.u.tcp.status, DEC_OK);
		assert_int_equal(p.undec, UNDEC_NONE);
		assert_int_equal(p.u.tcp.sport, 40000);
		assert_int_equal(p.u.tcp.dport, 443);
		assert_int_equal(p.ip.version, c->v6 ? 6 : 4);
		assert_memory_equal(p.ip.src, c->v6 ? cli6 : cli, c->v6 ? 16 : 4);
		assert_memory_equal(p.ip.dst, c->v6 ? srv6 : srv, c->v6 ? 16 : 4);
		assert_int_equal(p.ip.wire_len, INNER_LEN(c->v6));
		assert_int_equal(p.nencap, c->nencap);
		for (uint8_t k = 0; k < c->nencap; k++) {
			assert_int_equal(p.encap[k].kind, c->kind[k]);
			assert_int_equal(p.encap[k].id, c->id[k]);
		}
		if (c->nencap != 0) {
			assert_int_equal(p.encap[0].outer_version, c->outer);
			if (c->outer == 4)
				assert_memory_equal(p.encap[0].outer_src, out_a, 4);
			if (c->outer == 6)
				assert_memory_equal(p.encap[0].outer_dst, out6b, 16);
		}
		/* `synack print` decodes the outer layers only */
		decode_packet(&p, c->link);
		assert_true(c->nencap == 0 || p.l4 != L4_TCP || p.nencap == 0);
	}
}

/* Cut by a snaplen anywhere: never a whole TCP header, never a read past the cut (ASan). */
static void test_every_cut(void **state)
{
	(void)state;
	for (int i = 0; i < NCASES; i++) {
		const struct encap_case *c = &cases[i];
		for (uint32_t n = 0; n < c->pb.n; n++) {
			uint8_t *copy = malloc(n ? n : 1);
			struct packet p;
			assert_non_null(copy);
			memcpy(copy, c->pb.b, n);
			run(&p, copy, n, (uint32_t)c->pb.n, c->link);
			check_sane(&p);
			assert_false(p.l4 == L4_TCP && p.u.tcp.status == DEC_OK);
			free(copy);
		}
	}
}

/* Every byte flipped in turn (three ways): no crash, sane results. */
static void test_every_flip(void **state)
{
	static const uint8_t masks[] = { 0xff, 0x01, 0x80 };
	(void)state;
	for (int i = 0; i < NCASES; i++) {
		const struct encap_case *c = &cases[i];
		uint32_t n = (uint32_t)c->pb.n;
		uint8_t *copy = malloc(n);
		assert_non_null(copy);
		for (uint32_t at = 0; at < n; at++)
			for (size_t m = 0; m < sizeof(masks); m++) {
				struct packet p;
				memcpy(copy, c->pb.b, n);
				copy[at] ^= masks[m];
				run(&p, copy, n, n, c->link);
				check_sane(&p);
			}
		free(copy);
	}
}

/* Five VXLANs, one inside the other: one more than DEC_MAX_ENCAP, not analyzed. */
static void test_too_deep(void **state)
{
	struct pkt_builder pb;
	struct packet p;
	uint16_t rest = 40;
	uint8_t layers[5][50];
	size_t ln[5];

	(void)state;
	/* each layer: outer IPv4, UDP, VXLAN, Ethernet; built innermost first */
	for (int i = 0; i < 5; i++) {
		struct pkt_builder l = { .n = 0 };
		pb_ipv4(&l, out_a, out_b, 17, (uint16_t)(8 + 8 + 14 + rest));
		udp(&l, 4789, (uint16_t)(8 + 14 + rest));
		pb_u32(&l, 0x08000000); pb_u32(&l, (uint32_t)(i + 1) << 8); pb_ether(&l, 0x0800);
		memcpy(layers[i], l.b, l.n);
		ln[i] = l.n;
		rest = (uint16_t)(rest + l.n);
	}
	pb.n = 0;
	pb_ether(&pb, 0x0800);
	for (int i = 4; i >= 0; i--)
		pb_bytes(&pb, layers[i], ln[i]);
	inner(&pb, 0);
	run(&p, pb.b, (uint32_t)pb.n, (uint32_t)pb.n, LINK_ETHERNET);
	assert_int_equal(p.l4, L4_NONE);
	assert_int_equal(p.undec, UNDEC_TOO_DEEP);
	assert_true(p.nencap <= DEC_MAX_ENCAP);
	/* four are followed */
	pb.n = 0;
	pb_ether(&pb, 0x0800);
	for (int i = 3; i >= 0; i--)
		pb_bytes(&pb, layers[i], ln[i]);
	inner(&pb, 0);
	assert_int_equal(run(&p, pb.b, (uint32_t)pb.n, (uint32_t)pb.n, LINK_ETHERNET), L4_TCP);
	assert_int_equal(p.nencap, 4);
}

/* What is not followed says why, and leaves the packet as far as it got. */
static void test_not_followed(void **state)
{
	struct pkt_builder pb = { .n = 0 };
	struct packet p;
	char text[80];

	(void)state;
	pb_ether(&pb, 0x0800); pb_ipv4(&pb, out_a, out_b, 47, 4 + 8);
	pb_u16(&pb, 0); pb_u16(&pb, 0x880b); pb_u32(&pb, 0); pb_u32(&pb, 0);
	assert_int_equal(run(&p, pb.b, (uint32_t)pb.n, (uint32_t)pb.n, LINK_ETHERNET), L4_OTHER);
	assert_int_equal(p.undec, UNDEC_GRE_PROTO);
	assert_int_equal(p.nencap, 0);
	assert_memory_equal(p.ip.src, out_a, 4);
	decode_undec_text(p.undec, p.undec_value, text, sizeof(text));
	assert_string_equal(text, "GRE of protocol 0x880b");

	/* VXLAN carrying ARP: the outer UDP stands, no record */
	pb.n = 0;
	pb_ether(&pb, 0x0800); pb_ipv4(&pb, out_a, out_b, 17, 8 + 8 + 14 + 28); udp(&pb, 4789, 8 + 14 + 28);
	pb_u32(&pb, 0x08000000); pb_u32(&pb, 1 << 8); pb_ether(&pb, 0x0806);
	for (int i = 0; i < 28; i++)
		pb_u8(&pb, 0);
	assert_int_equal(run(&p, pb.b, (uint32_t)pb.n, (uint32_t)pb.n, LINK_ETHERNET), L4_UDP);
	assert_int_equal(p.nencap, 0);
	assert_int_equal(p.undec, UNDEC_ETHERTYPE);
	assert_int_equal(p.undec_value, 0x0806);

	/* an 802.11 beacon */
	pb.n = 0;
	pb_u8(&pb, 0x80); pb_u8(&pb, 0);
	for (int i = 0; i < 30; i++)
		pb_u8(&pb, 0);
	assert_int_equal(run(&p, pb.b, (uint32_t)pb.n, (uint32_t)pb.n, LINK_IEEE802_11), L4_NONE);
	assert_int_equal(p.undec, UNDEC_80211_MGMT);
	/* a protected data frame */
	pb.b[0] = 0x08;
	pb.b[1] = 0x40;
	assert_int_equal(run(&p, pb.b, (uint32_t)pb.n, (uint32_t)pb.n, LINK_IEEE802_11), L4_NONE);
	assert_int_equal(p.undec, UNDEC_80211_PROTECTED);
	/* PPP's LCP */
	pb.n = 0;
	pb_u16(&pb, 0xff03); pb_u16(&pb, 0xc021); pb_u32(&pb, 0x01010004);
	assert_int_equal(run(&p, pb.b, (uint32_t)pb.n, (uint32_t)pb.n, LINK_PPP), L4_NONE);
	assert_int_equal(p.undec, UNDEC_PPP_PROTO);
	assert_int_equal(p.undec_value, 0xc021);
}

/* The names the report and the JSON use. */
static void test_names(void **state)
{
	struct encap e = { .kind = ENCAP_IPIP, .outer_version = 4, .sub = 6 };

	(void)state;
	assert_string_equal(decode_encap_name(&e), "6in4");
	e.outer_version = 6;
	e.sub = 4;
	assert_string_equal(decode_encap_name(&e), "4in6");
	e.kind = ENCAP_VXLAN;
	assert_string_equal(decode_encap_name(&e), "vxlan");
	for (int lt = 0; lt < 300; lt++)
		if (decode_link_supported(lt))
			assert_string_not_equal(decode_link_name(lt), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_whole),
		cmocka_unit_test(test_every_cut),
		cmocka_unit_test(test_every_flip),
		cmocka_unit_test(test_too_deep),
		cmocka_unit_test(test_not_followed),
		cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
