/* print_link.c: link types the printer reads itself (PPP, HDLC, IPoIB, ARCNET, Juniper Ethernet, enc, pflog), as tcpdump 4.99 -nn [-e]. */
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
	case LINK_ARCNET_BSD: case LINK_ARCNET_LINUX: case LINK_JUNIPER_ETHER:
	case LINK_IEEE802_11: case LINK_RADIOTAP: case LINK_ENC: case LINK_PFLOG:
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
	ln_lit(x->out, ", ethertype ");
	print_ethertype_words(x->out, proto, "Unknown");
	ln_lit(x->out, ", length ");
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

	print_at_u16(&h, 40, &type);
	ln_lit(x->out, ", ethertype ");
	print_ethertype_words(x->out, type, "Unknown");
	ln_lit(x->out, ", length ");
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

/* ARCNET system codes (RFC 1051, RFC 1201, RFC 2497, ATA 878.1) and tcpdump's words for them. */
static const char *arc_type_name(uint8_t t)
{
	switch (t) {
	case 240: return "oldip";
	case 241: return "oldarp";
	case 212: return "ip";
	case 213: return "arp";
	case 214: return "rarp";
	case 221: return "atalk";
	case 247: return "banyan";
	case 250: return "ipx";
	case 0xc4: return "ipv6";
	case 0x80: return "diag";
	}
	return NULL;
}

/* arcnet_print(): "src dst TYPE [seqid N [(first of N fragments)|(fragment N)]] LENGTH: ". */
static void arcnet_hdr(struct print_ctx *x, struct cursor c, uint32_t length, int phds, uint8_t flag, uint16_t seqid)
{
	uint8_t b[3];
	const char *n;

	print_at_u8(&c, 0, &b[0]);
	print_at_u8(&c, 1, &b[1]);
	print_at_u8(&c, 2, &b[2]);      /* on Linux the offset's first byte, as tcpdump reads it */
	hex02(x->out, b[0]);
	ln_chr(x->out, ' ');
	hex02(x->out, b[1]);
	ln_chr(x->out, ' ');
	n = arc_type_name(b[2]);
	if (n != NULL)
		ln_str(x->out, n);
	else
		hex02(x->out, b[2]);
	if (phds) {
		uint8_t s[2] = { (uint8_t)(seqid >> 8), (uint8_t)seqid };
		ln_lit(x->out, " seqid ");
		ln_hexbytes(x->out, s, 2);
		if (flag & 1) {
			ln_lit(x->out, " (first of ");
			ln_u32(x->out, ((uint32_t)flag + 3) / 2);
			ln_lit(x->out, " fragments)");
		} else if (flag) {
			ln_lit(x->out, " (fragment ");
			ln_u32(x->out, (uint32_t)flag / 2 + 1);
			ln_chr(x->out, ')');
		}
	}
	ln_chr(x->out, ' ');
	ln_u32(x->out, length);
	ln_lit(x->out, ": ");
}

/* arcnet_encap_print(): the payload by system code, else a hex dump. */
static int arcnet_payload(struct print_ctx *x, uint8_t type, struct cursor c, uint32_t length)
{
	switch (type) {
	case 240: case 212:
		return print_ip_at(x, c, length, 0);
	case 0xc4:
		return print_ip_at(x, c, length, 1);
	case 241: case 213: case 214:
		return print_arp(x, c, length);
	}
	/* AppleTalk and IPX (221, 250) are not decoded here */
	print_hexdump(x, c, (uint32_t)cur_len(&c), 1);
	return 1;
}

static int is_arc_old(uint8_t t)
{
	return t == 240 || t == 241 || t == 0x80;
}

