/* tls.h: the TLS handshake of one connection: a record layer over its two byte streams, a handshake layer over messages. */
#ifndef SYNACK_TLS_H
#define SYNACK_TLS_H

#include <stddef.h>
#include <stdint.h>

#include "app.h"
#include "reasm.h"
#include "tls_hello.h"

struct tls_cert_memo;
struct tls_dec;
struct keylog;

#define TLS_MAX_ALERTS    4         /* alerts kept (each side's first always); more are counted */
/*
 * Handshake message bytes held per direction. Every message type but
 * Certificate is smaller by its own format; a Certificate message this size
 * is more than OpenSSL (100 KiB), GnuTLS and NSS (128 KiB) or Go (256 KiB)
 * accept. A larger message is read up to here (a chain: the certificates in
 * that part are checked), the rest is skipped, and the handshake read on
 * after it; that is a finding (tls_issues), and the chain counts as not
 * checked.
 */
#define TLS_HS_CAP        262144u
#define TLS_FIRST_LINE    80        /* bytes kept of a non-TLS first line (first_line_cut says when cut) */
#define TLS_ENC_ALERT_LEN 19        /* a TLS 1.3 encrypted alert: 2 + content type + 16-byte tag */

/* What a direction's bytes turned out to be. */
enum tls_mode {
	TLS_MODE_NONE = 0,   /* no payload yet */
	TLS_MODE_RECORDS,    /* TLS records */
	TLS_MODE_SSLV2,      /* an SSLv2-compatible ClientHello, then records */
	TLS_MODE_V2,         /* SSL 2.0 records: the server answered in SSL 2.0 (struct tls_sslv2); a
			      * client whose hello was SSL 2.0's goes on in them too */
	TLS_MODE_PLAIN,      /* not TLS: first_line holds the start */
	TLS_MODE_BROKEN,     /* TLS records, then bytes that are not a record header; or, with no
			      * SYN seen, first bytes that are not one (the capture began inside a record) */
	/* (PLAIN and BROKEN last: the sides no longer read) */
};

/* Handshake message types this reader acts on (RFC 8446 4, RFC 5246 7.4). */
enum {
	TLS_HS_CLIENT_HELLO = 1, TLS_HS_SERVER_HELLO = 2, TLS_HS_NEW_SESSION_TICKET = 4,
	TLS_HS_HELLO_RETRY_REQUEST = 6,   /* TLS 1.3 drafts before 22; since, a ServerHello */
	TLS_HS_CERTIFICATE = 11,
	TLS_HS_SERVER_KEY_EXCHANGE = 12, TLS_HS_CERTIFICATE_REQUEST = 13, TLS_HS_SERVER_HELLO_DONE = 14,
	TLS_HS_CLIENT_KEY_EXCHANGE = 16,
	TLS_HS_ENCRYPTED_EXTENSIONS = 8, TLS_HS_CERTIFICATE_VERIFY = 15, TLS_HS_FINISHED = 20,
	TLS_HS_KEY_UPDATE = 24,
};

/* The handshake messages a side sent in clear (bit = 1 << type). */
#define TLS_HS_BIT(type) (1u << (type))

struct tls_alert {
	uint64_t frame;
	int64_t ts;
	uint8_t from;            /* 0 client, 1 server */
	uint8_t level, desc;     /* valid unless encrypted */
	uint8_t encrypted;       /* 1: an alert record whose body is encrypted (TLS 1.2, after ChangeCipherSpec;
				  * TLS 1.3: any alert after the ServerHello) */
	uint8_t decrypted;       /* 1: encrypted, and decrypted with a key log: level and desc are valid */
	uint8_t epoch;           /* decrypted: enum tls_epoch of the keys (TLS 1.2: TLS_EPOCH_HANDSHAKE) */
};

/* An encrypted record: for TLS 1.3, where an alert looks like any other record but short. */
struct tls_rec_note {
	uint64_t frame;
	int64_t ts;
	uint32_t len;            /* the record's length field */
};

/* A handshake message larger than TLS_HS_CAP (the first of a side's). */
struct tls_msg_note {
	uint64_t frame;          /* the segment that brought its TLS_HS_CAP-th byte */
	uint64_t off;            /* stream offset of the record it began in */
	uint32_t declared;       /* its length, header included */
	uint8_t type;
};

