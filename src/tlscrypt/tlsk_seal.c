/* tlsk_seal.c: record protection, the reverse of tlsk_record.c, for tests, fuzzing and benchmarks only. */
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "tlsk_int.h"

static void put_hdr(uint8_t *out, uint8_t type, size_t len)
{
	out[0] = type;
	out[1] = 3;
	out[2] = 3;
	out[3] = (uint8_t)(len >> 8);
	out[4] = (uint8_t)len;
}

static void put_seq(uint8_t *out, uint64_t seq)
{
	for (int i = 0; i < 8; i++)
		out[i] = (uint8_t)(seq >> (56 - 8 * i));
}

/* AEAD-seal buf[0..n) in place and write the tag after it; a fresh context (speed does not matter here). */
static int aead_seal(const struct tlsk_dir *d, const uint8_t nonce[12], const uint8_t *aad, size_t aad_len,
		     uint8_t *buf, size_t n)
{
	const struct tlsk_suite *s = d->suite;
	const struct tlsk_algs *a = tlsk_algs();
	int ccm = s->cipher == TLSK_AES_128_CCM || s->cipher == TLSK_AES_128_CCM_8, m = 0, ok;
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();

	ok = c != NULL && a != NULL && n <= INT32_MAX &&
	     EVP_EncryptInit_ex2(c, a->cipher[s->cipher], NULL, NULL, NULL) &&
	     EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_IVLEN, 12, NULL) > 0 &&
	     (!ccm || EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_TAG, s->tag_len, NULL) > 0) &&
	     EVP_EncryptInit_ex2(c, NULL, d->key, nonce, NULL) &&
	     (!ccm || EVP_EncryptUpdate(c, NULL, &m, NULL, (int)n)) &&
	     EVP_EncryptUpdate(c, NULL, &m, aad, (int)aad_len) &&
	     (n == 0 || EVP_EncryptUpdate(c, buf, &m, buf, (int)n)) &&
	     EVP_EncryptFinal_ex(c, buf + n, &m) &&
	     EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_GET_TAG, s->tag_len, buf + n) > 0;
	EVP_CIPHER_CTX_free(c);
	return ok;
}

static void nonce_xor(const struct tlsk_dir *d, uint8_t nonce[12])
{
	memcpy(nonce, d->iv, 12);
	for (int i = 0; i < 8; i++)
		nonce[11 - i] ^= (uint8_t)(d->seq >> (8 * i));
}

static enum tlsk_result seal13(struct tlsk_dir *d, uint8_t type, const uint8_t *plain, size_t len, size_t pad,
			       uint8_t *out, size_t cap, size_t *outlen)
{
	size_t inner = len + 1 + pad, total = 5 + inner + d->suite->tag_len;
	uint8_t nonce[12];

	if (total - 5 > 0xffff || cap < total)
		return TLSK_SPACE;
	put_hdr(out, 23, total - 5);
	if (len != 0)
		memmove(out + 5, plain, len);
	out[5 + len] = type;
	memset(out + 6 + len, 0, pad);
	nonce_xor(d, nonce);
	if (!aead_seal(d, nonce, out, 5, out + 5, inner))
		return TLSK_ERROR;
	*outlen = total;
	return TLSK_OK;
}

static enum tlsk_result seal12_aead(struct tlsk_dir *d, uint8_t type, const uint8_t *plain, size_t len,
				    uint8_t *out, size_t cap, size_t *outlen)
{
	const struct tlsk_suite *s = d->suite;
	size_t ex = s->explicit_len, total = 5 + ex + len + s->tag_len;
	uint8_t nonce[12], aad[13];

	if (total - 5 > 0xffff || cap < total)
		return TLSK_SPACE;
	put_hdr(out, type, total - 5);
	if (ex != 0) {
		memcpy(nonce, d->iv, s->iv_len);
		put_seq(nonce + s->iv_len, d->seq);   /* what OpenSSL sends as the explicit nonce */
		memcpy(out + 5, nonce + s->iv_len, ex);
	} else {
		nonce_xor(d, nonce);
	}
	put_seq(aad, d->seq);
	memcpy(aad + 8, out, 3);
	aad[11] = (uint8_t)(len >> 8);
	aad[12] = (uint8_t)len;
	if (len != 0)
		memmove(out + 5 + ex, plain, len);
	if (!aead_seal(d, nonce, aad, sizeof(aad), out + 5 + ex, len))
		return TLSK_ERROR;
	*outlen = total;
	return TLSK_OK;
}

