/* test_zeek.c: Zeek conn.log history and conn_state on packet sequences built in code. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
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

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* A first packet that is a SYN-ACK from 443 to 40000: Zeek's port guess makes
 * its receiver, the client, the originator ('^'). */
static void start_flipped(struct run *r)
{
	run_start(r, SV);
	assert_int_equal(zeek_first(&r->z, 443, 40000, FSA), 1);
	r->orig_side = C;
}

/*
 * One test per row of conn_state()'s table (base/protocols/conn/main.zeek).
 * That function decides in this order, and each comment below names the
 * branch taken: the responder RESET (REJ when the originator is SYN_SENT or
 * SYN_ACK_SENT, or RESET too with both sizes 0; else RSTRH when the
 * originator is INACTIVE or PARTIAL; else RSTR), then the originator RESET
 * (RSTOS0 when the responder is INACTIVE or PARTIAL and the history matches
 * ^?S[^HAFGIQ]*R.*, OTH when only the first holds, else RSTO), both CLOSED
 * (SF), the originator CLOSED (SH, responder inactive, else S2), the
 * responder CLOSED (SHR, originator inactive, else S3), SYN_SENT/INACTIVE
 * (S0), both ESTABLISHED (S1), anything else OTH. The endpoint states come
 * from TCPSessionAdapter::UpdateStateMachine and its Update*State helpers.
 */

static void test_state_s0(void **state)
{
	(void)state;
	struct run r;
	static const struct seg s[] = { { C, FS, CISN, 0, 0, 0, 0 }, { C, FS, CISN, 0, 0, 0, 0 } };
	static const struct seg a[] = { { SV, FA, SISN + 1, CISN + 1, 0, 0, 0 } };
	run_start(&r, C);
	feed(&r, s, N(s));
	/* UpdateInactiveState: SYN -> SYN_SENT; the responder never seen: INACTIVE: S0.
	 * The retransmission: the same ISN is no reuse (IsReuse) and its relative seq 0
	 * equals hist_last_SYN: one S */
	expect(&r, "S", "S0");
	assert_int_equal(r.reuses, 0);
	feed(&r, a, N(a));
	/* a bare ack of the SYN from the responder while the originator is SYN_SENT
	 * leaves the responder INACTIVE (UpdateInactiveState's "eccentric TCPs"): S0 */
	expect(&r, "Sa", "S0");
}

static void test_state_s1(void **state)
{
	(void)state;
	struct run r;
	static const struct seg sh[] = { { C, FS, CISN, 0, 0, 0, 0 }, { SV, FSA, SISN, CISN + 1, 0, 0, 0 } };
	static const struct seg d[] = {
		{ C, FPA, CISN + 1, SISN + 1, 0, 100, 0 }, { SV, FPA, SISN + 1, CISN + 101, 0, 200, 0 },
	};
	run_start(&r, C);
	feed(&r, sh, N(sh));
	/* the responder's SYN-ACK (UpdateInactiveState) makes it ESTABLISHED and moves the
	 * SYN_SENT originator to ESTABLISHED too: S1 before the third packet */
	expect(&r, "Sh", "S1");
	open_conn(&r);
	feed(&r, d, N(d));
	expect(&r, "ShADd", "S1");
}

