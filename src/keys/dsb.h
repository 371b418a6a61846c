/* dsb.h: key log text from pcapng Decryption Secrets Blocks (which libpcap skips) into a key log store. */
#ifndef SYNACK_DSB_H
#define SYNACK_DSB_H

#include <stddef.h>
#include <stdint.h>

#include "keylog.h"

/*
 * The pcapng file's blocks are walked (both byte orders, each Section Header
 * Block setting its own, every block length checked against its trailer);
 * the text of each Decryption Secrets Block of type TLSK (0x544c534b, what
 * `editcap --inject-secrets tls,KEYS` writes) is read into the store as key
 * log lines, up to the store's max_dsb_bytes in all. Other blocks are skipped
 * without their bodies being read into memory. Counted in keylog_stats():
 * dsb_blocks, dsb_other, dsb_over_budget, dsb_bytes, and each line as usual.
 */
enum dsb_result {
	DSB_OK,          /* a pcapng file walked to its end */
	DSB_NONE,        /* not a pcapng file (classic pcap, stdin, a pipe, other bytes): no secrets blocks */
	DSB_TRUNCATED,   /* it ends inside a block: the secrets before that are kept */
	DSB_INVALID,     /* a block length or byte-order mark that cannot be: the secrets before it are kept */
	DSB_ERROR,       /* the file cannot be read: err set to "PATH: why" */
};

/* path "-" (stdin) and anything but a regular file are DSB_NONE: they are not read (libpcap reads them). */
enum dsb_result dsb_load(struct keylog *kl, const char *path, char *err);

/* The same walk over bytes in memory (tests, fuzzing). */
enum dsb_result dsb_load_mem(struct keylog *kl, const uint8_t *data, size_t len);

/* "ok", "not pcapng", "truncated", "invalid block", "unreadable". */
const char *dsb_result_name(enum dsb_result r);

#endif
