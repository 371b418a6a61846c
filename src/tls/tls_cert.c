/* tls_cert.c: Certificate message framing, X.509 fields and chain facts through libcrypto, and the findings. */
#include "tls_cert.h"
#include "hash.h"

#include <arpa/inet.h>
#include <stdarg.h>
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

/* ---- findings: pure, over the facts above ---- */

static void add(struct tls_cert_findings *f, uint32_t flag, int cert, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void add(struct tls_cert_findings *f, uint32_t flag, int cert, const char *fmt, ...)
{
	va_list ap;
	f->flags |= flag;
	if (f->total < UINT8_MAX)
		f->total++;
	if (f->n >= TLS_CERT_MAX_FINDINGS)
		return;
	struct tls_cert_finding *it = &f->items[f->n++];
	it->flag = flag;
	it->cert = (int8_t)cert;
	va_start(ap, fmt);
	vsnprintf(it->text, sizeof(it->text), fmt, ap);
	va_end(ap);
}

/* "3 days", "5 hours", "1 minute", "42 seconds". */
static void span_text(char *dst, size_t cap, int64_t s)
{
	static const struct { int64_t unit; const char *name; } units[] = {
		{ 86400, "day" }, { 3600, "hour" }, { 60, "minute" }, { 1, "second" },
	};
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (s >= units[i].unit || units[i].unit == 1) {
			long long v = (long long)(s / units[i].unit);
			snprintf(dst, cap, "%lld %s%s", v, units[i].name, v == 1 ? "" : "s");
			return;
		}
	}
}

static void date_text(char dst[21], int64_t epoch)
{
	struct tm tm;
	time_t t = (time_t)epoch;
	if (gmtime_r(&t, &tm) == NULL) {
		strcpy(dst, "?");
		return;
	}
	snprintf(dst, 21, "%04u-%02u-%02uT%02u:%02u:%02uZ", (unsigned)(tm.tm_year + 1900) % 10000u,
		 (unsigned)(tm.tm_mon + 1) % 100u, (unsigned)tm.tm_mday % 100u, (unsigned)tm.tm_hour % 100u,
		 (unsigned)tm.tm_min % 100u, (unsigned)tm.tm_sec % 100u);
}

static const char *whose(int i)
{
	return i == 0 ? " (the server's)" : "";
}

static void check_validity(const struct tls_cert_chain *ch, int64_t now, struct tls_cert_findings *f)
{
	char date[21], span[32];
	for (int i = 0; i < ch->n_checked; i++) {
		const struct tls_cert_link *l = &ch->links[i];
		if (!(l->flags & TLS_CERT_L_HAS_VALIDITY))
			continue;
		if (now > l->not_after) {
			date_text(date, l->not_after);
			span_text(span, sizeof(span), now - l->not_after);
			add(f, TLS_CERT_F_EXPIRED, i, "certificate %d%s expired at %s, %s before the capture", i + 1,
			    whose(i), date, span);
		} else if (now < l->not_before) {
			date_text(date, l->not_before);
			span_text(span, sizeof(span), l->not_before - now);
			add(f, TLS_CERT_F_NOT_YET_VALID, i,
			    "certificate %d%s is not valid before %s, %s after the capture: a wrong clock, or a certificate "
			    "installed early", i + 1, whose(i), date, span);
		}
	}
}

static void check_name_result(const struct tls_cert_chain *ch, struct tls_cert_findings *f)
{
	switch (ch->name) {
	case TLS_CERT_NAME_MISMATCH:
		add(f, TLS_CERT_F_NAME_MISMATCH, 0,
		    "the server's certificate does not cover the SNI: no SAN matches it (a wildcard covers one label)");
		break;
	case TLS_CERT_NAME_IP_MISMATCH:
		add(f, TLS_CERT_F_NAME_MISMATCH, 0,
		    "the SNI is an IP address (RFC 6066 forbids that) and no IP SAN of the server's certificate holds it");
		break;
	case TLS_CERT_NAME_MATCH_CN_ONLY:
		add(f, TLS_CERT_F_NAME_CN_ONLY, 0,
		    "the server's certificate covers the SNI only by its subject CN, with no SAN: browsers refuse it, "
		    "OpenSSL-based clients accept it");
		break;
	default:
		break;
	}
}