static void test_state_sf(void **state)
{
	(void)state;
	struct run r;
	static const struct seg ff[] = {
		{ C, FFA, CISN + 1, SISN + 1, 0, 0, 0 }, { SV, FFA, SISN + 1, CISN + 2, 0, 0, 0 },
	};
	static const struct seg frf[] = {
		{ C, FFA, CISN + 1, SISN + 1, 0, 0, 0 },
		{ C, FRA, CISN + 2, SISN + 1, 0, 0, 0 },
		{ SV, FFA, SISN + 1, CISN + 2, 0, 0, 0 },
	};
	open_conn(&r);
	feed(&r, ff, N(ff));
	/* UpdateEstablishedState: each FIN -> CLOSED; both CLOSED: SF */
	expect(&r, "ShAFf", "SF");
	/*
	 * Issue 12's example, "a responder FIN after the originator's RST: SF and
	 * ...FRf". It is SF only when the originator's FIN came before its RST:
	 * F: UpdateEstablishedState, orig ESTABLISHED -> CLOSED.
	 * R: UpdateClosedState, the peer is not CLOSED, so orig CLOSED -> RESET
	 *    (prev_state CLOSED).
	 * f: UpdateEstablishedState, resp ESTABLISHED -> CLOSED, and as the peer is
	 *    RESET with prev_state CLOSED ("a FIN followed by a RST ... actually
	 *    normal termination") orig goes back to CLOSED.
	 * Both CLOSED: SF, history ShAFRf. Without the F, the originator goes
	 * ESTABLISHED -> RESET (prev_state ESTABLISHED), the responder's FIN does
	 * not undo that, and conn_state() finds the originator RESET with the
	 * responder CLOSED (not inactive): RSTO, ShARf (test_state_rsto).
	 */
	open_conn(&r);
	feed(&r, frf, N(frf));
	expect(&r, "ShAFRf", "SF");
}

static void test_state_rej(void **state)
{
	(void)state;
	struct run r;
	static const struct seg s[] = { { C, FS, CISN, 0, 0, 0, 0 }, { SV, FRA, 0, CISN + 1, 0, 0, 0 } };
	static const struct seg again[] = { { C, FS, CISN, 0, 0, 0, 0 } };
	static const struct seg both[] = {
		{ C, FS, CISN, 0, 0, 0, 0 }, { SV, FSA, SISN, CISN + 1, 0, 0, 0 },
		{ C, FR, CISN + 1, 0, 0, 0, 0 }, { SV, FR, SISN + 1, 0, 0, 0, 0 },
	};
	static const struct seg h[] = { { SV, FSA, SISN, CISN + 1, 0, 0, 0 }, { C, FRA, CISN + 1, SISN + 1, 0, 0, 0 } };
	run_start(&r, C);
	feed(&r, s, N(s));
	/* responder RESET, originator SYN_SENT: REJ */
	expect(&r, "Sr", "REJ");
	/* the RST closed the connection (did_close), so the SYN retransmission starts a new one */
	feed(&r, again, N(again));
	assert_int_equal(r.reuses, 1);
	expect(&r, "S", "S0");
	run_start(&r, C);
	feed(&r, both, N(both));
	/* both RESET and both Size() 0 (only the SYN octets): REJ */
	expect(&r, "ShRr", "REJ");
	run_start(&r, SV);   /* unknown ports: the SYN-ACK's sender is the originator */
	feed(&r, h, N(h));
	/* responder RESET, originator SYN_ACK_SENT: REJ */
	expect(&r, "Hr", "REJ");
}

static void test_state_s2(void **state)
{
	(void)state;
	struct run r;
	static const struct seg o[] = { { C, FFA, CISN + 1, SISN + 1, 0, 0, 0 } };
	open_conn(&r);
	feed(&r, o, N(o));
	/* originator CLOSED, responder ESTABLISHED (not inactive): S2 */
	expect(&r, "ShAF", "S2");
}

static void test_state_s3(void **state)
{
	(void)state;
	struct run r;
	static const struct seg p[] = { { SV, FFA, SISN + 1, CISN + 1, 0, 0, 0 } };
	open_conn(&r);
	feed(&r, p, N(p));
	/* responder CLOSED, originator ESTABLISHED (not inactive): S3 */
	expect(&r, "ShAf", "S3");
}

static void test_state_rsto(void **state)
{
	(void)state;
	struct run r;
	static const struct seg o[] = { { C, FR, CISN + 1, 0, 0, 0, 0 } };
	static const struct seg f[] = { { SV, FFA, SISN + 1, CISN + 1, 0, 0, 0 } };
	open_conn(&r);
	feed(&r, o, N(o));
	/* originator RESET, responder ESTABLISHED (not inactive): RSTO */
	expect(&r, "ShAR", "RSTO");
	feed(&r, f, N(f));
	/* the responder's FIN closes only the responder (the originator's prev_state is
	 * ESTABLISHED, not CLOSED): the originator is still RESET: RSTO (test_state_sf) */
	expect(&r, "ShARf", "RSTO");
}

