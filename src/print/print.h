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
	/* tcpdump's dumps of the packet after its line: -x (hex), -X (hex and
	 * ASCII), -A (ASCII); with PRINT_DUMP_LINK (-xx, -XX, -AA) from the
	 * link-layer header on, else from the network layer */
	PRINT_DUMP_HEX = 4,
	PRINT_DUMP_HEXASCII = 8,
	PRINT_DUMP_ASCII = 16,
	PRINT_DUMP_LINK = 32,
	/* -v: tcpdump's -v fields (IP header, checksums) */
	PRINT_VERBOSE = 64,
	PRINT_VERBOSE2 = 128,     /* -vv: with PRINT_VERBOSE */
};
#define PRINT_DUMPS (PRINT_DUMP_HEX | PRINT_DUMP_HEXASCII | PRINT_DUMP_ASCII)

/* Room for a line with two hex dumps (-X, and a message's own) of the largest frame. */
#define PRINT_LINE_MAX (10u * PRINT_MAX_SNAPLEN)

struct printer *printer_new(unsigned flags);
void printer_free(struct printer *pr);

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
/* The Internet checksum of c's bytes, and of a TCP or UDP segment with its pseudo-header (0: right). */
uint16_t print_cksum(struct cursor c);
uint16_t print_l4_cksum(const struct packet *p, struct cursor seg, uint8_t proto);
/* in_cksum_shouldbe(): what the field should have held. */
uint16_t print_cksum_shouldbe(uint16_t field, uint16_t computed);
int print_udp(struct print_ctx *x, struct cursor c, uint32_t length, int ext_hdrs, int fragmented);
int print_icmp(struct print_ctx *x, struct cursor m, uint32_t length);
int print_icmp6(struct print_ctx *x, struct cursor m, uint32_t length);
int print_mld6(struct print_ctx *x, const struct cursor *m, uint8_t type, uint32_t length);
int print_icmp6_rrenum(struct print_ctx *x, const struct cursor *m);
int print_icmp6_nodeinfo(struct print_ctx *x, const struct cursor *m, uint8_t type, uint32_t length);
int print_arp(struct print_ctx *x, struct cursor a, uint32_t length);
void print_hexdump(struct print_ctx *x, struct cursor c, uint32_t len, int ascii);
/* The dump -x, -X or -A asks for after the packet's line (PRINT_DUMPS). */
void print_dump(struct print_ctx *x);
int print_mptcp(struct print_ctx *x, struct cursor opt, uint32_t len, uint8_t flags);
void print_ts(struct print_ctx *x);

#endif
