/* tls_record.c: the TLS record layer over a byte stream: records, alerts, encrypted records, handshake messages reassembled across records. */
#include <stdlib.h>
#include <string.h>

#include "bounds.h"
#include "cursor.h"
#include "tls_int.h"

/* One whole handshake message from a record of side dir (clear, or decrypted: epoch), to the
 * handshake layer; end: the stream offset just past the record that completed it. */
static void deliver(struct tls_conn *t, int dir, enum tls_epoch epoch, struct cursor msg, uint64_t end)
{
	const struct tls_side *s = &t->side[dir];
	struct tls_msg_where w = { s->frame, s->ts, s->hs_start, end };

	tls_handshake_message(t, dir, epoch, msg, &w);
}

/* An alert of side dir; epoch >= 0: an encrypted one, decrypted under those keys. */
void tls_add_alert(struct tls_conn *t, int dir, uint8_t level, uint8_t desc, int encrypted, int epoch)
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
	a->decrypted = epoch >= 0;
	a->epoch = (uint8_t)(epoch >= 0 ? epoch : 0);
}

/* The first TLS_HS_CAP bytes of a larger message are held: read them as what was captured of it,
 * and skip the rest as it comes. */
static void cut_message(struct tls_conn *t, int dir, enum tls_epoch epoch, uint64_t rec_off, uint64_t end)
{
	struct tls_side *s = &t->side[dir];
	struct cursor held = cur_make(s->hs, s->hs_len);
	size_t n = tls_msg_len(held);

	t->odd = 1;
	if (s->hs_cut++ == 0) {
		s->cut.frame = s->frame;
		s->cut.off = s->hs_start;
		s->cut.declared = (uint32_t)n;
		s->cut.type = s->hs[0];
	}
	deliver(t, dir, epoch, held, end);
	s->hs_skip = (uint32_t)(n - s->hs_len);
	s->skip_declared = (uint32_t)n;
	s->skip_type = s->hs[0];
	s->hs_start = rec_off;
	free(s->hs);
	s->hs = NULL;
	s->hs_len = 0;
}

/*
 * A handshake record's body (clear, or decrypted: epoch): whole messages
 * straight from it, a partial one held until the next record completes it
 * (messages may span records). A message larger than TLS_HS_CAP is read up to
 * there, the rest skipped.
 */
