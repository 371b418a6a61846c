/* sink.c: the output sinks a concluded connection goes to: counts, text blocks, NDJSON. */
#include <stdlib.h>

#include "bounds.h"
#include "json.h"
#include "prose.h"
#include "sink.h"
#include "triage.h"

void sink_packet(struct sink *head, uint64_t frame, char *line, size_t len)
{
	for (struct sink *s = head; s != NULL; s = s->next)
		if (s->ops->packet != NULL)
			s->ops->packet(s, frame, line, len);
}

void sink_conn(struct sink *head, const struct conn_view *cv, const struct verdict *v, struct report_evidence *ev)
{
	for (struct sink *s = head; s != NULL; s = s->next)
		if (s->ops->conn != NULL)
			s->ops->conn(s, cv, v, ev);
}

void sink_finish(struct sink *head, const struct report_stats *st)
{
	for (struct sink *s = head; s != NULL; s = s->next)
		if (s->ops->finish != NULL)
			s->ops->finish(s, st);
}

void sink_free_all(struct sink *head)
{
	while (head != NULL) {
		struct sink *next = head->next;
		head->ops->free(head);
		head = next;
	}
}

/* A zeroed sink of size bytes (its struct sink first) with these ops; NULL when out of memory. */
static struct sink *sink_alloc(size_t size, const struct sink_ops *ops)
{
	struct sink *s = calloc(1, size);

	if (s != NULL)
		s->ops = ops;
	return s;
}

/* ---- counts ---- */

struct counts {
	struct sink s;
	struct report_stats *st;
};

static void counts_conn(struct sink *s, const struct conn_view *cv, const struct verdict *v,
			struct report_evidence *ev)
{
	struct counts *k = (struct counts *)s;

	(void)ev;
	report_count(k->st, v);
	if (cv->nissues > 0)
		k->st->tls_findings++;
}

static void plain_free(struct sink *s)
{
	free(s);
}

static const struct sink_ops counts_ops = { NULL, counts_conn, NULL, plain_free };

struct sink *sink_counts_new(struct report_stats *st)
{
	struct counts *k = (struct counts *)sink_alloc(sizeof(*k), &counts_ops);

	if (k != NULL)
		k->st = st;
	return &k->s;
}

/* ---- text and NDJSON ---- */

/* Both put each report on a builder and write it out now or in batches. */
struct out {
	struct sink s;
	FILE *out;
	struct report_opts o;
	int flush_each;
	size_t batch;
	struct tbuf buf;          /* reports waiting to be written, reused */
	struct triage *tri;       /* the groups: which blocks to show, and the table at the end */
};

/* Write out what is gathered: now, or once a batch of it is there. */
static void out_flush(struct out *x)
{
	if (x->batch == 0 || tb_len(&x->buf) >= x->batch)
		tb_flush(&x->buf, x->out);
	if (x->flush_each)
		fflush(x->out);
}

/* What was put since mark: kept whole, or dropped whole (counted) when it did not fit; then
 * written out when its time has come. */
static void out_done(struct out *x, size_t mark)
{
	if (tb_failed(&x->buf)) {
		tb_rollback(&x->buf, mark);
		bounds.oom_reports++;
	}
	out_flush(x);
}

static void text_packet(struct sink *s, uint64_t frame, char *line, size_t len)
{
	struct out *x = (struct out *)s;
	size_t mark = tb_mark(&x->buf);

	(void)frame;
	line[len++] = '\n';
	tb_mem(&x->buf, line, len);
	out_done(x, mark);
}

/* Whole or not at all, as a connection's object (report_conn). */
static void nd_packet(struct sink *s, uint64_t frame, char *line, size_t len)
{
	struct out *x = (struct out *)s;
	struct tbuf *b = &x->buf;
	size_t mark = tb_mark(b);

	tb_lit_u64(b, "{\"type\":\"packet\",\"frame\":", frame);
	jb_lit_str(b, ",\"line\":", line, len);
	tb_lit(b, "}\n");
	out_done(x, mark);
}

/* What the triage table keys and counts c by. */
static void triage_of(const struct conn_view *cv, const struct verdict *v, const struct verdict_text *w,
		      struct triage_conn *tc)
{
	/* (the view's TLS part is set only when some TLS was seen) */
	const struct tls_client_hello *ch = cv->tls.seen ? cv->tls.ch : NULL;

