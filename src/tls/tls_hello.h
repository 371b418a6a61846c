/* tls_hello.h: ClientHello and ServerHello messages taken apart, and the client's JA3 and JA4 fingerprints. */
#ifndef SYNACK_TLS_HELLO_H
#define SYNACK_TLS_HELLO_H

#include <stdint.h>

#include "cursor.h"

/*
 * The parsers take one handshake message from its 4-byte header (type and
 * 24-bit length) on, as many bytes of it as were captured; bytes past the
 * declared length belong to the next message and are ignored. Knowing the
 * declared length is what tells the two failures apart:
 *
 *   TLS_HELLO_TRUNCATED  the bytes ran out before the declared end (a snaplen,
 *                        a capture that stopped, a segment not captured):
 *                        every field parsed so far is right, the rest is zero.
 *   TLS_HELLO_INVALID    the bytes are wrong: a length that overruns its
 *                        container or leaves bytes over, an odd length in a
 *                        list of 16-bit values, a wrong handshake type. error
 *                        names the field (a static string).
 *
 * Results never point into the input: what is kept is copied, into lists of
 * fixed capacity (a hostile hello cannot make us allocate), with the total
 * count beside the kept one. GREASE values (RFC 8701) are kept as sent, so
 * they stay recognizable (tls_is_grease() in tls_names.h). Only the first
 * occurrence of a repeated extension is interpreted (duplicate_extension).
 *
 * JA3 and JA4 are computed over the full lists, not the capped copies, and
 * only for a complete, valid hello (TLS_HELLO_OK); otherwise they are "".
 * JA4's sort of a list longer than 256 values (only a hostile hello has one)
 * uses memory freed before the call returns. Fingerprints are memoized per
 * thread in a fixed table, keyed by the exact bytes they are made of.
 */
enum tls_hello_status {
	TLS_HELLO_OK = 0,
	TLS_HELLO_TRUNCATED,
	TLS_HELLO_INVALID,
};

#define TLS_HELLO_MAX_CIPHERS        64
#define TLS_HELLO_MAX_EXTENSIONS     32
#define TLS_HELLO_MAX_GROUPS         32
#define TLS_HELLO_MAX_KEY_SHARES     16
#define TLS_HELLO_MAX_SIGALGS        32
#define TLS_HELLO_MAX_VERSIONS       16
#define TLS_HELLO_MAX_POINT_FORMATS  8
#define TLS_HELLO_MAX_ALPN           8
#define TLS_HELLO_ALPN_LEN           32    /* bytes kept of each ALPN value */
#define TLS_HELLO_SNI_LEN            255   /* bytes kept of the host name */
#define TLS_HELLO_JA3_LEN            1024  /* JA3 string kept, NUL included */
#define TLS_HELLO_JA4_LEN            37    /* "t13d1516h2_8daaf6152771_e5627efa2ab1" and NUL */

/* Where GREASE values were seen (grease bits). */
enum {
	TLS_GREASE_CIPHER    = 1u << 0,
	TLS_GREASE_EXTENSION = 1u << 1,
	TLS_GREASE_GROUP     = 1u << 2,
	TLS_GREASE_KEY_SHARE = 1u << 3,
	TLS_GREASE_SIGALG    = 1u << 4,
	TLS_GREASE_VERSION   = 1u << 5,
};

struct tls_alpn_value {
	uint8_t len;                      /* the value's true length, 0..255 */
	uint8_t name[TLS_HELLO_ALPN_LEN]; /* its first min(len, 32) bytes, raw */
};

struct tls_client_hello {
	const char *error;          /* TLS_HELLO_INVALID: the field at fault */
	uint8_t sslv2;              /* parsed from an SSLv2-compatible CLIENT-HELLO */
	uint32_t size;              /* the message as declared, header included (SSLv2: record header included) */

	uint16_t legacy_version;    /* client_version (SSLv2: the version field) */
	uint16_t version;           /* highest non-GREASE supported_versions value, else legacy_version */
	uint8_t random[32];         /* SSLv2: the challenge, right-aligned, zero-padded (RFC 5246 E.2) */
	uint8_t session_id_len;     /* 0..32 */
	uint8_t session_id[32];
	uint8_t n_compression;      /* compression methods offered */
	uint8_t compression_null;   /* ... and null among them */

