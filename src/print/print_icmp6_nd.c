/* print_icmp6_nd.c: tcpdump 4.99 -v's ICMPv6 neighbor discovery, its options, mobile IPv6 and RPL words. */
#include "print_icmp6.h"

/* What a reader gives back: on, cut by a read tcpdump jumps out of, or by a check it returns from. */
enum { ND_JUMP = 0, ND_OK = 1, ND_SOFT = -1, ND_STOP = 2 };

/*
 * print_unknown_data(): up to n bytes of m from off, as captured, as
 * hex_print() words them after indent. Only `synack print` shows them.
 */
static void nd_hex(struct print_ctx *x, const struct cursor *m, size_t off, size_t n, const char *indent)
{
	size_t end = cur_len(m);
	uint8_t b;

	if (!(x->flags & PRINT_HEXDUMP) || off > end)
		return;
	if (n > end - off)
		n = end - off;
	for (size_t i = 0; i < n; i++) {
		if (i % 16 == 0) {
			uint8_t o[2] = { (uint8_t)(i >> 8), (uint8_t)i };
			ln_str(x->out, indent);
			ln_lit(x->out, "0x");
			ln_hexbytes(x->out, o, 2);
			ln_lit(x->out, ": ");
		}
		if (i % 2 == 0)
			ln_chr(x->out, ' ');
		print_at_u8(m, off + i, &b);
		ln_hexbytes(x->out, &b, 1);
	}
}

/* bittok2str(): the names of the bits set in f, ", " between, "none" for none. */
static void nd_flags(struct line *out, uint32_t f, const uint32_t *bits, const char *const *names, int n)
{
	int any = 0;

	for (int i = 0; i < n; i++) {
		if ((f & bits[i]) == 0)
			continue;
		if (any)
			ln_lit(out, ", ");
		ln_str(out, names[i]);
		any = 1;
	}
	if (!any)
		ln_lit(out, "none");
}

/* get_rtpref(): a router preference from bits 3-4. */
static const char *nd_pref(uint8_t f)
{
	static const char *const prefs[4] = { "medium", "high", "rsv", "low" };
	return prefs[(f & 0x18) >> 3];
}

/* get_lifetime(): "Ns" or "infinity". */
static void nd_lifetime(struct line *out, uint32_t t)
{
	if (t == 0xffffffffu) {
		ln_lit(out, "infinity");
		return;
	}
	ln_u32(out, t);
	ln_chr(out, 's');
}

/* ", " and the address at off; ND_JUMP when not captured. */
static int nd_addr(struct print_ctx *x, const struct cursor *m, size_t off, const char *words)
{
	uint8_t a[16];

	if (!icmp6_addr(m, off, a))
		return ND_JUMP;
	ln_str(x->out, words);
	ln_ip6(x->out, a);
	return ND_OK;
}

/* The prefix information option (3). */
static int opt_prefix(struct print_ctx *x, const struct cursor *m, size_t o, uint8_t len)
{
	static const uint32_t bits[3] = { 0x80, 0x40, 0x20 };
	static const char *const names[3] = { "onlink", "auto", "router" };
	uint8_t a[16], plen, flags;
	uint32_t valid, pref;

	if (!icmp6_addr(m, o + 16, a))
		return ND_JUMP;
	print_at_u8(m, o + 2, &plen);
	print_at_u8(m, o + 3, &flags);
	print_at_u32(m, o + 4, &valid);
	print_at_u32(m, o + 8, &pref);
	ln_ip6(x->out, a);
	ln_chr(x->out, '/');
	ln_u32(x->out, plen);
	if (len != 4)
		ln_lit(x->out, "badlen");
	ln_lit(x->out, ", Flags [");
	nd_flags(x->out, flags, bits, names, 3);
	ln_lit(x->out, "], valid time ");
	nd_lifetime(x->out, valid);
	ln_lit(x->out, ", pref. time ");
	nd_lifetime(x->out, pref);
	return ND_OK;
}

