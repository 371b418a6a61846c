/* tlsk_suite.c: the cipher suites that can be decrypted, and the OpenSSL algorithms fetched once for them. */
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>

#include "tlsk_int.h"

enum { GCM128 = TLSK_AES_128_GCM, GCM256 = TLSK_AES_256_GCM, CHACHA = TLSK_CHACHA20_POLY1305,
       CCM = TLSK_AES_128_CCM, CCM8 = TLSK_AES_128_CCM_8, CBC128 = TLSK_AES_128_CBC, CBC256 = TLSK_AES_256_CBC };
enum { SHA1 = TLSK_SHA1, SHA256 = TLSK_SHA256, SHA384 = TLSK_SHA384, AEAD = TLSK_HASH_COUNT };

#define T13(id, name, c, h, k, tag) { id, 0x0304, name, c, h, AEAD, k, 12, 0, tag }
#define GCM(id, name, c, h, k) { id, 0x0303, name, c, h, AEAD, k, 4, 8, 16 }
#define CHA(id, name) { id, 0x0303, name, CHACHA, SHA256, AEAD, 32, 12, 0, 16 }
#define CBC(id, name, c, h, m, k, ml) { id, 0x0303, name, c, h, m, k, 0, 16, ml }

/* IANA numbers, sorted. */
static const struct tlsk_suite suites[] = {
	CBC(0x002f, "TLS_RSA_WITH_AES_128_CBC_SHA", CBC128, SHA256, SHA1, 16, 20),
	CBC(0x0033, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA", CBC128, SHA256, SHA1, 16, 20),
	CBC(0x0035, "TLS_RSA_WITH_AES_256_CBC_SHA", CBC256, SHA256, SHA1, 32, 20),
	CBC(0x0039, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA", CBC256, SHA256, SHA1, 32, 20),
	CBC(0x003c, "TLS_RSA_WITH_AES_128_CBC_SHA256", CBC128, SHA256, SHA256, 16, 32),
	CBC(0x003d, "TLS_RSA_WITH_AES_256_CBC_SHA256", CBC256, SHA256, SHA256, 32, 32),
	CBC(0x0067, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256", CBC128, SHA256, SHA256, 16, 32),
	CBC(0x006b, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256", CBC256, SHA256, SHA256, 32, 32),
	GCM(0x009c, "TLS_RSA_WITH_AES_128_GCM_SHA256", GCM128, SHA256, 16),
	GCM(0x009d, "TLS_RSA_WITH_AES_256_GCM_SHA384", GCM256, SHA384, 32),
	GCM(0x009e, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", GCM128, SHA256, 16),
	GCM(0x009f, "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384", GCM256, SHA384, 32),
	T13(0x1301, "TLS_AES_128_GCM_SHA256", GCM128, SHA256, 16, 16),
	T13(0x1302, "TLS_AES_256_GCM_SHA384", GCM256, SHA384, 32, 16),
	T13(0x1303, "TLS_CHACHA20_POLY1305_SHA256", CHACHA, SHA256, 32, 16),
	T13(0x1304, "TLS_AES_128_CCM_SHA256", CCM, SHA256, 16, 16),
	T13(0x1305, "TLS_AES_128_CCM_8_SHA256", CCM8, SHA256, 16, 8),
	CBC(0xc009, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", CBC128, SHA256, SHA1, 16, 20),
	CBC(0xc00a, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", CBC256, SHA256, SHA1, 32, 20),
	CBC(0xc013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", CBC128, SHA256, SHA1, 16, 20),
	CBC(0xc014, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", CBC256, SHA256, SHA1, 32, 20),
	CBC(0xc023, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", CBC128, SHA256, SHA256, 16, 32),
	CBC(0xc024, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384", CBC256, SHA384, SHA384, 32, 48),
	CBC(0xc027, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", CBC128, SHA256, SHA256, 16, 32),
	CBC(0xc028, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384", CBC256, SHA384, SHA384, 32, 48),
	GCM(0xc02b, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", GCM128, SHA256, 16),
	GCM(0xc02c, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", GCM256, SHA384, 32),
	GCM(0xc02f, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", GCM128, SHA256, 16),
	GCM(0xc030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", GCM256, SHA384, 32),
	CHA(0xcca8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"),
	CHA(0xcca9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"),
	CHA(0xccaa, "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256"),
};

const struct tlsk_suite *tlsk_suite_find(uint16_t id)
{
	size_t lo = 0, hi = sizeof(suites) / sizeof(suites[0]);

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (suites[mid].id == id)
			return &suites[mid];
		if (suites[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const struct tlsk_suite *tlsk_suites(size_t *n)
{
	*n = sizeof(suites) / sizeof(suites[0]);
	return suites;
}

static const char *const hash_names[TLSK_HASH_COUNT] = { "SHA1", "SHA256", "SHA384" };
static const size_t hash_lens[TLSK_HASH_COUNT] = { 20, 32, 48 };
static const char *const cipher_names[TLSK_CIPHER_COUNT] = {
	"AES-128-GCM", "AES-256-GCM", "ChaCha20-Poly1305", "AES-128-CCM", "AES-128-CCM",
	"AES-128-CBC", "AES-256-CBC",
};

const char *tlsk_hash_name(int hash)
{
	return hash >= 0 && hash < TLSK_HASH_COUNT ? hash_names[hash] : NULL;
}

size_t tlsk_md_len(int hash)
{
	return hash >= 0 && hash < TLSK_HASH_COUNT ? hash_lens[hash] : 0;
}

size_t tlsk_hash_len(const struct tlsk_suite *s)
{
	return s != NULL ? tlsk_md_len(s->hash) : 0;
}

static struct tlsk_algs algs;
static CRYPTO_ONCE algs_once = CRYPTO_ONCE_STATIC_INIT;

/* Fetched once and kept for the process's life (explicit fetches are what make EVP fast). */
static void algs_fetch(void)
{
	for (int i = 0; i < TLSK_CIPHER_COUNT; i++)
		algs.cipher[i] = EVP_CIPHER_fetch(NULL, cipher_names[i], NULL);
	for (int i = 0; i < TLSK_HASH_COUNT; i++)
		algs.md[i] = EVP_MD_fetch(NULL, hash_names[i], NULL);
	algs.hmac = EVP_MAC_fetch(NULL, "HMAC", NULL);
}

const struct tlsk_algs *tlsk_algs(void)
{
	if (!CRYPTO_THREAD_run_once(&algs_once, algs_fetch))
		return NULL;
	return &algs;
}

const char *tlsk_result_name(enum tlsk_result r)
{
	switch (r) {
	case TLSK_OK: return "ok";
	case TLSK_BAD_TAG: return "bad_tag";
	case TLSK_BAD_MAC: return "bad_mac";
	case TLSK_NO_CONTENT_TYPE: return "no_content_type";
	case TLSK_MALFORMED: return "malformed";
	case TLSK_NO_KEY: return "no_key";
	case TLSK_SPACE: return "space";
	case TLSK_ERROR: return "error";
	}
	return "unknown";
}
