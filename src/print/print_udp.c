/* print_udp.c: the UDP part of a tcpdump 4.99 -nn line; it stops where tcpdump goes on into a protocol of a port. */
#include "print.h"
#include "printer.h"

/*
 * The ports whose datagrams tcpdump 4.99 hands to a protocol printer
 * (udp_print()'s list) instead of printing "UDP, length N": found by
 * sending tcpdump 4.99.3 a datagram from and to every port. Ranges, first
 * and last.
 */
static const uint16_t either_port[][2] = {
	{ 53, 53 }, { 67, 69 }, { 88, 88 }, { 123, 123 }, { 161, 162 }, { 319, 320 },
	{ 496, 496 }, { 500, 500 }, { 514, 514 }, { 520, 521 }, { 525, 525 }, { 546, 547 },
	{ 646, 646 }, { 654, 654 }, { 698, 698 }, { 701, 701 }, { 750, 750 }, { 921, 921 },
	{ 1589, 1589 }, { 1645, 1646 }, { 1700, 1701 }, { 1812, 1813 }, { 2103, 2104 },
	{ 3503, 3503 }, { 3799, 3799 }, { 4342, 4342 }, { 4500, 4500 }, { 4789, 4790 },
	{ 5060, 5060 }, { 5353, 5353 }, { 5359, 5359 }, { 6081, 6081 }, { 6343, 6343 },
	{ 6635, 6635 }, { 6696, 6697 }, { 7000, 7009 }, { 7500, 7500 }, { 8231, 8231 },
	{ 8472, 8472 }, { 8500, 8500 }, { 12222, 12223 }, { 17754, 17754 }, { 30490, 30490 },
};
/* Only as the destination (HSRP, VAT, BFD, whiteboard) ... */
static const uint16_t dst_port[] = { 1985, 3456, 3784, 3785, 4567, 4784, 6784 };
/* ... and only as the source (Broadcom LI). */
#define SRC_ONLY_PORT 49152
#define NFS_PORT 2049
#define DNS_PORT 53
#define DNS_HDR 12u

static int in_ranges(uint16_t p)
{
	for (size_t i = 0; i < sizeof(either_port) / sizeof(either_port[0]); i++)
		if (p >= either_port[i][0] && p <= either_port[i][1])
			return 1;
	return 0;
}

/* AppleTalk over UDP: these ports with a DDP LAP header. */
static int atalk_port(uint16_t p)
{
	return (p >= 200 && p < 328) || (p >= 768 && p < 896) || (p >= 16512 && p < 16640);
}

/* Whether tcpdump words this datagram by its protocol; payload: the bytes after the header, as captured. */
static int decoded(uint16_t sport, uint16_t dport, const struct cursor *payload)
{
	uint32_t dir;
	uint8_t lap;

	if (print_at_u32(payload, 4, &dir) &&
	    ((dport == NFS_PORT && dir == 0) || (sport == NFS_PORT && dir == 1)))
		return 1;
	if (in_ranges(sport) || in_ranges(dport) || sport == SRC_ONLY_PORT)
		return 1;
	for (size_t i = 0; i < sizeof(dst_port) / sizeof(dst_port[0]); i++)
		if (dport == dst_port[i])
			return 1;
	return print_at_u8(payload, 2, &lap) && lap == 2 && (atalk_port(sport) || atalk_port(dport));
}

/* The ports udp_print() tries after VXLAN's and GENEVE's (found by asking tcpdump 4.99.3), and those two. */
static int late_port(uint16_t p)
{
	return p == 319 || p == 320 || p == 4342 || p == 4789 || p == 4790 || p == 6081 ||
	       p == 6635 || p == 17754 || p == 30490;
}

/*
 * udpipaddr_print(): "src.sport > dst.dport: ", only the ports after IPv6
 * extension headers or AH, and only the addresses (or nothing) when the
 * ports were not captured (ports < 0).
 */
static void addrs_end(struct print_ctx *x, int sport, int dport, int ext_hdrs, int space)
{
	const struct ip_info *ip = &x->p->ip;
	int v6 = ip->version == 6;

	if (ext_hdrs) {
		if (sport < 0)
			return;
		ln_u32(x->out, (uint32_t)sport);
		ln_lit(x->out, " > ");
		ln_u32(x->out, (uint32_t)dport);
		ln_str(x->out, space ? ": " : ":");
		return;
	}
	ln_ip(x->out, v6, ip->src);
	if (sport >= 0) {
		ln_chr(x->out, '.');
		ln_u32(x->out, (uint32_t)sport);
	}
	ln_lit(x->out, " > ");
	ln_ip(x->out, v6, ip->dst);
	if (sport >= 0) {
		ln_chr(x->out, '.');
		ln_u32(x->out, (uint32_t)dport);
	}
	ln_str(x->out, space ? ": " : ":");
}

