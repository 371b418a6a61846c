/* report.c: text blocks for people (80 columns), NDJSON per DESIGN.md for programs. */
#include <string.h>

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
		if (strcmp(s->codes[i], v->code) == 0)
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

static void addr_ip(char *buf, size_t size, int v6, const uint8_t *a)
{
	struct line l;
	ln_init(&l, buf, size - 1);
	ln_ip(&l, v6, a);
	buf[l.len] = '\0';
}

/* Words wrapped at 78 columns under an indented label. */
static void wrapped(FILE *f, const char *label, const char *text)
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
		dir == DIR_CLIENT ? "client" : "server", (unsigned long long)e->packets,
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
	wrapped(f, "", v->summary);
	text_tcp(f, c);
	wrapped(f, "why", v->explanation);
	wrapped(f, "next", v->next_step);
	for (uint16_t i = 0; i < c->nev; i++) {
		if (i == c->nev - 1 && c->ev_dropped)
			fprintf(f, "         ... %llu more packet line%s (-v shows more)\n",
				(unsigned long long)c->ev_dropped, c->ev_dropped == 1 ? "" : "s");
		fprintf(f, "  %-6s %5llu  %s\n", i == 0 ? "frames" : "",
			(unsigned long long)c->ev[i].frame, c->ev[i].line);
	}
	fputc('\n', f);
}

static void json_ip(struct jbuf *b, int v6, const uint8_t *a)
{
	char ip[64];
	addr_ip(ip, sizeof(ip), v6, a);
	jb_chr(b, '"');
	jb_raw(b, ip);
	jb_chr(b, '"');
}

static void json_endpoint(struct jbuf *b, const struct conn *c, int dir)
{
	jb_lit(b, "{\"ip\":");
	json_ip(b, c->v6, c->ep[dir].addr);
	jb_lit(b, ",\"port\":");
	jb_u64(b, c->ep[dir].port);
	jb_chr(b, '}');
}

/* A duration, or null when one of its ends was not seen. */
static void json_ms_or_null(struct jbuf *b, int have, int64_t ns)
{
	if (have)
		jb_ms(b, ns);
	else
		jb_lit(b, "null");
}

static void json_icmp(struct jbuf *b, const struct conn *c, const struct report_opts *o)
{
	const struct icmp_note *ic = &c->icmp;

	if (!ic->set) {
		jb_lit(b, "null");
		return;
	}
	jb_lit(b, "{\"type\":");
	jb_u64(b, ic->type);
	jb_lit(b, ",\"code\":");
	jb_u64(b, ic->code);
	jb_lit(b, ",\"name\":");
	jb_qraw(b, icmp_name(ic->v6, ic->type, ic->code));
	jb_lit(b, ",\"from\":");
	json_ip(b, ic->v6, ic->from);
	if (ic->from_dest)
		jb_lit(b, ",\"from_destination\":true");
	else
		jb_lit(b, ",\"from_destination\":false");
	jb_lit(b, ",\"frame\":");
	jb_u64(b, ic->frame);
	jb_lit(b, ",\"ts\":");
	jb_ts(b, ic->ts, o->nano);
	jb_chr(b, '}');
}

static void json_rst(struct jbuf *b, const struct conn *c, const struct report_opts *o)
{
	if (!c->rst_seen) {
		jb_lit(b, "null");
		return;
	}
	jb_raw(b, c->rst_dir == DIR_CLIENT ? "{\"from\":\"client\",\"frame\":" : "{\"from\":\"server\",\"frame\":");
	jb_u64(b, c->rst_frame);
	jb_lit(b, ",\"ttl\":");
	jb_u64(b, c->rst_ttl);
	jb_lit(b, ",\"ts\":");
	jb_ts(b, c->rst_ts, o->nano);
	jb_lit(b, ",\"after_frame\":");
	jb_u64(b, c->before_rst.frame);
	jb_lit(b, ",\"delay_ms\":");
	json_ms_or_null(b, c->before_rst.frame != 0, c->rst_ts - c->before_rst.ts);
	jb_lit(b, ",\"earlier_ttl\":");
	if (c->rst_prev_ttl_set)
		jb_u64(b, c->rst_prev_ttl);
	else
		jb_lit(b, "null");
	jb_chr(b, '}');
}

static void json_counts(struct jbuf *b, const char *name, uint64_t client, uint64_t server)
{
	jb_raw(b, name);
	jb_lit(b, "{\"client\":");
	jb_u64(b, client);
	jb_lit(b, ",\"server\":");
	jb_u64(b, server);
	jb_chr(b, '}');
}

