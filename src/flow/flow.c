/* flow.c: open-addressing table of every transport's flows plus two idle-ordered lists (open, closed). */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "bounds.h"
#include "flow.h"
#include "spares.h"

/*
 * Evicted connections are remembered (their tuple's hash and the client's
 * ISN), so that their later packets are counted as such rather than taken for
 * new connections that began mid-stream: GONE_SLOTS entries (1 MiB), made at
 * the first eviction, in sets of GONE_WAYS by hash; a full set forgets its
 * oldest, and that is counted (bounds.evicted_forgotten).
 */
#define GONE_WAYS 8
#define GONE_BITS 13             /* 2^13 sets */
#define GONE_SLOTS ((1u << GONE_BITS) * GONE_WAYS)

/*
 * Connections that ended and were let go after their linger, remembered a
 * while more (until the idle timeout of capture time after their last
 * packet), so that a packet of one arriving later is counted late rather
 * than taken for a new connection seen midway (a phantom tcp.not_seen, its
 * roles guessed, maybe reversed, its bytes read from the middle). A new SYN
 * starts anew. CLOSED_SLOTS of them: a set that is full forgets the one
 * that expires first, and such a packet may then start a connection of its
 * own (which says it began mid-connection).
 */
#define CLOSED_WAYS 4
#define CLOSED_BITS 12
#define CLOSED_SLOTS ((1u << CLOSED_BITS) * CLOSED_WAYS)

struct closed {
	uint64_t hash;
	int64_t until;            /* capture time (ns) after which it is forgotten; 0: a free entry */
};

struct gone {
	uint64_t hash;
	uint32_t isn;             /* its mark (flow_ops.mark): TCP's client ISN */
	uint32_t stamp;           /* when it was remembered (t->gone_stamp); 0: a free entry */
	uint8_t isn_set;
};

/*
 * The memory budget: connections of at least 2^MEM_LIST_MIN bytes are kept
 * in lists by size, list k holding those of [2^k, 2^(k+1)) bytes, so that
 * the largest can be let go first (within a factor of two) at no search.
 */
#define MEM_LISTS 32
#define MEM_LIST_MIN 12

struct lru {
	struct flow *head, *tail;
};

struct slot {
	uint64_t hash;            /* cached, so probes and moves need not touch the flow */
	struct flow *c;
};

/* An open-addressing set of connections (linear probing), keyed by their tuple hash. */
struct hset {
	struct slot *slots;
	size_t mask, count;
};

/*
 * Two sets: the open connections, and the reported ones that linger. Every
 * packet of an open connection probes the first, which holds only what is in
 * flight and so stays small and cached; the lingering (many more, at high
 * connection rates) are looked for only when that finds nothing.
 */
enum { SET_OPEN, SET_REPORTED };

struct flow_table {
	struct hset set[2];       /* [SET_OPEN], [SET_REPORTED]: the one c->set names */
	size_t count, max;        /* in both sets */
	uint64_t late;            /* packets of reported flows, absorbed (flow_late) */
	int64_t idle, linger;       /* nanoseconds of capture time */
	struct lru list[2];       /* [0] open, [1] closed: each oldest first */
	flow_emit_fn emit;
	void *arg;
	const struct flow_ops *ops[FLOW_PROTOS];   /* NULL: that transport's packets are no flow's */
	uint64_t next_id[FLOW_PROTOS];
	struct spares spare[FLOW_PROTOS];          /* freed whole flows, for the next ones */
	struct gone *gone;        /* evicted connections, GONE_SLOTS of them (NULL: none yet) */
	struct closed *closed;    /* ended connections let go, CLOSED_SLOTS of them (NULL: none yet) */
	uint32_t gone_stamp;      /* entries remembered so far */
	uint64_t mem, budget;     /* bytes the connections hold (cost()), and the most they may */
	struct lru bysize[MEM_LISTS];   /* through f->by_size; [k] for k >= MEM_LIST_MIN */
};

