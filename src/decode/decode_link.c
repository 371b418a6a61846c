/* decode_link.c: the less common link types (PPP, HDLC, IPoIB, ARCnet, Juniper, 802.11 and radiotap, enc, pflog). */
#include "decode_int.h"

#define PPP_ADDRESS 0xff
#define PPP_CONTROL 0x03

uint16_t dec_ppp_ethertype(uint16_t proto)
{
	switch (proto) {
	case 0x0021: case ETHERTYPE_IPV4: return ETHERTYPE_IPV4;
	case 0x0057: case ETHERTYPE_IPV6: return ETHERTYPE_IPV6;
	case 0x0281: return ETHERTYPE_MPLS;
	case 0x0283: return ETHERTYPE_MPLS_MULTI;
	}
	return 0;
}

int dec_ppp_header(struct cursor *c, uint16_t *proto)
{
	uint8_t a, k;
	struct cursor h = *c;

	if (cur_peek_u8(&h, 0, &a) && cur_peek_u8(&h, 1, &k) && a == PPP_ADDRESS && k == PPP_CONTROL)
		cur_skip(&h, 2);
	if (!cur_peek_u8(&h, 0, &a))
		return 0;
	if (a & 1) {
		*proto = a;
		cur_skip(&h, 1);
	} else if (!cur_get_u16(&h, proto)) {
		return 0;
	}
	*c = h;
	return 1;
}

/* PPP (9): an optional FF 03 address and control, then the protocol. */
static int link_ppp(struct packet *p, struct cursor *c)
{
	uint16_t proto;
	size_t before = cur_len(c);

	if (!dec_ppp_header(c, &proto))
		return 0;
	p->link.hdr_len = (uint32_t)(before - cur_len(c));
	p->link.ethertype = dec_ppp_ethertype(proto);
	if (p->link.ethertype == 0)
		dec_undec(p, UNDEC_PPP_PROTO, proto);
	return 1;
}

/* Cisco HDLC: address, control, a 2-byte Ethernet type. */
static int link_chdlc(struct packet *p, struct cursor *c)
{
	uint16_t proto;

	if (!cur_skip(c, 2) || !cur_get_u16(c, &proto))
		return 0;
	p->link.hdr_len = 4;
	if (proto == ETHERTYPE_IPV4 || proto == ETHERTYPE_IPV6 || proto == ETHERTYPE_MPLS ||
	    proto == ETHERTYPE_MPLS_MULTI)
		p->link.ethertype = proto;
	else
		dec_undec(p, UNDEC_CHDLC_PROTO, proto);
	return 1;
}

/* PPP in HDLC framing (50): FF 03 and a 2-byte protocol, or Cisco HDLC (0x0f, 0x8f), as tcpdump tells them. */
static int link_ppp_hdlc(struct packet *p, struct cursor *c)
{
	uint8_t a;
	uint16_t proto;

	if (!cur_peek_u8(c, 0, &a))
		return 0;
	if (a == 0x0f || a == 0x8f)
		return link_chdlc(p, c);
	if (a != PPP_ADDRESS) {
		dec_undec(p, UNDEC_PPP_PROTO, a);
		return 1;
	}
	if (!cur_skip(c, 2) || !cur_get_u16(c, &proto))
		return 0;
	p->link.hdr_len = 4;
	p->link.ethertype = dec_ppp_ethertype(proto);
	if (p->link.ethertype == 0)
		dec_undec(p, UNDEC_PPP_PROTO, proto);
	return 1;
}

/* IP over InfiniBand (242): 40 bytes of addresses, the Ethernet type, 2 reserved (tcpdump's 44-byte header). */
static int link_ipoib(struct packet *p, struct cursor *c)
{
	if (!cur_skip(c, 40) || !cur_get_u16(c, &p->link.ethertype) || !cur_skip(c, 2))
		return 0;
	p->link.hdr_len = 44;
	return 1;
}

#define ARCTYPE_IP_OLD 240
#define ARCTYPE_ARP_OLD 241
#define ARCTYPE_IP 212
#define ARCTYPE_INET6 0xc4
#define ARCTYPE_DIAGNOSE 0x80

/*
 * ARCnet (7, BSD): source, destination, type, then for the RFC 1201 types a
 * split flag and sequence id (flag 0xff: an exception frame, 4 bytes more).
 * Linux (129): an offset after the addresses; the split fields without exceptions.
 * A middle fragment carries no header of its own.
 */
