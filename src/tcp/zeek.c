/* zeek.c: Zeek's TCP state machine, reduced to conn.log's history and conn_state. */
#include "zeek.h"
#include "zeek_int.h"

#include <stddef.h>
#include <string.h>

/*
 * Names follow Zeek's (src/packet_analysis/protocol/tcp/TCPSessionAdapter.cc,
 * src/analyzer/protocol/tcp/TCP_Endpoint.cc, TCP_Reassembler.cc, Reassem.cc,
 * scripts/base/protocols/conn/main.zeek) so the two can be read side by side.
 * Settings are Zeek's defaults: reassembly on (dpd_reassemble_first_packets),
 * tcp_max_initial_window and tcp_max_above_hole_without_any_acks 16384,
 * tcp_excessive_data_without_further_acks 10 MiB, detect_filtered_trace F.
 */

#define F_FIN 0x01
#define F_SYN 0x02
#define F_RST 0x04
#define F_ACK 0x10

#define TOO_LARGE_SEQ_DELTA 1048576
#define MAX_INITIAL_WINDOW 16384u
#define MAX_ABOVE_HOLE 16384u
#define EXCESSIVE_DATA (10u * 1024 * 1024)

/* Per-direction "seen" bits of Connection::hist_seen; the responder's are << 16. */
enum { H_SYN = 0x1, H_FIN = 0x2, H_RST = 0x4, H_FIN_RST = 0x8, H_DATA = 0x10, H_ACK = 0x20, H_MULTI = 0x40 };
/* Scaled letters: index into cnt[] / thresh[]. */
enum { SC_C, SC_G, SC_T, SC_W };

typedef struct zeek_endpoint ep_t;

static int32_t seq_delta(uint32_t a, uint32_t b) { return (int32_t)(a - b); }
static uint64_t full_seq(uint32_t s, uint32_t wraps) { return ((uint64_t)wraps << 32) + s; }
static ep_t *orig_ep(struct zeek_conn *z) { return &z->ep[z->orig]; }
static ep_t *resp_ep(struct zeek_conn *z) { return &z->ep[!z->orig]; }
static ep_t *peer_of(struct zeek_conn *z, const ep_t *e) { return &z->ep[e == &z->ep[0]]; }
static int is_orig(const struct zeek_conn *z, const ep_t *e) { return e == &z->ep[z->orig]; }

static void set_state(ep_t *e, int s)
{
	if (e->state != s) {
		e->prev_state = e->state;
		e->state = (uint8_t)s;
	}
}

/* ---- history letters (Connection::AddHistory / CheckHistory / ScaledHistoryEntry) ---- */

static void add_history(struct zeek_conn *z, const ep_t *e, char code)
{
	if (e && !is_orig(z, e) && code >= 'A' && code <= 'Z')
		code = (char)(code - 'A' + 'a');   /* not tolower(): no locale call for our own ASCII letters */
	if (z->hist_len < ZEEK_HISTORY_MAX) {
		z->history[z->hist_len++] = code;
		z->history[z->hist_len] = '\0';
	} else {
		z->truncated = 1;
	}
}

/* Logs code the first time mask is seen for e's direction; 1 if it was seen before. */
static inline int check_history(struct zeek_conn *z, const ep_t *e, uint32_t mask, char code)
{
	if (!is_orig(z, e))
		mask <<= 16;
	if (z->hist_seen & mask)
		return 1;
	z->hist_seen |= mask;
	add_history(z, e, code);
	return 0;
}

/* c, g, t, w: logged at the 1st, 10th, 100th, ... occurrence (uint32_t arithmetic as Zeek). */
static void scaled(struct zeek_conn *z, ep_t *e, int which)
{
	if (++e->cnt[which] != e->thresh[which])
		return;
	add_history(z, e, "CGTW"[which]);
	uint32_t next = e->thresh[which] * 10u;
	if (next <= e->thresh[which])
		e->cnt[which] = 0;
	else
		e->thresh[which] = next;
}

