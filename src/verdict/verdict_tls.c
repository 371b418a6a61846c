/* verdict_tls.c: the tls.* verdicts: how far the TLS handshake got, and who gave up. */
#include <string.h>

#include "tls.h"
#include "tls_cert.h"
#include "tls_names.h"
#include "verdict.h"
#include "vtext.h"

#define V_TLS13 0x0304

struct tv {
	const struct conn *c;
	const struct tls_conn *t;
	const struct tls_client_hello *ch;
	const struct tls_cert_chain *chain;     /* the server's certificates, if sent in clear */
	struct tls_cert_findings cert;
	int cert_unchecked;                     /* sent in clear, and not (all) checked: what it hides is unknown */
	struct verdict *v;
	struct line sum, why, next;
};

static void version_name(struct line *l, uint16_t v)
{
	char b[TLS_NAME_BUFSZ];
	ln_str(l, tls_name_or_hex(tls_version_name(v), v, b));
}

/* The kind and code of a verdict written from its facts. */
static void set_kind(struct tv *x, enum verdict_kind kind, const char *code)
{
	x->v->kind = kind;
	x->v->code = code;
}

static void v_alert(struct tv *x, const struct tls_alert *a)
{
	set_kind(x, VK_TLS_ALERT, "tls.alert");
	x->v->tls.alert = *a;
}

static void v_not_tls(struct tv *x, int dir)
{
	set_kind(x, VK_TLS_NOT_TLS, "tls.not_tls");
	x->v->tls.dir = (uint8_t)dir;
	x->v->tls.first_line = x->t->side[dir].first_line;
	x->v->tls.first_line_len = x->t->side[dir].first_line_len;
}

static void v_closed_after_ch(struct tv *x, const char *how)
{
	set_kind(x, VK_TLS_CLOSED_AFTER_CH, "tls.closed_after_client_hello");
	x->v->tls.how = how;
}

static void v_no_server_hello(struct tv *x, int64_t end)
{
	struct reasm_span sp;
	const struct tls_conn *t = x->t;

	reasm_span(t->rs[0], t->ch_start, t->ch_end, &sp);
	set_kind(x, VK_TLS_NO_SERVER_HELLO, "tls.no_server_hello");
	x->v->tls.end = end;
	x->v->tls.ch_span.segments = sp.segments;
	x->v->tls.ch_span.retrans = sp.retrans;
}

static void v_client_rejected(struct tv *x, const struct tls_alert *a, const struct tls_rec_note *enc,
			      const char *how)
{
	set_kind(x, VK_TLS_CLIENT_REJECTED, "tls.client_rejected_server");
	x->v->tls.has_alert = a != NULL;
	if (a != NULL)
		x->v->tls.alert = *a;
	x->v->tls.enc = enc != NULL;
	x->v->tls.how = how;
}

static void v_established(struct tv *x)
{
	const struct tls_conn *t = x->t;

	set_kind(x, VK_TLS_ESTABLISHED, t->hrr ? "tls.hello_retry" : "tls.established");
	x->v->ok = 1;
	x->v->tls.sh_ts = t->sh_ts;
	x->v->tls.hrr = t->hrr;
	x->v->tls.hrr_group = t->hrr_group;
	x->v->tls.cipher = t->sh->cipher_suite;
	x->v->tls.alpn = t->sh->has_alpn ? t->sh->alpn.name : NULL;
	x->v->tls.alpn_len = t->sh->alpn.len;
}

/* An alert whose description is hidden: TLS 1.2's encrypted alert record, or TLS 1.3's
 * probable one (inferred from a record's size). */
static void v_hidden_alert(struct tv *x, int dir, int64_t ts, int inferred)
{
	set_kind(x, VK_TLS_HIDDEN_ALERT, "tls.alert");
	x->v->tls.dir = (uint8_t)dir;
	x->v->tls.alert.ts = ts;
	x->v->tls.inferred = (uint8_t)inferred;
}

/* The TCP close of one side (FIN or RST): 1 and its kind, else 0. */
static int closed_by(const struct conn *c, int dir, const char **how)
{
	int d = dir == 0 ? DIR_CLIENT : DIR_SERVER;
	if (c->rst_seen && c->rst_dir == d) {
		*how = "reset";
		return 1;
	}
	if (c->ep[d].fin) {
		*how = "FIN";
		return 1;
	}
	return 0;
}

