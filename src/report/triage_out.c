/* triage_out.c: the triage table as text for people (80 columns) and as NDJSON group objects. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bounds.h"
#include "json.h"
#include "line.h"
#include "triage_int.h"

#define TT_WIDTH 78      /* as report_wrapped: no line past it (80 columns with room to spare) */
#define TT_INDENT 17     /* where a row's words start: after the two counts */
#define TT_MIN_SNI 16    /* an SNI cut to fewer columns than this goes to the next line instead */
#define NS_PER_S 1000000000ll
#define NS_PER_DAY (86400 * NS_PER_S)

/* Table order: failures first, then most connections, earliest, code, server, SNI. */
static int tri_cmp(const void *pa, const void *pb)
{
	const struct tri_group *a = *(const struct tri_group *const *)pa;
	const struct tri_group *b = *(const struct tri_group *const *)pb;
	int c;

	if (a->ok != b->ok)
		return a->ok ? 1 : -1;
	if (a->conns != b->conns)
		return a->conns > b->conns ? -1 : 1;
	if (a->first_ts != b->first_ts)
		return a->first_ts < b->first_ts ? -1 : 1;
	if ((c = strcmp(a->code, b->code)) != 0)
		return c;
	if (a->v6 != b->v6)
		return a->v6 - b->v6;
	if ((c = memcmp(a->addr, b->addr, sizeof(a->addr))) != 0)
		return c;
	if (a->port != b->port)
		return a->port < b->port ? -1 : 1;
	if ((c = memcmp(a->text, b->text, a->sni_len < b->sni_len ? a->sni_len : b->sni_len)) != 0)
		return c;
	return (int)a->sni_len - (int)b->sni_len;
}

struct tri_group **tri_sorted(const struct triage *t)
{
	struct tri_group **v = malloc((t->n ? t->n : 1) * sizeof(*v));

	if (v == NULL) {
		bounds_alloc_failed();
		return NULL;
	}
	if (t->n) {
		memcpy(v, t->dense, t->n * sizeof(*v));
		qsort(v, t->n, sizeof(*v), tri_cmp);
	}
	return v;
}

/* Text: words placed on lines of at most TT_WIDTH columns, continued at TT_INDENT. */

struct tt {
	struct tbuf *b;
	int col;           /* columns on the current line */
	int fresh;         /* nothing placed since the line's indent: no separator before the next word */
	int indent;        /* where a wrapped line goes on: TT_INDENT, or 2 in the header */
	int utf8;
	int days;          /* a time was on another day than the header's ("+Nd") */
};

static void tt_put(struct tt *x, const char *s, size_t n, int cols)
{
	tb_mem(x->b, s, n);
	x->col += cols;
}

static void tt_pad(struct tt *x, int to)
{
	while (x->col < to)
		tt_put(x, " ", 1, 1);
}

static void tt_nl(struct tt *x, int indent)
{
	tb_chr(x->b, '\n');
	x->col = 0;
	tt_pad(x, indent);
	x->fresh = 1;
}

/* A label right-aligned before the indent ("next"), the line's words to follow at TT_INDENT. */
static void tt_label(struct tt *x, const char *label)
{
	tt_nl(x, TT_INDENT - 2 - (int)strlen(label));
	tt_put(x, label, strlen(label), (int)strlen(label));
	tt_pad(x, TT_INDENT);
}

/* Room for a word of cols columns after sep spaces: on this line, or on the next one. */
static void tt_room(struct tt *x, int cols, int sep)
{
	if (!x->fresh && x->col + sep + cols > TT_WIDTH)
		tt_nl(x, x->indent);
	if (!x->fresh)
		for (int i = 0; i < sep; i++)
			tt_put(x, " ", 1, 1);
	x->fresh = 0;
}

/* A word of printable ASCII; one longer than a line is broken into pieces. */
static void tt_word(struct tt *x, const char *s, size_t n, int sep)
{
	const size_t line = (size_t)(TT_WIDTH - x->indent);

	while (n > line) {
		tt_room(x, (int)line, sep);
		tt_put(x, s, line, (int)line);
		s += line;
		n -= line;
	}
	tt_room(x, (int)n, sep);
	tt_put(x, s, n, (int)n);
}

/*
 * An escaped field (ln_escaped: a '\\' begins a 4-column \xNN) in at most
 * room columns: whole, or cut between escapes with an ellipsis.
 */
