/* tls_cert.c: Certificate message framing, X.509 fields and chain facts through libcrypto, and a cache of parses. */
#include "tls_cert.h"
#include "bounds.h"
#include "hash.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#define HS_CERTIFICATE 11

/* ---- framing: a cursor over captured bytes plus how many declared bytes were not captured ---- */

struct span {
	struct cursor c;
	size_t missing;
};

/* A read of n bytes that did not fit: cut by the capture if the declared bytes had room for it. */
static int short_read(const struct span *s, size_t n)
{
	return n <= cur_len(&s->c) + s->missing ? TLS_CERT_TRUNCATED : TLS_CERT_INVALID;
}

/* A big-endian integer of width bytes; *rc set on failure. */
static int sp_uint(struct span *s, size_t width, uint32_t *v, int *rc)
{
	struct cursor b;
	if (!cur_get_bytes(&s->c, &b, width)) {
		*rc = short_read(s, width);
		return 0;
	}
	*v = 0;
	for (size_t i = 0; i < width; i++)
		*v = *v << 8 | b.p[i];
	return 1;
}

/* A block of n declared bytes: whatever of it was captured, and how much was not. */
static int sp_block(struct span *s, size_t n, struct span *out, int *rc)
{
	size_t have = cur_len(&s->c);
	if (n > have + s->missing) {
		*rc = TLS_CERT_INVALID;
		return 0;
	}
	if (n <= have) {
		cur_get_bytes(&s->c, &out->c, n);
		out->missing = 0;
	} else {
		cur_get_bytes(&s->c, &out->c, have);
		out->missing = n - have;
		s->missing -= n - have;
	}
	return 1;
}

/* rc, naming field as the fault when the bytes are wrong (not merely cut). */
static int fail(struct tls_cert_chain *out, int rc, const char *field)
{
	if (rc == TLS_CERT_INVALID)
		out->error = field;
	return rc;
}

/* The entries of the certificate_list; der[] gets the first TLS_CERT_MAX_CHECKED. */
static int frame_list(struct span *list, int tls13, struct tls_cert_chain *out, struct cursor *der)
{
	int rc = TLS_CERT_OK;

	while (cur_len(&list->c) + list->missing > 0) {
		struct span cert, ext;
		uint32_t n;

		if (!sp_uint(list, 3, &n, &rc) || (n != 0 && !sp_block(list, n, &cert, &rc)))
			return fail(out, rc, "certificate length");
		if (n == 0)
			return fail(out, TLS_CERT_INVALID, "empty certificate");
		if (cert.missing)
			return TLS_CERT_TRUNCATED;
		if (out->n_certs < TLS_CERT_MAX_CHECKED)
			der[out->n_certs] = cert.c;
		out->n_certs++;
		if (tls13) {
			if (!sp_uint(list, 2, &n, &rc) || !sp_block(list, n, &ext, &rc))
				return fail(out, rc, "certificate entry extensions length");
			if (ext.missing)
				return TLS_CERT_TRUNCATED;
		}
	}
	return TLS_CERT_OK;
}

static int frame(struct cursor msg, int tls13, struct tls_cert_chain *out, struct cursor *der)
{
	struct span m = { msg, 0 }, body, ctx, list;
	uint32_t type, len, n;
	int rc = TLS_CERT_OK;

	out->captured_len = (uint32_t)(cur_len(&msg) < UINT32_MAX ? cur_len(&msg) : UINT32_MAX);
	if (cur_len(&msg) < 4)
		return TLS_CERT_TRUNCATED;
	sp_uint(&m, 1, &type, &rc);
	sp_uint(&m, 3, &len, &rc);
	out->declared_len = 4 + len;
	if (type != HS_CERTIFICATE)
		return fail(out, TLS_CERT_INVALID, "handshake type");
	/* Bytes past the declared length are the next message's. */
	body.c = m.c;
	cur_truncate(&body.c, len);
	body.missing = len - cur_len(&body.c);
	if (tls13) {
		if (!sp_uint(&body, 1, &n, &rc) || !sp_block(&body, n, &ctx, &rc))
			return fail(out, rc, "certificate_request_context length");
		out->context_len = (uint8_t)n;
		if (ctx.missing)
			return TLS_CERT_TRUNCATED;
	}
	if (!sp_uint(&body, 3, &n, &rc) || !sp_block(&body, n, &list, &rc))
		return fail(out, rc, "certificate_list length");
	rc = frame_list(&list, tls13, out, der);
	if (rc == TLS_CERT_OK && cur_len(&body.c) + body.missing > 0)
		return fail(out, TLS_CERT_INVALID, "bytes after certificate_list");
	return rc;
}