static void v_incomplete(struct tv *x, const char *what)
{
	x->v->code = "tls.incomplete";
	ln_lit(&x->sum, "TLS handshake incomplete in the capture: ");
	ln_str(&x->sum, what);
	ln_lit(&x->why, "The capture does not hold enough of the handshake to say how it ended: ");
	ln_str(&x->why, what);
	ln_lit(&x->why, ". ");
	for (int dir = 0; dir < 2; dir++) {
		uint64_t from, to;
		int g = reasm_gap(x->t->rs[dir], &from, &to);
		if (g == REASM_GAP_NONE)
			continue;
		ln_lit(&x->why, "The ");
		ln_str(&x->why, verdict_side_name(dir));
		ln_str(&x->why, g == REASM_GAP_HOLE ? "'s bytes " : "'s bytes beyond what synack holds, ");
		ln_u64(&x->why, from);
		ln_lit(&x->why, " to ");
		ln_u64(&x->why, to - 1);
		ln_str(&x->why, g == REASM_GAP_HOLE ? " never arrived here (later ones did); nothing is "
						      "guessed across the hole. "
						    : ", were not kept. ");
	}
	ln_lit(&x->next, "Capture for longer, with a full snap length (-s 0), from before the "
			 "connection starts.");
}

/* The first alert a side sent (in clear, or an encrypted one whose record type shows). */
static const struct tls_alert *first_alert(const struct tls_conn *t, int dir)
{
	for (uint8_t i = 0; i < t->nalerts; i++)
		if (t->alerts[i].from == dir)
			return &t->alerts[i];
	return NULL;
}

const struct tls_rec_note *tls_probable_alert(const struct conn *c, int dir)
{
	const char *how;
	const struct tls_conn *t = conn_tls(c);

	if (t == NULL || !closed_by(c, dir, &how))
		return NULL;
	return tls_short_last_record(t, dir);
}

/* The problems the certificate checks found, one sentence each. */
static void cert_problems(struct line *l, const struct tls_cert_findings *f)
{
	int n = 0;
	for (uint8_t i = 0; i < f->n; i++) {
		if (!(f->items[i].flag & TLS_CERT_F_PROBLEMS))
			continue;
		if (n++)
			ln_lit(l, "; ");
		ln_str(l, f->items[i].text);
	}
	if (f->total > f->n) {
		ln_lit(l, "; and ");
		ln_u64(l, (uint64_t)(f->total - f->n));
		ln_lit(l, " more findings not kept");
	}
	ln_lit(l, ". ");
}

/* What is wrong with the server's certificate, the worst first, in a few words. */
static void cert_summary(struct tv *x)
{
	const struct tls_cert_findings *f = &x->cert;
	uint32_t named = TLS_CERT_F_PROBLEMS & ~(uint32_t)TLS_CERT_F_UNCHECKED;

	ln_lit(&x->sum, "the server's certificate ");
	if (f->flags & TLS_CERT_F_EXPIRED)
		ln_lit(&x->sum, "has expired");
	else if (f->flags & TLS_CERT_F_NOT_YET_VALID)
		ln_lit(&x->sum, "is not yet valid");
	else if (f->flags & (TLS_CERT_F_NAME_MISMATCH | TLS_CERT_F_NAME_CN_ONLY))
		ln_lit(&x->sum, "does not match the server name");
	else if (f->flags & TLS_CERT_F_SELF_SIGNED)
		ln_lit(&x->sum, "is self-signed");
	else if (f->flags & (TLS_CERT_F_INCOMPLETE | TLS_CERT_F_ORDER | TLS_CERT_F_ISSUER_KEY))
		ln_lit(&x->sum, "chain is incomplete or out of order");
	else if (f->flags & TLS_CERT_F_MALFORMED)
		ln_lit(&x->sum, "message is malformed");
	else if (x->chain == NULL)
		ln_lit(&x->sum, "chain could not be kept to check (out of memory)");
	else if (f->flags & TLS_CERT_F_NOT_CHECKED)
		ln_lit(&x->sum, "chain exceeds what synack checks: not checked whole");
	else
		ln_lit(&x->sum, "could not be read");
	if ((f->flags & named) && (f->flags & TLS_CERT_F_NOT_CHECKED))
		ln_lit(&x->sum, ", and its chain exceeds what synack checks");
}

