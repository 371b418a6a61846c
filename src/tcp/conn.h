/* conn.h: one TCP connection attempt as the capture point saw it: both sides, the handshake, the close. */
#ifndef SYNACK_CONN_H
#define SYNACK_CONN_H

#include <stddef.h>
#include <stdint.h>

#include "conn_app.h"
#include "decode.h"
#include "flow.h"
#include "seqtab.h"
#include "zeek.h"

#define CONN_MAX_SYN_TS 16       /* SYN timestamps kept for the backoff intervals */
#define CONN_EVIDENCE 8          /* evidence lines kept without -v */
#define CONN_EVIDENCE_VERBOSE 64 /* with -v */

enum conn_dir { DIR_CLIENT = 0, DIR_SERVER = 1 };

/* How the client was told apart from the server. */
enum conn_role_guess {
	ROLE_SYN = 0,     /* the side that sent the SYN */
	ROLE_SYNACK,      /* no SYN seen: the side that received the SYN-ACK */
	ROLE_PORT,        /* no SYN or SYN-ACK: the lower, well-known-looking port is the server */
};

/* One side's facts; its address and port are the flow's (c->f.addr[d], c->f.port[d]). */
struct endpoint {
	uint64_t packets, payload;
	uint32_t isn;
	uint8_t isn_set;
	uint8_t fin, rst;
	uint8_t fin_acked;        /* the peer acknowledged this side's FIN */
	uint32_t fin_end;         /* sequence number just past the FIN */
	uint8_t ttl_first, ttl_last, ttl_seen;
	uint32_t next_seq;        /* highest sequence end seen, for retransmissions */
	uint8_t next_seq_set;
	uint32_t retrans;         /* segments with payload already seen */
};

/* The packet just before a reset, to say what the reset answered. */
struct pkt_note {
	uint64_t frame;
	int64_t ts;
	uint8_t dir, flags;
	uint32_t payload;
};

/*
 * One evidence entry. A connection's entries live in one allocation: ev_cap
 * of these, then their bytes one after another (each a struct ev_packet).
 */
struct evidence {
	uint64_t frame;
	uint32_t off, len;        /* the entry's bytes: len at off after the entries */
};

/*
 * An evidence packet as kept: its facts, then the first bytes of its frame
 * (up to the end of its TCP header; an ICMP error's whole), from which its
 * tcpdump line is made only when a report shows it (conn_evidence_packet).
 */
#define CONN_EV_RAW_MAX 1536      /* bytes kept of a frame that is not TCP (an ICMP error) */
/* A packet's identity, not a check of all its bytes: a TLS record's first bytes
 * hold its header and a handshake's random, and hashing whole payloads would
 * cost more than the lines it replaces. */
#define CONN_EV_DIGESTED 64
struct ev_packet {
	int64_t ts_sec;
	uint64_t frame;
	uint32_t ts_frac;         /* as the source gave it (nano: nanoseconds) */
	uint32_t wire_len;        /* the frame's length on the wire */
	uint32_t frame_caplen;    /* ... and captured: raw holds its first caplen bytes (the payload's
				   * content is not needed for the line, only how much was captured) */
	struct seq_val seqbase;   /* the connection's relative-sequence base before this packet */
	uint32_t seq, ack, payload_len;
	uint32_t digest;          /* of the payload's length and its first CONN_EV_DIGESTED captured bytes */
	uint16_t ip_id, caplen;   /* caplen: bytes of raw */
	uint8_t seqbase_set, nano, dir, flags, ttl, l4;
	uint8_t raw[];
};

/*
 * A connection that has seen only one SYN, and nothing else, costs a few
 * hundred bytes: the front of struct conn, then the captured frame of the SYN
 * (its evidence line, its Zeek state and its handshake facts are all worked
 * out from it when a second packet comes, or at the report). A SYN flood of
 * spoofed sources is mostly such connections.
 */
#define CONN_SMALL_RAW 96        /* a first SYN's frame is kept whole up to this many bytes */
struct conn_small {
	uint64_t frame;
	uint32_t ts_frac;         /* as the source gave it: the printed time is made from it */
	uint8_t caplen;           /* bytes of the frame: all of it (its length on the wire too) */
	uint8_t raw[CONN_SMALL_RAW];
};

