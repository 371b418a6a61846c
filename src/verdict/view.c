/* view.c: the read-only view of a concluded connection that the reports are written from. */
#include <string.h>

#include "view.h"

_Static_assert(VIEW_SYN_TS == CONN_MAX_SYN_TS, "a view keeps every SYN time a connection does");

/* Reassembly's bounds (REASM_*) as the view's. */
static uint8_t view_limits(uint32_t flags)
{
	return (uint8_t)(((flags & REASM_OVERFLOW) ? VIEW_LIMIT_WINDOW : 0) |
			 ((flags & REASM_QUEUE_FULL) ? VIEW_LIMIT_QUEUE : 0) |
			 ((flags & REASM_NOMEM) ? VIEW_LIMIT_MEMORY : 0) |
			 ((flags & REASM_INVALID) ? VIEW_LIMIT_SEGMENT_SIZE : 0) |
			 ((flags & REASM_LOG_FULL) ? VIEW_LIMIT_SEGMENT_LOG : 0));
}

static const char *roles_name(const struct conn *c)
{
	return c->role_guess == ROLE_SYN ? "syn" : c->role_guess == ROLE_SYNACK ? "synack" : "port_guess";
}

static void view_tcp(const struct conn *c, struct view_tcp *v)
{
	uint32_t n = c->nsyn < CONN_MAX_SYN_TS ? c->nsyn : CONN_MAX_SYN_TS;

	v->handshake = verdict_handshake(c);
	v->close = verdict_close(c);
	v->conn_state = zeek_conn_state(&c->zeek);
	v->history = zeek_history(&c->zeek);
	v->roles = roles_name(c);
	v->reported_because = verdict_reported_because(c);
	v->nsyn = c->nsyn;
	v->nsynack = c->nsynack;
	/* (the first always: a round trip reads it, a SYN seen or not) */
	memcpy(v->syn_ts, c->syn_ts, (n > 0 ? n : 1) * sizeof(c->syn_ts[0]));
	v->syn_seen = c->syn_seen;
	v->synack_seen = c->synack_seen;
	v->hs_ack_seen = c->hs_ack_seen;
	v->synack_first_ts = c->synack_first_ts;
	v->hs_ack_ts = c->hs_ack_ts;
	v->rst_seen = c->rst_seen;
	v->rst_dir = c->rst_dir;
	v->rst_ttl = c->rst_ttl;
	v->rst_prev_ttl = c->rst_prev_ttl;
	v->rst_prev_ttl_set = c->rst_prev_ttl_set;
	v->rst_frame = c->rst_frame;
	v->rst_ts = c->rst_ts;
	v->before_rst_frame = c->before_rst.frame;
	v->before_rst_ts = c->before_rst.ts;
	v->icmp = c->icmp;
}

static void view_stream(const struct reasm *r, struct view_stream *v)
{
	const struct reasm_stats *st = reasm_counters(r);
	struct verdict_gap *g = &v->gap;
	int k = reasm_gap(r, &g->from, &g->to);

	g->kind = k == REASM_GAP_HOLE ? VGAP_HOLE : k == REASM_GAP_DROPPED ? VGAP_NOT_KEPT : VGAP_NONE;
	v->bytes = st->bytes;
	v->segments = st->segments;
	v->retrans_segments = st->retrans_segments;
	v->ooo_segments = st->ooo_segments;
	v->conflicts = st->conflicts;
	v->conflict_frame = st->conflict_frame;
	v->conflict_off = st->conflict_off;
	v->dropped_bytes = st->dropped_bytes;
	v->uncompared_bytes = st->uncompared_bytes;
	v->before_origin = st->before_origin;
	v->limits = view_limits(reasm_flags(r));
}

static void view_tls_side(const struct tls_side *s, const struct reasm *r, struct view_tls_side *v)
{
	v->plain = s->mode == TLS_MODE_PLAIN;
	v->first_line_cut = s->first_line_cut;
	v->first_line_len = s->first_line_len;
	v->ccs = s->ccs;
	v->hs_seen = s->hs_seen;
	v->records = s->records;
	v->first_line = s->first_line;
	view_stream(r, &v->stream);
}

/* The handshake of t, some TLS having been seen. */
static void view_tls(struct tls_conn *t, struct view_tls *v)
{
	v->hrr = t->hrr;
	v->cert_request = t->cert_request;
	v->dec = tls_decrypted(t);
	v->ch_status = (uint8_t)t->ch_status;
	v->ch2_status = (uint8_t)t->ch2_status;
	v->sh_status = (uint8_t)t->sh_status;
	v->version = tls_version(t);
	v->hrr_group = t->hrr_group;
	v->ske_group = t->ske_group;
	v->ch = t->ch;
	v->ch2 = t->ch2;
	v->sh = t->sh;
	v->v2 = t->v2;
	v->ch_frame = t->ch_frame;
	v->sh_frame = t->sh_frame;
	v->hrr_frame = t->hrr_frame;
	v->ch_ts = t->ch_ts;
	v->sh_ts = t->sh_ts;
	v->hrr_ts = t->hrr_ts;
	if (t->ch != NULL) {
		struct reasm_span sp;
		reasm_span(t->rs[0], t->ch_start, t->ch_end, &sp);
		v->ch_segments = sp.segments;
		v->ch_retrans = sp.retrans;
	}
	v->alerts = t->alerts;
	v->nalerts = t->nalerts;
	v->chain = tls_certificates_ref(t, &v->cert);
	for (int d = 0; d < 2; d++)
		view_tls_side(&t->side[d], t->rs[d], &v->side[d]);
}

void conn_view_make(const struct conn *c, struct conn_view *out)
{
	struct tls_conn *t = conn_tls(c);

	out->id = c->f.id;
	out->v6 = c->f.v6;
	memcpy(out->addr, c->f.addr, sizeof(out->addr));
	out->port[0] = c->f.port[0];
	out->port[1] = c->f.port[1];
	out->first_ts = c->first_ts;
	out->last_ts = c->f.last_ts;
	for (int d = 0; d < 2; d++) {
		out->ep[d].packets = c->ep[d].packets;
		out->ep[d].payload = c->ep[d].payload;
		out->ep[d].retrans = c->ep[d].retrans;
	}
	out->nencap = c->encap != NULL ? c->encap->n : 0;
	out->encap = c->encap != NULL ? c->encap->e : NULL;
	out->encap_changed = c->encap != NULL ? c->encap->changed : 0;
	view_tcp(c, &out->tcp);
	out->tls.seen = (uint8_t)tls_seen(t);
	if (out->tls.seen)
		view_tls(t, &out->tls);
	out->nissues = (uint8_t)tls_issues(t, out->issues, TLS_MAX_ISSUES);
	for (uint8_t i = 0; i < out->nissues; i++)
		if (out->issues[i].kind == TLS_ISSUE_NOT_KEPT)
			out->issues[i].b = view_limits((uint32_t)out->issues[i].b);
}
