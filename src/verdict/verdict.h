/* verdict.h: what a connection's packets prove, as one stable code and plain words. */
#ifndef SYNACK_VERDICT_H
#define SYNACK_VERDICT_H

#include "conn.h"
#include "tls.h"

/* c's TLS state, if TLS was the protocol chosen for its payload; else NULL. */
static inline struct tls_conn *conn_tls(const struct conn *c)
{
	return conn_app_state(c->app, &tls_app);
}

struct verdict {
	const char *code;         /* e.g. "tcp.no_answer": an API, never renamed */
	const char *layer;        /* "tcp" */
	int ok;
	char summary[256];        /* each text NUL-terminated, its length beside it */
	char explanation[1200];
	char next_step[600];
	size_t summary_len, explanation_len, next_step_len;
};

/* The TCP verdict for c; capture_end is the time (ns) of the capture's last packet. */
void verdict_tcp(const struct conn *c, int64_t capture_end, struct verdict *v);

/*
 * The TLS verdict for c, when its payload holds TLS (or plaintext against a TLS
 * peer): 1 and v filled in, else 0 (the TCP verdict stands).
 */
int verdict_tls(const struct conn *c, int64_t capture_end, struct verdict *v);

/*
 * A connection let go before it ended (a full table, the memory limit) or
 * not followed whole (out of memory): v, its TCP or TLS verdict, says so in
 * each text and is not ok unless it is a finished TLS handshake.
 */
void verdict_cut_short(const struct conn *c, struct verdict *v);

/* For a TCP verdict: the hint that a plaintext client met a silent TLS server, if it fits. */
void verdict_tls_hint(const struct conn *c, struct verdict *v);

/* Side dir's probable TLS 1.3 encrypted alert (a short last record, then its close), or NULL. */
struct tls_rec_note;
const struct tls_rec_note *tls_probable_alert(const struct conn *c, int dir);

/* Helpers shared with the reports. */
const char *verdict_side_name(int dir);          /* "client" (DIR_CLIENT) or "server" */
const char *verdict_handshake(const struct conn *c);
const char *verdict_close(const struct conn *c);
/* Why the connection was reported when it was (closed, idle, table_full, ...). */
const char *verdict_reported_because(const struct conn *c);
const char *icmp_name(int v6, int type, int code);
/* Where the capture seems to have been taken, from the TTLs: a phrase. */
const char *verdict_capture_point(const struct conn *c);

#endif
