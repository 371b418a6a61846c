/* spares.h: memory kept warm: a few freed objects of one size kept for the next
 * allocation of that size, and ranges loaded ahead of their use. */
#ifndef SYNACK_SPARES_H
#define SYNACK_SPARES_H

#include <stdlib.h>

/*
 * A connection's objects are made and let go at the rate of the connections
 * themselves; past glibc's per-thread cache (1 KiB and below) each malloc and
 * free walks and mends its bins, on memory that has long left the cache. A
 * bounded handful of the last freed objects of one size is handed out again
 * instead: never more than SPARES_MAX of them are held. With ASan, none: let it
 * see every use after free.
 */
#if defined(__SANITIZE_ADDRESS__)
#define SPARES_MAX 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SPARES_MAX 0
#endif
#endif
#ifndef SPARES_MAX
#define SPARES_MAX 16
#endif

struct spares {
	void *p[16];
	unsigned n;
};

/* A kept object (its bytes as they were left), or NULL: then malloc. */
static inline void *spares_take(struct spares *s)
{
	return s->n > 0 ? s->p[--s->n] : NULL;
}

/* Keep p for the next spares_take, or free it if the handful is full. */
static inline void spares_give(struct spares *s, void *p)
{
	if (p != NULL && s->n < SPARES_MAX)
		s->p[s->n++] = p;
	else
		free(p);
}

static inline void spares_clear(struct spares *s)
{
	while (s->n > 0)
		free(s->p[--s->n]);
}

/* Start loading the n bytes at p (p may be NULL) into the cache, a line at a time. */
static inline void prefetch_range(const void *p, size_t n)
{
	for (size_t off = 0; p != NULL && off < n; off += 64)
		__builtin_prefetch((const char *)p + off);
}

#endif