static void update_history(struct zeek_conn *z, ep_t *e, uint8_t flags, uint64_t rel_seq, uint32_t len)
{
	int bits = !!(flags & F_SYN) + !!(flags & F_FIN) + !!(flags & F_RST);

	if (bits > 1) {
		if ((flags & F_FIN) && (flags & F_RST))
			check_history(z, e, H_FIN_RST, 'I');
		else
			check_history(z, e, H_MULTI, 'Q');
	} else if (bits == 1) {
		if (flags & F_SYN) {
			char code = (flags & F_ACK) ? 'H' : 'S';
			if (check_history(z, e, H_SYN, code) && rel_seq != e->hist_last_syn)
				add_history(z, e, code);
			e->hist_last_syn = rel_seq;
		}
		if (flags & F_FIN) {   /* a FIN's sequence number is the one after its data */
			if (check_history(z, e, H_FIN, 'F') && rel_seq + len != e->hist_last_fin)
				add_history(z, e, 'F');
			e->hist_last_fin = rel_seq + len;
		}
		if (flags & F_RST) {
			if (check_history(z, e, H_RST, 'R') && rel_seq != e->hist_last_rst)
				add_history(z, e, 'R');
			e->hist_last_rst = rel_seq;
		}
	} else if (len) {
		check_history(z, e, H_DATA, 'D');
	} else if (flags & F_ACK) {
		check_history(z, e, H_ACK, 'A');
	}
}

/* ---- sequence space (TCP_Endpoint, init_endpoint, get_relative_seq, ...) ---- */

static void init_seqs(ep_t *e, uint32_t start, uint32_t last)
{
	e->start_seq = start;
	e->ack_seq = start;
	e->last_seq = last;
}

static void init_endpoint(ep_t *e, uint8_t flags, uint32_t seq, uint32_t last)
{
	int syn = flags & F_SYN;

	switch (e->state) {
	case ZEEK_INACTIVE:   /* without a SYN, number as if one had been seen */
		if (syn)
			init_seqs(e, seq, last);
		else
			init_seqs(e, seq - 1, seq);
		break;
	case ZEEK_SYN_SENT:
	case ZEEK_SYN_ACK_SENT:
		if (syn && seq != (uint32_t)e->start_seq)
			init_seqs(e, seq, last);
		break;
	case ZEEK_ESTABLISHED:
	case ZEEK_PARTIAL:
		if (syn)
			init_seqs(e, seq, last);
		break;
	case ZEEK_RESET:
		if (syn && e->prev_state == ZEEK_INACTIVE)
			init_seqs(e, seq, last);
		break;
	default:
		break;
	}
}

static inline uint64_t relative_seq(const ep_t *e, uint32_t cur, uint32_t last, uint32_t wraps,
				   int *underflow)
{
	int32_t delta = seq_delta(cur, last);

	if (delta < 0 && wraps && cur > last)
		--wraps;
	else if (delta > 0 && cur < last)
		++wraps;
	if (wraps == 0) {
		delta = seq_delta(cur, (uint32_t)e->start_seq);
		if (delta < 0)
			*underflow = 1;
		return (uint64_t)(int64_t)delta;
	}
	return full_seq(cur, wraps) - (uint64_t)e->start_seq;
}

static int no_data_acked(const ep_t *e)
{
	uint64_t ack = full_seq(e->ack_seq, e->ack_wraps), start = (uint64_t)e->start_seq;
	return ack == start || ack == start + 1;
}

/* TCP_Endpoint::Size(): payload bytes by sequence numbers, SYN and FIN octets excluded. */
uint64_t zeek_ep_size(const ep_t *e, const ep_t *p)
{
	if (e->prev_state == ZEEK_SYN_SENT && e->state == ZEEK_RESET && p->state == ZEEK_INACTIVE &&
	    !no_data_acked(e))
		return 0;
	uint64_t last = full_seq(e->last_seq, e->seq_wraps), ack = full_seq(e->ack_seq, e->ack_wraps);
	uint64_t size = (last > ack ? last : ack) - (uint64_t)e->start_seq;
	if (size)
		--size;
	if (e->fin_cnt > 0 && size)
		--size;
	return size;
}