static int link_arcnet(struct packet *p, struct cursor *c, int linux_style)
{
	uint8_t type, flag;
	size_t before = cur_len(c);
	int old;

	if (!cur_skip(c, linux_style ? 4 : 2) || !cur_get_u8(c, &type))
		return 0;
	old = type == ARCTYPE_IP_OLD || type == ARCTYPE_ARP_OLD || type == ARCTYPE_DIAGNOSE;
	if (!old) {
		if (!cur_get_u8(c, &flag) || !cur_skip(c, 2))
			return 0;
		if (!linux_style && flag == 0xff && (!cur_skip(c, 1) || !cur_get_u8(c, &flag) || !cur_skip(c, 2)))
			return 0;
		if (!linux_style && flag != 0 && (flag & 1) == 0) {
			dec_undec(p, UNDEC_ARCNET_TYPE, type);   /* a middle fragment */
			return 1;
		}
	}
	p->link.hdr_len = (uint32_t)(before - cur_len(c));
	if (type == ARCTYPE_IP || type == ARCTYPE_IP_OLD)
		p->link.ethertype = ETHERTYPE_IPV4;
	else if (type == ARCTYPE_INET6)
		p->link.ethertype = ETHERTYPE_IPV6;
	else
		dec_undec(p, UNDEC_ARCNET_TYPE, type);
	return 1;
}

#define JUNIPER_BPF_NO_L2 0x02
#define JUNIPER_BPF_EXT 0x80

/* Juniper Ethernet (178): "MGC", flags, extension TLVs (2-byte length) when flagged, then Ethernet
 * (or IP, by its version, when flagged as without a layer 2 header). */
static int link_juniper_ether(struct packet *p, struct cursor *c)
{
	uint32_t magic;
	uint8_t flags, v;
	uint16_t ext = 0;
	struct link_info *l = &p->link;

	if (!cur_get_u24(c, &magic) || !cur_get_u8(c, &flags))
		return 0;
	if (magic != 0x4d4743) {
		dec_undec(p, UNDEC_JUNIPER, 0);
		return 1;
	}
	if ((flags & JUNIPER_BPF_EXT) && (!cur_get_u16(c, &ext) || !cur_skip(c, ext)))
		return 0;
	if (flags & JUNIPER_BPF_NO_L2) {
		if (!cur_peek_u8(c, 0, &v))
			return 0;
		l->hdr_len = 4 + (flags & JUNIPER_BPF_EXT ? 2u + ext : 0u);
		l->ethertype = (v >> 4) == 6 ? ETHERTYPE_IPV6 : (v >> 4) == 4 ? ETHERTYPE_IPV4 : 0;
		return 1;
	}
	if (!dec_link_ethernet(l, c))
		return 0;
	l->hdr_len += 4 + (flags & JUNIPER_BPF_EXT ? 2u + ext : 0u);
	return 1;
}

/* 802.2 LLC with a SNAP header (AA AA 03, OUI 000000 or 0000f8): the Ethernet type. */
static int llc_snap(struct packet *p, struct cursor *c)
{
	uint8_t dsap, ssap, ctl;
	uint32_t oui;
	uint16_t type;

	if (!cur_get_u8(c, &dsap) || !cur_get_u8(c, &ssap) || !cur_get_u8(c, &ctl))
		return 0;
	if (dsap != 0xaa || ssap != 0xaa || ctl != 0x03) {
		dec_undec(p, UNDEC_LLC, dsap);
		return 1;
	}
	if (!cur_get_u24(c, &oui) || !cur_get_u16(c, &type))
		return 0;
	if (oui != 0 && oui != 0xf8) {
		dec_undec(p, UNDEC_LLC, dsap);
		return 1;
	}
	p->link.ethertype = type;
	p->link.hdr_len += 8;
	return 1;
}

/*
 * An 802.11 frame: data frames with a body, unprotected, carry LLC/SNAP;
 * management, control, protected and null-data frames are not IP. pad: the
 * radiotap "data pad" flag, the body starts on a 4-byte boundary.
 */
