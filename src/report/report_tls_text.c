/* report_tls_text.c: a connection's TLS handshake as lines of the text report, and a TLS
 * finding in words (for both reports). */
#include "line.h"
#include "report.h"
#include "report_tls.h"
#include "tls_names.h"
#include "vtext.h"

static void side_words(struct line *l, uint8_t dir)
{
	ln_lit(l, "the ");
	ln_str(l, verdict_side_name(dir));
	ln_lit(l, "'s ");
}

static void hs_words(struct line *l, uint8_t type)
{
	char b[TLS_NAME_BUFSZ];
	ln_str(l, tls_name_or_hex(tls_hs_type_name(type), type, b));
	ln_lit(l, " message");
}

/* An issue of a side's stream: bytes sent again different, not compared, not kept. */
static void stream_issue_words(struct line *l, const struct tls_issue *is)
{
	switch (is->kind) {
	case TLS_ISSUE_CONFLICT:
		ln_lit(l, "the ");
		ln_str(l, verdict_side_name(is->dir));
		ln_lit(l, " sent ");
		ln_u64(l, is->a);
		ln_lit(l, " segment");
		vt_plural(l, is->a);
		ln_lit(l, " again with other bytes than the first copy (the lowest at stream byte ");
		ln_u64(l, is->off);
		ln_lit(l, ", the first in frame ");
		ln_u64(l, is->frame);
		ln_lit(l, "): a possible evasion or a broken middlebox; synack read the first copy");
		ln_str(l, is->b ? ", and the handshake from it" : ", after the handshake");
		break;
	case TLS_ISSUE_UNCOMPARED:
		ln_u64(l, is->a);
		ln_lit(l, " retransmitted byte");
		vt_plural(l, is->a);
		ln_lit(l, " of ");
		side_words(l, is->dir);
		ln_lit(l, "stream (the first at stream byte ");
		ln_u64(l, is->off);
		ln_lit(l, ", within the handshake) could not be compared with the first copy");
		break;
	case TLS_ISSUE_NOT_KEPT:
		side_words(l, is->dir);
		ln_lit(l, "stream: ");
		ln_u64(l, is->a);
		ln_lit(l, " new bytes were not kept (");
		ln_str(l, (is->b & VIEW_LIMIT_WINDOW) ? "beyond synack's 64 KiB window past a hole"
			  : (is->b & VIEW_LIMIT_QUEUE) ? "too many out-of-order pieces"
			  : (is->b & VIEW_LIMIT_MEMORY) ? "out of memory" : "a segment over 1 GiB");
		ln_chr(l, ')');
		if (is->off != UINT64_MAX) {
			ln_lit(l, "; reading stopped at byte ");
			ln_u64(l, is->off);
			ln_lit(l, ": nothing after it (a later alert, say) was read");
		}
		break;
	default:
		break;
	}
}

void report_tls_issue_words(struct line *l, const struct tls_issue *is)
{
	char b[TLS_NAME_BUFSZ];

	switch (is->kind) {
	case TLS_ISSUE_BAD_RECORD:
		side_words(l, is->dir);
		ln_lit(l, "stream is not TLS from byte ");
		ln_u64(l, is->off);
		ln_lit(l, " (frame ");
		ln_u64(l, is->frame);
		ln_lit(l, ") on: a record header of content type ");
		ln_u64(l, is->type);
		ln_lit(l, ", version ");
		ln_str(l, tls_name_or_hex(tls_version_name((uint16_t)is->b), (uint16_t)is->b, b));
		ln_lit(l, ", length ");
		ln_u64(l, is->a);
		if (is->a > 18432)
			ln_lit(l, " (TLS allows 18432)");
		ln_lit(l, "; not read past it");
		break;
	case TLS_ISSUE_MSG_TOO_LARGE:
		side_words(l, is->dir);
		hs_words(l, is->type);
		ln_lit(l, " declares ");
		ln_u64(l, is->a);
		ln_lit(l, " bytes, more than synack holds (");
		ln_u64(l, TLS_HS_CAP);
		ln_lit(l, "): its first ");
		ln_u64(l, TLS_HS_CAP);
		ln_lit(l, " bytes were read, the rest skipped");
		if (is->b > 1) {
			ln_lit(l, " (");
			ln_u64(l, is->b);
			ln_lit(l, " messages that large)");
		}
		break;
	case TLS_ISSUE_MSG_UNFINISHED:
		side_words(l, is->dir);
		hs_words(l, is->type);
		ln_lit(l, " declares ");
		ln_u64(l, is->a);
		ln_lit(l, " bytes; the capture holds ");
		ln_u64(l, is->b);
		ln_lit(l, " of them, then no more");
		break;
	case TLS_ISSUE_ALERTS_NOT_KEPT:
		ln_u64(l, is->a);
		ln_lit(l, " more alert");
		vt_plural(l, is->a);
		ln_lit(l, " counted, not kept (each side's first is kept)");
		break;
	case TLS_ISSUE_CONFLICT:
	case TLS_ISSUE_UNCOMPARED:
	case TLS_ISSUE_NOT_KEPT:
		stream_issue_words(l, is);
		break;
	case TLS_ISSUE_SSLV2:
		ln_lit(l, "the server answered in SSL 2.0 (frame ");
		ln_u64(l, is->frame);
		ln_lit(l, "): obsolete and insecure, RFC 6176 prohibits it");
		break;
	case TLS_ISSUE_FINISHED_MISMATCH:
		side_words(l, is->dir);
		ln_lit(l, "Finished decrypted but did not verify against the handshake messages seen here "
			  "(a key log from another session?)");
		break;
	default:
		ln_lit(l, "out of memory: a hello or the server's certificates were not kept");
		break;
	}
}

