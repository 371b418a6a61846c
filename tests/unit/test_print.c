/* test_print.c: tcpdump lines from packets built in code. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
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

	setenv("TZ", "UTC", 1);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_handshake_relative),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