static int link_80211(struct packet *p, struct cursor *c, int pad)
{
	uint8_t fc0, fc1, type, subtype;
	size_t hdr = 24;

	if (!cur_get_u8(c, &fc0) || !cur_get_u8(c, &fc1))
		return 0;
	type = (fc0 >> 2) & 3;
	subtype = fc0 >> 4;
	if (type != 2) {
		dec_undec(p, type == 0 ? UNDEC_80211_MGMT : UNDEC_80211_CTRL, type);
		return 1;
	}
	if (subtype & 4) {
		dec_undec(p, UNDEC_80211_NODATA, subtype);
		return 1;
	}
	if (fc1 & 0x40) {
		dec_undec(p, UNDEC_80211_PROTECTED, 0);
		return 1;
	}
	if ((fc1 & 3) == 3)
		hdr += 6;                 /* a fourth address */
	if (subtype & 8) {
		hdr += 2;                 /* QoS control */
		if (fc1 & 0x80)
			hdr += 4;         /* HT control */
	}
	if (pad)
		hdr = (hdr + 3) & ~(size_t)3;
	if (!cur_skip(c, hdr - 2))
		return 0;
	p->link.hdr_len += (uint32_t)hdr;
	return llc_snap(p, c);
}

/* Radiotap (127): skip its length; its flags say whether the 802.11 header is padded. */
static int link_radiotap(struct packet *p, struct cursor *c)
{
	struct cursor h = *c, rt, f;
	uint8_t lo, hi, flags = 0;
	uint16_t len;
	uint32_t present, word;
	size_t off;

	if (!cur_skip(&h, 2) || !cur_get_u8(&h, &lo) || !cur_get_u8(&h, &hi))
		return 0;
	len = (uint16_t)(lo | hi << 8);
	if (len < 8 || !cur_get_bytes(c, &rt, len))
		return 0;
	f = rt;
	if (!cur_skip(&f, 4) || !cur_get_u32le(&f, &present))
		return 0;
	off = 8;
	for (word = present; word & 0x80000000u; off += 4)   /* more presence words */
		if (!cur_get_u32le(&f, &word))
			return 0;
	if (present & 2) {            /* Flags: after TSFT (8 bytes, 8-aligned) if present */
		if (present & 1)
			off = ((off + 7) & ~(size_t)7) + 8;
		f = rt;
		if (!cur_skip(&f, off) || !cur_get_u8(&f, &flags))
			return 0;
	}
	p->link.hdr_len = len;
	return link_80211(p, c, (flags & 0x20) != 0);
}

/* An address family (BSD numbers) as an Ethernet type. */
static int family_ethertype(struct packet *p, uint32_t family)
{
	if (family == 2)
		return ETHERTYPE_IPV4;
	if (family == 24 || family == 28 || family == 30)
		return ETHERTYPE_IPV6;
	dec_undec(p, UNDEC_LINK_FAMILY, (uint16_t)family);
	return 0;
}

/* OpenBSD enc(4) (109): family, SPI, flags, 4 bytes each, host order. */
static int link_enc(struct packet *p, struct cursor *c)
{
	uint32_t family;

	if (!cur_get_u32le(c, &family) || !cur_skip(c, 8))
		return 0;
	if (family & 0xffff0000u)     /* written on a big-endian machine */
		family = (family >> 24) | ((family >> 8) & 0xff00) | ((family << 8) & 0xff0000) | (family << 24);
	p->link.hdr_len = 12;
	p->link.ethertype = (uint16_t)family_ethertype(p, family);
	return 1;
}

/* pflog (117): its length (padded to 4) in the first byte, the family in the second. */
static int link_pflog(struct packet *p, struct cursor *c)
{
	uint8_t len, af;

	if (!cur_get_u8(c, &len) || !cur_get_u8(c, &af) || len < 4)
		return 0;
	p->link.hdr_len = ((uint32_t)len + 3) & ~3u;
	if (!cur_skip(c, p->link.hdr_len - 2))
		return 0;
	p->link.ethertype = (uint16_t)family_ethertype(p, af);
	return 1;
}

int dec_link_other(struct packet *p, struct cursor *c, int linktype)
{
	switch (linktype) {
	case LINK_PPP: return link_ppp(p, c);
	case LINK_PPP_HDLC: return link_ppp_hdlc(p, c);
	case LINK_C_HDLC: return link_chdlc(p, c);
	case LINK_IPOIB: return link_ipoib(p, c);
	case LINK_ARCNET_BSD: return link_arcnet(p, c, 0);
	case LINK_ARCNET_LINUX: return link_arcnet(p, c, 1);
	case LINK_JUNIPER_ETHER: return link_juniper_ether(p, c);
	case LINK_IEEE802_11: return link_80211(p, c, 0);
	case LINK_RADIOTAP: return link_radiotap(p, c);
	case LINK_ENC: return link_enc(p, c);
	case LINK_PFLOG: return link_pflog(p, c);
	}
	return 1;                     /* not IP: ethertype 0 */
}