static uint64_t mix64(uint64_t h, uint64_t v)
{
	h ^= v;
	h *= 0x9e3779b97f4a7c15ull;
	return h ^ (h >> 32);
}

static uint64_t load64(const uint8_t *p, size_t n)
{
	uint64_t v = 0;
	memcpy(&v, p, n);
	return v;
}

/* One end of a tuple as a 64-bit key: an IPv4 address and port side by side, an IPv6 one mixed. */
static uint64_t end_key(int v6, const uint8_t *a, uint16_t port)
{
	if (!v6)
		return load64(a, 4) << 16 | port;
	return mix64(mix64(port, load64(a, 8)), load64(a + 8, 8));
}

/*
 * The same hash for both directions: the two ends in a fixed order (smaller key
 * first), then mixed, the transport in the seed. Two multiplications for IPv4;
 * this runs for every packet.
 */
static inline uint64_t tuple_hash(int proto, int v6, const uint8_t *a, uint16_t ap, const uint8_t *b, uint16_t bp)
{
	uint64_t x = end_key(v6, a, ap), y = end_key(v6, b, bp);
	uint64_t lo = x < y ? x : y, hi = x < y ? y : x;

	return mix64(mix64(0x243f6a8885a308d3ull + (uint64_t)v6 + 2 * (uint64_t)proto, lo), hi);
}

/* Address equality by word loads rather than memcmp: this runs for every packet. */
static int addr_eq(const uint8_t *a, const uint8_t *b, int v6)
{
	if (!v6)
		return load64(a, 4) == load64(b, 4);
	return load64(a, 8) == load64(b, 8) && load64(a + 8, 8) == load64(b + 8, 8);
}

static inline int flow_matches(const struct flow *f, int proto, int v6, const uint8_t *a, uint16_t ap,
				const uint8_t *b, uint16_t bp)
{
	if (f->v6 != v6 || f->proto != proto)
		return 0;
	if (f->port[0] == ap && f->port[1] == bp && addr_eq(f->addr[0], a, v6) && addr_eq(f->addr[1], b, v6))
		return 1;
	return f->port[0] == bp && f->port[1] == ap && addr_eq(f->addr[0], b, v6) && addr_eq(f->addr[1], a, v6);
}

/*
 * The table's doubly linked lists of flows: the idle orders (through f->lru)
 * and the size classes (through f->by_size), one set of operations for both,
 * given where the link lies in struct flow.
 */
#define LRU offsetof(struct flow, lru)
#define BY_SIZE offsetof(struct flow, by_size)

static inline struct flow_link *link_of(struct flow *c, size_t at)
{
	return (struct flow_link *)((char *)c + at);
}

static inline void dl_unlink(struct lru *l, struct flow *c, size_t at)
{
	struct flow_link *k = link_of(c, at);

	if (k->prev)
		link_of(k->prev, at)->next = k->next;
	else
		l->head = k->next;
	if (k->next)
		link_of(k->next, at)->prev = k->prev;
	else
		l->tail = k->prev;
	k->prev = k->next = NULL;
}

static inline void dl_append(struct lru *l, struct flow *c, size_t at)
{
	struct flow_link *k = link_of(c, at);

	k->prev = l->tail;
	k->next = NULL;
	if (l->tail)
		link_of(l->tail, at)->next = c;
	else
		l->head = c;
	l->tail = c;
}

/* c's place in l goes to n, a copy of it. */
static void dl_replace(struct lru *l, struct flow *c, struct flow *n, size_t at)
{
	struct flow_link *k = link_of(c, at);

	if (k->prev)
		link_of(k->prev, at)->next = n;
	else
		l->head = n;
	if (k->next)
		link_of(k->next, at)->prev = n;
	else
		l->tail = n;
}

static void lru_unlink(struct flow_table *t, struct flow *c)
{
	dl_unlink(&t->list[c->lru_list], c, LRU);
}