/*
 * What a client expects: the server's certificate first, each certificate
 * followed by its issuer, the last one issued by a root the client holds (so
 * a missing issuer of the last CA certificate is normal: servers leave the
 * root out). Follows issuers from the first certificate; returns the
 * certificates accounted for (bit i: certificate i), 0 if it could not.
 */
static unsigned check_order(const struct tls_cert_chain *ch, struct tls_cert_findings *f)
{
	const struct tls_cert_link *L = ch->links;
	int n = ch->n_checked, p = 0, path[TLS_CERT_MAX_CHECKED], len = 1;
	unsigned seen = 1;

	path[0] = 0;
	if (!(L[0].flags & TLS_CERT_L_DECODED))
		return 0;
	if (L[0].flags & TLS_CERT_L_CA) {
		for (int j = 1; j < n; j++) {
			if (L[j].issuer == 0 && !(L[j].flags & TLS_CERT_L_CA)) {
				add(f, TLS_CERT_F_ORDER, 0,
				    "certificate 1 is a CA certificate and certificate %d was issued by it: the server's own "
				    "certificate must come first", j + 1);
				return 0;
			}
		}
	}
	if (L[0].flags & TLS_CERT_L_SELF_SIGNED) {
		add(f, TLS_CERT_F_SELF_SIGNED, 0,
		    "the server's certificate is self-signed: only a client told to trust this very certificate accepts it");
		return 1;
	}
	while (!(L[p].flags & TLS_CERT_L_SELF_SIGNED) && L[p].issuer >= 0 && !(seen & 1u << L[p].issuer)) {
		p = L[p].issuer;
		seen |= 1u << p;
		path[len++] = p;
	}
	if (L[p].flags & TLS_CERT_L_ISSUER_KEY) {
		seen |= 1u << (p + 1);
		add(f, TLS_CERT_F_ISSUER_KEY, p,
		    "certificate %d has the name of certificate %d's issuer but not the key that signed it: another "
		    "version of that CA certificate", p + 2, p + 1);
	} else if (p == 0 && n > 1 && !(L[1].flags & TLS_CERT_L_DECODED)) {
		/* Its issuer may be the certificate that did not decode: said already. */
	} else if (p == 0 && ch->status == TLS_CERT_OK && ch->n_certs <= TLS_CERT_MAX_CHECKED) {
		/* (A cut or broken message may have held the issuer in what was not read.) */
		if (n == 1)
			add(f, TLS_CERT_F_INCOMPLETE, 0,
			    "the server sent its certificate without its issuer: an intermediate is missing, unless a "
			    "root the client holds signed it directly");
		else
			add(f, TLS_CERT_F_INCOMPLETE, 0,
			    "no certificate sent issued the server's certificate (certificate 2 is not its issuer): an "
			    "intermediate is missing, unless a root the client holds signed it directly");
	}
	for (int k = 1; k < len; k++) {
		if (path[k] != k) {
			add(f, TLS_CERT_F_UNORDERED, path[k - 1],
			    "certificate %d is not followed by its issuer (certificate %d is): %s", path[k - 1] + 1,
			    path[k] + 1,
			    ch->tls13 ? "TLS 1.3 clients accept that" :
					"TLS 1.2 forbids that, strict older clients refuse it, current ones reorder");
			break;
		}
	}
	if (len > 1 && (L[p].flags & TLS_CERT_L_SELF_SIGNED))
		add(f, TLS_CERT_F_ROOT_SENT, p, "the chain ends with its root (certificate %d): unneeded, clients use their "
		    "own copy", p + 1);
	return seen;
}

/*
 * What the checks could not cover: a problem, since it may hide any other
 * (a padded chain must not pass for a checked one). First among the findings,
 * so a long list never pushes it out.
 */
