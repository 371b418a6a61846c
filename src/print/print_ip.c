/* print_ip.c: the IPv4, AH and IPv6 (extension headers) parts of a tcpdump -nn line. */
#include <string.h>

#include "print.h"
#include "printer.h"

void print_addr_pair(struct print_ctx *x, const uint8_t *src, const uint8_t *dst, int v6)
{
	ln_ip(x->out, v6, src);
	ln_lit(x->out, " > ");
	ln_ip(x->out, v6, dst);
}

/* ipcomp_print(): the compressed payload is not decompressed, so the line ends there. */
static int print_ipcomp(struct print_ctx *x, struct cursor c)
{
	uint16_t cpi;
	uint8_t b[2];

	x->proto = "ipcomp";
	if (!print_at_u16(&c, 2, &cpi))
		return 0;
	b[0] = (uint8_t)(cpi >> 8);
	b[1] = (uint8_t)cpi;
	ln_lit(x->out, "IPComp(cpi=0x");
	ln_hexbytes(x->out, b, 2);
	ln_chr(x->out, ')');
	return 1;
}

static int print_ip_own(struct print_ctx *x, struct cursor c, uint32_t length, int v6);

/* The transport layer; nh: its protocol number, fragmented: a first fragment (more follow). */
static int print_l4(struct print_ctx *x, struct cursor body, uint32_t len, uint8_t nh, int ext_hdrs,
		    int fragmented)
{
	int v6 = x->p->ip.version == 6;

	switch (nh) {
	case 6:
		if (x->p->l4 != L4_TCP)
			break;
		return print_tcp(x, body, len, ext_hdrs, fragmented);
	case 17:
		return print_udp(x, body, len, ext_hdrs, fragmented);
	case 1:
	case 58:
		if (v6 != (nh == 58)) {
			ln_str(x->out, v6 ? "[ICMP requires IPv4] (invalid)" : "[ICMPv6 requires IPv6] (invalid)");
			return 1;
		}
		return v6 ? print_icmp6(x, body, len, fragmented) : print_icmp(x, body, len, fragmented);
	case 108:
		return print_ipcomp(x, body);
	case 4:
		return print_ip_at(x, body, len, 0);
	case 41:
		return print_ip_own(x, body, len, 1);
	case 47:
		return print_gre(x, body, len);
	}
	ln_lit(x->out, " ip-proto-");
	ln_u32(x->out, nh);
	ln_chr(x->out, ' ');
	ln_u32(x->out, len);
	return 1;
}

/* An authentication header: "AH(spi=0x..,seq=0x..,icv=0x..): "; its length, or 0. */
static uint32_t print_ah(struct print_ctx *x, struct cursor c, uint8_t *nh)
{
	uint8_t words, b;
	uint16_t rsv;
	uint32_t n, seq;
	struct cursor t = c, spi;

	x->proto = "ah";
	if (!cur_peek_u8(&c, 0, nh))
		return 0;
	ln_lit(x->out, "AH");
	if (!cur_peek_u8(&c, 1, &words))
		return 0;
	ln_chr(x->out, '(');
	if (x->pr->flags & PRINT_VERBOSE) {
		ln_lit(x->out, "length=");
		ln_u32(x->out, words);
		ln_chr(x->out, '(');
		ln_u32(x->out, ((uint32_t)words + 2) * 4);
		ln_lit(x->out, "-bytes),");
	}
	if (!cur_skip(&t, 2) || !cur_get_u16(&t, &rsv))
		return 0;
	if (rsv != 0) {
		ln_lit(x->out, "reserved=0x");
		ln_hex(x->out, rsv);
		ln_lit(x->out, "[MustBeZero],");
	}
	if (!cur_get_bytes(&t, &spi, 4))
		return 0;
	ln_lit(x->out, "spi=0x");
	ln_hexbytes(x->out, cur_data(&spi), 4);
	ln_chr(x->out, ',');
	if (!cur_get_u32(&t, &seq))
		return 0;
	ln_lit(x->out, "seq=0x");
	ln_hex(x->out, seq);
	ln_lit(x->out, ",icv=0x");
	n = ((uint32_t)words + 2) * 4;
	for (uint32_t i = 12; i < n; i++) {
		if (!cur_get_u8(&t, &b))
			return 0;
		ln_hexbytes(x->out, &b, 1);
	}
	ln_lit(x->out, "): ");
	return n;
}