/* The route information option (24, RFC 4191): a prefix of 0, 8 or 16 bytes. */
static int opt_route(struct print_ctx *x, const struct cursor *m, size_t o, uint8_t len)
{
	uint8_t a[16] = { 0 }, plen, flags;
	uint32_t life;
	struct cursor c = *m;

	if (len > 3)
		return ND_SOFT;
	if (len > 1 && !(cur_skip(&c, o + 8) && cur_copy(&c, a, len == 2 ? 8 : 16)))
		return ND_JUMP;
	print_at_u8(m, o + 2, &plen);
	print_at_u8(m, o + 3, &flags);
	print_at_u32(m, o + 4, &life);
	ln_chr(x->out, ' ');
	ln_ip6(x->out, a);
	ln_chr(x->out, '/');
	ln_u32(x->out, plen);
	ln_lit(x->out, ", pref=");
	ln_str(x->out, nd_pref(flags));
	ln_lit(x->out, ", lifetime=");
	nd_lifetime(x->out, life);
	return ND_OK;
}

/* The recursive DNS server option (25): its lifetime and (len - 1) / 2 addresses. */
static int opt_rdnss(struct print_ctx *x, const struct cursor *m, size_t o, uint8_t len)
{
	uint32_t life;

	if (!print_at_u32(m, o + 4, &life))
		return ND_JUMP;
	ln_lit(x->out, " lifetime ");
	ln_u32(x->out, life);
	ln_lit(x->out, "s,");
	for (size_t i = 0; i < (size_t)(len - 1) / 2; i++)
		if (nd_addr(x, m, o + 8 + 16 * i, " addr: ") != ND_OK)
			return ND_JUMP;
	return ND_OK;
}

/*
 * fqdn_print() of one name at *at (pointers count from base, the first
 * option): its labels each followed by '.', "." for the root. ND_SOFT
 * where tcpdump returns NULL (cut, a bad pointer, a label kind it does
 * not know); *at is then past the name as it lies in the option.
 */
static int dnssl_name(struct print_ctx *x, const struct cursor *m, size_t *at, size_t base)
{
	size_t cp = *at, max_off = *at - base, chars = 0, rp = 0;
	int jumped = 0;
	uint8_t i, b;

	if (!print_at_u8(m, cp++, &i))
		return ND_SOFT;
	if (i == 0) {
		ln_chr(x->out, '.');
		*at = cp;
		return ND_OK;
	}
	while (i != 0) {
		if ((i & 0xc0) == 0xc0) {
			size_t off;
			if (!print_at_u8(m, cp, &b))
				return ND_SOFT;
			if (!jumped)
				rp = cp + 1;
			jumped = 1;
			off = (size_t)((i & 0x3f) << 8 | b);
			if (off >= max_off) {
				ln_lit(x->out, "<BAD PTR>");
				return ND_SOFT;
			}
			max_off = off;
			cp = base + off;
			if (!print_at_u8(m, cp++, &i))
				return ND_SOFT;
			continue;
		}
		if ((i & 0xc0) != 0) {
			ln_lit(x->out, "<ELT ");
			ln_u32(x->out, i & 0x3f);
			ln_chr(x->out, '>');
			return ND_SOFT;
		}
		for (uint8_t k = 0; k < i; k++) {
			if (!print_at_u8(m, cp + k, &b))
				return ND_SOFT;
			if (chars + k < 255)
				icmp6_name_char(x->out, b);
		}
		cp += i;
		chars += i;
		if (chars <= 255)
			ln_chr(x->out, '.');
		chars++;
		if (!print_at_u8(m, cp++, &i))
			return ND_SOFT;
	}
	if (chars > 255)
		ln_lit(x->out, "<DOMAIN NAME TOO LONG>");
	*at = jumped ? rp : cp;
	return ND_OK;
}

