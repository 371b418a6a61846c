/* verdict.c: the tcp.* verdicts: which one, and what it proves at this capture point. */
#include <stdio.h>
#include <string.h>

#include "flow.h"
#include "line.h"
#include "verdict.h"
#include "vtext.h"

/* The three texts of a verdict while they are written: bounded lines over its arrays. */
struct vtexts {
	struct line sum, why, next;
};

/* One string or the other. */
static void pick(struct line *l, int cond, const char *a, const char *b)
{
	ln_str(l, cond ? a : b);
}

static int initial_ttl(uint8_t ttl)
{
	return ttl == 64 || ttl == 128 || ttl == 255 || ttl == 32 || ttl == 60;
}

/* The usual starting TTL at or above ttl, to count hops. */
static int hops(uint8_t ttl)
{
	int start = ttl <= 32 ? 32 : ttl <= 64 ? 64 : ttl <= 128 ? 128 : 255;
	return start - ttl;
}

#define CP_BOTH "on the same host or link as both ends, judging by TTLs"
#define CP_CLIENT "at or next to the client, judging by TTLs"
#define CP_SERVER "at or next to the server, judging by TTLs"
#define CP_PATH "somewhere on the path, judging by TTLs"

/* 2 if next to the client, plus 1 if next to the server. */
static int capture_point_at(const struct conn *c)
{
	const struct endpoint *cl = &c->ep[DIR_CLIENT], *sv = &c->ep[DIR_SERVER];
	int near_client = cl->ttl_seen && initial_ttl(cl->ttl_first);
	int near_server = sv->ttl_seen && sv->packets > (sv->rst ? 1u : 0u) && initial_ttl(sv->ttl_first);

	return 2 * near_client + near_server;
}

const char *verdict_capture_point(const struct conn *c)
{
	static const char *const names[] = { CP_PATH, CP_SERVER, CP_CLIENT, CP_BOTH };
	return names[capture_point_at(c)];
}

