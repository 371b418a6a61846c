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

/*
 * Every formatter checks the room once per field and then writes without
 * further checks; only a field that does not fit goes the slow way, through
 * ln_mem_cut(), which keeps what fits and marks the line full.
 */

static inline void ln_init(struct line *l, char *buf, size_t cap)
{
	l->buf = buf;
	l->len = 0;
	l->cap = cap;
	l->full = 0;
}

/* Whether n more bytes fit. */
static inline int ln_room(const struct line *l, size_t n) { return n <= l->cap - l->len; }

/* ln_mem's slow way: the bytes of s that fit, the line marked full if that is not all. */
void ln_mem_cut(struct line *l, const char *s, size_t n);

static inline void ln_mem(struct line *l, const char *s, size_t n)
{
	if (ln_room(l, n)) {
		memcpy(l->buf + l->len, s, n);
		l->len += n;
	} else {
		ln_mem_cut(l, s, n);
	}
}

/*
 * The first n bytes of s, where s may be read for size bytes (a table entry):
 * copying size bytes, a constant, is one or two moves instead of a call to
 * memcpy; the bytes past n are overwritten by what comes next or left unused.
 */
static inline void ln_mem_in(struct line *l, const char *s, size_t n, size_t size)
{
	if (ln_room(l, size)) {
		memcpy(l->buf + l->len, s, size);
		l->len += n;
	} else {
		ln_mem(l, s, n);
	}
}

static inline void ln_str(struct line *l, const char *s) { ln_mem(l, s, strlen(s)); }
/* A string literal, its length known at compile time. */
#define ln_lit(l, s) ln_mem((l), "" s, sizeof(s) - 1)   /* "" s: literals only */

static inline void ln_chr(struct line *l, char c)
{
	if (l->len < l->cap)
		l->buf[l->len++] = c;
	else
		l->full = 1;
}

extern const char ln_digits2[200];

