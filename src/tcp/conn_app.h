/* conn_app.h: a TCP connection's payload: its two byte streams and the application protocol reading them. */
#ifndef SYNACK_CONN_APP_H
#define SYNACK_CONN_APP_H

#include <stddef.h>
#include <stdint.h>

#include "app.h"
#include "tcp_stream.h"

/*
 * Made at a connection's first payload byte (an attempt without data costs
 * nothing), in one allocation: the streams, then the protocol's state.
 */
struct conn_app {
	struct tcp_stream st[2];                 /* [0] client to server, [1] server to client */
	const struct app_proto *proto;
	_Alignas(max_align_t) unsigned char state[];   /* proto->state_size bytes */
};

/*
 * The registry: the application protocols TCP payload is offered to, in
 * order of preference (app.h says how one is chosen). Set once, before the
 * first packet; the list must outlive its use. None: payload is only counted.
 */
void conn_app_register(const struct app_proto *const *protos, size_t n);
/* The protocol for a connection whose first payload bytes are these, from dir; NULL if none. */
const struct app_proto *conn_app_choose(struct cursor first, int dir);

/* A new one for proto, its state initialized; NULL when out of memory. */
struct conn_app *conn_app_new(const struct app_proto *proto);
void conn_app_free(struct conn_app *a);
/* Heap bytes a holds: itself, its streams' buffers, what the protocol holds. 0 for NULL. */
size_t conn_app_mem(const struct conn_app *a);


/* One segment's payload from dir, by sequence number, to the stream and on to the protocol:
 * 1 if the protocol says it is evidence. */
static inline int conn_app_segment(struct conn_app *a, int dir, uint32_t seq, const uint8_t *data, size_t len,
		     uint64_t frame, int64_t ts)
{
	struct app_segment seg;

	if (len == 0)
		return 0;
	seg.frame = frame;
	seg.ts = ts;
	seg.what = tcp_stream_segment(&a->st[dir], seq, data, len, frame);
	return a->proto->data(a->state, dir, &seg);
}

/* The protocol's state, if a is there and speaks proto; else NULL. */
static inline void *conn_app_state(const struct conn_app *a, const struct app_proto *proto)
{
	return a != NULL && a->proto == proto ? (void *)a->state : NULL;
}
/* The conn_app whose state this is. */
static inline struct conn_app *conn_app_of(void *state)
{
	return (struct conn_app *)((unsigned char *)state - offsetof(struct conn_app, state));
}
static inline int conn_app_seen(const struct conn_app *a)
{
	return a != NULL && a->proto->seen(a->state);
}
static inline int conn_app_in_handshake(const struct conn_app *a)
{
	return a != NULL && a->proto->in_handshake(a->state);
}

#endif
