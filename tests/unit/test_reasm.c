/* test_reasm.c: stream reassembly: order, retransmissions, overlaps, holes, bounds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "reasm.h"
#include "tcp_stream.h"

/* The reference stream: byte o of it. */
static uint8_t sb(uint64_t o)
{
	uint64_t h = o * 0x9e3779b97f4a7c15ull;
	return (uint8_t)(h >> 56 ^ o);
}

static uint8_t seg_buf[70000];

/* Feed stream bytes [off, off + len) with the ISN given: seq = isn + 1 + off. */
static unsigned feed(struct tcp_stream *s, uint32_t isn, uint64_t off, size_t len, uint64_t frame)
{
	assert_true(len <= sizeof(seg_buf));
	for (size_t i = 0; i < len; i++)
		seg_buf[i] = sb(off + i);
	return tcp_stream_segment(s, isn + 1 + (uint32_t)off, seg_buf, len, frame);
}

/* The available bytes must be the stream's from the read offset; returns how many. */
static size_t check_data(const struct reasm *r)
{
	struct cursor c;
	size_t n = reasm_data(r, &c);
	uint64_t o = reasm_offset(r);

	assert_int_equal(n, cur_len(&c));
	for (size_t i = 0; i < n; i++)
		if (cur_data(&c)[i] != sb(o + i))
			fail_msg("byte %zu at offset %llu differs", i, (unsigned long long)(o + i));
	return n;
}

static void test_idle_cost(void **state)
{
	(void)state;
	struct tcp_stream ts;

	assert_true(sizeof(struct reasm) <= 64);
	reasm_init(&ts.rs);
	assert_int_equal(reasm_footprint(&ts.rs), 0);
	assert_int_equal(tcp_stream_syn(&ts, 1000), 1);
	assert_int_equal(reasm_footprint(&ts.rs), 0);
	assert_int_equal(tcp_stream_syn(&ts, 1000), 1);   /* a SYN retransmitted */
	assert_int_equal(tcp_stream_syn(&ts, 2000), 0);   /* another ISN: ignored */
	assert_int_equal(ts.origin, 1001);
	assert_int_equal(reasm_skip(&ts.rs, 0), 1);
	assert_int_equal(reasm_consume(&ts.rs, 0), 1);
	assert_int_equal(reasm_consume(&ts.rs, 1), 0);
	assert_int_equal(reasm_footprint(&ts.rs), 0);
	reasm_free(&ts.rs);
}

static void test_in_order(void **state)
{
	(void)state;
	struct tcp_stream ts;
	struct reasm_stats st;

	reasm_init(&ts.rs);
	tcp_stream_syn(&ts, 7);
	assert_int_equal(feed(&ts, 7, 0, 100, 1), REASM_SEG_NEW);
	assert_int_equal(feed(&ts, 7, 100, 100, 2), REASM_SEG_NEW);
	assert_int_equal(feed(&ts, 7, 200, 100, 3), REASM_SEG_NEW);
	assert_int_equal(check_data(&ts.rs), 300);
	assert_int_equal(reasm_consume(&ts.rs, 301), 0);
	assert_int_equal(reasm_consume(&ts.rs, 120), 1);
	assert_int_equal(reasm_offset(&ts.rs), 120);
	assert_int_equal(check_data(&ts.rs), 180);
	assert_int_equal(reasm_consume(&ts.rs, 180), 1);
	assert_int_equal(check_data(&ts.rs), 0);
	/* Everything consumed: the buffer is gone, only the bookkeeping stays. */
	assert_true(reasm_footprint(&ts.rs) < reasm_footprint_max() - REASM_CAP);
	reasm_stats(&ts.rs, &st);
	assert_int_equal(st.bytes, 300);
	assert_int_equal(st.segments, 3);
	assert_int_equal(st.retrans_bytes, 0);
	assert_int_equal(st.ooo_segments, 0);
	assert_int_equal(ts.rs.rcv, 300);
	assert_int_equal(reasm_flags(&ts.rs), REASM_STARTED);
	reasm_free(&ts.rs);
}

static void test_out_of_order_permutations(void **state)
{
	(void)state;
	static const int perm[6][3] = {
		{ 0, 1, 2 }, { 0, 2, 1 }, { 1, 0, 2 }, { 1, 2, 0 }, { 2, 0, 1 }, { 2, 1, 0 },
	};
	static const uint64_t off[3] = { 0, 500, 1200 }, len[3] = { 500, 700, 300 };

	for (int p = 0; p < 6; p++) {
		struct tcp_stream ts;
		uint64_t from, to;
		reasm_init(&ts.rs);
		tcp_stream_syn(&ts, 0x12345678);
		for (int k = 0; k < 3; k++) {
			int s = perm[p][k];
			uint64_t rcv = ts.rs.rcv;
			unsigned what = feed(&ts, 0x12345678, off[s], len[s], (uint64_t)k + 1);
			assert_int_equal(what, REASM_SEG_NEW | (off[s] > rcv ? REASM_SEG_OOO : 0));
			/* Never more than the contiguous run from 0 is delivered. */
			check_data(&ts.rs);
		}
		assert_int_equal(check_data(&ts.rs), 1500);
		assert_int_equal(reasm_gap(&ts.rs, &from, &to), REASM_GAP_NONE);
		reasm_free(&ts.rs);
	}

	/* The second segment alone is out of order and not delivered. */
	struct tcp_stream ts;
	uint64_t from, to;
	reasm_init(&ts.rs);
	tcp_stream_syn(&ts, 0);
	assert_int_equal(feed(&ts, 0, 500, 700, 1), REASM_SEG_NEW | REASM_SEG_OOO);
	assert_int_equal(check_data(&ts.rs), 0);
	assert_int_equal(reasm_gap(&ts.rs, &from, &to), REASM_GAP_HOLE);
	assert_int_equal(from, 0);
	assert_int_equal(to, 500);
	assert_int_equal(feed(&ts, 0, 0, 500, 2), REASM_SEG_NEW);
	assert_int_equal(check_data(&ts.rs), 1200);
	reasm_free(&ts.rs);
}