	tc->code = v->code;
	tc->ok = v->ok;
	tc->v6 = cv->v6;
	tc->server_addr = cv->addr[DIR_SERVER];
	tc->server_port = cv->port[DIR_SERVER];
	tc->client_addr = cv->addr[DIR_CLIENT];
	tc->sni = ch != NULL && ch->sni_len ? ch->sni : NULL;
	tc->sni_len = tc->sni == NULL ? 0 : ch->sni_len < TLS_HELLO_SNI_LEN ? ch->sni_len : TLS_HELLO_SNI_LEN;
	tc->first_ts = cv->first_ts;
	tc->last_ts = cv->last_ts;
	tc->id = cv->id;
	tc->next_step = w != NULL && !v->ok ? w->next_step : NULL;   /* healthy: nothing to do */
}

/*
 * Every connection counts in its triage group. Text: a full block for the
 * group's first examples only (none with -q). NDJSON: an object for every
 * connection, lean when healthy (report_conn).
 */
static void out_conn(struct sink *s, const struct conn_view *cv, const struct verdict *v, struct report_evidence *ev)
{
	struct out *x = (struct out *)s;
	struct verdict_text w;
	struct triage_conn tc;
	int show = 1;
	/* the words are written only where they are read: a block, an object, a failed
	 * group's next step */
	int words = x->o.json || !v->ok || x->tri == NULL;

	if (words)
		verdict_words(v, &w);
	if (x->tri != NULL) {
		triage_of(cv, v, words ? &w : NULL, &tc);
		show = triage_add(x->tri, &tc);
	}
	if (x->o.json || (show && !x->o.quiet)) {
		if (!words)
			verdict_words(v, &w);
		report_conn(&x->buf, &x->o, cv, v, &w, ev);
	}
	out_flush(x);
}

static void out_finish(struct sink *s, const struct report_stats *st)
{
	struct out *x = (struct out *)s;

	if (x->tri != NULL) {
		bounds.groups_evicted = triage_evictions(x->tri);
		if (x->o.json)
			triage_json(x->tri, &x->buf, x->o.nano);
		else if (st->connections > 0 || x->o.quiet) {
			triage_text(x->tri, &x->buf, x->o.text_nano, x->o.utf8);
			if (!x->o.quiet)
				tb_chr(&x->buf, '\n');
		}
		if (tb_failed(&x->buf))
			bounds.oom_reports++;
	}
	tb_flush(&x->buf, x->out);
	if (!x->o.quiet || x->o.json)
		report_summary(x->out, &x->o, st);
}

static void out_free(struct sink *s)
{
	struct out *x = (struct out *)s;

	tb_free(&x->buf);
	triage_free(x->tri);
	free(x);
}

static const struct sink_ops text_ops = { text_packet, out_conn, out_finish, out_free };
static const struct sink_ops ndjson_ops = { nd_packet, out_conn, out_finish, out_free };

static struct sink *out_new(const struct sink_ops *ops, FILE *out, const struct report_opts *o, size_t batch,
			    int flush_each)
{
	struct out *x = (struct out *)sink_alloc(sizeof(*x), ops);

	if (x == NULL)
		return NULL;
	x->out = out;
	x->o = *o;
	x->flush_each = flush_each;
	x->batch = batch;
	/* what waits to be written (under batch) and one more report */
	tb_init(&x->buf, batch + REPORT_JSON_MAX);
	x->tri = triage_new(REPORT_TRIAGE_GROUPS, o->examples);
	if (x->tri == NULL) {
		free(x);
		return NULL;
	}
	return &x->s;
}

struct sink *sink_text_new(FILE *out, const struct report_opts *o, size_t batch, int flush_each)
{
	struct report_opts t = *o;

	t.json = 0;
	return out_new(&text_ops, out, &t, batch, flush_each);
}

struct sink *sink_ndjson_new(FILE *out, const struct report_opts *o, size_t batch, int flush_each)
{
	struct report_opts j = *o;

	j.json = 1;
	return out_new(&ndjson_ops, out, &j, batch, flush_each);
}