/* The DNS search list option (31): its lifetime and names until the option's end or a zero byte. */
static int opt_dnssl(struct print_ctx *x, const struct cursor *m, size_t o, uint8_t len, size_t base)
{
	size_t at = o + 8, end = o + (size_t)len * 8;
	uint32_t life;
	uint8_t b;

	if (!print_at_u32(m, o + 4, &life))
		return ND_JUMP;
	ln_lit(x->out, " lifetime ");
	ln_u32(x->out, life);
	ln_lit(x->out, "s, domain(s):");
	while (at < end) {
		if (!print_at_u8(m, at, &b))
			return ND_JUMP;
		if (b == 0)
			break;
		ln_chr(x->out, ' ');
		if (dnssl_name(x, m, &at, base) != ND_OK)
			return ND_SOFT;
	}
	return ND_OK;
}

/* A link-layer address option (1, 2): its bytes as colon-separated hex. */
static void opt_lladdr(struct print_ctx *x, const struct cursor *m, size_t o, uint8_t len)
{
	uint8_t b;

	for (size_t i = 0; i < (size_t)len * 8 - 2; i++) {
		if (i > 0)
			ln_chr(x->out, ':');
		print_at_u8(m, o + 2 + i, &b);
		ln_hexbytes(x->out, &b, 1);
	}
}

/* One option's words after its header line; ND_STOP: tcpdump stops at an unknown option under -vv. */
static int nd_opt(struct print_ctx *x, const struct cursor *m, size_t o, uint8_t t, uint8_t len, size_t base,
		  unsigned v)
{
	uint32_t u;
	uint16_t a, b;

	switch (t) {
	case 1:
	case 2: opt_lladdr(x, m, o, len); return ND_OK;
	case 3: return opt_prefix(x, m, o, len);
	case 4: nd_hex(x, m, base, (size_t)len * 8, "\n\t    "); return ND_OK;
	case 5:
	case 7:
		if (!print_at_u32(m, o + 4, &u))
			return ND_JUMP;
		ln_chr(x->out, ' ');
		ln_u32(x->out, u);
		if (t == 7)
			ln_lit(x->out, "ms");
		else if (len != 1)
			ln_lit(x->out, "bad option length");
		return ND_OK;
	case 8:
		if (!print_at_u16(m, o + 4, &a) || !print_at_u16(m, o + 6, &b))
			return ND_JUMP;
		ln_lit(x->out, " preference ");
		ln_u32(x->out, a);
		ln_lit(x->out, ", lifetime ");
		ln_u32(x->out, b);
		return ND_OK;
	case 24: return opt_route(x, m, o, len);
	case 25: return opt_rdnss(x, m, o, len);
	case 31: return opt_dnssl(x, m, o, len, base);
	}
	if (v > 1)
		return ND_OK;
	nd_hex(x, m, o + 2, (size_t)len * 8 - 2, "\n\t  ");
	return ND_STOP;
}

/* tcpdump's name of an option type (icmp6_opt_values). */
static const char *nd_opt_name(uint8_t t)
{
	switch (t) {
	case 1: return "source link-address";
	case 2: return "destination link-address";
	case 3: return "prefix info";
	case 4: return "redirected header";
	case 5: return "mtu";
	case 7: return "advertisement interval";
	case 8: return "homeagent information";
	case 24: return "route info";
	case 25: return "rdnss";
	case 31: return "dnssl";
	}
	return "unknown";
}

/* icmp6_opt_print(): the options from off on, resid bytes of them by the message's length. */
static int nd_opts(struct print_ctx *x, const struct cursor *m, size_t off, int64_t resid, unsigned v)
{
	size_t end = cur_len(m), base = off;
	uint8_t t, len;
	int r;

	while (off < end) {
		if (off + 1 >= end)
			return ND_SOFT;
		if (resid <= 0)
			return ND_OK;
		print_at_u8(m, off, &t);
		print_at_u8(m, off + 1, &len);
		if (len == 0 || (size_t)len * 8 > end - off)
			return ND_SOFT;
		ln_lit(x->out, "\n\t  ");
		ln_str(x->out, nd_opt_name(t));
		ln_lit(x->out, " option (");
		ln_u32(x->out, t);
		ln_lit(x->out, "), length ");
		ln_u32(x->out, (uint32_t)len * 8);
		ln_lit(x->out, " (");
		ln_u32(x->out, len);
		ln_lit(x->out, "): ");
		r = nd_opt(x, m, off, t, len, base, v);
		if (r == ND_STOP)
			return ND_OK;
		if (r != ND_OK)
			return r;
		if (v > 1)
			nd_hex(x, m, off + 2, (size_t)len * 8 - 2, "\n\t    ");
		off += (size_t)len * 8;
		resid -= (int64_t)len * 8;
	}
	return ND_OK;
}

