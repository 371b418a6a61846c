/* decode_tunnel.c: through tunnels (VXLAN, GENEVE, GRE with ERSPAN and WCCP, MPLS, IP in IP, PPPoE) to the innermost IP packet. */
#include <stdio.h>
#include <string.h>

#include "decode_int.h"

#define VXLAN_PORT 4789
#define GENEVE_PORT 6081
#define IPPROTO_IPIP_ 4
#define IPPROTO_IPV6_ 41
#define IPPROTO_GRE_ 47

#define GRE_CP 0x8000             /* checksum present */
#define GRE_RP 0x4000             /* routing present */
#define GRE_KP 0x2000             /* key present */
#define GRE_SP 0x1000             /* sequence number present */
#define GRE_VERSION 0x0007
#define GRE_ERSPAN 0x88be         /* types I and II */
#define GRE_ERSPAN3 0x22eb
#define GRE_WCCP 0x883e

/* Where the walk is: the encapsulations around the IP packet p->ip holds now. */
struct tun {
	struct packet *p;
	uint8_t at_ip;            /* p->nencap when p->ip was last decoded */
};

static void tun_next(struct tun *t);
static void tun_ethertype(struct tun *t, uint16_t type, struct cursor c, uint32_t len);

/* Decoding stops here: what was reached stands, without the encapsulations pushed after it. */
static void tun_stop(struct tun *t, uint8_t why, uint16_t value)
{
	dec_undec(t->p, why, value);
	t->p->nencap = t->at_ip;
}

/* A header cut short or invalid, of the kind being read. */
static void tun_cut(struct tun *t, uint8_t kind)
{
	tun_stop(t, UNDEC_CUT, kind);
}

/*
 * One more encapsulation around what follows, its outer addresses those of
 * p->ip when outer_ip; NULL past DEC_MAX_ENCAP: then the packet is not analyzed.
 */
static struct encap *tun_push(struct tun *t, uint8_t kind, int outer_ip)
{
	struct packet *p = t->p;
	struct encap *e;

	if (p->nencap >= DEC_MAX_ENCAP) {
		tun_stop(t, UNDEC_TOO_DEEP, kind);
		p->l4 = L4_NONE;
		return NULL;
	}
	e = &p->encap[p->nencap++];
	e->kind = kind;
	e->has_id = 0;
	e->sub = 0;
	e->id = 0;
	e->outer_version = outer_ip ? p->ip.version : 0;
	if (outer_ip) {
		memcpy(e->outer_src, p->ip.src, sizeof e->outer_src);
		memcpy(e->outer_dst, p->ip.dst, sizeof e->outer_dst);
	}
	return e;
}

/* An IP packet inside: decoded into p, then looked into in turn. */
static void tun_ip(struct tun *t, struct cursor c, uint32_t len)
{
	decode_ip(t->p, c, len);
	tun_next(t);
}

/* An Ethernet frame inside (VXLAN, GENEVE, GRE's bridging, ERSPAN, pseudowires): VLAN tags, then the type. */
static void tun_ether(struct tun *t, struct cursor c, uint32_t len)
{
	size_t before = cur_len(&c), hdr;
	uint16_t type;

	if (!cur_skip(&c, 12) || !cur_get_u16(&c, &type)) {
		tun_cut(t, t->p->encap[t->p->nencap - 1].kind);
		return;
	}
	while (dec_is_vlan_tpid(type))
		if (!cur_skip(&c, 2) || !cur_get_u16(&c, &type)) {
			tun_cut(t, t->p->encap[t->p->nencap - 1].kind);
			return;
		}
	hdr = before - cur_len(&c);
	tun_ethertype(t, type, c, len > hdr ? len - (uint32_t)hdr : 0);
}

/*
 * An MPLS label stack to its bottom, then what tcpdump finds there by the
 * first nibble: IPv4, IPv6, or (0) a pseudowire control word and an Ethernet frame.
 */
