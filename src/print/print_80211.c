/* print_80211.c: 802.11 frames (LINKTYPE 105), radiotap (127) and their LLC/SNAP header, as tcpdump 4.99 -nn [-e]. */
#include "print.h"

#define FC_TYPE(fc) (((fc) >> 2) & 3)
#define FC_SUBTYPE(fc) (((fc) >> 4) & 0xf)
#define FC_TO_DS(fc) ((fc) & 0x0100)
#define FC_FROM_DS(fc) ((fc) & 0x0200)
#define FC_PROTECTED(fc) ((fc) & 0x4000)

/* n little-endian bytes at off (0 if not all captured). */
static int at_le(const struct cursor *c, size_t off, size_t n, uint64_t *v)
{
	uint8_t b;

	*v = 0;
	for (size_t i = n; i-- > 0;) {
		if (!print_at_u8(c, off + i, &b))
			return 0;
		*v = *v << 8 | b;
	}
	return 1;
}

static void mac_at(struct print_ctx *x, const struct cursor *c, size_t off)
{
	uint8_t mac[6] = { 0 };
	struct cursor t = *c;

	if (cur_skip(&t, off))
		cur_copy(&t, mac, 6);
	print_mac(x->out, mac);
}

static void i32(struct line *out, int32_t v)
{
	if (v < 0) {
		ln_chr(out, '-');
		ln_u32(out, (uint32_t)-(int64_t)v);
	} else {
		ln_u32(out, (uint32_t)v);
	}
}

/* "0x%0Nx" of n bytes. */
static void hexn(struct line *out, uint32_t v, int n)
{
	uint8_t b[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };

	ln_lit(out, "0x");
	ln_hexbytes(out, b + 4 - n, (size_t)n);
}

/* A SNAP protocol id in words: an ethertype for the OUIs that carry one, else unnamed. */
static void pid_words(struct line *out, uint32_t oui, uint16_t pid)
{
	if (oui == 0 || oui == 0xf8) {
		print_ethertype_words(out, pid, "Unknown");
		return;
	}
	ln_lit(out, "Unknown (");
	hexn(out, pid, 2);
	ln_chr(out, ')');
}

/* The source and destination get_data_src_dst_mac() gives a data frame, as "src > dst ". */
static void data_src_dst(struct print_ctx *x, const struct cursor *h, uint16_t fc)
{
	size_t src = 10, dst = 4;

	if (FC_TO_DS(fc) && FC_FROM_DS(fc)) {
		src = 24;
		dst = 16;
	} else if (FC_FROM_DS(fc)) {
		src = 16;
	} else if (FC_TO_DS(fc)) {
		dst = 16;
	}
	mac_at(x, h, src);
	ln_lit(x->out, " > ");
	mac_at(x, h, dst);
	ln_chr(x->out, ' ');
}

/*
 * llc_print() and snap_print() for LLC/SNAP (AA AA 03): the packet by its
 * ethertype, else the header in words and a dump. Other LLC is synack's own
 * short wording. *llc_len: the bytes tcpdump counts as link header.
 */