/* arcnet_if_print(): BSD ARCNET, 3 bytes (old types) or 6 (10 for an exception frame). */
static int print_arcnet(struct print_ctx *x, struct cursor c, uint32_t length)
{
	struct cursor h = c;
	uint8_t type, flag = 0;
	uint16_t seqid = 0;
	uint32_t hlen = 3;
	int phds;

	x->proto = "arcnet";
	if (!print_at_u8(&c, 2, &type))
		return 0;
	phds = !is_arc_old(type);
	if (phds) {
		hlen = 6;
		if (cur_len(&c) < 6) {
			arcnet_hdr(x, h, length, 0, 0, 0);
			ln_lit(x->out, " phds");
			return 0;
		}
		print_at_u8(&c, 3, &flag);
		if (flag == 0xff) {
			hlen = 10;
			if (cur_len(&c) < 10) {
				arcnet_hdr(x, h, length, 0, 0, 0);
				ln_lit(x->out, " phds extended");
				return 0;
			}
			print_at_u8(&c, 7, &flag);
			print_at_u16(&c, 8, &seqid);
		} else {
			print_at_u16(&c, 4, &seqid);
		}
	}
	if (x->flags & PRINT_LINK_HDR)
		arcnet_hdr(x, h, length, phds, flag, seqid);
	cur_skip(&c, hlen);
	if (phds && flag && (flag & 1) == 0)
		return 1;                     /* a middle fragment */
	return arcnet_payload(x, type, c, length - hlen);
}

/* arcnet_linux_if_print(): Linux ARCNET, an offset after the addresses, no exception frames. */
static int print_arcnet_linux(struct print_ctx *x, struct cursor c, uint32_t length)
{
	uint8_t type;
	uint32_t hlen;

	x->proto = "arcnet_linux";
	if (!print_at_u8(&c, 4, &type))
		return 0;
	hlen = is_arc_old(type) ? 5 : 8;
	if (cur_len(&c) < hlen)
		return 0;
	if (x->flags & PRINT_LINK_HDR)
		arcnet_hdr(x, c, length, 0, 0, 0);
	cur_skip(&c, hlen);
	return arcnet_payload(x, type, c, length - hlen);
}

/* ip_heuristic_guess(): IPv4 or IPv6 by the first byte (a version and, for IPv4, a header length). */
static int ip_guess(struct print_ctx *x, struct cursor c, uint32_t length)
{
	uint8_t v;

	print_at_u8(&c, 0, &v);
	if (v >= 0x45 && v <= 0x4f)
		return print_ip_at(x, c, length, 0);
	if (v >= 0x60 && v <= 0x6f)
		return print_ip_at(x, c, length, 1);
	ln_lit(x->out, "no IP-hdr found!");
	return 1;
}

/*
 * juniper_parse_header() for JUNIPER_ETHER: "MGC", flags, with the
 * extension flag a 2-byte length of TLVs; *hlen the header's length.
 * 1 go on, 0 out of bytes, -1 the line is done.
 */
static int juniper_hdr(struct print_ctx *x, struct cursor c, uint32_t length, uint32_t *hlen)
{
	uint32_t magic;
	uint8_t flags;
	uint16_t ext = 0;

	if (!print_at_u8(&c, 3, &flags))
		return 0;
	cur_get_u24(&c, &magic);
	if (magic != 0x4d4743) {
		ln_lit(x->out, "no magic-number found!");
		return -1;
	}
	if (x->flags & PRINT_LINK_HDR)
		ln_str(x->out, flags & 1 ? " In " : "Out ");
	*hlen = 4;
	if (flags & 0x80) {
		struct cursor t = c, tlvs;
		cur_skip(&t, 1);
		if (!cur_get_u16(&t, &ext) || !cur_get_bytes(&t, &tlvs, ext))
			return 0;
		*hlen += 2u + ext;
		/* the TLVs are words only with -vv; one longer than what is left makes the line invalid */
		while (cur_len(&tlvs) > 2) {
			uint8_t type, len;
			uint32_t left = (uint32_t)cur_len(&tlvs);
			cur_get_u8(&tlvs, &type);
			cur_get_u8(&tlvs, &len);
			if (type == 0 || len == 0)
				break;
			if ((uint32_t)len + 2 > left) {
				ln_lit(x->out, " [extension_length ");
				ln_u32(x->out, left);
				ln_lit(x->out, " < ");
				ln_u32(x->out, (uint32_t)len + 2);
				ln_lit(x->out, "] (invalid)");
				return -1;
			}
			cur_skip(&tlvs, len);
		}
	}
	if (flags & 0x02) {
		struct cursor t = cur_make(cur_data(&c) - 3, cur_len(&c) + 3);
		if (x->flags & PRINT_LINK_HDR)
			ln_lit(x->out, "no-L2-hdr, ");
		if (!cur_skip(&t, *hlen + 4) || cur_len(&t) == 0)
			return 0;
		return ip_guess(x, t, length - (*hlen + 4)) ? -1 : 0;
	}
	if (x->flags & PRINT_LINK_HDR) {
		ln_lit(x->out, "hlen ");
		ln_u32(x->out, *hlen);
		ln_lit(x->out, ", proto 0x0000, ");
	}
	return 1;
}