/* ip_demux_print(): authentication headers, then the transport layer. */
static int print_demux(struct print_ctx *x, struct cursor c, uint32_t len, uint8_t nh,
		       int ext_hdrs, int fragmented)
{
	uint32_t n;

	while (nh == 51) {
		n = print_ah(x, c, &nh);
		if (n == 0)
			return 0;
		cur_skip(&c, n);
		len -= n;
		ext_hdrs = 1;
	}
	return print_l4(x, c, len, nh, ext_hdrs, fragmented);
}

/* ip_print() of tcpdump without -v. c: from the IP header to the end of capture. */
static int print_ip4(struct print_ctx *x, struct cursor c, uint32_t length)
{
	const struct ip_info *ip = &x->p->ip;
	uint8_t vhl, proto;
	uint16_t len, off;
	uint32_t hlen;

	x->proto = "ip";
	if (!(x->flags & PRINT_LINK_HDR))
		ln_lit(x->out, "IP ");
	if (cur_len(&c) < 20)
		return 0;
	if (length < 20) {
		ln_lit(x->out, "truncated-ip ");
		ln_u32(x->out, length);
		return 1;
	}
	print_at_u8(&c, 0, &vhl);
	print_at_u8(&c, 9, &proto);
	hlen = (uint32_t)(vhl & 0x0f) * 4;
	if (hlen < 20) {
		ln_lit(x->out, "bad-hlen ");
		ln_u32(x->out, hlen);
		return 1;
	}
	print_at_u16(&c, 2, &len);
	if (length < len) {
		ln_lit(x->out, "truncated-ip - ");
		ln_u32(x->out, len - length);
		ln_lit(x->out, " bytes missing! ");
	}
	if (len < hlen) {
		ln_lit(x->out, "bad-len ");
		ln_u32(x->out, len);
		return 1;
	}
	cur_truncate(&c, len);
	print_at_u16(&c, 6, &off);
	if (x->flags & PRINT_VERBOSE) {
		int r = print_ip4_verbose(x, c, hlen);
		if (r < 0)
			return 0;
		if (r == 0) {
			print_addr_pair(x, ip->src, ip->dst, 0);
			ln_lit(x->out, ": ");
			x->soft_trunc = 1;
			return 0;
		}
	}
	if ((off & 0x1fff) != 0) {
		print_addr_pair(x, ip->src, ip->dst, 0);
		ln_lit(x->out, ": ip-proto-");
		ln_u32(x->out, proto);
		return 1;
	}
	if (proto != 6 && proto != 17 && proto != 132 && proto != 33) {
		print_addr_pair(x, ip->src, ip->dst, 0);
		ln_lit(x->out, ": ");
	}
	if (cur_len(&c) < hlen) {
		ln_lit(x->out, " [remaining caplen(");
		ln_u32(x->out, (uint32_t)cur_len(&c));
		ln_lit(x->out, ") < header length(");
		ln_u32(x->out, hlen);
		ln_lit(x->out, ")]");
		return 0;
	}
	cur_skip(&c, hlen);
	return print_demux(x, c, len - hlen, proto, 0, (off & 0x2000) != 0);
}

/* Where the walk over IPv6 extension headers is (tcpdump's ip6_print locals). */
struct ip6_walk {
	uint16_t plen0;          /* the header's payload length */
	uint32_t off;            /* of the current header from the IPv6 header */
	uint32_t plen;           /* payload length, or the jumbo length */
	int jumbo, found_hbh;
	int fragmented;          /* a first fragment's header was passed */
};

/* The jumbo option (jl its length field): valid only as the first one, in a hop-by-hop header, with a zero payload length. */
static void hbh_jumbo(struct print_ctx *x, uint32_t jl, int *seen, struct ip6_walk *w)
{
	int verbose = (x->flags & PRINT_VERBOSE) != 0;
	const char *why = NULL;

	if (*seen) {
		why = " - already seen";
	} else {
		*seen = 1;
		if (w == NULL)
			why = " - not a hop-by-hop option";
		else if (w->plen != 0)
			why = " - payload len != 0";
		else if (jl < 65536)
			why = " - < 65536";
		else {
			w->jumbo = 1;
			w->plen = jl;
		}
	}
	if (verbose) {
		ln_lit(x->out, "(jumbo: ");
		ln_u32(x->out, jl);
		if (why != NULL)
			ln_str(x->out, why);
		ln_lit(x->out, ") ");
	}
}

