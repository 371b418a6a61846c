/* test_zeek.c: Zeek conn.log history and conn_state on packet sequences built in code. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "zeek.h"

/*
 * Each expected value is derived from Zeek's source: TCPSessionAdapter.cc
 * (Process, update_history, UpdateStateMachine, IsReuse), TCP_Endpoint.cc,
 * TCP_Reassembler.cc, Conn.cc (CheckHistory, ScaledHistoryEntry) and
 * conn_state() in base/protocols/conn/main.zeek.
 */

enum { C = 1, SV = 0 };   /* the two sides: client (first sender) and server */
#define FS 0x02
#define FSA 0x12
#define FA 0x10
#define FPA 0x18
#define FFA 0x11
#define FR 0x04
#define FRA 0x14

#define CISN 1000u
#define SISN 5000u

struct seg {
	int side;
	uint8_t flags;
	uint32_t seq, ack;
	uint16_t win;
	uint32_t len;
	int bad;
};

struct run {
	struct zeek_conn z;
	int orig_side;     /* which side is the originator now */
	int flips, reuses;
	char prev_history[ZEEK_HISTORY_MAX + 1], prev_state[8];
};

static void run_start(struct run *r, int first_side)
{
	memset(r, 0, sizeof(*r));
	zeek_init(&r->z);
	r->orig_side = first_side;
}

/* Feeds segments the way a flow table would, following flips and reuse. */
static void feed(struct run *r, const struct seg *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct seg *g = &s[i];
		uint16_t win = g->win ? g->win : 65535;
		int rc = zeek_packet(&r->z, g->side == r->orig_side, g->flags, g->seq, g->ack, win, g->len, g->bad);
		if (rc & ZEEK_REUSE) {
			strcpy(r->prev_history, zeek_history(&r->z));
			strcpy(r->prev_state, zeek_conn_state(&r->z));
			r->reuses++;
			zeek_init(&r->z);
			r->orig_side = g->side;
			rc = zeek_packet(&r->z, 1, g->flags, g->seq, g->ack, win, g->len, g->bad);
		}
		if (rc & ZEEK_FLIP) {
			r->orig_side = !r->orig_side;
			r->flips++;
		}
	}
}

static void expect(const struct run *r, const char *history, const char *state)
{
	assert_string_equal(zeek_history(&r->z), history);
	assert_string_equal(zeek_conn_state(&r->z), state);
}

/* Client SYN, server SYN-ACK, client ACK. */
static const struct seg handshake[] = {
	{ C, FS, CISN, 0, 0, 0, 0 },
	{ SV, FSA, SISN, CISN + 1, 0, 0, 0 },
	{ C, FA, CISN + 1, SISN + 1, 0, 0, 0 },
};

static void open_conn(struct run *r)
{
	run_start(r, C);
	feed(r, handshake, 3);
}

static void test_normal(void **state)
{
	(void)state;
	struct run r;
	static const struct seg s[] = {
		{ C, FPA, CISN + 1, SISN + 1, 0, 100, 0 },
		{ SV, FA, SISN + 1, CISN + 101, 0, 0, 0 },
		{ SV, FPA, SISN + 1, CISN + 101, 0, 200, 0 },
		{ C, FA, CISN + 101, SISN + 201, 0, 0, 0 },
		{ C, FPA, CISN + 101, SISN + 201, 0, 50, 0 },   /* second data packet: D only once */
		{ C, FFA, CISN + 151, SISN + 201, 0, 0, 0 },
		{ SV, FFA, SISN + 201, CISN + 152, 0, 0, 0 },
		{ C, FA, CISN + 152, SISN + 202, 0, 0, 0 },
	};
	open_conn(&r);
	feed(&r, s, sizeof s / sizeof s[0]);
	/* s, h, then each of a/d/f once per direction; both endpoints CLOSED: SF */
	expect(&r, "ShADadFf", "SF");
}

static void test_syn_retransmitted_same_isn(void **state)
{
	(void)state;
	struct run r;
	static const struct seg s[] = {
		{ C, FS, CISN, 0, 0, 0, 0 }, { C, FS, CISN, 0, 0, 0, 0 }, { C, FS, CISN, 0, 0, 0, 0 },
	};
	run_start(&r, C);
	feed(&r, s, 3);
	/* same ISN: not a reuse (IsReuse), relative seq 0 == hist_last_SYN: one S; SYN_SENT/INACTIVE: S0 */
	expect(&r, "S", "S0");
	assert_int_equal(r.reuses, 0);
}

