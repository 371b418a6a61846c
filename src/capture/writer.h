/* writer.h: one packet writer: a pcap file of any packets (copied or modified), 0600, never left half-written. */
#ifndef SYNACK_WRITER_H
#define SYNACK_WRITER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

/* Room for any message of ours, as source.h's: names cut to WRITER_NAME_LEN. */
#define WRITER_ERRLEN 1024
#define WRITER_NAME_LEN 256
/* Room for libpcap's reason alone (PCAP_ERRBUF_SIZE). */
#define WRITER_WHYLEN 256

struct pcap;                   /* libpcap's pcap_t, for the files of this folder */
struct writer;

/* What the file header says: the savefile link type (LINKTYPE_ value, with any
 * extension bits such as an FCS length), the snap length, the precision. */
struct writer_format {
	uint32_t linktype;
	uint32_t snaplen;
	int nano;                  /* 1: nanosecond timestamps, 0: microseconds */
};

/* The format libpcap writes for an open handle (its link type mapped to the
 * savefile's, extension bits included). 0 on failure, why (WRITER_WHYLEN
 * bytes) says libpcap's reason. */
int writer_format_pcap(struct pcap *p, struct writer_format *f, char *why);
/* The format for a DLT_ link type, a snap length and a precision. 0 on failure (err: why). */
int writer_format_dlt(int dlt, int snaplen, int nano, struct writer_format *f, char *err);

/*
 * Open path for writing packets; the header is written at once. A regular
 * file (or a new name) is written to a private temporary file
 * ("PATH.partial.XXXXXX", mode 0600 from birth, in the same directory) that
 * writer_close() renames into place; a symbolic link to a regular file has its
 * target replaced so, the link kept. A FIFO or a device is written in place.
 * "-" is stdout (its errors are the caller's to report, at its flush). A
 * dangling link, a socket, a directory, or the file described by input (when
 * not NULL: the capture being read) are refused. NULL on failure, err set
 * ("NAME: cannot write: why"); nothing is left behind.
 */
struct writer *writer_open(const char *path, const struct writer_format *f, const struct stat *input,
			   char *err);

/*
 * The same, with flags: WRITER_IN_PLACE writes a regular file under its own
 * name from the start (for -U: a reader can follow it as it grows), removed
 * again if the writer is closed without commit.
 */
#define WRITER_IN_PLACE 1u
struct writer *writer_open_flags(const char *path, const struct writer_format *f, const struct stat *input,
				 unsigned flags, char *err);

/*
 * One packet with its own header: ts_frac in the file's precision; caplen
 * bytes at data, of len on the wire. The seconds are written as libpcap does
 * (their low 32 bits). 0 once a write has failed: nothing more is written,
 * writer_close() says what was kept.
 */
int writer_packet(struct writer *w, int64_t ts_sec, uint32_t ts_frac, uint32_t caplen, uint32_t len,
		  const uint8_t *data);

/*
 * Finish and free. commit 1: the file is renamed into place (after a failed
 * write, with the whole packets written before it, if any, said so in err);
 * commit 0 (abort): the temporary file is removed. Returns 0 after a write or
 * rename error, err saying what, and how many packets were written or kept.
 */
int writer_close(struct writer *w, int commit, char *err);

/* The name in messages. */
const char *writer_name(const struct writer *w);
/* Bytes written so far (handed to stdio), the file header included: -C's measure. */
uint64_t writer_size(const struct writer *w);
/* Everything written so far out to the file (-U). 0 once a write has failed. */
int writer_flush(struct writer *w);

/* A name for messages in size bytes: whole if it fits, else its two ends around "...". */
void writer_cut_name(char *dst, size_t size, const char *name);

#endif
