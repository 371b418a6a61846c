/* test_tls_cert.c: Certificate messages built from the certificates in certs/ (make.sh), parsed and checked. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "tls_cert.h"

#include "certs/certs.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Capture times (ns). The test certificates' windows are fixed by make.sh. */
#define SEC 1000000000LL
static const int64_t T2025 = 1748736000LL * SEC;  /* 2025-06-01T00:00:00Z */
static const int64_t NB2024 = 1704067200LL;       /* 2024-01-01T00:00:00Z: www's notBefore */
static const int64_t NA2026 = 1767225600LL;       /* 2026-01-01T00:00:00Z: www's notAfter */

struct der {
	const uint8_t *p;
	size_t n;
};
#define DER(name) ((struct der){ name##_der, name##_der_len })

/* ---- a Certificate message builder (test code: plain buffer writes) ---- */

static uint8_t MSG[200000];

static size_t put24(uint8_t *p, size_t v)
{
	p[0] = (uint8_t)(v >> 16);
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)v;
	return 3;
}

/* type 11, length, [context], certificate_list; TLS 1.3 entries get ext_len bytes of extensions. */
static size_t build_ext(int tls13, const struct der *certs, size_t n, size_t ext_len)
{
	size_t o = 4, list_at;
	if (tls13)
		MSG[o++] = 0;
	list_at = o;
	o += 3;
	for (size_t i = 0; i < n; i++) {
		assert_true(o + 5 + certs[i].n + ext_len < sizeof(MSG));
		o += put24(MSG + o, certs[i].n);
		memcpy(MSG + o, certs[i].p, certs[i].n);
		o += certs[i].n;
		if (tls13) {
			MSG[o++] = (uint8_t)(ext_len >> 8);
			MSG[o++] = (uint8_t)ext_len;
			memset(MSG + o, 0x42, ext_len);
			o += ext_len;
		}
	}
	put24(MSG + list_at, o - list_at - 3);
	MSG[0] = 11;
	put24(MSG + 1, o - 4);
	return o;
}

static size_t build(int tls13, const struct der *certs, size_t n)
{
	return build_ext(tls13, certs, n, 0);
}

static struct tls_cert_chain CH;
static struct tls_cert_findings F;

/* Parse what build() made, with an SNI (NULL: none), and check at t. */
static int run(size_t len, int tls13, const char *sni, int64_t t)
{
	int rc = tls_cert_parse_chain(cur_make(MSG, len), tls13, sni, sni ? strlen(sni) : 0, &CH);
	tls_cert_check(&CH, t, &F);
	return rc;
}

static int chain(int tls13, const char *sni, int64_t t, const struct der *certs, size_t n)
{
	return run(build(tls13, certs, n), tls13, sni, t);
}

static const struct tls_cert_finding *finding(uint32_t flag)
{
	for (int i = 0; i < F.n; i++)
		if (F.items[i].flag == flag)
			return &F.items[i];
	return NULL;
}

/* ---- fields ---- */

static void test_fields_ec(void **state)
{
	(void)state;
	struct der c[] = { DER(www), DER(inter) };
	assert_int_equal(chain(0, "www.example.test", T2025, c, 2), TLS_CERT_OK);
	assert_int_equal(CH.status, TLS_CERT_OK);
	assert_null(CH.error);
	assert_int_equal(CH.n_certs, 2);
	assert_int_equal(CH.n_kept, 2);
	assert_int_equal(CH.n_checked, 2);

	const struct tls_cert_info *l = &CH.certs[0];
	assert_true(l->decoded);
	assert_int_equal(l->der_len, www_der_len);
	assert_string_equal(l->subject, "CN=www.example.test");
	assert_string_equal(l->issuer, "CN=Synack Test Intermediate CA,O=synack tests");
	assert_int_equal(l->n_sans, 2);
	assert_int_equal(l->sans_total, 2);
	assert_int_equal(l->sans[0].type, TLS_CERT_SAN_DNS);
	assert_string_equal(l->sans[0].name, "www.example.test");
	assert_string_equal(l->sans[1].name, "*.api.example.test");
	assert_false(l->san_invalid);
	assert_int_equal(l->cut, 0);
	assert_true(l->has_validity);
	assert_int_equal(l->not_before, NB2024);
	assert_int_equal(l->not_after, NA2026);
	assert_string_equal(l->not_before_str, "2024-01-01T00:00:00Z");
	assert_string_equal(l->not_after_str, "2026-01-01T00:00:00Z");
	assert_string_equal(l->sha256, www_sha256);
	assert_string_equal(l->key_type, "EC");
	assert_int_equal(l->key_bits, 256);
	assert_string_equal(l->curve, "P-256");
	assert_string_equal(l->sig_alg, "ecdsa-with-SHA256");
	assert_false(l->is_ca);
	assert_int_equal(strlen(l->serial), 4); /* make.sh's serials count from 0x1000 */

	const struct tls_cert_info *i = &CH.certs[1];
	assert_string_equal(i->subject, "CN=Synack Test Intermediate CA,O=synack tests");
	assert_string_equal(i->issuer, "CN=Synack Test Root CA,O=synack tests");
	assert_string_equal(i->sha256, inter_sha256);
	assert_true(i->is_ca);
	assert_int_equal(i->n_sans, 0);
	assert_string_equal(i->not_after_str, "2035-01-01T00:00:00Z");

	assert_int_equal(CH.links[0].issuer, 1);
	assert_int_equal(CH.links[1].issuer, -1);
	assert_true(CH.links[1].flags & TLS_CERT_L_CA);
	assert_false(CH.links[0].flags & TLS_CERT_L_SELF_SIGNED);
	assert_int_equal(CH.name, TLS_CERT_NAME_MATCH);
	/* A healthy chain: nothing to say. */
	assert_int_equal(F.flags, 0);
	assert_int_equal(F.n, 0);
}

