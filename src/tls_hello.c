/* tls_hello.c: ClientHello and ServerHello parsing, JA3 and JA4 (FoxIO, TLS over TCP). */
#include "tls_hello.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#define ELEMENTSOF(a) (sizeof(a) / sizeof((a)[0]))

/* Extension types looked into (IANA TLS ExtensionType Values). */
enum {
	EXT_SERVER_NAME = 0x0000,
	EXT_SUPPORTED_GROUPS = 0x000a,
	EXT_EC_POINT_FORMATS = 0x000b,
	EXT_SIGNATURE_ALGORITHMS = 0x000d,
	EXT_ALPN = 0x0010,
	EXT_EXTENDED_MASTER_SECRET = 0x0017,
	EXT_SESSION_TICKET = 0x0023,
	EXT_PRE_SHARED_KEY = 0x0029,
	EXT_EARLY_DATA = 0x002a,
	EXT_SUPPORTED_VERSIONS = 0x002b,
	EXT_COOKIE = 0x002c,
	EXT_PSK_KEY_EXCHANGE_MODES = 0x002d,
	EXT_KEY_SHARE = 0x0033,
	EXT_ECH = 0xfe0d,
	EXT_RENEGOTIATION_INFO = 0xff01,
};

/* Bits for duplicate detection, one per interpreted type. */
static int ext_bit(uint16_t type)
{
	switch (type) {
	case EXT_SERVER_NAME: return 0;
	case EXT_SUPPORTED_GROUPS: return 1;
	case EXT_EC_POINT_FORMATS: return 2;
	case EXT_SIGNATURE_ALGORITHMS: return 3;
	case EXT_ALPN: return 4;
	case EXT_EXTENDED_MASTER_SECRET: return 5;
	case EXT_SESSION_TICKET: return 6;
	case EXT_PRE_SHARED_KEY: return 7;
	case EXT_EARLY_DATA: return 8;
	case EXT_SUPPORTED_VERSIONS: return 9;
	case EXT_COOKIE: return 10;
	case EXT_PSK_KEY_EXCHANGE_MODES: return 11;
	case EXT_KEY_SHARE: return 12;
	case EXT_ECH: return 13;
	case EXT_RENEGOTIATION_INFO: return 14;
	default: return -1;
	}
}

/* RFC 8701: 0x0a0a, 0x1a1a, ... 0xfafa. */
static int grease(uint16_t v)
{
	return (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff);
}

/* SHA-256("HelloRetryRequest"), RFC 8446 4.1.3 (the unit test recomputes it). */
static const uint8_t hrr_random[32] = {
	0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
	0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
};

/* ---- reading with truncated vs invalid ---- */

/*
 * A block of the message and whether it ends early because the capture does
 * (cut): running out of bytes in a cut block is truncation, in a whole block
 * it is a wrong length. A sub-block is cut only when its parent is cut and
 * its length reaches past what is there.
 */
struct rd {
	struct cursor c;
	uint8_t cut;
};

struct ps {
	int status;
	const char *error;
};

/* The first failure wins; always returns 0 so that reads chain with ||. */
static int ps_fail(struct ps *ps, int truncated, const char *what)
{
	if (ps->status == TLS_HELLO_OK) {
		ps->status = truncated ? TLS_HELLO_TRUNCATED : TLS_HELLO_INVALID;
		ps->error = truncated ? NULL : what;
	}
	return 0;
}

static int rd_u8(struct ps *ps, struct rd *r, uint8_t *v, const char *what)
{
	return cur_get_u8(&r->c, v) || ps_fail(ps, r->cut, what);
}

static int rd_u16(struct ps *ps, struct rd *r, uint16_t *v, const char *what)
{
	return cur_get_u16(&r->c, v) || ps_fail(ps, r->cut, what);
}

static int rd_copy(struct ps *ps, struct rd *r, void *dst, size_t n, const char *what)
{
	struct cursor b;

	if (!cur_get_bytes(&r->c, &b, n))
		return ps_fail(ps, r->cut, what);
	memcpy(dst, cur_data(&b), n);
	return 1;
}

/* The next n bytes as a sub-block. */
static int rd_take(struct ps *ps, struct rd *r, size_t n, struct rd *sub, const char *what)
{
	if (cur_get_bytes(&r->c, &sub->c, n)) {
		sub->cut = 0;
		return 1;
	}
	if (!r->cut)
		return ps_fail(ps, 0, what);
	cur_get_bytes(&r->c, &sub->c, cur_len(&r->c));
	sub->cut = 1;
	return 1;
}

/* A block behind a 1-, 2- or 3-byte length. */
static int rd_block(struct ps *ps, struct rd *r, int prefix, struct rd *sub, const char *what)
{
	uint32_t n = 0;
	uint16_t n16 = 0;
	uint8_t n8 = 0;
	int ok;

	if (prefix == 1)
		ok = cur_get_u8(&r->c, &n8), n = n8;
	else if (prefix == 2)
		ok = cur_get_u16(&r->c, &n16), n = n16;
	else
		ok = cur_get_u24(&r->c, &n);
	if (!ok)
		return ps_fail(ps, r->cut, what);
	return rd_take(ps, r, n, sub, what);
}

/* The block is used up: a cut block is truncation, bytes left over are wrong. */
static int rd_end(struct ps *ps, const struct rd *r, const char *what)
{
	if (r->cut)
		return ps_fail(ps, 1, what);
	if (cur_len(&r->c) != 0)
		return ps_fail(ps, 0, what);
	return 1;
}

/*
 * The rest of l as a list of 16-bit values, read with one bounds check: each
 * kept while the list has room (*n of cap), all counted in *total, `bit` set
 * in *grease_bits if one is GREASE. An odd byte left over fails as rd_u16.
 */
