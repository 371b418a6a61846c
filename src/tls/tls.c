/* tls.c: TLS records and handshake messages, read from each direction's reassembled stream. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "bounds.h"
#include "cursor.h"
#include "spares.h"
#include "tls.h"
#include "tls_cert.h"

#define REC_HANDSHAKE 22
#define REC_CCS       20
#define REC_ALERT     21
#define REC_APPDATA   23
#define REC_HEARTBEAT 24
#define REC_MAX_LEN   (16384 + 2048)   /* TLSCiphertext's bound (RFC 5246 6.2.3) */

/* ClientHellos (2 KiB each) come and go with the connections. */
static _Thread_local struct spares spare_ch;

static void tls_init(void *state, struct reasm *rs[2])
{
	struct tls_conn *t = state;

	t->rs[0] = rs[0];
	t->rs[1] = rs[1];
	/* Until the handshake is done, its bytes are compared exactly with any later copy. */
	reasm_retain(rs[0], 1);
	reasm_retain(rs[1], 1);
}

static void side_free(struct tls_side *s)
{
	free(s->hs);
	s->hs = NULL;
	s->hs_len = 0;
}

static void tls_release(void *state)
{
	struct tls_conn *t = state;

	side_free(&t->side[0]);
	side_free(&t->side[1]);
	spares_give(&spare_ch, t->ch);
	spares_give(&spare_ch, t->ch2);
	free(t->sh);
	free(t->cert_msg);
	free(t->cert_memo);
	t->ch = t->ch2 = NULL;
	t->sh = NULL;
	t->cert_msg = NULL;
	t->cert_memo = NULL;
}

static void add_alert(struct tls_conn *t, int dir, uint8_t level, uint8_t desc, int encrypted)
{
	const struct tls_side *s = &t->side[dir];
	struct tls_alert *a;

	t->alerts_total++;
	if (t->nalerts == TLS_MAX_ALERTS) {
		/* Full. A verdict rests on each side's first alert: that one takes the last place. */
		for (uint8_t i = 0; i < t->nalerts; i++)
			if (t->alerts[i].from == dir)
				return;
		a = &t->alerts[TLS_MAX_ALERTS - 1];
	} else {
		a = &t->alerts[t->nalerts++];
	}
	a->frame = s->frame;
	a->ts = s->ts;
	a->from = (uint8_t)dir;
	a->level = level;
	a->desc = desc;
	a->encrypted = (uint8_t)encrypted;
}

/* A ClientHello, the first or the one after a HelloRetryRequest. */
static void client_hello(struct tls_conn *t, struct tls_side *s, struct cursor msg, uint64_t end)
{
	struct tls_client_hello **slot = t->ch == NULL ? &t->ch : (t->hrr && t->ch2 == NULL) ? &t->ch2 : NULL;
	struct tls_client_hello *ch;
	int st;

	if (slot == NULL)
		return;
	if ((ch = spares_take(&spare_ch)) == NULL && (ch = malloc(sizeof(*ch))) == NULL) {
		t->nomem = t->odd = 1;
		bounds_alloc_failed();
		return;
	}
	st = tls_parse_client_hello(msg, ch);
	*slot = ch;
	if (slot == &t->ch) {
		t->ch_status = st;
		t->ch_frame = s->frame;
		t->ch_ts = s->ts;
		t->ch_start = s->hs_start;
		t->ch_end = end;
	} else {
		t->ch2_status = st;
	}
}

static void server_hello(struct tls_conn *t, struct tls_side *s, struct cursor msg)
{
	struct tls_server_hello *sh;
	int st;

	if (t->sh != NULL)
		return;
	if ((sh = malloc(sizeof(*sh))) == NULL) {
		t->nomem = t->odd = 1;
		bounds_alloc_failed();
		return;
	}
	st = tls_parse_server_hello(msg, sh);
	if (st != TLS_HELLO_INVALID && sh->version == 0x0304)
		t->v13 = 1;
	if (sh->is_hrr) {
		/* a second one is a protocol error the client aborts on: no ServerHello either */
		if (!t->hrr) {
			t->hrr = 1;
			t->hrr_group = sh->key_share_group;
			t->hrr_frame = s->frame;
			t->hrr_ts = s->ts;
		}
		free(sh);
		return;
	}
	t->sh = sh;
	t->sh_status = st;
	t->version = st != TLS_HELLO_INVALID ? sh->version : 0;
	t->sh_frame = s->frame;
	t->sh_ts = s->ts;
	if (st != TLS_HELLO_INVALID && sh->version == 0x0304) {
		/* TLS 1.3: everything after the ServerHello is protected, both ways */
		t->side[0].protected_ = 1;
		t->side[1].protected_ = 1;
	}
}

