/* test_keylog.c: the key log store (labels, hex, line ends, malformed lines, bounds, live refresh) and the DSB reader. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "dsb.h"
#include "keylog.h"

/* Test bytes: n bytes counting up from start. */
static void fill(uint8_t *b, size_t n, unsigned start)
{
	for (size_t i = 0; i < n; i++)
		b[i] = (uint8_t)(start + i);
}

static void hex(char *out, const uint8_t *b, size_t n, int upper)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, upper ? "%02X" : "%02x", b[i]);
	out[2 * n] = 0;
}

/* "LABEL random secret" with the random counting from rs and the secret (n bytes) from ss. */
static char *line(char *out, const char *label, unsigned rs, unsigned ss, size_t n, int upper)
{
	uint8_t r[32], s[4096];
	char rh[65], sh[8193];
	fill(r, 32, rs);
	fill(s, n, ss);
	hex(rh, r, 32, upper);
	hex(sh, s, n, upper);
	sprintf(out, "%s %s %s", label, rh, sh);
	return out;
}

static const struct keylog_entry *find(const struct keylog *kl, unsigned rs)
{
	uint8_t r[32];
	fill(r, 32, rs);
	return keylog_find(kl, r);
}

/* The entry holds n bytes counting from ss for label l. */
static void assert_secret(const struct keylog_entry *e, enum keylog_label l, unsigned ss, size_t n)
{
	uint8_t s[4096];
	assert_non_null(e);
	fill(s, n, ss);
	assert_int_equal(e->secret[l].len, n);
	assert_memory_equal(e->secret[l].p, s, n);
}

static void feeds(struct keylog *kl, const char *text)
{
	keylog_feed(kl, text, strlen(text));
}

static void test_every_label(void **state)
{
	static const size_t len[KEYLOG_LABELS] = { 48, 32, 32, 48, 32, 48, 32, 64, 70 };
	struct keylog *kl = keylog_new(NULL);
	char buf[9000];
	(void)state;

	for (int l = 0; l < KEYLOG_LABELS; l++) {
		line(buf, keylog_label_name((enum keylog_label)l), 7, 0x40 + (unsigned)l, len[l], l % 2);
		strcat(buf, "\n");
		feeds(kl, buf);
	}
	const struct keylog_entry *e = find(kl, 7);
	for (int l = 0; l < KEYLOG_LABELS; l++) {
		assert_secret(e, (enum keylog_label)l, 0x40 + (unsigned)l, len[l]);
		assert_int_equal(keylog_stats(kl)->by_label[l], 1);
	}
	assert_int_equal(keylog_stats(kl)->randoms, 1);
	assert_int_equal(keylog_stats(kl)->secrets, KEYLOG_LABELS);
	assert_int_equal(keylog_stats(kl)->malformed, 0);
	assert_null(find(kl, 8));
	keylog_close(kl);
}

/* Which lengths each label takes. */
static void test_lengths(void **state)
{
	static const struct { const char *label; size_t n; int ok; } cases[] = {
		{ "CLIENT_RANDOM", 48, 1 }, { "CLIENT_RANDOM", 32, 0 }, { "CLIENT_RANDOM", 49, 0 },
		{ "SERVER_HANDSHAKE_TRAFFIC_SECRET", 32, 1 }, { "SERVER_HANDSHAKE_TRAFFIC_SECRET", 48, 1 },
		{ "SERVER_HANDSHAKE_TRAFFIC_SECRET", 31, 0 }, { "SERVER_HANDSHAKE_TRAFFIC_SECRET", 64, 0 },
		{ "EXPORTER_SECRET", 33, 0 }, { "ECH_SECRET", 64, 1 }, { "ECH_SECRET", 16, 0 },
		{ "ECH_CONFIG", 1, 1 }, { "ECH_CONFIG", KEYLOG_ECH_CONFIG_MAX, 1 },
		{ "ECH_CONFIG", KEYLOG_ECH_CONFIG_MAX + 1, 0 }, { "CLIENT_TRAFFIC_SECRET_0", 0, 0 },
	};
	char buf[9000];
	(void)state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct keylog *kl = keylog_new(NULL);
		feeds(kl, line(buf, cases[i].label, 1, 2, cases[i].n, 0));
		assert_int_equal(keylog_stats(kl)->secrets, cases[i].ok);
		/* an empty secret is a missing field; the others a wrong length */
		assert_int_equal(keylog_stats(kl)->bad[cases[i].n ? KEYLOG_BAD_LENGTH : KEYLOG_BAD_FIELDS], !cases[i].ok);
		keylog_close(kl);
	}
}

