/* print_icmp6_info.c: the rarer ICMPv6 kinds tcpdump 4.99 -nn words: MLD, router renumbering, node information. */
#include "print_icmp6.h"

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

int icmp6_addr(const struct cursor *m, size_t off, uint8_t a[16])
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
	icmp6_addr(m, 8, a);
	ln_lit(x->out, "max resp delay: ");
	ln_u32(x->out, delay);
	ln_lit(x->out, " addr: ");
	ln_ip6(x->out, a);
}

/* MLDv2's exponential codes (RFC 3810 5.1.3, 5.1.9): mant bits, exp bits at shift, the values below big as they are. */
static uint32_t mld2_code(uint32_t c, uint32_t big, uint32_t mant, unsigned shift)
{
	if (c < big)
		return c;
	return ((c & mant) | (mant + 1)) << (((c >> shift) & 7) + 3);
}

/* -v's " sflag robustness=N qqi=N" of a query; 0 when a byte was not captured. */
static int mld2_query_v(struct print_ctx *x, const struct cursor *m)
{
	uint8_t f, q;

	if (!print_at_u8(m, 24, &f))
		return 0;
	if (f & 0x08)
		ln_lit(x->out, " sflag");
	if (f & 0x07) {
		ln_lit(x->out, " robustness=");
		ln_u32(x->out, f & 0x07);
	}
	if (!print_at_u8(m, 25, &q))
		return 0;
	ln_lit(x->out, " qqi=");
	ln_u32(x->out, mld2_code(q, 128, 0x0f, 4));
	return 1;
}

/* " { A B ... }" (-vv): n addresses from off on; 0 when one was not captured. */
static int mld2_sources(struct print_ctx *x, const struct cursor *m, size_t off, uint32_t n)
{
	uint8_t a[16];

	ln_lit(x->out, " {");
	for (uint32_t i = 0; i < n; i++) {
		if (!icmp6_addr(m, off + 16 * (size_t)i, a))
			return 0;
		ln_chr(x->out, ' ');
		ln_ip6(x->out, a);
	}
	ln_lit(x->out, " }");
	return 1;
}

/* An MLDv2 query: " [gaddr G, N source(s)]", and -v's fields (mldv2_query_print). */
static int mld2_query(struct print_ctx *x, const struct cursor *m, uint32_t length, unsigned v)
{
	uint8_t a[16];
	uint16_t nsrcs, mrc;

	if (v) {
		if (!print_at_u16(m, 4, &mrc))
			return 0;
		ln_lit(x->out, " [max resp delay=");
		ln_u32(x->out, mld2_code(mrc, 32768, 0x0fff, 12));
		ln_chr(x->out, ']');
	}
	if (!icmp6_addr(m, 8, a))
		return 0;
	ln_lit(x->out, " [gaddr ");
	ln_ip6(x->out, a);
	if (v && !mld2_query_v(x, m))
		return 0;
	if (!print_at_u16(m, 26, &nsrcs))
		return 0;
	if (nsrcs > 0) {
		if (length < 28 + (uint32_t)nsrcs * 16) {
			ln_lit(x->out, " [invalid number of sources]");
		} else if (v > 1) {
			if (!mld2_sources(x, m, 28, nsrcs))
				return 0;
		} else {
			ln_lit(x->out, ", ");
			ln_u32(x->out, nsrcs);
			ln_lit(x->out, " source(s)");
		}
	}
	ln_chr(x->out, ']');
	return 1;
}

/* -v: an MLDv2 report's group records (mldv2_report_print); 0 when cut. */
static int mld2_records(struct print_ctx *x, const struct cursor *m, uint32_t len, uint32_t ngroups,
			unsigned v)
{
	static const char *const kinds[7] = {
		NULL, "is_in", "is_ex", "to_in", "to_ex", "allow", "block",
	};
	uint64_t group = 8;
	uint8_t a[16], kind;
	uint16_t nsrcs;

	for (uint32_t i = 0; i < ngroups; i++) {
		if (len < group + 20) {
			ln_lit(x->out, " [invalid number of groups]");
			return 1;
		}
		if (!icmp6_addr(m, (size_t)group + 4, a))
			return 0;
		ln_lit(x->out, " [gaddr ");
		ln_ip6(x->out, a);
		print_at_u8(m, (size_t)group, &kind);
		if (kind >= 1 && kind <= 6) {
			ln_chr(x->out, ' ');
			ln_str(x->out, kinds[kind]);
		} else {
			ln_lit(x->out, "  [v2-report-#");
			ln_u32(x->out, kind);
			ln_chr(x->out, ']');
		}
		print_at_u16(m, (size_t)group + 2, &nsrcs);
		if (len < group + 20 + (uint64_t)nsrcs * 16) {
			ln_lit(x->out, " [invalid number of sources ");
			ln_u32(x->out, nsrcs);
			ln_chr(x->out, ']');
			return 1;
		}
		if (v == 1) {
			ln_lit(x->out, ", ");
			ln_u32(x->out, nsrcs);
			ln_lit(x->out, " source(s)");
		} else if (!mld2_sources(x, m, (size_t)group + 20, nsrcs)) {
			return 0;
		}
		group += 20 + (uint64_t)nsrcs * 16;
		ln_chr(x->out, ']');
	}
	return 1;
}