static void test_fields_rsa_ip(void **state)
{
	(void)state;
	struct der c[] = { DER(rsa), DER(inter) };
	assert_int_equal(chain(0, "rsa.example.test", T2025, c, 2), TLS_CERT_OK);
	const struct tls_cert_info *l = &CH.certs[0];
	assert_string_equal(l->subject, "CN=rsa.example.test,O=synack tests");
	assert_string_equal(l->key_type, "RSA");
	assert_int_equal(l->key_bits, 2048);
	assert_string_equal(l->curve, "");
	assert_string_equal(l->sig_alg, "ecdsa-with-SHA256"); /* signed by the EC intermediate */
	assert_string_equal(l->sha256, rsa_sha256);
	/* The email SAN is neither kept nor counted. */
	assert_int_equal(l->sans_total, 3);
	assert_int_equal(l->n_sans, 3);
	assert_string_equal(l->sans[0].name, "rsa.example.test");
	assert_int_equal(l->sans[1].type, TLS_CERT_SAN_IP);
	assert_string_equal(l->sans[1].name, "192.0.2.10");
	assert_int_equal(l->sans[2].type, TLS_CERT_SAN_IP);
	assert_string_equal(l->sans[2].name, "2001:db8::10");
	assert_int_equal(CH.name, TLS_CERT_NAME_MATCH);
	assert_int_equal(F.flags, 0);

	/* An IP literal as SNI (RFC 6066 forbids it) is matched against the IP SANs. */
	chain(0, "192.0.2.10", T2025, c, 2);
	assert_int_equal(CH.name, TLS_CERT_NAME_IP_MATCH);
	assert_int_equal(F.flags, 0);
	chain(0, "2001:db8:0::10", T2025, c, 2);
	assert_int_equal(CH.name, TLS_CERT_NAME_IP_MATCH);
	chain(0, "192.0.2.11", T2025, c, 2);
	assert_int_equal(CH.name, TLS_CERT_NAME_IP_MISMATCH);
	assert_int_equal(F.flags, TLS_CERT_F_NAME_MISMATCH);
	assert_non_null(strstr(finding(TLS_CERT_F_NAME_MISMATCH)->text, "IP address"));
}

static void test_fields_ed25519(void **state)
{
	(void)state;
	struct der c[] = { DER(ed), DER(inter) };
	assert_int_equal(chain(0, "ed.example.test", T2025, c, 2), TLS_CERT_OK);
	assert_string_equal(CH.certs[0].key_type, "Ed25519");
	assert_int_equal(CH.certs[0].key_bits, 256); /* OpenSSL 3.0 says 256 (3.2: 253) */
	assert_string_equal(CH.certs[0].curve, "");
	assert_int_equal(F.flags, 0);
}

/* RFC 2253 escapes: ',' and '+' with a backslash, a leading '#', UTF-8 as \XX. */
static void test_name_escaping(void **state)
{
	(void)state;
	struct der c[] = { DER(odd), DER(inter) };
	assert_int_equal(chain(0, "odd.example.test", T2025, c, 2), TLS_CERT_OK);
	assert_string_equal(CH.certs[0].subject, "CN=odd.example.test,OU=\\#1,O=Z\\C3\\BCrich\\, Inc. \\+ Co");
	assert_int_equal(F.flags, 0);
}

/* A certificate made here: names that need cutting and escaping, more SANs than are kept. */
static size_t make_crafted(uint8_t **der, const char *cn)
{
	char o[1001], san[4096];
	size_t n = 0;
	EVP_PKEY *k = EVP_EC_gen("P-256");
	X509 *x = X509_new();
	X509_NAME *name = X509_NAME_new();
	X509_EXTENSION *ext;

	assert_non_null(k);
	memset(o, 'a', 1000);
	o[1000] = '\0';
	/* A string type, not MBSTRING_*: no upper bound on the length (RFC 5280's 64 for O). */
	assert_true(X509_NAME_add_entry_by_txt(name, "O", V_ASN1_UTF8STRING, (const unsigned char *)o, -1, -1, 0));
	assert_true(X509_NAME_add_entry_by_txt(name, "CN", V_ASN1_UTF8STRING,
					       (const unsigned char *)cn, -1, -1, 0));
	n = (size_t)snprintf(san, sizeof(san), "DNS:back\\slash.test");
	for (int i = 0; i < 18; i++)
		n += (size_t)snprintf(san + n, sizeof(san) - n, ",DNS:n%d.example.test", i);
	n += (size_t)snprintf(san + n, sizeof(san) - n, ",DNS:");
	memset(san + n, 'l', 200);
	san[n + 200] = '\0';
	assert_true(X509_set_version(x, 2));
	assert_true(ASN1_INTEGER_set(X509_get_serialNumber(x), 7));
	assert_true(X509_set_subject_name(x, name));
	assert_true(X509_set_issuer_name(x, name));
	assert_non_null(ASN1_TIME_set(X509_getm_notBefore(x), (time_t)NB2024));
	assert_non_null(ASN1_TIME_set(X509_getm_notAfter(x), (time_t)NA2026));
	assert_true(X509_set_pubkey(x, k));
	ext = X509V3_EXT_conf_nid(NULL, NULL, NID_subject_alt_name, san);
	assert_non_null(ext);
	assert_true(X509_add_ext(x, ext, -1));
	assert_true(X509_sign(x, k, EVP_sha256()) > 0);
	*der = NULL;
	int len = i2d_X509(x, der);
	assert_true(len > 0);
	X509_EXTENSION_free(ext);
	X509_NAME_free(name);
	X509_free(x);
	EVP_PKEY_free(k);
	return (size_t)len;
}