static void update_last_seq_to(ep_t *e, uint32_t seq)
{
	if (seq < e->last_seq)
		++e->seq_wraps;
	e->last_seq = seq;
}

static inline void update_last_seq(struct zeek_conn *z, ep_t *e, uint32_t last, uint8_t flags,
				   uint32_t len)
{
	int32_t delta = seq_delta(last, e->last_seq);

	if ((flags & (F_SYN | F_RST)) && (delta > TOO_LARGE_SEQ_DELTA || delta < -TOO_LARGE_SEQ_DELTA))
		return;   /* not trusted */
	if ((flags & F_FIN) && e->last_seq == (uint32_t)e->start_seq + 1)
		update_last_seq_to(e, last);
	else if (e->state == ZEEK_RESET)
		return;
	else if (delta > 0)
		update_last_seq_to(e, last);
	else if (len > 0)
		scaled(z, e, SC_T);   /* payload at or below what this side already sent */
}

/* The ACK bit: set up or advance the peer's acknowledged sequence; returns the relative ack. */
static inline uint64_t ack_update(ep_t *p, uint8_t flags, uint32_t ack)
{
	if (p->state == ZEEK_INACTIVE) {
		init_seqs(p, ack - 1, ack - 1);   /* as if the peer's SYN had been seen */
		return 1;
	}
	int underflow = 0;
	uint64_t rel_ack = relative_seq(p, ack, p->ack_seq, p->ack_wraps, &underflow);
	if (underflow)
		return 0;
	if (!(flags & F_RST)) {   /* acks in RSTs are not trusted */
		int32_t delta = seq_delta(ack, p->ack_seq);
		if (!(ack == 0 && delta > TOO_LARGE_SEQ_DELTA) && delta > 0) {
			if (ack < p->ack_seq)
				++p->ack_wraps;
			p->ack_seq = ack;
		}
	}
	return rel_ack;
}

/* ---- reassembly, only as far as gaps and "data pending at close" need it ---- */

static void trim_to(struct zeek_conn *z, ep_t *e, uint64_t seq);

static int is_clean(const ep_t *a)
{
	return a->state == ZEEK_ESTABLISHED || (a->state == ZEEK_CLOSED && a->prev_state == ZEEK_ESTABLISHED);
}

static void gap(struct zeek_conn *z, ep_t *e)
{
	if (is_clean(e) && is_clean(peer_of(z, e)))
		scaled(z, e, SC_G);
}

/* Reassembler::BlockInserted: deliver what now follows the delivered data. */
static void block_inserted(struct zeek_conn *z, ep_t *e, uint32_t i)
{
	if (e->blocks[i].seq > e->reassem_seq || e->blocks[i].upper <= e->reassem_seq)
		return;
	for (; i < e->nblocks && e->blocks[i].seq <= e->reassem_seq; i++)
		if (e->blocks[i].seq == e->reassem_seq)
			e->reassem_seq = e->blocks[i].upper;
	if (no_data_acked(e) && zeek_ep_size(e, peer_of(z, e)) > MAX_INITIAL_WINDOW)
		trim_to(z, e, e->reassem_seq);   /* not seeing the peer's acks: do not hold data */
}