/*
 * ip6_opt_process(): the options of a hop-by-hop (w its walk) or a
 * destination options header (w NULL); without -v tcpdump prints only what
 * is wrong. -1: cut or invalid.
 */
static int print_ip6_opts(struct print_ctx *x, struct cursor o, struct ip6_walk *w)
{
	size_t len = cur_len(&o), i, optlen;
	uint8_t t, l;
	uint32_t jl;
	int seen = 0;

	for (i = 0; i < len; i += optlen) {
		cur_peek_u8(&o, i, &t);
		if (t == 0) {
			optlen = 1;
			if (x->flags & PRINT_VERBOSE)
				ln_lit(x->out, "(pad1)");
			continue;
		}
		if (i + 1 >= len)
			return -1;
		cur_peek_u8(&o, i + 1, &l);
		optlen = (size_t)l + 2;
		if (i + optlen > len)
			return -1;
		switch (t) {
		case 5:
			if (len - i < 4) { ln_lit(x->out, "(rtalert: trunc)"); return -1; }
			if (l != 2) { ln_lit(x->out, "(rtalert: invalid len "); ln_u32(x->out, l); ln_chr(x->out, ')'); return -1; }
			break;
		case 0xc2:
			if (len - i < 6) { ln_lit(x->out, "(jumbo: trunc)"); return -1; }
			if (l != 4) { ln_lit(x->out, "(jumbo: invalid len "); ln_u32(x->out, l); ln_chr(x->out, ')'); return -1; }
			print_at_u32(&o, i + 2, &jl);
			hbh_jumbo(x, jl, &seen, w);
			continue;
		case 0xc9:
			if (len - i < 18) { ln_lit(x->out, "(homeaddr: trunc)"); return -1; }
			if (l < 16) { ln_lit(x->out, "(homeaddr: invalid len "); ln_u32(x->out, l); ln_chr(x->out, ')'); return -1; }
			break;
		case 1:
			break;
		default:
			if (len - i < 2) {
				ln_lit(x->out, "(type ");
				ln_u32(x->out, t);
				ln_lit(x->out, ": trunc)");
				return -1;
			}
			break;
		}
		if ((x->flags & PRINT_VERBOSE) && print_ip6_opt_verbose(x, &o, i, t, optlen) < 0)
			return -1;
	}
	if (x->flags & PRINT_VERBOSE)
		ln_chr(x->out, ' ');
	return 0;
}

/*
 * A hop-by-hop header: only right after the IPv6 header, only once, and
 * with a zero payload length only if it holds a valid jumbo option.
 */
static int print_hbh(struct print_ctx *x, struct cursor at, struct ip6_walk *w)
{
	uint8_t hl;
	uint32_t n;
	int r;
	struct cursor body;

	if (w->found_hbh || w->off != 40) {
		ln_str(x->out, w->found_hbh ? "[The Hop-by-Hop Options header was already found]" :
			       "[The Hop-by-Hop Options header don't follow the IPv6 header]");
		ln_lit(x->out, " (invalid)");
		return 0;
	}
	x->proto = "hbhopt";
	if (!cur_peek_u8(&at, 1, &hl))
		return -1;
	n = ((uint32_t)hl + 1) * 8;
	r = (int)n;
	if (cur_len(&at) < n) {
		r = 0;
	} else {
		ln_lit(x->out, "HBH ");
		body = at;
		cur_skip(&body, 2);
		cur_truncate(&body, n - 2);
		if (print_ip6_opts(x, body, w) < 0)
			r = 0;
	}
	if (r == 0)
		ln_lit(x->out, " [|hbhopt]");
	if (w->plen == 0 && !w->jumbo) {
		ln_lit(x->out, "[No valid Jumbo Payload Hop-by-Hop option found] (invalid)");
		return 0;
	}
	w->found_hbh = 1;
	return r;
}