static void test_cuts_and_escapes(void **state)
{
	(void)state;
	uint8_t *d;
	size_t n = make_crafted(&d, "bad\nname\x7f\\x");
	struct der c[] = { { d, n } };

	assert_int_equal(chain(0, "n3.example.test", T2025, c, 1), TLS_CERT_OK);
	const struct tls_cert_info *l = &CH.certs[0];
	/* Controls and DEL escaped as \XX, the backslash as "\\"; the cut keeps escapes whole. */
	assert_memory_equal(l->subject, "CN=bad\\0Aname\\7F\\\\x,O=aaaa", 26);
	assert_int_equal(strlen(l->subject), TLS_CERT_NAME_LEN - 1);
	assert_string_equal(l->subject + TLS_CERT_NAME_LEN - 4, "...");
	assert_true(l->cut & TLS_CERT_CUT_SUBJECT);
	assert_true(l->cut & TLS_CERT_CUT_ISSUER);
	assert_int_equal(l->sans_total, 20);
	assert_int_equal(l->n_sans, TLS_CERT_MAX_SANS);
	assert_string_equal(l->sans[0].name, "back\\\\slash.test");
	assert_string_equal(l->sans[7].name, "n6.example.test");
	assert_false(l->cut & TLS_CERT_CUT_SAN); /* the long one is the 20th: not kept */
	assert_string_equal(l->serial, "07");
	/* Self-signed although its keyUsage is absent: and the name check sees all 20 SANs, not the 8 kept. */
	assert_true(CH.links[0].flags & TLS_CERT_L_SELF_SIGNED);
	assert_int_equal(CH.name, TLS_CERT_NAME_MATCH);
	chain(0, "n17.example.test", T2025, c, 1);
	assert_int_equal(CH.name, TLS_CERT_NAME_MATCH);
	assert_int_equal(F.flags, TLS_CERT_F_SELF_SIGNED);
	OPENSSL_free(d);
}

/* A UTF8String name that is not UTF-8: d2i_X509 itself refuses it (as OpenSSL-based clients do). */
static void test_bad_utf8_name(void **state)
{
	(void)state;
	uint8_t d[2048];
	memcpy(d, odd_der, odd_der_len);
	uint8_t *z = NULL;
	for (size_t i = 0; z == NULL && i + 7 <= odd_der_len; i++)
		if (memcmp(d + i, "Z\xc3\xbcrich", 7) == 0)
			z = d + i;
	assert_non_null(z);
	z[1] = 0xff;
	z[2] = 0xfe;
	struct der c[] = { { d, odd_der_len }, DER(inter) };
	assert_int_equal(chain(0, "odd.example.test", T2025, c, 2), TLS_CERT_OK);
	assert_false(CH.certs[0].decoded);
	assert_int_equal(F.flags, TLS_CERT_F_UNREADABLE);
}

/* ---- layouts ---- */

static void test_tls13_layout(void **state)
{
	(void)state;
	struct der c[] = { DER(www), DER(inter) };
	size_t len = build_ext(1, c, 2, 7);
	assert_int_equal(run(len, 1, "www.example.test", T2025), TLS_CERT_OK);
	assert_true(CH.tls13);
	assert_int_equal(CH.n_certs, 2);
	assert_string_equal(CH.certs[0].sha256, www_sha256);
	assert_string_equal(CH.certs[1].sha256, inter_sha256);
	assert_int_equal(CH.links[0].issuer, 1);
	assert_int_equal(F.flags, 0);

	/* A request context (a client's Certificate in answer to a CertificateRequest). */
	len = build(1, c, 2);
	memmove(MSG + 8, MSG + 5, len - 5);
	MSG[4] = 3;
	memcpy(MSG + 5, "abc", 3);
	put24(MSG + 1, len + 3 - 4);
	assert_int_equal(run(len + 3, 1, "www.example.test", T2025), TLS_CERT_OK);
	assert_int_equal(CH.context_len, 3);
	assert_int_equal(CH.n_certs, 2);

	/* The TLS 1.2 layout read as 1.3 is wrong bytes, not a crash. */
	len = build(0, c, 2);
	assert_int_not_equal(run(len, 1, "www.example.test", T2025), TLS_CERT_OK);
}

/* ---- checks ---- */

