/* test_triage.c: the triage table: grouping, examples, order, distinct clients, bounded memory and "other", its text and JSON. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "bounds.h"
#include "tbuf.h"
#include "triage.h"

/* Allocations from the table fail on demand (the test links with --wrap=malloc,calloc,realloc). */
void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);

static int fail_allocs;   /* while set, every allocation fails */

void *__wrap_malloc(size_t n) { return fail_allocs ? NULL : __real_malloc(n); }
void *__wrap_calloc(size_t n, size_t size) { return fail_allocs ? NULL : __real_calloc(n, size); }
void *__wrap_realloc(void *p, size_t n) { return fail_allocs ? NULL : __real_realloc(p, n); }

#define SEC 1000000000ll
#define T0 (1714557600ll * SEC)      /* 2024-05-01 10:00:00 UTC */

/* A connection and the bytes it points to (kept in place: c points into it). */
struct tc {
	struct triage_conn c;
	uint8_t server[16], client[16];
};

static void tc_set(struct tc *t, const char *code, int ok, int v6, uint32_t server, uint32_t client,
		   const char *sni, int64_t ts, uint64_t id)
{
	memset(t, 0, sizeof(*t));
	if (v6) {
		t->server[0] = 0x20, t->server[1] = 0x01, t->server[2] = 0x0d, t->server[3] = 0xb8;
		t->client[0] = 0xfd;
	}
	for (int i = 0; i < 4; i++) {
		t->server[(v6 ? 12 : 0) + i] = (uint8_t)(server >> (24 - 8 * i));
		t->client[(v6 ? 12 : 0) + i] = (uint8_t)(client >> (24 - 8 * i));
	}
	t->c.code = code;
	t->c.ok = ok;
	t->c.v6 = v6;
	t->c.server_addr = t->server;
	t->c.server_port = 443;
	t->c.client_addr = t->client;
	t->c.sni = (const uint8_t *)sni;
	t->c.sni_len = sni ? strlen(sni) : 0;
	t->c.first_ts = ts;
	t->c.last_ts = ts + SEC / 2;
	t->c.id = id;
	t->c.next_step = ok ? NULL : "Look at the server.";
}

/* Add one connection; what triage_add returned. */
static int add(struct triage *t, const char *code, int ok, int v6, uint32_t server, uint32_t client,
	       const char *sni, int64_t ts, uint64_t id)
{
	struct tc c;
	tc_set(&c, code, ok, v6, server, client, sni, ts, id);
	return triage_add(t, &c.c);
}

/* The JSON or the text of the table as a C string (free it). */
static char *render(const struct triage *t, int json, int utf8)
{
	struct tbuf b;
	char *s;

	tb_init(&b, 64u << 20);
	if (json)
		triage_json(t, &b, 0);
	else
		triage_text(t, &b, 0, utf8);
	assert_false(tb_failed(&b));
	s = malloc(tb_len(&b) + 1);
	assert_non_null(s);
	if (tb_len(&b))
		memcpy(s, b.p, tb_len(&b));
	s[tb_len(&b)] = '\0';
	tb_free(&b);
	return s;
}

static size_t count_of(const char *s, const char *what)
{
	size_t n = 0;
	for (const char *p = strstr(s, what); p != NULL; p = strstr(p + 1, what))
		n++;
	return n;
}

/* s contains want; else s is shown. */
static void assert_has(const char *s, const char *want)
{
	if (strstr(s, want) == NULL)
		fail_msg("no\n%s\nin\n%s", want, s);
}

/* The sum of "connections" over the JSON lines (groups and other). */
static uint64_t json_sum(const char *s)
{
	uint64_t sum = 0;
	for (const char *p = strstr(s, "\"connections\":"); p != NULL; p = strstr(p + 1, "\"connections\":"))
		sum += strtoull(p + strlen("\"connections\":"), NULL, 10);
	return sum;
}

/* Every line at most 80 columns (UTF-8 continuation bytes take none); no control byte but '\n'. */
static void assert_printable_80(const char *s)
{
	int col = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '\n') {
			col = 0;
			continue;
		}
		assert_true(*p >= 0x20 && *p != 0x7f);
		if ((*p & 0xc0) != 0x80)
			col++;
		if (col > 80)
			fail_msg("line over 80 columns in:\n%s", s);
	}
}

