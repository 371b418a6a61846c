/* test_tls.c: TLS records and handshake messages on reassembled streams: records built by hand, RFC 8448, real captures flipped byte by byte. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/evp.h>

#include "certs/certs.h"
#include "tls.h"
#include "tls_cert.h"
#include "tls_wire.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

enum { CCS = 20, ALERT = 21, HS = 22, APP = 23 };

/* 2025-01-01T00:00:00Z in ns: within the test certificates' validity */
#define T0 1735689600000000000ll

/* ---- bytes built by hand (test code: plain buffer writes) ---- */

struct buf {
	uint8_t b[600000];
	size_t n;
};

static struct buf M;   /* the handshake message being built */
static struct buf R;   /* records being built */

static void put(struct buf *b, const void *p, size_t n)
{
	assert_true(b->n + n <= sizeof(b->b));
	if (n)
		memcpy(b->b + b->n, p, n);
	b->n += n;
}

static void put_u8(struct buf *b, unsigned v)
{
	uint8_t x = (uint8_t)v;
	put(b, &x, 1);
}

static void put_u16(struct buf *b, unsigned v)
{
	put_u8(b, v >> 8);
	put_u8(b, v & 0xff);
}

static void put_u24(struct buf *b, unsigned v)
{
	put_u8(b, v >> 16);
	put_u16(b, v & 0xffff);
}

/* Bytes that look random: what an encrypted body or a key is made of never matters here. */
static void put_fill(struct buf *b, unsigned seed, size_t n)
{
	uint32_t x = seed * 2654435761u + 1;
	for (size_t i = 0; i < n; i++) {
		x = x * 1103515245u + 12345u;
		put_u8(b, x >> 24);
	}
}

/* A length-prefixed block of 1, 2 or 3 length bytes: open, write its content, close. */
static size_t blk_open(struct buf *b, int width)
{
	size_t at = b->n;
	for (int i = 0; i < width; i++)
		put_u8(b, 0);
	return at;
}

static void blk_close(struct buf *b, size_t at, int width)
{
	size_t len = b->n - at - (size_t)width;
	for (int i = 0; i < width; i++)
		b->b[at + (size_t)i] = (uint8_t)(len >> (8 * (width - 1 - i)));
}

static void put_rec(struct buf *b, unsigned type, unsigned ver, const void *body, size_t n)
{
	put_u8(b, type);
	put_u16(b, ver);
	put_u16(b, (unsigned)n);
	put(b, body, n);
}

/* An encrypted record: its header, then n bytes nobody can read. */
static void put_enc(struct buf *b, unsigned type, size_t n, unsigned seed)
{
	put_u8(b, type);
	put_u16(b, 0x0303);
	put_u16(b, (unsigned)n);
	put_fill(b, seed, n);
}

static void put_ccs(struct buf *b)
{
	static const uint8_t one = 1;
	put_rec(b, CCS, 0x0303, &one, 1);
}

/* The message in M as handshake records of at most max bytes each. */
static void put_msg(struct buf *b, unsigned ver, size_t max)
{
	for (size_t o = 0; o < M.n; o += max)
		put_rec(b, HS, ver, M.b + o, M.n - o < max ? M.n - o : max);
}

static void msg_begin(unsigned type)
{
	M.n = 0;
	put_u8(&M, type);
	put_u24(&M, 0);
}

static void msg_end(void)
{
	blk_close(&M, 1, 3);
}

/* A TLS 1.2 ClientHello as OpenSSL sends one: SNI, x25519 and P-256, point formats. */
static void ch12(const char *sni)
{
	size_t e, x, l;

	msg_begin(1);
	put_u16(&M, 0x0303);
	put_fill(&M, 1, 32);
	put_u8(&M, 0);
	put_u16(&M, 6);
	put_u16(&M, 0xc02f);
	put_u16(&M, 0xc030);
	put_u16(&M, 0x009e);
	put_u8(&M, 1);
	put_u8(&M, 0);
	e = blk_open(&M, 2);
	put_u16(&M, 0x0000);
	x = blk_open(&M, 2);
	l = blk_open(&M, 2);
	put_u8(&M, 0);
	put_u16(&M, (unsigned)strlen(sni));
	put(&M, sni, strlen(sni));
	blk_close(&M, l, 2);
	blk_close(&M, x, 2);
	put_u16(&M, 0x000a);
	put_u16(&M, 6);
	put_u16(&M, 4);
	put_u16(&M, 0x001d);
	put_u16(&M, 0x0017);
	put_u16(&M, 0x000b);
	put_u16(&M, 2);
	put_u8(&M, 1);
	put_u8(&M, 0);
	blk_close(&M, e, 2);
	msg_end();
}

/* A TLS 1.2 ServerHello: ECDHE-RSA-AES128-GCM-SHA256, renegotiation_info, extended_master_secret. */
static void sh12(void)
{
	msg_begin(2);
	put_u16(&M, 0x0303);
	put_fill(&M, 2, 32);
	put_u8(&M, 32);
	put_fill(&M, 3, 32);
	put_u16(&M, 0xc02f);
	put_u8(&M, 0);
	put_u16(&M, 9);
	put_u16(&M, 0xff01);
	put_u16(&M, 1);
	put_u8(&M, 0);
	put_u16(&M, 0x0017);
	put_u16(&M, 0);
	msg_end();
}

/* The server's Certificate (RFC 5246 layout): www.example.test, then its intermediate. */
static void cert12(void)
{
	size_t l;

	msg_begin(11);
	l = blk_open(&M, 3);
	put_u24(&M, www_der_len);
	put(&M, www_der, www_der_len);
	put_u24(&M, inter_der_len);
	put(&M, inter_der, inter_der_len);
	blk_close(&M, l, 3);
	msg_end();
}

/* ServerKeyExchange, ECDHE on a named curve, signed. */
static void ske(unsigned group)
{
	msg_begin(12);
	put_u8(&M, 3);
	put_u16(&M, group);
	put_u8(&M, 32);
	put_fill(&M, 4, 32);
	put_u16(&M, 0x0403);
	put_u16(&M, 72);
	put_fill(&M, 5, 72);
	msg_end();
}

/* CertificateRequest: rsa_sign and ecdsa_sign, two signature schemes, no CA names. */
static void cert_request(void)
{
	msg_begin(13);
	put_u8(&M, 2);
	put_u8(&M, 1);
	put_u8(&M, 64);
	put_u16(&M, 4);
	put_u16(&M, 0x0403);
	put_u16(&M, 0x0804);
	put_u16(&M, 0);
	msg_end();
}

static void empty_msg(unsigned type)
{
	msg_begin(type);
	msg_end();
}

/* The client's Certificate with no certificate in it (RFC 5246 7.4.6). */
static void cert12_empty(void)
{
	msg_begin(11);
	put_u24(&M, 0);
	msg_end();
}

static void cke(void)
{
	msg_begin(16);
	put_u8(&M, 32);
	put_fill(&M, 6, 32);
	msg_end();
}

