/* print_icmp.c: the ICMP part of a tcpdump 4.99 -nn line, its wording for every type and code. */
#include "print.h"

/*
 * tcpdump words an ICMP message into a buffer of MAXHOSTNAMELEN + 100 bytes
 * (64 + 100 on Linux; snprintf cuts what does not fit, a long router
 * advertisement) and prints it only when every field it read was captured:
 * a message cut anywhere before prints " [|icmp]" alone.
 */
#define ICMP_TEXT_MAX 163

/* The message as captured, and whether every field read so far was there. */
struct icmp_rd {
	struct cursor m;
	int ok;
	int soft;   /* it was cut where tcpdump checks with ND_TCHECK (no longjmp) */
};

/* After a read tcpdump makes with ND_TCHECK: whether the message goes on. */
static int tcheck(struct icmp_rd *r)
{
	if (!r->ok)
		r->soft = 1;
	return r->ok;
}

static uint32_t rd8(struct icmp_rd *r, size_t off)
{
	uint8_t v;
	if (!print_at_u8(&r->m, off, &v))
		r->ok = 0;
	return v;
}

static uint32_t rd16(struct icmp_rd *r, size_t off)
{
	uint16_t v;
	if (!print_at_u16(&r->m, off, &v))
		r->ok = 0;
	return v;
}

static uint32_t rd32(struct icmp_rd *r, size_t off)
{
	uint32_t v;
	if (!print_at_u32(&r->m, off, &v))
		r->ok = 0;
	return v;
}

/* The IPv4 address at off, or nothing (and the message marked cut) when it was not captured. */
static void addr_at(struct icmp_rd *r, struct line *t, size_t off)
{
	struct cursor a = r->m;
	uint8_t ip[4];

	if (!cur_skip(&a, off) || !cur_copy(&a, ip, 4)) {
		r->ok = 0;
		return;
	}
	ln_ip4(t, ip);
}

/* The destination of the quoted IPv4 header (8 bytes into the message, 16 into that header). */
#define QUOTED_DST 24

/* Unreachable codes whose words are "net|host A unreachable - <what>" or "A unreachable - <what>". */
struct unreach_words {
	const char *before, *after;
};

static const struct unreach_words unreach_codes[16] = {
	[0] = { "net ", " unreachable" },
	[1] = { "host ", " unreachable" },
	[5] = { "", " unreachable - source route failed" },
	[6] = { "net ", " unreachable - unknown" },
	[7] = { "host ", " unreachable - unknown" },
	[8] = { "", " unreachable - source host isolated" },
	[9] = { "net ", " unreachable - admin prohibited" },
	[10] = { "host ", " unreachable - admin prohibited" },
	[11] = { "net ", " unreachable - tos prohibited" },
	[12] = { "host ", " unreachable - tos prohibited" },
	[13] = { "host ", " unreachable - admin prohibited filter" },
	[14] = { "host ", " unreachable - host precedence violation" },
	[15] = { "host ", " unreachable - precedence cutoff" },
};

/* Port unreachable: the quoted datagram's destination port, read past the quoted header's IHL. */
static void unreach_port(struct icmp_rd *r, struct line *t)
{
	uint32_t proto, hlen, dport;

	rd8(r, 17);
	if (!tcheck(r))
		return;
	hlen = (rd8(r, 8) & 0x0f) * 4u;
	dport = rd16(r, 8 + hlen + 2);
	proto = rd8(r, 17);
	addr_at(r, t, QUOTED_DST);
	if (proto == 6 || proto == 17) {
		ln_str(t, proto == 6 ? " tcp port " : " udp port ");
		ln_u32(t, dport);
		ln_lit(t, " unreachable");
		return;
	}
	ln_lit(t, " protocol ");
	ln_u32(t, proto);
	ln_lit(t, " port ");
	ln_u32(t, dport);
	ln_lit(t, " unreachable");
}

static void unreach(struct icmp_rd *r, struct line *t, uint8_t code)
{
	uint32_t v;

	switch (code) {
	case 2:
		addr_at(r, t, QUOTED_DST);
		ln_lit(t, " protocol ");
		ln_u32(t, rd8(r, 17));
		ln_lit(t, " unreachable");
		return;
	case 3:
		unreach_port(r, t);
		return;
	case 4:
		v = rd16(r, 6);
		addr_at(r, t, QUOTED_DST);
		ln_lit(t, " unreachable - need to frag");
		if (v != 0) {
			ln_lit(t, " (mtu ");
			ln_u32(t, v);
			ln_chr(t, ')');
		}
		return;
	}
	if (code < 16 && unreach_codes[code].before != NULL) {
		ln_str(t, unreach_codes[code].before);
		addr_at(r, t, QUOTED_DST);
		ln_str(t, unreach_codes[code].after);
		return;
	}
	addr_at(r, t, QUOTED_DST);
	ln_lit(t, " unreachable - #");
	ln_u32(t, code);
}

