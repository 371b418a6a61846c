/* tls_fingerprint.h: JA3 and JA4 of a ClientHello, from its lists as they were on the wire (used by tls_hello.c). */
#ifndef SYNACK_TLS_FINGERPRINT_H
#define SYNACK_TLS_FINGERPRINT_H

#include <stdint.h>

#include "cursor.h"
#include "tls_hello.h"

/* Where the fingerprints' inputs are, in the caller's bytes, during the call. */
struct ch_wire {
	struct cursor ciphers;      /* the cipher_suites list (SSLv2: the cipher specs) */
	struct cursor exts;         /* the extensions block */
	struct cursor versions, groups, point_formats, sigalgs, alpn_first;
	uint8_t have_alpn;
};

/* The 16-bit values of a list: plain, extension types of a block, or SSLv2 cipher specs. */
enum src_kind { SRC_U16, SRC_EXT, SRC_V2 };

/* JA3 (string and MD5) and JA4 into ch, over the full lists of w (not ch's capped copies). */
void tls_fingerprints(struct tls_client_hello *ch, const struct ch_wire *w, enum src_kind ck);

#endif
