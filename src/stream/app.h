/* app.h: the seam between a transport and an application protocol: in-order bytes in, evidence out. */
#ifndef SYNACK_APP_H
#define SYNACK_APP_H

#include <stddef.h>
#include <stdint.h>

#include "cursor.h"
#include "reasm.h"

/*
 * A transport (TCP today) owns each direction's byte stream (reasm.h) and
 * hands it, segment by segment, to one application protocol, chosen from a
 * small registry by the first payload bytes of the connection (Suricata's
 * app-layer probing, Zeek's DPD): each protocol's probe says whether the
 * bytes are its own (APP_YES) or only bytes it can judge (APP_MAYBE: TLS
 * judges plaintext on a port where TLS was due); the first YES wins, else the
 * first MAYBE. The protocol pulls from the stream (reasm_data, reasm_consume,
 * reasm_skip, reasm_gap) and decides what it keeps; the transport never looks
 * inside its state.
 */
enum { APP_NO = 0, APP_MAYBE = 1, APP_YES = 2 };

/* What the transport says about the segment it just put into a stream. */
struct app_segment {
	uint64_t frame;
	int64_t ts;               /* ns */
	unsigned what;            /* the stream's REASM_SEG_* bits for it */
};

struct app_proto {
	const char *name;
	size_t state_size;        /* the transport allocates this much, zeroed, with the streams */
	/* The first payload bytes of the connection, from direction dir (0: client to server). */
	int (*probe)(struct cursor first, int dir);
	/* The state is new (zeroed); rs[0] and rs[1] are the two streams, stable until release. */
	void (*init)(void *state, struct reasm *rs[2]);
	/* A segment was put into stream dir (the one init was given): read what is in order.
	 * 1: it is evidence (an evidence line): it completed or changed something a verdict
	 * rests on. */
	int (*data)(void *state, int dir, const struct app_segment *seg);
	/* The protocol is in play on this connection (not only judged, e.g. TLS records seen). */
	int (*seen)(const void *state);
	/* Its handshake is under way: a close now decides the verdict (evidence). */
	int (*in_handshake)(const void *state);
	/* Heap bytes it holds beyond state_size (the streams are the transport's). */
	size_t (*mem)(const void *state);
	/* Start loading what a report will read. */
	void (*prefetch)(const void *state);
	void (*release)(void *state);
};

#endif
