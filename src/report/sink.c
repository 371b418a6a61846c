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

void sink_conn(struct sink *head, const struct conn *c, const struct verdict *v, const struct report_lines *ev)
{
	for (struct sink *s = head; s != NULL; s = s->next)
		if (s->ops->conn != NULL)
			s->ops->conn(s, c, v, ev);
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

static void counts_conn(struct sink *s, const struct conn *c, const struct verdict *v,
			const struct report_lines *ev)
{
	(void)ev;
	struct counts *k = (struct counts *)s;

	report_count(k->st, v);
	if (tls_issue_count(conn_tls(c)) > 0)
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

/* ---- text ---- */

struct text {
	struct sink s;
	FILE *out;
	struct report_opts o;
	int flush_each;
};

static void text_packet(struct sink *s, uint64_t frame, char *line, size_t len)
{
	(void)frame;
	line[len++] = '\n';
	fwrite(line, 1, len, ((struct text *)s)->out);
}

static void text_conn(struct sink *s, const struct conn *c, const struct verdict *v, const struct report_lines *ev)
{
	struct text *x = (struct text *)s;

	report_conn(x->out, NULL, &x->o, c, v, ev);
	if (x->flush_each)
		fflush(x->out);
}

static void text_finish(struct sink *s, const struct report_stats *st)
{
	struct text *x = (struct text *)s;

	report_summary(x->out, &x->o, st);
}

static const struct sink_ops text_ops = { text_packet, text_conn, text_finish, plain_free };

/* A text sink or one that begins with one (size bytes). */
static struct text *text_alloc(size_t size, const struct sink_ops *ops, FILE *out, const struct report_opts *o,
			       int flush_each)
{
	struct text *x = (struct text *)sink_alloc(size, ops);

	if (x != NULL) {
		x->out = out;
		x->o = *o;
		x->flush_each = flush_each;
	}
	return x;
}

struct sink *sink_text_new(FILE *out, const struct report_opts *o, int flush_each)
{
	struct text *x = text_alloc(sizeof(*x), &text_ops, out, o, flush_each);
	return x != NULL ? &x->s : NULL;
}

/* ---- NDJSON ---- */

struct ndjson {
	struct text t;            /* where it goes, and how */
	size_t batch;
	struct tbuf buf;          /* objects waiting to be written, reused */
};

/* Write out what is gathered: now, or once a batch of it is there. */
static void nd_flush(struct ndjson *x)
{
	if (x->batch == 0 || tb_len(&x->buf) >= x->batch)
		tb_flush(&x->buf, x->t.out);
	if (x->t.flush_each)
		fflush(x->t.out);
}

static void nd_packet(struct sink *s, uint64_t frame, char *line, size_t len)
{
	struct ndjson *x = (struct ndjson *)s;
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
	if (x->batch == 0 || tb_len(&x->buf) >= x->batch)
		tb_flush(&x->buf, x->t.out);
}

static void nd_conn(struct sink *s, const struct conn *c, const struct verdict *v, const struct report_lines *ev)
{
	struct ndjson *x = (struct ndjson *)s;

	report_conn(x->t.out, &x->buf, &x->t.o, c, v, ev);
	nd_flush(x);
}

static void nd_finish(struct sink *s, const struct report_stats *st)
{
	struct ndjson *x = (struct ndjson *)s;

	tb_flush(&x->buf, x->t.out);
	report_summary(x->t.out, &x->t.o, st);
}

static void nd_free(struct sink *s)
{
	struct ndjson *x = (struct ndjson *)s;

	tb_free(&x->buf);
	free(x);
}

static const struct sink_ops ndjson_ops = { nd_packet, nd_conn, nd_finish, nd_free };

struct sink *sink_ndjson_new(FILE *out, const struct report_opts *o, size_t batch, int flush_each)
{
	struct ndjson *x = (struct ndjson *)text_alloc(sizeof(*x), &ndjson_ops, out, o, flush_each);

	if (x == NULL)
		return NULL;
	x->batch = batch;
	/* what waits to be written (under batch) and one more object */
	tb_init(&x->buf, batch + REPORT_JSON_MAX);
	return &x->t.s;
}
