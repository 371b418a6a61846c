/* analysis.c: decode, flow table, connection facts, evidence lines, verdicts, reports. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "analysis.h"
#include "bounds.h"
#include "flow.h"
#include "frag.h"
#include "json.h"
#include "keylog.h"
#include "print.h"
#include "sink.h"
#include "udp.h"
#include "tls.h"

/* Room for the evidence lines of one connection: each tcpdump line is under 8 KiB. */
#define ANALYSIS_LINES_ROOM ((size_t)CONN_EVIDENCE_VERBOSE * 8192)

/* Packets whose link payload or tunnel was not followed, by reason and value (p->undec). */
#define ANALYSIS_UNDEC 8
struct undec_count {
	uint8_t undec;
	uint16_t value;
	uint64_t n;
};

struct analysis {
	struct analysis_opts o;
	FILE *out;
	struct flow_table *flows;
	struct printer *pr;        /* evidence lines, with per-connection bases */
	struct printer *pr_all;    /* --packets, with tcpdump's table */
	struct report_stats stats;
	struct sink *sinks;        /* where concluded connections go: counts, then text or NDJSON */
	struct report_evidence ev; /* the evidence of the connection being reported... */
	const struct conn *ev_conn;   /* ...which is this one */
	const struct packet *ev_syn;  /* ...or, for a small one, its SYN as unpacked */
	char *lines;               /* ... their text: ANALYSIS_LINES_ROOM bytes */
	uint8_t *frame;            /* a kept packet's frame remade: PRINT_MAX_SNAPLEN bytes, zero past it */
	struct packet rq;          /* ...decoded there (reused, as a capture reuses its packet) */
	int64_t now;               /* capture time of the latest packet, ns */
	int linktype;              /* of the packets (one per capture) */
	struct conn *scratch;      /* a small connection made whole for its report */
	struct verdict_memo *memo; /* servers that answered in TLS (NULL: out of memory) */
	uint64_t kinds[L4_OTHER + 1];  /* packets by what decoding reached (enum l4_kind) */
	uint64_t arp;              /* of the L4_NONE ones: ARP */
	struct undec_count undec[ANALYSIS_UNDEC];  /* what was not decoded, by reason (decode.h), first seen first */
	uint64_t undec_other;      /* ... of reasons past those */
	int discard;               /* nobody reads the reports any more: let connections go unwritten */
	struct frag_table *frags;  /* IP fragments held until their datagram is whole */
	int64_t frag_due;          /* capture time at which one of them times out */
	const struct frag_dgram *whole_dg;  /* the datagram the packet under way was reassembled from... */
	uint64_t whole_frame;      /* ...and its frame (that of its last fragment) */
	int64_t keys_at;           /* capture time the live key log was last re-read */
	uint32_t keys_packets;     /* packets since */
	struct stat keys_st;       /* the key log file as it was then (st_ino 0: not known) */
};

static void evidence(struct analysis *a, struct conn *c, const struct packet *p);
static void render_evidence(void *arg, struct report_lines *ev);
static void frag_dropped(void *arg, struct frag_table *t, const struct frag_dgram *d, enum frag_drop why);

/* A small connection's SYN, now that c (whole) holds what was kept of it: its facts and line. */
static void unpack(struct analysis *a, struct conn *c)
{
	uint8_t raw[CONN_SMALL_RAW];
	struct packet q;

	conn_unpack(c, a->linktype, raw, &q);
	evidence(a, c, &q);
}

