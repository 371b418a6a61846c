/* print.c: the timestamp, link and IP parts of a tcpdump -nn line, in tcpdump 4.99's order. */
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "print.h"
#include "printer.h"

#define MAXIMUM_SNAPLEN 262144u

struct printer *printer_new(unsigned flags)
{
	struct printer *pr = calloc(1, sizeof(*pr));
	if (pr == NULL)
		return NULL;
	pr->flags = flags;
	pr->seq = seqtab_new(1u << 20);
	pr->last_sec = -1;
	if (pr->seq == NULL) {
		free(pr);
		return NULL;
	}
	return pr;
}

void printer_free(struct printer *pr)
{
	if (pr == NULL)
		return;
	seqtab_free(pr->seq);
	free(pr);
}

/* HH:MM:SS in local time, as strftime would; cached per second. */
void print_ts(struct print_ctx *x)
{
	struct printer *pr = x->pr;
	const struct packet *p = x->p;

	if ((uint64_t)p->ts_sec & 0x80000000u || p->ts_sec < 0) {
		ln_str(x->out, "[Error converting time]");
		ln_chr(x->out, ' ');
		return;
	}
	if (p->ts_sec != pr->last_sec) {
		time_t t = (time_t)p->ts_sec;
		struct tm tm;
		pr->last_sec = p->ts_sec;
		if (localtime_r(&t, &tm) == NULL) {
			pr->hms_ok = 0;
		} else {
			pr->hms_ok = 1;
			strftime(pr->hms, sizeof(pr->hms), "%H:%M:%S", &tm);
		}
	}
	if (!pr->hms_ok) {
		ln_str(x->out, "[Error converting time]");
		ln_chr(x->out, ' ');
		return;
	}
	ln_str(x->out, pr->hms);
	ln_chr(x->out, '.');
	ln_u32_width(x->out, p->ts_frac, p->ts_nano ? 9 : 6);
	ln_chr(x->out, ' ');
}

static const char *ifname_of(struct printer *pr, uint32_t ifindex)
{
	struct ifname_cache *c = &pr->ifnames[ifindex % IFNAME_CACHE];
	if (!c->valid || c->index != ifindex) {
		char name[IF_NAMESIZE];
		c->valid = 1;
		c->index = ifindex;
		if (if_indextoname(ifindex, name) == NULL)
			strcpy(c->name, "?");
		else
			snprintf(c->name, sizeof(c->name), "%s", name);
	}
	return c->name;
}

static const char *pkttype_name(uint8_t t)
{
	switch (t) {
	case 0: return "In";
	case 1: return "B";
	case 2: return "M";
	case 3: return "P";
	case 4: return "Out";
	}
	return "?";
}

static const char *ethertype_name(uint16_t t)
{
	switch (t) {
	case 0x0800: return "IPv4";
	case 0x86dd: return "IPv6";
	case 0x0806: return "ARP";
	case 0x8100: return "802.1Q";
	case 0x88a8: return "802.1Q-QinQ";
	case 0x9100: return "802.1Q-9100";
	case 0x9200: return "802.1Q-9200";
	}
	return "Unknown";
}

/* 802.1Q tags after a cooked header: "ethertype <enclosed type>, " for each. */
static int print_cooked_vlans(struct print_ctx *x, uint32_t *hdr_len)
{
	const struct link_info *l = &x->p->link;

	for (unsigned i = 0; i < l->nvlan; i++) {
		ln_str(x->out, "ethertype ");
		ln_str(x->out, ethertype_name(i + 1u < l->nvlan ? 0x8100 : l->ethertype));
		ln_str(x->out, ", ");
	}
	if (l->status == DEC_TRUNCATED) {
		x->proto = "vlan";
		return 0;
	}
	*hdr_len = l->hdr_len;
	return 1;
}

