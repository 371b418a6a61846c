/* test_frag.c: IP fragment reassembly: order, duplicates, overlaps, bounds, IPv6 headers, cut captures. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "bounds.h"
#include "frag.h"

#define LINK LINK_RAW_LT     /* raw IP: the frame is the datagram */

/* The reference payload (a TCP header, then bytes): byte o of it. */
static uint8_t pay[70000];

static void make_payload(size_t n)
{
	for (size_t i = 0; i < n; i++)
		pay[i] = (uint8_t)(i * 7 + 3);
	/* a TCP header: ports 40000 > 443, data offset 5, ACK */
	static const uint8_t tcp[20] = { 0x9c, 0x40, 0x01, 0xbb, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x10, 0xff, 0xff };
	memcpy(pay, tcp, 20);
}

/* Frames are built here and live until the test ends (a packet points into its frame). */
static uint8_t frames[64][2048];
static unsigned nframes;
static struct packet pk;
static uint64_t frame_no;

/* An IPv4 fragment of pay: [off, off+n), more fragments or not; caplen cut to cut bytes (0: whole). */
static struct packet *v4(uint16_t id, uint32_t off, uint32_t n, int more, const uint8_t *bytes, uint32_t cut, int64_t ts)
{
	uint8_t *f = frames[nframes++ % 64];
	uint32_t tot = 20 + n;
	uint16_t fo = (uint16_t)((off / 8) | (more ? 0x2000 : 0));

	memset(f, 0, 20);
	f[0] = 0x45;
	f[2] = (uint8_t)(tot >> 8), f[3] = (uint8_t)tot;
	f[4] = (uint8_t)(id >> 8), f[5] = (uint8_t)id;
	f[6] = (uint8_t)(fo >> 8), f[7] = (uint8_t)fo;
	f[8] = 64, f[9] = 6;
	f[12] = 192, f[13] = 0, f[14] = 2, f[15] = 1;
	f[16] = 198, f[17] = 51, f[18] = 100, f[19] = 1;
	memcpy(f + 20, bytes != NULL ? bytes : pay + off, n);
	memset(&pk, 0, sizeof(pk));
	pk.frame = ++frame_no;
	pk.ts_sec = ts;
	pk.data = f;
	pk.len = tot;
	pk.caplen = cut ? cut : tot;
	decode_packet(&pk, LINK);
	return &pk;
}

/* An IPv6 fragment: base header, then ext (nexts, lens in 8-byte units) before the Fragment header. */
static struct packet *v6(uint32_t id, uint32_t off, uint32_t n, int more, int hop_by_hop, int64_t ts)
{
	uint8_t *f = frames[nframes++ % 64];
	uint32_t at = 40, plen;
	uint16_t ol = (uint16_t)(off | (more ? 1 : 0));

	memset(f, 0, 48);
	f[0] = 0x60;
	f[7] = 64;
	f[8] = 0x20, f[9] = 0x01, f[10] = 0x0d, f[11] = 0xb8, f[23] = 1;
	f[24] = 0x20, f[25] = 0x01, f[26] = 0x0d, f[27] = 0xb8, f[39] = 2;
	if (hop_by_hop) {
		f[6] = 0;             /* hop-by-hop, 8 bytes: PadN */
		memset(f + 40, 0, 8);
		f[40] = 44;
		f[42] = 1, f[43] = 4;
		at = 48;
	} else {
		f[6] = 44;
	}
	f[at] = 6;
	f[at + 1] = 0;
	f[at + 2] = (uint8_t)(ol >> 8), f[at + 3] = (uint8_t)ol;
	f[at + 4] = (uint8_t)(id >> 24), f[at + 5] = (uint8_t)(id >> 16), f[at + 6] = (uint8_t)(id >> 8), f[at + 7] = (uint8_t)id;
	memcpy(f + at + 8, pay + off, n);
	plen = at + 8 + n - 40;
	f[4] = (uint8_t)(plen >> 8), f[5] = (uint8_t)plen;
	memset(&pk, 0, sizeof(pk));
	pk.frame = ++frame_no;
	pk.ts_sec = ts;
	pk.data = f;
	pk.len = pk.caplen = 40 + plen;
	decode_packet(&pk, LINK);
	return &pk;
}