static void test_retrans_exact(void **state)
{
	(void)state;
	struct tcp_stream ts;
	struct reasm_stats st;

	reasm_init(&ts.rs);
	tcp_stream_syn(&ts, 99);
	assert_int_equal(feed(&ts, 99, 0, 1000, 1), REASM_SEG_NEW);
	assert_int_equal(feed(&ts, 99, 0, 1000, 2), REASM_SEG_RETRANS);
	assert_int_equal(check_data(&ts.rs), 1000);
	/* Consumed, then retransmitted again: compared by digest, still the same. */
	assert_int_equal(reasm_consume(&ts.rs, 1000), 1);
	assert_int_equal(feed(&ts, 99, 0, 1000, 3), REASM_SEG_RETRANS);
	assert_int_equal(check_data(&ts.rs), 0);
	reasm_stats(&ts.rs, &st);
	assert_int_equal(st.bytes, 3000);
	assert_int_equal(st.retrans_bytes, 2000);
	assert_int_equal(st.retrans_segments, 2);
	assert_int_equal(st.conflicts, 0);
	assert_false(reasm_flags(&ts.rs) & REASM_CONFLICT);
	reasm_free(&ts.rs);
}

static void test_retrans_different(void **state)
{
	(void)state;
	struct tcp_stream ts;
	struct reasm_stats st;
	struct cursor c;

	reasm_init(&ts.rs);
	tcp_stream_syn(&ts, 0);
	feed(&ts, 0, 0, 600, 1);
	for (size_t i = 0; i < 600; i++)
		seg_buf[i] = sb(i);
	seg_buf[333] ^= 0x40;
	assert_int_equal(tcp_stream_segment(&ts, 1, seg_buf, 600, 2), REASM_SEG_RETRANS | REASM_SEG_CONFLICT);
	/* The first bytes are kept. */
	assert_int_equal(check_data(&ts.rs), 600);
	reasm_stats(&ts.rs, &st);
	assert_int_equal(st.conflicts, 1);
	assert_int_equal(st.conflict_off, 333);
	assert_int_equal(st.conflict_frame, 2);
	assert_true(reasm_flags(&ts.rs) & REASM_CONFLICT);

	/* After the bytes were consumed: a changed byte in a whole 128-byte block is still seen. */
	assert_int_equal(reasm_consume(&ts.rs, 600), 1);
	for (size_t i = 0; i < 600; i++)
		seg_buf[i] = sb(i);
	seg_buf[300] ^= 1;
	assert_int_equal(tcp_stream_segment(&ts, 1, seg_buf, 600, 3), REASM_SEG_RETRANS | REASM_SEG_CONFLICT);
	reasm_stats(&ts.rs, &st);
	assert_int_equal(st.conflicts, 2);
	assert_int_equal(st.conflict_off, 333);   /* the first finding stays */
	/* A retransmission that repacketizes (one segment for two) is compared the same way. */
	for (size_t i = 0; i < 256; i++)
		seg_buf[i] = sb(128 + i);
	assert_int_equal(tcp_stream_segment(&ts, 1 + 128, seg_buf, 256, 4), REASM_SEG_RETRANS);
	seg_buf[255] ^= 0xff;
	assert_int_equal(tcp_stream_segment(&ts, 1 + 128, seg_buf, 256, 5), REASM_SEG_RETRANS | REASM_SEG_CONFLICT);
	assert_int_equal(reasm_data(&ts.rs, &c), 0);
	reasm_free(&ts.rs);
}

static void test_keepalive(void **state)
{
	(void)state;
	struct tcp_stream ts;
	uint8_t garbage = (uint8_t)(sb(99) ^ 0xff);

	reasm_init(&ts.rs);
	tcp_stream_syn(&ts, 0);
	feed(&ts, 0, 0, 100, 1);
	/* One garbage byte at RCV.NXT - 1: a keep-alive probe, not a finding. */
	assert_int_equal(tcp_stream_segment(&ts, 100, &garbage, 1, 2), REASM_SEG_RETRANS);
	assert_false(reasm_flags(&ts.rs) & REASM_CONFLICT);
	/* The same byte anywhere else is one. */
	assert_int_equal(tcp_stream_segment(&ts, 99, &garbage, 1, 3), REASM_SEG_RETRANS | REASM_SEG_CONFLICT);
	assert_int_equal(check_data(&ts.rs), 100);
	reasm_free(&ts.rs);
}