/* One item of the TLS lines: "tls" before the first, wrapped at 78 columns. */
static void text_item(struct tbuf *b, int *first, struct line *l)
{
	l->buf[l->len] = '\0';
	report_wrapped(b, *first ? "tls" : "", l->buf);
	*first = 0;
}

/* The SSL 2.0 SERVER-HELLO, and the client's choice after it. */
static void text_sslv2(struct tbuf *b, int *first, const struct view_tls *t, struct line *l)
{
	const struct tls_sslv2 *v2 = t->v2;
	const char *name;

	l->len = 0;
	ln_lit(l, "SSL 2.0 SERVER-HELLO");
	if (v2->status == TLS_HELLO_OK) {
		ln_lit(l, ", ");
		ln_u64(l, v2->hello.specs_total);
		ln_lit(l, " cipher kind");
		vt_plural(l, v2->hello.specs_total);
		ln_lit(l, ", certificate ");
		ln_u64(l, v2->hello.cert_len);
		ln_lit(l, " bytes");
	} else {
		ln_str(l, v2->status == TLS_HELLO_TRUNCATED ? " (cut short)" : " (does not parse)");
	}
	if (t->ch != NULL) {
		ln_lit(l, ", ");
		vt_ms3(l, v2->ts - t->ch_ts);
		ln_lit(l, " ms after the ClientHello");
	}
	text_item(b, first, l);
	if (!v2->has_client_cipher)
		return;
	l->len = 0;
	ln_lit(l, "CLIENT-MASTER-KEY: the client chose ");
	if ((name = tls_sslv2_cipher_name(v2->client_cipher)) != NULL)
		ln_str(l, name);
	else
		ln_hex(l, v2->client_cipher);
	text_item(b, first, l);
}

static void text_client_hello(struct tbuf *b, int *first, const struct tls_client_hello *ch, struct line *l)
{
	ln_lit(l, "ClientHello ");
	ln_u64(l, ch->size);
	ln_lit(l, " bytes, SNI ");
	if (ch->sni_len) {
		ln_chr(l, '"');
		ln_escaped(l, ch->sni, ch->sni_len < TLS_HELLO_SNI_LEN ? ch->sni_len : TLS_HELLO_SNI_LEN);
		ln_chr(l, '"');
		if (ch->sni_is_ech_public)
			ln_lit(l, " (with ECH: the outer, public name, unless the ECH is GREASE)");
	} else {
		ln_lit(l, "none");
	}
	if (ch->has_ech && !ch->sni_is_ech_public)
		ln_lit(l, ", ECH");
	ln_lit(l, ", ");
	ln_u64(l, ch->cipher_suites_total);
	ln_lit(l, " cipher suites");
	if (ch->sslv2_only_specs) {
		ln_lit(l, ", ");
		ln_u64(l, ch->sslv2_only_specs);
		ln_lit(l, " SSL 2.0 cipher kind");
		vt_plural(l, ch->sslv2_only_specs);
	}
	if (ch->n_alpn) {
		ln_lit(l, ", ALPN ");
		for (uint8_t i = 0; i < ch->n_alpn; i++) {
			if (i)
				ln_chr(l, ',');
			ln_escaped(l, ch->alpn[i].name,
				   ch->alpn[i].len < TLS_HELLO_ALPN_LEN ? ch->alpn[i].len : TLS_HELLO_ALPN_LEN);
		}
	}
	text_item(b, first, l);
	if (ch->ja4[0]) {
		l->len = 0;
		ln_lit(l, "JA4 ");
		ln_str(l, ch->ja4);
		text_item(b, first, l);
		l->len = 0;
		ln_lit(l, "JA3 ");
		ln_str(l, ch->ja3_md5);
		text_item(b, first, l);
	}
}

