/* reasm.c: per-direction TCP stream reassembly: in order, bounded, never guessing across a hole. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "bounds.h"
#include "reasm.h"
#include "reasm_int.h"
#include "spares.h"

/*
 * The stream is a set of seen offsets: [0, rcv) and up to REASM_QUEUE_MAX
 * disjoint, non-touching ranges beyond it (the "islands", sorted). Bytes are
 * kept in one linear buffer, buf[i] being offset base + i, and the invariant
 * is: an offset at or past the read offset is seen if and only if its byte is
 * in the buffer. Bytes that cannot be kept (past read + REASM_CAP, no queue
 * slot, no memory) are therefore not marked seen: a retransmission may still
 * bring them. Bytes behind the read offset are only marked, never kept.
 *
 * Retransmitted bytes are compared with the kept ones while they are held;
 * once consumed, bytes of the log window are compared through a 16-bit
 * digest per 128-byte block, computed as rcv passes the block. That is what
 * lets a ClientHello retransmitted after it was parsed still be checked.
 * A digest covers whole blocks only: a copy of a few bytes, or one that
 * straddles blocks, is compared exactly only while the bytes are held. With
 * REASM_RETAIN, consumed bytes stay in the buffer ([base, ret_end)) while it
 * can hold them within REASM_CAP, so the bytes of a handshake are compared
 * exactly whatever the size and place of a later copy.
 */

#define BUF_MIN 2048u
#define FORGET_DIST (1ull << 30)   /* read this far past rcv: holes behind it are given up */
#define SKIP_MAX (1ull << 62)      /* offsets stay far from wrapping 64 bits */

/*
 * A block's digest: the sum over its 16 little-endian 64-bit words of each
 * word times an odd constant of its place, mod 2^64. Being linear, it can be
 * fed a block in pieces of any size (the partial words of the pieces add up
 * to the whole words) and costs one multiply per 8 bytes, not one per byte.
 */
static const uint64_t dmul[BLK / 8] = {
	0x9e3779b97f4a7c15ull, 0xbf58476d1ce4e5b9ull, 0x94d049bb133111ebull, 0xff51afd7ed558ccdull,
	0xc4ceb9fe1a85ec53ull, 0x2545f4914f6cdd1dull, 0xd6e8feb86659fd93ull, 0xa0761d6478bd642full,
	0xe7037ed1a0b428dbull, 0x8ebc6af09c88c6e3ull, 0x589965cc75374cc3ull, 0x1d8e4e27c47d124full,
	0x5851f42d4c957f2dull, 0x14057b7ef767814full, 0xf1357aea2e62a9c5ull, 0x61c8864680b583ebull,
};

static inline uint64_t load_le64(const uint8_t *p)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
#else
	return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 | (uint64_t)p[3] << 24 |
	       (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 | (uint64_t)p[6] << 48 | (uint64_t)p[7] << 56;
#endif
}

/*
 * The first n (1..7) bytes at d as a little-endian word. One load when 8
 * bytes can be read before end (the bytes past n are masked off), else
 * byte by byte.
 */
static inline uint64_t load_part(const uint8_t *d, size_t n, const uint8_t *end)
{
	uint64_t w = 0;

	if (end - d >= 8)
		return load_le64(d) & ((1ull << (8 * n)) - 1);
	for (size_t i = 0; i < n; i++)
		w |= (uint64_t)d[i] << (8 * i);
	return w;
}

/*
 * Add the bytes d of stream offsets [p, stop), all in one block, to the
 * block's sum h; d may be read up to end. A partial word adds as one: the sum
 * of its bytes' shifted products is the product of the bytes' word.
 */
static uint64_t blk_sum(uint64_t h, const uint8_t *d, uint64_t p, uint64_t stop, const uint8_t *end)
{
	size_t k, kend;

	if (p % BLK == 0 && stop - p == BLK) {
#if defined(__GNUC__)
#pragma GCC unroll 16
#endif
		for (k = 0; k < BLK / 8; k++)
			h += load_le64(d + 8 * k) * dmul[k];
		return h;
	}
	if (p % 8 != 0 && p < stop) {
		size_t j = (size_t)(p % 8), n = (size_t)min64(8 - j, stop - p);
		h += (load_part(d, n, end) << (8 * j)) * dmul[p % BLK / 8];
		p += n;
		d += n;
	}
	for (k = p % BLK / 8, kend = k + (stop - p) / 8; k < kend; k++, p += 8, d += 8)
		h += load_le64(d) * dmul[k];
	if (p < stop)
		h += load_part(d, (size_t)(stop - p), end) * dmul[p % BLK / 8];
	return h;
}