/* Upper, lower and mixed hex name the same bytes. */
static void test_hex_case(void **state)
{
	struct keylog *kl = keylog_new(NULL);
	char buf[400];
	(void)state;

	line(buf, "CLIENT_RANDOM", 0xa0, 0xb0, 48, 1);
	for (char *p = buf + 20; *p; p += 3)       /* every third digit lower again */
		if (*p >= 'A' && *p <= 'F')
			*p = (char)(*p + 32);
	feeds(kl, buf);
	assert_secret(find(kl, 0xa0), KEYLOG_CLIENT_RANDOM, 0xb0, 48);
	feeds(kl, line(buf, "CLIENT_RANDOM", 0xa0, 0xb0, 48, 0));
	assert_int_equal(keylog_stats(kl)->repeated, 1);      /* the same, in lower case */
	keylog_close(kl);
}

/* LF, CRLF, CR, mixed, blanks around the fields, no line end at the end: the same three secrets. */
static void test_line_ends(void **state)
{
	static const char *const ends[][3] = {
		{ "\n", "\n", "\n" }, { "\r\n", "\r\n", "\r\n" }, { "\r", "\r", "\r" },
		{ "\r\n", "\r", "\n" }, { "\n", "\r", "" },
	};
	char a[400], b[400], c[400], text[1400];
	(void)state;

	line(a, "CLIENT_RANDOM", 1, 1, 48, 0);
	line(b, "CLIENT_HANDSHAKE_TRAFFIC_SECRET", 2, 2, 32, 0);
	line(c, "SERVER_HANDSHAKE_TRAFFIC_SECRET", 2, 3, 32, 0);
	for (size_t i = 0; i < sizeof(ends) / sizeof(ends[0]); i++) {
		struct keylog *kl = keylog_new(NULL);
		snprintf(text, sizeof(text), "%s%s  \t%s%s%s \t%s", a, ends[i][0], b, ends[i][1], c, ends[i][2]);
		feeds(kl, text);
		assert_int_equal(keylog_stats(kl)->lines, 3);
		assert_int_equal(keylog_stats(kl)->secrets, 3);
		assert_int_equal(keylog_stats(kl)->blank, 0);
		assert_int_equal(keylog_stats(kl)->malformed, 0);
		keylog_close(kl);
	}
}

static void test_comments_blank_unknown(void **state)
{
	struct keylog *kl = keylog_new(NULL);
	char a[400], text[1200];
	(void)state;

	line(a, "CLIENT_RANDOM", 1, 1, 48, 0);
	snprintf(text, sizeof(text),
		 "# SSL/TLS secrets log file, generated by NSS\n\n   \t\n  # indented comment \x01 anything\n"
		 "%s\nQUIC_SERVER_HANDSHAKE_TRAFFIC_SECRET x y\nSOMETHING_NEW not_hex at_all\n\n", a);
	feeds(kl, text);
	const struct keylog_stats *st = keylog_stats(kl);
	assert_int_equal(st->lines, 8);
	assert_int_equal(st->comments, 2);
	assert_int_equal(st->blank, 3);
	assert_int_equal(st->unknown_label, 2);
	assert_int_equal(st->secrets, 1);
	assert_int_equal(st->malformed, 0);
	assert_int_equal(st->first_bad_line, 0);
	keylog_close(kl);
}

