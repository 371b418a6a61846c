/* flow.h: the table of live flows of every transport, keyed by protocol and 4-tuple in both directions, with idle eviction and a memory budget. */
#ifndef SYNACK_FLOW_H
#define SYNACK_FLOW_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "decode.h"

struct flow_table;
struct flow;

/* The transports the table keys flows by (struct flow's proto). */
enum flow_proto { FLOW_TCP = 0, FLOW_UDP, FLOW_PROTOS };

/* A flow's place in one of the table's doubly linked lists. */
struct flow_link {
	struct flow *prev, *next;
};

/*
 * What every transport's flow state begins with (TCP's struct conn, UDP's
 * struct udp_flow): its key, and what the table keeps of it. The transport
 * reads these fields; only the table writes them, except tuple (at init),
 * last_ts and ended.
 */
struct flow {
	uint64_t id;              /* the n-th flow of its transport, from 1 */
	uint8_t proto;            /* enum flow_proto */
	uint8_t v6;
	uint8_t lru_list;         /* which idle list it is on */
	uint8_t set;              /* which of the table's sets holds it */
	uint8_t reported_because; /* enum flow_reason, set when the table lets it go */
	uint8_t reported;         /* already reported: kept only to absorb late packets */
	uint8_t lingering;        /* this is only the first linger_bytes of it (flow_ops) */
	uint8_t small;            /* started small (flow_ops.small_bytes), not yet made whole */
	uint8_t ended;            /* the transport says it ended: after its report it lingers briefly
				   * (one reported before it ended waits out the idle timeout) */
	uint8_t mem_list;         /* which of the table's lists by size holds it; 0: none */
	uint32_t mem;             /* bytes accounted to it (flow_ops.mem), as last counted */
	uint64_t hash;
	struct flow_link lru;     /* the idle order */
	struct flow_link by_size; /* the list of its size class */
	int64_t last_ts;          /* its latest packet, ns: the idle clock */
	uint8_t addr[2][16];      /* the tuple: [0] the client (initiator), [1] the server */
	uint16_t port[2];
};

/* Which side of f sent a packet from src:sport: 0 (the client) or 1. Inline: per packet. */
static inline int flow_side_of(const struct flow *f, const uint8_t *src, uint16_t sport)
{
	/* memcmp with a constant length: compiled to word compares */
	int same = f->v6 ? memcmp(src, f->addr[0], 16) == 0 : memcmp(src, f->addr[0], 4) == 0;
	return sport == f->port[0] && same ? 0 : 1;
}

/* Why a flow was reported when it was (verdict_reported_because names them). */
enum flow_reason { FLOW_CLOSED, FLOW_IDLE, FLOW_EVICTED, FLOW_END, FLOW_REUSED, FLOW_EVICTED_MEMORY };

/* What the table asks of one transport's flows. */
struct flow_ops {
	size_t size;              /* bytes of a whole flow */
	size_t linger_bytes;      /* the prefix a reported flow keeps while it lingers: all that is_reuse,
				   * mark and release may read of one */
	/* Set up f, a zeroed allocation (size bytes, or small_bytes(p) when small), for p, its first packet. */
	void (*init)(struct flow *f, const struct packet *p, int small);
	/* p may start a small flow of this many bytes; 0: a whole one. NULL: never small. */
	size_t (*small_bytes)(const struct packet *p);
	/* The bytes of f, small. */
	size_t (*small_size)(const struct flow *f);
	/* p, of f's tuple, starts another flow on it (TCP: a new SYN); asked only of a packet the
	 * caller says may (flow_lookup's may_start); NULL: never. */
	int (*is_reuse)(const struct flow *f, const struct packet *p);
	/* An evicted flow is remembered, so that its later packets are not taken for a new flow:
	 * 1 with a mark that tells it from a later flow on the same tuple (TCP: the client's
	 * ISN), 0 without one; NULL: not remembered. */
	int (*mark)(const struct flow *f, uint32_t *mark);
	/* p, of a remembered tuple (its mark, if it had one), starts a new flow. */
	int (*starts_anew)(const struct packet *p, uint32_t mark, int has_mark);
	/* Bytes f holds (whole, not lingering): for the budget. */
	size_t (*mem)(const struct flow *f);
	/* Free what f holds beyond itself (f may be small or lingering: only its first bytes). */
	void (*release)(struct flow *f);
};

