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
		break;
	case LINK_SLL2:
		x->proto = "sll2";
		if (p->caplen < 20)
			return 0;
		ln_str_pad(x->out, ifname_of(x->pr, l->ifindex), 5);
		ln_chr(x->out, ' ');
		ln_str_pad(x->out, pkttype_name(l->pkttype), 3);
		ln_chr(x->out, ' ');
		break;
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
		ln_str(x->out, "ip-proto-");
		ln_u32(x->out, x->p->ip.proto);
		ln_str(x->out, ", length ");
		ln_u32(x->out, len);
		return 1;
	}
}

/* ip_print() of tcpdump without -v. c: from the IP header to the end of capture. */
static int print_ip4(struct print_ctx *x, struct cursor c, uint32_t length)
{
	const struct ip_info *ip = &x->p->ip;
	uint8_t vhl;
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
		ln_u32(x->out, ip->proto);
		return 1;
	}
	if (ip->proto != 6 && ip->proto != 17 && ip->proto != 132 && ip->proto != 33) {
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
	return print_l4(x, c, len - hlen, 0);
}

/* The options of a hop-by-hop header: without -v tcpdump prints only what is wrong. */
static int print_ip6_opts(struct print_ctx *x, struct cursor o, int *jumbo, uint32_t *plen)
{
	size_t len = cur_len(&o), i, optlen;
	uint8_t t, l;
	uint32_t jl = 0;

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
		case 1:
			break;
		case 5:
			if (len - i < 4) { ln_str(x->out, "(rtalert: trunc)"); return -1; }
			if (l != 2) { ln_str(x->out, "(rtalert: invalid len "); ln_u32(x->out, l); ln_chr(x->out, ')'); return -1; }
			break;
		case 0xc2:
			if (len - i < 6) { ln_str(x->out, "(jumbo: trunc)"); return -1; }
			if (l != 4) { ln_str(x->out, "(jumbo: invalid len "); ln_u32(x->out, l); ln_chr(x->out, ')'); return -1; }
			{
				struct cursor j = o;
				cur_skip(&j, i + 2);
				cur_get_u32(&j, &jl);
			}
			if (!*jumbo && *plen == 0 && jl >= 65536) {
				*jumbo = 1;
				*plen = jl;
			}
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
static int print_ip6_ext(struct print_ctx *x, uint8_t nh, struct cursor at, uint16_t plen0,
			 uint32_t offset, int *jumbo, uint32_t *plen)
{
	uint8_t hl, type, segleft;
	uint16_t offlg;
	uint32_t n;
	struct cursor body;

	switch (nh) {
	case 0:
	case 60:
		x->proto = nh == 0 ? "hbhopt" : "dstopt";
		if (!cur_peek_u8(&at, 1, &hl))
			return -1;
		n = ((uint32_t)hl + 1) * 8;
		if (cur_len(&at) < n) {
			ln_str(x->out, " [|");
			ln_str(x->out, x->proto);
			ln_chr(x->out, ']');
			return 0;
		}
		ln_str(x->out, nh == 0 ? "HBH " : "DSTOPT ");
		if (nh == 60)
			return (int)n;
		body = at;
		cur_skip(&body, 2);
		cur_truncate(&body, n - 2);
		if (print_ip6_opts(x, body, jumbo, plen) < 0) {
			ln_str(x->out, " [|hbhopt]");
			return 0;
		}
		if (*plen == 0 && !*jumbo) {
			ln_str(x->out, "[No valid Jumbo Payload Hop-by-Hop option found] (invalid)");
			return 0;
		}
		return (int)n;
	case 44:
		x->proto = "frag6";
		if (!cur_peek_u16(&at, 2, &offlg))
			return -1;
		ln_str(x->out, "frag (");
		ln_u32(x->out, offlg & 0xfff8);
		ln_chr(x->out, '|');
		ln_u64(x->out, (uint64_t)40 + plen0 - offset - 8);
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
	uint16_t plen0;
	uint8_t nh, b0;
	uint32_t len, off = 0, adv = 40, plen;
	int found_ext = 0, jumbo = 0;

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
	cur_peek_u16(&c, 4, &plen0);
	plen = plen0;
	cur_peek_u8(&c, 6, &nh);
	if (plen != 0) {
		len = 40u + plen;
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
		off += adv;
		len -= adv;
		if (off == 40 && nh != 6 && nh != 17 && nh != 33 && nh != 132) {
			addr_pair(x, ip->src, ip->dst, 1);
			ln_str(x->out, ": ");
		}
		if (!is_ext(nh))
			break;
		cur_skip(&at, off);
		r = print_ip6_ext(x, nh, at, plen0, off, &jumbo, &plen);
		if (r < 0)
			return 0;
		if (r == 0)
			return 1;
		found_ext = 1;
		cur_peek_u8(&at, 0, &nh);
		adv = (uint32_t)r;
		x->proto = "ip6";
	}
	if (jumbo) {
		len = plen + 40;
		if (len < off)
			return 0;
		if (length < len) {
			ln_str(x->out, "truncated-ip6 - ");
			ln_u32(x->out, len - length);
			ln_str(x->out, " bytes missing!");
		}
		cur_truncate(&c, len);
		len -= off;
	} else if (plen == 0) {
		if (found_ext)
			return 0;
		cur_truncate(&c, 40);
		len = 0;
	}
	cur_skip(&c, off);
	return print_l4(x, c, len, found_ext);
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
