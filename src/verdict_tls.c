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
	struct verdict *v;
	struct line sum, why, next;
};

/* An untrusted string of the capture, quoted and escaped. */
static void quoted(struct line *l, const void *p, size_t n)
{
	ln_chr(l, '"');
	ln_escaped(l, p, n);
	ln_chr(l, '"');
}

static void version_name(struct line *l, uint16_t v)
{
	char b[TLS_NAME_BUFSZ];
	ln_str(l, tls_name_or_hex(tls_version_name(v), v, b));
}

/* "TLS 1.3, TLS 1.2": a list of 16-bit values by name, GREASE left out, at most max of them. */
static void name_list(struct line *l, const uint16_t *v, size_t n, size_t total,
		      const char *(*name)(uint16_t), size_t max)
{
	size_t shown = 0, grease = 0;
	char b[TLS_NAME_BUFSZ];

	for (size_t i = 0; i < n; i++) {
		if (tls_is_grease(v[i])) {
			grease++;
			continue;
		}
		if (shown == max)
			continue;
		if (shown++)
			ln_lit(l, ", ");
		ln_str(l, tls_name_or_hex(name(v[i]), v[i], b));
	}
	if (total - grease > shown) {
		ln_lit(l, " and ");
		ln_u64(l, total - grease - shown);
		ln_lit(l, " more");
	}
	if (shown == 0 && total == grease)
		ln_lit(l, "none");
}

/* The versions the ClientHello offered: supported_versions, else its legacy version. */
static void offered_versions(struct line *l, const struct tls_client_hello *ch)
{
	if (ch->has_supported_versions)
		name_list(l, ch->versions, ch->n_versions, ch->versions_total, tls_version_name, 8);
	else
		version_name(l, ch->legacy_version);
}

static int only_tls13(const struct tls_client_hello *ch)
{
	int n = 0;
	if (!ch->has_supported_versions)
		return 0;
	for (size_t i = 0; i < ch->n_versions; i++) {
		if (tls_is_grease(ch->versions[i]))
			continue;
		if (ch->versions[i] != V_TLS13)
			return 0;
		n++;
	}
	return n > 0;
}

static void sni_phrase(struct line *l, const struct tls_client_hello *ch)
{
	if (ch->sni_len == 0) {
		ln_lit(l, "no server name (SNI)");
		return;
	}
	ln_lit(l, "server name ");
	quoted(l, ch->sni, ch->sni_len < TLS_HELLO_SNI_LEN ? ch->sni_len : TLS_HELLO_SNI_LEN);
	if (ch->sni_is_ech_public)
		ln_lit(l, " (with ECH: the outer, public name, the real one encrypted, unless the ECH "
			  "is GREASE)");
}

/* What one alert means, tied to what the ClientHello offered. */
static void alert_meaning(struct tv *x, const struct tls_alert *a)
{
	const struct tls_client_hello *ch = x->ch;
	struct line *w = &x->why;

	if (a->from == 1 && x->t->cert_request && (a->desc == 40 || a->desc == 42 || a->desc == 116)) {
		ln_lit(w, "The server had asked for a client certificate (CertificateRequest) and did not "
			  "get one it accepts. ");
		ln_lit(&x->next, "Configure the client with a certificate the server trusts (mutual TLS), "
				 "or check the server's list of accepted client CAs.");
		return;
	}
	switch (a->desc) {
	case 70: /* protocol_version */
		if (ch != NULL && only_tls13(ch)) {
			ln_lit(w, "The client offered only TLS 1.3: the server accepts none of the offered "
				  "versions (it likely stops at TLS 1.2). ");
		} else if (ch != NULL) {
			ln_lit(w, "The client offered ");
			offered_versions(w, ch);
			ln_lit(w, ": the server accepts none of them. ");
		}
		ln_lit(&x->next, "Compare the versions the client offers with the server's configuration "
				 "(minimum and maximum protocol version on both ends).");
		return;
	case 40: /* handshake_failure */
	case 71: /* insufficient_security */
		if (ch != NULL) {
			ln_lit(w, "Most often no cipher suite or group in common. The client offered ");
			ln_u64(w, ch->cipher_suites_total);
			ln_lit(w, " cipher suites (");
			name_list(w, ch->cipher_suites, ch->n_cipher_suites, ch->cipher_suites_total,
				  tls_cipher_name, 6);
			ln_lit(w, ") and the groups ");
			name_list(w, ch->groups, ch->n_groups, ch->groups_total, tls_group_name, 6);
			ln_lit(w, ". ");
		}
		ln_lit(&x->next, "Compare the client's cipher suites and groups with what the server "
				 "allows (e.g. openssl s_client -cipher / -groups against it).");
		return;
	case 112: /* unrecognized_name */
		ln_lit(w, "The server does not know the ");
		if (ch != NULL)
			sni_phrase(w, ch);
		else
			ln_lit(w, "server name");
		ln_lit(w, " the client asked for. ");
		ln_lit(&x->next, "Check the name the client uses against the server's virtual hosts or "
				 "certificates (SNI routing on a load balancer or proxy).");
		return;
	case 116: /* certificate_required */
	case 42:  /* bad_certificate */
		if (a->from == 1 && (x->t->cert_request || a->desc == 116)) {
			ln_lit(w, "The server asked for a client certificate");
			ln_str(w, x->t->cert_request ? " (CertificateRequest)" : "");
			ln_lit(w, " and did not get one it accepts. ");
			ln_lit(&x->next, "Configure the client with a certificate the server trusts "
					 "(mutual TLS), or check the server's client-CA list.");
			return;
		}
		break;
	default:
		break;
	}
	ln_lit(&x->next, "Read the alert's meaning (RFC 8446 6.2) and the ");
	ln_str(&x->next, verdict_side_name(a->from));
	ln_lit(&x->next, "'s TLS logs for this time.");
}