static void test_validity(void **state)
{
	(void)state;
	struct der e[] = { DER(expired), DER(inter) };
	struct der f[] = { DER(future), DER(inter) };
	struct der w[] = { DER(www), DER(inter) };
	const struct tls_cert_finding *it;

	chain(0, "expired.example.test", T2025, e, 2);
	assert_int_equal(F.flags, TLS_CERT_F_EXPIRED);
	it = finding(TLS_CERT_F_EXPIRED);
	assert_int_equal(it->cert, 0);
	assert_string_equal(it->text, "certificate 1 (the server's) expired at 2021-01-01T00:00:00Z, 1612 days before "
				      "the capture");

	chain(0, "future.example.test", T2025, f, 2);
	assert_int_equal(F.flags, TLS_CERT_F_NOT_YET_VALID);
	it = finding(TLS_CERT_F_NOT_YET_VALID);
	assert_non_null(strstr(it->text, "not valid before 2030-01-01T00:00:00Z, 1675 days after"));

	/* The capture time decides, never the clock; the window is inclusive to the second. */
	chain(0, "www.example.test", NA2026 * SEC + SEC - 1, w, 2);
	assert_int_equal(F.flags, 0);
	chain(0, "www.example.test", (NA2026 + 1) * SEC, w, 2);
	assert_int_equal(F.flags, TLS_CERT_F_EXPIRED);
	assert_non_null(strstr(finding(TLS_CERT_F_EXPIRED)->text, "1 second before"));
	chain(0, "www.example.test", NB2024 * SEC, w, 2);
	assert_int_equal(F.flags, 0);
	chain(0, "www.example.test", NB2024 * SEC - 1, w, 2);
	assert_int_equal(F.flags, TLS_CERT_F_NOT_YET_VALID);
	/* The intermediate too: in 2036 both have expired, one finding each. */
	chain(0, "www.example.test", 2082758400LL * SEC, w, 2);
	assert_int_equal(F.total, 2);
	assert_int_equal(F.items[0].cert, 0);
	assert_int_equal(F.items[1].cert, 1);
	assert_string_equal(F.items[1].text, "certificate 2 expired at 2035-01-01T00:00:00Z, 365 days before the capture");
}

static uint8_t name_of(const char *sni)
{
	struct der c[] = { DER(www), DER(inter) };
	chain(0, sni, T2025, c, 2);
	return CH.name;
}

static void test_sni(void **state)
{
	(void)state;
	assert_int_equal(name_of("www.example.test"), TLS_CERT_NAME_MATCH);
	assert_int_equal(name_of("WWW.Example.TEST"), TLS_CERT_NAME_MATCH);
	/* *.api.example.test: exactly one label. */
	assert_int_equal(name_of("x.api.example.test"), TLS_CERT_NAME_MATCH);
	assert_int_equal(name_of("a.b.api.example.test"), TLS_CERT_NAME_MISMATCH);
	assert_int_equal(name_of("api.example.test"), TLS_CERT_NAME_MISMATCH);
	assert_int_equal(name_of("example.test"), TLS_CERT_NAME_MISMATCH);
	assert_int_equal(name_of("www.example.test.evil"), TLS_CERT_NAME_MISMATCH);
	assert_int_equal(F.flags, TLS_CERT_F_NAME_MISMATCH);
	/* The texts never quote the SNI or a certificate name (--redact). */
	assert_null(strstr(F.items[0].text, "example"));

	assert_int_equal(name_of(NULL), TLS_CERT_NAME_NOT_CHECKED);
	assert_int_equal(F.flags, TLS_CERT_F_NO_SNI);
	struct der c[] = { DER(www), DER(inter) };
	size_t len = build(0, c, 2);
	tls_cert_parse_chain(cur_make(MSG, len), 0, "www.example.test\0x", 18, &CH);
	assert_int_equal(CH.name, TLS_CERT_NAME_BAD_SNI);
	tls_cert_parse_chain(cur_make(MSG, len), 0, "www.example.test", 0, &CH);
	assert_int_equal(CH.name, TLS_CERT_NAME_NOT_CHECKED);
	char big[300];
	memset(big, 'a', sizeof(big));
	tls_cert_parse_chain(cur_make(MSG, len), 0, big, sizeof(big), &CH);
	assert_int_equal(CH.name, TLS_CERT_NAME_BAD_SNI);
	tls_cert_check(&CH, T2025, &F);
	assert_int_equal(F.flags, TLS_CERT_F_NO_SNI);
}

/* No SAN at all: the CN matches as a legacy fallback, reported apart. */
static void test_cn_only(void **state)
{
	(void)state;
	struct der c[] = { DER(cnonly), DER(inter) };
	chain(0, "cn-only.example.test", T2025, c, 2);
	assert_int_equal(CH.certs[0].n_sans, 0);
	assert_int_equal(CH.name, TLS_CERT_NAME_MATCH_CN_ONLY);
	assert_int_equal(F.flags, TLS_CERT_F_NAME_CN_ONLY);
	chain(0, "other.example.test", T2025, c, 2);
	assert_int_equal(CH.name, TLS_CERT_NAME_MISMATCH);
	/* With DNS SANs the CN is never consulted: www's CN is in its SANs, so use rsa's O... */
	struct der r[] = { DER(rsa), DER(inter) };
	chain(0, "synack tests", T2025, r, 2);
	assert_int_equal(CH.name, TLS_CERT_NAME_MISMATCH);
}

static void test_self_signed(void **state)
{
	(void)state;
	struct der s[] = { DER(self) };
	chain(0, "self.example.test", T2025, s, 1);
	assert_true(CH.links[0].flags & TLS_CERT_L_SELF_SIGNED);
	assert_int_equal(CH.name, TLS_CERT_NAME_MATCH);
	/* Self-signed, not "incomplete". */
	assert_int_equal(F.flags, TLS_CERT_F_SELF_SIGNED);
	assert_int_equal(F.n, 1);
	assert_int_equal(F.items[0].cert, 0);

	struct der r[] = { DER(root) };
	chain(0, NULL, T2025, r, 1);
	assert_true(CH.links[0].flags & TLS_CERT_L_SELF_SIGNED);
	assert_true(CH.links[0].flags & TLS_CERT_L_CA);
}

/* A leaf with certificatePolicies oid (made here: EC key, signed by itself, issuer name other
 * than its subject so that it is not self-signed), DER in out (caller frees). */
