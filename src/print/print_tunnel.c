/* print_tunnel.c: GRE, VXLAN, GENEVE, MPLS, PPPoE and PPP as tcpdump 4.99 -nn [-e] prints them, down to the inner packet. */
#include "print.h"

/* tcpdump 4.99 hands these UDP ports to vxlan_print() and geneve_print(). */
#define VXLAN_PORT 4789
#define GENEVE_PORT 6081

static void hex04(struct line *out, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	ln_lit(out, "0x");
	ln_hexbytes(out, b, 2);
}

/* ", proto NAME (0xNNNN)", GRE's and GENEVE's -e words for the payload's type. */
static void proto_words(struct print_ctx *x, uint16_t type)
{
	const char *n = print_ethertype_name(type);

	ln_lit(x->out, ", proto ");
	ln_str(x->out, n != NULL ? n : "unknown");
	ln_lit(x->out, " (");
	hex04(x->out, type);
	ln_chr(x->out, ')');
}

/* A source route entry's addresses (gre_sre_ip_print, gre_sre_asn_print): 0 invalid, -1 out of bytes. */
static int gre_sre(struct print_ctx *x, uint16_t af, uint8_t off, uint8_t len, struct cursor c)
{
	unsigned unit = af == 0x0800 ? 4 : 2;
	uint8_t a[4];
	uint16_t asn;

	ln_str(x->out, af == 0x0800 ? ", (rtaf=ip" : ", (rtaf=asn");
	if (off % unit || len % unit || off >= len) {
		if (off % unit) {
			ln_lit(x->out, ", badoffset=");
			ln_u32(x->out, off);
		} else if (len % unit) {
			ln_lit(x->out, ", badlength=");
			ln_u32(x->out, len);
		} else {
			ln_lit(x->out, ", badoff/len=");
			ln_u32(x->out, off);
			ln_chr(x->out, '/');
			ln_u32(x->out, len);
		}
		ln_chr(x->out, ')');
		return 0;
	}
	for (unsigned at = 0; at < len; at += unit) {
		ln_str(x->out, at == off ? " *" : " ");
		if (unit == 4) {
			if (!cur_copy(&c, a, 4))
				return -1;
			ln_ip4(x->out, a);
		} else {
			if (!cur_get_u16(&c, &asn))
				return -1;
			ln_hex(x->out, asn);
		}
	}
	ln_chr(x->out, ')');
	return 1;
}

/* The routing entries of a GRE header with R set, up to the empty one: 1, 0 out of bytes, -1 invalid. */
static int gre_routing(struct print_ctx *x, struct cursor *c, uint32_t *len)
{
	uint16_t af;
	uint8_t off, sl;
	int r;

	for (;;) {
		if (!cur_get_u16(c, &af) || !cur_get_u8(c, &off) || !cur_get_u8(c, &sl))
			return print_trunc(x, "gre");
		*len -= 4;
		if (af == 0 && sl == 0)
			return 1;
		if (af == 0x0800 || af == 0xfffe) {
			r = gre_sre(x, af, off, sl, *c);
			if (r <= 0)
				return r < 0 ? print_trunc(x, "gre") : -1;
		} else {
			ln_lit(x->out, ", (rtaf=0x");
			ln_hex(x->out, af);
			ln_chr(x->out, ')');
		}
		if (!cur_skip(c, sl))
			return print_trunc(x, "gre");
		*len -= sl;
	}
}

/* The payload of GRE version 0 by its protocol type. */
static int gre_payload(struct print_ctx *x, uint16_t prot, struct cursor c, uint32_t len)
{
	switch (prot) {
	case 0x0800:
	case 0x86dd:
	case 0x8847:
	case 0x8848:
		return print_ethertype(x, prot, c, len);
	case 0x6558:
		return print_ether(x, c, len, 1);
	}
	ln_lit(x->out, "gre-proto-0x");
	ln_hex(x->out, prot);
	return 1;
}

/* gre_print_0() and gre_print_1(): c the GRE header as captured, length its length by the IP header. */
/* -v: ", Flags [...]", the header's flags by name. */
static void gre_flags(struct print_ctx *x, uint16_t flags)
{
	static const struct { uint16_t bit; const char *name; } names[] = {
		{ 0x8000, "checksum present" }, { 0x4000, "routing present" },
		{ 0x2000, "key present" }, { 0x1000, "sequence# present" },
		{ 0x0800, "strict source route" }, { 0x0080, "acknowledgment# present" },
	};
	const char *sep = "";

	ln_lit(x->out, ", Flags [");
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (flags & names[i].bit) {
			ln_str(x->out, sep);
			ln_str(x->out, names[i].name);
			sep = ", ";
		}
	}
	if (*sep == 0)
		ln_lit(x->out, "none");
	ln_chr(x->out, ']');
}

