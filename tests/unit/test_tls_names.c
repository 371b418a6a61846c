/* test_tls_names.c: the IANA name tables, against OpenSSL's own names where OpenSSL has one. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "tls_names.h"

/*
 * OpenSSL knows these cipher suites, IANA registers nothing at their values:
 * the legacy GOST suites of draft-chudov-cryptopro-cptls (0x0080-0x0083) and
 * their 2012 successors in IANA's private-use range (0xff85, 0xff87). They
 * stay unnamed ("0x0081"); the test fails on any other OpenSSL suite we lack.
 * (OpenSSL 3.0 gives standard names to 0x0081 and 0x0083 only, and none to
 * the IANA GOST suites 0xc100-0xc102, so those are not compared.)
 */
static int openssl_only_cipher(uint16_t id)
{
	return id == 0x0080 || id == 0x0081 || id == 0x0082 || id == 0x0083 ||
	       id == 0xff85 || id == 0xff87;
}

static SSL_CTX *permissive_ctx(void)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_method());

	assert_non_null(ctx);
	SSL_CTX_set_security_level(ctx, 0);
	assert_int_equal(SSL_CTX_set_min_proto_version(ctx, 0), 1);
	assert_int_equal(SSL_CTX_set_max_proto_version(ctx, TLS1_3_VERSION), 1);
	return ctx;
}

static void test_sorted_and_named(void **state)
{
	(void)state;
	for (int r = 0; r < TLS_REG_COUNT; r++) {
		size_t n;
		const struct tls_name *t = tls_registry_table((enum tls_registry)r, &n);

		assert_non_null(t);
		assert_true(n > 0);
		for (size_t i = 0; i < n; i++) {
			assert_non_null(t[i].name);
			assert_true(strlen(t[i].name) > 0);
			if (i > 0)
				assert_true(t[i - 1].value < t[i].value);
		}
	}
	size_t n;
	assert_null(tls_registry_table(TLS_REG_COUNT, &n));
	assert_int_equal(n, 0);
}

/* Every table entry is found by its own lookup function (the binary search). */
static void test_lookup_finds_every_entry(void **state)
{
	(void)state;
	static const struct {
		enum tls_registry reg;
		const char *(*f16)(uint16_t);
		const char *(*f8)(uint8_t);
	} fns[] = {
		{ TLS_REG_CIPHER, tls_cipher_name, NULL },
		{ TLS_REG_GROUP, tls_group_name, NULL },
		{ TLS_REG_SIGSCHEME, tls_sigscheme_name, NULL },
		{ TLS_REG_EXT, tls_ext_name, NULL },
		{ TLS_REG_VERSION, tls_version_name, NULL },
		{ TLS_REG_ALERT, NULL, tls_alert_name },
		{ TLS_REG_ALERT_LEVEL, NULL, tls_alert_level_name },
		{ TLS_REG_HS_TYPE, NULL, tls_hs_type_name },
		{ TLS_REG_CONTENT_TYPE, NULL, tls_content_type_name },
		{ TLS_REG_EC_POINT_FORMAT, NULL, tls_ec_point_format_name },
	};
	for (size_t k = 0; k < sizeof(fns) / sizeof(fns[0]); k++) {
		size_t n, named = 0;
		const struct tls_name *t = tls_registry_table(fns[k].reg, &n);

		for (size_t i = 0; i < n; i++) {
			if (fns[k].f8 != NULL) {
				assert_true(t[i].value <= 0xff);
				assert_string_equal(fns[k].f8((uint8_t)t[i].value), t[i].name);
			} else {
				assert_string_equal(fns[k].f16(t[i].value), t[i].name);
			}
		}
		/* And nothing else has a name (GREASE aside). */
		for (uint32_t v = 0; v <= (fns[k].f8 != NULL ? 0xffu : 0xffffu); v++) {
			const char *s = fns[k].f8 != NULL ? fns[k].f8((uint8_t)v)
							  : fns[k].f16((uint16_t)v);
			if (s != NULL && strcmp(s, "GREASE") != 0)
				named++;
		}
		assert_int_equal(named, n);
	}
}

