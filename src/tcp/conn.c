/* conn.c: the TCP facts of one connection, updated packet by packet (pure: no I/O). */
#include <stdlib.h>
#include <stddef.h>
#include <string.h>

#include "bounds.h"
#include "conn.h"
#include "hash.h"
#include "spares.h"

/* Inline in conn_tcp(), which runs for every packet. */
static inline int dir_of(const struct conn *c, const struct packet *p)
{
	return flow_side_of(&c->f, p->ip.src, p->u.tcp.sport);   /* DIR_CLIENT is 0 */
}

int conn_dir_of(const struct conn *c, const struct packet *p)
{
	return dir_of(c, p);
}

/* Without a SYN: guess the server as the side on a lower, well-known-looking port. */
static int port_says_src_is_server(uint16_t sport, uint16_t dport)
{
	if (sport < 1024 && dport >= 1024)
		return 1;
	if (dport < 1024 && sport >= 1024)
		return 0;
	return sport < dport;
}

/* The front of c (up to CONN_LINGER_BYTES, zeroed by the caller): the tuple and the roles. */
static int init_front(struct conn *c, const struct packet *p)
{
	const struct tcp_info *t = &p->u.tcp;
	int src_is_client;

	c->f.v6 = p->ip.version == 6;
	if ((t->flags & (TCP_SYN | TCP_ACK)) == TCP_SYN) {
		src_is_client = 1;
		c->role_guess = ROLE_SYN;
	} else if ((t->flags & (TCP_SYN | TCP_ACK)) == (TCP_SYN | TCP_ACK)) {
		src_is_client = 0;
		c->role_guess = ROLE_SYNACK;
	} else {
		src_is_client = !port_says_src_is_server(t->sport, t->dport);
		c->role_guess = ROLE_PORT;
	}
	memcpy(c->f.addr[DIR_CLIENT], src_is_client ? p->ip.src : p->ip.dst, 16);
	memcpy(c->f.addr[DIR_SERVER], src_is_client ? p->ip.dst : p->ip.src, 16);
	c->f.port[DIR_CLIENT] = src_is_client ? t->sport : t->dport;
	c->f.port[DIR_SERVER] = src_is_client ? t->dport : t->sport;
	c->first_ts = pkt_ts(p);
	return src_is_client;
}

/* Zeek's state from the first packet's ports and flags. */
static void init_zeek(struct conn *c, const struct packet *p, int src_is_client)
{
	const struct tcp_info *t = &p->u.tcp;

	zeek_init(&c->zeek);
	/* Zeek's originator is the first packet's sender, unless its port guess flips it. */
	c->zeek_orig_dir = src_is_client ? DIR_CLIENT : DIR_SERVER;
	if (zeek_first(&c->zeek, t->sport, t->dport, t->flags))
		c->zeek_orig_dir ^= 1;
}

/* Two encapsulations alike: the same kinds and ids, and outer endpoints either way round. */
static int encap_same(const struct encap *a, const struct encap *b)
{
	size_t n = a->outer_version == 6 ? 16 : 4;

	if (a->kind != b->kind || a->outer_version != b->outer_version || a->has_id != b->has_id ||
	    a->id != b->id || a->sub != b->sub)
		return 0;
	if (a->outer_version == 0)
		return 1;
	return (memcmp(a->outer_src, b->outer_src, n) == 0 && memcmp(a->outer_dst, b->outer_dst, n) == 0) ||
	       (memcmp(a->outer_src, b->outer_dst, n) == 0 && memcmp(a->outer_dst, b->outer_src, n) == 0);
}

/* p, a packet of c: its encapsulation kept if it is the first, else counted when it differs. */
static void note_encap(struct conn *c, const struct packet *p, int first)
{
	struct conn_encap *k = c->encap;
	int same;

	if (k == NULL) {
		if ((k = calloc(1, sizeof(*k))) == NULL) {
			bounds_alloc_failed();
			return;
		}
		c->encap = k;
		if (first) {
			k->n = p->nencap;
			memcpy(k->e, p->encap, p->nencap * sizeof(p->encap[0]));
			return;
		}
	}
	same = k->n == p->nencap;
	for (uint8_t i = 0; same && i < p->nencap; i++)
		same = encap_same(&k->e[i], &p->encap[i]);
	if (!same)
		k->changed++;
}