/* Every kind of malformed line, counted by reason; the first one's line number kept. */
static void test_malformed(void **state)
{
	char good[400], text[16000], r64[65];
	uint8_t r[32];
	(void)state;

	fill(r, 32, 9);
	hex(r64, r, 32, 0);
	line(good, "CLIENT_RANDOM", 1, 1, 48, 0);
	struct { const char *text; enum keylog_bad why; } cases[] = {
		{ "CLIENT_RANDOM", KEYLOG_BAD_FIELDS },
		{ "CLIENT_RANDOM 00112233", KEYLOG_BAD_FIELDS },
		{ "CLIENT_RANDOM a b c", KEYLOG_BAD_FIELDS },
		{ "CLIENT_RANDOM 0011 22", KEYLOG_BAD_RANDOM },
		{ "CLIENT_RANDOM 0g0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f 00", KEYLOG_BAD_RANDOM },
		{ "CLIENT_RANDOM 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f0 00", KEYLOG_BAD_RANDOM },
		{ NULL, KEYLOG_BAD_HEX },          /* odd digits */
		{ NULL, KEYLOG_BAD_HEX },          /* not hex */
		{ NULL, KEYLOG_BAD_LENGTH },
		{ NULL, KEYLOG_BAD_TOO_LONG },
		{ NULL, KEYLOG_BAD_CONTROL },
	};
	char built[5][6000];
	sprintf(built[0], "CLIENT_RANDOM %s 001", r64);
	sprintf(built[1], "CLIENT_RANDOM %s 00zz", r64);
	sprintf(built[2], "CLIENT_RANDOM %s 0011", r64);
	memset(built[3], 'a', KEYLOG_LINE_MAX + 10);
	built[3][KEYLOG_LINE_MAX + 10] = 0;
	sprintf(built[4], "CLIENT_RANDOM %s 00\x01", r64);
	for (int i = 0; i < 5; i++)
		cases[6 + i].text = built[i];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct keylog *kl = keylog_new(NULL);
		snprintf(text, sizeof(text), "# header\n%s\n%s\n%s\n", good, cases[i].text, good);
		feeds(kl, text);
		const struct keylog_stats *st = keylog_stats(kl);
		assert_int_equal(st->malformed, 1);
		assert_int_equal(st->bad[cases[i].why], 1);
		assert_int_equal(st->first_bad_line, 3);
		assert_int_equal(st->first_bad_reason, cases[i].why);
		assert_int_equal(st->first_bad_source, KEYLOG_SRC_MEMORY);
		assert_int_equal(st->lines, 4);
		assert_int_equal(st->repeated, 1);
		assert_non_null(keylog_bad_name(cases[i].why));
		keylog_close(kl);
	}
	/* a NUL inside a line is a control byte, not an end */
	struct keylog *kl = keylog_new(NULL);
	keylog_feed(kl, "CLIENT_RANDOM \0 x\nx\n", 20);
	assert_int_equal(keylog_stats(kl)->bad[KEYLOG_BAD_CONTROL], 1);
	assert_int_equal(keylog_stats(kl)->bad[KEYLOG_BAD_FIELDS], 1);
	assert_int_equal(keylog_stats(kl)->first_bad_line, 1);
	keylog_close(kl);
}

/* The same line again is not a second value; another value for a random and label is a conflict. */
static void test_repeat_conflict(void **state)
{
	struct keylog *kl = keylog_new(NULL);
	char a[400];
	(void)state;

	feeds(kl, line(a, "SERVER_TRAFFIC_SECRET_0", 5, 0x10, 32, 0));
	feeds(kl, line(a, "SERVER_TRAFFIC_SECRET_0", 5, 0x10, 32, 1));
	feeds(kl, line(a, "SERVER_TRAFFIC_SECRET_0", 5, 0x11, 32, 0));    /* other bytes */
	feeds(kl, line(a, "SERVER_TRAFFIC_SECRET_0", 5, 0x10, 48, 0));    /* other length */
	feeds(kl, line(a, "CLIENT_TRAFFIC_SECRET_0", 5, 0x11, 32, 0));    /* another label: fine */
	const struct keylog_stats *st = keylog_stats(kl);
	assert_int_equal(st->repeated, 1);
	assert_int_equal(st->conflicts, 2);
	assert_int_equal(st->secrets, 2);
	assert_int_equal(st->randoms, 1);
	assert_secret(find(kl, 5), KEYLOG_SERVER_TRAFFIC_SECRET_0, 0x10, 32);
	assert_secret(find(kl, 5), KEYLOG_CLIENT_TRAFFIC_SECRET_0, 0x11, 32);
	keylog_close(kl);
}

