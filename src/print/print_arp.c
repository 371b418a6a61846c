/* print_arp.c: ARP and RARP as tcpdump 4.99 -nn words them (arp_print without -e or -v). */
#include "print.h"

static const char *op_name(uint16_t op)
{
	switch (op) {
	case 1: return "Request";
	case 2: return "Reply";
	case 3: return "Reverse Request";
	case 4: return "Reverse Reply";
	case 8: return "Inverse Request";
	case 9: return "Inverse Reply";
	case 10: return "NACK Reply";
	}
	return NULL;
}

static const char *hrd_name(uint16_t hrd)
{
	switch (hrd) {
	case 1: return "Ethernet";
	case 6: return "TokenRing";
	case 7: return "ArcNet";
	case 15: return "FrameRelay";
	case 19: return "ATM";
	case 23: return "Strip";
	case 24: return "IEEE 1394";
	case 32: return "InfiniBand";
	}
	return NULL;
}

/* tcpdump 4.99's ethertype_values, shared by the printers (every protocol type it names, found by asking it for each of the 65536). */
static const struct { uint16_t type; const char *name; } ethertypes[] = {
	{ 0x00fe, "GRE-OSI" },
	{ 0x0200, "PUP" },
	{ 0x0500, "Sprite" },
	{ 0x0600, "NS" },
	{ 0x0707, "GeoNet (old)" },
	{ 0x0800, "IPv4" },
	{ 0x0806, "ARP" },
	{ 0x1000, "Trail" },
	{ 0x1111, "CALM FAST" },
	{ 0x6001, "MOP DL" },
	{ 0x6002, "MOP RC" },
	{ 0x6003, "DN" },
	{ 0x6004, "LAT" },
	{ 0x6007, "SCA" },
	{ 0x6558, "TEB" },
	{ 0x8035, "Reverse ARP" },
	{ 0x8038, "Lanbridge" },
	{ 0x803c, "DEC DNS" },
	{ 0x803e, "DEC DTS" },
	{ 0x805b, "VEXP" },
	{ 0x805c, "VPROD" },
	{ 0x809b, "Appletalk" },
	{ 0x80f3, "Appletalk ARP" },
	{ 0x8100, "802.1Q" },
	{ 0x8137, "IPX" },
	{ 0x86dd, "IPv6" },
	{ 0x8808, "MPCP" },
	{ 0x8809, "Slow Protocols" },
	{ 0x880b, "PPP" },
	{ 0x8847, "MPLS unicast" },
	{ 0x8848, "MPLS multicast" },
	{ 0x8863, "PPPoE D" },
	{ 0x8864, "PPPoE S" },
	{ 0x886f, "MS NLB heartbeat" },
	{ 0x8870, "Jumbo" },
	{ 0x888e, "EAPOL" },
	{ 0x8899, "Realtek protocols" },
	{ 0x88a2, "AoE" },
	{ 0x88a8, "802.1Q-QinQ" },
	{ 0x88ca, "TIPC" },
	{ 0x88cc, "LLDP" },
	{ 0x88e5, "802.1AE MACsec" },
	{ 0x88f7, "PTP" },
	{ 0x8902, "CFM" },
	{ 0x893a, "IEEE1905.1" },
	{ 0x8947, "GeoNet" },
	{ 0x894f, "NSH" },
	{ 0x9000, "Loopback" },
	{ 0x9100, "802.1Q-9100" },
	{ 0x9200, "802.1Q-9200" },
	{ 0xabcd, "CFM (old)" },
	{ 0xd28b, "Arista Vendor Specific Protocol" },
	{ 0xfefe, "OSI" },
};

const char *print_ethertype_name(uint16_t pro)
{
	for (size_t i = 0; i < sizeof(ethertypes) / sizeof(ethertypes[0]); i++)
		if (ethertypes[i].type == pro)
			return ethertypes[i].name;
	return NULL;
}

/* The protocol type's name, or "Unknown Protocol (0xNNNN)". */
static void pro_words(struct line *out, uint16_t pro)
{
	const char *n = print_ethertype_name(pro);
	uint8_t b[2] = { (uint8_t)(pro >> 8), (uint8_t)pro };

	if (n != NULL) {
		ln_str(out, n);
		return;
	}
	ln_lit(out, "Unknown Protocol (0x");
	ln_hexbytes(out, b, 2);
	ln_chr(out, ')');
}

