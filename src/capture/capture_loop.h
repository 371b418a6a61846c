/* capture_loop.h: the one capture loop every command runs: a source, its -w copy, -c, live ticks, a stop, the end. */
#ifndef SYNACK_CAPTURE_LOOP_H
#define SYNACK_CAPTURE_LOOP_H

#include <signal.h>
#include <stdint.h>

#include "source.h"
#include "rotate.h"
#include "writer.h"

/* How a loop ended (capture_run(), capture_pump()); the negative ones are source_next()'s. */
enum capture_end {
	CAPTURE_TRUNCATED = -2,   /* the file ends inside its last record (source_error() says so):
	                           * a warning, the packets before it are good */
	CAPTURE_READ_ERROR = -1,  /* a read error or a corrupt record: source_error() says why */
	CAPTURE_END = 0,          /* the input ended, or a signal stopped it (source_break()) */
	CAPTURE_COUNT = 1,        /* count packets were read */
	CAPTURE_AGAIN = 2,        /* capture_pump() only: nothing more is ready now */
	CAPTURE_WRITE_FAILED = 3, /* the copy (-w) failed: capture_close() says what it kept */
	CAPTURE_STOPPED = 4,      /* capture_stop() */
	CAPTURE_FILE_LIMIT = 5,   /* -G with -W: the last file's time is over (tcpdump: "Maximum file
	                           * limit reached") */
};

/*
 * One source, read packet by packet into a callback. Zero it (or set the
 * fields below) and capture_open() it; then capture_run() (files, pipes and
 * live captures alike), or, to multiplex a live capture with other
 * descriptors, poll capture_fd() and call capture_pump() when it is readable.
 */
struct capture {
	/* set by the caller (between loops; the callbacks leave them alone) */
	void (*packet)(void *ctx, struct packet *p);  /* each packet read (after its copy; an icmp_extra
	                                               * one before, and copied and counted only if
	                                               * the callback sets p->keep); required */
	void (*idle)(void *ctx, int64_t now_ns);      /* capture_run() on a live source: 200 ms went by
	                                               * with no packet; the wall clock (CLOCK_REALTIME) */
	void *ctx;
	uint64_t count;            /* stop after this many packets (-c); 0: no limit */
	/* kept by the loop, to read */
	struct source *src;
	struct rotation *copy;     /* -w: every packet read goes here first, as read */
	uint64_t packets;          /* read so far (brought up to date when the loop returns) */
	int end;                   /* how the last capture_run() or capture_pump() ended */
	volatile sig_atomic_t stop;        /* set by capture_stop() */
};

/*
 * Open the source, then (write_to not NULL: -w) the copy of every packet, in
 * the input's format; "-" is stdout. 0 on failure: err ("what: why", room for
 * SOURCE_ERRLEN) says which, and nothing is left open or written.
 */
int capture_open(struct capture *c, const struct source_opts *o, const char *write_to, char *err);
/* The same, with -w's rotation (-C, -W, -G) and -U; w NULL or w->path NULL: no copy. */
int capture_open_rotating(struct capture *c, const struct source_opts *o, const struct rotate_opts *w, char *err);

/* Read until the input ends, count packets were read, capture_stop(), a copy
 * fails, or an input error. Returns (and keeps in c->end) a capture_end. */
int capture_run(struct capture *c);

/* A live source's descriptor to poll for readability (the source does not
 * block), or -1: a file or a pipe, read by capture_run(). */
int capture_fd(const struct capture *c);

/* The packets ready now, without waiting; CAPTURE_AGAIN when no more are
 * (else as capture_run()). A file or a pipe is always ready: read to its end. */
int capture_pump(struct capture *c);

/* End the loop after the packet being handled (from a callback; a signal
 * handler may call it too, but source_break() also ends a blocking read). */
void capture_stop(struct capture *c);

/*
 * Close the source and the copy: committed (1: renamed into place) or thrown
 * away (0). Returns 0 after a failed write, err saying what, and how many
 * packets the file keeps (the whole packets written before the failure are
 * committed).
 */
int capture_close(struct capture *c, int commit, char *err);

#endif