static void not_checked(const struct tls_cert_chain *ch, struct tls_cert_findings *f)
{
	if (ch->status == TLS_CERT_TRUNCATED && ch->declared_len > ch->captured_len)
		add(f, TLS_CERT_F_NOT_CHECKED, -1, "the certificate chain of %u bytes exceeds what synack checks: the %u "
		    "certificate%s in its first %u bytes checked, the rest not", (unsigned)ch->declared_len - 4u,
		    (unsigned)ch->n_certs, ch->n_certs == 1 ? "" : "s", (unsigned)ch->captured_len);
	else if (ch->status == TLS_CERT_TRUNCATED)
		add(f, TLS_CERT_F_NOT_CHECKED, -1, "the Certificate message was cut after %u of its bytes: the rest "
		    "was not checked", (unsigned)ch->captured_len);
	for (int i = 0; i < ch->n_checked; i++)
		if (ch->links[i].flags & TLS_CERT_L_TOO_LARGE)
			add(f, TLS_CERT_F_NOT_CHECKED, i, "certificate %d is larger than %d bytes, more than synack "
			    "checks: it was not checked", i + 1, TLS_CERT_MAX_DER);
	if (ch->n_certs > TLS_CERT_MAX_CHECKED)
		add(f, TLS_CERT_F_NOT_CHECKED, -1, "%u certificates sent, more than synack checks: the ones after "
		    "the first %d were not checked", (unsigned)ch->n_certs, TLS_CERT_MAX_CHECKED);
}

void tls_cert_check(const struct tls_cert_chain *ch, int64_t capture_ts_ns, struct tls_cert_findings *f)
{
	int64_t now = capture_ts_ns / 1000000000 - (capture_ts_ns % 1000000000 < 0);
	unsigned covered = 0;
	int extra = 0, first_extra = -1;

	memset(f, 0, offsetof(struct tls_cert_findings, items));   /* items: below n only */
	if (ch->status == TLS_CERT_INVALID)
		add(f, TLS_CERT_F_MALFORMED, -1, "the Certificate message is malformed (%s): a client aborts with "
		    "decode_error", ch->error != NULL ? ch->error : "?");
	if (ch->status == TLS_CERT_OK && ch->n_certs == 0)
		add(f, TLS_CERT_F_EMPTY, -1, "the server sent an empty certificate list");
	not_checked(ch, f);
	for (int i = 0; i < ch->n_checked; i++) {
		uint8_t fl = ch->links[i].flags;
		if (!(fl & (TLS_CERT_L_DECODED | TLS_CERT_L_TOO_LARGE)))
			add(f, TLS_CERT_F_UNREADABLE, i, "certificate %d%s is not a valid X.509 certificate", i + 1,
			    whose(i));
	}
	check_validity(ch, now, f);
	check_name_result(ch, f);
	if (ch->n_certs > 0)
		covered = check_order(ch, f);

	/* Notes. */
	if (ch->name == TLS_CERT_NAME_NOT_CHECKED && ch->n_certs > 0)
		add(f, TLS_CERT_F_NO_SNI, -1, "no SNI: nothing to match the server's certificate against (a client "
		    "that connects by address checks the address itself)");
	else if (ch->name == TLS_CERT_NAME_BAD_SNI)
		add(f, TLS_CERT_F_NO_SNI, -1, "the SNI is not a name that can be matched (a NUL inside, or too long)");
	for (int j = 1; covered != 0 && j < ch->n_checked; j++) {
		if ((ch->links[j].flags & TLS_CERT_L_DECODED) && !(covered & 1u << j)) {
			if (first_extra < 0)
				first_extra = j;
			extra++;
		}
	}
	if (extra > 0)
		add(f, TLS_CERT_F_EXTRA, first_extra, "certificate %d%s is not on the server's chain", first_extra + 1,
		    extra > 1 ? " (and others)" : "");
}

/*
 * Servers send the same chain to every client, and a parse costs about half a
 * millisecond (two d2i_X509 and signature checks): the last few parses are
 * kept with a copy of their message and SNI, found by a cheap hash and
 * confirmed by comparing the bytes.
 */
#define CERT_CACHE 16

struct cert_cache_entry {
	uint64_t hash;
	uint8_t *key;             /* tls13 byte, the SNI, the message: compared on a hit */
	size_t key_len;
	struct tls_cert_chain chain;
};

static struct cert_cache_entry cert_cache[CERT_CACHE];
static unsigned cert_cache_next;
static uint64_t cert_cache_parses;   /* parses so far: an entry is reused only by a parse */

uint64_t tls_cert_cache_stamp(void)
{
	return cert_cache_parses;
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
		    memcmp(e->key + 1 + sizeof(sni_len) + sni_len, msg, len) == 0)
			return &e->chain;
	}
	struct cert_cache_entry *e = &cert_cache[cert_cache_next];
	cert_cache_next = (cert_cache_next + 1) % CERT_CACHE;
	free(e->key);
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
	cert_cache_parses++;
	tls_cert_parse_chain(cur_make(msg, len), tls13, sni, sni_len, &e->chain);
	return &e->chain;
}
