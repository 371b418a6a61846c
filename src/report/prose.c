/* prose.c: a verdict's words: the code's own texts, then what is added to any of them. */
#include <string.h>

#include "prose.h"
#include "vtext.h"

const char *prose_capture_point(const struct verdict *v)
{
	static const char *const judged[] = {
		[VCP_PATH] = "somewhere on the path, judging by TTLs",
		[VCP_SERVER] = "at or next to the server, judging by TTLs",
		[VCP_CLIENT] = "at or next to the client, judging by TTLs",
		[VCP_BOTH] = "on the same host or link as both ends, judging by TTLs",
	};
	static const char *const given[] = {
		[VCP_PATH] = "between client and server, as --capture-point says",
		[VCP_SERVER] = "at the server, as --capture-point says",
		[VCP_CLIENT] = "at the client, as --capture-point says",
		[VCP_BOTH] = "on the same host as both ends",
	};
	return v->cp_given ? given[v->cp] : judged[v->cp];
}

void prose_rst_odd(const struct verdict_tcp_facts *f, struct line *l)
{
	if (f->rst_ttl_odd) {
		ln_lit(l, "its TTL is ");
		ln_u64(l, f->rst_ttl);
		ln_lit(l, " where the ");
		ln_str(l, verdict_side_name(f->rst_dir));
		ln_lit(l, "'s packets have ");
		ln_u64(l, f->rst_prev_ttl);
	} else {
		ln_lit(l, "it came ");
		vt_ms3(l, f->rst_early_delay);
		ln_lit(l, " ms after the client's packet, under half the ");
		vt_ms3(l, f->rst_early_rtt);
		ln_lit(l, " ms round trip to the server");
	}
}

void prose_rst_injected(const struct verdict_tcp_facts *f, struct vtexts *t)
{
	ln_lit(&t->why, "The reset bore the ");
	ln_str(&t->why, verdict_side_name(f->rst_dir));
	ln_lit(&t->why, "'s address, but ");
	prose_rst_odd(f, &t->why);
	ln_str(&t->why, f->rst_ttl_odd ? ": a packet from the same host over the same path keeps its "
					   "TTL, so another device sent it, most likely one between (a "
					   "firewall, an IPS, a proxy or a filter that resets connections it "
					   "blocks, on both ends' behalf). "
					 : ": the server could not have answered that fast, so a device "
					   "between (a firewall, an IPS, a proxy) most likely sent it. ");
	ln_lit(&t->next, "Look at the devices between client and server (firewalls, IPS/IDS, TLS or "
			 "SNI filtering proxies) and their block logs or reset counters for this "
			 "connection; a capture at the server shows whether it ever sent a reset.");
}

