/* test_conn.c: connection facts, the flow table and tcp.* verdicts on packets built in code. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "bounds.h"
#include "flow.h"
#include "pkt.h"
#include "print.h"
#include "udp.h"
#include "prose.h"
#include "verdict.h"

static const uint8_t cli[4] = { 192, 0, 2, 10 }, srv[4] = { 203, 0, 113, 20 },
		     rtr[4] = { 192, 0, 2, 1 };

/* What the table reported, in order. */
static struct verdict seen[16];
/* A table of TCP connections, as the analysis makes it. */
static struct flow_table *tflow_new_budget(size_t max, uint64_t budget, int64_t idle, int64_t linger,
					   flow_emit_fn emit, void *arg)
{
	struct flow_table *t = flow_new(max, budget, idle, linger, emit, arg);

	assert_non_null(t);
	flow_register(t, FLOW_TCP, &conn_flow_ops);
	return t;
}

static struct flow_table *tflow_new(size_t max, int64_t idle, int64_t linger, flow_emit_fn emit, void *arg)
{
	return tflow_new_budget(max, 0, idle, linger, emit, arg);
}

static struct conn *tlookup(struct flow_table *t, const struct packet *p)
{
	int created;
	return conn_of(flow_lookup(t, p, 0, (p->u.tcp.flags & TCP_SYN) != 0, &created));
}

static struct conn *tfind(struct flow_table *t, int v6, const uint8_t *src, uint16_t sport, const uint8_t *dst,
			  uint16_t dport)
{
	return conn_of(flow_find(t, FLOW_TCP, v6, src, sport, dst, dport));
}

static struct verdict_text seen_words[16];
static struct conn seen_conn[16];
static int nseen;
static int64_t end_ns;

static void collect(void *arg, struct flow *fl, int reason)
{
	struct conn *c = conn_of(fl);
	(void)arg;
	(void)reason;
	if (nseen < 16) {
		verdict_tcp(c, end_ns, &seen[nseen]);
		verdict_words(&seen[nseen], &seen_words[nseen]);
		seen_conn[nseen] = *c;
		seen_conn[nseen].ev = NULL;
		nseen++;
	}
}

struct seg {
	int from_client;
	uint8_t flags;
	uint32_t seq, ack;
	uint16_t payload;
	int64_t ms;
	uint8_t ttl;
};

/* Feed TCP segments between cli:40000 and srv:443 into a fresh table, then flush. */
static void run(const struct seg *s, size_t n)
{
	struct flow_table *t = tflow_new(64, 60000000000ll, 2000000000ll, collect, NULL);
	nseen = 0;
	for (size_t i = 0; i < n; i++) {
		struct pkt_builder pb = { .n = 0 };
		struct packet p;
		static const uint8_t data[1500];
		pb_ether(&pb, 0x0800);
		pb_ipv4(&pb, s[i].from_client ? cli : srv, s[i].from_client ? srv : cli, 6,
			(uint16_t)(20 + s[i].payload));
		if (s[i].ttl)
			pb.b[14 + 8] = s[i].ttl;
		pb_tcp(&pb, s[i].from_client ? 40000 : 443, s[i].from_client ? 443 : 40000, s[i].seq,
		       s[i].ack, s[i].flags, 1000, NULL, 0);
		pb_bytes(&pb, data, s[i].payload);
		memset(&p, 0, sizeof(p));
		p.frame = i + 1;
		p.data = pb.b;
		p.caplen = p.len = (uint32_t)pb.n;
		p.ts_sec = 1700000000 + s[i].ms / 1000;
		p.ts_frac = (uint32_t)(s[i].ms % 1000) * 1000;
		decode_packet(&p, LINK_ETHERNET);
		struct conn *c = tlookup(t, &p);
		assert_non_null(c);
		conn_tcp(c, &p);
		flow_touch(t, &c->f);
		end_ns = 1700000000000000000ll + s[i].ms * 1000000;
	}
	flow_free(t);
}

#define C 1
#define S 0
enum { F = TCP_FIN, SY = TCP_SYN, R = TCP_RST, P = TCP_PSH, A = TCP_ACK };

static void test_completed(void **state)
{
	(void)state;
	static const struct seg s[] = {
		{ C, SY, 100, 0, 0, 0, 0 }, { S, SY | A, 900, 101, 0, 15, 0 }, { C, A, 101, 901, 0, 16, 0 },
		{ C, P | A, 101, 901, 10, 17, 0 }, { S, P | A, 901, 111, 20, 30, 0 },
		{ S, F | A, 921, 111, 0, 31, 0 }, { C, F | A, 111, 922, 0, 32, 0 }, { S, A, 922, 112, 0, 33, 0 },
	};
	run(s, sizeof(s) / sizeof(s[0]));
	assert_int_equal(nseen, 1);
	assert_string_equal(seen[0].code, "tcp.completed");
	assert_true(seen[0].ok);
	assert_int_equal(seen_conn[0].fin_first, 2);
	assert_string_equal(verdict_close(&seen_conn[0]), "server_fin");
	assert_int_equal(seen_conn[0].ep[DIR_CLIENT].payload, 10);
	assert_int_equal(seen_conn[0].ep[DIR_SERVER].payload, 20);
	assert_string_equal(zeek_conn_state(&seen_conn[0].zeek), "SF");
}

