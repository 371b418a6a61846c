/* tls_sslv2.c: what an SSL 2.0 server sends: record headers, SERVER-HELLO, the client's CLIENT-MASTER-KEY, cipher kind names. */
#include "tls_hello.h"

#include <string.h>

/*
 * SSL 2.0 (draft-hickman-netscape-ssl-00, "The SSL Protocol", Netscape,
 * 1995; RFC 6176 prohibits it). A record header is 2 bytes when the first
 * byte's high bit is set (the record length: the other 15 bits), else 3 (the
 * length: the low 14 bits of the first two; the third byte is the padding's
 * length, for block ciphers). The length does not count the header. Message
 * types: 1 CLIENT-HELLO, 2 CLIENT-MASTER-KEY, 4 SERVER-HELLO, all sent in
 * clear; every message after CLIENT-MASTER-KEY is encrypted.
 */

size_t tls_sslv2_record_len(struct cursor c, size_t *hdr_len)
{
	uint8_t b0, b1, pad;

	if (!cur_peek_u8(&c, 0, &b0) || !cur_peek_u8(&c, 1, &b1))
		return 0;
	if (b0 & 0x80) {
		*hdr_len = 2;
		return 2 + ((size_t)(b0 & 0x7f) << 8 | b1);
	}
	if (!cur_peek_u8(&c, 2, &pad))
		return 0;
	*hdr_len = 3;
	return 3 + ((size_t)(b0 & 0x3f) << 8 | b1);
}

int tls_sslv2_server_sniff(struct cursor c)
{
	uint8_t b[7];

	if (!cur_peek_u8(&c, 0, &b[0]))
		return -1;
	if (!(b[0] & 0x80))
		return 0;
	if (!cur_copy(&c, b, sizeof(b)))
		return -1;
	/* a clear record (2-byte header) of at least the fixed fields, SERVER-HELLO, version 2 */
	return ((b[0] & 0x7f) << 8 | b[1]) >= 11 && b[2] == 4 && b[3] <= 1 && b[5] == 0 && b[6] == 2;
}

/* ---- reading with truncated vs invalid (as tls_hello.c does) ---- */

/* A block of the record, and whether the capture cut it (cut: running out of bytes is truncation). */
struct v2rd {
	struct cursor c;
	uint8_t cut;
};

struct v2ps {
	int status;
	const char *error;
};

/* The first failure wins; always 0, so that reads chain with ||. */
static int v2_fail(struct v2ps *ps, int truncated, const char *what)
{
	if (ps->status == TLS_HELLO_OK) {
		ps->status = truncated ? TLS_HELLO_TRUNCATED : TLS_HELLO_INVALID;
		ps->error = truncated ? NULL : what;
	}
	return 0;
}

static int v2_u8(struct v2ps *ps, struct v2rd *r, uint8_t *v, const char *what)
{
	return cur_get_u8(&r->c, v) || v2_fail(ps, r->cut, what);
}

static int v2_u16(struct v2ps *ps, struct v2rd *r, uint16_t *v, const char *what)
{
	return cur_get_u16(&r->c, v) || v2_fail(ps, r->cut, what);
}

/* The next n bytes as a sub-block: cut when r is cut and they are not all there. */
static int v2_take(struct v2ps *ps, struct v2rd *r, size_t n, struct v2rd *sub, const char *what)
{
	if (cur_get_bytes(&r->c, &sub->c, n)) {
		sub->cut = 0;
		return 1;
	}
	if (!r->cut)
		return v2_fail(ps, 0, what);
	cur_get_bytes(&r->c, &sub->c, cur_len(&r->c));
	sub->cut = 1;
	return 1;
}

/* The block is used up: a cut one is truncation, bytes left over are wrong. */
static int v2_end(struct v2ps *ps, const struct v2rd *r, const char *what)
{
	if (r->cut)
		return v2_fail(ps, 1, what);
	return cur_len(&r->c) == 0 || v2_fail(ps, 0, what);
}

/* ---- SERVER-HELLO ---- */

/* The fixed fields after the record header: msg_type to connection_id_length. */
static int v2_fixed(struct v2ps *ps, struct v2rd *r, struct tls_sslv2_server_hello *out, uint16_t *specs_len)
{
	uint8_t type;

	if (!v2_u8(ps, r, &type, "SSLv2 msg_type"))
		return 0;
	if (type != 4)
		return v2_fail(ps, 0, "SSLv2 msg_type is not SERVER-HELLO");
	if (!v2_u8(ps, r, &out->session_id_hit, "SSLv2 session_id_hit") ||
	    !v2_u8(ps, r, &out->cert_type, "SSLv2 certificate_type") ||
	    !v2_u16(ps, r, &out->version, "SSLv2 server_version") ||
	    !v2_u16(ps, r, &out->cert_len, "SSLv2 certificate_length") ||
	    !v2_u16(ps, r, specs_len, "SSLv2 cipher_specs_length") ||
	    !v2_u16(ps, r, &out->conn_id_len, "SSLv2 connection_id_length"))
		return 0;
	if (out->version != 0x0002)
		return v2_fail(ps, 0, "SSLv2 server_version is not 0x0002");
	if (*specs_len % 3 != 0)
		return v2_fail(ps, 0, "SSLv2 cipher_specs_length is not a multiple of 3");
	/* a session resumed: the certificate and the cipher specs are left out, their lengths 0 */
	if (out->session_id_hit && (out->cert_len != 0 || *specs_len != 0))
		return v2_fail(ps, 0, "SSLv2 session_id_hit with a certificate or cipher specs");
	if (out->conn_id_len < 16 || out->conn_id_len > 32)
		return v2_fail(ps, 0, "SSLv2 connection_id_length not 16..32");
	return 1;
}