/* Between the header and its payload: ": ", or with -v a new line. */
static void gre_demarc(struct print_ctx *x)
{
	if (x->flags & PRINT_VERBOSE)
		ln_lit(x->out, "\n\t");
	else
		ln_lit(x->out, ": ");
}

int print_gre(struct print_ctx *x, struct cursor c, uint32_t length)
{
	uint16_t flags, prot, v16;
	uint32_t v32, len = length;
	unsigned vers;

	x->proto = "gre";
	if (!print_at_u16(&c, 0, &flags)) {
		x->soft_trunc = 1;      /* tcpdump's ND_TCHECK_2: a return, not its longjmp */
		return 0;
	}
	vers = flags & 7;
	ln_lit(x->out, "GREv");
	ln_u32(x->out, vers);
	if (vers > 1) {
		ln_lit(x->out, " ERROR: unknown-version");
		return 1;
	}
	if (len < 4 || !cur_skip(&c, 2) || !cur_get_u16(&c, &prot))
		return 0;
	len -= 4;
	if (x->flags & PRINT_VERBOSE)
		gre_flags(x, flags);
	if (vers == 0 && (flags & 0xc000)) {
		if (len < 4 || !cur_get_u16(&c, &v16))
			return 0;
		if (x->flags & PRINT_VERBOSE) {
			ln_lit(x->out, ", sum 0x");
			ln_hex(x->out, v16);
		}
		if (!cur_get_u16(&c, &v16))
			return 0;
		ln_lit(x->out, ", off 0x");
		ln_hex(x->out, v16);
		len -= 4;
	}
	if (flags & 0x2000) {
		if (len < 4 || !cur_get_u32(&c, &v32))
			return 0;
		ln_str(x->out, vers == 0 ? ", key=0x" : ", call ");
		if (vers == 0)
			ln_hex(x->out, v32);
		else
			ln_u32(x->out, v32 & 0xffff);
		len -= 4;
	}
	if (flags & 0x1000) {
		if (len < 4 || !cur_get_u32(&c, &v32))
			return 0;
		ln_lit(x->out, ", seq ");
		ln_u32(x->out, v32);
		len -= 4;
	}
	if (vers == 0 && (flags & 0x4000)) {
		int r = gre_routing(x, &c, &len);
		if (r < 0)
			ln_lit(x->out, " (invalid)");
		if (r <= 0)
			return r < 0;
	}
	if (vers == 1 && (flags & 0x0080)) {
		if (len < 4 || !cur_get_u32(&c, &v32))
			return 0;
		ln_lit(x->out, ", ack ");
		ln_u32(x->out, v32);
		len -= 4;
	}
	if (vers == 1 && !(flags & 0x1000))
		ln_lit(x->out, ", no-payload");
	if (x->flags & PRINT_LINK_HDR)
		proto_words(x, prot);
	ln_lit(x->out, ", length ");
	ln_u32(x->out, length);
	if (vers == 1) {
		if (!(flags & 0x1000))
			return 1;
		gre_demarc(x);
		if (prot == 0x880b)
			return print_ppp(x, c, len);
		ln_lit(x->out, "gre-proto-0x");
		ln_hex(x->out, prot);
		return 1;
	}
	gre_demarc(x);
	return gre_payload(x, prot, c, len);
}

/* vxlan_print(): the header, a line break, the inner Ethernet frame. */
int print_vxlan(struct print_ctx *x, struct cursor c, uint32_t length)
{
	uint8_t flags;
	uint32_t vni;
	struct cursor t = c;

	x->proto = "vxlan";
	ln_lit(x->out, "VXLAN");
	if (length < 8) {
		ln_lit(x->out, " (invalid)");
		return 1;
	}
	if (!cur_get_u8(&t, &flags))
		return 0;
	ln_lit(x->out, ", flags [");
	ln_str(x->out, (flags & 0x08) ? "I" : "invalid");
	ln_lit(x->out, "] (0x");
	ln_hexbytes(x->out, &flags, 1);
	ln_lit(x->out, "), ");
	if (!cur_skip(&t, 3) || !cur_get_u24(&t, &vni))
		return 0;
	ln_lit(x->out, "vni ");
	ln_u32(x->out, vni);
	print_inner_break(x);
	cur_skip(&t, 1);
	return print_ether(x, t, length - 8, 1);
}

