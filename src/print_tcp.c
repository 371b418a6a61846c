/* print_tcp.c: the TCP part of a tcpdump -nn line: flags, relative seq/ack, options, length. */
#include <string.h>

#include "print.h"
#include "printer.h"

/* Option bytes are addressed by offset from the TCP header, as tcpdump's cp. */
static int at_u8(const struct cursor *c, size_t off, uint8_t *v)
{
	return cur_peek_u8(c, off, v);
}

static int at_u16(const struct cursor *c, size_t off, uint16_t *v)
{
	return cur_peek_u16(c, off, v);
}

static int at_u32(const struct cursor *c, size_t off, uint32_t *v)
{
	struct cursor t = *c;
	return cur_skip(&t, off) && cur_get_u32(&t, v);
}

static int captured(const struct cursor *c, size_t off, size_t n)
{
	struct cursor t = *c;
	return cur_skip(&t, off) && cur_skip(&t, n);
}

static const char *option_name(uint8_t kind)
{
	switch (kind) {
	case 0: return "eol";
	case 1: return "nop";
	case 2: return "mss";
	case 3: return "wscale";
	case 4: return "sackOK";
	case 5: return "sack";
	case 6: return "echo";
	case 7: return "echoreply";
	case 8: return "TS";
	case 11: return "cc";
	case 12: return "ccnew";
	case 13: return "";
	case 19: return "md5";
	case 20: return "scps";
	case 28: return "uto";
	case 29: return "tcp-ao";
	case 30: return "mptcp";
	case 34: return "tfo";
	case 254: return "exp";
	}
	return NULL;
}

/* The conversation's base numbers, found or recorded as tcpdump does. */
struct rel {
	int rev;
	uint32_t thseq, thack;
};

/* tcpdump's collating order: "rev" when the packet runs against it. */
static int seq_rev(const struct packet *p)
{
	const struct tcp_info *t = &p->u.tcp;
	size_t alen = p->ip.version == 6 ? 16 : 4;
	return t->sport > t->dport ||
	       (t->sport == t->dport && memcmp(p->ip.src, p->ip.dst, alen) > 0);
}

/* Record the base (a new conversation, or any SYN), or make seq/ack relative to it. */
static void seq_apply(struct seq_val *v, int found, int rev, uint8_t flags, uint32_t *seq,
		      uint32_t *ack)
{
	if (!found || (flags & TCP_SYN)) {
		if (rev) {
			v->ack = *seq;
			v->seq = *ack - 1;
		} else {
			v->seq = *seq;
			v->ack = *ack - 1;
		}
	} else if (rev) {
		*seq -= v->ack;
		*ack -= v->seq;
	} else {
		*seq -= v->seq;
		*ack -= v->ack;
	}
}

void print_seq_track(const struct packet *p, struct seq_val *base, uint8_t *base_set)
{
	uint32_t seq = p->u.tcp.seq, ack = p->u.tcp.ack;

	/* Only where tcpdump's printer gets as far: a whole 20-byte header, a sane offset. */
	if (p->l4 != L4_TCP || cur_len(&p->u.tcp.hdr) < 20 || p->u.tcp.hdr_len < 20 ||
	    !(p->u.tcp.flags & TCP_ACK))
		return;
	seq_apply(base, *base_set, seq_rev(p), p->u.tcp.flags, &seq, &ack);
	*base_set = 1;
}

