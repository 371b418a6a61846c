/* decode.c: link layers (Ethernet + VLAN tags, Linux cooked v1/v2, BSD null, raw IP). */
#include <string.h>

#include "decode_int.h"

int decode_link_supported(int linktype)
{
	switch (linktype) {
	case LINK_NULL: case LINK_LOOP: case LINK_ETHERNET: case LINK_RAW:
	case 14: case LINK_RAW_LT: case LINK_SLL: case LINK_SLL2:
	case LINK_IPV4: case LINK_IPV6:
	case LINK_PPP: case LINK_PPP_HDLC: case LINK_C_HDLC: case LINK_IPOIB:
	case LINK_ARCNET_BSD: case LINK_ARCNET_LINUX: case LINK_JUNIPER_ETHER:
	case LINK_IEEE802_11: case LINK_RADIOTAP: case LINK_ENC: case LINK_PFLOG:
		return 1;
	}
	return 0;
}

const char *decode_link_name(int linktype)
{
	switch (linktype) {
	case LINK_NULL: return "NULL";
	case LINK_LOOP: return "LOOP";
	case LINK_ETHERNET: return "EN10MB";
	case LINK_RAW: case 14: case LINK_RAW_LT: return "RAW";
	case LINK_SLL: return "LINUX_SLL";
	case LINK_SLL2: return "LINUX_SLL2";
	case LINK_IPV4: return "IPV4";
	case LINK_IPV6: return "IPV6";
	case LINK_PPP: return "PPP";
	case LINK_PPP_HDLC: return "PPP_HDLC";
	case LINK_C_HDLC: return "C_HDLC";
	case LINK_IPOIB: return "IPOIB";
	case LINK_ARCNET_BSD: return "ARCNET_BSD";
	case LINK_ARCNET_LINUX: return "ARCNET_LINUX";
	case LINK_JUNIPER_ETHER: return "JUNIPER_ETHER";
	case LINK_IEEE802_11: return "IEEE802_11";
	case LINK_RADIOTAP: return "IEEE802_11_RADIO";
	case LINK_ENC: return "ENC";
	case LINK_PFLOG: return "PFLOG";
	}
	return "unknown";
}

/*
 * After a cooked header: hatype 803 is radiotap, not IP; only 802.1Q tags
 * (0x8100) are followed, and an enclosed length (<= 1500) means 802.2 LLC.
 */
static int link_cooked_payload(struct link_info *l, struct cursor *c, uint16_t hatype)
{
	if (hatype == 803) {
		l->ethertype = 0;
		return 1;
	}
	while (l->ethertype == ETHERTYPE_8021Q) {
		if (!dec_vlan_tag(l, c))
			return 0;
		if (l->ethertype <= 1500)
			l->ethertype = 4;
	}
	return 1;
}

/* Linux cooked v1: pkttype(2) hatype(2) halen(2) addr(8) protocol(2). */
static int link_sll(struct link_info *l, struct cursor *c)
{
	uint16_t pkttype, hatype;

	if (!cur_get_u16(c, &pkttype) || !cur_get_u16(c, &hatype) || !cur_skip(c, 10) ||
	    !cur_get_u16(c, &l->ethertype))
		return 0;
	l->has_pkttype = 1;
	l->pkttype = (uint8_t)(pkttype > 255 ? 255 : pkttype);
	l->hdr_len = 16;
	return link_cooked_payload(l, c, hatype);
}

/* Linux cooked v2: protocol(2) reserved(2) ifindex(4) hatype(2) pkttype(1) halen(1) addr(8). */
static int link_sll2(struct link_info *l, struct cursor *c)
{
	uint16_t type, hatype;
	uint32_t ifindex;
	uint8_t pkttype;

	if (!cur_get_u16(c, &type) || !cur_skip(c, 2) || !cur_get_u32(c, &ifindex) ||
	    !cur_get_u16(c, &hatype) || !cur_get_u8(c, &pkttype) || !cur_skip(c, 9))
		return 0;
	l->ethertype = type;
	l->has_ifindex = 1;
	l->ifindex = ifindex;
	l->has_pkttype = 1;
	l->pkttype = pkttype;
	l->hdr_len = 20;
	return link_cooked_payload(l, c, hatype);
}

