/* fuzz_reasm.c: any sequence of segments, consumes and skips through one stream's reassembly. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reasm.h"
#include "tcp_stream.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * Input: a mode byte (bit 0: a SYN sets the origin, else the first segment
 * does; bit 1: the consumer retains what it reads, and queries may turn that
 * off and on, or discard the stream), a 4-byte ISN, then operations, each an
 * opcode byte and its operands:
 *   0,1  segment at read + (int16 << shift): int16, u16 length (14 bits);
 *        opcode bit 7: its bytes come from the input instead of the reference stream
 *   2    segment at an absolute sequence number: u32 seq, u16 length, bytes from the input
 *   3    consume: u16 (at most what is available, and once one more than that)
 *   4    skip: u16 << (u8 % 24)
 *   5    queries: the SYN again, a gap, a span, the stats
 * While every segment carried the reference stream's bytes, what is delivered
 * must be exactly that stream and no conflict is found (retained or held
 * bytes are what was given); always, the module's invariants and its memory
 * bound must hold.
 */

struct input {
	const uint8_t *p;
	size_t n;
};

static int get(struct input *in, void *out, size_t n)
{
	if (in->n < n)
		return 0;
	memcpy(out, in->p, n);
	in->p += n;
	in->n -= n;
	return 1;
}

static uint32_t get_be(struct input *in, size_t n)
{
	uint8_t b[4] = { 0, 0, 0, 0 };
	uint32_t v = 0;
	get(in, b, n);   /* a short input reads as zeros */
	for (size_t i = 0; i < n; i++)
		v = v << 8 | b[i];
	return v;
}

static uint8_t ref(uint64_t o)
{
	uint64_t h = o * 0x9e3779b97f4a7c15ull;
	return (uint8_t)(h >> 56 ^ o);
}

