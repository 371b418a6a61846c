/* tlsk_kdf.c: the key schedules: TLS 1.3 HKDF-Expand-Label, KeyUpdate and Finished; the TLS 1.2 PRF key block. */
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include "tlsk_int.h"

/*
 * HMAC through one EVP_MAC_CTX per hash, made once per thread and kept: the
 * digest is set when it is made, a secret keys it with EVP_MAC_init (the
 * ipad and opad blocks hashed once), and every HMAC under that secret
 * starts again with EVP_MAC_init(ctx, NULL, ...), which copies the two
 * prepared digest states. HKDF-Expand of a traffic secret's key and iv, the
 * TLS 1.2 PRF's rounds: two compression-function calls an HMAC, no KDF
 * context, no OSSL_PARAM parsing, no digest fetch. (Through the "HKDF" and
 * "TLS1-PRF" EVP_KDFs each derivation cost a new context, the digest fetched
 * by name again, and the key's ipad and opad hashed again for every output:
 * 24,000 instructions for a 12-byte iv against about 6,000 now.)
 */
static _Thread_local EVP_MAC_CTX *hmac_ctx[TLSK_HASH_COUNT];

/* The thread's HMAC context for hash, keyed with key; NULL on failure. */
static EVP_MAC_CTX *hmac_keyed(int hash, const uint8_t *key, size_t key_len)
{
	const struct tlsk_algs *a = tlsk_algs();
	EVP_MAC_CTX *m;
	OSSL_PARAM p[2];

	if (hash < 0 || hash >= TLSK_HASH_COUNT || a == NULL || a->hmac == NULL)
		return NULL;
	m = hmac_ctx[hash];
	if (m == NULL) {
		p[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)tlsk_hash_name(hash), 0);
		p[1] = OSSL_PARAM_construct_end();
		m = EVP_MAC_CTX_new(a->hmac);
		if (m == NULL || !EVP_MAC_CTX_set_params(m, p)) {
			EVP_MAC_CTX_free(m);
			return NULL;
		}
		hmac_ctx[hash] = m;
	}
	return EVP_MAC_init(m, key, key_len, NULL) ? m : NULL;
}

/* HMAC(the key m holds, a || b || c) into out (hl bytes): 1 on success. */
static int hmac3(EVP_MAC_CTX *m, size_t hl, const uint8_t *a, size_t al, const uint8_t *b, size_t bl,
		 const uint8_t *c, size_t cl, uint8_t *out)
{
	size_t outl = 0;

	return EVP_MAC_init(m, NULL, 0, NULL) && (al == 0 || EVP_MAC_update(m, a, al)) &&
	       (bl == 0 || EVP_MAC_update(m, b, bl)) && (cl == 0 || EVP_MAC_update(m, c, cl)) &&
	       EVP_MAC_final(m, out, &outl, TLSK_MAX_HASH) && outl == hl;
}

/*
 * HKDF-Expand(PRK, info, L) (RFC 5869 2.3) with the PRK already in m:
 * T(i) = HMAC(PRK, T(i-1) || info || i), the output their first L bytes.
 */
static int hkdf_expand(EVP_MAC_CTX *m, size_t hl, const uint8_t *info, size_t info_len,
		       uint8_t *out, size_t out_len)
{
	uint8_t t[TLSK_MAX_HASH];
	size_t done = 0, prev = 0;
	uint8_t i = 0;

	if (out_len > 255 * hl)
		return 0;
	while (done < out_len) {
		size_t n = out_len - done < hl ? out_len - done : hl;
		i++;
		if (!hmac3(m, hl, t, prev, info, info_len, &i, 1, t)) {
			OPENSSL_cleanse(t, sizeof(t));
			return 0;
		}
		memcpy(out + done, t, n);
		done += n;
		prev = hl;
	}
	OPENSSL_cleanse(t, sizeof(t));
	return 1;
}

/*
 * HKDF-Expand-Label(Secret, Label, Context, Length) = HKDF-Expand(Secret,
 * HkdfLabel, Length), HkdfLabel = uint16 length, opaque label<7..255> =
 * "tls13 " + Label, opaque context<0..255> (RFC 8446 section 7.1), with the
 * secret already in m.
 */
static int expand_keyed(EVP_MAC_CTX *m, size_t hl, const char *label, const uint8_t *context,
			size_t context_len, uint8_t *out, size_t out_len)
{
	uint8_t info[2 + 1 + 255 + 1 + 255];
	size_t label_len = strlen(label), n = 0;

	if (m == NULL || label_len > 255 - 6 || context_len > 255 || out_len > 0xffff)
		return 0;
	info[n++] = (uint8_t)(out_len >> 8);
	info[n++] = (uint8_t)out_len;
	info[n++] = (uint8_t)(6 + label_len);
	memcpy(info + n, "tls13 ", 6);
	n += 6;
	memcpy(info + n, label, label_len);
	n += label_len;
	info[n++] = (uint8_t)context_len;
	if (context_len != 0)
		memcpy(info + n, context, context_len);
	n += context_len;
	return hkdf_expand(m, hl, info, n, out, out_len);
}