/* ServerKeyExchange of an ECDHE suite: curve_type 3 (named_curve), then the group. */
static void server_key_exchange(struct tls_conn *t, struct cursor msg)
{
	uint8_t curve_type;
	uint16_t group;

	if (cur_skip(&msg, 4) && cur_get_u8(&msg, &curve_type) && curve_type == 3 &&
	    cur_get_u16(&msg, &group))
		t->ske_group = group;
}

/* One whole handshake message (header included) from side dir; end: the stream offset
 * just past the record that completed it. */
static void message(struct tls_conn *t, int dir, struct cursor msg, uint64_t end)
{
	struct tls_side *s = &t->side[dir];
	uint8_t type = 0;

	cur_peek_u8(&msg, 0, &type);
	if (type < 32)
		s->hs_seen |= TLS_HS_BIT(type);
	if (dir == 0) {
		if (type == TLS_HS_CLIENT_HELLO)
			client_hello(t, s, msg, end);
		return;
	}
	switch (type) {
	case TLS_HS_SERVER_HELLO:
		server_hello(t, s, msg);
		break;
	case TLS_HS_CERTIFICATE:
		/* (all of it, or the first TLS_HS_CAP bytes of a larger one: tls_cert says what was not read) */
		if (t->cert_msg != NULL)
			break;
		if ((t->cert_msg = malloc(cur_len(&msg) ? cur_len(&msg) : 1)) == NULL) {
			t->nomem = t->odd = 1;
			bounds_alloc_failed();
			break;
		}
		memcpy(t->cert_msg, cur_data(&msg), cur_len(&msg));
		t->cert_msg_len = (uint32_t)cur_len(&msg);
		t->cert_frame = s->frame;
		t->cert_ts = s->ts;
		break;
	case TLS_HS_SERVER_KEY_EXCHANGE:
		server_key_exchange(t, msg);
		break;
	case TLS_HS_CERTIFICATE_REQUEST:
		t->cert_request = 1;
		break;
	default:
		break;
	}
}

/* The length of the whole message at the start of c (header included), 0 if the header is cut. */
static size_t msg_len(struct cursor c)
{
	uint8_t type;
	uint32_t len;
	return cur_get_u8(&c, &type) && cur_get_u24(&c, &len) ? 4 + (size_t)len : 0;
}

/* The first TLS_HS_CAP bytes of a larger message are held: read them as what was captured of it,
 * and skip the rest as it comes. */
static void cut_message(struct tls_conn *t, int dir, uint64_t rec_off, uint64_t end)
{
	struct tls_side *s = &t->side[dir];
	struct cursor held = cur_make(s->hs, s->hs_len);
	size_t n = msg_len(held);

	t->odd = 1;
	if (s->hs_cut++ == 0) {
		s->cut.frame = s->frame;
		s->cut.off = s->hs_start;
		s->cut.declared = (uint32_t)n;
		s->cut.type = s->hs[0];
	}
	message(t, dir, held, end);
	s->hs_skip = (uint32_t)(n - s->hs_len);
	s->skip_declared = (uint32_t)n;
	s->skip_type = s->hs[0];
	s->hs_start = rec_off;
	free(s->hs);
	s->hs = NULL;
	s->hs_len = 0;
}

/*
 * A clear handshake record's body: whole messages straight from it, a partial
 * one held until the next record completes it (messages may span records). A
 * message larger than TLS_HS_CAP is read up to there, the rest skipped.
 */
