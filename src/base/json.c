/* json.c: JSON string escaping, timestamps, durations and addresses. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#include <stdatomic.h>
#endif

#include "json.h"
#include "line.h"

/*
 * The well-formed UTF-8 sequence at p (at most n bytes), by Unicode's table
 * 3-7: its length, or 0 when it is not one, with *bad the length of its
 * maximal subpart (the longest prefix of a well-formed sequence there, at
 * least one byte), which becomes one U+FFFD: Unicode's "substitution of
 * maximal subparts", as WHATWG's decoder and Python's errors="replace" do.
 * So an overlong C0 80, a surrogate ED A0 80 or F4 90 80 80 (past U+10FFFF)
 * is one U+FFFD per byte, and a sequence cut short (E2 82) one for all of it.
 */
static size_t utf8_len(const uint8_t *p, size_t n, size_t *bad)
{
	uint8_t c = p[0], lo = 0x80, hi = 0xbf;   /* the second byte's range */
	size_t len, i = 1;

	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		if (c == 0xe0)
			lo = 0xa0;                  /* below: overlong */
		else if (c == 0xed)
			hi = 0x9f;                  /* above: surrogates */
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		if (c == 0xf0)
			lo = 0x90;                  /* below: overlong */
		else if (c == 0xf4)
			hi = 0x8f;                  /* above: past U+10FFFF */
	} else {
		*bad = 1;                           /* a continuation byte, C0, C1, F5..FF */
		return 0;
	}
	if (n > 1 && p[1] >= lo && p[1] <= hi)
		for (i = 2; i < len && i < n && (p[i] & 0xc0) == 0x80; i++)
			;
	if (i == len)
		return len;
	*bad = i;
	return 0;
}

/*
 * The code point of a well-formed sequence at p of len bytes that is escaped
 * all the same, or 0: the bidirectional controls (U+061C, U+200E, U+200F,
 * U+202A..U+202E, U+2066..U+2069), which could reorder what a terminal or an
 * editor shows of the line around them, and U+2028, U+2029 (line breaks to
 * JavaScript and to some viewers).
 */
static unsigned utf8_escaped(const uint8_t *p, size_t len)
{
	if (len == 2)
		return p[0] == 0xd8 && p[1] == 0x9c ? 0x61c : 0;
	if (len != 3 || p[0] != 0xe2)
		return 0;
	if (p[1] == 0x80 && (p[2] == 0x8e || p[2] == 0x8f || (p[2] >= 0xa8 && p[2] <= 0xae)))
		return 0x2000u | (p[2] & 0x3fu);
	if (p[1] == 0x81 && p[2] >= 0xa6 && p[2] <= 0xa9)
		return 0x2040u | (p[2] & 0x3fu);
	return 0;
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

#ifdef __SSE2__
/* The bytes of x that need escaping, as a mask: one add and signed compare find those
 * below 0x20 and from 0x7f up (0x21 > x + 1 as signed bytes), two compares '"' and '\\'. */
static inline __m128i bad16(__m128i x)
{
	__m128i low = _mm_cmpgt_epi8(_mm_set1_epi8(0x21), _mm_add_epi8(x, _mm_set1_epi8(1)));
	return _mm_or_si128(low, _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('"')),
					      _mm_cmpeq_epi8(x, _mm_set1_epi8('\\'))));
}
#endif

#if defined(__x86_64__) && defined(__GNUC__)
/* The same 32 bytes at a time, for CPUs with AVX2 (asked once, at the first string). */
#define JB_AVX2 1
__attribute__((target("avx2"))) static inline __m256i bad32(__m256i x)
{
	__m256i low = _mm256_cmpgt_epi8(_mm256_set1_epi8(0x21), _mm256_add_epi8(x, _mm256_set1_epi8(1)));
	return _mm256_or_si256(low, _mm256_or_si256(_mm256_cmpeq_epi8(x, _mm256_set1_epi8('"')),
						    _mm256_cmpeq_epi8(x, _mm256_set1_epi8('\\'))));
}

/* plain_run's work for n >= 32. */
__attribute__((target("avx2"))) static size_t plain_run_avx2(const uint8_t *p, size_t n, char *o)
{
	size_t i = 0;
	unsigned m;

	while (i + 32 <= n) {
		__m256i x = _mm256_loadu_si256((const __m256i *)(const void *)(p + i));
		_mm256_storeu_si256((__m256i *)(void *)(o + i), x);
		m = (unsigned)_mm256_movemask_epi8(bad32(x));
		if (m != 0)
			return i + (size_t)__builtin_ctz(m);
		i += 32;
	}
	if (i == n)
		return n;
	/* The tail as the last 32 bytes, overlapping what is done. */
	__m256i x = _mm256_loadu_si256((const __m256i *)(const void *)(p + n - 32));
	m = (unsigned)_mm256_movemask_epi8(bad32(x)) >> (32 - (n - i));
	if (m == 0) {
		_mm256_storeu_si256((__m256i *)(void *)(o + n - 32), x);
		return n;
	}
	memcpy(o + i, p + i, n - i);
	return i + (size_t)__builtin_ctz(m);
}

static int have_avx2(void)
{
	static _Atomic int known = -1;     /* -1 not asked yet */
	int k = atomic_load_explicit(&known, memory_order_relaxed);
	if (k < 0) {
		__builtin_cpu_init();
		k = __builtin_cpu_supports("avx2") != 0;
		atomic_store_explicit(&known, k, memory_order_relaxed);
	}
	return k;
}
#endif

