/* print_icmp6_info.c: the rarer ICMPv6 kinds tcpdump 4.99 -nn words: MLD, router renumbering, node information. */
#include "print.h"

/*
 * Router renumbering and node information check what they read first and,
 * where it was not captured, print " [|icmp6]" and let the line go on to
 * ", length N" (their own "trunc:"); a field read unchecked and not
 * captured ends the line there instead (return 0).
 */
static int cut_here(struct print_ctx *x)
{
	ln_lit(x->out, " [|icmp6]");
	return 1;
}

/* The IPv6 address at off into a; 0 when it was not captured. */
static int addr6(const struct cursor *m, size_t off, uint8_t a[16])
{
	struct cursor c = *m;
	return cur_skip(&c, off) && cur_copy(&c, a, 16);
}

/* MLDv1 (mld6_print): nothing at all unless the whole 24-byte message was captured. */
static void mld1(struct print_ctx *x, const struct cursor *m)
{
	uint8_t a[16];
	uint16_t delay;

	if (cur_len(m) < 24)
		return;
	print_at_u16(m, 4, &delay);
	addr6(m, 8, a);
	ln_lit(x->out, "max resp delay: ");
	ln_u32(x->out, delay);
	ln_lit(x->out, " addr: ");
	ln_ip6(x->out, a);
}

/* An MLDv2 query without -v: " [gaddr G, N source(s)]". */
static int mld2_query(struct print_ctx *x, const struct cursor *m, uint32_t length)
{
	uint8_t a[16];
	uint16_t nsrcs;

	if (!addr6(m, 8, a))
		return 0;
	ln_lit(x->out, " [gaddr ");
	ln_ip6(x->out, a);
	if (!print_at_u16(m, 26, &nsrcs))
		return 0;
	if (nsrcs > 0) {
		if (length < 28 + (uint32_t)nsrcs * 16) {
			ln_lit(x->out, " [invalid number of sources]");
		} else {
			ln_lit(x->out, ", ");
			ln_u32(x->out, nsrcs);
			ln_lit(x->out, " source(s)");
		}
	}
	ln_chr(x->out, ']');
	return 1;
}

/* Multicast listener query (130), report (131), done (132), report v2 (143). */
int print_mld6(struct print_ctx *x, const struct cursor *m, uint8_t type, uint32_t length)
{
	uint16_t n;

	if (type == 143) {
		if (length < 8) {
			ln_lit(x->out, " [invalid len ");
			ln_u32(x->out, length);
			ln_chr(x->out, ']');
			return 1;
		}
		if (!print_at_u16(m, 6, &n))
			return 0;
		ln_lit(x->out, ", ");
		ln_u32(x->out, n);
		ln_lit(x->out, " group record(s)");
		return 1;
	}
	if (type != 130 || length == 24) {
		mld1(x, m);
		return 1;
	}
	if (length >= 28) {
		ln_lit(x->out, " v2");
		return mld2_query(x, m, length);
	}
	ln_lit(x->out, " unknown-version (len ");
	ln_u32(x->out, length);
	ln_lit(x->out, ") ");
	return 1;
}

/* One use-prefix part of a renumbering command: " use(VP,prefix/uselen/keeplen)"; 0 when cut. */
static int rrenum_use(struct print_ctx *x, const struct cursor *m, size_t at)
{
	uint8_t a[16], uselen, keeplen, flags;

	if (!addr6(m, at + 16, a))
		return 0;
	ln_lit(x->out, " use(");
	print_at_u8(m, at + 12, &flags);
	if (flags != 0) {
		if (flags & 0x80)
			ln_chr(x->out, 'V');
		if (flags & 0x40)
			ln_chr(x->out, 'P');
		ln_chr(x->out, ',');
	}
	print_at_u8(m, at, &uselen);
	print_at_u8(m, at + 1, &keeplen);
	ln_ip6(x->out, a);
	ln_chr(x->out, '/');
	ln_u32(x->out, uselen);
	ln_chr(x->out, '/');
	ln_u32(x->out, keeplen);
	ln_chr(x->out, ')');
	return 1;
}

