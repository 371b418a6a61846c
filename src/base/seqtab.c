/* seqtab.c: an open-addressing hash of conversations, in two generations so memory stays bounded. */
#include <stdlib.h>
#include <string.h>

#include "seqtab.h"

struct slot {
	struct seq_key key;
	struct seq_val val;
	uint8_t used;
};

struct gen {
	struct slot *slots;
	size_t mask, count;
};

struct seqtab {
	struct gen cur, old;
	size_t max;        /* entries per generation */
};

static uint64_t key_hash(const struct seq_key *k)
{
	uint64_t h = 0x9e3779b97f4a7c15ull ^ k->port ^ ((uint64_t)k->family << 32);
	uint64_t w;
	for (size_t i = 0; i < 32; i += 8) {
		memcpy(&w, (const uint8_t *)k + i, 8);
		h ^= w;
		h *= 0xff51afd7ed558ccdull;
		h ^= h >> 32;
	}
	h *= 0xc4ceb9fe1a85ec53ull;
	return h ^ (h >> 29);
}

static int gen_init(struct gen *g, size_t nslots)
{
	g->slots = calloc(nslots, sizeof(*g->slots));
	g->mask = nslots - 1;
	g->count = 0;
	return g->slots != NULL;
}

static struct slot *gen_lookup(const struct gen *g, const struct seq_key *k, uint64_t h)
{
	size_t i = (size_t)h & g->mask;
	if (g->slots == NULL)
		return NULL;
	for (;;) {
		struct slot *s = &g->slots[i];
		if (!s->used || memcmp(&s->key, k, sizeof(*k)) == 0)
			return s;
		i = (i + 1) & g->mask;
	}
}

static int gen_grow(struct gen *g)
{
	struct gen bigger;
	if (!gen_init(&bigger, (g->mask + 1) * 2))
		return 0;
	for (size_t i = 0; i <= g->mask; i++) {
		struct slot *s = &g->slots[i];
		if (s->used) {
			*gen_lookup(&bigger, &s->key, key_hash(&s->key)) = *s;
			bigger.count++;
		}
	}
	free(g->slots);
	*g = bigger;
	return 1;
}

struct seqtab *seqtab_new(size_t max_entries)
{
	struct seqtab *t = calloc(1, sizeof(*t));
	if (t == NULL)
		return NULL;
	t->max = max_entries < 64 ? 64 : max_entries;
	if (!gen_init(&t->cur, 1024)) {
		free(t);
		return NULL;
	}
	return t;
}

void seqtab_free(struct seqtab *t)
{
	if (t == NULL)
		return;
	free(t->cur.slots);
	free(t->old.slots);
	free(t);
}

size_t seqtab_count(const struct seqtab *t)
{
	return t->cur.count + t->old.count;
}

struct seq_val *seqtab_find(struct seqtab *t, const struct seq_key *k)
{
	uint64_t h = key_hash(k);
	struct slot *s = gen_lookup(&t->cur, k, h);
	if (s->used)
		return &s->val;
	s = gen_lookup(&t->old, k, h);
	if (s != NULL && s->used) {
		struct seq_val v = s->val;
		struct seq_val *nv = seqtab_put(t, k);
		if (nv != NULL)
			*nv = v;
		return nv;
	}
	return NULL;
}

struct seq_val *seqtab_put(struct seqtab *t, const struct seq_key *k)
{
	uint64_t h = key_hash(k);
	struct slot *s = gen_lookup(&t->cur, k, h);

	if (s->used)
		return &s->val;
	if ((t->cur.count + 1) * 4 > (t->cur.mask + 1) * 3) {
		if (t->cur.mask + 1 < t->max * 2) {
			if (!gen_grow(&t->cur))
				return NULL;
		} else {
			/* Full: the previous generation goes, this one becomes it. */
			free(t->old.slots);
			t->old = t->cur;
			if (!gen_init(&t->cur, 1024)) {
				t->cur = t->old;
				memset(&t->old, 0, sizeof(t->old));
				return NULL;
			}
		}
		s = gen_lookup(&t->cur, k, h);
	}
	s->used = 1;
	s->key = *k;
	memset(&s->val, 0, sizeof(s->val));
	t->cur.count++;
	return &s->val;
}
