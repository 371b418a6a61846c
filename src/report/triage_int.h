/* triage_int.h: the triage table's groups and clients, shared by triage.c (counting) and triage_out.c (output). */
#ifndef SYNACK_TRIAGE_INT_H
#define SYNACK_TRIAGE_INT_H

#include <stddef.h>
#include <stdint.h>

#include "triage.h"

#define TRI_SMALL 4                   /* client hashes kept inside the group */
#define TRI_HLL_BITS 10
#define TRI_HLL_REGS (1u << TRI_HLL_BITS)   /* one-byte registers of the estimate */

/*
 * A group's distinct clients: 64-bit hashes of their addresses, exact up to
 * TRIAGE_EXACT_CLIENTS (the first TRI_SMALL inside, then in big), then a
 * HyperLogLog sketch (about 3% standard error) that replaces the exact set.
 */
struct tri_clients {
	uint64_t small[TRI_SMALL];
	uint64_t *big;             /* TRIAGE_EXACT_CLIENTS hashes, or NULL */
	uint8_t *hll;              /* TRI_HLL_REGS registers once past the exact set, or NULL */
	uint32_t n;                /* distinct clients while exact */
	uint8_t lost;              /* an allocation failed: n is a lower bound, shown as estimated */
};

struct tri_group {
	struct tri_group *chain;   /* the next in its hash bucket */
	uint64_t hash;
	uint64_t touched;          /* the table's count of connections at its latest one */
	size_t slot;               /* its index in the table's dense array */
	const char *code;
	uint64_t conns;
	int64_t first_ts, last_ts;
	uint64_t ids[TRIAGE_IDS];  /* the first examples' connection ids */
	unsigned shown;            /* connections for which triage_add returned 1 */
	struct tri_clients clients;
	uint16_t port;
	uint16_t next_len;         /* 0: no next step */
	uint8_t ok, v6, complete, sni_len;
	uint8_t addr[16];
	char text[];               /* sni_len SNI bytes, then the next step and a NUL */
};

/* What was folded into the "other" row. */
struct tri_other {
	uint64_t conns, groups, failed, no_memory;
	int64_t first_ts, last_ts;
};

struct triage {
	size_t max, n;             /* groups allowed, held */
	size_t mask;               /* buckets - 1 (a power of two) */
	unsigned examples;
	struct tri_group **buckets;
	struct tri_group **dense;  /* the n groups, for sampling and output */
	uint8_t *evicted;          /* a bit per key hash (mod TRI_EVICTED_BITS) of a group that lost connections */
	uint64_t added, evictions, rng;
	struct tri_other other;
};

#define TRI_EVICTED_BITS (1u << 16)

/* Distinct clients of a group; *estimated set when the count is not exact. */
uint64_t tri_clients(const struct tri_group *g, int *estimated);

/* The group's SNI, and its next step (NULL when it has none). */
static inline const uint8_t *tri_sni(const struct tri_group *g) { return (const uint8_t *)g->text; }
static inline const char *tri_next(const struct tri_group *g)
{
	return g->next_len ? g->text + g->sni_len : NULL;
}

/* The groups in the table's order (failures first, ...); NULL if out of memory. Free it. */
struct tri_group **tri_sorted(const struct triage *t);

#endif