/* ---- strings: printable ASCII, cut on an escape boundary ---- */

static int is_hex(uint8_t ch)
{
	return (ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'F') || (ch >= 'a' && ch <= 'f');
}

/*
 * The next output token of src at *i: a byte outside 0x20..0x7e becomes
 * "\XX" (OpenSSL escapes them already; this is the guarantee), and an escape
 * OpenSSL wrote ("\," or "\C3") stays whole. Writes it to tok, returns its length.
 */
static size_t next_token(const uint8_t *src, size_t n, size_t *i, char tok[4])
{
	static const char hexdig[] = "0123456789ABCDEF";
	uint8_t ch = src[*i];
	size_t len = 1;

	if (ch < 0x20 || ch > 0x7e) {
		tok[0] = '\\';
		tok[1] = hexdig[ch >> 4];
		tok[2] = hexdig[ch & 15];
		*i += 1;
		return 3;
	}
	tok[0] = (char)ch;
	if (ch == '\\' && *i + 1 < n && src[*i + 1] >= 0x20 && src[*i + 1] <= 0x7e) {
		tok[len++] = (char)src[*i + 1];
		if (*i + 2 < n && is_hex(src[*i + 1]) && is_hex(src[*i + 2]))
			tok[len++] = (char)src[*i + 2];
	}
	*i += len;
	return len;
}

/* Copy src into dst[cap] as printable ASCII; 1 if it had to be cut (then it ends in "..."). */
static int copy_printable(char *dst, size_t cap, const uint8_t *src, size_t n)
{
	size_t total = 0, o = 0, i = 0, len;
	char tok[4];

	for (i = 0; i < n && total <= cap - 1; total += len)
		len = next_token(src, n, &i, tok);
	int cut = total > cap - 1;
	size_t room = cut ? cap - 4 : cap - 1;
	for (i = 0; i < n;) {
		len = next_token(src, n, &i, tok);
		if (o + len > room)
			break;
		memcpy(dst + o, tok, len);
		o += len;
	}
	if (cut) {
		memcpy(dst + o, "...", 3);
		o += 3;
	}
	dst[o] = '\0';
	return cut;
}

/* What a memory BIO holds, into dst. */
static int bio_take(BIO *bio, char *dst, size_t cap)
{
	char *p = NULL;
	long n = BIO_get_mem_data(bio, &p);
	int cut = copy_printable(dst, cap, (const uint8_t *)p, n > 0 ? (size_t)n : 0);
	(void)BIO_reset(bio);
	return cut;
}

/*
 * RFC 2253 one-line (most specific RDN first), control bytes and bytes >= 0x80
 * escaped. Should OpenSSL fail to convert a string (d2i_X509 already refuses
 * a UTF8String that is not UTF-8), it is printed again byte by byte.
 */
static int print_name(BIO *bio, const X509_NAME *name, char *dst, size_t cap)
{
	const unsigned long raw = (XN_FLAG_RFC2253 & ~(unsigned long)ASN1_STRFLGS_UTF8_CONVERT) |
				  ASN1_STRFLGS_IGNORE_TYPE;
	if (name == NULL) {
		dst[0] = '\0';
		return 0;
	}
	if (X509_NAME_print_ex(bio, name, 0, XN_FLAG_RFC2253) < 0) {
		(void)BIO_reset(bio);
		if (X509_NAME_print_ex(bio, name, 0, raw) < 0)
			(void)BIO_reset(bio);
	}
	return bio_take(bio, dst, cap);
}

