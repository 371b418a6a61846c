/* print_link.c: link types the printer reads itself (PPP, PPP in HDLC framing, Cisco HDLC, IP over InfiniBand), as tcpdump 4.99 -nn [-e]. */
#include "print.h"

enum {
	LT_PPP = 9,
	LT_PPP_HDLC = 50,
	LT_C_HDLC = 104,
	LT_IPOIB = 242,
};

int print_link_supported(int linktype)
{
	switch (linktype) {
	case LINK_NULL: case LINK_LOOP: case LINK_ETHERNET: case LINK_RAW: case 14:
	case LINK_RAW_LT: case LINK_SLL: case LINK_SLL2: case LINK_IPV4: case LINK_IPV6:
	case LT_PPP: case LT_PPP_HDLC: case LT_C_HDLC: case LT_IPOIB:
		return 1;
	}
	return 0;
}

static void hex02(struct line *out, uint8_t b)
{
	ln_hexbytes(out, &b, 1);
}

/* A payload of a type that is not decoded: the header's words when -e did not print them, and a hex dump. */
static int undecoded(struct print_ctx *x, struct cursor c, void (*hdr)(struct print_ctx *, struct cursor, uint32_t),
		     struct cursor h, uint32_t length)
{
	if (!(x->flags & PRINT_LINK_HDR) && hdr != NULL)
		hdr(x, h, length);
	print_hexdump(x, c, (uint32_t)cur_len(&c), 1);
	return 1;
}

/* chdlc_print()'s -e words: "unicast, ethertype IPv4 (0x0800), length N: ". */
static void chdlc_hdr(struct print_ctx *x, struct cursor h, uint32_t length)
{
	uint8_t addr;
	uint16_t proto;
	const char *n;
	uint8_t b[2];

	print_at_u8(&h, 0, &addr);
	print_at_u16(&h, 2, &proto);
	if (addr == 0x0f) {
		ln_lit(x->out, "unicast");
	} else if (addr == 0x8f) {
		ln_lit(x->out, "bcast");
	} else {
		ln_lit(x->out, "0x");
		hex02(x->out, addr);
	}
	n = print_ethertype_name(proto);
	b[0] = (uint8_t)(proto >> 8);
	b[1] = (uint8_t)proto;
	ln_lit(x->out, ", ethertype ");
	ln_str(x->out, n != NULL ? n : "Unknown");
	ln_lit(x->out, " (0x");
	ln_hexbytes(x->out, b, 2);
	ln_lit(x->out, "), length ");
	ln_u32(x->out, length);
	ln_lit(x->out, ": ");
}

/* chdlc_print(): Cisco HDLC, a 4-byte header whose last two bytes are an ethertype. */
static int print_chdlc(struct print_ctx *x, struct cursor c, uint32_t length)
{
	struct cursor h = c;
	uint16_t proto;
	int r;

	x->proto = "chdlc";
	if (cur_len(&c) < 4 || length < 4)
		return 0;
	if (x->flags & PRINT_LINK_HDR)
		chdlc_hdr(x, h, length);
	print_at_u16(&c, 2, &proto);
	cur_skip(&c, 4);
	length -= 4;
	switch (proto) {
	case 0x0800: case 0x86dd: case 0x8847: case 0x8848:
		r = print_ethertype(x, proto, c, length);
		if (r >= 0)
			return r;
	}
	/* SLARP (0x8035) and OSI are not decoded here */
	ln_lit(x->out, "unknown CHDLC protocol (0x");
	{
		uint8_t b[2] = { (uint8_t)(proto >> 8), (uint8_t)proto };
		ln_hexbytes(x->out, b, 2);
	}
	ln_chr(x->out, ')');
	return 1;
}