void conn_init(struct conn *c, const struct packet *p)
{
	/* all zero (zeek_init does its part, which need not all be) */
	memset(c, 0, offsetof(struct conn, zeek));
	memset((char *)c + offsetof(struct conn, zeek) + sizeof(c->zeek), 0,
	       sizeof(*c) - offsetof(struct conn, zeek) - sizeof(c->zeek));
	init_zeek(c, p, init_front(c, p));
	if (p->nencap != 0)
		note_encap(c, p, 1);
}

int conn_small_fits(const struct packet *p)
{
	const struct tcp_info *t = &p->u.tcp;

	/* (one that came through a tunnel keeps its encapsulation: whole) */
	return (t->flags & (TCP_SYN | TCP_ACK | TCP_RST | TCP_FIN)) == TCP_SYN && t->payload_len == 0 && p->nencap == 0 &&
	       cur_len(&t->payload) == 0 && p->caplen <= CONN_SMALL_RAW && p->caplen == p->len;
}

void conn_init_small(struct conn *c, const struct packet *p)
{
	struct endpoint *e = &c->ep[DIR_CLIENT];
	int64_t ts = pkt_ts(p);

	memset(c, 0, CONN_LINGER_BYTES);
	init_front(c, p);
	c->f.small = 1;
	c->small_syn.frame = p->frame;
	c->small_syn.ts_frac = p->ts_frac;
	c->small_nano = p->ts_nano;
	c->small_syn.caplen = (uint8_t)p->caplen;
	memcpy(c->small_syn.raw, p->data, p->caplen);
	/* what conn_tcp does for a first SYN, in the front only */
	e->packets = 1;
	e->isn = p->u.tcp.seq;
	e->isn_set = 1;
	e->ttl_first = e->ttl_last = p->ip.ttl;
	e->ttl_seen = 1;
	c->f.last_ts = ts;
}

void conn_unpack(struct conn *c, int linktype, uint8_t *raw, struct packet *q)
{
	struct conn_small s = c->small_syn;
	const struct tcp_info *t = &q->u.tcp;

	memcpy(raw, s.raw, s.caplen);
	memset(q, 0, PACKET_CLEAR_BYTES);
	q->frame = s.frame;
	/* pkt_ts() made first_ts of these: undone exactly */
	q->ts_nano = c->small_nano;
	q->ts_frac = s.ts_frac;
	q->ts_sec = (c->first_ts - (int64_t)s.ts_frac * (c->small_nano ? 1 : 1000)) / 1000000000;
	q->caplen = q->len = s.caplen;
	q->data = raw;
	decode_packet(q, linktype);

	memset(&c->small_syn, 0, sizeof(*c) - offsetof(struct conn, small_syn));
	c->f.small = c->small_nano = 0;
	init_zeek(c, q, 1);
	c->syn_seen = 1;
	c->syn_ts[0] = c->first_ts;
	c->nsyn = 1;
	c->last.frame = s.frame;
	c->last.ts = c->first_ts;
	c->last.dir = DIR_CLIENT;
	c->last.flags = t->flags;
	if (zeek_packet(&c->zeek, DIR_CLIENT == c->zeek_orig_dir, t->flags, t->seq, t->ack, t->win, 0, 0) &
	    ZEEK_FLIP)
		c->zeek_orig_dir ^= 1;
}

/*
 * After a reset the other side may still have its say: a FIN or a reset of
 * its own, which Zeek writes in the history and weighs in conn_state (an
 * originator's FIN, its reset, then the responder's FIN is SF, not RSTO).
 * Such a connection is over once the other side closed too; until then it
 * has ended and lingers whole, reported when a second passes without a
 * packet of it (flow.h), as Zeek waits tcp_close_delay.
 */
int conn_done(const struct conn *c)
{
	const struct endpoint *other = &c->ep[c->rst_dir ^ 1];

	if (c->refused)
		return 1;
	if (!c->hs_ack_seen)
		return 0;
	if (c->rst_seen)
		return other->fin || other->rst;
	return c->ep[0].fin_acked && c->ep[1].fin_acked;
}

/*
 * An attempt that no SYN-ACK answered is over when the server resets it with
 * a reset the client must accept (RFC 9293 3.10.7.3: in SYN-SENT, one whose
 * ACK acknowledges the SYN; any other the client ignores, and the handshake
 * may go on), or when an ICMP error quotes it: what a stack does on one
 * while connecting (Linux ends the attempt on any but "fragmentation needed"
 * and "packet too big"; some stacks retry on host unreachable, and their
 * later SYNs then come after the report).
 */