/* Multicast listener query (130), report (131), done (132), report v2 (143). */
int icmp6_mld(struct print_ctx *x, const struct cursor *m, uint8_t type, uint32_t length, unsigned v)
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
		return v ? mld2_records(x, m, length, n, v) : 1;
	}
	if (type != 130 || length == 24) {
		mld1(x, m);
		return 1;
	}
	if (length >= 28) {
		ln_lit(x->out, " v2");
		return mld2_query(x, m, length, v);
	}
	ln_lit(x->out, " unknown-version (len ");
	ln_u32(x->out, length);
	ln_lit(x->out, ") ");
	return 1;
}

/* -v's lifetime of a use-prefix part: "vltime=N," or "vltime=infty,". */
static void rrenum_time(struct line *out, const char *name, uint32_t t)
{
	ln_str(out, name);
	if (t == 0xffffffffu)
		ln_lit(out, "infty");
	else
		ln_u32(out, t);
	ln_chr(out, ',');
}

/* " " before a part, a new line with -vv. */
static void rrenum_sep(struct line *out, unsigned v)
{
	if (v > 1)
		ln_lit(out, "\n\t");
	else
		ln_chr(out, ' ');
}

/* One use-prefix part of a renumbering command: " use(VP,prefix/uselen/keeplen)"; 0 when cut. */
static int rrenum_use(struct print_ctx *x, const struct cursor *m, size_t at, unsigned v)
{
	uint8_t a[16], uselen, keeplen, flags, mask, raflags;
	uint32_t vl, pl;

	if (!icmp6_addr(m, at + 16, a))
		return 0;
	rrenum_sep(x->out, v);
	ln_lit(x->out, "use(");
	print_at_u8(m, at + 12, &flags);
	if (flags != 0) {
		if (flags & 0x80)
			ln_chr(x->out, 'V');
		if (flags & 0x40)
			ln_chr(x->out, 'P');
		ln_chr(x->out, ',');
	}
	if (v) {
		print_at_u8(m, at + 2, &mask);
		print_at_u8(m, at + 3, &raflags);
		print_at_u32(m, at + 4, &vl);
		print_at_u32(m, at + 8, &pl);
		ln_lit(x->out, "mask=0x");
		ln_hex(x->out, mask);
		ln_lit(x->out, ",raflags=0x");
		ln_hex(x->out, raflags);
		ln_chr(x->out, ',');
		rrenum_time(x->out, "vltime=", vl);
		rrenum_time(x->out, "pltime=", pl);
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

/* -v's ",ord=N,min=N,max=N" of the match-prefix part. */
static void rrenum_match_v(struct print_ctx *x, const struct cursor *m)
{
	uint8_t ord, min, max;

	print_at_u8(m, 18, &ord);
	print_at_u8(m, 20, &min);
	print_at_u8(m, 21, &max);
	ln_lit(x->out, ",ord=");
	ln_u32(x->out, ord);
	ln_lit(x->out, ",min=");
	ln_u32(x->out, min);
	ln_lit(x->out, ",max=");
	ln_u32(x->out, max);
}

/* A renumbering command's match-prefix part, then its use-prefix parts (its length says how many). */
static int rrenum_match(struct print_ctx *x, const struct cursor *m, unsigned v)
{
	static const char *const ops[4] = { NULL, "add", "change", "setglobal" };
	uint8_t a[16], op, len, matchlen;
	int n;

	if (!icmp6_addr(m, 24, a))
		return cut_here(x);
	rrenum_sep(x->out, v);
	ln_lit(x->out, "match(");
	print_at_u8(m, 16, &op);
	if (op >= 1 && op <= 3) {
		ln_str(x->out, ops[op]);
	} else {
		ln_chr(x->out, '#');
		ln_u32(x->out, op);
	}
	if (v)
		rrenum_match_v(x, m);
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
		if (!rrenum_use(x, m, 40 + 32 * (size_t)i, v))
			return cut_here(x);
	return 1;
}

/* -v's "[TRASP,seg=N,maxdelay=N]" of the header (rsvd=0x.. too when not zero). */
static void rrenum_hdr_v(struct print_ctx *x, const struct cursor *m, uint32_t rsv)
{
	static const char flag_chars[5] = { 'T', 'R', 'A', 'S', 'P' };
	uint8_t seg, flags;
	uint16_t maxdelay;

	print_at_u8(m, 8, &seg);
	print_at_u8(m, 9, &flags);
	print_at_u16(m, 10, &maxdelay);
	ln_chr(x->out, '[');
	if (flags != 0) {
		for (int i = 0; i < 5; i++)
			if (flags & (0x80 >> i))
				ln_chr(x->out, flag_chars[i]);
		ln_chr(x->out, ',');
	}
	ln_lit(x->out, "seg=");
	ln_u32(x->out, seg);
	ln_lit(x->out, ",maxdelay=");
	ln_u32(x->out, maxdelay);
	if (rsv != 0) {
		ln_lit(x->out, "rsvd=0x");
		ln_hex(x->out, rsv);
	}
	ln_chr(x->out, ']');
}

/* Router renumbering (138). */
int icmp6_rrenum(struct print_ctx *x, const struct cursor *m, unsigned v)
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
	if (v)
		rrenum_hdr_v(x, m, rsv);
	return code == 0 ? rrenum_match(x, m, v) : 1;
}

void icmp6_name_char(struct line *out, uint8_t c)
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
			icmp6_name_char(out, b);
		}
		if (cp + 1 < end && print_at_u8(m, cp, &b) && b != 0)
			ln_chr(out, '.');
	}
	ln_chr(out, '"');
}

