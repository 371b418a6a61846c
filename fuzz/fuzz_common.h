/* fuzz_common.h: how a fuzz input names its link type and splits into packets. */
#ifndef SYNACK_FUZZ_COMMON_H
#define SYNACK_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "decode.h"

static const int fuzz_links[] = {
	LINK_ETHERNET, LINK_SLL, LINK_SLL2, LINK_NULL, LINK_LOOP, LINK_RAW_LT, LINK_IPV4, LINK_IPV6,
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

#endif