static void test_no_answer_intervals(void **state)
{
	(void)state;
	static const struct seg s[] = {
		{ C, SY, 7, 0, 0, 0, 0 }, { C, SY, 7, 0, 0, 1000, 0 }, { C, SY, 7, 0, 0, 3000, 0 },
		{ C, SY, 7, 0, 0, 3000, 0 },   /* a duplicate */
	};
	run(s, sizeof(s) / sizeof(s[0]));
	assert_int_equal(nseen, 1);
	assert_string_equal(seen[0].code, "tcp.no_answer");
	assert_false(seen[0].ok);
	assert_int_equal(seen_conn[0].nsyn, 4);
	assert_int_equal(seen_conn[0].syn_ts[2] - seen_conn[0].syn_ts[1], 2000000000ll);
	assert_string_equal(zeek_history(&seen_conn[0].zeek), "S");
	assert_string_equal(zeek_conn_state(&seen_conn[0].zeek), "S0");
}

static void test_refused_and_reuse(void **state)
{
	(void)state;
	static const struct seg s[] = {
		{ C, SY, 7, 0, 0, 0, 0 }, { S, R | A, 0, 8, 0, 1, 0 },
		/* the same port again with a new ISN: a second connection */
		{ C, SY, 5000, 0, 0, 10, 0 }, { S, R | A, 0, 5001, 0, 11, 0 },
	};
	run(s, sizeof(s) / sizeof(s[0]));
	assert_int_equal(nseen, 2);
	assert_string_equal(seen[0].code, "tcp.refused");
	assert_string_equal(seen[1].code, "tcp.refused");
	assert_int_not_equal(seen_conn[0].f.id, seen_conn[1].f.id);
	assert_string_equal(zeek_conn_state(&seen_conn[0].zeek), "REJ");
}

static void test_out_of_order_synack_first(void **state)
{
	(void)state;
	/* The capture holds the SYN-ACK before the SYN (two taps merged). */
	static const struct seg s[] = {
		{ S, SY | A, 900, 101, 0, 0, 0 }, { C, SY, 100, 0, 0, 1, 0 }, { C, A, 101, 901, 0, 2, 0 },
	};
	run(s, sizeof(s) / sizeof(s[0]));
	assert_int_equal(nseen, 1);
	/* The roles come from the SYN-ACK: the client is the side that received it. */
	assert_int_equal(seen_conn[0].f.port[DIR_CLIENT], 40000);
	assert_string_equal(seen[0].code, "tcp.completed");
}

static void test_synack_not_acked_and_bad(void **state)
{
	(void)state;
	static const struct seg s1[] = {
		{ C, SY, 100, 0, 0, 0, 0 }, { S, SY | A, 900, 101, 0, 1, 0 }, { S, SY | A, 900, 101, 0, 1001, 0 },
	};
	static const struct seg s2[] = {
		{ C, SY, 100, 0, 0, 0, 0 }, { S, SY | A, 900, 55, 0, 1, 0 }, { C, R, 55, 0, 0, 2, 0 },
	};
	run(s1, 3);
	assert_string_equal(seen[0].code, "tcp.synack_not_acked");
	assert_int_equal(seen_conn[0].nsynack, 2);
	run(s2, 3);
	assert_string_equal(seen[0].code, "tcp.bad_synack");
}

static void test_reset_after_handshake_ttl_hint(void **state)
{
	(void)state;
	static const struct seg s[] = {
		{ C, SY, 100, 0, 0, 0, 64 }, { S, SY | A, 900, 101, 0, 15, 50 }, { C, A, 101, 901, 0, 16, 64 },
		{ C, P | A, 101, 901, 300, 17, 64 }, { S, R | A, 901, 401, 0, 18, 61 },
	};
	run(s, sizeof(s) / sizeof(s[0]));
	assert_string_equal(seen[0].code, "tcp.reset_after_handshake");
	assert_int_equal(seen_conn[0].rst_ttl, 61);
	assert_int_equal(seen_conn[0].rst_prev_ttl, 50);
	/* a TTL not its side's is the headline: most likely injected by a device between */
	assert_non_null(strstr(seen_words[0].summary, "most likely injected by a device between"));
	assert_non_null(strstr(seen_words[0].summary, "its TTL is 61 where the server's packets have 50"));
	assert_non_null(strstr(seen_words[0].explanation, "another device sent it"));
	assert_non_null(strstr(seen_words[0].next_step, "devices between client and server"));
	assert_non_null(strstr(seen_words[0].summary, "300 bytes"));
}

static void test_simultaneous_open(void **state)
{
	(void)state;
	/* Both sides send a SYN, then both SYN-ACK: the first SYN's sender is the client. */
	static const struct seg s[] = {
		{ C, SY, 100, 0, 0, 0, 0 }, { S, SY, 900, 0, 0, 0, 0 },
		{ C, SY | A, 100, 901, 0, 1, 0 }, { S, SY | A, 900, 101, 0, 1, 0 }, { C, A, 101, 901, 0, 2, 0 },
	};
	run(s, sizeof(s) / sizeof(s[0]));
	assert_int_equal(nseen, 1);
	assert_int_equal(seen_conn[0].f.port[DIR_CLIENT], 40000);
	assert_string_equal(seen[0].code, "tcp.completed");
}

