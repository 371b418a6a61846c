/* print_hex.c: tcpdump's hex and ASCII dumps: after a message it cannot word, and -x, -X, -A's of the packet. */
#include "print.h"
#include "printer.h"

/* "%04x", wider when it must be. */
static void hex4(struct line *out, uint32_t v)
{
	uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	if (v > 0xffff)
		ln_hex(out, v);
	else
		ln_hexbytes(out, b, 2);
}

/* One line of hex_and_ascii_print(): the hex padded to 40 columns, then the bytes as text. */
static void ascii_line(struct line *out, const uint8_t *p, size_t n, uint32_t off)
{
	size_t col = 0;

	ln_lit(out, "\n\t0x");
	hex4(out, off);
	ln_lit(out, ": ");
	for (size_t i = 0; i < n; i++) {
		if (i % 2 == 0) {
			ln_chr(out, ' ');
			col++;
		}
		ln_hexbytes(out, p + i, 1);
		col += 2;
	}
	for (; col < 40; col++)
		ln_chr(out, ' ');
	ln_lit(out, "  ");
	for (size_t i = 0; i < n; i++)
		ln_chr(out, p[i] > 0x20 && p[i] < 0x7f ? (char)p[i] : '.');
}

/* hex_print() or hex_and_ascii_print() with the indent "\n\t": the first n bytes at p. */
static void dump_hex(struct line *out, const uint8_t *p, size_t n, int ascii)
{
	for (size_t off = 0; off < n && !out->full; off += 16) {
		size_t k = n - off < 16 ? n - off : 16;
		if (ascii) {
			ascii_line(out, p + off, k, (uint32_t)off);
			continue;
		}
		ln_lit(out, "\n\t0x");
		hex4(out, (uint32_t)off);
		ln_lit(out, ": ");
		for (size_t i = 0; i < k; i += 2) {
			ln_chr(out, ' ');
			ln_hexbytes(out, p + off + i, k - i < 2 ? 1 : 2);
		}
	}
}

/*
 * tcpdump's ascii_print() (-A): a newline, then the bytes, the unprintable
 * ones as '.' but tab, space and newline kept, and a CR dropped when a
 * newline or the last byte follows it.
 */
static void dump_ascii(struct line *out, const uint8_t *p, size_t n)
{
	ln_chr(out, '\n');
	for (size_t i = 0; i < n && !out->full; i++) {
		uint8_t b = p[i];
		if (b == '\r') {
			if (n - i - 1 > 1 && p[i + 1] != '\n')
				ln_chr(out, '.');
		} else if ((b > 0x20 && b < 0x7f) || b == '\t' || b == ' ' || b == '\n') {
			ln_chr(out, (char)b);
		} else {
			ln_chr(out, '.');
		}
	}
}

/*
 * tcpdump's hex_print() (ascii 0) or hex_and_ascii_print() (ascii 1) with
 * the indent "\n\t": the first len bytes of c, as many as were captured
 * (tcpdump cuts the length to them first: no " [|proto]"), 16 to a line. Only
 * `synack print` asks for them (PRINT_HEXDUMP): other lines stay one line.
 */
void print_hexdump(struct print_ctx *x, struct cursor c, uint32_t len, int ascii)
{
	size_t n = cur_len(&c) < len ? cur_len(&c) : len;

	if (!(x->pr->flags & PRINT_HEXDUMP))
		return;
	dump_hex(x->out, cur_data(&c), n, ascii);
}

/*
 * The link-layer header's length as tcpdump's link printer returns it: the
 * whole frame when the header was not all captured.
 */
static uint32_t link_len(const struct packet *p)
{
	if (p->link.status == DEC_TRUNCATED || p->link.hdr_len > p->caplen)
		return p->caplen;
	return p->link.hdr_len;
}

/*
 * The end of pretty_print_packet(): -X before -x before -A; from the link
 * layer on (-xx, -XX, -AA), else from the network layer on, and then nothing
 * when there are no bytes after the link header. A printer that ran out of
 * captured bytes longjmp()s out, and tcpdump 4.99 then dumps from the link
 * layer on (ndo_ll_hdr_len, 0 for our link types). A frame whose header
 * tcpdump calls invalid gets no dump.
 */
void print_dump(struct print_ctx *x)
{
	const struct packet *p = x->p;
	unsigned f = x->pr->flags;
	uint32_t from = f & PRINT_DUMP_LINK || x->jumped ? 0 : link_len(p);
	struct cursor c = cur_make(p->data, p->caplen);

	if (p->caplen == 0 || p->len == 0 || p->len < p->caplen || p->caplen > PRINT_MAX_SNAPLEN ||
	    p->len > PRINT_MAX_SNAPLEN)
		return;
	if (!cur_skip(&c, from) || cur_len(&c) == 0)
		return;
	if (f & (PRINT_DUMP_HEXASCII | PRINT_DUMP_HEX))
		dump_hex(x->out, cur_data(&c), cur_len(&c), (f & PRINT_DUMP_HEXASCII) != 0);
	else
		dump_ascii(x->out, cur_data(&c), cur_len(&c));
}
