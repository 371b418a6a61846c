/* test_print.c: tcpdump lines from packets built in code. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "pkt.h"
#include "print.h"

static const uint8_t cli[4] = { 192, 0, 2, 40 }, srv[4] = { 203, 0, 113, 20 };

static const char *line_of(struct printer *pr, struct pkt_builder *pb, int64_t sec, uint32_t usec)
{
	static char buf[1024];
	struct packet p;
	struct line l;

	memset(&p, 0, sizeof(p));
	p.data = pb->b;
	p.len = p.caplen = (uint32_t)pb->n;
	p.ts_sec = sec;
	p.ts_frac = usec;
	decode_packet(&p, LINK_ETHERNET);
	ln_init(&l, buf, sizeof(buf) - 1);
	printer_line(pr, &p, &l);
	buf[l.len] = '\0';
	return buf;
}

static void test_handshake_relative(void **state)
{
	(void)state;
	static const uint8_t synopts[] = { 2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7 };
	struct printer *pr = printer_new(0);
	struct pkt_builder pb;

	pb.n = 0;
	pb_ether(&pb, 0x0800);
	pb_ipv4(&pb, cli, srv, 6, 40);
	pb_tcp(&pb, 46188, 443, 1000, 0, 0x02, 64240, synopts, sizeof(synopts));
	assert_string_equal(line_of(pr, &pb, 1700000000, 4283),
		"22:13:20.004283 IP 192.0.2.40.46188 > 203.0.113.20.443: Flags [S], seq 1000, "
		"win 64240, options [mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7], length 0");
	pb.n = 0;
	pb_ether(&pb, 0x0800);
	pb_ipv4(&pb, srv, cli, 6, 20);
	pb_tcp(&pb, 443, 46188, 5000, 1001, 0x12, 65160, NULL, 0);
	assert_string_equal(line_of(pr, &pb, 1700000000, 18920),
		"22:13:20.018920 IP 203.0.113.20.443 > 192.0.2.40.46188: Flags [S.], seq 5000, "
		"ack 1001, win 65160, length 0");
	pb.n = 0;
	pb_ether(&pb, 0x0800);
	pb_ipv4(&pb, cli, srv, 6, 25);
	pb_tcp(&pb, 46188, 443, 1001, 5001, 0x18, 502, NULL, 0);
	pb_bytes(&pb, "hello", 5);
	assert_string_equal(line_of(pr, &pb, 1700000001, 0),
		"22:13:21.000000 IP 192.0.2.40.46188 > 203.0.113.20.443: Flags [P.], seq 1:6, "
		"ack 1, win 502, length 5");
	printer_free(pr);
}


static const char *ip6_text(const char *hex)
{
	static char buf[64];
	uint8_t a[16];
	struct line l;
	for (int i = 0; i < 16; i++) {
		unsigned v;
		sscanf(hex + 2 * i, "%2x", &v);
		a[i] = (uint8_t)v;
	}
	ln_init(&l, buf, sizeof(buf) - 1);
	ln_ip6(&l, a);
	buf[l.len] = '\0';
	return buf;
}

/* tcpdump's own IPv6 rendering: longest zero run (first on a tie), IPv4 tails. */
static void test_ip6_text(void **state)
{
	(void)state;
	assert_string_equal(ip6_text("00000000000000000000000000000000"), "::");
	assert_string_equal(ip6_text("00000000000000000000000000000001"), "::1");
	assert_string_equal(ip6_text("20010db8000000000000000000000001"), "2001:db8::1");
	assert_string_equal(ip6_text("00000000000000000000ffffc0000201"), "::ffff:192.0.2.1");
	assert_string_equal(ip6_text("000000000000000000000000c0000201"), "::192.0.2.1");
	assert_string_equal(ip6_text("00010000000000010000000000000001"), "1:0:0:1::1");
	assert_string_equal(ip6_text("00010000000000010000000000010001"), "1::1:0:0:1:1");
	assert_string_equal(ip6_text("00010002000300040005000600070000"), "1:2:3:4:5:6:7:0");
	assert_string_equal(ip6_text("00010002000300040005000600000000"), "1:2:3:4:5:6::");
	assert_string_equal(ip6_text("fe800000000000000000000000000000"), "fe80::");
}

/* Every byte of a real-shaped packet through every value: no crash, always a line. */
static void test_flip_every_byte(void **state)
{
	(void)state;
	static const uint8_t opts[] = { 2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7,
					1, 1, 5, 10, 0, 0, 0, 1, 0, 0, 0, 9 };
	struct printer *pr = printer_new(0);
	struct pkt_builder base;

	base.n = 0;
	pb_ether(&base, 0x0800);
	pb_ipv4(&base, cli, srv, 6, 20 + sizeof(opts) + 4);
	pb_tcp(&base, 46188, 443, 1000, 77, 0x18, 64240, opts, sizeof(opts));
	pb_bytes(&base, "\x16\x03\x01\x00", 4);
	for (size_t i = 0; i < base.n; i++) {
		for (unsigned v = 0; v < 256; v++) {
			struct pkt_builder pb = base;
			const char *s;
			pb.b[i] = (uint8_t)v;
			s = line_of(pr, &pb, 1700000000, 1);
			assert_true(strncmp(s, "22:13:20.000001 ", 16) == 0);
		}
	}
	printer_free(pr);
}

int main(void)
{
	setenv("TZ", "UTC", 1);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_handshake_relative),
		cmocka_unit_test(test_ip6_text),
		cmocka_unit_test(test_flip_every_byte),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
