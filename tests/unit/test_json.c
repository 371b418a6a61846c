/* test_json.c: hostile bytes as valid JSON strings, saying what they replaced; the text builder; text escaping. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "bounds.h"
#include "json.h"
#include "line.h"
#include "tbuf.h"

#define FFFD "\xef\xbf\xbd"

/*
 * jb_put_untrusted of the n bytes at s, written into a buffer of exactly
 * JB_STR_ROOM(n) bytes from a copy of exactly n bytes (so ASan sees any write
 * past the bound or read past the string); NUL-terminated, static.
 */
static const char *put(const char *s, size_t n, int *invalid)
{
	static char out[4096];
	char *src = malloc(n ? n : 1), *dst = malloc(JB_STR_ROOM(n)), *end;
	size_t len;

	assert_non_null(src);
	assert_non_null(dst);
	memcpy(src, s, n);
	*invalid = 0;
	end = jb_put_untrusted(dst, src, n, invalid);
	len = (size_t)(end - dst);
	assert_true(len <= JB_STR_ROOM(n));
	assert_true(len < sizeof(out));
	memcpy(out, dst, len);
	out[len] = '\0';
	free(src);
	free(dst);
	return out;
}

/* The JSON string of a literal, and whether a replacement was flagged. */
#define CHECK(in, want, want_invalid) do { \
		int inv_; \
		assert_string_equal(put("" in, sizeof(in) - 1, &inv_), "\"" want "\""); \
		assert_int_equal(inv_, (want_invalid)); \
	} while (0)

static void test_plain_and_escapes(void **state)
{
	(void)state;
	CHECK("", "", 0);
	CHECK("api.example.net", "api.example.net", 0);
	CHECK("a\"b\\c", "a\\\"b\\\\c", 0);
	CHECK("\x00", "\\u0000", 0);
	CHECK("a\x01\x1f\n\r\tb", "a\\u0001\\u001f\\u000a\\u000d\\u0009b", 0);
	CHECK("\x7f", "\\u007f", 0);
}

/* Valid UTF-8 passes unchanged: two, three and four bytes, U+FFFD itself, the last code point. */
static void test_valid_utf8(void **state)
{
	(void)state;
	CHECK("caf\xc3\xa9", "caf\xc3\xa9", 0);
	CHECK("\xc2\x80\xdf\xbf", "\xc2\x80\xdf\xbf", 0);
	CHECK("\xe6\x97\xa5\xe6\x9c\xac", "\xe6\x97\xa5\xe6\x9c\xac", 0);
	CHECK("\xe0\xa0\x80\xed\x9f\xbf\xee\x80\x80", "\xe0\xa0\x80\xed\x9f\xbf\xee\x80\x80", 0);
	CHECK(FFFD, FFFD, 0);
	CHECK("\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80", 0);
	CHECK("\xf0\x90\x80\x80\xf4\x8f\xbf\xbf", "\xf0\x90\x80\x80\xf4\x8f\xbf\xbf", 0);
	/* Next to the escaped controls but not one: U+200D (ZWJ), U+202F, U+2065, U+061B. */
	CHECK("\xe2\x80\x8d\xe2\x80\xaf\xe2\x81\xa5\xd8\x9b", "\xe2\x80\x8d\xe2\x80\xaf\xe2\x81\xa5\xd8\x9b", 0);
}