static void relative_seq(struct print_ctx *x, const struct tcp_info *t, uint8_t flags,
			 uint32_t *seq, uint32_t *ack, struct rel *r)
{
	const struct ip_info *ip = &x->p->ip;
	size_t alen = ip->version == 6 ? 16 : 4;
	struct seq_key k;
	struct seq_val *v;
	int found;

	r->rev = seq_rev(x->p);
	if (x->base != NULL) {
		v = x->base;
		found = *x->base_set;
		*x->base_set = 1;
	} else {
		memset(&k, 0, sizeof(k));
		k.family = ip->version;
		memcpy(k.src, r->rev ? ip->dst : ip->src, alen);
		memcpy(k.dst, r->rev ? ip->src : ip->dst, alen);
		k.port = r->rev ? (uint32_t)t->dport << 16 | t->sport : (uint32_t)t->sport << 16 | t->dport;
		v = seqtab_find(x->pr->seq, &k);
		found = v != NULL;
		if (v == NULL && (v = seqtab_put(x->pr->seq, &k)) == NULL) {
			r->thseq = r->thack = 0;
			return;
		}
	}
	seq_apply(v, found, r->rev, flags, seq, ack);
	r->thseq = v->seq;
	r->thack = v->ack;
}

static void fastopen(struct print_ctx *x, const struct cursor *c, size_t cp, uint32_t datalen)
{
	if (datalen == 0) {
		ln_lit(x->out, " cookiereq");
	} else if (datalen % 2 != 0 || datalen < 4 || datalen > 16) {
		ln_lit(x->out, " (invalid)");
	} else {
		struct cursor t = *c, b = { NULL, 0 };
		ln_lit(x->out, " cookie ");
		cur_skip(&t, cp);
		cur_get_bytes(&t, &b, datalen);
		ln_hexbytes(x->out, cur_data(&b), datalen);
	}
}

enum opt_result { OPT_NEXT, OPT_BAD, OPT_TRUNC, OPT_LONGJMP };

#define LENCHECK(l) do { if ((l) > h) return OPT_BAD; \
	if (!captured(c, cp, (l))) return OPT_TRUNC; } while (0)

/* The options of fixed size: mss, wscale, echo/cc, timestamps, scps, uto. */
static enum opt_result opt_fixed(struct print_ctx *x, const struct cursor *c, size_t cp,
				 uint32_t h, uint8_t opt, uint32_t *datalen)
{
	uint32_t v32, v32b;
	uint16_t v16;
	uint8_t v8, v8b;

	switch (opt) {
	case 2:
		*datalen = 2;
		LENCHECK(2);
		at_u16(c, cp, &v16);
		ln_chr(x->out, ' ');
		ln_u32(x->out, v16);
		break;
	case 3:
		*datalen = 1;
		LENCHECK(1);
		at_u8(c, cp, &v8);
		ln_chr(x->out, ' ');
		ln_u32(x->out, v8);
		break;
	case 8:
		*datalen = 8;
		LENCHECK(8);
		at_u32(c, cp, &v32);
		at_u32(c, cp + 4, &v32b);
		ln_lit(x->out, " val ");
		ln_u32(x->out, v32);
		ln_lit(x->out, " ecr ");
		ln_u32(x->out, v32b);
		break;
	case 20:
		*datalen = 2;
		LENCHECK(2);
		at_u8(c, cp, &v8);
		at_u8(c, cp + 1, &v8b);
		ln_lit(x->out, " cap ");
		ln_hexbytes(x->out, &v8, 1);
		ln_lit(x->out, " id ");
		ln_u32(x->out, v8b);
		break;
	case 28:
		*datalen = 2;
		LENCHECK(2);
		at_u16(c, cp, &v16);
		ln_lit(x->out, " 0x");
		ln_hex(x->out, v16);
		ln_chr(x->out, ' ');
		ln_u32(x->out, v16 & 1 ? (uint32_t)(v16 >> 1) * 60 : (uint32_t)(v16 >> 1));
		break;
	default:        /* 6, 7, 11, 12, 13: one 32-bit number */
		*datalen = 4;
		LENCHECK(4);
		at_u32(c, cp, &v32);
		ln_chr(x->out, ' ');
		ln_u32(x->out, v32);
		break;
	}
	return OPT_NEXT;
}

