/* verdict.h: what a connection's packets prove, as one stable code and plain words. */
#ifndef SYNACK_VERDICT_H
#define SYNACK_VERDICT_H

#include "conn.h"
#include "tls.h"
#include "tls_cert.h"

/* c's TLS state, if TLS was the protocol chosen for its payload; else NULL. */
static inline struct tls_conn *conn_tls(const struct conn *c)
{
	return conn_app_state(c->app, &tls_app);
}

/* Which verdict it is: what its words are written from (the report layer writes them). */
enum verdict_kind {
	VK_TCP_COMPLETED, VK_TCP_NO_ANSWER, VK_TCP_REFUSED, VK_TCP_ICMP, VK_TCP_SYNACK_NOT_ACKED,
	VK_TCP_BAD_SYNACK, VK_TCP_RESET_AFTER, VK_TCP_NOT_SEEN,
	VK_TLS_ALERT, VK_TLS_HIDDEN_ALERT, VK_TLS_CLIENT_REJECTED, VK_TLS_NOT_TLS,
	VK_TLS_CLOSED_AFTER_CH, VK_TLS_NO_SERVER_HELLO, VK_TLS_ESTABLISHED,
	VK_TLS_INCOMPLETE, VK_TLS_MISSING_START, VK_TLS_MALFORMED, VK_TLS_AMBIGUOUS,
	VK_TLS_CERTIFICATE, VK_TLS_CERT_UNCHECKED, VK_TLS_NO_CLIENT_HELLO, VK_TLS_SSLV2,
};

/* The first of the tls.* kinds. */
#define VK_TLS_FIRST VK_TLS_ALERT

/* A verdict's three texts, each NUL-terminated, its length beside it. */
struct verdict_text {
	char summary[256];
	char explanation[1200];
	char next_step[600];
	size_t summary_len, explanation_len, next_step_len;
};

/* Where the capture seems to have been taken, from the TTLs: 2 if next to the client, plus 1
 * if next to the server. */
enum verdict_cp { VCP_PATH, VCP_SERVER, VCP_CLIENT, VCP_BOTH };

/* Why a connection was not followed to its end (verdict_cut_short). */
enum verdict_cut { VCUT_NONE, VCUT_OOM, VCUT_TABLE_FULL, VCUT_MEMORY_LIMIT };

/* What a TCP verdict rests on: who, what, when, which frames, as plain values. */
struct verdict_tcp_facts {
	uint8_t syn_seen, fin_first, rst_seen, evicted, role_port;
	uint32_t nsyn, nsynack;
	int64_t syn_ts[CONN_MAX_SYN_TS];
	int64_t first_ts, synack_first_ts, synack_last_ts, hs_ack_ts, capture_end;
	uint32_t synack_ack, client_isn;
	uint64_t payload[2];               /* by DIR_ */
	uint16_t server_port;
	/* the reset: from whom, its flags and TTL, the side's earlier TTL, what it came after */
	uint8_t rst_dir, rst_flags, rst_ttl, rst_prev_ttl, rst_prev_ttl_set;
	int64_t rst_ts;
	struct pkt_note before_rst;
	/* a reset sooner than half the round trip to its sender: the delay and the round trip */
	uint8_t rst_early;
	int64_t rst_early_delay, rst_early_rtt;
	uint8_t rst_ttl_odd;               /* the reset's TTL differs from its side's earlier packets' */
	struct icmp_note icmp;
	uint8_t tls_port;                  /* tls.no_client_hello: why TLS was due (enum verdict_tls_port) */
};

/* Why a port is one where TLS was expected (tls.no_client_hello). */
enum verdict_tls_port { VTLS_PORT_NONE, VTLS_PORT_KNOWN, VTLS_PORT_SEEN };

/* The ClientHello's TCP segments, and how many of them were sent again. */
struct tls_ch_span {
	uint32_t segments, retrans;
};

/* How a stream breaks TLS's own rules (tls.malformed): a record header, a handshake message's
 * declared size, or a hello that does not parse. */
enum verdict_malformed { VMAL_NONE, VMAL_RECORD, VMAL_MESSAGE, VMAL_HELLO };

/* What a tls.malformed verdict names: where the stream broke the rules, and how. */
struct verdict_malformed_facts {
	uint8_t what;                      /* enum verdict_malformed */
	uint8_t hdr[5];                    /* VMAL_RECORD: the record header, as sent */
	uint64_t off, frame;               /* VMAL_RECORD: its stream offset and frame */
	uint8_t msg_type;                  /* VMAL_MESSAGE: the message's type and declared length */
	uint32_t msg_declared;             /* (its header included) */
	const char *error;                 /* VMAL_HELLO: the field at fault, or NULL */
};

