/* test_report.c: the counts per verdict code, the list of sinks, and reports made from a view alone. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "conn.h"
#include "prose.h"
#include "report.h"
#include "sink.h"
#include "view.h"

/* More codes than the summary once had room for (24): every one counted and listed. */
static void test_counts_grow(void **state)
{
	(void)state;
	static char names[60][16];
	struct report_stats st;
	struct report_opts o;
	struct verdict v;
	char *text = NULL;
	size_t len = 0;

	memset(&st, 0, sizeof(st));
	memset(&o, 0, sizeof(o));
	memset(&v, 0, sizeof(v));
	for (int round = 0; round < 2; round++)
		for (int i = 0; i < 60; i++) {
			snprintf(names[i], sizeof(names[i]), "test.code%d", i);
			v.code = names[i];
			v.ok = i % 2;
			report_count(&st, &v);
		}
	assert_int_equal(st.ncodes, 60);
	assert_int_equal(st.connections, 120);
	assert_int_equal(st.ok, 60);
	for (int i = 0; i < 60; i++) {
		assert_string_equal(st.codes[i].code, names[i]);
		assert_int_equal(st.codes[i].count, 2);
	}
	FILE *f = open_memstream(&text, &len);
	assert_non_null(f);
	report_summary(f, &o, &st);
	fclose(f);
	assert_non_null(strstr(text, "120 connections: 60 ok, 60 failed"));
	assert_non_null(strstr(text, "test.code59"));
	free(text);

	/* the JSON summary's by_code holds all of them too */
	o.json = 1;
	f = open_memstream(&text, &len);
	report_summary(f, &o, &st);
	fclose(f);
	assert_non_null(strstr(text, "\"test.code0\":2,"));
	assert_non_null(strstr(text, "\"test.code59\":2}"));
	free(text);
	report_stats_free(&st);
	assert_null(st.codes);
}

/* A sink that records the order things reach it. */
struct probe {
	struct sink s;
	char log[64];
};

static void probe_conn(struct sink *s, const struct conn_view *cv, const struct verdict *v, struct report_evidence *ev)
{
	(void)v;
	(void)ev;
	struct probe *p = (struct probe *)s;
	size_t n = strlen(p->log);
	snprintf(p->log + n, sizeof(p->log) - n, "c%llu ", (unsigned long long)cv->id);
}

static void probe_packet(struct sink *s, uint64_t frame, char *line, size_t len)
{
	(void)line;
	(void)len;
	struct probe *p = (struct probe *)s;
	size_t n = strlen(p->log);
	snprintf(p->log + n, sizeof(p->log) - n, "p%llu ", (unsigned long long)frame);
}

static void probe_finish(struct sink *s, const struct report_stats *st)
{
	struct probe *p = (struct probe *)s;
	size_t n = strlen(p->log);
	snprintf(p->log + n, sizeof(p->log) - n, "end%llu", (unsigned long long)st->packets);
}

static void probe_free(struct sink *s)
{
	(void)s;
}

/* Each sink of the list gets each thing, in order; a sink without an op is passed over. */
static void test_sink_list(void **state)
{
	(void)state;
	static const struct sink_ops with_packets = { probe_packet, NULL, probe_finish, probe_free };
	static const struct sink_ops without = { NULL, probe_conn, probe_finish, probe_free };
	struct probe a = { { &with_packets, NULL }, "" }, b = { { &without, NULL }, "" };
	struct report_stats st;
	struct conn_view cv;
	struct verdict v;
	char line[8] = "x";

	memset(&st, 0, sizeof(st));
	memset(&cv, 0, sizeof(cv));
	memset(&v, 0, sizeof(v));
	st.packets = 2;
	cv.id = 7;
	a.s.next = &b.s;
	sink_packet(&a.s, 1, line, 1);
	sink_conn(&a.s, &cv, &v, NULL);
	sink_packet(&a.s, 2, line, 1);
	sink_finish(&a.s, &st);
	assert_string_equal(a.log, "p1 p2 end2");
	assert_string_equal(b.log, "c7 end2");
	sink_free_all(&a.s);
}

/* The view of a connection made by hand: its TCP facts copied, Zeek's columns and the names worked out. */
static void test_view_make(void **state)
{
	(void)state;
	struct conn *c = calloc(1, sizeof(*c));
	struct conn_view cv;

	assert_non_null(c);
	c->f.id = 9;
	c->f.addr[0][0] = 192, c->f.addr[0][3] = 1;
	c->f.addr[1][0] = 198, c->f.addr[1][3] = 2;
	c->f.port[0] = 40000, c->f.port[1] = 443;
	c->f.reported_because = FLOW_IDLE;
	c->ep[DIR_CLIENT].packets = 3;
	c->nsyn = 3, c->syn_seen = 1;
	c->syn_ts[0] = 1000000000, c->syn_ts[1] = 2000000000, c->syn_ts[2] = 4000000000;
	c->role_guess = ROLE_SYN;
	zeek_init(&c->zeek);
	memset(&cv, 0xa5, sizeof(cv));
	conn_view_make(c, &cv);
	assert_int_equal(cv.id, 9);
	assert_int_equal(cv.addr[1][3], 2);
	assert_int_equal(cv.port[1], 443);
	assert_int_equal(cv.ep[DIR_CLIENT].packets, 3);
	assert_int_equal(cv.tcp.nsyn, 3);
	assert_int_equal(cv.tcp.syn_ts[2], 4000000000);
	assert_string_equal(cv.tcp.handshake, "syn_sent");
	assert_null(cv.tcp.close);
	assert_string_equal(cv.tcp.roles, "syn");
	assert_string_equal(cv.tcp.reported_because, "idle");
	assert_string_equal(cv.tcp.conn_state, zeek_conn_state(&c->zeek));
	assert_int_equal(cv.tls.seen, 0);     /* no payload: no TLS state */
	assert_int_equal(cv.nissues, 0);
	free(c);
}