/* Each maximal invalid subsequence is one U+FFFD (what Python's errors="replace" gives). */
static void test_invalid_utf8(void **state)
{
	(void)state;
	/* Lone continuation bytes, bytes that never start a sequence. */
	CHECK("\x80", FFFD, 1);
	CHECK("a\xbf" "b", "a" FFFD "b", 1);
	CHECK("\x80\x80", FFFD FFFD, 1);
	CHECK("\xfe\xff", FFFD FFFD, 1);
	CHECK("\xf5\x80\x80\x80", FFFD FFFD FFFD FFFD, 1);
	CHECK("\xf8\x88\x80\x80\x80", FFFD FFFD FFFD FFFD FFFD, 1);
	/* Overlong encodings. */
	CHECK("\xc0\x80", FFFD FFFD, 1);
	CHECK("\xc1\xbf", FFFD FFFD, 1);
	CHECK("\xe0\x80\x80", FFFD FFFD FFFD, 1);
	CHECK("\xe0\x9f\xbf", FFFD FFFD FFFD, 1);
	CHECK("\xf0\x80\x80\x80", FFFD FFFD FFFD FFFD, 1);
	CHECK("\xf0\x8f\xbf\xbf", FFFD FFFD FFFD FFFD, 1);
	/* Surrogates, high and low, and a pair. */
	CHECK("\xed\xa0\x80", FFFD FFFD FFFD, 1);
	CHECK("\xed\xbf\xbf", FFFD FFFD FFFD, 1);
	CHECK("\xed\xa0\xbd\xed\xb8\x80", FFFD FFFD FFFD FFFD FFFD FFFD, 1);
	/* Past U+10FFFF. */
	CHECK("\xf4\x90\x80\x80", FFFD FFFD FFFD FFFD, 1);
	/* Truncated: one U+FFFD for the whole started sequence, at the end or before another byte. */
	CHECK("a\xc3", "a" FFFD, 1);
	CHECK("a\xe2\x82", "a" FFFD, 1);
	CHECK("a\xf0\x9f\x98", "a" FFFD, 1);
	CHECK("\xe2\x82x", FFFD "x", 1);
	CHECK("\xf0\x9f\x98\xe2\x82\xac", FFFD "\xe2\x82\xac", 1);
	CHECK("\xe2\x28\xa1", FFFD "(" FFFD, 1);
	CHECK("\xf1\x80\x80\xc0\x80", FFFD FFFD FFFD, 1);
	/* Mixed with escapes. */
	CHECK("\"\x80\\\x00", "\\\"" FFFD "\\\\\\u0000", 1);
}

/* A sequence cut by the length given, with the rest of it in memory: never read. */
static void test_cut_by_length(void **state)
{
	(void)state;
	int inv;
	assert_string_equal(put("\xe2\x82\xac", 2, &inv), "\"" FFFD "\"");
	assert_int_equal(inv, 1);
	assert_string_equal(put("ab\xf0\x9f\x98\x80", 5, &inv), "\"ab" FFFD "\"");
	assert_int_equal(inv, 1);
}

/* Bidirectional controls and the two separators as \u escapes, never raw. */
static void test_bidi(void **state)
{
	(void)state;
	CHECK("\xd8\x9c", "\\u061c", 0);
	CHECK("\xe2\x80\x8e\xe2\x80\x8f", "\\u200e\\u200f", 0);
	CHECK("\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad\xe2\x80\xae",
	      "\\u202a\\u202b\\u202c\\u202d\\u202e", 0);
	CHECK("\xe2\x81\xa6\xe2\x81\xa7\xe2\x81\xa8\xe2\x81\xa9", "\\u2066\\u2067\\u2068\\u2069", 0);
	CHECK("\xe2\x80\xa8\xe2\x80\xa9", "\\u2028\\u2029", 0);
	CHECK("evil\xe2\x80\xaegnp.exe", "evil\\u202egnp.exe", 0);
}

/* One odd byte at every offset of a long ASCII string: the block loops' edges (8, 16, 32 bytes). */
static void test_every_offset(void **state)
{
	(void)state;
	static const char *const odd[] = { "\x80", "\"", "\x01", "\xe2\x80\xae", "\xc3\xa9", "\xe2\x82" };
	static const char *const want[] = { FFFD, "\\\"", "\\u0001", "\\u202e", "\xc3\xa9", FFFD };
	static const int invalid[] = { 1, 0, 0, 0, 0, 1 };
	char in[160], expect[200];
	int inv;

	for (size_t k = 0; k < sizeof(odd) / sizeof(odd[0]); k++) {
		size_t ol = strlen(odd[k]);
		for (size_t len = 1; len <= 100; len += 33) {
			for (size_t at = 0; at <= len; at++) {
				memset(in, 'x', at);
				memcpy(in + at, odd[k], ol);
				memset(in + at + ol, 'y', len - at);
				snprintf(expect, sizeof(expect), "\"%.*s%s%.*s\"", (int)at, in, want[k],
					 (int)(len - at), in + at + ol);
				assert_string_equal(put(in, len + ol, &inv), expect);
				assert_int_equal(inv, invalid[k]);
			}
		}
	}
}

/* ---- an independent check: a strict JSON string parser and a brute-force UTF-8 decoder ---- */