static void test_midstream_port_guess(void **state)
{
	(void)state;
	static const struct seg s[] = {
		{ S, P | A, 900, 101, 50, 0, 0 }, { C, A, 101, 950, 0, 1, 0 },
	};
	run(s, sizeof(s) / sizeof(s[0]));
	assert_string_equal(seen[0].code, "tcp.not_seen");
	assert_int_equal(seen_conn[0].f.port[DIR_SERVER], 443);
	assert_int_equal(seen_conn[0].role_guess, ROLE_PORT);
}

/* A SYN from cli:sport to srv:dport, seq 100, decoded into p. */
static void syn_packet(struct pkt_builder *pb, struct packet *p, uint16_t sport, uint16_t dport, uint64_t frame)
{
	pb->n = 0;
	pb_ether(pb, 0x0800);
	pb_ipv4(pb, cli, srv, 6, 20);
	pb_tcp(pb, sport, dport, 100, 0, TCP_SYN, 1000, NULL, 0);
	memset(p, 0, sizeof(*p));
	p->data = pb->b;
	p->caplen = p->len = (uint32_t)pb->n;
	p->frame = frame;
	decode_packet(p, LINK_ETHERNET);
}

static int emitted_proto[FLOW_PROTOS];

static void count_protos(void *arg, struct flow *f, int reason)
{
	(void)arg;
	(void)reason;
	emitted_proto[f->proto]++;
}

/* A UDP packet cli:5353 -> srv:53 with 4 bytes of payload, or the ICMP port unreachable
 * from srv quoting it (icmp: 1). */
static void udp_or_icmp(struct pkt_builder *pb, struct packet *p, int icmp, uint64_t frame)
{
	struct pkt_builder u = { .n = 0 };

	pb_ipv4(&u, cli, srv, 17, 8 + 4);
	pb_u16(&u, 5353); pb_u16(&u, 53); pb_u16(&u, 12); pb_u16(&u, 0);
	pb_u32(&u, 0x01020304);
	pb->n = 0;
	pb_ether(pb, 0x0800);
	if (icmp) {
		pb_ipv4(pb, srv, cli, 1, 8 + 28);
		pb_u8(pb, 3); pb_u8(pb, 3); pb_u16(pb, 0); pb_u32(pb, 0);
		pb_bytes(pb, u.b, 28);
	} else {
		pb_bytes(pb, u.b, u.n);
	}
	memset(p, 0, sizeof(*p));
	p->data = pb->b;
	p->caplen = p->len = (uint32_t)pb->n;
	p->frame = frame;
	p->ts_sec = 1700000000;
	decode_packet(p, LINK_ETHERNET);
}

/*
 * The table keys flows by transport: a UDP flow and a TCP connection on the
 * same addresses and ports are two flows, each numbered among its own kind;
 * an ICMP error quoting the UDP packet is attached to the UDP flow.
 */
static void test_udp_flow_and_icmp(void **state)
{
	(void)state;
	struct flow_table *t = flow_new(64, 0, 60000000000ll, 1000000000ll, count_protos, NULL);
	struct pkt_builder pb;
	struct packet p;
	struct flow *uf, *tf;
	int created;

	assert_non_null(t);
	flow_register(t, FLOW_TCP, &conn_flow_ops);
	flow_register(t, FLOW_UDP, &udp_flow_ops);
	memset(emitted_proto, 0, sizeof(emitted_proto));

	udp_or_icmp(&pb, &p, 0, 1);
	assert_int_equal(p.l4, L4_UDP);
	uf = flow_lookup(t, &p, 0, 0, &created);
	assert_non_null(uf);
	assert_true(created);
	assert_int_equal(uf->proto, FLOW_UDP);
	assert_int_equal(uf->id, 1);
	udp_packet(udp_of(uf), &p);
	assert_int_equal(udp_of(uf)->packets[0], 1);
	assert_int_equal(udp_of(uf)->bytes[0], 4);
	assert_ptr_equal(flow_lookup(t, &p, 0, 0, &created), uf);
	assert_false(created);

	/* a TCP SYN on the same tuple: another flow, the first TCP one */
	syn_packet(&pb, &p, 5353, 53, 2);
	tf = flow_lookup(t, &p, 0, 1, &created);
	assert_non_null(tf);
	assert_true(tf != uf);
	assert_int_equal(tf->proto, FLOW_TCP);
	assert_int_equal(tf->id, 1);
	assert_int_equal((int)flow_count(t), 2);

	/* the port unreachable quoting the UDP packet finds the UDP flow, not the TCP one */
	udp_or_icmp(&pb, &p, 1, 3);
	assert_int_equal(p.l4, L4_ICMP);
	assert_int_equal(p.u.icmp.quoted_proto, 17);
	assert_ptr_equal(flow_find(t, FLOW_UDP, 0, p.u.icmp.quoted_src, p.u.icmp.quoted_sport, p.u.icmp.quoted_dst,
				   p.u.icmp.quoted_dport), uf);
	udp_icmp(udp_of(uf), &p);
	assert_true(udp_of(uf)->icmp.set);
	assert_int_equal(udp_of(uf)->icmp.type, 3);
	assert_int_equal(udp_of(uf)->icmp.code, 3);
	assert_true(udp_of(uf)->icmp.from_dest);
	assert_int_equal(udp_of(uf)->icmp.frame, 3);

	flow_free(t);
	assert_int_equal(emitted_proto[FLOW_UDP], 1);
	assert_int_equal(emitted_proto[FLOW_TCP], 1);
}

