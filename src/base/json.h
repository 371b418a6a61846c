/* json.h: JSON values put on the text builder (tbuf.h), fast; strings always escaped to valid JSON. */
#ifndef SYNACK_JSON_H
#define SYNACK_JSON_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "line.h"
#include "tbuf.h"

/*
 * Unchecked writers, each the work of a put below: it writes at o and returns
 * the end of what it wrote, using up to its JB_*_ROOM bytes at o (scratch of
 * the digit writers of line.h included).
 */
#define JB_TS_ROOM 48        /* jb_put_ts: sign, seconds, point, nine decimals: 21 with scratch */
#define JB_MS_ROOM 44        /* jb_put_ms: 24 with scratch */
#define JB_IP_ROOM 48        /* jb_put_ip: a quoted IPv6 address, at most 47 */

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
 * The work of jb_untrusted and jb_str, unchecked, for a string of the capture (an SNI, an ALPN, a
 * first line): sets *invalid to 1 if a U+FFFD replaced bytes that were not
 * UTF-8 (leaves it alone otherwise; invalid may be NULL), so that the caller
 * can say so beside the field ("sni_utf8":false): a U+FFFD alone does not
 * tell a replacement from a U+FFFD that was sent.
 */
char *jb_put_untrusted(char *o, const char *s, size_t n, int *invalid);

char *jb_put_ts(char *o, int64_t ns, int nano);
char *jb_put_ms(char *o, int64_t ns);
/* An address, quoted. */
char *jb_put_ip(char *o, int v6, const uint8_t *a);

/*
 * The puts: JSON values on a text builder (tbuf.h), each checked as the
 * builder's own are; numbers are tb_u64, literal text tb_lit. Each has its
 * _lit form for a member: jb_lit_ts(b, ",\"ts\":", ns, nano) puts the literal
 * and the value with one check. (The jb_pre_* functions are their work: a
 * prefix of n bytes, then the value.)
 */

TB_INLINE void jb_pre_plain(struct tbuf *b, const char *pre, size_t n, const char *s, size_t len)
{
	char *o = tb_pre(b, pre, n, len + 2);
	if (o != NULL)
		tb_advance(b, jb_put_plain(o, s, len));
}

/* A string of ours (a code, a state name) that needs no escaping, quoted. */
TB_INLINE void jb_plain(struct tbuf *b, const char *s, size_t len) { jb_pre_plain(b, "", 0, s, len); }
#define jb_lit_plain(b, l, s, len) jb_pre_plain((b), "" l, sizeof(l) - 1, (s), (len))

TB_INLINE void jb_pre_qraw(struct tbuf *b, const char *pre, size_t n, const char *s)
{
	if (s != NULL) {
		jb_pre_plain(b, pre, n, s, strlen(s));
	} else {
		tb_mem(b, pre, n);
		tb_lit(b, "null");
	}
}

/* The same of a C string, or null. */
TB_INLINE void jb_qraw(struct tbuf *b, const char *s) { jb_pre_qraw(b, "", 0, s); }
#define jb_lit_qraw(b, l, s) jb_pre_qraw((b), "" l, sizeof(l) - 1, (s))

TB_INLINE void jb_pre_untrusted(struct tbuf *b, const char *pre, size_t n, const char *s, size_t len,
				int *invalid)
{
	/* (a length whose room would overflow asks for more than any max: it fails) */
	if (tb_room(b, len <= (SIZE_MAX - 2 - n) / 6 ? n + JB_STR_ROOM(len) : SIZE_MAX)) {
		memcpy(b->cur, pre, n);
		tb_advance(b, jb_put_untrusted(b->cur + n, s, len, invalid));
	}
}

/* A quoted string, escaped as jb_put_untrusted does; *invalid as there (invalid may be NULL). */
TB_INLINE void jb_untrusted(struct tbuf *b, const char *s, size_t len, int *invalid)
{
	jb_pre_untrusted(b, "", 0, s, len, invalid);
}

#define jb_lit_untrusted(b, l, s, len, invalid) \
	jb_pre_untrusted((b), "" l, sizeof(l) - 1, (s), (len), (invalid))

/* The same, not asking whether bytes were replaced (a text of ours that may quote the capture's). */
TB_INLINE void jb_str(struct tbuf *b, const char *s, size_t len)
{
	jb_pre_untrusted(b, "", 0, s, len, NULL);
}
#define jb_lit_str(b, l, s, len) jb_pre_untrusted((b), "" l, sizeof(l) - 1, (s), (len), NULL)

TB_INLINE void jb_pre_cstr(struct tbuf *b, const char *pre, size_t n, const char *s)
{
	if (s != NULL) {
		jb_pre_untrusted(b, pre, n, s, strlen(s), NULL);
	} else {
		tb_mem(b, pre, n);
		tb_lit(b, "null");
	}
}

/* A C string, escaped, or null for NULL. */
TB_INLINE void jb_cstr(struct tbuf *b, const char *s) { jb_pre_cstr(b, "", 0, s); }
#define jb_lit_cstr(b, l, s) jb_pre_cstr((b), "" l, sizeof(l) - 1, (s))

TB_INLINE void jb_pre_ts(struct tbuf *b, const char *pre, size_t n, int64_t ns, int nano)
{
	char *o = tb_pre(b, pre, n, JB_TS_ROOM);
	if (o != NULL)
		tb_advance(b, jb_put_ts(o, ns, nano));
}

/* Epoch nanoseconds as seconds with 6 or 9 decimals. */
TB_INLINE void jb_ts(struct tbuf *b, int64_t ns, int nano) { jb_pre_ts(b, "", 0, ns, nano); }
#define jb_lit_ts(b, l, ns, nano) jb_pre_ts((b), "" l, sizeof(l) - 1, (ns), (nano))

TB_INLINE void jb_pre_ms(struct tbuf *b, const char *pre, size_t n, int64_t ns)
{
	char *o = tb_pre(b, pre, n, JB_MS_ROOM);
	if (o != NULL)
		tb_advance(b, jb_put_ms(o, ns));
}

/* A duration in nanoseconds as milliseconds with 3 decimals. */
TB_INLINE void jb_ms(struct tbuf *b, int64_t ns) { jb_pre_ms(b, "", 0, ns); }
#define jb_lit_ms(b, l, ns) jb_pre_ms((b), "" l, sizeof(l) - 1, (ns))

TB_INLINE void jb_pre_ip(struct tbuf *b, const char *pre, size_t n, int v6, const uint8_t *a)
{
	char *o = tb_pre(b, pre, n, JB_IP_ROOM);
	if (o != NULL)
		tb_advance(b, jb_put_ip(o, v6, a));
}

/* An address, quoted. */
TB_INLINE void jb_ip(struct tbuf *b, int v6, const uint8_t *a) { jb_pre_ip(b, "", 0, v6, a); }
#define jb_lit_ip(b, l, v6, a) jb_pre_ip((b), "" l, sizeof(l) - 1, (v6), (a))

#endif
