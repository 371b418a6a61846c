/* test_tlscrypt.c: the TLS key schedule and record decryption: RFC 8448, real OpenSSL sessions checked by tshark, every byte flipped. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tlsk.h"

/* Hex with any spacing to bytes; fails the test on odd digits or overflow. */
static size_t unhex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;
	int hi = -1;

	for (; *s != '\0'; s++) {
		int v;
		if (*s >= '0' && *s <= '9')
			v = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			v = *s - 'a' + 10;
		else if (*s >= 'A' && *s <= 'F')
			v = *s - 'A' + 10;
		else
			continue;
		if (hi < 0) {
			hi = v;
			continue;
		}
		assert_true(n < cap);
		out[n++] = (uint8_t)(hi << 4 | v);
		hi = -1;
	}
	assert_int_equal(hi, -1);
	return n;
}

static enum tlsk_result dec(struct tlsk_dir *d, const uint8_t *rec, size_t n, uint8_t *out, size_t *outlen,
			    uint8_t *type)
{
	assert_true(n >= 5);
	return tlsk_decrypt(d, rec, rec + 5, n - 5, out, n, outlen, type);
}

/* ---- RFC 8448 section 3, "Simple 1-RTT Handshake" (AES-128-GCM, SHA-256) ---- */

static const char rfc_server_hs_secret[] =
	"b6 7b 7d 69 0c c1 6c 4e 75 e5 42 13 cb 2d 37 b4"
	"e9 c9 12 bc de d9 10 5d 42 be fd 59 d3 91 ad 38";
static const char rfc_client_hs_secret[] =
	"b3 ed db 12 6e 06 7f 35 a7 80 b3 ab f4 5e 2d 8f"
	"3b 1a 95 07 38 f5 2e 96 00 74 6a 0e 27 a5 5a 21";
static const char rfc_server_app_secret[] =
	"a1 1a f9 f0 55 31 f8 56 ad 47 11 6b 45 a9 50 32"
	"82 04 b4 f4 4b fb 6b 3a 4b 4f 1f 3f cb 63 16 43";
static const char rfc_client_app_secret[] =
	"9e 40 64 6c e7 9a 7f 9d c0 5a f8 88 9b ce 65 52"
	"87 5a fa 0b 06 df 00 87 f7 92 eb b7 c1 75 04 a5";

/* The keys and ivs each secret expands to, in the order of the secrets above. */
static const char *const rfc_keys[4][2] = {
	{ "3f ce 51 60 09 c2 17 27 d0 f2 e4 e8 6e e4 03 bc", "5d 31 3e b2 67 12 76 ee 13 00 0b 30" },
	{ "db fa a6 93 d1 76 2c 5b 66 6a f5 d9 50 25 8d 01", "5b d3 c7 1b 83 6e 0b 76 bb 73 26 5f" },
	{ "9f 02 28 3b 6c 9c 07 ef c2 6b b9 f2 ac 92 e3 56", "cf 78 2b 88 dd 83 54 9a ad f1 e9 84" },
	{ "17 42 2d da 59 6e d5 d9 ac d8 90 e3 c6 3f 50 51", "5b 78 92 3d ee 08 57 90 33 e5 23 d9" },
};

/* The ClientHello and ServerHello handshake messages (no record headers). */
static const char rfc_client_hello[] =
	"01 00 00 c0 03 03 cb 34 ec b1 e7 81 63 ba 1c 38 c6 da cb 19 6a 6d ff a2 1a 8d 99 12 ec 18 a2"
	"ef 62 83 02 4d ec e7 00 00 06 13 01 13 03 13 02 01 00 00 91 00 00 00 0b 00 09 00 00 06 73 65"
	"72 76 65 72 ff 01 00 01 00 00 0a 00 14 00 12 00 1d 00 17 00 18 00 19 01 00 01 01 01 02 01 03"
	"01 04 00 23 00 00 00 33 00 26 00 24 00 1d 00 20 99 38 1d e5 60 e4 bd 43 d2 3d 8e 43 5a 7d ba"
	"fe b3 c0 6e 51 c1 3c ae 4d 54 13 69 1e 52 9a af 2c 00 2b 00 03 02 03 04 00 0d 00 20 00 1e 04"
	"03 05 03 06 03 02 03 08 04 08 05 08 06 04 01 05 01 06 01 02 01 04 02 05 02 06 02 02 02 00 2d"
	"00 02 01 01 00 1c 00 02 40 01";