/* The operation's name and a space: "Request ", "Unknown (5) ". */
static void op_label(struct line *out, uint16_t op)
{
	const char *n = op_name(op);

	if (n != NULL) {
		ln_str(out, n);
	} else {
		ln_lit(out, "Unknown (");
		ln_u32(out, op);
		ln_chr(out, ')');
	}
	ln_chr(out, ' ');
}

/* Where the four addresses lie, from the lengths in the header. */
struct arp_fields {
	struct cursor a;
	uint16_t hrd, pro, op;
	uint8_t hln, pln;
};

#define SHA_AT 8
static size_t spa_at(const struct arp_fields *f) { return 8 + (size_t)f->hln; }
static size_t tha_at(const struct arp_fields *f) { return 8 + (size_t)f->hln + f->pln; }
static size_t tpa_at(const struct arp_fields *f) { return 8 + 2 * (size_t)f->hln + f->pln; }

/* Bytes as "xx:xx:..." (tcpdump's linkaddr_string for a type it has no names for). */
static void hex_colons(struct line *out, struct cursor c, size_t n)
{
	uint8_t b;

	for (size_t i = 0; i < n && cur_get_u8(&c, &b); i++) {
		if (i > 0)
			ln_chr(out, ':');
		ln_hexbytes(out, &b, 1);
	}
}

/*
 * A Frame Relay hardware address, a Q.922 address of n bytes: "DLCI N",
 * "<Invalid DLCI>" when its extension bits end it early or late,
 * "<Truncated>" when n ends it first.
 */
static void q922(struct line *out, const struct cursor *c, size_t n)
{
	uint8_t b0 = 0, b1 = 0, b2 = 0, b3 = 0;
	uint32_t dlci;
	size_t at = 2;

	if (n < 1 || !print_at_u8(c, 0, &b0)) { ln_lit(out, "<Truncated>"); return; }
	if (b0 & 1) { ln_lit(out, "<Invalid DLCI>"); return; }
	if (n < 2 || !print_at_u8(c, 1, &b1)) { ln_lit(out, "<Truncated>"); return; }
	dlci = ((uint32_t)(b0 & 0xfc) << 2) | ((b1 & 0xf0u) >> 4);
	if (!(b1 & 1)) {
		if (n < 3 || !print_at_u8(c, 2, &b2)) { ln_lit(out, "<Truncated>"); return; }
		if (!(b2 & 1)) {
			dlci = (dlci << 7) | (b2 >> 1);
			at = 3;
		}
		if (n < at + 1 || !print_at_u8(c, at, &b3)) { ln_lit(out, "<Truncated>"); return; }
		if (!(b3 & 1)) { ln_lit(out, "<Invalid DLCI>"); return; }
		dlci = (dlci << 6) | (b3 >> 2);
	}
	ln_lit(out, "DLCI ");
	ln_u32(out, dlci);
}

/* A hardware address: "xx:xx:..." (a Q.922 address for Frame Relay), "<empty>" when its length is 0. */
static void hw(struct line *out, const struct arp_fields *f, size_t off)
{
	struct cursor c = f->a;

	if (f->hln == 0) {
		ln_lit(out, "<empty>");
		return;
	}
	cur_skip(&c, off);
	if (f->hrd == 15)
		q922(out, &c, f->hln);
	else
		hex_colons(out, c, f->hln);
}

/* A protocol address, or what tcpdump says instead when it is not IPv4's (only -v gets here with one). */
static void ip4_at(struct line *out, struct cursor c, size_t off, uint16_t pro, uint8_t len)
{
	uint8_t ip[4];

	if (pro != 0x0800 && pro != 0x1000)
		ln_lit(out, "<wrong proto type>");
	else if (len != 4)
		ln_lit(out, "<wrong len>");
	else if (cur_skip(&c, off) && cur_copy(&c, ip, 4))
		ln_ip4(out, ip);
}

static int nonzero(const struct arp_fields *f, size_t off, size_t n)
{
	uint8_t b;

	for (size_t i = 0; i < n; i++)
		if (print_at_u8(&f->a, off + i, &b) && b != 0)
			return 1;
	return 0;
}