/*
 * The handshake completed, but the server's certificate chain, sent in clear,
 * could not be checked (whole): a chain padded past a bound must not pass for
 * a checked one, whatever the client decided.
 */
static void v_cert_unchecked(struct tv *x)
{
	const struct tls_conn *t = x->t;
	char b[TLS_NAME_BUFSZ];

	x->v->code = "tls.certificate";
	cert_summary(x);
	ln_lit(&x->sum, "; the handshake completed (");
	version_name(&x->sum, tls_version(t));
	ln_chr(&x->sum, ')');
	ln_lit(&x->why, "Both sides finished the TLS handshake (");
	version_name(&x->why, tls_version(t));
	ln_lit(&x->why, ", ");
	ln_str(&x->why, tls_name_or_hex(tls_cipher_name(t->sh->cipher_suite), t->sh->cipher_suite, b));
	ln_lit(&x->why, "), but the certificate chain the server sent in clear could not be checked here: ");
	if (x->chain == NULL)
		ln_lit(&x->why, "there was no memory to keep it. ");
	else
		cert_problems(&x->why, &x->cert);
	ln_lit(&x->why, "What was not checked may hide any problem (an expired, wrong-name or self-signed "
			"certificate), so this is not called healthy. ");
	ln_lit(&x->next, "See what the server sends with openssl s_client -connect host:port -servername "
			 "name -showcerts; a chain this large is itself a fault to fix (most clients refuse "
			 "one over 100 KiB).");
}

/* The client gave up, and the certificate it saw has problems we can name. */
static void v_certificate(struct tv *x, const struct tls_alert *a, const char *how)
{
	char b[TLS_NAME_BUFSZ];
	const struct tls_cert_findings *f = &x->cert;

	x->v->code = "tls.certificate";
	cert_summary(x);
	if (a != NULL && !a->encrypted) {
		ln_lit(&x->sum, "; the client rejected it with alert ");
		ln_str(&x->sum, tls_name_or_hex(tls_alert_name(a->desc), a->desc, b));
		ln_chr(&x->sum, '(');
		ln_u64(&x->sum, a->desc);
		ln_chr(&x->sum, ')');
	} else if (how != NULL) {
		ln_lit(&x->sum, "; the client closed (");
		ln_str(&x->sum, how);
		ln_chr(&x->sum, ')');
	}
	ln_lit(&x->why, "The server sent its certificate in clear (TLS 1.2 or older), checked here at "
			"the time of the capture: ");
	cert_problems(&x->why, f);
	ln_lit(&x->why, "The client then ended the handshake instead of finishing it. What the client "
			"trusts is its own decision; these problems are what a verifying client refuses. ");
	ln_lit(&x->next, "Renew or reconfigure the server's certificate (name, dates, the intermediate "
			 "certificates it must send); openssl s_client -connect host:port -servername "
			 "name -showcerts shows what it sends.");
}

/* The side whose handshake bytes came in conflicting copies (the client's first), or -1. */
static int ambiguous_side(const struct tls_conn *t, struct reasm_stats *st)
{
	for (int d = 0; d < 2; d++) {
		if (!(reasm_flags(t->rs[d]) & REASM_CONFLICT))
			continue;
		reasm_stats(t->rs[d], st);
		if (st->conflicts > 0 && st->conflict_low < t->side[d].evid_end)
			return d;
	}
	return -1;
}

/*
 * The policy for overlaps: reassembly keeps the first copy of every byte (as
 * most stacks do) and counts a later copy that differs. Where that is within
 * the bytes the handshake was read from, which copy the receiver kept is not
 * known, so the handshake read here may not be the one the ends saw: never ok.
 */