static struct frag_table *t;
static unsigned ndrops;
static enum frag_drop last_why;

static void on_drop(void *arg, struct frag_table *ft, const struct frag_dgram *d, enum frag_drop why)
{
	struct packet q;

	(void)arg;
	ndrops++;
	last_why = why;
	/* each fragment can be remade and decoded as it came */
	for (unsigned i = 0; i < frag_npieces(d); i++)
		frag_piece(ft, d, i, &q, LINK);
}

static int setup(void **state)
{
	(void)state;
	memset(&bounds, 0, sizeof(bounds));
	make_payload(sizeof(pay));
	ndrops = 0;
	t = frag_new(NULL, on_drop, NULL);
	return t == NULL;
}

static int teardown(void **state)
{
	(void)state;
	frag_free(t);
	return 0;
}

/* w is the whole datagram of n payload bytes, a TCP packet to port 443. */
static void check_whole(const struct packet *w, uint32_t n, uint64_t frame)
{
	assert_non_null(w);
	assert_int_equal(w->ip.is_fragment, 0);
	assert_int_equal(w->l4, L4_TCP);
	assert_int_equal(w->u.tcp.dport, 443);
	assert_int_equal(w->u.tcp.payload_len, n - 20);
	assert_int_equal(cur_len(&w->u.tcp.payload), n - 20);
	assert_memory_equal(cur_data(&w->u.tcp.payload), pay + 20, n - 20);
	assert_int_equal(w->frame, frame);
}

static void test_in_order(void **state)
{
	struct packet q;

	(void)state;
	assert_null(frag_add(t, v4(1, 0, 1480, 1, NULL, 0, 1), LINK));
	assert_null(frag_add(t, v4(1, 1480, 1480, 1, NULL, 0, 1), LINK));
	struct packet *w = frag_add(t, v4(1, 2960, 100, 0, NULL, 0, 2), LINK);
	check_whole(w, 3060, frame_no);
	assert_int_equal(w->ts_sec, 2);
	assert_int_equal(w->ip.total_len, 3080);
	assert_int_equal(frag_npieces(frag_last(t)), 3);
	/* the fragments as they came, for the evidence lines */
	frag_piece(t, frag_last(t), 1, &q, LINK);
	assert_int_equal(q.frame, frame_no - 1);
	assert_int_equal(q.ip.frag_offset, 1480);
	assert_int_equal(q.ip.later_fragment, 1);
	assert_int_equal(q.caplen, 1500);
	assert_int_equal(frag_stats(t)->held, 0);
	assert_int_equal(frag_stats(t)->bytes, 0);
	assert_int_equal(ndrops, 0);
}

static void test_out_of_order(void **state)
{
	(void)state;
	assert_null(frag_add(t, v4(2, 2960, 100, 0, NULL, 0, 1), LINK));
	assert_null(frag_add(t, v4(2, 0, 1480, 1, NULL, 0, 1), LINK));
	/* another datagram between, same addresses, another id */
	assert_null(frag_add(t, v4(3, 0, 8, 1, NULL, 0, 1), LINK));
	{
		struct packet *w_ = frag_add(t, v4(2, 1480, 1480, 1, NULL, 0, 1), LINK);
		check_whole(w_, 3060, frame_no);
	}
	assert_int_equal(frag_stats(t)->held, 1);
}

