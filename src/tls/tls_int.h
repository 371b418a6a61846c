/* tls_int.h: what the tls_*.c files share with one another only. */
#ifndef SYNACK_TLS_INT_H
#define SYNACK_TLS_INT_H

#include <stddef.h>

#include "cursor.h"
#include "spares.h"
#include "tls.h"
#include "tls_cert.h"

/* Record content types (RFC 8446 5.1) and the record length bound. */
#define REC_HANDSHAKE 22
#define REC_CCS       20
#define REC_ALERT     21
#define REC_APPDATA   23
#define REC_HEARTBEAT 24
#define REC_MAX_LEN   (16384 + 2048)   /* TLSCiphertext's bound (RFC 5246 6.2.3) */

/* ClientHellos (2 KiB each) come and go with the connections. */
extern _Thread_local struct spares tls_spare_ch;

/* The length of the whole handshake message at the start of c (header included), 0 if the header is cut. */
static inline size_t tls_msg_len(struct cursor c)
{
	uint8_t type;
	uint32_t len;
	return cur_get_u8(&c, &type) && cur_get_u24(&c, &len) ? 4 + (size_t)len : 0;
}

/* A connection's certificate results, worked out once (the verdict and the report both
 * ask): the findings, and a reference to the cache's chain (given back by tls_release). */
struct tls_cert_memo {
	const struct tls_cert_chain *chain;
	struct tls_cert_findings findings;
};

/*
 * The handshake layer's entry for SSL 2.0 (tls_handshake.c): the server's
 * first record (its SERVER-HELLO, or what there is of it yet), or the
 * client's first after its hello. 1 if it was a message read in clear (the
 * SERVER-HELLO; a CLIENT-MASTER-KEY), 0 if not (an encrypted record).
 */
int tls_sslv2_message(struct tls_conn *t, int dir, struct cursor record, const struct tls_msg_where *w);

/*
 * The decrypting record layer (tls_decrypt.c). tls_dec_want: 1 if the
 * encrypted record of side dir that begins now can be decrypted (secrets
 * known for the connection: its state made then), so the record layer waits
 * for it whole. tls_dec_record: the whole record (header and body) at stream
 * offset off, decrypted and its content handed on (handshake messages through
 * tls_dec_handshake, alerts through tls_add_alert); 1 if it was decrypted.
 */
int tls_dec_want(struct tls_conn *t, int dir);
int tls_dec_record(struct tls_conn *t, int dir, struct cursor rec, uint64_t off);
void tls_dec_free(struct tls_dec *d);
size_t tls_dec_mem(const struct tls_dec *d);
/* The handshake layer's word to the decrypting one: side dir's Finished (its keys change to the
 * application ones after it) or KeyUpdate came, decrypted; what a decrypted message says. */
void tls_dec_message(struct tls_conn *t, int dir, enum tls_epoch epoch, uint8_t type, struct cursor msg);
/* A clear hello (slot: 0 ClientHello, 1 HelloRetryRequest, 2 the second ClientHello, 3 ServerHello), kept
 * with a key log for the TLS 1.3 transcript; tls_dec_hellos_free drops them (not TLS 1.3). */
enum { TLS_HELLO_CH1, TLS_HELLO_HRR, TLS_HELLO_CH2, TLS_HELLO_SH, TLS_HELLO_SLOTS };
struct tls_hellos {
	uint8_t *m[TLS_HELLO_SLOTS];
	uint32_t len[TLS_HELLO_SLOTS];
};
void tls_dec_hello(struct tls_conn *t, int slot, struct cursor msg);
void tls_dec_hellos_free(struct tls_conn *t);
/* The record layer's helpers the decrypting one uses (tls_record.c). */
void tls_add_alert(struct tls_conn *t, int dir, uint8_t level, uint8_t desc, int encrypted, int epoch);
void tls_handshake_bytes(struct tls_conn *t, int dir, enum tls_epoch epoch, struct cursor body,
			 uint64_t rec_off, uint64_t end);

/* The record layer's part of tls_app (tls_record.c): what it does with a stream's bytes. */
int tls_app_probe(struct cursor first, int dir);
int tls_app_data(void *state, int dir, const struct app_segment *seg);

#endif