/* TCP_Reassembler::Undelivered: the peer acked data we never saw; each hole is a gap. */
static void undelivered(struct zeek_conn *z, ep_t *e, uint64_t up_to)
{
	if (up_to <= 2 && z->is_partial)
		return;   /* the faked SYN octet of a partial connection */
	if (!e->skip) {
		uint32_t i = 0;
		while (i < e->nblocks) {
			if (e->blocks[i].seq < e->reassem_seq) {
				i++;
				continue;
			}
			if (e->blocks[i].seq >= up_to)
				break;
			gap(z, e);
			e->reassem_seq = e->blocks[i].seq;
			block_inserted(z, e, i);
			i = 0;
		}
		if (up_to > e->reassem_seq)
			gap(z, e);
	}
	if (up_to > e->reassem_seq)
		e->reassem_seq = up_to;
}

static void trim_to(struct zeek_conn *z, ep_t *e, uint64_t seq)
{
	uint32_t n = 0;

	if (seq > e->reassem_seq)
		undelivered(z, e, seq);
	while (n < e->nblocks && e->blocks[n].upper <= seq) {
		e->buffered -= e->blocks[n].upper - e->blocks[n].seq;
		n++;
	}
	memmove(&e->blocks[0], &e->blocks[n], (e->nblocks - n) * sizeof e->blocks[0]);
	e->nblocks -= n;
	if (e->nblocks && e->blocks[0].seq == e->reassem_seq)
		block_inserted(z, e, 0);
	e->trim_seq = seq;
}

/* Full: merge the two blocks with the smallest hole between them (touching ones first). */
static void make_room(ep_t *e)
{
	uint32_t i, best = 0;
	uint64_t best_hole = UINT64_MAX;

	for (i = 0; i + 1 < e->nblocks; i++) {
		uint64_t hole = e->blocks[i + 1].seq - e->blocks[i].upper;
		if (hole < best_hole) {
			best_hole = hole;
			best = i;
		}
	}
	e->buffered += e->blocks[best + 1].seq - e->blocks[best].upper;   /* the hole is now inside */
	e->blocks[best].upper = e->blocks[best + 1].upper;
	memmove(&e->blocks[best + 1], &e->blocks[best + 2], (e->nblocks - best - 2) * sizeof e->blocks[0]);
	e->nblocks--;
}

/* Inserts the parts of [s, u) (s < u) not yet buffered; the index of the block holding s. */
static uint32_t blk_insert(ep_t *e, uint64_t s, uint64_t u)
{
	uint64_t first = s;
	uint32_t i = 0;

	/* In-order data past everything buffered (the usual case): the loop below would
	 * walk every block to append it at the end; do that directly. */
	if (e->nblocks < ZEEK_BLOCKS && (e->nblocks == 0 || e->blocks[e->nblocks - 1].upper <= s)) {
		e->blocks[e->nblocks].seq = s;
		e->blocks[e->nblocks].upper = u;
		e->buffered += u - s;
		return e->nblocks++;
	}

	while (s < u) {
		while (i < e->nblocks && e->blocks[i].upper <= s)
			i++;
		if (i < e->nblocks && e->blocks[i].seq <= s) {
			s = e->blocks[i].upper;
			continue;
		}
		if (e->nblocks == ZEEK_BLOCKS) {
			make_room(e);
			i = 0;
			continue;
		}
		uint64_t end = (i < e->nblocks && e->blocks[i].seq < u) ? e->blocks[i].seq : u;
		memmove(&e->blocks[i + 1], &e->blocks[i], (e->nblocks - i) * sizeof e->blocks[0]);
		e->blocks[i].seq = s;
		e->blocks[i].upper = end;
		e->buffered += end - s;
		e->nblocks++;
		s = end;
	}
	for (i = 0; i < e->nblocks && e->blocks[i].upper <= first; i++)
		;
	return i;
}