/* max_randoms: new randoms dropped and counted, a known random still learns labels. */
static void test_bound_randoms(void **state)
{
	struct keylog_limits lim = { .max_randoms = 3 };
	struct keylog *kl = keylog_new(&lim);
	char a[400];
	(void)state;

	for (unsigned i = 0; i < 5; i++)
		feeds(kl, line(a, "CLIENT_HANDSHAKE_TRAFFIC_SECRET", i, i, 32, 0));
	feeds(kl, line(a, "SERVER_HANDSHAKE_TRAFFIC_SECRET", 1, 9, 32, 0));
	const struct keylog_stats *st = keylog_stats(kl);
	assert_int_equal(st->randoms, 3);
	assert_int_equal(st->dropped_randoms, 2);
	assert_int_equal(st->secrets, 4);
	assert_non_null(find(kl, 2));
	assert_null(find(kl, 3));
	assert_null(find(kl, 4));
	assert_secret(find(kl, 1), KEYLOG_SERVER_HANDSHAKE_TRAFFIC_SECRET, 9, 32);
	keylog_close(kl);
}

/* max_bytes: values past the budget dropped and counted; what was stored stays found and right. */
static void test_bound_bytes(void **state)
{
	struct keylog_limits lim = { .max_bytes = 300 * 1024 };
	struct keylog *kl = keylog_new(&lim);
	char a[400];
	unsigned n = 3000, found = 0;
	(void)state;

	for (unsigned i = 0; i < n; i++) {
		uint8_t r[32];
		char rh[65], sh[97];
		fill(r, 32, 0);
		memcpy(r, &i, sizeof(i));
		hex(rh, r, 32, 0);
		fill(r, 32, i);
		hex(sh, r, 32, 0);
		hex(sh + 64, r, 16, 0);
		snprintf(a, sizeof(a), "CLIENT_RANDOM %s %s\n", rh, sh);
		feeds(kl, a);
	}
	const struct keylog_stats *st = keylog_stats(kl);
	assert_true(st->dropped_bytes > 0);
	assert_int_equal(st->secrets + st->dropped_bytes, n);
	assert_int_equal(st->randoms, st->secrets);
	for (unsigned i = 0; i < n; i++) {
		uint8_t r[32];
		fill(r, 32, 0);
		memcpy(r, &i, sizeof(i));
		const struct keylog_entry *e = keylog_find(kl, r);
		if (e != NULL) {
			uint8_t s[32];
			fill(s, 32, i);
			assert_memory_equal(e->secret[KEYLOG_CLIENT_RANDOM].p, s, 32);
			found++;
		}
	}
	assert_int_equal(found, st->secrets);
	/* nothing fits in a budget smaller than the store itself, and that is counted too */
	lim.max_bytes = 1;
	struct keylog *tiny = keylog_new(&lim);
	feeds(tiny, line(a, "CLIENT_RANDOM", 1, 1, 48, 0));
	assert_int_equal(keylog_stats(tiny)->dropped_bytes, 1);
	assert_int_equal(keylog_stats(tiny)->secrets, 0);
	keylog_close(tiny);
	keylog_close(kl);
}

/* A temporary file for the live tests. */
static char tmpdir[64];

static void path_in(char *out, const char *name)
{
	if (tmpdir[0] == 0) {
		strcpy(tmpdir, "/tmp/synack_keylog_XXXXXX");
		assert_non_null(mkdtemp(tmpdir));
	}
	sprintf(out, "%s/%s", tmpdir, name);
}

static void write_file(const char *path, const char *mode, const char *text)
{
	FILE *f = fopen(path, mode);
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
	fclose(f);
}

