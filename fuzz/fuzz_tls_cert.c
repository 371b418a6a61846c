/* fuzz_tls_cert.c: any bytes as a Certificate message, parsed, decoded with libcrypto and checked. */
#include <stdlib.h>
#include <string.h>

#include "tls_cert.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What the header promises of every string: NUL-terminated printable ASCII within its field. */
static void printable(const char *s, size_t cap)
{
	size_t i;
	for (i = 0; i < cap && s[i] != '\0'; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
			abort();
	if (i == cap)
		abort();
}

static void check_chain(const struct tls_cert_chain *ch, int rc)
{
	if (rc < TLS_CERT_OK || rc > TLS_CERT_INVALID || rc != ch->status ||
	    (rc == TLS_CERT_INVALID) != (ch->error != NULL) || ch->n_kept > TLS_CERT_MAX_KEPT ||
	    ch->n_checked > TLS_CERT_MAX_CHECKED || ch->n_kept > ch->n_checked || ch->n_checked > ch->n_certs)
		abort();
	for (int i = 0; i < ch->n_kept; i++) {
		const struct tls_cert_info *c = &ch->certs[i];
		printable(c->subject, sizeof(c->subject));
		printable(c->issuer, sizeof(c->issuer));
		printable(c->serial, sizeof(c->serial));
		printable(c->key_type, sizeof(c->key_type));
		printable(c->curve, sizeof(c->curve));
		printable(c->sig_alg, sizeof(c->sig_alg));
		printable(c->not_before_str, sizeof(c->not_before_str));
		printable(c->not_after_str, sizeof(c->not_after_str));
		if (c->n_sans > TLS_CERT_MAX_SANS || c->n_sans > c->sans_total)
			abort();
		for (int j = 0; j < c->n_sans; j++)
			printable(c->sans[j].name, sizeof(c->sans[j].name));
		if (c->decoded && strlen(c->sha256) != 64)
			abort();
	}
	for (int i = 0; i < ch->n_checked; i++)
		if (ch->links[i].issuer < -1 || ch->links[i].issuer >= ch->n_checked || ch->links[i].issuer == i)
			abort();
}

/*
 * Byte 0: bit 0 the TLS 1.3 layout, bits 1-2 the SNI, bits 3-7 the capture
 * year (2016 + 0..31). The rest is the message from its handshake header on;
 * its type byte is forced to certificate (11) so every input gets past it.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const snis[] = { NULL, "www.example.test", "x.api.example.test", "192.0.2.10" };
	struct tls_cert_chain ch;
	struct tls_cert_findings f;
	uint8_t *copy;
	const char *sni;
	int rc;

	if (size == 0)
		return 0;
	/* A private copy, so a read past the input is a heap overflow ASan sees. */
	copy = malloc(size - 1 ? size - 1 : 1);
	if (copy == NULL)
		return 0;
	memcpy(copy, data + 1, size - 1);
	if (size > 1)
		copy[0] = 11;
	sni = snis[data[0] >> 1 & 3];
	rc = tls_cert_parse_chain(cur_make(copy, size - 1), data[0] & 1, sni, sni ? strlen(sni) : 0, &ch);
	check_chain(&ch, rc);
	tls_cert_check(&ch, ((int64_t)(2016 + (data[0] >> 3) - 1970) * 31556952) * 1000000000, &f);
	if (f.n > TLS_CERT_MAX_FINDINGS || f.n > f.total || (f.n == 0) != (f.flags == 0))
		abort();
	for (int i = 0; i < f.n; i++) {
		printable(f.items[i].text, sizeof(f.items[i].text));
		if (!(f.flags & f.items[i].flag) || f.items[i].cert >= ch.n_checked)
			abort();
	}
	free(copy);
	return 0;
}
