/* sink.h: where concluded connections go: a list of output sinks (text, NDJSON, counts; later triage, ladder, compare). */
#ifndef SYNACK_SINK_H
#define SYNACK_SINK_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "report.h"

struct sink;

/* What a sink does with each thing the analysis hands on; an op may be NULL (not interested). */
struct sink_ops {
	/* One packet's tcpdump line (--packets): len bytes at line, with room for one more. */
	void (*packet)(struct sink *s, uint64_t frame, char *line, size_t len);
	/* A concluded connection (its view), its verdict and its evidence, whose lines are rendered
	 * when first asked for (read-only: valid during the call only). */
	void (*conn)(struct sink *s, const struct conn_view *cv, const struct verdict *v, struct report_evidence *ev);
	/* The end of the analysis, with its counts. */
	void (*finish)(struct sink *s, const struct report_stats *st);
	void (*free)(struct sink *s);
};

struct sink {
	const struct sink_ops *ops;
	struct sink *next;        /* the list, in the order sinks are given each thing */
};

/* The counts per verdict code and the totals, into st (which the caller owns). */
struct sink *sink_counts_new(struct report_stats *st);
/*
 * Text blocks, or NDJSON objects, to out: a connection's report whole or not at
 * all (bounds.oom_reports), written out once batch bytes are waiting (0: after
 * each), and flushed after each with flush_each (live); then the summary.
 */
struct sink *sink_text_new(FILE *out, const struct report_opts *o, size_t batch, int flush_each);
struct sink *sink_ndjson_new(FILE *out, const struct report_opts *o, size_t batch, int flush_each);

/* Hand each sink of the list at head the same thing. */
void sink_packet(struct sink *head, uint64_t frame, char *line, size_t len);
void sink_conn(struct sink *head, const struct conn_view *cv, const struct verdict *v, struct report_evidence *ev);
void sink_finish(struct sink *head, const struct report_stats *st);
void sink_free_all(struct sink *head);

#endif
