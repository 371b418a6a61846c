/* report.c: text blocks for people (80 columns), NDJSON per docs/json.md for programs. */
#include <string.h>

#include "bounds.h"
#include "json.h"
#include "line.h"
#include "report.h"

#define RED "\033[31m"
#define GREEN "\033[32m"
#define BOLD "\033[1m"
#define RESET "\033[0m"

void report_count(struct report_stats *s, const struct verdict *v)
{
	int i;

	s->connections++;
	if (v->ok)
		s->ok++;
	else
		s->failed++;
	for (i = 0; i < s->ncodes; i++)
		if (s->codes[i] == v->code || strcmp(s->codes[i], v->code) == 0)
			break;
	if (i == s->ncodes) {
		if (s->ncodes == REPORT_MAX_CODES)
			return;
		s->codes[s->ncodes++] = v->code;
	}
	s->counts[i]++;
}

static void addr_text(struct line *l, const struct conn *c, int dir)
{
	const struct endpoint *e = &c->ep[dir];
	if (c->v6)
		ln_chr(l, '[');
	ln_ip(l, c->v6, e->addr);
	if (c->v6)
		ln_chr(l, ']');
	ln_chr(l, ':');
	ln_u32(l, e->port);
}

/* Words wrapped at 78 columns under an indented label. */
void report_wrapped(FILE *f, const char *label, const char *text)
{
	const int width = 78, indent = 9;
	int col = fprintf(f, "  %-*s", indent - 2, label);
	const char *p = text;

	while (*p) {
		const char *w = p;
		while (*w == ' ')
			w++;
		const char *e = w;
		while (*e && *e != ' ')
			e++;
		if (e == w)
			break;
		if (col > indent && col + 1 + (e - w) > width) {
			fprintf(f, "\n%*s", indent, "");
			col = indent;
		} else if (col > indent) {
			fputc(' ', f);
			col++;
		}
		fwrite(w, 1, (size_t)(e - w), f);
		col += (int)(e - w);
		p = e;
	}
	fputc('\n', f);
}

static void text_side(FILE *f, const struct conn *c, int dir)
{
	const struct endpoint *e = &c->ep[dir];
	fprintf(f, "         %s: %llu packet%s, %llu payload byte%s, %u retransmitted\n",
		verdict_side_name(dir), (unsigned long long)e->packets,
		e->packets == 1 ? "" : "s", (unsigned long long)e->payload, e->payload == 1 ? "" : "s",
		e->retrans);
}

static void text_tcp(FILE *f, const struct conn *c)
{
	const char *close = verdict_close(c);
	fprintf(f, "  tcp    handshake %s, SYN x%u, SYN-ACK x%u, close %s\n", verdict_handshake(c),
		c->nsyn, c->nsynack, close ? close : "none");
	text_side(f, c, DIR_CLIENT);
	text_side(f, c, DIR_SERVER);
	fprintf(f, "         zeek conn_state %s, history %s\n", zeek_conn_state(&c->zeek),
		zeek_history(&c->zeek));
}

static void report_text(FILE *f, const struct report_opts *o, const struct conn *c,
			const struct verdict *v)
{
	char buf[200];
	struct line l;

	ln_init(&l, buf, sizeof(buf) - 1);
	addr_text(&l, c, DIR_CLIENT);
	ln_str(&l, o->utf8 ? " \xe2\x86\x92 " : " -> ");
	addr_text(&l, c, DIR_SERVER);
	buf[l.len] = '\0';
	fprintf(f, "%s%s%s %s  %s%s%s\n", o->color ? (v->ok ? GREEN : RED) : "",
		v->ok ? "[ok]  " : "[FAIL]", o->color ? RESET : "", buf,
		o->color ? BOLD : "", v->code, o->color ? RESET : "");
	report_wrapped(f, "", v->summary);
	text_tcp(f, c);
	report_tls_text(f, c);
	report_wrapped(f, "why", v->explanation);
	report_wrapped(f, "next", v->next_step);
	for (uint16_t i = 0; i < c->nev; i++) {
		if (i == c->nev - 1 && c->ev_dropped)
			fprintf(f, "         ... %llu more packet line%s (-v shows more)\n",
				(unsigned long long)c->ev_dropped, c->ev_dropped == 1 ? "" : "s");
		fprintf(f, "  %-6s %5llu  %.*s\n", i == 0 ? "frames" : "",
			(unsigned long long)c->ev[i].frame, (int)c->ev[i].len, conn_evidence_line(c, i));
	}
	fputc('\n', f);
}

