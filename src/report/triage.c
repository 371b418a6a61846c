/* triage.c: connections counted in groups of (verdict code, server, SNI), at most max_groups of them, the rest in "other". */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bounds.h"
#include "hash.h"
#include "triage_int.h"

#define TRI_SAMPLES 8     /* groups sampled for the one to evict (Redis samples 5) */

/* Murmur3's finalizer: every bit of h moves every bit of the result (the sketch reads both ends). */
static uint64_t tri_mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ull;
	return h ^ (h >> 33);
}

/* xorshift64*: which groups to sample; deterministic, so runs are repeatable. */
static uint64_t tri_rand(struct triage *t)
{
	t->rng ^= t->rng >> 12;
	t->rng ^= t->rng << 25;
	t->rng ^= t->rng >> 27;
	return t->rng * 0x2545f4914f6cdd1dull;
}

static size_t tri_alen(int v6) { return v6 ? 16 : 4; }

static uint64_t tri_key_hash(const struct triage_conn *c, size_t sni_len)
{
	/* ok is part of the key: a code can be ok or not (a tcp.completed reported early is not) */
	uint64_t h = hash_bytes(c->ok != 0, c->code, strlen(c->code));
	h = hash_bytes(h ^ ((uint64_t)c->server_port << 1 | (c->v6 != 0)), c->server_addr, tri_alen(c->v6));
	return tri_mix(hash_bytes(h, c->sni, sni_len));
}

static int tri_same(const struct tri_group *g, uint64_t h, const struct triage_conn *c, size_t sni_len)
{
	return g->hash == h && g->port == c->server_port && g->v6 == (c->v6 != 0) && g->ok == (c->ok != 0) &&
	       g->sni_len == sni_len && (g->code == c->code || strcmp(g->code, c->code) == 0) &&
	       memcmp(g->addr, c->server_addr, tri_alen(c->v6)) == 0 &&
	       (sni_len == 0 || memcmp(tri_sni(g), c->sni, sni_len) == 0);
}

/* The bit of keys that lost connections to "other": a group made later with a clear bit is complete. */
static void tri_mark_lost(struct triage *t, uint64_t h)
{
	uint32_t bit = (uint32_t)(h % TRI_EVICTED_BITS);
	t->evicted[bit / 8] |= (uint8_t)(1u << (bit % 8));
}

static int tri_was_lost(const struct triage *t, uint64_t h)
{
	uint32_t bit = (uint32_t)(h % TRI_EVICTED_BITS);
	return t->evicted[bit / 8] >> (bit % 8) & 1;
}

/* Distinct clients: the exact set, then the sketch. */

static void tri_hll_add(uint8_t *reg, uint64_t h)
{
	uint64_t w = h >> TRI_HLL_BITS;      /* 54 bits left: the rank of their first 1 */
	uint8_t rank = w ? (uint8_t)(__builtin_ctzll(w) + 1) : (uint8_t)(64 - TRI_HLL_BITS + 1);
	uint8_t *r = &reg[h & (TRI_HLL_REGS - 1)];
	if (rank > *r)
		*r = rank;
}

/* Flajolet's estimate, linear counting while registers are still empty (small counts). */
static uint64_t tri_hll_estimate(const uint8_t *reg)
{
	const double m = TRI_HLL_REGS;
	double sum = 0, e;
	unsigned zeros = 0;

	for (unsigned i = 0; i < TRI_HLL_REGS; i++) {
		sum += 1.0 / (double)(1ull << reg[i]);
		zeros += reg[i] == 0;
	}
	e = 0.7213 / (1 + 1.079 / m) * m * m / sum;
	if (e <= 2.5 * m && zeros != 0)
		e = m * log(m / zeros);
	/* the sketch took over past the exact set: there were more than that */
	return e < TRIAGE_EXACT_CLIENTS + 1 ? TRIAGE_EXACT_CLIENTS + 1 : (uint64_t)(e + 0.5);
}

uint64_t tri_clients(const struct tri_group *g, int *estimated)
{
	const struct tri_clients *c = &g->clients;
	uint64_t n = c->hll != NULL ? tri_hll_estimate(c->hll) : c->n;

	*estimated = c->hll != NULL || c->lost;
	return n < g->conns ? n : g->conns;     /* an estimate may overshoot: never more than connections */
}