/* The code point of the well-formed UTF-8 sequence of exactly n bytes at p, or -1. */
static long wf_char(const uint8_t *p, size_t n)
{
	static const long min[5] = { 0, 0, 0x80, 0x800, 0x10000 };
	size_t want = p[0] < 0x80 ? 1 : p[0] >= 0xc0 && p[0] < 0xe0 ? 2 : p[0] >= 0xe0 && p[0] < 0xf0 ? 3 :
		      p[0] >= 0xf0 && p[0] < 0xf8 ? 4 : 0;
	long cp;

	if (want == 0 || want != n)
		return -1;
	cp = want == 1 ? p[0] : p[0] & (0x7f >> want);
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return -1;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if (cp < min[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return -1;
	return cp;
}

/* Whether p[0..n) starts some well-formed sequence: completed with continuation bytes, tried all. */
static int wf_prefix(const uint8_t *p, size_t n)
{
	uint8_t b[4];
	memcpy(b, p, n);
	for (size_t total = n; total <= 4; total++) {
		if (total == n) {
			if (wf_char(b, n) >= 0)
				return 1;
			continue;
		}
		for (unsigned second = 0x80; second <= 0xbf; second++) {
			for (size_t i = n; i < total; i++)
				b[i] = i == n && n == 1 ? (uint8_t)second : 0x80;
			if (wf_char(b, total) >= 0)
				return 1;
			if (n > 1)
				break;
		}
	}
	return 0;
}

/* Code points of p by the definition: the longest well-formed character, else one U+FFFD for the maximal subpart. */
static size_t ref_decode(const uint8_t *p, size_t n, long *cps, int *replaced)
{
	size_t i = 0, k = 0;
	*replaced = 0;
	while (i < n) {
		size_t len = 0, sub = 1;
		for (size_t l = 1; l <= 4 && i + l <= n; l++) {
			if (wf_char(p + i, l) >= 0)
				len = l;
			if (wf_prefix(p + i, l))
				sub = l;
		}
		if (len != 0) {
			cps[k++] = wf_char(p + i, len);
			i += len;
		} else {
			cps[k++] = 0xfffd;
			*replaced = 1;
			i += sub;
		}
	}
	return k;
}

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
	       c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/*
 * Parse a JSON string (RFC 8259) strictly into code points: quotes at both
 * ends, no raw control byte, only the defined escapes, well-formed UTF-8, and
 * (our rule) no raw bidirectional control. Returns the count, or -1.
 */
static long json_decode(const char *s, long *cps)
{
	const uint8_t *p = (const uint8_t *)s;
	size_t n = strlen(s), i = 1;
	long k = 0;

	if (n < 2 || p[0] != '"' || p[n - 1] != '"')
		return -1;
	n--;
	while (i < n) {
		if (p[i] == '"' || p[i] < 0x20)
			return -1;
		if (p[i] == '\\') {
			const char *e;
			if (i + 1 >= n || p[i + 1] == '\0')
				return -1;
			e = strchr("\"\\/bfnrt", p[i + 1]);
			if (p[i + 1] != 'u') {
				if (e == NULL)
					return -1;
				cps[k++] = "\"\\/\b\f\n\r\t"[e - "\"\\/bfnrt"];
				i += 2;
				continue;
			}
			if (i + 6 > n)
				return -1;
			long cp = 0;
			for (int j = 2; j < 6; j++) {
				if (hexval((char)p[i + j]) < 0)
					return -1;
				cp = cp << 4 | hexval((char)p[i + j]);
			}
			if (cp >= 0xd800 && cp <= 0xdfff)
				return -1;   /* we never write surrogate escapes */
			cps[k++] = cp;
			i += 6;
			continue;
		}
		size_t len = 0;
		for (size_t l = 1; l <= 4 && i + l <= n && len == 0; l++)
			if (wf_char(p + i, l) >= 0)
				len = l;
		if (len == 0)
			return -1;
		long cp = wf_char(p + i, len);
		if (cp == 0x61c || cp == 0x200e || cp == 0x200f || (cp >= 0x202a && cp <= 0x202e) ||
		    (cp >= 0x2066 && cp <= 0x2069) || cp == 0x2028 || cp == 0x2029 || cp == 0x7f)
			return -1;
		cps[k++] = cp;
		i += len;
	}
	return k;
}

/* Random strings of the bytes that matter: always valid JSON, what the definition says, in bound. */
static void test_random(void **state)
{
	(void)state;
	static const uint8_t bytes[] = {
		'a', 'Z', ' ', '"', '\\', 0x00, 0x1f, 0x7f, 0x80, 0x8e, 0x8f, 0x9c, 0x9f, 0xa0, 0xa6, 0xa9,
		0xae, 0xbf, 0xc0, 0xc1, 0xc2, 0xd8, 0xdf, 0xe0, 0xe2, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff,
		0x81, 0x90,
	};
	static long want[256], got[256];
	uint64_t x = 0x9e3779b97f4a7c15ull;
	uint8_t in[96];
	int inv, replaced;

	for (int round = 0; round < 30000; round++) {
		size_t n;
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		n = (size_t)(x % sizeof(in));
		for (size_t i = 0; i < n; i++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			/* Mostly the odd bytes; every other round mostly plain ones (the block paths). */
			in[i] = x % 4 < (round & 1 ? 3u : 1u) ? (uint8_t)('a' + (x >> 8) % 26) : bytes[(x >> 8) % sizeof(bytes)];
		}
		const char *s = put((const char *)in, n, &inv);
		long nw = (long)ref_decode(in, n, want, &replaced);
		long ng = json_decode(s, got);
		if (ng != nw || memcmp(got, want, (size_t)nw * sizeof(long)) != 0 || inv != replaced) {
			fprintf(stderr, "round %d: %zu bytes:", round, n);
			for (size_t i = 0; i < n; i++)
				fprintf(stderr, " %02x", in[i]);
			fprintf(stderr, "\n  -> %s\n", s);
			fail();
		}
	}
}

/* The checked writer: the same text, into a growing buffer. */
static void test_jb_str(void **state)
{
	(void)state;
	struct tbuf b;
	tb_init(&b, 1 << 20);
	jb_str(&b, "x\xed\xa0\x80\xe2\x80\xae\"", 8);
	tb_chr(&b, ',');
	jb_cstr(&b, NULL);
	tb_chr(&b, ',');
	jb_cstr(&b, "\xc3\xa9");
	assert_false(tb_failed(&b));
	assert_int_equal(tb_len(&b), strlen("\"x" FFFD FFFD FFFD "\\u202e\\\"\",null,\"\xc3\xa9\""));
	assert_memory_equal(b.p, "\"x" FFFD FFFD FFFD "\\u202e\\\"\",null,\"\xc3\xa9\"", tb_len(&b));
	tb_free(&b);
}

/* ---- the text builder (tbuf.h): sticky errors, checkpoints, growth ---- */

/* The builder's text as a C string (static). */
static const char *text(const struct tbuf *b)
{
	static char out[1 << 16];
	size_t n = tb_len(b);
	assert_true(n < sizeof(out));
	memcpy(out, b->p, n);
	out[n] = '\0';
	return out;
}

/* A put that cannot have its room fails, and every put after it is a no-op, even one that would fit. */
static void test_tb_sticky(void **state)
{
	(void)state;
	uint64_t alloc_failed = bounds.alloc_failed;
	struct tbuf b;

	tb_init(&b, 40);
	tb_lit(&b, "0123456789");
	assert_false(tb_failed(&b));
	tb_u64(&b, 7);                 /* asks for TB_U64_ROOM (36): 30 are left below max */
	assert_true(tb_failed(&b));
	assert_int_equal(b.err, TB_ERR_MAX);
	tb_chr(&b, 'x');
	tb_lit(&b, "ab");
	tb_str(&b, "cd");
	jb_str(&b, "e", 1);
	jb_cstr(&b, NULL);
	jb_qraw(&b, "f");
	jb_ts(&b, 0, 0);
	tb_lit_u64(&b, "g", 1);
	assert_true(tb_failed(&b));
	assert_int_equal(tb_len(&b), 10);
	assert_string_equal(text(&b), "0123456789");
	/* the maximum is no allocation failure */
	assert_int_equal(bounds.alloc_failed, alloc_failed);

	/* rolled back to where it failed: usable again */
	tb_rollback(&b, tb_len(&b));
	assert_false(tb_failed(&b));
	tb_chr(&b, 'x');
	assert_string_equal(text(&b), "0123456789x");
	tb_free(&b);

	/* failing before anything was ever allocated, and rolled back */
	tb_init(&b, 8);
	tb_u64(&b, 1);
	assert_true(tb_failed(&b));
	assert_int_equal(tb_len(&b), 0);
	tb_rollback(&b, 0);
	tb_lit(&b, "ok");
	assert_false(tb_failed(&b));
	assert_string_equal(text(&b), "ok");
	tb_free(&b);
}

/* An object that fails is rolled back to its mark: the objects before it stay whole, byte for byte. */
static void test_tb_rollback(void **state)
{
	(void)state;
	static const char first[] = "{\"a\":1,\"s\":\"x\\\"y\"}\n";
	char big[64];
	struct tbuf b;
	size_t mark;

	memset(big, 'z', sizeof(big));
	tb_init(&b, 256);
	mark = tb_mark(&b);
	tb_lit_u64(&b, "{\"a\":", 1);
	jb_lit_str(&b, ",\"s\":", "x\"y", 3);
	tb_lit(&b, "}\n");
	assert_false(tb_failed(&b));
	assert_int_equal(mark, 0);

	mark = tb_mark(&b);
	assert_int_equal(mark, sizeof(first) - 1);
	tb_lit_u64(&b, "{\"a\":", 2);
	jb_lit_str(&b, ",\"s\":", big, sizeof(big));    /* room for 6 x 64 + 2: past the maximum */
	tb_lit(&b, "}\n");
	assert_true(tb_failed(&b));
	tb_rollback(&b, mark);
	assert_false(tb_failed(&b));
	assert_string_equal(text(&b), first);

	/* and the next object goes on from there */
	tb_lit_u64(&b, "{\"a\":", 3);
	tb_lit(&b, "}\n");
	assert_false(tb_failed(&b));
	assert_string_equal(text(&b), "{\"a\":1,\"s\":\"x\\\"y\"}\n{\"a\":3}\n");

	/* written out: empty, and still sticky if it had failed */
	FILE *f = tmpfile();
	assert_non_null(f);
	tb_flush(&b, f);
	assert_int_equal(tb_len(&b), 0);
	assert_int_equal(ftell(f), (long)strlen(first) + 8);
	tb_lit(&b, "0123456789");
	jb_str(&b, big, sizeof(big));
	assert_true(tb_failed(&b));
	tb_flush(&b, f);
	tb_chr(&b, 'x');
	assert_true(tb_failed(&b));
	assert_int_equal(tb_len(&b), 0);
	fclose(f);
	tb_free(&b);
}

/* Growth past the first allocation keeps every byte; the _lit_ forms put what the two puts would. */
static void test_tb_grow(void **state)
{
	(void)state;
	static const uint64_t nums[] = { 0, 9, 10, 99, 100, 12345678, 123456789, 4294967295u,
					 4294967296u, 18446744073709551615u };
	struct tbuf a, b;
	char want[32];
	size_t at = 0;

	tb_init(&a, 1 << 20);
	tb_init(&b, 1 << 20);
	for (int round = 0; round < 2000; round++) {
		uint64_t v = nums[round % 10];
		int64_t ns = (int64_t)(v % 4000000000000000000u) * (round & 1 ? -1 : 1);
		uint8_t ip[16] = { 192, 0, 2, (uint8_t)round, 0x20, 1 };

		tb_lit(&a, ",\"n\":");
		tb_u64(&a, v);
		tb_lit_u64(&b, ",\"n\":", v);
		tb_lit(&a, ",\"t\":");
		jb_ts(&a, ns, round & 2);
		jb_lit_ts(&b, ",\"t\":", ns, round & 2);
		tb_lit(&a, ",\"d\":");
		jb_ms(&a, ns);
		jb_lit_ms(&b, ",\"d\":", ns);
		tb_lit(&a, ",\"ip\":");
		jb_ip(&a, round & 4, ip);
		jb_lit_ip(&b, ",\"ip\":", round & 4, ip);
		tb_lit(&a, ",\"q\":");
		jb_qraw(&a, round & 8 ? "abc" : NULL);
		jb_lit_qraw(&b, ",\"q\":", round & 8 ? "abc" : NULL);
		tb_lit(&a, ",\"s\":");
		jb_cstr(&a, round & 16 ? "\x80" : NULL);
		jb_lit_cstr(&b, ",\"s\":", round & 16 ? "\x80" : NULL);

		/* the number itself, against printf */
		snprintf(want, sizeof(want), ",\"n\":%llu", (unsigned long long)v);
		assert_memory_equal(b.p + at, want, strlen(want));
		at = tb_len(&b);
	}
	assert_false(tb_failed(&a));
	assert_false(tb_failed(&b));
	assert_true(tb_len(&b) > 4096 * 8);      /* grown several times */
	assert_int_equal(tb_len(&a), tb_len(&b));
	assert_memory_equal(a.p, b.p, tb_len(&a));
	tb_free(&a);
	tb_free(&b);
}

/* Through the builder, strings are escaped exactly as jb_put_untrusted escapes them, with the flag. */
static void test_tb_escaping(void **state)
{
	(void)state;
	static const char *const in[] = { "api.example.net", "a\"b\\c", "\x01\x7f", "caf\xc3\xa9",
					  "\xe2\x80\xae", "x\xed\xa0\x80", "\xf0\x9f\x98" };
	struct tbuf b;

	tb_init(&b, 1 << 20);
	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		int inv_put, inv_lit = 0, inv = 0;
		size_t n = strlen(in[i]);
		char want[256];

		snprintf(want, sizeof(want), "%s", put(in[i], n, &inv_put));
		tb_rollback(&b, 0);
		jb_untrusted(&b, in[i], n, &inv);
		assert_string_equal(text(&b), want);
		assert_int_equal(inv, inv_put);
		tb_rollback(&b, 0);
		jb_lit_untrusted(&b, "k:", in[i], n, &inv_lit);
		assert_int_equal(tb_len(&b), 2 + strlen(want));
		assert_memory_equal(b.p, "k:", 2);
		assert_string_equal(text(&b) + 2, want);
		assert_int_equal(inv_lit, inv_put);
		tb_rollback(&b, 0);
		jb_str(&b, in[i], n);
		assert_string_equal(text(&b), want);
	}
	tb_free(&b);
}

/* Text output: the bytes as \xNN, '"' and '\' too (a string printed in quotes stays one string). */
static void test_ln_escaped(void **state)
{
	(void)state;
	char buf[256];
	struct line l;

	ln_init(&l, buf, sizeof(buf) - 1);
	ln_escaped(&l, (const uint8_t *)"a\"b\\c", 5);
	buf[l.len] = '\0';
	assert_string_equal(buf, "a\\x22b\\x5cc");

	ln_init(&l, buf, sizeof(buf) - 1);
	ln_escaped(&l, (const uint8_t *)"\xe2\x80\xae\x7f\x00\n\xc3\xa9 ~", 10);
	buf[l.len] = '\0';
	assert_string_equal(buf, "\\xe2\\x80\\xae\\x7f\\x00\\x0a\\xc3\\xa9 ~");

	/* Every byte: printable ASCII but '"' and '\' as it is, the rest \xNN. */
	for (unsigned v = 0; v < 256; v++) {
		uint8_t c = (uint8_t)v;
		ln_init(&l, buf, sizeof(buf) - 1);
		ln_escaped(&l, &c, 1);
		buf[l.len] = '\0';
		if (v >= 0x20 && v < 0x7f && v != '"' && v != '\\') {
			assert_int_equal(l.len, 1);
			assert_int_equal((uint8_t)buf[0], v);
		} else {
			char want[8];
			snprintf(want, sizeof(want), "\\x%02x", v);
			assert_string_equal(buf, want);
		}
	}
}

/* Before 1970: sign and magnitude (-0.999999 is 1 us after -1 s). */
static void test_ts_before_1970(void **state)
{
	char buf[64], *o;

	(void)state;
	o = jb_put_ts(buf, -999999000, 0);
	*o = '\0';
	assert_string_equal(buf, "-0.999999");
	o = jb_put_ts(buf, -1000000000 - 500000, 0);
	*o = '\0';
	assert_string_equal(buf, "-1.000500");
	o = jb_put_ts(buf, -1, 1);
	*o = '\0';
	assert_string_equal(buf, "-0.000000001");
	o = jb_put_ts(buf, 1700000000123456789, 1);
	*o = '\0';
	assert_string_equal(buf, "1700000000.123456789");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_and_escapes),
		cmocka_unit_test(test_valid_utf8),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_cut_by_length),
		cmocka_unit_test(test_bidi),
		cmocka_unit_test(test_every_offset),
		cmocka_unit_test(test_random),
		cmocka_unit_test(test_jb_str),
		cmocka_unit_test(test_tb_sticky),
		cmocka_unit_test(test_tb_rollback),
		cmocka_unit_test(test_tb_grow),
		cmocka_unit_test(test_tb_escaping),
		cmocka_unit_test(test_ln_escaped),
		cmocka_unit_test(test_ts_before_1970),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