static void v_alert(struct tv *x, const struct tls_alert *a)
{
	const char *name = tls_alert_name(a->desc);
	char b[TLS_NAME_BUFSZ];

	x->v->code = "tls.alert";
	ln_str(&x->sum, verdict_side_name(a->from));
	ln_lit(&x->sum, " sent ");
	ln_str(&x->sum, a->level == 1 ? "warning" : a->level == 2 ? "fatal" : "level ");
	if (a->level != 1 && a->level != 2)
		ln_u64(&x->sum, a->level);
	ln_lit(&x->sum, " alert ");
	ln_str(&x->sum, name ? name : tls_name_or_hex(NULL, a->desc, b));
	ln_chr(&x->sum, '(');
	ln_u64(&x->sum, a->desc);
	ln_chr(&x->sum, ')');
	if (x->ch != NULL) {
		ln_chr(&x->sum, ' ');
		vt_ms3(&x->sum, a->ts - x->t->ch_ts);
		ln_lit(&x->sum, " ms after the ClientHello");
	}
	ln_lit(&x->why, "The ");
	ln_str(&x->why, verdict_side_name(a->from));
	ln_lit(&x->why, " ended the handshake with an alert in clear text");
	if (x->t->sh == NULL)
		ln_lit(&x->why, ", before any ServerHello");
	ln_lit(&x->why, ". ");
	alert_meaning(x, a);
	ln_lit(&x->why, "This capture point proves the alert came from the ");
	ln_str(&x->why, verdict_side_name(a->from));
	ln_lit(&x->why, "'s address; a TLS proxy on the way would look the same.");
}