/* SACK blocks, relative to the conversation's base like tcpdump's. */
static enum opt_result opt_sack(struct print_ctx *x, const struct cursor *c, size_t cp, uint32_t h,
				uint32_t datalen, const struct rel *r)
{
	uint32_t s, e, base = r->rev ? r->thseq : r->thack;

	if (datalen % 8 != 0) {
		ln_lit(x->out, " invalid sack");
		return OPT_NEXT;
	}
	ln_chr(x->out, ' ');
	ln_u32(x->out, datalen / 8);
	ln_chr(x->out, ' ');
	for (uint32_t i = 0; i < datalen; i += 8) {
		LENCHECK(i + 4);
		at_u32(c, cp + i, &s);
		LENCHECK(i + 8);
		at_u32(c, cp + i + 4, &e);
		ln_chr(x->out, '{');
		ln_u32(x->out, s - base);
		ln_chr(x->out, ':');
		ln_u32(x->out, e - base);
		ln_chr(x->out, '}');
	}
	return OPT_NEXT;
}

/* TCP-MD5: tcpdump cannot check it without -M, and says why. */
static enum opt_result opt_md5(struct print_ctx *x, const struct cursor *c, size_t cp, uint32_t h,
			       uint32_t payload)
{
	struct cursor t = *c, sig = { NULL, 0 };

	LENCHECK(16);
	ln_chr(x->out, ' ');
	if (!captured(c, x->p->u.tcp.hdr_len, payload))
		ln_lit(x->out, "snaplen too short, ");
	else
		ln_lit(x->out, "shared secret not supplied with -M, ");
	ln_lit(x->out, "can't check - ");
	cur_skip(&t, cp);
	cur_get_bytes(&t, &sig, 16);
	ln_hexbytes(x->out, cur_data(&sig), 16);
	return OPT_NEXT;
}

/* Bytes in hex after a prefix, each checked as tcpdump does (TCP-AO's mac, unknown kinds). */
static enum opt_result opt_hex(struct print_ctx *x, const struct cursor *c, size_t cp, uint32_t h,
			       uint32_t from, uint32_t to)
{
	uint8_t v8;

	for (uint32_t i = from; i < to; i++) {
		LENCHECK(i + 1);
		at_u8(c, cp + i, &v8);
		ln_hexbytes(x->out, &v8, 1);
	}
	return OPT_NEXT;
}

static enum opt_result opt_tcpao(struct print_ctx *x, const struct cursor *c, size_t cp, uint32_t h,
				 uint32_t datalen)
{
	uint8_t v8;

	if (datalen < 2) {
		ln_lit(x->out, " (invalid)");
		return OPT_NEXT;
	}
	LENCHECK(1);
	at_u8(c, cp, &v8);
	ln_lit(x->out, " keyid ");
	ln_u32(x->out, v8);
	LENCHECK(2);
	at_u8(c, cp + 1, &v8);
	ln_lit(x->out, " rnextkeyid ");
	ln_u32(x->out, v8);
	if (datalen <= 2)
		return OPT_NEXT;
	ln_lit(x->out, " mac 0x");
	return opt_hex(x, c, cp, h, 2, datalen);
}

/* MPTCP, TCP Fast Open and the RFC 6994 experimental option (which may carry TFO). */
static enum opt_result opt_variable(struct print_ctx *x, const struct cursor *c, size_t cp,
				    uint32_t h, uint8_t opt, uint32_t len, uint8_t flags)
{
	uint32_t datalen = len - 2;
	uint16_t magic;

	LENCHECK(datalen);
	if (opt == 30) {
		struct cursor t = *c, o;
		cur_skip(&t, cp - 2);
		cur_get_bytes(&t, &o, len);
		return print_mptcp(x, o, len, flags) ? OPT_NEXT : OPT_BAD;
	}
	if (opt == 34) {
		ln_chr(x->out, ' ');
		fastopen(x, c, cp, datalen);
		return OPT_NEXT;
	}
	if (datalen < 2)
		return OPT_BAD;
	at_u16(c, cp, &magic);
	ln_chr(x->out, '-');
	if (magic == 0xf989) {
		ln_lit(x->out, "tfo");
		fastopen(x, c, cp + 2, datalen - 2);
	} else {
		ln_hexbytes(x->out, (const uint8_t[]){ (uint8_t)(magic >> 8), (uint8_t)magic }, 2);
	}
	return OPT_NEXT;
}

