/* print.c: the timestamp, link and IP parts of a tcpdump -nn line, in tcpdump 4.99's order. */
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "print.h"
#include "printer.h"

#define MAXIMUM_SNAPLEN PRINT_MAX_SNAPLEN

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

/*
 * With -e, a cooked header's "[MAC ]ethertype NAME (0xNNNN), length N: ":
 * addr its link-layer address (8 bytes), type its protocol field.
 */
static void cooked_hdr(struct print_ctx *x, struct cursor addr, uint16_t halen, uint16_t type)
{
	uint8_t mac[6];

	if (halen == 6 && cur_copy(&addr, mac, 6)) {
		print_mac(x->out, mac);
		ln_chr(x->out, ' ');
	}
	if (type == 1) {
		ln_lit(x->out, "802.3");
	} else if (type == 4) {
		ln_lit(x->out, "802.2");
	} else {
		const char *n = type > 1500 ? print_ethertype_name(type) : NULL;
		uint8_t b[2] = { (uint8_t)(type >> 8), (uint8_t)type };
		ln_lit(x->out, "ethertype ");
		ln_str(x->out, n != NULL ? n : "Unknown");
		ln_lit(x->out, " (0x");
		ln_hexbytes(x->out, b, 2);
		ln_chr(x->out, ')');
	}
	ln_lit(x->out, ", length ");
	ln_u32(x->out, x->p->len);
	ln_lit(x->out, ": ");
}

/* 802.1Q tags after a cooked header: "ethertype <enclosed type>, " for each (-e: "vlan N, p P, " first). */
static int print_cooked_vlans(struct print_ctx *x, uint32_t *hdr_len)
{
	const struct link_info *l = &x->p->link;

	for (unsigned i = 0; i < l->nvlan; i++) {
		if ((x->flags & PRINT_LINK_HDR) && i < DEC_MAX_VLAN) {
			uint16_t tci = l->vlan_tci[i];
			ln_lit(x->out, "vlan ");
			ln_u32(x->out, tci & 0xfff);
			ln_lit(x->out, ", p ");
			ln_u32(x->out, tci >> 13);
			if (tci & 0x1000)
				ln_lit(x->out, ", DEI");
			ln_lit(x->out, ", ");
		}
		ln_lit(x->out, "ethertype ");
		ln_str(x->out, ethertype_name(i + 1u < l->nvlan ? 0x8100 : l->ethertype));
		ln_lit(x->out, ", ");
	}
	if (l->status == DEC_TRUNCATED) {
		x->proto = "vlan";
		return 0;
	}
	*hdr_len = l->hdr_len;
	return 1;
}

/* SLL with -e: "%3s " packet type, then the cooked header. */
static void sll_hdr(struct print_ctx *x)
{
	struct cursor c = cur_make(x->p->data, x->p->caplen), addr = c;
	uint16_t pkttype, halen, type;
	const char *n;

	print_at_u16(&c, 0, &pkttype);
	print_at_u16(&c, 4, &halen);
	print_at_u16(&c, 14, &type);
	n = pkttype <= 4 ? pkttype_name((uint8_t)pkttype) : "?";
	for (size_t w = strlen(n); w < 3; w++)
		ln_chr(x->out, ' ');
	ln_str(x->out, n);
	ln_chr(x->out, ' ');
	cur_skip(&addr, 6);
	cooked_hdr(x, addr, halen, type);
}

/* SLL2 with -e: "ifindex N ", then the cooked header. */
static void sll2_hdr(struct print_ctx *x)
{
	struct cursor c = cur_make(x->p->data, x->p->caplen), addr = c;
	uint32_t ifindex;
	uint16_t type;
	uint8_t halen;

	print_at_u16(&c, 0, &type);
	print_at_u32(&c, 4, &ifindex);
	print_at_u8(&c, 11, &halen);
	ln_lit(x->out, "ifindex ");
	ln_u32(x->out, ifindex);
	ln_chr(x->out, ' ');
	cur_skip(&addr, 12);
	cooked_hdr(x, addr, halen, type);
}