/* The three keys: code, server (address, port, family), SNI. */
static void test_grouping(void **state)
{
	(void)state;
	struct triage *t = triage_new(100, 3);
	struct triage_totals tot;
	const uint32_t srv = 0x0a000001;
	char *j;

	assert_non_null(t);
	add(t, "tls.alert", 0, 0, srv, 1, "a.example", T0, 1);
	add(t, "tls.alert", 0, 0, srv, 2, "a.example", T0, 2);        /* same group */
	add(t, "tls.alert", 0, 0, srv, 3, "b.example", T0, 3);        /* another SNI */
	add(t, "tls.alert", 0, 0, srv, 4, NULL, T0, 4);               /* no SNI */
	add(t, "tcp.refused", 0, 0, srv, 5, "a.example", T0, 5);      /* another code */
	add(t, "tls.alert", 0, 0, srv + 1, 6, "a.example", T0, 6);    /* another server */
	add(t, "tls.alert", 0, 1, srv, 7, "a.example", T0, 7);        /* IPv6, same last bytes */
	add(t, "tls.alert", 0, 1, srv, 8, "a.example", T0, 8);
	/* a code ok or not (a tcp.completed reported early is not): two groups */
	add(t, "tcp.completed", 1, 0, srv, 9, NULL, T0, 9);
	add(t, "tcp.completed", 0, 0, srv, 10, NULL, T0, 10);
	triage_totals(t, &tot);
	assert_int_equal(tot.connections, 10);
	assert_int_equal(tot.groups, 8);
	assert_int_equal(tot.other, 0);
	assert_int_equal(tot.evictions, 0);
	j = render(t, 1, 0);
	assert_int_equal(count_of(j, "{\"type\":\"group\""), 8);
	assert_has(j, "\"code\":\"tcp.completed\",\"ok\":true,");
	assert_has(j, "\"code\":\"tcp.completed\",\"ok\":false,");
	assert_has(j, "\"server\":{\"ip\":\"10.0.0.1\",\"port\":443},\"sni\":\"a.example\","
				  "\"connections\":2,\"clients\":2,");
	assert_has(j, "\"server\":{\"ip\":\"2001:db8::a00:1\",\"port\":443},\"sni\":\"a.example\","
				  "\"connections\":2,");
	assert_has(j, "\"sni\":null");
	assert_int_equal(json_sum(j), 10);
	assert_null(strstr(j, "\"other\""));
	free(j);
	triage_free(t);
}

/* The first N of each group are examples; TRIAGE_ALL: every one; at most 8 ids listed. */
static void test_examples(void **state)
{
	(void)state;
	struct triage *t = triage_new(10, 3);
	char *j;

	for (uint64_t i = 1; i <= 5; i++)
		assert_int_equal(add(t, "tcp.refused", 0, 0, 1, (uint32_t)i, NULL, T0, i), i <= 3);
	assert_int_equal(add(t, "tcp.refused", 0, 0, 2, 1, NULL, T0, 6), 1);   /* its own first */
	j = render(t, 1, 0);
	assert_has(j, "\"examples\":[1,2,3],\"examples_shown\":3,");
	assert_has(j, "\"examples\":[6],\"examples_shown\":1,");
	free(j);
	triage_free(t);

	t = triage_new(10, TRIAGE_ALL);
	for (uint64_t i = 1; i <= 20; i++)
		assert_int_equal(add(t, "tls.established", 1, 0, 1, 1, "x", T0, i), 1);
	j = render(t, 1, 0);
	assert_has(j, "\"examples\":[1,2,3,4,5,6,7,8],\"examples_shown\":20,");
	assert_has(j, "\"clients\":1,\"clients_estimated\":false,");
	assert_has(j, "\"next_step\":null");
	free(j);
	j = render(t, 0, 0);
	assert_has(j, "examples 1 2 3 4 5 6 7 8\n                 (+12)\n");
	free(j);
	triage_free(t);

	t = triage_new(10, 0);
	assert_int_equal(add(t, "tcp.refused", 0, 0, 1, 1, NULL, T0, 1), 0);
	j = render(t, 1, 0);
	assert_has(j, "\"examples\":[],\"examples_shown\":0,");
	assert_has(j, "\"next_step\":\"Look at the server.\"");
	free(j);
	triage_free(t);
}