static int print_llc(struct print_ctx *x, struct cursor c, uint32_t length, const struct cursor *h,
		     uint16_t fc, uint32_t *llc_len)
{
	uint8_t dsap = 0, ssap = 0, ctl = 0;
	uint32_t oui;
	uint16_t et;
	int e = (x->flags & PRINT_LINK_HDR) != 0, r;
	struct cursor llc = c;

	if (cur_len(&c) < 3 || length < 3) {
		ln_lit(x->out, " [|llc]");
		print_hexdump(x, c, (uint32_t)cur_len(&c), 1);
		*llc_len = (uint32_t)cur_len(&c);
		return 1;
	}
	print_at_u8(&c, 0, &dsap);
	print_at_u8(&c, 1, &ssap);
	print_at_u8(&c, 2, &ctl);
	if (dsap != 0xaa || ssap != 0xaa || ctl != 0x03) {
		/* STP, NetBEUI, IPX, OSI ...: not decoded here */
		ln_lit(x->out, "LLC, dsap ");
		hexn(x->out, dsap, 1);
		ln_lit(x->out, ", ssap ");
		hexn(x->out, ssap, 1);
		ln_lit(x->out, ", ctrl ");
		hexn(x->out, ctl, 1);
		ln_lit(x->out, ", length ");
		ln_u32(x->out, length);
		print_hexdump(x, c, length, 1);
		*llc_len = 3;
		return 1;
	}
	if (e)
		ln_lit(x->out, "LLC, dsap SNAP (0xaa) Individual, ssap SNAP (0xaa) Command, ctrl 0x03: ");
	if (cur_len(&c) < 8 || length < 8) {
		x->soft_trunc = 1;
		*llc_len = (uint32_t)cur_len(&c);
		return print_trunc(x, "snap");
	}
	{
		struct cursor t = c;
		cur_skip(&t, 3);
		cur_get_u24(&t, &oui);
		cur_get_u16(&t, &et);
	}
	if (e) {
		ln_lit(x->out, "oui ");
		ln_str(x->out, oui == 0 ? "Ethernet" : oui == 0xf8 ? "Cisco bridged" : "Unknown");
		ln_lit(x->out, " (");
		hexn(x->out, oui, 3);
		ln_str(x->out, oui == 0 ? "), ethertype " : "), pid ");
		pid_words(x->out, oui, et);
		ln_lit(x->out, ", length ");
		ln_u32(x->out, length - 8);
		ln_lit(x->out, ": ");
	}
	*llc_len = 8;
	cur_skip(&c, 8);
	if (oui == 0 || oui == 0xf8) {
		if (++x->depth > PRINT_MAX_DEPTH)
			return 1;
		r = print_ethertype(x, et, c, length - 8);
		x->depth--;
		if (r >= 0)
			return r;
	}
	if (!e) {
		data_src_dst(x, h, fc);
		ln_lit(x->out, "SNAP, ");
		if (oui == 0) {
			ln_lit(x->out, "ethertype ");
			print_ethertype_words(x->out, et, "Unknown");
		} else {
			ln_lit(x->out, "oui ");
			ln_str(x->out, oui == 0xf8 ? "Cisco bridged" : "Unknown");
			ln_lit(x->out, " (");
			hexn(x->out, oui, 3);
			ln_lit(x->out, "), pid ");
			pid_words(x->out, oui, et);
		}
		ln_lit(x->out, ", length ");
		ln_u32(x->out, length - 8);
		ln_lit(x->out, ": ");
	}
	print_hexdump(x, llc, length, 1);
	return 1;
}

/* extract_header_length(): 0 for a type tcpdump stops at (after saying so). */
static uint32_t header_length(struct print_ctx *x, uint16_t fc)
{
	static const uint8_t ctrl_len[16] = { [8] = 16, [9] = 16, [10] = 16, [11] = 16, [12] = 10,
					      [13] = 10, [14] = 16, [15] = 16 };

	switch (FC_TYPE(fc)) {
	case 0:
		return 24;
	case 1:
		if (ctrl_len[FC_SUBTYPE(fc)] == 0) {
			ln_lit(x->out, "unknown 802.11 ctrl frame subtype (");
			ln_u32(x->out, FC_SUBTYPE(fc));
			ln_chr(x->out, ')');
		}
		return ctrl_len[FC_SUBTYPE(fc)];
	case 2:
		return (FC_TO_DS(fc) && FC_FROM_DS(fc) ? 30 : 24) + (FC_SUBTYPE(fc) & 8 ? 2 : 0);
	}
	ln_lit(x->out, "unknown 802.11 frame type (");
	ln_u32(x->out, FC_TYPE(fc));
	ln_chr(x->out, ')');
	return 0;
}

/* -e: data_header_print()'s "CF ..." and addresses by ToDS/FromDS. */
static void data_header(struct print_ctx *x, const struct cursor *h, uint16_t fc)
{
	unsigned st = FC_SUBTYPE(fc);
	static const char *const names[4][2] = { { "DA:", "SA:" }, { "BSSID:", "SA:" }, { "DA:", "BSSID:" },
						   { "RA:", "TA:" } };
	static const char *const third[4] = { "BSSID:", "DA:", "SA:", "DA:" };
	unsigned ds = (FC_TO_DS(fc) ? 1u : 0u) | (FC_FROM_DS(fc) ? 2u : 0u);

	if (st & 0xb) {
		ln_lit(x->out, "CF ");
		if (st & 1)
			ln_str(x->out, st & 2 ? "Ack/Poll" : "Ack");
		else if (st & 2)
			ln_lit(x->out, "Poll");
		if (st & 8)
			ln_lit(x->out, "+QoS");
		ln_chr(x->out, ' ');
	}
	for (int i = 0; i < 2; i++) {
		ln_str(x->out, names[ds][i]);
		mac_at(x, h, 4 + 6 * (size_t)i);
		ln_chr(x->out, ' ');
	}
	ln_str(x->out, third[ds]);
	mac_at(x, h, 16);
	ln_chr(x->out, ' ');
	if (ds == 3) {
		ln_lit(x->out, "SA:");
		mac_at(x, h, 24);
		ln_chr(x->out, ' ');
	}
}