static void handshake_record(struct tls_conn *t, int dir, struct cursor body, uint64_t rec_off,
			     uint64_t end)
{
	struct tls_side *s = &t->side[dir];
	size_t n;

	for (;;) {
		if (s->hs_skip > 0) {
			n = s->hs_skip < cur_len(&body) ? s->hs_skip : cur_len(&body);
			cur_skip(&body, n);
			s->hs_skip -= (uint32_t)n;
			if (s->hs_skip > 0)
				return;
		}
		if (s->hs_len == 0) {
			s->hs_start = rec_off;
			while ((n = msg_len(body)) != 0 && n <= cur_len(&body)) {
				struct cursor m;
				cur_get_bytes(&body, &m, n);
				message(t, dir, m, end);
				s->hs_start = rec_off;
			}
		}
		if (cur_len(&body) == 0)
			return;
		/* Hold what fits (a record is far smaller than TLS_HS_CAP: the rest comes round again). */
		size_t take = TLS_HS_CAP - s->hs_len < cur_len(&body) ? TLS_HS_CAP - s->hs_len : cur_len(&body);
		uint8_t *p = realloc(s->hs, s->hs_len + take);
		if (p == NULL) {
			t->nomem = t->odd = 1;
			bounds_alloc_failed();
			return;
		}
		s->hs = p;
		memcpy(s->hs + s->hs_len, cur_data(&body), take);
		cur_skip(&body, take);
		s->hs_len += (uint32_t)take;

		struct cursor held = cur_make(s->hs, s->hs_len);
		while ((n = msg_len(held)) != 0 && n <= cur_len(&held)) {
			struct cursor m;
			cur_get_bytes(&held, &m, n);
			message(t, dir, m, end);
			s->hs_start = rec_off;
		}
		if (cur_len(&held) == 0) {
			free(s->hs);
			s->hs = NULL;
			s->hs_len = 0;
		} else if (cur_len(&held) < s->hs_len) {
			memmove(s->hs, cur_data(&held), cur_len(&held));
			s->hs_len = (uint32_t)cur_len(&held);
		}
		if (s->hs_len == TLS_HS_CAP)
			cut_message(t, dir, rec_off, end);
	}
}

static void note_encrypted(struct tls_conn *t, int dir, uint32_t len)
{
	struct tls_side *s = &t->side[dir];
	struct tls_rec_note n = { s->frame, s->ts, len };

	if (s->enc_records == 0)
		s->first_enc = n;
	s->last_enc = n;
	s->enc_records++;
	s->enc_bytes += len;
	if (t->side[!dir].enc_records > 0)
		s->enc_after_peer++;
}

/* What the first bytes of a direction are: 1 decided, 0 too few bytes yet. */
static int detect(struct tls_conn *t, struct tls_side *s, int dir, struct cursor c)
{
	uint8_t b[3] = { 0, 0, 0 };
	size_t n = cur_len(&c) < 3 ? cur_len(&c) : 3;
	struct cursor head = c;

	cur_copy(&head, b, n);
	if (b[0] >= REC_CCS && b[0] <= REC_HEARTBEAT) {
		if (n < 3)
			return 0;
		if (b[1] == 3 && b[2] <= 4) {
			s->mode = TLS_MODE_RECORDS;
			return 1;
		}
	}
	if (dir == 0) {
		int v2 = tls_hello_sslv2_sniff(c);
		if (v2 < 0)
			return 0;
		if (v2 == 1) {
			s->mode = TLS_MODE_SSLV2;
			return 1;
		}
	}
	/* With no SYN seen the first bytes may be the inside of a record (the capture began
	 * mid-connection): no evidence of plaintext, and nothing to read. */
	if (reasm_flags(t->rs[dir]) & REASM_MIDSTREAM) {
		s->mode = TLS_MODE_BROKEN;
		s->bad = TLS_BAD_MIDSTREAM;
		return 1;
	}
	/* Not TLS: keep the first line (or what came of it) to quote. */
	struct cursor line = c;
	size_t k = 0;
	uint8_t ch;
	while (k < TLS_FIRST_LINE && cur_get_u8(&line, &ch) && ch != '\r' && ch != '\n')
		s->first_line[k++] = (char)ch;
	s->first_line_len = (uint8_t)k;
	s->evid_end = k;
	/* cut: the line goes on past what is kept, or its end was not seen */
	s->first_line_cut = k == TLS_FIRST_LINE && (!cur_peek_u8(&line, 0, &ch) || (ch != '\r' && ch != '\n'));
	s->mode = TLS_MODE_PLAIN;
	return 1;
}

/* A valid record header? Content type known, version 3.x (x <= 4), a TLS-sized length. */
static int record_header(struct cursor c, uint8_t *type, uint16_t *len)
{
	uint8_t major, minor;

	return cur_get_u8(&c, type) && cur_get_u8(&c, &major) && cur_get_u8(&c, &minor) &&
	       cur_get_u16(&c, len) && *type >= REC_CCS && *type <= REC_HEARTBEAT && major == 3 &&
	       minor <= 4 && *len <= REC_MAX_LEN && (*len > 0 || *type == REC_APPDATA);
}

