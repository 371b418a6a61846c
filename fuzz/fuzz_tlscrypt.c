/* fuzz_tlscrypt.c: any bytes as protected records under a fixed key per suite, and as KeyUpdate sequences. */
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "tlsk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c)                  \
	do {                      \
		if (!(c))         \
			abort();  \
	} while (0)

/*
 * Input: a suite byte (an index into tlsk_suites(), modulo their number), a
 * flag byte (bit 0: encrypt_then_mac for CBC suites; bit 1: seal mode; bit
 * 2: keep each record's own length field instead of setting it to the
 * body's), then records (fuzz_next: a 2-byte length and the bytes).
 *
 * Open mode: an empty record is a KeyUpdate of the receiving direction (TLS
 * 1.3; TLS 1.2: the sequence number back to 0); otherwise its first 5 bytes
 * are the header and the rest the body, decrypted. The fixed key of
 * TLS_AES_128_GCM_SHA256 is RFC 8448's server handshake traffic secret, so
 * the RFC's encrypted flight decrypts.
 *
 * Seal mode: an empty record is a KeyUpdate of both ends; otherwise its
 * first byte is a content type, the second a TLS 1.3 padding length, the
 * rest plaintext, sealed and then opened: the plaintext must come back,
 * and with one byte flipped (chosen by the plaintext) it must not.
 *
 * Always: results are in range, outputs within bounds, and nothing leaks.
 */

static const uint8_t rfc8448_server_hs[32] = {
	0xb6, 0x7b, 0x7d, 0x69, 0x0c, 0xc1, 0x6c, 0x4e, 0x75, 0xe5, 0x42, 0x13, 0xcb, 0x2d, 0x37, 0xb4,
	0xe9, 0xc9, 0x12, 0xbc, 0xde, 0xd9, 0x10, 0x5d, 0x42, 0xbe, 0xfd, 0x59, 0xd3, 0x91, 0xad, 0x38,
};

/* a and b both get the client's direction of the fixed key (b is the one opened in open mode). */
static int key(struct tlsk_dir *a, struct tlsk_dir *b, const struct tlsk_suite *s, int etm)
{
	uint8_t k[48], r[32];
	struct tlsk_dir *other;
	int ok;

	for (size_t i = 0; i < sizeof(k); i++)
		k[i] = (uint8_t)(0x40 + i);
	memset(r, 0x11, sizeof(r));
	if (s->id == 0x1301)
		memcpy(k, rfc8448_server_hs, sizeof(rfc8448_server_hs));
	if (s->version == 0x0304)
		return tlsk13_set_secret(a, s, k, tlsk_hash_len(s)) && tlsk13_set_secret(b, s, k, tlsk_hash_len(s));
	other = tlsk_dir_new();
	ok = other != NULL && tlsk12_set_master(a, other, s, k, r, r, etm) &&
	     tlsk12_set_master(b, other, s, k, r, r, etm);
	tlsk_dir_free(other);
	return ok;
}

static void open_one(struct tlsk_dir *rx, const uint8_t *p, size_t n, int keep_len, uint8_t *out)
{
	uint8_t hdr[5], type = 0;
	size_t outlen = 0;
	enum tlsk_result r;
	uint64_t seq = tlsk_dir_seq(rx);

	if (n == 0) {
		if (tlsk_dir_suite(rx)->version == 0x0304)
			CHECK(tlsk13_key_update(rx));
		else
			tlsk_dir_set_seq(rx, 0);
		return;
	}
	if (n < 5)
		return;
	memcpy(hdr, p, 5);
	if (!keep_len) {
		hdr[3] = (uint8_t)((n - 5) >> 8);
		hdr[4] = (uint8_t)(n - 5);
	}
	r = tlsk_decrypt(rx, hdr, p + 5, n - 5, out, n - 5, &outlen, &type);
	CHECK(r >= TLSK_OK && r <= TLSK_ERROR && r != TLSK_NO_KEY && r != TLSK_SPACE && r != TLSK_ERROR);
	CHECK(r == TLSK_OK ? outlen <= n - 5 && tlsk_dir_seq(rx) == seq + 1 :
	      r == TLSK_NO_CONTENT_TYPE ? tlsk_dir_seq(rx) == seq + 1 : tlsk_dir_seq(rx) == seq);
}

static void seal_one(struct tlsk_dir *tx, struct tlsk_dir *rx, const uint8_t *p, size_t n, uint8_t *rec, uint8_t *out)
{
	size_t len, outlen = 0, flip;
	uint8_t type = 0;
	enum tlsk_result r;

	if (n == 0) {
		if (tlsk_dir_suite(tx)->version == 0x0304)
			CHECK(tlsk13_key_update(tx) && tlsk13_key_update(rx));
		return;
	}
	if (n < 2 || p[0] == 0)
		return;
	if (n - 2 > 16384)
		n = 2 + 16384;  /* the largest plaintext a record may carry */
	CHECK(tlsk_encrypt(tx, p[0], p + 2, n - 2, p[1], rec, 70000, &len) == TLSK_OK);
	if (n > 2) {
		flip = p[2] % len;
		rec[flip] ^= (uint8_t)(1u << (p[n - 1] & 7));
		r = tlsk_decrypt(rx, rec, rec + 5, len - 5, out, 70000, &outlen, &type);
		CHECK(r == TLSK_BAD_TAG || r == TLSK_BAD_MAC || r == TLSK_MALFORMED);
		rec[flip] ^= (uint8_t)(1u << (p[n - 1] & 7));
	}
	r = tlsk_decrypt(rx, rec, rec + 5, len - 5, out, 70000, &outlen, &type);
	CHECK(r == TLSK_OK && outlen == n - 2 && (n == 2 || memcmp(out, p + 2, n - 2) == 0));
	CHECK(type == p[0]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t count, n;
	const struct tlsk_suite *all = tlsk_suites(&count), *s;
	struct tlsk_dir *a, *b;
	uint8_t flags, *rec, *out;
	const uint8_t *p;

	if (size < 2)
		return 0;
	s = &all[data[0] % count];
	flags = data[1];
	data += 2;
	size -= 2;
	a = tlsk_dir_new();
	b = tlsk_dir_new();
	rec = malloc(70000);
	out = malloc(70000);
	CHECK(a != NULL && b != NULL && rec != NULL && out != NULL);
	CHECK(key(a, b, s, flags & 1));
	while (fuzz_next(&data, &size, &p, &n)) {
		/* A private copy of exactly n bytes, so a read past the record is one ASan sees. */
		uint8_t *copy = malloc(n ? n : 1);
		CHECK(copy != NULL);
		memcpy(copy, p, n);
		if (flags & 2)
			seal_one(a, b, copy, n, rec, out);
		else
			open_one(b, copy, n, flags & 4, out);
		free(copy);
	}
	tlsk_dir_free(a);
	tlsk_dir_free(b);
	free(rec);
	free(out);
	return 0;
}
