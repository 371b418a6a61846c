/* report.c: text blocks for people (80 columns), NDJSON per docs/json.md for programs. */
#include <stdlib.h>
#include <string.h>

#include "bounds.h"
#include "community.h"
#include "json.h"
#include "line.h"
#include "prose.h"
#include "report.h"

#define RED "\033[31m"
#define GREEN "\033[32m"
#define BOLD "\033[1m"
#define RESET "\033[0m"

void report_count(struct report_stats *s, const struct verdict *v)
{
	size_t i;

	s->connections++;
	if (v->ok)
		s->ok++;
	else
		s->failed++;
	for (i = 0; i < s->ncodes; i++)
		if (s->codes[i].code == v->code || strcmp(s->codes[i].code, v->code) == 0)
			break;
	if (i == s->ncodes) {
		if (s->ncodes == s->cap) {
			size_t cap = s->cap ? s->cap * 2 : 32;
			struct report_code *n = realloc(s->codes, cap * sizeof(*n));
			if (n == NULL) {
				bounds_alloc_failed();   /* counted in ok/failed still; the summary says memory ran out */
				return;
			}
			s->codes = n;
			s->cap = cap;
		}
		s->codes[s->ncodes++] = (struct report_code){ v->code, 0 };
	}
	s->codes[i].count++;
}

void report_stats_free(struct report_stats *s)
{
	free(s->codes);
	s->codes = NULL;
	s->ncodes = s->cap = 0;
}

static void addr_text(struct line *l, const struct conn_view *cv, int dir)
{
	if (cv->v6)
		ln_chr(l, '[');
	ln_ip(l, cv->v6, cv->addr[dir]);
	if (cv->v6)
		ln_chr(l, ']');
	ln_chr(l, ':');
	ln_u32(l, cv->port[dir]);
}

/* Words wrapped at 78 columns under an indented label. */
void report_wrapped(struct tbuf *b, const char *label, const char *text)
{
	const size_t width = 78, indent = 9;
	size_t col = strlen(label);
	const char *p = text;

	tb_lit(b, "  ");
	tb_str_pad(b, label, (int)indent - 2);
	col = 2 + (col > indent - 2 ? col : indent - 2);
	while (*p) {
		const char *w = p;
		while (*w == ' ')
			w++;
		const char *e = w;
		while (*e && *e != ' ')
			e++;
		if (e == w)
			break;
		if (col > indent && col + 1 + (size_t)(e - w) > width) {
			tb_chr(b, '\n');
			tb_spaces(b, indent);
			col = indent;
		} else if (col > indent) {
			tb_chr(b, ' ');
			col++;
		}
		tb_mem(b, w, (size_t)(e - w));
		col += (size_t)(e - w);
		p = e;
	}
	tb_chr(b, '\n');
}

/* "1 packet", "2 packets" */
static void counted(struct tbuf *b, uint64_t n, const char *one)
{
	tb_u64(b, n);
	tb_chr(b, ' ');
	tb_str(b, one);
	if (n != 1)
		tb_chr(b, 's');
}

static void text_side(struct tbuf *b, const struct conn_view *cv, int dir)
{
	const struct view_side *e = &cv->ep[dir];

	tb_lit(b, "         ");
	tb_str(b, verdict_side_name(dir));
	tb_lit(b, ": ");
	counted(b, e->packets, "packet");
	tb_lit(b, ", ");
	counted(b, e->payload, "payload byte");
	tb_lit_u64(b, ", ", e->retrans);
	tb_lit(b, " retransmitted\n");
}