static void test_duplicate(void **state)
{
	(void)state;
	assert_null(frag_add(t, v4(4, 0, 800, 1, NULL, 0, 1), LINK));
	assert_null(frag_add(t, v4(4, 0, 800, 1, NULL, 0, 1), LINK));
	assert_int_equal(frag_stats(t)->duplicates, 1);
	struct packet *w = frag_add(t, v4(4, 800, 200, 0, NULL, 0, 1), LINK);
	check_whole(w, 1000, frame_no);
	assert_int_equal(frag_notes(frag_last(t)), FRAG_NOTE_DUPLICATE);
	assert_int_equal(bounds.frag_overlap + bounds.frag_overlap_differ, 0);
}

static void test_overlap_same_contained(void **state)
{
	(void)state;
	/* a fragment inside bytes held, the same bytes: a duplicate, not an overlap */
	assert_null(frag_add(t, v4(5, 0, 800, 1, NULL, 0, 1), LINK));
	assert_null(frag_add(t, v4(5, 200, 400, 1, NULL, 0, 1), LINK));
	{
		struct packet *w_ = frag_add(t, v4(5, 800, 8, 0, NULL, 0, 1), LINK);
		check_whole(w_, 808, frame_no);
	}
	assert_int_equal(frag_stats(t)->duplicates, 1);
	assert_int_equal(bounds.frag_overlap_differ, 0);
}

static void test_overlap_differ_contained(void **state)
{
	uint8_t other[400];

	(void)state;
	memset(other, 0xee, sizeof(other));
	assert_null(frag_add(t, v4(6, 0, 800, 1, NULL, 0, 1), LINK));
	assert_null(frag_add(t, v4(6, 200, 400, 1, other, 0, 1), LINK));
	assert_int_equal(bounds.frag_overlap_differ, 1);
	/* the first bytes were kept (Linux: the later fragment is dropped) */
	{
		struct packet *w_ = frag_add(t, v4(6, 800, 8, 0, NULL, 0, 1), LINK);
		check_whole(w_, 808, frame_no);
	}
	assert_true(frag_notes(frag_last(t)) & FRAG_NOTE_DIFFER);
	assert_int_equal(frag_npieces(frag_last(t)), 2);
}

static void test_overlap_partial(void **state)
{
	(void)state;
	/* in part over bytes held, even the same ones: the whole datagram goes (RFC 5722, Linux) */
	assert_null(frag_add(t, v4(7, 0, 800, 1, NULL, 0, 1), LINK));
	assert_null(frag_add(t, v4(7, 400, 800, 1, NULL, 0, 1), LINK));
	assert_int_equal(bounds.frag_overlap, 1);
	assert_int_equal(last_why, FRAG_DROP_OVERLAP);
	assert_int_equal(frag_stats(t)->held, 0);
	/* what comes later of it starts afresh, and is never whole */
	assert_null(frag_add(t, v4(7, 1200, 8, 0, NULL, 0, 1), LINK));
	frag_flush(t);
	assert_int_equal(bounds.frag_unfinished, 1);
}

static void test_missing_last_timeout(void **state)
{
	(void)state;
	assert_null(frag_add(t, v4(8, 0, 800, 1, NULL, 0, 100), LINK));
	assert_int_equal(frag_next_expiry(t), 100 * (int64_t)1000000000 + FRAG_TIMEOUT_NS);
	frag_expire(t, 129 * (int64_t)1000000000);
	assert_int_equal(bounds.frag_timeout, 0);
	frag_expire(t, 130 * (int64_t)1000000000);
	assert_int_equal(bounds.frag_timeout, 1);
	assert_int_equal(last_why, FRAG_DROP_TIMEOUT);
	assert_int_equal(frag_next_expiry(t), INT64_MAX);
	/* the last fragment after the timeout: alone, held, never whole */
	assert_null(frag_add(t, v4(8, 800, 8, 0, NULL, 0, 131), LINK));
	frag_flush(t);
	assert_int_equal(bounds.frag_unfinished, 1);
	assert_int_equal(bounds_lost(), 0);   /* the network lost them, not synack */
}

