/* prose.h: a verdict's words (summary, explanation, next step), written from its code and facts. */
#ifndef SYNACK_PROSE_H
#define SYNACK_PROSE_H

#include <stddef.h>

#include "line.h"
#include "verdict.h"

/* The words of v, written once per connection. */
void verdict_words(const struct verdict *v, struct verdict_text *out);

/* The three texts while they are written: bounded lines over a verdict_text's arrays. */
struct vtexts {
	struct line sum, why, next;
};

/* Where the capture was taken (v->cp, judged or given): a phrase. */
const char *prose_capture_point(const struct verdict *v);

/*
 * A reset most likely injected (verdict_rst_injected): the clause that says
 * why, for a summary ("its TTL is 64 where the server's packets have 63"),
 * and the sentences of explanation and next step that point at the devices
 * between instead of the side whose address it bore.
 */
void prose_rst_odd(const struct verdict_tcp_facts *f, struct line *l);
void prose_rst_injected(const struct verdict_tcp_facts *f, struct vtexts *t);

/* The words of a tcp.* verdict. */
void prose_tcp(const struct verdict *v, struct vtexts *t);
/* The words of a tls.* verdict (but the capture point, which prose.c adds). */
void prose_tls(const struct verdict *v, struct vtexts *t);
/* ... of tls.sslv2 (prose_sslv2.c). */
void prose_tls_sslv2(const struct verdict_tls_facts *f, struct vtexts *t);
/* The problems the certificate checks found, one sentence each (prose_tls.c). */
void prose_tls_cert_problems(struct line *l, const struct tls_cert_findings *f);

#endif
