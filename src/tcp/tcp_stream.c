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
