/* print_icmp6.h: what the ICMPv6 printer files share: the -v level and the kinds worded in their own files. */
#ifndef SYNACK_PRINT_ICMP6_H
#define SYNACK_PRINT_ICMP6_H

#include "print.h"

/*
 * v: tcpdump's -v count as the printer's flags give it (0, 1 for -v, 2 for
 * -vv), tested once per message in print_icmp6(). Each returns 1 when the
 * line may go on (", length N" without -v), 2 when nothing more follows,
 * 0 when it ended at " [|icmp6]" (x->soft_trunc set when tcpdump returned
 * there instead of jumping out).
 */
int icmp6_mld(struct print_ctx *x, const struct cursor *m, uint8_t type, uint32_t length, unsigned v);
int icmp6_rrenum(struct print_ctx *x, const struct cursor *m, unsigned v);
int icmp6_nodeinfo(struct print_ctx *x, const struct cursor *m, uint8_t type, uint32_t length, unsigned v);
/* -v only: neighbor discovery (133-137), home agent and mobile prefix (145, 147), RPL (155); -1 for other types. */
int icmp6_verbose(struct print_ctx *x, const struct cursor *m, uint8_t type, uint8_t code, uint32_t length,
		  unsigned v);

/* A byte of a name as tcpdump's fn_print_char shows it: M- for the high bit, ^ for a control. */
void icmp6_name_char(struct line *out, uint8_t c);
/* The IPv6 address at off into a; 0 when it was not captured. */
int icmp6_addr(const struct cursor *m, size_t off, uint8_t a[16]);

#endif