/* The operation's words; 0 for one tcpdump dumps in hex instead. */
static int op_words(struct line *out, const struct arp_fields *f)
{
	switch (f->op) {
	case 1:
		ln_lit(out, "who-has ");
		ip4_at(out, f->a, tpa_at(f), f->pro, f->pln);
		if (nonzero(f, tha_at(f), f->hln)) {
			ln_lit(out, " (");
			hw(out, f, tha_at(f));
			ln_chr(out, ')');
		}
		ln_lit(out, " tell ");
		ip4_at(out, f->a, spa_at(f), f->pro, f->pln);
		return 1;
	case 2:
		ip4_at(out, f->a, spa_at(f), f->pro, f->pln);
		ln_lit(out, " is-at ");
		hw(out, f, SHA_AT);
		return 1;
	case 3:
	case 8:
		ln_lit(out, "who-is ");
		hw(out, f, tha_at(f));
		ln_lit(out, " tell ");
		hw(out, f, SHA_AT);
		return 1;
	case 4:
		hw(out, f, tha_at(f));
		ln_lit(out, " at ");
		ip4_at(out, f->a, tpa_at(f), f->pro, f->pln);
		return 1;
	case 9:
		hw(out, f, SHA_AT);
		ln_lit(out, " at ");
		ip4_at(out, f->a, spa_at(f), f->pro, f->pln);
		return 1;
	}
	return 0;
}

/* ATM ARP (RFC 2225): numbers and subaddresses of their own lengths, in the low 6 bits of each length byte. */
struct atm_fields {
	struct cursor a;
	uint16_t pro, op;
	size_t sha, ssa, spa, tha, tsa, tpa;     /* offsets */
	uint8_t shl, ssl, spl, thl, tsl, tpl;    /* lengths */
};

/* An ATM address: "<No address>", or the number, then ",subaddress" when there is one. */
static void atm_addr(struct line *out, const struct atm_fields *f, size_t ha, uint8_t hl, size_t sa,
		     uint8_t sl)
{
	struct cursor c = f->a;

	if (hl == 0) {
		ln_lit(out, "<No address>");
		return;
	}
	cur_skip(&c, ha);
	hex_colons(out, c, hl);
	if (sl != 0) {
		c = f->a;
		cur_skip(&c, sa);
		ln_chr(out, ',');
		hex_colons(out, c, sl);
	}
}

static int atm_op_words(struct line *out, const struct atm_fields *f)
{
	switch (f->op) {
	case 1:
		ln_lit(out, "who-has ");
		ip4_at(out, f->a, f->tpa, f->pro, f->tpl);
		if (f->thl != 0) {
			ln_lit(out, " (");
			atm_addr(out, f, f->tha, f->thl, f->tsa, f->tsl);
			ln_chr(out, ')');
		}
		ln_lit(out, " tell ");
		ip4_at(out, f->a, f->spa, f->pro, f->spl);
		return 1;
	case 2:
		ip4_at(out, f->a, f->spa, f->pro, f->spl);
		ln_lit(out, " is-at ");
		atm_addr(out, f, f->sha, f->shl, f->ssa, f->ssl);
		return 1;
	case 8:
		ln_lit(out, "who-is ");
		atm_addr(out, f, f->tha, f->thl, f->tsa, f->tsl);
		ln_lit(out, " tell ");
		atm_addr(out, f, f->sha, f->shl, f->ssa, f->ssl);
		return 1;
	case 9:
		atm_addr(out, f, f->sha, f->shl, f->ssa, f->ssl);
		ln_lit(out, "at ");
		ip4_at(out, f->a, f->spa, f->pro, f->spl);
		return 1;
	case 10:
		ln_lit(out, "for ");
		ip4_at(out, f->a, f->spa, f->pro, f->spl);
		return 1;
	}
	return 0;
}