/* The encapsulation of a connection's first packet (decode.h), kept only when it had one (or
 * when a later packet came in one): and how many packets came otherwise encapsulated. */
struct conn_encap {
	uint8_t n;                /* 0: the first packet came in none */
	uint64_t changed;         /* packets after the first in another encapsulation (or none) */
	struct encap e[DEC_MAX_ENCAP];
};

/* struct conn's lost bits. */
enum {
	CONN_LOST_OOM = 1,        /* some of its packets or bytes were not analyzed: out of memory */
	CONN_LOST_FRAG = 2,       /* an IP datagram the client sent was never whole: some fragment did not come */
	CONN_LOST_FRAG_DIFFER = 4,/* a datagram the client sent was reassembled from fragments that sent some
				   * bytes twice, differently: the first were analyzed, the ends may have taken others */
	/* the same two of the server's datagrams: CONN_LOST_SIDE(CONN_LOST_FRAG..., DIR_SERVER) */
	CONN_LOST_FRAG_SERVER = 8,
	CONN_LOST_FRAG_DIFFER_SERVER = 16,
};
#define CONN_LOST_SIDE(bit, dir) ((uint8_t)((bit) << (2 * (dir))))
#define CONN_LOST_FRAG_ANY (CONN_LOST_FRAG | CONN_LOST_FRAG_DIFFER | CONN_LOST_FRAG_SERVER | \
			    CONN_LOST_FRAG_DIFFER_SERVER)

/* The first datagram of a connection never whole (CONN_LOST_FRAG*): what its first fragment held. */
struct conn_frag_lost {
	uint32_t seq;             /* its TCP segment's sequence number */
	uint8_t dir;              /* who sent it */
	uint8_t head_len;         /* bytes of its payload in head: its first, up to 6 */
	uint8_t head[6];
};

struct conn {
	/* What every packet of the connection reads or writes, together at the
	 * front: a packet then touches a few cache lines of this struct, not many.
	 * Everything up to CONN_LINGER_BYTES is also all that a reported
	 * connection, lingering to absorb late packets, still needs. */
	struct flow f;            /* the flow table's part: the tuple ([0] client), id, links, flags */
	uint8_t role_guess;       /* enum conn_role_guess */
	uint8_t closed;           /* FIN both ways or a RST: linger, then report */
	uint8_t seqbase_set;
	uint8_t hs_ack_seen;      /* the ACK that completed the handshake */
	uint8_t rst_seen;
	uint8_t small_nano;       /* f.small (only a first SYN so far, as struct conn_small): its
				   * timestamp was in nanoseconds */
	uint8_t lost;             /* CONN_LOST_*: what of it was not analyzed, and why */
	uint8_t refused;          /* the attempt was ended before any SYN-ACK: an acceptable reset
				   * from the server, or an ICMP error quoting it (conn_done) */

	/* the byte streams and the application protocol reading them: from the first payload byte on */
	struct conn_app *app;

	/* the tunnel it came through, if any: from its first packet on */
	struct conn_encap *encap;

	/* evidence: the first lines, and the newest in the last slot */
	struct evidence *ev;
	uint16_t nev, ev_cap;
	uint32_t ev_text;         /* bytes of text in use after the entries */
	uint32_t ev_room;         /* ... and room for this many */
	uint64_t ev_dropped;

	/* tcpdump's relative sequence base for this connection's evidence lines */
	struct seq_val seqbase;

	struct endpoint ep[2];    /* [DIR_CLIENT], [DIR_SERVER] */
	int64_t first_ts;         /* (the last: f.last_ts) */

	/* ---- CONN_LINGER_BYTES: the rest is needed only until the report ---- */
	union {
	struct conn_small small_syn;   /* while f.small: the allocation ends inside it */
	struct {
	/* handshake */
	uint32_t nsyn, nsynack;
	int64_t syn_ts[CONN_MAX_SYN_TS];
	int64_t synack_first_ts, synack_last_ts;
	uint32_t synack_ack;      /* the ack number of the first SYN-ACK */
	uint8_t synack_seen, syn_seen;
	int64_t hs_ack_ts;

	/* the end */
	uint8_t fin_first;        /* who sent the first FIN: 0 nobody, 1 the client, 2 the server */
	uint8_t rst_dir, rst_ttl, rst_flags;
	uint8_t rst_prev_ttl, rst_prev_ttl_set;   /* that side's TTL before its reset */
	uint64_t rst_frame;
	int64_t rst_ts;
	struct pkt_note before_rst;
	struct pkt_note last;
	struct icmp_note icmp;