static void test_too_many_datagrams(void **state)
{
	(void)state;
	for (uint32_t i = 0; i < FRAG_MAX_DATAGRAMS + 10; i++)
		assert_null(frag_add(t, v4((uint16_t)(1000 + i), 0, 8, 1, NULL, 0, 1), LINK));
	assert_int_equal(frag_stats(t)->held, FRAG_MAX_DATAGRAMS);
	assert_int_equal(bounds.frag_evicted, 10);
	assert_int_equal(last_why, FRAG_DROP_EVICTED);
	assert_true(bounds_lost());
	/* the oldest went: the newest still completes */
	{
		struct packet *w_ = frag_add(t, v4((uint16_t)(1000 + FRAG_MAX_DATAGRAMS + 9), 8, 16, 0, NULL, 0, 1), LINK);
		check_whole(w_, 24, frame_no);
	}
}

static void test_too_many_bytes(void **state)
{
	struct frag_limits l = { 100, 30000, FRAG_TIMEOUT_NS };

	(void)state;
	frag_free(t);
	t = frag_new(&l, on_drop, NULL);
	/* each datagram of 30,000 bytes held in part: the second pushes the first out */
	for (uint32_t off = 0; off < 16000; off += 1480)
		assert_null(frag_add(t, v4(9, off, 1480, 1, NULL, 0, 1), LINK));
	for (uint32_t off = 0; off < 16000; off += 1480)
		assert_null(frag_add(t, v4(10, off, 1480, 1, NULL, 0, 1), LINK));
	assert_true(frag_stats(t)->bytes <= l.max_bytes);
	assert_true(bounds.frag_evicted >= 1);
	assert_int_equal(frag_stats(t)->held, 1);
}

static void test_oversize(void **state)
{
	(void)state;
	/* offset 65,528 with 16 bytes: past 65,535 */
	assert_null(frag_add(t, v4(11, 65528, 16, 0, NULL, 0, 1), LINK));
	assert_int_equal(bounds.frag_oversize, 1);
	assert_int_equal(frag_stats(t)->held, 0);
	/* the largest that fits is made whole */
	assert_null(frag_add(t, v4(12, 0, 1480, 1, NULL, 0, 1), LINK));
	assert_null(frag_add(t, v4(12, 65512, 1480, 0, NULL, 0, 1), LINK) );
	assert_int_equal(bounds.frag_oversize, 2);
}

static void test_invalid_layout(void **state)
{
	(void)state;
	/* not the last, length not a multiple of 8 */
	assert_null(frag_add(t, v4(13, 0, 801, 1, NULL, 0, 1), LINK));
	assert_int_equal(bounds.frag_invalid, 1);
	/* two different ends */
	assert_null(frag_add(t, v4(14, 800, 8, 0, NULL, 0, 1), LINK));
	assert_null(frag_add(t, v4(14, 800, 16, 0, NULL, 0, 1), LINK));
	assert_int_equal(bounds.frag_invalid, 2);
	/* bytes past the end */
	assert_null(frag_add(t, v4(15, 800, 16, 1, NULL, 0, 1), LINK));
	assert_null(frag_add(t, v4(15, 0, 8, 0, NULL, 0, 1), LINK));
	assert_int_equal(bounds.frag_invalid, 3);
}

static void test_too_many_pieces(void **state)
{
	(void)state;
	for (uint32_t i = 0; i < FRAG_MAX_PIECES; i++)
		assert_null(frag_add(t, v4(16, i * 8, 8, 1, NULL, 0, 1), LINK));
	assert_int_equal(bounds.frag_pieces, 0);
	assert_null(frag_add(t, v4(16, FRAG_MAX_PIECES * 8, 8, 0, NULL, 0, 1), LINK));
	assert_int_equal(bounds.frag_pieces, 1);
	assert_int_equal(frag_stats(t)->held, 0);
}

