/* flow.h: the table of live connections, keyed by the 4-tuple in both directions, with idle eviction. */
#ifndef SYNACK_FLOW_H
#define SYNACK_FLOW_H

#include <stddef.h>
#include <stdint.h>

#include "conn.h"

struct flow_table;

/* Called once for every connection, when it is reported (the table frees it afterwards). */
typedef void (*flow_emit_fn)(void *arg, struct conn *c, int reason);

enum flow_reason { FLOW_CLOSED, FLOW_IDLE, FLOW_EVICTED, FLOW_END, FLOW_REUSED };

/* Timeouts in nanoseconds of capture time. */
struct flow_table *flow_new(size_t max_flows, int64_t idle_timeout, int64_t close_linger,
			    flow_emit_fn emit, void *arg);
void flow_free(struct flow_table *t);

/* The connection p belongs to, created if new; NULL only when out of memory. */
struct conn *flow_lookup(struct flow_table *t, const struct packet *p);
/* The connection with this tuple (src/dst as given), or NULL; for ICMP quotes. */
struct conn *flow_find(struct flow_table *t, int v6, const uint8_t *src, uint16_t sport,
		       const uint8_t *dst, uint16_t dport);
/* c has ended (conn_done): report it now; it stays a while, only to absorb late packets. */
void flow_conclude(struct flow_table *t, struct conn *c);
/* After a packet updated c: move it in the idle order. */
void flow_touch(struct flow_table *t, struct conn *c);
/* Report and free the connections idle at capture time now. */
void flow_expire(struct flow_table *t, int64_t now);
/* Report and free everything, oldest first. */
void flow_flush(struct flow_table *t);
size_t flow_count(const struct flow_table *t);

#endif