/* Where the first occurrence of each of the strings is, in order. */
static void assert_in_order(const char *s, const char *const *what, size_t n)
{
	const char *prev = s;
	for (size_t i = 0; i < n; i++) {
		const char *p = strstr(s, what[i]);
		if (p == NULL || p < prev)
			fail_msg("%s not after %s in:\n%s", what[i], i ? what[i - 1] : "(start)", s);
		prev = p;
	}
}

/* Failures first, by count, then first time, then code; healthy after; other last. */
static void test_order(void **state)
{
	(void)state;
	struct triage *t = triage_new(5, 1);
	char *s;

	for (int i = 0; i < 50; i++)
		add(t, "tls.established", 1, 0, 100, (uint32_t)i, "ok.example", T0, 1000 + (uint64_t)i);
	for (int i = 0; i < 3; i++)
		add(t, "tcp.refused", 0, 0, 1, 1, "three", T0 + 5 * SEC, 100 + (uint64_t)i);
	add(t, "tcp.timeout", 0, 0, 2, 1, "one-late", T0 + 9 * SEC, 200);
	add(t, "tls.alert", 0, 0, 3, 1, "one-early", T0 + 1 * SEC, 201);
	add(t, "tcp.reset", 0, 0, 4, 1, "one-b", T0 + 2 * SEC, 202);
	add(t, "tcp.icmp", 0, 0, 5, 1, "one-a", T0 + 2 * SEC, 203);   /* evicts a one-off: other */
	s = render(t, 1, 0);
	static const char *const json_order[] = { "\"three\"", "\"one-early\"", "\"one-a\"", "\"one-b\"",
						   "\"ok.example\"", "\"other\":true" };
	assert_in_order(s, json_order, 6);
	assert_int_equal(count_of(s, "\"type\":\"group\""), 6);
	assert_has(s, "\"other\":true,\"connections\":1,\"groups\":1,\"failed\":1,\"no_memory\":0,");
	assert_int_equal(json_sum(s), 57);
	free(s);
	s = render(t, 0, 0);
	static const char *const text_order[] = { "three", "one-early", "one-a", "one-b", "ok.example",
						  "other: 1 group not kept" };
	assert_in_order(s, text_order, 6);
	assert_has(s, "triage: 57 connections in 5 groups and other, failures first\n"
				  "times in UTC on 2024-05-01\n  conns clients  code  server  sni\n"
				  "      3       1  tcp.refused  0.0.0.1:443  three\n"
				  "                 10:00:05.000000 to 10:00:05.500000  examples 100\n"
				  "           next  Look at the server.\n");
	assert_has(s, "     50      50  tls.established  0.0.0.100:443  ok.example\n"
				  "                 10:00:00.000000 to 10:00:00.500000  examples 1000\n      ");
	assert_printable_80(s);
	free(s);
	triage_free(t);
}

/* Exact up to 64 distinct clients (repeats not counted), estimated past that. */
static void test_clients(void **state)
{
	(void)state;
	struct triage *t = triage_new(4, 0);
	char *j;

	for (int round = 0; round < 3; round++)
		for (uint32_t c = 0; c < 64; c++)
			add(t, "tcp.refused", 0, 0, 1, 0x0a000000 + c, NULL, T0, 1);
	j = render(t, 1, 0);
	assert_has(j, "\"connections\":192,\"clients\":64,\"clients_estimated\":false");
	free(j);
	add(t, "tcp.refused", 0, 0, 1, 0x0b000000, NULL, T0, 1);
	j = render(t, 1, 0);
	assert_has(j, "\"clients_estimated\":true");
	free(j);
	j = render(t, 0, 0);
	assert_has(j, "    193     ~65  tcp.refused");
	assert_has(j, "~ distinct clients estimated");
	free(j);
	triage_free(t);
}

