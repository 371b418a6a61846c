/* verdict_tls.c: the tls.* verdicts: how far the TLS handshake got, and who gave up. */
#include <stddef.h>
#include <string.h>

#include "tls.h"
#include "tls_cert.h"
#include "verdict.h"


struct tv {
	const struct conn *c;
	const struct tls_conn *t;
	const struct tls_client_hello *ch;
	int cert_bad;                           /* problems found, or not (all) checked */
	int cert_unchecked;                     /* sent in clear, and not (all) checked: what it hides is unknown */
	struct verdict *v;
};

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
	/* (stream offset 0 is the byte after the client's ISN) */
	const struct endpoint *cl = &x->c->ep[DIR_CLIENT];
	uint32_t acked = x->c->ack_hi[DIR_SERVER] - cl->isn - 1;
	x->v->tls.ch_acked = cl->isn_set && x->c->ack_set[DIR_SERVER] && t->ch_end < ((uint64_t)1 << 31) &&
			     acked >= t->ch_end && acked < ((uint32_t)1 << 31);
}

static void v_client_rejected(struct tv *x, const struct tls_alert *a, int enc, const char *how)
{
	set_kind(x, VK_TLS_CLIENT_REJECTED, "tls.client_rejected_server");
	x->v->tls.has_alert = a != NULL;
	if (a != NULL)
		x->v->tls.alert = *a;
	x->v->tls.enc = (uint8_t)enc;
	x->v->tls.how = how;
	x->v->tls.keys_confirm = enc && a == NULL && tls_decrypted(x->t) == NULL;
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
	/* TLS 1.3 selects it in the EncryptedExtensions: known when decrypted */
	const struct tls_decrypted *d = tls_decrypted(t);
	if (x->v->tls.alpn == NULL && d != NULL && d->has_alpn) {
		x->v->tls.alpn = d->alpn.name;
		x->v->tls.alpn_len = d->alpn.len;
	}
	/* TLS 1.3 without both Finished decrypted: inferred from the encrypted records' sizes */
	x->v->tls.keys_confirm = tls_version_is_13(tls_version(t)) && d == NULL;
}

/* An alert whose description is hidden: TLS 1.2's encrypted alert record, or TLS 1.3's
 * probable one (inferred from a record's size). */
static void v_hidden_alert(struct tv *x, int dir, int64_t ts, int inferred)
{
	set_kind(x, VK_TLS_HIDDEN_ALERT, "tls.alert");
	x->v->tls.dir = (uint8_t)dir;
	x->v->tls.alert.ts = ts;
	x->v->tls.inferred = (uint8_t)inferred;
	x->v->tls.keys_confirm = tls_decrypted(x->t) == NULL;   /* (a decrypted alert is named: v_alert) */
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
	set_kind(x, VK_TLS_INCOMPLETE, "tls.incomplete");
	x->v->tls.what = what;
	for (int dir = 0; dir < 2; dir++) {
		struct verdict_gap *g = &x->v->tls.gap[dir];
		int k = reasm_gap(x->t->rs[dir], &g->from, &g->to);
		g->kind = k == REASM_GAP_HOLE ? VGAP_HOLE : k == REASM_GAP_DROPPED ? VGAP_NOT_KEPT : VGAP_NONE;
	}
}

/*
 * Whether an alert can be what ended the handshake. A fatal one, one whose
 * level is hidden (encrypted), close_notify and user_canceled can; a
 * warning (RFC 5246 7.2: e.g. unrecognized_name(112) before a ServerHello)
 * is not the end when the handshake went on past it: it completed, or the
 * server's ServerHello came with or after the server's warning. Such a warning is a
 * finding on whatever verdict the rest of the handshake earns. (A TLS 1.3
 * peer treats every alert but those two as fatal, whatever its level: then
 * the handshake does not go on, and the warning is the end.)
 */
/* Its level and description are known: sent in clear, or decrypted. */
static int alert_known(const struct tls_alert *a)
{
	return !a->encrypted || a->decrypted;
}

static int alert_ends(const struct tls_conn *t, const struct tls_alert *a)
{
	/* decrypted, after both Finished: a close_notify or a warning closes a connection that
	 * was made (a fatal alert then still ends it: e.g. TLS 1.3's certificate_required) */
	if (a->decrypted && (a->desc == 0 || a->level == 1) && tls_established(t))
		return 0;
	if (!alert_known(a) || a->level != 1 || a->desc == 0 || a->desc == 90)
		return 1;
	if (tls_established(t))
		return 0;
	return !(a->from == 1 && t->sh != NULL && t->sh_frame >= a->frame);
}

/* The first alert a side sent that can have ended the handshake (in clear, or an
 * encrypted one whose record type shows). */
