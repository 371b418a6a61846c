/* print_mptcp.c: the MPTCP option (kind 30) in tcpdump 4.99's words. */
#include "print.h"

static uint64_t u64_at(const struct cursor *o, size_t off)
{
	struct cursor t = *o;
	uint32_t hi = 0, lo = 0;
	if (!cur_skip(&t, off) || !cur_get_u32(&t, &hi) || !cur_get_u32(&t, &lo))
		return 0;
	return (uint64_t)hi << 32 | lo;
}

static uint32_t u32_at(const struct cursor *o, size_t off)
{
	struct cursor t = *o;
	uint32_t v = 0;
	if (!cur_skip(&t, off) || !cur_get_u32(&t, &v))
		return 0;
	return v;
}

static uint8_t u8_at(const struct cursor *o, size_t off)
{
	uint8_t v = 0;
	cur_peek_u8(o, off, &v);
	return v;
}

static uint16_t u16_at(const struct cursor *o, size_t off)
{
	uint16_t v = 0;
	cur_peek_u16(o, off, &v);
	return v;
}

static int capable(struct line *l, const struct cursor *o, uint32_t n, uint8_t flags)
{
	uint8_t version;

	if (!((n == 12 || n == 4) && (flags & TCP_SYN)) &&
	    !((n == 20 || n == 22) && (flags & (TCP_SYN | TCP_ACK)) == TCP_ACK))
		return 0;
	version = u8_at(o, 2) & 0x0f;
	if (version > 1) {
		ln_lit(l, " Unknown Version (");
		ln_u32(l, version);
		ln_chr(l, ')');
		return 1;
	}
	ln_lit(l, " v");
	ln_u32(l, version);
	if (u8_at(o, 3) & 0x80)
		ln_lit(l, " csum");
	if (n == 12 || n >= 20) {
		ln_lit(l, " {0x");
		ln_hex(l, u64_at(o, 4));
		if (n >= 20) {
			ln_lit(l, ",0x");
			ln_hex(l, u64_at(o, 12));
		}
		ln_chr(l, '}');
	}
	return 1;
}

static int join(struct line *l, const struct cursor *o, uint32_t n, uint8_t flags)
{
	if (!(n == 12 && (flags & TCP_SYN)) &&
	    !(n == 16 && (flags & (TCP_SYN | TCP_ACK)) == (TCP_SYN | TCP_ACK)) &&
	    !(n == 24 && (flags & TCP_ACK)))
		return 0;
	if (n != 24) {
		if (u8_at(o, 2) & 0x01)
			ln_lit(l, " backup");
		ln_lit(l, " id ");
		ln_u32(l, u8_at(o, 3));
	}
	if (n == 12) {
		ln_lit(l, " token 0x");
		ln_hex(l, u32_at(o, 4));
		ln_lit(l, " nonce 0x");
		ln_hex(l, u32_at(o, 8));
	} else if (n == 16) {
		ln_lit(l, " hmac 0x");
		ln_hex(l, u64_at(o, 4));
		ln_lit(l, " nonce 0x");
		ln_hex(l, u32_at(o, 12));
	} else {
		struct cursor t = *o, mac;
		ln_lit(l, " hmac 0x");
		if (cur_skip(&t, 4) && cur_get_bytes(&t, &mac, 20))
			ln_hexbytes(l, cur_data(&mac), 20);
	}
	return 1;
}

/* A 4- or 8-byte number of the DSS option; 0 if it does not fit. */
static int dss_number(struct line *l, const struct cursor *o, size_t *off, uint32_t *left, int wide)
{
	uint32_t need = wide ? 8 : 4;
	if (*left < need)
		return 0;
	if (wide)
		ln_u64(l, u64_at(o, *off));
	else
		ln_u32(l, u32_at(o, *off));
	*off += need;
	*left -= need;
	return 1;
}