static void test_icmp_attached(void **state)
{
	(void)state;
	struct flow_table *t = tflow_new(64, 60000000000ll, 2000000000ll, collect, NULL);
	struct pkt_builder pb = { .n = 0 };
	struct packet p;
	struct conn *c;

	nseen = 0;
	syn_packet(&pb, &p, 40000, 443, 1);
	c = tlookup(t, &p);
	conn_tcp(c, &p);
	/* ICMP 3/13 from a router quoting that SYN. */
	struct pkt_builder ib = { .n = 0 };
	pb_ether(&ib, 0x0800);
	pb_ipv4(&ib, rtr, cli, 1, 8 + 28);
	pb_u8(&ib, 3); pb_u8(&ib, 13); pb_u16(&ib, 0); pb_u32(&ib, 0);
	pb_bytes(&ib, pb.b + 14, 28);
	memset(&p, 0, sizeof(p));
	p.data = ib.b;
	p.caplen = p.len = (uint32_t)ib.n;
	p.frame = 2;
	decode_packet(&p, LINK_ETHERNET);
	assert_int_equal(p.l4, L4_ICMP);
	assert_true(p.u.icmp.is_error);
	c = tfind(t, 0, p.u.icmp.quoted_src, p.u.icmp.quoted_sport, p.u.icmp.quoted_dst,
		      p.u.icmp.quoted_dport);
	assert_non_null(c);
	conn_icmp(c, &p);
	flow_free(t);
	assert_string_equal(seen[0].code, "tcp.icmp_unreachable");
	assert_false(seen_conn[0].icmp.from_dest);
	assert_non_null(strstr(seen_words[0].summary, "a router on the path"));
}

static void test_table_bounded(void **state)
{
	(void)state;
	struct flow_table *t = tflow_new(4, 60000000000ll, 2000000000ll, collect, NULL);
	nseen = 0;
	/* 10 connections from different ports into a table of 4: the oldest go first. */
	for (int i = 0; i < 10; i++) {
		struct pkt_builder pb = { .n = 0 };
		struct packet p;
		pb_ether(&pb, 0x0800);
		pb_ipv4(&pb, cli, srv, 6, 20);
		pb_tcp(&pb, (uint16_t)(40000 + i), 443, 100, 0, SY, 1000, NULL, 0);
		memset(&p, 0, sizeof(p));
		p.data = pb.b;
		p.caplen = p.len = (uint32_t)pb.n;
		p.ts_sec = 1700000000 + i;
		decode_packet(&p, LINK_ETHERNET);
		struct conn *c = tlookup(t, &p);
		conn_tcp(c, &p);
		flow_touch(t, &c->f);
		assert_true(flow_count(t) <= 4);
	}
	assert_int_equal(nseen, 6);
	assert_int_equal(seen_conn[0].f.port[DIR_CLIENT], 40000);
	flow_free(t);
	assert_int_equal(nseen, 10);
}


/* Evictions delete from the middle of probe clusters: everything left must stay findable. */
static uint16_t live_ports[2048];
static int nlive;

static void forget(void *arg, struct flow *fl, int reason)
{
	struct conn *c = conn_of(fl);
	(void)arg;
	(void)reason;
	for (int i = 0; i < nlive; i++)
		if (live_ports[i] == c->f.port[DIR_CLIENT]) {
			live_ports[i] = live_ports[--nlive];
			break;
		}
}

