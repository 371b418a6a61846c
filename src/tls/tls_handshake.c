/* tls_handshake.c: the handshake layer: one whole handshake message at a time, with its epoch, from any record layer. */
#include <stdlib.h>
#include <string.h>

#include "bounds.h"
#include "cursor.h"
#include "tls_cert.h"
#include "tls_int.h"

/* A ClientHello, the first or the one after a HelloRetryRequest. */
static void client_hello(struct tls_conn *t, struct cursor msg, const struct tls_msg_where *w)
{
	struct tls_client_hello **slot = t->ch == NULL ? &t->ch : (t->hrr && t->ch2 == NULL) ? &t->ch2 : NULL;
	struct tls_client_hello *ch;
	int st;

	if (slot == NULL)
		return;
	if ((ch = spares_take(&tls_spare_ch)) == NULL && (ch = malloc(sizeof(*ch))) == NULL) {
		t->nomem = t->odd = 1;
		bounds_alloc_failed();
		return;
	}
	st = tls_parse_client_hello(msg, ch);
	*slot = ch;
	tls_dec_hello(t, slot == &t->ch ? TLS_HELLO_CH1 : TLS_HELLO_CH2, msg);
	if (slot == &t->ch) {
		t->ch_status = st;
		t->ch_frame = w->frame;
		t->ch_ts = w->ts;
		t->ch_start = w->start;
		t->ch_end = w->end;
	} else {
		t->ch2_status = st;
	}
}