static void test_partial_overlap(void **state)
{
	(void)state;
	struct tcp_stream ts;
	struct reasm_stats st;

	reasm_init(&ts.rs);
	tcp_stream_syn(&ts, 5);
	feed(&ts, 5, 0, 100, 1);
	/* Overlap at the front: [50, 150) over [0, 100). */
	assert_int_equal(feed(&ts, 5, 50, 100, 2), REASM_SEG_NEW | REASM_SEG_RETRANS);
	assert_int_equal(check_data(&ts.rs), 150);
	/* An island [300, 400), then one segment over both its sides: [250, 450). */
	feed(&ts, 5, 300, 100, 3);
	assert_int_equal(feed(&ts, 5, 250, 200, 4), REASM_SEG_NEW | REASM_SEG_RETRANS | REASM_SEG_OOO);
	assert_int_equal(check_data(&ts.rs), 150);
	/* Overlap at the back: [140, 260) fills the hole and reaches into [250, 450). */
	assert_int_equal(feed(&ts, 5, 140, 120, 5), REASM_SEG_NEW | REASM_SEG_RETRANS);
	assert_int_equal(check_data(&ts.rs), 450);
	reasm_stats(&ts.rs, &st);
	assert_int_equal(st.retrans_bytes, 50 + 100 + 10 + 10);
	assert_int_equal(st.bytes, 100 + 100 + 100 + 200 + 120);
	/* One segment over two islands and the holes between them. */
	feed(&ts, 5, 500, 10, 6);
	feed(&ts, 5, 520, 10, 7);
	assert_int_equal(feed(&ts, 5, 495, 40, 8), REASM_SEG_NEW | REASM_SEG_RETRANS | REASM_SEG_OOO);
	feed(&ts, 5, 450, 45, 9);
	assert_int_equal(check_data(&ts.rs), 535);
	reasm_free(&ts.rs);
}

static void test_wraparound(void **state)
{
	(void)state;
	struct tcp_stream ts;
	const uint32_t isn = 0xfffffe00u;
	uint64_t from, to;

	reasm_init(&ts.rs);
	tcp_stream_syn(&ts, isn);
	feed(&ts, isn, 0, 400, 1);                  /* up to just below 2^32 */
	assert_int_equal(feed(&ts, isn, 1000, 500, 2), REASM_SEG_NEW | REASM_SEG_OOO);   /* past the wrap */
	assert_int_equal(reasm_gap(&ts.rs, &from, &to), REASM_GAP_HOLE);
	assert_int_equal(from, 400);
	assert_int_equal(to, 1000);
	assert_int_equal(feed(&ts, isn, 400, 600, 3), REASM_SEG_NEW);   /* crosses 0xffffffff -> 0 */
	assert_int_equal(check_data(&ts.rs), 1500);
	assert_int_equal(reasm_consume(&ts.rs, 1500), 1);
	/* Old bytes from before the wrap are behind, not 4 GiB ahead. */
	assert_int_equal(feed(&ts, isn, 100, 50, 4), REASM_SEG_RETRANS);
	reasm_free(&ts.rs);

	/* A long stream wraps the sequence space more than once. */
	reasm_init(&ts.rs);
	tcp_stream_syn(&ts, 0x80000000u);
	uint64_t off = 0;
	for (int i = 0; i < 5; i++) {
		/* 2 GiB skipped and never seen (their holes given up), then a record at the new offset. */
		assert_int_equal(reasm_skip(&ts.rs, 0x7fff0000u), 1);
		off += 0x7fff0000u;
		assert_int_equal(feed(&ts, 0x80000000u, off, 300, (uint64_t)i), REASM_SEG_NEW);
		assert_int_equal(reasm_offset(&ts.rs), off);
		assert_int_equal(check_data(&ts.rs), 300);
		assert_int_equal(reasm_consume(&ts.rs, 300), 1);
		off += 300;
		assert_true(reasm_footprint(&ts.rs) <= reasm_footprint_max() - REASM_CAP);
	}
	assert_true(off > 0x100000000ull * 2);
	assert_true(reasm_flags(&ts.rs) & REASM_FORGOT);
	reasm_free(&ts.rs);
}

static void test_gap_never_filled(void **state)
{
	(void)state;
	struct tcp_stream ts;
	uint64_t from = 0, to = 0;

	reasm_init(&ts.rs);
	tcp_stream_syn(&ts, 1);
	feed(&ts, 1, 0, 100, 1);
	feed(&ts, 1, 200, 100, 2);
	feed(&ts, 1, 350, 50, 3);
	assert_int_equal(check_data(&ts.rs), 100);
	assert_int_equal(reasm_consume(&ts.rs, 100), 1);
	assert_int_equal(check_data(&ts.rs), 0);
	assert_int_equal(reasm_consume(&ts.rs, 1), 0);
	assert_int_equal(reasm_gap(&ts.rs, &from, &to), REASM_GAP_HOLE);
	assert_int_equal(from, 100);
	assert_int_equal(to, 200);
	/* Partly filled: the hole shrinks, nothing across it is delivered. */
	feed(&ts, 1, 100, 40, 4);
	assert_int_equal(check_data(&ts.rs), 40);
	assert_int_equal(reasm_gap(&ts.rs, &from, &to), REASM_GAP_HOLE);
	assert_int_equal(from, 140);
	assert_int_equal(to, 200);
	feed(&ts, 1, 140, 60, 5);
	assert_int_equal(check_data(&ts.rs), 200);
	assert_int_equal(reasm_gap(&ts.rs, &from, &to), REASM_GAP_HOLE);
	assert_int_equal(from, 300);
	assert_int_equal(to, 350);
	reasm_free(&ts.rs);
}

