/* prose_tcp.c: the words of the tcp.* verdicts, written from their facts. */
#include "prose.h"
#include "vtext.h"

/* One string or the other. */
static void pick(struct line *l, int cond, const char *a, const char *b)
{
	ln_str(l, cond ? a : b);
}

/* The usual starting TTL at or above ttl, to count hops. */
static int hops(uint8_t ttl)
{
	int start = ttl <= 32 ? 32 : ttl <= 64 ? 64 : ttl <= 128 ? 128 : 255;
	return start - ttl;
}

static void capture_point(struct line *l, const struct verdict *v)
{
	ln_str(l, prose_capture_point(v));
}

/* Taken at the server's side (or on one host with both ends): what arrived, arrived there. */
static int at_server(const struct verdict *v)
{
	return verdict_at_server(v->cp);
}

static int at_client(const struct verdict *v)
{
	return v->cp == VCP_CLIENT || v->cp == VCP_BOTH;
}

static void side(struct line *l, int dir)
{
	ln_str(l, verdict_side_name(dir));
}

/* "1003 ms, 2001 ms": the intervals between retransmitted SYNs. */
static void syn_intervals(const struct verdict *v, struct line *l)
{
	const struct verdict_tcp_facts *f = &v->tcp;
	uint32_t n = f->nsyn < CONN_MAX_SYN_TS ? f->nsyn : CONN_MAX_SYN_TS;
	for (uint32_t i = 1; i < n; i++) {
		if (i > 1)
			ln_lit(l, ", ");
		vt_ms0(l, f->syn_ts[i] - f->syn_ts[i - 1]);
		ln_lit(l, " ms");
	}
}

static void v_completed(const struct verdict *v, struct vtexts *t)
{
	const struct verdict_tcp_facts *f = &v->tcp;
	if (f->syn_seen) {
		ln_lit(&t->sum, "handshake completed: SYN to SYN-ACK ");
		vt_ms3(&t->sum, f->synack_first_ts - f->syn_ts[0]);
		ln_lit(&t->sum, " ms, SYN-ACK to ACK ");
	} else {
		ln_lit(&t->sum, "handshake completed (its SYN is not in the capture): SYN-ACK to ACK ");
	}
	vt_ms3(&t->sum, f->hs_ack_ts - f->synack_first_ts);
	ln_lit(&t->sum, " ms");

	ln_lit(&t->why, "This capture point (");
	capture_point(&t->why, v);
	ln_lit(&t->why, ") saw ");
	if (f->syn_seen)
		ln_lit(&t->why, "SYN, ");
	ln_lit(&t->why, "SYN-ACK and the final ACK: the three-way handshake completed here. The "
			"SYN to SYN-ACK time is the round trip from this point to the server and back; "
			"SYN-ACK to ACK is the round trip to the client and back. The client then sent ");
	ln_u64(&t->why, f->payload[DIR_CLIENT]);
	ln_lit(&t->why, " and the server ");
	ln_u64(&t->why, f->payload[DIR_SERVER]);
	ln_lit(&t->why, " bytes of payload. ");
	if (f->rst_seen) {
		ln_lit(&t->why, "It ended with a reset from the ");
		side(&t->why, f->rst_dir);
		ln_lit(&t->why, " after data had been exchanged, which many applications do on purpose.");
	} else if (f->fin_first) {
		pick(&t->why, f->fin_first == 1, "The client closed first (FIN).",
	     "The server closed first (FIN).");
	} else {
		pick(&t->why, f->evicted,
		     "No close was seen before it was reported.",
		     "No close was seen before the capture ended.");
	}
	ln_lit(&t->next, "TCP is healthy at this point; if the application still fails, look above "
			 "TCP (TLS, the application protocol, its timeouts).");
}

