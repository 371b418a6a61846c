/* tlsk_record.c: one direction's key state and the decryption of one protected TLS 1.3 or TLS 1.2 record. */
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "cursor.h"
#include "tlsk_int.h"

struct tlsk_dir *tlsk_dir_new(void)
{
	return OPENSSL_zalloc(sizeof(struct tlsk_dir));
}

/*
 * Cipher contexts of freed or re-keyed directions, kept per cipher (up to
 * SPARE_MAX each, per thread) and keyed again by the next direction of that
 * cipher: a connection's four directions otherwise cost four context
 * allocations, cipher inits and frees (with their cleansing of the whole
 * GCM state). A kept context still holds its last key schedule until it is
 * re-keyed; the key log's secrets stay in memory for the process's life
 * anyway.
 */
#define SPARE_MAX 16
static _Thread_local struct {
	EVP_CIPHER_CTX *c[SPARE_MAX];
	int n;
} spare[TLSK_CIPHER_COUNT];

void tlsk_dir_clear(struct tlsk_dir *d)
{
	if (d->cipher != NULL && d->suite != NULL && spare[d->suite->cipher].n < SPARE_MAX) {
		spare[d->suite->cipher].c[spare[d->suite->cipher].n++] = d->cipher;
		d->cipher = NULL;
	}
	EVP_CIPHER_CTX_free(d->cipher);
	EVP_MAC_CTX_free(d->mac);
	d->cipher = NULL;
	d->mac = NULL;
	d->suite = NULL;
	d->seq = 0;
	OPENSSL_cleanse(d->secret, sizeof(d->secret));
	OPENSSL_cleanse(d->key, sizeof(d->key));
	OPENSSL_cleanse(d->iv, sizeof(d->iv));
	OPENSSL_cleanse(d->mac_key, sizeof(d->mac_key));
}

void tlsk_dir_free(struct tlsk_dir *d)
{
	if (d == NULL)
		return;
	tlsk_dir_clear(d);
	OPENSSL_free(d);
}

int tlsk_dir_ready(const struct tlsk_dir *d) { return d != NULL && d->suite != NULL; }
const struct tlsk_suite *tlsk_dir_suite(const struct tlsk_dir *d) { return d != NULL ? d->suite : NULL; }
uint64_t tlsk_dir_seq(const struct tlsk_dir *d) { return d != NULL ? d->seq : 0; }

void tlsk_dir_set_seq(struct tlsk_dir *d, uint64_t seq)
{
	if (d != NULL)
		d->seq = seq;
}

static int is_ccm(const struct tlsk_suite *s)
{
	return s->cipher == TLSK_AES_128_CCM || s->cipher == TLSK_AES_128_CCM_8;
}

static int is_cbc(const struct tlsk_suite *s)
{
	return s->cipher == TLSK_AES_128_CBC || s->cipher == TLSK_AES_256_CBC;
}

/* The cipher context keyed once (the nonce is set per record); the HMAC context too for CBC. */
int tlsk_dir_key(struct tlsk_dir *d, const struct tlsk_suite *s)
{
	const struct tlsk_algs *a = tlsk_algs();
	EVP_CIPHER_CTX *c;
	OSSL_PARAM p[2];

	if (a == NULL || a->cipher[s->cipher] == NULL)
		return 0;
	if (spare[s->cipher].n > 0) {
		/* Set up for this cipher before: only the key changes (below). */
		c = d->cipher = spare[s->cipher].c[--spare[s->cipher].n];
		if (!is_cbc(s) && !is_ccm(s))
			goto key;
	} else {
		c = d->cipher = EVP_CIPHER_CTX_new();
		if (c == NULL || !EVP_DecryptInit_ex2(c, a->cipher[s->cipher], NULL, NULL, NULL))
			return 0;
	}
	if (is_cbc(s)) {
		if (!EVP_CIPHER_CTX_set_padding(c, 0) || a->hmac == NULL)
			return 0;
		p[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)tlsk_hash_name(s->mac), 0);
		p[1] = OSSL_PARAM_construct_end();
		d->mac = EVP_MAC_CTX_new(a->hmac);
		if (d->mac == NULL || !EVP_MAC_init(d->mac, d->mac_key, tlsk_md_len(s->mac), p))
			return 0;
	} else {
		if (EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_IVLEN, 12, NULL) <= 0)
			return 0;
		if (is_ccm(s) && EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_TAG, s->tag_len, NULL) <= 0)
			return 0;
	}
key:
	if (!EVP_DecryptInit_ex2(c, NULL, d->key, NULL, NULL))
		return 0;
	d->suite = s;
	return 1;
}