	uint16_t cipher_suites[TLS_HELLO_MAX_CIPHERS];  /* wire order, GREASE kept */
	uint8_t n_cipher_suites;
	uint16_t cipher_suites_total;
	uint16_t sslv2_only_specs;  /* SSLv2 cipher kinds with no TLS suite (first byte not 0): counted only */

	uint8_t has_extensions;     /* an extensions block was present (maybe empty) */
	uint16_t extensions[TLS_HELLO_MAX_EXTENSIONS];  /* types, wire order, GREASE kept */
	uint8_t n_extensions;
	uint16_t extensions_total;
	uint8_t duplicate_extension;/* an interpreted extension type appeared twice (RFC 8446 4.2) */
	uint8_t grease;             /* TLS_GREASE_* */

	uint16_t versions[TLS_HELLO_MAX_VERSIONS];      /* supported_versions, wire order */
	uint8_t n_versions;
	uint16_t versions_total;    /* 0 with has_supported_versions: an empty list */
	uint8_t has_supported_versions;

	uint16_t groups[TLS_HELLO_MAX_GROUPS];          /* supported_groups */
	uint8_t n_groups;
	uint16_t groups_total;

	uint16_t key_share_groups[TLS_HELLO_MAX_KEY_SHARES];   /* key_share (extension 51; without it, 40 when
							    * the highest version offered is a draft before 23
							    * or an experiment) */
	uint16_t key_share_lens[TLS_HELLO_MAX_KEY_SHARES]; /* key_exchange bytes (ML-KEM hybrids are ~1.2 KB) */
	uint8_t n_key_shares;
	uint16_t key_shares_total;
	uint8_t has_key_share;

	uint16_t sigalgs[TLS_HELLO_MAX_SIGALGS];        /* signature_algorithms, wire order */
	uint8_t n_sigalgs;
	uint16_t sigalgs_total;

	uint8_t point_formats[TLS_HELLO_MAX_POINT_FORMATS];
	uint8_t n_point_formats;
	uint8_t point_formats_total;

	struct tls_alpn_value alpn[TLS_HELLO_MAX_ALPN]; /* wire order */
	uint8_t n_alpn;
	uint16_t alpn_total;

	uint8_t has_sni;            /* a server_name extension (JA4's "d") */
	uint8_t sni_bad_name;       /* the host name is empty or not a DNS name (RFC 6066 3: LDH labels, no IP literal, no trailing dot) */
	uint8_t sni_is_ech_public;  /* an ECH outer hello: sni is the ECH public name, not the real destination */
	uint16_t sni_len;           /* the first host_name's true length (0: none) */
	uint8_t sni[TLS_HELLO_SNI_LEN]; /* its first min(sni_len, 255) bytes, raw: escape before printing */

	uint8_t has_ech;            /* encrypted_client_hello (0xfe0d); Chrome's GREASE ECH looks the same */
	uint8_t ech_type;           /* 0 outer, 1 inner */
	uint8_t has_psk;            /* pre_shared_key: resumption (or an external PSK) offered */
	uint16_t psk_identities;
	uint8_t psk_modes;          /* psk_key_exchange_modes: bit 0 psk_ke, bit 1 psk_dhe_ke */
	uint8_t has_early_data;
	uint8_t has_session_ticket; /* session_ticket (0x0023) */
	uint16_t session_ticket_len;/* > 0: a TLS 1.2 ticket is being resumed */

	uint8_t ja3_cut;            /* the JA3 string was longer than ja3[] holds (the MD5 is of all of it) */
	char ja3_md5[33];
	char ja4[TLS_HELLO_JA4_LEN];/* FoxIO JA4 over TCP ("t") */
	/* Last, and not cleared past its terminator: of the struct's 2 KiB it is
	 * half, and a parse that wrote all of it would write every cache line. */
	char ja3[TLS_HELLO_JA3_LEN];/* "771,4865-4866,0-11-10,29-23,0" */
};