/* The exact set is full: the sketch from its hashes and h. */
static void tri_clients_sketch(struct tri_clients *c, uint64_t h)
{
	c->hll = calloc(TRI_HLL_REGS, 1);
	if (c->hll == NULL) {
		bounds_alloc_failed();
		c->lost = 1;
		return;
	}
	for (uint32_t i = 0; i < c->n; i++)
		tri_hll_add(c->hll, c->big[i]);
	tri_hll_add(c->hll, h);
	free(c->big);
	c->big = NULL;
}

static void tri_clients_add(struct tri_clients *c, uint64_t h)
{
	const uint64_t *set = c->big != NULL ? c->big : c->small;

	if (c->hll != NULL) {
		tri_hll_add(c->hll, h);
		return;
	}
	for (uint32_t i = 0; i < c->n; i++)
		if (set[i] == h)
			return;
	if (c->lost) {
		return;                       /* no room was had: the count stays a lower bound */
	} else if (c->n < TRI_SMALL) {
		c->small[c->n++] = h;
	} else if (c->n < TRIAGE_EXACT_CLIENTS) {
		if (c->big == NULL) {
			c->big = malloc(TRIAGE_EXACT_CLIENTS * sizeof(*c->big));
			if (c->big == NULL) {
				bounds_alloc_failed();
				c->lost = 1;
				return;
			}
			memcpy(c->big, c->small, sizeof(c->small));
		}
		c->big[c->n++] = h;
	} else {
		tri_clients_sketch(c, h);
	}
}

/* An address's two 8-byte halves each through the finalizer: every bit of it reaches the sketch's. */
static uint64_t tri_client_hash(const struct triage_conn *c)
{
	uint64_t w[2] = { 0, 0 }, h = 0x636c69656e74ull ^ (uint64_t)(c->v6 != 0);
	memcpy(w, c->client_addr, tri_alen(c->v6));
	h = tri_mix(h ^ w[0]);
	return tri_mix(h ^ w[1] ^ 0x5bd1e995ull);
}

/* The table: buckets for lookup, a dense array for sampling and output. */

struct triage *triage_new(size_t max_groups, unsigned examples)
{
	struct triage *t = calloc(1, sizeof(*t));
	size_t nb = 1;

	if (t == NULL) {
		bounds_alloc_failed();
		return NULL;
	}
	if (max_groups == 0)
		max_groups = 1;
	if (max_groups > SIZE_MAX / 2 / sizeof(void *))
		max_groups = SIZE_MAX / 2 / sizeof(void *);
	while (nb < max_groups)
		nb *= 2;
	t->max = max_groups;
	t->mask = nb - 1;
	t->examples = examples;
	t->rng = 0x9e3779b97f4a7c15ull;
	t->other.first_ts = INT64_MAX;
	t->other.last_ts = INT64_MIN;
	t->buckets = calloc(nb, sizeof(*t->buckets));
	t->dense = calloc(max_groups, sizeof(*t->dense));
	t->evicted = calloc(TRI_EVICTED_BITS / 8, 1);
	if (t->buckets == NULL || t->dense == NULL || t->evicted == NULL) {
		bounds_alloc_failed();
		triage_free(t);
		return NULL;
	}
	return t;
}

static void tri_group_free(struct tri_group *g)
{
	free(g->clients.big);
	free(g->clients.hll);
	free(g);
}

void triage_free(struct triage *t)
{
	if (t == NULL)
		return;
	for (size_t i = 0; t->dense != NULL && i < t->n; i++)
		tri_group_free(t->dense[i]);
	free(t->dense);
	free(t->buckets);
	free(t->evicted);
	free(t);
}

static void tri_other_times(struct tri_other *o, int64_t first, int64_t last)
{
	if (first < o->first_ts)
		o->first_ts = first;
	if (last > o->last_ts)
		o->last_ts = last;
}

/* g's counts into "other", g out of the table and freed. */
static void tri_evict_one(struct triage *t, struct tri_group *g)
{
	struct tri_group **pp = &t->buckets[g->hash & t->mask];

	t->other.conns += g->conns;
	t->other.groups++;
	if (!g->ok)
		t->other.failed += g->conns;
	tri_other_times(&t->other, g->first_ts, g->last_ts);
	tri_mark_lost(t, g->hash);
	while (*pp != g)
		pp = &(*pp)->chain;
	*pp = g->chain;
	t->dense[g->slot] = t->dense[--t->n];
	t->dense[g->slot]->slot = g->slot;
	tri_group_free(g);
	t->evictions++;
}