static void v_ambiguous(struct tv *x, int dir, const struct reasm_stats *st)
{
	x->v->code = "tls.ambiguous";
	ln_lit(&x->sum, "the ");
	ln_str(&x->sum, verdict_side_name(dir));
	ln_lit(&x->sum, "'s handshake bytes came in two versions (");
	ln_u64(&x->sum, st->conflicts);
	ln_lit(&x->sum, " retransmitted segment");
	vt_plural(&x->sum, st->conflicts);
	ln_lit(&x->sum, " differed): what the ");
	ln_str(&x->sum, verdict_side_name(!dir));
	ln_lit(&x->sum, " read is not known");
	ln_lit(&x->why, "Segments of the ");
	ln_str(&x->why, verdict_side_name(dir));
	ln_lit(&x->why, "'s stream were sent again with other bytes than the first copy, within the bytes "
			"the TLS handshake was read from (the lowest at stream byte ");
	ln_u64(&x->why, st->conflict_low);
	ln_lit(&x->why, "; the first such segment is frame ");
	ln_u64(&x->why, st->conflict_frame);
	ln_lit(&x->why, "). synack keeps the first copy, as most TCP stacks do, and read the handshake "
			"from it");
	if (tls_established(x->t))
		ln_lit(&x->why, " (it completed)");
	ln_lit(&x->why, "; a receiver may have kept the other copy and seen another handshake. A decoy "
			"copy that never reaches the receiver is how traffic is hidden from a monitor; a "
			"device that rewrites the stream, or a broken sender, looks the same. So this is "
			"not called healthy. ");
	ln_lit(&x->next, "Capture at the ");
	ln_str(&x->next, verdict_side_name(!dir));
	ln_lit(&x->next, " at the same time to see which copy arrived; look on the path for a device "
			 "that rewrites or injects segments (IPS, proxy, load balancer).");
}

/* Bytes that break TLS's own rules, found where the verdict would otherwise rest on them. */
enum { MAL_NONE, MAL_RECORD, MAL_MESSAGE, MAL_HELLO };

static int malformed(const struct tls_conn *t, int established, int *dir)
{
	for (int d = 0; t->odd && d < 2; d++) {
		*dir = d;
		if (t->side[d].bad == TLS_BAD_RECORD)
			return MAL_RECORD;
	}
	for (int d = 0; t->odd && d < 2; d++) {
		*dir = d;
		/* a Certificate that large is a limit of ours (the chain is not checked), not a fault */
		if (t->side[d].hs_cut > 0 && (t->side[d].cut.type != TLS_HS_CERTIFICATE || d == 0))
			return MAL_MESSAGE;
	}
	if (established) {
		*dir = 0;
		if (t->ch_status == TLS_HELLO_INVALID || (t->ch2 != NULL && t->ch2_status == TLS_HELLO_INVALID))
			return MAL_HELLO;
		*dir = 1;
		if (t->sh_status == TLS_HELLO_INVALID)
			return MAL_HELLO;
	}
	return MAL_NONE;
}

/* "a record header that declares 40000 bytes (TLS allows 18432)", from the header's bytes. */
static void bad_record_phrase(struct line *l, const uint8_t h[5])
{
	unsigned len = (unsigned)h[3] << 8 | h[4];

	ln_lit(l, "a record header ");
	if (h[0] < 20 || h[0] > 24) {
		ln_lit(l, "of content type ");
		ln_u64(l, h[0]);
		ln_lit(l, ", which TLS does not have");
	} else if (h[1] != 3 || h[2] > 4) {
		char v[8] = "0x0000";
		static const char hex[] = "0123456789abcdef";
		v[2] = hex[h[1] >> 4];
		v[3] = hex[h[1] & 15];
		v[4] = hex[h[2] >> 4];
		v[5] = hex[h[2] & 15];
		ln_lit(l, "of version ");
		ln_str(l, v);
		ln_lit(l, ", which no TLS version has");
	} else if (len == 0) {
		ln_lit(l, "of an empty record (only application data may be empty)");
	} else {
		ln_lit(l, "that declares ");
		ln_u64(l, len);
		ln_lit(l, " bytes (TLS allows 18432)");
	}
}

