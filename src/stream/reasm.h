/* reasm.h: one direction of a connection as an in-order byte stream in 64-bit offsets, in bounded memory. */
#ifndef SYNACK_REASM_H
#define SYNACK_REASM_H

#include <stddef.h>
#include <stdint.h>

#include "cursor.h"

/*
 * Stream offsets are 64-bit. The transport that owns the stream places its
 * segments: TCP (tcp_stream.h) makes offset 0 the byte after the SYN (ISN+1)
 * or, with no SYN seen, the first byte of the first data segment, and places
 * sequence numbers by 32-bit serial arithmetic against the contiguous point
 * (reasm_rcv), so the stream may wrap the sequence space any number of times.
 * The stream itself knows no sequence numbers.
 *
 * The consumer pulls: reasm_data() is the contiguous run of bytes at the read
 * offset, reasm_consume() drops what was parsed, reasm_skip() says the next n
 * bytes (arrived or not) need not be kept, only counted. Bytes are kept only
 * from the read offset to read + REASM_CAP; a hole is never guessed across.
 * A hole the consumer has skipped over (inside an encrypted record's body)
 * does not hold back what follows it: offsets are exact.
 *
 * Overlaps: the first copy of every byte is the one kept and delivered (as
 * most TCP stacks keep data they already hold). A later copy is compared with
 * it: exactly while the bytes are held (not yet read, or retained: see
 * reasm_retain), by a 16-bit digest per 128-byte block of the log window once
 * read. A difference is a conflict (counted, the lowest offset kept); bytes
 * that could be compared neither way are counted as uncompared. Neither is
 * ever delivered: which copy the receiver kept is not known here.
 */
#define REASM_CAP        65536u   /* bytes kept per direction, from the read offset on */
#define REASM_QUEUE_MAX  32       /* out-of-order ranges held beyond a hole */
#define REASM_LOG_WINDOW 16384u   /* the first stream bytes whose segments are logged */
#define REASM_LOG_MAX    16       /* segments logged */
#define REASM_SEG_MAX    (1u << 30) /* a longer segment is refused (REASM_INVALID) */

/* State flags (reasm_flags), sticky. */
enum {
	REASM_STARTED       = 1u << 0,  /* the origin is known */
	REASM_MIDSTREAM     = 1u << 1,  /* the origin is the first data segment, not a SYN */
	REASM_OVERFLOW      = 1u << 2,  /* bytes beyond read + REASM_CAP were counted, not kept */
	REASM_QUEUE_FULL    = 1u << 3,  /* an out-of-order segment was not kept: REASM_QUEUE_MAX */
	REASM_NOMEM         = 1u << 4,  /* bytes not kept: out of memory */
	REASM_BEFORE_ORIGIN = 1u << 5,  /* bytes before offset 0 were given (and ignored) */
	REASM_CONFLICT      = 1u << 6,  /* a retransmission carried different bytes */
	REASM_LOG_FULL      = 1u << 7,  /* more segments touched the log window than logged */
	REASM_FORGOT        = 1u << 8,  /* a hole behind the read offset was given up on */
	REASM_INVALID       = 1u << 9,  /* a segment longer than REASM_SEG_MAX was refused */
	REASM_UNCOMPARED    = 1u << 12, /* bytes already seen could not be compared (stats: uncompared_bytes) */
	/* Modes the consumer sets (not findings): */
	REASM_RETAIN        = 1u << 10, /* keep read bytes of the log window for exact comparison (reasm_retain) */
	REASM_DISCARD       = 1u << 11, /* nothing is read any more: bytes are counted, never kept (reasm_discard) */
};

/* The flags that say a bound of ours left bytes unkept (the stream may stall at them). */
#define REASM_LIMITS (REASM_OVERFLOW | REASM_QUEUE_FULL | REASM_NOMEM | REASM_INVALID)

/* What one segment did: reasm_segment()'s result, and each log entry's `what`. */
enum {
	REASM_SEG_NEW      = 1u << 0,   /* carried bytes not seen before */
	REASM_SEG_RETRANS  = 1u << 1,   /* carried bytes already seen (all of them or some) */
	REASM_SEG_OOO      = 1u << 2,   /* began beyond a hole: out of order */
	REASM_SEG_CONFLICT = 1u << 3,   /* bytes already seen, with different values */
	REASM_SEG_DROPPED  = 1u << 4,   /* some new bytes not kept: cap, queue, memory, before origin */
};

/* reasm_gap()'s answer. */
enum {
	REASM_GAP_NONE = 0,
	REASM_GAP_HOLE,      /* [from, to) never arrived, and bytes at `to` did */
	REASM_GAP_DROPPED,   /* bytes from `from` up to `to` arrived but were not kept (see flags) */
};

struct reasm_ext;

/* One direction. All-zero is the initial state; 32 bytes, no allocation until payload arrives. */
struct reasm {
	uint64_t read;           /* the consumer's offset: bytes below are consumed or skipped */
	uint64_t rcv;            /* every offset below has been seen (TCP's RCV.NXT) */
	uint32_t flags;          /* REASM_STARTED ... */
	struct reasm_ext *x;     /* counters, log, digests, buffer: from the first payload byte */
};

/* A segment that carried bytes of the first REASM_LOG_WINDOW, in capture order. */
struct reasm_seg {
	uint64_t frame;
	uint32_t off;            /* stream offset of its first byte */
	uint16_t len;            /* bytes within the window */
	uint8_t what;            /* REASM_SEG_* */
};