static const char rfc_server_hello[] =
	"02 00 00 56 03 03 a6 af 06 a4 12 18 60 dc 5e 6e 60 24 9c d3 4c 95 93 0c 8a c5 cb 14 34 da c1"
	"55 77 2e d3 e2 69 28 00 13 01 00 00 2e 00 33 00 24 00 1d 00 20 c9 82 88 76 11 20 95 fe 66 76"
	"2b db f7 c6 72 e1 56 d6 cc 25 3b 83 3d f1 dd 69 b1 b0 4e 75 1f 0f 00 2b 00 02 03 04";

/* "{server} send handshake record": EncryptedExtensions, Certificate, CertificateVerify, Finished. */
static const char rfc_server_flight[] =
	"17 03 03 02 a2 d1 ff 33 4a 56 f5 bf f6 59 4a 07 cc 87 b5 80 23 3f 50 0f 45 e4 89 e7 f3 3a f3 5e"
	"df 78 69 fc f4 0a a4 0a a2 b8 ea 73 f8 48 a7 ca 07 61 2e f9 f9 45 cb 96 0b 40 68 90 51 23 ea 78"
	"b1 11 b4 29 ba 91 91 cd 05 d2 a3 89 28 0f 52 61 34 aa dc 7f c7 8c 4b 72 9d f8 28 b5 ec f7 b1 3b"
	"d9 ae fb 0e 57 f2 71 58 5b 8e a9 bb 35 5c 7c 79 02 07 16 cf b9 b1 18 3e f3 ab 20 e3 7d 57 a6 b9"
	"d7 47 76 09 ae e6 e1 22 a4 cf 51 42 73 25 25 0c 7d 0e 50 92 89 44 4c 9b 3a 64 8f 1d 71 03 5d 2e"
	"d6 5b 0e 3c dd 0c ba e8 bf 2d 0b 22 78 12 cb b3 60 98 72 55 cc 74 41 10 c4 53 ba a4 fc d6 10 92"
	"8d 80 98 10 e4 b7 ed 1a 8f d9 91 f0 6a a6 24 82 04 79 7e 36 a6 a7 3b 70 a2 55 9c 09 ea d6 86 94"
	"5b a2 46 ab 66 e5 ed d8 04 4b 4c 6d e3 fc f2 a8 94 41 ac 66 27 2f d8 fb 33 0e f8 19 05 79 b3 68"
	"45 96 c9 60 bd 59 6e ea 52 0a 56 a8 d6 50 f5 63 aa d2 74 09 96 0d ca 63 d3 e6 88 61 1e a5 e2 2f"
	"44 15 cf 95 38 d5 1a 20 0c 27 03 42 72 96 8a 26 4e d6 54 0c 84 83 8d 89 f7 2c 24 46 1a ad 6d 26"
	"f5 9e ca ba 9a cb bb 31 7b 66 d9 02 f4 f2 92 a3 6a c1 b6 39 c6 37 ce 34 31 17 b6 59 62 22 45 31"
	"7b 49 ee da 0c 62 58 f1 00 d7 d9 61 ff b1 38 64 7e 92 ea 33 0f ae ea 6d fa 31 c7 a8 4d c3 bd 7e"
	"1b 7a 6c 71 78 af 36 87 90 18 e3 f2 52 10 7f 24 3d 24 3d c7 33 9d 56 84 c8 b0 37 8b f3 02 44 da"
	"8c 87 c8 43 f5 e5 6e b4 c5 e8 28 0a 2b 48 05 2c f9 3b 16 49 9a 66 db 7c ca 71 e4 59 94 26 f7 d4"
	"61 e6 6f 99 88 2b d8 9f c5 08 00 be cc a6 2d 6c 74 11 6d bd 29 72 fd a1 fa 80 f8 5d f8 81 ed be"
	"5a 37 66 89 36 b3 35 58 3b 59 91 86 dc 5c 69 18 a3 96 fa 48 a1 81 d6 b6 fa 4f 9d 62 d5 13 af bb"
	"99 2f 2b 99 2f 67 f8 af e6 7f 76 91 3f a3 88 cb 56 30 c8 ca 01 e0 c6 5d 11 c6 6a 1e 2a c4 c8 59"
	"77 b7 c7 a6 99 9b bf 10 dc 35 ae 69 f5 51 56 14 63 6c 0b 9b 68 c1 9e d2 e3 1c 0b 3b 66 76 30 38"
	"eb ba 42 f3 b3 8e dc 03 99 f3 a9 f2 3f aa 63 97 8c 31 7f c9 fa 66 a7 3f 60 f0 50 4d e9 3b 5b 84"
	"5e 27 55 92 c1 23 35 ee 34 0b bc 4f dd d5 02 78 40 16 e4 b3 be 7e f0 4d da 49 f4 b4 40 a3 0c b5"
	"d2 af 93 98 28 fd 4a e3 79 4e 44 f9 4d f5 a6 31 ed e4 2c 17 19 bf da bf 02 53 fe 51 75 be 89 8e"
	"75 0e dc 53 37 0d 2b";