static void no_lines(void *arg, struct report_lines *out)
{
	(void)arg;
	out->n = 0;
	out->omitted = 0;
}

/* A report needs nothing but a view and a verdict: TLS lines, findings and counts from the view. */
static void test_report_from_view(void **state)
{
	(void)state;
	static struct conn_view cv;
	struct verdict v;
	struct report_opts o;
	struct report_stats st;
	struct report_evidence ev = { no_lines, NULL, 0, { 0 } };
	struct verdict_text w;
	struct tbuf b;

	memset(&v, 0, sizeof(v));
	memset(&o, 0, sizeof(o));
	memset(&st, 0, sizeof(st));
	v.code = "tcp.no_answer";
	v.layer = "tcp";
	v.kind = VK_TCP_NO_ANSWER;
	v.tcp.nsyn = 2;
	v.tcp.syn_seen = 1;
	v.tcp.syn_ts[0] = 1000000000, v.tcp.syn_ts[1] = 4000000000;
	cv.id = 3;
	cv.addr[0][0] = 192, cv.addr[0][3] = 1;
	cv.addr[1][0] = 198, cv.addr[1][3] = 2;
	cv.port[0] = 40000, cv.port[1] = 443;
	cv.tcp = (struct view_tcp){ .handshake = "syn_sent", .conn_state = "S0", .history = "S", .roles = "syn",
				    .reported_because = "idle", .nsyn = 2, .syn_seen = 1,
				    .syn_ts = { 1000000000, 4000000000 } };
	cv.tls.seen = 1;
	cv.tls.side[1].plain = 1;
	cv.tls.side[1].first_line = "HTTP/1.1 400";
	cv.tls.side[1].first_line_len = 12;
	cv.tls.side[0].stream.limits = VIEW_LIMIT_QUEUE | VIEW_LIMIT_SEGMENT_LOG;
	cv.nissues = 1;
	cv.issues[0] = (struct tls_issue){ .kind = TLS_ISSUE_NOT_KEPT, .dir = 0, .off = UINT64_MAX, .a = 80,
					   .b = VIEW_LIMIT_QUEUE };
	tb_init(&b, 1 << 20);
	verdict_words(&v, &w);
	report_conn(&b, &o, &cv, &v, &w, &ev);
	tb_chr(&b, '\0');
	assert_false(tb_failed(&b));
	assert_non_null(strstr(b.p, "[FAIL] 192.0.0.1:40000 -> 198.0.0.2:443  tcp.no_answer\n"));
	assert_non_null(strstr(b.p, "handshake syn_sent, SYN x2, SYN-ACK x0, close none\n"));
	assert_non_null(strstr(b.p, "zeek conn_state S0, history S\n"));
	assert_non_null(strstr(b.p, "server sent non-TLS bytes: \"HTTP/1.1 400\""));
	assert_non_null(strstr(b.p, "80 new bytes were not kept (too many"));
	tb_free(&b);

	o.json = 1;
	tb_init(&b, 1 << 20);
	verdict_words(&v, &w);
	report_conn(&b, &o, &cv, &v, &w, &ev);
	tb_chr(&b, '\0');
	assert_false(tb_failed(&b));
	assert_non_null(strstr(b.p, "\"syn_intervals_ms\":[3000.000]"));
	assert_non_null(strstr(b.p, "\"not_tls\":{\"from\":\"server\",\"first_line\":\"HTTP/1.1 400\"}"));
	assert_non_null(strstr(b.p, "\"limits\":[\"queue\",\"segment_log\"]"));
	assert_non_null(strstr(b.p, "\"findings\":[{\"kind\":\"stream_not_kept\""));
	assert_non_null(strstr(b.p, "\"reported_because\":\"idle\"}\n"));
	tb_free(&b);

	/* the counts: a connection with TLS findings */
	struct sink *k = sink_counts_new(&st);
	assert_non_null(k);
	sink_conn(k, &cv, &v, &ev);
	assert_int_equal(st.connections, 1);
	assert_int_equal(st.tls_findings, 1);
	sink_free_all(k);
	report_stats_free(&st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts_grow),
		cmocka_unit_test(test_sink_list),
		cmocka_unit_test(test_view_make),
		cmocka_unit_test(test_report_from_view),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