static void test_syn_new_isn_is_reuse(void **state)
{
	(void)state;
	struct run r;
	static const struct seg s[] = { { C, FS, CISN, 0, 0, 0, 0 }, { C, FS, CISN + 7777, 0, 0, 0, 0 } };
	run_start(&r, C);
	feed(&r, s, 2);
	/* IsReuse: SYN with another ISN while SYN_SENT ("SYN_seq_jump") ends the connection */
	assert_int_equal(r.reuses, 1);
	assert_string_equal(r.prev_history, "S");
	assert_string_equal(r.prev_state, "S0");
	expect(&r, "S", "S0");
}

static void test_rej(void **state)
{
	(void)state;
	struct run r;
	static const struct seg s[] = { { C, FS, CISN, 0, 0, 0, 0 }, { SV, FRA, 0, CISN + 1, 0, 0, 0 } };
	static const struct seg again[] = { { C, FS, CISN, 0, 0, 0, 0 } };
	run_start(&r, C);
	feed(&r, s, 2);
	/* responder RESET while the originator is SYN_SENT: REJ */
	expect(&r, "Sr", "REJ");
	/* the RST closed the connection (did_close), so the SYN retransmission starts a new one */
	feed(&r, again, 1);
	assert_int_equal(r.reuses, 1);
	expect(&r, "S", "S0");
}

static void test_both_reset_no_data_is_rej(void **state)
{
	(void)state;
	struct run r;
	static const struct seg s[] = {
		{ C, FS, CISN, 0, 0, 0, 0 }, { SV, FSA, SISN, CISN + 1, 0, 0, 0 },
		{ C, FR, CISN + 1, 0, 0, 0, 0 }, { SV, FR, SISN + 1, 0, 0, 0, 0 },
	};
	run_start(&r, C);
	feed(&r, s, 4);
	/* both RESET and both sizes 0 (only the SYN octets): REJ */
	expect(&r, "ShRr", "REJ");
}

static void test_rsto_rstr(void **state)
{
	(void)state;
	struct run r;
	static const struct seg o[] = { { C, FR, CISN + 1, 0, 0, 0, 0 } };
	static const struct seg p[] = { { SV, FR, SISN + 1, 0, 0, 0, 0 } };
	open_conn(&r);
	feed(&r, o, 1);
	/* originator RESET, responder established (not inactive): RSTO */
	expect(&r, "ShAR", "RSTO");
	open_conn(&r);
	feed(&r, p, 1);
	/* responder RESET, originator ESTABLISHED: RSTR */
	expect(&r, "ShAr", "RSTR");
}

static void test_rstos0(void **state)
{
	(void)state;
	struct run r;
	static const struct seg s[] = { { C, FS, CISN, 0, 0, 0, 0 }, { C, FR, CISN + 1, 0, 0, 0, 0 } };
	static const struct seg t[] = {
		{ C, FS, CISN, 0, 0, 0, 0 }, { C, FA, CISN + 1, SISN + 1, 0, 0, 0 }, { C, FR, CISN + 1, 0, 0, 0, 0 },
	};
	run_start(&r, C);
	feed(&r, s, 2);
	/* originator RESET, responder inactive, history matches ^?S[^HAFGIQ]*R.* : RSTOS0 */
	expect(&r, "SR", "RSTOS0");
	run_start(&r, C);
	feed(&r, t, 3);
	/* same states but an A before the R: the pattern fails: OTH */
	expect(&r, "SAR", "OTH");
}

static void test_rstrh_shr_flipped(void **state)
{
	(void)state;
	struct run r;
	static const struct seg rst[] = {
		{ SV, FSA, SISN, CISN + 1, 0, 0, 0 }, { SV, FR, SISN + 1, 0, 0, 0, 0 },
	};
	static const struct seg fin[] = {
		{ SV, FSA, SISN, CISN + 1, 0, 0, 0 }, { SV, FFA, SISN + 1, CISN + 1, 0, 0, 0 },
	};
	/* first packet a SYN-ACK from 443 (a likely server port) to 40000: roles flipped, '^' */
	run_start(&r, SV);
	assert_int_equal(zeek_first(&r.z, 443, 40000, FSA), 1);
	r.orig_side = C;
	feed(&r, rst, 2);
	/* responder ESTABLISHED then RESET, originator never seen (inactive): RSTRH */
	expect(&r, "^hr", "RSTRH");
	run_start(&r, SV);
	assert_int_equal(zeek_first(&r.z, 443, 40000, FSA), 1);
	r.orig_side = C;
	feed(&r, fin, 2);
	/* responder CLOSED, originator inactive: SHR */
	expect(&r, "^hf", "SHR");
}