/* The flight's plaintext, as far as the RFC prints it: EncryptedExtensions whole, the other headers, Finished whole. */
static const char rfc_encrypted_extensions[] =
	"08 00 00 24 00 22 00 0a 00 14 00 12 00 1d 00 17 00 18 00 19 01 00 01 01 01 02 01 03 01 04 00 1c"
	"00 02 40 01 00 00 00 00";
static const char rfc_server_finished[] =
	"14 00 00 20 9b 9b 14 1d 90 63 37 fb d2 cb dc e7 1d f4 de da 4a b4 2c 30 95 72 cb 7f ff ee 54 54"
	"b7 8f 07 18";
static const char rfc_client_finished[] =
	"14 00 00 20 a8 ec 43 6d 67 76 34 ae 52 5a c1 fc eb e1 1a 03 9e c1 76 94 fa c6 e9 85 27 b6 42 f2"
	"ed d5 ce 61";
static const char rfc_client_finished_record[] =
	"17 03 03 00 35 75 ec 4d c2 38 cc e6 0b 29 80 44 a7 1e 21 9c 56 cc 77 b0 51 7f e9 b9 3c 7a 4b fc"
	"44 d8 7f 38 f8 03 38 ac 98 fc 46 de b3 84 bd 1c ae ac ab 68 67 d7 26 c4 05 46";
/* Application data: 50 bytes 00..31 each way; the server's is its second record (after NewSessionTicket). */
static const char rfc_client_app_record[] =
	"17 03 03 00 43 a2 3f 70 54 b6 2c 94 d0 af fa fe 82 28 ba 55 cb ef ac ea 42 f9 14 aa 66 bc ab 3f"
	"2b 98 19 a8 a5 b4 6b 39 5b d5 4a 9a 20 44 1e 2b 62 97 4e 1f 5a 62 92 a2 97 70 14 bd 1e 3d ea e6"
	"3a ee bb 21 69 49 15 e4";
static const char rfc_server_app_record[] =
	"17 03 03 00 43 2e 93 7e 11 ef 4a c7 40 e5 38 ad 36 00 5f c4 a4 69 32 fc 32 25 d0 5f 82 aa 1b 36"
	"e3 0e fa f9 7d 90 e6 df fc 60 2d cb 50 1a 59 a8 fc c4 9c 4b f2 e5 f0 a2 1c 00 47 c2 ab f3 32 54"
	"0d d0 32 e1 67 c2 95 5d";

static uint8_t buf[70000], out[70000], tmp[4096];

static void test_rfc8448_keys(void **state)
{
	(void)state;
	const struct tlsk_suite *s = tlsk_suite_find(0x1301);
	const char *secrets[4] = { rfc_server_hs_secret, rfc_client_hs_secret, rfc_server_app_secret,
				   rfc_client_app_secret };
	uint8_t secret[32], want[16], got[16];

	assert_non_null(s);
	assert_int_equal(tlsk_hash_len(s), 32);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(unhex(secrets[i], secret, sizeof(secret)), 32);
		assert_int_equal(unhex(rfc_keys[i][0], want, sizeof(want)), 16);
		assert_true(tlsk13_expand_label(s, secret, "key", NULL, 0, got, 16));
		assert_memory_equal(got, want, 16);
		assert_int_equal(unhex(rfc_keys[i][1], want, sizeof(want)), 12);
		assert_true(tlsk13_expand_label(s, secret, "iv", NULL, 0, got, 12));
		assert_memory_equal(got, want, 12);
	}
}

