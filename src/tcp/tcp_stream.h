/* tcp_stream.h: one direction's TCP sequence numbers placed as offsets in its byte stream (reasm.h). */
#ifndef SYNACK_TCP_STREAM_H
#define SYNACK_TCP_STREAM_H

#include <stddef.h>
#include <stdint.h>

#include "reasm.h"

/*
 * The stream and where it starts in sequence space. All-zero is the initial
 * state: no origin yet.
 */
struct tcp_stream {
	struct reasm rs;
	uint32_t origin;          /* the sequence number of offset 0 */
};

/*
 * The SYN (or SYN-ACK) with this ISN: offset 0 is isn + 1. Returns 1, or 0 if
 * ignored: the origin is already set to something else (data came first, or
 * a SYN with another ISN). Data on a SYN is given with seq = isn + 1.
 */
int tcp_stream_syn(struct tcp_stream *s, uint32_t isn);


/*
 * The stream offset of seq, placed against rcv: 1, or 0 if it lies before
 * offset 0 (*before: by how much). The stream keeps rcv within 2^30 of its
 * read offset, so a sequence number within 2^31 of rcv is placed exactly.
 */
static inline int tcp_stream_offset(const struct tcp_stream *s, uint32_t seq, uint64_t *off, uint64_t *before)
{
	uint64_t rcv = reasm_rcv(&s->rs);
	uint32_t u = seq - (s->origin + (uint32_t)rcv);

	if (u < 0x80000000u) {
		*off = rcv + u;
		return 1;
	}
	uint64_t back = 0x100000000ull - u;
	if (back <= rcv) {
		*off = rcv - back;
		return 1;
	}
	*off = 0;
	*before = back - rcv;
	return 0;
}

/*
 * One segment's payload, by its sequence number. Without a SYN, the first one
 * with payload sets the origin (the stream is then midstream). Returns the
 * stream's REASM_SEG_* bits; 0 for an empty segment. (Inline: once per
 * segment with payload.)
 */
static inline unsigned tcp_stream_segment(struct tcp_stream *s, uint32_t seq, const uint8_t *data, size_t len,
			    uint64_t frame)
{
	uint64_t off = 0, before = 0;

	/* nothing, or a length the stream refuses: neither sets the origin */
	if (len == 0 || len > REASM_SEG_MAX)
		return reasm_segment(&s->rs, 0, 0, data, len, frame);
	if (!(reasm_flags(&s->rs) & REASM_STARTED)) {
		/* The segment that sets the origin is offset 0 by definition. (Placed
		 * against rcv it would not be, if a skip before it had moved rcv 2 GiB on.) */
		s->origin = seq;
		reasm_start(&s->rs, 1);
	} else {
		tcp_stream_offset(s, seq, &off, &before);
	}
	return reasm_segment(&s->rs, off, before, data, len, frame);
}

#endif