static void test_state_rstr(void **state)
{
	(void)state;
	struct run r;
	static const struct seg p[] = { { SV, FR, SISN + 1, 0, 0, 0, 0 } };
	static const struct seg d[] = {
		{ C, FPA, CISN + 1, SISN + 1, 0, 100, 0 }, { SV, FPA, SISN + 1, CISN + 101, 0, 200, 0 },
		{ C, FRA, CISN + 101, SISN + 201, 0, 0, 0 }, { SV, FRA, SISN + 201, CISN + 101, 0, 0, 0 },
	};
	open_conn(&r);
	feed(&r, p, N(p));
	/* responder RESET, originator ESTABLISHED: RSTR */
	expect(&r, "ShAr", "RSTR");
	open_conn(&r);
	feed(&r, d, N(d));
	/* both RESET but 100 and 200 bytes sent: not REJ; originator not inactive: RSTR */
	expect(&r, "ShADdRr", "RSTR");
}

static void test_state_rstos0(void **state)
{
	(void)state;
	struct run r;
	static const struct seg s[] = { { C, FS, CISN, 0, 0, 0, 0 }, { C, FR, CISN + 1, 0, 0, 0, 0 } };
	static const struct seg f[] = { { C, FFA, CISN + 1, SISN + 1, 0, 0, 0 } };
	run_start(&r, C);
	feed(&r, s, N(s));
	/* UpdateSYN_SentState: RST -> RESET; responder INACTIVE; SR matches
	 * ^?S[^HAFGIQ]*R.* : RSTOS0 */
	expect(&r, "SR", "RSTOS0");
	feed(&r, f, N(f));
	/* a FIN after the RST: UpdateResetState changes nothing, and the F comes
	 * after the R, where the pattern's .* takes it: still RSTOS0 */
	expect(&r, "SRF", "RSTOS0");
}

static void test_state_rstrh(void **state)
{
	(void)state;
	struct run r;
	static const struct seg rst[] = {
		{ SV, FSA, SISN, CISN + 1, 0, 0, 0 }, { SV, FR, SISN + 1, 0, 0, 0, 0 },
	};
	static const struct seg mid[] = {
		{ C, FPA, 2000, 9000, 0, 100, 0 }, { SV, FA, 9000, 2100, 0, 0, 0 },
		{ SV, FRA, 9000, 2100, 0, 0, 0 },
	};
	start_flipped(&r);
	feed(&r, rst, N(rst));
	/* responder ESTABLISHED then RESET, originator never seen (INACTIVE): RSTRH */
	expect(&r, "^hr", "RSTRH");
	run_start(&r, C);
	feed(&r, mid, N(mid));
	/* midstream: the responder's RST with the originator PARTIAL (inactive): RSTRH */
	expect(&r, "Dar", "RSTRH");
}

static void test_state_sh(void **state)
{
	(void)state;
	struct run r;
	static const struct seg s[] = { { C, FS, CISN, 0, 0, 0, 0 }, { C, 0x01, CISN + 1, 0, 0, 0, 0 } };
	run_start(&r, C);
	feed(&r, s, N(s));
	/* UpdateSYN_SentState: FIN -> CLOSED; responder INACTIVE: SH */
	expect(&r, "SF", "SH");
}

static void test_state_shr(void **state)
{
	(void)state;
	struct run r;
	static const struct seg fin[] = {
		{ SV, FSA, SISN, CISN + 1, 0, 0, 0 }, { SV, FFA, SISN + 1, CISN + 1, 0, 0, 0 },
	};
	start_flipped(&r);
	feed(&r, fin, N(fin));
	/* responder CLOSED, originator INACTIVE: SHR */
	expect(&r, "^hf", "SHR");
}

