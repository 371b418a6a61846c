/* json.c: the JSON text buffer, string escaping, timestamps and durations. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "json.h"
#include "line.h"

int jb_grow(struct jbuf *b, size_t n)
{
	size_t cap = b->cap ? b->cap : 4096;
	while (cap - b->len < n)
		cap *= 2;
	char *p = realloc(b->p, cap);
	if (p == NULL) {
		b->oom = 1;
		return 0;
	}
	b->p = p;
	b->cap = cap;
	return 1;
}

void jb_free(struct jbuf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

/* Numbers are written by the line formatters, straight into the buffer. */
void jb_u64(struct jbuf *b, uint64_t v)
{
	struct line l;
	if (!jb_room(b, 20))
		return;
	ln_init(&l, b->p + b->len, 20);
	ln_u64(&l, v);
	b->len += l.len;
}

/* A zero-padded fraction of the given number of digits. */
static void frac(struct jbuf *b, uint32_t v, int digits)
{
	struct line l;
	if (!jb_room(b, 10))
		return;
	ln_init(&l, b->p + b->len, 10);
	ln_u32_width(&l, v, digits);
	b->len += l.len;
}

/* Length of a valid UTF-8 sequence at p (at most n bytes), 0 if invalid. */
static size_t utf8_len(const uint8_t *p, size_t n)
{
	size_t len;
	uint32_t cp;

	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		len = 2, cp = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		len = 3, cp = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		len = 4, cp = p[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return len;
}

/* Eight bytes that need no escaping: none below 0x20, none 0x7f or above, no '"' or '\\'.
 * (The subtractions may flag a plain byte next to a flagged one; that only costs the
 * byte-wise path a visit.) */
static int plain8(uint64_t w)
{
	const uint64_t lo = 0x0101010101010101ull, hi = 0x8080808080808080ull;
	uint64_t q = w ^ (lo * '"'), bs = w ^ (lo * '\\');
	return (((w - lo * 0x20) | (q - lo) | (bs - lo) | (w + lo) | w) & hi) == 0;
}

/* How many leading bytes of p[0..n) are plain, in blocks: 16 at a time with SSE2 (every
 * x86-64 has it), else 8 at a time. */
static size_t plain_run(const uint8_t *p, size_t n, char *o)
{
	size_t i = 0;
#ifdef __SSE2__
	const __m128i space = _mm_set1_epi8(0x20), del = _mm_set1_epi8(0x7f),
		      quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\');
	while (i + 16 <= n) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
		/* signed compare: bytes 0x80..0xff are negative, so below 0x20 too */
		__m128i bad = _mm_or_si128(_mm_or_si128(_mm_cmplt_epi8(x, space), _mm_cmpeq_epi8(x, del)),
					   _mm_or_si128(_mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, bslash)));
		if (_mm_movemask_epi8(bad) != 0)
			break;
		_mm_storeu_si128((__m128i *)(void *)(o + i), x);
		i += 16;
	}
#endif
	while (i + 8 <= n) {
		uint64_t w;
		memcpy(&w, p + i, 8);
		if (!plain8(w))
			break;
		memcpy(o + i, &w, 8);
		i += 8;
	}
	return i;
}

/* One pass: room for the worst case (every byte as \u00XX) first, then copy and escape. */
void jb_str(struct jbuf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const uint8_t *p = (const uint8_t *)s;
	size_t i = 0, k;
	char *o;

	if (n > (SIZE_MAX - 2) / 6 || !jb_room(b, 6 * n + 2))
		return;
	o = b->p + b->len;
	*o++ = '"';
	while (i < n) {
		k = plain_run(p + i, n - i, o);
		o += k;
		i += k;
		if (i >= n)
			break;
		if (p[i] >= 0x20 && p[i] < 0x7f && p[i] != '"' && p[i] != '\\') {
			*o++ = (char)p[i++];        /* plain ASCII: the common case */
			continue;
		}
		k = p[i] >= 0x80 ? utf8_len(p + i, n - i) : 0;
		if (k != 0) {
			memcpy(o, p + i, k);
			o += k;
			i += k;
		} else if (p[i] == '"' || p[i] == '\\') {
			*o++ = '\\';
			*o++ = (char)p[i++];
		} else {
			memcpy(o, "\\u00", 4);
			o[4] = hex[p[i] >> 4];
			o[5] = hex[p[i] & 15];
			o += 6;
			i++;
		}
	}
	*o++ = '"';
	b->len = (size_t)(o - b->p);
}

void jb_cstr(struct jbuf *b, const char *s)
{
	if (s == NULL)
		jb_lit(b, "null");
	else
		jb_str(b, s, strlen(s));
}

void jb_ts(struct jbuf *b, int64_t ns, int nano)
{
	int64_t s = ns / 1000000000, f = ns % 1000000000;
	if (f < 0) {
		s -= 1;
		f += 1000000000;
	}
	if (s < 0) {
		jb_chr(b, '-');
		s = -s;
	}
	jb_u64(b, (uint64_t)s);
	jb_chr(b, '.');
	if (nano)
		frac(b, (uint32_t)f, 9);
	else
		frac(b, (uint32_t)(f / 1000), 6);
}

void jb_ms(struct jbuf *b, int64_t ns)
{
	uint64_t us;
	if (ns < 0) {
		jb_chr(b, '-');
		ns = -ns;
	}
	us = ((uint64_t)ns + 500) / 1000;      /* rounded to the microsecond */
	jb_u64(b, us / 1000);
	jb_chr(b, '.');
	frac(b, (uint32_t)(us % 1000), 3);
}

void jb_flush(struct jbuf *b, FILE *f)
{
	if (b->len)
		fwrite(b->p, 1, b->len, f);
	b->len = 0;
}