static void emit(void *arg, struct flow *f, int reason)
{
	struct analysis *a = arg;
	struct conn *c = conn_of(f);
	struct verdict v;
	struct conn_view cv;
	uint8_t syn_raw[CONN_SMALL_RAW];
	struct packet syn;

	(void)reason;
	if (f->proto != FLOW_TCP)
		return;              /* nothing is reported of UDP flows yet (udp.h) */
	/* the reader went away (| head): nothing is worth formatting any more */
	if (a->discard || ferror(a->out)) {
		a->discard = 1;
		return;
	}
	a->ev_syn = NULL;
	if (c->f.small) {
		/*
		 * Reported as it is, a first SYN and nothing else: made whole in the
		 * scratch, and its one line made from the SYN as unpacked (keeping it
		 * as evidence would copy it only to decode it again).
		 */
		memcpy(a->scratch, c, CONN_SMALL_BYTES(c->small_syn.caplen));
		conn_unpack(a->scratch, a->linktype, syn_raw, &syn);
		a->ev_syn = &syn;
		c = a->scratch;
	}
	conn_prefetch_report(c);
	if (!verdict_tls(c, a->now, &v)) {
		verdict_tcp(c, a->now, &v);
		verdict_tls_hint(c, &v);
		verdict_no_client_hello(c, a->memo, &v);
	}
	verdict_cut_short(c, &v);
	if (a->o.capture_point >= 0)
		verdict_set_point(&v, a->o.capture_point, 1);
	/* (field by field: the lines are many and written when rendered) */
	a->ev.render = render_evidence;
	a->ev.arg = a;
	a->ev.rendered = 0;
	a->ev_conn = c;
	conn_view_make(c, &cv);
	sink_conn(a->sinks, &cv, &v, &a->ev);
	a->ev_syn = NULL;
	verdict_memo_note(a->memo, c);
	if (c == a->scratch)
		conn_release(c);
}

/* The application protocols TCP payload is offered to (conn_app.h), in order of preference. */
static const struct app_proto *const app_protos[] = { &tls_app };

int analysis_capture_point(const char *name)
{
	if (strcmp(name, "client") == 0)
		return VCP_CLIENT;
	if (strcmp(name, "server") == 0)
		return VCP_SERVER;
	if (strcmp(name, "middle") == 0)
		return VCP_PATH;
	return -2;
}

struct analysis *analysis_new(const struct analysis_opts *o, FILE *out)
{
	struct analysis *a = calloc(1, sizeof(*a));
	unsigned flags = (o->absolute_seq ? PRINT_ABSOLUTE_SEQ : 0) | o->print_flags;

	if (a == NULL)
		return NULL;
	a->o = *o;
	a->out = out;
	memset(&bounds, 0, sizeof(bounds));      /* the tally is this analysis's */
	conn_app_register(app_protos, sizeof(app_protos) / sizeof(app_protos[0]));
	a->pr = printer_new(flags);
	a->pr_all = printer_new(flags);
	if (a->pr != NULL && a->pr_all != NULL) {
		printer_set_time(a->pr, (enum print_time)o->tmode);
		printer_set_time(a->pr_all, (enum print_time)o->tmode);
	}
	a->flows = flow_new(o->max_flows, o->memory_limit, (int64_t)(o->idle * 1e9),
			    o->close_delay > 0 ? (int64_t)(o->close_delay * 1e9) : 1000000000, emit, a);
	if (a->flows != NULL) {
		flow_register(a->flows, FLOW_TCP, &conn_flow_ops);
		flow_register(a->flows, FLOW_UDP, &udp_flow_ops);
	}
	a->frags = frag_new(NULL, frag_dropped, a);
	a->frag_due = INT64_MAX;
	a->scratch = malloc(sizeof(*a->scratch));
	a->memo = verdict_memo_new();
	if (a->memo == NULL)
		bounds_alloc_failed();
	a->lines = malloc(ANALYSIS_LINES_ROOM);
	a->frame = calloc(1, PRINT_MAX_SNAPLEN);
	a->sinks = sink_counts_new(&a->stats);
	if (a->sinks != NULL)
		a->sinks->next = o->rep.json ? sink_ndjson_new(out, &o->rep, o->batch ? ANALYSIS_BATCH : 0, o->flush_each)
					     : sink_text_new(out, &o->rep, o->batch ? ANALYSIS_BATCH : 0, o->flush_each);
	/* (the TLS layer looks secrets up by ClientHello random as it needs them) */
	tls_use_keylog(o->keylog);
	/* set aside for finishing the reports and the summary should memory run out */
	bounds_reserve(ANALYSIS_RESERVE);
	if (a->pr == NULL || a->pr_all == NULL || a->flows == NULL || a->frags == NULL || a->scratch == NULL || a->lines == NULL || a->frame == NULL || a->sinks == NULL ||
	    a->sinks->next == NULL) {
		analysis_free(a);
		return NULL;
	}
	return a;
}