/* null/loop with -e: "AF NAME (N), length N: ". */
static void null_hdr(struct print_ctx *x)
{
	struct cursor c = cur_make(x->p->data, x->p->caplen);
	uint32_t af = 0;
	const char *n;

	if (x->p->link.type == LINK_LOOP) {
		cur_get_u32(&c, &af);
	} else {
		cur_get_u32le(&c, &af);
		if (af & 0xffff0000u)
			af = af >> 24 | (af >> 8 & 0xff00) | (af << 8 & 0xff0000) | af << 24;
	}
	switch (af) {
	case 2: n = "IPv4"; break;
	case 6: n = "NS"; break;
	case 7: n = "ISO"; break;
	case 16: n = "Appletalk"; break;
	case 23: n = "IPX"; break;
	case 24: case 28: case 30: n = "IPv6"; break;
	default: n = "Unknown"; break;
	}
	ln_lit(x->out, "AF ");
	ln_str(x->out, n);
	ln_lit(x->out, " (");
	ln_u32(x->out, af);
	ln_lit(x->out, "), length ");
	ln_u32(x->out, x->p->len);
	ln_lit(x->out, ": ");
}

/* The part of the line that only some link types print (SLL2: interface, direction). */
static int print_link(struct print_ctx *x, uint32_t *hdr_len)
{
	const struct packet *p = x->p;
	const struct link_info *l = &p->link;

	switch (l->type) {
	case LINK_SLL:
		x->proto = "sll";
		if (p->caplen < 16)
			return 0;
		if (x->flags & PRINT_LINK_HDR)
			sll_hdr(x);
		return print_cooked_vlans(x, hdr_len);
	case LINK_SLL2:
		x->proto = "sll2";
		if (p->caplen < 20)
			return 0;
		ln_str_pad(x->out, ifname_of(x->pr, l->ifindex), 5);
		ln_chr(x->out, ' ');
		ln_str_pad(x->out, pkttype_name(l->pkttype), 3);
		ln_chr(x->out, ' ');
		if (x->flags & PRINT_LINK_HDR)
			sll2_hdr(x);
		return print_cooked_vlans(x, hdr_len);
	case LINK_NULL:
	case LINK_LOOP:
		x->proto = "null";
		if (p->caplen < 4)
			return 0;
		if (x->flags & PRINT_LINK_HDR)
			null_hdr(x);
		break;
	default:
		x->proto = "raw";
		if (x->flags & PRINT_LINK_HDR)
			ln_lit(x->out, "ip: ");
		break;
	}
	*hdr_len = l->hdr_len;
	return 1;
}

static void print_not_ip(struct print_ctx *x)
{
	const struct packet *p = x->p;
	const struct link_info *l = &p->link;

	if (l->type == LINK_NULL || l->type == LINK_LOOP) {
		ln_lit(x->out, "not IP, length ");
		ln_u32(x->out, p->len);
		return;
	}
	switch (l->ethertype) {
	case 0x88cc: ln_lit(x->out, "LLDP"); break;
	default:
		if (l->ethertype <= 1500) {
			ln_lit(x->out, "802.3");
		} else {
			ln_lit(x->out, "ethertype 0x");
			ln_hex(x->out, l->ethertype);
		}
		break;
	}
	ln_lit(x->out, ", length ");
	ln_u32(x->out, p->len);
}

/* The link types whose header print_link() reads from the decoded packet. */
static int is_cooked_or_ip(int type)
{
	switch (type) {
	case LINK_SLL: case LINK_SLL2: case LINK_NULL: case LINK_LOOP:
	case LINK_RAW: case 14: case LINK_RAW_LT: case LINK_IPV4: case LINK_IPV6:
		return 1;
	}
	return 0;
}