static size_t policy_leaf(const char *oid, uint8_t **out)
{
	EVP_PKEY *k = EVP_EC_gen("P-256");
	X509 *x = X509_new();
	CERTIFICATEPOLICIES *cp = sk_POLICYINFO_new_null();
	POLICYINFO *pi = POLICYINFO_new();
	int len;

	assert_non_null(k);
	assert_non_null(x);
	assert_non_null(cp);
	assert_non_null(pi);
	pi->policyid = OBJ_txt2obj(oid, 1);
	assert_non_null(pi->policyid);
	assert_true(sk_POLICYINFO_push(cp, pi) > 0);
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 7);
	X509_NAME_add_entry_by_txt(X509_get_subject_name(x), "CN", MBSTRING_ASC,
				   (const unsigned char *)"www.example.test", -1, -1, 0);
	X509_NAME_add_entry_by_txt(X509_get_issuer_name(x), "CN", MBSTRING_ASC,
				   (const unsigned char *)"Some Public CA R3", -1, -1, 0);
	X509_gmtime_adj(X509_getm_notBefore(x), -86400);
	X509_gmtime_adj(X509_getm_notAfter(x), 86400L * 365 * 30);
	X509_set_pubkey(x, k);
	assert_true(X509_add1_ext_i2d(x, NID_certificate_policies, cp, 0, X509V3_ADD_DEFAULT) == 1);
	assert_true(X509_sign(x, k, EVP_sha256()) > 0);
	*out = NULL;
	len = i2d_X509(x, out);
	assert_true(len > 0);
	CERTIFICATEPOLICIES_free(cp);
	X509_free(x);
	EVP_PKEY_free(k);
	return (size_t)len;
}

/* Public PKI issues server certificates from intermediates only: a public-policy leaf sent
 * alone misses one (a problem); a private leaf sent alone is a note. */
static void test_chain_private_or_public(void **state)
{
	(void)state;
	uint8_t *der;
	size_t n = policy_leaf("2.23.140.1.2.1", &der);
	struct der pub[] = { { der, n } };

	chain(0, NULL, (int64_t)time(NULL) * 1000000000, pub, 1);
	assert_true(CH.links[0].flags & TLS_CERT_L_PUBLIC);
	assert_true(F.flags & TLS_CERT_F_INCOMPLETE);
	assert_false(F.flags & TLS_CERT_F_PRIVATE_CA);
	assert_non_null(strstr(finding(TLS_CERT_F_INCOMPLETE)->text, "an intermediate is missing"));
	OPENSSL_free(der);

	/* another policy (an enterprise OID): private */
	n = policy_leaf("1.3.6.1.4.1.55555.1.1", &der);
	struct der priv[] = { { der, n } };
	chain(0, NULL, (int64_t)time(NULL) * 1000000000, priv, 1);
	assert_false(CH.links[0].flags & TLS_CERT_L_PUBLIC);
	assert_true(F.flags & TLS_CERT_F_PRIVATE_CA);
	assert_false(F.flags & TLS_CERT_F_INCOMPLETE);
	OPENSSL_free(der);
}

static void test_chain_order(void **state)
{
	(void)state;
	const char *sni = "www.example.test";

	struct der ok[] = { DER(www), DER(inter) };
	chain(0, sni, T2025, ok, 2);
	assert_int_equal(F.flags, 0);

	/* The root sent too: harmless, a note. */
	struct der full[] = { DER(www), DER(inter), DER(root) };
	chain(0, sni, T2025, full, 3);
	assert_int_equal(F.flags, TLS_CERT_F_ROOT_SENT);
	assert_int_equal(F.flags & TLS_CERT_F_PROBLEMS, 0);
	assert_int_equal(finding(TLS_CERT_F_ROOT_SENT)->cert, 2);

	/* Intermediate first: the client takes it for the server's certificate. */
	struct der swapped[] = { DER(inter), DER(www) };
	chain(0, sni, T2025, swapped, 2);
	assert_true(F.flags & TLS_CERT_F_ORDER);
	assert_true(F.flags & TLS_CERT_F_NAME_MISMATCH);
	assert_false(F.flags & TLS_CERT_F_INCOMPLETE);
	assert_string_equal(finding(TLS_CERT_F_ORDER)->text, "certificate 1 is a CA certificate and certificate 2 was "
							     "issued by it: the server's own certificate must come first");

	/* Leaf alone, from a private CA (no CA/Browser Forum policy): a note, not a problem (its
	 * issuer may be the root the clients hold). */
	struct der alone[] = { DER(www) };
	chain(0, sni, T2025, alone, 1);
	assert_int_equal(F.flags, TLS_CERT_F_PRIVATE_CA);
	assert_int_equal(F.flags & TLS_CERT_F_PROBLEMS, 0);
	assert_int_equal(CH.links[0].issuer, -1);
	assert_false(CH.links[0].flags & TLS_CERT_L_PUBLIC);

	/* Leaf and root, no intermediate: incomplete, and the root is off the chain. */
	struct der skip[] = { DER(www), DER(root) };
	chain(0, sni, T2025, skip, 2);
	assert_int_equal(F.flags, TLS_CERT_F_INCOMPLETE | TLS_CERT_F_EXTRA);
	assert_non_null(strstr(finding(TLS_CERT_F_INCOMPLETE)->text, "certificate 2 is not its issuer"));

	/* Root before intermediate. */
	struct der wrong[] = { DER(www), DER(root), DER(inter) };
	chain(0, sni, T2025, wrong, 3);
	assert_int_equal(F.flags, TLS_CERT_F_UNORDERED | TLS_CERT_F_ROOT_SENT);
	assert_int_equal(F.flags & TLS_CERT_F_PROBLEMS, 0);
	assert_int_equal(CH.links[0].issuer, 2);
	assert_int_equal(CH.links[2].issuer, 1);
	assert_string_equal(finding(TLS_CERT_F_UNORDERED)->text, "certificate 1 is not followed by its issuer "
								 "(certificate 3 is): TLS 1.2 forbids that, strict older "
								 "clients refuse it, current ones reorder");
	chain(1, sni, T2025, wrong, 3);
	assert_non_null(strstr(finding(TLS_CERT_F_UNORDERED)->text, "TLS 1.3 clients accept that"));

	/* An unrelated certificate after a complete chain. */
	struct der more[] = { DER(www), DER(inter), DER(rsa) };
	chain(0, sni, T2025, more, 3);
	assert_int_equal(F.flags, TLS_CERT_F_EXTRA);
	assert_int_equal(finding(TLS_CERT_F_EXTRA)->cert, 2);
}