static uint16_t fold(uint64_t h)
{
	return (uint16_t)(((h ^ h >> 29) * 0xbf58476d1ce4e5b9ull) >> 48);
}

/*
 * Spares: a connection's stream buffer is let go as soon as everything in it
 * was read, and its extension at the end, so most segments would otherwise
 * cost a malloc and a free. A few of each (of the smallest buffer size only)
 * are kept per thread for the next one: bounded, and never more than that.
 */
#define SPARES (SPARES_MAX < 8 ? SPARES_MAX : 8)   /* none under ASan (spares.h) */

static _Thread_local struct {
	uint8_t *buf[8];
	struct reasm_ext *ext[8];
	uint32_t nbuf, next;
} spare;

static void buf_free(uint8_t *p, uint32_t alloc)
{
	if (p != NULL && alloc == BUF_MIN && spare.nbuf < SPARES)
		spare.buf[spare.nbuf++] = p;
	else
		free(p);
}

static struct reasm_ext *ext_get(struct reasm *r)
{
	if (r->x == NULL) {
		if (spare.next > 0) {
			r->x = spare.ext[--spare.next];
			memset(r->x, 0, offsetof(struct reasm_ext, log));
		} else if ((r->x = calloc(1, sizeof(*r->x))) == NULL) {
			return NULL;
		}
		r->x->dok = 1;
	}
	return r->x;
}

void reasm_init(struct reasm *r)
{
	memset(r, 0, sizeof(*r));
}

void reasm_free(struct reasm *r)
{
	if (r->x != NULL) {
		buf_free(r->x->buf, r->x->alloc);
		free(r->x->isl);
		if (spare.next < SPARES)
			spare.ext[spare.next++] = r->x;
		else
			free(r->x);
	}
	memset(r, 0, sizeof(*r));
}

void reasm_start(struct reasm *r, int midstream)
{
	r->flags |= REASM_STARTED | (midstream ? REASM_MIDSTREAM : 0u);
}


/* Bytes below read are retained in the buffer. */
static int retaining(const struct reasm *r)
{
	return (r->flags & REASM_RETAIN) && r->x->ret_end > r->x->base;
}

static void buf_release(struct reasm *r)
{
	struct reasm_ext *x = r->x;
	if (x != NULL && x->buf != NULL && kept_end(r) <= r->read && !retaining(r)) {
		buf_free(x->buf, x->alloc);
		x->buf = NULL;
		x->alloc = 0;
	}
}

/* Make the buffer cover [read, t), t <= read + REASM_CAP: compact first, then grow. */
static int buf_ensure(struct reasm *r, uint64_t t)
{
	struct reasm_ext *x = r->x;
	size_t n;
	uint8_t *p;

	if (x->buf == NULL) {
		x->base = x->ret_end = r->read;
	} else if (t > x->base + x->alloc && r->read > x->base && (!retaining(r) || t - x->base > REASM_CAP)) {
		/* compact: read bytes are let go, retained ones too once they no longer fit */
		uint64_t e = kept_end(r);
		if (e > r->read)
			memmove(x->buf, x->buf + (r->read - x->base), (size_t)(e - r->read));
		x->base = x->ret_end = r->read;
	}
	if (x->buf != NULL && t <= x->base + x->alloc)
		return 1;
	n = x->alloc ? x->alloc : BUF_MIN;
	while (n < t - x->base)
		n *= 2;
	if (n > REASM_CAP)
		n = REASM_CAP;
	if (x->buf == NULL && n == BUF_MIN && spare.nbuf > 0)
		p = spare.buf[--spare.nbuf];
	else
		p = realloc(x->buf, n);
	if (p == NULL)
		return 0;
	x->buf = p;
	x->alloc = (uint32_t)n;
	return 1;
}