static void capture_point(struct line *l, const struct conn *c)
{
	ln_str(l, verdict_capture_point(c));
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

const char *verdict_side_name(int dir)
{
	return dir == DIR_CLIENT ? "client" : "server";
}

static void side(struct line *l, int dir)
{
	ln_str(l, verdict_side_name(dir));
}

/* "1003 ms, 2001 ms": the intervals between retransmitted SYNs. */
static void syn_intervals(const struct conn *c, struct line *l)
{
	uint32_t n = c->nsyn < CONN_MAX_SYN_TS ? c->nsyn : CONN_MAX_SYN_TS;
	for (uint32_t i = 1; i < n; i++) {
		if (i > 1)
			ln_lit(l, ", ");
		vt_ms0(l, c->syn_ts[i] - c->syn_ts[i - 1]);
		ln_lit(l, " ms");
	}
}

static void v_completed(const struct conn *c, struct verdict *v, struct vtexts *t)
{
	v->code = "tcp.completed";
	v->ok = 1;
	if (c->syn_seen) {
		ln_lit(&t->sum, "handshake completed: SYN to SYN-ACK ");
		vt_ms3(&t->sum, c->synack_first_ts - c->syn_ts[0]);
		ln_lit(&t->sum, " ms, SYN-ACK to ACK ");
	} else {
		ln_lit(&t->sum, "handshake completed (its SYN is not in the capture): SYN-ACK to ACK ");
	}
	vt_ms3(&t->sum, c->hs_ack_ts - c->synack_first_ts);
	ln_lit(&t->sum, " ms");

	ln_lit(&t->why, "This capture point (");
	capture_point(&t->why, c);
	ln_lit(&t->why, ") saw ");
	if (c->syn_seen)
		ln_lit(&t->why, "SYN, ");
	ln_lit(&t->why, "SYN-ACK and the final ACK: the three-way handshake completed here. The "
			"SYN to SYN-ACK time is the round trip from this point to the server and back; "
			"SYN-ACK to ACK is the round trip to the client and back. The client then sent ");
	ln_u64(&t->why, c->ep[DIR_CLIENT].payload);
	ln_lit(&t->why, " and the server ");
	ln_u64(&t->why, c->ep[DIR_SERVER].payload);
	ln_lit(&t->why, " bytes of payload. ");
	if (c->rst_seen) {
		ln_lit(&t->why, "It ended with a reset from the ");
		side(&t->why, c->rst_dir);
		ln_lit(&t->why, " after data had been exchanged, which many applications do on purpose.");
	} else if (c->fin_first) {
		pick(&t->why, c->fin_first == 1, "The client closed first (FIN).",
	     "The server closed first (FIN).");
	} else {
		pick(&t->why, c->f.reported_because == FLOW_EVICTED || c->f.reported_because == FLOW_EVICTED_MEMORY,
		     "No close was seen before it was reported.",
		     "No close was seen before the capture ended.");
	}
	ln_lit(&t->next, "TCP is healthy at this point; if the application still fails, look above "
			 "TCP (TLS, the application protocol, its timeouts).");
}

static void v_no_answer(const struct conn *c, int64_t end, struct verdict *v, struct vtexts *t)
{
	int64_t last = c->syn_ts[(c->nsyn < CONN_MAX_SYN_TS ? c->nsyn : CONN_MAX_SYN_TS) - 1];

	v->code = "tcp.no_answer";
	ln_lit(&t->sum, "no answer: ");
	ln_u64(&t->sum, c->nsyn);
	ln_lit(&t->sum, " SYN");
	vt_plural(&t->sum, c->nsyn);
	ln_lit(&t->sum, " over ");
	vt_sec3(&t->sum, last - c->syn_ts[0]);
	ln_lit(&t->sum, " s");
	if (c->nsyn > 1) {
		ln_lit(&t->sum, " (retries after ");
		syn_intervals(c, &t->sum);
		ln_chr(&t->sum, ')');
	}
	ln_lit(&t->sum, ", nothing came back");

	ln_lit(&t->why, "At this capture point (");
	capture_point(&t->why, c);
	pick(&t->why, c->nsyn == 1, ") the client sent one SYN",
	     ") the client sent repeated SYNs");
	ln_lit(&t->why, " with the same initial sequence number and received no SYN-ACK, no reset "
			"and no ICMP error. That proves the SYNs passed this point; it cannot tell "
			"whether they were dropped on the way, dropped by a filter in front of the "
			"server, or answered with replies lost on the way back. ");
	if (c->nsyn == 1 && end - last < 1000000000) {
		ln_lit(&t->why, "Only one SYN was seen and the capture ends ");
		vt_ms0(&t->why, end - last);
		ln_lit(&t->why, " ms after it: it may have stopped before a retry or an answer could "
				"be captured. ");
	}
	ln_lit(&t->why, "If this capture was taken on the server itself, the SYNs did arrive and "
			"the host did not answer: a host firewall (it acts after the capture tap), a "
			"full accept queue, or no route back.");
	ln_lit(&t->next, "Capture at the server side (or beyond the firewall) during the same "
			 "attempt: SYNs arriving there point at the return path or the server's own "
			 "firewall; SYNs missing there point at filtering or routing in between "
			 "(security groups, ACLs, DROP rules).");
}

static void v_refused(const struct conn *c, struct verdict *v, struct vtexts *t)
{
	int64_t after = c->rst_ts - (c->nsyn ? c->syn_ts[0] : c->first_ts);
	int n = hops(c->rst_ttl);

	v->code = "tcp.refused";
	pick(&t->sum, (c->rst_flags & TCP_ACK), "refused: RST-ACK from the server side ",
	     "refused: RST from the server side ");
	vt_ms3(&t->sum, after);
	ln_lit(&t->sum, " ms after the SYN");

	ln_lit(&t->why, "Something at the server's address answered the SYN with a reset. Its TTL is ");
	ln_u64(&t->why, c->rst_ttl);
	if (n == 0) {
		ln_lit(&t->why, ": it crossed no router on its way to this capture point (");
		capture_point(&t->why, c);
		ln_lit(&t->why, "), so it came from this link: the server itself if it is here, else a "
				"router or firewall in front of it. ");
	} else {
		ln_lit(&t->why, ": it crossed about ");
		ln_u64(&t->why, (uint64_t)n);
		ln_lit(&t->why, " router");
		vt_plural(&t->why, (uint64_t)n);
		ln_lit(&t->why, " on its way to this capture point (");
		capture_point(&t->why, c);
		ln_lit(&t->why, "). ");
	}
	ln_lit(&t->why, "Usual causes: nothing listens on port ");
	ln_u64(&t->why, c->f.port[DIR_SERVER]);
	ln_lit(&t->why, ", a firewall rule that rejects with a TCP reset, or a load balancer with no "
			"healthy target. A middlebox can send the reset on the server's behalf; one "
			"capture point cannot prove which device did.");
	ln_lit(&t->next, "Check that the service listens on port ");
	ln_u64(&t->next, c->f.port[DIR_SERVER]);
	ln_lit(&t->next, " (ss -ltn on the server) and for firewall or load-balancer rules that "
			 "reject; a capture on the server shows whether the reset came from the server "
			 "itself.");
}

static void v_icmp(const struct conn *c, struct verdict *v, struct vtexts *t)
{
	const struct icmp_note *ic = &c->icmp;

	v->code = "tcp.icmp_unreachable";
	pick(&t->sum, ic->type == (ic->v6 ? 1 : 3), "unreachable: ICMP",
	     "ICMP error: ICMP");
	if (ic->v6)
		ln_lit(&t->sum, "v6");
	ln_chr(&t->sum, ' ');
	ln_str(&t->sum, icmp_name(ic->v6, ic->type, ic->code));
	ln_lit(&t->sum, " (type ");
	ln_u64(&t->sum, ic->type);
	ln_lit(&t->sum, ", code ");
	ln_u64(&t->sum, ic->code);
	pick(&t->sum, ic->from_dest, ") from the destination itself, ",
	     ") from a router on the path, ");
	vt_ms3(&t->sum, ic->ts - (c->nsyn ? c->syn_ts[0] : c->first_ts));
	ln_lit(&t->sum, " ms after the SYN");

	ln_lit(&t->why, "An ICMP error quoting the client's SYN came back to this capture point (");
	capture_point(&t->why, c);
	ln_lit(&t->why, "). It was sent by ");
	pick(&t->why, ic->from_dest,
	     "the server's address itself (its host or a firewall answering for it)",
	     "a router or firewall on the way, not by the server");
	ln_lit(&t->why, ". ");
	if ((!ic->v6 && ic->type == 3 && (ic->code == 9 || ic->code == 10 || ic->code == 13)) ||
	    (ic->v6 && ic->type == 1 && (ic->code == 1 || ic->code == 5 || ic->code == 6)))
		ln_lit(&t->why, "Administratively prohibited means a filter rule rejected the connection.");
	else if ((!ic->v6 && ic->type == 3 && ic->code == 3) || (ic->v6 && ic->type == 1 && ic->code == 4))
		ln_lit(&t->why, "Port unreachable for TCP is unusual (hosts answer a closed TCP port with "
				"a reset); it is most likely a firewall's reject rule.");
	else
		ln_lit(&t->why, "Host or network unreachable means the sender had no route to the "
				"server, or could not resolve its link-layer address.");
	ln_lit(&t->next, "Look at the routing and filter rules of the device that sent the ICMP "
			 "error; a traceroute to the server port shows where the path stops.");
}

static void v_synack_not_acked(const struct conn *c, struct verdict *v, struct vtexts *t)
{
	v->code = "tcp.synack_not_acked";
	ln_lit(&t->sum, "SYN-ACK sent ");
	ln_u64(&t->sum, c->nsynack);
	pick(&t->sum, c->nsynack == 1, " time over ", " times over ");
	vt_sec3(&t->sum, c->synack_last_ts - c->synack_first_ts);
	ln_lit(&t->sum, " s, never acknowledged");

	ln_lit(&t->why, "This capture point (");
	capture_point(&t->why, c);
	ln_lit(&t->why, ") saw ");
	if (c->syn_seen)
		ln_lit(&t->why, "the SYN arrive and ");
	ln_lit(&t->why, "the server answer with a SYN-ACK");
	if (c->nsynack > 1)
		ln_lit(&t->why, ", retransmitted");
	ln_lit(&t->why, ", but the final ACK never came back. Typical of a capture at the server "
			"when the path back to the client differs or is filtered: the SYN-ACK is lost "
			"on its way to the client, or the client's ACK on its way back. A stateful "
			"firewall that saw only one direction drops such packets.");
	ln_lit(&t->next, "Capture at the client during the same attempt: if no SYN-ACK arrives "
			 "there, follow the return path (asymmetric routing, reverse-path filtering, NAT).");
}

static void v_bad_synack(const struct conn *c, struct verdict *v, struct vtexts *t)
{
	v->code = "tcp.bad_synack";
	ln_lit(&t->sum, "bad SYN-ACK: it acknowledges ");
	ln_u64(&t->sum, c->synack_ack);
	ln_lit(&t->sum, ", not the client's ISN+1 (");
	ln_u64(&t->sum, (uint32_t)(c->ep[DIR_CLIENT].isn + 1));
	ln_chr(&t->sum, ')');
	if (c->rst_seen && c->rst_dir == DIR_CLIENT)
		ln_lit(&t->sum, "; the client answered with a reset");
	ln_lit(&t->why, "The SYN-ACK that came back does not belong to the client's SYN: its "
			"acknowledgment number is wrong. This happens with stale state (an old "
			"connection on the same ports at the server or a NAT), a middlebox rewriting "
			"sequence numbers, or port reuse. The client rejects such a SYN-ACK with a reset.");
	ln_lit(&t->next, "Look for NAT or load-balancer state on the path and for port reuse by "
			 "the client; capture at the server to see which SYN it answered.");
}

/* "0.052 ms after frame 4, the client's data (517 bytes)" */
static void describe_before_rst(const struct conn *c, struct line *l)
{
	const struct pkt_note *b = &c->before_rst;
	if (b->frame == 0) {
		ln_lit(l, "as the first packet");
		return;
	}
	vt_ms3(l, c->rst_ts - b->ts);
	ln_lit(l, " ms after frame ");
	ln_u64(l, b->frame);
	ln_lit(l, ", the ");
	side(l, b->dir);
	ln_lit(l, "'s ");
	if (b->payload)
		ln_lit(l, "data");
	else if (b->flags & TCP_FIN)
		ln_lit(l, "FIN");
	else
		pick(l, b->flags & TCP_SYN, "SYN", "ACK");
	if (b->payload) {
		ln_lit(l, " (");
		ln_u64(l, b->payload);
		ln_lit(l, " bytes)");
	}
}

static void v_reset_after(const struct conn *c, struct verdict *v, struct vtexts *t)
{
	v->code = "tcp.reset_after_handshake";
	ln_lit(&t->sum, "reset by the ");
	side(&t->sum, c->rst_dir);
	ln_lit(&t->sum, " after the handshake, ");
	describe_before_rst(c, &t->sum);

	ln_lit(&t->why, "The handshake completed at this capture point (");
	capture_point(&t->why, c);
	ln_lit(&t->why, "), then the ");
	side(&t->why, c->rst_dir);
	ln_lit(&t->why, " reset the connection before the server had sent any data. ");
	if (c->rst_prev_ttl_set && c->rst_prev_ttl != c->rst_ttl) {
		ln_lit(&t->why, "The reset's TTL (");
		ln_u64(&t->why, c->rst_ttl);
		ln_lit(&t->why, ") differs from the TTL of the ");
		side(&t->why, c->rst_dir);
		ln_lit(&t->why, "'s earlier packets (");
		ln_u64(&t->why, c->rst_prev_ttl);
		ln_lit(&t->why, "): a hint, not proof, that a middlebox sent it. ");
	}
	ln_lit(&t->why, "A server that resets right after accepting usually rejects the client "
			"(address, connection limit, a proxy with no backend), or its application "
			"crashed or closed the socket with unread data.");
	ln_lit(&t->next, "Check the ");
	side(&t->next, c->rst_dir);
	ln_lit(&t->next, " application's logs and limits at that time; if the reset's origin is in "
			 "doubt, capture on the ");
	side(&t->next, c->rst_dir);
	ln_lit(&t->next, " itself.");
}

static void v_not_seen(const struct conn *c, struct verdict *v, struct vtexts *t)
{
	v->code = "tcp.not_seen";
	v->ok = 1;
	ln_lit(&t->sum, "handshake not in the capture: the connection was already open when it began");
	ln_lit(&t->why, "The first packet of this connection at this capture point (");
	capture_point(&t->why, c);
	ln_lit(&t->why, ") was not a SYN or SYN-ACK, so the handshake happened before the capture "
			"started (or on another path). Client and server were told apart by ");
	pick(&t->why, c->role_guess == ROLE_PORT, "their port numbers (a guess)",
	     "the SYN-ACK");
	ln_lit(&t->why, ". The client sent ");
	ln_u64(&t->why, c->ep[DIR_CLIENT].payload);
	ln_lit(&t->why, " and the server ");
	ln_u64(&t->why, c->ep[DIR_SERVER].payload);
	ln_lit(&t->why, " bytes of payload here.");
	ln_lit(&t->next, "Start the capture before the client connects to see the handshake.");
}

/* Add text to the end of one of a verdict's texts (cut if it does not fit). */
static void add_text(char *buf, size_t *len, size_t cap, const char *text)
{
	struct line l;

	ln_init(&l, buf, cap - 1);
	l.len = *len;
	ln_str(&l, text);
	*len = vt_finish(&l);
}

void verdict_cut_short(const struct conn *c, struct verdict *v)
{
	const char *sum, *why, *next;
	char rest[sizeof(v->next_step)];
	size_t n;

	if (c->lost & CONN_LOST_OOM) {
		sum = " (incomplete: out of memory)";
		why = " Some of this connection's packets or bytes were not analyzed: synack ran out "
		      "of memory.";
		next = "Analyze the capture again with more memory free.";
	} else if (c->f.reported_because == FLOW_EVICTED) {
		sum = " (reported early: the connection table was full)";
		why = " The connection table was full (--max-flows), so this connection was reported "
		      "before it ended: the verdict rests on its packets up to then. Its later packets "
		      "were counted (after_eviction_packets in the summary), not analyzed.";
		next = "Analyze the capture again with a larger --max-flows to follow this connection "
		       "to its end.";
	} else if (c->f.reported_because == FLOW_EVICTED_MEMORY) {
		sum = " (reported early: the memory limit was reached)";
		why = " The analysis reached its memory limit (--memory-limit) and let go of this "
		      "connection (the largest go first, then the oldest) before it ended: the verdict "
		      "rests on its packets up to then. Its later packets were counted "
		      "(after_eviction_packets in the summary), not analyzed.";
		next = "Analyze the capture again with a larger --memory-limit to follow this "
		       "connection to its end.";
	} else {
		return;
	}
	/* only a finished TLS handshake stands whole, and not if bytes went unread */
	if (strcmp(v->code, "tls.established") != 0 || (c->lost & CONN_LOST_OOM))
		v->ok = 0;
	add_text(v->summary, &v->summary_len, sizeof(v->summary), sum);
	add_text(v->explanation, &v->explanation_len, sizeof(v->explanation), why);
	/* the first thing to do is to see the connection to its end, then what the verdict said */
	memcpy(rest, v->next_step, v->next_step_len);
	n = v->next_step_len;
	v->next_step_len = 0;
	add_text(v->next_step, &v->next_step_len, sizeof(v->next_step), next);
	if (n != 0) {
		struct line l;
		ln_init(&l, v->next_step, sizeof(v->next_step) - 1);
		l.len = v->next_step_len;
		ln_lit(&l, " Until then: ");
		ln_mem(&l, rest, n);
		v->next_step_len = vt_finish(&l);
	}
}

const char *verdict_reported_because(const struct conn *c)
{
	static const char *const names[] = { "closed", "idle", "table_full", "end_of_capture", "port_reused",
					      "memory_limit" };
	return c->f.reported_because < 6 ? names[c->f.reported_because] : "end_of_capture";
}

/* A reset sooner than the round trip to its sender allows: a hint of a device on the way. */
static void reset_timing_hint(const struct conn *c, struct line *why)
{
	int64_t rtt = c->syn_seen && c->synack_seen ? c->synack_first_ts - c->syn_ts[0] : 0;
	int64_t delay = c->rst_ts - c->before_rst.ts;

	if (!c->rst_seen || c->rst_dir != DIR_SERVER || rtt < 2000000 || c->before_rst.frame == 0 ||
	    c->before_rst.dir != DIR_CLIENT || delay * 2 >= rtt)
		return;
	ln_lit(why, " The reset came ");
	vt_ms3(why, delay);
	ln_lit(why, " ms after the client's packet, less than half the ");
	vt_ms3(why, rtt);
	ln_lit(why, " ms round trip to the server measured on the handshake: a hint, not proof, "
		    "that a device between here and the server sent it.");
}

void verdict_tcp(const struct conn *c, int64_t capture_end, struct verdict *v)
{
	struct vtexts t;

	v->code = NULL;
	v->layer = "tcp";
	v->ok = 0;
	ln_init(&t.sum, v->summary, sizeof(v->summary) - 1);
	ln_init(&t.why, v->explanation, sizeof(v->explanation) - 1);
	ln_init(&t.next, v->next_step, sizeof(v->next_step) - 1);
	if (c->hs_ack_seen) {
		if (c->rst_seen && c->ep[DIR_SERVER].payload == 0 && c->rst_ts >= c->hs_ack_ts)
			v_reset_after(c, v, &t);
		else
			v_completed(c, v, &t);
	} else if (c->synack_seen && c->syn_seen &&
		   c->synack_ack != c->ep[DIR_CLIENT].isn + 1) {
		v_bad_synack(c, v, &t);
	} else if (c->synack_seen) {
		v_synack_not_acked(c, v, &t);
	} else if (c->syn_seen && c->rst_seen && c->rst_dir == DIR_SERVER) {
		v_refused(c, v, &t);
	} else if (c->syn_seen && c->icmp.set) {
		v_icmp(c, v, &t);
	} else if (c->syn_seen) {
		v_no_answer(c, capture_end, v, &t);
	} else {
		v_not_seen(c, v, &t);
	}
	reset_timing_hint(c, &t.why);
	v->summary_len = vt_finish(&t.sum);
	v->explanation_len = vt_finish(&t.why);
	v->next_step_len = vt_finish(&t.next);
}