static void test_sh(void **state)
{
	(void)state;
	struct run r;
	static const struct seg s[] = { { C, FS, CISN, 0, 0, 0, 0 }, { C, 0x01, CISN + 1, 0, 0, 0, 0 } };
	run_start(&r, C);
	feed(&r, s, 2);
	/* SYN_SENT -> CLOSED on the FIN, responder inactive: SH */
	expect(&r, "SF", "SH");
}

static void test_s1_s2_s3(void **state)
{
	(void)state;
	struct run r;
	static const struct seg sh[] = { { C, FS, CISN, 0, 0, 0, 0 }, { SV, FSA, SISN, CISN + 1, 0, 0, 0 } };
	static const struct seg o[] = { { C, FFA, CISN + 1, SISN + 1, 0, 0, 0 } };
	static const struct seg p[] = { { SV, FFA, SISN + 1, CISN + 1, 0, 0, 0 } };
	run_start(&r, C);
	feed(&r, sh, 2);
	/* the SYN-ACK alone makes both endpoints ESTABLISHED (UpdateInactiveState): S1 */
	expect(&r, "Sh", "S1");
	open_conn(&r);
	expect(&r, "ShA", "S1");
	feed(&r, o, 1);
	/* originator CLOSED, responder ESTABLISHED: S2 */
	expect(&r, "ShAF", "S2");
	open_conn(&r);
	feed(&r, p, 1);
	/* responder CLOSED, originator ESTABLISHED: S3 */
	expect(&r, "ShAf", "S3");
}

static void test_midstream_oth(void **state)
{
	(void)state;
	struct run r;
	static const struct seg s[] = {
		{ C, FPA, 2000, 9000, 0, 100, 0 }, { SV, FA, 9000, 2100, 0, 0, 0 }, { SV, FPA, 9000, 2100, 0, 10, 0 },
	};
	run_start(&r, C);
	feed(&r, s, 3);
	/* no SYN: both endpoints PARTIAL: OTH */
	expect(&r, "Dad", "OTH");
}

static void test_synack_first_flip(void **state)
{
	(void)state;
	struct run r;
	static const struct seg s[] = {
		{ SV, FSA, SISN, CISN + 1, 0, 0, 0 },
		{ C, FA, CISN + 1, SISN + 1, 0, 0, 0 },
		{ C, FPA, CISN + 1, SISN + 1, 0, 100, 0 },
		{ SV, FPA, SISN + 1, CISN + 101, 0, 300, 0 },
		{ C, FFA, CISN + 101, SISN + 301, 0, 0, 0 },
		{ SV, FFA, SISN + 301, CISN + 102, 0, 0, 0 },
	};
	run_start(&r, SV);
	assert_int_equal(zeek_first(&r.z, 443, 51000, FSA), 1);
	r.orig_side = C;
	feed(&r, s, 6);
	/* '^' from NewConn; the client's ACK after the SYN-ACK establishes it (not partial) */
	expect(&r, "^hADdFf", "SF");
	/* a SYN-ACK between two likely server ports is never flipped; a pure SYN never */
	run_start(&r, SV);
	assert_int_equal(zeek_first(&r.z, 443, 80, FSA), 0);
	assert_int_equal(zeek_first(&r.z, 443, 51000, FS), 0);
	/* midstream between two server ports: the lower port is the server */
	assert_int_equal(zeek_first(&r.z, 80, 443, FA), 1);
}

static void test_synack_before_syn_flip(void **state)
{
	(void)state;
	struct run r;
	static const struct seg s[] = {
		{ SV, FSA, SISN, CISN + 1, 0, 0, 0 },   /* reordered: the SYN-ACK first */
		{ C, FS, CISN, 0, 0, 0, 0 },
		{ C, FA, CISN + 1, SISN + 1, 0, 0, 0 },
	};
	run_start(&r, SV);   /* unknown ports: no port flip */
	feed(&r, s, 3);
	/* H as originator; the SYN (s, from the responder) matches the SYN-ACK's ack, so
	 * UpdateInactiveState flips roles ('^' after the s); then the client's A */
	expect(&r, "Hs^A", "S1");
	assert_int_equal(r.flips, 1);
	assert_int_equal(r.reuses, 0);
}