static void packet_line(struct analysis *a, const struct packet *p)
{
	char buf[8192];
	struct line l;
	struct packet outer;

	if (p->nencap != 0 || p->undec != 0) {
		/* tcpdump's line is of the outer layers, as `synack print` decodes them */
		outer = *p;
		decode_packet(&outer, a->linktype);
		p = &outer;
	}
	ln_init(&l, buf, sizeof(buf) - 1);
	printer_line(a->pr_all, p, &l);
	sink_packet(a->sinks, p->frame, buf, l.len);
}

/* The fragments of datagram d kept as evidence of c: their frames, as tcpdump prints them. */
static void evidence_fragments(struct analysis *a, struct conn *c, const struct frag_dgram *d)
{
	struct packet q;

	for (unsigned i = 0; i < frag_npieces(d); i++) {
		frag_piece(a->frags, d, i, &q, a->linktype);
		conn_keep_packet(c, &q, a->o.rep.verbose);
		print_seq_track(&q, &c->seqbase, &c->seqbase_set);
	}
}

/* p is evidence of c: kept as it is, its line made only when c is reported (render_evidence). */
static inline __attribute__((always_inline)) void evidence(struct analysis *a, struct conn *c, const struct packet *p)
{
	/* a reassembled datagram is no frame: its fragments are */
	if (a->whole_dg != NULL && p->frame == a->whole_frame && p->l4 != L4_ICMP && p->l4 != L4_ICMP6) {
		evidence_fragments(a, c, a->whole_dg);
		return;
	}
	conn_keep_packet(c, p, a->o.rep.verbose);
	print_seq_track(p, &c->seqbase, &c->seqbase_set);
}

/* c's kept packets as tcpdump lines, each with the relative-sequence base it had then. */
static void render_evidence(void *arg, struct report_lines *ev)
{
	struct analysis *a = arg;
	const struct conn *c = a->ev_conn;
	char *o = a->lines;
	size_t room = ANALYSIS_LINES_ROOM;

	ev->n = 0;
	ev->omitted = c->ev_dropped;
	printer_time_restart(a->pr);
	if (a->ev_syn != NULL) {
		/* a small connection's SYN: no relative sequence base before it */
		struct seq_val base = { 0 };
		uint8_t base_set = 0;
		struct line l;

		ln_init(&l, o, room < 8192 ? room : 8192);
		printer_line_base(a->pr, a->ev_syn, &base, &base_set, &l);
		ev->line[ev->n++] = (struct report_line){ a->ev_syn->frame, o, (uint32_t)l.len };
		return;
	}
	for (uint16_t i = 0; i < c->nev && ev->n < CONN_EVIDENCE_VERBOSE; i++) {
		const struct ev_packet *e = conn_evidence_packet(c, i);
		struct seq_val base = e->seqbase;
		uint8_t base_set = e->seqbase_set;
		struct packet *q = &a->rq;
		struct line l;

		q->frame = e->frame;
		q->ts_sec = e->ts_sec;
		q->ts_frac = e->ts_frac;
		q->ts_nano = e->nano;
		/* the frame as captured: its headers as kept, zeros for the payload it carried
		 * (the line says only how much of it was captured) */
		q->caplen = e->frame_caplen <= PRINT_MAX_SNAPLEN ? e->frame_caplen : PRINT_MAX_SNAPLEN;
		q->len = e->wire_len;
		q->data = a->frame;
		memcpy(a->frame, e->raw, e->caplen);
		decode_packet(q, a->linktype);
		ln_init(&l, o, room < 8192 ? room : 8192);
		printer_line_base(a->pr, q, &base, &base_set, &l);
		memset(a->frame, 0, e->caplen);
		ev->line[ev->n++] = (struct report_line){ e->frame, o, (uint32_t)l.len };
		o += l.len;
		room -= l.len;
	}
}