static void redirect(struct icmp_rd *r, struct line *t, uint8_t code)
{
	static const char *const words[4][2] = {
		{ "redirect ", " to net " }, { "redirect ", " to host " },
		{ "redirect-tos ", " to net " }, { "redirect-tos ", " to host " },
	};

	if (code < 4) {
		ln_str(t, words[code][0]);
		addr_at(r, t, QUOTED_DST);
		ln_str(t, words[code][1]);
	} else {
		ln_lit(t, "redirect-#");
		ln_u32(t, code);
		ln_chr(t, ' ');
		addr_at(r, t, QUOTED_DST);
		ln_lit(t, " to ");
	}
	addr_at(r, t, 4);
}

/* "L", "M:SS" or "H:MM:SS". */
static void lifetime(struct line *t, uint32_t v)
{
	if (v >= 3600) {
		ln_u32(t, v / 3600);
		ln_chr(t, ':');
		ln_u32_width(t, v % 3600 / 60, 2);
		ln_chr(t, ':');
	} else if (v >= 60) {
		ln_u32(t, v / 60);
		ln_chr(t, ':');
	} else {
		ln_u32(t, v);
		return;
	}
	ln_u32_width(t, v % 60, 2);
}

/* RFC 1256: "router advertisement lifetime L N: {addr pref}..." */
static void router_advert(struct icmp_rd *r, struct line *t)
{
	uint32_t num, size;

	ln_lit(t, "router advertisement");
	rd32(r, 4);
	if (!tcheck(r))
		return;
	ln_lit(t, " lifetime ");
	lifetime(t, rd16(r, 6));
	num = rd8(r, 4);
	ln_chr(t, ' ');
	ln_u32(t, num);
	ln_chr(t, ':');
	size = rd8(r, 5);
	if (size != 2) {
		ln_lit(t, " [size ");
		ln_u32(t, size);
		ln_chr(t, ']');
		return;
	}
	for (uint32_t i = 0; i < num && r->ok; i++) {
		rd32(r, 8 + 8 * i + 4);
		if (!tcheck(r))
			return;
		ln_lit(t, " {");
		addr_at(r, t, 8 + 8 * i);
		ln_chr(t, ' ');
		ln_u32(t, rd32(r, 8 + 8 * i + 4));
		ln_chr(t, '}');
	}
}

/* Milliseconds since midnight UTC as "HH:MM:SS.mmm" (the hours are not wrapped). */
static void tstamp(struct line *t, uint32_t ms)
{
	uint32_t sec = ms / 1000, min = sec / 60, hrs = min / 60;

	ln_u32_width(t, hrs, 2);
	ln_chr(t, ':');
	ln_u32_width(t, min - hrs * 60, 2);
	ln_chr(t, ':');
	ln_u32_width(t, sec - min * 60, 2);
	ln_chr(t, '.');
	ln_u32_width(t, ms % 1000, 3);
}

static void tstamp_reply(struct icmp_rd *r, struct line *t)
{
	rd32(r, 16);
	if (!tcheck(r))
		return;
	ln_lit(t, "time stamp reply id ");
	ln_u32(t, rd16(r, 4));
	ln_lit(t, " seq ");
	ln_u32(t, rd16(r, 6));
	ln_lit(t, ": org ");
	tstamp(t, rd32(r, 8));
	ln_lit(t, ", recv ");
	tstamp(t, rd32(r, 12));
	ln_lit(t, ", xmit ");
	tstamp(t, rd32(r, 16));
}

static void time_exceeded(struct icmp_rd *r, struct line *t, uint8_t code)
{
	rd32(r, QUOTED_DST);
	if (!tcheck(r))
		return;
	if (code == 0) {
		ln_lit(t, "time exceeded in-transit");
	} else if (code == 1) {
		ln_lit(t, "ip reassembly time exceeded");
	} else {
		ln_lit(t, "time exceeded-#");
		ln_u32(t, code);
	}
}