/* ---- fields ---- */

static void hex_lower(char *dst, const uint8_t *p, size_t n)
{
	static const char hexdig[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		dst[2 * i] = hexdig[p[i] >> 4];
		dst[2 * i + 1] = hexdig[p[i] & 15];
	}
	dst[2 * n] = '\0';
}

static void get_sans(BIO *bio, X509 *x, struct tls_cert_info *info)
{
	const unsigned long esc = ASN1_STRFLGS_ESC_CTRL | ASN1_STRFLGS_ESC_MSB | ASN1_STRFLGS_IGNORE_TYPE;
	int crit = 0;
	GENERAL_NAMES *gens = X509_get_ext_d2i(x, NID_subject_alt_name, &crit, NULL);

	if (gens == NULL) {
		info->san_invalid = crit != -1; /* -2: two of them; >= 0: one that did not decode */
		return;
	}
	for (int i = 0; i < sk_GENERAL_NAME_num(gens); i++) {
		const GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, i);
		struct tls_cert_san *san = &info->sans[info->n_sans];
		if (g->type != GEN_DNS && g->type != GEN_IPADD)
			continue;
		if (info->sans_total < UINT16_MAX)
			info->sans_total++;
		if (info->n_sans >= TLS_CERT_MAX_SANS)
			continue;
		info->n_sans++;
		if (g->type == GEN_DNS) {
			san->type = TLS_CERT_SAN_DNS;
			if (ASN1_STRING_print_ex(bio, g->d.dNSName, esc) < 0)
				(void)BIO_reset(bio);
			if (bio_take(bio, san->name, sizeof(san->name)))
				info->cut |= TLS_CERT_CUT_SAN;
		} else {
			const ASN1_OCTET_STRING *ip = g->d.iPAddress;
			int len = ASN1_STRING_length(ip);
			san->type = TLS_CERT_SAN_IP;
			if (len != 4 && len != 16)
				strcpy(san->name, "?");
			else if (inet_ntop(len == 4 ? AF_INET : AF_INET6, ASN1_STRING_get0_data(ip),
					   san->name, sizeof(san->name)) == NULL)
				strcpy(san->name, "?");
		}
	}
	GENERAL_NAMES_free(gens);
}

/* Epoch seconds and "YYYY-MM-DDTHH:MM:SSZ" of an X.509 time; 0 if it does not decode. */
static int get_time(const ASN1_TIME *t, int64_t *epoch, char str[21])
{
	struct tm tm, epoch_tm;
	int days, secs;

	memset(&epoch_tm, 0, sizeof(epoch_tm));
	epoch_tm.tm_year = 70;
	epoch_tm.tm_mday = 1;
	if (t == NULL || !ASN1_TIME_to_tm(t, &tm) || !OPENSSL_gmtime_diff(&days, &secs, &epoch_tm, &tm))
		return 0;
	*epoch = (int64_t)days * 86400 + secs;
	snprintf(str, 21, "%04u-%02u-%02uT%02u:%02u:%02uZ", (unsigned)(tm.tm_year + 1900) % 10000u,
		 (unsigned)(tm.tm_mon + 1) % 100u, (unsigned)tm.tm_mday % 100u, (unsigned)tm.tm_hour % 100u,
		 (unsigned)tm.tm_min % 100u, (unsigned)tm.tm_sec % 100u);
	return 1;
}

