/* report.h: a concluded connection as a text block or one NDJSON object, and the summary. */
#ifndef SYNACK_REPORT_H
#define SYNACK_REPORT_H

#include <stdint.h>
#include <stdio.h>

#include "conn.h"
#include "json.h"
#include "verdict.h"

struct report_opts {
	int json;
	int verbose;
	int color;
	int nano;          /* timestamps with 9 decimals */
	int utf8;          /* "→" rather than "->" */
};

#define REPORT_MAX_CODES 24

struct report_stats {
	uint64_t connections, ok, failed, packets;
	double elapsed_s;
	const char *codes[REPORT_MAX_CODES];
	uint64_t counts[REPORT_MAX_CODES];
	int ncodes;
};

void report_count(struct report_stats *s, const struct verdict *v);
/* b is scratch space for the JSON text, kept between calls. */
void report_conn(FILE *f, struct jbuf *b, const struct report_opts *o, const struct conn *c,
		 const struct verdict *v);
void report_summary(FILE *f, const struct report_opts *o, const struct report_stats *s);

#endif