static void tun_mpls(struct tun *t, struct cursor c, uint32_t len)
{
	uint32_t entry = 0, top = 0;
	uint8_t n = 0, first;
	struct encap *e;

	do {
		if (len < 4 || !cur_get_u32(&c, &entry)) {
			tun_cut(t, ENCAP_MPLS);
			return;
		}
		len -= 4;
		if (n == 0)
			top = entry >> 12;
		if (n < UINT8_MAX)
			n++;
	} while (!(entry & 0x100));
	if (!cur_peek_u8(&c, 0, &first)) {
		tun_cut(t, ENCAP_MPLS);
		return;
	}
	if ((first >> 4) != 4 && (first >> 4) != 6 && (first >> 4) != 0) {
		tun_stop(t, UNDEC_MPLS, first);
		return;
	}
	if ((e = tun_push(t, ENCAP_MPLS, 0)) == NULL)
		return;
	e->has_id = 1;
	e->id = top;
	e->sub = n;
	if ((first >> 4) != 0) {
		tun_ip(t, c, len);
	} else if (len < 4 || !cur_skip(&c, 4)) {
		tun_cut(t, ENCAP_MPLS);
	} else {
		tun_ether(t, c, len - 4);
	}
}

/* A PPPoE session (RFC 2516): version/type, code 0, session id, length, then PPP. */
static void tun_pppoe(struct tun *t, struct cursor c, uint32_t len)
{
	uint8_t vt, code;
	uint16_t sid, plen, proto, type;
	uint32_t used;
	size_t before;
	struct encap *e;

	if (!cur_get_u8(&c, &vt) || !cur_get_u8(&c, &code) || !cur_get_u16(&c, &sid) ||
	    !cur_get_u16(&c, &plen) || len < 6) {
		tun_cut(t, ENCAP_PPPOE);
		return;
	}
	if (code != 0) {
		tun_stop(t, UNDEC_PPPOE_CODE, code);
		return;
	}
	len -= 6;
	if (plen < len)
		len = plen;
	cur_truncate(&c, len);
	before = cur_len(&c);
	if (!dec_ppp_header(&c, &proto)) {
		tun_cut(t, ENCAP_PPPOE);
		return;
	}
	if ((type = dec_ppp_ethertype(proto)) == 0) {
		tun_stop(t, UNDEC_PPP_PROTO, proto);
		return;
	}
	if ((e = tun_push(t, ENCAP_PPPOE, 0)) == NULL)
		return;
	e->has_id = 1;
	e->id = sid;
	used = (uint32_t)(before - cur_len(&c));
	tun_ethertype(t, type, c, len > used ? len - used : 0);
}

static void tun_ethertype(struct tun *t, uint16_t type, struct cursor c, uint32_t len)
{
	switch (type) {
	case ETHERTYPE_IPV4: case ETHERTYPE_IPV6:
		tun_ip(t, c, len);
		break;
	case ETHERTYPE_MPLS: case ETHERTYPE_MPLS_MULTI:
		tun_mpls(t, c, len);
		break;
	case ETHERTYPE_PPPOE:
		tun_pppoe(t, c, len);
		break;
	default:
		tun_stop(t, UNDEC_ETHERTYPE, type);
		break;
	}
}

/* VXLAN (RFC 7348): flags, 3 reserved, the VNI, 1 reserved; then Ethernet (tcpdump reads no flag). */
static void tun_vxlan(struct tun *t, struct cursor c, uint32_t len)
{
	uint32_t vni;
	struct encap *e;

	if (len < 8 || !cur_skip(&c, 4) || !cur_get_u24(&c, &vni) || !cur_skip(&c, 1)) {
		tun_cut(t, ENCAP_VXLAN);
		return;
	}
	if ((e = tun_push(t, ENCAP_VXLAN, 1)) == NULL)
		return;
	e->has_id = 1;
	e->id = vni;
	tun_ether(t, c, len - 8);
}