static int expand_label(int hash, const uint8_t *secret, size_t secret_len, const char *label,
			const uint8_t *context, size_t context_len, uint8_t *out, size_t out_len)
{
	return expand_keyed(hmac_keyed(hash, secret, secret_len), tlsk_md_len(hash), label, context,
			    context_len, out, out_len);
}

int tlsk13_expand_label(const struct tlsk_suite *s, const uint8_t *secret, const char *label,
			const uint8_t *context, size_t context_len, uint8_t *out, size_t out_len)
{
	if (s == NULL || secret == NULL || label == NULL || (context == NULL && context_len != 0))
		return 0;
	return expand_label(s->hash, secret, tlsk_hash_len(s), label, context, context_len, out, out_len);
}

/* key and iv from d->secret, then the contexts keyed; seq 0. */
static int key13(struct tlsk_dir *d, const struct tlsk_suite *s)
{
	size_t hl = tlsk_hash_len(s);
	EVP_MAC_CTX *m = hmac_keyed(s->hash, d->secret, hl);  /* keyed once for both */

	if (!expand_keyed(m, hl, "key", NULL, 0, d->key, s->key_len) ||
	    !expand_keyed(m, hl, "iv", NULL, 0, d->iv, s->iv_len) ||
	    !tlsk_dir_key(d, s)) {
		tlsk_dir_clear(d);
		return 0;
	}
	d->seq = 0;
	return 1;
}

int tlsk13_set_secret(struct tlsk_dir *d, const struct tlsk_suite *s, const uint8_t *secret, size_t len)
{
	if (d == NULL)
		return 0;
	tlsk_dir_clear(d);
	if (s == NULL || secret == NULL || s->version != 0x0304 || len != tlsk_hash_len(s))
		return 0;
	memcpy(d->secret, secret, len);
	d->etm = 0;
	return key13(d, s);
}

int tlsk13_key_update(struct tlsk_dir *d)
{
	const struct tlsk_suite *s;
	uint8_t next[TLSK_MAX_SECRET];
	size_t hl;

	if (d == NULL || d->suite == NULL || d->suite->version != 0x0304)
		return 0;
	s = d->suite;
	hl = tlsk_hash_len(s);
	if (!expand_label(s->hash, d->secret, hl, "traffic upd", NULL, 0, next, hl)) {
		OPENSSL_cleanse(next, sizeof(next));
		return 0;
	}
	tlsk_dir_clear(d);
	memcpy(d->secret, next, hl);
	OPENSSL_cleanse(next, sizeof(next));
	return key13(d, s);
}

int tlsk_hmac(int hash, const uint8_t *key, size_t key_len, const uint8_t *data, size_t len, uint8_t *out)
{
	EVP_MAC_CTX *m = hmac_keyed(hash, key, key_len);

	return m != NULL && hmac3(m, tlsk_md_len(hash), data, len, NULL, 0, NULL, 0, out);
}

size_t tlsk13_finished(const struct tlsk_suite *s, const uint8_t *base_secret,
		       const uint8_t *transcript_hash, uint8_t *verify_out)
{
	uint8_t fk[TLSK_MAX_HASH];
	size_t hl = tlsk_hash_len(s);
	int ok;

	if (s == NULL || s->version != 0x0304 || base_secret == NULL || transcript_hash == NULL)
		return 0;
	ok = expand_label(s->hash, base_secret, hl, "finished", NULL, 0, fk, hl) &&
	     tlsk_hmac(s->hash, fk, hl, transcript_hash, hl, verify_out);
	OPENSSL_cleanse(fk, sizeof(fk));
	return ok ? hl : 0;
}

/*
 * The TLS 1.2 key block: PRF(master, "key expansion", server_random +
 * client_random) (RFC 5246 section 5 and 6.3): P_hash(secret, seed) =
 * HMAC(secret, A(1) + seed) + HMAC(secret, A(2) + seed) + ..., A(0) = seed,
 * A(i) = HMAC(secret, A(i-1)), through the thread's HMAC context keyed once
 * with the master secret.
 */