static void get_key(X509 *x, struct tls_cert_info *info)
{
	EVP_PKEY *pk = X509_get0_pubkey(x);
	const char *type = NULL;
	char group[64];
	size_t glen = 0;

	if (pk == NULL) {
		/* An algorithm libcrypto does not know, or a key that does not decode: name the algorithm. */
		ASN1_OBJECT *alg = NULL;
		X509_PUBKEY *xpk = X509_get_X509_PUBKEY(x);
		if (xpk != NULL && X509_PUBKEY_get0_param(&alg, NULL, NULL, NULL, xpk) && alg != NULL &&
		    OBJ_obj2txt(group, sizeof(group), alg, 0) > 0)
			copy_printable(info->key_type, sizeof(info->key_type), (const uint8_t *)group, strlen(group));
		return;
	}
	switch (EVP_PKEY_get_base_id(pk)) {
	case EVP_PKEY_RSA: type = "RSA"; break;
	case EVP_PKEY_RSA_PSS: type = "RSA-PSS"; break;
	case EVP_PKEY_EC: type = "EC"; break;
	case EVP_PKEY_ED25519: type = "Ed25519"; break;
	case EVP_PKEY_ED448: type = "Ed448"; break;
	case EVP_PKEY_DSA: type = "DSA"; break;
	default: type = EVP_PKEY_get0_type_name(pk); break;
	}
	if (type != NULL)
		copy_printable(info->key_type, sizeof(info->key_type), (const uint8_t *)type, strlen(type));
	info->key_bits = EVP_PKEY_get_bits(pk) > 0 ? (uint32_t)EVP_PKEY_get_bits(pk) : 0;
	if (EVP_PKEY_get_base_id(pk) == EVP_PKEY_EC &&
	    EVP_PKEY_get_utf8_string_param(pk, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group), &glen)) {
		const char *nist = EC_curve_nid2nist(OBJ_txt2nid(group));
		const char *name = nist != NULL ? nist : group;
		copy_printable(info->curve, sizeof(info->curve), (const uint8_t *)name, strlen(name));
	}
}

static void get_serial(X509 *x, struct tls_cert_info *info)
{
	const ASN1_INTEGER *sn = X509_get0_serialNumber(x);
	size_t n = (size_t)ASN1_STRING_length(sn), o = 0;
	const uint8_t *p = ASN1_STRING_get0_data(sn);

	if (p == NULL)
		return;
	if (ASN1_STRING_type(sn) == V_ASN1_NEG_INTEGER)
		info->serial[o++] = '-';
	if (n > 32) {
		hex_lower(info->serial + o, p, 30);
		strcpy(info->serial + o + 60, "...");
		info->cut |= TLS_CERT_CUT_SERIAL;
	} else {
		hex_lower(info->serial + o, p, n);
	}
}

static void fill_info(BIO *bio, X509 *x, struct tls_cert_info *info)
{
	uint8_t md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	const X509_ALGOR *alg = NULL;
	const ASN1_OBJECT *obj = NULL;
	char buf[80];

	info->decoded = 1;
	if (print_name(bio, X509_get_subject_name(x), info->subject, sizeof(info->subject)))
		info->cut |= TLS_CERT_CUT_SUBJECT;
	if (print_name(bio, X509_get_issuer_name(x), info->issuer, sizeof(info->issuer)))
		info->cut |= TLS_CERT_CUT_ISSUER;
	get_serial(x, info);
	get_sans(bio, x, info);
	info->has_validity = get_time(X509_get0_notBefore(x), &info->not_before, info->not_before_str) &&
			     get_time(X509_get0_notAfter(x), &info->not_after, info->not_after_str);
	if (X509_digest(x, EVP_sha256(), md, &mdlen) && mdlen == 32)
		hex_lower(info->sha256, md, 32);
	get_key(x, info);
	X509_get0_signature(NULL, &alg, x);
	X509_ALGOR_get0(&obj, NULL, NULL, alg);
	if (obj != NULL && OBJ_obj2txt(buf, sizeof(buf), obj, 0) > 0)
		copy_printable(info->sig_alg, sizeof(info->sig_alg), (const uint8_t *)buf, strlen(buf));
	info->is_ca = (X509_get_extension_flags(x) & EXFLAG_CA) != 0;
}

/* ---- chain facts, while the X509 objects exist ---- */

/*
 * Self-signed: issuer name == subject name and its own key verifies the
 * signature. Not X509_self_signed(): that also wants keyCertSign in a
 * keyUsage, which the self-signed server certificates made by most tools
 * (keyUsage digitalSignature, keyEncipherment) do not have.
 */