/* A routing header after "RT6 (len=.., type=.., segleft=..": addresses, then ") ". */
static int print_rt6_body(struct print_ctx *x, struct cursor at, uint8_t hl, uint8_t type)
{
	uint32_t u32 = 0;
	uint8_t b;
	uint16_t tag;
	struct cursor a;

	if (type == 0 || type == 2) {
		if (!cur_peek_u8(&at, 7, &b))
			return -1;
		a = at;
		cur_skip(&a, 4);
		cur_get_u32(&a, &u32);
		if (u32 != 0 || (x->flags & PRINT_VERBOSE)) {
			ln_lit(x->out, ", rsv=0x");
			ln_hex(x->out, u32);
		}
	} else if (type == 4) {
		if (!cur_peek_u8(&at, 4, &b))
			return -1;
		ln_lit(x->out, ", last-entry=");
		ln_u32(x->out, b);
		if (!cur_peek_u8(&at, 5, &b))
			return -1;
		if (b != 0 || (x->flags & PRINT_VERBOSE)) {
			ln_lit(x->out, ", flags=0x");
			ln_hex(x->out, b);
		}
		if (!cur_peek_u16(&at, 6, &tag))
			return -1;
		ln_lit(x->out, ", tag=");
		ln_hex(x->out, tag);
	} else {
		ln_lit(x->out, " (unknown type) (invalid)");
		return 0;
	}
	if (hl % 2 == 1) {
		ln_lit(x->out, " (invalid length ");
		ln_u32(x->out, hl);
		ln_lit(x->out, ") (invalid)");
		return 0;
	}
	a = at;
	cur_skip(&a, 8);
	for (uint32_t i = 0; i < hl / 2u; i++) {
		uint8_t addr[16];
		if (!cur_copy(&a, addr, 16))
			return -1;
		ln_lit(x->out, ", [");
		ln_u32(x->out, i);
		ln_chr(x->out, ']');
		ln_ip6(x->out, addr);
	}
	ln_lit(x->out, ") ");
	return ((int)hl + 1) * 8;
}

/*
 * One IPv6 extension header as tcpdump prints it. Returns its length,
 * 0 when tcpdump stops there, -1 when it ran out of captured bytes
 * (x->proto names the layer).
 */
static int print_ip6_ext(struct print_ctx *x, uint8_t nh, struct cursor at, struct ip6_walk *w)
{
	uint8_t hl, type, segleft;
	uint16_t offlg;
	uint32_t n;

	switch (nh) {
	case 0:
		return print_hbh(x, at, w);
	case 60:
		x->proto = "dstopt";
		if (!cur_peek_u8(&at, 1, &hl))
			return -1;
		n = ((uint32_t)hl + 1) * 8;
		if (cur_len(&at) < n) {
			ln_lit(x->out, " [|dstopt]");
			return 0;
		}
		ln_lit(x->out, "DSTOPT ");
		if (x->flags & PRINT_VERBOSE) {
			struct cursor body = at;
			cur_skip(&body, 2);
			cur_truncate(&body, n - 2);
			if (print_ip6_opts(x, body, NULL) < 0) {
				ln_lit(x->out, " [|dstopt]");
				return 0;
			}
		}
		return (int)n;
	case 44:
		x->proto = "frag6";
		if (!cur_peek_u16(&at, 2, &offlg))
			return -1;
		ln_lit(x->out, "frag (");
		if (x->flags & PRINT_VERBOSE) {
			struct cursor id = at;
			uint8_t b[4];
			if (!cur_skip(&id, 4) || !cur_copy(&id, b, 4))
				return -1;
			ln_lit(x->out, "0x");
			ln_hexbytes(x->out, b, 4);
			ln_chr(x->out, ':');
		}
		ln_u32(x->out, offlg & 0xfff8);
		ln_chr(x->out, '|');
		ln_u64(x->out, (uint64_t)40 + w->plen0 - w->off - 8);
		ln_chr(x->out, ')');
		if ((offlg & 0xfff8) != 0)
			return 0;
		ln_chr(x->out, ' ');
		if (cur_len(&at) <= 8)
			return 0;
		w->fragmented = 1;
		return 8;
	case 43:
		x->proto = "rt6";
		ln_lit(x->out, "RT6");
		if (!cur_peek_u8(&at, 1, &hl))
			return -1;
		ln_lit(x->out, " (len=");
		ln_u32(x->out, hl);
		if (!cur_peek_u8(&at, 2, &type))
			return -1;
		ln_lit(x->out, ", type=");
		ln_u32(x->out, type);
		if (type == 0)
			ln_lit(x->out, " [Deprecated]");
		if (!cur_peek_u8(&at, 3, &segleft))
			return -1;
		ln_lit(x->out, ", segleft=");
		ln_u32(x->out, segleft);
		return print_rt6_body(x, at, hl, type);
	}
	return 0;
}

