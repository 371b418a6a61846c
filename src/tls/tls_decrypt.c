/* tls_decrypt.c: the decrypting record layer: a connection's secrets from the key log, its encrypted records opened, their content handed to the handshake layer. */
#include <stdlib.h>
#include <string.h>

#include "bounds.h"
#include "cursor.h"
#include "keylog.h"
#include "tls_int.h"
#include "tlsk.h"

/*
 * Keys per side: [0] the handshake traffic keys (TLS 1.3) or the key block's
 * (TLS 1.2), [1] the application traffic keys (TLS 1.3), each made when first
 * needed from the entry's secret (a live key log may learn it late).
 */
struct tls_dec {
	struct tls_decrypted f;               /* the facts */
	const struct keylog_entry *e;         /* this ClientHello's secrets (never moves) */
	const struct tlsk_suite *suite;       /* NULL: not decryptable (f.unsupported) */
	struct tlsk_dir *k[2][2];
	uint8_t cur[2];                       /* each side's keys now: 0 handshake, 1 application */
	uint8_t keyed12;                      /* TLS 1.2: the key block was made */
	uint32_t pending[2];                  /* records of the current keys that came before their secret */
	struct tlsk_transcript *tr;           /* TLS 1.3: the handshake messages so far, hashed (NULL: the
					       * hellos were not all kept: no Finished is checked) */
};

/* Hellos kept at most: a ClientHello is rarely above 2 KiB (a post-quantum key share: ~1.3 KiB). */
#define TLS_HELLO_KEEP_MAX 65536u

static const struct keylog *tls_keylog;

/* Plaintext of the record being read: never kept past it. */
static _Thread_local uint8_t plain[REC_MAX_LEN];

void tls_use_keylog(const struct keylog *kl)
{
	tls_keylog = kl;
}

const struct tls_decrypted *tls_decrypted(const struct tls_conn *t)
{
	return t != NULL && t->dec != NULL ? &t->dec->f : NULL;
}

void tls_dec_free(struct tls_dec *d)
{
	if (d == NULL)
		return;
	for (int i = 0; i < 2; i++)
		for (int j = 0; j < 2; j++)
			tlsk_dir_free(d->k[i][j]);
	tlsk_transcript_free(d->tr);
	free(d);
}

void tls_dec_hellos_free(struct tls_conn *t)
{
	if (t->hellos == NULL)
		return;
	for (int i = 0; i < TLS_HELLO_SLOTS; i++)
		free(t->hellos->m[i]);
	free(t->hellos);
	t->hellos = NULL;
}

void tls_dec_hello(struct tls_conn *t, int slot, struct cursor msg)
{
	struct tls_hellos *h = t->hellos;
	size_t n = cur_len(&msg);

	/* only with a key log, before decryption began, and whole (a message cut at TLS_HS_CAP is not) */
	if (tls_keylog == NULL || t->dec != NULL || n > TLS_HELLO_KEEP_MAX || tls_msg_len(msg) != n)
		return;
	if (h == NULL && (h = t->hellos = calloc(1, sizeof(*h))) == NULL) {
		bounds_alloc_failed();
		return;
	}
	if (h->m[slot] != NULL || (h->m[slot] = malloc(n ? n : 1)) == NULL)
		return;
	cur_copy(&msg, h->m[slot], n);
	h->len[slot] = (uint32_t)n;
}

/* TLS 1.3: the transcript up to the ServerHello from the kept hellos (RFC 8446 4.4.1: after a
 * HelloRetryRequest, ClientHello1 is replaced by message_hash(254) || 00 00 Hash.length || Hash(CH1)). */
static struct tlsk_transcript *transcript_start(const struct tls_conn *t, const struct tlsk_suite *s)
{
	const struct tls_hellos *h = t->hellos;
	struct tlsk_transcript *tr, *ch1;
	uint8_t mh[4 + TLSK_MAX_HASH];
	size_t hl;