static void test_state_oth(void **state)
{
	(void)state;
	struct run r;
	static const struct seg mid[] = {
		{ C, FPA, 2000, 9000, 0, 100, 0 }, { SV, FA, 9000, 2100, 0, 0, 0 }, { SV, FPA, 9000, 2100, 0, 10, 0 },
	};
	static const struct seg sar[] = {
		{ C, FS, CISN, 0, 0, 0, 0 }, { C, FA, CISN + 1, SISN + 1, 0, 0, 0 }, { C, FR, CISN + 1, 0, 0, 0, 0 },
	};
	static const struct seg h[] = { { SV, FSA, SISN, CISN + 1, 0, 0, 0 } };
	run_start(&r, C);
	feed(&r, mid, N(mid));
	/* no SYN: both endpoints PARTIAL, no branch before the last: OTH */
	expect(&r, "Dad", "OTH");
	run_start(&r, C);
	feed(&r, sar, N(sar));
	/* originator RESET, responder INACTIVE, but an A before the R: the pattern fails: OTH */
	expect(&r, "SAR", "OTH");
	run_start(&r, SV);
	feed(&r, h, N(h));
	/* a SYN-ACK alone from unknown ports: originator SYN_ACK_SENT: OTH */
	expect(&r, "H", "OTH");
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

static void test_bad_checksum(void **state)
{
	(void)state;
	struct run r;
	static const struct seg c[] = {
		{ C, FS, CISN, 0, 0, 0, 0 }, { SV, FSA, SISN, CISN + 1, 0, 0, 1 },
	};
	run_start(&r, C);
	feed(&r, c, 2);
	/* bad checksum: c, and the SYN-ACK is otherwise ignored: S0 (a RST after both
	 * FINs, which this test had too, is the table's FfR, FfRr, ...) */
	expect(&r, "Sc", "S0");
}

/*
 * Every FIN/RST combination: each subset of {originator FIN (F), responder
 * FIN (f), originator RST (R), responder RST (r)} in each order, after each
 * of the prefixes below. FINs and RSTs carry ACK, each segment's sequence
 * number follows what its side sent and its ack what the other side sent.
 * The history is the prefix's followed by the letters as given (a first F, f,
 * R or r of a direction is always logged). The expected states were derived
 * from Zeek's code alone (UpdateInactiveState, UpdateSYN_SentState,
 * UpdateEstablishedState, UpdateClosedState, UpdateResetState, then
 * conn_state()); the rules that decide them:
 * - RESET is final (UpdateResetState changes nothing);
 * - a RST from a CLOSED side resets it unless the peer is CLOSED too
 *   (UpdateClosedState), so after F and f a RST changes nothing: SF;
 * - a FIN from an ESTABLISHED or PARTIAL side turns a peer that is RESET
 *   with prev_state CLOSED (it sent FIN, then RST) back to CLOSED
 *   (UpdateEstablishedState): F R f is SF, but after only a SYN (or only the
 *   originator's SYN-ACK) it is RSTO, since the f there comes from an
 *   INACTIVE side (UpdateInactiveState), which has no such rule;
 * - both RESET is REJ when neither side sent a payload byte, else RSTR or
 *   RSTRH (Size() counts neither the SYN nor the FIN octet).
 */
enum { P_HANDSHAKE, P_HANDSHAKE_DATA, P_SYN, P_SYNACK, P_SYNACK_FLIPPED, P_MIDSTREAM, NPREFIX };

struct prefix {
	const char *history;
	int first_side, flipped;
	const struct seg *segs;
	size_t n;
	uint32_t next[2];   /* each side's next sequence number after the prefix, by side (SV, C) */
};

static const struct seg pre_data[] = {
	{ C, FS, CISN, 0, 0, 0, 0 }, { SV, FSA, SISN, CISN + 1, 0, 0, 0 }, { C, FA, CISN + 1, SISN + 1, 0, 0, 0 },
	{ C, FPA, CISN + 1, SISN + 1, 0, 100, 0 }, { SV, FA, SISN + 1, CISN + 101, 0, 0, 0 },
	{ SV, FPA, SISN + 1, CISN + 101, 0, 200, 0 }, { C, FA, CISN + 101, SISN + 201, 0, 0, 0 },
};
static const struct seg pre_synack[] = { { SV, FSA, SISN, CISN + 1, 0, 0, 0 } };
static const struct seg pre_mid[] = {
	{ C, FPA, 2000, 9000, 0, 100, 0 }, { SV, FA, 9000, 2100, 0, 0, 0 }, { SV, FPA, 9000, 2100, 0, 10, 0 },
};

static const struct prefix prefixes[NPREFIX] = {
	[P_HANDSHAKE] = { "ShA", C, 0, handshake, 3, { SISN + 1, CISN + 1 } },
	[P_HANDSHAKE_DATA] = { "ShADad", C, 0, pre_data, 7, { SISN + 201, CISN + 101 } },
	[P_SYN] = { "S", C, 0, handshake, 1, { SISN + 1, CISN + 1 } },
	/* the SYN-ACK's sender is the originator (unknown ports) */
	[P_SYNACK] = { "H", SV, 0, pre_synack, 1, { SISN + 1, CISN + 1 } },
	/* the SYN-ACK comes from 443: its receiver is the originator */
	[P_SYNACK_FLIPPED] = { "^h", SV, 1, pre_synack, 1, { SISN + 1, CISN + 1 } },
	[P_MIDSTREAM] = { "Dad", C, 0, pre_mid, 3, { 9010, 2100 } },
};

static const struct {
	const char *events;
	const char *state[NPREFIX];   /* after handshake, handshake+data, SYN, SYN-ACK, flipped SYN-ACK, midstream */
} close_table[] = {
	{ "",     { "S1", "S1", "S0", "OTH", "OTH", "OTH" } },
	{ "F",    { "S2", "S2", "SH", "SH", "S2", "SH" } },
	{ "f",    { "S3", "S3", "S3", "S3", "SHR", "SHR" } },
	{ "R",    { "RSTO", "RSTO", "RSTOS0", "OTH", "RSTO", "OTH" } },
	{ "r",    { "RSTR", "RSTR", "REJ", "REJ", "RSTRH", "RSTRH" } },
	{ "Ff",   { "SF", "SF", "SF", "SF", "SF", "SF" } },
	{ "FR",   { "RSTO", "RSTO", "OTH", "OTH", "RSTO", "OTH" } },
	{ "Fr",   { "RSTR", "RSTR", "RSTR", "RSTR", "RSTR", "RSTR" } },
	{ "fF",   { "SF", "SF", "SF", "SF", "SF", "SF" } },
	{ "fR",   { "RSTO", "RSTO", "RSTO", "RSTO", "RSTO", "RSTO" } },
	{ "fr",   { "RSTR", "RSTR", "REJ", "REJ", "RSTRH", "RSTRH" } },
	{ "RF",   { "RSTO", "RSTO", "RSTOS0", "OTH", "RSTO", "OTH" } },
	{ "Rf",   { "RSTO", "RSTO", "RSTO", "RSTO", "RSTO", "RSTO" } },
	{ "Rr",   { "REJ", "RSTR", "REJ", "REJ", "REJ", "RSTR" } },
	{ "rF",   { "RSTR", "RSTR", "RSTR", "RSTR", "RSTR", "RSTR" } },
	{ "rf",   { "RSTR", "RSTR", "REJ", "REJ", "RSTRH", "RSTRH" } },
	{ "rR",   { "REJ", "RSTR", "REJ", "REJ", "REJ", "RSTR" } },
	{ "FfR",  { "SF", "SF", "SF", "SF", "SF", "SF" } },
	{ "Ffr",  { "SF", "SF", "SF", "SF", "SF", "SF" } },
	{ "FRf",  { "SF", "SF", "RSTO", "RSTO", "SF", "SF" } },
	{ "FRr",  { "REJ", "RSTR", "REJ", "REJ", "REJ", "RSTR" } },
	{ "Frf",  { "RSTR", "RSTR", "RSTR", "RSTR", "RSTR", "RSTR" } },
	{ "FrR",  { "REJ", "RSTR", "REJ", "REJ", "REJ", "RSTR" } },
	{ "fFR",  { "SF", "SF", "SF", "SF", "SF", "SF" } },
	{ "fFr",  { "SF", "SF", "SF", "SF", "SF", "SF" } },
	{ "fRF",  { "RSTO", "RSTO", "RSTO", "RSTO", "RSTO", "RSTO" } },
	{ "fRr",  { "REJ", "RSTR", "REJ", "REJ", "REJ", "RSTR" } },
	{ "frF",  { "SF", "SF", "RSTR", "RSTR", "RSTR", "SF" } },
	{ "frR",  { "REJ", "RSTR", "REJ", "REJ", "REJ", "RSTR" } },
	{ "RFf",  { "RSTO", "RSTO", "RSTO", "RSTO", "RSTO", "RSTO" } },
	{ "RFr",  { "REJ", "RSTR", "REJ", "REJ", "REJ", "RSTR" } },
	{ "RfF",  { "RSTO", "RSTO", "RSTO", "RSTO", "RSTO", "RSTO" } },
	{ "Rfr",  { "REJ", "RSTR", "REJ", "REJ", "REJ", "RSTR" } },
	{ "RrF",  { "REJ", "RSTR", "REJ", "REJ", "REJ", "RSTR" } },
	{ "Rrf",  { "REJ", "RSTR", "REJ", "REJ", "REJ", "RSTR" } },
	{ "rFf",  { "RSTR", "RSTR", "RSTR", "RSTR", "RSTR", "RSTR" } },
	{ "rFR",  { "REJ", "RSTR", "REJ", "REJ", "REJ", "RSTR" } },
	{ "rfF",  { "RSTR", "RSTR", "RSTR", "RSTR", "RSTR", "RSTR" } },
	{ "rfR",  { "REJ", "RSTR", "REJ", "REJ", "REJ", "RSTR" } },
	{ "rRF",  { "REJ", "RSTR", "REJ", "REJ", "REJ", "RSTR" } },
	{ "rRf",  { "REJ", "RSTR", "REJ", "REJ", "REJ", "RSTR" } },
	{ "FfRr", { "SF", "SF", "SF", "SF", "SF", "SF" } },
	{ "FfrR", { "SF", "SF", "SF", "SF", "SF", "SF" } },
	{ "FRfr", { "SF", "SF", "REJ", "REJ", "SF", "SF" } },
	{ "FRrf", { "REJ", "RSTR", "REJ", "REJ", "REJ", "RSTR" } },
	{ "FrfR", { "REJ", "RSTR", "REJ", "REJ", "REJ", "RSTR" } },
	{ "FrRf", { "REJ", "RSTR", "REJ", "REJ", "REJ", "RSTR" } },
	{ "fFRr", { "SF", "SF", "SF", "SF", "SF", "SF" } },
	{ "fFrR", { "SF", "SF", "SF", "SF", "SF", "SF" } },
	{ "fRFr", { "REJ", "RSTR", "REJ", "REJ", "REJ", "RSTR" } },
	{ "fRrF", { "REJ", "RSTR", "REJ", "REJ", "REJ", "RSTR" } },
	{ "frFR", { "SF", "SF", "REJ", "REJ", "REJ", "SF" } },
	{ "frRF", { "REJ", "RSTR", "REJ", "REJ", "REJ", "RSTR" } },
	{ "RFfr", { "REJ", "RSTR", "REJ", "REJ", "REJ", "RSTR" } },
	{ "RFrf", { "REJ", "RSTR", "REJ", "REJ", "REJ", "RSTR" } },
	{ "RfFr", { "REJ", "RSTR", "REJ", "REJ", "REJ", "RSTR" } },
	{ "RfrF", { "REJ", "RSTR", "REJ", "REJ", "REJ", "RSTR" } },
	{ "RrFf", { "REJ", "RSTR", "REJ", "REJ", "REJ", "RSTR" } },
	{ "RrfF", { "REJ", "RSTR", "REJ", "REJ", "REJ", "RSTR" } },
	{ "rFfR", { "REJ", "RSTR", "REJ", "REJ", "REJ", "RSTR" } },
	{ "rFRf", { "REJ", "RSTR", "REJ", "REJ", "REJ", "RSTR" } },
	{ "rfFR", { "REJ", "RSTR", "REJ", "REJ", "REJ", "RSTR" } },
	{ "rfRF", { "REJ", "RSTR", "REJ", "REJ", "REJ", "RSTR" } },
	{ "rRFf", { "REJ", "RSTR", "REJ", "REJ", "REJ", "RSTR" } },
	{ "rRfF", { "REJ", "RSTR", "REJ", "REJ", "REJ", "RSTR" } },
};

static void close_run(struct run *r, const struct prefix *p, const char *events)
{
	uint32_t next[2];

	if (p->flipped)
		start_flipped(r);
	else
		run_start(r, p->first_side);
	feed(r, p->segs, p->n);
	memcpy(next, p->next, sizeof next);
	for (const char *ev = events; *ev; ev++) {
		int side = (*ev == 'F' || *ev == 'R') ? r->orig_side : !r->orig_side;
		struct seg s = { side, (*ev == 'F' || *ev == 'f') ? FFA : FRA, next[side], next[!side], 0, 0, 0 };
		feed(r, &s, 1);
		if (s.flags == FFA)
			next[side]++;
	}
}

static void test_fin_rst_combinations(void **state)
{
	(void)state;
	char history[ZEEK_HISTORY_MAX + 1];
	struct run r;

	for (size_t i = 0; i < N(close_table); i++) {
		for (int k = 0; k < NPREFIX; k++) {
			close_run(&r, &prefixes[k], close_table[i].events);
			snprintf(history, sizeof history, "%s%s", prefixes[k].history, close_table[i].events);
			if (strcmp(zeek_history(&r.z), history) != 0 ||
			    strcmp(zeek_conn_state(&r.z), close_table[i].state[k]) != 0)
				print_error("prefix %d, events \"%s\": want %s %s, got %s %s\n", k,
					    close_table[i].events, history, close_table[i].state[k],
					    zeek_history(&r.z), zeek_conn_state(&r.z));
			assert_string_equal(zeek_history(&r.z), history);
			assert_string_equal(zeek_conn_state(&r.z), close_table[i].state[k]);
			assert_int_equal(r.reuses + r.flips, 0);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normal),
		cmocka_unit_test(test_syn_new_isn_is_reuse),
		cmocka_unit_test(test_state_s0),
		cmocka_unit_test(test_state_s1),
		cmocka_unit_test(test_state_sf),
		cmocka_unit_test(test_state_rej),
		cmocka_unit_test(test_state_s2),
		cmocka_unit_test(test_state_s3),
		cmocka_unit_test(test_state_rsto),
		cmocka_unit_test(test_state_rstr),
		cmocka_unit_test(test_state_rstos0),
		cmocka_unit_test(test_state_rstrh),
		cmocka_unit_test(test_state_sh),
		cmocka_unit_test(test_state_shr),
		cmocka_unit_test(test_state_oth),
		cmocka_unit_test(test_synack_first_flip),
		cmocka_unit_test(test_synack_before_syn_flip),
		cmocka_unit_test(test_retransmission_and_scaling),
		cmocka_unit_test(test_zero_window),
		cmocka_unit_test(test_simultaneous_open),
		cmocka_unit_test(test_duplicates_and_reordering),
		cmocka_unit_test(test_content_gap),
		cmocka_unit_test(test_fin_rst_and_multi_flag),
		cmocka_unit_test(test_repeats_on_new_seq),
		cmocka_unit_test(test_bad_checksum),
		cmocka_unit_test(test_fin_rst_combinations),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