/* BSD loopback: a 4-byte address family, host order of the capturing machine. */
static int link_null(struct link_info *l, struct cursor *c, int network_order)
{
	uint32_t family;

	if (!(network_order ? cur_get_u32(c, &family) : cur_get_u32le(c, &family)))
		return 0;
	if ((family & 0xffff0000u) != 0)
		family = (family >> 24) | ((family >> 8) & 0xff00) |
			 ((family << 8) & 0xff0000) | (family << 24);
	l->hdr_len = 4;
	if (family == 2)
		l->ethertype = ETHERTYPE_IPV4;
	else if (family == 24 || family == 28 || family == 30)
		l->ethertype = ETHERTYPE_IPV6;
	else
		l->ethertype = 0;
	return 1;
}

/* Raw IP: the version nibble says which. */
static int link_raw(struct link_info *l, struct cursor *c)
{
	uint8_t v;

	l->hdr_len = 0;
	if (!cur_peek_u8(c, 0, &v))
		return 0;
	l->ethertype = (v >> 4) == 6 ? ETHERTYPE_IPV6 : ETHERTYPE_IPV4;
	return 1;
}

/* The link layer and the outermost IP: inline in decode_packet() and decode_packet_inner(). */
static inline enum l4_kind decode_outer(struct packet *p, int linktype)
{
	struct cursor c = cur_make(p->data, p->caplen);
	struct link_info *l = &p->link;
	int ok;

	/* Field by field rather than memset: this runs for every packet. The VLAN
	 * arrays are defined up to nvlan, which is all anyone reads of them. */
	l->type = linktype;
	l->status = DEC_OK;
	l->ethertype = 0;
	l->nvlan = 0;
	l->has_pkttype = l->pkttype = l->has_ifindex = 0;
	l->ifindex = 0;
	l->hdr_len = 0;
	p->l4 = L4_NONE;
	p->nencap = 0;
	p->undec = 0;

	switch (linktype) {
	case LINK_ETHERNET: ok = dec_link_ethernet(l, &c); break;
	case LINK_SLL: ok = link_sll(l, &c); break;
	case LINK_SLL2: ok = link_sll2(l, &c); break;
	case LINK_NULL: ok = link_null(l, &c, 0); break;
	case LINK_LOOP: ok = link_null(l, &c, 1); break;
	case LINK_RAW: case 14: case LINK_RAW_LT: ok = link_raw(l, &c); break;
	case LINK_IPV4: l->ethertype = ETHERTYPE_IPV4; ok = 1; break;
	case LINK_IPV6: l->ethertype = ETHERTYPE_IPV6; ok = 1; break;
	default: ok = dec_link_other(p, &c, linktype); break;
	}
	if (!ok || (l->ethertype != ETHERTYPE_IPV4 && l->ethertype != ETHERTYPE_IPV6)) {
		l->status = ok ? DEC_NOT_IP : DEC_TRUNCATED;
		memset(&p->ip, 0, sizeof(p->ip));   /* no IP layer: version 0 */
		return L4_NONE;
	}
	decode_ip(p, c, p->len > l->hdr_len ? p->len - l->hdr_len : 0);
	return p->l4;
}

enum l4_kind decode_packet(struct packet *p, int linktype)
{
	return decode_outer(p, linktype);
}

enum l4_kind decode_packet_inner(struct packet *p, int linktype)
{
	enum l4_kind k = decode_outer(p, linktype);

	if (k == L4_TCP)
		return k;             /* the plain path: nothing inside TCP */
	return dec_tunnels(p, k);
}