/* The server's flight decrypts to EncryptedExtensions .. Finished, and the Finished verifies. */
static void test_rfc8448_server_flight(void **state)
{
	(void)state;
	const struct tlsk_suite *s = tlsk_suite_find(0x1301);
	struct tlsk_dir *d = tlsk_dir_new();
	struct tlsk_transcript *t = tlsk_transcript_new(s);
	uint8_t secret[32], hash[48], verify[48], want[64];
	size_t n = unhex(rfc_server_flight, buf, sizeof(buf)), outlen = 0, m;
	uint8_t type = 0;

	assert_int_equal(n, 679);
	assert_non_null(d);
	assert_non_null(t);
	unhex(rfc_server_hs_secret, secret, sizeof(secret));
	assert_int_equal(tlsk_decrypt(d, buf, buf + 5, n - 5, out, sizeof(out), &outlen, &type), TLSK_NO_KEY);
	assert_true(tlsk13_set_secret(d, s, secret, 32));
	assert_int_equal(dec(d, buf, n, out, &outlen, &type), TLSK_OK);
	assert_int_equal(type, 22);
	assert_int_equal(outlen, 657);  /* 674 - 16 tag - 1 type */
	assert_int_equal(tlsk_dir_seq(d), 1);
	m = unhex(rfc_encrypted_extensions, want, sizeof(want));
	assert_memory_equal(out, want, m);
	assert_memory_equal(out + 40, "\x0b\x00\x01\xb9", 4);       /* Certificate, 441 bytes */
	assert_memory_equal(out + 40 + 445, "\x0f\x00\x00\x84", 4); /* CertificateVerify, 132 */
	m = unhex(rfc_server_finished, want, sizeof(want));
	assert_memory_equal(out + 621, want, m);

	/* verify_data over Hash(ClientHello .. CertificateVerify), the hellos from the RFC, the rest decrypted. */
	m = unhex(rfc_client_hello, tmp, sizeof(tmp));
	assert_true(tlsk_transcript_add(t, tmp, m));
	m = unhex(rfc_server_hello, tmp, sizeof(tmp));
	assert_true(tlsk_transcript_add(t, tmp, m));
	assert_true(tlsk_transcript_add(t, out, 621));
	assert_int_equal(tlsk_transcript_peek(t, hash), 32);
	assert_int_equal(tlsk13_finished(s, secret, hash, verify), 32);
	assert_memory_equal(verify, out + 625, 32);
	verify[0] ^= 1;  /* the check can fail: another secret gives another verify_data */
	unhex(rfc_client_hs_secret, secret, sizeof(secret));
	assert_int_equal(tlsk13_finished(s, secret, hash, verify), 32);
	assert_memory_not_equal(verify, out + 625, 32);

	/* The client's Finished covers the server's too; and it decrypts from its record. */
	assert_true(tlsk_transcript_add(t, out + 621, 36));
	assert_int_equal(tlsk_transcript_peek(t, hash), 32);
	assert_int_equal(tlsk13_finished(s, secret, hash, verify), 32);
	m = unhex(rfc_client_finished, want, sizeof(want));
	assert_memory_equal(verify, want + 4, 32);
	assert_true(tlsk13_set_secret(d, s, secret, 32));
	n = unhex(rfc_client_finished_record, buf, sizeof(buf));
	assert_int_equal(dec(d, buf, n, out, &outlen, &type), TLSK_OK);
	assert_int_equal(type, 22);
	assert_int_equal(outlen, 36);
	assert_memory_equal(out, want, 36);
	tlsk_transcript_free(t);
	tlsk_dir_free(d);
}

static void test_rfc8448_application_data(void **state)
{
	(void)state;
	const struct tlsk_suite *s = tlsk_suite_find(0x1301);
	struct tlsk_dir *c = tlsk_dir_new(), *sv = tlsk_dir_new();
	uint8_t secret[32], payload[50], type = 0;
	size_t n, outlen = 0;

	for (int i = 0; i < 50; i++)
		payload[i] = (uint8_t)i;
	unhex(rfc_client_app_secret, secret, sizeof(secret));
	assert_true(tlsk13_set_secret(c, s, secret, 32));
	unhex(rfc_server_app_secret, secret, sizeof(secret));
	assert_true(tlsk13_set_secret(sv, s, secret, 32));

	n = unhex(rfc_client_app_record, buf, sizeof(buf));
	assert_int_equal(dec(sv, buf, n, out, &outlen, &type), TLSK_BAD_TAG);  /* the other direction's key */
	assert_int_equal(tlsk_dir_seq(sv), 0);
	assert_int_equal(dec(c, buf, n, out, &outlen, &type), TLSK_OK);
	assert_int_equal(type, 23);
	assert_int_equal(outlen, 50);
	assert_memory_equal(out, payload, 50);
	assert_int_equal(dec(c, buf, n, out, &outlen, &type), TLSK_BAD_TAG);    /* replayed: seq 1 now */

	n = unhex(rfc_server_app_record, buf, sizeof(buf));
	assert_int_equal(dec(sv, buf, n, out, &outlen, &type), TLSK_BAD_TAG);   /* seq 0 is the ticket */
	tlsk_dir_set_seq(sv, 1);
	assert_int_equal(dec(sv, buf, n, out, &outlen, &type), TLSK_OK);
	assert_int_equal(type, 23);
	assert_int_equal(outlen, 50);
	assert_memory_equal(out, payload, 50);
	assert_int_equal(tlsk_dir_seq(sv), 2);
	tlsk_dir_free(c);
	tlsk_dir_free(sv);
}