/* The GENEVE header's flags, as bittok2str_nosep() words them. */
static void geneve_flags(struct line *out, uint8_t f)
{
	static const char *const names[8] = { "O", "C", "R1", "R2", "R3", "R4", "R5", "R6" };
	int any = 0;

	for (int i = 0; i < 8; i++) {
		if (f & (0x80 >> i)) {
			ln_str(out, names[i]);
			any = 1;
		}
	}
	if (!any)
		ln_lit(out, "none");
}

/* geneve_print() without -v: its header, then the payload by its protocol type. */
int print_geneve(struct print_ctx *x, struct cursor c, uint32_t len)
{
	uint8_t vo, flags, rsvd;
	uint16_t prot;
	uint32_t vni, opts;
	int r;

	x->proto = "geneve";
	ln_lit(x->out, "Geneve");
	if (cur_len(&c) < 8)
		return 0;
	cur_get_u8(&c, &vo);
	if (vo >> 6) {
		ln_lit(x->out, " ERROR: unknown-version ");
		ln_u32(x->out, vo >> 6);
		return 1;
	}
	cur_get_u8(&c, &flags);
	cur_get_u16(&c, &prot);
	cur_get_u24(&c, &vni);
	cur_get_u8(&c, &rsvd);
	len -= 8;                    /* u_int arithmetic, as tcpdump's */
	ln_lit(x->out, ", Flags [");
	geneve_flags(x->out, flags);
	ln_lit(x->out, "], vni 0x");
	ln_hex(x->out, vni);
	if (rsvd) {
		ln_lit(x->out, ", rsvd 0x");
		ln_hex(x->out, rsvd);
	}
	if (x->flags & PRINT_LINK_HDR)
		proto_words(x, prot);
	opts = (uint32_t)(vo & 0x3f) * 4;
	if (len < opts) {
		ln_lit(x->out, " truncated-geneve - ");
		ln_u32(x->out, opts - len);
		ln_lit(x->out, " bytes missing");
		return 1;
	}
	if (!cur_skip(&c, opts))
		return 0;
	if (opts > 0) {
		ln_lit(x->out, ", options [");
		ln_u32(x->out, opts);
		ln_lit(x->out, " bytes]");
	}
	len -= opts;
	ln_lit(x->out, ": ");
	r = print_ethertype(x, prot, c, len);
	if (r >= 0)
		return r;
	if (prot == 0x6558)
		return print_ether(x, c, len, 1);
	ln_lit(x->out, "geneve-proto-0x");
	ln_hex(x->out, prot);
	return 1;
}

/* Whether tcpdump's udp_print() hands a datagram with these ports to a tunnel printer here. */
int print_udp_tunnel_port(uint16_t sport, uint16_t dport)
{
	return sport == VXLAN_PORT || dport == VXLAN_PORT || sport == GENEVE_PORT || dport == GENEVE_PORT;
}

int print_udp_tunnel(struct print_ctx *x, uint16_t sport, uint16_t dport, struct cursor payload, uint32_t length)
{
	if (sport == VXLAN_PORT || dport == VXLAN_PORT)
		return print_vxlan(x, payload, length);
	return print_geneve(x, payload, length);
}

/* mpls_print() without -v: the label stack, then the payload its first byte or last label says is IP. */
int print_mpls(struct print_ctx *x, struct cursor c, uint32_t length)
{
	uint32_t e;
	uint8_t b0;
	int v6;

	x->proto = "mpls";
	ln_lit(x->out, "MPLS");
	do {
		if (!print_at_u32(&c, 0, &e))
			return 0;
		if (length < 4) {
			ln_lit(x->out, "[|MPLS], length ");
			ln_u32(x->out, length);
			return 1;
		}
		ln_lit(x->out, " (label ");
		ln_u32(x->out, e >> 12);
		ln_lit(x->out, ", tc ");
		ln_u32(x->out, (e >> 9) & 7);
		if (e & 0x100)
			ln_lit(x->out, ", [S]");
		ln_lit(x->out, ", ttl ");
		ln_u32(x->out, e & 0xff);
		ln_chr(x->out, ')');
		cur_skip(&c, 4);
		length -= 4;
	} while (!(e & 0x100));
	switch (e >> 12) {
	case 0: case 3: v6 = 0; break;
	case 2: v6 = 1; break;
	default:
		if (!print_at_u8(&c, 0, &b0))
			return 0;
		if (length < 1)
			return 1;
		if (b0 >= 0x45 && b0 <= 0x4f)
			v6 = 0;
		else if (b0 >= 0x60 && b0 <= 0x6f)
			v6 = 1;
		else {
			/* OSI (0x81-0x83) is not decoded here either: a hex dump, " [|mpls]" when cut */
			print_hexdump(x, c, length, 1);
			return cur_len(&c) >= length;
		}
	}
	if (x->flags & PRINT_VERBOSE)
		ln_lit(x->out, "\n\t");
	else
		ln_chr(x->out, ' ');
	return print_ip_at(x, c, length, v6);
}