static void v_no_answer(const struct verdict *v, struct vtexts *t)
{
	const struct verdict_tcp_facts *f = &v->tcp;
	int64_t last = f->syn_ts[(f->nsyn < CONN_MAX_SYN_TS ? f->nsyn : CONN_MAX_SYN_TS) - 1];

	ln_lit(&t->sum, "no answer: ");
	ln_u64(&t->sum, f->nsyn);
	ln_lit(&t->sum, " SYN");
	vt_plural(&t->sum, f->nsyn);
	ln_lit(&t->sum, " over ");
	vt_sec3(&t->sum, last - f->syn_ts[0]);
	ln_lit(&t->sum, " s");
	if (f->nsyn > 1) {
		ln_lit(&t->sum, " (retries after ");
		syn_intervals(v, &t->sum);
		ln_chr(&t->sum, ')');
	}
	ln_lit(&t->sum, ", nothing came back");

	ln_lit(&t->why, "At this capture point (");
	capture_point(&t->why, v);
	pick(&t->why, f->nsyn == 1, ") the client sent one SYN",
	     ") the client sent repeated SYNs");
	ln_lit(&t->why, " with the same initial sequence number and received no SYN-ACK, no reset "
			"and no ICMP error. That proves the SYNs passed this point; it cannot tell "
			"whether they were dropped on the way, dropped by a filter in front of the "
			"server, or answered with replies lost on the way back. ");
	if (f->nsyn == 1 && f->capture_end - last < 1000000000) {
		ln_lit(&t->why, "Only one SYN was seen and the capture ends ");
		vt_ms0(&t->why, f->capture_end - last);
		ln_lit(&t->why, " ms after it: it may have stopped before a retry or an answer could "
				"be captured. ");
	}
	if (at_server(v)) {
		ln_lit(&t->why, "This capture was taken at the server's side: the SYNs did arrive, and "
				"the host did not answer them: its firewall dropped them (a host firewall "
				"acts after the capture tap), its accept queue was full, or it has no route "
				"back to the client.");
		ln_lit(&t->next, "Check the server host: its firewall rules for this port (nft list "
				 "ruleset, iptables -S: a DROP), whether the service listens and its "
				 "backlog (ss -ltn), and its route back to the client (ip route get).");
		return;
	}
	ln_lit(&t->why, "If this capture was taken on the server itself, the SYNs did arrive and "
			"the host did not answer: a host firewall (it acts after the capture tap), a "
			"full accept queue, or no route back.");
	ln_lit(&t->next, "Capture at the server side (or beyond the firewall) during the same "
			 "attempt: SYNs arriving there point at the return path or the server's own "
			 "firewall; SYNs missing there point at filtering or routing in between "
			 "(security groups, ACLs, DROP rules).");
}

static void v_refused(const struct verdict *v, struct vtexts *t)
{
	const struct verdict_tcp_facts *f = &v->tcp;
	int64_t after = f->rst_ts - (f->nsyn ? f->syn_ts[0] : f->first_ts);
	int n = hops(f->rst_ttl);

	pick(&t->sum, (f->rst_flags & TCP_ACK), "refused: RST-ACK from the server side ",
	     "refused: RST from the server side ");
	vt_ms3(&t->sum, after);
	ln_lit(&t->sum, " ms after the SYN");

	ln_lit(&t->why, "Something at the server's address answered the SYN with a reset. Its TTL is ");
	ln_u64(&t->why, f->rst_ttl);
	if (n == 0) {
		ln_lit(&t->why, ": it crossed no router on its way to this capture point (");
		capture_point(&t->why, v);
		ln_lit(&t->why, "), so it came from this link: the server itself if it is here, else a "
				"router or firewall in front of it. ");
	} else {
		ln_lit(&t->why, ": it crossed about ");
		ln_u64(&t->why, (uint64_t)n);
		ln_lit(&t->why, " router");
		vt_plural(&t->why, (uint64_t)n);
		ln_lit(&t->why, " on its way to this capture point (");
		capture_point(&t->why, v);
		ln_lit(&t->why, "). ");
	}
	ln_lit(&t->why, "Usual causes: nothing listens on port ");
	ln_u64(&t->why, f->server_port);
	ln_lit(&t->why, ", a firewall rule that rejects with a TCP reset, or a load balancer with no "
			"healthy target. A middlebox can send the reset on the server's behalf; one "
			"capture point cannot prove which device did.");
	ln_lit(&t->next, "Check that the service listens on port ");
	ln_u64(&t->next, f->server_port);
	if (at_server(v) && n == 0) {
		/* the server's own host answered: nothing between to suspect */
		ln_lit(&t->next, " (ss -ltn on the server) and the server host's firewall for a rule "
				 "that rejects with a reset (nft list ruleset, iptables -S).");
		return;
	}
	ln_lit(&t->next, " (ss -ltn on the server) and for firewall or load-balancer rules that "
			 "reject; a capture on the server shows whether the reset came from the server "
			 "itself.");
}