static void tt_cut(struct tt *x, const char *s, size_t n, size_t room)
{
	int ell = x->utf8 ? 1 : 3;
	size_t k = 0;

	if (n <= room) {
		tt_put(x, s, n, (int)n);
		return;
	}
	while (k < n) {
		size_t u = s[k] == '\\' ? 4 : 1;
		if (k + u + (size_t)ell > room)
			break;
		k += u;
	}
	tt_put(x, s, k, (int)k);
	tt_put(x, x->utf8 ? "\xe2\x80\xa6" : "...", 3, ell);
}

/*
 * A field of a row that may be long (the SNI): on the rest of the line, or
 * whole on a line of its own, or else cut, on this line when some room is
 * left on it.
 */
static void tt_field_cut(struct tt *x, const char *s, size_t n)
{
	const int line = TT_WIDTH - TT_INDENT;
	int room = TT_WIDTH - x->col - (x->fresh ? 0 : 2);

	if (room > 0 && ((size_t)room >= n || (n > (size_t)line && room >= TT_MIN_SNI))) {
		tt_room(x, 0, 2);
	} else {
		tt_nl(x, TT_INDENT);
		x->fresh = 0;
		room = line;
	}
	tt_cut(x, s, n, (size_t)room);
}

/* HH:MM:SS.ffffff (UTC), "+Nd" on another day than day0. */
static int tri_hms(char *o, size_t cap, int64_t ns, int64_t day0, int nano, int *days)
{
	int64_t sec = ns / NS_PER_S, frac = ns % NS_PER_S, day, tod;
	int n;

	if (frac < 0) {
		frac += NS_PER_S;
		sec--;
	}
	day = sec / 86400 - (sec % 86400 < 0);
	tod = sec - day * 86400;
	n = snprintf(o, cap, "%02d:%02d:%02d.%0*lld", (int)(tod / 3600), (int)(tod / 60 % 60),
		     (int)(tod % 60), nano ? 9 : 6, (long long)(nano ? frac : frac / 1000));
	if (day != day0 && n > 0 && (size_t)n < cap) {
		*days = 1;
		n += snprintf(o + n, cap - (size_t)n, "%+lldd", (long long)(day - day0));
	}
	return n > 0 && (size_t)n < cap ? n : 0;
}

/* The day (since the epoch) of the earliest time in the table: the header's date. */
static int64_t tri_day0(const struct triage *t)
{
	int64_t first = t->other.conns ? t->other.first_ts : INT64_MAX;

	for (size_t i = 0; i < t->n; i++)
		if (t->dense[i]->first_ts < first)
			first = t->dense[i]->first_ts;
	return first / NS_PER_DAY - (first % NS_PER_DAY < 0);
}

/* The two counts right-aligned in 7 columns each (pushed right when wider), a "*" between them
 * when marked, then the row's words from TT_INDENT. */
static void tt_counts(struct tt *x, uint64_t conns, int star, const char *clients)
{
	char a[32];
	int n = snprintf(a, sizeof(a), "%llu", (unsigned long long)conns);
	int w = (int)strlen(clients);

	tt_pad(x, 7 - n);
	tt_put(x, a, (size_t)n, n);
	tt_put(x, star ? "*" : " ", 1, 1);
	tt_pad(x, x->col + (w < 7 ? 7 - w : 1));
	tt_put(x, clients, (size_t)w, w);
	tt_pad(x, x->col + 2);
	x->fresh = 1;
}

/* Words of printable ASCII separated by spaces, wrapped. */
static void tt_words(struct tt *x, const char *s, size_t n)
{
	for (size_t i = 0, e; i < n; i = e + 1) {
		for (e = i; e < n && s[e] != ' '; e++)
			;
		if (e > i)
			tt_word(x, s + i, e - i, 1);
	}
}

/* First and last time, then the examples' ids, on the line under a row. */
static void tt_when(struct tt *x, int64_t first, int64_t last, int64_t day0, int nano,
		   const struct tri_group *g)
{
	char s[48];
	int n;

	tt_nl(x, TT_INDENT);
	n = tri_hms(s, sizeof(s), first, day0, nano, &x->days);
	tt_word(x, s, (size_t)n, 1);
	tt_word(x, "to", 2, 1);
	n = tri_hms(s, sizeof(s), last, day0, nano, &x->days);
	tt_word(x, s, (size_t)n, 1);
	if (g == NULL || g->shown == 0)
		return;
	tt_word(x, "examples", 8, 2);
	for (unsigned i = 0; i < g->shown && i < TRIAGE_IDS; i++) {
		n = snprintf(s, sizeof(s), "%llu", (unsigned long long)g->ids[i]);
		tt_word(x, s, (size_t)n, 1);
	}
	if (g->shown > TRIAGE_IDS) {
		n = snprintf(s, sizeof(s), "(+%u)", g->shown - TRIAGE_IDS);
		tt_word(x, s, (size_t)n, 1);
	}
}

