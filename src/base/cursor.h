/* cursor.h: the one bounds-checked reader through which every packet byte passes. */
#ifndef SYNACK_CURSOR_H
#define SYNACK_CURSOR_H

#include <stddef.h>
#include <stdint.h>

/*
 * A view of untrusted bytes, in the manner of BoringSSL's CBS. Readers return
 * 1 and advance on success, 0 and leave the cursor untouched on failure.
 * cur_get_bytes() is the only place that compares a length with what is left;
 * every other reader goes through it.
 */
struct cursor {
	const uint8_t *p;
	size_t len;
};

static inline struct cursor cur_make(const uint8_t *p, size_t len)
{
	struct cursor c = { p, len };
	return c;
}

static inline size_t cur_len(const struct cursor *c) { return c->len; }
static inline const uint8_t *cur_data(const struct cursor *c) { return c->p; }

/* Split off the next n bytes into *out (may be NULL to skip them). */
static inline int cur_get_bytes(struct cursor *c, struct cursor *out, size_t n)
{
	if (n > c->len)
		return 0;
	if (out != NULL) {
		out->p = c->p;
		out->len = n;
	}
	if (n != 0) {
		c->p += n;
		c->len -= n;
	}
	return 1;
}

static inline int cur_skip(struct cursor *c, size_t n)
{
	return cur_get_bytes(c, NULL, n);
}

static inline int cur_get_u8(struct cursor *c, uint8_t *out)
{
	struct cursor b;
	if (!cur_get_bytes(c, &b, 1))
		return 0;
	*out = b.p[0];
	return 1;
}

static inline int cur_get_u16(struct cursor *c, uint16_t *out)
{
	struct cursor b;
	if (!cur_get_bytes(c, &b, 2))
		return 0;
	*out = (uint16_t)(b.p[0] << 8 | b.p[1]);
	return 1;
}

static inline int cur_get_u24(struct cursor *c, uint32_t *out)
{
	struct cursor b;
	if (!cur_get_bytes(c, &b, 3))
		return 0;
	*out = (uint32_t)b.p[0] << 16 | (uint32_t)b.p[1] << 8 | b.p[2];
	return 1;
}

static inline int cur_get_u32(struct cursor *c, uint32_t *out)
{
	struct cursor b;
	if (!cur_get_bytes(c, &b, 4))
		return 0;
	*out = (uint32_t)b.p[0] << 24 | (uint32_t)b.p[1] << 16 |
	       (uint32_t)b.p[2] << 8 | b.p[3];
	return 1;
}

/* Little-endian 32-bit read, for link headers written in host order. */
static inline int cur_get_u32le(struct cursor *c, uint32_t *out)
{
	struct cursor b;
	if (!cur_get_bytes(c, &b, 4))
		return 0;
	*out = (uint32_t)b.p[3] << 24 | (uint32_t)b.p[2] << 16 |
	       (uint32_t)b.p[1] << 8 | b.p[0];
	return 1;
}

/* Copy n bytes out (n must fit in dst). */
static inline int cur_copy(struct cursor *c, void *dst, size_t n)
{
	struct cursor b;
	if (!cur_get_bytes(c, &b, n))
		return 0;
	for (size_t i = 0; i < n; i++)
		((uint8_t *)dst)[i] = b.p[i];
	return 1;
}

/* Length-prefixed blocks: the prefix is consumed only if the block fits. */
int cur_get_u8_prefixed(struct cursor *c, struct cursor *out);
int cur_get_u16_prefixed(struct cursor *c, struct cursor *out);
int cur_get_u24_prefixed(struct cursor *c, struct cursor *out);

/* Peek without consuming; 0 if fewer than off+1 (or off+2) bytes remain. */
int cur_peek_u8(const struct cursor *c, size_t off, uint8_t *out);
int cur_peek_u16(const struct cursor *c, size_t off, uint16_t *out);

/* Keep at most n bytes (a length field that says less than what was captured). */
void cur_truncate(struct cursor *c, size_t n);

#endif