/* Called once for every flow, when it is reported (the table frees it afterwards). */
typedef void (*flow_emit_fn)(void *arg, struct flow *f, int reason);

/* Timeouts in nanoseconds of capture time; budget in bytes (0: none): past it, flows are let go
 * (reported early, reason FLOW_EVICTED_MEMORY), the largest first. */
struct flow_table *flow_new(size_t max_flows, uint64_t budget, int64_t idle_timeout, int64_t close_linger,
			    flow_emit_fn emit, void *arg);
/* The transport proto's flows: before its first packet. A packet of a transport without ops is
 * no flow's. */
void flow_register(struct flow_table *t, enum flow_proto proto, const struct flow_ops *ops);
void flow_free(struct flow_table *t);

/*
 * The flow p belongs to (by p->l4: TCP or UDP), created if new. NULL when out
 * of memory (bounds.oom_packets), when p belongs to a flow evicted earlier
 * (bounds.after_eviction), or when it is a late packet of a flow already
 * reported (lingering: the table keeps its idle order): p is not to be
 * analyzed. A reported flow is never handed out: only the table and its
 * transport's ops see one, and they read no more of it than linger_bytes. small_ok: a new flow may
 * start small; may_start: p could start another flow on a tuple in use (TCP:
 * it is a SYN), so the transport is asked (flow_ops.is_reuse) — the caller
 * knows this per packet at no cost; *created: f is new, made of p.
 */
struct flow *flow_lookup(struct flow_table *t, const struct packet *p, int small_ok, int may_start, int *created);
/* f->small: make it whole (then the transport fills it in). NULL when out of memory: f stays. */
struct flow *flow_promote(struct flow_table *t, struct flow *f);
/* The flow with this tuple (src/dst as given), or NULL (also for one already reported); for
 * ICMP quotes (one of an evicted flow is counted in bounds.after_eviction). */
struct flow *flow_find(struct flow_table *t, enum flow_proto proto, int v6, const uint8_t *src, uint16_t sport,
		       const uint8_t *dst, uint16_t dport);
/* Whether the table holds that tuple, in flight or reported and lingering: nothing counted. */
int flow_known(struct flow_table *t, enum flow_proto proto, int v6, const uint8_t *src, uint16_t sport,
	       const uint8_t *dst, uint16_t dport);
/*
 * f's outcome is known: report it now. It stays, as its first linger_bytes,
 * only to absorb late packets (flow_late): briefly when it ended (f->ended),
 * else (an attempt refused or answered by an ICMP error, whose client may
 * send the same SYN again) until it has been idle for the idle timeout, so
 * that a retry of the same attempt is not taken for a new one.
 */
void flow_conclude(struct flow_table *t, struct flow *f);
/* After a packet updated f (and after flow_touch): count what it holds now, and keep to the
 * budget; f itself may be let go (reported) then, so use it no more. */
void flow_account(struct flow_table *t, struct flow *f);
/* After a packet updated f: move it in the idle order. */
void flow_touch(struct flow_table *t, struct flow *f);
/* Report and free the flows idle at capture time now. */
void flow_expire(struct flow_table *t, int64_t now);
/* Report and free everything, oldest first. */
void flow_flush(struct flow_table *t);
size_t flow_count(const struct flow_table *t);
/* Packets of flows already reported (late FINs, retried SYNs, ICMP errors about them):
 * absorbed, not analyzed. */
uint64_t flow_late(const struct flow_table *t);
/* Bytes the flows hold now, as counted for the budget. */
uint64_t flow_mem(const struct flow_table *t);

/* An ICMP or ICMPv6 error quoting a flow's packets: the first one. */
struct icmp_note {
	uint8_t set, v6, type, code, from_dest;
	uint8_t ttl;              /* the error's own TTL or hop limit */
	uint8_t from[16];
	uint64_t frame;
	int64_t ts;
};

/* Note p, an ICMP error quoting f's packets, in n (if it holds none yet): 1 if it was noted. */
int flow_icmp(const struct flow *f, struct icmp_note *n, const struct packet *p);

#endif