static void test_table_deletes_keep_lookups(void **state)
{
	(void)state;
	struct flow_table *t = tflow_new(48, 60000000000ll, 2000000000ll, forget, NULL);
	uint32_t rnd = 12345;

	nlive = 0;
	for (int i = 0; i < 1500; i++) {
		struct pkt_builder pb = { .n = 0 };
		struct packet p;
		uint8_t src[4] = { 198, 18, 0, 0 };
		rnd = rnd * 1103515245u + 12345u;
		src[2] = (uint8_t)(rnd >> 24);
		src[3] = (uint8_t)(rnd >> 16);
		uint16_t port = (uint16_t)(1024 + i);
		pb_ether(&pb, 0x0800);
		pb_ipv4(&pb, src, srv, 6, 20);
		pb_tcp(&pb, port, 443, rnd, 0, SY, 1000, NULL, 0);
		memset(&p, 0, sizeof(p));
		p.data = pb.b;
		p.caplen = p.len = (uint32_t)pb.n;
		p.ts_sec = 1700000000 + i;
		decode_packet(&p, LINK_ETHERNET);
		struct conn *c = tlookup(t, &p);
		assert_non_null(c);
		conn_tcp(c, &p);
		flow_touch(t, &c->f);
		live_ports[nlive++] = port;
		assert_int_equal((int)flow_count(t), nlive);
		/* the reverse direction finds the same connection */
		assert_ptr_equal(tfind(t, 0, srv, 443, src, port), c);
	}
	/* every connection still in the table is found by its tuple */
	for (int i = 0; i < nlive; i++) {
		int found = 0;
		for (int a = 0; a < 65536 && !found; a++) {
			uint8_t src[4] = { 198, 18, (uint8_t)(a >> 8), (uint8_t)a };
			found = tfind(t, 0, src, live_ports[i], srv, 443) != NULL;
		}
		assert_true(found);
	}
	flow_free(t);
	assert_int_equal(nlive, 0);
}


/*
 * As the analysis does: a connection that is done is reported at once and then
 * lingers, as only its first CONN_LINGER_BYTES, to absorb late packets; a SYN
 * with another ISN ends it and starts the next one; the linger runs out.
 */
static struct conn *feed(struct flow_table *t, const struct seg *s, int64_t ms)
{
	struct pkt_builder pb = { .n = 0 };
	struct packet p;
	struct conn *c;

	pb_ether(&pb, 0x0800);
	pb_ipv4(&pb, s->from_client ? cli : srv, s->from_client ? srv : cli, 6, 20);
	pb_tcp(&pb, s->from_client ? 40000 : 443, s->from_client ? 443 : 40000, s->seq, s->ack, s->flags,
	       1000, NULL, 0);
	memset(&p, 0, sizeof(p));
	p.data = pb.b;
	p.caplen = p.len = (uint32_t)pb.n;
	p.ts_sec = 1700000000 + ms / 1000;
	p.ts_frac = (uint32_t)(ms % 1000) * 1000;
	decode_packet(&p, LINK_ETHERNET);
	end_ns = 1700000000000000000ll + ms * 1000000;
	flow_expire(t, end_ns);
	c = tlookup(t, &p);
	if (c == NULL)
		return NULL;              /* a late packet of a reported one: absorbed by the table */
	conn_tcp(c, &p);
	if (conn_done(c))
		flow_conclude(t, &c->f);
	else
		flow_touch(t, &c->f);
	return c;
}

static void test_lingering_after_report(void **state)
{
	(void)state;
	static const struct seg s[] = {
		{ C, SY, 100, 0, 0, 0, 0 }, { S, SY | A, 900, 101, 0, 0, 0 }, { C, A, 101, 901, 0, 0, 0 },
		{ C, F | A, 101, 901, 0, 0, 0 }, { S, F | A, 901, 102, 0, 0, 0 }, { C, A, 102, 902, 0, 0, 0 },
	};
	static const struct seg late = { S, F | A, 901, 102, 0, 0, 0 };   /* the FIN again */
	static const struct seg again = { C, SY, 7000, 0, 0, 0, 0 };      /* a new connect() */
	struct flow_table *t = tflow_new(64, 60000000000ll, 1000000000ll, collect, NULL);
	struct conn *c;

	nseen = 0;
	for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++)
		feed(t, &s[i], 10 * (int64_t)i);
	assert_int_equal(nseen, 1);               /* reported when done, not at the end */
	assert_string_equal(seen[0].code, "tcp.completed");
	assert_int_equal((int)flow_count(t), 1);  /* ... and still there */

	c = feed(t, &late, 100);                  /* absorbed by what lingers: never handed out */
	assert_null(c);
	assert_int_equal(nseen, 1);
	assert_int_equal((int)flow_count(t), 1);

	c = feed(t, &again, 200);                 /* ends the lingering one, starts another */
	assert_non_null(c);
	assert_false(c->f.reported);
	assert_false(c->f.lingering);
	assert_int_equal(nseen, 1);               /* the first was reported already */
	assert_int_equal((int)flow_count(t), 1);

	static const struct seg second[] = {
		{ S, SY | A, 300, 7001, 0, 0, 0 }, { C, A, 7001, 301, 0, 0, 0 },
		{ C, R | A, 7001, 301, 0, 0, 0 },
	};
	for (size_t i = 0; i < sizeof(second) / sizeof(second[0]); i++)
		feed(t, &second[i], 210 + 10 * (int64_t)i);
	/* the second ended at its reset, but the server may still answer it (a FIN, a reset):
	 * whole, it waits out the linger, and is reported then */
	assert_int_equal(nseen, 1);
	flow_expire(t, end_ns + 1000000001ll);    /* past the linger */
	assert_int_equal(nseen, 2);
	assert_string_equal(seen[1].code, "tcp.reset_after_handshake");
	assert_int_not_equal(seen_conn[0].f.id, seen_conn[1].f.id);
	assert_int_equal((int)flow_count(t), 0);
	flow_free(t);
}

