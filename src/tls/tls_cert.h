/* tls_cert.h: the server's Certificate message taken apart with libcrypto, and what one capture can say about the chain. */
#ifndef SYNACK_TLS_CERT_H
#define SYNACK_TLS_CERT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cursor.h"

/*
 * Two steps:
 *
 *   tls_cert_parse_chain()  frames the Certificate message, decodes each
 *                           certificate with d2i_X509, copies out the fields a
 *                           report shows, and, while the X509 objects exist,
 *                           works out everything that needs them: who issued
 *                           whom among the certificates sent, self-signature,
 *                           and whether the server's certificate names the
 *                           SNI (X509_check_host, so the SNI is an argument
 *                           here: the full SAN list is not kept). Every X509
 *                           object is freed before it returns.
 *   tls_cert_check()        turns those facts and the capture time into
 *                           flags and short texts. Pure: no libcrypto.
 *
 * The chain struct holds copies only (no pointer into the input, no OpenSSL
 * object; tls_cert_parse_cached below shares one chain by reference count) and is bounded in size (about 7.7 KB). Certificate bytes are
 * hostile: one that does not decode is a finding (TLS_CERT_F_UNREADABLE),
 * never a parse failure. Cost: OpenSSL 3.0's d2i_X509 and signature checks
 * make a parse of a two-certificate chain about 0.5 ms.
 *
 * Status of the framing, as in tls_hello.h:
 *   TLS_CERT_TRUNCATED  the bytes ran out before a declared length: every
 *                       certificate complete before the cut is decoded and
 *                       checked, and counted in n_certs; the cut one is not.
 *                       (The TLS reader gives whole messages, or the first
 *                       TLS_HS_CAP bytes of a larger one.) What was not read
 *                       was not checked: TLS_CERT_F_NOT_CHECKED, a problem.
 *   TLS_CERT_INVALID    a length overruns its container or leaves bytes over,
 *                       an entry is empty, the handshake type is not 11.
 *                       error names the field. Certificates complete before
 *                       the fault are still decoded and checked.
 *
 * Strings are NUL-terminated printable ASCII (0x20..0x7e), safe for a terminal
 * and a JSON writer: names are RFC 2253 one-line with every control byte and
 * every byte >= 0x80 escaped as \XX (UTF-8 too: "Z\C3\BCrich"), SANs the same
 * without the RFC 2253 specials. A string too long for its field is cut on an
 * escape boundary and ends in "..." (and its bit is set in cut).
 */
enum tls_cert_status {
	TLS_CERT_OK = 0,
	TLS_CERT_TRUNCATED,
	TLS_CERT_INVALID,
};

#define TLS_CERT_MAX_KEPT     4       /* certificates whose fields are kept */
#define TLS_CERT_MAX_CHECKED  16      /* certificates decoded for the chain checks; more: TLS_CERT_F_NOT_CHECKED */
#define TLS_CERT_MAX_DER      65536   /* a larger certificate is not decoded: TLS_CERT_F_NOT_CHECKED */
#define TLS_CERT_NAME_LEN     256     /* subject, issuer: NUL included */
#define TLS_CERT_MAX_SANS     8       /* DNS and IP SANs kept, in certificate order */
#define TLS_CERT_SAN_LEN      128     /* each, NUL included */
#define TLS_CERT_MAX_FINDINGS 8
#define TLS_CERT_TEXT_LEN     160

enum tls_cert_san_type {
	TLS_CERT_SAN_DNS = 1,
	TLS_CERT_SAN_IP = 2,
};

struct tls_cert_san {
	uint8_t type;                     /* TLS_CERT_SAN_* */
	char name[TLS_CERT_SAN_LEN];      /* DNS name escaped; IP as inet_ntop writes it ("?" if not 4 or 16 bytes) */
};

/* cut bits */
enum {
	TLS_CERT_CUT_SUBJECT = 1u << 0,
	TLS_CERT_CUT_ISSUER  = 1u << 1,
	TLS_CERT_CUT_SAN     = 1u << 2,
	TLS_CERT_CUT_SERIAL  = 1u << 3,
};

/* The fields of one decoded certificate (certs[i] for i < n_kept). */
struct tls_cert_info {
	uint8_t decoded;                  /* d2i_X509 took it; else only der_len is set */
	uint32_t der_len;
	char subject[TLS_CERT_NAME_LEN];  /* "CN=www.example.test,O=Example" */
	char issuer[TLS_CERT_NAME_LEN];
	char serial[68];                  /* hex, lowercase, "-" first if negative */
	struct tls_cert_san sans[TLS_CERT_MAX_SANS];
	uint8_t n_sans;
	uint16_t sans_total;              /* DNS and IP SANs in the certificate */
	uint8_t san_invalid;              /* a subjectAltName extension that did not decode (or two of them) */
	uint8_t cut;                      /* TLS_CERT_CUT_* */
	uint8_t has_validity;             /* both dates decoded */
	int64_t not_before, not_after;    /* epoch seconds (UTC) */
	char not_before_str[21];          /* "2024-01-01T00:00:00Z" */
	char not_after_str[21];
	char sha256[65];                  /* of the DER, lowercase hex */
	char key_type[32];                /* "RSA", "RSA-PSS", "EC", "Ed25519", "Ed448", "DSA", else the algorithm's name or OID */
	uint32_t key_bits;                /* 0 if the key did not decode */
	char curve[32];                   /* EC: "P-256" (NIST name) or the OpenSSL group name; else "" */
	char sig_alg[48];                 /* "ecdsa-with-SHA256", "sha256WithRSAEncryption", ... */
	uint8_t is_ca;                    /* basicConstraints CA:TRUE */
};