/* tcpdump's ppptype2str, the protocols named here. */
const char *print_ppp_name(uint16_t p)
{
	switch (p) {
	case 0x0021: return "IP";
	case 0x0023: return "OSI";
	case 0x002b: return "IPX";
	case 0x002d: return "VJC IP";
	case 0x002f: return "VJNC IP";
	case 0x0057: return "IP6";
	case 0x00fd: return "Compressed";
	case 0x003d: return "MLPPP";
	case 0x0281: case 0x0283: return "MPLS";
	case 0x8021: return "IPCP";
	case 0x8057: return "IP6CP";
	case 0x8281: return "MPLSCP";
	case 0x80fd: return "CCP";
	case 0xc021: return "LCP";
	case 0xc023: return "PAP";
	case 0xc223: return "CHAP";
	}
	return NULL;
}

/* handle_ppp(): the payload of a PPP frame by its protocol. */
int print_ppp_proto(struct print_ctx *x, uint16_t proto, struct cursor c, uint32_t length)
{
	const char *n;

	switch (proto) {
	case 0x0800: case 0x0021: case 0x002f:
		return print_ip_at(x, c, length, 0);
	case 0x86dd: case 0x0057:
		return print_ip_at(x, c, length, 1);
	case 0x0281: case 0x0283:
		return print_mpls(x, c, length);
	case 0x00fd:
		ln_lit(x->out, "compressed PPP data");
		return 1;
	}
	/* control protocols and the rest: named, not decoded (tcpdump decodes LCP, IPCP, ...) */
	n = print_ppp_name(proto);
	if (n != NULL) {
		ln_str(x->out, n);
		ln_chr(x->out, ' ');
	} else {
		ln_lit(x->out, "unknown PPP protocol (");
		hex04(x->out, proto);
		ln_lit(x->out, ") ");
	}
	print_hexdump(x, c, length, 0);
	return 1;
}

/* ppp_print(): address and control (or pppd's direction), the protocol, then its payload. */
int print_ppp(struct print_ctx *x, struct cursor c, uint32_t length)
{
	uint32_t olen = length;
	uint16_t hdr, proto;
	uint8_t b0;
	const char *n;

	x->proto = "ppp";
	if (length < 2 || !print_at_u16(&c, 0, &hdr))
		return 0;
	if (hdr == 0x0003 || hdr == 0x0103 || hdr == 0xff03) {
		if (x->flags & PRINT_LINK_HDR && hdr != 0xff03)
			ln_str(x->out, hdr == 0x0003 ? "In  " : "Out ");
		cur_skip(&c, 2);
		length -= 2;
	}
	if (length < 2 || !print_at_u8(&c, 0, &b0))
		return 0;
	if (b0 % 2) {
		proto = b0;
		cur_skip(&c, 1);
		length -= 1;
	} else {
		if (!cur_get_u16(&c, &proto))
			return 0;
		length -= 2;
	}
	if (x->flags & PRINT_LINK_HDR) {
		n = print_ppp_name(proto);
		ln_str(x->out, n != NULL ? n : "unknown");
		ln_lit(x->out, " (");
		hex04(x->out, proto);
		ln_lit(x->out, "), length ");
		ln_u32(x->out, olen);
		if (n == NULL)
			return 1;
		ln_lit(x->out, ": ");
	}
	return print_ppp_proto(x, proto, c, length);
}

static const char *pppoe_code(uint8_t code)
{
	switch (code) {
	case 0x09: return "PADI";
	case 0x07: return "PADO";
	case 0x19: return "PADR";
	case 0x65: return "PADS";
	case 0xa7: return "PADT";
	case 0x00: return "";
	}
	return NULL;
}

