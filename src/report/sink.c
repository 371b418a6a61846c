/* sink.c: the output sinks a concluded connection goes to: counts, text blocks, NDJSON. */
#include <stdlib.h>

#include "bounds.h"
#include "json.h"
#include "sink.h"

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
};

/* Write out what is gathered: now, or once a batch of it is there. */
static void out_flush(struct out *x)
{
	if (x->batch == 0 || tb_len(&x->buf) >= x->batch)
		tb_flush(&x->buf, x->out);
	if (x->flush_each)
		fflush(x->out);
}

static void text_packet(struct sink *s, uint64_t frame, char *line, size_t len)
{
	struct out *x = (struct out *)s;
	size_t mark = tb_mark(&x->buf);

	(void)frame;
	line[len++] = '\n';
	tb_mem(&x->buf, line, len);
	if (tb_failed(&x->buf)) {
		tb_rollback(&x->buf, mark);
		bounds.oom_reports++;
	}
	if (x->batch == 0 || tb_len(&x->buf) >= x->batch)
		tb_flush(&x->buf, x->out);
}

static void nd_packet(struct sink *s, uint64_t frame, char *line, size_t len)
{
	struct out *x = (struct out *)s;
	struct tbuf *b = &x->buf;
	size_t mark = tb_mark(b);

	tb_lit_u64(b, "{\"type\":\"packet\",\"frame\":", frame);
	jb_lit_str(b, ",\"line\":", line, len);
	tb_lit(b, "}\n");
	if (tb_failed(b)) {
		/* whole or not at all, as a connection's object (report_conn) */
		tb_rollback(b, mark);
		bounds.oom_reports++;
	}
	if (x->batch == 0 || tb_len(b) >= x->batch)
		tb_flush(b, x->out);
}

static void out_conn(struct sink *s, const struct conn_view *cv, const struct verdict *v, struct report_evidence *ev)
{
	struct out *x = (struct out *)s;

	report_conn(&x->buf, &x->o, cv, v, ev);
	out_flush(x);
}

static void out_finish(struct sink *s, const struct report_stats *st)
{
	struct out *x = (struct out *)s;

	tb_flush(&x->buf, x->out);
	report_summary(x->out, &x->o, st);
}

static void out_free(struct sink *s)
{
	struct out *x = (struct out *)s;

	tb_free(&x->buf);
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