	if (h == NULL || h->m[TLS_HELLO_CH1] == NULL || h->m[TLS_HELLO_SH] == NULL ||
	    (t->hrr && (h->m[TLS_HELLO_HRR] == NULL || h->m[TLS_HELLO_CH2] == NULL)) ||
	    (tr = tlsk_transcript_new(s)) == NULL)
		return NULL;
	if (!t->hrr) {
		if (tlsk_transcript_add(tr, h->m[TLS_HELLO_CH1], h->len[TLS_HELLO_CH1]) &&
		    tlsk_transcript_add(tr, h->m[TLS_HELLO_SH], h->len[TLS_HELLO_SH]))
			return tr;
		tlsk_transcript_free(tr);
		return NULL;
	}
	hl = 0;
	if ((ch1 = tlsk_transcript_new(s)) != NULL && tlsk_transcript_add(ch1, h->m[TLS_HELLO_CH1], h->len[TLS_HELLO_CH1]))
		hl = tlsk_transcript_peek(ch1, mh + 4);
	tlsk_transcript_free(ch1);
	mh[0] = 254;
	mh[1] = mh[2] = 0;
	mh[3] = (uint8_t)hl;
	if (hl != 0 && tlsk_transcript_add(tr, mh, 4 + hl) &&
	    tlsk_transcript_add(tr, h->m[TLS_HELLO_HRR], h->len[TLS_HELLO_HRR]) &&
	    tlsk_transcript_add(tr, h->m[TLS_HELLO_CH2], h->len[TLS_HELLO_CH2]) &&
	    tlsk_transcript_add(tr, h->m[TLS_HELLO_SH], h->len[TLS_HELLO_SH]))
		return tr;
	tlsk_transcript_free(tr);
	return NULL;
}

size_t tls_dec_mem(const struct tls_dec *d)
{
	return d != NULL ? sizeof(*d) : 0;
}

/* The connection's decryption state, made once the key log knows its ClientHello's random. */
static struct tls_dec *dec_start(struct tls_conn *t)
{
	const struct keylog_entry *e;
	struct tls_dec *d;

	if (t->ch == NULL || t->ch->sslv2 || t->sh == NULL || t->sh_status == TLS_HELLO_INVALID ||
	    (e = keylog_find(tls_keylog, t->ch->random)) == NULL)
		return NULL;
	if ((d = calloc(1, sizeof(*d))) == NULL) {
		t->nomem = t->odd = 1;
		bounds_alloc_failed();
		return NULL;
	}
	d->e = e;
	d->suite = tlsk_suite_find(t->sh->cipher_suite);
	if (d->suite != NULL && (d->suite->version == 0x0304) != (tls_version(t) == 0x0304))
		d->suite = NULL;
	d->f.unsupported = d->suite == NULL;
	if (d->suite != NULL && d->suite->version == 0x0304)
		d->tr = transcript_start(t, d->suite);
	tls_dec_hellos_free(t);
	t->dec = d;
	return d;
}

int tls_dec_want(struct tls_conn *t, int dir)
{
	if (t->dec != NULL)
		return t->dec->suite != NULL;
	if (tls_keylog == NULL)
		return 0;
	/* TLS 1.3 after the ServerHello; TLS 1.2 after the side's ChangeCipherSpec */
	if (tls_version(t) != 0x0304 && !(tls_version(t) == 0x0303 && t->side[dir].ccs))
		return 0;
	return dec_start(t) != NULL && t->dec->suite != NULL;
}

static const enum keylog_label tls13_label[2][2] = {
	{ KEYLOG_CLIENT_HANDSHAKE_TRAFFIC_SECRET, KEYLOG_CLIENT_TRAFFIC_SECRET_0 },
	{ KEYLOG_SERVER_HANDSHAKE_TRAFFIC_SECRET, KEYLOG_SERVER_TRAFFIC_SECRET_0 },
};

/* Side dir's TLS 1.3 keys of kind app, made from the secret if not yet: NULL if it is not known. */
static struct tlsk_dir *keys13(struct tls_conn *t, struct tls_dec *d, int dir, int app)
{
	const struct keylog_secret *sec = &d->e->secret[tls13_label[dir][app]];
	struct tlsk_dir **k = &d->k[dir][app];

	if (*k != NULL && tlsk_dir_ready(*k))
		return *k;
	if (sec->len == 0)
		return NULL;
	if (*k == NULL && (*k = tlsk_dir_new()) == NULL) {
		t->nomem = t->odd = 1;
		bounds_alloc_failed();
		return NULL;
	}
	if (!tlsk13_set_secret(*k, d->suite, sec->p, sec->len))
		return NULL;
	/* records of these keys that came before their secret was known */
	if (d->cur[dir] == app)
		tlsk_dir_set_seq(*k, d->pending[dir]);
	return *k;
}