static void test_retransmission_and_scaling(void **state)
{
	(void)state;
	struct run r;
	static const struct seg d = { C, FPA, CISN + 1, SISN + 1, 0, 100, 0 };
	open_conn(&r);
	feed(&r, &d, 1);
	for (int i = 0; i < 9; i++)
		feed(&r, &d, 1);
	/* nine retransmissions: T logged at the 1st only */
	expect(&r, "ShADT", "S1");
	feed(&r, &d, 1);
	/* the 10th: a second T */
	expect(&r, "ShADTT", "S1");
	for (int i = 0; i < 89; i++)
		feed(&r, &d, 1);
	expect(&r, "ShADTT", "S1");
	feed(&r, &d, 1);
	/* the 100th: a third T */
	expect(&r, "ShADTTT", "S1");
}

static void test_zero_window(void **state)
{
	(void)state;
	struct run r;
	static const struct seg a[] = { { SV, FA, SISN + 1, CISN + 1, 1, 0, 0 } };
	static const struct seg fin[] = { { C, FFA, CISN + 1, SISN + 1, 0, 0, 0 } };
	open_conn(&r);
	feed(&r, a, 1);
	/* feed() maps win 0 to 65535: a real zero window goes in directly */
	zeek_packet(&r.z, 0, FA, SISN + 1, CISN + 1, 0, 0, 0);
	zeek_packet(&r.z, 0, FA, SISN + 1, CISN + 1, 0, 0, 0);
	/* a, then w at the first zero window only (1, 10, 100, ...) */
	expect(&r, "ShAaw", "S1");
	open_conn(&r);
	feed(&r, fin, 1);
	zeek_packet(&r.z, 0, FA, SISN + 1, CISN + 2, 0, 0, 0);
	/* after the peer's FIN a zero window is not interesting (update_window): no w */
	expect(&r, "ShAFa", "S2");
}

static void test_simultaneous_open(void **state)
{
	(void)state;
	struct run r;
	static const struct seg s[] = {
		{ C, FS, CISN, 0, 0, 0, 0 },
		{ SV, FS, SISN, 0, 0, 0, 0 },
		{ C, FSA, CISN, SISN + 1, 0, 0, 0 },
		{ SV, FSA, SISN, CISN + 1, 0, 0, 0 },
	};
	run_start(&r, C);
	feed(&r, s, 4);
	/* IsReuse compares the second SYN with the originator's ISN: a new connection */
	assert_int_equal(r.reuses, 1);
	assert_string_equal(r.prev_history, "S");
	assert_string_equal(r.prev_state, "S0");
	/* in it the client's SYN-ACK is h; the server's SYN-ACK repeats its ISN: no H */
	expect(&r, "Sh", "S1");
}

static void test_duplicates_and_reordering(void **state)
{
	(void)state;
	struct run r;
	static const struct seg s[] = {
		{ SV, FSA, SISN, CISN + 1, 0, 0, 0 },              /* duplicate SYN-ACK: same seq, no h */
		{ C, FA, CISN + 1, SISN + 1, 0, 0, 0 },            /* duplicate ACK */
		{ C, FPA, CISN + 101, SISN + 1, 0, 100, 0 },       /* second segment first */
		{ C, FPA, CISN + 1, SISN + 1, 0, 100, 0 },         /* first segment: below last_seq */
		{ SV, FA, SISN + 1, CISN + 201, 0, 0, 0 },
	};
	open_conn(&r);
	feed(&r, s, 5);
	/* the late segment counts as a retransmission (delta_last <= 0); no gap once filled */
	expect(&r, "ShADTa", "S1");
}

static void test_content_gap(void **state)
{
	(void)state;
	struct run r;
	static const struct seg s[] = {
		{ C, FPA, CISN + 1, SISN + 1, 0, 100, 0 },
		{ C, FPA, CISN + 201, SISN + 1, 0, 100, 0 },   /* CISN+101..200 never seen */
		{ SV, FA, SISN + 1, CISN + 301, 0, 0, 0 },     /* acked: the hole is a gap */
		{ SV, FPA, SISN + 1, CISN + 301, 0, 10, 0 },
		{ C, FA, CISN + 301, SISN + 11, 0, 0, 0 },
	};
	open_conn(&r);
	feed(&r, s, 5);
	/* the gap is the originator's data, found when the responder's ack passes the hole */
	expect(&r, "ShADaGd", "S1");
}