/*
 * Whether c is over and to be reported now. With --close-delay it is marked
 * ended instead, and waits whole on the linger list (flow.h), reported when
 * that long passes without a packet of it, as Zeek waits tcp_close_delay:
 * every packet until then is in its history; so does an attempt refused
 * before its handshake.
 */
static int report_now(const struct analysis *a, struct conn *c)
{
	if (!conn_done(c))
		return 0;
	if (a->o.close_delay <= 0)
		return 1;
	/* (a refused attempt too: Zeek writes the retries and the client's answer in it) */
	c->f.ended = 1;
	return 0;
}

/* c->small, and another packet of it came: made whole; NULL when out of memory. */
static struct conn *whole(struct analysis *a, struct conn *c)
{
	struct conn *w = conn_of(flow_promote(a->flows, &c->f));

	if (w == NULL) {
		bounds.oom_packets++;
		c->lost |= CONN_LOST_OOM;
		return NULL;
	}
	unpack(a, w);
	return w;
}

/* An ICMP error quoting a TCP or UDP packet of a flow we track. */
static void icmp_error(struct analysis *a, const struct packet *p)
{
	const struct icmp_info *ic = &p->u.icmp;
	struct flow *f;
	struct conn *c;

	if (!ic->is_error || (ic->quoted_proto != 6 && ic->quoted_proto != 17) || !ic->quoted_has_ports)
		return;
	f = flow_find(a->flows, ic->quoted_proto == 6 ? FLOW_TCP : FLOW_UDP, ic->quoted_version == 6, ic->quoted_src,
		      ic->quoted_sport, ic->quoted_dst, ic->quoted_dport);
	if (f == NULL)
		return;
	if (f->proto == FLOW_UDP) {
		udp_icmp(udp_of(f), p);
		flow_touch(a->flows, f);
		return;
	}
	c = conn_of(f);
	if (c->f.small && (c = whole(a, c)) == NULL)
		return;
	conn_icmp(c, p);
	evidence(a, c, p);
	if (report_now(a, c)) {
		flow_conclude(a->flows, &c->f);
	} else {
		flow_touch(a->flows, &c->f);
		flow_account(a->flows, &c->f);
	}
}

/* A UDP packet: its flow counts it (nothing is reported of UDP yet: udp.h). */
static void udp_datagram(struct analysis *a, const struct packet *p)
{
	int created;
	struct flow *f = flow_lookup(a->flows, p, 0, 0, &created);

	if (f == NULL)
		return;
	udp_packet(udp_of(f), p);
	flow_touch(a->flows, f);
	if (created)
		flow_account(a->flows, f);
}

/*
 * An ICMP or ICMPv6 packet the user's filter did not pass (source_opts.icmp_errors):
 * kept, as if the filter had passed it, when it is an error quoting a
 * connection the filter passed; else it was never read.
 */
static int kept_icmp(struct analysis *a, const struct packet *p)
{
	const struct icmp_info *ic = &p->u.icmp;

	return (p->l4 == L4_ICMP || p->l4 == L4_ICMP6) && ic->is_error &&
	       (ic->quoted_proto == 6 || ic->quoted_proto == 17) && ic->quoted_has_ports &&
	       flow_known(a->flows, ic->quoted_proto == 6 ? FLOW_TCP : FLOW_UDP, ic->quoted_version == 6,
			  ic->quoted_src, ic->quoted_sport, ic->quoted_dst, ic->quoted_dport);
}

/* p was not decoded all the way (p->undec): counted by reason, for analysis_kinds(). */
static void count_undec(struct analysis *a, const struct packet *p)
{
	for (size_t i = 0; i < ANALYSIS_UNDEC; i++) {
		struct undec_count *u = &a->undec[i];
		if (u->n == 0) {
			u->undec = p->undec;
			u->value = p->undec_value;
		}
		if (u->undec == p->undec && u->value == p->undec_value) {
			u->n++;
			return;
		}
	}
	a->undec_other++;
}