static void text_tcp(struct tbuf *b, const struct conn_view *cv)
{
	const struct view_tcp *t = &cv->tcp;

	tb_lit(b, "  tcp    handshake ");
	tb_str(b, t->handshake);
	tb_lit_u64(b, ", SYN x", t->nsyn);
	tb_lit_u64(b, ", SYN-ACK x", t->nsynack);
	tb_lit(b, ", close ");
	tb_str(b, t->close ? t->close : "none");
	tb_chr(b, '\n');
	text_side(b, cv, DIR_CLIENT);
	text_side(b, cv, DIR_SERVER);
	tb_lit(b, "         zeek conn_state ");
	tb_str(b, t->conn_state);
	tb_lit(b, ", history ");
	tb_str(b, t->history);
	tb_chr(b, '\n');
}

/* The first line: [ok] or [FAIL], the endpoints, the code. */
static void text_head(struct tbuf *b, const struct report_opts *o, const struct conn_view *cv,
		      const struct verdict *v)
{
	char buf[200];
	struct line l;

	ln_init(&l, buf, sizeof(buf));
	addr_text(&l, cv, DIR_CLIENT);
	ln_str(&l, o->utf8 ? " \xe2\x86\x92 " : " -> ");
	addr_text(&l, cv, DIR_SERVER);
	if (o->color)
		tb_str(b, v->ok ? GREEN : RED);
	tb_str(b, v->ok ? "[ok]  " : "[FAIL]");
	if (o->color)
		tb_lit(b, RESET);
	tb_chr(b, ' ');
	tb_mem(b, buf, l.len);
	tb_lit(b, "  ");
	if (o->color)
		tb_lit(b, BOLD);
	tb_str(b, v->code);
	if (o->color)
		tb_lit(b, RESET);
	tb_chr(b, '\n');
}

/* One encapsulation in words: "VXLAN vni 42, 203.0.113.1 > 203.0.113.2". */
static void text_encap_one(struct line *l, const struct encap *e)
{
	static const char *const names[ENCAP_KINDS] = {
		[ENCAP_VXLAN] = "VXLAN vni ", [ENCAP_GENEVE] = "GENEVE vni ", [ENCAP_GRE] = "GRE",
		[ENCAP_ERSPAN] = "ERSPAN type ", [ENCAP_WCCP] = "WCCP", [ENCAP_MPLS] = "MPLS label ",
		[ENCAP_IPIP] = "", [ENCAP_PPPOE] = "PPPoE session ",
	};

	if (e->kind == ENCAP_IPIP) {
		ln_str(l, decode_encap_name(e));
	} else if (e->kind < ENCAP_KINDS && names[e->kind] != NULL) {
		ln_str(l, names[e->kind]);
	}
	if (e->kind == ENCAP_ERSPAN) {
		ln_str(l, e->sub == 1 ? "I" : e->sub == 2 ? "II" : "III");
		if (e->has_id)
			ln_str(l, " session ");
	} else if (e->kind == ENCAP_GRE && e->has_id) {
		ln_str(l, " key ");
	}
	if (e->has_id)
		ln_u32(l, e->id);
	if (e->kind == ENCAP_MPLS && e->sub > 1) {
		ln_str(l, " (");
		ln_u32(l, e->sub);
		ln_str(l, " labels)");
	}
	if (e->outer_version != 0) {
		ln_str(l, ", ");
		ln_ip(l, e->outer_version == 6, e->outer_src);
		ln_str(l, " > ");
		ln_ip(l, e->outer_version == 6, e->outer_dst);
	}
}

/* "via VXLAN vni 42, 203.0.113.1 > 203.0.113.2": the tunnel its first packet came through. */
static void text_encap(struct tbuf *b, const struct conn_view *cv)
{
	char buf[512];
	struct line l;

	if (cv->nencap == 0 && cv->encap_changed == 0)
		return;
	ln_init(&l, buf, sizeof(buf) - 1);
	for (uint8_t i = 0; i < cv->nencap; i++) {
		if (i != 0)
			ln_str(&l, "; ");
		text_encap_one(&l, &cv->encap[i]);
	}
	if (cv->nencap == 0)
		ln_str(&l, "none at first");
	if (cv->encap_changed != 0) {
		ln_str(&l, " (");
		ln_u64(&l, cv->encap_changed);
		ln_str(&l, cv->encap_changed == 1 ? " later packet" : " later packets");
		ln_str(&l, " otherwise encapsulated)");
	}
	buf[l.len] = '\0';
	report_wrapped(b, "via", buf);
}