/* Hex as the RFCs print it (spaces allowed). */
static size_t unhex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;
	int hi = -1;
	for (; *s; s++) {
		int v;
		if (*s >= '0' && *s <= '9')
			v = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			v = *s - 'a' + 10;
		else
			continue;
		if (hi < 0) {
			hi = v;
		} else {
			assert_true(n < cap);
			out[n++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	assert_int_equal(hi, -1);
	return n;
}

/* ---- one connection, both directions, fed as segments ---- */

/* What must hold after every segment, whatever the bytes. */
static void check_conn(const struct tls_conn *t)
{
	for (int d = 0; d < 2; d++) {
		const struct tls_side *s = &t->side[d];
		assert_true(reasm_selfcheck(t->rs[d]));
		assert_true(reasm_footprint(t->rs[d]) <= reasm_footprint_max());
		assert_true(s->hs_len <= TLS_HS_CAP);
		assert_true((s->hs == NULL) == (s->hs_len == 0));
		assert_true(s->enc_hs_records <= s->enc_records && s->enc_records <= s->records);
		assert_true(s->first_line_len <= TLS_FIRST_LINE);
		assert_true(s->mode <= TLS_MODE_BROKEN);
		if (s->mode == TLS_MODE_PLAIN || s->mode == TLS_MODE_BROKEN) {
			/* nothing further is kept of a side that is not TLS (any more): its bytes are counted */
			assert_true(reasm_footprint(t->rs[d]) <= reasm_footprint_max() - REASM_CAP);
			assert_true(reasm_flags(t->rs[d]) & REASM_DISCARD);
			assert_null(s->hs);
		}
		assert_true(s->hs_skip == 0 || s->hs_cut > 0);
		assert_true(s->bad == TLS_BAD_NONE || s->mode == TLS_MODE_BROKEN);
		const struct tls_rec_note *n = tls_short_last_record(t, d);
		if (n != NULL) {
			assert_true(n->len < tls13_min_finished(t));
			assert_true(tls_version_is_13(tls_version(t)));
		}
	}
	assert_true(t->nalerts <= TLS_MAX_ALERTS && t->nalerts <= t->alerts_total);
	assert_true(t->ch2 == NULL || t->hrr);
	assert_true(t->cert_msg == NULL || (t->cert_msg_len >= 4 && t->cert_msg_len <= TLS_HS_CAP));
	struct tls_issue is[TLS_MAX_ISSUES];
	size_t ni = tls_issues(t, is, TLS_MAX_ISSUES);
	assert_true(ni <= TLS_MAX_ISSUES);
	for (size_t i = 0; i < ni; i++)
		assert_true(is[i].kind >= TLS_ISSUE_BAD_RECORD && is[i].kind <= TLS_ISSUE_SSLV2);
	/* seen: a record taken, or bytes that start like records (or an SSLv2 hello) */
	int seen = 0;
	for (int d = 0; d < 2; d++)
		seen |= t->side[d].records > 0 || t->side[d].mode == TLS_MODE_RECORDS ||
			t->side[d].mode == TLS_MODE_SSLV2;
	assert_int_equal(tls_seen(t), seen);
	if (tls_established(t))
		assert_int_not_equal(tls_version(t), 0);
}

struct wire {
	struct tls_conn *t;
	uint32_t isn[2];
	uint64_t next[2];   /* stream offset past the furthest byte sent */
	uint64_t frame;
	int64_t ts;
};

static struct wire wire_open(uint32_t isn_client, uint32_t isn_server, int syn)
{
	struct wire w = { tls_new(), { isn_client, isn_server }, { 0, 0 }, 0, T0 };

	assert_non_null(w.t);
	if (syn) {
		tls_syn(w.t, 0, isn_client);
		tls_syn(w.t, 1, isn_server);
	}
	return w;
}

/* One segment with the stream bytes [off, off + n) of direction dir, 1 ms after the previous one. */
static int seg_at(struct wire *w, int dir, uint64_t off, const void *p, size_t n)
{
	int r;

	w->frame++;
	w->ts += 1000000;
	if (off + n > w->next[dir])
		w->next[dir] = off + n;
	r = tls_segment(w->t, dir, w->isn[dir] + 1 + (uint32_t)off, p, n, w->frame, w->ts);
	assert_true(r == 0 || r == 1);
	check_conn(w->t);
	return r;
}

static int seg(struct wire *w, int dir, const void *p, size_t n)
{
	return seg_at(w, dir, w->next[dir], p, n);
}

/* A buffer as segments of at most mss bytes; the results or'ed. */
static int segs(struct wire *w, int dir, const struct buf *b, size_t mss)
{
	int r = 0;
	for (size_t o = 0; o < b->n; o += mss)
		r |= seg(w, dir, b->b + o, b->n - o < mss ? b->n - o : mss);
	return r;
}

/* Heap bytes the stream of side dir holds now. */
static size_t held(const struct wire *w, int dir)
{
	return reasm_footprint(w->t->rs[dir]);
}

/*
 * The stream of side dir holds no byte: its bookkeeping only, no buffer, no
 * queue. During the handshake (REASM_RETAIN), the bytes already read are held
 * for exact comparison with any later copy: then it holds no unread byte.
 */
static int holds_nothing(const struct wire *w, int dir)
{
	const struct reasm *r = w->t->rs[dir];
	struct cursor c;
	uint64_t a, b;

	if (reasm_flags(r) & REASM_RETAIN)
		return reasm_data(r, &c) == 0 && reasm_gap(r, &a, &b) == REASM_GAP_NONE;
	return held(w, dir) < reasm_footprint_max() - REASM_CAP;
}


/* How many issues of a kind t has; the first in *out. */
static size_t issues_of(const struct tls_conn *t, int kind, struct tls_issue *out)
{
	struct tls_issue is[TLS_MAX_ISSUES];
	size_t n = tls_issues(t, is, TLS_MAX_ISSUES), k = 0;
	for (size_t i = 0; i < n; i++)
		if (is[i].kind == kind && k++ == 0 && out != NULL)
			*out = is[i];
	return k;
}

/* ---- records built by hand ---- */

/* The server's first flight of a TLS 1.2 handshake into R, one message a record. */
static void server_flight12(int with_cert_request)
{
	sh12();
	put_msg(&R, 0x0303, 16384);
	cert12();
	put_msg(&R, 0x0303, 16384);
	ske(0x001d);
	put_msg(&R, 0x0303, 16384);
	if (with_cert_request) {
		cert_request();
		put_msg(&R, 0x0303, 16384);
	}
	empty_msg(14);
	put_msg(&R, 0x0303, 16384);
}

static void test_records_in_one_segment(void **state)
{
	(void)state;
	/* the client's ISN just below 2^32: its ClientHello's bytes wrap the sequence space */
	struct wire w = wire_open(0xffffff80u, 0x7a3c0001u, 1);
	struct tls_conn *t = w.t;
	size_t cert_len;

	R.n = 0;
	ch12("www.example.test");
	put_msg(&R, 0x0301, 16384);
	assert_int_equal(seg(&w, 0, R.b, R.n), 1);
	assert_non_null(t->ch);
	assert_int_equal(t->ch_status, TLS_HELLO_OK);
	assert_int_equal(t->ch->sni_len, 16);
	assert_memory_equal(t->ch->sni, "www.example.test", 16);
	assert_int_equal(t->ch_frame, 1);
	assert_int_equal(t->ch_ts, T0 + 1000000);
	assert_int_equal(t->ch_start, 0);
	assert_int_equal(t->ch_end, R.n);
	assert_int_equal(t->side[0].mode, TLS_MODE_RECORDS);
	assert_int_equal(t->side[0].records, 1);
	assert_int_equal(t->side[0].hs_seen, TLS_HS_BIT(1));
	assert_int_equal(reasm_offset(t->rs[0]), R.n);
	assert_true(holds_nothing(&w, 0));

	/* ServerHello, Certificate, ServerKeyExchange, ServerHelloDone: four records, one segment */
	R.n = 0;
	server_flight12(0);
	cert12();
	cert_len = M.n;
	assert_true(R.n < 1448);
	assert_int_equal(seg(&w, 1, R.b, R.n), 1);
	assert_int_equal(t->side[1].records, 4);
	assert_int_equal(t->side[1].hs_seen, TLS_HS_BIT(2) | TLS_HS_BIT(11) | TLS_HS_BIT(12) | TLS_HS_BIT(14));
	assert_non_null(t->sh);
	assert_int_equal(t->sh_status, TLS_HELLO_OK);
	assert_int_equal(t->sh->cipher_suite, 0xc02f);
	assert_int_equal(tls_version(t), 0x0303);
	assert_int_equal(t->v13, 0);
	assert_int_equal(t->ske_group, 29);
	assert_int_equal(t->cert_request, 0);
	assert_int_equal(t->cert_msg_len, cert_len);
	assert_memory_equal(t->cert_msg, M.b, cert_len);
	assert_int_equal(t->cert_frame, 2);
	assert_null(t->side[1].hs);
	assert_true(holds_nothing(&w, 1));
	assert_int_equal(tls_established(t), 0);
	assert_int_equal(tls_seen(t), 1);
	tls_free(t);
}

static void test_record_across_three_segments(void **state)
{
	(void)state;
	struct wire w = wire_open(3202015855u, 127211004u, 1);
	struct tls_conn *t = w.t;

	R.n = 0;
	ch12("www.example.test");
	put_msg(&R, 0x0301, 16384);
	/* three bytes of the header; the rest of it and most of the body; the last byte */
	assert_int_equal(seg(&w, 0, R.b, 3), 0);
	assert_int_equal(t->side[0].mode, TLS_MODE_RECORDS);
	assert_int_equal(seg(&w, 0, R.b + 3, R.n - 4), 0);
	assert_null(t->ch);
	assert_int_equal(t->side[0].records, 0);
	assert_int_equal(tls_seen(t), 1);   /* the bytes start like a record */
	assert_int_equal(seg(&w, 0, R.b + R.n - 1, 1), 1);
	assert_non_null(t->ch);
	assert_int_equal(t->ch_status, TLS_HELLO_OK);
	assert_int_equal(t->ch_frame, 3);
	assert_int_equal(t->ch_end, R.n);
	assert_int_equal(t->side[0].records, 1);
	assert_true(holds_nothing(&w, 0));

	/* the ServerHello record cut in three too: nothing until its last byte */
	R.n = 0;
	sh12();
	put_msg(&R, 0x0303, 16384);
	assert_int_equal(seg(&w, 1, R.b, 20), 0);
	assert_int_equal(seg(&w, 1, R.b + 20, 40), 0);
	assert_null(t->sh);
	assert_int_equal(seg(&w, 1, R.b + 60, R.n - 60), 1);
	assert_non_null(t->sh);
	assert_int_equal(t->sh_frame, 6);
	assert_int_equal(tls_version(t), 0x0303);
	tls_free(t);
}

/* A ClientHello split into two handshake records, cut at byte `cut` of the message. */
static void split_hello(size_t cut, int one_segment)
{
	struct wire w = wire_open(1000, 2000, 1);
	struct tls_conn *t = w.t;
	size_t first;

	ch12("www.example.test");
	R.n = 0;
	put_rec(&R, HS, 0x0301, M.b, cut);
	first = R.n;
	put_rec(&R, HS, 0x0301, M.b + cut, M.n - cut);
	if (one_segment) {
		assert_int_equal(seg(&w, 0, R.b, R.n), 1);
	} else {
		assert_int_equal(seg(&w, 0, R.b, first), 0);
		assert_null(t->ch);
		assert_int_equal(t->side[0].records, 1);
		assert_int_equal(t->side[0].hs_len, cut);
		assert_int_equal(t->side[0].hs_start, 0);
		assert_int_equal(seg(&w, 0, R.b + first, R.n - first), 1);
	}
	assert_non_null(t->ch);
	assert_int_equal(t->ch_status, TLS_HELLO_OK);
	assert_int_equal(t->ch->size, M.n);
	assert_int_equal(t->ch->sni_len, 16);
	assert_int_equal(t->ch_start, 0);             /* the record that began it */
	assert_int_equal(t->ch_end, R.n);             /* past the record that completed it */
	assert_int_equal(t->side[0].records, 2);
	assert_null(t->side[0].hs);
	assert_int_equal(t->side[0].hs_len, 0);
	assert_true(holds_nothing(&w, 0));
	tls_free(t);
}

static void test_message_across_records(void **state)
{
	(void)state;
	ch12("www.example.test");
	const size_t n = M.n;
	const size_t cuts[] = { 1, 2, 3, 4, 5, 43, 60, n - 1 };

	for (size_t i = 0; i < N(cuts); i++) {
		split_hello(cuts[i], 1);
		split_hello(cuts[i], 0);
	}
}

static void test_certificate_across_records(void **state)
{
	(void)state;
	struct wire w = wire_open(0x0badcafe, 0xfffffff0u, 1);
	struct tls_conn *t = w.t;
	struct tls_cert_findings f;
	uint8_t cert[2048];
	size_t cert_len, sh_len;

	R.n = 0;
	ch12("www.example.test");
	put_msg(&R, 0x0301, 16384);
	assert_int_equal(seg(&w, 0, R.b, R.n), 1);

	/* ServerHello and the Certificate's first 200 bytes in one record, the rest 300 bytes
	 * a record, ServerKeyExchange and ServerHelloDone together in the last */
	cert12();
	cert_len = M.n;
	assert_true(cert_len < sizeof(cert));
	memcpy(cert, M.b, cert_len);
	sh12();
	sh_len = M.n;
	put(&M, cert, 200);
	R.n = 0;
	put_rec(&R, HS, 0x0303, M.b, M.n);
	for (size_t o = 200; o < cert_len; o += 300)
		put_rec(&R, HS, 0x0303, cert + o, cert_len - o < 300 ? cert_len - o : 300);
	ske(0x0017);
	put(&M, "\x0e\x00\x00\x00", 4);
	put_rec(&R, HS, 0x0303, M.b, M.n);
	assert_int_equal(segs(&w, 1, &R, 500), 1);

	assert_non_null(t->sh);
	assert_int_equal(t->sh->size, sh_len);
	assert_int_equal(t->side[1].records, 2 + (cert_len - 200 + 299) / 300);
	assert_int_equal(t->cert_msg_len, cert_len);
	assert_memory_equal(t->cert_msg, cert, cert_len);
	assert_int_equal(t->ske_group, 0x0017);
	assert_true(t->side[1].hs_seen & TLS_HS_BIT(14));
	assert_null(t->side[1].hs);

	const struct tls_cert_chain *chain = tls_certificates(t, &f);
	assert_non_null(chain);
	assert_int_equal(chain->status, TLS_CERT_OK);
	assert_int_equal(chain->n_certs, 2);
	assert_string_equal(chain->certs[0].sha256, www_sha256);
	assert_string_equal(chain->certs[1].sha256, inter_sha256);
	assert_int_equal(chain->name, TLS_CERT_NAME_MATCH);
	assert_int_equal(f.flags & TLS_CERT_F_PROBLEMS, 0);
	tls_free(t);
}

static void test_out_of_order_and_retransmitted(void **state)
{
	(void)state;
	struct wire w = wire_open(0x40000000u, 0xdeadbeefu, 1);
	struct tls_conn *t = w.t;
	size_t a, b;
	struct reasm_stats st;

	/* the client's hello in two segments, the second first */
	R.n = 0;
	ch12("www.example.test");
	put_msg(&R, 0x0301, 16384);
	a = 40;
	assert_true(R.n > a);
	assert_int_equal(seg_at(&w, 0, a, R.b + a, R.n - a), 1);   /* out of order: evidence */
	assert_null(t->ch);
	assert_int_equal(t->side[0].mode, TLS_MODE_NONE);
	assert_int_equal(seg_at(&w, 0, 0, R.b, a), 1);
	assert_non_null(t->ch);
	assert_int_equal(t->ch_status, TLS_HELLO_OK);
	assert_int_equal(t->ch_frame, 2);
	assert_int_equal(t->ch_end, R.n);

	/* the server's flight in three segments cut inside records: 1, 3, 2, then 2 and 1 again */
	R.n = 0;
	server_flight12(1);
	a = 300;
	b = 900;
	assert_true(R.n > b);
	assert_int_equal(seg_at(&w, 1, 0, R.b, a), 1);             /* the ServerHello */
	assert_non_null(t->sh);
	assert_null(t->cert_msg);
	assert_int_equal(seg_at(&w, 1, b, R.b + b, R.n - b), 1);   /* out of order */
	assert_null(t->cert_msg);
	assert_int_equal(t->ske_group, 0);
	assert_int_equal(seg_at(&w, 1, a, R.b + a, b - a), 0);     /* fills the hole: nothing a verdict rests on */
	assert_non_null(t->cert_msg);
	assert_int_equal(t->ske_group, 0x001d);
	assert_int_equal(t->cert_request, 1);
	assert_int_equal(t->side[1].records, 5);
	assert_true(t->side[1].hs_seen & TLS_HS_BIT(14));
	assert_true(holds_nothing(&w, 1));

	uint32_t seen = t->side[1].hs_seen;
	uint64_t cert_frame = t->cert_frame;
	assert_int_equal(seg_at(&w, 1, a, R.b + a, b - a), 1);     /* retransmitted: evidence during the handshake */
	assert_int_equal(seg_at(&w, 1, 0, R.b, R.n), 1);
	assert_int_equal(t->side[1].records, 5);
	assert_int_equal(t->side[1].hs_seen, seen);
	assert_int_equal(t->cert_frame, cert_frame);
	reasm_stats(t->rs[1], &st);
	assert_int_equal(st.bytes, R.n + (b - a) + R.n);
	assert_int_equal(st.retrans_bytes, (b - a) + R.n);
	assert_int_equal(st.ooo_segments, 1);
	assert_int_equal(st.conflicts, 0);
	assert_true(holds_nothing(&w, 1));
	tls_free(t);
}

/* ---- RFC 8448 section 3, "Simple 1-RTT Handshake" ---- */

/* "{client} send handshake record: payload (196 octets)" with its header "16 03 01 00 c4" */
static const char rfc8448_ch_rec_hex[] =
	"16 03 01 00 c4"
	"01 00 00 c0 03 03 cb 34 ec b1 e7 81 63"
	"ba 1c 38 c6 da cb 19 6a 6d ff a2 1a 8d 99 12 ec 18 a2 ef 62 83"
	"02 4d ec e7 00 00 06 13 01 13 03 13 02 01 00 00 91 00 00 00 0b"
	"00 09 00 00 06 73 65 72 76 65 72 ff 01 00 01 00 00 0a 00 14 00"
	"12 00 1d 00 17 00 18 00 19 01 00 01 01 01 02 01 03 01 04 00 23"
	"00 00 00 33 00 26 00 24 00 1d 00 20 99 38 1d e5 60 e4 bd 43 d2"
	"3d 8e 43 5a 7d ba fe b3 c0 6e 51 c1 3c ae 4d 54 13 69 1e 52 9a"
	"af 2c 00 2b 00 03 02 03 04 00 0d 00 20 00 1e 04 03 05 03 06 03"
	"02 03 08 04 08 05 08 06 04 01 05 01 06 01 02 01 04 02 05 02 06"
	"02 02 02 00 2d 00 02 01 01 00 1c 00 02 40 01";

/* "{server} send handshake record: payload (90 octets)" with its header "16 03 03 00 5a" */
static const char rfc8448_sh_rec_hex[] =
	"16 03 03 00 5a"
	"02 00 00 56 03 03 a6 af 06 a4 12 18 60"
	"dc 5e 6e 60 24 9c d3 4c 95 93 0c 8a c5 cb 14 34 da c1 55 77 2e"
	"d3 e2 69 28 00 13 01 00 00 2e 00 33 00 24 00 1d 00 20 c9 82 88"
	"76 11 20 95 fe 66 76 2b db f7 c6 72 e1 56 d6 cc 25 3b 83 3d f1"
	"dd 69 b1 b0 4e 75 1f 0f 00 2b 00 02 03 04";

/* "{client} send handshake record: complete record (58 octets)": the client's Finished */
static const char rfc8448_cfin_rec_hex[] =
	"17 03 03 00 35 75 ec 4d c2 38 cc e6"
	"0b 29 80 44 a7 1e 21 9c 56 cc 77 b0 51 7f e9 b9 3c 7a 4b fc 44"
	"d8 7f 38 f8 03 38 ac 98 fc 46 de b3 84 bd 1c ae ac ab 68 67 d7"
	"26 c4 05 46";

/* The server's encrypted flight (EncryptedExtensions to Finished) is one record of 674
 * bytes in the RFC ("complete record (679 octets)", header 17 03 03 02 a2); its body is
 * never read, so it is filler here. */
#define RFC8448_FLIGHT_LEN 674

/* The RFC's hellos as records, the client's into R at 0, the server's hello after it. */
static void rfc8448_hellos(size_t *ch_len, size_t *sh_len)
{
	R.n = unhex(rfc8448_ch_rec_hex, R.b, sizeof(R.b));
	*ch_len = R.n;
	R.n += unhex(rfc8448_sh_rec_hex, R.b + R.n, sizeof(R.b) - R.n);
	*sh_len = R.n - *ch_len;
	assert_int_equal(*ch_len, 5 + 196);
	assert_int_equal(*sh_len, 5 + 90);
}

static void test_rfc8448(void **state)
{
	(void)state;
	struct wire w = wire_open(0x5a5a0000u, 0x00001234u, 1);
	struct tls_conn *t = w.t;
	struct reasm_stats st;
	uint8_t fin[64];
	size_t ch_len, sh_len, fin_len, idle;

	rfc8448_hellos(&ch_len, &sh_len);
	assert_int_equal(seg(&w, 0, R.b, ch_len), 1);
	assert_int_equal(t->ch_status, TLS_HELLO_OK);
	assert_int_equal(t->ch->version, 0x0304);
	assert_string_equal(t->ch->ja4, "t13d030900_55b375c5d22e_59cd3dafc54d");
	assert_memory_equal(t->ch->sni, "server", 6);
	assert_true(holds_nothing(&w, 0));
	/* until the handshake is done, the hello's bytes are held to compare any later copy with */
	assert_true(reasm_flags(t->rs[0]) & REASM_RETAIN);
	assert_true(held(&w, 0) >= reasm_footprint_max() - REASM_CAP);

	/* the ServerHello and the encrypted flight in one segment */
	memmove(R.b, R.b + ch_len, sh_len);
	R.n = sh_len;
	put_enc(&R, APP, RFC8448_FLIGHT_LEN, 1);
	assert_int_equal(seg(&w, 1, R.b, R.n), 1);
	assert_non_null(t->sh);
	assert_int_equal(t->sh_status, TLS_HELLO_OK);
	assert_int_equal(t->sh->cipher_suite, 0x1301);
	assert_int_equal(tls_version(t), 0x0304);
	assert_int_equal(t->v13, 1);
	assert_int_equal(t->side[0].protected_, 1);
	assert_int_equal(t->side[1].protected_, 1);
	assert_int_equal(t->side[1].records, 2);
	assert_int_equal(t->side[1].enc_records, 1);
	assert_int_equal(t->side[1].enc_bytes, RFC8448_FLIGHT_LEN);
	assert_int_equal(t->side[1].first_enc.len, RFC8448_FLIGHT_LEN);
	assert_int_equal(t->side[1].first_enc.frame, 2);
	assert_int_equal(t->side[1].hs_seen, TLS_HS_BIT(2));
	reasm_stats(t->rs[1], &st);
	assert_int_equal(st.skipped_bytes, RFC8448_FLIGHT_LEN);
	assert_true(holds_nothing(&w, 1));
	assert_int_equal(tls_established(t), 0);

	/* the client's Finished: its first encrypted record, which establishes */
	fin_len = unhex(rfc8448_cfin_rec_hex, fin, sizeof(fin));
	assert_int_equal(fin_len, 58);
	assert_int_equal(seg(&w, 0, fin, fin_len), 1);
	assert_int_equal(t->side[0].enc_records, 1);
	assert_int_equal(t->side[0].first_enc.len, 53);
	assert_int_equal(t->side[0].enc_hs_records, 0);
	assert_int_equal(tls_established(t), 1);
	assert_null(tls_short_last_record(t, 0));
	/* done: nothing is held any more */
	assert_int_equal(t->done, 1);
	assert_false(reasm_flags(t->rs[0]) & REASM_RETAIN);
	assert_false(reasm_flags(t->rs[1]) & REASM_RETAIN);
	idle = held(&w, 0);
	assert_true(holds_nothing(&w, 0));
	assert_true(holds_nothing(&w, 1));
	assert_int_equal(t->side[0].evid_end, ch_len + fin_len);
	assert_int_equal(t->side[1].evid_end, sh_len + 5 + RFC8448_FLIGHT_LEN);

	/* NewSessionTicket: nothing new to say */
	R.n = 0;
	put_enc(&R, APP, 222, 2);
	assert_int_equal(seg(&w, 1, R.b, R.n), 0);
	assert_int_equal(t->side[1].enc_after_peer, 1);

	/* a 16 KB record in 1448-byte segments: counted, never held */
	R.n = 0;
	put_enc(&R, APP, 16384, 3);
	for (size_t o = 0; o < R.n; o += 1448) {
		assert_int_equal(seg(&w, 0, R.b + o, R.n - o < 1448 ? R.n - o : 1448), 0);
		assert_int_equal(held(&w, 0), idle);
	}
	reasm_stats(t->rs[0], &st);
	assert_int_equal(st.skipped_bytes, 53 + 16384);
	assert_int_equal(st.bytes, ch_len + fin_len + R.n);
	assert_int_equal(st.dropped_bytes, 0);
	assert_int_equal(t->side[0].enc_bytes, 53 + 16384);
	assert_int_equal(t->side[0].last_enc.len, 16384);

	/* the response, then close_notify both ways (19 bytes: RFC 8446 5.2): after an
	 * exchange they are not the short last record of a rejected handshake */
	R.n = 0;
	put_enc(&R, APP, 67, 4);
	assert_int_equal(seg(&w, 1, R.b, R.n), 0);
	R.n = 0;
	put_enc(&R, APP, TLS_ENC_ALERT_LEN, 5);
	assert_int_equal(seg(&w, 0, R.b, R.n), 0);
	assert_int_equal(t->side[0].last_enc.len, TLS_ENC_ALERT_LEN);
	assert_null(tls_short_last_record(t, 0));
	R.n = 0;
	put_enc(&R, APP, TLS_ENC_ALERT_LEN, 6);
	assert_int_equal(seg(&w, 1, R.b, R.n), 0);
	assert_null(tls_short_last_record(t, 1));
	assert_int_equal(tls_established(t), 1);
	assert_int_equal(t->nalerts, 0);
	assert_int_equal(t->side[0].records, 4);
	assert_int_equal(t->side[1].records, 5);
	assert_true(holds_nothing(&w, 0));
	assert_true(holds_nothing(&w, 1));
	tls_free(t);
}

/* ---- TLS 1.2 ---- */

/* A TLS 1.2 handshake up to the server's first flight (with CertificateRequest). */
static struct wire tls12_start(void)
{
	struct wire w = wire_open(2754328761u, 4009873262u, 1);

	R.n = 0;
	ch12("www.example.test");
	put_msg(&R, 0x0301, 16384);
	assert_int_equal(seg(&w, 0, R.b, R.n), 1);
	R.n = 0;
	server_flight12(1);
	assert_int_equal(segs(&w, 1, &R, 1448), 1);
	return w;
}

/* The client's second flight: Certificate (empty), ClientKeyExchange, CCS, Finished. */
static void client_flight12(void)
{
	R.n = 0;
	cert12_empty();
	put_msg(&R, 0x0303, 16384);
	cke();
	put_msg(&R, 0x0303, 16384);
	put_ccs(&R);
	put_enc(&R, HS, 40, 7);
}

static void test_tls12_flow(void **state)
{
	(void)state;
	struct wire w = tls12_start();
	struct tls_conn *t = w.t;
	struct tls_cert_findings f;

	assert_int_equal(tls_version(t), 0x0303);
	assert_int_equal(t->ske_group, 29);
	assert_int_equal(t->cert_request, 1);
	assert_int_equal(t->side[1].hs_seen, TLS_HS_BIT(2) | TLS_HS_BIT(11) | TLS_HS_BIT(12) |
						   TLS_HS_BIT(13) | TLS_HS_BIT(14));
	assert_int_equal(t->side[1].enc_records, 0);

	client_flight12();
	assert_int_equal(seg(&w, 0, R.b, R.n), 1);   /* the client's first encrypted record */
	assert_int_equal(t->side[0].hs_seen, TLS_HS_BIT(1) | TLS_HS_BIT(11) | TLS_HS_BIT(16));
	assert_int_equal(t->side[0].ccs, 1);
	assert_int_equal(t->side[0].records, 5);
	assert_int_equal(t->side[0].enc_records, 1);
	assert_int_equal(t->side[0].enc_hs_records, 1);
	assert_int_equal(t->side[0].first_enc.len, 40);
	assert_int_equal(tls_established(t), 0);
	/* the client's (empty) Certificate is not taken for the server's */
	assert_int_equal(t->cert_msg_len, 4 + 3 + 3 + www_der_len + 3 + inter_der_len);

	R.n = 0;
	put_ccs(&R);
	put_enc(&R, HS, 40, 8);
	assert_int_equal(seg(&w, 1, R.b, R.n), 0);
	assert_int_equal(t->side[1].ccs, 1);
	assert_int_equal(t->side[1].enc_hs_records, 1);
	assert_int_equal(tls_established(t), 1);

	/* application data both ways, and a retransmission: no longer evidence */
	R.n = 0;
	put_enc(&R, APP, 100, 9);
	assert_int_equal(seg(&w, 0, R.b, R.n), 0);
	assert_int_equal(seg_at(&w, 0, w.next[0] - R.n, R.b, R.n), 0);
	assert_int_equal(seg(&w, 1, R.b, R.n), 0);
	assert_int_equal(t->side[0].enc_records, 2);
	assert_int_equal(t->side[0].enc_hs_records, 1);
	assert_int_equal(t->side[1].enc_after_peer, 2);
	assert_null(tls_short_last_record(t, 0));
	assert_null(tls_short_last_record(t, 1));

	const struct tls_cert_chain *chain = tls_certificates(t, &f);
	assert_non_null(chain);
	assert_int_equal(chain->n_certs, 2);
	assert_int_equal(chain->tls13, 0);
	assert_true(holds_nothing(&w, 0));
	assert_true(holds_nothing(&w, 1));
	tls_free(t);
}

/* ---- alerts ---- */

static void test_alert_clear(void **state)
{
	(void)state;
	static const uint8_t alert[7] = { 0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x46 };
	struct wire w = wire_open(11, 22, 1);
	struct tls_conn *t = w.t;

	R.n = 0;
	ch12("www.example.test");
	put_msg(&R, 0x0301, 16384);
	assert_int_equal(seg(&w, 0, R.b, R.n), 1);
	assert_int_equal(seg(&w, 1, alert, 5), 0);
	assert_int_equal(t->nalerts, 0);
	assert_int_equal(seg(&w, 1, alert + 5, 2), 1);
	assert_int_equal(t->nalerts, 1);
	assert_int_equal(t->alerts_total, 1);
	assert_int_equal(t->alerts[0].from, 1);
	assert_int_equal(t->alerts[0].level, 2);
	assert_int_equal(t->alerts[0].desc, 70);   /* protocol_version */
	assert_int_equal(t->alerts[0].encrypted, 0);
	assert_int_equal(t->alerts[0].frame, 3);
	assert_int_equal(t->alerts[0].ts, T0 + 3000000);
	assert_int_equal(t->side[1].records, 1);
	assert_int_equal(t->side[1].enc_records, 0);
	assert_int_equal(tls_version(t), 0);
	assert_int_equal(tls_seen(t), 1);

	/* more alerts than are kept: counted */
	for (int i = 0; i < TLS_MAX_ALERTS + 2; i++)
		assert_int_equal(seg(&w, 1, alert, sizeof(alert)), 1);
	assert_int_equal(t->nalerts, TLS_MAX_ALERTS);
	assert_int_equal(t->alerts_total, TLS_MAX_ALERTS + 3);
	tls_free(t);
}

static void test_alert_encrypted_tls12(void **state)
{
	(void)state;
	struct wire w = tls12_start();
	struct tls_conn *t = w.t;

	client_flight12();
	assert_int_equal(seg(&w, 0, R.b, R.n), 1);
	/* the server refuses the client's Finished: an alert after its own CCS, encrypted
	 * (2 bytes of alert, 8 of explicit nonce, 16 of GCM tag) */
	R.n = 0;
	put_ccs(&R);
	put_enc(&R, ALERT, 26, 10);
	assert_int_equal(seg(&w, 1, R.b, R.n), 1);
	assert_int_equal(t->nalerts, 1);
	assert_int_equal(t->alerts[0].from, 1);
	assert_int_equal(t->alerts[0].encrypted, 1);
	assert_int_equal(t->alerts[0].frame, w.frame);
	assert_int_equal(t->side[1].enc_records, 1);
	assert_int_equal(t->side[1].enc_hs_records, 0);
	assert_int_equal(tls_established(t), 0);

	/* the client answers in kind */
	R.n = 0;
	put_enc(&R, ALERT, 26, 11);
	assert_int_equal(seg(&w, 0, R.b, R.n), 1);
	assert_int_equal(t->nalerts, 2);
	assert_int_equal(t->alerts[1].from, 0);
	assert_int_equal(t->alerts[1].encrypted, 1);
	assert_true(holds_nothing(&w, 0));
	tls_free(t);
}

/* More alerts than are kept: each side's first always is (a verdict rests on it), the rest counted. */
static void test_alerts_not_kept(void **state)
{
	(void)state;
	struct wire w = tls12_start();
	struct tls_conn *t = w.t;
	struct tls_issue is;

	client_flight12();
	assert_int_equal(seg(&w, 0, R.b, R.n), 1);
	R.n = 0;
	for (int i = 0; i < TLS_MAX_ALERTS + 2; i++)
		put_enc(&R, ALERT, 26, 20 + (unsigned)i);
	seg(&w, 0, R.b, R.n);
	assert_int_equal(t->nalerts, TLS_MAX_ALERTS);
	assert_int_equal(issues_of(t, TLS_ISSUE_ALERTS_NOT_KEPT, &is), 1);
	assert_int_equal(is.a, 2);
	/* the server's first alert, in clear, after the list is full: it takes the last place */
	R.n = 0;
	put_rec(&R, ALERT, 0x0303, "\x02\x28", 2);
	put_rec(&R, ALERT, 0x0303, "\x02\x28", 2);
	assert_int_equal(seg(&w, 1, R.b, R.n), 1);
	assert_int_equal(t->alerts_total, TLS_MAX_ALERTS + 4);
	assert_int_equal(t->nalerts, TLS_MAX_ALERTS);
	assert_int_equal(t->alerts[0].from, 0);
	assert_int_equal(t->alerts[TLS_MAX_ALERTS - 1].from, 1);
	assert_int_equal(t->alerts[TLS_MAX_ALERTS - 1].desc, 40);
	assert_int_equal(t->alerts[TLS_MAX_ALERTS - 1].encrypted, 0);
	assert_int_equal(issues_of(t, TLS_ISSUE_ALERTS_NOT_KEPT, &is), 1);
	assert_int_equal(is.a, 4);
	tls_free(t);
}

/*
 * A decoy ClientHello read first, then the real bytes sent again a byte at a
 * time: compared byte for byte while the handshake is under way, and found
 * within the bytes the handshake was read from.
 */
static void test_conflict_in_handshake(void **state)
{
	(void)state;
	struct wire w = wire_open(77, 88, 1);
	struct tls_conn *t = w.t;
	struct tls_issue is;
	static struct buf real;

	R.n = 0;
	ch12("www.example.test");
	put_msg(&R, 0x0301, 16384);
	real = R;
	R.n = 0;
	ch12("bad.example.test");
	put_msg(&R, 0x0301, 16384);
	assert_int_equal(seg(&w, 0, R.b, R.n), 1);
	assert_memory_equal(t->ch->sni, "bad.example.test", 16);
	for (size_t i = 0; i < real.n; i++)
		seg_at(&w, 0, i, real.b + i, 1);
	assert_int_equal(issues_of(t, TLS_ISSUE_CONFLICT, &is), 1);
	assert_int_equal(is.a, 3);                 /* "www" over "bad" */
	assert_int_equal(is.b, 1);                 /* within the handshake's bytes */
	assert_int_equal(t->side[0].evid_end, real.n);
	assert_memory_equal(t->ch->sni, "bad.example.test", 16);   /* the first copy stays */
	assert_int_equal(issues_of(t, TLS_ISSUE_UNCOMPARED, NULL), 0);
	tls_free(t);
}

/*
 * Reassembly's window, hit after the handshake: a hole over a record header,
 * more than REASM_CAP beyond it, then the hole filled. Reading stops where
 * bytes were not kept; that is a finding, with where it stopped.
 */
static void test_window_after_handshake(void **state)
{
	(void)state;
	struct wire w = tls12_start();
	struct tls_conn *t = w.t;
	struct tls_issue is;

	client_flight12();
	seg(&w, 0, R.b, R.n);
	R.n = 0;
	put_ccs(&R);
	put_enc(&R, HS, 40, 8);
	seg(&w, 1, R.b, R.n);
	assert_int_equal(t->done, 1);
	assert_int_equal(issues_of(t, TLS_ISSUE_NOT_KEPT, NULL), 0);
	/* five 16 KB records; the first segment (a header in it) comes last */
	R.n = 0;
	for (unsigned i = 0; i < 5; i++)
		put_enc(&R, APP, 16384, 30 + i);
	uint64_t at = w.next[1];
	for (size_t o = 1448; o < R.n; o += 1448)
		seg_at(&w, 1, at + o, R.b + o, R.n - o < 1448 ? R.n - o : 1448);
	seg_at(&w, 1, at, R.b, 1448);
	assert_true(reasm_flags(t->rs[1]) & REASM_OVERFLOW);
	assert_int_equal(issues_of(t, TLS_ISSUE_NOT_KEPT, &is), 1);
	assert_int_equal(is.dir, 1);
	assert_true(is.b & REASM_OVERFLOW);
	assert_true(is.a > 0);
	assert_true(is.off != UINT64_MAX && is.off > at && is.off < at + R.n);
	assert_int_equal(tls_established(t), 1);
	tls_free(t);
}

/* The RFC 8448 handshake up to the server's encrypted flight, after a compat CCS from the client. */
static struct wire tls13_start(void)
{
	struct wire w = wire_open(0x01020304u, 0xa0b0c0d0u, 1);
	size_t ch_len, sh_len;

	rfc8448_hellos(&ch_len, &sh_len);
	assert_int_equal(seg(&w, 0, R.b, ch_len), 1);
	memmove(R.b, R.b + ch_len, sh_len);
	R.n = sh_len;
	put_ccs(&R);
	put_enc(&R, APP, 1200, 12);
	put_enc(&R, APP, 2800, 13);
	assert_int_equal(segs(&w, 1, &R, 1448), 1);
	assert_int_equal(w.t->side[1].enc_records, 2);
	return w;
}

static void test_tls13_short_record(void **state)
{
	(void)state;
	struct wire w = tls13_start();
	struct tls_conn *t = w.t;
	const struct tls_rec_note *n;

	/* the client's only encrypted record is alert-sized: it likely refused the server */
	R.n = 0;
	put_ccs(&R);
	put_enc(&R, APP, TLS_ENC_ALERT_LEN, 14);
	assert_int_equal(seg(&w, 0, R.b, R.n), 1);
	n = tls_short_last_record(t, 0);
	assert_non_null(n);
	assert_ptr_equal(n, &t->side[0].last_enc);
	assert_int_equal(n->len, TLS_ENC_ALERT_LEN);
	assert_int_equal(n->frame, w.frame);
	assert_int_equal(n->ts, w.ts);
	assert_null(tls_short_last_record(t, 1));
	assert_int_equal(tls_established(t), 0);
	assert_int_equal(t->nalerts, 0);   /* in TLS 1.3 an alert cannot be told from data */
	tls_free(t);

	/*
	 * The test is what cannot be a Finished, not one alert size: under
	 * TLS_AES_128_GCM_SHA256 (RFC 8448) a Finished record is at least 4 + 32 + 1 + 16 = 53
	 * bytes. Java pads its alert to 35 (2 + 1 + 16 zeros + 16): short; 52: short; 53: a
	 * Finished, and the handshake is established.
	 */
	static const uint32_t lens[] = { 35, 52, 53 };
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		w = tls13_start();
		t = w.t;
		assert_int_equal(tls13_min_finished(t), 53);
		R.n = 0;
		put_ccs(&R);
		put_enc(&R, APP, lens[i], 14);
		seg(&w, 0, R.b, R.n);
		assert_int_equal(tls_short_last_record(t, 0) != NULL, lens[i] < 53);
		assert_int_equal(tls_established(t), lens[i] >= 53);
		tls_free(t);
	}
}

/*
 * Encrypted records kept for a later decryption (tls_keep_encrypted): whole,
 * byte for byte, with their place in the stream, even when a record spans
 * segments; at most TLS_ENC_KEEP_RECORDS, the rest counted. Not asked for,
 * nothing is kept.
 */
static void test_keep_encrypted(void **state)
{
	(void)state;
	struct wire w = wire_open(0x01020304u, 0xa0b0c0d0u, 1);
	struct tls_conn *t = w.t;
	size_t ch_len, sh_len, flight_at;
	struct buf *want = malloc(sizeof(*want));

	assert_non_null(want);
	assert_int_equal(tls_keep_encrypted(t), 1);
	rfc8448_hellos(&ch_len, &sh_len);
	assert_int_equal(seg(&w, 0, R.b, ch_len), 1);
	memmove(R.b, R.b + ch_len, sh_len);
	R.n = sh_len;
	put_ccs(&R);
	flight_at = R.n;
	put_enc(&R, APP, 1200, 12);
	put_enc(&R, APP, 2800, 13);
	segs(&w, 1, &R, 1448);
	assert_int_equal(t->side[1].enc_records, 2);
	assert_non_null(t->enc);
	assert_int_equal(t->enc->n, 2);
	/* the first: its header at flight_at, its body the 1200 bytes after it */
	want->n = 0;
	put_fill(want, 12, 1200);
	assert_int_equal(t->enc->rec[0].dir, 1);
	assert_int_equal(t->enc->rec[0].type, APP);
	assert_int_equal(t->enc->rec[0].off, flight_at);
	assert_int_equal(t->enc->rec[0].len, 1200);
	assert_memory_equal(t->enc->rec[0].body, want->b, 1200);
	/* the second spans three segments: kept when its last byte came */
	want->n = 0;
	put_fill(want, 13, 2800);
	assert_int_equal(t->enc->rec[1].off, flight_at + 5 + 1200);
	assert_int_equal(t->enc->rec[1].len, 2800);
	assert_memory_equal(t->enc->rec[1].body, want->b, 2800);
	assert_int_equal(t->enc->rec[1].frame, w.frame);
	assert_int_equal(t->enc->bytes, 4000);

	/* bounded: 40 more from the client, the first TLS_ENC_KEEP_RECORDS - 2 kept */
	R.n = 0;
	put_ccs(&R);
	for (unsigned i = 0; i < 40; i++)
		put_enc(&R, APP, 100, 100 + i);
	segs(&w, 0, &R, 1448);
	assert_int_equal(t->side[0].enc_records, 40);
	assert_int_equal(t->enc->n, TLS_ENC_KEEP_RECORDS);
	assert_int_equal(t->enc->not_kept, 40 - (TLS_ENC_KEEP_RECORDS - 2));
	assert_int_equal(t->enc->rec[2].dir, 0);
	tls_free(t);

	/* not asked for: nothing kept, the bodies skipped as before */
	w = tls13_start();
	assert_null(w.t->enc);
	tls_free(w.t);
	free(want);
}

static void test_tls13_close_notify_not_short(void **state)
{
	(void)state;
	struct wire w = tls13_start();
	struct tls_conn *t = w.t;

	/* the client's Finished, then its close_notify: established, nothing short */
	R.n = 0;
	put_ccs(&R);
	put_enc(&R, APP, 53, 15);
	assert_int_equal(seg(&w, 0, R.b, R.n), 1);
	assert_int_equal(tls_established(t), 1);
	R.n = 0;
	put_enc(&R, APP, TLS_ENC_ALERT_LEN, 16);
	assert_int_equal(seg(&w, 0, R.b, R.n), 0);
	assert_int_equal(t->side[0].enc_records, 2);
	assert_null(tls_short_last_record(t, 0));

	/* the server's only record after the client's Finished is alert-sized: it is returned
	 * (the caller adds that the server then closed); a second record withdraws it */
	assert_int_equal(seg(&w, 1, R.b, R.n), 0);
	assert_int_equal(t->side[1].enc_after_peer, 1);
	assert_ptr_equal(tls_short_last_record(t, 1), &t->side[1].last_enc);
	assert_int_equal(seg(&w, 1, R.b, R.n), 0);
	assert_null(tls_short_last_record(t, 1));
	tls_free(t);
}

static void test_second_client_hello_without_hrr(void **state)
{
	(void)state;
	struct wire w = wire_open(5, 6, 1);
	struct tls_conn *t = w.t;

	R.n = 0;
	ch12("www.example.test");
	put_msg(&R, 0x0301, 16384);
	assert_int_equal(seg(&w, 0, R.b, R.n), 1);
	ch12("other.example.test");
	R.n = 0;
	put_msg(&R, 0x0303, 16384);
	assert_int_equal(seg(&w, 0, R.b, R.n), 0);   /* not after a HelloRetryRequest: not kept */
	assert_null(t->ch2);
	assert_int_equal(t->ch->sni_len, 16);
	assert_int_equal(t->side[0].records, 2);
	tls_free(t);
}

/* ---- an SSLv2-compatible ClientHello (RFC 5246 E.2) ---- */

static void test_sslv2_hello(void **state)
{
	(void)state;
	static const uint8_t v2[] = {
		0x80, 0x2e,                     /* 2-byte header, 46 bytes */
		0x01,                           /* CLIENT-HELLO */
		0x03, 0x01,                     /* TLS 1.0 */
		0x00, 0x15, 0x00, 0x00, 0x00, 0x10,   /* 21 bytes of specs, no session id, 16-byte challenge */
		0x00, 0x00, 0x39, 0x00, 0x00, 0x38, 0x00, 0x00, 0x35, 0x00, 0x00, 0x16,
		0x00, 0x00, 0x13, 0x00, 0x00, 0x0a,
		0x07, 0x00, 0xc0,               /* SSL_CK_DES_192_EDE3_CBC_WITH_MD5 */
		0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf,
	};
	struct wire w = wire_open(77, 88, 1);
	struct tls_conn *t = w.t;

	assert_int_equal(seg(&w, 0, v2, 3), 0);      /* too few bytes to tell */
	assert_int_equal(t->side[0].mode, TLS_MODE_NONE);
	assert_int_equal(seg(&w, 0, v2 + 3, 10), 0);
	assert_int_equal(t->side[0].mode, TLS_MODE_SSLV2);
	assert_null(t->ch);
	assert_int_equal(seg(&w, 0, v2 + 13, sizeof(v2) - 13), 1);
	assert_int_equal(t->side[0].mode, TLS_MODE_RECORDS);
	assert_non_null(t->ch);
	assert_int_equal(t->ch->sslv2, 1);
	assert_int_equal(t->ch_status, TLS_HELLO_OK);
	assert_int_equal(t->ch->n_cipher_suites, 6);
	assert_int_equal(t->ch_start, 0);
	assert_int_equal(t->ch_end, sizeof(v2));
	assert_int_equal(t->ch_frame, 3);
	assert_int_equal(t->side[0].records, 1);
	assert_int_equal(t->side[0].hs_seen, TLS_HS_BIT(1));
	assert_int_equal(tls_seen(t), 1);

	R.n = 0;
	sh12();
	put_msg(&R, 0x0301, 16384);
	assert_int_equal(seg(&w, 1, R.b, R.n), 1);
	assert_int_equal(tls_version(t), 0x0303);

	/* then TLS records from the client */
	R.n = 0;
	cke();
	put_msg(&R, 0x0303, 16384);
	put_ccs(&R);
	assert_int_equal(seg(&w, 0, R.b, R.n), 0);
	assert_int_equal(t->side[0].records, 3);
	assert_int_equal(t->side[0].hs_seen, TLS_HS_BIT(1) | TLS_HS_BIT(16));
	assert_int_equal(t->side[0].ccs, 1);
	tls_free(t);
}

/* An SSL 2.0 CLIENT-HELLO offering SSL_CK_DES_192_EDE3_CBC_WITH_MD5 only, into R. */
static void v2_client_hello(void)
{
	R.n = 0;
	put_u16(&R, 0x8000 | 28);
	put_u8(&R, 1);
	put_u16(&R, 0x0002);
	put_u16(&R, 3);
	put_u16(&R, 0);
	put_u16(&R, 16);
	put_u24(&R, 0x0700c0);
	put_fill(&R, 40, 16);
}

/* An SSL 2.0 SERVER-HELLO with the RSA test certificate and two cipher kinds, into R. */
static void v2_server_hello(void)
{
	R.n = 0;
	put_u16(&R, 0x8000 | (11 + rsa_der_len + 6 + 16));
	put_u8(&R, 4);
	put_u8(&R, 0);
	put_u8(&R, 1);
	put_u16(&R, 0x0002);
	put_u16(&R, rsa_der_len);
	put_u16(&R, 6);
	put_u16(&R, 16);
	put(&R, rsa_der, rsa_der_len);
	put_u24(&R, 0x010080);
	put_u24(&R, 0x0700c0);
	put_fill(&R, 41, 16);
}

/*
 * A server that answers in SSL 2.0: its SERVER-HELLO read while it comes and
 * when whole, its certificate kept as a one-entry Certificate message, the
 * client's CLIENT-MASTER-KEY read, then encrypted records of both header
 * forms counted; never established; the sslv2 finding.
 */
static void test_sslv2_server(void **state)
{
	(void)state;
	struct wire w = wire_open(5, 6, 1);
	struct tls_conn *t = w.t;
	struct tls_cert_findings f;
	const struct tls_cert_chain *chain;
	struct tls_issue is;

	v2_client_hello();
	assert_int_equal(seg(&w, 0, R.b, R.n), 1);
	assert_int_equal(t->ch->sslv2, 1);
	assert_int_equal(t->side[0].mode, TLS_MODE_RECORDS);
	v2_server_hello();
	assert_int_equal(seg(&w, 1, R.b, 6), 0);            /* too few bytes to tell */
	assert_int_equal(t->side[1].mode, TLS_MODE_NONE);
	assert_int_equal(seg(&w, 1, R.b + 6, 94), 1);
	assert_int_equal(t->side[1].mode, TLS_MODE_V2);
	assert_int_equal(t->side[0].mode, TLS_MODE_V2);
	assert_non_null(t->v2);
	assert_int_equal(t->v2->status, TLS_HELLO_TRUNCATED);
	assert_int_equal(t->v2->hello.cert_len, rsa_der_len);
	assert_int_equal(tls_version(t), 0x0002);
	assert_null(t->cert_msg);
	assert_int_equal(t->side[1].records, 0);
	assert_int_equal(seg(&w, 1, R.b + 100, R.n - 100), 1);
	assert_int_equal(t->v2->status, TLS_HELLO_OK);
	assert_int_equal(t->v2->frame, w.frame);
	assert_int_equal(t->v2->hello.specs_total, 2);
	assert_int_equal(t->side[1].records, 1);
	assert_int_equal(t->side[1].enc_records, 0);
	assert_non_null(t->cert_msg);
	assert_int_equal(t->cert_msg_len, rsa_der_len + 10);
	assert_int_equal(t->cert_msg[0], 11);
	assert_memory_equal(t->cert_msg + 10, rsa_der, rsa_der_len);
	chain = tls_certificates(t, &f);
	assert_non_null(chain);
	assert_int_equal(chain->status, TLS_CERT_OK);
	assert_int_equal(chain->n_certs, 1);
	assert_string_equal(chain->certs[0].sha256, rsa_sha256);
	assert_int_equal(issues_of(t, TLS_ISSUE_SSLV2, &is), 1);
	assert_int_equal(is.dir, 1);
	assert_int_equal(is.frame, w.frame);

	/* CLIENT-MASTER-KEY, in clear; then encrypted records, a padded one with the 3-byte header */
	R.n = 0;
	put_u16(&R, 0x8000 | (10 + 128 + 8));
	put_u8(&R, 2);
	put_u24(&R, 0x0700c0);
	put_u16(&R, 0);
	put_u16(&R, 128);
	put_u16(&R, 8);
	put_fill(&R, 42, 136);
	put_u16(&R, 40);
	put_u8(&R, 7);
	put_fill(&R, 43, 40);
	assert_int_equal(seg(&w, 0, R.b, R.n), 1);
	assert_int_equal(t->v2->has_client_cipher, 1);
	assert_int_equal(t->v2->client_cipher, 0x0700c0);
	assert_int_equal(t->side[0].records, 3);
	assert_int_equal(t->side[0].enc_records, 1);
	R.n = 0;
	put_u16(&R, 0x8000 | 33);
	put_fill(&R, 44, 33);
	put_u16(&R, 40);
	put_u8(&R, 7);
	put_fill(&R, 45, 40);
	assert_int_equal(seg(&w, 1, R.b, R.n), 0);
	assert_int_equal(t->side[1].records, 3);
	assert_int_equal(t->side[1].enc_records, 2);
	assert_int_equal(t->side[1].enc_bytes, 33 + 40);
	assert_int_equal(tls_established(t), 0);
	assert_int_equal(t->side[1].mode, TLS_MODE_V2);
	tls_free(t);

	/* a TLS ClientHello answered in SSL 2.0: the client goes on in TLS records */
	w = wire_open(7, 8, 1);
	t = w.t;
	R.n = 0;
	ch12("www.example.test");
	put_msg(&R, 0x0301, 16384);
	assert_int_equal(seg(&w, 0, R.b, R.n), 1);
	v2_server_hello();
	assert_int_equal(seg(&w, 1, R.b, R.n), 1);
	assert_int_equal(t->side[1].mode, TLS_MODE_V2);
	assert_int_equal(t->side[0].mode, TLS_MODE_RECORDS);
	R.n = 0;
	put_rec(&R, ALERT, 0x0301, "\x02\x46", 2);
	assert_int_equal(seg(&w, 0, R.b, R.n), 1);
	assert_int_equal(t->nalerts, 1);
	tls_free(t);

	/* the high bit, then not an SSL 2.0 SERVER-HELLO: plaintext */
	w = wire_open(9, 10, 1);
	t = w.t;
	v2_client_hello();
	assert_int_equal(seg(&w, 0, R.b, R.n), 1);
	assert_int_equal(seg(&w, 1, (const uint8_t *)"\xff\xfe\x04\x00\x01\x03\x00...", 10), 1);
	assert_int_equal(t->side[1].mode, TLS_MODE_PLAIN);
	assert_null(t->v2);
	tls_free(t);
}

/* ---- not TLS ---- */

static void expect_line(const struct tls_side *s, const char *line)
{
	assert_int_equal(s->mode, TLS_MODE_PLAIN);
	assert_int_equal(s->first_line_len, strlen(line));
	assert_memory_equal(s->first_line, line, strlen(line));
}

static void test_not_tls(void **state)
{
	(void)state;
	static const char ssh[] = "SSH-2.0-OpenSSH_9.2\r\n";
	static const char http[] = "HTTP/1.1 400 Bad Request\r\nServer: nginx\r\nContent-Length: 0\r\n\r\n";
	static const char get[] = "GET / HTTP/1.1\r\nHost: www.example.test\r\n\r\n";
	struct wire w = wire_open(100, 200, 1);
	struct tls_conn *t = w.t;
	char line[200];

	/* an SSH server speaks first; a TLS client says hello anyway */
	assert_int_equal(seg(&w, 1, ssh, strlen(ssh)), 1);
	expect_line(&t->side[1], "SSH-2.0-OpenSSH_9.2");
	assert_true(holds_nothing(&w, 1));
	assert_int_equal(tls_seen(t), 0);
	assert_int_equal(seg(&w, 1, "\x00\x00\x01\x14", 4), 0);   /* nothing more is read, only counted */
	assert_true(holds_nothing(&w, 1));
	struct reasm_stats st;
	reasm_stats(t->rs[1], &st);
	assert_int_equal(st.bytes, strlen(ssh) + 4);
	assert_int_equal(st.segments, 2);
	R.n = 0;
	ch12("www.example.test");
	put_msg(&R, 0x0301, 16384);
	assert_int_equal(seg(&w, 0, R.b, R.n), 1);
	assert_non_null(t->ch);
	assert_int_equal(t->side[0].mode, TLS_MODE_RECORDS);
	tls_free(t);

	/* a plaintext HTTP server answers the ClientHello */
	w = wire_open(100, 200, 1);
	t = w.t;
	assert_int_equal(seg(&w, 0, R.b, R.n), 1);
	assert_int_equal(seg(&w, 1, http, strlen(http)), 1);
	expect_line(&t->side[1], "HTTP/1.1 400 Bad Request");
	assert_null(t->sh);
	assert_int_equal(tls_seen(t), 1);
	tls_free(t);

	/* a plaintext client, its first segment too short to tell */
	w = wire_open(100, 200, 1);
	t = w.t;
	assert_int_equal(seg(&w, 0, get, 2), 0);
	assert_int_equal(t->side[0].mode, TLS_MODE_NONE);
	assert_int_equal(seg(&w, 0, get + 2, strlen(get) - 2), 1);
	expect_line(&t->side[0], "GET / HTTP/1.1");
	assert_int_equal(t->side[0].first_line_cut, 0);
	assert_true(holds_nothing(&w, 0));
	tls_free(t);

	/* a line longer than is kept; an empty first line; a first byte that looks like a record's */
	w = wire_open(100, 200, 1);
	t = w.t;
	memset(line, 'A', sizeof(line));
	assert_int_equal(seg(&w, 0, line, sizeof(line)), 1);
	assert_int_equal(t->side[0].mode, TLS_MODE_PLAIN);
	assert_int_equal(t->side[0].first_line_len, TLS_FIRST_LINE);
	assert_int_equal(t->side[0].first_line_cut, 1);
	assert_int_equal(seg(&w, 1, "\r\nhello", 7), 1);
	expect_line(&t->side[1], "");
	assert_int_equal(t->side[1].first_line_cut, 0);
	tls_free(t);
	w = wire_open(100, 200, 1);
	t = w.t;
	assert_int_equal(seg(&w, 1, "\x16\x03", 2), 0);
	assert_int_equal(t->side[1].mode, TLS_MODE_NONE);
	assert_int_equal(seg(&w, 1, "\x07 not a version", 15), 1);
	expect_line(&t->side[1], "\x16\x03\x07 not a version");
	tls_free(t);
}

/* ---- bytes that start as TLS, then are not ---- */

static void test_broken(void **state)
{
	(void)state;
	static const uint8_t bad[][5] = {
		{ 0x00, 0x01, 0x02, 0x03, 0x04 },   /* not a content type */
		{ 0x19, 0x03, 0x03, 0x00, 0x10 },   /* content type 25 */
		{ 0x16, 0x03, 0x05, 0x00, 0x10 },   /* version 3.5 */
		{ 0x16, 0x02, 0x00, 0x00, 0x10 },   /* version 2.0 */
		{ 0x17, 0x03, 0x03, 0x48, 0x01 },   /* 18433 bytes: beyond any TLSCiphertext */
		{ 0x16, 0x03, 0x03, 0x00, 0x00 },   /* an empty handshake record */
		{ 0x14, 0x03, 0x03, 0x00, 0x00 },   /* an empty ChangeCipherSpec */
		{ 0x15, 0x03, 0x03, 0x00, 0x00 },   /* an empty alert */
	};

	for (size_t i = 0; i < N(bad); i++) {
		struct wire w = wire_open(1u << 31, 1u << 30, 1);
		struct tls_conn *t = w.t;

		R.n = 0;
		ch12("www.example.test");
		put_msg(&R, 0x0301, 16384);
		put(&R, bad[i], 5);
		put_fill(&R, 20, 30);
		seg(&w, 0, R.b, R.n);
		assert_non_null(t->ch);
		assert_int_equal(t->side[0].records, 1);
		assert_int_equal(t->side[0].mode, TLS_MODE_BROKEN);
		assert_int_equal(t->side[0].bad, TLS_BAD_RECORD);
		assert_memory_equal(t->side[0].bad_hdr, bad[i], 5);
		assert_int_equal(t->side[0].bad_off, R.n - 35);
		assert_true(holds_nothing(&w, 0));
		assert_int_equal(seg(&w, 0, R.b, R.n), 0);   /* nothing more is read ... */
		assert_int_equal(t->side[0].records, 1);
		assert_true(holds_nothing(&w, 0));
		assert_int_equal(tls_seen(t), 1);
		/* ... but counted: the statistics survive the stream being judged broken */
		struct reasm_stats st;
		reasm_stats(t->rs[0], &st);
		assert_int_equal(st.bytes, 2 * R.n);
		assert_int_equal(st.retrans_segments, 0);
		seg_at(&w, 0, 0, R.b, R.n);
		reasm_stats(t->rs[0], &st);
		assert_int_equal(st.bytes, 3 * R.n);
		assert_int_equal(st.retrans_segments, 1);
		assert_int_equal(st.conflicts, 0);
		struct tls_issue is[TLS_MAX_ISSUES];
		size_t ni = tls_issues(t, is, TLS_MAX_ISSUES);
		assert_int_equal(ni, 1);
		assert_int_equal(is[0].kind, TLS_ISSUE_BAD_RECORD);
		assert_int_equal(is[0].dir, 0);
		assert_int_equal(is[0].type, bad[i][0]);
		assert_int_equal(is[0].a, (unsigned)bad[i][3] << 8 | bad[i][4]);
		assert_int_equal(is[0].off, R.n - 35);
		tls_free(t);

		/* the same as the very first bytes: a record that cannot be, from the start */
		w = wire_open(1u << 31, 1u << 30, 1);
		t = w.t;
		seg(&w, 1, R.b + R.n - 35, 35);
		assert_true(t->side[1].mode == TLS_MODE_BROKEN || t->side[1].mode == TLS_MODE_PLAIN);
		assert_int_equal(t->side[1].records, 0);
		assert_int_equal(tls_seen(t), 0);
		tls_free(t);
	}
}

static void test_empty_application_data(void **state)
{
	(void)state;
	struct wire w = tls13_start();
	struct tls_conn *t = w.t;

	/* an empty application_data fragment passes the header check (RFC 5246 6.2.1 allows them) */
	R.n = 0;
	put_enc(&R, APP, 0, 0);
	put_enc(&R, APP, 53, 17);
	assert_int_equal(seg(&w, 0, R.b, R.n), 1);
	assert_int_equal(t->side[0].mode, TLS_MODE_RECORDS);
	assert_int_equal(t->side[0].enc_records, 2);
	assert_int_equal(t->side[0].enc_bytes, 53);
	assert_int_equal(t->side[0].first_enc.len, 0);
	tls_free(t);
}

/* ---- a handshake message larger than is held ---- */

/* A Certificate message of `total` bytes (header included) whose one entry is filler. */
static void big_cert(size_t total)
{
	msg_begin(11);
	put_u24(&M, (unsigned)(total - 7));
	put_u24(&M, (unsigned)(total - 10));
	put_fill(&M, 21, total - 10);
	msg_end();
	assert_int_equal(M.n, total);
}

static void test_hs_too_large(void **state)
{
	(void)state;
	for (int over = 0; over <= 1; over++) {
		struct wire w = wire_open(1, 2, 1);
		struct tls_conn *t = w.t;
		struct tls_issue is;

		R.n = 0;
		ch12("www.example.test");
		put_msg(&R, 0x0301, 16384);
		assert_int_equal(seg(&w, 0, R.b, R.n), 1);
		R.n = 0;
		sh12();
		put_msg(&R, 0x0303, 16384);
		big_cert(TLS_HS_CAP + (size_t)over * 1000);
		put_msg(&R, 0x0303, 16384);
		/* the messages after it are read: the cut one does not stop the handshake's reading */
		ske(0x001d);
		put_msg(&R, 0x0303, 16384);
		empty_msg(14);
		put_msg(&R, 0x0303, 16384);
		big_cert(TLS_HS_CAP + (size_t)over * 1000);
		assert_int_equal(segs(&w, 1, &R, 1448), 1);
		assert_non_null(t->sh);
		assert_int_equal(t->side[1].hs_cut, over);
		assert_int_equal(t->side[1].hs_skip, 0);
		assert_null(t->side[1].hs);
		assert_true(t->side[1].hs_seen & TLS_HS_BIT(12));
		assert_true(t->side[1].hs_seen & TLS_HS_BIT(14));
		assert_int_equal(t->ske_group, 0x001d);
		assert_int_equal(t->cert_msg_len, TLS_HS_CAP);
		assert_memory_equal(t->cert_msg, M.b, TLS_HS_CAP);
		struct tls_cert_findings f;
		const struct tls_cert_chain *chain = tls_certificates(t, &f);
		assert_non_null(chain);
		if (over) {
			/* what was not read is a problem: the chain was not checked */
			assert_int_equal(chain->status, TLS_CERT_TRUNCATED);
			assert_true(f.flags & TLS_CERT_F_NOT_CHECKED);
			assert_int_equal(issues_of(t, TLS_ISSUE_MSG_TOO_LARGE, &is), 1);
			assert_int_equal(is.dir, 1);
			assert_int_equal(is.type, 11);
			assert_int_equal(is.a, TLS_HS_CAP + 1000 - 4);
			assert_int_equal(is.b, 1);
		} else {
			/* all of it read: its one certificate is too large to be checked */
			assert_int_equal(chain->status, TLS_CERT_OK);
			assert_true(chain->links[0].flags & TLS_CERT_L_TOO_LARGE);
			assert_true(f.flags & TLS_CERT_F_NOT_CHECKED);
			assert_int_equal(issues_of(t, TLS_ISSUE_MSG_TOO_LARGE, NULL), 0);
		}
		assert_int_equal(issues_of(t, TLS_ISSUE_MSG_UNFINISHED, NULL), 0);
		tls_free(t);
	}

	/* a header that declares 16 MB, 128 KiB of it sent: held, still unfinished; the stream read on */
	struct wire w = wire_open(1, 2, 1);
	struct tls_conn *t = w.t;
	struct tls_issue is;
	R.n = 0;
	ch12("www.example.test");
	M.b[1] = M.b[2] = M.b[3] = 0xff;
	put_msg(&R, 0x0301, 16384);
	assert_int_equal(seg(&w, 0, R.b, R.n), 0);
	assert_null(t->ch);
	size_t first = M.n;
	M.n = 0;
	put_fill(&M, 22, 16384);
	for (int i = 0; i < 8; i++) {
		R.n = 0;
		put_rec(&R, HS, 0x0303, M.b, M.n);
		seg(&w, 0, R.b, R.n);
	}
	assert_int_equal(t->side[0].records, 9);
	assert_int_equal(t->side[0].mode, TLS_MODE_RECORDS);
	assert_int_equal(t->side[0].hs_len, first + 8 * 16384);
	assert_int_equal(issues_of(t, TLS_ISSUE_MSG_UNFINISHED, &is), 1);
	assert_int_equal(is.type, 1);
	assert_int_equal(is.a, 0xffffff);
	assert_int_equal(is.b, first + 8 * 16384 - 4);
	/* past TLS_HS_CAP: the hello is read from what is held (cut short), the rest skipped as it comes */
	for (int i = 0; i < 10; i++) {
		R.n = 0;
		put_rec(&R, HS, 0x0303, M.b, M.n);
		seg(&w, 0, R.b, R.n);
	}
	assert_null(t->side[0].hs);
	assert_non_null(t->ch);
	assert_int_equal(t->ch_status, TLS_HELLO_TRUNCATED);
	assert_int_equal(t->side[0].hs_cut, 1);
	assert_int_equal(t->side[0].hs_skip, 0xffffff + 4 - (first + 18 * 16384));
	assert_int_equal(issues_of(t, TLS_ISSUE_MSG_TOO_LARGE, &is), 1);
	assert_int_equal(is.a, 0xffffff);
	assert_int_equal(issues_of(t, TLS_ISSUE_MSG_UNFINISHED, &is), 1);
	assert_int_equal(is.b, first + 18 * 16384 - 4);
	/* the other side is not affected */
	R.n = 0;
	sh12();
	put_msg(&R, 0x0303, 16384);
	assert_int_equal(seg(&w, 1, R.b, R.n), 1);
	assert_int_equal(t->side[1].hs_cut, 0);
	assert_non_null(t->sh);
	tls_free(t);
}

/* ---- a capture that starts mid-connection: no SYN ---- */

static void test_midstream(void **state)
{
	(void)state;
	struct wire w = wire_open(0x91a2b3c4u, 0x1a2b3c4du, 0);
	struct tls_conn *t = w.t;

	R.n = 0;
	put_enc(&R, APP, 32, 23);
	assert_int_equal(seg(&w, 0, R.b, R.n), 1);   /* the client's first encrypted record seen */
	assert_true(reasm_flags(t->rs[0]) & REASM_MIDSTREAM);
	assert_int_equal(t->side[0].mode, TLS_MODE_RECORDS);
	assert_int_equal(t->side[0].enc_records, 1);
	assert_int_equal(seg(&w, 1, R.b, R.n), 0);
	assert_int_equal(seg(&w, 1, R.b, R.n), 0);
	assert_int_equal(t->side[1].enc_records, 2);
	assert_int_equal(tls_version(t), 0);
	assert_int_equal(tls_established(t), 0);
	assert_null(tls_short_last_record(t, 0));
	assert_null(t->ch);

	/* a SYN after the data (another ISN) changes nothing */
	tls_syn(t, 0, 12345);
	assert_int_equal(seg(&w, 0, R.b, R.n), 0);
	assert_int_equal(t->side[0].enc_records, 2);
	tls_free(t);
}

/*
 * A capture that began while a long record was under way: the first bytes seen
 * are the inside of a record. That is no evidence of plaintext (the server's
 * side, seen from a record boundary, is TLS): the side must not be called
 * TLS_MODE_PLAIN, which the verdicts turn into "the client spoke plaintext".
 */
static void test_midstream_inside_record(void **state)
{
	(void)state;
	for (int dir = 0; dir < 2; dir++) {
		struct wire w = wire_open(0x91a2b3c4u, 0x1a2b3c4du, 0);
		struct tls_conn *t = w.t;

		R.n = 0;
		put_enc(&R, APP, 3000, 24);
		put_enc(&R, APP, 100, 25);
		assert_int_not_equal(R.b[1000], 0x17);
		seg(&w, dir, R.b + 1000, 1448);
		seg(&w, dir, R.b + 2448, R.n - 2448);
		seg(&w, !dir, R.b, R.n);
		int mode = t->side[dir].mode, peer = t->side[!dir].mode, seen = tls_seen(t);
		tls_free(t);
		assert_int_equal(peer, TLS_MODE_RECORDS);
		assert_int_equal(seen, 1);
		assert_int_not_equal(mode, TLS_MODE_PLAIN);
	}
}

static void test_return_value(void **state)
{
	(void)state;
	struct wire w = wire_open(9, 99, 1);
	struct tls_conn *t = w.t;

	/* no payload: nothing */
	assert_int_equal(tls_segment(t, 0, 10, (const uint8_t *)"", 0, 1, T0), 0);
	assert_int_equal(t->side[0].first_frame, 0);
	R.n = 0;
	ch12("www.example.test");
	put_msg(&R, 0x0301, 16384);
	assert_int_equal(seg(&w, 0, R.b, 10), 0);            /* part of a hello */
	assert_int_equal(t->side[0].first_frame, 1);
	assert_int_equal(seg(&w, 0, R.b + 10, R.n - 10), 1); /* the hello completed */
	assert_int_equal(seg_at(&w, 0, 10, R.b + 10, 20), 1); /* a retransmission during the handshake */
	assert_int_equal(t->side[0].first_frame, 1);
	assert_int_equal(t->side[0].frame, 3);
	tls_free(t);
}

/* ---- real exchanges, and every byte of them flipped ---- */

struct capseg {
	unsigned frame;   /* in the capture */
	int dir;          /* 0 client, 1 server */
	uint32_t seq;
	size_t off, len;  /* its payload in the bytes array */
};


/* tls12_ok.client.pcap frames 4, 6, 8, 9: tshark -e tcp.srcport -e tcp.seq_raw -e tcp.payload */
static const uint8_t cap12_bytes[1056] = {
	0x16, 0x03, 0x01, 0x00, 0xde, 0x01, 0x00, 0x00, 0xda, 0x03, 0x03, 0xb7, 0xea, 0x43, 0x4e, 0x01,
	0x8e, 0x84, 0xb1, 0xd3, 0xea, 0xd1, 0x7a, 0xf6, 0x5a, 0x0b, 0x65, 0x3e, 0xd0, 0x4d, 0xfb, 0xec,
	0x2b, 0x3d, 0x36, 0x45, 0x7a, 0x67, 0x97, 0xfa, 0x90, 0x3c, 0x2f, 0x00, 0x00, 0x38, 0xc0, 0x2c,
	0xc0, 0x30, 0x00, 0x9f, 0xcc, 0xa9, 0xcc, 0xa8, 0xcc, 0xaa, 0xc0, 0x2b, 0xc0, 0x2f, 0x00, 0x9e,
	0xc0, 0x24, 0xc0, 0x28, 0x00, 0x6b, 0xc0, 0x23, 0xc0, 0x27, 0x00, 0x67, 0xc0, 0x0a, 0xc0, 0x14,
	0x00, 0x39, 0xc0, 0x09, 0xc0, 0x13, 0x00, 0x33, 0x00, 0x9d, 0x00, 0x9c, 0x00, 0x3d, 0x00, 0x3c,
	0x00, 0x35, 0x00, 0x2f, 0x00, 0xff, 0x01, 0x00, 0x00, 0x79, 0x00, 0x00, 0x00, 0x15, 0x00, 0x13,
	0x00, 0x00, 0x10, 0x77, 0x77, 0x77, 0x2e, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65, 0x2e, 0x74,
	0x65, 0x73, 0x74, 0x00, 0x0b, 0x00, 0x04, 0x03, 0x00, 0x01, 0x02, 0x00, 0x0a, 0x00, 0x0c, 0x00,
	0x0a, 0x00, 0x1d, 0x00, 0x17, 0x00, 0x1e, 0x00, 0x19, 0x00, 0x18, 0x00, 0x10, 0x00, 0x0e, 0x00,
	0x0c, 0x02, 0x68, 0x32, 0x08, 0x68, 0x74, 0x74, 0x70, 0x2f, 0x31, 0x2e, 0x31, 0x00, 0x16, 0x00,
	0x00, 0x00, 0x17, 0x00, 0x00, 0x00, 0x0d, 0x00, 0x2a, 0x00, 0x28, 0x04, 0x03, 0x05, 0x03, 0x06,
	0x03, 0x08, 0x07, 0x08, 0x08, 0x08, 0x09, 0x08, 0x0a, 0x08, 0x0b, 0x08, 0x04, 0x08, 0x05, 0x08,
	0x06, 0x04, 0x01, 0x05, 0x01, 0x06, 0x01, 0x03, 0x03, 0x03, 0x01, 0x03, 0x02, 0x04, 0x02, 0x05,
	0x02, 0x06, 0x02, 0x16, 0x03, 0x03, 0x00, 0x5d, 0x02, 0x00, 0x00, 0x59, 0x03, 0x03, 0xcf, 0x3c,
	0x90, 0x7e, 0xab, 0x83, 0x25, 0x61, 0x61, 0x95, 0xa8, 0xfe, 0xdb, 0x33, 0x56, 0x6d, 0x86, 0x29,
	0x6d, 0x30, 0xa4, 0xd1, 0x71, 0xab, 0xd1, 0x99, 0xdb, 0xde, 0x9e, 0xc1, 0xbb, 0x67, 0x20, 0xe5,
	0x28, 0x6b, 0xf2, 0x10, 0x3f, 0xa5, 0x71, 0xc4, 0x22, 0x7b, 0xac, 0x51, 0x9e, 0x2a, 0x69, 0xbe,
	0x21, 0xa2, 0xd1, 0x25, 0xcc, 0xae, 0x7b, 0xd3, 0xda, 0xfc, 0x69, 0xf2, 0x4d, 0x74, 0xb7, 0xc0,
	0x2c, 0x00, 0x00, 0x11, 0xff, 0x01, 0x00, 0x01, 0x00, 0x00, 0x0b, 0x00, 0x04, 0x03, 0x00, 0x01,
	0x02, 0x00, 0x17, 0x00, 0x00, 0x16, 0x03, 0x03, 0x01, 0xc6, 0x0b, 0x00, 0x01, 0xc2, 0x00, 0x01,
	0xbf, 0x00, 0x01, 0xbc, 0x30, 0x82, 0x01, 0xb8, 0x30, 0x82, 0x01, 0x5e, 0xa0, 0x03, 0x02, 0x01,
	0x02, 0x02, 0x02, 0x10, 0x02, 0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03,
	0x02, 0x30, 0x19, 0x31, 0x17, 0x30, 0x15, 0x06, 0x03, 0x55, 0x04, 0x03, 0x0c, 0x0e, 0x73, 0x79,
	0x6e, 0x61, 0x63, 0x6b, 0x20, 0x74, 0x65, 0x73, 0x74, 0x20, 0x43, 0x41, 0x30, 0x1e, 0x17, 0x0d,
	0x32, 0x35, 0x30, 0x31, 0x30, 0x31, 0x30, 0x30, 0x30, 0x30, 0x30, 0x30, 0x5a, 0x17, 0x0d, 0x34,
	0x35, 0x30, 0x31, 0x30, 0x31, 0x30, 0x30, 0x30, 0x30, 0x30, 0x30, 0x5a, 0x30, 0x1b, 0x31, 0x19,
	0x30, 0x17, 0x06, 0x03, 0x55, 0x04, 0x03, 0x0c, 0x10, 0x77, 0x77, 0x77, 0x2e, 0x65, 0x78, 0x61,
	0x6d, 0x70, 0x6c, 0x65, 0x2e, 0x74, 0x65, 0x73, 0x74, 0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a,
	0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07,
	0x03, 0x42, 0x00, 0x04, 0xb8, 0xf3, 0x66, 0x9e, 0xe6, 0x57, 0x9f, 0xa0, 0x20, 0x99, 0xed, 0x53,
	0x9c, 0x7f, 0x0d, 0x3b, 0x42, 0x49, 0x21, 0x9e, 0x97, 0xfb, 0x55, 0x8d, 0x23, 0xa5, 0xd5, 0xab,
	0x0b, 0x46, 0x8a, 0x97, 0x8a, 0xaf, 0x66, 0x2f, 0x9b, 0x62, 0x48, 0x95, 0xd6, 0xf4, 0x71, 0x91,
	0x2f, 0xa5, 0xd5, 0x26, 0x05, 0x77, 0xa0, 0x81, 0x74, 0x76, 0x8d, 0xf2, 0x6d, 0x22, 0x72, 0xc3,
	0x9c, 0x63, 0xf8, 0xbe, 0xa3, 0x81, 0x93, 0x30, 0x81, 0x90, 0x30, 0x0c, 0x06, 0x03, 0x55, 0x1d,
	0x13, 0x01, 0x01, 0xff, 0x04, 0x02, 0x30, 0x00, 0x30, 0x0e, 0x06, 0x03, 0x55, 0x1d, 0x0f, 0x01,
	0x01, 0xff, 0x04, 0x04, 0x03, 0x02, 0x07, 0x80, 0x30, 0x13, 0x06, 0x03, 0x55, 0x1d, 0x25, 0x04,
	0x0c, 0x30, 0x0a, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x01, 0x30, 0x1b, 0x06,
	0x03, 0x55, 0x1d, 0x11, 0x04, 0x14, 0x30, 0x12, 0x82, 0x10, 0x77, 0x77, 0x77, 0x2e, 0x65, 0x78,
	0x61, 0x6d, 0x70, 0x6c, 0x65, 0x2e, 0x74, 0x65, 0x73, 0x74, 0x30, 0x1d, 0x06, 0x03, 0x55, 0x1d,
	0x0e, 0x04, 0x16, 0x04, 0x14, 0x4c, 0x77, 0x31, 0x45, 0x7c, 0x68, 0x40, 0x1f, 0xdb, 0xc0, 0x2a,
	0xf2, 0xf2, 0x0c, 0xce, 0xaa, 0x2f, 0x9c, 0x81, 0x56, 0x30, 0x1f, 0x06, 0x03, 0x55, 0x1d, 0x23,
	0x04, 0x18, 0x30, 0x16, 0x80, 0x14, 0x44, 0xcc, 0xdc, 0xd1, 0x97, 0xf1, 0xc0, 0x6e, 0x59, 0x0e,
	0x18, 0x2f, 0xde, 0x78, 0x62, 0xc2, 0xbf, 0xf2, 0x8f, 0x30, 0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86,
	0x48, 0xce, 0x3d, 0x04, 0x03, 0x02, 0x03, 0x48, 0x00, 0x30, 0x45, 0x02, 0x20, 0x33, 0x97, 0x69,
	0xd9, 0x0f, 0x3a, 0x57, 0x15, 0xdf, 0xf7, 0xdf, 0x87, 0x18, 0x8b, 0xb3, 0x3d, 0xa3, 0x0a, 0x78,
	0xe7, 0x0e, 0x99, 0xd8, 0xd8, 0x82, 0x2a, 0x7a, 0x1c, 0xbc, 0xd8, 0x36, 0xd9, 0x02, 0x21, 0x00,
	0xf0, 0x30, 0x0e, 0x85, 0x64, 0xd9, 0xfe, 0x89, 0x64, 0x60, 0x7c, 0xd4, 0xad, 0xa4, 0xcf, 0xb3,
	0x18, 0x64, 0xfe, 0x49, 0x6c, 0xc7, 0xa5, 0x86, 0xe6, 0x74, 0x40, 0xe6, 0x56, 0x33, 0x83, 0x4b,
	0x16, 0x03, 0x03, 0x00, 0x72, 0x0c, 0x00, 0x00, 0x6e, 0x03, 0x00, 0x1d, 0x20, 0x2d, 0xc3, 0xfd,
	0x6d, 0x55, 0x51, 0xbd, 0xac, 0x41, 0x24, 0x69, 0x8e, 0x96, 0x5f, 0xa8, 0xcc, 0x12, 0x31, 0x7b,
	0x90, 0x53, 0x13, 0x83, 0x4e, 0xeb, 0x08, 0x13, 0x8f, 0x9f, 0xae, 0x8f, 0x20, 0x04, 0x03, 0x00,
	0x46, 0x30, 0x44, 0x02, 0x20, 0x6a, 0x4d, 0x2b, 0x74, 0x2e, 0x6e, 0xd4, 0x09, 0x27, 0xef, 0xdd,
	0x92, 0x2d, 0x23, 0x4c, 0x82, 0xd1, 0xe4, 0xe6, 0x58, 0x7b, 0x23, 0xb7, 0xbf, 0x06, 0x7d, 0xf1,
	0xbf, 0x62, 0x8b, 0xb9, 0x17, 0x02, 0x20, 0x22, 0x15, 0xb3, 0x73, 0x81, 0x47, 0x01, 0x11, 0x4f,
	0xf8, 0x2e, 0x3a, 0x54, 0xf5, 0x88, 0xec, 0x0c, 0xf0, 0xd3, 0x4d, 0xac, 0x74, 0x5f, 0xe1, 0x7a,
	0x33, 0x4b, 0x98, 0xf3, 0x8b, 0x74, 0x65, 0x16, 0x03, 0x03, 0x00, 0x04, 0x0e, 0x00, 0x00, 0x00,
	0x16, 0x03, 0x03, 0x00, 0x25, 0x10, 0x00, 0x00, 0x21, 0x20, 0x8b, 0x9e, 0xec, 0x67, 0x1f, 0x83,
	0x99, 0x0b, 0x63, 0x23, 0x7e, 0xb1, 0x8a, 0x50, 0x2c, 0x6c, 0x9d, 0x96, 0xf8, 0xac, 0xb5, 0xff,
	0x32, 0xe3, 0x17, 0xb4, 0x9e, 0x0d, 0xde, 0xf4, 0x6e, 0x0c, 0x14, 0x03, 0x03, 0x00, 0x01, 0x01,
	0x16, 0x03, 0x03, 0x00, 0x28, 0x52, 0x53, 0x90, 0xfa, 0x8e, 0xfc, 0xa9, 0xfd, 0xe3, 0x9b, 0xc8,
	0xa5, 0x19, 0x95, 0xa8, 0xb6, 0xca, 0x76, 0xf1, 0x00, 0x2a, 0xc7, 0x6c, 0xf3, 0xcd, 0x89, 0x14,
	0x6b, 0x3b, 0xf3, 0xeb, 0xb4, 0xea, 0xbf, 0xf3, 0x65, 0xf2, 0xe9, 0x0c, 0x66, 0x14, 0x03, 0x03,
	0x00, 0x01, 0x01, 0x16, 0x03, 0x03, 0x00, 0x28, 0x2c, 0xac, 0xbe, 0x6c, 0xb7, 0x78, 0xe7, 0x5f,
	0x3a, 0x4a, 0x98, 0x97, 0xaf, 0x36, 0x1f, 0x0e, 0xa4, 0x3f, 0xd5, 0x1b, 0xa7, 0x9c, 0x5b, 0xe7,
	0xcc, 0xb8, 0x8c, 0x34, 0xf6, 0xbe, 0x19, 0xef, 0xf3, 0x39, 0x1a, 0x64, 0x15, 0xb6, 0xc1, 0x66,
};
static const struct capseg cap12_segs[] = {
	{ 4, 0, 3202015856u, 0, 227 },
	{ 6, 1, 127211005u, 227, 685 },
	{ 8, 0, 3202016083u, 912, 93 },
	{ 9, 1, 127211690u, 1005, 51 },
};
static const uint32_t cap12_isn[2] = { 3202015855u, 127211004u };

/* tls13_ok.client.pcap frames 4, 6, 8: tshark -e tcp.srcport -e tcp.seq_raw -e tcp.payload */
static const uint8_t cap13_bytes[1411] = {
	0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03, 0xef, 0x4b, 0xaf, 0x0d, 0x6a,
	0x10, 0xff, 0x2f, 0xa9, 0x1c, 0xb1, 0x5f, 0x26, 0x44, 0x21, 0x53, 0xd7, 0x19, 0xe4, 0x5e, 0x2b,
	0x99, 0x48, 0xb2, 0xf3, 0xfd, 0xe6, 0x17, 0x94, 0x4a, 0xee, 0xe2, 0x20, 0x64, 0xcb, 0x0b, 0x69,
	0x4f, 0xf0, 0x40, 0xef, 0x13, 0x13, 0x31, 0x5a, 0xbb, 0x0b, 0x45, 0x6c, 0x3a, 0xee, 0x10, 0x57,
	0x2e, 0x3a, 0xc8, 0x97, 0xf0, 0xe5, 0xb4, 0x77, 0x7e, 0xce, 0xc3, 0xd1, 0x00, 0x08, 0x13, 0x02,
	0x13, 0x03, 0x13, 0x01, 0x00, 0xff, 0x01, 0x00, 0x01, 0xab, 0x00, 0x00, 0x00, 0x15, 0x00, 0x13,
	0x00, 0x00, 0x10, 0x77, 0x77, 0x77, 0x2e, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65, 0x2e, 0x74,
	0x65, 0x73, 0x74, 0x00, 0x0b, 0x00, 0x04, 0x03, 0x00, 0x01, 0x02, 0x00, 0x0a, 0x00, 0x16, 0x00,
	0x14, 0x00, 0x1d, 0x00, 0x17, 0x00, 0x1e, 0x00, 0x19, 0x00, 0x18, 0x01, 0x00, 0x01, 0x01, 0x01,
	0x02, 0x01, 0x03, 0x01, 0x04, 0x00, 0x10, 0x00, 0x0e, 0x00, 0x0c, 0x02, 0x68, 0x32, 0x08, 0x68,
	0x74, 0x74, 0x70, 0x2f, 0x31, 0x2e, 0x31, 0x00, 0x16, 0x00, 0x00, 0x00, 0x17, 0x00, 0x00, 0x00,
	0x31, 0x00, 0x00, 0x00, 0x0d, 0x00, 0x1e, 0x00, 0x1c, 0x04, 0x03, 0x05, 0x03, 0x06, 0x03, 0x08,
	0x07, 0x08, 0x08, 0x08, 0x09, 0x08, 0x0a, 0x08, 0x0b, 0x08, 0x04, 0x08, 0x05, 0x08, 0x06, 0x04,
	0x01, 0x05, 0x01, 0x06, 0x01, 0x00, 0x2b, 0x00, 0x03, 0x02, 0x03, 0x04, 0x00, 0x2d, 0x00, 0x02,
	0x01, 0x01, 0x00, 0x33, 0x00, 0x26, 0x00, 0x24, 0x00, 0x1d, 0x00, 0x20, 0xe5, 0x9e, 0x07, 0x73,
	0x1f, 0xcf, 0x25, 0x58, 0xc4, 0xc0, 0xfd, 0x60, 0x1c, 0x8d, 0x3b, 0x32, 0xa4, 0x9d, 0x5c, 0x9c,
	0x17, 0xf4, 0xc9, 0x05, 0xbb, 0x11, 0x59, 0xd6, 0x8d, 0xbc, 0xac, 0x7e, 0x00, 0x15, 0x00, 0xf5,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x16, 0x03, 0x03, 0x00, 0x7a, 0x02, 0x00, 0x00, 0x76, 0x03, 0x03,
	0xc7, 0x91, 0x57, 0x74, 0x93, 0xeb, 0xa2, 0xd2, 0x3c, 0x7b, 0x38, 0x41, 0x6a, 0xda, 0xcc, 0xee,
	0xd6, 0xd0, 0xf5, 0x38, 0xc0, 0xd4, 0x16, 0x82, 0x2b, 0xb8, 0xc4, 0x36, 0x67, 0xf9, 0xa5, 0x79,
	0x20, 0x64, 0xcb, 0x0b, 0x69, 0x4f, 0xf0, 0x40, 0xef, 0x13, 0x13, 0x31, 0x5a, 0xbb, 0x0b, 0x45,
	0x6c, 0x3a, 0xee, 0x10, 0x57, 0x2e, 0x3a, 0xc8, 0x97, 0xf0, 0xe5, 0xb4, 0x77, 0x7e, 0xce, 0xc3,
	0xd1, 0x13, 0x02, 0x00, 0x00, 0x2e, 0x00, 0x2b, 0x00, 0x02, 0x03, 0x04, 0x00, 0x33, 0x00, 0x24,
	0x00, 0x1d, 0x00, 0x20, 0x10, 0x8c, 0x23, 0x64, 0x92, 0xf4, 0x39, 0x8f, 0x77, 0x4e, 0x97, 0x31,
	0xb2, 0xc4, 0x83, 0x88, 0x1c, 0x9f, 0xd9, 0x5c, 0x4e, 0xc6, 0x03, 0xe3, 0xf2, 0xec, 0x5f, 0x38,
	0x8a, 0xc7, 0x21, 0x22, 0x14, 0x03, 0x03, 0x00, 0x01, 0x01, 0x17, 0x03, 0x03, 0x00, 0x17, 0xe1,
	0x9c, 0x61, 0xb5, 0xd1, 0x0c, 0x3f, 0x54, 0xdc, 0x7d, 0x03, 0x1c, 0x8c, 0xb0, 0x7c, 0xd0, 0x46,
	0xdc, 0xe2, 0x7a, 0xf8, 0x45, 0x01, 0x17, 0x03, 0x03, 0x01, 0xda, 0x47, 0xd1, 0x65, 0x6c, 0xf6,
	0xb3, 0x2a, 0x31, 0x57, 0xf4, 0xb5, 0x78, 0x6c, 0x0d, 0xed, 0xbe, 0x42, 0xf3, 0x9a, 0x2c, 0x4e,
	0x78, 0x3d, 0xb4, 0x12, 0x73, 0x6a, 0xf9, 0x45, 0x36, 0xae, 0x18, 0xe0, 0x00, 0xef, 0x0c, 0x8b,
	0x38, 0xde, 0x88, 0x96, 0x56, 0x9e, 0x1a, 0x96, 0x95, 0x6c, 0xe2, 0x4c, 0x40, 0x53, 0xee, 0xe5,
	0x2e, 0x92, 0xb2, 0x1a, 0x18, 0x98, 0xd3, 0x69, 0xec, 0x09, 0xa1, 0xef, 0xeb, 0xc9, 0x4d, 0x27,
	0x2c, 0xdd, 0xc9, 0x04, 0x30, 0x33, 0x91, 0x90, 0x9b, 0xe6, 0xe4, 0x9e, 0xaf, 0xa5, 0xa8, 0xe7,
	0x5f, 0xc1, 0xdb, 0x7a, 0x51, 0xa1, 0x0c, 0x14, 0x93, 0x92, 0xad, 0xae, 0xea, 0x33, 0x74, 0x29,
	0x4b, 0x6b, 0x26, 0x7b, 0xeb, 0x3d, 0x1d, 0x84, 0x7b, 0x7f, 0x67, 0x65, 0xed, 0x93, 0x62, 0x1e,
	0x2e, 0xa2, 0xad, 0xb5, 0x3a, 0xee, 0xcd, 0x99, 0xd7, 0x15, 0x40, 0x2c, 0x97, 0x8c, 0xda, 0x5d,
	0x23, 0x28, 0x9a, 0x5f, 0xc0, 0x0a, 0x51, 0x49, 0x17, 0x1d, 0x67, 0xf7, 0x62, 0xd2, 0x67, 0x32,
	0xf9, 0x08, 0x63, 0xb5, 0x3c, 0x17, 0x00, 0x88, 0x4d, 0xd5, 0xf0, 0x3a, 0x5e, 0x9f, 0xe8, 0x6f,
	0x36, 0xfc, 0x50, 0xc7, 0x9b, 0xf5, 0x5f, 0x03, 0x98, 0x10, 0x84, 0x8d, 0x6e, 0xa7, 0xc6, 0xc2,
	0xfc, 0xd9, 0x6e, 0xeb, 0xaf, 0xc6, 0xf2, 0xdd, 0x3b, 0x8d, 0xc1, 0x45, 0xf8, 0x1a, 0x1a, 0xb8,
	0x80, 0xe0, 0xf2, 0x15, 0x8f, 0x3d, 0x03, 0x45, 0xa1, 0xd0, 0x5d, 0xc3, 0x48, 0x4d, 0x98, 0x3c,
	0xf1, 0x91, 0xea, 0x6b, 0xa1, 0xc7, 0xb6, 0x44, 0xb9, 0xa8, 0xdf, 0xcf, 0x09, 0xbb, 0x6d, 0x9e,
	0x89, 0x89, 0x75, 0x7b, 0xe6, 0x12, 0x34, 0x06, 0xdf, 0xd9, 0xd2, 0x89, 0x8f, 0x3b, 0xcf, 0x94,
	0x5a, 0x34, 0x71, 0x3c, 0x92, 0x17, 0x18, 0x59, 0x31, 0x88, 0xb7, 0x7d, 0x2a, 0x99, 0x3b, 0xa1,
	0x20, 0xea, 0xbe, 0x06, 0x8d, 0xa3, 0xf9, 0x2e, 0x85, 0x48, 0xa0, 0x14, 0x28, 0x91, 0x27, 0xf3,
	0xbe, 0xd1, 0xd8, 0xae, 0x4a, 0xcd, 0xb5, 0x8f, 0x98, 0x0b, 0x00, 0x49, 0x16, 0x87, 0xa3, 0x09,
	0x3f, 0x81, 0xe7, 0x30, 0x13, 0x94, 0x9a, 0x78, 0xc3, 0x35, 0xb9, 0xa3, 0x1c, 0xe5, 0xa1, 0x66,
	0x60, 0xba, 0xf5, 0x76, 0xf8, 0xa6, 0xbe, 0x45, 0xf8, 0xfa, 0xd8, 0x9b, 0xf7, 0xea, 0xbc, 0x60,
	0xea, 0xaa, 0x06, 0x6c, 0xe8, 0x5d, 0x0b, 0xfe, 0x63, 0x5c, 0xf7, 0x0f, 0xfd, 0x09, 0xe8, 0x1d,
	0xa7, 0xd8, 0x33, 0xa5, 0xe2, 0x13, 0xa7, 0x47, 0x5d, 0xa8, 0xfc, 0x4b, 0x3c, 0xa9, 0x29, 0x46,
	0xc1, 0xdd, 0x72, 0x3c, 0x4c, 0xd3, 0xa0, 0x9c, 0xd6, 0x5a, 0x6d, 0x6a, 0x54, 0xb1, 0xd1, 0x3d,
	0x44, 0xda, 0xfc, 0x77, 0x3f, 0xc5, 0x03, 0x95, 0x48, 0xb6, 0xa1, 0x41, 0x38, 0x5c, 0xaa, 0x13,
	0x7c, 0xf6, 0x51, 0x46, 0xb1, 0x39, 0x03, 0xc4, 0x2a, 0xcf, 0xcf, 0x1f, 0x0c, 0x30, 0x11, 0x2d,
	0x4f, 0xb3, 0x13, 0x36, 0x93, 0xa0, 0xa1, 0xb2, 0x1a, 0x65, 0x92, 0x6c, 0x8a, 0x2f, 0xe7, 0x8e,
	0x3d, 0xba, 0x24, 0x2f, 0x82, 0x8b, 0x70, 0xa7, 0x86, 0x0c, 0x83, 0x3c, 0x0b, 0xc3, 0xd4, 0xe3,
	0xc5, 0x24, 0xbf, 0x19, 0x20, 0x63, 0xce, 0xfb, 0x58, 0x04, 0xcd, 0x2d, 0x26, 0xd4, 0xeb, 0x46,
	0x8c, 0xc0, 0x91, 0xd4, 0x49, 0x91, 0xe9, 0x25, 0x36, 0x40, 0x02, 0xca, 0xcb, 0xc6, 0x65, 0x2d,
	0x4e, 0xc8, 0xa6, 0x11, 0x08, 0x17, 0x03, 0x03, 0x00, 0x5f, 0xaa, 0x5d, 0xd6, 0xbf, 0x9e, 0x2b,
	0x81, 0x00, 0xf3, 0x6e, 0x2b, 0xfa, 0xa7, 0x78, 0x91, 0x9d, 0x54, 0x28, 0x71, 0x2c, 0x81, 0x8f,
	0xa8, 0x60, 0x58, 0x21, 0xf8, 0xca, 0xbc, 0xaa, 0x82, 0xcf, 0x17, 0x39, 0xf7, 0xdc, 0x67, 0x95,
	0x22, 0xe5, 0xc4, 0x13, 0xa3, 0xfd, 0xa5, 0x5d, 0x80, 0xe0, 0xd5, 0x4f, 0x0c, 0x95, 0x48, 0xbf,
	0x80, 0xe0, 0xb6, 0x0c, 0x0b, 0xa4, 0xce, 0x4c, 0xc3, 0x98, 0xeb, 0xb4, 0x13, 0xf8, 0x46, 0x57,
	0x4f, 0x75, 0x07, 0x39, 0xaa, 0x35, 0xc2, 0xe3, 0xd6, 0x98, 0x71, 0x27, 0x49, 0x50, 0x41, 0xc4,
	0x16, 0xac, 0xc1, 0x91, 0xc7, 0x5f, 0x71, 0xb1, 0x68, 0x17, 0x03, 0x03, 0x00, 0x45, 0x50, 0x92,
	0xf9, 0x97, 0xf5, 0xd0, 0x3d, 0xc9, 0xf0, 0x3c, 0x1e, 0x5a, 0x0b, 0x1f, 0xde, 0x02, 0xa1, 0x7c,
	0x2a, 0x1e, 0xd0, 0x56, 0xcd, 0x3c, 0x32, 0x48, 0x69, 0xa8, 0xac, 0x44, 0xd2, 0x08, 0xee, 0xea,
	0xa6, 0x2a, 0xf0, 0x30, 0x12, 0x62, 0x25, 0x60, 0xaa, 0x00, 0x47, 0x53, 0x7c, 0x88, 0xf9, 0xab,
	0xb8, 0x5d, 0x40, 0x8f, 0xf6, 0xca, 0x13, 0xec, 0x3f, 0x08, 0x8f, 0x7a, 0xec, 0x1b, 0xeb, 0xa4,
	0xd5, 0xda, 0x23, 0x14, 0x03, 0x03, 0x00, 0x01, 0x01, 0x17, 0x03, 0x03, 0x00, 0x45, 0x17, 0xdc,
	0x1f, 0xcb, 0xcf, 0x2e, 0x42, 0xc5, 0xc9, 0x9e, 0x3e, 0x09, 0x8a, 0xe8, 0xd1, 0xa0, 0x2f, 0x20,
	0x37, 0x9a, 0x41, 0x81, 0x54, 0x43, 0x53, 0x7d, 0xa4, 0x0c, 0xc4, 0x69, 0x22, 0x3a, 0x62, 0x95,
	0xd8, 0xcb, 0xbc, 0x04, 0x30, 0x65, 0xc9, 0xfb, 0x84, 0x93, 0x97, 0xb0, 0x05, 0x98, 0x88, 0xd6,
	0x9f, 0x21, 0x2b, 0x72, 0xe8, 0x8d, 0x65, 0x25, 0xab, 0x4e, 0xe6, 0x18, 0xda, 0x4d, 0x54, 0x09,
	0x57, 0xe7, 0xc7,
};
static const struct capseg cap13_segs[] = {
	{ 4, 0, 3599410832u, 0, 517 },
	{ 6, 1, 1908917364u, 517, 814 },
	{ 8, 0, 3599411349u, 1331, 80 },
};
static const uint32_t cap13_isn[2] = { 3599410831u, 1908917363u };

/* hello_retry.client.pcap frames 4, 6, 8, 9, 10: tshark -e tcp.srcport -e tcp.seq_raw -e tcp.payload */
static const uint8_t caphrr_bytes[1758] = {
	0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03, 0x29, 0x17, 0x8d, 0xd2, 0x05,
	0xf7, 0xd1, 0x33, 0x49, 0xe1, 0x91, 0x73, 0x0b, 0xc3, 0x1a, 0x27, 0x9d, 0xcf, 0xaf, 0xab, 0xad,
	0xee, 0xdb, 0x7a, 0x26, 0xb2, 0x85, 0x21, 0xc5, 0x6a, 0xce, 0xb7, 0x20, 0xca, 0xa7, 0x9b, 0x93,
	0x03, 0xb1, 0x6e, 0x34, 0xc4, 0x23, 0xdb, 0xce, 0x4b, 0x57, 0x84, 0xc5, 0x9e, 0xc9, 0x33, 0x5e,
	0x79, 0x1c, 0xc4, 0xc8, 0xe2, 0x6d, 0xfd, 0x84, 0x44, 0x70, 0xe7, 0x63, 0x00, 0x08, 0x13, 0x02,
	0x13, 0x03, 0x13, 0x01, 0x00, 0xff, 0x01, 0x00, 0x01, 0xab, 0x00, 0x00, 0x00, 0x15, 0x00, 0x13,
	0x00, 0x00, 0x10, 0x77, 0x77, 0x77, 0x2e, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65, 0x2e, 0x74,
	0x65, 0x73, 0x74, 0x00, 0x0b, 0x00, 0x04, 0x03, 0x00, 0x01, 0x02, 0x00, 0x0a, 0x00, 0x06, 0x00,
	0x04, 0x00, 0x17, 0x00, 0x1d, 0x00, 0x10, 0x00, 0x0e, 0x00, 0x0c, 0x02, 0x68, 0x32, 0x08, 0x68,
	0x74, 0x74, 0x70, 0x2f, 0x31, 0x2e, 0x31, 0x00, 0x16, 0x00, 0x00, 0x00, 0x17, 0x00, 0x00, 0x00,
	0x31, 0x00, 0x00, 0x00, 0x0d, 0x00, 0x1e, 0x00, 0x1c, 0x04, 0x03, 0x05, 0x03, 0x06, 0x03, 0x08,
	0x07, 0x08, 0x08, 0x08, 0x09, 0x08, 0x0a, 0x08, 0x0b, 0x08, 0x04, 0x08, 0x05, 0x08, 0x06, 0x04,
	0x01, 0x05, 0x01, 0x06, 0x01, 0x00, 0x2b, 0x00, 0x03, 0x02, 0x03, 0x04, 0x00, 0x2d, 0x00, 0x02,
	0x01, 0x01, 0x00, 0x33, 0x00, 0x47, 0x00, 0x45, 0x00, 0x17, 0x00, 0x41, 0x04, 0xaf, 0x69, 0x63,
	0x19, 0xba, 0x70, 0xfb, 0xeb, 0x24, 0x61, 0x12, 0x01, 0x14, 0xe1, 0xe9, 0x8c, 0x0f, 0x05, 0xc6,
	0x2b, 0xa8, 0xe4, 0x51, 0x48, 0x38, 0xe4, 0xfb, 0x8c, 0x20, 0xdb, 0xe7, 0x41, 0xe5, 0x8d, 0xa9,
	0xed, 0x06, 0x8f, 0x80, 0x72, 0x44, 0x60, 0x53, 0x8e, 0x29, 0x96, 0x3d, 0x34, 0x6d, 0x69, 0x22,
	0xdd, 0x6f, 0x2a, 0x85, 0xcc, 0x6e, 0x41, 0x16, 0x43, 0x9d, 0x91, 0x68, 0x33, 0x00, 0x15, 0x00,
	0xe4, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x16, 0x03, 0x03, 0x00, 0x58, 0x02, 0x00, 0x00, 0x54, 0x03, 0x03,
	0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
	0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
	0x20, 0xca, 0xa7, 0x9b, 0x93, 0x03, 0xb1, 0x6e, 0x34, 0xc4, 0x23, 0xdb, 0xce, 0x4b, 0x57, 0x84,
	0xc5, 0x9e, 0xc9, 0x33, 0x5e, 0x79, 0x1c, 0xc4, 0xc8, 0xe2, 0x6d, 0xfd, 0x84, 0x44, 0x70, 0xe7,
	0x63, 0x13, 0x02, 0x00, 0x00, 0x0c, 0x00, 0x2b, 0x00, 0x02, 0x03, 0x04, 0x00, 0x33, 0x00, 0x02,
	0x00, 0x1d, 0x14, 0x03, 0x03, 0x00, 0x01, 0x01, 0x14, 0x03, 0x03, 0x00, 0x01, 0x01, 0x16, 0x03,
	0x03, 0x00, 0xf7, 0x01, 0x00, 0x00, 0xf3, 0x03, 0x03, 0x29, 0x17, 0x8d, 0xd2, 0x05, 0xf7, 0xd1,
	0x33, 0x49, 0xe1, 0x91, 0x73, 0x0b, 0xc3, 0x1a, 0x27, 0x9d, 0xcf, 0xaf, 0xab, 0xad, 0xee, 0xdb,
	0x7a, 0x26, 0xb2, 0x85, 0x21, 0xc5, 0x6a, 0xce, 0xb7, 0x20, 0xca, 0xa7, 0x9b, 0x93, 0x03, 0xb1,
	0x6e, 0x34, 0xc4, 0x23, 0xdb, 0xce, 0x4b, 0x57, 0x84, 0xc5, 0x9e, 0xc9, 0x33, 0x5e, 0x79, 0x1c,
	0xc4, 0xc8, 0xe2, 0x6d, 0xfd, 0x84, 0x44, 0x70, 0xe7, 0x63, 0x00, 0x08, 0x13, 0x02, 0x13, 0x03,
	0x13, 0x01, 0x00, 0xff, 0x01, 0x00, 0x00, 0xa2, 0x00, 0x00, 0x00, 0x15, 0x00, 0x13, 0x00, 0x00,
	0x10, 0x77, 0x77, 0x77, 0x2e, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65, 0x2e, 0x74, 0x65, 0x73,
	0x74, 0x00, 0x0b, 0x00, 0x04, 0x03, 0x00, 0x01, 0x02, 0x00, 0x0a, 0x00, 0x06, 0x00, 0x04, 0x00,
	0x17, 0x00, 0x1d, 0x00, 0x10, 0x00, 0x0e, 0x00, 0x0c, 0x02, 0x68, 0x32, 0x08, 0x68, 0x74, 0x74,
	0x70, 0x2f, 0x31, 0x2e, 0x31, 0x00, 0x16, 0x00, 0x00, 0x00, 0x17, 0x00, 0x00, 0x00, 0x31, 0x00,
	0x00, 0x00, 0x0d, 0x00, 0x1e, 0x00, 0x1c, 0x04, 0x03, 0x05, 0x03, 0x06, 0x03, 0x08, 0x07, 0x08,
	0x08, 0x08, 0x09, 0x08, 0x0a, 0x08, 0x0b, 0x08, 0x04, 0x08, 0x05, 0x08, 0x06, 0x04, 0x01, 0x05,
	0x01, 0x06, 0x01, 0x00, 0x2b, 0x00, 0x03, 0x02, 0x03, 0x04, 0x00, 0x2d, 0x00, 0x02, 0x01, 0x01,
	0x00, 0x33, 0x00, 0x26, 0x00, 0x24, 0x00, 0x1d, 0x00, 0x20, 0x07, 0x29, 0xde, 0xb1, 0x57, 0x6e,
	0xf7, 0x69, 0xcd, 0x5f, 0x96, 0x79, 0xe1, 0x44, 0x0f, 0x55, 0x8a, 0xa0, 0x24, 0xaa, 0x9d, 0xba,
	0x9d, 0xd0, 0x33, 0x8d, 0xad, 0xbc, 0xc3, 0x2f, 0x22, 0x33, 0x16, 0x03, 0x03, 0x00, 0x7a, 0x02,
	0x00, 0x00, 0x76, 0x03, 0x03, 0xeb, 0x45, 0xae, 0xba, 0x70, 0x5f, 0x1c, 0x40, 0xf7, 0xb1, 0x91,
	0xcd, 0x14, 0x95, 0x17, 0x18, 0x78, 0x1c, 0x0e, 0x71, 0x12, 0x4c, 0xd5, 0xc2, 0x86, 0xa4, 0x45,
	0xe2, 0xb0, 0x60, 0xf7, 0xe0, 0x20, 0xca, 0xa7, 0x9b, 0x93, 0x03, 0xb1, 0x6e, 0x34, 0xc4, 0x23,
	0xdb, 0xce, 0x4b, 0x57, 0x84, 0xc5, 0x9e, 0xc9, 0x33, 0x5e, 0x79, 0x1c, 0xc4, 0xc8, 0xe2, 0x6d,
	0xfd, 0x84, 0x44, 0x70, 0xe7, 0x63, 0x13, 0x02, 0x00, 0x00, 0x2e, 0x00, 0x2b, 0x00, 0x02, 0x03,
	0x04, 0x00, 0x33, 0x00, 0x24, 0x00, 0x1d, 0x00, 0x20, 0x92, 0x64, 0x05, 0x6a, 0x17, 0xfa, 0x2d,
	0x71, 0x90, 0xf4, 0xb4, 0xa5, 0xce, 0xda, 0x39, 0x93, 0x81, 0x18, 0xc8, 0x5a, 0xb7, 0xc6, 0x7e,
	0xcc, 0xc7, 0xdb, 0xdb, 0xa0, 0x79, 0xea, 0x57, 0x00, 0x17, 0x03, 0x03, 0x00, 0x17, 0x41, 0x51,
	0x04, 0x88, 0x27, 0x62, 0x65, 0xab, 0x8e, 0x19, 0x54, 0x26, 0xf8, 0xfe, 0xc1, 0x2c, 0x68, 0xbb,
	0xc4, 0xa3, 0xec, 0x38, 0x00, 0x17, 0x03, 0x03, 0x01, 0xda, 0xc6, 0xe7, 0x68, 0x04, 0x30, 0xf7,
	0xc1, 0xf6, 0x60, 0xcc, 0xe5, 0xc8, 0xa8, 0x4d, 0xe1, 0x1f, 0x90, 0xbf, 0xcb, 0x32, 0x0a, 0x03,
	0xdc, 0x9b, 0x1e, 0xca, 0x6d, 0x1a, 0xcb, 0xb1, 0xdf, 0x45, 0x6d, 0x87, 0x04, 0xde, 0xc8, 0x41,
	0x28, 0xc7, 0xc9, 0x2c, 0x41, 0xf0, 0xc9, 0xd5, 0x8d, 0x27, 0xbe, 0x91, 0x5e, 0x81, 0x7f, 0xad,
	0xc5, 0x0f, 0xb1, 0xae, 0x92, 0x64, 0x01, 0xca, 0x5c, 0xb7, 0xbb, 0x63, 0x05, 0x93, 0x3a, 0xb1,
	0xc4, 0x38, 0xa6, 0x78, 0xe9, 0xcc, 0x0d, 0xe5, 0xdf, 0xee, 0x60, 0x74, 0x69, 0x47, 0xa0, 0x88,
	0x42, 0xce, 0xb0, 0x46, 0x64, 0xae, 0xb8, 0xe7, 0x5d, 0x0a, 0x75, 0x57, 0xe0, 0xf4, 0x5c, 0x53,
	0xd6, 0xb7, 0x0e, 0x93, 0x7c, 0x11, 0xbd, 0xe3, 0x78, 0x74, 0x83, 0x97, 0x08, 0x3f, 0x82, 0xbb,
	0x97, 0x18, 0xdd, 0xcc, 0x1c, 0x53, 0x39, 0xe3, 0x04, 0x39, 0x01, 0xa1, 0xd8, 0xd8, 0x93, 0x55,
	0x9b, 0x50, 0xd8, 0xad, 0xc9, 0xce, 0x6a, 0xcf, 0x68, 0xc0, 0xdd, 0xe2, 0x18, 0x87, 0x87, 0x46,
	0xdf, 0x1e, 0xc2, 0x50, 0xb3, 0x72, 0x66, 0x88, 0xe1, 0x29, 0xb3, 0x5d, 0xb3, 0x7b, 0x24, 0x05,
	0x02, 0x29, 0xeb, 0x9b, 0xa5, 0x96, 0xa9, 0x8d, 0x4f, 0x15, 0xec, 0xac, 0x7e, 0x4b, 0x62, 0xce,
	0x97, 0x54, 0xa1, 0x57, 0xda, 0xda, 0x36, 0xcd, 0x21, 0x03, 0x1f, 0xc8, 0x95, 0x79, 0x05, 0xb6,
	0xec, 0x66, 0x59, 0xdf, 0xd2, 0x7e, 0x6e, 0x94, 0x69, 0x34, 0x9f, 0x07, 0x0b, 0x8e, 0xa2, 0xbf,
	0xe6, 0x32, 0x76, 0xb3, 0x32, 0xec, 0x30, 0x63, 0xad, 0x3a, 0x85, 0x9b, 0x03, 0xdb, 0xb0, 0xa9,
	0x25, 0x78, 0x9f, 0x63, 0xb1, 0x71, 0x5d, 0x74, 0xd6, 0xab, 0x6c, 0x1a, 0x55, 0x0f, 0x4a, 0x26,
	0xad, 0x30, 0x45, 0x15, 0xa8, 0x60, 0x96, 0x65, 0xa6, 0x88, 0x76, 0x01, 0x03, 0xc8, 0xa4, 0xd0,
	0x7c, 0xb6, 0x13, 0x13, 0x72, 0x8a, 0x97, 0x3e, 0xa4, 0x1a, 0xbc, 0x7e, 0x6e, 0x62, 0x3d, 0xf1,
	0xed, 0xfc, 0x81, 0xf1, 0xd5, 0xaf, 0x6c, 0xa8, 0x6d, 0x9c, 0xee, 0xfa, 0x55, 0x20, 0x70, 0x27,
	0x9f, 0x0c, 0x42, 0x78, 0x3c, 0x97, 0x17, 0x09, 0x4e, 0xb4, 0x26, 0xb3, 0x23, 0xb5, 0x03, 0xe0,
	0x13, 0x3d, 0x2c, 0x59, 0xc1, 0xe6, 0xb9, 0x8b, 0x03, 0xa8, 0x95, 0x1d, 0x57, 0xe8, 0x9c, 0x1f,
	0xed, 0x11, 0x3f, 0xa6, 0x12, 0x0a, 0xea, 0x0c, 0xd8, 0xa4, 0xb2, 0x84, 0x69, 0xe8, 0x5b, 0xdc,
	0x24, 0x55, 0x64, 0x0c, 0x99, 0x45, 0x62, 0x58, 0xbb, 0x5e, 0xde, 0x25, 0x9e, 0xa2, 0x5c, 0x99,
	0xab, 0xed, 0x6e, 0x3b, 0xf3, 0xd5, 0x66, 0x91, 0xc4, 0x85, 0x01, 0x7e, 0x3c, 0xbb, 0x62, 0x55,
	0xf6, 0x60, 0xeb, 0x1f, 0xca, 0x42, 0x7d, 0x9b, 0xee, 0xe1, 0x32, 0x95, 0x0b, 0x91, 0xca, 0x38,
	0xc8, 0xa1, 0x5d, 0xd3, 0xf2, 0x0c, 0x9e, 0xf3, 0x2a, 0xec, 0x65, 0xc5, 0xd2, 0x59, 0xc3, 0x4c,
	0x26, 0x3b, 0x3c, 0xfd, 0x4c, 0x3a, 0xf9, 0x69, 0xb2, 0x42, 0x0b, 0x5d, 0xb5, 0xd6, 0x19, 0x45,
	0x34, 0x82, 0x7f, 0x90, 0x8b, 0x44, 0x59, 0x32, 0xe2, 0x8f, 0x3e, 0xff, 0x62, 0xd2, 0x7a, 0xac,
	0x10, 0x05, 0x8a, 0x25, 0x71, 0xa5, 0xc8, 0xf5, 0xd9, 0x01, 0x46, 0x88, 0x9f, 0x6b, 0x1b, 0x99,
	0xeb, 0x76, 0x4d, 0xed, 0x6d, 0x72, 0x14, 0xb5, 0x8c, 0xde, 0xf5, 0x38, 0x73, 0xbf, 0x28, 0xc0,
	0x5f, 0xdb, 0xb2, 0x94, 0x17, 0x03, 0x03, 0x00, 0x61, 0x41, 0xae, 0x46, 0x6a, 0xdc, 0xd9, 0x1a,
	0x3a, 0xf5, 0x19, 0x69, 0xe0, 0x8f, 0xab, 0x88, 0x25, 0x08, 0x8a, 0x45, 0x96, 0x3b, 0xf6, 0x65,
	0x29, 0xca, 0xc0, 0xe3, 0x95, 0x21, 0xef, 0xa8, 0x6e, 0x01, 0xcd, 0xce, 0xb6, 0xbe, 0x1f, 0xe1,
	0x58, 0x94, 0x12, 0x74, 0x4c, 0x7c, 0x11, 0x0d, 0x30, 0x0c, 0xb6, 0x27, 0xca, 0xf5, 0x74, 0x7c,
	0x3d, 0xaf, 0x33, 0xbf, 0x69, 0xa3, 0x7c, 0xa9, 0x84, 0x46, 0x07, 0x6c, 0x3b, 0x35, 0x8c, 0xc8,
	0xd1, 0x10, 0xad, 0xf3, 0x25, 0xfd, 0xa8, 0xd0, 0x10, 0x2b, 0x6e, 0xbe, 0x43, 0x42, 0xe7, 0xd1,
	0x10, 0xbd, 0x58, 0xf8, 0x2c, 0xab, 0xf1, 0x62, 0x71, 0x3a, 0x17, 0x03, 0x03, 0x00, 0x45, 0x32,
	0xa2, 0xdb, 0x99, 0x32, 0xdb, 0x2c, 0x7d, 0x46, 0xda, 0x85, 0x4e, 0x1e, 0x7f, 0xe6, 0x90, 0x1c,
	0x27, 0x1c, 0x6c, 0xf7, 0x5d, 0x7a, 0xa4, 0x4a, 0x82, 0x86, 0x6c, 0x42, 0x41, 0x47, 0x15, 0x82,
	0xa8, 0xa5, 0x4b, 0x92, 0x36, 0x9b, 0x56, 0x62, 0x30, 0x58, 0xfb, 0x00, 0x03, 0xcc, 0xc5, 0xd5,
	0x49, 0xb0, 0x4a, 0x8b, 0xea, 0x99, 0x0f, 0x19, 0xba, 0x75, 0xc0, 0x34, 0x75, 0x63, 0xd6, 0x4f,
	0x34, 0x80, 0x75, 0x1b, 0x17, 0x03, 0x03, 0x00, 0x45, 0x09, 0x34, 0xa7, 0x36, 0x5e, 0xbc, 0x20,
	0x5e, 0x5b, 0x84, 0x91, 0xc0, 0x2b, 0xbf, 0xdb, 0xf3, 0xe3, 0xcf, 0x22, 0x09, 0x63, 0x37, 0x8a,
	0x2c, 0xc6, 0x8d, 0x08, 0xd3, 0x26, 0x62, 0x00, 0x76, 0xe8, 0x9f, 0x04, 0x97, 0x99, 0xa9, 0xe2,
	0x90, 0xf2, 0x5b, 0x27, 0x32, 0xd8, 0x39, 0xac, 0x41, 0x7b, 0xf9, 0xa2, 0xf0, 0x18, 0x7f, 0xcc,
	0xc6, 0x16, 0xa2, 0xa8, 0x0c, 0xb0, 0xff, 0x0a, 0x7b, 0xe5, 0x90, 0x0e, 0x05, 0x1d,
};
static const struct capseg caphrr_segs[] = {
	{ 4, 0, 516784133u, 0, 517 },
	{ 6, 1, 2854578572u, 517, 99 },
	{ 8, 0, 516784650u, 616, 258 },
	{ 9, 1, 2854578671u, 874, 810 },
	{ 10, 0, 516784908u, 1684, 74 },
};
static const uint32_t caphrr_isn[2] = { 516784132u, 2854578571u };

struct cap {
	const char *name;
	const uint8_t *bytes;
	size_t n;
	const struct capseg *segs;
	size_t nsegs;
	const uint32_t *isn;
};

static const struct cap caps[] = {
	{ "tls12_ok", cap12_bytes, sizeof(cap12_bytes), cap12_segs, N(cap12_segs), cap12_isn },
	{ "tls13_ok", cap13_bytes, sizeof(cap13_bytes), cap13_segs, N(cap13_segs), cap13_isn },
	{ "hello_retry", caphrr_bytes, sizeof(caphrr_bytes), caphrr_segs, N(caphrr_segs), caphrr_isn },
};

/* Every accessor, as the verdicts and the report call them. */
static void read_all(struct tls_conn *t)
{
	struct tls_cert_findings f;

	(void)tls_seen(t);
	(void)tls_version(t);
	(void)tls_established(t);
	(void)tls_short_last_record(t, 0);
	(void)tls_short_last_record(t, 1);
	if (tls_certificates(t, &f) != NULL)
		assert_true(f.n <= TLS_CERT_MAX_FINDINGS);
}

/* The capture's segments with these bytes (the capture's or mutated ones), the first
 * `limit` bytes of it only; the caller frees. */
static struct tls_conn *run_cap(const struct cap *c, const uint8_t *bytes, size_t limit)
{
	struct tls_conn *t = tls_new();

	assert_non_null(t);
	tls_syn(t, 0, c->isn[0]);
	tls_syn(t, 1, c->isn[1]);
	for (size_t i = 0; i < c->nsegs; i++) {
		const struct capseg *s = &c->segs[i];
		size_t n = s->off >= limit ? 0 : limit - s->off < s->len ? limit - s->off : s->len;
		if (n == 0)
			break;
		int r = tls_segment(t, s->dir, s->seq, bytes + s->off, n, s->frame, T0 + (int64_t)s->frame * 1000000);
		assert_true(r == 0 || r == 1);
		check_conn(t);
	}
	read_all(t);
	return t;
}

static void test_captures(void **state)
{
	(void)state;
	struct tls_conn *t;

	t = run_cap(&caps[0], cap12_bytes, SIZE_MAX);
	assert_int_equal(t->ch_status, TLS_HELLO_OK);
	assert_memory_equal(t->ch->sni, "www.example.test", 16);
	assert_int_equal(tls_version(t), 0x0303);
	assert_int_equal(t->ske_group, 29);
	assert_int_equal(t->cert_msg_len, 454);
	assert_int_equal(t->side[1].hs_seen, TLS_HS_BIT(2) | TLS_HS_BIT(11) | TLS_HS_BIT(12) | TLS_HS_BIT(14));
	assert_int_equal(t->side[0].hs_seen, TLS_HS_BIT(1) | TLS_HS_BIT(16));
	assert_int_equal(tls_established(t), 1);
	assert_int_equal(t->nalerts, 0);
	tls_free(t);

	t = run_cap(&caps[1], cap13_bytes, SIZE_MAX);
	assert_int_equal(t->ch_status, TLS_HELLO_OK);
	assert_int_equal(t->sh_status, TLS_HELLO_OK);
	assert_int_equal(tls_version(t), 0x0304);
	assert_int_equal(t->side[1].records, 6);       /* ServerHello, CCS, four encrypted */
	assert_int_equal(t->side[1].enc_records, 4);
	assert_int_equal(t->side[0].enc_records, 1);
	assert_null(t->cert_msg);
	assert_int_equal(tls_established(t), 1);
	tls_free(t);
}

/* HelloRetryRequest, the server's dummy ChangeCipherSpec, the second ClientHello, the ServerHello. */
static void test_hello_retry(void **state)
{
	(void)state;
	const struct cap *c = &caps[2];
	const struct capseg *s = c->segs;
	struct tls_conn *t = tls_new();
	uint8_t want[EVP_MAX_MD_SIZE];
	unsigned wl = 0;

	assert_int_equal(EVP_Digest("HelloRetryRequest", 17, want, &wl, EVP_sha256(), NULL), 1);
	/* frame 6: the HelloRetryRequest's random (record 5, header 4, version 2), then a CCS record */
	assert_memory_equal(caphrr_bytes + s[1].off + 11, want, 32);
	assert_int_equal(caphrr_bytes[s[1].off + 5 + 88], CCS);

	tls_syn(t, 0, c->isn[0]);
	tls_syn(t, 1, c->isn[1]);
#define FEED(i) tls_segment(t, s[i].dir, s[i].seq, caphrr_bytes + s[i].off, s[i].len, s[i].frame, \
			    T0 + (int64_t)s[i].frame * 1000000)
	assert_int_equal(FEED(0), 1);
	assert_int_equal(t->ch_status, TLS_HELLO_OK);
	assert_int_equal(t->ch->key_share_groups[0], 0x0017);
	assert_int_equal(FEED(1), 1);
	assert_int_equal(t->hrr, 1);
	assert_int_equal(t->hrr_group, 0x001d);
	assert_int_equal(t->hrr_frame, 6);
	assert_int_equal(t->v13, 1);
	assert_null(t->sh);
	assert_int_equal(t->side[1].ccs, 1);
	assert_int_equal(tls_version(t), 0);
	assert_int_equal(FEED(2), 1);                  /* CCS, then the second ClientHello in clear */
	assert_non_null(t->ch2);
	assert_int_equal(t->ch2_status, TLS_HELLO_OK);
	assert_int_equal(t->ch2->key_share_groups[0], 0x001d);
	assert_int_equal(t->side[0].ccs, 1);
	assert_int_equal(t->side[0].enc_records, 0);
	assert_ptr_not_equal(t->ch, t->ch2);
	assert_int_equal(FEED(3), 1);                  /* after the server's CCS, its ServerHello still in clear */
	assert_non_null(t->sh);
	assert_int_equal(t->sh_status, TLS_HELLO_OK);
	assert_int_equal(t->sh->is_hrr, 0);
	assert_int_equal(t->sh_frame, 9);
	assert_int_equal(tls_version(t), 0x0304);
	assert_int_equal(t->side[1].enc_records, 4);
	assert_int_equal(tls_established(t), 0);
	assert_int_equal(FEED(4), 1);                  /* the client's Finished */
	assert_int_equal(tls_established(t), 1);
#undef FEED
	check_conn(t);
	tls_free(t);
}