/*
 * A datagram given up incomplete (or overlapping, or over a bound): when its
 * first fragment names a TCP connection we follow, that connection carries
 * the fact that bytes it sent never became whole.
 */
static void frag_dropped(void *arg, struct frag_table *t, const struct frag_dgram *d, enum frag_drop why)
{
	struct analysis *a = arg;
	struct packet q;
	struct flow *f = NULL;
	struct conn_frag_lost note = { 0 };

	(void)why;
	for (unsigned i = 0; i < frag_npieces(d) && f == NULL; i++) {
		frag_piece(t, d, i, &q, a->linktype);
		if (q.l4 == L4_TCP && !q.ip.later_fragment && cur_len(&q.u.tcp.hdr) >= 20)
			f = flow_find(a->flows, FLOW_TCP, q.ip.version == 6, q.ip.src, q.u.tcp.sport, q.ip.dst,
				      q.u.tcp.dport);
	}
	if (f == NULL)
		return;
	/* what the first fragment says of the segment: its sequence number and first bytes */
	struct cursor pl = q.u.tcp.payload;
	note.seq = q.u.tcp.seq;
	while (note.head_len < sizeof(note.head) && cur_get_u8(&pl, &note.head[note.head_len]))
		note.head_len++;
	struct conn *c = conn_of(f);
	note.dir = (uint8_t)conn_dir_of(c, &q);
	if (c->f.small && (c = whole(a, c)) == NULL)
		return;
	/* (its fragments are not kept as evidence: they would come after later frames, and the
	 * evidence is in frame order; TODO: insert them in order) */
	if (!(c->lost & (CONN_LOST_FRAG | CONN_LOST_FRAG_SERVER)))
		c->frag_lost = note;
	c->lost |= CONN_LOST_SIDE(CONN_LOST_FRAG, note.dir);
}

static void frag_timeouts(struct analysis *a)
{
	frag_expire(a->frags, a->now);
	a->frag_due = frag_next_expiry(a->frags);
}

/* p, a fragment, to reassembly: the datagram it completed, p itself (not held), or NULL (held). */
static struct packet *reassemble(struct analysis *a, struct packet *p)
{
	struct packet *w = frag_add(a->frags, p, a->linktype);

	a->frag_due = frag_next_expiry(a->frags);
	if (w != NULL && w != p) {
		a->whole_dg = frag_last(a->frags);
		a->whole_frame = w->frame;
	}
	return w;
}

/*
 * A live key log: what was appended to it since the last time, before the
 * packets that need it. Unless forced, a stat first: the same file with the
 * same size and time has nothing new (that stat, taken before the read, is
 * what the next one is compared with, so a line written during the read is
 * not missed).
 */
static void keys_reread(struct analysis *a, int force)
{
	char err[KEYLOG_ERR_LEN];
	struct stat st;
	int have, ok;

	a->keys_at = a->now;
	a->keys_packets = 0;
	have = a->o.keylog_path != NULL && stat(a->o.keylog_path, &st) == 0 && S_ISREG(st.st_mode);
	if (!force && have && a->keys_st.st_ino != 0 && st.st_ino == a->keys_st.st_ino &&
	    st.st_dev == a->keys_st.st_dev && st.st_size == a->keys_st.st_size &&
	    st.st_mtim.tv_sec == a->keys_st.st_mtim.tv_sec && st.st_mtim.tv_nsec == a->keys_st.st_mtim.tv_nsec)
		return;
	ok = keylog_refresh(a->o.keylog, err);
	if (have && ok)
		a->keys_st = st;
	else
		a->keys_st.st_ino = 0;
	if (a->o.keylog_reread != NULL)
		a->o.keylog_reread(a->o.keylog, ok ? NULL : err);
}

static inline int keys_due(const struct analysis *a)
{
	return a->o.keylog_live && (a->keys_packets >= ANALYSIS_KEYLOG_PACKETS || a->now < a->keys_at ||
				    a->now - a->keys_at >= ANALYSIS_KEYLOG_NS);
}

