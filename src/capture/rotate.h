/* rotate.h: -w's copy of the packets, in one file or rotated as tcpdump's -C, -W and -G do. */
#ifndef SYNACK_ROTATE_H
#define SYNACK_ROTATE_H

#include <stdint.h>
#include <sys/stat.h>
#include <time.h>

#include "writer.h"

struct rotate_opts {
	const char *path;         /* -w; "-" is stdout (never rotated) */
	uint64_t max_bytes;       /* -C: a new file once one is over this (tcpdump's -C N is N * 1,000,000); 0: none */
	unsigned files;           /* -W: with -C, a ring of this many files (NAME0 ...); with -G, stop after
	                           * this many; 0: no limit */
	unsigned seconds;         /* -G: a new file every this many seconds of wall time, named by
	                           * strftime(NAME); 0: none */
	int packet_buffered;      /* -U: each packet out to the file as it is written */
	int in_place;             /* files written under their own names from the start (-U, -Z) */
};

/* How rotate_packet() went. */
enum rotate_status {
	ROTATE_OK = 1,
	ROTATE_FAILED = 0,        /* a write, or opening the next file, failed: rotate_close() says what */
	ROTATE_LIMIT = 2,         /* -G with -W: the last file is done; the packet was not written */
};

struct rotation;

/* Open the first file. NULL on failure, err (WRITER_ERRLEN) says why; nothing is left behind. */
struct rotation *rotate_open(const struct rotate_opts *o, const struct writer_format *f, const struct stat *input,
			     char *err);
/* The file a packet is to go to now (after any rotation it is due); NULL on failure or at the -W limit. */
struct writer *rotate_next(struct rotation *r, enum rotate_status *st);
/* After a packet was written to rotate_next()'s file: -U's flush. */
int rotate_done(struct rotation *r);
/* Close the file being written: committed (1) or removed (0). Files closed by a rotation stay.
 * 0 on a failure, err saying what. */
int rotate_close(struct rotation *r, int commit, char *err);

/* tcpdump's name for file number n: NAME, or NAME followed by n (zero-padded to the width of
 * files - 1 when files is set); 0 if it does not fit in size. */
int rotate_name(char *dst, size_t size, const char *name, unsigned n, unsigned files, int numbered);

#endif