static void json_tcp(struct jbuf *b, const struct conn *c, const struct report_opts *o)
{
	uint32_t n = c->nsyn < CONN_MAX_SYN_TS ? c->nsyn : CONN_MAX_SYN_TS;

	jb_lit(b, "\"tcp\":{\"handshake\":\"");
	jb_raw(b, verdict_handshake(c));
	jb_lit(b, "\",\"syn_count\":");
	jb_u64(b, c->nsyn);
	jb_lit(b, ",\"syn_intervals_ms\":[");
	for (uint32_t i = 1; i < n; i++) {
		if (i > 1)
			jb_chr(b, ',');
		jb_ms(b, c->syn_ts[i] - c->syn_ts[i - 1]);
	}
	jb_lit(b, "],\"synack_count\":");
	jb_u64(b, c->nsynack);
	jb_lit(b, ",\"rtt_ms\":{\"syn_to_synack\":");
	json_ms_or_null(b, c->syn_seen && c->synack_seen, c->synack_first_ts - c->syn_ts[0]);
	jb_lit(b, ",\"synack_to_ack\":");
	json_ms_or_null(b, c->hs_ack_seen, c->hs_ack_ts - c->synack_first_ts);
	jb_lit(b, "},\"close\":");
	jb_qraw(b, verdict_close(c));
	jb_lit(b, ",\"icmp\":");
	json_icmp(b, c, o);
	jb_lit(b, ",\"rst\":");
	json_rst(b, c, o);
	json_counts(b, ",\"retransmissions\":", c->ep[DIR_CLIENT].retrans, c->ep[DIR_SERVER].retrans);
	jb_lit(b, ",\"conn_state\":");
	jb_qraw(b, zeek_conn_state(&c->zeek));
	jb_lit(b, ",\"history\":");
	jb_qraw(b, zeek_history(&c->zeek));
	jb_lit(b, ",\"roles\":");
	jb_qraw(b, c->role_guess == ROLE_SYN ? "syn" : c->role_guess == ROLE_SYNACK ? "synack" : "port_guess");
	jb_chr(b, '}');
}


static void report_json(struct jbuf *b, const struct report_opts *o, const struct conn *c,
			const struct verdict *v)
{
	jb_lit(b, "{\"type\":\"connection\",\"id\":");
	jb_u64(b, c->id);
	jb_lit(b, ",\"transport\":\"tcp\",\"client\":");
	json_endpoint(b, c, DIR_CLIENT);
	jb_lit(b, ",\"server\":");
	json_endpoint(b, c, DIR_SERVER);
	jb_lit(b, ",\"first_ts\":");
	jb_ts(b, c->first_ts, o->nano);
	jb_lit(b, ",\"last_ts\":");
	jb_ts(b, c->last_ts, o->nano);
	json_counts(b, ",\"packets\":", c->ep[DIR_CLIENT].packets, c->ep[DIR_SERVER].packets);
	json_counts(b, ",\"payload_bytes\":", c->ep[DIR_CLIENT].payload, c->ep[DIR_SERVER].payload);
	jb_chr(b, ',');
	json_tcp(b, c, o);
	jb_lit(b, ",\"tls\":null,\"verdict\":{\"code\":");
	jb_qraw(b, v->code);
	jb_lit(b, ",\"layer\":");
	jb_qraw(b, v->layer);
	jb_raw(b, v->ok ? ",\"ok\":true,\"summary\":" : ",\"ok\":false,\"summary\":");
	jb_str(b, v->summary, v->summary_len);
	jb_lit(b, ",\"explanation\":");
	jb_str(b, v->explanation, v->explanation_len);
	jb_lit(b, ",\"next_step\":");
	jb_str(b, v->next_step, v->next_step_len);
	jb_lit(b, "},\"evidence\":[");
	for (uint16_t i = 0; i < c->nev; i++) {
		jb_raw(b, i ? ",{\"frame\":" : "{\"frame\":");
		jb_u64(b, c->ev[i].frame);
		jb_lit(b, ",\"line\":");
		jb_cstr(b, c->ev[i].line);
		jb_chr(b, '}');
	}
	jb_lit(b, "],\"evidence_omitted\":");
	jb_u64(b, c->ev_dropped);
	jb_lit(b, ",\"reported_because\":");
	jb_qraw(b, verdict_reported_because(c));
	jb_lit(b, "}\n");
}

void report_conn(FILE *f, struct jbuf *b, const struct report_opts *o, const struct conn *c,
		 const struct verdict *v)
{
	if (o->json) {
		report_json(b, o, c, v);
		jb_flush(b, f);
	} else {
		report_text(f, o, c, v);
	}
}

void report_summary(FILE *f, const struct report_opts *o, const struct report_stats *s)
{
	if (o->json) {
		fprintf(f, "{\"type\":\"summary\",\"connections\":%llu,\"ok\":%llu,\"failed\":%llu,"
			   "\"by_code\":{",
			(unsigned long long)s->connections, (unsigned long long)s->ok,
			(unsigned long long)s->failed);
		for (int i = 0; i < s->ncodes; i++)
			fprintf(f, "%s\"%s\":%llu", i ? "," : "", s->codes[i], (unsigned long long)s->counts[i]);
		fprintf(f, "},\"packets\":%llu,\"elapsed_s\":%.3f}\n", (unsigned long long)s->packets,
			s->elapsed_s);
		return;
	}
	fprintf(f, "%llu connection%s: %llu ok, %llu failed (%llu packets)\n",
		(unsigned long long)s->connections, s->connections == 1 ? "" : "s",
		(unsigned long long)s->ok, (unsigned long long)s->failed, (unsigned long long)s->packets);
	for (int i = 0; i < s->ncodes; i++)
		fprintf(f, "  %-28s %llu\n", s->codes[i], (unsigned long long)s->counts[i]);
}