/* Live: a last line without its end is held until it is completed, even one that would parse cut. */
static void test_refresh_partial(void **state)
{
	char path[128], a[400], b[400], err[KEYLOG_ERR_LEN], part[900];
	struct keylog *kl;
	(void)state;

	path_in(path, "partial.keys");
	line(a, "CLIENT_RANDOM", 1, 1, 48, 0);
	line(b, "SERVER_TRAFFIC_SECRET_0", 2, 2, 48, 0);
	/* b cut after 32 of its 48 bytes: a valid TLS 1.3 line if read now */
	size_t cut = strlen(b) - 32;
	snprintf(part, sizeof(part), "%s\r\n%.*s", a, (int)cut, b);
	write_file(path, "w", part);
	kl = keylog_open(path, KEYLOG_LIVE, NULL, err);
	assert_non_null(kl);
	assert_int_equal(keylog_stats(kl)->secrets, 1);
	assert_null(find(kl, 2));
	assert_int_equal(keylog_refresh(kl, err), 1);           /* nothing new */
	assert_int_equal(keylog_stats(kl)->lines, 1);
	write_file(path, "a", b + cut);
	assert_int_equal(keylog_refresh(kl, err), 1);
	assert_null(find(kl, 2));                                /* still no line end */
	write_file(path, "a", "\n");
	assert_int_equal(keylog_refresh(kl, err), 1);
	assert_secret(find(kl, 2), KEYLOG_SERVER_TRAFFIC_SECRET_0, 2, 48);
	assert_int_equal(keylog_stats(kl)->lines, 2);
	/* a CR ending one read and the LF beginning the next are one line end */
	write_file(path, "a", "# c\r");
	assert_int_equal(keylog_refresh(kl, err), 1);
	write_file(path, "a", "\n# d\n");
	assert_int_equal(keylog_refresh(kl, err), 1);
	assert_int_equal(keylog_stats(kl)->lines, 4);
	assert_int_equal(keylog_stats(kl)->blank, 0);
	/* a last line never completed is read at the end */
	write_file(path, "a", line(a, "CLIENT_RANDOM", 3, 3, 48, 0));
	assert_int_equal(keylog_refresh(kl, err), 1);
	assert_null(find(kl, 3));
	keylog_finish(kl);
	assert_non_null(find(kl, 3));
	assert_int_equal(keylog_stats(kl)->malformed, 0);
	keylog_close(kl);

	/* not live: the last line is read at once */
	write_file(path, "w", part);
	kl = keylog_open(path, 0, NULL, err);
	assert_non_null(kl);
	assert_secret(find(kl, 2), KEYLOG_SERVER_TRAFFIC_SECRET_0, 2, 32);
	keylog_close(kl);
	unlink(path);
}

/* Live: a file truncated, or replaced by another, is read from its start; what was learned is kept. */
static void test_refresh_truncate_replace(void **state)
{
	char path[128], other[128], a[400], text[1200], err[KEYLOG_ERR_LEN];
	struct keylog *kl;
	(void)state;

	path_in(path, "live.keys");
	path_in(other, "new.keys");
	snprintf(text, sizeof(text), "%s\n", line(a, "CLIENT_RANDOM", 1, 1, 48, 0));
	strcat(text, line(a, "CLIENT_RANDOM", 2, 2, 48, 0));
	strcat(text, "\n");
	write_file(path, "w", text);
	kl = keylog_open(path, KEYLOG_LIVE, NULL, err);
	assert_non_null(kl);
	assert_int_equal(keylog_stats(kl)->secrets, 2);

	/* truncated, then a shorter text written: the new line is read, and its line number is 1 */
	snprintf(text, sizeof(text), "%s\nbad\n", line(a, "CLIENT_RANDOM", 3, 3, 48, 0));
	write_file(path, "w", text);
	assert_int_equal(keylog_refresh(kl, err), 1);
	assert_int_equal(keylog_stats(kl)->restarts, 1);
	assert_non_null(find(kl, 1));
	assert_non_null(find(kl, 3));
	assert_int_equal(keylog_stats(kl)->first_bad_line, 2);

	/* replaced by a longer file (another inode): read from its start, the old lines repeated */
	snprintf(text, sizeof(text), "%s\n", line(a, "CLIENT_RANDOM", 3, 3, 48, 0));
	for (unsigned i = 4; i < 8; i++) {
		strcat(text, line(a, "CLIENT_RANDOM", i, i, 48, 0));
		strcat(text, "\n");
	}
	write_file(other, "w", text);
	assert_int_equal(rename(other, path), 0);
	assert_int_equal(keylog_refresh(kl, err), 1);
	assert_int_equal(keylog_stats(kl)->restarts, 2);
	assert_int_equal(keylog_stats(kl)->repeated, 1);
	for (unsigned i = 1; i < 8; i++)
		assert_non_null(find(kl, i));

	/* removed: an error for now, the store unchanged; back again: read */
	unlink(path);
	assert_int_equal(keylog_refresh(kl, err), 0);
	assert_non_null(strstr(err, "live.keys: No such file or directory"));
	assert_non_null(find(kl, 7));
	write_file(path, "w", text);
	assert_int_equal(keylog_refresh(kl, err), 1);
	keylog_close(kl);
	unlink(path);
}