static void lru_append(struct flow_table *t, struct flow *c)
{
	/* Only a flow that ended (TCP: established and then closed) lingers briefly;
	 * one reported before that (a TCP attempt refused, which its client may retry
	 * with the same ISN) waits out the idle timeout like an open one. */
	int closed = c->ended != 0;
	c->lru_list = (uint8_t)closed;
	dl_append(&t->list[closed], c, LRU);
}

struct flow_table *flow_new(size_t max_flows, uint64_t budget, int64_t idle_timeout, int64_t close_linger,
			    flow_emit_fn emit, void *arg)
{
	struct flow_table *t = calloc(1, sizeof(*t));
	if (t == NULL)
		return NULL;
	for (int k = 0; k < 2; k++) {
		t->set[k].slots = calloc(1024, sizeof(*t->set[k].slots));
		t->set[k].mask = 1023;
	}
	if (t->set[0].slots == NULL || t->set[1].slots == NULL) {
		free(t->set[0].slots);
		free(t->set[1].slots);
		free(t);
		return NULL;
	}
	t->max = max_flows ? max_flows : 1;
	t->budget = budget ? budget : UINT64_MAX;
	t->idle = idle_timeout;
	t->linger = close_linger;
	t->emit = emit;
	t->arg = arg;
	return t;
}

void flow_register(struct flow_table *t, enum flow_proto proto, const struct flow_ops *ops)
{
	t->ops[proto] = ops;
}

static size_t slot_of(const struct hset *hs, const struct flow *c)
{
	size_t i = (size_t)c->hash & hs->mask;
	while (hs->slots[i].c != c)
		i = (i + 1) & hs->mask;
	return i;
}

/* Linear-probing delete: shift later members of the cluster back. */
static void hs_remove(struct hset *hs, struct flow *c)
{
	size_t i = slot_of(hs, c), j = i;

	hs->slots[i].c = NULL;
	for (;;) {
		j = (j + 1) & hs->mask;
		if (hs->slots[j].c == NULL)
			break;
		size_t home = (size_t)hs->slots[j].hash & hs->mask;
		/* It stays if its home lies cyclically in (hole, its place]. */
		int stays = i < j ? (home > i && home <= j) : (home > i || home <= j);
		if (!stays) {
			hs->slots[i] = hs->slots[j];
			hs->slots[j].c = NULL;
			i = j;
		}
	}
	hs->count--;
}

static int hs_grow(struct hset *hs)
{
	size_t n = (hs->mask + 1) * 2;
	struct slot *s = calloc(n, sizeof(*s));
	if (s == NULL)
		return 0;
	for (size_t i = 0; i <= hs->mask; i++) {
		if (hs->slots[i].c == NULL)
			continue;
		size_t j = (size_t)hs->slots[i].hash & (n - 1);
		while (s[j].c != NULL)
			j = (j + 1) & (n - 1);
		s[j] = hs->slots[i];
	}
	free(hs->slots);
	hs->slots = s;
	hs->mask = n - 1;
	return 1;
}

/* Room for one more (grown at three quarters full)? */
static int hs_room(struct hset *hs)
{
	return (hs->count + 1) * 4 <= (hs->mask + 1) * 3 || hs_grow(hs);
}

/* Add c, of hash h (hs_room said yes). */
static void hs_put(struct hset *hs, struct flow *c, uint64_t h)
{
	size_t i = (size_t)h & hs->mask;
	while (hs->slots[i].c != NULL)
		i = (i + 1) & hs->mask;
	hs->slots[i].hash = h;
	hs->slots[i].c = c;
	hs->count++;
}

static struct flow *hs_find(const struct hset *hs, uint64_t h, int proto, int v6, const uint8_t *src,
			    uint16_t sport, const uint8_t *dst, uint16_t dport)
{
	size_t i = (size_t)h & hs->mask;
	for (;;) {
		const struct slot *s = &hs->slots[i];
		if (s->c == NULL)
			return NULL;
		if (s->hash == h && flow_matches(s->c, proto, v6, src, sport, dst, dport))
			return s->c;
		i = (i + 1) & hs->mask;
	}
}

