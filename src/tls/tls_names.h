/* tls_names.h: names of TLS code points (cipher suites, groups, alerts, ...), from IANA. */
#ifndef SYNACK_TLS_NAMES_H
#define SYNACK_TLS_NAMES_H

#include <stddef.h>
#include <stdint.h>

/*
 * Every lookup returns a static string, or NULL when the value has no
 * registered name (unassigned, reserved, private use). The caller decides how
 * to show a NULL; tls_name_or_hex() gives docs/json.md's form, "0x1a1a".
 *
 * Names are IANA's (cipher suites, groups and signature schemes exactly as
 * registered, e.g. "TLS_AES_128_GCM_SHA256", "x25519", "X25519MLKEM768",
 * "ecdsa_secp256r1_sha256"); alerts and handshake types use the RFC 8446
 * names without the "_RESERVED" suffix RFC 8446 put on values that only
 * TLS 1.2 and older use ("no_renegotiation", "server_key_exchange").
 * scripts/gen_tls_names.py states every rule; data/iana/ holds the sources.
 *
 * In the 16-bit spaces where RFC 8701 reserves GREASE values (versions,
 * cipher suites, groups, signature schemes, extensions) those values are
 * named "GREASE". Lookups are binary searches over static const tables.
 */

/* RFC 8701's GREASE values: 0x0a0a, 0x1a1a, ... 0xfafa (inline: the parsers ask per value). */
static inline int tls_is_grease(uint16_t v)
{
	return (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff);
}

const char *tls_version_name(uint16_t v);        /* "TLS 1.3", "SSL 3.0", "DTLS 1.2" */
const char *tls_cipher_name(uint16_t v);         /* "TLS_AES_128_GCM_SHA256" */
const char *tls_group_name(uint16_t v);          /* "x25519", "secp256r1" */
const char *tls_sigscheme_name(uint16_t v);      /* "rsa_pss_rsae_sha256" */
const char *tls_ext_name(uint16_t v);            /* "server_name" */
const char *tls_alert_name(uint8_t v);           /* "protocol_version" */
const char *tls_alert_level_name(uint8_t v);     /* "warning", "fatal" */
const char *tls_hs_type_name(uint8_t v);         /* "client_hello" */
const char *tls_content_type_name(uint8_t v);    /* "handshake" */
const char *tls_ec_point_format_name(uint8_t v); /* "uncompressed" */

/* "0x" and four lowercase hex digits, and the NUL. */
#define TLS_NAME_BUFSZ 7

/*
 * name if it is not NULL, else v formatted as "0x%04x" into buf (which it
 * returns). For example:
 *     char b[TLS_NAME_BUFSZ];
 *     const char *s = tls_name_or_hex(tls_cipher_name(v), v, b);
 */
const char *tls_name_or_hex(const char *name, uint16_t v, char buf[TLS_NAME_BUFSZ]);

/* The tables themselves, sorted by value, for tests and listings. */
enum tls_registry {
	TLS_REG_CIPHER,
	TLS_REG_GROUP,
	TLS_REG_SIGSCHEME,
	TLS_REG_EXT,
	TLS_REG_ALERT,
	TLS_REG_ALERT_LEVEL,
	TLS_REG_HS_TYPE,
	TLS_REG_CONTENT_TYPE,
	TLS_REG_EC_POINT_FORMAT,
	TLS_REG_VERSION,
	TLS_REG_COUNT
};

struct tls_name {
	uint16_t value;
	const char *name;
};

/* The table for reg and its length in *n; NULL and 0 for a bad reg. */
const struct tls_name *tls_registry_table(enum tls_registry reg, size_t *n);

#endif