static void test_open_errors(void **state)
{
	char err[KEYLOG_ERR_LEN];
	(void)state;

	assert_null(keylog_open("/nonexistent/keys.txt", 0, NULL, err));
	assert_string_equal(err, "/nonexistent/keys.txt: No such file or directory");
	assert_null(keylog_open("/", 0, NULL, err));
	assert_string_equal(err, "/: is a directory");
	struct keylog *kl = keylog_new(NULL);
	assert_int_equal(keylog_refresh(kl, err), 0);
	keylog_close(kl);
	keylog_close(NULL);
}

/* ---- pcapng Decryption Secrets Blocks ---- */

static uint8_t *read_all(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	uint8_t *b;
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	*n = (size_t)ftell(f);
	fseek(f, 0, SEEK_SET);
	b = malloc(*n);
	assert_non_null(b);
	assert_int_equal(fread(b, 1, *n, f), *n);
	fclose(f);
	return b;
}

/* What tests/keys/make.sh put in: every label, for two randoms (counting from 0x00 and 0x80). */
static void assert_synthetic(const struct keylog *kl)
{
	const struct keylog_stats *st = keylog_stats(kl);
	assert_int_equal(st->dsb_blocks, 1);
	assert_int_equal(st->secrets, 9);
	assert_int_equal(st->comments, 1);
	assert_int_equal(st->malformed, 0);
	assert_secret(find(kl, 0x00), KEYLOG_CLIENT_RANDOM, 0x10, 48);
	assert_secret(find(kl, 0x80), KEYLOG_SERVER_HANDSHAKE_TRAFFIC_SECRET, 0x40, 32);
	assert_secret(find(kl, 0x80), KEYLOG_CLIENT_TRAFFIC_SECRET_0, 0x50, 48);
	assert_secret(find(kl, 0x80), KEYLOG_ECH_CONFIG, 0xa0, 70);
}

static void test_dsb_editcap(void **state)
{
	char err[KEYLOG_ERR_LEN] = "";
	struct keylog *kl = keylog_new(NULL);
	(void)state;

	assert_int_equal(dsb_load(kl, SYNACK_TEST_KEYS "/nano_dsb.pcapng", err), DSB_OK);
	assert_synthetic(kl);
	/* the same text from the key log file: repeated, nothing new */
	size_t n;
	uint8_t *text = read_all(SYNACK_TEST_KEYS "/synthetic.keys", &n);
	keylog_feed(kl, (const char *)text, n);
	free(text);
	assert_int_equal(keylog_stats(kl)->repeated, 9);
	assert_int_equal(keylog_stats(kl)->secrets, 9);
	keylog_close(kl);

	kl = keylog_new(NULL);
	assert_int_equal(dsb_load(kl, SYNACK_TEST_KEYS "/../captures/nano.pcapng", err), DSB_OK);
	assert_int_equal(dsb_load(kl, SYNACK_TEST_KEYS "/../captures/nano_pcap.pcap", err), DSB_NONE);
	assert_int_equal(dsb_load(kl, SYNACK_TEST_KEYS "/synthetic.keys", err), DSB_NONE);
	assert_int_equal(dsb_load(kl, "-", err), DSB_NONE);
	assert_int_equal(dsb_load(kl, "/dev/null", err), DSB_NONE);
	assert_int_equal(keylog_stats(kl)->dsb_blocks, 0);
	assert_int_equal(dsb_load(kl, "/nonexistent.pcapng", err), DSB_ERROR);
	assert_string_equal(err, "/nonexistent.pcapng: No such file or directory");
	assert_string_equal(dsb_result_name(DSB_NONE), "not pcapng");
	keylog_close(kl);
}

