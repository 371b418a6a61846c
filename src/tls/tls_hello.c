/* tls_hello.c: ClientHello and ServerHello parsing (the fingerprints are in tls_fingerprint.c). */
#include "tls_hello.h"
#include "tls_fingerprint.h"

#include <stdlib.h>
#include <stddef.h>
#include <string.h>

#include "tls_names.h"

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
	EXT_KEY_SHARE_DRAFT = 0x0028,   /* key_share in TLS 1.3 drafts before 23 */
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

/* key_share was extension 40 until draft 23 (tls_hello.h): drafts 14-22 and Google's experiments. */
static int key_share_40(uint16_t v)
{
	return (v >= 0x7f0e && v <= 0x7f16) || (v >= 0x7e01 && v <= 0x7e03);
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
		g |= tls_is_grease(v);
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
		if (tls_is_grease(type))
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
		if (tls_is_grease(group))
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
	struct rd ks40;             /* extension 40, read as key_share once the versions are known */
	uint8_t has_ks40;
};

static int ch_extension(struct ps *ps, uint16_t type, struct rd *e, void *ctx)
{
	struct ch_ctx *x = ctx;
	struct tls_client_hello *out = x->out;
	struct ch_wire *w = x->w;
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
	case EXT_KEY_SHARE_DRAFT:
		if (!x->has_ks40) {
			x->ks40 = *e;
			x->has_ks40 = 1;
		}
		return 1;
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

/* Highest non-GREASE supported_versions value (all of them, not the kept ones), else the legacy version. */
static uint16_t max_version(struct cursor list, uint16_t legacy)
{
	uint16_t v, best = 0;

	while (cur_get_u16(&list, &v))
		if (!tls_is_grease(v) && v > best)
			best = v;
	return best != 0 ? best : legacy;
}

/* Everything zero, the JA3 string empty (its bytes past the terminator are not read). */
static void ch_clear(struct tls_client_hello *out)
{
	memset(out, 0, offsetof(struct tls_client_hello, ja3));
	out->ja3[0] = 0;
}

int tls_parse_client_hello(struct cursor msg, struct tls_client_hello *out)
{
	struct ps ps = { TLS_HELLO_OK, NULL };
	struct ch_wire w;
	struct ch_ctx ctx = { out, &w, { { NULL, 0 }, 0 }, 0 };
	struct ext_out eo = { out->extensions, &out->n_extensions, &out->has_extensions,
			      &out->duplicate_extension, &out->grease, &out->extensions_total };
	struct rd body, cs, comp;
	uint8_t m;

	ch_clear(out);
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
	if (ctx.has_ks40 && !out->has_key_share && key_share_40(out->version) && !ch_key_share(&ps, &ctx.ks40, out))
		goto done;
	tls_fingerprints(out, &w, SRC_U16);
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

	ch_clear(out);
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
	tls_fingerprints(out, &w, SRC_V2);
done:
	out->error = ps.error;
	return ps.status;
}

/* ---- ServerHello ---- */

/* A ServerHello's parse: its result, and extension 40 held until the version is known. */
struct sh_ctx {
	struct tls_server_hello *out;
	struct rd ks40;
	uint8_t has_ks40;
};

static int sh_key_share(struct ps *ps, struct rd *e, struct tls_server_hello *out)
{
	struct rd l;

	out->has_key_share = 1;
	if (!rd_u16(ps, e, &out->key_share_group, "key_share group"))
		return 0;
	if (out->is_hrr)
		return rd_end(ps, e, "key_share selected_group");
	if (!rd_block(ps, e, 2, &l, "key_share key_exchange"))
		return 0;
	out->key_share_len = (uint16_t)cur_len(&l.c);
	return rd_end(ps, e, "key_share");
}

static int sh_extension(struct ps *ps, uint16_t type, struct rd *e, void *ctx)
{
	struct sh_ctx *x = ctx;
	struct tls_server_hello *out = x->out;
	struct rd l, name;

	switch (type) {
	case EXT_SUPPORTED_VERSIONS:
		return rd_u16(ps, e, &out->selected_version, "supported_versions") &&
		       rd_end(ps, e, "supported_versions");
	case EXT_KEY_SHARE:
		return sh_key_share(ps, e, out);
	case EXT_KEY_SHARE_DRAFT:
		if (!x->has_ks40) {
			x->ks40 = *e;
			x->has_ks40 = 1;
		}
		return 1;
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

/* A HelloRetryRequest of handshake type 6 after its version: drafts 16-18 and the experiments have
 * the extensions next, drafts 19-21 a cipher_suite first; another version's layout is not read. */
static int hrr6_body(struct ps *ps, struct rd *body, const struct ext_out *eo, struct sh_ctx *x)
{
	uint16_t v = x->out->legacy_version;
	struct cursor block;

	if (!((v >= 0x7f10 && v <= 0x7f15) || (v >= 0x7e01 && v <= 0x7e03)))
		return 1;
	if (v >= 0x7f13 && v <= 0x7f15 && !rd_u16(ps, body, &x->out->cipher_suite, "cipher_suite"))
		return 0;
	return rd_extensions(ps, body, eo, sh_extension, x, &block) &&
	       rd_end(ps, body, "bytes after the extensions");
}

/* From the random on: TLS 1.2's layout (drafts 22 on too), or drafts 14-21's without session id
 * and compression method. */
static void sh_body(struct ps *ps, struct rd *body, const struct ext_out *eo, struct sh_ctx *x)
{
	static const uint8_t downgrd[7] = { 'D', 'O', 'W', 'N', 'G', 'R', 'D' };
	struct tls_server_hello *out = x->out;
	int old = out->draft_layout;
	struct cursor block;

	if (!rd_copy(ps, body, out->random, 32, "random"))
		return;
	if (!old) {
		out->is_hrr = memcmp(out->random, hrr_random, 32) == 0;
		if (memcmp(out->random + 24, downgrd, 7) == 0 && out->random[31] <= 1)
			out->downgrade = (uint8_t)(out->random[31] + 1);
	}
	if ((!old && !rd_session_id(ps, body, out->session_id, &out->session_id_len)) ||
	    !rd_u16(ps, body, &out->cipher_suite, "cipher_suite") ||
	    (!old && !rd_u8(ps, body, &out->compression, "compression_method")) ||
	    !rd_extensions(ps, body, eo, sh_extension, x, &block))
		return;
	rd_end(ps, body, "bytes after the extensions");
}

int tls_parse_server_hello(struct cursor msg, struct tls_server_hello *out)
{
	struct ps ps = { TLS_HELLO_OK, NULL };
	uint8_t no_grease = 0, type = 0;
	struct ext_out eo = { out->extensions, &out->n_extensions, &out->has_extensions,
			      &out->duplicate_extension, &no_grease, &out->extensions_total };
	struct sh_ctx x;
	struct rd body;

	memset(out, 0, sizeof(*out));
	memset(&x, 0, sizeof(x));
	x.out = out;
	cur_peek_u8(&msg, 0, &type);
	out->hrr_message = out->is_hrr = type == 6;
	if (!rd_handshake(&ps, msg, out->hrr_message ? 6 : 2, &body, &out->size) ||
	    !rd_u16(&ps, &body, &out->legacy_version, "legacy_version"))
		goto done;
	out->version = out->legacy_version;
	out->draft_layout = !out->hrr_message && out->legacy_version >= 0x7f0e && out->legacy_version <= 0x7f15;
	if (out->hrr_message)
		hrr6_body(&ps, &body, &eo, &x);
	else
		sh_body(&ps, &body, &eo, &x);
done:
	if (out->selected_version != 0)
		out->version = out->selected_version;
	if (x.has_ks40 && !out->has_key_share && key_share_40(out->version) && ps.status != TLS_HELLO_INVALID)
		sh_key_share(&ps, &x.ks40, out);
	out->error = ps.error;
	return ps.status;
}

int tls_hello_session_resumed(const struct tls_client_hello *ch, const struct tls_server_hello *sh)
{
	return sh->version < 0x0304 && !sh->is_hrr && sh->session_id_len != 0 &&
	       sh->session_id_len == ch->session_id_len &&
	       memcmp(sh->session_id, ch->session_id, sh->session_id_len) == 0;
}
