/* keylog_line.c: NSS key log text split into lines (LF, CRLF, CR) and each line parsed and checked. */
#include <string.h>

#include <openssl/crypto.h>

#include "cursor.h"
#include "keylog_int.h"

void keylog_reader_reset(struct keylog_reader *rd, enum keylog_source src)
{
	OPENSSL_cleanse(rd->buf, rd->len);
	rd->len = 0;
	rd->overlong = 0;
	rd->after_cr = 0;
	rd->line_no = 0;
	rd->src = src;
}

static void bad(struct keylog *kl, const struct keylog_reader *rd, enum keylog_bad why)
{
	kl->st.bad[why]++;
	if (kl->st.malformed++ == 0) {
		kl->st.first_bad_line = rd->line_no;
		kl->st.first_bad_reason = why;
		kl->st.first_bad_source = rd->src;
		kl->st.first_bad_dsb = rd->src == KEYLOG_SRC_DSB ? rd->dsb_index : 0;
	}
}

static int blank(uint8_t c)
{
	return c == ' ' || c == '\t';
}

static int hexval(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* The next field: bytes up to a blank or the end; 0 when there is none (only blanks left). */
static int next_field(struct cursor *c, struct cursor *field)
{
	uint8_t b;
	size_t n = 0;

	while (cur_peek_u8(c, 0, &b) && blank(b))
		cur_skip(c, 1);
	while (cur_peek_u8(c, n, &b) && !blank(b))
		n++;
	return n != 0 && cur_get_bytes(c, field, n);
}

/* Hex digits into out (room for max bytes): the byte count, or -1 if not even hex or too long. */
static long unhex(struct cursor f, uint8_t *out, size_t max)
{
	size_t n = cur_len(&f) / 2;
	uint8_t hi, lo;

	if (cur_len(&f) % 2 != 0 || n > max)
		return -1;
	for (size_t i = 0; i < n; i++) {
		int h, l;
		if (!cur_get_u8(&f, &hi) || !cur_get_u8(&f, &lo) || (h = hexval(hi)) < 0 || (l = hexval(lo)) < 0)
			return -1;
		out[i] = (uint8_t)(h << 4 | l);
	}
	return (long)n;
}

static int label_of(struct cursor f, enum keylog_label *out)
{
	for (int l = 0; l < KEYLOG_LABELS; l++) {
		const char *name = keylog_label_name((enum keylog_label)l);
		if (cur_len(&f) == strlen(name) && memcmp(cur_data(&f), name, cur_len(&f)) == 0) {
			*out = (enum keylog_label)l;
			return 1;
		}
	}
	return 0;
}

/* The lengths a label's value may have. */
static int length_ok(enum keylog_label l, size_t n)
{
	switch (l) {
	case KEYLOG_CLIENT_RANDOM:
		return n == 48;
	case KEYLOG_ECH_SECRET:
		return n == 32 || n == 48 || n == 64;
	case KEYLOG_ECH_CONFIG:
		return n >= 1 && n <= KEYLOG_ECH_CONFIG_MAX;
	default:
		return n == 32 || n == 48;     /* the TLS 1.3 hash: SHA-256 or SHA-384 */
	}
}

static void parse_line(struct keylog *kl, const struct keylog_reader *rd, const uint8_t *p, size_t n)
{
	struct cursor c = cur_make(p, n), label, rnd, sec, extra;
	uint8_t random[KEYLOG_RANDOM_LEN], value[KEYLOG_ECH_CONFIG_MAX], b;
	enum keylog_label l;
	long vlen;

	kl->st.lines++;
	while (cur_peek_u8(&c, 0, &b) && blank(b))
		cur_skip(&c, 1);
	if (cur_len(&c) == 0) {
		kl->st.blank++;
		return;
	}
	if (b == '#') {
		kl->st.comments++;
		return;
	}
	for (size_t i = 0; i < cur_len(&c); i++)
		if ((cur_data(&c)[i] < 0x20 && cur_data(&c)[i] != '\t') || cur_data(&c)[i] == 0x7f) {
			bad(kl, rd, KEYLOG_BAD_CONTROL);
			return;
		}
	if (!next_field(&c, &label) || !next_field(&c, &rnd) || !next_field(&c, &sec) || next_field(&c, &extra)) {
		bad(kl, rd, KEYLOG_BAD_FIELDS);
		return;
	}
	if (!label_of(label, &l)) {
		kl->st.unknown_label++;
		return;
	}
	if (cur_len(&rnd) != 2 * KEYLOG_RANDOM_LEN || unhex(rnd, random, sizeof(random)) != KEYLOG_RANDOM_LEN) {
		bad(kl, rd, KEYLOG_BAD_RANDOM);
		return;
	}
	vlen = unhex(sec, value, sizeof(value));
	if (vlen < 0 && cur_len(&sec) % 2 == 0 && cur_len(&sec) / 2 > sizeof(value)) {
		bad(kl, rd, KEYLOG_BAD_LENGTH);       /* even, but longer than any value can be */
	} else if (vlen < 0) {
		bad(kl, rd, KEYLOG_BAD_HEX);
	} else if (!length_ok(l, (size_t)vlen)) {
		bad(kl, rd, KEYLOG_BAD_LENGTH);
	} else {
		keylog_store(kl, l, random, value, (size_t)vlen);
	}
	OPENSSL_cleanse(value, sizeof(value));
}

/* The line held in rd is complete: parse it and start the next. */
static void end_line(struct keylog *kl, struct keylog_reader *rd)
{
	rd->line_no++;
	if (rd->overlong) {
		kl->st.lines++;
		bad(kl, rd, KEYLOG_BAD_TOO_LONG);
	} else {
		parse_line(kl, rd, (const uint8_t *)rd->buf, rd->len);
	}
	OPENSSL_cleanse(rd->buf, rd->len);
	rd->len = 0;
	rd->overlong = 0;
}

void keylog_read_text(struct keylog *kl, struct keylog_reader *rd, const char *text, size_t len)
{
	const char *end = text + len;

	while (text < end) {
		const char *nl;
		size_t n;

		if (rd->after_cr && *text == '\n') {
			text++;
			rd->after_cr = 0;
			continue;
		}
		rd->after_cr = 0;
		/* up to the next CR or LF */
		for (nl = text; nl < end && *nl != '\n' && *nl != '\r'; nl++)
			;
		n = (size_t)(nl - text);
		if (!rd->overlong && n <= KEYLOG_LINE_MAX - rd->len) {
			memcpy(rd->buf + rd->len, text, n);
			rd->len += n;
		} else {
			rd->overlong = 1;
		}
		text = nl;
		if (text < end) {
			rd->after_cr = *text == '\r';
			text++;
			end_line(kl, rd);
		}
	}
}

void keylog_read_end(struct keylog *kl, struct keylog_reader *rd)
{
	if (rd->len != 0 || rd->overlong)
		end_line(kl, rd);
	rd->after_cr = 0;
}

void keylog_feed(struct keylog *kl, const char *text, size_t len)
{
	keylog_reader_reset(&kl->aux_rd, KEYLOG_SRC_MEMORY);
	keylog_read_text(kl, &kl->aux_rd, text, len);
	keylog_read_end(kl, &kl->aux_rd);
}