static void table_remove(struct flow_table *t, struct flow *c)
{
	hs_remove(&t->set[c->set], c);
	t->count--;
}

/* The bytes a flow counts for in t->mem. */
static size_t cost(const struct flow_table *t, const struct flow *c)
{
	if (c->small)
		return t->ops[c->proto]->small_size(c);
	if (c->lingering)
		return t->ops[c->proto]->linger_bytes;
	return c->mem;
}

static void size_unlink(struct flow_table *t, struct flow *c)
{
	if (c->small || c->lingering || c->mem_list == 0)
		return;
	dl_unlink(&t->bysize[c->mem_list], c, BY_SIZE);
	c->mem_list = 0;
}

static void size_append(struct flow_table *t, struct flow *c, unsigned k)
{
	c->mem_list = (uint8_t)k;
	dl_append(&t->bysize[k], c, BY_SIZE);
}

/* Which of 2^bits sets a tuple of hash h is remembered in: the hash's top bits, stirred
 * (its low bits place connections in the table itself). */
static size_t memory_set(uint64_t h, unsigned bits)
{
	return (size_t)((h * 0x9e3779b97f4a7c15ull) >> (64 - bits));
}

/* The set of GONE_WAYS entries where a tuple of hash h is remembered. */
static struct gone *gone_set(struct flow_table *t, uint64_t h)
{
	return &t->gone[memory_set(h, GONE_BITS) * GONE_WAYS];
}

/* An evicted flow: counted, and remembered for its later packets (if its transport says so). */
static void remember(struct flow_table *t, const struct flow *c, int reason)
{
	const struct flow_ops *ops = t->ops[c->proto];
	struct gone *set, *g;
	uint32_t mark = 0;
	int has_mark;

	if (ops->mark == NULL)
		return;                  /* not reported either: nothing of it is lost to a report */
	has_mark = ops->mark(c, &mark);
	if (reason == FLOW_EVICTED)
		bounds.evicted_table++;
	else
		bounds.evicted_memory++;
	if (t->gone == NULL && (t->gone = calloc(GONE_SLOTS, sizeof(*t->gone))) == NULL) {
		bounds_alloc_failed();
		bounds.evicted_forgotten++;
		return;
	}
	set = gone_set(t, c->hash);
	g = &set[0];
	for (unsigned i = 0; i < GONE_WAYS; i++) {
		if (set[i].stamp == 0 || set[i].hash == c->hash) {
			g = &set[i];
			break;
		}
		if (set[i].stamp < g->stamp)
			g = &set[i];
	}
	if (g->stamp != 0 && g->hash != c->hash)
		bounds.evicted_forgotten++;
	g->hash = c->hash;
	g->isn = mark;
	g->isn_set = (uint8_t)has_mark;
	/* after 2^32 - 1 evictions the order among the oldest blurs: nothing worse */
	if (++t->gone_stamp == 0)
		t->gone_stamp = 1;
	g->stamp = t->gone_stamp;
}

/*
 * A packet of no flow in the table: is it a later one of an evicted flow (1:
 * counted, not analyzed)? One that starts a new flow on the same tuple (TCP: a
 * SYN with another ISN, a new connect()) makes the memory of the old one go.
 */
static int evicted_before(struct flow_table *t, const struct flow_ops *ops, uint64_t h, const struct packet *p)
{
	struct gone *set, *g = NULL;

	if (t->gone == NULL)
		return 0;
	set = gone_set(t, h);
	for (unsigned i = 0; i < GONE_WAYS && g == NULL; i++)
		if (set[i].stamp != 0 && set[i].hash == h)
			g = &set[i];
	if (g == NULL)
		return 0;
	if (p != NULL && ops->starts_anew != NULL && ops->starts_anew(p, g->isn, g->isn_set)) {
		g->stamp = 0;
		return 0;
	}
	bounds.after_eviction++;
	return 1;
}