static const struct tls_alert *first_alert(const struct tls_conn *t, int dir)
{
	for (uint8_t i = 0; i < t->nalerts; i++)
		if (t->alerts[i].from == dir && alert_ends(t, &t->alerts[i]))
			return &t->alerts[i];
	return NULL;
}

/* What the reports show of the connection's TLS, whatever its verdict. */
static void tls_seen_facts(const struct conn *c, const struct tls_conn *t, struct verdict_tls_seen *s)
{
	const char *how;

	for (int dir = 0; dir < 2; dir++) {
		/* side dir's probable TLS 1.3 encrypted alert: a short last record, then its close */
		const struct tls_rec_note *n = closed_by(c, dir, &how) ? tls_short_last_record(t, dir) : NULL;
		s->probable[dir] = n != NULL;
		s->probable_frame[dir] = n != NULL ? n->frame : 0;
		s->probable_ts[dir] = n != NULL ? n->ts : 0;
	}
	s->established = tls_established(t) && !s->probable[0] && !s->probable[1];
}

static void v_cert_unchecked(struct tv *x)
{
	set_kind(x, VK_TLS_CERT_UNCHECKED, "tls.certificate");
	x->v->tls.cipher = x->t->sh->cipher_suite;
}

/* The client gave up, and the certificate it saw has problems we can name. */
static void v_certificate(struct tv *x, const struct tls_alert *a, const char *how)
{
	set_kind(x, VK_TLS_CERTIFICATE, "tls.certificate");
	x->v->tls.has_alert = a != NULL;
	if (a != NULL)
		x->v->tls.alert = *a;
	x->v->tls.how = how;
}

/* The side whose handshake bytes came in conflicting copies (the client's first), or -1. */
static int ambiguous_side(const struct tls_conn *t, const struct verdict_conflicts *st)
{
	for (int d = 0; d < 2; d++)
		if ((reasm_flags(t->rs[d]) & REASM_CONFLICT) && st[d].n > 0 && st[d].low < t->side[d].evid_end)
			return d;
	return -1;
}

/*
 * The policy for overlaps: reassembly keeps the first copy of every byte (as
 * most stacks do) and counts a later copy that differs. Where that is within
 * the bytes the handshake was read from, which copy the receiver kept is not
 * known, so the handshake read here may not be the one the ends saw: never ok.
 */
static void v_ambiguous(struct tv *x, int dir)
{
	set_kind(x, VK_TLS_AMBIGUOUS, "tls.ambiguous");
	x->v->tls.dir = (uint8_t)dir;
}

/* Bytes that break TLS's own rules, found where the verdict would otherwise rest on them. */
static int malformed(const struct tls_conn *t, int established, int *dir)
{
	for (int d = 0; t->odd && d < 2; d++) {
		*dir = d;
		if (t->side[d].bad == TLS_BAD_RECORD)
			return VMAL_RECORD;
	}
	for (int d = 0; t->odd && d < 2; d++) {
		*dir = d;
		/* a Certificate that large is a limit of ours (the chain is not checked), not a fault */
		if (t->side[d].hs_cut > 0 && (t->side[d].cut.type != TLS_HS_CERTIFICATE || d == 0))
			return VMAL_MESSAGE;
	}
	if (established) {
		*dir = 0;
		if (t->ch_status == TLS_HELLO_INVALID || (t->ch2 != NULL && t->ch2_status == TLS_HELLO_INVALID))
			return VMAL_HELLO;
		*dir = 1;
		if (t->sh_status == TLS_HELLO_INVALID)
			return VMAL_HELLO;
	}
	return VMAL_NONE;
}

static void v_malformed(struct tv *x, int what, int dir)
{
	const struct tls_conn *t = x->t;
	const struct tls_side *s = &t->side[dir];
	struct verdict_malformed_facts *m = &x->v->tls.mal;

	set_kind(x, VK_TLS_MALFORMED, "tls.malformed");
	x->v->tls.dir = (uint8_t)dir;
	m->what = (uint8_t)what;
	if (what == VMAL_RECORD) {
		memcpy(m->hdr, s->bad_hdr, sizeof(m->hdr));
		m->off = s->bad_off;
		m->frame = s->bad_frame;
	} else if (what == VMAL_MESSAGE) {
		m->msg_type = s->cut.type;
		m->msg_declared = s->cut.declared;
	} else {
		m->error = dir == 0 ? (t->ch_status == TLS_HELLO_INVALID ? t->ch->error : t->ch2->error)
				    : t->sh->error;
	}
}

/* Both Finished came and no side gave up: ok only on evidence that nothing of ours or of the
 * bytes' could have changed; a certificate's problems the client accepted are noted. */