static void report_text(struct tbuf *b, const struct report_opts *o, const struct conn_view *cv,
			const struct verdict *v, const struct verdict_text *w, const struct report_lines *ev)
{
	text_head(b, o, cv, v);
	text_encap(b, cv);
	report_wrapped(b, "", w->summary);
	text_tcp(b, cv);
	report_tls_text(b, cv, v);
	report_wrapped(b, "why", w->explanation);
	report_wrapped(b, "next", w->next_step);
	for (uint16_t i = 0; i < ev->n; i++) {
		if (i == ev->n - 1 && ev->omitted) {
			tb_lit(b, "         ... ");
			counted(b, ev->omitted, "more packet line");
			tb_lit(b, " (-v shows more)\n");
		}
		tb_lit(b, "  ");
		tb_str_pad(b, i == 0 ? "frames" : "", 6);
		tb_chr(b, ' ');
		tb_u64_rjust(b, ev->line[i].frame, 5);
		tb_lit(b, "  ");
		tb_mem(b, ev->line[i].text, ev->line[i].len);
		tb_chr(b, '\n');
	}
	tb_chr(b, '\n');
}

/* The NDJSON object, put on the text builder: report_conn keeps it whole or drops it. */

TB_INLINE void json_endpoint(struct tbuf *b, const struct conn_view *cv, int dir)
{
	jb_lit_ip(b, "{\"ip\":", cv->v6, cv->addr[dir]);
	tb_lit_u64(b, ",\"port\":", cv->port[dir]);
	tb_chr(b, '}');
}

/* "encap":[{"type":"vxlan","outer":{"src":...,"dst":...},"vni":42}, ...], and "encap_changes". */
static void json_encap(struct tbuf *b, const struct conn_view *cv)
{
	static const char *const id_keys[ENCAP_KINDS] = {
		[ENCAP_VXLAN] = ",\"vni\":", [ENCAP_GENEVE] = ",\"vni\":", [ENCAP_GRE] = ",\"key\":",
		[ENCAP_ERSPAN] = ",\"session\":", [ENCAP_MPLS] = ",\"label\":", [ENCAP_PPPOE] = ",\"session\":",
	};

	if (cv->nencap != 0) {
		tb_lit(b, ",\"encap\":[");
		for (uint8_t i = 0; i < cv->nencap; i++) {
			const struct encap *e = &cv->encap[i];
			if (i != 0)
				tb_chr(b, ',');
			jb_lit_qraw(b, "{\"type\":", decode_encap_name(e));
			if (e->outer_version != 0) {
				jb_lit_ip(b, ",\"outer\":{\"src\":", e->outer_version == 6, e->outer_src);
				jb_lit_ip(b, ",\"dst\":", e->outer_version == 6, e->outer_dst);
				tb_chr(b, '}');
			}
			if (e->kind == ENCAP_ERSPAN)
				tb_lit_u64(b, ",\"erspan_type\":", e->sub);
			if (e->has_id && e->kind < ENCAP_KINDS && id_keys[e->kind] != NULL) {
				tb_str(b, id_keys[e->kind]);
				tb_u64(b, e->id);
			}
			if (e->kind == ENCAP_MPLS)
				tb_lit_u64(b, ",\"labels\":", e->sub);
			tb_chr(b, '}');
		}
		tb_chr(b, ']');
	}
	if (cv->encap_changed != 0)
		tb_lit_u64(b, ",\"encap_changes\":", cv->encap_changed);
}

/* A duration, or null when one of its ends was not seen. */
static void json_ms_or_null(struct tbuf *b, int have, int64_t ns)
{
	if (have)
		jb_ms(b, ns);
	else
		tb_lit(b, "null");
}

