/* print.c: the timestamp, link and IP parts of a tcpdump -nn line, in tcpdump 4.99's order. */
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

/* HH:MM:SS for a new second, from localtime_r and strftime. */
static void hms_update(struct printer *pr, int64_t sec)
{
	time_t t = (time_t)sec;
	struct tm tm;

	pr->last_sec = sec;
	if (localtime_r(&t, &tm) == NULL) {
		pr->hms_ok = 0;
	} else {
		pr->hms_ok = 1;
		strftime(pr->hms, sizeof(pr->hms), "%H:%M:%S", &tm);
	}
}

/* The timestamp, when print_ts cannot take its short way. */
static void print_ts_checked(struct print_ctx *x)
{
	const struct packet *p = x->p;

	if (!x->pr->hms_ok) {
		ln_lit(x->out, "[Error converting time] ");
		return;
	}
	ln_str(x->out, x->pr->hms);
	ln_chr(x->out, '.');
	ln_u32_width(x->out, p->ts_frac, p->ts_nano ? 9 : 6);
	ln_chr(x->out, ' ');
}

/* HH:MM:SS.frac in local time, as strftime would; cached per second. */
void print_ts(struct print_ctx *x)
{
	struct printer *pr = x->pr;
	const struct packet *p = x->p;
	struct line *out = x->out;
	unsigned width = p->ts_nano ? 9 : 6;
	char *dst;

	if ((uint64_t)p->ts_sec & 0x80000000u || p->ts_sec < 0) {
		ln_lit(out, "[Error converting time] ");
		return;
	}
	if (p->ts_sec != pr->last_sec)
		hms_update(pr, p->ts_sec);
	/*
	 * The short way: "HH:MM:SS" is always 8 characters (hours, minutes and
	 * seconds of a struct tm have two digits each), and a fraction below one
	 * second has its full width.
	 */
	if (!pr->hms_ok || p->ts_frac >= (p->ts_nano ? 1000000000u : 1000000u) ||
	    !ln_room(out, 8 + 1 + LN_DIGITS_ROOM)) {
		print_ts_checked(x);
		return;
	}
	dst = out->buf + out->len;
	memcpy(dst, pr->hms, 8);
	dst[8] = '.';
	ln_put_digits(dst + 9, p->ts_frac, width);
	dst[9 + width] = ' ';
	out->len += 9 + width + 1;
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

/* ARP and RARP: tcpdump's ethertype printer hands both to arp_print(). */
static int is_arp(const struct link_info *l)
{
	return l->type != LINK_NULL && l->type != LINK_LOOP && (l->ethertype == 0x0806 || l->ethertype == 0x8035);
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

static void line_of(struct print_ctx *xp)
{
	struct print_ctx x = *xp;
	const struct packet *p = x.p;
	struct line *out = x.out;
	struct cursor c;
	uint32_t hdr_len = 0, length;
	int ok;

	if (invalid_header(&x))
		return;
	print_ts(&x);
	if (!print_link(&x, &hdr_len)) {
		xp->jumped = 1;
		ln_lit(out, " [|");
		ln_str(out, x.proto);
		ln_chr(out, ']');
		return;
	}
	if (p->link.status == DEC_NOT_IP && !is_arp(&p->link)) {
		print_not_ip(&x);
		return;
	}
	c = cur_make(p->data, p->caplen);
	cur_skip(&c, hdr_len);
	length = p->len - hdr_len;
	if (p->link.status == DEC_NOT_IP)
		ok = print_arp(&x, c, length);
	else
		ok = print_ip_by_link(&x, c, length);
	if (!ok) {
		xp->jumped = !x.soft_trunc;
		ln_lit(out, " [|");
		ln_str(out, x.proto);
		ln_chr(out, ']');
	}
}

void printer_line(struct printer *pr, const struct packet *p, struct line *out)
{
	struct print_ctx x = { pr, p, out, "", NULL, NULL, 0, 0 };
	line_of(&x);
	if (pr->flags & PRINT_DUMPS)
		print_dump(&x);
}

void printer_line_base(struct printer *pr, const struct packet *p, struct seq_val *base,
		       uint8_t *base_set, struct line *out)
{
	struct print_ctx x = { pr, p, out, "", base, base_set, 0, 0 };
	line_of(&x);
	if (pr->flags & PRINT_DUMPS)
		print_dump(&x);
}
