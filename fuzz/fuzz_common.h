/* fuzz_common.h: how a fuzz input names its link type, splits into packets, and sets their time. */
#ifndef SYNACK_FUZZ_COMMON_H
#define SYNACK_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "decode.h"
#include "source.h"

static const int fuzz_links[] = {
	LINK_ETHERNET, LINK_SLL, LINK_SLL2, LINK_NULL, LINK_LOOP, LINK_RAW_LT, LINK_IPV4, LINK_IPV6,
	9, 50, 104, 242,   /* PPP, PPP_HDLC, C_HDLC, IPOIB: read by the printer (print_link.c) */
};

/* Byte 0 picks the link type; then records of a 2-byte big-endian length and that many bytes. */
static inline int fuzz_link(const uint8_t *data, size_t size)
{
	return size ? fuzz_links[data[0] % (sizeof(fuzz_links) / sizeof(fuzz_links[0]))] : LINK_ETHERNET;
}

/* The next record: 1 with p and n set, 0 at the end. A short last record takes what is left. */
static inline int fuzz_next(const uint8_t **data, size_t *size, const uint8_t **p, size_t *n)
{
	size_t len;
	if (*size < 2)
		return 0;
	len = (size_t)(*data)[0] << 8 | (*data)[1];
	*data += 2;
	*size -= 2;
	if (len > *size)
		len = *size;
	*p = *data;
	*n = len;
	*data += len;
	*size -= len;
	return 1;
}

/*
 * Time, for the harnesses that build whole captures (fuzz_analyze, fuzz_print).
 * A record whose length field is FUZZ_CLOCK is a clock, not a packet: the 12
 * bytes after it (missing ones at the end of the input read as 0) are a
 * time, ts_sec in 8 bytes big-endian two's complement (so anything: 2^63,
 * -1, ...) and ts_frac in 4, that every later packet takes until the next
 * clock, clamped as source_next() clamps what files hold
 * (source_clamp_ts()): the extremes the analysis can be handed. Before the
 * first clock each harness times packets its own way, as it always did (in
 * the corpora of 2026-12, 0xffff as a length, "the rest of the input", was 43
 * records of 33,500).
 */
#define FUZZ_CLOCK 0xffff

struct fuzz_clock {
	int set;
	int64_t sec;
	uint32_t frac;
};

/* fuzz_next(), reading clocks into clk on the way. */
static inline int fuzz_next_timed(const uint8_t **data, size_t *size, const uint8_t **p, size_t *n,
				  struct fuzz_clock *clk)
{
	while (*size >= 2 && ((size_t)(*data)[0] << 8 | (*data)[1]) == FUZZ_CLOCK) {
		uint8_t t[12] = { 0 };
		size_t k = *size - 2 < sizeof(t) ? *size - 2 : sizeof(t);
		uint64_t sec = 0;
		memcpy(t, *data + 2, k);
		*data += 2 + k;
		*size -= 2 + k;
		for (int i = 0; i < 8; i++)
			sec = sec << 8 | t[i];
		clk->set = 1;
		clk->sec = (int64_t)sec;      /* two's complement: implementation-defined, not undefined */
		clk->frac = (uint32_t)t[8] << 24 | (uint32_t)t[9] << 16 | (uint32_t)t[10] << 8 | t[11];
	}
	return fuzz_next(data, size, p, n);
}

/* A packet's time from the last clock, if any (1), clamped as source_next() does. */
static inline int fuzz_clock_apply(const struct fuzz_clock *clk, struct packet *pk)
{
	if (!clk->set)
		return 0;
	pk->ts_sec = clk->sec;
	pk->ts_frac = clk->frac;
	source_clamp_ts(pk);
	return 1;
}

#endif
