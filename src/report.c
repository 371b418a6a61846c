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
	if (c->v6) {
		ln_chr(l, '[');
		ln_ip6(l, e->addr);
		ln_chr(l, ']');
	} else {
		ln_ip4(l, e->addr);
	}
	ln_chr(l, ':');
	ln_u32(l, e->port);
}

static void addr_ip(char *buf, size_t size, int v6, const uint8_t *a)
{
	struct line l;
	ln_init(&l, buf, size - 1);
	if (v6)
		ln_ip6(&l, a);
	else
		ln_ip4(&l, a);
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

static void text_tcp(FILE *f, const struct conn *c)
{
	const char *close = verdict_close(c);
	fprintf(f, "  tcp    handshake %s, SYN x%u, SYN-ACK x%u, close %s\n", verdict_handshake(c),
		c->nsyn, c->nsynack, close ? close : "none");
	fprintf(f, "         packets %llu/%llu, payload %llu/%llu bytes (client/server), "
		   "conn_state %s, history %s\n",
		(unsigned long long)c->ep[DIR_CLIENT].packets, (unsigned long long)c->ep[DIR_SERVER].packets,
		(unsigned long long)c->ep[DIR_CLIENT].payload, (unsigned long long)c->ep[DIR_SERVER].payload,
		zeek_conn_state(&c->zeek), zeek_history(&c->zeek));
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

static void json_endpoint(FILE *f, const struct conn *c, int dir)
{
	char ip[64];
	addr_ip(ip, sizeof(ip), c->v6, c->ep[dir].addr);
	fprintf(f, "{\"ip\":\"%s\",\"port\":%u}", ip, c->ep[dir].port);
}

static void json_tcp(FILE *f, const struct conn *c, const struct report_opts *o)
{
	uint32_t n = c->nsyn < CONN_MAX_SYN_TS ? c->nsyn : CONN_MAX_SYN_TS;

	fprintf(f, "\"tcp\":{\"handshake\":\"%s\",\"syn_count\":%u,\"syn_intervals_ms\":[",
		verdict_handshake(c), c->nsyn);
	for (uint32_t i = 1; i < n; i++)
		fprintf(f, "%s%.3f", i > 1 ? "," : "", (double)(c->syn_ts[i] - c->syn_ts[i - 1]) / 1e6);
	fprintf(f, "],\"synack_count\":%u,\"rtt_ms\":{\"syn_to_synack\":", c->nsynack);
	if (c->syn_seen && c->synack_seen)
		fprintf(f, "%.3f", (double)(c->synack_first_ts - c->syn_ts[0]) / 1e6);
	else
		fputs("null", f);
	fputs(",\"synack_to_ack\":", f);
	if (c->hs_ack_seen)
		fprintf(f, "%.3f", (double)(c->hs_ack_ts - c->synack_first_ts) / 1e6);
	else
		fputs("null", f);
	fputs("},\"close\":", f);
	json_cstr(f, verdict_close(c));
	fputs(",\"icmp\":", f);
	if (c->icmp.set) {
		char ip[64];
		addr_ip(ip, sizeof(ip), c->icmp.v6, c->icmp.from);
		fprintf(f, "{\"type\":%u,\"code\":%u,\"name\":\"%s\",\"from\":\"%s\","
			   "\"from_destination\":%s,\"frame\":%llu,\"ts\":",
			c->icmp.type, c->icmp.code, icmp_name(c->icmp.v6, c->icmp.type, c->icmp.code),
			ip, c->icmp.from_dest ? "true" : "false", (unsigned long long)c->icmp.frame);
		json_ts(f, c->icmp.ts, o->nano);
		fputc('}', f);
	} else {
		fputs("null", f);
	}
	fputs(",\"rst\":", f);
	if (c->rst_seen) {
		fprintf(f, "{\"from\":\"%s\",\"frame\":%llu,\"ttl\":%u,\"ts\":",
			c->rst_dir == DIR_CLIENT ? "client" : "server", (unsigned long long)c->rst_frame,
			c->rst_ttl);
		json_ts(f, c->rst_ts, o->nano);
		fprintf(f, ",\"after_frame\":%llu,\"delay_ms\":",
			(unsigned long long)c->before_rst.frame);
		if (c->before_rst.frame)
			fprintf(f, "%.3f", (double)(c->rst_ts - c->before_rst.ts) / 1e6);
		else
			fputs("null", f);
		fputs(",\"earlier_ttl\":", f);
		if (c->rst_prev_ttl_set)
			fprintf(f, "%u", c->rst_prev_ttl);
		else
			fputs("null", f);
		fputc('}', f);
	} else {
		fputs("null", f);
	}
	fprintf(f, ",\"conn_state\":\"%s\",\"history\":", zeek_conn_state(&c->zeek));
	json_cstr(f, zeek_history(&c->zeek));
	fprintf(f, ",\"roles\":\"%s\"}",
		c->role_guess == ROLE_SYN ? "syn" : c->role_guess == ROLE_SYNACK ? "synack" : "port_guess");
}

static void report_json(FILE *f, const struct report_opts *o, const struct conn *c,
			const struct verdict *v)
{
	fprintf(f, "{\"type\":\"connection\",\"id\":%llu,\"transport\":\"tcp\",\"client\":",
		(unsigned long long)c->id);
	json_endpoint(f, c, DIR_CLIENT);
	fputs(",\"server\":", f);
	json_endpoint(f, c, DIR_SERVER);
	fputs(",\"first_ts\":", f);
	json_ts(f, c->first_ts, o->nano);
	fputs(",\"last_ts\":", f);
	json_ts(f, c->last_ts, o->nano);
	fprintf(f, ",\"packets\":{\"client\":%llu,\"server\":%llu},"
		   "\"payload_bytes\":{\"client\":%llu,\"server\":%llu},",
		(unsigned long long)c->ep[DIR_CLIENT].packets, (unsigned long long)c->ep[DIR_SERVER].packets,
		(unsigned long long)c->ep[DIR_CLIENT].payload, (unsigned long long)c->ep[DIR_SERVER].payload);
	json_tcp(f, c, o);
	fprintf(f, ",\"tls\":null,\"verdict\":{\"code\":\"%s\",\"layer\":\"%s\",\"ok\":%s,\"summary\":",
		v->code, v->layer, v->ok ? "true" : "false");
	json_cstr(f, v->summary);
	fputs(",\"explanation\":", f);
	json_cstr(f, v->explanation);
	fputs(",\"next_step\":", f);
	json_cstr(f, v->next_step);
	fputs("},\"evidence\":[", f);
	for (uint16_t i = 0; i < c->nev; i++) {
		fprintf(f, "%s{\"frame\":%llu,\"line\":", i ? "," : "", (unsigned long long)c->ev[i].frame);
		json_cstr(f, c->ev[i].line);
		fputc('}', f);
	}
	fprintf(f, "],\"evidence_omitted\":%llu}\n", (unsigned long long)c->ev_dropped);
}

void report_conn(FILE *f, const struct report_opts *o, const struct conn *c, const struct verdict *v)
{
	if (o->json)
		report_json(f, o, c, v);
	else
		report_text(f, o, c, v);
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
