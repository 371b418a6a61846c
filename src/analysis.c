/* analysis.c: decode, flow table, connection facts, evidence lines, verdicts, reports. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis.h"
#include "bounds.h"
#include "flow.h"
#include "json.h"
#include "print.h"
#include "tls.h"

struct analysis {
	struct analysis_opts o;
	FILE *out;
	struct flow_table *flows;
	struct printer *pr;        /* evidence lines, with per-connection bases */
	struct printer *pr_all;    /* --packets, with tcpdump's table */
	struct report_stats stats;
	struct jbuf buf;           /* JSON text, reused */
	int64_t now;               /* capture time of the latest packet, ns */
	int linktype;              /* of the packets (one per capture) */
	struct conn *scratch;      /* a small connection made whole for its report */
	int discard;               /* nobody reads the reports any more: let connections go unwritten */
};

/* Write out the JSON gathered: now, or once a batch of it is there. */
static void flush_json(struct analysis *a)
{
	if (!a->o.batch || a->buf.len >= ANALYSIS_BATCH)
		jb_flush(&a->buf, a->out);
}

static void evidence(struct analysis *a, struct conn *c, const struct packet *p);

/* A small connection's SYN, now that c (whole) holds what was kept of it: its facts and line. */
static void unpack(struct analysis *a, struct conn *c)
{
	uint8_t raw[CONN_SMALL_RAW];
	struct packet q;

	conn_unpack(c, a->linktype, raw, &q);
	evidence(a, c, &q);
}

/* Append text to a verdict's summary or explanation (cut, never overflowing, if too long). */
static size_t append(char *buf, size_t len, size_t cap, const char *text)
{
	size_t n = strlen(text);

	if (n > cap - 1 - len)
		n = cap - 1 - len;
	memcpy(buf + len, text, n);
	buf[len + n] = '\0';
	return len + n;
}

/*
 * A connection the analysis let go of before it ended (a bound was hit), or
 * one it could not follow for want of memory: the verdict says so, and is not
 * ok unless what it rests on was complete (a TLS handshake that finished).
 */
static void limits(const struct conn *c, struct verdict *v)
{
	const char *sum = NULL, *why = NULL, *next = NULL;

	if (c->reported_because == FLOW_EVICTED) {
		next = "Analyze the capture again with a larger --max-flows to follow this connection "
		       "to its end.";
		sum = " (reported early: the connection table was full)";
		why = " The connection table was full (--max-flows), so this connection was reported "
		      "before it ended: the verdict rests on its packets up to then. Its later packets "
		      "were counted (after_eviction_packets in the summary), not analyzed.";
	} else if (c->reported_because == FLOW_EVICTED_MEMORY) {
		sum = " (reported early: the memory limit was reached)";
		next = "Analyze the capture again with a larger --memory-limit to follow this "
		       "connection to its end.";
		why = " The analysis reached its memory limit (--memory-limit) and let go of this "
		      "connection (the largest go first, then the oldest) before it ended: the verdict rests on its "
		      "packets up to then. Its later packets were counted (after_eviction_packets in "
		      "the summary), not analyzed.";
	}
	if (c->lost & CONN_LOST_OOM) {
		sum = " (incomplete: out of memory)";
		why = " Some of this connection's packets or bytes were not analyzed: synack ran out "
		      "of memory.";
		next = "Analyze the capture again with more memory free.";
	}
	if (sum == NULL)
		return;
	if (strcmp(v->code, "tls.established") != 0 || (c->lost & CONN_LOST_OOM))
		v->ok = 0;
	v->summary_len = append(v->summary, v->summary_len, sizeof(v->summary), sum);
	v->explanation_len = append(v->explanation, v->explanation_len, sizeof(v->explanation), why);
	/* the first thing to do is to see the connection to its end */
	char rest[sizeof(v->next_step)];
	memcpy(rest, v->next_step, v->next_step_len + 1);
	v->next_step_len = append(v->next_step, 0, sizeof(v->next_step), next);
	if (rest[0] != '\0') {
		v->next_step_len = append(v->next_step, v->next_step_len, sizeof(v->next_step), " Until then: ");
		v->next_step_len = append(v->next_step, v->next_step_len, sizeof(v->next_step), rest);
	}
}

static void emit(void *arg, struct conn *c, int reason)
{
	struct analysis *a = arg;
	struct verdict v;

	(void)reason;
	/* the reader went away (| head): nothing is worth formatting any more */
	if (a->discard || ferror(a->out)) {
		a->discard = 1;
		return;
	}
	if (c->small) {
		/* reported as it is, a first SYN and nothing else: made whole in the scratch */
		memcpy(a->scratch, c, CONN_SMALL_BYTES(c->small_syn.caplen));
		unpack(a, a->scratch);
		c = a->scratch;
	}
	conn_prefetch_report(c);
	if (!verdict_tls(c, a->now, &v)) {
		verdict_tcp(c, a->now, &v);
		verdict_tls_hint(c, &v);
	}
	if (c->reported_because == FLOW_EVICTED || c->reported_because == FLOW_EVICTED_MEMORY || c->lost)
		limits(c, &v);
	report_count(&a->stats, &v);
	if (tls_issue_count(c->tls) > 0)
		a->stats.tls_findings++;
	report_conn(a->out, &a->buf, &a->o.rep, c, &v);
	flush_json(a);
	if (a->o.flush_each)
		fflush(a->out);
	if (c == a->scratch)
		conn_release(c);
}