static void test_cap(void **state)
{
	(void)state;
	struct tcp_stream ts;
	struct reasm_stats st;
	uint64_t from, to, off = 0;

	reasm_init(&ts.rs);
	tcp_stream_syn(&ts, 0);
	while (off < REASM_CAP + 10000) {
		feed(&ts, 0, off, 1400, off / 1400);
		off += 1400;
		assert_true(reasm_footprint(&ts.rs) <= reasm_footprint_max());
	}
	assert_true(reasm_flags(&ts.rs) & REASM_OVERFLOW);
	assert_int_equal(check_data(&ts.rs), REASM_CAP);
	reasm_stats(&ts.rs, &st);
	assert_int_equal(st.bytes, off);
	assert_int_equal(st.dropped_bytes, off - REASM_CAP);
	assert_int_equal(st.highest, off);
	assert_int_equal(reasm_gap(&ts.rs, &from, &to), REASM_GAP_DROPPED);
	assert_int_equal(from, REASM_CAP);
	assert_int_equal(to, off);
	/* Far ahead: counted, not kept. */
	assert_true(feed(&ts, 0, 10 * REASM_CAP, 1000, 99) & REASM_SEG_DROPPED);
	assert_true(reasm_footprint(&ts.rs) <= reasm_footprint_max());
	/* Once the consumer moves on, a retransmission of the dropped bytes is kept. */
	assert_int_equal(reasm_consume(&ts.rs, 20000), 1);
	assert_int_equal(feed(&ts, 0, REASM_CAP, 1400, 100), REASM_SEG_NEW);
	assert_int_equal(check_data(&ts.rs), REASM_CAP - 20000 + 1400);
	assert_true(reasm_footprint(&ts.rs) <= reasm_footprint_max());
	reasm_free(&ts.rs);
}

static void test_skip(void **state)
{
	(void)state;
	struct tcp_stream ts;
	struct reasm_stats st;
	uint64_t from, to;

	reasm_init(&ts.rs);
	tcp_stream_syn(&ts, 0);
	/* A 5-byte header, then a 3000-byte body not yet arrived. */
	feed(&ts, 0, 0, 5, 1);
	assert_int_equal(reasm_consume(&ts.rs, 5), 1);
	assert_int_equal(reasm_skip(&ts.rs, 3000), 1);
	assert_int_equal(reasm_offset(&ts.rs), 3005);
	/* The body arrives: counted, never kept. */
	feed(&ts, 0, 5, 1400, 2);
	assert_int_equal(check_data(&ts.rs), 0);
	assert_true(reasm_footprint(&ts.rs) <= reasm_footprint_max() - REASM_CAP);
	/* One body segment is lost; the next header lies past the hole, at a known offset: delivered. */
	feed(&ts, 0, 2805, 205, 4);     /* [2805, 3010): body's end, header's start */
	assert_int_equal(check_data(&ts.rs), 5);
	assert_int_equal(reasm_gap(&ts.rs, &from, &to), REASM_GAP_NONE);
	assert_true(ts.rs.rcv < 3005);     /* the hole behind the read offset is still known */
	feed(&ts, 0, 1405, 1400, 3);    /* ... and filled late: not a retransmission */
	reasm_stats(&ts.rs, &st);
	assert_int_equal(st.retrans_bytes, 0);
	assert_int_equal(st.skipped_bytes, 3000);
	assert_int_equal(ts.rs.rcv, 3010);
	assert_int_equal(reasm_consume(&ts.rs, 5), 1);
	/* A skip within bytes already held drops them. */
	feed(&ts, 0, 3010, 100, 5);
	assert_int_equal(reasm_skip(&ts.rs, 60), 1);
	assert_int_equal(check_data(&ts.rs), 40);
	assert_int_equal(reasm_skip(&ts.rs, 40), 1);
	assert_int_equal(reasm_skip(&ts.rs, UINT64_MAX), 0);
	assert_int_equal(check_data(&ts.rs), 0);
	assert_true(reasm_footprint(&ts.rs) <= reasm_footprint_max() - REASM_CAP);
	reasm_free(&ts.rs);
}

static void test_midstream(void **state)
{
	(void)state;
	struct tcp_stream ts;
	struct reasm_stats st;
	uint8_t d[64];

	reasm_init(&ts.rs);
	for (size_t i = 0; i < sizeof(d); i++)
		d[i] = (uint8_t)i;
	assert_int_equal(tcp_stream_segment(&ts, 5000, d, 32, 10), REASM_SEG_NEW);
	assert_int_equal(reasm_flags(&ts.rs), REASM_STARTED | REASM_MIDSTREAM);
	assert_int_equal(ts.origin, 5000);
	assert_int_equal(tcp_stream_syn(&ts, 4999), 0);   /* a late SYN does not move the origin */
	/* Bytes before the origin: trimmed. */
	assert_int_equal(tcp_stream_segment(&ts, 4990, d, 20, 11),
			 REASM_SEG_RETRANS | REASM_SEG_DROPPED | REASM_SEG_CONFLICT);
	assert_int_equal(tcp_stream_segment(&ts, 4900, d, 20, 12), REASM_SEG_DROPPED);
	assert_true(reasm_flags(&ts.rs) & REASM_BEFORE_ORIGIN);
	reasm_stats(&ts.rs, &st);
	assert_int_equal(st.before_origin, 10 + 20);
	assert_int_equal(st.retrans_bytes, 10);
	assert_int_equal(st.conflicts, 1);               /* d[10..20) is not d[0..10) */
	struct cursor c;
	assert_int_equal(reasm_data(&ts.rs, &c), 32);
	assert_memory_equal(cur_data(&c), d, 32);
	reasm_free(&ts.rs);
}