/* {"client":1,"server":2} */
TB_INLINE void json_counts(struct tbuf *b, uint64_t client, uint64_t server)
{
	tb_lit_u64(b, "{\"client\":", client);
	tb_lit_u64(b, ",\"server\":", server);
	tb_chr(b, '}');
}

static void json_icmp(struct tbuf *b, const struct view_tcp *t, int nano)
{
	const struct icmp_note *ic = &t->icmp;

	if (!ic->set) {
		tb_lit(b, "null");
		return;
	}
	tb_lit_u64(b, "{\"type\":", ic->type);
	tb_lit_u64(b, ",\"code\":", ic->code);
	jb_lit_qraw(b, ",\"name\":", icmp_name(ic->v6, ic->type, ic->code));
	jb_lit_ip(b, ",\"from\":", ic->v6, ic->from);
	if (ic->from_dest)
		tb_lit(b, ",\"from_destination\":true");
	else
		tb_lit(b, ",\"from_destination\":false");
	tb_lit_u64(b, ",\"frame\":", ic->frame);
	jb_lit_ts(b, ",\"ts\":", ic->ts, nano);
	tb_chr(b, '}');
}

static void json_rst(struct tbuf *b, const struct view_tcp *t, int nano)
{
	if (!t->rst_seen) {
		tb_lit(b, "null");
		return;
	}
	if (t->rst_dir == DIR_CLIENT)
		tb_lit_u64(b, "{\"from\":\"client\",\"frame\":", t->rst_frame);
	else
		tb_lit_u64(b, "{\"from\":\"server\",\"frame\":", t->rst_frame);
	tb_lit_u64(b, ",\"ttl\":", t->rst_ttl);
	jb_lit_ts(b, ",\"ts\":", t->rst_ts, nano);
	tb_lit_u64(b, ",\"after_frame\":", t->before_rst_frame);
	tb_lit(b, ",\"delay_ms\":");
	json_ms_or_null(b, t->before_rst_frame != 0, t->rst_ts - t->before_rst_ts);
	if (t->rst_prev_ttl_set)
		tb_lit_u64(b, ",\"earlier_ttl\":", t->rst_prev_ttl);
	else
		tb_lit(b, ",\"earlier_ttl\":null");
	tb_chr(b, '}');
}

static void json_tcp(struct tbuf *b, const struct conn_view *cv, int nano)
{
	const struct view_tcp *t = &cv->tcp;
	uint32_t n = t->nsyn < VIEW_SYN_TS ? t->nsyn : VIEW_SYN_TS;

	jb_lit_qraw(b, ",\"tcp\":{\"handshake\":", t->handshake);
	tb_lit_u64(b, ",\"syn_count\":", t->nsyn);
	tb_lit(b, ",\"syn_intervals_ms\":[");
	for (uint32_t i = 1; i < n; i++) {
		if (i > 1)
			tb_chr(b, ',');
		jb_ms(b, t->syn_ts[i] - t->syn_ts[i - 1]);
	}
	tb_lit_u64(b, "],\"synack_count\":", t->nsynack);
	tb_lit(b, ",\"rtt_ms\":{\"syn_to_synack\":");
	json_ms_or_null(b, t->syn_seen && t->synack_seen, t->synack_first_ts - t->syn_ts[0]);
	tb_lit(b, ",\"synack_to_ack\":");
	json_ms_or_null(b, t->hs_ack_seen, t->hs_ack_ts - t->synack_first_ts);
	jb_lit_qraw(b, "},\"close\":", t->close);
	tb_lit(b, ",\"icmp\":");
	json_icmp(b, t, nano);
	tb_lit(b, ",\"rst\":");
	json_rst(b, t, nano);
	tb_lit(b, ",\"retransmissions\":");
	json_counts(b, cv->ep[DIR_CLIENT].retrans, cv->ep[DIR_SERVER].retrans);
	jb_lit_qraw(b, ",\"conn_state\":", t->conn_state);
	jb_lit_qraw(b, ",\"history\":", t->history);
	jb_lit_qraw(b, ",\"roles\":", t->roles);
	tb_chr(b, '}');
}