/* How many leading bytes of p[0..n) are plain, copied to o as they go, in blocks: with
 * AVX2 32 at a time, else with SSE2 (every x86-64 has it) 16, else 8. The copies may run
 * past the plain bytes (up to n); what comes next overwrites them. */
static size_t plain_run(const uint8_t *p, size_t n, char *o)
{
	size_t i = 0;
#ifdef JB_AVX2
	if (n >= 32 && have_avx2())
		return plain_run_avx2(p, n, o);
#endif
#ifdef __SSE2__
	while (i + 32 <= n) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
		__m128i y = _mm_loadu_si128((const __m128i *)(const void *)(p + i + 16));
		_mm_storeu_si128((__m128i *)(void *)(o + i), x);
		_mm_storeu_si128((__m128i *)(void *)(o + i + 16), y);
		if (_mm_movemask_epi8(_mm_or_si128(bad16(x), bad16(y))) != 0)
			break;
		i += 32;
	}
	while (i + 16 <= n) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
		_mm_storeu_si128((__m128i *)(void *)(o + i), x);
		int m = _mm_movemask_epi8(bad16(x));
		if (m != 0)
			return i + (size_t)__builtin_ctz((unsigned)m);
		i += 16;
	}
	if (i < n && n >= 16) {
		/* The tail as the last 16 bytes, overlapping what is done. */
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + n - 16));
		int m = _mm_movemask_epi8(bad16(x)) >> (16 - (n - i));
		if (m == 0) {
			_mm_storeu_si128((__m128i *)(void *)(o + n - 16), x);
			return n;
		}
		memcpy(o + i, p + i, n - i);
		return i + (size_t)__builtin_ctz((unsigned)m);
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

/*
 * One pass: the caller made room for the worst case, JB_STR_ROOM(n). No byte
 * grows past six: a control byte is \u00XX (6), an invalid byte at most one
 * U+FFFD (3), an escaped bidirectional control \u202e from 2 or 3 bytes, and
 * everything else is copied.
 */
char *jb_put_untrusted(char *o, const char *s, size_t n, int *invalid)
{
	static const char hex[] = "0123456789abcdef";
	const uint8_t *p = (const uint8_t *)s;
	size_t i = 0, k, bad;
	unsigned cp;

	*o++ = '"';
	while (i < n) {
		k = plain_run(p + i, n - i, o);
		o += k;
		i += k;
		if (i >= n)
			break;
		if (p[i] >= 0x20 && p[i] < 0x7f && p[i] != '"' && p[i] != '\\') {
			/* Plain ASCII the blocks left: a tail under 8 bytes (or a byte plain8 flagged
			 * for its neighbour), byte by byte up to 8 bytes, then the blocks again. */
			size_t stop = n - i > 8 ? i + 8 : n;
			do
				*o++ = (char)p[i++];
			while (i < stop && p[i] >= 0x20 && p[i] < 0x7f && p[i] != '"' && p[i] != '\\');
			continue;
		}
		if (p[i] < 0x80) {
			if (p[i] == '"' || p[i] == '\\') {
				*o++ = '\\';
				*o++ = (char)p[i++];
				continue;
			}
			cp = p[i++];                /* a control byte or DEL: \u00XX */
		} else {
			k = utf8_len(p + i, n - i, &bad);
			if (k == 0) {
				memcpy(o, "\xef\xbf\xbd", 3);   /* U+FFFD for the maximal subpart */
				o += 3;
				i += bad;
				if (invalid != NULL)
					*invalid = 1;
				continue;
			}
			cp = utf8_escaped(p + i, k);
			if (cp == 0) {
				memcpy(o, p + i, k);        /* a character: as it is */
				o += k;
				i += k;
				continue;
			}
			i += k;
		}
		memcpy(o, "\\u", 2);
		o[2] = hex[cp >> 12];
		o[3] = hex[cp >> 8 & 15];
		o[4] = hex[cp >> 4 & 15];
		o[5] = hex[cp & 15];
		o += 6;
	}
	*o++ = '"';
	return o;
}

char *jb_put_ts(char *o, int64_t ns, int nano)
{
	/* sign and magnitude: -0.999999 is 1 µs after -1 s, not -1.000001 */
	uint64_t a = ns < 0 ? 0 - (uint64_t)ns : (uint64_t)ns;
	uint64_t s = a / 1000000000, f = a % 1000000000;    /* constant divisors: multiplies */

	if (ns < 0)
		*o++ = '-';
	o = tb_put_u64(o, s);
	*o++ = '.';
	if (nano) {
		ln_put_digits(o, (uint32_t)f, 9);
		return o + 9;
	}
	ln_put_digits(o, (uint32_t)f / 1000, 6);
	return o + 6;
}


char *jb_put_ms(char *o, int64_t ns)
{
	uint64_t a = (uint64_t)ns, us;
	if (ns < 0) {
		*o++ = '-';
		a = (uint64_t)0 - a;
	}
	us = (a + 500) / 1000;      /* rounded to the microsecond */
	o = tb_put_u64(o, us / 1000);
	*o++ = '.';
	ln_put_digits(o, (uint32_t)(us % 1000), 3);
	return o + 3;
}

char *jb_put_ip(char *o, int v6, const uint8_t *a)
{
	*o++ = '"';
	if (v6) {
		struct line l;
		ln_init(&l, o, JB_IP_ROOM - 2);
		ln_ip6(&l, a);
		o += l.len;
	} else {
		o = ln_put_ip4(o, a);
	}
	*o++ = '"';
	return o;
}
