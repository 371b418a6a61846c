/* hash.h: one fast, non-cryptographic hash over bytes, for the caches' lookups (never trusted alone). */
#ifndef SYNACK_HASH_H
#define SYNACK_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Multiply-xor over 8-byte words, the tail and the length folded in last. */
static inline uint64_t hash_bytes(uint64_t seed, const void *data, size_t n)
{
	const uint8_t *p = data;
	uint64_t h = seed ^ 0x9e3779b97f4a7c15ull, w;

	for (size_t left = n; left >= 8; left -= 8, p += 8) {
		memcpy(&w, p, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdull;
		h ^= h >> 29;
	}
	w = 0;
	if (n % 8 != 0)
		memcpy(&w, p, n % 8);     /* p may be NULL when n is 0 */
	h = (h ^ w ^ ((uint64_t)n << 56)) * 0xff51afd7ed558ccdull;
	return h ^ (h >> 32);
}

#endif