/* rcv moves to `to`: the log window's block digests follow (known: the bytes are held or consumed). */
static void digest_to(struct reasm *r, uint64_t to, int known)
{
	struct reasm_ext *x = r->x;
	uint64_t p = r->rcv;

	to = min64(to, REASM_LOG_WINDOW);
	while (p < to) {
		uint64_t bend = p - p % BLK + BLK, stop = min64(bend, to);
		if (!known || p < r->read)
			x->dok = 0;   /* not held (skipped, consumed or never seen): no digest */
		else
			x->dh = blk_sum(x->dh, x->buf + (p - x->base), p, stop, x->buf + x->alloc);
		p = stop;
		if (p == bend) {
			size_t k = (size_t)(p / BLK - 1);
			if (x->dok) {
				x->dig[k] = fold(x->dh);
				x->dvalid[k / 64] |= 1ull << (k % 64);
			}
			x->dh = 0;
			x->dok = 1;
		}
	}
}

static void isl_remove(struct reasm_ext *x, uint32_t i, uint32_t n)
{
	memmove(&x->isl[i], &x->isl[i + n], (x->nisl - i - n) * sizeof(x->isl[0]));
	x->nisl -= n;
	if (x->nisl == 0) {
		free(x->isl);
		x->isl = NULL;
	}
}

/* rcv moves forward to `to`, then over any island it now reaches. */
static void advance(struct reasm *r, uint64_t to, int known)
{
	struct reasm_ext *x = r->x;

	digest_to(r, to, known);
	r->rcv = to;
	while (x->nisl > 0 && x->isl[0].start <= r->rcv) {
		if (x->isl[0].end > r->rcv) {
			digest_to(r, x->isl[0].end, 1);
			r->rcv = x->isl[0].end;
		}
		isl_remove(x, 0, 1);
	}
}

/* Give up on the hole at rcv, up to limit (<= read: the consumer no longer needs it). */
static void forget_hole(struct reasm *r, uint64_t limit)
{
	struct reasm_ext *x = r->x;
	uint64_t to = limit;

	if (x->nisl > 0 && x->isl[0].start < to)
		to = x->isl[0].start;
	x->st.forgotten_bytes += to - r->rcv;
	r->flags |= REASM_FORGOT;
	advance(r, to, 0);
}

/* Whether [a, b) can be marked seen: it touches what is seen, or a queue slot can be had. */
static int reserve(struct reasm *r, uint64_t a, uint64_t b)
{
	struct reasm_ext *x = r->x;

	for (;;) {
		if (a <= r->rcv)
			return 1;
		for (uint32_t i = 0; i < x->nisl && x->isl[i].start <= b; i++)
			if (x->isl[i].end >= a)
				return 1;
		if (x->nisl < REASM_QUEUE_MAX)
			break;
		/*
		 * Full. Give up on the hole behind the read offset that frees a
		 * slot or makes [a, b) touch rcv; never on one the consumer needs.
		 */
		if (x->isl[0].start > r->read && a > r->read)
			return 0;
		forget_hole(r, min64(a, r->read));
	}
	if (x->isl == NULL && (x->isl = malloc(REASM_QUEUE_MAX * sizeof(x->isl[0]))) == NULL) {
		r->flags |= REASM_NOMEM;
		bounds_alloc_failed();
	}
	return x->isl != NULL;
}

/* Mark [a, b) seen (reserve() said yes). */
static void mark_seen(struct reasm *r, uint64_t a, uint64_t b)
{
	struct reasm_ext *x = r->x;
	uint32_t i = 0, j;

	if (a <= r->rcv) {
		if (b > r->rcv)
			advance(r, b, 1);
		return;
	}
	while (i < x->nisl && x->isl[i].end < a)
		i++;
	if (i < x->nisl && x->isl[i].start <= b) {
		x->isl[i].start = min64(x->isl[i].start, a);
		x->isl[i].end = max64(x->isl[i].end, b);
		for (j = i + 1; j < x->nisl && x->isl[j].start <= x->isl[i].end; j++)
			x->isl[i].end = max64(x->isl[i].end, x->isl[j].end);
		isl_remove(x, i + 1, j - i - 1);
		return;
	}
	memmove(&x->isl[i + 1], &x->isl[i], (x->nisl - i) * sizeof(x->isl[0]));
	x->isl[i].start = a;
	x->isl[i].end = b;
	x->nisl++;
}

