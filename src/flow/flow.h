/* flow.h: the table of live connections, keyed by the 4-tuple in both directions, with idle eviction. */
#ifndef SYNACK_FLOW_H
#define SYNACK_FLOW_H

#include <stddef.h>
#include <stdint.h>

#include "conn.h"

struct flow_table;

/* Called once for every connection, when it is reported (the table frees it afterwards). */
typedef void (*flow_emit_fn)(void *arg, struct conn *c, int reason);

/* Why a connection was reported when it was (verdict_reported_because names them). */
enum flow_reason { FLOW_CLOSED, FLOW_IDLE, FLOW_EVICTED, FLOW_END, FLOW_REUSED, FLOW_EVICTED_MEMORY };

/* Timeouts in nanoseconds of capture time. */
struct flow_table *flow_new(size_t max_flows, int64_t idle_timeout, int64_t close_linger,
			    flow_emit_fn emit, void *arg);
/* The same, with a memory budget in bytes (0: none): past it, connections are let go
 * (reported early, reason FLOW_EVICTED_MEMORY), the largest first. */
struct flow_table *flow_new_budget(size_t max_flows, uint64_t budget, int64_t idle_timeout,
				   int64_t close_linger, flow_emit_fn emit, void *arg);
void flow_free(struct flow_table *t);

/*
 * The connection p belongs to, created if new. NULL when out of memory
 * (bounds.oom_packets) or when p belongs to a connection evicted earlier
 * (bounds.after_eviction): p is not to be analyzed.
 */
struct conn *flow_lookup(struct flow_table *t, const struct packet *p);
/* The same; small_ok: a new connection may start small (c->small, see conn.h);
 * *created: c is new, made of p. */
struct conn *flow_lookup_ex(struct flow_table *t, const struct packet *p, int small_ok, int *created);
/* c->small: make it a whole struct conn (then conn_unpack it). NULL when out of memory: c stays. */
struct conn *flow_promote(struct flow_table *t, struct conn *c);
/* The connection with this tuple (src/dst as given), or NULL; for ICMP quotes (one of an
 * evicted connection is counted in bounds.after_eviction). */
struct conn *flow_find(struct flow_table *t, int v6, const uint8_t *src, uint16_t sport,
		       const uint8_t *dst, uint16_t dport);
/* c has ended (conn_done): report it now; it stays a while, only to absorb late packets. */
void flow_conclude(struct flow_table *t, struct conn *c);
/* After a packet updated c (and after flow_touch): count what it holds now, and keep
 * to the budget; c itself may be let go (reported) then, so use it no more. */
void flow_account(struct flow_table *t, struct conn *c);
/* After a packet updated c: move it in the idle order. */
void flow_touch(struct flow_table *t, struct conn *c);
/* Report and free the connections idle at capture time now. */
void flow_expire(struct flow_table *t, int64_t now);
/* Report and free everything, oldest first. */
void flow_flush(struct flow_table *t);
size_t flow_count(const struct flow_table *t);
/* Bytes the connections hold now, as counted for the budget. */
uint64_t flow_mem(const struct flow_table *t);

#endif