/* The cgroup's memory limit (v2, then v1), or 0 if none is set. */
static uint64_t cgroup_limit(void)
{
	static const char *const files[] = { "/sys/fs/cgroup/memory.max",
					     "/sys/fs/cgroup/memory/memory.limit_in_bytes" };
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		FILE *f = fopen(files[i], "r");
		unsigned long long v;
		int n;
		if (f == NULL)
			continue;
		n = fscanf(f, "%llu", &v);
		fclose(f);
		if (n == 1 && v > 0 && v < (1ull << 60))
			return v;
	}
	return 0;
}

uint64_t analysis_default_budget(void)
{
	long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);
	uint64_t mem = pages > 0 && size > 0 ? (uint64_t)pages * (uint64_t)size : 0, cg = cgroup_limit();

	if (cg != 0 && (mem == 0 || cg < mem))
		mem = cg;
	return mem != 0 ? mem / 4 : (uint64_t)1 << 30;
}

struct analysis *analysis_new(const struct analysis_opts *o, FILE *out)
{
	struct analysis *a = calloc(1, sizeof(*a));
	unsigned flags = o->absolute_seq ? PRINT_ABSOLUTE_SEQ : 0;

	if (a == NULL)
		return NULL;
	a->o = *o;
	a->out = out;
	memset(&bounds, 0, sizeof(bounds));      /* the tally is this analysis's */
	a->pr = printer_new(flags);
	a->pr_all = printer_new(flags);
	a->flows = flow_new_budget(o->max_flows, o->memory_limit ? o->memory_limit : analysis_default_budget(),
				   (int64_t)(o->idle * 1e9), 1000000000, emit, a);
	a->scratch = malloc(sizeof(*a->scratch));
	/* set aside for finishing the reports and the summary should memory run out */
	bounds_reserve(ANALYSIS_RESERVE);
	if (a->pr == NULL || a->pr_all == NULL || a->flows == NULL || a->scratch == NULL) {
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

/* c->small, and another packet of it came: made whole; NULL when out of memory. */
static struct conn *whole(struct analysis *a, struct conn *c)
{
	struct conn *w = flow_promote(a->flows, c);

	if (w == NULL) {
		bounds.oom_packets++;
		c->lost |= CONN_LOST_OOM;
		return NULL;
	}
	unpack(a, w);
	return w;
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
	if (c == NULL || c->reported || (c->small && (c = whole(a, c)) == NULL))
		return;
	conn_icmp(c, p);
	evidence(a, c, p);
	flow_touch(a->flows, c);
	flow_account(a->flows, c);
}

void analysis_packet(struct analysis *a, struct packet *p, int linktype)
{
	struct conn *c;

	a->stats.packets++;
	decode_packet(p, linktype);
	if (a->o.packets)
		packet_line(a, p);
	a->now = pkt_ts(p);
	a->linktype = linktype;
	flow_expire(a->flows, a->now);
	if (p->l4 == L4_TCP && cur_len(&p->u.tcp.hdr) >= 20 && !p->ip.later_fragment) {
		int created;
		c = flow_lookup_ex(a->flows, p, 1, &created);
		if (c == NULL)
			return;
		if (c->reported) {
			flow_touch(a->flows, c);    /* a late packet of a finished connection */
			return;
		}
		/* what c holds can have grown: it was made whole, a line was kept, or bytes came */
		int grew = cur_len(&p->u.tcp.payload) != 0;
		if (c->small) {
			if (created)
				return;             /* new, and p is all of it so far */
			if ((c = whole(a, c)) == NULL)
				return;
			grew = 1;
		}
		if (conn_tcp(c, p) || a->o.rep.verbose) {
			evidence(a, c, p);
			grew = 1;
		} else {
			print_seq_track(p, &c->seqbase, &c->seqbase_set);
		}
		if (conn_done(c)) {
			flow_conclude(a->flows, c);
		} else {
			flow_touch(a->flows, c);
			if (grew)
				flow_account(a->flows, c);
		}
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

void analysis_discard(struct analysis *a)
{
	a->discard = 1;
}

const struct report_stats *analysis_stats(const struct analysis *a)
{
	return &a->stats;
}

const struct report_stats *analysis_finish(struct analysis *a, double elapsed_s)
{
	flow_flush(a->flows);
	a->stats.elapsed_s = elapsed_s;
	a->stats.incomplete = bounds_lost();
	a->stats.oom = bounds.alloc_failed != 0;
	if (a->discard || ferror(a->out))
		return &a->stats;
	jb_flush(&a->buf, a->out);
	report_summary(a->out, &a->o.rep, &a->stats);
	report_bounds_stderr(&a->o.rep);
	return &a->stats;
}

void analysis_free(struct analysis *a)
{
	if (a == NULL)
		return;
	flow_free(a->flows);
	free(a->scratch);
	bounds_release_reserve();
	printer_free(a->pr);
	printer_free(a->pr_all);
	jb_free(&a->buf);
	free(a);
}
