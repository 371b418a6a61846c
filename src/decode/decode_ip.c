/* decode_ip.c: IPv4 (options, fragments) and IPv6 (extension headers). */
#include <string.h>

#include "decode.h"

#define IPPROTO_HOPOPTS_ 0
#define IPPROTO_TCP_ 6
#define IPPROTO_UDP_ 17
#define IPPROTO_ROUTING_ 43
#define IPPROTO_FRAGMENT_ 44
#define IPPROTO_ICMPV6_ 58
#define IPPROTO_NONE_ 59
#define IPPROTO_DSTOPTS_ 60
#define IPPROTO_AH_ 51
#define IPPROTO_ICMP_ 1

/*
 * Authentication headers (RFC 4302) in front of the transport header. As in
 * tcpdump, the IPv6 extension headers are walked first; only more
 * authentication headers are followed after one.
 */
static int skip_ah(struct ip_info *ip, struct cursor *c, uint32_t *len)
{
	uint8_t next, words;
	uint32_t n;

	while (ip->proto == IPPROTO_AH_) {
		if (!cur_peek_u8(c, 0, &next) || !cur_peek_u8(c, 1, &words))
			return 0;
		n = ((uint32_t)words + 2) * 4;
		if (n > *len) {
			ip->status = DEC_INVALID;
			return 1;
		}
		if (!cur_skip(c, n))
			return 0;
		*len -= n;
		ip->proto = next;
	}
	return 1;
}

static void decode_l4(struct packet *p, struct cursor c, uint32_t len)
{
	struct ip_info *ip = &p->ip;

	if (ip->later_fragment) {
		p->l4 = L4_OTHER;
		return;
	}
	if (!skip_ah(ip, &c, &len))
		ip->status = DEC_TRUNCATED;
	if (ip->status != DEC_OK)
		return;
	switch (ip->proto) {
	case IPPROTO_TCP_:
		decode_tcp(p, c, len);
		break;
	case IPPROTO_UDP_:
		decode_udp(p, c, len);
		break;
	case IPPROTO_ICMP_:
		if (ip->version == 4)
			decode_icmp(p, c, len, 0);
		else
			p->l4 = L4_OTHER;
		break;
	case IPPROTO_ICMPV6_:
		if (ip->version == 6)
			decode_icmp(p, c, len, 1);
		else
			p->l4 = L4_OTHER;
		break;
	default:
		p->l4 = L4_OTHER;
		break;
	}
}

/* A fixed header the capture cut short (under 20 bytes): the fields before the cut are still set. */
static void ipv4_cut(struct ip_info *ip, struct cursor h)
{
	uint8_t vhl;
	uint16_t tot, id, off;

	(void)(cur_get_u8(&h, &vhl) && cur_get_u8(&h, &ip->tos) &&
	       cur_get_u16(&h, &tot) && cur_get_u16(&h, &id) &&
	       cur_get_u16(&h, &off) && cur_get_u8(&h, &ip->ttl) &&
	       cur_get_u8(&h, &ip->proto) && cur_skip(&h, 2) &&
	       cur_copy(&h, ip->src, 4));
	ip->status = DEC_TRUNCATED;
}

static void decode_ipv4(struct packet *p, struct cursor c)
{
	struct ip_info *ip = &p->ip;
	struct cursor h = c, body, fixed, addr;
	uint8_t vhl;
	uint16_t tot, id, off;

	if (!cur_get_bytes(&h, &fixed, 20)) {
		ipv4_cut(ip, c);
		return;
	}
	/* As in decode_tcp(): reads from a block of exactly 20 bytes cannot fail. */
	cur_get_u8(&fixed, &vhl);
	cur_get_u8(&fixed, &ip->tos);
	cur_get_u16(&fixed, &tot);
	cur_get_u16(&fixed, &id);
	cur_get_u16(&fixed, &off);
	cur_get_u8(&fixed, &ip->ttl);
	cur_get_u8(&fixed, &ip->proto);
	cur_skip(&fixed, 2);
	cur_get_bytes(&fixed, &addr, 4);
	memcpy(ip->src, cur_data(&addr), 4);   /* one load, where cur_copy() loops per byte */
	cur_get_bytes(&fixed, &addr, 4);
	memcpy(ip->dst, cur_data(&addr), 4);
	ip->hdr_len = (uint32_t)(vhl & 0x0f) * 4;
	ip->total_len = tot;
	ip->id = id;
	ip->dont_frag = (off & 0x4000) != 0;
	ip->more_frags = (off & 0x2000) != 0;
	ip->frag_offset = (uint16_t)((off & 0x1fff) * 8);
	ip->is_fragment = ip->more_frags || ip->frag_offset != 0;
	ip->later_fragment = ip->frag_offset != 0;
	if (ip->hdr_len < 20 || tot < ip->hdr_len) {
		ip->status = DEC_INVALID;
		return;
	}
	/* Keep at most tot bytes (cur_truncate, inline): the header and payload. */
	h = ip->hdr;
	(void)cur_get_bytes(&h, &ip->hdr, tot);
	body = ip->hdr;
	if (!cur_skip(&body, ip->hdr_len)) {
		ip->status = DEC_TRUNCATED;
		return;
	}
	/* Plain TCP (no AH, not a later fragment) straight on: decode_l4() would only
	 * find the same after a few more tests, for nearly every packet. */
	if (ip->proto == IPPROTO_TCP_ && !ip->later_fragment)
		decode_tcp(p, body, tot - ip->hdr_len);
	else
		decode_l4(p, body, tot - ip->hdr_len);
}