/* Where a side's bytes stop, when more was seen beyond: the bytes [from, to). */
enum verdict_gap_kind {
	VGAP_NONE = 0,
	VGAP_HOLE,                         /* never arrived here, and later bytes did */
	VGAP_NOT_KEPT,                     /* arrived, but past what synack holds (a bound of ours) */
};

struct verdict_gap {
	uint8_t kind;                      /* enum verdict_gap_kind */
	uint64_t from, to;
};

/* A side's retransmissions with other bytes than the first copy (reasm_stats). */
struct verdict_conflicts {
	uint32_t n;                        /* segments whose bytes differed */
	uint64_t frame, off;               /* the first: its frame and first differing byte */
	uint64_t low;                      /* the lowest offset of any */
};

/* What is said of the server's certificate besides the verdict (it was accepted). */
enum verdict_cert_note { VCN_NONE, VCN_ALSO, VCN_ACCEPTED };

/* What a tls.* verdict rests on: what was offered and answered, who sent what, when. */
struct verdict_tls_facts {
	const struct tls_client_hello *ch;   /* what the client offered, or NULL */
	const struct tls_sslv2 *v2;          /* the server answered in SSL 2.0, or NULL */
	int64_t ch_ts, sh_ts, end;           /* end: the capture's last packet */
	uint8_t sh_seen, cert_request, hrr;
	uint8_t ch_acked;                    /* tls.no_server_hello: the server's TCP acknowledged the
	                                      * whole ClientHello */
	uint8_t at_server;                   /* the capture point is the server's side (v->cp), for
	                                      * the words: set when the verdict is written */
	uint16_t version, cipher, hrr_group, server_port;
	const uint8_t *alpn;                 /* the server's ALPN value (its first bytes), or NULL */
	size_t alpn_len;                     /* (its whole length) */
	struct tls_alert alert;              /* the alert (a hidden one: its side and time) */
	uint8_t has_alert, inferred, enc;    /* enc: a probable encrypted alert, not alert */
	uint8_t keys_confirm;                /* the verdict rests on what encryption hides (record sizes, an
					      * alert's hidden description): this session's key log would
					      * settle it (TLS 1.3 established or a probable alert; a TLS 1.2
					      * encrypted alert), and the key log (if any) had no secrets
					      * for this connection */
	uint8_t dir;                         /* the side it is about */
	const char *how;                     /* "FIN" or "reset" */
	const char *first_line;              /* a side's non-TLS bytes */
	size_t first_line_len;
	struct tls_ch_span ch_span;
	const char *what;                    /* tls.incomplete: what is missing */
	struct verdict_gap gap[2];           /* tls.incomplete: each side's gap */
	uint8_t hs_done;                     /* both Finished seen (tls_established) */
	const struct tls_decrypted *dec;     /* what decryption with a key log showed, or NULL */
	uint8_t chain_kept;                  /* the server's certificates were kept to check */
	uint8_t cert_note;                   /* enum verdict_cert_note */
	struct verdict_malformed_facts mal;
	struct verdict_conflicts conflicts[2];   /* by side (0: client) */
	struct tls_cert_findings cert;       /* the certificate checks' findings (read below n) */
};

/* A plaintext client met a silent TLS server (verdict_tls_hint): its first line, the close. */
struct verdict_plain_hint {
	const char *first_line;            /* NULL: no hint */
	size_t first_line_len;
	const char *how;                   /* "FIN" or "reset" */
};

/*
 * What the TLS lines of a report show of any connection with TLS state, whatever its verdict:
 * set by verdict_tls even when it leaves the verdict to TCP (verdict_tcp leaves it alone).
 */
struct verdict_tls_seen {
	uint8_t established;                 /* both Finished, and no probable encrypted alert */
	uint8_t probable[2];                 /* by side (0: client): a probable TLS 1.3 encrypted alert
						(a short last record, then its close) */
	uint64_t probable_frame[2];          /* (that record's frame and time) */
	int64_t probable_ts[2];
};

/* What an IP datagram's first fragment held, by its first bytes (verdict_frag_facts.what). */
enum verdict_frag_what { VFW_UNKNOWN, VFW_TLS_RECORD, VFW_CLIENT_HELLO, VFW_SERVER_HELLO };

/*
 * IP datagrams of the connection that were never whole (a fragment never
 * came), or were made whole from fragments sending some bytes twice,
 * differently (frag.h): the packets then prove less than the verdict's
 * other words say, and it is not ok.
 */