/* The router advertisement's fields (134) on a line of their own. */
static int nd_ra(struct print_ctx *x, const struct cursor *m)
{
	static const uint32_t bits[3] = { 0x80, 0x40, 0x20 };
	static const char *const names[3] = { "managed", "other stateful", "home agent" };
	uint8_t hops, flags;
	uint16_t life;
	uint32_t reach, retrans;

	if (!print_at_u32(m, 12, &retrans))
		return ND_JUMP;
	print_at_u8(m, 4, &hops);
	print_at_u8(m, 5, &flags);
	print_at_u16(m, 6, &life);
	print_at_u32(m, 8, &reach);
	ln_lit(x->out, "\n\thop limit ");
	ln_u32(x->out, hops);
	ln_lit(x->out, ", Flags [");
	nd_flags(x->out, flags, bits, names, 3);
	ln_lit(x->out, "], pref ");
	ln_str(x->out, nd_pref(flags));
	ln_lit(x->out, ", router lifetime ");
	ln_u32(x->out, life);
	ln_lit(x->out, "s, reachable time ");
	ln_u32(x->out, reach);
	ln_lit(x->out, "ms, retrans timer ");
	ln_u32(x->out, retrans);
	ln_lit(x->out, "ms");
	return ND_OK;
}

/* ", id 0xNNNN" from bytes 4-5. */
static int nd_id(struct print_ctx *x, const struct cursor *m)
{
	uint16_t id;
	uint8_t b[2];

	if (!print_at_u16(m, 4, &id))
		return ND_JUMP;
	b[0] = (uint8_t)(id >> 8);
	b[1] = (uint8_t)id;
	ln_lit(x->out, ", id 0x");
	ln_hexbytes(x->out, b, 2);
	return ND_OK;
}

/* Home agent address discovery reply (145): its id and addresses to the message's end. */
static int nd_ha_reply(struct print_ctx *x, const struct cursor *m, uint32_t length)
{
	size_t end = cur_len(m) < length ? cur_len(m) : length;

	if (nd_id(x, m) != ND_OK)
		return ND_JUMP;
	for (size_t p = 8; p < end; p += 16)
		if (nd_addr(x, m, p, ", ") != ND_OK)
			return ND_JUMP;
	return ND_OK;
}

/* Mobile prefix advertisement (147): its id, M and O flags, then options. */
static int nd_mp_advert(struct print_ctx *x, const struct cursor *m, uint32_t length, unsigned v)
{
	uint16_t f;

	if (nd_id(x, m) != ND_OK || !print_at_u16(m, 6, &f))
		return ND_JUMP;
	if (f & 0xc000)
		ln_chr(x->out, ' ');
	if (f & 0x8000)
		ln_chr(x->out, 'M');
	if (f & 0x4000)
		ln_chr(x->out, 'O');
	return nd_opts(x, m, 8, (int64_t)length - 8, v);
}

/* Neighbor advertisement (136): target, flags, options. */
static int nd_na(struct print_ctx *x, const struct cursor *m, uint32_t length, unsigned v)
{
	static const uint32_t bits[3] = { 0x80000000u, 0x40000000u, 0x20000000u };
	static const char *const names[3] = { "router", "solicited", "override" };
	uint32_t f;

	if (nd_addr(x, m, 8, ", tgt is ") != ND_OK)
		return ND_JUMP;
	print_at_u32(m, 4, &f);
	ln_lit(x->out, ", Flags [");
	nd_flags(x->out, f, bits, names, 3);
	ln_chr(x->out, ']');
	return nd_opts(x, m, 24, (int64_t)length - 24, v);
}