static struct closed *closed_set(struct flow_table *t, uint64_t h)
{
	return &t->closed[memory_set(h, CLOSED_BITS) * CLOSED_WAYS];
}

/* An ended flow let go after its linger: remembered for its stragglers (best effort). */
static void closed_remember(struct flow_table *t, const struct flow *c)
{
	struct closed *set, *g;

	if (t->closed == NULL && (t->closed = calloc(CLOSED_SLOTS, sizeof(*t->closed))) == NULL) {
		bounds_alloc_failed();   /* its stragglers may start connections of their own */
		return;
	}
	set = closed_set(t, c->hash);
	g = &set[0];
	for (unsigned i = 0; i < CLOSED_WAYS; i++) {
		if (set[i].until == 0 || set[i].hash == c->hash) {
			g = &set[i];
			break;
		}
		if (set[i].until < g->until)
			g = &set[i];
	}
	g->hash = c->hash;
	g->until = c->last_ts + t->idle;
}

/* A packet of no flow: a straggler of one that ended and was let go (1: counted late)? */
static int closed_before(struct flow_table *t, uint64_t h, const struct packet *p)
{
	struct closed *set;
	int64_t now = pkt_ts(p);

	if (t->closed == NULL)
		return 0;
	set = closed_set(t, h);
	for (unsigned i = 0; i < CLOSED_WAYS; i++) {
		if (set[i].until == 0 || set[i].hash != h)
			continue;
		if (set[i].until < now || (p->l4 == L4_TCP && (p->u.tcp.flags & (TCP_SYN | TCP_ACK)) == TCP_SYN)) {
			set[i].until = 0;  /* over, or a new connect(): forgotten */
			return 0;
		}
		t->late++;
		return 1;
	}
	return 0;
}

static void account(struct flow_table *t, struct flow *c);
static void shed(struct flow_table *t, struct flow *keep);

/* Out of the table: reported (unless it was already) and freed. */
static void release(struct flow_table *t, struct flow *c, int reason)
{
	lru_unlink(t, c);
	size_unlink(t, c);
	table_remove(t, c);
	t->mem -= cost(t, c);
	if (!c->reported) {
		c->reported_because = (uint8_t)reason;
		if (reason == FLOW_EVICTED || reason == FLOW_EVICTED_MEMORY)
			remember(t, c, reason);
		t->emit(t->arg, c, reason);
	}
	if (c->ended && reason == FLOW_CLOSED)
		closed_remember(t, c);
	t->ops[c->proto]->release(c);
	if (c->lingering || c->small)
		free(c);
	else
		spares_give(&t->spare[c->proto], c);
}

/*
 * A reported flow lingers a while (close_linger) to absorb late packets, and
 * for that needs only its first linger_bytes (flow_ops): it moves into an
 * allocation of that size, in the table and the idle list, and the whole
 * struct is kept, still in the cache, for the next new flow. (Else every new
 * flow would take one let go a whole linger ago, cold.)
 */
static void linger(struct flow_table *t, struct flow *c)
{
	size_t keep = t->ops[c->proto]->linger_bytes;
	struct flow *s;
	struct hset *to = &t->set[SET_REPORTED];

	if (!hs_room(to)) {
		bounds_alloc_failed();
		return;                  /* no memory: it lingers whole, among the open ones */
	}
	hs_remove(&t->set[SET_OPEN], c);
	c->set = SET_REPORTED;
	if ((s = malloc(keep)) == NULL) {
		bounds_alloc_failed();
		hs_put(to, c, c->hash);                /* it lingers whole */
		return;
	}
	size_unlink(t, c);
	t->mem -= c->mem;
	c->lingering = 1;        /* set before the copy: s is no whole flow */
	t->mem += keep;
	memcpy(s, c, keep);
	hs_put(to, s, c->hash);
	dl_replace(&t->list[c->lru_list], c, s, LRU);
	spares_give(&t->spare[c->proto], c);
}

