/* print_icmp6.c: the ICMPv6 part of a tcpdump 4.99 -nn line, its wording for every type and code. */
#include "print_icmp6.h"

/* tcpdump's names of the ICMPv6 types (icmp6_type_values). */
static const char *type_name(uint8_t type)
{
	switch (type) {
	case 1: return "destination unreachable";
	case 2: return "packet too big";
	case 3: return "time exceeded in-transit";
	case 4: return "parameter problem";
	case 128: return "echo request";
	case 129: return "echo reply";
	case 130: return "multicast listener query";
	case 131: return "multicast listener report";
	case 132: return "multicast listener done";
	case 133: return "router solicitation";
	case 134: return "router advertisement";
	case 135: return "neighbor solicitation";
	case 136: return "neighbor advertisement";
	case 137: return "redirect";
	case 138: return "router renumbering";
	case 139: return "who-are-you request";   /* tcpdump's table has these first, */
	case 140: return "who-are-you reply";     /* then "node information ..." */
	case 141: return "inverse neighbor solicitation";
	case 142: return "inverse neighbor advertisement";
	case 143: return "multicast listener report v2";
	case 144: return "ha discovery request";
	case 145: return "ha discovery reply";
	case 146: return "mobile router solicitation";
	case 147: return "mobile router advertisement";
	case 155: return "RPL";
	case 200: return "mtrace response";
	case 201: return "mtrace message";
	}
	return NULL;
}

/* The quoted IPv6 header starts 8 bytes into the message; its source 8 and destination 24 bytes into it. */
#define Q_SRC (8 + 8)
#define Q_DST (8 + 24)


/*
 * tcpdump's get_upperlayer(): the quoted packet's TCP or UDP header, past
 * its extension headers and AH. Returns its offset in m (its destination
 * port captured) and its protocol in *prot, or 0.
 */
static size_t upper_layer(const struct cursor *m, uint8_t *prot)
{
	size_t at = 8, hlen = 40, end = cur_len(m);
	uint8_t nh, len;
	uint16_t v;

	if (!print_at_u8(m, at + 6, &nh))
		return 0;
	while (at < end) {
		at += hlen;
		switch (nh) {
		case 6:
		case 17:
			*prot = nh;
			return print_at_u16(m, at + 2, &v) ? at : 0;
		case 0:
		case 43:
		case 51:
		case 60:
			if (!print_at_u8(m, at + 1, &len))
				return 0;
			hlen = nh == 51 ? ((size_t)len + 2) << 2 : ((size_t)len + 1) << 3;
			print_at_u8(m, at, &nh);
			break;
		case 44:
			if (!print_at_u16(m, at + 2, &v) || (v & 0xfff8) != 0)
				return 0;
			print_at_u8(m, at, &nh);
			hlen = 8;
			break;
		default:
			return 0;
		}
	}
	return 0;
}

/* Destination unreachable: the code's words and what it names of the quoted packet; 2: a hex dump instead. */
static int unreach(struct print_ctx *x, const struct cursor *m, uint8_t code, uint32_t length)
{
	static const char *const words[5] = {
		"unreachable route", " unreachable prohibited", "beyond scope",
		"unreachable address", "unreachable port",
	};
	uint8_t dst[16], src[16], prot = 0;
	uint16_t dport;
	size_t at;

	ln_lit(x->out, ", ");
	if (code > 4) {
		ln_lit(x->out, "unknown unreach code (");
		ln_u32(x->out, code);
		ln_chr(x->out, ')');
		if (!(x->flags & PRINT_VERBOSE2))
			print_hexdump(x, *m, length, 0);
		return 2;
	}
	ln_str(x->out, words[code]);
	if (code == 4) {
		if ((at = upper_layer(m, &prot)) == 0) {
			x->soft_trunc = 1;   /* tcpdump's "goto trunc": no longjmp */
			return 0;
		}
		print_at_u16(m, at + 2, &dport);
		if (!icmp6_addr(m, Q_DST, dst))
			return 0;
		ln_lit(x->out, ", ");
		ln_ip6(x->out, dst);
		ln_str(x->out, prot == 6 ? " tcp port " : " udp port ");
		ln_u32(x->out, dport);
		return 1;
	}
	if (!icmp6_addr(m, Q_DST, dst) || (code == 2 && !icmp6_addr(m, Q_SRC, src)))
		return 0;
	ln_chr(x->out, ' ');
	ln_ip6(x->out, dst);
	if (code == 2) {
		ln_lit(x->out, ", source address ");
		ln_ip6(x->out, src);
	}
	return 1;
}