/* The types worded by name alone; the others (and these) as tcpdump's icmp2str. */
static const char *type_name(uint8_t type)
{
	switch (type) {
	case 4: return "source quench";
	case 10: return "router solicitation";
	case 15: return "information request";
	case 16: return "information reply";
	case 17: return "address mask request";
	}
	return NULL;
}

static void icmp_words(struct icmp_rd *r, struct line *t, uint8_t type, uint8_t code)
{
	const char *n;

	switch (type) {
	case 0:
	case 8:
		ln_str(t, type == 8 ? "echo request, id " : "echo reply, id ");
		ln_u32(t, rd16(r, 4));
		ln_lit(t, ", seq ");
		ln_u32(t, rd16(r, 6));
		return;
	case 3: unreach(r, t, code); return;
	case 5: redirect(r, t, code); return;
	case 9: router_advert(r, t); return;
	case 11: time_exceeded(r, t, code); return;
	case 12:
		ln_lit(t, "parameter problem - ");
		ln_str(t, code != 0 ? "code " : "octet ");
		ln_u32(t, code != 0 ? code : rd8(r, 4));
		return;
	case 13:
		ln_lit(t, "time stamp query id ");
		ln_u32(t, rd16(r, 4));
		ln_lit(t, " seq ");
		ln_u32(t, rd16(r, 6));
		return;
	case 14: tstamp_reply(r, t); return;
	case 18: {
		uint8_t mask[4];
		uint32_t v = rd32(r, 8);
		for (int i = 0; i < 4; i++)
			mask[i] = (uint8_t)(v >> (24 - 8 * i));
		ln_lit(t, "address mask is 0x");
		ln_hexbytes(t, mask, 4);
		return;
	}
	}
	n = type_name(type);
	if (n != NULL) {
		ln_str(t, n);
	} else {
		ln_lit(t, "type-#");
		ln_u32(t, type);
	}
}

/* RFC 4884: where the extension structure starts, after the 128 bytes of quoted datagram. */
#define EXT_AT 136
#define EXT_HDR_MIN 141   /* the bytes tcpdump checks are there before it reads the extension */

/* print_unknown_data() with the indent "\n\t    ": up to n bytes of o, as captured. */
static void ext_hex(struct line *out, struct cursor o, uint32_t n)
{
	uint8_t b;

	if (cur_len(&o) < n)
		n = (uint32_t)cur_len(&o);
	for (uint32_t i = 0; i < n; i++) {
		if (i % 16 == 0) {
			uint8_t off[2] = { (uint8_t)(i >> 8), (uint8_t)i };
			ln_lit(out, "\n\t    0x");
			ln_hexbytes(out, off, 2);
			ln_lit(out, ": ");
		}
		if (i % 2 == 0)
			ln_chr(out, ' ');
		cur_get_u8(&o, &b);
		ln_hexbytes(out, &b, 1);
	}
}

/* The objects of an extension structure: o from the first object on, hlen its bytes by the message's length. */
static int ext_objects(struct print_ctx *x, struct cursor o, uint32_t hlen)
{
	static const char *const names[3] = { "unknown", "MPLS Stack Entry", "Interface Identification" };
	uint16_t tlen;
	uint8_t cls, ctype;
	uint32_t label;

	while (hlen > 4) {
		if (!print_at_u16(&o, 0, &tlen) || !print_at_u8(&o, 3, &ctype)) {
			x->soft_trunc = 1;
			return 0;
		}
		print_at_u8(&o, 2, &cls);
		cur_skip(&o, 4);
		ln_lit(x->out, "\n\t  ");
		ln_str(x->out, names[cls < 3 ? cls : 0]);
		ln_lit(x->out, " Object (");
		ln_u32(x->out, cls);
		ln_lit(x->out, "), Class-Type: ");
		ln_u32(x->out, ctype);
		ln_lit(x->out, ", length ");
		ln_u32(x->out, tlen);
		hlen -= 4;
		if (cls == 0 || tlen < 4)
			return 1;
		tlen -= 4;
		if (cls == 1 && ctype == 1) {
			if (!print_at_u32(&o, 0, &label))
				return 0;
			ln_lit(x->out, "\n\t    label ");
			ln_u32(x->out, label >> 12);
			ln_lit(x->out, ", tc ");
			ln_u32(x->out, label >> 9 & 7);
			if (label & 0x100)
				ln_lit(x->out, ", [S]");
			ln_lit(x->out, ", ttl ");
			ln_u32(x->out, label & 0xff);
		} else {
			ext_hex(x->out, o, tlen);
		}
		if (hlen < tlen)
			return 1;
		hlen -= tlen;
		if (!cur_skip(&o, tlen))
			o = cur_make(NULL, 0);
	}
	return 1;
}