static void v_done(struct tv *x)
{
	const struct tls_conn *t = x->t;
	int amb, mal, mdir = 0;

	if ((amb = ambiguous_side(t, x->v->tls.conflicts)) >= 0)
		v_ambiguous(x, amb);
	else if ((mal = malformed(t, 1, &mdir)) != VMAL_NONE)
		v_malformed(x, mal, mdir);
	else if (x->cert_unchecked)
		v_cert_unchecked(x);
	else
		v_established(x);
	if (x->cert_bad && !x->cert_unchecked)
		x->v->tls.cert_note = x->v->ok ? VCN_ACCEPTED : VCN_ALSO;
}

/* The ServerHello came, the handshake did not finish: who gave up, and how. */
static void v_after_server_hello(struct tv *x, const struct tls_alert *sa, const struct tls_alert *ca)
{
	const struct verdict_tls_seen *seen = &x->v->seen;
	const struct tls_conn *t = x->t;
	const char *how = NULL;
	int client_closed = closed_by(x->c, 0, &how);
	int server_flight = t->side[1].enc_records > 0 ||
			    (t->side[1].hs_seen & TLS_HS_BIT(TLS_HS_CERTIFICATE));

	if (seen->probable[0] || (client_closed && t->side[0].enc_records == 0 && server_flight)) {
		if (x->cert_bad)
			v_certificate(x, NULL, how);
		else
			v_client_rejected(x, NULL, seen->probable[0], how);
	} else if (seen->probable[1]) {
		v_hidden_alert(x, 1, seen->probable_ts[1], 1);
	} else if (sa != NULL || ca != NULL) {
		const struct tls_alert *a = sa != NULL ? sa : ca;
		v_hidden_alert(x, a->from, a->ts, 0);
	} else {
		v_incomplete(x, "the ServerHello came, but not both Finished messages");
	}
}

/* No ServerHello: closed, silent, not all in the capture, or a stream that broke the rules. */
static void v_no_answer(struct tv *x, int mal, int mdir, int64_t end)
{
	const struct tls_conn *t = x->t;
	const char *how = NULL;
	uint64_t gap_from, gap_to;

	/* the server did answer, but its first bytes are not in the capture: neither a
	 * close without an answer nor silence can be claimed */
	if (t->side[1].records == 0 && reasm_gap(t->rs[1], &gap_from, &gap_to) != REASM_GAP_NONE)
		v_incomplete(x, "the server's first bytes (its answer to the ClientHello) are missing "
				"from the capture");
	else if (t->side[1].records == 0 && closed_by(x->c, 1, &how))
		v_closed_after_ch(x, how);
	else if (t->side[1].records == 0 && (end - t->ch_ts >= 1000000000 || closed_by(x->c, 0, &how)))
		v_no_server_hello(x, end);
	else if (mal != VMAL_NONE)
		v_malformed(x, mal, mdir);
	else
		v_incomplete(x, t->ch_status == TLS_HELLO_TRUNCATED ? "the ClientHello is cut short"
								    : "no ServerHello yet when the capture ends");
}

/* The client's side went wrong before the server's answer counts: 1 and the verdict, else 0. */
static int v_client_side(struct tv *x)
{
	const struct tls_conn *t = x->t;

	if (x->ch == NULL && (t->side[0].mode == TLS_MODE_RECORDS || t->side[0].mode == TLS_MODE_SSLV2))
		v_incomplete(x, t->side[0].hs_len > 0 || t->side[0].hs_skip > 0
					? "the ClientHello is not complete in the capture"
					: "the client's first TLS record is not complete in the capture");
	else if (x->ch == NULL && t->side[0].bad == TLS_BAD_RECORD)
		v_malformed(x, VMAL_RECORD, 0);
	else if (x->ch == NULL)
		v_not_tls(x, 0);         /* the client spoke plaintext, the server TLS */
	else if (t->side[1].mode == TLS_MODE_PLAIN)
		v_not_tls(x, 1);
	else
		return 0;
	return 1;
}

/* The server answered in SSL 2.0 (RFC 6176 prohibits it): that is the verdict, whatever came next. */
static void v_sslv2(struct tv *x)
{
	const char *how = NULL;

	set_kind(x, VK_TLS_SSLV2, "tls.sslv2");
	x->v->tls.how = closed_by(x->c, 0, &how) ? how : NULL;
}

