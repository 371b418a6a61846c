/* decode_int.h: what the decode module's files share (Ethernet types, the link and tunnel entry points). */
#ifndef SYNACK_DECODE_INT_H
#define SYNACK_DECODE_INT_H

#include "decode.h"

#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_IPV6 0x86dd
#define ETHERTYPE_ARP 0x0806
#define ETHERTYPE_8021Q 0x8100
#define ETHERTYPE_8021AD 0x88a8
#define ETHERTYPE_8021Q9100 0x9100
#define ETHERTYPE_8021Q9200 0x9200
#define ETHERTYPE_MPLS 0x8847
#define ETHERTYPE_MPLS_MULTI 0x8848
#define ETHERTYPE_PPPOE_DISC 0x8863
#define ETHERTYPE_PPPOE 0x8864
#define ETHERTYPE_TEB 0x6558     /* transparent Ethernet bridging */

static inline int dec_is_vlan_tpid(uint16_t t)
{
	return t == ETHERTYPE_8021Q || t == ETHERTYPE_8021AD ||
	       t == ETHERTYPE_8021Q9100 || t == ETHERTYPE_8021Q9200;
}

/* One VLAN tag (TCI, then the type it encloses); l->ethertype is its TPID. */
static inline int dec_vlan_tag(struct link_info *l, struct cursor *c)
{
	uint16_t tci, type;

	if (!cur_get_u16(c, &tci) || !cur_get_u16(c, &type))
		return 0;
	if (l->nvlan < DEC_MAX_VLAN) {
		l->vlan_tpid[l->nvlan] = l->ethertype;
		l->vlan_tci[l->nvlan] = tci;
	}
	if (l->nvlan < UINT8_MAX)
		l->nvlan++;
	l->hdr_len += 4;
	l->ethertype = type;
	return 1;
}

/* Ethernet: addresses, then any number of VLAN tags, then the type. */
static inline int dec_link_ethernet(struct link_info *l, struct cursor *c)
{
	if (!cur_skip(c, 12) || !cur_get_u16(c, &l->ethertype))
		return 0;
	l->hdr_len = 14;
	while (dec_is_vlan_tpid(l->ethertype))
		if (!dec_vlan_tag(l, c))
			return 0;
	return 1;
}

/* Through the tunnels (decode_tunnel.c), after decode_packet()'s k; returns p->l4. */
enum l4_kind dec_tunnels(struct packet *p, enum l4_kind k);

/* The link types of decode_link.c: 1 with l->ethertype set (0: not IP, p->undec says what), 0 cut short. */
int dec_link_other(struct packet *p, struct cursor *c, int linktype);

/* A PPP header (tcpdump's ppp_print): an optional FF 03, then the protocol, 1 byte when odd
 * (compressed), else 2. 0 when cut short (c unmoved). */
int dec_ppp_header(struct cursor *c, uint16_t *proto);
/* A PPP protocol number as the Ethernet type it carries, 0 for none we follow. */
uint16_t dec_ppp_ethertype(uint16_t proto);

static inline void dec_undec(struct packet *p, uint8_t why, uint16_t value)
{
	p->undec = why;
	p->undec_value = value;
}

#endif
