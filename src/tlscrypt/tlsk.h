/* tlsk.h: the TLS key schedule and record decryption, a pure library that knows no files and no connections. */
#ifndef SYNACK_TLSK_H
#define SYNACK_TLSK_H

#include <stddef.h>
#include <stdint.h>

/*
 * What one cipher suite needs for record protection. Looked up by its IANA
 * number; NULL for a suite this library cannot decrypt.
 */
enum tlsk_cipher {
	TLSK_AES_128_GCM, TLSK_AES_256_GCM, TLSK_CHACHA20_POLY1305,
	TLSK_AES_128_CCM, TLSK_AES_128_CCM_8, TLSK_AES_128_CBC, TLSK_AES_256_CBC,
	TLSK_CIPHER_COUNT
};
enum tlsk_hash { TLSK_SHA1, TLSK_SHA256, TLSK_SHA384, TLSK_HASH_COUNT };

struct tlsk_suite {
	uint16_t id;            /* IANA number */
	uint16_t version;       /* 0x0304 (TLS 1.3 only) or 0x0303 (TLS 1.2) */
	const char *name;       /* IANA name */
	uint8_t cipher;         /* enum tlsk_cipher */
	uint8_t hash;           /* enum tlsk_hash: HKDF / PRF hash */
	uint8_t mac;            /* enum tlsk_hash of the record HMAC (CBC); TLSK_HASH_COUNT for AEAD */
	uint8_t key_len;        /* cipher key */
	uint8_t iv_len;         /* implicit IV from the key schedule (12, 4 for TLS 1.2 GCM, 0 for CBC) */
	uint8_t explicit_len;   /* per-record explicit nonce or IV carried in the record (8 GCM, 16 CBC) */
	uint8_t tag_len;        /* AEAD tag, or HMAC length for CBC */
};

const struct tlsk_suite *tlsk_suite_find(uint16_t id);
/* The suites supported, for documentation and tests: n set to how many. */
const struct tlsk_suite *tlsk_suites(size_t *n);
/* Hash.length of the suite's key-schedule hash (32 or 48). */
size_t tlsk_hash_len(const struct tlsk_suite *s);

/*
 * One direction's current key state: the suite, the keys, the record
 * sequence number. Allocated when first needed, freed with tlsk_dir_free(),
 * which wipes every key. Not shared between threads.
 */
struct tlsk_dir;

struct tlsk_dir *tlsk_dir_new(void);
void tlsk_dir_free(struct tlsk_dir *d);
int tlsk_dir_ready(const struct tlsk_dir *d);
const struct tlsk_suite *tlsk_dir_suite(const struct tlsk_dir *d);
uint64_t tlsk_dir_seq(const struct tlsk_dir *d);
/* Set the next record's sequence number (to resume after records the capture lost). */
void tlsk_dir_set_seq(struct tlsk_dir *d, uint64_t seq);

#define TLSK_MAX_SECRET 48
#define TLSK_MAX_HASH 48

/*
 * TLS 1.3: key and iv = HKDF-Expand-Label(secret, "key"/"iv", "", len);
 * sequence number 0. secret is a handshake or application traffic secret
 * of Hash.length bytes. 1 on success, 0 on a wrong length, a TLS 1.2 suite
 * or a library failure (the direction is then not ready).
 */
int tlsk13_set_secret(struct tlsk_dir *d, const struct tlsk_suite *s, const uint8_t *secret, size_t len);
/* KeyUpdate: secret = HKDF-Expand-Label(secret, "traffic upd", "", Hash.length), re-keyed, seq 0. */
int tlsk13_key_update(struct tlsk_dir *d);
/*
 * Finished: verify_data = HMAC(finished_key, transcript_hash) with
 * finished_key = HKDF-Expand-Label(base_secret, "finished", "", Hash.length).
 * base_secret is the sender's handshake traffic secret, transcript_hash
 * Hash(ClientHello .. the message before the Finished). Writes Hash.length
 * bytes to verify_out; returns that length, 0 on failure.
 */