/* The verdict texts may quote the capture's own strings (an SNI, a banner): escaped. A lean
 * record (healthy, without -v) has no explanation or next step. */
static void json_verdict(struct tbuf *b, const struct verdict *v, const struct verdict_text *w, int lean)
{
	jb_lit_qraw(b, ",\"verdict\":{\"code\":", v->code);
	jb_lit_qraw(b, ",\"layer\":", v->layer);
	if (v->ok)
		jb_lit_str(b, ",\"ok\":true,\"summary\":", w->summary, w->summary_len);
	else
		jb_lit_str(b, ",\"ok\":false,\"summary\":", w->summary, w->summary_len);
	if (!lean) {
		jb_lit_str(b, ",\"explanation\":", w->explanation, w->explanation_len);
		jb_lit_str(b, ",\"next_step\":", w->next_step, w->next_step_len);
	}
	tb_chr(b, '}');
}

/* The lines come from the packet printer, which escapes all but '"': scanned. */
static void json_evidence(struct tbuf *b, const struct report_lines *ev)
{
	tb_lit(b, ",\"evidence\":[");
	for (uint16_t i = 0; i < ev->n; i++) {
		if (i > 0)
			tb_lit_u64(b, ",{\"frame\":", ev->line[i].frame);
		else
			tb_lit_u64(b, "{\"frame\":", ev->line[i].frame);
		if (ev->line[i].len <= REPORT_LINE_MAX) {
			jb_lit_str(b, ",\"line\":", ev->line[i].text, ev->line[i].len);
		} else {
			jb_lit_str(b, ",\"line\":", ev->line[i].text, REPORT_LINE_MAX);
			tb_lit(b, ",\"line_cut\":true");
		}
		tb_chr(b, '}');
	}
	tb_lit_u64(b, "],\"evidence_omitted\":", ev->omitted);
}

/* "ip_fragments": the facts of v->frag (only when there are some). */
static void json_sides(struct tbuf *b, uint8_t sides)
{
	tb_chr(b, '[');
	if (sides & 1)
		tb_lit(b, "\"client\"");
	if (sides == 3)
		tb_chr(b, ',');
	if (sides & 2)
		tb_lit(b, "\"server\"");
	tb_chr(b, ']');
}

static void json_frag(struct tbuf *b, const struct verdict_frag_facts *f)
{
	static const char *const what[] = {
		[VFW_UNKNOWN] = NULL, [VFW_TLS_RECORD] = "tls_record",
		[VFW_CLIENT_HELLO] = "client_hello", [VFW_SERVER_HELLO] = "server_hello",
	};

	if (f->never_whole == 0 && f->differ == 0)
		return;
	tb_lit(b, ",\"ip_fragments\":{\"never_whole\":");
	json_sides(b, f->never_whole);
	tb_lit(b, ",\"differ\":");
	json_sides(b, f->differ);
	tb_lit(b, ",\"first_never_whole\":");
	if (f->never_whole == 0) {
		tb_lit(b, "null}");
		return;
	}
	jb_lit_qraw(b, "{\"from\":", verdict_side_name(f->dir));
	if (f->offset_known)
		tb_lit_u64(b, ",\"stream_offset\":", f->offset);
	else
		tb_lit(b, ",\"stream_offset\":null");
	if (what[f->what] != NULL)
		jb_lit_qraw(b, ",\"carried\":", what[f->what]);
	else
		tb_lit(b, ",\"carried\":null");
	tb_lit(b, "}}");
}