void flow_conclude(struct flow_table *t, struct flow *c)
{
	if (c->reported)
		return;
	c->reported_because = FLOW_CLOSED;
	t->emit(t->arg, c, FLOW_CLOSED);
	c->reported = 1;
	t->ops[c->proto]->release(c);
	account(t, c);           /* what it holds now, lingering whole if it must */
	flow_touch(t, c);        /* to the brief linger if it ended, else the idle one */
	linger(t, c);
}

/*
 * Over the budget: let connections go, the largest first (those of 4 KiB and
 * more, by size list), then the oldest, until it fits again. keep, the
 * connection being added, goes last of all.
 */
static void shed(struct flow_table *t, struct flow *keep)
{
	while (t->mem > t->budget) {
		struct flow *v = NULL;
		for (unsigned k = MEM_LISTS - 1; k >= MEM_LIST_MIN && v == NULL; k--)
			v = t->bysize[k].head;
		if (v == NULL)
			v = t->list[1].head;      /* reported, lingering: nothing is lost */
		if (v == NULL && (v = t->list[0].head) == keep)
			v = keep->lru.next;
		if (v == NULL)
			return;
		release(t, v, FLOW_EVICTED_MEMORY);
	}
}

/* Count what c holds now, and file it by size. */
static void account(struct flow_table *t, struct flow *c)
{
	size_t now;
	unsigned k = 0;

	if (c->small || c->lingering)
		return;
	now = t->ops[c->proto]->mem(c);
	t->mem += now - c->mem;
	c->mem = (uint32_t)(now < UINT32_MAX ? now : UINT32_MAX);
	if (!c->reported && now >= (1u << MEM_LIST_MIN)) {
		k = 63u - (unsigned)__builtin_clzll((unsigned long long)now);
		if (k >= MEM_LISTS)
			k = MEM_LISTS - 1;
	}
	if (k != c->mem_list) {
		size_unlink(t, c);
		if (k != 0)
			size_append(t, c, k);
	}
}

void flow_account(struct flow_table *t, struct flow *c)
{
	account(t, c);
	if (t->mem > t->budget)
		shed(t, c);
}

static struct flow *insert(struct flow_table *t, const struct flow_ops *ops, const struct packet *p, int proto,
			   uint64_t h, int small_ok)
{
	struct flow *c;
	size_t small = small_ok && ops->small_bytes != NULL ? ops->small_bytes(p) : 0;

	if (t->count >= t->max) {
		struct flow *old = t->list[1].head ? t->list[1].head : t->list[0].head;
		if (old != NULL)
			release(t, old, FLOW_EVICTED);
	}
	if (!hs_room(&t->set[SET_OPEN])) {
		bounds_alloc_failed();
		return NULL;
	}
	if (small)
		c = malloc(small);
	else if ((c = spares_take(&t->spare[proto])) == NULL)
		c = malloc(ops->size);
	if (c == NULL) {
		bounds_alloc_failed();
		return NULL;
	}
	ops->init(c, p, small != 0);
	c->id = ++t->next_id[proto];
	c->proto = (uint8_t)proto;
	c->hash = h;
	c->set = SET_OPEN;
	hs_put(&t->set[SET_OPEN], c, h);
	t->count++;
	lru_append(t, c);
	if (small) {
		t->mem += cost(t, c);
		if (t->mem > t->budget)
			shed(t, c);
	}
	return c;
}

static struct flow *find_hashed(struct flow_table *t, uint64_t h, int proto, int v6, const uint8_t *src,
				uint16_t sport, const uint8_t *dst, uint16_t dport)
{
	struct flow *c = hs_find(&t->set[SET_OPEN], h, proto, v6, src, sport, dst, dport);
	return c != NULL ? c : hs_find(&t->set[SET_REPORTED], h, proto, v6, src, sport, dst, dport);
}