/* Every single-byte change of a real record fails cleanly and leaves the direction as it was. */
static void test_rfc8448_flip_every_byte(void **state)
{
	(void)state;
	const struct tlsk_suite *s = tlsk_suite_find(0x1301);
	struct tlsk_dir *d = tlsk_dir_new();
	uint8_t secret[32], type;
	size_t n = unhex(rfc_server_flight, buf, sizeof(buf)), outlen;

	unhex(rfc_server_hs_secret, secret, sizeof(secret));
	assert_true(tlsk13_set_secret(d, s, secret, 32));
	for (size_t i = 0; i < n; i++) {
		enum tlsk_result r;
		buf[i] ^= 0x01;
		r = dec(d, buf, n, out, &outlen, &type);
		if (i == 0 || i == 3 || i == 4)
			assert_int_equal(r, TLSK_MALFORMED);  /* not opaque_type 23, or the length disagrees */
		else
			assert_int_equal(r, TLSK_BAD_TAG);    /* the version bytes are in the AAD */
		assert_int_equal(tlsk_dir_seq(d), 0);
		buf[i] ^= 0x01;
	}
	assert_int_equal(dec(d, buf, n, out, &outlen, &type), TLSK_OK);
	tlsk_dir_free(d);
}

/* ---- Real sessions: openssl s_server -rev and s_client -keylogfile on loopback, captured with tcpdump ----
 *
 * Made by a throwaway script (OpenSSL 3.0.19): for each suite, s_server
 * -ciphersuites X (or -cipher X) -rev -naccept 1 and s_client -tls1_3 (or
 * -tls1_2, and -no_etm once) -keylogfile fed "hello", "k" (a KeyUpdate),
 * "world"; tcpdump -i lo. Each expected plaintext is what tshark 4 printed as
 * "Decrypted TLS" with -o tls.keylog_file:KEYS, not what this library said.
 */
struct real13 {
	uint16_t suite;
	const char *secret;  /* CLIENT_HANDSHAKE_TRAFFIC_SECRET */
	const char *record;  /* the client's Finished, its first protected record */
	const char *plain;   /* tshark's decryption */
};

struct real12 {
	uint16_t suite;
	int etm;
	const char *master, *client_random, *server_random;
	const char *record[3];  /* client Finished, server Finished, client "hello\n" */
	const char *plain[3];
};

#include "tlscrypt_vectors.h"

static void test_real13_suites(void **state)
{
	(void)state;
	uint8_t secret[48], want[64], type;
	size_t n, m, outlen;

	for (size_t i = 0; i < sizeof(real13) / sizeof(real13[0]); i++) {
		const struct tlsk_suite *s = tlsk_suite_find(real13[i].suite);
		struct tlsk_dir *d = tlsk_dir_new();
		assert_non_null(s);
		m = unhex(real13[i].secret, secret, sizeof(secret));
		assert_int_equal(m, tlsk_hash_len(s));
		assert_false(tlsk13_set_secret(d, s, secret, m - 1));
		assert_true(tlsk13_set_secret(d, s, secret, m));
		n = unhex(real13[i].record, buf, sizeof(buf));
		m = unhex(real13[i].plain, want, sizeof(want));
		assert_int_equal(tlsk_decrypt(d, buf, buf + 5, n - 5, out, n - 6, &outlen, &type), TLSK_SPACE);
		assert_int_equal(dec(d, buf, n, out, &outlen, &type), TLSK_OK);
		assert_int_equal(type, 22);
		assert_int_equal(outlen, m);
		assert_memory_equal(out, want, m);
		/* Every flip fails the tag: the body, and the header (its bytes are the AAD). */
		for (size_t j = 0; j < n; j++) {
			enum tlsk_result r;
			tlsk_dir_set_seq(d, 0);
			buf[j] ^= 0x80;
			r = dec(d, buf, n, out, &outlen, &type);
			assert_true(r == TLSK_BAD_TAG || (r == TLSK_MALFORMED && (j == 0 || j == 3 || j == 4)));
			buf[j] ^= 0x80;
		}
		tlsk_dir_free(d);
	}
}