/* A renumbering command's match-prefix part, then its use-prefix parts (its length says how many). */
static int rrenum_match(struct print_ctx *x, const struct cursor *m)
{
	static const char *const ops[4] = { NULL, "add", "change", "setglobal" };
	uint8_t a[16], op, len, matchlen;
	int n;

	if (!addr6(m, 24, a))
		return cut_here(x);
	ln_lit(x->out, " match(");
	print_at_u8(m, 16, &op);
	if (op >= 1 && op <= 3) {
		ln_str(x->out, ops[op]);
	} else {
		ln_chr(x->out, '#');
		ln_u32(x->out, op);
	}
	print_at_u8(m, 19, &matchlen);
	ln_chr(x->out, ',');
	ln_ip6(x->out, a);
	ln_chr(x->out, '/');
	ln_u32(x->out, matchlen);
	ln_chr(x->out, ')');
	print_at_u8(m, 17, &len);
	n = (int)len - 3;
	if (n % 4 != 0)
		return cut_here(x);
	for (int i = 0; i < n / 4; i++)
		if (!rrenum_use(x, m, 40 + 32 * (size_t)i))
			return cut_here(x);
	return 1;
}

/* Router renumbering (138) without -v. */
int print_icmp6_rrenum(struct print_ctx *x, const struct cursor *m)
{
	static const char *const codes[2] = { ", command", ", result" };
	uint32_t seq, rsv;
	uint8_t code;

	if (!print_at_u32(m, 12, &rsv))
		return cut_here(x);
	print_at_u8(m, 1, &code);
	if (code < 2) {
		ln_str(x->out, codes[code]);
	} else if (code == 255) {
		ln_lit(x->out, ", sequence number reset");
	} else {
		ln_lit(x->out, ", code-#");
		ln_u32(x->out, code);
	}
	print_at_u32(m, 4, &seq);
	ln_lit(x->out, ", seq=");
	ln_u32(x->out, seq);
	return code == 0 ? rrenum_match(x, m) : 1;
}

/* A byte of a name as tcpdump's fn_print_char shows it: M- for the high bit, ^ for a control. */
static void name_char(struct line *out, uint8_t c)
{
	if (c & 0x80) {
		c &= 0x7f;
		ln_lit(out, "M-");
	}
	if (c < 0x20 || c == 0x7f) {
		c ^= 0x40;
		ln_chr(out, '^');
	}
	ln_chr(out, (char)c);
}

/* A DNS name without compression, quoted (dnsname_print); from off to the end of what was captured. */
static void dns_name(struct line *out, const struct cursor *m, size_t off)
{
	size_t end = cur_len(m), cp = off;
	uint8_t n, b;

	ln_lit(out, ", \"");
	while (cp < end) {
		print_at_u8(m, cp++, &n);
		if (n == 0) {
			if (cp == end)
				ln_chr(out, '.');
			else if (!(cp + 1 == end && print_at_u8(m, cp, &b) && b == 0))
				ln_lit(out, "???");
			break;
		}
		if (n > end - cp) {
			ln_lit(out, "???");
			break;
		}
		for (; n > 0 && cp < end; n--) {
			print_at_u8(m, cp++, &b);
			name_char(out, b);
		}
		if (cp + 1 < end && print_at_u8(m, cp, &b) && b != 0)
			ln_chr(out, '.');
	}
	ln_chr(out, '"');
}

/* A name in the 03 draft's form (a length byte for all the rest) or as a DNS name; 0 when not captured. */
static int ni_name(struct line *out, const struct cursor *m, size_t off)
{
	size_t end = cur_len(m);
	uint8_t n, b;

	if (!print_at_u8(m, off, &n))
		return 0;
	if (n == end - off - 1) {
		ln_lit(out, ", \"");
		for (size_t i = off + 1; i < end; i++) {
			print_at_u8(m, i, &b);
			name_char(out, b);
		}
		ln_chr(out, '"');
	} else {
		dns_name(out, m, off);
	}
	return 1;
}

/* The node-address flags: " [aGSLCA]" (T too in a reply). */
static void ni_flags(struct line *out, uint16_t f, int reply)
{
	static const struct { uint16_t bit; char c; } bits[7] = {
		{ 0x40, 'a' }, { 0x20, 'G' }, { 0x10, 'S' }, { 0x08, 'L' }, { 0x04, 'C' }, { 0x02, 'A' },
		{ 0x01, 'T' },
	};

	ln_lit(out, " [");
	for (int i = 0; i < (reply ? 7 : 6); i++)
		if (f & bits[i].bit)
			ln_chr(out, bits[i].c);
	ln_chr(out, ']');
}

