/* view.h: a concluded connection as the reports read it: plain values and the TLS parse results, no internals. */
#ifndef SYNACK_VIEW_H
#define SYNACK_VIEW_H

#include <stddef.h>
#include <stdint.h>

#include "tls_cert.h"
#include "tls_hello.h"
#include "verdict.h"

/*
 * What a report (report.c, report_tls*.c, the sinks) may know of a
 * connection: made once, when it is reported (conn_view_make), and read
 * only. Numbers and strings are copied or worked out; the pointers are to
 * what the TLS layer parsed (hellos, alerts, the certificate chain and its
 * findings) and to strings the connection holds, all valid while the
 * connection is (until conn_release): never to struct conn, tls_conn, reasm
 * or Zeek state.
 */

#define VIEW_SYN_TS 16           /* SYN times kept (CONN_MAX_SYN_TS) */

/* The bounds of ours a side's stream hit (view_stream.limits; and a TLS_ISSUE_NOT_KEPT issue's b). */
enum view_limit {
	VIEW_LIMIT_WINDOW = 1u << 0,        /* bytes beyond the window past a hole were not kept */
	VIEW_LIMIT_QUEUE = 1u << 1,         /* too many out-of-order pieces */
	VIEW_LIMIT_MEMORY = 1u << 2,        /* out of memory */
	VIEW_LIMIT_SEGMENT_SIZE = 1u << 3,  /* a segment over 1 GiB was refused */
	VIEW_LIMIT_SEGMENT_LOG = 1u << 4,   /* more segments than the log holds (nothing lost) */
};

/* One side's TCP counts. */
struct view_side {
	uint64_t packets, payload;
	uint32_t retrans;                   /* segments with payload already seen */
};

/* The TCP facts a report shows. */
struct view_tcp {
	const char *handshake;              /* "completed", "syn_ack_sent", "syn_sent", "not_seen" */
	const char *close;                  /* "client_rst", ..., "server_fin", or NULL */
	const char *conn_state, *history;   /* Zeek's conn.log columns */
	const char *roles;                  /* how the client was told apart: "syn", "synack", "port_guess" */
	const char *reported_because;       /* "closed", "idle", ... */
	uint32_t nsyn, nsynack;
	int64_t syn_ts[VIEW_SYN_TS];        /* the first min(nsyn, VIEW_SYN_TS) SYNs' times */
	uint8_t syn_seen, synack_seen, hs_ack_seen;
	int64_t synack_first_ts, hs_ack_ts;
	/* the reset (rst_seen), and the packet it came after (its frame 0: none) */
	uint8_t rst_seen, rst_dir, rst_ttl, rst_prev_ttl, rst_prev_ttl_set;
	uint64_t rst_frame, before_rst_frame;
	int64_t rst_ts, before_rst_ts;
	struct icmp_note icmp;              /* an ICMP error quoting it (icmp.set) */
};

/* What reassembly saw of one direction. */
struct view_stream {
	uint64_t bytes;
	uint32_t segments, retrans_segments, ooo_segments;
	uint32_t conflicts;                 /* segments sent again with other bytes ... */
	uint64_t conflict_frame, conflict_off;   /* ... the first of them */
	uint64_t dropped_bytes, uncompared_bytes, before_origin;
	struct verdict_gap gap;             /* where its bytes stop, when more was seen beyond */
	uint8_t limits;                     /* enum view_limit */
};

/* One side of the TLS handshake. */
struct view_tls_side {
	uint8_t plain;                      /* it sent bytes that are not TLS: first_line holds their start */
	uint8_t first_line_cut;             /* the line is longer than first_line_len */
	uint8_t first_line_len;
	uint8_t ccs;                        /* it sent ChangeCipherSpec */
	uint32_t hs_seen;                   /* TLS_HS_BIT of every handshake message type it sent in clear */
	uint32_t records;
	const char *first_line;             /* raw bytes: escape before printing */
	struct view_stream stream;
};

/* The TLS handshake, when some TLS was seen (seen); nothing else is set otherwise. */
struct view_tls {
	uint8_t seen;
	uint8_t hrr, cert_request;
	uint8_t ch_status, ch2_status, sh_status;   /* enum tls_hello_status */
	uint16_t version;                   /* negotiated (the ServerHello's), 0 if none */
	uint16_t hrr_group, ske_group;      /* ske_group: ServerKeyExchange's curve (TLS <= 1.2), 0 if none */
	const struct tls_client_hello *ch;  /* the first ClientHello, or NULL */
	const struct tls_client_hello *ch2; /* the second, after a HelloRetryRequest, or NULL */
	const struct tls_server_hello *sh;  /* or NULL */
	const struct tls_sslv2 *v2;         /* the server answered in SSL 2.0, or NULL */
	uint64_t ch_frame, sh_frame, hrr_frame;
	int64_t ch_ts, sh_ts, hrr_ts;
	uint32_t ch_segments, ch_retrans;   /* the ClientHello's TCP segments (from the log), and how
					     * many of them carried bytes already seen */
	const struct tls_alert *alerts;     /* the alerts kept, nalerts of them */
	uint8_t nalerts;
	const struct tls_cert_chain *chain; /* the server's certificates (sent in clear), or NULL */
	const struct tls_cert_findings *cert;   /* ... and what the checks found (with chain) */
	struct view_tls_side side[2];       /* [0] the client */
	const struct tls_decrypted *dec;    /* what decryption with a key log showed, or NULL */
};

struct conn_view {
	uint64_t id;
	uint8_t v6;
	uint8_t addr[2][16];                /* [0] the client */
	uint16_t port[2];
	int64_t first_ts, last_ts;
	struct view_side ep[2];
	/* the encapsulation of its first packet (decode.h), nencap of them, outermost first;
	 * encap_changed: packets after it in another one (or in none) */
	uint8_t nencap;
	const struct encap *encap;
	uint64_t encap_changed;
	struct view_tcp tcp;
	struct view_tls tls;
	/* TLS findings (tls_issues: bounds hit, bytes no TLS stack sends), with or without seen;
	 * a TLS_ISSUE_NOT_KEPT's b holds enum view_limit bits */
	uint8_t nissues;
	struct tls_issue issues[TLS_MAX_ISSUES];
};

/* The view of c, a concluded connection (made whole: not small, not lingering), into *out. */
void conn_view_make(const struct conn *c, struct conn_view *out);

#endif
