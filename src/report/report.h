/* report.h: a concluded connection as a text block or one NDJSON object, and the summary. */
#ifndef SYNACK_REPORT_H
#define SYNACK_REPORT_H

#include <limits.h>
#include <stdint.h>
#include <stdio.h>

#include "json.h"
#include "verdict.h"
#include "view.h"

/* One evidence line: a kept packet as tcpdump prints it. */
struct report_line {
	uint64_t frame;
	const char *text;         /* len bytes, not NUL-terminated */
	uint32_t len;
};

struct report_lines {
	uint16_t n;
	uint64_t omitted;         /* packets that were evidence but not kept (c->ev_dropped) */
	struct report_line line[CONN_EVIDENCE_VERBOSE];
};

/*
 * A connection's evidence: its kept packets, made into tcpdump lines only
 * when a report shows them (report_evidence_lines), by whoever kept them.
 */
struct report_evidence {
	void (*render)(void *arg, struct report_lines *out);
	void *arg;
	int rendered;
	struct report_lines lines;
};

/* The lines, rendered on the first call. */
static inline const struct report_lines *report_evidence_lines(struct report_evidence *e)
{
	if (!e->rendered) {
		e->render(e->arg, &e->lines);
		e->rendered = 1;
	}
	return &e->lines;
}

struct report_opts {
	int json;
	int verbose;
	int color;
	int nano;          /* JSON timestamps with 9 decimals (the file's precision) */
	int text_nano;     /* text times with 9 decimals (--nano, as the evidence lines) */
	int utf8;          /* "→" rather than "->" */
	int quiet;         /* -q: the triage table only, no connection blocks */
	unsigned examples; /* full blocks per triage group (REPORT_ALL_EXAMPLES: all) */
};

#define REPORT_DEFAULT_EXAMPLES 3
#define REPORT_ALL_EXAMPLES UINT_MAX
/* Triage groups held at once (triage.h); past it the smallest go to "other". */
#define REPORT_TRIAGE_GROUPS 1024

/* How many connections got one verdict code. */
struct report_code {
	const char *code;
	uint64_t count;
};

/*
 * What the key log store (src/keys: --keylog, pcapng Decryption Secrets
 * Blocks) held at the end, copied by the pipeline so that the report needs
 * no key log of its own. Counts only: never a secret.
 */
struct report_keys {
	int used;                  /* a key log was given, or the capture embedded TLS secrets */
	uint64_t lines;            /* key log lines read (every kind) */
	uint64_t randoms;          /* distinct client randoms stored */
	uint64_t secrets;          /* distinct (random, label) values stored */
	uint64_t malformed;        /* lines not understood */
	uint64_t unknown_label;    /* well-formed lines with a label synack does not use */
	uint64_t conflicts;        /* another value for a random and label already known (the first kept) */
	uint64_t dsb_blocks;       /* pcapng Decryption Secrets Blocks (TLS) read */
	/* bounds of the store: secrets not kept (docs/keylog.md) */
	uint64_t dropped_randoms;  /* the store's 1,000,000 client randoms reached */
	uint64_t dropped_bytes;    /* its 256 MiB reached */
	uint64_t alloc_failed;     /* an allocation failed */
	uint64_t dsb_over_budget;  /* DSBs skipped: their 16 MiB of text reached */
	/* (connections whose secrets were found: to come with the TLS layer's per-connection fact) */
};

struct report_stats {
	uint64_t connections, ok, failed, packets;
	uint64_t tls_findings;   /* connections with TLS findings (conn_view.nissues) */
	uint64_t late_packets;   /* packets of connections already reported: absorbed, not analyzed */
	int incomplete;    /* connections were let go early, or packets not analyzed (bounds.h) */
	int oom;           /* an allocation failed: the results are incomplete */
	double elapsed_s;
	struct report_keys keys;     /* the key log's counts (keys.used 0: none, nothing said) */
	struct report_code *codes;   /* in the order each code first came; no fixed number of them */
	size_t ncodes, cap;
};

/* Count v's connection in s (the codes array grows as new codes come). */
void report_count(struct report_stats *s, const struct verdict *v);
void report_stats_free(struct report_stats *s);
/*
 * The most one report may take: a guard, never reached (an NDJSON object
 * stays under 256 KiB: REPORT_LINE_MAX; a text block with 64 evidence lines
 * of up to 8 KiB each is about 512 KiB). A builder that holds reports
 * waiting to be written may be allowed this much more than it holds at most
 * between writes.
 */
#define REPORT_JSON_MAX (16u << 20)
/* An evidence line longer than this (a hostile packet's) is cut in the NDJSON ("line_cut"): with
 * every list capped, a connection's object then stays under 256 KiB (docs/json.md). */
#define REPORT_LINE_MAX 1024

/* The text block or the JSON object, appended to b for the caller to write out
 * (tb_flush) when it likes: after every report, or in batches. A report that
 * does not fit in b (out of memory, or past its max) is left out whole, and
 * counted in bounds.oom_reports. w: v's words (verdict_words). A JSON record is lean when the
 * verdict is ok and not -v: no explanation, next step or evidence (docs/json.md). */
void report_conn(struct tbuf *b, const struct report_opts *o, const struct conn_view *cv, const struct verdict *v,
		 const struct verdict_text *w, struct report_evidence *ev);
/* The summary; it also counts every bound that was hit (bounds.h), when one was. */
void report_summary(FILE *f, const struct report_opts *o, const struct report_stats *s);
/* One line on stderr for each kind of bound hit that lost something (evictions, memory). */
void report_bounds_stderr(void);

/* Words wrapped at 78 columns under an indented label ("why", "next", "tls", or ""). */
void report_wrapped(struct tbuf *b, const char *label, const char *text);

/* The "tls" member's value (an object, or null), and the TLS lines of the text block; v: cv's
 * verdict, whose facts they show. */
void report_tls_json(struct tbuf *b, const struct conn_view *cv, const struct verdict *v, int nano);
void report_tls_text(struct tbuf *b, const struct conn_view *cv, const struct verdict *v);

#endif