static int is_ext(uint8_t nh)
{
	return nh == 0 || nh == 60 || nh == 44 || nh == 43;
}

/* The payload length says len bytes: say how many of them the packet's length does not hold. */
static void print_ip6_missing(struct print_ctx *x, uint32_t len, uint32_t length)
{
	if (length < len) {
		ln_lit(x->out, "truncated-ip6 - ");
		ln_u32(x->out, len - length);
		ln_lit(x->out, " bytes missing!");
	}
}

/*
 * The extension headers after the fixed one, nh the first header's type and
 * len the bytes from it on: -1 when the next header is not an extension
 * (nh, len, w and found_ext then say where the payload is), else what
 * print_ip6() returns.
 */
static int print_ip6_exts(struct print_ctx *x, struct cursor c, uint8_t *nh, uint32_t *len,
			  struct ip6_walk *w, int *found_ext)
{
	const struct ip_info *ip = &x->p->ip;
	uint32_t adv = 40;

	for (;;) {
		struct cursor at = c;
		int r;
		if (*len < adv) {
			x->proto = "ip6";
			return 0;
		}
		w->off += adv;
		*len -= adv;
		if (w->off == 40 && *nh != 6 && *nh != 17 && *nh != 33 && *nh != 132) {
			print_addr_pair(x, ip->src, ip->dst, 1);
			ln_lit(x->out, ": ");
		}
		if (!is_ext(*nh))
			return -1;
		cur_skip(&at, w->off);
		r = print_ip6_ext(x, *nh, at, w);
		if (r < 0)
			return 0;
		if (r == 0)
			return 1;
		*found_ext = 1;
		print_at_u8(&at, 0, nh);
		adv = (uint32_t)r;
		x->proto = "ip6";
	}
}

/* ip6_print() of tcpdump without -v. */
static int print_ip6(struct print_ctx *x, struct cursor c, uint32_t length)
{
	struct ip6_walk w = { 0, 0, 0, 0, 0, 0 };
	uint8_t nh, b0;
	uint32_t len;
	int found_ext = 0, r;

	x->proto = "ip6";
	if (cur_len(&c) < 40)
		return 0;
	if (length < 40) {
		ln_lit(x->out, "truncated-ip6 ");
		ln_u32(x->out, length);
		return 1;
	}
	if (!(x->flags & PRINT_LINK_HDR))
		ln_lit(x->out, "IP6 ");
	print_at_u8(&c, 0, &b0);
	if ((b0 >> 4) != 6) {
		ln_lit(x->out, "version error: ");
		ln_u32(x->out, b0 >> 4);
		ln_lit(x->out, " != 6");
		return 1;
	}
	print_at_u16(&c, 4, &w.plen0);
	w.plen = w.plen0;
	print_at_u8(&c, 6, &nh);
	if (w.plen != 0) {
		len = 40u + w.plen;
		print_ip6_missing(x, len, length);
	} else {
		len = length + 40;
	}
	cur_truncate(&c, len);
	if (x->flags & PRINT_VERBOSE)
		print_ip6_verbose(x, &c, w.plen0, nh);
	if ((r = print_ip6_exts(x, c, &nh, &len, &w, &found_ext)) >= 0)
		return r;
	if (w.jumbo) {
		len = w.plen + 40;
		if (len < w.off)
			return 0;
		print_ip6_missing(x, len, length);
		cur_truncate(&c, len);
		len -= w.off;
	} else if (w.plen == 0) {
		if (found_ext)
			return 0;
		cur_truncate(&c, 40);
		len = 0;
	}
	cur_skip(&c, w.off);
	return print_demux(x, c, len, nh, found_ext, w.fragmented);
}