/* TCP_Reassembler::DataSent + Reassembler::NewBlock. */
static inline void data_sent(struct zeek_conn *z, ep_t *e, uint64_t seq, uint32_t len)
{
	uint64_t ack = full_seq(e->ack_seq, e->ack_wraps) - (uint64_t)e->start_seq;
	uint64_t upper = seq + len;

	if (e->skip)
		return;
	if (seq < ack) {
		if (upper <= ack)
			return;   /* already delivered and acked */
		seq = ack;
	}
	if (upper <= e->trim_seq)
		return;
	if (seq < e->trim_seq)
		seq = e->trim_seq;
	if (seq == e->reassem_seq && e->nblocks < ZEEK_BLOCKS &&
	    (e->nblocks == 0 || e->blocks[e->nblocks - 1].upper <= seq)) {
		/* In order, right after what was delivered (nearly every segment): what
		 * blk_insert() and block_inserted() would do, append and deliver, inline. */
		e->blocks[e->nblocks].seq = seq;
		e->blocks[e->nblocks].upper = upper;
		e->nblocks++;
		e->buffered += upper - seq;
		e->reassem_seq = upper;
		if (no_data_acked(e) && zeek_ep_size(e, peer_of(z, e)) > MAX_INITIAL_WINDOW)
			trim_to(z, e, e->reassem_seq);
	} else {
		block_inserted(z, e, blk_insert(e, seq, upper));
	}
	if ((no_data_acked(e) && e->nblocks &&
	     e->blocks[e->nblocks - 1].upper - e->reassem_seq > MAX_ABOVE_HOLE) ||
	    e->buffered > EXCESSIVE_DATA) {
		e->nblocks = 0;   /* Zeek gives up on this direction's content */
		e->buffered = 0;
		e->skip = 1;
	}
}

static int data_pending(struct zeek_conn *z, const ep_t *e)
{
	if (e->skip)
		return 0;
	uint64_t delivered = (uint64_t)e->start_seq + e->reassem_seq;
	uint64_t last = full_seq(e->last_seq, e->seq_wraps);
	if (last < delivered)
		return 0;
	if (delivered != last - 1 && delivered != last)
		return 1;
	return e->state != ZEEK_RESET && peer_of(z, e)->nblocks > 0;
}

/* TCPSessionAdapter::ConnectionClosed, for did_close only (which IsReuse reads). */
static void conn_closed(struct zeek_conn *z, ep_t *e)
{
	if (data_pending(z, e)) {
		z->close_deferred = 1;
		return;
	}
	z->close_deferred = 0;
	e->did_close = 1;
}

/* Inline: most calls end at the first test (no FIN, no close, or done already). */
static inline void check_eof(struct zeek_conn *z, ep_t *e)
{
	if (e->did_eof || !(e->fin_cnt > 0 || e->state == ZEEK_CLOSED || e->state == ZEEK_RESET) ||
	    data_pending(z, e))
		return;
	e->did_eof = 1;
	if (z->close_deferred) {
		conn_closed(z, e);
		z->close_deferred = 0;
	}
}

/* TCP_Reassembler::AckReceived, on the endpoint whose data is acked. */
static inline void ack_received(struct zeek_conn *z, ep_t *e, uint64_t seq)
{
	if (e->fin_cnt > 0 && seq >= e->fin_seq)
		seq = e->fin_seq - 1;   /* not the FIN octet */
	if (seq <= e->trim_seq)
		return;
	trim_to(z, e, seq);
	check_eof(z, e);
}

/* ---- the endpoint state machine (UpdateStateMachine and its helpers) ---- */

static void flip_roles(struct zeek_conn *z)
{
	z->orig = !z->orig;
	z->first_seen = (uint8_t)(((z->first_seen & 1) ? 2 : 0) | ((z->first_seen & 2) ? 1 : 0));
	z->is_partial = 0;
	add_history(z, NULL, '^');
}

/* A FIN closes, then a RST resets, both in one packet leaving RESET (prev_state CLOSED):
 * the FIN and RST rules of UpdateInactiveState and UpdateSYN_SentState. */
static void fin_rst(ep_t *e, uint8_t flags, int *do_close)
{
	if (flags & F_FIN)
		set_state(e, ZEEK_CLOSED);
	if (flags & F_RST)
		set_state(e, ZEEK_RESET);
	if (flags & (F_FIN | F_RST))
		*do_close = 1;
}

