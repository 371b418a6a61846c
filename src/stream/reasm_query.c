/* reasm_query.c: what a stream says about itself: gaps, counters, the segment log, memory and invariants. */
#include <stddef.h>
#include <string.h>

#include "reasm.h"
#include "reasm_int.h"

int reasm_gap(const struct reasm *r, uint64_t *from, uint64_t *to)
{
	const struct reasm_ext *x = r->x;
	uint64_t p;

	if (x == NULL)
		return REASM_GAP_NONE;
	p = run_end(r, r->read);
	for (uint32_t i = 0; i < x->nisl; i++) {
		if (x->isl[i].start > p) {
			*from = p;
			*to = x->isl[i].start;
			return REASM_GAP_HOLE;
		}
	}
	if (x->st.highest > p) {
		*from = p;
		*to = x->st.highest;
		return REASM_GAP_DROPPED;
	}
	return REASM_GAP_NONE;
}

const struct reasm_stats *reasm_counters(const struct reasm *r)
{
	static const struct reasm_stats none;

	return r->x != NULL ? &r->x->st : &none;
}

void reasm_stats(const struct reasm *r, struct reasm_stats *out)
{
	if (r->x != NULL)
		*out = r->x->st;
	else
		memset(out, 0, sizeof(*out));
}

size_t reasm_log(const struct reasm *r, const struct reasm_seg **out)
{
	*out = r->x != NULL ? r->x->log : NULL;
	return r->x != NULL ? r->x->nlog : 0;
}

void reasm_span(const struct reasm *r, uint64_t from, uint64_t to, struct reasm_span *out)
{
	const struct reasm_seg *log;
	size_t n = reasm_log(r, &log);

	/* (frames: only below nframes) */
	out->segments = out->retrans = out->conflicts = out->nframes = 0;
	out->complete = to <= REASM_LOG_WINDOW && !(r->flags & REASM_LOG_FULL);
	for (size_t i = 0; i < n && from < to; i++) {
		const struct reasm_seg *e = &log[i];
		if (e->off >= to || (uint64_t)e->off + e->len <= from)
			continue;
		out->segments++;
		out->retrans += (e->what & REASM_SEG_RETRANS) != 0;
		out->conflicts += (e->what & REASM_SEG_CONFLICT) != 0;
		out->frames[out->nframes++] = e->frame;
	}
}

size_t reasm_footprint(const struct reasm *r)
{
	const struct reasm_ext *x = r->x;
	if (x == NULL)
		return 0;
	return sizeof(*x) + x->alloc + (x->isl != NULL ? REASM_QUEUE_MAX * sizeof(x->isl[0]) : 0);
}

size_t reasm_footprint_max(void)
{
	return sizeof(struct reasm_ext) + REASM_QUEUE_MAX * sizeof(struct isl) + REASM_CAP;
}

int reasm_selfcheck(const struct reasm *r)
{
	const struct reasm_ext *x = r->x;
	uint64_t prev, e;

	if (x == NULL)
		return 1;
	if (x->nisl > REASM_QUEUE_MAX || (x->nisl > 0) != (x->isl != NULL) || x->nlog > REASM_LOG_MAX)
		return 0;
	prev = r->rcv;
	for (uint32_t i = 0; i < x->nisl; i++) {
		/* Sorted, disjoint, not touching, beyond rcv. */
		if (x->isl[i].start <= prev || x->isl[i].end <= x->isl[i].start)
			return 0;
		prev = x->isl[i].end;
	}
	e = kept_end(r);
	if (e > r->read + REASM_CAP || x->alloc > REASM_CAP || (x->buf == NULL) != (x->alloc == 0))
		return 0;
	/* Every seen offset at or past read is in the buffer. */
	if (e > r->read && (x->buf == NULL || x->base > r->read || e > x->base + x->alloc))
		return 0;
	/* Retained bytes lie in the buffer, below read. */
	if (x->buf != NULL && (x->ret_end < x->base || x->ret_end > r->read || x->ret_end > x->base + x->alloc))
		return 0;
	/* A discarded stream holds nothing. */
	if ((r->flags & REASM_DISCARD) && (x->buf != NULL || e > r->read || (r->flags & REASM_RETAIN)))
		return 0;
	return 1;
}

size_t reasm_mem(const struct reasm *r)
{
	const struct reasm_ext *x = r->x;

	if (x == NULL)
		return 0;
	return sizeof(*x) + x->alloc + (x->isl != NULL ? REASM_QUEUE_MAX * sizeof(x->isl[0]) : 0);
}