/*
 * Zeek parity after a reset (issue 12, item 10): the originator's FIN, its reset, then
 * the responder's FIN. Zeek's conn_state() finds the originator CLOSED (its FIN, then
 * RESET, set back to CLOSED by the peer's FIN) and writes SF, history ShAFRf. The
 * connection is reported after the responder's FIN, not at the reset.
 */
static void test_fin_rst_then_peer_fin(void **state)
{
	(void)state;
	static const struct seg s[] = {
		{ C, SY, 100, 0, 0, 0, 0 }, { S, SY | A, 900, 101, 0, 0, 0 }, { C, A, 101, 901, 0, 0, 0 },
		{ C, F | A, 101, 901, 0, 0, 0 }, { C, R | A, 102, 901, 0, 0, 0 }, { S, F | A, 901, 102, 0, 0, 0 },
	};
	struct flow_table *t = tflow_new(64, 60000000000ll, 1000000000ll, collect, NULL);

	nseen = 0;
	for (size_t i = 0; i < 5; i++)
		feed(t, &s[i], 10 * (int64_t)i);
	assert_int_equal(nseen, 0);               /* the reset: ended, the server not heard yet */
	feed(t, &s[5], 50);
	assert_int_equal(nseen, 1);               /* its FIN: over, reported at once */
	assert_string_equal(zeek_conn_state(&seen_conn[0].zeek), "SF");
	assert_string_equal(zeek_history(&seen_conn[0].zeek), "ShAFRf");
	flow_free(t);
}

/* A segment with both RST and FIN is evidence (the reset decides), even after data. */
static void test_rst_fin_is_evidence(void **state)
{
	(void)state;
	static const struct seg s[] = {
		{ C, SY, 100, 0, 0, 0, 0 }, { S, SY | A, 900, 101, 0, 1, 0 }, { C, A, 101, 901, 0, 2, 0 },
		{ C, P | A, 101, 901, 10, 3, 0 }, { S, R | F | A, 901, 111, 0, 4, 0 },
	};
	struct conn c;
	int last = 0;

	for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++) {
		struct pkt_builder pb = { .n = 0 };
		struct packet p;
		static const uint8_t data[16];
		pb_ether(&pb, 0x0800);
		pb_ipv4(&pb, s[i].from_client ? cli : srv, s[i].from_client ? srv : cli, 6,
			(uint16_t)(20 + s[i].payload));
		pb_tcp(&pb, s[i].from_client ? 40000 : 443, s[i].from_client ? 443 : 40000, s[i].seq,
		       s[i].ack, s[i].flags, 1000, NULL, 0);
		pb_bytes(&pb, data, s[i].payload);
		memset(&p, 0, sizeof(p));
		p.data = pb.b;
		p.caplen = p.len = (uint32_t)pb.n;
		decode_packet(&p, LINK_ETHERNET);
		if (i == 0)
			conn_init(&c, &p);
		last = conn_tcp(&c, &p);
	}
	assert_true(last);
	/* ended, but not over: the client may still answer the reset (conn_done) */
	assert_true(c.f.ended);
	assert_false(conn_done(&c));
	assert_string_equal(verdict_close(&c), "server_rst");
	conn_release(&c);
}


/* One segment of test_small_*, built into pb and decoded into p. */
static void build(struct pkt_builder *pb, struct packet *p, const struct seg *s, uint64_t frame,
		  uint16_t cport)
{
	static const uint8_t data[64];
	static const uint8_t syn_opts[20] = { 2, 4, 5, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7 };
	size_t optlen = (s->flags & TCP_SYN) ? sizeof(syn_opts) : 0;

	pb->n = 0;
	pb_ether(pb, 0x0800);
	pb_ipv4(pb, s->from_client ? cli : srv, s->from_client ? srv : cli, 6,
		(uint16_t)(20 + optlen + s->payload));
	if (s->ttl)
		pb->b[14 + 8] = s->ttl;
	pb_tcp(pb, s->from_client ? cport : 443, s->from_client ? 443 : cport, s->seq, s->ack, s->flags,
	       (uint16_t)(64240 - s->seq % 7), syn_opts, optlen);
	pb_bytes(pb, data, s->payload);
	memset(p, 0, sizeof(*p));
	p->frame = frame;
	p->data = pb->b;
	p->caplen = p->len = (uint32_t)pb->n;
	p->ts_sec = 1700000000 + s->ms / 1000;
	p->ts_frac = (uint32_t)(s->ms % 1000) * 1000 + 7;
	decode_packet(p, LINK_ETHERNET);
}

/*
 * A connection begun small (its first SYN kept as a frame) and made whole at
 * its next packet holds exactly what one begun whole holds, and its SYN's
 * evidence line, printed from the kept frame, is the line printed at once.
 */