/* The right name in the next certificate, the wrong key: another version of the intermediate. */
static void test_issuer_key(void **state)
{
	(void)state;
	/* With key identifiers: X509_check_issued tells (AKID/SKID mismatch). */
	struct der a[] = { DER(www), DER(rekeyed) };
	chain(0, "www.example.test", T2025, a, 2);
	assert_true(CH.links[0].flags & TLS_CERT_L_ISSUER_KEY);
	assert_int_equal(F.flags, TLS_CERT_F_ISSUER_KEY);
	assert_int_equal(finding(TLS_CERT_F_ISSUER_KEY)->cert, 0);
	/* Without: the signature tells. */
	struct der b[] = { DER(noakid), DER(rekeyed) };
	chain(0, "noakid.example.test", T2025, b, 2);
	assert_int_equal(CH.links[0].issuer, -1);
	assert_int_equal(F.flags, TLS_CERT_F_ISSUER_KEY);
	struct der g[] = { DER(noakid), DER(inter) };
	chain(0, "noakid.example.test", T2025, g, 2);
	assert_int_equal(CH.links[0].issuer, 1);
	assert_int_equal(F.flags, 0);
	/* The right one sent after the wrong one: an order problem, not a key one. */
	struct der h[] = { DER(noakid), DER(rekeyed), DER(inter) };
	chain(0, "noakid.example.test", T2025, h, 3);
	assert_int_equal(CH.links[0].issuer, 2);
	assert_int_equal(F.flags, TLS_CERT_F_UNORDERED | TLS_CERT_F_EXTRA);
}

/* ---- hostile and cut messages ---- */

static void test_limits(void **state)
{
	(void)state;
	struct der many[TLS_CERT_MAX_CHECKED + 4];
	for (size_t i = 0; i < N(many); i++)
		many[i] = i % 2 ? DER(inter) : DER(www);
	assert_int_equal(chain(0, "www.example.test", T2025, many, TLS_CERT_MAX_CHECKED), TLS_CERT_OK);
	assert_false(F.flags & TLS_CERT_F_NOT_CHECKED);
	assert_int_equal(chain(0, "www.example.test", T2025, many, N(many)), TLS_CERT_OK);
	assert_int_equal(CH.n_certs, N(many));
	assert_int_equal(CH.n_checked, TLS_CERT_MAX_CHECKED);
	assert_int_equal(CH.n_kept, TLS_CERT_MAX_KEPT);
	/* what was not checked may hide anything: a problem, and the first finding */
	assert_int_equal(F.flags & TLS_CERT_F_PROBLEMS, TLS_CERT_F_NOT_CHECKED);
	assert_int_equal(F.items[0].flag, TLS_CERT_F_NOT_CHECKED);
	assert_non_null(strstr(F.items[0].text, "more than synack checks"));

	/* Too large to decode: counted and said, not called invalid. */
	static uint8_t big[TLS_CERT_MAX_DER + 1];
	memset(big, 0x30, sizeof(big));
	struct der c[] = { DER(www), { big, sizeof(big) } };
	assert_int_equal(chain(0, "www.example.test", T2025, c, 2), TLS_CERT_OK);
	assert_true(CH.links[1].flags & TLS_CERT_L_TOO_LARGE);
	assert_false(CH.certs[1].decoded);
	assert_int_equal(CH.certs[1].der_len, sizeof(big));
	assert_int_equal(F.flags, TLS_CERT_F_NOT_CHECKED);
	assert_int_equal(F.items[0].cert, 1);
}

static void test_unreadable(void **state)
{
	(void)state;
	static const uint8_t junk[] = "hello, world";
	struct der c[] = { { junk, sizeof(junk) }, DER(inter) };
	assert_int_equal(chain(0, "www.example.test", T2025, c, 2), TLS_CERT_OK);
	assert_false(CH.certs[0].decoded);
	assert_int_equal(CH.certs[0].der_len, sizeof(junk));
	assert_int_equal(CH.name, TLS_CERT_NAME_UNREADABLE);
	assert_int_equal(F.flags, TLS_CERT_F_UNREADABLE);
	assert_string_equal(F.items[0].text, "certificate 1 (the server's) is not a valid X.509 certificate");

	/* DER followed by a stray byte: what OpenSSL's TLS stack refuses too. */
	uint8_t padded[2048];
	memcpy(padded, www_der, www_der_len);
	padded[www_der_len] = 0;
	struct der p[] = { { padded, www_der_len + 1 }, DER(inter) };
	chain(0, "www.example.test", T2025, p, 2);
	assert_int_equal(F.flags, TLS_CERT_F_UNREADABLE);

	/* An unreadable intermediate: the leaf's issuer may be it, so no "incomplete". */
	struct der q[] = { DER(www), { junk, sizeof(junk) } };
	chain(0, "www.example.test", T2025, q, 2);
	assert_int_equal(F.flags, TLS_CERT_F_UNREADABLE);
	assert_int_equal(F.items[0].cert, 1);
}

