/* analysis.c: decode, flow table, connection facts, evidence lines, verdicts, reports. */
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "flow.h"
#include "json.h"
#include "print.h"

struct analysis {
	struct analysis_opts o;
	FILE *out;
	struct flow_table *flows;
	struct printer *pr;        /* evidence lines, with per-connection bases */
	struct printer *pr_all;    /* --packets, with tcpdump's table */
	struct report_stats stats;
	struct jbuf buf;           /* JSON text, reused */
	int64_t now;               /* capture time of the latest packet, ns */
};

/* Write out the JSON gathered: now, or once a batch of it is there. */
static void flush_json(struct analysis *a)
{
	if (!a->o.batch || a->buf.len >= ANALYSIS_BATCH)
		jb_flush(&a->buf, a->out);
}

static void emit(void *arg, struct conn *c, int reason)
{
	struct analysis *a = arg;
	struct verdict v;

	(void)reason;
	conn_prefetch_report(c);
	if (!verdict_tls(c, a->now, &v)) {
		verdict_tcp(c, a->now, &v);
		verdict_tls_hint(c, &v);
	}
	report_count(&a->stats, &v);
	report_conn(a->out, &a->buf, &a->o.rep, c, &v);
	flush_json(a);
	if (a->o.flush_each)
		fflush(a->out);
}

struct analysis *analysis_new(const struct analysis_opts *o, FILE *out)
{
	struct analysis *a = calloc(1, sizeof(*a));
	unsigned flags = o->absolute_seq ? PRINT_ABSOLUTE_SEQ : 0;

	if (a == NULL)
		return NULL;
	a->o = *o;
	a->out = out;
	a->pr = printer_new(flags);
	a->pr_all = printer_new(flags);
	a->flows = flow_new(o->max_flows, (int64_t)(o->idle * 1e9), 1000000000, emit, a);
	if (a->pr == NULL || a->pr_all == NULL || a->flows == NULL) {
		analysis_free(a);
		return NULL;
	}
	return a;
}

static void packet_line(struct analysis *a, const struct packet *p)
{
	char buf[8192];
	struct line l;

	ln_init(&l, buf, sizeof(buf) - 1);
	printer_line(a->pr_all, p, &l);
	if (a->o.rep.json) {
		jb_lit(&a->buf, "{\"type\":\"packet\",\"frame\":");
		jb_u64(&a->buf, p->frame);
		jb_lit(&a->buf, ",\"line\":");
		jb_str(&a->buf, buf, l.len);
		jb_lit(&a->buf, "}\n");
		flush_json(a);
	} else {
		buf[l.len++] = '\n';
		fwrite(buf, 1, l.len, a->out);
	}
}

static void evidence(struct analysis *a, struct conn *c, const struct packet *p)
{
	char buf[8192];
	struct line l;

	ln_init(&l, buf, sizeof(buf));
	printer_line_base(a->pr, p, &c->seqbase, &c->seqbase_set, &l);
	conn_add_evidence(c, p->frame, buf, l.len, a->o.rep.verbose);
}

/* An ICMP error quoting a TCP packet of a connection we track. */
static void icmp_error(struct analysis *a, const struct packet *p)
{
	const struct icmp_info *ic = &p->u.icmp;
	struct conn *c;

	if (!ic->is_error || ic->quoted_proto != 6 || !ic->quoted_has_ports)
		return;
	c = flow_find(a->flows, ic->quoted_version == 6, ic->quoted_src, ic->quoted_sport,
		      ic->quoted_dst, ic->quoted_dport);
	if (c == NULL || c->reported)
		return;
	conn_icmp(c, p);
	evidence(a, c, p);
	flow_touch(a->flows, c);
}

void analysis_packet(struct analysis *a, struct packet *p, int linktype)
{
	struct conn *c;

	a->stats.packets++;
	decode_packet(p, linktype);
	if (a->o.packets)
		packet_line(a, p);
	a->now = pkt_ts(p);
	flow_expire(a->flows, a->now);
	if (p->l4 == L4_TCP && cur_len(&p->u.tcp.hdr) >= 20 && !p->ip.later_fragment) {
		c = flow_lookup(a->flows, p);
		if (c == NULL)
			return;
		if (c->reported) {
			flow_touch(a->flows, c);    /* a late packet of a finished connection */
			return;
		}
		if (conn_tcp(c, p) || a->o.rep.verbose)
			evidence(a, c, p);
		else
			print_seq_track(p, &c->seqbase, &c->seqbase_set);
		if (conn_done(c))
			flow_conclude(a->flows, c);
		else
			flow_touch(a->flows, c);
	} else if (p->l4 == L4_ICMP || p->l4 == L4_ICMP6) {
		icmp_error(a, p);
	}
}

void analysis_tick(struct analysis *a, int64_t now)
{
	if (now > a->now)
		a->now = now;
	flow_expire(a->flows, a->now);
}

const struct report_stats *analysis_finish(struct analysis *a, double elapsed_s)
{
	flow_flush(a->flows);
	a->stats.elapsed_s = elapsed_s;
	jb_flush(&a->buf, a->out);
	report_summary(a->out, &a->o.rep, &a->stats);
	return &a->stats;
}

void analysis_free(struct analysis *a)
{
	if (a == NULL)
		return;
	flow_free(a->flows);
	printer_free(a->pr);
	printer_free(a->pr_all);
	jb_free(&a->buf);
	free(a);
}