/* The next step under its row, words wrapped as report_wrapped does; bytes outside ASCII as \xNN. */
static void tt_next(struct tt *x, const char *text)
{
	char esc[TRIAGE_NEXT_MAX * 4 + 1];
	size_t n = 0;

	for (const unsigned char *p = (const unsigned char *)text; *p && n + 4 < sizeof(esc); p++) {
		if (*p >= 0x20 && *p < 0x7f)
			esc[n++] = (char)*p;
		else
			n += (size_t)snprintf(esc + n, 5, "\\x%02x", *p);
	}
	tt_label(x, "next");
	tt_words(x, esc, n);
}

/* A group's row: counts, code, server, SNI; its times and examples; its next step. */
static void tt_group(struct tt *x, const struct tri_group *g, int64_t day0, int nano)
{
	char sbuf[TRIAGE_SNI_MAX * 4 + 64], cl[32];
	struct line l;
	int est;
	uint64_t clients = tri_clients(g, &est);

	snprintf(cl, sizeof(cl), "%s%llu", est ? "~" : "", (unsigned long long)clients);
	tt_counts(x, g->conns, !g->complete, cl);
	ln_init(&l, sbuf, sizeof(sbuf));
	ln_escaped(&l, (const uint8_t *)g->code, strlen(g->code));
	tt_field_cut(x, l.buf, l.len);
	ln_init(&l, sbuf, sizeof(sbuf));
	if (g->v6)
		ln_chr(&l, '[');
	ln_ip(&l, g->v6, g->addr);
	ln_str(&l, g->v6 ? "]:" : ":");
	ln_u32(&l, g->port);
	tt_word(x, l.buf, l.len, 2);
	ln_init(&l, sbuf, sizeof(sbuf));
	if (g->sni_len)
		ln_escaped(&l, tri_sni(g), g->sni_len);
	else
		ln_chr(&l, '-');
	tt_field_cut(x, l.buf, l.len);
	tt_when(x, g->first_ts, g->last_ts, day0, nano, g);
	if (tri_next(g) != NULL)
		tt_next(x, tri_next(g));
	tt_nl(x, 0);
}

/* "other": what was folded in to keep the table bounded. */
static void tt_other(struct tt *x, const struct triage *t, int64_t day0, int nano)
{
	const struct tri_other *o = &t->other;
	char s[160];
	int n;

	tt_counts(x, o->conns, 0, "-");
	n = snprintf(s, sizeof(s), "other: %llu group%s not kept (the table holds %zu), "
		     "%llu failed", (unsigned long long)o->groups, o->groups == 1 ? "" : "s", t->max,
		     (unsigned long long)o->failed);
	if (o->no_memory && n > 0 && (size_t)n < sizeof(s))
		n += snprintf(s + n, sizeof(s) - (size_t)n, ", %llu with no memory for their group",
			      (unsigned long long)o->no_memory);
	if (n > 0 && (size_t)n < sizeof(s))
		tt_words(x, s, (size_t)n);
	tt_when(x, o->first_ts, o->last_ts, day0, nano, NULL);
	tt_nl(x, 0);
}

static void tt_header(struct tt *x, const struct triage *t, const char *date)
{
	char s[160];
	int n = snprintf(s, sizeof(s), "triage: %llu connection%s in %zu group%s%s, failures first",
			 (unsigned long long)t->added, t->added == 1 ? "" : "s", t->n, t->n == 1 ? "" : "s",
			 t->other.conns ? " and other" : "");

	x->indent = 2;
	if (n > 0 && (size_t)n < sizeof(s))
		tt_words(x, s, (size_t)n);
	x->indent = TT_INDENT;
	tt_nl(x, 0);
	tb_lit(x->b, "times in UTC on ");
	tb_str(x->b, date);
	tb_lit(x->b, "\n  conns clients  code  server  sni\n");
}

/* The footnotes of the marks used. */
static void tt_notes(struct tt *x, int star, int tilde, const char *date)
{
	if (star)
		tb_lit(x->b, "  * may lack earlier connections, counted in \"other\" (the table was full)\n");
	if (tilde)
		tb_lit(x->b, "  ~ distinct clients estimated (too many to count exactly)\n");
	if (x->days) {
		tb_lit(x->b, "  +Nd: N days after ");
		tb_str(x->b, date);
		tb_chr(x->b, '\n');
	}
}

