/* source.h: where packets come from: a file, stdin, a live interface; with a BPF filter. */
#ifndef SYNACK_SOURCE_H
#define SYNACK_SOURCE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "decode.h"

struct source;
struct stat;
struct writer;
struct writer_format;

struct source_opts {
	const char *file;        /* -r; "-" is stdin */
	const char *iface;       /* -i */
	int snaplen;             /* -s; 0 = 262144 */
	int promisc;             /* 0 with -p */
	const char *filter;      /* BPF expression, or NULL */
	int nano;                /* --nano: a live capture's timestamps in nanoseconds */
	int direction;           /* -Q: 0 not given, else a SOURCE_DIR_ */
	unsigned buffer_kib;     /* -B: the kernel's capture buffer in KiB; 0: libpcap's default */
	int icmp_errors;         /* with a filter: also read the ICMP and ICMPv6 packets it does not
	                          * pass, marked icmp_extra (the reader keeps the errors about its
	                          * connections) */
	int (*link_ok)(int linktype);   /* the link types the reader takes; NULL: the analysis
	                                 * decoder's (decode_link_supported) */
};

/* Room for any message of ours: names in messages are cut to SOURCE_NAME_LEN
 * (their middle becomes "..."), libpcap's own text is under 256 bytes, so the
 * reason after the name is never cut off. */
#define SOURCE_ERRLEN 1024
#define SOURCE_NAME_LEN 256

/*
 * The timestamps source_next() hands on: ts_sec in [SOURCE_TS_SEC_MIN,
 * SOURCE_TS_SEC_MAX], from 1901 (a pcap file's signed 32-bit seconds go no
 * lower) to 2174: a span of 2^33 s, so that a time in nanoseconds with any
 * 32-bit fraction, and the difference of any two such times, fit in an
 * int64_t. A time outside (a pcapng timestamp near 2^64) is clamped to the
 * nearest end and counted (source_clamped()). The fuzz harnesses clamp the
 * same way, to stay within what the analysis can be given.
 */
#define SOURCE_TS_SEC_MIN ((int64_t)INT32_MIN)
#define SOURCE_TS_SEC_MAX (SOURCE_TS_SEC_MIN + ((int64_t)1 << 33) - 1)

static inline int source_clamp_ts(struct packet *p)
{
	if (p->ts_sec < SOURCE_TS_SEC_MIN) {
		p->ts_sec = SOURCE_TS_SEC_MIN;
		return 1;
	}
	if (p->ts_sec > SOURCE_TS_SEC_MAX) {
		p->ts_sec = SOURCE_TS_SEC_MAX;
		return 1;
	}
	return 0;
}

enum { SOURCE_DIR_IN = 1, SOURCE_DIR_OUT, SOURCE_DIR_INOUT };

/*
 * -D: the interfaces libpcap can capture on, one a line as tcpdump prints
 * them ("1.eth0 [Up, Running, Connected]"). The count; -1 on failure (err).
 */
int source_list_interfaces(FILE *out, char *err);

/* Open and apply the filter. On failure, err holds "what: why". */
struct source *source_open(const struct source_opts *o, char *err);
/*
 * The next packet: 1; 2 when a live read timed out with nothing (try again);
 * 0 at the end (or when stopped); -1 on an input error: a read error or a
 * corrupt record (source_error() says why, and at which byte offset); -2 when
 * the file ends in the middle of its last record (source_error() says so: a
 * warning, the packets before it are good). A quiet live source waits up to
 * 200 ms before it returns 2.
 */
int source_next(struct source *s, struct packet *p);
/* The same, without waiting: 2 at once when a live source has nothing ready. */
int source_next_ready(struct source *s, struct packet *p);
/* A live source's descriptor, readable when packets wait (the source is in
 * non-blocking mode); -1 for a file, a pipe, or a live source without one. */
int source_fd(const struct source *s);
const char *source_error(struct source *s);
/* A warning to show once the source is open (e.g. from pcap_activate()), or NULL. */
const char *source_warning(struct source *s);
/* Packets whose timestamps were clamped, and the name to say it with. */
uint64_t source_clamped(const struct source *s);
/* Records read so far, those the filter did not pass included (a file's; a live capture's
 * kernel filter drops what it does not pass before we see it). */
uint64_t source_frames(const struct source *s);
const char *source_name(const struct source *s);
int source_linktype(const struct source *s);
int source_nano(const struct source *s);
/* What the input is (stat: a file not to be written over), or NULL for a live source. */
const struct stat *source_input(const struct source *s);
/* The format to copy packets in: the input's link type, snap length, precision.
 * 0 on failure, why (WRITER_WHYLEN bytes) set. */
int source_format(struct source *s, struct writer_format *f, char *why);
/* Copy the current packet, as read (its time not clamped), to w: writer_packet()'s result. */
int source_copy(struct source *s, struct writer *w);
/*
 * Ask a blocking source_next() to return 0 soon; safe from a signal handler.
 * drain: a pipe still delivers what has already arrived (SIGINT, SIGTERM);
 * without it, reading stops at once (the output went away).
 */
void source_break(struct source *s, int drain);
void source_close(struct source *s);
/* libpcap's counts for a live capture: received, dropped by the kernel. */
int source_stats(struct source *s, unsigned *recv, unsigned *drop);

#endif
