/* reasm_int.h: what the reasm*.c files share with one another only: the extension and its offsets. */
#ifndef SYNACK_REASM_INT_H
#define SYNACK_REASM_INT_H

#include <stddef.h>
#include <stdint.h>

#include "reasm.h"

/* The log window is digested in blocks of BLK bytes (reasm.c). */
#define BLK 128u
#define NBLK (REASM_LOG_WINDOW / BLK)

struct isl {
	uint64_t start, end;
};

/* Everything past struct reasm's 32 bytes, from the first payload byte on (the model: reasm.c's top). */
struct reasm_ext {
	uint8_t *buf;
	uint64_t base;
	uint64_t ret_end;           /* buf holds the read bytes [base, ret_end) too (ret_end <= read) */
	uint32_t alloc;
	uint32_t nisl;
	struct isl *isl;            /* REASM_QUEUE_MAX slots while nisl > 0, else NULL */
	struct reasm_stats st;
	uint32_t nlog;
	uint64_t dh;                /* sum of the block rcv is in, so far (blk_sum) */
	uint8_t dok;                /* ... and every byte of it was held when hashed */
	uint64_t dvalid[NBLK / 64];
	/* Read only below nlog and where dvalid says: not cleared for a reused
	 * extension (they are over half of it, and it comes back cold). */
	struct reasm_seg log[REASM_LOG_MAX];
	uint16_t dig[NBLK];
};

static inline uint64_t min64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

static inline uint64_t max64(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

/* The end of the seen run that holds off, or off itself. */
static inline uint64_t run_end(const struct reasm *r, uint64_t off)
{
	const struct reasm_ext *x = r->x;
	if (off < r->rcv)
		return r->rcv;
	for (uint32_t i = 0; x != NULL && i < x->nisl && x->isl[i].start <= off; i++)
		if (off < x->isl[i].end)
			return x->isl[i].end;
	return off;
}

/* The end of the kept bytes (the read offset if none are). */
static inline uint64_t kept_end(const struct reasm *r)
{
	const struct reasm_ext *x = r->x;
	uint64_t e = r->rcv;
	if (x->nisl > 0)
		e = max64(e, x->isl[x->nisl - 1].end);
	return max64(e, r->read);
}

#endif
