/* print_hex.c: the hex dumps tcpdump -nn adds on lines of their own after a message it cannot word. */
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

/*
 * tcpdump's hex_print() (ascii 0) or hex_and_ascii_print() (ascii 1) with
 * the indent "\n\t": the first len bytes of c, as many as were captured
 * (tcpdump cuts the length to them first: no " [|proto]"), 16 to a line. Only
 * `synack print` asks for them (PRINT_HEXDUMP): other lines stay one line.
 */
void print_hexdump(struct print_ctx *x, struct cursor c, uint32_t len, int ascii)
{
	size_t n = cur_len(&c) < len ? cur_len(&c) : len;
	const uint8_t *p = cur_data(&c);

	if (!(x->pr->flags & PRINT_HEXDUMP))
		return;
	for (size_t off = 0; off < n && !x->out->full; off += 16) {
		size_t k = n - off < 16 ? n - off : 16;
		if (ascii) {
			ascii_line(x->out, p + off, k, (uint32_t)off);
			continue;
		}
		ln_lit(x->out, "\n\t0x");
		hex4(x->out, (uint32_t)off);
		ln_lit(x->out, ": ");
		for (size_t i = 0; i < k; i += 2) {
			ln_chr(x->out, ' ');
			ln_hexbytes(x->out, p + off + i, k - i < 2 ? 1 : 2);
		}
	}
}