/* The handshake is done: what comes after is no evidence, its bytes need no longer be held. */
static void handshake_done(struct tls_conn *t)
{
	t->done = 1;
	reasm_retain(t->rs[0], 0);
	reasm_retain(t->rs[1], 0);
}

/* A record was read: until the handshake is done, the verdict rests on it. */
static inline void evidence_to(struct tls_conn *t, struct tls_side *s, uint64_t end)
{
	if (t->done)
		return;
	s->evid_end = end;
	/* (established wants encrypted records from both sides: only then is it asked) */
	if (t->side[0].enc_records > 0 && t->side[1].enc_records > 0 && tls_established(t))
		handshake_done(t);
}

/* The SSLv2-compatible ClientHello: one SSLv2 record, then TLS records (RFC 5246 E.2). */
static int sslv2_record(struct tls_conn *t, struct tls_side *s, struct cursor c)
{
	uint8_t hi = 0, lo = 0;
	size_t len;

	cur_peek_u8(&c, 0, &hi);
	if (!cur_peek_u8(&c, 1, &lo))
		return 0;
	len = 2 + ((size_t)(hi & 0x7f) << 8 | lo);
	if (cur_len(&c) < len)
		return 0;
	if (t->ch == NULL && (t->ch = malloc(sizeof(*t->ch))) == NULL) {
		t->nomem = t->odd = 1;
		bounds_alloc_failed();
	} else if (t->ch_end == 0) {   /* (it is the first thing a client sends: always so) */
		struct cursor rec;
		cur_get_bytes(&c, &rec, len);
		t->ch_status = tls_parse_sslv2_client_hello(rec, t->ch);
		t->ch_frame = s->frame;
		t->ch_ts = s->ts;
		t->ch_start = reasm_offset(t->rs[0]);
		t->ch_end = t->ch_start + len;
	}
	s->hs_seen |= TLS_HS_BIT(TLS_HS_CLIENT_HELLO);
	s->records++;
	reasm_consume(t->rs[0], len);
	s->mode = TLS_MODE_RECORDS;
	evidence_to(t, s, reasm_offset(t->rs[0]));
	return 1;
}

/* One record at the read offset: 1 if it was taken, 0 if more bytes are needed. */
static int record(struct tls_conn *t, int dir, struct cursor c)
{
	struct tls_side *s = &t->side[dir];
	struct reasm *rs = t->rs[dir];
	uint64_t off = reasm_offset(rs);
	uint8_t type;
	uint16_t len;

	if (cur_len(&c) < 5)
		return 0;
	if (!record_header(c, &type, &len)) {
		s->mode = TLS_MODE_BROKEN;
		s->bad = TLS_BAD_RECORD;
		t->odd = 1;
		cur_copy(&c, s->bad_hdr, 5);
		s->bad_off = off;
		s->bad_frame = s->frame;
		return 0;
	}
	/* An alert record is encrypted only after the sender's ChangeCipherSpec in TLS <= 1.2
	 * (TLS 1.3 hides its alerts in application_data records); a clear one may hold
	 * several two-byte alerts. */
	int clear_alert = type == REC_ALERT && (!(s->ccs && !t->v13) || len == 2);
	/* After ChangeCipherSpec handshake records are encrypted, except in TLS 1.3, where
	 * CCS is a dummy for middleboxes (it may even come before a second ClientHello). */
	if (type == REC_APPDATA || (type == REC_HANDSHAKE && ((s->ccs && !t->v13) || s->protected_)) ||
	    (type == REC_ALERT && !clear_alert)) {
		/* Encrypted: only its header is read; the body is counted, never kept. */
		note_encrypted(t, dir, len);
		if (type == REC_HANDSHAKE)
			s->enc_hs_records++;
		if (type == REC_ALERT)
			add_alert(t, dir, 0, 0, 1);
		s->records++;
		reasm_consume(rs, 5);
		reasm_skip(rs, len);
		evidence_to(t, s, off + 5 + len);
		return 1;
	}
	if (cur_len(&c) < 5u + len)
		return 0;
	struct cursor body = cur_make(NULL, 0);
	cur_skip(&c, 5);
	cur_get_bytes(&c, &body, len);
	s->records++;
	if (type == REC_CCS) {
		s->ccs = 1;
	} else if (type == REC_ALERT) {
		uint8_t level, desc;
		while (cur_get_u8(&body, &level) && cur_get_u8(&body, &desc))
			add_alert(t, dir, level, desc, 0);
	} else if (type == REC_HANDSHAKE) {
		handshake_record(t, dir, body, off, off + 5 + len);
	}
	reasm_consume(rs, 5u + len);
	evidence_to(t, s, off + 5 + len);
	return 1;
}