static int mac_into(struct tlsk_dir *d, uint8_t type, const uint8_t *data, size_t len, uint8_t *mac)
{
	uint8_t pre[13];
	size_t n = 0;

	put_seq(pre, d->seq);
	pre[8] = type;
	pre[9] = 3;
	pre[10] = 3;
	pre[11] = (uint8_t)(len >> 8);
	pre[12] = (uint8_t)len;
	return EVP_MAC_init(d->mac, NULL, 0, NULL) && EVP_MAC_update(d->mac, pre, sizeof(pre)) &&
	       (len == 0 || EVP_MAC_update(d->mac, data, len)) &&
	       EVP_MAC_final(d->mac, mac, &n, TLSK_MAX_HASH);
}

static int cbc_encrypt(const struct tlsk_dir *d, const uint8_t *iv, uint8_t *buf, size_t n)
{
	const struct tlsk_algs *a = tlsk_algs();
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	int m = 0, ok;

	ok = c != NULL && a != NULL && n <= INT32_MAX &&
	     EVP_EncryptInit_ex2(c, a->cipher[d->suite->cipher], d->key, iv, NULL) &&
	     EVP_CIPHER_CTX_set_padding(c, 0) && EVP_EncryptUpdate(c, buf, &m, buf, (int)n) && (size_t)m == n;
	EVP_CIPHER_CTX_free(c);
	return ok;
}

/* Explicit IV (from the sequence number), then plaintext, MAC and padding, or with EtM the MAC last. */
static enum tlsk_result seal12_cbc(struct tlsk_dir *d, uint8_t type, const uint8_t *plain, size_t len,
				   size_t extra, uint8_t *out, size_t cap, size_t *outlen)
{
	size_t ml = d->suite->tag_len, body = len + (d->etm ? 0 : ml), padlen, ct, total;
	uint8_t *iv = out + 5, *p = out + 21;

	padlen = 15 - body % 16 + 16 * (extra / 16);
	while (padlen > 255)
		padlen -= 16;
	ct = body + padlen + 1;
	total = 5 + 16 + ct + (d->etm ? ml : 0);
	if (total - 5 > 0xffff || cap < total)
		return TLSK_SPACE;
	put_hdr(out, type, total - 5);
	put_seq(iv, d->seq);
	put_seq(iv + 8, ~d->seq);
	if (len != 0)
		memmove(p, plain, len);
	if (!d->etm && !mac_into(d, type, p, len, p + len))
		return TLSK_ERROR;
	memset(p + body, (int)padlen, padlen + 1);
	if (!cbc_encrypt(d, iv, p, ct))
		return TLSK_ERROR;
	if (d->etm && !mac_into(d, type, iv, 16 + ct, p + ct))
		return TLSK_ERROR;
	*outlen = total;
	return TLSK_OK;
}

enum tlsk_result tlsk_encrypt(struct tlsk_dir *d, uint8_t type, const uint8_t *plain, size_t len, size_t pad,
			      uint8_t *out, size_t cap, size_t *outlen)
{
	enum tlsk_result r;

	if (d == NULL || d->suite == NULL)
		return TLSK_NO_KEY;
	if (out == NULL || outlen == NULL || (plain == NULL && len != 0) || len > 0xffff || pad > 0xffff)
		return TLSK_SPACE;
	if (d->suite->version == 0x0304)
		r = seal13(d, type, plain, len, pad, out, cap, outlen);
	else if (d->suite->explicit_len == 16)
		r = seal12_cbc(d, type, plain, len, pad, out, cap, outlen);
	else
		r = seal12_aead(d, type, plain, len, out, cap, outlen);
	if (r == TLSK_OK)
		d->seq++;
	return r;
}