/* atmarp_print(): a 12-byte header, then the addresses; 0 when they were not all captured. */
static int print_atmarp(struct print_ctx *x, struct cursor a, uint32_t length)
{
	int verbose = (x->flags & PRINT_VERBOSE) != 0;
	struct atm_fields f;
	uint8_t b[8];

	f.a = a;
	if (!cur_copy(&a, b, 8) || !print_at_u8(&f.a, 8, &f.spl) || !print_at_u8(&f.a, 9, &f.thl) ||
	    !print_at_u8(&f.a, 10, &f.tsl) || !print_at_u8(&f.a, 11, &f.tpl))
		return 0;
	f.pro = (uint16_t)(b[2] << 8 | b[3]);
	f.op = (uint16_t)(b[6] << 8 | b[7]);
	f.shl = b[4] & 0x3f;
	f.ssl = b[5] & 0x3f;
	f.thl &= 0x3f;
	f.tsl &= 0x3f;
	f.sha = 12;
	f.ssa = f.sha + f.shl;
	f.spa = f.ssa + f.ssl;
	f.tha = f.spa + f.spl;
	f.tsa = f.tha + f.thl;
	f.tpa = f.tsa + f.tsl;
	if (cur_len(&f.a) < f.tpa + f.tpl)
		return 0;
	if (!(x->flags & PRINT_LINK_HDR))
		ln_lit(x->out, "ARP, ");
	if ((f.pro != 0x0800 && f.pro != 0x1000) || f.spl != 4 || f.tpl != 4 || verbose) {
		ln_lit(x->out, "ATM, ");
		pro_words(x->out, f.pro);
		ln_lit(x->out, " (len ");
		ln_u32(x->out, f.spl);
		ln_chr(x->out, '/');
		ln_u32(x->out, f.tpl);
		ln_chr(x->out, ')');
	}
	if (verbose || ((f.pro == 0x0800 || f.pro == 0x1000) && f.spl == 4 && f.tpl == 4)) {
		if (verbose)
			ln_lit(x->out, ", ");
		op_label(x->out, f.op);
		if (!atm_op_words(x->out, &f)) {
			print_hexdump(x, f.a, (uint32_t)cur_len(&f.a), 1);
			return 1;
		}
	}
	ln_lit(x->out, ", length ");
	ln_u32(x->out, length);
	return 1;
}

/*
 * arp_print(): a, a cursor on the ARP packet as captured (from the end of the
 * link header), length its length on the wire. ATM (hardware type 19) has
 * a layout of its own (atmarp_print), Frame Relay (15) Q.922 addresses.
 */
int print_arp(struct print_ctx *x, struct cursor a, uint32_t length)
{
	int verbose = (x->flags & PRINT_VERBOSE) != 0;
	struct arp_fields f;
	const char *n;

	x->proto = "arp";
	f.a = a;
	if (!print_at_u16(&a, 0, &f.hrd) || !print_at_u16(&a, 2, &f.pro) ||
	    !print_at_u8(&a, 4, &f.hln) || !print_at_u8(&a, 5, &f.pln) || !print_at_u16(&a, 6, &f.op))
		return 0;
	if (f.hrd == 19)
		return print_atmarp(x, a, length);
	if (cur_len(&a) < tpa_at(&f) + f.pln)
		return 0;
	if (!(x->flags & PRINT_LINK_HDR))
		ln_lit(x->out, "ARP, ");
	if ((f.pro != 0x0800 && f.pro != 0x1000) || f.pln != 4 || f.hln == 0 || verbose) {
		n = hrd_name(f.hrd);
		if (n != NULL) {
			ln_str(x->out, n);
		} else {
			ln_lit(x->out, "Unknown Hardware (");
			ln_u32(x->out, f.hrd);
			ln_chr(x->out, ')');
		}
		ln_lit(x->out, " (len ");
		ln_u32(x->out, f.hln);
		ln_lit(x->out, "), ");
		pro_words(x->out, f.pro);
		ln_lit(x->out, " (len ");
		ln_u32(x->out, f.pln);
		ln_chr(x->out, ')');
	}
	if (verbose || ((f.pro == 0x0800 || f.pro == 0x1000) && f.pln == 4 && f.hln != 0)) {
		if (verbose)
			ln_lit(x->out, ", ");
		op_label(x->out, f.op);
		if (!op_words(x->out, &f)) {
			print_hexdump(x, a, (uint32_t)cur_len(&a), 1);
			return 1;
		}
	}
	ln_lit(x->out, ", length ");
	ln_u32(x->out, length);
	return 1;
}