static void v_malformed(struct tv *x, int what, int dir)
{
	const struct tls_conn *t = x->t;
	const struct tls_side *s = &t->side[dir];
	char b[TLS_NAME_BUFSZ];

	x->v->code = "tls.malformed";
	ln_lit(&x->sum, "the ");
	ln_str(&x->sum, verdict_side_name(dir));
	ln_lit(&x->why, "The ");
	ln_str(&x->why, verdict_side_name(dir));
	if (what == MAL_RECORD) {
		ln_lit(&x->sum, "'s stream stops being TLS at byte ");
		ln_u64(&x->sum, s->bad_off);
		ln_lit(&x->sum, ": ");
		bad_record_phrase(&x->sum, s->bad_hdr);
		ln_lit(&x->why, " sent ");
		bad_record_phrase(&x->why, s->bad_hdr);
		ln_lit(&x->why, " at stream byte ");
		ln_u64(&x->why, s->bad_off);
		ln_lit(&x->why, " (frame ");
		ln_u64(&x->why, s->bad_frame);
		ln_lit(&x->why, "): a receiver aborts the connection there (record_overflow or decode_error). "
				"What came before was read, nothing after it is (its bytes are still counted). ");
	} else if (what == MAL_MESSAGE) {
		ln_lit(&x->sum, "'s ");
		ln_str(&x->sum, tls_name_or_hex(tls_hs_type_name(s->cut.type), s->cut.type, b));
		ln_lit(&x->sum, " message declares ");
		ln_u64(&x->sum, s->cut.declared - 4u);
		ln_lit(&x->sum, " bytes, more than TLS allows");
		ln_lit(&x->why, " sent a handshake message (");
		ln_str(&x->why, tls_name_or_hex(tls_hs_type_name(s->cut.type), s->cut.type, b));
		ln_lit(&x->why, ") that declares ");
		ln_u64(&x->why, s->cut.declared - 4u);
		ln_lit(&x->why, " bytes, beyond what its own format can hold: no TLS stack sends or accepts "
				"it. synack read its first ");
		ln_u64(&x->why, TLS_HS_CAP);
		ln_lit(&x->why, " bytes and skipped the rest. ");
	} else {
		const char *err = dir == 0 ? (t->ch_status == TLS_HELLO_INVALID ? t->ch->error : t->ch2->error)
					   : t->sh->error;
		ln_str(&x->sum, dir == 0 ? "'s ClientHello does not parse" : "'s ServerHello does not parse");
		ln_lit(&x->sum, ", yet the handshake completed");
		ln_lit(&x->why, "'s hello does not parse (");
		ln_str(&x->why, err != NULL ? err : "?");
		ln_lit(&x->why, "), yet the ");
		ln_str(&x->why, verdict_side_name(!dir));
		ln_lit(&x->why, " finished the handshake: what was read here is not what it accepted. ");
	}
	if (tls_established(t))
		ln_lit(&x->why, "The handshake had completed, but on bytes like these it is not called healthy. ");
	ln_lit(&x->why, "A broken TLS stack, a device that corrupts or rewrites the stream, or bytes "
			"injected into it. ");
	ln_lit(&x->next, "Capture at the other end at the same time and compare the bytes; check the ");
	ln_str(&x->next, verdict_side_name(dir));
	ln_lit(&x->next, "'s TLS stack and any device on the path that handles TLS (IPS, proxy).");
}