static void v_icmp(const struct verdict *v, struct vtexts *t)
{
	const struct verdict_tcp_facts *f = &v->tcp;
	const struct icmp_note *ic = &f->icmp;

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
	vt_ms3(&t->sum, ic->ts - (f->nsyn ? f->syn_ts[0] : f->first_ts));
	ln_lit(&t->sum, " ms after the SYN");

	ln_lit(&t->why, "An ICMP error quoting the client's SYN came back to this capture point (");
	capture_point(&t->why, v);
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
	if (ic->from_dest && at_server(v)) {
		ln_lit(&t->next, "The server's own host refused the connection: check its firewall "
				 "for a reject rule on this port (nft list ruleset, iptables -S); the path "
				 "is not in question.");
		return;
	}
	if (ic->from_dest) {
		ln_lit(&t->next, "The error came from the server's own address: check the server "
				 "host's firewall (nft list ruleset, iptables -S) for a reject rule on this "
				 "port, or a firewall that answers in its name; a capture at the server "
				 "shows whether the SYN reached it.");
		return;
	}
	ln_lit(&t->next, "Look at the routing and filter rules of the device that sent the ICMP "
			 "error; a traceroute to the server port shows where the path stops.");
}

static void v_synack_not_acked(const struct verdict *v, struct vtexts *t)
{
	const struct verdict_tcp_facts *f = &v->tcp;
	ln_lit(&t->sum, "SYN-ACK sent ");
	ln_u64(&t->sum, f->nsynack);
	pick(&t->sum, f->nsynack == 1, " time over ", " times over ");
	vt_sec3(&t->sum, f->synack_last_ts - f->synack_first_ts);
	ln_lit(&t->sum, " s, never acknowledged");

	ln_lit(&t->why, "This capture point (");
	capture_point(&t->why, v);
	ln_lit(&t->why, ") saw ");
	if (f->syn_seen)
		ln_lit(&t->why, "the SYN arrive and ");
	ln_lit(&t->why, "the server answer with a SYN-ACK");
	if (f->nsynack > 1)
		ln_lit(&t->why, ", retransmitted");
	if (at_client(v)) {
		ln_lit(&t->why, ", but the final ACK never came. This capture was taken at the "
				"client's side, so the SYN-ACK did arrive: the client's host did not "
				"answer it (its firewall, which acts after the capture tap, or a client "
				"that gave up).");
		ln_lit(&t->next, "Check the client host's firewall for rules that drop incoming "
				 "packets from the server (a stateful rule that never saw the SYN leave, "
				 "reverse-path filtering), and the client's own logs.");
		return;
	}
	ln_lit(&t->why, ", but the final ACK never came back. Typical of a capture at the server "
			"when the path back to the client differs or is filtered: the SYN-ACK is lost "
			"on its way to the client, or the client's ACK on its way back. A stateful "
			"firewall that saw only one direction drops such packets.");
	ln_lit(&t->next, "Capture at the client during the same attempt: if no SYN-ACK arrives "
			 "there, follow the return path (asymmetric routing, reverse-path filtering, NAT).");
}

static void v_bad_synack(const struct verdict *v, struct vtexts *t)
{
	const struct verdict_tcp_facts *f = &v->tcp;
	ln_lit(&t->sum, "bad SYN-ACK: it acknowledges ");
	ln_u64(&t->sum, f->synack_ack);
	ln_lit(&t->sum, ", not the client's ISN+1 (");
	ln_u64(&t->sum, (uint32_t)(f->client_isn + 1));
	ln_chr(&t->sum, ')');
	if (f->rst_seen && f->rst_dir == DIR_CLIENT)
		ln_lit(&t->sum, "; the client answered with a reset");
	ln_lit(&t->why, "The SYN-ACK that came back does not belong to the client's SYN: its "
			"acknowledgment number is wrong. This happens with stale state (an old "
			"connection on the same ports at the server or a NAT), a middlebox rewriting "
			"sequence numbers, or port reuse. The client rejects such a SYN-ACK with a reset.");
	ln_lit(&t->next, "Look for NAT or load-balancer state on the path and for port reuse by "
			 "the client; capture at the server to see which SYN it answered.");
}

