/* line.c: number and address formatters for struct line. */
#include "line.h"

static const char hexdig[] = "0123456789abcdef";

const char ln_digits2[200] =
	"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

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
	for (size_t i = 0; i < n; i++) {
		ln_chr(l, hexdig[p[i] >> 4]);
		ln_chr(l, hexdig[p[i] & 15]);
	}
}

void ln_u32_width(struct line *l, uint32_t v, int width)
{
	char tmp[10];
	int n = 0;
	while (n < (int)sizeof(tmp) && (v != 0 || n < width)) {
		tmp[sizeof(tmp) - 1 - n++] = (char)('0' + v % 10);
		v /= 10;
	}
	ln_mem(l, tmp + sizeof(tmp) - n, (size_t)n);
}

void ln_str_pad(struct line *l, const char *s, int width)
{
	size_t n = strlen(s);
	ln_mem(l, s, n);
	for (; (int)n < width; n++)
		ln_chr(l, ' ');
}

/* "0." .. "255." for the dotted quad, filled on first use. */
static char octets[256][4];
static uint8_t octet_len[256];

static void octets_init(void)
{
	for (int v = 0; v < 256; v++) {
		int n = 0;
		if (v >= 100)
			octets[v][n++] = (char)('0' + v / 100);
		if (v >= 10)
			octets[v][n++] = (char)('0' + v / 10 % 10);
		octets[v][n++] = (char)('0' + v % 10);
		octets[v][n] = '.';
		octet_len[v] = (uint8_t)n;
	}
}

void ln_ip4(struct line *l, const uint8_t *a)
{
	if (octet_len[0] == 0)
		octets_init();
	ln_mem(l, octets[a[0]], octet_len[a[0]] + 1u);
	ln_mem(l, octets[a[1]], octet_len[a[1]] + 1u);
	ln_mem(l, octets[a[2]], octet_len[a[2]] + 1u);
	ln_mem(l, octets[a[3]], octet_len[a[3]]);
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
		if (p[i] >= 0x20 && p[i] < 0x7f && p[i] != '\\') {
			ln_chr(l, (char)p[i]);
		} else {
			ln_str(l, "\\x");
			ln_hexbytes(l, p + i, 1);
		}
	}
}