static void refused_by_reset(struct conn *c, int dir, const struct tcp_info *t)
{
	const struct endpoint *cl = &c->ep[DIR_CLIENT];

	if (dir == DIR_SERVER && c->syn_seen && !c->synack_seen && cl->isn_set && (t->flags & TCP_ACK) &&
	    t->ack == cl->isn + 1)
		c->refused = 1;
}

static int icmp_ends_attempt(const struct icmp_note *n)
{
	if (n->v6)
		return n->type == 1 || n->type == 3 || n->type == 4;
	return (n->type == 3 && n->code != 4) || n->type == 11 || n->type == 12;
}

int conn_is_reuse(const struct conn *c, const struct packet *p)
{
	const struct tcp_info *t = &p->u.tcp;

	if ((t->flags & (TCP_SYN | TCP_ACK)) != TCP_SYN || conn_dir_of(c, p) != DIR_CLIENT)
		return 0;
	/* Another ISN is another connect(); so is any SYN after a finished connection.
	 * A SYN with the same ISN after a reset is the same attempt retrying. */
	if (c->ep[DIR_CLIENT].isn_set && c->ep[DIR_CLIENT].isn != t->seq)
		return 1;
	return (c->closed || c->rst_seen) && c->hs_ack_seen;
}

static void note_ttl(struct endpoint *e, uint8_t ttl)
{
	if (!e->ttl_seen) {
		e->ttl_first = ttl;
		e->ttl_seen = 1;
	}
	e->ttl_last = ttl;
}

/* SYN, SYN-ACK and the ACK that completes the handshake. */
static int handshake(struct conn *c, int dir, const struct tcp_info *t, int64_t ts)
{
	struct endpoint *e = &c->ep[dir];
	uint8_t sa = t->flags & (TCP_SYN | TCP_ACK);

	if (sa == TCP_SYN && dir == DIR_CLIENT) {
		e->isn = t->seq;
		e->isn_set = 1;
		c->syn_seen = 1;
		if (c->nsyn < CONN_MAX_SYN_TS)
			c->syn_ts[c->nsyn] = ts;
		c->nsyn++;
		return 1;
	}
	if (sa == (TCP_SYN | TCP_ACK) && dir == DIR_SERVER) {
		if (!c->synack_seen) {
			c->synack_first_ts = ts;
			c->synack_ack = t->ack;
		}
		c->synack_seen = 1;
		c->synack_last_ts = ts;
		e->isn = t->seq;
		e->isn_set = 1;
		c->nsynack++;
		return 1;
	}
	if (sa == TCP_ACK && dir == DIR_CLIENT && c->synack_seen && !c->hs_ack_seen &&
	    !(t->flags & TCP_RST) && t->ack == c->ep[DIR_SERVER].isn + 1) {
		c->hs_ack_seen = 1;
		c->hs_ack_ts = ts;
		return 1;
	}
	return 0;
}

/* Payload already covered by an earlier segment from the same side. */
static void retransmission(struct endpoint *e, const struct tcp_info *t)
{
	uint32_t end = t->seq + t->payload_len + ((t->flags & (TCP_SYN | TCP_FIN)) ? 1u : 0u);

	if (t->payload_len == 0)
		return;
	if (e->next_seq_set && (int32_t)(end - e->next_seq) <= 0)
		e->retrans++;
	if (!e->next_seq_set || (int32_t)(end - e->next_seq) > 0) {
		e->next_seq = end;
		e->next_seq_set = 1;
	}
}

static int closing(struct conn *c, int dir, const struct packet *p, int64_t ts)
{
	const struct tcp_info *t = &p->u.tcp;
	struct endpoint *e = &c->ep[dir];
	int important = 0;

	if (t->flags & TCP_RST) {
		if (!c->rst_seen) {
			c->rst_seen = 1;
			c->rst_dir = (uint8_t)dir;
			c->rst_ts = ts;
			c->rst_frame = p->frame;
			c->rst_ttl = p->ip.ttl;
			c->rst_flags = t->flags;
			c->rst_prev_ttl = e->ttl_last;
			c->rst_prev_ttl_set = e->ttl_seen;
			c->before_rst = c->last;
		}
		e->rst = 1;
		refused_by_reset(c, dir, t);
		important = 1;
	}
	if ((t->flags & TCP_ACK)) {
		struct endpoint *peer = &c->ep[dir ^ 1];
		if (peer->fin && (int32_t)(t->ack - peer->fin_end) >= 0)
			peer->fin_acked = 1;
	}
	if ((t->flags & TCP_FIN) && !e->fin) {
		e->fin = 1;
		e->fin_end = t->seq + t->payload_len + 1 + ((t->flags & TCP_SYN) ? 1u : 0u);
		if (!c->fin_first)
			c->fin_first = dir == DIR_CLIENT ? 1 : 2;
		/* A FIN decides something only when it closes before the peer said anything;
		 * after an exchange it is the ordinary end (still counted, not evidence). */
		important |= c->ep[dir ^ 1].payload == 0;
	}
	if (c->rst_seen || (c->ep[0].fin && c->ep[1].fin))
		c->closed = 1;
	return important;
}

