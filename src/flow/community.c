/* community.c: the Community ID v1 of a TCP or UDP flow, hashed and encoded by libcrypto. */
#include <string.h>

#include <openssl/evp.h>

#include "bounds.h"
#include "community.h"

/*
 * SHA-1 fetched once and a context reused: an implicit fetch (EVP_sha1() in
 * EVP_Digest) for every connection costs more than the hash, and libcrypto's
 * first use allocates, which must not wait until memory has run out.
 */
static EVP_MD *cid_sha1;
static EVP_MD_CTX *cid_ctx;

int flow_community_setup(void)
{
	if (cid_sha1 != NULL && cid_ctx != NULL)
		return 1;
	if (cid_sha1 == NULL)
		cid_sha1 = EVP_MD_fetch(NULL, "SHA1", NULL);
	if (cid_ctx == NULL)
		cid_ctx = EVP_MD_CTX_new();
	if (cid_sha1 == NULL || cid_ctx == NULL) {
		bounds_alloc_failed();
		return 0;
	}
	return 1;
}

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
	uint8_t in[CID_INPUT_MAX], md[EVP_MAX_MD_SIZE], *o = in;
	unsigned mdlen = 0;
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
	if (!flow_community_setup() || !EVP_DigestInit_ex2(cid_ctx, cid_sha1, NULL) ||
	    !EVP_DigestUpdate(cid_ctx, in, (size_t)(o - in)) || !EVP_DigestFinal_ex(cid_ctx, md, &mdlen) ||
	    mdlen != 20)
		return 0;
	/* 20 bytes are 28 base64 characters and a NUL: FLOW_COMMUNITY_ID_LEN - 2 */
	memcpy(out, "1:", 2);
	if (EVP_EncodeBlock((unsigned char *)out + 2, md, (int)mdlen) != 28) {
		out[0] = '\0';
		return 0;
	}
	return 1;
}
