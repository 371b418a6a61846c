/* line.h: a bounded text buffer with the few fast formatters the printers need. */
#ifndef SYNACK_LINE_H
#define SYNACK_LINE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Appends never write past cap; a line that would overflow is cut and marked full. */
struct line {
	char *buf;
	size_t len, cap;
	int full;
};

static inline void ln_init(struct line *l, char *buf, size_t cap)
{
	l->buf = buf;
	l->len = 0;
	l->cap = cap;
	l->full = 0;
}

static inline void ln_mem(struct line *l, const char *s, size_t n)
{
	if (n > l->cap - l->len) {
		n = l->cap - l->len;
		l->full = 1;
	}
	memcpy(l->buf + l->len, s, n);
	l->len += n;
}

static inline void ln_str(struct line *l, const char *s) { ln_mem(l, s, strlen(s)); }
/* A string literal, its length known at compile time. */
#define ln_lit(l, s) ln_mem((l),  s, sizeof(s) - 1)

static inline void ln_chr(struct line *l, char c)
{
	if (l->len < l->cap)
		l->buf[l->len++] = c;
	else
		l->full = 1;
}

extern const char ln_digits2[200];

/* Decimal, two digits per step from a table. */
static inline void ln_u64(struct line *l, uint64_t v)
{
	char tmp[20];
	size_t n = 0;
	while (v >= 100) {
		const char *d = ln_digits2 + (v % 100) * 2;
		v /= 100;
		tmp[sizeof(tmp) - 1 - n++] = d[1];
		tmp[sizeof(tmp) - 1 - n++] = d[0];
	}
	if (v >= 10) {
		tmp[sizeof(tmp) - 1 - n++] = ln_digits2[v * 2 + 1];
		tmp[sizeof(tmp) - 1 - n++] = ln_digits2[v * 2];
	} else {
		tmp[sizeof(tmp) - 1 - n++] = (char)('0' + v);
	}
	ln_mem(l, tmp + sizeof(tmp) - n, n);
}

static inline void ln_u32(struct line *l, uint32_t v) { ln_u64(l, v); }

/* Lower-case hex without leading zeros (printf "%x"). */
void ln_hex(struct line *l, uint64_t v);
/* Two hex digits per byte (printf "%02x" in a loop). */
void ln_hexbytes(struct line *l, const uint8_t *p, size_t n);
/* Zero-padded decimal of a fixed width (printf "%0*u"). */
void ln_u32_width(struct line *l, uint32_t v, int width);
/* Left-aligned, space-padded to width (printf "%-*s"). */
void ln_str_pad(struct line *l, const char *s, int width);
/* An IPv4 or IPv6 address exactly as tcpdump -n prints it. */
void ln_ip4(struct line *l, const uint8_t *a);
void ln_ip6(struct line *l, const uint8_t *a);
/* Either, by family. */
void ln_ip(struct line *l, int v6, const uint8_t *a);
/* Untrusted bytes made printable: \xNN for anything outside 0x20..0x7e, and '\'. */
void ln_escaped(struct line *l, const uint8_t *p, size_t n);

#endif