/* The number of decimal digits of v. */
static inline unsigned ln_ndigits32(uint32_t v)
{
	if (v < 100000)
		return v < 100 ? (v < 10 ? 1 : 2) : v < 1000 ? 3 : v < 10000 ? 4 : 5;
	return v < 10000000 ? (v < 1000000 ? 6 : 7) : v < 100000000 ? 8 : v < 1000000000 ? 9 : 10;
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define LN_SWAR 1
/*
 * The eight decimal digits of v < 10^8 as the bytes 0..9 of one word, the
 * first digit in the lowest byte (so in memory order on a little-endian
 * machine): v is split into two halves of four digits in 32-bit lanes, each
 * half into two of two digits in 16-bit lanes, each of those into tens and
 * ones in bytes, with a multiply and shift per step instead of a division
 * (x * 10486 >> 20 is x / 100 for x < 10^4, x * 103 >> 10 is x / 10 for
 * x < 100, and no lane's product reaches the next lane).
 */
static inline uint64_t ln_swar8(uint32_t v)
{
	uint64_t x = v / 10000 | (uint64_t)(v % 10000) << 32;
	uint64_t q = (x * 10486) >> 20 & 0x0000007f0000007full;
	uint64_t y = q | (x - q * 100) << 16;
	uint64_t t = (y * 103) >> 10 & 0x000f000f000f000full;
	return t | (y - t * 10) << 8;
}
#else
#define LN_SWAR 0
#endif

/*
 * Exactly n digits of v (v < 10^n, 1 <= n <= 10), leading zeros included.
 * May use up to LN_DIGITS_ROOM bytes at dst: the bytes past the n digits
 * are scratch, overwritten by what the line gets next.
 */
#define LN_DIGITS_ROOM 10
static inline void ln_put_digits(char *dst, uint32_t v, unsigned n)
{
#if LN_SWAR
	if (n > 8) {
		uint32_t hi = v / 100000000;
		v %= 100000000;
		if (n == 10) {
			memcpy(dst, ln_digits2 + hi * 2, 2);
			dst += 2;
		} else {
			*dst++ = (char)('0' + hi);
		}
		n = 8;
	}
	/* The n wanted digits are the last n of eight; shifting drops the others. */
	uint64_t w = (ln_swar8(v) + 0x3030303030303030ull) >> (8 * (8 - n));
	memcpy(dst, &w, 8);
#else
	while (n >= 2) {
		const char *d = ln_digits2 + (v % 100) * 2;
		v /= 100;
		n -= 2;
		dst[n] = d[0];
		dst[n + 1] = d[1];
	}
	if (n == 1)
		dst[0] = (char)('0' + v);
#endif
}

/*
 * Unchecked writers for a span (below): each writes at dst and returns the
 * end of what it wrote; the bytes it may use past that end are scratch.
 */

/* Decimal of v; uses up to LN_DIGITS_ROOM bytes. */
#if defined(__GNUC__)
__attribute__((always_inline))   /* the call would cost a quarter of it */
#endif
static inline char *ln_put_u32(char *dst, uint32_t v)
{
	unsigned n;
#if LN_SWAR
	if (v < 100) {
		/* "07" from the table, one byte later for a single digit. */
		n = 1 + (v >= 10);
		memcpy(dst, ln_digits2 + 2 * v + (2 - n), 2);
		return dst + n;
	}
	if (v < 100000000) {
		/* The leading zero digits are the low zero bytes of the word. */
		uint64_t z = ln_swar8(v);
		unsigned zeros = (unsigned)__builtin_ctzll(z) / 8;
		uint64_t w = (z + 0x3030303030303030ull) >> (8 * zeros);
		memcpy(dst, &w, 8);
		return dst + 8 - zeros;
	}
#endif
	n = ln_ndigits32(v);
	ln_put_digits(dst, v, n);
	return dst + n;
}

/* A string literal; uses its length. */
#define ln_put_lit(dst, s) (memcpy((dst), "" s, sizeof(s) - 1), (dst) + sizeof(s) - 1)

/* The first n bytes of a table entry of size bytes (see ln_mem_in); uses size bytes. */
static inline char *ln_put_in(char *dst, const char *s, size_t n, size_t size)
{
	memcpy(dst, s, size);
	return dst + n;
}

/*
 * "0." to "255.", each as four bytes (the shorter ones padded with zero
 * bytes) and then its length with the dot.
 */
extern const char ln_octets[256][5];

/* A dotted quad; uses LN_IP4_ROOM bytes. */
#define LN_IP4_ROOM 16
static inline char *ln_put_ip4(char *dst, const uint8_t *a)
{
	/* Everything read before the first write: a char store could alias it. */
	const char *o0 = ln_octets[a[0]], *o1 = ln_octets[a[1]];
	const char *o2 = ln_octets[a[2]], *o3 = ln_octets[a[3]];
	size_t n0 = (uint8_t)o0[4], n1 = (uint8_t)o1[4], n2 = (uint8_t)o2[4], n3 = (uint8_t)o3[4];

	/* Each octet one 4-byte copy, the last one's dot left past the end. */
	memcpy(dst, o0, 4);
	dst += n0;
	memcpy(dst, o1, 4);
	dst += n1;
	memcpy(dst, o2, 4);
	dst += n2;
	memcpy(dst, o3, 4);
	return dst + n3 - 1;
}

/*
 * A span: a stretch of a line, at most n bytes with the writers' scratch,
 * written with the unchecked writers above. It goes straight into the line
 * when the line has room for n more bytes, else into tmp (n bytes), from
 * which ln_span_end() appends what fits (a cut line, marked full):
 *
 *	char tmp[64], *start = ln_span(l, tmp, sizeof(tmp)), *o = start;
 *	o = ln_put_lit(o, ", win ");
 *	o = ln_put_u32(o, win);
 *	ln_span_end(l, tmp, start, o);
 */
static inline char *ln_span(struct line *l, char *tmp, size_t n)
{
	return ln_room(l, n) ? l->buf + l->len : tmp;
}

static inline void ln_span_end(struct line *l, const char *tmp, const char *start, const char *end)
{
	if (start == tmp)
		ln_mem_cut(l, tmp, (size_t)(end - start));
	else
		l->len += (size_t)(end - start);
}

/* Decimal of a 32-bit number: the common case of every printer. */
static inline void ln_u32(struct line *l, uint32_t v)
{
	char tmp[LN_DIGITS_ROOM], *start = ln_span(l, tmp, sizeof(tmp));
	ln_span_end(l, tmp, start, ln_put_u32(start, v));
}

void ln_u64_wide(struct line *l, uint64_t v);

/* Decimal. */
static inline void ln_u64(struct line *l, uint64_t v)
{
	if (v <= UINT32_MAX)
		ln_u32(l, (uint32_t)v);
	else
		ln_u64_wide(l, v);
}

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
/*
 * Untrusted bytes made printable: \xNN for anything outside 0x20..0x7e (so
 * no control byte and no UTF-8, a bidirectional control among it, reaches a
 * terminal raw), and for '\\' and '"' (the string may be printed in quotes).
 */
void ln_escaped(struct line *l, const uint8_t *p, size_t n);

#endif
