/* verdict.c: the tcp.* verdicts: which one, and the facts it rests on at this capture point. */
#include <string.h>

#include "flow.h"
#include "verdict.h"

static int initial_ttl(uint8_t ttl)
{
	return ttl == 64 || ttl == 128 || ttl == 255 || ttl == 32 || ttl == 60;
}

/* enum verdict_cp: 2 if next to the client, plus 1 if next to the server. */
int verdict_capture_point(const struct conn *c)
{
	const struct endpoint *cl = &c->ep[DIR_CLIENT], *sv = &c->ep[DIR_SERVER];
	int near_client = cl->ttl_seen && initial_ttl(cl->ttl_first);
	int near_server = sv->ttl_seen && sv->packets > (sv->rst ? 1u : 0u) && initial_ttl(sv->ttl_first);

	/* an ICMP error from the server's own address that crossed no router: its host is here */
	near_server |= c->icmp.set && c->icmp.from_dest && initial_ttl(c->icmp.ttl);

	return 2 * near_client + near_server;
}

const char *verdict_handshake(const struct conn *c)
{
	if (c->hs_ack_seen)
		return "completed";
	if (c->synack_seen)
		return "syn_ack_sent";
	if (c->syn_seen)
		return "syn_sent";
	return "not_seen";
}

/* How it ended: a reset ends it whoever closed first; else who sent the first FIN. */
const char *verdict_close(const struct conn *c)
{
	if (c->rst_seen)
		return c->rst_dir == DIR_CLIENT ? "client_rst" : "server_rst";
	if (c->fin_first)
		return c->fin_first == 1 ? "client_fin" : "server_fin";
	return NULL;
}

const char *icmp_name(int v6, int type, int code)
{
	static const char *const unreach4[] = {
		"net unreachable", "host unreachable", "protocol unreachable", "port unreachable",
		"fragmentation needed", "source route failed", "destination network unknown",
		"destination host unknown", "source host isolated", "network administratively prohibited",
		"host administratively prohibited", "network unreachable for TOS",
		"host unreachable for TOS", "communication administratively prohibited",
		"host precedence violation", "precedence cutoff in effect",
	};
	static const char *const unreach6[] = {
		"no route to destination", "communication administratively prohibited",
		"beyond scope of source address", "address unreachable", "port unreachable",
		"source address failed ingress/egress policy", "reject route to destination",
	};
	if (!v6 && type == 3 && code < 16)
		return unreach4[code];
	if (v6 && type == 1 && code < 7)
		return unreach6[code];
	if ((!v6 && type == 11) || (v6 && type == 3))
		return "time exceeded";
	if (v6 && type == 2)
		return "packet too big";
	if ((!v6 && type == 12) || (v6 && type == 4))
		return "parameter problem";
	if (!v6 && type == 4)
		return "source quench";
	if (!v6 && type == 5)
		return "redirect";
	return "ICMP error";
}

void verdict_set_point(struct verdict *v, int cp, int given)
{
	v->cp = (uint8_t)cp;
	v->cp_given = (uint8_t)given;
	v->tls.at_server = (uint8_t)verdict_at_server(cp);   /* (the TLS words read only their facts) */
}

const char *verdict_side_name(int dir)
{
	return dir == DIR_CLIENT ? "client" : "server";
}

/* What a datagram's first payload bytes are: a TLS record, perhaps a hello's first (by its header). */
static uint8_t frag_what(const struct conn_frag_lost *n)
{
	const uint8_t *h = n->head;

	if (n->head_len < 3 || h[0] < 20 || h[0] > 23 || h[1] != 3)
		return VFW_UNKNOWN;
	if (h[0] == 22 && n->head_len == 6 && h[5] == 1)
		return VFW_CLIENT_HELLO;
	if (h[0] == 22 && n->head_len == 6 && h[5] == 2)
		return VFW_SERVER_HELLO;
	return VFW_TLS_RECORD;
}

/* c's IP datagrams never whole, or whole from differing overlaps, as facts. */
static void frag_facts(const struct conn *c, struct verdict_frag_facts *f)
{
	memset(f, 0, sizeof(*f));
	if ((c->lost & CONN_LOST_FRAG_ANY) == 0)
		return;                 /* (nearly always) */
	for (int d = DIR_CLIENT; d <= DIR_SERVER; d++) {
		f->never_whole |= (uint8_t)(((c->lost & CONN_LOST_SIDE(CONN_LOST_FRAG, d)) != 0) << d);
		f->differ |= (uint8_t)(((c->lost & CONN_LOST_SIDE(CONN_LOST_FRAG_DIFFER, d)) != 0) << d);
	}
	if (f->never_whole == 0)
		return;
	const struct conn_frag_lost *n = &c->frag_lost;
	const struct endpoint *e = &c->ep[n->dir & 1];
	f->dir = n->dir & 1;
	f->what = frag_what(n);
	if (e->isn_set) {
		f->offset_known = 1;
		f->offset = (uint32_t)(n->seq - e->isn - 1u);
	}
}

void verdict_cut_short(const struct conn *c, struct verdict *v)
{
	/* an IP datagram of it never whole, or made whole from bytes sent twice differently:
	 * what the packets prove is less than the words say (frag.h) */
	frag_facts(c, &v->frag);
	if (c->lost & CONN_LOST_FRAG_ANY)
		v->ok = 0;
	if (c->lost & CONN_LOST_OOM)
		v->cut = VCUT_OOM;
	else if (c->f.reported_because == FLOW_EVICTED)
		v->cut = VCUT_TABLE_FULL;
	else if (c->f.reported_because == FLOW_EVICTED_MEMORY)
		v->cut = VCUT_MEMORY_LIMIT;
	else
		return;
	/* only a finished TLS handshake stands whole, and not if bytes went unread */
	if (strcmp(v->code, "tls.established") != 0 || (c->lost & CONN_LOST_OOM))
		v->ok = 0;
}

