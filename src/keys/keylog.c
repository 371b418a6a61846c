/* keylog.c: the key log store: client randoms hashed to entries of secrets, in bounded memory. */
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "hash.h"
#include "keylog_int.h"

#define DEFAULT_RANDOMS 1000000u
#define DEFAULT_BYTES ((size_t)256 << 20)
#define DEFAULT_DSB_BYTES ((size_t)16 << 20)
#define FIRST_BUCKETS 1024u
#define NONE UINT32_MAX

static const char *const label_names[KEYLOG_LABELS] = {
	"CLIENT_RANDOM", "CLIENT_EARLY_TRAFFIC_SECRET", "CLIENT_HANDSHAKE_TRAFFIC_SECRET",
	"SERVER_HANDSHAKE_TRAFFIC_SECRET", "CLIENT_TRAFFIC_SECRET_0", "SERVER_TRAFFIC_SECRET_0",
	"EXPORTER_SECRET", "ECH_SECRET", "ECH_CONFIG",
};

static const char *const bad_names[KEYLOG_BAD_REASONS] = {
	"not three fields", "client random not 64 hex digits", "secret not hex",
	"secret length wrong for its label", "line too long", "control byte in line",
};

const char *keylog_label_name(enum keylog_label l)
{
	return (unsigned)l < KEYLOG_LABELS ? label_names[l] : "?";
}

const char *keylog_bad_name(enum keylog_bad b)
{
	return (unsigned)b < KEYLOG_BAD_REASONS ? bad_names[b] : "?";
}

/* Take n bytes of the budget: 0 (and nothing taken) when they do not fit. */
static int charge(struct keylog *kl, size_t n)
{
	if (n > kl->lim.max_bytes - kl->bytes)
		return 0;
	kl->bytes += n;
	return 1;
}

struct keylog *keylog_new(const struct keylog_limits *lim)
{
	struct keylog *kl = calloc(1, sizeof(*kl));

	if (kl == NULL)
		return NULL;
	if (lim != NULL)
		kl->lim = *lim;
	if (kl->lim.max_randoms == 0 || kl->lim.max_randoms >= NONE)
		kl->lim.max_randoms = kl->lim.max_randoms == 0 ? DEFAULT_RANDOMS : NONE - 1;
	if (kl->lim.max_bytes == 0)
		kl->lim.max_bytes = DEFAULT_BYTES;
	if (kl->lim.max_dsb_bytes == 0)
		kl->lim.max_dsb_bytes = DEFAULT_DSB_BYTES;
	kl->nblocks = (uint32_t)((kl->lim.max_randoms + (KEYLOG_BLOCK - 1)) / KEYLOG_BLOCK);
	kl->blocks = calloc(kl->nblocks, sizeof(*kl->blocks));
	if (kl->blocks == NULL) {
		free(kl);
		return NULL;
	}
	/* the fixed parts are charged too (they may exceed a tiny budget: then nothing fits) */
	kl->bytes = sizeof(*kl) + kl->nblocks * sizeof(*kl->blocks);
	if (kl->bytes > kl->lim.max_bytes)
		kl->bytes = kl->lim.max_bytes;
	keylog_reader_reset(&kl->file_rd, KEYLOG_SRC_FILE);
	keylog_reader_reset(&kl->aux_rd, KEYLOG_SRC_MEMORY);
	return kl;
}

static struct keylog_slot *slot_at(const struct keylog *kl, uint32_t i)
{
	return &kl->blocks[i / KEYLOG_BLOCK][i % KEYLOG_BLOCK];
}

static uint32_t bucket_of(const struct keylog *kl, const uint8_t *random)
{
	return (uint32_t)(hash_bytes(kl->seed, random, KEYLOG_RANDOM_LEN) & (kl->nbuckets - 1));
}

static struct keylog_slot *lookup(const struct keylog *kl, const uint8_t *random)
{
	if (kl->nbuckets == 0)
		return NULL;
	for (uint32_t i = kl->buckets[bucket_of(kl, random)]; i != NONE;) {
		struct keylog_slot *s = slot_at(kl, i);
		if (memcmp(s->e.random, random, KEYLOG_RANDOM_LEN) == 0)
			return s;
		i = s->next;
	}
	return NULL;
}

const struct keylog_entry *keylog_find(const struct keylog *kl, const uint8_t random[KEYLOG_RANDOM_LEN])
{
	const struct keylog_slot *s = kl != NULL ? lookup(kl, random) : NULL;
	return s != NULL ? &s->e : NULL;
}

/*
 * Twice the chains (or the first ones), rehashed from the slots. A failure
 * leaves the old table: longer chains, the same answers.
 */