static void server_hello(struct tls_conn *t, struct cursor msg, const struct tls_msg_where *w)
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
	if (st != TLS_HELLO_INVALID && tls_version_is_13(sh->version))
		t->v13 = 1;
	if (sh->is_hrr) {
		/* a second one is a protocol error the client aborts on: no ServerHello either */
		if (!t->hrr) {
			tls_dec_hello(t, TLS_HELLO_HRR, msg);
			t->hrr = 1;
			t->hrr_group = sh->key_share_group;
			t->hrr_frame = w->frame;
			t->hrr_ts = w->ts;
		}
		free(sh);
		return;
	}
	t->sh = sh;
	t->sh_status = st;
	t->version = st != TLS_HELLO_INVALID ? sh->version : 0;
	t->sh_frame = w->frame;
	t->sh_ts = w->ts;
	if (st == TLS_HELLO_INVALID || sh->version != 0x0304)
		tls_dec_hellos_free(t);      /* (only TLS 1.3's Finished are checked) */
	else
		tls_dec_hello(t, TLS_HELLO_SH, msg);
	if (st != TLS_HELLO_INVALID && tls_version_is_13(sh->version)) {
		/* TLS 1.3 (a draft of it too): everything after the ServerHello is protected, both ways */
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

/* The server's Certificate message: all of it, or the first TLS_HS_CAP bytes of a larger one
 * (tls_cert says what was not read). */
static void certificate(struct tls_conn *t, struct cursor msg, const struct tls_msg_where *w)
{
	if (t->cert_msg != NULL)
		return;
	if ((t->cert_msg = malloc(cur_len(&msg) ? cur_len(&msg) : 1)) == NULL) {
		t->nomem = t->odd = 1;
		bounds_alloc_failed();
		return;
	}
	memcpy(t->cert_msg, cur_data(&msg), cur_len(&msg));
	t->cert_msg_len = (uint32_t)cur_len(&msg);
	t->cert_frame = w->frame;
	t->cert_ts = w->ts;
}

void tls_handshake_message(struct tls_conn *t, int dir, enum tls_epoch epoch, struct cursor msg,
			   const struct tls_msg_where *w)
{
	uint8_t type = 0;

	cur_peek_u8(&msg, 0, &type);
	if (epoch != TLS_EPOCH_PLAINTEXT) {
		/* decrypted (a key log): the server's TLS 1.3 Certificate gets the checks a clear one gets */
		tls_dec_message(t, dir, epoch, type, msg);
		if (dir == 1 && type == TLS_HS_CERTIFICATE)
			certificate(t, msg, w);
		return;
	}
	if (type < 32)
		t->side[dir].hs_seen |= TLS_HS_BIT(type);
	if (dir == 0) {
		if (type == TLS_HS_CLIENT_HELLO)
			client_hello(t, msg, w);
		return;
	}
	switch (type) {
	case TLS_HS_SERVER_HELLO:
	case TLS_HS_HELLO_RETRY_REQUEST:   /* (drafts before 22: tls_parse_server_hello reads it) */
		server_hello(t, msg, w);
		break;
	case TLS_HS_CERTIFICATE:
		certificate(t, msg, w);
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

/* ---- SSL 2.0 ---- */

static void put24(uint8_t *p, size_t v)
{
	p[0] = (uint8_t)(v >> 16);
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)v;
}

/* The SSL 2.0 SERVER-HELLO's certificate, kept as a Certificate message of one entry (RFC 5246
 * 7.4.2's framing): the chain checks read it as any other. */
static void sslv2_certificate(struct tls_conn *t, struct cursor der, const struct tls_msg_where *w)
{
	size_t n = cur_len(&der);
	uint8_t *m;

	if (t->cert_msg != NULL || n == 0)
		return;
	if ((m = malloc(n + 10)) == NULL) {
		t->nomem = t->odd = 1;
		bounds_alloc_failed();
		return;
	}
	m[0] = TLS_HS_CERTIFICATE;
	put24(m + 1, n + 6);
	put24(m + 4, n + 3);
	put24(m + 7, n);
	memcpy(m + 10, cur_data(&der), n);
	t->cert_msg = m;
	t->cert_msg_len = (uint32_t)(n + 10);
	t->cert_frame = w->frame;
	t->cert_ts = w->ts;
}

int tls_sslv2_message(struct tls_conn *t, int dir, struct cursor record, const struct tls_msg_where *w)
{
	struct tls_sslv2 *v2 = t->v2;
	struct cursor rest = record, der;
	uint32_t kind;

	if (v2 == NULL)
		return dir == 1;
	if (dir == 0) {
		if (v2->has_client_cipher || !tls_sslv2_client_master_key(record, &kind))
			return 0;
		v2->has_client_cipher = 1;
		v2->client_cipher = kind;
		v2->cmk_frame = w->frame;
		v2->cmk_ts = w->ts;
		return 1;
	}
	v2->status = tls_parse_sslv2_server_hello(record, &v2->hello);
	v2->frame = w->frame;
	v2->ts = w->ts;
	t->version = v2->status != TLS_HELLO_INVALID ? 0x0002 : 0;
	/* the certificate, once the record is whole: X.509 (certificate_type 1) */
	if (v2->status != TLS_HELLO_TRUNCATED && v2->hello.cert_whole && v2->hello.cert_type == 1 &&
	    cur_skip(&rest, v2->hello.cert_off) && cur_get_bytes(&rest, &der, v2->hello.cert_len))
		sslv2_certificate(t, der, w);
	return 1;
}

const struct tls_cert_chain *tls_certificates_ref(struct tls_conn *t, const struct tls_cert_findings **findings)
{
	const struct tls_client_hello *ch;
	size_t sni_len = 0;

	*findings = NULL;
	if (t == NULL || t->cert_msg == NULL)
		return NULL;
	if (t->cert_memo != NULL) {
		*findings = &t->cert_memo->findings;
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
	/* The memo holds the chain's reference: without one, no chain (the checks say so). */
	if ((t->cert_memo = malloc(sizeof(*t->cert_memo))) == NULL) {
		bounds_alloc_failed();
		return NULL;
	}
	const struct tls_cert_chain *chain =
		tls_cert_parse_cached(t->cert_msg, t->cert_msg_len, tls_version_is_13(tls_version(t)), sni, sni_len);
	if (chain == NULL) {
		free(t->cert_memo);
		t->cert_memo = NULL;
		return NULL;
	}
	tls_cert_check(chain, t->cert_ts, &t->cert_memo->findings);
	t->cert_memo->chain = chain;
	*findings = &t->cert_memo->findings;
	return chain;
}

const struct tls_cert_chain *tls_certificates(struct tls_conn *t, struct tls_cert_findings *out)
{
	const struct tls_cert_findings *f;
	const struct tls_cert_chain *chain = tls_certificates_ref(t, &f);

	if (chain != NULL)
		tls_cert_findings_copy(out, f);
	return chain;
}