/* Why a side stopped being read as records (TLS_MODE_BROKEN). */
enum {
	TLS_BAD_NONE = 0,
	TLS_BAD_RECORD,          /* a record header no TLS stack sends (bad_hdr): malformed */
	TLS_BAD_MIDSTREAM,       /* no SYN seen and the first bytes are no record header: the capture began inside one */
};

struct tls_side {
	uint8_t mode;            /* enum tls_mode */
	uint8_t ccs;             /* sent ChangeCipherSpec: later handshake records are encrypted (TLS <= 1.2) */
	uint8_t protected_;      /* its records are encrypted from now on (TLS 1.3 after the ServerHello) */
	uint8_t bad;             /* TLS_BAD_*: why the mode is TLS_MODE_BROKEN */
	uint32_t hs_seen;        /* TLS_HS_BIT of every clear handshake message type */
	uint32_t records;        /* records, all types */
	uint32_t enc_records;    /* encrypted records (application_data type, or handshake after CCS) */
	uint32_t enc_hs_records; /* of those, handshake records after CCS: a Finished (TLS <= 1.2) */
	uint32_t enc_after_peer; /* encrypted records sent after the peer's first encrypted one */
	uint64_t enc_bytes;
	struct tls_rec_note first_enc, last_enc;
	uint64_t first_frame;    /* the first payload byte's segment */
	int64_t first_ts;
	uint8_t *hs;             /* handshake bytes not yet a whole message */
	uint32_t hs_len;
	uint64_t hs_start;       /* stream offset of the record that began the message in hs */
	uint64_t frame;          /* the segment being processed: where a record ends */
	int64_t ts;
	uint32_t hs_skip;        /* bytes of a message larger than TLS_HS_CAP still to skip */
	uint64_t evid_end;       /* stream offset past the last record read before the handshake was done */
	/* Seldom written: not TLS, or what went wrong. */
	uint8_t first_line_len;
	char first_line[TLS_FIRST_LINE];   /* raw bytes (TLS_MODE_PLAIN): escape before printing */
	uint32_t hs_cut;         /* handshake messages larger than TLS_HS_CAP, read in part (the first: cut) */
	struct tls_msg_note cut;
	uint32_t skip_declared;  /* the one being skipped (hs_skip > 0): its length and type */
	uint8_t skip_type;
	uint8_t first_line_cut;  /* the first line is longer than TLS_FIRST_LINE (or its end was not seen) */
	uint8_t bad_hdr[5];      /* TLS_BAD_RECORD: the header, as sent */
	uint64_t bad_off, bad_frame;
};

/*
 * Encrypted records kept whole for a decryption that may come later (a key
 * log), when asked for (tls_keep_encrypted): at most TLS_ENC_KEEP_RECORDS of
 * them and TLS_ENC_KEEP_BYTES of their bodies per connection, the first ones
 * (the handshake's); past that they are counted in not_kept.
 */
#define TLS_ENC_KEEP_RECORDS 32
#define TLS_ENC_KEEP_BYTES   (64u * 1024)

struct tls_enc_record {
	uint64_t frame;          /* the segment that completed it */
	int64_t ts;
	uint64_t off;            /* stream offset of its header */
	uint8_t *body;           /* len bytes: the ciphertext after the 5-byte header */
	uint32_t len;
	uint8_t dir;             /* 0 client, 1 server */
	uint8_t type;            /* its content type (application_data in TLS 1.3) */
};

struct tls_enc_store {
	uint32_t n, bytes, not_kept;
	struct tls_enc_record rec[TLS_ENC_KEEP_RECORDS];
};

/*
 * The server answered in SSL 2.0 (RFC 6176 prohibits it): its SERVER-HELLO,
 * and the cipher the client then chose in its CLIENT-MASTER-KEY (the last
 * message in clear). The certificate goes where a Certificate message's does.
 */
struct tls_sslv2 {
	struct tls_sslv2_server_hello hello;
	int status;                  /* enum tls_hello_status of hello */
	uint64_t frame;              /* the segment that completed the SERVER-HELLO (so far: its last byte) */
	int64_t ts;
	uint8_t has_client_cipher;   /* the CLIENT-MASTER-KEY was read */
	uint32_t client_cipher;      /* ... the cipher kind it chose */
	uint64_t cmk_frame;
	int64_t cmk_ts;
};