static int rd_u16_list(struct ps *ps, struct rd *l, uint16_t *list, size_t cap, uint8_t *n,
		       uint16_t *total, uint8_t *grease_bits, uint8_t bit, const char *what)
{
	size_t cnt = cur_len(&l->c) / 2, k = *n;
	const uint8_t *p = cur_data(&l->c);
	int g = 0;
	uint16_t v;

	for (size_t i = 0; i < cnt; i++, p += 2) {
		v = (uint16_t)(p[0] << 8 | p[1]);
		if (k < cap)
			list[k++] = v;
		g |= grease(v);
	}
	*n = (uint8_t)k;
	*total = (uint16_t)(*total + cnt);
	if (g)
		*grease_bits |= bit;
	cur_skip(&l->c, 2 * cnt);
	return cur_len(&l->c) == 0 || rd_u16(ps, l, &v, what);
}

/* The handshake header: type, then the body as a block (cut when not all captured). */
static int rd_handshake(struct ps *ps, struct cursor msg, uint8_t type, struct rd *body, uint32_t *size)
{
	struct rd r = { msg, 1 };
	struct cursor peek = msg;
	uint32_t len = 0;
	uint8_t t = 0;

	*size = 0;
	if (cur_get_u8(&peek, &t) && cur_get_u24(&peek, &len))
		*size = len + 4;
	if (!rd_u8(ps, &r, &t, "handshake type"))
		return 0;
	if (t != type)
		return ps_fail(ps, 0, type == 1 ? "handshake type is not client_hello" : "handshake type is not server_hello");
	return rd_block(ps, &r, 3, body, "handshake length");
}

/* legacy_session_id: at most 32 bytes; copied only whole. */
static int rd_session_id(struct ps *ps, struct rd *r, uint8_t id[32], uint8_t *len)
{
	uint8_t n;

	if (!rd_u8(ps, r, &n, "session_id"))
		return 0;
	if (n > 32)
		return ps_fail(ps, 0, "session_id longer than 32 bytes");
	if (!rd_copy(ps, r, id, n, "session_id"))
		return 0;
	*len = n;
	return 1;
}

/* Append v to a capped list, count it in the total. */
#define KEEP(list, n, total, v) do { \
		if ((n) < ELEMENTSOF(list)) \
			(list)[(n)++] = (v); \
		(total)++; \
	} while (0)

/* Where a parse keeps extension types. */
struct ext_out {
	uint16_t *types;            /* TLS_HELLO_MAX_EXTENSIONS of them */
	uint8_t *n, *has, *dup, *grease;
	uint16_t *total;
};

typedef int (*ext_fn)(struct ps *ps, uint16_t type, struct rd *e, void *ctx);

/*
 * The extensions block, if there is one: every type is listed in wire order;
 * fn interprets the data of the first of each known type. An extension the
 * capture cut is listed, not interpreted.
 */
static int rd_extensions(struct ps *ps, struct rd *r, const struct ext_out *o, ext_fn fn, void *ctx,
			 struct cursor *block)
{
	struct rd all, e;
	uint32_t seen = 0;
	uint16_t type;
	int bit;

	if (cur_len(&r->c) == 0 && !r->cut)
		return 1;   /* no extensions block (optional before TLS 1.2) */
	if (!rd_block(ps, r, 2, &all, "extensions"))
		return 0;
	*o->has = 1;
	*block = all.c;
	while (cur_len(&all.c) != 0) {
		const uint8_t *p = cur_data(&all.c);
		size_t left = cur_len(&all.c);
		/* Type and length with one bounds check when the data is all there. */
		int whole = left >= 4 && (size_t)(p[2] << 8 | p[3]) <= left - 4;

		if (whole)
			type = (uint16_t)(p[0] << 8 | p[1]);
		else if (!rd_u16(ps, &all, &type, "extension type"))
			return 0;
		if (*o->n < TLS_HELLO_MAX_EXTENSIONS)
			o->types[(*o->n)++] = type;
		(*o->total)++;
		if (grease(type))
			*o->grease |= TLS_GREASE_EXTENSION;
		if (whole) {
			size_t len = (size_t)(p[2] << 8 | p[3]);
			e.c = cur_make(p + 4, len);
			e.cut = 0;
			cur_skip(&all.c, 4 + len);
		} else if (!rd_block(ps, &all, 2, &e, "extension length")) {
			return 0;
		}
		if (e.cut)
			return rd_end(ps, &e, NULL);
		bit = ext_bit(type);
		if (bit >= 0 && (seen & (1u << bit))) {
			*o->dup = 1;
			continue;
		}
		if (bit >= 0)
			seen |= 1u << bit;
		if (!fn(ps, type, &e, ctx))
			return 0;
	}
	return rd_end(ps, &all, "extensions");
}

/* ---- ClientHello ---- */

/* Where the fingerprints' inputs are, in the caller's bytes, during the call. */
struct ch_wire {
	struct cursor ciphers;      /* the cipher_suites list (SSLv2: the cipher specs) */
	struct cursor exts;         /* the extensions block */
	struct cursor versions, groups, point_formats, sigalgs, alpn_first;
	uint8_t have_alpn;
};

/* RFC 6066 3: "HostName" is a DNS name without a trailing dot, never an IP literal. */
static int dns_name_ok(const uint8_t *s, size_t n)
{
	size_t label = 0;
	int all_digits = 1;

	if (n == 0 || n > 253)
		return 0;
	for (size_t i = 0; i <= n; i++) {
		uint8_t ch = i < n ? s[i] : '.';
		if (ch == '.') {
			if (label == 0 || label > 63 || s[i - 1] == '-')
				return 0;
			if (i == n && all_digits)
				return 0;   /* a numeric top label: an IPv4 literal */
			label = 0;
			all_digits = 1;
			continue;
		}
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-'))
			return 0;
		if (ch == '-' && label == 0)
			return 0;
		if (ch < '0' || ch > '9')
			all_digits = 0;
		label++;
	}
	return 1;
}

