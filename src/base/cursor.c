/* cursor.c: length-prefixed blocks and peeks on top of cur_get_bytes(). */
#include "cursor.h"

static int get_prefixed(struct cursor *c, struct cursor *out, size_t prefix)
{
	struct cursor copy = *c;
	uint32_t n = 0;
	uint8_t b8 = 0;
	uint16_t b16 = 0;
	int ok;

	switch (prefix) {
	case 1: ok = cur_get_u8(&copy, &b8); n = b8; break;
	case 2: ok = cur_get_u16(&copy, &b16); n = b16; break;
	default: ok = cur_get_u24(&copy, &n); break;
	}
	if (!ok || !cur_get_bytes(&copy, out, n))
		return 0;
	*c = copy;
	return 1;
}

int cur_get_u8_prefixed(struct cursor *c, struct cursor *out) { return get_prefixed(c, out, 1); }
int cur_get_u16_prefixed(struct cursor *c, struct cursor *out) { return get_prefixed(c, out, 2); }
int cur_get_u24_prefixed(struct cursor *c, struct cursor *out) { return get_prefixed(c, out, 3); }

int cur_peek_u8(const struct cursor *c, size_t off, uint8_t *out)
{
	struct cursor copy = *c;
	return cur_skip(&copy, off) && cur_get_u8(&copy, out);
}

int cur_peek_u16(const struct cursor *c, size_t off, uint16_t *out)
{
	struct cursor copy = *c;
	return cur_skip(&copy, off) && cur_get_u16(&copy, out);
}

void cur_truncate(struct cursor *c, size_t n)
{
	if (n < c->len)
		c->len = n;
}