static void decide(struct tv *x, int64_t end)
{
	const struct tls_conn *t = x->t;
	const struct tls_alert *sa = first_alert(t, 1), *ca = first_alert(t, 0);
	const struct verdict_tls_seen *seen = &x->v->seen;
	int mal, mdir = 0;

	if (v_client_side(x))
		return;
	if (t->v2 != NULL) {
		v_sslv2(x);
		return;
	}
	if (sa != NULL && alert_known(sa) && (ca == NULL || !alert_known(ca) || sa->ts <= ca->ts)) {
		v_alert(x, sa);
		return;
	}
	/* a server stream that broke TLS's rules explains the client's alert or close after it */
	if (t->side[1].bad == TLS_BAD_RECORD) {
		v_malformed(x, VMAL_RECORD, 1);
		return;
	}
	if (ca != NULL && alert_known(ca)) {
		if (t->sh != NULL && x->cert_bad)
			v_certificate(x, ca, NULL);
		else if (t->sh != NULL)
			v_client_rejected(x, ca, 0, NULL);
		else
			v_alert(x, ca);
		return;
	}
	if (seen->established) {
		v_done(x);
		return;
	}
	/* a stream that broke TLS's rules explains more than what the peer did next */
	if ((mal = malformed(t, 0, &mdir)) != VMAL_NONE && (t->sh != NULL || mdir == 1))
		v_malformed(x, mal, mdir);
	else if (t->sh != NULL)
		v_after_server_hello(x, sa, ca);
	else
		v_no_answer(x, mal, mdir, end);
}

/* The client's first bytes never arrived while later ones did: nothing above TCP could start. */
static int v_missing_start(struct tv *x)
{
	const struct tls_conn *t = x->t;
	struct verdict_gap *g = &x->v->tls.gap[0];

	if (reasm_gap(t->rs[0], &g->from, &g->to) != REASM_GAP_HOLE || g->from != 0 ||
	    t->side[1].mode != TLS_MODE_NONE)
		return 0;
	g->kind = VGAP_HOLE;
	set_kind(x, VK_TLS_MISSING_START, "tls.incomplete");
	return 1;
}

/* The facts every tls.* verdict's words may draw on. */
static void tls_facts(const struct conn *c, const struct tls_conn *t, struct verdict_tls_facts *f)
{
	memset(f, 0, offsetof(struct verdict_tls_facts, cert));   /* (cert's items: only below n) */
	f->cert.flags = 0;
	f->cert.n = f->cert.total = 0;
	f->ch = t->ch;
	f->v2 = t->v2;
	f->ch_ts = t->ch_ts;
	f->sh_seen = t->sh != NULL;
	f->dec = tls_decrypted(t);
	f->cert_request = t->cert_request || (f->dec != NULL && f->dec->cert_request);
	f->version = tls_version(t);
	f->server_port = c->f.port[DIR_SERVER];
	f->hs_done = (uint8_t)tls_established(t);
	/* a retransmission that carried other bytes than the original is a finding of its own */
	for (int dir = 0; dir < 2; dir++) {
		struct reasm_stats st;
		reasm_stats(t->rs[dir], &st);
		f->conflicts[dir].n = st.conflicts;
		f->conflicts[dir].frame = st.conflict_frame;
		f->conflicts[dir].off = st.conflict_off;
		f->conflicts[dir].low = st.conflict_low;
	}
}

int verdict_tls(const struct conn *c, int64_t capture_end, struct verdict *v)
{
	struct tv x;
	struct tls_conn *t = conn_tls(c);

	if (t == NULL)
		return 0;
	tls_seen_facts(c, t, &v->seen);
	verdict_tcp_facts(c, capture_end, &v->tcp);
	int missing = !tls_seen(t) && t->side[0].mode == TLS_MODE_NONE;
	/* (a client whose first record cannot be is a TLS fault when the server answered in TLS) */
	if (!missing && (!tls_seen(t) || (t->ch == NULL && t->side[0].mode != TLS_MODE_PLAIN &&
					  t->side[0].bad != TLS_BAD_RECORD)))
		return 0;
	memset(&x, 0, sizeof(x));
	x.c = c;
	x.t = t;
	x.ch = t->ch;
	x.v = v;
	v->code = NULL;
	v->layer = "tls";
	v->ok = 0;

	v->cut = VCUT_NONE;
	memset(&v->frag, 0, sizeof(v->frag));
	v->hint.first_line = NULL;
	tls_facts(c, t, &v->tls);
	verdict_set_point(v, verdict_capture_point(c), 0);
	const struct tls_cert_chain *chain = tls_certificates(t, &v->tls.cert);
	v->tls.chain_kept = chain != NULL;
	x.cert_unchecked = chain != NULL ? (v->tls.cert.flags & TLS_CERT_F_UNCHECKED) != 0
					 : (t->side[1].hs_seen & TLS_HS_BIT(TLS_HS_CERTIFICATE)) != 0;
	x.cert_bad = (chain != NULL && (v->tls.cert.flags & TLS_CERT_F_PROBLEMS)) || x.cert_unchecked;
	if (missing)
		return v_missing_start(&x);
	decide(&x, capture_end);
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