/* A skip before any segment, past 2 GiB (found by fuzz_reasm): the first
 * segment of a mid-stream start is still offset 0, so its bytes are among the
 * skipped ones, not delivered as the bytes at the read offset. */
static void test_skip_before_start(void **state)
{
	(void)state;
	struct tcp_stream ts;
	struct cursor c;
	uint8_t d[64];
	const uint64_t far = 0x2800000000ull;   /* 160 GiB: rcv follows, a multiple of 4 GiB */

	reasm_init(&ts.rs);
	memset(d, 0xab, sizeof(d));
	assert_int_equal(reasm_skip(&ts.rs, far), 1);
	assert_int_equal(reasm_offset(&ts.rs), far);
	tcp_stream_segment(&ts, 7000, d, sizeof(d), 1);
	assert_int_equal(ts.origin, 7000);
	assert_int_equal(reasm_data(&ts.rs, &c), 0);
	/* what comes at the read offset is still delivered there */
	assert_int_equal(tcp_stream_segment(&ts, 7000 + (uint32_t)far, d, 16, 2), REASM_SEG_NEW);
	assert_int_equal(reasm_data(&ts.rs, &c), 16);
	reasm_free(&ts.rs);
}

static void test_before_read(void **state)
{
	(void)state;
	struct tcp_stream ts;
	size_t fp;

	reasm_init(&ts.rs);
	tcp_stream_syn(&ts, 0);
	feed(&ts, 0, 0, 500, 1);
	feed(&ts, 0, 500, 500, 2);
	assert_int_equal(reasm_consume(&ts.rs, 800), 1);
	fp = reasm_footprint(&ts.rs);
	assert_int_equal(feed(&ts, 0, 100, 300, 3), REASM_SEG_RETRANS);
	assert_int_equal(check_data(&ts.rs), 200);
	assert_int_equal(reasm_footprint(&ts.rs), fp);
	/* Straddling the read offset: only the part at and past it matters. */
	assert_int_equal(feed(&ts, 0, 700, 400, 4), REASM_SEG_RETRANS | REASM_SEG_NEW);
	assert_int_equal(check_data(&ts.rs), 300);
	reasm_free(&ts.rs);
}

static void test_zero_length(void **state)
{
	(void)state;
	struct tcp_stream ts;
	uint8_t b = 0;

	reasm_init(&ts.rs);
	assert_int_equal(tcp_stream_segment(&ts, 1234, NULL, 0, 1), 0);
	assert_int_equal(reasm_flags(&ts.rs), 0);           /* an empty segment does not set the origin */
	assert_int_equal(reasm_footprint(&ts.rs), 0);
	tcp_stream_syn(&ts, 0);
	assert_int_equal(tcp_stream_segment(&ts, 1, &b, 0, 2), 0);
	assert_int_equal(reasm_footprint(&ts.rs), 0);
	feed(&ts, 0, 0, 10, 3);
	assert_int_equal(tcp_stream_segment(&ts, 50, NULL, 0, 4), 0);
	assert_int_equal(check_data(&ts.rs), 10);
	const struct reasm_seg *log;
	assert_int_equal(reasm_log(&ts.rs, &log), 1);
	reasm_free(&ts.rs);
}

static void test_frame_log(void **state)
{
	(void)state;
	struct tcp_stream ts;
	struct reasm_span sp;
	const struct reasm_seg *log;

	/* A 1800-byte ClientHello in frames 4 and 5, retransmitted in 7 and 8, never answered. */
	reasm_init(&ts.rs);
	tcp_stream_syn(&ts, 42);
	feed(&ts, 42, 0, 1448, 4);
	feed(&ts, 42, 1448, 352, 5);
	assert_int_equal(reasm_consume(&ts.rs, 1800), 1);
	assert_int_equal(feed(&ts, 42, 0, 1448, 7), REASM_SEG_RETRANS);
	assert_int_equal(feed(&ts, 42, 1448, 352, 8), REASM_SEG_RETRANS);
	reasm_span(&ts.rs, 0, 1800, &sp);
	assert_int_equal(sp.segments, 4);
	assert_int_equal(sp.retrans, 2);
	assert_int_equal(sp.conflicts, 0);
	assert_int_equal(sp.nframes, 4);
	assert_int_equal(sp.frames[0], 4);
	assert_int_equal(sp.frames[1], 5);
	assert_int_equal(sp.frames[2], 7);
	assert_int_equal(sp.frames[3], 8);
	assert_true(sp.complete);
	/* Just the first record header: frames 4 and 7. */
	reasm_span(&ts.rs, 0, 5, &sp);
	assert_int_equal(sp.nframes, 2);
	assert_int_equal(sp.frames[1], 7);
	/* The log itself. */
	assert_int_equal(reasm_log(&ts.rs, &log), 4);
	assert_int_equal(log[1].off, 1448);
	assert_int_equal(log[1].len, 352);
	assert_int_equal(log[1].what, REASM_SEG_NEW);
	/* Past the window, or past REASM_LOG_MAX entries: not complete. */
	reasm_span(&ts.rs, 0, REASM_LOG_WINDOW + 1, &sp);
	assert_false(sp.complete);
	for (int i = 0; i < REASM_LOG_MAX; i++)
		feed(&ts, 42, 1800 + 10 * (uint64_t)i, 10, 100 + (uint64_t)i);
	assert_true(reasm_flags(&ts.rs) & REASM_LOG_FULL);
	reasm_span(&ts.rs, 0, 1800, &sp);
	assert_int_equal(sp.segments, 4);
	assert_false(sp.complete);
	/* A segment reaching past the window is logged for its part inside. */
	reasm_free(&ts.rs);
	reasm_init(&ts.rs);
	tcp_stream_syn(&ts, 0);
	reasm_skip(&ts.rs, REASM_LOG_WINDOW - 100);
	feed(&ts, 0, REASM_LOG_WINDOW - 100, 1000, 1);
	assert_int_equal(reasm_log(&ts.rs, &log), 1);
	assert_int_equal(log[0].len, 100);
	reasm_free(&ts.rs);
}