/* What the chain checks found about certificate i (links[i], i < n_checked). */
enum {
	TLS_CERT_L_DECODED      = 1u << 0,
	TLS_CERT_L_SELF_SIGNED  = 1u << 1, /* issuer == subject and its own key verifies its signature (keyUsage not required) */
	TLS_CERT_L_CA           = 1u << 2, /* basicConstraints CA:TRUE */
	TLS_CERT_L_ISSUER_KEY   = 1u << 3, /* certificate i+1 has this one's issuer name but not the key that signed it */
	TLS_CERT_L_HAS_VALIDITY = 1u << 4,
	TLS_CERT_L_TOO_LARGE    = 1u << 5, /* more than TLS_CERT_MAX_DER bytes: not decoded */
	TLS_CERT_L_PUBLIC       = 1u << 6, /* a CA/Browser Forum policy (2.23.140.1.*): issued in the public PKI */
};

struct tls_cert_link {
	uint8_t flags;                    /* TLS_CERT_L_* */
	int8_t issuer;                    /* index of the sent certificate that issued this one (X509_check_issued and the signature), -1 none */
	int64_t not_before, not_after;
};

/* How the server's certificate (the first) compares with the SNI. */
enum tls_cert_name_result {
	TLS_CERT_NAME_NOT_CHECKED = 0,    /* no SNI given, or no certificate */
	TLS_CERT_NAME_MATCH,              /* a DNS SAN matches (a wildcard: one whole left-most label) */
	TLS_CERT_NAME_MATCH_CN_ONLY,      /* no DNS SAN at all, and the subject CN matches: browsers refuse this */
	TLS_CERT_NAME_MISMATCH,
	TLS_CERT_NAME_IP_MATCH,           /* the SNI is an IP literal (RFC 6066 forbids) and an IP SAN holds it */
	TLS_CERT_NAME_IP_MISMATCH,
	TLS_CERT_NAME_BAD_SNI,            /* the SNI cannot be matched: over 255 bytes, a NUL inside */
	TLS_CERT_NAME_UNREADABLE,         /* the first certificate did not decode */
};

struct tls_cert_chain {
	const char *error;                /* TLS_CERT_INVALID: the field at fault (a static string) */
	uint8_t status;                   /* enum tls_cert_status, as returned */
	uint8_t tls13;                    /* parsed with the TLS 1.3 layout */
	uint8_t context_len;              /* TLS 1.3 certificate_request_context (0 for a server) */
	uint32_t n_certs;                 /* certificates whose bytes were all there (all, beyond the limits too) */
	uint32_t declared_len;            /* the message's length, header included (0: its header was cut) */
	uint32_t captured_len;            /* ... and the bytes of it given */
	uint8_t n_kept;                   /* min(n_certs, TLS_CERT_MAX_KEPT) */
	uint8_t n_checked;                /* min(n_certs, TLS_CERT_MAX_CHECKED) */
	struct tls_cert_info certs[TLS_CERT_MAX_KEPT];
	struct tls_cert_link links[TLS_CERT_MAX_CHECKED];
	uint8_t name;                     /* enum tls_cert_name_result */
};

