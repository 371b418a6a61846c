/* community.c: the Community ID v1 of a TCP or UDP flow, hashed and encoded by libcrypto. */
#include <string.h>

/*
 * SHA1_Init/Update/Final, deprecated in OpenSSL 3 but kept by it: the EVP
 * digest API sets up and tears down a provider context around every hash
 * (EVP_DigestInit_ex2 and EVP_DigestFinal_ex cost about 700 instructions
 * beyond the hash itself, on one 64-byte block), and Community IDs are
 * hashed for every connection written (nearly a fifth of the time of a SYN flood's
 * report with EVP; EVP_Digest with EVP_sha1() is worse: an implicit fetch a
 * call). The low-level calls need no fetch and do not allocate.
 */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/evp.h>
#include <openssl/sha.h>

#include "community.h"

/* Seed, two addresses of 16 bytes, protocol, pad, two ports. */
#define CID_INPUT_MAX (2 + 16 + 16 + 1 + 1 + 2 + 2)

static uint8_t *cid_put16(uint8_t *o, uint16_t v)
{
	o[0] = (uint8_t)(v >> 8);
	o[1] = (uint8_t)v;
	return o + 2;
}

/* Whether (a, ap) comes after (b, bp): addresses bytewise, then ports. */
static int cid_after(const uint8_t *a, uint16_t ap, const uint8_t *b, uint16_t bp, size_t alen)
{
	int cmp = memcmp(a, b, alen);
	return cmp > 0 || (cmp == 0 && ap > bp);
}

int flow_community_id(int v6, const uint8_t *saddr, const uint8_t *daddr, uint16_t sport,
		      uint16_t dport, uint8_t proto, uint16_t seed, char out[FLOW_COMMUNITY_ID_LEN])
{
	uint8_t in[CID_INPUT_MAX], md[SHA_DIGEST_LENGTH], *o = in;
	SHA_CTX sc;
	size_t alen = v6 ? 16 : 4;

	out[0] = '\0';
	if (proto != FLOW_COMMUNITY_TCP && proto != FLOW_COMMUNITY_UDP)
		return 0;
	if (cid_after(saddr, sport, daddr, dport, alen)) {
		const uint8_t *a = saddr;
		uint16_t p = sport;
		saddr = daddr;
		sport = dport;
		daddr = a;
		dport = p;
	}
	o = cid_put16(o, seed);
	memcpy(o, saddr, alen);
	o += alen;
	memcpy(o, daddr, alen);
	o += alen;
	*o++ = proto;
	*o++ = 0;
	o = cid_put16(o, sport);
	o = cid_put16(o, dport);
	if (!SHA1_Init(&sc) || !SHA1_Update(&sc, in, (size_t)(o - in)) || !SHA1_Final(md, &sc))
		return 0;
	/* 20 bytes are 28 base64 characters and a NUL: FLOW_COMMUNITY_ID_LEN - 2 */
	memcpy(out, "1:", 2);
	if (EVP_EncodeBlock((unsigned char *)out + 2, md, (int)sizeof(md)) != 28) {
		out[0] = '\0';
		return 0;
	}
	return 1;
}