static void test_queue_bound(void **state)
{
	(void)state;
	struct tcp_stream ts;
	struct reasm_stats st;
	uint64_t from, to;

	reasm_init(&ts.rs);
	tcp_stream_syn(&ts, 0);
	for (uint64_t i = 0; i < REASM_QUEUE_MAX; i++)
		assert_int_equal(feed(&ts, 0, 100 + 20 * i, 10, i), REASM_SEG_NEW | REASM_SEG_OOO);
	/* One more island: not kept. Touching an existing one: kept. */
	assert_int_equal(feed(&ts, 0, 5000, 10, 50), REASM_SEG_NEW | REASM_SEG_OOO | REASM_SEG_DROPPED);
	assert_true(reasm_flags(&ts.rs) & REASM_QUEUE_FULL);
	assert_int_equal(feed(&ts, 0, 110, 5, 51), REASM_SEG_NEW | REASM_SEG_OOO);
	assert_true(reasm_footprint(&ts.rs) <= reasm_footprint_max());
	reasm_stats(&ts.rs, &st);
	assert_int_equal(st.dropped_bytes, 10);
	assert_int_equal(reasm_gap(&ts.rs, &from, &to), REASM_GAP_HOLE);
	assert_int_equal(from, 0);
	assert_int_equal(to, 100);
	/* Holes behind the read offset are given up on when a slot is needed: */
	assert_int_equal(reasm_skip(&ts.rs, 2000), 1);
	/* ... the part of the hole before a segment that arrives in it (which is new, not a retransmission), */
	assert_int_equal(feed(&ts, 0, 50, 10, 52), REASM_SEG_NEW | REASM_SEG_OOO);
	assert_true(reasm_flags(&ts.rs) & REASM_FORGOT);
	reasm_stats(&ts.rs, &st);
	assert_int_equal(st.forgotten_bytes, 50);
	assert_int_equal(st.retrans_bytes, 0);
	assert_int_equal(ts.rs.rcv, 60);
	/* ... or the first hole, for a segment past the read offset. */
	assert_int_equal(feed(&ts, 0, 5000, 10, 53), REASM_SEG_NEW | REASM_SEG_OOO);
	reasm_stats(&ts.rs, &st);
	assert_int_equal(st.forgotten_bytes, 90);
	assert_int_equal(ts.rs.rcv, 115);
	assert_int_equal(check_data(&ts.rs), 0);
	assert_int_equal(reasm_gap(&ts.rs, &from, &to), REASM_GAP_HOLE);
	assert_int_equal(from, 2000);
	assert_int_equal(to, 5000);
	reasm_free(&ts.rs);
}

/* A bounded random test: a known stream cut into segments, duplicated, overlapped and shuffled. */
static uint64_t rng_state = 0x853c49e6748fea9bull;

static uint32_t rnd(uint32_t n)
{
	rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)(rng_state >> 33) % n;
}

struct rseg {
	uint64_t off;
	uint32_t len;
};

static void test_random(void **state)
{
	(void)state;
	enum { N = 40000, MAXSEG = 600 };
	static struct rseg segs[2 * N];
	static uint8_t got[N];

	for (int round = 0; round < 30; round++) {
		struct tcp_stream ts;
		size_t n = 0, ngot = 0;
		uint32_t isn = rnd(0xffffffffu);
		uint64_t o = 0;

		/* Cover the stream, then add duplicates and random overlapping segments. */
		while (o < N) {
			uint32_t l = 1 + rnd(MAXSEG);
			if (o + l > N)
				l = (uint32_t)(N - o);
			segs[n].off = o;
			segs[n++].len = l;
			if (rnd(3) == 0) {   /* a duplicate, or a segment overlapping nearby bytes */
				uint64_t a = o - rnd((uint32_t)(o < 1000 ? o + 1 : 1000));
				uint64_t room = N - a < MAXSEG ? N - a : MAXSEG;
				segs[n].off = a;
				segs[n++].len = rnd(2) ? l : 1 + rnd((uint32_t)room);
				if (segs[n - 1].off + segs[n - 1].len > N)
					segs[n - 1].len = (uint32_t)(N - segs[n - 1].off);
			}
			o += l;
		}
		/* Shuffle only locally, as a network reorders: within a window of 24. */
		for (size_t i = 0; i < n; i++) {
			size_t j = i + rnd(24);
			if (j < n) {
				struct rseg t = segs[i];
				segs[i] = segs[j];
				segs[j] = t;
			}
		}
		reasm_init(&ts.rs);
		if (round % 3 != 0)
			tcp_stream_syn(&ts, isn);
		else
			feed(&ts, isn, 0, 1, 0);   /* mid-stream start at offset 0 */
		for (size_t i = 0; i < n; i++) {
			struct cursor c;
			feed(&ts, isn, segs[i].off, segs[i].len, i + 1);
			assert_true(reasm_footprint(&ts.rs) <= reasm_footprint_max());
			/* Consume a random part of what is available. */
			size_t avail = reasm_data(&ts.rs, &c), take = avail ? rnd((uint32_t)avail + 1) : 0;
			if (take > 0)
				memcpy(got + ngot, cur_data(&c), take);
			ngot += take;
			assert_int_equal(reasm_consume(&ts.rs, take), 1);
		}
		struct cursor c;
		size_t avail = reasm_data(&ts.rs, &c);
		if (avail > 0)
			memcpy(got + ngot, cur_data(&c), avail);
		ngot += avail;
		assert_int_equal(ngot, N);
		for (size_t i = 0; i < N; i++)
			if (got[i] != sb(i))
				fail_msg("round %d: byte %zu differs", round, i);
		assert_false(reasm_flags(&ts.rs) & (REASM_CONFLICT | REASM_OVERFLOW | REASM_QUEUE_FULL));
		uint64_t from, to;
		assert_int_equal(reasm_gap(&ts.rs, &from, &to), REASM_GAP_NONE);
		reasm_free(&ts.rs);
	}
}

