/* test_flow.c: the Community ID v1 of TCP and UDP flows, against the spec's vector and python's hashlib. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "community.h"

/*
 * The expected ids other than the spec's own were computed apart from this
 * code, with python3's hashlib and base64:
 *
 *	def cid(s, d, sp, dp, proto, seed=0):
 *	    sa, da = ipaddress.ip_address(s).packed, ipaddress.ip_address(d).packed
 *	    if (sa, sp) > (da, dp): sa, da, sp, dp = da, sa, dp, sp
 *	    data = struct.pack('!H', seed) + sa + da + struct.pack('!BBHH', proto, 0, sp, dp)
 *	    return '1:' + base64.b64encode(hashlib.sha1(data).digest()).decode()
 */

static const uint8_t a4[4] = { 128, 232, 110, 120 }, b4[4] = { 66, 35, 250, 204 };

static void expect_id(int v6, const uint8_t *s, const uint8_t *d, uint16_t sp, uint16_t dp,
		      uint8_t proto, uint16_t seed, const char *want)
{
	char out[FLOW_COMMUNITY_ID_LEN];

	memset(out, 'x', sizeof(out));
	assert_int_equal(flow_community_id(v6, s, d, sp, dp, proto, seed, out), 1);
	assert_string_equal(out, want);
	assert_int_equal(strlen(out), FLOW_COMMUNITY_ID_LEN - 1);
	/* the other direction of the flow: the same id */
	memset(out, 'x', sizeof(out));
	assert_int_equal(flow_community_id(v6, d, s, dp, sp, proto, seed, out), 1);
	assert_string_equal(out, want);
}

/* The spec's vector (issue 11; the spec's README, seed 0 and seed 1). */
static void test_spec_vector(void **state)
{
	(void)state;
	expect_id(0, a4, b4, 34855, 80, FLOW_COMMUNITY_TCP, 0, "1:LQU9qZlK+B5F3KDmev6m5PMibrg=");
	expect_id(0, a4, b4, 34855, 80, FLOW_COMMUNITY_TCP, 1, "1:3V71V58M3Ksw/yuFALMcW0LAHvc=");
}

/* 2001:db8::1 port 51000 -> 2001:db8::2 port 443, TCP (python above). */
static void test_ipv6(void **state)
{
	(void)state;
	uint8_t s[16] = { 0x20, 0x01, 0x0d, 0xb8 }, d[16] = { 0x20, 0x01, 0x0d, 0xb8 };
	s[15] = 1;
	d[15] = 2;
	expect_id(1, s, d, 51000, 443, FLOW_COMMUNITY_TCP, 0, "1:TZebe/ybIXr8J9lX26/lqPRYGuk=");
}

/* 192.168.1.52 port 54585 -> 8.8.8.8 port 53, UDP (python above). */
static void test_udp(void **state)
{
	(void)state;
	const uint8_t s[4] = { 192, 168, 1, 52 }, d[4] = { 8, 8, 8, 8 };
	expect_id(0, s, d, 54585, 53, FLOW_COMMUNITY_UDP, 0, "1:d/FP5EW3wiY1vCndhwleRRKHowQ=");
}

/* Equal addresses: the ports decide the order (python above: 10.0.0.1 80 -> 10.0.0.1 1234). */
static void test_same_address(void **state)
{
	(void)state;
	const uint8_t s[4] = { 10, 0, 0, 1 };
	expect_id(0, s, s, 80, 1234, FLOW_COMMUNITY_TCP, 0, "1:WaobEo3Uyp/JjlL9QX3lvrl1Oag=");
}

/* ICMP and the rest are not written: 0 and an empty string. */
static void test_other_protocols(void **state)
{
	(void)state;
	char out[FLOW_COMMUNITY_ID_LEN] = "junk";
	assert_int_equal(flow_community_id(0, a4, b4, 8, 0, 1, 0, out), 0);
	assert_string_equal(out, "");
	assert_int_equal(flow_community_id(0, a4, b4, 1, 2, 132, 0, out), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spec_vector),
		cmocka_unit_test(test_ipv6),
		cmocka_unit_test(test_udp),
		cmocka_unit_test(test_same_address),
		cmocka_unit_test(test_other_protocols),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