/* TLS 1.2: both sides' keys from the master secret, at the sequence numbers their records are at. */
static int keys12(struct tls_conn *t, struct tls_dec *d)
{
	const struct keylog_secret *ms = &d->e->secret[KEYLOG_CLIENT_RANDOM];
	const struct tls_server_hello *sh = t->sh;
	int etm = 0;

	if (d->keyed12)
		return 1;
	if (ms->len != 48)
		return 0;
	for (uint8_t i = 0; i < sh->n_extensions; i++)
		if (sh->extensions[i] == 22)     /* encrypt_then_mac (RFC 7366) */
			etm = 1;
	for (int i = 0; i < 2; i++)
		if (d->k[i][0] == NULL && (d->k[i][0] = tlsk_dir_new()) == NULL) {
			t->nomem = t->odd = 1;
			bounds_alloc_failed();
			return 0;
		}
	if (!tlsk12_set_master(d->k[0][0], d->k[1][0], d->suite, ms->p, t->ch->random, sh->random, etm))
		return 0;
	/* (the record being read is counted in enc_records already) */
	for (int i = 0; i < 2; i++)
		if (t->side[i].enc_records > 0)
			tlsk_dir_set_seq(d->k[i][0], t->side[i].enc_records - 1);
	d->keyed12 = 1;
	return 1;
}

/* Decrypt rec (header and body) of side dir into plain: 1 with the plaintext, its type and the
 * epoch of the keys that opened it. */
static int open_record(struct tls_conn *t, struct tls_dec *d, int dir, struct cursor rec, size_t *n,
		       uint8_t *type, enum tls_epoch *epoch)
{
	const uint8_t *hdr = cur_data(&rec);
	size_t len = cur_len(&rec) - 5;
	struct tlsk_dir *k;
	enum tlsk_result r;

	if (tls_version(t) != 0x0304) {
		*epoch = TLS_EPOCH_HANDSHAKE;
		return keys12(t, d) &&
		       tlsk_decrypt(d->k[dir][0], hdr, hdr + 5, len, plain, sizeof(plain), n, type) == TLSK_OK;
	}
	k = keys13(t, d, dir, d->cur[dir]);
	r = k != NULL ? tlsk_decrypt(k, hdr, hdr + 5, len, plain, sizeof(plain), n, type) : TLSK_NO_KEY;
	if (r == TLSK_NO_KEY)
		d->pending[dir]++;
	/* under the handshake keys and not theirs: the side may have moved to its application keys
	 * (an alert after its Finished that was not seen, or a Finished not decrypted) */
	if ((r == TLSK_BAD_TAG || r == TLSK_NO_KEY) && d->cur[dir] == 0 && (k = keys13(t, d, dir, 1)) != NULL &&
	    tlsk_decrypt(k, hdr, hdr + 5, len, plain, sizeof(plain), n, type) == TLSK_OK) {
		d->cur[dir] = 1;
		d->pending[dir] = 0;
		r = TLSK_OK;
	}
	*epoch = d->cur[dir] ? TLS_EPOCH_APPLICATION : TLS_EPOCH_HANDSHAKE;
	return r == TLSK_OK;
}

int tls_dec_record(struct tls_conn *t, int dir, struct cursor rec, uint64_t off)
{
	struct tls_dec *d = t->dec;
	enum tls_epoch epoch;
	uint8_t type = 0;
	size_t n = 0;

	if (d == NULL || d->suite == NULL || cur_len(&rec) < 5 || cur_len(&rec) - 5 > sizeof(plain))
		return 0;
	if (!open_record(t, d, dir, rec, &n, &type, &epoch)) {
		d->f.failed[dir]++;
		return 0;
	}
	d->f.records[dir]++;
	struct cursor body = cur_make(plain, n);
	uint8_t level, desc;
	switch (type) {
	case REC_HANDSHAKE:
		tls_handshake_bytes(t, dir, epoch, body, off, off + cur_len(&rec));
		break;
	case REC_ALERT:
		while (cur_get_u8(&body, &level) && cur_get_u8(&body, &desc))
			tls_add_alert(t, dir, level, desc, 1, (int)epoch);
		break;
	case REC_APPDATA:
		d->f.app_records[dir]++;
		d->f.app_bytes[dir] += n;
		break;
	default:
		break;
	}
	memset(plain, 0, n);
	return 1;
}