/* ip_print() when the link says IPv4 but the bytes say otherwise. */
static int print_ip_wrong(struct print_ctx *x, uint8_t v)
{
	if (v == 6)
		ln_lit(x->out, "IP6, wrong link-layer encapsulation");
	else {
		ln_lit(x->out, "IP");
		ln_u32(x->out, v);
	}
	ln_lit(x->out, " (invalid)");
	return 1;
}

int print_ip_by_link(struct print_ctx *x, struct cursor c, uint32_t length)
{
	const struct link_info *l = &x->p->link;
	uint8_t b0 = 0;
	int have = print_at_u8(&c, 0, &b0);

	if (l->type == LINK_RAW || l->type == 14 || l->type == LINK_RAW_LT ||
	    l->type == LINK_IPV4 || l->type == LINK_IPV6) {
		x->proto = "ipn";
		if (length < 1) {
			ln_lit(x->out, "truncated-ip ");
			ln_u32(x->out, length);
			return 1;
		}
		if (!have)
			return 0;
		if ((b0 >> 4) == 4)
			return print_ip_own(x, c, length, 0);
		if ((b0 >> 4) == 6)
			return print_ip_own(x, c, length, 1);
		ln_lit(x->out, "unknown ip ");
		ln_u32(x->out, b0 >> 4);
		return 1;
	}
	if (l->ethertype == 0x86dd)
		return print_ip_own(x, c, length, 1);
	x->proto = "ip";
	if (!have)
		return 0;
	if ((b0 >> 4) != 4)
		return print_ip_wrong(x, b0 >> 4);
	return print_ip_own(x, c, length, 0);
}

/*
 * The IP packet at c with the decoded packet that describes it: x->p when
 * its IP layer starts at c, else one decoded here for as long as it is
 * printed (a tunnel's inner packet, one the analysis decoder did not reach).
 */
static int print_ip_own(struct print_ctx *x, struct cursor c, uint32_t length, int v6)
{
	const struct packet *outer = x->p;
	struct packet q;
	int r;

	if (cur_data(&outer->ip.hdr) == cur_data(&c) && outer->ip.version != 0)
		return v6 ? print_ip6(x, c, length) : print_ip4(x, c, length);
	if (x->depth >= PRINT_MAX_DEPTH)
		return 1;
	q = *outer;
	decode_ip(&q, c, length);
	x->p = &q;
	x->depth++;
	r = v6 ? print_ip6(x, c, length) : print_ip4(x, c, length);
	x->depth--;
	x->p = outer;
	return r;
}

/* ip_print() or ip6_print() of x->p's own IP layer, at c, whose version the link's type names. */
int print_ip_decoded(struct print_ctx *x, struct cursor c, uint32_t length)
{
	return x->p->ip.version == 6 ? print_ip6(x, c, length) : print_ip4(x, c, length);
}

/* ip_print() or ip6_print() of the bytes a type (ethertype, PPP protocol, IP protocol) says are IPv4 or IPv6. */
int print_ip_at(struct print_ctx *x, struct cursor c, uint32_t length, int v6)
{
	uint8_t b0;

	if (v6)
		return print_ip_own(x, c, length, 1);
	x->proto = "ip";
	if (!print_at_u8(&c, 0, &b0))
		return 0;
	if ((b0 >> 4) != 4)
		return print_ip_wrong(x, b0 >> 4);
	return print_ip_own(x, c, length, 0);
}

/*
 * -v: the packet an ICMP or ICMPv6 error quotes, as tcpdump's ip_print() or
 * ip6_print() of it. A TCP segment in it counts in tcpdump's sequence table
 * as any other, but never in the base of the connection of an evidence line.
 */
int print_ip_quoted(struct print_ctx *x, struct cursor c, uint32_t length, int v6)
{
	struct seq_val *base = x->base, dummy;
	uint8_t *base_set = x->base_set, dummy_set = 0;
	int r;

	if (base != NULL) {
		memset(&dummy, 0, sizeof(dummy));
		x->base = &dummy;
		x->base_set = &dummy_set;
	}
	r = print_ip_at(x, c, length, v6);
	x->base = base;
	x->base_set = base_set;
	return r;
}