static int self_signed(X509 *x)
{
	EVP_PKEY *pk = X509_get0_pubkey(x);
	return pk != NULL && X509_NAME_cmp(X509_get_subject_name(x), X509_get_issuer_name(x)) == 0 &&
	       X509_verify(x, pk) == 1;
}

/* j issued i: names, key identifiers and keyUsage agree (X509_check_issued), and j's key verifies i's signature. */
static int issued(X509 *j, X509 *i, int *name_only)
{
	int rc = X509_check_issued(j, i);
	EVP_PKEY *pk;

	if (rc == X509_V_ERR_AKID_SKID_MISMATCH || rc == X509_V_ERR_AKID_ISSUER_SERIAL_MISMATCH) {
		*name_only = 1;
		return 0;
	}
	if (rc != X509_V_OK)
		return 0;
	pk = X509_get0_pubkey(j);
	if (pk != NULL && X509_verify(i, pk) == 1)
		return 1;
	*name_only = 1;
	return 0;
}

/* Whether x carries a CA/Browser Forum certificate policy (2.23.140.1.*: DV, OV, IV, EV): every
 * publicly trusted TLS server certificate does (Baseline Requirements 7.1.6.4). */
static int public_policy(X509 *x)
{
	CERTIFICATEPOLICIES *cp = X509_get_ext_d2i(x, NID_certificate_policies, NULL, NULL);
	int found = 0;

	for (int i = 0; cp != NULL && i < sk_POLICYINFO_num(cp) && !found; i++) {
		const POLICYINFO *pi = sk_POLICYINFO_value(cp, i);
		char oid[64];
		int len = OBJ_obj2txt(oid, sizeof(oid), pi->policyid, 1);
		found = len > 11 && len < (int)sizeof(oid) && strncmp(oid, "2.23.140.1.", 11) == 0;
	}
	CERTIFICATEPOLICIES_free(cp);
	return found;
}

static void link_chain(X509 **x, int n, struct tls_cert_chain *out)
{
	for (int i = 0; i < n; i++) {
		struct tls_cert_link *l = &out->links[i];
		l->issuer = -1;
		if (x[i] == NULL)
			continue;
		l->flags |= TLS_CERT_L_DECODED;
		if (self_signed(x[i]))
			l->flags |= TLS_CERT_L_SELF_SIGNED;
		if (X509_get_extension_flags(x[i]) & EXFLAG_CA)
			l->flags |= TLS_CERT_L_CA;
		if (i == 0 && public_policy(x[i]))
			l->flags |= TLS_CERT_L_PUBLIC;
		if (get_time(X509_get0_notBefore(x[i]), &l->not_before, (char[21]){ 0 }) &&
		    get_time(X509_get0_notAfter(x[i]), &l->not_after, (char[21]){ 0 }))
			l->flags |= TLS_CERT_L_HAS_VALIDITY;
	}
	for (int i = 0; i < n; i++) {
		struct tls_cert_link *l = &out->links[i];
		int next_name_only = 0, other = 0;
		if (x[i] == NULL || (l->flags & TLS_CERT_L_SELF_SIGNED))
			continue;
		/* The next one first: that is where it belongs. */
		if (i + 1 < n && x[i + 1] != NULL && issued(x[i + 1], x[i], &next_name_only)) {
			l->issuer = (int8_t)(i + 1);
			continue;
		}
		for (int j = 0; j < n; j++) {
			if (j != i && j != i + 1 && x[j] != NULL && issued(x[j], x[i], &other)) {
				l->issuer = (int8_t)j;
				break;
			}
		}
		if (l->issuer < 0 && next_name_only)
			l->flags |= TLS_CERT_L_ISSUER_KEY;
	}
}

/*
 * Against the SNI, with OpenSSL's RFC 6125 rules: a wildcard only as the whole
 * left-most label, matching exactly one label. The subject CN is tried only
 * when there is no DNS SAN at all (X509_check_host's own rule), and that
 * match is reported apart: browsers ignore the CN since 2017.
 */