static void test_fin_rst_and_multi_flag(void **state)
{
	(void)state;
	struct run r;
	static const struct seg i[] = {
		{ C, 0x15, CISN + 1, SISN + 1, 0, 0, 0 }, { C, 0x15, CISN + 1, SISN + 1, 0, 0, 0 },
	};
	static const struct seg q[] = {
		{ SV, 0x13, SISN, CISN + 1, 0, 0, 0 }, { SV, 0x13, SISN, CISN + 1, 0, 0, 0 },
	};
	static const struct seg sf[] = { { C, 0x03, CISN, 0, 0, 0, 0 } };
	open_conn(&r);
	feed(&r, i, 2);
	/* FIN+RST: I, once per direction; the RST wins: RESET: RSTO */
	expect(&r, "ShAI", "RSTO");
	open_conn(&r);
	feed(&r, q, 2);
	/* SYN+FIN(+ACK): q once; FIN without RST closes the responder: S3 */
	expect(&r, "ShAq", "S3");
	run_start(&r, C);
	feed(&r, sf, 1);
	/* SYN+FIN as first packet: SYN_SENT then CLOSED, responder inactive: SH */
	expect(&r, "Q", "SH");
}

static void test_repeats_on_new_seq(void **state)
{
	(void)state;
	struct run r;
	static const struct seg f[] = {
		{ C, FFA, CISN + 1, SISN + 1, 0, 0, 0 },
		{ C, FFA, CISN + 1, SISN + 1, 0, 0, 0 },   /* same FIN again: nothing */
		{ C, FFA, CISN + 1, SISN + 1, 0, 5, 0 },   /* FIN after 5 bytes: new seq: F */
	};
	static const struct seg rr[] = {
		{ C, FR, CISN + 1, 0, 0, 0, 0 }, { C, FR, CISN + 1, 0, 0, 0, 0 }, { C, FR, CISN + 2001, 0, 0, 0, 0 },
	};
	open_conn(&r);
	feed(&r, f, 3);
	expect(&r, "ShAFF", "S2");
	open_conn(&r);
	feed(&r, rr, 3);
	expect(&r, "ShARR", "RSTO");
}

static void test_rst_after_fins_and_checksum(void **state)
{
	(void)state;
	struct run r;
	static const struct seg s[] = {
		{ C, FFA, CISN + 1, SISN + 1, 0, 0, 0 },
		{ SV, FFA, SISN + 1, CISN + 2, 0, 0, 0 },
		{ C, FR, CISN + 2, 0, 0, 0, 0 },
	};
	static const struct seg c[] = {
		{ C, FS, CISN, 0, 0, 0, 0 }, { SV, FSA, SISN, CISN + 1, 0, 0, 1 },
	};
	open_conn(&r);
	feed(&r, s, 3);
	/* a RST after both FINs leaves the endpoint CLOSED (UpdateClosedState): SF */
	expect(&r, "ShAFfR", "SF");
	run_start(&r, C);
	feed(&r, c, 2);
	/* bad checksum: c, and the SYN-ACK is otherwise ignored: S0 */
	expect(&r, "Sc", "S0");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normal),
		cmocka_unit_test(test_syn_retransmitted_same_isn),
		cmocka_unit_test(test_syn_new_isn_is_reuse),
		cmocka_unit_test(test_rej),
		cmocka_unit_test(test_both_reset_no_data_is_rej),
		cmocka_unit_test(test_rsto_rstr),
		cmocka_unit_test(test_rstos0),
		cmocka_unit_test(test_rstrh_shr_flipped),
		cmocka_unit_test(test_sh),
		cmocka_unit_test(test_s1_s2_s3),
		cmocka_unit_test(test_midstream_oth),
		cmocka_unit_test(test_synack_first_flip),
		cmocka_unit_test(test_synack_before_syn_flip),
		cmocka_unit_test(test_retransmission_and_scaling),
		cmocka_unit_test(test_zero_window),
		cmocka_unit_test(test_simultaneous_open),
		cmocka_unit_test(test_duplicates_and_reordering),
		cmocka_unit_test(test_content_gap),
		cmocka_unit_test(test_fin_rst_and_multi_flag),
		cmocka_unit_test(test_repeats_on_new_seq),
		cmocka_unit_test(test_rst_after_fins_and_checksum),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