/* A side that is not TLS (any more): nothing further is kept, its bytes are only counted. */
static void side_stop(struct tls_side *s, struct reasm *rs)
{
	free(s->hs);
	s->hs = NULL;
	s->hs_len = 0;
	s->hs_skip = 0;
	reasm_discard(rs);
}

/* Read what the stream of side dir now holds. */
static void pump(struct tls_conn *t, int dir)
{
	struct tls_side *s = &t->side[dir];
	struct cursor c;

	for (;;) {
		if (reasm_data(t->rs[dir], &c) == 0)
			return;
		if (s->mode == TLS_MODE_NONE && !detect(t, s, dir, c))
			return;
		if (s->mode == TLS_MODE_SSLV2) {
			if (!sslv2_record(t, s, c))
				return;
			continue;
		}
		if (s->mode != TLS_MODE_RECORDS) {
			side_stop(s, t->rs[dir]);
			return;
		}
		if (!record(t, dir, c)) {
			if (s->mode != TLS_MODE_RECORDS)
				side_stop(s, t->rs[dir]);
			return;
		}
	}
}

/* A count that moves whenever something worth an evidence line happened. */
static unsigned events(const struct tls_conn *t)
{
	return (t->ch != NULL) + (t->ch2 != NULL) + (t->sh != NULL) + t->hrr + t->alerts_total +
	       (t->side[0].mode == TLS_MODE_PLAIN) + (t->side[1].mode == TLS_MODE_PLAIN) +
	       (t->side[0].enc_records > 0);
}

int tls_stream_data(struct tls_conn *t, int dir, const struct app_segment *seg)
{
	struct tls_side *s = &t->side[dir];
	unsigned before = events(t);

	if (s->mode >= TLS_MODE_PLAIN)    /* (PLAIN and BROKEN, last in the enum) */
		return 0;
	if (s->first_frame == 0) {
		s->first_frame = seg->frame;
		s->first_ts = seg->ts;
	}
	s->frame = seg->frame;
	s->ts = seg->ts;
	pump(t, dir);
	/* during the handshake a retransmitted or out-of-order segment is evidence too */
	return events(t) != before ||
	       ((seg->what & (REASM_SEG_RETRANS | REASM_SEG_OOO)) && !tls_established(t));
}

int tls_seen(const struct tls_conn *t)
{
	if (t == NULL)
		return 0;
	for (int d = 0; d < 2; d++)
		if (t->side[d].records > 0 || t->side[d].mode == TLS_MODE_RECORDS ||
		    t->side[d].mode == TLS_MODE_SSLV2)
			return 1;
	return 0;
}

uint16_t tls_version(const struct tls_conn *t)
{
	return t != NULL ? t->version : 0;
}

const struct tls_rec_note *tls_short_last_record(const struct tls_conn *t, int dir)
{
	const struct tls_side *s = &t->side[dir], *peer = &t->side[!dir];

	if (tls_version(t) != 0x0304 || s->enc_records == 0 || s->last_enc.len != TLS_ENC_ALERT_LEN ||
	    peer->enc_records == 0 || peer->first_enc.ts > s->last_enc.ts)
		return NULL;
	/* A close_notify after an exchange is the same size: only a record that ends the
	 * handshake early counts. */
	if (dir == 0 ? s->enc_records != 1 : s->enc_after_peer != 1)
		return NULL;
	return &s->last_enc;
}

int tls_established(const struct tls_conn *t)
{
	const struct tls_side *c = &t->side[0], *s = &t->side[1];
	uint16_t v = tls_version(t);

	if (v == 0)
		return 0;
	if (v == 0x0304)
		return s->enc_records > 0 && c->enc_records > 0 && c->first_enc.ts >= s->first_enc.ts &&
		       c->first_enc.len != TLS_ENC_ALERT_LEN;
	return c->ccs && s->ccs && c->enc_hs_records > 0 && s->enc_hs_records > 0;
}

