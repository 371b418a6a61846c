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
 * One segment's payload, by its sequence number. Without a SYN, the first one
 * with payload sets the origin (the stream is then midstream). Returns the
 * stream's REASM_SEG_* bits; 0 for an empty segment.
 */
unsigned tcp_stream_segment(struct tcp_stream *s, uint32_t seq, const uint8_t *data, size_t len,
			    uint64_t frame);

#endif