/* RPL's options (rpl_printopts), -vv: n bytes of them from off. */
static int rpl_opts(struct print_ctx *x, const struct cursor *m, size_t off, uint32_t n)
{
	static const char *const names[10] = {
		"pad1", "padN", "metrics", "routinginfo", "config", "rpltarget", "transitinfo", NULL,
		"destprefix", "rpltargetdesc",
	};
	uint8_t t, l;
	uint32_t optlen;

	while (n != 0) {
		if (!print_at_u8(m, off, &t))
			return ND_JUMP;
		if (t == 0) {
			ln_lit(x->out, " opt:pad1");
			optlen = 1;
		} else {
			if (n < 2 || !print_at_u8(m, off + 1, &l))
				return n < 2 ? ND_SOFT : ND_JUMP;
			optlen = (uint32_t)l + 2;
			ln_lit(x->out, " opt:");
			if (t < 10 && names[t] != NULL) {
				ln_str(x->out, names[t]);
			} else {
				ln_lit(x->out, "subopt:");
				ln_u32(x->out, t);
			}
			ln_lit(x->out, " len:");
			ln_u32(x->out, optlen);
			ln_chr(x->out, ' ');
			if (cur_len(m) - off < optlen || n < optlen)
				return ND_SOFT;
		}
		off += optlen;
		n -= optlen;
	}
	return ND_OK;
}

/* A DODAG information object (rpl_dio_print): its 24 bytes at 4 (length from there), then -vv's options. */
static int rpl_dio(struct print_ctx *x, const struct cursor *m, uint32_t length, unsigned v)
{
	static const char *const mops[4] = {
		"nonstoring", "storing", "nonstoring-multicast", "storing-multicast",
	};
	uint8_t a[16], inst, mopprf, dtsn, mop;
	uint16_t rank;

	if (length < 24) {
		ln_lit(x->out, " [length ");
		ln_u32(x->out, length);
		ln_lit(x->out, " < 24] (invalid)");
		return ND_OK;
	}
	if (!icmp6_addr(m, 12, a))
		return ND_JUMP;
	print_at_u8(m, 4, &inst);
	print_at_u16(m, 6, &rank);
	print_at_u8(m, 8, &mopprf);
	print_at_u8(m, 9, &dtsn);
	mop = (mopprf >> 3) & 7;
	ln_lit(x->out, " [dagid:");
	ln_ip6(x->out, a);
	ln_lit(x->out, ",seq:");
	ln_u32(x->out, dtsn);
	ln_lit(x->out, ",instance:");
	ln_u32(x->out, inst);
	ln_lit(x->out, ",rank:");
	ln_u32(x->out, rank);
	ln_chr(x->out, ',');
	if (mopprf & 0x80)
		ln_lit(x->out, "grounded,");
	ln_lit(x->out, "mop:");
	if (mop < 4) {
		ln_str(x->out, mops[mop]);
	} else {
		ln_lit(x->out, "mop");
		ln_u32(x->out, mop);
	}
	ln_lit(x->out, ",prf:");
	ln_u32(x->out, mopprf & 7);
	ln_chr(x->out, ']');
	return v > 1 ? rpl_opts(x, m, 28, length - 24) : ND_OK;
}