/* -e: ctrl_header_print()'s addresses for the control frames printed here. */
static void ctrl_header(struct print_ctx *x, const struct cursor *h, uint16_t fc)
{
	switch (FC_SUBTYPE(fc)) {
	case 10:
		ln_lit(x->out, "BSSID:");
		mac_at(x, h, 4);
		ln_lit(x->out, " TA:");
		mac_at(x, h, 10);
		ln_chr(x->out, ' ');
		break;
	case 11:
		ln_lit(x->out, "RA:");
		mac_at(x, h, 4);
		ln_lit(x->out, " TA:");
		mac_at(x, h, 10);
		ln_chr(x->out, ' ');
		break;
	case 12: case 13:
		ln_lit(x->out, "RA:");
		mac_at(x, h, 4);
		ln_chr(x->out, ' ');
		break;
	}
}

/* ctrl_body_print(): the control frame's name, and without -e its address (PS-Poll: its AID). */
static void ctrl_body(struct print_ctx *x, const struct cursor *h, uint16_t fc)
{
	static const char *const names[16] = {
		[8] = "BAR", [9] = "BA", [10] = "Power Save-Poll", [11] = "Request-To-Send",
		[12] = "Clear-To-Send", [13] = "Acknowledgment", [14] = "CF-End", [15] = "CF-End+CF-Ack",
	};
	unsigned st = FC_SUBTYPE(fc);
	uint64_t aid;

	ln_str(x->out, names[st]);
	if (st == 10) {
		at_le(h, 2, 2, &aid);
		ln_lit(x->out, " AID(");
		ln_hex(x->out, aid);
		ln_chr(x->out, ')');
	} else if ((st == 11 || st == 12 || st == 13) && !(x->flags & PRINT_LINK_HDR)) {
		ln_str(x->out, st == 11 ? " TA:" : " RA:");
		mac_at(x, h, st == 11 ? 10 : 4);
		ln_chr(x->out, ' ');
	}
	/* BAR, BA, CF-End: tcpdump prints more (not decoded here) */
}

/* ieee_802_11_hdr_print(): -v's frame-control words and duration, then the addresses. */
static void hdr_words(struct print_ctx *x, const struct cursor *h, uint16_t fc)
{
	static const char *const flag_words[] = { "More Data ", "More Fragments ", "Pwr Mgmt ", "Retry ",
						  "Strictly Ordered ", "Protected " };
	static const uint16_t flag_bits[] = { 0x2000, 0x0400, 0x1000, 0x0800, 0x8000, 0x4000 };
	uint64_t v;

	if (x->flags & PRINT_VERBOSE) {
		for (size_t i = 0; i < sizeof(flag_bits) / sizeof(flag_bits[0]); i++)
			if (fc & flag_bits[i])
				ln_str(x->out, flag_words[i]);
		if (FC_TYPE(fc) != 1 || FC_SUBTYPE(fc) != 10) {
			at_le(h, 2, 2, &v);
			ln_u32(x->out, (uint32_t)v);
			ln_lit(x->out, "us ");
		}
	}
	if (FC_TYPE(fc) == 2) {
		data_header(x, h, fc);
	} else if (FC_TYPE(fc) == 1) {
		ctrl_header(x, h, fc);
	} else if (FC_TYPE(fc) == 0) {
		ln_lit(x->out, "BSSID:");
		mac_at(x, h, 16);
		ln_lit(x->out, " DA:");
		mac_at(x, h, 4);
		ln_lit(x->out, " SA:");
		mac_at(x, h, 10);
		ln_chr(x->out, ' ');
	}
}

static const char *const mgmt_names[16] = {
	"Assoc Request", "Assoc Response", "ReAssoc Request", "ReAssoc Response", "Probe Request",
	"Probe Response", "", "", "Beacon", "ATIM", "Disassociation", "Authentication",
	"DeAuthentication", "Action", "Action No Ack", "",
};

/* A data frame's body: null data prints nothing, protected "Data IV:..", else LLC. */
static int data_body(struct print_ctx *x, struct cursor c, uint32_t length, const struct cursor *h,
		     uint16_t fc, uint32_t *hdrlen)
{
	uint64_t iv;
	uint32_t llc_len = 0;
	int r;

	if (FC_SUBTYPE(fc) & 4)
		return 1;
	if (FC_PROTECTED(fc)) {
		ln_lit(x->out, "Data");
		if (!at_le(&c, 0, 4, &iv)) {
			x->soft_trunc = 1;
			return print_trunc(x, "802.11");
		}
		ln_lit(x->out, " IV:");
		if ((iv & 0xffffff) < 0x100)            /* "%3x" */
			ln_str(x->out, (iv & 0xffffff) < 0x10 ? "  " : " ");
		ln_hex(x->out, iv & 0xffffff);
		ln_lit(x->out, " Pad ");
		ln_hex(x->out, (iv >> 24) & 0x3f);
		ln_lit(x->out, " KeyID ");
		ln_hex(x->out, (iv >> 30) & 3);
		return 1;
	}
	r = print_llc(x, c, length, h, fc, &llc_len);
	*hdrlen += llc_len;
	return r;
}