/*
 * The NDJSON object is written with the unchecked writers of json.h: one
 * jb_room for the worst case of everything but the evidence lines, then one
 * per evidence line. JSON_FIXED_ROOM covers the literal text (under 900
 * bytes), the numbers (each its JB_*_ROOM) and the slack; the strings are
 * counted by their lengths on top.
 */
#define JSON_FIXED_ROOM (1024 + 24 * JB_U64_ROOM + 5 * JB_TS_ROOM + 4 * JB_MS_ROOM + \
			 (CONN_MAX_SYN_TS - 1) * (JB_MS_ROOM + 1) + 3 * JB_IP_ROOM + JB_SLACK)
#define JSON_EVIDENCE_ROOM (32 + JB_U64_ROOM + JB_SLACK)   /* an evidence line but its text */

static char *put_endpoint(char *o, const struct conn *c, int dir)
{
	o = ln_put_lit(o, "{\"ip\":");
	o = jb_put_ip(o, c->v6, c->ep[dir].addr);
	o = ln_put_lit(o, ",\"port\":");
	o = ln_put_u32(o, c->ep[dir].port);
	*o++ = '}';
	return o;
}

/* A duration, or null when one of its ends was not seen. */
static char *put_ms_or_null(char *o, int have, int64_t ns)
{
	return have ? jb_put_ms(o, ns) : ln_put_lit(o, "null");
}

/* {"client":1,"server":2} */
static char *put_counts(char *o, uint64_t client, uint64_t server)
{
	o = ln_put_lit(o, "{\"client\":");
	o = jb_put_u64(o, client);
	o = ln_put_lit(o, ",\"server\":");
	o = jb_put_u64(o, server);
	*o++ = '}';
	return o;
}

/* name is icmp_name()'s, n its length. */
static char *put_icmp(char *o, const struct conn *c, int nano, const char *name, size_t n)
{
	const struct icmp_note *ic = &c->icmp;

	if (!ic->set)
		return ln_put_lit(o, "null");
	o = ln_put_lit(o, "{\"type\":");
	o = ln_put_u32(o, ic->type);
	o = ln_put_lit(o, ",\"code\":");
	o = ln_put_u32(o, ic->code);
	o = ln_put_lit(o, ",\"name\":");
	o = jb_put_plain(o, name, n);
	o = ln_put_lit(o, ",\"from\":");
	o = jb_put_ip(o, ic->v6, ic->from);
	if (ic->from_dest)
		o = ln_put_lit(o, ",\"from_destination\":true");
	else
		o = ln_put_lit(o, ",\"from_destination\":false");
	o = ln_put_lit(o, ",\"frame\":");
	o = jb_put_u64(o, ic->frame);
	o = ln_put_lit(o, ",\"ts\":");
	o = jb_put_ts(o, ic->ts, nano);
	*o++ = '}';
	return o;
}

static char *put_rst(char *o, const struct conn *c, int nano)
{
	if (!c->rst_seen)
		return ln_put_lit(o, "null");
	if (c->rst_dir == DIR_CLIENT)
		o = ln_put_lit(o, "{\"from\":\"client\",\"frame\":");
	else
		o = ln_put_lit(o, "{\"from\":\"server\",\"frame\":");
	o = jb_put_u64(o, c->rst_frame);
	o = ln_put_lit(o, ",\"ttl\":");
	o = ln_put_u32(o, c->rst_ttl);
	o = ln_put_lit(o, ",\"ts\":");
	o = jb_put_ts(o, c->rst_ts, nano);
	o = ln_put_lit(o, ",\"after_frame\":");
	o = jb_put_u64(o, c->before_rst.frame);
	o = ln_put_lit(o, ",\"delay_ms\":");
	o = put_ms_or_null(o, c->before_rst.frame != 0, c->rst_ts - c->before_rst.ts);
	o = ln_put_lit(o, ",\"earlier_ttl\":");
	if (c->rst_prev_ttl_set)
		o = ln_put_u32(o, c->rst_prev_ttl);
	else
		o = ln_put_lit(o, "null");
	*o++ = '}';
	return o;
}

/* A string of ours (a code, a state name) and its length, or null. */
struct qstr {
	const char *s;
	size_t n;
};

static struct qstr qstr(const char *s)
{
	struct qstr q = { s, s ? strlen(s) : 0 };
	return q;
}

static char *put_qstr(char *o, struct qstr q)
{
	return q.s ? jb_put_plain(o, q.s, q.n) : ln_put_lit(o, "null");
}

/* The strings of ours in one object, their lengths counted once for the room and the copy. */
struct json_names {
	struct qstr handshake, close, icmp, state, history, roles, code, layer, because;
};

