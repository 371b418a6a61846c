/* tbuf.c: the text builder's growth, its failure, and decimals past 32 bits. */
#include <stdlib.h>

#include "bounds.h"
#include "tbuf.h"

#define TB_FIRST_CAP 4096

void tb_init(struct tbuf *b, size_t max)
{
	memset(b, 0, sizeof(*b));
	b->max = max;
}

void tb_free(struct tbuf *b)
{
	free(b->p);
	tb_init(b, b->max);
}

/* Every put from now on a no-op: none has room. */
static int fail(struct tbuf *b, int err)
{
	b->err = err;
	b->end = b->cur;
	return 0;
}

int tb_grow(struct tbuf *b, size_t n)
{
	size_t len = tb_len(b), cap = b->cap ? b->cap : TB_FIRST_CAP;
	char *p;

	if (b->err)
		return 0;
	if (n > b->max - len)
		return fail(b, TB_ERR_MAX);
	/* Doubling, up to max: len + n <= max, so this ends. */
	while (cap - len < n)
		cap = cap > b->max / 2 ? b->max : 2 * cap;
	if (cap > b->max)
		cap = b->max;
	p = realloc(b->p, cap);
	if (p == NULL) {
		bounds_alloc_failed();
		return fail(b, TB_ERR_NOMEM);
	}
	b->p = p;
	b->cur = p + len;
	b->cap = cap;
	b->end = p + cap;
	return 1;
}

/* Past 32 bits (rare): the digits above the last eight first. */
char *tb_put_u64_wide(char *o, uint64_t v)
{
	uint64_t hi = v / 100000000;
	o = tb_put_u64(o, hi);
	ln_put_digits(o, (uint32_t)(v % 100000000), 8);
	return o + 8;
}

void tb_flush(struct tbuf *b, FILE *f)
{
	size_t len = tb_len(b);

	if (len)
		fwrite(b->p, 1, len, f);
	if (b->p == NULL)
		return;            /* nothing was ever put */
	b->cur = b->p;
	b->end = b->err ? b->p : b->p + b->cap;      /* a failed builder stays failed */
}

void tb_spaces(struct tbuf *b, size_t n)
{
	if (n != 0 && tb_room(b, n)) {
		memset(b->cur, ' ', n);
		b->cur += n;
	}
}

void tb_str_pad(struct tbuf *b, const char *s, int width)
{
	size_t n = strlen(s);

	tb_mem(b, s, n);
	if (width > 0 && n < (size_t)width)
		tb_spaces(b, (size_t)width - n);
}

void tb_u64_rjust(struct tbuf *b, uint64_t v, int width)
{
	char tmp[TB_U64_ROOM];
	size_t n = (size_t)(tb_put_u64(tmp, v) - tmp);

	if (width > 0 && n < (size_t)width)
		tb_spaces(b, (size_t)width - n);
	tb_mem(b, tmp, n);
}
