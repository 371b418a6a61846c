/* decode_l4.c: TCP (every option), UDP, and ICMP/ICMPv6 errors with their quoted headers. */
#include <string.h>

#include "decode.h"

void decode_tcp_options(struct cursor c, struct tcp_options *o)
{
	uint8_t kind, len;
	struct cursor d;

	memset(o, 0, sizeof(*o));
	while (cur_get_u8(&c, &kind)) {
		if (kind == 0)
			break;
		if (kind == 1)
			continue;
		if (!cur_get_u8(&c, &len) || len < 2 || !cur_get_bytes(&c, &d, len - 2u)) {
			o->malformed = 1;
			break;
		}
		switch (kind) {
		case 2:
			o->has_mss = cur_get_u16(&d, &o->mss);
			break;
		case 3:
			o->has_wscale = cur_get_u8(&d, &o->wscale);
			break;
		case 4:
			o->sack_ok = 1;
			break;
		case 5:
			while (o->nsack < DEC_MAX_SACK && cur_get_u32(&d, &o->sack[o->nsack][0]) &&
			       cur_get_u32(&d, &o->sack[o->nsack][1]))
				o->nsack++;
			break;
		case 8:
			o->has_ts = cur_get_u32(&d, &o->ts_val) && cur_get_u32(&d, &o->ts_ecr);
			break;
		case 30:
			o->has_mptcp = 1;
			break;
		case 34:
			o->has_tfo = 1;
			break;
		}
	}
}

/* A fixed header the capture cut short (under 20 bytes): the fields before the cut are still set. */
static void tcp_cut(struct tcp_info *t, struct cursor h)
{
	uint8_t off, flags;

	(void)(cur_get_u16(&h, &t->sport) && cur_get_u16(&h, &t->dport) &&
	       cur_get_u32(&h, &t->seq) && cur_get_u32(&h, &t->ack) &&
	       cur_get_u8(&h, &off) && cur_get_u8(&h, &flags) &&
	       cur_get_u16(&h, &t->win) && cur_get_u16(&h, &t->sum));
	t->status = DEC_TRUNCATED;
}

/* Every field of p->u.tcp is set, field by field rather than by memset: this runs for every packet. */
void decode_tcp(struct packet *p, struct cursor c, uint32_t len)
{
	struct tcp_info *t = &p->u.tcp;
	struct cursor h = c, fixed;
	uint8_t off, flags;

	p->l4 = L4_TCP;
	if (!cur_get_bytes(&h, &fixed, 20)) {
		memset(t, 0, sizeof(*t));
		t->hdr = c;
		tcp_cut(t, c);
		return;
	}
	t->status = DEC_OK;
	t->hdr = c;
	/* Reads from a block of exactly 20 bytes cannot fail, and the compiler drops
	 * their length checks. */
	cur_get_u16(&fixed, &t->sport);
	cur_get_u16(&fixed, &t->dport);
	cur_get_u32(&fixed, &t->seq);
	cur_get_u32(&fixed, &t->ack);
	cur_get_u8(&fixed, &off);
	cur_get_u8(&fixed, &flags);
	cur_get_u16(&fixed, &t->win);
	cur_get_u16(&fixed, &t->sum);
	cur_get_u16(&fixed, &t->urp);
	t->hdr_len = (uint32_t)(off >> 4) * 4;
	t->ae = off & 1;
	t->flags = flags;
	t->payload = cur_make(NULL, 0);
	if (t->hdr_len < 20 || t->hdr_len > len) {
		t->status = DEC_INVALID;
		t->opts = cur_make(NULL, 0);
		t->payload_len = 0;
		return;
	}
	t->payload_len = len - t->hdr_len;
	/* The options, or as much of them as was captured (then the header is cut). */
	if (!cur_get_bytes(&h, &t->opts, t->hdr_len - 20)) {
		t->opts = h;
		t->status = DEC_TRUNCATED;
		return;
	}
	t->payload = h;
}

void decode_udp(struct packet *p, struct cursor c, uint32_t len)
{
	struct udp_info *u = &p->u.udp;

	memset(u, 0, sizeof(*u));
	p->l4 = L4_UDP;
	if (!cur_get_u16(&c, &u->sport) || !cur_get_u16(&c, &u->dport) ||
	    !cur_get_u16(&c, &u->len) || !cur_skip(&c, 2)) {
		u->status = DEC_TRUNCATED;
		return;
	}
	if (len < 8) {
		u->status = DEC_INVALID;
		return;
	}
	u->payload = c;
	u->payload_len = len - 8;
}

static int icmp_is_error(uint8_t type, int v6)
{
	if (v6)
		return type >= 1 && type <= 4;
	return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
}

/* The packet an ICMP error quotes: its IP header and the first 8 transport bytes. */
static void icmp_quoted(struct icmp_info *ic, struct cursor c)
{
	uint8_t vhl, v, proto;
	uint16_t frag;
	struct cursor l4;

	if (!cur_peek_u8(&c, 0, &vhl))
		return;
	v = vhl >> 4;
	if (v == 4) {
		struct cursor h = c;
		if (!cur_skip(&h, 6) || !cur_get_u16(&h, &frag) || !cur_skip(&h, 1) || !cur_get_u8(&h, &proto) ||
		    !cur_skip(&h, 2) || !cur_copy(&h, ic->quoted_src, 4) || !cur_copy(&h, ic->quoted_dst, 4))
			return;
		l4 = c;
		/* a later fragment's first bytes are payload, not ports */
		if ((frag & 0x1fff) != 0 || !cur_skip(&l4, (size_t)(vhl & 0x0f) * 4))
			l4 = cur_make(NULL, 0);
	} else if (v == 6) {
		struct cursor h = c;
		if (!cur_skip(&h, 6) || !cur_get_u8(&h, &proto) || !cur_skip(&h, 1) ||
		    !cur_copy(&h, ic->quoted_src, 16) || !cur_copy(&h, ic->quoted_dst, 16))
			return;
		l4 = h;
	} else {
		return;
	}
	ic->quoted_version = v;
	ic->quoted_proto = proto;
	if (proto == 6 || proto == 17) {
		ic->quoted_has_ports = cur_get_u16(&l4, &ic->quoted_sport) &&
				       cur_get_u16(&l4, &ic->quoted_dport);
		if (ic->quoted_has_ports && proto == 6)
			ic->quoted_has_seq = cur_get_u32(&l4, &ic->quoted_seq);
	}
}

void decode_icmp(struct packet *p, struct cursor c, uint32_t len, int v6)
{
	struct icmp_info *ic = &p->u.icmp;

	memset(ic, 0, sizeof(*ic));
	p->l4 = v6 ? L4_ICMP6 : L4_ICMP;
	ic->len = len;
	if (!cur_get_u8(&c, &ic->type) || !cur_get_u8(&c, &ic->code) ||
	    !cur_skip(&c, 2) || !cur_get_u32(&c, &ic->rest)) {
		ic->status = DEC_TRUNCATED;
		return;
	}
	ic->is_error = (uint8_t)icmp_is_error(ic->type, v6);
	if (ic->is_error)
		icmp_quoted(ic, c);
}
