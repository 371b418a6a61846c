/* print_tcp.c: the TCP part of a tcpdump -nn line: flags, relative seq/ack, options, length. */
#include <string.h>

#include "print.h"
#include "printer.h"

/* Option bytes are addressed by offset from the TCP header, as tcpdump's cp. */
static inline int captured(const struct cursor *c, size_t off, size_t n)
{
	return off <= cur_len(c) && n <= cur_len(c) - off;
}

/* An option's name and its length + 1; 0 for a kind tcpdump does not know (13's name is empty). */
struct opt_name {
	char s[11];
	uint8_t n1;
};

#define OPT_NAME(k, name) [k] = { name, sizeof(name) }
static const struct opt_name option_names[256] = {
	OPT_NAME(0, "eol"), OPT_NAME(1, "nop"), OPT_NAME(2, "mss"), OPT_NAME(3, "wscale"),
	OPT_NAME(4, "sackOK"), OPT_NAME(5, "sack"), OPT_NAME(6, "echo"),
	OPT_NAME(7, "echoreply"), OPT_NAME(8, "TS"), OPT_NAME(11, "cc"),
	OPT_NAME(12, "ccnew"), OPT_NAME(13, ""), OPT_NAME(19, "md5"), OPT_NAME(20, "scps"),
	OPT_NAME(28, "uto"), OPT_NAME(29, "tcp-ao"), OPT_NAME(30, "mptcp"),
	OPT_NAME(34, "tfo"), OPT_NAME(254, "exp"),
};
#undef OPT_NAME

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

	/* Once the base is recorded only a SYN changes it (seq_apply): every other
	 * packet of the connection leaves it as it is, so ask nothing more of them. */
	if (*base_set && p->l4 == L4_TCP && !(p->u.tcp.flags & TCP_SYN))
		return;
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

/* OPT_OTHER: not one of the options opt_simple() prints. */
enum opt_result { OPT_NEXT, OPT_BAD, OPT_TRUNC, OPT_OTHER };

#define LENCHECK(l) do { if ((l) > h) return OPT_BAD; \
	if (!captured(c, cp, (l))) return OPT_TRUNC; } while (0)

/*
 * The options of the common SYN (mss, sackOK, TS, nop, wscale) and the
 * others that are at most two numbers, written into the option's span at *o
 * (at most 30 bytes).
 */
static enum opt_result opt_simple(const struct cursor *c, size_t cp, uint32_t h, uint8_t opt,
				  uint32_t *datalen, char **o)
{
	uint32_t v32, v32b;
	uint16_t v16;
	uint8_t v8;

	switch (opt) {
	case 0: case 1: case 4:
		return OPT_NEXT;
	case 2:
		*datalen = 2;
		LENCHECK(2);
		print_at_u16(c, cp, &v16);
		*(*o)++ = ' ';
		*o = ln_put_u32(*o, v16);
		return OPT_NEXT;
	case 3:
		*datalen = 1;
		LENCHECK(1);
		print_at_u8(c, cp, &v8);
		*(*o)++ = ' ';
		*o = ln_put_u32(*o, v8);
		return OPT_NEXT;
	case 8:
		*datalen = 8;
		LENCHECK(8);
		print_at_u32(c, cp, &v32);
		print_at_u32(c, cp + 4, &v32b);
		*o = ln_put_lit(*o, " val ");
		*o = ln_put_u32(*o, v32);
		*o = ln_put_lit(*o, " ecr ");
		*o = ln_put_u32(*o, v32b);
		return OPT_NEXT;
	case 6: case 7: case 11: case 12: case 13:   /* one 32-bit number */
		*datalen = 4;
		LENCHECK(4);
		print_at_u32(c, cp, &v32);
		*(*o)++ = ' ';
		*o = ln_put_u32(*o, v32);
		return OPT_NEXT;
	}
	return OPT_OTHER;
}