/* The client's application records across a KeyUpdate; the updated secret is the one OpenSSL logged. */
static void test_real13_key_update(void **state)
{
	(void)state;
	static const uint8_t types[] = { 23, 22, 23, 21 };
	const struct tlsk_suite *s = tlsk_suite_find(0x1301);
	struct tlsk_dir *d = tlsk_dir_new(), *e = tlsk_dir_new();
	uint8_t secret[32], next[32], want[64], type;
	size_t n, m, outlen;

	unhex(ku_secret0, secret, sizeof(secret));
	unhex(ku_secret1, next, sizeof(next));
	assert_true(tlsk13_set_secret(d, s, secret, 32));
	assert_true(tlsk13_set_secret(e, s, next, 32));
	for (size_t i = 0; i < 4; i++) {
		n = unhex(ku_records[i], buf, sizeof(buf));
		m = unhex(ku_plain[i], want, sizeof(want));
		if (i == 2) {
			/* after the KeyUpdate the old key fails, the new one works */
			assert_int_equal(dec(d, buf, n, out, &outlen, &type), TLSK_BAD_TAG);
			assert_true(tlsk13_key_update(d));
			assert_int_equal(tlsk_dir_seq(d), 0);
			assert_int_equal(dec(e, buf, n, out, &outlen, &type), TLSK_OK);
		}
		assert_int_equal(dec(d, buf, n, out, &outlen, &type), TLSK_OK);
		assert_int_equal(type, types[i]);
		assert_int_equal(outlen, m);
		assert_memory_equal(out, want, m);
	}
	assert_int_equal(tlsk_dir_seq(d), 2);
	tlsk_dir_free(d);
	tlsk_dir_free(e);
}

static void test_real12_suites(void **state)
{
	(void)state;
	uint8_t master[48], cr[32], sr[32], want[64], type;
	size_t n, m, outlen;

	for (size_t i = 0; i < sizeof(real12) / sizeof(real12[0]); i++) {
		const struct tlsk_suite *s = tlsk_suite_find(real12[i].suite);
		struct tlsk_dir *c = tlsk_dir_new(), *sv = tlsk_dir_new(), *dirs[3];
		assert_non_null(s);
		assert_int_equal(unhex(real12[i].master, master, sizeof(master)), 48);
		assert_int_equal(unhex(real12[i].client_random, cr, sizeof(cr)), 32);
		assert_int_equal(unhex(real12[i].server_random, sr, sizeof(sr)), 32);
		assert_true(tlsk12_set_master(c, sv, s, master, cr, sr, real12[i].etm));
		dirs[0] = c, dirs[1] = sv, dirs[2] = c;
		for (size_t j = 0; j < 3; j++) {
			n = unhex(real12[i].record[j], buf, sizeof(buf));
			m = unhex(real12[i].plain[j], want, sizeof(want));
			assert_int_equal(dec(dirs[j], buf, n, out, &outlen, &type), TLSK_OK);
			assert_int_equal(type, buf[0]);
			assert_int_equal(outlen, m);
			assert_memory_equal(out, want, m);
		}
		/* The client's Finished again, every byte flipped: the tag, or the MAC or padding, fails. */
		n = unhex(real12[i].record[0], buf, sizeof(buf));
		for (size_t j = 0; j < n; j++) {
			enum tlsk_result r;
			tlsk_dir_set_seq(c, 0);
			buf[j] ^= 0x01;
			r = dec(c, buf, n, out, &outlen, &type);
			if (j == 3 || j == 4)
				assert_int_equal(r, TLSK_MALFORMED);
			else
				assert_int_equal(r, s->tag_len == 16 && s->explicit_len != 16 ? TLSK_BAD_TAG : TLSK_BAD_MAC);
			assert_int_equal(tlsk_dir_seq(c), 0);
			buf[j] ^= 0x01;
		}
		/* With encrypt-then-MAC wrongly assumed (or wrongly not), a CBC record does not decrypt. */
		if (s->explicit_len == 16) {
			assert_true(tlsk12_set_master(c, sv, s, master, cr, sr, !real12[i].etm));
			assert_int_not_equal(dec(c, buf, n, out, &outlen, &type), TLSK_OK);
		}
		tlsk_dir_free(c);
		tlsk_dir_free(sv);
	}
}