/* GENEVE (RFC 8926): version 0, options (skipped), the protocol type, the VNI. */
static void tun_geneve(struct tun *t, struct cursor c, uint32_t len)
{
	uint8_t vo, flags;
	uint16_t proto;
	uint32_t vni, hdr;
	struct encap *e;

	if (!cur_get_u8(&c, &vo) || !cur_get_u8(&c, &flags) || !cur_get_u16(&c, &proto) ||
	    !cur_get_u24(&c, &vni) || !cur_skip(&c, 1) || (vo >> 6) != 0) {
		tun_cut(t, ENCAP_GENEVE);
		return;
	}
	hdr = 8 + (uint32_t)(vo & 0x3f) * 4;
	if (len < hdr || !cur_skip(&c, hdr - 8)) {
		tun_cut(t, ENCAP_GENEVE);
		return;
	}
	if (proto != ETHERTYPE_TEB && proto != ETHERTYPE_IPV4 && proto != ETHERTYPE_IPV6) {
		tun_stop(t, UNDEC_GENEVE_PROTO, proto);
		return;
	}
	if ((e = tun_push(t, ENCAP_GENEVE, 1)) == NULL)
		return;
	e->has_id = 1;
	e->id = vni;
	if (proto == ETHERTYPE_TEB)
		tun_ether(t, c, len - hdr);
	else
		tun_ip(t, c, len - hdr);
}

/* GRE's source route entries (RFC 1701), to the empty one. */
static int gre_routing(struct cursor *c)
{
	uint16_t af;
	uint8_t off, n;

	for (;;) {
		if (!cur_get_u16(c, &af) || !cur_get_u8(c, &off) || !cur_get_u8(c, &n))
			return 0;
		if (af == 0 && n == 0)
			return 1;
		if (!cur_skip(c, n))
			return 0;
	}
}

/* ERSPAN (GRE 0x88be, 0x22eb): type I (no sequence number) has no header; II 8 bytes; III 12, and 8
 * of platform-specific subheader with its O bit. Then the mirrored Ethernet frame. */
static void tun_erspan(struct tun *t, struct cursor c, uint32_t len, int type)
{
	uint16_t w;
	uint8_t last = 0;
	uint32_t hdr = type == 1 ? 0 : type == 2 ? 8 : 12;
	struct encap *e;

	if (type != 1 && (!cur_peek_u16(&c, 2, &w) || !cur_peek_u8(&c, hdr - 1, &last))) {
		tun_cut(t, ENCAP_ERSPAN);
		return;
	}
	if (type == 3 && (last & 1))
		hdr += 8;
	if (len < hdr || !cur_skip(&c, hdr)) {
		tun_cut(t, ENCAP_ERSPAN);
		return;
	}
	if ((e = tun_push(t, ENCAP_ERSPAN, 1)) == NULL)
		return;
	e->sub = (uint8_t)type;
	if (type != 1) {
		e->has_id = 1;
		e->id = w & 0x3ff;
	}
	tun_ether(t, c, len - hdr);
}

/* WCCP redirection (GRE 0x883e): a 4-byte redirect header unless IPv4 follows at once (tcpdump's test). */
static void tun_wccp(struct tun *t, struct cursor c, uint32_t len)
{
	uint8_t first;

	if (!cur_peek_u8(&c, 0, &first)) {
		tun_cut(t, ENCAP_WCCP);
		return;
	}
	if ((first >> 4) != 4) {
		if (len < 4 || !cur_skip(&c, 4)) {
			tun_cut(t, ENCAP_WCCP);
			return;
		}
		len -= 4;
	}
	if (tun_push(t, ENCAP_WCCP, 1) != NULL)
		tun_ip(t, c, len);
}

/* The GRE protocol types followed, and how: 1 pushes a GRE record, 0 an ERSPAN or WCCP one of its own. */
static int gre_follows(uint16_t proto)
{
	return proto == ETHERTYPE_IPV4 || proto == ETHERTYPE_IPV6 || proto == ETHERTYPE_TEB ||
	       proto == ETHERTYPE_MPLS || proto == ETHERTYPE_MPLS_MULTI;
}