static void grow_buckets(struct keylog *kl)
{
	uint32_t n = kl->nbuckets ? kl->nbuckets * 2 : FIRST_BUCKETS;
	uint32_t *b;

	if (kl->nbuckets >= (1u << 31) || !charge(kl, (size_t)n * sizeof(*b)))
		return;
	/* the hash's seed drawn with the first table: a store that never holds a secret (every
	 * capture without keys is searched for secrets blocks) costs no random generator */
	if (kl->nbuckets == 0 && RAND_bytes((unsigned char *)&kl->seed, sizeof(kl->seed)) != 1)
		kl->seed = (uint64_t)(uintptr_t)kl ^ 0x5bd1e995u;
	b = malloc((size_t)n * sizeof(*b));
	if (b == NULL) {
		kl->bytes -= (size_t)n * sizeof(*b);
		return;
	}
	memset(b, 0xff, (size_t)n * sizeof(*b));
	free(kl->buckets);
	kl->bytes -= (size_t)kl->nbuckets * sizeof(*b);
	kl->buckets = b;
	kl->nbuckets = n;
	for (uint32_t i = 0; i < kl->count; i++) {
		struct keylog_slot *s = slot_at(kl, i);
		uint32_t h = bucket_of(kl, s->e.random);
		s->next = b[h];
		b[h] = i;
	}
}

/* A new entry for random, or NULL (counted: the entry bound, the budget or an allocation). */
static struct keylog_slot *new_slot(struct keylog *kl, const uint8_t *random)
{
	uint32_t i = kl->count, blk = i / KEYLOG_BLOCK, h;
	struct keylog_slot *s;

	if (i >= kl->lim.max_randoms) {
		kl->st.dropped_randoms++;
		return NULL;
	}
	if (kl->blocks[blk] == NULL) {
		size_t sz = (size_t)KEYLOG_BLOCK * sizeof(struct keylog_slot);
		if (!charge(kl, sz)) {
			kl->st.dropped_bytes++;
			return NULL;
		}
		kl->blocks[blk] = calloc(KEYLOG_BLOCK, sizeof(struct keylog_slot));
		if (kl->blocks[blk] == NULL) {
			kl->bytes -= sz;
			kl->st.alloc_failed++;
			return NULL;
		}
	}
	if (kl->count >= kl->nbuckets)
		grow_buckets(kl);
	if (kl->nbuckets == 0) {       /* not even the first table */
		kl->st.dropped_bytes++;
		return NULL;
	}
	s = slot_at(kl, i);
	memcpy(s->e.random, random, KEYLOG_RANDOM_LEN);
	h = bucket_of(kl, random);
	s->next = kl->buckets[h];
	kl->buckets[h] = i;
	kl->count++;
	kl->st.randoms++;
	return s;
}

/* n bytes of the secret arena, or NULL (counted). */
static uint8_t *arena(struct keylog *kl, size_t n)
{
	struct keylog_chunk *c = kl->chunks;

	if (c == NULL || KEYLOG_CHUNK - c->used < n) {
		if (!charge(kl, sizeof(*c))) {
			kl->st.dropped_bytes++;
			return NULL;
		}
		c = malloc(sizeof(*c));
		if (c == NULL) {
			kl->bytes -= sizeof(*c);
			kl->st.alloc_failed++;
			return NULL;
		}
		c->used = 0;
		c->next = kl->chunks;
		kl->chunks = c;
	}
	c->used += n;
	return c->data + c->used - n;
}

void keylog_store(struct keylog *kl, enum keylog_label l, const uint8_t random[KEYLOG_RANDOM_LEN],
		  const uint8_t *v, size_t n)
{
	struct keylog_slot *s = lookup(kl, random);
	uint8_t *p;

	if (s != NULL && s->e.secret[l].len != 0) {
		const struct keylog_secret *k = &s->e.secret[l];
		if (k->len == n && CRYPTO_memcmp(k->p, v, n) == 0)
			kl->st.repeated++;
		else
			kl->st.conflicts++;
		return;
	}
	if (s == NULL && kl->count >= kl->lim.max_randoms) {
		kl->st.dropped_randoms++;
		return;
	}
	if ((p = arena(kl, n)) == NULL)
		return;
	if (s == NULL && (s = new_slot(kl, random)) == NULL) {
		kl->chunks->used -= n;     /* the last bytes taken: given back */
		return;
	}
	memcpy(p, v, n);
	s->e.secret[l].p = p;
	s->e.secret[l].len = (uint16_t)n;
	kl->st.secrets++;
	kl->st.by_label[l]++;
}

const struct keylog_stats *keylog_stats(const struct keylog *kl)
{
	return &kl->st;
}

const struct keylog_limits *keylog_limits(const struct keylog *kl)
{
	return &kl->lim;
}

void keylog_close(struct keylog *kl)
{
	if (kl == NULL)
		return;
	for (struct keylog_chunk *c = kl->chunks, *next; c != NULL; c = next) {
		next = c->next;
		OPENSSL_cleanse(c->data, c->used);
		free(c);
	}
	for (uint32_t b = 0; b < kl->nblocks; b++)
		free(kl->blocks[b]);
	free(kl->blocks);
	free(kl->buckets);
	free(kl->path);
	OPENSSL_cleanse(kl, sizeof(*kl));   /* the readers' line buffers may hold hex */
	free(kl);
}