struct flow *flow_find(struct flow_table *t, enum flow_proto proto, int v6, const uint8_t *src, uint16_t sport,
		       const uint8_t *dst, uint16_t dport)
{
	uint64_t h = tuple_hash(proto, v6, src, sport, dst, dport);
	struct flow *c = find_hashed(t, h, proto, v6, src, sport, dst, dport);

	if (c == NULL && t->ops[proto] != NULL)
		evicted_before(t, t->ops[proto], h, NULL);
	if (c != NULL && c->reported) {
		t->late++;               /* an ICMP error about a reported flow: absorbed */
		return NULL;
	}
	return c;
}

int flow_known(struct flow_table *t, enum flow_proto proto, int v6, const uint8_t *src, uint16_t sport,
	       const uint8_t *dst, uint16_t dport)
{
	uint64_t h = tuple_hash(proto, v6, src, sport, dst, dport);

	return find_hashed(t, h, proto, v6, src, sport, dst, dport) != NULL;
}

/* flow_lookup for one transport: inlined twice, with proto a constant (this runs for every packet). */
#if defined(__GNUC__)
__attribute__((always_inline))
#endif
static inline struct flow *lookup(struct flow_table *t, const struct packet *p, const int proto, int small_ok,
				  int may_start, int *created)
{
	const struct flow_ops *ops = t->ops[proto];
	uint16_t sport = proto == FLOW_TCP ? p->u.tcp.sport : p->u.udp.sport;
	uint16_t dport = proto == FLOW_TCP ? p->u.tcp.dport : p->u.udp.dport;
	int v6 = p->ip.version == 6;
	uint64_t h = tuple_hash(proto, v6, p->ip.src, sport, p->ip.dst, dport);
	struct flow *c = find_hashed(t, h, proto, v6, p->ip.src, sport, p->ip.dst, dport);

	*created = 0;
	if (ops == NULL)
		return NULL;
	if (c != NULL && may_start && ops->is_reuse != NULL && ops->is_reuse(c, p)) {
		release(t, c, FLOW_REUSED);
		c = NULL;
	}
	if (c != NULL && c->reported) {
		flow_touch(t, c);        /* a late packet of a reported flow: absorbed, not analyzed */
		t->late++;
		return NULL;
	}
	if (c != NULL)
		return c;
	if (evicted_before(t, ops, h, p) || closed_before(t, h, p))
		return NULL;
	if ((c = insert(t, ops, p, proto, h, small_ok)) == NULL)
		bounds.oom_packets++;
	*created = c != NULL;
	return c;
}

struct flow *flow_lookup(struct flow_table *t, const struct packet *p, int small_ok, int may_start, int *created)
{
	if (p->l4 == L4_TCP)
		return lookup(t, p, FLOW_TCP, small_ok, may_start, created);
	return lookup(t, p, FLOW_UDP, small_ok, may_start, created);
}

struct flow *flow_promote(struct flow_table *t, struct flow *c)
{
	const struct flow_ops *ops = t->ops[c->proto];
	struct flow *n = spares_take(&t->spare[c->proto]);

	if (n == NULL && (n = malloc(ops->size)) == NULL) {
		bounds_alloc_failed();
		return NULL;
	}
	memcpy(n, c, ops->small_size(c));
	/* the table and the idle list point at n instead (a small one is in no size class) */
	t->set[c->set].slots[slot_of(&t->set[c->set], c)].c = n;
	dl_replace(&t->list[c->lru_list], c, n, LRU);
	t->mem -= cost(t, c);       /* n counts from its flow_account, once the transport has filled it in */
	free(c);
	return n;
}

void flow_touch(struct flow_table *t, struct flow *c)
{
	lru_unlink(t, c);
	lru_append(t, c);
}

void flow_expire(struct flow_table *t, int64_t now)
{
	struct flow *c;

	while ((c = t->list[1].head) != NULL && now - c->last_ts > t->linger)
		release(t, c, FLOW_CLOSED);
	while ((c = t->list[0].head) != NULL && now - c->last_ts > t->idle)
		release(t, c, FLOW_IDLE);
}

