/* zeek.h: Zeek's conn.log `history` and `conn_state` for one TCP connection. */
#ifndef SYNACK_ZEEK_H
#define SYNACK_ZEEK_H

#include <stdint.h>

/*
 * A re-statement (not a copy) of Zeek's TCP endpoint state machine
 * (TCPSessionAdapter, TCP_Endpoint, TCP_Reassembler's gap accounting) with
 * Zeek's default settings, reduced to what the two conn.log columns need.
 * Pure: no I/O, no allocation, memory bounded by the struct.
 *
 * Zeek's history has no length limit; ours keeps the first ZEEK_HISTORY_MAX
 * letters. Only f, h, r, s (a new sequence number each time) can grow it
 * without bound; a, d, i, q appear at most once per direction and c, g, t, w
 * at most ten times per direction (the 1st, 10th, 100th, ... occurrence).
 */
#define ZEEK_HISTORY_MAX 64
/* Buffered segments per direction (Zeek's reassembler blocks); past this the
 * two closest blocks are merged, which can hide one content gap. */
#define ZEEK_BLOCKS 16

/* Zeek's TCP_ENDPOINT_* states. */
enum zeek_state {
	ZEEK_INACTIVE, ZEEK_SYN_SENT, ZEEK_SYN_ACK_SENT, ZEEK_PARTIAL,
	ZEEK_ESTABLISHED, ZEEK_CLOSED, ZEEK_RESET
};

/* zeek_packet's result bits. */
#define ZEEK_FLIP  1   /* roles flipped (SYN seen after the SYN-ACK): swap originator and responder */
#define ZEEK_REUSE 2   /* packet NOT consumed: Zeek ends this connection here and starts a new one with it */

struct zeek_block { uint64_t seq, upper; };

struct zeek_endpoint {
	uint8_t state, prev_state;
	uint8_t did_close, did_eof, skip;
	int64_t start_seq;
	uint32_t last_seq, ack_seq, seq_wraps, ack_wraps;
	uint64_t hist_last_syn, hist_last_fin, hist_last_rst;
	uint64_t fin_seq;
	uint32_t fin_cnt;
	uint32_t cnt[4], thresh[4];          /* c, g, t, w: count and next logged occurrence */
	uint64_t reassem_seq, trim_seq;      /* relative; data delivered / acked up to here */
	uint32_t nblocks;
	uint64_t buffered;                   /* sum of the blocks' lengths, kept as they change */
	struct zeek_block blocks[ZEEK_BLOCKS];
};

struct zeek_conn {
	struct zeek_endpoint ep[2];
	uint8_t orig;                        /* index in ep[] of the current originator */
	uint8_t started, first_seen, is_partial, close_deferred, truncated;
	uint32_t hist_seen;
	uint32_t hist_len;
	char history[ZEEK_HISTORY_MAX + 1];
};

void zeek_init(struct zeek_conn *z);

/*
 * Optional, before the first zeek_packet: Zeek's "likely server port" guess
 * (IPBasedAnalyzer::NewConn / TCPAnalyzer::WantConnection). sport, dport and
 * flags are those of the connection's first packet. Returns 1 when Zeek makes
 * the packet's destination the originator: history starts with '^' and the
 * caller passes from_orig = 0 for that packet.
 */
int zeek_first(struct zeek_conn *z, uint16_t sport, uint16_t dport, uint8_t flags);
/* 1 if port is in our copy of Zeek's default likely_server_ports (TCP). */
int zeek_likely_server_port(uint16_t port);

/*
 * One TCP segment. from_orig: sent by the side currently the originator (the
 * first packet's sender, unless zeek_first said otherwise). flags: the 8 TCP
 * flag bits; seq, ack, win as on the wire; payload_len: TCP payload bytes, all
 * of them captured; bad_checksum: 1 if the TCP checksum is known bad (Zeek then
 * logs c/C and ignores the packet). Returns 0, ZEEK_FLIP or ZEEK_REUSE.
 * On ZEEK_REUSE report this connection as finished, zeek_init() a new one
 * (zeek_first() if wanted) and feed it the same packet, its sender the
 * originator. Zeek's timers (attempt 5 s, close delay 5 s, inactivity) are not
 * modelled: splitting a connection on time is the caller's job.
 */
int zeek_packet(struct zeek_conn *z, int from_orig, uint8_t flags, uint32_t seq, uint32_t ack,
		uint16_t win, uint32_t payload_len, int bad_checksum);

const char *zeek_history(const struct zeek_conn *z);
const char *zeek_conn_state(const struct zeek_conn *z);

#endif