/*
 * A second HelloRetryRequest (RFC 8446 4.1.4: the client must abort) is no
 * ServerHello: t->sh is documented as "not a HelloRetryRequest", and a version
 * taken from it would report TLS 1.3 as negotiated when nothing was.
 */
static void test_hello_retry_twice(void **state)
{
	(void)state;
	const struct cap *c = &caps[2];
	const struct capseg *s = c->segs;
	struct tls_conn *t = tls_new();
	const size_t hrr_len = 5 + 88;

	tls_syn(t, 0, c->isn[0]);
	tls_syn(t, 1, c->isn[1]);
	assert_int_equal(tls_segment(t, 0, s[0].seq, caphrr_bytes + s[0].off, s[0].len, 4, T0), 1);
	assert_int_equal(tls_segment(t, 1, s[1].seq, caphrr_bytes + s[1].off, s[1].len, 6, T0 + 1000), 1);
	assert_int_equal(t->hrr, 1);
	/* the same HelloRetryRequest again, as new bytes after the CCS */
	tls_segment(t, 1, s[1].seq + (uint32_t)s[1].len, caphrr_bytes + s[1].off, hrr_len, 7, T0 + 2000);
	check_conn(t);
	int records = (int)t->side[1].records, has_sh = t->sh != NULL;
	uint16_t v = tls_version(t);
	tls_free(t);
	assert_int_equal(records, 3);
	assert_int_equal(has_sh, 0);
	assert_int_equal(v, 0);
}