/* Findings: problems a client may well refuse the server for ... */
enum {
	TLS_CERT_F_MALFORMED     = 1u << 0,  /* the message framing is wrong (TLS_CERT_INVALID) */
	TLS_CERT_F_EMPTY         = 1u << 1,  /* a complete message with no certificate */
	TLS_CERT_F_UNREADABLE    = 1u << 2,  /* a certificate d2i_X509 refused (or with bytes after its DER) */
	TLS_CERT_F_EXPIRED       = 1u << 3,  /* a certificate's notAfter is before the capture */
	TLS_CERT_F_NOT_YET_VALID = 1u << 4,  /* a certificate's notBefore is after the capture */
	TLS_CERT_F_NAME_MISMATCH = 1u << 5,  /* the server's certificate does not cover the SNI */
	TLS_CERT_F_NAME_CN_ONLY  = 1u << 6,  /* it covers the SNI by its subject CN only, no SAN */
	TLS_CERT_F_SELF_SIGNED   = 1u << 7,  /* the server's certificate is self-signed */
	TLS_CERT_F_INCOMPLETE    = 1u << 8,  /* the server's certificate's issuer was not sent (complete messages only) */
	TLS_CERT_F_ORDER         = 1u << 9,  /* the first certificate is a CA that issued a later one: the server's is not first */
	TLS_CERT_F_ISSUER_KEY    = 1u << 10, /* the next certificate has the issuer's name but not the key that signed */
	TLS_CERT_F_NOT_CHECKED   = 1u << 11, /* part of the chain was not checked: the message was cut (only its
					      * first bytes read), a certificate larger than TLS_CERT_MAX_DER, more
					      * than TLS_CERT_MAX_CHECKED certificates. Whatever it hides is unknown. */
	/* ... and notes. */
	TLS_CERT_F_NO_SNI        = 1u << 17, /* nothing to match the name against */
	TLS_CERT_F_ROOT_SENT     = 1u << 18, /* the chain ends with a self-signed CA: harmless, unneeded */
	TLS_CERT_F_EXTRA         = 1u << 19, /* a certificate that is not on the server's chain */
	TLS_CERT_F_UNORDERED     = 1u << 21, /* a certificate after the first is not followed by its issuer, which
					      * was sent elsewhere: RFC 5246 forbids it, RFC 8446 4.4.2 asks
					      * clients of any version to accept it */
	TLS_CERT_F_PRIVATE_CA    = 1u << 22, /* sent alone, and from a private CA (no CA/Browser Forum policy): its
					      * issuer is most likely the private root its clients hold */
};
#define TLS_CERT_F_PROBLEMS 0xffffu
/* Problems that say the chain could not be checked (rather than what is wrong with it). */
#define TLS_CERT_F_UNCHECKED (TLS_CERT_F_MALFORMED | TLS_CERT_F_UNREADABLE | TLS_CERT_F_NOT_CHECKED)

struct tls_cert_finding {
	uint32_t flag;                    /* one TLS_CERT_F_* */
	int8_t cert;                      /* 0-based certificate it is about, -1 the whole message */
	char text[TLS_CERT_TEXT_LEN];     /* one sentence, no certificate name or SNI in it (safe under --redact) */
};

struct tls_cert_findings {
	uint32_t flags;                   /* every TLS_CERT_F_* found */
	uint8_t n;                        /* items kept, problems first (what was not checked first of all) */
	uint8_t total;                    /* findings made */
	struct tls_cert_finding items[TLS_CERT_MAX_FINDINGS];   /* read below n only */
};

/* *dst = *src, but for the items past n (1.3 KB when all are copied; mostly none are used). */
static inline void tls_cert_findings_copy(struct tls_cert_findings *dst, const struct tls_cert_findings *src)
{
	memcpy(dst, src, offsetof(struct tls_cert_findings, items) + src->n * sizeof(src->items[0]));
}

/*
 * msg: a handshake message of type certificate (11), from its 4-byte header
 * on, as many bytes of it as were captured (as tls_hello.h's parsers: bytes
 * past the declared length belong to the next message and are ignored; the
 * declared length is what tells a cut message from a wrong one). tls13: the
 * RFC 8446 layout (request context, per-entry extensions), else RFC 5246's.
 * sni, sni_len: the ClientHello's host name (raw bytes, need not be
 * NUL-terminated), or NULL/0 when there was none or it was not seen.
 * Returns the status (also in out->status).
 */
int tls_cert_parse_chain(struct cursor msg, int tls13, const char *sni, size_t sni_len,
			 struct tls_cert_chain *out);

/*
 * The findings at the capture time (ns since the epoch, of the packet that
 * completed the message): validity is judged against it, never the clock,
 * to the second as X509_cmp_time does (valid while notBefore <= t <= notAfter).
 * Every certificate examined is checked, not only the server's (cert says which).
 */
void tls_cert_check(const struct tls_cert_chain *chain, int64_t capture_ts_ns,
		    struct tls_cert_findings *out);

/*
 * tls_cert_parse_chain through a small cache shared by every connection that
 * saw the same chain and SNI (servers repeat theirs; a parse costs ~0.5 ms).
 *
 * Ownership: the chain returned is the caller's reference. It stays whole and
 * unchanged, whatever the cache does later, until the caller gives it back
 * with tls_cert_chain_release, exactly once; the cache holds its own
 * reference to the chains it keeps. NULL: out of memory (counted in bounds).
 * Only chains from here may be released (not those of tls_cert_parse_chain).
 */
__attribute__((warn_unused_result))
const struct tls_cert_chain *tls_cert_parse_cached(const uint8_t *msg, size_t len, int tls13,
						   const char *sni, size_t sni_len);
/* Give back a reference from tls_cert_parse_cached (NULL: nothing). */
void tls_cert_chain_release(const struct tls_cert_chain *chain);
/* The cache gives back its own references and forgets every parse (tests; at exit). */
void tls_cert_cache_clear(void);

#endif
