/* keylog.h: TLS secrets from NSS key log text (SSLKEYLOGFILE, RFC 9850), looked up by client random. */
#ifndef SYNACK_KEYLOG_H
#define SYNACK_KEYLOG_H

#include <stddef.h>
#include <stdint.h>

/*
 * A store of the secrets a key log holds, keyed by the ClientHello's 32-byte
 * random, in bounded memory (struct keylog_limits). Text comes from a file
 * (keylog_open, re-read as it grows with keylog_refresh), from pcapng
 * Decryption Secrets Blocks (dsb.h), or from memory (keylog_feed). Every line
 * that is not used is counted by reason (struct keylog_stats).
 *
 * Entries and the secret bytes they point to never move and never change once
 * set: a pointer from keylog_find() stays valid until keylog_close(), and a
 * secret a later refresh learns for that random appears in the same entry.
 * No function here formats a secret; keylog_close() wipes them.
 */

enum keylog_label {
	KEYLOG_CLIENT_RANDOM,                     /* TLS <= 1.2: the 48-byte master secret */
	KEYLOG_CLIENT_EARLY_TRAFFIC_SECRET,       /* TLS 1.3: 0-RTT data */
	KEYLOG_CLIENT_HANDSHAKE_TRAFFIC_SECRET,   /* the client's second flight and its handshake alerts */
	KEYLOG_SERVER_HANDSHAKE_TRAFFIC_SECRET,   /* EncryptedExtensions ... server Finished */
	KEYLOG_CLIENT_TRAFFIC_SECRET_0,           /* client application data, KeyUpdate, alerts */
	KEYLOG_SERVER_TRAFFIC_SECRET_0,           /* server application data, NewSessionTicket, alerts */
	KEYLOG_EXPORTER_SECRET,                   /* not used for decryption */
	KEYLOG_ECH_SECRET,                        /* the ECH HPKE shared secret (32, 48 or 64 bytes) */
	KEYLOG_ECH_CONFIG,                        /* the ECHConfig used (not a secret; 1..KEYLOG_ECH_CONFIG_MAX bytes) */
	KEYLOG_LABELS
};

#define KEYLOG_RANDOM_LEN 32
#define KEYLOG_ECH_CONFIG_MAX 2048                /* bytes of an ECH_CONFIG value */
#define KEYLOG_LINE_MAX (2 * KEYLOG_ECH_CONFIG_MAX + 256)   /* longer lines are malformed (too_long) */
#define KEYLOG_ERR_LEN 256                        /* room for keylog_open's "what: why" */

/* A value known for one label: len 0 when none. p is valid until keylog_close(). */
struct keylog_secret {
	const uint8_t *p;
	uint16_t len;
};

struct keylog_entry {
	uint8_t random[KEYLOG_RANDOM_LEN];
	struct keylog_secret secret[KEYLOG_LABELS];
};

/* Why a line was not used (comments, blank lines and unknown labels are not malformed). */
enum keylog_bad {
	KEYLOG_BAD_FIELDS,        /* not LABEL, random and secret separated by blanks */
	KEYLOG_BAD_RANDOM,        /* the client random is not 64 hex digits */
	KEYLOG_BAD_HEX,           /* the secret is not hex, or has an odd number of digits */
	KEYLOG_BAD_LENGTH,        /* the secret's length is not one its label can have */
	KEYLOG_BAD_TOO_LONG,      /* longer than KEYLOG_LINE_MAX bytes */
	KEYLOG_BAD_CONTROL,       /* holds a NUL or another control byte (not a key log: binary?) */
	KEYLOG_BAD_REASONS
};

/* Bounds: 0 in a field means the default (1,000,000 randoms, 256 MiB, 16 MiB of DSB text). */
struct keylog_limits {
	uint32_t max_randoms;     /* entries (distinct client randoms) */
	size_t max_bytes;         /* the store's memory: entries, index, secret bytes */
	size_t max_dsb_bytes;     /* secrets text taken from pcapng DSBs, per store */
};