/*
 * ieee802_11_print(): the frame at c, length on the wire; pad: the header
 * is padded to 4 bytes; fcslen: bytes of FCS at the end.
 */
int print_80211(struct print_ctx *x, struct cursor c, uint32_t length, int pad, uint32_t fcslen)
{
	struct cursor h = c;
	uint64_t v;
	uint16_t fc;
	uint32_t hdrlen;

	x->proto = "802.11";
	if (length < fcslen) {
		x->soft_trunc = 1;
		return 0;
	}
	length -= fcslen;
	if (cur_len(&c) > length)
		c = cur_make(cur_data(&c), length);
	h = c;
	if (!at_le(&c, 0, 2, &v)) {
		x->soft_trunc = 1;
		return 0;
	}
	fc = (uint16_t)v;
	hdrlen = header_length(x, fc);
	if (hdrlen == 0)
		return 1;
	if (pad)
		hdrlen = (hdrlen + 3) & ~3u;
	if (cur_len(&c) < hdrlen) {
		x->soft_trunc = 1;
		return 0;
	}
	if (x->flags & PRINT_LINK_HDR)
		hdr_words(x, &h, fc);
	cur_skip(&c, hdrlen);
	length -= hdrlen;
	switch (FC_TYPE(fc)) {
	case 0:
		/* the name only: tcpdump goes on with the body (SSID, rates, channel, ...) */
		ln_str(x->out, mgmt_names[FC_SUBTYPE(fc)]);
		return 1;
	case 1:
		ctrl_body(x, &h, fc);
		return 1;
	}
	return data_body(x, c, length, &h, fc, &hdrlen);
}

/*
 * Radiotap fields 0..17 (tcpdump's words for 0..14; 15..17 it names by
 * number): size, alignment. tcpdump 4.99 reads dB TX attenuation (9) as one byte.
 */
static const uint8_t rt_size[18] = { 8, 1, 1, 4, 2, 1, 1, 2, 2, 1, 1, 1, 1, 1, 2, 0, 0, 0 };
static const uint8_t rt_align[18] = { 8, 1, 1, 2, 1, 1, 1, 2, 2, 1, 1, 1, 1, 1, 2, 1, 1, 1 };

struct rt_state {
	uint32_t off;       /* the next field's offset in the header */
	uint8_t flags;      /* the Flags field (FCS, data pad) */
};

/* print_chaninfo(): "%u MHz" and the channel's kind. */
static void rt_channel(struct line *out, uint16_t freq, uint16_t f)
{
	ln_u32(out, freq);
	ln_lit(out, " MHz");
	if ((f & 0x0880) == 0x0880)
		ln_lit(out, " FHSS");
	if ((f & 0x0140) == 0x0140)
		ln_str(out, f & 0x4000 ? " 11a/10Mhz" : f & 0x8000 ? " 11a/5Mhz" : " 11a");
	if ((f & 0x00c0) == 0x00c0 || (f & 0x0480) == 0x0480)
		ln_str(out, f & 0x4000 ? " 11g/10Mhz" : f & 0x8000 ? " 11g/5Mhz" : " 11g");
	else if ((f & 0x00a0) == 0x00a0)
		ln_lit(out, " 11b");
	if (f & 0x0010)
		ln_lit(out, " Turbo");
	ln_chr(out, ' ');
}

