/* fuzz_tls.c: any sequence of segments, both directions, through one connection's TLS record and handshake reader. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "tls.h"
#include "tls_cert.h"
#include "../tests/unit/tls_wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * Input: a mode byte (bit 0: the client's SYN comes first, bit 1: the
 * server's), the client's and the server's ISN (4 bytes each, big-endian),
 * then segments to the end, each:
 *   a control byte  bit 0 direction (0 client, 1 server); bit 1 a SYN with
 *                   that side's ISN before it (late: after data, ignored by
 *                   reassembly unless it agrees); bits 2-5 a shift; bit 6 the
 *                   same timestamp as the segment before; bit 7 read every
 *                   accessor after it
 *   a 2-byte delta  signed: the segment starts at that side's furthest stream
 *                   offset so far plus delta << shift
 *   a 2-byte length and the bytes (fuzz_next: a short last one takes what is left)
 * Every accessor is read at the end. Always: the module's invariants hold, its
 * memory stays bounded, and tls_free leaves nothing (ASan's leak check).
 */

#define CHECK(c)                                                                    \
	do {                                                                        \
		if (!(c)) {                                                         \
			fprintf(stderr, "fuzz_tls: %s:%d: %s\n", __FILE__, __LINE__, #c); \
			abort();                                                    \
		}                                                                   \
	} while (0)

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void check(const struct tls_conn *t)
{
	int seen = 0;

	if (t->enc != NULL) {
		CHECK(t->enc->n <= TLS_ENC_KEEP_RECORDS && t->enc->bytes <= TLS_ENC_KEEP_BYTES);
		for (uint32_t i = 0; i < t->enc->n; i++)
			CHECK(t->enc->rec[i].body != NULL && t->enc->rec[i].dir < 2);
	}

	for (int d = 0; d < 2; d++) {
		const struct tls_side *s = &t->side[d];
		CHECK(reasm_selfcheck(t->rs[d]));
		CHECK(reasm_footprint(t->rs[d]) <= reasm_footprint_max());
		CHECK(s->hs_len <= TLS_HS_CAP);
		CHECK((s->hs == NULL) == (s->hs_len == 0));
		CHECK(s->enc_hs_records <= s->enc_records && s->enc_records <= s->records);
		CHECK(s->first_line_len <= TLS_FIRST_LINE);
		CHECK(s->mode <= TLS_MODE_BROKEN);
		if (s->mode == TLS_MODE_PLAIN || s->mode == TLS_MODE_BROKEN) {
			/* no buffer: only the bookkeeping of what is counted */
			CHECK(reasm_footprint(t->rs[d]) <= reasm_footprint_max() - REASM_CAP && s->hs == NULL &&
			      (reasm_flags(t->rs[d]) & REASM_DISCARD));
		}
		CHECK(s->hs_skip == 0 || s->hs_cut > 0);
		CHECK(s->bad == TLS_BAD_NONE || s->mode == TLS_MODE_BROKEN);
		/* retained handshake bytes only until the handshake is done */
		CHECK(!t->done || !(reasm_flags(t->rs[d]) & REASM_RETAIN));
		if (s->mode == TLS_MODE_RECORDS)
			CHECK((uint64_t)s->records * 2 <= reasm_offset(t->rs[d]) &&
			      s->enc_bytes <= reasm_offset(t->rs[d]));
		seen |= s->records > 0 || s->mode == TLS_MODE_RECORDS || s->mode == TLS_MODE_SSLV2;
	}
	CHECK(t->nalerts <= TLS_MAX_ALERTS && t->nalerts <= t->alerts_total);
	CHECK(t->ch2 == NULL || (t->hrr && t->ch != NULL));
	CHECK(t->cert_msg == NULL || (t->cert_msg_len >= 4 && t->cert_msg_len <= TLS_HS_CAP));
	CHECK(tls_seen(t) == seen);
}

static void read_all(struct tls_conn *t)
{
	struct tls_cert_findings f;
	uint16_t v = tls_version(t);

	(void)tls_seen(t);
	if (tls_established(t))
		CHECK(v != 0);
	for (int d = 0; d < 2; d++) {
		const struct tls_rec_note *n = tls_short_last_record(t, d);
		if (n != NULL)
			CHECK(n == &t->side[d].last_enc && n->len < tls13_min_finished(t) && tls_version_is_13(v));
	}
	if (tls_certificates(t, &f) != NULL)
		CHECK(f.n <= TLS_CERT_MAX_FINDINGS && f.n <= f.total);
	else
		CHECK(t->cert_msg == NULL);
	struct tls_issue is[TLS_MAX_ISSUES];
	size_t n = tls_issues(t, is, TLS_MAX_ISSUES);
	CHECK(n <= TLS_MAX_ISSUES);
	for (size_t i = 0; i < n; i++) {
		CHECK(is[i].kind >= TLS_ISSUE_BAD_RECORD && is[i].kind <= TLS_ISSUE_SSLV2);
		CHECK(is[i].dir <= 1 || is[i].dir == 0xff);
		if (is[i].kind == TLS_ISSUE_MSG_UNFINISHED)
			CHECK(is[i].b < is[i].a);
		if (is[i].kind == TLS_ISSUE_MSG_TOO_LARGE)
			CHECK(is[i].a + 4 > TLS_HS_CAP && is[i].b >= 1);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tls_conn *t;
	uint32_t isn[2];
	uint64_t next[2] = { 0, 0 }, frame = 0;
	int64_t ts = 1700000000000000000ll;
	uint8_t mode;

	if (size < 9 || (t = tls_new()) == NULL)
		return 0;
	mode = data[0];
	isn[0] = be32(data + 1);
	isn[1] = be32(data + 5);
	data += 9;
	size -= 9;
	for (int d = 0; d < 2; d++)
		if (mode & (1u << d))
			tls_syn(t, d, isn[d]);
	/* encrypted records kept for decryption: the record layer then waits for them whole */
	if (mode & 4)
		tls_keep_encrypted(t);
	while (size >= 3) {
		uint8_t ctl = data[0];
		int dir = ctl & 1;
		int16_t delta = (int16_t)((uint16_t)data[1] << 8 | data[2]);
		const uint8_t *p;
		size_t n;

		data += 3;
		size -= 3;
		if (!fuzz_next(&data, &size, &p, &n))
			break;
		if (ctl & 2)
			tls_syn(t, dir, isn[dir]);
		/* the offset: from the side's furthest byte, possibly back before offset 0 */
		int64_t off = (int64_t)next[dir] + (int64_t)delta * ((int64_t)1 << (ctl >> 2 & 15));
		if (!(ctl & 0x40))
			ts += 1000;
		int r = tls_segment(t, dir, isn[dir] + 1 + (uint32_t)off, p, n, ++frame, ts);
		CHECK(r == 0 || r == 1);
		if (off >= 0 && (uint64_t)off + n > next[dir])
			next[dir] = (uint64_t)off + n;
		check(t);
		if (ctl & 0x80)
			read_all(t);
	}
	read_all(t);
	tls_free(t);
	return 0;
}