void tls_prefetch(const struct tls_conn *t)
{
	prefetch_range(t, sizeof(*t));
	/* the ClientHello's fields up to its fingerprints (the JA3 buffer is mostly unused) */
	prefetch_range(t->ch, t->ch != NULL ? offsetof(struct tls_client_hello, ja3) + 128 : 0);
	prefetch_range(t->sh, t->sh != NULL ? sizeof(*t->sh) : 0);
	prefetch_range(t->cert_memo, t->cert_memo != NULL ? 64 : 0);
}

/* A connection's certificate results, worked out once (the verdict and the report both
 * ask): the findings, and the cache's chain while no other parse can have replaced it. */
struct tls_cert_memo {
	const struct tls_cert_chain *chain;
	uint64_t stamp;
	struct tls_cert_findings findings;
};

const struct tls_cert_chain *tls_certificates(struct tls_conn *t, struct tls_cert_findings *out)
{
	const struct tls_client_hello *ch;
	size_t sni_len = 0;

	if (t == NULL || t->cert_msg == NULL)
		return NULL;
	if (t->cert_memo != NULL && t->cert_memo->stamp == tls_cert_cache_stamp()) {
		tls_cert_findings_copy(out, &t->cert_memo->findings);
		return t->cert_memo->chain;
	}
	ch = t->ch;
	const char *sni = NULL;
	if (ch != NULL && ch->sni_len > TLS_HELLO_SNI_LEN) {
		/* Only its first bytes are kept: never matched as if they were the name. A DNS name is
		 * at most 253 bytes, so this one matches nothing: given as a name that cannot match. */
		sni = "";
		sni_len = 1;
	} else if (ch != NULL && ch->sni_len) {
		sni = (const char *)ch->sni;
		sni_len = ch->sni_len;
	}
	const struct tls_cert_chain *chain =
		tls_cert_parse_cached(t->cert_msg, t->cert_msg_len, tls_version(t) == 0x0304, sni, sni_len);
	tls_cert_check(chain, t->cert_ts, out);
	if (t->cert_memo == NULL && (t->cert_memo = malloc(sizeof(*t->cert_memo))) == NULL)
		return chain;
	t->cert_memo->chain = chain;
	t->cert_memo->stamp = tls_cert_cache_stamp();
	tls_cert_findings_copy(&t->cert_memo->findings, out);
	return chain;
}

size_t tls_mem(const struct tls_conn *t)
{
	size_t n = t->side[0].hs_len + t->side[1].hs_len + t->cert_msg_len;

	if (t->ch != NULL)
		n += sizeof(*t->ch);
	if (t->ch2 != NULL)
		n += sizeof(*t->ch2);
	if (t->sh != NULL)
		n += sizeof(*t->sh);
	if (t->cert_memo != NULL)
		n += sizeof(*t->cert_memo);
	return n;
}

static void issue(struct tls_issue *out, size_t cap, size_t *n, struct tls_issue i)
{
	if (*n < cap)
		out[(*n)++] = i;
}

/* The handshake message a side holds in part, or is skipping, when its bytes stop. */
static void unfinished(const struct tls_side *s, int d, struct tls_issue *out, size_t cap, size_t *n)
{
	if (s->mode != TLS_MODE_RECORDS)
		return;
	/* (lengths of the message's body, as its header states them) */
	if (s->hs_skip > 0) {
		issue(out, cap, n, (struct tls_issue){ TLS_ISSUE_MSG_UNFINISHED, (uint8_t)d, s->skip_type, 0, 0,
						      s->skip_declared - 4u, s->skip_declared - s->hs_skip - 4u });
	} else if (s->hs_len >= 4) {
		issue(out, cap, n, (struct tls_issue){ TLS_ISSUE_MSG_UNFINISHED, (uint8_t)d, s->hs[0], 0, s->hs_start,
						      msg_len(cur_make(s->hs, s->hs_len)) - 4u, s->hs_len - 4u });
	}
}

