/* print.h: one packet as one line, tcpdump -nn's line for TCP, our own short one otherwise. */
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
};

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
int print_tcp(struct print_ctx *x, struct cursor tcp, uint32_t length, int ext_hdrs);
void print_udp(struct print_ctx *x);
void print_icmp(struct print_ctx *x);
int print_mptcp(struct print_ctx *x, struct cursor opt, uint32_t len, uint8_t flags);
void print_ts(struct print_ctx *x);

#endif