static size_t json_names(struct json_names *q, const struct conn *c, const struct verdict *v)
{
	q->handshake = qstr(verdict_handshake(c));
	q->close = qstr(verdict_close(c));
	q->icmp = qstr(c->icmp.set ? icmp_name(c->icmp.v6, c->icmp.type, c->icmp.code) : "");
	q->state = qstr(zeek_conn_state(&c->zeek));
	q->history = qstr(zeek_history(&c->zeek));
	q->roles = qstr(c->role_guess == ROLE_SYN      ? "syn"
			: c->role_guess == ROLE_SYNACK ? "synack"
						       : "port_guess");
	q->code = qstr(v->code);
	q->layer = qstr(v->layer);
	q->because = qstr(verdict_reported_because(c));
	return q->handshake.n + q->close.n + q->icmp.n + q->state.n + q->history.n + q->roles.n +
	       q->code.n + q->layer.n + q->because.n;
}

static char *put_tcp(char *o, const struct conn *c, int nano, const struct json_names *q)
{
	uint32_t n = c->nsyn < CONN_MAX_SYN_TS ? c->nsyn : CONN_MAX_SYN_TS;

	o = ln_put_lit(o, "\"tcp\":{\"handshake\":");
	o = put_qstr(o, q->handshake);
	o = ln_put_lit(o, ",\"syn_count\":");
	o = ln_put_u32(o, c->nsyn);
	o = ln_put_lit(o, ",\"syn_intervals_ms\":[");
	for (uint32_t i = 1; i < n; i++) {
		if (i > 1)
			*o++ = ',';
		o = jb_put_ms(o, c->syn_ts[i] - c->syn_ts[i - 1]);
	}
	o = ln_put_lit(o, "],\"synack_count\":");
	o = ln_put_u32(o, c->nsynack);
	o = ln_put_lit(o, ",\"rtt_ms\":{\"syn_to_synack\":");
	o = put_ms_or_null(o, c->syn_seen && c->synack_seen, c->synack_first_ts - c->syn_ts[0]);
	o = ln_put_lit(o, ",\"synack_to_ack\":");
	o = put_ms_or_null(o, c->hs_ack_seen, c->hs_ack_ts - c->synack_first_ts);
	o = ln_put_lit(o, "},\"close\":");
	o = put_qstr(o, q->close);
	o = ln_put_lit(o, ",\"icmp\":");
	o = put_icmp(o, c, nano, q->icmp.s, q->icmp.n);
	o = ln_put_lit(o, ",\"rst\":");
	o = put_rst(o, c, nano);
	o = ln_put_lit(o, ",\"retransmissions\":");
	o = put_counts(o, c->ep[DIR_CLIENT].retrans, c->ep[DIR_SERVER].retrans);
	o = ln_put_lit(o, ",\"conn_state\":");
	o = put_qstr(o, q->state);
	o = ln_put_lit(o, ",\"history\":");
	o = put_qstr(o, q->history);
	o = ln_put_lit(o, ",\"roles\":");
	o = put_qstr(o, q->roles);
	*o++ = '}';
	return o;
}

/* Room for a verdict text, escaped: it may quote the capture's own strings (an SNI, a banner). */
static size_t text_room(size_t n)
{
	return 6 * n + 2;
}