struct tls_conn {
	struct reasm *rs[2];                 /* the transport's streams: [0] client to server, [1] server to client */
	struct tls_side side[2];             /* what each stream held */
	uint8_t done;                        /* tls_established() held once: later records are no evidence */
	uint8_t nomem;                       /* a hello or the certificate copy could not be kept */
	uint8_t odd;                         /* a side's bad or hs_cut is set, or nomem (read before those) */
	struct tls_client_hello *ch;         /* the first ClientHello */
	struct tls_client_hello *ch2;        /* the second, after a HelloRetryRequest */
	struct tls_server_hello *sh;         /* the ServerHello (not a HelloRetryRequest) */
	int ch_status, ch2_status, sh_status; /* enum tls_hello_status of each, once parsed */
	uint16_t version;                    /* tls_version(), kept here: sh is seldom in the cache */
	uint64_t ch_frame, sh_frame;         /* the segment that completed each */
	int64_t ch_ts, sh_ts;
	uint64_t ch_start, ch_end;           /* the ClientHello's stream offsets (records included) */
	uint8_t hrr;                         /* a HelloRetryRequest came */
	uint8_t v13;                         /* a HelloRetryRequest or ServerHello chose TLS 1.3 */
	uint16_t hrr_group;                  /* the group it asked for */
	uint64_t hrr_frame;
	int64_t hrr_ts;
	uint16_t ske_group;                  /* ServerKeyExchange's named curve (TLS <= 1.2), 0 if none */
	uint8_t cert_request;                /* CertificateRequest in clear (TLS <= 1.2) */
	uint32_t cert_msg_len;               /* the server's Certificate message, bytes (0: none in clear) */
	uint8_t *cert_msg;                   /* ... a copy, for the certificate checks */
	uint64_t cert_frame;                 /* the segment that completed it */
	int64_t cert_ts;
	struct tls_cert_memo *cert_memo;     /* tls_certificates' results, once worked out */
	struct tls_alert alerts[TLS_MAX_ALERTS];
	uint8_t nalerts;
	uint32_t alerts_total;
	struct tls_enc_store *enc;           /* encrypted records kept, when asked for; else NULL */
	struct tls_sslv2 *v2;                /* the server answered in SSL 2.0; else NULL */
	struct tls_dec *dec;                 /* decryption (tls_use_keylog) once the key log knew this
					      * ClientHello's random; else NULL */
	struct tls_hellos *hellos;           /* with a key log: the clear hellos' bytes, for the TLS 1.3
					      * transcript hash, until decryption starts (or the version
					      * is not TLS 1.3); else NULL */
};

/*
 * What the reader met that a report must not pass over: a bound of ours that
 * was hit, or bytes no TLS stack sends. Facts only; the words are the
 * report's. tls_issues() lists them at report time (nothing is counted per
 * byte for them).
 */
enum tls_issue_kind {
	TLS_ISSUE_BAD_RECORD = 1, /* a record header no TLS stack sends (type: content type, a: length, b: version);
				   * the side is not read past it */
	TLS_ISSUE_MSG_TOO_LARGE,  /* a handshake message (type) declared a bytes (its length field), more than
				   * TLS_HS_CAP: its first TLS_HS_CAP read, the rest skipped; b: messages like it */
	TLS_ISSUE_MSG_UNFINISHED, /* the capture holds b of a handshake message's (type) a declared bytes, no more */
	TLS_ISSUE_ALERTS_NOT_KEPT,/* a alerts past TLS_MAX_ALERTS were counted, not kept (each side's first is) */
	TLS_ISSUE_CONFLICT,       /* a retransmitted segments differed from the first copy, the first at frame,
				   * the lowest byte at off; b: 1 if that is within the handshake's bytes */
	TLS_ISSUE_UNCOMPARED,     /* a retransmitted bytes within the handshake's (the first at off) could not be
				   * compared with the first copy */
	TLS_ISSUE_NOT_KEPT,       /* a bytes were not kept by reassembly (b: REASM_LIMITS flags); reading stopped
				   * at off if they were needed */
	TLS_ISSUE_NOMEM,          /* a hello or the server's certificates not kept: out of memory */
	TLS_ISSUE_SSLV2,          /* the server answered in SSL 2.0 (frame: its SERVER-HELLO): obsolete and
				   * insecure, RFC 6176 prohibits it */
	TLS_ISSUE_FINISHED_MISMATCH, /* side dir's TLS 1.3 Finished decrypted but did not verify against the
				   * transcript of the messages seen (tls_decrypted.finished_verified) */
};