/* The part of the line that only some link types print (SLL2: interface, direction). */
static int print_link(struct print_ctx *x, uint32_t *hdr_len)
{
	const struct packet *p = x->p;
	const struct link_info *l = &p->link;

	switch (l->type) {
	case LINK_ETHERNET:
		x->proto = "ether";
		if (p->caplen < 14) {
			return 0;
		}
		/* Each VLAN tag needs 4 more captured bytes. */
		if (l->status == DEC_TRUNCATED) {
			x->proto = "vlan";
			return 0;
		}
		break;
	case LINK_SLL:
		x->proto = "sll";
		if (p->caplen < 16)
			return 0;
		return print_cooked_vlans(x, hdr_len);
	case LINK_SLL2:
		x->proto = "sll2";
		if (p->caplen < 20)
			return 0;
		ln_str_pad(x->out, ifname_of(x->pr, l->ifindex), 5);
		ln_chr(x->out, ' ');
		ln_str_pad(x->out, pkttype_name(l->pkttype), 3);
		ln_chr(x->out, ' ');
		return print_cooked_vlans(x, hdr_len);
	case LINK_NULL:
	case LINK_LOOP:
		x->proto = "null";
		if (p->caplen < 4)
			return 0;
		break;
	default:
		x->proto = "raw";
		break;
	}
	*hdr_len = l->hdr_len;
	return 1;
}

static void addr_pair(struct print_ctx *x, const uint8_t *src, const uint8_t *dst, int v6)
{
	if (v6) {
		ln_ip6(x->out, src);
		ln_str(x->out, " > ");
		ln_ip6(x->out, dst);
	} else {
		ln_ip4(x->out, src);
		ln_str(x->out, " > ");
		ln_ip4(x->out, dst);
	}
}

static int print_l4(struct print_ctx *x, struct cursor body, uint32_t len, int ext_hdrs)
{
	switch (x->p->l4) {
	case L4_TCP:
		return print_tcp(x, body, len, ext_hdrs);
	case L4_UDP:
		print_udp(x);
		return 1;
	case L4_ICMP:
	case L4_ICMP6:
		print_icmp(x);
		return 1;
	default:
		ln_str(x->out, " ip-proto-");
		ln_u32(x->out, x->p->ip.proto);
		ln_chr(x->out, ' ');
		ln_u32(x->out, len);
		return 1;
	}
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
	ln_str(x->out, "AH");
	if (!cur_peek_u8(&c, 1, &words))
		return 0;
	ln_chr(x->out, '(');
	if (!cur_skip(&t, 2) || !cur_get_u16(&t, &rsv))
		return 0;
	if (rsv != 0) {
		ln_str(x->out, "reserved=0x");
		ln_hex(x->out, rsv);
		ln_str(x->out, "[MustBeZero],");
	}
	if (!cur_get_bytes(&t, &spi, 4))
		return 0;
	ln_str(x->out, "spi=0x");
	ln_hexbytes(x->out, cur_data(&spi), 4);
	ln_chr(x->out, ',');
	if (!cur_get_u32(&t, &seq))
		return 0;
	ln_str(x->out, "seq=0x");
	ln_hex(x->out, seq);
	ln_str(x->out, ",icv=0x");
	n = ((uint32_t)words + 2) * 4;
	for (uint32_t i = 12; i < n; i++) {
		if (!cur_get_u8(&t, &b))
			return 0;
		ln_hexbytes(x->out, &b, 1);
	}
	ln_str(x->out, "): ");
	return n;
}

/* ip_demux_print(): authentication headers, then the transport layer. */
static int print_demux(struct print_ctx *x, struct cursor c, uint32_t len, uint8_t nh,
		       int ext_hdrs)
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
	return print_l4(x, c, len, ext_hdrs);
}

/* ip_print() of tcpdump without -v. c: from the IP header to the end of capture. */
static int print_ip4(struct print_ctx *x, struct cursor c, uint32_t length)
{
	const struct ip_info *ip = &x->p->ip;
	uint8_t vhl, proto;
	uint16_t len, off;
	uint32_t hlen;

	x->proto = "ip";
	ln_str(x->out, "IP ");
	if (cur_len(&c) < 20)
		return 0;
	if (length < 20) {
		ln_str(x->out, "truncated-ip ");
		ln_u32(x->out, length);
		return 1;
	}
	cur_peek_u8(&c, 0, &vhl);
	cur_peek_u8(&c, 9, &proto);
	hlen = (uint32_t)(vhl & 0x0f) * 4;
	if (hlen < 20) {
		ln_str(x->out, "bad-hlen ");
		ln_u32(x->out, hlen);
		return 1;
	}
	cur_peek_u16(&c, 2, &len);
	if (length < len) {
		ln_str(x->out, "truncated-ip - ");
		ln_u32(x->out, len - length);
		ln_str(x->out, " bytes missing! ");
	}
	if (len < hlen) {
		ln_str(x->out, "bad-len ");
		ln_u32(x->out, len);
		return 1;
	}
	cur_truncate(&c, len);
	cur_peek_u16(&c, 6, &off);
	if ((off & 0x1fff) != 0) {
		addr_pair(x, ip->src, ip->dst, 0);
		ln_str(x->out, ": ip-proto-");
		ln_u32(x->out, proto);
		return 1;
	}
	if (proto != 6 && proto != 17 && proto != 132 && proto != 33) {
		addr_pair(x, ip->src, ip->dst, 0);
		ln_str(x->out, ": ");
	}
	if (cur_len(&c) < hlen) {
		ln_str(x->out, " [remaining caplen(");
		ln_u32(x->out, (uint32_t)cur_len(&c));
		ln_str(x->out, ") < header length(");
		ln_u32(x->out, hlen);
		ln_str(x->out, ")]");
		return 0;
	}
	cur_skip(&c, hlen);
	return print_demux(x, c, len - hlen, proto, 0);
}