/* ppp_hdlc_if_print(): PPP with HDLC framing (or Cisco HDLC, by the first byte). */
static int print_ppp_hdlc(struct print_ctx *x, struct cursor c, uint32_t length)
{
	uint8_t a, ctl;
	uint16_t proto;

	x->proto = "ppp_hdlc";
	if (!print_at_u8(&c, 0, &a) || !print_at_u8(&c, 1, &ctl))
		return 0;
	if (a == 0x0f || a == 0x8f)
		return print_chdlc(x, c, length);
	if (cur_len(&c) < 4)
		return 0;
	if (x->flags & PRINT_LINK_HDR) {
		hex02(x->out, a);
		ln_chr(x->out, ' ');
		hex02(x->out, ctl);
		ln_chr(x->out, ' ');
		ln_u32(x->out, length);
		ln_chr(x->out, ' ');
	}
	if (a != 0xff) {
		ln_lit(x->out, "unknown addr ");
		print_at_u8(&c, 2, &a);
		print_at_u8(&c, 3, &ctl);
		hex02(x->out, a);
		ln_lit(x->out, "; ctrl ");
		hex02(x->out, ctl);
		return 1;
	}
	print_at_u16(&c, 2, &proto);
	cur_skip(&c, 4);
	length -= 4;
	if (print_ppp_name(proto) != NULL) {
		ln_str(x->out, print_ppp_name(proto));
		ln_lit(x->out, ": ");
	} else {
		uint8_t b[2] = { (uint8_t)(proto >> 8), (uint8_t)proto };
		ln_lit(x->out, "unknown PPP protocol (0x");
		ln_hexbytes(x->out, b, 2);
		ln_lit(x->out, "): ");
	}
	return print_ppp_proto(x, proto, c, length);
}

/* ipoib_hdr_print(): ", ethertype NAME (0xNNNN), length N: " (after "IPOIB" with -e). */
static void ipoib_hdr(struct print_ctx *x, struct cursor h, uint32_t length)
{
	uint16_t type;
	const char *n;
	uint8_t b[2];

	print_at_u16(&h, 40, &type);
	n = print_ethertype_name(type);
	b[0] = (uint8_t)(type >> 8);
	b[1] = (uint8_t)type;
	ln_lit(x->out, ", ethertype ");
	ln_str(x->out, n != NULL ? n : "Unknown");
	ln_lit(x->out, " (0x");
	ln_hexbytes(x->out, b, 2);
	ln_lit(x->out, "), length ");
	ln_u32(x->out, length);
	ln_lit(x->out, ": ");
}

/* ipoib_print(): a 44-byte header (destination address, then the ethertype at 40). */
static int print_ipoib(struct print_ctx *x, struct cursor c, uint32_t length)
{
	struct cursor h = c;
	uint16_t type;
	int r;

	x->proto = "ipoib";
	if (cur_len(&c) < 44)
		return 0;
	if (x->flags & PRINT_LINK_HDR) {
		ln_lit(x->out, "IPOIB");
		ipoib_hdr(x, h, length);
	}
	print_at_u16(&c, 40, &type);
	cur_skip(&c, 44);
	length -= 44;
	r = print_ethertype(x, type, c, length);
	if (r >= 0)
		return r;
	return undecoded(x, c, ipoib_hdr, h, length + 44);
}

/*
 * The line after the timestamp for a link type print.c does not read from
 * the decoded packet: 0 out of captured bytes (x->proto names the layer).
 */
int print_link_other(struct print_ctx *x, int linktype, struct cursor c, uint32_t length)
{
	switch (linktype) {
	case LT_PPP:
		x->proto = "ppp";
		if (cur_len(&c) < 4)
			return 0;
		return print_ppp(x, c, length);
	case LT_PPP_HDLC:
		return print_ppp_hdlc(x, c, length);
	case LT_C_HDLC:
		return print_chdlc(x, c, length);
	case LT_IPOIB:
		return print_ipoib(x, c, length);
	}
	ln_lit(x->out, "link type ");
	ln_u32(x->out, (uint32_t)linktype);
	ln_lit(x->out, ", length ");
	ln_u32(x->out, length);
	return 1;
}