static void test_small_is_exact(void **state)
{
	(void)state;
	static const struct seg runs[][5] = {
		{ { C, SY, 100, 0, 0, 0, 0 } },
		{ { C, SY, 100, 0, 0, 0, 0 }, { C, SY, 100, 0, 0, 1000, 0 }, { C, SY, 100, 0, 0, 3000, 0 } },
		{ { C, SY, 100, 0, 0, 0, 0 }, { S, R | A, 0, 101, 0, 1, 0 } },
		{ { C, SY, 100, 0, 0, 0, 0 }, { S, SY | A, 900, 101, 0, 1, 0 }, { C, A, 101, 901, 0, 2, 0 },
		  { C, P | A, 101, 901, 40, 3, 0 }, { S, F | A, 901, 141, 0, 4, 0 } },
		{ { C, SY, 100, 0, 0, 0, 0 }, { C, SY, 7000, 0, 0, 500, 0 } },
		{ { C, SY | TCP_CWR | TCP_ECE, 100, 0, 0, 0, 0 }, { C, SY, 100, 0, 0, 1000, 0 },
		  { S, SY | A, 900, 101, 0, 1001, 0 } },
	};
	struct printer *pr = printer_new(0);

	for (size_t r = 0; r < sizeof(runs) / sizeof(runs[0]); r++) {
		struct conn *a = calloc(1, sizeof(*a)), *b = calloc(1, sizeof(*b));
		struct pkt_builder pb;
		struct packet p, q;
		uint8_t raw[CONN_SMALL_RAW];
		char la[512], lb[512];
		struct line l1, l2;

		assert_non_null(a);
		assert_non_null(b);
		build(&pb, &p, &runs[r][0], 1, 40000);
		assert_true(conn_small_fits(&p));
		conn_init(a, &p);
		conn_tcp(a, &p);
		ln_init(&l1, la, sizeof(la) - 1);
		printer_line_base(pr, &p, &a->seqbase, &a->seqbase_set, &l1);
		la[l1.len] = '\0';
		conn_init_small(b, &p);
		assert_true(b->f.small);
		conn_unpack(b, LINK_ETHERNET, raw, &q);
		assert_false(b->f.small);
		ln_init(&l2, lb, sizeof(lb) - 1);
		printer_line_base(pr, &q, &b->seqbase, &b->seqbase_set, &l2);
		lb[l2.len] = '\0';
		assert_string_equal(la, lb);
		for (size_t i = 1; i < 5 && runs[r][i].from_client + runs[r][i].flags != 0; i++) {
			build(&pb, &p, &runs[r][i], i + 1, 40000);
			if ((p.u.tcp.flags & TCP_SYN) && conn_is_reuse(a, &p))
				break;
			assert_int_equal(conn_tcp(a, &p), conn_tcp(b, &p));
		}
		assert_int_equal(a->nsyn, b->nsyn);
		assert_memory_equal(a->syn_ts, b->syn_ts, sizeof(a->syn_ts));
		assert_memory_equal(a->ep, b->ep, sizeof(a->ep));
		assert_memory_equal(&a->last, &b->last, sizeof(a->last));
		assert_memory_equal(&a->seqbase, &b->seqbase, sizeof(a->seqbase));
		assert_int_equal(a->first_ts, b->first_ts);
		assert_int_equal(a->f.last_ts, b->f.last_ts);
		assert_int_equal(a->zeek_orig_dir, b->zeek_orig_dir);
		assert_string_equal(zeek_history(&a->zeek), zeek_history(&b->zeek));
		assert_string_equal(zeek_conn_state(&a->zeek), zeek_conn_state(&b->zeek));
		assert_int_equal(conn_done(a), conn_done(b));
		conn_release(a);
		conn_release(b);
		free(a);
		free(b);
	}
	printer_free(pr);
}

/* A SYN that carries data, a SYN-ACK, or a frame larger than CONN_SMALL_RAW starts whole. */
static void test_small_only_plain_syn(void **state)
{
	(void)state;
	struct pkt_builder pb;
	struct packet p;
	static const struct seg data_syn = { C, SY, 100, 0, 10, 0, 0 }, synack = { S, SY | A, 900, 101, 0, 0, 0 };

	build(&pb, &p, &data_syn, 1, 40000);
	assert_false(conn_small_fits(&p));
	build(&pb, &p, &synack, 1, 40000);
	assert_false(conn_small_fits(&p));
	build(&pb, &p, &(struct seg){ C, SY, 100, 0, 0, 0, 0 }, 1, 40000);
	assert_true(conn_small_fits(&p));
	p.len += 1;                               /* not all of it captured */
	assert_false(conn_small_fits(&p));
}

static int nemitted, emitted_reason[64];
static uint64_t emitted_id[64];

static void note_emit(void *arg, struct flow *fl, int reason)
{
	struct conn *c = conn_of(fl);
	(void)arg;
	if (nemitted < 64) {
		emitted_reason[nemitted] = reason;
		emitted_id[nemitted] = c->f.id;
	}
	nemitted++;
}

/*
 * Past the memory budget the largest connection goes first (it holds 64
 * verbose evidence lines), then the oldest small ones; each is reported once,
 * as evicted for memory, and the table's count of bytes comes back to zero.
 */
