/* json.c: the JSON text buffer, string escaping, timestamps and durations. */
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "line.h"

static int reserve(struct jbuf *b, size_t n)
{
	if (b->len + n <= b->cap)
		return 1;
	size_t cap = b->cap ? b->cap : 4096;
	while (cap < b->len + n)
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

void jb_mem(struct jbuf *b, const char *s, size_t n)
{
	if (n == 0 || !reserve(b, n))
		return;
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

void jb_lit(struct jbuf *b, const char *s)
{
	jb_mem(b, s, strlen(s));
}

void jb_chr(struct jbuf *b, char c)
{
	if (reserve(b, 1))
		b->p[b->len++] = c;
}

/* Numbers are written by the line formatters, then copied in. */
void jb_u64(struct jbuf *b, uint64_t v)
{
	char tmp[20];
	struct line l;
	ln_init(&l, tmp, sizeof(tmp));
	ln_u64(&l, v);
	jb_mem(b, tmp, l.len);
}

/* A zero-padded fraction of the given number of digits. */
static void frac(struct jbuf *b, uint32_t v, int digits)
{
	char tmp[10];
	struct line l;
	ln_init(&l, tmp, sizeof(tmp));
	ln_u32_width(&l, v, digits);
	jb_mem(b, tmp, l.len);
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

void jb_str(struct jbuf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const uint8_t *p = (const uint8_t *)s;
	size_t i = 0, run = 0, k;

	jb_chr(b, '"');
	while (i < n) {
		/* Eight plain bytes at a time: none below 0x20, none 0x7f or above, no '"' or '\\'. */
		while (i + 8 <= n) {
			uint64_t w, lo = 0x0101010101010101ull, hi = 0x8080808080808080ull;
			memcpy(&w, p + i, 8);
			uint64_t q = w ^ (lo * '"'), bs = w ^ (lo * '\\');
			uint64_t bad = ((w - lo * 0x20) | (q - lo) | (bs - lo) | (w + lo)) & hi;
			bad |= w & hi;
			if (bad)
				break;
			i += 8;
		}
		if (i >= n)
			break;
		if (p[i] >= 0x20 && p[i] < 0x7f && p[i] != '"' && p[i] != '\\') {
			i++;            /* plain ASCII: the common case, copied in runs */
			continue;
		}
		k = p[i] >= 0x80 ? utf8_len(p + i, n - i) : 0;
		if (k != 0) {
			i += k;
			continue;
		}
		jb_mem(b, s + run, i - run);
		if (p[i] == '"' || p[i] == '\\') {
			jb_chr(b, '\\');
			jb_chr(b, (char)p[i]);
		} else {
			char esc[6] = { '\\', 'u', '0', '0', hex[p[i] >> 4], hex[p[i] & 15] };
			jb_mem(b, esc, 6);
		}
		run = ++i;
	}
	jb_mem(b, s + run, i - run);
	jb_chr(b, '"');
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