/* The other options of fixed size: scps, uto. */
static enum opt_result opt_fixed(struct print_ctx *x, const struct cursor *c, size_t cp,
				 uint32_t h, uint8_t opt, uint32_t *datalen)
{
	uint16_t v16;
	uint8_t v8, v8b;

	*datalen = 2;
	LENCHECK(2);
	if (opt == 20) {
		print_at_u8(c, cp, &v8);
		print_at_u8(c, cp + 1, &v8b);
		ln_lit(x->out, " cap ");
		ln_hexbytes(x->out, &v8, 1);
		ln_lit(x->out, " id ");
		ln_u32(x->out, v8b);
	} else {
		print_at_u16(c, cp, &v16);
		ln_lit(x->out, " 0x");
		ln_hex(x->out, v16);
		ln_chr(x->out, ' ');
		ln_u32(x->out, v16 & 1 ? (uint32_t)(v16 >> 1) * 60 : (uint32_t)(v16 >> 1));
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
		print_at_u32(c, cp + i, &s);
		LENCHECK(i + 8);
		print_at_u32(c, cp + i + 4, &e);
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
		print_at_u8(c, cp + i, &v8);
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
	print_at_u8(c, cp, &v8);
	ln_lit(x->out, " keyid ");
	ln_u32(x->out, v8);
	LENCHECK(2);
	print_at_u8(c, cp + 1, &v8);
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
	print_at_u16(c, cp, &magic);
	ln_chr(x->out, '-');
	if (magic == 0xf989) {
		ln_lit(x->out, "tfo");
		fastopen(x, c, cp + 2, datalen - 2);
	} else {
		ln_hexbytes(x->out, (const uint8_t[]){ (uint8_t)(magic >> 8), (uint8_t)magic }, 2);
	}
	return OPT_NEXT;
}

/* The data of one option but opt_simple()'s; *datalen is how far tcpdump moves on. */
static enum opt_result option_data(struct print_ctx *x, const struct cursor *c, size_t cp,
				   uint32_t h, uint8_t opt, uint32_t len, uint8_t flags,
				   const struct rel *r, uint32_t payload, uint32_t *datalen)
{
	switch (opt) {
	case 20: case 28:
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

/* An option's name into its span (at most 18 bytes). */
static char *put_option_name(char *o, uint8_t opt)
{
	const struct opt_name *n = &option_names[opt];

	if (n->n1 != 0)
		return ln_put_in(o, n->s, n->n1 - 1u, sizeof(*n));
	o = ln_put_lit(o, "unknown-");
	return ln_put_u32(o, opt);
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
		/* The separator, the name and the common kinds' data: one span. */
		char tmp[64], *start = ln_span(x->out, tmp, sizeof(tmp)), *o = start;

		if (ch)
			*o++ = ch;
		if (!print_at_u8(c, cp, &opt)) {
			ln_span_end(x->out, tmp, start, o);
			*longjmp = 1;
			return 0;
		}
		cp++;
		if (opt == 0 || opt == 1) {
			len = 1;
		} else {
			if (!print_at_u8(c, cp, &l)) {
				ln_span_end(x->out, tmp, start, o);
				*longjmp = 1;
				return 0;
			}
			len = l;
			cp++;
			if (len < 2 || len > h) {
				ln_span_end(x->out, tmp, start, o);
				res = OPT_BAD;
				goto stop;
			}
			--h;
		}
		--h;
		datalen = 0;
		o = put_option_name(o, opt);
		res = opt_simple(c, cp, h, opt, &datalen, &o);
		ln_span_end(x->out, tmp, start, o);
		if (res == OPT_OTHER)
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

/* "src.sport > dst.dport: " (only the ports after IPv6 extension headers or AH). */
static void port_pair(struct print_ctx *x, const struct tcp_info *t, int ext_hdrs)
{
	const struct ip_info *ip = &x->p->ip;
	char tmp[64], *start, *o;

	if (!ext_hdrs && ip->version == 6) {
		/* Longer and rarer: the checked way. */
		ln_ip6(x->out, ip->src);
		ln_chr(x->out, '.');
		ln_u32(x->out, t->sport);
		ln_lit(x->out, " > ");
		ln_ip6(x->out, ip->dst);
		ln_chr(x->out, '.');
		ln_u32(x->out, t->dport);
		ln_lit(x->out, ": ");
		return;
	}
	start = ln_span(x->out, tmp, sizeof(tmp));
	o = start;
	if (!ext_hdrs) {
		o = ln_put_ip4(o, ip->src);
		*o++ = '.';
	}
	o = ln_put_u32(o, t->sport);
	o = ln_put_lit(o, " > ");
	if (!ext_hdrs) {
		o = ln_put_ip4(o, ip->dst);
		*o++ = '.';
	}
	o = ln_put_u32(o, t->dport);
	o = ln_put_lit(o, ": ");
	ln_span_end(x->out, tmp, start, o);
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

/* "[S.]" for each combination of flags, in tcpdump's order, padded to 16 bytes for ln_mem_in. */
struct flags_text {
	char s[15];
	uint8_t n;
};
static struct flags_text flags_texts[256];

static void flags_init(void)
{
	static const char letters[8] = { 'F', 'S', 'R', 'P', '.', 'U', 'E', 'W' };

	for (int f = 0; f < 256; f++) {
		struct flags_text *t = &flags_texts[f];
		t->s[t->n++] = '[';
		if (f == 0) {
			memcpy(t->s + t->n, "none", 4);
			t->n += 4;
		}
		for (int i = 0; i < 8; i++)
			if (f & (1 << i))
				t->s[t->n++] = letters[i];
		t->s[t->n++] = ']';
	}
}

static inline const struct flags_text *flags_text(uint8_t flags)
{
	if (flags_texts[0].n == 0)
		flags_init();
	return &flags_texts[flags];
}

/*
 * "Flags [S.], seq 1:2, ack 3, win 4, urg 5" (at most 87 bytes); length: of
 * the payload; v: -v's ", cksum ..." after the flags (at most 40 bytes), or NULL.
 */
static void print_fields(struct print_ctx *x, const struct tcp_info *t, uint32_t seq, uint32_t ack,
			 uint32_t length, const struct line *v)
{
	const struct flags_text *f = flags_text(t->flags);
	char tmp[128 + 40], *start = ln_span(x->out, tmp, sizeof(tmp)), *o = start;

	o = ln_put_lit(o, "Flags ");
	o = ln_put_in(o, f->s, f->n, sizeof(*f));
	if (v != NULL) {
		memcpy(o, v->buf, v->len);
		o += v->len;
	}
	if (length > 0 || (t->flags & (TCP_SYN | TCP_FIN | TCP_RST)) ||
	    (x->flags & PRINT_VERBOSE2)) {
		o = ln_put_lit(o, ", seq ");
		o = ln_put_u32(o, seq);
		if (length > 0) {
			*o++ = ':';
			o = ln_put_u32(o, seq + length);
		}
	}
	if (t->flags & TCP_ACK) {
		o = ln_put_lit(o, ", ack ");
		o = ln_put_u32(o, ack);
	}
	o = ln_put_lit(o, ", win ");
	o = ln_put_u32(o, t->win);
	if (t->flags & TCP_URG) {
		o = ln_put_lit(o, ", urg ");
		o = ln_put_u32(o, t->urp);
	}
	ln_span_end(x->out, tmp, start, o);
}

/* -v's ", cksum 0x1234 (correct)" into v, when the whole segment (length bytes) was captured. */
static const struct line *cksum_text(struct print_ctx *x, const struct cursor *c, uint32_t length,
				     struct line *v)
{
	struct cursor seg = *c;
	uint16_t sum, field;
	uint8_t b[2];

	if (!captured(c, 0, length))
		return NULL;
	cur_truncate(&seg, length);
	sum = print_l4_cksum(x->p, seg, 6);
	field = x->p->u.tcp.sum;
	b[0] = (uint8_t)(field >> 8);
	b[1] = (uint8_t)field;
	ln_lit(v, ", cksum 0x");
	ln_hexbytes(v, b, 2);
	if (sum != 0) {
		field = print_cksum_shouldbe(field, sum);
		b[0] = (uint8_t)(field >> 8);
		b[1] = (uint8_t)field;
		ln_lit(v, " (incorrect -> 0x");
		ln_hexbytes(v, b, 2);
		ln_chr(v, ')');
	} else {
		ln_lit(v, " (correct)");
	}
	return v;
}

/* tcp_print() of tcpdump, up to and including ", length N". */
int print_tcp(struct print_ctx *x, struct cursor c, uint32_t length, int ext_hdrs, int fragmented)
{
	char vbuf[40];
	struct line vl;
	const struct line *v = NULL;

	const struct tcp_info *t = &x->p->u.tcp;
	const struct ip_info *ip = &x->p->ip;
	uint32_t hlen, seq, ack;
	struct rel r = { 0, 0, 0 };
	int longjmp = 0;
	char tmp[32], *start, *o;

	x->proto = "tcp";
	/* tcpdump checks these two with ND_TTEST: " [|tcp]" without a longjmp */
	x->soft_trunc = 1;
	if (!captured(&c, 0, 4)) {
		print_addr_pair(x, ip->src, ip->dst, ip->version == 6);
		ln_chr(x->out, ':');
		return 0;
	}
	port_pair(x, t, ext_hdrs);
	if (!captured(&c, 0, 20))
		return 0;
	x->soft_trunc = 0;
	hlen = t->hdr_len;
	if (hlen < 20) {
		ln_lit(x->out, " tcp ");
		ln_u32(x->out, length - hlen);
		ln_lit(x->out, " [bad hdr length ");
		ln_u32(x->out, hlen);
		ln_lit(x->out, " - too short, < 20]");
		return 1;
	}
	/* tcpdump does this after printing the flags; it prints nothing itself. */
	seq = t->seq;
	ack = t->ack;
	if (!(x->pr->flags & PRINT_ABSOLUTE_SEQ) && (t->flags & TCP_ACK))
		relative_seq(x, t, t->flags, &seq, &ack, &r);
	if (hlen > length) {
		ln_lit(x->out, "Flags ");
		ln_mem_in(x->out, flags_text(t->flags)->s, flags_text(t->flags)->n,
			  sizeof(struct flags_text));
		ln_lit(x->out, " [bad hdr length ");
		ln_u32(x->out, hlen);
		ln_lit(x->out, " - too long, > ");
		ln_u32(x->out, length);
		ln_chr(x->out, ']');
		return 1;
	}
	if ((x->flags & PRINT_VERBOSE) && !fragmented) {
		ln_init(&vl, vbuf, sizeof(vbuf));
		v = cksum_text(x, &c, length, &vl);
	}
	length -= hlen;
	print_fields(x, t, seq, ack, length, v);
	if (hlen > 20 && !print_options(x, &c, hlen, t->flags, &r, length, &longjmp))
		return !longjmp;
	start = ln_span(x->out, tmp, sizeof(tmp));
	o = ln_put_lit(start, ", length ");
	o = ln_put_u32(o, length);
	ln_span_end(x->out, tmp, start, o);
	return length == 0 || header_captured(x, &c, hlen);
}