/* The data of one option; *datalen is how far tcpdump moves on. */
static enum opt_result option_data(struct print_ctx *x, const struct cursor *c, size_t cp,
				   uint32_t h, uint8_t opt, uint32_t len, uint8_t flags,
				   const struct rel *r, uint32_t payload, uint32_t *datalen)
{
	switch (opt) {
	case 0: case 1: case 4:
		return OPT_NEXT;
	case 2: case 3: case 6: case 7: case 8: case 11: case 12: case 13: case 20: case 28:
		return opt_fixed(x, c, cp, h, opt, datalen);
	case 5:
		*datalen = len - 2;
		return opt_sack(x, c, cp, h, *datalen, r);
	case 19:
		*datalen = 16;
		return opt_md5(x, c, cp, h, payload);
	case 29:
		*datalen = len - 2;
		return opt_tcpao(x, c, cp, h, *datalen);
	case 30: case 34: case 254:
		*datalen = len - 2;
		return opt_variable(x, c, cp, h, opt, len, flags);
	default:
		*datalen = len - 2;
		if (*datalen)
			ln_lit(x->out, " 0x");
		return opt_hex(x, c, cp, h, 0, *datalen);
	}
}

/* ", options [...]"; returns 0 when tcpdump would have stopped the line there. */
static int print_options(struct print_ctx *x, const struct cursor *c, uint32_t hlen,
			 uint8_t flags, const struct rel *r, uint32_t payload, int *longjmp)
{
	uint32_t h = hlen - 20, len, datalen;
	size_t cp = 20;
	uint8_t opt, l;
	char ch = 0;
	enum opt_result res;

	ln_lit(x->out, ", options [");
	while (h > 0) {
		if (ch)
			ln_chr(x->out, ch);
		if (!at_u8(c, cp, &opt)) {
			*longjmp = 1;
			return 0;
		}
		cp++;
		if (opt == 0 || opt == 1) {
			len = 1;
		} else {
			if (!at_u8(c, cp, &l)) {
				*longjmp = 1;
				return 0;
			}
			len = l;
			cp++;
			if (len < 2 || len > h) {
				res = OPT_BAD;
				goto stop;
			}
			--h;
		}
		--h;
		datalen = 0;
		if (option_name(opt) != NULL) {
			ln_str(x->out, option_name(opt));
		} else {
			ln_lit(x->out, "unknown-");
			ln_u32(x->out, opt);
		}
		res = option_data(x, c, cp, h, opt, len, flags, r, payload, &datalen);
		if (res != OPT_NEXT)
			goto stop;
		cp += datalen;
		h -= datalen;
		datalen += (opt == 0 || opt == 1) ? 1 : 2;
		if (datalen != len) {
			ln_lit(x->out, "[len ");
			ln_u32(x->out, len);
			ln_chr(x->out, ']');
		}
		ch = ',';
		if (opt == 0)
			break;
	}
	ln_chr(x->out, ']');
	return 1;
stop:
	if (res == OPT_BAD) {
		ln_lit(x->out, "[bad opt]");
		if (ch)
			ln_chr(x->out, ']');
	} else {
		ln_lit(x->out, " [|");
		ln_str(x->out, x->proto);
		ln_chr(x->out, ']');
		if (ch)
			ln_chr(x->out, '>');
	}
	return 0;
}

