/* tls_wire.h: TLS state fed as TCP feeds it (conn_app.h: streams placed by sequence number), for tests and fuzzing. */
#ifndef SYNACK_TLS_WIRE_H
#define SYNACK_TLS_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include "conn_app.h"
#include "tls.h"

/* A connection's TLS state with its two streams; NULL when out of memory. */
static inline struct tls_conn *tls_new(void)
{
	struct conn_app *a = conn_app_new(&tls_app);
	return a != NULL ? (struct tls_conn *)(void *)a->state : NULL;
}

static inline void tls_free(struct tls_conn *t)
{
	if (t != NULL)
		conn_app_free(conn_app_of(t));
}

/* A SYN (dir 0) or SYN-ACK (dir 1) with this ISN: the stream's origin. */
static inline void tls_syn(struct tls_conn *t, int dir, uint32_t isn)
{
	tcp_stream_syn(&conn_app_of(t)->st[dir], isn);
}

/* One segment's payload in direction dir, as TCP hands it on: tls_stream_data's answer. */
static inline int tls_segment(struct tls_conn *t, int dir, uint32_t seq, const uint8_t *data, size_t len,
			      uint64_t frame, int64_t ts)
{
	struct app_segment seg = { frame, ts, 0 };

	if (len == 0)
		return 0;
	seg.what = tcp_stream_segment(&conn_app_of(t)->st[dir], seq, data, len, frame);
	return tls_stream_data(t, dir, &seg);
}

#endif
