/* print_ether.c: Ethernet frames, 802.1Q tags and the ethertype dispatch of a tcpdump -nn [-e] line. */
#include "print.h"

int print_trunc(struct print_ctx *x, const char *proto)
{
	x->proto = proto;
	return 0;
}

void print_inner_break(struct print_ctx *x)
{
	ln_chr(x->out, (x->flags & PRINT_HEXDUMP) ? '\n' : ' ');
}

/* "xx:xx:xx:xx:xx:xx" */
void print_mac(struct line *out, const uint8_t *mac)
{
	for (int i = 0; i < 6; i++) {
		if (i > 0)
			ln_chr(out, ':');
		ln_hexbytes(out, mac + i, 1);
	}
}

/* "0x%04x" */
static void hex04(struct line *out, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	ln_lit(out, "0x");
	ln_hexbytes(out, b, 2);
}

/* "NAME (0x%04x)", NAME tcpdump's or dflt. */
void print_ethertype_words(struct line *out, uint16_t type, const char *dflt)
{
	const char *n = print_ethertype_name(type);

	ln_str(out, n != NULL ? n : dflt);
	ln_lit(out, " (");
	hex04(out, type);
	ln_chr(out, ')');
}

/* With -e, what ether_print() says of a type it meets: the first, the frame's, with its length. */
static void type_hdr(struct print_ctx *x, uint16_t type, uint32_t length, int first)
{
	if (first && type <= 1500) {
		ln_lit(x->out, "802.3, length ");
		ln_u32(x->out, type);
		ln_lit(x->out, ": ");
		return;
	}
	if (type <= 1500)
		return;
	ln_lit(x->out, "ethertype ");
	print_ethertype_words(x->out, type, "Unknown");
	if (first) {
		ln_lit(x->out, ", length ");
		ln_u32(x->out, length);
		ln_lit(x->out, ": ");
	} else {
		ln_lit(x->out, ", ");
	}
}

/* "src > dst, " (c holds 14 bytes). */
static void macs(struct print_ctx *x, struct cursor c)
{
	uint8_t mac[12] = { 0 };

	cur_copy(&c, mac, 12);
	print_mac(x->out, mac + 6);
	ln_lit(x->out, " > ");
	print_mac(x->out, mac);
	ln_lit(x->out, ", ");
}

static int is_vlan(uint16_t t)
{
	return t == 0x8100 || t == 0x88a8 || t == 0x9100 || t == 0x9200;
}

/*
 * The type at c and the 802.1Q tags while it names one, with -e each type
 * in words and each tag as "vlan N, p P[, DEI], ". On return *type is the
 * enclosed type and c is past the tags. 0: out of bytes (x->proto).
 */
static int vlan_walk(struct print_ctx *x, struct cursor *c, uint32_t *length, uint16_t *type, uint32_t wire)
{
	uint16_t tci;
	int e = (x->flags & PRINT_LINK_HDR) != 0;

	for (int first = 1;; first = 0) {
		if (is_vlan(*type) && (cur_len(c) < 4 || *length < 4))
			return print_trunc(x, "vlan");
		if (e)
			type_hdr(x, *type, wire, first);
		if (!is_vlan(*type))
			return 1;
		print_at_u16(c, 0, &tci);
		print_at_u16(c, 2, type);
		if (e) {
			ln_lit(x->out, "vlan ");
			ln_u32(x->out, tci & 0xfff);
			ln_lit(x->out, ", p ");
			ln_u32(x->out, tci >> 13);
			if (tci & 0x1000)
				ln_lit(x->out, ", DEI");
			ln_lit(x->out, ", ");
		}
		cur_skip(c, 4);
		*length -= 4;
	}
}

/*
 * ethertype_print(): the payload of a link layer or tunnel by its type.
 * 1 printed, 0 out of captured bytes (x->proto says where), -1 a type
 * tcpdump does not decode here (the caller prints what it prints then).
 */
int print_ethertype(struct print_ctx *x, uint16_t type, struct cursor c, uint32_t length)
{
	switch (type) {
	case 0x0800:
		return print_ip_at(x, c, length, 0);
	case 0x86dd:
		return print_ip_at(x, c, length, 1);
	case 0x0806:
	case 0x8035:
		return print_arp(x, c, length);
	case 0x8847:
	case 0x8848:
		return print_mpls(x, c, length);
	case 0x8863:
	case 0x8864:
	case 0x3c12:
	case 0x3c13:
		return print_pppoe(x, c, length);
	case 0x880b:
		if (length > 0) {
			ln_lit(x->out, ": ");
			return print_ppp(x, c, length);
		}
		return 1;
	}
	return -1;
}

/*
 * ether_print(): an Ethernet frame, c from its first byte as captured,
 * length its length on the wire. Returns as print_ethertype(); an inner
 * frame (a tunnel's) of a type tcpdump does not decode gets its header and
 * a hex dump instead of -1.
 */
int print_ether(struct print_ctx *x, struct cursor c, uint32_t length, int inner)
{
	struct cursor hdr = c;
	uint32_t wire = length;
	uint16_t type;
	int r = -1;

	x->proto = "ether";
	if (length < cur_len(&c)) {
		/* more bytes than the length says (a UDP length short of the IP one) */
		ln_lit(x->out, "[length ");
		ln_u32(x->out, length);
		ln_lit(x->out, " < caplen ");
		ln_u32(x->out, (uint32_t)cur_len(&c));
		ln_lit(x->out, "] (invalid)");
		return 1;
	}
	/* tcpdump returns from these checks (no longjmp): -x's dump is then of nothing more */
	if (cur_len(&c) < 14 || length < 14) {
		x->soft_trunc = 1;
		return 0;
	}
	if (x->flags & PRINT_LINK_HDR)
		macs(x, hdr);
	print_at_u16(&c, 12, &type);
	cur_skip(&c, 14);
	length -= 14;
	if (!vlan_walk(x, &c, &length, &type, wire)) {
		x->soft_trunc = 1;
		return 0;
	}
	if (type > 1500) {
		if (++x->depth > PRINT_MAX_DEPTH)
			return 1;
		r = print_ethertype(x, type, c, length);
		x->depth--;
	}
	if (r >= 0 || !inner)
		return r;
	if (!(x->flags & PRINT_LINK_HDR)) {
		uint16_t t0;
		print_at_u16(&hdr, 12, &t0);
		macs(x, hdr);
		type_hdr(x, t0, wire, 1);
	}
	print_hexdump(x, c, (uint32_t)cur_len(&c), 1);
	return 1;
}