static void v_not_tls(struct tv *x, int dir)
{
	const struct tls_side *s = &x->t->side[dir];

	x->v->code = "tls.not_tls";
	if (dir == 1) {
		ln_lit(&x->sum, "the server answered the ClientHello with non-TLS bytes: ");
		quoted(&x->sum, s->first_line, s->first_line_len);
		ln_lit(&x->why, "The client started TLS, but the first bytes from the server are not a "
				"TLS record: a plaintext service (HTTP, SSH, SMTP, ...) listens on port ");
		ln_u64(&x->why, x->c->ep[DIR_SERVER].port);
		ln_lit(&x->why, ", or a proxy answered in its own protocol.");
		ln_lit(&x->next, "Check which service listens on that port and whether the client "
				 "should speak plaintext (or STARTTLS) to it.");
	} else {
		ln_lit(&x->sum, "the client sent non-TLS bytes to a TLS server: ");
		quoted(&x->sum, s->first_line, s->first_line_len);
		ln_lit(&x->why, "The client spoke plaintext where the server expects TLS (the server "
				"answered with TLS records). A URL with http:// for an https:// service, "
				"or a wrong port.");
		ln_lit(&x->next, "Make the client use TLS for this port (https://, or the TLS option of "
				 "its library).");
	}
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

static void ch_summary(struct line *l, const struct tls_client_hello *ch)
{
	ln_lit(l, "The ClientHello (");
	ln_u64(l, ch->size);
	ln_lit(l, " bytes, ");
	sni_phrase(l, ch);
	ln_lit(l, ", versions ");
	offered_versions(l, ch);
	ln_lit(l, ") ");
}

static void v_closed_after_ch(struct tv *x, const char *how)
{
	x->v->code = "tls.closed_after_client_hello";
	ln_lit(&x->sum, "the server closed the connection (");
	ln_str(&x->sum, how);
	ln_lit(&x->sum, ") after the ClientHello, without a TLS answer");
	ch_summary(&x->why, x->ch);
	ln_lit(&x->why, "reached the server's side, which closed without a ServerHello or an alert. "
			"Servers do this when the name matches no virtual host, a policy rejects the "
			"client (SNI filtering, address), or the port belongs to another service. ");
	ln_lit(&x->next, "Check the server's TLS configuration for this ");
	ln_str(&x->next, x->ch->sni_len ? "server name" : "client (no SNI was sent)");
	ln_lit(&x->next, " and its logs; a middlebox (SNI filter) can close on its behalf, so "
			 "capture at the server to tell.");
}

static void v_no_server_hello(struct tv *x, int64_t end)
{
	struct reasm_span sp;
	const struct tls_conn *t = x->t;

	reasm_span(&t->side[0].rs, t->ch_start, t->ch_end, &sp);
	x->v->code = "tls.no_server_hello";
	ln_lit(&x->sum, "no answer to the ClientHello for ");
	vt_sec3(&x->sum, end - t->ch_ts);
	ln_lit(&x->sum, " s");
	ch_summary(&x->why, x->ch);
	ln_lit(&x->why, "left this capture point and nothing came back: no ServerHello, no alert, no "
			"close. ");
	if (sp.segments >= 2 && sp.retrans > 0) {
		ln_lit(&x->why, "It spanned ");
		ln_u64(&x->why, sp.segments - sp.retrans);
		ln_lit(&x->why, " TCP segments and was retransmitted ");
		ln_u64(&x->why, sp.retrans);
		ln_lit(&x->why, " time");
		vt_plural(&x->why, sp.retrans);
		ln_lit(&x->why, ", while the TCP handshake's small packets got through: the signature of a "
				"path that drops large packets (a path-MTU black hole, or a middlebox choking "
				"on large post-quantum ClientHellos). ");
		ln_lit(&x->next, "Clamp the MSS on the path (or lower the MTU) and retry; compare with a "
				 "client that sends a smaller ClientHello (no post-quantum key share); a "
				 "capture at the server shows whether the large segments arrive.");
	} else {
		ln_lit(&x->why, "The server (or a device before it) accepted the TCP connection but never "
				"answered in TLS: an overloaded or hung TLS service, or a middlebox that "
				"swallows the ClientHello. ");
		ln_lit(&x->next, "Capture at the server side: a ClientHello arriving there points at the "
				 "server's TLS service; one missing points at the path.");
	}
}

static void v_client_rejected(struct tv *x, const struct tls_alert *a, const struct tls_rec_note *enc,
			      const char *how)
{
	char b[TLS_NAME_BUFSZ];

	x->v->code = "tls.client_rejected_server";
	ln_lit(&x->sum, "the client gave up after the server's ");
	ln_str(&x->sum, tls_version(x->t) == V_TLS13 ? "flight" : "certificate flight");
	if (a != NULL && !a->encrypted) {
		ln_lit(&x->sum, ": alert ");
		ln_str(&x->sum, tls_name_or_hex(tls_alert_name(a->desc), a->desc, b));
		ln_chr(&x->sum, '(');
		ln_u64(&x->sum, a->desc);
		ln_chr(&x->sum, ')');
	} else if (enc != NULL) {
		ln_lit(&x->sum, ": a probable encrypted alert, then ");
		ln_str(&x->sum, how);
	} else {
		ln_lit(&x->sum, ": ");
		ln_str(&x->sum, how);
	}
	ln_lit(&x->why, "The server answered with its hello and certificate flight; the client then ");
	if (a != NULL && !a->encrypted)
		ln_lit(&x->why, "sent a fatal alert instead of finishing the handshake. ");
	else if (enc != NULL)
		ln_lit(&x->why, "sent one short encrypted record (the size of an encrypted alert) and "
				"closed, instead of finishing: an inference from record sizes, not a decrypted "
				"alert. ");
	else
		ln_lit(&x->why, "closed instead of finishing the handshake. ");
	ln_lit(&x->why, "Most likely the client did not trust the server's certificate (unknown CA, "
			"expired, wrong name). ");
	ln_lit(&x->next, "Check the server's certificate chain and name against the client's trust "
			 "store (openssl s_client -connect host:port -servername name).");
}

static void v_established(struct tv *x)
{
	const struct tls_conn *t = x->t;
	char b[TLS_NAME_BUFSZ];

	x->v->code = t->hrr ? "tls.hello_retry" : "tls.established";
	x->v->ok = 1;
	ln_str(&x->sum, t->hrr ? "TLS established after a HelloRetryRequest: " : "TLS established: ");
	version_name(&x->sum, tls_version(t));
	ln_lit(&x->sum, ", ");
	ln_str(&x->sum, tls_name_or_hex(tls_cipher_name(t->sh->cipher_suite), t->sh->cipher_suite, b));
	if (t->sh->has_alpn) {
		ln_lit(&x->sum, ", ALPN ");
		ln_escaped(&x->sum, t->sh->alpn.name,
			   t->sh->alpn.len < TLS_HELLO_ALPN_LEN ? t->sh->alpn.len : TLS_HELLO_ALPN_LEN);
	}
	ln_lit(&x->why, "Both sides finished the TLS handshake at this capture point");
	if (x->ch != NULL) {
		ln_lit(&x->why, " (ServerHello ");
		vt_ms3(&x->why, t->sh_ts - t->ch_ts);
		ln_lit(&x->why, " ms after the ClientHello)");
	}
	ln_lit(&x->why, ". ");
	if (t->hrr) {
		char g[TLS_NAME_BUFSZ];
		ln_lit(&x->why, "The server first asked for another key share (HelloRetryRequest, group ");
		ln_str(&x->why, tls_name_or_hex(tls_group_name(t->hrr_group), t->hrr_group, g));
		ln_lit(&x->why, "): one extra round trip, not a failure. ");
	}
	ln_str(&x->next, t->hrr ? "To save the round trip, let the client send a key share for the "
				  "group the server prefers."
				: "TLS is healthy here; if the application still fails, look at the "
				  "application protocol above TLS.");
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
		int g = reasm_gap(&x->t->side[dir].rs, &from, &to);
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
	if (c->tls == NULL || !closed_by(c, dir, &how))
		return NULL;
	return tls_short_last_record(c->tls, dir);
}

/* An alert whose description is hidden: TLS 1.2's encrypted alert record, or TLS 1.3's
 * probable one (inferred from a record's size). */
static void v_hidden_alert(struct tv *x, int dir, int64_t ts, int inferred)
{
	x->v->code = "tls.alert";
	ln_str(&x->sum, verdict_side_name(dir));
	ln_str(&x->sum, inferred ? " sent a probable encrypted alert" : " sent an encrypted alert");
	if (x->ch != NULL) {
		ln_chr(&x->sum, ' ');
		vt_ms3(&x->sum, ts - x->t->ch_ts);
		ln_lit(&x->sum, " ms after the ClientHello");
	}
	ln_lit(&x->why, "The handshake did not finish: the ");
	ln_str(&x->why, verdict_side_name(dir));
	if (inferred)
		ln_lit(&x->why, " sent one encrypted record of an alert's size and closed. This is an "
				"inference from record sizes: the alert itself is encrypted. ");
	else
		ln_lit(&x->why, " sent an alert record after its ChangeCipherSpec: its description is "
				"encrypted. ");
	if (dir == 1 && x->t->cert_request)
		ln_lit(&x->why, "The server had asked for a client certificate (CertificateRequest). ");
	else if (dir == 1 && tls_version(x->t) == V_TLS13)
		ln_lit(&x->why, "A TLS 1.3 server that gives up after the client's Finished most often "
				"rejects the client's certificate (certificate_required, bad_certificate). ");
	ln_lit(&x->next, "Read the ");
	ln_str(&x->next, verdict_side_name(dir));
	ln_lit(&x->next, "'s TLS logs for this time; with the session keys (SSLKEYLOGFILE) the alert "
			 "can be decrypted.");
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
	ln_lit(l, ". ");
}

/* The client gave up, and the certificate it saw has problems we can name. */
static void v_certificate(struct tv *x, const struct tls_alert *a, const char *how)
{
	char b[TLS_NAME_BUFSZ];
	const struct tls_cert_findings *f = &x->cert;

	x->v->code = "tls.certificate";
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
	else
		ln_lit(&x->sum, "could not be read");
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

static void decide(struct tv *x, int64_t end)
{
	const struct tls_conn *t = x->t;
	const struct tls_alert *sa = first_alert(t, 1), *ca = first_alert(t, 0);
	const struct tls_rec_note *pc = tls_probable_alert(x->c, 0), *ps = tls_probable_alert(x->c, 1);
	int established = tls_established(t) && pc == NULL && ps == NULL;
	const char *how = NULL;

	if (x->ch == NULL && (t->side[0].mode == TLS_MODE_RECORDS || t->side[0].mode == TLS_MODE_SSLV2)) {
		v_incomplete(x, "the client's first TLS record is not complete in the capture");
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
	int cert_bad = x->chain != NULL && (x->cert.flags & TLS_CERT_F_PROBLEMS);
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
		v_established(x);
		if (cert_bad) {
			ln_lit(&x->why, "The server's certificate has problems this client accepted: ");
			cert_problems(&x->why, &x->cert);
		}
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
	if (t->side[1].records == 0 && closed_by(x->c, 1, &how)) {
		v_closed_after_ch(x, how);
		return;
	}
	if (t->side[1].records == 0 && (end - t->ch_ts >= 1000000000 || closed_by(x->c, 0, &how))) {
		v_no_server_hello(x, end);
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

	if (reasm_gap(&t->side[0].rs, &from, &to) != REASM_GAP_HOLE || from != 0 ||
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
		reasm_stats(&x->t->side[dir].rs, &st);
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

int verdict_tls(const struct conn *c, int64_t capture_end, struct verdict *v)
{
	struct tv x;

	if (c->tls == NULL)
		return 0;
	int missing = !tls_seen(c->tls) && c->tls->side[0].mode == TLS_MODE_NONE;
	if (!missing && (!tls_seen(c->tls) || (c->tls->ch == NULL && c->tls->side[0].mode != TLS_MODE_PLAIN)))
		return 0;
	memset(&x, 0, sizeof(x));
	x.c = c;
	x.t = c->tls;
	x.ch = c->tls->ch;
	x.chain = tls_certificates(c->tls, &x.cert);
	x.v = v;
	v->code = NULL;
	v->layer = "tls";
	v->ok = 0;
	ln_init(&x.sum, v->summary, sizeof(v->summary) - 1);
	ln_init(&x.why, v->explanation, sizeof(v->explanation) - 1);
	ln_init(&x.next, v->next_step, sizeof(v->next_step) - 1);
	if (missing) {
		if (!v_missing_start(&x))
			return 0;
	} else {
		decide(&x, capture_end);
	}
	stream_findings(&x);
	while (x.why.len > 0 && x.why.buf[x.why.len - 1] == ' ')
		x.why.len--;
	ln_lit(&x.why, " Capture point: ");
	ln_str(&x.why, verdict_capture_point(c));
	ln_chr(&x.why, '.');
	v->summary_len = vt_finish(&x.sum);
	v->explanation_len = vt_finish(&x.why);
	v->next_step_len = vt_finish(&x.next);
	return 1;
}

void verdict_tls_hint(const struct conn *c, struct verdict *v)
{
	const struct tls_conn *t = c->tls;
	const char *how;
	struct line l;

	if (t == NULL || t->side[0].mode != TLS_MODE_PLAIN || t->side[1].mode != TLS_MODE_NONE ||
	    c->fin_first != 2 || !closed_by(c, 1, &how))
		return;
	ln_init(&l, v->explanation, sizeof(v->explanation) - 1);
	l.len = v->explanation_len;
	ln_lit(&l, " The client's first bytes were plaintext (");
	quoted(&l, t->side[0].first_line, t->side[0].first_line_len);
	ln_lit(&l, ") and the server closed first (");
	ln_str(&l, how);
	ln_lit(&l, ") without answering a byte: what a TLS server does with plaintext (OpenSSL "
		   "closes silently). If this port speaks TLS, the client must use TLS (https://).");
	v->explanation_len = vt_finish(&l);
}