/* GRE version 0 (RFC 2784, 2890): checksum, key, sequence number, routing; then by protocol type. */
static void tun_gre(struct tun *t, struct cursor c, uint32_t len)
{
	uint16_t flags, proto;
	uint32_t key = 0, hdr;
	size_t before = cur_len(&c);
	struct encap *e;

	if (!cur_get_u16(&c, &flags) || !cur_get_u16(&c, &proto)) {
		tun_cut(t, ENCAP_GRE);
		return;
	}
	if (flags & GRE_VERSION) {
		tun_stop(t, UNDEC_GRE_VERSION, flags & GRE_VERSION);
		return;
	}
	if (((flags & (GRE_CP | GRE_RP)) && !cur_skip(&c, 4)) || ((flags & GRE_KP) && !cur_get_u32(&c, &key)) ||
	    ((flags & GRE_SP) && !cur_skip(&c, 4)) || ((flags & GRE_RP) && !gre_routing(&c)) ||
	    (hdr = (uint32_t)(before - cur_len(&c))) > len) {
		tun_cut(t, ENCAP_GRE);
		return;
	}
	len -= hdr;
	if (proto == GRE_ERSPAN)
		tun_erspan(t, c, len, (flags & GRE_SP) ? 2 : 1);
	else if (proto == GRE_ERSPAN3)
		tun_erspan(t, c, len, 3);
	else if (proto == GRE_WCCP)
		tun_wccp(t, c, len);
	else if (!gre_follows(proto))
		tun_stop(t, UNDEC_GRE_PROTO, proto);
	else if ((e = tun_push(t, ENCAP_GRE, 1)) != NULL) {
		e->has_id = (flags & GRE_KP) != 0;
		e->id = key;
		if (proto == ETHERTYPE_TEB)
			tun_ether(t, c, len);
		else
			tun_ethertype(t, proto, c, len);
	}
}

/* The payload of p->ip (protocol 4, 41 or 47), unless an authentication header lies between. */
static int ip_payload(const struct ip_info *ip, struct cursor *body, uint32_t *len)
{
	uint8_t next;

	if (ip->version == 4) {
		if (!cur_peek_u8(&ip->hdr, 9, &next))
			return 0;
	} else if (ip->next_ext == 0) {
		next = ip->nexthdr_first;
	} else if (ip->next_ext >= DEC_MAX_EXTHDR ||
		   !cur_peek_u8(&ip->hdr, ip->ext[ip->next_ext - 1].offset, &next)) {
		return 0;
	}
	*body = ip->hdr;
	if (next != ip->proto || ip->total_len < ip->hdr_len || !cur_skip(body, ip->hdr_len))
		return 0;
	*len = ip->total_len - ip->hdr_len;
	return 1;
}

/* p->ip was just decoded: does it carry a tunnel? */
static void tun_next(struct tun *t)
{
	struct packet *p = t->p;
	const struct ip_info *ip = &p->ip;
	struct cursor body;
	uint32_t len;
	struct encap *e;

	t->at_ip = p->nencap;
	if (ip->status != DEC_OK || ip->later_fragment)
		return;
	if (p->l4 == L4_UDP) {
		const struct udp_info *u = &p->u.udp;
		if (u->status != DEC_OK)
			return;
		if (u->dport == VXLAN_PORT || u->sport == VXLAN_PORT)
			tun_vxlan(t, u->payload, u->payload_len);
		else if (u->dport == GENEVE_PORT || u->sport == GENEVE_PORT)
			tun_geneve(t, u->payload, u->payload_len);
		return;
	}
	if (p->l4 != L4_OTHER ||
	    (ip->proto != IPPROTO_IPIP_ && ip->proto != IPPROTO_IPV6_ && ip->proto != IPPROTO_GRE_) ||
	    !ip_payload(ip, &body, &len))
		return;
	if (ip->proto == IPPROTO_GRE_) {
		tun_gre(t, body, len);
	} else if ((e = tun_push(t, ENCAP_IPIP, 1)) != NULL) {
		e->sub = ip->proto == IPPROTO_IPIP_ ? 4 : 6;
		tun_ip(t, body, len);
	}
}