/* The words of one field (bit <= 14) of value v (little-endian, its size). */
static void rt_words(struct print_ctx *x, unsigned bit, uint64_t v, struct rt_state *st)
{
	static const char *const flag_words[] = { "cfp ", "short preamble ", "wep ", "fragmented " };
	struct line *o = x->out;

	switch (bit) {
	case 0: ln_u64(o, v); ln_lit(o, "us tsft "); break;
	case 1:
		st->flags = (uint8_t)v;
		for (unsigned i = 0; i < 4; i++)
			if (v & (1u << i))
				ln_str(o, flag_words[i]);
		if (v & 0x40)
			ln_lit(o, "bad-fcs ");
		break;
	case 2:
		if (v >= 0x80 && v <= 0x8f) {
			ln_lit(o, "MCS ");
			ln_u32(o, (uint32_t)v & 0x7f);
		} else {
			ln_u32(o, (uint32_t)v / 2);
			ln_str(o, v & 1 ? ".5" : ".0");
			ln_lit(o, " Mb/s");
		}
		ln_chr(o, ' ');
		break;
	case 3: rt_channel(o, (uint16_t)v, (uint16_t)(v >> 16)); break;
	case 4:
		ln_lit(o, "fhset "); ln_u32(o, (uint32_t)v & 0xff);
		ln_lit(o, " fhpat "); ln_u32(o, (uint32_t)(v >> 8) & 0xff); ln_chr(o, ' ');
		break;
	case 5: i32(o, (int8_t)v); ln_lit(o, "dBm signal "); break;
	case 6: i32(o, (int8_t)v); ln_lit(o, "dBm noise "); break;
	case 7: ln_u32(o, (uint32_t)v); ln_lit(o, " sq "); break;
	case 8: i32(o, -(int32_t)v); ln_lit(o, " tx power "); break;
	case 9: i32(o, -(int32_t)v); ln_lit(o, "dB tx attenuation "); break;
	case 10: i32(o, (int8_t)v); ln_lit(o, "dBm tx power "); break;
	case 11: ln_lit(o, "antenna "); ln_u32(o, (uint32_t)v); ln_chr(o, ' '); break;
	case 12: ln_u32(o, (uint32_t)v); ln_lit(o, "dB signal "); break;
	case 13: ln_u32(o, (uint32_t)v); ln_lit(o, "dB noise "); break;
	}
}

/*
 * One presence word's fields (bit0: the number of its bit 0 in the radiotap
 * namespace). 1 go on, 0 stop the fields (tcpdump's "[bit N] ", or a field
 * past the header), -1 a field this printer does not read (the line stops).
 */
static int rt_word(struct print_ctx *x, const struct cursor *rt, uint32_t word, unsigned bit0, struct rt_state *st)
{
	for (unsigned b = 0; b < 29; b++) {
		unsigned bit = bit0 + b;
		uint64_t v;

		if (!(word & (1u << b)))
			continue;
		if (bit >= 18 && bit <= 21)
			return -1;            /* XChannel, MCS, A-MPDU, VHT */
		if (bit >= 15 && (bit > 21 || rt_size[bit] == 0)) {
			ln_lit(x->out, "[bit ");
			ln_u32(x->out, bit);
			ln_lit(x->out, "] ");
			return 0;
		}
		st->off = (st->off + rt_align[bit] - 1) & ~(uint32_t)(rt_align[bit] - 1);
		if (st->off + rt_size[bit] > cur_len(rt)) {
			ln_lit(x->out, " [|802.11_radio]");
			return 0;
		}
		at_le(rt, st->off, rt_size[bit], &v);
		st->off += rt_size[bit];
		rt_words(x, bit, v, st);
	}
	return 1;
}

/* ieee802_11_radio_print(): the radiotap header's fields, then the 802.11 frame. */
int print_radiotap(struct print_ctx *x, struct cursor c, uint32_t length)
{
	struct cursor rt;
	struct rt_state st = { 0, 0 };
	uint64_t v;
	uint32_t len, nwords, word;
	unsigned bit0 = 0;
	int r = 1;

	x->proto = "802.11_radio";
	x->soft_trunc = 1;
	if (!at_le(&c, 2, 2, &v) || cur_len(&c) < 8)
		return 0;
	len = (uint32_t)v;
	if (len < 8 || len > cur_len(&c))
		return 0;
	rt = cur_make(cur_data(&c), len);
	for (nwords = 0;;) {                  /* the presence words, all inside the header */
		if (!at_le(&rt, 4 + 4 * nwords, 4, &v))
			return 0;
		nwords++;
		if (!(v & 0x80000000u))
			break;
	}
	x->soft_trunc = 0;
	st.off = 4 + 4 * nwords;
	for (uint32_t i = 0; i < nwords && r > 0; i++) {
		at_le(&rt, 4 + 4 * i, 4, &v);
		word = (uint32_t)v;
		if (word & 0x40000000u)
			r = -1;               /* a vendor namespace */
		else
			r = rt_word(x, &rt, word, bit0, &st);
		bit0 = word & 0x20000000u ? 0 : bit0 + 32;
	}
	if (r < 0)
		return print_trunc(x, "802.11_radio");
	cur_skip(&c, len);
	return print_80211(x, c, length - len, (st.flags & 0x20) != 0, st.flags & 0x10 ? 4 : 0);
}