/*
 * Payload to the connection's streams and the application protocol chosen by
 * its first bytes (conn_app.h). The streams are made at the first payload
 * byte, so an attempt without data costs nothing; the ISNs seen so far become
 * their origins.
 */
static int stream(struct conn *c, int dir, const struct packet *p, int64_t ts)
{
	const struct tcp_info *t = &p->u.tcp;
	size_t n = cur_len(&t->payload);

	if (n == 0 || (t->flags & TCP_RST))
		return 0;
	if (c->app == NULL) {
		const struct app_proto *proto = conn_app_choose(t->payload, dir);
		if (proto == NULL)
			return 0;
		if ((c->app = conn_app_new(proto)) == NULL) {
			/* its payload goes unread: the verdict must not rest on that */
			bounds_alloc_failed();
			if (!(c->lost & CONN_LOST_OOM))
				bounds.oom_payload++;
			c->lost |= CONN_LOST_OOM;
			return 0;
		}
		for (int d = 0; d < 2; d++)
			if (c->ep[d].isn_set)
				tcp_stream_syn(&c->app->st[d], c->ep[d].isn);
	}
	return conn_app_segment(c->app, dir, (t->flags & TCP_SYN) ? t->seq + 1 : t->seq, cur_data(&t->payload), n,
				p->frame, ts);
}

int conn_tcp(struct conn *c, const struct packet *p)
{
	const struct tcp_info *t = &p->u.tcp;
	int dir = dir_of(c, p), important;
	struct endpoint *e = &c->ep[dir];
	int64_t ts = pkt_ts(p);

	if (p->nencap != 0 || c->encap != NULL)
		note_encap(c, p, 0);
	/* the first bytes a side sends are evidence: where its stream (a ClientHello
	 * spread over segments, say) begins */
	int first_payload = e->payload == 0 && t->payload_len != 0;
	e->packets++;
	e->payload += t->payload_len;
	c->f.last_ts = ts;
	/* the ttl of a reset is compared with what came before it, so note it after */
	important = handshake(c, dir, t, ts);
	retransmission(e, t);
	if ((t->flags & TCP_ACK) && (!c->ack_set[dir] || (int32_t)(t->ack - c->ack_hi[dir]) > 0)) {
		c->ack_hi[dir] = t->ack;
		c->ack_set[dir] = 1;
	}
	important |= closing(c, dir, p, ts);
	note_ttl(e, p->ip.ttl);
	if (zeek_packet(&c->zeek, dir == c->zeek_orig_dir, t->flags, t->seq, t->ack, t->win,
			t->payload_len, 0) & ZEEK_FLIP)
		c->zeek_orig_dir ^= 1;
	important |= c->ep[DIR_CLIENT].packets + c->ep[DIR_SERVER].packets == 1;
	if (t->payload_len != 0)
		important |= stream(c, dir, p, ts) || (first_payload && conn_app_seen(c->app));
	/* a close during a handshake (TLS, say) decides its verdict */
	if ((t->flags & (TCP_FIN | TCP_RST)) && conn_app_in_handshake(c->app))
		important = 1;
	c->last.frame = p->frame;
	c->last.ts = ts;
	c->last.dir = (uint8_t)dir;
	c->last.flags = t->flags;
	c->last.payload = t->payload_len;
	/* established and then closed: after its report it lingers briefly (flow.h) */
	c->f.ended = c->closed && c->hs_ack_seen;
	return important;
}

void conn_icmp(struct conn *c, const struct packet *p)
{
	if (!flow_icmp(&c->f, &c->icmp, p))
		return;
	c->f.last_ts = c->icmp.ts;
	if (c->syn_seen && !c->synack_seen && icmp_ends_attempt(&c->icmp))
		c->refused = 1;
}

/* Room for the text after the entries, for used bytes: 512 (the three lines of
 * an unanswered attempt), then 2048 (the six to eight lines of a whole
 * handshake, in one move), then powers of two. c->ev_room is what it has. */