/* The least counted of a few sampled groups (the least recently counted of equals) makes room. */
static void tri_evict(struct triage *t)
{
	struct tri_group *victim = NULL;

	for (size_t i = 0; i < TRI_SAMPLES; i++) {
		/* a table no larger than the sample is looked at whole */
		struct tri_group *g = t->dense[t->n <= TRI_SAMPLES ? i % t->n : tri_rand(t) % t->n];
		if (victim == NULL || g->conns < victim->conns ||
		    (g->conns == victim->conns && g->touched < victim->touched))
			victim = g;
	}
	tri_evict_one(t, victim);
}

/* The bytes of s kept as a next step (cut at a word, "..." to follow when cut); *cut set then. */
static size_t tri_next_len(const char *s, int *cut)
{
	size_t n = s != NULL ? strnlen(s, TRIAGE_NEXT_MAX + 1) : 0, k;

	*cut = n > TRIAGE_NEXT_MAX;
	if (!*cut)
		return n;
	for (k = TRIAGE_NEXT_MAX - 3; k > 0 && s[k] != ' '; k--)
		;
	if (k == 0)
		k = TRIAGE_NEXT_MAX - 3;
	while (k > 0 && s[k - 1] == ' ')
		k--;
	return k;
}

static struct tri_group *tri_create(struct triage *t, uint64_t h, const struct triage_conn *c,
				    size_t sni_len)
{
	int cut;
	size_t nlen = tri_next_len(c->next_step, &cut);
	struct tri_group *g = calloc(1, sizeof(*g) + sni_len + nlen + 3 + 1);

	if (g == NULL) {
		bounds_alloc_failed();
		return NULL;
	}
	g->hash = h;
	g->code = c->code;
	g->ok = c->ok != 0;
	g->v6 = c->v6 != 0;
	memcpy(g->addr, c->server_addr, tri_alen(c->v6));
	g->port = c->server_port;
	g->sni_len = (uint8_t)sni_len;
	if (sni_len)
		memcpy(g->text, c->sni, sni_len);
	if (nlen)
		memcpy(g->text + sni_len, c->next_step, nlen);
	if (cut)
		memcpy(g->text + sni_len + nlen, "...", 3);
	g->next_len = (uint16_t)(nlen + (cut ? 3 : 0));
	g->first_ts = c->first_ts;
	g->last_ts = c->last_ts;
	g->complete = !tri_was_lost(t, h);
	if (t->n == t->max)
		tri_evict(t);
	g->chain = t->buckets[h & t->mask];
	t->buckets[h & t->mask] = g;
	g->slot = t->n;
	t->dense[t->n++] = g;
	return g;
}

int triage_add(struct triage *t, const struct triage_conn *c)
{
	size_t sni_len = c->sni_len < TRIAGE_SNI_MAX ? c->sni_len : TRIAGE_SNI_MAX;
	uint64_t h = tri_key_hash(c, sni_len);
	struct tri_group *g = t->buckets[h & t->mask];

	t->added++;
	while (g != NULL && !tri_same(g, h, c, sni_len))
		g = g->chain;
	if (g == NULL && (g = tri_create(t, h, c, sni_len)) == NULL) {
		/* no memory for its group: counted in "other", never lost */
		t->other.conns++;
		t->other.no_memory++;
		if (!c->ok)
			t->other.failed++;
		tri_other_times(&t->other, c->first_ts, c->last_ts);
		tri_mark_lost(t, h);
		return 0;
	}
	g->conns++;
	g->touched = t->added;
	if (c->first_ts < g->first_ts)
		g->first_ts = c->first_ts;
	if (c->last_ts > g->last_ts)
		g->last_ts = c->last_ts;
	tri_clients_add(&g->clients, tri_client_hash(c));
	if (g->shown >= t->examples)
		return 0;
	if (g->shown < TRIAGE_IDS)
		g->ids[g->shown] = c->id;
	g->shown++;
	return 1;
}

void triage_totals(const struct triage *t, struct triage_totals *out)
{
	out->connections = t->added;
	out->groups = t->n;
	out->other = t->other.conns;
	out->evictions = t->evictions;
	out->no_memory = t->other.no_memory;
}

uint64_t triage_evictions(const struct triage *t)
{
	return t->evictions;
}