static void report_json(struct tbuf *b, const struct report_opts *opt, const struct conn_view *cv,
			const struct verdict *v, const struct verdict_text *w, struct report_evidence *ev)
{
	/* healthy ones are many and alike: their explanation, next step and evidence only with -v */
	int lean = v->ok && !opt->verbose;
	char cid[FLOW_COMMUNITY_ID_LEN];

	tb_lit_u64(b, "{\"type\":\"connection\",\"id\":", cv->id);
	if (flow_community_id(cv->v6, cv->addr[DIR_CLIENT], cv->addr[DIR_SERVER], cv->port[DIR_CLIENT],
			      cv->port[DIR_SERVER], 6, 0, cid))
		jb_lit_qraw(b, ",\"community_id\":", cid);
	tb_lit(b, ",\"transport\":\"tcp\",\"client\":");
	json_endpoint(b, cv, DIR_CLIENT);
	tb_lit(b, ",\"server\":");
	json_endpoint(b, cv, DIR_SERVER);
	json_encap(b, cv);
	jb_lit_ts(b, ",\"first_ts\":", cv->first_ts, opt->nano);
	jb_lit_ts(b, ",\"last_ts\":", cv->last_ts, opt->nano);
	tb_lit(b, ",\"packets\":");
	json_counts(b, cv->ep[DIR_CLIENT].packets, cv->ep[DIR_SERVER].packets);
	tb_lit(b, ",\"payload_bytes\":");
	json_counts(b, cv->ep[DIR_CLIENT].payload, cv->ep[DIR_SERVER].payload);
	json_tcp(b, cv, opt->nano);
	json_frag(b, &v->frag);
	tb_lit(b, ",\"tls\":");
	report_tls_json(b, cv, v, opt->nano);
	json_verdict(b, v, w, lean);
	if (!lean)
		json_evidence(b, report_evidence_lines(ev));
	jb_lit_qraw(b, ",\"reported_because\":", cv->tcp.reported_because);
	tb_lit(b, "}\n");
}

void report_conn(struct tbuf *b, const struct report_opts *o, const struct conn_view *cv, const struct verdict *v,
		 const struct verdict_text *w, struct report_evidence *ev)
{
	/* the whole report or nothing: a cut JSON object would make the output invalid */
	size_t mark = tb_mark(b);

	if (o->json)
		report_json(b, o, cv, v, w, ev);
	else
		report_text(b, o, cv, v, w, report_evidence_lines(ev));
	if (tb_failed(b)) {
		tb_rollback(b, mark);
		bounds.oom_reports++;
	}
}

/* The bounds that were hit, by their names in the summary (the zero ones left out). */
static const struct bound_name {
	const char *name;
	const uint64_t *count;
} bound_names[] = {
	{ "evicted_table_full", &bounds.evicted_table },
	{ "evicted_memory_limit", &bounds.evicted_memory },
	{ "after_eviction_packets", &bounds.after_eviction },
	{ "evicted_forgotten", &bounds.evicted_forgotten },
	{ "alloc_failed", &bounds.alloc_failed },
	{ "oom_packets", &bounds.oom_packets },
	{ "oom_evidence_lines", &bounds.oom_evidence },
	{ "oom_payload", &bounds.oom_payload },
	{ "oom_reports_dropped", &bounds.oom_reports },
	{ "timestamps_clamped", &bounds.ts_clamped },
	{ "groups_evicted", &bounds.groups_evicted },
	{ "tls_servers_forgotten", &bounds.tls_servers_forgotten },
	{ "frag_timeout", &bounds.frag_timeout },
	{ "frag_unfinished", &bounds.frag_unfinished },
	{ "frag_evicted", &bounds.frag_evicted },
	{ "frag_too_many_fragments", &bounds.frag_pieces },
	{ "frag_overlap", &bounds.frag_overlap },
	{ "frag_overlap_differ", &bounds.frag_overlap_differ },
	{ "frag_oversize", &bounds.frag_oversize },
	{ "frag_invalid", &bounds.frag_invalid },
	{ "frag_truncated", &bounds.frag_truncated },
};

