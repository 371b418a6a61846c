/* tlsk_int.h: what the tlscrypt files share: the direction's state and the algorithms fetched once. */
#ifndef SYNACK_TLSK_INT_H
#define SYNACK_TLSK_INT_H

#include <openssl/evp.h>

#include "tlsk.h"

#define TLSK_MAX_KEY 32
#define TLSK_MAX_IV 12
#define TLSK_MAX_MAC_KEY 48

struct tlsk_dir {
	const struct tlsk_suite *suite;  /* NULL until keyed */
	uint64_t seq;
	int etm;                         /* TLS 1.2 CBC: encrypt_then_mac */
	uint8_t secret[TLSK_MAX_SECRET]; /* TLS 1.3: the current traffic secret (for KeyUpdate) */
	uint8_t key[TLSK_MAX_KEY];
	uint8_t iv[TLSK_MAX_IV];
	uint8_t mac_key[TLSK_MAX_MAC_KEY];
	EVP_CIPHER_CTX *cipher;          /* keyed once per key; only the nonce changes per record */
	EVP_MAC_CTX *mac;                /* CBC suites: HMAC keyed once */
};

/* The algorithms, fetched once for the process (NULL if the provider lacks one). */
struct tlsk_algs {
	EVP_CIPHER *cipher[TLSK_CIPHER_COUNT];
	EVP_MD *md[TLSK_HASH_COUNT];
	EVP_MAC *hmac;
};

const struct tlsk_algs *tlsk_algs(void);
const char *tlsk_hash_name(int hash);
size_t tlsk_md_len(int hash);

/* Key the direction's cipher (and HMAC) contexts from d->key (and d->mac_key). */
int tlsk_dir_key(struct tlsk_dir *d, const struct tlsk_suite *s);
/* Wipe the keys and drop the contexts: the direction is no longer ready. */
void tlsk_dir_clear(struct tlsk_dir *d);
/* One HMAC with a fresh context (Finished, not per record). */
int tlsk_hmac(int hash, const uint8_t *key, size_t key_len, const uint8_t *data, size_t len, uint8_t *out);

#endif
