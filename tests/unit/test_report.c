/* test_report.c: the counts per verdict code (no fixed number of codes) and the list of output sinks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "report.h"
#include "sink.h"

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
	static const struct sink_ops without = { NULL, NULL, probe_finish, probe_free };
	struct probe a = { { &with_packets, NULL }, "" }, b = { { &without, NULL }, "" };
	struct report_stats st;
	char line[8] = "x";

	memset(&st, 0, sizeof(st));
	st.packets = 2;
	a.s.next = &b.s;
	sink_packet(&a.s, 1, line, 1);
	sink_packet(&a.s, 2, line, 1);
	sink_finish(&a.s, &st);
	assert_string_equal(a.log, "p1 p2 end2");
	assert_string_equal(b.log, "end2");
	sink_free_all(&a.s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts_grow),
		cmocka_unit_test(test_sink_list),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