static void decide(struct tv *x, int64_t end)
{
	const struct tls_conn *t = x->t;
	const struct tls_alert *sa = first_alert(t, 1), *ca = first_alert(t, 0);
	const struct tls_rec_note *pc = tls_probable_alert(x->c, 0), *ps = tls_probable_alert(x->c, 1);
	int established = tls_established(t) && pc == NULL && ps == NULL;
	const char *how = NULL;
	uint64_t gap_from, gap_to;
	struct reasm_stats st;
	int mal, mdir = 0, amb;

	if (x->ch == NULL && (t->side[0].mode == TLS_MODE_RECORDS || t->side[0].mode == TLS_MODE_SSLV2)) {
		v_incomplete(x, t->side[0].hs_len > 0 || t->side[0].hs_skip > 0
					? "the ClientHello is not complete in the capture"
					: "the client's first TLS record is not complete in the capture");
		return;
	}
	if (x->ch == NULL && t->side[0].bad == TLS_BAD_RECORD) {
		v_malformed(x, MAL_RECORD, 0);
		return;
	}
	if (x->ch == NULL) {
		v_not_tls(x, 0);         /* the client spoke plaintext, the server TLS */
		return;
	}
	if (t->side[1].mode == TLS_MODE_PLAIN) {
		v_not_tls(x, 1);
		return;
	}
	if (sa != NULL && !sa->encrypted && (ca == NULL || ca->encrypted || sa->ts <= ca->ts)) {
		v_alert(x, sa);
		return;
	}
	/* a server stream that broke TLS's rules explains the client's alert or close after it */
	if (t->side[1].bad == TLS_BAD_RECORD) {
		v_malformed(x, MAL_RECORD, 1);
		return;
	}
	int cert_bad = (x->chain != NULL && (x->cert.flags & TLS_CERT_F_PROBLEMS)) || x->cert_unchecked;
	if (ca != NULL && !ca->encrypted) {
		if (t->sh != NULL && cert_bad)
			v_certificate(x, ca, NULL);
		else if (t->sh != NULL)
			v_client_rejected(x, ca, NULL, NULL);
		else
			v_alert(x, ca);
		return;
	}
	if (established) {
		/* ok only on evidence that nothing of ours or of the bytes' could have changed */
		if ((amb = ambiguous_side(t, &st)) >= 0)
			v_ambiguous(x, amb, &st);
		else if ((mal = malformed(t, 1, &mdir)) != MAL_NONE)
			v_malformed(x, mal, mdir);
		else if (x->cert_unchecked)
			v_cert_unchecked(x);
		else
			v_established(x);
		if (!x->v->ok && cert_bad && !x->cert_unchecked) {
			ln_lit(&x->why, "The server's certificate also has problems this client accepted: ");
			cert_problems(&x->why, &x->cert);
		} else if (x->v->ok && cert_bad) {
			ln_lit(&x->why, "The server's certificate has problems this client accepted: ");
			cert_problems(&x->why, &x->cert);
		}
		return;
	}
	/* a stream that broke TLS's rules explains more than what the peer did next */
	if ((mal = malformed(t, 0, &mdir)) != MAL_NONE && (t->sh != NULL || mdir == 1)) {
		v_malformed(x, mal, mdir);
		return;
	}
	if (t->sh != NULL) {
		int client_closed = closed_by(x->c, 0, &how);
		int server_flight = t->side[1].enc_records > 0 ||
				    (t->side[1].hs_seen & TLS_HS_BIT(TLS_HS_CERTIFICATE));
		if (pc != NULL || (client_closed && t->side[0].enc_records == 0 && server_flight)) {
			if (cert_bad)
				v_certificate(x, NULL, how);
			else
				v_client_rejected(x, NULL, pc, how);
			return;
		}
		if (ps != NULL) {
			v_hidden_alert(x, 1, ps->ts, 1);
			return;
		}
		if (sa != NULL || ca != NULL) {
			const struct tls_alert *a = sa != NULL ? sa : ca;
			v_hidden_alert(x, a->from, a->ts, 0);
			return;
		}
		v_incomplete(x, "the ServerHello came, but not both Finished messages");
		return;
	}
	/* the server did answer, but its first bytes are not in the capture: neither a
	 * close without an answer nor silence can be claimed */
	if (t->side[1].records == 0 && reasm_gap(t->rs[1], &gap_from, &gap_to) != REASM_GAP_NONE) {
		v_incomplete(x, "the server's first bytes (its answer to the ClientHello) are missing "
				"from the capture");
		return;
	}
	if (t->side[1].records == 0 && closed_by(x->c, 1, &how)) {
		v_closed_after_ch(x, how);
		return;
	}
	if (t->side[1].records == 0 && (end - t->ch_ts >= 1000000000 || closed_by(x->c, 0, &how))) {
		v_no_server_hello(x, end);
		return;
	}
	if (mal != MAL_NONE) {
		v_malformed(x, mal, mdir);
		return;
	}
	v_incomplete(x, t->ch_status == TLS_HELLO_TRUNCATED ? "the ClientHello is cut short"
							    : "no ServerHello yet when the capture ends");
}

/* The client's first bytes never arrived while later ones did: nothing above TCP could start. */
static int v_missing_start(struct tv *x)
{
	const struct tls_conn *t = x->t;
	uint64_t from, to;

	if (reasm_gap(t->rs[0], &from, &to) != REASM_GAP_HOLE || from != 0 ||
	    t->side[1].mode != TLS_MODE_NONE)
		return 0;
	x->v->code = "tls.incomplete";
	ln_lit(&x->sum, "the client's first ");
	ln_u64(&x->sum, to - from);
	ln_lit(&x->sum, " bytes of data never arrived here, while later ones did");
	ln_lit(&x->why, "At this capture point the client's data has a hole at its very start (stream "
			"bytes 0 to ");
	ln_u64(&x->why, to - 1);
	ln_lit(&x->why, ") that no retransmission filled, while a later, smaller segment arrived. "
			"Whatever the client sent first (for TLS, its ClientHello) cannot be read, and the "
			"server cannot answer it. A path that drops large packets (a path-MTU black hole, "
			"a middlebox choking on large ClientHellos) looks exactly like this. ");
	ln_lit(&x->next, "Capture at the client to see the large segments leave and be retransmitted; "
			 "clamp the MSS on the path (or lower the MTU) and retry.");
	return 1;
}