struct tls_server_hello {
	const char *error;
	uint32_t size;              /* the message as declared, header included */
	uint8_t draft_layout;       /* read with the layout of TLS 1.3 drafts 14-21: no session id, no
				     * compression method (tls_parse_server_hello) */
	uint8_t hrr_message;        /* a HelloRetryRequest of its own handshake type, 6 (drafts before 22) */

	uint16_t legacy_version;
	uint16_t version;           /* selected_version if present, else legacy_version */
	uint16_t selected_version;  /* supported_versions; 0 without it */
	uint8_t random[32];
	uint8_t is_hrr;             /* random is SHA-256("HelloRetryRequest") (RFC 8446 4.1.3) */
	uint8_t downgrade;          /* RFC 8446 4.1.3 sentinel: 0 none, 2 "DOWNGRD\1" (1.2 chosen), 1 "DOWNGRD\0" (<= 1.1) */
	uint8_t session_id_len;
	uint8_t session_id[32];
	uint16_t cipher_suite;
	uint8_t compression;

	uint8_t has_extensions;
	uint16_t extensions[TLS_HELLO_MAX_EXTENSIONS];
	uint8_t n_extensions;
	uint16_t extensions_total;
	uint8_t duplicate_extension;

	uint8_t has_key_share;
	uint16_t key_share_group;   /* ServerHello: its share's group; HelloRetryRequest: the selected_group */
	uint16_t key_share_len;     /* ServerHello: key_exchange bytes */
	uint8_t has_psk;            /* pre_shared_key: the server accepted a PSK (TLS 1.3 resumption) */
	uint16_t psk_identity;      /* ... the client's identity number it chose */
	uint8_t has_alpn;
	struct tls_alpn_value alpn; /* the protocol selected */
	uint8_t has_sni;            /* the server acknowledged the SNI (an empty server_name) */
	uint8_t has_cookie;         /* HelloRetryRequest cookie */
	uint8_t has_ech;            /* HelloRetryRequest ECH confirmation */
	uint8_t has_session_ticket; /* TLS <= 1.2: a NewSessionTicket will follow */
	uint8_t has_ems;            /* extended_master_secret */
	uint8_t has_renegotiation_info;
};

/* msg: a handshake message of type client_hello (1), from its header on. */
int tls_parse_client_hello(struct cursor msg, struct tls_client_hello *out);

/*
 * msg: a handshake message of type server_hello (2); a HelloRetryRequest is one (is_hrr).
 *
 * Pre-standard TLS 1.3 (tls_version_is_13) is read as each draft sent it:
 * drafts 14 to 21 (legacy_version 0x7f0e-0x7f15) have no session id and no
 * compression method (version, random, cipher_suite, extensions); from draft
 * 22 on, and in Google's experiments, the ServerHello has TLS 1.2's layout
 * with the version in supported_versions (tlswg/tls13-spec PR #1091, the
 * middlebox changes of draft 22). key_share was extension 40 until draft 23
 * renumbered it to 51 (PR #1128): 40 is read as key_share for drafts 14-22
 * and the experiments, and for nothing else.
 *
 * Before draft 22 a HelloRetryRequest was a message of its own, type 6
 * (hrr_message, is_hrr): version, then (drafts 19-21 only) cipher_suite, then
 * extensions (h2o/picotls issue #63; BoringSSL's tls13_server.cc of 2017
 * writes the experiments' as draft 18's). msg may be of that type too; for a
 * version whose layout is not one of these only the version is read.
 */
int tls_parse_server_hello(struct cursor msg, struct tls_server_hello *out);

/*
 * TLS 1.3, or a pre-standard variant of it that a capture may hold:
 * draft-ietf-tls-tls13-14 to -28 (0x7f00 + N) and Google's 2017 experiments
 * (0x7e01-0x7e03: BoringSSL's TLS1_3_EXPERIMENT_VERSION, _EXPERIMENT2_,
 * _EXPERIMENT3_, ssl/ssl_versions.cc, deployed in Chrome's field trials).
 * Everything after their ServerHello is encrypted, as in TLS 1.3.
 */