/* The clients of one group of the JSON (the first "clients":). */
static uint64_t json_clients(const struct triage *t)
{
	char *j = render(t, 1, 0), *p = strstr(j, "\"clients\":");
	uint64_t n;
	assert_non_null(p);
	n = strtoull(p + strlen("\"clients\":"), NULL, 10);
	free(j);
	return n;
}

/*
 * The estimate: 10,000 distinct clients within 5%; from 100 to 100,000, IPv4
 * and IPv6, within 10% (about three standard errors of 1,024 registers).
 */
static void test_clients_estimate(void **state)
{
	(void)state;
	static const uint32_t sizes[] = { 100, 1000, 10000, 100000 };

	for (int v6 = 0; v6 <= 1; v6++)
		for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
			struct triage *t = triage_new(4, 0);
			double tol = sizes[k] == 10000 ? 0.05 : 0.10;
			for (uint32_t c = 0; c < sizes[k]; c++)
				add(t, "tls.alert", 0, v6, 1, 0xc0a80000 + c, "s", T0, c);
			/* repeats change nothing */
			for (uint32_t c = 0; c < sizes[k]; c += 7)
				add(t, "tls.alert", 0, v6, 1, 0xc0a80000 + c, "s", T0, c);
			uint64_t est = json_clients(t);
			if (est < sizes[k] * (1 - tol) || est > sizes[k] * (1 + tol))
				fail_msg("%u clients (v6 %d) estimated %llu", sizes[k], v6,
					 (unsigned long long)est);
			triage_free(t);
		}
}

/* 100,000 distinct groups through a table of 64: never more held, totals add up, evictions counted. */
static void test_bounded(void **state)
{
	(void)state;
	struct triage *t = triage_new(64, 3);
	struct triage_totals tot;
	char *j;

	for (uint32_t i = 0; i < 100000; i++) {
		add(t, i % 3 ? "tcp.refused" : "tls.established", i % 3 != 0, i % 2, i, i, "s",
		    T0 + (int64_t)i * SEC, i);
		triage_totals(t, &tot);
		if (tot.groups > 64)
			fail_msg("%zu groups held after %u", tot.groups, i);
	}
	triage_totals(t, &tot);
	assert_int_equal(tot.connections, 100000);
	assert_int_equal(tot.groups, 64);
	assert_int_equal(tot.evictions, 100000 - 64);
	assert_int_equal(triage_evictions(t), 100000 - 64);
	assert_int_equal(tot.other, 100000 - 64);
	assert_int_equal(tot.no_memory, 0);
	j = render(t, 1, 0);
	assert_int_equal(json_sum(j), 100000);
	assert_int_equal(count_of(j, "\"type\":\"group\""), 65);
	assert_has(j, "{\"type\":\"group\",\"other\":true,\"connections\":99936,\"groups\":99936,");
	assert_has(j, "\"first_ts\":1714557600.000000,");   /* the first one, folded in */
	free(j);
	triage_free(t);
}

/* A group that comes late but big survives among many one-off groups, counted whole from its start. */
static void test_big_late_group(void **state)
{
	(void)state;
	struct triage *t = triage_new(64, 3);
	uint64_t big = 0;
	char *j, want[128];

	for (uint32_t i = 0; i < 100000; i++) {
		add(t, "tcp.timeout", 0, 0, 1000000 + i, i, NULL, T0 + i, i);
		if (i >= 50000 && i % 10 == 0) {
			add(t, "tls.alert", 0, 0, 7, i, "big.example", T0 + i, i);
			big++;
		}
	}
	j = render(t, 1, 0);
	snprintf(want, sizeof(want), "\"sni\":\"big.example\",\"connections\":%llu,", (unsigned long long)big);
	assert_has(j, want);
	/* and it leads the table */
	assert_true(strstr(j, want) < strstr(j, "\"tcp.timeout\""));
	assert_int_equal(json_sum(j), 100000 + big);
	free(j);
	triage_free(t);
}

