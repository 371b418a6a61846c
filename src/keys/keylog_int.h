/* keylog_int.h: the key log store's state, shared by the files of src/keys/ only. */
#ifndef SYNACK_KEYLOG_INT_H
#define SYNACK_KEYLOG_INT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "keylog.h"

/* Lines split out of text that arrives in pieces (a file read as it grows, a DSB). */
struct keylog_reader {
	char buf[KEYLOG_LINE_MAX];   /* the line so far (may hold a secret's hex: wiped) */
	size_t len;
	int overlong;                /* the line passed KEYLOG_LINE_MAX: its rest is dropped */
	int after_cr;                /* the last byte was CR: a LF now is the same line end */
	uint64_t line_no;            /* lines ended so far */
	enum keylog_source src;
	uint64_t dsb_index;          /* for KEYLOG_SRC_DSB: which TLSK block (1-based) */
};

/* One entry and its hash chain link (an index into the blocks, UINT32_MAX at the end). */
struct keylog_slot {
	struct keylog_entry e;
	uint32_t next;
};

#define KEYLOG_BLOCK 1024                 /* slots per block: blocks never move */
#define KEYLOG_CHUNK (64 * 1024)          /* secret bytes per arena chunk */

struct keylog_chunk {
	struct keylog_chunk *next;
	size_t used;
	uint8_t data[KEYLOG_CHUNK];
};

struct keylog {
	struct keylog_limits lim;
	struct keylog_stats st;
	uint64_t seed;
	size_t bytes;                      /* charged against lim.max_bytes */
	struct keylog_slot **blocks;       /* ceil(max_randoms / KEYLOG_BLOCK) pointers */
	uint32_t nblocks;
	uint32_t count;
	uint32_t *buckets;                 /* chain heads, a power of two of them */
	uint32_t nbuckets;
	struct keylog_chunk *chunks;       /* the newest first */
	size_t dsb_used;                   /* DSB text bytes taken, against lim.max_dsb_bytes */
	/* the file, when opened from one */
	char *path;
	unsigned flags;
	int have_id;
	int stream;                        /* a pipe: read once to its end, never reopened */
	dev_t dev;
	ino_t ino;
	uint64_t offset;
	struct keylog_reader file_rd;
	struct keylog_reader aux_rd;       /* keylog_feed and the DSB blocks */
};

/* Line splitting and parsing (keylog_line.c). */
void keylog_reader_reset(struct keylog_reader *rd, enum keylog_source src);
void keylog_read_text(struct keylog *kl, struct keylog_reader *rd, const char *text, size_t len);
void keylog_read_end(struct keylog *kl, struct keylog_reader *rd);

/* Store one value (keylog.c): counted as stored, repeated, conflict or dropped. */
void keylog_store(struct keylog *kl, enum keylog_label l, const uint8_t random[KEYLOG_RANDOM_LEN],
		  const uint8_t *v, size_t n);

#endif
