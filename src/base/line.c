/* line.c: number and address formatters for struct line. */
#include "line.h"

static const char hexdig[] = "0123456789abcdef";

const char ln_digits2[200] =
	"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

void ln_mem_cut(struct line *l, const char *s, size_t n)
{
	if (n > l->cap - l->len) {
		n = l->cap - l->len;
		l->full = 1;
	}
	memcpy(l->buf + l->len, s, n);
	l->len += n;
}

/* Past 32 bits (rare): two digits per step, right to left. */
void ln_u64_wide(struct line *l, uint64_t v)
{
	char tmp[20];
	size_t n = 0;

	while (v >= 100) {
		const char *d = ln_digits2 + (v % 100) * 2;
		v /= 100;
		tmp[sizeof(tmp) - 1 - n++] = d[1];
		tmp[sizeof(tmp) - 1 - n++] = d[0];
	}
	if (v >= 10) {
		tmp[sizeof(tmp) - 1 - n++] = ln_digits2[v * 2 + 1];
		tmp[sizeof(tmp) - 1 - n++] = ln_digits2[v * 2];
	} else {
		tmp[sizeof(tmp) - 1 - n++] = (char)('0' + v);
	}
	ln_mem(l, tmp + sizeof(tmp) - n, n);
}

void ln_hex(struct line *l, uint64_t v)
{
	char tmp[16];
	size_t n = 0;
	do {
		tmp[sizeof(tmp) - 1 - n++] = hexdig[v & 15];
		v >>= 4;
	} while (v != 0);
	ln_mem(l, tmp + sizeof(tmp) - n, n);
}

void ln_hexbytes(struct line *l, const uint8_t *p, size_t n)
{
	if (n <= (l->cap - l->len) / 2) {
		char *dst = l->buf + l->len;
		for (size_t i = 0; i < n; i++) {
			dst[2 * i] = hexdig[p[i] >> 4];
			dst[2 * i + 1] = hexdig[p[i] & 15];
		}
		l->len += 2 * n;
		return;
	}
	for (size_t i = 0; i < n; i++) {
		ln_chr(l, hexdig[p[i] >> 4]);
		ln_chr(l, hexdig[p[i] & 15]);
	}
}

void ln_u32_width(struct line *l, uint32_t v, int width)
{
	/* As the old digit loop: no digits at all for 0 with width 0, at most ten. */
	unsigned d = v != 0 ? ln_ndigits32(v) : 0;
	unsigned n = width > (int)d ? (width > 10 ? 10u : (unsigned)width) : d;
	char tmp[LN_DIGITS_ROOM], *start;

	if (n == 0)
		return;
	start = ln_span(l, tmp, sizeof(tmp));
	ln_put_digits(start, v, n);
	ln_span_end(l, tmp, start, start + n);
}

void ln_str_pad(struct line *l, const char *s, int width)
{
	size_t n = strlen(s);
	ln_mem(l, s, n);
	for (; (int)n < width; n++)
		ln_chr(l, ' ');
}

/* Each entry: the text padded to four bytes, then its length with the dot. */
#define D10(p, pad) p "0." pad, p "1." pad, p "2." pad, p "3." pad, p "4." pad, \
	p "5." pad, p "6." pad, p "7." pad, p "8." pad, p "9." pad
#define ONE "\x00\x00\x02"
#define TWO "\x00\x03"
#define THREE "\x04"
const char ln_octets[256][5] = {
	D10("", ONE), D10("1", TWO), D10("2", TWO), D10("3", TWO), D10("4", TWO),
	D10("5", TWO), D10("6", TWO), D10("7", TWO), D10("8", TWO), D10("9", TWO),
	D10("10", THREE), D10("11", THREE), D10("12", THREE), D10("13", THREE),
	D10("14", THREE), D10("15", THREE), D10("16", THREE), D10("17", THREE),
	D10("18", THREE), D10("19", THREE), D10("20", THREE), D10("21", THREE),
	D10("22", THREE), D10("23", THREE), D10("24", THREE),
	"250." THREE, "251." THREE, "252." THREE, "253." THREE, "254." THREE, "255." THREE,
};
#undef ONE
#undef TWO
#undef THREE
#undef D10

void ln_ip4(struct line *l, const uint8_t *a)
{
	char tmp[LN_IP4_ROOM], *start = ln_span(l, tmp, sizeof(tmp));
	ln_span_end(l, tmp, start, ln_put_ip4(start, a));
}

/*
 * tcpdump's rendering (its own addrtostr6): the longest run of two or more
 * zero words (the first one on a tie) becomes "::", and ::a.b.c.d and
 * ::ffff:a.b.c.d keep a dotted IPv4 tail.
 */
void ln_ip6(struct line *l, const uint8_t *a)
{
	uint16_t w[8];
	int best = -1, bestlen = 0, cur = -1, curlen = 0;

	for (int i = 0; i < 8; i++)
		w[i] = (uint16_t)(a[2 * i] << 8 | a[2 * i + 1]);
	for (int i = 0; i < 8; i++) {
		if (w[i] == 0) {
			if (cur == -1) {
				cur = i;
				curlen = 1;
			} else {
				curlen++;
			}
		} else if (cur != -1) {
			if (best == -1 || curlen > bestlen) {
				best = cur;
				bestlen = curlen;
			}
			cur = -1;
		}
	}
	if (cur != -1 && (best == -1 || curlen > bestlen)) {
		best = cur;
		bestlen = curlen;
	}
	if (best != -1 && bestlen < 2)
		best = -1;
	for (int i = 0; i < 8; i++) {
		if (best != -1 && i >= best && i < best + bestlen) {
			if (i == best)
				ln_chr(l, ':');
			continue;
		}
		if (i != 0)
			ln_chr(l, ':');
		if (i == 6 && best == 0 && (bestlen == 6 || (bestlen == 5 && w[5] == 0xffff))) {
			ln_ip4(l, a + 12);
			return;
		}
		ln_hex(l, w[i]);
	}
	if (best != -1 && best + bestlen == 8)
		ln_chr(l, ':');
}

void ln_ip(struct line *l, int v6, const uint8_t *a)
{
	if (v6)
		ln_ip6(l, a);
	else
		ln_ip4(l, a);
}

void ln_escaped(struct line *l, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i] >= 0x20 && p[i] < 0x7f && p[i] != '\\' && p[i] != '"') {
			ln_chr(l, (char)p[i]);
		} else {
			ln_str(l, "\\x");
			ln_hexbytes(l, p + i, 1);
		}
	}
}
