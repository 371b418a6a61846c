/* source.h: where packets come from (a file, stdin, a live interface) and where -w sends them. */
#ifndef SYNACK_SOURCE_H
#define SYNACK_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "decode.h"

struct source;

struct source_opts {
	const char *file;        /* -r; "-" is stdin */
	const char *iface;       /* -i */
	int snaplen;             /* -s; 0 = 262144 */
	int promisc;             /* 0 with -p */
	const char *filter;      /* BPF expression, or NULL */
	const char *write_to;    /* -w */
};

#define SOURCE_ERRLEN 512

/* Open, apply the filter, prepare -w. On failure, err holds "what: why". */
struct source *source_open(const struct source_opts *o, char *err);
/* The next packet: 1; 2 when a live read timed out with nothing (try again);
 * 0 at the end; -1 on a read error (source_error() says why). */
int source_next(struct source *s, struct packet *p);
const char *source_error(struct source *s);
int source_linktype(const struct source *s);
int source_nano(const struct source *s);
/* Copy the current packet to the -w file, if there is one. */
void source_dump(struct source *s);
/* Ask a blocking source_next() to return 0 soon; safe from a signal handler. */
void source_break(struct source *s);
/* Finish: commit the -w file (1) or throw it away (0). Returns 0 on a write error. */
int source_close(struct source *s, int commit, char *err);
/* libpcap's counts for a live capture: received, dropped by the kernel. */
int source_stats(struct source *s, unsigned *recv, unsigned *drop);

#endif