static void report_json(struct jbuf *b, const struct report_opts *opt, const struct conn *c,
			const struct verdict *v)
{
	struct json_names q;
	size_t room = JSON_FIXED_ROOM + json_names(&q, c, v) + text_room(v->summary_len) +
		      text_room(v->explanation_len) + text_room(v->next_step_len);
	char *o;

	if (!jb_room(b, room))
		return;
	o = b->p + b->len;
	o = ln_put_lit(o, "{\"type\":\"connection\",\"id\":");
	o = jb_put_u64(o, c->id);
	o = ln_put_lit(o, ",\"transport\":\"tcp\",\"client\":");
	o = put_endpoint(o, c, DIR_CLIENT);
	o = ln_put_lit(o, ",\"server\":");
	o = put_endpoint(o, c, DIR_SERVER);
	o = ln_put_lit(o, ",\"first_ts\":");
	o = jb_put_ts(o, c->first_ts, opt->nano);
	o = ln_put_lit(o, ",\"last_ts\":");
	o = jb_put_ts(o, c->last_ts, opt->nano);
	o = ln_put_lit(o, ",\"packets\":");
	o = put_counts(o, c->ep[DIR_CLIENT].packets, c->ep[DIR_SERVER].packets);
	o = ln_put_lit(o, ",\"payload_bytes\":");
	o = put_counts(o, c->ep[DIR_CLIENT].payload, c->ep[DIR_SERVER].payload);
	*o++ = ',';
	o = put_tcp(o, c, opt->nano, &q);
	o = ln_put_lit(o, ",\"tls\":");
	b->len = (size_t)(o - b->p);
	report_tls_json(b, c, opt->nano);
	if (!jb_room(b, room))
		return;
	o = b->p + b->len;
	o = ln_put_lit(o, ",\"verdict\":{\"code\":");
	o = put_qstr(o, q.code);
	o = ln_put_lit(o, ",\"layer\":");
	o = put_qstr(o, q.layer);
	if (v->ok)
		o = ln_put_lit(o, ",\"ok\":true,\"summary\":");
	else
		o = ln_put_lit(o, ",\"ok\":false,\"summary\":");
	o = jb_put_str(o, v->summary, v->summary_len);
	o = ln_put_lit(o, ",\"explanation\":");
	o = jb_put_str(o, v->explanation, v->explanation_len);
	o = ln_put_lit(o, ",\"next_step\":");
	o = jb_put_str(o, v->next_step, v->next_step_len);
	o = ln_put_lit(o, "},\"evidence\":[");
	b->len = (size_t)(o - b->p);

	/* The lines come from the packet printer, which escapes all but '"': scanned. */
	for (uint16_t i = 0; i < c->nev; i++) {
		size_t n = c->ev[i].len;
		if (!jb_room(b, 6 * n + JSON_EVIDENCE_ROOM))
			return;
		o = b->p + b->len;
		if (i > 0)
			*o++ = ',';
		o = ln_put_lit(o, "{\"frame\":");
		o = jb_put_u64(o, c->ev[i].frame);
		o = ln_put_lit(o, ",\"line\":");
		o = jb_put_str(o, conn_evidence_line(c, i), n);
		*o++ = '}';
		b->len = (size_t)(o - b->p);
	}

	if (!jb_room(b, 64 + JB_U64_ROOM + q.because.n + JB_SLACK))
		return;
	o = b->p + b->len;
	o = ln_put_lit(o, "],\"evidence_omitted\":");
	o = jb_put_u64(o, c->ev_dropped);
	o = ln_put_lit(o, ",\"reported_because\":");
	o = put_qstr(o, q.because);
	o = ln_put_lit(o, "}\n");
	b->len = (size_t)(o - b->p);
}

void report_conn(FILE *f, struct jbuf *b, const struct report_opts *o, const struct conn *c,
		 const struct verdict *v)
{
	if (o->json) {
		/* the whole object or nothing: a cut one would make the output invalid */
		size_t start = b->len;
		report_json(b, o, c, v);
		if (b->oom) {
			b->len = start;
			b->oom = 0;
			bounds.oom_reports++;
		}
	} else {
		report_text(f, o, c, v);
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
};

#define NBOUNDS (sizeof(bound_names) / sizeof(bound_names[0]))

static int any_bound(void)
{
	for (size_t i = 0; i < NBOUNDS; i++)
		if (*bound_names[i].count)
			return 1;
	return 0;
}

void report_summary(FILE *f, const struct report_opts *o, const struct report_stats *s)
{
	int first = 1;

	if (o->json) {
		fprintf(f, "{\"type\":\"summary\",\"connections\":%llu,\"ok\":%llu,\"failed\":%llu,"
			   "\"by_code\":{",
			(unsigned long long)s->connections, (unsigned long long)s->ok,
			(unsigned long long)s->failed);
		for (int i = 0; i < s->ncodes; i++)
			fprintf(f, "%s\"%s\":%llu", i ? "," : "", s->codes[i], (unsigned long long)s->counts[i]);
		fprintf(f, "},\"packets\":%llu,\"elapsed_s\":%.3f", (unsigned long long)s->packets,
			s->elapsed_s);
		if (s->tls_findings)
			fprintf(f, ",\"tls_findings\":%llu", (unsigned long long)s->tls_findings);
		if (any_bound()) {
			fputs(",\"bounds\":{", f);
			for (size_t i = 0; i < NBOUNDS; i++) {
				if (*bound_names[i].count == 0)
					continue;
				fprintf(f, "%s\"%s\":%llu", first ? "" : ",", bound_names[i].name,
					(unsigned long long)*bound_names[i].count);
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
	for (int i = 0; i < s->ncodes; i++)
		fprintf(f, "  %-28s %llu\n", s->codes[i], (unsigned long long)s->counts[i]);
	if (s->tls_findings)
		fprintf(f, "  %-28s %llu\n", "tls connections with findings", (unsigned long long)s->tls_findings);
	if (any_bound()) {
		fputs("bounds hit:\n", f);
		for (size_t i = 0; i < NBOUNDS; i++)
			if (*bound_names[i].count)
				fprintf(f, "  %-28s %llu\n", bound_names[i].name,
					(unsigned long long)*bound_names[i].count);
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