static void test_known_values(void **state)
{
	(void)state;
	/* RFC 8446 B.4, 4.2.3, 4.2.7, 6; RFC 8422; RFC 7919; RFC 9849. */
	assert_string_equal(tls_cipher_name(0x1301), "TLS_AES_128_GCM_SHA256");
	assert_string_equal(tls_cipher_name(0x1303), "TLS_CHACHA20_POLY1305_SHA256");
	assert_string_equal(tls_cipher_name(0xc02f), "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
	assert_string_equal(tls_cipher_name(0x00ff), "TLS_EMPTY_RENEGOTIATION_INFO_SCSV");
	assert_string_equal(tls_cipher_name(0x5600), "TLS_FALLBACK_SCSV");
	assert_string_equal(tls_group_name(0x001d), "x25519");
	assert_string_equal(tls_group_name(0x0017), "secp256r1");
	assert_string_equal(tls_group_name(0x0100), "ffdhe2048");
	assert_string_equal(tls_group_name(0x11ec), "X25519MLKEM768");
	assert_string_equal(tls_group_name(0x11eb), "SecP256r1MLKEM768");
	assert_string_equal(tls_group_name(0x6399), "X25519Kyber768Draft00");
	assert_string_equal(tls_sigscheme_name(0x0403), "ecdsa_secp256r1_sha256");
	assert_string_equal(tls_sigscheme_name(0x0804), "rsa_pss_rsae_sha256");
	assert_string_equal(tls_sigscheme_name(0x0807), "ed25519");
	assert_string_equal(tls_ext_name(0), "server_name");
	assert_string_equal(tls_ext_name(10), "supported_groups");
	assert_string_equal(tls_ext_name(16), "application_layer_protocol_negotiation");
	assert_string_equal(tls_ext_name(35), "session_ticket");
	assert_string_equal(tls_ext_name(43), "supported_versions");
	assert_string_equal(tls_ext_name(51), "key_share");
	assert_string_equal(tls_ext_name(0xfe0d), "encrypted_client_hello");
	assert_string_equal(tls_ext_name(0xff01), "renegotiation_info");
	assert_string_equal(tls_alert_name(0), "close_notify");
	assert_string_equal(tls_alert_name(40), "handshake_failure");
	assert_string_equal(tls_alert_name(70), "protocol_version");
	assert_string_equal(tls_alert_name(100), "no_renegotiation");
	assert_string_equal(tls_alert_name(112), "unrecognized_name");
	assert_string_equal(tls_alert_name(116), "certificate_required");
	assert_string_equal(tls_alert_name(120), "no_application_protocol");
	assert_string_equal(tls_alert_name(121), "ech_required");
	assert_string_equal(tls_alert_level_name(1), "warning");
	assert_string_equal(tls_alert_level_name(2), "fatal");
	assert_string_equal(tls_hs_type_name(1), "client_hello");
	assert_string_equal(tls_hs_type_name(2), "server_hello");
	assert_string_equal(tls_hs_type_name(3), "hello_verify_request");
	assert_string_equal(tls_hs_type_name(12), "server_key_exchange");
	assert_string_equal(tls_hs_type_name(254), "message_hash");
	assert_string_equal(tls_content_type_name(21), "alert");
	assert_string_equal(tls_content_type_name(22), "handshake");
	assert_string_equal(tls_content_type_name(23), "application_data");
	assert_string_equal(tls_ec_point_format_name(0), "uncompressed");
	assert_string_equal(tls_version_name(0x0304), "TLS 1.3");
	assert_string_equal(tls_version_name(0x0303), "TLS 1.2");
	assert_string_equal(tls_version_name(0x0302), "TLS 1.1");
	assert_string_equal(tls_version_name(0x0301), "TLS 1.0");
	assert_string_equal(tls_version_name(0x0300), "SSL 3.0");
	assert_string_equal(tls_version_name(0x0002), "SSL 2.0");
	assert_string_equal(tls_version_name(0xfeff), "DTLS 1.0");
	assert_string_equal(tls_version_name(0xfefd), "DTLS 1.2");
	assert_string_equal(tls_version_name(0xfefc), "DTLS 1.3");
	assert_string_equal(tls_version_name(0x7f1c), "TLS 1.3 draft 28");
	assert_string_equal(tls_version_name(0x7f12), "TLS 1.3 draft 18");
	assert_string_equal(tls_version_name(0x7e01), "TLS 1.3 Google experiment 1");
	assert_string_equal(tls_version_name(0x7e02), "TLS 1.3 Google experiment 2");
	assert_string_equal(tls_version_name(0x7e03), "TLS 1.3 Google experiment 3");
	assert_null(tls_version_name(0x7e04));
	assert_null(tls_version_name(0x7f1d));
}

static void test_unknown_values(void **state)
{
	(void)state;
	char b[TLS_NAME_BUFSZ];

	assert_null(tls_cipher_name(0x0072));          /* unassigned */
	assert_null(tls_cipher_name(0xff00));          /* private use */
	assert_null(tls_cipher_name(0x001c));          /* reserved (SSLv3 Fortezza) */
	assert_null(tls_group_name(0x0000));
	assert_null(tls_group_name(0xfe00));
	assert_null(tls_sigscheme_name(0x0202));       /* reserved, backward compatibility */
	assert_null(tls_ext_name(40));                 /* reserved */
	assert_null(tls_ext_name(0xff00));             /* private use */
	assert_null(tls_alert_name(1));
	assert_null(tls_alert_name(255));
	assert_null(tls_alert_level_name(0));
	assert_null(tls_alert_level_name(3));
	assert_null(tls_hs_type_name(7));
	assert_null(tls_hs_type_name(255));
	assert_null(tls_content_type_name(19));
	assert_null(tls_content_type_name(28));
	assert_null(tls_ec_point_format_name(3));
	assert_null(tls_version_name(0x0305));
	assert_null(tls_version_name(0x0000));

	assert_string_equal(tls_name_or_hex(tls_cipher_name(0xff00), 0xff00, b), "0xff00");
	assert_string_equal(tls_name_or_hex(tls_alert_name(200), 200, b), "0x00c8");
	assert_string_equal(tls_name_or_hex(NULL, 0, b), "0x0000");
	assert_string_equal(tls_name_or_hex(NULL, 0xffff, b), "0xffff");
	assert_string_equal(tls_name_or_hex(tls_cipher_name(0x1301), 0x1301, b),
			    "TLS_AES_128_GCM_SHA256");
}

static void test_grease(void **state)
{
	(void)state;
	unsigned count = 0;

	for (unsigned i = 0; i < 16; i++) {
		uint16_t g = (uint16_t)(((i << 4 | 0xa) << 8) | (i << 4 | 0xa));

		assert_true(tls_is_grease(g));
		assert_string_equal(tls_cipher_name(g), "GREASE");
		assert_string_equal(tls_group_name(g), "GREASE");
		assert_string_equal(tls_ext_name(g), "GREASE");
		assert_string_equal(tls_sigscheme_name(g), "GREASE");
		assert_string_equal(tls_version_name(g), "GREASE");
	}
	assert_true(tls_is_grease(0x0a0a));
	assert_true(tls_is_grease(0xfafa));
	assert_false(tls_is_grease(0x0a1a));   /* both bytes must be equal */
	assert_false(tls_is_grease(0x0b0b));
	assert_false(tls_is_grease(0x1301));
	assert_false(tls_is_grease(0x0000));
	for (uint32_t v = 0; v <= 0xffff; v++)
		count += (unsigned)tls_is_grease((uint16_t)v);
	assert_int_equal(count, 16);
	assert_string_equal(tls_cipher_name(0x1301), "TLS_AES_128_GCM_SHA256");
}

static int compare_cipher(const SSL_CIPHER *c, unsigned *gaps)
{
	uint16_t id = SSL_CIPHER_get_protocol_id(c);
	const char *std = SSL_CIPHER_standard_name(c);
	const char *ours = tls_cipher_name(id);

	if (std == NULL)
		return 0;
	if (ours == NULL) {
		if (!openssl_only_cipher(id))
			fail_msg("OpenSSL knows 0x%04x %s, we have no name", id, std);
		(*gaps)++;
		return 0;
	}
	if (strcmp(ours, std) != 0)
		fail_msg("0x%04x: ours %s, OpenSSL %s", id, ours, std);
	return 1;
}

/* Every suite a permissive cipher string gives, and every one OpenSSL can look up. */
static void test_ciphers_match_openssl(void **state)
{
	(void)state;
	SSL_CTX *ctx = permissive_ctx();
	unsigned listed = 0, found = 0, gaps = 0;

	assert_int_equal(SSL_CTX_set_cipher_list(ctx, "ALL:COMPLEMENTOFALL:@SECLEVEL=0"), 1);
	assert_int_equal(SSL_CTX_set_ciphersuites(ctx,
		"TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:"
		"TLS_AES_128_CCM_SHA256:TLS_AES_128_CCM_8_SHA256"), 1);
	STACK_OF(SSL_CIPHER) *sk = SSL_CTX_get_ciphers(ctx);
	assert_non_null(sk);
	for (int i = 0; i < sk_SSL_CIPHER_num(sk); i++)
		listed += (unsigned)compare_cipher(sk_SSL_CIPHER_value(sk, i), &gaps);

	/* SSL_CIPHER_find() searches every suite compiled in, SCSVs included. */
	SSL *ssl = SSL_new(ctx);
	assert_non_null(ssl);
	gaps = 0;
	for (uint32_t v = 0; v <= 0xffff; v++) {
		const unsigned char b[2] = { (unsigned char)(v >> 8), (unsigned char)v };
		const SSL_CIPHER *c = SSL_CIPHER_find(ssl, b);

		if (c != NULL)
			found += (unsigned)compare_cipher(c, &gaps);
	}
	print_message("ciphers: %u from the cipher string and %u by value equal OpenSSL's "
		      "standard names; %u OpenSSL-only (non-IANA GOST)\n", listed, found, gaps);
	assert_true(listed >= 100);
	assert_true(found >= listed);
	SSL_free(ssl);
	SSL_CTX_free(ctx);
}

/* The ClientHello OpenSSL writes, so its own name -> codepoint mapping can be read. */
static size_t client_hello(SSL_CTX *ctx, int max_version, const char *groups,
			   const char *sigalgs, unsigned char *buf, size_t cap)
{
	SSL *ssl = SSL_new(ctx);
	BIO *rbio = BIO_new(BIO_s_mem()), *wbio = BIO_new(BIO_s_mem());
	size_t n = 0;

	assert_non_null(ssl);
	SSL_set_bio(ssl, rbio, wbio);
	SSL_set_connect_state(ssl);
	SSL_set_max_proto_version(ssl, max_version);
	/* Sent and waiting for the ServerHello; on a failure OpenSSL writes an alert. */
	if ((groups == NULL || SSL_set1_groups_list(ssl, groups) == 1) &&
	    (sigalgs == NULL || SSL_set1_sigalgs_list(ssl, sigalgs) == 1) &&
	    SSL_get_error(ssl, SSL_do_handshake(ssl)) == SSL_ERROR_WANT_READ) {
		int r = BIO_read(wbio, buf, (int)cap);
		n = r > 0 ? (size_t)r : 0;
	}
	ERR_clear_error();
	SSL_free(ssl);
	return n;
}

static unsigned get16(const unsigned char *p) { return (unsigned)p[0] << 8 | p[1]; }

/* The body of extension type in the ClientHello record in b; NULL if absent. */
static const unsigned char *find_ext(const unsigned char *b, size_t n, unsigned type, size_t *len)
{
	size_t off = 5 + 4 + 2 + 32;   /* record, handshake headers, version, random */

	if (n < off + 1 || b[0] != 22 || b[5] != 1)
		return NULL;
	off += 1 + b[off];                               /* session id */
	if (off + 2 > n)
		return NULL;
	off += 2 + get16(b + off);                       /* cipher suites */
	if (off + 1 > n)
		return NULL;
	off += 1 + b[off];                               /* compression */
	if (off + 2 > n)
		return NULL;
	size_t end = off + 2 + get16(b + off);
	for (off += 2; off + 4 <= end && end <= n; off += 4 + get16(b + off + 2)) {
		if (get16(b + off) == type && off + 4 + get16(b + off + 2) <= end) {
			*len = get16(b + off + 2);
			return b + off + 4;
		}
	}
	return NULL;
}

/*
 * For each of our names OpenSSL accepts in a groups / sigalgs list, the code
 * OpenSSL puts in its ClientHello is our value. Returns how many matched.
 */
static unsigned check_list_name(SSL_CTX *ctx, enum tls_registry reg, unsigned ext)
{
	size_t n;
	const struct tls_name *t = tls_registry_table(reg, &n);
	unsigned matched = 0;

	for (size_t i = 0; i < n; i++) {
		const char *groups = reg == TLS_REG_GROUP ? t[i].name : NULL;
		const char *sigalgs = reg == TLS_REG_SIGSCHEME ? t[i].name : NULL;
		unsigned char b[4096];
		size_t len = client_hello(ctx, TLS1_3_VERSION, groups, sigalgs, b, sizeof(b));

		if (len == 0)   /* e.g. a TLS 1.2-only curve: no TLS 1.3 key share */
			len = client_hello(ctx, TLS1_2_VERSION, groups, sigalgs, b, sizeof(b));
		if (len == 0)
			continue;   /* OpenSSL has no such name */
		size_t elen;
		const unsigned char *e = find_ext(b, len, ext, &elen);
		if (e == NULL)
			fail_msg("%s: OpenSSL accepts the name but sends no extension %u", t[i].name, ext);
		assert_true(elen == 4);   /* one entry, after a two-byte length */
		if (get16(e + 2) != t[i].value)
			fail_msg("%s: ours 0x%04x, OpenSSL sends 0x%04x", t[i].name,
				 t[i].value, get16(e + 2));
		matched++;
	}
	return matched;
}

static void test_groups_match_openssl(void **state)
{
	(void)state;
	SSL_CTX *ctx = permissive_ctx();
	SSL *ssl = SSL_new(ctx);
	unsigned by_value = 0, by_name;

	assert_non_null(ssl);
	/* Value -> name: OpenSSL's table of the groups its providers offer. */
	for (uint32_t v = 0; v <= 0xffff; v++) {
		const char *o = SSL_group_to_name(ssl, (int)(TLSEXT_nid_unknown | v));

		if (o == NULL)
			continue;
		const char *ours = tls_group_name((uint16_t)v);
		if (ours == NULL || strcmp(ours, o) != 0)
			fail_msg("group 0x%04x: ours %s, OpenSSL %s", v, ours ? ours : "(none)", o);
		by_value++;
	}
	SSL_free(ssl);
	/* Name -> value: what OpenSSL sends for each of our names it accepts. */
	by_name = check_list_name(ctx, TLS_REG_GROUP, 10);
	print_message("groups: %u by value and %u by name equal OpenSSL's\n", by_value, by_name);
	assert_true(by_value >= 10);   /* secp256r1, x25519, ffdhe2048, ... */
	assert_true(by_name >= 10);
	assert_string_equal(tls_group_name(0x0017), "secp256r1");
	SSL_CTX_free(ctx);
}

static void test_sigschemes_match_openssl(void **state)
{
	(void)state;
	SSL_CTX *ctx = permissive_ctx();
	unsigned by_name = check_list_name(ctx, TLS_REG_SIGSCHEME, 13);

	print_message("signature schemes: %u by name equal OpenSSL's codepoints\n", by_name);
	assert_true(by_name >= 10);   /* rsa_pss_rsae_*, ecdsa_secp*_sha*, ed25519, ... */
	SSL_CTX_free(ctx);
}

/* OpenSSL's long alert strings are ours with spaces for underscores. */
static void test_alerts_match_openssl(void **state)
{
	(void)state;
	unsigned compared = 0;

	for (unsigned v = 0; v <= 0xff; v++) {
		const char *o = SSL_alert_desc_string_long((int)(2 << 8 | v));
		const char *ours = tls_alert_name((uint8_t)v);
		char norm[64];
		size_t i;

		if (o == NULL || strcmp(o, "unknown") == 0)
			continue;
		for (i = 0; o[i] != '\0' && i + 1 < sizeof(norm); i++)
			norm[i] = o[i] == ' ' ? '_' : (char)(o[i] >= 'A' && o[i] <= 'Z' ? o[i] + 32 : o[i]);
		norm[i] = '\0';
		if (ours == NULL || strcmp(ours, norm) != 0)
			fail_msg("alert %u: ours %s, OpenSSL \"%s\"", v, ours ? ours : "(none)", o);
		compared++;
	}
	print_message("alerts: %u equal OpenSSL's long names\n", compared);
	assert_true(compared >= 25);
	assert_string_equal(SSL_alert_type_string_long(1 << 8), tls_alert_level_name(1));
	assert_string_equal(SSL_alert_type_string_long(2 << 8), tls_alert_level_name(2));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sorted_and_named),
		cmocka_unit_test(test_lookup_finds_every_entry),
		cmocka_unit_test(test_known_values),
		cmocka_unit_test(test_unknown_values),
		cmocka_unit_test(test_grease),
		cmocka_unit_test(test_ciphers_match_openssl),
		cmocka_unit_test(test_groups_match_openssl),
		cmocka_unit_test(test_sigschemes_match_openssl),
		cmocka_unit_test(test_alerts_match_openssl),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