/* EncryptedExtensions: the ALPN protocol selected, if any. */
static void encrypted_extensions(struct tls_dec *d, struct cursor msg)
{
	struct cursor exts, ext, list, name;
	uint16_t type;

	if (!cur_skip(&msg, 4) || !cur_get_u16_prefixed(&msg, &exts))
		return;
	while (cur_get_u16(&exts, &type) && cur_get_u16_prefixed(&exts, &ext)) {
		if (type != 16 || !cur_get_u16_prefixed(&ext, &list) || !cur_get_u8_prefixed(&list, &name) ||
		    cur_len(&name) == 0)
			continue;
		d->f.has_alpn = 1;
		d->f.alpn.len = (uint8_t)cur_len(&name);
		cur_copy(&name, d->f.alpn.name,
			 cur_len(&name) < TLS_HELLO_ALPN_LEN ? cur_len(&name) : TLS_HELLO_ALPN_LEN);
	}
}

/*
 * TLS 1.3: a decrypted Finished of side dir checked against the transcript of the messages before it;
 * then every handshake-epoch message goes into the transcript (the client's Finished covers the
 * server's). Unchecked when a record of the handshake was not decrypted or a message was cut: the
 * transcript would not be the endpoints' for a reason of ours.
 */
static void transcript_message(struct tls_conn *t, struct tls_dec *d, int dir, uint8_t type, struct cursor msg)
{
	const struct keylog_secret *sec = &d->e->secret[tls13_label[dir][0]];
	uint8_t hash[TLSK_MAX_HASH], want[TLSK_MAX_HASH];
	size_t hl;

	if (d->tr == NULL)
		return;
	if (d->f.failed[0] || d->f.failed[1] || t->side[0].hs_cut || t->side[1].hs_cut) {
		tlsk_transcript_free(d->tr);
		d->tr = NULL;
		return;
	}
	if (type == TLS_HS_FINISHED && sec->len != 0 && (hl = tlsk_transcript_peek(d->tr, hash)) != 0 &&
	    tlsk13_finished(d->suite, sec->p, hash, want) == hl)
		d->f.finished_verified[dir] = cur_len(&msg) == 4 + hl && memcmp(cur_data(&msg) + 4, want, hl) == 0
						      ? TLS_FIN_VERIFIED : TLS_FIN_MISMATCH;
	if (!tlsk_transcript_add(d->tr, cur_data(&msg), cur_len(&msg))) {
		tlsk_transcript_free(d->tr);
		d->tr = NULL;
	}
}

void tls_dec_message(struct tls_conn *t, int dir, enum tls_epoch epoch, uint8_t type, struct cursor msg)
{
	struct tls_dec *d = t->dec;
	struct cursor ctx, list;
	uint8_t *ku;

	if (d == NULL)
		return;
	if (epoch == TLS_EPOCH_HANDSHAKE && tls_version(t) == 0x0304)
		transcript_message(t, d, dir, type, msg);
	if (type < 32)
		d->f.hs[dir] |= TLS_HS_BIT(type);
	switch (type) {
	case TLS_HS_ENCRYPTED_EXTENSIONS:
		if (dir == 1)
			encrypted_extensions(d, msg);
		break;
	case TLS_HS_CERTIFICATE_REQUEST:
		if (dir == 1)
			d->f.cert_request = 1;
		break;
	case TLS_HS_CERTIFICATE:
		/* TLS 1.3's: certificate_request_context, then the list */
		if (dir == 0 && tls_version(t) == 0x0304 && cur_skip(&msg, 4) && cur_get_u8_prefixed(&msg, &ctx) &&
		    cur_get_u24_prefixed(&msg, &list))
			d->f.client_cert = cur_len(&list) == 0 ? 1 : 2;
		break;
	case TLS_HS_FINISHED:
		d->f.finished[dir] = 1;
		/* TLS 1.3: the side's next record is under its application keys */
		if (tls_version(t) == 0x0304 && d->cur[dir] == 0) {
			d->cur[dir] = 1;
			d->pending[dir] = 0;
		}
		break;
	case TLS_HS_KEY_UPDATE:
		ku = &d->f.key_updates[dir];
		if (tls_version(t) == 0x0304 && d->cur[dir] == 1 && d->k[dir][1] != NULL && tlsk_dir_ready(d->k[dir][1]))
			tlsk13_key_update(d->k[dir][1]);
		if (*ku < 255)
			(*ku)++;
		break;
	default:
		break;
	}
}