static int ch_server_name(struct ps *ps, struct rd *e, struct tls_client_hello *out)
{
	struct rd list, name;
	uint8_t type;
	int got = 0;

	out->has_sni = 1;
	out->sni_bad_name = 1;
	if (cur_len(&e->c) == 0)
		return 1;
	if (!rd_block(ps, e, 2, &list, "server_name list"))
		return 0;
	while (cur_len(&list.c) != 0) {
		if (!rd_u8(ps, &list, &type, "server_name type") ||
		    !rd_block(ps, &list, 2, &name, "server_name host_name"))
			return 0;
		if (type != 0 || got++)
			continue;
		out->sni_len = (uint16_t)cur_len(&name.c);
		memcpy(out->sni, cur_data(&name.c), out->sni_len < sizeof(out->sni) ? out->sni_len : sizeof(out->sni));
		out->sni_bad_name = !dns_name_ok(out->sni, out->sni_len);
	}
	return rd_end(ps, &list, "server_name list") && rd_end(ps, e, "server_name");
}

/* A list of 16-bit values behind a 1- or 2-byte length. */
static int ch_u16_list(struct ps *ps, struct rd *e, int prefix, struct cursor *whole,
		       uint16_t *list, size_t cap, uint8_t *n, uint16_t *total,
		       uint8_t *grease_bits, uint8_t bit, const char *what)
{
	struct rd l;

	if (!rd_block(ps, e, prefix, &l, what))
		return 0;
	if (whole != NULL)
		*whole = l.c;
	return rd_u16_list(ps, &l, list, cap, n, total, grease_bits, bit, what) &&
	       rd_end(ps, &l, what) && rd_end(ps, e, what);
}

static int ch_alpn(struct ps *ps, struct rd *e, struct tls_client_hello *out, struct ch_wire *w)
{
	struct rd list, name;

	if (!rd_block(ps, e, 2, &list, "alpn list"))
		return 0;
	while (cur_len(&list.c) != 0) {
		if (!rd_block(ps, &list, 1, &name, "alpn protocol name"))
			return 0;
		if (out->alpn_total == 0) {
			w->alpn_first = name.c;
			w->have_alpn = 1;
		}
		if (out->n_alpn < ELEMENTSOF(out->alpn)) {
			struct tls_alpn_value *a = &out->alpn[out->n_alpn++];
			size_t len = cur_len(&name.c);
			a->len = (uint8_t)len;
			memcpy(a->name, cur_data(&name.c), len < sizeof(a->name) ? len : sizeof(a->name));
		}
		out->alpn_total++;
	}
	return rd_end(ps, &list, "alpn list") && rd_end(ps, e, "alpn");
}

static int ch_key_share(struct ps *ps, struct rd *e, struct tls_client_hello *out)
{
	struct rd list, key;
	uint16_t group;

	out->has_key_share = 1;
	if (!rd_block(ps, e, 2, &list, "key_share list"))
		return 0;
	while (cur_len(&list.c) != 0) {
		if (!rd_u16(ps, &list, &group, "key_share group") ||
		    !rd_block(ps, &list, 2, &key, "key_share key_exchange"))
			return 0;
		if (out->n_key_shares < ELEMENTSOF(out->key_share_groups)) {
			out->key_share_groups[out->n_key_shares] = group;
			out->key_share_lens[out->n_key_shares++] = (uint16_t)cur_len(&key.c);
		}
		out->key_shares_total++;
		if (grease(group))
			out->grease |= TLS_GREASE_KEY_SHARE;
	}
	return rd_end(ps, &list, "key_share list") && rd_end(ps, e, "key_share");
}

static int ch_psk(struct ps *ps, struct rd *e, struct tls_client_hello *out)
{
	struct rd ids, id, binders;

	out->has_psk = 1;
	if (!rd_block(ps, e, 2, &ids, "pre_shared_key identities"))
		return 0;
	while (cur_len(&ids.c) != 0) {
		if (!rd_block(ps, &ids, 2, &id, "pre_shared_key identity") ||
		    !rd_take(ps, &ids, 4, &id, "pre_shared_key ticket age"))
			return 0;
		out->psk_identities++;
	}
	return rd_end(ps, &ids, "pre_shared_key identities") &&
	       rd_block(ps, e, 2, &binders, "pre_shared_key binders") && rd_end(ps, e, "pre_shared_key");
}

static int ch_u8_list(struct ps *ps, struct rd *e, uint8_t *list, size_t cap, uint8_t *n,
		      uint8_t *total, struct cursor *whole, const char *what)
{
	struct rd l;
	uint8_t v;

	if (!rd_block(ps, e, 1, &l, what))
		return 0;
	if (whole != NULL)
		*whole = l.c;
	while (cur_get_u8(&l.c, &v)) {
		if (list != NULL && *n < cap)
			list[(*n)++] = v;
		(*total)++;
	}
	return rd_end(ps, &l, what) && rd_end(ps, e, what);
}

struct ch_ctx {
	struct tls_client_hello *out;
	struct ch_wire *w;
};

