/* tls.c: one connection's TLS state: made, freed, asked (seen, established, issues), and registered as an application protocol. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "bounds.h"
#include "tls_int.h"

_Thread_local struct spares tls_spare_ch;

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
	spares_give(&tls_spare_ch, t->ch);
	spares_give(&tls_spare_ch, t->ch2);
	free(t->sh);
	free(t->cert_msg);
	if (t->cert_memo != NULL)
		tls_cert_chain_release(t->cert_memo->chain);
	free(t->cert_memo);
	if (t->enc != NULL)
		for (uint32_t i = 0; i < t->enc->n; i++)
			free(t->enc->rec[i].body);
	free(t->enc);
	t->enc = NULL;
	free(t->v2);
	t->v2 = NULL;
	tls_dec_free(t->dec);
	t->dec = NULL;
	tls_dec_hellos_free(t);
	t->ch = t->ch2 = NULL;
	t->sh = NULL;
	t->cert_msg = NULL;
	t->cert_memo = NULL;
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

uint32_t tls13_min_finished(const struct tls_conn *t)
{
	uint16_t suite = t->sh != NULL ? t->sh->cipher_suite : 0;
	uint32_t hash = suite == 0x1302 ? 48 : 32;        /* TLS_AES_256_GCM_SHA384: SHA-384 */
	uint32_t tag = suite == 0x1305 ? 8 : 16;          /* TLS_AES_128_CCM_8_SHA256: an 8-byte tag */

	/* an unknown suite: the least any TLS 1.3 suite allows (SHA-256, an 8-byte tag) */
	if (suite < 0x1301 || suite > 0x1305)
		tag = 8;
	return 4 + hash + 1 + tag;
}

/* Shorter than any Finished message this connection's suite allows: an alert (maybe padded). */
static int short_record(const struct tls_conn *t, uint32_t len)
{
	return len < tls13_min_finished(t);
}

const struct tls_rec_note *tls_short_last_record(const struct tls_conn *t, int dir)
{
	const struct tls_side *s = &t->side[dir], *peer = &t->side[!dir];
	const struct tls_decrypted *dz;

	/* decrypted: what the record was is known (an alert is among the alerts) */
	if ((dz = tls_decrypted(t)) != NULL && dz->records[dir] > 0 && dz->failed[dir] == 0)
		return NULL;
	if (!tls_version_is_13(tls_version(t)) || s->enc_records == 0 || !short_record(t, s->last_enc.len) ||
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
	const struct tls_decrypted *dz;

	if (v == 0)
		return 0;
	/* both Finished decrypted: proven, not inferred */
	if ((dz = tls_decrypted(t)) != NULL && dz->finished[0] && dz->finished[1])
		return 1;
	if (tls_version_is_13(v))
		return s->enc_records > 0 && c->enc_records > 0 && c->first_enc.ts >= s->first_enc.ts &&
		       !(c->enc_records == 1 && short_record(t, c->first_enc.len));
	return c->ccs && s->ccs && c->enc_hs_records > 0 && s->enc_hs_records > 0;
}

void tls_prefetch(const struct tls_conn *t)
{
	prefetch_range(t, sizeof(*t));
	/* the ClientHello's fields up to its fingerprints (the JA3 buffer is mostly unused) */
	prefetch_range(t->ch, t->ch != NULL ? offsetof(struct tls_client_hello, ja3) + 128 : 0);
	prefetch_range(t->sh, t->sh != NULL ? sizeof(*t->sh) : 0);
	prefetch_range(t->cert_memo, t->cert_memo != NULL ? 64 : 0);
	prefetch_range(t->v2, t->v2 != NULL ? sizeof(*t->v2) : 0);
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
	if (t->enc != NULL)
		n += sizeof(*t->enc) + t->enc->bytes;
	if (t->v2 != NULL)
		n += sizeof(*t->v2);
	if (t->hellos != NULL) {
		n += sizeof(*t->hellos);
		for (int i = 0; i < TLS_HELLO_SLOTS; i++)
			n += t->hellos->len[i];
	}
	return n + tls_dec_mem(t->dec);
}

int tls_keep_encrypted(struct tls_conn *t)
{
	if (t->enc == NULL && (t->enc = calloc(1, sizeof(*t->enc))) == NULL) {
		t->nomem = t->odd = 1;
		bounds_alloc_failed();
		return 0;
	}
	return 1;
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
						      tls_msg_len(cur_make(s->hs, s->hs_len)) - 4u, s->hs_len - 4u });
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
	if (t->v2 != NULL)
		issue(out, cap, &n, (struct tls_issue){ TLS_ISSUE_SSLV2, 1, 0, t->v2->frame, 0, 0, 0 });
	const struct tls_decrypted *dec = tls_decrypted(t);
	for (uint8_t d = 0; dec != NULL && d < 2; d++)
		if (dec->finished_verified[d] == TLS_FIN_MISMATCH)
			issue(out, cap, &n, (struct tls_issue){ TLS_ISSUE_FINISHED_MISMATCH, d, 0, 0, 0, 0, 0 });
	return n;
}

size_t tls_issue_count(const struct tls_conn *t)
{
	struct tls_issue is[TLS_MAX_ISSUES];

	return tls_issues(t, is, TLS_MAX_ISSUES);
}

/* ---- TLS as an application protocol of a byte stream (app.h) ---- */

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
	.probe = tls_app_probe,
	.init = tls_init,
	.data = tls_app_data,
	.seen = tls_seen_op,
	.in_handshake = tls_in_handshake,
	.mem = tls_mem_op,
	.prefetch = tls_prefetch_op,
	.release = tls_release,
};