#define CHECK(c)                                                           \
	do {                                                               \
		if (!(c)) {                                                \
			fprintf(stderr, "fuzz_reasm: %s:%d: %s\n", __FILE__, __LINE__, #c); \
			abort();                                           \
		}                                                          \
	} while (0)

struct model {
	uint8_t mode;
	uint32_t isn;
	int dirty;          /* a segment carried other bytes than the reference stream's */
	uint64_t consumed;  /* bytes handed to the consumer */
	uint64_t read;
};

static uint8_t seg[1u << 14];

static void op_segment(struct tcp_stream *s, struct model *m, struct input *in, uint8_t op, uint64_t frame)
{
	struct reasm *r = &s->rs;
	int16_t v = (int16_t)get_be(in, 2);
	size_t len = get_be(in, 2) & 0x3fff;
	int64_t t = (int64_t)r->read + ((int64_t)v * (1 << (op >> 3 & 3)));

	if (!(r->flags & REASM_STARTED))
		t = 0;   /* a mid-stream start: this segment sets the origin at offset 0 */
	if (op & 0x80) {
		if (len > in->n)
			len = in->n;
		get(in, seg, len);
		m->dirty |= len > 0;
	} else {
		for (size_t i = 0; i < len; i++)
			seg[i] = ref((uint64_t)(t + (int64_t)i));
	}
	tcp_stream_segment(s, m->isn + 1 + (uint32_t)t, len ? seg : NULL, len, frame);
}

static void op_absolute(struct tcp_stream *s, struct model *m, struct input *in, uint64_t frame)
{
	uint32_t seq = get_be(in, 4);
	size_t len = get_be(in, 2) & 0x3fff;

	if (len > in->n)
		len = in->n;
	get(in, seg, len);
	m->dirty |= len > 0;
	tcp_stream_segment(s, seq, len ? seg : NULL, len, frame);
}

static void op_consume(struct tcp_stream *s, struct model *m, struct input *in)
{
	struct reasm *r = &s->rs;
	struct cursor c;
	size_t avail = reasm_data(r, &c), n = get_be(in, 2);

	CHECK(avail <= REASM_CAP);
	if (!m->dirty)
		for (size_t i = 0; i < avail; i++)
			CHECK(cur_data(&c)[i] == ref(r->read + i));
	if (n > avail) {
		CHECK(reasm_consume(r, avail + 1) == 0);
		n = avail;
	}
	CHECK(reasm_consume(r, n) == 1);
	m->consumed += n;
}

static void op_query(struct tcp_stream *s, struct model *m, struct input *in)
{
	struct reasm *r = &s->rs;
	struct reasm_stats st;
	struct reasm_span sp;
	const struct reasm_seg *log;
	uint64_t from = 0, to = 0, a = get_be(in, 2), b = a + get_be(in, 2);
	int g;

	tcp_stream_syn(s, m->isn);
	g = reasm_gap(r, &from, &to);
	if (g != REASM_GAP_NONE)
		CHECK(from >= r->read && from < to);
	reasm_stats(r, &st);
	CHECK(st.retrans_bytes <= st.bytes && st.dropped_bytes <= st.bytes);
	CHECK(m->consumed <= st.bytes);
	if (!m->dirty)
		CHECK(st.conflicts == 0);
	if (st.conflicts > 0)
		CHECK(st.conflict_low <= st.conflict_off);
	CHECK(st.uncompared_bytes <= st.retrans_bytes);
	if (m->mode & 2) {
		if ((a & 3) == 1)
			reasm_retain(r, 1);
		else if ((a & 3) == 2)
			reasm_retain(r, 0);
		else if ((a & 0xff) == 0xff)
			reasm_discard(r);
		if (reasm_flags(r) & REASM_DISCARD) {
			struct cursor c;
			CHECK(reasm_data(r, &c) == 0 && !(reasm_flags(r) & REASM_RETAIN));
			CHECK(reasm_footprint(r) <= reasm_footprint_max() - REASM_CAP);
		}
	}
	reasm_span(r, a, b, &sp);
	CHECK(sp.nframes == sp.segments && sp.segments <= REASM_LOG_MAX);
	CHECK(sp.retrans <= sp.segments && sp.conflicts <= sp.segments);
	size_t n = reasm_log(r, &log);
	CHECK(n <= REASM_LOG_MAX);
	for (size_t i = 0; i < n; i++)
		CHECK(log[i].len > 0 && (uint64_t)log[i].off + log[i].len <= REASM_LOG_WINDOW);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	struct tcp_stream ts;
	struct model m;
	uint8_t mode = 0, op;
	uint64_t frame = 0;

	memset(&m, 0, sizeof(m));
	get(&in, &mode, 1);
	m.mode = mode;
	m.isn = get_be(&in, 4);
	reasm_init(&ts.rs);
	if (mode & 2)
		reasm_retain(&ts.rs, 1);
	if (mode & 1)
		tcp_stream_syn(&ts, m.isn);
	while (get(&in, &op, 1)) {
		uint64_t read0 = ts.rs.read;
		switch ((op & 0x7f) % 6) {
		case 0:
		case 1:
			op_segment(&ts, &m, &in, op, ++frame);
			break;
		case 2:
			op_absolute(&ts, &m, &in, ++frame);
			break;
		case 3:
			op_consume(&ts, &m, &in);
			break;
		case 4: {
			uint64_t n = (uint64_t)get_be(&in, 2) << (get_be(&in, 1) % 24);
			CHECK(reasm_skip(&ts.rs, n) == 1);
			break;
		}
		default:
			op_query(&ts, &m, &in);
			break;
		}
		CHECK(ts.rs.read >= read0);
		CHECK(reasm_selfcheck(&ts.rs));
		CHECK(reasm_footprint(&ts.rs) <= reasm_footprint_max());
	}
	reasm_free(&ts.rs);
	CHECK(reasm_footprint(&ts.rs) == 0);
	return 0;
}