/* The editcap file cut at every length: never invalid; ok exactly at block ends; the secrets once whole. */
static void test_dsb_every_cut(void **state)
{
	size_t n, ends[64], nends = 0;
	uint8_t *b = read_all(SYNACK_TEST_KEYS "/nano_dsb.pcapng", &n);
	(void)state;

	/* the block ends (the file is little-endian) */
	for (size_t at = 0; at + 8 <= n && nends < 64;) {
		uint32_t len = (uint32_t)b[at + 4] | (uint32_t)b[at + 5] << 8 | (uint32_t)b[at + 6] << 16 | (uint32_t)b[at + 7] << 24;
		at += len;
		ends[nends++] = at;
	}
	assert_int_equal(ends[nends - 1], n);
	/* the DSB is the second block: its text ends 16 bytes after the block start plus the secrets length */
	size_t text_end = ends[0] + 16 + ((size_t)b[ends[0] + 12] | (size_t)b[ends[0] + 13] << 8);
	for (size_t cut = 0; cut <= n; cut++) {
		uint8_t *copy = malloc(cut ? cut : 1);       /* exact size: ASan sees a read past it */
		struct keylog *kl = keylog_new(NULL);
		int at_end = 0;
		memcpy(copy, b, cut);
		for (size_t i = 0; i < nends; i++)
			at_end |= ends[i] == cut;
		enum dsb_result r = dsb_load_mem(kl, copy, cut);
		if (cut < 8)
			assert_int_equal(r, DSB_NONE);
		else
			assert_int_equal(r, at_end ? DSB_OK : DSB_TRUNCATED);
		assert_int_equal(keylog_stats(kl)->secrets, cut >= text_end ? 9 : 0);
		keylog_close(kl);
		free(copy);
	}
	free(b);
}

/* Every byte flipped in turn: any result but a crash, and never more than the secrets there are. */
static void test_dsb_flip(void **state)
{
	size_t n;
	uint8_t *b = read_all(SYNACK_TEST_KEYS "/nano_dsb.pcapng", &n);
	(void)state;

	for (size_t i = 0; i < n; i++) {
		struct keylog *kl = keylog_new(NULL);
		b[i] ^= 0xff;
		enum dsb_result r = dsb_load_mem(kl, b, n);
		assert_true(r != DSB_ERROR);
		assert_true(keylog_stats(kl)->secrets <= 9);
		b[i] ^= 0xff;
		keylog_close(kl);
	}
	free(b);
}

/* A pcapng writer for built tests. */
struct ng {
	uint8_t b[4096];
	size_t n;
	int le;
};

static void put32(struct ng *g, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		g->b[g->n++] = (uint8_t)(g->le ? v >> (8 * i) : v >> (24 - 8 * i));
}

static void shb(struct ng *g, int le)
{
	g->le = le;
	put32(g, 0x0A0D0D0A);
	put32(g, 28);
	put32(g, 0x1A2B3C4D);
	put32(g, le ? 1 : 0x00010000);           /* version 1.0 */
	put32(g, 0xffffffff);
	put32(g, 0xffffffff);
	put32(g, 28);
}

/* A DSB of secrets type t holding text (padded to 4). */
static void dsb(struct ng *g, uint32_t t, const char *text)
{
	size_t tl = strlen(text), pad = (4 - tl % 4) % 4;
	uint32_t len = (uint32_t)(20 + tl + pad);
	put32(g, 0x0000000A);
	put32(g, len);
	put32(g, t);
	put32(g, (uint32_t)tl);
	memcpy(g->b + g->n, text, tl);
	memset(g->b + g->n + tl, 0, pad);
	g->n += tl + pad;
	put32(g, len);
}

/* Some other block (an Interface Description Block) with body bytes to skip. */
static void other(struct ng *g, uint32_t body)
{
	put32(g, 1);
	put32(g, 12 + body);
	memset(g->b + g->n, 0x5a, body);
	g->n += body;
	put32(g, 12 + body);
}

static enum dsb_result load(const struct ng *g, struct keylog **out, size_t max_dsb)
{
	struct keylog_limits lim = { .max_dsb_bytes = max_dsb };
	*out = keylog_new(&lim);
	return dsb_load_mem(*out, g->b, g->n);
}