/* nonce = iv XOR the sequence number, left-padded to 12 bytes (RFC 8446 5.3, RFC 7905). */
static void xor_nonce(const struct tlsk_dir *d, uint8_t nonce[12])
{
	memcpy(nonce, d->iv, 12);
	for (int i = 0; i < 8; i++)
		nonce[11 - i] ^= (uint8_t)(d->seq >> (8 * i));
}

/* The TLS 1.2 additional data and MAC prefix: seq_num, type, version, length. */
static void aad12(uint64_t seq, const uint8_t *hdr, size_t len, uint8_t out[13])
{
	for (int i = 0; i < 8; i++)
		out[i] = (uint8_t)(seq >> (56 - 8 * i));
	out[8] = hdr[0];
	out[9] = hdr[1];
	out[10] = hdr[2];
	out[11] = (uint8_t)(len >> 8);
	out[12] = (uint8_t)len;
}

/* 1 authentic (out holds ct_len bytes), 0 the tag failed, -1 the library failed. */
static int aead_open(struct tlsk_dir *d, const uint8_t nonce[12], const uint8_t *aad, size_t aad_len,
		     const uint8_t *ct, size_t ct_len, const uint8_t *tag, uint8_t *out)
{
	EVP_CIPHER_CTX *c = d->cipher;
	uint8_t t[16];
	int n = 0, fin = 0;
	size_t tl = d->suite->tag_len;

	if (ct_len > INT32_MAX)
		return -1;
	memcpy(t, tag, tl);
	if (is_ccm(d->suite)) {
		/* CCM: the expected tag and the total length come first; the last update checks the tag. */
		if (EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_TAG, (int)tl, t) <= 0 ||
		    !EVP_DecryptInit_ex2(c, NULL, NULL, nonce, NULL) ||
		    !EVP_DecryptUpdate(c, NULL, &n, NULL, (int)ct_len) ||
		    !EVP_DecryptUpdate(c, NULL, &n, aad, (int)aad_len))
			return -1;
		return EVP_DecryptUpdate(c, out, &n, ct, (int)ct_len) > 0 ? 1 : 0;
	}
	if (!EVP_DecryptInit_ex2(c, NULL, NULL, nonce, NULL) ||
	    !EVP_DecryptUpdate(c, NULL, &n, aad, (int)aad_len) ||
	    (ct_len != 0 && !EVP_DecryptUpdate(c, out, &n, ct, (int)ct_len)) ||
	    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_TAG, (int)tl, t) <= 0)
		return -1;
	return EVP_DecryptFinal_ex(c, out + n, &fin) > 0 ? 1 : 0;
}

/* TLS 1.3 TLSCiphertext: AAD is the header; the inner plaintext ends in its type, then zeros. */
static enum tlsk_result open13(struct tlsk_dir *d, uint8_t type, const uint8_t *hdr, const uint8_t *body,
			       size_t len, uint8_t *out, size_t *outlen, uint8_t *inner_type)
{
	size_t tl = d->suite->tag_len, n;
	uint8_t nonce[12];
	int r;

	if (type != 23 || len < tl + 1)
		return TLSK_MALFORMED;
	xor_nonce(d, nonce);
	r = aead_open(d, nonce, hdr, 5, body, len - tl, body + len - tl, out);
	if (r < 0)
		return TLSK_ERROR;
	if (r == 0)
		return TLSK_BAD_TAG;
	d->seq++;
	for (n = len - tl; n > 0 && out[n - 1] == 0; n--)
		;
	if (n == 0)
		return TLSK_NO_CONTENT_TYPE;
	*inner_type = out[n - 1];
	*outlen = n - 1;
	return TLSK_OK;
}

/* TLS 1.2 AEAD: GCM with an 8-byte explicit nonce after the 4-byte salt; ChaCha20 with iv XOR seq. */
static enum tlsk_result open12_aead(struct tlsk_dir *d, const uint8_t *hdr, const uint8_t *body, size_t len,
				    uint8_t *out, size_t *outlen, uint8_t *inner_type)
{
	const struct tlsk_suite *s = d->suite;
	size_t ex = s->explicit_len, tl = s->tag_len, ct_len;
	uint8_t nonce[12], aad[13];
	int r;

	if (len < ex + tl)
		return TLSK_MALFORMED;
	ct_len = len - ex - tl;
	if (ex != 0) {
		memcpy(nonce, d->iv, s->iv_len);
		memcpy(nonce + s->iv_len, body, ex);
	} else {
		xor_nonce(d, nonce);
	}
	aad12(d->seq, hdr, ct_len, aad);
	r = aead_open(d, nonce, aad, sizeof(aad), body + ex, ct_len, body + ex + ct_len, out);
	if (r < 0)
		return TLSK_ERROR;
	if (r == 0)
		return TLSK_BAD_TAG;
	d->seq++;
	*outlen = ct_len;
	*inner_type = hdr[0];
	return TLSK_OK;
}