/*
 * In the order they began: by id within a transport (ids are per transport),
 * then by transport. A least-significant-digit radix sort, 16 bits a pass and
 * only as many passes as the largest id needs: at the end of a capture this
 * orders every flow still open (300,000 in the flood benchmark), where
 * qsort's comparisons through the pointers cost more than the reports.
 */
#define FLUSH_DIGIT 16
static int flush_order(struct flow **all, size_t n)
{
	uint64_t most = 0;
	int mixed = 0;
	struct flow **tmp;
	size_t *count;

	for (size_t i = 0; i < n; i++) {
		if (all[i]->id > most)
			most = all[i]->id;
		mixed |= all[i]->proto != all[0]->proto;
	}
	tmp = malloc((n ? n : 1) * sizeof(*tmp));
	count = malloc(((size_t)1 << FLUSH_DIGIT) * sizeof(*count));
	if (tmp == NULL || count == NULL) {
		free(tmp);
		free(count);
		return 0;
	}
	/* the transport first (least significant), then the id's digits */
	for (int shift = mixed ? -1 : 0; shift < 64 && (shift < 0 || (most >> shift) != 0); shift += shift < 0 ? 1 : FLUSH_DIGIT) {
		size_t sum = 0;

		memset(count, 0, ((size_t)1 << FLUSH_DIGIT) * sizeof(*count));
		for (size_t i = 0; i < n; i++)
			count[shift < 0 ? all[i]->proto : (all[i]->id >> shift) & 0xffff]++;
		for (size_t d = 0; d < ((size_t)1 << FLUSH_DIGIT); d++) {
			size_t k = count[d];
			count[d] = sum;
			sum += k;
		}
		for (size_t i = 0; i < n; i++)
			tmp[count[shift < 0 ? all[i]->proto : (all[i]->id >> shift) & 0xffff]++] = all[i];
		memcpy(all, tmp, n * sizeof(*all));
	}
	free(tmp);
	free(count);
	return 1;
}

void flow_flush(struct flow_table *t)
{
	size_t n = 0;
	struct flow **all = malloc((t->count ? t->count : 1) * sizeof(*all));

	for (int k = 0; k < 2 && all != NULL; k++)
		for (size_t i = 0; i <= t->set[k].mask; i++)
			if (t->set[k].slots[i].c != NULL)
				all[n++] = t->set[k].slots[i].c;
	if (all == NULL || !flush_order(all, n)) {
		bounds_alloc_failed();
		free(all);
		/* No room to sort: report in idle order rather than not at all. */
		while (t->list[1].head != NULL)
			release(t, t->list[1].head, FLOW_CLOSED);
		while (t->list[0].head != NULL)
			release(t, t->list[0].head, FLOW_END);
		return;
	}
	/* (one that ended and lingers whole is reported as closed, which it is) */
	for (size_t i = 0; i < n; i++)
		release(t, all[i], all[i]->ended ? FLOW_CLOSED : FLOW_END);
	free(all);
}

uint64_t flow_late(const struct flow_table *t)
{
	return t->late;
}

size_t flow_count(const struct flow_table *t)
{
	return t->count;
}

uint64_t flow_mem(const struct flow_table *t)
{
	return t->mem;
}

void flow_free(struct flow_table *t)
{
	if (t == NULL)
		return;
	flow_flush(t);
	for (int k = 0; k < FLOW_PROTOS; k++)
		spares_clear(&t->spare[k]);
	free(t->gone);
	free(t->closed);
	free(t->set[0].slots);
	free(t->set[1].slots);
	free(t);
}

int flow_icmp(const struct flow *f, struct icmp_note *n, const struct packet *p)
{
	if (n->set)
		return 0;
	n->set = 1;
	n->v6 = p->l4 == L4_ICMP6;
	n->type = p->u.icmp.type;
	n->code = p->u.icmp.code;
	memcpy(n->from, p->ip.src, 16);
	n->from_dest = addr_eq(p->ip.src, f->addr[1], f->v6);
	n->ttl = p->ip.ttl;
	n->frame = p->frame;
	n->ts = pkt_ts(p);
	return 1;
}