/* A query's qtype words; 1 when the query ends there. */
static int ni_qtype(struct line *out, uint16_t qtype, uint16_t flags)
{
	switch (qtype) {
	case 0: ln_lit(out, "noop"); return 1;
	case 1:
		ln_lit(out, "supported qtypes");
		if (flags != 0)
			ln_str(out, flags & 1 ? " [C]" : " []");
		return 1;
	case 2: ln_lit(out, "DNS name"); return 0;
	case 3:
		ln_lit(out, "node addresses");
		if (flags != 0)
			ni_flags(out, flags, 0);
		return 0;
	}
	ln_lit(out, "unknown");
	return 0;
}

/* A node information query's subject, 16 bytes in. */
static void ni_subject(struct print_ctx *x, const struct cursor *m, uint8_t code)
{
	size_t siz = cur_len(m);
	uint8_t a[16];

	switch (code) {
	case 0:
		if (siz == 32 && addr6(m, 16, a)) {
			ln_lit(x->out, ", subject=");
			ln_ip6(x->out, a);
		}
		return;
	case 1:
		ln_lit(x->out, ", subject=DNS name");
		ni_name(x->out, m, 16);    /* captured: the query is longer than 16 bytes */
		return;
	case 2:
		if (siz == 20) {
			struct cursor c = *m;
			cur_skip(&c, 16);
			cur_copy(&c, a, 4);
			ln_lit(x->out, ", subject=");
			ln_ip4(x->out, a);
		}
		return;
	}
	ln_lit(x->out, ", unknown subject");
}

static int ni_query(struct print_ctx *x, const struct cursor *m)
{
	uint16_t qtype, flags;
	uint8_t code;

	if (cur_len(m) == 12) {
		ln_lit(x->out, " who-are-you request");
		return 1;
	}
	ln_lit(x->out, " node information query");
	if (cur_len(m) < 16)
		return cut_here(x);
	ln_lit(x->out, " (");
	print_at_u16(m, 4, &qtype);
	print_at_u16(m, 6, &flags);
	print_at_u8(m, 1, &code);
	if (!ni_qtype(x->out, qtype, flags)) {
		if (cur_len(m) == 16)
			ln_lit(x->out, ", 03 draft");
		else
			ni_subject(x, m, code);
	}
	ln_chr(x->out, ')');
	return 1;
}

/* A successful reply's data; 0 when a name was not captured. */
static int ni_reply_data(struct print_ctx *x, const struct cursor *m, uint16_t qtype, uint16_t flags,
			  int comma)
{
	size_t siz = cur_len(m);
	uint32_t ttl;
	uint8_t a[16];

	if (comma)
		ln_lit(x->out, ", ");
	if (qtype <= 1) {
		ni_qtype(x->out, qtype, flags);
	} else if (qtype == 2) {
		ln_lit(x->out, "DNS name");
		if (!ni_name(x->out, m, 20))
			return 0;
		if ((flags & 1) != 0 && print_at_u32(m, 16, &ttl)) {
			ln_lit(x->out, " [TTL=");
			ln_u32(x->out, ttl);
			ln_chr(x->out, ']');
		}
	} else if (qtype == 3) {
		ln_lit(x->out, "node addresses");
		for (size_t i = 16; i + 20 <= siz; i += 20) {
			print_at_u32(m, i, &ttl);
			addr6(m, i + 4, a);
			ln_chr(x->out, ' ');
			ln_ip6(x->out, a);
			ln_chr(x->out, '(');
			ln_u32(x->out, ttl);
			ln_chr(x->out, ')');
		}
		if (flags != 0)
			ni_flags(x->out, flags, 1);
	} else {
		ln_lit(x->out, "unknown");
	}
	return 1;
}

static int ni_reply(struct print_ctx *x, const struct cursor *m, uint32_t length)
{
	uint16_t qtype, flags;
	uint8_t code;
	int comma = 0;

	if (length > cur_len(m) || cur_len(m) < 16)
		return cut_here(x);
	ln_lit(x->out, " node information reply (");
	print_at_u8(m, 1, &code);
	if (code == 1 || code == 2) {
		ln_str(x->out, code == 1 ? "refused" : "unknown");
		comma = 1;
	}
	if (code == 0) {
		print_at_u16(m, 4, &qtype);
		print_at_u16(m, 6, &flags);
		if (!ni_reply_data(x, m, qtype, flags, comma))
			return 0;
	}
	ln_chr(x->out, ')');
	return 1;
}

/* Node information query (139) and reply (140, RFC 4620) without -v. */
int print_icmp6_nodeinfo(struct print_ctx *x, const struct cursor *m, uint8_t type, uint32_t length)
{
	return type == 139 ? ni_query(x, m) : ni_reply(x, m, length);
}