void analysis_packet(struct analysis *a, struct packet *p, int linktype)
{
	struct conn *c;

	a->linktype = linktype;
	decode_packet_inner(p, linktype);
	if (p->icmp_extra && !(p->keep = (uint8_t)kept_icmp(a, p)))
		return;
	a->stats.packets++;
	a->kinds[p->l4]++;
	a->arp += p->l4 == L4_NONE && p->link.status == DEC_NOT_IP && p->link.ethertype == 0x0806;
	if (p->undec != 0)
		count_undec(a, p);
	if (a->o.packets)
		packet_line(a, p);
	a->now = pkt_ts(p);
	a->keys_packets++;
	if (keys_due(a))
		keys_reread(a, 0);
	flow_expire(a->flows, a->now);
	if (a->now >= a->frag_due)
		frag_timeouts(a);
	a->whole_dg = NULL;
	if (p->ip.is_fragment && (p = reassemble(a, p)) == NULL)
		return;
	if (p->l4 == L4_TCP && cur_len(&p->u.tcp.hdr) >= 20 && !p->ip.later_fragment) {
		int created;
		/* only a SYN can start another connection on the same tuple: ask no more of other packets */
		c = conn_of(flow_lookup(a->flows, p, 1, (p->u.tcp.flags & TCP_SYN) != 0, &created));
		if (c == NULL)
			return;             /* out of memory, evicted before, or a late packet of a reported one */
		/* what c holds can have grown: it was made whole, a line was kept, or bytes came */
		int grew = cur_len(&p->u.tcp.payload) != 0, unpacked = 0;
		if (c->f.small) {
			if (created && a->whole_dg == NULL)
				return;             /* new, and p is all of it so far */
			/* (reassembled, its line is its fragments': made whole now, p accounted by unpacking it) */
			if ((c = whole(a, c)) == NULL)
				return;
			grew = 1;
			unpacked = created;
		}
		if (a->whole_dg != NULL && (frag_notes(a->whole_dg) & FRAG_NOTE_DIFFER))
			c->lost |= CONN_LOST_SIDE(CONN_LOST_FRAG_DIFFER, conn_dir_of(c, p));
		if (unpacked) {
			/* accounted, and its fragments kept, by whole() */
		} else if (conn_tcp(c, p) || a->o.rep.verbose) {
			evidence(a, c, p);
			grew = 1;
		} else {
			print_seq_track(p, &c->seqbase, &c->seqbase_set);
		}
		if (report_now(a, c)) {
			flow_conclude(a->flows, &c->f);
		} else {
			flow_touch(a->flows, &c->f);
			if (grew)
				flow_account(a->flows, &c->f);
		}
	} else if (p->l4 == L4_ICMP || p->l4 == L4_ICMP6) {
		icmp_error(a, p);
	} else if (p->l4 == L4_UDP && p->u.udp.status == DEC_OK && !p->ip.later_fragment) {
		udp_datagram(a, p);
	}
}

/* After analysis_kinds()'s counts (o bytes of buf): "; not decoded: 12 GRE of protocol 0x880b, ...". */
static void undec_text(const struct analysis *a, char *buf, size_t n, size_t o)
{
	char what[80];
	int w;

	for (size_t i = 0; i < ANALYSIS_UNDEC && a->undec[i].n != 0 && o + 1 < n; i++) {
		decode_undec_text(a->undec[i].undec, a->undec[i].value, what, sizeof(what));
		w = snprintf(buf + o, n - o, "%s%llu %s", i == 0 ? (o ? "; not decoded: " : "not decoded: ") : ", ",
			     (unsigned long long)a->undec[i].n, what);
		if (w < 0 || (size_t)w >= n - o) {
			buf[o] = '\0';
			return;
		}
		o += (size_t)w;
	}
	if (a->undec_other != 0 && o + 1 < n) {
		w = snprintf(buf + o, n - o, ", %llu more of other kinds", (unsigned long long)a->undec_other);
		if (w < 0 || (size_t)w >= n - o)
			buf[o] = '\0';
	}
}