	struct zeek_conn zeek;
	uint8_t zeek_orig_dir;    /* which of our sides Zeek calls the originator */
	/* the highest acknowledgment each side sent (by DIR_; ack_set), past the linger prefix:
	 * a small connection or a lingering one does not carry it */
	uint32_t ack_hi[2];
	uint8_t ack_set[2];
	struct conn_frag_lost frag_lost;   /* when lost has CONN_LOST_FRAG or _SERVER: the first */
	};
	};
};

/* What a reported connection keeps while it lingers: the tuple, the table's
 * links, its flags (conn_matches, conn_is_reuse and the idle lists read no more). */
#define CONN_LINGER_BYTES offsetof(struct conn, nsyn)
/* The allocation of a small connection whose SYN frame has caplen bytes. */
#define CONN_SMALL_BYTES(caplen) (offsetof(struct conn, small_syn.raw) + (size_t)(caplen))

/* TCP's flows for the flow table: struct conn, small ones, lingering ones, reuse, eviction marks. */
extern const struct flow_ops conn_flow_ops;

/* The connection whose flow header f is (f of a TCP flow, or NULL). */
static inline struct conn *conn_of(struct flow *f)
{
	return (struct conn *)(void *)f;
}

/* Which direction p travels in c: DIR_CLIENT (client to server) or DIR_SERVER. */
int conn_dir_of(const struct conn *c, const struct packet *p);
/* Set up c for p, the first packet of a new connection (the flow table then sets f's id and links). */
void conn_init(struct conn *c, const struct packet *p);
/* Can p, the first packet of a new connection, start it as a small one? */
int conn_small_fits(const struct packet *p);
/* Set up c, an allocation of CONN_SMALL_BYTES(p->caplen), for p (conn_small_fits) and account p. */
void conn_init_small(struct conn *c, const struct packet *p);
/*
 * c was small and is now a whole struct conn (its front and small_syn copied):
 * work out what the SYN would have left in it. q is set to that SYN, decoded
 * from raw (CONN_SMALL_RAW bytes of the caller's, which must outlive q), for
 * its evidence line.
 */
void conn_unpack(struct conn *c, int linktype, uint8_t *raw, struct packet *q);
/* Account one TCP packet. Returns 1 if it is evidence worth keeping. */
int conn_tcp(struct conn *c, const struct packet *p);
/* Attach an ICMP error that quotes c's packets. */
void conn_icmp(struct conn *c, const struct packet *p);
/* Room for one evidence entry of len bytes, for the caller to fill (NULL when out of memory:
 * counted); verbose keeps more. Full, the newest takes the last slot. */
void *conn_evidence_slot(struct conn *c, uint64_t frame, size_t len, int verbose);
/* The same, with the len bytes copied in. */
void conn_add_evidence(struct conn *c, uint64_t frame, const void *bytes, size_t len, int verbose);
/* Keep p, one of c's packets or an ICMP error quoting one, as evidence (struct ev_packet), with
 * c's relative-sequence base as it is before p. */
void conn_keep_packet(struct conn *c, const struct packet *p, int verbose);
void conn_free_evidence(struct conn *c);
/* Start loading what the verdict and report of c will read (its evidence, its
 * protocol state): long unused by then, and read in many separate places. */
void conn_prefetch_report(const struct conn *c);
/* Bytes of memory c holds: the struct, its evidence, its streams and their protocol's state
 * (c not small or lingering). */
size_t conn_mem(const struct conn *c);
/* Free what a reported connection no longer needs: its evidence, streams and protocol state. */
void conn_release(struct conn *c);
/* Evidence packet i (conn_keep_packet). */
static inline const struct ev_packet *conn_evidence_packet(const struct conn *c, uint16_t i)
{
	return (const struct ev_packet *)(const void *)((const char *)(c->ev + c->ev_cap) + c->ev[i].off);
}
/* Nothing more is expected: an attempt refused (c->refused), or an established connection
 * reset, or both FINs sent and acknowledged. */
int conn_done(const struct conn *c);
/* A new SYN on this tuple that starts another connection (port reuse)? */
int conn_is_reuse(const struct conn *c, const struct packet *p);

#endif