/* What one segment did, while it is being placed. */
struct placing {
	uint64_t retrans, fresh, dropped;
	uint64_t conflict;
	uint64_t unc, unc_low;      /* seen bytes that could not be compared, and the first */
};

/* The offset of the first of n bytes that differ between a and b (off: a[0]'s), or UINT64_MAX. */
static uint64_t first_diff(const uint8_t *a, const uint8_t *b, size_t n, uint64_t off)
{
	if (memcmp(a, b, n) == 0)
		return UINT64_MAX;
	for (size_t i = 0;; i++)
		if (a[i] != b[i])
			return off + i;
}

static void uncompared(struct placing *pl, uint64_t a, uint64_t b)
{
	if (a < b) {
		pl->unc += b - a;
		pl->unc_low = min64(pl->unc_low, a);
	}
}

/*
 * Read bytes [a, b), not retained, of the copy d of [p, q): compared by the
 * digests of the whole blocks within; the others are uncompared.
 */
static uint64_t compare_digests(const struct reasm *r, struct placing *pl, const uint8_t *d, uint64_t p,
				uint64_t q, uint64_t a, uint64_t b)
{
	const struct reasm_ext *x = r->x;
	uint64_t c = UINT64_MAX, at = a;

	for (uint64_t k = (a + BLK - 1) / BLK; k < NBLK && (k + 1) * BLK <= b; k++) {
		if (!(x->dvalid[k / 64] >> (k % 64) & 1))
			continue;
		uncompared(pl, at, k * BLK);
		at = (k + 1) * BLK;
		if (c == UINT64_MAX &&
		    fold(blk_sum(0, d + (k * BLK - p), k * BLK, (k + 1) * BLK, d + (q - p))) != x->dig[k])
			c = k * BLK;
	}
	uncompared(pl, at, b);
	return c;
}

/*
 * Bytes [p, q) given as d are already seen: compare them with what is known
 * (held, retained, or a block's digest). The first differing offset (a
 * block's start when found by digest), or UINT64_MAX.
 */
static uint64_t compare_seen(const struct reasm *r, struct placing *pl, const uint8_t *d, uint64_t p, uint64_t q)
{
	const struct reasm_ext *x = r->x;
	uint64_t below = min64(q, max64(p, r->read)), rs = below, re = below, c = UINT64_MAX;
	uint64_t s = max64(p, r->read);

	/* [p, below) was read: of it, [rs, re) is retained in the buffer */
	if (x->buf != NULL && max64(p, x->base) < min64(below, x->ret_end)) {
		rs = max64(p, x->base);
		re = min64(below, x->ret_end);
		c = first_diff(x->buf + (rs - x->base), d + (rs - p), (size_t)(re - rs), rs);
	}
	c = min64(c, compare_digests(r, pl, d, p, q, p, rs));
	c = min64(c, compare_digests(r, pl, d, p, q, re, below));
	if (s < q)
		c = min64(c, first_diff(x->buf + (s - x->base), d + (s - p), (size_t)(q - s), s));
	return c;
}

/* Bytes [p, q) given as d were never seen: keep what lies in [read, keep_end), drop what lies past. */
static void place_new(struct reasm *r, struct placing *pl, const uint8_t *d, uint64_t p, uint64_t q,
		      uint64_t keep_end)
{
	struct reasm_ext *x = r->x;
	uint64_t lo = max64(p, r->read), kend;

	pl->fresh += q - p;
	if (lo >= q)
		return;
	kend = keep_end < lo ? lo : min64(keep_end, q);
	if (kend > lo)
		memcpy(x->buf + (lo - x->base), d + (lo - p), (size_t)(kend - lo));
	pl->dropped += q - kend;
}