struct tls_issue {
	uint8_t kind;             /* enum tls_issue_kind */
	uint8_t dir;              /* 0 client, 1 server */
	uint8_t type;
	uint64_t frame, off;
	uint64_t a, b;
};

#define TLS_MAX_ISSUES 16

/* The issues of t, at most cap of them (each kind at most once a side). */
size_t tls_issues(const struct tls_conn *t, struct tls_issue *out, size_t cap);
/* How many (for a summary's count of connections with TLS findings); 0 for NULL. */
size_t tls_issue_count(const struct tls_conn *t);

/*
 * Where a handshake message came from: the keys that protected it (picotls's
 * epochs). Over TCP without keys every message synack reads is plaintext;
 * decrypted records (a key log) and QUIC CRYPTO frames bring the others.
 */
enum tls_epoch {
	TLS_EPOCH_PLAINTEXT = 0,  /* a clear TLS record */
	TLS_EPOCH_INITIAL,        /* QUIC Initial packets */
	TLS_EPOCH_HANDSHAKE,      /* handshake traffic keys (TLS 1.3 after the ServerHello) */
	TLS_EPOCH_APPLICATION,    /* application traffic keys (NewSessionTicket, KeyUpdate) */
};

/* Where in the capture a handshake message was completed. */
struct tls_msg_where {
	uint64_t frame;           /* the packet that brought its last byte */
	int64_t ts;               /* ns */
	uint64_t start, end;      /* stream offsets: the record it began in, and just past the one it ended in */
};

/*
 * The handshake layer's entry: one whole handshake message (header included,
 * or the first TLS_HS_CAP bytes of a larger one) sent by side dir (0 client)
 * in this epoch. The record layer (tls_record.c) calls it for clear records;
 * a decrypting record layer or a QUIC CRYPTO stream calls it the same way.
 */
void tls_handshake_message(struct tls_conn *t, int dir, enum tls_epoch epoch, struct cursor msg,
			   const struct tls_msg_where *w);

/*
 * TLS as an application protocol of a byte-stream transport (app.h): its state
 * is a struct tls_conn. Its probe claims TLS records and SSLv2 hellos, and
 * takes any other first bytes as a maybe: it judges plaintext where TLS was
 * due (tls.not_tls), so it is the registry's last resort.
 */
extern const struct app_proto tls_app;

/*
 * A segment was put into stream dir: read its records. Returns 1 if it
 * completed something a verdict rests on (a hello, an alert, non-TLS bytes,
 * the client's first encrypted record), or if it was retransmitted or out of
 * order during the handshake. (tls_app's data() keeps only what is evidence
 * where TLS is in play, or where the client's stream could not even start.)
 */
int tls_stream_data(struct tls_conn *t, int dir, const struct app_segment *seg);
/*
 * Keep the encrypted records that come from now on (bounded: struct
 * tls_enc_store), for decryption. The record layer then waits for each
 * encrypted record to be whole, as it does for clear ones. 0 when out of
 * memory (a finding: tls_issues' TLS_ISSUE_NOMEM).
 */
int tls_keep_encrypted(struct tls_conn *t);
/*
 * Decryption with a key log: kl (NULL: no keys) is where every connection's
 * secrets are looked up (keylog_find) by its ClientHello's random, at its
 * first encrypted record and, while not found, at each later one (a live key
 * log may learn them late). Set once, before packets flow. With secrets for
 * a connection, its encrypted records are waited for whole and decrypted;
 * the handshake messages in them go to tls_handshake_message() with their
 * epoch, the alerts are named (tls_alert.decrypted), application data is
 * only counted. Secrets and plaintext are never copied anywhere a report reads.
 */
void tls_use_keylog(const struct keylog *kl);

/*
 * What decryption showed of one connection (facts; the words are the
 * report's). NULL from tls_decrypted() when the key log had nothing for it.
 */