void triage_text(const struct triage *t, struct tbuf *b, int nano, int utf8)
{
	struct tt x = { b, 0, 1, TT_INDENT, utf8, 0 };
	struct tri_group **v;
	int64_t day0 = tri_day0(t);
	time_t secs = (time_t)(day0 * 86400);
	struct tm tm;
	char date[16] = "?";
	int star = 0, tilde = 0, est;

	if (t->added == 0) {
		tb_lit(b, "triage: no connections\n");
		return;
	}
	if (gmtime_r(&secs, &tm) != NULL)
		strftime(date, sizeof(date), "%Y-%m-%d", &tm);
	v = tri_sorted(t);
	tt_header(&x, t, date);
	for (size_t i = 0; i < t->n; i++) {
		const struct tri_group *g = v != NULL ? v[i] : t->dense[i];
		tt_group(&x, g, day0, nano);
		star |= !g->complete;
		tri_clients(g, &est);
		tilde |= est;
	}
	if (t->other.conns)
		tt_other(&x, t, day0, nano);
	tt_notes(&x, star, tilde, date);
	free(v);
}

/* JSON: one object per group, each kept whole or left out. */

static void tri_json_group(struct tbuf *b, const struct tri_group *g, int nano)
{
	int est, bad = 0;
	uint64_t clients = tri_clients(g, &est);

	jb_lit_cstr(b, "{\"type\":\"group\",\"code\":", g->code);
	if (g->ok)
		tb_lit(b, ",\"ok\":true");
	else
		tb_lit(b, ",\"ok\":false");
	jb_lit_ip(b, ",\"server\":{\"ip\":", g->v6, g->addr);
	tb_lit_u64(b, ",\"port\":", g->port);
	if (g->sni_len)
		jb_lit_untrusted(b, "},\"sni\":", (const char *)tri_sni(g), g->sni_len, &bad);
	else
		tb_lit(b, "},\"sni\":null");
	if (bad)
		tb_lit(b, ",\"sni_utf8\":false");
	tb_lit_u64(b, ",\"connections\":", g->conns);
	tb_lit_u64(b, ",\"clients\":", clients);
	if (est)
		tb_lit(b, ",\"clients_estimated\":true");
	else
		tb_lit(b, ",\"clients_estimated\":false");
	jb_lit_ts(b, ",\"first_ts\":", g->first_ts, nano);
	jb_lit_ts(b, ",\"last_ts\":", g->last_ts, nano);
	tb_lit(b, ",\"examples\":[");
	for (unsigned i = 0; i < g->shown && i < TRIAGE_IDS; i++) {
		if (i)
			tb_chr(b, ',');
		tb_u64(b, g->ids[i]);
	}
	tb_lit_u64(b, "],\"examples_shown\":", g->shown);
	if (g->complete)
		tb_lit(b, ",\"complete\":true");
	else
		tb_lit(b, ",\"complete\":false");
	jb_lit_cstr(b, ",\"next_step\":", tri_next(g));
	tb_lit(b, "}\n");
}

static void tri_json_other(struct tbuf *b, const struct tri_other *o, int nano)
{
	tb_lit_u64(b, "{\"type\":\"group\",\"other\":true,\"connections\":", o->conns);
	tb_lit_u64(b, ",\"groups\":", o->groups);
	tb_lit_u64(b, ",\"failed\":", o->failed);
	tb_lit_u64(b, ",\"no_memory\":", o->no_memory);
	jb_lit_ts(b, ",\"first_ts\":", o->first_ts, nano);
	jb_lit_ts(b, ",\"last_ts\":", o->last_ts, nano);
	tb_lit(b, "}\n");
}

/* Kept whole, or rolled back and counted as a report dropped. */
static void tri_json_end(struct tbuf *b, size_t mark)
{
	if (tb_failed(b)) {
		tb_rollback(b, mark);
		bounds.oom_reports++;
	}
}

void triage_json(const struct triage *t, struct tbuf *b, int nano)
{
	struct tri_group **v = tri_sorted(t);
	size_t mark;

	for (size_t i = 0; i < t->n; i++) {
		mark = tb_mark(b);
		tri_json_group(b, v != NULL ? v[i] : t->dense[i], nano);
		tri_json_end(b, mark);
	}
	if (t->other.conns) {
		mark = tb_mark(b);
		tri_json_other(b, &t->other, nano);
		tri_json_end(b, mark);
	}
	free(v);
}