/* A DAO (rpl_dao_print) or its ack (rpl_daoack_print): 4 bytes at 4, a DODAG id when flagged. */
static int rpl_dao(struct print_ctx *x, const struct cursor *m, uint32_t length, int ack, unsigned v)
{
	uint8_t a[16], inst, flags, seq, status;
	int with_id;

	if (cur_len(m) < (ack ? 8u : 24u))
		return ND_SOFT;
	if (length < 4) {
		ln_str(x->out, ack ? " [|dao-length too short]" : " [|length too short]");
		return ND_OK;
	}
	print_at_u8(m, 4, &inst);
	print_at_u8(m, 5, &flags);
	print_at_u8(m, ack ? 6 : 7, &seq);
	print_at_u8(m, 7, &status);
	with_id = ack ? (flags & 0x80) != 0 : (flags & 0x40) != 0;
	if (with_id) {
		if (!icmp6_addr(m, 8, a))
			return ND_SOFT;
		if (length - 4 < 16) {
			ln_str(x->out, ack ? " [|dao-length too short]" : " [|length too short]");
			return ND_OK;
		}
	}
	ln_lit(x->out, " [dagid:");
	if (with_id)
		ln_ip6(x->out, a);
	else
		ln_lit(x->out, "<elided>");
	ln_lit(x->out, ",seq:");
	ln_u32(x->out, seq);
	ln_lit(x->out, ",instance:");
	ln_u32(x->out, inst);
	if (ack) {
		ln_lit(x->out, ",status:");
		ln_u32(x->out, status);
	} else {
		if (flags & 0x80)
			ln_lit(x->out, ",acK");
		if (with_id)
			ln_lit(x->out, ",Dagid");
		ln_chr(x->out, ',');
		ln_hexbytes(x->out, &flags, 1);
	}
	ln_chr(x->out, ']');
	if (v < 2)
		return ND_OK;
	return rpl_opts(x, m, with_id ? 24 : 8, length - (with_id ? 20 : 4));
}

/* RPL (155) with -v: its kind's words, then the body (rpl_print), length counted from byte 4. */
static int nd_rpl(struct print_ctx *x, const struct cursor *m, uint8_t code, uint32_t length, unsigned v)
{
	static const char *const kinds[4] = {
		"DODAG Information Solicitation", "DODAG Information Object",
		"Destination Advertisement Object", "Destination Advertisement Object Ack",
	};

	if (code & 0x80) {
		ln_lit(x->out, ", (SEC) [worktodo]");
		return ND_OK;
	}
	ln_lit(x->out, ", (CLR)");
	if (code >= 4) {
		ln_lit(x->out, "RPL message, unknown code ");
		ln_u32(x->out, code);
		return ND_OK;
	}
	ln_str(x->out, kinds[code]);
	if (code == 1)
		return rpl_dio(x, m, length - 4, v);
	if (code >= 2)
		return rpl_dao(x, m, length - 4, code == 3, v);
	return ND_OK;
}

static int nd_body(struct print_ctx *x, const struct cursor *m, uint8_t type, uint8_t code, uint32_t length,
		   unsigned v)
{
	int64_t len = length;

	switch (type) {
	case 133: return nd_opts(x, m, 8, len - 8, v);
	case 134:
		if (nd_ra(x, m) != ND_OK)
			return ND_JUMP;
		return nd_opts(x, m, 16, len - 16, v);
	case 135:
		if (nd_addr(x, m, 8, ", who has ") != ND_OK)
			return ND_JUMP;
		return nd_opts(x, m, 24, len - 24, v);
	case 136: return nd_na(x, m, length, v);
	case 137:
		if (nd_addr(x, m, 24, ", ") != ND_OK || nd_addr(x, m, 8, " to ") != ND_OK)
			return ND_JUMP;
		return nd_opts(x, m, 40, len - 40, v);
	case 145: return nd_ha_reply(x, m, length);
	case 147: return nd_mp_advert(x, m, length, v);
	}
	return nd_rpl(x, m, code, length, v);
}

int icmp6_verbose(struct print_ctx *x, const struct cursor *m, uint8_t type, uint8_t code, uint32_t length,
		  unsigned v)
{
	int r;

	if ((type < 133 || type > 137) && type != 145 && type != 147 && type != 155)
		return -1;
	r = nd_body(x, m, type, code, length, v);
	if (r == ND_SOFT) {
		x->soft_trunc = 1;   /* tcpdump's "goto trunc" or ND_TCHECK: no longjmp */
		return 0;
	}
	return r == ND_JUMP ? 0 : 1;
}