/* HMAC(mac_key, seq || type || version || length || data) with the keyed context. */
static int record_mac(struct tlsk_dir *d, const uint8_t *hdr, size_t len, const uint8_t *data, uint8_t *mac)
{
	uint8_t pre[13];
	size_t n = 0;

	aad12(d->seq, hdr, len, pre);
	return EVP_MAC_init(d->mac, NULL, 0, NULL) && EVP_MAC_update(d->mac, pre, sizeof(pre)) &&
	       (len == 0 || EVP_MAC_update(d->mac, data, len)) &&
	       EVP_MAC_final(d->mac, mac, &n, TLSK_MAX_HASH) && n == d->suite->tag_len;
}

static int cbc_decrypt(struct tlsk_dir *d, const uint8_t *iv, const uint8_t *ct, size_t n, uint8_t *out)
{
	int m = 0;

	return n <= INT32_MAX && EVP_DecryptInit_ex2(d->cipher, NULL, NULL, iv, NULL) &&
	       EVP_DecryptUpdate(d->cipher, out, &m, ct, (int)n) && (size_t)m == n;
}

/* The padding: the last byte p and the p bytes before it all equal p. Returns the bytes before it, or SIZE_MAX. */
static size_t cbc_unpad(const uint8_t *out, size_t n, size_t room)
{
	size_t pad;

	if (n == 0)
		return SIZE_MAX;
	pad = out[n - 1];
	if (pad + 1 > n - room)
		return SIZE_MAX;
	for (size_t i = n - 1 - pad; i < n - 1; i++)
		if (out[i] != pad)
			return SIZE_MAX;
	return n - 1 - pad;
}

/* TLS 1.2 CBC, explicit IV: MAC-then-encrypt, or encrypt-then-MAC (RFC 7366) when negotiated. */
static enum tlsk_result open12_cbc(struct tlsk_dir *d, const uint8_t *hdr, const uint8_t *body, size_t len,
				   uint8_t *out, size_t *outlen, uint8_t *inner_type)
{
	size_t ml = d->suite->tag_len, n, plen;
	uint8_t mac[TLSK_MAX_HASH];

	if (d->etm) {
		if (len < 16 + 16 + ml || (len - ml) % 16 != 0)
			return TLSK_MALFORMED;
		n = len - ml - 16;
		if (!record_mac(d, hdr, len - ml, body, mac))
			return TLSK_ERROR;
		if (CRYPTO_memcmp(mac, body + len - ml, ml) != 0)
			return TLSK_BAD_MAC;
		if (!cbc_decrypt(d, body, body + 16, n, out))
			return TLSK_ERROR;
		if ((plen = cbc_unpad(out, n, 0)) == SIZE_MAX)
			return TLSK_BAD_MAC;
	} else {
		if (len < 32 || len % 16 != 0 || len - 16 < ml + 1)
			return TLSK_MALFORMED;
		n = len - 16;
		if (!cbc_decrypt(d, body, body + 16, n, out))
			return TLSK_ERROR;
		if ((plen = cbc_unpad(out, n, ml)) == SIZE_MAX)
			return TLSK_BAD_MAC;
		plen -= ml;
		if (!record_mac(d, hdr, plen, out, mac))
			return TLSK_ERROR;
		if (CRYPTO_memcmp(mac, out + plen, ml) != 0)
			return TLSK_BAD_MAC;
	}
	OPENSSL_cleanse(mac, sizeof(mac));
	d->seq++;
	*outlen = plen;
	*inner_type = hdr[0];
	return TLSK_OK;
}

enum tlsk_result tlsk_decrypt(struct tlsk_dir *d, const uint8_t *hdr, const uint8_t *body, size_t len,
			      uint8_t *out, size_t cap, size_t *outlen, uint8_t *inner_type)
{
	struct cursor h;
	uint8_t type;
	uint16_t version, rec_len;

	if (d == NULL || d->suite == NULL)
		return TLSK_NO_KEY;
	if (hdr == NULL || (body == NULL && len != 0) || outlen == NULL || inner_type == NULL)
		return TLSK_MALFORMED;
	h = cur_make(hdr, 5);
	if (!cur_get_u8(&h, &type) || !cur_get_u16(&h, &version) || !cur_get_u16(&h, &rec_len) ||
	    rec_len != len)
		return TLSK_MALFORMED;
	(void)version;  /* authenticated as part of the AAD or MAC input, not checked here */
	if (out == NULL || cap < len)
		return TLSK_SPACE;
	*outlen = 0;
	if (d->suite->version == 0x0304)
		return open13(d, type, hdr, body, len, out, outlen, inner_type);
	if (is_cbc(d->suite))
		return open12_cbc(d, hdr, body, len, out, outlen, inner_type);
	return open12_aead(d, hdr, body, len, out, outlen, inner_type);
}