static int ch_extension(struct ps *ps, uint16_t type, struct rd *e, void *ctx)
{
	struct tls_client_hello *out = ((struct ch_ctx *)ctx)->out;
	struct ch_wire *w = ((struct ch_ctx *)ctx)->w;
	uint8_t b = 0;

	switch (type) {
	case EXT_SERVER_NAME:
		return ch_server_name(ps, e, out);
	case EXT_SUPPORTED_GROUPS:
		return ch_u16_list(ps, e, 2, &w->groups, out->groups, ELEMENTSOF(out->groups), &out->n_groups,
				   &out->groups_total, &out->grease, TLS_GREASE_GROUP, "supported_groups");
	case EXT_SIGNATURE_ALGORITHMS:
		return ch_u16_list(ps, e, 2, &w->sigalgs, out->sigalgs, ELEMENTSOF(out->sigalgs), &out->n_sigalgs,
				   &out->sigalgs_total, &out->grease, TLS_GREASE_SIGALG, "signature_algorithms");
	case EXT_SUPPORTED_VERSIONS:
		out->has_supported_versions = 1;
		return ch_u16_list(ps, e, 1, &w->versions, out->versions, ELEMENTSOF(out->versions), &out->n_versions,
				   &out->versions_total, &out->grease, TLS_GREASE_VERSION, "supported_versions");
	case EXT_EC_POINT_FORMATS:
		return ch_u8_list(ps, e, out->point_formats, ELEMENTSOF(out->point_formats), &out->n_point_formats,
				  &out->point_formats_total, &w->point_formats, "ec_point_formats");
	case EXT_PSK_KEY_EXCHANGE_MODES: {
		struct rd l;
		if (!rd_block(ps, e, 1, &l, "psk_key_exchange_modes"))
			return 0;
		while (cur_get_u8(&l.c, &b))
			if (b < 8)
				out->psk_modes |= (uint8_t)(1u << b);
		return rd_end(ps, &l, "psk_key_exchange_modes") && rd_end(ps, e, "psk_key_exchange_modes");
	}
	case EXT_ALPN:
		return ch_alpn(ps, e, out, w);
	case EXT_KEY_SHARE:
		return ch_key_share(ps, e, out);
	case EXT_PRE_SHARED_KEY:
		return ch_psk(ps, e, out);
	case EXT_EARLY_DATA:
		out->has_early_data = 1;
		return 1;
	case EXT_SESSION_TICKET:
		out->has_session_ticket = 1;
		out->session_ticket_len = (uint16_t)cur_len(&e->c);
		return 1;
	case EXT_ECH:
		/* ECHClientHello: the type; an outer hello's SNI is the public name. */
		if (!rd_u8(ps, e, &b, "encrypted_client_hello type"))
			return 0;
		out->has_ech = 1;
		out->ech_type = b;
		return 1;
	default:
		return 1;
	}
}

/* ---- fingerprints ---- */

/*
 * The digests, fetched once and each with one context, kept for the thread's
 * life: EVP_DigestInit_ex with EVP_md5() or EVP_sha256() fetches the
 * implementation anew on every call, which was most of its cost.
 */
struct fp_digests {
	EVP_MD *md5, *sha256;
	EVP_MD_CTX *c_md5, *c_sha256;
};

static _Thread_local struct fp_digests fpd;

static int fp_digests_ready(void)
{
	if (fpd.c_sha256 != NULL)
		return 1;
	fpd.md5 = EVP_MD_fetch(NULL, "MD5", NULL);
	fpd.sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
	fpd.c_md5 = EVP_MD_CTX_new();
	fpd.c_sha256 = EVP_MD_CTX_new();
	if (fpd.md5 != NULL && fpd.sha256 != NULL && fpd.c_md5 != NULL && fpd.c_sha256 != NULL)
		return 1;
	EVP_MD_free(fpd.md5);
	EVP_MD_free(fpd.sha256);
	EVP_MD_CTX_free(fpd.c_md5);
	EVP_MD_CTX_free(fpd.c_sha256);
	memset(&fpd, 0, sizeof(fpd));
	return 0;   /* tried again on the next hello */
}

/*
 * Items to a digest and, while it has room, to a string. Items are formatted
 * straight into a staging buffer that goes to the digest in large updates.
 */
#define SINK_STAGE 512
#define SINK_ITEM  8     /* the longest item: a separator and five digits */

struct sink {
	EVP_MD_CTX *md;
	char *buf;          /* the string kept (JA3's), or NULL */
	size_t cap, len;
	uint8_t cut;        /* an item did not fit in buf: nothing more is kept */
	uint8_t first;      /* no separator before the next item */
	uint8_t failed;     /* the digest refused an update */
	size_t n;           /* bytes staged */
	char st[SINK_STAGE];
};

static void sink_start(struct sink *s, EVP_MD_CTX *md, char *buf, size_t cap)
{
	s->md = md;
	s->buf = buf;
	s->cap = cap;
	s->len = 0;
	s->cut = s->failed = 0;
	s->first = 1;
	s->n = 0;
}

static void sink_flush(struct sink *s)
{
	if (s->n != 0 && !EVP_DigestUpdate(s->md, s->st, s->n))
		s->failed = 1;
	s->n = 0;
}

/* Where the next item (at most SINK_ITEM bytes) is formatted. */
static char *sink_room(struct sink *s)
{
	if (s->n > SINK_STAGE - SINK_ITEM)
		sink_flush(s);
	return s->st + s->n;
}

/* The item of n bytes at sink_room() is done: staged, and kept whole or not at all. */
static void sink_commit(struct sink *s, size_t n)
{
	if (s->buf != NULL && !s->cut) {
		if (s->len + n < s->cap) {
			memcpy(s->buf + s->len, s->st + s->n, n);
			s->len += n;
		} else {
			s->cut = 1;
		}
	}
	s->n += n;
}

static void sink_chr(struct sink *s, char c)
{
	*sink_room(s) = c;
	sink_commit(s, 1);
}