static int time_exceeded(struct print_ctx *x, const struct cursor *m, uint8_t code)
{
	uint8_t dst[16];

	if (code == 0) {
		if (!icmp6_addr(m, Q_DST, dst))
			return 0;
		ln_lit(x->out, " for ");
		ln_ip6(x->out, dst);
	} else if (code == 1) {
		ln_lit(x->out, " (reassembly)");
	} else {
		ln_lit(x->out, ", unknown code (");
		ln_u32(x->out, code);
		ln_chr(x->out, ')');
	}
	return 1;
}

static int param_problem(struct print_ctx *x, const struct cursor *m, uint8_t code)
{
	static const char *const words[4] = {
		", erroneous - octet ", ", next header - octet ", ", option - octet ",
		", incomplete header chain - octet ",
	};
	uint8_t dst[16];
	uint32_t ptr;

	if (!icmp6_addr(m, Q_DST, dst)) {
		x->soft_trunc = 1;   /* tcpdump's ND_TCHECK_16: no longjmp */
		return 0;
	}
	if (code > 3) {
		ln_lit(x->out, ", code-#");
		ln_u32(x->out, code);
		return 1;
	}
	if (!print_at_u32(m, 4, &ptr))
		return 0;
	ln_str(x->out, words[code]);
	ln_u32(x->out, ptr);
	return 1;
}

/* ", <words> <address at off>", the address captured; else 0 and nothing printed. */
static int words_addr(struct print_ctx *x, const struct cursor *m, const char *words, size_t off)
{
	uint8_t a[16];

	if (!icmp6_addr(m, off, a))
		return 0;
	ln_str(x->out, words);
	ln_ip6(x->out, a);
	return 1;
}

/* Two 16-bit fields: ", id N, seq N" or ", id 0xNNNN". */
static int ids(struct print_ctx *x, const struct cursor *m, int hex)
{
	uint16_t id, seq;
	uint8_t b[2];

	if (!print_at_u16(m, 4, &id) || (!hex && !print_at_u16(m, 6, &seq)))
		return 0;
	if (hex) {
		b[0] = (uint8_t)(id >> 8);
		b[1] = (uint8_t)id;
		ln_lit(x->out, ", id 0x");
		ln_hexbytes(x->out, b, 2);
		return 1;
	}
	ln_lit(x->out, ", id ");
	ln_u32(x->out, id);
	ln_lit(x->out, ", seq ");
	ln_u32(x->out, seq);
	return 1;
}

/* RPL (RFC 6550) without -v: whether the message is secured, and its kind. */
static void rpl(struct print_ctx *x, uint8_t code)
{
	static const char *const kinds[4] = {
		"DODAG Information Solicitation", "DODAG Information Object",
		"Destination Advertisement Object", "Destination Advertisement Object Ack",
	};

	if (code & 0x80) {
		ln_lit(x->out, ", (SEC) [worktodo]");
		return;
	}
	ln_lit(x->out, ", (CLR)");
	if (code < 4) {
		ln_str(x->out, kinds[code]);
	} else {
		ln_lit(x->out, "RPL message, unknown code ");
		ln_u32(x->out, code);
	}
}

