/* fuzz_tls_hello.c: any bytes as a ClientHello, a ServerHello (and a draft HelloRetryRequest), an SSLv2 CLIENT-HELLO and SERVER-HELLO. */
#include <stdlib.h>
#include <string.h>

#include "tls_hello.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int rc, const char *error)
{
	if (rc < TLS_HELLO_OK || rc > TLS_HELLO_INVALID || (rc == TLS_HELLO_INVALID) != (error != NULL))
		abort();
}

/*
 * The input is one handshake message. Its type byte is forced to 1, then 2,
 * then 6 (a HelloRetryRequest of TLS 1.3 drafts before 22), so that every
 * input reaches each parser; the SSL 2.0 parsers see it as is.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* A private copy, so a read past the input is a heap overflow ASan sees. */
	uint8_t *copy = malloc(size ? size : 1);
	struct tls_client_hello ch;
	struct tls_server_hello sh;
	int rc;

	if (copy == NULL)
		return 0;
	memcpy(copy, data, size);
	if (size != 0)
		copy[0] = 1;
	rc = tls_parse_client_hello(cur_make(copy, size), &ch);
	check(rc, ch.error);
	if (rc == TLS_HELLO_OK && (strlen(ch.ja4) != 36 || strlen(ch.ja3_md5) != 32))
		abort();
	if (size != 0)
		copy[0] = 2;
	rc = tls_parse_server_hello(cur_make(copy, size), &sh);
	check(rc, sh.error);
	(void)tls_hello_session_resumed(&ch, &sh);
	if (size != 0)
		copy[0] = 6;
	rc = tls_parse_server_hello(cur_make(copy, size), &sh);
	check(rc, sh.error);
	if (size != 0 && !sh.is_hrr)
		abort();
	if (size != 0)
		copy[0] = data[0];
	(void)tls_hello_sslv2_sniff(cur_make(copy, size));
	rc = tls_parse_sslv2_client_hello(cur_make(copy, size), &ch);
	check(rc, ch.error);
	if (rc == TLS_HELLO_OK && (strlen(ch.ja4) != 36 || strlen(ch.ja3_md5) != 32))
		abort();
	{
		struct tls_sslv2_server_hello v2;
		size_t hdr = 0, len = tls_sslv2_record_len(cur_make(copy, size), &hdr);
		uint32_t kind;
		(void)tls_sslv2_server_sniff(cur_make(copy, size));
		rc = tls_parse_sslv2_server_hello(cur_make(copy, size), &v2);
		check(rc, v2.error);
		if (v2.n_specs > TLS_SSLV2_MAX_SPECS || v2.n_specs > v2.specs_total || (len != 0 && hdr != 2 && hdr != 3))
			abort();
		if (v2.cert_whole && v2.cert_off + (size_t)v2.cert_len > size)
			abort();
		if (tls_sslv2_client_master_key(cur_make(copy, size), &kind))
			(void)tls_sslv2_cipher_name(kind);
	}
	free(copy);
	return 0;
}