static void test_budget_largest_first(void **state)
{
	(void)state;
	struct flow_table *t = tflow_new_budget(1000, 40000, 60000000000ll, 1000000000ll, note_emit, NULL);
	struct pkt_builder pb;
	struct packet p;
	struct conn *big;
	char line[300];
	int created;
	uint16_t port;

	memset(line, 'x', sizeof(line));
	nemitted = 0;
	build(&pb, &p, &(struct seg){ C, SY, 100, 0, 0, 0, 0 }, 1, 1000);
	big = tlookup(t, &p);
	assert_non_null(big);
	assert_false(big->f.small);
	conn_tcp(big, &p);
	for (int i = 0; i < 64; i++)
		conn_add_evidence(big, 1, line, sizeof(line), 1);
	flow_account(t, &big->f);
	assert_true(flow_mem(t) > 16384 && flow_mem(t) < 40000);
	for (port = 2000; nemitted == 0 && port < 2200; port++) {
		build(&pb, &p, &(struct seg){ C, SY, port, 0, 0, port - 2000, 0 }, port, port);
		struct conn *c = conn_of(flow_lookup(t, &p, 1, (p.u.tcp.flags & TCP_SYN) != 0, &created));
		assert_non_null(c);
		assert_true(created);
		assert_true(c->f.small);
	}
	assert_int_equal(nemitted, 1);
	assert_int_equal(emitted_id[0], 1);       /* the big one, not the oldest of the small */
	assert_int_equal(emitted_reason[0], FLOW_EVICTED_MEMORY);
	assert_true(flow_mem(t) <= 40000);
	for (; nemitted < 3 && port < 2400; port++) {
		build(&pb, &p, &(struct seg){ C, SY, port, 0, 0, port - 2000, 0 }, port, port);
		assert_non_null(conn_of(flow_lookup(t, &p, 1, (p.u.tcp.flags & TCP_SYN) != 0, &created)));
	}
	assert_int_equal(nemitted, 3);
	assert_int_equal(emitted_id[1], 2);       /* then the oldest */
	assert_int_equal(emitted_id[2], 3);
	assert_int_equal(emitted_reason[2], FLOW_EVICTED_MEMORY);
	flow_flush(t);
	assert_int_equal((int)flow_mem(t), 0);
	flow_free(t);
}

/*
 * An evicted connection's later packets are counted, not made into a new
 * connection that began mid-stream; a SYN with another ISN on its tuple is a
 * new connection.
 */
static void test_after_eviction(void **state)
{
	(void)state;
	struct flow_table *t = tflow_new(1, 60000000000ll, 1000000000ll, note_emit, NULL);
	struct pkt_builder pb;
	struct packet p;
	uint64_t before = bounds.after_eviction, evicted = bounds.evicted_table;

	struct conn *c;

	nemitted = 0;
	build(&pb, &p, &(struct seg){ C, SY, 100, 0, 0, 0, 0 }, 1, 40000);
	assert_non_null(c = tlookup(t, &p));
	conn_tcp(c, &p);
	build(&pb, &p, &(struct seg){ C, SY, 500, 0, 0, 1, 0 }, 2, 40001);
	assert_non_null(c = tlookup(t, &p));  /* the first goes: the table holds one */
	conn_tcp(c, &p);
	assert_int_equal(nemitted, 1);
	assert_int_equal(emitted_reason[0], FLOW_EVICTED);
	assert_int_equal(bounds.evicted_table, evicted + 1);
	build(&pb, &p, &(struct seg){ S, SY | A, 900, 101, 0, 2, 0 }, 3, 40000);
	assert_null(tlookup(t, &p));          /* its SYN-ACK: counted, not a new connection */
	build(&pb, &p, &(struct seg){ C, SY, 100, 0, 0, 3, 0 }, 4, 40000);
	assert_null(tlookup(t, &p));          /* its SYN again, the same ISN */
	assert_int_equal(bounds.after_eviction, before + 2);
	assert_int_equal(nemitted, 1);
	build(&pb, &p, &(struct seg){ C, SY, 9000, 0, 0, 4, 0 }, 5, 40000);
	assert_non_null(tlookup(t, &p));      /* another ISN: a new connect() */
	assert_int_equal(nemitted, 2);
	assert_int_equal(bounds.after_eviction, before + 2);
	flow_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_completed),
		cmocka_unit_test(test_no_answer_intervals),
		cmocka_unit_test(test_refused_and_reuse),
		cmocka_unit_test(test_out_of_order_synack_first),
		cmocka_unit_test(test_synack_not_acked_and_bad),
		cmocka_unit_test(test_reset_after_handshake_ttl_hint),
		cmocka_unit_test(test_simultaneous_open),
		cmocka_unit_test(test_midstream_port_guess),
		cmocka_unit_test(test_icmp_attached),
		cmocka_unit_test(test_udp_flow_and_icmp),
		cmocka_unit_test(test_table_bounded),
		cmocka_unit_test(test_rst_fin_is_evidence),
		cmocka_unit_test(test_fin_rst_then_peer_fin),
		cmocka_unit_test(test_table_deletes_keep_lookups),
		cmocka_unit_test(test_lingering_after_report),
		cmocka_unit_test(test_small_is_exact),
		cmocka_unit_test(test_small_only_plain_syn),
		cmocka_unit_test(test_budget_largest_first),
		cmocka_unit_test(test_after_eviction),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
