/* tcp_stream.c: TCP sequence numbers to stream offsets, by 32-bit serial arithmetic against the contiguous point. */
#include "tcp_stream.h"

int tcp_stream_syn(struct tcp_stream *s, uint32_t isn)
{
	if (!(reasm_flags(&s->rs) & REASM_STARTED)) {
		s->origin = isn + 1;
		reasm_start(&s->rs, 0);
		return 1;
	}
	return !(reasm_flags(&s->rs) & REASM_MIDSTREAM) && s->origin == isn + 1;
}

/*
 * The stream offset of seq, placed against rcv: 1, or 0 if it lies before
 * offset 0 (*before: by how much). The stream keeps rcv within 2^30 of its
 * read offset, so a sequence number within 2^31 of rcv is placed exactly.
 */
static int offset_of(const struct tcp_stream *s, uint32_t seq, uint64_t *off, uint64_t *before)
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

unsigned tcp_stream_segment(struct tcp_stream *s, uint32_t seq, const uint8_t *data, size_t len,
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
		offset_of(s, seq, &off, &before);
	}
	return reasm_segment(&s->rs, off, before, data, len, frame);
}
