/* triage.h: concluded connections grouped by (verdict code, server, SNI) in bounded memory, and the table of the groups. */
#ifndef SYNACK_TRIAGE_H
#define SYNACK_TRIAGE_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include "tbuf.h"

#define TRIAGE_SNI_MAX 255        /* SNI bytes kept (and keyed on): longer ones are cut */
#define TRIAGE_NEXT_MAX 512       /* bytes of a group's next step kept, cut at a word */
#define TRIAGE_IDS 8              /* example ids listed per group */
#define TRIAGE_EXACT_CLIENTS 64   /* distinct clients counted exactly; past that, estimated */
#define TRIAGE_ALL UINT_MAX       /* triage_new's examples: every connection is an example */

/* What a concluded connection gives the table (read during triage_add only). */
struct triage_conn {
	const char *code;           /* verdict code, a static string, e.g. "tls.alert" */
	int ok;                     /* the verdict's ok flag */
	int v6;                     /* the family of both addresses */
	const uint8_t *server_addr; /* 4 or 16 bytes, network order */
	uint16_t server_port;
	const uint8_t *client_addr; /* for the distinct clients */
	const uint8_t *sni;         /* untrusted bytes, sni_len long (0: none); at most 255 kept */
	size_t sni_len;
	int64_t first_ts, last_ts;  /* ns since the epoch */
	uint64_t id;                /* the connection's id */
	const char *next_step;      /* the verdict's next step, or NULL */
};

/* Where the connections added went, for tests and the summary's bounds. */
struct triage_totals {
	uint64_t connections;       /* added */
	size_t groups;              /* groups held now (at most max_groups) */
	uint64_t other;             /* connections in the "other" row */
	uint64_t evictions;         /* groups folded into "other" to make room */
	uint64_t no_memory;         /* connections put in "other" because an allocation failed */
};

struct triage;

/*
 * A table of at most max_groups groups (at least 1), each showing its first
 * `examples` connections (TRIAGE_ALL: every one). NULL when out of memory.
 * When the table is full, a new group takes the place of one with few
 * connections (the least of a few sampled, as Redis approximates LFU), whose
 * counts go to the "other" row: memory stays bounded, totals add up.
 */
struct triage *triage_new(size_t max_groups, unsigned examples);
void triage_free(struct triage *t);

/*
 * Count c in its group. 1: c is one of the group's first `examples`
 * connections (the caller prints its full block; the table lists its id);
 * 0: only counted (also when no memory was left for its group: it is then
 * counted in "other" and in no_memory, and bounds_alloc_failed() was called).
 */
int triage_add(struct triage *t, const struct triage_conn *c);

void triage_totals(const struct triage *t, struct triage_totals *out);
uint64_t triage_evictions(const struct triage *t);

/*
 * The table for people, every line at most 80 columns: failures first, then
 * by connections (most first), first time, code, server; healthy groups
 * after, "other" last. Per group a row: connections, distinct clients, code,
 * server, SNI escaped as \xNN (a field that does not fit goes on to the next
 * line, at column 17; an SNI longer than a line is cut with "…" or "..."
 * (utf8)); a line of its first and last time (HH:MM:SS and 6 or 9 (nano)
 * decimals, UTC, "+Nd" when on a later day than the date in the header: the
 * print stage's local-time stamps are not ours to call, and a table read
 * across time zones wants UTC) and the ids of its examples; then its next
 * step, wrapped at 78 columns under a "next" label. Marks: "*" after the
 * connections of a group that is not complete, "~" before an estimated
 * count of clients; a footnote explains each mark used. Appended to b
 * (check tb_failed).
 */
void triage_text(const struct triage *t, struct tbuf *b, int nano, int utf8);

/*
 * One NDJSON object per group, in the table's order, then the "other" one
 * when it counted any connection:
 *   {"type":"group","code":..,"ok":..,"server":{"ip":..,"port":..},"sni":..|null,
 *    ["sni_utf8":false,] "connections":N,"clients":N,"clients_estimated":bool,
 *    "first_ts":..,"last_ts":..,"examples":[ids, at most 8],"examples_shown":N,
 *    "complete":bool,"next_step":..|null}
 *   {"type":"group","other":true,"connections":N,"groups":N,"failed":N,
 *    "no_memory":N,"first_ts":..,"last_ts":..}
 * complete is false when connections of the group's key may have gone to
 * "other" before the group was made (a map of 65,536 bits of the keys of
 * groups evicted or not made: a clear bit proves it complete). An object that
 * does not fit in b is left out whole (bounds.oom_reports).
 */
void triage_json(const struct triage *t, struct tbuf *b, int nano);

#endif