#define NBOUNDS (sizeof(bound_names) / sizeof(bound_names[0]))

/* The key log store's bounds (report_keys), after the analysis's in the list. */
#define NKEY_BOUNDS 4

static void key_bounds(const struct report_keys *k, struct bound_name out[NKEY_BOUNDS])
{
	out[0] = (struct bound_name){ "keylog_dropped_randoms", &k->dropped_randoms };
	out[1] = (struct bound_name){ "keylog_dropped_bytes", &k->dropped_bytes };
	out[2] = (struct bound_name){ "keylog_alloc_failed", &k->alloc_failed };
	out[3] = (struct bound_name){ "keylog_dsb_over_budget", &k->dsb_over_budget };
}

static int any_bound(const struct bound_name kb[NKEY_BOUNDS])
{
	for (size_t i = 0; i < NBOUNDS; i++)
		if (*bound_names[i].count)
			return 1;
	for (size_t i = 0; i < NKEY_BOUNDS; i++)
		if (*kb[i].count)
			return 1;
	return 0;
}

/* "keylog":{...}, when a key log or the capture's secrets were read. */
static void json_keys(FILE *f, const struct report_keys *k)
{
	if (!k->used)
		return;
	fprintf(f, ",\"keylog\":{\"lines\":%llu,\"randoms\":%llu,\"secrets\":%llu,\"malformed\":%llu,"
		   "\"unknown_label\":%llu,\"conflicts\":%llu,\"dsb_blocks\":%llu}",
		(unsigned long long)k->lines, (unsigned long long)k->randoms, (unsigned long long)k->secrets,
		(unsigned long long)k->malformed, (unsigned long long)k->unknown_label,
		(unsigned long long)k->conflicts, (unsigned long long)k->dsb_blocks);
}

static void text_keys(FILE *f, const struct report_keys *k)
{
	if (!k->used)
		return;
	fprintf(f, "  %-28s %llu\n", "key log lines", (unsigned long long)k->lines);
	fprintf(f, "  %-28s %llu\n", "key log client randoms", (unsigned long long)k->randoms);
	fprintf(f, "  %-28s %llu\n", "key log secrets", (unsigned long long)k->secrets);
	if (k->dsb_blocks)
		fprintf(f, "  %-28s %llu\n", "secrets blocks in capture", (unsigned long long)k->dsb_blocks);
	if (k->malformed)
		fprintf(f, "  %-28s %llu\n", "key log malformed lines", (unsigned long long)k->malformed);
	if (k->unknown_label)
		fprintf(f, "  %-28s %llu\n", "key log unknown labels", (unsigned long long)k->unknown_label);
	if (k->conflicts)
		fprintf(f, "  %-28s %llu\n", "key log conflicting lines", (unsigned long long)k->conflicts);
}