/* What a hello held fewer of than it sent, and the TLS issues: a line each. */
static void text_findings(struct tbuf *b, int *first, const struct conn_view *cv, struct line *l)
{
	const struct view_tls *t = &cv->tls;

	if (t->ch != NULL) {
		struct report_hello_cut c[12];
		size_t k = report_hello_cuts(t->ch, c);
		if (k > 0 || t->ch->ja3_cut) {
			l->len = 0;
			ln_lit(l, "ClientHello holds more than synack keeps:");
			for (size_t i = 0; i < k; i++) {
				ln_str(l, i ? ", " : " ");
				ln_u64(l, c[i].kept);
				ln_lit(l, " of ");
				ln_u64(l, c[i].sent);
				ln_chr(l, ' ');
				ln_str(l, c[i].words);
			}
			if (t->ch->ja3_cut)
				ln_str(l, k ? ", the JA3 string (its hash is of all of it)" : " the JA3 string (its hash is "
											   "of all of it)");
			text_item(b, first, l);
		}
	}
	if (t->sh != NULL && (t->sh->n_extensions < t->sh->extensions_total || t->sh->alpn.len > TLS_HELLO_ALPN_LEN)) {
		l->len = 0;
		ln_lit(l, "ServerHello holds more than synack keeps:");
		if (t->sh->n_extensions < t->sh->extensions_total) {
			ln_lit(l, " ");
			ln_u64(l, t->sh->n_extensions);
			ln_lit(l, " of ");
			ln_u64(l, t->sh->extensions_total);
			ln_lit(l, " extensions");
		}
		if (t->sh->alpn.len > TLS_HELLO_ALPN_LEN) {
			ln_str(l, t->sh->n_extensions < t->sh->extensions_total ? ", " : " ");
			ln_u64(l, TLS_HELLO_ALPN_LEN);
			ln_lit(l, " of ");
			ln_u64(l, t->sh->alpn.len);
			ln_lit(l, " bytes of the ALPN value");
		}
		text_item(b, first, l);
	}
	for (size_t i = 0; i < cv->nissues; i++) {
		l->len = 0;
		report_tls_issue_words(l, &cv->issues[i]);
		text_item(b, first, l);
	}
}

/* The TLS lines of the text report, under the TCP lines. */
void report_tls_text(struct tbuf *b, const struct conn_view *cv, const struct verdict *v)
{
	const struct view_tls *t = &cv->tls;
	char buf[1024], tmp[TLS_NAME_BUFSZ];
	struct line l;
	int first = 1;

	if (!t->seen)
		return;
	ln_init(&l, buf, sizeof(buf) - 1);
	if (t->ch != NULL)
		text_client_hello(b, &first, t->ch, &l);
	if (t->hrr) {
		l.len = 0;
		ln_lit(&l, "HelloRetryRequest for group ");
		ln_str(&l, tls_name_or_hex(tls_group_name(t->hrr_group), t->hrr_group, tmp));
		text_item(b, &first, &l);
	}
	if (t->sh != NULL) {
		l.len = 0;
		ln_lit(&l, "ServerHello ");
		ln_str(&l, tls_name_or_hex(tls_version_name(t->sh->version), t->sh->version, tmp));
		ln_lit(&l, ", ");
		ln_str(&l, tls_name_or_hex(tls_cipher_name(t->sh->cipher_suite), t->sh->cipher_suite, tmp));
		if (t->ch != NULL) {
			ln_lit(&l, ", ");
			vt_ms3(&l, t->sh_ts - t->ch_ts);
			ln_lit(&l, " ms after the ClientHello");
		}
		text_item(b, &first, &l);
	}
	if (t->v2 != NULL)
		text_sslv2(b, &first, t, &l);
	for (uint8_t i = 0; i < t->nalerts; i++) {
		const struct tls_alert *a = &t->alerts[i];
		l.len = 0;
		ln_lit(&l, "alert from the ");
		ln_str(&l, verdict_side_name(a->from));
		if (a->encrypted && !a->decrypted) {
			ln_lit(&l, " (encrypted)");
		} else {
			ln_str(&l, a->decrypted ? " (decrypted): " : ": ");
			ln_str(&l, tls_name_or_hex(tls_alert_level_name(a->level), a->level, tmp));
			ln_chr(&l, ' ');
			ln_str(&l, tls_name_or_hex(tls_alert_name(a->desc), a->desc, tmp));
			ln_chr(&l, '(');
			ln_u64(&l, a->desc);
			ln_chr(&l, ')');
		}
		text_item(b, &first, &l);
	}
	for (int dir = 0; dir < 2; dir++) {
		if (!v->seen.probable[dir])
			continue;
		l.len = 0;
		ln_lit(&l, "probable encrypted alert from the ");
		ln_str(&l, verdict_side_name(dir));
		ln_lit(&l, " (inferred from its size)");
		text_item(b, &first, &l);
	}
	for (int dir = 0; dir < 2; dir++) {
		const struct view_tls_side *s = &t->side[dir];
		if (!s->plain)
			continue;
		l.len = 0;
		ln_str(&l, verdict_side_name(dir));
		ln_lit(&l, " sent non-TLS bytes: \"");
		ln_escaped(&l, (const uint8_t *)s->first_line, s->first_line_len);
		ln_chr(&l, '"');
		if (s->first_line_cut)
			ln_lit(&l, " (its first 80 bytes)");
		text_item(b, &first, &l);
	}
	text_findings(b, &first, cv, &l);
}
