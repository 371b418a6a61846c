/* verdict.c: the tcp.* verdicts: which one, and what it proves at this capture point. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "flow.h"
#include "verdict.h"

static void put(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Append to a fixed buffer, cutting rather than overflowing. */
static void put(char *buf, size_t size, const char *fmt, ...)
{
	size_t n = strlen(buf);
	va_list ap;

	if (n + 1 >= size)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + n, size - n, fmt, ap);
	va_end(ap);
}

/* A duration in nanoseconds as milliseconds, and as seconds. */
static double ms(int64_t ns)
{
	return (double)ns / 1e6;
}

static double sec(int64_t ns)
{
	return (double)ns / 1e9;
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

const char *verdict_capture_point(const struct conn *c)
{
	const struct endpoint *cl = &c->ep[DIR_CLIENT], *sv = &c->ep[DIR_SERVER];
	int near_client = cl->ttl_seen && initial_ttl(cl->ttl_first);
	int near_server = sv->ttl_seen && sv->packets > (sv->rst ? 1u : 0u) && initial_ttl(sv->ttl_first);

	if (near_client && near_server)
		return "on the same host or link as both ends, judging by TTLs";
	if (near_client)
		return "at or next to the client, judging by TTLs";
	if (near_server)
		return "at or next to the server, judging by TTLs";
	return "somewhere on the path, judging by TTLs";
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

static const char *dir_name(int dir)
{
	return dir == DIR_CLIENT ? "client" : "server";
}

static void syn_intervals(const struct conn *c, char *buf, size_t size)
{
	uint32_t n = c->nsyn < CONN_MAX_SYN_TS ? c->nsyn : CONN_MAX_SYN_TS;
	for (uint32_t i = 1; i < n; i++)
		put(buf, size, "%s%.0f ms", i > 1 ? ", " : "", ms(c->syn_ts[i] - c->syn_ts[i - 1]));
}

static void v_completed(const struct conn *c, struct verdict *v)
{
	v->code = "tcp.completed";
	v->ok = 1;
	if (c->syn_seen)
		put(v->summary, sizeof(v->summary),
		    "handshake completed: SYN to SYN-ACK %.3f ms, SYN-ACK to ACK %.3f ms",
		    ms(c->synack_first_ts - c->syn_ts[0]), ms(c->hs_ack_ts - c->synack_first_ts));
	else
		put(v->summary, sizeof(v->summary),
		    "handshake completed (its SYN is not in the capture): SYN-ACK to ACK %.3f ms",
		    ms(c->hs_ack_ts - c->synack_first_ts));
	put(v->explanation, sizeof(v->explanation),
	    "This capture point (%s) saw %sSYN-ACK and the final ACK: the three-way handshake "
	    "completed here. The SYN to SYN-ACK time is the round trip from this point to the "
	    "server and back; SYN-ACK to ACK is the round trip to the client and back. The "
	    "client then sent %llu and the server %llu bytes of payload. ",
	    verdict_capture_point(c), c->syn_seen ? "SYN, " : "",
	    (unsigned long long)c->ep[DIR_CLIENT].payload, (unsigned long long)c->ep[DIR_SERVER].payload);
	if (c->rst_seen)
		put(v->explanation, sizeof(v->explanation),
		    "It ended with a reset from the %s after data had been exchanged, which many "
		    "applications do on purpose.", dir_name(c->rst_dir));
	else if (c->fin_first)
		put(v->explanation, sizeof(v->explanation), "The %s closed first (FIN).",
		    c->fin_first == 1 ? "client" : "server");
	else
		put(v->explanation, sizeof(v->explanation), "No close was seen before the capture ended.");
	put(v->next_step, sizeof(v->next_step),
	    "TCP is healthy at this point; if the application still fails, look above TCP "
	    "(TLS, the application protocol, its timeouts).");
}

static void v_no_answer(const struct conn *c, int64_t end, struct verdict *v)
{
	char iv[200] = "";
	int64_t last = c->syn_ts[(c->nsyn < CONN_MAX_SYN_TS ? c->nsyn : CONN_MAX_SYN_TS) - 1];

	v->code = "tcp.no_answer";
	syn_intervals(c, iv, sizeof(iv));
	put(v->summary, sizeof(v->summary), "no answer: %u SYN%s over %.3f s%s%s%s, nothing came back",
	    c->nsyn, c->nsyn == 1 ? "" : "s", sec(last - c->syn_ts[0]), iv[0] ? " (retries after " : "",
	    iv, iv[0] ? ")" : "");
	put(v->explanation, sizeof(v->explanation),
	    "At this capture point (%s) the client sent %s with the same initial sequence number "
	    "and received no SYN-ACK, no reset and no ICMP error. That proves the SYNs passed this "
	    "point; it cannot tell whether they were dropped on the way, dropped by a filter in "
	    "front of the server, or answered with replies lost on the way back. ",
	    verdict_capture_point(c), c->nsyn == 1 ? "one SYN" : "repeated SYNs");
	if (c->nsyn == 1 && end - last < 1000000000)
		put(v->explanation, sizeof(v->explanation),
		    "Only one SYN was seen and the capture ends %.0f ms after it: it may have stopped "
		    "before a retry or an answer could be captured. ", ms(end - last));
	put(v->explanation, sizeof(v->explanation),
	    "If this capture was taken on the server itself, the SYNs did arrive and the host "
	    "did not answer: a host firewall (it acts after the capture tap), a full accept "
	    "queue, or no route back.");
	put(v->next_step, sizeof(v->next_step),
	    "Capture at the server side (or beyond the firewall) during the same attempt: SYNs "
	    "arriving there point at the return path or the server's own firewall; SYNs missing "
	    "there point at filtering or routing in between (security groups, ACLs, DROP rules).");
}

static void v_refused(const struct conn *c, struct verdict *v)
{
	int64_t after = c->rst_ts - (c->nsyn ? c->syn_ts[0] : c->first_ts);

	v->code = "tcp.refused";
	put(v->summary, sizeof(v->summary), "refused: %s from the server side %.3f ms after the SYN",
	    (c->rst_flags & TCP_ACK) ? "RST-ACK" : "RST", ms(after));
	put(v->explanation, sizeof(v->explanation),
	    "Something at the server's address answered the SYN with a reset. Its TTL is %u: ",
	    c->rst_ttl);
	if (hops(c->rst_ttl) == 0)
		put(v->explanation, sizeof(v->explanation),
		    "it crossed no router on its way to this capture point (%s), so it came from "
		    "this link: the server itself if it is here, else a router or firewall in front "
		    "of it. ", verdict_capture_point(c));
	else
		put(v->explanation, sizeof(v->explanation),
		    "it crossed about %d router%s on its way to this capture point (%s). ",
		    hops(c->rst_ttl), hops(c->rst_ttl) == 1 ? "" : "s", verdict_capture_point(c));
	put(v->explanation, sizeof(v->explanation),
	    "Usual causes: nothing listens on port %u, a firewall rule that rejects with a TCP "
	    "reset, or a load balancer with no healthy target. A middlebox can send the reset on "
	    "the server's behalf; one capture point cannot prove which device did.",
	    c->ep[DIR_SERVER].port);
	put(v->next_step, sizeof(v->next_step),
	    "Check that the service listens on port %u (ss -ltn on the server) and for firewall "
	    "or load-balancer rules that reject; a capture on the server shows whether the "
	    "reset came from the server itself.", c->ep[DIR_SERVER].port);
}

static void v_icmp(const struct conn *c, struct verdict *v)
{
	const struct icmp_note *ic = &c->icmp;

	v->code = "tcp.icmp_unreachable";
	put(v->summary, sizeof(v->summary), "%s: ICMP%s %s (type %u, code %u) from %s, %.3f ms after the SYN",
	    ic->type == (ic->v6 ? 1 : 3) ? "unreachable" : "ICMP error", ic->v6 ? "v6" : "",
	    icmp_name(ic->v6, ic->type, ic->code), ic->type, ic->code,
	    ic->from_dest ? "the destination itself" : "a router on the path",
	    ms(ic->ts - (c->nsyn ? c->syn_ts[0] : c->first_ts)));
	put(v->explanation, sizeof(v->explanation),
	    "An ICMP error quoting the client's SYN came back to this capture point (%s). It was "
	    "sent by %s. ", verdict_capture_point(c),
	    ic->from_dest ? "the server's address itself (its host or a firewall answering for it)"
			  : "a router or firewall on the way, not by the server");
	if ((!ic->v6 && ic->type == 3 && (ic->code == 9 || ic->code == 10 || ic->code == 13)) ||
	    (ic->v6 && ic->type == 1 && (ic->code == 1 || ic->code == 5 || ic->code == 6)))
		put(v->explanation, sizeof(v->explanation),
		    "Administratively prohibited means a filter rule rejected the connection.");
	else if ((!ic->v6 && ic->type == 3 && ic->code == 3) || (ic->v6 && ic->type == 1 && ic->code == 4))
		put(v->explanation, sizeof(v->explanation),
		    "Port unreachable for TCP is unusual (hosts answer a closed TCP port with a reset); "
		    "it is most likely a firewall's reject rule.");
	else
		put(v->explanation, sizeof(v->explanation),
		    "Host or network unreachable means the sender had no route to the server, or "
		    "could not resolve its link-layer address.");
	put(v->next_step, sizeof(v->next_step),
	    "Look at the routing and filter rules of the device that sent the ICMP error; "
	    "a traceroute to the server port shows where the path stops.");
}

static void v_synack_not_acked(const struct conn *c, struct verdict *v)
{
	v->code = "tcp.synack_not_acked";
	put(v->summary, sizeof(v->summary), "SYN-ACK sent %u time%s over %.3f s, never acknowledged",
	    c->nsynack, c->nsynack == 1 ? "" : "s", sec(c->synack_last_ts - c->synack_first_ts));
	put(v->explanation, sizeof(v->explanation),
	    "This capture point (%s) saw %sthe server answer with a SYN-ACK%s, but the final ACK "
	    "never came back. Typical of a capture at the server when the path back to the client "
	    "differs or is filtered: the SYN-ACK is lost on its way to the client, or the client's "
	    "ACK on its way back. A stateful firewall that saw only one direction drops such "
	    "packets.",
	    verdict_capture_point(c), c->syn_seen ? "the SYN arrive and " : "",
	    c->nsynack > 1 ? ", retransmitted" : "");
	put(v->next_step, sizeof(v->next_step),
	    "Capture at the client during the same attempt: if no SYN-ACK arrives there, follow "
	    "the return path (asymmetric routing, reverse-path filtering, NAT).");
}

static void v_bad_synack(const struct conn *c, struct verdict *v)
{
	v->code = "tcp.bad_synack";
	put(v->summary, sizeof(v->summary),
	    "bad SYN-ACK: it acknowledges %u, not the client's ISN+1 (%u)%s",
	    c->synack_ack, c->ep[DIR_CLIENT].isn + 1,
	    c->rst_seen && c->rst_dir == DIR_CLIENT ? "; the client answered with a reset" : "");
	put(v->explanation, sizeof(v->explanation),
	    "The SYN-ACK that came back does not belong to the client's SYN: its acknowledgment "
	    "number is wrong. This happens with stale state (an old connection on the same ports "
	    "at the server or a NAT), a middlebox rewriting sequence numbers, or port reuse. "
	    "The client rejects such a SYN-ACK with a reset.");
	put(v->next_step, sizeof(v->next_step),
	    "Look for NAT or load-balancer state on the path and for port reuse by the client; "
	    "capture at the server to see which SYN it answered.");
}

static void describe_before_rst(const struct conn *c, char *buf, size_t size)
{
	const struct pkt_note *b = &c->before_rst;
	if (b->frame == 0) {
		put(buf, size, "as the first packet");
		return;
	}
	put(buf, size, "%.3f ms after frame %llu, the %s's %s", ms(c->rst_ts - b->ts),
	    (unsigned long long)b->frame, dir_name(b->dir),
	    b->payload ? "data" : (b->flags & TCP_FIN) ? "FIN"
			   : (b->flags & TCP_SYN) ? "SYN" : "ACK");
	if (b->payload)
		put(buf, size, " (%u bytes)", b->payload);
}

static void v_reset_after(const struct conn *c, struct verdict *v)
{
	char after[160] = "";

	v->code = "tcp.reset_after_handshake";
	describe_before_rst(c, after, sizeof(after));
	put(v->summary, sizeof(v->summary), "reset by the %s after the handshake, %s",
	    dir_name(c->rst_dir), after);
	put(v->explanation, sizeof(v->explanation),
	    "The handshake completed at this capture point (%s), then the %s reset the connection "
	    "before the server had sent any data. ", verdict_capture_point(c), dir_name(c->rst_dir));
	if (c->rst_prev_ttl_set && c->rst_prev_ttl != c->rst_ttl)
		put(v->explanation, sizeof(v->explanation),
		    "The reset's TTL (%u) differs from the TTL of the %s's earlier packets (%u): a hint, "
		    "not proof, that a middlebox sent it. ", c->rst_ttl, dir_name(c->rst_dir),
		    c->rst_prev_ttl);
	put(v->explanation, sizeof(v->explanation),
	    "A server that resets right after accepting usually rejects the client (address, "
	    "connection limit, a proxy with no backend), or its application crashed or closed the "
	    "socket with unread data.");
	put(v->next_step, sizeof(v->next_step),
	    "Check the %s application's logs and limits at that time; if the reset's origin is in "
	    "doubt, capture on the %s itself.", dir_name(c->rst_dir), dir_name(c->rst_dir));
}

static void v_not_seen(const struct conn *c, struct verdict *v)
{
	v->code = "tcp.not_seen";
	v->ok = 1;
	put(v->summary, sizeof(v->summary),
	    "handshake not in the capture: the connection was already open when it began");
	put(v->explanation, sizeof(v->explanation),
	    "The first packet of this connection at this capture point (%s) was not a SYN or "
	    "SYN-ACK, so the handshake happened before the capture started (or on another path). "
	    "Client and server were told apart by %s. The client sent %llu and the server %llu "
	    "bytes of payload here.", verdict_capture_point(c),
	    c->role_guess == ROLE_PORT ? "their port numbers (a guess)" : "the SYN-ACK",
	    (unsigned long long)c->ep[DIR_CLIENT].payload, (unsigned long long)c->ep[DIR_SERVER].payload);
	put(v->next_step, sizeof(v->next_step),
	    "Start the capture before the client connects to see the handshake.");
}

const char *verdict_reported_because(const struct conn *c)
{
	static const char *const names[] = { "closed", "idle", "table_full", "end_of_capture", "port_reused" };
	return c->reported_because < 5 ? names[c->reported_because] : "end_of_capture";
}

/* A reset sooner than the round trip to its sender allows: a hint of a device on the way. */
static void reset_timing_hint(const struct conn *c, struct verdict *v)
{
	int64_t rtt = c->syn_seen && c->synack_seen ? c->synack_first_ts - c->syn_ts[0] : 0;
	int64_t delay = c->rst_ts - c->before_rst.ts;

	if (!c->rst_seen || c->rst_dir != DIR_SERVER || rtt < 2000000 || c->before_rst.frame == 0 ||
	    c->before_rst.dir != DIR_CLIENT || delay * 2 >= rtt)
		return;
	put(v->explanation, sizeof(v->explanation),
	    " The reset came %.3f ms after the client's packet, less than half the %.3f ms round "
	    "trip to the server measured on the handshake: a hint, not proof, that a device "
	    "between here and the server sent it.", ms(delay), ms(rtt));
}

void verdict_tcp(const struct conn *c, int64_t capture_end, struct verdict *v)
{
	memset(v, 0, sizeof(*v));
	v->layer = "tcp";
	if (c->hs_ack_seen) {
		if (c->rst_seen && c->ep[DIR_SERVER].payload == 0 && c->rst_ts >= c->hs_ack_ts)
			v_reset_after(c, v);
		else
			v_completed(c, v);
	} else if (c->synack_seen && c->syn_seen &&
		   c->synack_ack != c->ep[DIR_CLIENT].isn + 1) {
		v_bad_synack(c, v);
	} else if (c->synack_seen) {
		v_synack_not_acked(c, v);
	} else if (c->syn_seen && c->rst_seen && c->rst_dir == DIR_SERVER) {
		v_refused(c, v);
	} else if (c->syn_seen && c->icmp.set) {
		v_icmp(c, v);
	} else if (c->syn_seen) {
		v_no_answer(c, capture_end, v);
	} else {
		v_not_seen(c, v);
	}
	reset_timing_hint(c, v);
	if (c->reported_because == FLOW_EVICTED)
		put(v->explanation, sizeof(v->explanation),
		    " The connection table was full (--max-flows), so this connection was reported "
		    "before it ended; later packets of it, if any, show up as another connection.");
}