static int dss(struct line *l, const struct cursor *o, uint32_t n, uint8_t flags)
{
	uint8_t f;
	size_t off = 4;
	uint32_t left;

	if (n < 4 || (flags & TCP_SYN))
		return 0;
	f = u8_at(o, 3);
	if (f & 0x10)
		ln_lit(l, " fin");
	left = n - 4;
	if (f & 0x01) {
		ln_lit(l, " ack ");
		if (!dss_number(l, o, &off, &left, f & 0x02))
			return 0;
	}
	if (f & 0x04) {
		ln_lit(l, " seq ");
		if (!dss_number(l, o, &off, &left, f & 0x08))
			return 0;
		if (left < 4)
			return 0;
		ln_lit(l, " subseq ");
		ln_u32(l, u32_at(o, off));
		off += 4;
		left -= 4;
		if (left < 2)
			return 0;
		ln_lit(l, " len ");
		ln_u32(l, u16_at(o, off));
		off += 2;
		left -= 2;
		if (left >= 2) {
			ln_lit(l, " csum 0x");
			ln_hex(l, u16_at(o, off));
			left -= 2;
		}
	}
	return left == 0;
}

static int add_addr(struct line *l, const struct cursor *o, uint32_t n)
{
	uint8_t echo;

	if (!(n == 8 || n == 10 || n == 16 || n == 18 || n == 20 || n == 22 || n == 28 || n == 30))
		return 0;
	echo = u8_at(o, 2) & 0x0f;
	ln_chr(l, ' ');
	ln_str(l, echo == 6 ? "v0-ip6" : echo == 4 ? "v0-ip4" : echo == 1 ? "v1-echo" :
		  echo == 0 ? "v1" : "[bad version/echo]");
	ln_lit(l, " id ");
	ln_u32(l, u8_at(o, 3));
	if (n <= 18) {
		struct cursor t = *o, a;
		ln_chr(l, ' ');
		if (cur_skip(&t, 4) && cur_get_bytes(&t, &a, 4))
			ln_ip4(l, cur_data(&a));
		if (n == 10 || n == 18) {
			ln_chr(l, ':');
			ln_u32(l, u16_at(o, 8));
		}
		if (n == 16 || n == 18) {
			ln_lit(l, " hmac 0x");
			ln_hex(l, u64_at(o, n == 16 ? 8 : 10));
		}
	} else {
		struct cursor t = *o, a;
		ln_chr(l, ' ');
		if (cur_skip(&t, 4) && cur_get_bytes(&t, &a, 16))
			ln_ip6(l, cur_data(&a));
		if (n == 22 || n == 30) {
			ln_chr(l, ':');
			ln_u32(l, u16_at(o, 20));
		}
		if (n == 28 || n == 30) {
			ln_lit(l, " hmac 0x");
			ln_hex(l, u64_at(o, n == 28 ? 20 : 22));
		}
	}
	return 1;
}

int print_mptcp(struct print_ctx *x, struct cursor o, uint32_t n, uint8_t flags)
{
	static const char *const names[] = {
		"capable", "join", "dss", "add-addr", "rem-addr", "prio", "fail",
		"fast-close", "unknown",
	};
	struct line *l = x->out;
	unsigned sub;

	x->proto = "mptcp";
	if (n < 3)
		return 0;
	sub = u8_at(&o, 2) >> 4;
	if (sub > 8)
		sub = 8;
	ln_chr(l, ' ');
	ln_u32(l, n);
	ln_chr(l, ' ');
	ln_str(l, names[sub]);
	switch (sub) {
	case 0: return capable(l, &o, n, flags);
	case 1: return join(l, &o, n, flags);
	case 2: return dss(l, &o, n, flags);
	case 3: return add_addr(l, &o, n);
	case 4:
		if (n < 4)
			return 0;
		ln_lit(l, " id");
		for (uint32_t i = 3; i < n; i++) {
			ln_chr(l, ' ');
			ln_u32(l, u8_at(&o, i));
		}
		return 1;
	case 5:
		if (n != 3 && n != 4)
			return 0;
		ln_str(l, u8_at(&o, 2) & 0x01 ? " backup" : " non-backup");
		if (n == 4) {
			ln_lit(l, " id ");
			ln_u32(l, u8_at(&o, 3));
		}
		return 1;
	case 6:
	case 7:
		if (n != 12)
			return 0;
		ln_str(l, sub == 6 ? " seq " : " key 0x");
		if (sub == 6)
			ln_u64(l, u64_at(&o, 4));
		else
			ln_hex(l, u64_at(&o, 4));
		return 1;
	}
	return 1;
}