/* -v: the RFC 4884 extension structure of an unreachable, time exceeded or parameter problem message. */
static int print_icmp_ext(struct print_ctx *x, struct cursor m, uint32_t type, uint32_t length)
{
	struct cursor e = m;
	uint8_t len8, ver;
	uint16_t csum;
	uint32_t hlen;

	if (length <= EXT_AT || (type != 3 && type != 11 && type != 12))
		return 1;
	if (cur_len(&m) < EXT_HDR_MIN) {
		x->soft_trunc = 1;
		return 0;
	}
	print_at_u8(&m, 5, &len8);
	cur_skip(&e, EXT_AT);
	if (len8 == 0 && cur_len(&m) >= length) {
		struct cursor s = e;
		cur_truncate(&s, length - EXT_AT);
		if (print_cksum(s) != 0)
			return 1;
	}
	print_at_u8(&e, 0, &ver);
	ln_lit(x->out, "\n\tICMP Multi-Part extension v");
	ln_u32(x->out, ver >> 4);
	if (ver >> 4 != 2) {
		ln_lit(x->out, " packet not supported");
		return 1;
	}
	hlen = length - EXT_AT;
	if (cur_len(&m) >= length) {
		struct cursor s = e;
		uint8_t b[2];
		cur_truncate(&s, hlen);
		print_at_u16(&e, 2, &csum);
		b[0] = (uint8_t)(csum >> 8);
		b[1] = (uint8_t)csum;
		ln_lit(x->out, ", checksum 0x");
		ln_hexbytes(x->out, b, 2);
		ln_str(x->out, print_cksum(s) != 0 ? " (incorrect), length " : " (correct), length ");
		ln_u32(x->out, hlen);
	}
	cur_skip(&e, 4);
	return ext_objects(x, e, hlen - 4);
}

/* The types whose message quotes the IP packet that caused it (tcpdump's ICMP_ERRTYPE). */
static int quotes_packet(uint32_t type)
{
	return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
}

/*
 * -v: " (wrong icmp cksum ...)" when the whole message was captured (and it
 * is not a first fragment), then for an error its quoted packet on lines of
 * its own, then RFC 4884 extensions (print_icmp_ext). 0: cut short.
 */
static int icmp_verbose(struct print_ctx *x, struct cursor m, uint32_t type, uint32_t length,
			int fragmented)
{
	struct cursor q = m;
	uint16_t field = 0, sum, iplen;

	if (!fragmented && cur_len(&m) >= length) {
		struct cursor all = m;
		cur_truncate(&all, length);
		sum = print_cksum(all);
		if (sum != 0) {
			print_at_u16(&m, 2, &field);
			ln_lit(x->out, " (wrong icmp cksum ");
			ln_hex(x->out, field);
			ln_lit(x->out, " (->");
			ln_hex(x->out, print_cksum_shouldbe(field, sum));
			ln_lit(x->out, ")!)");
		}
	}
	if (!quotes_packet(type))
		return print_icmp_ext(x, m, type, length);
	ln_lit(x->out, "\n\t");
	if (!print_at_u16(&m, 8 + 2, &iplen))
		return 0;
	cur_skip(&q, 8);
	cur_truncate(&q, iplen);
	if (!print_ip_quoted(x, q, iplen, 0))
		return 0;
	x->proto = "icmp";
	return print_icmp_ext(x, m, type, length);
}

/* icmp_print() of tcpdump. m: the message as captured, length: its length by the IP header. */
int print_icmp(struct print_ctx *x, struct cursor m, uint32_t length, int fragmented)
{
	struct icmp_rd r = { m, 1, 0 };
	char buf[ICMP_TEXT_MAX];
	struct line t;
	uint32_t type, code;

	x->proto = "icmp";
	type = rd8(&r, 0);
	code = rd8(&r, 1);
	if (!r.ok)
		return 0;
	ln_init(&t, buf, sizeof(buf));
	icmp_words(&r, &t, (uint8_t)type, (uint8_t)code);
	if (!r.ok) {
		x->soft_trunc = r.soft;
		return 0;
	}
	ln_lit(x->out, "ICMP ");
	ln_mem(x->out, buf, t.len);
	ln_lit(x->out, ", length ");
	ln_u32(x->out, length);
	if (x->flags & PRINT_VERBOSE)
		return icmp_verbose(x, m, type, length, fragmented);
	return 1;
}