/* Which segments carried a range of the stream (from the log). */
struct reasm_span {
	unsigned segments;       /* segments that carried bytes of the range, retransmissions included */
	unsigned retrans;        /* of those, the ones that carried bytes already seen */
	unsigned conflicts;      /* of those, the ones whose bytes differed */
	unsigned nframes;        /* frames[0..nframes), in capture order */
	uint64_t frames[REASM_LOG_MAX];
	int complete;            /* 1 if the log covers the range: within the window, no entry lost */
};

struct reasm_stats {
	uint64_t bytes;            /* payload bytes given, from offset 0 on */
	uint64_t retrans_bytes;    /* of those, at offsets already seen */
	uint64_t dropped_bytes;    /* new bytes not kept: cap, queue bound, memory */
	uint64_t skipped_bytes;    /* declared not needed by reasm_skip() */
	uint64_t forgotten_bytes;  /* holes behind the read offset given up on */
	uint64_t before_origin;    /* bytes before offset 0, ignored */
	uint64_t highest;          /* end of the furthest byte seen (kept or not) */
	uint32_t segments;         /* segments with payload */
	uint32_t retrans_segments; /* segments that carried bytes already seen */
	uint32_t ooo_segments;     /* segments that began beyond a hole */
	uint32_t conflicts;        /* segments whose already-seen bytes differed */
	uint64_t conflict_off;     /* the first: offset of the first differing byte, or of its 128-byte block */
	uint64_t conflict_frame;   /* the first: the frame that carried the different bytes */
	uint64_t conflict_low;     /* the lowest offset of any conflict (valid while conflicts > 0) */
	uint64_t uncompared_bytes; /* already-seen bytes that could not be compared (read, no digest, not retained) */
	uint64_t uncompared_low;   /* the lowest of them (valid while uncompared_bytes > 0) */
};

void reasm_init(struct reasm *r);
void reasm_free(struct reasm *r);
/* Bytes of memory r holds (its buffer and bookkeeping), for the memory budget. */
size_t reasm_mem(const struct reasm *r);

/*
 * The transport knows where offset 0 is (REASM_STARTED): from the start of
 * the connection, or (midstream) from the first data segment it saw, the
 * capture having begun after the start.
 */
void reasm_start(struct reasm *r, int midstream);

/*
 * One segment's payload at stream offset off. before > 0: the segment began
 * that many bytes before offset 0 (off is then 0), and those bytes are
 * counted (REASM_BEFORE_ORIGIN) and ignored. Bytes already seen are never
 * replaced: they are compared (while held, or by a digest within the log
 * window) and a difference is a finding, except for a keep-alive probe (one
 * byte at RCV.NXT - 1). Returns REASM_SEG_* bits; 0 for an empty segment.
 */
unsigned reasm_segment(struct reasm *r, uint64_t off, uint64_t before, const uint8_t *data, size_t len,
		       uint64_t frame);

/*
 * Retain (on = 1) the bytes the consumer reads from now on, contiguously,
 * while the buffer's bound allows (REASM_CAP from the oldest retained byte;
 * past it the oldest are let go): a later copy of them is then compared byte
 * for byte, not by a block digest (which misses a copy that covers no whole
 * block). on = 0 lets them go. Meant for the bytes a verdict rests on (a
 * handshake): the buffer is held until then.
 */
void reasm_retain(struct reasm *r, int on);
/*
 * The consumer reads no more of this stream: every byte held is let go, and
 * later segments are only counted (bytes, retransmissions, conflicts where a
 * digest allows, holes), never kept. Sticky.
 */
void reasm_discard(struct reasm *r);

/* The contiguous bytes at the read offset: *out is valid until the next call that changes r. */
size_t reasm_data(const struct reasm *r, struct cursor *out);
/* Drop n parsed bytes; 0 (and nothing done) if fewer than n are available. */
int reasm_consume(struct reasm *r, size_t n);
/* The next n bytes, arrived or not, are not needed: counted, never kept. 0 if n is absurd. */
int reasm_skip(struct reasm *r, uint64_t n);

static inline uint64_t reasm_offset(const struct reasm *r) { return r->read; }
/* Every offset below this one has been seen: where the transport places what comes next. */
static inline uint64_t reasm_rcv(const struct reasm *r) { return r->rcv; }
static inline uint32_t reasm_flags(const struct reasm *r) { return r->flags; }

/*
 * Why no more data is available at the read offset, when more was seen
 * beyond: REASM_GAP_HOLE with [from, to) missing, or REASM_GAP_DROPPED when
 * no kept byte lies beyond (bytes seen up to `to` were not kept). Whether a
 * hole is final is the caller's call (at the connection's end, say).
 */
int reasm_gap(const struct reasm *r, uint64_t *from, uint64_t *to);

void reasm_stats(const struct reasm *r, struct reasm_stats *out);
/* The same, not copied: valid until r next changes (all zero before its first payload byte). */
const struct reasm_stats *reasm_counters(const struct reasm *r);
/* The segment log: *out points at n entries (n <= REASM_LOG_MAX). */
size_t reasm_log(const struct reasm *r, const struct reasm_seg **out);
/* Which segments carried bytes of [from, to). */
void reasm_span(const struct reasm *r, uint64_t from, uint64_t to, struct reasm_span *out);

/* Heap bytes held now, and the most they can ever be (REASM_CAP plus a constant). */
size_t reasm_footprint(const struct reasm *r);
size_t reasm_footprint_max(void);

/* For tests and fuzzing: 1 if the internal invariants hold. */
int reasm_selfcheck(const struct reasm *r);

#endif
