/* report_tls.h: what the TLS parts of the two reports share (report_tls.c, report_tls_text.c). */
#ifndef SYNACK_REPORT_TLS_H
#define SYNACK_REPORT_TLS_H

#include <stddef.h>
#include <stdint.h>

#include "line.h"
#include "view.h"

/*
 * What a hello holds fewer of than it sent (fixed capacities, tls_hello.h):
 * for each such field, how many it sent (bytes, for the SNI and the longest
 * ALPN value). The verdict never rests on what was left out (the SNI matched
 * against the certificate is the whole name or none).
 */
struct report_hello_cut {
	const char *name;        /* JSON key */
	const char *words;       /* text */
	uint32_t kept, sent;
};

/* The fields ch holds fewer of than it sent, into c (room for 12): how many. */
size_t report_hello_cuts(const struct tls_client_hello *ch, struct report_hello_cut *c);

/* One TLS finding (a conn_view's issues) in words: a JSON finding's text and a line of the text report. */
void report_tls_issue_words(struct line *l, const struct tls_issue *is);

#endif