/* UpdateInactiveState: a SYN from the responder side; 1 if roles flipped. */
static int resp_syn(struct zeek_conn *z, ep_t *e, ep_t *p, uint8_t flags, uint32_t seq)
{
	int flipped = 0;

	if (!(flags & F_ACK) && p->state == ZEEK_SYN_ACK_SENT && seq == (uint32_t)e->start_seq) {
		/* SYN-ACK seen before its SYN: the SYN's sender is the originator */
		z->is_partial = 0;
		flip_roles(z);
		set_state(p, ZEEK_ESTABLISHED);
		z->first_seen |= 1;
		flipped = 1;
	}
	if (p->state == ZEEK_SYN_SENT)
		set_state(p, ZEEK_ESTABLISHED);
	set_state(e, ZEEK_ESTABLISHED);
	return flipped;
}

/* UpdateInactiveState. A FIN or RST here never touches the peer: a peer that
 * sent FIN then RST stays RESET (only UpdateEstablishedState undoes that). */
static int update_inactive(struct zeek_conn *z, ep_t *e, ep_t *p, int from_orig, uint8_t flags,
			   uint32_t seq, uint32_t len, int *do_close)
{
	int flipped = 0;

	if ((flags & F_SYN) && from_orig)
		set_state(e, (flags & F_ACK) ? ZEEK_SYN_ACK_SENT : ZEEK_SYN_SENT);
	else if (flags & F_SYN)
		flipped = resp_syn(z, e, p, flags, seq);
	fin_rst(e, flags, do_close);
	if (e->state != ZEEK_INACTIVE)
		return flipped;
	if (!from_orig && len == 0 && orig_ep(z)->state == ZEEK_SYN_SENT)
		;   /* an ack of the SYN before the SYN-ACK: not a partial connection */
	else if ((flags & F_ACK) && p->state == ZEEK_ESTABLISHED) {
		set_state(e, ZEEK_ESTABLISHED);   /* SYN missed, SYN-ACK seen: established */
		z->is_partial = 0;
		z->first_seen |= from_orig ? 1 : 2;
	} else {
		set_state(e, ZEEK_PARTIAL);
	}
	return flipped;
}

/* UpdateEstablishedState (ESTABLISHED and PARTIAL endpoints). A FIN+RST packet resets. */
static void update_established(ep_t *e, ep_t *p, uint8_t flags, int *do_close)
{
	if ((flags & F_SYN) && !(flags & F_ACK) && e->state == ZEEK_PARTIAL && p->state == ZEEK_INACTIVE)
		set_state(e, ZEEK_SYN_SENT);
	if ((flags & F_FIN) && !(flags & F_RST)) {
		set_state(e, ZEEK_CLOSED);
		if (p->state == ZEEK_RESET && p->prev_state == ZEEK_CLOSED)
			set_state(p, ZEEK_CLOSED);   /* FIN then RST from the peer: a normal close */
		*do_close = 1;
	}
	if (flags & F_RST) {
		set_state(e, ZEEK_RESET);
		*do_close = 1;
	}
}

/* UpdateStateMachine: by the sender's state before the packet. */
static int state_machine(struct zeek_conn *z, ep_t *e, ep_t *p, int from_orig, uint8_t flags,
			 uint32_t seq, uint32_t len, int *do_close)
{
	switch (e->state) {
	case ZEEK_INACTIVE:
		return update_inactive(z, e, p, from_orig, flags, seq, len, do_close);
	case ZEEK_SYN_SENT:
	case ZEEK_SYN_ACK_SENT:   /* UpdateSYN_SentState */
		fin_rst(e, flags, do_close);
		break;
	case ZEEK_ESTABLISHED:
	case ZEEK_PARTIAL:
		update_established(e, p, flags, do_close);
		break;
	case ZEEK_CLOSED:   /* UpdateClosedState: after both FINs a RST changes nothing */
		if ((flags & F_RST) && p->state != ZEEK_CLOSED) {
			set_state(e, ZEEK_RESET);
			if (!e->did_close)
				*do_close = 1;
		}
		break;
	default:   /* RESET is final (UpdateResetState) */
		break;
	}
	return 0;
}