/* "0.052 ms after frame 4, the client's data (517 bytes)" */
static void describe_before_rst(const struct verdict *v, struct line *l)
{
	const struct verdict_tcp_facts *f = &v->tcp;
	const struct pkt_note *b = &f->before_rst;
	if (b->frame == 0) {
		ln_lit(l, "as the first packet");
		return;
	}
	vt_ms3(l, f->rst_ts - b->ts);
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

static void v_reset_after(const struct verdict *v, struct vtexts *t)
{
	const struct verdict_tcp_facts *f = &v->tcp;
	int injected = verdict_rst_injected(f);

	ln_str(&t->sum, injected ? "a reset from the " : "reset by the ");
	side(&t->sum, f->rst_dir);
	ln_str(&t->sum, injected ? "'s address after the handshake, " : " after the handshake, ");
	describe_before_rst(v, &t->sum);
	if (injected) {
		ln_lit(&t->sum, ": most likely injected by a device between (");
		prose_rst_odd(f, &t->sum);
		ln_chr(&t->sum, ')');
	}

	ln_lit(&t->why, "The handshake completed at this capture point (");
	capture_point(&t->why, v);
	if (injected) {
		ln_lit(&t->why, "), then a reset from the ");
		side(&t->why, f->rst_dir);
		ln_lit(&t->why, "'s address ended the connection before the server had sent any data. ");
		prose_rst_injected(f, t);
		return;
	}
	ln_lit(&t->why, "), then the ");
	side(&t->why, f->rst_dir);
	ln_lit(&t->why, " reset the connection before the server had sent any data. ");
	ln_lit(&t->why, "A server that resets right after accepting usually rejects the client "
			"(address, connection limit, a proxy with no backend), or its application "
			"crashed or closed the socket with unread data.");
	ln_lit(&t->next, "Check the ");
	side(&t->next, f->rst_dir);
	ln_lit(&t->next, " application's logs and limits at that time; if the reset's origin is in "
			 "doubt, capture on the ");
	side(&t->next, f->rst_dir);
	ln_lit(&t->next, " itself.");
}

static void v_not_seen(const struct verdict *v, struct vtexts *t)
{
	const struct verdict_tcp_facts *f = &v->tcp;
	ln_lit(&t->sum, "handshake not in the capture: the connection was already open when it began");
	ln_lit(&t->why, "The first packet of this connection at this capture point (");
	capture_point(&t->why, v);
	ln_lit(&t->why, ") was not a SYN or SYN-ACK, so the handshake happened before the capture "
			"started (or on another path). Client and server were told apart by ");
	pick(&t->why, f->role_port, "their port numbers (a guess)",
	     "the SYN-ACK");
	ln_lit(&t->why, ". The client sent ");
	ln_u64(&t->why, f->payload[DIR_CLIENT]);
	ln_lit(&t->why, " and the server ");
	ln_u64(&t->why, f->payload[DIR_SERVER]);
	ln_lit(&t->why, " bytes of payload here.");
	ln_lit(&t->next, "Start the capture before the client connects to see the handshake.");
}

/* A reset sooner than the round trip to its sender allows: a hint of a device on the way. */
static void reset_timing_hint(const struct verdict_tcp_facts *f, struct line *why)
{
	if (!f->rst_early)
		return;
	ln_lit(why, " The reset came ");
	vt_ms3(why, f->rst_early_delay);
	ln_lit(why, " ms after the client's packet, less than half the ");
	vt_ms3(why, f->rst_early_rtt);
	ln_lit(why, " ms round trip to the server measured on the handshake: a hint, not proof, "
		    "that a device between here and the server sent it.");
}

void prose_tcp(const struct verdict *v, struct vtexts *t)
{
	static void (*const write[])(const struct verdict *, struct vtexts *) = {
		[VK_TCP_COMPLETED] = v_completed,
		[VK_TCP_NO_ANSWER] = v_no_answer,
		[VK_TCP_REFUSED] = v_refused,
		[VK_TCP_ICMP] = v_icmp,
		[VK_TCP_SYNACK_NOT_ACKED] = v_synack_not_acked,
		[VK_TCP_BAD_SYNACK] = v_bad_synack,
		[VK_TCP_RESET_AFTER] = v_reset_after,
		[VK_TCP_NOT_SEEN] = v_not_seen,
	};

	write[v->kind](v, t);
	if (!(v->kind == VK_TCP_RESET_AFTER && verdict_rst_injected(&v->tcp)))
		reset_timing_hint(&v->tcp, &t->why);
}