size_t tls_issues(const struct tls_conn *t, struct tls_issue *out, size_t cap)
{
	size_t n = 0;

	if (t == NULL)
		return 0;
	for (int d = 0; d < 2; d++) {
		const struct tls_side *s = &t->side[d];
		struct reasm_stats st;
		uint64_t from = UINT64_MAX, to;
		uint8_t dd = (uint8_t)d;

		const struct reasm *rs = t->rs[d];

		if (reasm_flags(rs) & (REASM_CONFLICT | REASM_UNCOMPARED))
			reasm_stats(rs, &st);
		else
			st.conflicts = 0, st.uncompared_bytes = 0;
		if (t->odd && s->bad == TLS_BAD_RECORD)
			issue(out, cap, &n, (struct tls_issue){ TLS_ISSUE_BAD_RECORD, dd, s->bad_hdr[0], s->bad_frame,
								s->bad_off, (uint64_t)s->bad_hdr[3] << 8 | s->bad_hdr[4],
								(uint64_t)s->bad_hdr[1] << 8 | s->bad_hdr[2] });
		if (t->odd && s->hs_cut > 0)
			issue(out, cap, &n, (struct tls_issue){ TLS_ISSUE_MSG_TOO_LARGE, dd, s->cut.type, s->cut.frame,
								s->cut.off, s->cut.declared - 4u, s->hs_cut });
		unfinished(s, d, out, cap, &n);
		if (st.conflicts > 0)
			issue(out, cap, &n, (struct tls_issue){ TLS_ISSUE_CONFLICT, dd, 0, st.conflict_frame, st.conflict_low,
								st.conflicts, st.conflict_low < s->evid_end });
		if (st.uncompared_bytes > 0 && st.uncompared_low < s->evid_end)
			issue(out, cap, &n, (struct tls_issue){ TLS_ISSUE_UNCOMPARED, dd, 0, 0, st.uncompared_low,
								st.uncompared_bytes, 0 });
		if (reasm_flags(rs) & REASM_LIMITS) {
			if (reasm_gap(rs, &from, &to) != REASM_GAP_DROPPED || s->mode != TLS_MODE_RECORDS)
				from = UINT64_MAX;
			reasm_stats(rs, &st);
			issue(out, cap, &n, (struct tls_issue){ TLS_ISSUE_NOT_KEPT, dd, 0, 0, from, st.dropped_bytes,
								reasm_flags(rs) & REASM_LIMITS });
		}
	}
	if (t->alerts_total > t->nalerts)
		issue(out, cap, &n, (struct tls_issue){ TLS_ISSUE_ALERTS_NOT_KEPT, 0xff, 0, 0, 0,
							t->alerts_total - t->nalerts, 0 });
	if (t->nomem)
		issue(out, cap, &n, (struct tls_issue){ TLS_ISSUE_NOMEM, 0xff, 0, 0, 0, 0, 0 });
	return n;
}

size_t tls_issue_count(const struct tls_conn *t)
{
	struct tls_issue is[TLS_MAX_ISSUES];

	return tls_issues(t, is, TLS_MAX_ISSUES);
}

/* ---- TLS as an application protocol of a byte stream (app.h) ---- */

static int tls_probe(struct cursor first, int dir)
{
	uint8_t b = 0;

	cur_peek_u8(&first, 0, &b);
	if ((b >= REC_CCS && b <= REC_HEARTBEAT) || (dir == 0 && (b & 0x80)))
		return APP_YES;
	return APP_MAYBE;      /* plaintext where TLS may be due: judged all the same */
}

static int tls_data(void *state, int dir, const struct app_segment *seg)
{
	struct tls_conn *t = state;

	/* Evidence only where TLS is in play, or where the client's stream could not even
	 * start (its first bytes missing): plaintext both ways is not our business. */
	return tls_stream_data(t, dir, seg) && (tls_seen(t) || t->side[0].mode == TLS_MODE_NONE);
}

static int tls_seen_op(const void *state)
{
	return tls_seen(state);
}

static int tls_in_handshake(const void *state)
{
	return tls_seen(state) && !tls_established(state);
}

static size_t tls_mem_op(const void *state)
{
	return tls_mem(state);
}

static void tls_prefetch_op(const void *state)
{
	tls_prefetch(state);
}

const struct app_proto tls_app = {
	.name = "tls",
	.state_size = sizeof(struct tls_conn),
	.probe = tls_probe,
	.init = tls_init,
	.data = tls_data,
	.seen = tls_seen_op,
	.in_handshake = tls_in_handshake,
	.mem = tls_mem_op,
	.prefetch = tls_prefetch_op,
	.release = tls_release,
};