/* Walk [off, end): seen pieces are compared, new pieces placed. O(islands). */
static void walk(struct reasm *r, struct placing *pl, const uint8_t *data, uint64_t off, uint64_t end,
		 uint64_t keep_end)
{
	const struct reasm_ext *x = r->x;
	uint64_t pos = off;
	uint32_t i = 0;

	while (pos < end) {
		uint64_t pe;
		int seen;
		if (pos < r->rcv) {
			pe = min64(end, r->rcv);
			seen = 1;
		} else {
			while (i < x->nisl && x->isl[i].end <= pos)
				i++;
			seen = i < x->nisl && x->isl[i].start <= pos;
			if (seen)
				pe = min64(end, x->isl[i].end);
			else
				pe = i < x->nisl ? min64(end, x->isl[i].start) : end;
		}
		if (seen) {
			uint64_t c = compare_seen(r, pl, data + (pos - off), pos, pe);
			pl->retrans += pe - pos;
			pl->conflict = min64(pl->conflict, c);
		} else {
			place_new(r, pl, data + (pos - off), pos, pe, keep_end);
		}
		pos = pe;
	}
}

static void log_segment(struct reasm *r, uint64_t off, uint64_t end, unsigned what, uint64_t frame)
{
	struct reasm_ext *x = r->x;
	struct reasm_seg *e;

	if (off >= REASM_LOG_WINDOW)
		return;
	if (x->nlog == REASM_LOG_MAX) {
		r->flags |= REASM_LOG_FULL;
		return;
	}
	e = &x->log[x->nlog++];
	e->frame = frame;
	e->off = (uint32_t)off;
	e->len = (uint16_t)(min64(end, REASM_LOG_WINDOW) - off);
	e->what = (uint8_t)what;
}

static void read_moved(struct reasm *r);

/* Counters and flags from what placing one segment did. */
static unsigned account(struct reasm *r, const struct placing *pl, uint64_t frame)
{
	struct reasm_ext *x = r->x;
	unsigned what = 0;

	if (pl->fresh > 0)
		what |= REASM_SEG_NEW;
	if (pl->retrans > 0) {
		what |= REASM_SEG_RETRANS;
		x->st.retrans_segments++;
		x->st.retrans_bytes += pl->retrans;
	}
	if (pl->dropped > 0) {
		what |= REASM_SEG_DROPPED;
		x->st.dropped_bytes += pl->dropped;
	}
	if (pl->conflict != UINT64_MAX) {
		what |= REASM_SEG_CONFLICT;
		r->flags |= REASM_CONFLICT;
		if (x->st.conflicts++ == 0) {
			x->st.conflict_off = x->st.conflict_low = pl->conflict;
			x->st.conflict_frame = frame;
		}
		x->st.conflict_low = min64(x->st.conflict_low, pl->conflict);
	}
	if (pl->unc > 0) {
		r->flags |= REASM_UNCOMPARED;
		if (x->st.uncompared_bytes == 0)
			x->st.uncompared_low = pl->unc_low;
		x->st.uncompared_bytes += pl->unc;
		x->st.uncompared_low = min64(x->st.uncompared_low, pl->unc_low);
	}
	return what;
}

