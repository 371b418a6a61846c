/* analysis.h: the pipeline from decoded packets to reported verdicts, without the command line. */
#ifndef SYNACK_ANALYSIS_H
#define SYNACK_ANALYSIS_H

#include <stdint.h>
#include <stdio.h>

#include "decode.h"
#include "report.h"

struct analysis_opts {
	struct report_opts rep;
	int absolute_seq;      /* -S in evidence lines */
	unsigned print_flags;  /* more of the printer's (PRINT_NANO ...) for every line */
	int tmode;             /* -t ...: an enum print_time; -ttt and -ttttt count within each
	                        * connection's evidence (and over the whole capture for --packets) */
	int packets;           /* --packets: every packet's line as well */
	int flush_each;        /* flush the output after every report (live) */
	int batch;             /* reports written in batches of ANALYSIS_BATCH bytes (a file, no -l) */
	double idle;           /* seconds of capture time */
	uint64_t max_flows;
	uint64_t memory_limit;  /* bytes of connection state; 0: no limit */
	int capture_point;      /* --capture-point: an enum verdict_cp; -1: judged from the TTLs */
	double close_delay;     /* --close-delay: seconds an ended connection waits for more packets
	                         * before its report (Zeek's tcp_close_delay); 0: reported at once */
	/* TLS secrets (--keylog, the capture's Decryption Secrets Blocks), or NULL: the caller's,
	 * freed by it after analysis_free; the summary counts what it holds */
	struct keylog *keylog;
	int keylog_live;        /* re-read the key log file as it grows (a live capture's)... */
	const char *keylog_path;  /* ...at this path (stat first: unchanged, not opened) */
	/* after each live re-read: err is why it failed (or NULL); the caller says what is new, once */
	void (*keylog_reread)(const struct keylog *kl, const char *err);
};

/* A live key log is re-read after this many packets, or this long (capture time), or when quiet. */
#define ANALYSIS_KEYLOG_PACKETS 1024
#define ANALYSIS_KEYLOG_NS 200000000

/* Batched JSON goes out in writes at least this large, each one write(2) from
 * our buffer (the command makes stdout unbuffered for it). */
#define ANALYSIS_BATCH (64 * 1024)

/* Memory set aside at the start, given back at the first allocation that fails. */
#define ANALYSIS_RESERVE (4u << 20)

struct analysis;

/*
 * What the packets analyzed were, when no TCP connection came of them: "12
 * UDP, 3 ICMP, 2 not IP (2 ARP)" in buf (n bytes, NUL-terminated), for the
 * line that says an empty analysis is not a success.
 */
void analysis_kinds(const struct analysis *a, char *buf, size_t n);

/* --capture-point's word (client, server, middle) as analysis_opts.capture_point; -2 if none. */
int analysis_capture_point(const char *name);

struct analysis *analysis_new(const struct analysis_opts *o, FILE *out);
/* One captured packet (p->data etc. set, not yet decoded). */
void analysis_packet(struct analysis *a, struct packet *p, int linktype);
/* Time passes with no packet (a quiet live capture): report what is idle by now (ns). */
void analysis_tick(struct analysis *a, int64_t now);
/* Report what is pending and the summary; the stats stay readable until analysis_free. */
const struct report_stats *analysis_finish(struct analysis *a, double elapsed_s);
/* Nobody reads the output any more (EPIPE): connections still pending, at the finish or at
 * analysis_free, are let go without a report, and the summary is not written. (The analysis
 * also notices by itself when its output has an error.) */
void analysis_discard(struct analysis *a);
void analysis_free(struct analysis *a);

#endif
