/* bounds.h: every limit the analysis can hit, counted where it is hit and reported at the end. */
#ifndef SYNACK_BOUNDS_H
#define SYNACK_BOUNDS_H

#include <stddef.h>
#include <stdint.h>

/*
 * One process-wide tally, like errno: an allocation can fail deep inside a
 * parser that has no way to reach the report. Nothing here changes what is
 * analyzed; it records what was not, so that the summary, stderr and the exit
 * status can say so (never degrade silently).
 */
struct bounds {
	uint64_t alloc_failed;          /* allocations that failed, anywhere */
	uint64_t oom_packets;           /* packets not analyzed: no memory for their connection */
	uint64_t oom_evidence;          /* evidence lines not kept: no memory */
	uint64_t oom_payload;           /* connections whose payload could not be analyzed: no memory */
	uint64_t oom_reports;           /* JSON objects (reports, --packets lines) dropped whole: no memory */
	uint64_t evicted_table;         /* connections reported early: the flow table was full */
	uint64_t evicted_memory;        /* ... the memory budget was reached */
	uint64_t after_eviction;        /* later packets of evicted connections, not analyzed */
	uint64_t evicted_forgotten;     /* evicted connections no longer remembered (that memory is bounded) */
	uint64_t ts_clamped;            /* packets whose timestamp was out of range */
	uint64_t groups_evicted;        /* triage groups folded into "other": the table was full */
	uint64_t tls_servers_forgotten; /* servers known to answer in TLS, forgotten for others (bounded) */
	/* IP fragments (frag.h): datagrams given up, and fragments that could not be held */
	uint64_t frag_timeout;          /* datagrams not whole 30 s (capture time) after their first fragment */
	uint64_t frag_unfinished;       /* ... not whole when the capture ended */
	uint64_t frag_evicted;          /* ... given up for room: 4,096 datagrams or the byte budget held */
	uint64_t frag_pieces;           /* ... of more than 64 fragments */
	uint64_t frag_overlap;          /* ... with fragments overlapping in part (discarded, as Linux and RFC 5722) */
	uint64_t frag_oversize;         /* ... longer than an IP datagram can be */
	uint64_t frag_invalid;          /* ... with an impossible layout; and fragments whose headers could not be read */
	uint64_t frag_truncated;        /* fragments cut by the snaplen: analyzed as they are, not reassembled */
	uint64_t frag_overlap_differ;   /* fragments repeating bytes already held with other bytes (the first kept) */
};

extern struct bounds bounds;

/*
 * An allocation failed: count it, and give back the reserve (bounds_reserve)
 * so that what is under way (a report, the summary) can still be finished.
 */
void bounds_alloc_failed(void);
/* Set aside n bytes for bounds_alloc_failed to give back; 0 if that failed. */
int bounds_reserve(size_t n);
void bounds_release_reserve(void);
/* Anything that made the analysis incomplete (not counting clamped timestamps)? */
int bounds_lost(void);

#endif