/* A name in the 03 draft's form (a length byte for all the rest) or as a DNS name; 0 when not captured. */
static int ni_name(struct line *out, const struct cursor *m, size_t off, unsigned v)
{
	size_t end = cur_len(m);
	uint8_t n, b;

	if (!print_at_u8(m, off, &n))
		return 0;
	if (n == end - off - 1) {
		if (v)
			ln_lit(out, ", 03 draft");
		ln_lit(out, ", \"");
		for (size_t i = off + 1; i < end; i++) {
			print_at_u8(m, i, &b);
			icmp6_name_char(out, b);
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

/* A node information query's subject, 16 bytes in; an address subject only when all of it was captured. */
static void ni_subject(struct print_ctx *x, const struct cursor *m, uint8_t code, unsigned v)
{
	size_t siz = cur_len(m), want = code == 0 ? 32 : 20;
	uint8_t a[16];

	if (code == 1) {
		ln_lit(x->out, ", subject=DNS name");
		ni_name(x->out, m, 16, v);    /* captured: the query is longer than 16 bytes */
		return;
	}
	if (code > 2) {
		ln_lit(x->out, ", unknown subject");
		return;
	}
	if (siz < want)
		return;
	if (siz != want) {
		if (v)
			ln_lit(x->out, ", invalid subject len");
		return;
	}
	ln_lit(x->out, ", subject=");
	if (code == 0) {
		icmp6_addr(m, 16, a);
		ln_ip6(x->out, a);
	} else {
		struct cursor c = *m;
		cur_skip(&c, 16);
		cur_copy(&c, a, 4);
		ln_ip4(x->out, a);
	}
}

static int ni_query(struct print_ctx *x, const struct cursor *m, unsigned v)
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
	if (ni_qtype(x->out, qtype, flags)) {
		if (v && cur_len(m) != 16)
			ln_lit(x->out, ", invalid len");
	} else if (cur_len(m) == 16) {
		ln_lit(x->out, ", 03 draft");
	} else {
		ni_subject(x, m, code, v);
	}
	ln_chr(x->out, ')');
	return 1;
}

/* A successful reply's data; 0 when a name was not captured. */
static int ni_reply_data(struct print_ctx *x, const struct cursor *m, uint16_t qtype, uint16_t flags,
			  int comma, unsigned v)
{
	size_t siz = cur_len(m);
	uint32_t ttl;
	uint8_t a[16];

	if (comma)
		ln_lit(x->out, ", ");
	if (qtype <= 1) {
		ni_qtype(x->out, qtype, flags);
		if (qtype == 0 && v && siz != 16)
			ln_lit(x->out, ", invalid length");
	} else if (qtype == 2) {
		ln_lit(x->out, "DNS name");
		if (!ni_name(x->out, m, 20, v))
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
			icmp6_addr(m, i + 4, a);
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

static int ni_reply(struct print_ctx *x, const struct cursor *m, uint32_t length, unsigned v)
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
		if (v && cur_len(m) != 16)
			ln_lit(x->out, ", invalid length");
	}
	if (code == 0) {
		if (v) {
			ln_lit(x->out, "success");
			comma = 1;
		}
		print_at_u16(m, 4, &qtype);
		print_at_u16(m, 6, &flags);
		if (!ni_reply_data(x, m, qtype, flags, comma, v))
			return 0;
	}
	ln_chr(x->out, ')');
	return 1;
}

/* Node information query (139) and reply (140, RFC 4620). */
int icmp6_nodeinfo(struct print_ctx *x, const struct cursor *m, uint8_t type, uint32_t length, unsigned v)
{
	return type == 139 ? ni_query(x, m, v) : ni_reply(x, m, length, v);
}