static void test_truncated(void **state)
{
	struct packet *p;

	(void)state;
	/* a snaplen of 96: the fragment is analyzed as it is, counted */
	p = v4(17, 0, 800, 1, NULL, 96, 1);
	assert_ptr_equal(frag_add(t, p, LINK), p);
	assert_int_equal(bounds.frag_truncated, 1);
	assert_int_equal(frag_stats(t)->held, 0);
	assert_int_equal(frag_stats(t)->passed, 1);
}

static void test_v6(void **state)
{
	struct packet *w;
	struct packet q;

	(void)state;
	assert_null(frag_add(t, v6(0x12345678, 0, 1232, 1, 0, 1), LINK));
	/* same low 16 bits of the id, another datagram */
	assert_null(frag_add(t, v6(0x99995678, 0, 1232, 1, 0, 1), LINK));
	w = frag_add(t, v6(0x12345678, 1232, 500, 0, 0, 1), LINK);
	check_whole(w, 1732, frame_no);
	assert_int_equal(w->ip.version, 6);
	assert_int_equal(w->ip.hdr_len, 40);
	assert_int_equal(w->ip.total_len, 40 + 1732);
	assert_int_equal(w->ip.next_ext, 0);
	frag_piece(t, frag_last(t), 0, &q, LINK);
	assert_int_equal(q.ip.is_fragment, 1);
	assert_int_equal(q.l4, L4_TCP);
	assert_int_equal(frag_stats(t)->held, 1);
}

static void test_v6_hop_by_hop(void **state)
{
	struct packet *w;

	(void)state;
	/* the unfragmentable part (a hop-by-hop header) is kept, the Fragment header left out */
	assert_null(frag_add(t, v6(7, 1232, 64, 0, 1, 1), LINK));
	w = frag_add(t, v6(7, 0, 1232, 1, 1, 1), LINK);
	check_whole(w, 1296, frame_no);
	assert_int_equal(w->ip.hdr_len, 48);
	assert_int_equal(w->ip.next_ext, 1);
	assert_int_equal(w->ip.ext[0].type, 0);
	assert_int_equal(w->ip.total_len, 48 + 1296);
}

static void test_v6_atomic(void **state)
{
	struct packet *p;

	(void)state;
	/* offset 0, M 0 (RFC 6946): whole already, passed on as it is */
	p = v6(8, 0, 100, 0, 0, 1);
	assert_ptr_equal(frag_add(t, p, LINK), p);
	assert_int_equal(p->l4, L4_TCP);
	assert_int_equal(frag_stats(t)->atomic, 1);
	assert_int_equal(frag_stats(t)->held, 0);
}

static void test_v6_overlap(void **state)
{
	(void)state;
	assert_null(frag_add(t, v6(9, 0, 1232, 1, 0, 1), LINK));
	assert_null(frag_add(t, v6(9, 1224, 64, 0, 0, 1), LINK));
	assert_int_equal(bounds.frag_overlap, 1);
	assert_int_equal(frag_stats(t)->held, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_in_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_out_of_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_duplicate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_overlap_same_contained, setup, teardown),
		cmocka_unit_test_setup_teardown(test_overlap_differ_contained, setup, teardown),
		cmocka_unit_test_setup_teardown(test_overlap_partial, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_last_timeout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_too_many_datagrams, setup, teardown),
		cmocka_unit_test_setup_teardown(test_too_many_bytes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_oversize, setup, teardown),
		cmocka_unit_test_setup_teardown(test_invalid_layout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_too_many_pieces, setup, teardown),
		cmocka_unit_test_setup_teardown(test_truncated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_v6, setup, teardown),
		cmocka_unit_test_setup_teardown(test_v6_hop_by_hop, setup, teardown),
		cmocka_unit_test_setup_teardown(test_v6_atomic, setup, teardown),
		cmocka_unit_test_setup_teardown(test_v6_overlap, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