enum l4_kind dec_tunnels(struct packet *p, enum l4_kind k)
{
	const struct link_info *l = &p->link;
	struct tun t;
	struct cursor c;

	t.p = p;
	t.at_ip = 0;
	if (k != L4_NONE) {
		tun_next(&t);
	} else if (l->status == DEC_NOT_IP && (l->ethertype == ETHERTYPE_MPLS || l->ethertype == ETHERTYPE_MPLS_MULTI ||
					       l->ethertype == ETHERTYPE_PPPOE)) {
		c = cur_make(p->data, p->caplen);
		if (cur_skip(&c, l->hdr_len))
			tun_ethertype(&t, l->ethertype, c, p->len > l->hdr_len ? p->len - l->hdr_len : 0);
	}
	return p->l4;
}

const char *decode_encap_name(const struct encap *e)
{
	switch (e->kind) {
	case ENCAP_VXLAN: return "vxlan";
	case ENCAP_GENEVE: return "geneve";
	case ENCAP_GRE: return "gre";
	case ENCAP_ERSPAN: return "erspan";
	case ENCAP_WCCP: return "wccp";
	case ENCAP_MPLS: return "mpls";
	case ENCAP_PPPOE: return "pppoe";
	case ENCAP_IPIP:
		if (e->outer_version == 6)
			return e->sub == 6 ? "6in6" : "4in6";
		return e->sub == 6 ? "6in4" : "ipip";
	}
	return "unknown";
}

void decode_undec_text(uint8_t undec, uint16_t value, char *buf, size_t n)
{
	static const char *const kinds[ENCAP_KINDS] = {
		"?", "VXLAN", "GENEVE", "GRE", "ERSPAN", "WCCP", "MPLS", "IP-in-IP", "PPPoE",
	};
	const char *kind = value < ENCAP_KINDS ? kinds[value] : "?";

	switch (undec) {
	case UNDEC_ETHERTYPE: snprintf(buf, n, "ethertype 0x%04x inside a tunnel", value); break;
	case UNDEC_GRE_PROTO: snprintf(buf, n, "GRE of protocol 0x%04x", value); break;
	case UNDEC_GRE_VERSION: snprintf(buf, n, "GRE version %u", value); break;
	case UNDEC_GENEVE_PROTO: snprintf(buf, n, "GENEVE of protocol 0x%04x", value); break;
	case UNDEC_MPLS: snprintf(buf, n, "MPLS payload starting 0x%02x", value); break;
	case UNDEC_PPP_PROTO: snprintf(buf, n, "PPP protocol 0x%04x", value); break;
	case UNDEC_PPPOE_CODE: snprintf(buf, n, "PPPoE code 0x%02x", value); break;
	case UNDEC_CHDLC_PROTO: snprintf(buf, n, "Cisco HDLC protocol 0x%04x", value); break;
	case UNDEC_ARCNET_TYPE: snprintf(buf, n, "ARCnet type 0x%02x", value); break;
	case UNDEC_LINK_FAMILY: snprintf(buf, n, "address family %u", value); break;
	case UNDEC_80211_MGMT: snprintf(buf, n, "802.11 management"); break;
	case UNDEC_80211_CTRL: snprintf(buf, n, "802.11 control"); break;
	case UNDEC_80211_PROTECTED: snprintf(buf, n, "802.11 protected"); break;
	case UNDEC_80211_NODATA: snprintf(buf, n, "802.11 null data"); break;
	case UNDEC_LLC: snprintf(buf, n, "802.2 LLC DSAP 0x%02x", value); break;
	case UNDEC_JUNIPER: snprintf(buf, n, "Juniper without its magic"); break;
	case UNDEC_CUT: snprintf(buf, n, "%s header cut short or invalid", kind); break;
	case UNDEC_TOO_DEEP: snprintf(buf, n, "over %d encapsulations deep", DEC_MAX_ENCAP); break;
	default: snprintf(buf, n, "undecoded"); break;
	}
}