static int key_block(const struct tlsk_suite *s, const uint8_t *master, const uint8_t *client_random,
		     const uint8_t *server_random, uint8_t *out, size_t out_len)
{
	static const char label[] = "key expansion";
	uint8_t seed[sizeof(label) - 1 + 64], a[TLSK_MAX_HASH], t[TLSK_MAX_HASH];
	size_t hl = tlsk_hash_len(s), done = 0, sl = sizeof(label) - 1 + 64;
	EVP_MAC_CTX *m = hmac_keyed(s->hash, master, 48);
	int ok = m != NULL;

	memcpy(seed, label, sizeof(label) - 1);
	memcpy(seed + sizeof(label) - 1, server_random, 32);
	memcpy(seed + sizeof(label) - 1 + 32, client_random, 32);
	/* A(1) = HMAC(secret, seed) */
	ok = ok && hmac3(m, hl, seed, sl, NULL, 0, NULL, 0, a);
	while (ok && done < out_len) {
		size_t n = out_len - done < hl ? out_len - done : hl;
		ok = hmac3(m, hl, a, hl, seed, sl, NULL, 0, t);
		if (ok) {
			memcpy(out + done, t, n);
			done += n;
			if (done < out_len)
				ok = hmac3(m, hl, a, hl, NULL, 0, NULL, 0, a);
		}
	}
	OPENSSL_cleanse(a, sizeof(a));
	OPENSSL_cleanse(t, sizeof(t));
	return ok;
}

/* key_block = client MAC key, server MAC key, client key, server key, client IV, server IV. */
int tlsk12_set_master(struct tlsk_dir *client, struct tlsk_dir *server, const struct tlsk_suite *s,
		      const uint8_t master[48], const uint8_t client_random[32],
		      const uint8_t server_random[32], int etm)
{
	uint8_t kb[2 * (TLSK_MAX_MAC_KEY + TLSK_MAX_KEY + TLSK_MAX_IV)];
	size_t ml, kl, il, n;
	int ok;

	if (client == NULL || server == NULL || client == server)
		return 0;
	tlsk_dir_clear(client);
	tlsk_dir_clear(server);
	if (s == NULL || s->version != 0x0303 || master == NULL || client_random == NULL || server_random == NULL)
		return 0;
	ml = s->mac < TLSK_HASH_COUNT ? tlsk_md_len(s->mac) : 0;
	kl = s->key_len;
	il = s->iv_len;
	n = 2 * (ml + kl + il);
	if (!key_block(s, master, client_random, server_random, kb, n)) {
		OPENSSL_cleanse(kb, sizeof(kb));
		return 0;
	}
	memcpy(client->mac_key, kb, ml);
	memcpy(server->mac_key, kb + ml, ml);
	memcpy(client->key, kb + 2 * ml, kl);
	memcpy(server->key, kb + 2 * ml + kl, kl);
	memcpy(client->iv, kb + 2 * (ml + kl), il);
	memcpy(server->iv, kb + 2 * (ml + kl) + il, il);
	OPENSSL_cleanse(kb, sizeof(kb));
	client->etm = server->etm = s->mac < TLSK_HASH_COUNT && etm;
	ok = tlsk_dir_key(client, s) && tlsk_dir_key(server, s);
	if (!ok) {
		tlsk_dir_clear(client);
		tlsk_dir_clear(server);
	}
	return ok;
}

struct tlsk_transcript {
	EVP_MD_CTX *md;
};

struct tlsk_transcript *tlsk_transcript_new(const struct tlsk_suite *s)
{
	const struct tlsk_algs *a = tlsk_algs();
	struct tlsk_transcript *t;

	if (s == NULL || a == NULL || a->md[s->hash] == NULL)
		return NULL;
	t = OPENSSL_zalloc(sizeof(*t));
	if (t == NULL)
		return NULL;
	t->md = EVP_MD_CTX_new();
	if (t->md == NULL || !EVP_DigestInit_ex2(t->md, a->md[s->hash], NULL)) {
		tlsk_transcript_free(t);
		return NULL;
	}
	return t;
}

void tlsk_transcript_free(struct tlsk_transcript *t)
{
	if (t == NULL)
		return;
	EVP_MD_CTX_free(t->md);
	OPENSSL_free(t);
}

int tlsk_transcript_add(struct tlsk_transcript *t, const uint8_t *msg, size_t len)
{
	return t != NULL && (len == 0 || EVP_DigestUpdate(t->md, msg, len));
}

size_t tlsk_transcript_peek(const struct tlsk_transcript *t, uint8_t *out)
{
	EVP_MD_CTX *copy;
	unsigned int n = 0;
	int ok;

	if (t == NULL)
		return 0;
	copy = EVP_MD_CTX_new();
	ok = copy != NULL && EVP_MD_CTX_copy_ex(copy, t->md) && EVP_DigestFinal_ex(copy, out, &n);
	EVP_MD_CTX_free(copy);
	return ok ? n : 0;
}