static void test_dsb_built(void **state)
{
	char a[400], c[400];
	struct ng g = { .n = 0 };
	struct keylog *kl;
	(void)state;

	/* a big-endian section then a little-endian one, each with a TLSK block; an SSH block skipped */
	line(a, "CLIENT_RANDOM", 1, 1, 48, 0);
	line(c, "CLIENT_RANDOM", 2, 2, 48, 0);
	shb(&g, 0);
	other(&g, 8);
	dsb(&g, 0x544c534b, a);
	dsb(&g, 0x5353484b, "SSH keys");
	shb(&g, 1);
	dsb(&g, 0x544c534b, c);
	other(&g, 0);
	assert_int_equal(load(&g, &kl, 0), DSB_OK);
	assert_non_null(find(kl, 1));
	assert_non_null(find(kl, 2));
	assert_int_equal(keylog_stats(kl)->dsb_blocks, 2);
	assert_int_equal(keylog_stats(kl)->dsb_other, 1);
	keylog_close(kl);

	/* the budget: the second block does not fit in what is left, and is skipped whole */
	assert_int_equal(load(&g, &kl, strlen(a) + 10), DSB_OK);
	assert_non_null(find(kl, 1));
	assert_null(find(kl, 2));
	assert_int_equal(keylog_stats(kl)->dsb_over_budget, 1);
	keylog_close(kl);

	/* a line number in a DSB names its block */
	g.n = 0;
	shb(&g, 1);
	dsb(&g, 0x544c534b, a);
	dsb(&g, 0x544c534b, "# x\nnot_enough fields\n");
	assert_int_equal(load(&g, &kl, 0), DSB_OK);
	assert_int_equal(keylog_stats(kl)->first_bad_source, KEYLOG_SRC_DSB);
	assert_int_equal(keylog_stats(kl)->first_bad_dsb, 2);
	assert_int_equal(keylog_stats(kl)->first_bad_line, 2);
	keylog_close(kl);

}

/* Bad lengths, in both byte orders; a bad byte-order mark; not pcapng at all. */
static void test_dsb_bad(void **state)
{
	char a[400];
	struct ng g = { .n = 0 };
	struct keylog *kl;
	(void)state;

	line(a, "CLIENT_RANDOM", 1, 1, 48, 0);
	/* bad lengths: not a multiple of 4, shorter than a block, a trailer that disagrees, secrets longer than the body */
	static const size_t at[] = { 28 + 4, 28 + 4, 28 + 20 + 48 + 4 + 68, 28 + 12 };
	static const uint8_t val[][4] = { { 0, 0, 0, 0x45 }, { 0, 0, 0, 8 }, { 0, 0, 0, 0x44 }, { 0, 0, 1, 0 } };
	for (int le = 0; le < 2; le++)
		for (size_t i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
			g.n = 0;
			shb(&g, le);
			dsb(&g, 0x544c534b, a);
			struct ng bad = g;
			assert_true(at[i] + 4 <= bad.n || i == 2);
			if (i == 2) {         /* the trailer of the DSB: the last 4 bytes */
				memcpy(bad.b + bad.n - 4, val[i], 4);
			} else {
				memcpy(bad.b + at[i], val[i], 4);
			}
			if (le)
				for (int k = 0; k < 2; k++) {     /* the values little-endian: reverse them */
					size_t p = i == 2 ? bad.n - 4 : at[i];
					uint8_t t = bad.b[p + k];
					bad.b[p + k] = bad.b[p + 3 - k];
					bad.b[p + 3 - k] = t;
				}
			assert_int_equal(load(&bad, &kl, 0), DSB_INVALID);
			keylog_close(kl);
		}

	/* a bad byte-order mark in a later section; not pcapng at all */
	g.n = 0;
	shb(&g, 0);
	shb(&g, 0);
	g.b[28 + 8] = 0x77;
	assert_int_equal(load(&g, &kl, 0), DSB_INVALID);
	keylog_close(kl);
	static const uint8_t classic[] = { 0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
	kl = keylog_new(NULL);
	assert_int_equal(dsb_load_mem(kl, classic, sizeof(classic)), DSB_NONE);
	assert_int_equal(dsb_load_mem(kl, NULL, 0), DSB_NONE);
	keylog_close(kl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_label),
		cmocka_unit_test(test_lengths),
		cmocka_unit_test(test_hex_case),
		cmocka_unit_test(test_line_ends),
		cmocka_unit_test(test_comments_blank_unknown),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_repeat_conflict),
		cmocka_unit_test(test_bound_randoms),
		cmocka_unit_test(test_bound_bytes),
		cmocka_unit_test(test_refresh_partial),
		cmocka_unit_test(test_refresh_truncate_replace),
		cmocka_unit_test(test_open_errors),
		cmocka_unit_test(test_dsb_editcap),
		cmocka_unit_test(test_dsb_every_cut),
		cmocka_unit_test(test_dsb_flip),
		cmocka_unit_test(test_dsb_built),
		cmocka_unit_test(test_dsb_bad),
	};
	int r = cmocka_run_group_tests(tests, NULL, NULL);
	if (tmpdir[0] != 0)
		rmdir(tmpdir);
	return r;
}