void tls_handshake_bytes(struct tls_conn *t, int dir, enum tls_epoch epoch, struct cursor body,
			 uint64_t rec_off, uint64_t end)
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
			while ((n = tls_msg_len(body)) != 0 && n <= cur_len(&body)) {
				struct cursor m;
				cur_get_bytes(&body, &m, n);
				deliver(t, dir, epoch, m, end);
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
		while ((n = tls_msg_len(held)) != 0 && n <= cur_len(&held)) {
			struct cursor m;
			cur_get_bytes(&held, &m, n);
			deliver(t, dir, epoch, m, end);
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
			cut_message(t, dir, epoch, rec_off, end);
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

/* The server's first bytes are an SSL 2.0 SERVER-HELLO: both sides are read as SSL 2.0 records
 * from now on (the client, if its hello was SSL 2.0's). */
static void sslv2_start(struct tls_conn *t, struct tls_side *s)
{
	s->mode = TLS_MODE_V2;
	if (t->side[0].mode == TLS_MODE_RECORDS && t->ch != NULL && t->ch->sslv2)
		t->side[0].mode = TLS_MODE_V2;
	if (t->v2 == NULL && (t->v2 = calloc(1, sizeof(*t->v2))) == NULL) {
		t->nomem = t->odd = 1;
		bounds_alloc_failed();
		return;
	}
	t->v2->status = TLS_HELLO_TRUNCATED;
	t->v2->frame = s->frame;
	t->v2->ts = s->ts;
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
	if (dir == 1) {
		int v2 = tls_sslv2_server_sniff(c);
		if (v2 < 0)
			return 0;
		if (v2 == 1) {
			sslv2_start(t, s);
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

/*
 * One SSL 2.0 record at the read offset (TLS_MODE_V2): 1 if it was taken, 0 if
 * more bytes are needed. The server's first (its SERVER-HELLO, read so far
 * while it is not whole) and the client's first after its hello (a
 * CLIENT-MASTER-KEY, in clear) go to the handshake layer; every other one is
 * encrypted, and counted.
 */
static int v2_record(struct tls_conn *t, int dir, struct cursor c)
{
	struct tls_side *s = &t->side[dir];
	uint64_t off = reasm_offset(t->rs[dir]);
	size_t hdr = 0, len = tls_sslv2_record_len(c, &hdr);
	int first = s->records == (dir == 1 ? 0u : 1u);
	struct tls_msg_where w = { s->frame, s->ts, off, off + len };

	if (len == 0)
		return 0;
	if (cur_len(&c) < len) {
		if (dir == 1 && first)
			tls_sslv2_message(t, 1, c, &w);
		return 0;
	}
	cur_truncate(&c, len);
	if (!first || !tls_sslv2_message(t, dir, c, &w))
		note_encrypted(t, dir, (uint32_t)(len - hdr));
	s->records++;
	reasm_consume(t->rs[dir], len);
	evidence_to(t, s, off + len);
	return 1;
}

/* The whole encrypted record at c (header included) of side dir, at stream offset off, into the store. */
static void keep_encrypted(struct tls_conn *t, int dir, uint8_t type, uint64_t off, struct cursor c,
			   uint16_t len)
{
	struct tls_enc_store *e = t->enc;
	const struct tls_side *s = &t->side[dir];
	struct cursor body_in;
	uint8_t *body;

	if (!cur_skip(&c, 5) || !cur_get_bytes(&c, &body_in, len))
		return;
	if (e->n == TLS_ENC_KEEP_RECORDS || len > TLS_ENC_KEEP_BYTES - e->bytes) {
		e->not_kept++;
		return;
	}
	if ((body = malloc(len ? len : 1)) == NULL) {
		t->nomem = t->odd = 1;
		bounds_alloc_failed();
		e->not_kept++;
		return;
	}
	memcpy(body, cur_data(&body_in), len);
	e->rec[e->n++] = (struct tls_enc_record){ s->frame, s->ts, off, body, len, (uint8_t)dir, type };
	e->bytes += len;
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
		/* Encrypted: only its header is read; the body is counted, and kept (bounded)
		 * only when asked for (tls_keep_encrypted), or decrypted when the key log has
		 * the connection's secrets: for either it must be whole first. */
		int dec = tls_dec_want(t, dir);
		if (t->enc != NULL || dec) {
			if (cur_len(&c) < 5u + len)
				return 0;
			if (t->enc != NULL)
				keep_encrypted(t, dir, type, off, c, len);
		}
		note_encrypted(t, dir, len);
		if (type == REC_HANDSHAKE)
			s->enc_hs_records++;
		if (dec)
			cur_truncate(&c, 5u + len);
		if (!(dec && tls_dec_record(t, dir, c, off)) && type == REC_ALERT)
			tls_add_alert(t, dir, 0, 0, 1, -1);
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
			tls_add_alert(t, dir, level, desc, 0, -1);
	} else if (type == REC_HANDSHAKE) {
		tls_handshake_bytes(t, dir, TLS_EPOCH_PLAINTEXT, body, off, off + 5 + len);
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
		if (s->mode == TLS_MODE_V2) {
			if (!v2_record(t, dir, c))
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
	       (t->side[0].enc_records > 0) +
	       (t->v2 != NULL ? 1u + (t->v2->status != TLS_HELLO_TRUNCATED) + t->v2->has_client_cipher : 0u);
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

int tls_app_probe(struct cursor first, int dir)
{
	uint8_t b = 0;

	cur_peek_u8(&first, 0, &b);
	if ((b >= REC_CCS && b <= REC_HEARTBEAT) || (dir == 0 && (b & 0x80)))
		return APP_YES;
	return APP_MAYBE;      /* plaintext where TLS may be due: judged all the same */
}

int tls_app_data(void *state, int dir, const struct app_segment *seg)
{
	struct tls_conn *t = state;

	/* Evidence only where TLS is in play, or where the client's stream could not even
	 * start (its first bytes missing): plaintext both ways is not our business. */
	return tls_stream_data(t, dir, seg) && (tls_seen(t) || t->side[0].mode == TLS_MODE_NONE);
}