/* A group made again after it was folded into "other" says it is not complete, in JSON and text. */
static void test_other_row(void **state)
{
	(void)state;
	struct triage *t = triage_new(2, 1);
	char *s;

	add(t, "tcp.refused", 0, 0, 1, 1, "a", T0, 1);
	add(t, "tcp.refused", 0, 0, 1, 2, "a", T0, 2);
	add(t, "tcp.refused", 0, 0, 2, 1, "b", T0 + SEC, 3);
	add(t, "tcp.refused", 0, 0, 3, 1, "c", T0 + 2 * SEC, 4);   /* b out */
	add(t, "tcp.refused", 0, 0, 2, 1, "b", T0 + 3 * SEC, 5);   /* c out, b again: incomplete */
	s = render(t, 1, 0);
	assert_has(s, "\"sni\":\"a\",\"connections\":2,");
	assert_has(s, "\"complete\":true");
	assert_has(s, "\"sni\":\"b\",\"connections\":1,");
	assert_has(s, "\"examples\":[5],\"examples_shown\":1,\"complete\":false");
	assert_has(s, "{\"type\":\"group\",\"other\":true,\"connections\":2,\"groups\":2,"
				  "\"failed\":2,\"no_memory\":0,\"first_ts\":1714557601.000000,"
				  "\"last_ts\":1714557602.500000}\n");
	assert_int_equal(json_sum(s), 5);
	free(s);
	s = render(t, 0, 0);
	assert_has(s, "      1*      1  tcp.refused  0.0.0.2:443  b\n");
	assert_has(s, "      2       -  other: 2 groups not kept (the table holds 2),"
				  " 2 failed\n                 10:00:01.000000 to 10:00:02.500000\n");
	assert_has(s, "  * may lack earlier connections");
	assert_printable_80(s);
	free(s);
	triage_free(t);
}

/* Long SNIs, the longest IPv6 server and code, a long next step: no line over 80 columns, either ellipsis. */
static void test_text_width(void **state)
{
	(void)state;
	static const char *const codes[] = { "tls.closed_after_client_hello", "x" };
	char sni[300], next[2000];
	struct triage *t = triage_new(64, 2);
	struct tc c;
	char *s;

	memset(sni, 'a', sizeof(sni));
	for (size_t i = 0; i < sizeof(sni); i += 7)
		sni[i] = (char)(i % 3 ? 0x1b : '.');      /* escapes: four columns each */
	for (size_t i = 0, k = 0; i + 1 < sizeof(next); i++, k++)
		next[i] = k % 9 == 8 ? ' ' : 'w';
	memset(next + 600, 'L', 300);                       /* one word longer than a line */
	next[sizeof(next) - 1] = '\0';
	for (int v6 = 0; v6 <= 1; v6++)
		for (size_t k = 0; k < 2; k++)
			for (size_t len = 0; len <= sizeof(sni); len += 13) {
				tc_set(&c, codes[k], 0, v6, 0xffffffff - (uint32_t)len, 1, NULL, T0, len);
				memset(c.server, 0xff, 12);
				c.c.server_port = 65535;
				c.c.sni = (const uint8_t *)sni;
				c.c.sni_len = len;
				c.c.next_step = next;
				c.c.id = UINT64_MAX - len;
				triage_add(t, &c.c);
			}
	for (int utf8 = 0; utf8 <= 1; utf8++) {
		s = render(t, 0, utf8);
		assert_printable_80(s);
		assert_has(s, "[ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff]:65535");
		assert_has(s, utf8 ? "\xe2\x80\xa6" : "...");
		free(s);
	}
	/* the next step kept: at most 512 bytes, cut at a word */
	s = render(t, 1, 0);
	assert_has(s, "wwwwwwww wwwwwwww...\"}");
	free(s);
	triage_free(t);
}

/* Hostile SNI bytes: \xNN in the text, valid escaped JSON with sni_utf8 false. */
static void test_hostile_sni(void **state)
{
	(void)state;
	static const char sni[] = "a\x1b[31m\"\\\n\xff\xe2\x80\xae.example";
	struct triage *t = triage_new(8, 1);
	struct tc c;
	char *s;

	tc_set(&c, "tls.alert", 0, 0, 1, 1, NULL, T0, 1);
	c.c.sni = (const uint8_t *)sni;
	c.c.sni_len = sizeof(sni) - 1;
	triage_add(t, &c.c);
	s = render(t, 0, 1);
	assert_has(s, "a\\x1b[31m\\x22\\x5c\\x0a\\xff\\xe2\\x80\\xae.example\n");
	assert_null(strchr(s, 0x1b));
	assert_printable_80(s);
	free(s);
	s = render(t, 1, 0);
	assert_has(s, "\"sni\":\"a\\u001b[31m\\\"\\\\\\u000a\xef\xbf\xbd\\u202e.example\","
				  "\"sni_utf8\":false,");
	free(s);
	triage_free(t);
}