static void port_pair(struct print_ctx *x, const struct tcp_info *t, int ext_hdrs)
{
	const struct ip_info *ip = &x->p->ip;

	if (!ext_hdrs) {
		ln_ip(x->out, ip->version == 6, ip->src);
		ln_chr(x->out, '.');
	}
	ln_u32(x->out, t->sport);
	ln_lit(x->out, " > ");
	if (!ext_hdrs) {
		ln_ip(x->out, ip->version == 6, ip->dst);
		ln_chr(x->out, '.');
	}
	ln_u32(x->out, t->dport);
	ln_lit(x->out, ": ");
}

/* Before decoding a payload tcpdump wants the whole header captured. */
static int header_captured(struct print_ctx *x, const struct cursor *c, uint32_t hlen)
{
	if (captured(c, 0, hlen))
		return 1;
	ln_lit(x->out, " [remaining caplen(");
	ln_u32(x->out, (uint32_t)cur_len(c));
	ln_lit(x->out, ") < header length(");
	ln_u32(x->out, hlen);
	ln_lit(x->out, ")]");
	return 0;
}

static const char flag_letters[8] = { 'F', 'S', 'R', 'P', '.', 'U', 'E', 'W' };

/* tcp_print() of tcpdump without -v, up to and including ", length N". */
int print_tcp(struct print_ctx *x, struct cursor c, uint32_t length, int ext_hdrs)
{
	const struct tcp_info *t = &x->p->u.tcp;
	const struct ip_info *ip = &x->p->ip;
	uint32_t hlen, seq, ack;
	struct rel r = { 0, 0, 0 };
	int longjmp = 0;

	x->proto = "tcp";
	if (!captured(&c, 0, 4)) {
		print_addr_pair(x, ip->src, ip->dst, ip->version == 6);
		ln_chr(x->out, ':');
		return 0;
	}
	port_pair(x, t, ext_hdrs);
	if (!captured(&c, 0, 20))
		return 0;
	hlen = t->hdr_len;
	if (hlen < 20) {
		ln_lit(x->out, " tcp ");
		ln_u32(x->out, length - hlen);
		ln_lit(x->out, " [bad hdr length ");
		ln_u32(x->out, hlen);
		ln_lit(x->out, " - too short, < 20]");
		return 1;
	}
	ln_lit(x->out, "Flags [");
	if (t->flags == 0)
		ln_lit(x->out, "none");
	for (int i = 0; i < 8; i++)
		if (t->flags & (1u << i))
			ln_chr(x->out, flag_letters[i]);
	ln_chr(x->out, ']');
	seq = t->seq;
	ack = t->ack;
	if (!(x->pr->flags & PRINT_ABSOLUTE_SEQ) && (t->flags & TCP_ACK))
		relative_seq(x, t, t->flags, &seq, &ack, &r);
	if (hlen > length) {
		ln_lit(x->out, " [bad hdr length ");
		ln_u32(x->out, hlen);
		ln_lit(x->out, " - too long, > ");
		ln_u32(x->out, length);
		ln_chr(x->out, ']');
		return 1;
	}
	length -= hlen;
	if (length > 0 || (t->flags & (TCP_SYN | TCP_FIN | TCP_RST))) {
		ln_lit(x->out, ", seq ");
		ln_u32(x->out, seq);
		if (length > 0) {
			ln_chr(x->out, ':');
			ln_u32(x->out, seq + length);
		}
	}
	if (t->flags & TCP_ACK) {
		ln_lit(x->out, ", ack ");
		ln_u32(x->out, ack);
	}
	ln_lit(x->out, ", win ");
	ln_u32(x->out, t->win);
	if (t->flags & TCP_URG) {
		ln_lit(x->out, ", urg ");
		ln_u32(x->out, t->urp);
	}
	if (hlen > 20 && !print_options(x, &c, hlen, t->flags, &r, length, &longjmp))
		return !longjmp;
	ln_lit(x->out, ", length ");
	ln_u32(x->out, length);
	return length == 0 || header_captured(x, &c, hlen);
}