size_t tlsk13_finished(const struct tlsk_suite *s, const uint8_t *base_secret,
		       const uint8_t *transcript_hash, uint8_t *verify_out);
/* HKDF-Expand-Label(secret, label, context, out_len) with the suite's hash, for other derivations. */
int tlsk13_expand_label(const struct tlsk_suite *s, const uint8_t *secret, const char *label,
			const uint8_t *context, size_t context_len, uint8_t *out, size_t out_len);

/*
 * TLS 1.2: the key block from the 48-byte master secret with the TLS 1.2
 * PRF (label "key expansion", seed server_random + client_random), and both
 * directions keyed with sequence number 0. etm: encrypt_then_mac (RFC 7366)
 * was negotiated (CBC suites only; ignored for AEAD). 1 on success.
 */
int tlsk12_set_master(struct tlsk_dir *client, struct tlsk_dir *server, const struct tlsk_suite *s,
		      const uint8_t master[48], const uint8_t client_random[32],
		      const uint8_t server_random[32], int etm);

enum tlsk_result {
	TLSK_OK = 0,
	TLSK_BAD_TAG,          /* AEAD authentication failed: a wrong key, or not this key's record */
	TLSK_BAD_MAC,          /* CBC: bad padding or bad HMAC (same meaning as BAD_TAG) */
	TLSK_NO_CONTENT_TYPE,  /* TLS 1.3: authentic, but the inner plaintext is all zeros (seq moved on) */
	TLSK_MALFORMED,        /* header and body disagree, too short for the suite, not opaque_type 23 */
	TLSK_NO_KEY,           /* the direction has no key yet */
	TLSK_SPACE,            /* the output buffer is smaller than the body */
	TLSK_ERROR,            /* the crypto library failed */
};

const char *tlsk_result_name(enum tlsk_result r);

/*
 * Decrypt one record: hdr is its 5-byte header (type, version, length),
 * body the len bytes after it (the header's length must equal len). out
 * must hold cap >= len bytes; on TLSK_OK it holds *outlen bytes of
 * plaintext and *inner_type the real content type (TLS 1.3: the inner one,
 * padding stripped; TLS 1.2: the header's). The sequence number advances
 * only on TLSK_OK and TLSK_NO_CONTENT_TYPE: a record that does not
 * authenticate leaves the direction as it was, so the caller may try it
 * under other keys.
 */
enum tlsk_result tlsk_decrypt(struct tlsk_dir *d, const uint8_t *hdr, const uint8_t *body, size_t len,
			      uint8_t *out, size_t cap, size_t *outlen, uint8_t *inner_type);

/*
 * The reverse, for tests, fuzzing and benchmarks (the analysis never
 * encrypts): protect plaintext as a record of content type type at the
 * direction's sequence number, which advances. out gets the whole record,
 * header included; TLS 1.3 adds pad zero bytes of padding. Explicit
 * nonces and CBC IVs are made from the sequence number, so results are
 * reproducible (never do this in a real sender: CBC IVs must be random).
 */
enum tlsk_result tlsk_encrypt(struct tlsk_dir *d, uint8_t type, const uint8_t *plain, size_t len, size_t pad,
			      uint8_t *out, size_t cap, size_t *outlen);

/* A running transcript hash with the suite's hash, for Finished checks. */
struct tlsk_transcript;
struct tlsk_transcript *tlsk_transcript_new(const struct tlsk_suite *s);
void tlsk_transcript_free(struct tlsk_transcript *t);
int tlsk_transcript_add(struct tlsk_transcript *t, const uint8_t *msg, size_t len);
/* Hash of everything added so far (the transcript goes on); returns its length, 0 on failure. */
size_t tlsk_transcript_peek(const struct tlsk_transcript *t, uint8_t *out);

#endif