void analysis_kinds(const struct analysis *a, char *buf, size_t n)
{
	static const char *const names[] = {
		[L4_NONE] = "not IP or not decoded", [L4_TCP] = "TCP (none the start or part of a connection)",
		[L4_UDP] = "UDP", [L4_ICMP] = "ICMP", [L4_ICMP6] = "ICMPv6", [L4_OTHER] = "other IP",
	};
	static const enum l4_kind order[] = { L4_UDP, L4_ICMP, L4_ICMP6, L4_OTHER, L4_TCP, L4_NONE };
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]) && o + 1 < n; i++) {
		uint64_t k = a->kinds[order[i]];
		int w;
		if (k == 0)
			continue;
		w = snprintf(buf + o, n - o, "%s%llu %s", o ? ", " : "", (unsigned long long)k, names[order[i]]);
		if (w < 0 || (size_t)w >= n - o)
			break;
		o += (size_t)w;
		if (order[i] == L4_NONE && a->arp != 0) {
			w = snprintf(buf + o, n - o, " (%llu ARP)", (unsigned long long)a->arp);
			if (w < 0 || (size_t)w >= n - o)
				break;
			o += (size_t)w;
		}
	}
	undec_text(a, buf, n, o);
}

void analysis_tick(struct analysis *a, int64_t now)
{
	if (now > a->now)
		a->now = now;
	if (a->o.keylog_live)
		keys_reread(a, 0);
	flow_expire(a->flows, a->now);
	if (a->now >= a->frag_due)
		frag_timeouts(a);
}

void analysis_discard(struct analysis *a)
{
	a->discard = 1;
}

/* What the key log store holds, for the summary; 1 when one of its bounds kept a secret out. */
static int keys_stats(struct analysis *a)
{
	const struct keylog_stats *k;
	struct report_keys *r = &a->stats.keys;

	if (a->o.keylog == NULL)
		return 0;
	k = keylog_stats(a->o.keylog);
	*r = (struct report_keys){
		.used = 1, .lines = k->lines, .randoms = k->randoms, .secrets = k->secrets,
		.malformed = k->malformed, .unknown_label = k->unknown_label, .conflicts = k->conflicts,
		.dsb_blocks = k->dsb_blocks, .dropped_randoms = k->dropped_randoms,
		.dropped_bytes = k->dropped_bytes, .alloc_failed = k->alloc_failed,
		.dsb_over_budget = k->dsb_over_budget,
	};
	/* a secret not kept may have been one a connection needed: its verdict is then less than
	 * it could be (docs/cli.md: exit status) */
	return r->dropped_randoms || r->dropped_bytes || r->alloc_failed || r->dsb_over_budget;
}

const struct report_stats *analysis_finish(struct analysis *a, double elapsed_s)
{
	if (a->o.keylog_live) {
		/* the last lines, even one the writer left without its end */
		keys_reread(a, 1);
		keylog_finish(a->o.keylog);
	}
	frag_flush(a->frags);      /* first: their connections learn of them before their reports */
	a->frag_due = INT64_MAX;
	flow_flush(a->flows);
	a->stats.late_packets = flow_late(a->flows);
	a->stats.elapsed_s = elapsed_s;
	a->stats.incomplete = keys_stats(a) || bounds_lost();
	a->stats.oom = bounds.alloc_failed != 0 || a->stats.keys.alloc_failed != 0;
	if (a->discard || ferror(a->out))
		return &a->stats;
	sink_finish(a->sinks, &a->stats);
	report_bounds_stderr();
	return &a->stats;
}

void analysis_free(struct analysis *a)
{
	if (a == NULL)
		return;
	tls_use_keylog(NULL);         /* (the caller frees the store next) */
	frag_free(a->frags);          /* (without telling the connections: nothing is reported any more) */
	flow_free(a->flows);          /* (its last reports read the memo) */
	verdict_memo_free(a->memo);
	free(a->scratch);
	free(a->lines);
	free(a->frame);
	bounds_release_reserve();
	printer_free(a->pr);
	printer_free(a->pr_all);
	sink_free_all(a->sinks);
	report_stats_free(&a->stats);
	free(a);
}