static int invalid_header(struct print_ctx *x)
{
	const struct packet *p = x->p;
	int bad = 0;

	if (p->caplen == 0) {
		ln_lit(x->out, "[Invalid header: caplen==0");
		bad = 1;
	}
	if (p->len == 0 || p->len < p->caplen || p->caplen > MAXIMUM_SNAPLEN ||
	    p->len > MAXIMUM_SNAPLEN) {
		ln_str(x->out, bad ? "," : "[Invalid header:");
		if (p->len == 0) {
			ln_lit(x->out, " len==0");
		} else if (p->len < p->caplen) {
			ln_lit(x->out, " len(");
			ln_u32(x->out, p->len);
			ln_lit(x->out, ") < caplen(");
			ln_u32(x->out, p->caplen);
			ln_chr(x->out, ')');
		}
		bad = 1;
	}
	if (bad)
		ln_chr(x->out, ']');
	return bad;
}

static void trunc_mark(struct print_ctx *x)
{
	ln_lit(x->out, " [|");
	ln_str(x->out, x->proto);
	ln_chr(x->out, ']');
}

/* The line cut short: " [|proto]", and whether tcpdump got there by its longjmp (-x's dump then
 * starts at the link layer) or by a check that returns. */
static void truncated(struct print_ctx *xp, struct print_ctx *x)
{
	xp->jumped = !x->soft_trunc;
	trunc_mark(x);
}

static void line_of(struct print_ctx *xp)
{
	struct print_ctx x = *xp;
	const struct packet *p = x.p;
	struct cursor c = cur_make(p->data, p->caplen);
	uint32_t hdr_len = 0, length;
	int ok;

	if (invalid_header(&x))
		return;
	print_ts(&x);
	if (p->link.type == LINK_ETHERNET) {
		uint16_t type = 0;
		/* the common case straight to the IP printer: untagged IPv4 or IPv6 that the
		 * decoder took apart at this very place, and no -e */
		if (!(x.flags & PRINT_LINK_HDR) && cur_data(&p->ip.hdr) == p->data + 14 &&
		    print_at_u16(&c, 12, &type) && p->len >= 14 &&
		    ((type == 0x0800 && p->ip.version == 4) || (type == 0x86dd && p->ip.version == 6))) {
			cur_skip(&c, 14);
			if (!print_ip_decoded(&x, c, p->len - 14))
				truncated(xp, &x);
			return;
		}
		ok = print_ether(&x, c, p->len, 0);
		if (ok < 0)
			print_not_ip(&x);
		else if (!ok)
			truncated(xp, &x);
		return;
	}
	if (!is_cooked_or_ip(p->link.type)) {
		if (!print_link_other(&x, p->link.type, c, p->len))
			truncated(xp, &x);
		return;
	}
	if (!print_link(&x, &hdr_len)) {
		truncated(xp, &x);
		return;
	}
	cur_skip(&c, hdr_len);
	length = p->len - hdr_len;
	if (p->link.type == LINK_SLL || p->link.type == LINK_SLL2)
		ok = print_ethertype(&x, p->link.ethertype, c, length);
	else if (p->link.status == DEC_NOT_IP)
		ok = -1;
	else
		ok = print_ip_by_link(&x, c, length);
	if (ok < 0) {
		print_not_ip(&x);
	} else if (!ok) {
		truncated(xp, &x);
	}
}

void printer_line(struct printer *pr, const struct packet *p, struct line *out)
{
	struct print_ctx x = { pr, p, out, "", NULL, NULL, pr->flags, 0, 0, 0 };
	line_of(&x);
	if (pr->flags & PRINT_DUMPS)
		print_dump(&x);
}

void printer_line_base(struct printer *pr, const struct packet *p, struct seq_val *base,
		       uint8_t *base_set, struct line *out)
{
	struct print_ctx x = { pr, p, out, "", base, base_set, pr->flags, 0, 0, 0 };
	line_of(&x);
	if (pr->flags & PRINT_DUMPS)
		print_dump(&x);
}