static uint8_t check_name(X509 *leaf, const char *sni, size_t sni_len)
{
	const unsigned int flags = X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS;
	char buf[256];
	int rc;

	if (sni == NULL || sni_len == 0)
		return TLS_CERT_NAME_NOT_CHECKED;
	if (leaf == NULL)
		return TLS_CERT_NAME_UNREADABLE;
	if (sni_len >= sizeof(buf) || memchr(sni, '\0', sni_len) != NULL)
		return TLS_CERT_NAME_BAD_SNI;
	memcpy(buf, sni, sni_len);
	buf[sni_len] = '\0';
	rc = X509_check_ip_asc(leaf, buf, 0);
	if (rc != -2) /* -2: not an IP literal */
		return rc == 1 ? TLS_CERT_NAME_IP_MATCH : TLS_CERT_NAME_IP_MISMATCH;
	rc = X509_check_host(leaf, buf, sni_len, flags | X509_CHECK_FLAG_NEVER_CHECK_SUBJECT, NULL);
	if (rc == 1)
		return TLS_CERT_NAME_MATCH;
	if (rc < 0)
		return TLS_CERT_NAME_BAD_SNI;
	if (X509_check_host(leaf, buf, sni_len, flags, NULL) == 1)
		return TLS_CERT_NAME_MATCH_CN_ONLY;
	return TLS_CERT_NAME_MISMATCH;
}

int tls_cert_parse_chain(struct cursor msg, int tls13, const char *sni, size_t sni_len,
			 struct tls_cert_chain *out)
{
	struct cursor der[TLS_CERT_MAX_CHECKED];
	X509 *x[TLS_CERT_MAX_CHECKED] = { NULL };
	BIO *bio = BIO_new(BIO_s_mem());
	int rc;

	memset(out, 0, sizeof(*out));
	out->tls13 = tls13 != 0;
	rc = frame(msg, tls13, out, der);
	out->status = (uint8_t)rc;
	out->n_checked = (uint8_t)(out->n_certs < TLS_CERT_MAX_CHECKED ? out->n_certs : TLS_CERT_MAX_CHECKED);
	out->n_kept = (uint8_t)(out->n_certs < TLS_CERT_MAX_KEPT ? out->n_certs : TLS_CERT_MAX_KEPT);

	for (int i = 0; i < out->n_checked; i++) {
		const unsigned char *p = der[i].p;
		if (der[i].len > TLS_CERT_MAX_DER) {
			out->links[i].flags |= TLS_CERT_L_TOO_LARGE;
		} else {
			x[i] = d2i_X509(NULL, &p, (long)der[i].len);
			/* Bytes after the DER: OpenSSL's own TLS stack refuses that (CERT_LENGTH_MISMATCH). */
			if (x[i] != NULL && p != der[i].p + der[i].len) {
				X509_free(x[i]);
				x[i] = NULL;
			}
		}
		if (i < TLS_CERT_MAX_KEPT) {
			out->certs[i].der_len = (uint32_t)der[i].len;
			if (x[i] != NULL && bio != NULL)
				fill_info(bio, x[i], &out->certs[i]);
		}
	}
	link_chain(x, out->n_checked, out);
	if (out->n_certs > 0)
		out->name = check_name(x[0], sni, sni_len);
	for (int i = 0; i < out->n_checked; i++)
		X509_free(x[i]);
	BIO_free(bio);
	ERR_clear_error();
	return rc;
}

/* ---- a cache of parses (the findings: tls_cert_check.c) ---- */

/*
 * Servers send the same chain to every client, and a parse costs about half a
 * millisecond (two d2i_X509 and signature checks): the last few parses are
 * kept with a copy of their message and SNI, found by a cheap hash and
 * confirmed by comparing the bytes.
 *
 * Each parse is a reference-counted chain: the entry holds one reference and
 * every caller of tls_cert_parse_cached one more, given back with
 * tls_cert_chain_release. An entry replaced while others hold its chain gives
 * up its reference only; the last holder frees it. So the cache's own memory
 * is CERT_CACHE chains, plus the chains connections still hold.
 */
