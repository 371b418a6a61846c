/* frag.h: IPv4 and IPv6 fragments held until their datagram is whole, bounded in count, bytes and time. */
#ifndef SYNACK_FRAG_H
#define SYNACK_FRAG_H

#include <stddef.h>
#include <stdint.h>

#include "decode.h"

/*
 * Fragments are held by datagram: IPv4 by (src, dst, protocol, id), IPv6 by
 * (src, dst, the Fragment header's 32-bit id). When a fragment makes its
 * datagram whole, frag_add() returns that datagram decoded as one packet,
 * with the frame number and time of the fragment that completed it. Every
 * fragment given up on is counted in bounds (bounds.h): none is dropped
 * silently.
 *
 * Overlaps, as Linux (4.19 on, IPv4 and IPv6 alike) and RFC 5722: a fragment
 * wholly inside bytes already held is a duplicate and dropped (first wins; when
 * its bytes differ that is counted, bounds.frag_overlap_differ, and the datagram
 * carries FRAG_NOTE_DIFFER); one that overlaps in part discards the whole
 * datagram (bounds.frag_overlap), as the receiver would.
 */

#define FRAG_MAX_DATAGRAMS 4096               /* being reassembled at once */
#define FRAG_MAX_BYTES ((size_t)4 << 20)      /* held at once, all counted */
#define FRAG_TIMEOUT_NS (30 * (int64_t)1000000000)  /* Linux's ipfrag_time, by capture time */
#define FRAG_MAX_PIECES 64                    /* fragments of one datagram */
#define FRAG_HDR_MAX 256                      /* a fragment's frame before its payload: link and IP headers */
#define FRAG_MAX_IPV4 65535                   /* a whole IPv4 datagram, header included */
#define FRAG_MAX_IPV6_PAYLOAD 65535           /* a whole IPv6 datagram's payload length */

struct frag_limits {
	uint32_t max_datagrams;
	size_t max_bytes;
	int64_t timeout_ns;
};

/* What a datagram's reassembly saw (frag_notes). */
enum {
	FRAG_NOTE_DIFFER = 1,        /* a fragment repeated bytes already held with other bytes: the first were kept */
	FRAG_NOTE_DUPLICATE = 2,     /* a fragment came again, the same bytes */
};

/* Why a datagram was given up (the drop callback's why). */
enum frag_drop {
	FRAG_DROP_TIMEOUT,           /* not whole within the timeout */
	FRAG_DROP_END,               /* not whole when the capture ended */
	FRAG_DROP_EVICTED,           /* room was needed: too many datagrams or bytes held */
	FRAG_DROP_PIECES,            /* more than FRAG_MAX_PIECES fragments */
	FRAG_DROP_OVERLAP,           /* fragments overlapping in part */
	FRAG_DROP_OVERSIZE,          /* longer than an IP datagram can be */
	FRAG_DROP_INVALID,           /* an impossible layout (two different ends, bytes past the end) */
};

/* Counts that are no bound (the bounds hit are in bounds.h). */
struct frag_stats {
	uint64_t fragments;          /* fragments taken in (held) */
	uint64_t reassembled;        /* datagrams made whole */
	uint64_t duplicates;         /* fragments repeated with the same bytes */
	uint64_t atomic;             /* IPv6 fragment headers with offset 0 and M 0: passed on as they are */
	uint64_t passed;             /* fragments that could not be held (cut by the snaplen, unsupported), analyzed as they are */
	uint64_t held, bytes;        /* datagrams and bytes held now */
};

struct frag_table;
struct frag_dgram;

/* A datagram given up: called before it is freed; frag_npieces and frag_piece may be used on d. */
typedef void (*frag_drop_fn)(void *arg, struct frag_table *t, const struct frag_dgram *d, enum frag_drop why);

/* NULL limits: the defaults above. NULL when out of memory. Nothing is allocated until the first fragment. */
struct frag_table *frag_new(const struct frag_limits *l, frag_drop_fn drop, void *arg);
void frag_free(struct frag_table *t);

/*
 * Take p, a decoded packet with p->ip.is_fragment set, captured with linktype.
 * Returns the datagram p completed, decoded as one packet in memory of t's
 * (valid until the next call on t), with p's frame and time; p itself when it
 * cannot be held (an atomic IPv6 fragment, one cut by the snaplen, one whose
 * headers are too long to keep: counted, and analyzed as it is); NULL when p
 * was held or dropped.
 */
struct packet *frag_add(struct frag_table *t, struct packet *p, int linktype);
/* The datagram frag_add just returned whole (NULL if the last call returned none). */
const struct frag_dgram *frag_last(const struct frag_table *t);
/* Give up the datagrams older than the timeout at capture time now. */
void frag_expire(struct frag_table *t, int64_t now);
/* The capture time at which frag_expire next has something to do (INT64_MAX: nothing held). */
int64_t frag_next_expiry(const struct frag_table *t);
/* The capture ended: give up every datagram held. */
void frag_flush(struct frag_table *t);
const struct frag_stats *frag_stats(const struct frag_table *t);

/* d's fragments, in the order they came, and its FRAG_NOTE_* bits. */
unsigned frag_npieces(const struct frag_dgram *d);
unsigned frag_notes(const struct frag_dgram *d);
/*
 * Fragment i of d as its frame was (its headers as captured, its payload from
 * the datagram's bytes), decoded with linktype into q: q->data is t's memory,
 * valid until the next frag_piece or frag_add call.
 */
void frag_piece(struct frag_table *t, const struct frag_dgram *d, unsigned i, struct packet *q, int linktype);

#endif
