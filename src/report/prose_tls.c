/* prose_tls.c: the words of the tls.* verdicts, written from their facts. */
#include <string.h>

#include "prose.h"
#include "tls_names.h"
#include "vtext.h"

#define V_TLS13 0x0304

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

/* pre and a side's name: "the client" */
static void the_side(struct line *l, const char *pre, int dir)
{
	ln_str(l, pre);
	ln_str(l, verdict_side_name(dir));
}

/* "TLS 1.2, ECDHE-RSA-AES128-GCM-SHA256": the negotiated version and cipher suite. */
static void version_cipher(struct line *l, const struct verdict_tls_facts *f)
{
	char b[TLS_NAME_BUFSZ];

	version_name(l, f->version);
	ln_lit(l, ", ");
	ln_str(l, tls_name_or_hex(tls_cipher_name(f->cipher), f->cipher, b));
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
static void alert_meaning(const struct verdict_tls_facts *f, struct vtexts *t, const struct tls_alert *a)
{
	const struct tls_client_hello *ch = f->ch;
	struct line *w = &t->why;

	if (a->from == 1 && f->cert_request && (a->desc == 40 || a->desc == 42 || a->desc == 116)) {
		if (f->dec != NULL && f->dec->client_cert == 1)
			ln_lit(w, "The server had asked for a client certificate (CertificateRequest) and the "
				  "client sent none (an empty Certificate message, decrypted). ");
		else
			ln_lit(w, "The server had asked for a client certificate (CertificateRequest) and did not "
				  "get one it accepts. ");
		ln_lit(&t->next, "Configure the client with a certificate the server trusts (mutual TLS), "
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
		ln_lit(&t->next, "Compare the versions the client offers with the server's configuration "
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
		ln_lit(&t->next, "Compare the client's cipher suites and groups with what the server "
				 "allows (e.g. openssl s_client -cipher / -groups against it).");
		return;
	case 112: /* unrecognized_name */
		ln_lit(w, "The server does not know the ");
		if (ch != NULL)
			sni_phrase(w, ch);
		else
			ln_lit(w, "server name");
		ln_lit(w, " the client asked for. ");
		ln_lit(&t->next, "Check the name the client uses against the server's virtual hosts or "
				 "certificates (SNI routing on a load balancer or proxy).");
		return;
	case 120: /* no_application_protocol */
		if (ch != NULL && ch->n_alpn > 0) {
			ln_lit(w, "The client offered only ");
			for (uint8_t i = 0; i < ch->n_alpn; i++) {
				if (i > 0)
					ln_str(w, i + 1 == ch->n_alpn && ch->alpn_total == ch->n_alpn ? " and " : ", ");
				ln_escaped(w, ch->alpn[i].name,
					   ch->alpn[i].len < TLS_HELLO_ALPN_LEN ? ch->alpn[i].len : TLS_HELLO_ALPN_LEN);
			}
			if (ch->alpn_total > ch->n_alpn)
				ln_lit(w, " and more");
			ln_lit(w, " (ALPN): the server accepts none of it. ");
		} else {
			ln_lit(w, "The server requires an application protocol (ALPN) the client did not offer. ");
		}
		ln_lit(&t->next, "Make the client offer a protocol the server speaks (e.g. h2 where the "
				 "server speaks only HTTP/2), or configure the server to accept the client's.");
		return;
	case 116: /* certificate_required */
	case 42:  /* bad_certificate */
		if (a->from == 1 && (f->cert_request || a->desc == 116)) {
			ln_lit(w, "The server asked for a client certificate");
			ln_str(w, f->cert_request ? " (CertificateRequest)" : "");
			ln_lit(w, " and did not get one it accepts. ");
			ln_lit(&t->next, "Configure the client with a certificate the server trusts "
					 "(mutual TLS), or check the server's client-CA list.");
			return;
		}
		break;
	default:
		break;
	}
	ln_lit(&t->next, "Read the alert's meaning (RFC 8446 6.2) and the ");
	ln_str(&t->next, verdict_side_name(a->from));
	ln_lit(&t->next, "'s TLS logs for this time.");
}

/* What a key log would settle (f->keys_confirm): how to get one, one sentence. */
static void keylog_hint(struct line *l, const char *to)
{
	ln_lit(l, " Run with --keylog FILE to ");
	ln_str(l, to);
	ln_lit(l, " (a key log of this session: clients write one when SSLKEYLOGFILE=FILE is set).");
}

static void v_alert(const struct verdict_tls_facts *f, struct vtexts *t)
{
	const struct tls_alert *a = &f->alert;
	const char *name = tls_alert_name(a->desc);
	char b[TLS_NAME_BUFSZ];

	ln_str(&t->sum, verdict_side_name(a->from));
	ln_lit(&t->sum, " sent ");
	ln_str(&t->sum, a->level == 1 ? "warning" : a->level == 2 ? "fatal" : "level ");
	if (a->level != 1 && a->level != 2)
		ln_u64(&t->sum, a->level);
	ln_lit(&t->sum, " alert ");
	ln_str(&t->sum, name ? name : tls_name_or_hex(NULL, a->desc, b));
	ln_chr(&t->sum, '(');
	ln_u64(&t->sum, a->desc);
	ln_chr(&t->sum, ')');
	if (f->ch != NULL) {
		ln_chr(&t->sum, ' ');
		vt_ms3(&t->sum, a->ts - f->ch_ts);
		ln_lit(&t->sum, " ms after the ClientHello");
	}
	ln_lit(&t->why, "The ");
	ln_str(&t->why, verdict_side_name(a->from));
	if (a->decrypted) {
		ln_lit(&t->why, " ended the handshake with an encrypted alert, decrypted here with the key log "
				"(under its ");
		ln_str(&t->why, a->epoch == TLS_EPOCH_APPLICATION ? "application traffic keys)" : "handshake keys)");
	} else {
		ln_lit(&t->why, " ended the handshake with an alert in clear text");
	}
	if (!f->sh_seen)
		ln_lit(&t->why, ", before any ServerHello");
	ln_lit(&t->why, ". ");
	alert_meaning(f, t, a);
	ln_lit(&t->why, "This capture point proves the alert came from the ");
	ln_str(&t->why, verdict_side_name(a->from));
	ln_lit(&t->why, "'s address; a TLS proxy on the way would look the same.");
}

static void v_not_tls(const struct verdict_tls_facts *f, struct vtexts *t)
{
	int dir = f->dir;

	if (dir == 1) {
		ln_lit(&t->sum, "the server answered the ClientHello with non-TLS bytes: ");
		quoted(&t->sum, f->first_line, f->first_line_len);
		ln_lit(&t->why, "The client started TLS, but the first bytes from the server are not a "
				"TLS record: a plaintext service (HTTP, SSH, SMTP, ...) listens on port ");
		ln_u64(&t->why, f->server_port);
		ln_lit(&t->why, ", or a proxy answered in its own protocol.");
		ln_lit(&t->next, "Check which service listens on that port and whether the client "
				 "should speak plaintext (or STARTTLS) to it.");
	} else {
		ln_lit(&t->sum, "the client sent non-TLS bytes to a TLS server: ");
		quoted(&t->sum, f->first_line, f->first_line_len);
		ln_lit(&t->why, "The client spoke plaintext where the server expects TLS (the server "
				"answered with TLS records). A URL with http:// for an https:// service, "
				"or a wrong port.");
		ln_lit(&t->next, "Make the client use TLS for this port (https://, or the TLS option of "
				 "its library).");
	}
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

static void v_closed_after_ch(const struct verdict_tls_facts *f, struct vtexts *t)
{
	const char *how = f->how;
	ln_lit(&t->sum, "the server closed the connection (");
	ln_str(&t->sum, how);
	ln_lit(&t->sum, ") after the ClientHello, without a TLS answer");
	ch_summary(&t->why, f->ch);
	ln_lit(&t->why, "reached the server's side, which closed without a ServerHello or an alert. "
			"Servers do this when the name matches no virtual host, a policy rejects the "
			"client (SNI filtering, address), or the port belongs to another service. ");
	ln_lit(&t->next, "Check the server's TLS configuration for this ");
	ln_str(&t->next, f->ch->sni_len ? "server name" : "client (no SNI was sent)");
	if (f->at_server) {
		ln_lit(&t->next, " and its logs: this capture was taken at its side, so the close is "
				 "its own (or its host's).");
		return;
	}
	ln_lit(&t->next, " and its logs; a middlebox (SNI filter) can close on its behalf, so "
			 "capture at the server to tell.");
}

/* The same, when the reset was most likely not the server's (verdict_rst_injected). */
static void v_closed_injected(const struct verdict *v, struct vtexts *t)
{
	const struct verdict_tls_facts *f = &v->tls;

	ln_lit(&t->sum, "a reset from the server's address right after the ClientHello: most likely "
			"injected by a device between (");
	prose_rst_odd(&v->tcp, &t->sum);
	ln_chr(&t->sum, ')');
	ch_summary(&t->why, f->ch);
	ln_lit(&t->why, "was answered with a reset and no TLS byte. ");
	prose_rst_injected(&v->tcp, t);
	if (f->ch->sni_len)
		ln_lit(&t->why, "Devices that filter by server name reset right after the ClientHello, "
				"the first packet that names it. ");
}

static void v_no_server_hello(const struct verdict_tls_facts *f, struct vtexts *t)
{
	const struct tls_ch_span *sp = &f->ch_span;
	ln_lit(&t->sum, "no answer to the ClientHello for ");
	vt_sec3(&t->sum, f->end - f->ch_ts);
	ln_lit(&t->sum, " s");
	ch_summary(&t->why, f->ch);
	ln_lit(&t->why, "left this capture point and nothing came back: no ServerHello, no alert, no "
			"close. ");
	if (sp->segments >= 2 && sp->retrans > 0) {
		ln_lit(&t->why, "It spanned ");
		ln_u64(&t->why, sp->segments - sp->retrans);
		ln_lit(&t->why, " TCP segments and was retransmitted ");
		ln_u64(&t->why, sp->retrans);
		ln_lit(&t->why, " time");
		vt_plural(&t->why, sp->retrans);
		ln_lit(&t->why, ", while the TCP handshake's small packets got through: the signature of a "
				"path that drops large packets (a path-MTU black hole, or a middlebox choking "
				"on large post-quantum ClientHellos). ");
		ln_lit(&t->next, "Clamp the MSS on the path (or lower the MTU) and retry; compare with a "
				 "client that sends a smaller ClientHello (no post-quantum key share); a "
				 "capture at the server shows whether the large segments arrive.");
	} else if (f->at_server && f->ch_acked) {
		ln_lit(&t->why, "The server's TCP stack received it: it acknowledged the whole "
				"ClientHello. The TLS service above it never answered: hung, overloaded, "
				"not reading its socket (a full worker pool, an accept loop that stalled, "
				"a handshake callback waiting on something). ");
		ln_lit(&t->next, "Look at the TLS service on the server at that time: its process and "
				 "threads, its worker or connection limits, its logs and load; the network "
				 "delivered the hello.");
	} else {
		ln_lit(&t->why, "The server (or a device before it) accepted the TCP connection but never "
				"answered in TLS: an overloaded or hung TLS service, or a middlebox that "
				"swallows the ClientHello. ");
		ln_lit(&t->next, "Capture at the server side: a ClientHello arriving there points at the "
				 "server's TLS service; one missing points at the path.");
	}
}

static void v_client_rejected(const struct verdict_tls_facts *f, struct vtexts *t)
{
	const struct tls_alert *a = f->has_alert ? &f->alert : NULL;
	const char *how = f->how;
	int enc = f->enc;
	char b[TLS_NAME_BUFSZ];

	ln_lit(&t->sum, "the client gave up after the server's ");
	ln_str(&t->sum, tls_version_is_13(f->version) ? "flight" : "certificate flight");
	if (a != NULL && (!a->encrypted || a->decrypted)) {
		ln_lit(&t->sum, ": alert ");
		ln_str(&t->sum, tls_name_or_hex(tls_alert_name(a->desc), a->desc, b));
		ln_chr(&t->sum, '(');
		ln_u64(&t->sum, a->desc);
		ln_chr(&t->sum, ')');
	} else if (enc) {
		ln_lit(&t->sum, ": a probable encrypted alert, then ");
		ln_str(&t->sum, how);
	} else {
		ln_lit(&t->sum, ": ");
		ln_str(&t->sum, how);
	}
	ln_lit(&t->why, "The server answered with its hello and certificate flight; the client then ");
	if (a != NULL && a->decrypted)
		ln_lit(&t->why, "sent a fatal alert (encrypted, decrypted with the key log) instead of finishing "
				"the handshake. ");
	else if (a != NULL && !a->encrypted)
		ln_lit(&t->why, "sent a fatal alert instead of finishing the handshake. ");
	else if (enc)
		ln_lit(&t->why, "sent one short encrypted record (the size of an encrypted alert) and "
				"closed, instead of finishing: an inference from record sizes, not a decrypted "
				"alert. ");
	else
		ln_lit(&t->why, "closed instead of finishing the handshake. ");
	ln_lit(&t->why, "Most likely the client did not trust the server's certificate (unknown CA, "
			"expired, wrong name). ");
	ln_lit(&t->next, "Check the server's certificate chain and name against the client's trust "
			 "store (openssl s_client -connect host:port -servername name).");
	if (f->keys_confirm)
		keylog_hint(&t->next, "confirm the alert and name it");
}

static void v_established(const struct verdict_tls_facts *f, struct vtexts *t)
{
	ln_str(&t->sum, f->hrr ? "TLS established after a HelloRetryRequest: " : "TLS established: ");
	version_cipher(&t->sum, f);
	if (f->alpn != NULL) {
		ln_lit(&t->sum, ", ALPN ");
		ln_escaped(&t->sum, f->alpn, f->alpn_len < TLS_HELLO_ALPN_LEN ? f->alpn_len : TLS_HELLO_ALPN_LEN);
		if (f->alpn_len > TLS_HELLO_ALPN_LEN)
			ln_lit(&t->sum, "...");   /* (its first 32 bytes: the rest is not kept) */
	}
	ln_lit(&t->why, "Both sides finished the TLS handshake at this capture point");
	if (f->dec != NULL && f->dec->finished_verified[0] == TLS_FIN_VERIFIED &&
	    f->dec->finished_verified[1] == TLS_FIN_VERIFIED)
		ln_lit(&t->why, " (proven: both Finished messages verified, decrypted with the key log and "
				"checked against the handshake transcript)");
	else if (f->dec != NULL && f->dec->finished[0] && f->dec->finished[1])
		ln_lit(&t->why, " (both Finished messages decrypted with the key log)");
	if (f->ch != NULL) {
		ln_lit(&t->why, " (ServerHello ");
		vt_ms3(&t->why, f->sh_ts - f->ch_ts);
		ln_lit(&t->why, " ms after the ClientHello)");
	}
	ln_lit(&t->why, ". ");
	if (f->keys_confirm)
		ln_lit(&t->why, "TLS 1.3 encrypts the Finished messages: that both came is inferred from the "
				"encrypted records' sizes; run with --keylog FILE to confirm (a key log of this "
				"session: clients write one when SSLKEYLOGFILE=FILE is set). ");
	if (f->version != V_TLS13 && tls_version_is_13(f->version)) {
		version_name(&t->why, f->version);
		ln_lit(&t->why, " is a pre-standard version of TLS 1.3 (before RFC 8446, 2018): both ends run "
				"software of that time; it is judged here as TLS 1.3. ");
	}
	if (f->hrr) {
		char g[TLS_NAME_BUFSZ];
		ln_lit(&t->why, "The server first asked for another key share (HelloRetryRequest, group ");
		ln_str(&t->why, tls_name_or_hex(tls_group_name(f->hrr_group), f->hrr_group, g));
		ln_lit(&t->why, "): one extra round trip, not a failure. ");
	}
	if (f->cert_note == VCN_ACCEPTED) {
		/* (its problems are named after this: notes()) */
		ln_lit(&t->sum, "; the certificate has problems the client accepted");
		ln_lit(&t->next, "The handshake completed, but a client that checks the certificate "
				 "(or this one, with its checks on) refuses it: fix the problems the "
				 "explanation names.");
		return;
	}
	ln_str(&t->next, f->hrr ? "To save the round trip, let the client send a key share for the "
				  "group the server prefers."
				: "TLS is healthy here; if the application still fails, look at the "
				  "application protocol above TLS.");
}

/* An alert whose description is hidden: TLS 1.2's encrypted alert record, or TLS 1.3's
 * probable one (inferred from a record's size). */
static void v_hidden_alert(const struct verdict_tls_facts *f, struct vtexts *t)
{
	int dir = f->dir, inferred = f->inferred;
	int64_t ts = f->alert.ts;
	ln_str(&t->sum, verdict_side_name(dir));
	ln_str(&t->sum, inferred ? " sent a probable encrypted alert" : " sent an encrypted alert");
	if (f->ch != NULL) {
		ln_chr(&t->sum, ' ');
		vt_ms3(&t->sum, ts - f->ch_ts);
		ln_lit(&t->sum, " ms after the ClientHello");
	}
	ln_lit(&t->why, "The handshake did not finish: the ");
	ln_str(&t->why, verdict_side_name(dir));
	if (inferred)
		ln_lit(&t->why, " sent one encrypted record of an alert's size and closed. This is an "
				"inference from record sizes: the alert itself is encrypted. ");
	else
		ln_lit(&t->why, " sent an alert record after its ChangeCipherSpec: its description is "
				"encrypted. ");
	if (dir == 1 && f->cert_request)
		ln_lit(&t->why, "The server had asked for a client certificate (CertificateRequest). ");
	else if (dir == 1 && tls_version_is_13(f->version))
		ln_lit(&t->why, "A TLS 1.3 server that gives up after the client's Finished most often "
				"rejects the client's certificate (certificate_required, bad_certificate). ");
	ln_lit(&t->next, "Read the ");
	ln_str(&t->next, verdict_side_name(dir));
	ln_lit(&t->next, "'s TLS logs for this time.");
	if (f->keys_confirm)
		keylog_hint(&t->next, inferred ? "confirm the alert and name it" : "decrypt the alert and name it");
}

static void v_incomplete(const struct verdict_tls_facts *f, struct vtexts *t)
{
	ln_lit(&t->sum, "TLS handshake incomplete in the capture: ");
	ln_str(&t->sum, f->what);
	ln_lit(&t->why, "The capture does not hold enough of the handshake to say how it ended: ");
	ln_str(&t->why, f->what);
	ln_lit(&t->why, ". ");
	for (int dir = 0; dir < 2; dir++) {
		const struct verdict_gap *g = &f->gap[dir];
		if (g->kind == VGAP_NONE)
			continue;
		the_side(&t->why, "The ", dir);
		ln_str(&t->why, g->kind == VGAP_HOLE ? "'s bytes " : "'s bytes beyond what synack holds, ");
		ln_u64(&t->why, g->from);
		ln_lit(&t->why, " to ");
		ln_u64(&t->why, g->to - 1);
		ln_str(&t->why, g->kind == VGAP_HOLE ? " never arrived here (later ones did); nothing is "
							    "guessed across the hole. "
							  : ", were not kept. ");
	}
	ln_lit(&t->next, "Capture for longer, with a full snap length (-s 0), from before the "
			 "connection starts.");
}

/* The client's first bytes never arrived while later ones did: nothing above TCP could start. */
static void v_missing_start(const struct verdict_tls_facts *f, struct vtexts *t)
{
	const struct verdict_gap *g = &f->gap[0];

	ln_lit(&t->sum, "the client's first ");
	ln_u64(&t->sum, g->to - g->from);
	ln_lit(&t->sum, " bytes of data never arrived here, while later ones did");
	ln_lit(&t->next, "Capture at the client to see the large segments leave and be retransmitted; "
			 "clamp the MSS on the path (or lower the MTU) and retry.");
	ln_lit(&t->why, "At this capture point the client's data has a hole at its very start (stream "
			"bytes 0 to ");
	ln_u64(&t->why, g->to - 1);
	ln_lit(&t->why, ") that no retransmission filled, while a later, smaller segment arrived. "
			"Whatever the client sent first (for TLS, its ClientHello) cannot be read, and the "
			"server cannot answer it. A path that drops large packets (a path-MTU black hole, "
			"a middlebox choking on large ClientHellos) looks exactly like this. ");
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

void prose_tls_cert_problems(struct line *l, const struct tls_cert_findings *f)
{
	cert_problems(l, f);
}

/* What is wrong with the server's certificate, the worst first, in a few words. */
static void cert_summary(const struct verdict_tls_facts *vf, struct line *l)
{
	const struct tls_cert_findings *f = &vf->cert;
	uint32_t named = TLS_CERT_F_PROBLEMS & ~(uint32_t)TLS_CERT_F_UNCHECKED;

	ln_lit(l, "the server's certificate ");
	if (f->flags & TLS_CERT_F_EXPIRED)
		ln_lit(l, "has expired");
	else if (f->flags & TLS_CERT_F_NOT_YET_VALID)
		ln_lit(l, "is not yet valid");
	else if (f->flags & (TLS_CERT_F_NAME_MISMATCH | TLS_CERT_F_NAME_CN_ONLY))
		ln_lit(l, "does not match the server name");
	else if (f->flags & TLS_CERT_F_SELF_SIGNED)
		ln_lit(l, "is self-signed");
	else if (f->flags & (TLS_CERT_F_INCOMPLETE | TLS_CERT_F_ORDER | TLS_CERT_F_ISSUER_KEY))
		ln_lit(l, "chain is incomplete or out of order");
	else if (f->flags & TLS_CERT_F_MALFORMED)
		ln_lit(l, "message is malformed");
	else if (!vf->chain_kept)
		ln_lit(l, "chain could not be kept to check (out of memory)");
	else if (f->flags & TLS_CERT_F_NOT_CHECKED)
		ln_lit(l, "chain exceeds what synack checks: not checked whole");
	else
		ln_lit(l, "could not be read");
	if ((f->flags & named) && (f->flags & TLS_CERT_F_NOT_CHECKED))
		ln_lit(l, ", and its chain exceeds what synack checks");
}

/*
 * The handshake completed, but the server's certificate chain, sent in clear,
 * could not be checked (whole): a chain padded past a bound must not pass for
 * a checked one, whatever the client decided.
 */
static void v_cert_unchecked(const struct verdict_tls_facts *f, struct vtexts *t)
{
	ln_lit(&t->next, "See what the server sends with openssl s_client -connect host:port -servername "
			 "name -showcerts; a chain this large is itself a fault to fix (most clients refuse "
			 "one over 100 KiB).");
	ln_lit(&t->why, "Both sides finished the TLS handshake (");
	version_cipher(&t->why, f);
	ln_lit(&t->why, "), but the certificate chain the server sent in clear could not be checked here: ");
	if (!f->chain_kept)
		ln_lit(&t->why, "there was no memory to keep it. ");
	else
		cert_problems(&t->why, &f->cert);
	ln_lit(&t->why, "What was not checked may hide any problem (an expired, wrong-name or self-signed "
			"certificate), so this is not called healthy. ");
	cert_summary(f, &t->sum);
	ln_lit(&t->sum, "; the handshake completed (");
	version_name(&t->sum, f->version);
	ln_chr(&t->sum, ')');
}

/* The client gave up, and the certificate it saw has problems we can name. */
static void v_certificate(const struct verdict_tls_facts *f, struct vtexts *t)
{
	char b[TLS_NAME_BUFSZ];
	const struct tls_alert *a = &f->alert;

	cert_summary(f, &t->sum);
	if (f->has_alert && (!a->encrypted || a->decrypted)) {
		ln_lit(&t->sum, "; the client rejected it with alert ");
		ln_str(&t->sum, tls_name_or_hex(tls_alert_name(a->desc), a->desc, b));
		ln_chr(&t->sum, '(');
		ln_u64(&t->sum, a->desc);
		ln_chr(&t->sum, ')');
	} else if (f->how != NULL) {
		ln_lit(&t->sum, "; the client closed (");
		ln_str(&t->sum, f->how);
		ln_chr(&t->sum, ')');
	}
	if (f->dec != NULL && tls_version_is_13(f->version))
		ln_lit(&t->why, "The server's certificate (TLS 1.3: encrypted, decrypted with the key log), "
				"checked here at the time of the capture: ");
	else
		ln_lit(&t->why, "The server sent its certificate in clear (TLS 1.2 or older), checked here at "
				"the time of the capture: ");
	cert_problems(&t->why, &f->cert);
	ln_lit(&t->why, "The client then ended the handshake instead of finishing it. What the client "
			"trusts is its own decision; these problems are what a verifying client refuses. ");
	ln_lit(&t->next, "Renew or reconfigure the server's certificate (name, dates, the intermediate "
			 "certificates it must send); openssl s_client -connect host:port -servername "
			 "name -showcerts shows what it sends.");
}

/* The handshake bytes of side dir came in two versions: which one the receiver read is not known. */
static void v_ambiguous(const struct verdict_tls_facts *f, struct vtexts *t)
{
	int dir = f->dir;
	const struct verdict_conflicts *st = &f->conflicts[dir];

	the_side(&t->sum, "the ", dir);
	ln_lit(&t->sum, "'s handshake bytes came in two versions (");
	ln_u64(&t->sum, st->n);
	ln_lit(&t->sum, " retransmitted segment");
	vt_plural(&t->sum, st->n);
	the_side(&t->sum, " differed): what the ", !dir);
	ln_lit(&t->sum, " read is not known");
	the_side(&t->why, "Segments of the ", dir);
	ln_lit(&t->why, "'s stream were sent again with other bytes than the first copy, within the bytes "
			"the TLS handshake was read from (the lowest at stream byte ");
	ln_u64(&t->why, st->low);
	ln_lit(&t->why, "; the first such segment is frame ");
	ln_u64(&t->why, st->frame);
	ln_lit(&t->why, "). synack keeps the first copy, as most TCP stacks do, and read the handshake "
			"from it");
	if (f->hs_done)
		ln_lit(&t->why, " (it completed)");
	ln_lit(&t->why, "; a receiver may have kept the other copy and seen another handshake. A decoy "
			"copy that never reaches the receiver is how traffic is hidden from a monitor; a "
			"device that rewrites the stream, or a broken sender, looks the same. So this is "
			"not called healthy. ");
	the_side(&t->next, "Capture at the ", !dir);
	ln_lit(&t->next, " at the same time to see which copy arrived; look on the path for a device "
			 "that rewrites or injects segments (IPS, proxy, load balancer).");
}

/* pre, then "a record header that declares 40000 bytes (TLS allows 18432)", from the header's
 * bytes. */
static void bad_record_phrase(struct line *l, const char *pre, const uint8_t h[5])
{
	unsigned len = (unsigned)h[3] << 8 | h[4];

	ln_str(l, pre);
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

/* " at stream byte 517 (frame 9)" */
static void at_byte(struct line *l, uint64_t off, uint64_t frame)
{
	ln_lit(l, " at stream byte ");
	ln_u64(l, off);
	ln_lit(l, " (frame ");
	ln_u64(l, frame);
	ln_chr(l, ')');
}

/* What a malformed stream sent: a record header, a handshake message, a hello. */
static void malformed_what(const struct verdict_tls_facts *f, struct vtexts *t)
{
	const struct verdict_malformed_facts *m = &f->mal;
	int dir = f->dir;
	char b[TLS_NAME_BUFSZ];

	if (m->what == VMAL_RECORD) {
		ln_lit(&t->sum, "'s stream stops being TLS at byte ");
		ln_u64(&t->sum, m->off);
		bad_record_phrase(&t->sum, ": ", m->hdr);
		bad_record_phrase(&t->why, " sent ", m->hdr);
		at_byte(&t->why, m->off, m->frame);
		ln_lit(&t->why, ": a receiver aborts the connection there (record_overflow or decode_error). "
				"What came before was read, nothing after it is (its bytes are still counted). ");
	} else if (m->what == VMAL_MESSAGE) {
		ln_lit(&t->sum, "'s ");
		ln_str(&t->sum, tls_name_or_hex(tls_hs_type_name(m->msg_type), m->msg_type, b));
		ln_lit(&t->sum, " message declares ");
		ln_u64(&t->sum, m->msg_declared - 4u);
		ln_lit(&t->sum, " bytes, more than TLS allows");
		ln_lit(&t->why, " sent a handshake message (");
		ln_str(&t->why, tls_name_or_hex(tls_hs_type_name(m->msg_type), m->msg_type, b));
		ln_lit(&t->why, ") that declares ");
		ln_u64(&t->why, m->msg_declared - 4u);
		ln_lit(&t->why, " bytes, beyond what its own format can hold: no TLS stack sends or accepts "
				"it. synack read its first ");
		ln_u64(&t->why, TLS_HS_CAP);
		ln_lit(&t->why, " bytes and skipped the rest. ");
	} else {
		ln_str(&t->sum, dir == 0 ? "'s ClientHello does not parse" : "'s ServerHello does not parse");
		ln_lit(&t->sum, ", yet the handshake completed");
		ln_lit(&t->why, "'s hello does not parse (");
		ln_str(&t->why, m->error != NULL ? m->error : "?");
		the_side(&t->why, "), yet the ", !dir);
		ln_lit(&t->why, " finished the handshake: what was read here is not what it accepted. ");
	}
}

/* Bytes that break TLS's own rules, found where the verdict would otherwise rest on them. */
static void v_malformed(const struct verdict_tls_facts *f, struct vtexts *t)
{
	int dir = f->dir;

	the_side(&t->sum, "the ", dir);
	the_side(&t->why, "The ", dir);
	malformed_what(f, t);
	if (f->hs_done)
		ln_lit(&t->why, "The handshake had completed, but on bytes like these it is not called healthy. ");
	ln_lit(&t->why, "A broken TLS stack, a device that corrupts or rewrites the stream, or bytes "
			"injected into it. ");
	the_side(&t->next, "Capture at the other end at the same time and compare the bytes; check the ",
		 dir);
	ln_lit(&t->next, "'s TLS stack and any device on the path that handles TLS (IPS, proxy).");
}

/* What else is said after any tls.* verdict's own words: the certificate's problems a client
 * accepted, and retransmissions that carried other bytes than the original. */
static void notes(const struct verdict_tls_facts *f, struct vtexts *t)
{
	if (f->cert_note == VCN_ALSO) {
		ln_lit(&t->why, "The server's certificate also has problems this client accepted: ");
		cert_problems(&t->why, &f->cert);
	} else if (f->cert_note == VCN_ACCEPTED) {
		ln_lit(&t->why, "The server's certificate has problems this client accepted: ");
		cert_problems(&t->why, &f->cert);
	}
	for (int dir = 0; dir < 2; dir++) {
		if (f->dec == NULL || f->dec->finished_verified[dir] != TLS_FIN_MISMATCH)
			continue;
		the_side(&t->why, " The ", dir);
		ln_lit(&t->why, "'s Finished decrypted but did not verify (a key log from another session?): "
				"its verify_data is not the one the handshake messages seen here give, so the "
				"endpoints hashed other messages than this capture holds (a hello altered on the "
				"way, or keys that are not this session's). ");
	}
	for (int dir = 0; dir < 2; dir++) {
		const struct verdict_conflicts *st = &f->conflicts[dir];
		if (st->n == 0)
			continue;
		the_side(&t->why, " The ", dir);
		ln_lit(&t->why, " retransmitted bytes with other contents than the first time (frame ");
		ln_u64(&t->why, st->frame);
		ln_lit(&t->why, ", stream byte ");
		ln_u64(&t->why, st->off);
		ln_lit(&t->why, "): a device rewriting the stream, or a broken sender; synack kept the "
				"first copy. ");
	}
}

/* The handshake completed where TLS was due, and no byte came either way before the close. */
static void v_no_client_hello(const struct verdict *v, struct vtexts *t)
{
	const struct verdict_tcp_facts *f = &v->tcp;
	int at_server = verdict_at_server(v->cp);

	ln_lit(&t->sum, "TCP handshake completed on port ");
	ln_u64(&t->sum, f->server_port);
	ln_lit(&t->sum, ", then ");
	if (f->rst_seen) {
		ln_lit(&t->sum, "a reset from the ");
		ln_str(&t->sum, verdict_side_name(f->rst_dir));
		ln_lit(&t->sum, " with no ClientHello");
	} else if (f->fin_first) {
		ln_lit(&t->sum, "the ");
		ln_str(&t->sum, f->fin_first == 2 ? "server" : "client");
		ln_lit(&t->sum, " closed with no ClientHello");
	} else {
		ln_lit(&t->sum, "no ClientHello in ");
		vt_sec3(&t->sum, f->capture_end - f->hs_ack_ts);
		ln_lit(&t->sum, " s");
	}
	ln_lit(&t->why, "TLS was expected here (");
	ln_str(&t->why, f->tls_port == VTLS_PORT_SEEN
				? "this server answered in TLS on this port in an earlier connection"
				: "a port of an implicit-TLS service");
	ln_lit(&t->why, "), and the three-way handshake completed, but not one byte of payload was "
			"seen either way after it: no ClientHello reached this point (a TLS client "
			"sends it at once). ");
	if (at_server) {
		ln_lit(&t->why, "Seen from the server's side this is what a ClientHello lost on the way "
				"looks like (a path-MTU black hole or a middlebox dropping a large hello: the "
				"small handshake packets pass, the big segment does not), or a client that "
				"connected and never spoke TLS (a TCP health check that connects and closes "
				"looks the same). ");
		ln_lit(&t->next, "Capture at the client at the same time: a ClientHello sent there and "
				 "missing here was lost between (clamp the MSS or lower the MTU and retry); "
				 "none sent there points at the client application.");
	} else {
		ln_lit(&t->why, "The client's side never sent one: its application connected and gave "
				"up (or was told to connect without TLS), or it sent one that this point did "
				"not see. ");
		ln_lit(&t->next, "Check the client's TLS settings and its error (a TLS library that "
				 "failed before its hello, a plaintext client pointed at a TLS port); if the "
				 "capture is not at the client, capture there too.");
	}
}

void prose_tls(const struct verdict *v, struct vtexts *t)
{
	static void (*const write[])(const struct verdict_tls_facts *, struct vtexts *) = {
		[VK_TLS_ALERT] = v_alert,
		[VK_TLS_HIDDEN_ALERT] = v_hidden_alert,
		[VK_TLS_CLIENT_REJECTED] = v_client_rejected,
		[VK_TLS_NOT_TLS] = v_not_tls,
		[VK_TLS_CLOSED_AFTER_CH] = v_closed_after_ch,
		[VK_TLS_NO_SERVER_HELLO] = v_no_server_hello,
		[VK_TLS_ESTABLISHED] = v_established,
		[VK_TLS_INCOMPLETE] = v_incomplete,
		[VK_TLS_MISSING_START] = v_missing_start,
		[VK_TLS_MALFORMED] = v_malformed,
		[VK_TLS_AMBIGUOUS] = v_ambiguous,
		[VK_TLS_CERTIFICATE] = v_certificate,
		[VK_TLS_CERT_UNCHECKED] = v_cert_unchecked,
		[VK_TLS_SSLV2] = prose_tls_sslv2,
	};

	if (v->kind == VK_TLS_NO_CLIENT_HELLO) {
		v_no_client_hello(v, t);       /* (a TCP verdict's facts: nothing of TLS was seen) */
		return;
	}
	if (v->kind == VK_TLS_CLOSED_AFTER_CH && v->tcp.rst_dir == DIR_SERVER && verdict_rst_injected(&v->tcp) &&
	    strcmp(v->tls.how, "reset") == 0) {
		v_closed_injected(v, t);
		notes(&v->tls, t);
		return;
	}
	write[v->kind](&v->tls, t);
	notes(&v->tls, t);
}