#define CERT_CACHE 16

struct cert_shared {
	uint32_t refs;            /* the cache entry's, if it still has it, and each caller's */
	struct tls_cert_chain chain;
};

struct cert_cache_entry {
	uint64_t hash;
	uint8_t *key;             /* tls13 byte, the SNI, the message: compared on a hit */
	size_t key_len;
	struct cert_shared *shared;
};

static struct cert_cache_entry cert_cache[CERT_CACHE];
static unsigned cert_cache_next;

static struct cert_shared *shared_of(const struct tls_cert_chain *chain)
{
	return (struct cert_shared *)(void *)((char *)(uintptr_t)chain - offsetof(struct cert_shared, chain));
}

void tls_cert_chain_release(const struct tls_cert_chain *chain)
{
	if (chain == NULL)
		return;
	struct cert_shared *s = shared_of(chain);
	if (--s->refs == 0)
		free(s);
}

void tls_cert_cache_clear(void)
{
	for (unsigned i = 0; i < CERT_CACHE; i++) {
		struct cert_cache_entry *e = &cert_cache[i];
		free(e->key);
		if (e->shared != NULL)
			tls_cert_chain_release(&e->shared->chain);
		memset(e, 0, sizeof(*e));
	}
	cert_cache_next = 0;
}

/* Entry e, to hold a new parse: its chain reused if nobody else holds it. 0: out of memory. */
static int entry_renew(struct cert_cache_entry *e)
{
	free(e->key);
	e->key = NULL;
	if (e->shared != NULL && e->shared->refs == 1)
		return 1;
	if (e->shared != NULL)
		e->shared->refs--;      /* held elsewhere too: the last holder frees it */
	if ((e->shared = malloc(sizeof(*e->shared))) == NULL) {
		bounds_alloc_failed();
		return 0;
	}
	e->shared->refs = 1;
	return 1;
}

const struct tls_cert_chain *tls_cert_parse_cached(const uint8_t *msg, size_t len, int tls13,
						   const char *sni, size_t sni_len)
{
	uint8_t flag = (uint8_t)(tls13 != 0);
	/* The hash only picks: a hit is confirmed on every byte. Chains differ in
	 * their first bytes (the leaf's serial and names) and their last (the
	 * signature), so those stand for the whole message. */
	size_t part = len < 512 ? len : 256;
	uint64_t h = hash_bytes(hash_bytes(flag, sni, sni_len), msg, part);
	if (part < len)
		h = hash_bytes(h ^ len, msg + len - part, part);
	size_t key_len = 1 + sizeof(sni_len) + sni_len + len;

	for (unsigned i = 0; i < CERT_CACHE; i++) {
		const struct cert_cache_entry *e = &cert_cache[i];
		if (e->key != NULL && e->hash == h && e->key_len == key_len && e->key[0] == flag &&
		    memcmp(e->key + 1, &sni_len, sizeof(sni_len)) == 0 &&
		    (sni_len == 0 || memcmp(e->key + 1 + sizeof(sni_len), sni, sni_len) == 0) &&
		    memcmp(e->key + 1 + sizeof(sni_len) + sni_len, msg, len) == 0) {
			e->shared->refs++;
			return &e->shared->chain;
		}
	}
	struct cert_cache_entry *e = &cert_cache[cert_cache_next];
	cert_cache_next = (cert_cache_next + 1) % CERT_CACHE;
	if (!entry_renew(e))
		return NULL;
	e->key = malloc(key_len);
	e->key_len = key_len;
	e->hash = h;
	if (e->key != NULL) {
		e->key[0] = flag;
		memcpy(e->key + 1, &sni_len, sizeof(sni_len));
		if (sni_len)
			memcpy(e->key + 1 + sizeof(sni_len), sni, sni_len);
		memcpy(e->key + 1 + sizeof(sni_len) + sni_len, msg, len);
	}
	tls_cert_parse_chain(cur_make(msg, len), tls13, sni, sni_len, &e->shared->chain);
	e->shared->refs++;
	return &e->shared->chain;
}