static void addrs(struct print_ctx *x, int sport, int dport, int ext_hdrs)
{
	addrs_end(x, sport, dport, ext_hdrs, 1);
}

/*
 * -v's checksum before "UDP, ": IPv6 always, IPv4 only with -vv (and then
 * "[no cksum] " for a zero field); only when the datagram (length bytes of
 * payload) was all captured, and not for a fragment.
 */
static void udp_cksum(struct print_ctx *x, struct cursor c, uint32_t length, int fragmented)
{
	uint16_t field = 0, sum;
	int v6 = x->p->ip.version == 6;

	if (!(x->pr->flags & PRINT_VERBOSE) || fragmented || (!v6 && !(x->pr->flags & PRINT_VERBOSE2)))
		return;
	print_at_u16(&c, 6, &field);
	if (!v6 && field == 0) {
		ln_lit(x->out, "[no cksum] ");
		return;
	}
	if (cur_len(&c) < (size_t)length + 8)
		return;
	cur_truncate(&c, (size_t)length + 8);
	sum = print_l4_cksum(x->p, c, 17);
	print_cksum_note(x->out, "udp", field, sum);
}

/*
 * udp_print() of tcpdump. c: the datagram as captured, length:
 * its length by the IP header. A datagram tcpdump hands to a protocol
 * printer ends at "dst.dport:", the part of tcpdump's line before it.
 */
int print_udp(struct print_ctx *x, struct cursor c, uint32_t length, int ext_hdrs, int fragmented)
{
	uint16_t sport, dport, ulen16;
	uint32_t ulen;
	struct cursor payload = c;

	x->proto = "udp";
	x->soft_trunc = 1;   /* tcpdump's udp_print() checks with ND_TTEST: no longjmp */
	if (!print_at_u16(&c, 2, &dport)) {
		addrs(x, -1, -1, ext_hdrs);
		return 0;
	}
	print_at_u16(&c, 0, &sport);
	if (length < 8) {
		addrs(x, sport, dport, ext_hdrs);
		ln_lit(x->out, "truncated-udp ");
		ln_u32(x->out, length);
		return 1;
	}
	if (!print_at_u16(&c, 4, &ulen16)) {
		addrs(x, sport, dport, ext_hdrs);
		return 0;
	}
	ulen = ulen16 == 0 && length > 65535 ? length : ulen16;
	if (ulen < 8) {
		addrs(x, sport, dport, ext_hdrs);
		ln_lit(x->out, "truncated-udplength ");
		ln_u32(x->out, ulen);
		return 1;
	}
	ulen -= 8;
	length -= 8;
	if (ulen < length)
		length = ulen;
	if (!cur_skip(&payload, 8)) {
		addrs(x, sport, dport, ext_hdrs);
		return 0;
	}
	if (print_udp_tunnel_port(sport, dport) &&
	    !decoded(late_port(sport) ? 0 : sport, late_port(dport) ? 0 : dport, &payload)) {
		addrs(x, sport, dport, ext_hdrs);
		return print_udp_tunnel(x, sport, dport, payload, length);
	}
	if (decoded(sport, dport, &payload)) {
		if ((sport == DNS_PORT || dport == DNS_PORT) && length >= DNS_HDR &&
		    cur_len(&payload) < DNS_HDR) {
			/* domain_print() without its header: " [|domain]" (an ICMP error's quoted datagram) */
			addrs(x, sport, dport, ext_hdrs);
			udp_cksum(x, c, length, fragmented);
			x->proto = "domain";
			return 0;
		}
		addrs_end(x, sport, dport, ext_hdrs, 0);
		return 1;
	}
	addrs(x, sport, dport, ext_hdrs);
	udp_cksum(x, c, length, fragmented);
	if (ulen > length && !fragmented) {
		ln_lit(x->out, "UDP, bad length ");
		ln_u32(x->out, ulen);
		ln_lit(x->out, " > ");
		ln_u32(x->out, length);
		return 1;
	}
	ln_lit(x->out, "UDP, length ");
	ln_u32(x->out, ulen);
	return 1;
}