/* Where a line came from, for the first malformed line's message. */
enum keylog_source { KEYLOG_SRC_NONE, KEYLOG_SRC_FILE, KEYLOG_SRC_DSB, KEYLOG_SRC_MEMORY };

struct keylog_stats {
	uint64_t lines;                 /* lines read (every kind) */
	uint64_t comments;              /* '#' lines */
	uint64_t blank;                 /* empty or only blanks */
	uint64_t secrets;               /* distinct (random, label) values stored */
	uint64_t randoms;               /* distinct client randoms stored */
	uint64_t by_label[KEYLOG_LABELS]; /* values stored, per label */
	uint64_t unknown_label;         /* well-formed lines with a label not listed above (skipped) */
	uint64_t repeated;              /* a value already known, the same bytes again (not stored twice) */
	uint64_t conflicts;             /* a different value for a random and label already known (the first kept) */
	uint64_t malformed;             /* the sum of bad[] */
	uint64_t bad[KEYLOG_BAD_REASONS];
	uint64_t first_bad_line;        /* 1-based line number of the first malformed line, 0 if none */
	enum keylog_bad first_bad_reason;
	enum keylog_source first_bad_source; /* a file's line, or a line of the first_bad_dsb-th TLSK block */
	uint64_t first_bad_dsb;
	uint64_t dropped_randoms;       /* values not stored: max_randoms reached */
	uint64_t dropped_bytes;         /* values not stored: max_bytes reached */
	uint64_t alloc_failed;          /* values not stored: an allocation failed */
	uint64_t bytes_read;            /* key log bytes read from the file (all passes) */
	uint64_t restarts;              /* the file was truncated or replaced: read again from its start */
	/* pcapng Decryption Secrets Blocks (dsb.h) */
	uint64_t dsb_blocks;            /* TLSK blocks whose text was read */
	uint64_t dsb_other;             /* DSBs of other secrets types (SSH, WireGuard, ...): skipped */
	uint64_t dsb_over_budget;       /* TLSK blocks skipped: max_dsb_bytes reached */
	uint64_t dsb_bytes;             /* text bytes read from TLSK blocks */
};

struct keylog;

/* An empty store (lim may be NULL for the defaults); NULL if out of memory. */
struct keylog *keylog_new(const struct keylog_limits *lim);

/*
 * keylog_new() and the file at path read to its end. With KEYLOG_LIVE a last
 * line without its line end is held until keylog_refresh() sees it completed
 * (the writer may be in the middle of it); without, it is read as a line.
 * NULL when the file cannot be read (or no memory), with err (at least
 * KEYLOG_ERR_LEN bytes) set to "PATH: why", for "synack: PATH: why".
 */
#define KEYLOG_LIVE 1u
struct keylog *keylog_open(const char *path, unsigned flags, const struct keylog_limits *lim, char *err);

/*
 * Read what was appended to the file since the last read. A file now smaller
 * than what was read, or another file at the path (inode changed), is read
 * again from its start; what was learned is kept (stats.restarts). Returns
 * 1, or 0 with err set when the path cannot be read now (the store is
 * unchanged and a later refresh may succeed). 0 also for a store not opened
 * from a file.
 */
int keylog_refresh(struct keylog *kl, char *err);

/* The file is complete: read a last line that has no line end (live mode's end). */
void keylog_finish(struct keylog *kl);

/* Text from memory, as whole lines (a last line without its end is read too). */
void keylog_feed(struct keylog *kl, const char *text, size_t len);

/* The secrets known for a client random, or NULL. */
const struct keylog_entry *keylog_find(const struct keylog *kl, const uint8_t random[KEYLOG_RANDOM_LEN]);

const struct keylog_stats *keylog_stats(const struct keylog *kl);
const struct keylog_limits *keylog_limits(const struct keylog *kl);

/* Names for messages: "CLIENT_RANDOM", "too_long", "key log file" ... */
const char *keylog_label_name(enum keylog_label l);
const char *keylog_bad_name(enum keylog_bad b);

/* Wipe every secret (OPENSSL_cleanse) and free. NULL is fine. */
void keylog_close(struct keylog *kl);

#endif