/* A copy of [off, off + len) with byte flip_at (if inside) changed. */
static unsigned feed_changed(struct tcp_stream *s, uint32_t isn, uint64_t off, size_t len, uint64_t flip_at, uint64_t frame)
{
	for (size_t i = 0; i < len; i++)
		seg_buf[i] = (uint8_t)(sb(off + i) ^ (off + i == flip_at ? 0x5a : 0));
	return tcp_stream_segment(s, isn + 1 + (uint32_t)off, seg_buf, len, frame);
}

/*
 * Bytes already read are compared with a later copy: by the digest of a whole
 * 128-byte block; a copy that covers no whole block is compared only while the
 * bytes are retained (REASM_RETAIN: a handshake's), else counted as uncompared.
 */
static void test_retain(void **state)
{
	(void)state;
	struct tcp_stream ts;
	struct reasm_stats st;

	/* Without retention: a few planted bytes, read, then the other copy in small pieces. */
	reasm_init(&ts.rs);
	tcp_stream_syn(&ts, 0);
	feed(&ts, 0, 0, 600, 1);
	assert_int_equal(reasm_consume(&ts.rs, 600), 1);
	assert_int_equal(reasm_footprint(&ts.rs), reasm_footprint_max() - REASM_CAP - REASM_QUEUE_MAX * 16);
	for (uint64_t o = 0; o < 600; o += 7)
		assert_int_equal(feed_changed(&ts, 0, o, o + 7 <= 600 ? 7 : 600 - o, o + 3, 2 + o), REASM_SEG_RETRANS);
	reasm_stats(&ts.rs, &st);
	assert_int_equal(st.conflicts, 0);           /* not seen: no whole block in any copy ... */
	assert_int_equal(st.uncompared_bytes, 600);  /* ... and said */
	assert_int_equal(st.uncompared_low, 0);
	reasm_free(&ts.rs);

	/* With it: every byte compared, however small the copy; the lowest conflict kept. */
	reasm_init(&ts.rs);
	reasm_retain(&ts.rs, 1);
	tcp_stream_syn(&ts, 0);
	feed(&ts, 0, 0, 300, 1);
	feed(&ts, 0, 300, 300, 2);
	assert_int_equal(reasm_consume(&ts.rs, 250), 1);
	assert_int_equal(reasm_consume(&ts.rs, 350), 1);
	assert_true(reasm_footprint(&ts.rs) > reasm_footprint_max() - REASM_CAP);   /* held: retained */
	assert_int_equal(check_data(&ts.rs), 0);
	assert_int_equal(feed_changed(&ts, 0, 500, 7, 503, 3), REASM_SEG_RETRANS | REASM_SEG_CONFLICT);
	assert_int_equal(feed_changed(&ts, 0, 10, 3, 11, 4), REASM_SEG_RETRANS | REASM_SEG_CONFLICT);
	assert_int_equal(feed_changed(&ts, 0, 100, 200, 9999, 5), REASM_SEG_RETRANS);   /* the same bytes */
	reasm_stats(&ts.rs, &st);
	assert_int_equal(st.conflicts, 2);
	assert_int_equal(st.conflict_off, 503);     /* the first found */
	assert_int_equal(st.conflict_low, 11);      /* the lowest */
	assert_int_equal(st.conflict_frame, 3);
	assert_int_equal(st.uncompared_bytes, 0);
	/* a skip over bytes held keeps them retained; new bytes after it are retained too */
	feed(&ts, 0, 600, 100, 6);
	assert_int_equal(reasm_skip(&ts.rs, 100), 1);
	assert_int_equal(feed_changed(&ts, 0, 650, 2, 651, 7), REASM_SEG_RETRANS | REASM_SEG_CONFLICT);
	/* a skip over bytes not yet here: retention stops growing there */
	assert_int_equal(reasm_skip(&ts.rs, 50), 1);
	feed(&ts, 0, 700, 50, 8);
	assert_int_equal(feed_changed(&ts, 0, 710, 2, 711, 9), REASM_SEG_RETRANS);
	reasm_stats(&ts.rs, &st);
	assert_int_equal(st.conflicts, 3);
	assert_int_equal(st.uncompared_bytes, 2);
	assert_int_equal(st.uncompared_low, 710);
	assert_true(reasm_selfcheck(&ts.rs));
	/* let go: the buffer goes, the block digests stay */
	reasm_retain(&ts.rs, 0);
	assert_false(reasm_flags(&ts.rs) & REASM_RETAIN);
	assert_int_equal(reasm_footprint(&ts.rs), reasm_footprint_max() - REASM_CAP - REASM_QUEUE_MAX * 16);
	assert_int_equal(feed_changed(&ts, 0, 128, 128, 200, 10), REASM_SEG_RETRANS | REASM_SEG_CONFLICT);
	assert_int_equal(feed_changed(&ts, 0, 20, 3, 21, 11), REASM_SEG_RETRANS);
	reasm_stats(&ts.rs, &st);
	assert_int_equal(st.conflicts, 4);
	assert_int_equal(st.uncompared_low, 20);
	reasm_free(&ts.rs);

	/* Retention never takes the buffer past its bound: the oldest retained bytes go first. */
	reasm_init(&ts.rs);
	reasm_retain(&ts.rs, 1);
	tcp_stream_syn(&ts, 0);
	for (uint64_t o = 0; o < 3 * REASM_CAP; o += 1000) {
		feed(&ts, 0, o, 1000, 1 + o / 1000);
		assert_int_equal(check_data(&ts.rs), 1000);
		assert_int_equal(reasm_consume(&ts.rs, 1000), 1);
		assert_true(reasm_selfcheck(&ts.rs));
		assert_true(reasm_footprint(&ts.rs) <= reasm_footprint_max());
	}
	/* the last bytes read are still compared exactly */
	assert_int_equal(feed_changed(&ts, 0, 3 * REASM_CAP - 3, 2, 3 * REASM_CAP - 2, 500),
			 REASM_SEG_RETRANS | REASM_SEG_CONFLICT);
	reasm_free(&ts.rs);
}