struct verdict_frag_facts {
	uint8_t never_whole;               /* 1 << DIR_: whose datagrams were never whole */
	uint8_t differ;                    /* 1 << DIR_: whose were made whole from differing overlaps */
	/* the first never whole: who sent it, where its segment began in that side's stream, what */
	uint8_t dir, offset_known, what;   /* (what: enum verdict_frag_what) */
	uint64_t offset;
};

struct verdict {
	const char *code;         /* e.g. "tcp.no_answer": an API, never renamed */
	const char *layer;        /* "tcp" */
	int ok;
	enum verdict_kind kind;
	uint8_t cp;               /* enum verdict_cp */
	uint8_t cp_given;         /* cp is the user's (--capture-point), not judged from TTLs */
	uint8_t cut;              /* enum verdict_cut */
	struct verdict_plain_hint hint;
	struct verdict_tcp_facts tcp;
	struct verdict_tls_facts tls;
	struct verdict_tls_seen seen;
	struct verdict_frag_facts frag;   /* set by verdict_cut_short */
};

/* The facts of c's TCP (every verdict has them: a TLS verdict's words may need its reset). */
void verdict_tcp_facts(const struct conn *c, int64_t capture_end, struct verdict_tcp_facts *f);
/* Whether c's reset most likely came from a device between, not from its side: its TTL
 * differs from that side's earlier packets', or it came sooner than the round trip allows. */
static inline int verdict_rst_injected(const struct verdict_tcp_facts *f)
{
	return f->rst_seen && (f->rst_ttl_odd || f->rst_early);
}

/* Whether a capture point (enum verdict_cp) is the server's side (or one host with both ends). */
static inline int verdict_at_server(int cp)
{
	return cp == VCP_SERVER || cp == VCP_BOTH;
}
/* Where v's capture was taken: judged (given 0) or the user's (--capture-point). */
void verdict_set_point(struct verdict *v, int cp, int given);

/* The TCP verdict for c; capture_end is the time (ns) of the capture's last packet. */
void verdict_tcp(const struct conn *c, int64_t capture_end, struct verdict *v);

/*
 * The TLS verdict for c, when its payload holds TLS (or plaintext against a TLS
 * peer): 1 and v filled in, else 0 (the TCP verdict stands).
 */
int verdict_tls(const struct conn *c, int64_t capture_end, struct verdict *v);

/*
 * A connection let go before it ended (a full table, the memory limit) or
 * not followed whole (out of memory): v, its TCP or TLS verdict, notes why
 * (its words say so) and is not ok unless it is a finished TLS handshake.
 */
void verdict_cut_short(const struct conn *c, struct verdict *v);

/* For a TCP verdict: the hint that a plaintext client met a silent TLS server, if it fits. */
void verdict_tls_hint(const struct conn *c, struct verdict *v);

/*
 * What earlier connections taught: the servers (address, port) that answered
 * in TLS, VERDICT_MEMO_SLOTS at most (a pair that takes another's slot counts
 * in bounds.tls_servers_forgotten). NULL from _new when out of memory (then
 * only the well-known TLS ports count).
 */
#define VERDICT_MEMO_SLOTS 4096
struct verdict_memo;
struct verdict_memo *verdict_memo_new(void);
void verdict_memo_free(struct verdict_memo *m);
/* After c's verdict: remember its server if it answered in TLS. */
void verdict_memo_note(struct verdict_memo *m, const struct conn *c);
/*
 * For a TCP verdict (tcp.completed, tcp.reset_after_handshake): a handshake
 * that completed on a port where TLS was expected (443, 465, 636, 853, 993,
 * 995, 8443, or one where the same server answered in TLS in a connection
 * reported before), then closed, reset or stayed silent for a second or more
 * (to the end of the capture or an idle report) with no byte either way,
 * becomes tls.no_client_hello, not ok.
 */
void verdict_no_client_hello(const struct conn *c, struct verdict_memo *m, struct verdict *v);

/* Helpers shared with the reports. */
const char *verdict_side_name(int dir);          /* "client" (DIR_CLIENT) or "server" */
const char *verdict_handshake(const struct conn *c);
const char *verdict_close(const struct conn *c);
/* Why the connection was reported when it was (closed, idle, table_full, ...). */
const char *verdict_reported_because(const struct conn *c);
const char *icmp_name(int v6, int type, int code);
/* Where the capture seems to have been taken, from the TTLs: an enum verdict_cp. */
int verdict_capture_point(const struct conn *c);

#endif