static void test_invalid(void **state)
{
	(void)state;
	struct der c[] = { DER(www), DER(inter) };
	size_t len = build(0, c, 2);

	/* Bytes past the declared length are the next message's. */
	MSG[len] = 0xee;
	assert_int_equal(run(len + 1, 0, NULL, T2025), TLS_CERT_OK);
	assert_int_equal(CH.n_certs, 2);

	/* Not a Certificate. */
	MSG[0] = 2;
	assert_int_equal(run(len, 0, NULL, T2025), TLS_CERT_INVALID);
	assert_string_equal(CH.error, "handshake type");
	assert_true(F.flags & TLS_CERT_F_MALFORMED);
	MSG[0] = 11;

	/* The list says more than the (complete) message holds. */
	put24(MSG + 4, len - 7 + 1);
	assert_int_equal(run(len, 0, NULL, T2025), TLS_CERT_INVALID);
	assert_string_equal(CH.error, "certificate_list length");

	/* The list says less: bytes after it. Both certificates still read. */
	len = build(0, c, 2);
	put24(MSG + 1, len - 4 + 2);
	MSG[len] = MSG[len + 1] = 0;
	assert_int_equal(run(len + 2, 0, "www.example.test", T2025), TLS_CERT_INVALID);
	assert_string_equal(CH.error, "bytes after certificate_list");
	assert_int_equal(CH.n_certs, 2);
	assert_int_equal(F.flags, TLS_CERT_F_MALFORMED);

	/* An entry overrunning the (complete) list. */
	len = build(0, c, 2);
	put24(MSG + 7, www_der_len + 1);
	assert_int_equal(run(len, 0, NULL, T2025), TLS_CERT_INVALID);

	/* The second entry's length overruns: the first is still read. */
	len = build(0, c, 2);
	put24(MSG + 10 + www_der_len, inter_der_len + 1);
	assert_int_equal(run(len, 0, "www.example.test", T2025), TLS_CERT_INVALID);
	assert_int_equal(CH.n_certs, 1);
	assert_string_equal(CH.certs[0].sha256, www_sha256);
	assert_int_equal(F.flags, TLS_CERT_F_MALFORMED);

	/* An empty entry. */
	static const uint8_t empty_entry[] = { 11, 0, 0, 6, 0, 0, 3, 0, 0, 0 };
	memcpy(MSG, empty_entry, sizeof(empty_entry));
	assert_int_equal(run(sizeof(empty_entry), 0, NULL, T2025), TLS_CERT_INVALID);
	assert_string_equal(CH.error, "empty certificate");

	/* A list of 2 bytes cannot hold an entry header. */
	static const uint8_t two[] = { 11, 0, 0, 5, 0, 0, 2, 0, 1 };
	memcpy(MSG, two, sizeof(two));
	assert_int_equal(run(sizeof(two), 0, NULL, T2025), TLS_CERT_INVALID);

	/* An empty list: well-formed, and a problem from a server. */
	static const uint8_t none[] = { 11, 0, 0, 3, 0, 0, 0 };
	memcpy(MSG, none, sizeof(none));
	assert_int_equal(run(sizeof(none), 0, NULL, T2025), TLS_CERT_OK);
	assert_int_equal(CH.n_certs, 0);
	assert_int_equal(F.flags, TLS_CERT_F_EMPTY);
	static const uint8_t none13[] = { 11, 0, 0, 4, 0, 0, 0, 0 };
	memcpy(MSG, none13, sizeof(none13));
	assert_int_equal(run(sizeof(none13), 1, NULL, T2025), TLS_CERT_OK);
	assert_int_equal(F.flags, TLS_CERT_F_EMPTY);
}

static void truncations(int tls13)
{
	struct der c[] = { DER(www), DER(inter), DER(root) };
	size_t len = build_ext(tls13, c, 3, tls13 ? 5 : 0);
	size_t end0 = 4 + (size_t)tls13 + 3 + 3 + www_der_len; /* where the first certificate ends */
	size_t end1 = end0 + (tls13 ? 7 : 0) + 3 + inter_der_len;
	size_t end2 = end1 + (tls13 ? 7 : 0) + 3 + root_der_len; /* (TLS 1.3: its extensions follow) */
	uint8_t *copy = malloc(len);

	assert_non_null(copy);
	assert_int_equal(run(len, tls13, "www.example.test", T2025), TLS_CERT_OK);
	for (size_t cut = 0; cut < len; cut++) {
		/* An exact-size heap copy, so ASan sees any read past the cut. */
		memcpy(copy, MSG, cut);
		int rc = tls_cert_parse_chain(cur_make(copy, cut), tls13, "www.example.test", 16, &CH);
		tls_cert_check(&CH, T2025, &F);
		assert_int_equal(rc, TLS_CERT_TRUNCATED);
		assert_null(CH.error);
		assert_int_equal(CH.n_certs, cut >= end2 ? 3 : cut >= end1 ? 2 : cut >= end0 ? 1 : 0);
		assert_true(F.flags & TLS_CERT_F_NOT_CHECKED);
		assert_int_equal(F.items[0].flag, TLS_CERT_F_NOT_CHECKED);
		assert_int_equal(CH.captured_len, cut);
		assert_int_equal(CH.declared_len, cut >= 4 ? len : 0);
		if (CH.n_certs >= 1) {
			assert_string_equal(CH.certs[0].sha256, www_sha256);
			assert_int_equal(CH.name, TLS_CERT_NAME_MATCH);
		}
		/* A cut chain is not called incomplete: the issuer may be in what was not captured. */
		if (CH.n_certs == 1)
			assert_false(F.flags & TLS_CERT_F_INCOMPLETE);
	}
	free(copy);
}