const char *verdict_reported_because(const struct conn *c)
{
	static const char *const names[] = { "closed", "idle", "table_full", "end_of_capture", "port_reused",
					      "memory_limit" };
	return c->f.reported_because < 6 ? names[c->f.reported_because] : "end_of_capture";
}

/* A reset sooner than the round trip to its sender allows: a hint of a device on the way. */
static void reset_timing(const struct conn *c, struct verdict_tcp_facts *f)
{
	int64_t rtt = c->syn_seen && c->synack_seen ? c->synack_first_ts - c->syn_ts[0] : 0;
	int64_t delay = c->rst_ts - c->before_rst.ts;

	if (!c->rst_seen || c->rst_dir != DIR_SERVER || rtt < 2000000 || c->before_rst.frame == 0 ||
	    c->before_rst.dir != DIR_CLIENT || delay * 2 >= rtt)
		return;
	f->rst_early = 1;
	f->rst_early_delay = delay;
	f->rst_early_rtt = rtt;
}

void verdict_tcp_facts(const struct conn *c, int64_t capture_end, struct verdict_tcp_facts *f)
{
	uint32_t n = c->nsyn < CONN_MAX_SYN_TS ? c->nsyn : CONN_MAX_SYN_TS;

	f->syn_seen = c->syn_seen;
	f->fin_first = c->fin_first;
	f->rst_seen = c->rst_seen;
	f->evicted = c->f.reported_because == FLOW_EVICTED || c->f.reported_because == FLOW_EVICTED_MEMORY;
	f->role_port = c->role_guess == ROLE_PORT;
	f->nsyn = c->nsyn;
	f->nsynack = c->nsynack;
	memcpy(f->syn_ts, c->syn_ts, n * sizeof(c->syn_ts[0]));
	f->first_ts = c->first_ts;
	f->synack_first_ts = c->synack_first_ts;
	f->synack_last_ts = c->synack_last_ts;
	f->hs_ack_ts = c->hs_ack_ts;
	f->capture_end = capture_end;
	f->synack_ack = c->synack_ack;
	f->client_isn = c->ep[DIR_CLIENT].isn;
	f->payload[DIR_CLIENT] = c->ep[DIR_CLIENT].payload;
	f->payload[DIR_SERVER] = c->ep[DIR_SERVER].payload;
	f->server_port = c->f.port[DIR_SERVER];
	f->rst_dir = c->rst_dir;
	f->rst_flags = c->rst_flags;
	f->rst_ttl = c->rst_ttl;
	f->rst_prev_ttl = c->rst_prev_ttl;
	f->rst_prev_ttl_set = c->rst_prev_ttl_set;
	f->rst_ts = c->rst_ts;
	f->before_rst = c->before_rst;
	f->rst_early = 0;
	reset_timing(c, f);
	/* a reset whose TTL is not its side's: sent by another device, most likely */
	f->rst_ttl_odd = c->rst_seen && c->rst_prev_ttl_set && c->rst_prev_ttl != c->rst_ttl;
	f->icmp = c->icmp;
}

/* The code and kind of a verdict, and whether it is ok. */
static void set_kind(struct verdict *v, enum verdict_kind kind, const char *code, int ok)
{
	v->kind = kind;
	v->code = code;
	v->ok = ok;
}

void verdict_tcp(const struct conn *c, int64_t capture_end, struct verdict *v)
{
	v->layer = "tcp";
	verdict_set_point(v, verdict_capture_point(c), 0);
	v->cut = VCUT_NONE;
	memset(&v->frag, 0, sizeof(v->frag));
	v->hint.first_line = NULL;
	verdict_tcp_facts(c, capture_end, &v->tcp);
	if (c->hs_ack_seen) {
		if (c->rst_seen && c->ep[DIR_SERVER].payload == 0 && c->rst_ts >= c->hs_ack_ts)
			set_kind(v, VK_TCP_RESET_AFTER, "tcp.reset_after_handshake", 0);
		else
			set_kind(v, VK_TCP_COMPLETED, "tcp.completed", 1);
	} else if (c->synack_seen && c->syn_seen &&
		   c->synack_ack != c->ep[DIR_CLIENT].isn + 1) {
		set_kind(v, VK_TCP_BAD_SYNACK, "tcp.bad_synack", 0);
	} else if (c->synack_seen) {
		set_kind(v, VK_TCP_SYNACK_NOT_ACKED, "tcp.synack_not_acked", 0);
	} else if (c->syn_seen && c->rst_seen && c->rst_dir == DIR_SERVER) {
		set_kind(v, VK_TCP_REFUSED, "tcp.refused", 0);
	} else if (c->syn_seen && c->icmp.set) {
		set_kind(v, VK_TCP_ICMP, "tcp.icmp_unreachable", 0);
	} else if (c->syn_seen) {
		set_kind(v, VK_TCP_NO_ANSWER, "tcp.no_answer", 0);
	} else {
		set_kind(v, VK_TCP_NOT_SEEN, "tcp.not_seen", 1);
	}
}