/* A stream nobody reads any more: nothing is kept, everything is still counted. */
static void test_discard(void **state)
{
	(void)state;
	struct tcp_stream ts;
	struct reasm_stats st;
	struct cursor c;
	uint64_t from, to;

	reasm_init(&ts.rs);
	reasm_retain(&ts.rs, 1);
	tcp_stream_syn(&ts, 7);
	feed(&ts, 7, 0, 300, 1);
	feed(&ts, 7, 500, 100, 2);              /* an island beyond a hole */
	assert_int_equal(reasm_consume(&ts.rs, 40), 1);
	reasm_discard(&ts.rs);
	assert_true(reasm_flags(&ts.rs) & REASM_DISCARD);
	assert_false(reasm_flags(&ts.rs) & REASM_RETAIN);
	assert_int_equal(reasm_data(&ts.rs, &c), 0);
	assert_true(reasm_footprint(&ts.rs) <= reasm_footprint_max() - REASM_CAP);
	assert_true(reasm_selfcheck(&ts.rs));
	reasm_retain(&ts.rs, 1);                   /* no effect now */
	assert_false(reasm_flags(&ts.rs) & REASM_RETAIN);
	/* later segments: in order, out of order, again: counted, none kept */
	assert_int_equal(feed(&ts, 7, 600, 1000, 3), REASM_SEG_NEW | REASM_SEG_OOO);
	assert_int_equal(feed(&ts, 7, 300, 200, 4), REASM_SEG_NEW);
	assert_int_equal(feed(&ts, 7, 5000, 100, 5), REASM_SEG_NEW | REASM_SEG_OOO);
	assert_int_equal(feed(&ts, 7, 600, 1000, 6), REASM_SEG_RETRANS);
	/* compared where a block's digest was made before (the bytes were held then) */
	assert_int_equal(feed_changed(&ts, 7, 0, 128, 5, 7), REASM_SEG_RETRANS | REASM_SEG_CONFLICT);
	assert_int_equal(reasm_data(&ts.rs, &c), 0);
	assert_true(reasm_footprint(&ts.rs) <= reasm_footprint_max() - REASM_CAP);
	assert_true(reasm_selfcheck(&ts.rs));
	reasm_stats(&ts.rs, &st);
	assert_int_equal(st.bytes, 300 + 100 + 1000 + 200 + 100 + 1000 + 128);
	assert_int_equal(st.segments, 7);
	assert_int_equal(st.retrans_segments, 2);
	assert_int_equal(st.ooo_segments, 3);
	assert_int_equal(st.conflicts, 1);
	assert_int_equal(st.dropped_bytes, 0);
	assert_int_equal(reasm_gap(&ts.rs, &from, &to), REASM_GAP_NONE);
	reasm_free(&ts.rs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_idle_cost),
		cmocka_unit_test(test_in_order),
		cmocka_unit_test(test_out_of_order_permutations),
		cmocka_unit_test(test_retrans_exact),
		cmocka_unit_test(test_retrans_different),
		cmocka_unit_test(test_keepalive),
		cmocka_unit_test(test_partial_overlap),
		cmocka_unit_test(test_wraparound),
		cmocka_unit_test(test_gap_never_filled),
		cmocka_unit_test(test_cap),
		cmocka_unit_test(test_skip),
		cmocka_unit_test(test_midstream),
		cmocka_unit_test(test_skip_before_start),
		cmocka_unit_test(test_before_read),
		cmocka_unit_test(test_zero_length),
		cmocka_unit_test(test_frame_log),
		cmocka_unit_test(test_queue_bound),
		cmocka_unit_test(test_random),
		cmocka_unit_test(test_retain),
		cmocka_unit_test(test_discard),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