/* Every line of the JSON parsed by python3's json module (skipped without python3). */
static void test_json_parses(void **state)
{
	(void)state;
	struct triage *t = triage_new(3, 2);
	char path[] = "/tmp/test_triage_XXXXXX", cmd[256], bad[] = { 'x', (char)0xc3, '\0' };
	char *s;
	FILE *f;
	int fd;

	if (system("command -v python3 >/dev/null 2>&1") != 0)
		skip();
	for (uint32_t i = 0; i < 20; i++)
		add(t, i % 2 ? "tcp.refused" : "tls.established", i % 2 == 0, (int)(i % 3 == 0), i % 5, i,
		    i % 4 ? bad : NULL, T0 - (int64_t)i * 86400 * SEC, i);
	s = render(t, 1, 0);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fputs(s, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "python3 -c 'import json,sys\nn = 0\nfor l in open(sys.argv[1]):\n"
		 "  o = json.loads(l); n += o[\"connections\"]\nsys.exit(n != 20)' %s", path);
	assert_int_equal(system(cmd), 0);
	remove(path);
	free(s);
	s = render(t, 0, 0);
	assert_has(s, "+19d");    /* times on other days than the header's */
	assert_printable_80(s);
	free(s);
	triage_free(t);
}

/* No memory for a group: the connection is counted in "other" (no_memory), never lost. */
static void test_no_memory(void **state)
{
	(void)state;
	struct triage *t = triage_new(8, 3);
	struct triage_totals tot;
	uint64_t failed = bounds.alloc_failed;
	char *s;

	assert_int_equal(add(t, "tcp.refused", 0, 0, 1, 1, NULL, T0, 1), 1);
	fail_allocs = 1;
	assert_int_equal(add(t, "tcp.refused", 0, 0, 2, 1, NULL, T0, 2), 0);      /* a new group: none */
	assert_int_equal(add(t, "tcp.refused", 0, 0, 1, 1, NULL, T0, 3), 1);      /* an old one: counted */
	for (uint32_t c = 2; c < 10; c++)                                         /* its clients: a lower bound */
		add(t, "tcp.refused", 0, 0, 1, c, NULL, T0, 3 + c);
	fail_allocs = 0;
	assert_true(bounds.alloc_failed > failed);
	triage_totals(t, &tot);
	assert_int_equal(tot.connections, 11);
	assert_int_equal(tot.other, 1);
	assert_int_equal(tot.no_memory, 1);
	add(t, "tcp.refused", 0, 0, 2, 1, NULL, T0, 20);      /* made now, after losing one: incomplete */
	s = render(t, 1, 0);
	assert_int_equal(json_sum(s), 12);
	assert_has(s, "\"connections\":10,\"clients\":4,\"clients_estimated\":true,");
	assert_has(s, "\"examples\":[20],\"examples_shown\":1,\"complete\":false");
	assert_has(s, "\"other\":true,\"connections\":1,\"groups\":0,\"failed\":1,\"no_memory\":1,");
	free(s);
	s = render(t, 0, 0);
	assert_has(s, "with no memory for their group");
	free(s);
	triage_free(t);
	fail_allocs = 1;
	assert_null(triage_new(8, 3));
	fail_allocs = 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grouping),
		cmocka_unit_test(test_examples),
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_clients),
		cmocka_unit_test(test_clients_estimate),
		cmocka_unit_test(test_bounded),
		cmocka_unit_test(test_big_late_group),
		cmocka_unit_test(test_other_row),
		cmocka_unit_test(test_text_width),
		cmocka_unit_test(test_hostile_sni),
		cmocka_unit_test(test_json_parses),
		cmocka_unit_test(test_no_memory),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