/* Where the walk over IPv6 extension headers is (tcpdump's ip6_print locals). */
struct ip6_walk {
	uint16_t plen0;          /* the header's payload length */
	uint32_t off;            /* of the current header from the IPv6 header */
	uint32_t plen;           /* payload length, or the jumbo length */
	int jumbo, found_hbh;
};

/* The jumbo option's length, taken only from the first one and only when valid. */
static void hbh_jumbo(struct cursor o, size_t i, int *seen, struct ip6_walk *w)
{
	uint32_t jl = 0;

	if (*seen)
		return;
	*seen = 1;
	cur_skip(&o, i + 2);
	cur_get_u32(&o, &jl);
	if (w->plen == 0 && jl >= 65536) {
		w->jumbo = 1;
		w->plen = jl;
	}
}

/* The options of a hop-by-hop header: without -v tcpdump prints only what is wrong. */
static int print_ip6_opts(struct print_ctx *x, struct cursor o, struct ip6_walk *w)
{
	size_t len = cur_len(&o), i, optlen;
	uint8_t t, l;
	int seen = 0;

	for (i = 0; i < len; i += optlen) {
		cur_peek_u8(&o, i, &t);
		if (t == 0) {
			optlen = 1;
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
			if (len - i < 4) { ln_str(x->out, "(rtalert: trunc)"); return -1; }
			if (l != 2) { ln_str(x->out, "(rtalert: invalid len "); ln_u32(x->out, l); ln_chr(x->out, ')'); return -1; }
			break;
		case 0xc2:
			if (len - i < 6) { ln_str(x->out, "(jumbo: trunc)"); return -1; }
			if (l != 4) { ln_str(x->out, "(jumbo: invalid len "); ln_u32(x->out, l); ln_chr(x->out, ')'); return -1; }
			hbh_jumbo(o, i, &seen, w);
			break;
		case 0xc9:
			if (len - i < 18) { ln_str(x->out, "(homeaddr: trunc)"); return -1; }
			if (l < 16) { ln_str(x->out, "(homeaddr: invalid len "); ln_u32(x->out, l); ln_chr(x->out, ')'); return -1; }
			break;
		default:
			break;
		}
	}
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
		ln_str(x->out, " (invalid)");
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
		ln_str(x->out, "HBH ");
		body = at;
		cur_skip(&body, 2);
		cur_truncate(&body, n - 2);
		if (print_ip6_opts(x, body, w) < 0)
			r = 0;
	}
	if (r == 0)
		ln_str(x->out, " [|hbhopt]");
	if (w->plen == 0 && !w->jumbo) {
		ln_str(x->out, "[No valid Jumbo Payload Hop-by-Hop option found] (invalid)");
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
		if (u32 != 0) {
			ln_str(x->out, ", rsv=0x");
			ln_hex(x->out, u32);
		}
	} else if (type == 4) {
		if (!cur_peek_u8(&at, 4, &b))
			return -1;
		ln_str(x->out, ", last-entry=");
		ln_u32(x->out, b);
		if (!cur_peek_u8(&at, 5, &b))
			return -1;
		if (b != 0) {
			ln_str(x->out, ", flags=0x");
			ln_hex(x->out, b);
		}
		if (!cur_peek_u16(&at, 6, &tag))
			return -1;
		ln_str(x->out, ", tag=");
		ln_hex(x->out, tag);
	} else {
		ln_str(x->out, " (unknown type) (invalid)");
		return 0;
	}
	if (hl % 2 == 1) {
		ln_str(x->out, " (invalid length ");
		ln_u32(x->out, hl);
		ln_str(x->out, ") (invalid)");
		return 0;
	}
	a = at;
	cur_skip(&a, 8);
	for (uint32_t i = 0; i < hl / 2u; i++) {
		uint8_t addr[16];
		if (!cur_copy(&a, addr, 16))
			return -1;
		ln_str(x->out, ", [");
		ln_u32(x->out, i);
		ln_chr(x->out, ']');
		ln_ip6(x->out, addr);
	}
	ln_str(x->out, ") ");
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
			ln_str(x->out, " [|dstopt]");
			return 0;
		}
		ln_str(x->out, "DSTOPT ");
		return (int)n;
	case 44:
		x->proto = "frag6";
		if (!cur_peek_u16(&at, 2, &offlg))
			return -1;
		ln_str(x->out, "frag (");
		ln_u32(x->out, offlg & 0xfff8);
		ln_chr(x->out, '|');
		ln_u64(x->out, (uint64_t)40 + w->plen0 - w->off - 8);
		ln_chr(x->out, ')');
		if ((offlg & 0xfff8) != 0)
			return 0;
		ln_chr(x->out, ' ');
		if (cur_len(&at) <= 8)
			return 0;
		return 8;
	case 43:
		x->proto = "rt6";
		ln_str(x->out, "RT6");
		if (!cur_peek_u8(&at, 1, &hl))
			return -1;
		ln_str(x->out, " (len=");
		ln_u32(x->out, hl);
		if (!cur_peek_u8(&at, 2, &type))
			return -1;
		ln_str(x->out, ", type=");
		ln_u32(x->out, type);
		if (type == 0)
			ln_str(x->out, " [Deprecated]");
		if (!cur_peek_u8(&at, 3, &segleft))
			return -1;
		ln_str(x->out, ", segleft=");
		ln_u32(x->out, segleft);
		return print_rt6_body(x, at, hl, type);
	}
	return 0;
}