/* A retransmission that carried other bytes than the original is a finding of its own. */
static void stream_findings(struct tv *x)
{
	for (int dir = 0; dir < 2; dir++) {
		struct reasm_stats st;
		reasm_stats(x->t->rs[dir], &st);
		if (st.conflicts == 0)
			continue;
		ln_lit(&x->why, " The ");
		ln_str(&x->why, verdict_side_name(dir));
		ln_lit(&x->why, " retransmitted bytes with other contents than the first time (frame ");
		ln_u64(&x->why, st.conflict_frame);
		ln_lit(&x->why, ", stream byte ");
		ln_u64(&x->why, st.conflict_off);
		ln_lit(&x->why, "): a device rewriting the stream, or a broken sender; synack kept the "
				"first copy. ");
	}
}

/* The facts every tls.* verdict's words may draw on. */
static void tls_facts(const struct conn *c, const struct tls_conn *t, struct verdict_tls_facts *f)
{
	memset(f, 0, sizeof(*f));
	f->ch = t->ch;
	f->ch_ts = t->ch_ts;
	f->sh_seen = t->sh != NULL;
	f->cert_request = t->cert_request;
	f->version = tls_version(t);
	f->server_port = c->f.port[DIR_SERVER];
}

int verdict_tls(const struct conn *c, int64_t capture_end, struct verdict *v)
{
	struct tv x;
	struct tls_conn *t = conn_tls(c);

	if (t == NULL)
		return 0;
	int missing = !tls_seen(t) && t->side[0].mode == TLS_MODE_NONE;
	/* (a client whose first record cannot be is a TLS fault when the server answered in TLS) */
	if (!missing && (!tls_seen(t) || (t->ch == NULL && t->side[0].mode != TLS_MODE_PLAIN &&
					  t->side[0].bad != TLS_BAD_RECORD)))
		return 0;
	memset(&x, 0, sizeof(x));
	x.c = c;
	x.t = t;
	x.ch = t->ch;
	x.chain = tls_certificates(t, &x.cert);
	x.cert_unchecked = x.chain != NULL ? (x.cert.flags & TLS_CERT_F_UNCHECKED) != 0
					   : (t->side[1].hs_seen & TLS_HS_BIT(TLS_HS_CERTIFICATE)) != 0;
	x.v = v;
	v->code = NULL;
	v->layer = "tls";
	v->ok = 0;
	v->kind = VK_TLS_WORDS;
	v->cp = (uint8_t)verdict_capture_point(c);
	v->cut = VCUT_NONE;
	v->hint.first_line = NULL;
	tls_facts(c, t, &v->tls);
	ln_init(&x.sum, v->tls_words.summary, sizeof(v->tls_words.summary) - 1);
	ln_init(&x.why, v->tls_words.explanation, sizeof(v->tls_words.explanation) - 1);
	ln_init(&x.next, v->tls_words.next_step, sizeof(v->tls_words.next_step) - 1);
	if (missing) {
		if (!v_missing_start(&x))
			return 0;
	} else {
		decide(&x, capture_end);
	}
	stream_findings(&x);
	v->tls_words.summary_len = vt_finish(&x.sum);
	v->tls_words.explanation_len = vt_finish(&x.why);
	v->tls_words.next_step_len = vt_finish(&x.next);
	return 1;
}

void verdict_tls_hint(const struct conn *c, struct verdict *v)
{
	const struct tls_conn *t = conn_tls(c);
	const char *how;

	if (t == NULL || t->side[0].mode != TLS_MODE_PLAIN || t->side[1].mode != TLS_MODE_NONE ||
	    c->fin_first != 2 || !closed_by(c, 1, &how))
		return;
	v->hint.first_line = t->side[0].first_line;
	v->hint.first_line_len = t->side[0].first_line_len;
	v->hint.how = how;
}
