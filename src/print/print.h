/* print.h: one packet as one line, tcpdump 4.99 -nn's line for TCP, UDP, ICMP, ICMPv6 and ARP. */
#ifndef SYNACK_PRINT_H
#define SYNACK_PRINT_H

#include "decode.h"
#include "line.h"
#include "seqtab.h"

/* The largest frame tcpdump takes as valid (its MAXIMUM_SNAPLEN): a longer one is an invalid header. */
#define PRINT_MAX_SNAPLEN 262144u

struct printer;

enum {
	PRINT_ABSOLUTE_SEQ = 1,   /* -S */
	/* the hex dumps tcpdump prints on lines of their own after a message it
	 * does not word (an unknown ICMPv6 type, an unknown ARP operation): for
	 * `synack print`, whose lines may then hold newlines (PRINT_LINE_MAX) */
	PRINT_HEXDUMP = 2,
	PRINT_NANO = 4,           /* --nano: nanosecond timestamps (converted from a file's micro) */
	PRINT_LINK_HDR = 8,       /* -e: the link-level header, and the headers of tunnels' inner frames */
	/* tcpdump's dumps of the packet after its line: -x (hex), -X (hex and
	 * ASCII), -A (ASCII); with PRINT_DUMP_LINK (-xx, -XX, -AA) from the
	 * link-layer header on, else from the network layer */
	PRINT_DUMP_HEX = 16,
	PRINT_DUMP_HEXASCII = 32,
	PRINT_DUMP_ASCII = 64,
	PRINT_DUMP_LINK = 128,
	/* -v: tcpdump's -v fields (IP header, checksums) */
	PRINT_VERBOSE = 256,
	PRINT_VERBOSE2 = 512,     /* -vv: with PRINT_VERBOSE */
};

/* tcpdump's -t options: the timestamp that opens a line (none, -t, ..., -ttttt). */
enum print_time {
	PRINT_TIME_HMS = 0,        /* HH:MM:SS.frac, local time */
	PRINT_TIME_NONE = 1,       /* -t */
	PRINT_TIME_EPOCH = 2,      /* -tt: seconds since 1970 */
	PRINT_TIME_DELTA = 3,      /* -ttt: since the previous line */
	PRINT_TIME_DATE = 4,       /* -tttt: the date, then HH:MM:SS.frac */
	PRINT_TIME_SINCE_FIRST = 5,/* -ttttt: since the first line */
};
#define PRINT_DUMPS (PRINT_DUMP_HEX | PRINT_DUMP_HEXASCII | PRINT_DUMP_ASCII)

/* Room for a line with two hex dumps (-X, and a message's own) of the largest frame. */
#define PRINT_LINE_MAX (10u * PRINT_MAX_SNAPLEN)

struct printer *printer_new(unsigned flags);
void printer_free(struct printer *pr);
/* The timestamp format (default PRINT_TIME_HMS). */
void printer_set_time(struct printer *pr, enum print_time mode);
/* -ttt and -ttttt count from the next line again (a new block of evidence lines). */
void printer_time_restart(struct printer *pr);

/* Append the line for p (without the newline) to out. p must be decoded. */
void printer_line(struct printer *pr, const struct packet *p, struct line *out);

/*
 * The same line, with tcpdump's relative-sequence base of one connection kept
 * by the caller (*base, *base_set) instead of the printer's table, so that a
 * finished connection's state can be freed with it.
 */
void printer_line_base(struct printer *pr, const struct packet *p, struct seq_val *base,
		       uint8_t *base_set, struct line *out);
/* Advance such a base for a TCP packet that is not printed. */
void print_seq_track(const struct packet *p, struct seq_val *base, uint8_t *base_set);

/* Internal to the printer files. */
struct print_ctx {
	struct printer *pr;
	const struct packet *p;
	struct line *out;
	const char *proto;       /* the layer named in " [|proto]" on truncation */
	struct seq_val *base;    /* NULL: the printer's own table */
	uint8_t *base_set;
	unsigned flags;          /* the printer's PRINT_* flags */
	unsigned depth;          /* tunnels entered: inner frames are printed to a bounded depth */
	int jumped;              /* the line ended at " [|proto]": tcpdump's longjmp */
	int soft_trunc;          /* ... but printed by a check that returns (ND_TCHECK), not a longjmp */
};
/*
 * Reads at an offset without consuming, as cur_peek_u8/u16 but inline (the
 * printer reads most header fields this way); a read past the end gives 0.
 */
static inline int print_at_u8(const struct cursor *c, size_t off, uint8_t *v)
{
	struct cursor t = *c;
	*v = 0;
	return cur_skip(&t, off) && cur_get_u8(&t, v);
}

static inline int print_at_u16(const struct cursor *c, size_t off, uint16_t *v)
{
	struct cursor t = *c;
	*v = 0;
	return cur_skip(&t, off) && cur_get_u16(&t, v);
}

static inline int print_at_u32(const struct cursor *c, size_t off, uint32_t *v)
{
	struct cursor t = *c;
	*v = 0;
	return cur_skip(&t, off) && cur_get_u32(&t, v);
}