static void test_truncation_every_byte(void **state)
{
	(void)state;
	truncations(0);
	truncations(1);
}

static void test_flip_every_byte(void **state)
{
	(void)state;
	struct der c[] = { DER(rsa), DER(inter) };
	static const uint8_t masks[] = { 0x01, 0x80, 0xff };
	for (int tls13 = 0; tls13 < 2; tls13++) {
		size_t len = build_ext(tls13, c, 2, tls13 ? 2 : 0);
		uint8_t *copy = malloc(len);
		assert_non_null(copy);
		for (size_t i = 0; i < len; i++) {
			for (size_t m = 0; m < N(masks); m++) {
				memcpy(copy, MSG, len);
				copy[i] ^= masks[m];
				int rc = tls_cert_parse_chain(cur_make(copy, len), tls13, "rsa.example.test", 16, &CH);
				tls_cert_check(&CH, T2025, &F);
				assert_true(rc >= TLS_CERT_OK && rc <= TLS_CERT_INVALID);
				assert_true((rc == TLS_CERT_INVALID) == (CH.error != NULL));
				assert_true(F.n <= TLS_CERT_MAX_FINDINGS);
				for (int k = 0; k < CH.n_kept; k++) {
					assert_true(strlen(CH.certs[k].subject) < TLS_CERT_NAME_LEN);
					for (const char *s = CH.certs[k].subject; *s; s++)
						assert_true(*s >= 0x20 && *s <= 0x7e);
				}
			}
		}
		free(copy);
	}
}

/* ---- the cache: each caller holds its own reference ---- */

/* A chain from the cache stays whole while its holder keeps it, whatever the cache parses
 * and replaces meanwhile, and after the cache is cleared (under ASan: no use after free,
 * and nothing left over). */
static void test_cache_ownership(void **state)
{
	(void)state;
	static struct tls_cert_chain want;
	struct der c[] = { DER(www), DER(inter) };
	size_t len = build(0, c, N(c));
	uint8_t *msg = malloc(len);
	assert_non_null(msg);
	memcpy(msg, MSG, len);
	const char *sni = "www.example.test";

	const struct tls_cert_chain *a = tls_cert_parse_cached(msg, len, 0, sni, strlen(sni));
	assert_non_null(a);
	assert_int_equal(a->status, TLS_CERT_OK);
	assert_int_equal(a->name, TLS_CERT_NAME_MATCH);
	want = *a;
	/* a hit shares the chain */
	const struct tls_cert_chain *b = tls_cert_parse_cached(msg, len, 0, sni, strlen(sni));
	assert_ptr_equal(b, a);
	tls_cert_chain_release(b);

	/* Many other parses (another SNI: another key, another result) replace every entry. */
	const struct tls_cert_chain *kept = NULL;
	for (int i = 0; i < 40; i++) {
		char other[32];
		snprintf(other, sizeof(other), "host%d.example.org", i);
		const struct tls_cert_chain *o = tls_cert_parse_cached(msg, len, 0, other, strlen(other));
		assert_non_null(o);
		assert_int_equal(o->name, TLS_CERT_NAME_MISMATCH);
		if (i == 20)
			kept = o;
		else
			tls_cert_chain_release(o);
	}
	assert_memory_equal(a, &want, sizeof(want));
	assert_string_equal(a->certs[0].subject, want.certs[0].subject);
	assert_int_equal(a->name, TLS_CERT_NAME_MATCH);

	/* A is no longer in the cache: a new parse, equal, elsewhere. */
	const struct tls_cert_chain *a2 = tls_cert_parse_cached(msg, len, 0, sni, strlen(sni));
	assert_non_null(a2);
	assert_ptr_not_equal(a2, a);
	assert_memory_equal(a2, &want, sizeof(want));
	tls_cert_chain_release(a2);

	/* The cache gives up its references: what is held stays. */
	tls_cert_cache_clear();
	assert_memory_equal(a, &want, sizeof(want));
	assert_int_equal(kept->name, TLS_CERT_NAME_MISMATCH);
	assert_int_equal(kept->n_certs, 2);
	tls_cert_chain_release(kept);
	tls_cert_chain_release(a);
	tls_cert_chain_release(NULL);

	/* After a clear the cache works as before. */
	a = tls_cert_parse_cached(msg, len, 0, sni, strlen(sni));
	assert_non_null(a);
	assert_memory_equal(a, &want, sizeof(want));
	tls_cert_chain_release(a);
	tls_cert_cache_clear();
	free(msg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fields_ec),
		cmocka_unit_test(test_fields_rsa_ip),
		cmocka_unit_test(test_fields_ed25519),
		cmocka_unit_test(test_name_escaping),
		cmocka_unit_test(test_cuts_and_escapes),
		cmocka_unit_test(test_bad_utf8_name),
		cmocka_unit_test(test_tls13_layout),
		cmocka_unit_test(test_validity),
		cmocka_unit_test(test_sni),
		cmocka_unit_test(test_cn_only),
		cmocka_unit_test(test_self_signed),
		cmocka_unit_test(test_chain_order),
		cmocka_unit_test(test_chain_private_or_public),
		cmocka_unit_test(test_issuer_key),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_unreadable),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_truncation_every_byte),
		cmocka_unit_test(test_flip_every_byte),
		cmocka_unit_test(test_cache_ownership),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