/* The hint that a plaintext client met a silent TLS server. */
static void plain_hint(const struct verdict_plain_hint *h, struct line *why)
{
	ln_lit(why, " The client's first bytes were plaintext (\"");
	ln_escaped(why, (const uint8_t *)h->first_line, h->first_line_len);
	ln_lit(why, "\") and the server closed first (");
	ln_str(why, h->how);
	ln_lit(why, ") without answering a byte: what a TLS server does with plaintext (OpenSSL "
		    "closes silently). If this port speaks TLS, the client must use TLS (https://).");
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

/* A connection not followed to its end says so in each text; its next step comes first. */
static void cut_short(int cut, struct verdict_text *v)
{
	const char *sum, *why, *next;
	char rest[sizeof(v->next_step)];
	size_t n;

	if (cut == VCUT_OOM) {
		sum = " (incomplete: out of memory)";
		why = " Some of this connection's packets or bytes were not analyzed: synack ran out "
		      "of memory.";
		next = "Analyze the capture again with more memory free.";
	} else if (cut == VCUT_TABLE_FULL) {
		sum = " (reported early: the connection table was full)";
		why = " The connection table was full (--max-flows), so this connection was reported "
		      "before it ended: the verdict rests on its packets up to then. Its later packets "
		      "were counted (after_eviction_packets in the summary), not analyzed.";
		next = "Analyze the capture again with a larger --max-flows to follow this connection "
		       "to its end.";
	} else {
		sum = " (reported early: the memory limit was reached)";
		why = " The analysis reached its memory limit (--memory-limit) and let go of this "
		      "connection (the largest go first, then the oldest) before it ended: the verdict "
		      "rests on its packets up to then. Its later packets were counted "
		      "(after_eviction_packets in the summary), not analyzed.";
		next = "Analyze the capture again with a larger --memory-limit to follow this "
		       "connection to its end.";
	}
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

/* What an IP datagram's first fragment began (enum verdict_frag_what). */
static const char *const frag_what_words[] = {
	[VFW_UNKNOWN] = NULL,
	[VFW_TLS_RECORD] = "a TLS record",
	[VFW_CLIENT_HELLO] = "ClientHello",
	[VFW_SERVER_HELLO] = "ServerHello",
};

/* The first IP datagram never whole, in words: "the client's ClientHello", "an IP datagram the server sent". */
static void frag_lost_words(const struct verdict_frag_facts *f, struct line *l)
{
	const char *side = verdict_side_name(f->dir);

	if (f->what == VFW_CLIENT_HELLO || f->what == VFW_SERVER_HELLO) {
		ln_lit(l, "A fragment of the ");
		ln_str(l, side);
		ln_lit(l, "'s ");
		ln_str(l, frag_what_words[f->what]);
		ln_lit(l, " never arrived at this capture point: the IP datagram carrying it");
	} else {
		ln_lit(l, "A fragment of an IP datagram the ");
		ln_str(l, side);
		ln_lit(l, " sent");
		if (f->what == VFW_TLS_RECORD)
			ln_lit(l, " (it began a TLS record)");
		ln_lit(l, " never arrived at this capture point: the datagram");
	}
	if (f->offset_known) {
		ln_lit(l, ", from byte ");
		ln_u64(l, f->offset);
		ln_lit(l, " of the ");
		ln_str(l, side);
		ln_lit(l, "'s stream,");
	}
	ln_lit(l, " was never whole, so its bytes were not analyzed");
	if (f->never_whole == 3) {
		ln_lit(l, "; a datagram the ");
		ln_str(l, verdict_side_name(!f->dir));
		ln_lit(l, " sent was never whole either");
	}
	ln_lit(l, ". ");
}

/*
 * IP datagrams never whole, or made whole from differing overlaps (v->frag):
 * said in each text, after what the rest of the packets prove.
 */
static void frag_words(const struct verdict *v, struct verdict_text *out)
{
	const struct verdict_frag_facts *f = &v->frag;
	char buf[sizeof(out->explanation)];
	struct line l;

	if (f->never_whole == 0 && f->differ == 0)
		return;
	add_text(out->summary, &out->summary_len, sizeof(out->summary),
		 f->never_whole != 0 ? " (an IP datagram never whole here)"
				     : " (an IP datagram whole only from overlapping fragments that differ)");
	ln_init(&l, buf, sizeof(buf) - 1);
	ln_chr(&l, ' ');
	if (f->never_whole != 0)
		frag_lost_words(f, &l);
	if (f->differ != 0) {
		ln_lit(&l, "An IP datagram the ");
		ln_str(&l, f->differ == 3 ? "client and one the server" : verdict_side_name(f->differ == 2));
		ln_lit(&l, " sent was made whole from fragments that carried some bytes twice, with "
			   "different bytes: synack analyzed the first copy (as Linux keeps it), the "
			   "receiver may have taken the other. Overlapping fragments that disagree are a "
			   "known way to slip past inspection.");
	}
	while (l.len > 0 && buf[l.len - 1] == ' ')
		l.len--;
	vt_finish(&l);
	add_text(out->explanation, &out->explanation_len, sizeof(out->explanation), buf);
	/* the first thing to do: find where the fragments went; then what the verdict said */
	char rest[sizeof(out->next_step)];
	size_t n = out->next_step_len;
	memcpy(rest, out->next_step, n);
	out->next_step_len = 0;
	add_text(out->next_step, &out->next_step_len, sizeof(out->next_step),
		 f->never_whole != 0
		 ? "Find where IP fragments are lost between the two ends (a firewall, NAT or "
		   "load balancer that drops fragments, a tunnel with a smaller MTU): a capture "
		   "nearer the sender shows whether every fragment left it; a sender that does not "
		   "fragment (path MTU discovery, a smaller MSS) avoids the loss."
		 : "Find which device sent the overlapping fragments (a capture nearer the "
		   "sender shows whether it did): no normal sender sends them.");
	if (n != 0) {
		ln_init(&l, out->next_step, sizeof(out->next_step) - 1);
		l.len = out->next_step_len;
		ln_lit(&l, " Then: ");
		ln_mem(&l, rest, n);
		out->next_step_len = vt_finish(&l);
	}
}

/* A tls.* verdict's words, from its facts, then the capture point. */
static void tls_words(const struct verdict *v, struct vtexts *t)
{
	prose_tls(v, t);
	/* every tls.* explanation ends naming the capture point */
	while (t->why.len > 0 && t->why.buf[t->why.len - 1] == ' ')
		t->why.len--;
	ln_lit(&t->why, " Capture point: ");
	ln_str(&t->why, prose_capture_point(v));
	ln_chr(&t->why, '.');
}

void verdict_words(const struct verdict *v, struct verdict_text *out)
{
	struct vtexts t;

	ln_init(&t.sum, out->summary, sizeof(out->summary) - 1);
	ln_init(&t.why, out->explanation, sizeof(out->explanation) - 1);
	ln_init(&t.next, out->next_step, sizeof(out->next_step) - 1);
	if (v->kind >= VK_TLS_FIRST) {
		tls_words(v, &t);
		out->summary_len = vt_finish(&t.sum);
		out->explanation_len = vt_finish(&t.why);
		out->next_step_len = vt_finish(&t.next);
		if (v->cut != VCUT_NONE)
			cut_short(v->cut, out);
		frag_words(v, out);
		return;
	}
	prose_tcp(v, &t);
	out->summary_len = vt_finish(&t.sum);
	out->explanation_len = vt_finish(&t.why);
	out->next_step_len = vt_finish(&t.next);
	if (v->hint.first_line != NULL) {
		/* (appended to a finished text, as the other additions: it may be cut there) */
		ln_init(&t.why, out->explanation, sizeof(out->explanation) - 1);
		t.why.len = out->explanation_len;
		plain_hint(&v->hint, &t.why);
		out->explanation_len = vt_finish(&t.why);
	}
	if (v->cut != VCUT_NONE)
		cut_short(v->cut, out);
	frag_words(v, out);
}