/* juniper_ether_if_print(): the Juniper header, then an Ethernet frame. */
static int print_juniper_ether(struct print_ctx *x, struct cursor c, uint32_t length)
{
	uint32_t hlen = 0;
	int r;

	x->proto = "juniper_ether";
	r = juniper_hdr(x, c, length, &hlen);
	if (r <= 0)
		return r == 0 ? 0 : 1;
	if (!cur_skip(&c, hlen))
		return 0;
	r = print_ether(x, c, length - hlen, 0);
	if (r < 0)
		r = 1;   /* TODO: check tcpdump's words for a type it does not decode */
	return r;
}

/* BSD address families tcpdump decodes under enc and pflog: 0 IPv4, 1 IPv6, -1 other. */
static int af_ip(uint32_t af)
{
	if (af == 2)
		return 0;
	return af == 24 || af == 28 || af == 30 ? 1 : -1;
}

/* enc_if_print(): OpenBSD enc(4), family, SPI and flags (12 bytes), always in words. */
static int print_enc(struct print_ctx *x, struct cursor c, uint32_t length)
{
	static const struct { uint32_t bit; const char *name; } kinds[] = {
		{ 0x0800, "authentic" }, { 0x0400, "confidential" },
	};
	uint32_t af, spi, flags;
	uint8_t b[4];
	int v6;

	x->proto = "enc";
	if (!cur_get_u32le(&c, &af) || !cur_get_u32(&c, &spi) || !cur_get_u32le(&c, &flags))
		return 0;
	if (af & 0xffff0000u) {        /* written by a host of the other byte order */
		af = af >> 24 | (af >> 8 & 0xff00) | (af << 8 & 0xff0000) | af << 24;
		flags = flags >> 24 | (flags >> 8 & 0xff00) | (flags << 8 & 0xff0000) | flags << 24;
	}
	ln_str(x->out, flags == 0 ? "(unprotected): " : "(");
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (!(flags & kinds[i].bit))
			continue;
		flags &= ~kinds[i].bit;
		ln_str(x->out, kinds[i].name);
		ln_str(x->out, flags ? "," : "): ");
	}
	b[0] = (uint8_t)(spi >> 24);
	b[1] = (uint8_t)(spi >> 16);
	b[2] = (uint8_t)(spi >> 8);
	b[3] = (uint8_t)spi;
	ln_lit(x->out, "SPI 0x");
	ln_hexbytes(x->out, b, 4);
	ln_lit(x->out, ": ");
	v6 = af_ip(af);
	return v6 < 0 ? 1 : print_ip_at(x, c, length - 12, v6);
}

/* tcpdump's words for pf's actions and reasons (its table: reason 4 says "3(short)"). */
static const char *const pf_actions[11] = { "pass", "block", "scrub", NULL, "nat", "nonat", "binat",
					    "nobinat", "rdr", "nordr", "synproxy-drop" };
static const char *const pf_reasons[15] = { "0(match)", "1(bad-offset)", "2(fragment)", NULL, "3(short)",
					    "5(memory)", "6(bad-timestamp)", "7(congestion)", "8(ip-option)",
					    "9(proto-cksum)", "10(state-mismatch)", "11(state-insert)",
					    "12(state-limit)", "13(src-limit)", "14(synproxy)" };