static int is_ext(uint8_t nh)
{
	return nh == 0 || nh == 60 || nh == 44 || nh == 43;
}

/* ip6_print() of tcpdump without -v. */
static int print_ip6(struct print_ctx *x, struct cursor c, uint32_t length)
{
	const struct ip_info *ip = &x->p->ip;
	struct ip6_walk w = { 0, 0, 0, 0, 0 };
	uint8_t nh, b0;
	uint32_t len, adv = 40;
	int found_ext = 0;

	x->proto = "ip6";
	if (cur_len(&c) < 40)
		return 0;
	if (length < 40) {
		ln_str(x->out, "truncated-ip6 ");
		ln_u32(x->out, length);
		return 1;
	}
	ln_str(x->out, "IP6 ");
	cur_peek_u8(&c, 0, &b0);
	if ((b0 >> 4) != 6) {
		ln_str(x->out, "version error: ");
		ln_u32(x->out, b0 >> 4);
		ln_str(x->out, " != 6");
		return 1;
	}
	cur_peek_u16(&c, 4, &w.plen0);
	w.plen = w.plen0;
	cur_peek_u8(&c, 6, &nh);
	if (w.plen != 0) {
		len = 40u + w.plen;
		if (length < len) {
			ln_str(x->out, "truncated-ip6 - ");
			ln_u32(x->out, len - length);
			ln_str(x->out, " bytes missing!");
		}
	} else {
		len = length + 40;
	}
	cur_truncate(&c, len);
	for (;;) {
		struct cursor at = c;
		int r;
		if (len < adv) {
			x->proto = "ip6";
			return 0;
		}
		w.off += adv;
		len -= adv;
		if (w.off == 40 && nh != 6 && nh != 17 && nh != 33 && nh != 132) {
			addr_pair(x, ip->src, ip->dst, 1);
			ln_str(x->out, ": ");
		}
		if (!is_ext(nh))
			break;
		cur_skip(&at, w.off);
		r = print_ip6_ext(x, nh, at, &w);
		if (r < 0)
			return 0;
		if (r == 0)
			return 1;
		found_ext = 1;
		cur_peek_u8(&at, 0, &nh);
		adv = (uint32_t)r;
		x->proto = "ip6";
	}
	if (w.jumbo) {
		len = w.plen + 40;
		if (len < w.off)
			return 0;
		if (length < len) {
			ln_str(x->out, "truncated-ip6 - ");
			ln_u32(x->out, len - length);
			ln_str(x->out, " bytes missing!");
		}
		cur_truncate(&c, len);
		len -= w.off;
	} else if (w.plen == 0) {
		if (found_ext)
			return 0;
		cur_truncate(&c, 40);
		len = 0;
	}
	cur_skip(&c, w.off);
	return print_demux(x, c, len, nh, found_ext);
}

