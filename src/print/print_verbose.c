/* print_verbose.c: tcpdump -v's fields: the IPv4 and IPv6 headers', and the Internet checksums it verifies. */
#include <string.h>

#include "print.h"
#include "printer.h"

/* The ones' complement sum of the big-endian 16-bit words of n bytes (an odd last byte padded). */
static uint32_t sum_add(uint32_t sum, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i + 1 < n; i += 2) {
		sum += (uint32_t)p[i] << 8 | p[i + 1];
		sum = (sum & 0xffff) + (sum >> 16);
	}
	if (i < n)
		sum += (uint32_t)p[i] << 8;
	return (sum & 0xffff) + (sum >> 16);
}

static uint16_t sum_fold(uint32_t sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* "0x%04x" of a 16-bit field, as tcpdump's checksum words print it. */
static void hex16(struct line *out, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	ln_lit(out, "0x");
	ln_hexbytes(out, b, 2);
}

void print_cksum_note(struct line *out, const char *name, uint16_t field, uint16_t sum)
{
	if (sum == 0) {
		ln_chr(out, '[');
		ln_str(out, name);
		ln_lit(out, " sum ok] ");
		return;
	}
	ln_lit(out, "[bad ");
	ln_str(out, name);
	ln_lit(out, " cksum ");
	hex16(out, field);
	ln_lit(out, " -> ");
	hex16(out, print_cksum_shouldbe(field, sum));
	ln_lit(out, "!] ");
}

uint16_t print_cksum_shouldbe(uint16_t field, uint16_t computed)
{
	uint32_t v = (uint32_t)field + computed;
	v = (v & 0xffff) + (v >> 16);
	v = (v & 0xffff) + (v >> 16);
	return (uint16_t)v;
}

uint16_t print_cksum(struct cursor c)
{
	return sum_fold(sum_add(0, cur_data(&c), cur_len(&c)));
}

/* tcpdump's ip_finddst(): the last address of a source route option, else the header's destination. */
static void ip4_final_dst(const struct packet *p, uint8_t dst[4])
{
	const struct cursor *h = &p->ip.hdr;
	uint8_t vhl = 0, t, l;
	size_t hlen, i, len;

	memcpy(dst, p->ip.dst, 4);
	print_at_u8(h, 0, &vhl);
	hlen = (size_t)(vhl & 0x0f) * 4;
	for (i = 20; i < hlen; i += len) {
		if (!print_at_u8(h, i, &t))
			return;
		if (t == 0 || t == 1) {
			len = 1;
			continue;
		}
		if (!print_at_u8(h, i + 1, &l) || l < 2)
			return;
		len = l;
		if ((t == 0x83 || t == 0x89) && len >= 7) {
			struct cursor a = *h;
			if (cur_skip(&a, i + len - 4))
				cur_copy(&a, dst, 4);
			return;
		}
	}
}

/* tcpdump's ip6_finddst(): after a type 0 or 2 routing header, its last address; type 4, its first. */
static void ip6_final_dst(const struct packet *p, uint8_t dst[16])
{
	const struct ip_info *ip = &p->ip;

	memcpy(dst, ip->dst, 16);
	for (unsigned i = 0; i < ip->next_ext && i < DEC_MAX_EXTHDR; i++) {
		uint8_t hl = 0, type = 0;
		struct cursor a = ip->hdr;
		if (ip->ext[i].type != 43)
			continue;
		print_at_u8(&ip->hdr, ip->ext[i].offset + 1u, &hl);
		print_at_u8(&ip->hdr, ip->ext[i].offset + 2u, &type);
		if ((type == 0 || type == 2) && hl >= 2 &&
		    cur_skip(&a, ip->ext[i].offset + 8u + (size_t)(hl / 2 - 1) * 16))
			cur_copy(&a, dst, 16);
		else if (type == 4 && cur_skip(&a, ip->ext[i].offset + 8u))   /* segment routing: segment 0 */
			cur_copy(&a, dst, 16);
		return;
	}
}

uint16_t print_l4_cksum(const struct packet *p, struct cursor seg, uint8_t proto)
{
	uint8_t ph[40];
	uint32_t len = (uint32_t)cur_len(&seg), sum;

	if (p->ip.version == 6) {
		memcpy(ph, p->ip.src, 16);
		ip6_final_dst(p, ph + 16);
		ph[32] = (uint8_t)(len >> 24);
		ph[33] = (uint8_t)(len >> 16);
		ph[34] = (uint8_t)(len >> 8);
		ph[35] = (uint8_t)len;
		ph[36] = ph[37] = ph[38] = 0;
		ph[39] = proto;
		sum = sum_add(0, ph, 40);
	} else {
		memcpy(ph, p->ip.src, 4);
		ip4_final_dst(p, ph + 4);
		ph[8] = 0;
		ph[9] = proto;
		ph[10] = (uint8_t)(len >> 8);
		ph[11] = (uint8_t)len;
		sum = sum_add(0, ph, 12);
	}
	return sum_fold(sum_add(sum, cur_data(&seg), len));
}

/* tcpdump's ipproto_values, the names it gives protocol numbers after -v's "proto". */
static const char *proto_name(uint8_t n)
{
	switch (n) {
	case 0: return "Options";
	case 1: return "ICMP";
	case 2: return "IGMP";
	case 4: return "IPIP";
	case 6: return "TCP";
	case 8: return "EGP";
	case 9: return "IGRP";
	case 17: return "UDP";
	case 33: return "DCCP";
	case 41: return "IPv6";
	case 43: return "Routing";
	case 44: return "Fragment";
	case 46: return "RSVP";
	case 47: return "GRE";
	case 50: return "ESP";
	case 51: return "AH";
	case 55: return "Mobile IP";
	case 58: return "ICMPv6";
	case 59: return "none";
	case 62: return "Mobile IP (old)";
	case 88: return "EIGRP";
	case 89: return "OSPF";
	case 103: return "PIM";
	case 108: return "Compressed IP";
	case 112: return "VRRP";
	case 113: return "PGM";
	case 132: return "SCTP";
	case 135: return "Mobility";
	}
	return "unknown";
}

/* ip_printroute(): RR, SSRR, LSRR. */
static int opt_route(struct print_ctx *x, const struct cursor *o, uint32_t len)
{
	uint8_t p8 = 0, a[4];
	uint32_t ptr;

	if (len < 3) {
		ln_lit(x->out, " [bad length ");
		ln_u32(x->out, len);
		ln_chr(x->out, ']');
		return 1;
	}
	if ((len + 1) & 3) {
		ln_lit(x->out, " [bad length ");
		ln_u32(x->out, len);
		ln_chr(x->out, ']');
	}
	print_at_u8(o, 2, &p8);
	ptr = (uint32_t)p8 - 1;
	if (ptr < 3 || ((ptr + 1) & 3) || ptr > len + 1) {
		ln_lit(x->out, " [bad ptr ");
		ln_u32(x->out, p8);
		ln_chr(x->out, ']');
	}
	for (uint32_t i = 3; i < len; i += 4) {
		struct cursor t = *o;
		if (!cur_skip(&t, i) || !cur_copy(&t, a, 4))
			return 0;
		ln_chr(x->out, ' ');
		ln_ip4(x->out, a);
		if (ptr > i)
			ln_chr(x->out, ',');
	}
	return 1;
}

/* ip_printts(): the timestamp option. */
static int opt_ts(struct print_ctx *x, const struct cursor *o, uint32_t len)
{
	static const char *const kinds[4] = { "TSONLY", "TS+ADDR", NULL, "PRESPEC" };
	uint8_t b2 = 0, b3 = 0, a[4];
	uint32_t hop, ptr, i = 0, v;
	const char *type = " ";

	if (len < 4) {
		ln_lit(x->out, "[bad length ");
		ln_u32(x->out, len);
		ln_chr(x->out, ']');
		return 1;
	}
	ln_lit(x->out, " TS{");
	print_at_u8(o, 2, &b2);
	print_at_u8(o, 3, &b3);
	hop = (b3 & 0xf) != 0 ? 8 : 4;
	if ((len - 4) & (hop - 1)) {
		ln_lit(x->out, "[bad length ");
		ln_u32(x->out, len);
		ln_chr(x->out, ']');
	}
	ptr = (uint32_t)b2 - 1;
	if (ptr < 4 || ((ptr - 4) & (hop - 1)) || ptr > len + 1) {
		ln_lit(x->out, "[bad ptr ");
		ln_u32(x->out, b2);
		ln_chr(x->out, ']');
	}
	if ((b3 & 0xf) < 4 && kinds[b3 & 0xf] != NULL) {
		ln_str(x->out, kinds[b3 & 0xf]);
		for (i = 4; i < len; i += hop) {
			if (ptr == i)
				type = " ^ ";
			if (!print_at_u32(o, i + hop - 4, &v))
				return 0;
			ln_str(x->out, type);
			ln_u32(x->out, v);
			ln_chr(x->out, '@');
			if (hop == 8) {
				struct cursor t = *o;
				if (!cur_skip(&t, i) || !cur_copy(&t, a, 4))
					return 0;
				ln_ip4(x->out, a);
			}
			type = " ";
		}
	} else {
		ln_lit(x->out, "[bad ts type ");
		ln_u32(x->out, b3 & 0xf);
		ln_chr(x->out, ']');
	}
	if (ptr == i)
		ln_lit(x->out, " ^ ");
	if (b3 >> 4) {
		ln_lit(x->out, " [");
		ln_u32(x->out, b3 >> 4);
		ln_lit(x->out, " hops not recorded]} ");
	} else {
		ln_chr(x->out, '}');
	}
	return 1;
}

static const char *opt_name(uint8_t t)
{
	switch (t) {
	case 0: return "EOL";
	case 1: return "NOP";
	case 0x44: return "timestamp";
	case 0x82: return "security";
	case 7: return "RR";
	case 0x89: return "SSRR";
	case 0x83: return "LSRR";
	case 0x94: return "RA";
	case 0x52: return "traceroute";
	}
	return NULL;
}

/* One option's data, o from its type byte on (len bytes captured). 0: cut (tcpdump's -1). */
static int opt_data(struct print_ctx *x, const struct cursor *o, uint8_t t, uint32_t len)
{
	uint16_t v;

	switch (t) {
	case 0x44:
		return opt_ts(x, o, len);
	case 7: case 0x89: case 0x83:
		return opt_route(x, o, len);
	case 0x94:
		if (len < 4) {
			ln_lit(x->out, " [bad length ");
			ln_u32(x->out, len);
			ln_chr(x->out, ']');
			return 1;
		}
		print_at_u16(o, 2, &v);
		if (v != 0) {
			ln_lit(x->out, " value ");
			ln_u32(x->out, v);
		}
		return 1;
	}
	return 1;
}

/*
 * ip_optprint(): 1 when done, 0 when an option was not all captured
 * (" [truncated-option]" follows), -1 when a byte tcpdump reads with GET_
 * was not captured (a longjmp).
 */
static int ip4_options(struct print_ctx *x, struct cursor o, uint32_t length)
{
	const char *sep = "";
	uint32_t len;
	uint8_t t, l;

	for (; length > 0; cur_skip(&o, len), length -= len) {
		const char *n;
		ln_str(x->out, sep);
		sep = ",";
		if (!print_at_u8(&o, 0, &t))
			return -1;
		if ((n = opt_name(t)) != NULL) {
			ln_str(x->out, n);
		} else {
			ln_lit(x->out, "unknown ");
			ln_u32(x->out, t);
		}
		if (t == 0 || t == 1) {
			len = 1;
		} else {
			if (!print_at_u8(&o, 1, &l))
				return -1;
			len = l;
			if (len < 2) {
				ln_lit(x->out, " [bad length ");
				ln_u32(x->out, len);
				ln_chr(x->out, ']');
				return 1;
			}
		}
		if (len > length) {
			ln_lit(x->out, " [bad length ");
			ln_u32(x->out, len);
			ln_chr(x->out, ']');
			return 1;
		}
		if (cur_len(&o) < len)
			return 0;
		if (t == 0)
			return 1;
		if (!opt_data(x, &o, t, len))
			return 0;
	}
	return 1;
}

static void frag_flags(struct line *out, uint16_t off)
{
	const char *sep = "";

	ln_chr(out, '[');
	if (!(off & 0xe000))
		ln_lit(out, "none");
	if (off & 0x2000) {
		ln_chr(out, '+');
		sep = ", ";
	}
	if (off & 0x4000) {
		ln_str(out, sep);
		ln_lit(out, "DF");
		sep = ", ";
	}
	if (off & 0x8000) {
		ln_str(out, sep);
		ln_lit(out, "rsvd");
	}
	ln_chr(out, ']');
}

int print_ip4_verbose(struct print_ctx *x, struct cursor c, uint32_t hlen)
{
	uint8_t tos, ttl, proto;
	uint16_t id, off, len, sum;
	int r = 1;
	struct cursor o = c, h = c;

	print_at_u8(&c, 1, &tos);
	print_at_u16(&c, 2, &len);
	print_at_u16(&c, 4, &id);
	print_at_u16(&c, 6, &off);
	print_at_u8(&c, 8, &ttl);
	print_at_u8(&c, 9, &proto);
	ln_lit(x->out, "(tos 0x");
	ln_hex(x->out, tos);
	switch (tos & 3) {
	case 1: ln_lit(x->out, ",ECT(1)"); break;
	case 2: ln_lit(x->out, ",ECT(0)"); break;
	case 3: ln_lit(x->out, ",CE"); break;
	}
	if (ttl >= 1) {
		ln_lit(x->out, ", ttl ");
		ln_u32(x->out, ttl);
	}
	ln_lit(x->out, ", id ");
	ln_u32(x->out, id);
	ln_lit(x->out, ", offset ");
	ln_u32(x->out, (uint32_t)(off & 0x1fff) * 8);
	ln_lit(x->out, ", flags ");
	frag_flags(x->out, off);
	ln_lit(x->out, ", proto ");
	ln_str(x->out, proto_name(proto));
	ln_lit(x->out, " (");
	ln_u32(x->out, proto);
	ln_lit(x->out, "), length ");
	ln_u32(x->out, len);
	if (hlen > 20) {
		ln_lit(x->out, ", options (");
		/* not cut at the header's end: tcpdump reads an option's length byte past it */
		cur_skip(&o, 20);
		r = ip4_options(x, o, hlen - 20);
		if (r < 0)
			return -1;
		if (r == 0)
			ln_lit(x->out, " [truncated-option]");
		ln_chr(x->out, ')');
	}
	if (cur_len(&h) >= hlen) {
		cur_truncate(&h, hlen);
		sum = print_cksum(h);
		if (sum != 0) {
			uint16_t field;
			print_at_u16(&c, 10, &field);
			ln_lit(x->out, ", bad cksum ");
			ln_hex(x->out, field);
			ln_lit(x->out, " (->");
			ln_hex(x->out, print_cksum_shouldbe(field, sum));
			ln_lit(x->out, ")!");
		}
	}
	ln_lit(x->out, ")\n    ");
	return r;
}

void print_ip6_verbose(struct print_ctx *x, const struct cursor *c, uint16_t plen, uint8_t nh)
{
	uint32_t flow = 0;
	uint8_t hlim = 0;

	print_at_u32(c, 0, &flow);
	print_at_u8(c, 7, &hlim);
	ln_chr(x->out, '(');
	if (flow & 0x0ff00000) {
		uint8_t cls = (uint8_t)(flow >> 20);
		ln_lit(x->out, "class 0x");
		ln_hexbytes(x->out, &cls, 1);
		ln_lit(x->out, ", ");
	}
	if (flow & 0x000fffff) {
		uint8_t fl[3] = { (uint8_t)(flow >> 16 & 0x0f), (uint8_t)(flow >> 8), (uint8_t)flow };
		char tmp[8];
		struct line t;
		ln_init(&t, tmp, sizeof(tmp));
		ln_hexbytes(&t, fl, 3);
		ln_lit(x->out, "flowlabel 0x");
		ln_mem(x->out, tmp + 1, 5);
		ln_lit(x->out, ", ");
	}
	ln_lit(x->out, "hlim ");
	ln_u32(x->out, hlim);
	ln_lit(x->out, ", next-header ");
	ln_str(x->out, proto_name(nh));
	ln_lit(x->out, " (");
	ln_u32(x->out, nh);
	ln_lit(x->out, ") payload length: ");
	ln_u32(x->out, plen);
	ln_lit(x->out, ") ");
}

/* ip6_sopt_print(): the sub-options after a home address option's address. -1: cut. */
static int ip6_sub_opts(struct print_ctx *x, const struct cursor *o, size_t at, size_t len)
{
	size_t i, optlen;
	uint8_t t, l;

	for (i = 0; i < len; i += optlen) {
		print_at_u8(o, at + i, &t);
		if (t == 0) {
			optlen = 1;
		} else {
			if (i + 1 >= len)
				return -1;
			print_at_u8(o, at + i + 1, &l);
			optlen = (size_t)l + 2;
		}
		if (i + optlen > len)
			return -1;
		if (t == 0) {
			ln_lit(x->out, ", pad1");
		} else if (t == 1) {
			ln_lit(x->out, ", padn");
		} else {
			ln_lit(x->out, ", sopt_type 0x");
			ln_hexbytes(x->out, &t, 1);
			ln_lit(x->out, ": len=");
			ln_u32(x->out, l);
		}
	}
	return 0;
}

int print_ip6_opt_verbose(struct print_ctx *x, const struct cursor *o, size_t i, uint8_t t, size_t optlen)
{
	uint16_t v;
	uint8_t a[16], l = (uint8_t)(optlen - 2);
	struct cursor c = *o;

	switch (t) {
	case 1:
		ln_lit(x->out, "(padn)");
		return 0;
	case 5:
		print_at_u16(o, i + 2, &v);
		ln_lit(x->out, "(rtalert: 0x");
		a[0] = (uint8_t)(v >> 8);
		a[1] = (uint8_t)v;
		ln_hexbytes(x->out, a, 2);
		ln_lit(x->out, ") ");
		return 0;
	case 0xc9:
		cur_skip(&c, i + 2);
		cur_copy(&c, a, 16);
		ln_lit(x->out, "(homeaddr: ");
		ln_ip6(x->out, a);
		if (l > 16 && ip6_sub_opts(x, o, i + 18, optlen - 18) < 0)
			return -1;
		ln_chr(x->out, ')');
		return 0;
	}
	ln_lit(x->out, "(opt_type 0x");
	ln_hexbytes(x->out, &t, 1);
	ln_lit(x->out, ": len=");
	ln_u32(x->out, l);
	ln_chr(x->out, ')');
	return 0;
}