/* What follows the type's name: 1 then ", length N", 2 nothing more, 0 cut ( [|icmp6]). */
static int icmp6_body(struct print_ctx *x, const struct cursor *m, uint8_t type, uint8_t code,
		      uint32_t length, unsigned v)
{
	uint32_t mtu;

	switch (type) {
	case 1: return unreach(x, m, code, length);
	case 2:
		if (!print_at_u32(m, 4, &mtu))
			return 0;
		ln_lit(x->out, ", mtu ");
		ln_u32(x->out, mtu);
		return 1;
	case 3: return time_exceeded(x, m, code);
	case 4: return param_problem(x, m, code);
	case 128:
	case 129: return ids(x, m, 0);
	case 130:
	case 131:
	case 132:
	case 143: return icmp6_mld(x, m, type, length, v);
	case 133:
	case 134:
	case 141:
	case 142:
	case 145:
	case 147: return 1;
	case 135: return words_addr(x, m, ", who has ", 8);
	case 136: return words_addr(x, m, ", tgt is ", 8);
	case 137: return words_addr(x, m, ", ", 24) && words_addr(x, m, " to ", 8);
	case 138: return icmp6_rrenum(x, m, v);
	case 139:
	case 140: return icmp6_nodeinfo(x, m, type, length, v);
	case 144:
	case 146: return ids(x, m, 1);
	case 155: rpl(x, code); return 1;
	}
	ln_lit(x->out, ", length ");
	ln_u32(x->out, length);
	if (v < 2)
		print_hexdump(x, *m, length, 0);
	return 2;
}

/*
 * -v: "[icmp6 sum ok] " or "[bad icmp6 cksum ...] " when the whole message
 * was captured; 0 when that is less than its checksum field (tcpdump reads
 * the field first and jumps out).
 */
static int icmp6_cksum(struct print_ctx *x, struct cursor m, uint32_t length)
{
	uint16_t field = 0, sum;

	if (cur_len(&m) < length)
		return 1;
	cur_truncate(&m, length);
	if (!print_at_u16(&m, 2, &field))
		return 0;
	sum = print_l4_cksum(x->p, m, 58);
	print_cksum_note(x->out, "icmp6", field, sum);
	return 1;
}

/* The types whose -v words give the length right after the type's name. */
static int length_first(uint8_t type)
{
	return (type >= 133 && type <= 137) || type == 145 || type == 147;
}

/* icmp6_print() of tcpdump. m: the message as captured, length: its length by the IPv6 header. */
int print_icmp6(struct print_ctx *x, struct cursor m, uint32_t length, int fragmented)
{
	const char *n;
	uint8_t type, code;
	unsigned v = x->flags & PRINT_VERBOSE ? (x->flags & PRINT_VERBOSE2 ? 2 : 1) : 0;
	int r = -1;

	x->proto = "icmp6";
	if (length == 0) {
		ln_lit(x->out, "ICMP6, length 0 (invalid)");
		return 1;
	}
	if (!print_at_u8(&m, 0, &type))
		return 0;
	if (v && !fragmented && !icmp6_cksum(x, m, length))
		return 0;
	ln_lit(x->out, "ICMP6, ");
	n = type_name(type);
	if (n != NULL) {
		ln_str(x->out, n);
	} else {
		ln_lit(x->out, "unknown icmp6 type (");
		ln_u32(x->out, type);
		ln_chr(x->out, ')');
	}
	if (v && length_first(type)) {
		ln_lit(x->out, ", length ");
		ln_u32(x->out, length);
	}
	if (!print_at_u8(&m, 1, &code))
		return 0;
	if (v)
		r = icmp6_verbose(x, &m, type, code, length, v);
	if (r < 0)
		r = icmp6_body(x, &m, type, code, length, v);
	if (r == 1 && !v) {
		ln_lit(x->out, ", length ");
		ln_u32(x->out, length);
	}
	return r != 0;
}