/* ---- per packet ---- */

/* TCPSessionAdapter::IsReuse: does this SYN start a new connection on the same ports? */
static int is_reuse(struct zeek_conn *z, uint8_t flags, uint32_t seq)
{
	ep_t *o = orig_ep(z), *r = resp_ep(z), *conn_orig = o;

	if (!(flags & F_SYN))
		return 0;
	if (flags & F_ACK) {
		if (o->state != ZEEK_INACTIVE)
			return 0;
		conn_orig = r;
	}
	if (o->did_close || r->did_close)
		return 1;
	if (seq == (uint32_t)conn_orig->start_seq)
		return 0;
	if (!(flags & F_ACK) && conn_orig->state == ZEEK_SYN_ACK_SENT && r->state == ZEEK_INACTIVE &&
	    seq == (uint32_t)r->start_seq)
		return 0;   /* the SYN of an earlier SYN-ACK: flipped below, not reuse */
	return 1;
}

static void set_partial_status(struct zeek_conn *z, uint8_t flags, int from_orig)
{
	if (from_orig) {
		if (!(z->first_seen & 1))
			z->is_partial = !(flags & F_SYN) || (flags & F_ACK);
	} else if (!(z->first_seen & 2) && !z->is_partial) {
		z->is_partial = !(flags & F_SYN);
	}
}

void zeek_init(struct zeek_conn *z)
{
	/* Zero, but for the blocks past nblocks (0) and the history past its
	 * terminator: half the struct, never read, not written either. */
	for (int i = 0; i < 2; i++)
		memset(&z->ep[i], 0, offsetof(struct zeek_endpoint, blocks));
	memset(&z->orig, 0, offsetof(struct zeek_conn, history) - offsetof(struct zeek_conn, orig));
	z->history[0] = '\0';
	for (int i = 0; i < 2; i++) {
		for (int k = 0; k < 4; k++)
			z->ep[i].thresh[k] = 1;
		z->ep[i].reassem_seq = z->ep[i].trim_seq = 1;
	}
}

/*
 * The common segment of an established connection: no SYN, FIN or RST, both
 * sides already seen, this side established and without a FIN of its own, the
 * peer established or closed (the data and acks after one side's FIN). For it
 * the reuse check, the partial status, the endpoint set-up, the state machine
 * and the end-of-data check of zeek_packet_slow() below change nothing, so
 * only the history letter, sequence and ack accounting and reassembly are
 * left. (The helpers both paths call are marked inline: with two callers GCC
 * would otherwise stop inlining them, and the calls cost more than the fast
 * path saves.)
 */
static int established_fast(const struct zeek_conn *z, const ep_t *e, const ep_t *p, uint8_t flags)
{
	return !(flags & (F_SYN | F_FIN | F_RST)) && z->first_seen == 3 &&
	       e->state == ZEEK_ESTABLISHED && e->fin_cnt == 0 &&
	       (p->state == ZEEK_ESTABLISHED || p->state == ZEEK_CLOSED);
}

static void established_segment(struct zeek_conn *z, ep_t *e, ep_t *p, uint8_t flags, uint32_t seq,
				uint32_t ack, uint16_t win, uint32_t len)
{
	int underflow = 0;
	uint64_t rel_seq = relative_seq(e, seq, e->last_seq, e->seq_wraps, &underflow), rel_ack = 0;

	if (len)   /* update_history() for a segment without SYN, FIN or RST */
		check_history(z, e, H_DATA, 'D');
	else if (flags & F_ACK)
		check_history(z, e, H_ACK, 'A');
	if (win == 0 && p->state != ZEEK_CLOSED)
		scaled(z, e, SC_W);
	if (flags & F_ACK)
		rel_ack = ack_update(p, flags, ack);
	update_last_seq(z, e, seq + len, flags, len);
	if (flags & F_ACK)
		ack_received(z, p, rel_ack);
	if (len > 0 && !underflow)
		data_sent(z, e, rel_seq, len);
}