/* ---- Every suite: records this library protects decrypt, at many lengths, and every flip fails ---- */

static void round_trip(const struct tlsk_suite *s, int etm)
{
	struct tlsk_dir *tx = tlsk_dir_new(), *rx = tlsk_dir_new(), *tx2 = tlsk_dir_new(), *rx2 = tlsk_dir_new();
	static const size_t lens[] = { 0, 1, 15, 16, 17, 31, 1024, 16384 };
	uint8_t key[48], cr[32], sr[32], type;
	size_t n, outlen;

	for (size_t i = 0; i < sizeof(key); i++)
		key[i] = (uint8_t)(i * 7 + s->id);
	memset(cr, 0xc1, sizeof(cr));
	memset(sr, 0x5e, sizeof(sr));
	if (s->version == 0x0304) {
		assert_true(tlsk13_set_secret(tx, s, key, tlsk_hash_len(s)));
		assert_true(tlsk13_set_secret(rx, s, key, tlsk_hash_len(s)));
	} else {
		assert_true(tlsk12_set_master(tx, tx2, s, key, cr, sr, etm));
		assert_true(tlsk12_set_master(rx, rx2, s, key, cr, sr, etm));
	}
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		for (size_t k = 0; k < lens[i]; k++)
			tmp[k % sizeof(tmp)] = (uint8_t)(k + i), buf[k] = (uint8_t)(k * 3 + 1);
		assert_int_equal(tlsk_encrypt(tx, 23, buf, lens[i], i * 5, out, sizeof(out), &n), TLSK_OK);
		memcpy(buf, out, n);
		assert_int_equal(dec(rx, buf, n, out, &outlen, &type), TLSK_OK);
		assert_int_equal(type, 23);
		assert_int_equal(outlen, lens[i]);
		for (size_t k = 0; k < lens[i]; k++)
			assert_int_equal(out[k], (uint8_t)(k * 3 + 1));
	}
	/* A short record, every byte flipped, and a second record at the next sequence number. */
	assert_int_equal(tlsk_encrypt(tx, 21, (const uint8_t *)"\x02\x28", 2, 0, buf, sizeof(buf), &n), TLSK_OK);
	for (size_t j = 0; j < n; j++) {
		enum tlsk_result r;
		buf[j] ^= 0x20;
		r = dec(rx, buf, n, out, &outlen, &type);
		assert_true(r == TLSK_BAD_TAG || r == TLSK_BAD_MAC || r == TLSK_MALFORMED);
		if (r == TLSK_MALFORMED)
			assert_true(j == 0 || j == 3 || j == 4);
		buf[j] ^= 0x20;
	}
	assert_int_equal(dec(rx, buf, n, out, &outlen, &type), TLSK_OK);
	assert_int_equal(type, 21);
	assert_int_equal(outlen, 2);
	/*
	 * MAC-then-encrypt leaves the padding outside the MAC: with 64 bytes of
	 * it, a flip in the next-to-last block garbles only padding, and only
	 * the padding check can see it.
	 */
	if (s->explicit_len == 16 && !etm) {
		assert_int_equal(tlsk_encrypt(tx, 23, (const uint8_t *)"hi", 2, 64, buf, sizeof(buf), &n), TLSK_OK);
		buf[n - 32] ^= 0x04;
		assert_int_equal(dec(rx, buf, n, out, &outlen, &type), TLSK_BAD_MAC);
		buf[n - 32] ^= 0x04;
		assert_int_equal(dec(rx, buf, n, out, &outlen, &type), TLSK_OK);
		assert_int_equal(outlen, 2);
	}
	/* The other direction's keys are other keys. */
	assert_int_equal(tlsk_encrypt(tx, 23, (const uint8_t *)"x", 1, 0, buf, sizeof(buf), &n), TLSK_OK);
	if (s->version == 0x0303)
		assert_int_not_equal(dec(rx2, buf, n, out, &outlen, &type), TLSK_OK);
	tlsk_dir_free(tx);
	tlsk_dir_free(rx);
	tlsk_dir_free(tx2);
	tlsk_dir_free(rx2);
}