static size_t ev_text_cap(size_t used)
{
	size_t cap = 512;
	if (cap < used)
		cap = 2048;
	while (cap < used)
		cap *= 2;
	return cap;
}

/* The buffers of a whole handshake's evidence (8 entries, 2 KiB of text), kept for the next. */
#define EV_SPARE_ROOM 2048u
static _Thread_local struct spares spare_ev;

static size_t ev_bytes(uint16_t cap, size_t room)
{
	return cap * sizeof(struct evidence) + room;
}

void *conn_evidence_slot(struct conn *c, uint64_t frame, size_t len, int verbose)
{
	uint16_t cap = verbose ? CONN_EVIDENCE_VERBOSE : CONN_EVIDENCE, slot;
	size_t pos;
	struct evidence *ev;

	if (c->ev == NULL) {
		c->ev = malloc(ev_bytes(cap, ev_text_cap(0)));
		if (c->ev == NULL) {
			bounds_alloc_failed();
			bounds.oom_evidence++;
			return NULL;
		}
		c->ev_cap = cap;
		c->ev_room = (uint32_t)ev_text_cap(0);
		c->nev = 0;
	}
	ev = c->ev;
	/* Full: the first entries stay, the last slot holds the newest. */
	slot = c->nev < c->ev_cap ? c->nev : (uint16_t)(c->ev_cap - 1);
	pos = slot > 0 ? ev[slot - 1].off + (size_t)ev[slot - 1].len : 0;
	if (len > UINT32_MAX - pos)
		return NULL;
	if (pos + len > c->ev_room) {
		size_t room = ev_text_cap(pos + len);
		if (room == EV_SPARE_ROOM && c->ev_cap == CONN_EVIDENCE && (ev = spares_take(&spare_ev)) != NULL) {
			memcpy(ev, c->ev, ev_bytes(c->ev_cap, c->ev_text));
			free(c->ev);
		} else if ((ev = realloc(c->ev, ev_bytes(c->ev_cap, room))) == NULL) {
			bounds_alloc_failed();
			bounds.oom_evidence++;
			return NULL;
		}
		c->ev = ev;
		c->ev_room = (uint32_t)room;
	}
	c->ev_text = (uint32_t)(pos + len);
	if (slot == c->nev)
		c->nev++;
	else
		c->ev_dropped++;
	ev[slot].frame = frame;
	ev[slot].off = (uint32_t)pos;
	ev[slot].len = (uint32_t)len;
	return (char *)(ev + c->ev_cap) + pos;
}

void conn_add_evidence(struct conn *c, uint64_t frame, const void *bytes, size_t len, int verbose)
{
	void *to = conn_evidence_slot(c, frame, len, verbose);

	if (to != NULL)
		memcpy(to, bytes, len);
}

void conn_keep_packet(struct conn *c, const struct packet *p, int verbose)
{
	const struct tcp_info *t = &p->u.tcp;
	size_t keep = p->caplen;
	struct ev_packet *e;

	/* the line is made of the headers: a TCP payload is not kept */
	if (p->l4 == L4_TCP && cur_len(&t->payload) != 0)
		keep = (size_t)(cur_data(&t->payload) - p->data);
	if (keep > CONN_EV_RAW_MAX)
		keep = CONN_EV_RAW_MAX;
	/* entries lie one after another: each a multiple of 8 bytes, so each is aligned */
	e = conn_evidence_slot(c, p->frame, (sizeof(*e) + keep + 7) & ~(size_t)7, verbose);
	if (e == NULL)
		return;
	e->ts_sec = p->ts_sec;
	e->ts_frac = p->ts_frac;
	e->nano = p->ts_nano;
	e->frame = p->frame;
	e->wire_len = p->len;
	e->frame_caplen = p->caplen;
	e->seqbase = c->seqbase;
	e->seqbase_set = c->seqbase_set;
	e->l4 = (uint8_t)p->l4;
	e->ttl = p->ip.ttl;
	e->ip_id = p->ip.id;
	e->caplen = (uint16_t)keep;
	if (p->l4 == L4_TCP) {
		e->dir = (uint8_t)conn_dir_of(c, p);
		e->flags = t->flags;
		e->seq = t->seq;
		e->ack = t->ack;
		e->payload_len = t->payload_len;
		e->digest = (uint32_t)hash_bytes(cur_len(&t->payload), cur_data(&t->payload),
						 cur_len(&t->payload) < CONN_EV_DIGESTED ? cur_len(&t->payload) : CONN_EV_DIGESTED);
	} else {
		e->dir = 0xff;       /* not the connection's own: an ICMP error about it */
		e->flags = 0;
		e->seq = e->ack = e->payload_len = e->digest = 0;
	}
	memcpy(e->raw, p->data, keep);
}