/*
 * Every byte of each exchange flipped under several masks, and the exchange cut
 * after every byte, each fed through a fresh tls_conn: no crash, the invariants
 * hold after every segment, tls_free leaves nothing (ASan's leak check).
 */
static void test_flip_every_byte(void **state)
{
	(void)state;
	static const uint8_t masks[] = { 0x01, 0x08, 0x80, 0xff };
	static uint8_t buf[4096];

	for (size_t k = 0; k < N(caps); k++) {
		const struct cap *c = &caps[k];
		assert_true(c->n <= sizeof(buf));
		memcpy(buf, c->bytes, c->n);
		for (size_t i = 0; i < c->n; i++) {
			for (size_t m = 0; m < N(masks); m++) {
				buf[i] ^= masks[m];
				tls_free(run_cap(c, buf, SIZE_MAX));
				buf[i] ^= masks[m];
			}
		}
		for (size_t cut = 0; cut <= c->n; cut++)
			tls_free(run_cap(c, buf, cut));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_records_in_one_segment),
		cmocka_unit_test(test_record_across_three_segments),
		cmocka_unit_test(test_message_across_records),
		cmocka_unit_test(test_certificate_across_records),
		cmocka_unit_test(test_out_of_order_and_retransmitted),
		cmocka_unit_test(test_rfc8448),
		cmocka_unit_test(test_tls12_flow),
		cmocka_unit_test(test_alert_clear),
		cmocka_unit_test(test_alert_encrypted_tls12),
		cmocka_unit_test(test_alerts_not_kept),
		cmocka_unit_test(test_conflict_in_handshake),
		cmocka_unit_test(test_window_after_handshake),
		cmocka_unit_test(test_tls13_short_record),
		cmocka_unit_test(test_tls13_close_notify_not_short),
		cmocka_unit_test(test_keep_encrypted),
		cmocka_unit_test(test_second_client_hello_without_hrr),
		cmocka_unit_test(test_sslv2_hello),
		cmocka_unit_test(test_sslv2_server),
		cmocka_unit_test(test_not_tls),
		cmocka_unit_test(test_broken),
		cmocka_unit_test(test_empty_application_data),
		cmocka_unit_test(test_hs_too_large),
		cmocka_unit_test(test_midstream),
		cmocka_unit_test(test_midstream_inside_record),
		cmocka_unit_test(test_return_value),
		cmocka_unit_test(test_captures),
		cmocka_unit_test(test_hello_retry),
		cmocka_unit_test(test_hello_retry_twice),
		cmocka_unit_test(test_flip_every_byte),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