static void sink_dec(struct sink *s, char sep, unsigned v)
{
	char *o = sink_room(s), d[5];
	size_t k = 0, nd = 0;

	if (!s->first)
		o[k++] = sep;
	s->first = 0;
	do {
		d[nd++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0 && nd < sizeof(d));
	while (nd > 0)
		o[k++] = d[--nd];
	sink_commit(s, k);
}

static const char hexdig[] = "0123456789abcdef";

static void sink_hex4(struct sink *s, uint16_t v)
{
	char *o = sink_room(s);
	size_t k = 0;

	if (!s->first)
		o[k++] = ',';
	s->first = 0;
	o[k++] = hexdig[v >> 12];
	o[k++] = hexdig[(v >> 8) & 0xf];
	o[k++] = hexdig[(v >> 4) & 0xf];
	o[k++] = hexdig[v & 0xf];
	sink_commit(s, k);
}

/* Hex of the digest, cut to n characters; the kept string is terminated. */
static int sink_final_hex(struct sink *s, char *out, size_t n)
{
	uint8_t d[EVP_MAX_MD_SIZE];
	unsigned dl = 0;

	sink_flush(s);
	if (s->buf != NULL)
		s->buf[s->len] = 0;
	if (!EVP_DigestFinal_ex(s->md, d, &dl) || s->failed || n > 2 * (size_t)dl)
		return 0;
	for (size_t i = 0; i < n; i++)
		out[i] = hexdig[(d[i / 2] >> (i % 2 ? 0 : 4)) & 0xf];
	out[n] = 0;
	return 1;
}

/* The 16-bit values of a list: plain, extension types of a block, or SSLv2 cipher specs. */
enum src_kind { SRC_U16, SRC_EXT, SRC_V2 };

static int src_next(struct cursor *c, enum src_kind k, uint16_t *v)
{
	struct cursor skip;
	uint8_t b;

	for (;;) {
		switch (k) {
		case SRC_U16:
			return cur_get_u16(c, v);
		case SRC_EXT:
			return cur_get_u16(c, v) && cur_get_u16_prefixed(c, &skip);
		case SRC_V2:
			if (!cur_get_u8(c, &b) || !cur_get_u16(c, v))
				return 0;
			if (b == 0)
				return 1;
			break;   /* an SSLv2-only kind: not a TLS suite */
		}
	}
}

/* JA4 leaves out GREASE everywhere, and SNI and ALPN from the extension hash. */
static int ja4_keep(uint16_t v, int is_ext)
{
	return !grease(v) && !(is_ext && (v == EXT_SERVER_NAME || v == EXT_ALPN));
}

/* The kept values of a list into dst while they fit (cap); returns how many there are. */
static size_t ja4_collect(struct cursor list, enum src_kind k, int is_ext, uint16_t *dst, size_t cap)
{
	size_t n = 0;
	uint16_t v;

	while (src_next(&list, k, &v))
		if (ja4_keep(v, is_ext)) {
			if (n < cap)
				dst[n] = v;
			n++;
		}
	return n;
}

/* Ascending order: insertion sort for the short lists of real hellos, else two radix passes through tmp. */
static void sort_u16(uint16_t *a, uint16_t *tmp, size_t n)
{
	if (n <= 32) {
		for (size_t i = 1; i < n; i++) {
			uint16_t v = a[i];
			size_t j = i;
			for (; j > 0 && a[j - 1] > v; j--)
				a[j] = a[j - 1];
			a[j] = v;
		}
		return;
	}
	for (int shift = 0; shift < 16; shift += 8) {
		size_t count[257] = { 0 };
		uint16_t *from = shift == 0 ? a : tmp, *to = shift == 0 ? tmp : a;
		for (size_t i = 0; i < n; i++)
			count[((from[i] >> shift) & 0xff) + 1]++;
		for (int b = 0; b < 256; b++)
			count[b + 1] += count[b];
		for (size_t i = 0; i < n; i++)
			to[count[(from[i] >> shift) & 0xff]++] = from[i];
	}
}

/*
 * The kept values in ascending order, duplicates kept, as comma-separated
 * 4-hex. Lists of real hellos fit on the stack; a longer one (a hostile hello
 * has at most 32,767 values) is sorted in memory freed before returning.
 * Returns how many were written, -1 when out of memory.
 */
#define SORT_LOCAL 256

static long emit_sorted(struct sink *s, struct cursor list, enum src_kind k, int is_ext)
{
	uint16_t local[2 * SORT_LOCAL], *a = local, *heap = NULL;
	size_t n = ja4_collect(list, k, is_ext, local, SORT_LOCAL);

	if (n > SORT_LOCAL) {
		heap = malloc(2 * n * sizeof(*heap));
		if (heap == NULL)
			return -1;
		a = heap;
		ja4_collect(list, k, is_ext, a, n);
	}
	sort_u16(a, a + n, n);
	for (size_t i = 0; i < n; i++)
		sink_hex4(s, a[i]);
	free(heap);
	return (long)n;
}

static const char *ja4_version(uint16_t v)
{
	switch (v) {
	case 0x0304: return "13";
	case 0x0303: return "12";
	case 0x0302: return "11";
	case 0x0301: return "10";
	case 0x0300: return "s3";
	case 0x0002: return "s2";
	case 0xfeff: return "d1";
	case 0xfefd: return "d2";
	case 0xfefc: return "d3";
	default:     return "00";
	}
}

static int alnum(uint8_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static unsigned count_kept(struct cursor list, enum src_kind k)
{
	unsigned n = 0;
	uint16_t v;

	while (src_next(&list, k, &v))
		n += !grease(v);
	return n;
}

static void two_digits(char *p, unsigned n)
{
	if (n > 99)
		n = 99;
	p[0] = (char)('0' + n / 10);
	p[1] = (char)('0' + n % 10);
}

/* JA4's characters that depend on more than the lists: protocol, version, SNI, ALPN. */
static void ja4_hello_chars(struct tls_client_hello *ch, const struct ch_wire *w)
{
	char *p = ch->ja4;
	uint8_t a = 0, z = 0;
	size_t alen = cur_len(&w->alpn_first);

	p[0] = 't';
	memcpy(p + 1, ja4_version(ch->version), 2);
	p[3] = ch->has_sni ? 'd' : 'i';
	p[8] = p[9] = '0';
	if (w->have_alpn && alen != 0 && cur_peek_u8(&w->alpn_first, 0, &a) && cur_peek_u8(&w->alpn_first, alen - 1, &z)) {
		if (alnum(a) && alnum(z)) {
			p[8] = (char)a;
			p[9] = (char)z;
		} else {
			p[8] = hexdig[a >> 4];
			p[9] = hexdig[z & 0xf];
		}
	}
}

/* JA4 from the lists: the counts and the two hashes. */
static int ja4_lists(struct tls_client_hello *ch, const struct ch_wire *w, enum src_kind ck)
{
	char *p = ch->ja4;
	struct sink s;
	struct cursor sig = w->sigalgs;
	unsigned nsig = 0;
	long n;
	uint16_t v;

	two_digits(p + 4, count_kept(w->ciphers, ck));
	two_digits(p + 6, count_kept(w->exts, SRC_EXT));
	p[10] = '_';

	if (!EVP_DigestInit_ex(fpd.c_sha256, fpd.sha256, NULL))
		return 0;
	sink_start(&s, fpd.c_sha256, NULL, 0);
	if ((n = emit_sorted(&s, w->ciphers, ck, 0)) < 0)
		return 0;
	if (n == 0)
		memcpy(p + 11, "000000000000", 13);
	else if (!sink_final_hex(&s, p + 11, 12))
		return 0;
	p[23] = '_';

	if (!EVP_DigestInit_ex(fpd.c_sha256, fpd.sha256, NULL))
		return 0;
	sink_start(&s, fpd.c_sha256, NULL, 0);
	if ((n = emit_sorted(&s, w->exts, SRC_EXT, 1)) < 0)
		return 0;
	if (n == 0) {
		memcpy(p + 24, "000000000000", 13);
		return 1;
	}
	while (cur_get_u16(&sig, &v)) {
		if (grease(v))
			continue;
		if (nsig++ == 0) {
			sink_chr(&s, '_');
			s.first = 1;
		}
		sink_hex4(&s, v);
	}
	return sink_final_hex(&s, p + 24, 12);
}

/* JA3 field of 16-bit values (GREASE dropped), decimal, '-'-joined. */
static void ja3_list(struct sink *s, struct cursor list, enum src_kind k)
{
	uint16_t v;

	s->first = 1;
	while (src_next(&list, k, &v))
		if (!grease(v))
			sink_dec(s, '-', v);
}

static int ja3(struct tls_client_hello *ch, const struct ch_wire *w, enum src_kind ck)
{
	struct sink s;
	struct cursor pf = w->point_formats;
	uint8_t b;
	int ok;

	ch->ja3[0] = 0;
	if (!EVP_DigestInit_ex(fpd.c_md5, fpd.md5, NULL))
		return 0;
	sink_start(&s, fpd.c_md5, ch->ja3, sizeof(ch->ja3));
	sink_dec(&s, ',', ch->legacy_version);
	sink_chr(&s, ',');
	ja3_list(&s, w->ciphers, ck);
	sink_chr(&s, ',');
	ja3_list(&s, w->exts, SRC_EXT);
	sink_chr(&s, ',');
	ja3_list(&s, w->groups, SRC_U16);
	sink_chr(&s, ',');
	s.first = 1;
	while (cur_get_u8(&pf, &b))
		sink_dec(&s, '-', b);
	ok = sink_final_hex(&s, ch->ja3_md5, 32);
	ch->ja3_cut = s.cut;
	return ok;
}

/*
 * Fingerprints are memoized per thread: most connections come from a few
 * client builds whose hellos differ only in random, session id, key shares
 * and SNI, none of which JA3 or JA4's lists see. The key is the exact bytes
 * that the fingerprints are computed from, so a hit gives what computing
 * would; hellos whose inputs or JA3 string are too long are not memoized.
 */
#define FP_KEY_MAX 384
#define FP_JA3_MAX 384
#define FP_SETS    16
#define FP_WAYS    4

struct fp_entry {
	uint64_t hash;
	uint16_t key_len;           /* 0: empty */
	uint16_t ja3_len;
	uint8_t key[FP_KEY_MAX];
	char ja3[FP_JA3_MAX];
	char ja3_md5[33];
	char ja4[TLS_HELLO_JA4_LEN];
};

static _Thread_local struct {
	struct fp_entry e[FP_SETS][FP_WAYS];
	uint8_t next[FP_SETS];      /* the way replaced next (round robin) */
} fpc;

static int key_part(uint8_t *key, size_t *n, const uint8_t *p, size_t len)
{
	if (*n + 2 + len > FP_KEY_MAX)
		return 0;
	key[*n] = (uint8_t)(len >> 8);
	key[*n + 1] = (uint8_t)len;
	if (len != 0)
		memcpy(key + *n + 2, p, len);
	*n += 2 + len;
	return 1;
}

/* Everything JA3 and JA4's list parts are made of; 0 when it is too long to memoize. */
static int fp_key(const struct tls_client_hello *ch, const struct ch_wire *w, enum src_kind ck,
		  uint8_t key[FP_KEY_MAX], size_t *n)
{
	key[0] = (uint8_t)ck;
	key[1] = (uint8_t)(ch->legacy_version >> 8);
	key[2] = (uint8_t)ch->legacy_version;
	*n = 3;
	/* The types as kept (host order): all of them only when none was left out. */
	return ch->extensions_total == ch->n_extensions &&
	       key_part(key, n, (const uint8_t *)ch->extensions, 2u * ch->n_extensions) &&
	       key_part(key, n, cur_data(&w->ciphers), cur_len(&w->ciphers)) &&
	       key_part(key, n, cur_data(&w->groups), cur_len(&w->groups)) &&
	       key_part(key, n, cur_data(&w->point_formats), cur_len(&w->point_formats)) &&
	       key_part(key, n, cur_data(&w->sigalgs), cur_len(&w->sigalgs));
}

static uint64_t fp_hash(const uint8_t *p, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15ull ^ n, v;

	for (; n >= 8; p += 8, n -= 8) {
		memcpy(&v, p, 8);
		h = (h ^ v) * 0xff51afd7ed558ccdull;
		h ^= h >> 29;
	}
	if (n != 0) {
		v = 0;
		memcpy(&v, p, n);
		h = (h ^ v) * 0xff51afd7ed558ccdull;
	}
	return h ^ h >> 32;
}

static struct fp_entry *fp_lookup(const uint8_t *key, size_t n, uint64_t h)
{
	struct fp_entry *set = fpc.e[h % FP_SETS];

	for (int i = 0; i < FP_WAYS; i++)
		if (set[i].hash == h && set[i].key_len == n && memcmp(set[i].key, key, n) == 0)
			return &set[i];
	return NULL;
}

static void fp_store(const struct tls_client_hello *ch, const uint8_t *key, size_t n, uint64_t h)
{
	size_t j = strlen(ch->ja3);
	uint8_t *next = &fpc.next[h % FP_SETS];
	struct fp_entry *e;

	if (ch->ja3_cut || j >= FP_JA3_MAX)
		return;
	e = &fpc.e[h % FP_SETS][*next];
	*next = (uint8_t)((*next + 1) % FP_WAYS);
	e->hash = h;
	e->key_len = (uint16_t)n;
	e->ja3_len = (uint16_t)j;
	memcpy(e->key, key, n);
	memcpy(e->ja3, ch->ja3, j + 1);
	memcpy(e->ja3_md5, ch->ja3_md5, sizeof(e->ja3_md5));
	memcpy(e->ja4, ch->ja4, sizeof(e->ja4));
}

static void fingerprints(struct tls_client_hello *ch, const struct ch_wire *w, enum src_kind ck)
{
	uint8_t key[FP_KEY_MAX];
	size_t n = 0;
	int keyed = fp_key(ch, w, ck, key, &n);
	uint64_t h = keyed ? fp_hash(key, n) : 0;
	const struct fp_entry *e = keyed ? fp_lookup(key, n, h) : NULL;

	if (e != NULL) {
		memcpy(ch->ja3, e->ja3, e->ja3_len + 1u);
		memcpy(ch->ja3_md5, e->ja3_md5, sizeof(ch->ja3_md5));
		memcpy(ch->ja4, e->ja4, sizeof(ch->ja4));
		ja4_hello_chars(ch, w);
		return;
	}
	ja4_hello_chars(ch, w);
	if (!fp_digests_ready() || !ja3(ch, w, ck) || !ja4_lists(ch, w, ck)) {
		ch->ja3[0] = ch->ja3_md5[0] = ch->ja4[0] = 0;
		ch->ja3_cut = 0;
		return;
	}
	if (keyed)
		fp_store(ch, key, n, h);
}

/* Highest non-GREASE supported_versions value (all of them, not the kept ones), else the legacy version. */
static uint16_t max_version(struct cursor list, uint16_t legacy)
{
	uint16_t v, best = 0;

	while (cur_get_u16(&list, &v))
		if (!grease(v) && v > best)
			best = v;
	return best != 0 ? best : legacy;
}

int tls_parse_client_hello(struct cursor msg, struct tls_client_hello *out)
{
	struct ps ps = { TLS_HELLO_OK, NULL };
	struct ch_wire w;
	struct ch_ctx ctx = { out, &w };
	struct ext_out eo = { out->extensions, &out->n_extensions, &out->has_extensions,
			      &out->duplicate_extension, &out->grease, &out->extensions_total };
	struct rd body, cs, comp;
	uint8_t m;

	memset(out, 0, sizeof(*out));
	memset(&w, 0, sizeof(w));
	if (!rd_handshake(&ps, msg, 1, &body, &out->size) ||
	    !rd_u16(&ps, &body, &out->legacy_version, "legacy_version"))
		goto done;
	out->version = out->legacy_version;
	if (!rd_copy(&ps, &body, out->random, 32, "random"))
		goto done;
	if (!rd_session_id(&ps, &body, out->session_id, &out->session_id_len) ||
	    !rd_block(&ps, &body, 2, &cs, "cipher_suites"))
		goto done;
	w.ciphers = cs.c;
	if (!rd_u16_list(&ps, &cs, out->cipher_suites, ELEMENTSOF(out->cipher_suites), &out->n_cipher_suites,
			 &out->cipher_suites_total, &out->grease, TLS_GREASE_CIPHER, "cipher_suites: odd length"))
		goto done;
	if (!rd_end(&ps, &cs, "cipher_suites") || !rd_block(&ps, &body, 1, &comp, "compression_methods"))
		goto done;
	while (cur_get_u8(&comp.c, &m)) {
		out->n_compression++;
		out->compression_null |= m == 0;
	}
	if (!rd_end(&ps, &comp, "compression_methods") || !rd_extensions(&ps, &body, &eo, ch_extension, &ctx, &w.exts) ||
	    !rd_end(&ps, &body, "bytes after the extensions"))
		goto done;
	out->version = max_version(w.versions, out->legacy_version);
	fingerprints(out, &w, SRC_U16);
done:
	out->sni_is_ech_public = out->has_ech && out->ech_type == 0 && out->has_sni;
	out->error = ps.error;
	return ps.status;
}

/* ---- SSLv2-compatible CLIENT-HELLO ---- */

int tls_hello_sslv2_sniff(struct cursor c)
{
	uint8_t b0, type, major;

	if (!cur_peek_u8(&c, 0, &b0) || !cur_peek_u8(&c, 2, &type) || !cur_peek_u8(&c, 3, &major))
		return -1;
	/* 2-byte header, CLIENT-HELLO, version 2 (0x0002) or 3.x. */
	return (b0 & 0x80) && type == 1 && (major == 3 || major == 0);
}

int tls_parse_sslv2_client_hello(struct cursor record, struct tls_client_hello *out)
{
	struct ps ps = { TLS_HELLO_OK, NULL };
	struct ch_wire w;
	struct rd r = { record, 1 }, body, specs;
	uint16_t hdr, spec_len, sid_len, chal_len, v;
	uint8_t type, b;

	memset(out, 0, sizeof(*out));
	memset(&w, 0, sizeof(w));
	out->sslv2 = 1;
	if (!rd_u16(&ps, &r, &hdr, "SSLv2 record length"))
		goto done;
	if (!(hdr & 0x8000)) {
		ps_fail(&ps, 0, "SSLv2 record header is not the 2-byte form");
		goto done;
	}
	out->size = (uint32_t)(hdr & 0x7fff) + 2;
	if (!rd_take(&ps, &r, hdr & 0x7fff, &body, "SSLv2 record length") ||
	    !rd_u8(&ps, &body, &type, "SSLv2 msg_type"))
		goto done;
	if (type != 1) {
		ps_fail(&ps, 0, "SSLv2 msg_type is not CLIENT-HELLO");
		goto done;
	}
	if (!rd_u16(&ps, &body, &out->legacy_version, "SSLv2 version") ||
	    !rd_u16(&ps, &body, &spec_len, "SSLv2 cipher_spec_length") ||
	    !rd_u16(&ps, &body, &sid_len, "SSLv2 session_id_length") ||
	    !rd_u16(&ps, &body, &chal_len, "SSLv2 challenge_length"))
		goto done;
	out->version = out->legacy_version;
	if (spec_len % 3 != 0 || sid_len > 32 || chal_len < 16 || chal_len > 32) {
		ps_fail(&ps, 0, spec_len % 3 ? "SSLv2 cipher_spec_length is not a multiple of 3" :
			sid_len > 32 ? "SSLv2 session_id_length over 32" : "SSLv2 challenge_length not 16..32");
		goto done;
	}
	if (!rd_take(&ps, &body, spec_len, &specs, "SSLv2 cipher_specs"))
		goto done;
	w.ciphers = specs.c;
	while (cur_len(&specs.c) >= 3 && cur_get_u8(&specs.c, &b) && cur_get_u16(&specs.c, &v)) {
		if (b != 0) {
			out->sslv2_only_specs++;
			continue;
		}
		KEEP(out->cipher_suites, out->n_cipher_suites, out->cipher_suites_total, v);
	}
	if (!rd_end(&ps, &specs, "SSLv2 cipher_specs") ||
	    !rd_copy(&ps, &body, out->session_id, sid_len, "SSLv2 session_id"))
		goto done;
	out->session_id_len = (uint8_t)sid_len;
	/* The challenge is the random, right-aligned (RFC 5246 E.2). */
	if (!rd_copy(&ps, &body, out->random + (32 - chal_len), chal_len, "SSLv2 challenge") ||
	    !rd_end(&ps, &body, "bytes after the SSLv2 challenge"))
		goto done;
	fingerprints(out, &w, SRC_V2);
done:
	out->error = ps.error;
	return ps.status;
}

/* ---- ServerHello ---- */

static int sh_extension(struct ps *ps, uint16_t type, struct rd *e, void *ctx)
{
	struct tls_server_hello *out = ctx;
	struct rd l, name;

	switch (type) {
	case EXT_SUPPORTED_VERSIONS:
		return rd_u16(ps, e, &out->selected_version, "supported_versions") &&
		       rd_end(ps, e, "supported_versions");
	case EXT_KEY_SHARE:
		out->has_key_share = 1;
		if (!rd_u16(ps, e, &out->key_share_group, "key_share group"))
			return 0;
		if (out->is_hrr)
			return rd_end(ps, e, "key_share selected_group");
		if (!rd_block(ps, e, 2, &l, "key_share key_exchange"))
			return 0;
		out->key_share_len = (uint16_t)cur_len(&l.c);
		return rd_end(ps, e, "key_share");
	case EXT_PRE_SHARED_KEY:
		out->has_psk = 1;
		return rd_u16(ps, e, &out->psk_identity, "pre_shared_key") && rd_end(ps, e, "pre_shared_key");
	case EXT_ALPN:
		if (!rd_block(ps, e, 2, &l, "alpn list") || !rd_block(ps, &l, 1, &name, "alpn protocol name"))
			return 0;
		out->has_alpn = 1;
		out->alpn.len = (uint8_t)cur_len(&name.c);
		memcpy(out->alpn.name, cur_data(&name.c),
		       out->alpn.len < sizeof(out->alpn.name) ? out->alpn.len : sizeof(out->alpn.name));
		return rd_end(ps, &l, "alpn list: more than one protocol") && rd_end(ps, e, "alpn");
	case EXT_SERVER_NAME: out->has_sni = 1; return 1;
	case EXT_COOKIE: out->has_cookie = 1; return 1;
	case EXT_ECH: out->has_ech = 1; return 1;
	case EXT_SESSION_TICKET: out->has_session_ticket = 1; return 1;
	case EXT_EXTENDED_MASTER_SECRET: out->has_ems = 1; return 1;
	case EXT_RENEGOTIATION_INFO: out->has_renegotiation_info = 1; return 1;
	default: return 1;
	}
}

int tls_parse_server_hello(struct cursor msg, struct tls_server_hello *out)
{
	static const uint8_t downgrd[7] = { 'D', 'O', 'W', 'N', 'G', 'R', 'D' };
	struct ps ps = { TLS_HELLO_OK, NULL };
	uint8_t no_grease = 0;
	struct ext_out eo = { out->extensions, &out->n_extensions, &out->has_extensions,
			      &out->duplicate_extension, &no_grease, &out->extensions_total };
	struct cursor block;
	struct rd body;

	memset(out, 0, sizeof(*out));
	if (!rd_handshake(&ps, msg, 2, &body, &out->size) ||
	    !rd_u16(&ps, &body, &out->legacy_version, "legacy_version"))
		goto done;
	out->version = out->legacy_version;
	if (!rd_copy(&ps, &body, out->random, 32, "random"))
		goto done;
	out->is_hrr = memcmp(out->random, hrr_random, 32) == 0;
	if (memcmp(out->random + 24, downgrd, 7) == 0 && out->random[31] <= 1)
		out->downgrade = (uint8_t)(out->random[31] + 1);
	if (!rd_session_id(&ps, &body, out->session_id, &out->session_id_len) ||
	    !rd_u16(&ps, &body, &out->cipher_suite, "cipher_suite") ||
	    !rd_u8(&ps, &body, &out->compression, "compression_method") ||
	    !rd_extensions(&ps, &body, &eo, sh_extension, out, &block))
		goto done;
	rd_end(&ps, &body, "bytes after the extensions");
done:
	if (out->selected_version != 0)
		out->version = out->selected_version;
	out->error = ps.error;
	return ps.status;
}

int tls_hello_session_resumed(const struct tls_client_hello *ch, const struct tls_server_hello *sh)
{
	return sh->version < 0x0304 && !sh->is_hrr && sh->session_id_len != 0 &&
	       sh->session_id_len == ch->session_id_len &&
	       memcmp(sh->session_id, ch->session_id, sh->session_id_len) == 0;
}