void report_summary(FILE *f, const struct report_opts *o, const struct report_stats *s)
{
	int first = 1;
	struct bound_name kb[NKEY_BOUNDS];

	key_bounds(&s->keys, kb);

	if (o->json) {
		fprintf(f, "{\"type\":\"summary\",\"connections\":%llu,\"ok\":%llu,\"failed\":%llu,"
			   "\"by_code\":{",
			(unsigned long long)s->connections, (unsigned long long)s->ok,
			(unsigned long long)s->failed);
		for (size_t i = 0; i < s->ncodes; i++)
			fprintf(f, "%s\"%s\":%llu", i ? "," : "", s->codes[i].code,
				(unsigned long long)s->codes[i].count);
		fprintf(f, "},\"packets\":%llu,\"elapsed_s\":%.3f", (unsigned long long)s->packets,
			s->elapsed_s);
		if (s->tls_findings)
			fprintf(f, ",\"tls_findings\":%llu", (unsigned long long)s->tls_findings);
		if (s->late_packets)
			fprintf(f, ",\"late_packets\":%llu", (unsigned long long)s->late_packets);
		json_keys(f, &s->keys);
		if (any_bound(kb)) {
			fputs(",\"bounds\":{", f);
			for (size_t i = 0; i < NBOUNDS + NKEY_BOUNDS; i++) {
				const struct bound_name *b = i < NBOUNDS ? &bound_names[i] : &kb[i - NBOUNDS];
				if (*b->count == 0)
					continue;
				fprintf(f, "%s\"%s\":%llu", first ? "" : ",", b->name, (unsigned long long)*b->count);
				first = 0;
			}
			fputc('}', f);
		}
		fputs("}\n", f);
		return;
	}
	fprintf(f, "%llu connection%s: %llu ok, %llu failed (%llu packets)\n",
		(unsigned long long)s->connections, s->connections == 1 ? "" : "s",
		(unsigned long long)s->ok, (unsigned long long)s->failed, (unsigned long long)s->packets);
	for (size_t i = 0; i < s->ncodes; i++)
		fprintf(f, "  %-28s %llu\n", s->codes[i].code, (unsigned long long)s->codes[i].count);
	if (s->tls_findings)
		fprintf(f, "  %-28s %llu\n", "tls connections with findings", (unsigned long long)s->tls_findings);
	if (s->late_packets)
		fprintf(f, "  %-28s %llu\n", "packets after their report", (unsigned long long)s->late_packets);
	text_keys(f, &s->keys);
	if (any_bound(kb)) {
		fputs("bounds hit:\n", f);
		for (size_t i = 0; i < NBOUNDS + NKEY_BOUNDS; i++) {
			const struct bound_name *b = i < NBOUNDS ? &bound_names[i] : &kb[i - NBOUNDS];
			if (*b->count)
				fprintf(f, "  %-28s %llu\n", b->name, (unsigned long long)*b->count);
		}
	}
}

void report_bounds_stderr(void)
{
	uint64_t ev = bounds.evicted_table + bounds.evicted_memory;

	if (ev)
		fprintf(stderr, "synack: warning: %llu connection%s reported before %s ended (%s); "
				"%llu later packet%s of them counted, not analyzed\n",
			(unsigned long long)ev, ev == 1 ? "" : "s", ev == 1 ? "it" : "they",
			bounds.evicted_memory == 0  ? "the connection table was full: raise --max-flows"
			: bounds.evicted_table == 0 ? "the memory limit was reached: raise --memory-limit"
						    : "the connection table was full and the memory limit "
						      "was reached",
			(unsigned long long)bounds.after_eviction, bounds.after_eviction == 1 ? "" : "s");
	if (bounds.evicted_forgotten)
		fprintf(stderr, "synack: warning: %llu evicted connection%s could not be remembered: "
				"later packets of %s, if any, were analyzed as new connections\n",
			(unsigned long long)bounds.evicted_forgotten, bounds.evicted_forgotten == 1 ? "" : "s",
			bounds.evicted_forgotten == 1 ? "it" : "those");
	if (bounds.alloc_failed)
		fprintf(stderr, "synack: out of memory: %llu allocation%s failed; %llu packet%s not analyzed, "
				"%llu connection%s not followed in full, %llu evidence line%s and %llu "
				"report%s lost: the results are incomplete\n",
			(unsigned long long)bounds.alloc_failed, bounds.alloc_failed == 1 ? "" : "s",
			(unsigned long long)bounds.oom_packets, bounds.oom_packets == 1 ? "" : "s",
			(unsigned long long)bounds.oom_payload, bounds.oom_payload == 1 ? "" : "s",
			(unsigned long long)bounds.oom_evidence, bounds.oom_evidence == 1 ? "" : "s",
			(unsigned long long)bounds.oom_reports, bounds.oom_reports == 1 ? "" : "s");
}