int tls_parse_sslv2_server_hello(struct cursor record, struct tls_sslv2_server_hello *out)
{
	struct v2ps ps = { TLS_HELLO_OK, NULL };
	struct v2rd r = { record, 1 }, cert, specs, conn_id;
	size_t hdr = 0, len = tls_sslv2_record_len(record, &hdr);
	uint16_t specs_len = 0, lo;
	uint8_t hi;

	memset(out, 0, sizeof(*out));
	if (len == 0) {
		v2_fail(&ps, 1, NULL);
		goto done;
	}
	if (hdr != 2) {
		v2_fail(&ps, 0, "SSLv2 SERVER-HELLO record header is not the 2-byte form");
		goto done;
	}
	out->size = (uint32_t)len;
	if (cur_len(&record) >= len) {
		r.cut = 0;
		cur_truncate(&r.c, len);
	}
	cur_skip(&r.c, 2);
	if (!v2_fixed(&ps, &r, out, &specs_len) ||
	    !v2_take(&ps, &r, out->cert_len, &cert, "SSLv2 certificate_length"))
		goto done;
	out->cert_whole = !cert.cut;
	out->cert_off = 2 + 11;   /* the header, then the fixed fields */
	if (!v2_take(&ps, &r, specs_len, &specs, "SSLv2 cipher_specs_length"))
		goto done;
	while (cur_len(&specs.c) >= 3 && cur_get_u8(&specs.c, &hi) && cur_get_u16(&specs.c, &lo)) {
		if (out->n_specs < TLS_SSLV2_MAX_SPECS)
			out->specs[out->n_specs++] = (uint32_t)hi << 16 | lo;
		out->specs_total++;
	}
	if (!v2_end(&ps, &specs, "SSLv2 cipher_specs") ||
	    !v2_take(&ps, &r, out->conn_id_len, &conn_id, "SSLv2 connection_id_length") ||
	    (conn_id.cut && !v2_fail(&ps, 1, NULL)))
		goto done;
	v2_end(&ps, &r, "bytes after the SSLv2 connection_id");
done:
	out->error = ps.error;
	return ps.status;
}

/* ---- CLIENT-MASTER-KEY ---- */

int tls_sslv2_client_master_key(struct cursor record, uint32_t *kind)
{
	size_t hdr = 0, len = tls_sslv2_record_len(record, &hdr);
	uint16_t clear_len, enc_len, arg_len, lo;
	uint8_t type, hi;

	/* a clear message: a 2-byte header, no padding; its lengths add up to the record's */
	if (len == 0 || hdr != 2 || cur_len(&record) < len)
		return 0;
	cur_truncate(&record, len);
	cur_skip(&record, 2);
	if (!cur_get_u8(&record, &type) || type != 2 || !cur_get_u8(&record, &hi) || !cur_get_u16(&record, &lo) ||
	    !cur_get_u16(&record, &clear_len) || !cur_get_u16(&record, &enc_len) ||
	    !cur_get_u16(&record, &arg_len) || cur_len(&record) != (size_t)clear_len + enc_len + arg_len)
		return 0;
	*kind = (uint32_t)hi << 16 | lo;
	return 1;
}

/* The cipher kinds of draft-hickman-netscape-ssl-00 (appendix C, Protocol Constant Values). */
const char *tls_sslv2_cipher_name(uint32_t kind)
{
	static const struct {
		uint32_t kind;
		const char *name;
	} names[] = {
		{ 0x010080, "SSL_CK_RC4_128_WITH_MD5" },
		{ 0x020080, "SSL_CK_RC4_128_EXPORT40_WITH_MD5" },
		{ 0x030080, "SSL_CK_RC2_128_CBC_WITH_MD5" },
		{ 0x040080, "SSL_CK_RC2_128_CBC_EXPORT40_WITH_MD5" },
		{ 0x050080, "SSL_CK_IDEA_128_CBC_WITH_MD5" },
		{ 0x060040, "SSL_CK_DES_64_CBC_WITH_MD5" },
		{ 0x0700c0, "SSL_CK_DES_192_EDE3_CBC_WITH_MD5" },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].kind == kind)
			return names[i].name;
	return NULL;
}