void conn_prefetch_report(const struct conn *c)
{
	if (c->nev > 0)
		prefetch_range(c->ev, c->ev_cap * sizeof(*c->ev) + c->ev_text);
	if (c->app != NULL)
		c->app->proto->prefetch(c->app->state);
	/* the rest of c itself: its first lines were just used */
	prefetch_range((const char *)c + 256, sizeof(*c) - 256);
}

void conn_free_evidence(struct conn *c)
{
	if (c->ev_cap == CONN_EVIDENCE && c->ev_room == EV_SPARE_ROOM)
		spares_give(&spare_ev, c->ev);
	else
		free(c->ev);
	c->ev = NULL;
	c->nev = c->ev_cap = 0;
	c->ev_text = c->ev_room = 0;
}

size_t conn_mem(const struct conn *c)
{
	return sizeof(*c) + (c->encap != NULL ? sizeof(*c->encap) : 0) + (c->ev != NULL ? ev_bytes(c->ev_cap, c->ev_room) : 0) + conn_app_mem(c->app);
}

void conn_release(struct conn *c)
{
	if (c->encap != NULL) {
		free(c->encap);
		c->encap = NULL;
	}
	if (c->ev != NULL || c->nev != 0)     /* (a connection of one SYN has none) */
		conn_free_evidence(c);
	conn_app_free(c->app);
	c->app = NULL;
}

/* ---- TCP's flows in the flow table (flow.h) ---- */

static void tcp_init(struct flow *f, const struct packet *p, int small)
{
	if (small)
		conn_init_small(conn_of(f), p);
	else
		conn_init(conn_of(f), p);
}

static size_t tcp_small_bytes(const struct packet *p)
{
	return conn_small_fits(p) ? CONN_SMALL_BYTES(p->caplen) : 0;
}

static size_t tcp_small_size(const struct flow *f)
{
	return CONN_SMALL_BYTES(((const struct conn *)(const void *)f)->small_syn.caplen);
}

static int tcp_is_reuse(const struct flow *f, const struct packet *p)
{
	return conn_is_reuse((const struct conn *)(const void *)f, p);
}

/* An evicted connection is told from a later one on its tuple by the client's ISN. */
static int tcp_mark(const struct flow *f, uint32_t *mark)
{
	const struct endpoint *cl = &((const struct conn *)(const void *)f)->ep[DIR_CLIENT];

	*mark = cl->isn;
	return cl->isn_set;
}

/* A SYN with another ISN is a new connect() on the same tuple. */
static int tcp_starts_anew(const struct packet *p, uint32_t mark, int has_mark)
{
	return p->l4 == L4_TCP && (p->u.tcp.flags & (TCP_SYN | TCP_ACK)) == TCP_SYN &&
	       (!has_mark || mark != p->u.tcp.seq);
}

static size_t tcp_mem(const struct flow *f)
{
	return conn_mem((const struct conn *)(const void *)f);
}

static void tcp_release(struct flow *f)
{
	conn_release(conn_of(f));
}

/* A reported connection lingers as its first CONN_LINGER_BYTES (flow.h): what the table asks of one
 * (tcp_is_reuse, tcp_mark, tcp_release) must lie within them. */
#define IN_LINGER(field) (offsetof(struct conn, field) + sizeof(((struct conn *)0)->field) <= CONN_LINGER_BYTES)
_Static_assert(IN_LINGER(f) && IN_LINGER(ep) && IN_LINGER(closed) && IN_LINGER(rst_seen) &&
		       IN_LINGER(hs_ack_seen) && IN_LINGER(app) && IN_LINGER(encap) && IN_LINGER(ev) && IN_LINGER(ev_cap) &&
		       IN_LINGER(ev_room),
	       "a lingering connection keeps what is_reuse, mark and release read");

const struct flow_ops conn_flow_ops = {
	.size = sizeof(struct conn), .linger_bytes = CONN_LINGER_BYTES,
	.init = tcp_init, .small_bytes = tcp_small_bytes, .small_size = tcp_small_size,
	.is_reuse = tcp_is_reuse, .mark = tcp_mark, .starts_anew = tcp_starts_anew,
	.mem = tcp_mem, .release = tcp_release,
};