unsigned reasm_segment(struct reasm *r, uint64_t off, uint64_t before, const uint8_t *data, size_t len,
		       uint64_t frame)
{
	struct reasm_ext *x;
	struct placing pl = { 0, 0, 0, UINT64_MAX, 0, UINT64_MAX };
	uint64_t end, keep_end, rcv0 = r->rcv;
	unsigned what = 0;

	if (len == 0)
		return 0;
	if (len > REASM_SEG_MAX) {
		r->flags |= REASM_INVALID;
		return REASM_SEG_DROPPED;
	}
	if ((x = ext_get(r)) == NULL) {
		r->flags |= REASM_NOMEM;
		bounds_alloc_failed();
		return REASM_SEG_DROPPED;
	}
	if (before > 0) {
		r->flags |= REASM_BEFORE_ORIGIN;
		what |= REASM_SEG_DROPPED;
		x->st.before_origin += min64(before, len);
		if (before >= len)
			return what;
		data += before;
		len -= (size_t)before;
	}
	end = off + len;
	if ((r->flags & REASM_DISCARD) && end > r->read) {
		/* nothing is read any more: the bytes go behind the read offset, counted, not kept */
		x->st.skipped_bytes += end - r->read;
		r->read = end;
		read_moved(r);
	}
	x->st.segments++;
	x->st.bytes += len;
	x->st.highest = max64(x->st.highest, end);
	if (off > r->rcv) {
		what |= REASM_SEG_OOO;
		x->st.ooo_segments++;
	}

	/* What can be kept: [read, read + cap), if the buffer can be had; below read, marked only. */
	keep_end = min64(end, r->read + REASM_CAP);
	if (end > r->read + REASM_CAP)
		r->flags |= REASM_OVERFLOW;
	if (keep_end > max64(off, r->read) && !buf_ensure(r, keep_end)) {
		r->flags |= REASM_NOMEM;
		bounds_alloc_failed();
		keep_end = min64(keep_end, r->read);
	}
	keep_end = max64(keep_end, off);
	if (keep_end > off && !reserve(r, off, keep_end)) {
		r->flags |= REASM_QUEUE_FULL;
		keep_end = off;
	}

	walk(r, &pl, data, off, end, keep_end);
	/* A keep-alive probe (seq = RCV.NXT - 1, one garbage byte, as Windows sends it) is no finding. */
	if (len == 1 && end == rcv0) {
		pl.conflict = UINT64_MAX;
		pl.unc = 0;
	}
	if (keep_end > off)
		mark_seen(r, off, keep_end);
	what |= account(r, &pl, frame);
	log_segment(r, off, end, what, frame);
	buf_release(r);
	return what;
}

size_t reasm_data(const struct reasm *r, struct cursor *out)
{
	uint64_t e = r->x != NULL ? run_end(r, r->read) : r->read;

	if (e == r->read) {
		*out = cur_make(NULL, 0);
		return 0;
	}
	*out = cur_make(r->x->buf + (r->read - r->x->base), (size_t)(e - r->read));
	return cur_len(out);
}

/*
 * The read offset moved. The transport places sequence numbers against rcv
 * (tcp_stream.c), so rcv must stay well within 2^31 of it: holes far behind
 * are given up on.
 */
static void read_moved(struct reasm *r)
{
	while (r->rcv < r->read && r->read - r->rcv >= FORGET_DIST)
		forget_hole(r, r->read);
	buf_release(r);
}

int reasm_consume(struct reasm *r, size_t n)
{
	if (n == 0)
		return 1;
	if (r->x == NULL || n > run_end(r, r->read) - r->read)
		return 0;
	if ((r->flags & REASM_RETAIN) && r->x->ret_end == r->read)
		r->x->ret_end += n;    /* still contiguous: the read bytes stay */
	r->read += n;
	read_moved(r);
	return 1;
}

int reasm_skip(struct reasm *r, uint64_t n)
{
	if (n >= SKIP_MAX || r->read >= SKIP_MAX)
		return 0;
	if (n == 0)
		return 1;
	/* skipped bytes that are held stay retained; past the held ones, retention stops growing */
	if ((r->flags & REASM_RETAIN) && r->x != NULL && r->x->buf != NULL && r->x->ret_end == r->read &&
	    n <= run_end(r, r->read) - r->read)
		r->x->ret_end += n;
	r->read += n;
	if (ext_get(r) == NULL) {
		r->flags |= REASM_NOMEM;
		bounds_alloc_failed();
		if (r->rcv < r->read)
			r->rcv = r->read;   /* nothing kept: nothing to account either */
		return 1;
	}
	r->x->st.skipped_bytes += n;
	read_moved(r);
	return 1;
}

void reasm_retain(struct reasm *r, int on)
{
	if (on) {
		if (!(r->flags & REASM_DISCARD))
			r->flags |= REASM_RETAIN;
		return;
	}
	r->flags &= ~(uint32_t)REASM_RETAIN;
	if (r->x != NULL) {
		r->x->ret_end = r->x->base;
		buf_release(r);
	}
}

void reasm_discard(struct reasm *r)
{
	reasm_retain(r, 0);
	r->flags |= REASM_DISCARD;
	if (r->x != NULL && kept_end(r) > r->read) {
		r->x->st.skipped_bytes += kept_end(r) - r->read;
		r->read = kept_end(r);
		read_moved(r);
	}
}
