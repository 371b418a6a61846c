/* test_probe.c: the probe's target words (HOST[:PORT], [IPv6]:PORT) and address literals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "probe.h"

static void target_ok(const char *arg, const char *host, uint16_t port)
{
	char h[256], err[PROBE_ERRLEN];
	uint16_t p = 0;

	assert_int_equal(probe_target(arg, h, sizeof(h), &p, err), 1);
	assert_string_equal(h, host);
	assert_int_equal(p, port);
}

static void target_bad(const char *arg)
{
	char h[256], err[PROBE_ERRLEN] = "";
	uint16_t p = 0;

	assert_int_equal(probe_target(arg, h, sizeof(h), &p, err), 0);
	assert_true(strlen(err) > 0);
}

static void test_targets(void **state)
{
	(void)state;
	target_ok("example.net", "example.net", 443);
	target_ok("example.net:8443", "example.net", 8443);
	target_ok("203.0.113.20", "203.0.113.20", 443);
	target_ok("203.0.113.20:1", "203.0.113.20", 1);
	target_ok("203.0.113.20:65535", "203.0.113.20", 65535);
	target_ok("2001:db8::20", "2001:db8::20", 443);           /* a bare IPv6 address: no port */
	target_ok("[2001:db8::20]", "2001:db8::20", 443);
	target_ok("[2001:db8::20]:853", "2001:db8::20", 853);
	target_bad("");
	target_bad(":443");
	target_bad("example.net:");
	target_bad("example.net:0");
	target_bad("example.net:65536");
	target_bad("example.net:99999999999999999999");
	target_bad("example.net:44a");
	target_bad("[2001:db8::20");
	target_bad("[2001:db8::20]:");
	target_bad("[2001:db8::20]x");
	target_bad("[]:443");
}

static void test_long_host(void **state)
{
	char arg[600], h[256], err[PROBE_ERRLEN];
	uint16_t p;

	(void)state;
	memset(arg, 'a', sizeof(arg) - 1);
	arg[sizeof(arg) - 1] = '\0';
	assert_int_equal(probe_target(arg, h, sizeof(h), &p, err), 0);
	memset(arg, 'a', 255);
	arg[255] = '\0';
	assert_int_equal(probe_target(arg, h, sizeof(h), &p, err), 1);
	assert_int_equal(strlen(h), 255);
}

static void test_literals(void **state)
{
	(void)state;
	assert_true(probe_is_literal("192.0.2.1"));
	assert_true(probe_is_literal("2001:db8::1"));
	assert_true(probe_is_literal("::1"));
	assert_false(probe_is_literal("example.net"));
	assert_false(probe_is_literal("192.0.2.256"));
	assert_false(probe_is_literal("[2001:db8::1]"));
}

static void test_resolve_literal(void **state)
{
	struct probe_addrs a;
	char err[PROBE_ERRLEN], t[PROBE_ADDRLEN];

	(void)state;
	assert_int_equal(probe_resolve("203.0.113.20", 8443, AF_UNSPEC, &a, err), 1);
	assert_int_equal(a.n, 1);
	assert_string_equal(probe_addr_text(&a.a[0], t), "203.0.113.20");
	assert_int_equal(probe_addr_port(&a.a[0]), 8443);
	assert_int_equal(probe_resolve("2001:db8::20", 443, AF_UNSPEC, &a, err), 1);
	assert_string_equal(probe_addr_text(&a.a[0], t), "2001:db8::20");
	/* -4 with an IPv6 address: none */
	assert_int_equal(probe_resolve("2001:db8::20", 443, AF_INET, &a, err), 0);
	assert_true(strlen(err) > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_targets),
		cmocka_unit_test(test_long_host),
		cmocka_unit_test(test_literals),
		cmocka_unit_test(test_resolve_literal),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
