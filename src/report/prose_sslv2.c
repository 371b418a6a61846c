/* prose_sslv2.c: the words of tls.sslv2, a server that answered in SSL 2.0. */
#include "prose.h"
#include "tls_names.h"
#include "vtext.h"

#define SPECS_NAMED 4    /* cipher kinds named in the explanation; the rest counted */

/* "SSL_CK_RC4_128_WITH_MD5", or an unknown kind's six hex digits. */
static void kind_name(struct line *l, uint32_t kind)
{
	const char *name = tls_sslv2_cipher_name(kind);

	if (name != NULL) {
		ln_str(l, name);
		return;
	}
	ln_lit(l, "0x");
	for (int shift = 20; shift >= 0; shift -= 4)
		ln_chr(l, "0123456789abcdef"[(kind >> shift) & 15]);
}

/* What the client sent first, and what it offered. */
static void client_words(struct line *l, const struct tls_client_hello *ch)
{
	char b[TLS_NAME_BUFSZ];

	if (ch == NULL) {
		ln_lit(l, "The client's hello ");
	} else if (ch->sslv2 && ch->legacy_version == 0x0002) {
		ln_lit(l, "The client's SSL 2.0 CLIENT-HELLO ");
	} else {
		ln_str(l, ch->sslv2 ? "The client's SSLv2-compatible CLIENT-HELLO (up to "
				    : "The client's ClientHello (up to ");
		ln_str(l, tls_name_or_hex(tls_version_name(ch->version), ch->version, b));
		ln_lit(l, ") ");
	}
}

/* The SERVER-HELLO: when, what it offered, how it parsed. */
static void server_words(struct line *l, const struct verdict_tls_facts *f)
{
	const struct tls_sslv2_server_hello *h = &f->v2->hello;

	ln_lit(l, "was answered by an SSL 2.0 SERVER-HELLO");
	if (f->ch != NULL) {
		ln_chr(l, ' ');
		vt_ms3(l, f->v2->ts - f->ch_ts);
		ln_lit(l, " ms later");
	}
	if (f->v2->status == TLS_HELLO_INVALID) {
		ln_lit(l, " that does not parse (");
		ln_str(l, h->error != NULL ? h->error : "?");
		ln_chr(l, ')');
	} else if (h->session_id_hit) {
		ln_lit(l, " resuming an SSL 2.0 session");
	} else if (h->specs_total > 0) {
		ln_lit(l, " offering ");
		for (uint8_t i = 0; i < h->n_specs && i < SPECS_NAMED; i++) {
			if (i)
				ln_lit(l, ", ");
			kind_name(l, h->specs[i]);
		}
		if (h->specs_total > SPECS_NAMED) {
			ln_lit(l, " and ");
			ln_u64(l, h->specs_total - SPECS_NAMED);
			ln_lit(l, " more");
		}
	}
	if (f->v2->status == TLS_HELLO_TRUNCATED)
		ln_lit(l, " (cut short in the capture)");
	ln_lit(l, ". ");
}

void prose_tls_sslv2(const struct verdict_tls_facts *f, struct vtexts *t)
{
	const struct tls_sslv2 *v2 = f->v2;

	ln_lit(&t->sum, "the server answered in SSL 2.0, obsolete and insecure (RFC 6176 prohibits it)");
	if (v2->has_client_cipher) {
		ln_lit(&t->sum, "; the client went on with ");
		kind_name(&t->sum, v2->client_cipher);
	} else if (f->how != NULL) {
		ln_lit(&t->sum, "; the client then closed (");
		ln_str(&t->sum, f->how);
		ln_chr(&t->sum, ')');
	}
	client_words(&t->why, f->ch);
	server_words(&t->why, f);
	ln_lit(&t->why, "SSL 2.0 has been prohibited since 2011 (RFC 6176): its handshake is not protected "
			"against downgrade, it offers export-grade ciphers, and a server that speaks it lends "
			"its RSA key to DROWN (CVE-2016-0800), which decrypts TLS sessions of any server "
			"sharing that key. ");
	if (v2->has_client_cipher) {
		ln_lit(&t->why, "The client accepted and chose ");
		kind_name(&t->why, v2->client_cipher);
		ln_lit(&t->why, " in its CLIENT-MASTER-KEY; every later SSL 2.0 message is encrypted, so "
				"whether the handshake finished cannot be read here, and it is never called "
				"established. ");
	}
	if (f->chain_kept && (f->cert.flags & TLS_CERT_F_PROBLEMS)) {
		ln_lit(&t->why, "Checked at the time of the capture, ");
		prose_tls_cert_problems(&t->why, &f->cert);
	}
	ln_lit(&t->next, "Turn SSL 2.0 off on the server (and on any client that still offers it): software "
			 "that speaks it is long out of date. Treat the server's RSA key as exposed "
			 "(DROWN): replace it, with every certificate that shares it.");
}