static inline int tls_version_is_13(uint16_t v)
{
	return v == 0x0304 || (v >= 0x7f0e && v <= 0x7f1c) || (v >= 0x7e01 && v <= 0x7e03);
}

/*
 * record: an SSLv2 record from its 2-byte header (high bit set, 15-bit
 * length) on, holding a CLIENT-HELLO (RFC 5246 E.2, RFC 6101 E): a TLS
 * client's backward-compatible first flight. The cipher specs that name a
 * TLS suite ({0, hi, lo}) become cipher_suites and feed JA3 and JA4; the
 * SSLv2-only kinds are counted in sslv2_only_specs. There are no extensions.
 */
int tls_parse_sslv2_client_hello(struct cursor record, struct tls_client_hello *out);

/*
 * Do these bytes start like an SSLv2-compatible CLIENT-HELLO? 1 yes, 0 no,
 * -1 too few bytes to tell (needs 4). A TLS record starts with a content type
 * of 20..24, never with the high bit set, so the two never collide.
 */
int tls_hello_sslv2_sniff(struct cursor c);

/* ---- SSL 2.0 (draft-hickman-netscape-ssl-00; RFC 6176 prohibits it) ---- */

#define TLS_SSLV2_MAX_SPECS 16      /* cipher kinds kept of a SERVER-HELLO */

/*
 * An SSL 2.0 SERVER-HELLO: the record header (2 bytes, high bit set: the
 * form of a record without padding), msg_type 4, session_id_hit(1),
 * certificate_type(1), server_version(2), certificate_length(2),
 * cipher_specs_length(2), connection_id_length(2), then the certificate
 * (X.509 DER), the cipher specs (3 bytes each) and the connection id. When
 * session_id_hit is set the server resumes a session: no certificate, no
 * cipher specs. The certificate stays in the input: cert_off says where.
 */
struct tls_sslv2_server_hello {
	const char *error;
	uint32_t size;              /* the record as declared, header included */
	uint8_t session_id_hit;
	uint8_t cert_type;          /* 1: X.509 */
	uint16_t version;           /* server_version: 0x0002 */
	uint16_t cert_len, conn_id_len;
	uint32_t specs[TLS_SSLV2_MAX_SPECS];   /* cipher kinds (24 bits), wire order */
	uint8_t n_specs;
	uint16_t specs_total;
	uint8_t cert_whole;         /* all cert_len bytes of the certificate are in the input ... */
	uint32_t cert_off;          /* ... from this offset of the record on */
};

/*
 * record: the server's first SSL 2.0 record, from its header on, as many bytes
 * as were captured (bytes past its declared length are the next record's).
 * Statuses as for the hellos above: TRUNCATED when the bytes stop before the
 * declared end, INVALID for a wrong field (error names it).
 */
int tls_parse_sslv2_server_hello(struct cursor record, struct tls_sslv2_server_hello *out);

/* Do these bytes start like an SSL 2.0 SERVER-HELLO (a 2-byte header, type 4, version 0x0002)?
 * 1 yes, 0 no, -1 too few bytes to tell (7 are needed, and the first byte's high bit set). */
int tls_sslv2_server_sniff(struct cursor c);

/* The SSL 2.0 record at the start of c: its length, header included, and the header's (2 or 3
 * bytes: 3 when padded); 0 when the header is not all there. */
size_t tls_sslv2_record_len(struct cursor c, size_t *hdr_len);

/* A CLIENT-MASTER-KEY record (msg_type 2, sent in clear): the cipher kind the client chose.
 * 1 and *kind, else 0 (another message, or too short). */
int tls_sslv2_client_master_key(struct cursor record, uint32_t *kind);

/* An SSL 2.0 cipher kind's name ("SSL_CK_RC4_128_WITH_MD5"), NULL for another value. */
const char *tls_sslv2_cipher_name(uint32_t kind);

/*
 * The ServerHello echoes a non-empty session id the client offered: in
 * TLS <= 1.2 the server resumes that session. (TLS 1.3 servers echo the
 * legacy id always; there resumption is has_psk.)
 */
int tls_hello_session_resumed(const struct tls_client_hello *ch, const struct tls_server_hello *sh);

#endif