struct tls_decrypted {
	uint8_t unsupported;     /* the negotiated suite cannot be decrypted (tlsk_suite_find) */
	uint8_t finished[2];     /* each side's Finished decrypted: with both, established is proven */
	uint8_t finished_verified[2]; /* TLS 1.3, each side's Finished against the transcript hash of the
				       * messages seen (enum tls_fin_check) */
	uint8_t cert_request;    /* the server's CertificateRequest (decrypted: TLS 1.3) */
	uint8_t client_cert;     /* the client's Certificate (decrypted): 0 none, 1 empty, 2 with a certificate */
	uint8_t has_alpn;        /* EncryptedExtensions selected an ALPN protocol (TLS 1.3) */
	struct tls_alpn_value alpn;
	uint8_t key_updates[2];  /* KeyUpdate messages each side sent (saturating) */
	uint32_t hs[2];          /* TLS_HS_BIT of each handshake message type decrypted, per side */
	uint32_t records[2];     /* encrypted records decrypted, per side */
	uint32_t failed[2];      /* encrypted records not decrypted (no secret for them, or they did not authenticate) */
	uint32_t app_records[2]; /* of those decrypted, application data (counted, never kept) */
	uint64_t app_bytes[2];
};
const struct tls_decrypted *tls_decrypted(const struct tls_conn *t);

/* A decrypted TLS 1.3 Finished checked against the transcript (tls_decrypted.finished_verified). */
enum tls_fin_check {
	TLS_FIN_UNCHECKED = 0,   /* not decrypted, TLS 1.2, or the transcript is not whole (a hello not
				  * kept, a handshake record not decrypted, a message cut) */
	TLS_FIN_VERIFIED,        /* verify_data = HMAC(finished_key, Hash(the messages seen before it)) */
	TLS_FIN_MISMATCH,        /* decrypted but did not verify: the messages seen here are not the ones
				  * the endpoints hashed (a hello altered on the way, or keys from another
				  * session that still opened the record) */
};

/* Heap bytes t holds beyond itself (buffers, hellos, the certificate message), streams not counted. */
size_t tls_mem(const struct tls_conn *t);

/* Some TLS was seen: either side's bytes start like TLS records (or an SSLv2 hello). */
int tls_seen(const struct tls_conn *t);

/* The negotiated version: the ServerHello's (0x0002 for an SSL 2.0 SERVER-HELLO), 0 if none. */
uint16_t tls_version(const struct tls_conn *t);

/*
 * The probable TLS 1.3 encrypted alert of side dir, before the TCP close is
 * known: the client's only encrypted record, or the server's only one after
 * the client's Finished, is shorter than any Finished message the suite
 * allows (tls13_min_finished: stacks pad their alerts, Java's to 35 bytes,
 * so no one alert size is the test) and the peer's flight came first. The
 * caller adds that the side then closed.
 */
const struct tls_rec_note *tls_short_last_record(const struct tls_conn *t, int dir);
/*
 * The least length field of a record that holds a TLS 1.3 Finished under the
 * negotiated suite: 4 + Hash.length + 1 (the content type) + the AEAD tag,
 * 53 for SHA-256 suites, 69 for SHA-384, 45 for CCM_8; 45 for a suite not
 * known (the least of them).
 */
uint32_t tls13_min_finished(const struct tls_conn *t);

/*
 * Established per docs/verdicts.md: TLS 1.2, both sides' Finished after their
 * ChangeCipherSpec; TLS 1.3 (its drafts and experiments too: tls_version_is_13),
 * the server's encrypted flight and then the client's Finished (an encrypted
 * record that is not alert-sized); SSL 2.0, never (its Finished are encrypted
 * in records that cannot be told from data). The caller
 * withdraws it when a probable encrypted alert and a close follow.
 */
int tls_established(const struct tls_conn *t);

/*
 * The server's certificate chain (sent in clear: TLS 1.2 and older), parsed
 * (through a cache shared by connections) and checked at the time it was
 * captured; NULL if none was seen (or no memory to keep it). t holds a
 * reference to the chain: it stays valid until t is released, whatever
 * other connections parse meanwhile.
 */
struct tls_cert_chain;
struct tls_cert_findings;
const struct tls_cert_chain *tls_certificates(struct tls_conn *t, struct tls_cert_findings *out);
/* The same, the findings not copied: *findings points at t's own (NULL with no chain), valid as
 * long as the chain. */
const struct tls_cert_chain *tls_certificates_ref(struct tls_conn *t, const struct tls_cert_findings **findings);
/* Start loading what a report of t reads (see conn_prefetch_report). */
void tls_prefetch(const struct tls_conn *t);

#endif