/* "src > dst" for the packet's addresses. */
void print_addr_pair(struct print_ctx *x, const uint8_t *src, const uint8_t *dst, int v6);
int print_ip_by_link(struct print_ctx *x, struct cursor c, uint32_t length);
int print_tcp(struct print_ctx *x, struct cursor tcp, uint32_t length, int ext_hdrs, int fragmented);
/* -v (print_verbose.c): "(tos ...)\n    " (1; 0: an option cut, -1: a byte tcpdump needs not captured) */
int print_ip4_verbose(struct print_ctx *x, struct cursor ip, uint32_t hlen);
/* "(flowlabel ..., hlim N, next-header P (N) payload length: N) " */
void print_ip6_verbose(struct print_ctx *x, const struct cursor *ip6, uint16_t plen, uint8_t nh);
/* -v's words for one IPv6 option (not jumbo) of optlen bytes at i in o, all captured; -1: cut. */
int print_ip6_opt_verbose(struct print_ctx *x, const struct cursor *o, size_t i, uint8_t t, size_t optlen);
/* The Internet checksum of c's bytes, and of a TCP or UDP segment with its pseudo-header (0: right). */
uint16_t print_cksum(struct cursor c);
uint16_t print_l4_cksum(const struct packet *p, struct cursor seg, uint8_t proto);
/* in_cksum_shouldbe(): what the field should have held. */
uint16_t print_cksum_shouldbe(uint16_t field, uint16_t computed);
/* tcpdump's words for a UDP or ICMPv6 checksum (sum: the computed one, 0 when right):
 * "[NAME sum ok] " or "[bad NAME cksum 0xFIELD -> 0xSHOULD!] ". */
void print_cksum_note(struct line *out, const char *name, uint16_t field, uint16_t sum);
int print_udp(struct print_ctx *x, struct cursor c, uint32_t length, int ext_hdrs, int fragmented);
int print_icmp(struct print_ctx *x, struct cursor m, uint32_t length, int fragmented);
/* -v: the IP packet an ICMP or ICMPv6 error quotes (print_ip.c). */
int print_ip_quoted(struct print_ctx *x, struct cursor c, uint32_t length, int v6);
int print_icmp6(struct print_ctx *x, struct cursor m, uint32_t length, int fragmented);
int print_arp(struct print_ctx *x, struct cursor a, uint32_t length);
void print_hexdump(struct print_ctx *x, struct cursor c, uint32_t len, int ascii);
/* The dump -x, -X or -A asks for after the packet's line (PRINT_DUMPS). */
void print_dump(struct print_ctx *x);
int print_mptcp(struct print_ctx *x, struct cursor opt, uint32_t len, uint8_t flags);
void print_ts(struct print_ctx *x);

/* Layers below IP and tunnels (print_ether.c, print_tunnel.c, print_link.c). */
#define PRINT_MAX_DEPTH 8
const char *print_ethertype_name(uint16_t type);     /* NULL for a type tcpdump does not name */
/* " [|proto]" where a layer ran out of captured bytes: what every printer returns 0 for. */
int print_trunc(struct print_ctx *x, const char *proto);
/* "NAME (0x%04x)" of an ethertype, dflt when tcpdump has no name for it. */
void print_ethertype_words(struct line *out, uint16_t type, const char *dflt);
/* The bytes of an inner frame after a tunnel's header: a new line for `synack print`, a space in one-line evidence. */
void print_inner_break(struct print_ctx *x);
void print_mac(struct line *out, const uint8_t *mac);
int print_ip_at(struct print_ctx *x, struct cursor c, uint32_t length, int v6);
int print_ip_decoded(struct print_ctx *x, struct cursor c, uint32_t length);
int print_ether(struct print_ctx *x, struct cursor c, uint32_t length, int inner);
int print_ethertype(struct print_ctx *x, uint16_t type, struct cursor c, uint32_t length);
int print_gre(struct print_ctx *x, struct cursor c, uint32_t length);
int print_vxlan(struct print_ctx *x, struct cursor c, uint32_t length);
int print_geneve(struct print_ctx *x, struct cursor c, uint32_t length);
int print_udp_tunnel_port(uint16_t sport, uint16_t dport);
int print_udp_tunnel(struct print_ctx *x, uint16_t sport, uint16_t dport, struct cursor payload, uint32_t length);
int print_mpls(struct print_ctx *x, struct cursor c, uint32_t length);
int print_pppoe(struct print_ctx *x, struct cursor c, uint32_t length);
int print_ppp(struct print_ctx *x, struct cursor c, uint32_t length);
const char *print_ppp_name(uint16_t proto);  /* NULL for one tcpdump does not name */
int print_ppp_proto(struct print_ctx *x, uint16_t proto, struct cursor c, uint32_t length);
/* Link types the printer reads itself (print_link.c): 1 if it prints linktype. */
int print_link_supported(int linktype);
int print_link_other(struct print_ctx *x, int linktype, struct cursor c, uint32_t length);
/* 802.11 (print_80211.c): a frame (pad: header padded to 4 bytes, fcslen: FCS bytes at its end), radiotap. */
int print_80211(struct print_ctx *x, struct cursor c, uint32_t length, int pad, uint32_t fcslen);
int print_radiotap(struct print_ctx *x, struct cursor c, uint32_t length);

#endif