/* Walk IPv6 extension headers; returns 0 if they run past the capture. */
static int ipv6_extensions(struct ip_info *ip, struct cursor *body, uint32_t *len)
{
	uint8_t nh = ip->proto, next, hlen;
	uint16_t off16;
	uint32_t ext_len, id;

	for (;;) {
		if (nh != IPPROTO_HOPOPTS_ && nh != IPPROTO_ROUTING_ &&
		    nh != IPPROTO_FRAGMENT_ && nh != IPPROTO_DSTOPTS_)
			break;
		if (!cur_peek_u8(body, 0, &next) || !cur_peek_u8(body, 1, &hlen))
			return 0;
		if (nh == IPPROTO_FRAGMENT_) {
			struct cursor f = *body;
			ext_len = 8;
			if (!cur_skip(&f, 2) || !cur_get_u16(&f, &off16) || !cur_get_u32(&f, &id))
				return 0;
			ip->frag_offset = (uint16_t)(off16 & 0xfff8);
			ip->more_frags = off16 & 1;
			ip->id = (uint16_t)id;
			ip->is_fragment = 1;
			ip->later_fragment = ip->frag_offset != 0;
		} else {
			ext_len = ((uint32_t)hlen + 1) * 8;
		}
		if (ip->next_ext < DEC_MAX_EXTHDR) {
			struct ip6_ext *e = &ip->ext[ip->next_ext++];
			e->type = nh;
			e->offset = (uint16_t)ip->hdr_len;
			e->len = (uint16_t)ext_len;
		}
		if (ext_len > *len) {
			ip->status = DEC_INVALID;
			return 1;
		}
		if (!cur_skip(body, ext_len))
			return 0;
		*len -= ext_len;
		ip->hdr_len += ext_len;
		nh = next;
		if (ip->later_fragment)
			break;
	}
	ip->proto = nh;
	return 1;
}

static void decode_ipv6(struct packet *p, struct cursor c)
{
	struct ip_info *ip = &p->ip;
	struct cursor h = c, body;
	uint32_t vcf, len;
	uint16_t plen;

	if (!cur_get_u32(&h, &vcf) || !cur_get_u16(&h, &plen) ||
	    !cur_get_u8(&h, &ip->proto) || !cur_get_u8(&h, &ip->ttl) ||
	    !cur_copy(&h, ip->src, 16) || !cur_copy(&h, ip->dst, 16)) {
		ip->status = DEC_TRUNCATED;
		return;
	}
	ip->tos = (uint8_t)(vcf >> 20);
	ip->flow = vcf & 0xfffff;
	ip->nexthdr_first = ip->proto;
	ip->hdr_len = 40;
	/* A zero payload length means a jumbogram or nothing; take what is there. */
	ip->total_len = plen != 0 ? 40u + plen : ip->wire_len;
	cur_truncate(&ip->hdr, ip->total_len);
	body = ip->hdr;
	cur_skip(&body, 40);
	len = ip->total_len - 40;
	if (!ipv6_extensions(ip, &body, &len)) {
		ip->status = DEC_TRUNCATED;
		return;
	}
	if (ip->status != DEC_OK)
		return;
	decode_l4(p, body, len);
}

/*
 * Every field of p->ip is set here. For an IPv4 header of at least 20 bytes
 * (nearly every packet) field by field: a memset of the whole struct, IPv6
 * extension list included, cost more than the rest of the header. The
 * extension list is defined up to next_ext, which is all anyone reads of it.
 */
void decode_ip(struct packet *p, struct cursor c, uint32_t wire_len)
{
	struct ip_info *ip = &p->ip;
	struct cursor first = c;   /* a peek at the version, inline */
	uint8_t v;

	p->l4 = L4_NONE;
	if (!cur_get_u8(&first, &v)) {
		memset(ip, 0, sizeof(*ip));
		ip->hdr = c;
		ip->wire_len = wire_len;
		ip->status = DEC_TRUNCATED;
		return;
	}
	if ((v >> 4) == 4 && cur_len(&c) >= 20) {
		/* decode_ipv4() sets the rest */
		ip->status = DEC_OK;
		memset(ip->src + 4, 0, sizeof ip->src - 4);
		memset(ip->dst + 4, 0, sizeof ip->dst - 4);
		ip->nexthdr_first = ip->next_ext = 0;
		ip->flow = 0;
	} else {
		memset(ip, 0, sizeof(*ip));
	}
	ip->hdr = c;
	ip->wire_len = wire_len;
	ip->version = v >> 4;
	if (ip->version == 4)
		decode_ipv4(p, c);
	else if (ip->version == 6)
		decode_ipv6(p, c);
	else
		ip->status = DEC_INVALID;
}