static const char *const pf_dirs[3] = { "in/out", "in", "out" };

static void pf_word(struct line *out, const char *const *names, size_t n, uint8_t v)
{
	if (v < n && names[v] != NULL) {
		ln_str(out, names[v]);
		return;
	}
	ln_lit(out, "unkn(");
	ln_u32(out, v);
	ln_chr(out, ')');
}

/* A NUL-padded name of n bytes, as nd_printjnp() prints it. */
static void pf_name(struct line *out, struct cursor c, size_t off, size_t n)
{
	struct cursor t = c, s;

	if (!cur_skip(&t, off) || !cur_get_bytes(&t, &s, n))
		return;
	for (size_t i = 0; i < n; i++) {
		uint8_t b;
		print_at_u8(&s, i, &b);
		if (b == 0)
			break;
		ln_escaped(out, &b, 1);
	}
}

/* pflog_print(): "rule N[.RULESET.SUB]/REASON: ACTION DIR on IFNAME: ". */
static void pflog_words(struct print_ctx *x, struct cursor h)
{
	uint8_t action, reason, dir;
	uint32_t rule, sub;

	print_at_u8(&h, 2, &action);
	print_at_u8(&h, 3, &reason);
	print_at_u32(&h, 36, &rule);
	print_at_u32(&h, 40, &sub);
	print_at_u8(&h, 60, &dir);
	ln_lit(x->out, "rule ");
	ln_u32(x->out, rule);
	if (sub != 0xffffffffu) {
		ln_chr(x->out, '.');
		pf_name(x->out, h, 20, 16);
		ln_chr(x->out, '.');
		ln_u32(x->out, sub);
	}
	ln_chr(x->out, '/');
	pf_word(x->out, pf_reasons, 15, reason);
	ln_lit(x->out, ": ");
	pf_word(x->out, pf_actions, 11, action);
	ln_chr(x->out, ' ');
	pf_word(x->out, pf_dirs, 3, dir);
	ln_lit(x->out, " on ");
	pf_name(x->out, h, 4, 16);
	ln_lit(x->out, ": ");
}

/* pflog_if_print(): a pfloghdr (its length in the first byte, padded to 4), then the packet. */
static int print_pflog(struct print_ctx *x, struct cursor c, uint32_t length)
{
	struct cursor h = c;
	uint8_t len, af;
	uint32_t hlen;
	int v6;

	x->proto = "pflog";
	if (!print_at_u8(&c, 0, &len))
		return 0;
	if (len < 61) {
		ln_lit(x->out, "[pflog: invalid header length!]");
		return 1;
	}
	hlen = ((uint32_t)len + 3) & ~3u;
	if (cur_len(&c) < hlen || cur_len(&c) < 61)
		return 0;
	if (x->flags & PRINT_LINK_HDR)
		pflog_words(x, h);
	print_at_u8(&c, 1, &af);
	cur_skip(&c, hlen);
	v6 = af_ip(af);
	if (v6 >= 0)
		return print_ip_at(x, c, length - hlen, v6);
	if (!(x->flags & PRINT_LINK_HDR))
		pflog_words(x, h);
	print_hexdump(x, c, (uint32_t)cur_len(&c), 1);
	return 1;
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
	case LINK_ARCNET_BSD:
		return print_arcnet(x, c, length);
	case LINK_ARCNET_LINUX:
		return print_arcnet_linux(x, c, length);
	case LINK_JUNIPER_ETHER:
		return print_juniper_ether(x, c, length);
	case LINK_IEEE802_11:
		return print_80211(x, c, length, 0, 0);
	case LINK_RADIOTAP:
		return print_radiotap(x, c, length);
	case LINK_ENC:
		return print_enc(x, c, length);
	case LINK_PFLOG:
		return print_pflog(x, c, length);
	}
	ln_lit(x->out, "link type ");
	ln_u32(x->out, (uint32_t)linktype);
	ln_lit(x->out, ", length ");
	ln_u32(x->out, length);
	return 1;
}