static const char *pppoe_tag(uint16_t t)
{
	switch (t) {
	case 0x0000: return "EOL";
	case 0x0101: return "Service-Name";
	case 0x0102: return "AC-Name";
	case 0x0103: return "Host-Uniq";
	case 0x0104: return "AC-Cookie";
	case 0x0105: return "Vendor-Specific";
	case 0x0110: return "Relay-Session-ID";
	case 0x0120: return "PPP-Max-Payload";
	case 0x0201: return "Service-Name-Error";
	case 0x0202: return "AC-System-Error";
	case 0x0203: return "Generic-Error";
	}
	return NULL;
}

/* One discovery tag's value: as text when mostly printable (80 bytes at most), else as hex. */
static void pppoe_tag_value(struct line *out, const uint8_t *v, uint16_t n)
{
	unsigned ascii = 0, garbage = 0, shown = n < 79 ? n : 79;
	static const char hexd[] = "0123456789ABCDEF";

	for (unsigned i = 0; i < shown; i++) {
		if (v[i] >= 0x20 && v[i] < 0x7f)
			ascii++;
		else
			garbage++;
	}
	if (ascii > garbage) {
		ln_lit(out, " \"");
		for (unsigned i = 0; i < shown; i++)
			ln_chr(out, v[i] >= 0x20 && v[i] < 0x7f ? (char)v[i] : '.');
		ln_lit(out, "\"]");
		return;
	}
	ln_lit(out, " 0x");
	for (unsigned i = 0; i < n; i++) {
		ln_chr(out, hexd[v[i] >> 4]);
		ln_chr(out, hexd[v[i] & 15]);
	}
	ln_chr(out, ']');
}

/* The tags of a discovery packet (p: its payload, plen bytes by its header). */
static int pppoe_tags(struct print_ctx *x, struct cursor p, uint32_t plen)
{
	uint16_t type = 0xffff, len;
	uint32_t at = 0;
	struct cursor v;
	const char *n;

	while (type != 0 && at < plen) {
		if (!cur_get_u16(&p, &type) || !cur_get_u16(&p, &len))
			return 0;
		at += 4;
		if (!cur_get_bytes(&p, &v, len))
			return 0;
		ln_lit(x->out, " [");
		n = pppoe_tag(type);
		if (n != NULL) {
			ln_str(x->out, n);
		} else {
			ln_lit(x->out, "TAG-0x");
			ln_hex(x->out, type);
		}
		if (len == 0) {
			ln_chr(x->out, ']');
			continue;
		}
		pppoe_tag_value(x->out, cur_data(&v), len);
		at += len;
	}
	return 1;
}

/* pppoe_print(): discovery packets with their tags, session packets with the PPP frame. */
int print_pppoe(struct print_ctx *x, struct cursor c, uint32_t length)
{
	uint8_t vt, code;
	uint16_t sid, plen16;
	uint32_t plen;
	const char *n;

	x->proto = "pppoe";
	if (length < 6) {
		ln_lit(x->out, "truncated-pppoe ");
		ln_u32(x->out, length);
		return 1;
	}
	length -= 6;
	if (!cur_get_u8(&c, &vt) || !cur_get_u8(&c, &code) || !cur_get_u16(&c, &sid) ||
	    !cur_get_u16(&c, &plen16))
		return 0;
	plen = plen16;
	if (vt >> 4 != 1) {
		ln_lit(x->out, " [ver ");
		ln_u32(x->out, vt >> 4);
		ln_chr(x->out, ']');
	}
	if ((vt & 15) != 1) {
		ln_lit(x->out, " [type ");
		ln_u32(x->out, vt & 15);
		ln_chr(x->out, ']');
	}
	ln_lit(x->out, "PPPoE ");
	n = pppoe_code(code);
	if (n != NULL) {
		ln_str(x->out, n);
	} else {
		ln_lit(x->out, "PAD-");
		ln_hex(x->out, code);
	}
	if (code == 0x09 && plen > 1484 - 6) {
		ln_lit(x->out, " [len ");
		ln_u32(x->out, plen);
		ln_lit(x->out, "!]");
	}
	if (plen > length) {
		ln_lit(x->out, " [len ");
		ln_u32(x->out, plen);
		ln_lit(x->out, " > ");
		ln_u32(x->out, length);
		ln_lit(x->out, "!]");
		plen = length;
	}
	if (sid) {
		ln_lit(x->out, " [ses 0x");
		ln_hex(x->out, sid);
		ln_chr(x->out, ']');
	}
	if (code)
		return pppoe_tags(x, c, plen);
	ln_chr(x->out, ' ');
	return print_ppp(x, c, plen);
}