static void test_every_suite_round_trip(void **state)
{
	(void)state;
	size_t n;
	const struct tlsk_suite *all = tlsk_suites(&n);

	assert_true(n >= 30);
	for (size_t i = 0; i < n; i++) {
		round_trip(&all[i], 0);
		if (all[i].explicit_len == 16)
			round_trip(&all[i], 1);
	}
}

static void test_suite_table(void **state)
{
	(void)state;
	size_t n;
	const struct tlsk_suite *all = tlsk_suites(&n);
	static const uint16_t unsupported[] = { 0x0000, 0x000a, 0x0005, 0x1306, 0xc09c, 0xc0ac, 0xffff, 0x0a0a };

	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			assert_true(all[i - 1].id < all[i].id);
		assert_ptr_equal(tlsk_suite_find(all[i].id), &all[i]);
		assert_true(all[i].key_len == 16 || all[i].key_len == 32);
		assert_true(all[i].version == 0x0304 ? all[i].id >> 8 == 0x13 : all[i].id >> 8 != 0x13);
	}
	for (size_t i = 0; i < sizeof(unsupported) / sizeof(unsupported[0]); i++)
		assert_null(tlsk_suite_find(unsupported[i]));
	assert_int_equal(tlsk_hash_len(tlsk_suite_find(0x1302)), 48);
	assert_int_equal(tlsk_hash_len(tlsk_suite_find(0xc028)), 48);
	assert_int_equal(tlsk_hash_len(tlsk_suite_find(0xc013)), 32);  /* the TLS 1.2 PRF, not the MAC's SHA-1 */
	assert_string_equal(tlsk_result_name(TLSK_BAD_TAG), "bad_tag");
}

/* Wrong uses are refused, not crashes. */
static void test_misuse(void **state)
{
	(void)state;
	const struct tlsk_suite *s13 = tlsk_suite_find(0x1301), *s12 = tlsk_suite_find(0xc02f);
	struct tlsk_dir *d = tlsk_dir_new(), *e = tlsk_dir_new();
	uint8_t key[48] = { 1 }, hdr[5] = { 23, 3, 3, 0, 0 }, type, hash[32] = { 0 };
	size_t outlen;

	assert_false(tlsk13_set_secret(d, s12, key, 32));
	assert_false(tlsk13_set_secret(d, NULL, key, 32));
	assert_false(tlsk12_set_master(d, e, s13, key, key, key, 0));
	assert_false(tlsk12_set_master(d, d, s12, key, key, key, 0));
	assert_false(tlsk13_key_update(d));
	assert_false(tlsk_dir_ready(d));
	assert_int_equal(tlsk13_finished(s12, key, hash, hash), 0);
	assert_int_equal(tlsk_decrypt(NULL, hdr, NULL, 0, out, 0, &outlen, &type), TLSK_NO_KEY);
	assert_true(tlsk13_set_secret(d, s13, key, 32));
	assert_true(tlsk_dir_ready(d));
	assert_ptr_equal(tlsk_dir_suite(d), s13);
	assert_int_equal(tlsk_decrypt(d, hdr, NULL, 0, out, 0, &outlen, &type), TLSK_MALFORMED);  /* no tag */
	hdr[4] = 17;
	memset(buf, 0, 17);
	assert_int_equal(tlsk_decrypt(d, hdr, buf, 16, out, 17, &outlen, &type), TLSK_MALFORMED);  /* length */
	assert_int_equal(tlsk_decrypt(d, hdr, buf, 17, out, 17, &outlen, &type), TLSK_BAD_TAG);
	/* An authentic record of zeros only has no content type; the sequence number moves on. */
	assert_int_equal(tlsk_encrypt(d, 0, NULL, 0, 3, buf, sizeof(buf), &outlen), TLSK_OK);
	tlsk_dir_set_seq(d, 0);
	assert_int_equal(dec(d, buf, outlen, out, &outlen, &type), TLSK_NO_CONTENT_TYPE);
	assert_int_equal(tlsk_dir_seq(d), 1);
	tlsk_dir_free(d);
	tlsk_dir_free(e);
	tlsk_dir_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc8448_keys),
		cmocka_unit_test(test_rfc8448_server_flight),
		cmocka_unit_test(test_rfc8448_application_data),
		cmocka_unit_test(test_rfc8448_flip_every_byte),
		cmocka_unit_test(test_real13_suites),
		cmocka_unit_test(test_real13_key_update),
		cmocka_unit_test(test_real12_suites),
		cmocka_unit_test(test_every_suite_round_trip),
		cmocka_unit_test(test_suite_table),
		cmocka_unit_test(test_misuse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
