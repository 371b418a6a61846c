/* json.h: building JSON text fast in a growable buffer; strings always escaped to valid JSON. */
#ifndef SYNACK_JSON_H
#define SYNACK_JSON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "line.h"

struct jbuf {
	char *p;
	size_t len, cap;
	int oom;                 /* an allocation failed: the text is cut */
};

/* The slow path of jb_room: grow the buffer; 0 when out of memory. */
int jb_grow(struct jbuf *b, size_t n);

/* Room for n more bytes? Inline: every append of a report asks this. */
static inline int jb_room(struct jbuf *b, size_t n)
{
	return b->cap - b->len >= n || jb_grow(b, n);
}

static inline void jb_mem(struct jbuf *b, const char *s, size_t n)
{
	if (n != 0 && jb_room(b, n)) {
		memcpy(b->p + b->len, s, n);
		b->len += n;
	}
}

/* Raw text, no escaping: a string literal (length known at compile time)... */
#define jb_lit(b, s) jb_mem((b), "" s, sizeof(s) - 1)
/* ...or any C string of ours. */
static inline void jb_raw(struct jbuf *b, const char *s) { jb_mem(b, s, strlen(s)); }

static inline void jb_chr(struct jbuf *b, char c)
{
	if (jb_room(b, 1))
		b->p[b->len++] = c;
}

/* A quoted string of our own that needs no escaping (a code, a state name), or null. */
static inline void jb_qraw(struct jbuf *b, const char *s)
{
	if (s == NULL) {
		jb_lit(b, "null");
		return;
	}
	size_t n = strlen(s);
	if (jb_room(b, n + 2)) {
		b->p[b->len] = '"';
		memcpy(b->p + b->len + 1, s, n);
		b->p[b->len + 1 + n] = '"';
		b->len += n + 2;
	}
}

/*
 * Unchecked writers, for a stretch whose worst case was made room for once
 * with jb_room: each writes at o and returns the end of what it wrote. Each
 * may use a few bytes past that end as scratch (the digit writers of line.h);
 * JB_SLACK more bytes in the room cover that for the last field.
 */
#define JB_SLACK 16
#define JB_U64_ROOM 20       /* a decimal uint64_t */
#define JB_TS_ROOM 32        /* jb_put_ts: sign, seconds, point, nine decimals */
#define JB_MS_ROOM 28        /* jb_put_ms */
#define JB_IP_ROOM 48        /* jb_put_ip: a quoted IPv6 address */

char *jb_put_u64_wide(char *o, uint64_t v);

#if defined(__GNUC__)
__attribute__((always_inline))   /* the call would cost a third of it */
#endif
static inline char *jb_put_u64(char *o, uint64_t v)
{
	return v <= UINT32_MAX ? ln_put_u32(o, (uint32_t)v) : jb_put_u64_wide(o, v);
}

/* A string of ours that needs no escaping, quoted; n + 2 bytes. */
static inline char *jb_put_plain(char *o, const char *s, size_t n)
{
	*o = '"';
	memcpy(o + 1, s, n);
	o[n + 1] = '"';
	return o + n + 2;
}

/*
 * A string of n bytes quoted, as valid JSON whatever the bytes: '"' and '\\'
 * escaped, control bytes and DEL as \u00XX, the bidirectional controls and
 * U+2028, U+2029 as \uXXXX (\u202e), each maximal invalid UTF-8 subsequence
 * as one U+FFFD; valid characters as they are. Worst case six bytes per byte
 * and the quotes: JB_STR_ROOM(n).
 */
#define JB_STR_ROOM(n) (6 * (size_t)(n) + 2)

/*
 * jb_str's work, unchecked, for a string of the capture (an SNI, an ALPN, a
 * first line): sets *invalid to 1 if a U+FFFD replaced bytes that were not
 * UTF-8 (leaves it alone otherwise; invalid may be NULL), so that the caller
 * can say so beside the field ("sni_utf8":false): a U+FFFD alone does not
 * tell a replacement from a U+FFFD that was sent.
 */
char *jb_put_untrusted(char *o, const char *s, size_t n, int *invalid);

/* jb_str's work, unchecked: up to JB_STR_ROOM(n) bytes. */
static inline char *jb_put_str(char *o, const char *s, size_t n)
{
	return jb_put_untrusted(o, s, n, NULL);
}

char *jb_put_ts(char *o, int64_t ns, int nano);
char *jb_put_ms(char *o, int64_t ns);
/* An address, quoted. */
char *jb_put_ip(char *o, int v6, const uint8_t *a);

void jb_free(struct jbuf *b);
void jb_u64(struct jbuf *b, uint64_t v);
/* A quoted string, escaped as jb_put_untrusted does. */
void jb_str(struct jbuf *b, const char *s, size_t n);
void jb_cstr(struct jbuf *b, const char *s);        /* NULL gives null */
/* Epoch nanoseconds as seconds with 6 or 9 decimals. */
void jb_ts(struct jbuf *b, int64_t ns, int nano);
/* A duration in nanoseconds as milliseconds with 3 decimals. */
void jb_ms(struct jbuf *b, int64_t ns);
/* Write out and empty the buffer. */
void jb_flush(struct jbuf *b, FILE *f);

#endif
