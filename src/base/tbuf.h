/* tbuf.h: a checked text builder with a sticky error flag (BoringSSL's CBB), for every writer of output. */
#ifndef SYNACK_TBUF_H
#define SYNACK_TBUF_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "line.h"

/*
 * A growable buffer with a bound. Every put makes room for its own worst case
 * with one check (tb_room), growing the buffer when it must; a put that
 * cannot have its room (out of memory, or past max) writes nothing and sets
 * err, and from then on every put is a no-op. So a writer puts a whole object
 * without checking as it goes, and checks once at the end: kept whole, or
 * rolled back to a mark taken at its start (absent). Nobody counts room.
 *
 *	size_t mark = tb_mark(b);
 *	tb_lit_u64(b, "{\"frame\":", frame);
 *	tb_chr(b, '}');
 *	if (tb_failed(b))
 *		tb_rollback(b, mark);       (and say that it was dropped)
 *
 * Each value put (tb_u64, jb_ts, ...) has a _lit_ form (tb_lit_u64,
 * jb_lit_ts, ...) that puts a string literal and then the value with one
 * check for both: most of what a writer puts is a literal (a key with its
 * punctuation) followed by a value.
 *
 * Formats are put functions over this builder (JSON: json.h), each with its
 * worst case as its room (a decimal TB_U64_ROOM, an escaped string 6 n + 2).
 */
struct tbuf {
	char *p;           /* the text: p[0] up to cur */
	char *cur;         /* where the next put writes */
	char *end;         /* puts may use the bytes up to here: p + cap, or cur once err is set */
	size_t cap;        /* bytes allocated */
	size_t max;        /* the most the buffer may hold */
	int err;           /* TB_ERR_*: a put failed; sticky until tb_rollback */
};

#define TB_ERR_NOMEM 1     /* an allocation failed (counted in bounds.h) */
#define TB_ERR_MAX 2       /* max reached */

/* Inline always: the literals' lengths must fold into the checks and the copies. */
#if defined(__GNUC__)
#define TB_INLINE static inline __attribute__((always_inline))
#else
#define TB_INLINE static inline
#endif

/* An empty builder that may grow to max bytes. */
void tb_init(struct tbuf *b, size_t max);
void tb_free(struct tbuf *b);

/* The slow way of tb_room: grow for n more bytes, or fail (err set); 0 then. */
int tb_grow(struct tbuf *b, size_t n);

/*
 * Room for n more bytes at b->cur: 1, or 0 when the builder has failed. The
 * put writes at most n bytes there (its last ones may be scratch), then moves
 * cur past what it keeps (tb_advance). Inline: every put asks this.
 */
TB_INLINE int tb_room(struct tbuf *b, size_t n)
{
#if defined(__GNUC__)
	/* n known and small (a literal's, a number's): cur + n cannot wrap, and the
	 * compare of addresses is an instruction less than the subtraction's */
	if (__builtin_constant_p(n) && n <= 4096)
		return (uintptr_t)b->cur + n <= (uintptr_t)b->end || tb_grow(b, n);
#endif
	return (size_t)(b->end - b->cur) >= n || tb_grow(b, n);
}

/* After a put wrote from cur to o. */
TB_INLINE void tb_advance(struct tbuf *b, char *o)
{
	b->cur = o;
}

/* The text so far: b->p, and this many bytes. */
static inline size_t tb_len(const struct tbuf *b) { return (size_t)(b->cur - b->p); }

static inline int tb_failed(const struct tbuf *b) { return b->err != 0; }

/* Where an object starts, for tb_rollback. Taken while the builder has not failed. */
static inline size_t tb_mark(const struct tbuf *b) { return tb_len(b); }

/* Everything since mark gone, the error cleared: what came before is intact
 * (a failed put writes nothing). */
static inline void tb_rollback(struct tbuf *b, size_t mark)
{
	if (b->p != NULL) {            /* else nothing was ever put: mark is 0 */
		b->cur = b->p + mark;
		b->end = b->p + b->cap;
	}
	b->err = 0;
}

TB_INLINE void tb_mem(struct tbuf *b, const char *s, size_t n)
{
	if (n != 0 && tb_room(b, n)) {
		memcpy(b->cur, s, n);
		b->cur += n;
	}
}

/* A string literal, its length known at compile time ("" s: literals only)... */
#define tb_lit(b, s) tb_mem((b), "" s, sizeof(s) - 1)
/* ...or any C string. */
static inline void tb_str(struct tbuf *b, const char *s) { tb_mem(b, s, strlen(s)); }

TB_INLINE void tb_chr(struct tbuf *b, char c)
{
	if (tb_room(b, 1))
		*b->cur++ = c;
}

/*
 * Unchecked writers, for the puts: each writes at o and returns the end of
 * what it wrote, using up to its *_ROOM bytes at o (scratch included).
 */
#define TB_U64_ROOM 36        /* 20 digits, and the digit writers' scratch (line.h) */

char *tb_put_u64_wide(char *o, uint64_t v);

TB_INLINE char *tb_put_u64(char *o, uint64_t v)   /* a call would cost a third of it */
{
	return v <= UINT32_MAX ? ln_put_u32(o, (uint32_t)v) : tb_put_u64_wide(o, v);
}

/* Room for the n bytes of pre and then more: pre is put, and where the rest goes is returned
 * (for one of the tb_put_ / jb_put_ writers, then tb_advance); NULL if there is no room. */
TB_INLINE char *tb_pre(struct tbuf *b, const char *pre, size_t n, size_t more)
{
	if (!tb_room(b, n + more))
		return NULL;
	memcpy(b->cur, pre, n);
	return b->cur + n;
}

/* The n bytes of pre, then v in decimal: the work of tb_u64 and tb_lit_u64. */
TB_INLINE void tb_pre_u64(struct tbuf *b, const char *pre, size_t n, uint64_t v)
{
	char *o = tb_pre(b, pre, n, TB_U64_ROOM);
	if (o != NULL)
		tb_advance(b, tb_put_u64(o, v));
}

/* Decimal. */
TB_INLINE void tb_u64(struct tbuf *b, uint64_t v) { tb_pre_u64(b, "", 0, v); }
#define tb_lit_u64(b, s, v) tb_pre_u64((b), "" s, sizeof(s) - 1, (v))

/* s, then spaces up to width columns (printf's "%-*s"). */
void tb_str_pad(struct tbuf *b, const char *s, int width);
/* Spaces, then v in decimal, width columns in all (printf's "%*llu"). */
void tb_u64_rjust(struct tbuf *b, uint64_t v, int width);
/* n spaces. */
void tb_spaces(struct tbuf *b, size_t n);

/* Write out what is held, and empty the buffer. */
void tb_flush(struct tbuf *b, FILE *f);

#endif