/* ip_print() when the link says IPv4 but the bytes say otherwise. */
static int print_ip_wrong(struct print_ctx *x, uint8_t v)
{
	if (v == 6)
		ln_str(x->out, "IP6, wrong link-layer encapsulation");
	else {
		ln_str(x->out, "IP");
		ln_u32(x->out, v);
	}
	ln_str(x->out, " (invalid)");
	return 1;
}

static int print_ip_by_link(struct print_ctx *x, struct cursor c, uint32_t length)
{
	const struct link_info *l = &x->p->link;
	uint8_t b0 = 0;
	int have = cur_peek_u8(&c, 0, &b0);

	if (l->type == LINK_RAW || l->type == 14 || l->type == LINK_RAW_LT ||
	    l->type == LINK_IPV4 || l->type == LINK_IPV6) {
		x->proto = "ipn";
		if (length < 1) {
			ln_str(x->out, "truncated-ip ");
			ln_u32(x->out, length);
			return 1;
		}
		if (!have)
			return 0;
		if ((b0 >> 4) == 4)
			return print_ip4(x, c, length);
		if ((b0 >> 4) == 6)
			return print_ip6(x, c, length);
		ln_str(x->out, "unknown ip ");
		ln_u32(x->out, b0 >> 4);
		return 1;
	}
	if (l->ethertype == 0x86dd)
		return print_ip6(x, c, length);
	x->proto = "ip";
	if (!have)
		return 0;
	if ((b0 >> 4) != 4)
		return print_ip_wrong(x, b0 >> 4);
	return print_ip4(x, c, length);
}

static void print_not_ip(struct print_ctx *x)
{
	const struct packet *p = x->p;
	const struct link_info *l = &p->link;

	if (l->type == LINK_NULL || l->type == LINK_LOOP) {
		ln_str(x->out, "not IP, length ");
		ln_u32(x->out, p->len);
		return;
	}
	switch (l->ethertype) {
	case 0x0806: ln_str(x->out, "ARP"); break;
	case 0x8035: ln_str(x->out, "RARP"); break;
	case 0x88cc: ln_str(x->out, "LLDP"); break;
	default:
		if (l->ethertype <= 1500) {
			ln_str(x->out, "802.3");
		} else {
			ln_str(x->out, "ethertype 0x");
			ln_hex(x->out, l->ethertype);
		}
		break;
	}
	ln_str(x->out, ", length ");
	ln_u32(x->out, p->len);
}

static int invalid_header(struct print_ctx *x)
{
	const struct packet *p = x->p;
	int bad = 0;

	if (p->caplen == 0) {
		ln_str(x->out, "[Invalid header: caplen==0");
		bad = 1;
	}
	if (p->len == 0 || p->len < p->caplen || p->caplen > MAXIMUM_SNAPLEN ||
	    p->len > MAXIMUM_SNAPLEN) {
		ln_str(x->out, bad ? "," : "[Invalid header:");
		if (p->len == 0) {
			ln_str(x->out, " len==0");
		} else if (p->len < p->caplen) {
			ln_str(x->out, " len(");
			ln_u32(x->out, p->len);
			ln_str(x->out, ") < caplen(");
			ln_u32(x->out, p->caplen);
			ln_chr(x->out, ')');
		}
		bad = 1;
	}
	if (bad)
		ln_chr(x->out, ']');
	return bad;
}

void printer_line(struct printer *pr, const struct packet *p, struct line *out)
{
	struct print_ctx x = { pr, p, out, "" };
	struct cursor c;
	uint32_t hdr_len = 0, length;
	int ok;

	if (invalid_header(&x))
		return;
	print_ts(&x);
	if (!print_link(&x, &hdr_len)) {
		ln_str(out, " [|");
		ln_str(out, x.proto);
		ln_chr(out, ']');
		return;
	}
	if (p->link.status == DEC_NOT_IP) {
		print_not_ip(&x);
		return;
	}
	c = cur_make(p->data, p->caplen);
	cur_skip(&c, hdr_len);
	length = p->len - hdr_len;
	ok = print_ip_by_link(&x, c, length);
	if (!ok) {
		ln_str(out, " [|");
		ln_str(out, x.proto);
		ln_chr(out, ']');
	}
}