/* Everything but the fast path: kept out of line so that zeek_packet() stays
 * small (few registers to save) for the segments that take the fast path. */
static __attribute__((noinline)) int zeek_packet_slow(struct zeek_conn *z, int from_orig, uint8_t flags,
						      uint32_t seq, uint32_t ack, uint16_t win, uint32_t len,
						      int bad_checksum)
{
	ep_t *e = from_orig ? orig_ep(z) : resp_ep(z), *p = peer_of(z, e);
	int underflow = 0, do_close = 0, flipped;
	uint64_t rel_seq, rel_ack = 0;

	if (z->started && is_reuse(z, flags, seq))
		return ZEEK_REUSE;
	z->started = 1;
	if (bad_checksum) {
		scaled(z, e, SC_C);   /* and the packet is otherwise ignored */
		return 0;
	}
	set_partial_status(z, flags, from_orig);
	uint32_t seg_len = len + !!(flags & F_SYN) + !!(flags & F_FIN) - ((flags & F_RST) ? len : 0);
	init_endpoint(e, flags, seq, seq + seg_len);
	rel_seq = relative_seq(e, seq, e->last_seq, e->seq_wraps, &underflow);
	update_history(z, e, flags, rel_seq, len);
	/* A zero window is logged unless it comes with or after a RST, or after the peer's FIN. */
	if (win == 0 && !(flags & F_RST) && p->state != ZEEK_CLOSED && e->state != ZEEK_RESET)
		scaled(z, e, SC_W);
	if (flags & F_FIN) {
		e->fin_cnt++;
		e->fin_seq = rel_seq + seg_len;
	}
	if (flags & F_ACK)
		rel_ack = ack_update(p, flags, ack);
	update_last_seq(z, e, seq + seg_len, flags, len);
	flipped = state_machine(z, e, p, from_orig, flags, seq, len, &do_close);
	if (flags & F_ACK)
		ack_received(z, p, rel_ack);
	z->first_seen |= from_orig ? 1 : 2;
	if (len > 0 && !(flags & F_RST) && !underflow)
		data_sent(z, e, (flags & F_SYN) ? rel_seq + 1 : rel_seq, len);
	check_eof(z, e);
	if (do_close)
		conn_closed(z, e);
	return flipped ? ZEEK_FLIP : 0;
}

int zeek_packet(struct zeek_conn *z, int from_orig, uint8_t flags, uint32_t seq, uint32_t ack,
		uint16_t win, uint32_t len, int bad_checksum)
{
	ep_t *e = from_orig ? orig_ep(z) : resp_ep(z), *p = peer_of(z, e);

	if (!bad_checksum && established_fast(z, e, p, flags)) {
		established_segment(z, e, p, flags, seq, ack, win, len);
		return 0;
	}
	return zeek_packet_slow(z, from_orig, flags, seq, ack, win, len, bad_checksum);
}

/* ---- connection start (the conn.log columns: zeek_conn.c) ---- */

int zeek_first(struct zeek_conn *z, uint16_t sport, uint16_t dport, uint8_t flags)
{
	int flip = 0;

	if ((!(flags & F_SYN) || (flags & F_ACK)) && zeek_likely_server_port(sport)) {
		if (zeek_likely_server_port(dport))   /* both plausible: favour the lower port, never for a SYN-ACK */
			flip = !(flags & F_SYN) && sport < dport;
		else
			flip = 1;
	}
	if (flip) {
		z->orig = !z->orig;
		add_history(z, NULL, '^');
	}
	return flip;
}
